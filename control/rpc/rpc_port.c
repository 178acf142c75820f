/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_port.c: port.* methods. Port options arrive as a JSON object
 * of strings (or numbers, or booleans), decoded as text by the method's
 * table (a KV parameter), and are checked by the port type's own option
 * table. */
#include <errno.h>
#include <string.h>

#include "bridge_ctl.h"
#include "persist.h"
#include "rpc_methods.h"
#include "switch.h"

void
vs_rpc_format_mac(char *buf, size_t size, const struct rte_ether_addr *mac)
{
	const uint8_t *b = mac->addr_bytes;

	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
}

/* port.del's, port.list's, port.stats's: a port's name, a bridge's. */
struct port_args {
	const char *name, *bridge;
	bool if_exists; /* port.del: no such port is no error */
};

/* port.set's: the options to change. */
struct port_set_args {
	const char *name;
	struct vs_kv kv[VS_OPTS_MAX];
	unsigned int n_kv;
};

static const struct vs_rpc_param port_add_params[] = {
	{.name = "bridge",
	 .kind = VS_RPC_STR,
	 .required = true,
	 VS_RPC_AT(struct vs_port_params, bridge)},
	{.name = "name",
	 .kind = VS_RPC_STR,
	 .required = true,
	 VS_RPC_AT(struct vs_port_params, name)},
	{.name = "type",
	 .kind = VS_RPC_STR,
	 .required = true,
	 VS_RPC_AT(struct vs_port_params, type)},
	{.name = "options",
	 .kind = VS_RPC_KV,
	 .max = VS_OPTS_MAX,
	 .what = "option",
	 VS_RPC_KV_AT(struct vs_port_params, kv, n_kv)},
	{.name = "ofport_request",
	 .kind = VS_RPC_UINT,
	 .min = 1,
	 .max = 0xfeff,
	 .what = "OpenFlow port number",
	 VS_RPC_AT(struct vs_port_params, ofport_request)},
	{.name = "may_exist", .kind = VS_RPC_BOOL, VS_RPC_AT(struct vs_port_params, may_exist)},
	{0},
};

int
vs_port_params(const json_t *params, struct vs_port_params *pp, struct vs_err *err)
{
	*pp = (struct vs_port_params){0};
	return vs_rpc_decode(port_add_params, params, pp, err);
}

/* --may-exist, as ovs-vsctl's: the port already on this bridge is left as
 * it is; on another bridge, it is still an error. */
