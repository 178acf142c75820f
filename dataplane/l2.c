/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/l2.c: the learning bridge stage.
 *
 * Pass 1 classifies each frame: first in the PMD's decision cache (a hit
 * costs one hash of the 12 MAC bytes and one compare, and is most frames:
 * traffic between two hosts repeats its MAC pair); the rest are validated
 * and looked up in the MAC table in one bulk lookup of destinations and
 * sources together. New or moved sources are sent to the control thread to
 * learn; fresh decisions go into the cache. Pass 2 queues, floods or
 * drops. Frames are only read here. */
#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_prefetch.h>

#include "bridge.h"
#include "l2.h"
#include "worker.h"

/* next[i]: a port id, or one of these. */
enum {
	NEXT_FLOOD = VS_MAX_PORTS,
	NEXT_LOOKUP, /* valid frame, to be looked up */
	NEXT_DROP,   /* NEXT_DROP + enum vs_drop */
};

#define PREFETCH_AHEAD 4

static inline bool
is_l2_reserved(const struct rte_ether_addr *a)
{
	/* 01:80:c2:00:00:00 to 01:80:c2:00:00:0f (802.1D table 7-10). */
	return a->addr_bytes[0] == 0x01 && a->addr_bytes[1] == 0x80 && a->addr_bytes[2] == 0xc2 &&
	       a->addr_bytes[3] == 0x00 && a->addr_bytes[4] == 0x00 &&
	       (a->addr_bytes[5] & 0xf0) == 0x00;
}

static inline uint16_t
parse_one(const struct rte_ether_hdr *eh, struct vs_fdb_key *dst, struct vs_fdb_key *src)
{
	if (unlikely(!rte_is_unicast_ether_addr(&eh->src_addr) ||
		     rte_is_zero_ether_addr(&eh->src_addr)))
		return NEXT_DROP + VS_DROP_RX_INVALID;
	if (unlikely(is_l2_reserved(&eh->dst_addr)))
		return NEXT_DROP + VS_DROP_L2_RESERVED;
	*dst = (struct vs_fdb_key){.mac = eh->dst_addr};
	*src = (struct vs_fdb_key){.mac = eh->src_addr};
	return NEXT_LOOKUP;
}

static inline uint32_t
cache_slot(uint64_t lo, uint32_t hi, uint16_t in_port)
{
	uint64_t h =
		lo * 0x9e3779b97f4a7c15ULL ^ ((uint64_t)hi << 16 | in_port) * 0xc2b2ae3d27d4eb4fULL;

	return (uint32_t)(h >> 40) & (VS_L2_CACHE_SIZE - 1);
}

static inline void
refresh(struct vs_fdb_entry *e, uint32_t now)
{
	if (unlikely(__atomic_load_n(&e->used, __ATOMIC_RELAXED) != now))
		__atomic_store_n(&e->used, now, __ATOMIC_RELAXED);
}

/* Ask the control thread to learn 'key' on 'in', at most once a second per
 * source and port from this PMD, so a flood of frames from an unknown
 * source does not become a flood of requests. Returns true if the source
 * is already known on 'in' (and refreshed). */
static inline bool
learn(struct vs_worker *w, const struct vs_port *in, const struct vs_fdb_key *key,
      struct vs_fdb_entry *e)
{
	struct vs_learn_ev ev;
	uint32_t slot;

	if (likely(e != NULL && __atomic_load_n(&e->port, __ATOMIC_RELAXED) == in->id)) {
		refresh(e, w->now);
		return true;
	}
	slot = rte_hash_crc(key, sizeof(*key), in->id) & (VS_LEARN_CACHE - 1);
	if (w->learn_cache_t[slot] == w->now + 1 &&
	    memcmp(&w->learn_cache[slot], key, sizeof(*key)) == 0)
		return false;
	ev = (struct vs_learn_ev){.key = *key, .port = in->id};
	if (unlikely(rte_ring_sp_enqueue_elem(w->learn, &ev, sizeof(ev)) != 0)) {
		w->st.learn_overflow++;
		return false;
	}
	w->learn_cache[slot] = *key;
	w->learn_cache_t[slot] = w->now + 1;
	return false;
}

static inline uint16_t
decide(const struct vs_worker *w, const struct vs_port *in, const struct vs_fdb_key *dst,
       const struct vs_fdb_entry *e)
{
	uint16_t id;

	if (!rte_is_unicast_ether_addr(&dst->mac) || e == NULL)
		return NEXT_FLOOD;
	id = __atomic_load_n(&e->port, __ATOMIC_ACQUIRE);
	return id == in->id ? NEXT_DROP + VS_DROP_SAME_PORT : id;
}

uint16_t
vs_l2_flood_ports(const struct vs_worker *w, const struct vs_port *in, struct vs_port **outs,
		  uint16_t max)
{
	const struct vs_flood *fl = vs_rcu_deref((void *const *)&in->br->flood);
	uint16_t j, k = 0;

	for (j = 0; fl != NULL && j < fl->n && k < max; j++) {
		struct vs_port *p;

		if (fl->ports[j] == in->id)
			continue;
		p = vs_dp_port(w->dp, fl->ports[j]);
		if (likely(p != NULL))
			outs[k++] = p;
	}
	return k;
}

/* The flood list of a burst, resolved at its first run of flooded frames
 * and kept for the rest: the list cannot change under a burst (RCU). */
