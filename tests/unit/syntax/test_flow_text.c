/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_flow_text.c: flow rules in ovs-ofctl syntax
 * (control/flow/flow_parse.c, control/flow/flow_format.c): prerequisites, every kind
 * of error with its position, the action limit, the canonical text, and
 * parse(format(spec)) == spec. No EAL needed. */
#include <stdio.h>
#include <string.h>

#include "flow_parse_util.h"

static const char *
no_name(void *ctx, uint16_t id)
{
	return NULL;
}

static void
test_prerequisites_hold_in_either_order(void **state)
{
	static const char *const pairs[][2] = {
		{"nw_dst=10.0.0.0/8,ip", "ip,nw_dst=10.0.0.0/8"},
		{"tp_dst=80,tcp", "tcp,tp_dst=80"},
		{"icmp_type=3,icmp", "icmp,icmp_type=3"},
		{"arp_spa=1.2.3.4,arp", "arp,arp_spa=1.2.3.4"},
		{"ipv6_src=::1,ipv6", "ipv6,ipv6_src=::1"},
		{"nw_tos=8,ipv6", "ipv6,nw_tos=8"},
		{"nw_frag=first,ipv6", "ipv6,nw_frag=first"},
		{"nw_frag=later,dl_type=0x0800", "ip,nw_frag=later"},
		{"tp_src=1,nw_proto=6,dl_type=0x0800", "tcp,tp_src=1"},
		{"nw_proto=2,arp", "arp,nw_proto=2"},
	};
	struct vs_flow_spec a, b;
	unsigned int i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		parse_ok(pairs[i][0], MATCH, &a);
		parse_ok(pairs[i][1], MATCH, &b);
		assert_memory_equal(&a.match, &b.match, sizeof(a.match));
	}
}

static void
test_unmet_prerequisites_say_what_to_add(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"nw_dst=10.0.0.0/8",
		 "nw_dst at position 0 needs an IPv4 or ARP match: add 'ip' or 'arp'"},
		{"ipv6,nw_src=1.2.3.4", "nw_src at position 5 needs an IPv4 or ARP match"},
		{"ip,arp_spa=1.2.3.4", "arp_spa at position 3 needs an ARP match: add 'arp'"},
		{"ip,ipv6_dst=::1", "ipv6_dst at position 3 needs an IPv6 match: add 'ipv6'"},
		{"arp,nw_tos=4", "nw_tos at position 4 needs an IPv4 or IPv6 match"},
		{"ip_dscp=4", "ip_dscp at position 0 needs an IPv4 or IPv6 match"},
		{"nw_frag=yes", "nw_frag at position 0 needs an IPv4 or IPv6 match: add 'ip'"},
		{"arp,nw_frag=no", "nw_frag at position 4 needs an IPv4 or IPv6 match"},
		{"dl_type=0x88cc,nw_frag=later", "nw_frag at position 15 needs an IPv4 or IPv6"},
		{"dl_type=0x88cc,nw_proto=1", "nw_proto at position 15 needs an IPv4, IPv6 or ARP"},
		{"ip,tp_src=80", "tp_src at position 3 needs a TCP or UDP match: add 'tcp', 'udp'"},
		{"icmp,tp_dst=80", "tp_dst at position 5 needs a TCP or UDP match"},
		{"arp,nw_proto=6,tp_dst=80", "tp_dst at position 15 needs a TCP or UDP match"},
		{"tcp,icmp_type=8", "icmp_type at position 4 needs an ICMP match: add 'icmp'"},
		{"ipv6,nw_proto=1,icmp_code=1", "icmp_code at position 16 needs an ICMP match"},
		/* The first offending item in the text is the one reported. */
		{"tp_src=1,nw_dst=1.2.3.4", "tp_src at position 0 needs"},
		{"nw_dst=1.2.3.4,tp_src=1", "nw_dst at position 0 needs"},
	};
	char text[128];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_fails(cases[i].text, MATCH, cases[i].want, NULL);
		snprintf(text, sizeof(text), "%s,actions=drop", cases[i].text);
		parse_fails(text, ADD, cases[i].want, NULL);
	}
}

