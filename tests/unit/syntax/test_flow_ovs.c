/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_flow_ovs.c: what an Open vSwitch operator types for
 * ovs-ofctl, read with OVS's meaning (control/flow/flow_parse*.c): the
 * OpenFlow field names beside the old ones, keywords in any case, port
 * numbers, table=, metadata, set_field and load, resubmit, goto_table and
 * the other instructions; what the switch does not have is refused as
 * "not supported" with the supported list; and every field and action
 * comes back the same from its canonical text (parse(format(x)) == x).
 * The older spellings are test_flow_parse.c's and test_flow_text.c's. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "flow_parse_util.h"

/* Two texts that must give the same spec (match, actions, everything). */
static void
same(const char *a, const char *b, enum vs_flow_parse_mode mode)
{
	struct vs_flow_spec x, y;

	parse_ok(a, mode, &x);
	parse_ok(b, mode, &y);
	if (memcmp(&x, &y, sizeof(x)) != 0)
		fail_msg("'%s' and '%s' differ", a, b);
}

static void
test_openflow_field_names_mean_the_old_ones(void **state)
{
	static const char *const pairs[][2] = {
		{"eth_src=52:54:00:00:00:01", "dl_src=52:54:00:00:00:01"},
		{"eth_dst=01:00:5e:00:00:00/ff:ff:ff:80:00:00",
		 "dl_dst=01:00:5e:00:00:00/ff:ff:ff:80:00:00"},
		{"eth_type=0x0800", "ip"},
		{"vlan_pcp=3", "dl_vlan_pcp=3"},
		{"vlan_vid=0x100a", "dl_vlan=10"},
		{"vlan_vid=0", "vlan_tci=0/0x1fff"},
		{"vlan_tci=0x1000/0x1000,dl_vlan_pcp=1", "dl_vlan_pcp=1"},
		{"ip,ip_src=10.0.0.1", "ip,nw_src=10.0.0.1"},
		{"ip,ipv4_src=10.0.0.0/8", "ip,nw_src=10.0.0.0/8"},
		{"ip,ip_dst=10.0.0.1", "ip,nw_dst=10.0.0.1"},
		{"ip,ipv4_dst=10.1.0.0/16", "ip,nw_dst=10.1.0.0/16"},
		{"ip,ip_proto=6", "tcp"},
		{"ipv6,ip_proto=17", "udp6"},
		{"arp,arp_op=1", "arp,nw_proto=1"},
		{"ip,ip_dscp=46", "ip,nw_tos=184"},
		{"ip,ip_ecn=3", "ip,nw_ecn=3"},
		{"ip,ip_frag=yes", "ip,nw_frag=yes"},
		{"tcp,tcp_src=80,tcp_dst=0x400/0xfc00", "tcp,tp_src=80,tp_dst=0x400/0xfc00"},
		{"udp6,udp_src=53,udp_dst=53", "udp6,tp_src=53,tp_dst=53"},
		{"sctp,sctp_src=1,sctp_dst=2", "sctp,tp_src=1,tp_dst=2"},
		{"ip,nw_proto=132", "sctp"},
		{"icmp,icmpv4_type=8,icmpv4_code=0", "icmp,icmp_type=8,icmp_code=0"},
		{"icmp6,icmpv6_type=135,icmpv6_code=0", "icmp6,icmp_type=135,icmp_code=0"},
		{"in_port=22", "in_port=nic0"},
		{"dl_type=0x8035", "rarp"},
	};
	unsigned int i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		same(pairs[i][0], pairs[i][1], MATCH);
}

static void
test_each_field_is_checked_against_its_protocol(void **state)
{
	parse_fails("udp,tcp_dst=80", MATCH, "tcp_dst at position 4 needs a TCP match", NULL);
	parse_fails("tcp,udp_src=53", MATCH, "needs a UDP match", NULL);
	parse_fails("tcp,sctp_src=1", MATCH, "needs an SCTP match", NULL);
	parse_fails("arp,ip_src=10.0.0.1", MATCH, "ip_src at position 4 needs an IPv4 match", NULL);
	parse_fails("ip,arp_op=1", MATCH, "arp_op at position 3 needs an ARP match", NULL);
	parse_fails("arp,ip_proto=1", MATCH, "needs an IPv4 or IPv6 match", NULL);
	parse_fails("icmp,icmpv6_type=1", MATCH, "needs an ICMPv6 match", NULL);
	parse_fails("icmp6,icmpv4_type=1", MATCH, "needs an ICMPv4 match", NULL);
	parse_fails("eth_src=00:00:00:00:00:02,dl_src=00:00:00:00:00:01", MATCH,
		    "dl_src at position 26: sets the same field as eth_src at position 0", NULL);
	parse_fails("vlan_vid=0,dl_vlan_pcp=1", MATCH,
		    "vlan_vid (no tag) at position 0 and dl_vlan_pcp at position 11 contradict",
		    NULL);
	parse_fails("vlan_vid=0x2000", MATCH, "is not a VLAN ID with the tag bit 0x1000", NULL);
}

