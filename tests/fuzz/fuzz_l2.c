/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fuzz_l2.c: libFuzzer target for what PMDs read from frames:
 * the input is cut into frames (2-byte length, then bytes) and sent as one
 * burst through the learning bridge stage to capture ports. The stage must
 * never read past a frame, and every frame must end captured or counted. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "bridge_ctl.h"
#include "fuzz_switch.h"
#include "l2.h"
#include "switch.h"
#include "worker.h"

#define N_PORTS 3

static struct vs_switch *sw;
static struct vs_worker *w;
static struct vs_port *ports[N_PORTS];
static struct rte_mempool *pool;
static uint64_t captured;

static uint16_t
cap_tx(struct vs_port *port, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	captured += n;
	rte_pktmbuf_free_bulk(pkts, n);
	return n;
}

static int
cap_status(const struct vs_port *port, struct vs_port_status *st)
{
	return 0;
}

static const struct vs_port_ops cap_ops = {.type = "capture", .status = cap_status};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned int i;

	sw = fuzz_switch_new();
	pool = rte_pktmbuf_pool_create("fuzz", 2047, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	w = rte_zmalloc(NULL, sizeof(*w), RTE_CACHE_LINE_SIZE);
	if (pool == NULL || w == NULL || vs_worker_init(w, &sw->dp, 0, 0, SOCKET_ID_ANY, pool) < 0)
		abort();
	sw->pmds[0] = w;
	for (i = 0; i < N_PORTS; i++) {
		struct vs_port *p = rte_zmalloc(NULL, sizeof(*p), RTE_CACHE_LINE_SIZE);

		p->ops = &cap_ops;
		p->tx = cap_tx;
		p->rx = vs_port_rx_none;
		p->n_txq = 1;
		p->id = (uint16_t)i;
		p->br = sw->bridges[0];
		p->tx_drop = VS_DROP_TX_FULL;
		sw->ports[i] = sw->dp.ports[i] = ports[i] = p;
	}
	return vs_bridge_flood_publish(sw, sw->bridges[0]);
}

static void
extbuf_free(void *addr, void *opaque)
{
	free(opaque); /* the shared info and the frame, one allocation */
}

/* A frame in a malloc'd buffer of exactly its size (plus the shared info
 * in front), attached to an mbuf: ASan flags any read past its end. */
static struct rte_mbuf *
frame(const uint8_t *bytes, uint16_t len)
{
	struct rte_mbuf_ext_shared_info *shinfo;
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t *buf;

	if (m == NULL)
		return NULL;
	shinfo = malloc(sizeof(*shinfo) + len);
	buf = (uint8_t *)(shinfo + 1);
	memcpy(buf, bytes, len);
	shinfo->free_cb = extbuf_free;
	shinfo->fcb_opaque = shinfo;
	rte_mbuf_ext_refcnt_set(shinfo, 1);
	rte_pktmbuf_attach_extbuf(m, buf, 0, len, shinfo);
	m->data_off = 0;
	m->data_len = len;
	m->pkt_len = len;
	return m;
}

static uint64_t
accounted(void)
{
	struct vs_port_ctr c;
	uint64_t sum = 0;
	unsigned int i, r;

	for (i = 0; i < N_PORTS; i++) {
		vs_port_counters(ports[i], &c);
		for (r = 0; r < VS_DROP_MAX; r++)
			sum += c.drops[r];
	}
	return sum;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rte_mbuf *pkts[VS_BURST];
	uint64_t before = captured + accounted();
	uint16_t n = 0;
	size_t off = 0;

	while (n < VS_BURST && off + 2 <= size) {
		uint16_t len = (uint16_t)((data[off] | data[off + 1] << 8) % 1600);
		struct rte_mbuf *m;

		off += 2;
		if (len > size - off)
			len = (uint16_t)(size - off);
		m = frame(data + off, len);
		if (m == NULL)
			break;
		off += len;
		pkts[n++] = m;
	}
	if (n == 0)
		return 0;
	vs_l2_input(w, ports[data[0] % N_PORTS], pkts, n);
	vs_worker_flush(w);
	vs_learn_drain(sw);
	/* Every frame is delivered (once per output) or counted: at least n. */
	if (captured + accounted() - before < n)
		abort();
	if (rte_mempool_in_use_count(pool) != 0)
		abort(); /* a leaked mbuf */
	return 0;
}
