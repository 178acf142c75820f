# SPDX-License-Identifier: BSD-3-Clause
"""bench/storm.py: the flow-mod storm scenario (bench/run.py storm).

A controller installs rules one at a time, one FLOW_MOD per new flow. This
measures how many single-rule flow-mods a switch takes per second into a
table that already holds many rules, and what it forwards meanwhile:

  1. the switch starts with p2p traffic (net_pcap replay -> switch ->
     net_null sink) and a table of --storm-table rules of one mask
     (bench/rulesets.py many(): UDP to 10.x.y.z:5001) plus a priority-1
     catch-all to the sink that the traffic hits (two masks: every packet
     is a real lookup, not an in_port shortcut);
  2. forwarding is measured for --duration seconds (the baseline);
  3. `ovs-ofctl -O OpenFlow13 add-flows` sends --storm-mods flow-mods over
     one OpenFlow connection to the switch's passive listener (ptcp:, the
     same transport for both switches): adds of new rules of the same mask,
     then as many strict deletes of them (each line of the file is one
     FLOW_MOD message; ovs-ofctl ends with a barrier and returns when the
     switch has answered it, so every change is in when it returns). The
     sink's counters are read just before and just after: the forwarding
     rate during the storm.

Both switches get the same files. The table is preloaded by each switch's
own bulk path (vswitchctl replace-flows, ovs-ofctl add-flows), untimed."""
import os
import select
import socket
import struct
import subprocess
import time

import duts
import lib
import rulesets

OF_PORT = 16653  # the passive OpenFlow listener both switches get


def storm_lines(n):
    """n/2 adds of new rules (destination port 5002: not in the preloaded
    table, the same mask), then the n/2 strict deletes of the same rules."""
    half = n // 2
    adds = ["add priority=100,udp,nw_dst=10.%d.%d.%d,tp_dst=5002,actions=output:%d" %
            (i >> 16 & 255, i >> 8 & 255, i & 255, SINK_OFPORT) for i in range(half)]
    dels = ["delete_strict priority=100,udp,nw_dst=10.%d.%d.%d,tp_dst=5002" %
            (i >> 16 & 255, i >> 8 & 255, i & 255) for i in range(half)]
    return adds + dels


def _match(i):
    """OXM: udp,nw_dst=10.x.y.z,tp_dst=5002, padded to 8 (29 + 3 bytes)."""
    oxm = (struct.pack("!IH", 0x80000a02, 0x0800) + struct.pack("!IB", 0x80001401, 17) +
           struct.pack("!I4B", 0x80001804, 10, i >> 16 & 255, i >> 8 & 255, i & 255) +
           struct.pack("!IH", 0x80002002, 5002))
    return struct.pack("!HH", 1, 4 + len(oxm)) + oxm + b"\0" * 3


def _flow_mod(xid, command, i):
    """OpenFlow 1.3 FLOW_MOD, the same rule as storm_lines()'s line i:
    priority 100, apply_actions output:SINK_OFPORT (adds only)."""
    body = _match(i)
    if command == 0:
        body += struct.pack("!HH4xHHIH6x", 4, 24, 0, 16, SINK_OFPORT, 0xffff)
    fixed = struct.pack("!BBHIQQBBHHHIIIH2x", 4, 14, 48 + len(body), xid, 0, 0, 0, command,
                        0, 0, 100, 0xffffffff, 0xffffffff, 0xffffffff, 0)
    return fixed + body


