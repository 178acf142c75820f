/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/actions.c: a flow rule's actions on one packet.
 *
 * OpenFlow order: an output sends the packet as it is at that point. The
 * outputs before the last modification each get a copy; the ones after it
 * share the packet by reference count, as flooding does, so the common
 * lists (rewrite, then output) copy nothing. Header rewrites keep the
 * checksums right incrementally (RFC 1624), also for packets whose L4
 * checksum a guest left to offload: their checksum field holds the
 * pseudo-header sum, updated the other way round. */
#include <errno.h>

#include "actions.h"
#include "bridge.h"
#include "flowkey.h"
#include "group.h"
#include "l2.h"
#include "offload.h"
#include "pktin.h"
#include "worker.h"

#define ETH_IPV4  0x0800
#define ETH_IPV6  0x86dd
#define IP_TCP    6
#define IP_UDP    17
#define IP_ICMPV6 58

void
vs_actions_init(struct vs_actions *x, const struct vs_action *a, uint16_t n)
{
	uint16_t i, outputs = 0;
	bool pipeline = false;

	memset(x, 0, sizeof(*x));
	for (i = 0; i < n && a[i].type != VS_ACT_DROP; i++) {
		x->a[i] = a[i];
		if (vs_act_pipeline(&a[i]))
			pipeline = true;
		else if (vs_act_modifies(a[i].type))
			x->last_mod = (uint16_t)(i + 1);
		else
			outputs++;
	}
	x->n = i; /* nothing after a drop runs */
	if (pipeline)
		x->kind = VS_ACTS_PIPELINE;
	else if (outputs == 0)
		x->kind = VS_ACTS_DROP;
	else if (x->n == 1 && x->a[0].type == VS_ACT_OUTPUT)
		x->kind = VS_ACTS_OUTPUT;
	else if (x->n == 1 && x->a[0].type == VS_ACT_NORMAL)
		x->kind = VS_ACTS_NORMAL;
	else
		x->kind = VS_ACTS_GENERAL;
	if (x->kind == VS_ACTS_OUTPUT)
		x->out_port = x->a[0].port;
}

/* ---- header rewrites ---- */

static inline uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* The checksum at 'field' covered 'len' (even) bytes 'old' that are now
 * 'new'. 'partial': the field holds the uncomplemented pseudo-header sum
 * an offload will finish. 'udp': a computed 0 is sent as 0xffff. */
static void
csum_update(uint8_t *field, const uint8_t *old, const uint8_t *new, unsigned int len, bool partial,
	    bool udp)
{
	uint16_t hc = get16(field), r;
	uint32_t s = partial ? hc : (uint16_t)~hc;
	unsigned int i;

	for (i = 0; i < len; i += 2)
		s += (uint16_t)~get16(old + i) + (uint32_t)get16(new + i);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	r = partial ? (uint16_t)s : (uint16_t)~s;
	if (udp && !partial && r == 0)
		r = 0xffff;
	put16(field, r);
}

/* The L4 checksum field of the packet, or NULL when there is none to keep
 * right (not TCP/UDP, a later fragment, UDP over IPv4 without one). */
static uint8_t *
l4_csum(uint8_t *p, const struct vs_flow_key *k, bool *udp)
{
	uint8_t *f;

	if (k->l4_ofs == 0 || (k->nw_frag & VS_FRAG_LATER))
		return NULL;
	*udp = k->nw_proto == IP_UDP;
	if (k->nw_proto == IP_TCP)
		return p + k->l4_ofs + 16;
	if (k->nw_proto == IP_ICMPV6 && k->dl_type == ETH_IPV6)
		return p + k->l4_ofs + 2; /* over a pseudo-header, as TCP's */
	if (!*udp)
		return NULL;
	f = p + k->l4_ofs + 6;
	return k->dl_type == ETH_IPV4 && get16(f) == 0 ? NULL : f;
}

