/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_bridge.c: bridge.* and fdb.* methods: their parameter
 * tables (decoded by the dispatcher), the action each calls
 * (control/bridge/bridge_ctl.h, which saves what it changes), the result's
 * shape. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_ctl.h"
#include "persist.h"
#include "controller.h"
#include "rpc_methods.h"
#include "switch.h"

/* fdb.show's and fdb.flush's: the bridge, and the port to flush. */
struct fdb_args {
	const char *bridge, *port;
};

static const struct vs_rpc_param bridge_add_params[] = {
	{.name = "name",
	 .kind = VS_RPC_STR,
	 .required = true,
	 VS_RPC_AT(struct vs_bridge_args, name)},
	{.name = "mac_aging",
	 .kind = VS_RPC_UINT,
	 .min = VS_MAC_AGING_MIN,
	 .max = VS_MAC_AGING_MAX,
	 .dflt = VS_FDB_AGING_DEFAULT,
	 VS_RPC_AT(struct vs_bridge_args, conf.mac_aging)},
	{.name = "mac_max",
	 .kind = VS_RPC_UINT,
	 .min = VS_MAC_MAX_MIN,
	 .max = VS_MAC_MAX_MAX,
	 .dflt = VS_FDB_MAX_DEFAULT,
	 VS_RPC_AT(struct vs_bridge_args, conf.mac_max)},
	{.name = "may_exist", .kind = VS_RPC_BOOL, VS_RPC_AT(struct vs_bridge_args, may_exist)},
	{0},
};

int
vs_bridge_params(const json_t *params, struct vs_bridge_args *args, struct vs_err *err)
{
	*args = (struct vs_bridge_args){0};
	return vs_rpc_decode(bridge_add_params, params, args, err);
}

/* bridge.del's. */
struct name_args {
	const char *name;
	bool if_exists;
};

/* 'params' without 'key': what is saved is the object, not how the
 * request was made (may_exist, if_exists). NULL: out of memory. */
json_t *
vs_rpc_params_without(const json_t *params, const char *key)
{
	json_t *c = json_deep_copy(params);

	if (c != NULL)
		json_object_del(c, key);
	return c;
}

/* --may-exist, as ovs-vsctl's: an existing bridge is left as it is. */
static int
rpc_bridge_add(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	       struct vs_err *err)
{
	const struct vs_bridge_args *a = args;
	json_t *entry;
	int ret;

	if (a->may_exist && vs_bridge_find(sw, a->name) != NULL)
		return 0;
	if ((entry = vs_rpc_params_without(params, "may_exist")) == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	ret = vs_bridge_add(sw, a->name, &a->conf, entry, err);
	json_decref(entry);
	return ret;
}

/* --if-exists: no such bridge is no error. */
static int
rpc_bridge_del(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	       struct vs_err *err)
{
	const struct name_args *a = args;

	if (a->if_exists && vs_bridge_find(sw, a->name) == NULL &&
	    !vs_persist_has_bridge(sw, a->name))
		return 0;
	return vs_bridge_del(sw, a->name, err);
}

json_t *
vs_rpc_bridge_json(const struct vs_switch *sw, const struct vs_bridge *br, bool detail)
{
	json_t *ports = json_array();
	unsigned int i;

	for (i = 0; i < VS_MAX_PORTS; i++) {
		const struct vs_port *p = sw->ports[i];

		if (p == NULL || p->br != br)
			continue;
		json_array_append_new(ports, detail ? vs_rpc_port_json(p) : json_string(p->name));
	}
	return json_pack("{s:s, s:i, s:i, s:i, s:o, s:{s:I, s:I, s:I, s:I}, s:o}", "name", br->name,
			 "mac_aging", br->mac_aging, "mac_max", br->mac_max, "mac_count",
			 vs_fdb_count(br->fdb), "ports", ports, "learning", "learned",
			 (json_int_t)br->learned, "moved", (json_int_t)br->moved, "aged",
			 (json_int_t)br->aged, "table_full", (json_int_t)br->learn_full, "openflow",
			 vs_of_bridge_json((struct vs_switch *)sw, br));
}

static int
rpc_bridge_list(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
		struct vs_err *err)
{
	json_t *arr;
	unsigned int i;

	arr = json_array();
	for (i = 0; i < VS_MAX_BRIDGES; i++)
		if (sw->bridges[i] != NULL)
			json_array_append_new(arr, vs_rpc_bridge_json(sw, sw->bridges[i], false));
	*result = arr;
	return 0;
}

struct fdb_dump {
	const struct vs_switch *sw;
	json_t *arr;
	uint32_t now;
};

static void
fdb_row(const struct vs_fdb_entry *e, void *arg)
{
	struct fdb_dump *d = arg;
	const struct vs_port *p = e->port < VS_MAX_PORTS ? d->sw->ports[e->port] : NULL;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];

	vs_rpc_format_mac(mac, sizeof(mac), &e->key.mac);
	json_array_append_new(d->arr, json_pack("{s:s, s:i, s:s, s:i, s:b}", "mac", mac, "vlan",
						e->key.vlan, "port", p ? p->name : "?", "age",
						d->now >= e->used ? d->now - e->used : 0, "static",
						e->is_static));
}

