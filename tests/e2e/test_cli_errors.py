#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Every kind of bad command gets a non-zero exit and a message that says
what was wrong, and changes nothing; --json output keeps its documented
fields."""
import errno as errnomod
import json
import unittest

import vsw


def state(sw):
    """What a rejected command must not change."""
    show = sw.ctlj("show")
    for drop in ("uptime", "pmds"):
        show.pop(drop)
    for br in show["bridges"]:
        br.pop("learning")
        br.pop("mac_count")
    return json.dumps(show, sort_keys=True)


class CliErrors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("cli")
        cls.sw.start()
        cls.a = vsw.Netns("a")
        cls.sw.ctl("add-br", "br0")
        cls.sw.ctl("add-br", "br1")
        cls.sw.ctl("add-port", "br0", "pa", "type=dpdk", cls.a.devargs(0))

    @classmethod
    def tearDownClass(cls):
        assert cls.sw.stop() == 0

    def test_rejected_commands_explain_and_change_nothing(self):
        cases = [
            # (arguments, exit status, words the message must contain)
            (["add-br", "br0"], 1, "bridge br0 already exists"),
            (["add-br", "bad name"], 1, "invalid bridge name"),
            (["add-br", "x" * 40], 1, "invalid bridge name"),
            (["add-br", "brx", "mac_aging=0"], 1, "mac_aging\" must be from 1 to 86400"),
            (["add-br", "brx", "mac_aging=soon"], 1, "must be an integer"),
            (["add-br", "brx", "mac_max=3"], 1, "mac_max\" must be from 16"),
            (["add-br", "brx", "colour=red"], 1, "unknown parameter \"colour\""),
            (["add-br", "brx", "novalue"], 2, "not of the form key=value"),
            (["del-br", "nope"], 1, "no bridge named nope"),
            (["add-port", "nope", "px", "type=dpdk", "devargs=net_null0"], 1,
             "no bridge named nope; create it with add-br nope"),
            (["add-port", "br0", "pa", "type=dpdk", "devargs=net_null0"], 1,
             "port pa already exists"),
            (["add-port", "br0", "px", "devargs=net_null0"], 2, "give the port type"),
            (["add-port", "br0", "px", "type=warp"], 1, "unknown port type 'warp' (known: dpdk"),
            (["add-port", "br0", "px", "type=dpdk"], 1, "needs option 'devargs'"),
            (["add-port", "br0", "px", "type=dpdk", "devargs=net_null9", "rxq=0"], 1,
             "'rxq=0' is not a number from 1 to 64"),
            (["add-port", "br0", "px", "type=dpdk", "devargs=net_null9", "speed=fast"], 1,
             "unknown option 'speed' for a dpdk port; its options are: devargs"),
            (["add-port", "br0", "px", "type=dpdk", "devargs=net_nosuchdriver0"], 1,
             "DPDK cannot probe device 'net_nosuchdriver0'"),
            (["add-port", "br0", "px", "type=dpdk", "devargs=" + self.a.devargs(0)[8:]], 1,
             "is already port pa"),
            (["add-port", "br0", "px", "type=dpdk", "devargs=net_null9", "rxq=65"], 1,
             "from 1 to 64"),
            (["add-port", "br0", "bad/name", "type=dpdk", "devargs=net_null9"], 1,
             "invalid port name"),
            (["del-port", "nope"], 1, "no port named nope"),
            (["del-port", "br1", "pa"], 1, "port pa is on bridge br0, not br1"),
            (["list-ports", "nope"], 1, "no bridge named nope"),
            (["port-stats", "nope"], 1, "no port named nope"),
            (["fdb-show", "nope"], 1, "no bridge named nope"),
            (["fdb-flush", "br1", "pa"], 1, "bridge br1 has no port named pa"),
            (["fdb-add", "br0", "pa", "not-a-mac"], 1, "'not-a-mac' is not a MAC address"),
            (["fdb-add", "br0", "pa", "ff:ff:ff:ff:ff:ff"], 1, "is not a unicast MAC"),
            (["fdb-add", "br0", "nope", "02:00:00:00:00:01"], 1, "bridge br0 has no port named nope"),
            (["fdb-add", "br0", "pa", "02:00:00:00:00:01", "vlan=5000"], 1,
             "\"vlan\" must be from 0 to 4095"),
            (["fdb-del", "br0", "02:00:00:00:00:77"], 1, "bridge br0 has no entry for"),
            (["frobnicate"], 2, "unknown command 'frobnicate'"),
            (["add-br"], 2, "usage: vswitchctl add-br"),
            (["show", "extra"], 2, "usage: vswitchctl show"),
            (["call", "bridge.add", "{bad json"], 2, "not valid JSON"),
            (["call", "no.such.method"], 1, "unknown method \"no.such.method\""),
            (["call", "bridge.add", "{\"name\": 5}"], 1, "\"name\" must be a string"),
            # OVS habits: what the switch does not have, and numbers taken.
            (["add-flow", "br0", "actions=meter:1"], 1,
             "meter actions are not supported by vswitch; supported: output, NORMAL"),
            (["add-flow", "br0", "ct_state=+trk,actions=drop"], 1,
             "connection tracking fields are not supported by vswitch"),
            (["add-flow", "br0", "eth_scr=00:00:00:00:00:01,actions=drop"], 1,
             "did you mean 'eth_src'?"),
            (["add-flow", "br0", "in_port=9,actions=drop"], 1,
             "no port with OpenFlow port number 9 on this bridge"),
            (["add-port", "br0", "px", "type=dpdk", "devargs=net_null9", "ofport_request=0"], 1,
             "\"ofport_request\" must be from 1 to 65279"),
            (["add-port", "br0", "px", "type=dpdk", "devargs=net_null9", "ofport_request=1"], 1,
             "OpenFlow port number 1 is port pa's on bridge br0"),
            (["--may-exist", "add-port", "br1", "pa", "type=dpdk", "devargs=net_null9"], 1,
             "port pa already exists on bridge br0, not br1"),
            (["--if-exists", "del-port", "br1", "pa"], 1, "port pa is on bridge br0, not br1"),
            (["--may-exist", "del-br", "br1"], 2, "--may-exist is for add-br and add-port"),
            (["del-br", "--may-exist", "br1"], 2, "usage: vswitchctl del-br"),
            (["--if-exists", "add-br", "br1"], 2, "--if-exists is for del-br and del-port"),
            (["dump-flows", "br0", "--stats"], 2, "unknown option '--stats'"),
            (["dump-ports", "nope"], 1, "no bridge named nope"),
            (["dump-ports", "br0", "nope"], 1, "bridge br0 has no port nope"),
            (["mod-flows", "br0", "cookie=0x77/-1,actions=drop"], 0, ""),
        ]
        before = state(self.sw)
        for args, code, words in cases:
            r = self.sw.ctl(*args, check=False)
            self.assertEqual(r.returncode, code, "%s: %s" % (args, r.stderr))
            self.assertIn(words, r.stderr, args)
            if code != 0:
                self.assertEqual(r.stdout, "", args)
            self.assertEqual(state(self.sw), before, "state changed by %s" % args)
        self.assertTrue(self.sw.alive())

    def test_json_output_has_the_documented_fields(self):
        show = self.sw.ctlj("show")
        for k in ("version", "pid", "rundir", "file_prefix", "main_cpu", "pmd_cpus", "uptime",
                  "pmds", "bridges"):
            self.assertIn(k, show)
        port = show["bridges"][0]["ports"][0]
        for k in ("name", "bridge", "type", "id", "ofport", "options", "rx_queues", "tx_queues",
                  "txq_shared", "rxq_pmd", "numa", "link", "speed_mbps", "mac", "mtu",
                  "driver", "device"):
            self.assertIn(k, port)
        br = self.sw.ctlj("list-br")[0]
        for k in ("name", "mac_aging", "mac_max", "mac_count", "ports", "learning"):
            self.assertIn(k, br)
        st = self.sw.ctlj("port-stats", "pa")[0]
        for k in ("name", "bridge", "rx_packets", "rx_bytes", "tx_packets", "tx_bytes",
                  "dropped", "drops", "device"):
            self.assertIn(k, st)
        reasons = [d["name"] for d in self.sw.ctlj("drop-reasons")]
        self.assertEqual(sorted(st["drops"]), sorted(reasons))
        self.assertEqual(self.sw.ctlj("list-ports", "br0")[0]["name"], "pa")
        self.assertEqual(self.sw.ctlj("fdb-show", "br1"), [])
        self.assertIsNone(self.sw.ctlj("add-br", "brjson"))
        self.sw.ctl("del-br", "brjson")

    def test_human_output_is_tables(self):
        out = self.sw.ctl("port-stats").stdout.splitlines()
        self.assertEqual(out[0].split(), ["PORT", "BRIDGE", "RX_PACKETS", "RX_BYTES",
                                          "TX_PACKETS", "TX_BYTES", "DROPPED"])
        self.assertEqual(out[1].split()[:2], ["pa", "br0"])
        self.assertIn("REASON", self.sw.ctl("drop-reasons").stdout)
        self.assertIn("port.add", self.sw.ctl("list-methods").stdout)
        self.assertIn("add-port [--may-exist] BRIDGE PORT", self.sw.ctl("--help").stdout)
        self.assertEqual(self.sw.ctl("--version").stdout, self.sw.ctlj("show")["version"]
                         .join(["vswitchctl ", "\n"]))
        r = vsw.sh(vsw.VSWITCHD, "--version")
        self.assertEqual(r.stdout, "vswitchd %s\n" % self.sw.ctlj("show")["version"])

    def test_ovs_no_op_flags_change_nothing(self):
        before = state(self.sw)
        for args in (["--may-exist", "add-br", "br0"], ["add-br", "--may-exist", "br1"],
                     ["--if-exists", "del-br", "nope"], ["--if-exists", "del-port", "nope"],
                     ["del-port", "--if-exists", "br0", "nope"],
                     ["--may-exist", "add-port", "br0", "pa", "type=dpdk", "devargs=net_null9"]):
            r = self.sw.ctl(*args, check=False)
            self.assertEqual((r.returncode, r.stderr), (0, ""), args)
            self.assertEqual(state(self.sw), before, "state changed by %s" % args)

    def test_errors_under_json_are_json_with_their_errno(self):
        for args, code, errno, words in [
                (["add-br", "br0"], 1, "EEXIST", "bridge br0 already exists"),
                (["del-port", "nope"], 1, "ENOENT", "no port named nope"),
                (["add-flow", "br0", "actions=learn(x)"], 1, "EINVAL",
                 "learn actions are not supported"),
                (["add-br"], 2, "EINVAL", "usage: vswitchctl add-br"),
                (["--may-exist", "del-br", "br1"], 2, "EINVAL", "--may-exist is for")]:
            r = self.sw.ctl("--json", *args, check=False)
            self.assertEqual(r.returncode, code, args)
            self.assertEqual(r.stderr, "", args)
            e = json.loads(r.stdout)["error"]
            self.assertEqual(e["errno"], errno, args)
            self.assertEqual(e["code"], -getattr(errnomod, errno), args)
            self.assertIn(words, e["message"], args)
        r = vsw.sh(vsw.VSWITCHCTL, "--json", "--rundir", "/nonexistent", "show",
                   check=False)
        self.assertEqual(r.returncode, 3)
        self.assertEqual(json.loads(r.stdout)["error"]["errno"], "ENOENT")


if __name__ == "__main__":
    vsw.main()
