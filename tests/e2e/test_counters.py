#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Counters and state that tell the truth: a device's first frames are
forwarded (only net_af_packet's are discarded at open, and counted as
open_stale), frames over the output port's MTU are too_big, and what
cannot be honoured (a static MAC moved behind the operator's back, a
second port on one interface, a pin to a queue or CPU that does not
exist, a rule file that cannot be read) is refused with a message."""
import os
import re
import tempfile
import unittest

import vsw

A = "02:00:00:00:00:0a"
B = "02:00:00:00:00:0b"


class Counters(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="vsw-counters-")
        cls.sw = vsw.Switch("cnt")
        cls.sw.start()

    @classmethod
    def tearDownClass(cls):
        assert cls.sw.stop() == 0

    def setUp(self):
        self.sw.ctl("add-br", "br0")

    def tearDown(self):
        self.sw.ctl("del-br", "br0")

    def pcap(self, name, frames):
        path = os.path.join(self.tmp, name)
        vsw.write_pcap(path, frames)
        return path

    def add_pcap_port(self, port, path, n):
        self.sw.ctl("add-port", "br0", port, "type=dpdk",
                    "devargs=net_pcap_%s_%s,rx_pcap=%s,tx_pcap=%s.out" %
                    (port, vsw.TAG, path, path))

    def test_a_pcap_port_delivers_its_first_frames(self):
        self.sw.ctl("add-port", "br0", "sink", "type=dpdk", "devargs=net_null_sink%s" % vsw.TAG)
        frames = [vsw.frame(B, A, seq=i) for i in range(5)]
        self.add_pcap_port("replay", self.pcap("five.pcap", frames), 5)
        # The pcap holds 5 frames and is read once: wait until all 5 are
        # accounted for at the sink, then every count is final.
        vsw.wait_for(lambda: self.sw.stats("sink")["tx_packets"] >= 5, 10, "5 frames through")
        st = self.sw.stats("replay")
        self.assertEqual(st["rx_packets"], 5)
        self.assertEqual(st["drops"]["open_stale"], 0)
        self.assertEqual(self.sw.stats("sink")["tx_packets"], 5)

    def test_frames_over_the_mtu_are_dropped_as_too_big(self):
        self.sw.ctl("add-port", "br0", "sink", "type=dpdk",
                    "devargs=net_null_big%s" % vsw.TAG, "mtu=1500")
        frames = [vsw.frame(B, A, seq=i, size=1518 + (i % 2)) for i in range(6)]
        self.add_pcap_port("big", self.pcap("big.pcap", frames), 6)
        vsw.wait_for(lambda: self.sw.stats("sink")["tx_packets"] +
                     self.sw.stats("sink")["drops"]["too_big"] >= 6, 10, "6 frames out or refused")
        sink = self.sw.stats("sink")
        self.assertEqual(sink["tx_packets"], 3)       # 1518 bytes: MTU + header + VLAN tag
        self.assertEqual(sink["tx_bytes"], 3 * 1518)
        self.assertEqual(sink["drops"]["too_big"], 3)  # 1519 bytes
        names = [d["name"] for d in self.sw.ctlj("drop-reasons")]
        self.assertIn("too_big", names)
        self.assertIn("open_stale", names)

    def test_af_packet_discards_at_open_are_counted(self):
        a = vsw.Netns("s")
        # Frames keep arriving on the interface while the port opens: what
        # af_packet queued before the port joined the bridge is discarded,
        # and counted. The sender paces itself; retry the open a few
        # times in case none landed in that window.
        sender = a.send_start(vsw.frame(B, A), 200000, 20000)
        try:
            for attempt in range(10):
                self.sw.ctl("add-port", "br0", "ps", "type=dpdk", a.devargs(0))
                st = self.sw.stats("ps")
                if st["drops"]["open_stale"] > 0:
                    break
                self.sw.ctl("del-port", "ps")
        finally:
            sender.kill()
            sender.wait()
        self.assertGreater(st["drops"]["open_stale"], 0)
        self.assertGreaterEqual(st["rx_packets"], st["drops"]["open_stale"])
        self.assertIn("stale frames discarded", self.sw.read_log())
        # A second af_packet device on the same interface is refused.
        r = self.sw.ctl("add-port", "br0", "ps2", "type=dpdk",
                        "devargs=net_af_packet%s9,iface=%s" % (vsw.TAG, a.port), check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("interface %s is already port ps" % a.port, r.stderr)
        self.assertNotIn("ps2", self.sw.ctl("list-ports", "br0").stdout.split())

    def test_a_static_mac_is_not_moved_silently(self):
        self.sw.ctl("add-port", "br0", "n1", "type=dpdk", "devargs=net_null_f1%s" % vsw.TAG)
        self.sw.ctl("add-port", "br0", "n2", "type=dpdk", "devargs=net_null_f2%s" % vsw.TAG)
        self.sw.ctl("fdb-add", "br0", "n1", B)
        self.sw.ctl("fdb-add", "br0", "n1", B)            # the same entry again: fine
        r = self.sw.ctl("fdb-add", "br0", "n2", B, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("already a static entry of port n1", r.stderr)
        self.assertIn("--may-exist", r.stderr)
        fdb = {e["mac"]: e["port"] for e in self.sw.ctlj("fdb-show", "br0")}
        self.assertEqual(fdb[B], "n1")
        self.sw.ctl("fdb-add", "br0", "n2", B, "--may-exist")
        fdb = {e["mac"]: e["port"] for e in self.sw.ctlj("fdb-show", "br0")}
        self.assertEqual(fdb[B], "n2")

    def test_pins_that_cannot_be_honoured_are_refused(self):
        self.sw.ctl("add-port", "br0", "q1", "type=dpdk", "devargs=net_null_q%s" % vsw.TAG)
        r = self.sw.ctl("set-port", "q1", "pmd-rxq-affinity=0:99", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no PMD runs on CPU 99 (PMD CPUs: 1;", r.stderr)
        r = self.sw.ctl("set-port", "q1", "pmd-rxq-affinity=5:1", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("port q1 has 1 rx queue(s), 0 to 0; there is no queue 5", r.stderr)
        r = self.sw.ctl("add-port", "br0", "q2", "type=dpdk",
                        "devargs=net_null_r%s" % vsw.TAG, "pmd-rxq-affinity=0:99", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no PMD runs on CPU 99", r.stderr)
        self.sw.ctl("set-port", "q1", "pmd-rxq-affinity=0:1")
        rxq = [q for p in self.sw.ctlj("pmd-rxq-show")["pmds"] for q in p["queues"]
               if q["port"] == "q1"]
        self.assertEqual([(q["queue"], q["pinned_cpu"], q["cpu"]) for q in rxq], [(0, 1, 1)])

    def test_the_capture_command_shown_works_as_printed(self):
        self.sw.ctl("add-port", "br0", "vm3", "type=vhost-user", "capture=on")
        out = self.sw.ctl("show").stdout
        m = re.search(r"dpdk-dumpcap (\S+) -i (\S+)", out)
        self.assertIsNotNone(m, out)
        self.assertEqual(m.group(1), "--file-prefix=" + self.sw.prefix)
        self.assertEqual(m.group(2), "net_null_cap_vm3")

    def test_add_flows_from_a_directory_fails(self):
        r = self.sw.ctl("add-flows", "br0", self.tmp, check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("cannot read %s" % self.tmp, r.stderr)


if __name__ == "__main__":
    vsw.main()
