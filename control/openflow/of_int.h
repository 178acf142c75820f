/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/of_int.h: internal to control/openflow/: the per-bridge
 * state (controller.c owns it), the sessions the message handlers
 * (ofp_handle.c, ofp_mp.c, ofp_port.c) work on, and packet-ins (pktin.c).
 * Other folders use controller.h. */
#ifndef VS_OF_INT_H
#define VS_OF_INT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "bridge_ctl.h"
#include "controller.h"
#include "flow_table.h"
#include "ofconn.h"
#include "stream.h"

struct vs_switch;
struct vs_bridge;
struct vs_of_bridge;
struct vs_port;
struct vs_of_stream;

#define VS_OF_SESSIONS_MAX 16 /* connections per bridge, all targets */
#define VS_OF_TLS_CAUSES   8  /* TLS failure causes a target remembers having logged */
/* Bundles (ofp_bundle.c): open at once per session, FLOW_MODs in one. */
#define VS_OF_BUNDLES_MAX     4
#define VS_OF_BUNDLE_MSGS_MAX 4096
/* An open bundle that has had no message for this long is discarded
 * (what it held is freed); later messages for it get OFPBFC_TIMEOUT. */
#define VS_OF_BUNDLE_IDLE_MS 60000
#define VS_OF_BACKOFF_MIN    1000
#define VS_OF_BACKOFF_MAX    8000
/* Standalone: fail open this long after the last controller went, as
 * OVS does (three probe intervals). */
#define VS_OF_FAIL_OPEN_MS     (3 * VS_OFCONN_ECHO_MS)
#define VS_OF_FAIL_OPEN_COOKIE 0xf0f0f0f0f0f0f0f0ull

struct vs_of_target {
	char text[VS_OF_TARGET_MAX];
	bool passive;
	struct vs_stream_target addr; /* tcp or tls, where (control/stream/) */
	int lfd;                      /* passive: the listening socket, -1: none (yet) */
	struct vs_ofconn *conn;       /* active: the connection, NULL: in backoff */
	uint32_t backoff_ms;
	uint64_t next_ms; /* active: next attempt; passive: next bind retry */
	uint64_t attempts;
	char error[128]; /* the last failure, "" if none */
	/* TLS: connections that failed before OpenFlow started (handshake,
	 * verification, timeout), the last one's reason, and the reasons
	 * logged (hashes: each cause is logged once, not once per connection). */
	uint64_t tls_errors;
	char tls_error[256];
	uint32_t tls_logged[VS_OF_TLS_CAUSES];
	unsigned int tls_logged_next;
	struct vs_of_bridge *ob;
};

/* One connection's OpenFlow session. */
struct vs_of_session {
	struct vs_ofconn *conn;
	struct vs_of_bridge *ob;
	struct vs_of_target *t;
	uint8_t role; /* OFPCR_ROLE_* */
	uint16_t config_flags;
	uint16_t miss_send_len;
	uint32_t async[6];             /* packet_in[2], port_status[2], flow_removed[2] */
	struct vs_of_stream *stream;   /* a reply going out as the peer reads (ofp_mp_stream.c) */
	struct vs_of_bundles *bundles; /* ofp_bundle.c's; NULL: none open */
};

/* What PORT_STATUS compares against: the bridge's ports as last told. */
struct vs_of_port_seen {
	bool present;
	bool live;
	uint32_t ofport;
	char name[VS_NAME_MAX];
};

struct vs_of_bridge {
	struct vs_switch *sw;
	struct vs_bridge *br;
	struct vs_of_target targets[VS_OF_TARGETS_MAX];
	unsigned int n_targets;
	struct vs_of_session *sess[VS_OF_SESSIONS_MAX];
	uint8_t fail_mode;
	bool dpid_set;
	uint64_t dpid;
	uint32_t rate, burst;
	/* Standalone: the fail-open rule is in the table. */
	bool fail_open;
	bool ever_up; /* an active controller has been connected */
	bool scanned; /* ports looked at once */
	uint64_t last_scan_ms;
	uint64_t no_ctl_since_ms; /* 0: a controller is connected */
	/* Role generation ids (6.3.7): the last master/slave request's. */
	bool gen_valid;
	uint64_t gen;
	/* Packet-in protection (pktin.c): a token bucket. */
	uint64_t tokens_mtok; /* milli-tokens */
	uint64_t tokens_ms;
	uint64_t pktin_sent, pktin_rate_drop, pktin_ring_drop, pktin_no_ctl;
	uint64_t out_overflow;  /* sessions dropped for not reading */
	uint64_t pktout_drop;   /* packet-outs lost: the PMD's queue was full */
	unsigned int pktout_rr; /* the PMD the next packet-out goes to */
	struct vs_of_port_seen ports[VS_MAX_PORTS];
};

struct vs_of {
	struct vs_switch *sw;
	struct vs_of_bridge *br[VS_MAX_BRIDGES]; /* by bridge id */
	uint64_t now_ms;
	uint8_t scratch[VS_OFP_MSG_MAX]; /* one message being built */
};

