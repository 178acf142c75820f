/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_parse.c: flow rules as operators write them for ovs-ofctl
 * (add-flow, del-flows, dump-flows), parsed into a struct vs_flow_spec.
 * control/flow/flow_format.c writes them back in one canonical form, from the
 * same tables of names (flow_syntax.h, in flow_syntax.c); parse(format(spec))
 * gives the same spec again, which tests/fuzz/fuzz_flow.c checks.
 *
 * The text is a comma-separated list of key=value items and shorthands
 * (ip, tcp, ...), with "actions=" last in ADD mode. Items may come in any
 * order: prerequisites (nw_dst needs ip or arp, tp_src needs tcp or udp)
 * are checked once the whole match is known. Every error names the item
 * and the 0-based offset of its first character in the text. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "flow_syntax.h"

#define VALUE_MAX 128 /* the longest value, an IPv6 address and mask, is 91 */

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

static int
bad_value(struct parser *p, const struct field *f)
{
	return vs_err_set(p->err, -EINVAL, "%s at position %zu: '%.*s' is not %s", field_name(f),
			  p->pos, vs_flow_text_show(p->value_len), p->value, f->expect);
}

static int
resolve_port(struct parser *p, const char *what, const char *name, uint16_t *id)
{
	int ret = p->lookup != NULL ? p->lookup(p->ctx, name) : -1;

	if (ret < 0 || ret > UINT16_MAX)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: no port '%.*s' on this bridge", what, p->pos,
				  vs_flow_text_show(strlen(name)), name);
	*id = (uint16_t)ret;
	return 0;
}

static int
contradiction(struct parser *p, const struct origin *o)
{
	return vs_err_set(
		p->err, -EINVAL,
		"'%.*s' at position %zu contradicts '%.*s' at position %zu: keep one of them",
		vs_flow_text_show(p->len), p->text + p->pos, p->pos, vs_flow_text_show(o->len),
		p->text + o->pos, o->pos);
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

	if (!vs_flow_text_parse_num(val, UINT16_MAX, &v))
		return bad_value(p, f);
	p->spec->priority = (uint16_t)v;
	p->spec->has_priority = true;
	return 0;
}

static int
fld_cookie(struct parser *p, const struct field *f, char *val)
{
	char *m = vs_flow_text_split_mask(val);
	uint64_t v, mask = UINT64_MAX;

	if (m != NULL && p->mode == VS_FLOW_PARSE_ADD)
		return vs_err_set(p->err, -EINVAL,
				  "cookie at position %zu: a new flow takes cookie=VALUE; a mask "
				  "(cookie=VALUE/MASK) is for del-flows and dump-flows",
				  p->pos);
	if (!vs_flow_text_parse_num(val, UINT64_MAX, &v) ||
	    (m != NULL && !vs_flow_text_parse_num(m, UINT64_MAX, &mask)))
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

	return vs_flow_text_parse_num(val, 0, &v) ? 0 : bad_value(p, f);
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
	return resolve_port(p, field_name(f), val, &m->key.in_port);
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

	if (!vs_flow_text_parse_num(val, UINT16_MAX, &v) ||
	    (v > VS_VLAN_VID_MASK && v != UINT16_MAX))
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

	if (!vs_flow_text_parse_num(val, 7, &v))
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
	return set_nw_proto(p, (uint8_t)v);
}

/* nw_tos is the whole byte but the ECN bits, which a flow cannot match on;
 * ip_dscp is the same six bits, counted from the right. */
