/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_flow_parse.c: flow rules in ovs-ofctl syntax
 * (control/flow/flow_parse.c): what each field and action stores, and the
 * defaults. Refusals and the canonical text are in test_flow_text.c.
 * No EAL needed. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "flow_parse_util.h"

static struct vs_flow_match *
zero(struct vs_flow_match *m)
{
	memset(m, 0, sizeof(*m));
	return m;
}

/* The match of 'text' must be exactly 'want': the fields it sets and
 * nothing else (every other key and mask byte zero). */
static void
expect_match(const char *text, const struct vs_flow_match *want)
{
	const uint8_t *got, *w = (const uint8_t *)want;
	struct vs_flow_spec s;
	size_t i;

	parse_ok(text, MATCH, &s);
	got = (const uint8_t *)&s.match;
	for (i = 0; i < sizeof(*want); i++)
		if (got[i] != w[i])
			fail_msg("'%s': %s byte %zu is 0x%02x, wanted 0x%02x", text,
				 i < sizeof(want->key) ? "key" : "mask", i % sizeof(want->key),
				 got[i], w[i]);
}

static void
set_ip4(uint8_t *b, uint8_t a0, uint8_t a1, uint8_t a2, uint8_t a3)
{
	b[0] = a0;
	b[1] = a1;
	b[2] = a2;
	b[3] = a3;
}

static struct rte_ether_addr
mac(uint8_t a0, uint8_t a1, uint8_t a2, uint8_t a3, uint8_t a4, uint8_t a5)
{
	struct rte_ether_addr m = {{a0, a1, a2, a3, a4, a5}};

	return m;
}

static const struct rte_ether_addr mac_ones = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

static void
test_empty_text_matches_everything_at_default_priority(void **state)
{
	struct vs_flow_match all;
	struct vs_flow_spec s;

	parse_ok("", MATCH, &s);
	assert_int_equal(s.priority, VS_FLOW_PRIORITY_DEFAULT);
	assert_int_equal(s.priority, 32768);
	assert_false(s.has_priority);
	assert_false(s.has_cookie);
	assert_int_equal(s.cookie_mask, 0);
	assert_int_equal(s.idle_timeout, 0);
	assert_int_equal(s.hard_timeout, 0);
	assert_int_equal(s.n_actions, 0);
	assert_memory_equal(&s.match, zero(&all), sizeof(all));
	expect_match("  \t ", &all);
	parse_ok("actions=normal", ADD, &s);
	assert_int_equal(s.priority, 32768);
	assert_memory_equal(&s.match, &all, sizeof(all));
}

static void
test_priority_cookie_table_and_timeouts_are_stored(void **state)
{
	struct vs_flow_spec s;

	parse_ok("priority=100,cookie=0x1f,table=0,idle_timeout=30,hard_timeout=65535,"
		 "actions=normal",
		 ADD, &s);
	assert_int_equal(s.priority, 100);
	assert_true(s.has_priority);
	assert_true(s.has_cookie);
	assert_int_equal(s.cookie, 0x1f);
	assert_true(s.cookie_mask == UINT64_MAX);
	assert_int_equal(s.idle_timeout, 30);
	assert_int_equal(s.hard_timeout, 65535);
	parse_ok("priority=0,cookie=18446744073709551615,actions=drop", ADD, &s);
	assert_int_equal(s.priority, 0);
	assert_true(s.has_priority);
	assert_true(s.cookie == UINT64_MAX);
	parse_ok("priority=0xffff,cookie=010,actions=drop", ADD, &s);
	assert_int_equal(s.priority, 65535);
	assert_int_equal(s.cookie, 10); /* decimal, not octal */
}

