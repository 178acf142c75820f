/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_placement.c: where rx queues go (control/switch/placement.c) on
 * synthetic topologies: two NUMA nodes (this machine has one: the
 * topology is injected, as the placement code takes it as input), uneven
 * loads, pinned queues, more queues than PMDs and the reverse. Each test
 * asserts the exact assignment an operator would expect. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "placement.h"

#define Q(port_, qid_, numa_, load_)                                                               \
	{                                                                                          \
		.port = port_, .qid = qid_, .numa = numa_, .load = load_, .pin_cpu = -1, .pmd = -1 \
	}

static void
two_pmds(struct vs_place_pmd *p, int numa_a, int numa_b)
{
	p[0] = (struct vs_place_pmd){.cpu = 2, .numa = numa_a};
	p[1] = (struct vs_place_pmd){.cpu = 3, .numa = numa_b};
}

static void
test_fresh_start_spreads_queues_evenly(void **state)
{
	struct vs_place_pmd p[2];
	struct vs_place_rxq q[] = {Q("a", 0, 0, 0), Q("a", 1, 0, 0), Q("b", 0, 0, 0),
				   Q("b", 1, 0, 0)};

	two_pmds(p, 0, 0);
	vs_place(p, 2, q, 4, VS_PLACE_KEEP, true);
	/* By name and queue when loads are equal: a0, a1, b0, b1 alternate. */
	assert_int_equal(q[0].pmd, 0);
	assert_int_equal(q[1].pmd, 1);
	assert_int_equal(q[2].pmd, 0);
	assert_int_equal(q[3].pmd, 1);
	assert_int_equal(p[0].n_queues, 2);
	assert_int_equal(p[1].n_queues, 2);
}

static void
test_queues_stay_on_their_numa_node(void **state)
{
	struct vs_place_pmd p[2];
	struct vs_place_rxq q[] = {Q("nic0", 0, 0, 10), Q("nic0", 1, 0, 10), Q("nic1", 0, 1, 10),
				   Q("vhu0", 0, 0, 10)};
	unsigned int i;

	two_pmds(p, 0, 1);
	vs_place(p, 2, q, 4, VS_PLACE_ALL, true);
	/* All node-0 queues on PMD 0, though PMD 1 is idler. */
	assert_int_equal(q[0].pmd, 0);
	assert_int_equal(q[1].pmd, 0);
	assert_int_equal(q[3].pmd, 0);
	assert_int_equal(q[2].pmd, 1);
	for (i = 0; i < 4; i++)
		assert_false(q[i].cross_numa);
}

static void
test_no_pmd_on_the_node_means_cross_numa_and_flagged(void **state)
{
	struct vs_place_pmd p[2];
	struct vs_place_rxq q[] = {Q("nic1", 0, 1, 10), Q("nic0", 0, 0, 50)};

	two_pmds(p, 0, 0);
	vs_place(p, 2, q, 2, VS_PLACE_ALL, true);
	/* Still largest first onto the least loaded: nic0 (50) to the first
	 * PMD, then nic1 (10), whose node has none, to the idle one. */
	assert_int_equal(q[1].pmd, 0);
	assert_int_equal(q[0].pmd, 1);
	assert_true(q[0].cross_numa);
	assert_false(q[1].cross_numa);
	/* An unknown node (-1) is never "cross". */
	q[0].numa = -1;
	vs_place(p, 2, q, 2, VS_PLACE_ALL, true);
	assert_false(q[0].cross_numa);
}

static void
test_uneven_loads_largest_first(void **state)
{
	struct vs_place_pmd p[2];
	struct vs_place_rxq q[] = {Q("q", 0, 0, 90), Q("q", 1, 0, 50), Q("q", 2, 0, 40),
				   Q("q", 3, 0, 30), Q("q", 4, 0, 10)};

	two_pmds(p, 0, 0);
	vs_place(p, 2, q, 5, VS_PLACE_ALL, true);
	/* 90 | 50 40 -> 90 | 90; 30 to the one with fewer queues; 10 to the other. */
	assert_int_equal(q[0].pmd, 0);
	assert_int_equal(q[1].pmd, 1);
	assert_int_equal(q[2].pmd, 1);
	assert_int_equal(q[3].pmd, 0);
	assert_int_equal(q[4].pmd, 1);
	assert_int_equal(p[0].load, 120);
	assert_int_equal(p[1].load, 100);
}

