#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Abuse of the control socket: the daemon answers what it can, drops
what it must, and keeps serving the next client."""
import json
import re
import socket
import threading
import time
import unittest

import vsw


class RpcRobustness(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("rpc", args=["--max-request", "65536"])
        cls.sw.start()
        cls.sw.ctl("add-br", "br0")

    @classmethod
    def tearDownClass(cls):
        assert cls.sw.stop() == 0

    def replies(self, data, **kw):
        out = self.sw.rpc_raw(data, **kw)
        return [json.loads(l) for l in out.decode().splitlines() if l.strip()]

    def assert_serving(self):
        self.assertTrue(self.sw.alive())
        self.assertEqual(self.sw.ctl("list-br").stdout.split(), ["br0"])

    def test_malformed_requests_get_json_rpc_errors(self):
        cases = [
            (b'{"id": 1, "method": "bridge.list"', -32700),
            (b'\x00\xff\xfe garbage', -32700),
            (b'"just a string"', -32600),
            (b'[{"id": 1, "method": "bridge.list"}]', -32600),
            (b'{"id": 1}', -32600),
            (b'{"id": [1], "method": "bridge.list"}', -32600),
            (b'{"id": 1, "method": "bridge.list", "params": [1]}', -32602),
            (b'{"id": 1, "method": "nope"}', -32601),
            (b'{"id": 1, "method": "bridge.add", "params": {"name": ["x"]}}', -22),
            (b'{"id": 1, "method": "bridge.add", "params": {"name": "b", "mac_max": 1e9}}',
             -22),
            (b'{"id": 1, "method": "port.add", "params": {"bridge": "br0", "name": "p", '
             b'"type": "dpdk", "options": {"devargs": ["x"]}}}', -22),
            (b'{"id": 1, "method": "port.add", "params": {"bridge": "br0", "name": "p", '
             b'"type": "dpdk", "options": "devargs=x"}}', -22),
            (b'[' * 30000 + b']' * 30000, -32700),  # deeper than the parser allows
        ]
        for data, code in cases:
            r = self.replies(data)
            self.assertEqual(len(r), 1, data[:60])
            self.assertEqual(r[0]["error"]["code"], code, (data[:60], r))
        self.assert_serving()

    def test_many_requests_on_one_connection_in_order(self):
        data = b"".join(b'{"jsonrpc": "2.0", "id": %d, "method": "bridge.list"}\n' % i
                        for i in range(200))
        r = self.replies(data)
        self.assertEqual([x["id"] for x in r], list(range(200)))

    def test_oversized_request_is_refused_and_connection_closed(self):
        big = b'{"id": 1, "method": "bridge.list", "params": {"x": "' + b"a" * 200000 + b'"}}\n'
        r = self.replies(big)
        self.assertEqual(len(r), 1)
        self.assertIn("larger than 65536 bytes", r[0]["error"]["message"])
        self.assert_serving()

    def test_endless_request_is_cut_off(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        s.connect(self.sw.rundir + "/vswitchd.sock")
        sent = 0
        try:
            while sent < 8 << 20:   # far past the limit, never a newline
                s.sendall(b" " * 65536)
                sent += 65536
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass
        data = b""
        try:
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except (ConnectionResetError, socket.timeout):
            pass
        s.close()
        self.assertIn(b"larger than 65536 bytes", data)
        self.assert_serving()

    def test_silent_and_half_open_clients_do_not_block_others(self):
        idle = []
        for _ in range(10):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(self.sw.rundir + "/vswitchd.sock")
            s.sendall(b'{"id": 1, "method": "bri')   # a request that never ends
            idle.append(s)
        t0 = time.monotonic()
        self.assert_serving()
        self.assertLess(time.monotonic() - t0, 5)
        for s in idle:
            s.close()

    def test_concurrent_clients(self):
        errors = []

        def client(i):
            try:
                for j in range(20):
                    r = self.replies(b'{"id": %d, "method": "switch.show"}\n' % j)
                    if r[0]["id"] != j or "result" not in r[0]:
                        errors.append(r)
            except Exception as e:  # reported below
                errors.append(e)
        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(16)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        for t in threads:
            t.join(timeout=max(0, deadline - time.monotonic()))
        # A client still running is hung: that fails, it does not pass.
        self.assertEqual([t.name for t in threads if t.is_alive()], [])
        self.assertEqual(errors, [])
        self.assert_serving()

    def connect(self):
        """A client; waits (10 s at most) while the listen backlog is full."""
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + 10
        while True:
            try:
                s.connect(self.sw.rundir + "/vswitchd.sock")
                break
            except BlockingIOError:   # the daemon has yet to accept the ones before
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        s.settimeout(10)
        return s

    def log_since(self, offset):
        return self.sw.read_log()[offset:]

    def read_to_end(self, s):
        data = b""
        while True:
            chunk = s.recv(4096)   # a reset raises: the test then fails
            if not chunk:
                return data
            data += chunk

    def test_idle_clients_do_not_lock_the_operator_out(self):
        log0 = len(self.sw.read_log())
        t0 = time.monotonic()
        idle = []
        try:
            for _ in range(64 + 200):   # every slot, then 200 more displacing them
                idle.append(self.connect())
            r = self.sw.ctl("show", check=False, timeout=20)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("br0", r.stdout)
        finally:
            for s in idle:
                s.close()
        elapsed = time.monotonic() - t0
        # The newest 64 are still connected, the others were closed, the
        # oldest first (each one's peer sees an end of file).
        shown = re.findall(r"control socket full: closing a client idle", self.log_since(log0))
        self.assertGreaterEqual(len(shown), 1)
        self.assertLessEqual(len(shown), 2 + int(elapsed / 10))
        self.assert_serving()

    def test_busy_clients_refuse_the_next_with_a_message(self):
        log0 = len(self.sw.read_log())
        t0 = time.monotonic()
        busy, refused = [], 0
        try:
            for _ in range(64):   # every slot, each with a request in progress
                s = self.connect()
                s.sendall(b'{"id": 1, "method": "bri')
                busy.append(s)
            r = self.sw.ctl("show", check=False, timeout=20)
            refused += 1
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn("vswitchctl: show: too many control clients (64), all busy",
                          r.stderr)
            for _ in range(300):
                s = self.connect()
                try:
                    s.sendall(b'{"id": 1, "method": "bridge.list"}\n')
                except BrokenPipeError:
                    pass   # refused before it sent: the line is there all the same
                try:
                    lines = self.read_to_end(s).decode().splitlines()
                finally:
                    s.close()
                refused += 1
                self.assertEqual(len(lines), 1, lines)
                err = json.loads(lines[0])["error"]
                self.assertEqual(err["code"], -32000)
                self.assertIn("too many control clients (64)", err["message"])
        finally:
            for s in busy:
                s.close()
        elapsed = time.monotonic() - t0
        self.assert_serving()
        # One line per 10 s, and the count of those held back, once the
        # burst is over: all of them are accounted for.
        summary = r"(\d+) more control clients refused in the last 10 s"
        vsw.wait_for(lambda: re.search(summary, self.log_since(log0)), 30,
                     "the count of refusals held back")
        log = self.log_since(log0)
        lines = re.findall(r"refused a control client \(uid 0\).*\((\d+) more refused", log)
        self.assertGreaterEqual(len(lines), 1)
        self.assertLessEqual(len(lines), 2 + int(elapsed / 10))
        counted = len(lines) + sum(map(int, lines)) + sum(map(int, re.findall(summary, log)))
        self.assertEqual(counted, refused)

    def test_client_that_never_reads_is_harmless(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(self.sw.rundir + "/vswitchd.sock")
        s.setblocking(False)
        req = b'{"id": 1, "method": "rpc.list"}\n' * 2000
        try:
            s.sendall(req)
        except BlockingIOError:
            pass
        self.assert_serving()
        s.close()
        self.assert_serving()


class RpcIdleTimeout(unittest.TestCase):
    """A client with nothing in progress is closed after --rpc-idle-timeout."""

    @classmethod
    def setUpClass(cls):
        cls.sw = vsw.Switch("rpcidle", args=["--rpc-idle-timeout", "2"])
        cls.sw.start()

    @classmethod
    def tearDownClass(cls):
        assert cls.sw.stop() == 0

    def test_idle_client_is_closed_after_the_timeout(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(20)
        s.connect(self.sw.rundir + "/vswitchd.sock")
        t0 = time.monotonic()
        # Requests keep it: six, 0.5 s apart, outlast the timeout.
        for i in range(6):
            time.sleep(0.5)
            s.sendall(b'{"id": %d, "method": "bridge.list"}\n' % i)
            self.assertIn(b'"id":%d,"result"' % i, s.recv(4096))
        t1 = time.monotonic()
        self.assertEqual(s.recv(4096), b"")   # then, idle, it is closed
        self.assertGreaterEqual(time.monotonic() - t1, 1.5)   # not before 2 s
        self.assertLess(time.monotonic() - t0, 20)
        s.close()
        self.assertEqual(self.sw.ctl("list-br").returncode, 0)


if __name__ == "__main__":
    vsw.main()
