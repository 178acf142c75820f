/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofconn.c: one OpenFlow connection: HELLO and version
 * negotiation, framing, the bounded input and output buffers, ECHO and
 * dead-peer detection (ofconn.h). The owner (controller.c) decides what
 * messages do; nothing here blocks: reads and writes are non-blocking and
 * each wake-up reads a bounded amount. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "ofconn.h"
#include "stream.h"

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void
vs_ofp_header_init(struct vs_ofp_header *h, uint8_t type, size_t len, uint32_t xid)
{
	h->version = VS_OFP_VERSION_13;
	h->type = type;
	h->length = htons((uint16_t)len);
	h->xid = htonl(xid);
}

const char *
vs_ofconn_state_name(const struct vs_ofconn *c)
{
	static const char *const names[] = {"connecting", "hello", "connected", "closed"};

	if (c->state == VS_OFCONN_CONNECTING && c->st != NULL && !c->st->connecting)
		return "handshake"; /* TLS: connected, not yet verified */
	return names[c->state];
}

void
vs_ofconn_fail(struct vs_ofconn *c, const char *fmt, ...)
{
	va_list ap;

	if (c->state == VS_OFCONN_DEAD)
		return;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	c->died_in = (uint8_t)c->state;
	c->state = VS_OFCONN_DEAD;
	if (c->st != NULL) {
		/* What was queued in this wake-up goes first, if the socket
		 * takes it (a HELLO_FAILED before the close), best effort. */
		if (c->out_len > c->out_off && c->died_in != VS_OFCONN_CONNECTING)
			(void)vs_stream_send(c->st, c->out + c->out_off, c->out_len - c->out_off);
		vs_loop_del(c->loop, c->fd);
		vs_stream_close(c->st);
		c->st = NULL;
		c->fd = -1;
	}
	c->ops->down(c, c->why);
}

static void
update_events(struct vs_ofconn *c)
{
	uint32_t ev = c->hold ? 0 : EPOLLIN;

	if (c->state == VS_OFCONN_CONNECTING)
		ev = c->st->want ? c->st->want : EPOLLIN;
	else if (c->out_len > c->out_off || (c->st->want & EPOLLOUT))
		ev |= EPOLLOUT; /* TLS may need to write to go on reading */
	/* One epoll_ctl less per reply: a controller waiting on each
	 * barrier pays every system call of the round trip. */
	if (ev != c->events && vs_loop_mod(c->loop, c->fd, ev) == 0)
		c->events = ev;
}

/* Write what is queued; -EPIPE if the connection died. */
static int
flush_out(struct vs_ofconn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = vs_stream_send(c->st, c->out + c->out_off, c->out_len - c->out_off);

		if (n < 0) {
			if (n == -EAGAIN)
				break;
			vs_ofconn_fail(c, "%s", c->st->why);
			return -EPIPE;
		}
		c->out_off += (size_t)n;
	}
	if (c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	return 0;
}

int
vs_ofconn_send(struct vs_ofconn *c, const void *msg, size_t len)
{
	size_t pending;

	if (c->state == VS_OFCONN_DEAD || c->st == NULL)
		return -EPIPE;
	pending = c->out_len - c->out_off;
	if (pending + len > VS_OFCONN_OUT_MAX) {
		c->out_overflow++;
		vs_ofconn_fail(c,
			       "the peer does not read: %zu bytes queued for it, over the %u "
			       "bound; dropped",
			       pending, VS_OFCONN_OUT_MAX);
		return -EPIPE;
	}
	if (c->out_off > 0 && c->out_len + len > c->out_cap) {
		memmove(c->out, c->out + c->out_off, pending);
		c->out_len = pending;
		c->out_off = 0;
	}
	if (c->out_len + len > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 4096;
		uint8_t *p;

		while (cap < c->out_len + len)
			cap *= 2;
		p = realloc(c->out, cap);
		if (p == NULL) {
			vs_ofconn_fail(c, "out of memory for its output");
			return -EPIPE;
		}
		c->out = p;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, msg, len);
	c->out_len += len;
	c->tx_msgs++;
	if (c->state == VS_OFCONN_CONNECTING)
		return 0;
	/* In a wake-up, replies to a batch of requests go out in one write
	 * at its end (on_event), unless they pile up. */
	if (c->batching && c->out_len - c->out_off < VS_OFCONN_FLUSH_AT)
		return 0;
	if (flush_out(c) < 0)
		return -EPIPE;
	update_events(c);
	return 0;
}

