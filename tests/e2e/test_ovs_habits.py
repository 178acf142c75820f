#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""What an operator used to Open vSwitch types, against a running switch
with real peers (network namespaces on veth pairs, as test_flows.py):
OpenFlow port numbers (in_port=1, output:2, a bare 2, ofport_request=N,
the same numbers after a restart), the OpenFlow field names (eth_type,
eth_src, ipv4_dst, tcp_dst), keywords in capitals (NORMAL, IN_PORT,
FLOOD, DROP), set_field and load, push_vlan, cookie=V/-1 filters, a
space before actions=, dump-flows --no-stats fed back to replace-flows,
dump-ports counting what was sent, --may-exist/--if-exists. Frames are
checked at the ports they leave by, byte for byte.

Tables other than 0, goto_table, resubmit, write_actions, metadata,
dec_ttl and the reserved ports the dataplane of this branch does not run
yet are typed on a bridge with no ports: parsed, stored, dumped and read
back, not forwarded (their forwarding checks come with the multi-table
engine)."""
import os
import re
import struct
import tempfile
import unittest

import vsw
from test_flows import parse_tcp, tcp_frame

BCAST = "ff:ff:ff:ff:ff:ff"
N = 16

PORT_RE = re.compile(r"port\s+(\d+): rx pkts=(\d+), bytes=(\d+), drop=(\d+), errs=(\d+)\n"
                     r"\s+tx pkts=(\d+), bytes=(\d+), drop=(\d+), errs=(\d+)")


class OvsHabits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("ovs")
        cls.sw.start()
        cls.sw.ctl("add-br", "br0")
        cls.ns = cls.sw.add_netns_ports("br0", "abc")
        cls.sw.ctl("add-br", "br9")  # no ports: rules typed, never run

    @classmethod
    def tearDownClass(cls):
        assert cls.sw.stop() == 0

    def setUp(self):
        self.sw.ctl("replace-flows", "br0", self.rules_file(["priority=0 actions=NORMAL"]))

    def rules_file(self, lines):
        fd, path = tempfile.mkstemp(prefix="vsw-ovs-", suffix=".txt")
        with os.fdopen(fd, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.addCleanup(os.unlink, path)
        return path

    def exchange(self, sender, frames, receivers, ethertype=vsw.ETHERTYPE):
        return vsw.exchange(self.ns, sender, frames, receivers, ethertype)

    def flows(self, bridge="br0", *match):
        return self.sw.ctlj("dump-flows", bridge, *match)["flows"]

    def ofports(self, bridge="br0"):
        return {p["name"]: p["ofport"] for p in self.sw.ctlj("list-ports", bridge)}

    def dump_ports(self):
        out = self.sw.ctl("dump-ports", "br0").stdout
        return {int(m[0]): tuple(int(x) for x in m[1:]) for m in PORT_RE.findall(out)}

    def test_1_ports_have_openflow_numbers(self):
        self.assertEqual(self.ofports(), {"pa": 1, "pb": 2, "pc": 3})
        show = self.sw.ctl("show").stdout
        self.assertRegex(show, r"Port pa: type=dpdk .*ofport=1\n")
        desc = self.sw.ctl("dump-ports-desc", "br0").stdout
        for line in (" 1(pa): addr:", " 2(pb): addr:", " 3(pc): addr:"):
            self.assertIn(line, desc)
        d = vsw.Netns("d")
        self.sw.ctl("add-port", "br0", "pd", "type=dpdk", d.devargs(3), "ofport_request=10")
        self.assertEqual(self.ofports()["pd"], 10)
        # --may-exist: there already, nothing changes; the number stays.
        self.sw.ctl("--may-exist", "add-port", "br0", "pd", "type=dpdk", d.devargs(3))
        self.assertEqual(self.ofports()["pd"], 10)
        r = self.sw.ctl("add-port", "br0", "pe", "type=dpdk", "devargs=net_null7",
                        "ofport_request=10", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("OpenFlow port number 10 is port pd's", r.stderr)
        # Freed when the port goes; a new port takes the lowest free number.
        self.sw.ctl("del-port", "pd")
        self.sw.ctl("--if-exists", "del-port", "pd")
        self.sw.ctl("add-port", "br0", "pd", "type=dpdk", d.devargs(3))
        self.assertEqual(self.ofports()["pd"], 4)
        self.sw.ctl("del-port", "br0", "pd")
        self.assertNotIn("pd", self.ofports())
        # Each bridge numbers its own ports.
        self.assertEqual(self.ofports("br9"), {})

    def test_2_steering_by_numbers_and_openflow_names(self):
        a, b = self.ns["a"], self.ns["b"]
        path = self.rules_file([
            "# as ovs-ofctl add-flows reads them",
            "priority=300 in_port=1,eth_type=0x88b5,eth_src=%s actions=output:3" % a.mac,
            "priority=200,tcp,tcp_dst=23 actions=DROP",
            "priority=100 in_port=2\tactions=push_vlan:0x8100,set_field:4138->vlan_vid,3",
            "priority=0 actions=NORMAL",
        ])
        self.assertIn("added 4", self.sw.ctl("add-flows", "br0", path).stdout)
        got = self.exchange("a", [vsw.frame(BCAST, a.mac, seq=s) for s in range(N)], "bc")
        self.assertEqual({n: vsw.seqs(f) for n, f in got.items()},
                         {"b": [], "c": list(range(N))})
        telnet = [tcp_frame(b.mac, a.mac, "10.0.0.1", "10.0.0.2", 40000 + s, 23, seq=s)
                  for s in range(5)]
        self.assertEqual(self.exchange("a", telnet, "bc", ethertype=0x0800),
                         {"b": [], "c": []})
        got = self.exchange("b", [vsw.frame(BCAST, b.mac, seq=s) for s in range(N)], "ac")
        self.assertEqual(got["a"], [])
        self.assertEqual(vsw.seqs([f[:12] + f[16:] for f in got["c"]]), list(range(N)))
        for f in got["c"]:
            self.assertEqual(f[12:16], struct.pack("!HH", 0x8100, 42))
        counts = {f["flow"]: f["packets"] for f in self.flows()}
        self.assertEqual(counts, {
            "priority=300,in_port=pa,dl_type=0x88b5,dl_src=%s,actions=output:pc" % a.mac: N,
            "priority=200,tcp,tp_dst=23,actions=drop": 5,
            "priority=100,in_port=pb,actions=push_vlan:0x8100,mod_vlan_vid:42,output:pc": N,
            "priority=0,actions=NORMAL": 0,
        })

    def test_3_set_field_and_load_rewrite_the_wire(self):
        a, b = self.ns["a"], self.ns["b"]
        bmac = int(b.mac.replace(":", ""), 16)
        self.sw.ctl("add-flow", "br0",
                    "priority=100,in_port=1,eth_type=0x0800,ip_proto=6,ipv4_dst=10.0.0.2,"
                    "tcp_dst=80 actions=set_field:10.9.9.9->ipv4_dst,set_field:8080->tcp_dst,"
                    "load:%#x->NXM_OF_ETH_DST[],set_field:46->ip_dscp,2" % bmac)
        frames = [tcp_frame("02:00:00:00:00:99", a.mac, "10.0.0.1", "10.0.0.2", 1000 + s, 80,
                            seq=s) for s in range(N)]
        got = self.exchange("a", frames, "bc", ethertype=0x0800)
        self.assertEqual((len(got["b"]), len(got["c"])), (N, 0))
        for f in got["b"]:
            self.assertEqual(f[:6], vsw.mac_bytes(b.mac))
            self.assertEqual(f[15], 46 << 2)  # the ToS byte: DSCP 46, ECN kept (0)
            vlan, s, d, sp, dp, seq, ip_ok, tcp_ok = parse_tcp(f)
            self.assertEqual((vlan, s, d, sp, dp), (None, "10.0.0.1", "10.9.9.9", 1000 + seq, 8080))
            self.assertTrue(ip_ok and tcp_ok, "checksums of %s" % f.hex())

    def test_4_reserved_ports_in_capitals_and_dump_ports_counts(self):
        a, b = self.ns["a"], self.ns["b"]
        self.sw.ctl("add-flow", "br0", "priority=10,in_port=1,eth_type=0x88b5 actions=IN_PORT")
        self.sw.ctl("add-flow", "br0", "priority=10 in_port=pb actions=FLOOD")
        before = self.dump_ports()
        got = self.exchange("a", [vsw.frame(BCAST, a.mac, seq=s) for s in range(N)], "abc")
        self.assertEqual({n: vsw.seqs(f) for n, f in got.items()},
                         {"a": list(range(N)), "b": [], "c": []})
        got = self.exchange("b", [vsw.frame(BCAST, b.mac, seq=s) for s in range(N)], "abc")
        self.assertEqual({n: vsw.seqs(f) for n, f in got.items()},
                         {"a": list(range(N)), "b": [], "c": list(range(N))})
        after = self.dump_ports()
        self.assertEqual(sorted(after), [1, 2, 3])
        delta = {p: [x - y for x, y in zip(after[p], before[p])] for p in after}
        # rx pkts, tx pkts; the frames are 64 bytes.
        self.assertEqual([delta[p][0] for p in (1, 2, 3)], [N, N, 0])
        self.assertEqual([delta[p][4] for p in (1, 2, 3)], [2 * N, 0, N])
        self.assertEqual(delta[1][1], N * 64)
        st = {s["name"]: s for s in self.sw.ctlj("port-stats")}
        self.assertEqual(after[1][0], st["pa"]["rx_packets"])
        self.assertEqual(after[3][4], st["pc"]["tx_packets"])
        one = self.sw.ctl("dump-ports", "br0", "2").stdout
        self.assertIn("1 ports", one)
        self.assertIn("port  2: rx pkts=%d" % after[2][0], one)

    def test_5_cookies_select_with_a_mask(self):
        a = self.ns["a"]
        self.sw.ctl("add-flow", "br0", "cookie=0x12,priority=20,in_port=1 actions=output:2")
        self.sw.ctl("add-flow", "br0", "cookie=0x34,priority=10,in_port=1 actions=output:3")
        self.assertEqual([f["cookie"] for f in self.flows("br0", "cookie=0x12/-1")], ["0x12"])
        self.assertEqual(len(self.flows("br0", "cookie=0x10/0x10")), 2)
        frames = [vsw.frame(BCAST, a.mac, seq=s) for s in range(N)]
        got = self.exchange("a", frames, "bc")
        self.assertEqual((len(got["b"]), len(got["c"])), (N, 0))
        self.assertIn("deleted 1", self.sw.ctl("del-flows", "br0", "cookie=0x12/-1").stdout)
        got = self.exchange("a", frames, "bc")
        self.assertEqual((len(got["b"]), len(got["c"])), (0, N))
        # mod-flows that selects nothing adds the rule, as OVS does.
        out = self.sw.ctl("mod-flows", "br0", "priority=30,in_port=1 actions=output:2",
                          "--strict").stdout
        self.assertIn("modified 0, added 1", out)
        got = self.exchange("a", frames, "bc")
        self.assertEqual((len(got["b"]), len(got["c"])), (N, 0))

    def test_6_no_stats_dump_reads_back(self):
        a = self.ns["a"]
        self.sw.ctl("add-flows", "br0", self.rules_file([
            "priority=50,in_port=1,ip,nw_src=10.1.0.0/16 actions=set_field:7->vlan_pcp,output:2",
            "cookie=0xab,priority=40,arp,arp_op=1 actions=FLOOD",
            "priority=30,udp6,udp_dst=53 actions=drop",
        ]))
        text = self.sw.ctl("dump-flows", "br0").stdout
        self.assertRegex(text, r" cookie=0xab, duration=\d+s, table=0, n_packets=0, n_bytes=0, "
                               r"idle_age=\d+, priority=40,arp,arp_op=1 actions=FLOOD\n")
        plain = self.sw.ctl("dump-flows", "br0", "--no-stats").stdout
        self.assertEqual(plain.splitlines(), [
            " priority=50,in_port=pa,ip,nw_src=10.1.0.0/16 actions=mod_vlan_pcp:7,output:pb",
            " cookie=0xab, priority=40,arp,arp_op=1 actions=FLOOD",
            " priority=30,udp6,tp_dst=53 actions=drop",
            " priority=0 actions=NORMAL",
        ])
        out = self.sw.ctl("replace-flows", "br0", self.rules_file(plain.splitlines())).stdout
        self.assertIn("kept 4", out)
        self.assertEqual(self.sw.ctl("dump-flows", "br0", "--no-stats").stdout, plain)
        got = self.exchange("a", [vsw.frame(BCAST, a.mac, seq=s) for s in range(N)], "bc")
        self.assertEqual({n: len(f) for n, f in got.items()}, {"b": N, "c": N})

    def test_7_pipeline_rules_are_stored_and_dumped(self):
        rules = [
            "table=0,priority=10,ip actions=write_metadata:0x10/0xff,goto_table:5",
            "table=5,priority=10,metadata=0x10/0xff,ip actions=dec_ttl,mod_nw_ttl:9,"
            "set_field:3->ip_ecn,resubmit(,7)",
            "table=7 priority=5 actions=clear_actions,"
            "write_actions(set_field:52:54:00:00:00:01->eth_dst,group:3),goto_table:9",
            "table=9 actions=CONTROLLER:128,LOCAL,ALL",
            "table=1,ipv6 actions=set_field:2001:db8::1->ipv6_dst,resubmit:IN_PORT,"
            "resubmit(,1)",
        ]
        self.assertIn("added 5", self.sw.ctl("add-flows", "br9", self.rules_file(rules)).stdout)
        want = [
            " priority=10,ip actions=write_metadata:0x10/0xff,goto_table:5",
            " table=1, priority=32768,ipv6 actions=set_field:2001:db8::1->ipv6_dst,"
            "resubmit(,1),resubmit(,1)",
            " table=5, priority=10,ip,metadata=0x10/0xff actions=dec_ttl,mod_nw_ttl:9,"
            "mod_nw_ecn:3,resubmit(,7)",
            " table=7, priority=5 actions=clear_actions,"
            "write_actions(mod_dl_dst:52:54:00:00:00:01,group:3),goto_table:9",
            " table=9, priority=32768 actions=CONTROLLER:128,LOCAL,ALL",
            " priority=0 actions=NORMAL",
        ]
        plain = self.sw.ctl("dump-flows", "br9", "--no-stats").stdout
        self.assertEqual(sorted(plain.splitlines()), sorted(want))
        # table=N in a dump filter: that table only; without it, every table.
        self.assertEqual([f["table"] for f in self.flows("br9", "table=5")], [5])
        self.assertEqual(sorted({f["table"] for f in self.flows("br9")}), [0, 1, 5, 7, 9])
        out = self.sw.ctl("replace-flows", "br9", self.rules_file(plain.splitlines())).stdout
        self.assertIn("kept 6", out)
        self.assertEqual(self.sw.ctl("dump-flows", "br9", "--no-stats").stdout, plain)
        # ... and in a del-flows filter.
        self.assertIn("deleted 1", self.sw.ctl("del-flows", "br9", "table=7").stdout)
        self.assertEqual(sorted({f["table"] for f in self.flows("br9")}), [0, 1, 5, 9])
        r = self.sw.ctl("add-flow", "br9", "table=9 actions=goto_table:3", check=False)
        self.assertIn("table 3 is not after this rule's table 9", r.stderr)
        # dump-tables calls flow.tables, which the flow table's branch serves.
        if "flow.tables" in [m["name"] for m in self.sw.ctlj("list-methods")]:
            out = self.sw.ctl("dump-tables", "br9").stdout
            self.assertRegex(out, r"table 5:\n    active=1, lookup=\d+, matched=\d+")
        else:
            r = self.sw.ctl("dump-tables", "br9", check=False)
            self.assertIn("unknown method \"flow.tables\"", r.stderr)

    def test_8_what_vswitch_lacks_is_said_so(self):
        for rule, words in [
                ("actions=meter:1", "meter actions are not supported by vswitch; supported:"),
                ("ip actions=ct(commit,table=1)", "ct actions are not supported"),
                ("actions=learn(table=1,output:NXM_OF_IN_PORT[])", "learn actions are not"),
                ("actions=enqueue:1:0", "enqueue actions are not supported"),
                ("tun_id=5 actions=drop", "tunnel fields are not supported by vswitch"),
                ("ip,nw_ttl=1 actions=drop", "TTL matches (set it with mod_nw_ttl or dec_ttl)"),
                ("actions=outptu:1", "did you mean 'output'?"),
                ("in_port=99 actions=drop", "no port with OpenFlow port number 99")]:
            r = self.sw.ctl("add-flow", "br0", rule, check=False)
            self.assertEqual(r.returncode, 1, rule)
            self.assertIn(words, r.stderr, rule)
        self.assertTrue(self.sw.alive())

    def test_9_numbers_and_rules_survive_a_restart(self):
        d = vsw.Netns("e")
        self.sw.ctl("add-port", "br0", "pe", "type=dpdk", d.devargs(4), "ofport_request=7")
        self.sw.ctl("add-flow", "br0", "priority=9,in_port=7 actions=output:1")
        numbers, rules = self.ofports(), self.flows()
        self.assertEqual(numbers, {"pa": 1, "pb": 2, "pc": 3, "pe": 7})
        self.assertEqual(self.sw.stop(), 0)
        self.sw.start()
        self.assertEqual(self.ofports(), numbers)
        self.assertEqual([f["flow"] for f in self.flows()], [f["flow"] for f in rules])
        self.assertIn("priority=9,in_port=pe,actions=output:pa", [f["flow"] for f in rules])
        got_rx = self.ns["a"].recv_start(timeout=vsw.MAX_CAPTURE, until_stop=True)
        d.send([vsw.frame(BCAST, d.mac, seq=s) for s in range(N)])
        self.assertEqual(vsw.seqs(vsw.Netns.recv_stop(got_rx)), list(range(N)))
        self.sw.ctl("del-port", "pe")


if __name__ == "__main__":
    vsw.main()