static void
test_action_prerequisites_follow_the_match(void **state)
{
	struct vs_flow_spec s;

	parse_fails("actions=mod_nw_src:1.2.3.4", ADD,
		    "mod_nw_src at position 8 needs an IPv4 match: add 'ip'", NULL);
	parse_fails("ipv6,actions=mod_nw_dst:1.2.3.4", ADD, "mod_nw_dst at position 13 needs",
		    NULL);
	parse_fails("arp,actions=mod_nw_tos:4", ADD, "mod_nw_tos at position 12 needs", NULL);
	parse_ok("ipv6,actions=mod_nw_tos:4", ADD, &s); /* the traffic class */
	parse_fails("ip,actions=mod_tp_src:1", ADD,
		    "mod_tp_src at position 11 needs a TCP or UDP match", NULL);
	parse_fails("icmp6,actions=mod_tp_dst:1", ADD, "mod_tp_dst at position 14 needs", NULL);
	parse_ok("udp6,actions=mod_tp_dst:53", ADD, &s);
	parse_ok("dl_type=0x0800,actions=mod_nw_tos:4,mod_nw_src:1.1.1.1", ADD, &s);
	parse_ok("actions=mod_dl_src:00:00:00:00:00:01,mod_vlan_vid:1,push_vlan:0x8100", ADD, &s);
}

static void
test_fields_given_twice_are_refused(void **state)
{
	parse_fails("priority=1,priority=2", MATCH,
		    "priority at position 11: given twice (first at position 0)", NULL);
	parse_fails("in_port=p3, in_port=p3", MATCH, "in_port at position 12: given twice", NULL);
	parse_fails("dl_type=0x800,dl_type=0x800", MATCH, "dl_type at position 14: given twice",
		    NULL);
	parse_fails("ip,nw_tos=4,ip_dscp=1", MATCH,
		    "ip_dscp at position 12: sets the same field as nw_tos at position 3", NULL);
	parse_fails("arp,nw_src=1.1.1.1,arp_spa=1.1.1.1", MATCH,
		    "arp_spa at position 19: sets the same field as nw_src at position 4", NULL);
	parse_fails("icmp,icmp_type=1,tp_src=1", MATCH,
		    "tp_src at position 17: sets the same field as icmp_type", NULL);
	parse_fails("table=0,table=0", MATCH, "table at position 8: given twice", NULL);
	/* In the action list, a second actions= is not a field but a bad action. */
	parse_fails("actions=drop,actions=drop", ADD,
		    "at position 13: 'actions=drop' is neither an action nor a port", NULL);
}

static void
test_contradictions_name_both_items(void **state)
{
	struct vs_flow_spec s;

	parse_fails("ip,arp", MATCH, "'arp' at position 3 contradicts 'ip' at position 0", NULL);
	parse_fails("tcp,nw_proto=17", MATCH,
		    "'nw_proto=17' at position 4 contradicts 'tcp' at position 0", NULL);
	parse_fails("tcp,udp", MATCH, "'udp' at position 4 contradicts 'tcp' at position 0", NULL);
	parse_fails("ipv6,tcp", MATCH, "'tcp' at position 5 contradicts 'ipv6' at position 0",
		    NULL);
	parse_fails("dl_type=0x86dd,tcp", MATCH,
		    "'tcp' at position 15 contradicts 'dl_type=0x86dd' at position 0", NULL);
	parse_fails("dl_vlan=0xffff,dl_vlan_pcp=1", MATCH,
		    "dl_vlan=0xffff (no tag) at position 0 and dl_vlan_pcp at position 15", NULL);
	parse_fails("dl_vlan_pcp=1,dl_vlan=0xffff", MATCH,
		    "dl_vlan=0xffff (no tag) at position 14 and dl_vlan_pcp at position 0", NULL);
	/* Items that agree are fine. */
	parse_ok("ip,dl_type=0x0800", MATCH, &s);
	parse_ok("tcp,ip", MATCH, &s);
	parse_ok("udp,nw_proto=17", MATCH, &s);
	parse_ok("ip,ip", MATCH, &s);
}

