/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/codec/ofp_actions_enc.c: struct vs_action lists back to
 * OpenFlow 1.3 actions and instructions, the inverse of ofp_actions.c (flow
 * statistics and whatever else tells a controller what a rule does). The
 * list is cut as the decoder builds it: apply-actions, clear, the
 * VS_AF_WRITE actions, write-metadata, goto_table; the actions come out in
 * the bytes Open vSwitch sends for them, so that what ovs-ofctl reads back
 * is what it wrote. */
#include <errno.h>
#include <string.h>

#include "ofp_codec.h"

static int
put_act(struct vs_ofpbuf *b, uint16_t type, uint16_t len, uint8_t **p)
{
	*p = vs_ofpbuf_put(b, NULL, len);
	if (*p == NULL)
		return -ENOMEM;
	vs_ofp_put16(*p, type);
	vs_ofp_put16(*p + 2, len);
	return 0;
}

static int
put_output(struct vs_ofpbuf *b, uint32_t port, uint16_t max_len)
{
	uint8_t *p;

	if (put_act(b, OFPAT_OUTPUT, 16, &p) < 0)
		return -ENOMEM;
	vs_ofp_put32(p + 4, port);
	vs_ofp_put16(p + 8, max_len);
	return 0;
}

/* set_field with one OXM of 'n' bytes at 'v', padded to 8. */
static int
put_set_field(struct vs_ofpbuf *b, unsigned int field, const void *v, unsigned int n)
{
	uint8_t *p;

	if (put_act(b, OFPAT_SET_FIELD, (uint16_t)((8 + n + 7) / 8 * 8), &p) < 0)
		return -ENOMEM;
	vs_ofp_put32(p + 4, VS_OXM_HEADER(OFPXMC_OPENFLOW_BASIC, field, 0, n));
	memcpy(p + 8, v, n);
	return 0;
}

static int
put_u8_field(struct vs_ofpbuf *b, unsigned int field, uint8_t v)
{
	return put_set_field(b, field, &v, 1);
}

static int
put_u16_field(struct vs_ofpbuf *b, unsigned int field, uint16_t v)
{
	uint8_t w[2];

	vs_ofp_put16(w, v);
	return put_set_field(b, field, w, 2);
}

/* tcp_src, udp_src or sctp_src (dst: + 1) by the rule's IP protocol: the
 * switch's action does not say which, OXM does. Without a match (a group
 * bucket) TCP's: the switch's action rewrites the port whatever the
 * protocol, and decoding any of the three gives it back. */
static int
tp_field(const struct vs_ofp_acts_in *in, bool dst, unsigned int *field)
{
	const struct vs_flow_match *m = in->match;

	if (m == NULL && in->ctx == VS_OFP_ACTS_GROUP) {
		*field = OFPXMT_OFB_TCP_SRC + dst;
		return 0;
	}
	if (m == NULL || m->mask.nw_proto != 0xff)
		return -EINVAL;
	switch (m->key.nw_proto) {
	case 6:
		*field = OFPXMT_OFB_TCP_SRC;
		break;
	case 17:
		*field = OFPXMT_OFB_UDP_SRC;
		break;
	case 132:
		*field = OFPXMT_OFB_SCTP_SRC;
		break;
	default:
		return -EINVAL;
	}
	*field += dst;
	return 0;
}

/* Nicira resubmit(PORT,TABLE), as OVS encodes it: NXAST_RESUBMIT_TABLE
 * with an OpenFlow 1.0 port number (0xfff8: the packet's own). */
static int
put_resubmit(struct vs_ofpbuf *b, const struct vs_action *a, const struct vs_ofp_acts_in *in)
{
	uint32_t port = OFPP10_IN_PORT;
	uint8_t *p;

	if (a->u16 != VS_PORT_NONE &&
	    (in->ports == NULL || in->ports->to_ofport == NULL ||
	     in->ports->to_ofport(in->ports->ctx, a->u16, &port) != 0 || port >= OFPP10_MAX))
		return -EINVAL;
	if (put_act(b, OFPAT_EXPERIMENTER, 16, &p) < 0)
		return -ENOMEM;
	vs_ofp_put32(p + 4, NX_EXPERIMENTER_ID);
	vs_ofp_put16(p + 8, NXAST_RESUBMIT_TABLE);
	vs_ofp_put16(p + 10, (uint16_t)port);
	p[12] = a->u8;
	return 0;
}