int
vs_ofconn_error(struct vs_ofconn *c, const struct vs_ofp_header *req, size_t req_len, uint16_t type,
		uint16_t code)
{
	uint8_t buf[sizeof(struct vs_ofw_error) + 64];
	struct vs_ofw_error *e = (struct vs_ofw_error *)buf;
	size_t n = req_len < 64 ? req_len : 64;
	uint32_t xid;

	/* 'req' may sit anywhere (a bundle keeps its messages packed): its
	 * bytes, not its fields. */
	memcpy(&xid, (const uint8_t *)req + offsetof(struct vs_ofp_header, xid), sizeof(xid));
	memcpy(e->data, req, n);
	vs_ofp_header_init(&e->h, OFPT_ERROR, sizeof(*e) + n, ntohl(xid));
	e->type = htons(type);
	e->code = htons(code);
	return vs_ofconn_send(c, buf, sizeof(*e) + n);
}

static void
send_hello(struct vs_ofconn *c)
{
	/* A version bitmap says "1.3 only" to peers that offer several. */
	uint8_t buf[sizeof(struct vs_ofp_header) + sizeof(struct vs_ofw_hello_elem) + 4];
	struct vs_ofp_header *h = (struct vs_ofp_header *)buf;
	struct vs_ofw_hello_elem *e = (struct vs_ofw_hello_elem *)(h + 1);

	vs_ofp_header_init(h, OFPT_HELLO, sizeof(buf), c->xid++);
	e->type = htons(1);
	e->length = htons(8);
	e->bitmaps[0] = htonl(1u << VS_OFP_VERSION_13);
	vs_ofconn_send(c, buf, sizeof(buf));
}

/* The text of a HELLO_FAILED error is ASCII (7.4.4.1), then close. */
static void
hello_failed(struct vs_ofconn *c, const struct vs_ofp_header *h, const char *text)
{
	uint8_t buf[sizeof(struct vs_ofw_error) + 128];
	struct vs_ofw_error *e = (struct vs_ofw_error *)buf;
	size_t n = strnlen(text, 127) + 1;

	memcpy(e->data, text, n);
	vs_ofp_header_init(&e->h, OFPT_ERROR, sizeof(*e) + n, ntohl(h->xid));
	e->type = htons(OFPET_HELLO_FAILED);
	e->code = htons(OFPHFC_INCOMPATIBLE);
	if (vs_ofconn_send(c, buf, sizeof(*e) + n) == 0)
		vs_ofconn_fail(c, "%s", text);
}

/* Does the peer's HELLO offer 1.3? Its bitmap if it has one (6.3.1),
 * else its header version: the lower of the two versions is used, and
 * a peer below 1.3 is one we cannot speak to. */
static bool
hello_ok(const struct vs_ofp_header *h, size_t len)
{
	const uint8_t *p = (const uint8_t *)(h + 1), *end = (const uint8_t *)h + len;

	while (p + 4 <= end) {
		uint16_t type = (uint16_t)(p[0] << 8 | p[1]), elen = (uint16_t)(p[2] << 8 | p[3]);

		if (elen < 4 || p + elen > end)
			break;
		if (type == 1 && elen >= 8) {
			uint32_t bm;

			memcpy(&bm, p + 4, 4);
			return (ntohl(bm) & (1u << VS_OFP_VERSION_13)) != 0;
		}
		p += (elen + 7) / 8 * 8;
	}
	return h->version >= VS_OFP_VERSION_13;
}

static void
on_hello(struct vs_ofconn *c, const struct vs_ofp_header *h, size_t len)
{
	char text[96];

	if (h->type != OFPT_HELLO) {
		hello_failed(c, h, "the first message must be HELLO");
		return;
	}
	if (!hello_ok(h, len)) {
		snprintf(text, sizeof(text),
			 "version 0x%02x: this switch speaks OpenFlow 1.3 (0x04) only", h->version);
		hello_failed(c, h, text);
		return;
	}
	c->version = VS_OFP_VERSION_13;
	c->state = VS_OFCONN_UP;
	c->up_ms = mono_ms();
	c->ops->up(c);
}