def pipelined_storm(n):
    """The same n flow-mods as storm_lines(n), as one stream with a single
    BARRIER at its end: what the switch takes when the controller does
    not wait on each one (ovs-ofctl add-flows waits for a barrier reply
    after every FLOW_MOD). Encoded before the clock starts; returns the
    seconds from the first byte sent to the barrier's reply. Any ERROR
    from the switch is a failure: every change must have applied."""
    half = n // 2
    msgs = b"".join([_flow_mod(i + 1, 0, i) for i in range(half)] +
                    [_flow_mod(half + i + 1, 4, i) for i in range(half)])
    barrier_xid = n + 1
    msgs += struct.pack("!BBHI", 4, 20, 8, barrier_xid)
    s = socket.create_connection(("127.0.0.1", OF_PORT), timeout=30)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(struct.pack("!BBHI", 4, 0, 8, 0))  # HELLO
    buf = b""
    while len(buf) < 8 or len(buf) < struct.unpack("!H", buf[2:4])[0]:
        buf += s.recv(65536)
    buf = buf[struct.unpack("!H", buf[2:4])[0]:]  # the switch's HELLO
    s.setblocking(False)
    off, errors, done = 0, 0, False
    t0 = time.monotonic()
    while not done:
        if time.monotonic() - t0 > 600:
            raise RuntimeError("pipelined storm: no barrier reply in 600 s")
        r, w, _ = select.select([s], [s] if off < len(msgs) else [], [], 1.0)
        if w:
            try:
                off += s.send(msgs[off:off + (1 << 20)])
            except BlockingIOError:
                pass
        if not r:
            continue
        data = s.recv(1 << 20)
        if not data:
            raise RuntimeError("pipelined storm: the switch closed the connection")
        buf += data
        while len(buf) >= 8 and len(buf) >= struct.unpack("!H", buf[2:4])[0]:
            length = struct.unpack("!H", buf[2:4])[0]
            mtype, xid = buf[1], struct.unpack("!I", buf[4:8])[0]
            if mtype == 1:
                errors += 1
            elif mtype == 2:  # ECHO_REQUEST: answer it
                s.setblocking(True)
                s.sendall(buf[:1] + b"\x03" + buf[2:length])
                s.setblocking(False)
            elif mtype == 21 and xid == barrier_xid:
                done = True
            buf = buf[length:]
    t1 = time.monotonic()
    s.close()
    if errors:
        raise RuntimeError("pipelined storm: %d flow-mods refused" % errors)
    return t1 - t0


# The sink is added first (duts.py adds sinks first), so it is OpenFlow
# port 1 in both switches.
SINK_OFPORT = 1


def attach_listener(dut):
    """Give the bridge a passive OpenFlow listener on 127.0.0.1:OF_PORT."""
    target = "ptcp:%d:127.0.0.1" % OF_PORT
    if isinstance(dut, duts.Ovs):
        dut.vsctl("set-controller", "br0", target)
        # 1.0 too: the benchmark's own ovs-ofctl calls (dump-ports) speak it.
        dut.vsctl("set", "bridge", "br0", "protocols=OpenFlow10,OpenFlow13")
    else:
        dut.ctl("set-controller", "br0", target)
    lib.wait_for(lambda: subprocess.run(
        ["ovs-ofctl", "-O", "OpenFlow13", "show", "tcp:127.0.0.1:%d" % OF_PORT],
        capture_output=True, timeout=10).returncode == 0, 30, "the OpenFlow listener")


