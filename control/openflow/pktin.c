/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/pktin.c: packet-ins on the control thread: drained from
 * the PMDs' rings (dataplane/pktin.h), a bounded number per loop turn so
 * that a flood of new flows cannot starve the control socket, then
 * rate-limited per bridge by a token bucket (controller-rate-limit per
 * second, controller-burst-limit at once, OVS's defaults 1000 and 100) and
 * sent to the sessions whose async mask takes the reason. Never buffered:
 * buffer_id is always OFP_NO_BUFFER and the data is the frame's first
 * max_len bytes. What is not sent is counted per bridge and, as a drop
 * reason, on the ingress port (controller_rate). */
#include <arpa/inet.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ring.h>

#include "bridge.h"
#include "of_int.h"
#include "pktin.h"
#include "switch.h"

#define PKTIN_BUDGET 256 /* packet-ins per loop turn, all PMDs */

/* The bucket holds burst * 1000 milli-tokens and fills at 'rate' per ms. */
static bool
take_token(struct vs_of_bridge *ob, uint64_t now)
{
	uint64_t cap = (uint64_t)ob->burst * 1000;

	if (now > ob->tokens_ms) {
		ob->tokens_mtok += (now - ob->tokens_ms) * ob->rate;
		if (ob->tokens_mtok > cap)
			ob->tokens_mtok = cap;
	}
	ob->tokens_ms = now;
	if (ob->tokens_mtok < 1000)
		return false;
	ob->tokens_mtok -= 1000;
	return true;
}

static bool
has_taker(const struct vs_of_bridge *ob, uint8_t reason)
{
	unsigned int i;

	for (i = 0; i < VS_OF_SESSIONS_MAX; i++) {
		const struct vs_of_session *s = ob->sess[i];

		if (s != NULL && s->conn->state == VS_OFCONN_UP &&
		    (s->async[s->role == OFPCR_ROLE_SLAVE] & (1u << reason)))
			return true;
	}
	return false;
}

/* The packet-in's ofp_match (7.2.2): OXM in_port, then metadata when it
 * is not 0 (the pipeline fields a packet-in carries, 7.4.1), padded to 8,
 * then the 2 bytes of pad before the data. Its length with them. */
static size_t
encode_match(uint8_t *p, uint32_t ofport, uint64_t metadata)
{
	uint16_t mlen = metadata != 0 ? 4 + 8 + 12 : 4 + 8;
	size_t padded = (mlen + 7u) / 8 * 8;
	uint64_t md = rte_cpu_to_be_64(metadata);

	ofport = htonl(ofport);
	memset(p, 0, padded + 2);
	p[1] = 1; /* OFPMT_OXM */
	p[2] = (uint8_t)(mlen >> 8);
	p[3] = (uint8_t)mlen;
	memcpy(p + 4, "\x80\x00\x00\x04", 4); /* OFPXMC_OPENFLOW_BASIC, IN_PORT, 4 */
	memcpy(p + 8, &ofport, 4);
	if (metadata != 0) {
		memcpy(p + 12, "\x80\x00\x04\x08", 4); /* METADATA, 8 */
		memcpy(p + 16, &md, 8);
	}
	return padded + 2;
}

static void
encode_send(struct vs_of_bridge *ob, const struct vs_port *port, const struct vs_pktin_ev *ev)
{
	uint8_t *buf = ob->sw->of->scratch;
	struct vs_ofw_packet_in *pi = (struct vs_ofw_packet_in *)buf;
	uint8_t *p = buf + sizeof(*pi);
	uint32_t dlen = rte_pktmbuf_pkt_len(ev->m);
	size_t len, mlen;

	pi->buffer_id = htonl(OFP_NO_BUFFER);
	pi->total_len = htons(ev->total_len);
	pi->reason = ev->reason;
	pi->table_id = ev->table;
	pi->cookie = rte_cpu_to_be_64(ev->cookie);
	mlen = encode_match(p, port->ofport, ev->metadata);
	p += mlen;
	if (dlen > VS_OFP_MSG_MAX - sizeof(*pi) - mlen)
		dlen = VS_OFP_MSG_MAX - sizeof(*pi) - mlen;
	memcpy(p, rte_pktmbuf_read(ev->m, 0, dlen, p), dlen);
	len = sizeof(*pi) + mlen + dlen;
	vs_ofp_header_init(&pi->h, OFPT_PACKET_IN, len, 0);
	vs_of_broadcast(ob, 0, ev->reason, buf, len);
	ob->pktin_sent++;
}

void
vs_of_ttl_update(struct vs_of_bridge *ob)
{
	__atomic_store_n(&ob->br->ttl_to_ctl, has_taker(ob, OFPR_INVALID_TTL), __ATOMIC_RELAXED);
}

static void
one(struct vs_of *of, struct vs_pktin_ev *ev)
{
	struct vs_port *port = ev->port < VS_MAX_PORTS ? of->sw->ports[ev->port] : NULL;
	struct vs_of_bridge *ob;

	if (port == NULL || port->br == NULL)
		return;
	ob = of->br[port->br->id];
	if (ob == NULL || ob->br != port->br || !has_taker(ob, ev->reason)) {
		if (ob != NULL && ob->br == port->br) {
			ob->pktin_no_ctl++;
			if (ev->reason == OFPR_INVALID_TTL)
				vs_of_ttl_update(ob); /* its taker went */
		}
		port->stale.drops[VS_DROP_PKTIN_RATE]++;
		return;
	}
	if (!take_token(ob, of->now_ms)) {
		ob->pktin_rate_drop++;
		port->stale.drops[VS_DROP_PKTIN_RATE]++;
		return;
	}
	encode_send(ob, port, ev);
}

unsigned int
vs_of_pktin_drain(struct vs_of *of)
{
	struct vs_switch *sw = of->sw;
	struct vs_pktin_ev ev;
	unsigned int i, n = 0;

	for (i = 0; i < VS_MAX_PMDS && n < PKTIN_BUDGET; i++) {
		struct vs_worker *w = sw->pmds[i];

		if (w == NULL || w->pktin == NULL)
			continue;
		while (n < PKTIN_BUDGET && rte_ring_dequeue_elem(w->pktin, &ev, sizeof(ev)) == 0) {
			one(of, &ev);
			rte_pktmbuf_free(ev.m);
			n++;
		}
	}
	return n;
}