static bool
l4_partial(const struct rte_mbuf *m)
{
	return (m->ol_flags & (RTE_MBUF_F_TX_L4_MASK | RTE_MBUF_F_TX_TCP_SEG)) != 0;
}

static void
set_nw_addr(struct rte_mbuf *m, struct vs_flow_key *k, uint32_t be_addr, unsigned int at)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *), *ip, *f, old[4];
	bool udp;

	if (k->dl_type != ETH_IPV4 || k->l3_ofs == 0)
		return;
	ip = p + k->l3_ofs;
	memcpy(old, ip + at, 4);
	memcpy(ip + at, &be_addr, 4);
	memcpy(at == 12 ? k->nw_src : k->nw_dst, &be_addr, 4);
	if (!(m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM))
		csum_update(ip + 10, old, ip + at, 4, false, false);
	f = l4_csum(p, k, &udp);
	if (f != NULL) /* the pseudo-header has the addresses */
		csum_update(f, old, ip + at, 4, l4_partial(m), udp);
}

/* The bits 'mask' of the IPv4 ToS / IPv6 traffic class set to 'v'. */
static void
set_nw_tos(struct rte_mbuf *m, struct vs_flow_key *k, uint8_t v, uint8_t mask)
{
	uint8_t *ip = rte_pktmbuf_mtod(m, uint8_t *) + k->l3_ofs, old[2], tc;

	if (k->l3_ofs == 0)
		return;
	tc = (uint8_t)((v & mask) | (k->nw_tos & ~mask));
	k->nw_tos = tc;
	if (k->dl_type == ETH_IPV6) {
		ip[0] = (uint8_t)((ip[0] & 0xf0) | tc >> 4);
		ip[1] = (uint8_t)((tc & 0x0f) << 4 | (ip[1] & 0x0f));
		return;
	}
	memcpy(old, ip, 2);
	ip[1] = tc;
	if (!(m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM))
		csum_update(ip + 10, old, ip, 2, false, false);
}

/* IPv4 TTL / IPv6 hop limit: 'dec' takes one off, else it becomes 'v'.
 * A TTL that would reach 0 drops the packet (OpenFlow's dec_nw_ttl; OVS
 * sends it to the controller only if asked, this switch counts it). A
 * packet that is not IP is left alone. */
static enum vs_drop
set_ttl(struct rte_mbuf *m, struct vs_flow_key *k, bool dec, uint8_t v)
{
	uint8_t *ip = rte_pktmbuf_mtod(m, uint8_t *) + k->l3_ofs, old[2];
	uint8_t *ttl;

	if (k->l3_ofs == 0)
		return VS_DROP_MAX;
	ttl = k->dl_type == ETH_IPV6 ? ip + 7 : ip + 8;
	if (dec && *ttl <= 1)
		return VS_DROP_TTL_EXCEEDED;
	if (k->dl_type == ETH_IPV6) {
		*ttl = dec ? (uint8_t)(*ttl - 1) : v;
		return VS_DROP_MAX;
	}
	memcpy(old, ip + 8, 2);
	*ttl = dec ? (uint8_t)(*ttl - 1) : v;
	if (!(m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM))
		csum_update(ip + 10, old, ip + 8, 2, false, false);
	return VS_DROP_MAX;
}

/* An IPv6 source (at 8) or destination (at 24) address; the TCP, UDP and
 * ICMPv6 checksums cover it through their pseudo-header. */
static void
set_ipv6_addr(struct rte_mbuf *m, struct vs_flow_key *k, const uint8_t *addr, unsigned int at)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *), *ip, *f, old[16];
	bool udp;

	if (k->dl_type != ETH_IPV6 || k->l3_ofs == 0)
		return;
	ip = p + k->l3_ofs;
	memcpy(old, ip + at, 16);
	memcpy(ip + at, addr, 16);
	memcpy(at == 8 ? k->nw_src : k->nw_dst, addr, 16);
	f = l4_csum(p, k, &udp);
	if (f != NULL)
		csum_update(f, old, ip + at, 16, l4_partial(m), udp);
}

