/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_l2.c: the learning bridge stage (dataplane/l2.c) with the
 * worker's tx batching (dataplane/worker.c) and the control thread's
 * learning (control/switch/learn.c), on capture ports. Every test checks that
 * each packet sent in is either captured or counted as a drop. */
#include <string.h>

#include <rte_malloc.h>

#include "bridge_ctl.h"
#include "harness.h"
#include "flow.h"
#include "switch.h"
#include "worker.h"

#define A     "02:00:00:00:00:0a"
#define B     "02:00:00:00:00:0b"
#define C     "02:00:00:00:00:0c"
#define BCAST "ff:ff:ff:ff:ff:ff"
#define MCAST "01:00:5e:00:00:01"

static void
input1(struct harness_sw *f, int in, const char *dst, const char *src)
{
	struct rte_mbuf *m = harness_frame(dst, src, 64);

	harness_input(f, in, &m, 1);
}

static void
test_broadcast_floods_all_but_ingress(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m = harness_frame(BCAST, A, 64);

	harness_input(f, 0, &m, 1);
	assert_int_equal(f->cap[0].n, 0); /* never back to ingress */
	assert_int_equal(f->cap[1].n, 1);
	assert_int_equal(f->cap[2].n, 1);
	assert_int_equal(f->cap[3].n, 0); /* other bridge */
	assert_ptr_equal(f->cap[1].pkts[0], m);
	assert_int_equal(rte_mbuf_refcnt_read(m), 2); /* one reference per copy */
	assert_int_equal(harness_tx(f, 1) + harness_tx(f, 2), 2);
}

static void
test_multicast_and_unknown_unicast_flood(void **state)
{
	struct harness_sw *f = *state;

	input1(f, 1, MCAST, B);
	input1(f, 1, C, B); /* C never seen */
	assert_int_equal(f->cap[0].n, 2);
	assert_int_equal(f->cap[1].n, 0);
	assert_int_equal(f->cap[2].n, 2);
}

static void
test_learnt_destination_gets_unicast_only(void **state)
{
	struct harness_sw *f = *state;

	input1(f, 0, BCAST, A); /* learn A on p0 */
	input1(f, 1, BCAST, B); /* learn B on p1 */
	harness_capture_reset(&f->cap[0]);
	harness_capture_reset(&f->cap[1]);
	harness_capture_reset(&f->cap[2]);
	input1(f, 0, B, A);
	assert_int_equal(f->cap[1].n, 1);
	assert_int_equal(f->cap[2].n, 0);
	input1(f, 1, A, B);
	assert_int_equal(f->cap[0].n, 1);
	assert_int_equal(f->cap[2].n, 0);
	assert_int_equal(vs_fdb_count(f->port[0]->br->fdb), 2);
}

static void
test_destination_on_ingress_port_is_dropped(void **state)
{
	struct harness_sw *f = *state;

	input1(f, 0, BCAST, A);
	input1(f, 0, BCAST, B); /* A and B both behind p0 */
	harness_capture_reset(&f->cap[1]);
	harness_capture_reset(&f->cap[2]);
	input1(f, 0, B, A);
	assert_int_equal(f->cap[1].n + f->cap[2].n, 0);
	assert_int_equal(harness_drops(f, 0, VS_DROP_SAME_PORT), 1);
}

static void
test_invalid_frames_are_dropped_and_counted(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[4] = {
		harness_frame(BCAST, A, 10),                   /* runt */
		harness_frame(BCAST, MCAST, 64),               /* multicast source */
		harness_frame(BCAST, "00:00:00:00:00:00", 64), /* zero source */
		harness_frame("01:80:c2:00:00:00", A, 64),     /* STP: never forwarded */
	};

	harness_input(f, 0, m, 4);
	assert_int_equal(f->cap[1].n + f->cap[2].n, 0);
	assert_int_equal(harness_drops(f, 0, VS_DROP_RX_INVALID), 3);
	assert_int_equal(harness_drops(f, 0, VS_DROP_L2_RESERVED), 1);
	/* Nothing is learnt from frames the bridge drops. */
	assert_int_equal(vs_fdb_count(f->port[0]->br->fdb), 0);
}

