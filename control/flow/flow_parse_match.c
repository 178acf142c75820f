/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_parse_match.c: the match fields of a flow rule, and its
 * other key=value items (priority, cookie, table, timeouts, out_port), as
 * ovs-ofctl spells them: the old NXM names (dl_src, nw_dst, tp_src) beside
 * the OpenFlow ones (eth_src, ipv4_dst, tcp_src), with OVS's meaning. The
 * driver (flow_parse.c) cuts the text into items and calls a field's parse
 * function on its value; words without a value are shorthands (ip, tcp),
 * flags (send_flow_rem), or an OVS field the switch does not have, which
 * is said as such rather than "unknown". */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

#include "flow_parse_int.h"

#define NOT_IN_ADD   (1u << VS_FLOW_PARSE_ADD | 1u << VS_FLOW_PARSE_MOD)
#define NOT_IN_MATCH (1u << VS_FLOW_PARSE_MATCH)

static int
bad_value(struct parser *p, const struct field *f)
{
	return vs_err_set(p->err, -EINVAL, "%s at position %zu: '%.*s' is not %s", f->name, p->pos,
			  vs_flow_text_show(p->value_len), p->value, f->expect);
}

static int
fld_priority(struct parser *p, const struct field *f, char *val)
{
	uint64_t v;

	if (!vs_flow_text_parse_num(val, UINT16_MAX, &v))
		return bad_value(p, f);
	p->spec->priority = (uint16_t)v;
	p->spec->has_priority = true;
	return 0;
}

/* cookie=V in a rule to add is its cookie; cookie=V/M selects the rules
 * whose cookie has V's bits under M (-1: all of them), in del-flows,
 * dump-flows and mod-flows. A mod-flows' cookie=V without a mask selects
 * nothing: it is the cookie of the rule that mod-flows adds when it
 * selects none, as in OVS. */
static int
fld_cookie(struct parser *p, const struct field *f, char *val)
{
	char *m = vs_flow_text_split_mask(val);
	uint64_t v, mask = UINT64_MAX;

	if (m != NULL && p->mode == VS_FLOW_PARSE_ADD)
		return vs_err_set(p->err, -EINVAL,
				  "cookie at position %zu: a new flow takes cookie=VALUE; a mask "
				  "(cookie=VALUE/MASK) is for del-flows, dump-flows and mod-flows",
				  p->pos);
	if (!vs_flow_text_parse_num(val, UINT64_MAX, &v) ||
	    (m != NULL && strcmp(m, "-1") != 0 && !vs_flow_text_parse_num(m, UINT64_MAX, &mask)))
		return bad_value(p, f);
	if (p->mode == VS_FLOW_PARSE_MOD && m == NULL) {
		p->spec->cookie = v;
		return 0;
	}
	p->spec->cookie = v & mask;
	p->spec->cookie_mask = mask;
	p->spec->has_cookie = true;
	return 0;
}

static int
fld_table(struct parser *p, const struct field *f, char *val)
{
	uint64_t v;

	if (!vs_flow_text_parse_num(val, VS_TABLES - 1, &v))
		return bad_value(p, f);
	p->spec->table_id = (uint8_t)v;
	p->spec->has_table = true;
	return 0;
}

static int
fld_timeout(struct parser *p, const struct field *f, char *val)
{
	uint64_t v;

	if (!vs_flow_text_parse_num(val, UINT16_MAX, &v))
		return bad_value(p, f);
	if (f->slot == SLOT_IDLE)
		p->spec->idle_timeout = (uint32_t)v;
	else
		p->spec->hard_timeout = (uint32_t)v;
	return 0;
}

static int
fld_in_port(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;

	m->mask.in_port = UINT16_MAX;
	return vs_parse_port(p, f->name, val, &m->key.in_port);
}

/* out_port=P: only the rules that output to P; ANY (or NONE) is no filter. */
static int
fld_out_port(struct parser *p, const struct field *f, char *val)
{
	if (strcasecmp(val, "ANY") == 0 || strcasecmp(val, "NONE") == 0)
		return 0;
	p->spec->has_out_port = true;
	return vs_parse_port(p, f->name, val, &p->spec->out_port);
}

