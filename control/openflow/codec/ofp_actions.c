/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/codec/ofp_actions.c: OpenFlow 1.3 actions and instructions to
 * struct vs_action lists. Every length is checked before it is read; the
 * instructions come out in the order the spec runs them (apply, clear,
 * write, write-metadata, goto), whatever their order on the wire. */
#include <errno.h>
#include <string.h>

#include "ofp_codec.h"

static int
bac(struct vs_ofperr *e, uint16_t code, const char *why)
{
	return vs_ofperr_set(e, -EINVAL, OFPET_BAD_ACTION, code, "action: %s", why);
}

static int
bic(struct vs_ofperr *e, uint16_t code, const char *why)
{
	return vs_ofperr_set(e, -EINVAL, OFPET_BAD_INSTRUCTION, code, "instruction: %s", why);
}

static int
output(uint32_t port, uint16_t max_len, const struct vs_ofp_acts_in *in, struct vs_action *a,
       struct vs_ofperr *e)
{
	switch (port) {
	case OFPP_IN_PORT:
		a->type = VS_ACT_IN_PORT;
		return 0;
	case OFPP_NORMAL:
		a->type = VS_ACT_NORMAL;
		return 0;
	case OFPP_FLOOD:
		a->type = VS_ACT_FLOOD;
		return 0;
	case OFPP_ALL:
		a->type = VS_ACT_ALL;
		return 0;
	case OFPP_LOCAL:
		a->type = VS_ACT_LOCAL;
		return 0;
	case OFPP_CONTROLLER:
		a->type = VS_ACT_CONTROLLER;
		a->u16 = max_len;
		a->u8 = OFPR_ACTION;
		return 0;
	case OFPP_TABLE:
		if (in->ctx != VS_OFP_ACTS_PACKET_OUT)
			return bac(e, OFPBAC_BAD_OUT_PORT,
				   "output:TABLE is only valid in a packet-out");
		a->type = VS_ACT_RESUBMIT;
		a->u8 = 0;
		a->u16 = VS_PORT_NONE;
		return 0;
	case OFPP_ANY:
		return bac(e, OFPBAC_BAD_OUT_PORT, "output:ANY is not a port");
	}
	if (port > OFPP_MAX || in->ports == NULL || in->ports->to_id == NULL ||
	    in->ports->to_id(in->ports->ctx, port, &a->port) != 0)
		return vs_ofperr_set(e, -EINVAL, OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT,
				     "output:%u: the bridge has no such port", port);
	a->type = VS_ACT_OUTPUT;
	return 0;
}

