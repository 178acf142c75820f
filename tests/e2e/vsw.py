# SPDX-License-Identifier: BSD-3-Clause
"""tests/e2e/vsw.py: what the end-to-end tests share: a real vswitchd in a
private run directory, vswitchctl, network namespaces wired with veth
pairs, and raw frame I/O. Every process and file a test creates is
recorded and removed by pid/prefix at exit, whatever happened.

Tests need root and hugepages (scripts/setup-host prepares both); they say
so and exit 77 (skipped) when not root, and fail when hugepages are missing."""
import atexit
import json
import os
import re
import struct
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
VSWITCHD = os.environ.get("VSWITCHD", os.path.join(TOP, "build", "vswitchd"))
VSWITCHCTL = os.environ.get("VSWITCHCTL", os.path.join(TOP, "build", "cli", "vswitchctl"))
PKTIO = os.path.join(HERE, "pktio.py")
TAG = "%05d" % (os.getpid() % 100000)   # keeps interface names under 15 chars
ETHERTYPE = 0x88B5                       # IEEE local experimental: no host traffic uses it
# The daemon's PMD busy-polls CPU 1; test helpers stay on CPU 0 so they do not
# steal its time (a preempted PMD drops packets that are then not our bug).
# A capture ends this long after the test has sent (frames in flight reach
# it in microseconds; the margin is for a loaded machine), and never later
# than MAX_CAPTURE s after it started.
SETTLE = 0.5
MAX_CAPTURE = 30
HELPER_CPU = os.environ.get("VSW_TEST_CPU", "0")

_cleanups = []
ALL_SWITCHES = []


def _run_cleanups():
    while _cleanups:
        fn = _cleanups.pop()
        try:
            fn()
        except Exception as e:  # cleanup must go on
            print("cleanup: %s" % e, file=sys.stderr)


atexit.register(_run_cleanups)
for _sig in (signal.SIGTERM, signal.SIGINT):
    signal.signal(_sig, lambda s, f: sys.exit(128 + s))


def require_env():
    if os.geteuid() != 0:
        print("SKIP: end-to-end tests need root (network namespaces, DPDK)")
        sys.exit(77)
    free = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("HugePages_Free:"):
                free = int(line.split()[1])
    mounted = any(l.split()[2] == "hugetlbfs" for l in open("/proc/mounts"))
    if free < 64 or not mounted:
        raise SystemExit("FAIL: hugepages are not set up (%d free, hugetlbfs mounted: %s); "
                         "run scripts/setup-host" % (free, mounted))


def sh(*cmd, check=True, timeout=30, **kw):
    return subprocess.run(cmd, check=check, timeout=timeout, capture_output=True, text=True, **kw)


