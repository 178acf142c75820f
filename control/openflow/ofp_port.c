/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofp_port.c: the bridge's ports as OpenFlow sees them:
 * their numbers, their ofp_port description (PORT_DESC, PORT_STATUS),
 * PORT_STATUS when a port comes, goes or changes link state (checked once
 * a second), and PORT_MOD's admin down and up.
 *
 * Admin down is the smallest thing that works: the port's rx and tx point
 * at the drivers' no-ops (vs_port_set_admin_down, drivers/port.h; a
 * reconfiguration of the port keeps it so), so nothing is received from
 * it (the device counts what it could not deliver) and what is sent to it
 * is dropped, counted as port_down. It is the controller's state, not
 * saved, and ends with the port. */
#include <arpa/inet.h>
#include <string.h>

#include "bridge.h"
#include "bridge_ctl.h"
#include "of_int.h"
#include "switch.h"

int
vs_of_port_to_id(void *ctx, uint32_t ofport, uint16_t *id)
{
	struct vs_of_bridge *ob = ctx;
	struct vs_port *p = vs_bridge_ofport(ob->sw, ob->br, ofport);

	if (p == NULL)
		return -ENOENT;
	*id = p->id;
	return 0;
}

int
vs_of_id_to_port(void *ctx, uint16_t id, uint32_t *ofport)
{
	struct vs_of_bridge *ob = ctx;

	if (id >= VS_MAX_PORTS || ob->sw->ports[id] == NULL || ob->sw->ports[id]->br != ob->br)
		return -ENOENT;
	*ofport = ob->sw->ports[id]->ofport;
	return 0;
}

static uint32_t
speed_feature(uint32_t mbps)
{
	switch (mbps) {
	case 10:
		return 1u << 1; /* OFPPF_10MB_FD */
	case 100:
		return 1u << 3;
	case 1000:
		return 1u << 5;
	case 10000:
		return 1u << 6;
	case 40000:
		return 1u << 7;
	case 100000:
		return 1u << 8;
	case 1000000:
		return 1u << 9;
	default:
		return 1u << 10; /* OFPPF_OTHER */
	}
}

void
vs_of_port_fill(struct vs_switch *sw, const struct vs_port *p, struct vs_ofw_port *op)
{
	struct vs_port_status st = {0};
	uint32_t f;

	memset(op, 0, sizeof(*op));
	p->ops->status(p, &st);
	op->port_no = htonl((p)->ofport);
	memcpy(op->hw_addr, st.mac.addr_bytes, 6);
	/* OpenFlow's names are 15 characters: a longer one is cut. */
	memcpy(op->name, p->name, strnlen(p->name, sizeof(op->name) - 1));
	op->config = htonl(p->admin_down ? OFPPC_PORT_DOWN : 0);
	op->state = htonl(st.link_up ? OFPPS_LIVE : OFPPS_LINK_DOWN);
	f = st.speed_mbps ? speed_feature(st.speed_mbps) | (1u << 11) /* copper */ : 0;
	op->curr = op->supported = htonl(f);
	op->curr_speed = op->max_speed = htonl(st.speed_mbps * 1000);
}

static void
status_send(struct vs_of_bridge *ob, uint8_t reason, const struct vs_ofw_port *desc)
{
	struct vs_ofw_port_status m = {0};

	vs_ofp_header_init(&m.h, OFPT_PORT_STATUS, sizeof(m), 0);
	m.reason = reason;
	m.desc = *desc;
	vs_of_broadcast(ob, 1, reason, &m, sizeof(m));
}

static void
seen_set(struct vs_of_port_seen *s, const struct vs_port *p, bool live)
{
	s->present = true;
	s->live = live;
	s->ofport = (p)->ofport;
	snprintf(s->name, sizeof(s->name), "%s", p->name);
}

void
vs_of_port_scan(struct vs_of_bridge *ob)
{
	struct vs_switch *sw = ob->sw;
	bool quiet = !ob->scanned; /* the ports there before the first look are not news */
	struct vs_ofw_port op;
	unsigned int i;

	ob->scanned = true;
	for (i = 0; i < VS_MAX_PORTS; i++) {
		struct vs_of_port_seen *s = &ob->ports[i];
		const struct vs_port *p = sw->ports[i];
		bool here = p != NULL && p->br == ob->br, live;

		if (s->present && (!here || strcmp(s->name, p->name) != 0)) {
			memset(&op, 0, sizeof(op));
			op.port_no = htonl(s->ofport);
			memcpy(op.name, s->name, strnlen(s->name, sizeof(op.name) - 1));
			op.state = htonl(OFPPS_LINK_DOWN);
			status_send(ob, OFPPR_DELETE, &op);
			memset(s, 0, sizeof(*s));
		}
		if (!here)
			continue;
		vs_of_port_fill(sw, p, &op);
		live = (ntohl(op.state) & OFPPS_LIVE) != 0;
		if (!s->present) {
			seen_set(s, p, live);
			if (!quiet)
				status_send(ob, OFPPR_ADD, &op);
		} else if (s->live != live) {
			s->live = live;
			status_send(ob, OFPPR_MODIFY, &op);
		}
	}
}

void
vs_of_port_mod(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	struct vs_of_bridge *ob = s->ob;
	struct vs_ofw_port_mod pm;
	struct vs_ofw_port op;
	struct vs_port *p;
	uint32_t config, mask;

	if (len != sizeof(pm)) {
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
		return;
	}
	memcpy(&pm, h, sizeof(pm));
	p = vs_bridge_ofport(ob->sw, ob->br, ntohl(pm.port_no));
	if (p == NULL) {
		vs_ofconn_error(s->conn, h, len, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_PORT);
		return;
	}
	vs_of_port_fill(ob->sw, p, &op);
	if (memcmp(op.hw_addr, pm.hw_addr, 6) != 0) {
		vs_ofconn_error(s->conn, h, len, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_HW_ADDR);
		return;
	}
	config = ntohl(pm.config);
	mask = ntohl(pm.mask);
	/* Only PORT_DOWN: no_recv, no_fwd and no_packet_in are not supported. */
	if (mask & ~OFPPC_PORT_DOWN) {
		vs_ofconn_error(s->conn, h, len, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_CONFIG);
		return;
	}
	if (!(mask & OFPPC_PORT_DOWN) || p->admin_down == !!(config & OFPPC_PORT_DOWN))
		return;
	vs_port_set_admin_down(p, (config & OFPPC_PORT_DOWN) != 0);
	vs_of_port_fill(ob->sw, p, &op);
	status_send(ob, OFPPR_MODIFY, &op);
}
