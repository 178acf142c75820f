/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/codec/ofp_group.c: GROUP_MOD (OpenFlow 1.3.5, 7.3.4.2) to a
 * struct vs_group_spec for the actions of control/group/group_ctl.h, and
 * a group's buckets back to the wire for GROUP_DESC. Bucket actions go
 * through vs_ofp_actions_decode (VS_OFP_ACTS_GROUP); what a bucket cannot
 * hold is refused here with the spec's code, so that the group actions
 * only see specs that the text parser (group_parse.c) could have made.
 *
 * The encoder writes the actions a bucket can hold (the decoder's set):
 * an actions encoder of the codec's own (vs_ofp_actions_encode) is being
 * written beside it; this one is the bucket's until they are merged. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "ofp_codec.h"

#define GM_FIXED 16 /* struct ofp_group_mod, header included */
#define BK_FIXED 16 /* struct ofp_bucket */

static int
gmfc(struct vs_ofperr *e, uint16_t code, const char *why)
{
	return vs_ofperr_set(e, -EINVAL, OFPET_GROUP_MOD_FAILED, code, "group_mod: %s", why);
}

/* A bucket's watch_port / watch_group, and its type's rules on them. */
static int
bucket_watch(const uint8_t *q, uint8_t type, const struct vs_ofp_ports *ports,
	     struct vs_bucket_spec *b, struct vs_ofperr *e)
{
	uint32_t wp = vs_ofp_get32(q + 4), wg = vs_ofp_get32(q + 8);

	b->watch_port = VS_PORT_NONE;
	b->watch_group = VS_GROUP_ANY;
	if (wp != OFPP_ANY) {
		if (wp > OFPP_MAX || ports == NULL || ports->to_id == NULL ||
		    ports->to_id(ports->ctx, wp, &b->watch_port) != 0)
			return vs_ofperr_set(e, -EINVAL, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_WATCH,
					     "group_mod: watch_port %u: the bridge has no such "
					     "port",
					     wp);
	}
	if (wg != OFPG_ANY) {
		if (wg > OFPG_MAX)
			return gmfc(e, OFPGMFC_BAD_WATCH, "watch_group above OFPG_MAX");
		b->watch_group = wg;
	}
	if (type == OFPGT_FF && wp == OFPP_ANY && wg == OFPG_ANY)
		return gmfc(e, OFPGMFC_BAD_WATCH,
			    "a fast_failover bucket needs watch_port or watch_group");
	return 0;
}

static int
bucket_decode(const uint8_t *q, size_t blen, uint8_t type, const struct vs_ofp_ports *ports,
	      struct vs_bucket_spec *b, struct vs_ofperr *e)
{
	struct vs_ofp_acts_in in = {VS_OFP_ACTS_GROUP, ports, 0, NULL};
	uint16_t i;
	int rc;

	memset(b, 0, sizeof(*b));
	b->weight = vs_ofp_get16(q + 2);
	if (type != OFPGT_SELECT && b->weight != 0)
		return gmfc(e, OFPGMFC_BAD_BUCKET, "weight is for select groups (it must be 0)");
	if ((rc = bucket_watch(q, type, ports, b, e)) < 0)
		return rc;
	rc = vs_ofp_actions_decode(q + BK_FIXED, blen - BK_FIXED, &in, 0, b->actions, &b->n_actions,
				   e);
	if (rc < 0)
		return rc;
	/* set_field:metadata decodes to write_metadata, an instruction of a
	 * rule's pipeline: a bucket has no table to carry it to. */
	for (i = 0; i < b->n_actions; i++)
		if (b->actions[i].type == VS_ACT_WRITE_METADATA)
			return vs_ofperr_set(e, -EINVAL, OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE,
					     "group_mod: a bucket cannot set metadata");
	return 0;
}

int
vs_ofp_decode_group_mod(const uint8_t *msg, size_t len, const struct vs_ofp_ports *ports,
			struct vs_ofp_group_mod *gm, struct vs_ofperr *e)
{
	struct vs_group_spec *s = &gm->spec;
	size_t off = GM_FIXED;
	int rc;

	memset(gm, 0,
	       offsetof(struct vs_ofp_group_mod, spec) + offsetof(struct vs_group_spec, buckets));
	if (len < GM_FIXED || vs_ofp_get16(msg + 2) != len)
		return vs_ofperr_set(e, -EPROTO, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
				     "group_mod of %zu bytes", len);
	gm->command = vs_ofp_get16(msg + 8);
	s->type = msg[10];
	s->id = vs_ofp_get32(msg + 12);
	s->origin = VS_ORIGIN_CONTROLLER;
	if (gm->command > OFPGC_DELETE)
		return gmfc(e, OFPGMFC_BAD_COMMAND, "unknown command");
	if (gm->command == OFPGC_DELETE)
		return s->id <= OFPG_MAX || s->id == OFPG_ALL
			       ? 0
			       : gmfc(e, OFPGMFC_INVALID_GROUP, "no group has this id");
	if (s->id > OFPG_MAX)
		return gmfc(e, OFPGMFC_INVALID_GROUP, "group id above OFPG_MAX");
	if (s->type > OFPGT_FF)
		return gmfc(e, OFPGMFC_BAD_TYPE, "unknown group type");
	while (off < len) {
		size_t blen;

		if (len - off < BK_FIXED)
			return gmfc(e, OFPGMFC_BAD_BUCKET, "a bucket is cut short");
		blen = vs_ofp_get16(msg + off);
		if (blen < BK_FIXED || blen % 8 || blen > len - off)
			return gmfc(e, OFPGMFC_BAD_BUCKET, "a bucket's length is wrong");
		if (s->n_buckets >= VS_GROUP_BUCKETS_MAX)
			return gmfc(e, OFPGMFC_OUT_OF_BUCKETS, "more than 64 buckets");
		rc = bucket_decode(msg + off, blen, s->type, ports, &s->buckets[s->n_buckets], e);
		if (rc < 0)
			return rc;
		s->n_buckets++;
		off += blen;
	}
	if (s->type == OFPGT_INDIRECT && s->n_buckets != 1)
		return gmfc(e, OFPGMFC_INVALID_GROUP, "an indirect group has exactly one bucket");
	return 0;
}

/* ---- encoding ---- */

int
vs_ofp_buckets_encode(struct vs_ofpbuf *b, const struct vs_bucket_spec *bk, uint16_t n,
		      const struct vs_ofp_ports *ports)
{
	/* A bucket has no match: a port rewrite goes as TCP's field. */
	struct vs_ofp_acts_in in = {.ctx = VS_OFP_ACTS_GROUP, .ports = ports};
	uint16_t i;
	size_t start;
	uint8_t *p;
	uint32_t ofport;
	int rc;

	for (i = 0; i < n; i++) {
		start = b->len;
		if ((p = vs_ofpbuf_put(b, NULL, BK_FIXED)) == NULL)
			return -ENOMEM;
		vs_ofp_put16(p + 2, bk[i].weight);
		ofport = OFPP_ANY;
		if (bk[i].watch_port != VS_PORT_NONE &&
		    (ports == NULL || ports->to_ofport == NULL ||
		     ports->to_ofport(ports->ctx, bk[i].watch_port, &ofport) != 0))
			return -EINVAL;
		vs_ofp_put32(p + 4, ofport);
		vs_ofp_put32(p + 8, bk[i].watch_group);
		if ((rc = vs_ofp_actions_encode(b, bk[i].actions, bk[i].n_actions, &in)) < 0)
			return rc;
		if (b->len - start > UINT16_MAX)
			return -EINVAL;
		vs_ofp_put16(b->data + start, (uint16_t)(b->len - start));
	}
	return 0;
}