static void
test_flood_in_lonely_bridge_counts_no_destination(void **state)
{
	struct harness_sw *f = *state;

	input1(f, 3, BCAST, A);
	assert_int_equal(harness_drops(f, 3, VS_DROP_NO_DEST), 1);
}

static void
test_full_tx_queue_drops_are_counted_on_output(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[20];
	int i;

	input1(f, 1, BCAST, B); /* learn B on p1 */
	harness_capture_reset(&f->cap[1]);
	f->cap[1].accept = 5;
	for (i = 0; i < 20; i++)
		m[i] = harness_frame(B, A, 64);
	harness_input(f, 0, m, 20);
	assert_int_equal(f->cap[1].n, 5);
	assert_int_equal(harness_tx(f, 1), 5 + 0);
	assert_int_equal(harness_drops(f, 1, VS_DROP_TX_FULL), 15);
	f->cap[1].accept = -1;
}

static void
test_burst_to_one_port_is_one_tx_burst(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[VS_BURST];
	struct vs_port_ctr c;
	int i;

	input1(f, 1, BCAST, B);
	harness_capture_reset(&f->cap[1]);
	for (i = 0; i < VS_BURST; i++)
		m[i] = harness_frame(B, A, (uint16_t)(60 + i));
	harness_input(f, 0, m, VS_BURST);
	assert_int_equal(f->cap[1].n, VS_BURST);
	assert_int_equal(f->cap[1].bursts, 1);
	for (i = 0; i < VS_BURST; i++) /* order kept */
		assert_ptr_equal(f->cap[1].pkts[i], m[i]);
	vs_port_counters(f->port[1], &c);
	assert_int_equal(c.tx_bytes, VS_BURST * 60 + (VS_BURST - 1) * VS_BURST / 2);
}

/* A burst's worth for one port goes to its tx during the stage, from the
 * stage's own array (which is left as it was): nothing is buffered, no
 * flush is needed. */
static void
test_full_burst_to_one_port_is_sent_without_the_tx_buffer(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[VS_BURST], *arr[VS_BURST];
	int i;

	input1(f, 1, BCAST, B);
	harness_capture_reset(&f->cap[1]);
	for (i = 0; i < VS_BURST; i++)
		m[i] = arr[i] = harness_frame(B, A, 64);
	vs_flow_input(f->w, f->port[0], arr, VS_BURST);
	assert_int_equal(f->w->n_dirty, 0); /* nothing left for a flush */
	harness_capture(f);
	assert_int_equal(f->cap[1].n, VS_BURST);
	assert_int_equal(f->cap[1].bursts, 1);
	for (i = 0; i < VS_BURST; i++) {
		assert_ptr_equal(f->cap[1].pkts[i], m[i]);
		assert_ptr_equal(arr[i], m[i]);
	}
	assert_int_equal(harness_tx(f, 1), VS_BURST);
}

/* A long run for a port that already has frames buffered from earlier in
 * the burst joins them in the buffer: sent at once, it would overtake
 * them. Frames are told apart by their length. */
static void
test_long_run_after_buffered_frames_keeps_their_order(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[VS_BURST];
	uint64_t tx;
	int i;

	input1(f, 1, BCAST, B);
	harness_capture_reset(&f->cap[1]);
	harness_capture_reset(&f->cap[2]);
	tx = harness_tx(f, 1) + harness_tx(f, 2);
	for (i = 0; i < VS_BURST; i++) /* B, B, B, flood, then B to the end */
		m[i] = harness_frame(i == 3 ? BCAST : B, A, (uint16_t)(64 + i));
	harness_input(f, 0, m, VS_BURST);
	assert_int_equal(f->cap[1].n, VS_BURST);
	assert_int_equal(f->cap[1].bursts, 1);
	for (i = 0; i < VS_BURST; i++)
		assert_ptr_equal(f->cap[1].pkts[i], m[i]);
	assert_int_equal(f->cap[2].n, 1);
	assert_int_equal(harness_tx(f, 1) + harness_tx(f, 2) - tx, VS_BURST + 1);
}

/* A full burst that a full queue takes only part of: tx_bytes counts the
 * bytes of what was sent (read before tx freed the rest), the rest is
 * counted as tx_full. */