static int
rpc_port_add(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	     struct vs_err *err)
{
	const struct vs_port_params *pp = args;
	const struct vs_port *p = vs_port_find(sw, pp->name);
	json_t *entry;
	int ret;

	if (pp->may_exist && p != NULL && strcmp(p->br->name, pp->bridge) == 0)
		return 0;
	if (pp->may_exist && p != NULL)
		return vs_err_set(err, -EEXIST, "port %s already exists on bridge %s, not %s",
				  pp->name, p->br->name, pp->bridge);
	if ((entry = vs_rpc_params_without(params, "may_exist")) == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	ret = vs_port_add(sw, pp->bridge, pp->name, pp->type, pp->kv, pp->n_kv, entry, err);
	json_decref(entry);
	return ret;
}

static int
rpc_port_set(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	     struct vs_err *err)
{
	const struct port_set_args *a = args;
	const char *name = a->name;
	const struct vs_kv *kv = a->kv;
	char warn[512] = "";
	unsigned int n = a->n_kv;
	int ret;

	/* Checked, saved, made; put back in the file if making it fails. */
	ret = vs_port_set(sw, name, kv, n, warn, sizeof(warn), err);
	if (ret == 0 && warn[0] != '\0')
		*result = json_pack("{s:s}", "warning", warn);
	return ret;
}

static int
rpc_port_del(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	     struct vs_err *err)
{
	const struct port_args *a = args;

	if (a->if_exists && vs_port_find(sw, a->name) == NULL && !vs_persist_has_port(sw, a->name))
		return 0;
	return vs_port_del(sw, a->name, a->bridge, err);
}

/* How PMDs send to 'p': "queues" they send to, "pmds" that may send, and
 * "locked": whether some share a queue and so take a lock ("by": "switch",
 * the per-queue spinlock in the PMD's tx; "vhost", the vhost library's
 * virtqueue lock; "" when not locked). */
static json_t *
txq_json(const struct vs_port *p, const struct vs_port_status *st)
{
	unsigned int queues = st->txq_mapped ? st->txq_in_use : p->n_txq;
	bool locked = st->txq_mapped ? queues > 0 && queues < p->tx_pmds : p->txq_shared;

	return json_pack("{s:i, s:i, s:b, s:s}", "queues", (int)queues, "pmds", (int)p->tx_pmds,
			 "locked", locked, "by",
			 !locked          ? ""
			 : st->txq_mapped ? "vhost"
					  : "switch");
}

json_t *
vs_rpc_port_json(const struct vs_port *p)
{
	struct vs_port_status st;
	json_t *opts = json_object(), *rxq = json_array(), *o;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	unsigned int i;

	for (i = 0; i < p->n_opts; i++)
		json_object_set_new(opts, p->opts[i].key, json_string(p->opts[i].val));
	for (i = 0; i < p->n_rxq; i++)
		json_array_append_new(rxq, json_integer(p->rxq_pmd[i]));
	o = json_pack("{s:s, s:s, s:s, s:i, s:I, s:o, s:i, s:i, s:b, s:o, s:i}", "name", p->name,
		      "bridge", p->br ? p->br->name : "", "type", p->ops->type, "id", p->id,
		      "ofport", (json_int_t)p->ofport, "options", opts, "rx_queues", p->n_rxq,
		      "tx_queues", p->n_txq, "txq_shared", p->txq_shared, "rxq_pmd", rxq, "numa",
		      vs_port_socket(p));
	if (p->ops->status(p, &st) == 0) {
		vs_rpc_format_mac(mac, sizeof(mac), &st.mac);
		json_object_set_new(o, "link", json_string(st.link_up ? "up" : "down"));
		json_object_set_new(o, "speed_mbps", json_integer(st.speed_mbps));
		json_object_set_new(o, "mac", json_string(mac));
		json_object_set_new(o, "mtu", json_integer(st.mtu));
		json_object_set_new(o, "driver", json_string(st.driver));
		json_object_set_new(o, "device", json_string(st.device));
		json_object_set_new(o, "txq", txq_json(p, &st));
		if (st.n_info > 0) {
			json_t *info = json_object();

			for (i = 0; i < st.n_info; i++)
				json_object_set_new(info, st.info[i].key,
						    json_string(st.info[i].val));
			json_object_set_new(o, "info", info);
		}
	}

	return o;
}

json_t *
vs_rpc_port_stats_json(const struct vs_port *p)
{
	struct vs_port_status st = {0};
	struct vs_port_ctr c;
	json_t *drops = json_object();
	uint64_t total = 0;
	unsigned int r;

	vs_port_counters(p, &c);
	for (r = 0; r < VS_DROP_MAX; r++) {
		json_object_set_new(drops, vs_drop_info[r].name,
				    json_integer((json_int_t)c.drops[r]));
		total += c.drops[r];
	}
	p->ops->status(p, &st);
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:{s:I, s:I, s:I, s:I}, "
			 "s:o}",
			 "name", p->name, "bridge", p->br->name, "ofport", (json_int_t)p->ofport,
			 "rx_packets", (json_int_t)c.rx_packets, "rx_bytes", (json_int_t)c.rx_bytes,
			 "tx_packets", (json_int_t)c.tx_packets, "tx_bytes", (json_int_t)c.tx_bytes,
			 "dropped", (json_int_t)total, "drops", drops, "device", "rx_missed",
			 (json_int_t)st.rx_missed, "rx_nombuf", (json_int_t)st.rx_nombuf,
			 "rx_errors", (json_int_t)st.rx_errors, "tx_errors",
			 (json_int_t)st.tx_errors, "txq", txq_json(p, &st));
}

static int
rpc_port_list(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	      struct vs_err *err)
{
	const char *bname = ((const struct port_args *)args)->bridge;
	struct vs_bridge *br = NULL;
	json_t *arr;
	unsigned int i;

	if (bname != NULL && (br = vs_bridge_find(sw, bname)) == NULL)
		return vs_err_set(err, -ENOENT, "no bridge named %s", bname);
	arr = json_array();
	for (i = 0; i < VS_MAX_PORTS; i++)
		if (sw->ports[i] != NULL && (br == NULL || sw->ports[i]->br == br))
			json_array_append_new(arr, vs_rpc_port_json(sw->ports[i]));
	*result = arr;
	return 0;
}

