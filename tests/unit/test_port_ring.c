/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_port_ring.c: type=ring (drivers/port_ring.c), through
 * vs_port_add on the harness's switch as every front end adds ports: what
 * is enqueued on its rx rings is received, what the switch sends lands on
 * its tx rings, a full ring refuses the rest as tx_full with exact counts,
 * queues= gives that many ring pairs, bad options are refused with the
 * operator's sentence, close frees what the rings hold, and the port shows
 * in port.list and port.stats like any other. */
#include <errno.h>
#include <string.h>

#include <jansson.h>
#include <rte_ring.h>

#include "bridge_ctl.h"
#include "harness.h"
#include "port_ring.h"
#include "rpc.h"
#include "rpc_methods.h"
#include "switch.h"

#define A     "02:00:00:00:00:0a"
#define BCAST "ff:ff:ff:ff:ff:ff"

/* add-port br0 NAME type=ring OPTS...; 0 or -errno with 'err' set. */
static int
add_ring(struct harness_sw *f, const char *name, const char *const *opts, unsigned int n,
	 struct vs_err *err)
{
	json_t *entry = json_pack("{s:s, s:s, s:s, s:{}}", "bridge", "br0", "name", name, "type",
				  "ring", "options");
	struct vs_kv kv[4];
	unsigned int i;
	int ret;

	assert_non_null(entry);
	for (i = 0; i < n; i++) {
		assert_int_equal(vs_kv_parse(opts[i], &kv[i], err), 0);
		json_object_set_new(json_object_get(entry, "options"), kv[i].key,
				    json_string(kv[i].val));
	}
	err->msg[0] = '\0';
	ret = vs_port_add(f->sw, "br0", name, "ring", kv, n, entry, err);
	json_decref(entry);
	return ret;
}

static struct vs_port *
must_add(struct harness_sw *f, const char *name, const char *const *opts, unsigned int n)
{
	struct vs_err err;

	if (add_ring(f, name, opts, n, &err) < 0)
		fail_msg("add-port br0 %s type=ring: %s", name, err.msg);
	return vs_port_find(f->sw, name);
}

static void
del(struct harness_sw *f, const char *name)
{
	struct vs_err err;

	assert_int_equal(vs_port_del(f->sw, name, NULL, &err), 0);
	assert_null(vs_port_find(f->sw, name));
}

static void
test_registry_knows_ring(void **state)
{
	char names[128];

	assert_ptr_equal(vs_port_type_find("ring"), &vs_port_ring_ops);
	vs_port_type_names(names, sizeof(names));
	assert_string_equal(names, "dpdk, vhost-user, ring");
}

/* Frames enqueued on the rx ring come out of rx in order, untouched; those
 * the port is given by tx wait on its tx ring. */
static void
test_rx_gives_what_was_enqueued_and_tx_queues_what_it_is_given(void **state)
{
	struct harness_sw *f = *state;
	struct vs_port *r = must_add(f, "r0", NULL, 0);
	struct rte_mbuf *in[5], *out[8];
	unsigned int i;

	assert_int_equal(r->n_rxq, 1);
	assert_int_equal(r->n_txq, 1);
	for (i = 0; i < 5; i++)
		in[i] = harness_frame(BCAST, A, (uint16_t)(60 + i));
	assert_int_equal(rte_ring_enqueue_burst(vs_port_ring_rx(r, 0), (void **)in, 5, NULL), 5);
	assert_int_equal(r->rx(r, 0, out, 3), 3); /* no more than asked */
	assert_int_equal(r->rx(r, 0, out + 3, 8), 2);
	assert_int_equal(r->rx(r, 0, out + 5, 8), 0);
	for (i = 0; i < 5; i++) {
		assert_ptr_equal(out[i], in[i]);
		assert_int_equal(rte_pktmbuf_pkt_len(out[i]), 60 + i);
	}
	assert_int_equal(r->tx(r, 0, out, 5), 5);
	assert_int_equal(vs_port_ring_tx_bursts(r), 1);
	assert_int_equal(rte_ring_dequeue_burst(vs_port_ring_tx(r, 0), (void **)in, 8, NULL), 5);
	for (i = 0; i < 5; i++)
		assert_ptr_equal(in[i], out[i]);
	rte_pktmbuf_free_bulk(in, 5);
	del(f, "r0");
}

/* Through the switch: a flood from p0 reaches the ring port like p1 and
 * p2; its ring holds 'size' frames and the rest are tx_full, exactly. */
