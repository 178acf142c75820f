/* SPDX-License-Identifier: BSD-3-Clause */
/* control/daemon/config_check.c: vswitchd --check-config FILE. Judges a config
 * file as the daemon would at start, without starting one: its "daemon"
 * section was read by vs_config_load; here each bridge, port, static MAC
 * and flow rule goes through the decoders the JSON-RPC methods use
 * (control/rpc/rpc_methods.h) and the port types' option tables, so a file that
 * passes is one whose every entry the daemon accepts. What it cannot know
 * without starting (is the device there, is there memory) it does not
 * check. One line per problem. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bridge_ctl.h"
#include "config_check.h"
#include "fdb.h"
#include "flow_parse.h"
#include "persist.h"
#include "rpc_methods.h"

struct names {
	const json_t *ports; /* the bridge's ports in the file */
};

/* A port of the bridge by name: its index stands in for its id. */
static int
port_index(void *ctx, const char *name)
{
	const struct names *n = ctx;
	const json_t *p;
	size_t i;

	json_array_foreach ((json_t *)n->ports, i, p) {
		const char *pn = json_string_value(json_object_get(p, "name"));

		if (pn != NULL && strcmp(pn, name) == 0)
			return (int)i;
	}
	return -1;
}

static unsigned int
problem(FILE *out, const char *file, const char *where, const char *msg)
{
	fprintf(out, "%s: %s: %s\n", file, where, msg);
	return 1;
}

static bool
named_before(const json_t *arr, size_t upto, const char *name)
{
	const json_t *e;
	size_t i;

	for (i = 0; i < upto && (e = json_array_get(arr, i)) != NULL; i++)
		if (strcmp(json_string_value(json_object_get(e, "name")) ?: "", name) == 0)
			return true;
	return false;
}

static unsigned int
check_port(FILE *out, const char *file, const char *bname, const json_t *e, const char *where)
{
	struct vs_port_params pp;
	const struct vs_port_ops *ops;
	struct vs_port_conf conf;
	struct vs_err err = {0};
	json_t *params;
	int ret;

	if (!json_is_object(e))
		return problem(out, file, where, "must be an object");
	if ((params = vs_persist_entry_params(e, bname)) == NULL)
		return problem(out, file, where, "out of memory");
	ret = vs_port_params(params, &pp, &err);
	if (ret == 0 && !vs_name_valid(pp.name))
		ret = vs_err_set(&err, -EINVAL, "invalid port name '%s'", pp.name);
	if (ret == 0 && (ops = vs_port_type_find(pp.type)) == NULL)
		ret = vs_err_set(&err, -EINVAL, "unknown port type '%s'", pp.type);
	if (ret == 0)
		ret = vs_port_conf_parse(ops, pp.kv, pp.n_kv, &conf, &err);
	json_decref(params);
	return ret < 0 ? problem(out, file, where, err.msg) : 0;
}

static unsigned int
check_fdb(FILE *out, const char *file, const char *bname, const json_t *ports, const json_t *e,
	  const char *where)
{
	struct names n = {.ports = ports};
	struct vs_fdb_args fa;
	struct vs_err err = {0};
	json_t *params;
	int ret;

	if (!json_is_object(e))
		return problem(out, file, where, "must be an object");
	/* As the loader calls fdb.add: the entry and its bridge. */
	if ((params = vs_persist_entry_params(e, bname)) == NULL)
		return problem(out, file, where, "out of memory");
	ret = vs_fdb_params(params, &fa, &err);
	if (ret == 0 && port_index(&n, fa.port) < 0)
		ret = vs_err_set(&err, -ENOENT, "names a port that is not on the bridge");
	json_decref(params);
	return ret < 0 ? problem(out, file, where, err.msg) : 0;
}

