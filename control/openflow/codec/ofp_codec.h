/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/codec/ofp_codec.h: the OpenFlow 1.3 codec for rules: matches
 * (OXM), actions and instructions, and FLOW_MOD, to and from the switch's
 * own types (struct vs_flow_match, struct vs_action, struct vs_flow_spec).
 * Pure functions: no sockets, no switch state; the caller owns every
 * buffer. The channel's other messages are built and read by its own files
 * (../ofconn.c, ../ofp_handle.c, ...) on the layouts of ../ofp_chan.h.
 *
 * Decoding reads nothing past the length it is given, trusts no inner
 * length field, and returns 0 or a negative errno (-EINVAL, -EPROTO,
 * -ENOTSUP, -ENOMEM) with 'e' set to the OpenFlow error to answer with and
 * a sentence for logs.
 *
 * Port numbers: the wire carries OpenFlow numbers (uint32); the switch's
 * rules and actions carry port ids (uint16). struct vs_ofp_ports converts
 * both ways through the caller's callbacks; reserved numbers (OFPP_*) never
 * reach them.
 *
 * ofp_match.c: the match; ofp_actions.c: actions and instructions,
 * ofp_actions_enc.c: them back to the wire; ofp_flow_mod.c: FLOW_MOD;
 * ofp_group.c: GROUP_MOD and buckets; ofp_bundle_msg.c: the ONF bundle
 * messages; ofp_buf.c: the buffer and errors. */
#ifndef VS_OFP_CODEC_H
#define VS_OFP_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions.h"
#include "err.h"
#include "flow_parse.h"
#include "flowkey.h"
#include "group_ctl.h"
#include "ofp_wire.h"

/* ---- buffers and errors ------------------------------------------------- */

/* A growable byte buffer. Zero-initialise (or vs_ofpbuf_init), append,
 * vs_ofpbuf_free. */
struct vs_ofpbuf {
	uint8_t *data;
	size_t len, cap;
};

void vs_ofpbuf_init(struct vs_ofpbuf *b);
void vs_ofpbuf_free(struct vs_ofpbuf *b);
/* Forget the contents, keep the memory. */
void vs_ofpbuf_clear(struct vs_ofpbuf *b);
/* Append 'n' bytes (zeros if 'p' is NULL); their start, or NULL for -ENOMEM.
 * The pointer lives until the next append. */
uint8_t *vs_ofpbuf_put(struct vs_ofpbuf *b, const void *p, size_t n);

/* What a decoder refused, and how to answer: an OFPT_ERROR of (type, code).
 * For OFPET_EXPERIMENTER, exp_code and experimenter are set too (the ONF
 * bundle errors in 1.3). */
struct vs_ofperr {
	uint16_t type; /* OFPET_* */
	uint16_t code; /* OFPxxC_* */
	uint16_t exp_code;
	uint32_t experimenter;
	struct vs_err err; /* err.code: the negative errno returned, err.msg: why */
};

