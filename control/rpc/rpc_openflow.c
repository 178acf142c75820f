/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_openflow.c: controller.* and bridge.set: a bridge's
 * OpenFlow controllers (set, del, list) and its OpenFlow settings
 * (fail-mode, datapath-id, controller-rate-limit, controller-burst-limit),
 * decoded here and done by the actions of control/openflow/controller.h,
 * which save them. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_ctl.h"
#include "controller.h"
#include "rpc_methods.h"
#include "switch.h"

struct ctl_args {
	const char *bridge;
	const json_t *targets;
};

struct set_args {
	const char *name;
	struct vs_kv kv[VS_OPTS_MAX];
	unsigned int n_kv;
};

static int
find(struct vs_switch *sw, const char *name, struct vs_bridge **br, struct vs_err *err)
{
	*br = vs_bridge_find(sw, name);
	return *br ? 0 : vs_err_set(err, -ENOENT, "no bridge named %s", name);
}

static int
rpc_controller_set(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
		   struct vs_err *err)
{
	const struct ctl_args *a = args;
	const char *texts[VS_OF_TARGETS_MAX];
	struct vs_bridge *br;
	size_t i;
	json_t *v;
	int ret;

	if ((ret = find(sw, a->bridge, &br, err)) < 0)
		return ret;
	if (json_array_size(a->targets) > VS_OF_TARGETS_MAX)
		return vs_err_set(err, -E2BIG, "a bridge has at most %u controllers",
				  VS_OF_TARGETS_MAX);
	json_array_foreach ((json_t *)a->targets, i, v)
		texts[i] = json_string_value(v);
	return vs_of_set_controllers(sw, br, texts, (unsigned int)json_array_size(a->targets), err);
}

static int
rpc_controller_del(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
		   struct vs_err *err)
{
	struct vs_bridge *br;
	int ret;

	if ((ret = find(sw, ((const struct ctl_args *)args)->bridge, &br, err)) < 0)
		return ret;
	return vs_of_del_controllers(sw, br, err);
}

static int
rpc_controller_list(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
		    struct vs_err *err)
{
	struct vs_bridge *br;
	int ret;

	if ((ret = find(sw, ((const struct ctl_args *)args)->bridge, &br, err)) < 0)
		return ret;
	*result = vs_of_bridge_json(sw, br);
	return 0;
}

static int
parse_u32(const struct vs_kv *kv, uint32_t *out, struct vs_err *err)
{
	char *end;
	unsigned long v = strtoul(kv->val, &end, 10);

	if (kv->val[0] == '\0' || *end != '\0' || v < VS_OF_RATE_MIN || v > VS_OF_RATE_MAX)
		return vs_err_set(err, -EINVAL, "%s=%s: give a number from %u to %u", kv->key,
				  kv->val, VS_OF_RATE_MIN, VS_OF_RATE_MAX);
	*out = (uint32_t)v;
	return 0;
}

static int
parse_dpid(const struct vs_kv *kv, uint64_t *out, struct vs_err *err)
{
	const char *p = kv->val;
	char *end;

	if (strncmp(p, "0x", 2) == 0)
		p += 2;
	*out = strtoull(p, &end, 16);
	if (*p == '\0' || *end != '\0' || strlen(p) > 16)
		return vs_err_set(
			err, -EINVAL,
			"datapath-id=%s: give up to 16 hex digits (e.g. 0000aabbccddeeff); "
			"datapath-id= goes back to the one derived from the bridge",
			kv->val);
	return 0;
}