/* The actions that read or send the packet as it is. */
static int
encode_output(struct vs_ofpbuf *b, const struct vs_action *a, const struct vs_ofp_acts_in *in)
{
	uint32_t port;
	uint8_t *p;

	switch (a->type) {
	case VS_ACT_OUTPUT:
		if (in->ports == NULL || in->ports->to_ofport == NULL ||
		    in->ports->to_ofport(in->ports->ctx, a->port, &port) != 0)
			return -EINVAL;
		return put_output(b, port, 0);
	case VS_ACT_IN_PORT:
		return put_output(b, OFPP_IN_PORT, 0);
	case VS_ACT_NORMAL:
		return put_output(b, OFPP_NORMAL, 0);
	case VS_ACT_FLOOD:
		return put_output(b, OFPP_FLOOD, 0);
	case VS_ACT_ALL:
		return put_output(b, OFPP_ALL, 0);
	case VS_ACT_LOCAL:
		return put_output(b, OFPP_LOCAL, 0);
	case VS_ACT_CONTROLLER:
		/* 1.3's output:CONTROLLER always says "action"; another reason
		 * goes as OVS sends it, Nicira's controller action. */
		if (a->u8 == OFPR_ACTION)
			return put_output(b, OFPP_CONTROLLER, a->u16);
		if (put_act(b, OFPAT_EXPERIMENTER, 16, &p) < 0)
			return -ENOMEM;
		vs_ofp_put32(p + 4, NX_EXPERIMENTER_ID);
		vs_ofp_put16(p + 8, NXAST_CONTROLLER);
		vs_ofp_put16(p + 10, a->u16);
		p[14] = a->u8;
		return 0;
	case VS_ACT_GROUP:
		if (put_act(b, OFPAT_GROUP, 8, &p) < 0)
			return -ENOMEM;
		vs_ofp_put32(p + 4, a->u32);
		return 0;
	case VS_ACT_RESUBMIT:
		/* A packet-out's output:TABLE is decoded as this. */
		if (in->ctx == VS_OFP_ACTS_PACKET_OUT && a->u8 == 0 && a->u16 == VS_PORT_NONE)
			return put_output(b, OFPP_TABLE, 0);
		return put_resubmit(b, a, in);
	}
	return -EINVAL;
}

static int
encode_modify(struct vs_ofpbuf *b, const struct vs_action *a, const struct vs_ofp_acts_in *in)
{
	unsigned int field;
	uint8_t *p;

	switch (a->type) {
	case VS_ACT_SET_VLAN_VID:
		return put_u16_field(b, OFPXMT_OFB_VLAN_VID, OFPVID_PRESENT | a->u16);
	case VS_ACT_SET_VLAN_PCP:
		return put_u8_field(b, OFPXMT_OFB_VLAN_PCP, a->u8);
	case VS_ACT_STRIP_VLAN:
	case VS_ACT_DEC_TTL:
		return put_act(b, a->type == VS_ACT_STRIP_VLAN ? OFPAT_POP_VLAN : OFPAT_DEC_NW_TTL,
			       8, &p);
	case VS_ACT_PUSH_VLAN:
		if (put_act(b, OFPAT_PUSH_VLAN, 8, &p) < 0)
			return -ENOMEM;
		vs_ofp_put16(p + 4, a->u16);
		return 0;
	case VS_ACT_SET_NW_TTL:
		if (put_act(b, OFPAT_SET_NW_TTL, 8, &p) < 0)
			return -ENOMEM;
		p[4] = a->u8;
		return 0;
	case VS_ACT_SET_DL_SRC:
	case VS_ACT_SET_DL_DST:
		return put_set_field(
			b, a->type == VS_ACT_SET_DL_SRC ? OFPXMT_OFB_ETH_SRC : OFPXMT_OFB_ETH_DST,
			a->mac.addr_bytes, 6);
	case VS_ACT_SET_NW_SRC:
	case VS_ACT_SET_NW_DST:
		return put_set_field(
			b, a->type == VS_ACT_SET_NW_SRC ? OFPXMT_OFB_IPV4_SRC : OFPXMT_OFB_IPV4_DST,
			&a->u32, 4);
	case VS_ACT_SET_IPV6_SRC:
	case VS_ACT_SET_IPV6_DST:
		return put_set_field(b,
				     a->type == VS_ACT_SET_IPV6_SRC ? OFPXMT_OFB_IPV6_SRC
								    : OFPXMT_OFB_IPV6_DST,
				     a->ip6, 16);
	case VS_ACT_SET_NW_TOS:
		/* ip_dscp: the ECN bits are not the action's to set. */
		if (a->u8 & 3)
			return -EINVAL;
		return put_u8_field(b, OFPXMT_OFB_IP_DSCP, a->u8 >> 2);
	case VS_ACT_SET_NW_ECN:
		return put_u8_field(b, OFPXMT_OFB_IP_ECN, a->u8);
	case VS_ACT_SET_TP_SRC:
	case VS_ACT_SET_TP_DST:
		if (tp_field(in, a->type == VS_ACT_SET_TP_DST, &field) < 0)
			return -EINVAL;
		return put_u16_field(b, field, a->u16);
	case VS_ACT_WRITE_METADATA: {
		uint8_t w[8];

		/* set_field:metadata has no mask in 1.3. */
		if (a->mask64 != UINT64_MAX)
			return -EINVAL;
		vs_ofp_put64(w, a->u64);
		return put_set_field(b, OFPXMT_OFB_METADATA, w, 8);
	}
	}
	return -EINVAL;
}

