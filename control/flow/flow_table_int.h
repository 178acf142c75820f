/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_table_int.h: internal to control/flow/, what its files
 * call of each other, one way: flow_load.c -> flow_table.c ->
 * flow_persist.c. Not for any other folder: the interface of the flow table
 * is control/flow/flow_table.h. */
#ifndef VS_FLOW_TABLE_INT_H
#define VS_FLOW_TABLE_INT_H

#include <stdint.h>
#include <jansson.h>

#include "err.h"
#include "flow_table.h"

struct vs_switch;
struct vs_bridge;

/* flow_table.c, for flow_load.c: the table becomes 'specs' and the rules waiting for a port
 * 'pending' (stolen), as read from the config file: nothing is saved. */
int vs_flows_set_loaded(struct vs_switch *sw, struct vs_bridge *br,
			const struct vs_flow_spec *specs, uint32_t n, json_t *pending,
			struct vs_err *err);
/* flow_table.c, for flow_load.c: 'specs' (waiting rules whose port came) added, the waiting
 * list becoming 'pending' (stolen); nothing is saved: the file has them. */
int vs_flows_add_waiting(struct vs_switch *sw, struct vs_bridge *br,
			 const struct vs_flow_spec *specs, uint32_t n, json_t *pending,
			 struct vs_err *err);

/* flow_persist.c, for flow_table.c: save the bridge's rules as they will be
 * ('rules', the waiting ones 'pending') into the configuration, before the
 * table publishes them. 0 or -errno with 'err' set: then nothing changed. */
int vs_flows_save(struct vs_switch *sw, const struct vs_bridge *br, struct vs_rule *const *rules,
		  uint32_t n, const json_t *pending, struct vs_err *err);
/* flow_persist.c: the text the config file keeps for a bridge whose rules
 * are 'rules' and whose waiting rules are 'pending': a new array, NULL if out
 * of memory. Rules with a timeout are not saved. */
json_t *vs_flows_text(struct vs_switch *sw, const struct vs_bridge *br,
		      struct vs_rule *const *rules, uint32_t n, const json_t *pending);
/* flow_persist.c: report the pending rules (or their absence) as the
 * bridge's "flows" config error. */
void vs_flows_pending_changed(struct vs_switch *sw, struct vs_bridge *br);

#endif
