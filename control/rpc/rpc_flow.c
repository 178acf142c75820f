/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_flow.c: flow.* methods. Rules travel as text in the
 * ovs-ofctl syntax (control/flow/flow_parse.h); a batch is parsed whole before
 * anything changes, and an error names the rule (its position in the batch
 * and its text) and what is wrong with it. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_ctl.h"
#include "flow_table.h"
#include "rpc_methods.h"
#include "switch.h"

/* flow.add's and flow.replace's: "flows", rule texts; flow.mod's: "flow";
 * flow.del's and flow.dump's: "match" (NULL: every rule), "table" (NO_TABLE:
 * every table, unless the match names one) and "out_port" (a port name).
 * flow.add's "origin": "controller" is what the OpenFlow channel's rules
 * are (never saved), for the channel and for benchmarks driving the same
 * path; without it, the operator's (saved before they apply). */
#define NO_TABLE 0xffff
struct flow_args {
	const char *bridge, *flow, *match, *origin, *out_port;
	const json_t *flows;
	uint16_t table;
	bool strict;
};

static int
bridge_of(struct vs_switch *sw, const char *name, struct vs_bridge **br, struct vs_err *err)
{
	*br = vs_bridge_find(sw, name);
	if (*br == NULL)
		return vs_err_set(err, -ENOENT, "no bridge named %s", name);
	return 0;
}

/* "flows": an array of rule texts (strings, at most VS_FLOWS_MAX: the
 * table saw to it), parsed into a new array in *out. */
static int
parse_batch(struct vs_switch *sw, struct vs_bridge *br, const json_t *arr,
	    struct vs_flow_spec **out, uint32_t *n, struct vs_err *err)
{
	struct vs_flow_spec *specs;
	const json_t *e;
	char prefix[160];
	size_t i;

	specs = malloc(sizeof(*specs) * (json_array_size(arr) + 1));
	if (specs == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	json_array_foreach (arr, i, e) {
		const char *text = json_string_value(e);
		int ret;

		ret = vs_flows_parse(sw, br, text, VS_FLOW_PARSE_ADD, &specs[i], err);
		if (ret < 0) {
			free(specs);
			if (json_array_size(arr) > 1) { /* one alone is not in doubt */
				snprintf(prefix, sizeof(prefix), "flow #%zu (%.100s%s): ", i + 1,
					 text, strlen(text) > 100 ? "..." : "");
				vs_err_prefix(err, prefix);
			}
			err->item = (unsigned int)i + 1;
			return ret;
		}
	}
	*out = specs;
	*n = (uint32_t)json_array_size(arr);
	return 0;
}

static int
rpc_flow_add(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	     struct vs_err *err)
{
	const struct flow_args *a = args;
	struct vs_flow_spec *specs;
	struct vs_bridge *br;
	uint32_t n;
	int ret;

	uint8_t origin = VS_ORIGIN_OPERATOR;
	uint32_t i;

	if (a->origin != NULL && strcmp(a->origin, "controller") == 0)
		origin = VS_ORIGIN_CONTROLLER;
	else if (a->origin != NULL && strcmp(a->origin, "operator") != 0)
		return vs_err_set(err, -EINVAL,
				  "origin must be \"operator\" (saved: vswitchctl's rules) or "
				  "\"controller\" (not saved: what the OpenFlow channel installs)");
	if ((ret = bridge_of(sw, a->bridge, &br, err)) < 0 ||
	    (ret = parse_batch(sw, br, a->flows, &specs, &n, err)) < 0)
		return ret;
	for (i = 0; i < n; i++)
		specs[i].origin = origin;
	ret = vs_flows_add(sw, br, specs, n, err);
	free(specs);
	if (ret == 0)
		*result = json_pack("{s:i, s:i}", "added", n, "rules", br->flows->n);
	return ret;
}

static int
rpc_flow_replace(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
		 struct vs_err *err)
{
	const struct flow_args *a = args;
	struct vs_flow_spec *specs;
	struct vs_bridge *br;
	uint32_t n, kept = 0;
	int ret;

	if ((ret = bridge_of(sw, a->bridge, &br, err)) < 0 ||
	    (ret = parse_batch(sw, br, a->flows, &specs, &n, err)) < 0)
		return ret;
	ret = vs_flows_replace(sw, br, specs, n, &kept, err);
	free(specs);
	if (ret == 0)
		*result = json_pack("{s:i, s:i}", "rules", br->flows->n, "kept", kept);
	return ret;
}

/* What del and dump act on: a bridge and the rules an optional "match"
 * (with "strict") selects; 'filter' is NULL without a match (every rule). */
struct filter_req {
	struct vs_bridge *br;
	struct vs_flow_spec spec;
	const struct vs_flow_spec *filter;
	bool strict;
};

/* "table" and "out_port" into a filter. */
static int
filter_extras(struct vs_switch *sw, const struct flow_args *a, const struct vs_bridge *br,
	      struct vs_flow_spec *spec, struct vs_err *err)
{
	const struct vs_port *p;

