/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofp_chan.h: the OpenFlow 1.3 numbers and fixed-size
 * message layouts the channel itself needs (header, HELLO, ERROR,
 * FEATURES, SWITCH_CONFIG, ROLE, ASYNC, MULTIPART framing, ports), all in
 * network byte order on the wire. The match and action codec is ofc's
 * (ofp_wire.h, ofp_match.c, ofp_actions.c); this is only what a session
 * needs before a rule is ever decoded, prefixed VS_ so that it cannot
 * clash with the codec's names. */
#ifndef VS_OFP_CHAN_H
#define VS_OFP_CHAN_H

#include <stdint.h>

#define VS_OFP_VERSION   0x04 /* OpenFlow 1.3 */
#define VS_OFP_MSG_MAX   65535
#define VS_OFP_TCP_PORT  6653
#define VS_OFP_NO_BUFFER 0xffffffffu

enum {
	VS_OFPT_HELLO = 0,
	VS_OFPT_ERROR = 1,
	VS_OFPT_ECHO_REQUEST = 2,
	VS_OFPT_ECHO_REPLY = 3,
	VS_OFPT_EXPERIMENTER = 4,
	VS_OFPT_FEATURES_REQUEST = 5,
	VS_OFPT_FEATURES_REPLY = 6,
	VS_OFPT_GET_CONFIG_REQUEST = 7,
	VS_OFPT_GET_CONFIG_REPLY = 8,
	VS_OFPT_SET_CONFIG = 9,
	VS_OFPT_PACKET_IN = 10,
	VS_OFPT_FLOW_REMOVED = 11,
	VS_OFPT_PORT_STATUS = 12,
	VS_OFPT_PACKET_OUT = 13,
	VS_OFPT_FLOW_MOD = 14,
	VS_OFPT_GROUP_MOD = 15,
	VS_OFPT_PORT_MOD = 16,
	VS_OFPT_TABLE_MOD = 17,
	VS_OFPT_MULTIPART_REQUEST = 18,
	VS_OFPT_MULTIPART_REPLY = 19,
	VS_OFPT_BARRIER_REQUEST = 20,
	VS_OFPT_BARRIER_REPLY = 21,
	VS_OFPT_QUEUE_GET_CONFIG_REQUEST = 22,
	VS_OFPT_QUEUE_GET_CONFIG_REPLY = 23,
	VS_OFPT_ROLE_REQUEST = 24,
	VS_OFPT_ROLE_REPLY = 25,
	VS_OFPT_GET_ASYNC_REQUEST = 26,
	VS_OFPT_GET_ASYNC_REPLY = 27,
	VS_OFPT_SET_ASYNC = 28,
	VS_OFPT_METER_MOD = 29,
};

/* Error types and the codes the channel uses (OpenFlow 1.3.5, 7.4.4). */
enum {
	VS_OFPET_HELLO_FAILED = 0,
	VS_OFPET_BAD_REQUEST = 1,
	VS_OFPET_BAD_ACTION = 2,
	VS_OFPET_BAD_INSTRUCTION = 3,
	VS_OFPET_BAD_MATCH = 4,
	VS_OFPET_FLOW_MOD_FAILED = 5,
	VS_OFPET_GROUP_MOD_FAILED = 6,
	VS_OFPET_PORT_MOD_FAILED = 7,
	VS_OFPET_TABLE_MOD_FAILED = 8,
	VS_OFPET_QUEUE_OP_FAILED = 9,
	VS_OFPET_SWITCH_CONFIG_FAILED = 10,
	VS_OFPET_ROLE_REQUEST_FAILED = 11,
	VS_OFPET_METER_MOD_FAILED = 12,
	VS_OFPET_TABLE_FEATURES_FAILED = 13,
};
#define VS_OFPHFC_INCOMPATIBLE       0
#define VS_OFPBRC_BAD_VERSION        0
#define VS_OFPBRC_BAD_TYPE           1
#define VS_OFPBRC_BAD_MULTIPART      2
#define VS_OFPBRC_BAD_EXPERIMENTER   3
#define VS_OFPBRC_EPERM              5
#define VS_OFPBRC_BAD_LEN            6
#define VS_OFPBRC_BUFFER_UNKNOWN     8
#define VS_OFPBRC_BAD_TABLE_ID       9
#define VS_OFPBRC_IS_SLAVE           10
#define VS_OFPBRC_BAD_PORT           11
#define VS_OFPBRC_BAD_PACKET         12
#define VS_OFPBRC_MULTIPART_OVERFLOW 13
#define VS_OFPPMFC_BAD_PORT          0
#define VS_OFPPMFC_BAD_HW_ADDR       1
#define VS_OFPPMFC_BAD_CONFIG        2
#define VS_OFPSCFC_BAD_LEN           1
#define VS_OFPRRFC_STALE             0
#define VS_OFPRRFC_BAD_ROLE          2

