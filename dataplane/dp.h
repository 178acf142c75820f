/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/dp.h: limits and the one structure every PMD reads, the port
 * table. The control thread writes it; PMDs read it without locks. A port
 * removed from the table is freed only after an RCU grace period (every PMD
 * has passed a quiescent state), so a PMD never sees a freed port. */
#ifndef VS_DP_H
#define VS_DP_H

#include <stdint.h>
#include <rte_common.h>
#include <rte_rcu_qsbr.h>

#define VS_BURST       32  /* packets per rx burst and per tx batch */
#define VS_MAX_PORTS   256 /* ports in one switch, all bridges */
#define VS_MAX_BRIDGES 64
#define VS_MAX_PMDS    64 /* PMD threads; also the RCU reader slots */
#define VS_MAX_QUEUES  64 /* rx or tx queues of one port */
#define VS_NAME_MAX    32 /* bridge and port names, with the NUL */
#define VS_PORT_NONE   UINT16_MAX
#define VS_CPU_MAX     127 /* PMDs run on CPUs 0-126: EAL lcore N is CPU N, 127 the control thread */

struct vs_port;

struct vs_dp {
	struct vs_port *ports[VS_MAX_PORTS]; /* RCU: NULL or a live port */
	struct rte_rcu_qsbr *qsbr;           /* reader id = PMD index */
	volatile uint32_t now;               /* seconds since start (MAC aging) */
	volatile bool rxq_stats;             /* count cycles per rx queue */
};

/* Dataplane reads of RCU-published pointers: acquire pairs with the control
 * thread's release store, so the pointed-to object is fully built. */
static inline void *
vs_rcu_deref(void *const *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void
vs_rcu_assign(void **p, void *v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline struct vs_port *
vs_dp_port(const struct vs_dp *dp, uint16_t id)
{
	return id < VS_MAX_PORTS ? vs_rcu_deref((void *const *)&dp->ports[id]) : NULL;
}

#endif
