#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The multi-table pipeline, forwarding: goto_table, a miss in a later
table (dropped, counted no_match), write_metadata and metadata matches,
resubmit (the other table's actions run, then the rest of the list),
write_actions and clear_actions (the action set runs when the pipeline
ends), dec_ttl (TTL one less with a right checksum; TTL 1 dropped and
counted ttl_exceeded), and the per-table counters dump-tables shows.
Real peers: network namespaces on veth pairs, frames checked at the
ports they leave by."""
import os
import struct
import tempfile
import unittest

import vsw
from test_flows import csum, parse_tcp, tcp_frame

N = 8
MAC_B = "02:00:00:00:0b:0b"


def with_ttl(f, ttl):
    """Frame 'f' (untagged IPv4) with another TTL, its checksum right."""
    ip = bytearray(f[14:34])
    ip[8] = ttl
    ip[10:12] = b"\0\0"
    ip[10:12] = struct.pack("!H", csum(bytes(ip)))
    return f[:14] + bytes(ip) + f[34:]


class Pipeline(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("pipeline")
        cls.sw.start()
        cls.sw.ctl("add-br", "br0")
        cls.ns = cls.sw.add_netns_ports("br0", "abc")

    @classmethod
    def tearDownClass(cls):
        assert cls.sw.stop() == 0

    def rules(self, lines):
        fd, path = tempfile.mkstemp(prefix="vsw-pipe-", suffix=".txt")
        with os.fdopen(fd, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.addCleanup(os.unlink, path)
        self.sw.ctl("replace-flows", "br0", path)

    def exchange(self, frames, receivers="bc", ethertype=0x0800):
        return vsw.exchange(self.ns, "a", frames, receivers, ethertype)

    def frames(self, daddr="10.0.0.2", n=N):
        a = self.ns["a"]
        return [tcp_frame(MAC_B, a.mac, "10.0.0.1", daddr, 1000 + i, 80, seq=i)
                for i in range(n)]

    def drops(self, reason):
        return self.sw.stats("pa")["drops"][reason]

    def tables(self):
        return {t["table"]: t for t in self.sw.ctlj("dump-tables", "br0")["tables"]}

    def test_1_goto_table_and_a_miss_there(self):
        self.rules(["table=0,priority=10,ip,actions=goto_table:1",
                    "table=1,priority=10,ip,nw_dst=10.0.0.2,actions=output:pb"])
        t0, miss0 = self.tables(), self.drops("no_match")
        got = self.exchange(self.frames())
        self.assertEqual([parse_tcp(f)[5] for f in got["b"]], list(range(N)))
        self.assertEqual(got["c"], [])
        got = self.exchange(self.frames("10.0.0.9"))
        self.assertEqual(got, {"b": [], "c": []})
        self.assertEqual(self.drops("no_match") - miss0, N)
        t1 = self.tables()
        self.assertEqual(t1[1]["lookups"] - t0.get(1, {"lookups": 0})["lookups"], 2 * N)
        self.assertEqual(t1[1]["matched"] - t0.get(1, {"matched": 0})["matched"], N)
        self.assertEqual(t1[1]["rules"], 1)

    def test_2_metadata_written_then_matched(self):
        self.rules(["table=0,priority=10,ip,actions=write_metadata:0x5/0xff,goto_table:2",
                    "table=2,priority=20,metadata=0x6/0xff,actions=output:pb",
                    "table=2,priority=10,metadata=0x5/0xff,actions=output:pc"])
        got = self.exchange(self.frames())
        self.assertEqual(got["b"], [])
        self.assertEqual([parse_tcp(f)[5] for f in got["c"]], list(range(N)))

    def test_3_resubmit_runs_the_other_table_then_goes_on(self):
        self.rules(["table=0,priority=10,ip,actions=resubmit(,3),output:pb",
                    "table=3,priority=10,tcp,actions=mod_tp_dst:8080,output:pc"])
        got = self.exchange(self.frames())
        for n in "bc":
            p = [parse_tcp(f) for f in got[n]]
            self.assertEqual([x[5] for x in p], list(range(N)), n)
            self.assertTrue(all(x[4] == 8080 and x[6] and x[7] for x in p), n)

    def test_4_action_set_runs_at_the_end_and_clear_actions_empties_it(self):
        self.rules(["table=0,priority=10,tcp,tcp_src=1000,actions=write_actions(output:pb),"
                    "goto_table:1",
                    "table=0,priority=10,tcp,tcp_src=1001,actions=write_actions(output:pb),"
                    "goto_table:2",
                    "table=1,priority=0,actions=",
                    "table=2,priority=0,actions=clear_actions"])
        got = self.exchange(self.frames(n=2))
        self.assertEqual([parse_tcp(f)[3] for f in got["b"]], [1000])
        self.assertEqual(got["c"], [])

    def test_5_dec_ttl(self):
        self.rules(["priority=10,ip,actions=dec_ttl,output:pb"])
        before = self.drops("ttl_exceeded")
        got = self.exchange([with_ttl(f, 64) for f in self.frames()] +
                            [with_ttl(f, 1) for f in self.frames(n=3)])
        self.assertEqual(len(got["b"]), N)
        for f in got["b"]:
            self.assertEqual(f[22], 63)
            self.assertTrue(parse_tcp(f)[6])
        self.assertEqual(self.drops("ttl_exceeded") - before, 3)


if __name__ == "__main__":
    unittest.main()
