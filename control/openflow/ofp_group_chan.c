/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofp_group_chan.c: GROUP_MOD through the group actions
 * of control/group/group_ctl.h (the ones vswitchctl add-group, mod-group
 * and del-groups call), and the group multiparts: GROUP_DESC, GROUP
 * (stats) and GROUP_FEATURES. The codec (ofp_group.c) decodes and
 * encodes; the actions check and apply; a refusal goes back as the
 * spec's GROUP_MOD_FAILED code.
 *
 * Origin: a controller's ADD makes a controller's group, never saved (as
 * its rules are not: it installs them again when it comes back). A MODIFY
 * keeps the group's origin, as a controller's modify of a rule does: an
 * operator's group stays saved, with its new buckets, so that the saved
 * rules and groups that name it still find it at the next start. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "group_ctl.h"
#include "log.h"
#include "of_int.h"
#include "ofp_codec.h"
#include "switch.h"

#define OFPGFC_SELECT_WEIGHT   (1u << 0)
#define OFPGFC_SELECT_LIVENESS (1u << 1)
#define OFPGFC_CHAINING        (1u << 2)
#define OFPGFC_CHAINING_CHECKS (1u << 3)

/* The GROUP_MOD_FAILED code for what a group action refused
 * (group_ctl.h's list). */
static void
refused(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len, int rc,
	const struct vs_err *err)
{
	uint16_t type = OFPET_GROUP_MOD_FAILED, code;

	switch (rc) {
	case -EEXIST:
		code = OFPGMFC_GROUP_EXISTS;
		break;
	case -ENOENT:
		code = OFPGMFC_UNKNOWN_GROUP;
		break;
	case -ELOOP:
		code = OFPGMFC_LOOP;
		break;
	case -ENOTSUP:
		code = OFPGMFC_CHAINING_UNSUPPORTED;
		break;
	case -EBUSY:
		code = OFPGMFC_CHAINED_GROUP;
		break;
	case -ENOSPC:
		code = OFPGMFC_OUT_OF_GROUPS;
		break;
	case -ENXIO: /* watch_group was checked first: a bucket's group:N */
		type = OFPET_BAD_ACTION;
		code = OFPBAC_BAD_OUT_GROUP;
		break;
	case -EINVAL:
		code = OFPGMFC_INVALID_GROUP;
		break;
	default: /* -EPERM, and what the save or memory refused */
		code = OFPGMFC_EPERM;
		break;
	}
	VS_LOG(INFO, "bridge %s: controller %s: group_mod refused: %s", s->ob->br->name,
	       s->conn->peer, err->msg);
	vs_ofconn_error(s->conn, h, len, type, code);
}

/* A watch_group must name a group of the table (or the group itself,
 * which the loop check refuses): OFPGMFC_BAD_WATCH, not BAD_OUT_GROUP. */
static bool
watches_known(const struct vs_bridge *br, const struct vs_group_spec *g)
{
	uint16_t i;

	for (i = 0; i < g->n_buckets; i++)
		if (g->buckets[i].watch_group != VS_GROUP_ANY &&
		    g->buckets[i].watch_group != g->id &&
		    vs_groups_get(br, g->buckets[i].watch_group) == NULL)
			return false;
	return true;
}

void
vs_of_group_mod(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	static struct vs_ofp_group_mod gm; /* control thread only; 80 KiB */
	struct vs_of_bridge *ob = s->ob;
	struct vs_ofp_ports ports = {vs_of_port_to_id, vs_of_id_to_port, ob};
	const struct vs_group_entry *old;
	struct vs_err err = {0};
	struct vs_ofperr e;
	uint32_t n;
	int rc;

	if (vs_ofp_decode_group_mod((const uint8_t *)h, len, &ports, &gm, &e) < 0) {
		vs_ofconn_error(s->conn, h, len, e.type, e.code);
		return;
	}
	if (gm.command != OFPGC_DELETE && !watches_known(ob->br, &gm.spec)) {
		vs_ofconn_error(s->conn, h, len, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_WATCH);
		return;
	}
	switch (gm.command) {
	case OFPGC_ADD:
		rc = vs_groups_add(ob->sw, ob->br, &gm.spec, &err);
		break;
	case OFPGC_MODIFY:
		old = vs_groups_get(ob->br, gm.spec.id);
		if (old != NULL)
			gm.spec.origin = old->origin;
		rc = vs_groups_mod(ob->sw, ob->br, &gm.spec, &err);
		break;
	default:
		rc = vs_groups_del(ob->sw, ob->br, gm.spec.id, &n, &err);
		break;
	}
	if (rc < 0)
		refused(s, h, len, rc, &err);
}