static void
test_cookie_mask_is_for_match_mode_only(void **state)
{
	struct vs_flow_spec s;

	parse_ok("cookie=0x1234/0xff00", MATCH, &s);
	assert_true(s.has_cookie);
	assert_int_equal(s.cookie, 0x1200); /* stored masked */
	assert_int_equal(s.cookie_mask, 0xff00);
	parse_ok("cookie=5", MATCH, &s);
	assert_int_equal(s.cookie, 5);
	assert_true(s.cookie_mask == UINT64_MAX);
	parse_fails("ip,cookie=1/1,actions=drop", ADD, "a new flow takes cookie=VALUE",
		    "cookie at position 3");
	parse_fails("cookie=1/0x", MATCH, "'1/0x' is not a 64-bit number", "position 0");
}

static void
test_in_port_is_resolved_through_the_lookup(void **state)
{
	struct vs_flow_match w;

	zero(&w)->key.in_port = 2;
	w.mask.in_port = 0xffff;
	expect_match("in_port=nic0", &w);
	parse_fails("ip,in_port=eth9", MATCH,
		    "in_port at position 3: no port 'eth9' on this bridge", NULL);
	parse_fails("in_port=", MATCH, "in_port at position 0: needs '=' and a port", NULL);
}

static void
test_ethernet_addresses_take_optional_masks(void **state)
{
	struct vs_flow_match w;

	zero(&w)->key.dl_src = mac(0x52, 0x54, 0x00, 0xab, 0xcd, 0xef);
	w.mask.dl_src = mac_ones;
	expect_match("dl_src=52:54:00:AB:cd:Ef", &w);
	zero(&w)->key.dl_dst = mac(0x01, 0x00, 0x5e, 0x00, 0x00, 0x00);
	w.mask.dl_dst = mac(0xff, 0xff, 0xff, 0x80, 0x00, 0x00);
	expect_match("dl_dst=01:00:5e:7f:12:34/ff:ff:ff:80:00:00", &w);
}

static void
test_dl_type_takes_hex_or_decimal(void **state)
{
	struct vs_flow_match w;

	zero(&w)->key.dl_type = 0x88cc;
	w.mask.dl_type = 0xffff;
	expect_match("dl_type=0x88cc", &w);
	expect_match("dl_type=0X88CC", &w);
	w.key.dl_type = 0x0806;
	expect_match("dl_type=2054", &w);
}

static void
test_shorthands_set_dl_type_and_nw_proto(void **state)
{
	static const struct {
		const char *text;
		uint16_t dl_type;
		int nw_proto;
	} cases[] = {
		{"ip", 0x0800, -1},  {"ipv6", 0x86dd, -1}, {"arp", 0x0806, -1},
		{"tcp", 0x0800, 6},  {"udp", 0x0800, 17},  {"icmp", 0x0800, 1},
		{"tcp6", 0x86dd, 6}, {"udp6", 0x86dd, 17}, {"icmp6", 0x86dd, 58},
	};
	struct vs_flow_match w;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		zero(&w)->key.dl_type = cases[i].dl_type;
		w.mask.dl_type = 0xffff;
		if (cases[i].nw_proto >= 0) {
			w.key.nw_proto = (uint8_t)cases[i].nw_proto;
			w.mask.nw_proto = 0xff;
		}
		expect_match(cases[i].text, &w);
	}
}

static void
test_vlan_fields_set_tci_and_presence_bit(void **state)
{
	struct vs_flow_match w;

	zero(&w)->key.vlan_tci = 10 | VS_VLAN_PRESENT;
	w.mask.vlan_tci = VS_VLAN_VID_MASK | VS_VLAN_PRESENT;
	assert_int_equal(w.mask.vlan_tci, 0x1fff);
	expect_match("dl_vlan=10", &w);
	zero(&w)->key.vlan_tci = 5 << 13 | VS_VLAN_PRESENT;
	w.mask.vlan_tci = VS_VLAN_PCP_MASK | VS_VLAN_PRESENT;
	expect_match("dl_vlan_pcp=5", &w);
	zero(&w)->key.vlan_tci = 0xb00a; /* pcp 5, present, vid 10 */
	w.mask.vlan_tci = 0xffff;
	expect_match("dl_vlan=10,dl_vlan_pcp=5", &w);
	expect_match("dl_vlan_pcp=5,dl_vlan=10", &w);
	zero(&w)->key.vlan_tci = 0; /* no tag */
	w.mask.vlan_tci = VS_VLAN_PRESENT;
	expect_match("dl_vlan=0xffff", &w);
	expect_match("dl_vlan=65535", &w);
	zero(&w)->key.vlan_tci = VS_VLAN_PRESENT; /* tagged, VID 0 */
	w.mask.vlan_tci = 0x1fff;
	expect_match("dl_vlan=0", &w);
}