static void
test_full_ring_counts_the_rest_as_tx_full(void **state)
{
	static const char *const opts[] = {"size=4"};
	struct harness_sw *f = *state;
	struct vs_port *r = must_add(f, "r0", opts, 1);
	unsigned int avail = rte_mempool_avail_count(harness_pool());
	struct rte_mbuf *m[10], *got[10];
	struct vs_port_ctr c;
	unsigned int i;

	for (i = 0; i < 10; i++)
		m[i] = harness_frame(BCAST, A, (uint16_t)(64 + i));
	harness_input(f, 0, m, 10);
	assert_int_equal(f->cap[1].n, 10);
	assert_int_equal(f->cap[2].n, 10);
	vs_port_counters(r, &c);
	assert_int_equal(c.tx_packets, 4);
	assert_int_equal(c.tx_bytes, 64 + 65 + 66 + 67);
	assert_int_equal(c.drops[VS_DROP_TX_FULL], 6);
	assert_int_equal(vs_port_ring_tx_bursts(r), 1);
	/* The first four, in order, as copies of what p1 got (a flood shares
	 * the frame). */
	assert_int_equal(rte_ring_dequeue_burst(vs_port_ring_tx(r, 0), (void **)got, 10, NULL), 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(rte_pktmbuf_pkt_len(got[i]), 64 + i);
		assert_memory_equal(rte_pktmbuf_mtod(got[i], void *),
				    rte_pktmbuf_mtod(f->cap[1].pkts[i], void *), 64 + i);
	}
	rte_pktmbuf_free_bulk(got, 4);
	/* Emptied, it takes frames again. */
	m[0] = harness_frame(BCAST, A, 64);
	harness_input(f, 0, m, 1);
	vs_port_counters(r, &c);
	assert_int_equal(c.tx_packets, 5);
	assert_int_equal(c.drops[VS_DROP_TX_FULL], 6);
	assert_int_equal(rte_ring_count(vs_port_ring_tx(r, 0)), 1);
	del(f, "r0"); /* frees the one left */
	for (i = 1; i < 3; i++)
		harness_capture_reset(&f->cap[i]);
	assert_int_equal(rte_mempool_avail_count(harness_pool()), avail); /* nothing leaked */
}

/* The driver alone: tx takes all 'n', returns what fit and frees the
 * rest; every call counts as a burst. */
static void
test_tx_on_a_full_ring_frees_what_did_not_fit(void **state)
{
	static const char *const opts[] = {"size=3"};
	struct harness_sw *f = *state;
	struct vs_port *r = must_add(f, "r0", opts, 1);
	unsigned int avail = rte_mempool_avail_count(harness_pool());
	struct rte_mbuf *m[5];
	unsigned int i;

	for (i = 0; i < 5; i++)
		m[i] = harness_frame(BCAST, A, 64);
	assert_int_equal(r->tx(r, 0, m, 5), 3);
	assert_int_equal(rte_mempool_avail_count(harness_pool()), avail - 3);
	m[0] = harness_frame(BCAST, A, 64);
	assert_int_equal(r->tx(r, 0, m, 1), 0);
	assert_int_equal(rte_mempool_avail_count(harness_pool()), avail - 3);
	assert_int_equal(vs_port_ring_tx_bursts(r), 2);
	assert_int_equal(rte_ring_count(vs_port_ring_tx(r, 0)), 3);
	del(f, "r0");
	assert_int_equal(rte_mempool_avail_count(harness_pool()), avail);
}

/* queues=3: three rx and three tx rings, each its own; the one PMD polls
 * every rx queue. */
static void
test_queues_option_gives_that_many_ring_pairs(void **state)
{
	static const char *const opts[] = {"queues=3"};
	struct harness_sw *f = *state;
	struct vs_port *r = must_add(f, "r0", opts, 1);
	struct rte_mbuf *m[4], *out[4];
	unsigned int q;

	assert_int_equal(r->n_rxq, 3);
	assert_int_equal(r->n_txq, 3);
	assert_int_equal(r->rxq_enabled, 0x7);
	assert_false(r->txq_shared);
	for (q = 0; q < 3; q++) {
		assert_non_null(vs_port_ring_rx(r, (uint16_t)q));
		assert_non_null(vs_port_ring_tx(r, (uint16_t)q));
		assert_ptr_not_equal(vs_port_ring_rx(r, (uint16_t)q),
				     vs_port_ring_tx(r, (uint16_t)q));
		assert_int_equal(r->rxq_pmd[q], 0);
	}
	assert_null(vs_port_ring_rx(r, 3));
	assert_null(vs_port_ring_tx(r, 3));
	m[0] = harness_frame(BCAST, A, 64);
	m[1] = harness_frame(BCAST, A, 65);
	assert_int_equal(rte_ring_enqueue_burst(vs_port_ring_rx(r, 1), (void **)m, 2, NULL), 2);
	assert_int_equal(r->rx(r, 0, out, 4), 0);
	assert_int_equal(r->rx(r, 2, out, 4), 0);
	assert_int_equal(r->rx(r, 1, out, 4), 2);
	assert_ptr_equal(out[0], m[0]);
	assert_int_equal(r->tx(r, 2, out, 2), 2);
	assert_int_equal(rte_ring_count(vs_port_ring_tx(r, 0)), 0);
	assert_int_equal(rte_ring_count(vs_port_ring_tx(r, 1)), 0);
	assert_int_equal(rte_ring_count(vs_port_ring_tx(r, 2)), 2);
	del(f, "r0");
}

