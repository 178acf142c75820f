/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_ofp.c: the OpenFlow 1.3 match and action codec
 * (control/openflow/codec/ofp_match.c, ofp_actions.c) against ovs-ofctl 3.1's
 * own bytes (tests/unit/ofp/captures.txt), round trips, every refusal
 * with its (type, code), and inputs cut at every length. No EAL needed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ofp/ofp_fixture.h"
#include "ofp_codec.h"

static size_t
unhex(const char *h, uint8_t *out)
{
	size_t n = 0;
	unsigned int byte;

	for (; h[0] && h[1]; h += 2) {
		assert_int_equal(sscanf(h, "%2x", &byte), 1);
		out[n++] = byte;
	}
	return n;
}

#define FM_MATCH 48 /* struct ofp_flow_mod, its header included */

/* add-flow table=1,priority=100,in_port=1,ip,nw_src=10.0.0.0/8,tcp,tp_dst=80,
 * actions=set_field:00:11:22:33:44:55->eth_dst,output:2,goto_table:5 */
static void
test_capture_flow_mod_match_and_instructions(void **state)
{
	uint8_t msg[1024];
	size_t len = capture("flow_mod", msg, sizeof(msg)), used = 0;
	struct vs_flow_match m;
	struct vs_action a[VS_ACTIONS_MAX];
	struct vs_ofp_acts_in in = {VS_OFP_ACTS_FLOW, &ports, 1, NULL};
	struct vs_ofperr e;
	uint16_t n = 0;
	static const uint8_t mac[6] = {0, 0x11, 0x22, 0x33, 0x44, 0x55};

	(void)state;
	if (vs_ofp_match_decode(msg + FM_MATCH, len - FM_MATCH, &ports, &m, &used, &e))
		print_message("%s\n", e.err.msg);
	assert_int_equal(vs_ofp_match_decode(msg + FM_MATCH, len - FM_MATCH, &ports, &m, &used, &e),
			 0);
	assert_int_equal(used, 48); /* 41 bytes of OXM, padded */
	assert_int_equal(m.key.in_port, 11);
	assert_int_equal(m.mask.in_port, 0xffff);
	assert_int_equal(m.key.dl_type, 0x0800);
	assert_int_equal(m.key.nw_proto, 6);
	assert_int_equal(m.key.nw_src[0], 10);
	assert_int_equal(m.mask.nw_src[0], 0xff);
	assert_int_equal(m.mask.nw_src[1], 0);
	assert_int_equal(m.key.tp_dst, 80);
	assert_int_equal(m.mask.tp_dst, 0xffff);
	assert_int_equal(m.mask.tp_src, 0);

	assert_int_equal(vs_ofp_instructions_decode(msg + FM_MATCH + used, len - FM_MATCH - used,
						    &in, a, &n, &e),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(a[0].type, VS_ACT_SET_DL_DST);
	assert_memory_equal(a[0].mac.addr_bytes, mac, 6);
	assert_int_equal(a[1].type, VS_ACT_OUTPUT);
	assert_int_equal(a[1].port, 12);
	assert_int_equal(a[2].type, VS_ACT_GOTO_TABLE);
	assert_int_equal(a[2].u8, 5);
}

/* The bundled rules' matches: dl_vlan=100 and ipv6,ipv6_dst=2001:db8::/32. */
static void
test_capture_bundle_matches(void **state)
{
	uint8_t msg[1024];
	size_t len, used;
	struct vs_flow_match m;
	struct vs_ofperr e;
	/* the inner flow_mod starts after the experimenter header (16) and
	 * bundle_add's fixed part (8) */
	const size_t inner = 24; /* checked below */

	(void)state;
	len = capture("bundle_add1", msg, sizeof(msg));
	if (vs_ofp_match_decode(msg + inner + FM_MATCH, len - inner - FM_MATCH, &ports, &m, &used,
				&e))
		print_message("%s\n", e.err.msg);
	assert_int_equal(m.key.vlan_tci, VS_VLAN_PRESENT | 100);
	assert_int_equal(m.mask.vlan_tci, 0x1fff);

	len = capture("bundle_add2", msg, sizeof(msg));
	assert_int_equal(vs_ofp_match_decode(msg + inner + FM_MATCH, len - inner - FM_MATCH, &ports,
					     &m, &used, &e),
			 0);
	assert_int_equal(m.key.dl_type, 0x86dd);
	assert_int_equal(m.key.nw_dst[0], 0x20);
	assert_int_equal(m.key.nw_dst[3], 0xb8);
	assert_int_equal(m.mask.nw_dst[3], 0xff);
	assert_int_equal(m.mask.nw_dst[4], 0);
}

/* encode(decode(x)) decodes to the same match, and encoding again gives
 * the same bytes. */
static void
round_trip(const uint8_t *p, size_t len)
{
	struct vs_flow_match m1, m2;
	struct vs_ofpbuf b1 = {0}, b2 = {0};
	struct vs_ofperr e;
	size_t used;

	if (vs_ofp_match_decode(p, len, &ports, &m1, &used, &e) != 0)
		fail_msg("%s", e.err.msg);
	assert_int_equal(vs_ofp_match_encode(&b1, &m1, &ports), 0);
	assert_int_equal(b1.len % 8, 0);
	assert_int_equal(vs_ofp_match_decode(b1.data, b1.len, &ports, &m2, &used, &e), 0);
	assert_int_equal(used, b1.len);
	assert_memory_equal(&m1, &m2, sizeof(m1));
	assert_int_equal(vs_ofp_match_encode(&b2, &m2, &ports), 0);
	assert_int_equal(b1.len, b2.len);
	assert_memory_equal(b1.data, b2.data, b1.len);
	vs_ofpbuf_free(&b1);
	vs_ofpbuf_free(&b2);
}

static const char *const good_matches[] = {
	/* empty */
	"00010004"
	"00000000",
	/* in_port=3, eth_dst masked, eth_src, vlan_vid=PRESENT|5, vlan_pcp=3 */
	"00010031"
	"8000000400000003"
	"8000070c0000030405000000ffffff00"
	"8000080607080900000b"
	"80000c021005"
	"80000e0103"
	"00000000000000",
	/* ipv4 udp dscp ecn ipv4_dst/24 udp_src */
	"0001002b"
	"80000a020800"
	"80001001"
	"2e"
	"80001201"
	"02"
	"80001401"
	"11"
	"80001908"
	"c0a80100ffffff00"
	"80001e020035"
	"0000000000",
	/* arp op=2 spa tpa */
	"00010020"
	"80000a020806"
	"80002a020002"
	"80002c040a000001"
	"80002e040a000002",
	/* icmpv6 type 135 code 0, ipv6_src */
	"0001002d"
	"80000a0286dd"
	"80001401"
	"3a"
	"80003410"
	"20010db8000000000000000000000001"
	"80003a0187"
	"80003c0100"
	"000000",
	/* metadata masked */
	"00010018"
	"8000051000000000000000aa00000000000000ff",
};

static void
test_match_round_trips(void **state)
{
	uint8_t buf[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good_matches) / sizeof(good_matches[0]); i++) {
		size_t n = unhex(good_matches[i], buf);

		print_message("match %zu\n", i);
		round_trip(buf, n);
	}
	{
		size_t n = capture("flow_mod", buf, sizeof(buf));

		round_trip(buf + FM_MATCH, n - FM_MATCH);
	}
}

