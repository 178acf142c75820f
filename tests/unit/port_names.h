/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A bridge's port names for the flow parser and formatter in tests and fuzz
 * targets: the lookup callbacks of vs_flow_parse() and vs_flow_format_*()
 * over a fixed table, passed as their ctx.
 */
#ifndef VS_TEST_PORT_NAMES_H
#define VS_TEST_PORT_NAMES_H

#include <stdint.h>
#include <string.h>

struct test_port {
	const char *name;
	uint16_t id;
};

struct test_ports {
	const struct test_port *v;
	unsigned int n;
};

#define TEST_PORTS(array)                                   \
	{                                                   \
		(array), sizeof(array) / sizeof((array)[0]) \
	}

static inline int
test_port_lookup(void *ctx, const char *name)
{
	const struct test_ports *t = ctx;
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return t->v[i].id;
	return -1;
}

static inline const char *
test_port_name(void *ctx, uint16_t id)
{
	const struct test_ports *t = ctx;
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].id == id)
			return t->v[i].name;
	return NULL;
}

#endif
