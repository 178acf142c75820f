/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_port.c: port.* methods. Port options arrive as a JSON object
 * of strings (or numbers, or booleans) and are checked by the port type's
 * own option table. */
#include <errno.h>
#include <string.h>

#include "bridge_ctl.h"
#include "flow_table.h"
#include "persist.h"
#include "rpc_methods.h"
#include "switch.h"

void
vs_rpc_format_mac(char *buf, size_t size, const struct rte_ether_addr *mac)
{
	const uint8_t *b = mac->addr_bytes;

	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
}

static int
options_to_kv(const json_t *opts, struct vs_kv *kv, unsigned int *n, struct vs_err *err)
{
	const char *key;
	json_t *v;

	*n = 0;
	if (opts == NULL)
		return 0;
	if (!json_is_object(opts))
		return vs_err_set(err, -EINVAL,
				  "parameter \"options\" must be an object of "
				  "key: value");
	json_object_foreach ((json_t *)opts, key, v) {
		struct vs_kv *o = &kv[*n];

		if (*n == VS_OPTS_MAX)
			return vs_err_set(err, -E2BIG, "too many options (at most %d)",
					  VS_OPTS_MAX);
		if (strlen(key) >= sizeof(o->key))
			return vs_err_set(err, -EINVAL, "option key '%.40s...' is too long", key);
		strcpy(o->key, key);
		if (json_is_string(v)) {
			if (strlen(json_string_value(v)) >= sizeof(o->val))
				return vs_err_set(err, -EINVAL,
						  "value of option '%s' is longer "
						  "than %zu bytes",
						  key, sizeof(o->val) - 1);
			strcpy(o->val, json_string_value(v));
		} else if (json_is_integer(v)) {
			snprintf(o->val, sizeof(o->val), "%" JSON_INTEGER_FORMAT,
				 json_integer_value(v));
		} else if (json_is_boolean(v)) {
			snprintf(o->val, sizeof(o->val), "%s", json_is_true(v) ? "true" : "false");
		} else {
			return vs_err_set(err, -EINVAL, "option '%s' must be a string or a number",
					  key);
		}
		(*n)++;
	}
	return 0;
}

int
vs_port_params(const json_t *params, struct vs_port_params *pp, struct vs_err *err)
{
	static const char *const keys[] = {"bridge", "name", "type", "options", NULL};
	int ret;

	*pp = (struct vs_port_params){0};
	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0 ||
	    (ret = vs_rpc_str(params, "bridge", true, &pp->bridge, err)) < 0 ||
	    (ret = vs_rpc_str(params, "name", true, &pp->name, err)) < 0 ||
	    (ret = vs_rpc_str(params, "type", true, &pp->type, err)) < 0)
		return ret;
	return options_to_kv(json_object_get(params, "options"), pp->kv, &pp->n_kv, err);
}

static int
rpc_port_add(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	struct vs_port_params pp;
	int ret;

	if ((ret = vs_port_params(params, &pp, err)) < 0)
		return ret;
	if (vs_port_find(sw, pp.name) == NULL &&
	    (ret = vs_persist_check_add(sw, "port", params, err)) < 0)
		return ret;
	ret = vs_port_add(sw, pp.bridge, pp.name, pp.type, pp.kv, pp.n_kv,
			  vs_persist_has_port(sw, pp.name), err);
	if (ret == 0 && (ret = vs_persist_port_add(sw, params, err)) < 0)
		vs_port_del(sw, pp.name, NULL); /* not saved: not made */
	return ret;
}

static int
rpc_port_set(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {"name", "options", NULL};
	const char *name = NULL;
	struct vs_kv kv[VS_OPTS_MAX];
	struct vs_port_conf conf;
	struct vs_port *port;
	char warn[512] = "";
	unsigned int n;
	json_t *mark;
	int ret;

	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0 ||
	    (ret = vs_rpc_str(params, "name", true, &name, err)) < 0 ||
	    (ret = options_to_kv(json_object_get(params, "options"), kv, &n, err)) < 0)
		return ret;
	if (n == 0)
		return vs_err_set(err, -EINVAL,
				  "give the options to change, e.g. pmd-rxq-affinity=0:2 or "
				  "capture=on");
	/* Checked, saved, made; put back in the file if making it fails. */
	port = vs_port_find(sw, name);
	if (port == NULL)
		return vs_err_set(err, -ENOENT, "no port named %s", name);
	if ((ret = vs_port_conf_update(port, kv, n, &conf, err)) < 0)
		return ret;
	mark = vs_persist_mark(sw);
	if ((ret = vs_persist_port_options(sw, name, kv, n, err)) == 0 &&
	    (ret = vs_port_set(sw, name, kv, n, warn, sizeof(warn), err)) < 0) {
		vs_persist_restore(sw, mark);
		return ret;
	}
	json_decref(mark);
	if (ret == 0 && warn[0] != '\0')
		*result = json_pack("{s:s}", "warning", warn);
	return ret;
}

