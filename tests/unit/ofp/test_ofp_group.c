/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/ofp/test_ofp_group.c: GROUP_MOD decoding and bucket encoding
 * (control/openflow/codec/ofp_group.c) against ovs-ofctl 3.1's own bytes
 * (tests/unit/ofp/captures.txt): the decode, the buckets encoded back to
 * the same bytes, every refusal with its (type, code), and messages cut at
 * every length; ONF bundle messages (control/openflow/codec/ofp_bundle_msg.c's
 * decoder) likewise. No EAL needed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ofp_codec.h"
#include "ofp_fixture.h"

static struct vs_ofp_group_mod gm; /* 80 KiB */

/* add-group group_id=7,type=select,bucket=weight:10,actions=output:1,
 * bucket=weight:20,actions=output:2 */
static void
test_select_decodes_and_encodes_back(void **state)
{
	uint8_t msg[256];
	size_t len = capture("group_mod_select", msg, sizeof(msg));
	struct vs_ofpbuf b = {0};
	struct vs_ofperr e;

	(void)state;
	assert_int_equal(vs_ofp_decode_group_mod(msg, len, &ports, &gm, &e), 0);
	assert_int_equal(gm.command, OFPGC_ADD);
	assert_int_equal(gm.spec.id, 7);
	assert_int_equal(gm.spec.type, VS_GROUP_SELECT);
	assert_int_equal(gm.spec.origin, VS_ORIGIN_CONTROLLER);
	assert_int_equal(gm.spec.n_buckets, 2);
	assert_int_equal(gm.spec.buckets[0].weight, 10);
	assert_int_equal(gm.spec.buckets[1].weight, 20);
	assert_int_equal(gm.spec.buckets[0].watch_port, VS_PORT_NONE);
	assert_int_equal(gm.spec.buckets[0].watch_group, VS_GROUP_ANY);
	assert_int_equal(gm.spec.buckets[1].n_actions, 1);
	assert_int_equal(gm.spec.buckets[1].actions[0].type, VS_ACT_OUTPUT);
	assert_int_equal(gm.spec.buckets[1].actions[0].port, 12);
	/* GROUP_DESC's buckets are GROUP_MOD's: the same bytes. */
	assert_int_equal(vs_ofp_buckets_encode(&b, gm.spec.buckets, gm.spec.n_buckets, &ports), 0);
	assert_int_equal(b.len, len - 16);
	assert_memory_equal(b.data, msg + 16, b.len);
	vs_ofpbuf_free(&b);
}

/* add-group group_id=8,type=ff,bucket=watch_port:1,actions=output:1,... */
static void
test_fast_failover_watch_ports(void **state)
{
	uint8_t msg[256];
	size_t len = capture("group_mod_ff", msg, sizeof(msg));
	struct vs_ofpbuf b = {0};
	struct vs_ofperr e;

	(void)state;
	assert_int_equal(vs_ofp_decode_group_mod(msg, len, &ports, &gm, &e), 0);
	assert_int_equal(gm.spec.type, VS_GROUP_FF);
	assert_int_equal(gm.spec.buckets[0].watch_port, 11);
	assert_int_equal(gm.spec.buckets[1].watch_port, 12);
	assert_int_equal(vs_ofp_buckets_encode(&b, gm.spec.buckets, gm.spec.n_buckets, &ports), 0);
	assert_memory_equal(b.data, msg + 16, len - 16);
	vs_ofpbuf_free(&b);
}

