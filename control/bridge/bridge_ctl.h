/* SPDX-License-Identifier: BSD-3-Clause */
/* control/bridge/bridge_ctl.h: the actions on bridges, their ports and their
 * static MAC entries. JSON-RPC handlers and the config loader (and any
 * later front end) call these, so each is written once, and each saves
 * what it changes in the configuration (control/persist/persist.h) before
 * it returns: no front end saves. A failed action changes nothing, in the
 * switch or in the file. */
#ifndef VS_BRIDGE_CTL_H
#define VS_BRIDGE_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "bridge.h"
#include "err.h"
#include "fdb.h"
#include "port.h"

struct vs_switch;

#define VS_MAC_AGING_MIN 1
#define VS_MAC_AGING_MAX 86400
#define VS_MAC_MAX_MIN   16
#define VS_MAC_MAX_MAX   (1u << 20)

struct vs_bridge_conf {
	uint32_t mac_aging; /* seconds */
	uint32_t mac_max;   /* entries */
};

/* 'entry': the bridge as the config file keeps it (bridge.add's params),
 * saved as given, so that adding what the file says writes nothing. A
 * bridge configured but not created is not overwritten: -EEXIST unless
 * 'entry' is what the file says. */
int vs_bridge_add(struct vs_switch *sw, const char *name, const struct vs_bridge_conf *conf,
		  const json_t *entry, struct vs_err *err);
/* Removes the bridge's ports, static MACs and rules too; one only in the
 * configuration (never created) is forgotten. */
int vs_bridge_del(struct vs_switch *sw, const char *name, struct vs_err *err);
/* Shutting down: every bridge goes, nothing is saved. */
void vs_bridge_del_all(struct vs_switch *sw);
struct vs_bridge *vs_bridge_find(const struct vs_switch *sw, const char *name);
/* Rebuild and publish the bridge's flood list from its current ports. */
int vs_bridge_flood_publish(struct vs_switch *sw, struct vs_bridge *br);

/* 'entry': the port as port.add takes it (with "bridge"), saved as given.
 * A port already in the saved configuration (created at start, or again
 * as configured) with a queue pinned to a CPU that runs no PMD any more
 * has that queue placed like an unpinned one (and warned about) rather
 * than failing; a new port with such a pin is refused. A port configured
 * but not created is not overwritten, as for bridges. */
int vs_port_add(struct vs_switch *sw, const char *bridge, const char *name, const char *type,
		const struct vs_kv *kv, unsigned int n_kv, const json_t *entry, struct vs_err *err);
/* The port of 'br' with OpenFlow port number 'ofport', or NULL. A port
 * gets its number when added: the one its entry asks for
 * ("ofport_request", 1-65279: -EEXIST if another port of the bridge has
 * it), else the one its saved entry has, else the lowest free one; it is
 * saved in the entry, so it stays across restarts, and is free again once
 * the port is deleted. */
struct vs_port *vs_bridge_ofport(struct vs_switch *sw, const struct vs_bridge *br, uint32_t ofport);

/* 'bridge' (NULL: any) must be the port's. Its static MACs and the rules
 * naming it go too, in the same save; one only in the configuration is
 * forgotten. */
int vs_port_del(struct vs_switch *sw, const char *name, const char *bridge, struct vs_err *err);
/* Change the live options of a running port (pmd-rxq-affinity, a type's
 * own): all of 'kv' or, on error, nothing. What is done but badly (a
 * queue pinned across NUMA nodes) is logged and said in 'warn' ("" if
 * nothing; may be NULL). */
int vs_port_set(struct vs_switch *sw, const char *name, const struct vs_kv *kv, unsigned int n,
		char *warn, size_t wsize, struct vs_err *err);

/* control/bridge/bridge_fdb.c: the operator's static MAC entries of 'br'.
 * Add: 'port' must be on the bridge; an entry that is another port's static
 * one moves only with 'may_exist'. Saved, then made; put back in the file
 * if making it fails (a full table). */
int vs_bridge_fdb_add(struct vs_switch *sw, struct vs_bridge *br, const char *port,
		      const struct vs_fdb_key *key, bool may_exist, struct vs_err *err);
/* -ENOENT if the bridge has no entry for 'key' (learnt or static). */
int vs_bridge_fdb_del(struct vs_switch *sw, struct vs_bridge *br, const struct vs_fdb_key *key,
		      struct vs_err *err);
/* Forget the MACs, learnt and static, of 'port' (NULL: all of the bridge's);
 * how many in *n_flushed. */
int vs_bridge_fdb_flush(struct vs_switch *sw, struct vs_bridge *br, const char *port,
			unsigned int *n_flushed, struct vs_err *err);

#endif
