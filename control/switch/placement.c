/* SPDX-License-Identifier: BSD-3-Clause */
/* control/switch/placement.c: see placement.h. Greedy largest-first onto the least
 * loaded PMD: within 4/3 of the best possible maximum load (Graham's bound
 * for LPT scheduling), deterministic, and instant for the few hundred
 * queues a switch has. */
#include <stdlib.h>
#include <string.h>

#include "placement.h"

static int
pmd_on_cpu(const struct vs_place_pmd *pmds, unsigned int n, int cpu)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if ((int)pmds[i].cpu == cpu)
			return (int)i;
	return -1;
}

/* Queue order: largest load first; then by port and queue, so equal
 * loads (a fresh start: all zero) place the same way every time. */
static int
cmp_queue(const void *a, const void *b)
{
	const struct vs_place_rxq *x = *(const struct vs_place_rxq *const *)a;
	const struct vs_place_rxq *y = *(const struct vs_place_rxq *const *)b;
	int c;

	if (x->load != y->load)
		return x->load > y->load ? -1 : 1;
	c = strcmp(x->port, y->port);
	return c ? c : (int)x->qid - (int)y->qid;
}

static bool
better(const struct vs_place_pmd *a, const struct vs_place_pmd *b)
{
	if (a->load != b->load)
		return a->load < b->load;
	if (a->n_queues != b->n_queues)
		return a->n_queues < b->n_queues;
	return a->cpu < b->cpu;
}

/* The least loaded PMD that may take 'q': on its node if there is one. */
static int
pick(const struct vs_place_pmd *pmds, unsigned int n, const struct vs_place_rxq *q,
     bool all_isolated)
{
	int local = -1, any = -1;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (pmds[i].isolated && !all_isolated)
			continue;
		if (any < 0 || better(&pmds[i], &pmds[any]))
			any = (int)i;
		if (q->numa >= 0 && pmds[i].numa == q->numa &&
		    (local < 0 || better(&pmds[i], &pmds[local])))
			local = (int)i;
	}
	return local >= 0 ? local : any;
}

static void
take(struct vs_place_pmd *pmds, struct vs_place_rxq *q, int pmd)
{
	q->pmd = pmd;
	if (pmd < 0)
		return;
	pmds[pmd].load += q->load;
	pmds[pmd].n_queues++;
	q->cross_numa = q->numa >= 0 && pmds[pmd].numa != q->numa;
}

/* Pinned queues first: they decide which PMDs are isolated. */
static void
place_pinned(struct vs_place_pmd *pmds, unsigned int n_pmds, struct vs_place_rxq *qs,
	     unsigned int n_qs, bool isolate)
{
	unsigned int i;

	for (i = 0; i < n_qs; i++) {
		int p = qs[i].pin_cpu >= 0 ? pmd_on_cpu(pmds, n_pmds, qs[i].pin_cpu) : -1;

		qs[i].pin_lost = qs[i].pin_cpu >= 0 && p < 0;
		if (p >= 0) {
			pmds[p].isolated = isolate;
			take(pmds, &qs[i], p);
		}
	}
}

void
vs_place(struct vs_place_pmd *pmds, unsigned int n_pmds, struct vs_place_rxq *qs, unsigned int n_qs,
	 enum vs_place_mode mode, bool isolate)
{
	struct vs_place_rxq **order;
	bool all_isolated = true;
	unsigned int i, k = 0;

	for (i = 0; i < n_pmds; i++) {
		pmds[i].isolated = false;
		pmds[i].load = 0;
		pmds[i].n_queues = 0;
	}
	for (i = 0; i < n_qs; i++) {
		qs[i].cross_numa = qs[i].pin_lost = false;
		if (qs[i].pmd >= (int)n_pmds || mode == VS_PLACE_ALL || qs[i].pin_cpu >= 0)
			qs[i].pmd = -1;
	}
	place_pinned(pmds, n_pmds, qs, n_qs, isolate);
	for (i = 0; i < n_pmds; i++)
		all_isolated = all_isolated && pmds[i].isolated;
	/* Kept queues stay where they are, if that PMD may still take them. */
	for (i = 0; i < n_qs; i++) {
		int p = qs[i].pmd;

		if (qs[i].pin_cpu >= 0 && !qs[i].pin_lost)
			continue;
		qs[i].pmd = -1;
		if (p >= 0 && (!pmds[p].isolated || all_isolated))
			take(pmds, &qs[i], p);
	}
	order = malloc(sizeof(*order) * (n_qs ? n_qs : 1));
	if (order == NULL)
		return; /* the caller's table stays as it was: queues kept or none */
	for (i = 0; i < n_qs; i++)
		if (qs[i].pmd < 0 && !(qs[i].pin_cpu >= 0 && !qs[i].pin_lost))
			order[k++] = &qs[i];
	qsort(order, k, sizeof(*order), cmp_queue);
	for (i = 0; i < k; i++)
		take(pmds, order[i], pick(pmds, n_pmds, order[i], all_isolated));
	free(order);
}

double
vs_place_variance(const struct vs_place_pmd *pmds, unsigned int n_pmds)
{
	double mean = 0, var = 0;
	unsigned int i;

	if (n_pmds == 0)
		return 0;
	for (i = 0; i < n_pmds; i++)
		mean += (double)pmds[i].load;
	mean /= n_pmds;
	for (i = 0; i < n_pmds; i++)
		var += ((double)pmds[i].load - mean) * ((double)pmds[i].load - mean);
	return var / n_pmds;
}
