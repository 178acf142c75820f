/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_flow_table.c: a bridge's flow table (control/flow/) against
 * a reference model. Random adds, modifies, deletes, replaces and bundles
 * over a small universe of rules (3 tables, in_port, ip, nw_dst, 3
 * priorities, so that replacements, loose selections and the index are all
 * exercised); after each, the table must hold exactly the model's rules,
 * each once in the classifier, and each call must report the model's
 * counts. Failures are injected (linker --wrap) into vs_cls_insert,
 * vs_cls_set_actions and the config save: then the table must be exactly as
 * it was, ids and order included. Plus the rules of the issue: controller
 * rules never saved, goto_table upwards only, check_overlap, the removed
 * hook. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_ctl.h"
#include "classifier.h"
#include "flow_table.h"
#include "flow_table_int.h" /* vs_flows_find: the identity index */
#include "harness.h"
#include "persist.h"
#include "pipeline.h"
#include "switch.h"

/* ---- failure injection ---- */

static int insert_fail_in = -1;  /* the n-th next insert fails (0: the next); -1: none */
static int actions_fail_in = -1; /* the same for vs_cls_set_actions */
static int injected;             /* injected failures hit */
static int save_fail;            /* vs_persist_flows fails */
static int saves;                /* vs_persist_flows calls */
static size_t saved_size;        /* the number of rules the last save held */

int __real_vs_cls_insert(struct vs_cls *c, const struct vs_flow_match *m, uint16_t priority,
			 uint32_t seq, const struct vs_action *a, uint16_t n_actions, uint32_t id,
			 struct vs_cls_entry **out);
int __wrap_vs_cls_insert(struct vs_cls *c, const struct vs_flow_match *m, uint16_t priority,
			 uint32_t seq, const struct vs_action *a, uint16_t n_actions, uint32_t id,
			 struct vs_cls_entry **out);
int __real_vs_cls_set_actions(struct vs_cls *c, struct vs_cls_entry *e, const struct vs_action *a,
			      uint16_t n_actions);
int __wrap_vs_cls_set_actions(struct vs_cls *c, struct vs_cls_entry *e, const struct vs_action *a,
			      uint16_t n_actions);
int __real_vs_persist_flows(struct vs_switch *sw, const char *bridge, const json_t *flows,
			    struct vs_err *err);
int __wrap_vs_persist_flows(struct vs_switch *sw, const char *bridge, const json_t *flows,
			    struct vs_err *err);

int
__wrap_vs_cls_insert(struct vs_cls *c, const struct vs_flow_match *m, uint16_t priority,
		     uint32_t seq, const struct vs_action *a, uint16_t n_actions, uint32_t id,
		     struct vs_cls_entry **out)
{
	if (insert_fail_in >= 0 && insert_fail_in-- == 0)
		return injected++, -ENOMEM;
	return __real_vs_cls_insert(c, m, priority, seq, a, n_actions, id, out);
}

int
__wrap_vs_cls_set_actions(struct vs_cls *c, struct vs_cls_entry *e, const struct vs_action *a,
			  uint16_t n_actions)
{
	if (actions_fail_in >= 0 && actions_fail_in-- == 0)
		return injected++, -ENOMEM;
	return __real_vs_cls_set_actions(c, e, a, n_actions);
}

int
__wrap_vs_persist_flows(struct vs_switch *sw, const char *bridge, const json_t *flows,
			struct vs_err *err)
{
	saves++;
	saved_size = json_array_size(flows);
	if (save_fail)
		return vs_err_set(err, -EIO, "injected: cannot write the config file");
	return __real_vs_persist_flows(sw, bridge, flows, err);
}

/* ---- the model ---- */

#define N_TABLES 3
#define N_IN     3 /* none, p0, p1 */
#define N_DST    5 /* not ip, ip alone, ip with nw_dst 10.0.0.1-3 */
#define N_PRIO   3
#define N_ID     (N_TABLES * N_IN * N_DST * N_PRIO)