static void
test_vlan_vid_has_the_tag_bit_as_in_openflow(void **state)
{
	struct vs_flow_spec s;

	parse_ok("vlan_vid=0x100a", MATCH, &s);
	assert_int_equal(s.match.key.vlan_tci, 0x100a);
	assert_int_equal(s.match.mask.vlan_tci, 0x1fff);
	parse_ok("vlan_vid=0x1000/0x1000", MATCH, &s); /* any tag */
	assert_int_equal(s.match.key.vlan_tci, VS_VLAN_PRESENT);
	assert_int_equal(s.match.mask.vlan_tci, VS_VLAN_PRESENT);
	parse_ok("vlan_vid=0", MATCH, &s); /* no tag */
	assert_int_equal(s.match.key.vlan_tci, 0);
	assert_int_equal(s.match.mask.vlan_tci, 0x1fff);
}

static void
test_tos_dscp_and_ecn_match_their_own_bits(void **state)
{
	struct vs_flow_spec s;

	parse_ok("ip,ip_dscp=46,nw_ecn=1", MATCH, &s);
	assert_int_equal(s.match.key.nw_tos, 46 << 2 | 1);
	assert_int_equal(s.match.mask.nw_tos, 0xff);
	parse_ok("ipv6,ip_ecn=2", MATCH, &s);
	assert_int_equal(s.match.key.nw_tos, 2);
	assert_int_equal(s.match.mask.nw_tos, 0x03);
	parse_fails("ip,ip_ecn=4", MATCH, "'4' is not an ECN value from 0 to 3", NULL);
	parse_fails("ip,nw_tos=4,ip_dscp=1", MATCH, "sets the same field as nw_tos", NULL);
}

static void
test_metadata_table_cookie_mask_and_flags_are_stored(void **state)
{
	struct vs_flow_spec s;

	parse_ok("metadata=0x1234/0xff00", MATCH, &s);
	assert_true(s.match.key.metadata == 0x1200);
	assert_true(s.match.mask.metadata == 0xff00);
	parse_ok("metadata=7", MATCH, &s);
	assert_true(s.match.mask.metadata == UINT64_MAX);
	parse_ok("table=254,priority=1,actions=drop", ADD, &s);
	assert_int_equal(s.table_id, 254);
	assert_true(s.has_table);
	parse_ok("", MATCH, &s);
	assert_false(s.has_table); /* every table */
	parse_ok("table=3", MATCH, &s);
	assert_true(s.has_table);
	assert_int_equal(s.table_id, 3);
	parse_ok("cookie=0x12/-1", MATCH, &s);
	assert_true(s.has_cookie);
	assert_true(s.cookie == 0x12 && s.cookie_mask == UINT64_MAX);
	parse_ok("send_flow_rem,check_overlap,ip,actions=drop", ADD, &s);
	assert_int_equal(s.flags, VS_FF_SEND_FLOW_REM | VS_FF_CHECK_OVERLAP);
	parse_ok("reset_counts no_packet_counts no_byte_counts actions=drop", ADD, &s);
	assert_int_equal(s.flags, VS_FF_RESET_COUNTS | VS_FF_NO_PKT_COUNTS | VS_FF_NO_BYT_COUNTS);
	parse_fails("send_flow_rem", MATCH, "a flag of a rule to add or modify", NULL);
	parse_ok("out_port=22", MATCH, &s);
	assert_true(s.has_out_port);
	assert_int_equal(s.out_port, 2);
	parse_ok("out_port=ANY,out_group=5", MATCH, &s);
	assert_false(s.has_out_port);
	assert_true(s.has_out_group);
	assert_int_equal(s.out_group, 5);
	parse_fails("out_port=nic0,actions=drop", ADD,
		    "out_port at position 0: only del-flows and dump-flows take out_port", NULL);
}