static void
set_tp(struct rte_mbuf *m, struct vs_flow_key *k, uint16_t port, unsigned int at)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *), *l4, *f, old[2];
	bool udp;

	if ((k->nw_proto != IP_TCP && k->nw_proto != IP_UDP) || k->l4_ofs == 0 ||
	    (k->nw_frag & VS_FRAG_LATER))
		return;
	f = l4_csum(p, k, &udp);
	l4 = p + k->l4_ofs;

	memcpy(old, l4 + at, 2);
	put16(l4 + at, port);
	if (at == 0)
		k->tp_src = port;
	else
		k->tp_dst = port;
	/* Ports are not in the pseudo-header: an offloaded checksum is
	 * computed over the new ones anyway. */
	if (f != NULL && !l4_partial(m))
		csum_update(f, old, l4 + at, 2, false, udp);
}

static void
shift_l3(struct rte_mbuf *m, struct vs_flow_key *k, int by)
{
	if (k->l3_ofs)
		k->l3_ofs = (uint16_t)(k->l3_ofs + by);
	if (k->l4_ofs)
		k->l4_ofs = (uint16_t)(k->l4_ofs + by);
	if (m->ol_flags & VS_TX_OFFLOAD_FLAGS)
		m->l2_len = (uint64_t)((int)m->l2_len + by) & 0x7f;
}

/* A new outer tag, copying the TCI of the current outer tag if any. */
static int
push_vlan(struct rte_mbuf *m, struct vs_flow_key *k, uint16_t tpid)
{
	uint16_t tci = k->vlan_tci & (uint16_t)~VS_VLAN_PRESENT;
	uint8_t *p = (uint8_t *)rte_pktmbuf_prepend(m, 4);

	if (p == NULL)
		return -ENOBUFS; /* no headroom */
	memmove(p, p + 4, 12);
	put16(p + 12, tpid);
	put16(p + 14, tci);
	k->vlan_tci = tci | VS_VLAN_PRESENT;
	shift_l3(m, k, 4);
	return 0;
}

static void
strip_vlan(struct rte_mbuf *m, struct vs_flow_key *k)
{
	uint8_t *p;
	uint16_t t;

	if (!(k->vlan_tci & VS_VLAN_PRESENT))
		return;
	p = rte_pktmbuf_mtod(m, uint8_t *);
	memmove(p + 4, p, 12);
	p = (uint8_t *)rte_pktmbuf_adj(m, 4);
	shift_l3(m, k, -4);
	/* An inner tag becomes the outer one. */
	t = get16(p + 12);
	k->vlan_tci = 0;
	if ((t == 0x8100 || t == 0x88a8) && rte_pktmbuf_data_len(m) >= 18)
		k->vlan_tci = (uint16_t)(get16(p + 14) | VS_VLAN_PRESENT);
}

/* Set the TCI bits in 'mask' to 'v', tagging an untagged frame first. */
static int
set_tci(struct rte_mbuf *m, struct vs_flow_key *k, uint16_t mask, uint16_t v)
{
	uint8_t *p;
	uint16_t tci;
	int ret;

	if (!(k->vlan_tci & VS_VLAN_PRESENT) && (ret = push_vlan(m, k, 0x8100)) < 0)
		return ret;
	p = rte_pktmbuf_mtod(m, uint8_t *);
	tci = (uint16_t)((get16(p + 14) & ~mask) | (v & mask));
	put16(p + 14, tci);
	k->vlan_tci = (uint16_t)((tci & ~VS_VLAN_PRESENT) | VS_VLAN_PRESENT);
	return 0;
}

