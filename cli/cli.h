/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/cli.h: the command modules' builders and printers, which the command
 * table in vswitchctl.c names. The modules share only what is below them
 * (cmd.h, args.h, output.h, table.h); nothing here is vswitchctl.c's. */
#ifndef VS_CLI_H
#define VS_CLI_H

#include <jansson.h>

#include "cmd.h"

/* cli/switch_cmds.c: the switch, bridges, ports, MAC tables, any method. */
build_fn build_fdb_add, build_add_port, build_set_port, build_del_port, build_call;
print_fn print_show, print_names, print_stats, print_fdb, print_flushed, print_drops, print_warning,
	print_methods;

/* cli/pmd_cmds.c: PMDs and run-time settings. */
build_fn build_pmd_filter, build_rebalance;
print_fn print_pmd_stats, print_pmd_perf, print_rxq_show, print_rebalance, print_settings;

/* cli/flow_cmds.c: the flow table commands. */
build_fn build_add_flow, build_flows_file, build_flow_filter, build_mod_flows;
print_fn print_flow_dump, print_flow_change;
/* cli/ofctl_cmds.c: ovs-ofctl's reports. */
build_fn build_dump_ports;
print_fn print_dump_ports, print_dump_tables, print_ports_desc;
/* cli/group_cmds.c: the group table commands. */
build_fn build_group;
print_fn print_group_change, print_group_dump, print_group_stats;
/* Where an error about a rule of a file read by build_flows_file (its
 * data.item) comes from, as "FILE:LINE: ", or "". */
const char *flow_error_where(json_t *error);

/* cli/openflow_cmds.c: controllers, fail mode, bridge settings. */
build_fn build_set_controller, build_set_fail_mode, build_set_bridge, build_set_ssl;
print_fn print_controllers, print_fail_mode, print_ssl;
/* The OpenFlow lines of one bridge of show (its "openflow" object). */
void print_openflow_lines(json_t *of);

#endif
