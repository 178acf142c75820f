/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/codec/ofp_match.c: struct ofp_match (OXM TLVs) to and from
 * struct vs_flow_match. The decoder reads nothing past what it was given
 * and checks every TLV before it lands in the key; prerequisites are
 * checked once all TLVs are in, since the spec lets them come in any
 * order. */
#include <errno.h>
#include <string.h>

#include "ofp_codec.h"

#define ETH_IP4     0x0800
#define ETH_ARP     0x0806
#define ETH_IP6     0x86dd
#define PROTO_ICMP  1
#define PROTO_TCP   6
#define PROTO_UDP   17
#define PROTO_ICMP6 58
#define PROTO_SCTP  132

/* A field the switch has: its value's size, whether it takes a mask. */
struct oxm_field {
	uint8_t size; /* 0: the switch does not have it */
	bool maskable;
};

static const struct oxm_field fields[OFPXMT_OFB_COUNT] = {
	[OFPXMT_OFB_IN_PORT] = {4, false},
	[OFPXMT_OFB_METADATA] = {8, true},
	[OFPXMT_OFB_ETH_DST] = {6, true},
	[OFPXMT_OFB_ETH_SRC] = {6, true},
	[OFPXMT_OFB_ETH_TYPE] = {2, false},
	[OFPXMT_OFB_VLAN_VID] = {2, true},
	[OFPXMT_OFB_VLAN_PCP] = {1, false},
	[OFPXMT_OFB_IP_DSCP] = {1, false},
	[OFPXMT_OFB_IP_ECN] = {1, false},
	[OFPXMT_OFB_IP_PROTO] = {1, false},
	[OFPXMT_OFB_IPV4_SRC] = {4, true},
	[OFPXMT_OFB_IPV4_DST] = {4, true},
	/* Ports take a mask in OVS (as an extension to 1.3); ovs-ofctl sends them. */
	[OFPXMT_OFB_TCP_SRC] = {2, true},
	[OFPXMT_OFB_TCP_DST] = {2, true},
	[OFPXMT_OFB_UDP_SRC] = {2, true},
	[OFPXMT_OFB_UDP_DST] = {2, true},
	[OFPXMT_OFB_SCTP_SRC] = {2, true},
	[OFPXMT_OFB_SCTP_DST] = {2, true},
	[OFPXMT_OFB_ICMPV4_TYPE] = {1, false},
	[OFPXMT_OFB_ICMPV4_CODE] = {1, false},
	[OFPXMT_OFB_ARP_OP] = {2, false},
	[OFPXMT_OFB_ARP_SPA] = {4, true},
	[OFPXMT_OFB_ARP_TPA] = {4, true},
	[OFPXMT_OFB_IPV6_SRC] = {16, true},
	[OFPXMT_OFB_IPV6_DST] = {16, true},
	[OFPXMT_OFB_ICMPV6_TYPE] = {1, false},
	[OFPXMT_OFB_ICMPV6_CODE] = {1, false},
};

static int
bad(struct vs_ofperr *e, uint16_t code, unsigned int field, const char *why)
{
	return vs_ofperr_set(e, -EINVAL, OFPET_BAD_MATCH, code, "OXM field %u: %s", field, why);
}

/* Does value have bits outside mask? */
static bool
outside(const uint8_t *v, const uint8_t *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] & ~m[i])
			return true;
	return false;
}

/* Put one checked TLV into the match. */
static int
put_field(unsigned int f, const uint8_t *v, const uint8_t *msk, const struct vs_ofp_ports *ports,
	  struct vs_flow_match *m, struct vs_ofperr *e)
{
	struct vs_flow_key *k = &m->key, *mm = &m->mask;
	uint8_t ones[16];
	bool hm = msk != NULL;
	uint16_t x, xm;

