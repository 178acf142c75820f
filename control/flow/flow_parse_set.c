/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_parse_set.c: the actions that set a field,
 * set_field:VALUE->FIELD and load:VALUE->FIELD[] (the whole field), with the
 * fields the switch can set, their OVS, OpenFlow and NXM names, what each
 * needs the match to say, and the action each becomes (mod_dl_dst,
 * mod_nw_ttl, write_metadata...). A masked value is for metadata only; a
 * bit range, a register or a field the switch cannot set is refused,
 * naming the ones it can. Called by flow_parse_act.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "flow_parse_int.h"

/* What set_field (and load) can set: the field's names, the action it
 * becomes, what its value is, and what the match must say. */
enum sf_kind {
	SF_MAC,
	SF_IPV4,
	SF_IPV6,
	SF_NUM,
	SF_META
};

struct settable {
	const char *name;
	uint8_t type;
	uint8_t kind;
	uint8_t need;
	uint8_t shift; /* the value goes into the action shifted left */
	uint64_t max;
};

/* clang-format off */
static const struct settable settables[] = {
	{"eth_src", VS_ACT_SET_DL_SRC, SF_MAC, VS_NEED_NONE, 0, 0},
	{"dl_src", VS_ACT_SET_DL_SRC, SF_MAC, VS_NEED_NONE, 0, 0},
	{"eth_dst", VS_ACT_SET_DL_DST, SF_MAC, VS_NEED_NONE, 0, 0},
	{"dl_dst", VS_ACT_SET_DL_DST, SF_MAC, VS_NEED_NONE, 0, 0},
	{"vlan_vid", VS_ACT_SET_VLAN_VID, SF_NUM, VS_NEED_NONE, 0, 0x1fff},
	{"dl_vlan", VS_ACT_SET_VLAN_VID, SF_NUM, VS_NEED_NONE, 0, 4095},
	{"vlan_pcp", VS_ACT_SET_VLAN_PCP, SF_NUM, VS_NEED_NONE, 0, 7},
	{"dl_vlan_pcp", VS_ACT_SET_VLAN_PCP, SF_NUM, VS_NEED_NONE, 0, 7},
	{"ip_dscp", VS_ACT_SET_NW_TOS, SF_NUM, VS_NEED_IP_ANY, 2, 63},
	{"nw_tos", VS_ACT_SET_NW_TOS, SF_NUM, VS_NEED_IP_ANY, 0, 255},
	{"ip_ecn", VS_ACT_SET_NW_ECN, SF_NUM, VS_NEED_IP_ANY, 0, 3},
	{"nw_ecn", VS_ACT_SET_NW_ECN, SF_NUM, VS_NEED_IP_ANY, 0, 3},
	{"nw_ttl", VS_ACT_SET_NW_TTL, SF_NUM, VS_NEED_IP_ANY, 0, 255},
	{"ipv4_src", VS_ACT_SET_NW_SRC, SF_IPV4, VS_NEED_IP, 0, 0},
	{"ip_src", VS_ACT_SET_NW_SRC, SF_IPV4, VS_NEED_IP, 0, 0},
	{"nw_src", VS_ACT_SET_NW_SRC, SF_IPV4, VS_NEED_IP, 0, 0},
	{"ipv4_dst", VS_ACT_SET_NW_DST, SF_IPV4, VS_NEED_IP, 0, 0},
	{"ip_dst", VS_ACT_SET_NW_DST, SF_IPV4, VS_NEED_IP, 0, 0},
	{"nw_dst", VS_ACT_SET_NW_DST, SF_IPV4, VS_NEED_IP, 0, 0},
	{"ipv6_src", VS_ACT_SET_IPV6_SRC, SF_IPV6, VS_NEED_IPV6, 0, 0},
	{"ipv6_dst", VS_ACT_SET_IPV6_DST, SF_IPV6, VS_NEED_IPV6, 0, 0},
	{"tcp_src", VS_ACT_SET_TP_SRC, SF_NUM, VS_NEED_TCP, 0, 65535},
	{"tcp_dst", VS_ACT_SET_TP_DST, SF_NUM, VS_NEED_TCP, 0, 65535},
	{"udp_src", VS_ACT_SET_TP_SRC, SF_NUM, VS_NEED_UDP, 0, 65535},
	{"udp_dst", VS_ACT_SET_TP_DST, SF_NUM, VS_NEED_UDP, 0, 65535},
	{"sctp_src", VS_ACT_SET_TP_SRC, SF_NUM, VS_NEED_SCTP, 0, 65535},
	{"sctp_dst", VS_ACT_SET_TP_DST, SF_NUM, VS_NEED_SCTP, 0, 65535},
	{"tp_src", VS_ACT_SET_TP_SRC, SF_NUM, VS_NEED_TCP_UDP, 0, 65535},
	{"tp_dst", VS_ACT_SET_TP_DST, SF_NUM, VS_NEED_TCP_UDP, 0, 65535},
	{"metadata", VS_ACT_WRITE_METADATA, SF_META, VS_NEED_NONE, 0, 0},
};

