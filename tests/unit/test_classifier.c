/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_classifier.c: the flow table (dataplane/classifier.c)
 * against a brute-force reference, built at once and changed by long random
 * sequences of inserts, removes and new actions; its priority and tie
 * rules, its flags and copied actions, its memory accounting, and a reader
 * looking up while a writer changes the table (ASan checks it never reads
 * freed memory). The key extractor is in test_flowkey.c. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "classifier.h"
#include "emc.h"
#include "flowkey.h"
#include "harness.h"
#include "rng.h"

#define MAX_RULES 2000
#define SWAPS     300
#define MISS      UINT32_MAX

/* ---- rules ---- */

/* The random pool is the first M_KINDS; the others are for the flags. */
enum {
	M_IN_PORT,
	M_DL_DST,
	M_NW_DST, /* dl_type + nw_dst/plen */
	M_L4,     /* dl_type + nw_proto + tp_dst */
	M_PAIR,   /* in_port + dl_type + nw_src + nw_dst */
	M_ALL,
	M_KINDS,
	M_DL_TYPE = M_KINDS,
	M_VLAN,
	M_NONE, /* no rule */
};

static void
mask_make(struct vs_flow_key *m, unsigned int kind, unsigned int plen)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	m->in_port = kind == M_IN_PORT || kind == M_PAIR ? 0xffff : 0;
	if (kind == M_NW_DST || kind == M_L4 || kind == M_PAIR || kind == M_DL_TYPE)
		m->dl_type = 0xffff;
	if (kind == M_DL_DST)
		memset(&m->dl_dst, 0xff, sizeof(m->dl_dst));
	if (kind == M_L4) {
		m->nw_proto = 0xff;
		m->tp_dst = 0xffff;
	}
	if (kind == M_PAIR) {
		memset(m->nw_src, 0xff, 4);
		plen = 32;
	}
	/* byte i of a /plen prefix keeps min(plen - 8i, 8) bits, if any */
	for (i = 0; i < 4 && (kind == M_PAIR || kind == M_NW_DST); i++)
		m->nw_dst[i] = (uint8_t)(0xff << (8 - RTE_MIN(plen - RTE_MIN(plen, 8 * i), 8u)));
	m->vlan_tci = kind == M_VLAN ? VS_VLAN_PRESENT : 0;
}

/* Random bits everywhere; the matched fields from small ranges, so that
 * rules and packets overlap. */
static void
key_random(struct rng *r, struct vs_flow_key *k)
{
	static const uint16_t types[] = {0x0800, 0x86dd, 0x0806};
	static const uint16_t ports[] = {22, 53, 80, 443};
	uint8_t *b = (uint8_t *)k;
	size_t i;

	for (i = 0; i < sizeof(*k); i++)
		b[i] = (uint8_t)rnd(r, 256);
	k->in_port = (uint16_t)rnd(r, 4);
	k->dl_type = types[rnd(r, 3)];
	k->nw_proto = rnd(r, 2) ? 6 : 17;
	k->tp_dst = ports[rnd(r, 4)];
	memset(&k->dl_dst, 0, sizeof(k->dl_dst));
	k->dl_dst.addr_bytes[5] = (uint8_t)rnd(r, 4);
	memset(k->nw_src, 0, 4); /* 10.0.0.0-3 > 10.{0,16}.0-3.0-3 */
	memset(k->nw_dst, 0, 4);
	k->nw_src[0] = k->nw_dst[0] = 10;
	k->nw_src[3] = (uint8_t)rnd(r, 4);
	k->nw_dst[1] = (uint8_t)(rnd(r, 2) << 4);
	k->nw_dst[2] = (uint8_t)rnd(r, 4);
	k->nw_dst[3] = (uint8_t)rnd(r, 4);
}