	memset(ones, 0xff, sizeof(ones));
	if (msk == NULL)
		msk = ones;
	switch (f) {
	case OFPXMT_OFB_IN_PORT: {
		uint32_t ofport = vs_ofp_get32(v);
		uint16_t id;

		if (ofport > OFPP_MAX && ofport != OFPP_LOCAL)
			return bad(e, OFPBMC_BAD_VALUE, f, "in_port is a reserved port");
		if (ports == NULL || ports->to_id == NULL ||
		    ports->to_id(ports->ctx, ofport, &id) != 0)
			return vs_ofperr_set(e, -EINVAL, OFPET_BAD_MATCH, OFPBMC_BAD_VALUE,
					     "in_port %u: the bridge has no such port", ofport);
		k->in_port = id;
		mm->in_port = 0xffff;
		break;
	}
	case OFPXMT_OFB_METADATA:
		k->metadata = vs_ofp_get64(v);
		mm->metadata = vs_ofp_get64(msk);
		break;
	case OFPXMT_OFB_ETH_DST:
		memcpy(&k->dl_dst, v, 6);
		memcpy(&mm->dl_dst, msk, 6);
		break;
	case OFPXMT_OFB_ETH_SRC:
		memcpy(&k->dl_src, v, 6);
		memcpy(&mm->dl_src, msk, 6);
		break;
	case OFPXMT_OFB_ETH_TYPE:
		x = vs_ofp_get16(v);
		if (x < 0x600)
			return bad(e, OFPBMC_BAD_VALUE, f, "eth_type under 0x600 is a length");
		k->dl_type = x;
		mm->dl_type = 0xffff;
		break;
	case OFPXMT_OFB_VLAN_VID:
		/* OFPVID_PRESENT is the switch's VS_VLAN_PRESENT: the same bit. */
		x = vs_ofp_get16(v);
		xm = hm ? vs_ofp_get16(msk) : 0x1fff;
		if (x > 0x1fff || (xm & ~0x1fff))
			return bad(e, OFPBMC_BAD_VALUE, f, "vlan_vid is 13 bits");
		if (xm == 0x1fff && x != OFPVID_NONE && !(x & OFPVID_PRESENT))
			return bad(e, OFPBMC_BAD_VALUE, f, "a VID without OFPVID_PRESENT");
		k->vlan_tci = (k->vlan_tci & ~0x1fff) | x;
		mm->vlan_tci = (mm->vlan_tci & ~0x1fff) | xm;
		break;
	case OFPXMT_OFB_VLAN_PCP:
		if (v[0] > 7)
			return bad(e, OFPBMC_BAD_VALUE, f, "vlan_pcp is 0-7");
		k->vlan_tci |= (uint16_t)v[0] << 13;
		mm->vlan_tci |= VS_VLAN_PCP_MASK;
		break;
	case OFPXMT_OFB_IP_DSCP:
		if (v[0] > 63)
			return bad(e, OFPBMC_BAD_VALUE, f, "ip_dscp is 0-63");
		k->nw_tos |= v[0] << 2;
		mm->nw_tos |= 0xfc;
		break;
	case OFPXMT_OFB_IP_ECN:
		if (v[0] > 3)
			return bad(e, OFPBMC_BAD_VALUE, f, "ip_ecn is 0-3");
		k->nw_tos |= v[0];
		mm->nw_tos |= 0x03;
		break;
	case OFPXMT_OFB_IP_PROTO:
		k->nw_proto = v[0];
		mm->nw_proto = 0xff;
		break;
	case OFPXMT_OFB_ARP_OP:
		x = vs_ofp_get16(v);
		if (x > 0xff)
			return bad(e, OFPBMC_BAD_VALUE, f,
				   "arp_op over 255 is not kept by the switch");
		k->nw_proto = x;
		mm->nw_proto = 0xff;
		break;
	case OFPXMT_OFB_IPV4_SRC:
	case OFPXMT_OFB_ARP_SPA:
		memcpy(k->nw_src, v, 4);
		memcpy(mm->nw_src, msk, 4);
		break;
	case OFPXMT_OFB_IPV4_DST:
	case OFPXMT_OFB_ARP_TPA:
		memcpy(k->nw_dst, v, 4);
		memcpy(mm->nw_dst, msk, 4);
		break;
	case OFPXMT_OFB_IPV6_SRC:
		memcpy(k->nw_src, v, 16);
		memcpy(mm->nw_src, msk, 16);
		break;
	case OFPXMT_OFB_IPV6_DST:
		memcpy(k->nw_dst, v, 16);
		memcpy(mm->nw_dst, msk, 16);
		break;
	case OFPXMT_OFB_TCP_SRC:
	case OFPXMT_OFB_UDP_SRC:
	case OFPXMT_OFB_SCTP_SRC:
		k->tp_src = vs_ofp_get16(v);
		mm->tp_src = vs_ofp_get16(msk);
		break;
	case OFPXMT_OFB_TCP_DST:
	case OFPXMT_OFB_UDP_DST:
	case OFPXMT_OFB_SCTP_DST:
		k->tp_dst = vs_ofp_get16(v);
		mm->tp_dst = vs_ofp_get16(msk);
		break;
	case OFPXMT_OFB_ICMPV4_TYPE:
	case OFPXMT_OFB_ICMPV6_TYPE:
		k->tp_src = v[0];
		mm->tp_src = 0xff;
		break;
	case OFPXMT_OFB_ICMPV4_CODE:
	case OFPXMT_OFB_ICMPV6_CODE:
		k->tp_dst = v[0];
		mm->tp_dst = 0xff;
		break;
	}
	return 0;
}

