#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""OpenFlow 1.3 details a controller relies on, against the bridge's passive
listener with raw OpenFlow peers and ovs-ofctl -O OpenFlow13, frames from
network namespaces:
- a CONTROLLER action in a group bucket: the packet-in carries the table
  and cookie of the rule whose group:N sent the packet (NO_MATCH from a
  table-miss rule), as a rule's own output:CONTROLLER does;
- duration_nsec in flow stats and FLOW_REMOVED, consistent with _sec;
- dec_ttl meeting a TTL of 1: dropped and counted (ttl_exceeded), and, for a
  controller that asked (SET_CONFIG's OFPC_INVALID_TTL_TO_CONTROLLER, or
  the async mask), a packet-in OFPR_INVALID_TTL; GET_CONFIG shows the flag;
- TABLE_MOD: a no-op when valid, BAD_TABLE, BAD_CONFIG;
- meters: none (METER_FEATURES max_meter 0), METER_MOD refused with the
  codes OVS uses without meters, the meter instruction UNSUP_INST;
- a bundle idle for 60 s is discarded: its later messages get TIMEOUT,
  then BAD_ID, and nothing it held is applied."""
import os
import socket
import struct
import threading
import time
import unittest

import ofp
import vsw
from ofp import msg, ofctl

PORT = 20000 + (os.getpid() + 7000) % 10000
OFP = "tcp:127.0.0.1:%d" % PORT
ONF = 0x4f4e4600
BUNDLE_IDLE_S = 60  # control/openflow/of_int.h: VS_OF_BUNDLE_IDLE_MS
OFPR_NO_MATCH, OFPR_ACTION, OFPR_INVALID_TTL = 0, 1, 2
OFPC_INVALID_TTL_TO_CONTROLLER = 4


class Peer(ofp.Peer):
    """A raw peer that answers the switch's echo requests itself."""

    def __init__(self, **kw):
        super().__init__(PORT, **kw)

    def recv(self, timeout=10):
        end = time.monotonic() + timeout  # echoes do not stretch the wait
        while True:
            r = super().recv(max(0.01, end - time.monotonic()))
            if r is None or r[0] != 2:
                return r
            self.s.sendall(msg(3, r[2], xid=r[1]))

    def reply(self, m, want, xid):
        """Send 'm'; the first message of type 'want' (or ERROR) with 'xid'."""
        self.s.sendall(m)
        while True:
            r = self.recv()
            assert r is not None, "the switch closed the session"
            if r[1] == xid and r[0] in (want, 1):
                return r

    def quiet(self, m, xid):
        """Send 'm' and a barrier: the errors 'm' got, as (type, code)."""
        self.s.sendall(m + msg(20, xid=xid + 1))
        errs = []
        while True:
            r = self.recv()
            assert r is not None, "the switch closed the session"
            if r[0] == 1 and r[1] == xid:
                errs.append(struct.unpack("!HH", r[2][:4]))
            if r[0] == 21 and r[1] == xid + 1:
                return errs


def packet_in(body):
    """(reason, table_id, cookie, total_len) of a PACKET_IN's body."""
    _, total_len, reason, table, cookie = struct.unpack("!IHBBQ", body[:16])
    return reason, table, cookie, total_len


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff


