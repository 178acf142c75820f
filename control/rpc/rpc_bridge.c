/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_bridge.c: bridge.* and fdb.* methods: parse and check the
 * parameters, call the action (control/bridge/bridge_ctl.h, which saves
 * what it changes), shape the result. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_ctl.h"
#include "rpc_methods.h"
#include "switch.h"

int
vs_bridge_params(const json_t *params, const char **name, struct vs_bridge_conf *conf,
		 struct vs_err *err)
{
	static const char *const keys[] = {"name", "mac_aging", "mac_max", NULL};
	uint64_t aging = VS_FDB_AGING_DEFAULT, max = VS_FDB_MAX_DEFAULT;
	int ret;

	*name = NULL;
	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0 ||
	    (ret = vs_rpc_str(params, "name", true, name, err)) < 0 ||
	    (ret = vs_rpc_uint(params, "mac_aging", false, VS_MAC_AGING_MIN, VS_MAC_AGING_MAX,
			       &aging, err)) < 0 ||
	    (ret = vs_rpc_uint(params, "mac_max", false, VS_MAC_MAX_MIN, VS_MAC_MAX_MAX, &max,
			       err)) < 0)
		return ret;
	*conf = (struct vs_bridge_conf){.mac_aging = (uint32_t)aging, .mac_max = (uint32_t)max};
	return 0;
}

static int
rpc_bridge_add(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	struct vs_bridge_conf conf;
	const char *name;
	int ret;

	if ((ret = vs_bridge_params(params, &name, &conf, err)) < 0)
		return ret;
	return vs_bridge_add(sw, name, &conf, params, err);
}

static int
rpc_bridge_del(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {"name", NULL};
	const char *name = NULL;
	int ret;

	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0 ||
	    (ret = vs_rpc_str(params, "name", true, &name, err)) < 0)
		return ret;
	return vs_bridge_del(sw, name, err);
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
	return json_pack("{s:s, s:i, s:i, s:i, s:o, s:{s:I, s:I, s:I, s:I}}", "name", br->name,
			 "mac_aging", br->mac_aging, "mac_max", br->mac_max, "mac_count",
			 vs_fdb_count(br->fdb), "ports", ports, "learning", "learned",
			 (json_int_t)br->learned, "moved", (json_int_t)br->moved, "aged",
			 (json_int_t)br->aged, "table_full", (json_int_t)br->learn_full);
}

static int
rpc_bridge_list(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {NULL};
	json_t *arr;
	unsigned int i;
	int ret;

	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0)
		return ret;
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
bridge_param(struct vs_switch *sw, json_t *params, const char *const *keys, struct vs_bridge **br,
	     struct vs_err *err)
{
	const char *name = NULL;
	int ret;

	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0 ||
	    (ret = vs_rpc_str(params, "bridge", true, &name, err)) < 0)
		return ret;
	*br = vs_bridge_find(sw, name);
	if (*br == NULL)
		return vs_err_set(err, -ENOENT, "no bridge named %s", name);
	return 0;
}

static int
rpc_fdb_show(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {"bridge", NULL};
	struct fdb_dump d = {.sw = sw, .now = sw->dp.now};
	struct vs_bridge *br;
	json_t **rows, *sorted;
	size_t i, n;
	int ret;

	if ((ret = bridge_param(sw, params, keys, &br, err)) < 0)
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
rpc_fdb_flush(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {"bridge", "port", NULL};
	const char *pname = NULL;
	struct vs_bridge *br;
	unsigned int n;
	int ret;

	if ((ret = bridge_param(sw, params, keys, &br, err)) < 0 ||
	    (ret = vs_rpc_str(params, "port", false, &pname, err)) < 0)
		return ret;
	if ((ret = vs_bridge_fdb_flush(sw, br, pname, &n, err)) < 0)
		return ret;
	*result = json_pack("{s:i}", "flushed", n);
	return 0;
}

/* The MAC and VLAN parameters of fdb.add and fdb.del, as a table key. */
int
vs_fdb_key_params(const json_t *params, struct vs_fdb_key *key, struct vs_err *err)
{
	const char *mac = NULL;
	uint64_t vlan = 0;
	int ret;

	if ((ret = vs_rpc_str(params, "mac", true, &mac, err)) < 0 ||
	    (ret = vs_rpc_uint(params, "vlan", false, 0, 4095, &vlan, err)) < 0)
		return ret;
	*key = (struct vs_fdb_key){.vlan = (uint16_t)vlan};
	if (rte_ether_unformat_addr(mac, &key->mac) < 0)
		return vs_err_set(err, -EINVAL, "'%s' is not a MAC address like 52:54:00:12:34:56",
				  mac);
	if (!rte_is_unicast_ether_addr(&key->mac) || rte_is_zero_ether_addr(&key->mac))
		return vs_err_set(err, -EINVAL,
				  "%s is not a unicast MAC address (multicast and broadcast are "
				  "always flooded)",
				  mac);
	return 0;
}

static int
rpc_fdb_add(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {"bridge", "port", "mac", "vlan", "may_exist", NULL};
	const char *pname = NULL;
	struct vs_fdb_key key;
	struct vs_bridge *br;
	bool may_exist;
	int ret;

	if ((ret = bridge_param(sw, params, keys, &br, err)) < 0 ||
	    (ret = vs_rpc_str(params, "port", true, &pname, err)) < 0 ||
	    (ret = vs_fdb_key_params(params, &key, err)) < 0)
		return ret;
	may_exist = json_is_true(json_object_get(params, "may_exist"));
	if (json_object_get(params, "may_exist") != NULL &&
	    !json_is_boolean(json_object_get(params, "may_exist")))
		return vs_err_set(err, -EINVAL, "may_exist must be true or false");
	return vs_bridge_fdb_add(sw, br, pname, &key, may_exist, err);
}

static int
rpc_fdb_del(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {"bridge", "mac", "vlan", NULL};
	struct vs_fdb_key key;
	struct vs_bridge *br;
	int ret;

	if ((ret = bridge_param(sw, params, keys, &br, err)) < 0 ||
	    (ret = vs_fdb_key_params(params, &key, err)) < 0)
		return ret;
	return vs_bridge_fdb_del(sw, br, &key, err);
}

static const struct vs_rpc_method bridge_methods[] = {
	{"bridge.add", rpc_bridge_add, "name [mac_aging] [mac_max]",
	 "create a learning bridge (MAC aging in seconds, MAC table size)"},
	{"bridge.del", rpc_bridge_del, "name", "delete a bridge and all its ports"},
	{"bridge.list", rpc_bridge_list, "", "list bridges with their ports"},
	{"fdb.show", rpc_fdb_show, "bridge", "the MAC table of a bridge"},
	{"fdb.flush", rpc_fdb_flush, "bridge [port]",
	 "forget MACs, learnt and static (of one port)"},
	{"fdb.add", rpc_fdb_add, "bridge port mac [vlan] [may_exist]",
	 "a static MAC entry: never aged, never moved by learning (may_exist: move one that is "
	 "on another port)"},
	{"fdb.del", rpc_fdb_del, "bridge mac [vlan]", "remove one MAC entry"},
};

int
vs_rpc_bridge_init(struct vs_rpc *rpc)
{
	return vs_rpc_register(rpc, bridge_methods, RTE_DIM(bridge_methods));
}