static int
fld_out_group(struct parser *p, const struct field *f, char *val)
{
	uint64_t v;

	if (strcasecmp(val, "ANY") == 0)
		return 0;
	if (!vs_flow_text_parse_num(val, 0xffffff00, &v))
		return bad_value(p, f);
	p->spec->has_out_group = true;
	p->spec->out_group = (uint32_t)v;
	return 0;
}

static int
fld_mac(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	struct rte_ether_addr *k = f->dst ? &m->key.dl_dst : &m->key.dl_src;
	struct rte_ether_addr *mk = f->dst ? &m->mask.dl_dst : &m->mask.dl_src;
	char *ms = vs_flow_text_split_mask(val);
	unsigned int i;

	memset(mk, 0xff, sizeof(*mk));
	if (!vs_flow_text_parse_mac(val, k) || (ms != NULL && !vs_flow_text_parse_mac(ms, mk)))
		return bad_value(p, f);
	for (i = 0; i < RTE_ETHER_ADDR_LEN; i++)
		k->addr_bytes[i] &= mk->addr_bytes[i];
	return 0;
}

static int
fld_dl_type(struct parser *p, const struct field *f, char *val)
{
	uint64_t v;

	if (!vs_flow_text_parse_num(val, UINT16_MAX, &v))
		return bad_value(p, f);
	return vs_parse_set_dl_type(p, (uint16_t)v);
}

static int
no_tag_with_pcp(struct parser *p)
{
	const char *vlan = p->seen[SLOT_VLAN]->name;

	return vs_err_set(p->err, -EINVAL,
			  "%s%s (no tag) at position %zu and dl_vlan_pcp at position %zu "
			  "contradict: an untagged frame has no priority; keep one of them",
			  vlan, strcmp(vlan, "dl_vlan") == 0 ? "=0xffff" : "",
			  p->seen_pos[SLOT_VLAN], p->seen_pos[SLOT_VLAN_PCP]);
}

/* Does the VLAN match so far say "no tag" (presence bit masked, clear)? */
static bool
says_untagged(const struct vs_flow_match *m)
{
	return (m->mask.vlan_tci & VS_VLAN_PRESENT) && !(m->key.vlan_tci & VS_VLAN_PRESENT);
}

/* Sets the TCI bits of 'mask' to 'v', the others as they were. */
static int
set_tci(struct parser *p, uint16_t v, uint16_t mask)
{
	struct vs_flow_match *m = &p->spec->match;

	m->key.vlan_tci = (uint16_t)((m->key.vlan_tci & ~mask) | (v & mask));
	m->mask.vlan_tci |= mask;
	if (p->seen[SLOT_VLAN_PCP] != NULL && says_untagged(m))
		return no_tag_with_pcp(p);
	return 0;
}

/* dl_vlan=0xffff is OpenFlow 1.0's "no 802.1Q tag": the presence bit clear. */
static int
fld_vlan(struct parser *p, const struct field *f, char *val)
{
	uint64_t v;

	if (!vs_flow_text_parse_num(val, UINT16_MAX, &v) ||
	    (v > VS_VLAN_VID_MASK && v != UINT16_MAX))
		return bad_value(p, f);
	if (v == UINT16_MAX)
		return set_tci(p, 0, VS_VLAN_PRESENT);
	return set_tci(p, (uint16_t)v | VS_VLAN_PRESENT, VS_VLAN_VID_MASK | VS_VLAN_PRESENT);
}

/* vlan_vid (OpenFlow 1.3's OXM) and vlan_tci (the whole tag) are bits, as
 * in OVS: 0x1000 is "tagged" (OFPVID_PRESENT), so vlan_vid=0x100a is VLAN
 * 10, vlan_vid=0 no tag, vlan_vid=0x1000/0x1000 any tag. */
static int
fld_vlan_bits(struct parser *p, const struct field *f, char *val)
{
	uint16_t bits = f->dst ? UINT16_MAX : (VS_VLAN_VID_MASK | VS_VLAN_PRESENT);
	char *ms = vs_flow_text_split_mask(val);
	uint64_t v, mask = bits;

	if (!vs_flow_text_parse_num(val, bits, &v) ||
	    (ms != NULL && !vs_flow_text_parse_num(ms, bits, &mask)))
		return bad_value(p, f);
	return set_tci(p, (uint16_t)v, (uint16_t)mask);
}

