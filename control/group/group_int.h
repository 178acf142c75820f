/* SPDX-License-Identifier: BSD-3-Clause */
/* control/group/group_int.h: internal to control/group/, what its files call
 * of each other, one way: group.c (the table and its changes) ->
 * group_check.c (is a new table sound?) and group_persist.c (its text in
 * the config file, port liveness). Not for any other folder: the
 * interface is control/group/group_ctl.h. */
#ifndef VS_GROUP_INT_H
#define VS_GROUP_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "err.h"
#include "group_ctl.h"

struct vs_switch;
struct vs_bridge;

/* The table behind struct vs_bridge.groups: what PMDs read first. */
struct vs_group_table {
	struct vs_groups dp;
	struct vs_group_entry **e; /* sorted by id */
	uint32_t n;
	json_t *waiting; /* config-file groups that could not be made: [{group, error}] */
};

/* The bridge a port lookup or name is for. */
struct vs_group_lookup {
	struct vs_switch *sw;
	const struct vs_bridge *br;
};

/* group_check.c: 0 if 'e' (sorted by id) is a table PMDs may run: every
 * group:N and watch_group names a group of it, no group reaches itself,
 * no chain is deeper than VS_GROUP_DEPTH_MAX, no operator's group names
 * a controller's; else -ENXIO, -ELOOP, -ENOTSUP or -EPERM with 'err'
 * naming the groups. */
int vs_groups_check(struct vs_group_entry *const *e, uint32_t n, struct vs_err *err);
/* group_check.c: a group of 'e' other than 'id' whose buckets use group
 * 'id' (group:ID or watch_group), or VS_GROUP_ANY. */
uint32_t vs_groups_chained_from(struct vs_group_entry *const *e, uint32_t n, uint32_t id);

/* group_persist.c: save the operator's groups among 'e', and the waiting
 * ones, as the bridge's "groups". 0 or -errno with 'err' set. */
int vs_groups_save(struct vs_switch *sw, struct vs_bridge *br, struct vs_group_entry *const *e,
		   uint32_t n, const json_t *waiting, struct vs_err *err);
/* group_persist.c: the texts vs_groups_save would save, without the
 * buckets that name port 'skip' (VS_PORT_NONE: all of them); NULL: out of
 * memory. */
json_t *vs_groups_texts(struct vs_switch *sw, const struct vs_bridge *br,
			struct vs_group_entry *const *e, uint32_t n, const json_t *waiting,
			uint16_t skip);
/* group_persist.c: does bucket 'b' send to (output) or watch port 'port'? */
bool vs_group_bucket_names_port(const struct vs_bucket_spec *b, uint16_t port);
/* group_persist.c: the bridge's ports' link states into its liveness bits. */
void vs_groups_refresh_links(struct vs_switch *sw, struct vs_bridge *br);

#endif
