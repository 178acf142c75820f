/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow_table_int.h: internal to control/flow_table.c and
 * control/flow_persist.c, what each calls of the other. Not for any other
 * file: the interface of the flow table is control/flow_table.h. */
#ifndef VS_FLOW_TABLE_INT_H
#define VS_FLOW_TABLE_INT_H

#include <stdint.h>

#include "err.h"
#include "flow_table.h"

struct vs_switch;
struct vs_bridge;

/* flow_table.c: the table becomes 'specs' (*n_kept: rules that kept their
 * counters); pending rules are left alone, nothing is saved. */
int vs_flows_set(struct vs_switch *sw, struct vs_bridge *br, const struct vs_flow_spec *specs,
		 uint32_t n, uint32_t *n_kept, struct vs_err *err);

/* flow_persist.c: write the bridge's rules, installed and pending, into the
 * config (not while the config is being applied). Rules with a timeout are
 * not saved. */
void vs_flows_save(struct vs_switch *sw, struct vs_bridge *br);
/* flow_persist.c: report the pending rules (or their absence) as the
 * bridge's "flows" config error. */
void vs_flows_pending_changed(struct vs_switch *sw, struct vs_bridge *br);

#endif