def wait_for(pred, timeout, what, interval=0.05, fail=None):
    """pred()'s first true value within 'timeout' seconds; else an
    AssertionError naming 'what' (and fail()'s value: the state seen)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(interval)
    raise AssertionError("timed out after %.1f s waiting for %s%s" %
                         (timeout, what, "" if fail is None else ": %s" % (fail(),)))


class Switch:
    """One vswitchd with its own run directory and DPDK file prefix."""

    def __init__(self, name="sw", args=(), config=None):
        self.rundir = tempfile.mkdtemp(prefix="vsw-%s-%s-" % (name, TAG))
        self.args = list(args)
        self.config = config
        self.proc = None
        self.log_path = os.path.join(self.rundir, "vswitchd.log")
        self.prefix = "vswe2e-%s-%s" % (name, TAG)
        _cleanups.append(self.cleanup)
        ALL_SWITCHES.append(self)

    def start(self, timeout=30, expect_fail=False):
        cmd = [VSWITCHD, "--rundir", self.rundir, "--main-cpu", "0", "--pmd-cpus", "1",
               "--mbufs", "4095", "--file-prefix", self.prefix] + self.args
        if self.config is not None:
            path = os.path.join(self.rundir, "config.json")
            with open(path, "w") as f:
                json.dump(self.config, f)
            cmd += ["--config", path]
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        if expect_fail:
            self.proc.wait(timeout=timeout)
            return self.proc.returncode

        def ready():
            if self.proc.poll() is not None:
                raise AssertionError("vswitchd exited with %d:\n%s" %
                                     (self.proc.returncode, self.read_log()))
            return self.ctl("show", check=False).returncode == 0
        wait_for(ready, timeout, "vswitchd to answer")
        return 0

    def read_log(self):
        with open(self.log_path) as f:
            return f.read()

    def ctl(self, *args, check=True, timeout=30):
        r = subprocess.run([VSWITCHCTL, "--rundir", self.rundir] + list(args),
                           capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise AssertionError("vswitchctl %s failed (%d): %s" % (" ".join(args), r.returncode,
                                                                   r.stderr))
        return r

    def ctlj(self, *args):
        return json.loads(self.ctl("--json", *args).stdout)

    def rpc_raw(self, data, timeout=10, shut=True):
        """Send raw bytes to the control socket; return what comes back."""
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect(os.path.join(self.rundir, "vswitchd.sock"))
        s.sendall(data)
        if shut:
            s.shutdown(socket.SHUT_WR)
        out = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
                if not shut and out.endswith(b"\n"):
                    break
        except (socket.timeout, ConnectionResetError):
            pass
        s.close()
        return out

    def stats(self, port):
        return self.ctlj("port-stats", port)[0]

    def add_netns_ports(self, bridge, letters, first=0):
        """A network namespace per letter, each wired to port "p<letter>" of
        'bridge' (its DPDK devices numbered from 'first'). Returns them by
        letter."""
        ns = {n: Netns(n) for n in letters}
        for i, n in enumerate(letters):
            self.ctl("add-port", bridge, "p" + n, "type=dpdk", ns[n].devargs(first + i))
        return ns

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=20):
        """SIGTERM; returns the exit status."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("vswitchd did not stop within %d s of SIGTERM" % timeout)

    def leftovers(self):
        """Files this instance should have removed on a clean stop."""
        left = []
        for d in ("/dev/hugepages",):
            if os.path.isdir(d):
                left += [os.path.join(d, f) for f in os.listdir(d) if f.startswith(self.prefix)]
        if os.path.exists("/var/run/dpdk/" + self.prefix):
            left.append("/var/run/dpdk/" + self.prefix)
        for f in ("vswitchd.sock", "vswitchd.pid"):
            if os.path.exists(os.path.join(self.rundir, f)):
                left.append(os.path.join(self.rundir, f))
        return left

    def cleanup(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for d in ("/dev/hugepages",):
            if os.path.isdir(d):
                for f in os.listdir(d):
                    if f.startswith(self.prefix):
                        os.unlink(os.path.join(d, f))
        sh("rm", "-rf", "/var/run/dpdk/" + self.prefix, self.rundir, check=False)


class Netns:
    """A namespace holding one end of a veth pair; the other end (self.port)
    stays in the root namespace for the switch to attach."""

    def __init__(self, letter, ip=None):
        self.ns = "vsw%s%s" % (TAG, letter)
        self.port = "vw%s%s" % (TAG, letter)      # root side, attached to the switch
        self.dev = "vn%s%s" % (TAG, letter)       # inside the namespace
        _cleanups.append(self.delete)
        sh("ip", "netns", "add", self.ns)
        sh("ip", "link", "add", self.port, "type", "veth", "peer", "name", self.dev)
        sh("ip", "link", "set", self.dev, "netns", self.ns)
        for dev, pre in ((self.port, []), (self.dev, ["ip", "netns", "exec", self.ns])):
            # No IPv6: its router and neighbour chatter would make counts vary.
            sh(*pre, "sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % dev)
        sh("ip", "link", "set", self.port, "up")
        sh("ip", "-n", self.ns, "link", "set", self.dev, "up")
        sh("ip", "-n", self.ns, "link", "set", "lo", "up")
        if ip:
            sh("ip", "-n", self.ns, "addr", "add", ip, "dev", self.dev)
        self.ip = ip.split("/")[0] if ip else None
        self.mac = self.exec("cat", "/sys/class/net/%s/address" % self.dev).stdout.strip()

    def exec(self, *cmd, check=True, timeout=60):
        return sh("ip", "netns", "exec", self.ns, "taskset", "-c", HELPER_CPU, *cmd,
                  check=check, timeout=timeout)

    def popen(self, *cmd, stdin=None):
        p = subprocess.Popen(["ip", "netns", "exec", self.ns, "taskset", "-c", HELPER_CPU] +
                             list(cmd), stdin=stdin,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _cleanups.append(lambda: p.poll() is None and (p.kill(), p.wait()))
        return p

    def devargs(self, n):
        return "devargs=net_af_packet%s%d,iface=%s" % (TAG, n, self.port)

    def ping(self, ip, count=3, interval=0.2, timeout=20):
        r = self.exec("ping", "-c", str(count), "-i", str(interval), "-W", "1", ip,
                      check=False, timeout=timeout)
        received = 0
        for line in r.stdout.splitlines():
            if "received" in line:
                received = int(line.split(",")[1].split()[0])
        return received

    def recv_start(self, timeout=5, max_frames=0, idle=0, ethertype=ETHERTYPE, until_stop=False):
        """A capture that ends after 'timeout' s, 'max_frames' frames, 'idle' s
        without one, or (until_stop) once recv_stop says the sending is done."""
        p = self.popen("python3", PKTIO, "recv", self.dev, "--ethertype", hex(ethertype),
                       "--timeout", str(timeout), "--max", str(max_frames), "--idle", str(idle),
                       *(["--until-stop"] if until_stop else []),
                       stdin=subprocess.PIPE if until_stop else None)
        line = p.stderr.readline()
        if "ready" not in line:
            raise AssertionError("pktio recv did not start: %s" % line)
        return p

    @staticmethod
    def recv_stop(p, settle=SETTLE):
        """What a recv_start(until_stop=True) capture got: it keeps receiving
        'settle' s after this call (the frames already sent are in flight)."""
        try:
            p.stdin.write("stop %g\n" % settle)
            p.stdin.flush()
        except BrokenPipeError:
            pass  # it has ended already (max_frames)
        return Netns.recv_result(p)

    @staticmethod
    def recv_result(p, timeout=30):
        out, err = p.communicate(timeout=timeout)
        return [bytes.fromhex(h) for h in json.loads(out)]

    def send(self, frames, repeat=1, seq=False, timeout=120):
        r = self.exec("python3", PKTIO, "send", self.dev, *[f.hex() for f in frames],
                      "--repeat", str(repeat), *(["--seq"] if seq else []), timeout=timeout)
        return int(r.stdout.strip())

    def send_start(self, frame, count, rate):
        """Send 'count' copies of 'frame' numbered 0.. at 'rate' per second, in
        the background; recv_result-like: the process, whose stdout is the count."""
        return self.popen("python3", PKTIO, "send", self.dev, frame.hex(), "--repeat",
                          str(count), "--seq", "--rate", str(rate))

    def kernel_drops(self):
        """Frames the kernel dropped between the switch and this namespace
        (the veth's backlog overflowing), as the kernel counts them."""
        tx = int(open("/sys/class/net/%s/statistics/tx_dropped" % self.port).read())
        rx = int(self.exec("cat", "/sys/class/net/%s/statistics/rx_dropped" % self.dev).stdout)
        return tx + rx

    def delete(self):
        sh("ip", "netns", "del", self.ns, check=False)
        sh("ip", "link", "del", self.port, check=False)


def exchange(ns, sender, frames, receivers, ethertype=ETHERTYPE, settle=SETTLE):
    """Capture at each of 'receivers' (names in 'ns') while 'sender' sends
    'frames' (or, with sender None, while frames() runs): {name: [frame]}.
    The captures end 'settle' s after the sending is done, however long the
    sender took to start (bounded by MAX_CAPTURE)."""
    rx = {n: ns[n].recv_start(timeout=MAX_CAPTURE, ethertype=ethertype, until_stop=True)
          for n in receivers}
    if sender is not None:
        ns[sender].send(frames)
    else:
        frames()
    return {n: Netns.recv_stop(p, settle) for n, p in rx.items()}


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def frame(dst, src, payload=b"", seq=0, size=64):
    """An Ethernet frame of our test EtherType carrying 'seq'."""
    body = seq.to_bytes(4, "big") + payload
    f = mac_bytes(dst) + mac_bytes(src) + ETHERTYPE.to_bytes(2, "big") + body
    return f + bytes(max(0, size - len(f)))


def seqs(frames):
    return sorted(int.from_bytes(f[14:18], "big") for f in frames)


def main():
    """Run the unittest cases of the calling module; on failure print the
    logs of every daemon started, so a CI failure explains itself."""
    require_env()
    prog = unittest.main(exit=False, verbosity=2)
    ok = prog.result.wasSuccessful()
    if not ok:
        for sw in ALL_SWITCHES:
            try:
                print("---- vswitchd log (%s) ----\n%s" % (sw.rundir, sw.read_log()[-8000:]),
                      file=sys.stderr)
            except OSError:
                pass
    _run_cleanups()
    sys.exit(0 if ok else 1)


def write_pcap(path, frames):
    """A pcap of these frames (bytes), in order."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 0, i, len(fr), len(fr)))
            f.write(fr)


def read_pcap(path):
    data = open(path, "rb").read()
    frames, off = [], 24
    while off + 16 <= len(data):
        _, _, caplen, _ = struct.unpack("<IIII", data[off:off + 16])
        frames.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return frames


def read_pcapng(path):
    """The enhanced packet blocks of a pcapng file, as (interface index,
    frame) pairs in file order (what dpdk-dumpcap writes)."""
    data = open(path, "rb").read()
    out, off = [], 0
    while off + 12 <= len(data):
        btype, blen = struct.unpack("<II", data[off:off + 8])
        if btype == 6:  # enhanced packet block
            ifid, _, _, caplen = struct.unpack("<IIII", data[off + 8:off + 24])
            out.append((ifid, data[off + 28:off + 28 + caplen]))
        off += blen
    return out


class Dumpcap:
    """dpdk-dumpcap capturing 'count' frames of DPDK device 'dev' of the
    switch whose file prefix is 'prefix'."""

    def __init__(self, prefix, dev, count, tmp):
        self.out = os.path.join(tmp, "%s.pcapng" % dev)
        self.log = os.path.join(tmp, "%s.dumpcap.log" % dev)
        with open(self.log, "w") as log:
            # stdbuf: "Capturing on" goes to a block-buffered stdout.
            self.proc = subprocess.Popen(
                ["stdbuf", "-oL", "dpdk-dumpcap", "--file-prefix=" + prefix, "-i", dev,
                 "-c", str(count), "-w", self.out], stdout=log, stderr=subprocess.STDOUT)

    def output(self):
        with open(self.log) as f:
            return f.read()

    def wait_capturing(self, sw, bridge, port, timeout=30):
        """Returns once the switch says a capture is armed on 'port' (dumpcap
        prints "Capturing on" before it asks the switch to arm it)."""
        def armed():
            if self.proc.poll() is not None:
                raise AssertionError("dpdk-dumpcap exited: " + self.output())
            info = [p for p in sw.ctlj("list-ports", bridge) if p["name"] == port][0].get("info", {})
            return info.get("capturing") == "yes"
        wait_for(armed, timeout, "dpdk-dumpcap capturing %s" % port)

    def result(self, timeout=20):
        """The frames captured, once dumpcap has its count and exits."""
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("dpdk-dumpcap did not get its frames: " + self.output())
        if rc != 0:
            raise AssertionError("dpdk-dumpcap failed: " + self.output())
        return [f for _, f in read_pcapng(self.out)]

    def stop(self, timeout=20):
        """Ctrl-C: dumpcap takes its hooks off the port and exits."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        self.cleanup()
        return self.proc.returncode

    def cleanup(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Testpmd:
    """dpdk-testpmd as a guest stand-in: virtio_user ports that are the other
    end of the switch's vhost-user ports, io forwarding in pairs (0<->1,
    2<->3). Its forwarding core is CPU 0, away from the switch's PMD."""

    def __init__(self, name, vdevs, extra=()):
        self.prefix = "vswe2e-tp%s-%s" % (name, TAG)
        self.log_path = tempfile.mktemp(prefix="vsw-testpmd-%s-" % name, suffix=".log")
        self.cmd = ["stdbuf", "-oL", "dpdk-testpmd", "-l", "0,1", "--main-lcore", "1",
                    "--file-prefix", self.prefix, "--no-pci", "--single-file-segments",
                    "--log-level=lib.eal:error"]
        for v in vdevs:
            self.cmd += ["--vdev", v]
        # No --stats-period: its cadence is testpmd's own estimate of a
        # second. testpmd waits for a line on stdin instead, a pipe held
        # open until stop().
        self.cmd += ["--", "--forward-mode=io", "--auto-start", "--no-flush-rx",
                     "--nb-cores=1", "--total-num-mbufs=16384"]
        self.cmd += list(extra)
        self.proc = None
        _cleanups.append(self.cleanup)

    def start(self):
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(self.cmd, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.PIPE)
        return self

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self, timeout=30):
        """SIGINT (testpmd prints its totals); returns {port: (rx, tx)}."""
        if self.running():
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        out = self.output()
        stats = {}
        for m in re.finditer(r"Forward statistics for port (\d+)\s+-+\s+RX-packets:\s+(\d+)"
                             r".*?\n\s+TX-packets:\s+(\d+)", out, re.S):
            stats[int(m.group(1))] = (int(m.group(2)), int(m.group(3)))
        self.cleanup()
        return stats

    def cleanup(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        if os.path.isdir("/dev/hugepages"):
            for f in os.listdir("/dev/hugepages"):
                if f.startswith(self.prefix):
                    os.unlink(os.path.join("/dev/hugepages", f))
        sh("rm", "-rf", "/var/run/dpdk/" + self.prefix, check=False)