static int
fld_vlan_pcp(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	uint64_t v;

	if (!vs_flow_text_parse_num(val, 7, &v))
		return bad_value(p, f);
	if (p->seen[SLOT_VLAN] != NULL && says_untagged(m))
		return no_tag_with_pcp(p);
	m->key.vlan_tci =
		(uint16_t)((m->key.vlan_tci & ~VS_VLAN_PCP_MASK) | v << 13 | VS_VLAN_PRESENT);
	m->mask.vlan_tci |= VS_VLAN_PCP_MASK | VS_VLAN_PRESENT;
	return 0;
}

static int
fld_addr(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	int af = f->need == VS_NEED_IPV6 ? AF_INET6 : AF_INET;

	if (!vs_flow_text_parse_addr(af, val, f->dst ? m->key.nw_dst : m->key.nw_src,
				     f->dst ? m->mask.nw_dst : m->mask.nw_src))
		return bad_value(p, f);
	return 0;
}

static int
fld_nw_proto(struct parser *p, const struct field *f, char *val)
{
	uint64_t v;

	if (!vs_flow_text_parse_num(val, UINT8_MAX, &v))
		return bad_value(p, f);
	return vs_parse_set_nw_proto(p, (uint8_t)v);
}

/* The ToS byte is DSCP << 2 | ECN: nw_tos is the DSCP bits in place,
 * ip_dscp the same bits counted from the right, nw_ecn (ip_ecn) the other
 * two; each matches only its own bits. */
static int
fld_tos(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	uint64_t v;

	if (!vs_flow_text_parse_num(val, UINT8_MAX, &v) || (v & 3) != 0)
		return bad_value(p, f);
	m->key.nw_tos |= (uint8_t)v;
	m->mask.nw_tos |= 0xfc;
	return 0;
}

static int
fld_dscp(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	uint64_t v;

	if (!vs_flow_text_parse_num(val, 63, &v))
		return bad_value(p, f);
	m->key.nw_tos |= (uint8_t)(v << 2);
	m->mask.nw_tos |= 0xfc;
	return 0;
}

static int
fld_ecn(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	uint64_t v;

	if (!vs_flow_text_parse_num(val, 3, &v))
		return bad_value(p, f);
	m->key.nw_tos |= (uint8_t)v;
	m->mask.nw_tos |= 0x03;
	return 0;
}

static int
fld_tp(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	char *ms = vs_flow_text_split_mask(val);
	uint64_t v, mask = UINT16_MAX;

	if (!vs_flow_text_parse_num(val, UINT16_MAX, &v) ||
	    (ms != NULL && !vs_flow_text_parse_num(ms, UINT16_MAX, &mask)))
		return bad_value(p, f);
	*(f->dst ? &m->key.tp_dst : &m->key.tp_src) = (uint16_t)(v & mask);
	*(f->dst ? &m->mask.tp_dst : &m->mask.tp_src) = (uint16_t)mask;
	return 0;
}

static int
fld_icmp(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	uint64_t v;

	if (!vs_flow_text_parse_num(val, UINT8_MAX, &v))
		return bad_value(p, f);
	*(f->dst ? &m->key.tp_dst : &m->key.tp_src) = (uint16_t)v;
	*(f->dst ? &m->mask.tp_dst : &m->mask.tp_src) = UINT16_MAX;
	return 0;
}

/* nw_frag: which IP fragments, by the names of vs_flow_frags. */
static int
fld_frag(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	const struct vs_flow_frag *fr = vs_flow_text_find_frag(val);

	if (fr == NULL)
		return bad_value(p, f);
	m->key.nw_frag = fr->key;
	m->mask.nw_frag = fr->mask;
	return 0;
}

/* metadata=V[/M]: the pipeline's 64 bits, set by write_metadata. */
static int
fld_metadata(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	char *ms = vs_flow_text_split_mask(val);
	uint64_t v, mask = UINT64_MAX;

	if (!vs_flow_text_parse_num(val, UINT64_MAX, &v) ||
	    (ms != NULL && !vs_flow_text_parse_num(ms, UINT64_MAX, &mask)))
		return bad_value(p, f);
	m->key.metadata = v & mask;
	m->mask.metadata = mask;
	return 0;
}