/* controller.c */
struct vs_of_bridge *vs_of_bridge_get(struct vs_switch *sw, const struct vs_bridge *br);
/* Is this session allowed to change the switch (not a slave)? */
static inline bool
vs_of_session_writable(const struct vs_of_session *s)
{
	return s->role != OFPCR_ROLE_SLAVE;
}
/* Send 'msg' to every session of the bridge that is up and whose async
 * mask for 'kind' (0 packet-in, 1 port status) has bit 'reason'. */
void vs_of_broadcast(struct vs_of_bridge *ob, int kind, uint8_t reason, const void *msg,
		     size_t len);

/* ofp_handle.c: one message of an up session. */
void vs_of_handle(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len);
/* ofp_role.c: ROLE_REQUEST; the defaults of a new session. */
void vs_of_role_request(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len);
void vs_of_session_defaults(struct vs_of_session *s);
void vs_of_get_async(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len);
void vs_of_set_async(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len);

/* ofp_mp.c: MULTIPART_REQUEST. */
void vs_of_multipart(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len);
/* Send a multipart reply body of 'len' bytes, split into messages under
 * 64 KiB at multiples of 'item' bytes (each message flagged MORE but the
 * last). */
void vs_of_mp_reply(struct vs_of_session *s, const struct vs_ofp_header *req, uint16_t type,
		    const void *body, size_t len, size_t item);

/* ofp_mp_stream.c: send a multipart reply body of entries of varying
 * size, each starting with its 16-bit length (ofp_flow_stats,
 * ofp_table_features), 'body' (malloc'd, taken: freed once sent), split into
 * messages on entry boundaries. What the connection's queue does not take
 * now goes as the peer reads (vs_of_mp_stream_resume), the session's next
 * requests held until then. */
void vs_of_mp_reply_entries(struct vs_of_session *s, const struct vs_ofp_header *req, uint16_t type,
			    uint8_t *body, size_t len);
/* The peer read some of the queue: queue more of the reply, if any. */
void vs_of_mp_stream_resume(struct vs_of_session *s);
/* The session goes: its reply with it. */
void vs_of_mp_stream_free(struct vs_of_session *s);

/* ofp_port.c: ports in OpenFlow's shape, PORT_MOD, PORT_STATUS. */
void vs_of_port_fill(struct vs_switch *sw, const struct vs_port *p, struct vs_ofw_port *op);
void vs_of_port_mod(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len);
/* Compare the bridge's ports with what sessions were told; tell them. */
void vs_of_port_scan(struct vs_of_bridge *ob);

/* ofp_flow.c: FLOW_MOD, flow and aggregate stats, PACKET_OUT. */
/* The FLOW_MOD_FAILED code for what the flow table's actions refused
 * (-ENOSPC, -EEXIST, -EPERM...), for FLOW_MOD and bundles alike. */
uint16_t vs_of_flow_mod_fail_code(int rc);
void vs_of_flow_mod(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len);
void vs_of_packet_out(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len);
/* OFPMP_FLOW and OFPMP_AGGREGATE, 'body' the request's. */
void vs_of_flow_stats(struct vs_of_session *s, const struct vs_ofp_header *h, uint16_t type,
		      const uint8_t *body, size_t blen);

/* ofp_port.c: the bridge's ports for the codec (struct vs_ofp_ports,
 * ctx the struct vs_of_bridge). */
int vs_of_port_to_id(void *ctx, uint32_t ofport, uint16_t *id);
int vs_of_id_to_port(void *ctx, uint16_t id, uint32_t *ofport);
/* ofp_bundle.c: an ONF bundle message (false: not one, nothing done);
 * a closing session's bundles discarded. */
bool vs_of_bundle(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len);
void vs_of_bundles_free(struct vs_of_session *s);
/* ofp_group_chan.c: GROUP_MOD; OFPMP_GROUP, GROUP_DESC, GROUP_FEATURES. */
void vs_of_group_mod(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len);
void vs_of_group_multipart(struct vs_of_session *s, const struct vs_ofp_header *h, uint16_t type,
			   const uint8_t *body, size_t blen);

/* ofp_flow_removed.c: the flow table's removed-rule hook (ctx: struct vs_of). */
/* Whether a session of 'ob' takes OFPR_INVALID_TTL packet-ins, told to
 * its PMDs (vs_bridge.ttl_to_ctl): after SET_CONFIG and SET_ASYNC, and
 * when such a packet-in finds no taker (the session went). */
void vs_of_ttl_update(struct vs_of_bridge *ob);

/* How long 'r' has been in its table, as OpenFlow says it: whole seconds
 * and the nanoseconds past them, both from one reading of the clock. */
void vs_of_rule_duration(const struct vs_switch *sw, const struct vs_rule *r, uint32_t *sec,
			 uint32_t *nsec);

void vs_of_flow_removed(void *ctx, struct vs_bridge *br, const struct vs_rule *r,
			enum vs_flow_removed_reason reason, uint64_t packets, uint64_t bytes,
			uint32_t duration);

/* pktin.c: drain the packet-in rings (a bounded number per call). */
unsigned int vs_of_pktin_drain(struct vs_of *of);

/* fail_open.c: standalone bridges with no controller get a learning rule. */
void vs_of_fail_open_tick(struct vs_of_bridge *ob, uint64_t now_ms);
void vs_of_fail_open_remove(struct vs_of_bridge *ob);

#endif
