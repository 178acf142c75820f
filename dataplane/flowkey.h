/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/flowkey.h: what the flow table matches on, extracted once per
 * packet into two cache lines: the packet's headers, then the pipeline's
 * own fields (metadata, and what tunnels and conntrack add).
 *
 * The key is 16 words of 8 bytes. A rule's match is a key and a mask of the
 * same layout; a packet matches when (key & mask) == (rule key & mask).
 * Conventions, as in OpenFlow/OVS:
 * - vlan_tci carries VS_VLAN_PRESENT when the frame has an 802.1Q tag;
 * - IPv4 addresses (and ARP's sender/target) are the first 4 bytes of the
 *   16-byte nw_src/nw_dst, in network order; IPv6 uses all 16;
 * - ARP's opcode is in nw_proto; ICMP type and code are in tp_src, tp_dst;
 * - a field the packet does not have, or that is truncated or invalid
 *   (bad IHL, an L4 header past the frame), is zero: a malformed packet
 *   matches only on the fields that were valid.
 * Word 7 also records where the L3 and L4 headers start, for the actions
 * that rewrite them; no mask ever covers those bytes. */
#ifndef VS_FLOWKEY_H
#define VS_FLOWKEY_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <emmintrin.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#define VS_VLAN_PRESENT  0x1000 /* in vlan_tci: the frame is tagged */
#define VS_VLAN_VID_MASK 0x0fff
#define VS_VLAN_PCP_MASK 0xe000

/* nw_frag */
#define VS_FRAG_ANY   0x01 /* an IP fragment */
#define VS_FRAG_LATER 0x02 /* not the first: no L4 header */

#define VS_KEY_WORDS  16

struct vs_flow_key {
	/* word 0 */
	uint16_t in_port;
	uint16_t dl_type;  /* host order, after VLAN tags */
	uint16_t vlan_tci; /* host order, outer tag, VS_VLAN_PRESENT if tagged */
	uint8_t nw_proto;  /* IP protocol, or ARP opcode (low byte) */
	uint8_t nw_tos;    /* IPv4 ToS / IPv6 traffic class: DSCP << 2 | ECN */
	/* words 1-2 */
	struct rte_ether_addr dl_dst;
	struct rte_ether_addr dl_src;
	uint16_t tp_src; /* host order; ICMP type */
	uint16_t tp_dst; /* host order; ICMP code */
	/* words 3-6 */
	uint8_t nw_src[16];
	uint8_t nw_dst[16];
	/* word 7 */
	uint8_t nw_frag;
	uint8_t pad;
	uint16_t l3_ofs; /* offset of a valid IPv4/IPv6 header, 0: none */
	uint16_t l4_ofs; /* offset of a whole TCP/UDP/SCTP/ICMP header, 0: none */
	uint16_t pad2;
	/* word 8: the pipeline's metadata, set by write_metadata (0 at ingress) */
	uint64_t metadata;
	/* words 9-15: reserved for tunnel metadata and connection tracking, 0 */
	uint64_t rsvd[7];
} __rte_aligned(64);

_Static_assert(sizeof(struct vs_flow_key) == 128, "a flow key is two cache lines");

/* A rule's match: the fields it looks at (mask bits set) and their values
 * (key, already masked). */
struct vs_flow_match {
	struct vs_flow_key key;
	struct vs_flow_key mask;
};

/* A key seen as its 8 words. The type may alias the struct (C's aliasing
 * rules would otherwise let the compiler reorder reads and writes made
 * through the two views). */
typedef uint64_t vs_key_word __attribute__((__may_alias__));

static inline const vs_key_word *
vs_key_words(const struct vs_flow_key *k)
{
	return (const vs_key_word *)k;
}

static inline vs_key_word *
vs_key_words_rw(struct vs_flow_key *k)
{
	return (vs_key_word *)k;
}

/* Does 'key' match? */
static inline bool
vs_flow_match_key(const struct vs_flow_match *m, const struct vs_flow_key *key)
{
	const vs_key_word *k = vs_key_words(key), *mk = vs_key_words(&m->key),
			  *mm = vs_key_words(&m->mask);
	unsigned int i;

	for (i = 0; i < VS_KEY_WORDS; i++)
		if ((k[i] & mm[i]) != mk[i])
			return false;
	return true;
}

/* A key of in_port alone, the rest zero: eight aligned 16-byte stores,
 * written out: gcc makes a 128-byte memset or initialiser (or a loop of
 * these) 'rep stosq', whose start-up cost was half of the extraction's
 * samples (perf, one ACL flow). */
static inline void
vs_flowkey_init(struct vs_flow_key *k, uint16_t in_port)
{
	__m128i *p = (__m128i *)k, z = _mm_setzero_si128();

	_mm_store_si128(&p[0], z);
	_mm_store_si128(&p[1], z);
	_mm_store_si128(&p[2], z);
	_mm_store_si128(&p[3], z);
	_mm_store_si128(&p[4], z);
	_mm_store_si128(&p[5], z);
	_mm_store_si128(&p[6], z);
	_mm_store_si128(&p[7], z);
	k->in_port = in_port;
}

/* Extract the keys of a burst received on port 'in_port'. Reads only the
 * first segment of each packet, never past its end. */
void vs_flowkey_extract(struct rte_mbuf **pkts, uint16_t n, uint16_t in_port,
			struct vs_flow_key *keys);
void vs_flowkey_extract_one(const struct rte_mbuf *m, uint16_t in_port, struct vs_flow_key *k);

#endif
