/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_index.c: the structures a bridge's flow table keeps
 * beside its rules, so that no single change costs O(rules): the array of
 * every rule and the one of the operator's (removal swaps the last one in),
 * the identity index (a chained hash on the match; a chain holds every
 * table and priority of that match), per table the count of rules looking
 * at each bit of the key (which says when a loose filter can use the
 * index), and the rule ids with their grace period before reuse. Called by
 * control/flow/flow_table.c and flow_pipeline.c; calls nothing of them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_hash_crc.h>
#include <rte_rcu_qsbr.h>

#include "flow_table.h"
#include "flow_table_int.h"
#include "pipeline.h"
#include "switch.h"

static uint32_t
match_hash(const struct vs_flow_match *m)
{
	return rte_hash_crc(m, sizeof(*m), 0x9e3779b9);
}

void
vs_flows_struct_init(struct vs_flow_table *t)
{
	memset(t, 0, offsetof(struct vs_flow_table, ids));
}

void
vs_flows_struct_fini(struct vs_flow_table *t)
{
	unsigned int i;

	free(t->rules);
	free(t->ops);
	free(t->idx);
	for (i = 0; i < VS_TABLES; i++)
		free(t->tbl[i]);
	vs_flows_struct_init(t);
}

static int
grow(struct vs_rule ***arr, uint32_t *cap, uint32_t need)
{
	struct vs_rule **p;
	uint32_t c = *cap ? *cap : 16;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	p = realloc(*arr, sizeof(*p) * c);
	if (p == NULL)
		return -ENOMEM;
	*arr = p;
	*cap = c;
	return 0;
}

/* Rehash into 'size' buckets (a power of two). */
static int
idx_resize(struct vs_flow_table *t, uint32_t size)
{
	struct vs_rule **b = calloc(size, sizeof(*b));
	uint32_t i;

	if (b == NULL)
		return -ENOMEM;
	for (i = 0; i < t->n; i++) {
		struct vs_rule *r = t->rules[i];

		r->hnext = b[r->hash & (size - 1)];
		b[r->hash & (size - 1)] = r;
	}
	free(t->idx);
	t->idx = b;
	t->idx_mask = size - 1;
	return 0;
}

int
vs_flows_reserve(struct vs_flow_table *t, uint32_t more)
{
	uint64_t need = (uint64_t)t->n + more;
	uint32_t size = t->idx ? t->idx_mask + 1 : 0;

	if (need > UINT32_MAX / 2)
		return -ENOSPC;
	if (grow(&t->rules, &t->cap, (uint32_t)need) < 0 ||
	    grow(&t->ops, &t->ops_cap, t->n_ops + more) < 0)
		return -ENOMEM;
	if (size >= need && size != 0)
		return 0;
	if (size == 0)
		size = 64;
	while (size < need)
		size *= 2;
	return idx_resize(t, size);
}

int
vs_flows_tbl(struct vs_flow_table *t, uint8_t id)
{
	if (t->tbl[id] == NULL)
		t->tbl[id] = calloc(1, sizeof(*t->tbl[id]));
	return t->tbl[id] ? 0 : -ENOMEM;
}

/* Count r's mask bits into its table, 'd' being +1 or -1. */
static void
count_mask(struct flow_tbl *tb, const struct vs_rule *r, int d)
{
	const vs_key_word *m = vs_key_words(&r->match.mask);
	unsigned int w;

	tb->n_rules += d;
	for (w = 0; w < VS_KEY_WORDS; w++) {
		uint64_t bits = m[w];

		while (bits) {
			unsigned int b = __builtin_ctzll(bits);
			uint32_t *c = &tb->bits[w * 64 + b];

			bits &= bits - 1;
			*c += d;
			if (*c == 0)
				tb->used[w] &= ~(1ull << b);
			else
				tb->used[w] |= 1ull << b;
		}
	}
}

