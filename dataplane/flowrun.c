/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/flowrun.c: a burst's lookup with a key extracted only for the
 * packets that may differ from the run they follow where the table looks.
 *
 * Most bursts are one flow, or flows that differ only in bytes no rule of
 * the table reads (the benchmark's 100 000 flows against an ACL of
 * destination prefixes). The head of a run is extracted and looked up;
 * a packet whose frame has the head's bytes wherever its key could differ
 * under the table's used mask takes the head's answer, for three masked
 * compares of 16 bytes instead of a parse, a masked key, a hash and a probe.
 *
 * Why the answer is the same. Runs start only at an untagged Ethernet
 * frame of IPv4 without options, not a fragment, with a whole TCP, UDP or
 * SCTP header (l3_ofs 14, l4_ofs 34 in vs_flowkey_extract_one). For every
 * frame of that layout the extractor gives: dl_type 0x0800, vlan_tci 0,
 * nw_frag 0, the offsets 14 and 34, nw_src/nw_dst bytes 4-15 and metadata
 * zero, in_port the burst's; and from the frame's bytes dl_dst/dl_src
 * (0-11), nw_tos (15), nw_proto (23), nw_src (26-29), nw_dst (30-33),
 * tp_src (34-35), tp_dst (36-37). A follower must have the head's bytes
 * where the layout is decided (ethertype 12-13, version and IHL 14, the
 * MF and offset bits of 20-21, the protocol 23) and, of the bytes above,
 * where the table's used mask reads; and the lengths the layout needs (the
 * first segment's and the IP total length, for the protocol's header).
 * Then it has the head's layout, the fields that layout fixes, and the
 * head's bits wherever some rule looks: every rule matches both or
 * neither. The extractor reads nothing of the mbuf but its first segment's
 * data and length; if it ever reads offload flags, so must the compare.
 *
 * The mask comes from the view read first. The heads are looked up in the
 * view the lookup reads; if that view is not the first one (a mask came
 * or went meanwhile), the burst is looked up again packet by packet. A
 * view is freed only after a grace period, which this PMD cannot pass
 * inside a burst, so an equal pointer is the same view. */
#include <netinet/in.h>

#include <smmintrin.h>

#include <rte_atomic.h>
#include <rte_byteorder.h>
#include <rte_prefetch.h>

#include "emc.h"
#include "flowkey.h"
#include "flowrun.h"

/* Frame bytes 0-39: Ethernet, IPv4 without options, the ports. */
#define RUN_WORDS 5
#define RUN_L3    14 /* the layout's offsets */
#define RUN_L4    34

_Static_assert(RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN, "run_mask lays bytes out little-endian");

/* Frame bytes 0-15, 16-31 and 24-39 (the third's first half masked off). */
struct run {
	__m128i m[3];     /* the frame bits compared */
	__m128i h[3];     /* the head's, masked */
	uint16_t len_min; /* the first segment's length the layout needs */
	uint16_t tot_min; /* the IP total length it needs */
};

static inline uint64_t
bswap16_at(uint64_t used_word, unsigned int shift, unsigned int to)
{
	return (uint64_t)rte_bswap16((uint16_t)(used_word >> shift)) << to;
}

/* The frame bits to compare, from the key words some rule reads ('used'),
 * words of frame bytes 0-39 with byte i at bits 8 * (i % 8). */
static void
run_mask(const uint64_t *used, __m128i *xm)
{
	uint64_t m[RUN_WORDS];

	/* Frame 0-7: dl_dst and two bytes of dl_src, key bytes 8-15. */
	m[0] = used[1];
	/* 8-11: the rest of dl_src (key 16-19); 12-14: ethertype, version
	 * and IHL in full; 15: nw_tos (key byte 7). */
	m[1] = (used[2] & 0xffffffffu) | 0x00ffffff00000000ull | (used[0] & 0xff00000000000000ull);
	/* 16-23: MF and the offset (20-21 & 0x3fff), the protocol (23). */
	m[2] = 0xff00ff3f00000000ull;
	/* 24-31: nw_src[0-3] at 26 (key 24-27), nw_dst[0-1] at 30 (key 40-41). */
	m[3] = (used[3] & 0xffffffffu) << 16 | (used[5] & 0xffff) << 48;
	/* 32-39: nw_dst[2-3]; tp_src, tp_dst (key 20-23, host order) as on
	 * the wire. */
	m[4] = (used[5] >> 16 & 0xffff) | bswap16_at(used[2], 32, 16) | bswap16_at(used[2], 48, 32);
	xm[0] = _mm_set_epi64x((long long)m[1], (long long)m[0]);
	xm[1] = _mm_set_epi64x((long long)m[3], (long long)m[2]);
	xm[2] = _mm_set_epi64x((long long)m[4], 0);
}