/* mod-flows: cookie=V/M selects; cookie=V alone is the new rule's cookie. */
static void
test_mod_mode_reads_the_cookie_as_ovs_does(void **state)
{
	struct vs_flow_spec s;

	parse_ok("cookie=0x10/0xf0,ip,actions=drop", MOD, &s);
	assert_true(s.has_cookie);
	assert_true(s.cookie == 0x10 && s.cookie_mask == 0xf0);
	parse_ok("cookie=0x5,ip,actions=drop", MOD, &s);
	assert_false(s.has_cookie);
	assert_true(s.cookie == 5);
	parse_fails("ip", MOD, "needs 'actions=' last", NULL);
}

static void
test_match_and_actions_may_be_apart_by_white_space(void **state)
{
	same("priority=10,ip actions=drop", "priority=10,ip,actions=drop", ADD);
	same("priority=10 ip\tnw_dst=10.0.0.1  actions=NORMAL",
	     "priority=10,ip,nw_dst=10.0.0.1,actions=normal", ADD);
	same("in_port=11 actions=output:22", "in_port=vhu0,actions=output:nic0", ADD);
}

static void
test_keywords_and_reserved_ports_take_any_case(void **state)
{
	static const struct {
		const char *text;
		uint8_t type;
	} cases[] = {
		{"actions=NORMAL", VS_ACT_NORMAL},
		{"actions=Normal", VS_ACT_NORMAL},
		{"actions=FLOOD", VS_ACT_FLOOD},
		{"actions=ALL", VS_ACT_ALL},
		{"actions=all", VS_ACT_ALL},
		{"actions=IN_PORT", VS_ACT_IN_PORT},
		{"actions=LOCAL", VS_ACT_LOCAL},
		{"actions=local", VS_ACT_LOCAL},
		{"actions=output:in_port", VS_ACT_IN_PORT},
		{"actions=output:LOCAL", VS_ACT_LOCAL},
		{"actions=output:NORMAL", VS_ACT_NORMAL},
		{"actions=CONTROLLER", VS_ACT_CONTROLLER},
		{"actions=output:controller", VS_ACT_CONTROLLER},
		{"actions=DROP", VS_ACT_DROP},
		{"actions=Output:22", VS_ACT_OUTPUT},
	};
	struct vs_flow_spec s;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_ok(cases[i].text, ADD, &s);
		if (cases[i].type == VS_ACT_DROP) {
			assert_int_equal(s.n_actions, 0);
			continue;
		}
		assert_int_equal(s.n_actions, 1);
		if (s.actions[0].type != cases[i].type)
			fail_msg("'%s' gave action %u", cases[i].text, s.actions[0].type);
	}
	parse_ok("actions=CONTROLLER", ADD, &s);
	assert_int_equal(s.actions[0].u16, 65535); /* the whole packet */
	assert_int_equal(s.actions[0].u8, 1);      /* OFPR_ACTION */
	parse_ok("actions=controller:128", ADD, &s);
	assert_int_equal(s.actions[0].u16, 128);
	parse_ok("actions=controller(max_len=64,reason=no_match)", ADD, &s);
	assert_int_equal(s.actions[0].u16, 64);
	assert_int_equal(s.actions[0].u8, 0);
	parse_fails("actions=controller(userdata=1)", ADD, "'userdata' is not supported", NULL);
	parse_fails("actions=output:TABLE", ADD, "output:TABLE is for packet-out", NULL);
	parse_fails("in_port=LOCAL", MATCH, "LOCAL is a reserved port", NULL);
}

static void
test_port_numbers_are_openflow_numbers(void **state)
{
	struct vs_flow_spec s;

	parse_ok("in_port=11,actions=output:22,33,resubmit:44", ADD, &s);
	assert_int_equal(s.match.key.in_port, 1);
	assert_int_equal(s.n_actions, 3);
	assert_int_equal(s.actions[0].port, 2);
	assert_int_equal(s.actions[1].type, VS_ACT_OUTPUT);
	assert_int_equal(s.actions[1].port, 3);
	assert_int_equal(s.actions[2].u16, 4);
	parse_fails("in_port=1", MATCH, "no port with OpenFlow port number 1 on this bridge", NULL);
	parse_fails("actions=output:5", ADD, "output at position 8: no port with OpenFlow port",
		    NULL);
	parse_fails("actions=5", ADD, "'5' is neither an action nor a port", NULL);
}

/* set_field for every settable field: the action it becomes, and where
 * the value goes. */
