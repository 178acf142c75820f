/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofp_mp_stream.c: multipart replies whose entries vary
 * in size (flow stats, table features), each entry starting with its
 * 16-bit length, as OpenFlow 1.3 lays them out. Each message holds whole
 * entries (7.3.5: an entry never spans two replies). A reply larger than
 * the connection's queue may hold (a dump of 100k rules is megabytes) is
 * queued as the peer reads it: the session holds its next requests
 * meanwhile (vs_ofconn_hold), so that a BARRIER after a dump is answered
 * after the dump. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "of_int.h"
#include "switch.h"

/* Queue parts while fewer bytes than this wait for the peer. */
#define STREAM_QUEUED (256u << 10)

struct vs_of_stream {
	uint8_t *body;
	size_t len, off;
	uint32_t xid;
	uint16_t type;
};

/* Whole entries from 'off' that fit one message: their bytes. 0 for an
 * entry that cannot fit (or is malformed): never, as the callers build them. */
static size_t
fit(const uint8_t *body, size_t len, size_t off)
{
	size_t room = VS_OFP_MSG_MAX - sizeof(struct vs_ofw_multipart), n = 0;

	while (off + n + 2 <= len) {
		size_t e = (size_t)body[off + n] << 8 | body[off + n + 1];

		if (e == 0 || n + e > room || off + n + e > len)
			break;
		n += e;
	}
	return n;
}

/* One message of entries from st->off; -EPIPE if the connection died. */
static int
send_part(struct vs_of_session *s, struct vs_of_stream *st)
{
	uint8_t *buf = s->ob->sw->of->scratch;
	struct vs_ofw_multipart *m = (struct vs_ofw_multipart *)buf;
	size_t n = fit(st->body, st->len, st->off);

	if (n == 0 && st->off < st->len) {
		vs_ofconn_fail(s->conn, "a multipart entry of type %u does not fit a message",
			       st->type);
		return -EPIPE;
	}
	memset(m, 0, sizeof(*m));
	m->type = htons(st->type);
	m->flags = htons(st->off + n < st->len ? OFPMPF_REPLY_MORE : 0);
	if (n > 0) /* an empty reply may have no body at all */
		memcpy(m->body, st->body + st->off, n);
	vs_ofp_header_init(&m->h, OFPT_MULTIPART_REPLY, sizeof(*m) + n, st->xid);
	st->off += n;
	return vs_ofconn_send(s->conn, buf, sizeof(*m) + n);
}

/* Queue parts until done or the queue is full enough; true when done
 * (or the connection died). */
static bool
pump(struct vs_of_session *s, struct vs_of_stream *st)
{
	do {
		if (send_part(s, st) < 0)
			return true;
	} while (st->off < st->len && vs_ofconn_queued(s->conn) < STREAM_QUEUED);
	return st->off >= st->len;
}

void
vs_of_mp_reply_entries(struct vs_of_session *s, const struct vs_ofp_header *req, uint16_t type,
		       uint8_t *body, size_t len)
{
	struct vs_of_stream *st;

	if (s->stream != NULL || (st = calloc(1, sizeof(*st))) == NULL) {
		free(body);
		vs_ofconn_fail(s->conn, "out of memory");
		return;
	}
	st->body = body;
	st->len = len;
	st->xid = ntohl(req->xid);
	st->type = type;
	if (pump(s, st)) {
		free(st->body);
		free(st);
		return;
	}
	s->stream = st;
	vs_ofconn_hold(s->conn, true);
}

void
vs_of_mp_stream_resume(struct vs_of_session *s)
{
	struct vs_of_stream *st = s->stream;

	if (st == NULL || vs_ofconn_queued(s->conn) >= STREAM_QUEUED)
		return;
	if (!pump(s, st))
		return;
	vs_of_mp_stream_free(s);
	vs_ofconn_hold(s->conn, false);
}

void
vs_of_mp_stream_free(struct vs_of_session *s)
{
	if (s->stream == NULL)
		return;
	free(s->stream->body);
	free(s->stream);
	s->stream = NULL;
}