static int
one_kv(const struct vs_kv *kv, struct vs_of_bridge_conf *c, struct vs_err *err)
{
	if (strcmp(kv->key, "fail-mode") == 0 || strcmp(kv->key, "fail_mode") == 0) {
		c->has_fail_mode = true;
		return vs_of_fail_mode_parse(kv->val, &c->fail_mode, err);
	}
	if (strcmp(kv->key, "datapath-id") == 0 || strcmp(kv->key, "datapath_id") == 0) {
		c->has_dpid = true;
		if (kv->val[0] == '\0') {
			c->dpid = 0;
			return 0;
		}
		return parse_dpid(kv, &c->dpid, err);
	}
	if (strcmp(kv->key, "controller-rate-limit") == 0) {
		c->has_rate = true;
		return parse_u32(kv, &c->rate, err);
	}
	if (strcmp(kv->key, "controller-burst-limit") == 0) {
		c->has_burst = true;
		return parse_u32(kv, &c->burst, err);
	}
	return vs_err_set(
		err, -EINVAL,
		"unknown bridge setting '%s': the settings are fail-mode=standalone|secure, "
		"datapath-id=HEX, controller-rate-limit=N (packet-ins per second), "
		"controller-burst-limit=N",
		kv->key);
}

static int
rpc_bridge_set(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	       struct vs_err *err)
{
	const struct set_args *a = args;
	struct vs_of_bridge_conf c = {0};
	struct vs_bridge *br;
	unsigned int i;
	int ret;

	if ((ret = find(sw, a->name, &br, err)) < 0)
		return ret;
	for (i = 0; i < a->n_kv; i++)
		if ((ret = one_kv(&a->kv[i], &c, err)) < 0)
			return ret;
	return vs_of_bridge_set(sw, br, &c, err);
}

static const struct vs_rpc_param ctl_set_params[] = {
	{.name = "bridge",
	 .kind = VS_RPC_STR,
	 .required = true,
	 VS_RPC_AT(struct ctl_args, bridge)},
	{.name = "targets",
	 .kind = VS_RPC_STRINGS,
	 .required = true,
	 .max = VS_OF_TARGETS_MAX,
	 .what = "controller target",
	 VS_RPC_AT(struct ctl_args, targets)},
	{0},
};
static const struct vs_rpc_param ctl_bridge_params[] = {
	{.name = "bridge",
	 .kind = VS_RPC_STR,
	 .required = true,
	 VS_RPC_AT(struct ctl_args, bridge)},
	{0},
};
static const struct vs_rpc_param bridge_set_params[] = {
	{.name = "name", .kind = VS_RPC_STR, .required = true, VS_RPC_AT(struct set_args, name)},
	{.name = "options",
	 .kind = VS_RPC_KV,
	 .required = true,
	 .min = 1,
	 .max = VS_OPTS_MAX,
	 .what = "setting",
	 .hint = "give the settings to change, e.g. fail-mode=secure or datapath-id=0000000000000001",
	 VS_RPC_KV_AT(struct set_args, kv, n_kv)},
	{0},
};

static const struct vs_rpc_method methods[] = {
	{.name = "controller.set",
	 .fn = rpc_controller_set,
	 .params = ctl_set_params,
	 .args_size = sizeof(struct ctl_args),
	 .help = "make a bridge's OpenFlow controllers exactly these targets: tcp:IP[:PORT] (the "
		 "switch connects) or ptcp:[PORT][:IP] (it listens)"},
	{.name = "controller.del",
	 .fn = rpc_controller_del,
	 .params = ctl_bridge_params,
	 .args_size = sizeof(struct ctl_args),
	 .help = "remove every OpenFlow controller of a bridge"},
	{.name = "controller.list",
	 .fn = rpc_controller_list,
	 .params = ctl_bridge_params,
	 .args_size = sizeof(struct ctl_args),
	 .help = "a bridge's controllers, their state, role and messages; fail mode, datapath id"},
	{.name = "bridge.set",
	 .fn = rpc_bridge_set,
	 .params = bridge_set_params,
	 .args_size = sizeof(struct set_args),
	 .help = "change a bridge's OpenFlow settings: fail-mode, datapath-id, "
		 "controller-rate-limit, controller-burst-limit"},
};

int
vs_rpc_openflow_init(struct vs_rpc *rpc)
{
	return vs_rpc_register(rpc, methods, RTE_DIM(methods));
}
