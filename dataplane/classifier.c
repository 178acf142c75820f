/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/classifier.c: tuple space search over immutable snapshots.
 *
 * Building: rules are sorted by mask; each distinct mask becomes a
 * subtable whose rte_hash maps the masked words of the key to the best
 * score among the rules with that exact match (a rule shadowed by an
 * identical match of higher priority can never win, so only the best is
 * kept). The hash is read-only once built: no concurrency flags, the
 * fastest lookups rte_hash has. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_hash.h>
#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "classifier.h"

/* rte_hash names are process-wide: a counter keeps them unique. */
static uint32_t snapshot_seq;

static int
cmp_mask(const void *a, const void *b, void *arg)
{
	const struct vs_cls_rule *r = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = memcmp(&r[x].match->mask, &r[y].match->mask, sizeof(struct vs_flow_key));

	return c ? c : (x < y ? -1 : x > y);
}

static void
compact(const struct vs_cls_subtable *s, const struct vs_flow_key *key, uint64_t *out)
{
	const vs_key_word *w = vs_key_words(key);
	unsigned int i;

	for (i = 0; i < s->n_words; i++)
		out[i] = w[s->words[i]] & s->mask[i];
}

static int
sub_init(struct vs_cls_subtable *s, const struct vs_flow_key *mask, uint32_t n_rules, uint32_t seq,
	 unsigned int idx, int socket)
{
	const vs_key_word *m = vs_key_words(mask);
	struct rte_hash_parameters hp = {
		.entries = n_rules < 8 ? 16 : n_rules * 2,
		.hash_func = rte_hash_crc,
		.socket_id = socket,
	};
	char name[RTE_HASH_NAMESIZE];
	unsigned int i;

	for (i = 0; i < VS_KEY_WORDS; i++)
		if (m[i] != 0) {
			s->words[s->n_words] = (uint8_t)i;
			s->mask[s->n_words++] = m[i];
		}
	/* A match-all rule has no words: key it by one zero word. */
	if (s->n_words == 0) {
		s->words[0] = 0;
		s->mask[0] = 0;
		s->n_words = 1;
	}
	snprintf(name, sizeof(name), "vs_cls_%u_%u", seq, idx);
	hp.name = name;
	hp.key_len = s->n_words * sizeof(uint64_t);
	s->h = rte_hash_create(&hp);
	return s->h ? 0 : -rte_errno;
}

/* Insert rule 'slot' into its subtable, keeping the best score per key. */
static int
sub_add(struct vs_cls_subtable *s, const struct vs_cls_rule *r, uint32_t slot)
{
	uint64_t key[VS_KEY_WORDS], score = vs_cls_score(r->priority, slot);
	void *old;

	compact(s, &r->match->key, key);
	if (rte_hash_lookup_data(s->h, key, &old) >= 0 && (uint64_t)(uintptr_t)old > score)
		return 0;
	if (score > s->bound)
		s->bound = score;
	return rte_hash_add_key_data(s->h, key, (void *)(uintptr_t)score);
}

static int
cmp_bound(const void *a, const void *b)
{
	const struct vs_cls_subtable *x = a, *y = b;

	return x->bound < y->bound ? 1 : x->bound > y->bound ? -1 : 0;
}

static int
build_subtables(struct vs_cls *c, const struct vs_cls_rule *rules, uint32_t n, int socket)
{
	uint32_t *order, i, j, k;
	int ret = 0;

	order = malloc(sizeof(*order) * (n ? n : 1));
	if (order == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), cmp_mask, (void *)rules);
	for (i = 0; i < n; i = j) {
		const struct vs_flow_key *mask = &rules[order[i]].match->mask;
		struct vs_cls_subtable *s = &c->sub[c->n_sub];

		for (j = i + 1; j < n && !memcmp(&rules[order[j]].match->mask, mask, sizeof(*mask));
		     j++)
			;
		ret = sub_init(s, mask, j - i, c->gen, c->n_sub, socket);
		if (ret < 0)
			break;
		c->n_sub++;
		for (k = i; k < j && ret >= 0; k++)
			ret = sub_add(s, &rules[order[k]], order[k]);
		if (ret < 0)
			break;
		ret = 0;
	}
	free(order);
	qsort(c->sub, c->n_sub, sizeof(c->sub[0]), cmp_bound);
	return ret;
}

/* Every rule's actions in one block, next to each other. */
static int
build_actions(struct vs_cls *c, const struct vs_cls_rule *rules, uint32_t n, int socket)
{
	size_t total = 0, off = 0;
	uint32_t i;

	for (i = 0; i < n; i++)
		total += vs_actions_size(rules[i].n_actions);
	c->act_block =
		rte_malloc_socket("vs_cls_act", total ? total : 8, RTE_CACHE_LINE_SIZE, socket);
	if (c->act_block == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct vs_actions *x = (struct vs_actions *)((char *)c->act_block + off);

		vs_actions_init(x, rules[i].actions, rules[i].n_actions);
		c->acts[i] = x;
		off += vs_actions_size(rules[i].n_actions);
	}
	return 0;
}