static void
ip4_match(struct vs_flow_match *w)
{
	zero(w)->key.dl_type = 0x0800;
	w->mask.dl_type = 0xffff;
}

static void
test_ipv4_addresses_take_prefixes_and_masks(void **state)
{
	struct vs_flow_match w;

	ip4_match(&w);
	set_ip4(w.key.nw_src, 10, 1, 2, 3);
	set_ip4(w.mask.nw_src, 255, 255, 255, 255);
	expect_match("ip,nw_src=10.1.2.3", &w);
	ip4_match(&w);
	set_ip4(w.key.nw_dst, 10, 1, 0, 0);
	set_ip4(w.mask.nw_dst, 255, 255, 0, 0);
	expect_match("ip,nw_dst=10.1.2.3/16", &w);
	expect_match("ip,nw_dst=10.1.2.3/255.255.0.0", &w);
	ip4_match(&w);
	set_ip4(w.key.nw_dst, 10, 0, 2, 0);
	set_ip4(w.mask.nw_dst, 255, 0, 255, 0);
	expect_match("ip,nw_dst=10.1.2.3/255.0.255.0", &w);
	ip4_match(&w);
	set_ip4(w.key.nw_src, 192, 168, 1, 128);
	set_ip4(w.mask.nw_src, 255, 255, 255, 224);
	expect_match("ip,nw_src=192.168.1.130/27", &w);
	ip4_match(&w);
	expect_match("ip,nw_src=192.168.1.130/0", &w); /* a zero mask matches anything */
}

static void
test_arp_fields_share_the_ipv4_storage(void **state)
{
	struct vs_flow_match w;

	zero(&w)->key.dl_type = 0x0806;
	w.mask.dl_type = 0xffff;
	w.key.nw_proto = 2; /* ARP reply */
	w.mask.nw_proto = 0xff;
	set_ip4(w.key.nw_src, 10, 0, 0, 1);
	set_ip4(w.mask.nw_src, 255, 255, 255, 255);
	set_ip4(w.key.nw_dst, 10, 0, 0, 0);
	set_ip4(w.mask.nw_dst, 255, 255, 255, 0);
	expect_match("arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.9/24,nw_proto=2", &w);
	expect_match("arp,nw_src=10.0.0.1,nw_dst=10.0.0.9/24,nw_proto=2", &w);
}

static void
test_ipv6_addresses_take_prefixes_and_masks(void **state)
{
	static const uint8_t db8[16] = {0x20, 0x01, 0x0d, 0xb8};
	static const uint8_t p32[16] = {0xff, 0xff, 0xff, 0xff};
	static const uint8_t fe80_1[16] = {0xfe, 0x80, [15] = 1};
	static const uint8_t low16[16] = {[14] = 0xff, [15] = 0xff};
	static const uint8_t one[16] = {[15] = 1};
	struct vs_flow_match w;

	zero(&w)->key.dl_type = 0x86dd;
	w.mask.dl_type = 0xffff;
	memcpy(w.key.nw_src, db8, 16);
	memcpy(w.mask.nw_src, p32, 16);
	memcpy(w.key.nw_dst, fe80_1, 16);
	memset(w.mask.nw_dst, 0xff, 16);
	expect_match("ipv6,ipv6_src=2001:db8::1/32,ipv6_dst=fe80::1", &w);
	expect_match("ipv6,ipv6_src=2001:db8:0:0::7/ffff:ffff::,ipv6_dst=FE80::1/128", &w);
	memcpy(w.key.nw_dst, one, 16);
	memcpy(w.mask.nw_dst, low16, 16);
	expect_match("ipv6,ipv6_src=2001:db8::/32,ipv6_dst=fe80::1/::ffff", &w);
}