/* set_field: one OXM without a mask, padded to 8. */
static int
set_field(const uint8_t *p, size_t len, struct vs_action *a, struct vs_ofperr *e)
{
	uint32_t h;
	unsigned int f, plen;
	const uint8_t *v;

	if (len < 8)
		return bac(e, OFPBAC_BAD_SET_LEN, "set_field is cut short");
	h = vs_ofp_get32(p + 4);
	plen = VS_OXM_LENGTH(h);
	f = VS_OXM_FIELD(h);
	v = p + 8;
	if (8 + plen > len)
		return bac(e, OFPBAC_BAD_SET_LEN, "set_field's OXM runs past the action");
	if (VS_OXM_CLASS(h) != OFPXMC_OPENFLOW_BASIC)
		return bac(e, OFPBAC_BAD_SET_TYPE, "set_field of a non-basic field");
	if (VS_OXM_HASMASK(h))
		return bac(e, OFPBAC_BAD_SET_ARGUMENT, "set_field takes no mask");
#define NEED(n)                                                                       \
	do {                                                                          \
		if (plen != (n))                                                      \
			return bac(e, OFPBAC_BAD_SET_LEN, "set_field: wrong length"); \
	} while (0)
	switch (f) {
	case OFPXMT_OFB_ETH_SRC:
	case OFPXMT_OFB_ETH_DST:
		NEED(6);
		a->type = f == OFPXMT_OFB_ETH_SRC ? VS_ACT_SET_DL_SRC : VS_ACT_SET_DL_DST;
		memcpy(a->mac.addr_bytes, v, 6);
		return 0;
	case OFPXMT_OFB_VLAN_VID:
		NEED(2);
		if (!(vs_ofp_get16(v) & OFPVID_PRESENT) || vs_ofp_get16(v) > 0x1fff)
			return bac(e, OFPBAC_BAD_SET_ARGUMENT, "set vlan_vid needs OFPVID_PRESENT");
		a->type = VS_ACT_SET_VLAN_VID;
		a->u16 = vs_ofp_get16(v) & VS_VLAN_VID_MASK;
		return 0;
	case OFPXMT_OFB_VLAN_PCP:
		NEED(1);
		if (v[0] > 7)
			return bac(e, OFPBAC_BAD_SET_ARGUMENT, "vlan_pcp is 0-7");
		a->type = VS_ACT_SET_VLAN_PCP;
		a->u8 = v[0];
		return 0;
	case OFPXMT_OFB_IP_DSCP:
		NEED(1);
		if (v[0] > 63)
			return bac(e, OFPBAC_BAD_SET_ARGUMENT, "ip_dscp is 0-63");
		a->type = VS_ACT_SET_NW_TOS;
		a->u8 = v[0] << 2;
		return 0;
	case OFPXMT_OFB_IP_ECN:
		NEED(1);
		if (v[0] > 3)
			return bac(e, OFPBAC_BAD_SET_ARGUMENT, "ip_ecn is 0-3");
		a->type = VS_ACT_SET_NW_ECN;
		a->u8 = v[0];
		return 0;
	case OFPXMT_OFB_IPV4_SRC:
	case OFPXMT_OFB_IPV4_DST:
		NEED(4);
		a->type = f == OFPXMT_OFB_IPV4_SRC ? VS_ACT_SET_NW_SRC : VS_ACT_SET_NW_DST;
		memcpy(&a->u32, v, 4); /* network order */
		return 0;
	case OFPXMT_OFB_IPV6_SRC:
	case OFPXMT_OFB_IPV6_DST:
		NEED(16);
		a->type = f == OFPXMT_OFB_IPV6_SRC ? VS_ACT_SET_IPV6_SRC : VS_ACT_SET_IPV6_DST;
		memcpy(a->ip6, v, 16);
		return 0;
	case OFPXMT_OFB_TCP_SRC:
	case OFPXMT_OFB_UDP_SRC:
	case OFPXMT_OFB_SCTP_SRC:
	case OFPXMT_OFB_TCP_DST:
	case OFPXMT_OFB_UDP_DST:
	case OFPXMT_OFB_SCTP_DST:
		NEED(2);
		a->type = (f - OFPXMT_OFB_TCP_SRC) % 2 == 0 ? VS_ACT_SET_TP_SRC : VS_ACT_SET_TP_DST;
		a->u16 = vs_ofp_get16(v);
		return 0;
	case OFPXMT_OFB_METADATA:
		NEED(8);
		a->type = VS_ACT_WRITE_METADATA;
		a->u64 = vs_ofp_get64(v);
		a->mask64 = UINT64_MAX;
		return 0;
	}
#undef NEED
	return vs_ofperr_set(e, -ENOTSUP, OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE,
			     "set_field of OXM field %u is not supported by vswitch", f);
}

static int
experimenter(const uint8_t *p, size_t len, struct vs_action *a, struct vs_ofperr *e)
{
	uint16_t sub;

	if (len < 10)
		return bac(e, OFPBAC_BAD_LEN, "experimenter action is cut short");
	if (vs_ofp_get32(p + 4) != NX_EXPERIMENTER_ID)
		return vs_ofperr_set(e, -ENOTSUP, OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER,
				     "experimenter 0x%08x: only Nicira resubmit is supported",
				     vs_ofp_get32(p + 4));
	sub = vs_ofp_get16(p + 8);
	if (sub != NXAST_RESUBMIT && sub != NXAST_RESUBMIT_TABLE && sub != NXAST_CONTROLLER)
		return vs_ofperr_set(e, -ENOTSUP, OFPET_BAD_ACTION, OFPBAC_BAD_EXP_TYPE,
				     "Nicira action %u: only resubmit and controller are supported",
				     sub);
	if (len != 16)
		return bac(e, OFPBAC_BAD_LEN, "this Nicira action is 16 bytes");
	if (sub == NXAST_CONTROLLER) {
		/* max_len, controller_id (only 0: every controller), reason. */
		if (vs_ofp_get16(p + 12) != 0 || p[14] > OFPR_INVALID_TTL)
			return bac(e, OFPBAC_BAD_ARGUMENT,
				   "controller: only id 0 and reasons no_match, action, "
				   "invalid_ttl");
		a->type = VS_ACT_CONTROLLER;
		a->u16 = vs_ofp_get16(p + 10);
		a->u8 = p[14];
		return 0;
	}
	if (vs_ofp_get16(p + 10) != OFPP10_IN_PORT)
		return bac(e, OFPBAC_BAD_ARGUMENT, "resubmit from another port is not supported");
	if (sub == NXAST_RESUBMIT || p[12] == 0xff || p[12] >= VS_TABLES)
		return bac(e, OFPBAC_BAD_ARGUMENT, "resubmit needs a table (resubmit(,N))");
	a->type = VS_ACT_RESUBMIT;
	a->u8 = p[12];
	a->u16 = VS_PORT_NONE;
	return 0;
}