def udp4(dst_mac, src_mac, ttl, dst="10.9.9.9", payload=b"ttl"):
    udp = struct.pack("!HHHH", 1000, 2000, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, ttl, 17, 0,
                     socket.inet_aton("10.0.0.1"), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return vsw.mac_bytes(dst_mac) + vsw.mac_bytes(src_mac) + b"\x08\x00" + ip + udp


def flow_mod(xid, cookie, priority, table=0, command=0, hard=0, flags=0):
    """A FLOW_MOD matching everything, without instructions (drop)."""
    return msg(14, struct.pack("!QQBBHHHIIIH2x", cookie, 0, table, command, 0, hard, priority,
                               0xffffffff, 0xffffffff, 0xffffffff, flags) +
               struct.pack("!HH4x", 1, 4), xid=xid)


def bundle_ctrl(xid, bid, typ, flags=0):
    return msg(4, struct.pack("!IIIHH", ONF, 2300, bid, typ, flags), xid=xid)


def bundle_add(xid, bid, inner, flags=0):
    return msg(4, struct.pack("!III2xH", ONF, 2301, bid, flags) + inner, xid=xid)


def bundle_err(r):
    """The exp_code of an ONF bundle error, or None."""
    if r is None or r[0] != 1:
        return None
    typ, code, exp = struct.unpack("!HHI", r[2][:8])
    return code if typ == 0xffff and exp == ONF else None


class Keeper(threading.Thread):
    """Keeps a bundle peer's session alive (its echoes answered) until
    stop(); what else it gets is thrown away."""

    def __init__(self, peer):
        super().__init__(daemon=True)
        self.peer, self.done = peer, threading.Event()

    def run(self):
        while not self.done.is_set():
            try:
                if self.peer.recv(0.2) is None:
                    return
            except socket.timeout:
                pass

    def stop(self):
        self.done.set()
        self.join(5)


class OfpConform(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("ofcf")
        cls.sw.start()
        cls.sw.ctl("add-br", "br0")
        cls.ns = cls.sw.add_netns_ports("br0", "ab")
        ofp.listen(cls.sw, "br0", PORT)
        cls.pa, cls.pb = ofp.ofport(OFP, "pa"), ofp.ofport(OFP, "pb")
        # A bundle that is left idle: test_9 looks at it after 60 s.
        cls.bpeer = Peer()
        r = cls.bpeer.reply(bundle_ctrl(900, 77, 0), 4, 900)
        assert bundle_err(r) is None and r[0] == 4, r
        cls.bpeer.s.sendall(bundle_add(901, 77, flow_mod(901, 0x99, 99)))
        cls.bundle_at = time.monotonic()
        cls.keeper = Keeper(cls.bpeer)
        cls.keeper.start()

    @classmethod
    def tearDownClass(cls):
        cls.keeper.stop()
        cls.bpeer.close()
        assert cls.sw.stop() == 0

    def setUp(self):
        self.peer = Peer()

    def tearDown(self):
        self.peer.close()
        for m in ("table=0", "table=2"):
            self.sw.ctl("del-flows", "br0", m)

    def send(self, frame):
        self.ns["a"].send([frame])

    def next_packet_in(self, timeout=10):
        r = self.peer.wait_type(10, timeout)
        return packet_in(r[2]) if r is not None else None

    def test_1_group_controller_has_the_rules_table_and_cookie(self):
        ofctl("add-group", OFP, "group_id=5,type=all,bucket=actions=controller")
        try:
            ofctl("add-flow", OFP, "table=0,priority=9,dl_type=0x88b5,actions=goto_table:2")
            ofctl("add-flow", OFP, "table=2,priority=7,cookie=0x77,dl_type=0x88b5,"
                  "actions=group:5")
            ofctl("add-flow", OFP, "table=0,priority=9,dl_type=0x88b6,actions=goto_table:2")
            ofctl("add-flow", OFP, "table=2,priority=0,cookie=0x78,actions=group:5")
            a = self.ns["a"]
            f = vsw.frame("ff:ff:ff:ff:ff:ff", a.mac, seq=1, size=100)
            self.send(f)
            self.assertEqual(self.next_packet_in(), (OFPR_ACTION, 2, 0x77, 100))
            # From a table-miss rule: NO_MATCH, as its own CONTROLLER would say.
            self.send(f[:12] + b"\x88\xb6" + f[14:])
            self.assertEqual(self.next_packet_in(), (OFPR_NO_MATCH, 2, 0x78, 100))
        finally:
            self.sw.ctl("del-flows", "br0", "table=2")
            ofctl("del-groups", OFP, "group_id=5")

    def flow_durations(self, xid):
        req = struct.pack("!HH4xB3xII4xQQ", 1, 0, 0xff, 0xffffffff, 0xffffffff, 0, 0) + \
            struct.pack("!HH4x", 1, 4)
        r = self.peer.reply(msg(18, req, xid=xid), 19, xid)
        body, out = r[2][8:], {}
        while body:
            ln, = struct.unpack("!H", body[:2])
            sec, nsec = struct.unpack("!II", body[4:12])
            cookie, = struct.unpack("!Q", body[24:32])
            out[cookie] = (sec, nsec)
            body = body[ln:]
        return out

    def test_2_duration_nsec_in_flow_stats_and_flow_removed(self):
        ofctl("add-flow", OFP, "priority=3,cookie=0x21,dl_type=0x88b7,actions=drop")
        secs = lambda d: d[0] + d[1] / 1e9
        outer0 = time.monotonic()
        d0 = self.flow_durations(50)[0x21]
        inner0 = time.monotonic()
        # Read the duration again until half a second has passed between
        # the two readings on this clock: what is measured is the time
        # passing, so the test's bounds below come from the clock, not
        # from how fast this machine answers.
        xid = 51
        while True:
            inner1 = time.monotonic()
            d1 = self.flow_durations(xid)[0x21]
            outer1 = time.monotonic()
            if inner1 - inner0 >= 0.5:
                break
            xid += 1
            time.sleep(0.05)  # the poll's interval
        for sec, nsec in (d0, d1):
            self.assertLess(nsec, 10 ** 9)
        # The durations moved on as the clock did, nanoseconds and all:
        # at least the time from the first reply to the last request, at
        # most the time from the first request to the last reply (10 ms
        # for reading two clocks).
        moved = secs(d1) - secs(d0)
        self.assertGreaterEqual(moved, inner1 - inner0 - 0.01, (d0, d1, inner1 - inner0))
        self.assertLessEqual(moved, outer1 - outer0 + 0.01, (d0, d1, outer1 - outer0))
        # FLOW_REMOVED of a hard_timeout=1 rule: to the nanosecond.
        self.peer.s.sendall(flow_mod(52, 0x22, 4, hard=1, flags=1))
        r = self.peer.wait_type(11, 10)
        self.assertIsNotNone(r, "no FLOW_REMOVED")
        cookie, _, reason, _, sec, nsec = struct.unpack("!QHBBII", r[2][:20])
        self.assertEqual((cookie, reason), (0x22, 1))  # OFPRR_HARD_TIMEOUT
        self.assertIn(sec, (0, 1, 2))  # the timeout scan runs on whole seconds
        self.assertNotEqual(nsec, 0)
        self.assertLess(nsec, 10 ** 9)

    def test_3_invalid_ttl(self):
        a, b = self.ns["a"], self.ns["b"]
        self.sw.ctl("add-flow", "br0", "priority=50,cookie=0x31,ip,nw_dst=10.9.9.9,"
                    "actions=dec_ttl,output:pb")
        drops = lambda: self.sw.stats("pa")["drops"]["ttl_exceeded"]
        bad = udp4(b.mac, a.mac, 1)
        # By default: dropped and counted, nothing to the controller.
        before = drops()
        self.send(bad)
        vsw.wait_for(lambda: drops() == before + 1, 10, "the ttl_exceeded drop")
        self.assertEqual(self.peer.quiet(msg(7, xid=60), 60), [])
        self.assertIsNone(self.next_packet_in(1))
        # Asked for: a packet-in OFPR_INVALID_TTL with the rule's table and
        # cookie and the whole frame; still counted as dropped.
        self.assertEqual(self.peer.quiet(msg(9, struct.pack("!HH", OFPC_INVALID_TTL_TO_CONTROLLER,
                                                           0xffff), xid=62), 62), [])
        r = self.peer.reply(msg(7, xid=64), 8, 64)
        self.assertEqual(struct.unpack("!HH", r[2][:4]), (OFPC_INVALID_TTL_TO_CONTROLLER, 0xffff))
        self.send(bad)
        self.assertEqual(self.next_packet_in(), (OFPR_INVALID_TTL, 0, 0x31, len(bad)))
        vsw.wait_for(lambda: drops() == before + 2, 10, "the ttl_exceeded drop")
        # A TTL of 64 goes through, with no packet-in.
        got = vsw.exchange(self.ns, "a", [udp4(b.mac, a.mac, 64)], "b", ethertype=0x0800)
        self.assertEqual([f[22] for f in got["b"]], [63])
        self.assertIsNone(self.next_packet_in(0.5))
        # The flag cleared: none again.
        self.peer.quiet(msg(9, struct.pack("!HH", 0, 0xffff), xid=66), 66)
        self.send(bad)
        vsw.wait_for(lambda: drops() == before + 3, 10, "the ttl_exceeded drop")
        self.assertEqual(self.peer.quiet(msg(7, xid=68), 68), [])
        self.assertIsNone(self.next_packet_in(1))

    def test_4_table_mod(self):
        """1.3 deprecates every config bit: a valid TABLE_MOD changes
        nothing and gets no reply. Tables 0-254 all exist and 255 is
        OFPTT_ALL, so no table_id is out of range (BAD_TABLE)."""
        tm = lambda xid, table, config: msg(17, struct.pack("!B3xI", table, config), xid=xid)
        self.assertEqual(self.peer.quiet(tm(70, 0, 0), 70), [])
        self.assertEqual(self.peer.quiet(tm(72, 0xff, 3), 72), [])    # ALL, deprecated bits
        self.assertEqual(self.peer.quiet(tm(74, 254, 0), 74), [])
        self.assertEqual(self.peer.quiet(tm(78, 0, 4), 78), [(8, 1)])  # BAD_CONFIG
        self.assertEqual(self.peer.quiet(tm(79, 3, 0x80000000), 79), [(8, 1)])
        self.assertEqual(self.peer.quiet(msg(17, b"\x00\x00\x00\x00", xid=80), 80), [(1, 6)])

    def test_5_no_meters(self):
        mm = lambda xid, cmd, mid: msg(29, struct.pack("!HHI", cmd, 0, mid) +
                                       struct.pack("!HHII4x", 1, 16, 1000, 0), xid=xid)
        self.assertEqual(self.peer.quiet(mm(90, 0, 1), 90), [(12, 10)])      # OUT_OF_METERS
        self.assertEqual(self.peer.quiet(mm(92, 1, 1), 92), [(12, 10)])
        self.assertEqual(self.peer.quiet(mm(94, 0, 0), 94), [(12, 2)])       # INVALID_METER
        self.assertEqual(self.peer.quiet(mm(96, 0, 0xffffffff), 96), [(12, 2)])
        self.assertEqual(self.peer.quiet(mm(98, 7, 1), 98), [(12, 4)])       # BAD_COMMAND
        self.assertEqual(self.peer.quiet(mm(100, 2, 1), 100), [])            # delete: nothing
        self.assertEqual(self.peer.quiet(msg(29, b"\x00" * 4, xid=102), 102), [(1, 6)])
        out = ofctl("meter-features", OFP).stdout
        self.assertIn("max_meter:0 max_bands:0 max_color:0", out)
        out = ofctl("dump-meters", OFP).stdout
        self.assertNotIn("meter=", out)
        r = ofctl("add-meter", OFP, "meter=1,kbps,band=type=drop,rate=1000", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("OFPMMFC_OUT_OF_METERS", r.stderr)
        r = ofctl("add-flow", OFP, "priority=1,actions=meter:1,output:%d" % self.pb, check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("OFPBIC_UNSUP_INST", r.stderr)
        r = self.sw.ctl("add-flow", "br0", "actions=meter:1", check=False)
        self.assertIn("meter actions are not supported by vswitch", r.stderr + r.stdout)

    def test_9_idle_bundle_is_discarded(self):
        # Another bundle, kept busy meanwhile, is not.
        self.peer.s.sendall(bundle_ctrl(200, 78, 0))
        self.assertEqual(self.peer.wait_type(4, 10)[1], 200)
        left = self.bundle_at + BUNDLE_IDLE_S + 1 - time.monotonic()
        end = time.monotonic() + max(0, left)
        while time.monotonic() < end:
            self.assertEqual(self.peer.quiet(bundle_add(201, 78, flow_mod(201, 0x98, 98)),
                                             201), [])
            time.sleep(min(5, max(0, end - time.monotonic())))
        self.keeper.stop()
        bp = self.bpeer
        r = bp.reply(bundle_add(902, 77, flow_mod(902, 0x97, 97)), 4, 902)
        self.assertEqual(bundle_err(r), 2314)                 # TIMEOUT
        r = bp.reply(bundle_ctrl(903, 77, 4), 4, 903)         # COMMIT
        self.assertEqual(bundle_err(r), 2314)
        r = bp.reply(bundle_ctrl(904, 77, 4), 4, 904)         # it is gone
        self.assertEqual(bundle_err(r), 2302)                 # BAD_ID
        r = self.peer.reply(bundle_ctrl(205, 78, 4), 4, 205)  # the busy one commits
        self.assertIsNone(bundle_err(r))
        cookies = [int(f["cookie"], 16) for f in self.sw.ctlj("dump-flows", "br0")["flows"]]
        self.assertNotIn(0x99, cookies)
        self.assertNotIn(0x97, cookies)
        self.assertIn(0x98, cookies)


if __name__ == "__main__":
    vsw.main()