static unsigned int
check_flows(FILE *out, const char *file, const char *bname, const json_t *br)
{
	const json_t *flows = json_object_get(br, "flows"), *f;
	struct names n = {.ports = json_object_get(br, "ports")};
	struct vs_flow_spec spec;
	char where[VS_NAME_MAX + 48];
	unsigned int bad = 0;
	struct vs_err err;
	size_t i;

	if (flows == NULL)
		return 0;
	snprintf(where, sizeof(where), "bridge %s: \"flows\"", bname);
	if (!json_is_array(flows))
		return problem(out, file, where, "must be an array of flow rules");
	json_array_foreach ((json_t *)flows, i, f) {
		snprintf(where, sizeof(where), "bridge %s: flow rule #%zu", bname, i + 1);
		if (!json_is_string(f))
			bad += problem(out, file, where, "must be a string");
		else if (vs_flow_parse(json_string_value(f), VS_FLOW_PARSE_ADD, port_index, &n,
				       &spec, &err) < 0)
			bad += problem(out, file, where, err.msg);
	}
	return bad;
}

static unsigned int
check_bridge(FILE *out, const char *file, const json_t *bridges, size_t i, unsigned int *n_ports)
{
	const json_t *br = json_array_get(bridges, i), *ports, *e;
	char where[VS_NAME_MAX * 2 + 48];
	struct vs_bridge_args ba;
	struct vs_err err = {0};
	unsigned int bad = 0;
	const char *name;
	json_t *own;
	size_t j;

	if (!json_is_object(br)) {
		snprintf(where, sizeof(where), "bridge #%zu", i + 1);
		return problem(out, file, where, "must be an object");
	}
	name = json_string_value(json_object_get(br, "name"));
	if (name != NULL)
		snprintf(where, sizeof(where), "bridge %.*s", VS_NAME_MAX, name);
	else
		snprintf(where, sizeof(where), "bridge #%zu", i + 1);
	own = vs_persist_bridge_own(br);
	if (vs_bridge_params(own, &ba, &err) < 0 ||
	    (!vs_name_valid(ba.name) &&
	     vs_err_set(&err, -EINVAL, "invalid bridge name '%s'", ba.name) < 0)) {
		bad += problem(out, file, where, err.msg);
	} else if (named_before(bridges, i, ba.name)) {
		bad += problem(out, file, where, "a second bridge of that name");
	}
	name = json_string_value(json_object_get(br, "name")) ?: "?";
	ports = json_object_get(br, "ports");
	if (ports != NULL && !json_is_array(ports))
		bad += problem(out, file, where, "\"ports\" must be an array");
	json_array_foreach ((json_t *)ports, j, e) {
		snprintf(where, sizeof(where), "bridge %s: port %s", name,
			 json_string_value(json_object_get(e, "name")) ?: "(no name)");
		bad += check_port(out, file, name, e, where);
		if (named_before(ports, j, json_string_value(json_object_get(e, "name")) ?: ""))
			bad += problem(out, file, where, "a second port of that name");
		(*n_ports)++;
	}
	json_array_foreach (json_object_get(br, "fdb"), j, e) {
		snprintf(where, sizeof(where), "bridge %s: static MAC #%zu", name, j + 1);
		bad += check_fdb(out, file, name, ports, e, where);
	}
	json_decref(own);
	return bad + check_flows(out, file, name, br);
}

unsigned int
vs_config_check(const struct vs_config *cfg, FILE *out)
{
	const json_t *bridges = cfg->bridges;
	unsigned int bad = 0, n_ports = 0;
	size_t i;

	for (i = 0; i < json_array_size(bridges); i++)
		bad += check_bridge(out, cfg->config_file, bridges, i, &n_ports);
	if (bad == 0)
		fprintf(out, "%s: OK: %zu bridge(s), %u port(s)\n", cfg->config_file,
			json_array_size(bridges), n_ports);
	else
		fprintf(out,
			"%s: %u problem(s); the daemon would keep each entry above as written "
			"and not create it\n",
			cfg->config_file, bad);
	return bad;
}
