/* SPDX-License-Identifier: BSD-3-Clause */
/* control/pmd.c: starting and stopping PMD threads. Each PMD runs on the
 * EAL lcore of its CPU (lcore id = CPU number, see config.c) with its state
 * allocated on that CPU's NUMA node. */
#include <errno.h>

#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "log.h"
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
	if (!rte_lcore_is_enabled(cpu) || cpu == rte_get_main_lcore())
		return vs_err_set(err, -EINVAL, "CPU %u cannot run a PMD (not an EAL worker lcore)",
				  cpu);
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
	VS_LOG(INFO, "PMD %u started on CPU %u (NUMA node %d)", idx, cpu, socket);
	return 0;
}

void
vs_pmd_stop(struct vs_switch *sw, uint16_t idx)
{
	struct vs_worker *w = sw->pmds[idx];

	if (w == NULL)
		return;
	w->stop = true;
	rte_eal_wait_lcore(w->lcore);
	sw->pmds[idx] = NULL;
	vs_worker_fini(w);
	rte_free(w->poll); /* the thread has exited: nobody reads it */
	VS_LOG(INFO, "PMD %u on CPU %u stopped", idx, w->lcore);
	rte_free(w);
}
