/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/flow_cmds.c: add-flow(s), replace-flows, del-flows, mod-flows,
 * dump-flows. Rules pass through as text; the daemon parses and checks
 * them. A rule file has one rule per line; blank lines and lines starting
 * with '#' are skipped, and an error about a rule names its line. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "output.h"

/* The file build_flows_file read, and the line of each rule in it. */
static const char *rules_file;
static unsigned int *rules_line;
static unsigned int n_rules;
/* dump-flows --no-stats: the rules alone, as add-flows reads them. */
static bool no_stats;

static void
set_bridge(const struct cmd *c, const char *bridge, const char **method, json_t **params)
{
	*method = c->method;
	*params = json_pack("{s:s}", "bridge", bridge);
}

/* Take "--strict" (and, for dump-flows, "--no-stats") out of the
 * arguments; returns whether --strict was there. */
static bool
take_strict(const struct cmd *c, int *argc, char **argv)
{
	bool strict = false, dump = strcmp(c->name, "dump-flows") == 0;
	int i, k = 0;

	for (i = 0; i < *argc; i++) {
		if (strcmp(argv[i], "--strict") == 0)
			strict = true;
		else if (dump && strcmp(argv[i], "--no-stats") == 0)
			no_stats = true;
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			die_usage("unknown option '%s' (here: --strict%s)", argv[i],
				  dump ? ", --no-stats" : "");
		else
			argv[k++] = argv[i];
	}
	*argc = k;
	return strict;
}

void
build_add_flow(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	set_bridge(c, argv[0], method, params);
	json_object_set_new(*params, "flows", json_pack("[s]", argv[1]));
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

void
build_flows_file(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	FILE *f = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "r");
	json_t *flows = json_array();
	unsigned int lineno = 0, cap = 0;
	char *line = NULL, *t;
	size_t size = 0;

	if (f == NULL)
		die_usage("%s: cannot open %s: %s", c->name, argv[1], strerror(errno));
	rules_file = strcmp(argv[1], "-") == 0 ? "stdin" : argv[1];
	while (getline(&line, &size, f) >= 0) {
		lineno++;
		t = trim(line);
		if (*t == '\0' || *t == '#')
			continue;
		if (json_array_size(flows) == cap) {
			cap = cap ? 2 * cap : 1024;
			rules_line = realloc(rules_line, sizeof(*rules_line) * cap);
			if (rules_line == NULL)
				die_usage("out of memory");
		}
		rules_line[json_array_size(flows)] = lineno;
		json_array_append_new(flows, json_string(t));
	}
	/* fopen() opens a directory for reading; reading it fails. */
	if (ferror(f))
		die_usage("%s: cannot read %s: %s", c->name, argv[1], strerror(errno));
	n_rules = (unsigned int)json_array_size(flows);
	free(line);
	if (f != stdin)
		fclose(f);
	set_bridge(c, argv[0], method, params);
	json_object_set_new(*params, "flows", flows);
}

const char *
flow_error_where(json_t *error)
{
	static char where[300];
	json_int_t n;

	/* Only errors about one rule of the batch carry its number (the
	 * others, no such bridge or too many rules, are not about a line). */
	if (rules_file == NULL || n_rules == 0)
		return "";
	n = json_integer_value(json_object_get(json_object_get(error, "data"), "item"));
	if (n <= 0 || n > (json_int_t)n_rules)
		return "";
	snprintf(where, sizeof(where), "%s:%u: ", rules_file, rules_line[n - 1]);
	return where;
}

/* BRIDGE [MATCH] [--strict] */
void
build_flow_filter(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	bool strict = take_strict(c, &argc, argv);

	if (argc < 1 || argc > 2)
		die_usage("usage: vswitchctl %s %s", c->name, c->usage);
	set_bridge(c, argv[0], method, params);
	if (argc == 2)
		json_object_set_new(*params, "match", json_string(argv[1]));
	if (strict)
		json_object_set_new(*params, "strict", json_true());
}

/* BRIDGE FLOW [--strict] */
void
build_mod_flows(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	bool strict = take_strict(c, &argc, argv);

	if (argc != 2)
		die_usage("usage: vswitchctl %s %s", c->name, c->usage);
	set_bridge(c, argv[0], method, params);
	json_object_set_new(*params, "flow", json_string(argv[1]));
	if (strict)
		json_object_set_new(*params, "strict", json_true());
}

void
print_flow_change(json_t *r)
{
	static const char *const keys[] = {"modified", "added", "deleted", "kept", "rules"};
	unsigned int i;
	bool any = false;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (json_object_get(r, keys[i]) == NULL)
			continue;
		printf("%s%s %lld", any ? ", " : "", keys[i], jint(r, keys[i]));
		any = true;
	}
	if (any)
		printf("\n");
}

/* A rule with --no-stats, as ovs-ofctl prints it: what add-flows reads. */
static void
print_rule_alone(json_t *f)
{
	printf(" ");
	if (jint(f, "table"))
		printf("table=%lld, ", jint(f, "table"));
	if (strcmp(jstr(f, "cookie"), "0x0") != 0)
		printf("cookie=%s, ", jstr(f, "cookie"));
	if (jint(f, "idle_timeout"))
		printf("idle_timeout=%lld, ", jint(f, "idle_timeout"));
	if (jint(f, "hard_timeout"))
		printf("hard_timeout=%lld, ", jint(f, "hard_timeout"));
	printf("priority=%lld%s%s actions=%s\n", jint(f, "priority"), *jstr(f, "match") ? "," : "",
	       jstr(f, "match"), jstr(f, "actions"));
}

/* The ovs-ofctl dump-flows layout, which operators already read: the
 * counters, then the rule with a space before actions=. */
void
print_flow_dump(json_t *r)
{
	json_t *f;
	size_t i;

	if (!no_stats)
		printf("bridge %s: %lld rules, %lld masks, %lld KiB\n", jstr(r, "bridge"),
		       jint(r, "rules"), jint(r, "masks"), (jint(r, "memory") + 1023) / 1024);
	json_array_foreach (json_object_get(r, "flows"), i, f) {
		if (no_stats) {
			print_rule_alone(f);
			continue;
		}
		printf(" cookie=%s, duration=%llds, table=%lld, n_packets=%lld, n_bytes=%lld, ",
		       jstr(f, "cookie"), jint(f, "duration"), jint(f, "table"), jint(f, "packets"),
		       jint(f, "bytes"));
		if (jint(f, "idle_timeout"))
			printf("idle_timeout=%lld, ", jint(f, "idle_timeout"));
		if (jint(f, "hard_timeout"))
			printf("hard_timeout=%lld, ", jint(f, "hard_timeout"));
		printf("idle_age=%lld, priority=%lld%s%s actions=%s\n", jint(f, "idle_age"),
		       jint(f, "priority"), *jstr(f, "match") ? "," : "", jstr(f, "match"),
		       jstr(f, "actions"));
	}
	json_array_foreach (json_object_get(r, "inactive"), i, f)
		printf(" waiting: %s (%s)\n", jstr(f, "flow"), jstr(f, "error"));
}
