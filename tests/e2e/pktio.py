#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tests/e2e/pktio.py: send or capture raw Ethernet frames on one interface
(AF_PACKET), for tests that must assert exact packet contents. Run inside a
network namespace with `ip netns exec NS python3 pktio.py ...`.

  pktio.py send IFACE HEX [HEX...] [--repeat N] [--seq]
  pktio.py recv IFACE --ethertype 0x88b5 --timeout SEC [--max N] [--idle SEC]

recv prints "ready" on stderr once bound, then one JSON list of hex frames
on stdout when it has --max frames or the timeout expires."""
import argparse
import json
import socket
import sys
import time

ETH_P_ALL = 0x0003


def send(args):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((args.iface, 0))
    frames = [bytearray.fromhex(h) for h in args.frames]
    sent = 0
    for _ in range(args.repeat):
        for f in frames:
            if args.seq:  # a distinct sequence number in every frame sent
                f[14:18] = sent.to_bytes(4, "big")
            while True:
                try:
                    s.send(f)
                    break
                except BlockingIOError:
                    time.sleep(0.001)
            sent += 1
    print(sent)


def recv(args):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    # SO_RCVBUFFORCE (root) goes past net.core.rmem_max: a test must not
    # lose frames in its own receiver.
    s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)
    s.bind((args.iface, 0))
    s.settimeout(0.1)
    want = int(args.ethertype, 0)
    got = []
    print("ready", file=sys.stderr, flush=True)
    deadline = time.monotonic() + args.timeout
    last = None  # when the last matching frame came
    while time.monotonic() < deadline and (args.max == 0 or len(got) < args.max):
        if args.idle and last is not None and time.monotonic() - last > args.idle:
            break
        try:
            data, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        if len(data) >= 14 and int.from_bytes(data[12:14], "big") == want:
            got.append(data.hex())
            last = time.monotonic()
    print(json.dumps(got))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    ps = sub.add_parser("send")
    ps.add_argument("iface")
    ps.add_argument("frames", nargs="+")
    ps.add_argument("--repeat", type=int, default=1)
    ps.add_argument("--seq", action="store_true")
    pr = sub.add_parser("recv")
    pr.add_argument("iface")
    pr.add_argument("--ethertype", default="0x88b5")
    pr.add_argument("--timeout", type=float, default=5)
    pr.add_argument("--max", type=int, default=0)
    pr.add_argument("--idle", type=float, default=0)
    args = p.parse_args()
    send(args) if args.cmd == "send" else recv(args)


if __name__ == "__main__":
    main()
