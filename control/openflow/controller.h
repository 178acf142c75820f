/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/controller.h: the OpenFlow side of each bridge, and the
 * actions on it that every front end calls (JSON-RPC, the config loader):
 * its controller targets (tcp:IP[:PORT] the switch connects to, with
 * backoff; ptcp:PORT[:IP] it listens on), its fail mode, datapath id and
 * packet-in rate limit. Each action validates, saves what it changes in the
 * bridge's "openflow" entry of the configuration (control/persist/), then
 * applies it; a failed one changes nothing.
 *
 * The daemon calls vs_of_init once the loop exists, vs_of_tick on every
 * turn of the loop (timers, reconnects, packet-ins), vs_of_fini at exit. */
#ifndef VS_CONTROLLER_H
#define VS_CONTROLLER_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "err.h"

struct vs_switch;
struct vs_bridge;

#define VS_OF_TARGETS_MAX   8
#define VS_OF_TARGET_MAX    64   /* "tcp:255.255.255.255:65535", with room */
#define VS_OF_RATE_DEFAULT  1000 /* packet-ins per second, as OVS's controller_rate_limit */
#define VS_OF_BURST_DEFAULT 100
#define VS_OF_RATE_MIN      1
#define VS_OF_RATE_MAX      1000000

enum vs_of_fail_mode {
	VS_OF_FAIL_STANDALONE, /* no controller: the bridge is a learning switch */
	VS_OF_FAIL_SECURE,     /* no controller: the rules stay, nothing is added */
};

/* What vs_of_bridge_set changes: the fields whose has_* is true. */
struct vs_of_bridge_conf {
	bool has_fail_mode, has_dpid, has_rate, has_burst;
	uint8_t fail_mode; /* enum vs_of_fail_mode */
	uint64_t dpid;     /* 0 with has_dpid: back to the one derived from the name */
	uint32_t rate, burst;
};

int vs_of_init(struct vs_switch *sw);
void vs_of_fini(struct vs_switch *sw);
/* Every loop turn; true if there was work (packet-ins left to drain). */
bool vs_of_tick(struct vs_switch *sw, uint64_t now_ms);

/* Make the bridge's controllers exactly 'targets' (connections to targets
 * that stay are kept). -EINVAL for a target that does not parse, with a
 * sentence saying what would. */
int vs_of_set_controllers(struct vs_switch *sw, struct vs_bridge *br, const char *const *targets,
			  unsigned int n, struct vs_err *err);
int vs_of_del_controllers(struct vs_switch *sw, struct vs_bridge *br, struct vs_err *err);
int vs_of_bridge_set(struct vs_switch *sw, struct vs_bridge *br,
		     const struct vs_of_bridge_conf *conf, struct vs_err *err);
/* Parse one target; 0 or -EINVAL with the sentence. */
int vs_of_target_check(const char *text, struct vs_err *err);
/* Parse "standalone"/"secure"; -EINVAL otherwise. */
int vs_of_fail_mode_parse(const char *text, uint8_t *mode, struct vs_err *err);

/* At start: the bridge's saved "openflow" entry (NULL: none), as the
 * actions would take it; nothing is written. */
int vs_of_apply(struct vs_switch *sw, struct vs_bridge *br, const json_t *entry,
		struct vs_err *err);

/* For show and controller.list: targets, their state, role, version,
 * messages in and out; fail mode, datapath id, packet-in counters. */
json_t *vs_of_bridge_json(struct vs_switch *sw, const struct vs_bridge *br);

/* The bridge's datapath id: the operator's, or from its MAC (derived
 * from its name when it has none: locally administered, stable). */
uint64_t vs_of_datapath_id(struct vs_switch *sw, const struct vs_bridge *br);

#endif
