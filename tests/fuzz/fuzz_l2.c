/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fuzz_l2.c: libFuzzer target for what PMDs read from frames:
 * the input is cut into frames (2-byte length, then bytes) and sent as one
 * burst into a bridge, to ring ports (drivers/port_ring.c, added with
 * vs_port_add, their tx rings drained after each input): br0 has the default table (the
 * learning bridge alone), br1 a table whose rules parse every header and
 * run every action (rewrites, tags, copies, flood, NORMAL). The dataplane
 * must never read or write past a frame, and every frame must end
 * captured or counted, with no mbuf leaked. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "bridge_ctl.h"
#include "flow.h"
#include "flow_table.h"
#include "fuzz_switch.h"
#include "port_ring.h"
#include "switch.h"
#include "worker.h"

#define N_PORTS 6 /* 0-2 on br0, 3-5 on br1 */

static const char *const br1_rules[] = {
	"priority=100,tcp,actions=output:q4,mod_nw_src:1.2.3.4,mod_tp_dst:99,output:q5,normal",
	"priority=90,udp,actions=mod_nw_dst:9.9.9.9,mod_tp_src:7,mod_nw_tos:4,in_port",
	"priority=80,dl_vlan=5,actions=strip_vlan,mod_vlan_pcp:3,flood",
	"priority=70,ipv6,actions=mod_nw_tos:8,push_vlan:0x88a8,mod_vlan_vid:9,output:q3",
	"priority=60,arp,actions=mod_dl_src:02:00:00:00:00:01,normal",
	"priority=50,icmp,actions=drop",
	"priority=40,in_port=q3,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=output:q4",
	"priority=0,actions=strip_vlan,mod_vlan_vid:4095,output:q4,strip_vlan,output:q5",
};

static struct vs_switch *sw;
static struct vs_worker *w;
static struct vs_port *ports[N_PORTS];
static struct rte_mempool *pool;
static uint64_t captured;

/* Free what the ports' tx rings hold, counting it as captured. */
static void
drain(void)
{
	struct rte_mbuf *pkts[VS_BURST];
	unsigned int i, n;

	for (i = 0; i < N_PORTS; i++)
		while ((n = rte_ring_dequeue_burst(vs_port_ring_tx(ports[i], 0), (void **)pkts,
						   VS_BURST, NULL)) > 0) {
			captured += n;
			rte_pktmbuf_free_bulk(pkts, n);
		}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct vs_flow_spec specs[RTE_DIM(br1_rules)];
	struct vs_err err;
	unsigned int i;

	sw = fuzz_switch_new();
	fuzz_switch_bridge(sw, "br1");
	pool = rte_pktmbuf_pool_create("fuzz", 2047, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	w = rte_zmalloc(NULL, sizeof(*w), RTE_CACHE_LINE_SIZE);
	if (pool == NULL || w == NULL || vs_worker_init(w, &sw->dp, 0, 0, SOCKET_ID_ANY, pool) < 0)
		abort();
	sw->pmds[0] = w;
	for (i = 0; i < N_PORTS; i++) {
		char name[VS_NAME_MAX];

		const char *br = i < 3 ? "br0" : "br1";
		json_t *entry;

		snprintf(name, sizeof(name), "q%u", i);
		entry = json_pack("{s:s, s:s, s:s}", "bridge", br, "name", name, "type", "ring");
		if (entry == NULL || vs_port_add(sw, br, name, "ring", NULL, 0, entry, &err) < 0) {
			fprintf(stderr, "add-port %s type=ring: %s\n", name, err.msg);
			abort();
		}
		json_decref(entry);
		ports[i] = vs_port_find(sw, name);
	}
	for (i = 0; i < RTE_DIM(br1_rules); i++)
		if (vs_flows_parse(sw, sw->bridges[1], br1_rules[i], VS_FLOW_PARSE_ADD, &specs[i],
				   &err) < 0) {
			fprintf(stderr, "%s: %s\n", br1_rules[i], err.msg);
			abort();
		}
	if (vs_flows_replace(sw, sw->bridges[1], specs, RTE_DIM(br1_rules), &i, &err) < 0)
		abort();
	return 0;
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
	struct vs_port *in;
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
	in = ports[data[0] % N_PORTS];
	if (rte_ring_enqueue_burst(vs_port_ring_rx(in, 0), (void **)pkts, n, NULL) != n ||
	    in->rx(in, 0, pkts, n) != n)
		abort();
	vs_flow_input(w, in, pkts, n);
	vs_worker_flush(w);
	vs_learn_drain(sw);
	drain();
	/* Every frame is delivered (once per output) or counted: at least n. */
	if (captured + accounted() - before < n)
		abort();
	if (rte_mempool_in_use_count(pool) != 0)
		abort(); /* a leaked mbuf */
	return 0;
}