static int
rpc_port_stats(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	       struct vs_err *err)
{
	const char *name = ((const struct port_args *)args)->name;
	const char *bname = ((const struct port_args *)args)->bridge;
	struct vs_bridge *br = NULL;
	struct vs_port *p;
	json_t *arr;
	unsigned int i;

	if (bname != NULL && (br = vs_bridge_find(sw, bname)) == NULL)
		return vs_err_set(err, -ENOENT, "no bridge named %s", bname);
	arr = json_array();
	if (name != NULL) {
		p = vs_port_find(sw, name);
		if (p == NULL) {
			json_decref(arr);
			return vs_err_set(err, -ENOENT, "no port named %s", name);
		}
		json_array_append_new(arr, vs_rpc_port_stats_json(p));
	} else {
		for (i = 0; i < VS_MAX_PORTS; i++)
			if (sw->ports[i] != NULL && (br == NULL || sw->ports[i]->br == br))
				json_array_append_new(arr, vs_rpc_port_stats_json(sw->ports[i]));
	}
	*result = arr;
	return 0;
}

static const struct vs_rpc_param port_del_params[] = {
	{.name = "name", .kind = VS_RPC_STR, .required = true, VS_RPC_AT(struct port_args, name)},
	{.name = "bridge", .kind = VS_RPC_STR, VS_RPC_AT(struct port_args, bridge)},
	{.name = "if_exists", .kind = VS_RPC_BOOL, VS_RPC_AT(struct port_args, if_exists)},
	{0},
};
static const struct vs_rpc_param port_set_params[] = {
	{.name = "name",
	 .kind = VS_RPC_STR,
	 .required = true,
	 VS_RPC_AT(struct port_set_args, name)},
	{.name = "options",
	 .kind = VS_RPC_KV,
	 .required = true,
	 .min = 1,
	 .max = VS_OPTS_MAX,
	 .what = "option",
	 .hint = "give the options to change, e.g. pmd-rxq-affinity=0:2 or capture=on",
	 VS_RPC_KV_AT(struct port_set_args, kv, n_kv)},
	{0},
};
static const struct vs_rpc_param port_list_params[] = {
	{.name = "bridge", .kind = VS_RPC_STR, VS_RPC_AT(struct port_args, bridge)},
	{0},
};
static const struct vs_rpc_param port_stats_params[] = {
	{.name = "name", .kind = VS_RPC_STR, VS_RPC_AT(struct port_args, name)},
	{.name = "bridge", .kind = VS_RPC_STR, VS_RPC_AT(struct port_args, bridge)},
	{0},
};

static const struct vs_rpc_method port_methods[] = {
	{.name = "port.add",
	 .fn = rpc_port_add,
	 .params = port_add_params,
	 .args_size = sizeof(struct vs_port_params),
	 .help = "add a port to a bridge; options are the port type's key: value settings; "
		 "ofport_request: its OpenFlow port number (default: the lowest free); "
		 "may_exist: the port on this bridge is no error"},
	{.name = "port.del",
	 .fn = rpc_port_del,
	 .params = port_del_params,
	 .args_size = sizeof(struct port_args),
	 .help = "remove a port (of that bridge; if_exists: none is no error)"},
	{.name = "port.set",
	 .fn = rpc_port_set,
	 .params = port_set_params,
	 .args_size = sizeof(struct port_set_args),
	 .help = "change a running port's live options (pmd-rxq-affinity, capture, ...); \"\" "
		 "resets one"},
	{.name = "port.list",
	 .fn = rpc_port_list,
	 .params = port_list_params,
	 .args_size = sizeof(struct port_args),
	 .help = "ports with their configuration and state"},
	{.name = "port.stats",
	 .fn = rpc_port_stats,
	 .params = port_stats_params,
	 .args_size = sizeof(struct port_args),
	 .help = "packet, byte and drop counters (of one port, or of a bridge's)"},
};

int
vs_rpc_port_init(struct vs_rpc *rpc)
{
	return vs_rpc_register(rpc, port_methods, RTE_DIM(port_methods));
}
