/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_classifier.c: the flow table (dataplane/classifier.c)
 * against a brute-force reference, its priority and tie rules, its flags
 * and copied actions, and an RCU swap under a concurrent reader. The key
 * extractor is in test_flowkey.c. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "classifier.h"
#include "flowkey.h"
#include "harness.h"

#define MAX_RULES 2000
#define SWAPS     300

/* A private PRNG (xorshift64) with fixed seeds. */
struct rng {
	uint64_t s;
};

static uint32_t
rnd(struct rng *r, uint32_t below)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (uint32_t)(r->s % below);
}

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

struct ruleset {
	uint32_t n;
	struct vs_flow_match m[MAX_RULES];
	struct vs_action a[MAX_RULES];
	struct vs_cls_rule r[MAX_RULES];
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
	rs->r[i] = (struct vs_cls_rule){
		.match = &rs->m[i], .priority = prio, .n_actions = 1, .actions = &rs->a[i]};
}

static struct vs_cls *
rs_build(const struct ruleset *rs)
{
	struct vs_cls *c;

	assert_int_equal(vs_cls_build(rs->r, rs->n, 2, SOCKET_ID_ANY, &c), 0);
	assert_int_equal(c->n_rules, rs->n);
	return c;
}

static uint32_t
lookup_one(const struct vs_cls *c, const struct vs_flow_key *k)
{
	uint32_t slot;

	vs_cls_lookup(c, k, 1, &slot);
	return slot;
}

/* ---- 1. against a linear reference ---- */

/* The matching rule of highest priority, ties to the first added; byte
 * by byte, independent of the classifier's word-wise match. */
