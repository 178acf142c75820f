/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_table.c: the flow rules of each bridge, and every change to
 * them, as one new rule array compiled into one new classifier snapshot.
 *
 * The rule array is kept in the order rules were added, which is the slot
 * order of the snapshot (ties between equal-priority overlapping rules go
 * to the older one). Per-rule counters live in the snapshot, one block per
 * PMD; when a snapshot is retired, after the grace period, its counts are
 * folded into the rules that carry on. Finding "the rule with this match
 * and priority" uses a throw-away hash index, so adding 100,000 rules is
 * linear, not quadratic. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_hash_crc.h>

#include "classifier.h"
#include "flow_table.h"
#include "flow_table_int.h"
#include "log.h"
#include "persist.h"
#include "switch.h"

/* ---- identity index: (match, priority) -> position ---- */

struct kidx {
	uint32_t *v; /* positions, UINT32_MAX: empty */
	uint32_t mask;
	const struct vs_flow_match *(*match)(const void *set, uint32_t i);
	uint16_t (*prio)(const void *set, uint32_t i);
	const void *set;
};

static const struct vs_flow_match *
rule_match(const void *set, uint32_t i)
{
	return &((struct vs_rule *const *)set)[i]->match;
}

static uint16_t
rule_prio(const void *set, uint32_t i)
{
	return ((struct vs_rule *const *)set)[i]->priority;
}

static const struct vs_flow_match *
spec_match(const void *set, uint32_t i)
{
	return &((const struct vs_flow_spec *)set)[i].match;
}

static uint16_t
spec_prio(const void *set, uint32_t i)
{
	return ((const struct vs_flow_spec *)set)[i].priority;
}

static uint32_t
khash(const struct vs_flow_match *m, uint16_t prio)
{
	return rte_hash_crc(m, sizeof(*m), prio);
}

/* The slot of (m, prio) in the index: its entry, or the empty one where it
 * would go. */
static uint32_t *
kidx_slot(const struct kidx *x, const struct vs_flow_match *m, uint16_t prio)
{
	uint32_t h = khash(m, prio);

	for (;; h++) {
		uint32_t *s = &x->v[h & x->mask];

		if (*s == UINT32_MAX ||
		    (x->prio(x->set, *s) == prio && !memcmp(x->match(x->set, *s), m, sizeof(*m))))
			return s;
	}
}

/* Index the first 'n' of 'set'; a later duplicate wins. Room for 'cap'. */
static int
kidx_init(struct kidx *x, const void *set, uint32_t n, uint32_t cap, bool rules)
{
	uint32_t size = 16, i;

	while (size < 2 * cap)
		size *= 2;
	x->v = malloc(sizeof(*x->v) * size);
	if (x->v == NULL)
		return -ENOMEM;
	memset(x->v, 0xff, sizeof(*x->v) * size);
	x->mask = size - 1;
	x->set = set;
	x->match = rules ? rule_match : spec_match;
	x->prio = rules ? rule_prio : spec_prio;
	for (i = 0; i < n; i++)
		*kidx_slot(x, x->match(set, i), x->prio(set, i)) = i;
	return 0;
}

/* ---- rules ---- */

static struct vs_rule *
rule_new(const struct vs_flow_spec *s, uint32_t now)
{
	struct vs_rule *r = calloc(1, sizeof(*r) + sizeof(r->actions[0]) * s->n_actions);
	vs_key_word *k, *m;
	unsigned int w;

	if (r == NULL)
		return NULL;
	r->match = s->match;
	k = vs_key_words_rw(&r->match.key);
	m = vs_key_words_rw(&r->match.mask);
	for (w = 0; w < VS_KEY_WORDS; w++)
		k[w] &= m[w]; /* what the classifier relies on */
	r->priority = s->priority;
	r->cookie = s->cookie;
	r->idle_timeout = s->idle_timeout;
	r->hard_timeout = s->hard_timeout;
	r->created = r->used = now;
	r->slot = UINT32_MAX;
	r->n_actions = s->n_actions;
	memcpy(r->actions, s->actions, sizeof(r->actions[0]) * s->n_actions);
	return r;
}