/* A text, words its error must contain, and the position it must give. */
static const struct {
	const char *text, *want, *pos;
} bad_values[] = {
	{"priority=100,in_port=p3,ip,nw_dst=10.1.0.0/33,actions=drop",
	 "nw_dst at position 27: '10.1.0.0/33' is not an IPv4 address or prefix (like "
	 "10.1.0.0/16",
	 NULL},
	{"priority=65536,actions=drop", "'65536' is not a number from 0 to 65535",
	 "priority at position 0"},
	{"priority=-1,actions=drop", "'-1' is not a number", "position 0"},
	{"priority=12abc,actions=drop", "'12abc' is not a number", "position 0"},
	{"priority=0x,actions=drop", "'0x' is not a number", "position 0"},
	{"priority=1 2,actions=drop", "'2' is not a field", "position 11"},
	{"cookie=0x1g,actions=drop", "'0x1g' is not a 64-bit number", "position 0"},
	{"cookie=0x10000000000000000,actions=drop", "is not a 64-bit number", "position 0"},
	{"table=255,actions=drop", "'255' is not a table from 0 to 254", "table at position 0"},
	{"idle_timeout=70000,actions=drop", "is not seconds from 0 to 65535",
	 "idle_timeout at position 0"},
	{"ip, hard_timeout=x,actions=drop", "is not seconds", "hard_timeout at position 4"},
	{"dl_src=52:54:00:12:34,actions=drop", "is not an Ethernet address like 52:54",
	 "dl_src at position 0"},
	{"dl_src=52:54:00:12:34:5g,actions=drop", "is not an Ethernet address", "position 0"},
	{"dl_dst=52:54:00:12:34:56/ff,actions=drop", "'52:54:00:12:34:56/ff' is not",
	 "dl_dst at position 0"},
	{"dl_src=52:54:00:12:34:56:,actions=drop", "is not an Ethernet", "position 0"},
	{"dl_type=0x10000,actions=drop", "is not an Ethertype from 0 to 0xffff",
	 "dl_type at position 0"},
	{"dl_vlan=4096,actions=drop", "'4096' is not a VLAN ID from 0 to 4095 (or 0xffff",
	 "dl_vlan at position 0"},
	{"dl_vlan_pcp=8,actions=drop", "'8' is not a priority from 0 to 7",
	 "dl_vlan_pcp at position 0"},
	{"ip,nw_src=1.2.3,actions=drop", "'1.2.3' is not an IPv4 address", "nw_src at position 3"},
	{"ip,nw_src=1.2.3.4/255.0.0.0x,actions=drop", "is not an IPv4", "position 3"},
	{"ip,nw_src=1.2.3.4/,actions=drop", "is not an IPv4", "position 3"},
	{"ip,nw_src=01.2.3.4,actions=drop", "is not an IPv4", "position 3"},
	{"ipv6,ipv6_src=2001:db8::/129,actions=drop", "is not an IPv6 address or prefix",
	 "ipv6_src at position 5"},
	{"ipv6,ipv6_dst=zz::,actions=drop", "is not an IPv6", "ipv6_dst at position 5"},
	{"ipv6,ipv6_dst=1.2.3.4,actions=drop", "is not an IPv6", "position 5"},
	{"ip,nw_proto=256,actions=drop", "is not an IP protocol (or ARP opcode) from 0 to 255",
	 "nw_proto at position 3"},
	{"ip,nw_tos=5,actions=drop", "'5' is not a ToS from 0 to 255 with the 2 ECN bits",
	 "nw_tos at position 3"},
	{"ip,ip_dscp=64,actions=drop", "is not a DSCP from 0 to 63", "ip_dscp at position 3"},
	{"tcp,tp_src=65536,actions=drop", "is not a port from 0 to 65535", "tp_src at position 4"},
	{"tcp,tp_dst=1/0x10000,actions=drop", "'1/0x10000' is not a port", "tp_dst at position 4"},
	{"icmp,icmp_type=256,actions=drop", "is not an ICMP type from 0 to 255",
	 "icmp_type at position 5"},
	{"icmp,icmp_code=-1,actions=drop", "is not an ICMP code", "icmp_code at position 5"},
	{"actions=mod_vlan_vid:4096", "'4096' is not a VLAN ID from 0 to 4095",
	 "mod_vlan_vid at position 8"},
	{"actions=mod_vlan_pcp:8", "'8' is not a priority from 0 to 7",
	 "mod_vlan_pcp at position 8"},
	{"actions=push_vlan:0x9100", "'0x9100' is not a TPID, 0x8100 or 0x88a8",
	 "push_vlan at position 8"},
	{"actions=normal,mod_dl_src:zz", "'zz' is not an Ethernet address",
	 "mod_dl_src at position 15"},
	{"ip,actions=mod_nw_src:1.2.3.256", "is not an IPv4 address like 10.0.0.1",
	 "mod_nw_src at position 11"},
	{"ip,actions=mod_nw_tos:3", "'3' is not a ToS from 0 to 255 with the 2 ECN bits",
	 "mod_nw_tos at position 11"},
	{"udp,actions=mod_tp_src:70000", "is not a port from 0 to 65535",
	 "mod_tp_src at position 12"},
	{"actions=output:", "needs ':' and a port name", "output at position 8"},
	{"actions=output", "needs ':' and a port name", "output at position 8"},
	{"nw_dst,actions=drop", "needs '=' and an IPv4 address", "nw_dst at position 0"},
};

