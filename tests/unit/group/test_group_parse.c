/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_group_parse.c: groups in ovs-ofctl's group syntax
 * (control/group/group_parse.c, group_format.c): what each form stores,
 * the canonical text and its round trip, and every refusal naming what is
 * wrong. Ports p0-p2 are ids 10-12 (OpenFlow numbers 1-3 are not known
 * here: the switch's lookup resolves those). No EAL needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "group_ctl.h"

static int
lookup(void *ctx, const char *name)
{
	if (strlen(name) == 2 && name[0] == 'p' && name[1] >= '0' && name[1] <= '2')
		return 10 + name[1] - '0';
	return -1;
}

static const char *
name_of(void *ctx, uint16_t id)
{
	static const char *const names[] = {"p0", "p1", "p2"};

	return id >= 10 && id <= 12 ? names[id - 10] : NULL;
}

static struct vs_group_spec *
parse_ok(const char *text, enum vs_group_parse_mode mode)
{
	struct vs_group_spec *s = malloc(sizeof(*s));
	struct vs_err err;

	assert_non_null(s);
	if (vs_group_parse(text, mode, lookup, NULL, s, &err) < 0)
		fail_msg("'%s': %s", text, err.msg);
	return s;
}

/* 'text' is refused with a message containing each of the NULL-ended
 * strings that follow. */
static void
refused(const char *text, enum vs_group_parse_mode mode, ...)
{
	struct vs_group_spec *s = malloc(sizeof(*s));
	struct vs_err err = {0};
	const char *want;
	va_list ap;

	assert_non_null(s);
	if (vs_group_parse(text, mode, lookup, NULL, s, &err) == 0)
		fail_msg("'%s' was taken", text);
	assert_true(err.code < 0);
	va_start(ap, mode);
	while ((want = va_arg(ap, const char *)) != NULL)
		if (strstr(err.msg, want) == NULL)
			fail_msg("'%s': '%s' does not say '%s'", text, err.msg, want);
	va_end(ap);
	free(s);
}

static void
test_select_with_weights_watch_ports_and_actions(void **state)
{
	struct vs_group_spec *s =
		parse_ok("group_id=7,type=select,bucket=weight:10,watch_port:p1,"
			 "actions=output:p1,bucket=weight=20,actions=mod_vlan_vid:5,p2",
			 VS_GROUP_PARSE_ADD);

	assert_int_equal(s->id, 7);
	assert_int_equal(s->type, VS_GROUP_SELECT);
	assert_int_equal(s->n_buckets, 2);
	assert_int_equal(s->buckets[0].weight, 10);
	assert_int_equal(s->buckets[0].watch_port, 11);
	assert_int_equal(s->buckets[0].watch_group, VS_GROUP_ANY);
	assert_int_equal(s->buckets[0].n_actions, 1);
	assert_int_equal(s->buckets[0].actions[0].type, VS_ACT_OUTPUT);
	assert_int_equal(s->buckets[0].actions[0].port, 11);
	assert_int_equal(s->buckets[1].weight, 20);
	assert_int_equal(s->buckets[1].watch_port, VS_PORT_NONE);
	assert_int_equal(s->buckets[1].n_actions, 2);
	assert_int_equal(s->buckets[1].actions[0].type, VS_ACT_SET_VLAN_VID);
	assert_int_equal(s->buckets[1].actions[0].u16, 5);
	assert_int_equal(s->buckets[1].actions[1].port, 12);
	free(s);
}

static void
test_short_forms_default_weight_and_spaces(void **state)
{
	struct vs_group_spec *s = parse_ok("group_id=1, type=select bucket=output:p0 "
					   "bucket=p1,p2",
					   VS_GROUP_PARSE_ADD);

	assert_int_equal(s->n_buckets, 2);
	assert_int_equal(s->buckets[0].weight, 1); /* select's default */
	assert_int_equal(s->buckets[0].actions[0].port, 10);
	assert_int_equal(s->buckets[1].n_actions, 2);
	assert_int_equal(s->buckets[1].actions[1].port, 12);
	free(s);
	s = parse_ok("group_id=2,type=all,bucket=output:p0,bucket=actions=drop,bucket=actions=",
		     VS_GROUP_PARSE_ADD);
	assert_int_equal(s->n_buckets, 3);
	assert_int_equal(s->buckets[0].weight, 0);
	assert_int_equal(s->buckets[1].n_actions, 0);
	assert_int_equal(s->buckets[2].n_actions, 0);
	free(s);
	s = parse_ok("group_id=3,type=ff,bucket=watch_port:p0,output:p0,bucket=watch_group:1,"
		     "actions=group:1",
		     VS_GROUP_PARSE_ADD);
	assert_int_equal(s->type, VS_GROUP_FF);
	assert_int_equal(s->buckets[1].watch_group, 1);
	assert_int_equal(s->buckets[1].actions[0].type, VS_ACT_GROUP);
	assert_int_equal(s->buckets[1].actions[0].u32, 1);
	free(s);
	s = parse_ok("group_id=4,type=all", VS_GROUP_PARSE_ADD); /* no bucket: drops */
	assert_int_equal(s->n_buckets, 0);
	free(s);
}

static void
test_match_mode_takes_an_id_all_or_nothing(void **state)
{
	struct vs_group_spec *s = parse_ok("group_id=9", VS_GROUP_PARSE_MATCH);

	assert_int_equal(s->id, 9);
	free(s);
	s = parse_ok("group_id=all", VS_GROUP_PARSE_MATCH);
	assert_int_equal(s->id, VS_GROUP_ALL_IDS);
	free(s);
	s = parse_ok("", VS_GROUP_PARSE_MATCH);
	assert_int_equal(s->id, VS_GROUP_ALL_IDS);
	free(s);
	refused("group_id=1,type=all", VS_GROUP_PARSE_MATCH, "type", "only group_id", NULL);
	refused("group_id=1,bucket=output:p0", VS_GROUP_PARSE_MATCH, "bucket", NULL);
}

static void
test_bad_groups_are_refused_with_the_reason(void **state)
{
	refused("group_id=1,type=multicast,bucket=output:p0", VS_GROUP_PARSE_ADD, "type",
		"position 11", "all, select, indirect or fast_failover", NULL);
	refused("group_id=1,type=all,bucket=weight:5,output:p0", VS_GROUP_PARSE_ADD,
		"weight is for select groups", "all group", NULL);
	refused("group_id=1,type=indirect,bucket=output:p0,bucket=output:p1", VS_GROUP_PARSE_ADD,
		"exactly one bucket", "has 2", NULL);
	refused("group_id=1,type=indirect", VS_GROUP_PARSE_ADD, "exactly one bucket", NULL);
	refused("group_id=1,type=all,bucket=output:nosuch", VS_GROUP_PARSE_ADD, "nosuch",
		"position 27", NULL);
	refused("group_id=1,type=select,bucket=watch_port:p9,output:p0", VS_GROUP_PARSE_ADD,
		"watch_port", "p9", NULL);
	refused("group_id=1,type=ff,bucket=output:p0", VS_GROUP_PARSE_ADD,
		"watch_port or watch_group", NULL);
	refused("type=all,bucket=output:p0", VS_GROUP_PARSE_ADD, "group_id", NULL);
	refused("group_id=1,bucket=output:p0", VS_GROUP_PARSE_ADD, "type=", NULL);
	refused("group_id=1", VS_GROUP_PARSE_ADD, "type=", NULL);
	refused("group_id=4294967041,type=all", VS_GROUP_PARSE_ADD, "group_id", NULL);
	refused("group_id=1,type=select,selection_method=hash,bucket=p0", VS_GROUP_PARSE_ADD,
		"not supported by vswitch", "selection_method", NULL);
	refused("group_id=1,type=all,colour=red", VS_GROUP_PARSE_ADD, "unknown field", "colour",
		NULL);
	refused("group_id=1,type=all,bucket=bucket_id:3,output:p0", VS_GROUP_PARSE_ADD,
		"OpenFlow 1.5", NULL);
	refused("group_id=1,type=all,bucket=actions=goto_table:1", VS_GROUP_PARSE_ADD, NULL);
	refused("group_id=1,type=select,bucket=weight:70000,p0", VS_GROUP_PARSE_ADD, "weight",
		NULL);
	refused("group_id", VS_GROUP_PARSE_ADD, "needs '='", NULL);
}

/* An error in a bucket's actions names its position in the whole text. */
static void
test_bucket_action_errors_point_into_the_group_text(void **state)
{
	refused("group_id=1,type=all,bucket=output:p0,bucket=weight:0,frobnicate:3",
		VS_GROUP_PARSE_ADD, "frobnicate", "position 53", NULL);
}

static void
round_trip(const char *text, const char *canonical)
{
	struct vs_group_spec *a = parse_ok(text, VS_GROUP_PARSE_ADD), *b;
	char buf[4096];

	vs_group_format(a->id, a->type, a->buckets, a->n_buckets, name_of, NULL, buf, sizeof(buf));
	assert_string_equal(buf, canonical);
	b = parse_ok(buf, VS_GROUP_PARSE_ADD);
	assert_memory_equal(a, b, sizeof(*a));
	free(a);
	free(b);
}

static void
test_format_is_canonical_and_parses_back_the_same(void **state)
{
	round_trip("group_id=1,type=select,bucket=weight:10,watch_port:p1,actions=output:p1,"
		   "bucket=weight=20,actions=p2",
		   "group_id=1,type=select,bucket=weight:10,watch_port:p1,actions=output:p1,"
		   "bucket=weight:20,actions=output:p2");
	round_trip("group_id=2,type=all,bucket=p0,bucket=mod_dl_dst:02:00:00:00:00:01,p1,"
		   "bucket=actions=drop",
		   "group_id=2,type=all,bucket=actions=output:p0,bucket=actions=mod_dl_dst:"
		   "02:00:00:00:00:01,output:p1,bucket=actions=drop");
	round_trip("group_id=3,type=fast_failover,bucket=watch_port:p0,output:p0,"
		   "bucket=watch_group:2,group:2",
		   "group_id=3,type=fast_failover,bucket=watch_port:p0,actions=output:p0,"
		   "bucket=watch_group:2,actions=group:2");
	round_trip("group_id=4294967040,type=indirect,bucket=output:p2",
		   "group_id=4294967040,type=indirect,bucket=actions=output:p2");
	round_trip("group_id=5,type=all", "group_id=5,type=all");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_select_with_weights_watch_ports_and_actions),
		cmocka_unit_test(test_short_forms_default_weight_and_spaces),
		cmocka_unit_test(test_match_mode_takes_an_id_all_or_nothing),
		cmocka_unit_test(test_bad_groups_are_refused_with_the_reason),
		cmocka_unit_test(test_bucket_action_errors_point_into_the_group_text),
		cmocka_unit_test(test_format_is_canonical_and_parses_back_the_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