static void
test_nw_proto_tos_and_dscp_are_stored(void **state)
{
	struct vs_flow_match w;

	ip4_match(&w);
	w.key.nw_proto = 47;
	w.mask.nw_proto = 0xff;
	expect_match("ip,nw_proto=47", &w);
	ip4_match(&w);
	w.key.nw_tos = 184;
	w.mask.nw_tos = 0xfc;
	expect_match("ip,nw_tos=184", &w);
	expect_match("ip,ip_dscp=46", &w);
	w.key.dl_type = 0x86dd;
	expect_match("ipv6,ip_dscp=46", &w);
}

static void
test_nw_frag_values_set_key_and_mask(void **state)
{
	static const struct {
		const char *name;
		uint8_t key, mask;
	} cases[] = {
		{"no", 0, VS_FRAG_ANY},
		{"yes", VS_FRAG_ANY, VS_FRAG_ANY},
		{"first", VS_FRAG_ANY, VS_FRAG_ANY | VS_FRAG_LATER},
		{"later", VS_FRAG_ANY | VS_FRAG_LATER, VS_FRAG_ANY | VS_FRAG_LATER},
		{"not_later", 0, VS_FRAG_LATER},
	};
	struct vs_flow_match w;
	char text[64];
	unsigned int i;

	assert_int_equal(VS_FRAG_ANY, 0x01);
	assert_int_equal(VS_FRAG_LATER, 0x02);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ip4_match(&w);
		w.key.nw_frag = cases[i].key;
		w.mask.nw_frag = cases[i].mask;
		snprintf(text, sizeof(text), "ip,nw_frag=%s", cases[i].name);
		expect_match(text, &w);
		w.key.dl_type = 0x86dd;
		snprintf(text, sizeof(text), "nw_frag= %s ,ipv6", cases[i].name);
		expect_match(text, &w);
	}
	parse_fails("ip,nw_frag=maybe", MATCH,
		    "nw_frag at position 3: 'maybe' is not one of no, yes, first, later, not_later",
		    NULL);
	parse_fails("ip,nw_frag=YES", MATCH, "'YES' is not one of no, yes", "position 3");
	parse_fails("ip,nw_frag=", MATCH, "nw_frag at position 3: needs '=' and one of no", NULL);
	parse_fails("ip,nw_frag=no,nw_frag=yes", MATCH,
		    "nw_frag at position 14: given twice (first at position 3)", NULL);
	/* A pair the parser never makes shows as numbers, which it refuses. */
	ip4_match(&w);
	w.key.nw_frag = VS_FRAG_LATER;
	w.mask.nw_frag = VS_FRAG_LATER;
	vs_flow_format_match(&w, test_port_name, (void *)&ports, text, sizeof(text));
	assert_string_equal(text, "ip,nw_frag=0x02/0x02");
	parse_fails(text, MATCH, "nw_frag at position 3: '0x02/0x02' is not one of", NULL);
}

static void
test_transport_ports_take_optional_masks(void **state)
{
	struct vs_flow_match w;

	ip4_match(&w);
	w.key.nw_proto = 6;
	w.mask.nw_proto = 0xff;
	w.key.tp_src = 80;
	w.mask.tp_src = 0xffff;
	expect_match("tcp,tp_src=80", &w);
	w.key.nw_proto = 17;
	w.key.tp_src = 0;
	w.mask.tp_src = 0;
	w.key.tp_dst = 0x1200;
	w.mask.tp_dst = 0xff00;
	expect_match("udp,tp_dst=0x1234/0xff00", &w);
	w.key.dl_type = 0x86dd;
	expect_match("udp6,tp_dst=4660/65280", &w);
}

