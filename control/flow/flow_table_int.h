/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_table_int.h: internal to control/flow/, what its files
 * call of each other, one way: flow_load.c -> flow_pipeline.c ->
 * flow_table.c -> flow_index.c, flow_persist.c. Not for any other folder:
 * the interface of the flow table is control/flow/flow_table.h. */
#ifndef VS_FLOW_TABLE_INT_H
#define VS_FLOW_TABLE_INT_H

#include <stdint.h>
#include <jansson.h>

#include "err.h"
#include "flow_table.h"

struct vs_switch;
struct vs_bridge;

/* Per table in use: its rules, and how many of them look at each bit of
 * the key (so that the union of their masks is exact after removals). */
struct flow_tbl {
	uint32_t n_rules;
	uint64_t used[VS_KEY_WORDS]; /* bits some rule's mask has */
	uint32_t bits[VS_KEY_WORDS * 64];
};

/* How a change reaches the config file. */
enum save {
	SAVE_NO,  /* not the operator's change (expiry, a port going), or from the file */
	SAVE_YES, /* the operator's rules saved before the change applies; refused if not */
};

/* ---- flow_pipeline.c, for flow_load.c ---- */

/* The table becomes 'specs' and the rules waiting for a port 'pending'
 * (stolen), as read from the config file: nothing is saved. */
int vs_flows_set_loaded(struct vs_switch *sw, struct vs_bridge *br,
			const struct vs_flow_spec *specs, uint32_t n, json_t *pending,
			struct vs_err *err);

/* ---- flow_table.c, for flow_load.c and flow_pipeline.c ---- */

/* 'specs' (waiting rules whose port came) added, the waiting list becoming
 * 'pending' (stolen); nothing is saved: the file has them. */
int vs_flows_add_waiting(struct vs_switch *sw, struct vs_bridge *br,
			 const struct vs_flow_spec *specs, uint32_t n, json_t *pending,
			 struct vs_err *err);
/* The in-place add behind vs_flows_add and the above. */
int vs_flows_add_in_place(struct vs_switch *sw, struct vs_bridge *br,
			  const struct vs_flow_spec *specs, uint32_t n, enum save save,
			  struct vs_err *err);
/* A rule from 'spec', not in any table yet (id and seq unset). NULL: out of memory. */
struct vs_rule *vs_flows_rule_new(const struct vs_flow_spec *s, uint32_t now);
/* A copy of 'r' for another table structure: same id, seq, counters. */
struct vs_rule *vs_flows_rule_clone(const struct vs_rule *r);
void vs_flows_rule_free(struct vs_rule *r);
/* Can 'spec' be added to 't' (table id, goto_table, check_overlap, the
 * size 'more' rules would make)? 0 or -errno with 'err' set. */
int vs_flows_check_add(const struct vs_flow_table *t, const struct vs_flow_spec *spec,
		       uint32_t more, struct vs_err *err);
/* Does 'r' name port 'port' (in_port or an output)? */
bool vs_flows_names_port(const struct vs_rule *r, uint16_t port);
/* A goto_table among 'a' goes to a table above 'table'? 0 or -EINVAL. */
int vs_flows_check_gotos(const struct vs_action *a, uint16_t n, uint8_t table, struct vs_err *err);
/* The output:CONTROLLER actions among 'a', which are (or become) rule
 * r's, carry its table, cookie and table-miss-ness (VS_AF_TABLE_MISS) for
 * their packet-ins: called wherever a rule gets actions. */
void vs_flows_stamp_actions(const struct vs_rule *r, struct vs_action *a, uint16_t n);
/* Has rule 'r' the actions, cookie and timeouts of 's'? */
bool vs_flows_same_actions(const struct vs_rule *r, const struct vs_flow_spec *s);
/* One rule of a change: 'old' (NULL: none) becomes 'new' (NULL: gone). */
struct vs_flow_change {
	struct vs_rule *old, *new;
};
/* Save the operator's rules as they will be after 'ch' (and the waiting
 * rules 'pending', NULL: as they are), if 'save' and the change touches
 * one of them (or 'pending'). 0 or -errno with 'err' set. */
