/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_syntax.c: the words of the flow syntax and the stateless
 * text helpers that read them, shared by the parser (flow_parse.c) and the
 * formatter (flow_format.c) through flow_syntax.h: the tables of field
 * names, shorthands, nw_frag values and actions, what each prerequisite
 * asks the operator to add, and the number, MAC, address and word helpers.
 * They hold no parser state, so they live apart from flow_parse.c, which
 * keeps the per-item logic and its error messages. */
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "flow_syntax.h"

#define SHOW_MAX ((size_t)48) /* how much of the operator's text an error repeats */

const char *const vs_flow_need_text[] = {
	[VS_NEED_NONE] = "nothing",
	[VS_NEED_IP] = "an IPv4 match: add 'ip' (or 'tcp', 'udp', 'icmp')",
	[VS_NEED_IP_OR_ARP] = "an IPv4 or ARP match: add 'ip' or 'arp'",
	[VS_NEED_ARP] = "an ARP match: add 'arp'",
	[VS_NEED_IPV6] = "an IPv6 match: add 'ipv6'",
	[VS_NEED_IP_ANY] = "an IPv4 or IPv6 match: add 'ip' or 'ipv6'",
	[VS_NEED_L3] = "an IPv4, IPv6 or ARP match: add 'ip', 'ipv6' or 'arp'",
	[VS_NEED_TCP_UDP] = "a TCP or UDP match: add 'tcp', 'udp', 'tcp6' or 'udp6'",
	[VS_NEED_ICMP] = "an ICMP match: add 'icmp' or 'icmp6'",
};

const char *const vs_flow_field_names[VS_FLD_MAX] = {
	[VS_FLD_PRIORITY] = "priority",
	[VS_FLD_COOKIE] = "cookie",
	[VS_FLD_TABLE] = "table",
	[VS_FLD_IDLE_TIMEOUT] = "idle_timeout",
	[VS_FLD_HARD_TIMEOUT] = "hard_timeout",
	[VS_FLD_IN_PORT] = "in_port",
	[VS_FLD_DL_SRC] = "dl_src",
	[VS_FLD_DL_DST] = "dl_dst",
	[VS_FLD_DL_TYPE] = "dl_type",
	[VS_FLD_DL_VLAN] = "dl_vlan",
	[VS_FLD_DL_VLAN_PCP] = "dl_vlan_pcp",
	[VS_FLD_NW_SRC] = "nw_src",
	[VS_FLD_NW_DST] = "nw_dst",
	[VS_FLD_ARP_SPA] = "arp_spa",
	[VS_FLD_ARP_TPA] = "arp_tpa",
	[VS_FLD_IPV6_SRC] = "ipv6_src",
	[VS_FLD_IPV6_DST] = "ipv6_dst",
	[VS_FLD_NW_PROTO] = "nw_proto",
	[VS_FLD_NW_TOS] = "nw_tos",
	[VS_FLD_IP_DSCP] = "ip_dscp",
	[VS_FLD_NW_FRAG] = "nw_frag",
	[VS_FLD_TP_SRC] = "tp_src",
	[VS_FLD_TP_DST] = "tp_dst",
	[VS_FLD_ICMP_TYPE] = "icmp_type",
	[VS_FLD_ICMP_CODE] = "icmp_code",
};

const struct vs_flow_shorthand vs_flow_shorthands[] = {
	{.name = "tcp", .dl_type = RTE_ETHER_TYPE_IPV4, .nw_proto = IPPROTO_TCP},
	{.name = "udp", .dl_type = RTE_ETHER_TYPE_IPV4, .nw_proto = IPPROTO_UDP},
	{.name = "icmp", .dl_type = RTE_ETHER_TYPE_IPV4, .nw_proto = IPPROTO_ICMP},
	{.name = "tcp6", .dl_type = RTE_ETHER_TYPE_IPV6, .nw_proto = IPPROTO_TCP},
	{.name = "udp6", .dl_type = RTE_ETHER_TYPE_IPV6, .nw_proto = IPPROTO_UDP},
	{.name = "icmp6", .dl_type = RTE_ETHER_TYPE_IPV6, .nw_proto = IPPROTO_ICMPV6},
	{.name = "ip", .dl_type = RTE_ETHER_TYPE_IPV4, .nw_proto = -1},
	{.name = "ipv6", .dl_type = RTE_ETHER_TYPE_IPV6, .nw_proto = -1},
	{.name = "arp", .dl_type = RTE_ETHER_TYPE_ARP, .nw_proto = -1},
	{.name = NULL},
};

