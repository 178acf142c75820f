/* SPDX-License-Identifier: BSD-3-Clause */
/* control/group/group.c: each bridge's groups, and every change to them, as
 * one new entry array checked whole, compiled into one new version of the
 * PMDs' table (dataplane/group.h), saved, then published.
 *
 * Entries are kept sorted by group id. Counters live in the published
 * version, per PMD; when a version is retired, after the grace period, its
 * counts are folded into the entries that carry on (a modified group is a
 * new entry: its counters start again, as Open vSwitch's do). Deleting a
 * group deletes the flow rules that send to it (OpenFlow 1.3, 6.5),
 * through the flow table's own action, so this folder sits above
 * control/flow/; the flow table asks vs_groups_exist (dataplane/group.h)
 * before it takes a rule with group:N. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>

#include "flow_table.h"
#include "group_ctl.h"
#include "group_int.h"
#include "log.h"
#include "persist.h"
#include "switch.h"

static struct vs_group_table *
table(const struct vs_bridge *br)
{
	return (struct vs_group_table *)br->groups;
}

/* ---- ports by name or OpenFlow number ---- */

static int
port_id(void *ctx, const char *name)
{
	const struct vs_group_lookup *l = ctx;
	const struct vs_port *p = vs_port_find(l->sw, name);
	char *end;
	unsigned long n;
	unsigned int i;

	if (p != NULL)
		return p->br == l->br ? p->id : -1;
	n = strtoul(name, &end, 10);
	if (*name < '0' || *name > '9' || *end != '\0' || n == 0)
		return -1;
	for (i = 0; i < VS_MAX_PORTS; i++) {
		p = l->sw->ports[i];
		if (p != NULL && p->br == l->br && p->ofport == n)
			return p->id;
	}
	return -1;
}

static const char *
port_name(void *ctx, uint16_t id)
{
	const struct vs_group_lookup *l = ctx;

	return id < VS_MAX_PORTS && l->sw->ports[id] != NULL ? l->sw->ports[id]->name : NULL;
}

int
vs_groups_parse(struct vs_switch *sw, struct vs_bridge *br, const char *text,
		enum vs_group_parse_mode mode, struct vs_group_spec *out, struct vs_err *err)
{
	struct vs_group_lookup l = {.sw = sw, .br = br};

	return vs_group_parse(text, mode, port_id, &l, out, err);
}

int
vs_groups_format(struct vs_switch *sw, const struct vs_bridge *br, const struct vs_group_entry *e,
		 char *buf, size_t size)
{
	struct vs_group_lookup l = {.sw = sw, .br = br};

	return vs_group_format(e->id, e->type, e->buckets, e->n_buckets, port_name, &l, buf, size);
}

/* ---- entries ---- */