int
vs_ofp_actions_decode(const uint8_t *p, size_t len, const struct vs_ofp_acts_in *in, uint8_t flags,
		      struct vs_action *acts, uint16_t *n, struct vs_ofperr *e)
{
	size_t off = 0;
	int rc;

	while (off < len) {
		uint16_t type, alen;
		const uint8_t *q = p + off;
		struct vs_action *a;

		if (len - off < 8)
			return bac(e, OFPBAC_BAD_LEN, "an action header is cut short");
		type = vs_ofp_get16(q);
		alen = vs_ofp_get16(q + 2);
		if (alen < 8 || alen % 8 || alen > len - off)
			return bac(e, OFPBAC_BAD_LEN, "an action's length is wrong");
		off += alen;
		if (*n >= VS_ACTIONS_MAX)
			return bac(e, OFPBAC_TOO_MANY, "more actions than vswitch holds (32)");
		a = &acts[*n];
		memset(a, 0, sizeof(*a));
		a->flags = flags;
		switch (type) {
		case OFPAT_OUTPUT:
			if (alen != 16)
				return bac(e, OFPBAC_BAD_LEN, "output is 16 bytes");
			rc = output(vs_ofp_get32(q + 4), vs_ofp_get16(q + 8), in, a, e);
			break;
		case OFPAT_GROUP:
			if (alen != 8)
				return bac(e, OFPBAC_BAD_LEN, "group is 8 bytes");
			if (vs_ofp_get32(q + 4) > OFPG_MAX)
				return bac(e, OFPBAC_BAD_OUT_GROUP, "group id above OFPG_MAX");
			a->type = VS_ACT_GROUP;
			a->u32 = vs_ofp_get32(q + 4);
			rc = 0;
			break;
		case OFPAT_PUSH_VLAN:
			if (alen != 8)
				return bac(e, OFPBAC_BAD_LEN, "push_vlan is 8 bytes");
			a->u16 = vs_ofp_get16(q + 4);
			if (a->u16 != 0x8100 && a->u16 != 0x88a8)
				return bac(e, OFPBAC_BAD_ARGUMENT,
					   "push_vlan: TPID 0x8100 or 0x88a8");
			a->type = VS_ACT_PUSH_VLAN;
			rc = 0;
			break;
		case OFPAT_POP_VLAN:
		case OFPAT_DEC_NW_TTL:
			if (alen != 8)
				return bac(e, OFPBAC_BAD_LEN, "this action is 8 bytes");
			a->type = type == OFPAT_POP_VLAN ? VS_ACT_STRIP_VLAN : VS_ACT_DEC_TTL;
			rc = 0;
			break;
		case OFPAT_SET_NW_TTL:
			if (alen != 8)
				return bac(e, OFPBAC_BAD_LEN, "set_nw_ttl is 8 bytes");
			a->type = VS_ACT_SET_NW_TTL;
			a->u8 = q[4];
			rc = 0;
			break;
		case OFPAT_SET_FIELD:
			rc = set_field(q, alen, a, e);
			break;
		case OFPAT_EXPERIMENTER:
			rc = experimenter(q, alen, a, e);
			break;
		default:
			return vs_ofperr_set(e, -ENOTSUP, OFPET_BAD_ACTION, OFPBAC_BAD_TYPE,
					     "action type %u is not supported by vswitch", type);
		}
		if (rc < 0)
			return rc;
		(*n)++;
	}
	return 0;
}