/* Every action a bucket holds goes out and comes back the same. */
static void
test_bucket_actions_round_trip(void **state)
{
	struct vs_bucket_spec *bk = calloc(1, sizeof(*bk)), *back = calloc(1, sizeof(*bk));
	struct vs_ofp_acts_in in = {VS_OFP_ACTS_GROUP, &ports, 0, NULL};
	struct vs_ofpbuf b = {0};
	struct vs_ofperr e;
	struct vs_action *a;
	uint16_t n = 0;

	(void)state;
	assert_non_null(bk);
	assert_non_null(back);
	bk->watch_port = 13;
	bk->watch_group = 4;
	bk->weight = 3;
	a = bk->actions;
	a[n++] = (struct vs_action){.type = VS_ACT_SET_VLAN_VID, .u16 = 10};
	a[n++] = (struct vs_action){.type = VS_ACT_SET_VLAN_PCP, .u8 = 5};
	a[n++] = (struct vs_action){.type = VS_ACT_PUSH_VLAN, .u16 = 0x88a8};
	a[n++] = (struct vs_action){.type = VS_ACT_STRIP_VLAN};
	a[n++] = (struct vs_action){.type = VS_ACT_SET_DL_SRC, .mac = {{2, 0, 0, 0, 0, 1}}};
	a[n++] = (struct vs_action){.type = VS_ACT_SET_NW_DST, .u32 = 0x0100000a};
	a[n++] = (struct vs_action){.type = VS_ACT_SET_NW_TOS, .u8 = 46 << 2};
	a[n++] = (struct vs_action){.type = VS_ACT_SET_NW_ECN, .u8 = 1};
	a[n++] = (struct vs_action){.type = VS_ACT_SET_NW_TTL, .u8 = 9};
	a[n++] = (struct vs_action){.type = VS_ACT_DEC_TTL};
	a[n] = (struct vs_action){.type = VS_ACT_SET_IPV6_SRC};
	a[n++].ip6[15] = 1;
	a[n++] = (struct vs_action){.type = VS_ACT_SET_TP_DST, .u16 = 8080};
	a[n++] = (struct vs_action){.type = VS_ACT_GROUP, .u32 = 4};
	a[n++] = (struct vs_action){.type = VS_ACT_RESUBMIT, .u8 = 3, .u16 = VS_PORT_NONE};
	a[n++] = (struct vs_action){.type = VS_ACT_CONTROLLER, .u16 = 128, .u8 = OFPR_ACTION};
	a[n++] = (struct vs_action){.type = VS_ACT_IN_PORT};
	a[n++] = (struct vs_action){.type = VS_ACT_OUTPUT, .port = 15};
	bk->n_actions = n;
	assert_int_equal(vs_ofp_buckets_encode(&b, bk, 1, &ports), 0);
	assert_int_equal(vs_ofp_get16(b.data), b.len);
	assert_int_equal(vs_ofp_get32(b.data + 4), 3); /* watch_port: the OpenFlow number */
	assert_int_equal(vs_ofp_actions_decode(b.data + 16, b.len - 16, &in, 0, back->actions,
					       &back->n_actions, &e),
			 0);
	assert_int_equal(back->n_actions, n);
	assert_memory_equal(back->actions, bk->actions, sizeof(*a) * n);
	/* A port without a number cannot be said. */
	vs_ofpbuf_clear(&b);
	bk->actions[0] = (struct vs_action){.type = VS_ACT_OUTPUT, .port = 2};
	assert_int_equal(vs_ofp_buckets_encode(&b, bk, 1, &ports), -EINVAL);
	vs_ofpbuf_free(&b);
	free(bk);
	free(back);
}

struct bad {
	const char *what;
	size_t off; /* into the select capture */
	uint8_t v;
	uint16_t type, code;
};

static const struct bad bads[] = {
	{"command 3", 9, 3, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_COMMAND},
	{"type 4", 10, 4, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_TYPE},
	{"type all with weights", 10, OFPGT_ALL, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_BUCKET},
	{"indirect of two buckets", 10, OFPGT_INDIRECT, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_BUCKET},
	{"ff watching nothing", 10, OFPGT_FF, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_BUCKET},
	{"group id OFPG_ALL", 12, 0xff, OFPET_GROUP_MOD_FAILED, OFPGMFC_INVALID_GROUP},
	{"bucket length 12", 17, 12, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_BUCKET},
	{"bucket length past the end", 17, 0x48, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_BUCKET},
	{"watch_port 9999", 22, 0x27, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_WATCH},
	{"watch_group above OFPG_MAX", 27, 0xfe, OFPET_GROUP_MOD_FAILED, OFPGMFC_BAD_WATCH},
	{"output to no port", 39, 99, OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT},
	{"header length", 3, 0x48, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN},
};

static void
test_refusals(void **state)
{
	uint8_t orig[256], msg[256];
	size_t len = capture("group_mod_select", orig, sizeof(orig)), i;
	struct vs_ofperr e;

	(void)state;
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		memcpy(msg, orig, len);
		msg[bads[i].off] = bads[i].v;
		if (bads[i].off == 12)
			memset(msg + 12, 0xff, 3), msg[15] = 0xfc;
		if (bads[i].off == 22)
			msg[20] = msg[21] = 0;
		assert_true(vs_ofp_decode_group_mod(msg, len, &ports, &gm, &e) < 0);
		if (e.type != bads[i].type || e.code != bads[i].code)
			fail_msg("%s: got %s (%s)", bads[i].what, vs_ofperr_name(e.type, e.code),
				 e.err.msg);
	}
}

/* The weights of the select capture on other types, the two buckets
 * of it on an indirect group: each refused for what it is. */
static void
test_type_rules(void **state)
{
	uint8_t msg[256];
	size_t len = capture("group_mod_select", msg, sizeof(msg));
	struct vs_ofperr e;

	(void)state;
	msg[19] = 0; /* weights 0 */
	msg[16 + 32 + 3] = 0;
	msg[10] = OFPGT_INDIRECT;
	assert_true(vs_ofp_decode_group_mod(msg, len, &ports, &gm, &e) < 0);
	assert_int_equal(e.code, OFPGMFC_INVALID_GROUP);
	msg[10] = OFPGT_FF;
	assert_true(vs_ofp_decode_group_mod(msg, len, &ports, &gm, &e) < 0);
	assert_int_equal(e.code, OFPGMFC_BAD_WATCH);
	msg[10] = OFPGT_ALL;
	assert_int_equal(vs_ofp_decode_group_mod(msg, len, &ports, &gm, &e), 0);
	/* A delete of every group: no buckets read. */
	msg[9] = OFPGC_DELETE;
	memset(msg + 12, 0xff, 3), msg[15] = 0xfc;
	assert_int_equal(vs_ofp_decode_group_mod(msg, len, &ports, &gm, &e), 0);
	assert_int_equal(gm.spec.id, VS_GROUP_ALL_IDS);
	assert_int_equal(gm.spec.n_buckets, 0);
}