/* As in OVS: 'first' is offset 0 with more fragments to come, 'later'
 * any other offset, 'not_later' a whole packet or a first fragment. */
const struct vs_flow_frag vs_flow_frags[] = {
	{.name = "no", .mask = VS_FRAG_ANY},
	{.name = "yes", .key = VS_FRAG_ANY, .mask = VS_FRAG_ANY},
	{.name = "first", .key = VS_FRAG_ANY, .mask = VS_FRAG_ANY | VS_FRAG_LATER},
	{.name = "later", .key = VS_FRAG_ANY | VS_FRAG_LATER, .mask = VS_FRAG_ANY | VS_FRAG_LATER},
	{.name = "not_later", .mask = VS_FRAG_LATER},
	{.name = NULL},
};

/* Members left out are 0: no argument, no need on the match. One entry
 * per block, not one member per line. */
/* clang-format off */
const struct vs_flow_act_def vs_flow_act_defs[] = {
	{.name = "output", .type = VS_ACT_OUTPUT, .arg = VS_ARG_PORT,
	 .expect = "a port name, like output:nic0"},
	{.name = "normal", .type = VS_ACT_NORMAL},
	{.name = "flood", .type = VS_ACT_FLOOD},
	{.name = "in_port", .type = VS_ACT_IN_PORT},
	{.name = "drop", .type = VS_ACT_DROP},
	{.name = "group", .type = VS_ACT_GROUP, .arg = VS_ARG_U32,
	 .expect = "a group id from 0 to 4294967040 (0xffffff00)"},
	{.name = "mod_vlan_vid", .type = VS_ACT_SET_VLAN_VID, .arg = VS_ARG_U16, .max = 4095,
	 .expect = "a VLAN ID from 0 to 4095"},
	{.name = "mod_vlan_pcp", .type = VS_ACT_SET_VLAN_PCP, .arg = VS_ARG_U8, .max = 7,
	 .expect = "a priority from 0 to 7"},
	{.name = "strip_vlan", .type = VS_ACT_STRIP_VLAN},
	{.name = "push_vlan", .type = VS_ACT_PUSH_VLAN, .arg = VS_ARG_TPID,
	 .expect = "a TPID, 0x8100 or 0x88a8"},
	{.name = "mod_dl_src", .type = VS_ACT_SET_DL_SRC, .arg = VS_ARG_MAC,
	 .expect = "an Ethernet address like 52:54:00:12:34:56"},
	{.name = "mod_dl_dst", .type = VS_ACT_SET_DL_DST, .arg = VS_ARG_MAC,
	 .expect = "an Ethernet address like 52:54:00:12:34:56"},
	{.name = "mod_nw_src", .type = VS_ACT_SET_NW_SRC, .arg = VS_ARG_IPV4, .need = VS_NEED_IP,
	 .expect = "an IPv4 address like 10.0.0.1"},
	{.name = "mod_nw_dst", .type = VS_ACT_SET_NW_DST, .arg = VS_ARG_IPV4, .need = VS_NEED_IP,
	 .expect = "an IPv4 address like 10.0.0.1"},
	{.name = "mod_nw_tos", .type = VS_ACT_SET_NW_TOS, .arg = VS_ARG_TOS,
	 .need = VS_NEED_IP_ANY,
	 .expect = "a ToS from 0 to 255 with the 2 ECN bits clear (a multiple of 4)"},
	{.name = "mod_tp_src", .type = VS_ACT_SET_TP_SRC, .arg = VS_ARG_U16,
	 .need = VS_NEED_TCP_UDP, .max = UINT16_MAX, .expect = "a port from 0 to 65535"},
	{.name = "mod_tp_dst", .type = VS_ACT_SET_TP_DST, .arg = VS_ARG_U16,
	 .need = VS_NEED_TCP_UDP, .max = UINT16_MAX, .expect = "a port from 0 to 65535"},
	{.name = NULL},
};
/* clang-format on */

