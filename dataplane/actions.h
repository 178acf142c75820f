/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/actions.h: what a flow rule does with a packet, as a compact
 * list executed in order (OpenFlow semantics: an output sends the packet as
 * it is at that point; later modifications do not change what was sent). */
#ifndef VS_ACTIONS_H
#define VS_ACTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <rte_ether.h>

#include "dp.h"
#include "port.h"

#define VS_ACTIONS_MAX 32

enum vs_act_type {
	/* Actions that do not change the packet. */
	VS_ACT_OUTPUT,         /* port */
	VS_ACT_IN_PORT,        /* back out of the port it came in on */
	VS_ACT_NORMAL,         /* the learning bridge */
	VS_ACT_FLOOD,          /* every port of the bridge but the ingress one */
	VS_ACT_ALL,            /* OpenFlow ALL: the same set as FLOOD here (no port is excluded
			 * from flooding) */
	VS_ACT_DROP,           /* explicit: stop here (an empty list drops too) */
	VS_ACT_LOCAL,          /* the bridge's own port (OFPP_LOCAL), if it has one */
	VS_ACT_CONTROLLER,     /* u16: max_len to send (0xffff: whole packet); u8: reason
			    * (OFPR_*); u32, u64: the rule's table and cookie (the flow
			    * table stamps them, with VS_AF_TABLE_MISS); to the bridge's
			    * controllers as a packet-in */
	VS_ACT_GROUP,          /* u32: group id; u8, u64: the rule's table and cookie (stamped
			    * as for CONTROLLER, with VS_AF_TABLE_MISS): the packet-ins of
			    * its buckets' CONTROLLER actions carry them */
	VS_ACT_RESUBMIT,       /* u8: table; u16: in_port to look up with (VS_PORT_NONE: the
			    * packet's own): the table's actions run, then these go on */
	VS_ACT_GOTO_TABLE,     /* u8: table; the goto_table instruction, always last */
	VS_ACT_CLEAR_ACTIONS,  /* the clear_actions instruction: empties the action set */
	VS_ACT_WRITE_METADATA, /* u64 value, mask64: metadata = (metadata & ~mask) | value */
	/* Actions that change the packet (vs_act_modifies). */
	VS_ACT_SET_VLAN_VID, /* u16: VID; tags an untagged frame */
	VS_ACT_SET_VLAN_PCP, /* u8: PCP 0-7; tags an untagged frame */
	VS_ACT_STRIP_VLAN,   /* remove the outer tag, if any */
	VS_ACT_PUSH_VLAN,    /* u16: TPID (0x8100 or 0x88a8): a new outer tag, VID 0 */
	VS_ACT_SET_DL_SRC,   /* mac */
	VS_ACT_SET_DL_DST,   /* mac */
	VS_ACT_SET_NW_SRC,   /* u32: IPv4 address, network order */
	VS_ACT_SET_NW_DST,   /* u32: IPv4 address, network order */
	VS_ACT_SET_NW_TOS,   /* u8: DSCP << 2 (ECN bits kept) */
	VS_ACT_SET_NW_ECN,   /* u8: ECN 0-3 (DSCP kept) */
	VS_ACT_SET_NW_TTL,   /* u8: IPv4 TTL / IPv6 hop limit */
	VS_ACT_DEC_TTL,      /* IPv4 TTL / IPv6 hop limit - 1; 0 or 1 before: dropped, counted
			      * (ttl_exceeded), and a packet-in OFPR_INVALID_TTL with u32, u64:
			      * the rule's table and cookie (stamped) if a controller asked */
	VS_ACT_SET_IPV6_SRC, /* ip6 */
	VS_ACT_SET_IPV6_DST, /* ip6 */
	VS_ACT_SET_TP_SRC,   /* u16: TCP/UDP/SCTP port, host order */
	VS_ACT_SET_TP_DST,   /* u16: TCP/UDP/SCTP port, host order */
};

/* vs_action.flags */
#define VS_AF_WRITE \
	0x01 /* in the write_actions instruction: goes into the action set,
			  * run when the pipeline ends, not now */
/* output:CONTROLLER (reason ACTION) of a table-miss rule, priority 0 and
 * matching everything (OpenFlow 1.3.5, 5.4): its packet-ins say
 * OFPR_NO_MATCH, as Open vSwitch's do. */
#define VS_AF_TABLE_MISS 0x02
/* A CONTROLLER, GROUP or DEC_TTL action in a group bucket: a bucket
 * belongs to no rule, so its packet-ins carry the table and cookie of the rule whose
 * group action sent the packet into the group (struct vs_group_pmd), as
 * Open vSwitch's do. */
#define VS_AF_BUCKET 0x04

struct vs_action {
	uint8_t type; /* enum vs_act_type */
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint16_t port; /* VS_ACT_OUTPUT: port id (the switch's, not the OpenFlow number) */
	uint8_t flags; /* VS_AF_* */
	uint8_t pad;
	struct rte_ether_addr mac;
	union {
		uint8_t ip6[16];
		struct {
			uint64_t u64;
			uint64_t mask64;
		};
	};
};

/* What a list amounts to, so the flow stage can handle a run of packets
 * with the same rule at once in the common cases. */
