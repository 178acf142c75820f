/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/args.h: turning a command's arguments into JSON-RPC parameters, and
 * refusing a bad command line. Shared by vswitchctl.c and the command
 * modules; calls nothing above it. */
#ifndef VS_CLI_ARGS_H
#define VS_CLI_ARGS_H

#include <stdbool.h>
#include <jansson.h>

#include "cmd.h"

/* Errors as JSON on stdout (--json): {"error": {"code": -errno, "errno":
 * "EINVAL", "message": ..., "data": ...}}; else "vswitchctl: MESSAGE" on
 * stderr. */
void set_json_errors(bool on);
/* One error: 'code' a negative errno (or a JSON-RPC code), 'data' the
 * daemon's error data (may be NULL), printed as set_json_errors says. */
void cli_error(int code, const char *msg, json_t *data);

/* Print "vswitchctl: MESSAGE" (or the JSON error, with EINVAL) and exit
 * with the usage status (2). */
void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* key=value arguments into 'obj'; with 'typed', a value of digits only
 * becomes a JSON integer. A malformed or repeated key is a usage error. */
void kv_args(json_t *obj, int argc, char **argv, bool typed);

/* The default builder: positional arguments by 'pos', as strings. */
build_fn build_positional;
/* The positional arguments 'pos' names, then key=value parameters. */
build_fn build_kv_tail;

#endif
