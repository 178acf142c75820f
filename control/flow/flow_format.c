/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_format.c: a flow's match and actions back into the ovs-ofctl
 * text that control/flow/flow_parse.c reads, in one canonical form: shorthands
 * first, then fields in a fixed order, masks as /prefix where they are one.
 * parse(format(spec)) gives the same spec again (tests/fuzz/fuzz_flow.c).
 * The names come from the tables of flow_syntax.h, shared with the parser.
 * Output is snprintf-like: truncated to the buffer, the full length returned. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "flow_syntax.h"

/* snprintf into a buffer that may already be full: 'len' keeps counting
 * what would have been written. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void __attribute__((format(printf, 2, 3))) out_add(struct out *o, const char *fmt, ...)
{
	bool room = o->len < o->size;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room ? o->size - o->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static void
out_sep(struct out *o)
{
	if (o->len > 0)
		out_add(o, ",");
}

/* "NAME=", after a ',' unless it is the first item. */
static void
out_field(struct out *o, enum vs_flow_field f)
{
	out_sep(o);
	out_add(o, "%s=", vs_flow_field_names[f]);
}

static void
out_port(struct out *o, uint16_t id, vs_port_name_fn *name, void *ctx)
{
	const char *s = name != NULL ? name(ctx, id) : NULL;

	if (s != NULL)
		out_add(o, "%s", s);
	else
		out_add(o, "#%u", id); /* a port that no longer exists */
}

