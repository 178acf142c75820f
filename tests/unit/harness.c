/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/harness.c: see harness.h. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ether.h>
#include <rte_malloc.h>

#include <rte_cycles.h>

#include "bridge_ctl.h"
#include "flow.h"
#include "harness.h"
#include "perf.h"
#include "persist.h"
#include "port_ring.h"
#include "switch.h"

static struct rte_mempool *pool;
static char runtime_dir[PATH_MAX];

/* --no-shconf still creates DPDK's runtime directory: remove it. */
static void
harness_eal_fini(void)
{
	rte_eal_cleanup();
	rmdir(runtime_dir);
}

int
harness_eal_init(void)
{
	char prefix[64];
	char *argv[] = {
		"unit", "--no-huge",      "--no-pci",          "--no-shconf",   "-m",   "128", "-l",
		"0",    "--no-telemetry", "--log-level=error", "--file-prefix", prefix, NULL};

	snprintf(prefix, sizeof(prefix), "vs-unit-%d", (int)getpid());
	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0)
		return -1;
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	atexit(harness_eal_fini);
	pool = rte_pktmbuf_pool_create("unit_pool", 4095, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	return pool ? 0 : -1;
}

int
harness_group_setup(void **state)
{
	return harness_eal_init();
}

struct rte_mempool *
harness_pool(void)
{
	return pool;
}

struct rte_mbuf *
harness_frame(const char *dst, const char *src, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct rte_ether_hdr *eh;
	char *data;

	assert_non_null(m);
	data = rte_pktmbuf_append(m, len);
	assert_non_null(data);
	memset(data, 0xab, len);
	if (len >= RTE_ETHER_HDR_LEN) {
		eh = (struct rte_ether_hdr *)data;
		assert_int_equal(rte_ether_unformat_addr(dst, &eh->dst_addr), 0);
		assert_int_equal(rte_ether_unformat_addr(src, &eh->src_addr), 0);
		eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	}
	return m;
}

void
harness_capture_reset(struct capture *cap)
{
	unsigned int i;

	for (i = 0; i < cap->n; i++)
		rte_pktmbuf_free(cap->pkts[i]);
	cap->n = 0;
	cap->bursts = 0;
}

/* What fills a tx ring to leave a capture's 'accept' slots: never an mbuf,
 * and always dequeued (first: the ring is FIFO) by the next capture. */
static char filler;

/* The test thread is the only one running: it may produce on a tx ring
 * whose producer is otherwise the PMD. */
static void
leave_room(struct harness_sw *f)
{
	void *objs[CAP_MAX];
	struct rte_ring *r;
	unsigned int i, k, fill;

	for (i = 0; i < 4; i++) {
		if (f->port[i] == NULL || f->cap[i].accept < 0)
			continue;
		r = vs_port_ring_tx(f->port[i], 0);
		assert_non_null(r);
		fill = rte_ring_free_count(r) - (unsigned int)f->cap[i].accept;
		assert_true(fill <= CAP_MAX);
		for (k = 0; k < fill; k++)
			objs[k] = &filler;
		assert_int_equal(rte_ring_enqueue_bulk(r, objs, fill, NULL), fill);
	}
}

void
harness_capture(struct harness_sw *f)
{
	struct capture *cap;
	struct rte_ring *r;
	void *obj;
	uint64_t bursts;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (f->port[i] == NULL)
			continue;
		cap = &f->cap[i];
		r = vs_port_ring_tx(f->port[i], 0);
		assert_non_null(r);
		while (rte_ring_dequeue(r, &obj) == 0) {
			if (obj == &filler)
				continue;
			assert_true(cap->n < CAP_MAX); /* a test that captures more resets first */
			cap->pkts[cap->n++] = obj;
		}
		bursts = vs_port_ring_tx_bursts(f->port[i]);
		cap->bursts += (unsigned int)(bursts - cap->seen_bursts);
		cap->seen_bursts = bursts;
	}
}

/* ---- a switch to drive ---- */

