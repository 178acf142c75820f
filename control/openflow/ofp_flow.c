/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofp_flow.c: FLOW_MOD through the actions of
 * control/flow/flow_table.h with origin=controller: the codec decodes, the
 * action validates and applies, a refusal goes back as the spec's ERROR.
 * Flow and aggregate statistics: the rules a request selects (table,
 * out_port, out_group, cookie/mask, a loose match, as vs_flows_selects
 * reads them) from every origin, vswitchctl's and controllers', in
 * vswitchctl dump-flows' order. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "bridge.h"
#include "flow_table.h"
#include "log.h"
#include "of_int.h"
#include "ofp_codec.h"
#include "switch.h"

uint16_t
vs_of_flow_mod_fail_code(int rc)
{
	switch (rc) {
	case -ENOSPC:
	case -ENOMEM:
		return OFPFMFC_TABLE_FULL;
	case -EEXIST:
		return OFPFMFC_OVERLAP;
	case -EPERM:
		return OFPFMFC_EPERM;
	}
	return OFPFMFC_UNKNOWN;
}

void
vs_of_flow_mod(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	static struct vs_ofp_flow_mod fm; /* control thread only; too big for the stack */
	struct vs_of_bridge *ob = s->ob;
	struct vs_ofp_ports ports = {vs_of_port_to_id, vs_of_id_to_port, ob};
	struct vs_ofperr e;
	struct vs_err err = {0};
	uint32_t n = 0;
	int rc;

	rc = vs_ofp_decode_flow_mod((const uint8_t *)h, len, &ports, &fm, &e);
	if (rc < 0) {
		vs_ofconn_error(s->conn, h, len, e.type, e.code);
		return;
	}
	switch (fm.command) {
	case OFPFC_ADD:
		rc = vs_flows_add(ob->sw, ob->br, &fm.spec, 1, &err);
		break;
	case OFPFC_MODIFY:
	case OFPFC_MODIFY_STRICT:
		/* OpenFlow 1.3: a modify that selects nothing adds nothing. */
		rc = vs_flows_mod(ob->sw, ob->br, &fm.spec, fm.command == OFPFC_MODIFY_STRICT, &n,
				  &err);
		break;
	default:
		rc = vs_flows_del(ob->sw, ob->br, &fm.spec, fm.command == OFPFC_DELETE_STRICT, &n,
				  &err);
		break;
	}
	if (rc < 0)
		vs_ofconn_error(s->conn, h, len, OFPET_FLOW_MOD_FAILED,
				vs_of_flow_mod_fail_code(rc));
}

/* ---- OFPMP_FLOW and OFPMP_AGGREGATE (7.3.5.2, 7.3.5.3) ---- */

#define FSR_FIXED 32 /* struct ofp_flow_stats_request */
#define FS_FIXED  48 /* struct ofp_flow_stats, before its match */

/* The request: table, cookie/mask and match as a vs_flow_spec filter;
 * out_port (OpenFlow's number, reserved ones included) apart. */
struct stats_req {
	struct vs_flow_spec f;
	uint32_t out_port;
};

static int
decode_stats_req(const uint8_t *p, size_t len, const struct vs_ofp_ports *ports,
		 struct stats_req *q, struct vs_ofperr *e)
{
	size_t used;
	int rc;

