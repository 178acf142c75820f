/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/codec/ofp_wire.h: OpenFlow 1.3 on the wire (OpenFlow Switch
 * Specification 1.3.5, with the 1.4 bundle messages and the ONF extension
 * that carries them in 1.3): the numbers, and the fixed parts of the
 * messages as packed structs of network-order fields.
 *
 * The structs document the layouts and give their sizes; the codec never
 * casts a received buffer to them (it reads with vs_ofp_get*() at checked
 * offsets), so alignment and trust in length fields never come into it. */
#ifndef VS_OFP_WIRE_H
#define VS_OFP_WIRE_H

#include <stdint.h>
#include <string.h>
#include <rte_byteorder.h>

#define VS_OFP_VERSION_13 0x04
#define VS_OFP_VERSION_14 0x05
#define VS_OFP_TCP_PORT   6653
#define VS_OFP_MSG_MAX    65535 /* a length field is 16 bits */

/* Message types (enum ofp_type) */
enum {
	OFPT_HELLO = 0,
	OFPT_ERROR = 1,
	OFPT_ECHO_REQUEST = 2,
	OFPT_ECHO_REPLY = 3,
	OFPT_EXPERIMENTER = 4,
	OFPT_FEATURES_REQUEST = 5,
	OFPT_FEATURES_REPLY = 6,
	OFPT_GET_CONFIG_REQUEST = 7,
	OFPT_GET_CONFIG_REPLY = 8,
	OFPT_SET_CONFIG = 9,
	OFPT_PACKET_IN = 10,
	OFPT_FLOW_REMOVED = 11,
	OFPT_PORT_STATUS = 12,
	OFPT_PACKET_OUT = 13,
	OFPT_FLOW_MOD = 14,
	OFPT_GROUP_MOD = 15,
	OFPT_PORT_MOD = 16,
	OFPT_TABLE_MOD = 17,
	OFPT_MULTIPART_REQUEST = 18,
	OFPT_MULTIPART_REPLY = 19,
	OFPT_BARRIER_REQUEST = 20,
	OFPT_BARRIER_REPLY = 21,
	OFPT_QUEUE_GET_CONFIG_REQUEST = 22,
	OFPT_QUEUE_GET_CONFIG_REPLY = 23,
	OFPT_ROLE_REQUEST = 24,
	OFPT_ROLE_REPLY = 25,
	OFPT_GET_ASYNC_REQUEST = 26,
	OFPT_GET_ASYNC_REPLY = 27,
	OFPT_SET_ASYNC = 28,
	OFPT_METER_MOD = 29,
	/* OpenFlow 1.4 */
	OFPT_ROLE_STATUS = 30,
	OFPT_TABLE_STATUS = 31,
	OFPT_REQUESTFORWARD = 32,
	OFPT_BUNDLE_CONTROL = 33,
	OFPT_BUNDLE_ADD_MESSAGE = 34,
};

/* HELLO elements */
#define OFPHET_VERSIONBITMAP 1

#include "ofp_wire_err.h"

/* Experimenter ids */
#define NX_EXPERIMENTER_ID  0x00002320u /* Nicira / Open vSwitch */
#define ONF_EXPERIMENTER_ID 0x4f4e4600u /* ONF extensions ("ONF\0") */

/* ONF extension message types (ofp_experimenter_header.exp_type): the 1.4
 * bundle messages in 1.3, as ovs-ofctl -O OpenFlow13 --bundle sends them. */
#define ONFT_BUNDLE_CONTROL     2300
#define ONFT_BUNDLE_ADD_MESSAGE 2301

/* Port numbers */
#define OFPP_MAX        0xffffff00u
#define OFPP_IN_PORT    0xfffffff8u
#define OFPP_TABLE      0xfffffff9u
#define OFPP_NORMAL     0xfffffffau
#define OFPP_FLOOD      0xfffffffbu
#define OFPP_ALL        0xfffffffcu
#define OFPP_CONTROLLER 0xfffffffdu
#define OFPP_LOCAL      0xfffffffeu
#define OFPP_ANY        0xffffffffu