/* dst = a's bits where 'mask' is set, b's elsewhere */
static void
key_blend(struct vs_flow_key *dst, const struct vs_flow_key *a, const struct vs_flow_key *b,
	  const struct vs_flow_key *mask)
{
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b, *m = (const uint8_t *)mask;
	uint8_t *d = (uint8_t *)dst;
	size_t i;

	for (i = 0; i < sizeof(*dst); i++)
		d[i] = (uint8_t)((x[i] & m[i]) | (y[i] & ~m[i]));
}

/* Rules by index, which is also their id and their seq (the add order). */
struct ruleset {
	uint32_t n;
	struct vs_flow_match m[MAX_RULES];
	struct vs_action a[MAX_RULES];
	uint16_t prio[MAX_RULES];
	uint16_t n_actions[MAX_RULES];
	const struct vs_action *acts[MAX_RULES];
	bool live[MAX_RULES];              /* in the classifier */
	struct vs_cls_entry *e[MAX_RULES]; /* when live */
};

static struct ruleset *
rs_new(void)
{
	struct ruleset *rs = calloc(1, sizeof(*rs));

	assert_non_null(rs);
	return rs;
}

/* Append a rule: mask 'kind' over 'k', one action 'type' to 'port'. */
static void
rs_add(struct ruleset *rs, unsigned int kind, unsigned int plen, const struct vs_flow_key *k,
       uint16_t prio, uint8_t type, uint16_t port)
{
	static const struct vs_flow_key zero;
	uint32_t i = rs->n++;

	mask_make(&rs->m[i].mask, kind, plen);
	key_blend(&rs->m[i].key, k, &zero, &rs->m[i].mask);
	rs->a[i] = (struct vs_action){.type = type, .port = port};
	rs->prio[i] = prio;
	rs->n_actions[i] = 1;
	rs->acts[i] = &rs->a[i];
	rs->live[i] = false;
}

static struct vs_cls *
cls_new(struct rte_rcu_qsbr *v)
{
	struct vs_cls_conf conf = {.qsbr = v, .socket = SOCKET_ID_ANY, .table_id = 3};
	struct vs_cls *c;

	assert_int_equal(vs_cls_create(&conf, &c), 0);
	return c;
}

static void
rs_insert(struct ruleset *rs, struct vs_cls *c, uint32_t i)
{
	assert_int_equal(vs_cls_insert(c, &rs->m[i], rs->prio[i], i, rs->acts[i], rs->n_actions[i],
				       i, &rs->e[i]),
			 0);
	assert_int_equal(rs->e[i]->id, i);
	assert_int_equal(rs->e[i]->table_id, 3);
	rs->live[i] = true;
}

static void
rs_remove(struct ruleset *rs, struct vs_cls *c, uint32_t i)
{
	vs_cls_remove(c, rs->e[i]);
	rs->live[i] = false;
	rs->e[i] = NULL;
}

/* Every rule of 'rs' inserted in order into a new table. */
static struct vs_cls *
rs_build(struct ruleset *rs)
{
	struct vs_cls *c = cls_new(NULL);
	uint32_t i;

	for (i = 0; i < rs->n; i++)
		rs_insert(rs, c, i);
	assert_int_equal(vs_cls_n_rules(c), rs->n);
	return c;
}

static uint32_t
lookup_one(const struct vs_cls *c, const struct vs_flow_key *k)
{
	const struct vs_cls_entry *e;

	vs_cls_lookup(c, k, 1, &e);
	return e != NULL ? e->id : MISS;
}

/* ---- 1. against a linear reference ---- */

/* The live matching rule of highest priority, ties to the first added;
 * byte by byte, independent of the classifier's word-wise match. */
static uint32_t
ref_lookup(const struct ruleset *rs, const struct vs_flow_key *key)
{
	const uint8_t *k = (const uint8_t *)key, *mk, *mm;
	uint32_t i, best = MISS;
	size_t b;

	for (i = 0; i < rs->n; i++) {
		if (!rs->live[i])
			continue;
		mk = (const uint8_t *)&rs->m[i].key;
		mm = (const uint8_t *)&rs->m[i].mask;
		for (b = 0; b < sizeof(*key) && (k[b] & mm[b]) == mk[b]; b++)
			;
		if (b == sizeof(*key) && (best == MISS || rs->prio[i] > rs->prio[best]))
			best = i;
	}
	return best;
}