int
vs_cls_build(const struct vs_cls_rule *rules, uint32_t n, unsigned int n_pmds, int socket,
	     struct vs_cls **out)
{
	struct rte_malloc_socket_stats before, after;
	struct vs_cls *c;
	unsigned int p, w;
	uint32_t i;
	int ret;

	rte_malloc_get_socket_stats(socket < 0 ? 0 : socket, &before);
	c = rte_zmalloc_socket("vs_cls", sizeof(*c), RTE_CACHE_LINE_SIZE, socket);
	if (c == NULL)
		return -ENOMEM;
	c->gen = __atomic_add_fetch(&snapshot_seq, 1, __ATOMIC_RELAXED);
	c->n_rules = n;
	c->sub = rte_zmalloc_socket("vs_cls_sub", sizeof(*c->sub) * (n ? n : 1),
				    RTE_CACHE_LINE_SIZE, socket);
	c->acts = rte_zmalloc_socket("vs_cls_acts", sizeof(*c->acts) * (n ? n : 1), 0, socket);
	ret = c->sub && c->acts ? 0 : -ENOMEM;
	for (p = 0; ret == 0 && p < n_pmds; p++) {
		c->ctr[p] =
			rte_zmalloc_socket("vs_cls_ctr", sizeof(struct vs_flow_ctr) * (n ? n : 1),
					   RTE_CACHE_LINE_SIZE, socket);
		if (c->ctr[p] == NULL)
			ret = -ENOMEM;
	}
	if (ret == 0)
		ret = build_subtables(c, rules, n, socket);
	if (ret == 0)
		ret = build_actions(c, rules, n, socket);
	if (ret < 0) {
		vs_cls_free(c);
		return ret;
	}
	for (i = 0; i < n; i++)
		for (w = 0; w < VS_KEY_WORDS; w++)
			c->used[w] |= vs_key_words(&rules[i].match->mask)[w];
	for (w = 0; w < VS_KEY_WORDS; w++)
		if (c->used[w] != 0)
			c->used_word[c->n_used_words++] = (uint8_t)w;
	/* Only in_port (the first 16 bits of word 0) is looked at. */
	c->in_port_only = c->used[0] == (c->used[0] & 0xffff);
	for (w = 1; w < VS_KEY_WORDS; w++)
		c->in_port_only = c->in_port_only && c->used[w] == 0;
	c->normal_only =
		n == 1 && c->used[0] == 0 && c->in_port_only && c->acts[0]->kind == VS_ACTS_NORMAL;

	rte_malloc_get_socket_stats(socket < 0 ? 0 : socket, &after);
	c->bytes = after.heap_allocsz_bytes - before.heap_allocsz_bytes;
	*out = c;
	return 0;
}

void
vs_cls_free(struct vs_cls *c)
{
	unsigned int i;

	if (c == NULL)
		return;
	for (i = 0; c->sub != NULL && i < c->n_sub; i++)
		rte_hash_free(c->sub[i].h);
	for (i = 0; i < VS_MAX_PMDS; i++)
		rte_free(c->ctr[i]);
	rte_free(c->sub);
	rte_free(c->acts);
	rte_free(c->act_block);
	rte_free(c);
}

void
vs_cls_lookup(const struct vs_cls *c, const struct vs_flow_key *keys, uint16_t n, uint32_t *slots)
{
	uint64_t ck[VS_BURST][VS_KEY_WORDS], best[VS_BURST];
	const void *kp[VS_BURST];
	void *data[VS_BURST];
	uint16_t idx[VS_BURST], i, m;
	uint64_t hits;
	unsigned int s;

	memset(best, 0, sizeof(best[0]) * n); /* 0: no rule (every score is > 0) */
	for (s = 0; s < c->n_sub; s++) {
		const struct vs_cls_subtable *st = &c->sub[s];

		for (i = 0, m = 0; i < n; i++) {
			if (best[i] >= st->bound)
				continue; /* nothing in here can beat what it has */
			compact(st, &keys[i], ck[m]);
			kp[m] = ck[m];
			idx[m++] = i;
		}
		if (m == 0)
			break; /* bounds only decrease from here */
		hits = 0;
		if (rte_hash_lookup_bulk_data(st->h, kp, m, &hits, data) <= 0)
			continue;
		for (i = 0; i < m; i++) {
			uint64_t score = (uint64_t)(uintptr_t)data[i];

			if ((hits >> i & 1) && score > best[idx[i]])
				best[idx[i]] = score;
		}
	}
	for (i = 0; i < n; i++)
		slots[i] = best[i] ? UINT32_MAX - (uint32_t)best[i] : VS_CLS_MISS;
}