static void
test_bad_values_say_what_is_right(void **state)
{
	unsigned int i;

	for (i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++)
		parse_fails(bad_values[i].text, ADD, bad_values[i].want, bad_values[i].pos);
}

static void
test_unknown_fields_and_actions_are_named_with_position(void **state)
{
	parse_fails("priority=10,in_port=vhu0,ip,nw_src=1.2.3.4,nw_dest=10.0.0.1,actions=drop", ADD,
		    "at position 43: unknown field 'nw_dest'", NULL);
	parse_fails("dl_vlan_tci=1", MATCH, "at position 0: unknown field 'dl_vlan_tci'", NULL);
	parse_fails("IP", MATCH, "at position 0: unknown field 'IP'", NULL);
	parse_fails("ip=1", MATCH, "ip at position 0: a shorthand takes no value; write just 'ip'",
		    NULL);
	parse_fails("ip,=5", MATCH, "at position 3: a field name must come before '='", NULL);
	parse_fails("actions=frobnicate", ADD,
		    "at position 8: 'frobnicate' is neither an action nor a port", NULL);
	parse_fails("actions=normal,frob:1", ADD, "at position 15: unknown action 'frob'", NULL);
	parse_fails("actions=normal:1", ADD, "NORMAL at position 8: takes no argument", NULL);
	parse_fails("actions=mod_vlan_vid=5", ADD, "is neither an action nor a port", NULL);
}

static void
test_match_mode_refuses_actions_and_timeouts(void **state)
{
	struct vs_flow_spec s;

	parse_fails("ip,actions=drop", MATCH,
		    "actions at position 3: del-flows and dump-flows take a match without actions",
		    NULL);
	parse_fails("ip, actions=", MATCH, "take a match without actions", "position 4");
	parse_fails("idle_timeout=5", MATCH,
		    "idle_timeout at position 0: del-flows and dump-flows take no idle_timeout",
		    NULL);
	parse_fails("ip,hard_timeout=5", MATCH, "take no hard_timeout", "position 3");
	parse_ok("priority=5,cookie=1/1,table=0,ip", MATCH, &s);
	assert_int_equal(s.n_actions, 0);
	parse_ok("idle_timeout=5,hard_timeout=6,actions=drop", ADD, &s);
}

static void
test_add_mode_needs_actions_last(void **state)
{
	parse_fails("ip", ADD, "needs 'actions=' last (like actions=normal", "position 2");
	parse_fails("", ADD, "needs 'actions='", "position 0");
	parse_fails("ip,actions", ADD, "actions at position 3: needs '=' and a list", NULL);
	/* Everything after actions= is the action list. */
	parse_fails("actions=normal,ip", ADD,
		    "at position 15: 'ip' is neither an action nor a port", NULL);
}

