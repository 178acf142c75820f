/* SPDX-License-Identifier: BSD-3-Clause */
/* control/switch/switch.c: bring-up and tear-down of the switch in a visible
 * order, the RCU variable PMDs report to, per-NUMA mbuf pools and the
 * periodic tick. */
#include <errno.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "capture.h"
#include "cpuset.h"
#include "log.h"
#include "memory.h"
#include "perf.h"
#include "switch.h"

#define MBUF_CACHE 256

static void
switch_notify(void *ctx)
{
	struct vs_switch *sw = ctx;
	uint64_t one = 1;

	/* An eventfd counter: writes from any thread, one wake-up. */
	if (write(sw->notify_fd, &one, sizeof(one)) < 0)
		return; /* EAGAIN: a wake-up is pending anyway */
}

void
vs_switch_refresh(struct vs_switch *sw)
{
	uint64_t n;
	unsigned int i, q;

	if (read(sw->notify_fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		VS_LOG(WARNING, "notify eventfd: %s", strerror(errno));
	for (i = 0; i < VS_MAX_PORTS; i++) {
		struct vs_port *p = sw->ports[i];

		if (p == NULL || vs_port_socket(p) == p->sched_socket)
			continue;
		/* Its NUMA node is known or changed (a guest connected): place
		 * its queues again, near its memory. */
		for (q = 0; q < VS_MAX_QUEUES; q++)
			p->rxq_pmd[q] = -1;
		p->sched_socket = vs_port_socket(p);
	}
	if (vs_sched_publish(sw) < 0)
		VS_LOG(ERR, "out of memory re-placing rx queues");
}

int
vs_switch_init(struct vs_switch *sw, struct vs_err *err)
{
	size_t sz = rte_rcu_qsbr_get_memsize(VS_MAX_PMDS);
	int cpu, ret;

	sw->notify_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (sw->notify_fd < 0)
		return vs_err_set(err, -errno, "eventfd: %s", strerror(errno));
	sw->tsc_hz = rte_get_tsc_hz();
	sw->start_tsc = rte_rdtsc();
	sw->dp.qsbr = rte_zmalloc("vs_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (sw->dp.qsbr == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory for RCU state");
	ret = rte_rcu_qsbr_init(sw->dp.qsbr, VS_MAX_PMDS);
	if (ret < 0)
		return vs_err_set(err, -rte_errno, "rte_rcu_qsbr_init failed");
	if (vs_perf_init(sw) < 0)
		return vs_err_set(err, -ENOMEM, "out of memory for measurements");
	sw->dp.rxq_stats = sw->cfg.rxq_stats;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &sw->cfg.pmd_cpus))
			continue;
		ret = vs_pmd_start(sw, (unsigned int)cpu, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

void
vs_switch_fini(struct vs_switch *sw)
{
	unsigned int i;

	for (i = 0; i < VS_MAX_PMDS; i++)
		if (sw->pmds[i] != NULL)
			vs_pmd_stop(sw, (uint16_t)i);
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++) {
		rte_mempool_free(sw->pools[i]);
		sw->pools[i] = NULL;
	}
	rte_free(sw->dp.qsbr);
	sw->dp.qsbr = NULL;
	vs_perf_fini(sw);
	if (sw->notify_fd >= 0)
		close(sw->notify_fd);
	sw->notify_fd = -1;
}

void
vs_switch_sync(struct vs_switch *sw)
{
	rte_rcu_qsbr_synchronize(sw->dp.qsbr, RTE_QSBR_THRID_INVALID);
}

struct rte_mempool *
vs_switch_pool(void *arg, int socket)
{
	struct vs_switch *sw = arg;
	char name[RTE_MEMPOOL_NAMESIZE];
	unsigned int node = socket < 0 ? 0 : (unsigned int)socket;

	if (node >= RTE_MAX_NUMA_NODES)
		return NULL;
	if (sw->pools[node] != NULL)
		return sw->pools[node];
	snprintf(name, sizeof(name), "vs_mbuf_n%u", node);
	sw->pools[node] = rte_pktmbuf_pool_create(name, sw->cfg.n_mbufs, MBUF_CACHE, 0,
						  RTE_MBUF_DEFAULT_BUF_SIZE, (int)node);
	if (sw->pools[node] == NULL && socket < 0)
		sw->pools[node] = rte_pktmbuf_pool_create(name, sw->cfg.n_mbufs, MBUF_CACHE, 0,
							  RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (sw->pools[node] == NULL)
		VS_LOG(ERR,
		       "cannot create %u mbufs on NUMA node %u: %s; add hugepages on that "
		       "node, or lower --mbufs",
		       sw->cfg.n_mbufs, node, rte_strerror(rte_errno));
	else
		VS_LOG(INFO, "created %u mbufs on NUMA node %u", sw->cfg.n_mbufs, node);
	return sw->pools[node];
}

void
vs_switch_port_env(struct vs_switch *sw, struct vs_port_env *env)
{
	env->n_pmds = vs_pmd_slots(sw);
	env->pool = vs_switch_pool;
	env->pools = sw->pools;
	env->notify = switch_notify;
	env->vhost = &sw->vhost;
	env->qsbr = sw->dp.qsbr;
	env->ctx = sw;
}

struct vs_port *
vs_port_find(const struct vs_switch *sw, const char *name)
{
	unsigned int i;

	for (i = 0; i < VS_MAX_PORTS; i++)
		if (sw->ports[i] != NULL && strcmp(sw->ports[i]->name, name) == 0)
			return sw->ports[i];
	return NULL;
}

uint32_t
vs_switch_now(const struct vs_switch *sw)
{
	return (uint32_t)((rte_rdtsc() - sw->start_tsc) / sw->tsc_hz);
}

bool
vs_switch_tick(struct vs_switch *sw, bool *second)
{
	uint32_t now = vs_switch_now(sw);
	bool busy;

	__atomic_store_n(&sw->dp.now, now, __ATOMIC_RELAXED); /* see struct vs_dp */
	busy = vs_learn_drain(sw) > 0;
	*second = now != sw->last_age;
	if (*second) {
		sw->last_age = now;
		vs_learn_age(sw);
		vs_perf_sample(sw);
		vs_sched_tick(sw);
		vs_capture_sweep();
		vs_memory_check(sw);
	}
	return busy;
}
