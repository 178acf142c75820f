#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""bench/run.py: the benchmark suite. One command per scenario:

  bench/run.py p2p [options]     net_pcap replay -> switch -> net_null sink
  bench/run.py vhost [options]   testpmd guests (virtio_user) <-> switch, a loop
  bench/run.py guests [options]  iperf3 TCP and UDP between two QEMU guests
                                 (also on a Linux bridge with tap guests)
  bench/run.py storm [options]   single-rule OpenFlow flow-mods into a full
                                 table while forwarding (bench/storm.py)

Counters are read when they are needed, never from a tool's periodic
prints. Each configuration is measured on every switch in turn, run after run
(vswitch, OVS-DPDK, testpmd, vswitch, OVS-DPDK, ...), so that all three see
the same minutes of this machine: figures drift between minutes here, and
only ratios taken side by side mean anything. Bare testpmd io forwarding on
the same ports and traffic is the limit.

Results go to bench/results/<scenario>-<time>/: results.csv (every run),
summary.md (medians, min-max, ratios), *.png (gnuplot), machine.json.
--smoke runs each switch for about a second and fails unless each forwarded
packets and stopped cleanly (CI runs that)."""
import argparse
import json
import os
import shlex
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import duts  # noqa: E402
import lib   # noqa: E402
import rulesets  # noqa: E402
import storm  # noqa: E402

SINK_MAC = "02:00:00:00:00:02"   # pcapgen's default destination


def exit_note(rc):
    """What to say of a switch that did not stop cleanly (None if it did)."""
    return None if rc in (0, None) else "exited with status %s" % rc


def note_exit(m, rc):
    """Note an unclean stop in 'm', unless the run already failed for a
    reason of its own (a smoke run fails on either)."""
    if exit_note(rc) and "note" not in m:
        m["note"] = exit_note(rc)


def pmd_figures(c0, c1, prefix=""):
    """Cycles per packet and busy % of a PMD (or testpmd forwarding core)
    between two readings of its counters."""
    pkts = c1["rx_pmd"] - c0["rx_pmd"]
    # testpmd's readings say when they were asked and answered: the window
    # runs from the first one's asking to the second one's answer.
    busy, total = c1["busy"] - c0["busy"], c1.get("total_late", c1["total"]) - c0["total"]
    return {prefix + "cycles_per_pkt": busy / pkts if pkts else None,
            prefix + "busy_pct": 100.0 * busy / total if total else None}


def measure(dut, sink, warmup, duration, gen=None):
    """Mpps from the sink port's counters (or from what a loop generator
    got back), cycles per packet and PMD busy % from the switch's own
    figures, the generator's busy % beside them. Every counter is read when
    it is needed and timed by its reading: nothing waits for a process to
    print."""
    time.sleep(warmup)
    c0 = dut.counters(sink)
    g0 = gen.counters() if gen else c0
    time.sleep(duration)
    c1 = dut.counters(sink)
    g1 = gen.counters() if gen else c1
    if g1["time"] <= g0["time"]:
        raise RuntimeError("the counters were read twice at the same time")
    m = {"mpps": (g1["tx"] - g0["tx"]) / (g1["time"] - g0["time"]) / 1e6}
    m.update(pmd_figures(c0, c1))
    if gen:
        m["gen_busy_pct"] = pmd_figures(g0, g1)["busy_pct"]
    return m


def p2p_configs(a):
    seen = []
    for rules in a.rules:
        for flows in a.flows:
            seen.append((rules, flows, a.sizes[0]))
        for size in a.sizes[1:]:
            seen.append((rules, a.size_sweep_flows, size))
    return list(dict.fromkeys(seen))


def run_p2p(a, res):
    configs = p2p_configs(a)
    biggest = max(f for _, f, _ in configs)
    need = duts.mbufs_for(biggest) * lib.MBUF_BYTES // (2 << 20) + 128
    lib.check_machine(2, need)
    for rules, flows, size in configs:
        config = "rules=%s flows=%d size=%d" % (rules, flows, size)
        path = lib.pcap(flows, size)
        ports = [duts.dpdk_port("src", "net_pcap0,rx_pcap=%s,infinite_rx=1" % path),
                 duts.dpdk_port("sink", "net_null0,no-rx=1")]
        lib.log(config)
        for run in range(1, a.runs + 1):
            for name in a.duts:
                dut = duts.DUTS[name]()
                m = {}
                try:
                    macs = None if rules == "flood" else {"sink": SINK_MAC}
                    dut.start(ports, rules, preload=flows, bridge_macs=macs)
                    m = measure(dut, "sink", a.warmup, a.duration)
                    m["gbps"] = m["mpps"] * size * 8 / 1e3
                except duts.Unsupported as e:
                    m = {"note": str(e)}
                except Exception as e:  # recorded, and fatal in a smoke run
                    m = {"note": "failed: %s" % e}
                finally:
                    rc = dut.stop()
                note_exit(m, rc)
                res.add(config, name, run, m)
                lib.log("  %-8s run %d: %s" % (name, run, "%.2f Mpps, %s cycles/pkt" % (
                    m["mpps"], "%.0f" % m["cycles_per_pkt"] if m.get("cycles_per_pkt")
                    else "?") if "mpps" in m else m["note"]))
    return configs


def run_vhost(a, res):
    """The vhost loop: generator guests <-> switch, one PMD core."""
    configs = [(size, q) for q in a.queues for size in a.sizes]
    lib.check_machine(2, 512)
    for size, queues in configs:
        config = "size=%d queues=%d" % (size, queues)
        lib.log(config)
        for run in range(1, a.runs + 1):
            for name in a.duts:
                gen = duts.LoopGenerator(size, queues, a.gen_burst, a.inflight)
                dut = duts.DUTS[name]()
                m = {}
                try:
                    gen.start()
                    ports = [duts.vhost_client("v%d" % i, gen.socks[i], queues)
                             for i in range(2)]
                    # Each generator port sends to a MAC behind the other one.
                    dut.start(ports, "normal", bridge_macs={
                        "v1": duts.LoopGenerator.PEERS[0], "v0": duts.LoopGenerator.PEERS[1]})
                    gen.go()
                    m = measure(dut, "v1", a.warmup, a.duration, gen)
                    m["gbps"] = m["mpps"] * size * 8 / 1e3
                except duts.Unsupported as e:
                    m = {"note": str(e)}
                except Exception as e:
                    m = {"note": "failed: %s" % e}
                finally:
                    rc = dut.stop()
                    gen.stop()
                note_exit(m, rc)
                res.add(config, name, run, m)
                lib.log("  %-8s run %d: %s" % (name, run, "%.2f Mpps" % m["mpps"]
                                                if "mpps" in m else m["note"]))
    return configs


SATURATED = 95.0   # PMD busy %: below it, the switch waited for the generator


def busy_mark(res, c, d):
    """'97' or '78 ¹' (generator-bound: the figure is the generator's pace,
    not the switch's)."""
    b = res.stats(c, d, "busy_pct")
    if not b:
        return "n/a", False
    bound = b["median"] < SATURATED
    return "%.0f%s" % (b["median"], " ¹" if bound else ""), bound


def report_vhost(a, res, configs):
    lines = ["# vhost loop: testpmd virtio_user guests <-> switch (two vhost-user ports)", "",
             "One PMD core; the generator (dpdk-testpmd, io forward after tx_first: %d bursts "
             "of %d packets per queue in flight, rings of %d) on the other core. Mpps: packets "
             "returned to the generator per second, median (min–max) of %d runs of %g s. "
             "*Limit*: dpdk-testpmd with two net_vhost ports, io forwarding, as the switch. "
             "Busy %%: the share of the switch's PMD cycles (the limit's forwarding core's) "
             "spent on polls that moved packets, and the generator's." % (
                 a.inflight, a.gen_burst, duts.LoopGenerator.RING, a.runs, a.duration), "",
             "| size | queues | vswitch Mpps | OVS-DPDK Mpps | limit Mpps | vswitch / limit | "
             "vswitch / OVS | vswitch cycles/pkt | OVS cycles/pkt | busy %: vswitch, OVS, "
             "limit | generator busy %: vswitch, OVS, limit |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    any_bound = False
    for size, queues in configs:
        c = "size=%d queues=%d" % (size, queues)
        v, o, t = (res.stats(c, d) for d in ("vswitch", "ovs", "testpmd"))
        vc, oc = res.stats(c, "vswitch", "cycles_per_pkt"), res.stats(c, "ovs",
                                                                        "cycles_per_pkt")
        marks = [busy_mark(res, c, d) for d in ("vswitch", "ovs", "testpmd")]
        any_bound = any_bound or any(b for _, b in marks)
        gb = [res.stats(c, d, "gen_busy_pct") for d in ("vswitch", "ovs", "testpmd")]
        r1, r2 = (lib.paired_ratio(res, c, "vswitch", d) for d in ("testpmd", "ovs"))
        lines.append("| %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            size, queues, lib.fmt_range(v), lib.fmt_range(o), lib.fmt_range(t),
            "%.2f" % r1 if r1 else "n/a", "%.2f" % r2 if r2 else "n/a",
            "%.0f" % vc["median"] if vc else "n/a", "%.0f" % oc["median"] if oc else "n/a",
            ", ".join(m for m, _ in marks),
            ", ".join("%.0f" % g["median"] if g else "n/a" for g in gb)))
    if any_bound:
        lines += ["", "¹ **generator-bound**: that switch's PMD was busy less than %.0f %% of "
                  "the time, so the loop ran at the generator's pace (or the core was taken by "
                  "another process) and the figure is not the switch's capacity; compare it "
                  "with care." % SATURATED]
    with open(os.path.join(res.dir, "summary.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    names = NAMES
    for q in a.queues:
        pts = [c for c in configs if c[1] == q]
        if len(pts) > 1:
            lib.gnuplot(os.path.join(res.dir, "vhost-q%d-sizes.png" % q),
                        "vhost loop, %d queue(s)" % q, "frame size (bytes)", "Mpps",
                        {names[d]: [(c[0], (res.stats("size=%d queues=%d" % c, d) or
                                            {}).get("median")) for c in pts]
                         for d in a.duts})
    print("\n".join(lines))
    print("\nresults: %s" % res.dir)


def run_pmd(a, res):
    """What measuring costs, and moving a queue under load. Part one: p2p,
    NORMAL, 1,000 flows, 64 bytes, with per-queue cycle accounting on and
    off (pmd-rxq-stats), interleaved. Part two: the same traffic, a second
    PMD on CPU 0, the source queue moved between the two PMDs repeatedly
    (pmd-rxq-affinity) while it forwards: time of each move, packets lost."""
    lib.check_machine(2, 512)
    path = lib.pcap(1000, 64)
    ports = [duts.dpdk_port("src", "net_pcap0,rx_pcap=%s,infinite_rx=1" % path),
             duts.dpdk_port("sink", "net_null0,no-rx=1")]
    macs = {"sink": SINK_MAC}
    for run in range(1, a.runs + 1):
        for stats in ("on", "off"):
            dut = duts.VSwitch()
            m = {}
            try:
                dut.start(ports, "normal", preload=1000, bridge_macs=macs)
                dut.ctl("set", "pmd-rxq-stats=" + stats)
                m = measure(dut, "sink", a.warmup, a.duration)
            except Exception as e:
                m = {"note": "failed: %s" % e}
            finally:
                note_exit(m, dut.stop())
            res.add("rxq-stats=%s" % stats, "vswitch", run, m)
            lib.log("  rxq-stats=%s run %d: %s" % (stats, run, "%.2f Mpps" % m["mpps"]
                                                    if "mpps" in m else m["note"]))
    dut = duts.VSwitch()
    try:
        dut.start(ports, "normal", preload=1000, bridge_macs=macs)
        dut.ctl("set", "pmd-cpus=0,1", "pmd-auto-lb=off")
        time.sleep(a.warmup)
        before = json.loads(dut.ctl("--json", "port-stats").stdout)
        for i in range(a.moves):
            t0 = time.monotonic()
            dut.ctl("set-port", "src", "pmd-rxq-affinity=0:%d" % (i % 2))
            res.add("move", "vswitch", i + 1, {"seconds": time.monotonic() - t0})
            time.sleep(0.2)
        after = json.loads(dut.ctl("--json", "port-stats").stdout)
        lost = sum(p["dropped"] for p in after) - sum(p["dropped"] for p in before)
        res.add("move-drops", "vswitch", 1, {"note": "%d dropped during %d moves" % (
            lost, a.moves)})
        lib.log("  %d moves, %d packets dropped" % (a.moves, lost))
    finally:
        dut.stop()


def report_pmd(a, res):
    on, off = res.stats("rxq-stats=on", "vswitch"), res.stats("rxq-stats=off", "vswitch")
    con, coff = (res.stats("rxq-stats=%s" % s, "vswitch", "cycles_per_pkt") for s in ("on", "off"))
    by_run = {}
    for r in res.rows:
        if r["config"].startswith("rxq-stats=") and r.get("mpps"):
            by_run.setdefault(r["run"], {})[r["config"]] = r["mpps"]
    ratios = sorted(v["rxq-stats=on"] / v["rxq-stats=off"] for v in by_run.values()
                    if len(v) == 2)
    moves = res.stats("move", "vswitch", "seconds")
    lines = ["# PMD measurement cost and queue moves", "",
             "p2p, NORMAL, 1,000 flows, 64-byte frames, one PMD; %d interleaved runs of %g s "
             "each way." % (a.runs, a.duration), "",
             "| per-queue cycle accounting | Mpps | cycles/pkt |", "| --- | ---: | ---: |",
             "| on (default) | %s | %s |" % (lib.fmt_range(on), "%.0f" % con["median"] if con
                                             else "n/a"),
             "| off | %s | %s |" % (lib.fmt_range(off), "%.0f" % coff["median"] if coff
                                   else "n/a"), "",
             "Cost of measuring (median of per-round on/off ratios): %s" % (
                 "%.1f%%" % (100 * (1 - ratios[len(ratios) // 2])) if ratios else "n/a"), "",
             "Moving the source queue between two PMDs under load, %d times: each move "
             "(vswitchctl set-port ... pmd-rxq-affinity, two grace periods) took %s ms; %s." % (
                 a.moves, lib.fmt_range({k: v * 1000 if k != "n" else v
                                         for k, v in moves.items()}, 1) if moves else "n/a",
                 res.note("move-drops", "vswitch"))]
    with open(os.path.join(res.dir, "summary.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print("\nresults: %s" % res.dir)


def run_rules(a, res):
    """Table size: how long installing n rules takes (one add-flows of a
    file, as an operator or controller pushes a table), and the memory
    each rule costs, per switch. Traffic is not involved: the p2p
    scenario's acl rule set measures lookups."""
    lib.check_machine(2, 512)
    ports = [duts.dpdk_port("src", "net_null0,no-rx=1"),
             duts.dpdk_port("sink", "net_null1,no-rx=1")]
    configs = []
    for n in a.rule_counts:
        config = "rules=%d" % n
        configs.append(config)
        lines = rulesets.many(n)
        lib.log(config)
        for run in range(1, a.runs + 1):
            for name in [d for d in a.duts if d != "testpmd"]:
                dut = duts.DUTS[name]()
                m = {}
                try:
                    dut.start(ports, "normal")
                    heap0, huge0 = dut.rule_memory()
                    t0 = time.monotonic()
                    dut.add_flows(lines)
                    m["seconds"] = time.monotonic() - t0
                    heap1, huge1 = dut.rule_memory()
                    m["bytes_per_rule"] = (heap1 - heap0 + huge1 - huge0) / n
                except duts.Unsupported as e:
                    m = {"note": str(e)}
                except Exception as e:
                    m = {"note": "failed: %s" % e}
                finally:
                    note_exit(m, dut.stop())
                res.add(config, name, run, m)
                lib.log("  %-8s run %d: %s" % (name, run, "%.3f s, %.0f bytes/rule" % (
                    m["seconds"], m["bytes_per_rule"]) if "seconds" in m else m["note"]))
    return configs


def report_rules(a, res, configs):
    lines = ["# Flow table size: installing n rules with one add-flows", "",
             "n rules of one mask (UDP to 10.x.y.z:5001 -> output), from a file: "
             "`vswitchctl add-flows` against `ovs-ofctl add-flows`, wall-clock time until "
             "the command returns (the rules are in the dataplane then), median (min–max) of "
             "%d runs. Memory: growth of the daemon's heap (RssAnon) plus, for vswitch, "
             "the hugepage memory of the compiled table, per rule." % a.runs, "",
             "| rules | vswitch s | OVS-DPDK s | OVS / vswitch time | vswitch bytes/rule | "
             "OVS bytes/rule |", "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for c in configs:
        v, o = res.stats(c, "vswitch", "seconds"), res.stats(c, "ovs", "seconds")
        vb, ob = (res.stats(c, d, "bytes_per_rule") for d in ("vswitch", "ovs"))
        r = lib.paired_ratio(res, c, "ovs", "vswitch", "seconds")
        lines.append("| %s | %s | %s | %s | %s | %s |" % (
            c.split("=")[1], lib.fmt_range(v, 3), lib.fmt_range(o, 3),
            "%.1f" % r if r else "n/a", "%.0f" % vb["median"] if vb else "n/a",
            "%.0f" % ob["median"] if ob else "n/a"))
    with open(os.path.join(res.dir, "summary.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print("\nresults: %s" % res.dir)


GUEST_DIR = os.environ.get("VSW_GUEST_DIR", os.path.join(lib.TOP, "..", "shared", "guest"))


def guest(name, sock, mac, ip, cmd, out, timeout, netdev=None):
    """A QEMU guest listening on vhost-user socket 'sock' (the switch
    connects), running cmd; or, with 'netdev', the same guest (run-guest.sh's
    own QEMU command line) on that QEMU -netdev instead, its output taken
    from the serial log the same way run-guest.sh does."""
    args = [os.path.join(GUEST_DIR, "run-guest.sh"), "--name", name, "--sock", sock,
            "--role", "server", "--mac", mac, "--ip", ip, "--cmd", cmd, "--out", out,
            "--mem-backend", "memfd", "--timeout", str(timeout), "--log", out + ".serial"]
    if netdev is None:
        return lib.spawn(["taskset", "-c", "0"] + args)
    line = lib.sh(*(args + ["--dry-run"])).stdout.strip().splitlines()[-1]
    qemu = shlex.split(line)
    i = qemu.index("-chardev")           # the vhost-user socket and its netdev
    if not qemu[i + 1].startswith("socket,") or qemu[i + 2] != "-netdev":
        raise RuntimeError("unexpected run-guest.sh command line: %s" % line)
    qemu[i:i + 4] = ["-netdev", netdev]

    def output():
        try:
            text = open(out + ".serial", errors="replace").read().replace("\r", "")
        except OSError:
            return
        if "VSW-CMD-BEGIN\n" in text:
            body = text.split("VSW-CMD-BEGIN\n", 1)[1].split("VSW-CMD-END", 1)[0]
            with open(out, "w") as f:
                f.write(body)
    return lib.spawn(["taskset", "-c", "0"] + qemu, cleanup=output)


def iperf3(args, tries=60):
    """A guest command: iperf3 -c ARGS -J once the server accepts (it
    starts, and restarts for the second test, in its own time), at most
    'tries' attempts a second apart; the last attempt's JSON either way.
    iperf3 3.12 exits 0 even when it could not connect: its JSON's
    "error" says so."""
    return ("i=0; until iperf3 -c 10.0.0.2 %s -J > /tmp/r.json && "
            "! grep -q '\"error\":' /tmp/r.json; do i=$((i+1)); "
            "[ $i -ge %d ] && break; sleep 1; done; cat /tmp/r.json" % (args, tries))


def run_guests(a, res):
    """iperf3 TCP and UDP between two QEMU guests through the switch, or
    through a Linux bridge and taps (the 'bridge' switch)."""
    lib.check_machine(2, 256)
    r = lib.sh(os.path.join(GUEST_DIR, "build-guest.sh"), check=False, timeout=900)
    if r.returncode != 0:
        lib.die("cannot build the guests (%s): %s" % (GUEST_DIR, r.stderr[-500:]))
    t = a.duration
    for run in range(1, a.runs + 1):
        for name in a.duts:
            d = tempfile.mkdtemp(prefix="vsw-bench-guests-")
            socks = [os.path.join(d, "g%s.sock" % n) for n in "ab"]
            outs = [os.path.join(d, "%s.json" % n) for n in "ab"]
            timeout = int(4 * t + 200)
            dut = duts.GUEST_DUTS[name]()
            kernel = name == "bridge"
            note = ga = gb = None
            try:
                if kernel:   # the taps exist before QEMU opens them
                    dut.start()
                gb = guest("bench-b", socks[1], "52:54:00:00:00:0b", "10.0.0.2/24",
                           "iperf3 -s -1; iperf3 -s -1", outs[1], timeout,
                           dut.netdev(1) if kernel else None)
                ga = guest("bench-a", socks[0], "52:54:00:00:00:0a", "10.0.0.1/24",
                           "ping -c 1 -W 60 10.0.0.2 >/dev/null; %s; %s" % (
                               iperf3("-t %g" % t), iperf3("-u -b 0 -l 1400 -t %g" % t)),
                           outs[0], timeout, dut.netdev(0) if kernel else None)
                if not kernel:
                    lib.wait_for(lambda: all(os.path.exists(s) for s in socks), 120,
                                 "the guests' sockets")
                    dut.start([duts.vhost_client("ga", socks[0]),
                               duts.vhost_client("gb", socks[1])], "normal")
                ga.wait(timeout=timeout + 30)
            except duts.Unsupported as e:
                note = str(e)
            except Exception as e:
                note = "failed: %s" % e
            finally:
                rc = dut.stop()
                for g in (gb, ga):
                    if g is not None:
                        lib.stop(g)
            note = note or exit_note(rc)
            tcp, udp = parse_iperf3(outs[0])
            for config, m in (("iperf3 tcp", tcp), ("iperf3 udp", udp)):
                row = dict(m or {}, note=note or (None if m else "no iperf3 result") or
                           (dut.note() if kernel else None))
                res.add(config, name, run, row)
                lib.log("  %-8s run %d %s: %s" % (name, run, config, "%.3f Gbit/s" % m["gbps"]
                                                  if m and "gbps" in m else row["note"]))
            if tcp and udp:
                shutil.rmtree(d, ignore_errors=True)
            else:   # the guests' serial logs say why
                lib.log("  kept %s" % d)


def parse_iperf3(path):
    """The TCP and UDP results of the guest's two iperf3 runs (JSON objects
    one after the other in its output)."""
    try:
        text = open(path).read()
    except OSError:
        return None, None
    dec, objs, i = json.JSONDecoder(), [], 0
    while True:
        i = text.find("{", i)
        if i < 0:
            break
        try:
            o, end = dec.raw_decode(text, i)
        except ValueError:
            i += 1
            continue
        objs.append(o)
        i = end
    tcp = udp = None
    for o in objs:
        end = o.get("end", {})
        proto = o.get("start", {}).get("test_start", {}).get("protocol")
        if proto == "TCP" and "sum_received" in end:
            tcp = {"gbps": end["sum_received"]["bits_per_second"] / 1e9}
        elif proto == "UDP" and "sum" in end:
            # What arrived: the sender's rate less the loss the receiver saw.
            rcv = end.get("sum_received", end["sum"])
            udp = {"gbps": rcv["bits_per_second"] / 1e9,
                   "loss_pct": end["sum"].get("lost_percent", 0.0)}
    return tcp, udp


def udp_loss(res, config, dut):
    """The range of iperf3's UDP loss over the runs, e.g. '1.8–3.3%'."""
    pct = sorted(r["loss_pct"] for r in res.rows
                 if r["config"] == config and r["dut"] == dut and r.get("loss_pct") is not None)
    if not pct:
        return "-"
    return "%.1f%%" % pct[0] if pct[0] == pct[-1] else "%.1f–%.1f%%" % (pct[0], pct[-1])


def report_guests(a, res):
    lines = ["# guests: iperf3 between two QEMU guests through the switch", "",
             "Guests from ../shared/guest, their vCPUs on the generator core, the switch's PMD "
             "on the other; vhost-user client ports. Gbit/s received: median (min–max) of %d "
             "runs of %g s. *Limit*: dpdk-testpmd with two net_vhost ports, io forwarding, as "
             "the switch (it offers no TSO, so guests segment themselves). *Linux bridge*: "
             "the same guests on QEMU `-netdev tap` ports of a kernel bridge, what a KVM host "
             "has by default (%s); it has no PMD, the kernel forwards in the guests' "
             "context." % (a.runs, a.duration, "vhost_net" if duts.LinuxBridge().vhost else
                           "without vhost_net, which this kernel lacks: QEMU moves every frame "
                           "between tap and virtqueue itself"),
             "", "| test | vswitch Gbit/s | OVS-DPDK Gbit/s | limit Gbit/s | Linux bridge "
             "Gbit/s | vswitch / limit | vswitch / OVS | vswitch / bridge | UDP loss: "
             "vswitch, OVS, limit, bridge |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    names = ("vswitch", "ovs", "testpmd", "bridge")
    for c in ("iperf3 tcp", "iperf3 udp"):
        v, o, t, b = (res.stats(c, d, "gbps") for d in names)
        r1, r2, r3 = (lib.paired_ratio(res, c, "vswitch", d, "gbps") for d in names[1:])
        loss = ", ".join(udp_loss(res, c, d) for d in names) if c.endswith("udp") else ""
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            c, lib.fmt_range(v, 3), lib.fmt_range(o, 3), lib.fmt_range(t, 3),
            lib.fmt_range(b, 3), "%.2f" % r2 if r2 else "n/a", "%.2f" % r1 if r1 else "n/a",
            "%.2f" % r3 if r3 else "n/a", loss))
    with open(os.path.join(res.dir, "summary.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print("\nresults: %s" % res.dir)


def report_p2p(a, res, configs):
    lines = ["# p2p: net_pcap replay -> switch -> net_null sink", "",
             "One PMD core; %d runs of %g s after %g s warm-up, interleaved across "
             "switches. Mpps: median (min–max). *Limit* is bare dpdk-testpmd io forwarding "
             "on the same ports and traffic. Ratios: the median over rounds of vswitch's "
             "figure over the other switch's in the same round." % (a.runs, a.duration,
                                                                   a.warmup), "",
             "| rules | flows | size | vswitch Mpps | OVS-DPDK Mpps | limit Mpps | "
             "vswitch / limit | vswitch / OVS | vswitch cycles/pkt | OVS cycles/pkt |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for rules, flows, size in configs:
        c = "rules=%s flows=%d size=%d" % (rules, flows, size)
        v, o, t = (res.stats(c, d) for d in ("vswitch", "ovs", "testpmd"))
        vc, oc = res.stats(c, "vswitch", "cycles_per_pkt"), res.stats(c, "ovs",
                                                                        "cycles_per_pkt")
        r1, r2 = (lib.paired_ratio(res, c, "vswitch", d) for d in ("testpmd", "ovs"))
        lines.append("| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s |" % (
            rules, flows, size, lib.fmt_range(v), lib.fmt_range(o) if o else
            "n/a" + (" (%s)" % res.note(c, "ovs") if res.note(c, "ovs") else ""),
            lib.fmt_range(t), "%.2f" % r1 if r1 else "n/a", "%.2f" % r2 if r2 else "n/a",
            "%.0f" % vc["median"] if vc else "n/a", "%.0f" % oc["median"] if oc else "n/a"))
    with open(os.path.join(res.dir, "summary.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    names = NAMES
    for rules in a.rules:
        fl = [c for c in configs if c[0] == rules and c[2] == a.sizes[0]]
        if len(fl) > 1:
            lib.gnuplot(os.path.join(res.dir, "p2p-%s-flows.png" % rules),
                        "p2p, %s rules, %d-byte frames" % (rules, a.sizes[0]),
                        "distinct flows", "Mpps",
                        {names[d]: [(f, (res.stats("rules=%s flows=%d size=%d" % c, d) or
                                         {}).get("median")) for c in fl for f in [c[1]]]
                         for d in a.duts}, logx=True)
        sz = [c for c in configs if c[0] == rules and c[1] == a.size_sweep_flows]
        if len(sz) > 1:
            lib.gnuplot(os.path.join(res.dir, "p2p-%s-sizes.png" % rules),
                        "p2p, %s rules, %d flows" % (rules, a.size_sweep_flows),
                        "frame size (bytes)", "Mpps",
                        {names[d]: [(c[2], (res.stats("rules=%s flows=%d size=%d" % c, d) or
                                            {}).get("median")) for c in sz]
                         for d in a.duts})
    print("\n".join(lines))
    print("\nresults: %s" % res.dir)


NAMES = {"vswitch": "vswitch", "ovs": "OVS-DPDK", "testpmd": "testpmd (limit)",
         "base": "vswitch (base build)", "bridge": "Linux bridge"}


def report_ab(a, res):
    """With --duts ...,base: the change's A/B, new build over the base build
    in the same rounds, per configuration (appended to summary.md)."""
    if "base" not in a.duts or "vswitch" not in a.duts:
        return
    lines = ["", "## A/B: this build (%s) against the base build (%s)" % (
        lib.BUILD, duts.VSwitchBase.build), "",
        "| configuration | base Mpps | new Mpps | new / base (paired median) | "
        "base cycles/pkt | new cycles/pkt |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for c in dict.fromkeys(r["config"] for r in res.rows):
        b, n = res.stats(c, "base"), res.stats(c, "vswitch")
        if not b and not n:
            continue
        bc, nc = (res.stats(c, d, "cycles_per_pkt") for d in ("base", "vswitch"))
        r = lib.paired_ratio(res, c, "vswitch", "base")
        lines.append("| %s | %s | %s | %s | %s | %s |" % (
            c, lib.fmt_range(b), lib.fmt_range(n), "%.3f" % r if r else "n/a",
            "%.0f" % bc["median"] if bc else "n/a", "%.0f" % nc["median"] if nc else "n/a"))
    with open(os.path.join(res.dir, "summary.md"), "a") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def smoke_check(res):
    """Every row has a figure, or a note that is not a failure."""
    def figure(r):
        return any((r.get(k) or 0) > 0 for k in ("mpps", "gbps", "seconds"))

    bad = [r for r in res.rows if not figure(r) and
           not (r.get("note") or "").startswith(("OVS caps", "0 dropped"))]
    bad += [r for r in res.rows if (r.get("note") or "").startswith(("exited", "failed"))]
    for r in bad:
        lib.log("smoke: %s on %s: %s" % (r["dut"], r["config"], r.get("note") or "0 Mpps"))
    return not bad


def csv_list(conv):
    return lambda s: [conv(x) for x in s.split(",") if x]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", choices=["p2p", "vhost", "guests", "rules", "pmd", "storm"])
    p.add_argument("--duts", type=csv_list(str),
                   help="vswitch,ovs,testpmd (default); guests: also bridge (a Linux bridge "
                   "and QEMU taps), by default; base: this switch from VSW_BASE_BUILD, for "
                   "an A/B of two builds in the same rounds")
    p.add_argument("--flows", type=csv_list(int), default=[1, 1000, 100000, 1000000])
    p.add_argument("--sizes", type=csv_list(int), default=[64, 256, 1518],
                   help="the first is used for the flow sweep")
    p.add_argument("--size-sweep-flows", type=int, default=1000)
    p.add_argument("--rules", type=csv_list(str), default=["normal"],
                   help="normal, flood (the destination never learnt), port (in_port -> "
                   "output), acl")
    p.add_argument("--moves", type=int, default=20, help="pmd: queue moves under load")
    p.add_argument("--rule-counts", type=csv_list(int), default=[1000, 10000, 100000],
                   help="rules: table sizes")
    p.add_argument("--storm-table", type=int, default=100000,
                   help="storm: rules in the table before the storm")
    p.add_argument("--storm-mods", type=int, default=100000,
                   help="storm: flow-mods in the storm (half adds, half deletes)")
    p.add_argument("--queues", type=csv_list(int), default=[1, 2],
                   help="vhost: queue pairs per port")
    p.add_argument("--gen-burst", type=int, default=64,
                   help="vhost: the generator's burst size (packets)")
    p.add_argument("--inflight", type=int, default=8,
                   help="vhost: bursts in flight per generator queue (start tx_first N)")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--warmup", type=float, default=2)
    p.add_argument("--duration", type=float, default=5)
    p.add_argument("--smoke", action="store_true",
                   help="one short run of one small configuration: does it still work?")
    p.add_argument("--out", help="results folder (default bench/results/...)")
    a = p.parse_args()
    known = duts.GUEST_DUTS if a.scenario == "guests" else duts.DUTS
    if a.duts is None:
        a.duts = duts.GUEST_DEFAULT_DUTS if a.scenario == "guests" else duts.DEFAULT_DUTS
    for d in a.duts:
        if d not in known:
            p.error("unknown switch %s for %s (known: %s)" % (d, a.scenario, ", ".join(known)))
    if a.scenario == "vhost" and a.sizes == [64, 256, 1518]:
        a.sizes = [64, 1518]
    if a.scenario == "guests" and not a.smoke and a.duration == 5:
        a.duration = 10
    if a.smoke:
        a.flows, a.sizes, a.queues, a.rule_counts = [1000], [64], [1], [1000]
        a.moves = 2
        a.runs, a.warmup, a.duration = 1, 0.5, 1
    res = lib.Results(a.scenario, a.out)
    try:
        if a.scenario == "p2p":
            report_p2p(a, res, run_p2p(a, res))
        elif a.scenario == "vhost":
            report_vhost(a, res, run_vhost(a, res))
        elif a.scenario == "storm":
            if a.flows == [1, 1000, 100000, 1000000]:
                a.flows = [1000]
            storm.report_storm(a, res, storm.run_storm(a, res, measure, note_exit))
        elif a.scenario == "rules":
            report_rules(a, res, run_rules(a, res))
        elif a.scenario == "pmd":
            run_pmd(a, res)
            report_pmd(a, res)
        else:
            run_guests(a, res)
            report_guests(a, res)
        if a.scenario in ("p2p", "vhost"):
            report_ab(a, res)
    finally:
        lib.cleanup_all()
    if a.smoke and not smoke_check(res):
        sys.exit(1)


if __name__ == "__main__":
    main()
