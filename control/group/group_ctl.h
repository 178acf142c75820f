/* SPDX-License-Identifier: BSD-3-Clause */
/* control/group/group_ctl.h: a bridge's OpenFlow groups as the control thread
 * keeps them, the changes every front end makes to them (vswitchctl's
 * add-group/mod-group/del-groups over JSON-RPC, OpenFlow's GROUP_MOD), and
 * their text in ovs-ofctl's group syntax.
 *
 *   group_id=1,type=select,bucket=weight:10,watch_port:p2,actions=output:p2,bucket=...
 *
 * Every change is all-or-nothing: the new table is checked whole (bucket
 * actions naming groups that exist, no loops, chains at most
 * VS_GROUP_DEPTH_MAX deep), compiled into a new version
 * (dataplane/group.h), saved if it changes the operator's groups, then
 * published in one pointer store. The operator's groups are saved in the
 * bridge's "groups" in the config file and restored at start before its
 * rules; a controller's are not (it installs them again).
 *
 * Errors, for the OpenFlow channel to map (OFPET_GROUP_MOD_FAILED unless
 * said): -EEXIST GROUP_EXISTS, -ENOENT UNKNOWN_GROUP (mod), -EINVAL
 * INVALID_GROUP / BAD_TYPE / BAD_BUCKET (the sentence says which),
 * -ELOOP LOOP, -EPERM EPERM (an operator's group naming a controller's,
 * which is not saved), -EBUSY CHAINED_GROUP (deleting a group another one's
 * bucket uses), -ENOTSUP CHAINING_UNSUPPORTED (deeper than 8), -ENOSPC
 * OUT_OF_GROUPS / OUT_OF_BUCKETS, -ENXIO a bucket's group:N or
 * watch_group names no group (OFPET_BAD_ACTION BAD_OUT_GROUP, or
 * BAD_WATCH for watch_group), -ENOMEM and the save's errors as they come. */
#ifndef VS_GROUP_CTL_H
#define VS_GROUP_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "err.h"
#include "flow_parse.h"
#include "group.h"

struct vs_switch;
struct vs_bridge;

#define VS_GROUP_ALL_IDS 0xfffffffcu /* OFPG_ALL: every group (del, dump) */

struct vs_bucket_spec {
	uint16_t weight;      /* select: default 1; others 0 */
	uint16_t watch_port;  /* port id, VS_PORT_NONE: none */
	uint32_t watch_group; /* VS_GROUP_ANY: none */
	uint16_t n_actions;
	struct vs_action actions[VS_ACTIONS_MAX];
};

struct vs_group_spec {
	uint32_t id;    /* VS_GROUP_ALL_IDS: all (del, dump only) */
	uint8_t type;   /* enum vs_group_type */
	uint8_t origin; /* enum vs_flow_origin: the operator's are saved */
	uint16_t n_buckets;
	struct vs_bucket_spec buckets[VS_GROUP_BUCKETS_MAX];
};

/* One group as the control thread keeps it. */
struct vs_group_entry {
	uint32_t id;
	uint8_t type;
	uint8_t origin;
	uint16_t n_buckets;
	uint32_t created; /* vs_switch_now() */
	/* Counted by versions retired since it was made: [0] the group,
	 * [1 + i] bucket i. */
	struct vs_group_ctr ctr[VS_GROUP_BUCKETS_MAX + 1];
	struct vs_bucket_spec *buckets; /* n_buckets */
};

enum vs_group_parse_mode {
	VS_GROUP_PARSE_ADD,   /* add-group, mod-group: group_id, type, buckets */
	VS_GROUP_PARSE_MATCH, /* del-groups, dump-groups: group_id=N or all, nothing else */
};

/* control/group/group_parse.c: 'text' in ovs-ofctl's group syntax into
 * 'out' (ports through 'lookup', bucket actions through vs_flow_parse).
 * 0 or -EINVAL with 'err' naming the item and its position. MATCH mode
 * with an empty text: every group. */
int vs_group_parse(const char *text, enum vs_group_parse_mode mode, vs_port_lookup_fn *lookup,
		   void *ctx, struct vs_group_spec *out, struct vs_err *err);