def run_storm(a, res, measure, note_exit):
    lib.check_machine(2, 1024)
    flows = a.flows[0]
    path = lib.pcap(flows, 64)
    ports = [duts.dpdk_port("src", "net_pcap0,rx_pcap=%s,infinite_rx=1" % path),
             duts.dpdk_port("sink", "net_null0,no-rx=1")]
    table = rulesets.many(a.storm_table) + ["priority=1,actions=output:sink"]
    lines = storm_lines(a.storm_mods)
    config = "table=%d mods=%d flows=%d" % (a.storm_table, len(lines), flows)
    lib.log(config)
    for run in range(1, a.runs + 1):
        for name in [d for d in a.duts if d != "testpmd"]:
            dut = duts.DUTS[name]()
            m = {}
            try:
                dut.start(ports, "normal", preload=flows)
                dut.add_flows(table)
                attach_listener(dut)
                folder = getattr(dut, "rundir", None) or dut.dir
                storm = os.path.join(folder, "storm.txt")
                with open(storm, "w") as f:
                    f.write("\n".join(lines) + "\n")
                base = measure(dut, "sink", a.warmup, a.duration)
                c0 = dut.counters("sink")
                t0 = time.monotonic()
                r = subprocess.run(["ovs-ofctl", "-O", "OpenFlow13", "add-flows",
                                    "tcp:127.0.0.1:%d" % OF_PORT, storm],
                                   capture_output=True, text=True, timeout=900)
                t1 = time.monotonic()
                c1 = dut.counters("sink")
                if r.returncode != 0:
                    raise RuntimeError("ovs-ofctl add-flows: %s" % r.stderr.strip()[-300:])
                m = {"mods_per_s": len(lines) / (t1 - t0), "seconds": t1 - t0,
                     "mpps": base["mpps"],
                     "storm_mpps": (c1["tx"] - c0["tx"]) / (c1["time"] - c0["time"]) / 1e6}
                # The same flow-mods, pipelined (one barrier at the end).
                c0 = dut.counters("sink")
                sec = pipelined_storm(len(lines))
                c1 = dut.counters("sink")
                m.update({"piped_mods_per_s": len(lines) / sec,
                          "piped_mpps": (c1["tx"] - c0["tx"]) / (c1["time"] - c0["time"]) / 1e6})
            except duts.Unsupported as e:
                m = {"note": str(e)}
            except Exception as e:
                m = {"note": "failed: %s" % e}
            finally:
                note_exit(m, dut.stop())
            res.add(config, name, run, m)
            lib.log("  %-8s run %d: %s" % (name, run, "%.0f flow-mods/s, %.2f Mpps before, "
                                           "%.2f Mpps during; pipelined %.0f flow-mods/s, "
                                           "%.2f Mpps during" % (
                                               m["mods_per_s"], m["mpps"], m["storm_mpps"],
                                               m["piped_mods_per_s"], m["piped_mpps"])
                                           if "piped_mods_per_s" in m else m["note"]))
    return [config]


def report_storm(a, res, configs):
    lines = ["# Flow-mod storm: single-rule flow-mods into a full table", "",
             "One OpenFlow 1.3 connection (`ovs-ofctl -O OpenFlow13 add-flows` to the "
             "switch's ptcp: listener) sends %d single-rule FLOW_MODs (adds of new rules of "
             "the table's mask, then their strict deletes) into a table of %d rules, while "
             "%d-flow 64-byte UDP traffic is forwarded through a lookup of that table. "
             "flow-mods/s: messages / time until the closing barrier is answered. Mpps: "
             "forwarded before the storm (%.0f s) and during it. Median (min–max) of %d "
             "runs, the switches interleaved." % (a.storm_mods, a.storm_table, a.flows[0],
                                                  a.duration, a.runs), "",
             "Pipelined: the same flow-mods again over one connection with a single "
             "barrier at the end (bench/storm.py pipelined_storm): what the switch takes "
             "when the controller does not wait on each one.", "",
             "| switch | flow-mods/s (ovs-ofctl) | Mpps before | Mpps during | "
             "flow-mods/s (pipelined) | Mpps during |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    fields = ("mods_per_s", "mpps", "storm_mpps", "piped_mods_per_s", "piped_mpps")
    for c in configs:
        for d in [d for d in a.duts if d != "testpmd"]:
            s = [res.stats(c, d, f) for f in fields]
            lines.append("| %s | %s |" % (d, " | ".join(
                "n/a" if not x else lib.fmt_range(x, 0) if f.endswith("per_s")
                else lib.fmt_range(x) for f, x in zip(fields, s))))
        for f in ("mods_per_s", "piped_mods_per_s"):
            r = lib.paired_ratio(res, c, "vswitch", "ovs", f)
            if r:
                lines += ["", "vswitch / OVS-DPDK %s (median of paired runs): %.1f" % (f, r)]
    with open(os.path.join(res.dir, "summary.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print("\nresults: %s" % res.dir)