int
vs_ofp_actions_encode(struct vs_ofpbuf *b, const struct vs_action *a, uint16_t n,
		      const struct vs_ofp_acts_in *in)
{
	size_t start = b->len;
	uint16_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (a[i].type == VS_ACT_DROP)
			break; /* OpenFlow says it by ending the list */
		if (a[i].type == VS_ACT_GOTO_TABLE || a[i].type == VS_ACT_CLEAR_ACTIONS)
			rc = -EINVAL; /* instructions, not actions */
		else if (vs_act_modifies(a[i].type) || a[i].type == VS_ACT_WRITE_METADATA)
			rc = encode_modify(b, &a[i], in);
		else
			rc = encode_output(b, &a[i], in);
		if (rc < 0) {
			b->len = start;
			return rc;
		}
	}
	return 0;
}

/* An apply- or write-actions instruction of a[0..n), if n > 0. */
static int
put_actions_inst(struct vs_ofpbuf *b, uint16_t type, const struct vs_action *a, uint16_t n,
		 const struct vs_ofp_acts_in *in)
{
	size_t at = b->len;
	uint8_t *p;
	int rc;

	if (n == 0)
		return 0;
	if (put_act(b, type, 8, &p) < 0)
		return -ENOMEM;
	if ((rc = vs_ofp_actions_encode(b, a, n, in)) < 0)
		return rc;
	if (b->len - at > UINT16_MAX)
		return -EINVAL;
	vs_ofp_put16(b->data + at + 2, (uint16_t)(b->len - at));
	return 0;
}

/* The list cut into the decoder's parts, from the end. */
struct inst_parts {
	uint16_t n_apply, write_at, n_write;
	bool clear;
	const struct vs_action *meta, *go;
};

static int
split(const struct vs_action *a, uint16_t n, struct inst_parts *ip)
{
	uint16_t i;

	memset(ip, 0, sizeof(*ip));
	if (n > 0 && a[n - 1].type == VS_ACT_GOTO_TABLE)
		ip->go = &a[--n];
	if (n > 0 && a[n - 1].type == VS_ACT_WRITE_METADATA && !(a[n - 1].flags & VS_AF_WRITE))
		ip->meta = &a[--n];
	while (n > 0 && (a[n - 1].flags & VS_AF_WRITE))
		n--, ip->n_write++;
	ip->write_at = n;
	if (n > 0 && a[n - 1].type == VS_ACT_CLEAR_ACTIONS)
		ip->clear = true, n--;
	ip->n_apply = n;
	for (i = 0; i < n; i++)
		if (a[i].type == VS_ACT_GOTO_TABLE || a[i].type == VS_ACT_CLEAR_ACTIONS ||
		    (a[i].flags & VS_AF_WRITE))
			return -EINVAL; /* an order no set of instructions gives */
	for (i = ip->write_at; i < ip->write_at + ip->n_write; i++)
		if (a[i].type == VS_ACT_GOTO_TABLE || a[i].type == VS_ACT_CLEAR_ACTIONS)
			return -EINVAL;
	return 0;
}

int
vs_ofp_instructions_encode(struct vs_ofpbuf *b, const struct vs_action *a, uint16_t n,
			   const struct vs_ofp_acts_in *in)
{
	size_t start = b->len;
	struct inst_parts ip;
	uint8_t *p;
	int rc;

	if (split(a, n, &ip) < 0)
		return -EINVAL;
	if ((rc = put_actions_inst(b, OFPIT_APPLY_ACTIONS, a, ip.n_apply, in)) < 0)
		goto err;
	if (ip.clear && (rc = put_act(b, OFPIT_CLEAR_ACTIONS, 8, &p)) < 0)
		goto err;
	rc = put_actions_inst(b, OFPIT_WRITE_ACTIONS, a + ip.write_at, ip.n_write, in);
	if (rc < 0)
		goto err;
	if (ip.meta != NULL) {
		if ((rc = put_act(b, OFPIT_WRITE_METADATA, 24, &p)) < 0)
			goto err;
		vs_ofp_put64(p + 8, ip.meta->u64);
		vs_ofp_put64(p + 16, ip.meta->mask64);
	}
	if (ip.go != NULL) {
		if ((rc = put_act(b, OFPIT_GOTO_TABLE, 8, &p)) < 0)
			goto err;
		p[4] = ip.go->u8;
	}
	return 0;
err:
	b->len = start;
	return rc;
}
