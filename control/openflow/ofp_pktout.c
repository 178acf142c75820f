/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofp_pktout.c: PACKET_OUT. The control thread has no tx
 * queue of its own (each port has one per PMD, unlocked), so it does not
 * send: it builds the packet in an mbuf, resolves the output actions to a
 * set of the bridge's ports here (FLOOD and ALL too, so in_port=CONTROLLER
 * floods as well), and queues it to a PMD (dataplane/pktin.h), which sends
 * it at its next loop turn through its own queues, or runs it through the
 * flow table for output:TABLE and the learning bridge for NORMAL. That is
 * the one design in which a packet-out can never race a PMD on a queue.
 *
 * Supported actions: output (a port, IN_PORT, TABLE, NORMAL, FLOOD, ALL).
 * Any other action is refused with BAD_ACTION/BAD_TYPE; buffered
 * packet-outs with BAD_REQUEST/BUFFER_UNKNOWN (packet-ins are never
 * buffered). TABLE and NORMAL need a real in_port (not CONTROLLER). */
#include <arpa/inet.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "bridge.h"
#include "of_int.h"
#include "pktin.h"
#include "switch.h"

#define OFPAT_OUTPUT        0
#define OFPBAC_BAD_TYPE     0
#define OFPBAC_BAD_LEN      1
#define OFPBAC_BAD_OUT_PORT 4

static void
add_port(struct vs_pktout_ev *ev, uint16_t id)
{
	ev->ports[id / 64] |= 1ull << (id % 64);
}

/* One output action's port into 'ev'; an OFPBAC_* code if refused, -1 ok. */
static int
output(struct vs_of_session *s, struct vs_pktout_ev *ev, const struct vs_port *in, uint32_t port)
{
	struct vs_switch *sw = s->ob->sw;
	const struct vs_port *p;
	unsigned int i;

	switch (port) {
	case OFPP_IN_PORT:
		if (in == NULL)
			return OFPBAC_BAD_OUT_PORT;
		add_port(ev, in->id);
		return -1;
	case OFPP_TABLE:
		if (in == NULL)
			return OFPBAC_BAD_OUT_PORT;
		ev->table = 1;
		return -1;
	case OFPP_NORMAL:
		if (in == NULL)
			return OFPBAC_BAD_OUT_PORT;
		ev->normal = 1;
		return -1;
	case OFPP_FLOOD:
	case OFPP_ALL:
		for (i = 0; i < VS_MAX_PORTS; i++)
			if (sw->ports[i] != NULL && sw->ports[i]->br == s->ob->br &&
			    sw->ports[i] != in)
				add_port(ev, (uint16_t)i);
		return -1;
	default:
		p = port < OFPP_MAX ? vs_bridge_ofport(sw, s->ob->br, port) : NULL;
		if (p == NULL)
			return OFPBAC_BAD_OUT_PORT;
		add_port(ev, p->id);
		return -1;
	}
}

static int
actions(struct vs_of_session *s, struct vs_pktout_ev *ev, const struct vs_port *in,
	const uint8_t *a, size_t alen, uint16_t *type)
{
	while (alen > 0) {
		uint16_t t, l;
		uint32_t port;
		int code;

		*type = OFPET_BAD_ACTION;
		if (alen < 8)
			return OFPBAC_BAD_LEN;
		t = (uint16_t)(a[0] << 8 | a[1]);
		l = (uint16_t)(a[2] << 8 | a[3]);
		if (l < 8 || l % 8 != 0 || l > alen)
			return OFPBAC_BAD_LEN;
		if (t != OFPAT_OUTPUT)
			return OFPBAC_BAD_TYPE;
		if (l != 16)
			return OFPBAC_BAD_LEN;
		memcpy(&port, a + 4, 4);
		if ((code = output(s, ev, in, ntohl(port))) >= 0)
			return code;
		a += l;
		alen -= l;
	}
	return -1;
}

static struct vs_worker *
next_pmd(struct vs_switch *sw, unsigned int *rr)
{
	unsigned int i;

	for (i = 0; i < VS_MAX_PMDS; i++) {
		struct vs_worker *w = sw->pmds[(*rr + i) % VS_MAX_PMDS];

		if (w != NULL && w->pktout != NULL) {
			*rr = (*rr + i + 1) % VS_MAX_PMDS;
			return w;
		}
	}
	return NULL;
}

void
vs_of_packet_out(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	const struct vs_ofw_packet_out *po = (const void *)h;
	struct vs_switch *sw = s->ob->sw;
	struct vs_pktout_ev ev = {0};
	const struct vs_port *in = NULL;
	struct vs_worker *w;
	uint16_t alen, type = OFPET_BAD_REQUEST;
	size_t dlen;
	uint32_t in_port;
	char *d;
	int code;

	if (len < sizeof(*po) || sizeof(*po) + (alen = ntohs(po->actions_len)) > len) {
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
		return;
	}
	if (ntohl(po->buffer_id) != OFP_NO_BUFFER) {
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BUFFER_UNKNOWN);
		return;
	}
	in_port = ntohl(po->in_port);
	if (in_port != OFPP_CONTROLLER && in_port != OFPP_ANY &&
	    (in = vs_bridge_ofport(sw, s->ob->br, in_port)) == NULL) {
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_PORT);
		return;
	}
	ev.in_port = in ? in->id : VS_PORT_NONE;
	ev.bridge = s->ob->br->id;
	if ((code = actions(s, &ev, in, po->actions, alen, &type)) >= 0) {
		vs_ofconn_error(s->conn, h, len, type, (uint16_t)code);
		return;
	}
	dlen = len - sizeof(*po) - alen;
	w = next_pmd(sw, &s->ob->pktout_rr);
	if (dlen < RTE_ETHER_HDR_LEN || w == NULL) {
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_PACKET);
		return;
	}
	ev.m = rte_pktmbuf_alloc(vs_switch_pool(sw, w->socket));
	d = ev.m ? rte_pktmbuf_append(ev.m, (uint16_t)dlen) : NULL;
	if (d == NULL) {
		rte_pktmbuf_free(ev.m);
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_PACKET);
		return;
	}
	memcpy(d, po->actions + alen, dlen);
	if (in != NULL)
		ev.m->port = in->id;
	if (rte_ring_enqueue_elem(w->pktout, &ev, sizeof(ev)) != 0) {
		rte_pktmbuf_free(ev.m);
		s->ob->pktout_drop++;
	}
}
