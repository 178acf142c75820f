/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow_parse.c: flow rules as operators write them for ovs-ofctl
 * (add-flow, del-flows, dump-flows), parsed into a struct vs_flow_spec.
 * control/flow_format.c writes them back in one canonical form, from the
 * same tables of names (flow_syntax.h, defined here); parse(format(spec))
 * gives the same spec again, which tests/fuzz/fuzz_flow.c checks.
 *
 * The text is a comma-separated list of key=value items and shorthands
 * (ip, tcp, ...), with "actions=" last in ADD mode. Items may come in any
 * order: prerequisites (nw_dst needs ip or arp, tp_src needs tcp or udp)
 * are checked once the whole match is known. Every error names the item
 * and the 0-based offset of its first character in the text. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "flow_syntax.h"

#define VALUE_MAX 128          /* the longest value, an IPv6 address and mask, is 91 */
#define SHOW_MAX  ((size_t)48) /* how much of the operator's text an error repeats */

static const char *const need_text[] = {
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

/* One storage place in the spec. Fields that are two spellings of one place
 * (nw_src and arp_spa, nw_tos and ip_dscp, tp_src and icmp_type) share a
 * slot, so giving both is caught as giving the field twice. */
enum slot {
	SLOT_PRIORITY,
	SLOT_COOKIE,
	SLOT_TABLE,
	SLOT_IDLE,
	SLOT_HARD,
	SLOT_IN_PORT,
	SLOT_DL_SRC,
	SLOT_DL_DST,
	SLOT_DL_TYPE,
	SLOT_VLAN,
	SLOT_VLAN_PCP,
	SLOT_NW_SRC,
	SLOT_NW_DST,
	SLOT_IPV6_SRC,
	SLOT_IPV6_DST,
	SLOT_NW_PROTO,
	SLOT_NW_TOS,
	SLOT_NW_FRAG,
	SLOT_TP_SRC,
	SLOT_TP_DST,
	N_SLOTS
};

/* Which item set dl_type or nw_proto, to name both sides of a conflict. */
struct origin {
	size_t pos;
	size_t len; /* 0: not set yet */
};

struct field;

struct parser {
	const char *text;
	enum vs_flow_parse_mode mode;
	vs_port_lookup_fn *lookup;
	void *ctx;
	struct vs_flow_spec *spec;
	struct vs_err *err;
	size_t pos;        /* the current item's first character */
	size_t len;        /* and its length, trimmed */
	const char *value; /* its value, in 'text', for error messages */
	size_t value_len;
	const struct field *seen[N_SLOTS]; /* the item that set each slot */
	size_t seen_pos[N_SLOTS];
	struct origin dl_type_from, nw_proto_from;
	size_t drop_pos; /* SIZE_MAX: no "drop" action */
};

/* Parses the NUL-terminated copy 'val' of the current item's value. */
typedef int field_fn(struct parser *p, const struct field *f, char *val);

struct field {
	uint8_t id; /* enum vs_flow_field: its name */
	field_fn *parse;
	uint8_t slot;
	uint8_t need;
	uint8_t dst;        /* of a source/destination pair: 1 for the destination */
	bool add_only;      /* not in del-flows or dump-flows */
	const char *expect; /* what a good value looks like */
};

static const char *
field_name(const struct field *f)
{
	return vs_flow_field_names[f->id];
}

static unsigned int
hex_value(char c)
{
	return isdigit((unsigned char)c) ? (unsigned int)(c - '0')
					 : (unsigned int)(tolower((unsigned char)c) - 'a' + 10);
}

/* A whole string that is a decimal or 0x-prefixed hex number <= max. No
 * sign, space or octal: operators read "010" as ten. */
static bool
parse_num(const char *s, uint64_t max, uint64_t *out)
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

/* xx:xx:xx:xx:xx:xx, two hex digits each, either case. */
static bool
parse_mac(const char *s, struct rte_ether_addr *mac)
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
static char *
split_mask(char *val)
{
	char *slash = strchr(val, '/');

	if (slash == NULL)
		return NULL;
	*slash = '\0';
	return slash + 1;
}

/* An IPv4 (af AF_INET, 4 bytes) or IPv6 (16 bytes) address, optionally
 * with /prefix or /mask; the address is stored masked. */
static bool
parse_addr(int af, char *val, uint8_t *addr, uint8_t *mask)
{
	size_t len = af == AF_INET ? 4 : 16, i;
	char *m = split_mask(val);
	uint64_t plen;

	if (inet_pton(af, val, addr) != 1)
		return false;
	if (m == NULL) {
		memset(mask, 0xff, len);
	} else if (strchr(m, af == AF_INET ? '.' : ':') != NULL) {
		if (inet_pton(af, m, mask) != 1)
			return false;
	} else {
		if (!parse_num(m, len * 8, &plen))
			return false;
		vs_flow_prefix_to_mask(mask, len, plen);
	}
	for (i = 0; i < len; i++)
		addr[i] &= mask[i];
	return true;
}

/* How much of an operator's text of 'len' characters an error repeats. */
static int
show(size_t len)
{
	return (int)RTE_MIN(len, SHOW_MAX);
}

static int
bad_value(struct parser *p, const struct field *f)
{
	return vs_err_set(p->err, -EINVAL, "%s at position %zu: '%.*s' is not %s", field_name(f),
			  p->pos, show(p->value_len), p->value, f->expect);
}

static int
resolve_port(struct parser *p, const char *what, const char *name, uint16_t *id)
{
	int ret = p->lookup != NULL ? p->lookup(p->ctx, name) : -1;

	if (ret < 0 || ret > UINT16_MAX)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: no port '%.*s' on this bridge", what, p->pos,
				  show(strlen(name)), name);
	*id = (uint16_t)ret;
	return 0;
}

