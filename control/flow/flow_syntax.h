/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_syntax.h: the words of the flow syntax, shared by the parser
 * (flow_parse.c) and the formatter (flow_format.c), defined in flow_syntax.c:
 * field names, shorthands, actions, nw_frag values, what a field or an
 * action needs the match to say about the packet, and the stateless text
 * helpers (vs_flow_text_*) the parser reads values with. Internal to those
 * files; everyone else uses flow_parse.h. */
#ifndef VS_FLOW_SYNTAX_H
#define VS_FLOW_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "flow_parse.h"

/* What a field or an action needs the match to say about the packet. */
enum vs_flow_need {
	VS_NEED_NONE,
	VS_NEED_IP,        /* IPv4 only: the mod_nw_* actions rewrite IPv4 headers */
	VS_NEED_IP_OR_ARP, /* IPv4 addresses: IP's, or ARP's sender and target */
	VS_NEED_ARP,
	VS_NEED_IPV6,
	VS_NEED_IP_ANY,  /* IPv4 or IPv6 */
	VS_NEED_L3,      /* IPv4, IPv6 or ARP */
	VS_NEED_TCP_UDP, /* over IPv4 or IPv6 */
	VS_NEED_ICMP,    /* icmp or icmp6 */
};

/* For each need, what to tell an operator whose match lacks it. */
extern const char *const vs_flow_need_text[];

/* The match fields (and the rule's other key=value items), indexing
 * vs_flow_field_names and the parser's own table. */
enum vs_flow_field {
	VS_FLD_PRIORITY,
	VS_FLD_COOKIE,
	VS_FLD_TABLE,
	VS_FLD_IDLE_TIMEOUT,
	VS_FLD_HARD_TIMEOUT,
	VS_FLD_IN_PORT,
	VS_FLD_DL_SRC,
	VS_FLD_DL_DST,
	VS_FLD_DL_TYPE,
	VS_FLD_DL_VLAN,
	VS_FLD_DL_VLAN_PCP,
	VS_FLD_NW_SRC,
	VS_FLD_NW_DST,
	VS_FLD_ARP_SPA,
	VS_FLD_ARP_TPA,
	VS_FLD_IPV6_SRC,
	VS_FLD_IPV6_DST,
	VS_FLD_NW_PROTO,
	VS_FLD_NW_TOS,
	VS_FLD_IP_DSCP,
	VS_FLD_NW_FRAG,
	VS_FLD_TP_SRC,
	VS_FLD_TP_DST,
	VS_FLD_ICMP_TYPE,
	VS_FLD_ICMP_CODE,
	VS_FLD_MAX
};

extern const char *const vs_flow_field_names[VS_FLD_MAX];

/* Shorthands for dl_type and nw_proto; the formatter prints the first
 * entry that fits, so those with a protocol come first. The table ends
 * with a NULL name. */
struct vs_flow_shorthand {
	const char *name;
	uint16_t dl_type;
	int16_t nw_proto; /* -1: any */
};

extern const struct vs_flow_shorthand vs_flow_shorthands[];

/* nw_frag=NAME and the key and mask it stands for (VS_FRAG_*). The table
 * ends with a NULL name. */
struct vs_flow_frag {
	const char *name;
	uint8_t key;
	uint8_t mask;
};

extern const struct vs_flow_frag vs_flow_frags[];

/* What an action takes after its ':'. */
enum vs_flow_arg {
	VS_ARG_NONE,
	VS_ARG_PORT, /* port */
	VS_ARG_U8,   /* u8, decimal or hex up to 'max' */
	VS_ARG_U16,  /* u16, likewise */
	VS_ARG_TPID, /* u16: 0x8100 or 0x88a8 */
	VS_ARG_TOS,  /* u8: ECN bits clear */
	VS_ARG_MAC,  /* mac */
	VS_ARG_IPV4, /* u32, network order */
	VS_ARG_U32,  /* u32, decimal or hex up to 0xffffff00 (a group id) */
};

