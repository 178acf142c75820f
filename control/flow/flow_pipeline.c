/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_pipeline.c: a bridge's flow tables created, freed, and
 * replaced whole: replace-flows, bundles and the config load build a new
 * rule set and a new pipeline beside the running ones, save, then publish
 * the pipeline in one pointer store (a PMD sees the old rules or the new
 * ones) and wait one grace period to free the old one. Rules that carry on
 * keep their id, so their counters do too. Uses control/flow/flow_table.c's
 * rules and checks and control/flow/flow_index.c's structures. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "classifier.h"
#include "flow_table.h"
#include "flow_table_int.h"
#include "log.h"
#include "persist.h"
#include "pipeline.h"
#include "switch.h"

static struct vs_cls_conf
cls_conf(struct vs_switch *sw)
{
	return (struct vs_cls_conf){.qsbr = sw->dp.qsbr, .socket = SOCKET_ID_ANY};
}

/* Was 'r' (of a new rule set) in the running table, with its id? */
static bool
carried(const struct vs_flow_table *t, const struct vs_rule *r)
{
	const struct vs_rule *o = vs_flows_find(t, r->table_id, &r->match, r->priority);

	return o != NULL && o->id == r->id;
}

/* Forget a new rule set that will not be published: its rules, and the
 * ids only it had (no PMD saw them). */
static void
discard(struct vs_bridge *br, struct vs_flow_table *nt)
{
	uint32_t i;

	for (i = 0; i < nt->n; i++) {
		if (!carried(br->flows, nt->rules[i]))
			vs_flow_id_unused(br, nt->rules[i]->id);
		vs_flows_rule_free(nt->rules[i]);
	}
	vs_flows_struct_fini(nt);
}

/* The tables of 'nt', in a new pipeline nobody sees yet. */
static int
build(struct vs_switch *sw, struct vs_bridge *br, struct vs_flow_table *nt,
      struct vs_pipeline **out, struct vs_err *err)
{
	struct vs_cls_conf conf = cls_conf(sw);
	struct vs_pipeline *p = NULL;
	uint32_t i;
	int ret = vs_pipeline_create(&conf, &p);

	for (i = 0; ret == 0 && i < nt->n; i++) {
		struct vs_rule *r = nt->rules[i];
		struct vs_cls *c;

		ret = vs_pipeline_table(p, r->table_id, &c);
		if (ret == 0)
			ret = vs_cls_insert(c, &r->match, r->priority, r->seq, r->actions,
					    r->n_actions, r->id, &r->e);
	}
	if (ret == 0) {
		*out = p;
		return 0;
	}
	vs_pipeline_destroy(p); /* never published */
	for (i = 0; i < nt->n; i++)
		nt->rules[i]->e = NULL;
	return vs_err_set(err, ret,
			  "cannot build the flow tables of %s (%u rules): %s; raise the hugepage "
			  "memory (vswitchd --socket-mem) or use fewer rules",
			  br->name, nt->n, strerror(-ret));
}

/* 'nt' and 'p' become the bridge's; the rules that did not carry on are
 * gone (told to the hook as deleted if 'notify'), their ids free at once:
 * after the grace period no PMD counts into them. */
static void
publish(struct vs_switch *sw, struct vs_bridge *br, struct vs_flow_table *nt, struct vs_pipeline *p,
	bool notify)
{
	struct vs_flow_table *t = br->flows;
	struct vs_pipeline *old = br->pipe;
	uint32_t i;

	vs_rcu_assign((void **)&br->pipe, p);
	vs_switch_sync(sw);
	vs_pipeline_destroy(old);
	for (i = 0; i < t->n; i++) {
		struct vs_rule *r = t->rules[i];
		const struct vs_rule *n = vs_flows_find(nt, r->table_id, &r->match, r->priority);

		if (n == NULL || n->id != r->id) {
			if (notify)
				vs_flows_notify_removed(sw, br, r, VS_FLOW_REMOVED_DELETE);
			vs_flow_ctrs_clear(&br->ctrs, r->id);
			vs_flow_id_unused(br, r->id);
		}
		vs_flows_rule_free(r);
	}
	vs_flows_struct_fini(t);
	memcpy(t, nt, offsetof(struct vs_flow_table, ids));
}