/* Most packets are a rule's key with the bits it ignores randomized. */
static void
key_for_packet(struct rng *r, const struct ruleset *rs, struct vs_flow_key *k)
{
	const struct vs_flow_match *m;

	key_random(r, k);
	if (rs->n == 0 || rnd(r, 4) == 0)
		return;
	m = &rs->m[rnd(r, rs->n)];
	key_blend(k, &m->key, k, &m->mask);
}

/* Look up 'n_keys' packets in random bursts; returns how many hit. */
static unsigned int
compare_with_reference(struct rng *r, const struct ruleset *rs, const struct vs_cls *c,
		       unsigned int n_keys)
{
	const struct vs_cls_entry *hits_e[VS_BURST];
	struct vs_flow_key keys[VS_BURST];
	unsigned int done, hits = 0;
	uint16_t burst, i;
	uint32_t got, want;

	for (done = 0; done < n_keys; done += burst) {
		burst = (uint16_t)(1 + rnd(r, VS_BURST));
		for (i = 0; i < burst; i++)
			key_for_packet(r, rs, &keys[i]);
		vs_cls_lookup(c, keys, burst, hits_e);
		for (i = 0; i < burst; i++) {
			want = ref_lookup(rs, &keys[i]);
			got = hits_e[i] != NULL ? hits_e[i]->id : MISS;
			if (got != want)
				print_error("%u rules, packet %u: rule %u, want %u\n", rs->n,
					    done + i, got, want);
			assert_int_equal(got, want);
			if (want != MISS) /* rule i outputs to port i, or has new actions */
				assert_int_equal(hits_e[i]->acts->a[0].port,
						 rs->acts[want][0].port);
			hits += want != MISS;
		}
	}
	return hits;
}

static void
test_lookup_agrees_with_linear_reference(void **state)
{
	static const uint32_t sizes[] = {1, 10, 300, MAX_RULES};
	struct ruleset *rs;
	struct vs_flow_key k;
	unsigned int s, seed, kind, plen;
	struct vs_cls *c;
	uint16_t prio;
	uint32_t i;

	for (s = 0; s < RTE_DIM(sizes); s++) {
		for (seed = 1; seed <= 3; seed++) {
			struct rng r = {.s = 0x9e3779b97f4a7c15ull * (s * 8 + seed)};

			rs = rs_new();
			for (i = 0; i < sizes[s]; i++) {
				key_random(&r, &k);
				kind = rnd(&r, M_KINDS);
				plen = 8 + rnd(&r, 25);
				prio = (uint16_t)rnd(&r, 4);
				rs_add(rs, kind, plen, &k, prio, VS_ACT_OUTPUT, (uint16_t)i);
			}
			c = rs_build(rs);
			/* at least the packets made from rules hit */
			assert_true(compare_with_reference(&r, rs, c, 6000) > 6000 / 2);
			vs_cls_destroy(c);
			free(rs);
		}
	}
}

static void
test_empty_table_misses_everything(void **state)
{
	struct ruleset *rs = rs_new();
	struct rng r = {.s = 42};
	struct vs_cls *c = rs_build(rs);

	assert_int_equal(compare_with_reference(&r, rs, c, 500), 0);
	assert_null(vs_cls_normal_only(c));
	assert_int_equal(vs_cls_n_masks(c), 0);
	vs_cls_destroy(c);
	vs_cls_destroy(NULL);
	free(rs);
}

/* ---- 2-4. hand-made tables ---- */

static const struct vs_flow_key tcp_key = {
	.in_port = 2, .dl_type = 0x0800, .nw_proto = 6, .tp_dst = 80};
