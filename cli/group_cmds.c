/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/group_cmds.c: add-group, mod-group, del-groups, dump-groups,
 * dump-group-stats. Groups pass through as text in ovs-ofctl's group
 * syntax; the daemon parses and checks them. Where a command takes one
 * group to select, a bare number N means group_id=N. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "output.h"

/* BRIDGE GROUP (add, mod) or BRIDGE [GROUP] (del, dump, stats). */
void
build_group(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	const char *g = argc > 1 ? argv[1] : NULL;
	char id[32];
	size_t i;

	*method = c->method;
	*params = json_pack("{s:s}", "bridge", argv[0]);
	if (g == NULL)
		return;
	for (i = 0; isdigit((unsigned char)g[i]); i++)
		;
	if (i > 0 && g[i] == '\0' && i < 12) {
		snprintf(id, sizeof(id), "group_id=%s", g);
		g = id;
	}
	json_object_set_new(*params, "group", json_string(g));
}

void
print_group_change(json_t *r)
{
	if (json_object_get(r, "deleted") != NULL)
		printf("deleted %lld, ", jint(r, "deleted"));
	printf("groups %lld\n", jint(r, "groups"));
}

/* As ovs-ofctl dump-groups prints them. */
void
print_group_dump(json_t *r)
{
	json_t *g;
	size_t i;

	printf("bridge %s: %zu groups\n", jstr(r, "bridge"),
	       json_array_size(json_object_get(r, "groups")));
	json_array_foreach (json_object_get(r, "groups"), i, g)
		printf(" %s\n", jstr(g, "group"));
	json_array_foreach (json_object_get(r, "waiting"), i, g)
		printf(" waiting: %s (%s)\n", jstr(g, "group"), jstr(g, "error"));
}

/* As ovs-ofctl dump-group-stats prints them. */
void
print_group_stats(json_t *r)
{
	json_t *g, *b;
	size_t i, j;

	printf("bridge %s: %zu groups\n", jstr(r, "bridge"),
	       json_array_size(json_object_get(r, "groups")));
	json_array_foreach (json_object_get(r, "groups"), i, g) {
		printf(" group_id=%lld,duration=%llds,ref_count=%lld,packet_count=%lld,"
		       "byte_count=%lld",
		       jint(g, "group_id"), jint(g, "duration"), jint(g, "ref_count"),
		       jint(g, "packets"), jint(g, "bytes"));
		json_array_foreach (json_object_get(g, "buckets"), j, b)
			printf(",bucket%zu:packet_count=%lld,byte_count=%lld", j,
			       jint(b, "packets"), jint(b, "bytes"));
		printf("\n");
	}
}
