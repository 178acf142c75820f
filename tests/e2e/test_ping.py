#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Two network namespaces, each behind a veth pair attached to the switch
with net_af_packet, talk through bridge br0: ping, and exact frames."""
import unittest

import vsw


class TwoNamespaces(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("ping")
        cls.sw.start()
        cls.a = vsw.Netns("a", "10.77.0.1/24")
        cls.b = vsw.Netns("b", "10.77.0.2/24")
        cls.sw.ctl("add-br", "br0")
        cls.sw.ctl("add-port", "br0", "pa", "type=dpdk", cls.a.devargs(0))
        cls.sw.ctl("add-port", "br0", "pb", "type=dpdk", cls.b.devargs(1))

    @classmethod
    def tearDownClass(cls):
        assert cls.sw.stop() == 0

    def test_1_namespaces_ping_each_other_through_the_switch(self):
        self.assertEqual(self.a.ping(self.b.ip, count=5), 5)
        self.assertEqual(self.b.ping(self.a.ip, count=5), 5)
        pa, pb = self.sw.stats("pa"), self.sw.stats("pb")
        # 10 echo requests and 10 replies, plus ARP, crossed the switch.
        self.assertGreaterEqual(pa["rx_packets"], 10)
        self.assertGreaterEqual(pb["tx_packets"], 10)
        self.assertEqual(pa["dropped"] + pb["dropped"], 0)
        fdb = {e["mac"]: e["port"] for e in self.sw.ctlj("fdb-show", "br0")}
        self.assertEqual(fdb, {self.a.mac: "pa", self.b.mac: "pb"})

    def test_2_frames_arrive_byte_for_byte_and_in_order(self):
        frames = [vsw.frame(self.b.mac, self.a.mac, payload=bytes([i]) * 40, seq=i,
                            size=64 + i * 13) for i in range(50)]
        before = self.sw.stats("pb")["tx_packets"]
        rx = self.b.recv_start(timeout=10, max_frames=len(frames))
        self.assertEqual(self.a.send(frames), 50)
        got = vsw.Netns.recv_result(rx)
        self.assertEqual(got, frames)
        self.assertEqual(self.sw.stats("pb")["tx_packets"] - before, 50)

    def test_3_show_lists_the_ports_and_their_queues(self):
        show = self.sw.ctlj("show")
        br = [b for b in show["bridges"] if b["name"] == "br0"][0]
        ports = {p["name"]: p for p in br["ports"]}
        self.assertEqual(set(ports), {"pa", "pb"})
        self.assertEqual(ports["pa"]["driver"], "net_af_packet")
        self.assertEqual(ports["pa"]["link"], "up")
        self.assertEqual(ports["pa"]["rxq_pmd"], [0])
        pmd = show["pmds"][0]
        self.assertEqual(pmd["cpu"], 1)
        self.assertEqual(sorted(q["port"] for q in pmd["rx_queues"]), ["pa", "pb"])
        text = self.sw.ctl("show").stdout
        self.assertIn("Port pa: type=dpdk devargs=", text)


if __name__ == "__main__":
    vsw.main()