static int
contradiction(struct parser *p, const struct origin *o)
{
	return vs_err_set(
		p->err, -EINVAL,
		"'%.*s' at position %zu contradicts '%.*s' at position %zu: keep one of them",
		show(p->len), p->text + p->pos, p->pos, show(o->len), p->text + o->pos, o->pos);
}

/* dl_type and nw_proto may be set by several items (ip, tcp, dl_type=...)
 * as long as they agree. */
static int
set_dl_type(struct parser *p, uint16_t type)
{
	struct vs_flow_match *m = &p->spec->match;

	if (p->dl_type_from.len != 0 && m->key.dl_type != type)
		return contradiction(p, &p->dl_type_from);
	if (p->dl_type_from.len == 0)
		p->dl_type_from = (struct origin){p->pos, p->len};
	m->key.dl_type = type;
	m->mask.dl_type = UINT16_MAX;
	return 0;
}

static int
set_nw_proto(struct parser *p, uint8_t proto)
{
	struct vs_flow_match *m = &p->spec->match;

	if (p->nw_proto_from.len != 0 && m->key.nw_proto != proto)
		return contradiction(p, &p->nw_proto_from);
	if (p->nw_proto_from.len == 0)
		p->nw_proto_from = (struct origin){p->pos, p->len};
	m->key.nw_proto = proto;
	m->mask.nw_proto = UINT8_MAX;
	return 0;
}

static int
fld_priority(struct parser *p, const struct field *f, char *val)
{
	uint64_t v;

	if (!parse_num(val, UINT16_MAX, &v))
		return bad_value(p, f);
	p->spec->priority = (uint16_t)v;
	p->spec->has_priority = true;
	return 0;
}

static int
fld_cookie(struct parser *p, const struct field *f, char *val)
{
	char *m = split_mask(val);
	uint64_t v, mask = UINT64_MAX;

	if (m != NULL && p->mode == VS_FLOW_PARSE_ADD)
		return vs_err_set(p->err, -EINVAL,
				  "cookie at position %zu: a new flow takes cookie=VALUE; a mask "
				  "(cookie=VALUE/MASK) is for del-flows and dump-flows",
				  p->pos);
	if (!parse_num(val, UINT64_MAX, &v) || (m != NULL && !parse_num(m, UINT64_MAX, &mask)))
		return bad_value(p, f);
	p->spec->cookie = v & mask;
	p->spec->cookie_mask = mask;
	p->spec->has_cookie = true;
	return 0;
}

static int
fld_table(struct parser *p, const struct field *f, char *val)
{
	uint64_t v;

	return parse_num(val, 0, &v) ? 0 : bad_value(p, f);
}

static int
fld_timeout(struct parser *p, const struct field *f, char *val)
{
	uint64_t v;

	if (!parse_num(val, UINT16_MAX, &v))
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
	return resolve_port(p, field_name(f), val, &m->key.in_port);
}

static int
fld_mac(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	struct rte_ether_addr *k = f->dst ? &m->key.dl_dst : &m->key.dl_src;
	struct rte_ether_addr *mk = f->dst ? &m->mask.dl_dst : &m->mask.dl_src;
	char *ms = split_mask(val);
	unsigned int i;

	memset(mk, 0xff, sizeof(*mk));
	if (!parse_mac(val, k) || (ms != NULL && !parse_mac(ms, mk)))
		return bad_value(p, f);
	for (i = 0; i < RTE_ETHER_ADDR_LEN; i++)
		k->addr_bytes[i] &= mk->addr_bytes[i];
	return 0;
}