struct mrule {
	bool live;
	uint8_t out;    /* output:p<out> */
	uint8_t cookie; /* 0-3 */
	uint8_t origin;
};

struct model {
	struct mrule r[N_ID];
};

/* An identity's parts. */
static unsigned int
id_table(unsigned int i)
{
	return i / (N_IN * N_DST * N_PRIO);
}
static unsigned int
id_in(unsigned int i)
{
	return i / (N_DST * N_PRIO) % N_IN;
}
static unsigned int
id_dst(unsigned int i)
{
	return i / N_PRIO % N_DST;
}
static unsigned int
id_prio(unsigned int i)
{
	return 10 + 10 * (i % N_PRIO);
}

static struct vs_bridge *
br0(struct harness_sw *f)
{
	return vs_bridge_find(f->sw, "br0");
}

static void
match_text(char *buf, size_t size, int in, int dst)
{
	int n = 0;

	buf[0] = 0;
	if (in > 0)
		n += snprintf(buf + n, size - n, ",in_port=p%d", in - 1);
	if (dst == 1)
		n += snprintf(buf + n, size - n, ",ip");
	else if (dst > 1)
		n += snprintf(buf + n, size - n, ",ip,nw_dst=10.0.0.%d", dst - 1);
}

static void
parse(struct harness_sw *f, const char *text, enum vs_flow_parse_mode mode, struct vs_flow_spec *s)
{
	struct vs_err err;

	if (vs_flows_parse(f->sw, br0(f), text, mode, s, &err) < 0)
		fail_msg("'%s': %s", text, err.msg);
}

/* The spec of identity 'i' with the model rule 'm'. */
static void
spec_of(struct harness_sw *f, unsigned int i, const struct mrule *m, struct vs_flow_spec *s)
{
	char match[96], text[192];

	match_text(match, sizeof(match), (int)id_in(i), (int)id_dst(i));
	snprintf(text, sizeof(text), "priority=%u%s,cookie=%u,actions=output:p%u", id_prio(i),
		 match, m->cookie, m->out);
	parse(f, text, VS_FLOW_PARSE_ADD, s);
	s->table_id = (uint8_t)id_table(i);
	s->origin = m->origin;
}

/* A random filter: which identities it selects, loose or strict. */
struct mfilter {
	int table;  /* -1: every table */
	int in;     /* 0: any */
	int dst;    /* 0: any; 1: ip; 2-4: that address */
	int prio;   /* strict */
	int out;    /* -1: any */
	int cookie; /* -1: any */
	bool strict;
};

static bool
mfilter_selects(const struct mfilter *q, const struct model *md, unsigned int i)
{
	const struct mrule *m = &md->r[i];

	if (!m->live || (q->table >= 0 && (unsigned int)q->table != id_table(i)) ||
	    (q->out >= 0 && q->out != m->out) || (q->cookie >= 0 && q->cookie != m->cookie))
		return false;
	if (q->strict)
		return (unsigned int)q->in == id_in(i) && (unsigned int)q->dst == id_dst(i) &&
		       (unsigned int)q->prio == id_prio(i);
	if (q->in && (unsigned int)q->in != id_in(i))
		return false;
	if (q->dst == 1)
		return id_dst(i) >= 1;
	return !q->dst || (unsigned int)q->dst == id_dst(i);
}

static void
mfilter_spec(struct harness_sw *f, const struct mfilter *q, struct vs_flow_spec *s)
{
	char match[96], text[192];
	int n;

	match_text(match, sizeof(match), q->in, q->dst);
	n = snprintf(text, sizeof(text), "priority=%d%s", q->prio, match);
	if (q->cookie >= 0)
		snprintf(text + n, sizeof(text) - n, ",cookie=%d/0xffffffffffffffff", q->cookie);
	parse(f, text, VS_FLOW_PARSE_MATCH, s);
	s->has_table = q->table >= 0;
	s->table_id = q->table >= 0 ? (uint8_t)q->table : 0;
	s->has_out_port = q->out >= 0;
	s->out_port = q->out >= 0 ? (uint16_t)(10 + q->out) : 0;
}

