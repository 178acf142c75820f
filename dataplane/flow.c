/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/flow.c: the flow table stage.
 *
 * One snapshot of the bridge's classifier is read per burst. Keys are
 * extracted for the whole burst and looked up in bulk; then each run of
 * packets that hit the same rule is counted once and handled together
 * when the rule is a plain output, NORMAL or a drop (the cases that are
 * most traffic), packet by packet otherwise. Two shortcuts keep the
 * common tables cheap: a table that is only the default NORMAL rule hands
 * the burst straight to the learning bridge, and a table that matches on
 * in_port alone is looked up once per burst, without parsing packets.
 * Tables of several masks go through the PMD's exact-match cache first
 * (dataplane/emc.h). */
#include <rte_ether.h>
#include <rte_prefetch.h>

#include "actions.h"
#include "bridge.h"
#include "classifier.h"
#include "emc.h"
#include "flow.h"
#include "l2.h"
#include "worker.h"

static inline void
count(const struct vs_cls *c, const struct vs_worker *w, uint32_t slot, struct rte_mbuf **pkts,
      uint16_t n)
{
	struct vs_flow_ctr *ctr = c->ctr[w->idx];
	uint64_t bytes = 0;
	uint16_t i;

	if (unlikely(ctr == NULL))
		return;
	for (i = 0; i < n; i++)
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	ctr[slot].packets += n;
	ctr[slot].bytes += bytes;
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

/* A run of 'n' packets that hit the rule with actions 'a'. */
static void
run(struct vs_worker *w, struct vs_port *in, const struct vs_actions *a, struct rte_mbuf **pkts,
    uint16_t n, struct vs_flow_key *keys, struct vs_normal_batch *nb)
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
		for (i = 0; i < n; i++)
			vs_actions_execute(w, in, a, pkts[i], keys ? &keys[i] : NULL, nb);
	}
}

/* The rule of each key: from the exact-match cache, or the classifier.
 * With a single subtable the classifier is one hash probe already, and
 * the cache would only add its own. */
static void
classify(struct vs_worker *w, const struct vs_cls *c, const struct vs_flow_key *keys, uint16_t n,
	 uint32_t *slots)
{
	uint64_t mk[VS_BURST][VS_KEY_WORDS];
	struct vs_emc_entry *ent[VS_BURST];
	struct vs_flow_key miss[VS_BURST];
	uint32_t found[VS_BURST];
	uint16_t idx[VS_BURST], i, j, nm = 0;

	if (c->n_sub < 2) {
		vs_cls_lookup(c, keys, n, slots);
		return;
	}
	for (i = 0; i < n; i++) {
		ent[i] = vs_emc_entry(w->emc, vs_emc_key(c, &keys[i], mk[i]));
		rte_prefetch0(ent[i]);
	}
	for (i = 0; i < n; i++) {
		if (likely(vs_emc_hit(ent[i], c, mk[i]))) {
			slots[i] = ent[i]->slot;
			continue;
		}
		miss[nm] = keys[i];
		idx[nm++] = i;
	}
	if (nm == 0)
		return;
	vs_cls_lookup(c, miss, nm, found);
	for (j = 0; j < nm; j++) {
		struct vs_emc_entry *e = ent[idx[j]];

		slots[idx[j]] = found[j];
		memcpy(e->key, mk[idx[j]], sizeof(e->key));
		e->slot = found[j];
		e->gen = c->gen;
	}
}

void
vs_flow_input(struct vs_worker *w, struct vs_port *in, struct rte_mbuf **pkts, uint16_t n)
{
	const struct vs_cls *c = vs_rcu_deref((void *const *)&in->br->cls);
	struct vs_flow_key keys[VS_BURST], *kp = NULL;
	struct vs_normal_batch nb;
	uint32_t slots[VS_BURST];
	uint16_t i, j, k;

	if (c == NULL || c->normal_only) {
		if (c != NULL)
			count(c, w, 0, pkts, n);
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
	if (c->in_port_only) {
		struct vs_flow_key key = {.in_port = in->id};

		vs_cls_lookup(c, &key, 1, slots);
		for (i = 1; i < n; i++)
			slots[i] = slots[0];
	} else {
		kp = keys;
		vs_flowkey_extract(pkts, n, in->id, keys);
		classify(w, c, keys, n, slots);
	}
	nb.n = 0;
	for (i = 0; i < n; i = j) {
		uint32_t s = slots[i];

		for (j = i + 1; j < n && slots[j] == s; j++)
			;
		if (s == VS_CLS_MISS) {
			drop_run(w, in, &pkts[i], j - i, VS_DROP_NO_MATCH);
			continue;
		}
		count(c, w, s, &pkts[i], j - i);
		run(w, in, c->acts[s], &pkts[i], j - i, kp ? &kp[i] : NULL, &nb);
	}
	vs_normal_flush(w, in, &nb);
}