/* VS_DROP_MAX: done; else why the packet is to be dropped. */
static enum vs_drop
modify(struct rte_mbuf *m, struct vs_flow_key *k, const struct vs_action *a)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);

	switch (a->type) {
	case VS_ACT_SET_VLAN_VID:
		return set_tci(m, k, VS_VLAN_VID_MASK, a->u16) < 0 ? VS_DROP_NO_MBUF : VS_DROP_MAX;
	case VS_ACT_SET_VLAN_PCP:
		return set_tci(m, k, VS_VLAN_PCP_MASK, (uint16_t)(a->u8 << 13)) < 0
			       ? VS_DROP_NO_MBUF
			       : VS_DROP_MAX;
	case VS_ACT_STRIP_VLAN:
		strip_vlan(m, k);
		break;
	case VS_ACT_PUSH_VLAN:
		return push_vlan(m, k, a->u16) < 0 ? VS_DROP_NO_MBUF : VS_DROP_MAX;
	case VS_ACT_SET_DL_SRC:
		memcpy(p + 6, &a->mac, 6);
		k->dl_src = a->mac;
		break;
	case VS_ACT_SET_DL_DST:
		memcpy(p, &a->mac, 6);
		k->dl_dst = a->mac;
		break;
	case VS_ACT_SET_NW_SRC:
		set_nw_addr(m, k, a->u32, 12);
		break;
	case VS_ACT_SET_NW_DST:
		set_nw_addr(m, k, a->u32, 16);
		break;
	case VS_ACT_SET_NW_TOS:
		set_nw_tos(m, k, a->u8, 0xfc);
		break;
	case VS_ACT_SET_NW_ECN:
		set_nw_tos(m, k, a->u8, 0x03);
		break;
	case VS_ACT_SET_NW_TTL:
		return set_ttl(m, k, false, a->u8);
	case VS_ACT_DEC_TTL:
		return set_ttl(m, k, true, 0);
	case VS_ACT_SET_IPV6_SRC:
		set_ipv6_addr(m, k, a->ip6, 8);
		break;
	case VS_ACT_SET_IPV6_DST:
		set_ipv6_addr(m, k, a->ip6, 24);
		break;
	case VS_ACT_SET_TP_SRC:
		set_tp(m, k, a->u16, 0);
		break;
	case VS_ACT_SET_TP_DST:
		set_tp(m, k, a->u16, 2);
		break;
	}
	return VS_DROP_MAX;
}

enum vs_drop
vs_act_modify(struct rte_mbuf *m, struct vs_flow_key *k, const struct vs_action *a)
{
	return modify(m, k, a);
}

/* ---- outputs ---- */

/* Where one output action before the last rewrite sends (its own copy),
 * or all those after it (the packet itself): 'n' ports from 'off' in the
 * plan's port list, and 'n_normal' times to the learning bridge. */
struct seg {
	uint16_t off;
	uint16_t n;
	uint16_t n_normal;
	uint8_t n_group;             /* group actions: run per packet (vs_group_execute) */
	uint8_t why;                 /* enum vs_drop, if nothing is sent */
	const struct vs_action *ctl; /* output:CONTROLLER (the last one), or NULL */
};

#define SEG_LAST VS_ACTIONS_MAX /* the outputs after the last rewrite */

/* The targets of a rule's outputs, resolved once for a run of packets
 * that hit it: they depend on the ports, the bridge's flood list and the
 * ingress port, never on the packet, and none of those changes during a
 * burst (RCU). One list of ports for all segments: a rule whose outputs
 * add up to more than VS_MAX_PORTS ports (several floods of a huge
 * bridge) loses the excess. */
struct plan {
	uint16_t used;
	struct seg seg[VS_ACTIONS_MAX + 1];
	struct vs_port *p[VS_MAX_PORTS];
};

static void
add_port(struct plan *pl, struct seg *s, struct vs_port *p)
{
	if (pl->used < VS_MAX_PORTS) {
		pl->p[pl->used++] = p;
		s->n++;
	}
}