static void
test_whitespace_around_items_is_ignored(void **state)
{
	struct vs_flow_spec a, b;

	parse_ok(" priority = 5 ,\tip , nw_dst= 10.0.0.0/8 , actions = output : nic0 , normal ",
		 ADD, &a);
	parse_ok("priority=5,ip,nw_dst=10.0.0.0/8,actions=output:nic0,normal", ADD, &b);
	assert_memory_equal(&a.match, &b.match, sizeof(a.match));
	assert_int_equal(a.n_actions, 2);
	assert_memory_equal(a.actions, b.actions, sizeof(a.actions));
	assert_int_equal(a.priority, 5);
	parse_fails("ip, nw_dst=10.0.0.0 /8", MATCH,
		    "'/8' is not a field; a value and its mask take no space", "position 20");
}

static void
test_empty_items_are_refused(void **state)
{
	parse_fails("ip,,tcp", MATCH, "at position 3: an empty item", NULL);
	parse_fails("ip, ,tcp", MATCH, "at position 4: an empty item", NULL);
	parse_fails("ip,", MATCH, "at position 3: an empty item", NULL);
	parse_fails(",ip", MATCH, "at position 0: an empty item", NULL);
	parse_fails("actions=normal,,flood", ADD, "at position 15: an empty action", NULL);
	parse_fails("actions=normal,", ADD, "at position 15: an empty action", NULL);
	parse_fails("actions=,", ADD, "at position 8: an empty action", NULL);
}

static void
test_at_most_32_actions_are_taken(void **state)
{
	char text[512];
	struct vs_flow_spec s;
	size_t off;
	int i;

	off = (size_t)snprintf(text, sizeof(text), "actions=flood");
	for (i = 1; i < VS_ACTIONS_MAX; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off, ",normal");
	parse_ok(text, ADD, &s);
	assert_int_equal(s.n_actions, VS_ACTIONS_MAX);
	assert_int_equal(s.actions[31].type, VS_ACT_NORMAL);
	snprintf(text + off, sizeof(text) - off, ",in_port");
	/* 8 + 5 + 31 * 7 + 1: the 33rd action's position */
	parse_fails(text, ADD, "at position 231: more than 32 actions", NULL);
}

/* A match and its canonical text. */
static const char *const match_texts[][2] = {
	{"", ""},
	{"priority=7,cookie=3/3", ""},
	{"in_port=vhu0", "in_port=vhu0"},
	{"nw_dst=10.1.0.0/16,priority=5,ip,in_port=vhu0", "in_port=vhu0,ip,nw_dst=10.1.0.0/16"},
	{"dl_type=0x0800,nw_proto=6,tp_dst=80", "tcp,tp_dst=80"},
	{"ip,nw_proto=17", "udp"},
	{"dl_type=0x86dd,nw_proto=58", "icmp6"},
	{"ip,nw_proto=47", "ip,nw_proto=47"},
	{"ipv6,nw_proto=1", "ipv6,nw_proto=1"},
	{"dl_type=0x88cc", "dl_type=0x88cc"},
	{"dl_type=0", "dl_type=0x0000"},
	{"arp,nw_proto=2,arp_tpa=10.0.0.1,nw_src=10.9.0.9/255.0.255.0",
	 "arp,arp_op=2,arp_spa=10.0.0.0/255.0.255.0,arp_tpa=10.0.0.1"},
	{"dl_vlan_pcp=3,dl_vlan=100", "dl_vlan=100,dl_vlan_pcp=3"},
	{"dl_vlan=0xffff", "dl_vlan=0xffff"},
	{"dl_vlan_pcp=0", "dl_vlan_pcp=0"},
	{"dl_dst=01:00:5E:00:00:00/FF:FF:FF:80:00:00,dl_src=52:54:00:AB:CD:EF",
	 "dl_src=52:54:00:ab:cd:ef,dl_dst=01:00:5e:00:00:00/ff:ff:ff:80:00:00"},
	{"dl_src=00:00:00:00:00:00/00:00:00:00:00:00", ""},
	{"ipv6,ipv6_src=2001:db8::1/32,ipv6_dst=fe80::1/::ffff",
	 "ipv6,ipv6_src=2001:db8::/32,ipv6_dst=::1/::ffff"},
	{"ipv6,ipv6_src=::/0,ipv6_dst=::1/128", "ipv6,ipv6_dst=::1"},
	{"ip,nw_src=10.0.0.1/32,nw_dst=10.0.0.0/0", "ip,nw_src=10.0.0.1"},
	{"ip,nw_src=10.0.0.1/255.255.255.0", "ip,nw_src=10.0.0.0/24"},
	{"ip,ip_dscp=46", "ip,nw_tos=184"},
	{"udp,tp_src=0x1234/0xff00", "udp,tp_src=4608/0xff00"},
	{"udp,tp_src=0x1234/0", "udp"},
	{"icmp6,icmp_code=0,icmp_type=135", "icmp6,icmp_type=135,icmp_code=0"},
	{"dl_type=0x0800,nw_frag=yes", "ip,nw_frag=yes"},
	{"tp_dst=80,nw_frag=first,nw_tos=8,tcp,nw_src=10.0.0.1",
	 "tcp,nw_src=10.0.0.1,nw_tos=8,nw_frag=first,tp_dst=80"},
	{"icmp_type=3,nw_frag=not_later,icmp6", "icmp6,nw_frag=not_later,icmp_type=3"},
	{"ipv6,nw_frag=no", "ipv6,nw_frag=no"},
	{"udp,nw_frag=later", "udp,nw_frag=later"},
	{"tp_dst=443,nw_tos=8,ipv6_dst=::1,dl_src=00:11:22:33:44:55,dl_vlan=5,tcp6,"
	 "in_port=p3",
	 "in_port=p3,tcp6,dl_vlan=5,dl_src=00:11:22:33:44:55,ipv6_dst=::1,nw_tos=8,"
	 "tp_dst=443"},
};