static inline __m128i
ld128(const uint8_t *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* Can the frame 'p', whose key 'k' was just extracted, head a run? Then
 * 'r' takes its bytes and lengths. */
static inline bool
run_start(struct run *r, const struct vs_flow_key *k, const uint8_t *p)
{
	uint16_t l4;

	if (k->dl_type != RTE_ETHER_TYPE_IPV4 || k->l3_ofs != RUN_L3 || k->l4_ofs != RUN_L4 ||
	    k->nw_frag != 0)
		return false;
	switch (k->nw_proto) { /* the header lengths flowkey.c's l4() wants */
	case IPPROTO_TCP:
		l4 = 20;
		break;
	case IPPROTO_UDP:
		l4 = 8;
		break;
	case IPPROTO_SCTP:
		l4 = 12;
		break;
	default: /* ICMP has other offsets, others no L4 fields */
		return false;
	}
	r->len_min = RUN_L4 + l4;
	r->tot_min = RUN_L4 - RUN_L3 + l4;
	r->h[0] = _mm_and_si128(ld128(p), r->m[0]);
	r->h[1] = _mm_and_si128(ld128(p + 16), r->m[1]);
	r->h[2] = _mm_and_si128(ld128(p + 24), r->m[2]);
	return true;
}

/* Does the frame 'p' of 'len' bytes have the head's key where it matters? */
static inline bool
run_follows(const struct run *r, const uint8_t *p, uint16_t len)
{
	__m128i d;

	if (len < r->len_min) /* (and so every byte compared is in the frame) */
		return false;
	d = _mm_or_si128(_mm_and_si128(_mm_xor_si128(ld128(p), r->h[0]), r->m[0]),
			 _mm_and_si128(_mm_xor_si128(ld128(p + 16), r->h[1]), r->m[1]));
	d = _mm_or_si128(d, _mm_and_si128(_mm_xor_si128(ld128(p + 24), r->h[2]), r->m[2]));
	return _mm_testz_si128(d, d) && (uint16_t)(p[16] << 8 | p[17]) >= r->tot_min;
}

_Static_assert(RUN_L4 + 8 >= 8 * RUN_WORDS, "the shortest header of a run covers the compare");

bool
vs_flowrun_lookup(struct vs_emc *emc, const struct vs_cls *c, struct rte_mbuf **pkts, uint16_t n,
		  uint16_t in_port, struct vs_flow_key *keys, const struct vs_cls_entry **slots)
{
	const struct vs_cls_view *v = vs_cls_view(c);
	uint8_t head[VS_BURST]; /* packet i's head, as an index in keys */
	uint16_t i, nh = 0, cur = 0;
	bool open = false;
	struct run r = {.len_min = 0}; /* (run_start sets it before use: gcc cannot tell) */

	run_mask(v->used, r.m);
	for (i = 0; i < n && i < 4; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n;) {
		/* A head: extracted and looked up. Another layout leaves the
		 * open run as it is. */
		if (i + 4 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 4], void *));
		vs_flowkey_extract_one(pkts[i], in_port, &keys[nh]);
		if (run_start(&r, &keys[nh], rte_pktmbuf_mtod(pkts[i], const uint8_t *))) {
			open = true;
			cur = nh;
		}
		head[i++] = (uint8_t)nh++;
		/* Then the packets that follow the open run, in a loop of
		 * their own (no call in it: the run stays in registers). */
		for (; open && i < n; i++) {
			if (i + 4 < n)
				rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 4], void *));
			if (!run_follows(&r, rte_pktmbuf_mtod(pkts[i], const uint8_t *),
					 rte_pktmbuf_data_len(pkts[i])))
				break;
			head[i] = (uint8_t)cur;
		}
	}
	vs_emc_lookup(emc, c, keys, nh, slots);
	if (nh == n)
		return true;
	rte_atomic_thread_fence(__ATOMIC_ACQUIRE); /* the lookup's reads, then the view */
	if (unlikely(vs_cls_view(c) != v)) {
		vs_flowkey_extract(pkts, n, in_port, keys);
		vs_emc_lookup(emc, c, keys, n, slots);
		return true;
	}
	/* Heads' answers to packets, from the back: head[i] <= i, and the
	 * slots below i are still the heads'. */
	if (nh == 1)
		for (i = 1; i < n; i++)
			slots[i] = slots[0];
	else
		for (i = n; i-- > 0;)
			slots[i] = slots[head[i]];
	return false;
}
