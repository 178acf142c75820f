/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/group.c: building a version of a bridge's group table (control
 * thread), and running a group on a packet (PMD).
 *
 * A version is one allocation holding the groups, their buckets and the
 * buckets' action lists, an open-addressing index by group id (one hash
 * and usually one probe per lookup), and per-PMD counters. A select
 * group's weights become a 256-slot table when it is built, so picking a
 * bucket costs one hash and one index; only when the bucket picked is not
 * live does the PMD walk the buckets, choosing among the live ones by
 * weight with the rest of the hash (the flows of live buckets stay where
 * they are). Bucket actions run through the flow table's executor
 * (dataplane/actions.c), which comes back here for a bucket's group:N. */
#include <errno.h>
#include <string.h>

#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "bridge.h"
#include "flowkey.h"
#include "group.h"
#include "worker.h"

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd

/* ---- building (control thread) ---- */

static size_t
group_size(const struct vs_group_def *d)
{
	size_t sz = RTE_ALIGN_CEIL(
		sizeof(struct vs_group) + sizeof(struct vs_bucket) * d->n_buckets, 8);
	uint16_t i;

	for (i = 0; i < d->n_buckets; i++)
		sz += RTE_ALIGN_CEIL(vs_actions_size(d->buckets[i].n_actions), 8);
	return sz;
}

/* The select table: each bucket gets slots in proportion to its weight
 * (largest remainders for the slots left over), laid out interleaved so
 * that no run of slots belongs to one bucket. */
static void
build_lut(struct vs_group *g)
{
	uint32_t total = 0, quota[VS_GROUP_BUCKETS_MAX], rem[VS_GROUP_BUCKETS_MAX], used = 0;
	int32_t cur[VS_GROUP_BUCKETS_MAX] = {0};
	uint32_t slot;
	uint16_t i, best;

	for (i = 0; i < g->n_buckets; i++)
		total += g->b[i].weight;
	g->lut_empty = total == 0;
	if (total == 0)
		return;
	for (i = 0; i < g->n_buckets; i++) {
		quota[i] = (uint32_t)((uint64_t)g->b[i].weight * VS_GROUP_SELECT_SLOTS / total);
		rem[i] = (uint32_t)((uint64_t)g->b[i].weight * VS_GROUP_SELECT_SLOTS % total);
		used += quota[i];
	}
	while (used < VS_GROUP_SELECT_SLOTS) {
		for (best = 0, i = 1; i < g->n_buckets; i++)
			if (rem[i] > rem[best])
				best = i;
		quota[best]++;
		rem[best] = 0;
		used++;
	}
	/* Smooth weighted round robin over the quotas (nginx's): each
	 * bucket gets exactly its quota of the 256 slots, spread out. */
	for (slot = 0; slot < VS_GROUP_SELECT_SLOTS; slot++) {
		for (best = 0, i = 0; i < g->n_buckets; i++) {
			cur[i] += (int32_t)quota[i];
			if (cur[i] > cur[best])
				best = i;
		}
		cur[best] -= VS_GROUP_SELECT_SLOTS;
		g->lut[slot] = (uint8_t)best;
	}
}

/* A bucket's packet-ins and inner groups take the stamp of the rule
 * that entered the group (vs_group_stamp), not their own (none). */
static void
mark_bucket(struct vs_actions *acts)
{
	uint16_t j;

	for (j = 0; j < acts->n; j++)
		if (acts->a[j].type == VS_ACT_CONTROLLER || acts->a[j].type == VS_ACT_GROUP ||
		    acts->a[j].type == VS_ACT_DEC_TTL)
			acts->a[j].flags |= VS_AF_BUCKET;
}