static unsigned int
hex_value(char c)
{
	return isdigit((unsigned char)c) ? (unsigned int)(c - '0')
					 : (unsigned int)(tolower((unsigned char)c) - 'a' + 10);
}

/* A whole string that is a decimal or 0x-prefixed hex number <= max. No
 * sign, space or octal: operators read "010" as ten. */
bool
vs_flow_text_parse_num(const char *s, uint64_t max, uint64_t *out)
{
	unsigned int base = 10, d;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (!(base == 16 ? isxdigit((unsigned char)*s) : isdigit((unsigned char)*s)))
			return false;
		d = hex_value(*s);
		if (d > max || v > (max - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

/* Six colon-separated pairs of hex digits (02:00:0a:0b:0c:0d), either case.
 * Not rte_ether_unformat_addr: it also takes three groups of four digits
 * (0200:0a0b:0c0d), which would widen what the parser accepts. */
bool
vs_flow_text_parse_mac(const char *s, struct rte_ether_addr *mac)
{
	unsigned int i;

	for (i = 0; i < RTE_ETHER_ADDR_LEN; i++, s += 3) {
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return false;
		if (s[2] != (i < RTE_ETHER_ADDR_LEN - 1 ? ':' : '\0'))
			return false;
		mac->addr_bytes[i] = (uint8_t)(hex_value(s[0]) << 4 | hex_value(s[1]));
	}
	return true;
}

/* Cuts "value/mask" at the '/'; the mask, or NULL if there is none. */
char *
vs_flow_text_split_mask(char *val)
{
	char *slash = strchr(val, '/');

	if (slash == NULL)
		return NULL;
	*slash = '\0';
	return slash + 1;
}

/* An IPv4 (af AF_INET, 4 bytes) or IPv6 (16 bytes) address, optionally
 * with /prefix or /mask; the address is stored masked. */
bool
vs_flow_text_parse_addr(int af, char *val, uint8_t *addr, uint8_t *mask)
{
	size_t len = af == AF_INET ? 4 : 16, i;
	char *m = vs_flow_text_split_mask(val);
	uint64_t plen;

	if (inet_pton(af, val, addr) != 1)
		return false;
	if (m == NULL) {
		memset(mask, 0xff, len);
	} else if (strchr(m, af == AF_INET ? '.' : ':') != NULL) {
		if (inet_pton(af, m, mask) != 1)
			return false;
	} else {
		if (!vs_flow_text_parse_num(m, len * 8, &plen))
			return false;
		vs_flow_prefix_to_mask(mask, len, plen);
	}
	for (i = 0; i < len; i++)
		addr[i] &= mask[i];
	return true;
}

/* How much of an operator's text of 'len' characters an error repeats. */
int
vs_flow_text_show(size_t len)
{
	return (int)RTE_MIN(len, SHOW_MAX);
}

bool
vs_flow_text_word_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

size_t
vs_flow_text_skip_space(const char *s, size_t i)
{
	while (isspace((unsigned char)s[i]))
		i++;
	return i;
}

size_t
vs_flow_text_trim_len(const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	return len;
}

/* Where the value after the '=' or ':' at 'sep' starts, in an item that
 * ends (trimmed) at 'end'. */
const char *
vs_flow_text_value_start(const char *sep, const char *end)
{
	const char *v = sep + 1;

	while (v < end && isspace((unsigned char)*v))
		v++;
	return v;
}

const struct vs_flow_act_def *
vs_flow_text_find_action(const char *name, size_t len)
{
	const struct vs_flow_act_def *d;

	for (d = vs_flow_act_defs; d->name != NULL; d++)
		if (vs_flow_text_word_is(name, len, d->name))
			return d;
	return NULL;
}

const struct vs_flow_frag *
vs_flow_text_find_frag(const char *name)
{
	const struct vs_flow_frag *fr;

	for (fr = vs_flow_frags; fr->name != NULL; fr++)
		if (strcmp(name, fr->name) == 0)
			return fr;
	return NULL;
}
