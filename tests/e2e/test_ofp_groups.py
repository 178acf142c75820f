#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Groups, FLOW_REMOVED and bundles over the OpenFlow channel, with real
peers: ovs-ofctl -O OpenFlow13 add-group/mod-group/del-groups/dump-groups/
dump-group-stats/dump-group-features and --bundle, against the bridge's
passive listener, and a raw socket for the asynchronous FLOW_REMOVED.
Frames go through all and select groups between network namespaces; the
same groups are seen through vswitchctl (one action behind both front
ends), and what is saved survives a restart."""
import os
import struct
import unittest

import ofp
import vsw
from ofp import HELLO13, msg, ofctl

BCAST = "ff:ff:ff:ff:ff:ff"
PORT = 20000 + (os.getpid() + 5000) % 10000
OFP = "tcp:127.0.0.1:%d" % PORT


class Peer(ofp.Peer):
    def __init__(self, **kw):
        super().__init__(PORT, **kw)


class OfpGroups(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("ofg")
        cls.sw.start()
        cls.sw.ctl("add-br", "br0")
        cls.ns = cls.sw.add_netns_ports("br0", "abc")
        ofp.listen(cls.sw, "br0", PORT)

    @classmethod
    def tearDownClass(cls):
        assert cls.sw.stop() == 0

    def ofport(self, name):
        return ofp.ofport(OFP, name)

    def exchange(self, sender, frames, receivers):
        return vsw.exchange(self.ns, sender, frames, receivers)

    def frames(self, n, first=0):
        a = self.ns["a"]
        return [vsw.frame("02:00:00:00:00:99", a.mac, seq=s) for s in range(first, first + n)]

    def refused(self, *args):
        r = ofctl(*args, check=False)
        self.assertNotEqual(r.returncode, 0, "ovs-ofctl %s succeeded" % " ".join(args))
        return r.stderr

    def test_1_features(self):
        out = ofctl("dump-group-features", OFP).stdout
        self.assertIn("OFPST_GROUP_FEATURES reply (OF1.3)", out)
        self.assertIn("Types:  0xf", out)          # all select indirect ff
        self.assertIn("Capabilities:  0xf", out)   # weight liveness chaining checks
        self.assertEqual(out.count("max_groups=0x1000"), 4)
        self.assertIn("fast failover group:", out)
        self.assertIn("actions: output group set_field strip_vlan push_vlan", out)

    def test_2_all_and_select_forward(self):
        pa, pb, pc = self.ofport("pa"), self.ofport("pb"), self.ofport("pc")
        ofctl("add-group", OFP, "group_id=1,type=all,bucket=output:%d,bucket=output:%d" %
              (pb, pc))
        ofctl("add-flow", OFP, "priority=100,in_port=%d,actions=group:1" % pa)
        got = self.exchange("a", self.frames(5), "bc")
        self.assertEqual(vsw.seqs(got["b"]), list(range(5)))
        self.assertEqual(vsw.seqs(got["c"]), list(range(5)))
        out = ofctl("dump-groups", OFP).stdout
        self.assertIn("group_id=1,type=all,bucket=actions=output:%d,bucket=actions=output:%d" %
                      (pb, pc), out.replace("bucket=bucket_id", "bucket="))
        stats = ofctl("dump-group-stats", OFP).stdout
        self.assertIn("group_id=1,duration=", stats)
        self.assertIn("ref_count=1,packet_count=5,byte_count=320", stats)
        self.assertIn("bucket0:packet_count=5,byte_count=320", stats)
        # The same group through vswitchctl: one table behind both.
        self.assertIn("group_id=1,type=all,bucket=actions=output:pb,bucket=actions=output:pc",
                      self.sw.ctl("dump-groups", "br0").stdout)
        # select: one flow, one bucket, every frame; the weights kept.
        ofctl("mod-group", OFP, "group_id=1,type=select,bucket=weight:3,output:%d,"
              "bucket=weight:5,output:%d" % (pb, pc))
        got = self.exchange("a", self.frames(10), "bc")
        self.assertEqual(sorted([len(got["b"]), len(got["c"])]), [0, 10])
        self.assertIn("bucket=weight:3,actions=output:%d" % pb,
                      ofctl("dump-groups", OFP).stdout.replace("bucket_id:0,", ""))
        stats = ofctl("dump-group-stats", OFP, "group_id=1").stdout
        self.assertIn("packet_count=10,", stats)  # counters start again on modify

    def test_3_errors(self):
        pb = self.ofport("pb")
        ofctl("add-group", OFP, "group_id=20,type=all,bucket=output:%d" % pb)
        self.assertIn("OFPGMFC_GROUP_EXISTS",
                      self.refused("add-group", OFP, "group_id=20,type=all,bucket=output:%d" % pb))
        self.assertIn("OFPGMFC_UNKNOWN_GROUP",
                      self.refused("mod-group", OFP, "group_id=21,type=all,bucket=output:%d" % pb))
        ofctl("add-group", OFP, "group_id=21,type=indirect,bucket=group:20")
        self.assertIn("OFPGMFC_LOOP",
                      self.refused("mod-group", OFP, "group_id=20,type=all,bucket=group:21"))
        self.assertIn("OFPGMFC_BAD_WATCH",
                      self.refused("add-group", OFP,
                                   "group_id=22,type=ff,bucket=watch_group:77,output:%d" % pb))
        self.assertIn("OFPGMFC_BAD_WATCH",
                      self.refused("add-group", OFP,
                                   "group_id=22,type=ff,bucket=watch_port:99,output:%d" % pb))
        self.assertIn("OFPBAC_BAD_OUT_GROUP",
                      self.refused("add-group", OFP, "group_id=22,type=all,bucket=group:78"))
        self.assertIn("OFPGMFC_CHAINED_GROUP", self.refused("del-groups", OFP, "group_id=20"))
        self.assertIn("OFPBAC_BAD_OUT_PORT",
                      self.refused("add-group", OFP, "group_id=22,type=all,bucket=output:99"))
        # Chains deeper than 8: CHAINING_UNSUPPORTED.
        ofctl("add-group", OFP, "group_id=37,type=all,bucket=output:%d" % pb)
        for g in range(36, 29, -1):
            ofctl("add-group", OFP, "group_id=%d,type=indirect,bucket=group:%d" % (g, g + 1))
        self.assertIn("OFPGMFC_CHAINING_UNSUPPORTED",
                      self.refused("add-group", OFP, "group_id=29,type=indirect,bucket=group:30"))
        ofctl("del-groups", OFP, "group_id=21")
        ofctl("del-groups", OFP, "group_id=20")
        for g in range(30, 38):
            ofctl("del-groups", OFP, "group_id=%d" % g)
        self.assertNotIn("group_id=20", ofctl("dump-groups", OFP).stdout)

    def test_4_del_groups_deletes_its_rules_and_nothing_is_saved(self):
        pa, pb = self.ofport("pa"), self.ofport("pb")
        # The operator's group 10, changed by the controller: still saved.
        self.sw.ctl("add-group", "br0", "group_id=10,type=all,bucket=output:pc")
        ofctl("mod-group", OFP, "group_id=10,type=all,bucket=output:%d" % pb)
        ofctl("add-group", OFP, "group_id=11,type=all,bucket=output:%d" % pb)
        # A saved group may not name the controller's group 11.
        r = self.sw.ctl("add-group", "br0", "group_id=12,type=indirect,bucket=group:11",
                        check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("not saved", r.stderr)
        ofctl("add-flow", OFP, "priority=90,in_port=%d,dl_type=0x88b5,actions=group:11" % pa)
        # (the flows through vswitchctl: OFPMP_FLOW is another change's)
        self.assertIn("group:11", self.sw.ctl("dump-flows", "br0").stdout)
        ofctl("del-groups", OFP, "group_id=11")
        self.assertNotIn("group:11", self.sw.ctl("dump-flows", "br0").stdout)
        ofctl("add-group", OFP, "group_id=11,type=all,bucket=output:%d" % pb)
        self.assertEqual(self.sw.stop(), 0)
        self.sw.start()
        vsw.wait_for(lambda: ofctl("show", OFP, check=False).returncode == 0, 10,
                     "the listener after a restart")
        out = ofctl("dump-groups", OFP).stdout
        self.assertIn("group_id=10,type=all,bucket=actions=output:%d" % pb,
                      out.replace("bucket=bucket_id:0,", "bucket="))
        self.assertNotIn("group_id=11", out)
        self.assertNotIn("group_id=1,", out)
        ofctl("del-groups", OFP)
        self.assertNotIn("group_id", ofctl("dump-groups", OFP).stdout)


    # ---- FLOW_REMOVED ----

    def flow_removed(self, peer, timeout=6):
        r = peer.wait_type(11, timeout)
        if r is None:
            return None
        b = r[2]
        cookie, prio, reason, table, dur, _, idle, hard, pk, by = struct.unpack(
            "!QHBBIIHHQQ", b[:40])
        return {"cookie": cookie, "priority": prio, "reason": reason, "table": table,
                "duration": dur, "idle": idle, "hard": hard, "packets": pk, "bytes": by,
                "match": b[40:]}

    def test_5_flow_removed(self):
        pa, pb = self.ofport("pa"), self.ofport("pb")
        p = Peer()
        try:
            # A delete, with its counts and match (eth_type 0x88b5 in OXM).
            ofctl("add-flow", OFP, "table=0,cookie=0x42,priority=77,in_port=%d,dl_type=0x88b5,"
                  "send_flow_rem,actions=output:%d" % (pa, pb))
            got = self.exchange("a", self.frames(5), "b")
            self.assertEqual(len(got["b"]), 5)
            ofctl("del-flows", OFP, "cookie=0x42/-1")
            fr = self.flow_removed(p)
            self.assertIsNotNone(fr, "no FLOW_REMOVED for a delete")
            self.assertEqual((fr["cookie"], fr["priority"], fr["reason"], fr["table"]),
                             (0x42, 77, 2, 0))
            self.assertEqual((fr["packets"], fr["bytes"]), (5, 320))
            self.assertIn(bytes.fromhex("80000a0288b5"), fr["match"])  # eth_type
            # A hard timeout, then an idle one: their reasons and timeouts.
            ofctl("add-flow", OFP, "priority=78,dl_type=0x88b7,hard_timeout=1,send_flow_rem,"
                  "actions=drop")
            fr = self.flow_removed(p)
            self.assertIsNotNone(fr, "no FLOW_REMOVED for a hard timeout")
            self.assertEqual((fr["priority"], fr["reason"], fr["hard"]), (78, 1, 1))
            ofctl("add-flow", OFP, "priority=79,dl_type=0x88b7,idle_timeout=1,send_flow_rem,"
                  "actions=drop")
            fr = self.flow_removed(p)
            self.assertIsNotNone(fr, "no FLOW_REMOVED for an idle timeout")
            self.assertEqual((fr["priority"], fr["reason"], fr["idle"]), (79, 0, 1))
            # Its group deleted: GROUP_DELETE.
            ofctl("add-group", OFP, "group_id=50,type=all,bucket=output:%d" % pb)
            ofctl("add-flow", OFP, "priority=80,dl_type=0x88b8,send_flow_rem,actions=group:50")
            ofctl("del-groups", OFP, "group_id=50")
            fr = self.flow_removed(p)
            self.assertIsNotNone(fr, "no FLOW_REMOVED for a group's deletion")
            self.assertEqual((fr["priority"], fr["reason"]), (80, 3))
            # Without send_flow_rem: nothing.
            ofctl("add-flow", OFP, "priority=81,dl_type=0x88b9,actions=drop")
            ofctl("del-flows", OFP, "dl_type=0x88b9")
            self.assertIsNone(self.flow_removed(p, timeout=1))
            # The async mask: deletes masked out (idle, hard, group_delete kept).
            p.s.sendall(msg(28, struct.pack("!6I", 3, 0, 7, 0, 0xb, 0)))
            ofctl("add-flow", OFP, "priority=82,dl_type=0x88ba,send_flow_rem,actions=drop")
            ofctl("del-flows", OFP, "dl_type=0x88ba")
            self.assertIsNone(self.flow_removed(p, timeout=1))
            p.s.sendall(msg(28, struct.pack("!6I", 3, 0, 7, 0, 0xf, 0)))
            ofctl("add-flow", OFP, "priority=83,dl_type=0x88bb,send_flow_rem,actions=drop")
            self.sw.ctl("del-flows", "br0", "dl_type=0x88bb")  # the operator's delete too
            fr = self.flow_removed(p)
            self.assertIsNotNone(fr)
            self.assertEqual((fr["priority"], fr["reason"]), (83, 2))
        finally:
            p.close()


    # ---- bundles (the ONF extension in 1.3) ----

    def rules(self):
        return sorted(self.sw.ctl("dump-flows", "br0").stdout.split("\n"))

    def bundle_file(self, lines):
        path = os.path.join(self.sw.rundir, "bundle.txt")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def test_6_bundle_is_all_or_nothing(self):
        pa, pb = self.ofport("pa"), self.ofport("pb")
        ofctl("add-flow", OFP, "priority=60,dl_type=0x88c0,actions=drop")
        before = self.rules()
        # A FLOW_MOD refused when added (no port 99): nothing applies.
        bad = self.bundle_file(["priority=61,dl_type=0x88c1,actions=output:%d" % pb,
                                "priority=62,dl_type=0x88c2,actions=output:99",
                                "priority=63,dl_type=0x88c3,actions=drop"])
        r = ofctl("--bundle", "add-flows", OFP, bad, check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("OFPBAC_BAD_OUT_PORT", r.stderr)
        self.assertEqual(self.rules(), before)
        # One refused at commit (check_overlap against priority 60): nothing.
        bad = self.bundle_file(["priority=64,dl_type=0x88c4,actions=drop",
                                "priority=60,in_port=%d,check_overlap,actions=drop" % pa])
        r = ofctl("--bundle", "add-flows", OFP, bad, check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("OFPFMFC_OVERLAP", r.stderr)
        self.assertIn("OFPBFC_MSG_FAILED", r.stderr)
        self.assertEqual(self.rules(), before)
        # All good: all in, at once.
        good = self.bundle_file(["priority=65,dl_type=0x88c5,actions=output:%d" % pb,
                                 "priority=66,dl_type=0x88c6,actions=drop",
                                 "priority=60,dl_type=0x88c0,actions=output:%d" % pb])
        ofctl("--bundle", "add-flows", OFP, good)
        after = "\n".join(self.rules())
        self.assertIn("priority=65,dl_type=0x88c5 actions=output:pb", after.replace(",actions", " actions"))
        self.assertIn("0x88c6", after)
        self.assertEqual(len(self.rules()), len(before) + 2)  # priority 60 modified in place
        # replace-flows: ovs-ofctl dumps the table (OFPMP_FLOW), then sends
        # the difference as one bundle. One bad rule: nothing changes.
        before = self.rules()
        bad = self.bundle_file(["priority=0,actions=NORMAL",
                                "priority=71,dl_type=0x88d1,actions=output:99"])
        r = ofctl("--bundle", "replace-flows", OFP, bad, check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("OFPBAC_BAD_OUT_PORT", r.stderr)
        self.assertEqual(self.rules(), before)
        good = self.bundle_file(["priority=0,actions=NORMAL",
                                 "priority=71,dl_type=0x88d1,actions=drop"])
        ofctl("--bundle", "replace-flows", OFP, good)
        flows = [f["flow"] for f in self.sw.ctlj("dump-flows", "br0")["flows"]]
        self.assertEqual(sorted(flows), ["priority=0,actions=NORMAL",
                                         "priority=71,dl_type=0x88d1,actions=drop"])

    def bundle_msg(self, exp_type, body, xid=1):
        return msg(4, struct.pack("!II", 0x4f4e4600, exp_type) + body, xid=xid)

    def ctrl(self, bid, typ, flags=3, xid=1):
        return self.bundle_msg(2300, struct.pack("!IHH", bid, typ, flags), xid)

    def add_msg(self, bid, inner, xid, flags=3):
        return self.bundle_msg(2301, struct.pack("!I2xH", bid, flags) + inner, xid)

    def flow_mod(self, xid, prio, eth_type):
        """FLOW_MOD ADD table 0 of eth_type=X, actions=drop (no instructions)."""
        oxm = struct.pack("!IH", 0x80000a02, eth_type)
        match = struct.pack("!HH", 1, 4 + len(oxm)) + oxm
        match += bytes((8 - len(match) % 8) % 8)
        body = struct.pack("!QQBBHHHIIIH2x", 0, 0, 0, 0, 0, 0, prio, 0xffffffff, 0xffffffff,
                           0xffffffff, 0) + match
        return msg(14, body, xid=xid)

    def bundle_error(self, p, m):
        r = p.ask(m)
        self.assertEqual(r[0], 1, "expected an ERROR, got %r" % (r,))
        typ, code, exp = struct.unpack("!HHI", r[2][:8])
        self.assertEqual((typ, exp), (0xffff, 0x4f4e4600))
        return code - 2300

    def test_7_bundle_protocol(self):
        p = Peer()
        try:
            r = p.ask(self.ctrl(1, 0, xid=5))
            self.assertEqual((r[0], r[1]), (4, 5))
            self.assertEqual(struct.unpack("!IIIHH", r[2][:16]), (0x4f4e4600, 2300, 1, 1, 3))
            self.assertEqual(self.bundle_error(p, self.ctrl(1, 0)), 3)        # BUNDLE_EXIST
            self.assertEqual(self.bundle_error(p, self.ctrl(77, 2)), 2)       # BAD_ID
            self.assertEqual(self.bundle_error(p, self.ctrl(1, 9)), 6)        # BAD_TYPE
            self.assertEqual(self.bundle_error(p, self.ctrl(2, 0, flags=8)), 7)  # BAD_FLAGS
            # xid of the inner message must be the ADD's; then a FEATURES inside.
            self.assertEqual(self.bundle_error(
                p, self.add_msg(1, self.flow_mod(8, 5, 0x88d0), xid=9)), 9)  # MSG_BAD_XID
            self.assertEqual(self.bundle_error(p, self.add_msg(1, msg(5, xid=10), 10)), 10)
            self.assertEqual(self.bundle_error(p, self.ctrl(1, 4)), 13)       # MSG_FAILED
            # A refused message among good ones: the commit applies none.
            self.assertEqual(p.ask(self.ctrl(3, 0))[0], 4)
            p.s.sendall(self.add_msg(3, self.flow_mod(11, 5, 0x88cf), 11))
            self.assertEqual(self.bundle_error(p, self.add_msg(3, msg(5, xid=12), 12)), 10)
            self.assertEqual(self.bundle_error(p, self.ctrl(3, 4)), 13)       # MSG_FAILED
            self.assertNotIn("0x88cf", self.sw.ctl("dump-flows", "br0").stdout)
            # Bounded: 4 open bundles a session.
            for bid in range(10, 14):
                self.assertEqual(p.ask(self.ctrl(bid, 0))[0], 4)
            self.assertEqual(self.bundle_error(p, self.ctrl(14, 0)), 5)       # OUT_OF_BUNDLES
            for bid in range(10, 14):
                self.assertEqual(p.ask(self.ctrl(bid, 6))[0], 4)             # DISCARD
            # CLOSE, then an ADD: BUNDLE_CLOSED. An ADD opens a bundle.
            p.s.sendall(self.add_msg(20, self.flow_mod(21, 5, 0x88d1), 21))
            self.assertEqual(p.ask(self.ctrl(20, 2))[0], 4)
            self.assertEqual(self.bundle_error(
                p, self.add_msg(20, self.flow_mod(22, 5, 0x88d2), 22)), 4)
            # Left open when the connection closes: discarded, never applied.
            p.s.sendall(self.add_msg(30, self.flow_mod(23, 5, 0x88d3), 23))
            self.assertEqual(p.ask(msg(20, xid=24))[0], 21)                  # barrier
        finally:
            gone = p.s.getsockname()[1]
            p.close()
        # The switch has seen the close (its session is gone) before the check.
        vsw.wait_for(lambda: ":%d\"" % gone not in self.sw.ctl("--json", "show").stdout, 10,
                     "the closed session to go")
        self.assertNotIn("0x88d3", self.sw.ctl("dump-flows", "br0").stdout)
        p = Peer()
        try:
            self.assertEqual(self.bundle_error(p, self.ctrl(30, 4)), 2)       # BAD_ID
            p.s.sendall(self.add_msg(31, self.flow_mod(25, 5, 0x88d4), 25))
            self.assertEqual(p.ask(self.ctrl(31, 4, xid=26))[0:2], (4, 26))  # committed
        finally:
            p.close()
        self.assertIn("0x88d4", self.sw.ctl("dump-flows", "br0").stdout)


if __name__ == "__main__":
    vsw.main()