/* control/group/group_format.c: the canonical text of a group (what
 * dump-groups prints and the config file keeps; vs_group_parse reads it
 * back as the same spec). Returns the length, like snprintf. */
int vs_group_format(uint32_t id, uint8_t type, const struct vs_bucket_spec *b, uint16_t n,
		    vs_port_name_fn *name, void *ctx, char *buf, size_t size);
const char *vs_group_type_name(uint8_t type);

/* control/group/group.c: the actions. */

/* Bridge creation and removal. */
int vs_groups_init(struct vs_switch *sw, struct vs_bridge *br, struct vs_err *err);
void vs_groups_fini(struct vs_switch *sw, struct vs_bridge *br);

/* Parse against the bridge's ports. */
int vs_groups_parse(struct vs_switch *sw, struct vs_bridge *br, const char *text,
		    enum vs_group_parse_mode mode, struct vs_group_spec *out, struct vs_err *err);

/* Add a group: -EEXIST if its id is taken (OpenFlow's ADD). */
int vs_groups_add(struct vs_switch *sw, struct vs_bridge *br, const struct vs_group_spec *spec,
		  struct vs_err *err);
/* Replace a group's type and buckets: -ENOENT if there is none (OpenFlow
 * 1.3's MODIFY). Its counters start again, as Open vSwitch's do. */
int vs_groups_mod(struct vs_switch *sw, struct vs_bridge *br, const struct vs_group_spec *spec,
		  struct vs_err *err);
/* Delete group 'id' (VS_GROUP_ALL_IDS: all) and, as OpenFlow 1.3 says
 * (6.5), every flow rule that sends to it. A group that is not there is
 * not an error (*n_deleted 0). -EBUSY if another group's bucket, not being
 * deleted, uses it. */
int vs_groups_del(struct vs_switch *sw, struct vs_bridge *br, uint32_t id, uint32_t *n_deleted,
		  struct vs_err *err);

/* Reading: the groups in id order, and their counters including what PMDs
 * count right now ('bucket' < 0: the group's own). */
uint32_t vs_groups_count(const struct vs_bridge *br);
const struct vs_group_entry *vs_groups_at(const struct vs_bridge *br, uint32_t i);
const struct vs_group_entry *vs_groups_get(const struct vs_bridge *br, uint32_t id);
void vs_groups_stats(const struct vs_bridge *br, const struct vs_group_entry *e, int bucket,
		     uint64_t *packets, uint64_t *bytes);
/* The group's canonical text against the bridge's port names. */
int vs_groups_format(struct vs_switch *sw, const struct vs_bridge *br,
		     const struct vs_group_entry *e, char *buf, size_t size);
/* How many flow rules send to group 'id'. */
uint32_t vs_groups_rules_using(const struct vs_bridge *br, uint32_t id);

/* The config file's groups at start, before the bridge's rules. One that
 * cannot be made (a port missing) is logged and kept, as written, in the
 * file (it waits: 'waiting'), never dropped. */
int vs_groups_load(struct vs_switch *sw, struct vs_bridge *br, const json_t *texts,
		   struct vs_err *err);
/* Group texts from the config file that could not be made: {group, error}. */
const json_t *vs_groups_waiting(const struct vs_bridge *br);

/* A port of the bridge is going: the buckets that send to it (output) or
 * watch it are dropped from their groups (a group left with none drops
 * what it gets, counted group_no_bucket), as the rules that name it are
 * deleted, before its id can be handed out again; those groups' counters
 * start again, as a mod-group's do. Not saved: vs_groups_text_without_port
 * gave the port's removal what to save. */
void vs_groups_port_removed(struct vs_switch *sw, struct vs_bridge *br, uint16_t port_id);
/* The bridge's "groups" for the config file as they will be once port
 * 'port_id' is gone; NULL: out of memory. */
json_t *vs_groups_text_without_port(struct vs_switch *sw, struct vs_bridge *br, uint16_t port_id);

/* Once a second, and after a change: each port's link state into the
 * liveness PMDs read (fast_failover, watch_port). */
void vs_groups_tick(struct vs_switch *sw);

#endif
