/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_group.c: group.* methods. Groups travel as text in
 * ovs-ofctl's group syntax (control/group/group_ctl.h); each method parses
 * and calls the one action (vs_groups_add, _mod, _del), which checks,
 * saves and publishes. */
#include <errno.h>
#include <stdlib.h>

#include "bridge_ctl.h"
#include "group_ctl.h"
#include "rpc_methods.h"
#include "switch.h"

struct group_args {
	const char *bridge, *group;
};

/* The bridge, and 'text' parsed in 'mode' into a new spec. */
static int
request(struct vs_switch *sw, const struct group_args *a, enum vs_group_parse_mode mode,
	struct vs_bridge **br, struct vs_group_spec **spec, struct vs_err *err)
{
	int ret;

	*br = vs_bridge_find(sw, a->bridge);
	if (*br == NULL)
		return vs_err_set(err, -ENOENT, "no bridge named %s", a->bridge);
	*spec = malloc(sizeof(**spec));
	if (*spec == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	ret = vs_groups_parse(sw, *br, a->group ? a->group : "", mode, *spec, err);
	if (ret < 0) {
		free(*spec);
		*spec = NULL;
	}
	return ret;
}

static int
change(struct vs_switch *sw, const void *args, json_t **result, struct vs_err *err, bool mod)
{
	struct vs_group_spec *spec;
	struct vs_bridge *br;
	int ret;

	if ((ret = request(sw, args, VS_GROUP_PARSE_ADD, &br, &spec, err)) < 0)
		return ret;
	spec->origin = VS_ORIGIN_OPERATOR;
	ret = mod ? vs_groups_mod(sw, br, spec, err) : vs_groups_add(sw, br, spec, err);
	free(spec);
	if (ret == 0)
		*result = json_pack("{s:i}", "groups", vs_groups_count(br));
	return ret;
}

static int
rpc_group_add(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	      struct vs_err *err)
{
	return change(sw, args, result, err, false);
}

static int
rpc_group_mod(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	      struct vs_err *err)
{
	return change(sw, args, result, err, true);
}

static int
rpc_group_del(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	      struct vs_err *err)
{
	struct vs_group_spec *spec;
	struct vs_bridge *br;
	uint32_t n = 0;
	int ret;

	if ((ret = request(sw, args, VS_GROUP_PARSE_MATCH, &br, &spec, err)) < 0)
		return ret;
	ret = vs_groups_del(sw, br, spec->id, &n, err);
	free(spec);
	if (ret == 0)
		*result = json_pack("{s:i, s:i}", "deleted", n, "groups", vs_groups_count(br));
	return ret;
}

static json_t *
bucket_json(struct vs_switch *sw, const struct vs_bridge *br, const struct vs_group_entry *e, int b,
	    bool stats)
{
	uint64_t packets, bytes;

	vs_groups_stats(br, e, b, &packets, &bytes);
	if (stats)
		return json_pack("{s:I, s:I}", "packets", (json_int_t)packets, "bytes",
				 (json_int_t)bytes);
	(void)sw;
	return json_pack(
		"{s:i, s:i, s:i}", "weight", e->buckets[b].weight, "watch_port",
		e->buckets[b].watch_port == VS_PORT_NONE ? -1 : e->buckets[b].watch_port,
		"watch_group",
		e->buckets[b].watch_group == VS_GROUP_ANY ? -1 : (int)e->buckets[b].watch_group);
}

static json_t *
group_json(struct vs_switch *sw, const struct vs_bridge *br, const struct vs_group_entry *e,
	   bool stats)
{
	static char text[1 << 17];
	uint64_t packets, bytes;
	json_t *buckets = json_array(), *o;
	int b;

	for (b = 0; b < e->n_buckets; b++)
		json_array_append_new(buckets, bucket_json(sw, br, e, b, stats));
	if (stats) {
		vs_groups_stats(br, e, -1, &packets, &bytes);
		return json_pack("{s:I, s:I, s:I, s:i, s:i, s:o}", "group_id", (json_int_t)e->id,
				 "packets", (json_int_t)packets, "bytes", (json_int_t)bytes,
				 "duration", vs_switch_now(sw) - e->created, "ref_count",
				 vs_groups_rules_using(br, e->id), "buckets", buckets);
	}
	vs_groups_format(sw, br, e, text, sizeof(text));
	o = json_pack("{s:I, s:s, s:s, s:s, s:o}", "group_id", (json_int_t)e->id, "type",
		      vs_group_type_name(e->type), "origin",
		      e->origin == VS_ORIGIN_OPERATOR ? "operator" : "controller", "group", text,
		      "buckets", buckets);
	return o;
}

static int
dump(struct vs_switch *sw, const void *args, json_t **result, struct vs_err *err, bool stats)
{
	const struct vs_group_entry *e;
	struct vs_group_spec *spec;
	struct vs_bridge *br;
	json_t *arr;
	uint32_t i;
	int ret;

	if ((ret = request(sw, args, VS_GROUP_PARSE_MATCH, &br, &spec, err)) < 0)
		return ret;
	arr = json_array();
	for (i = 0; (e = vs_groups_at(br, i)) != NULL; i++)
		if (spec->id == VS_GROUP_ALL_IDS || spec->id == e->id)
			json_array_append_new(arr, group_json(sw, br, e, stats));
	free(spec);
	*result = json_pack("{s:s, s:o, s:O}", "bridge", br->name, "groups", arr, "waiting",
			    vs_groups_waiting(br));
	return 0;
}

static int
rpc_group_dump(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	       struct vs_err *err)
{
	return dump(sw, args, result, err, false);
}

static int
rpc_group_stats(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
		struct vs_err *err)
{
	return dump(sw, args, result, err, true);
}

static const struct vs_rpc_param change_params[] = {
	{.name = "bridge",
	 .kind = VS_RPC_STR,
	 .required = true,
	 VS_RPC_AT(struct group_args, bridge)},
	{.name = "group",
	 .kind = VS_RPC_STR,
	 .required = true,
	 .hint = "give the group, like group_id=1,type=all,bucket=output:p1",
	 VS_RPC_AT(struct group_args, group)},
	{0},
};
static const struct vs_rpc_param filter_params[] = {
	{.name = "bridge",
	 .kind = VS_RPC_STR,
	 .required = true,
	 VS_RPC_AT(struct group_args, bridge)},
	{.name = "group", .kind = VS_RPC_STR, VS_RPC_AT(struct group_args, group)},
	{0},
};

static const struct vs_rpc_method group_methods[] = {
	{.name = "group.add",
	 .fn = rpc_group_add,
	 .params = change_params,
	 .args_size = sizeof(struct group_args),
	 .help = "add a group (ovs-ofctl syntax: group_id=N,type=T,bucket=...)"},
	{.name = "group.mod",
	 .fn = rpc_group_mod,
	 .params = change_params,
	 .args_size = sizeof(struct group_args),
	 .help = "give a group a new type and buckets (its counters start again)"},
	{.name = "group.del",
	 .fn = rpc_group_del,
	 .params = filter_params,
	 .args_size = sizeof(struct group_args),
	 .help = "delete a group (group_id=N) or all, and the flow rules that send to it"},
	{.name = "group.dump",
	 .fn = rpc_group_dump,
	 .params = filter_params,
	 .args_size = sizeof(struct group_args),
	 .help = "groups and their buckets"},
	{.name = "group.stats",
	 .fn = rpc_group_stats,
	 .params = filter_params,
	 .args_size = sizeof(struct group_args),
	 .help = "packets and bytes of each group and bucket"},
};

int
vs_rpc_group_init(struct vs_rpc *rpc)
{
	return vs_rpc_register(rpc, group_methods, RTE_DIM(group_methods));
}