/* OpenFlow 1.0 port numbers (in Nicira actions such as resubmit) */
#define OFPP10_MAX       0xff00u
#define OFPP10_IN_PORT   0xfff8u
#define OFPP10_LOCAL     0xfffeu
#define OFPP10_NONE      0xffffu

#define OFPCML_MAX       0xffe5 /* the largest max_len for output:CONTROLLER */
#define OFPCML_NO_BUFFER 0xffff /* send the whole packet, unbuffered */
#define OFP_NO_BUFFER    0xffffffffu

#define OFPG_MAX         0xffffff00u
#define OFPG_ALL         0xfffffffcu
#define OFPG_ANY         0xffffffffu

#define OFPTT_MAX        0xfe
#define OFPTT_ALL        0xff

#define OFPQ_ALL         0xffffffffu

/* TABLE_MOD config: 1.3 deprecates every bit (1.3.5, 7.3.3) */
#define OFPTC_DEPRECATED_MASK 3u

/* METER_MOD commands and meter ids */
enum {
	OFPMC_ADD = 0,
	OFPMC_MODIFY = 1,
	OFPMC_DELETE = 2
};
#define OFPM_MAX        0xffff0000u
#define OFPM_SLOWPATH   0xfffffffdu
#define OFPM_CONTROLLER 0xfffffffeu
#define OFPM_ALL        0xffffffffu

/* ofp_port.config */
#define OFPPC_PORT_DOWN    (1u << 0)
#define OFPPC_NO_RECV      (1u << 2)
#define OFPPC_NO_FWD       (1u << 5)
#define OFPPC_NO_PACKET_IN (1u << 6)
/* ofp_port.state */
#define OFPPS_LINK_DOWN (1u << 0)
#define OFPPS_BLOCKED   (1u << 1)
#define OFPPS_LIVE      (1u << 2)
/* ofp_port.curr etc. (enum ofp_port_features) */
#define OFPPF_10MB_HD    (1u << 0)
#define OFPPF_10MB_FD    (1u << 1)
#define OFPPF_100MB_HD   (1u << 2)
#define OFPPF_100MB_FD   (1u << 3)
#define OFPPF_1GB_HD     (1u << 4)
#define OFPPF_1GB_FD     (1u << 5)
#define OFPPF_10GB_FD    (1u << 6)
#define OFPPF_40GB_FD    (1u << 7)
#define OFPPF_100GB_FD   (1u << 8)
#define OFPPF_1TB_FD     (1u << 9)
#define OFPPF_OTHER      (1u << 10)
#define OFPPF_COPPER     (1u << 11)
#define OFPPF_FIBER      (1u << 12)
#define OFPPF_AUTONEG    (1u << 13)
#define OFPPF_PAUSE      (1u << 14)
#define OFPPF_PAUSE_ASYM (1u << 15)

/* PORT_STATUS reasons */
enum {
	OFPPR_ADD = 0,
	OFPPR_DELETE = 1,
	OFPPR_MODIFY = 2
};

/* FEATURES_REPLY capabilities */
#define OFPC_FLOW_STATS   (1u << 0)
#define OFPC_TABLE_STATS  (1u << 1)
#define OFPC_PORT_STATS   (1u << 2)
#define OFPC_GROUP_STATS  (1u << 3)
#define OFPC_IP_REASM     (1u << 5)
#define OFPC_QUEUE_STATS  (1u << 6)
#define OFPC_PORT_BLOCKED (1u << 8)

/* SET_CONFIG flags */
#define OFPC_FRAG_NORMAL 0
#define OFPC_FRAG_DROP   1
#define OFPC_FRAG_REASM  2
#define OFPC_FRAG_MASK   3
/* OpenFlow 1.1 and 1.2 (1.3 leaves it to the async mask, OFPR_INVALID_TTL):
 * taken in 1.3 too, as a shorthand for that bit of the mask. */
#define OFPC_INVALID_TTL_TO_CONTROLLER (1u << 2)