/* Build, save (the operator's rules of 'nt', and 'pending' or the ones
 * there are), publish. On failure nothing changed and 'nt' is discarded. */
static int
swap_in(struct vs_switch *sw, struct vs_bridge *br, struct vs_flow_table *nt, json_t *pending,
	enum save save, bool notify, struct vs_err *err)
{
	struct vs_pipeline *p = NULL;
	int ret = build(sw, br, nt, &p, err);

	if (ret == 0 && save == SAVE_YES &&
	    (ret = vs_flows_save(sw, br, nt->ops, nt->n_ops, pending ? pending : br->flows->pending,
				 err)) < 0)
		vs_pipeline_destroy(p);
	if (ret < 0) {
		discard(br, nt);
		json_decref(pending);
		return ret;
	}
	publish(sw, br, nt, p, notify);
	if (pending != NULL) {
		json_decref(br->flows->pending);
		br->flows->pending = pending;
		vs_flows_pending_changed(sw, br);
	}
	return 0;
}

/* Link 'r' (a new rule or a copy) into 'nt'; freed if it cannot be (a
 * new id of its own is returned). */
static int
nt_link(struct vs_bridge *br, struct vs_flow_table *nt, struct vs_rule *r)
{
	if (vs_flows_tbl(nt, r->table_id) < 0 || vs_flows_reserve(nt, 1) < 0) {
		if (!carried(br->flows, r))
			vs_flow_id_unused(br, r->id);
		vs_flows_rule_free(r);
		return -ENOMEM;
	}
	vs_flows_link(nt, r);
	return 0;
}

/* Into 'nt': the rule 'spec' makes, replacing the one of the same
 * identity there (its id goes on, its counters start again). With
 * 'keep_same' (replace-flows), a running rule with the same actions is
 * carried over as it is, counters included. */
