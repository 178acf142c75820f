/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_table.c: the changes made in place to a bridge's flow
 * tables: adds, modifies, deletes (whatever their size), timeouts and the
 * rules of a port going away.
 *
 * Every change goes in three steps: prepare (allocate everything, check
 * everything; the table is untouched), save (the operator's rules as they
 * will be, when the change touches one), apply (vs_cls_insert /
 * set_actions / remove in the tables PMDs search), then the bookkeeping,
 * which cannot fail. A batch whose apply fails halfway undoes what it did:
 * a multi-rule replacement or modify inserts the new entry beside the old
 * one (same seq, same counter id) and removes the old one only once every
 * insert worked, so that undoing never needs memory. Nothing here waits
 * for a grace period: what PMDs may still see is freed by vs_flows_tick.
 * Replace-flows, bundles and the config load are control/flow/flow_pipeline.c;
 * the index and ids control/flow/flow_index.c. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_hash_crc.h>

#include "classifier.h"
#include "flow_table.h"
#include "flow_table_int.h"
#include "log.h"
#include "pipeline.h"
#include "switch.h"

/* ---- rules ---- */

struct vs_rule *
vs_flows_rule_new(const struct vs_flow_spec *s, uint32_t now)
{
	struct vs_rule *r = calloc(1, sizeof(*r));
	vs_key_word *k, *m;
	unsigned int w;

	if (r == NULL)
		return NULL;
	r->actions = malloc(sizeof(r->actions[0]) * (s->n_actions ? s->n_actions : 1));
	if (r->actions == NULL) {
		free(r);
		return NULL;
	}
	r->match = s->match;
	k = vs_key_words_rw(&r->match.key);
	m = vs_key_words_rw(&r->match.mask);
	for (w = 0; w < VS_KEY_WORDS; w++)
		k[w] &= m[w]; /* what the classifier and the index rely on */
	r->table_id = s->table_id;
	r->origin = s->origin;
	r->flags = s->flags;
	r->priority = s->priority;
	r->cookie = s->cookie;
	r->idle_timeout = s->idle_timeout;
	r->hard_timeout = s->hard_timeout;
	r->created = r->used = now;
	r->created_tsc = rte_rdtsc();
	r->opos = UINT32_MAX;
	r->n_actions = s->n_actions;
	memcpy(r->actions, s->actions, sizeof(r->actions[0]) * s->n_actions);
	vs_flows_stamp_actions(r, r->actions, r->n_actions);
	return r;
}

/* A table-miss rule: priority 0 and matches everything (OpenFlow 1.3.5, 5.4). */
static bool
table_miss(const struct vs_rule *r)
{
	const vs_key_word *m = vs_key_words(&r->match.mask);
	unsigned int w;

	for (w = 0; w < VS_KEY_WORDS && r->priority == 0; w++)
		if (m[w] != 0)
			return false;
	return r->priority == 0;
}

void
vs_flows_stamp_actions(const struct vs_rule *r, struct vs_action *a, uint16_t n)
{
	bool miss = table_miss(r);
	uint16_t i;

	for (i = 0; i < n; i++) {
		if (a[i].type == VS_ACT_DEC_TTL) { /* an invalid TTL's packet-in */
			a[i].u32 = r->table_id;
			a[i].u64 = r->cookie;
			continue;
		}
		if (a[i].type == VS_ACT_GROUP) { /* for its buckets' packet-ins */
			a[i].u8 = r->table_id;
			a[i].u64 = r->cookie;
			a[i].flags &= (uint8_t)~VS_AF_TABLE_MISS;
			if (miss)
				a[i].flags |= VS_AF_TABLE_MISS;
			continue;
		}
		if (a[i].type != VS_ACT_CONTROLLER)
			continue;
		a[i].u32 = r->table_id;
		a[i].u64 = r->cookie;
		a[i].flags &= (uint8_t)~VS_AF_TABLE_MISS;
		if (miss && a[i].u8 == 1 /* OFPR_ACTION */)
			a[i].flags |= VS_AF_TABLE_MISS;
	}
}