void
vs_flows_link(struct vs_flow_table *t, struct vs_rule *r)
{
	uint32_t b;

	r->hash = match_hash(&r->match);
	r->pos = t->n;
	t->rules[t->n++] = r;
	r->opos = UINT32_MAX;
	if (r->origin == VS_ORIGIN_OPERATOR) {
		r->opos = t->n_ops;
		t->ops[t->n_ops++] = r;
	}
	b = r->hash & t->idx_mask;
	r->hnext = t->idx[b];
	t->idx[b] = r;
	count_mask(t->tbl[r->table_id], r, 1);
}

static void
ops_remove(struct vs_flow_table *t, struct vs_rule *r)
{
	struct vs_rule *last = t->ops[--t->n_ops];

	t->ops[r->opos] = last;
	last->opos = r->opos;
	r->opos = UINT32_MAX;
}

void
vs_flows_unlink(struct vs_flow_table *t, struct vs_rule *r)
{
	struct vs_rule **pp = &t->idx[r->hash & t->idx_mask];
	struct vs_rule *last = t->rules[--t->n];

	t->rules[r->pos] = last;
	last->pos = r->pos;
	if (r->opos != UINT32_MAX)
		ops_remove(t, r);
	while (*pp != r)
		pp = &(*pp)->hnext;
	*pp = r->hnext;
	count_mask(t->tbl[r->table_id], r, -1);
}

void
vs_flows_set_origin(struct vs_flow_table *t, struct vs_rule *r, uint8_t origin)
{
	if (r->opos != UINT32_MAX && origin != VS_ORIGIN_OPERATOR)
		ops_remove(t, r);
	else if (r->opos == UINT32_MAX && origin == VS_ORIGIN_OPERATOR) {
		r->opos = t->n_ops;
		t->ops[t->n_ops++] = r;
	}
	r->origin = origin;
}

struct vs_rule *
vs_flows_find(const struct vs_flow_table *t, uint8_t table, const struct vs_flow_match *m,
	      uint16_t priority)
{
	uint32_t h = match_hash(m);
	struct vs_rule *r;

	if (t->idx == NULL)
		return NULL;
	for (r = t->idx[h & t->idx_mask]; r != NULL; r = r->hnext)
		if (r->hash == h && r->table_id == table && r->priority == priority &&
		    !memcmp(&r->match, m, sizeof(*m)))
			return r;
	return NULL;
}

/* Does no rule of table 'tb' look at a bit the filter's mask does not? */
static bool
covers(const struct flow_tbl *tb, const struct vs_flow_match *f)
{
	const vs_key_word *fm = vs_key_words(&f->mask);
	unsigned int w;

	if (tb == NULL)
		return true;
	for (w = 0; w < VS_KEY_WORDS; w++)
		if (tb->used[w] & ~fm[w])
			return false;
	return true;
}

static bool
index_usable(const struct vs_flow_table *t, const struct vs_flow_spec *f)
{
	unsigned int i;

	if (f->has_table)
		return covers(t->tbl[f->table_id], &f->match);
	for (i = 0; i < VS_TABLES; i++)
		if (t->tbl[i] != NULL && t->tbl[i]->n_rules && !covers(t->tbl[i], &f->match))
			return false;
	return true;
}

static int
push(struct vs_rule ***arr, uint32_t *n, uint32_t *cap, struct vs_rule *r)
{
	if (*n == *cap && grow(arr, cap, *n + 1) < 0)
		return -ENOMEM;
	(*arr)[(*n)++] = r;
	return 0;
}

int
vs_flows_select(const struct vs_flow_table *t, const struct vs_flow_spec *f, bool strict,
		struct vs_rule ***out, uint32_t *n)
{
	struct vs_rule **arr = NULL, *r;
	uint32_t cap = 0, i, h;
	int ret = 0;