static void
dispatch(struct vs_ofconn *c, const struct vs_ofp_header *h, size_t len)
{
	c->rx_msgs++;
	c->echo_out = false; /* any message says the peer is alive */
	if (c->state == VS_OFCONN_HELLO) {
		on_hello(c, h, len);
		return;
	}
	if (h->version != c->version) {
		vs_ofconn_error(c, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION);
		return;
	}
	switch (h->type) {
	case OFPT_HELLO:
	case OFPT_ECHO_REPLY:
		return;
	case OFPT_ECHO_REQUEST:
		/* The reply is the request, data and all, with its type changed:
		 * in place, the input buffer is done with it. */
		((struct vs_ofp_header *)h)->type = OFPT_ECHO_REPLY;
		vs_ofconn_send(c, h, len);
		return;
	default:
		c->ops->msg(c, h, len);
	}
}

/* Take every complete message out of the input buffer. */
static void
parse_input(struct vs_ofconn *c)
{
	uint32_t off = 0;

	while (c->state != VS_OFCONN_DEAD && c->in_len - off >= sizeof(struct vs_ofp_header)) {
		const struct vs_ofp_header *h;
		uint16_t len;

		if (((uintptr_t)(c->in + off) & 7) != 0) {
			/* After a message whose length is not a multiple of 8
			 * (the spec pads them all; a peer may not): handlers
			 * read the message in place, aligned, so it moves to the
			 * buffer's start first. */
			memmove(c->in, c->in + off, c->in_len - off);
			c->in_len -= off;
			off = 0;
		}
		h = (const struct vs_ofp_header *)(c->in + off);
		len = ntohs(h->length);

		if (len < sizeof(*h)) {
			vs_ofconn_fail(c,
				       "a message of length %u (type %u), under the 8 of its "
				       "header: closed",
				       len, h->type);
			return;
		}
		if (c->in_len - off < len)
			break; /* held until the rest comes */
		dispatch(c, h, len);
		off += len;
		if (c->hold)
			break; /* the rest when released */
	}
	if (c->state != VS_OFCONN_DEAD && off > 0) {
		memmove(c->in, c->in + off, c->in_len - off);
		c->in_len -= off;
	}
}

/* The transport's connect and handshake, one step per wake-up. */
static void
on_connected(struct vs_ofconn *c)
{
	int ret = vs_stream_handshake(c->st);

	if (ret == -EAGAIN) {
		update_events(c);
		return;
	}
	if (ret < 0) {
		vs_ofconn_fail(c, "%s", c->st->why);
		return;
	}
	c->state = VS_OFCONN_HELLO;
	c->last_rx_ms = mono_ms();
	send_hello(c);
	if (c->state != VS_OFCONN_DEAD && flush_out(c) == 0)
		update_events(c);
}

/* Read what the socket holds, up to VS_OFCONN_READS_MAX reads, and handle
 * every complete message. A read shorter than the room offered emptied
 * the socket: no read more just to hear EAGAIN (the loop is level
 * triggered, so what comes later wakes it again). */
static void
read_input(struct vs_ofconn *c)
{
	int i;

	for (i = 0; i < VS_OFCONN_READS_MAX && c->state != VS_OFCONN_DEAD && !c->hold; i++) {
		size_t room = VS_OFCONN_IN_MAX - c->in_len;
		ssize_t n = vs_stream_recv(c->st, c->in + c->in_len, room);

		if (n == 0) {
			vs_ofconn_fail(c, "closed by the peer%s",
				       c->in_len ? " in the middle of a message" : "");
			return;
		}
		if (n < 0) {
			if (n != -EAGAIN)
				vs_ofconn_fail(c, "%s", c->st->why);
			return;
		}
		c->in_len += (uint32_t)n;
		c->last_rx_ms = mono_ms();
		parse_input(c);
		/* TLS hands out a record at a time: what it holds is read now. */
		if ((size_t)n < room && (c->state == VS_OFCONN_DEAD || !vs_stream_pending(c->st)))
			return;
	}
}

void
vs_ofconn_hold(struct vs_ofconn *c, bool hold)
{
	if (c->state == VS_OFCONN_DEAD || c->hold == hold)
		return;
	c->hold = hold;
	update_events(c);
	if (!hold)
		parse_input(c);
}

