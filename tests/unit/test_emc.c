/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_emc.c: the PMD's exact-match cache (dataplane/emc.h) on
 * bursts made of runs of one key, while the rule they hit is replaced,
 * removed, given new actions and added back: the cache never answers from
 * before a change. Then the change log it replays (classifier.h): random
 * inserts and removes between lookups, against a brute-force reference,
 * with rules that shadow cached answers, removals of cached answers, masks
 * that change the layout, and more changes than the log holds; and that an
 * ACL's rule coming or going leaves the other entries cached. Its agreement
 * with the reference under random tables of many masks is in
 * test_classifier.c. */
#include <stdlib.h>
#include <string.h>

#include "classifier.h"
#include "emc.h"
#include "flowkey.h"
#include "harness.h"

#define MISS UINT32_MAX

static const struct vs_flow_key tcp_key = {
	.in_port = 2, .dl_type = 0x0800, .nw_proto = 6, .tp_dst = 80, .nw_dst = {10, 0, 0, 1}};
static const struct vs_flow_key arp_key = {.in_port = 2, .dl_type = 0x0806};

/* kind 0: dl_type + nw_proto + tp_dst; 1: dl_type; 2: in_port + dl_type + nw_dst */
static struct vs_cls_entry *
add(struct vs_cls *c, unsigned int kind, const struct vs_flow_key *k, uint16_t prio, uint32_t id,
    uint16_t port)
{
	struct vs_action a = {.type = VS_ACT_OUTPUT, .port = port};
	struct vs_flow_match m;
	struct vs_cls_entry *e;
	unsigned int i;

	memset(&m, 0, sizeof(m));
	m.mask.dl_type = 0xffff;
	if (kind == 0) {
		m.mask.nw_proto = 0xff;
		m.mask.tp_dst = 0xffff;
	}
	if (kind == 2) {
		m.mask.in_port = 0xffff;
		memset(m.mask.nw_dst, 0xff, 4);
	}
	for (i = 0; i < VS_KEY_WORDS; i++)
		vs_key_words_rw(&m.key)[i] = vs_key_words(k)[i] & vs_key_words(&m.mask)[i];
	assert_int_equal(vs_cls_insert(c, &m, prio, id, &a, 1, id, &e), 0);
	return e;
}

/* A burst of runs of seven tcp_key and one arp_key (which hits rule 1). */
static void
expect_burst(struct vs_emc *emc, const struct vs_cls *c, uint32_t want, uint16_t port)
{
	const struct vs_cls_entry *hit[VS_BURST];
	struct vs_flow_key keys[VS_BURST];
	uint16_t i;

	for (i = 0; i < VS_BURST; i++)
		keys[i] = i % 8 == 7 ? arp_key : tcp_key;
	vs_emc_lookup(emc, c, keys, VS_BURST, hit);
	for (i = 0; i < VS_BURST; i++) {
		if (i % 8 == 7) {
			assert_non_null(hit[i]);
			assert_int_equal(hit[i]->id, 1);
			continue;
		}
		assert_int_equal(hit[i] != NULL ? hit[i]->id : MISS, want);
		if (want != MISS)
			assert_int_equal(hit[i]->acts->a[0].port, port);
	}
}

static void
test_emc_follows_changes(void **state)
{
	struct vs_cls_conf conf = {.socket = SOCKET_ID_ANY};
	struct vs_emc *emc = calloc(1, sizeof(*emc));
	struct vs_action alt = {.type = VS_ACT_OUTPUT, .port = 77};
	struct vs_cls_entry *e0, *e2;
	unsigned int round;
	struct vs_cls *c;

	assert_non_null(emc);
	assert_int_equal(vs_cls_create(&conf, &c), 0);
	e0 = add(c, 0, &tcp_key, 1, 0, 10);   /* the packets' rule */
	add(c, 1, &arp_key, 1, 1, 11);        /* another mask: the cache is used */
	for (round = 0; round < 2; round++) { /* the second finds old entries cached */
		expect_burst(emc, c, 0, 10);
		expect_burst(emc, c, 0, 10);
		e2 = add(c, 2, &tcp_key, 9, 2, 12); /* beats rule 0 */
		expect_burst(emc, c, 2, 12);
		vs_cls_remove(c, e2);
		expect_burst(emc, c, 0, 10);
		assert_int_equal(vs_cls_set_actions(c, e0, &alt, 1), 0);
		expect_burst(emc, c, 0, 77);
		vs_cls_remove(c, e0);
		expect_burst(emc, c, MISS, 0);
		e0 = add(c, 0, &tcp_key, 1, 0, 10);
	}
	vs_cls_destroy(c);
	free(emc);
}