	*n = 0;
	if (f != NULL && (strict || index_usable(t, f))) {
		/* Every rule selected has the filter's exact match: one chain. */
		h = match_hash(&f->match);
		for (r = t->idx ? t->idx[h & t->idx_mask] : NULL; r != NULL && ret == 0;
		     r = r->hnext)
			if (r->hash == h && !memcmp(&r->match, &f->match, sizeof(f->match)) &&
			    vs_flows_selects(r, f, strict))
				ret = push(&arr, n, &cap, r);
	} else {
		for (i = 0; i < t->n && ret == 0; i++)
			if (f == NULL || vs_flows_selects(t->rules[i], f, strict))
				ret = push(&arr, n, &cap, t->rules[i]);
	}
	if (ret < 0) {
		free(arr);
		*n = 0;
		arr = NULL;
	}
	*out = arr;
	return ret;
}

/* ---- ids ---- */

/* Room for every id below 'next' in both lists, so that freeing never fails. */
static int
ids_grow(struct flow_ids *ids, uint32_t next)
{
	uint32_t cap = ids->free_cap ? ids->free_cap : 1024, *f;
	struct flow_limbo *l;

	if (next <= ids->free_cap)
		return 0;
	while (cap < next)
		cap *= 2;
	if (cap > VS_FLOWS_MAX)
		cap = VS_FLOWS_MAX;
	f = realloc(ids->free, sizeof(*f) * cap);
	if (f == NULL)
		return -ENOMEM;
	ids->free = f;
	l = realloc(ids->limbo, sizeof(*l) * cap);
	if (l == NULL)
		return -ENOMEM; /* the free list grew: harmless */
	ids->limbo = l;
	ids->free_cap = ids->limbo_cap = cap;
	return 0;
}

void
vs_flow_id_unused(struct vs_bridge *br, uint32_t id)
{
	struct flow_ids *ids = &br->flows->ids;

	ids->free[ids->n_free++] = id;
}

void
vs_flow_ids_reclaim(struct vs_switch *sw, struct vs_bridge *br)
{
	struct flow_ids *ids = &br->flows->ids;

	while (ids->limbo_n > 0) {
		struct flow_limbo *l = &ids->limbo[ids->limbo_head];

		if (sw->dp.qsbr != NULL && rte_rcu_qsbr_check(sw->dp.qsbr, l->token, false) != 1)
			break;
		vs_flow_ctrs_clear(&br->ctrs, l->id);
		ids->free[ids->n_free++] = l->id;
		ids->limbo_head++;
		ids->limbo_n--;
	}
	if (ids->limbo_n == 0)
		ids->limbo_head = 0;
}

void
vs_flow_id_release(struct vs_switch *sw, struct vs_bridge *br, uint32_t id)
{
	struct flow_ids *ids = &br->flows->ids;
	uint32_t end = ids->limbo_head + ids->limbo_n;

	if (end == ids->limbo_cap) { /* compact: the ids in limbo fit, every id does */
		memmove(ids->limbo, ids->limbo + ids->limbo_head,
			sizeof(*ids->limbo) * ids->limbo_n);
		ids->limbo_head = 0;
		end = ids->limbo_n;
	}
	ids->limbo[end].id = id;
	ids->limbo[end].token = sw->dp.qsbr ? rte_rcu_qsbr_start(sw->dp.qsbr) : 0;
	ids->limbo_n++;
}

int
vs_flow_id_alloc(struct vs_switch *sw, struct vs_bridge *br, uint32_t *id)
{
	struct flow_ids *ids = &br->flows->ids;

	if (ids->n_free == 0)
		vs_flow_ids_reclaim(sw, br);
	if (ids->n_free == 0 && ids->next < VS_FLOWS_MAX) {
		if (ids_grow(ids, ids->next + 1) < 0)
			return -ENOMEM;
		*id = ids->next++;
		return 0;
	}
	if (ids->n_free == 0 && ids->limbo_n > 0) {
		/* Every id is taken or in its grace period: wait for it, once. */
		vs_switch_sync(sw);
		vs_flow_ids_reclaim(sw, br);
	}
	if (ids->n_free == 0)
		return -ENOSPC;
	*id = ids->free[--ids->n_free];
	return 0;
}

void
vs_flow_ids_fini(struct flow_ids *ids)
{
	free(ids->free);
	free(ids->limbo);
	memset(ids, 0, sizeof(*ids));
}