/* PACKET_IN reasons */
enum {
	OFPR_NO_MATCH = 0,
	OFPR_ACTION = 1,
	OFPR_INVALID_TTL = 2
};
/* FLOW_REMOVED reasons */
enum {
	OFPRR_IDLE_TIMEOUT = 0,
	OFPRR_HARD_TIMEOUT = 1,
	OFPRR_DELETE = 2,
	OFPRR_GROUP_DELETE = 3
};

/* FLOW_MOD commands and flags (the flags are VS_FF_* in flow_parse.h) */
enum {
	OFPFC_ADD = 0,
	OFPFC_MODIFY = 1,
	OFPFC_MODIFY_STRICT = 2,
	OFPFC_DELETE = 3,
	OFPFC_DELETE_STRICT = 4,
};
#define OFPFF_SEND_FLOW_REM 0x0001
#define OFPFF_CHECK_OVERLAP 0x0002
#define OFPFF_RESET_COUNTS  0x0004
#define OFPFF_NO_PKT_COUNTS 0x0008
#define OFPFF_NO_BYT_COUNTS 0x0010
#define OFPFF_ALL_13        0x001f

/* GROUP_MOD */
enum {
	OFPGC_ADD = 0,
	OFPGC_MODIFY = 1,
	OFPGC_DELETE = 2
};
enum {
	OFPGT_ALL = 0,
	OFPGT_SELECT = 1,
	OFPGT_INDIRECT = 2,
	OFPGT_FF = 3
};

/* Controller roles */
enum {
	OFPCR_ROLE_NOCHANGE = 0,
	OFPCR_ROLE_EQUAL = 1,
	OFPCR_ROLE_MASTER = 2,
	OFPCR_ROLE_SLAVE = 3,
};

/* Match types and OXM */
#define OFPMT_STANDARD 0 /* OpenFlow 1.1's fixed match: refused */
#define OFPMT_OXM      1

enum {
	OFPXMC_NXM_0 = 0x0000,
	OFPXMC_NXM_1 = 0x0001,
	OFPXMC_OPENFLOW_BASIC = 0x8000,
	OFPXMC_EXPERIMENTER = 0xffff,
};

enum {
	OFPXMT_OFB_IN_PORT = 0,
	OFPXMT_OFB_IN_PHY_PORT = 1,
	OFPXMT_OFB_METADATA = 2,
	OFPXMT_OFB_ETH_DST = 3,
	OFPXMT_OFB_ETH_SRC = 4,
	OFPXMT_OFB_ETH_TYPE = 5,
	OFPXMT_OFB_VLAN_VID = 6,
	OFPXMT_OFB_VLAN_PCP = 7,
	OFPXMT_OFB_IP_DSCP = 8,
	OFPXMT_OFB_IP_ECN = 9,
	OFPXMT_OFB_IP_PROTO = 10,
	OFPXMT_OFB_IPV4_SRC = 11,
	OFPXMT_OFB_IPV4_DST = 12,
	OFPXMT_OFB_TCP_SRC = 13,
	OFPXMT_OFB_TCP_DST = 14,
	OFPXMT_OFB_UDP_SRC = 15,
	OFPXMT_OFB_UDP_DST = 16,
	OFPXMT_OFB_SCTP_SRC = 17,
	OFPXMT_OFB_SCTP_DST = 18,
	OFPXMT_OFB_ICMPV4_TYPE = 19,
	OFPXMT_OFB_ICMPV4_CODE = 20,
	OFPXMT_OFB_ARP_OP = 21,
	OFPXMT_OFB_ARP_SPA = 22,
	OFPXMT_OFB_ARP_TPA = 23,
	OFPXMT_OFB_ARP_SHA = 24,
	OFPXMT_OFB_ARP_THA = 25,
	OFPXMT_OFB_IPV6_SRC = 26,
	OFPXMT_OFB_IPV6_DST = 27,
	OFPXMT_OFB_IPV6_FLABEL = 28,
	OFPXMT_OFB_ICMPV6_TYPE = 29,
	OFPXMT_OFB_ICMPV6_CODE = 30,
	OFPXMT_OFB_IPV6_ND_TARGET = 31,
	OFPXMT_OFB_IPV6_ND_SLL = 32,
	OFPXMT_OFB_IPV6_ND_TLL = 33,
	OFPXMT_OFB_MPLS_LABEL = 34,
	OFPXMT_OFB_MPLS_TC = 35,
	OFPXMT_OFB_MPLS_BOS = 36,
	OFPXMT_OFB_PBB_ISID = 37,
	OFPXMT_OFB_TUNNEL_ID = 38,
	OFPXMT_OFB_IPV6_EXTHDR = 39,
	OFPXMT_OFB_COUNT = 40,
};

