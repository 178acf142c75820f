#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Abuse of the control socket: the daemon answers what it can, drops
what it must, and keeps serving the next client."""
import json
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
        threads = [threading.Thread(target=client, args=(i,)) for i in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        self.assertEqual(errors, [])
        self.assert_serving()

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


if __name__ == "__main__":
    vsw.main()
