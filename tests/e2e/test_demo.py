#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The README's first command, scripts/demo, does what it says: the switch
comes up on its config, the two namespaces ping each other through it, and
`scripts/demo stop` leaves nothing running."""
import os
import subprocess
import tempfile
import unittest

import vsw


class Demo(unittest.TestCase):
    def test_demo_forwards_and_stops_cleanly(self):
        rundir = tempfile.mkdtemp(prefix="vsw-demo-")
        env = dict(os.environ, VSWITCH_RUNDIR=rundir, VSW_DEMO_TAG="vsdt%s" % vsw.TAG[-3:])
        demo = os.path.join(vsw.TOP, "scripts", "demo")
        try:
            r = subprocess.run([demo], env=env, capture_output=True, text=True, timeout=600)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("5 packets transmitted, 5 received", r.stdout)
            self.assertIn("Bridge br0", r.stdout)
            self.assertIn("Port host1: type=dpdk", r.stdout)
            self.assertRegex(r.stdout, r"host1\s+br0\s+\d+")
            pid = int(open(os.path.join(rundir, "vswitchd.pid")).read())
            os.kill(pid, 0)  # still running, for the operator to explore
        finally:
            r = subprocess.run([demo, "stop"], env=env, capture_output=True, text=True,
                               timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(os.path.join(rundir, "vswitchd.pid")))
        self.assertNotIn(env["VSW_DEMO_TAG"], vsw.sh("ip", "netns", "list").stdout)
        vsw.sh("rm", "-rf", rundir)


if __name__ == "__main__":
    vsw.main()
