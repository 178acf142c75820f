/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofp_handle.c: what each OpenFlow 1.3 message from a
 * controller does, once its session is up (HELLO and ECHO are ofconn.c's):
 * the switch's own replies here (FEATURES, SWITCH_CONFIG, BARRIER), the
 * rest handed to the file that owns it (roles ofp_role.c, multipart
 * ofp_mp.c, ports ofp_port.c, rules and packet-out ofp_flow.c). Anything
 * refused gets the ERROR the specification names (7.4.4), with the first
 * 64 bytes of the request. */
#include <arpa/inet.h>
#include <string.h>

#include <rte_byteorder.h>

#include "bridge.h"
#include "log.h"
#include "of_int.h"
#include "switch.h"

static void
features(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	struct vs_ofw_features f = {0};

	if (len != sizeof(*h)) {
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
		return;
	}
	vs_ofp_header_init(&f.h, OFPT_FEATURES_REPLY, sizeof(f), ntohl(h->xid));
	f.datapath_id = rte_cpu_to_be_64(vs_of_datapath_id(s->ob->sw, s->ob->br));
	f.n_buffers = 0; /* packet-ins are never buffered: the whole frame goes */
	f.n_tables = VS_TABLES;
	f.capabilities =
		htonl(OFPC_FLOW_STATS | OFPC_TABLE_STATS | OFPC_PORT_STATS | OFPC_GROUP_STATS);
	vs_ofconn_send(s->conn, &f, sizeof(f));
}

static void
get_config(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	struct vs_ofw_switch_config c = {0};

	if (len != sizeof(*h)) {
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
		return;
	}
	vs_ofp_header_init(&c.h, OFPT_GET_CONFIG_REPLY, sizeof(c), ntohl(h->xid));
	c.flags = htons(s->config_flags);
	c.miss_send_len = htons(s->miss_send_len);
	vs_ofconn_send(s->conn, &c, sizeof(c));
}

static void
set_config(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	const struct vs_ofw_switch_config *c = (const void *)h;
	uint16_t flags, was;

	if (len != sizeof(*c)) {
		vs_ofconn_error(s->conn, h, len, OFPET_SWITCH_CONFIG_FAILED, OFPSCFC_BAD_LEN);
		return;
	}
	/* Fragment handling (flags) is not done: IP fragments go through the
	 * table as they are, OFPC_FRAG_NORMAL; the flags are kept to be shown
	 * back. OFPC_INVALID_TTL_TO_CONTROLLER (1.1, 1.2) turns the session's
	 * OFPR_INVALID_TTL packet-ins on, and off again when a SET_CONFIG
	 * clears it, as OVS does for those versions; a SET_CONFIG that never
	 * had it leaves what SET_ASYNC chose. */
	flags = ntohs(c->flags);
	was = s->config_flags & OFPC_INVALID_TTL_TO_CONTROLLER;
	if ((flags & OFPC_INVALID_TTL_TO_CONTROLLER) && !was)
		s->async[0] |= 1u << OFPR_INVALID_TTL;
	else if (!(flags & OFPC_INVALID_TTL_TO_CONTROLLER) && was)
		s->async[0] &= ~(1u << OFPR_INVALID_TTL);
	s->config_flags = flags;
	s->miss_send_len = ntohs(c->miss_send_len);
	vs_of_ttl_update(s->ob);
}

static void
barrier(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	struct vs_ofp_header r;

	/* Every message before it has been applied already: each handler
	 * publishes its change before it returns. */
	vs_ofp_header_init(&r, OFPT_BARRIER_REPLY, sizeof(r), ntohl(h->xid));
	vs_ofconn_send(s->conn, &r, sizeof(r));
}

static void
peer_error(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	const struct vs_ofw_error *e = (const void *)h;

	if (len >= sizeof(*e))
		VS_LOG(INFO, "bridge %s: controller %s sent ERROR type %u code %u", s->ob->br->name,
		       s->conn->peer, ntohs(e->type), ntohs(e->code));
}

/* TABLE_MOD (1.3.5, 7.3.3): 1.3 deprecates every config bit, and the
 * tables have nothing else to set (no eviction, no vacancy events before
 * 1.4), so a valid one is a no-op, as in OVS: a table of the switch or
 * OFPTT_ALL, config 0 or the deprecated bits. */
static void
table_mod(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	const uint8_t *p = (const uint8_t *)h;

	if (len != 16) { /* header, table_id, pad[3], config */
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
		return;
	}
	if (p[8] >= VS_TABLES && p[8] != OFPTT_ALL)
		vs_ofconn_error(s->conn, h, len, OFPET_TABLE_MOD_FAILED, OFPTMFC_BAD_TABLE);
	else if (vs_ofp_get32(p + 12) & ~OFPTC_DEPRECATED_MASK)
		vs_ofconn_error(s->conn, h, len, OFPET_TABLE_MOD_FAILED, OFPTMFC_BAD_CONFIG);
}

/* METER_MOD (1.3.5, 7.3.4.4): the switch has no meters (METER_FEATURES
 * says max_meter 0). Refused as OVS refuses them without a meter
 * provider: an id out of range (0, above OFPM_MAX: the virtual meters,
 * OFPM_ALL) INVALID_METER, any other OUT_OF_METERS; an unknown command
 * BAD_COMMAND. A delete removes nothing, which is no error. */
static void
meter_mod(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	const uint8_t *p = (const uint8_t *)h;
	uint16_t cmd;
	uint32_t id;

	if (len < 16) { /* header, command, flags, meter_id, then bands */
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
		return;
	}
	cmd = vs_ofp_get16(p + 8);
	id = vs_ofp_get32(p + 12);
	if (cmd > OFPMC_DELETE)
		vs_ofconn_error(s->conn, h, len, OFPET_METER_MOD_FAILED, OFPMMFC_BAD_COMMAND);
	else if (cmd != OFPMC_DELETE && (id == 0 || id > OFPM_MAX))
		vs_ofconn_error(s->conn, h, len, OFPET_METER_MOD_FAILED, OFPMMFC_INVALID_METER);
	else if (cmd != OFPMC_DELETE)
		vs_ofconn_error(s->conn, h, len, OFPET_METER_MOD_FAILED, OFPMMFC_OUT_OF_METERS);
}

/* Changes to the switch: refused to a slave (6.3.7). */
static bool
writable(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	if (vs_of_session_writable(s))
		return true;
	vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_IS_SLAVE);
	return false;
}