/* ---- multiparts ---- */

/* A reply of variable-size entries: each message holds whole entries,
 * flagged MORE but the last. */
struct mp_out {
	struct vs_of_session *s;
	const struct vs_ofp_header *req;
	uint16_t type;
	struct vs_ofpbuf msg;
};

static int
mp_flush(struct mp_out *o, bool more)
{
	uint8_t *m = o->msg.data;
	int rc;

	vs_ofp_header_init((struct vs_ofp_header *)m, OFPT_MULTIPART_REPLY, o->msg.len,
			   ntohl(o->req->xid));
	vs_ofp_put16(m + 8, o->type);
	vs_ofp_put16(m + 10, more ? OFPMPF_REPLY_MORE : 0);
	rc = vs_ofconn_send(o->s->conn, m, o->msg.len);
	o->msg.len = sizeof(struct vs_ofw_multipart);
	return rc;
}

static int
mp_begin(struct mp_out *o, struct vs_of_session *s, const struct vs_ofp_header *req, uint16_t type)
{
	*o = (struct mp_out){.s = s, .req = req, .type = type};
	vs_ofpbuf_init(&o->msg);
	return vs_ofpbuf_put(&o->msg, NULL, sizeof(struct vs_ofw_multipart)) ? 0 : -ENOMEM;
}

/* Append one entry (from 'e'): the message goes first if it would not fit. */
static int
mp_add(struct mp_out *o, const struct vs_ofpbuf *e)
{
	if (o->msg.len + e->len > VS_OFP_MSG_MAX && mp_flush(o, true) < 0)
		return -EPIPE;
	return vs_ofpbuf_put(&o->msg, e->data, e->len) ? 0 : -ENOMEM;
}

static void
mp_end(struct mp_out *o, int rc)
{
	if (rc == -ENOMEM)
		vs_ofconn_fail(o->s->conn, "out of memory");
	else if (rc == 0)
		mp_flush(o, false);
	vs_ofpbuf_free(&o->msg);
}

static int
desc_one(struct vs_of_bridge *ob, const struct vs_group_entry *g, struct vs_ofpbuf *b)
{
	struct vs_ofp_ports ports = {vs_of_port_to_id, vs_of_id_to_port, ob};
	uint8_t *p = vs_ofpbuf_put(b, NULL, 8);
	int rc;

	if (p == NULL)
		return -ENOMEM;
	p[2] = g->type;
	vs_ofp_put32(p + 4, g->id);
	rc = vs_ofp_buckets_encode(b, g->buckets, g->n_buckets, &ports);
	if (rc < 0)
		return rc;
	vs_ofp_put16(b->data, (uint16_t)b->len);
	return 0;
}

static void
group_desc(struct vs_of_session *s, const struct vs_ofp_header *h)
{
	struct vs_ofpbuf e;
	struct mp_out o;
	uint32_t i;
	int rc;

	vs_ofpbuf_init(&e);
	rc = mp_begin(&o, s, h, OFPMP_GROUP_DESC);
	for (i = 0; rc == 0 && i < vs_groups_count(s->ob->br); i++) {
		const struct vs_group_entry *g = vs_groups_at(s->ob->br, i);

		vs_ofpbuf_clear(&e);
		rc = desc_one(s->ob, g, &e);
		if (rc == -EINVAL) { /* a port gone between the change and now */
			VS_LOG(WARNING, "bridge %s: group %u cannot be said in OpenFlow: left out",
			       s->ob->br->name, g->id);
			rc = 0;
			continue;
		}
		if (rc == 0)
			rc = mp_add(&o, &e);
	}
	mp_end(&o, rc);
	vs_ofpbuf_free(&e);
}

