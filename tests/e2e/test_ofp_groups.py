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
import socket
import struct
import subprocess
import time
import unittest

import vsw

BCAST = "ff:ff:ff:ff:ff:ff"
PORT = 20000 + (os.getpid() + 5000) % 10000
OFP = "tcp:127.0.0.1:%d" % PORT


def ofctl(*args, check=True, timeout=20):
    r = subprocess.run(["ovs-ofctl", "-O", "OpenFlow13"] + list(args), capture_output=True,
                       text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError("ovs-ofctl %s: %s" % (" ".join(args), r.stderr))
    return r


def msg(t, body=b"", xid=1, version=4):
    return struct.pack("!BBHI", version, t, 8 + len(body), xid) + body


HELLO13 = msg(0, struct.pack("!HHI", 1, 8, 1 << 4))


class Peer:
    """A raw OpenFlow 1.3 peer on the listener (from test_openflow.py)."""

    def __init__(self):
        self.s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
        self.buf = b""
        t, _, _ = self.recv()
        assert t == 0, "the switch must start with HELLO"
        self.s.sendall(HELLO13)

    def recv(self, timeout=10):
        """(type, xid, body) of the next message; None if the switch closed."""
        self.s.settimeout(timeout)
        while len(self.buf) < 8 or len(self.buf) < struct.unpack("!H", self.buf[2:4])[0]:
            d = self.s.recv(65536)
            if not d:
                return None
            self.buf += d
        ln = struct.unpack("!H", self.buf[2:4])[0]
        m, self.buf = self.buf[:ln], self.buf[ln:]
        return m[1], struct.unpack("!I", m[4:8])[0], m[8:]

    def ask(self, m, skip=(2, 12)):
        self.s.sendall(m)
        while True:
            r = self.recv()
            if r is None or r[0] not in skip:
                return r

    def wait_type(self, t, timeout):
        """The next message of type 't' within 'timeout' s, or None."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                r = self.recv(max(0.05, end - time.monotonic()))
            except socket.timeout:
                return None
            if r is None:
                return None
            if r[0] == t:
                return r
        return None

    def close(self):
        self.s.close()


class OfpGroups(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("ofg")
        cls.sw.start()
        cls.sw.ctl("add-br", "br0")
        cls.ns = cls.sw.add_netns_ports("br0", "abc")
        cls.sw.ctl("set-controller", "br0", "ptcp:%d:127.0.0.1" % PORT)
        vsw.wait_for(lambda: ofctl("show", OFP, check=False).returncode == 0, 10,
                     "the OpenFlow listener")

    @classmethod
    def tearDownClass(cls):
        assert cls.sw.stop() == 0

    def ofport(self, name):
        for line in ofctl("dump-ports-desc", OFP).stdout.splitlines():
            line = line.strip()
            if "(%s)" % name in line:
                return int(line.split("(")[0])
        raise AssertionError("no port %s in dump-ports-desc" % name)

    def exchange(self, sender, frames, receivers, timeout=1.5):
        rx = {n: self.ns[n].recv_start(timeout=timeout) for n in receivers}
        self.ns[sender].send(frames)
        return {n: vsw.Netns.recv_result(p) for n, p in rx.items()}

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


if __name__ == "__main__":
    vsw.main()
