/* SPDX-License-Identifier: BSD-3-Clause */
/* control/stream/stream.c: controller targets parsed (stream.h), and the
 * socket work both transports share: a non-blocking connect, a listening
 * socket, an accepted one wrapped, the connect's result before the
 * transport's own handshake. The transports are stream_tcp.c and
 * stream_tls.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "stream.h"

static const struct {
	const char *prefix;
	uint8_t kind;
	bool passive;
} kinds[] = {
	{"tcp:", VS_STREAM_TCP, false},
	{"ssl:", VS_STREAM_TLS, false},
	{"ptcp:", VS_STREAM_TCP, true},
	{"pssl:", VS_STREAM_TLS, true},
};

static int
bad(const char *text, struct vs_err *err)
{
	return vs_err_set(err, -EINVAL,
			  "controller target '%s': give tcp:IP[:PORT] or ssl:IP[:PORT] (the "
			  "switch connects), ptcp:[PORT][:IP] or pssl:[PORT][:IP] (it listens); "
			  "an IPv6 address in brackets ([::1]); the port defaults to %u",
			  text, VS_STREAM_PORT_DEFAULT);
}

/* 'host' ('n' bytes): an IPv4 address or a bracketed IPv6 one. */
static int
parse_host(const char *text, const char *host, size_t n, struct vs_stream_target *t,
	   struct vs_err *err)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&t->addr;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&t->addr;
	char buf[64];

	if (n >= sizeof(buf))
		return bad(text, err);
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		snprintf(buf, sizeof(buf), "%.*s", (int)n - 2, host + 1);
		sin6->sin6_family = AF_INET6;
		t->addr_len = sizeof(*sin6);
		if (inet_pton(AF_INET6, buf, &sin6->sin6_addr) == 1)
			return 0;
	} else {
		snprintf(buf, sizeof(buf), "%.*s", (int)n, host);
		sin->sin_family = AF_INET;
		t->addr_len = sizeof(*sin);
		if (inet_pton(AF_INET, buf, &sin->sin_addr) == 1)
			return 0;
	}
	return vs_err_set(err, -EINVAL,
			  "%s: '%s' is not an IPv4 address, nor an IPv6 one in brackets (host "
			  "names are not looked up: give the address)",
			  text, buf);
}

/* "PORT" (all of 'p'): 1..65535, or 0 for a passive one (any free port). */
static int
parse_port(const char *text, const char *p, bool passive, uint16_t *port, struct vs_err *err)
{
	unsigned long v;
	char *end;

	if (*p < '0' || *p > '9')
		return bad(text, err);
	v = strtoul(p, &end, 10);
	if (*end != '\0' || v > 65535 || (v == 0 && !passive))
		return bad(text, err);
	*port = (uint16_t)v;
	return 0;
}

static void
set_port(struct vs_stream_target *t, uint16_t port)
{
	if (t->addr.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&t->addr)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)&t->addr)->sin_port = htons(port);
}

/* HOST[:PORT]: the host is required. */
static int
parse_active(const char *text, const char *p, struct vs_stream_target *t, struct vs_err *err)
{
	const char *end = p[0] == '[' ? strchr(p, ']') : strchr(p, ':');
	uint16_t port = VS_STREAM_PORT_DEFAULT;
	size_t n;
	int ret;

	if (p[0] == '[' && end == NULL)
		return bad(text, err);
	if (p[0] == '[')
		end++; /* past the ']' */
	else if (end == NULL)
		end = p + strlen(p);
	n = (size_t)(end - p);
	if (n == 0)
		return bad(text, err);
	if (*end != '\0' && *end != ':')
		return bad(text, err);
	if ((ret = parse_host(text, p, n, t, err)) < 0)
		return ret;
	if (*end == ':' && (ret = parse_port(text, end + 1, false, &port, err)) < 0)
		return ret;
	set_port(t, port);
	return 0;
}

/* [PORT][:HOST]: any address by default. */
static int
parse_passive(const char *text, const char *p, struct vs_stream_target *t, struct vs_err *err)
{
	const char *colon = strchr(p, ':');
	uint16_t port = VS_STREAM_PORT_DEFAULT;
	char num[8];
	int ret;

	if (colon == NULL)
		colon = p + strlen(p);
	if (colon > p) {
		if ((size_t)(colon - p) >= sizeof(num))
			return bad(text, err);
		snprintf(num, sizeof(num), "%.*s", (int)(colon - p), p);
		if ((ret = parse_port(text, num, true, &port, err)) < 0)
			return ret;
	}
	if (*colon == ':')
		ret = parse_host(text, colon + 1, strlen(colon + 1), t, err);
	else
		ret = parse_host(text, "0.0.0.0", 7, t, err);
	if (ret < 0)
		return ret;
	set_port(t, port);
	return 0;
}