/* load's NXM and OXM names for the same fields. */
static const struct { const char *nxm, *name; } nxm_names[] = {
	{"NXM_OF_ETH_SRC", "eth_src"}, {"NXM_OF_ETH_DST", "eth_dst"},
	{"OXM_OF_ETH_SRC", "eth_src"}, {"OXM_OF_ETH_DST", "eth_dst"},
	{"NXM_OF_IP_SRC", "ip_src"}, {"NXM_OF_IP_DST", "ip_dst"},
	{"OXM_OF_IPV4_SRC", "ip_src"}, {"OXM_OF_IPV4_DST", "ip_dst"},
	{"NXM_NX_IPV6_SRC", "ipv6_src"}, {"NXM_NX_IPV6_DST", "ipv6_dst"},
	{"NXM_OF_TCP_SRC", "tcp_src"}, {"NXM_OF_TCP_DST", "tcp_dst"},
	{"NXM_OF_UDP_SRC", "udp_src"}, {"NXM_OF_UDP_DST", "udp_dst"},
	{"NXM_NX_IP_TTL", "nw_ttl"}, {"NXM_NX_IP_ECN", "ip_ecn"},
	{"OXM_OF_VLAN_PCP", "vlan_pcp"}, {"OXM_OF_IP_DSCP", "ip_dscp"},
	{"OXM_OF_METADATA", "metadata"},
};
/* clang-format on */

#define SETTABLE                                                                                 \
	"eth_src/dst, vlan_vid, vlan_pcp, ip_dscp, ip_ecn, nw_ttl, ipv4_src/dst, ipv6_src/dst, " \
	"tcp/udp/sctp_src/dst, metadata"

static const struct settable *
find_settable(const char *name)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(settables); i++)
		if (strcmp(name, settables[i].name) == 0)
			return &settables[i];
	return NULL;
}

static int
not_settable(struct parser *p, const char *what, const char *field)
{
	struct vs_flow_near near = {0};
	unsigned int i;

	if (vs_parse_find_field(field, strlen(field)) != NULL)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: vswitch cannot set %s; settable: %s", what,
				  p->pos, field, SETTABLE);
	if (strncmp(field, "reg", 3) == 0 || strncmp(field, "xreg", 4) == 0 ||
	    strncmp(field, "NXM_NX_REG", 10) == 0)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: registers are not supported by vswitch; "
				  "settable: %s",
				  what, p->pos, SETTABLE);
	for (i = 0; i < RTE_DIM(settables); i++)
		vs_flow_near_try(&near, field, strlen(field), settables[i].name);
	return vs_err_set(p->err, -EINVAL,
			  "%s at position %zu: unknown field '%.*s'%s%s%s; settable: %s", what,
			  p->pos, vs_flow_text_show(strlen(field)), field,
			  near.name ? " (did you mean '" : "", near.name ? near.name : "",
			  near.name ? "'?)" : "", SETTABLE);
}