struct vs_rule *
vs_flows_rule_clone(const struct vs_rule *o)
{
	struct vs_rule *r = malloc(sizeof(*r));

	if (r == NULL)
		return NULL;
	*r = *o;
	r->e = NULL;
	r->opos = UINT32_MAX;
	r->actions = malloc(sizeof(r->actions[0]) * (o->n_actions ? o->n_actions : 1));
	if (r->actions == NULL) {
		free(r);
		return NULL;
	}
	memcpy(r->actions, o->actions, sizeof(r->actions[0]) * o->n_actions);
	return r;
}

void
vs_flows_rule_free(struct vs_rule *r)
{
	if (r != NULL)
		free(r->actions);
	free(r);
}

/* 's' names the rule 'r' is (same table, match and priority). */
bool
vs_flows_same_actions(const struct vs_rule *r, const struct vs_flow_spec *s)
{
	uint16_t i;

	if (r->n_actions != s->n_actions || r->cookie != s->cookie ||
	    r->idle_timeout != s->idle_timeout || r->hard_timeout != s->hard_timeout)
		return false;
	for (i = 0; i < s->n_actions; i++) {
		struct vs_action a = s->actions[i];

		vs_flows_stamp_actions(r, &a, 1); /* as 'r' has it */
		if (memcmp(&r->actions[i], &a, sizeof(a)) != 0)
			return false;
	}
	return true;
}

bool
vs_flows_names_port(const struct vs_rule *r, uint16_t port)
{
	uint16_t i;

	if (r->match.mask.in_port != 0 && r->match.key.in_port == port)
		return true;
	for (i = 0; i < r->n_actions; i++)
		if (r->actions[i].type == VS_ACT_OUTPUT && r->actions[i].port == port)
			return true;
	return false;
}

int
vs_flows_cmp_order(const void *a, const void *b)
{
	const struct vs_rule *x = *(const struct vs_rule *const *)a;
	const struct vs_rule *y = *(const struct vs_rule *const *)b;

	if (x->table_id != y->table_id)
		return x->table_id < y->table_id ? -1 : 1;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* OpenFlow's out_port / out_group: an action sends to it. */
static bool
sends_to(const struct vs_rule *r, uint8_t type, uint32_t to)
{
	uint16_t i;

	for (i = 0; i < r->n_actions; i++)
		if (r->actions[i].type == type &&
		    (type == VS_ACT_OUTPUT ? r->actions[i].port : r->actions[i].u32) == to)
			return true;
	return false;
}

bool
vs_flows_selects(const struct vs_rule *r, const struct vs_flow_spec *f, bool strict)
{
	const vs_key_word *rk = vs_key_words(&r->match.key), *rm = vs_key_words(&r->match.mask);
	const vs_key_word *fk = vs_key_words(&f->match.key), *fm = vs_key_words(&f->match.mask);
	unsigned int w;

	if (f->has_table && r->table_id != f->table_id)
		return false;
	if (f->has_cookie && ((r->cookie ^ f->cookie) & f->cookie_mask) != 0)
		return false;
	if (f->has_out_port && !sends_to(r, VS_ACT_OUTPUT, f->out_port))
		return false;
	if (f->has_out_group && !sends_to(r, VS_ACT_GROUP, f->out_group))
		return false;
	if (strict)
		return r->priority == f->priority &&
		       !memcmp(&r->match, &f->match, sizeof(r->match));
	for (w = 0; w < VS_KEY_WORDS; w++)
		if ((rm[w] & fm[w]) != fm[w] || (rk[w] & fm[w]) != fk[w])
			return false;
	return true;
}

/* Could one packet match both? */
static bool
overlaps(const struct vs_flow_match *a, const struct vs_flow_match *b)
{
	const vs_key_word *ak = vs_key_words(&a->key), *am = vs_key_words(&a->mask);
	const vs_key_word *bk = vs_key_words(&b->key), *bm = vs_key_words(&b->mask);
	unsigned int w;

	for (w = 0; w < VS_KEY_WORDS; w++)
		if ((ak[w] ^ bk[w]) & am[w] & bm[w])
			return false;
	return true;
}

/* A goto_table in a rule of 'table' must go to a higher table. */
int
vs_flows_check_gotos(const struct vs_action *a, uint16_t n, uint8_t table, struct vs_err *err)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		if (a[i].type == VS_ACT_GOTO_TABLE && (a[i].u8 <= table || a[i].u8 >= VS_TABLES))
			return vs_err_set(err, -EINVAL,
					  "goto_table:%u in a rule of table %u: a goto_table must "
					  "go to a higher table, at most %u (OpenFlow's "
					  "BAD_INSTRUCTION/BAD_TABLE_ID)",
					  a[i].u8, table, VS_TABLES - 1);
	return 0;
}