static int
fdb_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(json_string_value(json_object_get(x, "port")),
		       json_string_value(json_object_get(y, "port")));

	return c ? c
		 : strcmp(json_string_value(json_object_get(x, "mac")),
			  json_string_value(json_object_get(y, "mac")));
}

static int
find_bridge(struct vs_switch *sw, const char *name, struct vs_bridge **br, struct vs_err *err)
{
	*br = vs_bridge_find(sw, name);
	if (*br == NULL)
		return vs_err_set(err, -ENOENT, "no bridge named %s", name);
	return 0;
}

static int
rpc_fdb_show(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	     struct vs_err *err)
{
	const struct fdb_args *a = args;
	struct fdb_dump d = {.sw = sw, .now = sw->dp.now};
	struct vs_bridge *br;
	json_t **rows, *sorted;
	size_t i, n;
	int ret;

	if ((ret = find_bridge(sw, a->bridge, &br, err)) < 0)
		return ret;
	d.arr = json_array();
	vs_fdb_walk(br->fdb, fdb_row, &d);
	n = json_array_size(d.arr);
	rows = malloc(sizeof(*rows) * (n + 1));
	if (rows == NULL) {
		json_decref(d.arr);
		return vs_err_set(err, -ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++)
		rows[i] = json_array_get(d.arr, i);
	qsort(rows, n, sizeof(*rows), fdb_cmp);
	sorted = json_array();
	for (i = 0; i < n; i++)
		json_array_append(sorted, rows[i]);
	free(rows);
	json_decref(d.arr);
	*result = sorted;
	return 0;
}

static int
rpc_fdb_flush(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	      struct vs_err *err)
{
	const struct fdb_args *a = args;
	const char *pname = a->port;
	struct vs_bridge *br;
	unsigned int n;
	int ret;

	if ((ret = find_bridge(sw, a->bridge, &br, err)) < 0)
		return ret;
	if ((ret = vs_bridge_fdb_flush(sw, br, pname, &n, err)) < 0)
		return ret;
	*result = json_pack("{s:i}", "flushed", n);
	return 0;
}

/* fdb.add's, also the static MACs of vswitchd --check-config. */
static const struct vs_rpc_param fdb_add_params[] = {
	{.name = "bridge",
	 .kind = VS_RPC_STR,
	 .required = true,
	 VS_RPC_AT(struct vs_fdb_args, bridge)},
	{.name = "port",
	 .kind = VS_RPC_STR,
	 .required = true,
	 .hint = "missing parameter \"port\", the port the MAC is behind",
	 VS_RPC_AT(struct vs_fdb_args, port)},
	{.name = "mac",
	 .kind = VS_RPC_MAC,
	 .required = true,
	 VS_RPC_AT(struct vs_fdb_args, key.mac)},
	{.name = "vlan", .kind = VS_RPC_UINT, .max = 4095, VS_RPC_AT(struct vs_fdb_args, key.vlan)},
	{.name = "may_exist", .kind = VS_RPC_BOOL, VS_RPC_AT(struct vs_fdb_args, may_exist)},
	{0},
};

static const struct vs_rpc_param fdb_del_params[] = {
	{.name = "bridge",
	 .kind = VS_RPC_STR,
	 .required = true,
	 VS_RPC_AT(struct vs_fdb_args, bridge)},
	{.name = "mac",
	 .kind = VS_RPC_MAC,
	 .required = true,
	 VS_RPC_AT(struct vs_fdb_args, key.mac)},
	{.name = "vlan", .kind = VS_RPC_UINT, .max = 4095, VS_RPC_AT(struct vs_fdb_args, key.vlan)},
	{0},
};

int
vs_fdb_params(const json_t *params, struct vs_fdb_args *args, struct vs_err *err)
{
	*args = (struct vs_fdb_args){0};
	return vs_rpc_decode(fdb_add_params, params, args, err);
}

static int
rpc_fdb_add(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	    struct vs_err *err)
{
	const struct vs_fdb_args *a = args;
	struct vs_fdb_key key = a->key;
	struct vs_bridge *br;
	int ret;

	if ((ret = find_bridge(sw, a->bridge, &br, err)) < 0)
		return ret;
	return vs_bridge_fdb_add(sw, br, a->port, &key, a->may_exist, err);
}

static int
rpc_fdb_del(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	    struct vs_err *err)
{
	const struct vs_fdb_args *a = args;
	struct vs_fdb_key key = a->key;
	struct vs_bridge *br;
	int ret;

	if ((ret = find_bridge(sw, a->bridge, &br, err)) < 0)
		return ret;
	return vs_bridge_fdb_del(sw, br, &key, err);
}

static const struct vs_rpc_param name_params[] = {
	{.name = "name", .kind = VS_RPC_STR, .required = true, VS_RPC_AT(struct name_args, name)},
	{.name = "if_exists", .kind = VS_RPC_BOOL, VS_RPC_AT(struct name_args, if_exists)},
	{0},
};
static const struct vs_rpc_param fdb_show_params[] = {
	{.name = "bridge",
	 .kind = VS_RPC_STR,
	 .required = true,
	 VS_RPC_AT(struct fdb_args, bridge)},
	{0},
};
static const struct vs_rpc_param fdb_flush_params[] = {
	{.name = "bridge",
	 .kind = VS_RPC_STR,
	 .required = true,
	 VS_RPC_AT(struct fdb_args, bridge)},
	{.name = "port", .kind = VS_RPC_STR, VS_RPC_AT(struct fdb_args, port)},
	{0},
};

static const struct vs_rpc_method bridge_methods[] = {
	{.name = "bridge.add",
	 .fn = rpc_bridge_add,
	 .params = bridge_add_params,
	 .args_size = sizeof(struct vs_bridge_args),
	 .help = "create a learning bridge (MAC aging in seconds, MAC table size; may_exist: "
		 "an existing one is no error)"},
	{.name = "bridge.del",
	 .fn = rpc_bridge_del,
	 .params = name_params,
	 .args_size = sizeof(struct name_args),
	 .help = "delete a bridge and all its ports (if_exists: none is no error)"},
	{.name = "bridge.list", .fn = rpc_bridge_list, .help = "list bridges with their ports"},
	{.name = "fdb.show",
	 .fn = rpc_fdb_show,
	 .params = fdb_show_params,
	 .args_size = sizeof(struct fdb_args),
	 .help = "the MAC table of a bridge"},
	{.name = "fdb.flush",
	 .fn = rpc_fdb_flush,
	 .params = fdb_flush_params,
	 .args_size = sizeof(struct fdb_args),
	 .help = "forget MACs, learnt and static (of one port)"},
	{.name = "fdb.add",
	 .fn = rpc_fdb_add,
	 .params = fdb_add_params,
	 .args_size = sizeof(struct vs_fdb_args),
	 .help = "a static MAC entry: never aged, never moved by learning (may_exist: move one "
		 "that is on another port)"},
	{.name = "fdb.del",
	 .fn = rpc_fdb_del,
	 .params = fdb_del_params,
	 .args_size = sizeof(struct vs_fdb_args),
	 .help = "remove one MAC entry"},
};

int
vs_rpc_bridge_init(struct vs_rpc *rpc)
{
	return vs_rpc_register(rpc, bridge_methods, RTE_DIM(bridge_methods));
}
