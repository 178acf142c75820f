#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Flow statistics through the OpenFlow channel: ovs-ofctl -O OpenFlow13
dump-flows, dump-aggregate and dump-table-features against the bridge's
passive listener. Rules from vswitchctl and from the controller both show,
with the counters of the frames sent through them (netns veth pairs), the
same match and actions text as vswitchctl dump-flows, and the filters
(table, out_port, cookie/mask, a loose match) select what vswitchctl's
would. A dump of 60000 rules comes in many replies, each of
whole entries, all of them there, and a BARRIER sent behind it is answered
after its last part."""
import os
import re
import select
import struct
import tempfile
import unittest

import ofp
import vsw
from ofp import HELLO13, msg, ofctl

PORT = 20000 + (os.getpid() + 5000) % 10000
OFP = "tcp:127.0.0.1:%d" % PORT
DST = "02:00:00:00:00:0b"
MANY = 60000  # 6 MB of replies: more than the kernel's socket buffers take at once


# OFPMP_FLOW, every table, out_port/out_group ANY, no cookie, an empty match.
FLOW_REQ = struct.pack("!HH4xB3xII4xQQ", 1, 0, 0xff, 0xffffffff, 0xffffffff, 0, 0) + \
    struct.pack("!HH4x", 1, 4)


class Peer(ofp.Peer):
    def __init__(self, **kw):
        super().__init__(PORT, **kw)


def flows(*args):
    """ovs-ofctl dump-flows as a list of dicts: cookie, table, n_packets,
    n_bytes, priority, match (without priority), actions."""
    out = []
    for line in ofctl("dump-flows", *args).stdout.splitlines():
        if line.startswith("OFPST_FLOW reply"):
            continue  # one per reply
        # With --names, a table is named as TABLE_FEATURES names it ("table3").
        m = re.match(r"\s*cookie=(\S+), duration=[\d.]+s, table=(?:table)?(\d+), n_packets=(\d+), "
                     r"n_bytes=(\d+), (?:idle_timeout=\d+, )?(?:hard_timeout=\d+, )?"
                     r"(?:\S+=\S+, )*priority=(\d+),?(\S*) actions=(\S*)$", line)
        assert m, "unparsed dump-flows line: %r" % line
        out.append({"cookie": int(m.group(1), 16), "table": int(m.group(2)),
                    "n_packets": int(m.group(3)), "n_bytes": int(m.group(4)),
                    "priority": int(m.group(5)), "match": m.group(6),
                    "actions": m.group(7)})
    return out


def cookies(fl):
    return sorted(f["cookie"] for f in fl)


class OfpStats(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("ofst")
        cls.sw.start()
        cls.sw.ctl("add-br", "br0")
        cls.ns = cls.sw.add_netns_ports("br0", "ab")
        cls.sw.ctl("set-controller", "br0", "ptcp:%d:127.0.0.1" % PORT)
        vsw.wait_for(lambda: ofctl("show", OFP, check=False).returncode == 0, 10,
                     "the OpenFlow listener")
        cls.pa, cls.pb = cls.ofport("pa"), cls.ofport("pb")

    @classmethod
    def tearDownClass(cls):
        assert cls.sw.stop() == 0

    @staticmethod
    def ofport(name):
        for line in ofctl("dump-ports-desc", OFP).stdout.splitlines():
            if "(%s)" % name in line:
                return int(line.strip().split("(")[0])
        raise AssertionError("no port %s in dump-ports-desc" % name)

    def send(self, sender, receiver, n, seq):
        src = self.ns[sender].mac
        frames = [vsw.frame(DST, src, payload=b"stats", seq=seq + i) for i in range(n)]
        got = vsw.exchange(self.ns, sender, frames, receiver)[receiver]
        self.assertEqual(vsw.seqs(got), vsw.seqs(frames))
        return sum(len(f) for f in frames)

    def vsctl_flows(self):
        return {int(f["cookie"], 16): f for f in self.sw.ctlj("dump-flows", "br0")["flows"]}

    def test_1_both_origins_with_counters_and_text(self):
        self.sw.ctl("add-flow", "br0", "priority=100,cookie=0x11,in_port=pa,actions=output:pb")
        ofctl("add-flow", OFP, "priority=100,cookie=0x22,in_port=%d,actions=output:%d"
              % (self.pb, self.pa))
        self.sw.ctl("add-flow", "br0", "table=1,priority=10,cookie=0x33,tcp,nw_dst=10.0.0.0/8,"
                    "tp_dst=80,actions=dec_ttl,write_actions(output:pa),goto_table:2")
        ofctl("add-flow", OFP, "table=1,priority=5,cookie=0x44,udp6,ipv6_src=fe80::1,"
              "actions=set_field:99->udp_src,write_metadata:0x5/0xf,goto_table:4")
        self.sw.ctl("add-flow", "br0", "table=2,priority=7,cookie=0x55,ip,"
                    "actions=controller(reason=no_match),group:3")
        ab = self.send("a", "b", 5, 0)
        ba = self.send("b", "a", 3, 100)
        got = {f["cookie"]: f for f in flows("--no-names", OFP)}
        self.assertEqual(sorted(got), [0, 0x11, 0x22, 0x33, 0x44, 0x55])
        self.assertEqual((got[0x11]["n_packets"], got[0x11]["n_bytes"]), (5, ab))
        self.assertEqual((got[0x22]["n_packets"], got[0x22]["n_bytes"]), (3, ba))
        self.assertEqual(got[0x22]["match"], "in_port=%d" % self.pb)
        self.assertEqual(got[0x11]["actions"], "output:%d" % self.pb)
        self.assertEqual(got[0x33]["table"], 1)
        # ovs-ofctl's spelling where it differs from vswitchctl's.
        self.assertEqual(got[0x33]["actions"],
                         "dec_ttl,write_actions(output:%d),goto_table:2" % self.pa)
        self.assertEqual(got[0x44]["actions"],
                         "set_field:99->udp_src,write_metadata:0x5/0xf,goto_table:4")
        self.assertEqual(got[0x55]["actions"], "controller(reason=no_match),group:3")
        # With port names (PORT_DESC first): vswitchctl's own text.
        named = {f["cookie"]: f for f in flows("--names", OFP)}
        mine = self.vsctl_flows()
        for c in (0, 0x11, 0x22, 0x33, 0x44, 0x55):
            self.assertEqual(named[c]["match"], mine[c]["match"], "cookie %#x" % c)
            self.assertEqual(named[c]["priority"], mine[c]["priority"])
            self.assertEqual(named[c]["n_packets"], mine[c]["packets"])
            self.assertEqual(named[c]["n_bytes"], mine[c]["bytes"])
        for c in (0, 0x11, 0x22):
            self.assertEqual(named[c]["actions"], mine[c]["actions"].replace("normal", "NORMAL"))

    def test_2_filters(self):
        self.assertEqual(cookies(flows(OFP, "table=1")), [0x33, 0x44])
        self.assertEqual(cookies(flows(OFP, "table=1,tcp")), [0x33])
        self.assertEqual(cookies(flows(OFP, "tcp")), [0x33])
        self.assertEqual(cookies(flows(OFP, "ip")), [0x33, 0x55])
        self.assertEqual(cookies(flows(OFP, "out_port=%d" % self.pb)), [0x11])
        self.assertEqual(cookies(flows(OFP, "out_port=%d" % self.pa)), [0x22, 0x33])
        self.assertEqual(cookies(flows(OFP, "out_port=CONTROLLER")), [0x55])
        self.assertEqual(cookies(flows(OFP, "out_group=3")), [0x55])
        self.assertEqual(cookies(flows(OFP, "cookie=0x10/0xf0")), [0x11])
        self.assertEqual(cookies(flows(OFP, "cookie=0x4/0x4")), [0x44, 0x55])
        self.assertEqual(cookies(flows(OFP, "in_port=%d" % self.pa)), [0x11])
        self.assertEqual(cookies(flows(OFP, "table=2,in_port=%d" % self.pa)), [])
        r = ofctl("dump-flows", OFP, "table=254", check=False)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_3_aggregate(self):
        r = ofctl("dump-aggregate", OFP).stdout
        m = re.search(r"packet_count=(\d+) byte_count=(\d+) flow_count=(\d+)", r)
        fl = flows(OFP)
        self.assertEqual(int(m.group(3)), len(fl))
        self.assertEqual(int(m.group(1)), sum(f["n_packets"] for f in fl))
        self.assertEqual(int(m.group(2)), sum(f["n_bytes"] for f in fl))
        r = ofctl("dump-aggregate", OFP, "cookie=0x11/-1").stdout
        self.assertIn("packet_count=5 byte_count=%d flow_count=1"
                      % self.vsctl_flows()[0x11]["bytes"], r)

    def test_4_thousands_of_rules_in_several_replies(self):
        with tempfile.NamedTemporaryFile("w", suffix=".flows") as f:
            for i in range(MANY):
                f.write("table=3,priority=%d,cookie=0x%x,tcp,tp_dst=%d,actions=output:%d\n"
                        % (i % 30000 + 1, 0x100000 + i, i + 1, self.pb))
            f.flush()
            ofctl("add-flows", OFP, f.name, timeout=120)
        fl = flows(OFP, "table=3")
        self.assertEqual(cookies(fl), list(range(0x100000, 0x100000 + MANY)))
        # The raw replies: several, each of whole entries, MORE on all but
        # the last; a BARRIER sent right behind comes after the last, though
        # the reply is more than the switch queues at once (it goes as the
        # peer reads it, the peer's next requests held meanwhile).
        p = Peer(rcvbuf=8192)
        try:
            p.s.sendall(msg(18, FLOW_REQ, xid=7) + msg(20, xid=8))
            # Nothing read until the reply has begun: the switch fills the
            # small window and must wait for it (bounded, no fixed sleep).
            self.assertTrue(select.select([p.s], [], [], 10)[0], "no reply within 10 s")
            parts, entries = [], 0
            while True:
                r = p.recv()
                self.assertIsNotNone(r)
                if r[0] == 2:
                    continue  # an ECHO_REQUEST
                if r[0] == 21:
                    self.assertEqual(r[1], 8)
                    break
                self.assertEqual((r[0], r[1]), (19, 7), "a FLOW reply, then the barrier's")
                mtype, flags = struct.unpack("!HH", r[2][:4])
                self.assertEqual(mtype, 1)
                parts.append(flags)
                body, off = r[2][8:], 0
                while off < len(body):
                    ln = struct.unpack("!H", body[off:off + 2])[0]
                    self.assertGreaterEqual(ln, 56)
                    self.assertLessEqual(off + ln, len(body), "an entry split over two replies")
                    off += ln
                    entries += 1
        finally:
            p.close()
        self.assertGreaterEqual(len(parts), 3)
        self.assertEqual(parts, [1] * (len(parts) - 1) + [0])
        self.assertEqual(entries, len(flows(OFP)))
        self.assertGreaterEqual(entries, MANY + 6)
        ofctl("del-flows", OFP, "table=3")
        self.assertEqual(flows(OFP, "table=3"), [])

    def test_5_table_features(self):
        r = ofctl("dump-table-features", OFP).stdout
        self.assertIn('table 0 ("table0"):', r)
        self.assertIn('table 254 ("table254")', r)
        self.assertIn("max_entries=", r)


if __name__ == "__main__":
    vsw.main()