static void
out_mac(struct out *o, const struct rte_ether_addr *a)
{
	const uint8_t *b = a->addr_bytes;

	out_add(o, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
}

static bool
all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/* The prefix length of 'mask', or -1 if it is not a prefix. */
static int
mask_to_prefix(const uint8_t *mask, size_t len)
{
	uint8_t want[16];
	size_t i;
	int plen = 0;

	for (i = 0; i < len && mask[i] == 0xff; i++)
		plen += 8;
	if (i < len)
		plen += __builtin_clz((unsigned int)(uint8_t)~mask[i]) - 24;
	vs_flow_prefix_to_mask(want, len, plen);
	return memcmp(want, mask, len) == 0 ? plen : -1;
}

static void
format_proto(struct out *o, const struct vs_flow_match *m)
{
	const struct vs_flow_shorthand *sh;
	bool proto_done = false;

	for (sh = vs_flow_shorthands; sh->name != NULL; sh++)
		if (vs_flow_is_dl_type(m, sh->dl_type) &&
		    (sh->nw_proto < 0 || vs_flow_is_proto(m, (uint8_t)sh->nw_proto)))
			break;
	if (sh->name != NULL) {
		out_sep(o);
		out_add(o, "%s", sh->name);
		proto_done = sh->nw_proto >= 0;
	} else if (m->mask.dl_type != 0) {
		out_field(o, VS_FLD_DL_TYPE);
		out_add(o, "0x%04x", m->key.dl_type);
	}
	if (!proto_done && m->mask.nw_proto != 0) {
		out_field(o, VS_FLD_NW_PROTO);
		out_add(o, "%u", m->key.nw_proto);
	}
}

static void
format_vlan(struct out *o, const struct vs_flow_match *m)
{
	uint16_t k = m->key.vlan_tci, mk = m->mask.vlan_tci;

	if (mk & VS_VLAN_VID_MASK) {
		out_field(o, VS_FLD_DL_VLAN);
		out_add(o, "%u", k & VS_VLAN_VID_MASK);
	} else if ((mk & VS_VLAN_PRESENT) && !(k & VS_VLAN_PRESENT)) {
		out_field(o, VS_FLD_DL_VLAN);
		out_add(o, "0xffff");
	}
	if (mk & VS_VLAN_PCP_MASK) {
		out_field(o, VS_FLD_DL_VLAN_PCP);
		out_add(o, "%u", (k & VS_VLAN_PCP_MASK) >> 13);
	}
}

static void
format_mac(struct out *o, enum vs_flow_field f, const struct rte_ether_addr *k,
	   const struct rte_ether_addr *mk)
{
	static const struct rte_ether_addr ones = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

	if (all_zero(mk, sizeof(*mk)))
		return;
	out_field(o, f);
	out_mac(o, k);
	if (memcmp(mk, &ones, sizeof(ones)) != 0) {
		out_add(o, "/");
		out_mac(o, mk);
	}
}

static void
format_addr(struct out *o, enum vs_flow_field f, int af, const uint8_t *addr, const uint8_t *mask)
{
	size_t len = af == AF_INET ? 4 : 16;
	char s[INET6_ADDRSTRLEN];
	int plen;

	if (all_zero(mask, len))
		return;
	inet_ntop(af, addr, s, sizeof(s));
	out_field(o, f);
	out_add(o, "%s", s);
	plen = mask_to_prefix(mask, len);
	if (plen >= 0 && plen < (int)len * 8) {
		out_add(o, "/%d", plen);
	} else if (plen < 0) {
		inet_ntop(af, mask, s, sizeof(s));
		out_add(o, "/%s", s);
	}
}

/* nw_frag by the name of its key and mask. The parser makes no other
 * pair; one that came from elsewhere is printed as numbers, which the
 * parser refuses. */
static void
format_frag(struct out *o, const struct vs_flow_match *m)
{
	const struct vs_flow_frag *fr;

	if (m->mask.nw_frag == 0)
		return;
	for (fr = vs_flow_frags; fr->name != NULL; fr++)
		if (fr->key == m->key.nw_frag && fr->mask == m->mask.nw_frag)
			break;
	out_field(o, VS_FLD_NW_FRAG);
	if (fr->name != NULL)
		out_add(o, "%s", fr->name);
	else
		out_add(o, "0x%02x/0x%02x", m->key.nw_frag, m->mask.nw_frag);
}

static void
format_u16(struct out *o, enum vs_flow_field f, uint16_t v, uint16_t mask)
{
	if (mask == 0)
		return;
	out_field(o, f);
	out_add(o, "%u", v);
	if (mask != UINT16_MAX)
		out_add(o, "/0x%04x", mask);
}

/* The layer 3 and 4 fields; their names depend on dl_type and nw_proto. */
static void
format_l3_l4(struct out *o, const struct vs_flow_match *m)
{
	const struct vs_flow_key *k = &m->key, *mk = &m->mask;
	bool v6 = vs_flow_is_dl_type(m, RTE_ETHER_TYPE_IPV6);
	bool arp = vs_flow_is_dl_type(m, RTE_ETHER_TYPE_ARP);
	bool icmp = vs_flow_need_met(m, VS_NEED_ICMP);

	if (v6) {
		format_addr(o, VS_FLD_IPV6_SRC, AF_INET6, k->nw_src, mk->nw_src);
		format_addr(o, VS_FLD_IPV6_DST, AF_INET6, k->nw_dst, mk->nw_dst);
	} else {
		format_addr(o, arp ? VS_FLD_ARP_SPA : VS_FLD_NW_SRC, AF_INET, k->nw_src,
			    mk->nw_src);
		format_addr(o, arp ? VS_FLD_ARP_TPA : VS_FLD_NW_DST, AF_INET, k->nw_dst,
			    mk->nw_dst);
	}
	if (mk->nw_tos != 0) {
		out_field(o, VS_FLD_NW_TOS);
		out_add(o, "%u", k->nw_tos);
	}
	format_frag(o, m);
	format_u16(o, icmp ? VS_FLD_ICMP_TYPE : VS_FLD_TP_SRC, k->tp_src, mk->tp_src);
	format_u16(o, icmp ? VS_FLD_ICMP_CODE : VS_FLD_TP_DST, k->tp_dst, mk->tp_dst);
}

int
vs_flow_format_match(const struct vs_flow_match *m, vs_port_name_fn *name, void *ctx, char *buf,
		     size_t size)
{
	struct out o = {buf, size, 0};

	if (size > 0)
		buf[0] = '\0';
	if (m->mask.in_port != 0) {
		out_field(&o, VS_FLD_IN_PORT);
		out_port(&o, m->key.in_port, name, ctx);
	}
	format_proto(&o, m);
	format_vlan(&o, m);
	format_mac(&o, VS_FLD_DL_SRC, &m->key.dl_src, &m->mask.dl_src);
	format_mac(&o, VS_FLD_DL_DST, &m->key.dl_dst, &m->mask.dl_dst);
	format_l3_l4(&o, m);
	return (int)o.len;
}

static void
format_action(struct out *o, const struct vs_action *a, vs_port_name_fn *name, void *ctx)
{
	const struct vs_flow_act_def *d = vs_flow_act_defs;
	char s[INET_ADDRSTRLEN];

	while (d->name != NULL && d->type != a->type)
		d++;
	if (d->name == NULL) {
		out_add(o, "unknown_action_%u", a->type); /* refused if parsed back */
		return;
	}
	out_add(o, "%s%s", d->name, d->arg != VS_ARG_NONE ? ":" : "");
	switch (d->arg) {
	case VS_ARG_PORT:
		out_port(o, a->port, name, ctx);
		break;
	case VS_ARG_U8:
	case VS_ARG_TOS:
		out_add(o, "%u", a->u8);
		break;
	case VS_ARG_U16:
		out_add(o, "%u", a->u16);
		break;
	case VS_ARG_TPID:
		out_add(o, "0x%04x", a->u16);
		break;
	case VS_ARG_MAC:
		out_mac(o, &a->mac);
		break;
	case VS_ARG_IPV4:
		out_add(o, "%s", inet_ntop(AF_INET, &a->u32, s, sizeof(s)));
		break;
	case VS_ARG_U32:
		out_add(o, "%u", a->u32);
		break;
	}
}

int
vs_flow_format_actions(const struct vs_action *a, uint16_t n, vs_port_name_fn *name, void *ctx,
		       char *buf, size_t size)
{
	struct out o = {buf, size, 0};
	uint16_t i;

	if (size > 0)
		buf[0] = '\0';
	if (n == 0)
		out_add(&o, "drop");
	for (i = 0; i < n; i++) {
		if (i > 0)
			out_add(&o, ",");
		format_action(&o, &a[i], name, ctx);
	}
	return (int)o.len;
}