	memset(q, 0, sizeof(*q));
	if (len < FSR_FIXED + 8)
		return vs_ofperr_set(e, -EPROTO, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
				     "flow stats request of %zu bytes", len);
	if (p[0] != OFPTT_ALL && p[0] >= VS_TABLES)
		return vs_ofperr_set(e, -EINVAL, OFPET_BAD_REQUEST, OFPBRC_BAD_TABLE_ID,
				     "table %u: the switch has %u tables", p[0], VS_TABLES);
	q->f.has_table = p[0] != OFPTT_ALL;
	q->f.table_id = q->f.has_table ? p[0] : 0;
	q->out_port = vs_ofp_get32(p + 4);
	if (vs_ofp_get32(p + 8) != OFPG_ANY) {
		q->f.has_out_group = true;
		q->f.out_group = vs_ofp_get32(p + 8);
	}
	q->f.cookie = vs_ofp_get64(p + 16);
	q->f.cookie_mask = vs_ofp_get64(p + 24);
	q->f.has_cookie = q->f.cookie_mask != 0;
	rc = vs_ofp_match_decode(p + FSR_FIXED, len - FSR_FIXED, ports, &q->f.match, &used, e);
	if (rc == 0 && FSR_FIXED + used != len)
		return vs_ofperr_set(e, -EPROTO, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
				     "flow stats request: bytes after the match");
	return rc;
}

/* Does one of the rule's outputs (applied or written) go to OpenFlow
 * port 'ofport' (a reserved one too)? */
static bool
outputs_to(struct vs_of_bridge *ob, const struct vs_rule *r, uint32_t ofport)
{
	static const uint32_t reserved[] = {
		[VS_ACT_IN_PORT] = OFPP_IN_PORT, [VS_ACT_NORMAL] = OFPP_NORMAL,
		[VS_ACT_FLOOD] = OFPP_FLOOD,     [VS_ACT_ALL] = OFPP_ALL,
		[VS_ACT_LOCAL] = OFPP_LOCAL,     [VS_ACT_CONTROLLER] = OFPP_CONTROLLER,
	};
	uint32_t n;
	uint16_t i;

	for (i = 0; i < r->n_actions; i++) {
		const struct vs_action *a = &r->actions[i];

		if (a->type == VS_ACT_OUTPUT && vs_of_id_to_port(ob, a->port, &n) == 0 &&
		    n == ofport)
			return true;
		if (a->type < RTE_DIM(reserved) && reserved[a->type] != 0 &&
		    reserved[a->type] == ofport)
			return true;
	}
	return false;
}

static bool
stats_selects(struct vs_of_bridge *ob, const struct vs_rule *r, const struct stats_req *q)
{
	return vs_flows_selects(r, &q->f, false) &&
	       (q->out_port == OFPP_ANY || outputs_to(ob, r, q->out_port));
}

static uint16_t
clamp16(uint32_t v)
{
	return v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
}

/* One ofp_flow_stats; -EINVAL (nothing appended) for a rule OpenFlow
 * cannot show (ofp_codec.h says which), -ENOMEM. */
static int
put_entry(struct vs_ofpbuf *b, struct vs_of_bridge *ob, const struct vs_rule *r,
	  const struct vs_ofp_ports *ports)
{
	struct vs_ofp_acts_in in = {VS_OFP_ACTS_FLOW, ports, r->table_id, &r->match};
	size_t at = b->len;
	uint32_t sec, nsec;
	uint64_t pk, by;
	uint8_t *p;
	int rc;

	if ((p = vs_ofpbuf_put(b, NULL, FS_FIXED)) == NULL)
		return -ENOMEM;
	vs_flows_stats(ob->br, r, &pk, &by);
	p[2] = r->table_id;
	vs_of_rule_duration(ob->sw, r, &sec, &nsec);
	vs_ofp_put32(p + 4, sec);
	vs_ofp_put32(p + 8, nsec);
	vs_ofp_put16(p + 12, r->priority);
	vs_ofp_put16(p + 14, clamp16(r->idle_timeout));
	vs_ofp_put16(p + 16, clamp16(r->hard_timeout));
	vs_ofp_put16(p + 18, r->flags & OFPFF_ALL_13);
	vs_ofp_put64(p + 24, r->cookie);
	vs_ofp_put64(p + 32, pk);
	vs_ofp_put64(p + 40, by);
	rc = vs_ofp_match_encode(b, &r->match, ports);
	if (rc == 0)
		rc = vs_ofp_instructions_encode(b, r->actions, r->n_actions, &in);
	if (rc == 0 && b->len - at > VS_OFP_MSG_MAX - sizeof(struct vs_ofw_multipart))
		rc = -EINVAL;
	if (rc < 0) {
		b->len = at;
		return rc;
	}
	vs_ofp_put16(b->data + at, (uint16_t)(b->len - at));
	return 0;
}