int vs_flows_save_change(struct vs_switch *sw, struct vs_bridge *br,
			 const struct vs_flow_change *ch, uint32_t n, const json_t *pending,
			 enum save save, struct vs_err *err);
/* A change was saved ('saved') but could not apply: the file gets the
 * rules as they are again (logged if it cannot). */
void vs_flows_save_undo(struct vs_switch *sw, struct vs_bridge *br, bool saved);
/* Counters start again from now. */
void vs_flows_reset_ctrs(const struct vs_bridge *br, struct vs_rule *r);
/* Tell the removed-rule hook, if any. */
void vs_flows_notify_removed(struct vs_switch *sw, struct vs_bridge *br, const struct vs_rule *r,
			     enum vs_flow_removed_reason reason);

/* ---- flow_index.c: the table's structures, for flow_table.c and flow_pipeline.c ---- */

void vs_flows_struct_init(struct vs_flow_table *t);
/* Free the structures (not the rules, not the ids, not pending). */
void vs_flows_struct_fini(struct vs_flow_table *t);
/* Room for 'more' rules, of which any may be the operator's, in tables
 * already made (vs_flows_tbl): afterwards vs_flows_link cannot fail. */
int vs_flows_reserve(struct vs_flow_table *t, uint32_t more);
/* Make sure table 'id' has its structure. -ENOMEM. */
int vs_flows_tbl(struct vs_flow_table *t, uint8_t id);
void vs_flows_link(struct vs_flow_table *t, struct vs_rule *r);
void vs_flows_unlink(struct vs_flow_table *t, struct vs_rule *r);
/* r->origin changes to 'origin' (the ops list follows; room reserved). */
void vs_flows_set_origin(struct vs_flow_table *t, struct vs_rule *r, uint8_t origin);
/* The rule of that identity, or NULL: O(1). */
struct vs_rule *vs_flows_find(const struct vs_flow_table *t, uint8_t table,
			      const struct vs_flow_match *m, uint16_t priority);
/* The rules 'f' selects (NULL: all), in a new array in *out (NULL if none):
 * strict through the index, loose through it too when no rule in a table
 * in scope looks at a bit the filter does not (then a selected rule has
 * the filter's exact match), else by a scan. */
int vs_flows_select(const struct vs_flow_table *t, const struct vs_flow_spec *f, bool strict,
		    struct vs_rule ***out, uint32_t *n);

/* Rule ids (flow_index.c): 0 or -ENOSPC/-ENOMEM. */
int vs_flow_id_alloc(struct vs_switch *sw, struct vs_bridge *br, uint32_t *id);
/* An id a PMD may have seen: reused after a grace period. */
void vs_flow_id_release(struct vs_switch *sw, struct vs_bridge *br, uint32_t id);
/* An id no PMD has seen (never installed, or after vs_switch_sync): free now. */
void vs_flow_id_unused(struct vs_bridge *br, uint32_t id);
/* Move the ids past their grace period to the free list (non-blocking). */
void vs_flow_ids_reclaim(struct vs_switch *sw, struct vs_bridge *br);
void vs_flow_ids_fini(struct flow_ids *ids);

/* ---- flow_persist.c, for flow_table.c and flow_pipeline.c ---- */

/* Save the bridge's operator rules as they will be ('rules', the waiting
 * ones 'pending') into the configuration, before the change applies. 0 or
 * -errno with 'err' set: then nothing changed. */
int vs_flows_save(struct vs_switch *sw, const struct vs_bridge *br, struct vs_rule *const *rules,
		  uint32_t n, const json_t *pending, struct vs_err *err);
/* The text the config file keeps for a bridge whose rules are 'rules' and
 * whose waiting rules are 'pending': a new array, NULL if out of memory.
 * Only the operator's rules, in the order they were added; rules with a
 * timeout are not saved. */
json_t *vs_flows_text(struct vs_switch *sw, const struct vs_bridge *br,
		      struct vs_rule *const *rules, uint32_t n, const json_t *pending);
/* Report the pending rules (or their absence) as the bridge's "flows"
 * config error. */
void vs_flows_pending_changed(struct vs_switch *sw, struct vs_bridge *br);

#endif