/* ---- the change log, against a brute-force reference ---- */

#define RULES 400

/* xorshift64, fixed seeds */
static uint32_t
rnd(uint64_t *s, uint32_t below)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s % below);
}

/* Masks: ACL (dl_type, nw_proto, nw_dst, tp_dst: the 'used' mask while
 * alone with the catch-all, so its changes are EXACT); NET (dl_type,
 * nw_dst/24: inside ACL's, ANY); PORT (in_port, dl_type: new bits in a
 * used word, the layout changes); WIDE (ACL plus dl_src, nw_src: five
 * words, keys of 8; ACL's changes become ANY); ALL (the catch-all). */
enum {
	K_ACL,
	K_NET,
	K_PORT,
	K_WIDE,
	K_ALL,
	K_KINDS
};

struct ref_rule {
	struct vs_flow_match m;
	struct vs_cls_entry *e;
	uint64_t score;
	bool live;
};

struct ref {
	struct ref_rule r[RULES];
	uint32_t seq;
	unsigned int n_live[K_KINDS];
	uint8_t kind[RULES];
};

/* Keys from small ranges (rules and packets overlap), junk elsewhere. */
static void
rand_key(uint64_t *s, struct vs_flow_key *k)
{
	uint8_t *b = (uint8_t *)k;
	size_t i;

	for (i = 0; i < sizeof(*k); i++)
		b[i] = (uint8_t)rnd(s, 256);
	k->in_port = (uint16_t)rnd(s, 3);
	k->dl_type = rnd(s, 8) ? 0x0800 : 0x0806;
	k->nw_proto = rnd(s, 2) ? 6 : 17;
	k->tp_dst = rnd(s, 2) ? 80 : 443;
	memset(&k->dl_src, 0, sizeof(k->dl_src));
	k->dl_src.addr_bytes[5] = (uint8_t)rnd(s, 2);
	memset(k->nw_src, 0, sizeof(k->nw_src));
	memset(k->nw_dst, 0, sizeof(k->nw_dst));
	k->nw_src[0] = k->nw_dst[0] = 10;
	k->nw_dst[2] = (uint8_t)rnd(s, 2);
	k->nw_dst[3] = (uint8_t)rnd(s, 12);
}

static void
rand_match(uint64_t *s, unsigned int kind, struct vs_flow_match *m)
{
	struct vs_flow_key *mk = &m->mask;
	unsigned int i;

	memset(m, 0, sizeof(*m));
	rand_key(s, &m->key);
	if (kind != K_ALL)
		mk->dl_type = 0xffff;
	if (kind == K_ACL || kind == K_WIDE) {
		mk->nw_proto = 0xff;
		mk->tp_dst = 0xffff;
		memset(mk->nw_dst, 0xff, 4);
	}
	if (kind == K_NET)
		memset(mk->nw_dst, 0xff, 3);
	if (kind == K_PORT)
		mk->in_port = 0xffff;
	if (kind == K_WIDE) {
		memset(&mk->dl_src, 0xff, sizeof(mk->dl_src));
		memset(mk->nw_src, 0xff, 4);
	}
	for (i = 0; i < VS_KEY_WORDS; i++)
		vs_key_words_rw(&m->key)[i] &= vs_key_words(mk)[i];
}

static bool
matches(const struct vs_flow_match *m, const struct vs_flow_key *k)
{
	unsigned int i;

	for (i = 0; i < VS_KEY_WORDS; i++)
		if ((vs_key_words(k)[i] & vs_key_words(&m->mask)[i]) != vs_key_words(&m->key)[i])
			return false;
	return true;
}

