/* SPDX-License-Identifier: BSD-3-Clause */
/* control/sched.c: which PMD polls which rx queue. Only enabled queues
 * are polled (a guest enables its queues when its driver starts). A queue
 * keeps its PMD while that PMD exists, so adding a port never moves
 * traffic that is already flowing. A new queue goes to the PMD polling the fewest queues,
 * preferring PMDs on the port's NUMA node. Each PMD's list is rebuilt and
 * published under RCU; the old ones are freed after a grace period. */
#include <errno.h>
#include <rte_malloc.h>

#include "log.h"
#include "switch.h"

static int
pick_pmd(const struct vs_switch *sw, const unsigned int *load, int socket)
{
	int best = -1, best_local = -1;
	unsigned int i;

	for (i = 0; i < VS_MAX_PMDS; i++) {
		const struct vs_worker *w = sw->pmds[i];

		if (w == NULL)
			continue;
		if (best < 0 || load[i] < load[best])
			best = (int)i;
		if (socket >= 0 && w->socket == socket &&
		    (best_local < 0 || load[i] < load[best_local]))
			best_local = (int)i;
	}
	return best_local >= 0 ? best_local : best;
}

static void
assign(struct vs_switch *sw, unsigned int *load)
{
	unsigned int i, q;

	for (i = 0; i < VS_MAX_PORTS; i++) {
		struct vs_port *p = sw->ports[i];
		uint64_t on = p != NULL ? p->rxq_enabled : 0;

		for (q = 0; p != NULL && q < p->n_rxq; q++) {
			int16_t pmd = p->rxq_pmd[q];

			if (pmd >= 0 && sw->pmds[pmd] != NULL && (on >> q & 1))
				load[pmd]++;
			else
				p->rxq_pmd[q] = -1;
		}
	}
	for (i = 0; i < VS_MAX_PORTS; i++) {
		struct vs_port *p = sw->ports[i];
		uint64_t on = p != NULL ? p->rxq_enabled : 0;

		for (q = 0; p != NULL && q < p->n_rxq; q++) {
			int pmd;

			if (p->rxq_pmd[q] >= 0 || !(on >> q & 1))
				continue;
			pmd = pick_pmd(sw, load, p->socket);
			if (pmd < 0)
				continue; /* no PMD at all: nothing polls it */
			p->rxq_pmd[q] = (int16_t)pmd;
			load[pmd]++;
			if (p->socket >= 0 && sw->pmds[pmd]->socket != p->socket)
				VS_LOG(WARNING,
				       "rx queue %u of port %s (NUMA node %d) is polled "
				       "from NUMA node %d: no PMD on its node",
				       q, p->name, p->socket, sw->pmds[pmd]->socket);
		}
	}
}

static struct vs_pollset *
build(const struct vs_switch *sw, unsigned int pmd, unsigned int n)
{
	struct vs_pollset *ps;
	unsigned int i, q;

	ps = rte_zmalloc_socket("vs_pollset", sizeof(*ps) + n * sizeof(ps->q[0]),
				RTE_CACHE_LINE_SIZE, sw->pmds[pmd]->socket);
	if (ps == NULL)
		return NULL;
	for (i = 0; i < VS_MAX_PORTS; i++) {
		struct vs_port *p = sw->ports[i];

		for (q = 0; p != NULL && q < p->n_rxq; q++)
			if (p->rxq_pmd[q] == (int16_t)pmd)
				ps->q[ps->n++] = (struct vs_rxq_ref){.port = p, .qid = (uint16_t)q};
	}
	return ps;
}

int
vs_sched_publish(struct vs_switch *sw)
{
	struct vs_pollset *fresh[VS_MAX_PMDS] = {NULL}, *old[VS_MAX_PMDS] = {NULL};
	unsigned int load[VS_MAX_PMDS] = {0};
	unsigned int i;

	assign(sw, load);
	for (i = 0; i < VS_MAX_PMDS; i++) {
		if (sw->pmds[i] == NULL)
			continue;
		fresh[i] = build(sw, i, load[i]);
		if (fresh[i] == NULL)
			goto err_nomem;
	}
	for (i = 0; i < VS_MAX_PMDS; i++) {
		if (sw->pmds[i] == NULL)
			continue;
		old[i] = sw->pmds[i]->poll;
		vs_rcu_assign((void **)&sw->pmds[i]->poll, fresh[i]);
	}
	vs_switch_sync(sw);
	for (i = 0; i < VS_MAX_PMDS; i++)
		rte_free(old[i]);
	return 0;

err_nomem:
	for (i = 0; i < VS_MAX_PMDS; i++)
		rte_free(fresh[i]);
	return -ENOMEM;
}