#define IPV4_EXPECT "an IPv4 address or prefix (like 10.1.0.0/16 or 10.1.0.0/255.255.0.0)"
#define IPV6_EXPECT "an IPv6 address or prefix (like 2001:db8::/32)"
#define MAC_EXPECT  "an Ethernet address like 52:54:00:12:34:56, optionally /ff:ff:ff:00:00:00"
#define TP_EXPECT   "a port from 0 to 65535, optionally /mask (like 0x0400/0xfc00)"
#define PORT_EXPECT "a port of this bridge (its name or OpenFlow port number)"
#define VID_EXPECT                                                                   \
	"a VLAN ID with the tag bit 0x1000 (vlan_vid=0x100a is VLAN 10, 0 no tag), " \
	"optionally /mask"

/* Members left out are 0: no need on the match, not a pair's destination,
 * allowed in every command. One entry per block, not one member per line.
 * The first name of a slot is the one the formatter prints. */
/* clang-format off */
static const struct field fields[] = {
	{.name = "priority", .parse = fld_priority, .slot = SLOT_PRIORITY,
	 .expect = "a number from 0 to 65535"},
	{.name = "cookie", .parse = fld_cookie, .slot = SLOT_COOKIE,
	 .expect = "a 64-bit number like 0x1f (or 0x10/0xf0 to match some bits)"},
	{.name = "table", .parse = fld_table, .slot = SLOT_TABLE,
	 .expect = "a table from 0 to 254"},
	{.name = "idle_timeout", .parse = fld_timeout, .slot = SLOT_IDLE, .not_in = NOT_IN_MATCH,
	 .expect = "seconds from 0 to 65535"},
	{.name = "hard_timeout", .parse = fld_timeout, .slot = SLOT_HARD, .dst = 1,
	 .not_in = NOT_IN_MATCH, .expect = "seconds from 0 to 65535"},
	{.name = "out_port", .parse = fld_out_port, .slot = SLOT_OUT_PORT, .not_in = NOT_IN_ADD,
	 .expect = PORT_EXPECT},
	{.name = "out_group", .parse = fld_out_group, .slot = SLOT_OUT_GROUP,
	 .not_in = NOT_IN_ADD, .expect = "a group id"},
	{.name = "in_port", .parse = fld_in_port, .slot = SLOT_IN_PORT, .expect = PORT_EXPECT},
	{.name = "dl_src", .parse = fld_mac, .slot = SLOT_DL_SRC, .expect = MAC_EXPECT},
	{.name = "eth_src", .parse = fld_mac, .slot = SLOT_DL_SRC, .expect = MAC_EXPECT},
	{.name = "dl_dst", .parse = fld_mac, .slot = SLOT_DL_DST, .dst = 1, .expect = MAC_EXPECT},
	{.name = "eth_dst", .parse = fld_mac, .slot = SLOT_DL_DST, .dst = 1, .expect = MAC_EXPECT},
	{.name = "dl_type", .parse = fld_dl_type, .slot = SLOT_DL_TYPE,
	 .expect = "an Ethertype from 0 to 0xffff (like 0x0800)"},
	{.name = "eth_type", .parse = fld_dl_type, .slot = SLOT_DL_TYPE,
	 .expect = "an Ethertype from 0 to 0xffff (like 0x0800)"},
	{.name = "dl_vlan", .parse = fld_vlan, .slot = SLOT_VLAN,
	 .expect = "a VLAN ID from 0 to 4095 (or 0xffff for frames without a tag)"},
	{.name = "vlan_vid", .parse = fld_vlan_bits, .slot = SLOT_VLAN, .expect = VID_EXPECT},
	{.name = "vlan_tci", .parse = fld_vlan_bits, .slot = SLOT_VLAN, .dst = 1,
	 .expect = "a 16-bit 802.1Q TCI, 0x1000 set for a tagged frame, optionally /mask"},
	{.name = "dl_vlan_pcp", .parse = fld_vlan_pcp, .slot = SLOT_VLAN_PCP,
	 .expect = "a priority from 0 to 7"},
	{.name = "vlan_pcp", .parse = fld_vlan_pcp, .slot = SLOT_VLAN_PCP,
	 .expect = "a priority from 0 to 7"},
	{.name = "nw_src", .parse = fld_addr, .slot = SLOT_NW_SRC, .need = VS_NEED_IP_OR_ARP,
	 .expect = IPV4_EXPECT},
	{.name = "ip_src", .parse = fld_addr, .slot = SLOT_NW_SRC, .need = VS_NEED_IP,
	 .expect = IPV4_EXPECT},
	{.name = "ipv4_src", .parse = fld_addr, .slot = SLOT_NW_SRC, .need = VS_NEED_IP,
	 .expect = IPV4_EXPECT},
	{.name = "nw_dst", .parse = fld_addr, .slot = SLOT_NW_DST, .need = VS_NEED_IP_OR_ARP,
	 .dst = 1, .expect = IPV4_EXPECT},
	{.name = "ip_dst", .parse = fld_addr, .slot = SLOT_NW_DST, .need = VS_NEED_IP, .dst = 1,
	 .expect = IPV4_EXPECT},
	{.name = "ipv4_dst", .parse = fld_addr, .slot = SLOT_NW_DST, .need = VS_NEED_IP,
	 .dst = 1, .expect = IPV4_EXPECT},
	{.name = "arp_spa", .parse = fld_addr, .slot = SLOT_NW_SRC, .need = VS_NEED_ARP,
	 .expect = IPV4_EXPECT},
	{.name = "arp_tpa", .parse = fld_addr, .slot = SLOT_NW_DST, .need = VS_NEED_ARP,
	 .dst = 1, .expect = IPV4_EXPECT},
	{.name = "ipv6_src", .parse = fld_addr, .slot = SLOT_IPV6_SRC, .need = VS_NEED_IPV6,
	 .expect = IPV6_EXPECT},
	{.name = "ipv6_dst", .parse = fld_addr, .slot = SLOT_IPV6_DST, .need = VS_NEED_IPV6,
	 .dst = 1, .expect = IPV6_EXPECT},
	{.name = "nw_proto", .parse = fld_nw_proto, .slot = SLOT_NW_PROTO, .need = VS_NEED_L3,
	 .expect = "an IP protocol (or ARP opcode) from 0 to 255"},
	{.name = "ip_proto", .parse = fld_nw_proto, .slot = SLOT_NW_PROTO, .need = VS_NEED_IP_ANY,
	 .expect = "an IP protocol from 0 to 255"},
	{.name = "arp_op", .parse = fld_nw_proto, .slot = SLOT_NW_PROTO, .need = VS_NEED_ARP,
	 .expect = "an ARP opcode from 0 to 255 (1 request, 2 reply)"},
	{.name = "nw_tos", .parse = fld_tos, .slot = SLOT_NW_TOS, .need = VS_NEED_IP_ANY,
	 .expect = "a ToS from 0 to 255 with the 2 ECN bits clear (a multiple of 4)"},
	{.name = "ip_dscp", .parse = fld_dscp, .slot = SLOT_NW_TOS, .need = VS_NEED_IP_ANY,
	 .expect = "a DSCP from 0 to 63"},
	{.name = "nw_ecn", .parse = fld_ecn, .slot = SLOT_NW_ECN, .need = VS_NEED_IP_ANY,
	 .expect = "an ECN value from 0 to 3"},
	{.name = "ip_ecn", .parse = fld_ecn, .slot = SLOT_NW_ECN, .need = VS_NEED_IP_ANY,
	 .expect = "an ECN value from 0 to 3"},
	{.name = "nw_frag", .parse = fld_frag, .slot = SLOT_NW_FRAG, .need = VS_NEED_IP_ANY,
	 .expect = "one of no, yes, first, later, not_later"},
	{.name = "ip_frag", .parse = fld_frag, .slot = SLOT_NW_FRAG, .need = VS_NEED_IP_ANY,
	 .expect = "one of no, yes, first, later, not_later"},
	{.name = "tp_src", .parse = fld_tp, .slot = SLOT_TP_SRC, .need = VS_NEED_TCP_UDP,
	 .expect = TP_EXPECT},
	{.name = "tp_dst", .parse = fld_tp, .slot = SLOT_TP_DST, .need = VS_NEED_TCP_UDP,
	 .dst = 1, .expect = TP_EXPECT},
	{.name = "tcp_src", .parse = fld_tp, .slot = SLOT_TP_SRC, .need = VS_NEED_TCP,
	 .expect = TP_EXPECT},
	{.name = "tcp_dst", .parse = fld_tp, .slot = SLOT_TP_DST, .need = VS_NEED_TCP, .dst = 1,
	 .expect = TP_EXPECT},
	{.name = "udp_src", .parse = fld_tp, .slot = SLOT_TP_SRC, .need = VS_NEED_UDP,
	 .expect = TP_EXPECT},
	{.name = "udp_dst", .parse = fld_tp, .slot = SLOT_TP_DST, .need = VS_NEED_UDP, .dst = 1,
	 .expect = TP_EXPECT},
	{.name = "sctp_src", .parse = fld_tp, .slot = SLOT_TP_SRC, .need = VS_NEED_SCTP,
	 .expect = TP_EXPECT},
	{.name = "sctp_dst", .parse = fld_tp, .slot = SLOT_TP_DST, .need = VS_NEED_SCTP,
	 .dst = 1, .expect = TP_EXPECT},
	{.name = "icmp_type", .parse = fld_icmp, .slot = SLOT_TP_SRC, .need = VS_NEED_ICMP,
	 .expect = "an ICMP type from 0 to 255"},
	{.name = "icmp_code", .parse = fld_icmp, .slot = SLOT_TP_DST, .need = VS_NEED_ICMP,
	 .dst = 1, .expect = "an ICMP code from 0 to 255"},
	{.name = "icmpv4_type", .parse = fld_icmp, .slot = SLOT_TP_SRC, .need = VS_NEED_ICMP4,
	 .expect = "an ICMP type from 0 to 255"},
	{.name = "icmpv4_code", .parse = fld_icmp, .slot = SLOT_TP_DST, .need = VS_NEED_ICMP4,
	 .dst = 1, .expect = "an ICMP code from 0 to 255"},
	{.name = "icmpv6_type", .parse = fld_icmp, .slot = SLOT_TP_SRC, .need = VS_NEED_ICMP6,
	 .expect = "an ICMPv6 type from 0 to 255"},
	{.name = "icmpv6_code", .parse = fld_icmp, .slot = SLOT_TP_DST, .need = VS_NEED_ICMP6,
	 .dst = 1, .expect = "an ICMPv6 code from 0 to 255"},
	{.name = "metadata", .parse = fld_metadata, .slot = SLOT_METADATA,
	 .expect = "a 64-bit number, optionally /mask (like 0x10/0xf0)"},
};
/* clang-format on */

