# SPDX-License-Identifier: BSD-3-Clause
"""bench/lib.py: what every benchmark scenario shares: checking the
machine, running processes that are always cleaned up by pid and DPDK file
prefix, counters sampled over a window, medians, and the results folder
(CSV, Markdown table, gnuplot plots)."""
import csv
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
BUILD = os.environ.get("VSW_BUILD", os.path.join(TOP, "build"))
VSWITCHD = os.path.join(BUILD, "vswitchd")
VSWITCHCTL = os.path.join(BUILD, "cli", "vswitchctl")
CACHE = os.environ.get("VSW_BENCH_CACHE", "/var/tmp/vswitch-bench")
HUGEDIR = "/dev/hugepages"
MBUF_BYTES = 2432          # one 2176-byte mbuf plus mempool overhead, rounded up

_procs = []                # (Popen, dpdk prefix or None, extra cleanup)
_undo = []                 # what cleanup_all() undoes after the processes: interfaces


def log(msg):
    print("bench: %s" % msg, file=sys.stderr, flush=True)


def die(msg):
    log(msg)
    cleanup_all()
    sys.exit(1)


def sh(*cmd, check=True, timeout=60, env=None):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    if check and r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s%s" % (" ".join(cmd), r.returncode, r.stdout,
                                                    r.stderr))
    return r


def meminfo(key):
    for line in open("/proc/meminfo"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def check_machine(need_cpus, need_hugepages):
    """Root, CPUs and hugepages, raising hugepages with scripts/setup-host
    when it can; says exactly what is missing when it cannot."""
    problems = []
    if os.geteuid() != 0:
        problems.append("run as root (DPDK, hugepages)")
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < need_cpus:
        problems.append("needs %d CPUs, this process may use %d (%s)" % (
            need_cpus, len(cpus), cpus))
    if not problems and meminfo("HugePages_Free") < need_hugepages:
        total = int(open("/proc/sys/vm/nr_hugepages").read())
        want = total + need_hugepages - meminfo("HugePages_Free")
        log("raising hugepages to %d (%d free, %d needed)" % (
            want, meminfo("HugePages_Free"), need_hugepages))
        sh(os.path.join(TOP, "scripts", "setup-host"), env=dict(os.environ,
                                                                VSW_HUGEPAGES=str(want)),
           timeout=900)
        if meminfo("HugePages_Free") < need_hugepages:
            problems.append("needs %d free 2 MiB hugepages, %d are free: free memory or "
                            "reserve them at boot (hugepages=%d)" % (
                                need_hugepages, meminfo("HugePages_Free"), want))
    for tool in ("dpdk-testpmd", "gnuplot"):
        if shutil.which(tool) is None:
            problems.append("%s is missing: run scripts/setup-host" % tool)
    if not os.path.exists(VSWITCHD):
        problems.append("%s is missing: run scripts/build" % VSWITCHD)
    if problems:
        die("this machine cannot run the benchmark:\n  - " + "\n  - ".join(problems))


def remove_dpdk_files(prefix):
    if not prefix:
        return
    if os.path.isdir(HUGEDIR):
        for f in os.listdir(HUGEDIR):
            if f.startswith(prefix):
                os.unlink(os.path.join(HUGEDIR, f))
    shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)


def spawn(cmd, prefix=None, log_path=None, cleanup=None, **kw):
    """Start a process that cleanup_all() (or stop()) will stop by pid and
    whose DPDK files (prefix) it will remove."""
    out = open(log_path, "w") if log_path else subprocess.DEVNULL
    p = subprocess.Popen(cmd, stdout=kw.pop("stdout", out), stderr=subprocess.STDOUT,
                         start_new_session=True, **kw)
    _procs.append((p, prefix, cleanup))
    return p


def stop(p, timeout=20):
    """SIGTERM, then SIGKILL; then the process's DPDK files."""
    for entry in list(_procs):
        if entry[0] is not p:
            continue
        _procs.remove(entry)
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=timeout)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait(timeout=10)
        remove_dpdk_files(entry[1])
        if entry[2]:
            entry[2]()
        return p.returncode
    return None


def on_cleanup(fn):
    """Have cleanup_all() call fn (once) if undo(fn) has not by then."""
    _undo.append(fn)


def undo(fn):
    if fn in _undo:
        _undo.remove(fn)
        fn()


def cleanup_all():
    while _procs:
        stop(_procs[-1][0])
    while _undo:
        undo(_undo[-1])


