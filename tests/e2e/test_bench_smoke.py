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
    def smoke(self, scenario, table_row, args=(), duts=("vswitch", "ovs", "testpmd")):
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
        self.assertIn(table_row, open(os.path.join(out, "summary.md")).read())
        vsw.sh("rm", "-rf", out)
        return rows

    def test_p2p(self):
        rows = self.smoke("p2p", "| acl |", ["--rules", "normal,port,acl"])
        # Every rule set ran on every switch (no "unsupported" note).
        for rules in ("normal", "port", "acl"):
            got = [r for r in rows if r["config"].startswith("rules=%s " % rules)]
            self.assertEqual(len(got), 3, rules)
            self.assertTrue(all(float(r["mpps"] or 0) > 0 for r in got), got)

    def test_vhost_loop(self):
        self.smoke("vhost", "| 64 | 1 |")

    def test_guests(self):
        self.smoke("guests", "| iperf3 tcp |")

    def test_rules(self):
        self.smoke("rules", "| 1000 |", duts=("vswitch", "ovs"))

    def test_pmd(self):
        rows = self.smoke("pmd", "Cost of measuring", duts=("vswitch",))
        self.assertIn("0 dropped during 2 moves", [r["note"] for r in rows])


if __name__ == "__main__":
    vsw.main()