static void
test_match_formats_canonically(void **state)
{
	struct vs_flow_spec s;
	char buf[256];
	unsigned int i;
	int n;

	for (i = 0; i < sizeof(match_texts) / sizeof(match_texts[0]); i++) {
		parse_ok(match_texts[i][0], MATCH, &s);
		n = vs_flow_format_match(&s.match, test_port_name, (void *)&ports, buf,
					 sizeof(buf));
		if (strcmp(buf, match_texts[i][1]) != 0)
			fail_msg("'%s' formats as '%s', wanted '%s'", match_texts[i][0], buf,
				 match_texts[i][1]);
		assert_int_equal(n, strlen(match_texts[i][1]));
	}
}

static void
test_actions_format_canonically(void **state)
{
	static const char *const cases[][2] = {
		{"actions=", "drop"},
		{"actions=drop", "drop"},
		{"actions=nic0, flood", "output:nic0,FLOOD"},
		{"tcp,actions=output:nic0,normal,flood,in_port,mod_vlan_vid:0x10,mod_vlan_pcp:7,"
		 "strip_vlan,push_vlan:33024,mod_dl_src:52:54:00:00:00:0A,"
		 "mod_dl_dst:52:54:00:00:00:0b,mod_nw_src:10.0.0.1,mod_nw_dst:192.168.1.2,"
		 "mod_nw_tos:184,mod_tp_src:1024,mod_tp_dst:0xffff,output:44",
		 "output:nic0,NORMAL,FLOOD,IN_PORT,mod_vlan_vid:16,mod_vlan_pcp:7,strip_vlan,"
		 "push_vlan:0x8100,mod_dl_src:52:54:00:00:00:0a,mod_dl_dst:52:54:00:00:00:0b,"
		 "mod_nw_src:10.0.0.1,mod_nw_dst:192.168.1.2,mod_nw_tos:184,mod_tp_src:1024,"
		 "mod_tp_dst:65535,output:44"},
		{"actions=push_vlan:0x88A8", "push_vlan:0x88a8"},
	};
	struct vs_flow_spec s;
	char buf[512];
	unsigned int i;
	int n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_ok(cases[i][0], ADD, &s);
		n = vs_flow_format_actions(s.actions, s.n_actions, test_port_name, (void *)&ports,
					   buf, sizeof(buf));
		if (strcmp(buf, cases[i][1]) != 0)
			fail_msg("'%s' formats as '%s', wanted '%s'", cases[i][0], buf,
				 cases[i][1]);
		assert_int_equal(n, strlen(cases[i][1]));
	}
}

