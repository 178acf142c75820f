# SPDX-License-Identifier: BSD-3-Clause
"""bench/duts.py: the switches under test, driven the same way.

Each one is started with a list of ports and a rule set,
on the same CPUs (control on CPU 0, one PMD on CPU 1 unless told otherwise),
and reports cumulative counters: packets sent by the sink port, and where it
can, the PMD's busy and total cycles. Every process is stopped by pid and its
DPDK files removed, whatever happens.

  VSwitch   this project's vswitchd
  Ovs       Open vSwitch with DPDK (Debian's openvswitch-switch-dpdk), with a
            private ovsdb-server and sockets in a temporary directory
  Testpmd   bare dpdk-testpmd io forwarding: the limit"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

import lib
import rulesets

OVS_VSWITCHD = "/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk"
OVS_SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"


def dpdk_port(name, devargs):
    """A DPDK device, by its devargs."""
    return {"name": name, "kind": "dpdk", "devargs": devargs}


def vhost_client(name, path, queues=1):
    """A vhost-user port connecting to a guest (or generator) listening on path."""
    return {"name": name, "kind": "vhost", "path": path, "queues": queues}


def src_port(ports):
    """The port traffic comes in on: the first that is not the sink."""
    return [p["name"] for p in ports if p["name"] != "sink"][0]


def write_rules(folder, lines):
    path = os.path.join(folder, "rules.txt")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


class Unsupported(Exception):
    """This DUT cannot run this configuration; the message says why."""


def mbufs_for(preload):
    """A pool size (2^k - 1) with room for a pcap preloaded by net_pcap."""
    n = 16384
    while n < preload + 32768:
        n *= 2
    return n - 1


class VSwitch:
    name = "vswitch"
    build = lib.BUILD

    def __init__(self, main_cpu=0, pmd_cpus="1"):
        self.main_cpu, self.pmd_cpus = main_cpu, pmd_cpus
        self.proc = None
        self.vswitchd = os.path.join(self.build, "vswitchd")
        self.vswitchctl = os.path.join(self.build, "cli", "vswitchctl")

    def start(self, ports, rules, preload=0, bridge_macs=None):
        if not os.path.exists(self.vswitchd):
            raise Unsupported("%s is missing: build it (or set %s)" % (
                self.vswitchd, "VSW_BASE_BUILD" if self.name == "base" else "VSW_BUILD"))
        self.rundir = tempfile.mkdtemp(prefix="vsw-bench-")
        self.prefix = "vswbench%d" % os.getpid()
        cmd = [self.vswitchd, "--rundir", self.rundir, "--file-prefix", self.prefix,
               "--main-cpu", str(self.main_cpu), "--pmd-cpus", self.pmd_cpus,
               "--mbufs", str(mbufs_for(preload)), "--log-level", "notice"]
        self.proc = lib.spawn(cmd, prefix=self.prefix,
                              log_path=os.path.join(self.rundir, "vswitchd.log"),
                              cleanup=lambda: shutil.rmtree(self.rundir, ignore_errors=True))
        lib.wait_for(lambda: self.proc.poll() is not None or
                     self.ctl("show", check=False).returncode == 0, 30, "vswitchd")
        if self.proc.poll() is not None:
            raise RuntimeError("vswitchd exited: %s" % self.log())
        self.ctl("add-br", "br0")
        # Sinks first: a replaying source starts sending when added.
        for p in sorted(ports, key=lambda p: p["name"] != "sink"):
            if p["kind"] == "dpdk":
                self.ctl("add-port", "br0", p["name"], "type=dpdk", "devargs=" + p["devargs"])
            else:
                self.ctl("add-port", "br0", p["name"], "type=vhost-user", "mode=client",
                         "path=" + p["path"], "queues=%d" % p["queues"])
        lines = rulesets.rules(rules, src_port(ports))
        if lines is None:
            for port, mac in (bridge_macs or {}).items():
                self.ctl("fdb-add", "br0", port, mac)
        else:
            self.ctl("replace-flows", "br0", write_rules(self.rundir, lines))
        self.tsc_hz = self.show()["tsc_hz"]

    def add_flows(self, lines):
        """Install rules from a file; the daemon has them all when it returns."""
        self.ctl("add-flows", "br0", write_rules(self.rundir, lines))

    def rule_memory(self):
        """(heap bytes of the process, hugepage bytes of the rule snapshot)."""
        d = json.loads(self.ctl("--json", "dump-flows", "br0", "dl_type=0x1").stdout)
        return lib.rss_anon(self.proc.pid), d["memory"]

    def log(self):
        try:
            return open(os.path.join(self.rundir, "vswitchd.log")).read()[-3000:]
        except OSError:
            return ""

    def ctl(self, *args, check=True):
        r = subprocess.run([self.vswitchctl, "--rundir", self.rundir] + list(args),
                           capture_output=True, text=True, timeout=60)
        if check and r.returncode != 0:
            raise RuntimeError("vswitchctl %s: %s" % (" ".join(args), r.stderr.strip()))
        return r

    def show(self):
        return json.loads(self.ctl("--json", "show").stdout)

    def counters(self, port):
        stats = json.loads(self.ctl("--json", "port-stats", port).stdout)[0]
        t = time.monotonic()
        pmds = self.show()["pmds"]
        busy = sum(p["busy_cycles"] for p in pmds)
        total = busy + sum(p["idle_cycles"] for p in pmds)
        return {"tx": stats["tx_packets"], "time": t, "rx_pmd": sum(p["rx_packets"] for p in pmds),
                "busy": busy, "total": total}

    def stop(self):
        if self.proc is not None:
            rc = lib.stop(self.proc)
            self.proc = None
            return rc


class TestpmdProcess:
    """A dpdk-testpmd run interactively (-i) on a pipe. Counters are read
    when they are needed, from its telemetry socket (/ethdev/stats,N), and
    its forwarding core's busy cycles from 'show fwd stats all'
    (--record-core-cycles): never from the periodic prints of
    --stats-period, whose cadence is testpmd's own estimate of a second
    (asked for 1 s, printed every 2 s on one machine)."""
    CYCLES = re.compile(r"CPU cycles/packet=[\d.]+ \(total cycles=(\d+) / total \w+ "
                        r"packets=(\d+)\) at (\d+) MHz")

    def _read(self):
        for line in self.proc.stdout:
            self.tail = (self.tail + [line])[-40:]
            m = re.match(r"Port (\d+): (?:[0-9A-F]{2}:){5}[0-9A-F]{2}$", line.strip())
            if m:
                self.started.add(int(m.group(1)))
            m = self.CYCLES.search(line)
            if m:
                with self.cond:
                    self.cycles.append((int(m.group(1)), int(m.group(2)),
                                        int(m.group(3)) * 1e6))
                    self.cond.notify_all()

    def _spawn(self, cmd, **kw):
        """cmd's application arguments must include -i and
        --record-core-cycles."""
        self.tail, self.cycles, self.cond, self.started = [], [], threading.Condition(), set()
        self.telemetry = "/var/run/dpdk/%s/dpdk_telemetry.v2" % self.prefix
        self.proc = lib.spawn(cmd, prefix=self.prefix, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, bufsize=1, **kw)
        threading.Thread(target=self._read, daemon=True).start()

    def command(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def wait_ready(self, timeout, what):
        """Until testpmd has started every port ('Port N: MAC'). Not by
        asking telemetry: net_vhost's stats_get dereferences queues that
        do not exist yet, and a query during its set-up killed testpmd
        with SIGSEGV (DPDK 22.11.11)."""
        def ready():
            if self.proc.poll() is not None:
                raise RuntimeError("testpmd exited: %s" % "".join(self.tail))
            return len(self.started) == self.nports
        lib.wait_for(ready, timeout, what)

    def ethstats(self, port):
        """rte_eth_stats of one port, now; None before the port exists."""
        return lib.telemetry(self.telemetry, "/ethdev/stats,%d" % port).get("/ethdev/stats")

    def core_cycles(self, timeout=10):
        """(time sent, time answered, busy cycles, packets received, TSC
        Hz) of the forwarding cores: the cycles of iterations that
        received packets (testpmd counts none for an empty poll), counted
        at some moment between the two times (testpmd's main thread runs
        the command when it gets the CPU, which on a busy machine can be
        tenths of a second after it was sent)."""
        with self.cond:
            n = len(self.cycles)
            t = time.monotonic()
            self.command("show fwd stats all")
            if not self.cond.wait_for(lambda: len(self.cycles) > n or
                                      self.proc.poll() is not None, timeout):
                raise RuntimeError("testpmd printed no forwarding cycles within %d s (nothing "
                                   "received yet?)" % timeout)
            if len(self.cycles) == n:
                raise RuntimeError("testpmd exited: %s" % "".join(self.tail))
            return (t, time.monotonic()) + self.cycles[n]

    def counters_of(self, field, ports):
        """Sum of one rte_eth_stats field over ports, and the core's busy
        cycles: the keys measure() reads."""
        v = sum(self.ethstats(p)[field] for p in ports)
        t = time.monotonic()
        tc, ta, busy, rx, hz = self.core_cycles()
        # A window from the first reading's sending to the second's answer
        # holds both moments testpmd counted at, so busy % cannot pass 100.
        return {"tx": v, "time": t, "busy": busy, "rx_pmd": rx, "total": tc * hz * self.ncores,
                "total_late": ta * hz * self.ncores, "tsc_hz": hz}

    def stop(self):
        """testpmd's own way out first ('quit': forwarding stops, ports
        close, exit 0), then lib.stop's signals: on a loaded machine a
        SIGTERM once took testpmd past lib.stop's 20 s, and a SIGKILL
        counts as an unclean exit."""
        if self.proc is not None:
            try:
                self.command("quit")
                self.proc.wait(timeout=30)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass  # gone already, or stuck: the signals then
            rc = lib.stop(self.proc)
            self.proc = None
            return rc


class Testpmd(TestpmdProcess):
    """dpdk-testpmd, io forwarding between its ports in pairs (0<->1)."""
    name = "testpmd"

    def __init__(self, main_cpu=0, fwd_cpus="1"):
        self.main_cpu, self.fwd_cpus = main_cpu, fwd_cpus
        self.proc = None

    def start(self, ports, rules, preload=0, bridge_macs=None, extra_eal=(), extra=()):
        self.prefix = "tpbench%d" % os.getpid()
        self.order = [p["name"] for p in ports]
        cores = "%d,%s" % (self.main_cpu, self.fwd_cpus)
        nb = len(self.fwd_cpus.split(","))
        cmd = ["stdbuf", "-oL", "dpdk-testpmd", "-l", cores, "--main-lcore", str(self.main_cpu),
               "--file-prefix", self.prefix, "--no-pci"] + list(extra_eal)
        for i, p in enumerate(ports):
            if p["kind"] == "dpdk":
                cmd += ["--vdev", p["devargs"]]
            else:
                cmd += ["--vdev", "net_vhost%d,iface=%s,client=1,queues=%d" % (
                    i, p["path"], p["queues"])]
        # Every queue of a multiqueue port, or the other queues' packets
        # never come back and the loop runs on part of what is in flight.
        q = max(p.get("queues", 1) for p in ports)
        cmd += ["--", "-i", "--forward-mode=io", "--auto-start", "--record-core-cycles",
                "--nb-cores=%d" % nb, "--rxq=%d" % q, "--txq=%d" % q,
                "--total-num-mbufs=%d" % mbufs_for(preload)] + list(extra)
        self.nports, self.ncores = len(ports), nb
        self._spawn(cmd)
        self.wait_ready(120, "testpmd's ports")

    def counters(self, port):
        """Packets the port has sent, now, and the forwarding core's cycles."""
        return self.counters_of("opackets", [self.order.index(port)])