static void
test_partly_sent_burst_counts_the_bytes_sent(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[VS_BURST];
	struct vs_port_ctr c;
	int i;

	input1(f, 1, BCAST, B);
	harness_capture_reset(&f->cap[1]);
	memset(f->port[1]->ctr, 0, sizeof(f->port[1]->ctr));
	f->cap[1].accept = 5;
	for (i = 0; i < VS_BURST; i++)
		m[i] = harness_frame(B, A, (uint16_t)(60 + i));
	harness_input(f, 0, m, VS_BURST);
	assert_int_equal(f->cap[1].n, 5);
	vs_port_counters(f->port[1], &c);
	assert_int_equal(c.tx_packets, 5);
	assert_int_equal(c.tx_bytes, 60 + 61 + 62 + 63 + 64);
	assert_int_equal(c.drops[VS_DROP_TX_FULL], VS_BURST - 5);
	f->cap[1].accept = -1;
}

/* A full burst with frames too long for the output port: those are
 * dropped as too_big, the others sent in order, each counted once; the
 * flooded copy to the other port (whose MTU fits) is untouched. */
static void
test_too_big_frames_in_a_full_burst_are_dropped_the_rest_sent(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[VS_BURST];
	struct vs_port_ctr c;
	int i;

	f->port[1]->frame_max = 1500 + 14 + 4;
	for (i = 0; i < VS_BURST; i++) /* flooded: A is the only one known */
		m[i] = harness_frame(BCAST, A, i % 10 == 9 ? 1600 : 64);
	harness_input(f, 0, m, VS_BURST);
	assert_int_equal(f->cap[1].n, VS_BURST - 3);
	assert_int_equal(f->cap[2].n, VS_BURST);
	for (i = 0; i < VS_BURST; i++)
		assert_ptr_equal(f->cap[2].pkts[i], m[i]);
	for (i = 0; i < (int)f->cap[1].n; i++)
		assert_int_equal(rte_pktmbuf_pkt_len(f->cap[1].pkts[i]), 64);
	vs_port_counters(f->port[1], &c);
	assert_int_equal(c.tx_packets, VS_BURST - 3);
	assert_int_equal(c.tx_bytes, (VS_BURST - 3) * 64);
	assert_int_equal(c.drops[VS_DROP_TOO_BIG], 3);
	assert_int_equal(harness_tx(f, 2), VS_BURST);
	f->port[1]->frame_max = 0;
}

static void
test_flood_of_full_burst_fills_every_output(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[VS_BURST];
	int i;

	for (i = 0; i < VS_BURST; i++)
		m[i] = harness_frame(BCAST, A, 64);
	vs_flow_input(f->w, f->port[0], m, VS_BURST);
	vs_worker_flush(f->w);
	/* One learn request for 32 frames from one unknown source. */
	assert_int_equal(rte_ring_count(f->w->learn), 1);
	vs_learn_drain(f->sw);
	harness_capture(f);
	assert_int_equal(f->cap[1].n, VS_BURST);
	assert_int_equal(f->cap[2].n, VS_BURST);
	assert_int_equal(f->cap[1].bursts, 1);
	assert_int_equal(vs_fdb_count(f->port[0]->br->fdb), 1);
	/* A second burst asks nothing: the source is known now. */
	for (i = 0; i < VS_BURST; i++)
		m[i] = harness_frame(BCAST, A, 64);
	vs_flow_input(f->w, f->port[0], m, VS_BURST);
	vs_worker_flush(f->w);
	assert_int_equal(rte_ring_count(f->w->learn), 0);
}

/* Runs of flooded frames between unicast ones and drops: the flood list is
 * resolved once for the burst, each run goes to every other port in
 * order, and the unicast and dropped frames in between stay where they
 * were. Frames are told apart by their length. */