/* Ports. */
#define VS_OFPP_MAX        0xffffff00u
#define VS_OFPP_IN_PORT    0xfffffff8u
#define VS_OFPP_TABLE      0xfffffff9u
#define VS_OFPP_NORMAL     0xfffffffau
#define VS_OFPP_FLOOD      0xfffffffbu
#define VS_OFPP_ALL        0xfffffffcu
#define VS_OFPP_CONTROLLER 0xfffffffdu
#define VS_OFPP_LOCAL      0xfffffffeu
#define VS_OFPP_ANY        0xffffffffu

#define VS_OFPPC_PORT_DOWN (1u << 0)
#define VS_OFPPS_LINK_DOWN (1u << 0)
#define VS_OFPPS_LIVE      (1u << 2)
#define VS_OFPPR_ADD       0
#define VS_OFPPR_DELETE    1
#define VS_OFPPR_MODIFY    2

/* Switch capabilities (FEATURES_REPLY). */
#define VS_OFPC_FLOW_STATS  (1u << 0)
#define VS_OFPC_TABLE_STATS (1u << 1)
#define VS_OFPC_PORT_STATS  (1u << 2)
#define VS_OFPC_GROUP_STATS (1u << 3)

/* Controller roles. */
enum {
	VS_OFPCR_ROLE_NOCHANGE = 0,
	VS_OFPCR_ROLE_EQUAL = 1,
	VS_OFPCR_ROLE_MASTER = 2,
	VS_OFPCR_ROLE_SLAVE = 3,
};

/* Packet-in reasons. */
#define VS_OFPR_NO_MATCH    0
#define VS_OFPR_ACTION      1
#define VS_OFPR_INVALID_TTL 2

/* Multipart types. */
enum {
	VS_OFPMP_DESC = 0,
	VS_OFPMP_FLOW = 1,
	VS_OFPMP_AGGREGATE = 2,
	VS_OFPMP_TABLE = 3,
	VS_OFPMP_PORT_STATS = 4,
	VS_OFPMP_QUEUE = 5,
	VS_OFPMP_GROUP = 6,
	VS_OFPMP_GROUP_DESC = 7,
	VS_OFPMP_GROUP_FEATURES = 8,
	VS_OFPMP_METER = 9,
	VS_OFPMP_METER_CONFIG = 10,
	VS_OFPMP_METER_FEATURES = 11,
	VS_OFPMP_TABLE_FEATURES = 12,
	VS_OFPMP_PORT_DESC = 13,
	VS_OFPMP_EXPERIMENTER = 0xffff,
};
#define VS_OFPMPF_MORE 1

struct vs_ofp_header {
	uint8_t version;
	uint8_t type;
	uint16_t length;
	uint32_t xid;
};

struct vs_ofw_hello_elem {
	uint16_t type; /* 1: VERSIONBITMAP */
	uint16_t length;
	uint32_t bitmaps[];
};

struct vs_ofw_error {
	struct vs_ofp_header h;
	uint16_t type;
	uint16_t code;
	uint8_t data[];
};

struct vs_ofw_features {
	struct vs_ofp_header h;
	uint64_t datapath_id;
	uint32_t n_buffers;
	uint8_t n_tables;
	uint8_t auxiliary_id;
	uint8_t pad[2];
	uint32_t capabilities;
	uint32_t reserved;
};

struct vs_ofw_switch_config {
	struct vs_ofp_header h;
	uint16_t flags;
	uint16_t miss_send_len;
};

