/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/l2.c: the learning bridge stage. Pass 1 validates each frame
 * and builds lookup keys; one bulk lookup finds destinations and sources
 * together; sources that are new or moved are sent to the control thread to
 * learn; pass 2 queues, floods or drops. Frames are only read here. */
#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_prefetch.h>

#include "bridge.h"
#include "l2.h"
#include "worker.h"

/* next[i]: a port id, or one of these. */
enum {
	NEXT_FLOOD = VS_MAX_PORTS,
	NEXT_LOOKUP, /* valid frame, destination not decided yet */
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
parse_one(const struct rte_mbuf *m, struct vs_fdb_key *dst, struct vs_fdb_key *src)
{
	const struct rte_ether_hdr *eh;

	*dst = (struct vs_fdb_key){0};
	*src = (struct vs_fdb_key){0};
	if (unlikely(rte_pktmbuf_data_len(m) < RTE_ETHER_HDR_LEN))
		return NEXT_DROP + VS_DROP_RX_INVALID;
	eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (unlikely(!rte_is_unicast_ether_addr(&eh->src_addr) ||
		     rte_is_zero_ether_addr(&eh->src_addr)))
		return NEXT_DROP + VS_DROP_RX_INVALID;
	if (unlikely(is_l2_reserved(&eh->dst_addr)))
		return NEXT_DROP + VS_DROP_L2_RESERVED;
	dst->mac = eh->dst_addr;
	src->mac = eh->src_addr;
	return NEXT_LOOKUP;
}

/* Ask the control thread to learn 'key' on 'in', at most once a second per
 * source and port from this PMD, so a flood of frames from an unknown
 * source does not become a flood of requests. */
static inline void
learn(struct vs_worker *w, const struct vs_port *in, const struct vs_fdb_key *key,
      struct vs_fdb_entry *e)
{
	struct vs_learn_ev ev;
	uint32_t slot;

	if (likely(e != NULL && __atomic_load_n(&e->port, __ATOMIC_RELAXED) == in->id)) {
		if (unlikely(__atomic_load_n(&e->used, __ATOMIC_RELAXED) != w->now))
			__atomic_store_n(&e->used, w->now, __ATOMIC_RELAXED);
		return;
	}
	slot = rte_hash_crc(key, sizeof(*key), in->id) & (VS_LEARN_CACHE - 1);
	if (w->learn_cache_t[slot] == w->now + 1 &&
	    memcmp(&w->learn_cache[slot], key, sizeof(*key)) == 0)
		return;
	ev = (struct vs_learn_ev){.key = *key, .port = in->id};
	if (unlikely(rte_ring_sp_enqueue_elem(w->learn, &ev, sizeof(ev)) != 0)) {
		w->st.learn_overflow++;
		return;
	}
	w->learn_cache[slot] = *key;
	w->learn_cache_t[slot] = w->now + 1;
}

static inline uint16_t
decide(const struct vs_worker *w, const struct vs_port *in, const struct vs_fdb_key *dst,
       const struct vs_fdb_entry *e, struct vs_port **out)
{
	struct vs_port *p;
	uint16_t id;

	if (!rte_is_unicast_ether_addr(&dst->mac) || e == NULL)
		return NEXT_FLOOD;
	id = __atomic_load_n(&e->port, __ATOMIC_ACQUIRE);
	if (id == in->id)
		return NEXT_DROP + VS_DROP_SAME_PORT;
	p = vs_dp_port(w->dp, id);
	if (unlikely(p == NULL || p->br != in->br))
		return NEXT_FLOOD; /* its port is being removed */
	*out = p;
	return id;
}

static void
flood(struct vs_worker *w, struct vs_port *in, struct rte_mbuf *m)
{
	const struct vs_flood *fl = vs_rcu_deref((void *const *)&in->br->flood);
	struct vs_port *outs[VS_MAX_PORTS];
	struct rte_mbuf *seg;
	uint16_t j, k = 0;

	for (j = 0; fl != NULL && j < fl->n; j++) {
		struct vs_port *p;

		if (fl->ports[j] == in->id)
			continue;
		p = vs_dp_port(w->dp, fl->ports[j]);
		if (likely(p != NULL))
			outs[k++] = p;
	}
	if (k == 0) {
		vs_worker_drop(w, in, m, VS_DROP_NO_DEST);
		return;
	}
	/* One reference per copy, on every segment: each tx frees its own. */
	if (k > 1)
		for (seg = m; seg != NULL; seg = seg->next)
			rte_mbuf_refcnt_update(seg, (int16_t)(k - 1));
	for (j = 0; j < k; j++)
		vs_worker_push(w, outs[j], m);
}

void
vs_l2_input(struct vs_worker *w, struct vs_port *in, struct rte_mbuf **pkts, uint16_t n)
{
	struct vs_fdb_key keys[2 * VS_BURST];
	const void *kp[2 * VS_BURST];
	struct vs_fdb_entry *ent[2 * VS_BURST];
	struct vs_port *out[VS_BURST];
	uint16_t next[VS_BURST];
	uint16_t i;

	for (i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) { /* pass 1: validate, build keys */
		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
		next[i] = parse_one(pkts[i], &keys[i], &keys[n + i]);
		kp[i] = &keys[i];
		kp[n + i] = &keys[n + i];
	}
	vs_fdb_lookup_bulk(in->br->fdb, kp, 2u * n, ent);
	for (i = 0; i < n; i++) {
		if (next[i] != NEXT_LOOKUP)
			continue;
		learn(w, in, &keys[n + i], ent[n + i]);
		next[i] = decide(w, in, &keys[i], ent[i], &out[i]);
	}
	for (i = 0; i < n; i++) { /* pass 2: act */
		if (likely(next[i] < VS_MAX_PORTS))
			vs_worker_push(w, out[i], pkts[i]);
		else if (next[i] == NEXT_FLOOD)
			flood(w, in, pkts[i]);
		else
			vs_worker_drop(w, in, pkts[i], (enum vs_drop)(next[i] - NEXT_DROP));
	}
}
