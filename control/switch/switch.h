/* SPDX-License-Identifier: BSD-3-Clause */
/* control/switch/switch.h: the switch, the handle every control function takes.
 * It owns the PMDs, bridges, ports and mbuf pools, and the dataplane view
 * (struct vs_dp) that PMDs read. Only the control thread touches it. */
#ifndef VS_SWITCH_H
#define VS_SWITCH_H

#include <stdbool.h>
#include <pthread.h>
#include <stdint.h>
#include <jansson.h>
#include <rte_mempool.h>

#include "bridge.h"
#include "config.h"
#include "dp.h"
#include "err.h"
#include "port.h"
#include "worker.h"

struct vs_loop;
struct vs_rpc;
struct vs_perf;
struct vs_of;
struct vs_tls;

/* The outcome of a rebalance (control/switch/sched.c). */
struct vs_rebalance {
	double variance_before; /* of the PMDs' loads (cycles over the last seconds) */
	double variance_after;
	double improvement_pct;
	unsigned int moved; /* queues that change PMD */
	bool applied;
	uint32_t when; /* vs_switch_now() */
};

struct vs_switch {
	struct vs_config cfg;
	struct vs_dp dp;
	struct vs_worker *pmds[VS_MAX_PMDS];       /* by PMD index, NULL: free */
	struct vs_bridge *bridges[VS_MAX_BRIDGES]; /* by bridge id */
	struct vs_port *ports[VS_MAX_PORTS];       /* by port id: the control view */
	uint16_t next_port_id;                     /* ids are handed out round-robin */
	struct rte_mempool *pools[RTE_MAX_NUMA_NODES];
	bool pool_low[RTE_MAX_NUMA_NODES]; /* under VS_POOL_LOW_PCT free, warned (memory.c) */
	struct vs_vhost_env vhost;         /* vhost-user socket rules, from the config */
	int notify_fd;                     /* eventfd: a driver's queues or NUMA node changed */
	struct vs_loop *loop;
	struct vs_rpc *rpc;
	struct vs_of *of;   /* OpenFlow: the bridges' controllers (control/openflow/) */
	struct vs_tls *tls; /* set-ssl's files, NULL: none (control/stream/tls.h) */
	char **eal_argv;    /* DPDK keeps pointers into it until rte_eal_cleanup */
	int eal_argc;
	uint64_t tsc_hz;
	uint64_t start_tsc;
	uint32_t last_age;
	struct vs_perf *perf;        /* measurements (control/switch/perf.c) */
	struct vs_rebalance lb_last; /* the last rebalance applied */
	uint64_t lb_count;           /* rebalances applied */
	uint32_t lb_over_since;      /* busiest PMD over the threshold since, 0: not */
	json_t *desired;             /* the configuration to save (control/persist/persist.c) */
	json_t *persist_errors;      /* why some of it could not be created at start */
	/* control/flow's hook for the rules a timeout or a delete removes (a
	 * vs_flows_removed_fn, set by vs_flows_set_removed_cb); NULL: none. */
	void (*flows_removed_fn)(void);
	void *flows_removed_ctx;
	char *persist_diverged; /* why the running state differs from the file, or NULL */
	/* Held by the control thread except while it waits for events: other
	 * threads (DPDK telemetry) take it to read the switch. */
	pthread_mutex_t lock;
	/* Set by the control loop's own signalfd handler and read by that loop:
	 * one thread, so a plain bool (no handshake; the signal arrives as a
	 * read from the signalfd, not asynchronously). */
	bool quit;
};

/* After rte_eal_init: RCU, then PMD threads on cfg.pmd_cpus. */
int vs_switch_init(struct vs_switch *sw, struct vs_err *err);
/* Stop PMDs, free pools. The bridges and ports go first (vs_bridge_del_all):
 * the switch does not drive the modules above it. */
void vs_switch_fini(struct vs_switch *sw);

/* Wait until every PMD has passed a quiescent state: whatever was
 * unpublished before the call is no longer referenced by any PMD. */
void vs_switch_sync(struct vs_switch *sw);

/* The mbuf pool of NUMA node 'socket' (created on first use). */
struct rte_mempool *vs_switch_pool(void *sw, int socket);

/* What a driver needs from the switch to open a port. */
void vs_switch_port_env(struct vs_switch *sw, struct vs_port_env *env);

/* Control thread, when notify_fd fires: re-place the rx queues of ports
 * whose enabled queues or NUMA node changed. */
void vs_switch_refresh(struct vs_switch *sw);

/* The port of that name, in any bridge, or NULL. */
struct vs_port *vs_port_find(const struct vs_switch *sw, const char *name);

/* Seconds since start. */
uint32_t vs_switch_now(const struct vs_switch *sw);

/* Periodic work: the clock PMDs read, MAC learning and aging. Returns true
 * if there was work, so the loop can come back sooner. */
bool vs_switch_tick(struct vs_switch *sw, bool *second);

/* PMD threads (control/switch/pmd.c). */
int vs_pmd_start(struct vs_switch *sw, unsigned int cpu, struct vs_err *err);
void vs_pmd_stop(struct vs_switch *sw, uint16_t idx);
/* Run PMDs on exactly these CPUs, moving queues off the ones that go. */
int vs_pmd_set_cpus(struct vs_switch *sw, const cpu_set_t *cpus, struct vs_err *err);
/* One more than the highest PMD index in use. */
unsigned int vs_pmd_slots(const struct vs_switch *sw);

/* Queue placement (control/switch/sched.c): assign every rx queue of every port to
 * a PMD and publish the pollsets; queues that have a PMD keep it. */
int vs_sched_publish(struct vs_switch *sw);
/* Place every queue afresh by measured load; 'apply' false: only say what
 * it would do. It applies only if it moves a queue and makes the loads at
 * least 'min_pct' percent less uneven; min_pct < 0: in any case. */
int vs_sched_rebalance(struct vs_switch *sw, bool apply, double min_pct, struct vs_rebalance *out);
/* Once a second: the automatic rebalancer. */
void vs_sched_tick(struct vs_switch *sw);

/* MAC learning (control/switch/learn.c). */
unsigned int vs_learn_drain(struct vs_switch *sw);
void vs_learn_age(struct vs_switch *sw);

#endif
