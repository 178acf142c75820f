/* SPDX-License-Identifier: BSD-3-Clause */
/* control/switch/memory.c: see memory.h. The pools are the switch's (one per NUMA
 * node, control/switch/switch.c); an mbuf in a PMD's per-lcore cache counts as
 * available, as DPDK counts it, so once traffic stops 'in_use' is exactly
 * what devices, rings and the switch still hold. The heap figures are
 * DPDK's malloc heaps (rte_malloc, memzones, rings, hashes, pools), the
 * ones a leak of DPDK memory shows in. */
#include <stdio.h>

#include <rte_malloc.h>
#include <rte_mempool.h>

#include "log.h"
#include "memory.h"
#include "switch.h"

static unsigned int
free_pct(const struct rte_mempool *mp)
{
	return mp->size ? (unsigned int)(100ull * rte_mempool_avail_count(mp) / mp->size) : 100;
}

static void
low_text(char *buf, size_t size, unsigned int node, const struct rte_mempool *mp)
{
	snprintf(buf, size, "mbuf pool of NUMA node %u is low: %u of %u mbufs free (below %d%%)",
		 node, rte_mempool_avail_count(mp), mp->size, VS_POOL_LOW_PCT);
}

void
vs_memory_check(struct vs_switch *sw)
{
	char text[256];
	unsigned int i, pct;

	for (i = 0; i < RTE_MAX_NUMA_NODES; i++) {
		const struct rte_mempool *mp = sw->pools[i];

		if (mp == NULL)
			continue;
		pct = free_pct(mp);
		if (!sw->pool_low[i] && pct < VS_POOL_LOW_PCT) {
			sw->pool_low[i] = true;
			low_text(text, sizeof(text), i, mp);
			VS_LOG(WARNING,
			       "%s; packets will be dropped (rx_nombuf, no_mbuf) until ports "
			       "release some; raise --mbufs if this is the normal load",
			       text);
		} else if (sw->pool_low[i] && pct >= VS_POOL_OK_PCT) {
			sw->pool_low[i] = false;
			VS_LOG(NOTICE, "mbuf pool of NUMA node %u recovered: %u of %u mbufs free",
			       i, rte_mempool_avail_count(mp), mp->size);
		}
	}
}

static json_t *
pool_json(const struct vs_switch *sw, unsigned int node)
{
	const struct rte_mempool *mp = sw->pools[node];
	unsigned int avail = rte_mempool_avail_count(mp);

	return json_pack("{s:i, s:s, s:i, s:i, s:i, s:i, s:b}", "numa", (int)node, "name", mp->name,
			 "size", (int)mp->size, "in_use", (int)(mp->size - avail), "available",
			 (int)avail, "free_pct", (int)free_pct(mp), "low", sw->pool_low[node]);
}

/* Every NUMA node's heap, and their sum (external heaps are not ours). */
static json_t *
heap_json(void)
{
	uint64_t allocs = 0, bytes = 0, free_b = 0, total = 0;
	struct rte_malloc_socket_stats st;
	json_t *nodes = json_array();
	unsigned int i;
	int socket;

	for (i = 0; i < rte_socket_count(); i++) {
		socket = rte_socket_id_by_idx(i);
		if (socket < 0 || rte_malloc_get_socket_stats(socket, &st) < 0)
			continue;
		json_array_append_new(nodes,
				      json_pack("{s:i, s:I, s:I, s:I, s:I}", "numa", socket,
						"allocations", (json_int_t)st.alloc_count, "bytes",
						(json_int_t)st.heap_allocsz_bytes, "free_bytes",
						(json_int_t)st.heap_freesz_bytes, "total_bytes",
						(json_int_t)st.heap_totalsz_bytes));
		allocs += st.alloc_count;
		bytes += st.heap_allocsz_bytes;
		free_b += st.heap_freesz_bytes;
		total += st.heap_totalsz_bytes;
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:o}", "allocations", (json_int_t)allocs, "bytes",
			 (json_int_t)bytes, "free_bytes", (json_int_t)free_b, "total_bytes",
			 (json_int_t)total, "by_numa", nodes);
}

json_t *
vs_memory_json(const struct vs_switch *sw)
{
	json_t *pools = json_array(), *warnings = json_array();
	char text[256];
	unsigned int i;

	for (i = 0; i < RTE_MAX_NUMA_NODES; i++) {
		if (sw->pools[i] == NULL)
			continue;
		json_array_append_new(pools, pool_json(sw, i));
		/* As the log said it: the crossing, not each second below. */
		if (sw->pool_low[i]) {
			low_text(text, sizeof(text), i, sw->pools[i]);
			json_array_append_new(warnings, json_string(text));
		}
	}
	return json_pack("{s:o, s:o, s:o}", "pools", pools, "heap", heap_json(), "warnings",
			 warnings);
}