static void
test_formatting_truncates_like_snprintf(void **state)
{
	struct vs_flow_spec s;
	char buf[8];

	parse_ok("in_port=vhu0,tcp,tp_dst=80,actions=output:nic0,normal", ADD, &s);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(
		vs_flow_format_match(&s.match, test_port_name, (void *)&ports, buf, sizeof(buf)),
		strlen("in_port=vhu0,tcp,tp_dst=80"));
	assert_string_equal(buf, "in_port");
	assert_int_equal(vs_flow_format_match(&s.match, test_port_name, (void *)&ports, NULL, 0),
			 26);
	assert_int_equal(vs_flow_format_match(&s.match, test_port_name, (void *)&ports, buf, 1),
			 26);
	assert_string_equal(buf, "");
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(vs_flow_format_actions(s.actions, s.n_actions, test_port_name,
						(void *)&ports, buf, sizeof(buf)),
			 strlen("output:nic0,normal"));
	assert_string_equal(buf, "output:");
	assert_int_equal(
		vs_flow_format_actions(s.actions, 0, test_port_name, (void *)&ports, buf, 3), 4);
	assert_string_equal(buf, "dr");
}

static void
test_ports_without_a_name_format_by_number(void **state)
{
	struct vs_flow_spec s;
	char buf[64];

	parse_ok("in_port=nic0,actions=output:p3", ADD, &s);
	vs_flow_format_match(&s.match, no_name, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "in_port=#2");
	vs_flow_format_actions(s.actions, s.n_actions, NULL, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "output:#3");
}

/* The text a caller would print for 'spec' and parse again. */
static void
spec_text(const struct vs_flow_spec *s, char *buf, size_t size)
{
	char match[512], acts[512];

	vs_flow_format_match(&s->match, test_port_name, (void *)&ports, match, sizeof(match));
	vs_flow_format_actions(s->actions, s->n_actions, test_port_name, (void *)&ports, acts,
			       sizeof(acts));
	snprintf(buf, size,
		 "priority=%u,cookie=0x%llx,idle_timeout=%u,hard_timeout=%u,%s%s"
		 "actions=%s",
		 s->priority, (unsigned long long)s->cookie, s->idle_timeout, s->hard_timeout,
		 match, match[0] != '\0' ? "," : "", acts);
}