static const struct vs_flow_key arp_key = {.in_port = 2, .dl_type = 0x0806};

static void
expect_slot(struct ruleset *rs, const struct vs_flow_key *k, uint32_t slot)
{
	struct vs_cls *c = rs_build(rs);

	assert_int_equal(lookup_one(c, k), slot);
	vs_cls_destroy(c);
}

static void
test_shadowed_rule_never_wins(void **state)
{
	struct ruleset *rs = rs_new();

	rs_add(rs, M_L4, 0, &tcp_key, 1, VS_ACT_OUTPUT, 1);
	rs_add(rs, M_L4, 0, &tcp_key, 5, VS_ACT_OUTPUT, 2); /* shadows slot 0 */
	rs_add(rs, M_L4, 0, &tcp_key, 5, VS_ACT_OUTPUT, 3); /* the same, later */
	expect_slot(rs, &tcp_key, 1);
	expect_slot(rs, &arp_key, MISS);
	free(rs);
}

static void
test_equal_priority_goes_to_first_added(void **state)
{
	struct ruleset *rs = rs_new();

	rs_add(rs, M_L4, 0, &tcp_key, 3, VS_ACT_OUTPUT, 1);
	rs_add(rs, M_L4, 0, &tcp_key, 3, VS_ACT_OUTPUT, 2);
	expect_slot(rs, &tcp_key, 0);

	/* Across masks too, in either order. */
	rs->n = 0;
	rs_add(rs, M_ALL, 0, &tcp_key, 3, VS_ACT_OUTPUT, 1);
	rs_add(rs, M_L4, 0, &tcp_key, 3, VS_ACT_OUTPUT, 2);
	expect_slot(rs, &tcp_key, 0);
	rs->n = 0;
	rs_add(rs, M_L4, 0, &tcp_key, 3, VS_ACT_OUTPUT, 2);
	rs_add(rs, M_ALL, 0, &tcp_key, 3, VS_ACT_OUTPUT, 1);
	expect_slot(rs, &tcp_key, 0);
	expect_slot(rs, &arp_key, 1);

	/* A later rule of higher priority beats both. */
	rs_add(rs, M_IN_PORT, 0, &tcp_key, 4, VS_ACT_OUTPUT, 3);
	expect_slot(rs, &tcp_key, 2);
	expect_slot(rs, &arp_key, 2);
	free(rs);
}

/* One or two rules of mask kinds 'k0', 'k1', each with one action 'act'. */
static void
expect_flags(unsigned int k0, unsigned int k1, uint8_t act, bool in_port_only, bool normal_only)
{
	struct ruleset *rs = rs_new();
	struct vs_cls *c;

	rs_add(rs, k0, 0, &tcp_key, 1, act, 1);
	if (k1 != M_NONE)
		rs_add(rs, k1, 0, &tcp_key, 1, act, 1);
	c = rs_build(rs);
	if (vs_cls_in_port_only(c) != in_port_only ||
	    (vs_cls_normal_only(c) != NULL) != normal_only)
		print_error("kinds %u %u, action %u\n", k0, k1, act);
	assert_int_equal(vs_cls_in_port_only(c), in_port_only);
	assert_int_equal(vs_cls_normal_only(c) != NULL, normal_only);
	vs_cls_destroy(c);
	free(rs);
}

static void
test_flags_describe_the_table(void **state)
{
	expect_flags(M_IN_PORT, M_ALL, VS_ACT_OUTPUT, true, false);
	expect_flags(M_IN_PORT, M_NONE, VS_ACT_NORMAL, true, false);
	expect_flags(M_IN_PORT, M_L4, VS_ACT_OUTPUT, false, false);
	expect_flags(M_IN_PORT, M_DL_TYPE, VS_ACT_OUTPUT, false, false);
	expect_flags(M_VLAN, M_NONE, VS_ACT_OUTPUT, false, false);
	expect_flags(M_DL_DST, M_NONE, VS_ACT_NORMAL, false, false);
	expect_flags(M_ALL, M_NONE, VS_ACT_NORMAL, true, true);
	expect_flags(M_ALL, M_NONE, VS_ACT_OUTPUT, true, false);
	expect_flags(M_ALL, M_NONE, VS_ACT_FLOOD, true, false);
	expect_flags(M_ALL, M_ALL, VS_ACT_NORMAL, true, false);
}