static int
fld_dl_type(struct parser *p, const struct field *f, char *val)
{
	uint64_t v;

	if (!parse_num(val, UINT16_MAX, &v))
		return bad_value(p, f);
	return set_dl_type(p, (uint16_t)v);
}

static int
no_tag_with_pcp(struct parser *p)
{
	return vs_err_set(p->err, -EINVAL,
			  "dl_vlan=0xffff (no tag) at position %zu and dl_vlan_pcp at position %zu "
			  "contradict: an untagged frame has no priority; keep one of them",
			  p->seen_pos[SLOT_VLAN], p->seen_pos[SLOT_VLAN_PCP]);
}

/* dl_vlan=0xffff is OpenFlow 1.0's "no 802.1Q tag": the presence bit clear. */
static int
fld_vlan(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	uint64_t v;

	if (!parse_num(val, UINT16_MAX, &v) || (v > VS_VLAN_VID_MASK && v != UINT16_MAX))
		return bad_value(p, f);
	if (v == UINT16_MAX) {
		if (p->seen[SLOT_VLAN_PCP] != NULL)
			return no_tag_with_pcp(p);
		m->mask.vlan_tci |= VS_VLAN_PRESENT;
		return 0;
	}
	m->key.vlan_tci |= (uint16_t)v | VS_VLAN_PRESENT;
	m->mask.vlan_tci |= VS_VLAN_VID_MASK | VS_VLAN_PRESENT;
	return 0;
}

static int
fld_vlan_pcp(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	uint64_t v;

	if (!parse_num(val, 7, &v))
		return bad_value(p, f);
	/* dl_vlan set the presence bit in the key unless it was 0xffff. */
	if (p->seen[SLOT_VLAN] != NULL && !(m->key.vlan_tci & VS_VLAN_PRESENT))
		return no_tag_with_pcp(p);
	m->key.vlan_tci |= (uint16_t)(v << 13) | VS_VLAN_PRESENT;
	m->mask.vlan_tci |= VS_VLAN_PCP_MASK | VS_VLAN_PRESENT;
	return 0;
}

static int
fld_addr(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	int af = f->need == VS_NEED_IPV6 ? AF_INET6 : AF_INET;

	if (!parse_addr(af, val, f->dst ? m->key.nw_dst : m->key.nw_src,
			f->dst ? m->mask.nw_dst : m->mask.nw_src))
		return bad_value(p, f);
	return 0;
}

static int
fld_nw_proto(struct parser *p, const struct field *f, char *val)
{
	uint64_t v;

	if (!parse_num(val, UINT8_MAX, &v))
		return bad_value(p, f);
	return set_nw_proto(p, (uint8_t)v);
}

/* nw_tos is the whole byte but the ECN bits, which a flow cannot match on;
 * ip_dscp is the same six bits, counted from the right. */
static int
fld_tos(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	uint64_t v;

	if (!parse_num(val, UINT8_MAX, &v) || (v & 3) != 0)
		return bad_value(p, f);
	m->key.nw_tos = (uint8_t)v;
	m->mask.nw_tos = 0xfc;
	return 0;
}

static int
fld_dscp(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	uint64_t v;

	if (!parse_num(val, 63, &v))
		return bad_value(p, f);
	m->key.nw_tos = (uint8_t)(v << 2);
	m->mask.nw_tos = 0xfc;
	return 0;
}

static int
fld_tp(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	char *ms = split_mask(val);
	uint64_t v, mask = UINT16_MAX;

	if (!parse_num(val, UINT16_MAX, &v) || (ms != NULL && !parse_num(ms, UINT16_MAX, &mask)))
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

	if (!parse_num(val, UINT8_MAX, &v))
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
	const struct vs_flow_frag *fr;

	for (fr = vs_flow_frags; fr->name != NULL; fr++)
		if (strcmp(val, fr->name) == 0)
			break;
	if (fr->name == NULL)
		return bad_value(p, f);
	m->key.nw_frag = fr->key;
	m->mask.nw_frag = fr->mask;
	return 0;
}

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

#define IPV4_EXPECT "an IPv4 address or prefix (like 10.1.0.0/16 or 10.1.0.0/255.255.0.0)"
#define IPV6_EXPECT "an IPv6 address or prefix (like 2001:db8::/32)"
#define MAC_EXPECT  "an Ethernet address like 52:54:00:12:34:56, optionally /ff:ff:ff:00:00:00"
#define TP_EXPECT   "a port from 0 to 65535, optionally /mask (like 0x0400/0xfc00)"

