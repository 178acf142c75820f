/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/bridge.h: a bridge as PMDs see it: its flow tables (the
 * pipeline), its MAC table, the list of ports that get flooded frames, and
 * the counters PMDs keep for its rules and tables. The control thread
 * (control/bridge/bridge.c, control/flow/flow_table.c) owns it, changes the
 * pipeline in place or republishes it whole, and republishes 'flood' when
 * ports come or go. */
#ifndef VS_BRIDGE_H
#define VS_BRIDGE_H

#include <stdint.h>

#include "dp.h"
#include "fdb.h"
#include "pipeline.h"

struct vs_flood {
	uint16_t n;
	uint16_t ports[]; /* port ids, ascending */
};

struct vs_groups;
struct vs_flow_table;

struct vs_bridge {
	/* Hot: PMDs. */
	struct vs_pipeline *pipe; /* RCU */
	struct vs_fdb *fdb;
	struct vs_flood *flood;   /* RCU */
	struct vs_groups *groups; /* its group table (dataplane/group.h); NULL: none yet */
	uint16_t id;
	/* A controller of the bridge takes OFPR_INVALID_TTL packet-ins
	 * (control/openflow/pktin.c sets it): a dec_ttl that drops also
	 * sends a copy to it. */
	uint8_t ttl_to_ctl;
	struct vs_flow_ctrs ctrs; /* written by PMDs, each its own arrays */
	/* Cold: control thread. */
	struct vs_flow_table *flows;
	char name[VS_NAME_MAX];

	uint32_t mac_aging; /* seconds */
	uint32_t mac_max;
	uint64_t learn_full; /* learn requests refused: table full */
	uint64_t learned;
	uint64_t moved;
	uint64_t aged;
} __rte_cache_aligned;

#endif
