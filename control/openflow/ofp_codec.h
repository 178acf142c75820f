/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofp_codec.h: the OpenFlow 1.3 codec: messages to and
 * from decoded structs, the switch's own types where it has them (struct
 * vs_flow_spec, struct vs_flow_match, struct vs_action). Pure functions: no
 * sockets, no switch state; the caller owns every buffer.
 *
 * Decoding: every vs_ofp_decode_*() takes one whole message (msg, len:
 * 'len' is what was received; the header's length field must equal it),
 * reads nothing past 'len', trusts no inner length field, and returns 0 or
 * a negative errno (-EINVAL, -EPROTO, -ENOTSUP, -ENOMEM) with 'e' set to
 * the OpenFlow error to answer with (vs_ofp_encode_error(e->type, e->code,
 * the message)) and a sentence for logs. Pointers in a decoded struct
 * (data, inner messages) point into 'msg'.
 *
 * Encoding: every vs_ofp_encode_*() appends one whole message (version
 * 1.3, the given xid) to a growable buffer and returns 0 or -ENOMEM (or
 * -EINVAL for what cannot be expressed, e.g. a port id with no OpenFlow
 * number). Multipart replies go through struct vs_ofp_mp, which splits
 * them into messages under 64 KiB with OFPMPF_REPLY_MORE on all but the
 * last.
 *
 * Port numbers: the wire carries OpenFlow numbers (uint32); the switch's
 * rules and actions carry port ids (uint16). struct vs_ofp_ports converts
 * both ways through the caller's callbacks; reserved numbers (OFPP_*) never
 * reach them.
 *
 * ofp_match.c: the match; ofp_actions.c: actions and instructions;
 * ofp_msg.c, ofp_mp.c: the messages; ofp_buf.c: the buffer and errors. */
#ifndef VS_OFP_CODEC_H
#define VS_OFP_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions.h"
#include "err.h"
#include "flow_parse.h"
#include "flowkey.h"
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

/* ---- framing ------------------------------------------------------------ */

struct vs_ofp_hdr {
	uint8_t version;
	uint8_t type;
	uint16_t length;
	uint32_t xid;
};

/* The length of the message at the start of 'p' (the header's length
 * field) once 8 bytes are there, 0 while fewer are, or -EPROTO (with 'e':
 * OFPBRC_BAD_LEN) if the length field is under 8: the peer is broken, close
 * the connection. A stream reader waits until it holds that many bytes. */
int vs_ofp_frame_len(const uint8_t *p, size_t avail, struct vs_ofperr *e);

/* Decode the header of the whole message 'msg' of 'len' bytes: 0, or
 * -EPROTO (OFPBRC_BAD_LEN) if len < 8 or the length field is not 'len'.
 * The version is not checked here (HELLO accepts any). */
int vs_ofp_decode_hdr(const uint8_t *msg, size_t len, struct vs_ofp_hdr *h, struct vs_ofperr *e);

/* Append a message of 'type' with 'body' (may be NULL for zeros) of
 * 'body_len' bytes: header-only messages (FEATURES_REQUEST,
 * GET_CONFIG_REQUEST, BARRIER_REQUEST/REPLY, GET_ASYNC_REQUEST) and echo.
 * Returns 0, -ENOMEM, or -EMSGSIZE if it would exceed 65535 bytes. */
int vs_ofp_encode_simple(struct vs_ofpbuf *b, uint8_t type, uint32_t xid, const void *body,
			 size_t body_len);

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
 *   Nicira resubmit / resubmit_table -> VS_ACT_RESUBMIT;
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

/* Append 'n' actions as an OpenFlow action list (VS_ACT_DROP: nothing;
 * VS_ACT_RESUBMIT table 0 from VS_PORT_NONE as output:TABLE when 'ctx' is
 * PACKET_OUT, else Nicira resubmit_table; SET_TP_*: tcp/udp/sctp by
 * 'ip_proto', TCP if 0). Instructions-only actions (GOTO, CLEAR,
 * WRITE_METADATA) or VS_AF_WRITE: -EINVAL. */
int vs_ofp_actions_encode(struct vs_ofpbuf *b, const struct vs_action *a, uint16_t n,
			  enum vs_ofp_acts_ctx ctx, uint8_t ip_proto,
			  const struct vs_ofp_ports *ports);

/* Append a rule's action list as instructions: apply-actions (the leading
 * actions without VS_AF_WRITE), clear-actions, write-actions (those with
 * VS_AF_WRITE), write-metadata (a WRITE_METADATA after the apply section
 * or ending it; one elsewhere is a set_field in apply-actions), goto-table. */
int vs_ofp_instructions_encode(struct vs_ofpbuf *b, const struct vs_action *a, uint16_t n,
			       uint8_t ip_proto, const struct vs_ofp_ports *ports);

/* ---- messages (ofp_msg.c) ----------------------------------------------- */

/* HELLO. Decoding reads the version bitmap element if present (other
 * elements are skipped); negotiation picks the highest version both sides
 * have (spec 6.3.1). */
struct vs_ofp_hello {
	uint8_t version; /* the header's */
	bool has_bitmap;
	uint32_t bitmap; /* versions 0-31 (bit 4: 1.3); larger versions are ignored */
};

int vs_ofp_decode_hello(const uint8_t *msg, size_t len, struct vs_ofp_hello *h,
			struct vs_ofperr *e);
/* Our HELLO: header version = the highest in 'bitmap', and the bitmap. */
int vs_ofp_encode_hello(struct vs_ofpbuf *b, uint32_t xid, uint32_t bitmap);
/* The version to speak, given ours ('bitmap') and the peer's HELLO: 0, or
 * -EPROTO (OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE). */
int vs_ofp_hello_negotiate(const struct vs_ofp_hello *peer, uint32_t bitmap, uint8_t *version,
			   struct vs_ofperr *e);

/* ERROR */
struct vs_ofp_error {
	uint16_t type, code;
	uint16_t exp_code;     /* OFPET_EXPERIMENTER */
	uint32_t experimenter; /* OFPET_EXPERIMENTER */
	const uint8_t *data;   /* the offending message's start, in 'msg' */
	size_t data_len;
};

int vs_ofp_decode_error(const uint8_t *msg, size_t len, struct vs_ofp_error *out,
			struct vs_ofperr *e);
/* Answer 'req' (the offending message, 'req_len' bytes; its first 64 go in
 * the data) with e's (type, code), in reply to 'xid' (the request's). */
int vs_ofp_encode_error(struct vs_ofpbuf *b, uint32_t xid, const struct vs_ofperr *e,
			const uint8_t *req, size_t req_len);

/* ECHO_REQUEST / ECHO_REPLY: the body is arbitrary; a reply repeats it. */
int vs_ofp_decode_echo(const uint8_t *msg, size_t len, const uint8_t **data, size_t *data_len,
		       struct vs_ofperr *e);

/* FEATURES_REPLY */
struct vs_ofp_features {
	uint64_t datapath_id;
	uint32_t n_buffers;
	uint8_t n_tables;
	uint8_t auxiliary_id;
	uint32_t capabilities; /* OFPC_* */
};

int vs_ofp_encode_features_reply(struct vs_ofpbuf *b, uint32_t xid,
				 const struct vs_ofp_features *f);
int vs_ofp_decode_features_reply(const uint8_t *msg, size_t len, struct vs_ofp_features *f,
				 struct vs_ofperr *e);

/* GET_CONFIG_REPLY and SET_CONFIG */
struct vs_ofp_config {
	uint16_t flags;         /* OFPC_FRAG_*: only NORMAL is supported by the switch */
	uint16_t miss_send_len; /* bytes of a table-miss packet-in, OFPCML_NO_BUFFER: all */
};

/* 'type': OFPT_GET_CONFIG_REPLY or OFPT_SET_CONFIG. Flags outside
 * OFPC_FRAG_MASK: OFPSCFC_BAD_FLAGS. */
int vs_ofp_decode_config(const uint8_t *msg, size_t len, struct vs_ofp_config *c,
			 struct vs_ofperr *e);
int vs_ofp_encode_config(struct vs_ofpbuf *b, uint8_t type, uint32_t xid,
			 const struct vs_ofp_config *c);

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
int vs_ofp_encode_flow_mod(struct vs_ofpbuf *b, uint32_t xid, const struct vs_ofp_flow_mod *fm,
			   const struct vs_ofp_ports *ports);

/* FLOW_REMOVED */
struct vs_ofp_flow_removed {
	uint64_t cookie;
	uint16_t priority;
	uint8_t reason; /* OFPRR_* */
	uint8_t table_id;
	uint32_t duration_sec, duration_nsec;
	uint16_t idle_timeout, hard_timeout;
	uint64_t packet_count, byte_count;
	struct vs_flow_match match;
};

int vs_ofp_encode_flow_removed(struct vs_ofpbuf *b, uint32_t xid,
			       const struct vs_ofp_flow_removed *fr,
			       const struct vs_ofp_ports *ports);
int vs_ofp_decode_flow_removed(const uint8_t *msg, size_t len, const struct vs_ofp_ports *ports,
			       struct vs_ofp_flow_removed *fr, struct vs_ofperr *e);

/* PACKET_IN: the match carries in_port, and metadata when not 0. */
struct vs_ofp_packet_in {
	uint32_t buffer_id; /* OFP_NO_BUFFER */
	uint16_t total_len; /* the frame's length; data may be shorter (max_len) */
	uint8_t reason;     /* OFPR_* */
	uint8_t table_id;
	uint64_t cookie;  /* the rule's, all ones for none */
	uint32_t in_port; /* OpenFlow number */
	uint64_t metadata;
	const uint8_t *data;
	size_t data_len;
};

int vs_ofp_encode_packet_in(struct vs_ofpbuf *b, uint32_t xid, const struct vs_ofp_packet_in *pi);
/* (For tests and controllers; a switch only sends it.) */
int vs_ofp_decode_packet_in(const uint8_t *msg, size_t len, struct vs_ofp_packet_in *pi,
			    struct vs_ofperr *e);

/* PACKET_OUT */
struct vs_ofp_packet_out {
	uint32_t buffer_id;  /* OFP_NO_BUFFER, or a buffer (the caller answers
			     * OFPBRC_BUFFER_UNKNOWN: the switch keeps none) */
	uint32_t in_port;    /* OpenFlow number: a port, OFPP_LOCAL, OFPP_CONTROLLER or
			     * OFPP_ANY (as OVS accepts); else OFPBRC_BAD_PORT */
	uint16_t in_port_id; /* the switch's id, VS_PORT_NONE for CONTROLLER/ANY */
	uint16_t n_actions;
	struct vs_action actions[VS_ACTIONS_MAX];
	const uint8_t *data;
	size_t data_len;
};

int vs_ofp_decode_packet_out(const uint8_t *msg, size_t len, const struct vs_ofp_ports *ports,
			     struct vs_ofp_packet_out *po, struct vs_ofperr *e);
int vs_ofp_encode_packet_out(struct vs_ofpbuf *b, uint32_t xid, const struct vs_ofp_packet_out *po,
			     const struct vs_ofp_ports *ports);

/* A port as OpenFlow describes it (PORT_STATUS, PORT_DESC). */
struct vs_ofp_port {
	uint32_t port_no;
	uint8_t hw_addr[6];
	char name[16];          /* NUL-terminated (at most 15 characters go out) */
	uint32_t config, state; /* OFPPC_*, OFPPS_* */
	uint32_t curr, advertised, supported, peer; /* OFPPF_* */
	uint32_t curr_speed, max_speed;             /* kbit/s */
};

int vs_ofp_encode_port_status(struct vs_ofpbuf *b, uint32_t xid, uint8_t reason,
			      const struct vs_ofp_port *p);
int vs_ofp_decode_port_status(const uint8_t *msg, size_t len, uint8_t *reason,
			      struct vs_ofp_port *p, struct vs_ofperr *e);

/* PORT_MOD */
struct vs_ofp_port_mod {
	uint32_t port_no;
	uint8_t hw_addr[6];
	uint32_t config, mask, advertise;
};

int vs_ofp_decode_port_mod(const uint8_t *msg, size_t len, struct vs_ofp_port_mod *pm,
			   struct vs_ofperr *e);
int vs_ofp_encode_port_mod(struct vs_ofpbuf *b, uint32_t xid, const struct vs_ofp_port_mod *pm);

/* GROUP_MOD and group descriptions */
#define VS_OFP_BUCKETS_MAX 64

struct vs_ofp_bucket {
	uint16_t weight;      /* select groups; 0 elsewhere */
	uint32_t watch_port;  /* OpenFlow number, OFPP_ANY: none */
	uint32_t watch_group; /* OFPG_ANY: none */
	uint16_t n_actions;
	struct vs_action actions[VS_ACTIONS_MAX];
};

struct vs_ofp_group_mod {
	uint16_t command; /* OFPGC_* */
	uint8_t type;     /* OFPGT_* */
	uint32_t group_id;
	uint16_t n_buckets;
	struct vs_ofp_bucket *buckets; /* calloc'ed by the decoder: vs_ofp_group_mod_free */
};

/* Errors: OFPGMFC_BAD_COMMAND, BAD_TYPE, INVALID_GROUP (above OFPG_MAX,
 * except OFPG_ALL in a delete), OUT_OF_BUCKETS (> VS_OFP_BUCKETS_MAX),
 * BAD_BUCKET (lengths, an indirect group without exactly one bucket),
 * WEIGHT_UNSUPPORTED (a weight outside select), BAD_WATCH (fast_failover
 * bucket watching nothing), and the actions'. */
int vs_ofp_decode_group_mod(const uint8_t *msg, size_t len, const struct vs_ofp_ports *ports,
			    struct vs_ofp_group_mod *gm, struct vs_ofperr *e);
int vs_ofp_encode_group_mod(struct vs_ofpbuf *b, uint32_t xid, const struct vs_ofp_group_mod *gm,
			    const struct vs_ofp_ports *ports);
void vs_ofp_group_mod_free(struct vs_ofp_group_mod *gm);

/* ROLE_REQUEST / ROLE_REPLY */
struct vs_ofp_role {
	uint32_t role; /* OFPCR_ROLE_*; other values: OFPRRFC_BAD_ROLE */
	uint64_t generation_id;
};

int vs_ofp_decode_role(const uint8_t *msg, size_t len, struct vs_ofp_role *r, struct vs_ofperr *e);
int vs_ofp_encode_role(struct vs_ofpbuf *b, uint8_t type, uint32_t xid,
		       const struct vs_ofp_role *r);

/* GET_ASYNC_REPLY / SET_ASYNC: bit masks of reasons, [0] for master and
 * equal, [1] for slave. */
struct vs_ofp_async {
	uint32_t packet_in_mask[2];    /* 1 << OFPR_* */
	uint32_t port_status_mask[2];  /* 1 << OFPPR_* */
	uint32_t flow_removed_mask[2]; /* 1 << OFPRR_* */
};

int vs_ofp_decode_async(const uint8_t *msg, size_t len, struct vs_ofp_async *a,
			struct vs_ofperr *e);
int vs_ofp_encode_async(struct vs_ofpbuf *b, uint8_t type, uint32_t xid,
			const struct vs_ofp_async *a);

/* Bundles: OpenFlow 1.4's BUNDLE_CONTROL / BUNDLE_ADD_MESSAGE, and the same
 * bodies in an OFPT_EXPERIMENTER message (ONF_EXPERIMENTER_ID, exp_type
 * ONFT_BUNDLE_CONTROL / ONFT_BUNDLE_ADD_MESSAGE), which is what ovs-ofctl
 * -O OpenFlow13 --bundle sends. vs_ofp_bundle_kind() says which a message
 * is. Properties are skipped. */
enum vs_ofp_bundle_kind {
	VS_OFP_NOT_BUNDLE,
	VS_OFP_BUNDLE_CONTROL,
	VS_OFP_BUNDLE_ADD,
};

struct vs_ofp_bundle_ctrl {
	bool onf; /* the 1.3 extension form (encode answers in it) */
	uint32_t bundle_id;
	uint16_t type;  /* OFPBCT_* */
	uint16_t flags; /* OFPBF_* */
};

struct vs_ofp_bundle_add {
	bool onf;
	uint32_t bundle_id;
	uint16_t flags;
	const uint8_t *msg; /* the inner message, in the outer one; its header's length
			     * is checked to fit, and its version to equal the outer's
			     * (OFPBFC_MSG_BAD_LEN otherwise) */
	size_t msg_len;
};

enum vs_ofp_bundle_kind vs_ofp_bundle_kind(const uint8_t *msg, size_t len);
int vs_ofp_decode_bundle_ctrl(const uint8_t *msg, size_t len, struct vs_ofp_bundle_ctrl *bc,
			      struct vs_ofperr *e);
int vs_ofp_encode_bundle_ctrl(struct vs_ofpbuf *b, uint32_t xid,
			      const struct vs_ofp_bundle_ctrl *bc);
int vs_ofp_decode_bundle_add(const uint8_t *msg, size_t len, struct vs_ofp_bundle_add *ba,
			     struct vs_ofperr *e);
int vs_ofp_encode_bundle_add(struct vs_ofpbuf *b, uint32_t xid, const struct vs_ofp_bundle_add *ba);
/* A bundle error (OFPBFC_*) as it goes out: OFPET_BUNDLE_FAILED in 1.4, the
 * ONF experimenter error in 1.3 ('onf'). */
int vs_ofperr_set_bundle(struct vs_ofperr *e, int rc, bool onf, uint16_t code, const char *why);

/* An experimenter message we do not know: OFPBRC_BAD_EXPERIMENTER or
 * BAD_EXP_TYPE, for the caller to answer. Always returns -ENOTSUP. */
int vs_ofp_refuse_experimenter(const uint8_t *msg, size_t len, struct vs_ofperr *e);

/* ---- multipart (ofp_mp.c) ----------------------------------------------- */

/* A multipart request. Bodies that are not decoded here (DESC, TABLE,
 * TABLE_FEATURES without a body, PORT_DESC, GROUP_DESC, GROUP_FEATURES)
 * must be empty: OFPBRC_BAD_LEN otherwise, except TABLE_FEATURES with a
 * body (a request to change the tables): OFPTFFC_EPERM. Types the switch
 * does not answer (meters, experimenter): OFPBRC_BAD_MULTIPART /
 * BAD_EXPERIMENTER. */
struct vs_ofp_mp_request {
	uint16_t type;  /* OFPMP_* */
	uint16_t flags; /* OFPMPF_REQ_MORE */
	/* OFPMP_FLOW, OFPMP_AGGREGATE: table (has_table false for OFPTT_ALL),
	 * match, cookie filter, out_port/out_group filters as in a delete. */
	uint32_t out_port, out_group;
	struct vs_flow_spec flow;
	uint32_t port_no;  /* OFPMP_PORT_STATS, OFPMP_QUEUE: OFPP_ANY for all */
	uint32_t queue_id; /* OFPMP_QUEUE: OFPQ_ALL for all */
	uint32_t group_id; /* OFPMP_GROUP: OFPG_ALL for all */
};

int vs_ofp_decode_mp_request(const uint8_t *msg, size_t len, const struct vs_ofp_ports *ports,
			     struct vs_ofp_mp_request *r, struct vs_ofperr *e);
int vs_ofp_encode_mp_request(struct vs_ofpbuf *b, uint32_t xid, const struct vs_ofp_mp_request *r,
			     const struct vs_ofp_ports *ports);

/* A multipart reply being written: begin, add items, end. Items are split
 * across messages of at most VS_OFP_MP_MSG_MAX bytes, each but the last
 * with OFPMPF_REPLY_MORE. An add that fails leaves the reply as it was. */
#define VS_OFP_MP_MSG_MAX 65528 /* under 64 KiB, a multiple of 8 */

struct vs_ofp_mp {
	struct vs_ofpbuf *b;
	uint32_t xid;
	uint16_t type;
	size_t start; /* offset of the message being filled */
	int error;    /* the first failure; vs_ofp_mp_end returns it */
};

void vs_ofp_mp_begin(struct vs_ofp_mp *mp, struct vs_ofpbuf *b, uint32_t xid, uint16_t type);
/* 0, or the first error of the adds (-ENOMEM, -EINVAL). */
int vs_ofp_mp_end(struct vs_ofp_mp *mp);

/* OFPMP_DESC: the strings, cut to their fields. */
struct vs_ofp_desc {
	const char *mfr, *hw, *sw, *serial, *dp;
};
int vs_ofp_mp_add_desc(struct vs_ofp_mp *mp, const struct vs_ofp_desc *d);

/* OFPMP_FLOW: one rule. timeouts over 65535 s go out as 65535. */
struct vs_ofp_flow_stats {
	const struct vs_flow_spec *spec; /* table, priority, cookie, timeouts, flags,
					  * match, actions */
	uint32_t duration_sec, duration_nsec;
	uint64_t packet_count, byte_count;
};
int vs_ofp_mp_add_flow(struct vs_ofp_mp *mp, const struct vs_ofp_flow_stats *fs,
		       const struct vs_ofp_ports *ports);

struct vs_ofp_aggregate {
	uint64_t packet_count, byte_count;
	uint32_t flow_count;
};
int vs_ofp_mp_add_aggregate(struct vs_ofp_mp *mp, const struct vs_ofp_aggregate *a);

struct vs_ofp_table_stats {
	uint8_t table_id;
	uint32_t active_count;
	uint64_t lookup_count, matched_count;
};
int vs_ofp_mp_add_table(struct vs_ofp_mp *mp, const struct vs_ofp_table_stats *t);

/* OFPMP_TABLE_FEATURES: what table 'table_id' of 'n_tables' supports: the
 * instructions, actions, set_field and match fields the codec decodes, next
 * tables those after it, max_entries. */
int vs_ofp_mp_add_table_features(struct vs_ofp_mp *mp, uint8_t table_id, uint8_t n_tables,
				 uint32_t max_entries);

struct vs_ofp_port_stats {
	uint32_t port_no;
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_dropped, tx_dropped, rx_errors, tx_errors;
	uint64_t rx_frame_err, rx_over_err, rx_crc_err, collisions;
	uint32_t duration_sec, duration_nsec;
};
int vs_ofp_mp_add_port_stats(struct vs_ofp_mp *mp, const struct vs_ofp_port_stats *s);
int vs_ofp_mp_add_port_desc(struct vs_ofp_mp *mp, const struct vs_ofp_port *p);

struct vs_ofp_group_stats {
	uint32_t group_id;
	uint32_t ref_count;
	uint64_t packet_count, byte_count;
	uint32_t duration_sec, duration_nsec;
	uint16_t n_buckets;
	const uint64_t (*bucket_counts)[2]; /* [i][0] packets, [i][1] bytes */
};
int vs_ofp_mp_add_group_stats(struct vs_ofp_mp *mp, const struct vs_ofp_group_stats *g);
/* OFPMP_GROUP_DESC: a group as its GROUP_MOD gave it (command unused). */
int vs_ofp_mp_add_group_desc(struct vs_ofp_mp *mp, const struct vs_ofp_group_mod *g,
			     const struct vs_ofp_ports *ports);

/* Reading a multipart reply back (tests, fuzzing): the type, flags, and
 * the body (items) in 'msg'. */
int vs_ofp_decode_mp_reply(const uint8_t *msg, size_t len, uint16_t *type, uint16_t *flags,
			   const uint8_t **body, size_t *body_len, struct vs_ofperr *e);

#endif