static uint32_t
ref_lookup(const struct ref *f, const struct vs_flow_key *k)
{
	uint64_t best = 0;
	uint32_t id = MISS, i;

	for (i = 0; i < RULES; i++)
		if (f->r[i].live && f->r[i].score > best && matches(&f->r[i].m, k)) {
			best = f->r[i].score;
			id = i;
		}
	return id;
}

static void
ref_insert(uint64_t *s, struct ref *f, struct vs_cls *c, uint32_t i, unsigned int kind)
{
	static const uint16_t prios[] = {5, 10, 10, 20, 30};
	struct vs_action a = {.type = VS_ACT_OUTPUT, .port = (uint16_t)i};
	struct ref_rule *r = &f->r[i];
	uint16_t prio = kind == K_ALL ? 1 : prios[rnd(s, 5)];

	rand_match(s, kind, &r->m);
	r->score = vs_cls_score(prio, ++f->seq);
	assert_int_equal(vs_cls_insert(c, &r->m, prio, f->seq, &a, 1, i, &r->e), 0);
	r->live = true;
	f->kind[i] = (uint8_t)kind;
	f->n_live[kind]++;
}

static void
ref_remove(struct ref *f, struct vs_cls *c, uint32_t i)
{
	vs_cls_remove(c, f->r[i].e);
	f->r[i].live = false;
	f->n_live[f->kind[i]]--;
}

/* One random change: mostly ACL rules; the other masks now and then, and
 * never long (their rules go soon), so that most changes are EXACT ones
 * and some shadow or remove what the cache holds. Rule 0 is the
 * catch-all: the table keeps two subtables and the cache is used. */
static void
ref_change(uint64_t *s, struct ref *f, struct vs_cls *c, bool acl_only)
{
	uint32_t i = 1 + rnd(s, RULES - 1), k = acl_only ? 0 : rnd(s, 100);

	if (f->r[i].live && (!acl_only || f->kind[i] == K_ACL))
		ref_remove(f, c, i);
	else if (!f->r[i].live)
		ref_insert(s, f, c, i, k < 88 ? K_ACL : k < 92 ? K_NET : k < 96 ? K_PORT : K_WIDE);
	if (acl_only)
		return;
	if (rnd(s, 40) == 0) /* the catch-all goes or comes back */
		f->r[0].live ? ref_remove(f, c, 0) : ref_insert(s, f, c, 0, K_ALL);
	for (k = K_NET; k <= K_WIDE; k++)
		for (i = 1; rnd(s, 6) == 0 && i < RULES; i++)
			if (f->r[i].live && f->kind[i] == k)
				ref_remove(f, c, i);
}

static void
compare(uint64_t *s, const struct ref *f, struct vs_emc *emc, const struct vs_cls *c)
{
	const struct vs_cls_entry *hit[VS_BURST];
	struct vs_flow_key keys[VS_BURST];
	uint16_t n = (uint16_t)(1 + rnd(s, VS_BURST)), i;

	for (i = 0; i < n; i++)
		if (i > 0 && rnd(s, 3) == 0)
			keys[i] = keys[i - 1]; /* a run: one answer for both */
		else
			rand_key(s, &keys[i]);
	vs_emc_lookup(emc, c, keys, n, hit);
	for (i = 0; i < n; i++)
		assert_int_equal(hit[i] != NULL ? hit[i]->id : MISS, ref_lookup(f, &keys[i]));
}

static void
test_emc_replays_changes_like_reference(void **state)
{
	struct vs_cls_conf conf = {.socket = SOCKET_ID_ANY};
	struct vs_emc *emc = calloc(1, sizeof(*emc));
	struct ref *f = calloc(1, sizeof(*f));
	uint64_t s = 0x9e3779b97f4a7c15ull;
	unsigned int step, j, n;
	struct vs_cls *c;

	(void)state;
	assert_true(emc != NULL && f != NULL);
	assert_int_equal(vs_cls_create(&conf, &c), 0);
	ref_insert(&s, f, c, 0, K_ALL);
	for (step = 0; step < 6000; step++) {
		/* Between two lookups: a few changes, mostly; sometimes more
		 * than one replay takes (VS_EMC_REPLAY), or than the log holds,
		 * of ACL rules only (EXACT records: only the limits start over). */
		j = rnd(&s, 50);
		n = j == 0 ? VS_CLS_LOG_SIZE + 20 : j == 1 ? VS_EMC_REPLAY + 3 : rnd(&s, 4);
		for (j = 0; j < n; j++)
			ref_change(&s, f, c, n > 3);
		for (j = rnd(&s, 6); j > 0; j--)
			compare(&s, f, emc, c);
	}
	vs_cls_destroy(c);
	free(f);
	free(emc);
}

