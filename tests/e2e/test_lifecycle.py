#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The daemon's life: start from a config file, clean stop that leaves
nothing behind and is quick, one daemon per run directory, instances side
by side, restart after a crash, exit statuses, what vswitchctl says when
nothing runs, and --help as docs/cli.md shows it."""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import vsw


def read_cli_md():
    with open(os.path.join(vsw.TOP, "docs", "cli.md")) as f:
        return f.read()


class Lifecycle(unittest.TestCase):
    def test_clean_stop_leaves_no_socket_pidfile_or_hugepages(self):
        sw = vsw.Switch("stop")
        sw.start()
        a = vsw.Netns("s")
        sw.ctl("add-br", "br0")
        sw.ctl("add-port", "br0", "p0", "type=dpdk", a.devargs(0))
        self.assertTrue(any(f.startswith(sw.prefix) for f in os.listdir("/dev/hugepages")))
        self.assertTrue(os.path.exists(os.path.join(sw.rundir, "vswitchd.sock")))
        self.assertEqual(sw.stop(), 0)
        self.assertEqual(sw.leftovers(), [])
        self.assertIn("shutting down", sw.read_log())
        # The kernel interface is handed back as it was found.
        self.assertNotIn("PROMISC", vsw.sh("ip", "link", "show", a.port).stdout)

    def test_sigint_stops_cleanly_too(self):
        sw = vsw.Switch("int")
        sw.start()
        sw.proc.send_signal(signal.SIGINT)
        self.assertEqual(sw.proc.wait(timeout=20), 0)
        self.assertEqual(sw.leftovers(), [])

    def test_second_daemon_on_same_rundir_is_refused(self):
        sw = vsw.Switch("one")
        sw.start()
        other = vsw.Switch("two")
        other.rundir = sw.rundir
        other.log_path = os.path.join(sw.rundir, "second.log")
        self.assertNotEqual(other.start(expect_fail=True), 0)
        self.assertIn("another vswitchd (pid %d)" % sw.proc.pid, other.read_log())
        self.assertTrue(sw.alive())
        sw.ctl("show")
        self.assertEqual(sw.stop(), 0)

    def test_instances_side_by_side_are_independent(self):
        one, two = vsw.Switch("left"), vsw.Switch("right")
        one.start()
        two.start()
        a, b = vsw.Netns("l", "10.81.0.1/24"), vsw.Netns("r", "10.81.0.2/24")
        one.ctl("add-br", "br0")
        two.ctl("add-br", "br9")
        self.assertEqual(one.ctl("list-br").stdout.split(), ["br0"])
        self.assertEqual(two.ctl("list-br").stdout.split(), ["br9"])
        two.ctl("add-port", "br9", "pl", "type=dpdk", a.devargs(0))
        two.ctl("add-port", "br9", "pr", "type=dpdk", b.devargs(1))
        self.assertEqual(a.ping(b.ip, count=3), 3)
        self.assertEqual(one.ctlj("show")["rundir"], one.rundir)
        self.assertNotEqual(one.ctlj("show")["file_prefix"], two.ctlj("show")["file_prefix"])
        self.assertEqual(one.stop(), 0)
        self.assertEqual(a.ping(b.ip, count=2), 2)  # the other is untouched
        self.assertEqual(two.stop(), 0)

    def test_restart_after_sigkill_on_same_rundir(self):
        sw = vsw.Switch("crash")
        sw.start()
        sw.ctl("add-br", "br0")
        sw.proc.kill()
        sw.proc.wait(timeout=10)
        # Stale socket, pid file and hugepage files are all there...
        self.assertTrue(os.path.exists(os.path.join(sw.rundir, "vswitchd.sock")))
        sw.start()  # ...and a new daemon takes over anyway, with its bridge
        self.assertEqual(sw.ctl("list-br").stdout, "br0\n")
        self.assertEqual(sw.stop(), 0)
        self.assertEqual(sw.leftovers(), [])

    def test_config_file_creates_bridges_and_ports_at_start(self):
        a, b = vsw.Netns("x", "10.82.0.1/24"), vsw.Netns("y", "10.82.0.2/24")
        config = {
            "daemon": {"mbufs": 4095, "log-level": "info"},
            "bridges": [
                {"name": "br0", "mac_aging": 60, "ports": [
                    {"name": "px", "type": "dpdk", "options": {"devargs": a.devargs(0)[8:]}},
                    {"name": "py", "type": "dpdk", "options": {"devargs": b.devargs(1)[8:],
                                                             "rxq": 1}},
                    {"name": "broken", "type": "dpdk",
                     "options": {"devargs": "net_af_packet77,iface=does-not-exist"}},
                ]},
                {"name": "br1", "mac_max": 32},
            ],
        }
        sw = vsw.Switch("conf", config=config)
        sw.start()
        self.assertEqual(sw.ctl("list-br").stdout.split(), ["br0", "br1"])
        self.assertEqual(sw.ctl("list-ports", "br0").stdout.split(), ["px", "py"])
        self.assertEqual(a.ping(b.ip, count=3), 3)
        br0 = sw.ctlj("list-br")[0]
        self.assertEqual(br0["mac_aging"], 60)
        log = sw.read_log()
        self.assertIn("cannot create port broken on bridge br0", log)
        self.assertIn("SIOCGIFINDEX", log)  # DPDK's own reason
        failed = sw.ctlj("show")["failed"]
        self.assertEqual([(f["kind"], f["name"]) for f in failed], [("port", "broken")])
        self.assertIn("Not created (configured, kept): port broken", sw.ctl("show").stdout)
        self.assertEqual(sw.stop(), 0)

    def test_configuration_survives_a_restart(self):
        a = vsw.Netns("p")
        sw = vsw.Switch("persist")
        sw.start()
        sw.ctl("add-br", "br0", "mac_aging=45")
        sw.ctl("add-br", "br1")
        sw.ctl("add-port", "br0", "pa", "type=dpdk", a.devargs(0))
        sw.ctl("add-port", "br0", "v0", "type=vhost-user", "queues=2")
        sw.ctl("fdb-add", "br0", "pa", "02:00:00:00:00:42")
        sw.ctl("del-br", "br1")
        saved = json.load(open(os.path.join(sw.rundir, "vswitchd.json")))
        self.assertEqual([b["name"] for b in saved["bridges"]], ["br0"])
        self.assertEqual(sw.stop(), 0)
        sw.start()
        self.assertEqual(sw.ctl("list-br").stdout.split(), ["br0"])
        self.assertEqual(sw.ctl("list-ports", "br0").stdout.split(), ["pa", "v0"])
        self.assertEqual(sw.ctlj("list-br")[0]["mac_aging"], 45)
        fdb = sw.ctlj("fdb-show", "br0")
        self.assertEqual([(e["mac"], e["port"], e["static"]) for e in fdb],
                         [("02:00:00:00:00:42", "pa", True)])
        v0 = [p for p in sw.ctlj("list-ports", "br0") if p["name"] == "v0"][0]
        self.assertEqual((v0["options"], v0["info"]["mode"]), ({"queues": "2"}, "server"))
        # Deleting a port forgets it and its static MACs for good.
        sw.ctl("del-port", "pa")
        self.assertEqual(sw.stop(), 0)
        sw.start()
        self.assertEqual(sw.ctl("list-ports", "br0").stdout.split(), ["v0"])
        self.assertEqual(sw.ctlj("fdb-show", "br0"), [])
        self.assertEqual(sw.stop(), 0)

    def test_a_configured_port_that_fails_can_be_deleted(self):
        sw = vsw.Switch("forget", config={"bridges": [{"name": "br0", "ports": [
            {"name": "ghost", "type": "dpdk", "options": {"devargs": "net_bogus7"}}]}]})
        sw.start()
        self.assertEqual(sw.ctlj("show")["failed"][0]["name"], "ghost")
        sw.ctl("del-port", "ghost")
        self.assertEqual(sw.ctlj("show")["failed"], [])
        saved = json.load(open(os.path.join(sw.rundir, "config.json")))
        self.assertEqual(saved["bridges"][0]["ports"], [])
        self.assertEqual(sw.stop(), 0)


    def test_bad_command_line_is_explained(self):
        r = subprocess.run([vsw.VSWITCHD, "--pmd-cpus", "1000", "--main-cpu", "0"],
                           capture_output=True, text=True, timeout=20)
        self.assertEqual(r.returncode, 2)
        self.assertIn("PMD CPU 1000 is not one of the CPUs this process may use", r.stderr)
        r = subprocess.run([vsw.VSWITCHD, "--bogus"], capture_output=True, text=True,
                           timeout=20)
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown option '--bogus'", r.stderr)

    def test_help_documents_every_option(self):
        out = subprocess.run([vsw.VSWITCHD, "--help"], capture_output=True, text=True,
                             timeout=20).stdout
        for opt in ("--rundir", "--config", "--pmd-cpus", "--main-cpu", "--socket-mem",
                    "--file-prefix", "--huge-dir", "--mbufs", "--no-huge", "--eal-args",
                    "--log-level", "--max-request", "--pmd-auto-lb", "--pmd-auto-lb-load",
                    "--pmd-auto-lb-improvement", "--pmd-auto-lb-interval",
                    "--pmd-rxq-isolate", "--pmd-rxq-stats", "VSWITCH_RUNDIR"):
            self.assertIn(opt, out)

    def test_exit_status_says_what_went_wrong(self):
        """0 --help; 2 a bad command line or config file (nothing started);
        1 could not start (here: an unusable run directory)."""
        def run(*args):
            return subprocess.run([vsw.VSWITCHD] + list(args), capture_output=True, text=True,
                                  timeout=20)
        self.assertEqual(run("--help").returncode, 0)
        r = run("--mbufs")
        self.assertEqual((r.returncode, r.stderr.strip().splitlines()[-1]),
                         (2, "vswitchd: option --mbufs needs a value; see vswitchd --help"))
        tmp = tempfile.mkdtemp(prefix="vsw-exit-%s-" % vsw.TAG)
        bad = os.path.join(tmp, "bad.json")
        for text, why in (('{"daemon": {"mbufs": 4095,}}', "(line 1, column"),
                          ('{"daemon": {"pmd_cpus": "1"}}', 'unknown daemon setting "pmd_cpus"'),
                          ('{"daemon": {"mbufs": 3}}', "--mbufs: '3' is not a number from")):
            with open(bad, "w") as f:
                f.write(text)
            r = run("--config", bad, "--rundir", os.path.join(tmp, "run"))
            self.assertEqual(r.returncode, 2, text)
            self.assertIn(why, r.stderr.strip().splitlines()[-1])
            self.assertIn(bad, r.stderr)
        # A run directory under a regular file cannot be created.
        blocker = os.path.join(tmp, "file")
        open(blocker, "w").close()
        r = run("--rundir", os.path.join(blocker, "run"), "--main-cpu", "0", "--pmd-cpus", "1",
                "--file-prefix", "vswe2e-exit-" + vsw.TAG)
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot create run directory %s/run: Not a directory" % blocker,
                      r.stderr.strip().splitlines()[-1])

    def test_idle_stop_is_quick(self):
        """SIGTERM to exit of an idle daemon with a few ports, well within a
        second (measured: 0.09 s; 0.2 s under ASan), so that a restart is
        bounded by the start. The bound is generous: it catches a wait of
        its own (a thread joined on a poll interval, a sleep), not noise."""
        sw = vsw.Switch("quick")
        sw.start()
        sw.ctl("add-br", "br0")
        sw.add_netns_ports("br0", "jk")
        sw.ctl("add-port", "br0", "v0", "type=vhost-user")
        sw.ctl("add-port", "br0", "n0", "type=dpdk", "devargs=net_null%s0,no-rx=1" % vsw.TAG)
        self.assertEqual(len(sw.ctl("list-ports", "br0").stdout.split()), 4)
        t0 = time.monotonic()
        self.assertEqual(sw.stop(), 0)
        took = time.monotonic() - t0
        print("idle stop (SIGTERM to exit): %.0f ms" % (took * 1000), file=sys.stderr)
        self.assertEqual(sw.leftovers(), [])
        self.assertLess(took, 1.0, "SIGTERM to exit took %.2f s:\n%s" % (took, sw.read_log()))

    def test_help_and_docs_cli_md_list_the_same_options(self):
        """docs/cli.md shows vswitchd --help as it is: the same options with
        the same arguments, and the same text."""
        out = subprocess.run([vsw.VSWITCHD, "--help"], capture_output=True, text=True,
                             timeout=20).stdout
        doc = read_cli_md()
        m = re.search(r"```\n\$ vswitchd --help\n(.*?)```\n", doc, re.S)
        self.assertIsNotNone(m, "docs/cli.md has no '$ vswitchd --help' block")
        shown = m.group(1)

        def options(text):
            """{name: ARG or ''} of the option lines of a --help text."""
            found = {}
            for line in text.splitlines():
                mo = re.match(r"  (-\w, )?(--[\w-]+)(?: (\S+))?(?:  |$)", line)
                if mo:
                    found[mo.group(2)] = mo.group(3) or ""
            return found
        self.assertEqual(options(shown), options(out))
        self.assertIn("--pmd-auto-lb-load", options(out))   # the parser sees them all
        self.assertEqual(options(out)["--pmd-auto-lb-load"], "PERCENT")
        self.assertEqual(shown, out, "docs/cli.md's block differs from vswitchd --help: "
                         "copy the output of build/vswitchd --help into it")

    def test_vswitchctl_help_and_docs_cli_md_list_the_same_commands(self):
        out = subprocess.run([vsw.VSWITCHCTL, "--help"], capture_output=True, text=True,
                             timeout=20).stdout
        commands = set(re.findall(r"^  ([a-z][\w-]*)", out, re.M))
        doc = read_cli_md()
        part = doc[doc.index("\n## vswitchctl\n"):doc.index("\n## JSON-RPC\n")]
        documented = set()
        for heading in re.findall(r"^### (.*)$", part, re.M):
            documented.update(h.strip() for h in heading.split(","))
        self.assertGreater(len(commands), 20)
        self.assertEqual(sorted(commands - documented), [], "commands docs/cli.md lacks")
        self.assertEqual(sorted(documented - commands), [], "documented commands that do not exist")

    def test_vswitchctl_says_how_to_start_the_daemon(self):
        r = subprocess.run([vsw.VSWITCHCTL, "--rundir", "/tmp/vsw-nothing-here", "show"],
                           capture_output=True, text=True, timeout=20)
        self.assertEqual(r.returncode, 3)
        self.assertIn("cannot reach vswitchd at /tmp/vsw-nothing-here/vswitchd.sock", r.stderr)
        self.assertIn("vswitchd --rundir /tmp/vsw-nothing-here", r.stderr)
        env = dict(os.environ, VSWITCH_RUNDIR="/tmp/vsw-from-env")
        r = subprocess.run([vsw.VSWITCHCTL, "show"], capture_output=True, text=True,
                           timeout=20, env=env)
        self.assertIn("/tmp/vsw-from-env/vswitchd.sock", r.stderr)


if __name__ == "__main__":
    vsw.main()
