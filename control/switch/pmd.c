/* SPDX-License-Identifier: BSD-3-Clause */
/* control/switch/pmd.c: starting and stopping PMD threads, also while traffic
 * flows. Each PMD runs on the EAL lcore of its CPU (lcore id = CPU number,
 * see config.c) with its state allocated on that CPU's NUMA node.
 *
 * Changing the set: new PMDs start with nothing to poll; ports learn that
 * their tx queues may now be shared (and wait for every PMD to see it);
 * queues are placed again, which moves them off the PMDs that go without
 * losing a packet (sched.c); then those PMDs stop. */
#include <errno.h>

#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "config.h"
#include "log.h"
#include "perf.h"
#include "switch.h"

unsigned int
vs_pmd_slots(const struct vs_switch *sw)
{
	unsigned int i, n = 0;

	for (i = 0; i < VS_MAX_PMDS; i++)
		if (sw->pmds[i] != NULL)
			n = i + 1;
	return n;
}

int
vs_pmd_start(struct vs_switch *sw, unsigned int cpu, struct vs_err *err)
{
	struct vs_worker *w;
	unsigned int idx;
	int socket, ret;

	for (idx = 0; idx < VS_MAX_PMDS && sw->pmds[idx] != NULL; idx++)
		;
	if (idx == VS_MAX_PMDS)
		return vs_err_set(err, -ENOSPC, "at most %d PMD threads", VS_MAX_PMDS);
	if (cpu >= VS_CPU_MAX || !rte_lcore_is_enabled(cpu))
		return vs_err_set(
			err, -EINVAL,
			"CPU %u cannot run a PMD (not among the CPUs this process may use)", cpu);
	if (rte_eal_get_lcore_state(cpu) != WAIT)
		return vs_err_set(err, -EBUSY, "CPU %u already runs a PMD", cpu);
	socket = (int)rte_lcore_to_socket_id(cpu);
	w = rte_zmalloc_socket("vs_worker", sizeof(*w), RTE_CACHE_LINE_SIZE, socket);
	if (w == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory for a PMD on NUMA node %d", socket);
	ret = vs_worker_init(w, &sw->dp, (uint16_t)idx, cpu, socket, vs_switch_pool(sw, socket));
	if (ret < 0) {
		rte_free(w);
		return vs_err_set(err, ret, "cannot set up PMD %u: %s", idx, rte_strerror(-ret));
	}
	w->now = sw->dp.now;
	sw->pmds[idx] = w;
	ret = rte_eal_remote_launch(vs_worker_main, w, cpu);
	if (ret < 0) {
		sw->pmds[idx] = NULL;
		vs_worker_fini(w);
		rte_free(w);
		return vs_err_set(err, ret, "cannot launch a PMD on CPU %u", cpu);
	}
	vs_perf_reset_pmd(sw, (uint16_t)idx);
	VS_LOG(INFO, "PMD %u started on CPU %u (NUMA node %d)", idx, cpu, socket);
	if ((int)cpu == sw->cfg.main_cpu)
		VS_LOG(WARNING,
		       "PMD %u shares CPU %u with the control thread: both will run slower "
		       "(fine for a test machine; give PMDs CPUs of their own in production)",
		       idx, cpu);
	return 0;
}

void
vs_pmd_stop(struct vs_switch *sw, uint16_t idx)
{
	struct vs_worker *w = sw->pmds[idx];

	if (w == NULL)
		return;
	__atomic_store_n(&w->stop, true, __ATOMIC_RELAXED); /* see struct vs_worker */
	rte_eal_wait_lcore(w->lcore);
	sw->pmds[idx] = NULL;
	vs_worker_fini(w);
	rte_free(w->poll); /* the thread has exited: nobody reads it */
	VS_LOG(INFO, "PMD %u on CPU %u stopped", idx, w->lcore);
	rte_free(w);
}

/* More PMDs than 'p' has tx queues: ask the device for more (an ethdev
 * that has them, with txq= not set; the driver keeps PMDs out of the port
 * while it restarts it). The new PMDs have nothing to poll yet, so they
 * cannot send before the port has their queues. */
static void
grow_txqs(struct vs_switch *sw, struct vs_port *p, unsigned int slots)
{
	struct vs_port_env env;
	struct vs_err err = {0};
	uint16_t before = p->n_txq;
	int ret;

	if (p->ops->txq_resize == NULL || p->conf.n_txq != 0)
		return;
	vs_switch_port_env(sw, &env);
	env.n_pmds = slots;
	ret = p->ops->txq_resize(p, &env, &err);
	if (ret < 0)
		VS_LOG(WARNING, "port %s: cannot give it a tx queue per PMD: %s", p->name, err.msg);
	else if (p->n_txq != before)
		VS_LOG(INFO, "port %s: %u tx queues now, for %u PMDs (was %u)", p->name, p->n_txq,
		       slots, before);
}

/* Every port: are there more PMDs than tx queues now? Where the device
 * can have more, it gets them first (grow_txqs); where it cannot, sharing
 * is turned on before a new PMD can send, and seen by every PMD before
 * that (a grace period). It is turned off again when PMDs have gone: with
 * a queue per PMD, PMD i's shared queue (i % n_txq) is already queue i, so
 * no PMD changes queue and the lock can go at any moment. */
static void
share_txqs(struct vs_switch *sw)
{
	unsigned int i, slots = vs_pmd_slots(sw);
	bool changed = false;

	for (i = 0; i < VS_MAX_PORTS; i++) {
		struct vs_port *p = sw->ports[i];

		if (p == NULL)
			continue;
		p->tx_pmds = (uint16_t)slots;
		if (!p->txq_shared && p->n_txq < slots)
			grow_txqs(sw, p, slots);
		if (p->txq_shared == (p->n_txq < slots))
			continue;
		p->txq_shared = !p->txq_shared;
		changed = true;
		if (p->txq_shared)
			VS_LOG(INFO,
			       "port %s: %u tx queue(s) for %u PMDs: now shared, under a lock "
			       "(re-add the port, or give it txq=%u, for one per PMD)",
			       p->name, p->n_txq, slots, slots);
		else
			VS_LOG(INFO, "port %s: a tx queue per PMD again, no lock", p->name);
	}
	if (changed)
		vs_switch_sync(sw);
}

int
vs_pmd_set_cpus(struct vs_switch *sw, const cpu_set_t *cpus, struct vs_err *err)
{
	bool started[VS_MAX_PMDS] = {false};
	unsigned int i, cpu;
	int ret;

	ret = vs_config_check_pmd_cpus(&sw->cfg, cpus, err);
	if (ret < 0)
		return ret;
	for (cpu = 0; cpu < VS_CPU_MAX; cpu++) {
		bool running = false;

		if (!CPU_ISSET(cpu, cpus))
			continue;
		for (i = 0; i < VS_MAX_PMDS; i++)
			running = running || (sw->pmds[i] != NULL && sw->pmds[i]->lcore == cpu);
		if (running)
			continue;
		ret = vs_pmd_start(sw, cpu, err);
		if (ret < 0)
			goto undo;
		for (i = 0; i < VS_MAX_PMDS; i++)
			if (sw->pmds[i] != NULL && sw->pmds[i]->lcore == cpu)
				started[i] = true;
	}
	share_txqs(sw);
	for (i = 0; i < VS_MAX_PMDS; i++)
		if (sw->pmds[i] != NULL && !CPU_ISSET(sw->pmds[i]->lcore, cpus))
			sw->pmds[i]->leaving = true;
	ret = vs_sched_publish(sw);
	if (ret < 0) {
		vs_err_set(err, ret, "out of memory placing rx queues");
		for (i = 0; i < VS_MAX_PMDS; i++)
			if (sw->pmds[i] != NULL)
				sw->pmds[i]->leaving = false;
		goto undo;
	}
	for (i = 0; i < VS_MAX_PMDS; i++)
		if (sw->pmds[i] != NULL && sw->pmds[i]->leaving)
			vs_pmd_stop(sw, (uint16_t)i);
	share_txqs(sw);
	sw->cfg.pmd_cpus = *cpus;
	return 0;
undo:
	for (i = 0; i < VS_MAX_PMDS; i++)
		if (started[i])
			vs_pmd_stop(sw, (uint16_t)i);
	return ret;
}
