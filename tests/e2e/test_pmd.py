#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""PMD cores on a running switch: adding and removing PMD CPUs and moving
an rx queue between PMDs while a paced stream crosses the switch (every
frame must arrive, once, in order), the CPU congestion figure when another
process is pinned onto the PMD's core, per-PMD and per-queue figures, run
time settings refused without change, and the same figures through DPDK
telemetry and packets through dpdk-dumpcap.

This machine has two CPUs: the control thread is on CPU 0, the PMD on
CPU 1, and a second PMD can only go on CPU 0, beside the control thread
(allowed, and warned about)."""
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import vsw

BCAST = "ff:ff:ff:ff:ff:ff"


def order(frames):
    return [int.from_bytes(f[14:18], "big") for f in frames]


class Pmd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("pmd")
        cls.sw.start()
        cls.sw.ctl("add-br", "br0")
        cls.ns = cls.sw.add_netns_ports("br0", "ab")
        # b's MAC is static: no flooding, one output.
        cls.sw.ctl("fdb-add", "br0", "pb", cls.ns["b"].mac)

    @classmethod
    def tearDownClass(cls):
        assert cls.sw.stop() == 0

    def setUp(self):
        self.sw.ctl("set", "pmd-cpus=1")
        self.sw.ctl("set-port", "pa", "pmd-rxq-affinity=")

    def pmd_of(self, port):
        for p in self.sw.ctlj("pmd-rxq-show")["pmds"]:
            for q in p["queues"]:
                if q["port"] == port:
                    return p["cpu"]
        return None

    def port(self, name):
        return [p for p in self.sw.ctlj("list-ports", "br0") if p["name"] == name][0]

    def test_1_queues_move_between_pmds_under_traffic_without_loss(self):
        a, b = self.ns["a"], self.ns["b"]
        n, rate = 6000, 2000
        before = self.sw.stats("pa")["rx_packets"]
        rx = b.recv_start(timeout=n / rate + 15, max_frames=n, idle=3)
        tx = a.send_start(vsw.frame(b.mac, a.mac), n, rate)

        def flowing():
            """Until more frames came in since the last step (a tenth of a
            second of them, not a fixed sleep): each step below happens
            under traffic, however fast this machine is; a timeout here
            means the traffic ended before the step."""
            last = self.sw.stats("pa")["rx_packets"]
            vsw.wait_for(lambda: self.sw.stats("pa")["rx_packets"] >= last + 200, 20,
                         "traffic through pa")

        flowing()
        self.sw.ctl("set", "pmd-cpus=0,1")          # a second PMD, on CPU 0
        self.assertEqual(self.pmd_of("pa"), 1)       # adding one moves nothing
        flowing()
        self.sw.ctl("set-port", "pa", "pmd-rxq-affinity=0:0")
        self.assertEqual(self.pmd_of("pa"), 0)       # moved, traffic flowing
        self.assertEqual(self.port("pa")["options"]["pmd-rxq-affinity"], "0:0")
        self.assertTrue(self.port("pb")["txq_shared"])  # 1 tx queue, 2 PMDs
        # af_packet has one tx queue per queue pair: it cannot get a second,
        # so show says who shares it, and so does port-stats.
        self.assertEqual(self.port("pb")["txq"],
                         {"queues": 1, "pmds": 2, "locked": True, "by": "switch"})
        self.assertIn("tx queues 1 shared by 2 PMDs (locked)", self.sw.ctl("show").stdout)
        self.assertIn("tx queues 1 shared by 2 PMDs (locked) (port pb)",
                      self.sw.ctl("port-stats", "pb").stdout)
        flowing()
        self.sw.ctl("pmd-rebalance")
        flowing()
        self.sw.ctl("set", "pmd-cpus=1")             # its PMD goes: back to CPU 1
        self.assertEqual(self.pmd_of("pa"), 1)
        self.assertFalse(self.port("pb")["txq_shared"])  # a queue per PMD again: no lock
        out, _ = tx.communicate(timeout=60)
        self.assertEqual(int(out), n)
        got = order(vsw.Netns.recv_result(rx))
        self.assertEqual(got, list(range(n)))        # all, once, in order
        st = self.sw.stats("pa")
        self.assertEqual(st["rx_packets"] - before, n)
        self.assertEqual(st["dropped"], 0)
        self.assertIn("shares CPU 0 with the control thread", self.sw.read_log())

    def test_2_congestion_shows_a_process_stealing_the_pmd_core(self):
        def wait_ns():
            return self.sw.ctlj("pmd-stats-show")[0]["congestion"]["wait_ns"]

        quiet0 = wait_ns()
        time.sleep(2)
        quiet = wait_ns() - quiet0
        hog = subprocess.Popen(["taskset", "-c", "1", "python3", "-c", "while True: pass"])
        try:
            t0, w0 = time.monotonic(), wait_ns()
            time.sleep(2)
            stolen, took = wait_ns() - w0, time.monotonic() - t0
        finally:
            hog.kill()
            hog.wait()
        # Two busy threads on one CPU: the PMD waits about half the time.
        # What the PMD waited before the hog (other work on a loaded
        # machine) is the baseline the hog must add to, per second.
        self.assertGreater(stolen, 0.2 * took * 1e9)
        self.assertGreater(stolen / took - quiet / 2, 0.1e9)
        st = self.sw.ctlj("pmd-stats-show", "--pmd", "0")[0]
        self.assertGreater(st["congestion"]["preempted"], 0)
        self.assertIn("CPU congestion", self.sw.ctl("pmd-stats-show").stdout)

    def test_3_per_pmd_and_per_queue_figures(self):
        a, b = self.ns["a"], self.ns["b"]
        self.sw.ctl("pmd-stats-clear")
        a.send([vsw.frame(b.mac, a.mac, seq=s) for s in range(300)])
        vsw.wait_for(lambda: self.sw.ctlj("pmd-stats-show")[0]["rx_packets"] == 300, 10,
                     "300 packets counted")
        pmd = self.sw.ctlj("pmd-perf-show")[0]
        self.assertGreater(pmd["cycles_per_packet"], 0)
        self.assertGreater(sum(pmd["rx_burst_sizes"].values()), 0)
        self.assertEqual(pmd["drops"]["by_cause"]["switch"], 0)
        q = [q for p in self.sw.ctlj("pmd-rxq-show")["pmds"] for q in p["queues"]
             if q["port"] == "pa"][0]
        self.assertEqual(q["packets"], 300)
        self.assertEqual(q["drops"], 0)
        self.assertGreater(q["cycles"], 0)
        # Without per-queue cycle accounting the queue's cycles stop moving;
        # its packet and drop counts (no rdtsc needed) keep counting.
        self.sw.ctl("set", "pmd-rxq-stats=off")
        try:
            a.send([vsw.frame(b.mac, a.mac, seq=s) for s in range(100)])
            vsw.wait_for(lambda: self.sw.ctlj("pmd-stats-show")[0]["rx_packets"] == 400, 10,
                         "400 packets counted")
            q2 = [q for p in self.sw.ctlj("pmd-rxq-show")["pmds"] for q in p["queues"]
                  if q["port"] == "pa"][0]
            self.assertEqual((q2["packets"], q2["cycles"]), (400, q["cycles"]))
        finally:
            self.sw.ctl("set", "pmd-rxq-stats=on")
        # Drops are charged to the queue the packets came in on.
        self.sw.ctl("add-flow", "br0", "priority=100,in_port=pa,actions=drop")
        try:
            a.send([vsw.frame(b.mac, a.mac, seq=s) for s in range(50)])
            vsw.wait_for(lambda: [q for p in self.sw.ctlj("pmd-rxq-show")["pmds"]
                                  for q in p["queues"] if q["port"] == "pa"][0]["drops"] == 50,
                         10, "50 drops on pa's queue")
            pmd = self.sw.ctlj("pmd-stats-show")[0]
            self.assertEqual(pmd["drops"]["by_reason"]["rule_drop"], 50)
            self.assertEqual(pmd["drops"]["by_cause"]["policy"], 50)
        finally:
            self.sw.ctl("del-flows", "br0", "--strict", "priority=100,in_port=pa")

    def test_3b_isolation_changed_at_run_time_moves_queues(self):
        self.sw.ctl("set", "pmd-cpus=0,1", "pmd-rxq-isolate=off", "pmd-auto-lb=off")
        try:
            self.sw.ctl("set-port", "pa", "pmd-rxq-affinity=0:1")
            self.assertEqual((self.pmd_of("pa"), self.pmd_of("pb")), (1, 1))
            # Isolated, CPU 1 polls its pinned queue only: pb moves at once.
            self.sw.ctl("set", "pmd-rxq-isolate=on")
            self.assertEqual((self.pmd_of("pa"), self.pmd_of("pb")), (1, 0))
        finally:
            self.sw.ctl("set", "pmd-rxq-isolate=on", "pmd-auto-lb=on")

    def test_4_bad_settings_are_refused_and_change_nothing(self):
        for args, msg in ((["set", "pmd-cpus=7"], "PMD CPU 7 is not one of the CPUs"),
                          (["set", "mbufs=100000"], "mbufs is set at start only"),
                          (["set", "pmd-auto-lb=maybe"], "'maybe' is not on or off"),
                          (["set", "pmd-auto-lb-load=5"], "from 10 to 100"),
                          (["set", "nosuch=1"], "unknown setting 'nosuch'"),
                          (["set-port", "pa", "pmd-rxq-affinity=zero:1"], "QUEUE:CPU"),
                          (["set-port", "pa", "rxq=2"], "'rxq' cannot change on a running"),
                          (["set-port", "pa", "pmd-rxq-affinity=0:1", "rxq=2"],
                           "'rxq' cannot change on a running"),
                          (["set-port", "pa", "nosuch=1"], "unknown option 'nosuch'"),
                          (["pmd-stats-show", "--pmd", "9"], "no PMD 9")):
            r = self.sw.ctl(*args, check=False)
            self.assertEqual(r.returncode, 1, args)
            self.assertIn(msg, r.stderr, args)
        # A refused set changes nothing, not even its valid part.
        r = self.sw.ctl("set", "pmd-auto-lb=off", "pmd-cpus=7", check=False)
        self.assertEqual(r.returncode, 1)
        s = self.sw.ctlj("pmd-rxq-show")["settings"]
        self.assertEqual((s["pmd-cpus"], s["pmd-auto-lb"]), ("1", True))
        self.assertTrue(self.sw.alive())

    def test_5_telemetry_and_dumpcap(self):
        a, b = self.ns["a"], self.ns["b"]
        a.send([vsw.frame(b.mac, a.mac, seq=s) for s in range(10)])
        vsw.wait_for(lambda: self.sw.stats("pb")["tx_packets"] >= 10, 10, "10 through")
        r = subprocess.run(["dpdk-telemetry.py", "-f", self.sw.prefix],
                           input="/vswitch/pmd,0\n/vswitch/port,pb\n", capture_output=True,
                           text=True, timeout=30)
        self.assertIn('"rx_packets"', r.stdout)
        tx = self.sw.stats("pb")["tx_packets"]
        self.assertIn('"tx_packets": %d' % tx, r.stdout)
        # dpdk-dumpcap on a tap port, fed from the root namespace.
        if os.environ.get("VSWITCH_SANITIZE", "none") != "none":
            # ASan's shadow memory sits where DPDK maps hugepages, so a
            # sanitized daemon maps them at a random address, which a
            # (secondary) dumpcap may find taken: it then dies in its EAL
            # init, and may leave DPDK's shared memory lock held.
            self.skipTest("dpdk-dumpcap cannot attach to a sanitized daemon reliably; "
                          "the plain build runs this part")
        tap = "vst%s" % vsw.TAG
        self.sw.ctl("add-port", "br0", "t0", "type=dpdk",
                    "devargs=net_tap%s,iface=%s" % (vsw.TAG, tap))
        tmp = tempfile.mkdtemp(prefix="vsw-dumpcap-")
        cap = None
        try:
            vsw.sh("sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % tap)
            vsw.sh("ip", "link", "set", tap, "up")
            cap = vsw.Dumpcap(self.sw.prefix, "net_tap%s" % vsw.TAG, 5, tmp)
            cap.wait_capturing(self.sw, "br0", "t0")
            sent = [vsw.frame(BCAST, "02:00:00:00:00:01", seq=seq) for seq in range(5)]
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind((tap, 0))
            for f in sent:
                s.send(f)
            s.close()
            self.assertEqual(cap.result(), sent)
        finally:
            if cap is not None:
                cap.stop()
            self.sw.ctl("del-port", "t0")
            vsw.sh("rm", "-rf", tmp)

    def test_6_automatic_rebalance_spreads_a_saturated_pmd(self):
        """Two vhost-user queues in a testpmd loop, both on the PMD of CPU 1,
        which they saturate: within seconds the rebalancer moves one to the
        PMD of CPU 0."""
        sys.path.insert(0, os.path.join(vsw.TOP, "bench"))
        import duts  # noqa: E402  the benchmark's loop generator
        gen = duts.LoopGenerator()
        gen.start()
        try:
            # Not isolating pinned PMDs, so unpinning one queue does not
            # move the other.
            self.sw.ctl("set", "pmd-cpus=0,1", "pmd-auto-lb=off", "pmd-rxq-isolate=off")
            for i in range(2):
                self.sw.ctl("add-port", "br0", "v%d" % i, "type=vhost-user", "mode=client",
                            "path=" + gen.socks[i], "pmd-rxq-affinity=0:1")
            self.sw.ctl("fdb-add", "br0", "v1", duts.LoopGenerator.PEERS[0])
            self.sw.ctl("fdb-add", "br0", "v0", duts.LoopGenerator.PEERS[1])
            gen.go()   # the packets in flight, once both ports are connected
            vsw.wait_for(lambda: self.pmd_of("v0") == 1 and self.pmd_of("v1") == 1, 30,
                         "the guest queues polled by the PMD of CPU 1")
            for i in range(2):  # unpinned, they stay where they are
                self.sw.ctl("set-port", "v%d" % i, "pmd-rxq-affinity=")
            self.assertEqual((self.pmd_of("v0"), self.pmd_of("v1")), (1, 1))
            count0 = self.sw.ctlj("pmd-rxq-show")["rebalances"]["count"]
            self.sw.ctl("set", "pmd-auto-lb=on", "pmd-auto-lb-load=50",
                        "pmd-auto-lb-interval=2")
            vsw.wait_for(lambda: self.sw.ctlj("pmd-rxq-show")["rebalances"]["count"] > count0,
                         30, "an automatic rebalance")
            self.assertEqual({self.pmd_of("v0"), self.pmd_of("v1")}, {0, 1})
            self.assertIn("automatic rebalance", self.sw.read_log())
        finally:
            self.sw.ctl("set", "pmd-auto-lb-load=70", "pmd-auto-lb-interval=5",
                        "pmd-rxq-isolate=on")
            for i in range(2):
                self.sw.ctl("del-port", "v%d" % i, check=False)
            gen.stop()


if __name__ == "__main__":
    vsw.main()