int
vs_flows_check_add(const struct vs_flow_table *t, const struct vs_flow_spec *s, uint32_t more,
		   struct vs_err *err)
{
	uint32_t i;
	int ret;

	if (s->table_id >= VS_TABLES)
		return vs_err_set(err, -EINVAL,
				  "table %u is not a table a rule can be in: tables are 0-%u (255 "
				  "is OpenFlow's 'all tables')",
				  s->table_id, VS_TABLES - 1);
	if ((ret = vs_flows_check_gotos(s->actions, s->n_actions, s->table_id, err)) < 0)
		return ret;
	if ((uint64_t)t->n + more > VS_FLOWS_MAX)
		return vs_err_set(err, -ENOSPC,
				  "a bridge holds at most %u flow rules; this would make %" PRIu64,
				  VS_FLOWS_MAX, (uint64_t)t->n + more);
	if (!(s->flags & VS_FF_CHECK_OVERLAP))
		return 0;
	/* Rules of one priority are not indexed apart: a scan, only for
	 * check_overlap adds. */
	for (i = 0; i < t->n; i++) {
		const struct vs_rule *r = t->rules[i];

		if (r->table_id == s->table_id && r->priority == s->priority &&
		    overlaps(&r->match, &s->match))
			return vs_err_set(err, -EEXIST,
					  "the rule overlaps a rule of the same priority (%u) in "
					  "table %u, and check_overlap refuses that (OpenFlow's "
					  "OVERLAP)",
					  s->priority, s->table_id);
	}
	return 0;
}

/* ---- counters ---- */

static void
read_ctrs(const struct vs_bridge *br, uint32_t id, uint64_t *packets, uint64_t *bytes)
{
	vs_flow_ctrs_read(&br->ctrs, id, packets, bytes);
}

void
vs_flows_reset_ctrs(const struct vs_bridge *br, struct vs_rule *r)
{
	read_ctrs(br, r->id, &r->base_packets, &r->base_bytes);
	r->seen = 0;
}

void
vs_flows_stats(const struct vs_bridge *br, const struct vs_rule *r, uint64_t *packets,
	       uint64_t *bytes)
{
	read_ctrs(br, r->id, packets, bytes);
	*packets -= r->base_packets;
	*bytes -= r->base_bytes;
}

void
vs_flows_size(const struct vs_bridge *br, uint32_t *n_masks, uint64_t *bytes)
{
	unsigned int i;

	*n_masks = 0;
	*bytes = 0;
	for (i = 0; br->pipe != NULL && i < VS_TABLES; i++) {
		if (br->pipe->table[i] == NULL)
			continue;
		*n_masks += vs_cls_n_masks(br->pipe->table[i]);
		*bytes += vs_cls_bytes(br->pipe->table[i]);
	}
}

