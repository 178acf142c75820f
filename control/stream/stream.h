/* SPDX-License-Identifier: BSD-3-Clause */
/* control/stream/stream.h: the byte streams OpenFlow runs over, plain TCP
 * or TLS, behind one small ops table, so that the channel above
 * (control/openflow/ofconn.c) never knows which it has.
 *
 * Everything is non-blocking and driven by the daemon's event loop: a
 * stream is ready once vs_stream_handshake returns 0 (the TCP connect done,
 * then for TLS the handshake with the peer's certificate verified); until
 * then, and whenever a read or write returns -EAGAIN, 's->want' names the
 * events (EPOLLIN, EPOLLOUT) the transport waits for. Targets are parsed
 * here too, in Open vSwitch's syntax: tcp:IP[:PORT], ssl:IP[:PORT] (the
 * switch connects), ptcp:[PORT][:IP], pssl:[PORT][:IP] (it listens); an
 * IPv6 address goes in brackets, [::1]. */
#ifndef VS_STREAM_H
#define VS_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "err.h"

struct vs_tls;
struct vs_stream;

#define VS_STREAM_PORT_DEFAULT 6653 /* OpenFlow's IANA port, for every kind */

enum vs_stream_kind {
	VS_STREAM_TCP,
	VS_STREAM_TLS,
};

struct vs_stream_target {
	uint8_t kind;                 /* enum vs_stream_kind */
	bool passive;                 /* ptcp:, pssl: the switch listens */
	struct sockaddr_storage addr; /* to connect to, or to listen on */
	socklen_t addr_len;
};

/* Parse 'text'; 0, or -EINVAL with a sentence saying what would parse. */
int vs_stream_target_parse(const char *text, struct vs_stream_target *t, struct vs_err *err);
/* "IP:PORT", "[IP6]:PORT": for logs and show. */
void vs_stream_addr_text(const struct sockaddr *sa, char *buf, size_t len);

/* A transport. Called on the control thread only; none of them blocks.
 * Every one but close may fail, returning a negative errno and saying why
 * in s->why; the stream is then unusable and must be closed. */
struct vs_stream_ops {
	const char *name; /* "tcp", "tls" */
	/* Take s->fd (connected, or connecting if s->connecting): TLS makes
	 * its session from the current files ('tls'), as a client when
	 * 'client'. 0 or -errno. */
	int (*open)(struct vs_stream *s, struct vs_tls *tls, bool client);
	/* After the TCP connect: 0 ready, -EAGAIN not yet (wait for s->want). */
	int (*handshake)(struct vs_stream *s);
	/* Bytes read (> 0), 0 if the peer closed, -EAGAIN (s->want) or -errno. */
	ssize_t (*recv)(struct vs_stream *s, void *buf, size_t n);
	/* Bytes written (> 0, maybe fewer than 'n'), -EAGAIN (s->want) or
	 * -errno. After -EAGAIN, the next call offers at least the same bytes
	 * (they may have moved: TLS is told so). */
	ssize_t (*send)(struct vs_stream *s, const void *buf, size_t n);
	/* Bytes already read from the socket and held by the transport (a
	 * TLS record's rest): readable now though the socket will not wake
	 * the loop for them. */
	size_t (*pending)(const struct vs_stream *s);
	/* Say goodbye if it can without waiting (TLS close_notify), close
	 * the socket and free the transport's state. Cannot fail. */
	void (*close)(struct vs_stream *s);
};

struct vs_stream {
	const struct vs_stream_ops *ops;
	int fd;
	bool connecting; /* the TCP connect is in progress */
	bool ready;      /* vs_stream_handshake said 0 */
	uint32_t want;   /* events the transport waits for; 0: none beyond the caller's */
	void *priv;      /* the transport's (TLS: its SSL) */
	char why[160];   /* why it failed */
};

/* A stream of 't'->kind connecting to 't'->addr (non-blocking). 0, or
 * -errno with the reason in 'err' (nothing left open). */
int vs_stream_connect(struct vs_stream **out, const struct vs_stream_target *t, struct vs_tls *tls,
		      struct vs_err *err);
/* A listening socket for passive 't' (non-blocking). 0 or -errno. */
int vs_stream_listen(const struct vs_stream_target *t, int *fd, struct vs_err *err);
/* A stream of 'kind' over 'fd' (taken: closed on failure), connected or
 * 'connecting', TLS's client side if 'client'. */
int vs_stream_wrap(struct vs_stream **out, int fd, uint8_t kind, bool connecting, bool client,
		   struct vs_tls *tls, struct vs_err *err);
/* The server side over an accepted 'fd' (taken). */
int vs_stream_accept(struct vs_stream **out, int fd, uint8_t kind, struct vs_tls *tls,
		     struct vs_err *err);

/* The connect's result, then the transport's handshake: 0 ready, -EAGAIN
 * (wait for s->want), or -errno (s->why). */
int vs_stream_handshake(struct vs_stream *s);
/* NULL is a no-op. */
void vs_stream_close(struct vs_stream *s);

static inline ssize_t
vs_stream_recv(struct vs_stream *s, void *buf, size_t n)
{
	return s->ops->recv(s, buf, n);
}

static inline ssize_t
vs_stream_send(struct vs_stream *s, const void *buf, size_t n)
{
	return s->ops->send(s, buf, n);
}

static inline size_t
vs_stream_pending(const struct vs_stream *s)
{
	return s->ready ? s->ops->pending(s) : 0;
}

extern const struct vs_stream_ops vs_stream_tcp_ops;
extern const struct vs_stream_ops vs_stream_tls_ops;

#endif