/* The rules the request selects, in dump order. */
static int
collect(struct vs_of_bridge *ob, const struct stats_req *q, bool sort, struct vs_rule ***out,
	uint32_t *n)
{
	const struct vs_flow_table *t = ob->br->flows;
	uint32_t i;

	*n = 0;
	*out = malloc(sizeof(**out) * (t->n + 1));
	if (*out == NULL)
		return -ENOMEM;
	for (i = 0; i < t->n; i++)
		if (stats_selects(ob, t->rules[i], q))
			(*out)[(*n)++] = t->rules[i];
	if (sort)
		qsort(*out, *n, sizeof(**out), vs_flows_cmp_order);
	return 0;
}

/* The whole reply is built at once, a consistent picture of the tables
 * (rules change under a reply that waits for its peer); it goes out as the
 * peer reads it (ofp_mp_stream.c). */
static void
flow_stats(struct vs_of_session *s, const struct vs_ofp_header *h, struct vs_rule **rules,
	   uint32_t n)
{
	struct vs_of_bridge *ob = s->ob;
	struct vs_ofp_ports ports = {vs_of_port_to_id, vs_of_id_to_port, ob};
	struct vs_ofpbuf b = {0};
	uint32_t i, skipped = 0;
	int rc;

	for (i = 0; i < n; i++) {
		if ((rc = put_entry(&b, ob, rules[i], &ports)) == -ENOMEM)
			break;
		skipped += rc < 0;
	}
	if (i < n) {
		vs_ofpbuf_free(&b);
		vs_ofconn_fail(s->conn, "out of memory for a flow stats reply");
		return;
	}
	if (skipped)
		VS_LOG(WARNING,
		       "bridge %s: %u rules left out of a flow stats reply: OpenFlow 1.3 cannot "
		       "say their match or actions (vswitchctl dump-flows shows them)",
		       ob->br->name, skipped);
	vs_of_mp_reply_entries(s, h, OFPMP_FLOW, b.data, b.len);
}

static void
aggregate(struct vs_of_session *s, const struct vs_ofp_header *h, struct vs_rule **rules,
	  uint32_t n)
{
	uint8_t body[24] = {0};
	uint64_t pk, by, tp = 0, tb = 0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		vs_flows_stats(s->ob->br, rules[i], &pk, &by);
		tp += pk;
		tb += by;
	}
	vs_ofp_put64(body, tp);
	vs_ofp_put64(body + 8, tb);
	vs_ofp_put32(body + 16, n);
	vs_of_mp_reply(s, h, OFPMP_AGGREGATE, body, sizeof(body), 0);
}

void
vs_of_flow_stats(struct vs_of_session *s, const struct vs_ofp_header *h, uint16_t type,
		 const uint8_t *body, size_t blen)
{
	static struct stats_req q; /* control thread only; too big for the stack */
	struct vs_ofp_ports ports = {vs_of_port_to_id, vs_of_id_to_port, s->ob};
	struct vs_rule **rules;
	struct vs_ofperr e;
	uint32_t n;

	if (decode_stats_req(body, blen, &ports, &q, &e) < 0) {
		vs_ofconn_error(s->conn, h, ntohs(h->length), e.type, e.code);
		return;
	}
	if (collect(s->ob, &q, type == OFPMP_FLOW, &rules, &n) < 0) {
		vs_ofconn_fail(s->conn, "out of memory for a flow stats reply");
		return;
	}
	if (type == OFPMP_FLOW)
		flow_stats(s, h, rules, n);
	else
		aggregate(s, h, rules, n);
	free(rules);
}