static void
test_set_field_sets_every_settable_field(void **state)
{
	static const struct {
		const char *text;
		uint8_t type;
		uint64_t v; /* u8, u16 or u32 as the action keeps it */
	} cases[] = {
		{"actions=set_field:5->vlan_vid", VS_ACT_SET_VLAN_VID, 5},
		{"actions=set_field:0x1005->vlan_vid", VS_ACT_SET_VLAN_VID, 5},
		{"actions=set_field:3->vlan_pcp", VS_ACT_SET_VLAN_PCP, 3},
		{"ip,actions=set_field:46->ip_dscp", VS_ACT_SET_NW_TOS, 184},
		{"ip,actions=set_field:2->ip_ecn", VS_ACT_SET_NW_ECN, 2},
		{"ipv6,actions=set_field:1->nw_ecn", VS_ACT_SET_NW_ECN, 1},
		{"ip,actions=set_field:9->nw_ttl", VS_ACT_SET_NW_TTL, 9},
		{"ip,actions=mod_nw_ttl:7", VS_ACT_SET_NW_TTL, 7},
		{"ip,actions=mod_nw_ecn:3", VS_ACT_SET_NW_ECN, 3},
		{"tcp,actions=set_field:80->tcp_src", VS_ACT_SET_TP_SRC, 80},
		{"tcp,actions=set_field:81->tcp_dst", VS_ACT_SET_TP_DST, 81},
		{"udp,actions=set_field:53->udp_src", VS_ACT_SET_TP_SRC, 53},
		{"udp6,actions=set_field:54->udp_dst", VS_ACT_SET_TP_DST, 54},
		{"sctp,actions=set_field:1->sctp_src", VS_ACT_SET_TP_SRC, 1},
		{"sctp6,actions=set_field:2->sctp_dst", VS_ACT_SET_TP_DST, 2},
		{"ip,actions=dec_ttl", VS_ACT_DEC_TTL, 0},
		{"ipv6,actions=dec_ttl", VS_ACT_DEC_TTL, 0},
		{"actions=pop_vlan", VS_ACT_STRIP_VLAN, 0},
		{"actions=group:7", VS_ACT_GROUP, 7},
	};
	struct vs_flow_spec s;
	const struct vs_action *a = &s.actions[0];
	unsigned int i;
	uint64_t got;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_ok(cases[i].text, ADD, &s);
		assert_int_equal(s.n_actions, 1);
		if (a->type != cases[i].type)
			fail_msg("'%s' gave action %u, wanted %u", cases[i].text, a->type,
				 cases[i].type);
		got = a->type == VS_ACT_GROUP ? a->u32
		      : a->type == VS_ACT_SET_VLAN_VID || a->type == VS_ACT_SET_TP_SRC ||
				      a->type == VS_ACT_SET_TP_DST
			      ? a->u16
			      : a->u8;
		if (got != cases[i].v)
			fail_msg("'%s' stored %" PRIu64 ", wanted %" PRIu64, cases[i].text, got,
				 cases[i].v);
	}
}

static void
test_set_field_addresses_and_metadata(void **state)
{
	struct rte_ether_addr mac = {{0x52, 0x54, 0x00, 0x00, 0x00, 0x01}};
	struct vs_flow_spec s;
	uint8_t ip6[16];
	uint32_t ip4;

	parse_ok("actions=set_field:52:54:00:00:00:01->eth_src", ADD, &s);
	assert_int_equal(s.actions[0].type, VS_ACT_SET_DL_SRC);
	assert_memory_equal(&s.actions[0].mac, &mac, sizeof(mac));
	parse_ok("actions=load:0x525400000001->NXM_OF_ETH_DST[]", ADD, &s);
	assert_int_equal(s.actions[0].type, VS_ACT_SET_DL_DST);
	assert_memory_equal(&s.actions[0].mac, &mac, sizeof(mac));
	inet_pton(AF_INET, "10.0.0.9", &ip4);
	parse_ok("ip,actions=set_field:10.0.0.9->ipv4_dst", ADD, &s);
	assert_int_equal(s.actions[0].type, VS_ACT_SET_NW_DST);
	assert_int_equal(s.actions[0].u32, ip4);
	parse_ok("ip,actions=set_field:10.0.0.9->ip_src", ADD, &s);
	assert_int_equal(s.actions[0].type, VS_ACT_SET_NW_SRC);
	parse_ok("ip,actions=load:0x0a000009->NXM_OF_IP_SRC[]", ADD, &s);
	assert_int_equal(s.actions[0].type, VS_ACT_SET_NW_SRC);
	assert_int_equal(s.actions[0].u32, ip4);
	inet_pton(AF_INET6, "2001:db8::1", ip6);
	parse_ok("ipv6,actions=set_field:2001:db8::1->ipv6_src", ADD, &s);
	assert_int_equal(s.actions[0].type, VS_ACT_SET_IPV6_SRC);
	assert_memory_equal(s.actions[0].ip6, ip6, 16);
	parse_ok("ipv6,actions=set_field:2001:db8::1->ipv6_dst", ADD, &s);
	assert_int_equal(s.actions[0].type, VS_ACT_SET_IPV6_DST);
	parse_ok("actions=set_field:0x5/0xf->metadata", ADD, &s);
	assert_int_equal(s.actions[0].type, VS_ACT_WRITE_METADATA);
	assert_true(s.actions[0].u64 == 5 && s.actions[0].mask64 == 0xf);
	parse_ok("actions=load:0x7->OXM_OF_METADATA[]", ADD, &s);
	assert_true(s.actions[0].u64 == 7 && s.actions[0].mask64 == UINT64_MAX);
}