static bool
same_actions(const struct vs_rule *r, const struct vs_flow_spec *s)
{
	return r->n_actions == s->n_actions && r->cookie == s->cookie &&
	       r->idle_timeout == s->idle_timeout && r->hard_timeout == s->hard_timeout &&
	       !memcmp(r->actions, s->actions, sizeof(r->actions[0]) * s->n_actions);
}

static bool
names_port(const struct vs_rule *r, uint16_t port)
{
	uint16_t i;

	if (r->match.mask.in_port != 0 && r->match.key.in_port == port)
		return true;
	for (i = 0; i < r->n_actions; i++)
		if (r->actions[i].type == VS_ACT_OUTPUT && r->actions[i].port == port)
			return true;
	return false;
}

static bool
sends_to_group(const struct vs_rule *r, uint32_t group)
{
	uint16_t i;

	for (i = 0; i < r->n_actions; i++)
		if (r->actions[i].type == VS_ACT_GROUP && r->actions[i].u32 == group)
			return true;
	return false;
}

bool
vs_flows_selects(const struct vs_rule *r, const struct vs_flow_spec *f, bool strict)
{
	const vs_key_word *rk = vs_key_words(&r->match.key), *rm = vs_key_words(&r->match.mask);
	const vs_key_word *fk = vs_key_words(&f->match.key), *fm = vs_key_words(&f->match.mask);
	unsigned int w;

	if (f->has_cookie && ((r->cookie ^ f->cookie) & f->cookie_mask) != 0)
		return false;
	if (f->has_out_group && !sends_to_group(r, f->out_group))
		return false;
	if (strict)
		return r->priority == f->priority &&
		       !memcmp(&r->match, &f->match, sizeof(r->match));
	for (w = 0; w < VS_KEY_WORDS; w++)
		if ((rm[w] & fm[w]) != fm[w] || (rk[w] & fm[w]) != fk[w])
			return false;
	return true;
}

/* What snapshot 'c' counted for 'r', added to the rule's own. */
static void
snapshot_stats(const struct vs_cls *c, const struct vs_rule *r, uint64_t *packets, uint64_t *bytes)
{
	unsigned int p;

	*packets = r->packets;
	*bytes = r->bytes;
	if (c == NULL || r->slot >= c->n_rules)
		return;
	for (p = 0; p < VS_MAX_PMDS; p++) {
		if (c->ctr[p] == NULL)
			continue;
		*packets += c->ctr[p][r->slot].packets;
		*bytes += c->ctr[p][r->slot].bytes;
	}
}

void
vs_flows_stats(const struct vs_bridge *br, const struct vs_rule *r, uint64_t *packets,
	       uint64_t *bytes)
{
	snapshot_stats(br->cls, r, packets, bytes);
}

void
vs_flows_size(const struct vs_bridge *br, uint32_t *n_masks, uint64_t *bytes)
{
	*n_masks = br->cls ? br->cls->n_sub : 0;
	*bytes = br->cls ? br->cls->bytes : 0;
}

/* ---- publishing ---- */

/* Compile 'rules' into a new snapshot, not yet published. */
static int
build(struct vs_switch *sw, struct vs_bridge *br, struct vs_rule **rules, uint32_t n,
      struct vs_cls **out, struct vs_err *err)
{
	struct vs_cls_rule *cr;
	uint32_t i;
	int ret;

	if (n > VS_FLOWS_MAX)
		return vs_err_set(err, -ENOSPC,
				  "a bridge holds at most %u flow rules; this would make %u",
				  VS_FLOWS_MAX, n);
	cr = malloc(sizeof(*cr) * (n ? n : 1));
	if (cr == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		cr[i] = (struct vs_cls_rule){.match = &rules[i]->match,
					     .priority = rules[i]->priority,
					     .n_actions = rules[i]->n_actions,
					     .actions = rules[i]->actions};
	ret = vs_cls_build(cr, n, vs_pmd_slots(sw), SOCKET_ID_ANY, out);
	free(cr);
	if (ret < 0)
		return vs_err_set(err, ret,
				  "cannot compile the flow table of %s (%u rules): %s; raise the "
				  "hugepage memory (vswitchd --socket-mem) or use fewer rules",
				  br->name, n, strerror(-ret));
	return 0;
}

/* Make 'c', compiled from 'rules', the bridge's snapshot; cannot fail. The
 * table then holds 'rules' (the caller frees the old array and the rules no
 * longer in it). */
static void
install(struct vs_switch *sw, struct vs_bridge *br, struct vs_rule **rules, uint32_t n,
	struct vs_cls *c)
{
	struct vs_flow_table *t = br->flows;
	struct vs_cls *old = br->cls;
	uint64_t pk, by;
	uint32_t i;