static void
test_actions_are_copied(void **state)
{
	struct vs_action *out = calloc(3, sizeof(*out)), *mod = out + 1;
	struct ruleset *rs = rs_new();
	struct vs_flow_key k = tcp_key;
	const struct vs_actions *a;
	struct vs_cls *c;
	uint16_t i;

	assert_non_null(out);
	out[0] = (struct vs_action){.type = VS_ACT_OUTPUT, .port = 7};
	mod[0] = (struct vs_action){.type = VS_ACT_SET_DL_SRC, .mac.addr_bytes = {2, [5] = 9}};
	mod[1] = (struct vs_action){.type = VS_ACT_OUTPUT, .port = 3};
	for (k.in_port = 1; k.in_port <= 3; k.in_port++)
		rs_add(rs, M_IN_PORT, 0, &k, 1, VS_ACT_FLOOD, 0);
	rs->acts[0] = out;
	rs->acts[1] = mod;
	rs->n_actions[1] = 2;
	rs->acts[2] = NULL;
	rs->n_actions[2] = 0;
	c = rs_build(rs);
	memset(out, 0xff, 3 * sizeof(*out)); /* the caller reuses, then frees, all it passed */
	free(out);
	a = rs->e[0]->acts;
	assert_true(a->n == 1 && a->kind == VS_ACTS_OUTPUT && a->out_port == 7);
	a = rs->e[1]->acts;
	assert_true(a->n == 2 && a->kind == VS_ACTS_GENERAL && a->last_mod == 1);
	assert_true(a->a[0].type == VS_ACT_SET_DL_SRC && a->a[0].mac.addr_bytes[5] == 9);
	assert_true(a->a[1].type == VS_ACT_OUTPUT && a->a[1].port == 3);
	a = rs->e[2]->acts;
	assert_true(a->n == 0 && a->kind == VS_ACTS_DROP);
	memset(rs, 0xff, sizeof(*rs));
	free(rs);
	for (i = 0; i <= 3; i++) { /* and the matches still work */
		k.in_port = (uint16_t)(i + 1);
		assert_int_equal(lookup_one(c, &k), i < 3 ? i : MISS);
	}
	vs_cls_destroy(c);
}

/* ---- 5. changes in place ---- */

/* A pool of rules for random changes: random masks and keys, one in four a
 * copy of an earlier rule's match at another priority (a chain). */
static void
pool_make(struct rng *r, struct ruleset *rs, uint32_t n)
{
	struct vs_flow_key k;
	uint32_t i, j;

	for (i = 0; i < n; i++) {
		key_random(r, &k);
		rs_add(rs, rnd(r, M_KINDS), 8 + rnd(r, 25), &k, (uint16_t)rnd(r, 6), VS_ACT_OUTPUT,
		       (uint16_t)i);
		if (i > 0 && rnd(r, 4) == 0) {
			j = rnd(r, i);
			rs->m[i] = rs->m[j];
		}
	}
}

/* One random change: insert a rule that is out, remove one that is in, or
 * give one new actions (the port becomes 1000 + something). */
static void
change(struct rng *r, struct ruleset *rs, struct vs_cls *c, struct vs_action *alt)
{
	uint32_t i = rnd(r, rs->n);

	if (!rs->live[i]) {
		rs_insert(rs, c, i);
	} else if (rnd(r, 3) == 0) {
		alt[i] = (struct vs_action){.type = VS_ACT_OUTPUT,
					    .port = (uint16_t)(1000 + rnd(r, 99))};
		assert_int_equal(vs_cls_set_actions(c, rs->e[i], &alt[i], 1), 0);
		rs->acts[i] = &alt[i];
	} else {
		rs_remove(rs, c, i);
	}
}

