/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofp_chan.h: the fixed-size message layouts the channel
 * itself needs (header, HELLO, ERROR, FEATURES, SWITCH_CONFIG, ROLE, ASYNC,
 * MULTIPART framing, ports), all in network byte order on the wire, as
 * naturally aligned structs that a session casts its received buffer to.
 * The numbers (message types, errors, ports, reasons) are the codec's, in
 * codec/ofp_wire.h: each is defined there once. */
#ifndef VS_OFP_CHAN_H
#define VS_OFP_CHAN_H

#include <stdint.h>

#include "ofp_wire.h"

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