class Ovs:
    """Open vSwitch with DPDK, private: its own ovsdb-server, database and
    sockets in a temporary directory; never the system service."""
    name = "ovs-dpdk"

    def __init__(self, main_cpu=0, pmd_cpus="1"):
        self.main_cpu = main_cpu
        self.pmd_mask = hex(sum(1 << int(c) for c in pmd_cpus.split(",")))
        self.procs = []

    def _env(self):
        return dict(os.environ, OVS_RUNDIR=self.dir, OVS_DBDIR=self.dir, OVS_LOGDIR=self.dir,
                    OVS_SYSCONFDIR=self.dir)

    def vsctl(self, *args):
        return lib.sh("ovs-vsctl", "--db=unix:%s/db.sock" % self.dir, "--timeout=60", *args,
                      env=self._env(), timeout=90).stdout

    def appctl(self, *args):
        ctl = [f for f in os.listdir(self.dir) if f.startswith("ovs-vswitchd") and
               f.endswith(".ctl")]
        return lib.sh("ovs-appctl", "-t", os.path.join(self.dir, ctl[0]), *args,
                      env=self._env()).stdout

    def ofctl(self, *args, timeout=60):
        return lib.sh("ovs-ofctl", *args, env=self._env(), timeout=timeout).stdout

    def start(self, ports, rules, preload=0, bridge_macs=None):
        if not os.path.exists(OVS_VSWITCHD):
            raise Unsupported("openvswitch-switch-dpdk is not installed")
        if preload > 250000:
            raise Unsupported("OVS caps its packet buffer pool at 262144 mbufs; net_pcap "
                              "must preload %d frames" % preload)
        self.dir = tempfile.mkdtemp(prefix="ovs-bench-")
        self.prefix = "ovsbench%d" % os.getpid()
        env = self._env()
        lib.sh("ovsdb-tool", "create", self.dir + "/conf.db", OVS_SCHEMA, env=env)
        self.procs.append(lib.spawn(
            ["ovsdb-server", self.dir + "/conf.db", "--remote=punix:%s/db.sock" % self.dir,
             "--no-chdir", "--log-file=%s/ovsdb-server.log" % self.dir], env=env))
        lib.wait_for(lambda: os.path.exists(self.dir + "/db.sock"), 20, "ovsdb-server")
        self.vsctl("--no-wait", "init")
        self.vsctl("--no-wait", "set", "Open_vSwitch", ".", "other_config:dpdk-init=true",
                   "other_config:dpdk-lcore-mask=%s" % hex(1 << self.main_cpu),
                   "other_config:pmd-cpu-mask=%s" % self.pmd_mask,
                   "other_config:dpdk-extra=--file-prefix %s --no-pci" % self.prefix)
        # OVS adds --in-memory itself: no files to clean, but its prefix
        # directory is removed all the same.
        self.procs.append(lib.spawn(
            [OVS_VSWITCHD, "unix:%s/db.sock" % self.dir, "--no-chdir",
             "--log-file=%s/ovs-vswitchd.log" % self.dir], env=env, prefix=self.prefix,
            cleanup=lambda: shutil.rmtree(self.dir, ignore_errors=True)))
        lib.wait_for(lambda: any(f.startswith("ovs-vswitchd") and f.endswith(".ctl")
                                 for f in os.listdir(self.dir)), 60, "ovs-vswitchd")
        self.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev")
        for p in sorted(ports, key=lambda p: p["name"] != "sink"):
            if p["kind"] == "dpdk":
                self.vsctl("add-port", "br0", p["name"], "--", "set", "Interface", p["name"],
                           "type=dpdk", "options:dpdk-devargs=" + p["devargs"])
            else:
                self.vsctl("add-port", "br0", p["name"], "--", "set", "Interface", p["name"],
                           "type=dpdkvhostuserclient",
                           "options:vhost-server-path=" + p["path"])
        lines = rulesets.rules(rules, src_port(ports))
        if lines is None:
            for port, mac in (bridge_macs or {}).items():
                self.appctl("fdb/add", "br0", port, "0", mac)
        else:
            self.ofctl("del-flows", "br0")
            self.ofctl("add-flows", "br0", write_rules(self.dir, lines))
        err = [l for l in open(self.dir + "/ovs-vswitchd.log") if "|ERR|" in l]
        if err:
            raise RuntimeError("ovs-vswitchd: %s" % err[0].strip())

    def add_flows(self, lines):
        self.ofctl("add-flows", "br0", write_rules(self.dir, lines), timeout=900)

    def rule_memory(self):
        return lib.rss_anon(self.procs[1].pid), 0

    def counters(self, port):
        out = self.ofctl("dump-ports", "br0", port)
        tx = lib.parse_int(r"tx pkts=(\d+)", out)
        t = time.monotonic()
        pmd = self.appctl("dpif-netdev/pmd-stats-show").split("main thread:")[0]
        proc = lib.parse_int(r"processing cycles: (\d+)", pmd) or 0
        idle = lib.parse_int(r"idle cycles: (\d+)", pmd) or 0
        rx = lib.parse_int(r"packets received: (\d+)", pmd) or 0
        return {"tx": tx, "time": t, "busy": proc, "total": proc + idle, "rx_pmd": rx}

    def stop(self):
        """'exit' through ovs-appctl, as OVS expects (on SIGTERM it cleans up
        and then dies of the signal, which would read as a crash here)."""
        rc = None
        for p, target in reversed(list(zip(self.procs, ("ovsdb-server", "ovs-vswitchd")))):
            ctl = [f for f in os.listdir(self.dir) if f.startswith(target) and
                   f.endswith(".ctl")] if os.path.isdir(self.dir) else []
            if ctl and p.poll() is None:
                subprocess.run(["ovs-appctl", "-t", os.path.join(self.dir, ctl[0]), "exit"],
                               capture_output=True, timeout=30, env=self._env())
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    pass
            rc = p.poll() if rc in (0, None) else rc
            lib.stop(p)
        self.procs = []
        return rc


