/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/cmd.h: the shape of a vswitchctl command, which the table in
 * vswitchctl.c lists and the command modules' builders read, and the exit
 * statuses. Types only: every file of cli/ may include it. */
#ifndef VS_CLI_CMD_H
#define VS_CLI_CMD_H

#include <jansson.h>

/* What vswitchctl exits with (docs/cli.md). */
enum {
	EXIT_REFUSED = 1,  /* the daemon refused the command */
	EXIT_USAGE = 2,    /* bad usage: nothing was sent */
	EXIT_NO_DAEMON = 3 /* the daemon could not be reached */
};

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

#endif