struct bad_case {
	const char *hex;
	uint16_t type, code;
};

static const struct bad_case bad_matches[] = {
	/* match type 0 (standard) */
	{"00000004"
	 "00000000",
	 OFPET_BAD_MATCH, OFPBMC_BAD_TYPE},
	/* length 3 */
	{"00010003"
	 "00000000",
	 OFPET_BAD_MATCH, OFPBMC_BAD_LEN},
	/* eth_type twice */
	{"00010010"
	 "80000a020800"
	 "80000a020800",
	 OFPET_BAD_MATCH, OFPBMC_DUP_FIELD},
	/* tcp_dst without ip_proto=6 */
	{"00010010"
	 "80000a020800"
	 "80001c020050",
	 OFPET_BAD_MATCH, OFPBMC_BAD_PREREQ},
	/* ipv4_src with eth_type ipv6 */
	{"00010012"
	 "80000a0286dd"
	 "800016040a000001"
	 "000000000000",
	 OFPET_BAD_MATCH, OFPBMC_BAD_PREREQ},
	/* vlan_pcp without a vlan */
	{"00010009"
	 "80000e0103"
	 "00000000000000",
	 OFPET_BAD_MATCH, OFPBMC_BAD_PREREQ},
	/* arp_sha: the switch does not have it */
	{"0001000e"
	 "80003006000000000001"
	 "0000",
	 OFPET_BAD_MATCH, OFPBMC_BAD_FIELD},
	/* an NXM field */
	{"0001000c"
	 "0001000400000001"
	 "00000000",
	 OFPET_BAD_MATCH, OFPBMC_BAD_FIELD},
	/* eth_type with a mask */
	{"0001000c"
	 "80000b0408000800"
	 "00000000",
	 OFPET_BAD_MATCH, OFPBMC_BAD_MASK},
	/* eth_dst value outside its mask */
	{"00010014"
	 "8000070c010000000001ff0000000000"
	 "00000000",
	 OFPET_BAD_MATCH, OFPBMC_BAD_WILDCARDS},
	/* eth_dst with a 5-byte payload */
	{"0001000d"
	 "80000605"
	 "0102030405"
	 "000000",
	 OFPET_BAD_MATCH, OFPBMC_BAD_LEN},
	/* a TLV running past the match */
	{"0001000a"
	 "80000a04"
	 "0800"
	 "000000000000",
	 OFPET_BAD_MATCH, OFPBMC_BAD_LEN},
	/* in_port of a port the bridge does not have */
	{"0001000c"
	 "8000000400000063"
	 "00000000",
	 OFPET_BAD_MATCH, OFPBMC_BAD_VALUE},
	/* vlan_vid 5 without OFPVID_PRESENT */
	{"0001000a"
	 "80000c020005"
	 "000000000000",
	 OFPET_BAD_MATCH, OFPBMC_BAD_VALUE},
	/* ip_dscp 64 */
	{"0001000f"
	 "80000a020800"
	 "8000100140"
	 "00",
	 OFPET_BAD_MATCH, OFPBMC_BAD_VALUE},
	/* non-zero padding */
	{"0001000a"
	 "80000a020800"
	 "000000000001",
	 OFPET_BAD_MATCH, OFPBMC_BAD_LEN},
};