const struct field *
vs_parse_find_field(const char *key, size_t len)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(fields); i++)
		if (vs_flow_text_word_is(key, len, fields[i].name))
			return &fields[i];
	return NULL;
}

void
vs_parse_near_fields(struct vs_flow_near *n, const char *word, size_t len)
{
	const struct vs_flow_shorthand *sh;
	const struct vs_flow_flag *fl;
	unsigned int i;

	for (i = 0; i < RTE_DIM(fields); i++)
		vs_flow_near_try(n, word, len, fields[i].name);
	for (sh = vs_flow_shorthands; sh->name != NULL; sh++)
		vs_flow_near_try(n, word, len, sh->name);
	for (fl = vs_flow_flags; fl->name != NULL; fl++)
		vs_flow_near_try(n, word, len, fl->name);
	vs_flow_near_try(n, word, len, "actions");
}

/* Open vSwitch's fields and features that the switch does not have, by
 * the start of their name, with what to say. */
static const struct {
	const char *prefix;
	const char *what;
} unsupported[] = {
	{"tun_", "tunnel fields"},
	{"reg", "registers"},
	{"xreg", "registers"},
	{"xxreg", "registers"},
	{"ct_", "connection tracking fields"},
	{"conj_id", "conjunctive matches"},
	{"mpls", "MPLS fields"},
	{"nd_", "IPv6 neighbour discovery fields"},
	{"arp_sha", "ARP hardware addresses"},
	{"arp_tha", "ARP hardware addresses"},
	{"ipv6_label", "IPv6 flow labels"},
	{"tcp_flags", "TCP flag matches"},
	{"nw_ttl", "TTL matches (set it with mod_nw_ttl or dec_ttl)"},
	{"ip_ttl", "TTL matches (set it with mod_nw_ttl or dec_ttl)"},
	{"pkt_mark", "packet marks"},
	{"skb_priority", "packet priorities"},
	{"dp_hash", "datapath hashes"},
	{"recirc_id", "recirculation ids"},
	{"actset_output", "action set output matches"},
	{"packet_type", "packet types"},
	{"nsh_", "NSH fields"},
	{"importance", "flow importance (eviction)"},
	{"pbb_", "PBB fields"},
};

