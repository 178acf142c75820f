/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/cli.h: what vswitchctl's command files share: the command table's
 * shape, and small helpers. */
#ifndef VS_CLI_H
#define VS_CLI_H

#include <jansson.h>

/* Positional arguments become the parameters named in 'pos', in order;
 * commands whose arguments are not that simple have their own builder. */
struct cmd;
typedef void build_fn(const struct cmd *c, int argc, char **argv, const char **method,
		      json_t **params);
/* Print a successful result for humans. */
typedef void print_fn(json_t *result);

struct cmd {
	const char *name;
	int min_args, max_args; /* -1: unlimited */
	const char *usage;
	const char *help;
	const char *method;
	const char *pos[3];
	build_fn *build; /* NULL: positional arguments by 'pos' */
	print_fn *print;
};

/* Print "vswitchctl: MESSAGE" and exit with the usage status (2). */
void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* A member of 'o' as a string ("" if absent) or an integer (0). */
const char *jstr(json_t *o, const char *k);
long long jint(json_t *o, const char *k);

/* cli/pmd_cmds.c: PMDs and run-time settings. */
build_fn build_pmd_filter, build_rebalance;
print_fn print_pmd_stats, print_pmd_perf, print_rxq_show, print_rebalance, print_settings;

/* cli/flow_cmds.c: the flow table commands. */
build_fn build_add_flow, build_flows_file, build_flow_filter, build_mod_flows;
print_fn print_flow_dump, print_flow_change;
/* Where an error about a rule of a file read by build_flows_file (its
 * data.item) comes from, as "FILE:LINE: ", or "". */
const char *flow_error_where(json_t *error);

#endif
