#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Every benchmark scenario still works: a second or so of each, on every
switch (vswitch, OVS-DPDK, bare testpmd), each forwarding packets and
stopping cleanly. Not a performance test: no rate is asserted."""
import csv
import os
import subprocess
import sys
import tempfile
import unittest

import vsw

RUN = os.path.join(vsw.TOP, "bench", "run.py")


class BenchSmoke(unittest.TestCase):
    def smoke(self, scenario, table_row, args=(), duts=("vswitch", "ovs", "testpmd"),
              keep=False):
        out = tempfile.mkdtemp(prefix="vsw-bench-smoke-")
        env = dict(os.environ, VSW_BUILD=os.path.dirname(vsw.VSWITCHD))
        r = subprocess.run([sys.executable, RUN, scenario, "--smoke", "--out", out] + list(args),
                           capture_output=True, text=True, timeout=600, env=env)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        rows = list(csv.DictReader(open(os.path.join(out, "results.csv"))))
        self.assertEqual({row["dut"] for row in rows}, set(duts))
        for row in rows:
            if not row["note"]:
                self.assertGreater(float(row["mpps"] or row["gbps"] or row["seconds"] or 0), 0,
                                   row)
        summary = open(os.path.join(out, "summary.md")).read()
        self.assertIn(table_row, summary)
        vsw.sh("rm", "-rf", out)
        return (rows, summary) if keep else rows

    def test_p2p(self):
        rows = self.smoke("p2p", "| acl |", ["--rules", "normal,port,acl"])
        # Every rule set ran on every switch (no "unsupported" note).
        for rules in ("normal", "port", "acl"):
            got = [r for r in rows if r["config"].startswith("rules=%s " % rules)]
            self.assertEqual(len(got), 3, rules)
            self.assertTrue(all(float(r["mpps"] or 0) > 0 for r in got), got)

    def test_vhost_loop(self):
        out = self.smoke("vhost", "| 64 | 1 |", keep=True)
        rows, summary = out
        # Each switch's PMD busy % and the generator's are beside its
        # figure, and one taken below saturation is marked as such.
        for row in rows:
            self.assertTrue(row["busy_pct"] and row["gen_busy_pct"], row)
            self.assertLessEqual(float(row["busy_pct"]), 101, row)
        bound = [r for r in rows if float(r["busy_pct"]) < 95]
        self.assertEqual("generator-bound" in summary, bool(bound), summary)

    def test_guests(self):
        rows = self.smoke("guests", "| iperf3 tcp |", duts=("vswitch", "ovs", "testpmd",
                                                             "bridge"))
        # The Linux bridge and its taps are gone with the run.
        left = vsw.sh("ip", "-o", "link", "show").stdout
        self.assertNotIn("vsbr", left)
        self.assertNotIn("vsbt", left)
        self.assertEqual(len([r for r in rows if r["dut"] == "bridge"]), 2)

    def test_rules(self):
        self.smoke("rules", "| 1000 |", duts=("vswitch", "ovs"))

    def test_pmd(self):
        rows = self.smoke("pmd", "Cost of measuring", duts=("vswitch",))
        self.assertIn("0 dropped during 2 moves", [r["note"] for r in rows])


if __name__ == "__main__":
    vsw.main()
