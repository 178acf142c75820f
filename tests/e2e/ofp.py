# SPDX-License-Identifier: BSD-3-Clause
"""tests/e2e/ofp.py: what the OpenFlow tests share: ovs-ofctl -O OpenFlow13,
raw OpenFlow 1.3 messages, and a raw peer on the bridge's passive
listener for what ovs-ofctl never sends (bad input, async messages)."""
import socket
import struct
import subprocess
import time


def ofctl(*args, check=True, timeout=20):
    r = subprocess.run(["ovs-ofctl", "-O", "OpenFlow13"] + list(args), capture_output=True,
                       text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError("ovs-ofctl %s: %s" % (" ".join(args), r.stderr))
    return r


def msg(t, body=b"", xid=1, version=4):
    return struct.pack("!BBHI", version, t, 8 + len(body), xid) + body


HELLO13 = msg(0, struct.pack("!HHI", 1, 8, 1 << 4))


class Peer:
    """A raw OpenFlow 1.3 peer on the listener at 127.0.0.1:'port'; 'rcvbuf'
    a small receive window (the switch must queue and wait for it)."""

    def __init__(self, port, hello=True, rcvbuf=0):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.s.settimeout(10)
        self.s.connect(("127.0.0.1", port))
        self.buf = b""
        t, _, _ = self.recv()
        assert t == 0, "the switch must start with HELLO"
        if hello:
            self.s.sendall(HELLO13)

    def recv(self, timeout=10):
        """(type, xid, body) of the next message; None if the switch closed."""
        self.s.settimeout(timeout)
        while len(self.buf) < 8 or len(self.buf) < struct.unpack("!H", self.buf[2:4])[0]:
            d = self.s.recv(65536)
            if not d:
                return None
            self.buf += d
        ln = struct.unpack("!H", self.buf[2:4])[0]
        m, self.buf = self.buf[:ln], self.buf[ln:]
        return m[1], struct.unpack("!I", m[4:8])[0], m[8:]

    def ask(self, m, skip=(2, 12)):
        """Send 'm'; the first reply that is not an echo request or port status."""
        self.s.sendall(m)
        while True:
            r = self.recv()
            if r is None or r[0] not in skip:
                return r

    def error_of(self, m):
        r = self.ask(m)
        assert r is not None and r[0] == 1, "expected an ERROR, got %r" % (r,)
        return struct.unpack("!HH", r[2][:4])

    def wait_type(self, t, timeout):
        """The next message of type 't' within 'timeout' s, or None."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                r = self.recv(max(0.05, end - time.monotonic()))
            except socket.timeout:
                return None
            if r is None:
                return None
            if r[0] == t:
                return r
        return None

    def closed(self, timeout=10):
        try:
            while True:
                r = self.recv(timeout)
                if r is None:
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.s.close()


def listen(sw, bridge, port):
    """Give 'bridge' a passive listener on 127.0.0.1:'port', and wait (bounded)
    until ovs-ofctl gets an answer from it."""
    import vsw
    sw.ctl("set-controller", bridge, "ptcp:%d:127.0.0.1" % port)
    vsw.wait_for(lambda: ofctl("show", "tcp:127.0.0.1:%d" % port, check=False).returncode == 0,
                 10, "the OpenFlow listener")


def ofport(target, name):
    """Port 'name''s OpenFlow number, as dump-ports-desc tells it."""
    for line in ofctl("dump-ports-desc", target).stdout.splitlines():
        line = line.strip()
        if not line.endswith("):") and "(%s)" % name in line:
            return int(line.split("(")[0])
    raise AssertionError("no port %s in dump-ports-desc" % name)