static int
rpc_port_del(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {"name", "bridge", NULL};
	const char *name = NULL, *bridge = NULL;
	struct vs_port *p;
	json_t *flows;
	int ret;

	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0 ||
	    (ret = vs_rpc_str(params, "name", true, &name, err)) < 0 ||
	    (ret = vs_rpc_str(params, "bridge", false, &bridge, err)) < 0)
		return ret;
	p = vs_port_find(sw, name);
	if (p != NULL && bridge != NULL && strcmp(p->br->name, bridge) != 0)
		return vs_err_set(err, -ENOENT, "port %s is on bridge %s, not %s", name,
				  p->br->name, bridge);
	/* Configured but never created: forgetting it is deleting it. */
	if (p == NULL && !vs_persist_has_port(sw, name))
		return vs_err_set(err, -ENOENT, "no port named %s", name);
	/* The port and the rules naming it leave the file in one save. */
	flows = p != NULL ? vs_flows_text_without_port(sw, p->br, p->id) : NULL;
	if (p != NULL && flows == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	ret = vs_persist_port_del(sw, name, flows, err);
	json_decref(flows);
	if (ret < 0)
		return ret;
	return p != NULL ? vs_port_del(sw, name, err) : 0;
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
	o = json_pack("{s:s, s:s, s:s, s:i, s:o, s:i, s:i, s:b, s:o, s:i}", "name", p->name,
		      "bridge", p->br ? p->br->name : "", "type", p->ops->type, "id", p->id,
		      "options", opts, "rx_queues", p->n_rxq, "tx_queues", p->n_txq, "txq_shared",
		      p->txq_shared, "rxq_pmd", rxq, "numa", vs_port_socket(p));
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
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:{s:I, s:I, s:I, s:I}, s:o}",
			 "name", p->name, "bridge", p->br->name, "rx_packets",
			 (json_int_t)c.rx_packets, "rx_bytes", (json_int_t)c.rx_bytes, "tx_packets",
			 (json_int_t)c.tx_packets, "tx_bytes", (json_int_t)c.tx_bytes, "dropped",
			 (json_int_t)total, "drops", drops, "device", "rx_missed",
			 (json_int_t)st.rx_missed, "rx_nombuf", (json_int_t)st.rx_nombuf,
			 "rx_errors", (json_int_t)st.rx_errors, "tx_errors",
			 (json_int_t)st.tx_errors, "txq", txq_json(p, &st));
}

static int
rpc_port_list(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {"bridge", NULL};
	const char *bname = NULL;
	struct vs_bridge *br = NULL;
	json_t *arr;
	unsigned int i;
	int ret;

	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0 ||
	    (ret = vs_rpc_str(params, "bridge", false, &bname, err)) < 0)
		return ret;
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
rpc_port_stats(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {"name", NULL};
	const char *name = NULL;
	struct vs_port *p;
	json_t *arr;
	unsigned int i;
	int ret;

	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0 ||
	    (ret = vs_rpc_str(params, "name", false, &name, err)) < 0)
		return ret;
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
			if (sw->ports[i] != NULL)
				json_array_append_new(arr, vs_rpc_port_stats_json(sw->ports[i]));
	}
	*result = arr;
	return 0;
}

static const struct vs_rpc_method port_methods[] = {
	{"port.add", rpc_port_add, "bridge name type [options]",
	 "add a port to a bridge; options are the port type's key: value settings"},
	{"port.del", rpc_port_del, "name [bridge]", "remove a port (of that bridge)"},
	{"port.set", rpc_port_set, "name options",
	 "change a running port's live options (pmd-rxq-affinity, capture, ...); \"\" resets one"},
	{"port.list", rpc_port_list, "[bridge]", "ports with their configuration and state"},
	{"port.stats", rpc_port_stats, "[name]", "packet, byte and drop counters"},
};

int
vs_rpc_port_init(struct vs_rpc *rpc)
{
	return vs_rpc_register(rpc, port_methods, RTE_DIM(port_methods));
}