static void
test_instructions_are_stored_in_order(void **state)
{
	struct vs_flow_spec s;

	parse_ok("table=1,actions=output:22,clear_actions,write_actions(mod_vlan_vid:5,output:33),"
		 "write_metadata:0x10/0xf0,goto_table:9",
		 ADD, &s);
	assert_int_equal(s.n_actions, 6);
	assert_int_equal(s.actions[0].type, VS_ACT_OUTPUT);
	assert_int_equal(s.actions[0].flags, 0);
	assert_int_equal(s.actions[1].type, VS_ACT_CLEAR_ACTIONS);
	assert_int_equal(s.actions[2].type, VS_ACT_SET_VLAN_VID);
	assert_int_equal(s.actions[2].flags, VS_AF_WRITE);
	assert_int_equal(s.actions[3].type, VS_ACT_OUTPUT);
	assert_int_equal(s.actions[3].flags, VS_AF_WRITE);
	assert_int_equal(s.actions[3].port, 3);
	assert_int_equal(s.actions[4].type, VS_ACT_WRITE_METADATA);
	assert_true(s.actions[4].u64 == 0x10 && s.actions[4].mask64 == 0xf0);
	assert_int_equal(s.actions[4].flags, 0);
	assert_int_equal(s.actions[5].type, VS_ACT_GOTO_TABLE);
	assert_int_equal(s.actions[5].u8, 9);
}

static void
test_resubmit_takes_ovs_forms(void **state)
{
	struct vs_flow_spec s;

	parse_ok("table=2,actions=resubmit(,5),resubmit(nic0,3),resubmit:vhu0,resubmit(IN_PORT,0),"
		 "resubmit(22)",
		 ADD, &s);
	assert_int_equal(s.n_actions, 5);
	assert_int_equal(s.actions[0].type, VS_ACT_RESUBMIT);
	assert_int_equal(s.actions[0].u8, 5);
	assert_int_equal(s.actions[0].u16, VS_PORT_NONE); /* the packet's own */
	assert_int_equal(s.actions[1].u8, 3);
	assert_int_equal(s.actions[1].u16, 2);
	assert_int_equal(s.actions[2].u8, 2); /* no table: this rule's */
	assert_int_equal(s.actions[2].u16, 1);
	assert_int_equal(s.actions[3].u16, VS_PORT_NONE);
	assert_int_equal(s.actions[4].u16, 2);
	assert_int_equal(s.actions[4].u8, 2);
	parse_fails("actions=resubmit(,255)", ADD, "'255' is not a table from 0 to 254", NULL);
	parse_fails("actions=resubmit(,1,ct)", ADD, "its ct form is not supported", NULL);
	parse_fails("actions=resubmit(,1", ADD, "opens '(' but does not end with ')'", NULL);
	parse_fails("actions=resubmit:", ADD, "needs a port or a table", NULL);
}

static void
test_instruction_order_and_goto_direction_are_checked(void **state)
{
	parse_fails("actions=goto_table:1,output:22", ADD,
		    "output at position 21: comes after goto_table; OpenFlow's order", NULL);
	parse_fails("actions=write_actions(output:22),clear_actions", ADD,
		    "clear_actions at position 33: comes after write_actions", NULL);
	parse_fails("actions=write_metadata:1,output:22", ADD, "comes after write_metadata", NULL);
	parse_fails("actions=clear_actions,clear_actions", ADD, "comes after clear_actions", NULL);
	parse_fails("table=3,actions=goto_table:3", ADD,
		    "goto_table at position 16: table 3 is not after this rule's table 3", NULL);
	parse_fails("actions=goto_table:255", ADD, "is not a table from 1 to 254", NULL);
	parse_fails("actions=write_actions(goto_table:2)", ADD,
		    "goto_table at position 22: not an action of the action set", NULL);
	parse_fails("actions=write_actions(resubmit(,1))", ADD, "not an action of the action set",
		    NULL);
	parse_fails("actions=write_actions(set_field:1->metadata)", ADD,
		    "metadata is not in the action set", NULL);
	parse_fails("actions=drop,goto_table:1", ADD, "drop at position 8: must be the only", NULL);
}