static void
test_bad_options_are_refused_with_a_sentence(void **state)
{
	static const struct {
		const char *opt;
		int code;
		const char *msg;
	} cases[] = {
		{"size=0", -ERANGE,
		 "option 'size=0' is not a number from 1 to 32768 (frames each ring holds, "
		 "default 1024)"},
		{"size=40000", -ERANGE,
		 "option 'size=40000' is not a number from 1 to 32768 (frames each ring holds, "
		 "default 1024)"},
		{"queues=0", -ERANGE,
		 "option 'queues=0' is not a number from 1 to 64 (queues, each an rx and a tx "
		 "ring, default 1)"},
		{"queues=two", -ERANGE,
		 "option 'queues=two' is not a number from 1 to 64 (queues, each an rx and a tx "
		 "ring, default 1)"},
		{"devargs=net_ring0", -EINVAL,
		 "unknown option 'devargs' for a ring port; its options are: queues, size, "
		 "pmd-rxq-affinity"},
		{"pmd-rxq-affinity=1:0", -EINVAL,
		 "pmd-rxq-affinity: port r0 has 1 rx queue(s), 0 to 0; there is no queue 1"},
	};
	struct harness_sw *f = *state;
	struct vs_err err;
	unsigned int i;

	for (i = 0; i < RTE_DIM(cases); i++) {
		assert_int_equal(add_ring(f, "r0", &cases[i].opt, 1, &err), cases[i].code);
		if (strcmp(err.msg, cases[i].msg) != 0)
			fail_msg("%s: got '%s', wanted '%s'", cases[i].opt, err.msg, cases[i].msg);
		assert_null(vs_port_find(f->sw, "r0"));
	}
}

/* Frames left on either ring when the port goes are freed, not leaked. */
static void
test_close_frees_what_the_rings_hold(void **state)
{
	struct harness_sw *f = *state;
	unsigned int avail = rte_mempool_avail_count(harness_pool());
	struct vs_port *r = must_add(f, "r0", NULL, 0);
	struct rte_mbuf *m[6];
	unsigned int i;

	for (i = 0; i < 6; i++)
		m[i] = harness_frame(BCAST, A, 64);
	assert_int_equal(rte_ring_enqueue_burst(vs_port_ring_rx(r, 0), (void **)m, 4, NULL), 4);
	assert_int_equal(r->tx(r, 0, m + 4, 2), 2);
	assert_int_equal(rte_mempool_avail_count(harness_pool()), avail - 6);
	del(f, "r0");
	assert_int_equal(rte_mempool_avail_count(harness_pool()), avail);
}

static json_t *
call(struct vs_rpc *rpc, const char *text)
{
	json_t *resp = vs_rpc_handle(rpc, text, strlen(text));

	assert_non_null(resp);
	if (json_object_get(resp, "error") != NULL)
		fail_msg("%s: %s", text,
			 json_string_value(
				 json_object_get(json_object_get(resp, "error"), "message")));
	return resp;
}

/* Added over JSON-RPC as an operator would, it is listed and counted like
 * any port. */