/* The prerequisites of the fields in 'seen' (a bit per field), against
 * what the whole match says (spec 7.2.3.6, table 11). */
static int
check_prereqs(uint64_t seen, const struct vs_flow_match *m, struct vs_ofperr *e)
{
	uint16_t et = m->mask.dl_type == 0xffff ? m->key.dl_type : 0;
	bool ip = et == ETH_IP4 || et == ETH_IP6;
	uint8_t pr = m->mask.nw_proto == 0xff && ip ? m->key.nw_proto : 0;
	unsigned int f;

	for (f = 0; f < OFPXMT_OFB_COUNT; f++) {
		bool ok = true;

		if (!(seen & (1ull << f)))
			continue;
		switch (f) {
		case OFPXMT_OFB_VLAN_PCP:
			ok = (m->mask.vlan_tci & OFPVID_PRESENT) &&
			     (m->key.vlan_tci & OFPVID_PRESENT);
			break;
		case OFPXMT_OFB_IP_DSCP:
		case OFPXMT_OFB_IP_ECN:
		case OFPXMT_OFB_IP_PROTO:
			ok = ip;
			break;
		case OFPXMT_OFB_IPV4_SRC:
		case OFPXMT_OFB_IPV4_DST:
			ok = et == ETH_IP4;
			break;
		case OFPXMT_OFB_IPV6_SRC:
		case OFPXMT_OFB_IPV6_DST:
			ok = et == ETH_IP6;
			break;
		case OFPXMT_OFB_ARP_OP:
		case OFPXMT_OFB_ARP_SPA:
		case OFPXMT_OFB_ARP_TPA:
			ok = et == ETH_ARP;
			break;
		case OFPXMT_OFB_TCP_SRC:
		case OFPXMT_OFB_TCP_DST:
			ok = pr == PROTO_TCP;
			break;
		case OFPXMT_OFB_UDP_SRC:
		case OFPXMT_OFB_UDP_DST:
			ok = pr == PROTO_UDP;
			break;
		case OFPXMT_OFB_SCTP_SRC:
		case OFPXMT_OFB_SCTP_DST:
			ok = pr == PROTO_SCTP;
			break;
		case OFPXMT_OFB_ICMPV4_TYPE:
		case OFPXMT_OFB_ICMPV4_CODE:
			ok = pr == PROTO_ICMP && et == ETH_IP4;
			break;
		case OFPXMT_OFB_ICMPV6_TYPE:
		case OFPXMT_OFB_ICMPV6_CODE:
			ok = pr == PROTO_ICMP6 && et == ETH_IP6;
			break;
		}
		if (!ok)
			return bad(e, OFPBMC_BAD_PREREQ, f, "its prerequisite is not in the match");
	}
	return 0;
}

