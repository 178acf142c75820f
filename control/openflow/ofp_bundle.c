/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofp_bundle.c: bundles over the wire, as OpenFlow 1.3
 * carries them in the ONF extension (OFPT_EXPERIMENTER, ONF_EXPERIMENTER_ID,
 * exp_type 2300 BUNDLE_CONTROL and 2301 BUNDLE_ADD_MESSAGE: what
 * ovs-ofctl -O OpenFlow13 --bundle sends). OPEN, ADD (FLOW_MODs; an ADD
 * to a bundle not open opens it, as OpenFlow 1.4 says), CLOSE, COMMIT,
 * DISCARD; a commit applies every FLOW_MOD in order, all or nothing,
 * through vs_flows_bundle (ATOMIC and ORDERED are what it always does).
 *
 * Each FLOW_MOD is decoded when it is added: a bad one is answered then
 * (its own error, with its xid) and the bundle is marked failed, so that
 * its commit changes nothing (OFPBFC_MSG_FAILED). A change refused at
 * commit is answered with the FLOW_MOD_FAILED of that FLOW_MOD, then the
 * commit's MSG_FAILED. Bounded: VS_OF_BUNDLES_MAX bundles open per
 * session (OUT_OF_BUNDLES), VS_OF_BUNDLE_MSGS_MAX messages in one
 * (MSG_TOO_MANY); a session's bundles are discarded when it closes, and
 * one that has had no message for VS_OF_BUNDLE_IDLE_MS when the session
 * next sends a bundle message: its FLOW_MODs are freed, and every later
 * message for it is answered TIMEOUT (the ONF extension's 2314, OpenFlow
 * 1.4's OFPBFC_TIMEOUT), so that an ADD cannot quietly start it again
 * without what it held; its COMMIT or DISCARD ends it, an OPEN starts it
 * anew, and its slot is reused when every other one is taken.
 * Errors are OFPET_EXPERIMENTER from ONF with exp_code 2300 + the
 * OpenFlow 1.4 OFPBFC_* code. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "flow_table.h"
#include "log.h"
#include "of_int.h"
#include "ofp_codec.h"
#include "switch.h"

#define CTRL_LEN 24 /* ofp_experimenter_header + the bundle control */

/* One FLOW_MOD of a bundle, and what to answer its refusal with. */
struct bmsg {
	struct vs_flow_spec spec;
	uint8_t command;
	uint32_t xid;
	uint16_t head_len;
	uint8_t head[64];
};

struct bundle {
	bool used, closed, failed;
	bool expired;     /* idle too long: only its id is left */
	uint64_t used_ms; /* its last message */
	uint32_t id;
	uint16_t flags;
	uint32_t n, cap;
	struct bmsg *m;
};

struct vs_of_bundles {
	struct bundle b[VS_OF_BUNDLES_MAX];
};

/* ---- the session's bundles ---- */

static void
bundle_drop(struct bundle *b)
{
	free(b->m);
	memset(b, 0, sizeof(*b));
}

void
vs_of_bundles_free(struct vs_of_session *s)
{
	unsigned int i;

	if (s->bundles == NULL)
		return;
	for (i = 0; i < VS_OF_BUNDLES_MAX; i++)
		bundle_drop(&s->bundles->b[i]);
	free(s->bundles);
	s->bundles = NULL;
}

/* OFPET_EXPERIMENTER (1.3: type, exp_type, experimenter, data). */
static void
bfc(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len, uint16_t code)
{
	uint8_t buf[16 + 64];
	size_t n = len < 64 ? len : 64;

	vs_ofp_header_init((struct vs_ofp_header *)buf, OFPT_ERROR, 16 + n, ntohl(h->xid));
	vs_ofp_put16(buf + 8, OFPET_EXPERIMENTER);
	vs_ofp_put16(buf + 10, ONFERR_ET_BUNDLE_BASE + code);
	vs_ofp_put32(buf + 12, ONF_EXPERIMENTER_ID);
	memcpy(buf + 16, h, n);
	vs_ofconn_send(s->conn, buf, 16 + n);
}

static struct bundle *
find(struct vs_of_session *s, uint32_t id)
{
	unsigned int i;

	for (i = 0; s->bundles != NULL && i < VS_OF_BUNDLES_MAX; i++)
		if (s->bundles->b[i].used && s->bundles->b[i].id == id)
			return &s->bundles->b[i];
	return NULL;
}

/* A new open bundle, or NULL with the error sent. */
static struct bundle *
open_one(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len, uint32_t id,
	 uint16_t flags)
{
	unsigned int i;

	if (s->bundles == NULL && (s->bundles = calloc(1, sizeof(*s->bundles))) == NULL) {
		vs_ofconn_fail(s->conn, "out of memory");
		return NULL;
	}
	for (i = 0; i < 2 * VS_OF_BUNDLES_MAX; i++) { /* a free slot, else an expired one */
		struct bundle *b = &s->bundles->b[i % VS_OF_BUNDLES_MAX];

		if (!b->used || (i >= VS_OF_BUNDLES_MAX && b->expired)) {
			bundle_drop(b);
			*b = (struct bundle){.used = true,
					     .id = id,
					     .flags = flags,
					     .used_ms = s->ob->sw->of->now_ms};
			return b;
		}
	}
	bfc(s, h, len, OFPBFC_OUT_OF_BUNDLES);
	return NULL;
}

/* Free what the bundles idle for VS_OF_BUNDLE_IDLE_MS hold. */
static void
expire(struct vs_of_session *s)
{
	uint64_t now = s->ob->sw->of->now_ms;
	unsigned int i;

	for (i = 0; s->bundles != NULL && i < VS_OF_BUNDLES_MAX; i++) {
		struct bundle *b = &s->bundles->b[i];

		if (!b->used || b->expired || now - b->used_ms < VS_OF_BUNDLE_IDLE_MS)
			continue;
		VS_LOG(INFO, "bridge %s: controller %s: bundle %u discarded: no message for %u s",
		       s->ob->br->name, s->conn->peer, b->id, VS_OF_BUNDLE_IDLE_MS / 1000);
		free(b->m);
		b->m = NULL;
		b->n = b->cap = 0;
		b->expired = true;
	}
}

/* A message for an expired bundle: TIMEOUT; an OPEN starts it anew, a
 * COMMIT or DISCARD ends it. true if 'm' was answered so. */
static bool
timed_out(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len,
	  const struct vs_ofp_bundle_msg *m)
{
	struct bundle *b = find(s, m->bundle_id);
	bool ctrl = m->exp_type == ONFT_BUNDLE_CONTROL;

	if (b == NULL || !b->expired)
		return false;
	if (ctrl && m->type == ONF_BCT_OPEN) {
		bundle_drop(b);
		return false;
	}
	bfc(s, h, len, OFPBFC_TIMEOUT);
	if (ctrl && (m->type == ONF_BCT_COMMIT || m->type == ONF_BCT_DISCARD))
		bundle_drop(b);
	return true;
}

static void
ctrl_reply(struct vs_of_session *s, const struct vs_ofp_header *h, uint32_t id, uint16_t type,
	   uint16_t flags)
{
	uint8_t r[CTRL_LEN];

	vs_ofp_header_init((struct vs_ofp_header *)r, OFPT_EXPERIMENTER, sizeof(r), ntohl(h->xid));
	vs_ofp_put32(r + 8, ONF_EXPERIMENTER_ID);
	vs_ofp_put32(r + 12, ONFT_BUNDLE_CONTROL);
	vs_ofp_put32(r + 16, id);
	vs_ofp_put16(r + 20, type + 1); /* each request's reply is the next type */
	vs_ofp_put16(r + 22, flags);
	vs_ofconn_send(s->conn, r, sizeof(r));
}

static int
commit(struct vs_of_session *s, struct bundle *b)
{
	struct vs_flow_op *ops = calloc(b->n + 1, sizeof(*ops));
	struct vs_err err = {0};
	uint32_t i;
	int rc;

	if (ops == NULL)
		return -ENOMEM;
	for (i = 0; i < b->n; i++) {
		uint8_t c = b->m[i].command;

		ops[i].spec = &b->m[i].spec;
		ops[i].strict = c == OFPFC_MODIFY_STRICT || c == OFPFC_DELETE_STRICT;
		ops[i].kind = c == OFPFC_ADD             ? VS_FLOW_OP_ADD
			      : c <= OFPFC_MODIFY_STRICT ? VS_FLOW_OP_MOD
							 : VS_FLOW_OP_DEL;
	}
	rc = vs_flows_bundle(s->ob->sw, s->ob->br, ops, b->n, &err);
	free(ops);
	if (rc < 0) {
		VS_LOG(INFO, "bridge %s: controller %s: bundle %u not committed: %s",
		       s->ob->br->name, s->conn->peer, b->id, err.msg);
		if (err.item >= 1 && err.item <= b->n) {
			const struct bmsg *m = &b->m[err.item - 1];

			vs_ofconn_error(s->conn, (const struct vs_ofp_header *)m->head, m->head_len,
					OFPET_FLOW_MOD_FAILED, vs_of_flow_mod_fail_code(rc));
		}
	}
	return rc;
}

static void
control(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len,
	const struct vs_ofp_bundle_msg *m)
{
	struct bundle *b = find(s, m->bundle_id);

	if (m->type == ONF_BCT_OPEN) {
		if (b != NULL)
			bfc(s, h, len, OFPBFC_BUNDLE_EXIST);
		else if (open_one(s, h, len, m->bundle_id, m->flags) != NULL)
			ctrl_reply(s, h, m->bundle_id, m->type, m->flags);
		return;
	}
	if (b == NULL) {
		bfc(s, h, len, OFPBFC_BAD_ID);
		return;
	}
	b->used_ms = s->ob->sw->of->now_ms;
	if (m->type == ONF_BCT_CLOSE) {
		if (b->closed)
			bfc(s, h, len, OFPBFC_BUNDLE_CLOSED);
		else if (m->flags != b->flags)
			bfc(s, h, len, OFPBFC_BAD_FLAGS);
		else
			b->closed = true, ctrl_reply(s, h, m->bundle_id, m->type, m->flags);
		return;
	}
	if (m->type == ONF_BCT_COMMIT && m->flags != b->flags)
		bfc(s, h, len, OFPBFC_BAD_FLAGS);
	else if (m->type == ONF_BCT_COMMIT && (b->failed || commit(s, b) < 0))
		bfc(s, h, len, OFPBFC_MSG_FAILED);
	else
		ctrl_reply(s, h, m->bundle_id, m->type, m->flags);
	bundle_drop(b); /* committed, refused or discarded: gone (1.4, 7.3.9) */
}

/* The inner FLOW_MOD into 'b', decoded now: 0, or -1 with the error sent. */
static int
add_flow_mod(struct vs_of_session *s, struct bundle *b, const uint8_t *in, size_t ilen)
{
	static struct vs_ofp_flow_mod fm; /* control thread only */
	struct vs_of_bridge *ob = s->ob;
	struct vs_ofp_ports ports = {vs_of_port_to_id, vs_of_id_to_port, ob};
	struct vs_ofperr e;
	struct bmsg *m;

	if (vs_ofp_decode_flow_mod(in, ilen, &ports, &fm, &e) < 0) {
		VS_LOG(INFO, "bridge %s: controller %s: bundle %u: %s", ob->br->name, s->conn->peer,
		       b->id, e.err.msg);
		vs_ofconn_error(s->conn, (const struct vs_ofp_header *)in, ilen, e.type, e.code);
		return -1;
	}
	if (b->n == b->cap) {
		uint32_t cap = b->cap ? b->cap * 2 : 16;

		m = realloc(b->m, sizeof(*m) * cap);
		if (m == NULL) {
			vs_ofconn_fail(s->conn, "out of memory");
			return -1;
		}
		b->m = m, b->cap = cap;
	}
	m = &b->m[b->n++];
	m->spec = fm.spec;
	m->command = fm.command;
	m->head_len = (uint16_t)(ilen < sizeof(m->head) ? ilen : sizeof(m->head));
	memcpy(m->head, in, m->head_len);
	return 0;
}

static void
add(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len,
    const struct vs_ofp_bundle_msg *m)
{
	struct bundle *b = find(s, m->bundle_id);

	if (b == NULL && (b = open_one(s, h, len, m->bundle_id, m->flags)) == NULL)
		return;
	b->used_ms = s->ob->sw->of->now_ms;
	if (b->closed) {
		bfc(s, h, len, OFPBFC_BUNDLE_CLOSED);
	} else if (m->flags != b->flags) {
		bfc(s, h, len, OFPBFC_BAD_FLAGS);
	} else if (m->inner[0] != VS_OFP_VERSION_13 || m->inner[1] != OFPT_FLOW_MOD) {
		bfc(s, h, len, OFPBFC_MSG_UNSUP); /* only rules: vs_flows_bundle's */
	} else if (b->n >= VS_OF_BUNDLE_MSGS_MAX) {
		bfc(s, h, len, OFPBFC_MSG_TOO_MANY);
	} else if (add_flow_mod(s, b, m->inner, m->inner_len) == 0) {
		return; /* an ADD has no reply */
	}
	b->failed = true; /* whatever was refused, the commit changes nothing */
}

bool
vs_of_bundle(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	struct vs_ofp_bundle_msg m;
	struct vs_ofperr e;
	struct bundle *b;
	int rc = vs_ofp_decode_bundle((const uint8_t *)h, len, &m, &e);

	if (rc == 0)
		return false;
	if (!vs_of_session_writable(s)) {
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_IS_SLAVE);
		return true;
	}
	expire(s);
	if (rc < 0) {
		/* A bad ADD fails its bundle, if there is one. */
		if (m.exp_type == ONFT_BUNDLE_ADD_MESSAGE && (b = find(s, m.bundle_id)) != NULL)
			b->failed = true;
		bfc(s, h, len, e.exp_code - ONFERR_ET_BUNDLE_BASE);
	} else if (timed_out(s, h, len, &m)) {
		return true;
	} else if (m.exp_type == ONFT_BUNDLE_CONTROL) {
		control(s, h, len, &m);
	} else {
		add(s, h, len, &m);
	}
	return true;
}