static void
test_ring_port_shows_in_list_and_stats(void **state)
{
	struct harness_sw *f = *state;
	struct vs_rpc *rpc;
	struct rte_mbuf *m[3];
	json_t *resp, *p, *info;
	unsigned int i;

	assert_int_equal(vs_rpc_create(&rpc, f->sw, NULL, NULL, 1 << 20, NULL), 0);
	assert_int_equal(vs_rpc_methods_init(rpc), 0);
	json_decref(call(rpc, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"port.add\",\"params\":"
			      "{\"bridge\":\"br0\",\"name\":\"r0\",\"type\":\"ring\","
			      "\"options\":{\"size\":2,\"queues\":\"2\"}}}"));
	for (i = 0; i < 3; i++)
		m[i] = harness_frame(BCAST, A, 100);
	harness_input(f, 0, m, 3);

	resp = call(rpc, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"port.list\","
			 "\"params\":{\"bridge\":\"br0\"}}");
	p = json_array_get(json_object_get(resp, "result"), 3);
	assert_string_equal(json_string_value(json_object_get(p, "name")), "r0");
	assert_string_equal(json_string_value(json_object_get(p, "type")), "ring");
	assert_int_equal(json_integer_value(json_object_get(p, "rx_queues")), 2);
	assert_int_equal(json_integer_value(json_object_get(p, "tx_queues")), 2);
	assert_string_equal(json_string_value(json_object_get(p, "link")), "up");
	assert_string_equal(json_string_value(json_object_get(p, "driver")), "ring");
	info = json_object_get(p, "info");
	assert_string_equal(json_string_value(json_object_get(info, "size")), "2");
	assert_string_equal(json_string_value(json_object_get(info, "rx_queued")), "0");
	assert_string_equal(json_string_value(json_object_get(info, "tx_queued")), "2");
	assert_string_equal(json_string_value(json_object_get(info, "tx_bursts")), "1");
	json_decref(resp);

	resp = call(rpc, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"port.stats\","
			 "\"params\":{\"name\":\"r0\"}}");
	p = json_object_get(resp, "result");
	if (json_is_array(p))
		p = json_array_get(p, 0);
	assert_int_equal(json_integer_value(json_object_get(p, "tx_packets")), 2);
	assert_int_equal(json_integer_value(json_object_get(p, "tx_bytes")), 200);
	assert_int_equal(json_integer_value(json_object_get(p, "dropped")), 1);
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(p, "drops"), "tx_full")), 1);
	json_decref(resp);

	json_decref(call(rpc, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"port.del\","
			      "\"params\":{\"name\":\"r0\"}}"));
	assert_null(vs_port_find(f->sw, "r0"));
	vs_rpc_destroy(rpc);
}

/* Admin down (PORT_MOD): nothing is received, what the switch sends is
 * counted port_down (not tx_full), and a reconfiguration that parks and
 * resumes the port's bursts (a tx queue resize) leaves it down; up brings
 * the driver's bursts back. */
static void
test_admin_down_survives_a_reconfiguration(void **state)
{
	struct harness_sw *f = *state;
	struct vs_port *r = must_add(f, "r0", NULL, 0);
	unsigned int avail = rte_mempool_avail_count(harness_pool());
	struct rte_mbuf *m[3], *got[4];
	struct vs_port_ctr c;
	unsigned int i;

	vs_port_set_admin_down(r, true);
	vs_port_park(r);
	vs_port_resume(r);
	assert_ptr_equal(r->rx, vs_port_rx_none);
	assert_ptr_equal(r->tx, vs_port_tx_none);
	m[0] = harness_frame(BCAST, A, 64);
	assert_int_equal(rte_ring_enqueue_burst(vs_port_ring_rx(r, 0), (void **)m, 1, NULL), 1);
	assert_int_equal(r->rx(r, 0, got, 4), 0); /* down: nothing received */
	for (i = 0; i < 3; i++)
		m[i] = harness_frame(BCAST, A, 64);
	harness_input(f, 0, m, 3);
	vs_port_counters(r, &c);
	assert_int_equal(c.tx_packets, 0);
	assert_int_equal(c.drops[VS_DROP_PORT_DOWN], 3);
	assert_int_equal(c.drops[VS_DROP_TX_FULL], 0);
	assert_int_equal(rte_ring_count(vs_port_ring_tx(r, 0)), 0);
	vs_port_set_admin_down(r, false);
	assert_int_equal(r->rx(r, 0, got, 4), 1); /* up: the waiting frame comes */
	rte_pktmbuf_free_bulk(got, 1);
	m[0] = harness_frame(BCAST, A, 64);
	harness_input(f, 0, m, 1);
	vs_port_counters(r, &c);
	assert_int_equal(c.tx_packets, 1);
	assert_int_equal(c.drops[VS_DROP_PORT_DOWN], 3);
	del(f, "r0");
	for (i = 1; i < 3; i++)
		harness_capture_reset(&f->cap[i]);
	assert_int_equal(rte_mempool_avail_count(harness_pool()), avail);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, harness_setup, harness_teardown)
		cmocka_unit_test(test_registry_knows_ring),
		T(test_rx_gives_what_was_enqueued_and_tx_queues_what_it_is_given),
		T(test_full_ring_counts_the_rest_as_tx_full),
		T(test_tx_on_a_full_ring_frees_what_did_not_fit),
		T(test_queues_option_gives_that_many_ring_pairs),
		T(test_bad_options_are_refused_with_a_sentence),
		T(test_close_frees_what_the_rings_hold),
		T(test_ring_port_shows_in_list_and_stats),
		T(test_admin_down_survives_a_reconfiguration),
#undef T
	};

	return cmocka_run_group_tests(tests, harness_group_setup, NULL);
}