/* Varied rules for the round trip: every field, mask and action. */
static const char *const round_trip_texts[] = {
	"actions=",
	"priority=100,in_port=vhu0,ip,nw_dst=10.1.0.0/16,actions=mod_vlan_vid:20,"
	"output:nic0",
	"tcp,nw_src=192.168.1.0/24,tp_dst=80,tp_src=0x0400/0xfc00,actions=output:p3",
	"udp6,ipv6_src=2001:db8::/32,ipv6_dst=fe80::1/::ffff,tp_src=53,actions=normal",
	"icmp,icmp_type=8,icmp_code=0,nw_tos=184,actions=in_port",
	"icmp6,icmp_type=135,ipv6_dst=ff02::1:ff00:0/104,actions=flood",
	"arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/255.0.255.0,nw_proto=1,actions=normal",
	"dl_vlan=100,dl_vlan_pcp=5,dl_src=52:54:00:AB:CD:EF,actions=strip_vlan,output:vhu0",
	"dl_dst=01:00:5e:00:00:00/ff:ff:ff:80:00:00,actions=drop",
	"in_port=nic0,dl_vlan=0xffff,actions=push_vlan:0x88a8,mod_vlan_vid:4095,p3",
	"dl_vlan_pcp=0,actions=mod_vlan_pcp:7,flood",
	"cookie=42,idle_timeout=30,hard_timeout=65535,priority=65535,actions=drop",
	"dl_type=0x88cc,actions=normal",
	"dl_type=0,actions=normal",
	"ip,ip_dscp=46,actions=mod_dl_src:52:54:00:00:00:01,mod_dl_dst:52:54:00:00:00:02",
	"ip,actions=mod_nw_src:10.0.0.1,mod_nw_dst:10.0.0.2,mod_nw_tos:184,output:flood",
	"ipv6,nw_proto=47,nw_tos=4,actions=",
	"dl_type=0x0800,nw_proto=17,tp_dst=4789,actions=output:nic0,output:vhu0,output:p3",
	"udp,actions=mod_tp_src:5353,mod_tp_dst:53,in_port",
	"tcp6,tp_dst=0/0xfff0,actions=mod_tp_dst:0",
	"ip,nw_src=255.255.255.255/1,nw_dst=1.2.3.4/0.255.0.255,actions=normal",
	"ip,nw_proto=1,icmp_code=3,actions=normal",
	"ipv6,nw_proto=58,icmp_type=1,actions=normal",
	"ipv6,ipv6_src=::ffff:1.2.3.4,ipv6_dst=::/0,actions=normal",
	"ipv6,ipv6_src=1:2:3:4:5:6:7:8/ffff:0:ffff::,actions=normal",
	"arp,nw_proto=2,actions=flood",
	"in_port=p3,tcp,dl_vlan=0,dl_src=00:00:00:00:00:01/00:00:00:00:00:ff,"
	"dl_dst=ff:ff:ff:ff:ff:ff,nw_src=10.0.0.0/8,nw_dst=172.16.0.1,nw_tos=252,"
	"tp_src=1,tp_dst=65535,actions=push_vlan:0x8100,mod_vlan_vid:1,output:nic0",
	"dl_src=00:11:22:33:44:55/00:00:00:00:00:00,actions=normal",
	"udp,tp_src=7/0,actions=normal",
	" ip , nw_dst = 10.0.0.1 , actions = nic0 ",
	"ip,nw_frag=no,actions=normal",
	"ipv6,nw_frag=yes,actions=drop",
	"udp,nw_frag=first,tp_dst=53,nw_tos=4,actions=output:nic0",
	"tcp6,nw_frag=later,actions=flood",
	"icmp,nw_frag=not_later,icmp_type=8,actions=in_port",
};

static void
test_round_trip_gives_identical_spec(void **state)
{
	struct vs_flow_spec a, b;
	char text[2048];
	unsigned int i;

	for (i = 0; i < sizeof(round_trip_texts) / sizeof(round_trip_texts[0]); i++) {
		parse_ok(round_trip_texts[i], ADD, &a);
		spec_text(&a, text, sizeof(text));
		parse_ok(text, ADD, &b);
		if (memcmp(&a.match, &b.match, sizeof(a.match)) != 0 ||
		    a.n_actions != b.n_actions ||
		    memcmp(a.actions, b.actions, sizeof(a.actions)) != 0 || a.cookie != b.cookie ||
		    a.idle_timeout != b.idle_timeout || a.hard_timeout != b.hard_timeout ||
		    a.priority != b.priority)
			fail_msg("'%s' came back from '%s' changed", round_trip_texts[i], text);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prerequisites_hold_in_either_order),
		cmocka_unit_test(test_unmet_prerequisites_say_what_to_add),
		cmocka_unit_test(test_action_prerequisites_follow_the_match),
		cmocka_unit_test(test_fields_given_twice_are_refused),
		cmocka_unit_test(test_contradictions_name_both_items),
		cmocka_unit_test(test_bad_values_say_what_is_right),
		cmocka_unit_test(test_unknown_fields_and_actions_are_named_with_position),
		cmocka_unit_test(test_match_mode_refuses_actions_and_timeouts),
		cmocka_unit_test(test_add_mode_needs_actions_last),
		cmocka_unit_test(test_whitespace_around_items_is_ignored),
		cmocka_unit_test(test_empty_items_are_refused),
		cmocka_unit_test(test_at_most_32_actions_are_taken),
		cmocka_unit_test(test_match_formats_canonically),
		cmocka_unit_test(test_actions_format_canonically),
		cmocka_unit_test(test_formatting_truncates_like_snprintf),
		cmocka_unit_test(test_ports_without_a_name_format_by_number),
		cmocka_unit_test(test_round_trip_gives_identical_spec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