static struct vs_group *
fill_group(uint8_t *p, const struct vs_group_def *d, uint32_t ctr)
{
	struct vs_group *g = (struct vs_group *)p;
	uint8_t *a = p + RTE_ALIGN_CEIL(sizeof(*g) + sizeof(g->b[0]) * d->n_buckets, 8);
	uint16_t i;

	g->id = d->id;
	g->type = d->type;
	g->n_buckets = d->n_buckets;
	g->ctr = ctr;
	for (i = 0; i < d->n_buckets; i++) {
		const struct vs_bucket_def *bd = &d->buckets[i];
		struct vs_actions *acts = (struct vs_actions *)a;

		vs_actions_init(acts, bd->actions, bd->n_actions);
		mark_bucket(acts);
		g->b[i] = (struct vs_bucket){.acts = acts,
					     .watch_port = bd->watch_port,
					     .weight = bd->weight,
					     .watch_group = bd->watch_group};
		a += RTE_ALIGN_CEIL(vs_actions_size(bd->n_actions), 8);
	}
	if (g->type == VS_GROUP_SELECT)
		build_lut(g);
	return g;
}

int
vs_group_set_build(const struct vs_group_def *defs, uint32_t n, unsigned int n_pmds, int socket,
		   struct vs_group_set **out)
{
	struct vs_group_set *s;
	size_t mem = 0;
	uint32_t i, size = 16, ctr = 0;
	uint8_t *p;

	while (size < 2 * n)
		size *= 2;
	for (i = 0; i < n; i++) {
		mem += group_size(&defs[i]);
		ctr += 1 + defs[i].n_buckets;
	}
	s = rte_zmalloc_socket("vs_groups", sizeof(*s), RTE_CACHE_LINE_SIZE, socket);
	if (s == NULL)
		return -ENOMEM;
	s->n = n;
	s->mask = size - 1;
	s->n_ctr = ctr;
	s->idx = rte_zmalloc_socket("vs_groups", sizeof(*s->idx) * size, RTE_CACHE_LINE_SIZE,
				    socket);
	s->mem = rte_zmalloc_socket("vs_groups", mem ? mem : 8, RTE_CACHE_LINE_SIZE, socket);
	if (s->idx == NULL || s->mem == NULL)
		goto nomem;
	for (i = 0; i < n_pmds && i < VS_MAX_PMDS; i++) {
		s->ctr[i] = rte_zmalloc_socket("vs_groups", sizeof(struct vs_group_ctr) * (ctr + 1),
					       RTE_CACHE_LINE_SIZE, socket);
		if (s->ctr[i] == NULL)
			goto nomem;
	}
	p = s->mem;
	ctr = 0;
	for (i = 0; i < n; i++) {
		struct vs_group *g = fill_group(p, &defs[i], ctr);
		uint32_t h = vs_group_slot(g->id);

		while (s->idx[h & s->mask] != NULL)
			h++;
		s->idx[h & s->mask] = g;
		p += group_size(&defs[i]);
		ctr += 1 + g->n_buckets;
	}
	*out = s;
	return 0;
nomem:
	vs_group_set_free(s);
	return -ENOMEM;
}

void
vs_group_set_free(struct vs_group_set *s)
{
	unsigned int i;

	if (s == NULL)
		return;
	for (i = 0; i < VS_MAX_PMDS; i++)
		rte_free(s->ctr[i]);
	rte_free(s->idx);
	rte_free(s->mem);
	rte_free(s);
}

void
vs_group_stats(const struct vs_group_set *s, const struct vs_group *g, int bucket,
	       uint64_t *packets, uint64_t *bytes)
{
	uint32_t at = g->ctr + (bucket < 0 ? 0 : 1 + (uint32_t)bucket);
	unsigned int i;

	*packets = *bytes = 0;
	for (i = 0; i < VS_MAX_PMDS; i++) {
		if (s->ctr[i] == NULL)
			continue;
		*packets += s->ctr[i][at].packets;
		*bytes += s->ctr[i][at].bytes;
	}
}

/* ---- liveness and selection (PMD) ---- */

static bool group_live(const struct vs_groups *gs, const struct vs_group_set *s,
		       const struct vs_group *g, unsigned int depth);

static bool
bucket_live(const struct vs_groups *gs, const struct vs_group_set *s, const struct vs_bucket *b,
	    unsigned int depth)
{
	const struct vs_group *w;

	if (b->watch_port != VS_PORT_NONE && !vs_groups_port_live(gs, b->watch_port))
		return false;
	if (b->watch_group == VS_GROUP_ANY)
		return true;
	w = vs_group_find(s, b->watch_group);
	return w != NULL && depth < VS_GROUP_DEPTH_MAX && group_live(gs, s, w, depth + 1);
}

