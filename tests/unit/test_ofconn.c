/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_ofconn.c: one OpenFlow connection (control/openflow/
 * ofconn.c) over a socketpair in a real event loop: a wake-up's replies
 * all reach the peer, in order, written once at its end; a message cut
 * across reads waits for its rest; a peer that sends more than one read
 * holds is served over several wake-ups, nothing lost; an ERROR queued
 * in the wake-up that closes still goes out first. No EAL needed. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "loop.h"
#include "ofconn.h"

#define T_REQ 200 /* a message type for the owner: answered with T_REQ + 1 */

struct peer {
	struct vs_loop *loop;
	struct vs_ofconn *c;
	int fd;     /* the test's end */
	int n_msgs; /* seen by the owner */
	bool up, down;
};

static void
on_msg(struct vs_ofconn *c, const struct vs_ofp_header *h, size_t len)
{
	struct peer *p = c->owner;
	struct vs_ofp_header r;

	(void)len;
	/* Handlers read the message in place: it must come aligned. */
	assert_int_equal((uintptr_t)h & 7, 0);
	p->n_msgs++;
	vs_ofp_header_init(&r, h->type + 1, sizeof(r), ntohl(h->xid));
	vs_ofconn_send(c, &r, sizeof(r));
}

static void
on_up(struct vs_ofconn *c)
{
	((struct peer *)c->owner)->up = true;
}

static void
on_down(struct vs_ofconn *c, const char *why)
{
	(void)why;
	((struct peer *)c->owner)->down = true;
}

static const struct vs_ofconn_ops ops = {on_msg, on_up, on_down};

static void
put_header(uint8_t *b, uint8_t type, uint16_t len, uint32_t xid)
{
	vs_ofp_header_init((struct vs_ofp_header *)b, type, len, xid);
}

/* Read exactly 'len' bytes from the test's end, bounded. */
static void
read_all(int fd, uint8_t *b, size_t len)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	size_t got = 0;

	/* Until it is all there, or 5 s without a byte. */
	while (got < len && poll(&pfd, 1, 5000) == 1) {
		ssize_t n = recv(fd, b + got, len - got, MSG_DONTWAIT);

		if (n > 0)
			got += (size_t)n;
	}
	assert_int_equal(got, len);
}

