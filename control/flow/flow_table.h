/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_table.h: a bridge's flow rules, as the control thread keeps
 * them, and the changes operators make to them.
 *
 * Every change is all-or-nothing: the new rule set is compiled into a new
 * classifier snapshot (dataplane/classifier.h) first; only if that works
 * is it published, in one pointer store, and the old snapshot freed after
 * a grace period. A PMD sees the old rules or the new ones, never a mix.
 *
 * A new bridge has one rule, priority=0,actions=normal (it behaves as a
 * learning switch until told otherwise, as OVS bridges do). Deleting every
 * rule makes it drop everything, counted as no_match. */
#ifndef VS_FLOW_TABLE_H
#define VS_FLOW_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "err.h"
#include "flow_parse.h"

struct vs_switch;
struct vs_bridge;

struct vs_rule {
	struct vs_flow_match match;
	uint8_t table_id;
	uint8_t origin; /* enum vs_flow_origin */
	uint16_t flags; /* VS_FF_* */
	uint16_t priority;
	uint16_t n_actions;
	uint32_t idle_timeout; /* seconds, 0: none */
	uint32_t hard_timeout;
	uint64_t cookie;
	uint32_t created; /* vs_switch_now() */
	uint32_t used;    /* when its counters last moved */
	uint32_t slot;    /* in the published snapshot; UINT32_MAX: not yet */
	uint64_t packets; /* from snapshots retired since it was added */
	uint64_t bytes;
	uint64_t seen; /* packets at the last timeout scan */
	struct vs_action actions[];
};

struct vs_flow_table {
	struct vs_rule **rules; /* in the order they were added: slot order */
	uint32_t n;
	json_t *pending;  /* config-file rules naming ports not there: [{flow, error}] */
	uint32_t id_base; /* rule ids of the published pipeline: slot + id_base */
};

/* Bridge creation: the default table, published. */
int vs_flows_init(struct vs_switch *sw, struct vs_bridge *br, struct vs_err *err);
/* Bridge removal, once no port of it is left. */
void vs_flows_fini(struct vs_switch *sw, struct vs_bridge *br);

/* Parse 'text' against the bridge's ports. */
int vs_flows_parse(struct vs_switch *sw, struct vs_bridge *br, const char *text,
		   enum vs_flow_parse_mode mode, struct vs_flow_spec *out, struct vs_err *err);

/* Add rules. A rule with the same match and priority as an existing one
 * replaces it (new actions, cookie, timeouts; counters start again). */
int vs_flows_add(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs,
		 uint32_t n, struct vs_err *err);
/* Delete the rules 'filter' selects (NULL: all, and the pending ones).
 * Loose: rules at least as specific as the filter's match; strict: the
 * same match and priority. Both honour cookie=VALUE/MASK. */
int vs_flows_del(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *filter,
		 bool strict, uint32_t *n_deleted, struct vs_err *err);
/* Give the rules 'spec' selects its actions, keeping their counters. */
int vs_flows_mod(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *spec,
		 bool strict, uint32_t *n_modified, struct vs_err *err);
/* Make the table exactly 'specs' at once. Rules already there with the
 * same match, priority, cookie and actions keep their counters. */
int vs_flows_replace(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs,
		     uint32_t n, uint32_t *n_kept, struct vs_err *err);

/* Does rule 'r' fall under 'filter' (as vs_flows_del selects)? */
bool vs_flows_selects(const struct vs_rule *r, const struct vs_flow_spec *filter, bool strict);

/* Packets and bytes of a rule, including what PMDs count right now. */
void vs_flows_stats(const struct vs_bridge *br, const struct vs_rule *r, uint64_t *packets,
		    uint64_t *bytes);
/* The snapshot's size: distinct masks, and bytes of memory. */
void vs_flows_size(const struct vs_bridge *br, uint32_t *n_masks, uint64_t *bytes);

/* The canonical text of a rule, as dump-flows prints it and the config
 * file stores it. */
int vs_flows_format(struct vs_switch *sw, const struct vs_bridge *br, const struct vs_rule *r,
		    char *buf, size_t size);
/* Its match and its actions, apart. */
void vs_flows_format_parts(struct vs_switch *sw, const struct vs_bridge *br,
			   const struct vs_rule *r, char *match, size_t match_size, char *acts,
			   size_t acts_size);
/* The canonical text from those parts (what vs_flows_format does). */
int vs_flows_format_rule(const struct vs_rule *r, const char *match, const char *acts, char *buf,
			 size_t size);

/* A port of the bridge is going away: delete the rules that name it. */
void vs_flows_port_removed(struct vs_switch *sw, struct vs_bridge *br, uint16_t port_id);
/* The bridge's rules as the config file would keep them once port
 * 'port_id' is gone (saved with the port's removal). NULL: out of memory. */
json_t *vs_flows_text_without_port(struct vs_switch *sw, struct vs_bridge *br, uint16_t port_id);
/* A port was added: install pending rules that can be now. */
void vs_flows_port_added(struct vs_switch *sw, struct vs_bridge *br);

/* The config file's rules at start: the ones naming a missing port wait in
 * 'pending' (kept in the config, installed when the port comes). */
int vs_flows_load(struct vs_switch *sw, struct vs_bridge *br, const json_t *texts,
		  struct vs_err *err);

/* Once a second: idle and hard timeouts. */
void vs_flows_tick(struct vs_switch *sw);

/* The number of PMD counter slots changed: rebuild every snapshot. */
int vs_flows_republish_all(struct vs_switch *sw);

#endif
