/* SPDX-License-Identifier: BSD-3-Clause */
/* control/persist.h: the configuration as the operator built it.
 *
 * Bridges, their ports and static MAC entries, in the config file's JSON
 * shape (docs/cli.md). Every change made through the control socket updates
 * it and rewrites the config file atomically, so a restarted vswitchd comes
 * back with the same bridges and ports. What the config file asks for but
 * could not be created (a missing device) stays in it, with its error, until
 * the operator deletes it: a daemon restart never forgets configuration. */
#ifndef VS_PERSIST_H
#define VS_PERSIST_H

#include <stdbool.h>
#include <jansson.h>

#include "err.h"

struct vs_switch;

/* From the config file's "bridges" (may be NULL). */
int vs_persist_init(struct vs_switch *sw);
void vs_persist_fini(struct vs_switch *sw);

/* Record a change (params as the JSON-RPC methods take them) and save. */
void vs_persist_bridge_add(struct vs_switch *sw, const json_t *params);
void vs_persist_bridge_del(struct vs_switch *sw, const char *name);
void vs_persist_port_add(struct vs_switch *sw, const json_t *params);
void vs_persist_port_del(struct vs_switch *sw, const char *name);
void vs_persist_fdb_add(struct vs_switch *sw, const char *bridge, const char *port, const char *mac,
			int vlan);
void vs_persist_fdb_del(struct vs_switch *sw, const char *bridge, const char *mac, int vlan);
/* port NULL: all static entries of the bridge. */
void vs_persist_fdb_flush(struct vs_switch *sw, const char *bridge, const char *port);

/* Configured but not created: is this bridge or port only in the config?
 * Removing it from the config is then all there is to delete it. */
bool vs_persist_has_bridge(const struct vs_switch *sw, const char *name);
bool vs_persist_has_port(const struct vs_switch *sw, const char *name);

/* A daemon setting changed at run time (vswitchctl set): kept in the
 * "daemon" section. */
void vs_persist_daemon_set(struct vs_switch *sw, const char *key, const char *value);
/* A port option changed at run time ("" removes it). */
void vs_persist_port_options(struct vs_switch *sw, const char *port, const char *key,
			     const char *value);

/* A bridge's flow rules, as their text (steals 'flows'). No "flows" in a
 * bridge means the default table. */
void vs_persist_flows(struct vs_switch *sw, const char *bridge, json_t *flows);

/* Why a configured object could not be created at start (NULL: it was). */

void vs_persist_set_error(struct vs_switch *sw, const char *what, const char *name,
			  const char *msg);
/* The configured bridges, for show; and the errors by "bridge:NAME" or
 * "port:NAME". Borrowed references. */
const json_t *vs_persist_bridges(const struct vs_switch *sw);
const json_t *vs_persist_errors(const struct vs_switch *sw);

#endif