/* 's' (a filter) gets the actions output:p<out>. */
static void
set_output(struct harness_sw *f, struct vs_flow_spec *s, unsigned int out)
{
	struct vs_flow_spec a;
	char text[64];

	snprintf(text, sizeof(text), "actions=output:p%u", out);
	parse(f, text, VS_FLOW_PARSE_ADD, &a);
	s->n_actions = a.n_actions;
	memcpy(s->actions, a.actions, sizeof(a.actions[0]) * a.n_actions);
}

static struct mfilter
random_filter(void)
{
	struct mfilter q = {
		.table = rand() % 4 - 1,
		.in = rand() % N_IN,
		.dst = rand() % N_DST,
		.prio = (int)id_prio((unsigned int)rand()),
		.out = rand() % 3 ? -1 : rand() % 3,
		.cookie = rand() % 4 ? -1 : rand() % 4,
		.strict = rand() % 2,
	};
	return q;
}

/* ---- checks ---- */

/* The table holds exactly the model's rules: found by identity, with the
 * model's actions and cookie, installed once; the classifier holds as many
 * entries; the operator's list has the operator's. */
static void
check(struct harness_sw *f, const struct model *md)
{
	const struct vs_flow_table *t = br0(f)->flows;
	uint32_t live = 0, ops = 0, i;

	for (i = 0; i < N_ID; i++) {
		const struct mrule *m = &md->r[i];
		struct vs_flow_spec s;
		const struct vs_rule *r;

		spec_of(f, i, m, &s);
		r = vs_flows_find(t, s.table_id, &s.match, s.priority);
		if (!m->live) {
			assert_null(r);
			continue;
		}
		assert_non_null(r);
		live++;
		ops += m->origin == VS_ORIGIN_OPERATOR;
		assert_int_equal(r->n_actions, 1);
		assert_int_equal(r->actions[0].port, 10 + m->out);
		assert_int_equal(r->cookie, m->cookie);
		assert_int_equal(r->origin, m->origin);
		assert_non_null(r->e);
		assert_int_equal(r->e->id, r->id);
		assert_int_equal(r->e->acts->a[0].port, 10 + m->out);
		assert_int_equal(r->e->table_id, r->table_id);
	}
	assert_int_equal(t->n, live);
	assert_int_equal(t->n_ops, ops);
	assert_int_equal(vs_pipeline_n_rules(br0(f)->pipe), live);
}

/* What a failed change must leave: every rule as it was. */
struct snap {
	uint32_t n;
	struct vs_rule r[N_ID];
	struct vs_action a[N_ID];
};