	if (a->table != NO_TABLE) {
		spec->has_table = true;
		spec->table_id = (uint8_t)a->table;
	}
	if (a->out_port == NULL)
		return 0;
	p = vs_port_find(sw, a->out_port);
	if (p == NULL || p->br != br)
		return vs_err_set(err, -ENOENT, "out_port: bridge %s has no port named %s",
				  br->name, a->out_port);
	spec->has_out_port = true;
	spec->out_port = p->id;
	return 0;
}

static int
filter_request(struct vs_switch *sw, const struct flow_args *a, struct filter_req *q,
	       struct vs_err *err)
{
	const char *text = a->match;
	int ret;

	q->filter = NULL;
	q->strict = a->strict;
	if ((ret = bridge_of(sw, a->bridge, &q->br, err)) < 0)
		return ret;
	if (text == NULL && q->strict)
		return vs_err_set(err, -EINVAL,
				  "strict needs a match (the exact match and priority of the rule "
				  "to act on)");
	if (text == NULL && a->table == NO_TABLE && a->out_port == NULL)
		return 0;
	ret = vs_flows_parse(sw, q->br, text ? text : "", VS_FLOW_PARSE_MATCH, &q->spec, err);
	if (ret < 0)
		return ret;
	q->filter = &q->spec;
	return filter_extras(sw, a, q->br, &q->spec, err);
}

static int
rpc_flow_del(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	     struct vs_err *err)
{
	struct filter_req q;
	uint32_t n = 0;
	int ret;

	if ((ret = filter_request(sw, args, &q, err)) < 0)
		return ret;
	ret = vs_flows_del(sw, q.br, q.filter, q.strict, &n, err);
	if (ret == 0)
		*result = json_pack("{s:i, s:i}", "deleted", n, "rules", q.br->flows->n);
	return ret;
}

static int
rpc_flow_mod(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	     struct vs_err *err)
{
	const struct flow_args *a = args;
	struct vs_flow_spec spec;
	const char *text = a->flow;
	struct vs_bridge *br;
	bool strict = a->strict;
	uint32_t n = 0;
	int ret;

	if ((ret = bridge_of(sw, a->bridge, &br, err)) < 0 ||
	    (ret = vs_flows_parse(sw, br, text, VS_FLOW_PARSE_MOD, &spec, err)) < 0)
		return ret;
	if (a->table != NO_TABLE) {
		spec.has_table = true;
		spec.table_id = (uint8_t)a->table;
	}
	ret = vs_flows_mod(sw, br, &spec, strict, &n, err);
	/* As Open vSwitch does: a modify that selects nothing adds the rule,
	 * unless it selects by cookie (cookie=V/M). */
	if (ret == 0 && n == 0 && !spec.has_cookie) {
		ret = vs_flows_add(sw, br, &spec, 1, err);
		if (ret == 0)
			*result = json_pack("{s:i, s:i, s:i}", "modified", 0, "added", 1, "rules",
					    br->flows->n);
		return ret;
	}
	if (ret == 0)
		*result = json_pack("{s:i}", "modified", n);
	return ret;
}

static json_t *
rule_json(struct vs_switch *sw, const struct vs_bridge *br, const struct vs_rule *r, uint32_t now)
{
	char text[4096], match[2048], acts[2048], cookie[24];
	uint64_t packets, bytes;

	vs_flows_stats(br, r, &packets, &bytes);
	vs_flows_format_parts(sw, br, r, match, sizeof(match), acts, sizeof(acts));
	vs_flows_format_rule(r, match, acts, text, sizeof(text));
	snprintf(cookie, sizeof(cookie), "0x%" PRIx64, r->cookie);
	return json_pack("{s:i, s:i, s:s, s:s, s:s, s:I, s:I, s:i, s:i, s:i, s:i, s:s, s:b}",
			 "table", r->table_id, "priority", r->priority, "cookie", cookie, "match",
			 match, "actions", acts, "packets", (json_int_t)packets, "bytes",
			 (json_int_t)bytes, "duration", now - r->created, "idle_age", now - r->used,
			 "idle_timeout", r->idle_timeout, "hard_timeout", r->hard_timeout, "flow",
			 text, "controller", r->origin == VS_ORIGIN_CONTROLLER);
}

static int
rpc_flow_dump(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	      struct vs_err *err)
{
	uint32_t i, n = 0, masks, now = vs_switch_now(sw);
	const struct vs_flow_table *t;
	struct vs_rule **sorted;
	struct filter_req q;
	uint64_t bytes;
	json_t *arr;
	int ret;

	if ((ret = filter_request(sw, args, &q, err)) < 0)
		return ret;
	t = q.br->flows;
	sorted = malloc(sizeof(*sorted) * (t->n + 1));
	if (sorted == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < t->n; i++)
		if (q.filter == NULL || vs_flows_selects(t->rules[i], q.filter, q.strict))
			sorted[n++] = t->rules[i];
	qsort(sorted, n, sizeof(*sorted), vs_flows_cmp_order);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, rule_json(sw, q.br, sorted[i], now));
	free(sorted);
	vs_flows_size(q.br, &masks, &bytes);
	*result = json_pack("{s:s, s:o, s:O, s:i, s:i, s:I}", "bridge", q.br->name, "flows", arr,
			    "inactive", t->pending, "rules", t->n, "masks", masks, "memory",
			    (json_int_t)bytes);
	return 0;
}

