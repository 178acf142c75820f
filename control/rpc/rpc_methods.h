/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_methods.h: each module's method table is registered by its
 * init function, called in order from vswitchd's main(); plus the JSON
 * shapes of objects that several methods return. */
#ifndef VS_RPC_METHODS_H
#define VS_RPC_METHODS_H

#include <stdbool.h>
#include <jansson.h>
#include <rte_ether.h>

#include "bridge_ctl.h"
#include "fdb.h"
#include "port.h"
#include "rpc.h"

struct vs_switch;
struct vs_bridge;
struct vs_port;

int vs_rpc_bridge_init(struct vs_rpc *rpc);
int vs_rpc_port_init(struct vs_rpc *rpc);
int vs_rpc_switch_init(struct vs_rpc *rpc);
int vs_rpc_flow_init(struct vs_rpc *rpc);
int vs_rpc_group_init(struct vs_rpc *rpc);
int vs_rpc_pmd_init(struct vs_rpc *rpc);
int vs_rpc_openflow_init(struct vs_rpc *rpc);
int vs_rpc_ssl_init(struct vs_rpc *rpc);
/* All of the above, in order: the methods vswitchd serves. */
int vs_rpc_methods_init(struct vs_rpc *rpc);

json_t *vs_rpc_bridge_json(const struct vs_switch *sw, const struct vs_bridge *br, bool detail);
json_t *vs_rpc_port_json(const struct vs_port *port);
/* 'params' without 'key' (may_exist, if_exists: how a request was made,
 * not what is saved); a new object, NULL: out of memory. */
json_t *vs_rpc_params_without(const json_t *params, const char *key);
/* A port's counters and drops by reason, as port.stats returns them. */
json_t *vs_rpc_port_stats_json(const struct vs_port *port);

/* The decoded parameters of bridge.add, port.add and fdb.add/fdb.del, and
 * their decoders: the very tables the methods are registered with, shared
 * with vswitchd --check-config so that a file is judged as the daemon
 * would. Pointers borrow from 'params'. */
struct vs_bridge_args {
	const char *name;
	struct vs_bridge_conf conf; /* mac_aging, mac_max: defaults when absent */
	bool may_exist;             /* bridge.add: an existing bridge is no error (not saved) */
};
struct vs_port_params {
	const char *bridge, *name, *type;
	struct vs_kv kv[VS_OPTS_MAX]; /* "options" */
	unsigned int n_kv;
	uint32_t ofport_request; /* OpenFlow port number asked for, 0: any (saved) */
	bool may_exist;          /* port.add: the port on this bridge is no error (not saved) */
};
struct vs_fdb_args {
	const char *bridge, *port; /* port: fdb.add's only */
	struct vs_fdb_key key;     /* "mac" and "vlan" (0 when absent) */
	bool may_exist;
};
int vs_bridge_params(const json_t *params, struct vs_bridge_args *args, struct vs_err *err);
int vs_port_params(const json_t *params, struct vs_port_params *pp, struct vs_err *err);
/* As fdb.add has them: bridge, port, mac, vlan, may_exist. */
int vs_fdb_params(const json_t *params, struct vs_fdb_args *args, struct vs_err *err);

/* Lower case, as ip(8) prints them: "52:54:00:00:00:0a". */
void vs_rpc_format_mac(char *buf, size_t size, const struct rte_ether_addr *mac);

#endif