/* An OXM header: class (16) | field (7) | hasmask (1) | payload length (8).
 * Payload length covers value and mask (and an experimenter field's
 * 4-byte experimenter id). */
#define VS_OXM_HEADER(cls, field, hasmask, len) \
	(((uint32_t)(cls) << 16) | ((uint32_t)(field) << 9) | ((uint32_t)(hasmask) << 8) | (len))
#define VS_OXM_CLASS(h)   ((uint16_t)((h) >> 16))
#define VS_OXM_FIELD(h)   (((h) >> 9) & 0x7f)
#define VS_OXM_HASMASK(h) (((h) >> 8) & 1)
#define VS_OXM_LENGTH(h)  ((h)&0xff)

#define OFPVID_PRESENT    0x1000 /* in OXM vlan_vid: the frame has a tag */
#define OFPVID_NONE       0x0000

/* Action types */
enum {
	OFPAT_OUTPUT = 0,
	OFPAT_COPY_TTL_OUT = 11,
	OFPAT_COPY_TTL_IN = 12,
	OFPAT_SET_MPLS_TTL = 15,
	OFPAT_DEC_MPLS_TTL = 16,
	OFPAT_PUSH_VLAN = 17,
	OFPAT_POP_VLAN = 18,
	OFPAT_PUSH_MPLS = 19,
	OFPAT_POP_MPLS = 20,
	OFPAT_SET_QUEUE = 21,
	OFPAT_GROUP = 22,
	OFPAT_SET_NW_TTL = 23,
	OFPAT_DEC_NW_TTL = 24,
	OFPAT_SET_FIELD = 25,
	OFPAT_PUSH_PBB = 26,
	OFPAT_POP_PBB = 27,
	OFPAT_EXPERIMENTER = 0xffff,
};

/* Nicira action subtypes we know (experimenter NX_EXPERIMENTER_ID) */
#define NXAST_RESUBMIT       1  /* resubmit:port (table: the current one) */
#define NXAST_RESUBMIT_TABLE 14 /* resubmit(port,table) */
#define NXAST_CONTROLLER     20 /* controller(max_len,id,reason): reasons 1.3's output cannot say */

/* Instruction types */
enum {
	OFPIT_GOTO_TABLE = 1,
	OFPIT_WRITE_METADATA = 2,
	OFPIT_WRITE_ACTIONS = 3,
	OFPIT_APPLY_ACTIONS = 4,
	OFPIT_CLEAR_ACTIONS = 5,
	OFPIT_METER = 6,
	OFPIT_EXPERIMENTER = 0xffff,
};

/* Multipart types and flags */
enum {
	OFPMP_DESC = 0,
	OFPMP_FLOW = 1,
	OFPMP_AGGREGATE = 2,
	OFPMP_TABLE = 3,
	OFPMP_PORT_STATS = 4,
	OFPMP_QUEUE = 5,
	OFPMP_GROUP = 6,
	OFPMP_GROUP_DESC = 7,
	OFPMP_GROUP_FEATURES = 8,
	OFPMP_METER = 9,
	OFPMP_METER_CONFIG = 10,
	OFPMP_METER_FEATURES = 11,
	OFPMP_TABLE_FEATURES = 12,
	OFPMP_PORT_DESC = 13,
	OFPMP_EXPERIMENTER = 0xffff,
};
#define OFPMPF_REQ_MORE   0x0001
#define OFPMPF_REPLY_MORE 0x0001