/* What OVS has and the switch does not: said as such, with what it has. */
static void
test_ovs_features_the_switch_lacks_are_named(void **state)
{
	static const char *const actions[] = {
		"actions=meter:1",
		"actions=ct(commit)",
		"actions=learn(table=1)",
		"actions=note:00.01",
		"actions=enqueue:1:2",
		"actions=set_queue:1",
		"actions=bundle(eth_src,0,hrw,ofport,members:1)",
		"actions=multipath(x)",
		"actions=encap(nsh)",
		"actions=push_mpls:0x8847",
		"actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]",
		"actions=ct_clear",
		"actions=sample(probability=1)",
		"actions=clone(output:1)",
		"actions=exit",
	};
	unsigned int i;
	char want[64];

	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		size_t n = strcspn(actions[i] + 8, ":(");

		snprintf(want, sizeof(want), "%.*s actions are not supported by vswitch", (int)n,
			 actions[i] + 8);
		parse_fails(actions[i], ADD, want, "position 8");
		parse_fails(actions[i], ADD, "; supported: output, NORMAL", NULL);
	}
	parse_fails("tun_id=5", MATCH,
		    "tunnel fields are not supported by vswitch; supported: "
		    "in_port",
		    NULL);
	parse_fails("reg0=1", MATCH, "registers are not supported by vswitch", NULL);
	parse_fails("ct_state=+trk", MATCH, "connection tracking fields are not supported", NULL);
	parse_fails("ip,nw_ttl=64", MATCH, "nw_ttl at position 3: TTL matches", NULL);
	parse_fails("ip,nw_ttl=64", MATCH, "are not supported by vswitch", NULL);
	parse_fails("arp,arp_sha=00:00:00:00:00:01", MATCH, "ARP hardware addresses are not", NULL);
	parse_fails("ipv6,nd_target=::1", MATCH, "neighbour discovery fields", NULL);
	parse_fails("actions=load:1->NXM_NX_REG0[]", ADD, "registers are not supported", NULL);
	parse_fails("actions=load:1->NXM_OF_ETH_DST[0..15]", ADD,
		    "loading part of a field ([0..15]) is not supported", NULL);
	parse_fails("actions=set_field:1/1->vlan_vid", ADD, "supported for metadata only", NULL);
	parse_fails("actions=set_field:1->eth_type", ADD,
		    "vswitch cannot set eth_type; settable:", NULL);
	parse_fails("actions=set_field:1->vlan_vidd", ADD, "did you mean 'vlan_vid'", NULL);
	parse_fails("actions=set_field:1", ADD, "needs VALUE->FIELD", NULL);
	parse_fails("tcp,actions=set_field:1->udp_src", ADD,
		    "set_field->udp_src at position 12 "
		    "needs a UDP match",
		    NULL);
	parse_fails("actions=set_field:10.0.0.1->ip_dst", ADD, "needs an IPv4 match", NULL);
	parse_fails("actions=dec_ttl", ADD, "dec_ttl at position 8 needs an IPv4 or IPv6 match",
		    NULL);
}

static void
test_misspellings_get_the_nearest_name(void **state)
{
	parse_fails("eth_scr=00:00:00:00:00:01", MATCH,
		    "unknown field 'eth_scr'; did you mean "
		    "'eth_src'?",
		    NULL);
	parse_fails("ip,ip_dts=10.0.0.1", MATCH, "did you mean 'ip_dst'?", NULL);
	parse_fails("prority=1", MATCH, "did you mean 'priority'?", NULL);
	parse_fails("actions=NORMLA", ADD, "did you mean 'NORMAL'?", NULL);
	parse_fails("actions=goto_tabel:1", ADD,
		    "unknown action 'goto_tabel'; did you mean "
		    "'goto_table'?",
		    NULL);
	parse_fails("actions=set_fild:1->vlan_vid", ADD, "did you mean 'set_field'?", NULL);
	parse_fails("zzzzzzzz=1", MATCH, "unknown field 'zzzzzzzz' (docs/flows.md", NULL);
}

