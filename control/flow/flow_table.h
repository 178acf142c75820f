/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_table.h: a bridge's flow rules, as the control thread keeps
 * them, and the changes operators and controllers make to them.
 *
 * A bridge's rules live in its pipeline (dataplane/pipeline.h): up to
 * VS_TABLES tables, each changed in place. Adds, modifies and deletes
 * (whatever their size) change the tables the PMDs search while they
 * search them, and are all-or-nothing: a batch that fails halfway is
 * undone before the call returns. Replace-flows, bundles and the config
 * load build a new pipeline and publish it whole: a PMD sees the old rules
 * or the new ones, never a mix. Nothing waits for a grace period on the
 * common path: what PMDs may still see is freed later (vs_flows_tick).
 *
 * A rule's identity is (table, match, priority), found in O(1) through a
 * persistent index. The operator's rules (vswitchctl, the config file) are
 * saved before they apply; a controller's are never saved.
 *
 * A new bridge has one rule, table 0, priority=0,actions=normal (it
 * behaves as a learning switch until told otherwise, as OVS bridges do).
 * Deleting every rule makes it drop everything, counted as no_match. */
#ifndef VS_FLOW_TABLE_H
#define VS_FLOW_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "common.h"
#include "err.h"
#include "flow_parse.h"
#include "flowkey.h"

struct vs_switch;
struct vs_bridge;

struct vs_cls_entry;
struct flow_tbl;

struct vs_rule {
	struct vs_flow_match match; /* key masked */
	uint8_t table_id;
	uint8_t origin; /* enum vs_flow_origin */
	uint16_t flags; /* VS_FF_* */
	uint16_t priority;
	uint16_t n_actions;
	uint32_t idle_timeout; /* seconds, 0: none */
	uint32_t hard_timeout;
	uint64_t cookie;
	uint32_t created;       /* vs_switch_now() */
	uint64_t created_tsc;   /* rte_rdtsc() then: OpenFlow's duration_sec and _nsec */
	uint32_t used;          /* when its counters last moved */
	uint32_t id;            /* its counters' index in the bridge's vs_flow_ctrs */
	uint32_t seq;           /* the add order: the older of two overlapping rules wins */
	struct vs_cls_entry *e; /* in its table; NULL: not installed */
	/* The table's bookkeeping (control/flow only). */
	uint32_t pos;          /* in vs_flow_table.rules */
	uint32_t opos;         /* in vs_flow_table.ops; UINT32_MAX: not the operator's */
	uint32_t hash;         /* of the match: the identity index's */
	struct vs_rule *hnext; /* the identity index's chain */
	uint64_t base_packets; /* what its counters held when they started again */
	uint64_t base_bytes;
	uint64_t seen; /* packets at the last timeout scan */
	struct vs_action *actions;
};

/* Rule ids: a free list, ids freed by a removal waiting a grace period
 * before they are reused (a PMD may still count into them). */
struct flow_ids {
	uint32_t *free; /* ready: counters cleared */
	uint32_t n_free, free_cap;
	struct flow_limbo {
		uint32_t id;
		uint64_t token; /* rte_rcu_qsbr_start's */
	} * limbo;              /* oldest first, from limbo_head */
	uint32_t limbo_head, limbo_n, limbo_cap;
	uint32_t next; /* ids from here on never used */
};

/* A rule removed by a timeout or a delete, as OpenFlow's FLOW_REMOVED
 * gives it (reasons: OFPRR_*). */
enum vs_flow_removed_reason {
	VS_FLOW_REMOVED_IDLE = 0,
	VS_FLOW_REMOVED_HARD = 1,
	VS_FLOW_REMOVED_DELETE = 2,
	VS_FLOW_REMOVED_GROUP_DELETE = 3, /* the group it sends to was deleted */
};

/* Called for every rule a timeout or a delete removes (any origin, any
 * flags: the callee looks at r->flags & VS_FF_SEND_FLOW_REM), before the
 * rule is freed; it must not change the table. */
typedef void vs_flows_removed_fn(void *ctx, struct vs_bridge *br, const struct vs_rule *r,
				 enum vs_flow_removed_reason reason, uint64_t packets,
				 uint64_t bytes, uint32_t duration);

struct vs_flow_table {
	struct vs_rule **rules; /* every rule of every table, in no order */
	uint32_t n, cap;
	struct vs_rule **ops; /* the operator's rules (saved), in no order */
	uint32_t n_ops, ops_cap;
	struct vs_rule **idx; /* identity index: chains by hash of the match */
	uint32_t idx_mask;
	struct flow_tbl *tbl[VS_TABLES]; /* per table in use: rule count, masks; NULL: none yet */
	uint32_t seq;                    /* the next rule's */
	uint32_t age_cursor;             /* the timeout scan's round-robin (vs_flows_tick) */
	struct flow_ids ids;
	json_t *pending; /* config-file rules naming ports not there: [{flow, error}] */
};