static void
test_match_refusals(void **state)
{
	uint8_t buf[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_matches) / sizeof(bad_matches[0]); i++) {
		struct vs_flow_match m;
		struct vs_ofperr e;
		size_t used, n = unhex(bad_matches[i].hex, buf);

		memset(&e, 0, sizeof(e));
		print_message("bad match %zu\n", i);
		assert_true(vs_ofp_match_decode(buf, n, &ports, &m, &used, &e) < 0);
		assert_int_equal(e.type, bad_matches[i].type);
		assert_string_equal(vs_ofperr_name(e.type, e.code),
				    vs_ofperr_name(bad_matches[i].type, bad_matches[i].code));
		assert_true(e.err.msg[0] != 0);
	}
}

static const struct bad_case bad_insts[] = {
	/* apply: output:ANY */
	{"0004001800000000"
	 "00000010ffffffff0000000000000000",
	 OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT},
	/* apply: output:TABLE outside a packet-out */
	{"0004001800000000"
	 "00000010fffffff90000000000000000",
	 OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT},
	/* apply: output to a port the bridge does not have */
	{"0004001800000000"
	 "00000010000000630000000000000000",
	 OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT},
	/* apply: copy_ttl_out */
	{"0004001000000000"
	 "000b000800000000",
	 OFPET_BAD_ACTION, OFPBAC_BAD_TYPE},
	/* apply: output of length 8 */
	{"0004001000000000"
	 "0000000800000001",
	 OFPET_BAD_ACTION, OFPBAC_BAD_LEN},
	/* apply: push_vlan 0x0800 */
	{"0004001000000000"
	 "0011000808000000",
	 OFPET_BAD_ACTION, OFPBAC_BAD_ARGUMENT},
	/* apply: set_field arp_op */
	{"0004001000000000"
	 "001900088000"
	 "2a02",
	 OFPET_BAD_ACTION, OFPBAC_BAD_SET_LEN},
	{"0004001800000000"
	 "00190010"
	 "80002a02"
	 "00020000"
	 "00000000",
	 OFPET_BAD_ACTION, OFPBAC_BAD_SET_TYPE},
	/* apply: an experimenter that is not Nicira */
	{"0004001800000000"
	 "ffff0010"
	 "00001234"
	 "0000000000000000",
	 OFPET_BAD_ACTION, OFPBAC_BAD_EXPERIMENTER},
	/* apply: Nicira action 99 */
	{"0004001800000000"
	 "ffff0010"
	 "00002320"
	 "0063000000000000",
	 OFPET_BAD_ACTION, OFPBAC_BAD_EXP_TYPE},
	/* goto_table 1 from table 1 */
	{"0001000801000000", OFPET_BAD_INSTRUCTION, OFPBIC_BAD_TABLE_ID},
	/* meter */
	{"0006000800000001", OFPET_BAD_INSTRUCTION, OFPBIC_UNSUP_INST},
	/* clear twice */
	{"0005000800000000"
	 "0005000800000000",
	 OFPET_BAD_INSTRUCTION, OFPBIC_UNSUP_INST},
	/* type 9 */
	{"0009000800000000", OFPET_BAD_INSTRUCTION, OFPBIC_UNKNOWN_INST},
	/* experimenter */
	{"ffff000800002320", OFPET_BAD_INSTRUCTION, OFPBIC_BAD_EXPERIMENTER},
	/* length 12 */
	{"0005000c00000000"
	 "00000000",
	 OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN},
	/* write_metadata of 16 bytes */
	{"0002001000000000"
	 "0000000000000001",
	 OFPET_BAD_INSTRUCTION, OFPBIC_BAD_LEN},
};

