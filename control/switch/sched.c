/* SPDX-License-Identifier: BSD-3-Clause */
/* control/switch/sched.c: which PMD polls which rx queue (the rules are in
 * placement.h), applied to the running switch, and moving queues between
 * PMDs safely.
 *
 * Only enabled queues are polled (a guest enables its queues when its
 * driver starts). A move never has two PMDs polling one queue: first every
 * PMD is given only the queues it keeps, and after a grace period (the
 * old owner has stopped polling and flushed) the new owners get theirs.
 * Packets wait in the device queue for those microseconds: none is lost,
 * duplicated or reordered. The automatic rebalancer runs from the
 * once-a-second tick. */
#include <errno.h>
#include <stdlib.h>

#include <rte_malloc.h>

#include "log.h"
#include "perf.h"
#include "placement.h"
#include "switch.h"

struct topo {
	struct vs_place_pmd pmds[VS_MAX_PMDS];
	uint16_t slot[VS_MAX_PMDS]; /* PMD index of each entry of pmds */
	int entry[VS_MAX_PMDS];     /* entry of each PMD index, -1: not placed on */
	unsigned int n_pmds;
	struct vs_place_rxq *qs;
	struct vs_port **qport;
	unsigned int n_qs;
};

static void
topo_free(struct topo *t)
{
	free(t->qs);
	free(t->qport);
}

/* The live switch as placement input: PMDs not being removed, enabled
 * queues with their measured loads and pins. */
static int
topo_build(const struct vs_switch *sw, struct topo *t)
{
	unsigned int i, q, n = 0;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < VS_MAX_PMDS; i++) {
		const struct vs_worker *w = sw->pmds[i];

		t->entry[i] = -1;
		if (w == NULL || w->leaving)
			continue;
		t->entry[i] = (int)t->n_pmds;
		t->slot[t->n_pmds] = (uint16_t)i;
		t->pmds[t->n_pmds++] = (struct vs_place_pmd){.cpu = w->lcore, .numa = w->socket};
	}
	for (i = 0; i < VS_MAX_PORTS; i++)
		if (sw->ports[i] != NULL)
			n += sw->ports[i]->n_rxq;
	t->qs = calloc(n + 1, sizeof(*t->qs));
	t->qport = calloc(n + 1, sizeof(*t->qport));
	if (t->qs == NULL || t->qport == NULL) {
		topo_free(t);
		return -ENOMEM;
	}
	for (i = 0; i < VS_MAX_PORTS; i++) {
		struct vs_port *p = sw->ports[i];

		for (q = 0; p != NULL && q < p->n_rxq && q < VS_MAX_QUEUES; q++) {
			int16_t cur = p->rxq_pmd[q];

			if (!(vs_port_rxq_enabled(p) >> q & 1))
				continue;
			t->qport[t->n_qs] = p;
			t->qs[t->n_qs++] = (struct vs_place_rxq){
				.port = p->name,
				.qid = (uint16_t)q,
				.numa = vs_port_socket(p),
				.load = vs_perf_rxq_load(sw, p, (uint16_t)q, VS_PERF_SAMPLES),
				.pin_cpu = p->conf.rxq_pin[q],
				.pmd = cur >= 0 && cur < VS_MAX_PMDS ? t->entry[cur] : -1,
			};
		}
	}
	return 0;
}

/* Write the placement back to the ports; returns the queues that moved. */
static unsigned int
topo_apply(struct topo *t)
{
	unsigned int i, q, moved = 0;

	for (i = 0; i < t->n_qs; i++) {
		struct vs_port *p = t->qport[i];
		const struct vs_place_rxq *r = &t->qs[i];
		int16_t pmd = r->pmd >= 0 ? (int16_t)t->slot[r->pmd] : -1;

		q = r->qid;
		if (pmd == p->rxq_pmd[q])
			continue;
		moved += p->rxq_pmd[q] >= 0;
		p->rxq_pmd[q] = pmd;
		if (r->cross_numa)
			VS_LOG(WARNING,
			       "rx queue %u of port %s (NUMA node %d) is polled from NUMA node %d: "
			       "no PMD on its node (add one with vswitchctl set pmd-cpus=...)",
			       q, p->name, vs_port_socket(p), t->pmds[r->pmd].numa);
		if (r->pin_lost)
			VS_LOG(WARNING,
			       "rx queue %u of port %s is pinned to CPU %d, which runs no PMD; "
			       "placed like the others",
			       q, p->name, p->conf.rxq_pin[q]);
	}
	return moved;
}