/* Table feature property types */
enum {
	OFPTFPT_INSTRUCTIONS = 0,
	OFPTFPT_INSTRUCTIONS_MISS = 1,
	OFPTFPT_NEXT_TABLES = 2,
	OFPTFPT_NEXT_TABLES_MISS = 3,
	OFPTFPT_WRITE_ACTIONS = 4,
	OFPTFPT_WRITE_ACTIONS_MISS = 5,
	OFPTFPT_APPLY_ACTIONS = 6,
	OFPTFPT_APPLY_ACTIONS_MISS = 7,
	OFPTFPT_MATCH = 8,
	OFPTFPT_WILDCARDS = 10,
	OFPTFPT_WRITE_SETFIELD = 12,
	OFPTFPT_WRITE_SETFIELD_MISS = 13,
	OFPTFPT_APPLY_SETFIELD = 14,
	OFPTFPT_APPLY_SETFIELD_MISS = 15,
};

/* Bundles (OpenFlow 1.4 numbering, used by the ONF 1.3 extension too) */
enum {
	OFPBCT_OPEN_REQUEST = 0,
	OFPBCT_OPEN_REPLY = 1,
	OFPBCT_CLOSE_REQUEST = 2,
	OFPBCT_CLOSE_REPLY = 3,
	OFPBCT_COMMIT_REQUEST = 4,
	OFPBCT_COMMIT_REPLY = 5,
	OFPBCT_DISCARD_REQUEST = 6,
	OFPBCT_DISCARD_REPLY = 7,
};
#define OFPBF_ATOMIC  0x0001
#define OFPBF_ORDERED 0x0002

/* Fixed parts of the messages, network order. */
struct ofp_header {
	uint8_t version;
	uint8_t type;
	rte_be16_t length; /* the whole message, header included */
	rte_be32_t xid;
} __attribute__((packed));

struct ofp_switch_features {
	struct ofp_header h;
	rte_be64_t datapath_id;
	rte_be32_t n_buffers;
	uint8_t n_tables;
	uint8_t auxiliary_id;
	uint8_t pad[2];
	rte_be32_t capabilities;
	rte_be32_t reserved;
} __attribute__((packed));

struct ofp_switch_config {
	struct ofp_header h;
	rte_be16_t flags;
	rte_be16_t miss_send_len;
} __attribute__((packed));

struct ofp_match_header {  /* followed by OXM TLVs, then zeros to a multiple of 8 */
	rte_be16_t type;   /* OFPMT_OXM */
	rte_be16_t length; /* 4 + the TLVs, without the padding */
} __attribute__((packed));

struct ofp_flow_mod {
	struct ofp_header h;
	rte_be64_t cookie;
	rte_be64_t cookie_mask;
	uint8_t table_id;
	uint8_t command;
	rte_be16_t idle_timeout;
	rte_be16_t hard_timeout;
	rte_be16_t priority;
	rte_be32_t buffer_id;
	rte_be32_t out_port;
	rte_be32_t out_group;
	rte_be16_t flags;
	uint8_t pad[2];
	/* struct ofp_match, then instructions */
} __attribute__((packed));

struct ofp_flow_removed {
	struct ofp_header h;
	rte_be64_t cookie;
	rte_be16_t priority;
	uint8_t reason;
	uint8_t table_id;
	rte_be32_t duration_sec;
	rte_be32_t duration_nsec;
	rte_be16_t idle_timeout;
	rte_be16_t hard_timeout;
	rte_be64_t packet_count;
	rte_be64_t byte_count;
	/* struct ofp_match */
} __attribute__((packed));

struct ofp_packet_in {
	struct ofp_header h;
	rte_be32_t buffer_id;
	rte_be16_t total_len;
	uint8_t reason;
	uint8_t table_id;
	rte_be64_t cookie;
	/* struct ofp_match, then 2 bytes of zeros, then the frame */
} __attribute__((packed));

struct ofp_packet_out {
	struct ofp_header h;
	rte_be32_t buffer_id;
	rte_be32_t in_port;
	rte_be16_t actions_len;
	uint8_t pad[6];
	/* actions, then the frame */
} __attribute__((packed));

