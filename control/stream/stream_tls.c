/* SPDX-License-Identifier: BSD-3-Clause */
/* control/stream/stream_tls.c: the TLS transport (ssl:, pssl:), OpenSSL
 * over the non-blocking socket: SSL_do_handshake is called again each time
 * the socket is ready the way OpenSSL asked (WANT_READ, WANT_WRITE), so
 * the control thread never waits on a peer. The session comes from the
 * switch's files (tls.c), loaded again if they changed; the peer's
 * certificate must chain to the CA, both ways. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "stream.h"
#include "tls.h"

/* Why the last call failed, from OpenSSL's error queue: a certificate
 * the CA does not vouch for says so, with the verifier's words. */
static int
tls_fail(struct vs_stream *s, const char *what, int ret, int e)
{
	SSL *ssl = s->priv;
	unsigned long code = ERR_get_error();
	long v = SSL_get_verify_result(ssl);
	const char *reason = code ? ERR_reason_error_string(code) : NULL;

	if (v != X509_V_OK && !s->ready)
		snprintf(s->why, sizeof(s->why),
			 "%s: peer certificate refused: %s (not signed by the set-ssl CA?)", what,
			 X509_verify_cert_error_string(v));
	else if (reason != NULL)
		snprintf(s->why, sizeof(s->why), "%s: %s", what, reason);
	else if (e == SSL_ERROR_SYSCALL && ret == 0)
		snprintf(s->why, sizeof(s->why), "%s: closed by the peer", what);
	else if (e == SSL_ERROR_SYSCALL)
		snprintf(s->why, sizeof(s->why), "%s: %s", what, strerror(errno));
	else
		snprintf(s->why, sizeof(s->why), "%s: TLS error %d", what, e);
	ERR_clear_error();
	return e == SSL_ERROR_SYSCALL && errno != 0 ? -errno : -EPROTO;
}

/* -EAGAIN with s->want set if OpenSSL waits for the socket, else the
 * failure. */
static int
tls_result(struct vs_stream *s, const char *what, int ret)
{
	int e = SSL_get_error(s->priv, ret);

	switch (e) {
	case SSL_ERROR_WANT_READ:
		s->want = EPOLLIN;
		return -EAGAIN;
	case SSL_ERROR_WANT_WRITE:
		s->want = EPOLLOUT;
		return -EAGAIN;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	default:
		return tls_fail(s, what, ret, e);
	}
}

static int
tls_open(struct vs_stream *s, struct vs_tls *tls, bool client)
{
	struct vs_err err = {0};
	SSL_CTX *ctx;
	SSL *ssl;
	int one = 1, ret;

	if (tls == NULL) {
		snprintf(s->why, sizeof(s->why),
			 "no TLS files: give them with vswitchctl set-ssl PRIVATE-KEY "
			 "CERTIFICATE CA-CERT");
		return -ENOENT;
	}
	if ((ret = vs_tls_ctx(tls, &ctx, &err)) < 0) {
		snprintf(s->why, sizeof(s->why), "%.*s", (int)sizeof(s->why) - 1, err.msg);
		return ret;
	}
	ERR_clear_error();
	ssl = SSL_new(ctx);
	if (ssl == NULL || SSL_set_fd(ssl, s->fd) != 1) {
		SSL_free(ssl);
		snprintf(s->why, sizeof(s->why), "TLS: out of memory");
		return -ENOMEM;
	}
	/* Our output buffer may move (grow) between a write OpenSSL could
	 * not finish and its retry; a write may take part of it. */
	SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	/* A peer that closes without close_notify is closed, not an error:
	 * OpenFlow frames its own messages, a cut one is seen there. */
	SSL_set_options(ssl, SSL_OP_IGNORE_UNEXPECTED_EOF);
	if (client)
		SSL_set_connect_state(ssl);
	else
		SSL_set_accept_state(ssl);
	(void)setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	s->priv = ssl;
	return 0;
}

static int
tls_handshake(struct vs_stream *s)
{
	int ret;

	ERR_clear_error();
	ret = SSL_do_handshake(s->priv);
	if (ret == 1)
		return 0;
	ret = tls_result(s, "TLS handshake", ret);
	if (ret == 0) { /* close_notify in the handshake */
		snprintf(s->why, sizeof(s->why), "TLS handshake: closed by the peer");
		return -ECONNRESET;
	}
	return ret;
}

static ssize_t
tls_recv(struct vs_stream *s, void *buf, size_t n)
{
	int ret;

	s->want = 0;
	ERR_clear_error();
	ret = SSL_read(s->priv, buf, n > INT32_MAX ? INT32_MAX : (int)n);
	if (ret > 0)
		return ret;
	return tls_result(s, "TLS read", ret);
}

static ssize_t
tls_send(struct vs_stream *s, const void *buf, size_t n)
{
	int ret;

	s->want = 0;
	ERR_clear_error();
	ret = SSL_write(s->priv, buf, n > INT32_MAX ? INT32_MAX : (int)n);
	if (ret > 0)
		return ret;
	ret = tls_result(s, "TLS write", ret);
	if (ret == 0) {
		snprintf(s->why, sizeof(s->why), "TLS write: closed by the peer");
		return -EPIPE;
	}
	return ret;
}

static size_t
tls_pending(const struct vs_stream *s)
{
	return (size_t)SSL_pending(s->priv);
}

static void
tls_close(struct vs_stream *s)
{
	SSL *ssl = s->priv;

	if (ssl != NULL) {
		/* close_notify if the socket takes it now; never waits. */
		if (s->ready)
			(void)SSL_shutdown(ssl);
		SSL_free(ssl);
		ERR_clear_error();
	}
	s->priv = NULL;
	vs_stream_tcp_ops.close(s); /* the socket under it */
}

const struct vs_stream_ops vs_stream_tls_ops = {
	.name = "tls",
	.open = tls_open,
	.handshake = tls_handshake,
	.recv = tls_recv,
	.send = tls_send,
	.pending = tls_pending,
	.close = tls_close,
};