/* OpenFlow: a group is live if one of its buckets is. */
static bool
group_live(const struct vs_groups *gs, const struct vs_group_set *s, const struct vs_group *g,
	   unsigned int depth)
{
	uint16_t i;

	for (i = 0; i < g->n_buckets; i++)
		if (bucket_live(gs, s, &g->b[i], depth))
			return true;
	return false;
}

/* The picked bucket is down: choose among the live ones by weight. */
static int
pick_live(const struct vs_groups *gs, const struct vs_group_set *s, const struct vs_group *g,
	  uint32_t hash)
{
	uint32_t total = 0, r;
	uint16_t i;

	for (i = 0; i < g->n_buckets; i++)
		if (g->b[i].weight && bucket_live(gs, s, &g->b[i], 0))
			total += g->b[i].weight;
	if (total == 0)
		return -1;
	r = (hash >> 8) % total;
	for (i = 0; i < g->n_buckets; i++) {
		if (!g->b[i].weight || !bucket_live(gs, s, &g->b[i], 0))
			continue;
		if (r < g->b[i].weight)
			return i;
		r -= g->b[i].weight;
	}
	return -1;
}

int
vs_group_pick(const struct vs_groups *gs, const struct vs_group_set *s, const struct vs_group *g,
	      uint32_t hash)
{
	uint16_t i;
	int b;

	switch (g->type) {
	case VS_GROUP_SELECT:
		if (g->lut_empty)
			return -1;
		b = g->lut[hash & (VS_GROUP_SELECT_SLOTS - 1)];
		return bucket_live(gs, s, &g->b[b], 0) ? b : pick_live(gs, s, g, hash);
	case VS_GROUP_FF:
		for (i = 0; i < g->n_buckets; i++)
			if (bucket_live(gs, s, &g->b[i], 0))
				return i;
		return -1;
	default:
		return g->n_buckets > 0 ? 0 : -1;
	}
}

uint32_t
vs_group_hash(const struct vs_flow_key *k)
{
	uint32_t h;

	if (k->dl_type != ETH_IPV4 && k->dl_type != ETH_IPV6) {
		h = rte_hash_crc(&k->dl_dst, 2 * sizeof(k->dl_dst), k->dl_type);
		return h ^ (h >> 15);
	}
	h = rte_hash_crc(k->nw_src, sizeof(k->nw_src) + sizeof(k->nw_dst), k->nw_proto);
	if (k->l4_ofs != 0 && !(k->nw_frag & VS_FRAG_LATER))
		h = rte_hash_crc_4byte((uint32_t)k->tp_src << 16 | k->tp_dst, h);
	/* Fold the high bits into the low ones (the select slot). Not
	 * rte_hash_crc_4byte(h, h): a CRC of a value seeded with itself is 0. */
	return h ^ (h >> 15);
}

/* ---- running (PMD) ---- */

static void
count(struct vs_group_ctr *c, const struct rte_mbuf *m)
{
	c->packets++;
	c->bytes += rte_pktmbuf_pkt_len(m);
}

/* Bucket 'i' of 'g' on 'm' (one reference, maybe shared). */
static void
run_bucket(struct vs_worker *w, struct vs_port *in, const struct vs_group_set *s,
	   const struct vs_group *g, uint16_t i, struct rte_mbuf *m, const struct vs_flow_key *k,
	   struct vs_normal_batch *nb)
{
	const struct vs_actions *acts = g->b[i].acts;
	struct vs_flow_key local;
	struct rte_mbuf *copy;
	struct vs_port *p;
	enum vs_drop why;

