/* SPDX-License-Identifier: BSD-3-Clause */
/* control/daemon/config_apply.c: create the configuration's bridges, ports and
 * static MAC entries at start, through the same methods vswitchctl calls.
 * One that fails is logged, kept in the configuration with its error (show
 * lists it) and skipped: the daemon still comes up with the rest, so one
 * missing NIC does not take every guest's network down. */
#include <errno.h>
#include <string.h>

#include "bridge_ctl.h"
#include "config_apply.h"
#include "flow_table.h"
#include "log.h"
#include "persist.h"
#include "rpc.h"
#include "switch.h"

static int
call(struct vs_switch *sw, const char *method, json_t *params, const char *kind, const char *name,
     const char *where)
{
	struct vs_err err = {0};
	json_t *res = NULL;
	int ret;

	ret = vs_rpc_call(sw->rpc, method, params, &res, &err);
	json_decref(res);
	json_decref(params);
	if (ret < 0) {
		VS_LOG(ERR, "config: cannot create %s %s%s: %s", kind, name, where, err.msg);
		vs_persist_set_error(sw, kind, name, err.msg);
	}
	return ret;
}

/* Not through flow.replace: a rule naming a port that could not be created
 * must wait for it (kept in the config) rather than fail the others. */
static int
apply_flows(struct vs_switch *sw, const char *bridge, const json_t *flows)
{
	struct vs_bridge *br = vs_bridge_find(sw, bridge);
	struct vs_err err = {0};

	if (flows == NULL || br == NULL)
		return 0;
	if (vs_flows_load(sw, br, flows, &err) < 0) {
		VS_LOG(ERR, "config: cannot install the flow rules of bridge %s: %s", bridge,
		       err.msg);
		vs_persist_set_error(sw, "flows", bridge, err.msg);
		return 1;
	}
	return json_array_size(br->flows->pending) > 0;
}

static int
apply_bridge(struct vs_switch *sw, json_t *br, size_t i)
{
	const char *name = json_string_value(json_object_get(br, "name"));
	json_t *params, *e;
	char where[VS_NAME_MAX + 16];
	size_t j;
	int failed = 0;

	if (name == NULL) {
		VS_LOG(ERR, "config: bridge #%zu has no \"name\"; skipped", i);
		return 1;
	}
	params = vs_persist_bridge_own(br);
	if (call(sw, "bridge.add", params, "bridge", name, "") < 0)
		return 1;
	snprintf(where, sizeof(where), " on bridge %s", name);
	json_array_foreach (json_object_get(br, "ports"), j, e) {
		const char *pname = json_string_value(json_object_get(e, "name"));

		if (!json_is_object(e) || pname == NULL) {
			VS_LOG(ERR, "config: port #%zu of bridge %s has no \"name\"; skipped", j,
			       name);
			failed++;
			continue;
		}
		params = json_deep_copy(e);
		json_object_set_new(params, "bridge", json_string(name));
		failed += call(sw, "port.add", params, "port", pname, where) < 0;
	}
	json_array_foreach (json_object_get(br, "fdb"), j, e) {
		const char *mac = json_string_value(json_object_get(e, "mac"));

		params = json_deep_copy(e);
		json_object_set_new(params, "bridge", json_string(name));
		failed += call(sw, "fdb.add", params, "mac", mac ? mac : "?", where) < 0;
	}
	return failed + apply_flows(sw, name, json_object_get(br, "flows"));
}

int
vs_config_apply(struct vs_switch *sw)
{
	/* A reference of our own: a method that saves replaces the array. */
	json_t *bridges = json_incref((json_t *)vs_persist_bridges(sw)), *br;
	size_t i;
	int failed = 0;

	/* Each method saves what it changes: replaying the file changes
	 * nothing, so nothing is written. */
	json_array_foreach (bridges, i, br)
		failed += apply_bridge(sw, br, i);
	json_decref(bridges);
	return failed;
}