static int
cmp_id(const void *a, const void *b)
{
	const struct vs_rule *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static void
snap_take(struct harness_sw *f, struct snap *s)
{
	const struct vs_flow_table *t = br0(f)->flows;
	uint32_t i;

	s->n = t->n;
	for (i = 0; i < t->n; i++) {
		s->r[i] = *t->rules[i];
		s->r[i].actions = NULL;
		s->r[i].pos = s->r[i].opos = s->r[i].hash = 0;
		s->r[i].hnext = NULL;
		s->r[i].used = s->r[i].seen = 0;
		s->r[i].base_packets = s->r[i].base_bytes = 0;
		s->a[i] = t->rules[i]->actions[0];
		s->r[i].e = (struct vs_cls_entry *)(uintptr_t)t->rules[i]->e->acts->a[0].port;
	}
	qsort(s->r, s->n, sizeof(s->r[0]), cmp_id);
}

static void
assert_unchanged(struct harness_sw *f, const struct snap *before)
{
	static struct snap now;
	uint32_t i;

	snap_take(f, &now);
	assert_int_equal(now.n, before->n);
	for (i = 0; i < now.n; i++)
		assert_memory_equal(&now.r[i], &before->r[i], sizeof(now.r[i]));
	assert_int_equal(vs_pipeline_n_rules(br0(f)->pipe), before->n);
}

/* ---- random ops ---- */

static struct mrule
random_rule(void)
{
	struct mrule m = {.live = true,
			  .out = (uint8_t)(rand() % 3),
			  .cookie = (uint8_t)(rand() % 4),
			  .origin = rand() % 3 ? VS_ORIGIN_CONTROLLER : VS_ORIGIN_OPERATOR};
	return m;
}

static void
op_add(struct harness_sw *f, struct model *md, bool inject)
{
	struct vs_flow_spec specs[4];
	unsigned int ids[4], n = 1 + rand() % 4, i;
	struct mrule rs[4];
	static struct snap before;
	struct vs_err err;
	int ret;

	for (i = 0; i < n; i++) {
		ids[i] = (unsigned int)rand() % N_ID;
		rs[i] = random_rule();
		spec_of(f, ids[i], &rs[i], &specs[i]);
	}
	snap_take(f, &before);
	if (inject) {
		insert_fail_in = rand() % (int)n;
		actions_fail_in = 0;
	}
	ret = vs_flows_add(f->sw, br0(f), specs, n, &err);
	if (inject && (insert_fail_in < 0 || actions_fail_in < 0)) {
		/* An injected failure was hit: all or nothing. */
		assert_int_equal(ret, -ENOMEM);
		assert_unchanged(f, &before);
	} else {
		assert_int_equal(ret, 0);
		for (i = 0; i < n; i++)
			md->r[ids[i]] = rs[i];
	}
	insert_fail_in = actions_fail_in = -1;
}

static uint32_t
model_select(const struct model *md, const struct mfilter *q, bool *sel)
{
	uint32_t n = 0, i;

	for (i = 0; i < N_ID; i++)
		n += (sel[i] = mfilter_selects(q, md, i));
	return n;
}

static void
op_del(struct harness_sw *f, struct model *md)
{
	struct mfilter q = random_filter();
	bool sel[N_ID];
	uint32_t want = model_select(md, &q, sel), n, i;
	struct vs_flow_spec s;
	struct vs_err err;

	mfilter_spec(f, &q, &s);
	assert_int_equal(vs_flows_del(f->sw, br0(f), &s, q.strict, &n, &err), 0);
	assert_int_equal(n, want);
	for (i = 0; i < N_ID; i++)
		if (sel[i])
			md->r[i].live = false;
}

static void
op_mod(struct harness_sw *f, struct model *md, bool inject)
{
	struct mfilter q = random_filter();
	bool sel[N_ID];
	uint32_t want = model_select(md, &q, sel), n, i;
	uint8_t out = (uint8_t)(rand() % 3);
	struct vs_flow_spec s;
	static struct snap before;
	struct vs_err err;
	int ret;

	mfilter_spec(f, &q, &s);
	set_output(f, &s, out);
	snap_take(f, &before);
	if (inject) {
		insert_fail_in = want > 1 ? rand() % (int)want : -1;
		actions_fail_in = want == 1 ? 0 : -1;
	}
	ret = vs_flows_mod(f->sw, br0(f), &s, q.strict, &n, &err);
	if (inject && want > 0) {
		assert_int_equal(ret, -ENOMEM);
		assert_int_equal(n, 0);
		assert_unchanged(f, &before);
	} else {
		assert_int_equal(ret, 0);
		assert_int_equal(n, want);
		for (i = 0; i < N_ID; i++)
			if (sel[i])
				md->r[i].out = out;
	}
	insert_fail_in = actions_fail_in = -1;
}

static void
op_replace(struct harness_sw *f, struct model *md, bool inject)
{
	struct vs_flow_spec specs[8];
	unsigned int n = (unsigned int)rand() % 8, i, k = 0;
	struct model next = {0};
	uint32_t kept, want_kept = 0;
	static struct snap before;
	struct vs_err err;
	int ret;

	for (i = 0; i < n; i++) {
		unsigned int id = (unsigned int)rand() % N_ID;
		struct mrule m = random_rule();

		if (rand() % 2 && md->r[id].live) /* often the same as running: kept */
			m = md->r[id];
		next.r[id] = m;
		spec_of(f, id, &m, &specs[k++]);
	}
	for (i = 0; i < N_ID; i++)
		want_kept += next.r[i].live && md->r[i].live && next.r[i].out == md->r[i].out &&
			     next.r[i].cookie == md->r[i].cookie;
	snap_take(f, &before);
	if (inject)
		insert_fail_in = k ? rand() % (int)k : -1;
	ret = vs_flows_replace(f->sw, br0(f), specs, k, &kept, &err);
	if (inject && k > 0) {
		assert_int_equal(ret, -ENOMEM);
		assert_unchanged(f, &before);
	} else {
		assert_int_equal(ret, 0);
		assert_int_equal(kept, want_kept);
		*md = next;
	}
	insert_fail_in = -1;
}

/* A bundle of 1-4 ops on the model, sequentially; sometimes a last op that
 * must fail (a goto_table down), refusing the whole bundle. */
static void
op_bundle(struct harness_sw *f, struct model *md)
{
	struct vs_flow_spec specs[5];
	struct vs_flow_op ops[5];
	unsigned int n = 1 + (unsigned int)rand() % 4, i, j;
	struct model next = *md;
	bool bad = rand() % 4 == 0, sel[N_ID];
	static struct snap before;
	struct vs_err err;
	int ret;

	for (i = 0; i < n; i++) {
		unsigned int kind = (unsigned int)rand() % 3;
		struct mfilter q = random_filter();

		ops[i] = (struct vs_flow_op){.kind = (uint8_t)kind, .spec = &specs[i]};
		if (kind == VS_FLOW_OP_ADD) {
			unsigned int id = (unsigned int)rand() % N_ID;
			struct mrule m = random_rule();

			spec_of(f, id, &m, &specs[i]);
			next.r[id] = m;
			continue;
		}
		q.out = q.cookie = -1;
		mfilter_spec(f, &q, &specs[i]);
		ops[i].strict = q.strict;
		if (kind == VS_FLOW_OP_MOD)
			set_output(f, &specs[i], 2);
		model_select(&next, &q, sel);
		for (j = 0; j < N_ID; j++) {
			if (sel[j] && kind == VS_FLOW_OP_DEL)
				next.r[j].live = false;
			else if (sel[j])
				next.r[j].out = 2;
		}
	}
	if (bad) { /* table 2 going to table 1 */
		struct mrule m = random_rule();

		spec_of(f, N_ID - 1, &m, &specs[n]);
		specs[n].actions[0] = (struct vs_action){.type = VS_ACT_GOTO_TABLE, .u8 = 1};
		ops[n] = (struct vs_flow_op){.kind = VS_FLOW_OP_ADD, .spec = &specs[n]};
		n++;
	}
	snap_take(f, &before);
	ret = vs_flows_bundle(f->sw, br0(f), ops, n, &err);
	if (bad) {
		assert_int_equal(ret, -EINVAL);
		assert_int_equal(err.item, n);
		assert_unchanged(f, &before);
	} else {
		assert_int_equal(ret, 0);
		*md = next;
	}
}

static void
test_random_against_model(void **state)
{
	struct harness_sw *f = *state;
	struct model md = {0};
	struct vs_err err;
	uint32_t n, step;

	srand(12);
	/* Start from nothing (the default rule gone). */
	assert_int_equal(vs_flows_del(f->sw, br0(f), NULL, false, &n, &err), 0);
	assert_int_equal(n, 1);
	check(f, &md);
	for (step = 0; step < 3000; step++) {
		unsigned int what = (unsigned int)rand() % 100;
		bool inject = rand() % 8 == 0;

		if (what < 40)
			op_add(f, &md, inject);
		else if (what < 60)
			op_del(f, &md);
		else if (what < 80)
			op_mod(f, &md, inject);
		else if (what < 88)
			op_replace(f, &md, inject);
		else
			op_bundle(f, &md);
		check(f, &md);
		if (step % 100 == 0)
			vs_flows_tick(f->sw);
	}
	assert_true(injected > 100); /* the failures were really hit */
}

/* Parse 'text' for br0 into table 'table', of 'origin'. */
static void
spec(struct harness_sw *f, const char *text, uint8_t table, uint8_t origin, struct vs_flow_spec *s)
{
	parse(f, text, VS_FLOW_PARSE_ADD, s);
	s->table_id = table;
	s->origin = origin;
}

static int
add_one(struct harness_sw *f, const char *text, uint8_t table, uint8_t origin, struct vs_err *err)
{
	struct vs_flow_spec s;

	spec(f, text, table, origin, &s);
	return vs_flows_add(f->sw, br0(f), &s, 1, err);
}

/* Controller rules are never saved, and an operator add into a table of
 * controller rules saves only the operator's; a save that fails refuses
 * the change. */
static void
test_controller_rules_not_saved(void **state)
{
	struct harness_sw *f = *state;
	struct vs_flow_spec s[64];
	struct vs_err err;
	char text[96];
	unsigned int i;

	for (i = 0; i < 64; i++) {
		snprintf(text, sizeof(text), "priority=5,ip,nw_dst=10.1.0.%u,actions=output:p1", i);
		spec(f, text, 0, VS_ORIGIN_CONTROLLER, &s[i]);
	}
	saves = 0;
	assert_int_equal(vs_flows_add(f->sw, br0(f), s, 64, &err), 0);
	assert_int_equal(saves, 0);
	assert_int_equal(add_one(f, "priority=7,ip,actions=output:p2", 0, VS_ORIGIN_OPERATOR, &err),
			 0);
	assert_int_equal(saves, 1);
	assert_int_equal(saved_size, 2); /* the default rule and this one */
	save_fail = 1;
	assert_int_equal(add_one(f, "priority=8,ip,actions=output:p2", 0, VS_ORIGIN_OPERATOR, &err),
			 -EIO);
	save_fail = 0;
	assert_int_equal(br0(f)->flows->n, 66);
	assert_int_equal(br0(f)->flows->n_ops, 2);
	/* Deleting controller rules saves nothing. */
	saves = 0;
	{
		struct vs_flow_spec q;
		uint32_t n;

		parse(f, "priority=5,ip,nw_dst=10.1.0.3", VS_FLOW_PARSE_MATCH, &q);
		assert_int_equal(vs_flows_del(f->sw, br0(f), &q, true, &n, &err), 0);
		assert_int_equal(n, 1);
	}
	assert_int_equal(saves, 0);
}

static void
test_tables_goto_and_overlap(void **state)
{
	struct harness_sw *f = *state;
	struct vs_flow_spec s, q;
	struct vs_err err;
	uint32_t n, rules;
	uint64_t lookups, matched;

	/* A goto_table must go up. */
	spec(f, "priority=5,actions=drop", 3, VS_ORIGIN_CONTROLLER, &s);
	s.actions[0] = (struct vs_action){.type = VS_ACT_GOTO_TABLE, .u8 = 2};
	s.n_actions = 1;
	assert_int_equal(vs_flows_add(f->sw, br0(f), &s, 1, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "higher table"));
	s.actions[0].u8 = 4;
	assert_int_equal(vs_flows_add(f->sw, br0(f), &s, 1, &err), 0);
	spec(f, "priority=5,actions=drop", 255, VS_ORIGIN_CONTROLLER, &s);
	assert_int_equal(vs_flows_add(f->sw, br0(f), &s, 1, &err), -EINVAL);
	/* The same match and priority in two tables: two rules. */
	assert_int_equal(add_one(f, "priority=9,in_port=p0,actions=output:p1", 1,
				 VS_ORIGIN_CONTROLLER, &err),
			 0);
	assert_int_equal(add_one(f, "priority=9,in_port=p0,actions=output:p2", 2,
				 VS_ORIGIN_CONTROLLER, &err),
			 0);
	assert_int_equal(br0(f)->flows->n, 4);
	vs_flows_table_stats(br0(f), 2, &rules, &lookups, &matched);
	assert_int_equal(rules, 1);
	assert_true(vs_flows_table_used(br0(f), 3));
	assert_false(vs_flows_table_used(br0(f), 4));
	/* check_overlap: refused at the same priority in the same table only. */
	spec(f, "priority=9,ip,actions=drop", 1, VS_ORIGIN_CONTROLLER, &s);
	s.flags = VS_FF_CHECK_OVERLAP;
	assert_int_equal(vs_flows_add(f->sw, br0(f), &s, 1, &err), -EEXIST);
	s.table_id = 4;
	assert_int_equal(vs_flows_add(f->sw, br0(f), &s, 1, &err), 0);
	spec(f, "priority=9,in_port=p1,actions=drop", 1, VS_ORIGIN_CONTROLLER, &s);
	s.flags = VS_FF_CHECK_OVERLAP; /* in_port differs: no packet matches both */
	assert_int_equal(vs_flows_add(f->sw, br0(f), &s, 1, &err), 0);
	/* out_port: only the rule of table 1 outputs to p1. */
	parse(f, "in_port=p0", VS_FLOW_PARSE_MATCH, &q);
	q.has_out_port = true;
	q.out_port = 11;
	assert_int_equal(vs_flows_del(f->sw, br0(f), &q, false, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_null(vs_flows_find(br0(f)->flows, 1, &q.match, 9));
}

/* The rule of 'text' (its match and priority) in 'table'. */
static struct vs_rule *
rule_of(struct harness_sw *f, const char *text, uint8_t table, uint16_t priority)
{
	struct vs_flow_spec q;

	parse(f, text, VS_FLOW_PARSE_MATCH, &q);
	return vs_flows_find(br0(f)->flows, table, &q.match, priority);
}

/* output:CONTROLLER carries its rule's table and cookie, and whether the
 * rule is a table-miss one (priority 0, match-all), in the rule and in
 * what the PMDs run, after adds and modifies; and replace-flows still
 * sees such a rule as unchanged. */
static void
test_controller_actions_stamped(void **state)
{
	struct harness_sw *f = *state;
	struct vs_flow_spec s, q;
	struct vs_err err;
	struct vs_rule *r;
	uint32_t n;

	assert_int_equal(add_one(f, "cookie=0x77,priority=0,actions=CONTROLLER:65535", 0,
				 VS_ORIGIN_CONTROLLER, &err),
			 0);
	assert_int_equal(add_one(f, "cookie=0x78,priority=0,ip,actions=CONTROLLER:100", 2,
				 VS_ORIGIN_CONTROLLER, &err),
			 0);
	assert_int_equal(add_one(f, "cookie=0x79,priority=3,actions=CONTROLLER:100", 5,
				 VS_ORIGIN_CONTROLLER, &err),
			 0);
	r = rule_of(f, "priority=0", 0, 0);
	assert_non_null(r);
	assert_int_equal(r->actions[0].u64, 0x77);
	assert_int_equal(r->actions[0].u32, 0);
	assert_true(r->actions[0].flags & VS_AF_TABLE_MISS);
	assert_true(r->e->acts->a[0].flags & VS_AF_TABLE_MISS);
	assert_int_equal(r->e->acts->a[0].u64, 0x77);
	r = rule_of(f, "priority=0,ip", 2, 0);
	assert_non_null(r);
	assert_int_equal(r->actions[0].u32, 2);
	assert_int_equal(r->actions[0].u64, 0x78);
	assert_false(r->actions[0].flags & VS_AF_TABLE_MISS); /* it matches ip only */
	r = rule_of(f, "priority=3", 5, 3);
	assert_non_null(r);
	assert_false(r->actions[0].flags & VS_AF_TABLE_MISS); /* priority 3 */
	/* Unchanged: the same actions as the spec, stamps aside. */
	spec(f, "cookie=0x77,priority=0,actions=CONTROLLER:65535", 0, VS_ORIGIN_CONTROLLER, &s);
	assert_true(vs_flows_same_actions(rule_of(f, "priority=0", 0, 0), &s));
	/* A modify's new actions are stamped too. */
	parse(f, "priority=0,actions=output:p1,CONTROLLER:50", VS_FLOW_PARSE_MOD, &q);
	assert_int_equal(vs_flows_mod(f->sw, br0(f), &q, true, &n, &err), 0);
	assert_int_equal(n, 1);
	r = rule_of(f, "priority=0", 0, 0);
	assert_int_equal(r->actions[1].type, VS_ACT_CONTROLLER);
	assert_int_equal(r->actions[1].u64, 0x77);
	assert_true(r->actions[1].flags & VS_AF_TABLE_MISS);
	assert_true(r->e->acts->a[1].flags & VS_AF_TABLE_MISS);
}

struct removed {
	unsigned int n;
	enum vs_flow_removed_reason why;
	uint16_t priority;
};

static void
on_removed(void *ctx, struct vs_bridge *br, const struct vs_rule *r,
	   enum vs_flow_removed_reason why, uint64_t packets, uint64_t bytes, uint32_t duration)
{
	struct removed *x = ctx;

	x->n++;
	x->why = why;
	x->priority = r->priority;
}

static void
test_removed_hook(void **state)
{
	struct harness_sw *f = *state;
	struct removed x = {0};
	struct vs_flow_spec q;
	struct vs_flow_op op;
	struct vs_err err;
	uint32_t n;

	vs_flows_set_removed_cb(f->sw, on_removed, &x);
	assert_int_equal(add_one(f, "priority=42,ip,actions=drop", 0, VS_ORIGIN_CONTROLLER, &err),
			 0);
	parse(f, "priority=42,ip", VS_FLOW_PARSE_MATCH, &q);
	assert_int_equal(vs_flows_del(f->sw, br0(f), &q, true, &n, &err), 0);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.why, VS_FLOW_REMOVED_DELETE);
	assert_int_equal(x.priority, 42);
	/* A bundle's delete too, once published. */
	assert_int_equal(add_one(f, "priority=43,ip,actions=drop", 0, VS_ORIGIN_CONTROLLER, &err),
			 0);
	parse(f, "priority=43,ip", VS_FLOW_PARSE_MATCH, &q);
	op = (struct vs_flow_op){.kind = VS_FLOW_OP_DEL, .strict = true, .spec = &q};
	assert_int_equal(vs_flows_bundle(f->sw, br0(f), &op, 1, &err), 0);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.priority, 43);
	vs_flows_set_removed_cb(f->sw, NULL, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_random_against_model, harness_setup,
						harness_teardown),
		cmocka_unit_test_setup_teardown(test_controller_rules_not_saved, harness_setup,
						harness_teardown),
		cmocka_unit_test_setup_teardown(test_tables_goto_and_overlap, harness_setup,
						harness_teardown),
		cmocka_unit_test_setup_teardown(test_removed_hook, harness_setup, harness_teardown),
		cmocka_unit_test_setup_teardown(test_controller_actions_stamped, harness_setup,
						harness_teardown),
	};

	harness_eal_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
