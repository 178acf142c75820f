/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_emc.c: the PMD's exact-match cache (dataplane/emc.h) on
 * bursts made of runs of one key, while the rule they hit is replaced,
 * removed, given new actions and added back: the cache never answers from
 * before a change. Its agreement with a brute-force reference under random
 * tables and changes is in test_classifier.c. */
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emc_follows_changes),
	};

	return cmocka_run_group_tests(tests, harness_group_setup, NULL);
}