class LinuxBridge:
    """What a KVM host has by default: a Linux bridge and a tap per guest,
    QEMU's -netdev tap. Without vhost_net when the kernel has none (this
    one: no /dev/vhost-net), so QEMU's own thread moves every frame between
    the tap and the virtqueues. No PMD: the kernel forwards in the
    senders' context. Interfaces are named from the pid and always
    removed."""
    name = "bridge"

    def __init__(self):
        tag = "%d" % (os.getpid() % 10000000)
        self.br, self.taps = "vsbr" + tag, ["vsbt%sa" % tag, "vsbt%sb" % tag]
        self.vhost = os.path.exists("/dev/vhost-net")
        self.up = False

    def note(self):
        return None if self.vhost else "tap without vhost_net (no /dev/vhost-net)"

    def netdev(self, i):
        """QEMU's -netdev for guest i."""
        return "tap,id=net0,ifname=%s,script=no,downscript=no,vhost=%s" % (
            self.taps[i], "on" if self.vhost else "off")

    def start(self):
        lib.on_cleanup(self.remove)
        self.up = True
        lib.sh("ip", "link", "add", self.br, "type", "bridge")
        for t in self.taps:
            lib.sh("ip", "tuntap", "add", "dev", t, "mode", "tap")
            lib.sh("ip", "link", "set", t, "master", self.br, "up")
        lib.sh("ip", "link", "set", self.br, "up")

    def remove(self):
        for dev in self.taps + [self.br]:
            lib.sh("ip", "link", "del", dev, check=False)
        self.up = False

    def stop(self):
        if self.up:
            lib.undo(self.remove)
        return None