/* Entries of 'emc' with its tag for 'c'. */
static unsigned int
n_cached(const struct vs_emc *emc, const struct vs_cls *c)
{
	const struct vs_emc_table *t = &emc->t[(c->uid >> 1) & (VS_EMC_TABLES - 1)];
	unsigned int i, n = 0;

	for (i = 0; i < VS_EMC_SIZE; i++)
		n += t->uid == c->uid && emc->e[i].tag == t->tag;
	return n;
}

/* 24 flows cached; an ACL rule for one of them comes and goes: that one's
 * entry alone is emptied each time. A rule of another mask empties all. */
static void
test_emc_exact_change_keeps_other_entries(void **state)
{
	struct vs_cls_conf conf = {.socket = SOCKET_ID_ANY};
	struct vs_emc *emc = calloc(1, sizeof(*emc));
	struct ref *f = calloc(1, sizeof(*f));
	struct vs_action out = {.type = VS_ACT_OUTPUT, .port = 7};
	const struct vs_cls_entry *hit[VS_BURST];
	struct vs_flow_key keys[VS_BURST];
	uint64_t s = 42;
	unsigned int i;
	struct vs_cls *c;

	(void)state;
	assert_true(emc != NULL && f != NULL);
	assert_int_equal(vs_cls_create(&conf, &c), 0);
	ref_insert(&s, f, c, 0, K_ALL);
	ref_insert(&s, f, c, 1, K_ACL);
	for (i = 0; i < 24; i++) {
		rand_key(&s, &keys[i]);
		keys[i].dl_type = 0x0800;
		keys[i].nw_proto = 17;
		keys[i].tp_dst = 80;
		keys[i].nw_dst[3] = (uint8_t)(100 + i); /* 24 distinct masked keys */
	}
	vs_emc_lookup(emc, c, keys, 24, hit);
	assert_int_equal(n_cached(emc, c), 24);
	/* Rule 2: exactly key 5's masked key, above the catch-all. */
	rand_match(&s, K_ACL, &f->r[2].m);
	f->r[2].m.key = keys[5];
	for (i = 0; i < VS_KEY_WORDS; i++)
		vs_key_words_rw(&f->r[2].m.key)[i] &= vs_key_words(&f->r[2].m.mask)[i];
	assert_int_equal(vs_cls_insert(c, &f->r[2].m, 50, 99, &out, 1, 2, &f->r[2].e), 0);
	vs_emc_lookup(emc, c, keys, 1, hit); /* replays the insert */
	assert_int_equal(n_cached(emc, c), 23);
	vs_emc_lookup(emc, c, keys, 24, hit);
	assert_int_equal(hit[5]->id, 2);
	assert_int_equal(hit[4]->id, 0);
	assert_int_equal(n_cached(emc, c), 24);
	vs_cls_remove(c, f->r[2].e);
	vs_emc_lookup(emc, c, keys, 1, hit);
	assert_int_equal(n_cached(emc, c), 23);
	vs_emc_lookup(emc, c, keys, 24, hit);
	assert_int_equal(hit[5]->id, 0);
	ref_insert(&s, f, c, 3, K_NET); /* ANY */
	vs_emc_lookup(emc, c, keys, 1, hit);
	assert_int_equal(n_cached(emc, c), 1);
	vs_cls_destroy(c);
	free(f);
	free(emc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emc_follows_changes),
		cmocka_unit_test(test_emc_replays_changes_like_reference),
		cmocka_unit_test(test_emc_exact_change_keeps_other_entries),
	};

	return cmocka_run_group_tests(tests, harness_group_setup, NULL);
}