	vs_rcu_assign((void **)&br->cls, c);
	vs_switch_sync(sw);
	/* No PMD counts into 'old' any more: keep what it counted. */
	for (i = 0; i < n; i++) {
		struct vs_rule *r = rules[i];

		if (r->slot != UINT32_MAX) {
			snapshot_stats(old, r, &pk, &by);
			r->packets = pk;
			r->bytes = by;
		}
		r->slot = i;
	}
	vs_cls_free(old);
	t->rules = rules;
	t->n = n;
}

static int
publish(struct vs_switch *sw, struct vs_bridge *br, struct vs_rule **rules, uint32_t n,
	struct vs_err *err)
{
	struct vs_cls *c;
	int ret = build(sw, br, rules, n, &c, err);

	if (ret == 0)
		install(sw, br, rules, n, c);
	return ret;
}

/* How a change reaches the config file. */
enum save {
	SAVE_NO,  /* not the operator's change (expiry, a port going), or from the file */
	SAVE_YES, /* saved before it is published; not published if it cannot be */
};

/* Swap in 'rules' (a new array) and 'pending' (a new list of waiting rules,
 * stolen; NULL: as they are), saved first if 'save'; free the old array and
 * every old rule not carried over. On failure free the new array and the
 * new rules: nothing changed. A published rule's slot is its index in the
 * new array, and a rule that was not carried over keeps its old one: the
 * slots say which is which. */
static int
commit(struct vs_switch *sw, struct vs_bridge *br, struct vs_rule **rules, uint32_t n,
       json_t *pending, enum save save, struct vs_err *err)
{
	struct vs_flow_table *t = br->flows;
	struct vs_rule **old = t->rules;
	uint32_t old_n = t->n, i;
	struct vs_cls *c = NULL;
	int ret = build(sw, br, rules, n, &c, err);

	/* Compiled, saved, then published: a change the file refuses is
	 * never seen by a PMD. */
	if (ret == 0 && save == SAVE_YES &&
	    (ret = vs_flows_save(sw, br, rules, n, pending ? pending : t->pending, err)) < 0)
		vs_cls_free(c);
	if (ret == 0) {
		install(sw, br, rules, n, c);
		for (i = 0; i < old_n; i++) /* free the old rules not carried over */
			if (!(old[i]->slot < n && rules[old[i]->slot] == old[i]))
				free(old[i]);
		free(old);
		if (pending != NULL) {
			json_decref(t->pending);
			t->pending = pending;
			vs_flows_pending_changed(sw, br);
		}
		return 0;
	}
	for (i = 0; i < n; i++) /* free the new rules that were not in the old table */
		if (!(rules[i]->slot < old_n && old[rules[i]->slot] == rules[i]))
			free(rules[i]);
	free(rules);
	json_decref(pending);
	return ret;
}

/* ---- changes ---- */

int
vs_flows_init(struct vs_switch *sw, struct vs_bridge *br, struct vs_err *err)
{
	struct vs_flow_spec def = {.priority = 0, .n_actions = 1};
	struct vs_rule **rules;
	int ret;

	br->flows = calloc(1, sizeof(*br->flows));
	rules = malloc(sizeof(*rules));
	if (br->flows == NULL || rules == NULL || (br->flows->pending = json_array()) == NULL ||
	    (rules[0] = rule_new(&def, vs_switch_now(sw))) == NULL) {
		ret = vs_err_set(err, -ENOMEM, "out of memory");
		goto fail;
	}
	rules[0]->actions[0].type = VS_ACT_NORMAL;
	ret = publish(sw, br, rules, 1, err);
	if (ret == 0)
		return 0;
	free(rules[0]);
fail:
	free(rules);
	if (br->flows != NULL)
		json_decref(br->flows->pending);
	free(br->flows);
	br->flows = NULL;
	return ret;
}

void
vs_flows_fini(struct vs_switch *sw, struct vs_bridge *br)
{
	struct vs_flow_table *t = br->flows;
	struct vs_cls *old = br->cls;
	uint32_t i;

	if (t == NULL)
		return;
	vs_rcu_assign((void **)&br->cls, NULL);
	vs_switch_sync(sw);
	vs_cls_free(old);
	for (i = 0; i < t->n; i++)
		free(t->rules[i]);
	free(t->rules);
	json_decref(t->pending);
	free(t);
	br->flows = NULL;
	vs_persist_set_error(sw, "flows", br->name, NULL);
}

/* Free the rules of 'rules' (the first 'n') that are not the table's own,
 * where the new array keeps the old one's positions. */
static void
free_new(const struct vs_flow_table *t, struct vs_rule **rules, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (i >= t->n || rules[i] != t->rules[i])
			free(rules[i]);
}

/* Add 'specs' to a copy of the table, in 'out' (n in *n_out). */
static int
merge(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs, uint32_t n,
      struct vs_rule ***out, uint32_t *n_out, struct vs_err *err)
{
	struct vs_flow_table *t = br->flows;
	struct kidx have = {0}, batch = {0};
	struct vs_rule **rules;
	uint32_t now = vs_switch_now(sw), i, k = t->n, *s;
	int ret = -ENOMEM;

