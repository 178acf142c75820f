#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The learning bridge as hosts see it: flooding, learning, moves, aging,
the table limit and independent bridges, checked frame by frame at raw
sockets in four namespaces."""
import time
import unittest

import vsw

UNKNOWN = "02:00:00:00:99:99"
BCAST = "ff:ff:ff:ff:ff:ff"


class Learning(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("learn")
        cls.sw.start()
        cls.sw.ctl("add-br", "br0")
        cls.sw.ctl("add-br", "br1", "mac_max=16")
        cls.ns = cls.sw.add_netns_ports("br0", "abc")
        cls.ns.update(cls.sw.add_netns_ports("br1", "d", first=3))

    @classmethod
    def tearDownClass(cls):
        assert cls.sw.stop() == 0

    def exchange(self, sender, frames, receivers):
        """Send from one namespace; return {name: [seq...]} seen at each receiver."""
        got = vsw.exchange(self.ns, sender, frames, receivers)
        return {n: vsw.seqs(f) for n, f in got.items()}

    def fdb(self, br):
        return {e["mac"]: e["port"] for e in self.sw.ctlj("fdb-show", br)}

    def test_1_broadcast_and_unknown_unicast_flood_within_the_bridge(self):
        a = self.ns["a"]
        got = self.exchange("a", [vsw.frame(BCAST, a.mac, seq=1),
                                  vsw.frame(UNKNOWN, a.mac, seq=2)], "abcd")
        self.assertEqual(got, {"a": [], "b": [1, 2], "c": [1, 2], "d": []})

    def test_2_learnt_destination_receives_alone(self):
        a, b = self.ns["a"], self.ns["b"]
        self.exchange("b", [vsw.frame(BCAST, b.mac, seq=10)], "a")   # learn b on pb
        vsw.wait_for(lambda: self.fdb("br0").get(b.mac) == "pb", 5, "b learnt on pb")
        got = self.exchange("a", [vsw.frame(b.mac, a.mac, seq=s) for s in range(20, 30)], "bcd")
        self.assertEqual(got, {"b": list(range(20, 30)), "c": [], "d": []})

    def test_3_moved_mac_follows_its_new_port(self):
        a, b, c = self.ns["a"], self.ns["b"], self.ns["c"]
        self.exchange("b", [vsw.frame(BCAST, b.mac, seq=1)], "a")
        vsw.wait_for(lambda: self.fdb("br0").get(b.mac) == "pb", 5, "b on pb")
        # b's MAC now shows up behind pc (a VM migrated, say).
        self.exchange("c", [vsw.frame(BCAST, b.mac, seq=2)], "a")
        vsw.wait_for(lambda: self.fdb("br0").get(b.mac) == "pc", 5, "b moved to pc")
        got = self.exchange("a", [vsw.frame(b.mac, a.mac, seq=40)], "bc")
        self.assertEqual(got, {"b": [], "c": [40]})
        self.assertGreaterEqual(self.bridge("br0")["learning"]["moved"], 1)

    def bridge(self, name):
        return [x for x in self.sw.ctlj("list-br") if x["name"] == name][0]

    def test_4_entries_age_out(self):
        d = self.ns["d"]
        self.sw.ctl("del-br", "br1")
        self.sw.ctl("add-br", "br1", "mac_aging=1", "mac_max=16")
        self.sw.ctl("add-port", "br1", "pd", "type=dpdk", d.devargs(3))
        try:
            d.send([vsw.frame(BCAST, d.mac, seq=1)])
            vsw.wait_for(lambda: self.bridge("br1")["learning"]["learned"] == 1, 5,
                         "d learnt on br1")
            # Silence for longer than mac_aging: the entry goes.
            vsw.wait_for(lambda: self.bridge("br1")["learning"]["aged"] == 1, 10,
                         "d aged out of br1")
            self.assertNotIn(d.mac, self.fdb("br1"))
        finally:
            self.sw.ctl("del-br", "br1")
            self.sw.ctl("add-br", "br1", "mac_max=16")
            self.sw.ctl("add-port", "br1", "pd", "type=dpdk", d.devargs(3))

    def test_5_full_table_stops_learning_and_says_so(self):
        srcs = ["02:00:00:00:%02x:%02x" % (i // 256, i % 256) for i in range(40)]
        got = self.exchange("d", [vsw.frame(BCAST, s, seq=i) for i, s in enumerate(srcs)], "a")
        self.assertEqual(got["a"], [])  # a is on br0: never sees br1 traffic
        vsw.wait_for(lambda: len(self.fdb("br1")) == 16, 5, "br1 table full at 16")
        br1 = self.bridge("br1")
        self.assertEqual(br1["mac_count"], 16)
        self.assertGreater(br1["learning"]["table_full"], 0)
        # Unlearnt sources are still forwarded (flooded: here to nobody).
        self.assertEqual(self.sw.stats("pd")["drops"]["no_destination"], 40)
        self.assertIn("MAC table full", self.sw.read_log())

    def test_6_fdb_flush_forgets(self):
        a = self.ns["a"]
        self.exchange("a", [vsw.frame(BCAST, a.mac, seq=1)], "b")
        vsw.wait_for(lambda: a.mac in self.fdb("br0"), 5, "a learnt")
        self.assertIn("flushed", self.sw.ctl("fdb-flush", "br0", "pa").stdout)
        self.assertNotIn(a.mac, self.fdb("br0"))
        self.sw.ctl("fdb-flush", "br0")
        self.assertEqual(self.fdb("br0"), {})


    def test_7_static_entry_wins_over_learning(self):
        a, b, c = self.ns["a"], self.ns["b"], self.ns["c"]
        self.sw.ctl("fdb-add", "br0", "pc", b.mac)
        self.exchange("b", [vsw.frame(BCAST, b.mac, seq=1)], "a")  # b speaks from pb
        entry = [e for e in self.sw.ctlj("fdb-show", "br0") if e["mac"] == b.mac][0]
        self.assertEqual((entry["port"], entry["static"]), ("pc", True))
        got = self.exchange("a", [vsw.frame(b.mac, a.mac, seq=50)], "bc")
        self.assertEqual(got, {"b": [], "c": [50]})
        self.assertIn("static", self.sw.ctl("fdb-show", "br0").stdout)
        self.sw.ctl("fdb-del", "br0", b.mac)
        self.assertNotIn(b.mac, self.fdb("br0"))


if __name__ == "__main__":
    vsw.main()
