/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofconn.h: one OpenFlow connection on the control thread.
 *
 * A state machine (connecting, waiting for HELLO, up, dead) over a
 * non-blocking stream in the daemon's event loop (control/stream/: TCP or
 * TLS, "connecting" until the TCP connect and TLS handshake are done, which
 * this file does not otherwise know about): HELLO and version
 * negotiation (1.3 only: anything else is HELLO_FAILED/INCOMPATIBLE and a
 * close), framing with length checks, a bounded input buffer that holds a
 * peer's partial message, a bounded output queue (a peer that stops reading
 * is dropped once VS_OFCONN_OUT_MAX bytes are queued), ECHO both ways and
 * dead-peer detection. Everything else is handed to the owner (ops->msg).
 *
 * A connection that fails is closed at once (socket out of the loop) but
 * its memory stays until the owner calls vs_ofconn_free, so a handler
 * that makes its own connection fail (a send that overflows) never runs
 * on freed memory; vs_ofconn_dead says so. */
#ifndef VS_OFCONN_H
#define VS_OFCONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ofp_chan.h"

struct vs_loop;
struct vs_ofconn;
struct vs_stream;

#define VS_OFCONN_OUT_MAX   (4u << 20) /* bytes queued for a peer that does not read */
#define VS_OFCONN_IN_MAX    (VS_OFP_MSG_MAX + 1)
#define VS_OFCONN_ECHO_MS   5000 /* idle this long: ECHO_REQUEST */
#define VS_OFCONN_DEAD_MS   5000 /* and no reply this long after it: dead */
#define VS_OFCONN_HELLO_MS  10000
#define VS_OFCONN_READS_MAX 16          /* reads per wake-up: one peer cannot hold the loop */
#define VS_OFCONN_FLUSH_AT  (64u << 10) /* replies queued in a wake-up: written at once */

enum vs_ofconn_state {
	VS_OFCONN_CONNECTING, /* the transport is not ready: connect(), TLS handshake */
	VS_OFCONN_HELLO,      /* our HELLO sent, waiting for the peer's */
	VS_OFCONN_UP,
	VS_OFCONN_DEAD,
};

struct vs_ofconn_ops {
	/* A complete message of the negotiated version, other than HELLO
	 * and ECHO (answered here). 'len' is the header's length. */
	void (*msg)(struct vs_ofconn *c, const struct vs_ofp_header *h, size_t len);
	/* HELLO exchanged: the session starts. */
	void (*up)(struct vs_ofconn *c);
	/* The connection failed or was closed ('why' for the log); it is
	 * dead from now on, freed by the owner. */
	void (*down)(struct vs_ofconn *c, const char *why);
	/* Optional: while input is held (vs_ofconn_hold), the peer read some
	 * of what was queued: the owner may queue more. */
	void (*drained)(struct vs_ofconn *c);
};

struct vs_ofconn {
	int fd; /* the stream's socket, for the loop */
	struct vs_stream *st;
	enum vs_ofconn_state state;
	uint8_t died_in; /* the state it was in when it failed */
	uint8_t version; /* negotiated, 0 before */
	bool echo_out;   /* ECHO_REQUEST sent, no reply yet */
	bool hold;       /* no message is read or handled (vs_ofconn_hold) */
	const struct vs_ofconn_ops *ops;
	void *owner; /* the owner's, untouched here */
	struct vs_loop *loop;
	char peer[64]; /* "IP:PORT", for logs and show */
	uint64_t opened_ms, last_rx_ms, echo_ms, up_ms;
	uint64_t rx_msgs, tx_msgs;
	uint64_t out_overflow; /* 1 if dropped for not reading */
	uint32_t xid;          /* for messages we start */
	uint32_t events;       /* what the loop watches for it (EPOLLIN, EPOLLOUT) */
	bool batching;         /* in its wake-up: replies are written once, at its end */
	uint32_t in_len;
	uint8_t *in; /* VS_OFCONN_IN_MAX */
	uint8_t *out;
	size_t out_off, out_len, out_cap;
	char why[128]; /* why it died */
};

/* Take the stream 'st' into 'loop'; HELLO is sent once its transport is
 * ready (vs_stream_handshake). 0 or -errno (the stream closed). */
int vs_ofconn_open_stream(struct vs_ofconn **out, struct vs_loop *loop, struct vs_stream *st,
			  const char *peer, const struct vs_ofconn_ops *ops, void *owner,
			  uint64_t now_ms);
/* The same over plain TCP on 'fd' (connected, or connecting when
 * 'connecting'). 0 or -errno (fd closed). */
int vs_ofconn_open(struct vs_ofconn **out, struct vs_loop *loop, int fd, bool connecting,
		   const char *peer, const struct vs_ofconn_ops *ops, void *owner, uint64_t now_ms);
void vs_ofconn_free(struct vs_ofconn *c);

static inline bool
vs_ofconn_dead(const struct vs_ofconn *c)
{
	return c->state == VS_OFCONN_DEAD;
}

/* Queue a whole message (its header filled in). 0, or -EPIPE if the
 * connection is dead or died of this (its queue over the bound). */
int vs_ofconn_send(struct vs_ofconn *c, const void *msg, size_t len);
/* Bytes queued, not yet written. */
static inline size_t
vs_ofconn_queued(const struct vs_ofconn *c)
{
	return c->out_len - c->out_off;
}
/* Hold (true) the peer's messages, unread and unhandled, while a long
 * reply goes out in parts as it reads (ops->drained), so that what it
 * sends next (a BARRIER) is answered after the reply; release (false)
 * handles what waits. */
void vs_ofconn_hold(struct vs_ofconn *c, bool hold);
/* An ERROR for the request 'req' (its first 64 bytes as the data). */
int vs_ofconn_error(struct vs_ofconn *c, const struct vs_ofp_header *req, size_t req_len,
		    uint16_t type, uint16_t code);
/* Close it now, saying why (logged once). */
void vs_ofconn_fail(struct vs_ofconn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Timers: HELLO and connect (and handshake) timeouts, keepalive, dead
 * peers; input the transport holds that the socket will not announce. */
void vs_ofconn_tick(struct vs_ofconn *c, uint64_t now_ms);

/* A header for a message we send: version, type, length, xid (host order). */
void vs_ofp_header_init(struct vs_ofp_header *h, uint8_t type, size_t len, uint32_t xid);

const char *vs_ofconn_state_name(const struct vs_ofconn *c);

#endif
