#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""bench/flowmod.py: single-rule flow-mods per second into a full table,
over one JSON-RPC connection.

  sudo flock /tmp/vsw-run.lock python3 bench/flowmod.py [--table 100000] [--mods 100000]

Starts vswitchd (as bench/duts.py does: a net_null sink port, one PMD),
loads --table rules of one mask with one add-flows (bench/rulesets.py
many(): UDP to 10.x.y.z:5001), then sends --mods single-rule flow.add
requests (new rules of the same mask, destination port 5002), then as many
strict flow.del requests of the same rules, each request one rule, as fast
as one connection allows: requests are pipelined (a writer thread sends
them all, the main thread reads the answers as they come), so the figure is
the switch's, not the round trip's. Every answer is checked (an error
fails the run), and the table must hold --table + --mods rules after the
adds and --table after the deletes.

The adds carry "origin": "controller", as the OpenFlow channel's are: such
rules are never written to the config file (vswitchctl's are saved before
they apply, which this does not measure). It is what the controller path
uses, not an operator feature.

Prints rules/s for the adds and for the deletes (and writes them as JSON
with --json)."""
import argparse
import json
import os
import socket
import sys
import threading
import time

import duts
import lib
import rulesets


def rule(i, port=5002):
    return "priority=100,udp,nw_dst=10.%d.%d.%d,tp_dst=%d" % (i >> 16 & 255, i >> 8 & 255,
                                                             i & 255, port)


def requests(n, kind):
    """n single-rule requests, one JSON-RPC line each."""
    out = []
    for i in range(n):
        if kind == "add":
            params = {"bridge": "br0", "flows": [rule(i) + ",actions=output:sink"],
                      "origin": "controller"}
            method = "flow.add"
        else:
            params = {"bridge": "br0", "match": rule(i), "strict": True}
            method = "flow.del"
        out.append(json.dumps({"jsonrpc": "2.0", "id": i, "method": method,
                               "params": params}).encode() + b"\n")
    return out


def storm(sock_path, lines, expect):
    """Send 'lines' pipelined on one connection; read every answer. Returns
    the seconds from the first byte sent to the last answer read. 'expect'
    is the bytes every answer's result holds ('"added":1'): answers are
    checked by counting it per chunk, not decoded one by one, so that the
    client (on the control thread's core, with 2 cores) costs little."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock_path)
    s.settimeout(120)
    blob = b"".join(lines)
    failure = []

    def writer():
        try:
            s.sendall(blob)
        except OSError as e:
            failure.append("send: %s" % e)

    t0 = time.monotonic()
    th = threading.Thread(target=writer)
    th.start()
    buf, got = b"", 0
    while got < len(lines) and not failure:
        chunk = s.recv(1 << 20)
        if not chunk:
            failure.append("the daemon closed the connection after %d answers" % got)
            break
        buf += chunk
        end = buf.rfind(b"\n") + 1
        done, buf = buf[:end], buf[end:]
        n = done.count(b"\n")
        if done.count(expect) != n:
            bad = [x for x in done.split(b"\n") if x and expect not in x][0]
            failure.append("unexpected answer after %d good ones: %s" % (got, bad[:300]))
            break
        got += n
    t1 = time.monotonic()
    th.join(timeout=120)
    s.close()
    if failure:
        raise RuntimeError(failure[0])
    return t1 - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--table", type=int, default=100000, help="rules loaded first")
    ap.add_argument("--mods", type=int, default=100000, help="single-rule adds, then deletes")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", help="write the results here")
    a = ap.parse_args()
    lib.check_machine(2, 512)
    # A source that sends nothing (net_null, no-rx) and the sink the rules output to.
    ports = [duts.dpdk_port("src", "net_null1,no-rx=1"), duts.dpdk_port("sink", "net_null0,no-rx=1")]
    adds, dels = requests(a.mods, "add"), requests(a.mods, "del")
    results = []
    try:
        for run in range(1, a.runs + 1):
            dut = duts.VSwitch()
            try:
                dut.start(ports, "normal")
                t = time.monotonic()
                dut.add_flows(rulesets.many(a.table))
                load_s = time.monotonic() - t
                sock = os.path.join(dut.rundir, "vswitchd.sock")
                ta = storm(sock, adds, b'"added":1,')
                n = json.loads(dut.ctl("--json", "dump-flows", "br0", "dl_type=0x1").stdout)
                if n["rules"] != a.table + a.mods + 1:
                    raise RuntimeError("%d rules after the adds, not %d" % (
                        n["rules"], a.table + a.mods + 1))
                td = storm(sock, dels, b'"deleted":1,')
                n = json.loads(dut.ctl("--json", "dump-flows", "br0", "dl_type=0x1").stdout)
                if n["rules"] != a.table + 1:
                    raise RuntimeError("%d rules after the deletes, not %d" % (
                        n["rules"], a.table + 1))
            finally:
                dut.stop()
            m = {"run": run, "table": a.table, "mods": a.mods, "load_s": load_s,
                 "adds_per_s": a.mods / ta, "dels_per_s": a.mods / td}
            results.append(m)
            lib.log("run %d: %d-rule add-flows %.2f s; %.0f adds/s, %.0f deletes/s" % (
                run, a.table, load_s, m["adds_per_s"], m["dels_per_s"]))
    finally:
        lib.cleanup_all()
    for f in ("adds_per_s", "dels_per_s"):
        s = lib.summarize([m[f] for m in results])
        print("%s: median %.0f (min %.0f, max %.0f) over %d runs, %d single-rule requests "
              "into a %d-rule table" % (f, s["median"], s["min"], s["max"], len(results),
                                        a.mods, a.table))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