static uint32_t
ref_lookup(const struct ruleset *rs, const struct vs_flow_key *key)
{
	const uint8_t *k = (const uint8_t *)key, *mk, *mm;
	uint32_t i, best = VS_CLS_MISS;
	size_t b;

	for (i = 0; i < rs->n; i++) {
		mk = (const uint8_t *)&rs->m[i].key;
		mm = (const uint8_t *)&rs->m[i].mask;
		for (b = 0; b < sizeof(*key) && (k[b] & mm[b]) == mk[b]; b++)
			;
		if (b == sizeof(*key) &&
		    (best == VS_CLS_MISS || rs->r[i].priority > rs->r[best].priority))
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
	struct vs_flow_key keys[VS_BURST];
	uint32_t slots[VS_BURST], want;
	unsigned int done, hits = 0;
	uint16_t burst, i;

	for (done = 0; done < n_keys; done += burst) {
		burst = (uint16_t)(1 + rnd(r, VS_BURST));
		for (i = 0; i < burst; i++)
			key_for_packet(r, rs, &keys[i]);
		vs_cls_lookup(c, keys, burst, slots);
		for (i = 0; i < burst; i++) {
			want = ref_lookup(rs, &keys[i]);
			if (slots[i] != want)
				print_error("%u rules, packet %u: slot %u, want %u\n", rs->n,
					    done + i, slots[i], want);
			assert_int_equal(slots[i], want);
			if (want != VS_CLS_MISS) /* rule i outputs to port i */
				assert_int_equal(c->acts[want]->out_port, want);
			hits += want != VS_CLS_MISS;
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
			vs_cls_free(c);
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
	assert_false(c->normal_only);
	vs_cls_free(c);
	vs_cls_free(NULL);
	free(rs);
}

/* ---- 2-4. hand-made tables ---- */

static const struct vs_flow_key tcp_key = {
	.in_port = 2, .dl_type = 0x0800, .nw_proto = 6, .tp_dst = 80};
static const struct vs_flow_key arp_key = {.in_port = 2, .dl_type = 0x0806};

static void
expect_slot(const struct ruleset *rs, const struct vs_flow_key *k, uint32_t slot)
{
	struct vs_cls *c = rs_build(rs);

	assert_int_equal(lookup_one(c, k), slot);
	vs_cls_free(c);
}

static void
test_shadowed_rule_never_wins(void **state)
{
	struct ruleset *rs = rs_new();

	rs_add(rs, M_L4, 0, &tcp_key, 1, VS_ACT_OUTPUT, 1);
	rs_add(rs, M_L4, 0, &tcp_key, 5, VS_ACT_OUTPUT, 2); /* shadows slot 0 */
	rs_add(rs, M_L4, 0, &tcp_key, 5, VS_ACT_OUTPUT, 3); /* the same, later */
	expect_slot(rs, &tcp_key, 1);
	expect_slot(rs, &arp_key, VS_CLS_MISS);
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
	if (c->in_port_only != in_port_only || c->normal_only != normal_only)
		print_error("kinds %u %u, action %u\n", k0, k1, act);
	assert_int_equal(c->in_port_only, in_port_only);
	assert_int_equal(c->normal_only, normal_only);
	vs_cls_free(c);
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
	rs->r[0].actions = out;
	rs->r[1].actions = mod;
	rs->r[1].n_actions = 2;
	rs->r[2].actions = NULL;
	rs->r[2].n_actions = 0;
	c = rs_build(rs);
	memset(out, 0xff, 3 * sizeof(*out)); /* the caller reuses, then frees, all it passed */
	free(out);
	memset(rs, 0xff, sizeof(*rs));
	free(rs);

	a = c->acts[0];
	assert_true(a->n == 1 && a->kind == VS_ACTS_OUTPUT && a->out_port == 7);
	a = c->acts[1];
	assert_true(a->n == 2 && a->kind == VS_ACTS_GENERAL && a->last_mod == 1);
	assert_true(a->a[0].type == VS_ACT_SET_DL_SRC && a->a[0].mac.addr_bytes[5] == 9);
	assert_true(a->a[1].type == VS_ACT_OUTPUT && a->a[1].port == 3);
	a = c->acts[2];
	assert_true(a->n == 0 && a->kind == VS_ACTS_DROP);
	for (i = 0; i <= 3; i++) { /* and the matches still work */
		k.in_port = (uint16_t)(i + 1);
		assert_int_equal(lookup_one(c, &k), i < 3 ? i : VS_CLS_MISS);
	}
	vs_cls_free(c);
}

/* ---- 5. RCU: swap snapshots under a reader ---- */

struct reader {
	struct rte_rcu_qsbr *v;
	struct vs_cls *pub; /* the published snapshot */
	int stop;
	unsigned long loops, bad;
};

/* A: tcp_key hits slot 0, output:1. B: it hits slot 2, output:2. */
static struct vs_cls *
snapshot(bool b)
{
	struct vs_flow_key other = tcp_key;
	struct ruleset *rs = rs_new();
	struct vs_cls *c;

	other.in_port = 1;
	if (!b)
		rs_add(rs, M_L4, 0, &tcp_key, 2, VS_ACT_OUTPUT, 1);
	rs_add(rs, M_ALL, 0, &tcp_key, 0, VS_ACT_OUTPUT, 9);
	if (b) {
		rs_add(rs, M_IN_PORT, 0, &other, 5, VS_ACT_OUTPUT, 7);
		rs_add(rs, M_PAIR, 0, &tcp_key, 1, VS_ACT_OUTPUT, 2);
	}
	c = rs_build(rs);
	free(rs);
	return c;
}

static bool
legal_answer(const struct vs_cls *c, uint32_t slot)
{
	const struct vs_actions *a;

	if (slot >= c->n_rules)
		return false;
	a = c->acts[slot];
	return a->kind == VS_ACTS_OUTPUT &&
	       ((slot == 0 && a->out_port == 1) || (slot == 2 && a->out_port == 2));
}

static void *
reader_main(void *arg)
{
	struct reader *rd = arg;
	const struct vs_cls *c;

	rte_rcu_qsbr_thread_register(rd->v, 0);
	rte_rcu_qsbr_thread_online(rd->v, 0);
	while (!__atomic_load_n(&rd->stop, __ATOMIC_ACQUIRE)) {
		c = __atomic_load_n(&rd->pub, __ATOMIC_ACQUIRE);
		if (!legal_answer(c, lookup_one(c, &tcp_key)))
			__atomic_add_fetch(&rd->bad, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&rd->loops, 1, __ATOMIC_RELEASE);
		rte_rcu_qsbr_quiescent(rd->v, 0);
	}
	rte_rcu_qsbr_thread_offline(rd->v, 0);
	rte_rcu_qsbr_thread_unregister(rd->v, 0);
	return NULL;
}

static void
test_rcu_swap_under_concurrent_lookups(void **state)
{
	struct reader rd = {0};
	struct vs_cls *old;
	pthread_t th;
	int i;

	rd.v = rte_zmalloc(NULL, rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	assert_non_null(rd.v);
	assert_int_equal(rte_rcu_qsbr_init(rd.v, 1), 0);
	rd.pub = snapshot(false);
	assert_true(legal_answer(rd.pub, lookup_one(rd.pub, &tcp_key)));
	assert_int_equal(pthread_create(&th, NULL, reader_main, &rd), 0);
	while (__atomic_load_n(&rd.loops, __ATOMIC_ACQUIRE) == 0)
		sched_yield();
	for (i = 0; i < SWAPS; i++) {
		old = rd.pub;
		__atomic_store_n(&rd.pub, snapshot(i % 2 == 0), __ATOMIC_RELEASE);
		rte_rcu_qsbr_synchronize(rd.v, RTE_QSBR_THRID_INVALID);
		vs_cls_free(old);
	}
	__atomic_store_n(&rd.stop, 1, __ATOMIC_RELEASE);
	assert_int_equal(pthread_join(th, NULL), 0);
	vs_cls_free(rd.pub);
	rte_free(rd.v);
	assert_int_equal(rd.bad, 0);
	assert_true(rd.loops >= SWAPS); /* each grace period needed a fresh pass */
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
		cmocka_unit_test(test_rcu_swap_under_concurrent_lookups),
	};

	return cmocka_run_group_tests(tests, harness_group_setup, NULL);
}