static void
test_flood_runs_between_other_decisions_keep_order(void **state)
{
	static const char *const dst[] = {BCAST, BCAST, B, B, MCAST, A, C, BCAST};
	static const int to_p1[] = {0, 1, 2, 3, 4, 6, 7}, to_p2[] = {0, 1, 4, 6, 7};
	struct harness_sw *f = *state;
	struct rte_mbuf *m[8];
	unsigned int i;
	uint64_t tx;

	input1(f, 0, BCAST, A); /* learn A on p0 */
	input1(f, 1, BCAST, B); /* learn B on p1 */
	for (i = 0; i < 3; i++)
		harness_capture_reset(&f->cap[i]);
	tx = harness_tx(f, 1) + harness_tx(f, 2);
	for (i = 0; i < 8; i++)
		m[i] = harness_frame(dst[i], A, (uint16_t)(64 + i));
	harness_input(f, 0, m, 8);
	assert_int_equal(f->cap[1].n, RTE_DIM(to_p1));
	for (i = 0; i < RTE_DIM(to_p1); i++)
		assert_int_equal(rte_pktmbuf_pkt_len(f->cap[1].pkts[i]), 64 + to_p1[i]);
	assert_int_equal(f->cap[2].n, RTE_DIM(to_p2));
	for (i = 0; i < RTE_DIM(to_p2); i++) {
		assert_int_equal(rte_pktmbuf_pkt_len(f->cap[2].pkts[i]), 64 + to_p2[i]);
		assert_ptr_equal(f->cap[2].pkts[i], m[to_p2[i]]); /* shared, not copied */
		assert_int_equal(rte_mbuf_refcnt_read(m[to_p2[i]]), 2);
	}
	assert_int_equal(rte_mbuf_refcnt_read(m[2]), 1); /* unicast: one reference */
	assert_int_equal(f->cap[0].n, 0);
	assert_int_equal(harness_drops(f, 0, VS_DROP_SAME_PORT), 1); /* the frame to A */
	/* 8 in: 2 unicast, 5 flooded twice, 1 dropped. */
	assert_int_equal(harness_tx(f, 1) + harness_tx(f, 2) - tx, 2 + 5 * 2);
}

static void
test_moved_source_is_relearnt(void **state)
{
	struct harness_sw *f = *state;

	input1(f, 0, BCAST, A);
	input1(f, 2, BCAST, A); /* A moved behind p2 */
	harness_capture_reset(&f->cap[0]);
	harness_capture_reset(&f->cap[2]);
	input1(f, 1, A, B);
	assert_int_equal(f->cap[2].n, 1);
	assert_int_equal(f->cap[0].n, 0);
	assert_int_equal(f->port[0]->br->moved, 1);
}

static void
test_cached_decision_follows_a_move(void **state)
{
	struct harness_sw *f = *state;
	int k, hits;

	input1(f, 0, BCAST, A);
	input1(f, 1, BCAST, B);
	for (k = 0; k < 3; k++) /* cached after the first */
		input1(f, 0, B, A);
	assert_int_equal(f->cap[1].n, 1 + 3);
	/* The decision is in the PMD's cache: from p0, to p1. */
	for (k = 0, hits = 0; k < VS_L2_CACHE_SIZE; k++)
		hits += f->w->l2_cache[k].in_port == f->port[0]->id &&
			f->w->l2_cache[k].next == f->port[1]->id;
	assert_int_equal(hits, 1);
	input1(f, 2, BCAST, B); /* B moved behind p2 */
	harness_capture_reset(&f->cap[1]);
	harness_capture_reset(&f->cap[2]);
	input1(f, 0, B, A);
	assert_int_equal(f->cap[1].n, 0);
	assert_int_equal(f->cap[2].n, 1);
}

static void
test_cached_decisions_still_refresh_sources(void **state)
{
	struct harness_sw *f = *state;
	struct vs_fdb_key a = {0};
	const void *keys[1] = {&a};
	struct vs_fdb_entry *e[1];

	rte_ether_unformat_addr(A, &a.mac);
	input1(f, 1, BCAST, B);
	input1(f, 0, B, A); /* learn A */
	input1(f, 0, B, A); /* cached */
	f->w->now = f->sw->dp.now = 400;
	input1(f, 0, B, A); /* a hit, 300 s later */
	vs_fdb_lookup_bulk(f->port[0]->br->fdb, keys, 1, e);
	assert_non_null(e[0]);
	assert_int_equal(e[0]->used, 400);
	assert_int_equal(vs_fdb_age(f->port[0]->br->fdb, 450, 300), 1); /* only B */
}