/* Cut at every length, with the header saying so: refused or decoded,
 * never read past. */
static void
test_truncated_at_every_length(void **state)
{
	uint8_t msg[256];
	size_t len = capture("group_mod_ff", msg, sizeof(msg)), i;
	struct vs_ofperr e;

	(void)state;
	for (i = 0; i < len; i++) {
		uint8_t *p = malloc(i ? i : 1);

		memcpy(p, msg, i);
		if (i >= 4)
			vs_ofp_put16(p + 2, (uint16_t)i);
		if (vs_ofp_decode_group_mod(p, i, &ports, &gm, &e) == 0)
			assert_true(i == 16 || i == 48); /* no bucket, or the first whole */
		free(p);
	}
}

static uint16_t
bfc_of(const struct vs_ofperr *e)
{
	assert_int_equal(e->type, OFPET_EXPERIMENTER);
	assert_int_equal(e->experimenter, ONF_EXPERIMENTER_ID);
	return (uint16_t)(e->exp_code - ONFERR_ET_BUNDLE_BASE);
}

/* ovs-ofctl --bundle add-flow: OPEN, ADD (a FLOW_MOD inside), COMMIT. */
static void
test_bundle_messages(void **state)
{
	uint8_t msg[512];
	size_t len;
	struct vs_ofp_bundle_msg m;
	struct vs_ofp_flow_mod *fm = malloc(sizeof(*fm));
	struct vs_ofperr e;
	size_t i;

	(void)state;
	len = capture("bundle_open", msg, sizeof(msg));
	assert_int_equal(vs_ofp_decode_bundle(msg, len, &m, &e), 1);
	assert_int_equal(m.exp_type, ONFT_BUNDLE_CONTROL);
	assert_int_equal(m.type, ONF_BCT_OPEN);
	assert_int_equal(m.flags, ONF_BF_ATOMIC | ONF_BF_ORDERED);
	assert_null(m.inner);
	msg[21] = 9; /* an unknown control type */
	assert_true(vs_ofp_decode_bundle(msg, len, &m, &e) < 0);
	assert_int_equal(bfc_of(&e), OFPBFC_BAD_TYPE);
	msg[21] = 0, msg[23] = 0x13; /* an unknown flag */
	assert_true(vs_ofp_decode_bundle(msg, len, &m, &e) < 0);
	assert_int_equal(bfc_of(&e), OFPBFC_BAD_FLAGS);
	msg[11] = 0x01; /* another experimenter: not a bundle */
	assert_int_equal(vs_ofp_decode_bundle(msg, len, &m, &e), 0);
	len = capture("bundle_commit", msg, sizeof(msg));
	assert_int_equal(vs_ofp_decode_bundle(msg, len, &m, &e), 1);
	assert_int_equal(m.type, ONF_BCT_COMMIT);

	len = capture("bundle_add1", msg, sizeof(msg));
	assert_int_equal(vs_ofp_decode_bundle(msg, len, &m, &e), 1);
	assert_int_equal(m.exp_type, ONFT_BUNDLE_ADD_MESSAGE);
	assert_ptr_equal(m.inner, msg + 24);
	assert_int_equal(m.inner_len, len - 24);
	assert_int_equal(vs_ofp_decode_flow_mod(m.inner, m.inner_len, &ports, fm, &e), 0);
	msg[24 + 7] ^= 1; /* the inner xid no longer the ADD's */
	assert_true(vs_ofp_decode_bundle(msg, len, &m, &e) < 0);
	assert_int_equal(bfc_of(&e), OFPBFC_MSG_BAD_XID);
	msg[24 + 7] ^= 1;
	vs_ofp_put16(msg + 24 + 2, (uint16_t)(len - 24 + 8)); /* past the end */
	assert_true(vs_ofp_decode_bundle(msg, len, &m, &e) < 0);
	assert_int_equal(bfc_of(&e), OFPBFC_MSG_BAD_LEN);
	vs_ofp_put16(msg + 24 + 2, (uint16_t)(len - 24));
	/* Cut at every length: refused (or not a bundle), never read past. */
	for (i = 0; i < len; i++) {
		uint8_t *p = malloc(i ? i : 1);

		memcpy(p, msg, i);
		assert_true(vs_ofp_decode_bundle(p, i, &m, &e) <= 0);
		free(p);
	}
	free(fm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_select_decodes_and_encodes_back),
		cmocka_unit_test(test_fast_failover_watch_ports),
		cmocka_unit_test(test_bucket_actions_round_trip),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_type_rules),
		cmocka_unit_test(test_truncated_at_every_length),
		cmocka_unit_test(test_bundle_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