enum vs_acts_kind {
	VS_ACTS_DROP,     /* no output */
	VS_ACTS_OUTPUT,   /* one output port, no modification */
	VS_ACTS_NORMAL,   /* the learning bridge alone */
	VS_ACTS_GENERAL,  /* anything else: packet by packet */
	VS_ACTS_PIPELINE, /* goto_table, resubmit, metadata or the action set:
			   * the pipeline walk (dataplane/pipeline_walk.c) */
};

struct vs_actions {
	uint16_t n;
	uint16_t last_mod; /* index of the last modifying action + 1, 0: none */
	uint8_t kind;      /* enum vs_acts_kind */
	uint16_t out_port; /* VS_ACTS_OUTPUT */
	struct vs_action a[];
};

/* Is this an instruction, or an action the pipeline walk runs (resubmit,
 * metadata, the action set)? */
static inline bool
vs_act_pipeline(const struct vs_action *a)
{
	return (a->flags & VS_AF_WRITE) || a->type == VS_ACT_RESUBMIT ||
	       a->type == VS_ACT_GOTO_TABLE || a->type == VS_ACT_CLEAR_ACTIONS ||
	       a->type == VS_ACT_WRITE_METADATA;
}

/* Does this action change the packet? */
static inline bool
vs_act_modifies(uint8_t type)
{
	return type >= VS_ACT_SET_VLAN_VID;
}

/* Control thread: the bytes a list of 'n' actions takes (a multiple of 8),
 * and filling it in from 'a'. */
static inline size_t
vs_actions_size(uint16_t n)
{
	return sizeof(struct vs_actions) + sizeof(struct vs_action) * n;
}

void vs_actions_init(struct vs_actions *x, const struct vs_action *a, uint16_t n);

struct vs_worker;
struct vs_port;
struct vs_flow_key;
struct rte_mbuf;

/* Where NORMAL outputs collect during a burst, to go through the learning
 * bridge together. */
struct vs_normal_batch {
	uint16_t n;
	struct rte_mbuf *pkts[VS_BURST];
};

/* PMD: run 'acts' on 'm', received on 'in'. 'k' is its key if extracted
 * (the header offsets are used and kept up to date), or NULL. Takes 'm':
 * it ends in tx buffers, in 'nb' (flushed through the bridge when full),
 * or dropped and counted. */
void vs_actions_execute(struct vs_worker *w, struct vs_port *in, const struct vs_actions *acts,
			struct rte_mbuf *m, struct vs_flow_key *k, struct vs_normal_batch *nb);

/* The same for a run of 'n' packets that hit one rule, in order: the
 * rule's output targets are resolved once for the run. The key of
 * 'pkts[i]' is keys[idx ? idx[i] : i], or 'keys' is NULL (extracted when
 * a rewrite needs one). */
void vs_actions_execute_run(struct vs_worker *w, struct vs_port *in, const struct vs_actions *acts,
			    struct rte_mbuf **pkts, struct vs_flow_key *keys, const uint16_t *idx,
			    uint16_t n, struct vs_normal_batch *nb);

/* PMD: one header rewrite on 'm' (its key 'k' kept up to date):
 * VS_DROP_MAX, or why 'm' is to be dropped (the caller drops it). */
enum vs_drop vs_act_modify(struct rte_mbuf *m, struct vs_flow_key *k, const struct vs_action *a);

/* PMD: a dec_ttl 'a' found a TTL of 0 or 1 in 'm' (which the caller then
 * drops): a copy to the controllers as a packet-in OFPR_INVALID_TTL, with
 * the rule's table and cookie, if one of them takes those (OpenFlow 1.3.5,
 * 5.12; vs_bridge.ttl_to_ctl). 'm' stays the caller's. */
void vs_act_invalid_ttl(struct vs_worker *w, struct vs_port *in, struct rte_mbuf *m,
			const struct vs_action *a, const struct vs_flow_key *k);

/* PMD: 'm' to the targets of one output action (output, in_port, normal,
 * flood, all, local, controller, group), sharing it among them; takes it.
 * 'k' is its key (a packet-in's metadata), or NULL. */
void vs_act_output(struct vs_worker *w, struct vs_port *in, const struct vs_action *a,
		   struct rte_mbuf *m, const struct vs_flow_key *k, struct vs_normal_batch *nb);

/* Send what 'nb' holds through the learning bridge. */
void vs_normal_flush(struct vs_worker *w, struct vs_port *in, struct vs_normal_batch *nb);

/* Add 'm' to the NORMAL batch, sending it through the bridge when full. */
static inline void
vs_normal_add(struct vs_worker *w, struct vs_port *in, struct vs_normal_batch *nb,
	      struct rte_mbuf *m)
{
	if (nb->n == VS_BURST)
		vs_normal_flush(w, in, nb);
	nb->pkts[nb->n++] = m;
}

/* The port an output action to 'id' on a packet from 'in' sends to, or
 * NULL and why not: OpenFlow never sends back out of the ingress port
 * (the in_port action does), and a port outside the bridge is being
 * removed. */
static inline struct vs_port *
vs_output_port(const struct vs_dp *dp, const struct vs_port *in, uint16_t id, enum vs_drop *why)
{
	struct vs_port *p = vs_dp_port(dp, id);

	if (likely(p != NULL && p != in && p->br == in->br))
		return p;
	*why = p == in ? VS_DROP_SAME_PORT : VS_DROP_NO_DEST;
	return NULL;
}

#endif
