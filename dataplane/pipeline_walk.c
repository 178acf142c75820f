/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/pipeline_walk.c: packets through the tables after the first.
 *
 * flow.c hands over a batch that hit a rule with instructions (goto_table,
 * write/clear actions, write_metadata) or resubmits. Each packet runs its
 * rule's list (apply-actions: in order, an output sends the packet as it is
 * then, as a copy when the packet goes on); goto_table, always last, parks
 * it for that table. Tables only go up, so the walk takes the lowest table
 * any packet waits for, looks all of them up in bulk (a sub-burst, through
 * the EMC), runs what they hit, and repeats: at most one lookup per table.
 * A miss drops (OpenFlow 1.3's default table-miss). Resubmit (OVS) is a
 * nested lookup of one packet as it is now, possibly with another in_port,
 * whose rule runs before the rest of the list; nesting past 64 drops, as
 * OVS does. When a packet's pipeline ends (no goto), its action set runs
 * in the spec's order: pop vlan, push vlan, dec ttl, set fields, group,
 * output (a group wins over an output).
 *
 * Keys are updated in place by every rewrite (actions.c keeps them right),
 * so the next table sees the headers as they are, with in_port and
 * metadata kept: cheaper than extracting again. */
#include <rte_mbuf.h>

#include "actions.h"
#include "bridge.h"
#include "emc.h"
#include "flow.h"
#include "flowkey.h"
#include "worker.h"

#define WALK_NONE 0xffff /* no table to go to */
#define MAX_DEPTH 64     /* resubmits nested, as OVS */
#define N_TYPES   (VS_ACT_SET_TP_DST + 1)

/* The action set of a packet: at most one action of each type, all the
 * outputs in one slot (OpenFlow keeps one output). */
struct aset {
	uint64_t mask; /* by slot */
	const struct vs_action *a[N_TYPES];
};

struct walk {
	struct vs_worker *w;
	struct vs_port *in;
	const struct vs_pipeline *p;
	struct vs_normal_batch *nb;
	struct rte_mbuf *m[VS_BURST]; /* NULL: gone (sent or dropped) */
	uint16_t next[VS_BURST];      /* table it waits for, or WALK_NONE */
	bool sent[VS_BURST];          /* a copy was sent: ending without output is no drop */
	struct vs_flow_key k[VS_BURST];
	struct aset set[VS_BURST];
};

static bool
is_output(uint8_t t)
{
	return t <= VS_ACT_GROUP && t != VS_ACT_DROP;
}

static unsigned int
slot_of(uint8_t t)
{
	return is_output(t) && t != VS_ACT_GROUP ? VS_ACT_OUTPUT : t;
}

static void
drop(struct walk *wk, uint16_t i, enum vs_drop why)
{
	vs_worker_drop(wk->w, wk->in, wk->m[i], why);
	wk->m[i] = NULL;
}

/* Output 'a' of packet i: a copy when the packet goes on, else itself. */
static void
output(struct walk *wk, uint16_t i, const struct vs_action *a, bool last)
{
	struct rte_mbuf *m = wk->m[i];

	if (!last) {
		m = wk->w->pool ? rte_pktmbuf_copy(m, wk->w->pool, 0, UINT32_MAX) : NULL;
		if (unlikely(m == NULL)) {
			vs_worker_count_drops(wk->w, wk->in, VS_DROP_NO_MBUF, 1);
			return;
		}
		wk->sent[i] = true;
	} else {
		wk->m[i] = NULL;
	}
	vs_act_output(wk->w, wk->in, a, m, &wk->k[i], wk->nb);
}

static const struct vs_cls_entry *
lookup_one(struct walk *wk, uint16_t table, const struct vs_flow_key *k)
{
	const struct vs_cls *c =
		table < VS_TABLES ? vs_rcu_deref((void *const *)&wk->p->table[table]) : NULL;
	const struct vs_cls_entry *e = NULL;

	if (c != NULL)
		vs_emc_lookup(wk->w->emc, c, k, 1, &e);
	vs_table_count(&wk->in->br->ctrs, wk->w->idx, (uint8_t)table, 1, e != NULL);
	return e;
}

static void
count_rule(struct walk *wk, uint16_t i, const struct vs_cls_entry *e)
{
	vs_flow_count(&wk->in->br->ctrs, wk->w->idx, e->id, 1, rte_pktmbuf_pkt_len(wk->m[i]));
}

static uint16_t exec(struct walk *wk, uint16_t i, const struct vs_actions *acts,
		     unsigned int depth);

/* Look packet i up in 'table' (its in_port 'port' for the lookup, unless
 * VS_PORT_NONE) and run what it hits, one level deeper; a goto there goes
 * on from that table, deeper still. A miss does nothing, as in OVS. */
static void
resubmit(struct walk *wk, uint16_t i, uint16_t table, uint16_t port, unsigned int depth)
{
	struct vs_flow_key *k = &wk->k[i];
	const struct vs_cls_entry *e;
	uint16_t saved = k->in_port;

	for (; table != WALK_NONE && wk->m[i] != NULL; depth++) {
		if (depth >= MAX_DEPTH) {
			drop(wk, i, VS_DROP_RESUBMIT_DEPTH);
			return;
		}
		if (port != VS_PORT_NONE)
			k->in_port = port;
		e = lookup_one(wk, table, k);
		k->in_port = saved;
		port = VS_PORT_NONE;
		if (e == NULL)
			return;
		count_rule(wk, i, e);
		table = exec(wk, i, vs_rcu_deref((void *const *)&e->acts), depth + 1);
	}
}

/* Run 'acts' on packet i: the table to go to next, or WALK_NONE. At depth
 * 0 (the pipeline itself, not a resubmit) an output that is the list's
 * last thing, with an empty action set, sends the packet itself. */
static uint16_t
exec(struct walk *wk, uint16_t i, const struct vs_actions *acts, unsigned int depth)
{
	struct vs_flow_key *k = &wk->k[i];
	struct aset *set = &wk->set[i];
	uint16_t j;

	for (j = 0; j < acts->n && wk->m[i] != NULL; j++) {
		const struct vs_action *a = &acts->a[j];
		enum vs_drop why;

		if (a->flags & VS_AF_WRITE) {
			if (a->type < N_TYPES) {
				set->a[slot_of(a->type)] = a;
				set->mask |= 1ull << slot_of(a->type);
			}
			continue;
		}
		switch (a->type) {
		case VS_ACT_GOTO_TABLE:
			return a->u8;
		case VS_ACT_CLEAR_ACTIONS:
			set->mask = 0;
			continue;
		case VS_ACT_WRITE_METADATA:
			k->metadata = (k->metadata & ~a->mask64) | (a->u64 & a->mask64);
			continue;
		case VS_ACT_RESUBMIT:
			resubmit(wk, i, a->u8, a->u16, depth);
			continue;
		}
		if (vs_act_modifies(a->type)) {
			why = vs_act_modify(wk->m[i], k, a);
			if (unlikely(why != VS_DROP_MAX)) {
				if (why == VS_DROP_TTL_EXCEEDED)
					vs_act_invalid_ttl(wk->w, wk->in, wk->m[i], a, k);
				drop(wk, i, why);
			}
			continue;
		}
		output(wk, i, a, depth == 0 && j + 1 == acts->n && set->mask == 0);
	}
	return WALK_NONE;
}

/* The end of packet i's pipeline: its action set, in the spec's order. */
static void
finish(struct walk *wk, uint16_t i)
{
	static const uint8_t order[] = {
		VS_ACT_STRIP_VLAN,   VS_ACT_PUSH_VLAN,    VS_ACT_DEC_TTL,    VS_ACT_SET_VLAN_VID,
		VS_ACT_SET_VLAN_PCP, VS_ACT_SET_DL_SRC,   VS_ACT_SET_DL_DST, VS_ACT_SET_NW_SRC,
		VS_ACT_SET_NW_DST,   VS_ACT_SET_NW_TOS,   VS_ACT_SET_NW_ECN, VS_ACT_SET_NW_TTL,
		VS_ACT_SET_IPV6_SRC, VS_ACT_SET_IPV6_DST, VS_ACT_SET_TP_SRC, VS_ACT_SET_TP_DST,
	};
	struct aset *set = &wk->set[i];
	enum vs_drop why;
	unsigned int j;

	if (wk->m[i] == NULL)
		return;
	for (j = 0; j < RTE_DIM(order) && set->mask != 0; j++) {
		if (!(set->mask >> order[j] & 1))
			continue;
		why = vs_act_modify(wk->m[i], &wk->k[i], set->a[order[j]]);
		if (unlikely(why != VS_DROP_MAX)) {
			if (why == VS_DROP_TTL_EXCEEDED)
				vs_act_invalid_ttl(wk->w, wk->in, wk->m[i], set->a[order[j]],
						   &wk->k[i]);
			drop(wk, i, why);
			return;
		}
	}
	if (set->mask >> VS_ACT_GROUP & 1)
		output(wk, i, set->a[VS_ACT_GROUP], true);
	else if (set->mask >> VS_ACT_OUTPUT & 1)
		output(wk, i, set->a[VS_ACT_OUTPUT], true);
	else if (wk->sent[i]) { /* what was sent is all it does */
		rte_pktmbuf_free(wk->m[i]);
		wk->m[i] = NULL;
	} else {
		drop(wk, i, VS_DROP_RULE_DROP);
	}
}

/* Every packet waiting for the lowest table any waits for, looked up in
 * bulk and run. False when none waits. */
static bool
step(struct walk *wk, uint16_t n)
{
	const struct vs_cls_entry *hit[VS_BURST];
	struct vs_flow_key keys[VS_BURST];
	uint16_t t = WALK_NONE, idx[VS_BURST], i, m = 0, matched = 0;
	const struct vs_cls *c;

	for (i = 0; i < n; i++)
		if (wk->m[i] != NULL && wk->next[i] < t)
			t = wk->next[i];
	if (t == WALK_NONE)
		return false;
	for (i = 0; i < n; i++)
		if (wk->m[i] != NULL && wk->next[i] == t) {
			keys[m] = wk->k[i];
			idx[m++] = i;
			wk->next[i] = WALK_NONE;
		}
	c = t < VS_TABLES ? vs_rcu_deref((void *const *)&wk->p->table[t]) : NULL;
	if (c != NULL)
		vs_emc_lookup(wk->w->emc, c, keys, m, hit);
	for (i = 0; i < m; i++) {
		uint16_t x = idx[i];

		if (c == NULL || hit[i] == NULL) {
			drop(wk, x, VS_DROP_NO_MATCH);
			continue;
		}
		matched++;
		count_rule(wk, x, hit[i]);
		wk->next[x] = exec(wk, x, vs_rcu_deref((void *const *)&hit[i]->acts), 0);
		if (wk->next[x] <= t) /* goto_table only goes forward (the parser says so) */
			drop(wk, x, VS_DROP_RESUBMIT_DEPTH);
	}
	vs_table_count(&wk->in->br->ctrs, wk->w->idx, (uint8_t)t, m, matched);
	return true;
}

void
vs_pipeline_walk(struct vs_worker *w, struct vs_port *in, const struct vs_pipeline *p,
		 uint8_t table, const struct vs_actions *acts, struct rte_mbuf **pkts, uint16_t n,
		 const struct vs_flow_key *keys, const uint16_t *idx, struct vs_normal_batch *nb)
{
	struct walk wk;
	uint16_t i;

	wk.w = w;
	wk.in = in;
	wk.p = p;
	wk.nb = nb;
	for (i = 0; i < n; i++) {
		wk.m[i] = pkts[i];
		wk.sent[i] = false;
		wk.set[i].mask = 0;
		if (keys != NULL)
			wk.k[i] = keys[idx != NULL ? idx[i] : i];
		else
			vs_flowkey_extract_one(pkts[i], in->id, &wk.k[i]);
		wk.next[i] = exec(&wk, i, acts, 0);
		if (wk.next[i] != WALK_NONE && wk.next[i] <= table)
			drop(&wk, i, VS_DROP_RESUBMIT_DEPTH);
	}
	while (step(&wk, n))
		;
	for (i = 0; i < n; i++)
		finish(&wk, i);
}
