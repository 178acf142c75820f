/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/ofp/ofp_fixture.h: what the OpenFlow codec's unit tests share:
 * a port mapping that is not the identity, and ovs-ofctl's captured bytes
 * (tests/unit/ofp/captures.txt) by name. Included by one test file each. */
#ifndef VS_OFP_FIXTURE_H
#define VS_OFP_FIXTURE_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ofp_codec.h"

/* OpenFlow port N is the switch's port id N + 10: a mapping that is not
 * the identity, so a decoder that skips it shows. */
static int
to_id(void *ctx, uint32_t ofport, uint16_t *id)
{
	(void)ctx;
	if (ofport < 1 || ofport > 20)
		return -ENOENT;
	*id = ofport + 10;
	return 0;
}

static int
to_ofport(void *ctx, uint16_t id, uint32_t *ofport)
{
	(void)ctx;
	if (id < 11 || id > 30)
		return -ENOENT;
	*ofport = id - 10u;
	return 0;
}

static const struct vs_ofp_ports ports = {to_id, to_ofport, NULL};

/* The bytes of capture 'name' from captures.txt. */
static size_t
capture(const char *name, uint8_t *out, size_t cap)
{
	char line[8192], path[512];
	size_t n = 0, nl = strlen(name);
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/unit/ofp/captures.txt", VS_SOURCE_ROOT);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		const char *h;

		if (strncmp(line, name, nl) != 0 || line[nl] != ' ')
			continue;
		for (h = line + nl; *h == ' '; h++)
			;
		while (h[0] && h[1] && h[0] != '\n' && n < cap) {
			unsigned int byte;

			assert_int_equal(sscanf(h, "%2x", &byte), 1);
			out[n++] = byte;
			h += 2;
		}
		break;
	}
	fclose(f);
	assert_true(n > 0);
	return n;
}

#endif