int
vs_ofp_match_decode(const uint8_t *p, size_t avail, const struct vs_ofp_ports *ports,
		    struct vs_flow_match *m, size_t *used, struct vs_ofperr *e)
{
	uint64_t seen = 0;
	size_t len, padded, off;
	int rc;

	memset(m, 0, sizeof(*m));
	if (avail < 4)
		return vs_ofperr_set(e, -EINVAL, OFPET_BAD_MATCH, OFPBMC_BAD_LEN,
				     "the match is cut short: %zu bytes", avail);
	if (vs_ofp_get16(p) != OFPMT_OXM)
		return vs_ofperr_set(e, -EINVAL, OFPET_BAD_MATCH, OFPBMC_BAD_TYPE,
				     "match type %u: only OXM (1) is supported", vs_ofp_get16(p));
	len = vs_ofp_get16(p + 2);
	padded = (len + 7) & ~(size_t)7;
	if (len < 4 || padded > avail)
		return vs_ofperr_set(e, -EINVAL, OFPET_BAD_MATCH, OFPBMC_BAD_LEN,
				     "match length %zu does not fit in %zu bytes", len, avail);
	for (off = 4; off < len;) {
		uint32_t h;
		unsigned int f, plen, hasmask;
		const uint8_t *v;

		if (len - off < 4)
			return vs_ofperr_set(e, -EINVAL, OFPET_BAD_MATCH, OFPBMC_BAD_LEN,
					     "an OXM header is cut short");
		h = vs_ofp_get32(p + off);
		plen = VS_OXM_LENGTH(h);
		hasmask = VS_OXM_HASMASK(h);
		f = VS_OXM_FIELD(h);
		if (plen > len - off - 4)
			return vs_ofperr_set(e, -EINVAL, OFPET_BAD_MATCH, OFPBMC_BAD_LEN,
					     "OXM field %u runs past the match", f);
		v = p + off + 4;
		off += 4 + plen;
		if (VS_OXM_CLASS(h) != OFPXMC_OPENFLOW_BASIC || f >= OFPXMT_OFB_COUNT ||
		    fields[f].size == 0)
			return vs_ofperr_set(
				e, -ENOTSUP, OFPET_BAD_MATCH, OFPBMC_BAD_FIELD,
				"OXM class 0x%04x field %u is not supported by vswitch",
				VS_OXM_CLASS(h), f);
		if (plen != fields[f].size * (hasmask ? 2u : 1u))
			return bad(e, OFPBMC_BAD_LEN, f, "wrong length");
		if (hasmask && !fields[f].maskable)
			return bad(e, OFPBMC_BAD_MASK, f, "this field takes no mask");
		if (hasmask && outside(v, v + fields[f].size, fields[f].size))
			return bad(e, OFPBMC_BAD_WILDCARDS, f,
				   "the value has bits outside the mask");
		if (seen & (1ull << f))
			return bad(e, OFPBMC_DUP_FIELD, f, "given twice");
		seen |= 1ull << f;
		rc = put_field(f, v, hasmask ? v + fields[f].size : NULL, ports, m, e);
		if (rc < 0)
			return rc;
	}
	for (off = len; off < padded; off++)
		if (p[off] != 0)
			return vs_ofperr_set(e, -EINVAL, OFPET_BAD_MATCH, OFPBMC_BAD_LEN,
					     "the match's padding is not zeros");
	rc = check_prereqs(seen, m, e);
	if (rc < 0)
		return rc;
	if (used != NULL)
		*used = padded;
	return 0;
}

/* ---- encoding ------------------------------------------------------------ */

static int
put_tlv(struct vs_ofpbuf *b, unsigned int f, const void *v, const void *msk, unsigned int size)
{
	uint8_t *q = vs_ofpbuf_put(b, NULL, 4 + size * (msk ? 2 : 1));

	if (q == NULL)
		return -ENOMEM;
	vs_ofp_put32(q, VS_OXM_HEADER(OFPXMC_OPENFLOW_BASIC, f, msk != NULL, size * (msk ? 2 : 1)));
	memcpy(q + 4, v, size);
	if (msk)
		memcpy(q + 4 + size, msk, size);
	return 0;
}

