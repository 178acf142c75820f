/* SPDX-License-Identifier: BSD-3-Clause */
/* control/switch/memory.h: what the switch's memory does: the mbuf pools' use per
 * NUMA node, with a warning when one runs low, and the DPDK heap's figures
 * (allocations and bytes per NUMA node), for show, switch.memory and
 * telemetry. */
#ifndef VS_MEMORY_H
#define VS_MEMORY_H

#include <jansson.h>

struct vs_switch;

/* A pool is low when less than this share of it is free; it is back to
 * normal once this much is free again (apart, so a pool hovering at the
 * threshold warns once, not once a second). */
#define VS_POOL_LOW_PCT 10
#define VS_POOL_OK_PCT  20

/* Control thread, once a second: log a WARNING when a pool crosses below
 * VS_POOL_LOW_PCT free, once per crossing, and a NOTICE when it recovers. */
void vs_memory_check(struct vs_switch *sw);

/* {pools: [{numa, name, size, in_use, available, free_pct, low}],
 *  heap: {allocations, bytes, free_bytes, total_bytes, by_numa: [...]},
 *  warnings: [text]}. Caller holds the switch (control thread or lock). */
json_t *vs_memory_json(const struct vs_switch *sw);

#endif