void
vs_flows_table_stats(const struct vs_bridge *br, uint8_t table, uint32_t *n_rules,
		     uint64_t *lookups, uint64_t *matched)
{
	const struct flow_tbl *tb = table < VS_TABLES ? br->flows->tbl[table] : NULL;

	*n_rules = tb ? tb->n_rules : 0;
	*lookups = *matched = 0;
	if (table < VS_TABLES)
		vs_table_ctrs_read(&br->ctrs, table, lookups, matched);
}

bool
vs_flows_table_used(const struct vs_bridge *br, uint8_t table)
{
	return table < VS_TABLES && br->flows->tbl[table] != NULL &&
	       br->flows->tbl[table]->n_rules > 0;
}

void
vs_flows_set_removed_cb(struct vs_switch *sw, vs_flows_removed_fn *fn, void *ctx)
{
	sw->flows_removed_fn = (void (*)(void))fn;
	sw->flows_removed_ctx = ctx;
}

void
vs_flows_notify_removed(struct vs_switch *sw, struct vs_bridge *br, const struct vs_rule *r,
			enum vs_flow_removed_reason reason)
{
	vs_flows_removed_fn *fn = (vs_flows_removed_fn *)sw->flows_removed_fn;
	uint64_t packets, bytes;

	if (fn == NULL)
		return;
	vs_flows_stats(br, r, &packets, &bytes);
	fn(sw->flows_removed_ctx, br, r, reason, packets, bytes, vs_switch_now(sw) - r->created);
}

/* ---- saving ---- */

static bool
is_op(const struct vs_rule *r)
{
	return r != NULL && r->origin == VS_ORIGIN_OPERATOR;
}

/* O(operator rules), whatever the controller's. */
int
vs_flows_save_change(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_change *ch,
		     uint32_t n, const json_t *pending, enum save save, struct vs_err *err)
{
	struct vs_flow_table *t = br->flows;
	struct vs_rule **tmp;
	uint32_t i, k, touched = pending != NULL;
	int ret;

	for (i = 0; i < n && !touched; i++)
		touched = (ch[i].old && ch[i].old->opos != UINT32_MAX) || is_op(ch[i].new);
	if (save == SAVE_NO || !touched)
		return 0;
	tmp = malloc(sizeof(*tmp) * ((size_t)t->n_ops + n + 1));
	if (tmp == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	memcpy(tmp, t->ops, sizeof(*tmp) * t->n_ops);
	k = t->n_ops;
	for (i = 0; i < n; i++) {
		if (ch[i].old && ch[i].old->opos != UINT32_MAX)
			tmp[ch[i].old->opos] = is_op(ch[i].new) ? ch[i].new : NULL;
		else if (is_op(ch[i].new))
			tmp[k++] = ch[i].new;
	}
	for (i = 0, n = 0; i < k; i++)
		if (tmp[i] != NULL)
			tmp[n++] = tmp[i];
	ret = vs_flows_save(sw, br, tmp, n, pending ? pending : t->pending, err);
	free(tmp);
	return ret;
}

void
vs_flows_save_undo(struct vs_switch *sw, struct vs_bridge *br, bool saved)
{
	struct vs_flow_table *t = br->flows;
	struct vs_err err;

	if (saved && vs_flows_save(sw, br, t->ops, t->n_ops, t->pending, &err) < 0)
		VS_LOG(ERR, "bridge %s: the config file keeps flow rules that did not apply: %s",
		       br->name, err.msg);
}

/* ---- adds ---- */

/* skip[i]: a later spec of the batch has the same identity (it wins). */
static int
later_dups(const struct vs_flow_spec *specs, uint32_t n, bool *skip)
{
	uint32_t size = 16, *v, i;

	while (size < 2 * n)
		size *= 2;
	v = malloc(sizeof(*v) * size);
	if (v == NULL)
		return -ENOMEM;
	memset(v, 0xff, sizeof(*v) * size);
	for (i = n; i-- > 0;) {
		const struct vs_flow_spec *s = &specs[i];
		uint32_t h = rte_hash_crc(&s->match, sizeof(s->match),
					  (uint32_t)s->priority << 8 | s->table_id);

		skip[i] = false;
		for (;; h++) {
			uint32_t *e = &v[h & (size - 1)];

			if (*e == UINT32_MAX) {
				*e = i;
				break;
			}
			if (specs[*e].priority == s->priority &&
			    specs[*e].table_id == s->table_id &&
			    !memcmp(&specs[*e].match, &s->match, sizeof(s->match))) {
				skip[i] = true;
				break;
			}
		}
	}
	free(v);
	return 0;
}

/* Undo a prepared add that did not apply: its new rules, their ids. */
static void
drop_prepared(struct vs_bridge *br, struct vs_flow_change *ch, uint32_t n, struct vs_switch *sw)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (ch[i].new == NULL)
			continue;
		if (ch[i].old == NULL && ch[i].new->e != NULL)
			vs_flow_id_release(sw, br, ch[i].new->id);
		else if (ch[i].old == NULL)
			vs_flow_id_unused(br, ch[i].new->id);
		vs_flows_rule_free(ch[i].new);
	}
}