def wait_for(pred, timeout, what, interval=0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(interval)
    raise RuntimeError("timed out after %d s waiting for %s" % (timeout, what))


def telemetry(path, command, timeout=5):
    """One request to a DPDK process's telemetry socket (v2: a greeting,
    then one JSON reply per command), answered at once: counters read when
    they are needed, not when a process chooses to print them."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as s:
        s.settimeout(timeout)
        s.connect(path)
        hello = json.loads(s.recv(16384))
        s.send(command.encode())
        return json.loads(s.recv(hello.get("max_output_len", 16384)))


def pcap(flows, size, **kw):
    """A cached pcap from bench/pcapgen.py."""
    os.makedirs(CACHE, exist_ok=True)
    extra = "".join("-%s%s" % (k, v) for k, v in sorted(kw.items()))
    path = os.path.join(CACHE, "udp-%d-%d%s.pcap" % (flows, size, extra))
    if not os.path.exists(path):
        args = [sys.executable, os.path.join(HERE, "pcapgen.py"), path + ".tmp",
                "--flows", str(flows), "--size", str(size)]
        for k, v in kw.items():
            args += ["--" + k.replace("_", "-"), str(v)]
        sh(*args, timeout=600)
        os.rename(path + ".tmp", path)
    return path


def machine():
    cpu = ""
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    dpdk = sh("pkg-config", "--modversion", "libdpdk", check=False).stdout.strip()
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "kernel": platform.release(),
        "memory_gib": round(meminfo("MemTotal") / (1 << 20)),
        "dpdk": dpdk,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def summarize(values):
    v = [x for x in values if x is not None]
    if not v:
        return None
    return {"median": statistics.median(v), "min": min(v), "max": max(v), "n": len(v)}


class Results:
    """A results folder: results.csv (every run), summary.md, plots."""

    FIELDS = ["scenario", "config", "dut", "run", "mpps", "gbps", "cycles_per_pkt",
              "busy_pct", "gen_busy_pct", "seconds", "bytes_per_rule", "loss_pct",
              "mods_per_s", "storm_mpps", "piped_mods_per_s", "piped_mpps", "note"]

    def __init__(self, scenario, out=None):
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        self.dir = out or os.path.join(TOP, "bench", "results", "%s-%s" % (scenario, stamp))
        os.makedirs(self.dir, exist_ok=True)
        self.scenario = scenario
        self.rows = []
        with open(os.path.join(self.dir, "machine.json"), "w") as f:
            json.dump(machine(), f, indent=2)

    def add(self, config, dut, run, m):
        row = {"scenario": self.scenario, "config": config, "dut": dut, "run": run}
        row.update({k: m.get(k) for k in self.FIELDS if k in m})
        self.rows.append(row)
        with open(os.path.join(self.dir, "results.csv"), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=self.FIELDS)
            w.writeheader()
            for r in self.rows:
                w.writerow({k: ("%.3f" % v if isinstance(v, float) else v)
                            for k, v in r.items()})

    def stats(self, config, dut, field="mpps"):
        return summarize([r.get(field) for r in self.rows
                          if r["config"] == config and r["dut"] == dut])

    def note(self, config, dut):
        notes = {r.get("note") for r in self.rows
                 if r["config"] == config and r["dut"] == dut and r.get("note")}
        return "; ".join(sorted(notes))


def fmt_range(s, digits=2):
    if s is None:
        return "n/a"
    f = "%%.%df" % digits
    if s["n"] == 1:
        return f % s["median"]
    return (f + " (" + f + "–" + f + ")") % (s["median"], s["min"], s["max"])


def paired_ratio(res, config, a, b, field="mpps"):
    """The median over rounds of a's figure over b's in the same round:
    runs minutes apart drift more than switches differ, runs side by side
    do not."""
    by_run = {}
    for r in res.rows:
        if r["config"] == config and r.get(field):
            by_run.setdefault(r["run"], {})[r["dut"]] = r[field]
    ratios = [v[a] / v[b] for v in by_run.values() if a in v and b in v and v[b]]
    return statistics.median(ratios) if ratios else None



def gnuplot(png, title, xlabel, ylabel, series, logx=False, xtics=None):
    """series: {name: [(x, y), ...]}; a line each."""
    data = png[:-4] + ".dat"
    with open(data, "w") as f:
        for name, pts in series.items():
            f.write("# %s\n" % name)
            for x, y in pts:
                f.write("%s %s\n" % (x, y if y is not None else "NaN"))
            f.write("\n\n")
    plots = ", ".join("'%s' index %d using 1:2 with linespoints lw 2 title '%s'" % (
        data, i, name) for i, name in enumerate(series))
    script = "\n".join([
        "set terminal pngcairo size 800,480 font 'sans,10'" if _has_cairo()
        else "set terminal png size 800,480",
        "set output '%s'" % png,
        "set title '%s'" % title,
        "set xlabel '%s'" % xlabel,
        "set ylabel '%s'" % ylabel,
        "set grid",
        "set key outside right",
        "set yrange [0:*]",
        "set logscale x" if logx else "",
        "set xtics (%s)" % xtics if xtics else "",
        "plot " + plots,
    ])
    r = subprocess.run(["gnuplot"], input=script, text=True, capture_output=True)
    if r.returncode != 0:
        log("gnuplot failed for %s: %s" % (png, r.stderr.strip()))


def _has_cairo():
    r = subprocess.run(["gnuplot", "-e", "set terminal"], capture_output=True, text=True)
    return "pngcairo" in r.stdout + r.stderr


def num_or_none(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def rss_anon(pid):
    """Anonymous resident memory of a process, bytes (heap, not hugepages)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) * 1024
    return 0


def parse_int(pattern, text):
    m = re.findall(pattern, text)
    return int(m[-1]) if m else None
