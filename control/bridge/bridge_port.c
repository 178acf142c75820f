/* SPDX-License-Identifier: BSD-3-Clause */
/* control/bridge/bridge_port.c: adding and removing ports while traffic flows.
 *
 * Add: open the device, then publish it (port table, flood list, a PMD for
 * each rx queue). Remove, in the order that keeps PMDs safe: unpublish
 * everything, wait for a grace period (no PMD holds the port any more, its
 * tx buffers are flushed), apply pending learn requests, forget its MACs,
 * then close the device.
 *
 * Each action saves what it changes (control/persist/persist.h): an add is
 * made, saved, undone if the save fails; a removal is saved, then made; new
 * options are checked, saved, made, and put back in the file if making them
 * fails. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "bridge_ctl.h"
#include "bridge_int.h"
#include "flow_table.h"
#include "group_ctl.h"
#include "log.h"
#include "perf.h"
#include "persist.h"
#include "switch.h"

static int
alloc_id(struct vs_switch *sw)
{
	unsigned int i, id;

	/* Round-robin: a deleted port's id is not reused at once. */
	for (i = 0; i < VS_MAX_PORTS; i++) {
		id = (sw->next_port_id + i) % VS_MAX_PORTS;
		if (sw->ports[id] == NULL && vs_dp_port(&sw->dp, (uint16_t)id) == NULL) {
			sw->next_port_id = (uint16_t)((id + 1) % VS_MAX_PORTS);
			return (int)id;
		}
	}
	return -ENOSPC;
}

static void
unpublish(struct vs_switch *sw, struct vs_port *port)
{
	sw->ports[port->id] = NULL;
	if (vs_sched_publish(sw) < 0 || vs_bridge_flood_publish(sw, port->br) < 0)
		VS_LOG(ERR,
		       "out of memory while removing port %s; its queues stay polled "
		       "until the next change",
		       port->name);
	vs_rcu_assign((void **)&sw->dp.ports[port->id], NULL);
	/* Before the id can be handed out again: no rule or group bucket may
	 * send to it. */
	vs_flows_port_removed(sw, port->br, port->id);
	vs_groups_port_removed(sw, port->br, port->id);
	vs_switch_sync(sw);
	vs_perf_port_gone(sw, port); /* its counters are final now */
	vs_learn_drain(sw);
	vs_fdb_flush_port(port->br->fdb, port->id);
}

/* Whether 'port' can have its rx queues pinned as 'pins' says: a queue it
 * has, to a CPU that runs a PMD (else -EINVAL, err saying which exist;
 * with 'lenient', for a port already in the saved configuration, whose
 * PMDs may have changed since, a warning instead: such a queue is placed
 * like the others). A pin that works but badly (a PMD on another NUMA node than
 * the device's) is a warning, logged and appended to 'warn' (may be
 * NULL). */
static int
check_pins(const struct vs_switch *sw, const struct vs_port *port, const int16_t *pins,
	   bool lenient, char *warn, size_t wsize, struct vs_err *err)
{
	char cpus[128] = "", msg[VS_ERR_MSG_MAX];
	const struct vs_worker *w;
	unsigned int q, i;
	size_t len = 0;

	for (i = 0; i < VS_MAX_PMDS; i++)
		if (sw->pmds[i] != NULL && len < sizeof(cpus))
			len += (size_t)snprintf(cpus + len, sizeof(cpus) - len, "%s%u",
						len ? "," : "", sw->pmds[i]->lcore);
	for (q = 0; q < VS_MAX_QUEUES; q++) {
		if (pins[q] < 0)
			continue;
		if (q >= port->n_rxq)
			return vs_err_set(err, -EINVAL,
					  "pmd-rxq-affinity: port %s has %u rx queue(s), 0 to %u; "
					  "there is no queue %u",
					  port->name, port->n_rxq, port->n_rxq - 1, q);
		for (w = NULL, i = 0; i < VS_MAX_PMDS && w == NULL; i++)
			if (sw->pmds[i] != NULL && (int)sw->pmds[i]->lcore == pins[q])
				w = sw->pmds[i];
		if (w == NULL && !lenient)
			return vs_err_set(err, -EINVAL,
					  "pmd-rxq-affinity: no PMD runs on CPU %d (PMD CPUs: %s; "
					  "add one with set pmd-cpus=...)",
					  pins[q], cpus);
		if (w == NULL)
			snprintf(msg, sizeof(msg),
				 "port %s: queue %u is pinned to CPU %d, which runs no PMD (PMD "
				 "CPUs: %s): it is placed like an unpinned queue",
				 port->name, q, pins[q], cpus);
		else if (port->socket >= 0 && w->socket >= 0 && w->socket != port->socket)
			snprintf(msg, sizeof(msg),
				 "port %s: queue %u is on NUMA node %d, pinned to CPU %d on node "
				 "%d: every packet crosses NUMA nodes",
				 port->name, q, port->socket, pins[q], w->socket);
		else
			continue;
		VS_LOG(WARNING, "%s", msg);
		if (warn != NULL && strlen(warn) + strlen(msg) + 3 < wsize)
			snprintf(warn + strlen(warn), wsize - strlen(warn), "%s%s",
				 warn[0] ? "; " : "", msg);
	}
	return 0;
}