	if (likely(s->ctr[w->idx] != NULL))
		count(&s->ctr[w->idx][g->ctr + 1 + i], m);
	if (acts->kind == VS_ACTS_OUTPUT) { /* the common bucket: one port */
		p = vs_output_port(w->dp, in, acts->out_port, &why);
		if (likely(p != NULL))
			vs_worker_push(w, p, m);
		else
			vs_worker_drop(w, in, m, why);
		return;
	}
	if (acts->last_mod == 0) { /* nothing rewrites it, nor its key */
		vs_actions_execute(w, in, acts, m, (struct vs_flow_key *)(uintptr_t)k, nb);
		return;
	}
	/* It rewrites the packet: a private copy if anyone else holds it. */
	if (rte_mbuf_refcnt_read(m) > 1) {
		copy = w->pool ? rte_pktmbuf_copy(m, w->pool, 0, UINT32_MAX) : NULL;
		if (unlikely(copy == NULL)) {
			vs_worker_drop(w, in, m, VS_DROP_NO_MBUF);
			return;
		}
		rte_pktmbuf_free(m);
		m = copy;
	}
	if (k != NULL)
		local = *k;
	else
		vs_flowkey_extract_one(m, in->id, &local);
	vs_actions_execute(w, in, acts, m, &local, nb);
}

const struct vs_action *
vs_group_stamp(const struct vs_worker *w, const struct vs_port *in, const struct vs_action *a,
	       struct vs_action *tmp)
{
	const struct vs_group_pmd *gp;

	if (!(a->flags & VS_AF_BUCKET) || in->br == NULL || in->br->groups == NULL)
		return a;
	gp = &in->br->groups->pmd[w->idx];
	*tmp = *a;
	tmp->u32 = gp->table;
	tmp->u64 = gp->cookie;
	tmp->flags &= (uint8_t)~VS_AF_TABLE_MISS;
	if (gp->miss && a->u8 == 1 /* OFPR_ACTION */)
		tmp->flags |= VS_AF_TABLE_MISS;
	return tmp;
}

void
vs_group_execute(struct vs_worker *w, struct vs_port *in, const struct vs_action *ga,
		 struct rte_mbuf *m, const struct vs_flow_key *k, struct vs_normal_batch *nb)
{
	struct vs_groups *gs = in->br->groups;
	const struct vs_group_set *s = gs != NULL ? vs_rcu_deref((void *const *)&gs->set) : NULL;
	const struct vs_group *g = vs_group_find(s, ga->u32);
	struct vs_group_pmd *gp;
	uint64_t cookie;
	uint8_t table;
	bool miss;
	struct vs_flow_key local;
	uint16_t i;
	int b;

	if (unlikely(g == NULL || gs->pmd[w->idx].depth >= VS_GROUP_DEPTH_MAX)) {
		vs_worker_drop(w, in, m, VS_DROP_GROUP_MISSING);
		return;
	}
	if (likely(s->ctr[w->idx] != NULL))
		count(&s->ctr[w->idx][g->ctr], m);
	gp = &gs->pmd[w->idx];
	/* The stamp of an outer group, back when this one is done (not the
	 * whole cache-line struct: three fields). */
	table = gp->table;
	cookie = gp->cookie;
	miss = gp->miss;
	if (!(ga->flags & VS_AF_BUCKET)) { /* a rule's: its stamp, until the group is done */
		gp->table = ga->u8;
		gp->cookie = ga->u64;
		gp->miss = (ga->flags & VS_AF_TABLE_MISS) != 0;
	}
	gp->depth++;
	if (g->type == VS_GROUP_ALL) {
		if (g->n_buckets == 0)
			vs_worker_drop(w, in, m, VS_DROP_GROUP_NO_BUCKET);
		vs_mbuf_share(m, g->n_buckets); /* one reference per bucket */
		for (i = 0; i < g->n_buckets; i++)
			run_bucket(w, in, s, g, i, m, k, nb);
	} else {
		uint32_t hash = 0;

		if (g->type == VS_GROUP_SELECT) {
			if (k == NULL) {
				vs_flowkey_extract_one(m, in->id, &local);
				k = &local;
			}
			hash = vs_group_hash(k);
		}
		b = vs_group_pick(gs, s, g, hash);
		if (b >= 0)
			run_bucket(w, in, s, g, (uint16_t)b, m, k, nb);
		else
			vs_worker_drop(w, in, m, VS_DROP_GROUP_NO_BUCKET);
	}
	gp->depth--;
	gp->table = table;
	gp->cookie = cookie;
	gp->miss = miss;
}
