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

static uint16_t
cap_tx(struct vs_port *port, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	struct capture *cap = port->priv;
	uint16_t take = n, i;

	cap->bursts++;
	if (cap->accept >= 0 && take > cap->accept)
		take = (uint16_t)cap->accept;
	for (i = 0; i < take && cap->n < CAP_MAX; i++)
		cap->pkts[cap->n++] = pkts[i];
	if (i < n)
		rte_pktmbuf_free_bulk(pkts + i, n - i);
	return i;
}

static int
cap_status(const struct vs_port *port, struct vs_port_status *st)
{
	memset(st, 0, sizeof(*st));
	return 0;
}

static void
cap_close(struct vs_port *port)
{
}

static const struct vs_port_ops capture_ops = {
	.type = "capture",
	.close = cap_close,
	.status = cap_status,
	.rx = vs_port_rx_none,
	.tx = cap_tx,
};

struct vs_port *
harness_port(const char *name, struct capture *cap)
{
	struct vs_port *p = rte_zmalloc("test_port", sizeof(*p), RTE_CACHE_LINE_SIZE);

	assert_non_null(p);
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->ops = &capture_ops;
	p->rx = vs_port_rx_none;
	p->tx = cap_tx;
	p->priv = cap;
	p->n_txq = 1;
	p->tx_drop = VS_DROP_TX_FULL;
	cap->accept = -1;
	return p;
}

void
harness_port_free(struct vs_port *port)
{
	rte_free(port);
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

/* ---- a switch to drive ---- */

static void
attach(struct vs_switch *sw, const char *bridge, struct vs_port *p, uint16_t id)
{
	struct vs_bridge *br = vs_bridge_find(sw, bridge);

	assert_non_null(br);
	p->id = id;
	p->br = br;
	sw->ports[id] = p;
	sw->dp.ports[id] = p;
	assert_int_equal(vs_bridge_flood_publish(sw, br), 0);
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
		f->port[i] = harness_port(name, &f->cap[i]);
		attach(f->sw, i < 3 ? "br0" : "br1", f->port[i], (uint16_t)(10 + i));
	}
	*state = f;
	return 0;
}

int
harness_teardown(void **state)
{
	struct harness_sw *f = *state;
	int i;

	for (i = 0; i < 4; i++) {
		harness_capture_reset(&f->cap[i]);
		f->sw->ports[f->port[i]->id] = NULL;
		harness_port_free(f->port[i]);
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

/* Send a burst in on port 'in', flush, and apply learn requests. */
void
harness_input(struct harness_sw *f, int in, struct rte_mbuf **pkts, uint16_t n)
{
	vs_flow_input(f->w, f->port[in], pkts, n);
	vs_worker_flush(f->w);
	vs_learn_drain(f->sw);
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