/* The canonical text is OVS's spelling. */
static void
test_ovs_spellings_are_printed(void **state)
{
	static const char *const cases[][2] = {
		{"actions=normal", "NORMAL"},
		{"actions=flood,all,in_port,local", "FLOOD,ALL,IN_PORT,LOCAL"},
		{"actions=controller", "CONTROLLER:65535"},
		{"actions=output:controller", "CONTROLLER:65535"},
		{"actions=controller(reason=no_match,max_len=9)",
		 "controller(reason=no_match,max_len=9)"},
		{"actions=resubmit:nic0", "resubmit(nic0,0)"},
		{"actions=resubmit(,4)", "resubmit(,4)"},
		{"actions=set_field:1->metadata,goto_table:2", "write_metadata:0x1,goto_table:2"},
		{"actions=set_field:1->metadata,output:22", "set_field:0x1->metadata,output:nic0"},
		{"actions=write_actions(output:22,group:3)", "write_actions(output:nic0,group:3)"},
		{"ipv6,actions=set_field:::1->ipv6_dst", "set_field:::1->ipv6_dst"},
		{"ip,actions=set_field:46->ip_dscp,set_field:1->nw_ttl,dec_ttl",
		 "mod_nw_tos:184,mod_nw_ttl:1,dec_ttl"},
		{"actions=output:44", "output:44"}, /* the port named "flood" */
		{"actions=write_metadata:0x10/0xff", "write_metadata:0x10/0xff"},
	};
	struct vs_flow_spec s;
	char buf[512];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_ok(cases[i][0], ADD, &s);
		vs_flow_format_actions(s.actions, s.n_actions, test_port_name, (void *)&ports, buf,
				       sizeof(buf));
		if (strcmp(buf, cases[i][1]) != 0)
			fail_msg("'%s' formats as '%s', wanted '%s'", cases[i][0], buf,
				 cases[i][1]);
	}
	static const char *const matches[][2] = {
		{"arp,arp_op=1", "arp,arp_op=1"},
		{"ip,vlan_vid=0,metadata=0x5/0xf,ip_ecn=1",
		 "ip,vlan_tci=0x0000/0x1fff,nw_ecn=1,metadata=0x5/0xf"},
		{"eth_type=0x0800,ip_dscp=46,ip_ecn=3", "ip,nw_tos=184,nw_ecn=3"},
		{"vlan_vid=0x1000/0x1000", "vlan_tci=0x1000/0x1000"},
		{"vlan_vid=0x1064", "dl_vlan=100"},
		{"in_port=44,tcp,tcp_dst=80", "in_port=44,tcp,tp_dst=80"},
		{"sctp6", "sctp6"},
	};

	for (i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
		parse_ok(matches[i][0], MATCH, &s);
		vs_flow_format_match(&s.match, test_port_name, (void *)&ports, buf, sizeof(buf));
		if (strcmp(buf, matches[i][1]) != 0)
			fail_msg("'%s' formats as '%s', wanted '%s'", matches[i][0], buf,
				 matches[i][1]);
	}
}

/* The whole rule as dump-flows prints it: table, priority, cookie,
 * timeouts, flags, match, actions. */
static void
spec_text(const struct vs_flow_spec *s, char *buf, size_t size)
{
	char match[1000], acts[1000], flags[128] = "";
	const char *const names[] = {"send_flow_rem", "check_overlap", "reset_counts",
				     "no_packet_counts", "no_byte_counts"};
	unsigned int i;

	for (i = 0; i < 5; i++)
		if (s->flags & (1u << i))
			snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags), "%s,",
				 names[i]);
	vs_flow_format_match(&s->match, test_port_name, (void *)&ports, match, sizeof(match));
	vs_flow_format_actions(s->actions, s->n_actions, test_port_name, (void *)&ports, acts,
			       sizeof(acts));
	snprintf(buf, size, "table=%u,priority=%u,cookie=0x%" PRIx64 ",%s%s%sactions=%s",
		 s->table_id, s->priority, s->cookie, flags, match, match[0] ? "," : "", acts);
}