static void
on_event(void *arg, uint32_t events)
{
	struct vs_ofconn *c = arg;

	if (c->state == VS_OFCONN_CONNECTING) {
		on_connected(c);
		return;
	}
	if (events & EPOLLOUT) {
		if (flush_out(c) < 0)
			return;
		if (c->hold && c->ops->drained != NULL)
			c->ops->drained(c);
		if (c->state == VS_OFCONN_DEAD)
			return;
		update_events(c);
	}
	c->batching = true;
	read_input(c);
	c->batching = false;
	if (c->state != VS_OFCONN_DEAD && flush_out(c) == 0)
		update_events(c);
}

int
vs_ofconn_open_stream(struct vs_ofconn **out, struct vs_loop *loop, struct vs_stream *st,
		      const char *peer, const struct vs_ofconn_ops *ops, void *owner,
		      uint64_t now_ms)
{
	struct vs_ofconn *c = calloc(1, sizeof(*c));
	int ret;

	if (c == NULL || (c->in = malloc(VS_OFCONN_IN_MAX)) == NULL) {
		free(c);
		vs_stream_close(st);
		return -ENOMEM;
	}
	c->st = st;
	c->fd = st->fd;
	c->loop = loop;
	c->ops = ops;
	c->owner = owner;
	c->opened_ms = c->last_rx_ms = now_ms;
	c->xid = 1;
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	c->state = VS_OFCONN_CONNECTING;
	c->events = st->connecting ? EPOLLOUT : EPOLLIN;
	ret = vs_loop_add(loop, c->fd, c->events, on_event, c);
	if (ret < 0) {
		vs_stream_close(st);
		free(c->in);
		free(c);
		return ret;
	}
	*out = c;
	/* Accepted: TCP is ready now (HELLO goes out), TLS waits for the
	 * client's hello. */
	if (!st->connecting)
		on_connected(c);
	return 0;
}

int
vs_ofconn_open(struct vs_ofconn **out, struct vs_loop *loop, int fd, bool connecting,
	       const char *peer, const struct vs_ofconn_ops *ops, void *owner, uint64_t now_ms)
{
	struct vs_stream *st;
	struct vs_err err;
	int ret = vs_stream_wrap(&st, fd, VS_STREAM_TCP, connecting, !connecting, NULL, &err);

	if (ret < 0)
		return ret;
	return vs_ofconn_open_stream(out, loop, st, peer, ops, owner, now_ms);
}

void
vs_ofconn_free(struct vs_ofconn *c)
{
	if (c == NULL)
		return;
	if (c->st != NULL) {
		vs_loop_del(c->loop, c->fd);
		vs_stream_close(c->st);
	}
	free(c->in);
	free(c->out);
	free(c);
}

void
vs_ofconn_tick(struct vs_ofconn *c, uint64_t now_ms)
{
	/* A TLS record read in part: its rest is in OpenSSL, not the socket. */
	if (c->state != VS_OFCONN_DEAD && c->state != VS_OFCONN_CONNECTING && !c->hold &&
	    vs_stream_pending(c->st))
		on_event(c, EPOLLIN);
	switch (c->state) {
	case VS_OFCONN_CONNECTING:
		if (now_ms - c->opened_ms < VS_OFCONN_HELLO_MS)
			break;
		if (c->st->connecting)
			vs_ofconn_fail(c, "connect: timed out");
		else /* a plaintext or stalled peer on a TLS port */
			vs_ofconn_fail(c, "TLS handshake: not done in %u s: dropped",
				       VS_OFCONN_HELLO_MS / 1000);
		break;
	case VS_OFCONN_HELLO:
		if (now_ms - c->last_rx_ms >= VS_OFCONN_HELLO_MS)
			vs_ofconn_fail(c, "no HELLO from the peer in %u s",
				       VS_OFCONN_HELLO_MS / 1000);
		break;
	case VS_OFCONN_UP:
		if (c->echo_out && now_ms - c->echo_ms >= VS_OFCONN_DEAD_MS) {
			vs_ofconn_fail(c, "dead peer: no reply to ECHO_REQUEST in %u s",
				       VS_OFCONN_DEAD_MS / 1000);
		} else if (!c->echo_out && now_ms - c->last_rx_ms >= VS_OFCONN_ECHO_MS) {
			struct vs_ofp_header h;

			vs_ofp_header_init(&h, OFPT_ECHO_REQUEST, sizeof(h), c->xid++);
			c->echo_out = true;
			c->echo_ms = now_ms;
			vs_ofconn_send(c, &h, sizeof(h));
		}
		break;
	case VS_OFCONN_DEAD:
		break;
	}
}
