/* SPDX-License-Identifier: BSD-3-Clause */
/* control/config_apply.c: create the bridges and ports of the config file
 * at start, through the same methods vswitchctl calls. A bridge or port that
 * fails is logged and skipped: the daemon still comes up with the rest, so
 * one missing NIC does not take every guest's network down. */
#include <errno.h>
#include <string.h>

#include "config_apply.h"
#include "log.h"

static int
apply_port(struct vs_rpc *rpc, const char *bridge, json_t *port)
{
	struct vs_err err = {0};
	json_t *params, *res = NULL;
	int ret;

	if (!json_is_object(port)) {
		VS_LOG(ERR, "config: a port of bridge %s is not an object; skipped", bridge);
		return -EINVAL;
	}
	params = json_deep_copy(port);
	json_object_set_new(params, "bridge", json_string(bridge));
	ret = vs_rpc_call(rpc, "port.add", params, &res, &err);
	json_decref(params);
	json_decref(res);
	if (ret < 0)
		VS_LOG(ERR, "config: bridge %s: cannot add port %s: %s", bridge,
		       json_string_value(json_object_get(port, "name")) ?: "?", err.msg);
	return ret;
}

int
vs_config_apply(struct vs_rpc *rpc, json_t *bridges)
{
	json_t *br, *ports, *port, *params, *res;
	size_t i, j;
	int failed = 0;

	json_array_foreach (bridges, i, br) {
		struct vs_err err = {0};
		const char *name;

		if (!json_is_object(br) || !json_is_string(json_object_get(br, "name"))) {
			VS_LOG(ERR, "config: bridge #%zu has no \"name\"; skipped", i);
			failed++;
			continue;
		}
		name = json_string_value(json_object_get(br, "name"));
		params = json_deep_copy(br);
		json_object_del(params, "ports");
		res = NULL;
		if (vs_rpc_call(rpc, "bridge.add", params, &res, &err) < 0) {
			VS_LOG(ERR, "config: cannot add bridge %s: %s", name, err.msg);
			failed++;
		} else {
			ports = json_object_get(br, "ports");
			json_array_foreach (ports, j, port)
				failed += apply_port(rpc, name, port) < 0;
		}
		json_decref(params);
		json_decref(res);
	}
	return failed;
}
