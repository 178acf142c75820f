/* SPDX-License-Identifier: BSD-3-Clause */
/* base/common.h: the limits every layer sizes its tables by, and the two
 * RCU accessors every layer that publishes or reads a pointer shares. */
#ifndef VS_COMMON_H
#define VS_COMMON_H

#include <stdint.h>
#include <rte_common.h>

#define VS_BURST       32  /* packets per rx burst and per tx batch */
#define VS_MAX_PORTS   256 /* ports in one switch, all bridges */
#define VS_MAX_BRIDGES 64
#define VS_MAX_PMDS    64         /* PMD threads; also the RCU reader slots */
#define VS_MAX_QUEUES  64         /* rx or tx queues of one port */
#define VS_TABLES      255        /* flow tables per bridge: 0-254, as OpenFlow numbers them */
#define VS_FLOWS_MAX   (1u << 18) /* flow rules per bridge, all tables */
#define VS_NAME_MAX    32         /* bridge and port names, with the NUL */
#define VS_PORT_NONE   UINT16_MAX
#define VS_CPU_MAX     127 /* PMDs run on CPUs 0-126: EAL lcore N is CPU N, 127 the control thread */

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

#endif
