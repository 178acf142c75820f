#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""vhost-user ports with dpdk-testpmd's virtio_user as the guest, in both
roles: frames go in through one guest NIC and come out of the other, byte
for byte, counted on both sides; guests come and go, ports are deleted
under traffic, queues and sockets are as configured."""
import os
import stat
import subprocess
import sys
import tempfile
import time
import unittest

import vsw

N = 200
BCAST = "ff:ff:ff:ff:ff:ff"


def frames(n, size=64):
    return [vsw.frame(BCAST, "02:00:00:00:01:%02x" % (i % 7 + 1), seq=i,
                      payload=bytes([i % 251]) * 20, size=size + i % 40) for i in range(n)]


class Vhost(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("vhost")
        cls.sw.start()
        cls.sw.ctl("add-br", "br0")
        cls.tmp = tempfile.mkdtemp(prefix="vsw-vhost-")
        cls.empty = os.path.join(cls.tmp, "empty.pcap")
        vsw.write_pcap(cls.empty, [])

    @classmethod
    def tearDownClass(cls):
        assert cls.sw.stop() == 0
        vsw.sh("rm", "-rf", cls.tmp)

    def tearDown(self):
        for p in self.sw.ctlj("list-ports", "br0"):
            self.sw.ctl("del-port", p["name"])

    def loop_vdevs(self, sock0, sock1, sent, out, server=False, queues=1):
        """testpmd: pcap 'sent' -> virtio_user0 -> switch -> virtio_user1 -> pcap 'out'."""
        extra = ",server=1" if server else ""
        return ["net_pcap0,rx_pcap=%s,tx_pcap=%s" % (sent, os.path.join(self.tmp, "x.pcap")),
                "virtio_user0,path=%s,queues=%d%s" % (sock0, queues, extra),
                "virtio_user1,path=%s,queues=%d%s" % (sock1, queues, extra),
                "net_pcap1,rx_pcap=%s,tx_pcap=%s" % (self.empty, out)]

    def info(self, port):
        return [p for p in self.sw.ctlj("list-ports", "br0") if p["name"] == port][0]["info"]

    def connected(self, port):
        return self.info(port)["state"] == "connected"


    def check_loop(self, sent_frames, out, tp, p0="v0", p1="v1"):
        vsw.wait_for(lambda: self.sw.stats(p1)["tx_packets"] >= len(sent_frames), 20,
                     "all frames through the switch")
        stats = tp.stop()
        self.assertEqual(self.sw.stats(p0)["rx_packets"], len(sent_frames))
        self.assertEqual(self.sw.stats(p1)["tx_packets"], len(sent_frames))
        self.assertEqual(self.sw.stats(p0)["dropped"] + self.sw.stats(p1)["dropped"], 0)
        self.assertEqual(stats[2][0], len(sent_frames))        # virtio_user1 received all
        self.assertEqual(vsw.read_pcap(out), sent_frames)       # unchanged, in order

    def test_server_mode_frames_cross_unchanged(self):
        self.sw.ctl("add-port", "br0", "v0", "type=vhost-user")
        self.sw.ctl("add-port", "br0", "v1", "type=vhost-user")
        s0, s1 = (os.path.join(self.sw.rundir, n) for n in ("v0.sock", "v1.sock"))
        mode = stat.S_IMODE(os.stat(s0).st_mode)
        self.assertEqual(mode, 0o660)
        sent = os.path.join(self.tmp, "sent.pcap")
        out = os.path.join(self.tmp, "out-server.pcap")
        fr = frames(N)
        vsw.write_pcap(sent, fr)
        tp = vsw.Testpmd("srv", self.loop_vdevs(s0, s1, sent, out)).start()
        self.check_loop(fr, out, tp)

    def test_client_mode_frames_cross_unchanged(self):
        s0, s1 = (os.path.join(self.tmp, n) for n in ("c0.sock", "c1.sock"))
        sent = os.path.join(self.tmp, "sent-c.pcap")
        out = os.path.join(self.tmp, "out-client.pcap")
        fr = frames(N, size=128)
        vsw.write_pcap(sent, fr)
        # virtio_user with server=1 listens and waits for us.
        tp = vsw.Testpmd("cli", self.loop_vdevs(s0, s1, sent, out, server=True)).start()
        vsw.wait_for(lambda: os.path.exists(s0), 20, "testpmd's first socket")
        self.sw.ctl("add-port", "br0", "v0", "type=vhost-user", "mode=client", "path=" + s0)
        vsw.wait_for(lambda: os.path.exists(s1), 20, "testpmd's second socket")
        self.sw.ctl("add-port", "br0", "v1", "type=vhost-user", "mode=client", "path=" + s1)
        self.check_loop(fr, out, tp)

    def test_guest_going_away_is_counted_and_comes_back(self):
        self.sw.ctl("add-port", "br0", "v0", "type=vhost-user")
        self.sw.ctl("add-port", "br0", "v1", "type=vhost-user")
        s0, s1 = (os.path.join(self.sw.rundir, n) for n in ("v0.sock", "v1.sock"))
        sent = os.path.join(self.tmp, "sent-g.pcap")
        fr = frames(N)
        vsw.write_pcap(sent, fr)
        out = os.path.join(self.tmp, "out-g1.pcap")
        tp = vsw.Testpmd("g1", self.loop_vdevs(s0, s1, sent, out)).start()
        self.check_loop(fr, out, tp)
        vsw.wait_for(lambda: not self.connected("v1"), 20, "v1 to see its guest gone")

        # The guest comes back on the same sockets: traffic flows again.
        out2 = os.path.join(self.tmp, "out-g2.pcap")
        before0, before1 = self.sw.stats("v0")["rx_packets"], self.sw.stats("v1")["tx_packets"]
        tp = vsw.Testpmd("g2", self.loop_vdevs(s0, s1, sent, out2)).start()
        vsw.wait_for(lambda: self.sw.stats("v1")["tx_packets"] - before1 >= N, 20,
                     "traffic after the guest came back")
        stats = tp.stop()
        self.assertEqual(self.sw.stats("v0")["rx_packets"] - before0, N)
        self.assertEqual(stats[2][0], N)
        self.assertEqual(vsw.read_pcap(out2), fr)
        info = [p for p in self.sw.ctlj("list-ports", "br0") if p["name"] == "v1"][0]["info"]
        self.assertEqual(info["connects"], "2")

    def test_frames_for_a_missing_guest_are_counted_as_guest_down(self):
        self.sw.ctl("add-port", "br0", "v0", "type=vhost-user")
        self.sw.ctl("add-port", "br0", "lonely", "type=vhost-user")  # nobody connects
        s0 = os.path.join(self.sw.rundir, "v0.sock")
        sent = os.path.join(self.tmp, "sent-d.pcap")
        fr = frames(50)
        vsw.write_pcap(sent, fr)
        tp = vsw.Testpmd("down", [
            "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (sent, os.path.join(self.tmp, "y.pcap")),
            "virtio_user0,path=%s" % s0]).start()
        vsw.wait_for(lambda: self.sw.stats("lonely")["dropped"] >= 50, 20,
                     "drops for the absent guest")
        tp.stop()
        st = self.sw.stats("lonely")
        self.assertEqual(st["drops"]["guest_down"], 50)
        self.assertEqual(st["tx_packets"], 0)
        reasons = {d["name"]: d["cause"] for d in self.sw.ctlj("drop-reasons")}
        self.assertEqual(reasons["guest_down"], "guest")

    def test_port_deleted_under_traffic(self):
        s0, s1 = (os.path.join(self.tmp, n) for n in ("d0.sock", "d1.sock"))
        loop = os.path.join(self.tmp, "loop.pcap")
        vsw.write_pcap(loop, frames(64))
        self.sw.ctl("add-port", "br0", "sink", "type=dpdk", "devargs=net_null8,no-rx=1")
        # An endless stream into v0, flooded to v1 and the sink. testpmd
        # listens (server=1) and the switch connects, and reconnects.
        tp = vsw.Testpmd("del", [
            "net_pcap0,rx_pcap=%s,infinite_rx=1" % loop,
            "virtio_user0,path=%s,server=1" % s0,
            "virtio_user1,path=%s,server=1" % s1,
            "net_null0,no-rx=1"]).start()
        vsw.wait_for(lambda: os.path.exists(s0), 20, "testpmd's first socket")
        self.sw.ctl("add-port", "br0", "v0", "type=vhost-user", "mode=client", "path=" + s0)
        vsw.wait_for(lambda: os.path.exists(s1), 20, "testpmd's second socket")
        self.sw.ctl("add-port", "br0", "v1", "type=vhost-user", "mode=client", "path=" + s1)
        vsw.wait_for(lambda: self.sw.stats("v1")["tx_packets"] > 10000, 30, "traffic")
        for _ in range(3):
            self.sw.ctl("del-port", "v1")
            time.sleep(0.2)
            self.sw.ctl("add-port", "br0", "v1", "type=vhost-user", "mode=client",
                        "path=" + s1)
            vsw.wait_for(lambda: self.connected("v1"), 20, "v1 reconnected")
        vsw.wait_for(lambda: self.sw.stats("v1")["tx_packets"] > 10000, 30,
                     "traffic to the re-added port")
        before = self.sw.stats("sink")["tx_packets"]
        vsw.wait_for(lambda: self.sw.stats("sink")["tx_packets"] > before + 10000, 20,
                     "traffic still flowing")
        self.sw.ctl("del-port", "v0")        # the sending guest's port, mid-stream
        tp.stop()
        self.assertTrue(self.sw.alive())
        self.sw.ctl("show")

    def test_multiqueue_queues_are_polled_as_enabled(self):
        self.sw.ctl("add-port", "br0", "v0", "type=vhost-user", "queues=2")
        self.sw.ctl("add-port", "br0", "v1", "type=vhost-user", "queues=2")
        s0, s1 = (os.path.join(self.sw.rundir, n) for n in ("v0.sock", "v1.sock"))
        # A burst on every queue of both guests, then io forwarding loops it.
        tp = vsw.Testpmd("mq", ["virtio_user0,path=%s,queues=2" % s0,
                                "virtio_user1,path=%s,queues=2" % s1],
                         extra=["--rxq=2", "--txq=2", "--tx-first"]).start()
        vsw.wait_for(lambda: all(p["info"]["enabled_queues"] == "0,1"
                                 for p in self.sw.ctlj("list-ports", "br0")), 20,
                     "both queue pairs enabled")
        ports = {p["name"]: p for p in self.sw.ctlj("list-ports", "br0")}
        self.assertEqual(ports["v0"]["rxq_pmd"], [0, 0])
        polled = [q["port"] for q in self.sw.ctlj("show")["pmds"][0]["rx_queues"]]
        self.assertEqual(sorted(polled), ["v0", "v0", "v1", "v1"])
        vsw.wait_for(lambda: self.sw.stats("v1")["tx_packets"] > 1000, 20, "looping traffic")
        # While both guests run, nothing is lost (after they stop, a burst
        # in flight is counted as guest_down, rightly).
        st0, st1 = self.sw.stats("v0"), self.sw.stats("v1")
        tp.stop()
        self.assertGreater(st0["rx_packets"], 1000)
        self.assertEqual(st0["dropped"] + st1["dropped"], 0)


    def test_switch_restart_under_running_guests(self):
        """Client mode: the guests (testpmd, listening) stay up while the
        switch is stopped and started again; the ports come back from the
        saved configuration, reconnect, and traffic resumes by itself."""
        s0, s1 = (os.path.join(self.tmp, n) for n in ("r0.sock", "r1.sock"))
        loop = os.path.join(self.tmp, "rloop.pcap")
        vsw.write_pcap(loop, frames(64))
        tp = vsw.Testpmd("rst", [
            "net_pcap0,rx_pcap=%s,infinite_rx=1" % loop,
            "virtio_user0,path=%s,server=1" % s0,
            "virtio_user1,path=%s,server=1" % s1,
            "net_null0,no-rx=1"]).start()
        sw = vsw.Switch("restart")
        sw.start()
        sw.ctl("add-br", "br0")
        vsw.wait_for(lambda: os.path.exists(s0), 20, "testpmd's first socket")
        sw.ctl("add-port", "br0", "r0", "type=vhost-user", "mode=client", "path=" + s0)
        vsw.wait_for(lambda: os.path.exists(s1), 20, "testpmd's second socket")
        sw.ctl("add-port", "br0", "r1", "type=vhost-user", "mode=client", "path=" + s1)
        vsw.wait_for(lambda: sw.stats("r1")["tx_packets"] > 10000, 30, "traffic")
        t_stop = time.monotonic()
        self.assertEqual(sw.stop(), 0)
        sw.start()
        self.assertEqual(sw.ctl("list-ports", "br0").stdout.split(), ["r0", "r1"])
        vsw.wait_for(lambda: sw.stats("r1")["tx_packets"] > 0, 20, "traffic after restart")
        outage = time.monotonic() - t_stop
        print("restart outage (stop to first packet forwarded again): %.0f ms" %
              (outage * 1000), file=sys.stderr)
        vsw.wait_for(lambda: sw.stats("r1")["tx_packets"] > 10000, 20, "steady traffic")
        self.assertTrue(tp.running())     # the guest never noticed enough to exit
        tp.stop()
        self.assertEqual(sw.stop(), 0)

    def test_dumpcap_captures_both_directions(self):
        """dpdk-dumpcap captures a vhost-user port as it captures a NIC: the
        frames the switch took from one guest and gave to the other, byte
        for byte, in order."""
        # A capture point is made on demand (it takes one of DPDK's few
        # ethdev ports): at add-port, or on a running port.
        self.sw.ctl("add-port", "br0", "v0", "type=vhost-user", "capture=on")
        self.sw.ctl("add-port", "br0", "v1", "type=vhost-user")
        self.assertNotIn("capture", self.info("v1"))
        for args, msg in ((["v1", "capture=maybe"], "'capture=maybe' must be one of on|off"),
                          (["v1", "capture=on", "queues=2"], "'queues' cannot change")):
            r = self.sw.ctl("set-port", *args, check=False)
            self.assertEqual(r.returncode, 1, args)
            self.assertIn(msg, r.stderr)
            self.assertNotIn("capture", self.info("v1"))  # nothing changed
        self.sw.ctl("set-port", "v1", "capture=on")
        # The command as printed works: it names the daemon's file prefix.
        self.assertEqual(self.info("v0")["capture"],
                         "dpdk-dumpcap --file-prefix=%s -i net_null_cap_v0" % self.sw.prefix)
        self.assertEqual(self.info("v1")["capture"],
                         "dpdk-dumpcap --file-prefix=%s -i net_null_cap_v1" % self.sw.prefix)
        if os.environ.get("VSWITCH_SANITIZE", "none") != "none":
            # See test_pmd: a secondary cannot map a sanitized daemon's memory.
            self.sw.ctl("set-port", "v1", "capture=off")
            self.assertNotIn("capture", self.info("v1"))
            self.skipTest("dpdk-dumpcap cannot attach to a sanitized daemon reliably; "
                          "the plain build runs the capture")
        fr = frames(50)
        sent, out = (os.path.join(self.tmp, n) for n in ("sent-cap.pcap", "out-cap.pcap"))
        vsw.write_pcap(sent, fr)
        # One dumpcap per port: the 22.11 dumpcap captures only the last
        # of several -i.
        caps = [vsw.Dumpcap(self.sw.prefix, "net_null_cap_" + p, len(fr), self.tmp)
                for p in ("v0", "v1")]
        tp = None
        try:
            for c, p in zip(caps, ("v0", "v1")):
                c.wait_capturing(self.sw, "br0", p)
            s0, s1 = (os.path.join(self.sw.rundir, n) for n in ("v0.sock", "v1.sock"))
            tp = vsw.Testpmd("cap", self.loop_vdevs(s0, s1, sent, out)).start()
            self.check_loop(fr, out, tp)
            tp = None
            got = [c.result() for c in caps]
        finally:
            for c in caps:
                c.stop()
            if tp is not None:
                tp.stop()
        self.assertEqual(got[0], fr)  # v0: what the switch took from the guest
        self.assertEqual(got[1], fr)  # v1: what it gave the other guest
        # While a dumpcap captures it, a capture point is not taken away
        # (DPDK's capture library would keep hooks on a port number that
        # the next port gets): capture=off says so; del-port leaves it to
        # a port of the same name.
        cap = vsw.Dumpcap(self.sw.prefix, "net_null_cap_v1", 1, self.tmp)
        try:
            cap.wait_capturing(self.sw, "br0", "v1")
            r = self.sw.ctl("set-port", "v1", "capture=off", check=False)
            self.assertEqual(r.returncode, 1)
            self.assertIn("a dpdk-dumpcap is capturing this port: stop it", r.stderr)
            self.assertIn("capture", self.info("v1"))
            self.sw.ctl("del-port", "v1")
            self.sw.ctl("add-port", "br0", "v1", "type=vhost-user", "capture=on")
            self.assertIsNone(cap.proc.poll())
        finally:
            self.assertEqual(cap.stop(), 0, cap.output())
        # Off, once nothing captures.
        self.assertNotIn("capturing", self.info("v1"))
        self.sw.ctl("set-port", "v1", "capture=off")
        self.assertNotIn("capture", self.info("v1"))
        # A port deleted under a dumpcap: its capture point goes once the
        # dumpcap stops.
        self.sw.ctl("set-port", "v1", "capture=on")
        cap = vsw.Dumpcap(self.sw.prefix, "net_null_cap_v1", 1, self.tmp)
        try:
            cap.wait_capturing(self.sw, "br0", "v1")
            self.sw.ctl("del-port", "v1")
        finally:
            self.assertEqual(cap.stop(), 0, cap.output())

        def devices():
            return subprocess.run(["dpdk-dumpcap", "--file-prefix=" + self.sw.prefix, "-D"],
                                  capture_output=True, text=True, timeout=60).stdout
        vsw.wait_for(lambda: "net_null_cap_v1" not in devices(), 20,
                     "the capture point of the deleted port removed", interval=0.5)
        self.assertIn("net_null_cap_v0", devices())

    def test_socket_rules(self):

        r = self.sw.ctl("add-port", "br0", "bad", "type=vhost-user", "path=/etc/vsw-x.sock",
                        check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("outside the vhost socket directory", r.stderr)
        r = self.sw.ctl("add-port", "br0", "bad", "type=vhost-user", "mode=client",
                        check=False)
        self.assertIn("mode=client needs path=", r.stderr)
        self.sw.ctl("add-port", "br0", "v0", "type=vhost-user")
        r = self.sw.ctl("add-port", "br0", "v9", "type=vhost-user",
                        "path=" + os.path.join(self.sw.rundir, "v0.sock"), check=False)
        self.assertIn("already used by port v0", r.stderr)
        self.sw.ctl("del-port", "v0")
        self.assertFalse(os.path.exists(os.path.join(self.sw.rundir, "v0.sock")))


if __name__ == "__main__":
    vsw.main()
