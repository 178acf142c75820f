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
    def smoke(self, scenario, table_row):
        out = tempfile.mkdtemp(prefix="vsw-bench-smoke-")
        env = dict(os.environ, VSW_BUILD=os.path.dirname(vsw.VSWITCHD))
        r = subprocess.run([sys.executable, RUN, scenario, "--smoke", "--out", out],
                           capture_output=True, text=True, timeout=600, env=env)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        rows = list(csv.DictReader(open(os.path.join(out, "results.csv"))))
        self.assertEqual({row["dut"] for row in rows}, {"vswitch", "ovs", "testpmd"})
        for row in rows:
            self.assertGreater(float(row["mpps"] or row["gbps"] or 0), 0, row)

        self.assertIn(table_row, open(os.path.join(out, "summary.md")).read())
        vsw.sh("rm", "-rf", out)

    def test_p2p(self):
        self.smoke("p2p", "| normal |")

    def test_vhost_loop(self):
        self.smoke("vhost", "| 64 | 1 |")

    def test_guests(self):
        self.smoke("guests", "| iperf3 tcp |")




if __name__ == "__main__":
    vsw.main()