static void
test_bridges_are_independent(void **state)
{
	struct harness_sw *f = *state;

	input1(f, 0, BCAST, A); /* A on br0/p0 */
	input1(f, 3, A, C);     /* on br1, A is unknown: flooded, but br1 has no other port */
	assert_int_equal(f->cap[0].n, 0);
	assert_int_equal(harness_drops(f, 3, VS_DROP_NO_DEST), 1);
	assert_int_equal(vs_fdb_count(f->port[3]->br->fdb), 1);
}

static void
test_every_packet_is_sent_or_counted(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[VS_BURST];
	struct vs_port_ctr c;
	uint64_t out = 0, dropped = 0;
	int i, p, r;

	input1(f, 1, BCAST, B);
	for (p = 0; p < 4; p++)
		harness_capture_reset(&f->cap[p]);
	memset(f->port[1]->ctr, 0, sizeof(f->port[1]->ctr));
	memset(f->port[2]->ctr, 0, sizeof(f->port[2]->ctr));
	memset(f->port[0]->ctr, 0, sizeof(f->port[0]->ctr));
	f->cap[2].accept = 3;
	for (i = 0; i < VS_BURST; i++) /* a mix: unicast, flood, same port, runt */
		m[i] = harness_frame(i % 4 == 0   ? B
				     : i % 4 == 1 ? BCAST
				     : i % 4 == 2 ? A
						  : C,
				     A, i % 8 == 7 ? 8 : 64);
	harness_input(f, 0, m, VS_BURST);
	for (p = 0; p < 3; p++) {
		vs_port_counters(f->port[p], &c);
		out += c.tx_packets;
		for (r = 0; r < VS_DROP_MAX; r++)
			dropped += c.drops[r];
	}
	/* By i % 4: 8 unicast to B (p1); 8 broadcast and 8 to A (A is only
	 * learnt after this burst) flooded to p1 and p2; 8 to unknown C, of
	 * which 4 are runts (i % 8 == 7), the other 4 flooded. */
	assert_int_equal(f->cap[1].n, 8 + 8 + 8 + 4);
	assert_int_equal(f->cap[2].n, 3);
	assert_int_equal(harness_drops(f, 2, VS_DROP_TX_FULL), 8 + 8 + 4 - 3);
	assert_int_equal(harness_drops(f, 0, VS_DROP_RX_INVALID), 4);
	assert_int_equal(out, f->cap[0].n + f->cap[1].n + f->cap[2].n);
	assert_int_equal(out + dropped, 8 + 16 + 16 + 8 + 4);
	f->cap[2].accept = -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_broadcast_floods_all_but_ingress,
						harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_multicast_and_unknown_unicast_flood,
						harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_learnt_destination_gets_unicast_only,
						harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_destination_on_ingress_port_is_dropped,
						harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_invalid_frames_are_dropped_and_counted,
						harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_flood_in_lonely_bridge_counts_no_destination,
						harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_full_tx_queue_drops_are_counted_on_output,
						harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_burst_to_one_port_is_one_tx_burst,
						harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_flood_of_full_burst_fills_every_output,
						harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(
			test_full_burst_to_one_port_is_sent_without_the_tx_buffer, harness_setup,
			harness_teardown),
		cmocka_unit_test_setup_teardown(
			test_long_run_after_buffered_frames_keeps_their_order, harness_setup,
			harness_teardown),
		cmocka_unit_test_setup_teardown(test_partly_sent_burst_counts_the_bytes_sent,
						harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(
			test_too_big_frames_in_a_full_burst_are_dropped_the_rest_sent,
			harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_flood_runs_between_other_decisions_keep_order,
						harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_moved_source_is_relearnt, harness_setup,
						harness_teardown),
		cmocka_unit_test_setup_teardown(test_bridges_are_independent, harness_setup,
						harness_teardown),
		cmocka_unit_test_setup_teardown(test_cached_decision_follows_a_move, harness_setup,
						harness_teardown),
		cmocka_unit_test_setup_teardown(test_cached_decisions_still_refresh_sources,
						harness_setup, harness_teardown),

		cmocka_unit_test_setup_teardown(test_every_packet_is_sent_or_counted, harness_setup,
						harness_teardown),
	};

	if (harness_eal_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