static const struct field fields[] = {
	{VS_FLD_PRIORITY, fld_priority, SLOT_PRIORITY, VS_NEED_NONE, 0, false,
	 "a number from 0 to 65535"},
	{VS_FLD_COOKIE, fld_cookie, SLOT_COOKIE, VS_NEED_NONE, 0, false,
	 "a 64-bit number like 0x1f (or 0x10/0xf0 to match some bits)"},
	{VS_FLD_TABLE, fld_table, SLOT_TABLE, VS_NEED_NONE, 0, false, "0 (the only table)"},
	{VS_FLD_IDLE_TIMEOUT, fld_timeout, SLOT_IDLE, VS_NEED_NONE, 0, true,
	 "seconds from 0 to 65535"},
	{VS_FLD_HARD_TIMEOUT, fld_timeout, SLOT_HARD, VS_NEED_NONE, 1, true,
	 "seconds from 0 to 65535"},
	{VS_FLD_IN_PORT, fld_in_port, SLOT_IN_PORT, VS_NEED_NONE, 0, false,
	 "a port of this bridge"},
	{VS_FLD_DL_SRC, fld_mac, SLOT_DL_SRC, VS_NEED_NONE, 0, false, MAC_EXPECT},
	{VS_FLD_DL_DST, fld_mac, SLOT_DL_DST, VS_NEED_NONE, 1, false, MAC_EXPECT},
	{VS_FLD_DL_TYPE, fld_dl_type, SLOT_DL_TYPE, VS_NEED_NONE, 0, false,
	 "an Ethertype from 0 to 0xffff (like 0x0800)"},
	{VS_FLD_DL_VLAN, fld_vlan, SLOT_VLAN, VS_NEED_NONE, 0, false,
	 "a VLAN ID from 0 to 4095 (or 0xffff for frames without a tag)"},
	{VS_FLD_DL_VLAN_PCP, fld_vlan_pcp, SLOT_VLAN_PCP, VS_NEED_NONE, 0, false,
	 "a priority from 0 to 7"},
	{VS_FLD_NW_SRC, fld_addr, SLOT_NW_SRC, VS_NEED_IP_OR_ARP, 0, false, IPV4_EXPECT},
	{VS_FLD_NW_DST, fld_addr, SLOT_NW_DST, VS_NEED_IP_OR_ARP, 1, false, IPV4_EXPECT},
	{VS_FLD_ARP_SPA, fld_addr, SLOT_NW_SRC, VS_NEED_ARP, 0, false, IPV4_EXPECT},
	{VS_FLD_ARP_TPA, fld_addr, SLOT_NW_DST, VS_NEED_ARP, 1, false, IPV4_EXPECT},
	{VS_FLD_IPV6_SRC, fld_addr, SLOT_IPV6_SRC, VS_NEED_IPV6, 0, false, IPV6_EXPECT},
	{VS_FLD_IPV6_DST, fld_addr, SLOT_IPV6_DST, VS_NEED_IPV6, 1, false, IPV6_EXPECT},
	{VS_FLD_NW_PROTO, fld_nw_proto, SLOT_NW_PROTO, VS_NEED_L3, 0, false,
	 "an IP protocol (or ARP opcode) from 0 to 255"},
	{VS_FLD_NW_TOS, fld_tos, SLOT_NW_TOS, VS_NEED_IP_ANY, 0, false,
	 "a ToS from 0 to 255 with the 2 ECN bits clear (a multiple of 4)"},
	{VS_FLD_IP_DSCP, fld_dscp, SLOT_NW_TOS, VS_NEED_IP_ANY, 0, false, "a DSCP from 0 to 63"},
	{VS_FLD_NW_FRAG, fld_frag, SLOT_NW_FRAG, VS_NEED_IP_ANY, 0, false,
	 "one of no, yes, first, later, not_later"},
	{VS_FLD_TP_SRC, fld_tp, SLOT_TP_SRC, VS_NEED_TCP_UDP, 0, false, TP_EXPECT},
	{VS_FLD_TP_DST, fld_tp, SLOT_TP_DST, VS_NEED_TCP_UDP, 1, false, TP_EXPECT},
	{VS_FLD_ICMP_TYPE, fld_icmp, SLOT_TP_SRC, VS_NEED_ICMP, 0, false,
	 "an ICMP type from 0 to 255"},
	{VS_FLD_ICMP_CODE, fld_icmp, SLOT_TP_DST, VS_NEED_ICMP, 1, false,
	 "an ICMP code from 0 to 255"},
};

