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

static int
bridge_of(struct vs_switch *sw, const json_t *params, struct vs_bridge **br, struct vs_err *err)
{
	const char *name = NULL;
	int ret;

	if ((ret = vs_rpc_str(params, "bridge", true, &name, err)) < 0)
		return ret;
	*br = vs_bridge_find(sw, name);
	if (*br == NULL)
		return vs_err_set(err, -ENOENT, "no bridge named %s", name);
	return 0;
}

static int
bool_param(const json_t *params, const char *key, bool *out, struct vs_err *err)
{
	json_t *v = json_object_get(params, key);

	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return vs_err_set(err, -EINVAL, "parameter \"%s\" must be true or false", key);
	*out = json_is_true(v);
	return 0;
}

/* "flows": an array of rule texts, parsed into a new array in *out. */
static int
parse_batch(struct vs_switch *sw, struct vs_bridge *br, const json_t *params,
	    struct vs_flow_spec **out, uint32_t *n, struct vs_err *err)
{
	const json_t *arr = json_object_get(params, "flows"), *e;
	struct vs_flow_spec *specs;
	char prefix[160];
	size_t i;

	if (!json_is_array(arr))
		return vs_err_set(err, -EINVAL,
				  "parameter \"flows\" must be an array of flow rules (strings)");
	if (json_array_size(arr) > VS_FLOWS_MAX)
		return vs_err_set(err, -E2BIG, "%zu rules: a bridge holds at most %u",
				  json_array_size(arr), VS_FLOWS_MAX);
	specs = malloc(sizeof(*specs) * (json_array_size(arr) + 1));
	if (specs == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	json_array_foreach (arr, i, e) {
		const char *text = json_string_value(e);
		int ret;

		if (text == NULL) {
			free(specs);
			vs_err_set(err, -EINVAL, "flow #%zu is not a string", i + 1);
			err->item = (unsigned int)i + 1;
			return -EINVAL;
		}
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
rpc_flow_add(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {"bridge", "flows", NULL};
	struct vs_flow_spec *specs;
	struct vs_bridge *br;
	uint32_t n;
	int ret;

	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0 ||
	    (ret = bridge_of(sw, params, &br, err)) < 0 ||
	    (ret = parse_batch(sw, br, params, &specs, &n, err)) < 0)
		return ret;
	ret = vs_flows_add(sw, br, specs, n, err);
	free(specs);
	if (ret == 0)
		*result = json_pack("{s:i, s:i}", "added", n, "rules", br->flows->n);
	return ret;
}

static int
rpc_flow_replace(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {"bridge", "flows", NULL};
	struct vs_flow_spec *specs;
	struct vs_bridge *br;
	uint32_t n, kept = 0;
	int ret;

	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0 ||
	    (ret = bridge_of(sw, params, &br, err)) < 0 ||
	    (ret = parse_batch(sw, br, params, &specs, &n, err)) < 0)
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

static int
filter_request(struct vs_switch *sw, const json_t *params, struct filter_req *q, struct vs_err *err)
{
	static const char *const keys[] = {"bridge", "match", "strict", NULL};
	const char *text = NULL;
	int ret;

	q->filter = NULL;
	q->strict = false;
	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0 ||
	    (ret = bridge_of(sw, params, &q->br, err)) < 0 ||
	    (ret = vs_rpc_str(params, "match", false, &text, err)) < 0 ||
	    (ret = bool_param(params, "strict", &q->strict, err)) < 0)
		return ret;
	if (text == NULL) {
		if (q->strict)
			return vs_err_set(err, -EINVAL,
					  "strict needs a match (the exact match and priority "
					  "of the rule to act on)");
		return 0;
	}
	ret = vs_flows_parse(sw, q->br, text, VS_FLOW_PARSE_MATCH, &q->spec, err);
	if (ret == 0)
		q->filter = &q->spec;
	return ret;
}

static int
rpc_flow_del(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	struct filter_req q;
	uint32_t n = 0;
	int ret;

	if ((ret = filter_request(sw, params, &q, err)) < 0)
		return ret;
	ret = vs_flows_del(sw, q.br, q.filter, q.strict, &n, err);
	if (ret == 0)
		*result = json_pack("{s:i, s:i}", "deleted", n, "rules", q.br->flows->n);
	return ret;
}

static int
rpc_flow_mod(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {"bridge", "flow", "strict", NULL};
	struct vs_flow_spec spec;
	const char *text = NULL;
	struct vs_bridge *br;
	bool strict = false;
	uint32_t n = 0;
	int ret;

	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0 ||
	    (ret = bridge_of(sw, params, &br, err)) < 0 ||
	    (ret = vs_rpc_str(params, "flow", true, &text, err)) < 0 ||
	    (ret = bool_param(params, "strict", &strict, err)) < 0 ||
	    (ret = vs_flows_parse(sw, br, text, VS_FLOW_PARSE_ADD, &spec, err)) < 0)
		return ret;
	ret = vs_flows_mod(sw, br, &spec, strict, &n, err);
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
	return json_pack("{s:i, s:s, s:s, s:s, s:I, s:I, s:i, s:i, s:i, s:i, s:s}", "priority",
			 r->priority, "cookie", cookie, "match", match, "actions", acts, "packets",
			 (json_int_t)packets, "bytes", (json_int_t)bytes, "duration",
			 now - r->created, "idle_age", now - r->used, "idle_timeout",
			 r->idle_timeout, "hard_timeout", r->hard_timeout, "flow", text);
}

/* Highest priority first, then the order they were added: the order the
 * classifier considers them. */
static int
cmp_rule(const void *a, const void *b)
{
	const struct vs_rule *x = *(const struct vs_rule *const *)a;
	const struct vs_rule *y = *(const struct vs_rule *const *)b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

static int
rpc_flow_dump(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	uint32_t i, n = 0, masks, now = vs_switch_now(sw);
	const struct vs_flow_table *t;
	struct vs_rule **sorted;
	struct filter_req q;
	uint64_t bytes;
	json_t *arr;
	int ret;

	if ((ret = filter_request(sw, params, &q, err)) < 0)
		return ret;
	t = q.br->flows;
	sorted = malloc(sizeof(*sorted) * (t->n + 1));
	if (sorted == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < t->n; i++)
		if (q.filter == NULL || vs_flows_selects(t->rules[i], q.filter, q.strict))
			sorted[n++] = t->rules[i];
	qsort(sorted, n, sizeof(*sorted), cmp_rule);
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

static const struct vs_rpc_method flow_methods[] = {
	{"flow.add", rpc_flow_add, "bridge flows",
	 "add flow rules, all or none (a rule with the same match and priority is replaced)"},
	{"flow.del", rpc_flow_del, "bridge [match] [strict]",
	 "delete the rules a match selects (all without one)"},
	{"flow.mod", rpc_flow_mod, "bridge flow [strict]",
	 "give the rules a match selects new actions, keeping their counters"},
	{"flow.replace", rpc_flow_replace, "bridge flows",
	 "make the table exactly these rules, at once"},
	{"flow.dump", rpc_flow_dump, "bridge [match] [strict]",
	 "rules with their counters, highest priority first"},
};

int
vs_rpc_flow_init(struct vs_rpc *rpc)
{
	return vs_rpc_register(rpc, flow_methods, RTE_DIM(flow_methods));
}