static struct vs_port *
add_port(struct vs_switch *sw, const char *bridge, const char *name, uint16_t id)
{
	struct vs_kv kv = {.key = "size"};
	struct vs_port *p;
	struct vs_err err = {0};

	json_t *entry;

	snprintf(kv.val, sizeof(kv.val), "%d", CAP_MAX);
	/* What port.add saves: the same port as the operator would add it. */
	entry = json_pack("{s:s, s:s, s:s, s:{s:s}}", "bridge", bridge, "name", name, "type",
			  "ring", "options", kv.key, kv.val);
	assert_non_null(entry);
	sw->next_port_id = id;
	if (vs_port_add(sw, bridge, name, "ring", &kv, 1, entry, &err) < 0)
		fail_msg("add-port %s %s type=ring: %s", bridge, name, err.msg);
	json_decref(entry);
	p = vs_port_find(sw, name);
	assert_non_null(p);
	assert_int_equal(p->id, id);
	return p;
}

int
harness_setup(void **state)
{
	struct vs_bridge_conf bc = {.mac_aging = 300, .mac_max = 64};
	struct harness_sw *f = calloc(1, sizeof(*f));
	size_t sz = rte_rcu_qsbr_get_memsize(VS_MAX_PMDS);
	char name[8];
	int i;

	f->sw = calloc(1, sizeof(*f->sw));
	f->sw->dp.qsbr = rte_zmalloc(NULL, sz, RTE_CACHE_LINE_SIZE);
	rte_rcu_qsbr_init(f->sw->dp.qsbr, VS_MAX_PMDS);
	f->sw->dp.now = 100;
	f->sw->tsc_hz = rte_get_tsc_hz();
	f->sw->start_tsc = rte_rdtsc();
	assert_int_equal(vs_perf_init(f->sw), 0);
	f->w = rte_zmalloc(NULL, sizeof(*f->w), RTE_CACHE_LINE_SIZE);
	assert_int_equal(vs_worker_init(f->w, &f->sw->dp, 0, 0, SOCKET_ID_ANY, harness_pool()), 0);
	f->w->now = 100;
	f->sw->pmds[0] = f->w;
	/* The bridges' configuration too: the actions save into it (no
	 * config file: config_file is "", so nothing is written). */
	assert_int_equal(vs_persist_init(f->sw), 0);
	for (i = 0; i < 2; i++) {
		json_t *params = json_pack("{s:s}", "name", i == 0 ? "br0" : "br1");

		assert_int_equal(vs_bridge_add(f->sw, i == 0 ? "br0" : "br1", &bc, params, NULL),
				 0);
		json_decref(params);
	}
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		f->port[i] = add_port(f->sw, i < 3 ? "br0" : "br1", name, (uint16_t)(10 + i));
		f->cap[i].accept = -1;
	}
	*state = f;
	return 0;
}

int
harness_teardown(void **state)
{
	struct harness_sw *f = *state;
	struct vs_err err;
	int i;

	for (i = 0; i < 4; i++) {
		harness_capture_reset(&f->cap[i]);
		if (f->port[i] != NULL)
			assert_int_equal(vs_port_del(f->sw, f->port[i]->name, NULL, &err), 0);
	}
	vs_bridge_del_all(f->sw);
	vs_persist_fini(f->sw);
	vs_worker_fini(f->w);
	rte_free(f->w);
	rte_free(f->sw->dp.qsbr);
	vs_perf_fini(f->sw);
	free(f->sw);
	free(f);
	return 0;
}

void
harness_input(struct harness_sw *f, int in, struct rte_mbuf **pkts, uint16_t n)
{
	struct vs_port *port = f->port[in];
	struct rte_mbuf *got[CAP_MAX];

	assert_true(n <= CAP_MAX);
	leave_room(f);
	assert_int_equal(rte_ring_enqueue_burst(vs_port_ring_rx(port, 0), (void **)pkts, n, NULL),
			 n);
	assert_int_equal(port->rx(port, 0, got, n), n);
	vs_flow_input(f->w, port, got, n);
	vs_worker_flush(f->w);
	vs_learn_drain(f->sw);
	harness_capture(f);
}

uint64_t
harness_drops(struct harness_sw *f, int port, enum vs_drop r)
{
	struct vs_port_ctr c;

	vs_port_counters(f->port[port], &c);
	return c.drops[r];
}

uint64_t
harness_tx(struct harness_sw *f, int port)
{
	struct vs_port_ctr c;

	vs_port_counters(f->port[port], &c);
	return c.tx_packets;
}