const struct vs_flow_shorthand vs_flow_shorthands[] = {
	{"tcp", RTE_ETHER_TYPE_IPV4, IPPROTO_TCP},
	{"udp", RTE_ETHER_TYPE_IPV4, IPPROTO_UDP},
	{"icmp", RTE_ETHER_TYPE_IPV4, IPPROTO_ICMP},
	{"tcp6", RTE_ETHER_TYPE_IPV6, IPPROTO_TCP},
	{"udp6", RTE_ETHER_TYPE_IPV6, IPPROTO_UDP},
	{"icmp6", RTE_ETHER_TYPE_IPV6, IPPROTO_ICMPV6},
	{"ip", RTE_ETHER_TYPE_IPV4, -1},
	{"ipv6", RTE_ETHER_TYPE_IPV6, -1},
	{"arp", RTE_ETHER_TYPE_ARP, -1},
	{NULL, 0, 0},
};

/* As in OVS: 'first' is offset 0 with more fragments to come, 'later'
 * any other offset, 'not_later' a whole packet or a first fragment. */
const struct vs_flow_frag vs_flow_frags[] = {
	{"no", 0, VS_FRAG_ANY},
	{"yes", VS_FRAG_ANY, VS_FRAG_ANY},
	{"first", VS_FRAG_ANY, VS_FRAG_ANY | VS_FRAG_LATER},
	{"later", VS_FRAG_ANY | VS_FRAG_LATER, VS_FRAG_ANY | VS_FRAG_LATER},
	{"not_later", 0, VS_FRAG_LATER},
	{NULL, 0, 0},
};

static bool
word_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

static size_t
skip_space(const char *s, size_t i)
{
	while (isspace((unsigned char)s[i]))
		i++;
	return i;
}

static size_t
trim_len(const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	return len;
}

/* Where the value after the '=' or ':' at 'sep' starts, in an item that
 * ends (trimmed) at 'end'. */
static const char *
value_start(const char *sep, const char *end)
{
	const char *v = sep + 1;

	while (v < end && isspace((unsigned char)*v))
		v++;
	return v;
}

static int
parse_shorthand(struct parser *p, const char *key, size_t klen, bool has_value)
{
	const struct vs_flow_shorthand *sh;
	int ret;

	for (sh = vs_flow_shorthands; sh->name != NULL; sh++) {
		if (!word_is(key, klen, sh->name))
			continue;
		if (has_value)
			return vs_err_set(
				p->err, -EINVAL,
				"%s at position %zu: a shorthand takes no value; write just "
				"'%s'",
				sh->name, p->pos, sh->name);
		ret = set_dl_type(p, sh->dl_type);
		if (ret == 0 && sh->nw_proto >= 0)
			ret = set_nw_proto(p, (uint8_t)sh->nw_proto);
		return ret;
	}
	return vs_err_set(p->err, -EINVAL, "at position %zu: unknown field '%.*s'", p->pos,
			  show(klen), key);
}

static const struct field *
find_field(const char *key, size_t klen)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(fields); i++)
		if (word_is(key, klen, field_name(&fields[i])))
			return &fields[i];
	return NULL;
}

/* Each place in the spec is set by one item; a second one is refused
 * rather than silently overriding the first. */
static int
claim_slot(struct parser *p, const struct field *f)
{
	const struct field *prev = p->seen[f->slot];

	if (prev == f)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: given twice (first at position %zu)",
				  field_name(f), p->pos, p->seen_pos[f->slot]);
	if (prev != NULL)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: sets the same field as %s at position %zu; "
				  "keep one of them",
				  field_name(f), p->pos, field_name(prev), p->seen_pos[f->slot]);
	p->seen[f->slot] = f;
	p->seen_pos[f->slot] = p->pos;
	return 0;
}