/* The queues 'pmd' polls now, that it keeps ('keep') or all it should. */
static struct vs_pollset *
build(const struct vs_switch *sw, unsigned int pmd, bool keep)
{
	const struct vs_pollset *old = sw->pmds[pmd]->poll;
	struct vs_pollset *ps;
	unsigned int i, q, n = 0;

	for (i = 0; i < VS_MAX_PORTS; i++)
		for (q = 0; sw->ports[i] != NULL && q < sw->ports[i]->n_rxq; q++)
			n += sw->ports[i]->rxq_pmd[q] == (int16_t)pmd;
	ps = rte_zmalloc_socket("vs_pollset", sizeof(*ps) + n * sizeof(ps->q[0]),
				RTE_CACHE_LINE_SIZE, sw->pmds[pmd]->socket);
	if (ps == NULL)
		return NULL;
	if (keep) {
		/* Of what it polls now: queues of live ports still its own. */
		for (i = 0; old != NULL && i < old->n; i++) {
			const struct vs_rxq_ref *r = &old->q[i];

			if (sw->ports[r->port->id] == r->port &&
			    r->port->rxq_pmd[r->qid] == (int16_t)pmd)
				ps->q[ps->n++] = *r;
		}
		return ps;
	}
	for (i = 0; i < VS_MAX_PORTS; i++) {
		struct vs_port *p = sw->ports[i];

		for (q = 0; p != NULL && q < p->n_rxq; q++)
			if (p->rxq_pmd[q] == (int16_t)pmd)
				ps->q[ps->n++] = (struct vs_rxq_ref){.port = p, .qid = (uint16_t)q};
	}
	return ps;
}

/* Publish a pollset per PMD ('keep': the transitional ones); wait for
 * the PMDs; free what they were polling before. */
