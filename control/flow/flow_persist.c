/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_persist.c: flow rules as text, and the config file's side of
 * a bridge's flow table: parsing and formatting against the bridge's port
 * names, saving the operator's rules into the config (vs_flows_save, which
 * the table's changes call before they apply), and reporting
 * the "pending" rules that name ports not there yet. It calls nothing of
 * the table (control/flow/flow_table.c): the table hands it the rules. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "flow_table.h"
#include "flow_syntax.h"
#include "flow_table_int.h"
#include "log.h"
#include "persist.h"
#include "switch.h"

struct lookup {
	struct vs_switch *sw;
	const struct vs_bridge *br;
	char num[12]; /* port_name's answer when it is a number */
};

/* A port of the bridge by OpenFlow port number if the text is a number
 * (the text's "in_port=1", "output:2", read first as ovs-ofctl does), else
 * by name. Rules keep port ids. */
static int
port_id(void *ctx, const char *name)
{
	struct lookup *l = ctx;
	const struct vs_port *p;
	unsigned long n;
	char *end;
	unsigned int i;

	n = strtoul(name, &end, 10);
	for (i = 0; name[0] >= '0' && name[0] <= '9' && *end == '\0' && i < VS_MAX_PORTS; i++)
		if (l->sw->ports[i] != NULL && l->sw->ports[i]->br == l->br &&
		    l->sw->ports[i]->ofport != 0 && l->sw->ports[i]->ofport == n)
			return l->sw->ports[i]->id;
	p = vs_port_find(l->sw, name);
	return p != NULL && p->br == l->br ? p->id : -1;
}

/* A port's name, or its OpenFlow number where the name would read back as
 * something else: a reserved port (a port named "flood"), or a number. */
static const char *
port_name(void *ctx, uint16_t id)
{
	static const char *const reserved[] = {"in_port",    "table", "normal", "flood", "all",
					       "controller", "local", "any",    "none"};
	struct lookup *l = ctx;
	const struct vs_port *p = id < VS_MAX_PORTS ? l->sw->ports[id] : NULL;
	unsigned int i;
	bool num = p != NULL && p->name[0] >= '0' && p->name[0] <= '9';

	for (i = 0; p != NULL && !num && i < RTE_DIM(reserved); i++)
		num = strcasecmp(p->name, reserved[i]) == 0;
	if (p == NULL || !num || p->ofport == 0)
		return p != NULL ? p->name : NULL;
	snprintf(l->num, sizeof(l->num), "%u", p->ofport);
	return l->num;
}

int
vs_flows_parse(struct vs_switch *sw, struct vs_bridge *br, const char *text,
	       enum vs_flow_parse_mode mode, struct vs_flow_spec *out, struct vs_err *err)
{
	struct lookup l = {.sw = sw, .br = br};

	return vs_flow_parse(text, mode, port_id, &l, out, err);
}

void
vs_flows_format_parts(struct vs_switch *sw, const struct vs_bridge *br, const struct vs_rule *r,
		      char *match, size_t match_size, char *acts, size_t acts_size)
{
	struct lookup l = {.sw = sw, .br = br};

	vs_flow_format_match(&r->match, port_name, &l, match, match_size);
	vs_flow_format_actions(r->actions, r->n_actions, port_name, &l, acts, acts_size);
}

int
vs_flows_format(struct vs_switch *sw, const struct vs_bridge *br, const struct vs_rule *r,
		char *buf, size_t size)
{
	char match[2048], acts[2048];

	vs_flows_format_parts(sw, br, r, match, sizeof(match), acts, sizeof(acts));
	return vs_flows_format_rule(r, match, acts, buf, size);
}

int
vs_flows_format_rule(const struct vs_rule *r, const char *match, const char *acts, char *buf,
		     size_t size)
{
	const struct vs_flow_flag *fl;
	char extra[160] = "", table[16] = "";
	int n = 0;

	if (r->cookie != 0)
		n += snprintf(extra + n, sizeof(extra) - n, ",cookie=%#" PRIx64, r->cookie);
	if (r->idle_timeout != 0)
		n += snprintf(extra + n, sizeof(extra) - n, ",idle_timeout=%u", r->idle_timeout);
	if (r->hard_timeout != 0)
		n += snprintf(extra + n, sizeof(extra) - n, ",hard_timeout=%u", r->hard_timeout);
	for (fl = vs_flow_flags; fl->name != NULL; fl++)
		if (r->flags & fl->bit)
			n += snprintf(extra + n, sizeof(extra) - n, ",%s", fl->name);
	/* table=N first, as ovs-ofctl prints it; table 0 goes without saying. */
	if (r->table_id != 0)
		snprintf(table, sizeof(table), "table=%u,", r->table_id);
	return snprintf(buf, size, "%spriority=%u%s%s%s,actions=%s", table, r->priority, extra,
			match[0] ? "," : "", match, acts);
}

static int
cmp_seq(const void *a, const void *b)
{
	const struct vs_rule *x = *(const struct vs_rule *const *)a;
	const struct vs_rule *y = *(const struct vs_rule *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Only the operator's rules: a controller installs its own again when it
 * reconnects. In the order they were added, which the file keeps for
 * equal-priority overlapping rules. Rules with a timeout are not saved: a
 * restart would restart their clock, and whoever installs short-lived
 * rules re-installs them. */
json_t *
vs_flows_text(struct vs_switch *sw, const struct vs_bridge *br, struct vs_rule *const *rules,
	      uint32_t n, const json_t *pending)
{
	struct vs_rule **sorted = malloc(sizeof(*sorted) * (n + 1));
	json_t *arr = json_array(), *e;
	uint32_t i, k = 0;
	char buf[4096];
	size_t j;

	if (arr == NULL || sorted == NULL)
		goto fail;
	for (i = 0; i < n; i++)
		if (rules[i]->origin == VS_ORIGIN_OPERATOR && !rules[i]->idle_timeout &&
		    !rules[i]->hard_timeout)
			sorted[k++] = rules[i];
	qsort(sorted, k, sizeof(*sorted), cmp_seq);
	for (i = 0; i < k; i++) {
		vs_flows_format(sw, br, sorted[i], buf, sizeof(buf));
		if (json_array_append_new(arr, json_string(buf)) < 0)
			goto fail;
	}
	json_array_foreach (pending, j, e)
		if (json_array_append(arr, json_object_get(e, "flow")) < 0)
			goto fail;
	free(sorted);
	return arr;
fail:
	free(sorted);
	json_decref(arr);
	return NULL;
}

int
vs_flows_save(struct vs_switch *sw, const struct vs_bridge *br, struct vs_rule *const *rules,
	      uint32_t n, const json_t *pending, struct vs_err *err)
{
	json_t *text = vs_flows_text(sw, br, rules, n, pending);
	int ret;

	if (text == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	ret = vs_persist_flows(sw, br->name, text, err);
	json_decref(text);
	return ret;
}

void
vs_flows_pending_changed(struct vs_switch *sw, struct vs_bridge *br)
{
	json_t *p = br->flows->pending;
	char msg[VS_ERR_MSG_MAX + 96];

	if (json_array_size(p) == 0) {
		vs_persist_set_error(sw, "flows", br->name, NULL);
		return;
	}
	snprintf(msg, sizeof(msg), "%zu rule(s) not installed, e.g. '%s': %s", json_array_size(p),
		 json_string_value(json_object_get(json_array_get(p, 0), "flow")),
		 json_string_value(json_object_get(json_array_get(p, 0), "error")));
	vs_persist_set_error(sw, "flows", br->name, msg);
}