/* The match item of 'len' characters at 'pos': FIELD=VALUE or a shorthand. */
static int
parse_item(struct parser *p, size_t pos, size_t len)
{
	const char *s = p->text + pos, *eq = memchr(s, '=', len);
	size_t klen = trim_len(s, eq != NULL ? (size_t)(eq - s) : len);
	const struct field *f = find_field(s, klen);
	char val[VALUE_MAX];
	int ret;

	p->pos = pos;
	p->len = len;
	if (klen == 0)
		return vs_err_set(p->err, -EINVAL,
				  "at position %zu: a field name must come before '='", pos);
	if (f == NULL)
		return parse_shorthand(p, s, klen, eq != NULL);
	p->value = eq != NULL ? value_start(eq, s + len) : s + len;
	p->value_len = (size_t)(s + len - p->value);
	if (p->value_len == 0)
		return vs_err_set(p->err, -EINVAL, "%s at position %zu: needs '=' and %s",
				  field_name(f), pos, f->expect);
	if (p->value_len >= VALUE_MAX)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: the value is longer than %d characters; "
				  "expected %s",
				  field_name(f), pos, VALUE_MAX - 1, f->expect);
	if (f->add_only && p->mode == VS_FLOW_PARSE_MATCH)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: del-flows and dump-flows take no %s",
				  field_name(f), pos, field_name(f));
	ret = claim_slot(p, f);
	if (ret < 0)
		return ret;
	memcpy(val, p->value, p->value_len);
	val[p->value_len] = '\0';
	return f->parse(p, f, val);
}

/* Prerequisites are checked when the whole match is known, so that
 * "nw_dst=10.0.0.0/8,ip" is as good as "ip,nw_dst=10.0.0.0/8". The
 * first offending item in the text is reported. */
static int
check_match_needs(struct parser *p)
{
	const struct field *bad = NULL;
	size_t pos = SIZE_MAX;
	unsigned int i;

	for (i = 0; i < N_SLOTS; i++) {
		if (p->seen[i] == NULL || p->seen_pos[i] >= pos)
			continue;
		if (!vs_flow_need_met(&p->spec->match, p->seen[i]->need)) {
			bad = p->seen[i];
			pos = p->seen_pos[i];
		}
	}
	if (bad == NULL)
		return 0;
	return vs_err_set(p->err, -EINVAL, "%s at position %zu needs %s", field_name(bad), pos,
			  need_text[bad->need]);
}

/* The match items, up to the end of the text or to "actions=". Sets
 * *actions to the offset of the action list, or 0 if there is none. */
static int
parse_items(struct parser *p, size_t *actions)
{
	const char *t = p->text;
	size_t i = skip_space(t, 0), end, klen;
	int ret;

	*actions = 0;
	if (t[i] == '\0')
		return 0; /* match everything */
	for (;;) {
		if (t[i] == ',' || t[i] == '\0')
			return vs_err_set(p->err, -EINVAL,
					  "at position %zu: an empty item; remove the extra ','",
					  i);
		klen = strcspn(t + i, "=,");
		if (word_is(t + i, trim_len(t + i, klen), "actions")) {
			if (t[i + klen] != '=')
				return vs_err_set(p->err, -EINVAL,
						  "actions at position %zu: needs '=' and a list, "
						  "like actions=output:nic0",
						  i);
			if (p->mode == VS_FLOW_PARSE_MATCH)
				return vs_err_set(
					p->err, -EINVAL,
					"actions at position %zu: del-flows and dump-flows "
					"take a match without actions",
					i);
			*actions = i + klen + 1;
			return 0;
		}
		end = i + strcspn(t + i, ",");
		ret = parse_item(p, i, trim_len(t + i, end - i));
		if (ret < 0)
			return ret;
		if (t[end] == '\0')
			return 0;
		i = skip_space(t, end + 1);
	}
}

