#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Nothing the switch accepts is lost, and nothing it refuses is half made:
every change is in the config file before the command says yes (del-flows
too), a change that cannot be saved (a full filesystem) is refused and
changes nothing, a kill -9 in the middle of a save leaves a whole file and
no litter, the previous file is kept, and an entry the daemon cannot apply
is kept exactly as written, never overwritten by a later change."""
import json
import os
import signal
import subprocess
import time
import unittest

import vsw

NULL_PORT = "devargs=net_null%d,no-rx=1"


def restart(sw):
    assert sw.stop() == 0
    sw.config = None  # keep the file the daemon wrote
    sw.start()


class Persist(unittest.TestCase):
    def switch(self, name, config=None, rundir=None):
        sw = vsw.Switch(name, config=config)
        self.path = os.path.join(rundir or sw.rundir, "vswitchd.json")
        with open(self.path, "w") as f:
            json.dump(config if config is not None else {}, f, indent=2)
        sw.config = None
        sw.args += ["--config", self.path]
        return sw

    def saved(self):
        with open(self.path) as f:
            return json.load(f)

    def udp_rules(self, name):
        return [f for f in self.bridge(name).get("flows", []) if "udp" in f]

    def bridge(self, name, cfg=None):
        for b in (cfg or self.saved())["bridges"]:
            if b["name"] == name:
                return b
        return None

    def test_del_flows_is_saved_in_every_form(self):
        sw = self.switch("delf")
        sw.start()
        sw.ctl("add-br", "br0")
        rules = ["priority=%d,cookie=0x%x,udp,tp_dst=%d,actions=drop" % (10 + i, 1 + i % 2, i)
                 for i in range(6)]
        for r in rules:
            sw.ctl("add-flow", "br0", r)
        self.assertEqual(len(self.udp_rules("br0")), 6)
        sw.ctl("del-flows", "br0", "udp,tp_dst=0")
        self.assertEqual(len(self.udp_rules("br0")), 5)
        sw.ctl("del-flows", "br0", "priority=11,udp,tp_dst=1", "--strict")
        self.assertEqual(len(self.udp_rules("br0")), 4)
        sw.ctl("del-flows", "br0", "cookie=0x1/0xffffffffffffffff")
        self.assertEqual(len(self.udp_rules("br0")), 2)
        before = sw.ctl("dump-flows", "br0").stdout
        restart(sw)
        self.assertEqual(sw.ctl("dump-flows", "br0").stdout.count("actions="),
                         before.count("actions="))
        sw.ctl("del-flows", "br0")
        self.assertEqual(self.bridge("br0")["flows"], [])
        restart(sw)
        self.assertNotIn("actions=", sw.ctl("dump-flows", "br0").stdout)

    def test_del_port_takes_it_out_of_the_saved_groups(self):
        sw = self.switch("delpg")
        sw.start()
        sw.ctl("add-br", "br0")
        for i in range(2):
            sw.ctl("add-port", "br0", "n%d" % i, "type=dpdk", NULL_PORT % (40 + i))
        sw.ctl("add-group", "br0", "group_id=1,type=all,bucket=output:n0,bucket=output:n1")
        sw.ctl("add-group", "br0", "group_id=2,type=fast_failover,"
               "bucket=watch_port:n1,actions=output:n1,bucket=watch_port:n0,actions=output:n0")
        sw.ctl("del-port", "n1")
        want = ["group_id=1,type=all,bucket=actions=output:n0",
                "group_id=2,type=fast_failover,bucket=watch_port:n0,actions=output:n0"]
        self.assertEqual(self.bridge("br0")["groups"], want)
        self.assertEqual([g["group"] for g in sw.ctlj("dump-groups", "br0")["groups"]], want)
        restart(sw)
        self.assertEqual([g["group"] for g in sw.ctlj("dump-groups", "br0")["groups"]], want)
        self.assertEqual(sw.stop(), 0)

    def test_full_filesystem_refuses_every_change_and_changes_nothing(self):
        tmp = vsw.tempfile.mkdtemp(prefix="vsw-full-")
        vsw.sh("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", tmp)
        try:
            self._full_filesystem(tmp)
        finally:
            vsw.sh("umount", "-l", tmp, check=False)
            os.rmdir(tmp)

    def _full_filesystem(self, tmp):
        sw = self.switch("full", rundir=tmp)
        sw.start()
        sw.ctl("add-br", "br0")
        sw.ctl("add-port", "br0", "n0", "type=dpdk", NULL_PORT % 0)
        sw.ctl("add-port", "br0", "n1", "type=dpdk", NULL_PORT % 1)
        sw.ctl("add-flow", "br0", "priority=5,in_port=n0,actions=output:n1")
        sw.ctl("fdb-add", "br0", "n0", "02:00:00:00:00:01")
        def state():
            flows = sw.ctlj("dump-flows", "br0")["flows"]
            return [sw.ctl("list-br").stdout, sw.ctl("list-ports", "br0").stdout,
                    [(f["priority"], f["match"], f["actions"]) for f in flows],
                    [(e["mac"], e["port"], e["static"]) for e in sw.ctlj("fdb-show", "br0")],
                    [l for l in sw.ctl("show").stdout.split("\n")[1:]
                     if "heap" not in l and "Mbufs" not in l]]
        before, file_before = state(), self.saved()
        # Fill the filesystem; a rewrite of the file no longer fits.
        with open(os.path.join(tmp, "filler"), "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        refused = [
            ("add-br", "br1"),
            ("del-br", "br0"),
            ("add-port", "br0", "n2", "type=dpdk", NULL_PORT % 2),
            ("del-port", "n1"),
            ("set-port", "n0", "pmd-rxq-affinity=0:1"),
            ("add-flow", "br0", "priority=7,in_port=n1,actions=drop"),
            ("mod-flows", "br0", "in_port=n0,actions=drop"),
            ("del-flows", "br0"),
            ("replace-flows", "br0", "-"),
            ("fdb-add", "br0", "n1", "02:00:00:00:00:02"),
            ("fdb-del", "br0", "02:00:00:00:00:01"),
            ("fdb-flush", "br0"),
            ("set", "pmd-auto-lb=off"),
        ]
        for cmd in refused:
            r = subprocess.run([vsw.VSWITCHCTL, "--rundir", sw.rundir] + list(cmd),
                               input="priority=0,actions=drop\n", capture_output=True,
                               text=True, timeout=30)
            self.assertNotEqual(r.returncode, 0, "%s was accepted" % (cmd,))
            self.assertIn("cannot save the configuration", r.stderr, cmd)
            self.assertIn("No space left on device", r.stderr, cmd)
            self.assertIn("nothing was changed", r.stderr, cmd)
            self.assertEqual(state(), before, "%s changed the running state" % (cmd,))
        self.assertEqual(self.saved(), file_before)
        self.assertEqual([f for f in os.listdir(tmp) if ".tmp." in f], [])
        self.assertTrue(sw.alive())
        # A show says nothing differs: nothing does.
        self.assertIsNone(sw.ctlj("show")["config_diverged"])
        # Room again: the same change goes through and survives a restart.
        os.unlink(os.path.join(tmp, "filler"))
        sw.ctl("add-flow", "br0", "priority=7,in_port=n1,actions=drop")
        restart(sw)
        self.assertIn("priority=7", sw.ctl("dump-flows", "br0").stdout)
        self.assertEqual(sw.ctl("list-ports", "br0").stdout.split(), ["n0", "n1"])

    def test_too_small_filesystem_refuses_a_large_batch(self):
        tmp = vsw.tempfile.mkdtemp(prefix="vsw-small-")
        vsw.sh("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", tmp)
        try:
            sw = self.switch("small", rundir=tmp)
            sw.start()
            sw.ctl("add-br", "br0")
            rules = "".join("priority=10,udp,nw_dst=10.%d.%d.%d,tp_dst=53,actions=drop\n" %
                            (i >> 16, (i >> 8) & 255, i & 255) for i in range(30000))
            r = subprocess.run([vsw.VSWITCHCTL, "--rundir", sw.rundir, "add-flows", "br0", "-"],
                               input=rules, capture_output=True, text=True, timeout=120)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("cannot save the configuration", r.stderr)
            self.assertNotIn("actions=drop", sw.ctl("dump-flows", "br0").stdout)
            self.assertEqual(self.bridge("br0").get("flows"), None)
        finally:
            vsw.sh("umount", "-l", tmp, check=False)
            os.rmdir(tmp)

    def test_kill_9_mid_save_leaves_a_whole_file_and_no_litter(self):
        rules = ["priority=10,udp,nw_dst=10.%d.%d.%d,tp_dst=53,actions=drop" %
                 (i >> 16, (i >> 8) & 255, i & 255) for i in range(40000)]
        sw = self.switch("kill9", config={"bridges": [{"name": "br0", "flows": rules}]})
        sw.start(timeout=60)
        # A stale temporary of a dead process, as a kill -9 leaves one.
        stale = self.path + ".tmp.%d" % 4000000
        with open(stale, "w") as f:
            f.write('{"bridges": [')
        for delay in (0.0, 0.02, 0.05, 0.1):
            p = subprocess.Popen([vsw.VSWITCHCTL, "--rundir", sw.rundir, "add-flow", "br0",
                                  "priority=20,udp,tp_dst=%d,actions=drop" % int(delay * 1000)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            sw.proc.send_signal(signal.SIGKILL)
            sw.proc.wait(timeout=10)
            p.wait(timeout=30)
            cfg = self.saved()  # whole: it parses
            self.assertIn(len(self.bridge("br0", cfg)["flows"]), range(40000, 40005))
            sw.start(timeout=60)
            self.assertEqual([f for f in os.listdir(sw.rundir) if ".tmp." in f], [])
        self.assertIn("temporary file(s)", sw.read_log())
        self.assertFalse(os.path.exists(stale))

    def test_previous_file_is_kept(self):
        sw = self.switch("prev")
        sw.start()
        sw.ctl("add-br", "br0")
        first = self.saved()
        sw.ctl("add-br", "br1")
        with open(self.path + ".prev") as f:
            self.assertEqual(json.load(f), first)
        # A damaged file says where the previous one is.
        sw.stop()
        with open(self.path, "w") as f:
            f.write('{"bridges": [{"name": "br0"')
        r = subprocess.run([vsw.VSWITCHD, "--check-config", self.path], capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(r.returncode, 2)
        self.assertIn(self.path + ".prev", r.stderr)
        self.assertNotEqual(sw.start(expect_fail=True), 0)
        self.assertIn("copy it over", sw.read_log())

    def test_entry_that_cannot_be_applied_is_kept_as_written(self):
        br0 = {"name": "br0", "colour": "red",
               "ports": [{"name": "n%d" % i, "type": "dpdk",
                          "options": {"devargs": "net_null%d,no-rx=1" % i}} for i in range(5)],
               "fdb": [{"port": "n0", "mac": "02:00:00:00:00:0a", "vlan": 0}],
               "flows": ["priority=9,in_port=n0,actions=output:n1"]}
        cfg = {"bridges": [br0, {"name": "br9", "ports": []}]}
        sw = self.switch("keep", config=cfg)
        r = subprocess.run([vsw.VSWITCHD, "--check-config", self.path], capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn('bridge br0: unknown parameter "colour"', r.stdout)
        sw.start()
        show = sw.ctl("show").stdout
        self.assertIn("Not created (configured, kept): bridge br0", show)
        # Adding a bridge of that name does not overwrite the entry.
        r = sw.ctl("add-br", "br0", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("del-br br0", r.stderr)
        self.assertNotIn("br0", sw.ctl("list-br").stdout.split())
        # Other changes rewrite the file; the entry stays as written.
        sw.ctl("add-br", "br1")
        sw.ctl("add-port", "br9", "x0", "type=dpdk", NULL_PORT % 7)
        self.assertEqual(self.bridge("br0"), br0)
        restart(sw)
        self.assertEqual(self.bridge("br0"), br0)
        self.assertIn("Not created (configured, kept): bridge br0", sw.ctl("show").stdout)
        self.assertEqual(sorted(sw.ctl("list-br").stdout.split()), ["br1", "br9"])
        # Deleting it is how the operator forgets it.
        sw.ctl("del-br", "br0")
        self.assertIsNone(self.bridge("br0"))

    def test_what_the_methods_save_the_loader_replays_as_is(self):
        """One action per change, whoever calls it: a file built through the
        control socket is replayed at start through the same actions without
        a byte written, and the state they rebuild saves the same file."""
        sw = self.switch("same")
        sw.start()
        sw.ctl("add-br", "br0", "mac_aging=60")
        sw.ctl("add-br", "br1")
        sw.ctl("add-port", "br0", "n0", "type=dpdk", NULL_PORT % 0)
        sw.ctl("add-port", "br0", "n1", "type=dpdk", NULL_PORT % 1)
        sw.ctl("add-port", "br1", "n2", "type=dpdk", NULL_PORT % 2)
        sw.ctl("set-port", "n1", "pmd-rxq-affinity=0:1")
        sw.ctl("fdb-add", "br0", "n0", "02:00:00:00:00:0A")
        sw.ctl("fdb-add", "br0", "n1", "02:00:00:00:00:0b", "vlan=7")
        sw.ctl("fdb-add", "br1", "n2", "02:00:00:00:00:0c")
        sw.ctl("add-flow", "br0", "priority=5,in_port=n0,actions=output:n1")
        sw.ctl("set", "pmd-auto-lb=on", "pmd-auto-lb-load=80")
        cfg = self.saved()
        self.assertEqual(cfg["daemon"], {"pmd-auto-lb": "on", "pmd-auto-lb-load": "80"})
        self.assertEqual(self.bridge("br0", cfg)["fdb"],
                         [{"port": "n0", "mac": "02:00:00:00:00:0a", "vlan": 0},
                          {"port": "n1", "mac": "02:00:00:00:00:0b", "vlan": 7}])
        self.assertEqual(self.bridge("br0", cfg)["ports"][1]["options"]["pmd-rxq-affinity"],
                         "0:1")

        def state():
            return [sw.ctl("list-br").stdout, sw.ctl("list-ports", "br0").stdout,
                    sw.ctl("dump-flows", "br0").stdout.count("in_port=n0"),
                    [(e["mac"], e["vlan"], e["port"], e["static"])
                     for b in ("br0", "br1") for e in sw.ctlj("fdb-show", b)],
                    sw.ctlj("show")["config_diverged"]]
        before = state()
        with open(self.path, "rb") as f:
            text = f.read()
        st = os.stat(self.path)
        restart(sw)
        after = os.stat(self.path)
        self.assertEqual((after.st_ino, after.st_mtime_ns), (st.st_ino, st.st_mtime_ns))
        with open(self.path, "rb") as f:
            self.assertEqual(f.read(), text)
        self.assertEqual(state(), before)
        self.assertEqual(sw.ctlj("show")["failed"], [])
        # What the loader's actions hold is what the methods built: one
        # change and its undoing save the very same bytes.
        sw.ctl("add-br", "br2")
        self.assertNotEqual(self.saved(), cfg)
        sw.ctl("del-br", "br2")
        with open(self.path, "rb") as f:
            self.assertEqual(f.read(), text)

    def test_check_config_judges_static_macs_as_the_daemon_does(self):
        """--check-config decodes a static MAC by fdb.add's own table, the
        one the daemon's loader calls: a key fdb.add refuses is refused
        by both (the checker used to let it through)."""
        cfg = {"bridges": [{"name": "br0",
                            "ports": [{"name": "n0", "type": "dpdk",
                                       "options": {"devargs": "net_null0,no-rx=1"}}],
                            "fdb": [{"port": "n0", "mac": "02:00:00:00:00:0a",
                                     "colour": "red"},
                                    {"port": "n0", "mac": "02:00:00:00:00:0b"}]}]}
        sw = self.switch("ccfdb", config=cfg)
        r = subprocess.run([vsw.VSWITCHD, "--check-config", self.path], capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn('bridge br0: static MAC #1: unknown parameter "colour" (accepted: '
                      'bridge, port, mac, vlan, may_exist)', r.stdout)
        self.assertIn("1 problem(s)", r.stdout)
        sw.start()
        self.assertIn('Not created (configured, kept): mac 02:00:00:00:00:0a: unknown '
                      'parameter "colour"', sw.ctl("show").stdout)
        self.assertEqual([e["mac"] for e in sw.ctlj("fdb-show", "br0")],
                         ["02:00:00:00:00:0b"])
        self.assertEqual(self.saved(), cfg)  # kept as written

    def test_replaying_the_file_at_start_writes_nothing(self):
        cfg = {"bridges": [{"name": "br0", "mac_aging": 60,
                            "ports": [{"name": "n0", "type": "dpdk",
                                       "options": {"devargs": "net_null0,no-rx=1"}}],
                            "fdb": [{"port": "n0", "mac": "02:00:00:00:00:AA"}],
                            "flows": ["in_port=n0 , actions=drop"]}]}
        sw = self.switch("replay", config=cfg)
        mtime, ino = os.stat(self.path).st_mtime_ns, os.stat(self.path).st_ino
        sw.start()
        self.assertEqual(os.stat(self.path).st_mtime_ns, mtime)
        self.assertEqual(os.stat(self.path).st_ino, ino)
        self.assertEqual(self.saved(), cfg)
        self.assertFalse(os.path.exists(self.path + ".prev"))


if __name__ == "__main__":
    vsw.main()