/* The value of a settable field, as text or (load's way) a number. */
static bool
settable_value(const struct settable *sf, char *val, struct vs_action *a)
{
	uint64_t v, mask;
	uint32_t be;
	int i;

	switch (sf->kind) {
	case SF_MAC:
		if (vs_flow_text_parse_mac(val, &a->mac))
			return true;
		if (!vs_flow_text_parse_num(val, (1ull << 48) - 1, &v))
			return false;
		for (i = RTE_ETHER_ADDR_LEN - 1; i >= 0; i--, v >>= 8)
			a->mac.addr_bytes[i] = (uint8_t)v;
		return true;
	case SF_IPV4:
		if (inet_pton(AF_INET, val, &a->u32) == 1)
			return true;
		if (!vs_flow_text_parse_num(val, UINT32_MAX, &v))
			return false;
		be = htonl((uint32_t)v);
		a->u32 = be;
		return true;
	case SF_IPV6:
		return inet_pton(AF_INET6, val, a->ip6) == 1;
	case SF_META:
		if (!vs_parse_u64_masked(val, &v, &mask))
			return false;
		a->u64 = v & mask;
		a->mask64 = mask;
		return true;
	}
	if (!vs_flow_text_parse_num(val, sf->max, &v))
		return false;
	if (sf->type == VS_ACT_SET_NW_TOS && sf->shift == 0 && (v & 3) != 0)
		return false;
	if (sf->type == VS_ACT_SET_VLAN_VID)
		a->u16 = (uint16_t)(v & VS_VLAN_VID_MASK); /* OFPVID_PRESENT or not */
	else if (sf->type == VS_ACT_SET_TP_SRC || sf->type == VS_ACT_SET_TP_DST)
		a->u16 = (uint16_t)v;
	else
		a->u8 = (uint8_t)(v << sf->shift);
	return true;
}

/* set_field:VALUE->FIELD, and load:VALUE->FIELD[] (the whole field only). */
static int
set_field(struct parser *p, const char *what, char *value, char *field)
{
	const struct settable *sf = find_settable(field);
	struct vs_action *a;
	int ret;

	if (sf == NULL)
		return not_settable(p, what, field);
	if (sf->kind != SF_META && strchr(value, '/') != NULL)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: a masked value (V/M) is supported for "
				  "metadata only",
				  what, p->pos);
	if (!vs_flow_need_met(&p->spec->match, sf->need))
		return vs_err_set(p->err, -EINVAL, "%s->%s at position %zu needs %s", what,
				  sf->name, p->pos, vs_flow_need_text[sf->need]);
	if (sf->kind == SF_META && p->in_write)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: metadata is not in the action set; write "
				  "write_metadata:V/M after write_actions(...)",
				  what, p->pos);
	if ((ret = vs_parse_check_stage(p, what, STAGE_APPLY)) < 0)
		return ret;
	if ((a = vs_parse_new_action(p, sf->type)) == NULL)
		return -EINVAL;
	if (!settable_value(sf, value, a))
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: '%.*s' is not a value of %s", what, p->pos,
				  vs_flow_text_show(strlen(value)), value, sf->name);
	return 0;
}

/* "VALUE->FIELD" cut at the arrow; NULL if there is none. */
static char *
split_arrow(char *arg)
{
	char *arrow = strstr(arg, "->");

	if (arrow == NULL)
		return NULL;
	*arrow = '\0';
	return arrow + 2;
}

int
vs_parse_set_field(struct parser *p, char *arg)
{
	char *field = split_arrow(arg);

	if (field == NULL || *arg == '\0' || *field == '\0')
		return vs_err_set(p->err, -EINVAL,
				  "set_field at position %zu: needs VALUE->FIELD, like "
				  "set_field:10.0.0.1->ip_dst",
				  p->pos);
	return set_field(p, "set_field", arg, field);
}

/* load:VALUE->FIELD[]: a set_field of the whole field; a bit range
 * (FIELD[0..15]) is not supported. */
int
vs_parse_load(struct parser *p, char *arg)
{
	char *field = split_arrow(arg), *br;
	unsigned int i;

	if (field == NULL || (br = strchr(field, '[')) == NULL)
		return vs_err_set(p->err, -EINVAL,
				  "load at position %zu: needs VALUE->FIELD[], like "
				  "load:0x1->OXM_OF_METADATA[]",
				  p->pos);
	if (strcmp(br, "[]") != 0)
		return vs_err_set(p->err, -EINVAL,
				  "load at position %zu: loading part of a field (%s) is not "
				  "supported by vswitch; load a whole field (FIELD[]) or use "
				  "set_field",
				  p->pos, br);
	*br = '\0';
	for (i = 0; i < RTE_DIM(nxm_names); i++)
		if (strcmp(field, nxm_names[i].nxm) == 0)
			field = (char *)(uintptr_t)nxm_names[i].name;
	return set_field(p, "load", arg, field);
}