static void
test_icmp_type_and_code_live_in_transport_ports(void **state)
{
	struct vs_flow_match w;

	ip4_match(&w);
	w.key.nw_proto = 1;
	w.mask.nw_proto = 0xff;
	w.key.tp_src = 8;
	w.mask.tp_src = 0xffff;
	w.key.tp_dst = 0;
	w.mask.tp_dst = 0xffff;
	expect_match("icmp,icmp_type=8,icmp_code=0", &w);
	expect_match("ip,nw_proto=1,icmp_code=0,icmp_type=8", &w);
	w.key.dl_type = 0x86dd;
	w.key.nw_proto = 58;
	w.key.tp_src = 135;
	w.mask.tp_dst = 0;
	expect_match("icmp6,icmp_type=135", &w);
}

static void
test_stored_key_is_always_masked(void **state)
{
	static const char *const texts[] = {
		"dl_src=ff:ff:ff:ff:ff:ff/00:ff:00:ff:00:ff",
		"ip,nw_src=255.255.255.255/1,nw_dst=255.255.255.255/0.0.0.255",
		"ipv6,ipv6_dst=ffff:ffff::ffff/17",
		"tcp,tp_src=0xffff/0x0f0f,tp_dst=65535/0",
		"cookie=0xffff/0x00f0",
	};
	struct vs_flow_spec s;
	const uint8_t *k, *m;
	unsigned int i, j;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		parse_ok(texts[i], MATCH, &s);
		k = (const uint8_t *)&s.match.key;
		m = (const uint8_t *)&s.match.mask;
		for (j = 0; j < sizeof(s.match.key); j++)
			assert_int_equal(k[j] & m[j], k[j]);
		assert_true((s.cookie & s.cookie_mask) == s.cookie);
	}
}

static void
test_every_action_stores_its_fields(void **state)
{
	struct vs_action want[16];
	struct vs_flow_spec s;

	memset(want, 0, sizeof(want));
	want[0] = (struct vs_action){.type = VS_ACT_OUTPUT, .port = 2};
	want[1] = (struct vs_action){.type = VS_ACT_NORMAL};
	want[2] = (struct vs_action){.type = VS_ACT_FLOOD};
	want[3] = (struct vs_action){.type = VS_ACT_IN_PORT};
	want[4] = (struct vs_action){.type = VS_ACT_SET_VLAN_VID, .u16 = 4095};
	want[5] = (struct vs_action){.type = VS_ACT_SET_VLAN_PCP, .u8 = 7};
	want[6] = (struct vs_action){.type = VS_ACT_STRIP_VLAN};
	want[7] = (struct vs_action){.type = VS_ACT_PUSH_VLAN, .u16 = 0x88a8};
	want[8] = (struct vs_action){.type = VS_ACT_SET_DL_SRC,
				     .mac = mac(0x52, 0x54, 0, 0, 0, 0x01)};
	want[9] = (struct vs_action){.type = VS_ACT_SET_DL_DST,
				     .mac = mac(0x52, 0x54, 0, 0, 0, 0xfe)};
	want[10] = (struct vs_action){.type = VS_ACT_SET_NW_SRC, .u32 = htonl(0x0a000001)};
	want[11] = (struct vs_action){.type = VS_ACT_SET_NW_DST, .u32 = htonl(0xc0a80102)};
	want[12] = (struct vs_action){.type = VS_ACT_SET_NW_TOS, .u8 = 184};
	want[13] = (struct vs_action){.type = VS_ACT_SET_TP_SRC, .u16 = 1024};
	want[14] = (struct vs_action){.type = VS_ACT_SET_TP_DST, .u16 = 65535};
	want[15] = (struct vs_action){.type = VS_ACT_OUTPUT, .port = 1};
	parse_ok("tcp,actions=output:nic0,normal,flood,in_port,mod_vlan_vid:4095,"
		 "mod_vlan_pcp:7,strip_vlan,push_vlan:0x88a8,mod_dl_src:52:54:00:00:00:01,"
		 "mod_dl_dst:52:54:00:00:00:FE,mod_nw_src:10.0.0.1,mod_nw_dst:192.168.1.2,"
		 "mod_nw_tos:184,mod_tp_src:1024,mod_tp_dst:65535,output:vhu0",
		 ADD, &s);
	assert_int_equal(s.n_actions, 16);
	assert_memory_equal(s.actions, want, sizeof(want));
	parse_ok("actions=push_vlan:33024", ADD, &s);
	assert_int_equal(s.actions[0].type, VS_ACT_PUSH_VLAN);
	assert_int_equal(s.actions[0].u16, 0x8100);
}