static bool
all_ones(const uint8_t *m, size_t n)
{
	while (n--)
		if (*m++ != 0xff)
			return false;
	return true;
}

static bool
all_zeros(const uint8_t *m, size_t n)
{
	while (n--)
		if (*m++ != 0)
			return false;
	return true;
}

/* A field of 'size' bytes, value 'v' mask 'msk', in network order: nothing
 * if wildcarded, no mask if exact. */
static int
put_masked(struct vs_ofpbuf *b, unsigned int f, const uint8_t *v, const uint8_t *msk,
	   unsigned int size)
{
	if (all_zeros(msk, size))
		return 0;
	return put_tlv(b, f, v, all_ones(msk, size) ? NULL : msk, size);
}

static int
put_be16(struct vs_ofpbuf *b, unsigned int f, uint16_t v, uint16_t msk)
{
	uint8_t vv[2], mm[2];

	vs_ofp_put16(vv, v);
	vs_ofp_put16(mm, msk);
	return put_masked(b, f, vv, mm, 2);
}

int
vs_ofp_match_encode(struct vs_ofpbuf *b, const struct vs_flow_match *m,
		    const struct vs_ofp_ports *ports)
{
	const struct vs_flow_key *k = &m->key, *mm = &m->mask;
	size_t start = b->len, len;
	uint16_t et = mm->dl_type == 0xffff ? k->dl_type : 0;
	uint8_t pr = mm->nw_proto == 0xff ? k->nw_proto : 0;
	uint8_t buf[8];
	int rc = 0;

	if (vs_ofpbuf_put(b, NULL, 4) == NULL)
		return -ENOMEM;
	if (mm->in_port) {
		uint32_t ofport;

		if (mm->in_port != 0xffff || ports == NULL || ports->to_ofport == NULL ||
		    ports->to_ofport(ports->ctx, k->in_port, &ofport) != 0)
			goto inval;
		vs_ofp_put32(buf, ofport);
		rc = rc ?: put_tlv(b, OFPXMT_OFB_IN_PORT, buf, NULL, 4);
	}
	if (mm->metadata) {
		uint8_t mv[8];

		vs_ofp_put64(buf, k->metadata);
		vs_ofp_put64(mv, mm->metadata);
		rc = rc ?: put_masked(b, OFPXMT_OFB_METADATA, buf, mv, 8);
	}
	rc = rc
		     ?: put_masked(b, OFPXMT_OFB_ETH_DST, k->dl_dst.addr_bytes,
				   mm->dl_dst.addr_bytes, 6);
	rc = rc
		     ?: put_masked(b, OFPXMT_OFB_ETH_SRC, k->dl_src.addr_bytes,
				   mm->dl_src.addr_bytes, 6);
	if (mm->dl_type && mm->dl_type != 0xffff)
		goto inval;
	rc = rc ?: put_be16(b, OFPXMT_OFB_ETH_TYPE, k->dl_type, mm->dl_type);
	if (mm->vlan_tci & 0x1fff)
		rc = rc
			     ?: put_be16(b, OFPXMT_OFB_VLAN_VID, k->vlan_tci & 0x1fff,
					 mm->vlan_tci & 0x1fff);
	if (mm->vlan_tci & VS_VLAN_PCP_MASK) {
		if ((mm->vlan_tci & VS_VLAN_PCP_MASK) != VS_VLAN_PCP_MASK)
			goto inval;
		buf[0] = k->vlan_tci >> 13;
		rc = rc ?: put_tlv(b, OFPXMT_OFB_VLAN_PCP, buf, NULL, 1);
	}
	if (mm->nw_tos & 0xfc) {
		if ((mm->nw_tos & 0xfc) != 0xfc)
			goto inval;
		buf[0] = k->nw_tos >> 2;
		rc = rc ?: put_tlv(b, OFPXMT_OFB_IP_DSCP, buf, NULL, 1);
	}
	if (mm->nw_tos & 0x03) {
		if ((mm->nw_tos & 0x03) != 0x03)
			goto inval;
		buf[0] = k->nw_tos & 3;
		rc = rc ?: put_tlv(b, OFPXMT_OFB_IP_ECN, buf, NULL, 1);
	}
	if (mm->nw_proto) {
		if (mm->nw_proto != 0xff)
			goto inval;
		if (et == ETH_ARP) {
			rc = rc ?: put_be16(b, OFPXMT_OFB_ARP_OP, k->nw_proto, 0xffff);
		} else {
			buf[0] = k->nw_proto;
			rc = rc ?: put_tlv(b, OFPXMT_OFB_IP_PROTO, buf, NULL, 1);
		}
	}
	if (et == ETH_IP4 || et == ETH_ARP) {
		if (!all_zeros(mm->nw_src + 4, 12) || !all_zeros(mm->nw_dst + 4, 12))
			goto inval;
		rc = rc
			     ?: put_masked(b,
					   et == ETH_ARP ? OFPXMT_OFB_ARP_SPA : OFPXMT_OFB_IPV4_SRC,
					   k->nw_src, mm->nw_src, 4);
		rc = rc
			     ?: put_masked(b,
					   et == ETH_ARP ? OFPXMT_OFB_ARP_TPA : OFPXMT_OFB_IPV4_DST,
					   k->nw_dst, mm->nw_dst, 4);
	} else if (et == ETH_IP6) {
		rc = rc ?: put_masked(b, OFPXMT_OFB_IPV6_SRC, k->nw_src, mm->nw_src, 16);
		rc = rc ?: put_masked(b, OFPXMT_OFB_IPV6_DST, k->nw_dst, mm->nw_dst, 16);
	} else if (!all_zeros(mm->nw_src, 16) || !all_zeros(mm->nw_dst, 16)) {
		goto inval;
	}
	if (mm->tp_src || mm->tp_dst) {
		bool ip = et == ETH_IP4 || et == ETH_IP6;

		if (ip && (pr == PROTO_TCP || pr == PROTO_UDP || pr == PROTO_SCTP)) {
			unsigned int s = pr == PROTO_TCP   ? OFPXMT_OFB_TCP_SRC
					 : pr == PROTO_UDP ? OFPXMT_OFB_UDP_SRC
							   : OFPXMT_OFB_SCTP_SRC;

			rc = rc ?: put_be16(b, s, k->tp_src, mm->tp_src);
			rc = rc ?: put_be16(b, s + 1, k->tp_dst, mm->tp_dst);
		} else if ((et == ETH_IP4 && pr == PROTO_ICMP) ||
			   (et == ETH_IP6 && pr == PROTO_ICMP6)) {
			unsigned int t =
				pr == PROTO_ICMP ? OFPXMT_OFB_ICMPV4_TYPE : OFPXMT_OFB_ICMPV6_TYPE;

			if ((mm->tp_src && mm->tp_src != 0xff) ||
			    (mm->tp_dst && mm->tp_dst != 0xff) || k->tp_src > 0xff ||
			    k->tp_dst > 0xff)
				goto inval;
			buf[0] = k->tp_src;
			buf[1] = k->tp_dst;
			if (mm->tp_src)
				rc = rc ?: put_tlv(b, t, buf, NULL, 1);
			if (mm->tp_dst)
				rc = rc ?: put_tlv(b, t + 1, buf + 1, NULL, 1);
		} else {
			goto inval;
		}
	}
	if (mm->nw_frag || !all_zeros((const uint8_t *)mm->rsvd, sizeof(mm->rsvd)))
		goto inval;
	if (rc < 0) {
		b->len = start;
		return rc;
	}
	len = b->len - start;
	vs_ofp_put16(b->data + start, OFPMT_OXM);
	vs_ofp_put16(b->data + start + 2, len);
	if (vs_ofpbuf_put(b, NULL, ((len + 7) & ~(size_t)7) - len) == NULL) {
		b->len = start;
		return -ENOMEM;
	}
	return 0;
inval:
	b->len = start;
	return -EINVAL;
}
