#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The OpenFlow channel with a real peer: ovs-ofctl -O OpenFlow13 against
the bridge's passive listener (ptcp:), and a raw socket for what ovs-ofctl
never sends: bad lengths, unknown types and versions, experimenters,
garbage, a peer that stalls, roles and generation ids, ECHO keepalives and
dead-peer detection. Frames are sent and captured in network namespaces
and checked byte for byte; after every bad input the daemon is alive and
the bridge still forwards. Controllers and fail mode survive a restart."""
import os
import struct
import time
import unittest

import ofp
import vsw
from ofp import HELLO13, msg, ofctl

BCAST = "ff:ff:ff:ff:ff:ff"
PORT = 20000 + os.getpid() % 10000
OFP = "tcp:127.0.0.1:%d" % PORT
OFPP_CONTROLLER = 0xfffffffd


class Peer(ofp.Peer):
    def __init__(self, **kw):
        super().__init__(PORT, **kw)


class OpenFlow(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("of")
        cls.sw.start()
        cls.sw.ctl("add-br", "br0")
        cls.ns = cls.sw.add_netns_ports("br0", "ab")
        ofp.listen(cls.sw, "br0", PORT)

    @classmethod
    def tearDownClass(cls):
        assert cls.sw.stop() == 0

    def ofport(self, name):
        return ofp.ofport(OFP, name)

    def exchange(self, sender, frames, receivers):
        return vsw.exchange(self.ns, sender, frames, receivers)

    def forwards(self):
        a = self.ns["a"]
        got = self.exchange("a", [vsw.frame(BCAST, a.mac, seq=s) for s in range(5)], "b")
        return vsw.seqs(got["b"]) == list(range(5))

    def test_1_show_and_ports(self):
        out = ofctl("show", OFP).stdout
        dpid = self.sw.ctlj("get-controller", "br0")
        of = self.sw.ctlj("show")["bridges"][0]["openflow"]
        self.assertIn("dpid:%s" % of["datapath_id"], out)
        self.assertIn("n_tables:255", out)
        self.assertIn("FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS", out)
        self.assertIn("(pa): addr:", out)
        self.assertIn("(pb): addr:", out)
        self.assertEqual(dpid["datapath_id"], of["datapath_id"])
        self.sw.ctl("set-bridge", "br0", "datapath-id=00000000000000ab")
        self.assertIn("dpid:00000000000000ab", ofctl("show", OFP).stdout)
        self.sw.ctl("set-bridge", "br0", "datapath-id=")
        self.assertIn("dpid:%s" % of["datapath_id"], ofctl("show", OFP).stdout)
        r = self.sw.ctl("set-bridge", "br0", "datapath-id=xyz", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("hex digits", r.stderr)

    def test_2_dump_ports_counts_what_was_sent(self):
        pa = self.ofport("pa")
        before = ofctl("dump-ports", OFP, str(pa)).stdout
        self.assertTrue(self.forwards())
        out = ofctl("dump-ports", OFP, str(pa)).stdout
        rx = lambda o: int(o.split("rx pkts=")[1].split(",")[0])  # noqa: E731
        self.assertGreaterEqual(rx(out) - rx(before), 5)
        self.assertIn("OFPST_PORT reply (OF1.3)", out)

    def test_3_dump_tables(self):
        out = ofctl("dump-tables", OFP).stdout
        self.assertIn("table 0:", out)
        self.assertIn("active=1,", out.split("table 1")[0].replace(" ", ""))

    def test_4_mod_port_down_and_up(self):
        self.assertTrue(self.forwards())
        ofctl("mod-port", OFP, "pb", "down")
        self.assertIn("PORT_DOWN", ofctl("show", OFP).stdout.split("(pb)")[1].split("\n")[1])
        a = self.ns["a"]
        got = self.exchange("a", [vsw.frame(BCAST, a.mac, seq=s) for s in range(5)], "b")
        self.assertEqual(got["b"], [])
        self.assertGreaterEqual(self.sw.stats("pb")["drops"]["port_down"], 5)
        ofctl("mod-port", OFP, "pb", "up")
        self.assertNotIn("PORT_DOWN", ofctl("show", OFP).stdout.split("(pb)")[1].split("\n")[1])
        self.assertTrue(self.forwards())

    def test_5_packet_out_byte_for_byte(self):
        pb = self.ofport("pb")
        f = vsw.frame("02:00:00:00:00:0b", "02:00:00:00:00:0a", payload=b"packet-out", seq=7)
        got = self.exchange(None, lambda: ofctl("packet-out", OFP, "CONTROLLER",
                                                "output:%d" % pb, f.hex()), "ab")
        self.assertEqual(got["b"], [f])
        self.assertEqual(got["a"], [])
        # output:TABLE from pa: the table's normal rule floods it to pb.
        pa = self.ofport("pa")
        g = vsw.frame(BCAST, "02:00:00:00:00:0c", payload=b"table", seq=8)
        got = self.exchange(None, lambda: ofctl("packet-out", OFP, str(pa), "TABLE", g.hex()),
                            "ab")
        self.assertEqual(got, {"a": [], "b": [g]})
        # Refused: a port that does not exist, an action not supported.
        r = ofctl("packet-out", OFP, "CONTROLLER", "output:77", f.hex(), check=False)
        self.assertNotEqual(r.returncode, 0)

    def test_6_bad_input(self):
        p = Peer()
        self.assertEqual(p.error_of(msg(99)), (1, 1))                     # BAD_TYPE
        self.assertEqual(p.error_of(msg(4, struct.pack("!II", 0x12345678, 1))), (1, 3))
        self.assertEqual(p.error_of(msg(5, version=3)), (1, 0))           # BAD_VERSION
        self.assertEqual(p.error_of(msg(5, b"xx")), (1, 6))               # features: BAD_LEN
        self.assertEqual(p.error_of(msg(6)), (1, 1))                      # a switch's message
        self.assertEqual(p.error_of(msg(18, struct.pack("!HH4x", 99, 0))), (1, 2))
        self.assertEqual(p.error_of(msg(24, b"\0" * 4)), (1, 6))          # role: BAD_LEN
        r = p.ask(msg(20, xid=77))                                        # still answers
        self.assertEqual((r[0], r[1]), (21, 77))
        # A length under the header's: closed.
        p.s.sendall(struct.pack("!BBHI", 4, 0, 4, 1))
        self.assertTrue(p.closed())
        # A version the switch does not speak: HELLO_FAILED, closed.
        p = Peer(hello=False)
        p.s.sendall(msg(0, version=1))
        r = p.recv()
        self.assertEqual((r[0],) + struct.unpack("!HH", r[2][:4]), (1, 0, 0))
        self.assertTrue(p.closed())
        # Garbage first: not a HELLO, closed.
        p = Peer(hello=False)
        p.s.sendall(b"\x04\xff" + os.urandom(300))
        self.assertTrue(p.closed())
        # A peer that stalls in the middle of a message: the switch goes on
        # serving the others, and forwarding.
        stall = Peer()
        stall.s.sendall(msg(20, b"\0" * 100)[:50])
        self.assertIn("n_tables:255", ofctl("show", OFP).stdout)
        self.assertTrue(self.forwards())
        stall.s.sendall(msg(20, b"\0" * 100)[50:])   # the rest: the message is whole
        r = stall.recv()
        self.assertEqual((r[0], r[1]), (21, 1))
        stall.close()
        self.assertTrue(self.sw.alive())
        self.assertTrue(self.forwards())

    def test_8_flow_mods_from_ofctl(self):
        pa, pb = self.ofport("pa"), self.ofport("pb")
        a = self.ns["a"]
        # A rule the controller path installs, checked at the port the frame leaves by.
        ofctl("add-flow", OFP, "priority=500,cookie=0x77,in_port=%d,actions=output:%d" % (pa, pb))
        flows = self.sw.ctl("dump-flows", "br0").stdout
        self.assertIn("cookie=0x77", flows)
        f = vsw.frame("02:00:00:00:00:0b", a.mac, payload=b"flow-mod", seq=3)
        got = self.exchange("a", [f], "b")
        self.assertEqual(got["b"], [f])
        # A drop rule above it stops the frame; del-flows --strict takes it away again.
        ofctl("add-flow", OFP, "priority=600,in_port=%d,actions=drop" % pa)
        self.assertFalse(self.forwards())
        ofctl("del-flows", OFP, "--strict", "priority=600,in_port=%d" % pa)
        self.assertTrue(self.forwards())
        # mod-flows that selects nothing adds nothing (OpenFlow 1.3).
        ofctl("mod-flows", OFP, "cookie=0x99/-1,in_port=%d,actions=drop" % pb)
        self.assertNotIn("cookie=0x99", self.sw.ctl("dump-flows", "br0").stdout)
        # table= and goto_table reach the table; a backward goto is refused.
        ofctl("add-flow", OFP, "table=3,priority=5,cookie=0x33,actions=NORMAL")
        self.assertIn("cookie=0x33", self.sw.ctl("dump-flows", "br0").stdout)
        r = ofctl("add-flow", OFP, "table=3,priority=6,actions=goto_table:2", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("BAD_TABLE_ID", r.stderr)
        # An output to a port the bridge does not have: BAD_OUT_PORT, the switch goes on.
        r = ofctl("add-flow", OFP, "priority=7,actions=output:77", check=False)
        self.assertIn("OFPBAC_BAD_OUT_PORT", r.stderr)
        # Deleting by cookie takes the controller's rules away.
        ofctl("del-flows", OFP, "cookie=0x77/-1")
        ofctl("del-flows", OFP, "table=3,cookie=0x33/-1")
        flows = self.sw.ctl("dump-flows", "br0").stdout
        self.assertNotIn("cookie=0x77", flows)
        self.assertNotIn("cookie=0x33", flows)
        self.assertTrue(self.forwards())

    def test_7_roles_and_generations(self):
        role = lambda r, g: msg(24, struct.pack("!I4xQ", r, g))  # noqa: E731
        a, b = Peer(), Peer()
        t, _, body = a.ask(role(2, 5))
        self.assertEqual((t,) + struct.unpack("!I4xQ", body), (25, 2, 5))
        self.assertEqual(b.error_of(role(3, 3)), (11, 0))                # STALE
        t, _, body = b.ask(role(2, 6))
        self.assertEqual((t,) + struct.unpack("!I4xQ", body), (25, 2, 6))
        t, _, body = a.ask(role(0, 0))                                    # a was demoted
        self.assertEqual(struct.unpack("!I4xQ", body)[0], 3)
        po = struct.pack("!IIH6x", 0xffffffff, OFPP_CONTROLLER, 0) + b"\0" * 60
        self.assertEqual(a.error_of(msg(13, po)), (1, 10))               # IS_SLAVE
        self.assertEqual(a.error_of(role(7, 9)), (11, 2))                 # BAD_ROLE
        a.close()
        b.close()

    def test_8_echo_keepalive_and_dead_peer(self):
        p = Peer()
        start = time.monotonic()
        r = p.recv(timeout=8)
        self.assertEqual(r[0], 2)           # ECHO_REQUEST after 5 s idle
        self.assertGreater(time.monotonic() - start, 4)
        t, xid, body = p.ask(msg(2, b"ping", xid=9), skip=())
        self.assertEqual((t, xid, body), (3, 9, b"ping"))
        self.assertTrue(p.closed(timeout=14))   # never answered: dead within 5 s of the echo
        self.assertLess(time.monotonic() - start, 20)

    def test_9_persisted_and_shown(self):
        self.sw.ctl("set-fail-mode", "br0", "secure")
        show = self.sw.ctl("show").stdout
        self.assertIn("fail mode secure", show)
        self.assertIn("Controller ptcp:%d:127.0.0.1: listening" % PORT, show)
        r = self.sw.ctl("set-controller", "br0", "ssl:1.2.3.4:6653", check=False)
        self.assertIn("run vswitchctl set-ssl", r.stderr)  # TLS: test_ofp_tls.py
        r = self.sw.ctl("set-fail-mode", "br0", "open", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(self.sw.stop(), 0)
        self.sw.start()
        self.assertEqual(self.sw.ctl("get-controller", "br0").stdout.split(),
                         ["ptcp:%d:127.0.0.1" % PORT])
        self.assertEqual(self.sw.ctl("get-fail-mode", "br0").stdout.strip(), "secure")
        vsw.wait_for(lambda: ofctl("show", OFP, check=False).returncode == 0, 10,
                     "the listener after a restart")
        self.sw.ctl("del-controller", "br0")
        self.assertEqual(self.sw.ctl("get-controller", "br0").stdout, "")
        self.assertNotEqual(ofctl("show", OFP, check=False, timeout=10).returncode, 0)


if __name__ == "__main__":
    vsw.main()