static int
fld_tos(struct parser *p, const struct field *f, char *val)
{
	struct vs_flow_match *m = &p->spec->match;
	uint64_t v;

	if (!vs_flow_text_parse_num(val, UINT8_MAX, &v) || (v & 3) != 0)
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

	if (!vs_flow_text_parse_num(val, 63, &v))
		return bad_value(p, f);
	m->key.nw_tos = (uint8_t)(v << 2);
	m->mask.nw_tos = 0xfc;
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

#define IPV4_EXPECT "an IPv4 address or prefix (like 10.1.0.0/16 or 10.1.0.0/255.255.0.0)"
#define IPV6_EXPECT "an IPv6 address or prefix (like 2001:db8::/32)"
#define MAC_EXPECT  "an Ethernet address like 52:54:00:12:34:56, optionally /ff:ff:ff:00:00:00"
#define TP_EXPECT   "a port from 0 to 65535, optionally /mask (like 0x0400/0xfc00)"

/* Members left out are 0: no need on the match, not a pair's destination,
 * allowed in every command. One entry per block, not one member per line. */
/* clang-format off */
static const struct field fields[] = {
	{.id = VS_FLD_PRIORITY, .parse = fld_priority, .slot = SLOT_PRIORITY,
	 .expect = "a number from 0 to 65535"},
	{.id = VS_FLD_COOKIE, .parse = fld_cookie, .slot = SLOT_COOKIE,
	 .expect = "a 64-bit number like 0x1f (or 0x10/0xf0 to match some bits)"},
	{.id = VS_FLD_TABLE, .parse = fld_table, .slot = SLOT_TABLE,
	 .expect = "0 (the only table)"},
	{.id = VS_FLD_IDLE_TIMEOUT, .parse = fld_timeout, .slot = SLOT_IDLE, .add_only = true,
	 .expect = "seconds from 0 to 65535"},
	{.id = VS_FLD_HARD_TIMEOUT, .parse = fld_timeout, .slot = SLOT_HARD, .dst = 1,
	 .add_only = true, .expect = "seconds from 0 to 65535"},
	{.id = VS_FLD_IN_PORT, .parse = fld_in_port, .slot = SLOT_IN_PORT,
	 .expect = "a port of this bridge"},
	{.id = VS_FLD_DL_SRC, .parse = fld_mac, .slot = SLOT_DL_SRC, .expect = MAC_EXPECT},
	{.id = VS_FLD_DL_DST, .parse = fld_mac, .slot = SLOT_DL_DST, .dst = 1,
	 .expect = MAC_EXPECT},
	{.id = VS_FLD_DL_TYPE, .parse = fld_dl_type, .slot = SLOT_DL_TYPE,
	 .expect = "an Ethertype from 0 to 0xffff (like 0x0800)"},
	{.id = VS_FLD_DL_VLAN, .parse = fld_vlan, .slot = SLOT_VLAN,
	 .expect = "a VLAN ID from 0 to 4095 (or 0xffff for frames without a tag)"},
	{.id = VS_FLD_DL_VLAN_PCP, .parse = fld_vlan_pcp, .slot = SLOT_VLAN_PCP,
	 .expect = "a priority from 0 to 7"},
	{.id = VS_FLD_NW_SRC, .parse = fld_addr, .slot = SLOT_NW_SRC, .need = VS_NEED_IP_OR_ARP,
	 .expect = IPV4_EXPECT},
	{.id = VS_FLD_NW_DST, .parse = fld_addr, .slot = SLOT_NW_DST, .need = VS_NEED_IP_OR_ARP,
	 .dst = 1, .expect = IPV4_EXPECT},
	{.id = VS_FLD_ARP_SPA, .parse = fld_addr, .slot = SLOT_NW_SRC, .need = VS_NEED_ARP,
	 .expect = IPV4_EXPECT},
	{.id = VS_FLD_ARP_TPA, .parse = fld_addr, .slot = SLOT_NW_DST, .need = VS_NEED_ARP,
	 .dst = 1, .expect = IPV4_EXPECT},
	{.id = VS_FLD_IPV6_SRC, .parse = fld_addr, .slot = SLOT_IPV6_SRC, .need = VS_NEED_IPV6,
	 .expect = IPV6_EXPECT},
	{.id = VS_FLD_IPV6_DST, .parse = fld_addr, .slot = SLOT_IPV6_DST, .need = VS_NEED_IPV6,
	 .dst = 1, .expect = IPV6_EXPECT},
	{.id = VS_FLD_NW_PROTO, .parse = fld_nw_proto, .slot = SLOT_NW_PROTO, .need = VS_NEED_L3,
	 .expect = "an IP protocol (or ARP opcode) from 0 to 255"},
	{.id = VS_FLD_NW_TOS, .parse = fld_tos, .slot = SLOT_NW_TOS, .need = VS_NEED_IP_ANY,
	 .expect = "a ToS from 0 to 255 with the 2 ECN bits clear (a multiple of 4)"},
	{.id = VS_FLD_IP_DSCP, .parse = fld_dscp, .slot = SLOT_NW_TOS, .need = VS_NEED_IP_ANY,
	 .expect = "a DSCP from 0 to 63"},
	{.id = VS_FLD_NW_FRAG, .parse = fld_frag, .slot = SLOT_NW_FRAG, .need = VS_NEED_IP_ANY,
	 .expect = "one of no, yes, first, later, not_later"},
	{.id = VS_FLD_TP_SRC, .parse = fld_tp, .slot = SLOT_TP_SRC, .need = VS_NEED_TCP_UDP,
	 .expect = TP_EXPECT},
	{.id = VS_FLD_TP_DST, .parse = fld_tp, .slot = SLOT_TP_DST, .need = VS_NEED_TCP_UDP,
	 .dst = 1, .expect = TP_EXPECT},
	{.id = VS_FLD_ICMP_TYPE, .parse = fld_icmp, .slot = SLOT_TP_SRC, .need = VS_NEED_ICMP,
	 .expect = "an ICMP type from 0 to 255"},
	{.id = VS_FLD_ICMP_CODE, .parse = fld_icmp, .slot = SLOT_TP_DST, .need = VS_NEED_ICMP,
	 .dst = 1, .expect = "an ICMP code from 0 to 255"},
};
/* clang-format on */

static int
parse_shorthand(struct parser *p, const char *key, size_t klen, bool has_value)
{
	const struct vs_flow_shorthand *sh;
	int ret;

	for (sh = vs_flow_shorthands; sh->name != NULL; sh++) {
		if (!vs_flow_text_word_is(key, klen, sh->name))
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
			  vs_flow_text_show(klen), key);
}

static const struct field *
find_field(const char *key, size_t klen)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(fields); i++)
		if (vs_flow_text_word_is(key, klen, field_name(&fields[i])))
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
	size_t klen = vs_flow_text_trim_len(s, eq != NULL ? (size_t)(eq - s) : len);
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
	p->value = eq != NULL ? vs_flow_text_value_start(eq, s + len) : s + len;
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
			  vs_flow_need_text[bad->need]);
}