/* What the switch does match on, for an operator who asked for what it
 * does not. */
#define SUPPORTED_FIELDS                                                                     \
	"in_port, eth_src/dst, eth_type, vlan_vid, vlan_pcp, ip_src/dst, ipv6_src/dst, "     \
	"ip_proto, ip_dscp, ip_ecn, nw_frag, tcp/udp/sctp_src/dst, icmp_type/code, arp_op, " \
	"arp_spa/tpa, metadata"

static int
unknown_word(struct parser *p, const char *key, size_t len)
{
	struct vs_flow_near near = {0};
	unsigned int i;

	for (i = 0; i < RTE_DIM(unsupported); i++)
		if (len >= strlen(unsupported[i].prefix) &&
		    strncmp(key, unsupported[i].prefix, strlen(unsupported[i].prefix)) == 0)
			return vs_err_set(p->err, -EINVAL,
					  "%.*s at position %zu: %s are not supported by vswitch; "
					  "supported: %s",
					  vs_flow_text_show(len), key, p->pos, unsupported[i].what,
					  SUPPORTED_FIELDS);
	if (!isalpha((unsigned char)key[0]))
		return vs_err_set(p->err, -EINVAL,
				  "at position %zu: '%.*s' is not a field; a value and its mask "
				  "take no space (like nw_dst=10.0.0.0/8)",
				  p->pos, vs_flow_text_show(len), key);
	vs_parse_near_fields(&near, key, len);
	if (near.name != NULL)
		return vs_err_set(p->err, -EINVAL,
				  "at position %zu: unknown field '%.*s'; did you mean '%s'?",
				  p->pos, vs_flow_text_show(len), key, near.name);
	return vs_err_set(p->err, -EINVAL,
			  "at position %zu: unknown field '%.*s' (docs/flows.md lists the fields)",
			  p->pos, vs_flow_text_show(len), key);
}