struct ofp_port {
	rte_be32_t port_no;
	uint8_t pad[4];
	uint8_t hw_addr[6];
	uint8_t pad2[2];
	char name[16];
	rte_be32_t config;
	rte_be32_t state;
	rte_be32_t curr;
	rte_be32_t advertised;
	rte_be32_t supported;
	rte_be32_t peer;
	rte_be32_t curr_speed; /* kbit/s */
	rte_be32_t max_speed;
} __attribute__((packed));

struct ofp_port_status {
	struct ofp_header h;
	uint8_t reason;
	uint8_t pad[7];
	struct ofp_port desc;
} __attribute__((packed));

struct ofp_port_mod {
	struct ofp_header h;
	rte_be32_t port_no;
	uint8_t pad[4];
	uint8_t hw_addr[6];
	uint8_t pad2[2];
	rte_be32_t config;
	rte_be32_t mask;
	rte_be32_t advertise;
	uint8_t pad3[4];
} __attribute__((packed));

struct ofp_group_mod {
	struct ofp_header h;
	rte_be16_t command;
	uint8_t type;
	uint8_t pad;
	rte_be32_t group_id;
	/* struct ofp_bucket... */
} __attribute__((packed));

struct ofp_bucket {
	rte_be16_t len;
	rte_be16_t weight;
	rte_be32_t watch_port;
	rte_be32_t watch_group;
	uint8_t pad[4];
	/* actions */
} __attribute__((packed));

struct ofp_multipart { /* request and reply */
	struct ofp_header h;
	rte_be16_t type;
	rte_be16_t flags;
	uint8_t pad[4];
} __attribute__((packed));

struct ofp_flow_stats_request { /* also aggregate; then struct ofp_match */
	uint8_t table_id;
	uint8_t pad[3];
	rte_be32_t out_port;
	rte_be32_t out_group;
	uint8_t pad2[4];
	rte_be64_t cookie;
	rte_be64_t cookie_mask;
} __attribute__((packed));

struct ofp_flow_stats {
	rte_be16_t length;
	uint8_t table_id;
	uint8_t pad;
	rte_be32_t duration_sec;
	rte_be32_t duration_nsec;
	rte_be16_t priority;
	rte_be16_t idle_timeout;
	rte_be16_t hard_timeout;
	rte_be16_t flags;
	uint8_t pad2[4];
	rte_be64_t cookie;
	rte_be64_t packet_count;
	rte_be64_t byte_count;
	/* struct ofp_match, then instructions */
} __attribute__((packed));

struct ofp_aggregate_stats_reply {
	rte_be64_t packet_count;
	rte_be64_t byte_count;
	rte_be32_t flow_count;
	uint8_t pad[4];
} __attribute__((packed));

struct ofp_table_stats {
	uint8_t table_id;
	uint8_t pad[3];
	rte_be32_t active_count;
	rte_be64_t lookup_count;
	rte_be64_t matched_count;
} __attribute__((packed));

struct ofp_table_features {
	rte_be16_t length;
	uint8_t table_id;
	uint8_t pad[5];
	char name[32];
	rte_be64_t metadata_match;
	rte_be64_t metadata_write;
	rte_be32_t config;
	rte_be32_t max_entries;
	/* properties */
} __attribute__((packed));

struct ofp_port_stats {
	rte_be32_t port_no;
	uint8_t pad[4];
	rte_be64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	rte_be64_t rx_dropped, tx_dropped, rx_errors, tx_errors;
	rte_be64_t rx_frame_err, rx_over_err, rx_crc_err, collisions;
	rte_be32_t duration_sec;
	rte_be32_t duration_nsec;
} __attribute__((packed));

struct ofp_group_stats {
	rte_be16_t length;
	uint8_t pad[2];
	rte_be32_t group_id;
	rte_be32_t ref_count;
	uint8_t pad2[4];
	rte_be64_t packet_count;
	rte_be64_t byte_count;
	rte_be32_t duration_sec;
	rte_be32_t duration_nsec;
	/* struct ofp_bucket_counter { packet_count, byte_count }... */
} __attribute__((packed));