static void
add_output(struct vs_worker *w, struct vs_port *in, const struct vs_action *a, struct plan *pl,
	   struct seg *s)
{
	enum vs_drop why;
	struct vs_port *p;
	uint16_t k;

	switch (a->type) {
	case VS_ACT_OUTPUT:
		p = vs_output_port(w->dp, in, a->port, &why);
		if (p != NULL)
			add_port(pl, s, p);
		else
			s->why = (uint8_t)why;
		break;
	case VS_ACT_IN_PORT:
		add_port(pl, s, in);
		break;
	case VS_ACT_LOCAL: /* the bridge has no local port (yet): nowhere to go */
		s->why = VS_DROP_NO_DEST;
		break;
	case VS_ACT_FLOOD:
	case VS_ACT_ALL:
		s->why = VS_DROP_NO_DEST;
		k = vs_l2_flood_ports(w, in, &pl->p[pl->used], (uint16_t)(VS_MAX_PORTS - pl->used));
		pl->used = (uint16_t)(pl->used + k);
		s->n = (uint16_t)(s->n + k);
		break;
	case VS_ACT_NORMAL:
		s->n_normal++;
		break;
	case VS_ACT_GROUP:
		s->n_group++;
		break;
	case VS_ACT_CONTROLLER:
		s->ctl = a;
		break;
	}
}

static void
seg_init(struct plan *pl, struct seg *s)
{
	*s = (struct seg){.off = pl->used, .why = VS_DROP_RULE_DROP};
}

/* Resolve every output of 'acts' for a packet from 'in'. */
static void
plan_build(struct vs_worker *w, struct vs_port *in, const struct vs_actions *acts, struct plan *pl)
{
	uint16_t i;

	pl->used = 0;
	for (i = 0; i < acts->last_mod; i++) {
		if (vs_act_modifies(acts->a[i].type))
			continue;
		seg_init(pl, &pl->seg[i]);
		add_output(w, in, &acts->a[i], pl, &pl->seg[i]);
	}
	seg_init(pl, &pl->seg[SEG_LAST]);
	for (; i < acts->n; i++)
		add_output(w, in, &acts->a[i], pl, &pl->seg[SEG_LAST]);
}

void
vs_normal_flush(struct vs_worker *w, struct vs_port *in, struct vs_normal_batch *nb)
{
	if (nb->n > 0)
		vs_l2_input(w, in, nb->pkts, nb->n);
	nb->n = 0;
}

/* Send 'm' to every target of 's', sharing it by reference count; its
 * group actions are acts->a[from, to). */
static void
deliver(struct vs_worker *w, struct vs_port *in, struct rte_mbuf *m, const struct plan *pl,
	const struct seg *s, struct vs_normal_batch *nb, const struct vs_actions *acts,
	uint16_t from, uint16_t to, const struct vs_flow_key *k)
{
	unsigned int total = s->n + s->n_normal + s->n_group;
	uint16_t j;

	if (s->ctl != NULL) {
		vs_pktin_send(w, in, m, s->ctl, k); /* a copy: 'm' stays ours */
		if (total == 0) {
			rte_pktmbuf_free(m); /* the controller has it: not a drop */
			return;
		}
	}
	if (total == 0) {
		vs_worker_drop(w, in, m, (enum vs_drop)s->why);
		return;
	}
	vs_mbuf_share(m, total);
	for (j = 0; j < s->n; j++)
		vs_worker_push(w, pl->p[s->off + j], m);
	for (j = 0; j < s->n_normal; j++)
		vs_normal_add(w, in, nb, m);
	for (j = from; s->n_group && j < to; j++) {
		switch (acts->a[j].type) {
		case VS_ACT_GROUP:
			vs_group_execute(w, in, &acts->a[j], m, k, nb);
			break;
		}
	}
}