struct vs_ofw_role {
	struct vs_ofp_header h;
	uint32_t role;
	uint8_t pad[4];
	uint64_t generation_id;
} __attribute__((packed, aligned(4)));

struct vs_ofw_async {
	struct vs_ofp_header h;
	uint32_t packet_in_mask[2]; /* [0]: master/equal, [1]: slave */
	uint32_t port_status_mask[2];
	uint32_t flow_removed_mask[2];
};

struct vs_ofw_multipart {
	struct vs_ofp_header h;
	uint16_t type;
	uint16_t flags;
	uint8_t pad[4];
	uint8_t body[];
};

struct vs_ofw_port {
	uint32_t port_no;
	uint8_t pad[4];
	uint8_t hw_addr[6];
	uint8_t pad2[2];
	char name[16];
	uint32_t config;
	uint32_t state;
	uint32_t curr, advertised, supported, peer;
	uint32_t curr_speed; /* kb/s */
	uint32_t max_speed;
};

struct vs_ofw_port_status {
	struct vs_ofp_header h;
	uint8_t reason;
	uint8_t pad[7];
	struct vs_ofw_port desc;
};

struct vs_ofw_port_mod {
	struct vs_ofp_header h;
	uint32_t port_no;
	uint8_t pad[4];
	uint8_t hw_addr[6];
	uint8_t pad2[2];
	uint32_t config;
	uint32_t mask;
	uint32_t advertise;
	uint8_t pad3[4];
};

struct vs_ofw_port_stats {
	uint32_t port_no;
	uint8_t pad[4];
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_dropped, tx_dropped, rx_errors, tx_errors;
	uint64_t rx_frame_err, rx_over_err, rx_crc_err, collisions;
	uint32_t duration_sec;
	uint32_t duration_nsec;
} __attribute__((packed, aligned(4)));

struct vs_ofw_table_stats {
	uint8_t table_id;
	uint8_t pad[3];
	uint32_t active_count;
	uint64_t lookup_count;
	uint64_t matched_count;
} __attribute__((packed, aligned(4)));

struct vs_ofw_desc {
	char mfr_desc[256];
	char hw_desc[256];
	char sw_desc[256];
	char serial_num[32];
	char dp_desc[256];
};

struct vs_ofw_packet_in {
	struct vs_ofp_header h;
	uint32_t buffer_id;
	uint16_t total_len;
	uint8_t reason;
	uint8_t table_id;
	uint64_t cookie;
	/* then an ofp_match (OXM, padded to 8), 2 bytes of pad, the frame */
} __attribute__((packed, aligned(4)));

struct vs_ofw_packet_out {
	struct vs_ofp_header h;
	uint32_t buffer_id;
	uint32_t in_port;
	uint16_t actions_len;
	uint8_t pad[6];
	uint8_t actions[];
};

_Static_assert(sizeof(struct vs_ofp_header) == 8, "ofp_header");
_Static_assert(sizeof(struct vs_ofw_features) == 32, "ofp_switch_features");
_Static_assert(sizeof(struct vs_ofw_switch_config) == 12, "ofp_switch_config");
_Static_assert(sizeof(struct vs_ofw_role) == 24, "ofp_role_request");
_Static_assert(sizeof(struct vs_ofw_async) == 32, "ofp_async_config");
_Static_assert(sizeof(struct vs_ofw_multipart) == 16, "ofp_multipart");
_Static_assert(sizeof(struct vs_ofw_port) == 64, "ofp_port");
_Static_assert(sizeof(struct vs_ofw_port_status) == 80, "ofp_port_status");
_Static_assert(sizeof(struct vs_ofw_port_mod) == 40, "ofp_port_mod");
_Static_assert(sizeof(struct vs_ofw_port_stats) == 112, "ofp_port_stats");
_Static_assert(sizeof(struct vs_ofw_table_stats) == 24, "ofp_table_stats");
_Static_assert(sizeof(struct vs_ofw_desc) == 1056, "ofp_desc");
_Static_assert(sizeof(struct vs_ofw_packet_in) == 24, "ofp_packet_in");
_Static_assert(sizeof(struct vs_ofw_packet_out) == 24, "ofp_packet_out");

#endif
