#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""OpenFlow over TLS with real peers. A CA, a switch certificate and a
controller certificate are made with the openssl CLI (and a second CA
with a client of its own). ovs-ofctl speaks TLS to the bridge's pssl:
listener (show, add-flow, dump-flows); a client of the other CA, a
plaintext ovs-ofctl and a peer that connects and says nothing are each
dropped, counted in show and logged once, while the switch keeps
forwarding and serving. An active ssl: target reaches a Python TLS
controller that checks the switch's certificate, gets FEATURES and
programs a rule. set-ssl with a key that is not the certificate's is
refused and changes nothing; the TLS files survive a restart."""
import os
import shutil
import socket
import ssl
import struct
import subprocess
import tempfile
import threading
import time
import unittest

import vsw
from ofp import HELLO13, msg, ofctl

BCAST = "ff:ff:ff:ff:ff:ff"
PORT = 30000 + os.getpid() % 10000
CTL_PORT = PORT + 1
OFP = "ssl:127.0.0.1:%d" % PORT
HANDSHAKE_S = 10  # VS_OFCONN_HELLO_MS


def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, capture_output=True,
                   timeout=60)


def make_pki(d):
    """ca.pem signing switch and controller; ca2.pem signing 'stranger'."""
    for ca in ("ca", "ca2"):
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca + ".key",
                "-out", ca + ".pem", "-days", "2", "-subj", "/CN=vsw-test-" + ca, cwd=d)
    for name, ca in (("switch", "ca"), ("controller", "ca"), ("stranger", "ca2")):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out",
                name + ".csr", "-subj", "/CN=" + name, cwd=d)
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
                "-CAcreateserial", "-out", name + ".pem", "-days", "2", cwd=d)
    return {n: os.path.join(d, n) for n in ("ca", "ca2", "switch", "controller", "stranger")}


class TlsController(threading.Thread):
    """A TLS OpenFlow controller on 127.0.0.1:CTL_PORT: verifies the
    switch's certificate against the CA, HELLO, FEATURES_REQUEST, then one
    FLOW_MOD (priority 4321, drop) and a BARRIER; records what it saw."""

    def __init__(self, pki):
        super().__init__(daemon=True)
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        self.ctx.load_cert_chain(pki["controller"] + ".pem", pki["controller"] + ".key")
        self.ctx.load_verify_locations(pki["ca"] + ".pem")
        self.ctx.verify_mode = ssl.CERT_REQUIRED
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind(("127.0.0.1", CTL_PORT))
        self.ls.listen(4)
        self.ls.settimeout(30)
        self.peer_cn = None
        self.version = None
        self.dpid = None
        self.barrier = False
        self.error = None

    def recv_msg(self, s, buf):
        while len(buf) < 8 or len(buf) < struct.unpack("!H", buf[2:4])[0]:
            d = s.recv(65536)
            if not d:
                raise EOFError("the switch closed")
            buf += d
        ln = struct.unpack("!H", buf[2:4])[0]
        return buf[:ln], buf[ln:]

    def run(self):
        try:
            raw, _ = self.ls.accept()
            s = self.ctx.wrap_socket(raw, server_side=True)
            s.settimeout(20)
            self.version = s.version()
            self.peer_cn = dict(x[0] for x in s.getpeercert()["subject"])["commonName"]
            s.sendall(HELLO13)
            buf = b""
            m, buf = self.recv_msg(s, buf)
            assert m[1] == 0, "HELLO first"
            s.sendall(msg(5, xid=7))  # FEATURES_REQUEST
            while True:
                m, buf = self.recv_msg(s, buf)
                if m[1] == 6:
                    self.dpid = "%016x" % struct.unpack("!Q", m[8:16])[0]
                    break
            body = struct.pack("!QQBBHHHIIIH2x", 0, 0, 0, 0, 0, 0, 4321, 0xffffffff,
                               0xffffffff, 0xffffffff, 0)
            body += struct.pack("!HH4x", 1, 4)  # an empty OXM match: every packet
            s.sendall(msg(14, body, xid=8) + msg(20, xid=9))  # FLOW_MOD add, BARRIER
            while True:
                m, buf = self.recv_msg(s, buf)
                if m[1] == 2:  # ECHO_REQUEST
                    s.sendall(msg(3, m[8:], xid=struct.unpack("!I", m[4:8])[0]))
                if m[1] == 1:
                    raise AssertionError("the switch answered with an ERROR: %r" % m)
                if m[1] == 21:
                    self.barrier = True
                    break
            self.sock = s  # kept open: the switch stays connected
        except Exception as e:  # noqa: BLE001 (reported by the test)
            self.error = repr(e)

    def close(self):
        self.ls.close()
        if getattr(self, "sock", None) is not None:
            self.sock.close()


class OfpTls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="vsw-tls-")
        cls.pki = make_pki(cls.tmp)
        cls.sw = vsw.Switch("tls")
        cls.sw.start()
        cls.sw.ctl("add-br", "br0")
        cls.ns = cls.sw.add_netns_ports("br0", "ab")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        assert cls.sw.stop() == 0

    def tls_args(self, who="controller", ca="ca"):
        p = self.pki
        return ["--private-key=%s.key" % p[who], "--certificate=%s.pem" % p[who],
                "--ca-cert=%s.pem" % p[ca]]

    def ofctl_tls(self, *args, who="controller", check=True):
        a = list(args)
        return ofctl(*(self.tls_args(who) + a[:1] + [OFP] + a[1:]), check=check, timeout=30)

    def set_ssl(self):
        p = self.pki["switch"]
        self.sw.ctl("set-ssl", p + ".key", p + ".pem", self.pki["ca"] + ".pem")

    def listen(self):
        self.sw.ctl("set-controller", "br0", "pssl:%d:127.0.0.1" % PORT)
        vsw.wait_for(lambda: self.ofctl_tls("show", check=False).returncode == 0, 15,
                     "the TLS listener")

    def controller(self, target):
        for c in self.sw.ctlj("show")["bridges"][0]["openflow"]["controllers"]:
            if c["target"] == target:
                return c
        raise AssertionError("no controller %s in show" % target)

    def forwards(self):
        a = self.ns["a"]
        got = vsw.exchange(self.ns, "a", [vsw.frame(BCAST, a.mac, seq=s) for s in range(5)],
                           "b")
        return vsw.seqs(got["b"]) == list(range(5))

    def test_1_ssl_needs_set_ssl_and_a_key_that_matches(self):
        r = self.sw.ctl("set-controller", "br0", "pssl:%d" % PORT, check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("run vswitchctl set-ssl", r.stderr)
        self.assertEqual(self.sw.ctl("get-ssl").stdout, "")
        conf = os.path.join(self.sw.rundir, "vswitchd.json")
        with open(conf) as f:
            before = f.read()
        # The controller's key with the switch's certificate: refused, nothing saved.
        r = self.sw.ctl("set-ssl", self.pki["controller"] + ".key", self.pki["switch"] + ".pem",
                        self.pki["ca"] + ".pem", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("does not match certificate", r.stderr)
        r = self.sw.ctl("set-ssl", self.pki["switch"] + ".key", self.pki["switch"] + ".pem",
                        os.path.join(self.tmp, "missing.pem"), check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("missing.pem: No such file", r.stderr)
        r = self.sw.ctl("set-ssl", self.pki["switch"] + ".key", self.pki["switch"] + ".pem",
                        self.pki["switch"] + ".key", check=False)
        self.assertIn("CA certificate", r.stderr)
        self.assertEqual(self.sw.ctl("get-ssl").stdout, "")
        with open(conf) as f:
            self.assertEqual(f.read(), before)

    def test_2_pssl_with_ovs_ofctl(self):
        self.set_ssl()
        out = self.sw.ctl("get-ssl").stdout
        self.assertIn("Private key: %s.key" % self.pki["switch"], out)
        self.assertIn("CA Certificate: %s.pem" % self.pki["ca"], out)
        self.listen()
        out = self.ofctl_tls("show").stdout
        self.assertIn("n_tables:255", out)
        self.assertIn("(pa): addr:", out)
        self.ofctl_tls("add-flow", "priority=777,dl_type=0x88b5,actions=drop")
        self.assertIn("priority=777", self.ofctl_tls("dump-flows").stdout)
        self.assertIn("priority=777", self.sw.ctl("dump-flows", "br0").stdout)
        self.ofctl_tls("del-flows", "dl_type=0x88b5")
        self.assertNotIn("priority=777", self.ofctl_tls("dump-flows").stdout)
        r = self.sw.ctl("del-ssl", check=False)  # a pssl: target uses it
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("del-controller br0", r.stderr)

    def test_3_strangers_plaintext_and_silent_peers_are_dropped(self):
        self.set_ssl()
        self.listen()
        base = self.controller("pssl:%d:127.0.0.1" % PORT).get("tls_errors", 0)
        # A client whose certificate another CA signed.
        r = ofctl(*(self.tls_args("stranger") + ["show", OFP]), check=False, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        # A plaintext OpenFlow client on the TLS port.
        r = ofctl("show", "tcp:127.0.0.1:%d" % PORT, check=False, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        # A peer that connects and sends nothing: dropped after the bound,
        # while the switch forwards and answers TLS clients.
        silent = socket.create_connection(("127.0.0.1", PORT), timeout=5)
        t0 = time.monotonic()
        self.assertTrue(self.forwards())
        self.assertIn("n_tables:255", self.ofctl_tls("show").stdout)
        silent.settimeout(HANDSHAKE_S + 10)
        self.assertEqual(silent.recv(100), b"")  # the switch closed it
        waited = time.monotonic() - t0
        self.assertGreaterEqual(waited, HANDSHAKE_S - 1)
        self.assertLess(waited, HANDSHAKE_S + 5)
        silent.close()
        c = vsw.wait_for(lambda: self.controller("pssl:%d:127.0.0.1" % PORT)
                         if self.controller("pssl:%d:127.0.0.1" % PORT)["tls_errors"] >= base + 3
                         else None, 10, "three TLS failures counted")
        self.assertIn("TLS handshake: not done in %d s" % HANDSHAKE_S, c["tls_error"])
        log = self.sw.read_log()
        self.assertIn("peer certificate refused", log)
        self.assertIn("TLS handshake: not done", log)
        # Logged once per cause: a second stranger adds a count, not a line.
        n = log.count("peer certificate refused")
        ofctl(*(self.tls_args("stranger") + ["show", OFP]), check=False, timeout=30)
        vsw.wait_for(lambda: self.controller("pssl:%d:127.0.0.1" % PORT)["tls_errors"] >=
                     c["tls_errors"] + 1, 10, "the fourth failure counted")
        self.assertEqual(self.sw.read_log().count("peer certificate refused"), n)
        self.assertTrue(self.forwards())
        self.assertIn("TLS failures", self.sw.ctl("show").stdout)

    def test_4_active_ssl_target_is_programmed(self):
        self.set_ssl()
        ctl = TlsController(self.pki)
        ctl.start()
        try:
            target = "ssl:127.0.0.1:%d" % CTL_PORT
            self.sw.ctl("set-controller", "br0", target)
            ctl.join(30)
            self.assertIsNone(ctl.error)
            self.assertEqual(ctl.peer_cn, "switch")  # it showed its certificate
            self.assertIn(ctl.version, ("TLSv1.2", "TLSv1.3"))
            of = self.sw.ctlj("show")["bridges"][0]["openflow"]
            self.assertEqual(ctl.dpid, of["datapath_id"])
            self.assertTrue(ctl.barrier)
            self.assertIn("priority=4321", self.sw.ctl("dump-flows", "br0").stdout)
            self.assertEqual(self.controller(target)["state"], "connected")
        finally:
            ctl.close()
            self.sw.ctl("del-controller", "br0")
            self.sw.ctl("del-flows", "br0")

    def test_5_ssl_survives_a_restart(self):
        self.set_ssl()
        self.sw.ctl("set-controller", "br0", "pssl:%d:127.0.0.1" % PORT)
        before = self.sw.ctl("get-ssl").stdout
        assert self.sw.stop() == 0
        self.sw.start()
        self.assertEqual(self.sw.ctl("get-ssl").stdout, before)
        vsw.wait_for(lambda: self.ofctl_tls("show", check=False).returncode == 0, 15,
                     "the TLS listener after the restart")
        self.sw.ctl("del-controller", "br0")
        self.sw.ctl("del-ssl")
        self.assertEqual(self.sw.ctl("get-ssl").stdout, "")


if __name__ == "__main__":
    vsw.main()
