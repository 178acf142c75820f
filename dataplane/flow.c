/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/flow.c: the flow table stage: table 0 of the bridge's pipeline.
 *
 * Table 0's view is read once per burst. Keys are extracted for the run
 * heads of the burst and looked up in bulk (through the PMD's exact-match
 * cache, dataplane/emc.h; a packet with its head's bytes wherever the
 * table looks takes the head's answer, dataplane/flowrun.c); the keys of
 * the others only when a rule's actions read them. Then the packets of
 * the burst are gathered per rule (a batch per rule, in the order each
 * rule was first hit, each keeping its packets' order) and each batch is
 * counted once and handled together: in bulk when the rule is a plain
 * output, NORMAL or a drop (the cases that are most traffic), with its
 * output targets resolved once otherwise, and through the pipeline walk
 * (pipeline_walk.c) when its rule goes to other tables, resubmits or
 * writes the action set. Two
 * shortcuts keep the common tables cheap: a table that is only the
 * default NORMAL rule hands the burst straight to the learning bridge,
 * and a table that matches on in_port alone is looked up once per burst,
 * without parsing packets. */
#include <rte_ether.h>
#include <rte_prefetch.h>

#include "actions.h"
#include "bridge.h"
#include "classifier.h"
#include "emc.h"
#include "flow.h"
#include "flowrun.h"
#include "pipeline.h"
#include "l2.h"
#include "worker.h"

/* Rule and table counters of a batch of 'n' packets that hit 'e' (or
 * nothing) in table 'table'. */
static inline void
count(struct vs_worker *w, struct vs_port *in, uint8_t table, const struct vs_cls_entry *e,
      struct rte_mbuf **pkts, uint16_t n)
{
	struct vs_flow_ctrs *c = &in->br->ctrs;

	vs_table_count(c, w->idx, table, n, e != NULL ? n : 0);
	if (e != NULL)
		vs_flow_count(c, w->idx, e->id, n, vs_pkts_bytes(pkts, n));
}

static void
drop_run(struct vs_worker *w, struct vs_port *in, struct rte_mbuf **pkts, uint16_t n,
	 enum vs_drop why)
{
	uint16_t i;

	vs_worker_count_drops(w, in, why, n);
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(pkts[i]);
}

/* A batch of 'n' packets that hit the rule with actions 'a'; the key of
 * pkts[i] is keys[idx ? idx[i] : i], or 'keys' is NULL. */
static void
run(struct vs_worker *w, struct vs_port *in, const struct vs_actions *a, struct rte_mbuf **pkts,
    uint16_t n, struct vs_flow_key *keys, const uint16_t *idx, struct vs_normal_batch *nb)
{
	enum vs_drop why;
	struct vs_port *p;
	uint16_t i;

	switch (a->kind) {
	case VS_ACTS_DROP:
		drop_run(w, in, pkts, n, VS_DROP_RULE_DROP);
		return;
	case VS_ACTS_OUTPUT:
		p = vs_output_port(w->dp, in, a->out_port, &why);
		if (likely(p != NULL))
			vs_worker_push_bulk(w, p, pkts, n);
		else
			drop_run(w, in, pkts, n, why);
		return;
	case VS_ACTS_NORMAL:
		for (i = 0; i < n; i++)
			vs_normal_add(w, in, nb, pkts[i]);
		return;
	default:
		vs_actions_execute_run(w, in, a, pkts, keys, idx, n, nb);
	}
}

/* The burst's packets gathered per rule: batch b is out[start[b]] to
 * out[start[b + 1] - 1], packets that all hit slots[first of them] (a
 * rule, or NULL: none), in
 * the order they arrived. Batches come in the order their rule was first
 * hit. Returns the number of batches (at most 'n'), or 0 when the burst
 * is already one run per rule (the common case: nothing to move).
 *
 * This reorders packets of different rules within a burst (a, b, a goes
 * out as a, a, b), never packets of one rule, as OVS's per-flow
 * dp_packet_batch does: packets that hit different rules belong to
 * different flows (a rule's match is a function of the headers a flow
 * shares), and ordering is only promised within a flow. */
static uint16_t
gather(const struct vs_cls_entry *const *slots, uint16_t n, uint16_t *out, uint16_t *start)
{
	const struct vs_cls_entry *gslot[VS_BURST];
	uint16_t g[VS_BURST], cnt[VS_BURST + 1], i, b, nb = 0, runs = 0;
	uint8_t seen[64] = {0}; /* group + 1 by slot hash; 0: none, or look further */

	for (i = 0; i < n; i++) {
		uint32_t h = ((uint32_t)((uintptr_t)slots[i] >> 6) * 0x9e3779b1u) >> 26;

		if (i > 0 && slots[i] == slots[i - 1]) {
			g[i] = g[i - 1];
			cnt[g[i]]++;
			continue;
		}
		runs++;
		b = seen[h] ? (uint16_t)(seen[h] - 1) : nb;
		if (b == nb || gslot[b] != slots[i])
			for (b = 0; b < nb && gslot[b] != slots[i]; b++)
				;
		if (b == nb) {
			gslot[nb] = slots[i];
			cnt[nb++] = 0;
			seen[h] = (uint8_t)nb;
		}
		g[i] = b;
		cnt[b]++;
	}
	if (runs == nb)
		return 0; /* already one run per rule: nothing moves */
	start[0] = 0;
	for (b = 0; b < nb; b++)
		start[b + 1] = (uint16_t)(start[b] + cnt[b]);
	for (b = 0; b < nb; b++)
		cnt[b] = start[b];
	for (i = 0; i < n; i++)
		out[cnt[g[i]]++] = i;
	return nb;
}

/* One batch: 'n' packets that hit 'e' in table 0 (NULL: nothing); 'keys'
 * NULL when the burst's keys were not extracted: the actions that read a
 * key (rewrites, groups, the pipeline walk) extract it then, as they do
 * for the in_port-only shortcut, and output, NORMAL and drop need none. */
static inline void
batch_input(struct vs_worker *w, struct vs_port *in, const struct vs_pipeline *p,
	    const struct vs_cls_entry *e, struct rte_mbuf **pkts, uint16_t n,
	    struct vs_flow_key *keys, const uint16_t *idx, struct vs_normal_batch *nb)
{
	const struct vs_actions *a;

	count(w, in, 0, e, pkts, n);
	if (e == NULL) {
		drop_run(w, in, pkts, n, VS_DROP_NO_MATCH);
		return;
	}
	a = vs_rcu_deref((void *const *)&e->acts);
	if (unlikely(a->kind == VS_ACTS_PIPELINE))
		vs_pipeline_walk(w, in, p, 0, a, pkts, n, keys, idx, nb);
	else
		run(w, in, a, pkts, n, keys, idx, nb);
}

/* A burst of more than one rule: each run where it lies when the burst is
 * in runs already, else one batch per rule ('keys' NULL: not extracted,
 * batch_input). Apart from vs_flow_input, so that the one-rule burst (most
 * traffic) keeps the code and stack frame it had before bursts were
 * gathered: with gathering inline, interleaved A/Bs at one flow read
 * 0.78-0.93 of the old rate, with it here 1.01. */
static __rte_noinline void
input_mixed(struct vs_worker *w, struct vs_port *in, const struct vs_pipeline *p,
	    struct rte_mbuf **pkts, uint16_t n, struct vs_flow_key *keys,
	    const struct vs_cls_entry *const *slots, struct vs_normal_batch *nb)
{
	uint16_t order[VS_BURST], start[VS_BURST + 1], i, k, b, n_batch;
	struct rte_mbuf *batch[VS_BURST];

	n_batch = gather(slots, n, order, start);
	if (n_batch == 0) { /* in runs already: each run is its rule's batch */
		for (i = 0; i < n; i = k) {
			for (k = (uint16_t)(i + 1); k < n && slots[k] == slots[i]; k++)
				;
			batch_input(w, in, p, slots[i], &pkts[i], (uint16_t)(k - i),
				    keys != NULL ? &keys[i] : NULL, NULL, nb);
		}
		return;
	}
	for (i = 0; i < n; i++)
		batch[i] = pkts[order[i]];
	for (b = 0; b < n_batch; b++) {
		uint16_t at = start[b], len = (uint16_t)(start[b + 1] - at);

		batch_input(w, in, p, slots[order[at]], &batch[at], len, keys, &order[at], nb);
	}
}

void
vs_flow_input(struct vs_worker *w, struct vs_port *in, struct rte_mbuf **pkts, uint16_t n)
{
	const struct vs_pipeline *p = vs_rcu_deref((void *const *)&in->br->pipe);
	const struct vs_cls_entry *slots[VS_BURST], *ne;
	struct vs_flow_key keys[VS_BURST], *kp = keys;
	struct vs_normal_batch nb;
	const struct vs_cls *c;
	uint16_t i, k;

	if (p == NULL) { /* no flow table yet: the learning bridge */
		vs_l2_input(w, in, pkts, n);
		return;
	}
	c = vs_rcu_deref((void *const *)&p->table[0]);
	ne = c != NULL ? vs_cls_normal_only(c) : NULL;
	if (ne != NULL) {
		count(w, in, 0, ne, pkts, n);
		vs_l2_input(w, in, pkts, n);
		return;
	}
	for (i = 0, k = 0; i < n; i++) {
		if (unlikely(rte_pktmbuf_data_len(pkts[i]) < RTE_ETHER_HDR_LEN))
			vs_worker_drop(w, in, pkts[i], VS_DROP_RX_INVALID);
		else
			pkts[k++] = pkts[i];
	}
	n = k;
	if (n == 0)
		return;
	if (unlikely(c == NULL)) { /* an empty table 0: every packet misses */
		count(w, in, 0, NULL, pkts, n);
		drop_run(w, in, pkts, n, VS_DROP_NO_MATCH);
		return;
	}
	nb.n = 0;
	if (vs_cls_in_port_only(c)) {
		/* One rule for the whole burst, and no packet parsed. */
		vs_flowkey_init(&keys[0], in->id);
		vs_cls_lookup(c, &keys[0], 1, slots);
		batch_input(w, in, p, slots[0], pkts, n, NULL, NULL, &nb);
		vs_normal_flush(w, in, &nb);
		return;
	}
	if (!vs_flowrun_lookup(w->emc, c, pkts, n, in->id, keys, slots))
		kp = NULL; /* only the run heads' were: extracted where needed */
	/* Most bursts are one flow: one rule for all of it, checked by a
	 * tight loop of compares. Only the others are gathered. */
	for (i = 1; i < n && slots[i] == slots[0]; i++)
		;
	if (i == n)
		batch_input(w, in, p, slots[0], pkts, n, kp, NULL, &nb);
	else
		input_mixed(w, in, p, pkts, n, kp, slots, &nb);
	vs_normal_flush(w, in, &nb);
}