static int
stats_one(struct vs_of_bridge *ob, const struct vs_group_entry *g, struct vs_ofpbuf *b)
{
	size_t len = 40 + 16 * (size_t)g->n_buckets;
	uint8_t *p = vs_ofpbuf_put(b, NULL, len);
	uint64_t pk, by;
	int i;

	if (p == NULL)
		return -ENOMEM;
	vs_ofp_put16(p, (uint16_t)len);
	vs_ofp_put32(p + 4, g->id);
	vs_ofp_put32(p + 8, vs_groups_rules_using(ob->br, g->id));
	vs_groups_stats(ob->br, g, -1, &pk, &by);
	vs_ofp_put64(p + 16, pk);
	vs_ofp_put64(p + 24, by);
	vs_ofp_put32(p + 32, vs_switch_now(ob->sw) - g->created);
	for (i = 0; i < g->n_buckets; i++) {
		vs_groups_stats(ob->br, g, i, &pk, &by);
		vs_ofp_put64(p + 40 + 16 * i, pk);
		vs_ofp_put64(p + 48 + 16 * i, by);
	}
	return 0;
}

static void
group_stats(struct vs_of_session *s, const struct vs_ofp_header *h, const uint8_t *body,
	    size_t blen)
{
	struct vs_ofpbuf e;
	struct mp_out o;
	uint32_t i, want;
	int rc;

	if (blen != 8) {
		vs_ofconn_error(s->conn, h, ntohs(h->length), OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
		return;
	}
	want = vs_ofp_get32(body);
	/* One group that is not there: the spec's answer is an error. */
	if (want != OFPG_ALL && vs_groups_get(s->ob->br, want) == NULL) {
		vs_ofconn_error(s->conn, h, ntohs(h->length), OFPET_GROUP_MOD_FAILED,
				OFPGMFC_UNKNOWN_GROUP);
		return;
	}
	vs_ofpbuf_init(&e);
	rc = mp_begin(&o, s, h, OFPMP_GROUP);
	for (i = 0; rc == 0 && i < vs_groups_count(s->ob->br); i++) {
		const struct vs_group_entry *g = vs_groups_at(s->ob->br, i);

		if (want != OFPG_ALL && g->id != want)
			continue;
		vs_ofpbuf_clear(&e);
		if ((rc = stats_one(s->ob, g, &e)) == 0)
			rc = mp_add(&o, &e);
	}
	mp_end(&o, rc);
	vs_ofpbuf_free(&e);
}

static void
group_features(struct vs_of_session *s, const struct vs_ofp_header *h)
{
	uint8_t f[40] = {0};
	uint32_t acts = 1u << OFPAT_OUTPUT | 1u << OFPAT_PUSH_VLAN | 1u << OFPAT_POP_VLAN |
			1u << OFPAT_GROUP | 1u << OFPAT_SET_NW_TTL | 1u << OFPAT_DEC_NW_TTL |
			1u << OFPAT_SET_FIELD;
	int t;

	vs_ofp_put32(f,
		     1u << OFPGT_ALL | 1u << OFPGT_SELECT | 1u << OFPGT_INDIRECT | 1u << OFPGT_FF);
	vs_ofp_put32(f + 4, OFPGFC_SELECT_WEIGHT | OFPGFC_SELECT_LIVENESS | OFPGFC_CHAINING |
				    OFPGFC_CHAINING_CHECKS);
	for (t = 0; t < 4; t++) {
		vs_ofp_put32(f + 8 + 4 * t, VS_GROUPS_MAX);
		vs_ofp_put32(f + 24 + 4 * t, acts);
	}
	vs_of_mp_reply(s, h, OFPMP_GROUP_FEATURES, f, sizeof(f), 0);
}

void
vs_of_group_multipart(struct vs_of_session *s, const struct vs_ofp_header *h, uint16_t type,
		      const uint8_t *body, size_t blen)
{
	if (type == OFPMP_GROUP) {
		group_stats(s, h, body, blen);
		return;
	}
	if (blen != 0) {
		vs_ofconn_error(s->conn, h, ntohs(h->length), OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
		return;
	}
	if (type == OFPMP_GROUP_DESC)
		group_desc(s, h);
	else
		group_features(s, h);
}