static int
swap_pollsets(struct vs_switch *sw, bool keep)
{
	struct vs_pollset *fresh[VS_MAX_PMDS] = {NULL}, *old[VS_MAX_PMDS] = {NULL};
	unsigned int i;

	for (i = 0; i < VS_MAX_PMDS; i++) {
		if (sw->pmds[i] == NULL)
			continue;
		fresh[i] = build(sw, i, keep);
		if (fresh[i] == NULL) {
			while (i-- > 0)
				rte_free(fresh[i]);
			return -ENOMEM;
		}
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
}

/* Does some PMD poll a queue it should no longer poll? */
static bool
moving(const struct vs_switch *sw)
{
	unsigned int i, j;

	for (i = 0; i < VS_MAX_PMDS; i++) {
		const struct vs_pollset *ps = sw->pmds[i] ? sw->pmds[i]->poll : NULL;

		for (j = 0; ps != NULL && j < ps->n; j++)
			if (sw->ports[ps->q[j].port->id] == ps->q[j].port &&
			    ps->q[j].port->rxq_pmd[ps->q[j].qid] != (int16_t)i)
				return true;
	}
	return false;
}

static int
publish(struct vs_switch *sw)
{
	int ret = 0;

	if (moving(sw))
		ret = swap_pollsets(sw, true); /* old owners let go first */
	return ret < 0 ? ret : swap_pollsets(sw, false);
}

/* A disabled queue has no PMD (the guest may enable it again later). */
static void
forget_disabled(struct vs_switch *sw)
{
	unsigned int i, q;

	for (i = 0; i < VS_MAX_PORTS; i++)
		for (q = 0; sw->ports[i] != NULL && q < sw->ports[i]->n_rxq; q++)
			if (!(vs_port_rxq_enabled(sw->ports[i]) >> q & 1))
				sw->ports[i]->rxq_pmd[q] = -1;
}

/* Place queues ('mode') and, if 'apply', make it so. With 'out': what it
 * does, and it applies only if it moves a queue and makes the loads at
 * least 'min_pct' percent less uneven (min_pct < 0: whatever it does). */
static int
place(struct vs_switch *sw, enum vs_place_mode mode, bool apply, double min_pct,
      struct vs_rebalance *out)
{
	struct topo t;
	unsigned int i;
	int ret = topo_build(sw, &t);

	if (ret < 0)
		return ret;
	if (out != NULL) {
		struct vs_place_rxq *keep = malloc(sizeof(*keep) * (t.n_qs + 1));

		if (keep == NULL) {
			topo_free(&t);
			return -ENOMEM;
		}
		memcpy(keep, t.qs, sizeof(*keep) * t.n_qs);
		vs_place(t.pmds, t.n_pmds, keep, t.n_qs, VS_PLACE_KEEP, sw->cfg.rxq_isolate);
		out->variance_before = vs_place_variance(t.pmds, t.n_pmds);
		free(keep);
	}
	vs_place(t.pmds, t.n_pmds, t.qs, t.n_qs, mode, sw->cfg.rxq_isolate);
	if (out != NULL) {
		out->variance_after = vs_place_variance(t.pmds, t.n_pmds);
		out->improvement_pct =
			out->variance_before > 0
				? 100 * (out->variance_before - out->variance_after) /
					  out->variance_before
				: 0;
		out->moved = 0;
		for (i = 0; i < t.n_qs; i++)
			out->moved += t.qs[i].pmd >= 0 && t.qport[i]->rxq_pmd[t.qs[i].qid] >= 0 &&
				      t.slot[t.qs[i].pmd] != t.qport[i]->rxq_pmd[t.qs[i].qid];
		if (min_pct >= 0 && (out->moved == 0 || out->improvement_pct < min_pct))
			apply = false;
		out->applied = apply;
		out->when = vs_switch_now(sw);
	}
	if (apply) {
		forget_disabled(sw);
		topo_apply(&t);
	}
	topo_free(&t);
	return apply ? publish(sw) : 0;
}

int
vs_sched_publish(struct vs_switch *sw)
{
	return place(sw, VS_PLACE_KEEP, true, -1, NULL);
}

int
vs_sched_rebalance(struct vs_switch *sw, bool apply, double min_pct, struct vs_rebalance *out)
{
	int ret = place(sw, VS_PLACE_ALL, apply, min_pct, out);

	if (ret == 0 && out->applied) {
		sw->lb_last = *out;
		sw->lb_count++;
	}
	return ret;
}

/* The busiest PMD's load over the last 'samples' seconds, in percent. */
static double
busiest(const struct vs_switch *sw, unsigned int samples, unsigned int *n_pmds)
{
	double max = 0;
	unsigned int i;

	*n_pmds = 0;
	for (i = 0; i < VS_MAX_PMDS; i++) {
		if (sw->pmds[i] == NULL || sw->pmds[i]->leaving)
			continue;
		(*n_pmds)++;
		max = RTE_MAX(max, vs_perf_pmd_load_pct(sw, (uint16_t)i, samples));
	}
	return max;
}

void
vs_sched_tick(struct vs_switch *sw)
{
	const struct vs_config *c = &sw->cfg;
	unsigned int n, samples = RTE_MIN(c->auto_lb_interval, (uint32_t)VS_PERF_SAMPLES);
	uint32_t now = vs_switch_now(sw);
	struct vs_rebalance r;

	if (!c->auto_lb || busiest(sw, samples, &n) < c->auto_lb_load || n < 2) {
		sw->lb_over_since = 0;
		return;
	}
	if (sw->lb_over_since == 0)
		sw->lb_over_since = now;
	if (now - sw->lb_over_since < c->auto_lb_interval ||
	    (sw->lb_count > 0 && now - sw->lb_last.when < c->auto_lb_interval))
		return;
	/* One placement decides and applies: no dry run first. */
	if (vs_sched_rebalance(sw, true, c->auto_lb_improvement, &r) < 0) {
		VS_LOG(ERR, "automatic rebalance: out of memory");
		return;
	}
	if (!r.applied)
		return;
	VS_LOG(INFO,
	       "automatic rebalance: busiest PMD over %u%% for %u s; %u queue(s) moved, load "
	       "variance %.3g -> %.3g (%.0f%% better)",
	       c->auto_lb_load, now - sw->lb_over_since, r.moved, r.variance_before,
	       r.variance_after, r.improvement_pct);
	sw->lb_over_since = 0;
}