/* The actions; the table ends with a NULL name. */
struct vs_flow_act_def {
	const char *name;
	uint8_t type; /* enum vs_act_type */
	uint8_t arg;  /* enum vs_flow_arg */
	uint8_t need; /* enum vs_flow_need, on the match */
	uint16_t max;
	const char *expect; /* what a good argument looks like */
};

extern const struct vs_flow_act_def vs_flow_act_defs[];

/* The stateless text helpers; none keeps state or reports errors. */

/* A whole string that is a decimal or 0x-prefixed hex number <= max. */
bool vs_flow_text_parse_num(const char *s, uint64_t max, uint64_t *out);

/* A whole string xx:xx:xx:xx:xx:xx, two hex digits each, either case. */
bool vs_flow_text_parse_mac(const char *s, struct rte_ether_addr *mac);

/* Cuts "value/mask" at the '/'; the mask, or NULL if there is none. */
char *vs_flow_text_split_mask(char *val);

/* An AF_INET or AF_INET6 address with optional /prefix or /mask, stored masked. */
bool vs_flow_text_parse_addr(int af, char *val, uint8_t *addr, uint8_t *mask);

/* How much of an operator's text of 'len' characters an error repeats ("%.*s"). */
int vs_flow_text_show(size_t len);

/* Are the 'len' characters at 's' exactly 'word'? */
bool vs_flow_text_word_is(const char *s, size_t len, const char *word);

/* The first index from 'i' on that is not white space. */
size_t vs_flow_text_skip_space(const char *s, size_t i);

/* 'len' less the white space that ends the 'len' characters at 's'. */
size_t vs_flow_text_trim_len(const char *s, size_t len);

/* Where the value after the separator at 'sep' starts, before 'end'. */
const char *vs_flow_text_value_start(const char *sep, const char *end);

/* The action named by the 'len' characters at 'name', or NULL. */
const struct vs_flow_act_def *vs_flow_text_find_action(const char *name, size_t len);

/* The nw_frag value named 'name', or NULL. */
const struct vs_flow_frag *vs_flow_text_find_frag(const char *name);

static inline bool
vs_flow_is_dl_type(const struct vs_flow_match *m, uint16_t type)
{
	return m->mask.dl_type == UINT16_MAX && m->key.dl_type == type;
}

static inline bool
vs_flow_is_proto(const struct vs_flow_match *m, uint8_t proto)
{
	return m->mask.nw_proto == UINT8_MAX && m->key.nw_proto == proto;
}

/* Does the match say what 'need' asks for? */
static inline bool
vs_flow_need_met(const struct vs_flow_match *m, enum vs_flow_need need)
{
	bool ip = vs_flow_is_dl_type(m, RTE_ETHER_TYPE_IPV4);
	bool ip6 = vs_flow_is_dl_type(m, RTE_ETHER_TYPE_IPV6);
	bool arp = vs_flow_is_dl_type(m, RTE_ETHER_TYPE_ARP);

	switch (need) {
	case VS_NEED_NONE:
		return true;
	case VS_NEED_IP:
		return ip;
	case VS_NEED_IP_OR_ARP:
		return ip || arp;
	case VS_NEED_ARP:
		return arp;
	case VS_NEED_IPV6:
		return ip6;
	case VS_NEED_IP_ANY:
		return ip || ip6;
	case VS_NEED_L3:
		return ip || ip6 || arp;
	case VS_NEED_TCP_UDP:
		return (ip || ip6) &&
		       (vs_flow_is_proto(m, IPPROTO_TCP) || vs_flow_is_proto(m, IPPROTO_UDP));
	case VS_NEED_ICMP:
		return (ip && vs_flow_is_proto(m, IPPROTO_ICMP)) ||
		       (ip6 && vs_flow_is_proto(m, IPPROTO_ICMPV6));
	}
	return false;
}

/* The first 'plen' bits of a 'len'-byte mask set, the rest clear. */
static inline void
vs_flow_prefix_to_mask(uint8_t *mask, size_t len, unsigned int plen)
{
	size_t i;

	for (i = 0; i < len; i++) {
		mask[i] = plen >= 8 ? 0xff : (uint8_t)(0xff00 >> plen);
		plen = plen > 8 ? plen - 8 : 0;
	}
}

#endif