static void
test_pinned_queue_isolates_its_pmd(void **state)
{
	struct vs_place_pmd p[2];
	struct vs_place_rxq q[] = {Q("vhu0", 0, 0, 10), Q("a", 0, 0, 10), Q("b", 0, 0, 10),
				   Q("c", 0, 0, 10)};

	two_pmds(p, 0, 0);
	q[0].pin_cpu = 3;
	vs_place(p, 2, q, 4, VS_PLACE_ALL, true);
	assert_int_equal(q[0].pmd, 1);
	assert_true(p[1].isolated);
	assert_int_equal(q[1].pmd, 0);
	assert_int_equal(q[2].pmd, 0);
	assert_int_equal(q[3].pmd, 0);
	/* Without isolation the pinned PMD takes others too. */
	vs_place(p, 2, q, 4, VS_PLACE_ALL, false);
	assert_int_equal(q[0].pmd, 1);
	assert_false(p[1].isolated);
	assert_int_equal(p[0].n_queues + p[1].n_queues, 4);
	assert_int_equal(p[1].n_queues, 2);
}

static void
test_pin_to_a_cpu_without_pmd_is_placed_and_flagged(void **state)
{
	struct vs_place_pmd p[2];
	struct vs_place_rxq q[] = {Q("vhu0", 0, 0, 10)};

	two_pmds(p, 0, 0);
	q[0].pin_cpu = 7;
	vs_place(p, 2, q, 1, VS_PLACE_ALL, true);
	assert_true(q[0].pin_lost);
	assert_int_equal(q[0].pmd, 0);
	assert_false(p[0].isolated);
}

static void
test_every_pmd_isolated_still_polls_everything(void **state)
{
	struct vs_place_pmd p[2];
	struct vs_place_rxq q[] = {Q("a", 0, 0, 10), Q("b", 0, 0, 10), Q("c", 0, 0, 10)};

	two_pmds(p, 0, 0);
	q[0].pin_cpu = 2;
	q[1].pin_cpu = 3;
	vs_place(p, 2, q, 3, VS_PLACE_ALL, true);
	assert_int_equal(q[0].pmd, 0);
	assert_int_equal(q[1].pmd, 1);
	/* A queue nobody polls loses everything: it goes to the least loaded
	 * (a tie here: the lowest CPU), isolation or not. */
	assert_int_equal(q[2].pmd, 0);
}

static void
test_more_pmds_than_queues_and_no_pmd_at_all(void **state)
{
	struct vs_place_pmd p[3] = {
		{.cpu = 5, .numa = 0}, {.cpu = 1, .numa = 0}, {.cpu = 3, .numa = 0}};
	struct vs_place_rxq q[] = {Q("a", 0, 0, 0)};

	vs_place(p, 3, q, 1, VS_PLACE_ALL, true);
	assert_int_equal(q[0].pmd, 1); /* the lowest CPU on a tie */
	vs_place(p, 0, q, 1, VS_PLACE_ALL, true);
	assert_int_equal(q[0].pmd, -1);
}

static void
test_keep_moves_nothing_and_rebalance_evens_out(void **state)
{
	struct vs_place_pmd p[2];
	struct vs_place_rxq q[] = {Q("a", 0, 0, 80), Q("b", 0, 0, 70), Q("c", 0, 0, 10),
				   Q("d", 0, 0, 0)};
	double before, after;

	two_pmds(p, 0, 0);
	q[0].pmd = 0; /* both heavy queues on PMD 0, as traffic grew */
	q[1].pmd = 0;
	q[2].pmd = 1;
	vs_place(p, 2, q, 4, VS_PLACE_KEEP, true);
	assert_int_equal(q[0].pmd, 0);
	assert_int_equal(q[1].pmd, 0);
	assert_int_equal(q[2].pmd, 1);
	assert_int_equal(q[3].pmd, 1); /* the new one goes to the idler PMD */
	before = vs_place_variance(p, 2);
	vs_place(p, 2, q, 4, VS_PLACE_ALL, true);
	after = vs_place_variance(p, 2);
	assert_int_not_equal(q[0].pmd, q[1].pmd);
	assert_true(after < before / 10);
	/* A kept queue whose PMD is gone is placed again. */
	q[0].pmd = 5;
	vs_place(p, 2, q, 4, VS_PLACE_KEEP, true);
	/* The rebalance left b, c on PMD 1 (80) and d on PMD 0 (0): a goes to
	 * PMD 0, and nothing else moves. */
	assert_int_equal(q[0].pmd, 0);
	assert_int_equal(q[1].pmd, 1);
	assert_int_equal(q[2].pmd, 1);
	assert_int_equal(q[3].pmd, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_start_spreads_queues_evenly),
		cmocka_unit_test(test_queues_stay_on_their_numa_node),
		cmocka_unit_test(test_no_pmd_on_the_node_means_cross_numa_and_flagged),
		cmocka_unit_test(test_uneven_loads_largest_first),
		cmocka_unit_test(test_pinned_queue_isolates_its_pmd),
		cmocka_unit_test(test_pin_to_a_cpu_without_pmd_is_placed_and_flagged),
		cmocka_unit_test(test_every_pmd_isolated_still_polls_everything),
		cmocka_unit_test(test_more_pmds_than_queues_and_no_pmd_at_all),
		cmocka_unit_test(test_keep_moves_nothing_and_rebalance_evens_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