struct flood_set {
	int16_t k; /* -1: not resolved yet */
	struct vs_port *outs[VS_MAX_PORTS];
};

/* Flood a run of 'n' frames: each to every port of the list, one bulk
 * push per port, so each port gets the run in order. */
static void
flood_run(struct vs_worker *w, struct vs_port *in, struct rte_mbuf **pkts, uint16_t n,
	  struct flood_set *fs)
{
	uint16_t i, j;

	if (fs->k < 0)
		fs->k = (int16_t)vs_l2_flood_ports(w, in, fs->outs, VS_MAX_PORTS);
	if (fs->k == 0) {
		vs_worker_count_drops(w, in, VS_DROP_NO_DEST, n);
		for (i = 0; i < n; i++)
			rte_pktmbuf_free(pkts[i]);
		return;
	}
	for (i = 0; i < n; i++)
		vs_mbuf_share(pkts[i], (unsigned int)fs->k);
	for (j = 0; j < fs->k; j++)
		vs_worker_push_bulk(w, fs->outs[j], pkts, n);
}

/* A frame pass 1 could not decide: the cache entry its MACs map to, and
 * the MACs (header bytes 0-7 and 8-11). */
struct miss_slot {
	struct vs_l2_cached *c;
	uint64_t lo;
	uint32_t hi;
};

/* Look up the frames pass 1 could not decide, learn their sources, decide
 * and remember the decisions. */
static void
resolve(struct vs_worker *w, struct vs_port *in, uint32_t gen, const uint16_t *miss,
	const struct miss_slot *slot, uint16_t nm, struct vs_fdb_key *keys, uint16_t *next)
{
	const void *kp[2 * VS_BURST];
	struct vs_fdb_entry *ent[2 * VS_BURST];
	uint16_t j;

	for (j = 0; j < 2 * nm; j++)
		kp[j] = &keys[j];
	vs_fdb_lookup_bulk(in->br->fdb, kp, 2u * nm, ent);
	for (j = 0; j < nm; j++) {
		uint16_t i = miss[j];
		bool known = learn(w, in, &keys[nm + j], ent[nm + j]);

		next[i] = decide(w, in, &keys[j], ent[j]);
		if (!known)
			continue; /* cache once the source is learnt here */
		*slot[j].c = (struct vs_l2_cached){.macs_lo = slot[j].lo,
						   .macs_hi = slot[j].hi,
						   .in_port = in->id,
						   .next = next[i],
						   .gen = gen,
						   .src = ent[nm + j]};
	}
}

void
vs_l2_input(struct vs_worker *w, struct vs_port *in, struct rte_mbuf **pkts, uint16_t n)
{
	struct vs_fdb_key keys[2 * VS_BURST];
	struct vs_fdb_key src[VS_BURST];
	uint16_t next[VS_BURST], miss[VS_BURST];
	struct miss_slot slot[VS_BURST];
	uint32_t gen = vs_fdb_gen(in->br->fdb);
	struct vs_fdb_entry *refreshed = NULL;
	struct flood_set fs;
	uint16_t i, j, nm = 0;

	for (i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) { /* pass 1: classify */
		const struct rte_mbuf *m = pkts[i];
		struct vs_l2_cached *c;
		const uint8_t *h;
		uint64_t lo;
		uint32_t hi;

		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
		if (unlikely(rte_pktmbuf_data_len(m) < RTE_ETHER_HDR_LEN)) {
			next[i] = NEXT_DROP + VS_DROP_RX_INVALID;
			continue;
		}
		h = rte_pktmbuf_mtod(m, const uint8_t *);
		memcpy(&lo, h, sizeof(lo));
		memcpy(&hi, h + 8, sizeof(hi));
		c = &w->l2_cache[cache_slot(lo, hi, in->id)];
		if (likely(c->gen == gen && c->macs_lo == lo && c->macs_hi == hi &&
			   c->in_port == in->id)) {
			next[i] = c->next;
			if (c->src != refreshed) { /* once per source and burst */
				refreshed = c->src;
				refresh(refreshed, w->now);
			}
			continue;
		}
		next[i] = parse_one((const struct rte_ether_hdr *)h, &keys[nm], &src[nm]);
		if (next[i] != NEXT_LOOKUP)
			continue;
		slot[nm] = (struct miss_slot){.c = c, .lo = lo, .hi = hi};
		miss[nm++] = i;
	}
	if (nm > 0) {
		memcpy(&keys[nm], src, sizeof(src[0]) * nm);
		resolve(w, in, gen, miss, slot, nm, keys, next);
	}
	fs.k = -1;
	for (i = 0; i < n; i = j) { /* pass 2: act, a run of one decision at a time */
		uint16_t x = next[i];

		for (j = i + 1; j < n && next[j] == x; j++)
			;
		if (likely(x < VS_MAX_PORTS)) {
			struct vs_port *p = vs_dp_port(w->dp, x);

			if (likely(p != NULL && p->br == in->br)) {
				vs_worker_push_bulk(w, p, &pkts[i], j - i);
				continue;
			}
			flood_run(w, in, &pkts[i], j - i, &fs); /* its port is going away */
			continue;
		}
		if (x == NEXT_FLOOD) {
			flood_run(w, in, &pkts[i], j - i, &fs);
			continue;
		}
		vs_worker_count_drops(w, in, (enum vs_drop)(x - NEXT_DROP), j - i);
		for (; i < j; i++)
			rte_pktmbuf_free(pkts[i]);
	}
}
