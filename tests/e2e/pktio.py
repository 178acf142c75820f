#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tests/e2e/pktio.py: send or capture raw Ethernet frames on one interface
(AF_PACKET), for tests that must assert exact packet contents. Run inside a
network namespace with `ip netns exec NS python3 pktio.py ...`.

  pktio.py send IFACE HEX [HEX...] [--repeat N] [--seq] [--rate FPS]
  pktio.py recv IFACE --ethertype 0x88b5 --timeout SEC [--max N] [--idle SEC] [--until-stop]

recv keeps the frames whose EtherType (after any VLAN tags, which it puts
back as they were on the wire) is the one asked for. It prints "ready" on
stderr once bound, then one JSON list of hex frames on stdout when it has
--max frames or the timeout expires. With --until-stop it also ends SETTLE
seconds after a line "stop SETTLE" comes on stdin: the test says when it
has sent, so a slow start of the sender (a loaded machine) cannot make the
receiver give up before the frames come."""
import argparse
import json
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40


def send(args):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((args.iface, 0))
    frames = [bytearray.fromhex(h) for h in args.frames]
    sent = 0
    start = time.monotonic()
    for _ in range(args.repeat):
        for f in frames:
            if args.rate:  # paced: frame k leaves at start + k / rate
                ahead = start + sent / args.rate - time.monotonic()
                if ahead > 0:
                    time.sleep(ahead)
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


def with_tag(data, anc):
    """The frame as it was on the wire: the kernel takes the 802.1Q tag off
    into PACKET_AUXDATA; put it back."""
    for level, kind, aux in anc:
        if level != SOL_PACKET or kind != PACKET_AUXDATA or len(aux) < 20:
            continue
        status, _, _, _, _, tci, tpid = struct.unpack("IIIHHHH", aux[:20])
        if status & TP_STATUS_VLAN_VALID:
            tpid = tpid if status & TP_STATUS_VLAN_TPID_VALID else 0x8100
            return data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
    return data


def ethertype_of(data):
    """The EtherType after any VLAN tags."""
    off = 12
    while len(data) >= off + 2 and int.from_bytes(data[off:off + 2], "big") in (0x8100, 0x88A8):
        off += 4
    return int.from_bytes(data[off:off + 2], "big") if len(data) >= off + 2 else -1


def recv(args):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    # SO_RCVBUFFORCE (root) goes past net.core.rmem_max: a test must not
    # lose frames in its own receiver.
    s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.bind((args.iface, 0))
    s.settimeout(0.1)
    want = int(args.ethertype, 0)
    got = []
    print("ready", file=sys.stderr, flush=True)
    deadline = time.monotonic() + args.timeout
    last = None  # when the last matching frame came
    watch = [s, sys.stdin] if args.until_stop else [s]
    while time.monotonic() < deadline and (args.max == 0 or len(got) < args.max):
        if args.idle and last is not None and time.monotonic() - last > args.idle:
            break
        ready, _, _ = select.select(watch, [], [], 0.1)
        if sys.stdin in ready:
            words = sys.stdin.readline().split()
            settle = float(words[1]) if len(words) > 1 else 0.5
            deadline = min(deadline, time.monotonic() + settle)
            watch = [s]
        if s not in ready:
            continue
        data, anc, _, addr = s.recvmsg(65535, 256)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        data = with_tag(data, anc)
        if ethertype_of(data) == want:
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
    ps.add_argument("--rate", type=float, default=0, help="frames per second (0: flat out)")
    pr = sub.add_parser("recv")
    pr.add_argument("iface")
    pr.add_argument("--ethertype", default="0x88b5")
    pr.add_argument("--timeout", type=float, default=5)
    pr.add_argument("--max", type=int, default=0)
    pr.add_argument("--idle", type=float, default=0)
    pr.add_argument("--until-stop", action="store_true")
    args = p.parse_args()
    send(args) if args.cmd == "send" else recv(args)


if __name__ == "__main__":
    main()
