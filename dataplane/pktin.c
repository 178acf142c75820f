/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/pktin.c: the PMD's side of packet-in and packet-out
 * (pktin.h): copying the first max_len bytes into the packet-in ring, and
 * sending what the control thread queued for output. */
#include <stdio.h>

#include <rte_errno.h>
#include <rte_ring.h>

#include "bridge.h"
#include "l2.h"
#include "flow.h"
#include "flowkey.h"
#include "group.h"
#include "pktin.h"
#include "worker.h"

void
vs_pktin_send(struct vs_worker *w, struct vs_port *in, struct rte_mbuf *m,
	      const struct vs_action *a, const struct vs_flow_key *k)
{
	uint32_t len = rte_pktmbuf_pkt_len(m);
	struct vs_action stamped;
	struct vs_pktin_ev ev;

	a = vs_group_stamp(w, in, a, &stamped); /* a bucket's: the calling rule's */
	ev = (struct vs_pktin_ev){
		.cookie = a->u64,
		.metadata = k != NULL ? k->metadata : 0,
		.port = in->id,
		.total_len = (uint16_t)(len < UINT16_MAX ? len : UINT16_MAX),
		.reason = (a->flags & VS_AF_TABLE_MISS) ? 0 /* OFPR_NO_MATCH */ : a->u8,
		.table = (uint8_t)a->u32,
	};

	if (a->u16 != 0xffff && a->u16 < len)
		len = a->u16;
	ev.m = w->pool ? rte_pktmbuf_copy(m, w->pool, 0, len) : NULL;
	if (unlikely(ev.m == NULL)) {
		vs_worker_count_drops(w, in, VS_DROP_NO_MBUF, 1);
		return;
	}
	if (unlikely(rte_ring_enqueue_elem(w->pktin, &ev, sizeof(ev)) != 0)) {
		rte_pktmbuf_free(ev.m);
		vs_worker_count_drops(w, in, VS_DROP_PKTIN_QUEUE, 1);
	}
}

/* The packet-out's ports that are still in its bridge. */
static unsigned int
targets(struct vs_worker *w, const struct vs_pktout_ev *ev, struct vs_port **out)
{
	unsigned int n = 0, i;

	for (i = 0; i < VS_MAX_PORTS; i++) {
		struct vs_port *p;

		if (!(ev->ports[i / 64] & (1ull << (i % 64))))
			continue;
		p = vs_dp_port(w->dp, (uint16_t)i);
		if (p != NULL && p->br != NULL && p->br->id == ev->bridge)
			out[n++] = p;
	}
	return n;
}

static void
pktout_one(struct vs_worker *w, struct vs_pktout_ev *ev)
{
	struct vs_port *in = ev->in_port != VS_PORT_NONE ? vs_dp_port(w->dp, ev->in_port) : NULL;
	struct vs_port *out[VS_MAX_PORTS];
	unsigned int n, n_normal, refs, i;

	if (in != NULL && (in->br == NULL || in->br->id != ev->bridge))
		in = NULL; /* the port went meanwhile */
	n = targets(w, ev, out);
	n_normal = ev->normal && in != NULL;
	refs = n + n_normal;
	/* The table may rewrite the packet: it gets a copy of its own when
	 * the packet also goes elsewhere. */
	if (ev->table && in != NULL) {
		struct rte_mbuf *t =
			refs == 0 ? ev->m : rte_pktmbuf_copy(ev->m, w->pool, 0, UINT32_MAX);

		if (t != NULL)
			vs_flow_input(w, in, &t, 1);
		else
			vs_worker_count_drops(w, in, VS_DROP_NO_MBUF, 1);
		if (refs == 0)
			return;
	}
	if (refs == 0) {
		rte_pktmbuf_free(ev->m);
		return;
	}
	vs_mbuf_share(ev->m, refs);
	for (i = 0; i < n; i++)
		vs_worker_push(w, out[i], ev->m);
	for (i = 0; i < n_normal; i++)
		vs_l2_input(w, in, &ev->m, 1);
}

void
vs_pktout_poll(struct vs_worker *w)
{
	struct vs_pktout_ev ev;
	unsigned int k;

	if (likely(rte_ring_empty(w->pktout)))
		return;
	for (k = 0; k < VS_BURST && rte_ring_dequeue_elem(w->pktout, &ev, sizeof(ev)) == 0; k++)
		pktout_one(w, &ev);
	vs_worker_flush(w);
}

int
vs_pktin_rings_create(struct vs_worker *w)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "vs_pktin_%u", w->idx);
	w->pktin = rte_ring_create_elem(name, sizeof(struct vs_pktin_ev), VS_PKTIN_RING, w->socket,
					RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "vs_pktout_%u", w->idx);
	w->pktout = rte_ring_create_elem(name, sizeof(struct vs_pktout_ev), VS_PKTOUT_RING,
					 w->socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (w->pktin == NULL || w->pktout == NULL) {
		vs_pktin_rings_free(w);
		return -rte_errno;
	}
	return 0;
}

void
vs_pktin_rings_free(struct vs_worker *w)
{
	struct vs_pktout_ev oev;
	struct vs_pktin_ev iev;

	while (w->pktin != NULL && rte_ring_dequeue_elem(w->pktin, &iev, sizeof(iev)) == 0)
		rte_pktmbuf_free(iev.m);
	while (w->pktout != NULL && rte_ring_dequeue_elem(w->pktout, &oev, sizeof(oev)) == 0)
		rte_pktmbuf_free(oev.m);
	rte_ring_free(w->pktin);
	rte_ring_free(w->pktout);
	w->pktin = w->pktout = NULL;
}
