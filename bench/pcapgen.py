#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""bench/pcapgen.py: write a pcap of UDP frames for the benchmarks.

  pcapgen.py OUT.pcap [--size 64] [--flows 1000] [--ipv6] [--vlan ID]
             [--src-mac M] [--dst-mac M] [--src-ip A] [--dst-ip A]
             [--sport P] [--dport P] [--seed S]

One frame per flow, flows distinct in their 5-tuple: flow i takes the i-th
(source address, destination address, source port, destination port) in a
shuffled (seeded) order from ranges wide enough for --flows, so consecutive
frames hit different flows, as in real mixed traffic. --size is the frame
size on the wire without the 4-byte FCS (64 means a 60-byte frame is
written and 64 counted on the wire, the convention of RFC 2544 tools).
Checksums are correct. Frames are identical but for the 5-tuple and the
checksums, so every size and flow count costs the switch the same per
packet."""
import argparse
import ipaddress
import random
import struct
import sys

ETH_IPV4, ETH_IPV6, ETH_VLAN = 0x0800, 0x86DD, 0x8100


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def udp_v4(src, dst, sport, dport, payload):
    ulen = 8 + len(payload)
    pseudo = src + dst + struct.pack("!BBH", 0, 17, ulen)
    u = struct.pack("!HHHH", sport, dport, ulen, 0) + payload
    c = csum(pseudo + u) or 0xFFFF
    u = u[:6] + struct.pack("!H", c) + u[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, 0, 0x4000, 64, 17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + u


def udp_v6(src, dst, sport, dport, payload):
    ulen = 8 + len(payload)
    pseudo = src + dst + struct.pack("!I3xB", ulen, 17)
    u = struct.pack("!HHHH", sport, dport, ulen, 0) + payload
    c = csum(pseudo + u) or 0xFFFF
    u = u[:6] + struct.pack("!H", c) + u[8:]
    ip = struct.pack("!IHBB16s16s", 6 << 28, ulen, 17, 64, src, dst)
    return ip + u


def tuples(n, rng):
    """n distinct (src index, dst index, sport, dport), shuffled."""
    # Spread over source address, destination address and source port so
    # that no field alone needs more than ~n^(1/3) * 4 values.
    side = max(1, round(n ** (1 / 3)) + 1)
    out = []
    i = 0
    while len(out) < n:
        a, b, c = i % side, (i // side) % side, i // (side * side)
        out.append((a, b, 1024 + c, 0))
        i += 1
    rng.shuffle(out)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out")
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--flows", type=int, default=1000)
    p.add_argument("--ipv6", action="store_true")
    p.add_argument("--vlan", type=int)
    p.add_argument("--src-mac", default="02:00:00:00:00:01")
    p.add_argument("--dst-mac", default="02:00:00:00:00:02")
    p.add_argument("--src-ip")
    p.add_argument("--dst-ip")
    p.add_argument("--sport", type=int, default=0, help="added to the generated source port")
    p.add_argument("--dport", type=int, default=5001)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()

    v6 = a.ipv6
    src0 = ipaddress.ip_address(a.src_ip or ("2001:db8:1::1" if v6 else "10.0.0.1"))
    dst0 = ipaddress.ip_address(a.dst_ip or ("2001:db8:2::1" if v6 else "10.128.0.1"))
    l2 = mac(a.dst_mac) + mac(a.src_mac)
    if a.vlan is not None:
        l2 += struct.pack("!HH", ETH_VLAN, a.vlan & 0xFFF)
    l2 += struct.pack("!H", ETH_IPV6 if v6 else ETH_IPV4)
    hdr = len(l2) + (40 if v6 else 20) + 8
    wire = a.size - 4                         # without FCS
    if wire < hdr:
        sys.exit("--size %d is too small for these headers (%d bytes + FCS)" % (a.size, hdr))
    payload = bytes(wire - hdr)
    if a.flows < 1:
        sys.exit("--flows must be at least 1")

    rng = random.Random(a.seed)
    with open(a.out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for k, (s, d, sp, dp) in enumerate(tuples(a.flows, rng)):
            src = (src0 + s).packed
            dst = (dst0 + d).packed
            l3 = (udp_v6 if v6 else udp_v4)(src, dst, sp + a.sport, a.dport + dp, payload)
            frame = l2 + l3
            f.write(struct.pack("<IIII", k // 1000000, k % 1000000, len(frame), len(frame)))
            f.write(frame)
    print("%s: %d frames of %d bytes (+FCS), %d flows%s%s" % (
        a.out, a.flows, wire, a.flows, ", IPv6" if v6 else "",
        ", VLAN %d" % a.vlan if a.vlan is not None else ""))


if __name__ == "__main__":
    main()
