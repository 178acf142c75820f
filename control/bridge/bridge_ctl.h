/* SPDX-License-Identifier: BSD-3-Clause */
/* control/bridge/bridge_ctl.h: the actions on bridges and their ports. JSON-RPC
 * handlers and the config loader both call these, so each is written once.
 * A failed action changes nothing. */
#ifndef VS_BRIDGE_CTL_H
#define VS_BRIDGE_CTL_H

#include <stdint.h>

#include "bridge.h"
#include "err.h"
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

int vs_bridge_add(struct vs_switch *sw, const char *name, const struct vs_bridge_conf *conf,
		  struct vs_err *err);
/* Removes the bridge's ports first. */
int vs_bridge_del(struct vs_switch *sw, const char *name, struct vs_err *err);
void vs_bridge_del_all(struct vs_switch *sw);
struct vs_bridge *vs_bridge_find(const struct vs_switch *sw, const char *name);
/* Rebuild and publish the bridge's flood list from its current ports. */
int vs_bridge_flood_publish(struct vs_switch *sw, struct vs_bridge *br);

/* 'configured': the port is already in the saved configuration (created at
 * start, or again as configured), so a queue pinned to a CPU that runs no
 * PMD any more is placed like an unpinned one (and warned about) rather
 * than failing the port; a new port with such a pin is refused. */
int vs_port_add(struct vs_switch *sw, const char *bridge, const char *name, const char *type,
		const struct vs_kv *kv, unsigned int n_kv, bool configured, struct vs_err *err);
int vs_port_del(struct vs_switch *sw, const char *name, struct vs_err *err);
/* Change the live options of a running port (pmd-rxq-affinity, a type's
 * own): all of 'kv' or, on error, nothing. What is done but badly (a
 * queue pinned across NUMA nodes) is logged and said in 'warn' ("" if
 * nothing; may be NULL). */
int vs_port_set(struct vs_switch *sw, const char *name, const struct vs_kv *kv, unsigned int n,
		char *warn, size_t wsize, struct vs_err *err);

#endif
