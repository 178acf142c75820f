/* SPDX-License-Identifier: BSD-3-Clause */
/* control/stream/stream_tcp.c: the plain TCP transport (tcp:, ptcp:): the
 * socket's bytes as they are, nothing to shake hands on. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "stream.h"

static int
tcp_open(struct vs_stream *s, struct vs_tls *tls, bool client)
{
	int one = 1;

	/* A reply must not wait for the peer's ACK of the one before (Nagle):
	 * a controller that waits on each barrier would wait up to its
	 * delayed ACK timeout. */
	(void)setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
}

static int
tcp_handshake(struct vs_stream *s)
{
	return 0;
}

static ssize_t
tcp_recv(struct vs_stream *s, void *buf, size_t n)
{
	ssize_t r = recv(s->fd, buf, n, MSG_DONTWAIT);

	if (r >= 0)
		return r;
	if (errno == EAGAIN || errno == EINTR)
		return -EAGAIN;
	snprintf(s->why, sizeof(s->why), "read: %s", strerror(errno));
	return -errno;
}

static ssize_t
tcp_send(struct vs_stream *s, const void *buf, size_t n)
{
	ssize_t r = send(s->fd, buf, n, MSG_NOSIGNAL | MSG_DONTWAIT);

	if (r >= 0)
		return r;
	if (errno == EAGAIN || errno == EINTR)
		return -EAGAIN;
	snprintf(s->why, sizeof(s->why), "write: %s", strerror(errno));
	return -errno;
}

static size_t
tcp_pending(const struct vs_stream *s)
{
	return 0;
}

static void
tcp_close(struct vs_stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

const struct vs_stream_ops vs_stream_tcp_ops = {
	.name = "tcp",
	.open = tcp_open,
	.handshake = tcp_handshake,
	.recv = tcp_recv,
	.send = tcp_send,
	.pending = tcp_pending,
	.close = tcp_close,
};