int
vs_stream_target_parse(const char *text, struct vs_stream_target *t, struct vs_err *err)
{
	size_t i, n;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		n = strlen(kinds[i].prefix);
		if (strncmp(text, kinds[i].prefix, n) != 0)
			continue;
		t->kind = kinds[i].kind;
		t->passive = kinds[i].passive;
		return t->passive ? parse_passive(text, text + n, t, err)
				  : parse_active(text, text + n, t, err);
	}
	return bad(text, err);
}

void
vs_stream_addr_text(const struct sockaddr *sa, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip));
		snprintf(buf, len, "%s:%u", ip, ntohs(s4->sin_port));
	}
}

static const struct vs_stream_ops *
ops_of(uint8_t kind)
{
	return kind == VS_STREAM_TLS ? &vs_stream_tls_ops : &vs_stream_tcp_ops;
}

int
vs_stream_wrap(struct vs_stream **out, int fd, uint8_t kind, bool connecting, bool client,
	       struct vs_tls *tls, struct vs_err *err)
{
	struct vs_stream *s = calloc(1, sizeof(*s));
	int ret;

	if (s == NULL) {
		close(fd);
		return vs_err_set(err, -ENOMEM, "out of memory");
	}
	s->ops = ops_of(kind);
	s->fd = fd;
	s->connecting = connecting;
	s->want = connecting ? EPOLLOUT : 0;
	ret = s->ops->open(s, tls, client);
	if (ret < 0) {
		vs_err_set(err, ret, "%s", s->why);
		close(fd);
		free(s);
		return ret;
	}
	*out = s;
	return 0;
}

int
vs_stream_connect(struct vs_stream **out, const struct vs_stream_target *t, struct vs_tls *tls,
		  struct vs_err *err)
{
	int fd = socket(t->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	bool connecting = false;

	if (fd < 0)
		return vs_err_set(err, -errno, "socket: %s", strerror(errno));
	if (connect(fd, (const struct sockaddr *)&t->addr, t->addr_len) < 0) {
		if (errno != EINPROGRESS) {
			int e = errno;

			close(fd);
			return vs_err_set(err, -e, "connect: %s", strerror(e));
		}
		connecting = true;
	}
	return vs_stream_wrap(out, fd, t->kind, connecting, true, tls, err);
}

int
vs_stream_listen(const struct vs_stream_target *t, int *out, struct vs_err *err)
{
	int one = 1, fd, e;

	fd = socket(t->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vs_err_set(err, -errno, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* [::] means IPv6 only: 0.0.0.0 is its own target, as in OVS. */
	if (t->addr.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)&t->addr, t->addr_len) < 0 || listen(fd, 16) < 0) {
		e = errno;
		close(fd);
		return vs_err_set(err, -e, "cannot listen: %s", strerror(e));
	}
	*out = fd;
	return 0;
}

int
vs_stream_accept(struct vs_stream **out, int fd, uint8_t kind, struct vs_tls *tls,
		 struct vs_err *err)
{
	return vs_stream_wrap(out, fd, kind, false, false, tls, err);
}

int
vs_stream_handshake(struct vs_stream *s)
{
	int ret;

	if (s->ready)
		return 0;
	if (s->connecting) {
		int soerr = 0;
		socklen_t sl = sizeof(soerr);

		if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
			soerr = errno;
		if (soerr == EINPROGRESS || soerr == EALREADY)
			return -EAGAIN;
		if (soerr != 0) {
			snprintf(s->why, sizeof(s->why), "connect: %s", strerror(soerr));
			return -soerr;
		}
		s->connecting = false;
		s->want = 0;
	}
	ret = s->ops->handshake(s);
	if (ret == 0) {
		s->ready = true;
		s->want = 0;
	}
	return ret;
}

void
vs_stream_close(struct vs_stream *s)
{
	if (s == NULL)
		return;
	s->ops->close(s);
	free(s);
}
