/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_modify.c: modifies and deletes made in place to a
 * bridge's flow tables, and the deletes nobody asked for: timeouts and the
 * rules of a port going away. Selection goes through the identity index
 * when it can (control/flow/flow_index.c); the saving and the counters are
 * control/flow/flow_table.c's, as for adds. A delete cannot fail once
 * saved; a modify of several rules inserts each new entry beside the old
 * one and removes the old ones once all went in, so that it undoes itself
 * without needing memory. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "classifier.h"
#include "flow_table.h"
#include "flow_table_int.h"
#include "log.h"
#include "pipeline.h"
#include "switch.h"

static struct vs_cls *
cls_of(const struct vs_bridge *br, const struct vs_rule *r)
{
	return br->pipe->table[r->table_id];
}

/* Take 'r' out of everything, telling the hook why; its id waits its grace
 * period. */
static void
remove_rule(struct vs_switch *sw, struct vs_bridge *br, struct vs_rule *r,
	    enum vs_flow_removed_reason why)
{
	vs_cls_remove(cls_of(br, r), r->e);
	vs_flows_notify_removed(sw, br, r, why);
	vs_flows_unlink(br->flows, r);
	vs_flow_id_release(sw, br, r->id);
	vs_flows_rule_free(r);
}

/* ---- deletes ---- */

