#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Real QEMU guests (../shared/guest) on vhost-user ports: two guests ping
each other and run iperf3 through the switch; a guest talks TCP to a host
namespace (the switch segments the guest's TSO frames in software); a guest
reboots; the switch restarts under running guests and traffic resumes.

Guests boot under KVM when the host has usable KVM, else under TCG (this
machine's KVM is PVM, which cannot run an unmodified guest): TCG proves
function, not speed. Without QEMU at all the tests say so and are skipped."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import vsw

GUEST = os.environ.get("VSW_GUEST_DIR", os.path.join(vsw.TOP, "..", "shared", "guest"))
MAC_A, MAC_B = "52:54:00:00:00:0a", "52:54:00:00:00:0b"


def build_guest():
    if not os.path.exists(os.path.join(GUEST, "run-guest.sh")):
        print("SKIP: no guest harness at %s (set VSW_GUEST_DIR)" % GUEST)
        sys.exit(77)
    r = subprocess.run([os.path.join(GUEST, "build-guest.sh")], capture_output=True, text=True,
                       timeout=900)
    if r.returncode != 0 or shutil.which("qemu-system-x86_64") is None:
        print("SKIP: cannot build or boot guests here:\n%s" % r.stderr[-2000:])
        sys.exit(77)


class Guest:
    """One run-guest.sh: boots, runs 'cmd', powers off; its output is kept."""

    def __init__(self, name, sock, mac, ip, cmd, role="client", waitpeer=None, timeout=240,
                 extra=()):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="vsw-guest-%s-" % name)
        self.out = os.path.join(self.dir, "out.txt")
        self.log = os.path.join(self.dir, "serial.log")
        cmd_line = [os.path.join(GUEST, "run-guest.sh"), "--name", "%s-%s" % (name, vsw.TAG),
                    "--sock", sock, "--role", role, "--mac", mac, "--ip", ip, "--cmd", cmd,
                    "--out", self.out, "--log", self.log, "--timeout", str(timeout),
                    "--mem-backend", "memfd", "--pidfile", os.path.join(self.dir, "qemu.pid")]
        if waitpeer:
            cmd_line += ["--waitpeer", waitpeer]
        cmd_line += list(extra)
        self.stderr = open(os.path.join(self.dir, "run-guest.err"), "w")
        # The guest's vCPU stays off the switch's PMD core.
        self.proc = subprocess.Popen(["taskset", "-c", vsw.HELPER_CPU] + cmd_line,
                                     stdout=subprocess.DEVNULL, stderr=self.stderr)
        vsw._cleanups.append(self.kill)

    def wait(self, timeout=300):
        self.proc.wait(timeout=timeout)
        return self.proc.returncode

    def output(self):
        try:
            return open(self.out).read()
        except OSError:
            return ""

    def summary(self):
        self.stderr.flush()
        return open(os.path.join(self.dir, "run-guest.err")).read()[-1500:]

    def kill(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def ping_replies(text):
    """busybox ping: the icmp_seq numbers that were answered."""
    return sorted({int(m) for m in re.findall(r"seq=(\d+)", text)})


class Guests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        build_guest()

    def setUp(self):
        self.sw = vsw.Switch("guests")
        self.sw.start()
        self.sw.ctl("add-br", "br0")

    def tearDown(self):
        self.sw.stop()

    def sock(self, name):
        return os.path.join(self.sw.rundir, name + ".sock")

    def test_two_guests_ping_and_iperf3(self):
        self.sw.ctl("add-port", "br0", "ga", "type=vhost-user")
        self.sw.ctl("add-port", "br0", "gb", "type=vhost-user")
        b = Guest("b", self.sock("gb"), MAC_B, "10.0.0.2/24", "iperf3 -s -1")
        a = Guest("a", self.sock("ga"), MAC_A, "10.0.0.1/24",
                  # B's iperf3 server listens in its own time after its
                  # ping replies: retry (bounded) until it accepts. 3.12
                  # exits 0 when it cannot connect; its JSON says "error".
                  "ping -c 5 -i 0.2 10.0.0.2 && { i=0; until iperf3 -c 10.0.0.2 -n 12M -J "
                  "> /tmp/r.json && ! grep -q '\"error\":' /tmp/r.json; do i=$((i+1)); "
                  "[ $i -ge 30 ] && break; sleep 1; done; cat /tmp/r.json; }",
                  waitpeer="10.0.0.2")
        self.assertEqual(a.wait(), 0, a.summary())
        self.assertEqual(b.wait(), 0, b.summary())
        out = a.output()
        self.assertEqual(ping_replies(out), [0, 1, 2, 3, 4])
        result = json.loads(out[out.index("{"):])
        gbps = result["end"]["sum_received"]["bits_per_second"] / 1e9
        print("iperf3 guest to guest: %.3f Gbit/s (%s)" % (
            gbps, re.findall(r"accel=(\w+)", a.summary())), file=sys.stderr)
        self.assertGreater(gbps, 0)
        # A byte count, not a duration: what crosses does not depend on the
        # machine's speed (TCG, a loaded host).
        # (sum_received leaves out what was in flight when the client
        # ended; the switch's own count does not.)
        self.assertGreaterEqual(result["end"]["sum_sent"]["bytes"], 12 << 20)
        # All of it but what may still sit in the guest's socket buffer
        # (tcp_wmem's 4 MiB at most) when iperf3 ends crossed the switch.
        ga = self.sw.stats("ga")
        self.assertGreater(ga["rx_bytes"], 8 << 20)
        # The guests negotiated checksum offload and TSO with the switch.
        info = [p for p in self.sw.ctlj("list-ports", "br0") if p["name"] == "ga"][0]["info"]
        features = int(info["features"], 16)
        for bit in (0, 1, 7, 11):  # CSUM, GUEST_CSUM, GUEST_TSO4, HOST_TSO4
            self.assertTrue(features >> bit & 1, "feature bit %d" % bit)

    def test_guest_tcp_to_a_host_namespace(self):
        """The guest's TSO frames are segmented by the switch for an
        af_packet port; the host's TCP stack checks every checksum."""
        ns = vsw.Netns("h", "10.0.0.9/24")
        # The kernel side of an af_packet link must not hand the switch
        # TSO frames or partial checksums (docs/vhost-user.md).
        ns.exec("ethtool", "-K", ns.dev, "tx", "off", "tso", "off", "gso", "off", check=False)
        vsw.sh("ethtool", "-K", ns.port, "tx", "off", "tso", "off", "gso", "off", "gro", "off",
               check=False)
        self.sw.ctl("add-port", "br0", "host", "type=dpdk", ns.devargs(0))
        self.sw.ctl("add-port", "br0", "ga", "type=vhost-user")
        srv = ns.popen("iperf3", "-s", "-1")
        a = Guest("t", self.sock("ga"), MAC_A, "10.0.0.1/24", "iperf3 -c 10.0.0.9 -n 4M -J",
                  waitpeer="10.0.0.9")
        self.assertEqual(a.wait(), 0, a.summary())
        srv.wait(timeout=30)
        out = a.output()
        result = json.loads(out[out.index("{"):])
        self.assertGreaterEqual(result["end"]["sum_sent"]["bytes"], 4 << 20)
        self.assertGreater(result["end"]["sum_received"]["bytes"], 1 << 20)
        host, ga = self.sw.stats("host"), self.sw.stats("ga")
        self.assertGreater(host["tx_packets"], ga["rx_packets"])  # segmented
        self.assertEqual(host["dropped"], 0)
        nstat = ns.exec("nstat", "-az").stdout
        errors = int(re.search(r"TcpInCsumErrors\s+(\d+)", nstat).group(1))
        self.assertEqual(errors, 0)

    def test_guest_reboot(self):
        self.sw.ctl("add-port", "br0", "ga", "type=vhost-user")
        self.sw.ctl("add-port", "br0", "gb", "type=vhost-user")
        b = Guest("rb", self.sock("gb"), MAC_B, "10.0.0.2/24", "sleep 90", timeout=150)
        for boot in range(2):
            a = Guest("ra%d" % boot, self.sock("ga"), MAC_A, "10.0.0.1/24",
                      "ping -c 3 -i 0.2 10.0.0.2", waitpeer="10.0.0.2")
            self.assertEqual(a.wait(), 0, a.summary())
            self.assertEqual(ping_replies(a.output()), [0, 1, 2])
        info = [p for p in self.sw.ctlj("list-ports", "br0") if p["name"] == "ga"][0]["info"]
        self.assertEqual(info["connects"], "2")
        b.kill()

    def test_switch_restart_under_running_guests(self):
        """Client mode: QEMU listens, the switch connects. The switch is
        stopped and started while both guests keep pinging; pings stop,
        then come back without anything done in the guests."""
        sa, sb = (os.path.join(self.sw.rundir, "q%s.sock" % n) for n in "ab")
        interval, count = 0.1, 250
        b = Guest("sb", sb, MAC_B, "10.0.0.2/24", "sleep 100", role="server", timeout=180)
        a = Guest("sa", sa, MAC_A, "10.0.0.1/24",
                  "ping -c %d -i %s -W 1 10.0.0.2" % (count, interval), role="server",
                  waitpeer="10.0.0.2", timeout=180)
        vsw.wait_for(lambda: os.path.exists(sa) and os.path.exists(sb), 60, "QEMU sockets")
        self.sw.ctl("add-port", "br0", "ga", "type=vhost-user", "mode=client", "path=" + sa)
        self.sw.ctl("add-port", "br0", "gb", "type=vhost-user", "mode=client", "path=" + sb)
        # Restart once the pinging has started.
        vsw.wait_for(lambda: self.sw.stats("gb")["tx_packets"] >= 20, 120, "pings flowing")
        t0 = time.monotonic()
        self.assertEqual(self.sw.stop(), 0)
        self.sw.start()
        vsw.wait_for(lambda: self.sw.stats("gb")["tx_packets"] > 0, 30, "pings after restart")
        resumed = time.monotonic() - t0
        self.assertEqual(a.wait(timeout=240), 0, a.summary())
        seqs = ping_replies(a.output())
        lost = count - len(seqs)
        print("switch restart under guests: forwarding again %.0f ms after the stop; "
              "%d of %d pings (every %.0f ms) lost" % (resumed * 1000, lost, count,
                                                       interval * 1000), file=sys.stderr)
        self.assertIn(count - 1, seqs)           # the last pings were answered
        self.assertLess(lost, count // 2)
        b.kill()


if __name__ == "__main__":
    vsw.main()