int
vs_ofp_instructions_decode(const uint8_t *p, size_t len, const struct vs_ofp_acts_in *in,
			   struct vs_action *a, uint16_t *n, struct vs_ofperr *e)
{
	const uint8_t *apply = NULL, *write = NULL;
	size_t apply_len = 0, write_len = 0, off = 0;
	bool clear = false, meta = false, go = false;
	uint64_t mv = 0, mm = 0;
	uint8_t table = 0;
	unsigned int seen = 0;
	int rc;

	while (off < len) {
		const uint8_t *q = p + off;
		uint16_t type, ilen;

		if (len - off < 4)
			return bic(e, OFPBIC_BAD_LEN, "an instruction header is cut short");
		type = vs_ofp_get16(q);
		ilen = vs_ofp_get16(q + 2);
		if (ilen < 8 || ilen % 8 || ilen > len - off)
			return bic(e, OFPBIC_BAD_LEN, "an instruction's length is wrong");
		off += ilen;
		if (type == OFPIT_EXPERIMENTER)
			return vs_ofperr_set(
				e, -ENOTSUP, OFPET_BAD_INSTRUCTION, OFPBIC_BAD_EXPERIMENTER,
				"experimenter instructions are not supported by vswitch");
		if (type < OFPIT_GOTO_TABLE || type > OFPIT_METER)
			return vs_ofperr_set(e, -ENOTSUP, OFPET_BAD_INSTRUCTION,
					     OFPBIC_UNKNOWN_INST, "instruction type %u is unknown",
					     type);
		if (type == OFPIT_METER)
			return vs_ofperr_set(e, -ENOTSUP, OFPET_BAD_INSTRUCTION, OFPBIC_UNSUP_INST,
					     "meters are not supported by vswitch");
		if (seen & (1u << type))
			return bic(e, OFPBIC_UNSUP_INST, "the same instruction twice");
		seen |= 1u << type;
		switch (type) {
		case OFPIT_GOTO_TABLE:
			if (ilen != 8)
				return bic(e, OFPBIC_BAD_LEN, "goto_table is 8 bytes");
			table = q[4];
			if (table <= in->table_id || table >= VS_TABLES)
				return bic(e, OFPBIC_BAD_TABLE_ID,
					   "goto_table must go to a later table that exists");
			go = true;
			break;
		case OFPIT_WRITE_METADATA:
			if (ilen != 24)
				return bic(e, OFPBIC_BAD_LEN, "write_metadata is 24 bytes");
			mv = vs_ofp_get64(q + 8);
			mm = vs_ofp_get64(q + 16);
			meta = true;
			break;
		case OFPIT_WRITE_ACTIONS:
		case OFPIT_APPLY_ACTIONS:
			if (type == OFPIT_APPLY_ACTIONS)
				apply = q + 8, apply_len = ilen - 8u;
			else
				write = q + 8, write_len = ilen - 8u;
			break;
		case OFPIT_CLEAR_ACTIONS:
			if (ilen != 8)
				return bic(e, OFPBIC_BAD_LEN, "clear_actions is 8 bytes");
			clear = true;
			break;
		}
	}
	*n = 0;
	if (apply != NULL && (rc = vs_ofp_actions_decode(apply, apply_len, in, 0, a, n, e)) < 0)
		return rc;
	if (clear) {
		if (*n >= VS_ACTIONS_MAX)
			return bac(e, OFPBAC_TOO_MANY, "more actions than vswitch holds (32)");
		memset(&a[*n], 0, sizeof(a[0]));
		a[(*n)++].type = VS_ACT_CLEAR_ACTIONS;
	}
	if (write != NULL &&
	    (rc = vs_ofp_actions_decode(write, write_len, in, VS_AF_WRITE, a, n, e)) < 0)
		return rc;
	if (meta || go) {
		if (*n + meta + go > VS_ACTIONS_MAX)
			return bac(e, OFPBAC_TOO_MANY, "more actions than vswitch holds (32)");
	}
	if (meta) {
		memset(&a[*n], 0, sizeof(a[0]));
		a[*n].type = VS_ACT_WRITE_METADATA;
		a[*n].u64 = mv & mm;
		a[*n].mask64 = mm;
		(*n)++;
	}
	if (go) {
		memset(&a[*n], 0, sizeof(a[0]));
		a[*n].type = VS_ACT_GOTO_TABLE;
		a[*n].u8 = table;
		(*n)++;
	}
	return 0;
}