struct ofp_group_desc {
	rte_be16_t length;
	uint8_t type;
	uint8_t pad;
	rte_be32_t group_id;
	/* struct ofp_bucket... */
} __attribute__((packed));

struct ofp_desc {
	char mfr_desc[256];
	char hw_desc[256];
	char sw_desc[256];
	char serial_num[32];
	char dp_desc[256];
} __attribute__((packed));

struct ofp_role_request {
	struct ofp_header h;
	rte_be32_t role;
	uint8_t pad[4];
	rte_be64_t generation_id;
} __attribute__((packed));

struct ofp_async_config {
	struct ofp_header h;
	rte_be32_t packet_in_mask[2]; /* [0]: master/equal, [1]: slave */
	rte_be32_t port_status_mask[2];
	rte_be32_t flow_removed_mask[2];
} __attribute__((packed));

struct ofp_error_msg {
	struct ofp_header h;
	rte_be16_t type;
	rte_be16_t code;
	/* the offending message's first bytes (at least 64, or all of it) */
} __attribute__((packed));

struct ofp_experimenter_header {
	struct ofp_header h;
	rte_be32_t experimenter;
	rte_be32_t exp_type;
} __attribute__((packed));

struct ofp_bundle_ctrl { /* after the header (1.4) or experimenter header (1.3) */
	rte_be32_t bundle_id;
	rte_be16_t type;
	rte_be16_t flags;
	/* properties */
} __attribute__((packed));

struct ofp_bundle_add { /* then the whole inner message, then properties */
	rte_be32_t bundle_id;
	uint8_t pad[2];
	rte_be16_t flags;
} __attribute__((packed));

_Static_assert(sizeof(struct ofp_header) == 8, "ofp_header");
_Static_assert(sizeof(struct ofp_switch_features) == 32, "ofp_switch_features");
_Static_assert(sizeof(struct ofp_flow_mod) == 48, "ofp_flow_mod (without the match)");
_Static_assert(sizeof(struct ofp_flow_removed) == 48, "ofp_flow_removed");
_Static_assert(sizeof(struct ofp_packet_in) == 24, "ofp_packet_in");
_Static_assert(sizeof(struct ofp_packet_out) == 24, "ofp_packet_out");
_Static_assert(sizeof(struct ofp_port) == 64, "ofp_port");
_Static_assert(sizeof(struct ofp_port_status) == 80, "ofp_port_status");
_Static_assert(sizeof(struct ofp_port_mod) == 40, "ofp_port_mod");
_Static_assert(sizeof(struct ofp_bucket) == 16, "ofp_bucket");
_Static_assert(sizeof(struct ofp_multipart) == 16, "ofp_multipart");
_Static_assert(sizeof(struct ofp_flow_stats_request) == 32, "ofp_flow_stats_request");
_Static_assert(sizeof(struct ofp_flow_stats) == 48, "ofp_flow_stats");
_Static_assert(sizeof(struct ofp_table_features) == 64, "ofp_table_features");
_Static_assert(sizeof(struct ofp_port_stats) == 112, "ofp_port_stats");
_Static_assert(sizeof(struct ofp_group_stats) == 40, "ofp_group_stats");
_Static_assert(sizeof(struct ofp_desc) == 1056, "ofp_desc");
_Static_assert(sizeof(struct ofp_role_request) == 24, "ofp_role_request");
_Static_assert(sizeof(struct ofp_async_config) == 32, "ofp_async_config");

/* Reading network-order fields at any offset (the caller has checked it). */
static inline uint16_t
vs_ofp_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
vs_ofp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
vs_ofp_get64(const uint8_t *p)
{
	return (uint64_t)vs_ofp_get32(p) << 32 | vs_ofp_get32(p + 4);
}

static inline void
vs_ofp_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void
vs_ofp_put32(uint8_t *p, uint32_t v)
{
	vs_ofp_put16(p, v >> 16);
	vs_ofp_put16(p + 2, v & 0xffff);
}

static inline void
vs_ofp_put64(uint8_t *p, uint64_t v)
{
	vs_ofp_put32(p, v >> 32);
	vs_ofp_put32(p + 4, v & 0xffffffff);
}

#endif
