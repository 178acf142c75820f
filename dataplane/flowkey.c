/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/flowkey.c: packet headers to struct vs_flow_key.
 *
 * Every read is bounded by the first segment's length and by the lengths
 * the headers themselves declare; a header that does not fit, or that is
 * inconsistent (IPv4 version or IHL, an IPv6 extension header past the
 * packet), ends the parse and leaves the fields after it zero. Non-first
 * IP fragments have no L4 fields. dataplane/flowrun.c relies on what this
 * gives an untagged IPv4 frame without options with TCP, UDP or SCTP (the
 * bytes each field comes from, the lengths it needs): change both. */
#include <rte_byteorder.h>
#include <rte_prefetch.h>

#include "flowkey.h"

/* dl_dst then dl_src, as in the frame: one copy of 12 bytes fills both. */
_Static_assert(offsetof(struct vs_flow_key, dl_src) == offsetof(struct vs_flow_key, dl_dst) + 6,
	       "the MACs are adjacent in the key");

#define ETH_VLAN 0x8100
#define ETH_QINQ 0x88a8
#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd
#define ETH_ARP  0x0806

static inline uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void
l4(const uint8_t *p, uint32_t len, uint8_t proto, uint32_t ofs, struct vs_flow_key *k)
{
	switch (proto) {
	case 6: /* TCP: a whole minimal header */
		if (len < 20)
			return;
		break;
	case 17: /* UDP */
		if (len < 8)
			return;
		break;
	case 132: /* SCTP */
		if (len < 12)
			return;
		break;
	case 1:  /* ICMP */
	case 58: /* ICMPv6 */
		if (len < 4)
			return;
		k->tp_src = p[0];
		k->tp_dst = p[1];
		k->l4_ofs = (uint16_t)ofs;
		return;
	default:
		return;
	}
	k->tp_src = be16(p);
	k->tp_dst = be16(p + 2);
	k->l4_ofs = (uint16_t)ofs;
}

static inline void
ipv4(const uint8_t *p, uint32_t len, uint32_t ofs, struct vs_flow_key *k)
{
	uint32_t ihl, tot;
	uint16_t frag;

	if (len < 20 || (p[0] >> 4) != 4)
		return;
	ihl = (p[0] & 0xf) * 4u;
	tot = be16(p + 2);
	if (ihl < 20 || ihl > len || tot < ihl)
		return;
	k->l3_ofs = (uint16_t)ofs;
	k->nw_tos = p[1];
	k->nw_proto = p[9];
	memcpy(k->nw_src, p + 12, 4);
	memcpy(k->nw_dst, p + 16, 4);
	frag = be16(p + 6);
	if (frag & 0x3fff) { /* MF, or an offset */
		k->nw_frag = VS_FRAG_ANY;
		if (frag & 0x1fff) {
			k->nw_frag |= VS_FRAG_LATER;
			return;
		}
	}
	/* The L4 header is within both the frame and the IP packet. */
	l4(p + ihl, RTE_MIN(len, tot) - ihl, p[9], ofs + ihl, k);
}

static void
ipv6(const uint8_t *p, uint32_t len, uint32_t ofs, struct vs_flow_key *k)
{
	uint32_t avail, hlen;
	uint8_t nh;
	int ext;

	if (len < 40 || (p[0] >> 4) != 6)
		return;
	k->l3_ofs = (uint16_t)ofs;
	k->nw_tos = (uint8_t)((p[0] & 0x0f) << 4 | p[1] >> 4);
	memcpy(k->nw_src, p + 8, 16);
	memcpy(k->nw_dst, p + 24, 16);
	avail = RTE_MIN(len - 40, (uint32_t)be16(p + 4));
	nh = p[6];
	p += 40;
	ofs += 40;
	for (ext = 0; ext < 8; ext++) { /* extension headers, a few at most */
		if (nh == 0 || nh == 43 || nh == 60 || nh == 51) {
			if (avail < 8)
				break;
			hlen = nh == 51 ? (p[1] + 2u) * 4 : (p[1] + 1u) * 8;
			if (hlen > avail)
				break;
		} else if (nh == 44) { /* fragment */
			if (avail < 8)
				break;
			k->nw_frag = VS_FRAG_ANY;
			if (be16(p + 2) & 0xfff8) {
				k->nw_frag |= VS_FRAG_LATER;
				k->nw_proto = p[0];
				return;
			}
			hlen = 8;
		} else {
			k->nw_proto = nh;
			l4(p, avail, nh, ofs, k);
			return;
		}
		nh = p[0];
		p += hlen;
		ofs += hlen;
		avail -= hlen;
	}
	k->nw_proto = nh; /* the header the parse stopped at */
}

static void
arp(const uint8_t *p, uint32_t len, struct vs_flow_key *k)
{
	/* Ethernet and IPv4 ARP only. */
	if (len < 28 || be16(p) != 1 || be16(p + 2) != ETH_IPV4 || p[4] != 6 || p[5] != 4)
		return;
	k->nw_proto = p[7];
	memcpy(k->nw_src, p + 14, 4);
	memcpy(k->nw_dst, p + 24, 4);
}

void
vs_flowkey_extract_one(const struct rte_mbuf *m, uint16_t in_port, struct vs_flow_key *k)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m), off = 14;
	uint16_t type;
	int tags;

	vs_flowkey_init(k, in_port);
	if (len < 14)
		return;
	memcpy(&k->dl_dst, p, 12); /* and dl_src: adjacent, as in the frame */
	type = be16(p + 12);
	for (tags = 0; (type == ETH_VLAN || type == ETH_QINQ) && tags < 2; tags++) {
		if (len < off + 4)
			return; /* a truncated tag: no dl_type */
		/* The outer tag is the one matched; DEI is not. */
		if (tags == 0)
			k->vlan_tci =
				(uint16_t)((be16(p + off) & ~VS_VLAN_PRESENT) | VS_VLAN_PRESENT);
		type = be16(p + off + 2);
		off += 4;
	}
	k->dl_type = type;
	if (type == ETH_IPV4)
		ipv4(p + off, len - off, off, k);
	else if (type == ETH_IPV6)
		ipv6(p + off, len - off, off, k);
	else if (type == ETH_ARP)
		arp(p + off, len - off, k);
}

void
vs_flowkey_extract(struct rte_mbuf **pkts, uint16_t n, uint16_t in_port, struct vs_flow_key *keys)
{
	uint16_t i;

	for (i = 0; i < n && i < 4; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		if (i + 4 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 4], void *));
		vs_flowkey_extract_one(pkts[i], in_port, &keys[i]);
	}
}