static int
nt_add(struct vs_switch *sw, struct vs_bridge *br, struct vs_flow_table *nt,
       const struct vs_flow_spec *s, bool keep_same, bool *touched, struct vs_err *err)
{
	struct vs_rule *r, *o, *dup;
	bool inherit;
	int ret;

	if ((ret = vs_flows_check_add(nt, s, 1, err)) < 0)
		return ret;
	if ((r = vs_flows_rule_new(s, vs_switch_now(sw))) == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	dup = vs_flows_find(nt, s->table_id, &r->match, s->priority);
	o = keep_same ? vs_flows_find(br->flows, s->table_id, &r->match, s->priority) : NULL;
	*touched |= s->origin == VS_ORIGIN_OPERATOR || (dup && dup->opos != UINT32_MAX);
	inherit = dup != NULL && !keep_same;
	if (inherit) { /* a bundle's add replacing a rule: its id goes on */
		r->id = dup->id;
		r->seq = dup->seq;
		vs_flows_reset_ctrs(br, r);
	} else if (dup != NULL && !carried(br->flows, dup)) {
		vs_flow_id_unused(br,
				  dup->id); /* replace-flows naming a rule twice: the last wins */
	}
	if (dup != NULL) {
		vs_flows_unlink(nt, dup);
		vs_flows_rule_free(dup);
	}
	if (!inherit && o != NULL && vs_flows_same_actions(o, s)) {
		vs_flows_rule_free(r); /* unchanged: counters carry on */
		if ((r = vs_flows_rule_clone(o)) == NULL)
			return vs_err_set(err, -ENOMEM, "out of memory");
		r->origin = s->origin;
		r->flags = s->flags;
	} else if (!inherit && (ret = vs_flow_id_alloc(sw, br, &r->id)) < 0) {
		vs_flows_rule_free(r);
		return vs_err_set(err, ret, "no flow rule id left (%u rules at most)",
				  VS_FLOWS_MAX);
	} else if (!inherit) {
		r->seq = nt->seq++;
	}
	if (nt_link(br, nt, r) < 0)
		return vs_err_set(err, -ENOMEM, "out of memory");
	return 0;
}

/* The table becomes 'specs', the waiting rules 'pending' (stolen; NULL:
 * as they are). */
static int
set(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs, uint32_t n,
    json_t *pending, enum save save, uint32_t *n_kept, struct vs_err *err)
{
	struct vs_flow_table nt;
	uint32_t i, kept = 0;
	bool touched = false;
	int ret = 0;

	vs_flows_struct_init(&nt);
	nt.seq = br->flows->seq;
	for (i = 0; i < n && ret == 0; i++)
		if ((ret = nt_add(sw, br, &nt, &specs[i], true, &touched, err)) < 0 && n > 1)
			err->item = i + 1;
	if (ret < 0) {
		discard(br, &nt);
		json_decref(pending);
		return ret;
	}
	for (i = 0; i < nt.n; i++)
		kept += carried(br->flows, nt.rules[i]); /* only unchanged rules keep their id */
	ret = swap_in(sw, br, &nt, pending, save, true, err);
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
	json_t *pending = json_array();

	if (pending == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	return set(sw, br, specs, n, pending, SAVE_YES, n_kept, err);
}

/* ---- bundles ---- */

/* A copy of every running rule, in 'nt'. */
static int
nt_clone(struct vs_bridge *br, struct vs_flow_table *nt)
{
	const struct vs_flow_table *t = br->flows;
	uint32_t i;

	vs_flows_struct_init(nt);
	nt->seq = t->seq;
	if (vs_flows_reserve(nt, t->n) < 0)
		return -ENOMEM;
	for (i = 0; i < t->n; i++) {
		struct vs_rule *r = vs_flows_rule_clone(t->rules[i]);

		if (r == NULL || vs_flows_tbl(nt, r->table_id) < 0) {
			vs_flows_rule_free(r);
			return -ENOMEM;
		}
		vs_flows_link(nt, r);
	}
	return 0;
}

static int
nt_mod(struct vs_bridge *br, struct vs_flow_table *nt, const struct vs_flow_op *op, bool *touched,
       struct vs_err *err)
{
	const struct vs_flow_spec *s = op->spec;
	struct vs_rule **sel;
	uint32_t n, i;
	int ret = 0;

	if (s == NULL)
		return vs_err_set(err, -EINVAL, "a modify needs a rule");
	if (vs_flows_select(nt, s, op->strict, &sel, &n) < 0)
		return vs_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < n && ret == 0; i++) {
		struct vs_rule *r = sel[i];
		struct vs_action *a;

		if ((ret = vs_flows_check_gotos(s->actions, s->n_actions, r->table_id, err)) < 0)
			break;
		a = malloc(sizeof(*a) * (s->n_actions ? s->n_actions : 1));
		if (a == NULL) {
			ret = vs_err_set(err, -ENOMEM, "out of memory");
			break;
		}
		memcpy(a, s->actions, sizeof(*a) * s->n_actions);
		vs_flows_stamp_actions(r, a, s->n_actions);
		free(r->actions);
		r->actions = a;
		r->n_actions = s->n_actions;
		*touched |= r->opos != UINT32_MAX;
		if (s->flags & VS_FF_RESET_COUNTS)
			vs_flows_reset_ctrs(br, r);
	}
	free(sel);
	return ret;
}

static int
nt_del(struct vs_bridge *br, struct vs_flow_table *nt, const struct vs_flow_op *op, bool *touched,
       struct vs_err *err)
{
	struct vs_rule **sel;
	uint32_t n, i;

	if (vs_flows_select(nt, op->spec, op->strict, &sel, &n) < 0)
		return vs_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		struct vs_rule *r = sel[i];

		*touched |= r->opos != UINT32_MAX;
		if (!carried(br->flows, r)) /* added by the bundle: no PMD saw it */
			vs_flow_id_unused(br, r->id);
		vs_flows_unlink(nt, r);
		vs_flows_rule_free(r);
	}
	free(sel);
	return 0;
}