int
vs_parse_bare_word(struct parser *p, const char *key, size_t len, bool has_value)
{
	const struct vs_flow_shorthand *sh;
	const struct vs_flow_flag *fl;
	int ret;

	for (fl = vs_flow_flags; fl->name != NULL; fl++) {
		if (!vs_flow_text_word_is(key, len, fl->name))
			continue;
		if (has_value || p->mode == VS_FLOW_PARSE_MATCH)
			return vs_err_set(p->err, -EINVAL,
					  "%s at position %zu: a flag of a rule to add or modify, "
					  "written alone (no value)",
					  fl->name, p->pos);
		p->spec->flags |= fl->bit;
		return 0;
	}
	for (sh = vs_flow_shorthands; sh->name != NULL; sh++) {
		if (!vs_flow_text_word_is(key, len, sh->name))
			continue;
		if (has_value)
			return vs_err_set(
				p->err, -EINVAL,
				"%s at position %zu: a shorthand takes no value; write just "
				"'%s'",
				sh->name, p->pos, sh->name);
		ret = vs_parse_set_dl_type(p, sh->dl_type);
		if (ret == 0 && sh->nw_proto >= 0)
			ret = vs_parse_set_nw_proto(p, (uint8_t)sh->nw_proto);
		return ret;
	}
	return unknown_word(p, key, len);
}
