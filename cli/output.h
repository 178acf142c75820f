/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/output.h: reading the daemon's JSON results, and the printers that
 * fit any command. Shared by vswitchctl.c and the command modules. */
#ifndef VS_CLI_OUTPUT_H
#define VS_CLI_OUTPUT_H

#include <jansson.h>

#include "cmd.h"

/* A member of 'o' as a string ("" if absent), an integer (0) or a
 * number (0.0). */
const char *jstr(json_t *o, const char *k);
long long jint(json_t *o, const char *k);
double jreal(json_t *o, const char *k);

/* The result as indented JSON (--json, and 'call'). */
print_fn print_json;
/* For commands that print nothing when they succeed. */
print_fn print_nothing;

#endif