static const char *const round_trip_texts[] = {
	"table=0,actions=NORMAL",
	"table=254,priority=7,eth_type=0x0800,ip_src=10.0.0.0/8,actions=drop",
	"table=1,vlan_vid=0x1000/0x1000,actions=output:22",
	"vlan_vid=0,actions=push_vlan:0x8100,set_field:10->vlan_vid",
	"vlan_tci=0xa00a/0xefff,actions=IN_PORT",
	"vlan_pcp=5,vlan_vid=0x1005,actions=set_field:1->vlan_pcp,pop_vlan",
	"ip,ip_dscp=10,ip_ecn=2,actions=set_field:3->ip_ecn,mod_nw_ttl:255,dec_ttl,LOCAL",
	"ipv6,ip_ecn=1,actions=set_field:2001:db8::1->ipv6_src,set_field:::2->ipv6_dst,ALL",
	"tcp,tcp_src=1,tcp_dst=2,actions=set_field:3->tcp_src,set_field:4->tcp_dst",
	"udp6,udp_src=5,actions=set_field:6->udp_dst,CONTROLLER:100",
	"sctp,sctp_dst=9,actions=set_field:7->sctp_src,set_field:8->sctp_dst,controller",
	"icmp6,icmpv6_type=128,icmpv6_code=0,actions=FLOOD",
	"icmp,icmpv4_type=3,actions=controller(reason=invalid_ttl,max_len=0)",
	"arp,arp_op=2,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,actions=NORMAL",
	"rarp,actions=drop",
	"metadata=0x10/0xf0,actions=write_metadata:0x1/0x1,goto_table:4",
	"metadata=5,actions=set_field:0xff->metadata,output:11",
	"table=3,cookie=0xfeed,send_flow_rem,check_overlap,actions=resubmit(,2),resubmit(22,9),"
	"resubmit:33,resubmit(IN_PORT,1)",
	"reset_counts,no_packet_counts,no_byte_counts,actions=group:42,clear_actions,"
	"write_actions(set_field:52:54:00:00:00:01->eth_dst,output:33,group:4),goto_table:200",
	"actions=write_actions(FLOOD)",
	"in_port=44,actions=output:44,22",
	"eth_src=52:54:00:00:00:01/ff:ff:ff:00:00:00,eth_dst=ff:ff:ff:ff:ff:ff,actions=ALL",
	"ip,actions=set_field:10.0.0.1->ipv4_src,set_field:10.0.0.2->ipv4_dst,set_field:46->ip_dscp",
	"ip,actions=load:0x0a000001->NXM_OF_IP_DST[],load:64->NXM_NX_IP_TTL[]",
	"ip,nw_frag=later,actions=clear_actions",
	"priority=1 ip actions=NORMAL",
};

static void
test_round_trip_gives_the_same_rule(void **state)
{
	struct vs_flow_spec a, b;
	char text[2400];
	unsigned int i;

	for (i = 0; i < sizeof(round_trip_texts) / sizeof(round_trip_texts[0]); i++) {
		parse_ok(round_trip_texts[i], ADD, &a);
		spec_text(&a, text, sizeof(text));
		parse_ok(text, ADD, &b);
		b.has_priority = a.has_priority; /* the text always says it */
		b.has_cookie = a.has_cookie;
		b.cookie_mask = a.cookie_mask;
		b.has_table = a.has_table;
		if (memcmp(&a, &b, sizeof(a)) != 0)
			fail_msg("'%s' came back from '%s' changed", round_trip_texts[i], text);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openflow_field_names_mean_the_old_ones),
		cmocka_unit_test(test_each_field_is_checked_against_its_protocol),
		cmocka_unit_test(test_vlan_vid_has_the_tag_bit_as_in_openflow),
		cmocka_unit_test(test_tos_dscp_and_ecn_match_their_own_bits),
		cmocka_unit_test(test_metadata_table_cookie_mask_and_flags_are_stored),
		cmocka_unit_test(test_mod_mode_reads_the_cookie_as_ovs_does),
		cmocka_unit_test(test_match_and_actions_may_be_apart_by_white_space),
		cmocka_unit_test(test_keywords_and_reserved_ports_take_any_case),
		cmocka_unit_test(test_port_numbers_are_openflow_numbers),
		cmocka_unit_test(test_set_field_sets_every_settable_field),
		cmocka_unit_test(test_set_field_addresses_and_metadata),
		cmocka_unit_test(test_instructions_are_stored_in_order),
		cmocka_unit_test(test_resubmit_takes_ovs_forms),
		cmocka_unit_test(test_instruction_order_and_goto_direction_are_checked),
		cmocka_unit_test(test_ovs_features_the_switch_lacks_are_named),
		cmocka_unit_test(test_misspellings_get_the_nearest_name),
		cmocka_unit_test(test_ovs_spellings_are_printed),
		cmocka_unit_test(test_round_trip_gives_the_same_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
