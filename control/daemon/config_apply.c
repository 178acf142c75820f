/* SPDX-License-Identifier: BSD-3-Clause */
/* control/daemon/config_apply.c: create the configuration's bridges, ports,
 * static MAC entries and flow rules at start, through the same actions
 * vswitchctl's methods call (control/bridge/bridge_ctl.h), with the same
 * decoders: a file entry is judged as the same request would be.
 * One that fails is logged, kept in the configuration with its error (show
 * lists it) and skipped: the daemon still comes up with the rest, so one
 * missing NIC does not take every guest's network down. */
#include <errno.h>
#include <string.h>

#include "bridge_ctl.h"
#include "config_apply.h"
#include "controller.h"
#include "flow_table.h"
#include "group_ctl.h"
#include "log.h"
#include "persist.h"
#include "rpc.h"
#include "rpc_methods.h"
#include "switch.h"
#include "tls.h"

/* One entry could not be created: logged, and kept in the configuration
 * with its error (show lists it). */
static int
failed(struct vs_switch *sw, const char *kind, const char *name, const char *where,
       const struct vs_err *err)
{
	VS_LOG(ERR, "config: cannot create %s %s%s: %s", kind, name, where, err->msg);
	vs_persist_set_error(sw, kind, name, err->msg);
	return err->code < 0 ? err->code : -EINVAL;
}

/* The entries are decoded by the decoders the methods use (and vswitchd
 * --check-config), then given to the actions, as the file has them: an
 * action saves what it changes, and the file already has it, so nothing
 * is written. */
static int
add_bridge(struct vs_switch *sw, const json_t *own, const char *name)
{
	struct vs_bridge_args ba;
	struct vs_err err = {0};

	if (vs_bridge_params(own, &ba, &err) < 0 ||
	    vs_bridge_add(sw, name, &ba.conf, own, &err) < 0)
		return failed(sw, "bridge", name, "", &err);
	return 0;
}

static int
add_port(struct vs_switch *sw, const json_t *params, const char *name, const char *where)
{
	struct vs_port_params pp;
	struct vs_err err = {0};

	if (vs_port_params(params, &pp, &err) < 0 ||
	    vs_port_add(sw, pp.bridge, pp.name, pp.type, pp.kv, pp.n_kv, params, &err) < 0)
		return failed(sw, "port", name, where, &err);
	return 0;
}

static int
add_fdb(struct vs_switch *sw, const char *bridge, const json_t *e, const char *where)
{
	const char *mac = json_string_value(json_object_get(e, "mac")) ?: "?";
	struct vs_err err = {0};
	struct vs_fdb_args fa;
	json_t *params;
	int ret = -1;

	/* fdb.add's parameters: the entry and the bridge it is under. */
	if (!json_is_object(e))
		vs_err_set(&err, -EINVAL, "a static MAC entry must be an object");
	else if ((params = vs_persist_entry_params(e, bridge)) == NULL)
		vs_err_set(&err, -ENOMEM, "out of memory");
	else {
		ret = vs_fdb_params(params, &fa, &err);
		if (ret == 0)
			ret = vs_bridge_fdb_add(sw, vs_bridge_find(sw, bridge), fa.port, &fa.key,
						fa.may_exist, &err);
		json_decref(params);
	}
	return ret == 0 ? 0 : failed(sw, "mac", mac, where, &err);
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

/* Before the rules, which may send to them. */
static int
apply_groups(struct vs_switch *sw, const char *bridge, const json_t *groups)
{
	struct vs_bridge *br = vs_bridge_find(sw, bridge);
	struct vs_err err = {0};

	if (groups == NULL || br == NULL)
		return 0;
	if (vs_groups_load(sw, br, groups, &err) < 0) {
		VS_LOG(ERR, "config: cannot install the groups of bridge %s: %s", bridge, err.msg);
		vs_persist_set_error(sw, "groups", bridge, err.msg);
		return 1;
	}
	return json_array_size(vs_groups_waiting(br)) > 0;
}

/* The bridge's controllers, fail mode and datapath id, through the same
 * action as controller.set and bridge.set. */
static int
apply_openflow(struct vs_switch *sw, const char *bridge, const json_t *entry)
{
	struct vs_err err = {0};

	if (entry == NULL)
		return 0;
	if (vs_of_apply(sw, vs_bridge_find(sw, bridge), entry, &err) < 0) {
		VS_LOG(ERR, "config: cannot apply the OpenFlow settings of bridge %s: %s", bridge,
		       err.msg);
		vs_persist_set_error(sw, "openflow", bridge, err.msg);
		return 1;
	}
	return 0;
}

static int
apply_bridge(struct vs_switch *sw, json_t *br, size_t i)
{
	const char *name = json_string_value(json_object_get(br, "name"));
	json_t *params, *e;
	char where[VS_NAME_MAX + 16];
	size_t j;
	int failed = 0, ret;

	if (name == NULL) {
		VS_LOG(ERR, "config: bridge #%zu has no \"name\"; skipped", i);
		return 1;
	}
	params = vs_persist_bridge_own(br);
	ret = add_bridge(sw, params, name);
	json_decref(params);
	if (ret < 0)
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
		params = vs_persist_entry_params(e, name);
		failed += params == NULL || add_port(sw, params, pname, where) < 0;
		json_decref(params);
	}
	json_array_foreach (json_object_get(br, "fdb"), j, e)
		failed += add_fdb(sw, name, e, where) < 0;
	failed += apply_groups(sw, name, json_object_get(br, "groups"));
	failed += apply_flows(sw, name, json_object_get(br, "flows"));
	return failed + apply_openflow(sw, name, json_object_get(br, "openflow"));
}

static int
apply_ssl(struct vs_switch *sw)
{
	struct vs_err err = {0};

	if (vs_tls_apply(sw, vs_persist_ssl_entry(sw), &err) < 0) {
		VS_LOG(ERR, "config: cannot apply \"ssl\": %s", err.msg);
		vs_persist_set_error(sw, "ssl", "files", err.msg);
		return 1;
	}
	return 0;
}

int
vs_config_apply(struct vs_switch *sw)
{
	/* A reference of our own: an action that saves replaces the array. */
	json_t *bridges = json_incref((json_t *)vs_persist_bridges(sw)), *br;
	size_t i;
	int failed = 0;

	/* Each action saves what it changes: replaying the file changes
	 * nothing, so nothing is written. The TLS files first: ssl:
	 * controllers need them. */
	failed += apply_ssl(sw);
	json_array_foreach (bridges, i, br)
		failed += apply_bridge(sw, br, i);
	json_decref(bridges);
	return failed;
}
