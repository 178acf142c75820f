#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""vswitch under a real SDN controller: os-ken (osken-manager) running
tests/e2e/osken_l2.py, a simple_switch_13-style learning switch, drives
bridge br0 over OpenFlow 1.3 while three namespaces ping each other
through af_packet ports. Checked: the first packets go by packet-in and
packet-out, the later ones by the rules the controller installed (their
counters grow, the packet-in counter does not); the packet-in fields the
controller saw (reason NO_MATCH from the table-miss rule, ACTION
otherwise, table id, cookie, match with in_port and metadata, total_len,
data cut to max_len, no buffer); with the controller gone, fail mode
secure keeps the rules and drops new pairs (counted), standalone falls
back to learning after its delay; the switch reconnects to a restarted
controller within its backoff, which removes the fail-open rule; the
controller's rules survive its disconnect but not a daemon restart.

Skipped only when osken-manager is not installed (scripts/setup-host
installs python3-os-ken)."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import unittest

import vsw

OSKEN = shutil.which("osken-manager") or ("/usr/bin/osken-manager"
                                           if os.path.exists("/usr/bin/osken-manager") else None)
APP = os.path.join(vsw.HERE, "osken_l2.py")
TABLE_MISS_COOKIE = 0x7ab1e0
LEARNT_COOKIE = 0x1ea2
FAIL_OPEN_COOKIE = "0xf0f0f0f0f0f0f0f0"
FAIL_OPEN_S = 15   # control/openflow/of_int.h: VS_OF_FAIL_OPEN_MS
BACKOFF_MAX_S = 8  # VS_OF_BACKOFF_MAX
OFPR_NO_MATCH, OFPR_ACTION = 0, 1
NO_BUFFER = 0xffffffff


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Osken:
    """osken-manager with the app, on 127.0.0.1:port, logging what it saw."""

    def __init__(self, port, log, tmp):
        self.log = log
        self.port = port
        self.out = open(os.path.join(tmp, "osken.out"), "a")
        env = dict(os.environ, OSKEN_L2_LOG=log)
        self.proc = subprocess.Popen(
            ["taskset", "-c", vsw.HELPER_CPU, OSKEN, "--ofp-listen-host", "127.0.0.1",
             "--ofp-tcp-listen-port", str(port), APP],
            stdout=self.out, stderr=subprocess.STDOUT, env=env, cwd=vsw.HERE)
        vsw._cleanups.append(self.kill)

    def listening(self):
        r = vsw.sh("ss", "-Hltn", "sport = :%d" % self.port, check=False)
        return "LISTEN" in r.stdout

    def wait_listening(self, timeout=30):
        """os-ken takes a few seconds to start; 'ss' rather than a probe
        connection, which os-ken would take for a switch."""
        def up():
            if self.proc.poll() is not None:
                raise AssertionError("osken-manager exited %d" % self.proc.returncode)
            return self.listening()
        vsw.wait_for(up, timeout, "osken-manager listening on %d" % self.port, interval=0.1)

    def kill(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def events(self, kind):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [e for e in map(json.loads, f) if e["event"] == kind]


class Controller(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("osken")
        cls.sw.start()
        cls.sw.ctl("add-br", "br0")
        cls.ns = {}
        for i, n in enumerate("abc"):
            cls.ns[n] = vsw.Netns(n, ip="10.77.0.%d/24" % (i + 1))
            cls.sw.ctl("add-port", "br0", "p" + n, "type=dpdk", cls.ns[n].devargs(i))
        cls.port = free_port()
        cls.log = os.path.join(cls.sw.rundir, "osken_l2.jsonl")
        cls.sw.ctl("set-fail-mode", "br0", "secure")
        cls.osken = cls.start_osken()
        cls.osken.wait_listening()
        cls.sw.ctl("set-controller", "br0", "tcp:127.0.0.1:%d" % cls.port)

    @classmethod
    def tearDownClass(cls):
        cls.osken.kill()
        assert cls.sw.stop() == 0

    @classmethod
    def start_osken(cls):
        return Osken(cls.port, cls.log, cls.sw.rundir)

    # ---- what the switch says ----

    def of(self):
        return self.sw.ctlj("get-controller", "br0")

    def connected(self):
        return any(c["state"] == "connected" for c in self.of()["controllers"])

    def flows(self, cookie=None):
        fl = self.sw.ctlj("dump-flows", "br0")["flows"]
        return [f for f in fl if cookie is None or int(f["cookie"], 16) == cookie]

    def learnt(self, src, dst):
        """The controller's rule for src's port towards dst's MAC, or None."""
        for f in self.flows(LEARNT_COOKIE):
            if ("in_port=p%s" % src in f["match"] and
                    "dl_dst=%s" % self.ns[dst].mac in f["match"]):
                return f
        return None

    def ping(self, src, dst, count=3):
        return self.ns[src].ping(self.ns[dst].ip, count=count, interval=0.2)

    def wait_programmed(self, n_features):
        vsw.wait_for(lambda: len(self.osken.events("features")) >= n_features and
                     self.connected() and self.flows(TABLE_MISS_COOKIE), 30,
                     "os-ken connected and its table-miss rule in", fail=self.of)

    # ---- the tests, in order: one controller's life ----

    def test_1_learning_through_the_controller(self):
        self.wait_programmed(1)
        miss = self.flows(TABLE_MISS_COOKIE)
        self.assertEqual(len(miss), 1)
        self.assertEqual((miss[0]["priority"], miss[0]["match"], miss[0]["actions"]),
                         (0, "", "CONTROLLER:65535"))
        self.assertTrue(miss[0]["controller"])
        feat = self.osken.events("features")[0]
        self.assertEqual((feat["n_buffers"], feat["n_tables"]), (0, 255))

        self.assertEqual(self.ping("a", "b"), 3)
        ab, ba = self.learnt("a", "b"), self.learnt("b", "a")
        self.assertIsNotNone(ab, self.flows())
        self.assertIsNotNone(ba, self.flows())
        self.assertEqual((ab["priority"], ab["actions"]), (1, "output:pb"))
        self.assertEqual(ba["actions"], "output:pa")

        # Established: the rules carry it, nothing more goes to the controller.
        sent = self.of()["packet_in"]["sent"]
        seen = len(self.osken.events("packet_in"))
        self.assertEqual(self.ping("a", "b", count=5), 5)
        self.assertGreaterEqual(self.learnt("a", "b")["packets"], ab["packets"] + 5)
        self.assertGreaterEqual(self.learnt("b", "a")["packets"], ba["packets"] + 5)
        self.assertEqual(self.of()["packet_in"]["sent"], sent)
        self.assertEqual(len(self.osken.events("packet_in")), seen)

        # What the controller saw of the first ones: the table-miss rule's.
        pins = self.osken.events("packet_in")
        self.assertGreaterEqual(len(pins), 2)
        ports = {self.ns[n].mac: p["ofport"] for n in "abc"
                 for p in self.sw.ctlj("list-ports", "br0") if p["name"] == "p" + n}
        for pi in pins:
            self.assertEqual((pi["reason"], pi["table_id"], pi["cookie"]),
                             (OFPR_NO_MATCH, 0, TABLE_MISS_COOKIE), pi)
            self.assertEqual(pi["buffer_id"], NO_BUFFER)
            self.assertEqual(pi["total_len"], pi["data_len"])  # max_len NO_BUFFER: all of it
            self.assertEqual(pi["match"], {"in_port": ports[pi["src"]]})

    def test_2_packet_in_fields(self):
        """A rule's own output:CONTROLLER: reason ACTION, its table and
        cookie, metadata in the match, data cut at max_len."""
        self.sw.ctl("add-flow", "br0", "table=0,priority=9,dl_type=0x88b5,"
                    "actions=write_metadata:0x1234,goto_table:3")
        self.sw.ctl("add-flow", "br0", "table=3,priority=7,cookie=0x56,dl_type=0x88b5,"
                    "actions=controller(max_len=40)")
        self.sw.ctl("add-flow", "br0", "table=3,priority=0,cookie=0x57,actions=CONTROLLER:20")
        a = self.ns["a"]
        try:
            before = len(self.osken.events("packet_in"))
            a.send([vsw.frame("ff:ff:ff:ff:ff:ff", a.mac, seq=1, size=100)])
            # 0x88b5 frames hit table 3's priority-7 rule; an ARP-free
            # 0x88b6 frame would hit its table-miss rule.
            other = vsw.frame("ff:ff:ff:ff:ff:ff", a.mac, seq=2, size=90)
            other = other[:12] + b"\x88\xb6" + other[14:]
            self.sw.ctl("add-flow", "br0", "table=0,priority=9,dl_type=0x88b6,"
                        "actions=goto_table:3")
            a.send([other])
            vsw.wait_for(lambda: len(self.osken.events("packet_in")) >= before + 2, 10,
                         "two packet-ins", fail=lambda: self.osken.events("packet_in")[before:])
            got = self.osken.events("packet_in")[before:]
            ofport = [p for p in self.sw.ctlj("list-ports", "br0") if p["name"] == "pa"][0]
            ofport = ofport["ofport"]
            self.assertEqual(
                [(p["reason"], p["table_id"], p["cookie"], p["total_len"], p["data_len"],
                  p["match"]) for p in got],
                [(OFPR_ACTION, 3, 0x56, 100, 40, {"in_port": ofport, "metadata": 0x1234}),
                 (OFPR_NO_MATCH, 3, 0x57, 90, 20, {"in_port": ofport})])
        finally:
            for m in ("table=0,dl_type=0x88b5", "table=0,dl_type=0x88b6", "table=3"):
                self.sw.ctl("del-flows", "br0", m)

    def test_3_secure_without_controller(self):
        """The controller goes: its rules stay (established pairs go on),
        new pairs go to a controller that is not there (counted), and no
        fail-open rule comes, even after the standalone delay."""
        self.osken.kill()
        gone = time.monotonic()
        vsw.wait_for(lambda: not self.connected(), 10, "the switch to see os-ken gone")
        self.assertEqual(self.ping("a", "b"), 3)
        no_ctl = self.of()["packet_in"]["no_controller"]
        self.assertEqual(self.ping("a", "c", count=2), 0)
        self.assertGreater(self.of()["packet_in"]["no_controller"], no_ctl)
        self.assertGreater(self.sw.stats("pa")["drops"]["controller_rate"], 0)
        time.sleep(max(0, gone + FAIL_OPEN_S + 1 - time.monotonic()))
        self.assertFalse(self.of()["fail_open"])
        self.assertEqual(self.flows(int(FAIL_OPEN_COOKIE, 16)), [])
        self.assertEqual(len(self.flows(TABLE_MISS_COOKIE)), 1)
        self.assertIsNotNone(self.learnt("a", "b"))
        self.assertEqual(self.ping("a", "c", count=1), 0)

    def test_4_standalone_fails_open(self):
        """Standalone with the controller gone for longer than the delay:
        the fail-open rule, and the bridge learns."""
        self.sw.ctl("set-fail-mode", "br0", "standalone")
        vsw.wait_for(lambda: self.of()["fail_open"], 5, "fail-open", fail=self.of)
        fo = self.flows(int(FAIL_OPEN_COOKIE, 16))
        self.assertEqual([(f["priority"], f["actions"]) for f in fo], [(65535, "NORMAL")])
        self.assertEqual(self.ping("a", "c"), 3)

    def test_5_reconnect_reprograms(self):
        """os-ken again: the switch reconnects within its backoff, the
        fail-open rule goes, the new instance programs the switch and
        learns a pair it never saw."""
        type(self).osken = self.start_osken()
        self.osken.wait_listening()
        t0 = time.monotonic()
        vsw.wait_for(self.connected, BACKOFF_MAX_S + 10, "the switch back on os-ken",
                     fail=self.of)
        # Within one backoff of os-ken listening (the attempts go 1, 2, 4, 8 s apart).
        self.assertLess(time.monotonic() - t0, BACKOFF_MAX_S + 2)
        vsw.wait_for(lambda: len(self.osken.events("features")) >= 2, 10,
                     "os-ken to see the switch again")
        vsw.wait_for(lambda: not self.of()["fail_open"], 5, "fail-open to end")
        self.assertEqual(self.flows(int(FAIL_OPEN_COOKIE, 16)), [])
        self.assertEqual(len(self.flows(TABLE_MISS_COOKIE)), 1)
        self.assertIsNotNone(self.learnt("a", "b"))  # survived the disconnect
        before = len(self.osken.events("packet_in"))
        self.assertEqual(self.ping("b", "c"), 3)
        self.assertIsNotNone(self.learnt("b", "c"))
        self.assertGreater(len(self.osken.events("packet_in")), before)

    def test_6_controller_rules_not_saved(self):
        """A daemon restart: the controller's rules are gone (it installs
        them again when it reconnects), the controller target and fail mode
        are back."""
        self.osken.kill()
        self.assertEqual(self.sw.stop(), 0)
        self.sw.start()
        self.assertEqual([c["target"] for c in self.of()["controllers"]],
                         ["tcp:127.0.0.1:%d" % self.port])
        self.assertEqual(self.of()["fail_mode"], "standalone")
        self.assertEqual(self.flows(TABLE_MISS_COOKIE), [])
        self.assertEqual(self.flows(LEARNT_COOKIE), [])


def main():
    if OSKEN is None:
        print("SKIP: osken-manager is not installed (apt-get install python3-os-ken)")
        sys.exit(77)
    vsw.main()


if __name__ == "__main__":
    main()