/* The match items, up to the end of the text or to "actions=". Sets
 * *actions to the offset of the action list, or 0 if there is none. */
static int
parse_items(struct parser *p, size_t *actions)
{
	const char *t = p->text;
	size_t i = vs_flow_text_skip_space(t, 0), end, klen;
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
		if (vs_flow_text_word_is(t + i, vs_flow_text_trim_len(t + i, klen), "actions")) {
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
		ret = parse_item(p, i, vs_flow_text_trim_len(t + i, end - i));
		if (ret < 0)
			return ret;
		if (t[end] == '\0')
			return 0;
		i = vs_flow_text_skip_space(t, end + 1);
	}
}

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
		ok = vs_flow_text_parse_num(arg, d->max, &v);
		break;
	case VS_ARG_TPID:
		ok = vs_flow_text_parse_num(arg, UINT16_MAX, &v) &&
		     (v == RTE_ETHER_TYPE_VLAN || v == RTE_ETHER_TYPE_QINQ);
		break;
	case VS_ARG_TOS:
		ok = vs_flow_text_parse_num(arg, UINT8_MAX, &v) && (v & 3) == 0;
		break;
	case VS_ARG_MAC:
		ok = vs_flow_text_parse_mac(arg, &a->mac);
		break;
	case VS_ARG_IPV4:
		ok = inet_pton(AF_INET, arg, &a->u32) == 1;
		break;
	case VS_ARG_U32:
		ok = vs_flow_text_parse_num(arg, 0xffffff00, &v);
		a->u32 = (uint32_t)v;
		break;
	}
	if (!ok)
		return vs_err_set(p->err, -EINVAL, "%s at position %zu: '%.*s' is not %s", d->name,
				  p->pos, vs_flow_text_show(strlen(arg)), arg, d->expect);
	if (d->arg == VS_ARG_U8 || d->arg == VS_ARG_TOS)
		a->u8 = (uint8_t)v;
	else if (d->arg == VS_ARG_U16 || d->arg == VS_ARG_TPID)
		a->u16 = (uint16_t)v;
	return 0;
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
			p->pos, vs_flow_text_show(len), name);
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
	size_t nlen = vs_flow_text_trim_len(s, colon != NULL ? (size_t)(colon - s) : len), vlen;
	const struct vs_flow_act_def *d = vs_flow_text_find_action(s, nlen);
	struct vs_action *a;
	char arg[VALUE_MAX];

	p->pos = pos;
	if (d == NULL && colon == NULL)
		return parse_bare_port(p, s, len);
	if (d == NULL)
		return vs_err_set(p->err, -EINVAL, "at position %zu: unknown action '%.*s'", pos,
				  vs_flow_text_show(nlen), s);
	if (d->arg == VS_ARG_NONE && colon != NULL)
		return vs_err_set(p->err, -EINVAL, "%s at position %zu: takes no argument", d->name,
				  pos);
	v = colon != NULL ? vs_flow_text_value_start(colon, s + len) : s + len;
	vlen = s + len - v;
	if (d->arg != VS_ARG_NONE && (vlen == 0 || vlen >= VALUE_MAX))
		return vs_err_set(p->err, -EINVAL, "%s at position %zu: needs ':' and %s", d->name,
				  pos, d->expect);
	if (!vs_flow_need_met(&p->spec->match, d->need))
		return vs_err_set(p->err, -EINVAL, "%s at position %zu needs %s", d->name, pos,
				  vs_flow_need_text[d->need]);
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
	size_t i = vs_flow_text_skip_space(t, start), end, n = 0;
	int ret;

	if (t[i] == '\0')
		return 0; /* "actions=" drops */
	for (;;) {
		if (t[i] == ',' || t[i] == '\0')
			return vs_err_set(p->err, -EINVAL,
					  "at position %zu: an empty action; remove the extra ','",
					  i);
		end = i + strcspn(t + i, ",");
		ret = parse_action(p, i, vs_flow_text_trim_len(t + i, end - i));
		if (ret < 0)
			return ret;
		n++;
		if (t[end] == '\0')
			break;
		i = vs_flow_text_skip_space(t, end + 1);
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
