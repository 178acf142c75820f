#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# tests/unit/ofp/capture.py: how the ovs-ofctl messages in test_ofp.c were
# captured. A tiny OpenFlow 1.3 "switch" that answers just enough for
# ovs-ofctl to send its request (HELLO, FEATURES_REPLY, BARRIER_REPLY,
# ECHO_REPLY, empty multipart replies, bundle replies) and prints every
# message it receives as hex, one per line, type first.
#
#   python3 tests/unit/ofp/capture.py PORT 'add-flow ... ' > out.txt
# runs ovs-ofctl -O OpenFlow13 ARGS tcp:127.0.0.1:PORT against itself.
import shlex
import socket
import struct
import subprocess
import sys
import threading


def msg(t, xid, body=b""):
    return struct.pack("!BBHI", 4, t, 8 + len(body), xid) + body


def answer(h, data):
    ver, t, length, xid = struct.unpack("!BBHI", data[:8])
    if t == 0:
        return msg(0, xid, struct.pack("!HHI", 1, 8, 1 << 4))
    if t == 2:
        return msg(3, xid, data[8:])
    if t == 5:
        return msg(6, xid, struct.pack("!QIBB2xII", 0x1234, 0, 254, 0, 0x4f, 0))
    if t == 7:
        return msg(8, xid, struct.pack("!HH", 0, 128))
    if t == 18 and data[8:10] == b"\0\x0c":
        # one table with the 8 properties ovs-ofctl requires, empty
        props = b"".join(struct.pack("!HH4x", t, 4) for t in (0, 2, 4, 6, 8, 10, 12, 14))
        feat = struct.pack("!HB5x32sQQII", 64 + len(props), 0, b"t0", 0, 0, 0, 1000) + props
        return msg(19, xid, data[8:10] + b"\0" * 6 + feat)
    if t == 18 and data[8:10] == b"\0\x0d":
        # one port, 3 "p3", for mod-port to find
        port = struct.pack("!I4x6s2x16sIIIIIIII", 3, bytes.fromhex("020000000003"), b"p3",
                           0, 4, 0, 0, 0, 0, 10000000, 10000000)
        return msg(19, xid, data[8:10] + b"\0" * 6 + port)
    if t == 18:
        return msg(19, xid, data[8:10] + b"\0" * 6)
    if t == 20:
        return msg(21, xid)
    if t == 4 and length >= 24:
        exp, exp_type, bid, btype, flags = struct.unpack("!IIIHH", data[8:24])
        if exp_type == 2300:
            return msg(4, xid, struct.pack("!IIIHH", exp, 2300, bid, btype + 1, flags))
    if t == 33:
        bid, btype, flags = struct.unpack("!IHH", data[8:16])
        return msg(33, xid, struct.pack("!IHH", bid, btype + 1, flags))
    return b""


def serve(srv, out):
    conn, _ = srv.accept()
    conn.settimeout(5)
    buf = b""
    try:
        while True:
            d = conn.recv(65536)
            if not d:
                break
            buf += d
            while len(buf) >= 8:
                length = struct.unpack("!H", buf[2:4])[0]
                if len(buf) < length:
                    break
                m, buf = buf[:length], buf[length:]
                out.append(m)
                print("type %d len %d: %s" % (m[1], len(m), m.hex()), flush=True)
                conn.sendall(answer(None, m))
    except OSError:
        pass
    conn.close()


def main():
    port, args = int(sys.argv[1]), shlex.split(sys.argv[2])
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(1)
    got = []
    th = threading.Thread(target=serve, args=(srv, got), daemon=True)
    th.start()
    opts = [a for a in args if a.startswith("--")]
    rest = [a for a in args if not a.startswith("--")]
    cmd = ["ovs-ofctl", "-O", "OpenFlow13"] + opts + rest[:1] + ["tcp:127.0.0.1:%d" % port] + rest[1:]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=5)
        sys.stderr.write(p.stdout + p.stderr)
    except subprocess.TimeoutExpired:
        sys.stderr.write("ovs-ofctl timed out\n")
    th.join(6)


main()