static void
compare_emc(struct rng *r, const struct ruleset *rs, const struct vs_cls *c, struct vs_emc *emc,
	    unsigned int n_keys)
{
	const struct vs_cls_entry *hit[VS_BURST];
	struct vs_flow_key keys[VS_BURST];
	unsigned int done;
	uint16_t burst, i;

	for (done = 0; done < n_keys; done += burst) {
		burst = (uint16_t)(1 + rnd(r, VS_BURST));
		for (i = 0; i < burst; i++) {
			/* Runs of one key (the cache reuses the answer), some
			 * broken by one bit the table may or may not look at. */
			if (i == 0 || rnd(r, 2) == 0) {
				key_for_packet(r, rs, &keys[i]);
				continue;
			}
			keys[i] = keys[i - 1];
			if (rnd(r, 3) == 0)
				((uint8_t *)&keys[i])[rnd(r, 64)] ^= (uint8_t)(1 << rnd(r, 8));
		}
		vs_emc_lookup(emc, c, keys, burst, hit);
		for (i = 0; i < burst; i++)
			assert_int_equal(hit[i] != NULL ? hit[i]->id : MISS,
					 ref_lookup(rs, &keys[i]));
	}
}

static void
test_random_changes_agree_with_reference(void **state)
{
	struct vs_action *alt = calloc(MAX_RULES, sizeof(*alt));
	struct vs_emc *emc = calloc(1, sizeof(*emc));
	struct rte_rcu_qsbr *v;
	unsigned int seed, step;
	uint64_t empty_bytes;
	struct ruleset *rs;
	struct vs_cls *c;
	uint32_t i;

	assert_true(alt != NULL && emc != NULL);
	/* A qsbr nobody reads under: frees are deferred, then reclaimed. */
	v = rte_zmalloc(NULL, rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	assert_non_null(v);
	assert_int_equal(rte_rcu_qsbr_init(v, 1), 0);
	for (seed = 1; seed <= 4; seed++) {
		struct rng r = {.s = 0x2545f4914f6cdd1dull * seed};

		rs = rs_new();
		pool_make(&r, rs, seed == 4 ? MAX_RULES : 300);
		c = cls_new(seed % 2 ? v : NULL);
		empty_bytes = vs_cls_bytes(c);
		for (step = 0; step < 6000; step++) {
			change(&r, rs, c, alt);
			if (step % 16 == 0)
				vs_cls_reclaim(c);
			if (step % 500 == 499) {
				compare_with_reference(&r, rs, c, 2000);
				compare_emc(&r, rs, c, emc, 2000);
			}
		}
		for (i = 0; i < rs->n; i++) /* all out: the memory comes back */
			if (rs->live[i])
				rs_remove(rs, c, i);
		assert_int_equal(vs_cls_n_rules(c), 0);
		assert_int_equal(compare_with_reference(&r, rs, c, 500), 0);
		vs_cls_reclaim(c);
		assert_int_equal(vs_cls_n_masks(c), 0);
		assert_int_equal(vs_cls_bytes(c), empty_bytes);
		/* and back in, in one go, as a bulk load does */
		for (i = 0; i < rs->n; i++)
			rs_insert(rs, c, i);
		assert_true(vs_cls_bytes(c) > empty_bytes);
		compare_with_reference(&r, rs, c, 3000);
		compare_emc(&r, rs, c, emc, 3000);
		vs_cls_destroy(c);
		free(rs);
	}
	rte_free(v);
	free(emc);
	free(alt);
}

static void
test_normal_only_follows_changes(void **state)
{
	struct vs_action normal = {.type = VS_ACT_NORMAL}, out = {.type = VS_ACT_OUTPUT, .port = 1};
	struct ruleset *rs = rs_new();
	struct vs_cls *c = cls_new(NULL);

	rs_add(rs, M_ALL, 0, &tcp_key, 0, VS_ACT_NORMAL, 0);
	rs_add(rs, M_L4, 0, &tcp_key, 5, VS_ACT_OUTPUT, 1);
	rs_insert(rs, c, 0);
	assert_ptr_equal(vs_cls_normal_only(c), rs->e[0]);
	rs_insert(rs, c, 1);
	assert_null(vs_cls_normal_only(c));
	assert_int_equal(lookup_one(c, &tcp_key), 1);
	rs_remove(rs, c, 1);
	assert_ptr_equal(vs_cls_normal_only(c), rs->e[0]);
	assert_int_equal(vs_cls_set_actions(c, rs->e[0], &out, 1), 0);
	assert_null(vs_cls_normal_only(c));
	assert_int_equal(vs_cls_set_actions(c, rs->e[0], &normal, 1), 0);
	assert_ptr_equal(vs_cls_normal_only(c), rs->e[0]);
	vs_cls_destroy(c);
	free(rs);
}

/* A subtable outgrowing its hash, several times, stays right. */
static void
test_growing_subtable(void **state)
{
	struct ruleset *rs = rs_new();
	struct rng r = {.s = 7};
	struct vs_flow_key k = tcp_key;
	struct vs_cls *c = cls_new(NULL);
	uint32_t i;

	for (i = 0; i < MAX_RULES; i++) {
		k.tp_dst = (uint16_t)i;
		rs_add(rs, M_L4, 0, &k, 1, VS_ACT_OUTPUT, (uint16_t)i);
		rs_insert(rs, c, i);
	}
	assert_int_equal(vs_cls_n_masks(c), 1);
	for (i = 0; i < MAX_RULES; i++) {
		k.tp_dst = (uint16_t)i;
		assert_int_equal(lookup_one(c, &k), i);
	}
	compare_with_reference(&r, rs, c, 2000);
	vs_cls_destroy(c);
	free(rs);
}

/* ---- 6. a reader under a writer ---- */

struct reader {
	struct rte_rcu_qsbr *v;
	struct ruleset *rs;
	struct vs_cls *c;
	struct vs_emc *emc;
	uint64_t *rem_op; /* by rule: the op that last removed it */
	uint64_t op;      /* ops completed */
	int stop;
	unsigned long loops, bad, hits;
};

static void *
reader_main(void *arg)
{
	const struct vs_cls_entry *hit[VS_BURST];
	struct vs_flow_key keys[VS_BURST];
	struct reader *rd = arg;
	struct rng r = {.s = 99};
	uint16_t i, n;
	uint64_t t0;

	rte_rcu_qsbr_thread_register(rd->v, 0);
	rte_rcu_qsbr_thread_online(rd->v, 0);
	while (!__atomic_load_n(&rd->stop, __ATOMIC_ACQUIRE)) {
		n = (uint16_t)(1 + rnd(&r, VS_BURST));
		for (i = 0; i < n; i++)
			key_for_packet(&r, rd->rs, &keys[i]);
		t0 = __atomic_load_n(&rd->op, __ATOMIC_ACQUIRE);
		if (rd->loops % 2)
			vs_emc_lookup(rd->emc, rd->c, keys, n, hit);
		else
			vs_cls_lookup(rd->c, keys, n, hit);
		for (i = 0; i < n; i++) {
			uint32_t id;

			if (hit[i] == NULL)
				continue;
			id = hit[i]->id;
			rd->hits++;
			/* A rule that matches, that was in at some point of the
			 * lookup, whose actions are readable. */
			if (id >= rd->rs->n || !vs_flow_match_key(&rd->rs->m[id], &keys[i]) ||
			    (!__atomic_load_n(&rd->rs->live[id], __ATOMIC_ACQUIRE) &&
			     __atomic_load_n(&rd->rem_op[id], __ATOMIC_ACQUIRE) <= t0) ||
			    hit[i]->acts->n != 1 || hit[i]->acts->a[0].type != VS_ACT_OUTPUT)
				__atomic_add_fetch(&rd->bad, 1, __ATOMIC_RELAXED);
		}
		__atomic_add_fetch(&rd->loops, 1, __ATOMIC_RELEASE);
		rte_rcu_qsbr_quiescent(rd->v, 0);
	}
	rte_rcu_qsbr_thread_offline(rd->v, 0);
	rte_rcu_qsbr_thread_unregister(rd->v, 0);
	return NULL;
}

static void
test_lookups_under_a_writer(void **state)
{
	struct vs_action *alt = calloc(MAX_RULES, sizeof(*alt));
	struct rng r = {.s = 1234};
	struct reader rd = {0};
	unsigned int step;
	pthread_t th;
	uint32_t i;

	rd.rs = rs_new();
	rd.emc = calloc(1, sizeof(*rd.emc));
	rd.rem_op = calloc(MAX_RULES, sizeof(*rd.rem_op));
	rd.v = rte_zmalloc(NULL, rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	assert_true(alt && rd.emc && rd.rem_op && rd.v);
	assert_int_equal(rte_rcu_qsbr_init(rd.v, 1), 0);
	pool_make(&r, rd.rs, 600);
	rd.c = cls_new(rd.v);
	assert_int_equal(pthread_create(&th, NULL, reader_main, &rd), 0);
	while (__atomic_load_n(&rd.loops, __ATOMIC_ACQUIRE) == 0)
		sched_yield();
	for (step = 0; step < 40000; step++) {
		i = rnd(&r, rd.rs->n);
		if (!rd.rs->live[i]) {
			/* "in" from before the insert: conservative for the check */
			__atomic_store_n(&rd.rs->live[i], true, __ATOMIC_RELEASE);
			rs_insert(rd.rs, rd.c, i);
		} else if (rnd(&r, 3) == 0) {
			alt[i] = (struct vs_action){.type = VS_ACT_OUTPUT, .port = (uint16_t)step};
			assert_int_equal(vs_cls_set_actions(rd.c, rd.rs->e[i], &alt[i], 1), 0);
		} else {
			uint64_t op = rd.op + 1;

			__atomic_store_n(&rd.rem_op[i], op, __ATOMIC_RELEASE);
			vs_cls_remove(rd.c, rd.rs->e[i]);
			__atomic_store_n(&rd.rs->live[i], false, __ATOMIC_RELEASE);
			rd.rs->e[i] = NULL;
			__atomic_store_n(&rd.op, op, __ATOMIC_RELEASE);
		}
		vs_cls_reclaim(rd.c);
		if (step % 64 == 0)
			sched_yield(); /* two cores: let the reader through */
	}
	__atomic_store_n(&rd.stop, 1, __ATOMIC_RELEASE);
	assert_int_equal(pthread_join(th, NULL), 0);
	vs_cls_destroy(rd.c);
	rte_free(rd.v);
	free(rd.rem_op);
	free(rd.emc);
	free(rd.rs);
	free(alt);
	print_message("reader: %lu lookups, %lu hits\n", rd.loops, rd.hits);
	assert_int_equal(rd.bad, 0);
	assert_true(rd.hits > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_agrees_with_linear_reference),
		cmocka_unit_test(test_empty_table_misses_everything),
		cmocka_unit_test(test_shadowed_rule_never_wins),
		cmocka_unit_test(test_equal_priority_goes_to_first_added),
		cmocka_unit_test(test_flags_describe_the_table),
		cmocka_unit_test(test_actions_are_copied),
		cmocka_unit_test(test_random_changes_agree_with_reference),
		cmocka_unit_test(test_normal_only_follows_changes),
		cmocka_unit_test(test_growing_subtable),
		cmocka_unit_test(test_lookups_under_a_writer),
	};

	return cmocka_run_group_tests(tests, harness_group_setup, NULL);
}