/* Delete 'sel' (and set 'pending', stolen, if not NULL), saved first if 'save'. */
static int
delete_rules(struct vs_switch *sw, struct vs_bridge *br, struct vs_rule **sel, uint32_t n,
	     json_t *pending, enum save save, enum vs_flow_removed_reason why, struct vs_err *err)
{
	struct vs_flow_change *ch = malloc(sizeof(*ch) * (n + 1));
	uint32_t i;
	int ret;

	if (ch == NULL) {
		json_decref(pending);
		return vs_err_set(err, -ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++)
		ch[i] = (struct vs_flow_change){.old = sel[i]};
	ret = vs_flows_save_change(sw, br, ch, n, pending, save, err);
	free(ch);
	if (ret < 0) {
		json_decref(pending);
		return ret;
	}
	for (i = 0; i < n; i++)
		remove_rule(sw, br, sel[i], why);
	if (pending != NULL) {
		json_decref(br->flows->pending);
		br->flows->pending = pending;
		vs_flows_pending_changed(sw, br);
	}
	vs_pipeline_reclaim(br->pipe);
	return 0;
}

int
vs_flows_del(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *filter,
	     bool strict, uint32_t *n_deleted, struct vs_err *err)
{
	return vs_flows_del_why(sw, br, filter, strict, VS_FLOW_REMOVED_DELETE, n_deleted, err);
}

int
vs_flows_del_why(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *filter,
		 bool strict, enum vs_flow_removed_reason why, uint32_t *n_deleted,
		 struct vs_err *err)
{
	struct vs_flow_table *t = br->flows;
	struct vs_rule **sel;
	json_t *pending = NULL;
	uint32_t n;
	int ret;

	*n_deleted = 0;
	if (vs_flows_select(t, filter, strict, &sel, &n) < 0)
		return vs_err_set(err, -ENOMEM, "out of memory");
	/* Deleting every rule also forgets the ones waiting for a port. */
	if (filter == NULL && json_array_size(t->pending) > 0 && (pending = json_array()) == NULL) {
		free(sel);
		return vs_err_set(err, -ENOMEM, "out of memory");
	}
	if (n == 0 && pending == NULL) {
		free(sel);
		return 0;
	}
	ret = delete_rules(sw, br, sel, n, pending, SAVE_YES, why, err);
	free(sel);
	if (ret == 0)
		*n_deleted = n;
	return ret;
}

/* ---- modifies ---- */

struct mod {
	struct vs_rule *r;
	struct vs_action *acts; /* its new actions */
	struct vs_cls_entry *e; /* the new entry (several rules), or NULL */
};

/* Save with each rule's new actions: a shallow copy of each to format. */
static int
mod_save(struct vs_switch *sw, struct vs_bridge *br, struct mod *m, uint32_t n,
	 const struct vs_flow_spec *spec, struct vs_err *err)
{
	struct vs_flow_change *ch = malloc(sizeof(*ch) * n);
	struct vs_rule *copies = malloc(sizeof(*copies) * n);
	uint32_t i;
	int ret;

	if (ch == NULL || copies == NULL) {
		free(ch);
		free(copies);
		return vs_err_set(err, -ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		copies[i] = *m[i].r;
		copies[i].actions = m[i].acts;
		copies[i].n_actions = spec->n_actions;
		ch[i] = (struct vs_flow_change){.old = m[i].r, .new = &copies[i]};
	}
	ret = vs_flows_save_change(sw, br, ch, n, NULL, SAVE_YES, err);
	free(ch);
	free(copies);
	return ret;
}

/* Into the tables; undone on failure. */
static int
mod_apply(struct vs_bridge *br, struct mod *m, uint32_t n, uint16_t n_actions, struct vs_err *err)
{
	uint32_t i;
	int ret = 0;

	if (n == 1)
		ret = vs_cls_set_actions(cls_of(br, m[0].r), m[0].r->e, m[0].acts, n_actions);
	for (i = 0; n > 1 && i < n && ret == 0; i++) {
		struct vs_rule *r = m[i].r;

		ret = vs_cls_insert(cls_of(br, r), &r->match, r->priority, r->seq, m[i].acts,
				    n_actions, r->id, &m[i].e);
	}
	if (ret == 0)
		return 0;
	for (i = n > 1 ? i - 1 : 0; i-- > 0;)
		vs_cls_remove(cls_of(br, m[i].r), m[i].e);
	return vs_err_set(err, ret, "cannot modify the flow rules of %s: %s", br->name,
			  strerror(-ret));
}

static int
mod_rules(struct vs_switch *sw, struct vs_bridge *br, struct mod *m, uint32_t n,
	  const struct vs_flow_spec *spec, struct vs_err *err)
{
	uint32_t i;
	int ret = 0;

	for (i = 0; i < n && ret == 0; i++) {
		m[i].acts = malloc(sizeof(*m[i].acts) * (spec->n_actions ? spec->n_actions : 1));
		if (m[i].acts == NULL)
			ret = vs_err_set(err, -ENOMEM, "out of memory");
		else
			memcpy(m[i].acts, spec->actions, sizeof(*m[i].acts) * spec->n_actions);
		if (ret == 0)
			vs_flows_stamp_actions(m[i].r, m[i].acts, spec->n_actions);
	}
	if (ret == 0 && (ret = mod_save(sw, br, m, n, spec, err)) == 0 &&
	    (ret = mod_apply(br, m, n, spec->n_actions, err)) < 0)
		vs_flows_save_undo(sw, br, true);
	for (i = 0; i < n; i++) {
		struct vs_rule *r = m[i].r;

		if (ret < 0) {
			free(m[i].acts);
			continue;
		}
		if (n > 1) {
			vs_cls_remove(cls_of(br, r), r->e);
			r->e = m[i].e;
		}
		free(r->actions);
		r->actions = m[i].acts;
		r->n_actions = spec->n_actions;
		if (spec->flags & VS_FF_RESET_COUNTS)
			vs_flows_reset_ctrs(br, r);
	}
	return ret;
}

int
vs_flows_mod(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *spec,
	     bool strict, uint32_t *n_modified, struct vs_err *err)
{
	struct vs_rule **sel;
	struct mod *m;
	uint32_t n, i;
	int ret = 0;

	*n_modified = 0;
	if (vs_flows_select(br->flows, spec, strict, &sel, &n) < 0)
		return vs_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < n && ret == 0; i++) /* a goto_table fits each rule's table */
		ret = vs_flows_check_gotos(spec->actions, spec->n_actions, sel[i]->table_id, err);
	if (n == 0 || ret < 0) {
		free(sel);
		return ret;
	}
	m = calloc(n, sizeof(*m));
	if (m == NULL) {
		free(sel);
		return vs_err_set(err, -ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++)
		m[i].r = sel[i];
	free(sel);
	ret = mod_rules(sw, br, m, n, spec, err);
	free(m);
	vs_pipeline_reclaim(br->pipe);
	if (ret == 0)
		*n_modified = n;
	return ret;
}

/* ---- what nobody asked for ---- */

void
vs_flows_port_removed(struct vs_switch *sw, struct vs_bridge *br, uint16_t port_id)
{
	struct vs_flow_table *t = br->flows;
	uint32_t i, gone = 0;

	if (t == NULL)
		return;
	/* Saved with the port's removal (vs_flows_text_without_port). */
	for (i = 0; i < t->n;) {
		if (vs_flows_names_port(t->rules[i], port_id)) {
			remove_rule(sw, br, t->rules[i], VS_FLOW_REMOVED_DELETE);
			gone++; /* the last rule moved into i */
		} else {
			i++;
		}
	}
	if (gone)
		VS_LOG(INFO, "bridge %s: %u flow rule(s) naming the removed port deleted", br->name,
		       gone);
}

json_t *
vs_flows_text_without_port(struct vs_switch *sw, struct vs_bridge *br, uint16_t port_id)
{
	struct vs_flow_table *t = br->flows;
	struct vs_rule **rules;
	uint32_t i, k = 0;
	json_t *text;

	rules = malloc(sizeof(*rules) * (t->n_ops + 1));
	if (rules == NULL)
		return NULL;
	for (i = 0; i < t->n_ops; i++)
		if (!vs_flows_names_port(t->ops[i], port_id))
			rules[k++] = t->ops[i];
	text = vs_flows_text(sw, br, rules, k, t->pending);
	free(rules);
	return text;
}

/* Rules whose idle age dump-flows shows but that have no idle timeout get
 * their counters read this many per tick, round-robin: reading every
 * rule's (one counter per PMD slot each) every second would hold the
 * control thread for tens of milliseconds with a few 100 000 rules. */
#define AGE_SCAN_PER_TICK 4096

/* Note when a rule's counters last moved. */
static void
note_use(const struct vs_bridge *br, struct vs_rule *r, uint32_t now)
{
	uint64_t pk, by;

	vs_flows_stats(br, r, &pk, &by);
	if (pk != r->seen) {
		r->seen = pk;
		r->used = now;
	}
}

/* Remove the rules past their idle or hard timeout (every tick, for those
 * that have one); note which rules saw packets. */
static void
expire(struct vs_switch *sw, struct vs_bridge *br, uint32_t now)
{
	struct vs_flow_table *t = br->flows;
	uint32_t i, gone = 0, k;

	for (i = 0; i < t->n;) {
		struct vs_rule *r = t->rules[i];

		if (r->idle_timeout)
			note_use(br, r, now);
		if (r->hard_timeout && now - r->created >= r->hard_timeout)
			remove_rule(sw, br, r, VS_FLOW_REMOVED_HARD);
		else if (r->idle_timeout && now - r->used >= r->idle_timeout)
			remove_rule(sw, br, r, VS_FLOW_REMOVED_IDLE);
		else {
			i++;
			continue;
		}
		gone++; /* the last rule moved into i */
	}
	for (k = 0; k < AGE_SCAN_PER_TICK && k < t->n; k++, t->age_cursor++) {
		if (t->age_cursor >= t->n)
			t->age_cursor = 0;
		if (!t->rules[t->age_cursor]->idle_timeout)
			note_use(br, t->rules[t->age_cursor], now);
	}
	if (gone)
		VS_LOG(DEBUG, "bridge %s: %u flow rule(s) expired", br->name, gone);
}

void
vs_flows_tick(struct vs_switch *sw)
{
	uint32_t now = vs_switch_now(sw);
	unsigned int i;

	for (i = 0; i < VS_MAX_BRIDGES; i++) {
		struct vs_bridge *br = sw->bridges[i];

		if (br == NULL || br->flows == NULL)
			continue;
		expire(sw, br, now);
	}
	vs_flows_reclaim(sw);
}

void
vs_flows_reclaim(struct vs_switch *sw)
{
	unsigned int i;

	for (i = 0; i < VS_MAX_BRIDGES; i++) {
		struct vs_bridge *br = sw->bridges[i];

		if (br == NULL || br->flows == NULL)
			continue;
		vs_pipeline_reclaim(br->pipe);
		vs_flow_ids_reclaim(sw, br);
	}
}

int
vs_flows_republish_all(struct vs_switch *sw)
{
	(void)sw;
	return 0;
}