/* The position of 'id' in 'e' (sorted), or where it would go. */
static uint32_t
find_pos(struct vs_group_entry *const *e, uint32_t n, uint32_t id)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (e[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct vs_group_entry *
find(struct vs_group_entry *const *e, uint32_t n, uint32_t id)
{
	uint32_t i = find_pos(e, n, id);

	return i < n && e[i]->id == id ? e[i] : NULL;
}

static struct vs_group_entry *
entry_new(const struct vs_group_spec *s, uint32_t now)
{
	struct vs_group_entry *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return NULL;
	e->buckets = malloc(sizeof(e->buckets[0]) * (s->n_buckets ? s->n_buckets : 1));
	if (e->buckets == NULL) {
		free(e);
		return NULL;
	}
	e->id = s->id;
	e->type = s->type;
	e->origin = s->origin;
	e->n_buckets = s->n_buckets;
	e->created = now;
	memcpy(e->buckets, s->buckets, sizeof(e->buckets[0]) * s->n_buckets);
	return e;
}

static void
entry_free(struct vs_group_entry *e)
{
	if (e != NULL)
		free(e->buckets);
	free(e);
}

/* ---- publishing ---- */

static int
build(struct vs_switch *sw, struct vs_group_entry *const *e, uint32_t n, struct vs_group_set **out,
      struct vs_err *err)
{
	struct vs_group_def *defs = malloc(sizeof(*defs) * (n + 1));
	struct vs_bucket_def *bd;
	uint32_t i, nb = 0, k = 0;
	uint16_t j;
	int ret;

	for (i = 0; i < n; i++)
		nb += e[i]->n_buckets;
	bd = malloc(sizeof(*bd) * (nb + 1));
	if (defs == NULL || bd == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		defs[i] = (struct vs_group_def){.id = e[i]->id,
						.type = e[i]->type,
						.n_buckets = e[i]->n_buckets,
						.buckets = &bd[k]};
		for (j = 0; j < e[i]->n_buckets; j++) {
			const struct vs_bucket_spec *b = &e[i]->buckets[j];

			bd[k++] = (struct vs_bucket_def){.actions = b->actions,
							 .n_actions = b->n_actions,
							 .watch_port = b->watch_port,
							 .weight = b->weight,
							 .watch_group = b->watch_group};
		}
	}
	ret = vs_group_set_build(defs, n, vs_pmd_slots(sw), SOCKET_ID_ANY, out);
out:
	free(defs);
	free(bd);
	if (ret < 0)
		return vs_err_set(err, ret, "out of memory compiling the group table");
	return 0;
}

/* What 'old' counted for the entries carried into 'ne', kept in them. */
static void
fold(const struct vs_group_set *old, struct vs_group_entry *const *oe, uint32_t on,
     struct vs_group_entry *const *ne, uint32_t nn)
{
	uint64_t pk, by;
	uint32_t i;
	int b;

	for (i = 0; i < nn; i++) {
		const struct vs_group *g;

		if (find(oe, on, ne[i]->id) != ne[i] || (g = vs_group_find(old, ne[i]->id)) == NULL)
			continue;
		for (b = -1; b < (int)ne[i]->n_buckets; b++) {
			vs_group_stats(old, g, b, &pk, &by);
			ne[i]->ctr[b + 1].packets += pk;
			ne[i]->ctr[b + 1].bytes += by;
		}
	}
}

/* The table becomes 'ne' (a new array, stolen), checked and saved first
 * if 'save'. On failure nothing changed; the new entries that were not in
 * the old table are freed. */
static int
commit(struct vs_switch *sw, struct vs_bridge *br, struct vs_group_entry **ne, uint32_t nn,
       bool save, struct vs_err *err)
{
	struct vs_group_table *t = table(br);
	struct vs_group_set *s = NULL, *old;
	uint32_t i;
	int ret;

	ret = vs_groups_check(ne, nn, err);
	if (ret == 0)
		ret = build(sw, ne, nn, &s, err);
	if (ret == 0 && save && (ret = vs_groups_save(sw, br, ne, nn, t->waiting, err)) < 0)
		vs_group_set_free(s);
	if (ret < 0) {
		for (i = 0; i < nn; i++)
			if (find(t->e, t->n, ne[i]->id) != ne[i])
				entry_free(ne[i]);
		free(ne);
		return ret;
	}
	vs_groups_refresh_links(sw, br);
	old = t->dp.set;
	vs_rcu_assign((void **)&t->dp.set, s);
	vs_switch_sync(sw);
	fold(old, t->e, t->n, ne, nn);
	vs_group_set_free(old);
	for (i = 0; i < t->n; i++)
		if (find(ne, nn, t->e[i]->id) != t->e[i])
			entry_free(t->e[i]);
	free(t->e);
	t->e = ne;
	t->n = nn;
	return 0;
}

/* A copy of the table's array with room for one more. */
static struct vs_group_entry **
copy_entries(const struct vs_group_table *t, struct vs_err *err)
{
	struct vs_group_entry **ne = malloc(sizeof(*ne) * (t->n + 1));

	if (ne == NULL)
		vs_err_set(err, -ENOMEM, "out of memory");
	else if (t->n > 0) /* an empty table may have no array at all */
		memcpy(ne, t->e, sizeof(*ne) * t->n);
	return ne;
}

/* ---- the actions ---- */

int
vs_groups_init(struct vs_switch *sw, struct vs_bridge *br, struct vs_err *err)
{
	struct vs_group_table *t;

	t = rte_zmalloc("vs_group_table", sizeof(*t), RTE_CACHE_LINE_SIZE);
	if (t == NULL || (t->waiting = json_array()) == NULL) {
		rte_free(t);
		return vs_err_set(err, -ENOMEM, "out of memory");
	}
	br->groups = &t->dp;
	vs_groups_refresh_links(sw, br);
	return 0;
}

void
vs_groups_fini(struct vs_switch *sw, struct vs_bridge *br)
{
	struct vs_group_table *t = table(br);
	uint32_t i;

	if (t == NULL)
		return;
	br->groups = NULL; /* PMDs of the bridge have no port left by now */
	vs_switch_sync(sw);
	vs_group_set_free(t->dp.set);
	for (i = 0; i < t->n; i++)
		entry_free(t->e[i]);
	free(t->e);
	json_decref(t->waiting);
	rte_free(t);
}

static int
check_spec(const struct vs_group_spec *s, struct vs_err *err)
{
	if (s->id > VS_GROUP_ID_MAX)
		return vs_err_set(err, -EINVAL, "group id %u is reserved (the highest is %u)",
				  s->id, VS_GROUP_ID_MAX);
	if (s->type > VS_GROUP_FF)
		return vs_err_set(err, -EINVAL, "unknown group type %u", s->type);
	if (s->n_buckets > VS_GROUP_BUCKETS_MAX)
		return vs_err_set(err, -ENOSPC, "a group has at most %d buckets",
				  VS_GROUP_BUCKETS_MAX);
	return 0;
}

/* Add or replace (mod) group 'spec' as a new entry. */
static int
put(struct vs_switch *sw, struct vs_bridge *br, const struct vs_group_spec *spec, bool mod,
    struct vs_err *err)
{
	struct vs_group_table *t = table(br);
	struct vs_group_entry **ne, *e;
	uint32_t pos;
	int ret;

	if ((ret = check_spec(spec, err)) < 0)
		return ret;
	pos = find_pos(t->e, t->n, spec->id);
	if (!mod && pos < t->n && t->e[pos]->id == spec->id)
		return vs_err_set(err, -EEXIST,
				  "bridge %s has a group %u already (mod-group changes it)",
				  br->name, spec->id);
	if (mod && !(pos < t->n && t->e[pos]->id == spec->id))
		return vs_err_set(err, -ENOENT, "bridge %s has no group %u (add-group makes it)",
				  br->name, spec->id);
	if (!mod && t->n >= VS_GROUPS_MAX)
		return vs_err_set(err, -ENOSPC, "a bridge holds at most %d groups", VS_GROUPS_MAX);
	if ((ne = copy_entries(t, err)) == NULL)
		return -ENOMEM;
	if ((e = entry_new(spec, vs_switch_now(sw))) == NULL) {
		free(ne);
		return vs_err_set(err, -ENOMEM, "out of memory");
	}
	if (!mod) {
		memmove(&ne[pos + 1], &ne[pos], sizeof(*ne) * (t->n - pos));
		ne[pos] = e;
	} else {
		ne[pos] = e;
	}
	return commit(sw, br, ne, t->n + !mod, true, err);
}

int
vs_groups_add(struct vs_switch *sw, struct vs_bridge *br, const struct vs_group_spec *spec,
	      struct vs_err *err)
{
	return put(sw, br, spec, false, err);
}

int
vs_groups_mod(struct vs_switch *sw, struct vs_bridge *br, const struct vs_group_spec *spec,
	      struct vs_err *err)
{
	return put(sw, br, spec, true, err);
}

/* Delete the flow rules that send to group 'id'. */
static int
del_rules(struct vs_switch *sw, struct vs_bridge *br, uint32_t id, struct vs_err *err)
{
	struct vs_flow_spec *f;
	uint32_t n = 0;
	int ret;

	if (vs_groups_rules_using(br, id) == 0)
		return 0;
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	f->has_out_group = true;
	f->out_group = id;
	ret = vs_flows_del_why(sw, br, f, false, VS_FLOW_REMOVED_GROUP_DELETE, &n, err);
	free(f);
	if (ret == 0 && n > 0)
		VS_LOG(INFO, "bridge %s: %u flow rule(s) sending to group %u deleted with it",
		       br->name, n, id);
	return ret;
}

int
vs_groups_del(struct vs_switch *sw, struct vs_bridge *br, uint32_t id, uint32_t *n_deleted,
	      struct vs_err *err)
{
	struct vs_group_table *t = table(br);
	struct vs_group_entry **ne;
	uint32_t i, k = 0, user;
	int ret;

	*n_deleted = 0;
	if (id != VS_GROUP_ALL_IDS) {
		if (find(t->e, t->n, id) == NULL)
			return 0; /* OpenFlow: deleting a group that is not there is fine */
		user = vs_groups_chained_from(t->e, t->n, id);
		if (user != VS_GROUP_ANY)
			return vs_err_set(err, -EBUSY,
					  "group %u is used by a bucket of group %u; change or "
					  "delete group %u first",
					  id, user, user);
	}
	/* The rules first: if that fails, nothing else changes. */
	for (i = 0; i < t->n; i++)
		if ((id == VS_GROUP_ALL_IDS || t->e[i]->id == id) &&
		    (ret = del_rules(sw, br, t->e[i]->id, err)) < 0)
			return ret;
	if ((ne = copy_entries(t, err)) == NULL)
		return -ENOMEM;
	for (i = 0; i < t->n; i++)
		if (id != VS_GROUP_ALL_IDS && t->e[i]->id != id)
			ne[k++] = t->e[i];
	*n_deleted = t->n - k;
	if (*n_deleted == 0) {
		free(ne);
		return 0;
	}
	ret = commit(sw, br, ne, k, true, err);
	if (ret < 0)
		*n_deleted = 0;
	return ret;
}

/* ---- what nobody asked for ---- */

static bool
names_port(const struct vs_group_entry *e, uint16_t port)
{
	uint16_t j;

	for (j = 0; j < e->n_buckets; j++)
		if (vs_group_bucket_names_port(&e->buckets[j], port))
			return true;
	return false;
}

/* 'e' as a new entry without the buckets that name 'port'. */
static struct vs_group_entry *
entry_without_port(const struct vs_group_entry *e, uint16_t port, uint32_t now)
{
	static struct vs_group_spec s; /* control thread only; too big for the stack */
	uint16_t j;

	s.id = e->id;
	s.type = e->type;
	s.origin = e->origin;
	s.n_buckets = 0;
	for (j = 0; j < e->n_buckets; j++)
		if (!vs_group_bucket_names_port(&e->buckets[j], port))
			s.buckets[s.n_buckets++] = e->buckets[j];
	return entry_new(&s, now);
}

void
vs_groups_port_removed(struct vs_switch *sw, struct vs_bridge *br, uint16_t port_id)
{
	struct vs_group_table *t = table(br);
	struct vs_group_entry **ne;
	struct vs_err err = {0};
	uint32_t i, changed = 0;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		changed += names_port(t->e[i], port_id);
	if (changed == 0)
		return;
	if ((ne = copy_entries(t, &err)) == NULL)
		goto fail;
	for (i = 0; i < t->n; i++) {
		if (!names_port(t->e[i], port_id))
			continue;
		ne[i] = entry_without_port(t->e[i], port_id, vs_switch_now(sw));
		if (ne[i] == NULL) {
			while (i-- > 0)
				if (ne[i] != t->e[i])
					entry_free(ne[i]);
			free(ne);
			vs_err_set(&err, -ENOMEM, "out of memory");
			goto fail;
		}
	}
	/* Fewer buckets cannot break a sound table: the check passes. */
	if (commit(sw, br, ne, t->n, false, &err) < 0)
		goto fail;
	VS_LOG(INFO, "bridge %s: %u group(s) lost the buckets naming the removed port", br->name,
	       changed);
	return;
fail:
	/* Its id stays out of the dataplane's reach: the port is gone from
	 * dp.ports, so a bucket's output to it is dropped until the id is
	 * reused. Say it loudly; this only happens out of memory. */
	VS_LOG(ERR, "bridge %s: cannot drop the group buckets naming a removed port: %s", br->name,
	       err.msg);
}

json_t *
vs_groups_text_without_port(struct vs_switch *sw, struct vs_bridge *br, uint16_t port_id)
{
	struct vs_group_table *t = table(br);

	return vs_groups_texts(sw, br, t->e, t->n, t->waiting, port_id);
}

/* ---- reading ---- */

uint32_t
vs_groups_count(const struct vs_bridge *br)
{
	return table(br) != NULL ? table(br)->n : 0;
}

const struct vs_group_entry *
vs_groups_at(const struct vs_bridge *br, uint32_t i)
{
	return i < vs_groups_count(br) ? table(br)->e[i] : NULL;
}

const struct vs_group_entry *
vs_groups_get(const struct vs_bridge *br, uint32_t id)
{
	return table(br) != NULL ? find(table(br)->e, table(br)->n, id) : NULL;
}

void
vs_groups_stats(const struct vs_bridge *br, const struct vs_group_entry *e, int bucket,
		uint64_t *packets, uint64_t *bytes)
{
	const struct vs_group_set *s = table(br)->dp.set;
	const struct vs_group *g = vs_group_find(s, e->id);

	*packets = *bytes = 0;
	if (g != NULL)
		vs_group_stats(s, g, bucket, packets, bytes);
	*packets += e->ctr[bucket + 1].packets;
	*bytes += e->ctr[bucket + 1].bytes;
}

uint32_t
vs_groups_rules_using(const struct vs_bridge *br, uint32_t id)
{
	const struct vs_flow_table *ft = br->flows;
	uint32_t i, n = 0;
	uint16_t j;

	for (i = 0; ft != NULL && i < ft->n; i++)
		for (j = 0; j < ft->rules[i]->n_actions; j++)
			if (ft->rules[i]->actions[j].type == VS_ACT_GROUP &&
			    ft->rules[i]->actions[j].u32 == id) {
				n++;
				break;
			}
	return n;
}

const json_t *
vs_groups_waiting(const struct vs_bridge *br)
{
	return table(br) != NULL ? table(br)->waiting : NULL;
}

/* ---- the config file's groups ---- */

int
vs_groups_load(struct vs_switch *sw, struct vs_bridge *br, const json_t *texts, struct vs_err *err)
{
	struct vs_group_table *t = table(br);
	struct vs_group_spec *spec = malloc(sizeof(*spec));
	struct vs_group_entry **ne = NULL, *e;
	struct vs_err perr;
	uint32_t n = 0, pos;
	const json_t *x;
	size_t i;

	if (!json_is_array(texts)) {
		free(spec);
		return vs_err_set(err, -EINVAL, "\"groups\" must be an array of group texts");
	}
	ne = malloc(sizeof(*ne) * (json_array_size(texts) + 1));
	if (spec == NULL || ne == NULL) {
		free(spec);
		free(ne);
		return vs_err_set(err, -ENOMEM, "out of memory");
	}
	json_array_foreach (texts, i, x) {
		const char *text = json_string_value(x);

		if (text == NULL ||
		    vs_groups_parse(sw, br, text, VS_GROUP_PARSE_ADD, spec, &perr) < 0 ||
		    find(ne, n, spec->id) != NULL ||
		    (e = entry_new(spec, vs_switch_now(sw))) == NULL) {
			if (text == NULL || find(ne, n, spec->id) != NULL)
				vs_err_set(&perr, -EINVAL, "not a group text, or its id twice");
			VS_LOG(WARNING, "config: bridge %s: group '%s' waits: %s", br->name,
			       text ? text : "?", perr.msg);
			json_array_append_new(t->waiting,
					      json_pack("{s:s, s:s}", "group", text ? text : "",
							"error", perr.msg));
			continue;
		}
		pos = find_pos(ne, n, e->id);
		memmove(&ne[pos + 1], &ne[pos], sizeof(*ne) * (n - pos));
		ne[pos] = e;
		n++;
	}
	free(spec);
	return commit(sw, br, ne, n, false, err);
}