class VSwitchBase(VSwitch):
    """The same switch built from another tree (VSW_BASE_BUILD, e.g. the
    last release or main before a change): the 'before' of an A/B, run in
    the same rounds as the 'after' so that the machine's drift cancels."""
    name = "base"
    build = os.environ.get("VSW_BASE_BUILD", os.path.join(lib.TOP, "build-base"))


DUTS = {"vswitch": VSwitch, "ovs": Ovs, "testpmd": Testpmd, "base": VSwitchBase}
DEFAULT_DUTS = ["vswitch", "ovs", "testpmd"]
GUEST_DUTS = dict(DUTS, bridge=LinuxBridge)
GUEST_DEFAULT_DUTS = DEFAULT_DUTS + ["bridge"]   # the guests scenario only


class LoopGenerator(TestpmdProcess):
    """dpdk-testpmd as the guests of the vhost loop: two virtio_user ports
    that listen (server=1) for the switch under test, 'inflight' bursts of
    'burst' packets sent on each queue at start (start tx_first N), then io
    forwarding: whatever comes back from the switch on one port goes out of
    the other, forever. Its forwarding core is CPU 0; the switch's PMD has
    CPU 1.

    A closed loop runs at the pace of its slower side, and the faster one
    idles: enough packets in flight (the default fills half of every
    1024-slot ring) and large bursts make the generator cheap per packet,
    so that the switch is the slower side. Whether it was is in the
    switch's PMD busy % (measure() records it and the generator's own)."""
    PEERS = ("02:00:00:00:00:10", "02:00:00:00:00:11")  # destination MACs it sends to
    RING = 1024

    def __init__(self, size=64, queues=1, burst=64, inflight=8):
        self.size, self.queues, self.burst, self.inflight = size, queues, burst, inflight
        self.proc = None
        self.nports, self.ncores = 2, 1

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="vsw-bench-gen-")
        self.socks = [os.path.join(self.dir, "g%d.sock" % i) for i in range(2)]
        self.prefix = "genbench%d" % os.getpid()
        cmd = ["stdbuf", "-oL", "dpdk-testpmd", "-l", "0,1", "--main-lcore", "1",
               "--file-prefix", self.prefix, "--no-pci", "--single-file-segments"]
        for i, sock in enumerate(self.socks):
            cmd += ["--vdev", "virtio_user%d,path=%s,server=1,queues=%d,queue_size=%d" % (
                i, sock, self.queues, self.RING)]
        cmd += ["--", "-i", "--forward-mode=io", "--record-core-cycles", "--nb-cores=1",
                "--rxq=%d" % self.queues, "--txq=%d" % self.queues,
                "--rxd=%d" % self.RING, "--txd=%d" % self.RING, "--burst=%d" % self.burst,
                "--txpkts=%d" % (self.size - 4), "--total-num-mbufs=65535",
                "--eth-peer=0,%s" % self.PEERS[0], "--eth-peer=1,%s" % self.PEERS[1]]
        self._spawn(cmd, cleanup=lambda: shutil.rmtree(self.dir, ignore_errors=True))
        # virtio_user with server=1 blocks until its socket is connected:
        # the second socket appears only then. The switch keeps retrying.
        lib.wait_for(lambda: os.path.exists(self.socks[0]) or self.proc.poll() is not None,
                     60, "the generator's first socket")
        if self.proc.poll() is not None:
            raise RuntimeError("generator exited: %s" % "".join(self.tail))

    def go(self):
        """Once the switch is connected: the packets in flight, then the loop."""
        self.wait_ready(60, "the generator's ports")
        self.command("start tx_first %d" % self.inflight)

    def counters(self):
        """Packets the generator got back from the switch (both ports), now,
        and its own core's busy cycles."""
        return self.counters_of("ipackets", (0, 1))
