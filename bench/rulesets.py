# SPDX-License-Identifier: BSD-3-Clause
"""bench/rulesets.py: the flow tables the p2p scenario measures, as text in
the ovs-ofctl syntax both vswitch and Open vSwitch read, so the two
switches get exactly the same rules.

  normal  the learning bridge (no rules: each switch's default), the sink's
          MAC known (a static entry): every frame goes to one port
  flood   the learning bridge with the sink's MAC unknown (the sink never
          sends, so it is never learnt): every frame is flooded, the cost
          of unknown-unicast and broadcast traffic
  port    one rule: in_port=src -> output:sink
  acl     1,000 rules over four masks, the shape of a tenant ACL: 500 TCP
          port-22 drops by destination /24, 498 UDP permits by destination
          /16, one permit by source /8 and a default drop. The benchmark's
          UDP traffic (10.0.0.0/24 -> 10.128.0.0/24, bench/pcapgen.py) hits
          a /16 permit, below the port-22 subtable: each packet costs two
          subtable lookups, as an ACL hit in the middle of a table does."""


def many(n, sink="sink"):
    """n rules of one mask, as a controller installs per-destination
    entries: UDP to 10.x.y.z port 5001, each to the sink."""
    return ["priority=100,udp,nw_dst=10.%d.%d.%d,tp_dst=5001,actions=output:%s" %
            (i >> 16 & 255, i >> 8 & 255, i & 255, sink) for i in range(n)]


def rules(name, src="src", sink="sink"):
    """The rule lines of set 'name', or None for 'normal'."""
    if name in ("normal", "flood"):
        return None
    if name == "port":
        return ["priority=100,in_port=%s,actions=output:%s" % (src, sink)]
    if name == "acl":
        out = []
        for i in range(500):
            out.append("priority=300,tcp,nw_dst=10.%d.%d.0/24,tp_dst=22,actions=drop" %
                       (128 + i // 256, i % 256))
        for i in range(498):  # 10.128.0.0/16 (the traffic's) is the first
            out.append("priority=200,udp,nw_dst=%d.%d.0.0/16,actions=output:%s" %
                       (10 + (128 + i) // 256, (128 + i) % 256, sink))
        out.append("priority=100,ip,nw_src=10.0.0.0/8,actions=output:%s" % sink)
        out.append("priority=0,actions=drop")
        return out
    raise ValueError("unknown rule set %s (known: normal, flood, port, acl)" % name)
