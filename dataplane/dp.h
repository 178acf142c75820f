/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/dp.h: the one structure every PMD reads, the port table
 * (limits: base/common.h). The control thread writes it; PMDs read it without locks. A port
 * removed from the table is freed only after an RCU grace period (every PMD
 * has passed a quiescent state), so a PMD never sees a freed port. */
#ifndef VS_DP_H
#define VS_DP_H

#include <stdint.h>
#include <rte_common.h>
#include <rte_rcu_qsbr.h>

#include "common.h"

struct vs_port;

struct vs_dp {
	struct vs_port *ports[VS_MAX_PORTS]; /* RCU: NULL or a live port */
	struct rte_rcu_qsbr *qsbr;           /* reader id = PMD index */
	/* Written by the control thread (__atomic_store_n), read by PMDs once
	 * per loop (__atomic_load_n), both relaxed: each is a lone value that
	 * publishes nothing else, and a PMD seeing it a loop late is fine. */
	uint32_t now;   /* seconds since start (MAC aging) */
	bool rxq_stats; /* count cycles per rx queue */
};

static inline struct vs_port *
vs_dp_port(const struct vs_dp *dp, uint16_t id)
{
	return id < VS_MAX_PORTS ? vs_rcu_deref((void *const *)&dp->ports[id]) : NULL;
}

#endif