/* OpenFlow port numbers: 1 to 0xfeff (OFPP_MAX), each bridge its own. */
#define OFPORT_MAX 0xfeffu

/* The ofport_request of a port's config entry, 0 if none or not one. */
static uint32_t
entry_ofport(const json_t *e)
{
	json_int_t n = json_integer_value(json_object_get(e, "ofport_request"));

	return n >= 1 && n <= OFPORT_MAX ? (uint32_t)n : 0;
}

/* The configured entry of port 'name' and its bridge's name, or NULL. */
static const json_t *
configured_port(const struct vs_switch *sw, const char *name, const char **bridge)
{
	const json_t *b, *e;
	size_t i, j;

	json_array_foreach (vs_persist_bridges(sw), i, b)
		json_array_foreach (json_object_get(b, "ports"), j, e)
			if (strcmp(json_string_value(json_object_get(e, "name")) ?: "", name) ==
			    0) {
				*bridge = json_string_value(json_object_get(b, "name")) ?: "";
				return e;
			}
	return NULL;
}

/* Whose is number 'n' on bridge 'bridge', but port 'self': a running
 * port's, or one only configured (not created: it keeps its number for
 * when it is); NULL: free. */
static const char *
ofport_owner(const struct vs_switch *sw, const char *bridge, uint32_t n, const char *self)
{
	const json_t *b, *e;
	const char *pname;
	unsigned int i;
	size_t k, j;

	for (i = 0; i < VS_MAX_PORTS; i++)
		if (sw->ports[i] != NULL && sw->ports[i]->ofport == n &&
		    strcmp(sw->ports[i]->br->name, bridge) == 0 && strcmp(sw->ports[i]->name, self))
			return sw->ports[i]->name;
	json_array_foreach (vs_persist_bridges(sw), k, b) {
		if (strcmp(json_string_value(json_object_get(b, "name")) ?: "", bridge) != 0)
			continue;
		json_array_foreach (json_object_get(b, "ports"), j, e) {
			pname = json_string_value(json_object_get(e, "name")) ?: "";
			if (entry_ofport(e) == n && strcmp(pname, self) != 0 &&
			    vs_port_find(sw, pname) == NULL)
				return pname;
		}
	}
	return NULL;
}

/* The number port 'name' gets on 'bridge': the one asked for ('req', 0:
 * none), else the one its saved entry has, else the lowest free one. */
static int
pick_ofport(const struct vs_switch *sw, const char *bridge, const char *name, uint32_t req,
	    uint32_t *out, struct vs_err *err)
{
	const char *owner, *cbr;
	const json_t *e;
	uint32_t n;

	if (req == 0 && (e = configured_port(sw, name, &cbr)) != NULL && strcmp(cbr, bridge) == 0)
		req = entry_ofport(e);
	if (req != 0) {
		owner = ofport_owner(sw, bridge, req, name);
		if (owner != NULL)
			return vs_err_set(err, -EEXIST,
					  "OpenFlow port number %u is port %s's on bridge %s; ask "
					  "for another with ofport_request=N or none",
					  req, owner, bridge);
		*out = req;
		return 0;
	}
	for (n = 1; n <= OFPORT_MAX; n++)
		if (ofport_owner(sw, bridge, n, name) == NULL) {
			*out = n;
			return 0;
		}
	return vs_err_set(err, -ENOSPC, "bridge %s has no OpenFlow port number left", bridge);
}