int
vs_flows_bundle(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_op *ops,
		uint32_t n_ops, struct vs_err *err)
{
	struct vs_flow_table nt;
	bool touched = false;
	uint32_t i;
	int ret = 0;

	if (nt_clone(br, &nt) < 0) {
		discard(br, &nt);
		return vs_err_set(err, -ENOMEM, "out of memory");
	}
	for (i = 0; i < n_ops && ret == 0; i++) {
		const struct vs_flow_op *op = &ops[i];

		if (op->kind == VS_FLOW_OP_ADD)
			ret = op->spec ? nt_add(sw, br, &nt, op->spec, false, &touched, err)
				       : vs_err_set(err, -EINVAL, "an add needs a rule");
		else if (op->kind == VS_FLOW_OP_MOD)
			ret = nt_mod(br, &nt, op, &touched, err);
		else if (op->kind == VS_FLOW_OP_DEL)
			ret = nt_del(br, &nt, op, &touched, err);
		else
			ret = vs_err_set(err, -EINVAL, "unknown bundle op %u", op->kind);
		if (ret < 0)
			err->item = i + 1;
	}
	if (ret < 0) {
		discard(br, &nt);
		return ret;
	}
	return swap_in(sw, br, &nt, NULL, touched ? SAVE_YES : SAVE_NO, true, err);
}

/* ---- a bridge's tables, created and freed ---- */

int
vs_flows_init(struct vs_switch *sw, struct vs_bridge *br, struct vs_err *err)
{
	struct vs_flow_spec def = {.priority = 0, .n_actions = 1};
	struct vs_cls_conf conf = cls_conf(sw);
	struct vs_pipeline *p = NULL;
	int ret;

	def.actions[0].type = VS_ACT_NORMAL;
	br->flows = calloc(1, sizeof(*br->flows));
	if (br->flows == NULL || (br->flows->pending = json_array()) == NULL ||
	    vs_flow_ctrs_init(&br->ctrs) < 0 || vs_pipeline_create(&conf, &p) < 0) {
		ret = vs_err_set(err, -ENOMEM, "out of memory");
		goto fail;
	}
	vs_rcu_assign((void **)&br->pipe, p);
	ret = vs_flows_add_in_place(sw, br, &def, 1, SAVE_NO, err);
	if (ret == 0)
		return 0;
	vs_rcu_assign((void **)&br->pipe, NULL);
	vs_switch_sync(sw);
	vs_pipeline_destroy(p);
fail:
	if (br->flows != NULL) {
		json_decref(br->flows->pending);
		vs_flows_struct_fini(br->flows);
		vs_flow_ids_fini(&br->flows->ids);
	}
	vs_flow_ctrs_fini(&br->ctrs);
	free(br->flows);
	br->flows = NULL;
	return ret;
}

void
vs_flows_fini(struct vs_switch *sw, struct vs_bridge *br)
{
	struct vs_flow_table *t = br->flows;
	struct vs_pipeline *old = br->pipe;
	uint32_t i;

	if (t == NULL)
		return;
	vs_rcu_assign((void **)&br->pipe, NULL);
	vs_switch_sync(sw);
	vs_pipeline_destroy(old);
	for (i = 0; i < t->n; i++)
		vs_flows_rule_free(t->rules[i]);
	vs_flows_struct_fini(t);
	vs_flow_ids_fini(&t->ids);
	vs_flow_ctrs_fini(&br->ctrs);
	json_decref(t->pending);
	free(t);
	br->flows = NULL;
	vs_persist_set_error(sw, "flows", br->name, NULL);
}