/* One change of a bundle (vs_flows_bundle). */
enum vs_flow_op_kind {
	VS_FLOW_OP_ADD,
	VS_FLOW_OP_MOD,
	VS_FLOW_OP_DEL,
};

struct vs_flow_op {
	uint8_t kind;                    /* enum vs_flow_op_kind */
	bool strict;                     /* MOD, DEL */
	const struct vs_flow_spec *spec; /* DEL: NULL selects every rule */
};

/* Bridge creation: the default table, published. */
int vs_flows_init(struct vs_switch *sw, struct vs_bridge *br, struct vs_err *err);
/* Bridge removal, once no port of it is left. */
void vs_flows_fini(struct vs_switch *sw, struct vs_bridge *br);

/* Parse 'text' against the bridge's ports. */
int vs_flows_parse(struct vs_switch *sw, struct vs_bridge *br, const char *text,
		   enum vs_flow_parse_mode mode, struct vs_flow_spec *out, struct vs_err *err);

/* Add rules into their tables (spec->table_id). A rule with the same
 * table, match and priority as an existing one replaces it (new actions,
 * cookie, timeouts, flags; counters start again). -EEXIST if a rule has
 * VS_FF_CHECK_OVERLAP and overlaps one of the same priority in its table;
 * -EINVAL for a goto_table that does not go to a higher table. Rules of
 * origin VS_ORIGIN_OPERATOR are saved first. */
int vs_flows_add(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs,
		 uint32_t n, struct vs_err *err);
/* Delete the rules 'filter' selects (NULL: all, and the pending ones).
 * Loose: rules at least as specific as the filter's match; strict: the
 * same match and priority. Both honour cookie=VALUE/MASK, the table
 * (has_table; else every table) and out_port/out_group. */
int vs_flows_del(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *filter,
		 bool strict, uint32_t *n_deleted, struct vs_err *err);
/* vs_flows_del, telling the removed-rule hook 'why' (a group's deletion
 * takes its rules with it: VS_FLOW_REMOVED_GROUP_DELETE). */
int vs_flows_del_why(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *filter,
		     bool strict, enum vs_flow_removed_reason why, uint32_t *n_deleted,
		     struct vs_err *err);
/* Give the rules 'spec' selects its actions, keeping their counters
 * (unless spec->flags has VS_FF_RESET_COUNTS). */
int vs_flows_mod(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *spec,
		 bool strict, uint32_t *n_modified, struct vs_err *err);
/* Make the bridge's rules exactly 'specs' at once (every table). Rules
 * already there with the same identity, cookie and actions keep their
 * counters. */
int vs_flows_replace(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs,
		     uint32_t n, uint32_t *n_kept, struct vs_err *err);
/* 'n_ops' adds, modifies and deletes, each on the result of the ones
 * before, published at once, all or nothing (OpenFlow bundles,
 * ovs-ofctl --bundle). The error names the op (err->item, 1-based). */
int vs_flows_bundle(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_op *ops,
		    uint32_t n_ops, struct vs_err *err);

/* The hook for removed rules (NULL: none), for every bridge. */
void vs_flows_set_removed_cb(struct vs_switch *sw, vs_flows_removed_fn *fn, void *ctx);

/* qsort order of rule pointers (struct vs_rule **): by table, highest
 * priority first, then the order they were added: the order each table
 * considers them, and what dump-flows shows, over JSON-RPC and OpenFlow. */
int vs_flows_cmp_order(const void *a, const void *b);

/* Does rule 'r' fall under 'filter' (as vs_flows_del selects)? */
bool vs_flows_selects(const struct vs_rule *r, const struct vs_flow_spec *filter, bool strict);

/* Packets and bytes of a rule, including what PMDs count right now. */
void vs_flows_stats(const struct vs_bridge *br, const struct vs_rule *r, uint64_t *packets,
		    uint64_t *bytes);
/* The pipeline's size: distinct masks (summed over tables), and bytes of memory. */
void vs_flows_size(const struct vs_bridge *br, uint32_t *n_masks, uint64_t *bytes);
/* A table's rules and its counters (lookups that reached it, and that
 * found a rule). */
void vs_flows_table_stats(const struct vs_bridge *br, uint8_t table, uint32_t *n_rules,
			  uint64_t *lookups, uint64_t *matched);
/* Does the bridge have rules in 'table'? */
bool vs_flows_table_used(const struct vs_bridge *br, uint8_t table);

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

/* Once a second: idle and hard timeouts, and freeing what PMDs no longer
 * see. */
void vs_flows_tick(struct vs_switch *sw);
/* Free what the tables retired and no PMD can see any more (non-blocking;
 * the tick does it once a second). */
void vs_flows_reclaim(struct vs_switch *sw);

/* The number of PMD slots changed: nothing to do any more (every PMD has
 * its counters); kept for control/settings. */
int vs_flows_republish_all(struct vs_switch *sw);

#endif