static int
port_create(struct vs_switch *sw, const char *bridge, const char *name, const char *type,
	    const struct vs_kv *kv, unsigned int n_kv, bool configured, uint32_t ofport,
	    struct vs_err *err)
{
	const struct vs_port_ops *ops;
	struct vs_port_env env;
	struct vs_bridge *br;
	struct vs_port *port;
	char types[128];
	int id, ret;

	br = vs_bridge_find(sw, bridge);
	if (br == NULL)
		return vs_err_set(err, -ENOENT, "no bridge named %s; create it with add-br %s",
				  bridge, bridge);
	if (vs_port_find(sw, name) != NULL)
		return vs_err_set(err, -EEXIST, "port %s already exists", name);
	ops = vs_port_type_find(type);
	if (ops == NULL) {
		vs_port_type_names(types, sizeof(types));
		return vs_err_set(err, -EINVAL, "unknown port type '%s' (known: %s)", type, types);
	}
	id = alloc_id(sw);
	if (id < 0)
		return vs_err_set(err, -ENOSPC, "at most %d ports", VS_MAX_PORTS);
	vs_switch_port_env(sw, &env);
	vs_log_capture_start();
	ret = vs_port_open(ops, name, kv, n_kv, &env, &port, err);
	vs_log_capture_stop(ret < 0 && err != NULL ? err->msg : NULL, VS_ERR_MSG_MAX);
	if (ret < 0)
		return ret;
	ret = check_pins(sw, port, port->conf.rxq_pin, configured, NULL, 0, err);
	if (ret < 0) {
		vs_port_close(port);
		return ret;
	}
	port->id = (uint16_t)id;
	port->br = br;
	port->ofport = ofport;
	sw->ports[id] = port;
	vs_rcu_assign((void **)&sw->dp.ports[id], port);
	ret = vs_bridge_flood_publish(sw, br);
	if (ret == 0)
		ret = vs_sched_publish(sw);
	if (ret < 0) {
		unpublish(sw, port);
		vs_port_close(port);
		return vs_err_set(err, ret, "out of memory while adding port %s", name);
	}
	VS_LOG(INFO,
	       "port %s (%s) added to bridge %s as OpenFlow port %u: %u rx queue(s), %u tx "
	       "queue(s)%s%s",
	       name, type, br->name, ofport, port->n_rxq, port->n_txq,
	       port->txq_shared ? " shared between PMDs" : "",
	       port->stale.rx_packets ? ", stale frames discarded" : "");
	if (port->stale.rx_packets)
		VS_LOG(INFO,
		       "port %s: %" PRIu64 " frames queued before it joined the bridge discarded "
		       "(counted as open_stale)",
		       name, port->stale.rx_packets);
	vs_flows_port_added(sw, br);
	return 0;
}

int
vs_port_add(struct vs_switch *sw, const char *bridge, const char *name, const char *type,
	    const struct vs_kv *kv, unsigned int n_kv, const json_t *entry, struct vs_err *err)
{
	struct vs_port *port;
	uint32_t ofport = 0;
	const json_t *cfg;
	const char *cbr;
	bool as_written;
	json_t *saved;
	int ret;

	if (json_object_get(entry, "ofport_request") != NULL && entry_ofport(entry) == 0)
		return vs_err_set(err, -EINVAL, "ofport_request must be from 1 to %u", OFPORT_MAX);
	if (vs_port_find(sw, name) != NULL)
		return vs_err_set(err, -EEXIST, "port %s already exists", name);
	if ((ret = pick_ofport(sw, bridge, name, entry_ofport(entry), &ofport, err)) < 0)
		return ret;
	/* Saved with its number, so that a restart gives it the same one;
	 * but a port the file has without one (written by hand) keeps its
	 * entry as written: it is numbered in the file's order at each start
	 * (docs/cli.md). */
	cfg = configured_port(sw, name, &cbr);
	as_written = cfg != NULL && json_object_get(cfg, "ofport_request") == NULL &&
		     json_object_get(entry, "ofport_request") == NULL;
	saved = json_deep_copy(entry);
	if (saved == NULL || (!as_written && json_object_set_new(saved, "ofport_request",
								 json_integer(ofport)) < 0)) {
		json_decref(saved);
		return vs_err_set(err, -ENOMEM, "out of memory");
	}
	/* Configured but not created: an add must not overwrite the entry. */
	ret = vs_persist_check_add(sw, "port", saved, err);
	if (ret == 0)
		ret = port_create(sw, bridge, name, type, kv, n_kv, vs_persist_has_port(sw, name),
				  ofport, err);
	if (ret == 0 && (ret = vs_persist_port_add(sw, saved, err)) < 0 &&
	    (port = vs_port_find(sw, name)) != NULL)
		vs_port_remove(sw, port); /* not saved: not made */
	json_decref(saved);
	return ret;
}

