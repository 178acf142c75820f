/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the flow parser's unit tests (test_flow_parse.c, test_flow_text.c)
 * share: the parse modes' short names, the bridge's port table, and
 * parse_ok()/parse_fails(), which parse a text and fail the cmocka test
 * unless it is taken or refused as expected. Header-only; pulls in cmocka.
 */
#ifndef VS_TEST_FLOW_PARSE_UTIL_H
#define VS_TEST_FLOW_PARSE_UTIL_H

#include <errno.h>
#include <string.h>

#include "flow_parse.h"
#include "harness.h"
#include "port_names.h"

#define ADD   VS_FLOW_PARSE_ADD
#define MATCH VS_FLOW_PARSE_MATCH
#define MOD   VS_FLOW_PARSE_MOD

/* The bridge's ports, with OpenFlow numbers unlike their ids. "flood" is
 * one too, to show that keywords win. */
static const struct test_port port_list[] = {
	{"vhu0", 1, 11},
	{"nic0", 2, 22},
	{"p3", 3, 33},
	{"flood", 4, 44},
};
static const struct test_ports ports = TEST_PORTS(port_list);

static inline void
parse_ok(const char *text, enum vs_flow_parse_mode mode, struct vs_flow_spec *s)
{
	struct vs_err err = {0};

	if (vs_flow_parse(text, mode, test_port_lookup, (void *)&ports, s, &err) != 0)
		fail_msg("'%s' refused: %s", text, err.msg);
}

/* 'text' must fail with -EINVAL and a message containing 'want' and, if not
 * NULL, 'pos' ("position 27"). */
static inline void
parse_fails(const char *text, enum vs_flow_parse_mode mode, const char *want, const char *pos)
{
	struct vs_flow_spec s;
	struct vs_err err = {0};
	int ret = vs_flow_parse(text, mode, test_port_lookup, (void *)&ports, &s, &err);

	if (ret != -EINVAL || err.code != -EINVAL)
		fail_msg("'%s': returned %d, wanted -EINVAL", text, ret);
	if (strstr(err.msg, want) == NULL || (pos != NULL && strstr(err.msg, pos) == NULL))
		fail_msg("'%s': got '%s', wanted '%s' and '%s'", text, err.msg, want,
			 pos != NULL ? pos : "");
	assert_true(strlen(err.msg) < 400);
}

#endif