/* One rule of an add, prepared: its replacement or a new one, with an id. */
static int
prepare_one(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *s,
	    struct vs_flow_change *c, uint32_t *n_new, struct vs_err *err)
{
	struct vs_flow_table *t = br->flows;
	struct vs_cls *cls;
	int ret;

	if ((ret = vs_flows_check_add(t, s, 0, err)) < 0)
		return ret;
	if (vs_flows_tbl(t, s->table_id) < 0 ||
	    vs_pipeline_table(br->pipe, s->table_id, &cls) < 0 ||
	    (c->new = vs_flows_rule_new(s, vs_switch_now(sw))) == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	c->old = vs_flows_find(t, s->table_id, &c->new->match, s->priority);
	if (c->old != NULL) { /* the same rule, its counters starting again */
		c->new->id = c->old->id;
		c->new->seq = c->old->seq;
		vs_flows_reset_ctrs(br, c->new);
		return 0;
	}
	if ((ret = vs_flow_id_alloc(sw, br, &c->new->id)) < 0) {
		vs_flows_rule_free(c->new);
		c->new = NULL;
		return vs_err_set(err, ret, "no flow rule id left (%u rules at most)",
				  VS_FLOWS_MAX);
	}
	c->new->seq = t->seq + (*n_new)++;
	return 0;
}

static int
prepare_add(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs,
	    uint32_t n, struct vs_flow_change *ch, uint32_t *n_ch, uint32_t *n_new,
	    struct vs_err *err)
{
	bool *skip = n > 1 ? malloc(sizeof(*skip) * n) : NULL;
	uint32_t i, k = 0;
	int ret = 0;

	*n_new = 0;
	if (n > 1 && (skip == NULL || later_dups(specs, n, skip) < 0))
		ret = vs_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < n && ret == 0; i++) {
		if (skip != NULL && skip[i])
			continue;
		ch[k] = (struct vs_flow_change){0};
		ret = prepare_one(sw, br, &specs[i], &ch[k], n_new, err);
		k += ch[k].new != NULL;
		if (ret < 0 && n > 1)
			err->item = i + 1;
	}
	free(skip);
	if (ret == 0 && (uint64_t)br->flows->n + *n_new > VS_FLOWS_MAX)
		ret = vs_err_set(err, -ENOSPC,
				 "a bridge holds at most %u flow rules; this would make %" PRIu64,
				 VS_FLOWS_MAX, (uint64_t)br->flows->n + *n_new);
	if (ret == 0 && vs_flows_reserve(br->flows, k) < 0)
		ret = vs_err_set(err, -ENOMEM, "out of memory");
	if (ret < 0)
		drop_prepared(br, ch, k, sw);
	*n_ch = k;
	return ret;
}