static void
test_instruction_refusals(void **state)
{
	struct vs_ofp_acts_in in = {VS_OFP_ACTS_FLOW, &ports, 1, NULL};
	uint8_t buf[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_insts) / sizeof(bad_insts[0]); i++) {
		struct vs_action a[VS_ACTIONS_MAX];
		struct vs_ofperr e;
		uint16_t n = 0;
		size_t len = unhex(bad_insts[i].hex, buf);

		memset(&e, 0, sizeof(e));
		print_message("bad instruction %zu\n", i);
		assert_true(vs_ofp_instructions_decode(buf, len, &in, a, &n, &e) < 0);
		assert_string_equal(vs_ofperr_name(e.type, e.code),
				    vs_ofperr_name(bad_insts[i].type, bad_insts[i].code));
		assert_int_equal(e.type, bad_insts[i].type);
		assert_int_equal(e.code, bad_insts[i].code);
	}
}

/* The spec's order, whatever the wire's: apply, clear, write, metadata, goto;
 * Nicira resubmit(,7); output:TABLE in a packet-out; 33 actions: TOO_MANY. */
static void
test_instruction_order_and_special_outputs(void **state)
{
	struct vs_ofp_acts_in in = {VS_OFP_ACTS_FLOW, &ports, 0, NULL};
	struct vs_action a[VS_ACTIONS_MAX];
	struct vs_ofperr e;
	uint8_t buf[1024];
	uint16_t n = 0;
	size_t len, i;

	(void)state;
	len = unhex("0001000803000000"                                 /* goto 3 */
		    "000200180000000000000000000000aa00000000000000ff" /* metadata */
		    "0003001800000000"
		    "00000010fffffffd0080000000000000" /* write ctl */
		    "0005000800000000"                 /* clear */
		    "0004002000000000"
		    "ffff001000002320000efff807000000" /* resubmit(,7) */
		    "0018000800000000",                /* dec_ttl */
		    buf);
	assert_int_equal(vs_ofp_instructions_decode(buf, len, &in, a, &n, &e), 0);
	assert_int_equal(n, 6);
	assert_int_equal(a[0].type, VS_ACT_RESUBMIT);
	assert_int_equal(a[0].u8, 7);
	assert_int_equal(a[0].u16, VS_PORT_NONE);
	assert_int_equal(a[1].type, VS_ACT_DEC_TTL);
	assert_int_equal(a[2].type, VS_ACT_CLEAR_ACTIONS);
	assert_int_equal(a[3].type, VS_ACT_CONTROLLER);
	assert_int_equal(a[3].u16, 0x80);
	assert_int_equal(a[3].flags, VS_AF_WRITE);
	assert_int_equal(a[4].type, VS_ACT_WRITE_METADATA);
	assert_true(a[4].u64 == 0xaa && a[4].mask64 == 0xff);
	assert_int_equal(a[5].type, VS_ACT_GOTO_TABLE);
	assert_int_equal(a[5].u8, 3);

	in.ctx = VS_OFP_ACTS_PACKET_OUT;
	n = 0;
	len = unhex("00000010fffffff90000000000000000", buf);
	assert_int_equal(vs_ofp_actions_decode(buf, len, &in, 0, a, &n, &e), 0);
	assert_int_equal(a[0].type, VS_ACT_RESUBMIT);
	assert_int_equal(a[0].u8, 0);

	n = 0;
	for (i = 0; i < 33; i++)
		unhex("0018000800000000", buf + 8 * i);
	assert_true(vs_ofp_actions_decode(buf, 33 * 8, &in, 0, a, &n, &e) < 0);
	assert_int_equal(e.code, OFPBAC_TOO_MANY);
}

/* Every prefix of the captured match and instructions, in a buffer of
 * exactly that size (so a read past it shows under ASan): refused, never
 * a crash. */