/* Set 'e' (if not NULL) and return 'rc' (a negative errno). */
int vs_ofperr_set(struct vs_ofperr *e, int rc, uint16_t type, uint16_t code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* The spec's name of an error, e.g. "OFPBMC_BAD_PREREQ" (for logs, tests). */
const char *vs_ofperr_name(uint16_t type, uint16_t code);

/* ---- ports -------------------------------------------------------------- */

/* OpenFlow number -> the switch's port id: 0, or -ENOENT (no such port). */
typedef int vs_ofp_port_fn(void *ctx, uint32_t ofport, uint16_t *port_id);
/* Port id -> OpenFlow number: 0, or -ENOENT. */
typedef int vs_ofp_ofport_fn(void *ctx, uint16_t port_id, uint32_t *ofport);

struct vs_ofp_ports {
	vs_ofp_port_fn *to_id;
	vs_ofp_ofport_fn *to_ofport;
	void *ctx;
};

/* ---- match (ofp_match.c) ------------------------------------------------ */

/* Decode the struct ofp_match at 'p' (at most 'avail' bytes; it takes its
 * length field rounded up to 8, which must fit): OXM TLVs into 'm' (key
 * masked), checking lengths (OFPBMC_BAD_LEN), duplicates (DUP_FIELD),
 * prerequisites (BAD_PREREQ, order-independent), masks on fields that take
 * none and masks the key cannot hold (BAD_MASK, BAD_WILDCARDS), values
 * outside their field or mask (BAD_VALUE), fields the switch does not have
 * (BAD_FIELD: in_phy_port, ipv6_flabel, ND, ARP sha/tha, MPLS, PBB,
 * tunnel_id, ipv6_exthdr, every NXM/experimenter field), in_port through
 * ports->to_id (an unknown port: BAD_VALUE). *used: the bytes consumed
 * (padding included). */
int vs_ofp_match_decode(const uint8_t *p, size_t avail, const struct vs_ofp_ports *ports,
			struct vs_flow_match *m, size_t *used, struct vs_ofperr *e);

/* Append 'm' as a struct ofp_match (OXM, padded to 8): in_port through
 * ports->to_ofport. 0, -ENOMEM, or -EINVAL if 'm' holds what OXM cannot say
 * (a port without a number, a partial mask of the ICMP or ARP fields...). */
int vs_ofp_match_encode(struct vs_ofpbuf *b, const struct vs_flow_match *m,
			const struct vs_ofp_ports *ports);

/* ---- actions and instructions (ofp_actions.c) --------------------------- */

/* Where an action list comes from: what it may contain. */
enum vs_ofp_acts_ctx {
	VS_OFP_ACTS_FLOW,       /* a flow_mod's instructions */
	VS_OFP_ACTS_PACKET_OUT, /* output:TABLE allowed */
	VS_OFP_ACTS_GROUP,      /* a group bucket */
};

/* What actions are decoded against. */
struct vs_ofp_acts_in {
	enum vs_ofp_acts_ctx ctx;
	const struct vs_ofp_ports *ports;
	uint8_t table_id;                  /* the rule's table: goto_table must go further */
	const struct vs_flow_match *match; /* the rule's, for set_field prerequisites
					    * (OFPBAC_MATCH_INCONSISTENT); NULL: unchecked */
};

/* Decode a list of actions (packet-out, bucket) of exactly 'len' bytes,
 * appending to a[*n] (at most VS_ACTIONS_MAX: OFPBAC_TOO_MANY) with
 * 'flags' (VS_AF_*) on each:
 *   output -> VS_ACT_OUTPUT (port id via ports->to_id, unknown:
 *     OFPBAC_BAD_OUT_PORT), IN_PORT/NORMAL/FLOOD/ALL/LOCAL -> their
 *     VS_ACT_*, CONTROLLER -> VS_ACT_CONTROLLER (u16 max_len, u8
 *     OFPR_ACTION), TABLE (packet-out only) -> VS_ACT_RESUBMIT table 0 from
 *     VS_PORT_NONE, ANY: BAD_OUT_PORT;
 *   group -> VS_ACT_GROUP; push_vlan (0x8100/0x88a8, else BAD_ARGUMENT);
 *   pop_vlan -> VS_ACT_STRIP_VLAN; set_nw_ttl, dec_nw_ttl;
 *   set_field (one OXM, no mask): eth_src/dst, vlan_vid (OFPVID_PRESENT
 *     required), vlan_pcp, ip_dscp, ip_ecn, ipv4_src/dst, ipv6_src/dst,
 *     tcp/udp/sctp src/dst, metadata (-> WRITE_METADATA, all ones);
 *     others: OFPBAC_BAD_SET_TYPE;
 *   Nicira resubmit / resubmit_table -> VS_ACT_RESUBMIT; Nicira controller
 *     (id 0, reasons no_match/action/invalid_ttl) -> VS_ACT_CONTROLLER;
 *   copy_ttl_in/out, set_queue, MPLS, PBB: OFPBAC_BAD_TYPE; other
 *   experimenters: BAD_EXPERIMENTER / BAD_EXP_TYPE; lengths: BAD_LEN. */
int vs_ofp_actions_decode(const uint8_t *p, size_t len, const struct vs_ofp_acts_in *in,
			  uint8_t flags, struct vs_action *a, uint16_t *n, struct vs_ofperr *e);

/* Decode instructions (exactly 'len' bytes) into one vs_action list in the
 * order the spec executes them, whatever their order on the wire:
 * apply-actions' actions, VS_ACT_CLEAR_ACTIONS, write-actions' actions
 * (VS_AF_WRITE on each), VS_ACT_WRITE_METADATA (u64 value & mask, mask64),
 * VS_ACT_GOTO_TABLE (u8, > in->table_id and < VS_TABLES, else
 * OFPBIC_BAD_TABLE_ID). An instruction twice: OFPBIC_UNSUP_INST; meter:
 * UNSUP_INST; unknown: UNKNOWN_INST; experimenter: BAD_EXPERIMENTER;
 * lengths: BAD_LEN. */
int vs_ofp_instructions_decode(const uint8_t *p, size_t len, const struct vs_ofp_acts_in *in,
			       struct vs_action *a, uint16_t *n, struct vs_ofperr *e);

/* ---- actions and instructions back to the wire (ofp_actions_enc.c) ----- */

/* Append 'n' actions as OpenFlow 1.3 actions, the inverse of
 * vs_ofp_actions_decode, against the same 'in' (ports through
 * ports->to_ofport; in->match names the protocol of set_field tcp/udp/sctp
 * ports; a packet-out's resubmit to table 0 is output:TABLE). Resubmit goes
 * as OVS sends it: Nicira NXAST_RESUBMIT_TABLE (experimenter 0x2320, subtype
 * 14, in_port 0xfff8 for the packet's own); controller with a reason other
 * than "action" as Nicira's controller action (subtype 20), which 1.3's
 * output:CONTROLLER cannot say. VS_ACT_DROP ends the list (the
 * actions after it never run; OpenFlow says drop by saying nothing).
 * -EINVAL (the buffer as it was) for what OpenFlow 1.3 cannot say: a
 * port without an OpenFlow number, set_nw_tos with ECN bits, a tcp/udp/sctp port rewrite whose
 * rule does not match one protocol (in a group bucket, which has no
 * match: TCP's field), a masked metadata write among the
 * actions, goto_table/clear_actions or a VS_AF_WRITE action here; -ENOMEM. */
int vs_ofp_actions_encode(struct vs_ofpbuf *b, const struct vs_action *a, uint16_t n,
			  const struct vs_ofp_acts_in *in);

/* Append a rule's action list as instructions, the inverse of
 * vs_ofp_instructions_decode: the list is read as the decoder writes it,
 * [apply...] [clear] [VS_AF_WRITE...] [write_metadata] [goto_table], and
 * sent in that order (OVS's); empty parts are left out (no actions: no
 * instructions). A trailing unmasked VS_ACT_WRITE_METADATA is the
 * write_metadata instruction, so an apply-actions that ended in
 * set_field:metadata comes back as that instruction (the same effect). Any
 * other order: -EINVAL; the actions' refusals as above. */
int vs_ofp_instructions_encode(struct vs_ofpbuf *b, const struct vs_action *a, uint16_t n,
			       const struct vs_ofp_acts_in *in);

/* ---- messages (ofp_flow_mod.c) ------------------------------------------ */

/* FLOW_MOD */
struct vs_ofp_flow_mod {
	uint8_t command;    /* OFPFC_* */
	uint32_t buffer_id; /* OFP_NO_BUFFER, or a buffer (the switch keeps none) */
	uint32_t out_port;  /* the raw filter (OFPP_ANY: none); spec.has_out_port when it
			     * names a port of the switch */
	uint32_t out_group; /* the raw filter (OFPG_ANY: none) = spec.out_group */
	/* table_id (has_table false for OFPTT_ALL in deletes), priority
	 * (has_priority for add and the strict commands), cookie (add/modify:
	 * the new cookie; has_cookie and cookie_mask for the filter when the mask
	 * is not 0), timeouts, flags, match, actions (none for deletes), origin
	 * VS_ORIGIN_CONTROLLER. */
	struct vs_flow_spec spec;
};

/* Errors besides the match's and the instructions': OFPFMFC_BAD_COMMAND,
 * BAD_TABLE_ID (OFPTT_ALL outside deletes, >= VS_TABLES), BAD_FLAGS. */
int vs_ofp_decode_flow_mod(const uint8_t *msg, size_t len, const struct vs_ofp_ports *ports,
			   struct vs_ofp_flow_mod *fm, struct vs_ofperr *e);

/* GROUP_MOD (ofp_group.c) */
struct vs_ofp_group_mod {
	uint16_t command; /* OFPGC_* */
	/* id (OFPG_ALL = VS_GROUP_ALL_IDS in deletes), type, buckets (watch_port
	 * as a port id, weight as sent), origin VS_ORIGIN_CONTROLLER. A
	 * delete's buckets are ignored (none decoded). */
	struct vs_group_spec spec;
};

/* Errors (OFPET_GROUP_MOD_FAILED unless said): the header's length
 * (OFPBRC_BAD_LEN), BAD_COMMAND, INVALID_GROUP (an id above OFPG_MAX, or
 * OFPG_ALL outside a delete; an indirect group without exactly one
 * bucket), BAD_TYPE, BAD_BUCKET (a length, weight on a non-select group),
 * OUT_OF_BUCKETS (over VS_GROUP_BUCKETS_MAX), BAD_WATCH (an unknown
 * watch_port, a watch_group above OFPG_MAX, a fast_failover bucket
 * watching nothing), the actions' errors (OFPET_BAD_ACTION; set_field of
 * metadata: BAD_SET_TYPE). Whether the groups named exist is for the
 * group actions to check. */
int vs_ofp_decode_group_mod(const uint8_t *msg, size_t len, const struct vs_ofp_ports *ports,
			    struct vs_ofp_group_mod *gm, struct vs_ofperr *e);

/* An ONF bundle message (OpenFlow 1.3's bundles, decoded in ofp_bundle_msg.c) */
struct vs_ofp_bundle_msg {
	uint32_t exp_type; /* ONFT_BUNDLE_CONTROL or ONFT_BUNDLE_ADD_MESSAGE */
	uint32_t bundle_id;
	uint16_t type;        /* CONTROL: ONF_BCT_* (OPEN 0, CLOSE 2, COMMIT 4, DISCARD 6) */
	uint16_t flags;       /* ONF_BF_ATOMIC | ONF_BF_ORDERED */
	const uint8_t *inner; /* ADD: the whole inner message (its length checked) */
	uint16_t inner_len;
};
#define ONF_BCT_OPEN    0
#define ONF_BCT_CLOSE   2
#define ONF_BCT_COMMIT  4
#define ONF_BCT_DISCARD 6
#define ONF_BF_ATOMIC   1
#define ONF_BF_ORDERED  2

/* Is 'msg' (an OFPT_EXPERIMENTER of 'len' bytes) an ONF bundle message?
 * 1 and 'out' filled (flags and inner xid not yet checked against the
 * bundle); 0: another experimenter's; or a negative errno with 'e' the
 * OFPET_EXPERIMENTER error (exp_code 2300 + OFPBFC_*): MSG_BAD_LEN (too
 * short, the inner length past the end or under a header), BAD_FLAGS
 * (unknown flags), BAD_TYPE (an unknown control type), MSG_BAD_XID (the
 * inner xid not the ADD's). */
int vs_ofp_decode_bundle(const uint8_t *msg, size_t len, struct vs_ofp_bundle_msg *out,
			 struct vs_ofperr *e);

/* Append 'n' buckets as struct ofp_bucket, each with its actions (for
 * GROUP_DESC): 0, -ENOMEM, or -EINVAL (a port without an OpenFlow number,
 * an action a bucket cannot hold). */
int vs_ofp_buckets_encode(struct vs_ofpbuf *b, const struct vs_bucket_spec *bk, uint16_t n,
			  const struct vs_ofp_ports *ports);

#endif