/* Into the tables: a lone replacement swaps its actions, anything else
 * inserts (a replacement beside the rule it replaces). Undone on failure. */
static int
apply_add(struct vs_bridge *br, struct vs_flow_change *ch, uint32_t n, struct vs_err *err)
{
	uint32_t i;
	int ret = 0;

	for (i = 0; i < n && ret == 0; i++) {
		struct vs_rule *r = ch[i].new;
		struct vs_cls *c = br->pipe->table[r->table_id];

		if (ch[i].old != NULL && n == 1) {
			ret = vs_cls_set_actions(c, ch[i].old->e, r->actions, r->n_actions);
			r->e = ret == 0 ? ch[i].old->e : NULL;
		} else {
			ret = vs_cls_insert(c, &r->match, r->priority, r->seq, r->actions,
					    r->n_actions, r->id, &r->e);
			if (ret < 0)
				r->e = NULL;
		}
	}
	if (ret == 0)
		return 0;
	for (i--; i-- > 0;) {
		struct vs_rule *r = ch[i].new;

		vs_cls_remove(br->pipe->table[r->table_id], r->e);
		if (ch[i].old != NULL)
			r->e = NULL;
		/* A new rule keeps 'e' set: its id was seen, drop_prepared releases it. */
	}
	return vs_err_set(err, ret,
			  "cannot add flow rules to %s: %s; raise the hugepage memory "
			  "(vswitchd --socket-mem) or use fewer rules",
			  br->name, strerror(-ret));
}

static void
commit_add(struct vs_bridge *br, struct vs_flow_change *ch, uint32_t n, uint32_t n_new)
{
	struct vs_flow_table *t = br->flows;
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct vs_rule *old = ch[i].old;

		if (old != NULL) {
			if (old->e != ch[i].new->e)
				vs_cls_remove(br->pipe->table[old->table_id], old->e);
			vs_flows_unlink(t, old);
			vs_flows_rule_free(old);
		}
		vs_flows_link(t, ch[i].new);
	}
	t->seq += n_new;
}

int
vs_flows_add_in_place(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs,
		      uint32_t n, enum save save, struct vs_err *err)
{
	struct vs_flow_change one, *ch = n > 1 ? malloc(sizeof(*ch) * n) : &one;
	uint32_t n_ch = 0, n_new;
	bool saved = false;
	int ret;

	if (n == 0)
		return 0;
	if (ch == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	ret = prepare_add(sw, br, specs, n, ch, &n_ch, &n_new, err);
	if (ret == 0) {
		ret = vs_flows_save_change(sw, br, ch, n_ch, NULL, save, err);
		saved = ret == 0 && save == SAVE_YES;
		if (ret == 0 && (ret = apply_add(br, ch, n_ch, err)) < 0) {
			vs_flows_save_undo(sw, br, saved);
			drop_prepared(br, ch, n_ch, sw);
		} else if (ret < 0) {
			drop_prepared(br, ch, n_ch, sw);
		} else {
			commit_add(br, ch, n_ch, n_new);
		}
	}
	if (ch != &one)
		free(ch);
	vs_pipeline_reclaim(br->pipe);
	return ret;
}

int
vs_flows_add(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs,
	     uint32_t n, struct vs_err *err)
{
	return vs_flows_add_in_place(sw, br, specs, n, SAVE_YES, err);
}

int
vs_flows_add_waiting(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs,
		     uint32_t n, json_t *pending, struct vs_err *err)
{
	int ret = vs_flows_add_in_place(sw, br, specs, n, SAVE_NO, err);

	if (ret < 0) {
		json_decref(pending);
		return ret;
	}
	json_decref(br->flows->pending);
	br->flows->pending = pending;
	vs_flows_pending_changed(sw, br);
	return 0;
}