static void
execute_one(struct vs_worker *w, struct vs_port *in, const struct vs_actions *acts,
	    const struct plan *pl, struct rte_mbuf *m, struct vs_flow_key *k,
	    struct vs_normal_batch *nb)
{
	struct vs_flow_key local;
	struct rte_mbuf *copy;
	uint16_t i;

	if (k == NULL && acts->last_mod > 0) {
		vs_flowkey_extract_one(m, in->id, &local);
		k = &local;
	}
	for (i = 0; i < acts->last_mod; i++) {
		const struct vs_action *a = &acts->a[i];
		const struct seg *s = &pl->seg[i];

		if (vs_act_modifies(a->type)) {
			enum vs_drop why = modify(m, k, a);

			if (unlikely(why != VS_DROP_MAX)) {
				if (why == VS_DROP_TTL_EXCEEDED)
					vs_act_invalid_ttl(w, in, m, a, k);
				vs_worker_drop(w, in, m, why);
				return;
			}
			continue;
		}
		/* An output before a rewrite: it gets the packet as it is now. */
		if (s->n + s->n_normal + s->n_group == 0 && s->ctl == NULL)
			continue;
		copy = w->pool ? rte_pktmbuf_copy(m, w->pool, 0, UINT32_MAX) : NULL;
		if (unlikely(copy == NULL)) {
			vs_worker_count_drops(w, in, VS_DROP_NO_MBUF, 1);
			continue;
		}
		deliver(w, in, copy, pl, s, nb, acts, i, (uint16_t)(i + 1), k);
	}
	deliver(w, in, m, pl, &pl->seg[SEG_LAST], nb, acts, acts->last_mod, acts->n, k);
}

void
vs_actions_execute_run(struct vs_worker *w, struct vs_port *in, const struct vs_actions *acts,
		       struct rte_mbuf **pkts, struct vs_flow_key *keys, const uint16_t *idx,
		       uint16_t n, struct vs_normal_batch *nb)
{
	struct plan pl;
	uint16_t i;

	plan_build(w, in, acts, &pl);
	for (i = 0; i < n; i++)
		execute_one(w, in, acts, &pl, pkts[i],
			    keys != NULL ? &keys[idx != NULL ? idx[i] : i] : NULL, nb);
}

void
vs_actions_execute(struct vs_worker *w, struct vs_port *in, const struct vs_actions *acts,
		   struct rte_mbuf *m, struct vs_flow_key *k, struct vs_normal_batch *nb)
{
	vs_actions_execute_run(w, in, acts, &m, k, NULL, 1, nb);
}

void
vs_act_invalid_ttl(struct vs_worker *w, struct vs_port *in, struct rte_mbuf *m,
		   const struct vs_action *a, const struct vs_flow_key *k)
{
	struct vs_action c = {
		.type = VS_ACT_CONTROLLER,
		.u16 = 0xffff, /* the whole packet, as Open vSwitch sends it */
		.u8 = 2,       /* OFPR_INVALID_TTL */
		.u32 = a->u32,
		.u64 = a->u64,
		.flags = (uint8_t)(a->flags & VS_AF_BUCKET),
	};

	if (in->br != NULL && __atomic_load_n(&in->br->ttl_to_ctl, __ATOMIC_RELAXED))
		vs_pktin_send(w, in, m, &c, k);
}

void
vs_act_output(struct vs_worker *w, struct vs_port *in, const struct vs_action *a,
	      struct rte_mbuf *m, const struct vs_flow_key *k, struct vs_normal_batch *nb)
{
	struct plan pl;

	pl.used = 0;
	seg_init(&pl, &pl.seg[0]);
	if (a->type == VS_ACT_GROUP) { /* one group: its buckets decide */
		vs_group_execute(w, in, a, m, NULL, nb);
		return;
	}
	add_output(w, in, a, &pl, &pl.seg[0]);
	deliver(w, in, m, &pl, &pl.seg[0], nb, NULL, 0, 0, k);
}
