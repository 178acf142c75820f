/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A bridge's port names for the flow parser and formatter in tests and fuzz
 * targets: the lookup callbacks of vs_flow_parse() and vs_flow_format_*()
 * over a fixed table, passed as their ctx.
 */
#ifndef VS_TEST_PORT_NAMES_H
#define VS_TEST_PORT_NAMES_H

#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct test_port {
	const char *name;
	uint16_t id;
	uint32_t ofport; /* OpenFlow port number, 0: none */
};

struct test_ports {
	const struct test_port *v;
	unsigned int n;
};

#define TEST_PORTS(array)                                   \
	{                                                   \
		(array), sizeof(array) / sizeof((array)[0]) \
	}

/* As the switch's lookup: an OpenFlow port number first (as ovs-ofctl
 * reads one), then a name. */
static inline int
test_port_lookup(void *ctx, const char *name)
{
	const struct test_ports *t = ctx;
	unsigned long n;
	unsigned int i;
	char *end;

	n = strtoul(name, &end, 10);
	for (i = 0; name[0] >= '0' && name[0] <= '9' && *end == '\0' && i < t->n; i++)
		if (t->v[i].ofport != 0 && t->v[i].ofport == n)
			return t->v[i].id;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return t->v[i].id;
	return -1;
}

/* As the switch's: the name, or the OpenFlow number for a name that
 * would read back as something else (a reserved port, a number). */
static inline const char *
test_port_name(void *ctx, uint16_t id)
{
	static const char *const reserved[] = {"in_port",    "table", "normal", "flood", "all",
					       "controller", "local", "any",    "none"};
	const struct test_ports *t = ctx;
	static char num[16];
	unsigned int i, j;

	for (i = 0; i < t->n; i++) {
		if (t->v[i].id != id)
			continue;
		for (j = 0; j < sizeof(reserved) / sizeof(reserved[0]); j++)
			if (strcasecmp(t->v[i].name, reserved[j]) == 0 && t->v[i].ofport != 0) {
				snprintf(num, sizeof(num), "%u", t->v[i].ofport);
				return num;
			}
		return t->v[i].name;
	}
	return NULL;
}

#endif