void
vs_of_handle(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	switch (h->type) {
	case OFPT_ERROR:
		peer_error(s, h, len);
		break;
	case OFPT_EXPERIMENTER:
		if (!vs_of_bundle(s, h, len)) /* the ONF bundles: ofp_bundle.c */
			vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST,
					OFPBRC_BAD_EXPERIMENTER);
		break;
	case OFPT_FEATURES_REQUEST:
		features(s, h, len);
		break;
	case OFPT_GET_CONFIG_REQUEST:
		get_config(s, h, len);
		break;
	case OFPT_SET_CONFIG:
		set_config(s, h, len);
		break;
	case OFPT_BARRIER_REQUEST:
		barrier(s, h, len);
		break;
	case OFPT_ROLE_REQUEST:
		vs_of_role_request(s, h, len);
		break;
	case OFPT_GET_ASYNC_REQUEST:
		vs_of_get_async(s, h, len);
		break;
	case OFPT_SET_ASYNC:
		vs_of_set_async(s, h, len);
		break;
	case OFPT_MULTIPART_REQUEST:
		vs_of_multipart(s, h, len);
		break;
	case OFPT_FLOW_MOD:
		if (writable(s, h, len))
			vs_of_flow_mod(s, h, len);
		break;
	case OFPT_PACKET_OUT:
		if (writable(s, h, len))
			vs_of_packet_out(s, h, len);
		break;
	case OFPT_PORT_MOD:
		if (writable(s, h, len))
			vs_of_port_mod(s, h, len);
		break;
	case OFPT_GROUP_MOD:
		if (writable(s, h, len))
			vs_of_group_mod(s, h, len);
		break;
	case OFPT_TABLE_MOD:
		if (writable(s, h, len))
			table_mod(s, h, len);
		break;
	case OFPT_METER_MOD:
		if (writable(s, h, len))
			meter_mod(s, h, len);
		break;
	default:
		/* Unknown, or a message only a switch sends. */
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE);
		break;
	}
}