/* flow.tables: the tables in use (table 0 always), with their counters. */
static int
rpc_flow_tables(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
		struct vs_err *err)
{
	const struct flow_args *a = args;
	struct vs_bridge *br;
	json_t *arr;
	unsigned int i;
	int ret;

	if ((ret = bridge_of(sw, a->bridge, &br, err)) < 0)
		return ret;
	arr = json_array();
	for (i = 0; arr != NULL && i < VS_TABLES; i++) {
		uint64_t lookups, matched;
		uint32_t n;

		if (i != 0 && !vs_flows_table_used(br, (uint8_t)i))
			continue;
		vs_flows_table_stats(br, (uint8_t)i, &n, &lookups, &matched);
		json_array_append_new(arr, json_pack("{s:i, s:i, s:I, s:I}", "table", i, "rules", n,
						     "lookups", (json_int_t)lookups, "matched",
						     (json_int_t)matched));
	}
	*result = json_pack("{s:s, s:o}", "bridge", br->name, "tables", arr);
	return *result ? 0 : vs_err_set(err, -ENOMEM, "out of memory");
}

#define BRIDGE_PARAM                                                    \
	{                                                               \
		.name = "bridge", .kind = VS_RPC_STR, .required = true, \
		VS_RPC_AT(struct flow_args, bridge)                     \
	}
#define STRICT_PARAM                                                                       \
	{                                                                                  \
		.name = "strict", .kind = VS_RPC_BOOL, VS_RPC_AT(struct flow_args, strict) \
	}

#define TABLE_PARAM                                                                   \
	{                                                                             \
		.name = "table", .kind = VS_RPC_UINT, .min = 0, .max = VS_TABLES - 1, \
		.dflt = NO_TABLE, VS_RPC_AT(struct flow_args, table)                  \
	}
#define FLOWS_PARAM                                                                             \
	{                                                                                       \
		.name = "flows", .kind = VS_RPC_STRINGS, .required = true, .max = VS_FLOWS_MAX, \
		.what = "flow rule", VS_RPC_AT(struct flow_args, flows)                         \
	}

static const struct vs_rpc_param add_params[] = {
	BRIDGE_PARAM,
	FLOWS_PARAM,
	{.name = "origin", .kind = VS_RPC_STR, VS_RPC_AT(struct flow_args, origin)},
	{0},
};
static const struct vs_rpc_param batch_params[] = {
	BRIDGE_PARAM,
	FLOWS_PARAM,
	{0},
};
static const struct vs_rpc_param filter_params[] = {
	BRIDGE_PARAM,
	{.name = "match", .kind = VS_RPC_STR, VS_RPC_AT(struct flow_args, match)},
	STRICT_PARAM,
	TABLE_PARAM,
	{.name = "out_port", .kind = VS_RPC_STR, VS_RPC_AT(struct flow_args, out_port)},
	{0},
};
static const struct vs_rpc_param mod_params[] = {
	BRIDGE_PARAM,
	{.name = "flow", .kind = VS_RPC_STR, .required = true, VS_RPC_AT(struct flow_args, flow)},
	STRICT_PARAM,
	TABLE_PARAM,
	{0},
};
static const struct vs_rpc_param bridge_params[] = {
	BRIDGE_PARAM,
	{0},
};

static const struct vs_rpc_method flow_methods[] = {
	{.name = "flow.add",
	 .fn = rpc_flow_add,
	 .params = add_params,
	 .args_size = sizeof(struct flow_args),
	 .help = "add flow rules, all or none (a rule with the same match and priority is "
		 "replaced)"},
	{.name = "flow.del",
	 .fn = rpc_flow_del,
	 .params = filter_params,
	 .args_size = sizeof(struct flow_args),
	 .help = "delete the rules a match selects (all without one)"},
	{.name = "flow.mod",
	 .fn = rpc_flow_mod,
	 .params = mod_params,
	 .args_size = sizeof(struct flow_args),
	 .help = "give the rules a match selects new actions, keeping their counters; if it "
		 "selects none (and has no cookie mask), add it, as OVS does"},
	{.name = "flow.replace",
	 .fn = rpc_flow_replace,
	 .params = batch_params,
	 .args_size = sizeof(struct flow_args),
	 .help = "make the table exactly these rules, at once"},
	{.name = "flow.dump",
	 .fn = rpc_flow_dump,
	 .params = filter_params,
	 .args_size = sizeof(struct flow_args),
	 .help = "rules with their counters, by table, highest priority first"},
	{.name = "flow.tables",
	 .fn = rpc_flow_tables,
	 .params = bridge_params,
	 .args_size = sizeof(struct flow_args),
	 .help = "the tables in use (table 0 always): rules, lookups and matches of each"},
};

int
vs_rpc_flow_init(struct vs_rpc *rpc)
{
	return vs_rpc_register(rpc, flow_methods, RTE_DIM(flow_methods));
}