static void
nothing_to_read(int fd)
{
	uint8_t b[8];

	assert_int_equal(recv(fd, b, sizeof(b), MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
}

static int
setup(void **state)
{
	struct peer *p = calloc(1, sizeof(*p));
	uint8_t b[16];
	int sv[2];

	assert_non_null(p);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	assert_int_equal(vs_loop_create(&p->loop), 0);
	p->fd = sv[1];
	assert_int_equal(vs_ofconn_open(&p->c, p->loop, sv[0], false, "test", &ops, p, 0), 0);
	read_all(p->fd, b, 16); /* our HELLO, with its version bitmap */
	assert_int_equal(b[1], OFPT_HELLO);
	put_header(b, OFPT_HELLO, 8, 1);
	assert_int_equal(send(p->fd, b, 8, 0), 8);
	assert_int_equal(vs_loop_run_once(p->loop, 1000), 0);
	assert_true(p->up);
	*state = p;
	return 0;
}

static int
teardown(void **state)
{
	struct peer *p = *state;

	vs_ofconn_free(p->c);
	vs_loop_destroy(p->loop);
	close(p->fd);
	free(p);
	return 0;
}

/* 40 requests and 10 ECHOs in one write: 50 replies, in request order. */
static void
test_batch_replies_in_order(void **state)
{
	struct peer *p = *state;
	uint8_t in[50 * 8], out[50 * 8];
	int i;

	for (i = 0; i < 50; i++)
		put_header(in + 8 * i, i % 5 == 4 ? OFPT_ECHO_REQUEST : T_REQ, 8, 100 + i);
	assert_int_equal(send(p->fd, in, sizeof(in), 0), (ssize_t)sizeof(in));
	assert_int_equal(vs_loop_run_once(p->loop, 1000), 0);
	assert_int_equal(p->n_msgs, 40);
	read_all(p->fd, out, sizeof(out));
	for (i = 0; i < 50; i++) {
		const struct vs_ofp_header *h = (const struct vs_ofp_header *)(out + 8 * i);

		assert_int_equal(ntohl(h->xid), 100 + i);
		assert_int_equal(h->type, i % 5 == 4 ? OFPT_ECHO_REPLY : T_REQ + 1);
	}
	nothing_to_read(p->fd);
	assert_false(p->down);
	/* Nothing left queued: the loop no longer waits to write. */
	assert_int_equal(p->c->out_len, 0);
}

/* A message in two pieces, a wake-up each: handled once, when whole. */
static void
test_message_cut_across_reads(void **state)
{
	struct peer *p = *state;
	uint8_t in[24], out[8];

	put_header(in, T_REQ, 24, 7);
	memset(in + 8, 0x5a, 16);
	assert_int_equal(send(p->fd, in, 11, 0), 11);
	assert_int_equal(vs_loop_run_once(p->loop, 1000), 0);
	assert_int_equal(p->n_msgs, 0);
	nothing_to_read(p->fd);
	assert_int_equal(send(p->fd, in + 11, 13, 0), 13);
	assert_int_equal(vs_loop_run_once(p->loop, 1000), 0);
	assert_int_equal(p->n_msgs, 1);
	read_all(p->fd, out, 8);
	assert_int_equal(ntohl(((struct vs_ofp_header *)out)->xid), 7);
}

/* A message of an odd length (the spec pads them all; a peer may not),
 * then two more: each handled once, each handed over aligned. */
static void
test_odd_length_message_keeps_the_next_aligned(void **state)
{
	struct peer *p = *state;
	uint8_t in[9 + 8 + 8], out[24] __attribute__((aligned(8)));
	uint8_t h[8] __attribute__((aligned(8)));
	int i;

	/* Headers built aligned, then copied to their odd places. */
	put_header(h, T_REQ, 9, 1);
	memcpy(in, h, 8);
	in[8] = 0x5a;
	put_header(h, T_REQ, 8, 2);
	memcpy(in + 9, h, 8);
	put_header(h, OFPT_ECHO_REQUEST, 8, 3);
	memcpy(in + 17, h, 8);
	assert_int_equal(send(p->fd, in, sizeof(in), 0), (ssize_t)sizeof(in));
	assert_int_equal(vs_loop_run_once(p->loop, 1000), 0);
	assert_int_equal(p->n_msgs, 2);
	read_all(p->fd, out, sizeof(out));
	for (i = 0; i < 3; i++)
		assert_int_equal(ntohl(((const struct vs_ofp_header *)(out + 8 * i))->xid), i + 1);
	assert_false(p->down);
}

/* More than a wake-up reads (VS_OFCONN_READS_MAX x the input buffer):
 * every message answered over a bounded number of wake-ups. */
static void
test_more_than_one_wakeup(void **state)
{
	struct peer *p = *state;
	const size_t n = 40000; /* 320 KB of requests, 320 KB of replies */
	uint8_t *in = malloc(n * 8), *out = malloc(n * 8);
	size_t sent = 0, got = 0;
	int rounds = 0;

	assert_non_null(in);
	assert_non_null(out);
	for (size_t i = 0; i < n; i++)
		put_header(in + 8 * i, T_REQ, 8, (uint32_t)i);
	while ((sent < n * 8 || got < n * 8) && rounds++ < 10000) {
		ssize_t k;

		if (sent < n * 8 && (k = send(p->fd, in + sent, n * 8 - sent, MSG_DONTWAIT)) > 0)
			sent += (size_t)k;
		assert_int_equal(vs_loop_run_once(p->loop, 10), 0);
		if ((k = recv(p->fd, out + got, n * 8 - got, MSG_DONTWAIT)) > 0)
			got += (size_t)k;
	}
	assert_int_equal(got, n * 8);
	assert_int_equal(p->n_msgs, (int)n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ntohl(((struct vs_ofp_header *)(out + 8 * i))->xid), i);
	assert_false(p->down);
	free(in);
	free(out);
}

/* A peer below 1.3: HELLO_FAILED/INCOMPATIBLE reaches it before the
 * close, though it was queued in the wake-up that closes. */
static void
test_hello_failed_sent_before_close(void **state)
{
	struct peer p = {0};
	uint8_t b[256];
	int sv[2];
	ssize_t n;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	assert_int_equal(vs_loop_create(&p.loop), 0);
	p.fd = sv[1];
	assert_int_equal(vs_ofconn_open(&p.c, p.loop, sv[0], false, "test", &ops, &p, 0), 0);
	read_all(p.fd, b, 16);
	put_header(b, OFPT_HELLO, 8, 9);
	b[0] = 0x01; /* OpenFlow 1.0 */
	assert_int_equal(send(p.fd, b, 8, 0), 8);
	assert_int_equal(vs_loop_run_once(p.loop, 1000), 0);
	assert_true(p.down);
	read_all(p.fd, b, 12);
	assert_int_equal(b[1], OFPT_ERROR);
	assert_int_equal(ntohl(((struct vs_ofp_header *)b)->xid), 9);
	assert_int_equal(b[8] << 8 | b[9], OFPET_HELLO_FAILED);
	n = recv(p.fd, b, sizeof(b), MSG_DONTWAIT); /* the text, then the close */
	while (n > 0)
		n = recv(p.fd, b, sizeof(b), MSG_DONTWAIT);
	assert_int_equal(n, 0);
	vs_ofconn_free(p.c);
	vs_loop_destroy(p.loop);
	close(p.fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_batch_replies_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_message_cut_across_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_odd_length_message_keeps_the_next_aligned,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_more_than_one_wakeup, setup, teardown),
		cmocka_unit_test(test_hello_failed_sent_before_close),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