struct port_set {
	const char *name;
	const struct vs_kv *kv;
	unsigned int n;
	char *warn;
	size_t wsize;
};

static int
port_set_save(struct vs_switch *sw, void *arg, struct vs_err *err)
{
	struct port_set *a = arg;

	return vs_persist_port_options(sw, a->name, a->kv, a->n, err);
}

static int
port_set_make(struct vs_switch *sw, void *arg, struct vs_err *err)
{
	struct port_set *a = arg;
	struct vs_port *port = vs_port_find(sw, a->name);
	struct vs_port_conf conf, old;
	unsigned int i;
	int ret;

	if ((ret = vs_port_conf_update(port, a->kv, a->n, &conf, err)) < 0)
		return ret;
	if (memcmp(port->conf.rxq_pin, conf.rxq_pin, sizeof(conf.rxq_pin)) != 0 &&
	    (ret = check_pins(sw, port, conf.rxq_pin, false, a->warn, a->wsize, err)) < 0)
		return ret;
	if (port->ops->set != NULL && (ret = port->ops->set(port, &conf, err)) < 0)
		return ret;
	old = port->conf;
	port->conf = conf;
	if (memcmp(old.rxq_pin, conf.rxq_pin, sizeof(conf.rxq_pin)) != 0 &&
	    (ret = vs_sched_publish(sw)) < 0) {
		port->conf = old;
		if (port->ops->set != NULL)
			port->ops->set(port, &old, NULL);
		return vs_err_set(err, ret, "out of memory placing rx queues");
	}
	for (i = 0; i < a->n; i++) {
		vs_port_set_opt(port, a->kv[i].key, a->kv[i].val); /* what show lists */
		VS_LOG(INFO, "port %s: %s=%s", a->name, a->kv[i].key, a->kv[i].val);
	}
	return 0;
}

int
vs_port_set(struct vs_switch *sw, const char *name, const struct vs_kv *kv, unsigned int n,
	    char *warn, size_t wsize, struct vs_err *err)
{
	struct port_set a = {.name = name, .kv = kv, .n = n, .warn = warn, .wsize = wsize};
	struct vs_port *port = vs_port_find(sw, name);
	struct vs_port_conf conf;
	int ret;

	if (port == NULL)
		return vs_err_set(err, -ENOENT, "no port named %s", name);
	/* Checked before it is saved: a bad option never reaches the file. */
	if ((ret = vs_port_conf_update(port, kv, n, &conf, err)) < 0)
		return ret;
	return vs_persist_save_then_make(sw, port_set_save, port_set_make, &a, err);
}

void
vs_port_remove(struct vs_switch *sw, struct vs_port *port)
{
	unpublish(sw, port);
	VS_LOG(INFO, "port %s deleted from bridge %s", port->name, port->br->name);
	vs_port_close(port);
}

int
vs_port_del(struct vs_switch *sw, const char *name, const char *bridge, struct vs_err *err)
{
	struct vs_port *p = vs_port_find(sw, name);
	json_t *flows, *groups;
	int ret;

	if (p != NULL && bridge != NULL && strcmp(p->br->name, bridge) != 0)
		return vs_err_set(err, -ENOENT, "port %s is on bridge %s, not %s", name,
				  p->br->name, bridge);
	/* Configured but never created: forgetting it is deleting it. */
	if (p == NULL && !vs_persist_has_port(sw, name))
		return vs_err_set(err, -ENOENT, "no port named %s", name);
	/* The port, the rules and the group buckets naming it leave the file
	 * in one save. */
	flows = p != NULL ? vs_flows_text_without_port(sw, p->br, p->id) : NULL;
	groups = p != NULL ? vs_groups_text_without_port(sw, p->br, p->id) : NULL;
	if (p != NULL && (flows == NULL || groups == NULL)) {
		json_decref(flows);
		json_decref(groups);
		return vs_err_set(err, -ENOMEM, "out of memory");
	}
	ret = vs_persist_port_del(sw, name, flows, groups, err);
	json_decref(flows);
	json_decref(groups);
	if (ret == 0 && p != NULL)
		vs_port_remove(sw, p);
	return ret;
}