static void
test_bare_port_name_is_an_output_and_keywords_win(void **state)
{
	struct vs_flow_spec s;

	/* As in OVS, a reserved port's name wins over a port's, in any case:
	 * the port "flood" is reached by its OpenFlow number. */
	parse_ok("actions=p3,flood,output:FLOOD,Output:Flood,44", ADD, &s);
	assert_int_equal(s.n_actions, 5);
	assert_int_equal(s.actions[0].type, VS_ACT_OUTPUT);
	assert_int_equal(s.actions[0].port, 3);
	assert_int_equal(s.actions[1].type, VS_ACT_FLOOD); /* not the port "flood" */
	assert_int_equal(s.actions[2].type, VS_ACT_FLOOD);
	assert_int_equal(s.actions[3].type, VS_ACT_FLOOD);
	assert_int_equal(s.actions[4].type, VS_ACT_OUTPUT);
	assert_int_equal(s.actions[4].port, 4);
	parse_fails("actions=normal,nic9", ADD,
		    "at position 15: 'nic9' is neither an action nor a port of this bridge", NULL);
	parse_fails("actions=output:nic9", ADD, "output at position 8: no port 'nic9'", NULL);
}

static void
test_empty_list_and_drop_both_drop(void **state)
{
	struct vs_flow_spec s;

	parse_ok("actions=", ADD, &s);
	assert_int_equal(s.n_actions, 0);
	parse_ok("ip,actions=drop", ADD, &s);
	assert_int_equal(s.n_actions, 0);
	parse_ok("ip,actions= drop ", ADD, &s);
	assert_int_equal(s.n_actions, 0);
	parse_fails("actions=drop,normal", ADD, "drop at position 8: must be the only action",
		    NULL);
	parse_fails("actions=normal,drop", ADD, "must be the only action", "position 15");
	parse_fails("actions=drop:1", ADD, "drop at position 8: takes no argument", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_text_matches_everything_at_default_priority),
		cmocka_unit_test(test_priority_cookie_table_and_timeouts_are_stored),
		cmocka_unit_test(test_cookie_mask_is_for_match_mode_only),
		cmocka_unit_test(test_in_port_is_resolved_through_the_lookup),
		cmocka_unit_test(test_ethernet_addresses_take_optional_masks),
		cmocka_unit_test(test_dl_type_takes_hex_or_decimal),
		cmocka_unit_test(test_shorthands_set_dl_type_and_nw_proto),
		cmocka_unit_test(test_vlan_fields_set_tci_and_presence_bit),
		cmocka_unit_test(test_ipv4_addresses_take_prefixes_and_masks),
		cmocka_unit_test(test_arp_fields_share_the_ipv4_storage),
		cmocka_unit_test(test_ipv6_addresses_take_prefixes_and_masks),
		cmocka_unit_test(test_nw_proto_tos_and_dscp_are_stored),
		cmocka_unit_test(test_nw_frag_values_set_key_and_mask),
		cmocka_unit_test(test_transport_ports_take_optional_masks),
		cmocka_unit_test(test_icmp_type_and_code_live_in_transport_ports),
		cmocka_unit_test(test_stored_key_is_always_masked),
		cmocka_unit_test(test_every_action_stores_its_fields),
		cmocka_unit_test(test_bare_port_name_is_an_output_and_keywords_win),
		cmocka_unit_test(test_empty_list_and_drop_both_drop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