static void
test_truncated_at_every_length(void **state)
{
	struct vs_ofp_acts_in in = {VS_OFP_ACTS_FLOW, &ports, 1, NULL};
	uint8_t msg[1024];
	size_t len = capture("flow_mod", msg, sizeof(msg)) - FM_MATCH, i;
	const size_t match_len = 48;

	(void)state;
	for (i = 0; i < len; i++) {
		uint8_t *p = malloc(i ? i : 1);
		struct vs_flow_match m;
		struct vs_action a[VS_ACTIONS_MAX];
		struct vs_ofperr e;
		uint16_t n = 0;
		size_t used;

		memcpy(p, msg + FM_MATCH, i);
		if (i < match_len) {
			assert_true(vs_ofp_match_decode(p, i, &ports, &m, &used, &e) < 0);
			assert_int_equal(e.code, OFPBMC_BAD_LEN);
		} else {
			assert_int_equal(vs_ofp_match_decode(p, i, &ports, &m, &used, &e), 0);
			/* instructions cut short: refused unless the cut is
			 * between two whole instructions */
			if (vs_ofp_instructions_decode(p + match_len, i - match_len, &in, a, &n,
						       &e) == 0)
				assert_true(i - match_len == 0 || i - match_len == 40);
		}
		free(p);
	}
}

/* The whole FLOW_MOD: the spec vs_flows_add gets, and the header's refusals. */
static void
test_flow_mod_decode(void **state)
{
	static struct vs_ofp_flow_mod fm;
	struct vs_ofperr e;
	uint8_t msg[1024];
	size_t len = capture("flow_mod", msg, sizeof(msg)), i;

	(void)state;
	assert_int_equal(vs_ofp_decode_flow_mod(msg, len, &ports, &fm, &e), 0);
	assert_int_equal(fm.command, OFPFC_ADD);
	assert_int_equal(fm.spec.table_id, 1);
	assert_true(fm.spec.has_table);
	assert_int_equal(fm.spec.priority, 100);
	assert_true(fm.spec.has_priority);
	assert_false(fm.spec.has_cookie);
	assert_false(fm.spec.has_out_port);
	assert_int_equal(fm.spec.origin, VS_ORIGIN_CONTROLLER);
	assert_int_equal(fm.spec.n_actions, 3);
	assert_int_equal(fm.spec.match.key.tp_dst, 80);

	msg[25] = 9; /* command */
	assert_true(vs_ofp_decode_flow_mod(msg, len, &ports, &fm, &e) < 0);
	assert_true(e.type == OFPET_FLOW_MOD_FAILED && e.code == OFPFMFC_BAD_COMMAND);
	msg[25] = OFPFC_ADD;
	msg[24] = OFPTT_ALL; /* all tables: only for deletes */
	assert_true(vs_ofp_decode_flow_mod(msg, len, &ports, &fm, &e) < 0);
	assert_true(e.type == OFPET_FLOW_MOD_FAILED && e.code == OFPFMFC_BAD_TABLE_ID);
	msg[25] = OFPFC_DELETE;
	assert_int_equal(vs_ofp_decode_flow_mod(msg, len, &ports, &fm, &e), 0);
	assert_false(fm.spec.has_table);
	assert_false(fm.spec.has_priority);
	msg[25] = OFPFC_ADD;
	msg[24] = 1;
	msg[45] = 0x20; /* flags */
	assert_true(vs_ofp_decode_flow_mod(msg, len, &ports, &fm, &e) < 0);
	assert_true(e.type == OFPET_FLOW_MOD_FAILED && e.code == OFPFMFC_BAD_FLAGS);
	msg[45] = 0;
	/* a length field that is not the message's */
	assert_true(vs_ofp_decode_flow_mod(msg, len - 8, &ports, &fm, &e) < 0);
	assert_true(e.type == OFPET_BAD_REQUEST && e.code == OFPBRC_BAD_LEN);
	/* every truncation, length field fixed up: refused, never read past */
	for (i = 0; i < len; i++) {
		uint8_t *p = malloc(i ? i : 1);

		memcpy(p, msg, i);
		if (i >= 4)
			vs_ofp_put16(p + 2, i);
		if (vs_ofp_decode_flow_mod(p, i, &ports, &fm, &e) == 0)
			/* no instructions at all, or cut before the goto */
			assert_true(i == FM_MATCH + 48 || i == len - 8);
		free(p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_flow_mod_match_and_instructions),
		cmocka_unit_test(test_capture_bundle_matches),
		cmocka_unit_test(test_match_round_trips),
		cmocka_unit_test(test_match_refusals),
		cmocka_unit_test(test_instruction_refusals),
		cmocka_unit_test(test_instruction_order_and_special_outputs),
		cmocka_unit_test(test_truncated_at_every_length),
		cmocka_unit_test(test_flow_mod_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