const struct vs_flow_act_def vs_flow_act_defs[] = {
	{"output", VS_ACT_OUTPUT, VS_ARG_PORT, VS_NEED_NONE, 0, "a port name, like output:nic0"},
	{"normal", VS_ACT_NORMAL, VS_ARG_NONE, VS_NEED_NONE, 0, NULL},
	{"flood", VS_ACT_FLOOD, VS_ARG_NONE, VS_NEED_NONE, 0, NULL},
	{"in_port", VS_ACT_IN_PORT, VS_ARG_NONE, VS_NEED_NONE, 0, NULL},
	{"drop", VS_ACT_DROP, VS_ARG_NONE, VS_NEED_NONE, 0, NULL},
	{"mod_vlan_vid", VS_ACT_SET_VLAN_VID, VS_ARG_U16, VS_NEED_NONE, 4095,
	 "a VLAN ID from 0 to 4095"},
	{"mod_vlan_pcp", VS_ACT_SET_VLAN_PCP, VS_ARG_U8, VS_NEED_NONE, 7, "a priority from 0 to 7"},
	{"strip_vlan", VS_ACT_STRIP_VLAN, VS_ARG_NONE, VS_NEED_NONE, 0, NULL},
	{"push_vlan", VS_ACT_PUSH_VLAN, VS_ARG_TPID, VS_NEED_NONE, 0, "a TPID, 0x8100 or 0x88a8"},
	{"mod_dl_src", VS_ACT_SET_DL_SRC, VS_ARG_MAC, VS_NEED_NONE, 0,
	 "an Ethernet address like 52:54:00:12:34:56"},
	{"mod_dl_dst", VS_ACT_SET_DL_DST, VS_ARG_MAC, VS_NEED_NONE, 0,
	 "an Ethernet address like 52:54:00:12:34:56"},
	{"mod_nw_src", VS_ACT_SET_NW_SRC, VS_ARG_IPV4, VS_NEED_IP, 0,
	 "an IPv4 address like 10.0.0.1"},
	{"mod_nw_dst", VS_ACT_SET_NW_DST, VS_ARG_IPV4, VS_NEED_IP, 0,
	 "an IPv4 address like 10.0.0.1"},
	{"mod_nw_tos", VS_ACT_SET_NW_TOS, VS_ARG_TOS, VS_NEED_IP_ANY, 0,
	 "a ToS from 0 to 255 with the 2 ECN bits clear (a multiple of 4)"},
	{"mod_tp_src", VS_ACT_SET_TP_SRC, VS_ARG_U16, VS_NEED_TCP_UDP, UINT16_MAX,
	 "a port from 0 to 65535"},
	{"mod_tp_dst", VS_ACT_SET_TP_DST, VS_ARG_U16, VS_NEED_TCP_UDP, UINT16_MAX,
	 "a port from 0 to 65535"},
	{NULL, 0, 0, 0, 0, NULL},
};

static int
parse_act_arg(struct parser *p, const struct vs_flow_act_def *d, char *arg, struct vs_action *a)
{
	uint64_t v = 0;
	bool ok = false;

	switch (d->arg) {
	case VS_ARG_PORT:
		return resolve_port(p, d->name, arg, &a->port);
	case VS_ARG_U8:
	case VS_ARG_U16:
		ok = parse_num(arg, d->max, &v);
		break;
	case VS_ARG_TPID:
		ok = parse_num(arg, UINT16_MAX, &v) &&
		     (v == RTE_ETHER_TYPE_VLAN || v == RTE_ETHER_TYPE_QINQ);
		break;
	case VS_ARG_TOS:
		ok = parse_num(arg, UINT8_MAX, &v) && (v & 3) == 0;
		break;
	case VS_ARG_MAC:
		ok = parse_mac(arg, &a->mac);
		break;
	case VS_ARG_IPV4:
		ok = inet_pton(AF_INET, arg, &a->u32) == 1;
		break;
	}
	if (!ok)
		return vs_err_set(p->err, -EINVAL, "%s at position %zu: '%.*s' is not %s", d->name,
				  p->pos, show(strlen(arg)), arg, d->expect);
	if (d->arg == VS_ARG_U8 || d->arg == VS_ARG_TOS)
		a->u8 = (uint8_t)v;
	else if (d->arg == VS_ARG_U16 || d->arg == VS_ARG_TPID)
		a->u16 = (uint16_t)v;
	return 0;
}

static const struct vs_flow_act_def *
find_action(const char *name, size_t len)
{
	const struct vs_flow_act_def *d;

	for (d = vs_flow_act_defs; d->name != NULL; d++)
		if (word_is(name, len, d->name))
			return d;
	return NULL;
}

/* Room for one more action, or NULL with 'err' set. */
static struct vs_action *
new_action(struct parser *p)
{
	struct vs_flow_spec *s = p->spec;

	if (s->n_actions < VS_ACTIONS_MAX)
		return &s->actions[s->n_actions++];
	vs_err_set(p->err, -EINVAL, "at position %zu: more than %d actions", p->pos,
		   VS_ACTIONS_MAX);
	return NULL;
}

/* A bare word that is not an action keyword is an output port, as in
 * ovs-ofctl: "actions=nic0". */
static int
parse_bare_port(struct parser *p, const char *name, size_t len)
{
	struct vs_action *a;
	char buf[VALUE_MAX];
	int id = -1;

	if (len < VALUE_MAX) {
		memcpy(buf, name, len);
		buf[len] = '\0';
		id = p->lookup != NULL ? p->lookup(p->ctx, buf) : -1;
	}
	if (id < 0 || id > UINT16_MAX)
		return vs_err_set(
			p->err, -EINVAL,
			"at position %zu: '%.*s' is neither an action nor a port of this "
			"bridge (actions: output:PORT, normal, flood, in_port, drop, mod_*, "
			"strip_vlan, push_vlan)",
			p->pos, show(len), name);
	a = new_action(p);
	if (a == NULL)
		return -EINVAL;
	a->type = VS_ACT_OUTPUT;
	a->port = (uint16_t)id;
	return 0;
}

