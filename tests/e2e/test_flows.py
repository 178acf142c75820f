#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Flow rules as an operator uses them: vswitchctl add-flow(s), dump-flows,
mod-flows, del-flows and replace-flows on a running switch, with frames
sent and captured in network namespaces and checked byte by byte (headers
rewritten, checksums still right, VLAN tags as on the wire), counters
matching what was sent, bad input refused without changing anything, and
rules kept across a restart."""
import os
import struct
import sys
import tempfile
import time
import unittest

import vsw

sys.path.insert(0, os.path.join(vsw.TOP, "bench"))
from pcapgen import csum  # noqa: E402  the Internet checksum, written once

BCAST = "ff:ff:ff:ff:ff:ff"
N = 20


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def tcp_frame(dst, src, saddr, daddr, sport, dport, seq=0, tag=None):
    """An Ethernet/IPv4/TCP frame with right checksums; 'seq' in the TCP
    sequence number. 'tag': an 802.1Q VID."""
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, 0x02, 8192, 0, 0) + b"x" * 6
    pseudo = ip4(saddr) + ip4(daddr) + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, ip4(saddr),
                     ip4(daddr))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    l2 = vsw.mac_bytes(dst) + vsw.mac_bytes(src)
    if tag is not None:
        l2 += struct.pack("!HH", 0x8100, tag)
    return l2 + b"\x08\x00" + ip + tcp


def parse_tcp(f):
    """(vlan or None, saddr, daddr, sport, dport, seq, ip checksum ok, tcp checksum ok)."""
    vlan, off = None, 12
    if f[12:14] == b"\x81\x00":
        vlan, off = struct.unpack("!H", f[14:16])[0], 16
    ip = f[off + 2:off + 22]
    tot = struct.unpack("!H", ip[2:4])[0]
    tcp = f[off + 22:off + 2 + tot]
    pseudo = ip[12:20] + struct.pack("!BBH", 0, 6, len(tcp))
    sport, dport, seq = struct.unpack("!HHI", tcp[:8])
    return (vlan, ".".join(map(str, ip[12:16])), ".".join(map(str, ip[16:20])), sport, dport,
            seq, csum(ip) == 0, csum(pseudo + tcp) == 0)


class Flows(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("flows")
        cls.sw.start()
        cls.sw.ctl("add-br", "br0")
        cls.ns = cls.sw.add_netns_ports("br0", "abc")

    @classmethod
    def tearDownClass(cls):
        assert cls.sw.stop() == 0

    def setUp(self):
        self.sw.ctl("replace-flows", "br0", self.rules_file(["priority=0,actions=normal"]))

    def rules_file(self, lines):
        fd, path = tempfile.mkstemp(prefix="vsw-flows-", suffix=".txt")
        with os.fdopen(fd, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.addCleanup(os.unlink, path)
        return path

    def exchange(self, sender, frames, receivers, ethertype=vsw.ETHERTYPE):
        return vsw.exchange(self.ns, sender, frames, receivers, ethertype)

    def dump(self, *match):
        return self.sw.ctlj("dump-flows", "br0", *match)

    def packets(self):
        """{flow text: n_packets}"""
        return {f["flow"]: f["packets"] for f in self.dump()["flows"]}

    def drops(self, port, reason):
        return self.sw.stats(port)["drops"][reason]

    def test_1_default_table_is_a_learning_switch_that_counts(self):
        d = self.dump()
        self.assertEqual([f["flow"] for f in d["flows"]], ["priority=0,actions=NORMAL"])
        a = self.ns["a"]
        got = self.exchange("a", [vsw.frame(BCAST, a.mac, seq=s) for s in range(N)], "bc")
        self.assertEqual({n: vsw.seqs(f) for n, f in got.items()},
                         {"b": list(range(N)), "c": list(range(N))})
        self.assertEqual(self.packets(), {"priority=0,actions=NORMAL": N})

    def test_2_steering_acl_and_vlan_from_a_file(self):
        a, b = self.ns["a"], self.ns["b"]
        path = self.rules_file([
            "# steer a's test frames to c, drop telnet, tag what b sends",
            "priority=300,in_port=pa,dl_type=0x88b5,actions=output:pc",
            "",
            "priority=200,tcp,tp_dst=23,actions=drop",
            "priority=100,in_port=pb,actions=mod_vlan_vid:42,output:pc",
            "priority=0,actions=normal",
        ])
        out = self.sw.ctl("add-flows", "br0", path).stdout
        self.assertIn("added 4", out)
        got = self.exchange("a", [vsw.frame(BCAST, a.mac, seq=s) for s in range(N)], "bc")
        self.assertEqual({n: vsw.seqs(f) for n, f in got.items()},
                         {"b": [], "c": list(range(N))})
        telnet = [tcp_frame(b.mac, a.mac, "10.0.0.1", "10.0.0.2", 40000 + s, 23, seq=s)
                  for s in range(7)]
        got = self.exchange("a", telnet, "bc", ethertype=0x0800)
        self.assertEqual(got, {"b": [], "c": []})
        got = self.exchange("b", [vsw.frame(BCAST, b.mac, seq=s) for s in range(5)], "c")
        self.assertEqual(vsw.seqs([f[:12] + f[16:] for f in got["c"]]), list(range(5)))
        for f in got["c"]:
            self.assertEqual(f[12:16], struct.pack("!HH", 0x8100, 42))
        counts = self.packets()
        self.assertEqual(counts["priority=300,in_port=pa,dl_type=0x88b5,actions=output:pc"], N)
        self.assertEqual(counts["priority=200,tcp,tp_dst=23,actions=drop"], 7)
        self.assertEqual(counts["priority=100,in_port=pb,actions=mod_vlan_vid:42,output:pc"], 5)
        self.assertEqual(self.drops("pa", "rule_drop"), 7)

    def test_3_rewrites_reach_the_wire_with_valid_checksums(self):
        a, b = self.ns["a"], self.ns["b"]
        self.sw.ctl("add-flow", "br0",
                    "priority=100,in_port=pa,tcp,nw_dst=10.0.0.2,tp_dst=80,"
                    "actions=mod_nw_dst:10.9.9.9,mod_tp_dst:8080,mod_dl_dst:%s,output:pb" % b.mac)
        frames = [tcp_frame("02:00:00:00:00:99", a.mac, "10.0.0.1", "10.0.0.2", 1000 + s, 80,
                            seq=s) for s in range(N)]
        got = self.exchange("a", frames, "bc", ethertype=0x0800)
        self.assertEqual(len(got["c"]), 0)
        self.assertEqual(len(got["b"]), N)
        for f in got["b"]:
            self.assertEqual(f[:6], vsw.mac_bytes(b.mac))
            vlan, s, d, sp, dp, seq, ip_ok, tcp_ok = parse_tcp(f)
            self.assertEqual((vlan, s, d, sp, dp), (None, "10.0.0.1", "10.9.9.9", 1000 + seq, 8080))
            self.assertTrue(ip_ok and tcp_ok, "checksums of %s" % f.hex())

    def test_4_bad_rules_are_refused_and_change_nothing(self):
        self.sw.ctl("add-flow", "br0", "priority=5,in_port=pa,actions=output:pb")
        before = [f["flow"] for f in self.dump()["flows"]]
        r = self.sw.ctl("add-flow", "br0", "priority=9,nw_dst=10.0.0.300,actions=drop",
                        check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("nw_dst", r.stderr)
        self.assertIn("position", r.stderr)
        r = self.sw.ctl("add-flow", "br0", "in_port=nosuch,actions=normal", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("nosuch", r.stderr)
        path = self.rules_file(["priority=1,actions=normal", "# comment",
                                "priority=2,tcp,tp_dst=99999,actions=drop",
                                "priority=3,actions=drop"])
        r = self.sw.ctl("add-flows", "br0", path, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("%s:3:" % path, r.stderr)
        self.assertIn("tp_dst", r.stderr)
        # A file of one rule: its line too; an error not about a rule: none.
        path = self.rules_file(["# only one", "priority=2,tcp,tp_dst=99999,actions=drop"])
        r = self.sw.ctl("add-flows", "br0", path, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("%s:2:" % path, r.stderr)
        r = self.sw.ctl("add-flows", "nosuchbr", path, check=False)
        self.assertIn("no bridge named nosuchbr", r.stderr)
        self.assertNotIn(path, r.stderr)
        r = self.sw.ctl("del-flows", "br0", "--strict", check=False)
        self.assertEqual(r.returncode, 1)
        r = self.sw.ctl("dump-flows", "nosuchbr", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no bridge named nosuchbr", r.stderr)
        self.assertEqual([f["flow"] for f in self.dump()["flows"]], before)
        self.assertTrue(self.sw.alive())

    def test_5_mod_keeps_counters_del_counts_no_match(self):
        a = self.ns["a"]
        self.sw.ctl("add-flow", "br0", "priority=50,in_port=pa,actions=output:pb")
        frames = [vsw.frame(BCAST, a.mac, seq=s) for s in range(N)]
        got = self.exchange("a", frames, "bc")
        self.assertEqual((len(got["b"]), len(got["c"])), (N, 0))
        # strict: the exact match and priority (default 32768: not this one);
        # selecting nothing, it adds the rule, as Open vSwitch does.
        out = self.sw.ctl("mod-flows", "br0", "in_port=pa,actions=output:pc", "--strict").stdout
        self.assertIn("modified 0, added 1", out)
        # Selecting by cookie (cookie=V/M), it adds nothing.
        out = self.sw.ctl("mod-flows", "br0", "cookie=0x5/-1,in_port=pa,actions=drop").stdout
        self.assertEqual(out, "modified 0\n")
        out = self.sw.ctl("mod-flows", "br0", "in_port=pa,actions=output:pc").stdout
        self.assertIn("modified 2", out)
        got = self.exchange("a", frames, "bc")
        self.assertEqual((len(got["b"]), len(got["c"])), (0, N))
        counts = self.packets()
        self.assertEqual(counts["priority=50,in_port=pa,actions=output:pc"], N)
        self.assertEqual(counts["priority=32768,in_port=pa,actions=output:pc"], N)
        # Loose delete of in_port=pa: those rules only; then everything.
        self.assertIn("deleted 2", self.sw.ctl("del-flows", "br0", "in_port=pa").stdout)
        before = self.drops("pa", "no_match")
        self.assertIn("deleted 1", self.sw.ctl("del-flows", "br0").stdout)
        got = self.exchange("a", frames, "bc")
        self.assertEqual(got, {"b": [], "c": []})
        self.assertEqual(self.drops("pa", "no_match") - before, N)

    def test_6_deleting_a_port_deletes_the_rules_naming_it(self):
        self.sw.ctl("add-flow", "br0", "priority=10,in_port=pc,actions=output:pa")
        self.sw.ctl("add-flow", "br0", "priority=11,in_port=pa,actions=output:pc")
        self.sw.ctl("add-flow", "br0", "priority=12,in_port=pa,actions=output:pb")
        self.sw.ctl("del-port", "pc")
        try:
            self.assertEqual(sorted(f["priority"] for f in self.dump()["flows"]), [0, 12])
        finally:
            self.sw.ctl("add-port", "br0", "pc", "type=dpdk", self.ns["c"].devargs(2))

    def test_7_rules_survive_a_restart(self):
        path = self.rules_file([
            "priority=300,cookie=0x1f,in_port=pa,dl_type=0x88b5,actions=output:pc",
            "priority=200,ip,nw_src=10.1.0.0/16,nw_dst=10.2.3.4,actions=mod_nw_tos:32,normal",
            "priority=0,actions=normal",
        ])
        self.sw.ctl("replace-flows", "br0", path)
        before = [f["flow"] for f in self.dump()["flows"]]
        self.assertEqual(self.sw.stop(), 0)
        self.sw.start()
        self.assertEqual([f["flow"] for f in self.dump()["flows"]], before)
        a = self.ns["a"]
        got = self.exchange("a", [vsw.frame(BCAST, a.mac, seq=s) for s in range(N)], "bc")
        self.assertEqual({n: len(f) for n, f in got.items()}, {"b": 0, "c": N})

    def test_8_hard_timeout_expires_a_rule(self):
        # 3 s: long enough to see the rule installed even under ASan, where
        # one command takes hundreds of milliseconds; expiry is scanned each second.
        t0 = time.monotonic()
        self.sw.ctl("add-flow", "br0", "priority=7,hard_timeout=3,in_port=pa,actions=drop")
        self.assertEqual(len(self.dump()["flows"]), 2)
        vsw.wait_for(lambda: len(self.dump()["flows"]) == 1, 15, "the rule to expire")
        self.assertGreaterEqual(time.monotonic() - t0, 2.0)

    def test_9_config_rules_naming_a_missing_port_wait_for_it(self):
        x, y = vsw.Netns("x"), vsw.Netns("y")
        config = {"bridges": [{
            "name": "br0",
            "ports": [{"name": "px", "type": "dpdk", "options": {"devargs": x.devargs(5)[8:]}}],
            "flows": ["priority=10,in_port=px,actions=output:py", "priority=0,actions=normal"],
        }]}
        sw = vsw.Switch("flowcfg", config=config)
        sw.start()
        d = sw.ctlj("dump-flows", "br0")
        self.assertEqual([f["flow"] for f in d["flows"]], ["priority=0,actions=NORMAL"])
        self.assertEqual([w["flow"] for w in d["inactive"]],
                         ["priority=10,in_port=px,actions=output:py"])
        self.assertIn("py", d["inactive"][0]["error"])
        self.assertIn("flows", [f["kind"] for f in sw.ctlj("show")["failed"]])
        sw.ctl("add-port", "br0", "py", "type=dpdk", y.devargs(6))
        d = sw.ctlj("dump-flows", "br0")
        self.assertEqual(len(d["flows"]), 2)
        self.assertEqual(d["inactive"], [])
        self.assertEqual(sw.ctlj("show")["failed"], [])
        got_rx = y.recv_start(timeout=vsw.MAX_CAPTURE, until_stop=True)
        x.send([vsw.frame(BCAST, x.mac, seq=s) for s in range(N)])
        self.assertEqual(vsw.seqs(vsw.Netns.recv_stop(got_rx)), list(range(N)))
        self.assertEqual(sw.stop(), 0)


if __name__ == "__main__":
    vsw.main()