	rules = malloc(sizeof(*rules) * ((size_t)t->n + n + 1));
	if (rules == NULL || kidx_init(&have, t->rules, t->n, t->n + n, true) < 0 ||
	    kidx_init(&batch, specs, n, n, false) < 0)
		goto out;
	memcpy(rules, t->rules, sizeof(*rules) * t->n);
	have.set = rules;
	for (i = 0; i < n; i++) {
		struct vs_rule *r;

		if (*kidx_slot(&batch, &specs[i].match, specs[i].priority) != i)
			continue; /* a later one in the same batch replaces it */
		r = rule_new(&specs[i], now);
		if (r == NULL)
			goto out;
		s = kidx_slot(&have, &r->match, r->priority);
		if (*s == UINT32_MAX) {
			*s = k;
			rules[k++] = r;
		} else {
			rules[*s] = r; /* replaces the rule, in its place */
		}
	}
	ret = 0;
out:
	free(have.v);
	free(batch.v);
	if (ret < 0) {
		if (rules != NULL)
			free_new(t, rules, k);
		free(rules);
		return vs_err_set(err, ret, "out of memory");
	}
	*out = rules;
	*n_out = k;
	return 0;
}

int
vs_flows_add_waiting(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs,
		     uint32_t n, json_t *pending, struct vs_err *err)
{
	struct vs_rule **rules = NULL;
	uint32_t k = 0;
	int ret;

	ret = merge(sw, br, specs, n, &rules, &k, err);
	if (ret < 0) {
		json_decref(pending);
		return ret;
	}
	return commit(sw, br, rules, k, pending, SAVE_NO, err);
}

int
vs_flows_add(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs,
	     uint32_t n, struct vs_err *err)
{
	struct vs_rule **rules = NULL;
	uint32_t k = 0;
	int ret;

	ret = merge(sw, br, specs, n, &rules, &k, err);
	return ret < 0 ? ret : commit(sw, br, rules, k, NULL, SAVE_YES, err);
}

int
vs_flows_del(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *filter,
	     bool strict, uint32_t *n_deleted, struct vs_err *err)
{
	struct vs_flow_table *t = br->flows;
	struct vs_rule **rules;
	uint32_t i, k = 0;
	json_t *pending;
	int ret;

	rules = malloc(sizeof(*rules) * (t->n + 1));
	if (rules == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < t->n; i++)
		if (filter != NULL && !vs_flows_selects(t->rules[i], filter, strict))
			rules[k++] = t->rules[i];
	/* Deleting every rule also forgets the ones waiting for a port. */
	pending = filter == NULL && json_array_size(t->pending) > 0 ? json_array() : NULL;
	if (k == t->n && pending == NULL) {
		free(rules); /* nothing selected: nothing to build or save */
		*n_deleted = 0;
		return 0;
	}
	*n_deleted = t->n - k;
	ret = commit(sw, br, rules, k, pending, SAVE_YES, err);
	if (ret < 0)
		*n_deleted = 0;
	return ret;
}

/* 'o' with the actions of 'spec': the same rule, so the same counters. */
static struct vs_rule *
modified(const struct vs_rule *o, const struct vs_flow_spec *spec)
{
	struct vs_rule *r = malloc(sizeof(*r) + sizeof(r->actions[0]) * spec->n_actions);

	if (r == NULL)
		return NULL;
	*r = *o;
	r->n_actions = spec->n_actions;
	memcpy(r->actions, spec->actions, sizeof(r->actions[0]) * spec->n_actions);
	return r;
}

int
vs_flows_mod(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *spec,
	     bool strict, uint32_t *n_modified, struct vs_err *err)
{
	struct vs_flow_table *t = br->flows;
	struct vs_rule **rules;
	uint32_t i, n = 0;
	int ret;

	rules = malloc(sizeof(*rules) * (t->n + 1));
	if (rules == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < t->n; i++) {
		rules[i] = t->rules[i];
		if (!vs_flows_selects(t->rules[i], spec, strict))
			continue;
		rules[i] = modified(t->rules[i], spec);
		if (rules[i] == NULL) {
			free_new(t, rules, i);
			free(rules);
			return vs_err_set(err, -ENOMEM, "out of memory");
		}
		n++;
	}
	*n_modified = n;
	if (n == 0) {
		free(rules); /* nothing selected: no new snapshot to build */
		return 0;
	}
	ret = commit(sw, br, rules, t->n, NULL, SAVE_YES, err);
	if (ret < 0)
		*n_modified = 0;
	return ret;
}

/* The table becomes 'specs', the waiting rules 'pending' (stolen; NULL: as
 * they are). */
static int
set(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs, uint32_t n,
    json_t *pending, enum save save, uint32_t *n_kept, struct vs_err *err)
{
	struct vs_flow_table *t = br->flows;
	struct kidx have = {0}, batch = {0};
	struct vs_rule **rules;
	uint32_t now = vs_switch_now(sw), i, k = 0, kept = 0, *s;
	int ret = -ENOMEM;

	rules = malloc(sizeof(*rules) * (n + 1));
	if (rules == NULL || kidx_init(&have, t->rules, t->n, t->n, true) < 0 ||
	    kidx_init(&batch, specs, n, n, false) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (*kidx_slot(&batch, &specs[i].match, specs[i].priority) != i)
			continue; /* a later one with the same match replaces it */
		s = kidx_slot(&have, &specs[i].match, specs[i].priority);
		if (*s != UINT32_MAX && same_actions(t->rules[*s], &specs[i])) {
			rules[k++] = t->rules[*s]; /* unchanged: counters carry on */
			kept++;
			continue;
		}
		rules[k] = rule_new(&specs[i], now);
		if (rules[k++] == NULL)
			goto out;
	}
	ret = 0;
out:
	free(have.v);
	free(batch.v);
	if (ret < 0) {
		for (i = 0; rules != NULL && i < k; i++)
			if (rules[i] != NULL && (rules[i]->slot == UINT32_MAX))
				free(rules[i]);
		free(rules);
		json_decref(pending);
		return vs_err_set(err, ret, "out of memory");
	}
	ret = commit(sw, br, rules, k, pending, save, err);
	if (ret == 0)
		*n_kept = kept;
	return ret;
}

int
vs_flows_set_loaded(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs,
		    uint32_t n, json_t *pending, struct vs_err *err)
{
	uint32_t kept;

	return set(sw, br, specs, n, pending, SAVE_NO, &kept, err);
}

/* The rules waiting for a port go too: the new table is all there is. */
int
vs_flows_replace(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs,
		 uint32_t n, uint32_t *n_kept, struct vs_err *err)
{
	return set(sw, br, specs, n, json_array(), SAVE_YES, n_kept, err);
}

void
vs_flows_port_removed(struct vs_switch *sw, struct vs_bridge *br, uint16_t port_id)
{
	struct vs_flow_table *t = br->flows;
	struct vs_rule **rules;
	struct vs_err err;
	uint32_t i, k = 0;

	if (t == NULL)
		return;
	for (i = 0; i < t->n && !names_port(t->rules[i], port_id); i++)
		;
	if (i == t->n)
		return;
	rules = malloc(sizeof(*rules) * (t->n + 1));
	if (rules == NULL) {
		/* The rules stay, pointing at a port id nobody has: they drop,
		 * counted as no_destination, until the next change. */
		VS_LOG(ERR, "out of memory: the flow rules naming port %u of %s stay", port_id,
		       br->name);
		return;
	}
	for (i = 0; i < t->n; i++)
		if (!names_port(t->rules[i], port_id))
			rules[k++] = t->rules[i];
	VS_LOG(INFO, "bridge %s: %u flow rule(s) naming the removed port deleted", br->name,
	       t->n - k);
	/* Saved with the port's removal (vs_flows_text_without_port). */
	if (commit(sw, br, rules, k, NULL, SAVE_NO, &err) < 0)
		VS_LOG(ERR, "bridge %s: %s", br->name, err.msg);
}

json_t *
vs_flows_text_without_port(struct vs_switch *sw, struct vs_bridge *br, uint16_t port_id)
{
	struct vs_flow_table *t = br->flows;
	struct vs_rule **rules;
	uint32_t i, k = 0;
	json_t *text;

	rules = malloc(sizeof(*rules) * (t->n + 1));
	if (rules == NULL)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (!names_port(t->rules[i], port_id))
			rules[k++] = t->rules[i];
	text = vs_flows_text(sw, br, rules, k, t->pending);
	free(rules);
	return text;
}

/* Note which rules saw packets; remove the ones past their idle or hard
 * timeout. */
static void
expire(struct vs_switch *sw, struct vs_bridge *br, uint32_t now)
{
	struct vs_flow_table *t = br->flows;
	struct vs_rule **rules = NULL;
	uint32_t i, k = 0, gone = 0;
	uint64_t pk, by;
	struct vs_err err;

	for (i = 0; i < t->n; i++) {
		struct vs_rule *r = t->rules[i];

		/* Every rule: 'used' is also the idle age dump-flows shows. */
		vs_flows_stats(br, r, &pk, &by);
		if (pk != r->seen) {
			r->seen = pk;
			r->used = now;
		}
		gone += (r->hard_timeout && now - r->created >= r->hard_timeout) ||
			(r->idle_timeout && now - r->used >= r->idle_timeout);
	}
	if (gone == 0 || (rules = malloc(sizeof(*rules) * t->n)) == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		struct vs_rule *r = t->rules[i];

		if (!(r->hard_timeout && now - r->created >= r->hard_timeout) &&
		    !(r->idle_timeout && now - r->used >= r->idle_timeout))
			rules[k++] = r;
	}
	if (commit(sw, br, rules, k, NULL, SAVE_NO, &err) < 0)
		VS_LOG(ERR, "bridge %s: cannot expire flow rules: %s", br->name, err.msg);
	else
		VS_LOG(DEBUG, "bridge %s: %u flow rule(s) expired", br->name, gone);
}

void
vs_flows_tick(struct vs_switch *sw)
{
	uint32_t now = vs_switch_now(sw);
	unsigned int i;

	for (i = 0; i < VS_MAX_BRIDGES; i++)
		if (sw->bridges[i] != NULL && sw->bridges[i]->flows != NULL)
			expire(sw, sw->bridges[i], now);
}

int
vs_flows_republish_all(struct vs_switch *sw)
{
	struct vs_err err;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < VS_MAX_BRIDGES; i++) {
		struct vs_bridge *br = sw->bridges[i];

		if (br == NULL || br->flows == NULL)
			continue;
		if (publish(sw, br, br->flows->rules, br->flows->n, &err) < 0) {
			VS_LOG(ERR, "bridge %s: %s", br->name, err.msg);
			ret = err.code;
		}
	}
	return ret;
}