/* The action of 'len' characters at 'pos': NAME or NAME:ARG. */
static int
parse_action(struct parser *p, size_t pos, size_t len)
{
	const char *s = p->text + pos, *colon = memchr(s, ':', len), *v;
	size_t nlen = trim_len(s, colon != NULL ? (size_t)(colon - s) : len), vlen;
	const struct vs_flow_act_def *d = find_action(s, nlen);
	struct vs_action *a;
	char arg[VALUE_MAX];

	p->pos = pos;
	if (d == NULL && colon == NULL)
		return parse_bare_port(p, s, len);
	if (d == NULL)
		return vs_err_set(p->err, -EINVAL, "at position %zu: unknown action '%.*s'", pos,
				  show(nlen), s);
	if (d->arg == VS_ARG_NONE && colon != NULL)
		return vs_err_set(p->err, -EINVAL, "%s at position %zu: takes no argument", d->name,
				  pos);
	v = colon != NULL ? value_start(colon, s + len) : s + len;
	vlen = s + len - v;
	if (d->arg != VS_ARG_NONE && (vlen == 0 || vlen >= VALUE_MAX))
		return vs_err_set(p->err, -EINVAL, "%s at position %zu: needs ':' and %s", d->name,
				  pos, d->expect);
	if (!vs_flow_need_met(&p->spec->match, d->need))
		return vs_err_set(p->err, -EINVAL, "%s at position %zu needs %s", d->name, pos,
				  need_text[d->need]);
	if (d->type == VS_ACT_DROP) {
		p->drop_pos = pos; /* stored as the empty list */
		return 0;
	}
	a = new_action(p);
	if (a == NULL)
		return -EINVAL;
	a->type = d->type;
	if (d->arg == VS_ARG_NONE)
		return 0;
	memcpy(arg, v, vlen);
	arg[vlen] = '\0';
	return parse_act_arg(p, d, arg, a);
}

/* The comma-separated action list from offset 'start' to the end. */
static int
parse_actions(struct parser *p, size_t start)
{
	const char *t = p->text;
	size_t i = skip_space(t, start), end, n = 0;
	int ret;

	if (t[i] == '\0')
		return 0; /* "actions=" drops */
	for (;;) {
		if (t[i] == ',' || t[i] == '\0')
			return vs_err_set(p->err, -EINVAL,
					  "at position %zu: an empty action; remove the extra ','",
					  i);
		end = i + strcspn(t + i, ",");
		ret = parse_action(p, i, trim_len(t + i, end - i));
		if (ret < 0)
			return ret;
		n++;
		if (t[end] == '\0')
			break;
		i = skip_space(t, end + 1);
	}
	if (p->drop_pos != SIZE_MAX && n > 1)
		return vs_err_set(
			p->err, -EINVAL,
			"drop at position %zu: must be the only action (an empty list drops "
			"too)",
			p->drop_pos);
	return 0;
}

int
vs_flow_parse(const char *text, enum vs_flow_parse_mode mode, vs_port_lookup_fn *lookup, void *ctx,
	      struct vs_flow_spec *out, struct vs_err *err)
{
	struct parser p = {
		.text = text,
		.mode = mode,
		.lookup = lookup,
		.ctx = ctx,
		.spec = out,
		.err = err,
		.drop_pos = SIZE_MAX,
	};
	uint8_t *k = (uint8_t *)&out->match.key;
	const uint8_t *m = (const uint8_t *)&out->match.mask;
	size_t actions;
	unsigned int i;
	int ret;

	/* Zeroed whole, padding included, so that specs compare with memcmp. */
	memset(out, 0, sizeof(*out));
	out->priority = VS_FLOW_PRIORITY_DEFAULT;
	ret = parse_items(&p, &actions);
	if (ret < 0)
		return ret;
	if (mode == VS_FLOW_PARSE_ADD && actions == 0)
		return vs_err_set(err, -EINVAL,
				  "at position %zu (the end): a flow to add needs 'actions=' last "
				  "(like actions=normal, or actions=drop)",
				  strlen(text));
	ret = check_match_needs(&p);
	if (ret < 0)
		return ret;
	for (i = 0; i < sizeof(out->match.key); i++) /* each field did; make sure */
		k[i] &= m[i];
	return actions != 0 ? parse_actions(&p, actions) : 0;
}
