/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/worker.c: the PMD loop. For each assigned rx queue: one rx
 * burst, the bridge stage, one tx burst per output port; then a quiescent
 * state report, which is what lets the control thread free what it has
 * unpublished. Cycles are split between iterations that received packets
 * (busy) and the rest (idle). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>

#include "bridge.h"
#include "emc.h"
#include "flow.h"
#include "offload.h"
#include "pktin.h"
#include "worker.h"

int
vs_worker_init(struct vs_worker *w, struct vs_dp *dp, uint16_t idx, unsigned int lcore, int socket,
	       struct rte_mempool *pool)
{
	char name[RTE_RING_NAMESIZE];

	memset(w, 0, sizeof(*w));
	w->dp = dp;
	w->pool = pool;
	for (unsigned int i = 0; i < VS_L2_CACHE_SIZE; i++)
		w->l2_cache[i].in_port = VS_PORT_NONE; /* matches no frame */

	w->idx = idx;
	w->lcore = lcore;
	w->socket = socket;
	w->emc = rte_zmalloc_socket("vs_emc", sizeof(*w->emc), RTE_CACHE_LINE_SIZE, socket);
	if (w->emc == NULL)
		return -ENOMEM;
	snprintf(name, sizeof(name), "vs_learn_%u", idx);
	w->learn = rte_ring_create_elem(name, sizeof(struct vs_learn_ev), VS_LEARN_RING, socket,
					RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (w->learn == NULL || vs_pktin_rings_create(w) < 0) {
		int ret = -rte_errno;

		rte_ring_free(w->learn);
		w->learn = NULL;
		rte_free(w->emc);
		w->emc = NULL;
		return ret;
	}
	return 0;
}

void
vs_worker_fini(struct vs_worker *w)
{
	rte_ring_free(w->learn);
	vs_pktin_rings_free(w);
	rte_free(w->emc);
	w->learn = NULL;
	w->emc = NULL;
}

/* The slow path of tx_burst: drop (too_big) the frames longer than 'lim'
 * that no one will segment, keep the others in order. Returns how many
 * are kept. */
static uint16_t
drop_too_big(struct vs_worker *w, struct vs_port *port, struct rte_mbuf **pkts, uint32_t *len,
	     uint16_t n, uint32_t lim)
{
	uint16_t i, k = 0;

	for (i = 0; i < n; i++) {
		/* A TSO packet here goes to a port that segments it itself. */
		if (unlikely(len[i] > lim && !(pkts[i]->ol_flags & RTE_MBUF_F_TX_TCP_SEG))) {
			vs_worker_drop(w, port, pkts[i], VS_DROP_TOO_BIG);
			continue;
		}
		pkts[k] = pkts[i];
		len[k++] = len[i];
	}
	return k;
}

static inline uint32_t
frame_lim(const struct vs_port *port)
{
	return port->frame_max ? port->frame_max : UINT32_MAX;
}

/* Hand 'n' packets of lengths 'len' ('bytes' in all) to 'port''s tx and
 * count what it took and what it did not. */
static inline void
tx_send(struct vs_worker *w, struct vs_port *port, struct rte_mbuf **pkts, const uint32_t *len,
	uint16_t n, uint64_t bytes)
{
	struct vs_port_ctr *c;
	uint16_t i, sent, q;

	if (likely(!port->txq_shared)) {
		sent = port->tx(port, w->idx, pkts, n);
	} else {
		q = w->idx % port->n_txq;
		rte_spinlock_lock(&port->txq_lock[q]);
		sent = port->tx(port, q, pkts, n);
		rte_spinlock_unlock(&port->txq_lock[q]);
	}
	if (unlikely(sent != n)) {
		/* The lengths were read before tx: the mbufs may be gone. */
		for (i = 0, bytes = 0; i < sent; i++)
			bytes += len[i];
		vs_worker_count_drops(w, port, vs_port_tx_reason(port), n - sent);
	}
	c = vs_worker_ctr(w, port);
	c->tx_packets += sent;
	c->tx_bytes += bytes;
	w->st.tx_bursts++;
	w->st.tx_packets += sent;
}

/* Send 'n' packets on 'port' with one tx burst; count what it took and
 * what it did not. Frames longer than the port's MTU allows are counted
 * as too_big, not sent. */
static void
tx_burst(struct vs_worker *w, struct vs_port *port, struct rte_mbuf **pkts, uint16_t n)
{
	uint32_t len[VS_BURST], lim = frame_lim(port);
	uint64_t bytes = 0;
	bool big = false;
	uint16_t i;

	for (i = 0; i < n; i++) {
		len[i] = rte_pktmbuf_pkt_len(pkts[i]);
		big |= len[i] > lim;
	}
	if (unlikely(big)) {
		n = drop_too_big(w, port, pkts, len, n, lim);
		if (n == 0)
			return;
	}
	for (i = 0; i < n; i++)
		bytes += len[i];
	tx_send(w, port, pkts, len, n, bytes);
}

/* The slow path: some packets ask for offloads 'port' cannot do. Those
 * are completed in software (segmented, checksummed) on the way out. */
static void
tx_with_sw_offload(struct vs_worker *w, struct vs_port *port, struct rte_mbuf **pkts, uint16_t n)
{
	struct rte_mbuf *out[VS_BURST], *segs[VS_OFFLOAD_SEGS_MAX];
	uint32_t can = __atomic_load_n(&port->tx_offloads, __ATOMIC_RELAXED);
	uint16_t i, k = 0;
	int j, r;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		if (likely(!(vs_offload_needs(m) & ~can))) {
			segs[0] = m;
			r = 1;
		} else {
			r = vs_offload_sw(m, w->pool, segs, VS_OFFLOAD_SEGS_MAX);
			if (r < 0) {
				vs_worker_drop(w, port, m,
					       r == -ENOBUFS ? VS_DROP_NO_MBUF
							     : VS_DROP_BAD_OFFLOAD);
				continue;
			}
		}
		for (j = 0; j < r; j++) {
			out[k++] = segs[j];
			if (k == VS_BURST) {
				tx_burst(w, port, out, k);
				k = 0;
			}
		}
	}
	if (k > 0)
		tx_burst(w, port, out, k);
}

/* The one pass over a burst on its way out: the lengths (for tx_bytes,
 * and for the MTU), and whether a packet is too long for 'port' or asks
 * for an offload it does not do (a port that does all, a guest, takes the
 * flags as they are). False: such a packet is there, for the slow path. */
static inline bool
tx_scan(const struct vs_port *port, struct rte_mbuf *const *pkts, uint16_t n, uint32_t *len,
	uint64_t *bytes)
{
	uint32_t lim = frame_lim(port);
	uint64_t ol = 0, sum = 0;
	bool big = false;
	uint16_t i;

	for (i = 0; i < n; i++) {
		len[i] = rte_pktmbuf_pkt_len(pkts[i]);
		sum += len[i];
		big |= len[i] > lim;
		ol |= pkts[i]->ol_flags;
	}
	*bytes = sum;
	if (__atomic_load_n(&port->tx_offloads, __ATOMIC_RELAXED) == VS_TXOFF_ALL)
		ol = 0;
	return likely(!big && !(ol & VS_TX_OFFLOAD_FLAGS));
}

bool
vs_worker_tx_direct(struct vs_worker *w, struct vs_port *port, struct rte_mbuf **pkts, uint16_t n)
{
	uint32_t len[VS_BURST];
	uint64_t bytes;

	if (unlikely(!tx_scan(port, pkts, n, len, &bytes)))
		return false; /* buffered, and sent by the slow path at the flush */
	tx_send(w, port, pkts, len, n, bytes);
	return true;
}

/* A flush with packets to drop or complete first. */
static __rte_noinline void
tx_flush_slow(struct vs_worker *w, struct vs_port *port, struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t ol = 0;
	uint16_t i;

	if (__atomic_load_n(&port->tx_offloads, __ATOMIC_RELAXED) != VS_TXOFF_ALL)
		for (i = 0; i < n; i++)
			ol |= pkts[i]->ol_flags;
	if (ol & VS_TX_OFFLOAD_FLAGS)
		tx_with_sw_offload(w, port, pkts, n);
	else
		tx_burst(w, port, pkts, n);
}

void
vs_worker_tx_flush(struct vs_worker *w, struct vs_txbuf *b)
{
	uint32_t len[VS_BURST];
	uint64_t bytes;
	uint16_t n = b->n;

	if (n == 0)
		return;
	b->n = 0;
	if (likely(tx_scan(b->port, b->pkts, n, len, &bytes)))
		tx_send(w, b->port, b->pkts, len, n, bytes);
	else
		tx_flush_slow(w, b->port, b->pkts, n);
}

void
vs_worker_flush(struct vs_worker *w)
{
	uint16_t i;

	for (i = 0; i < w->n_dirty; i++) {
		struct vs_txbuf *b = &w->txb[w->dirty[i]];

		vs_worker_tx_flush(w, b);
		b->listed = false;
	}
	w->n_dirty = 0;
}

static inline void
count_rx(struct vs_worker *w, struct vs_port *port, struct rte_mbuf **pkts, uint16_t n)
{
	struct vs_port_ctr *c = vs_worker_ctr(w, port);
	uint64_t bytes = 0;
	uint16_t i;

	for (i = 0; i < n; i++)
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
	c->rx_packets += n;
	c->rx_bytes += bytes;
	w->st.rx_packets += n;
	w->st.rx_bursts++;
}

/* One pass over the pollset. Returns the packets received. With
 * 'measure', '*t' is when the last measured work ended: each busy queue is
 * charged the cycles since then (an empty poll before it adds a few
 * dozen), and '*t' moves to its end; that timestamp is also the
 * iteration's, so measuring costs no extra rdtsc on a PMD with one busy
 * queue. */
static uint32_t
poll_once(struct vs_worker *w, const struct vs_pollset *ps, bool measure, uint64_t *t)
{
	struct rte_mbuf *pkts[VS_BURST];
	uint32_t i, total = 0;
	uint64_t now;

	for (i = 0; i < ps->n; i++) {
		struct vs_port *port = ps->q[i].port;
		uint16_t n = port->rx(port, ps->q[i].qid, pkts, VS_BURST);
		struct vs_rxq_stats *qs;
		uint64_t drops = w->st.drops;

		if (n == 0)
			continue;
		count_rx(w, port, pkts, n);
		w->st.burst_hist[rte_fls_u32(n) - 1]++;
		vs_flow_input(w, port, pkts, n);
		if (w->n_dirty > 0) /* none when the burst went out whole */
			vs_worker_flush(w);
		total += n;
		qs = &port->rxq_st[ps->q[i].qid];
		qs->packets += n;
		qs->bursts++;
		qs->drops += w->st.drops - drops; /* of its packets, wherever they went */
		if (!measure)
			continue;
		now = rte_rdtsc();
		qs->cycles += now - *t;
		*t = now;
	}
	return total;
}

int
vs_worker_main(void *arg)
{
	struct vs_worker *w = arg;
	struct rte_rcu_qsbr *v = w->dp->qsbr;
	static const struct vs_pollset empty = {0};
	uint64_t t0, t1;

	__atomic_store_n(&w->tid, rte_sys_gettid(), __ATOMIC_RELAXED);
	rte_rcu_qsbr_thread_register(v, w->idx);
	rte_rcu_qsbr_thread_online(v, w->idx);
	t0 = rte_rdtsc();
	while (likely(!__atomic_load_n(&w->stop, __ATOMIC_RELAXED))) {
		const struct vs_pollset *ps = vs_rcu_deref((void *const *)&w->poll);
		bool measure = __atomic_load_n(&w->dp->rxq_stats, __ATOMIC_RELAXED);
		uint64_t t = t0;

		w->now = __atomic_load_n(&w->dp->now, __ATOMIC_RELAXED);
		if (poll_once(w, ps ? ps : &empty, measure, &t) > 0) {
			t1 = measure ? t : rte_rdtsc();
			w->st.busy_cycles += t1 - t0;
		} else {
			t1 = rte_rdtsc();
			w->st.idle_cycles += t1 - t0;
		}
		t0 = t1;
		if (unlikely(!rte_ring_empty(w->pktout)))
			vs_pktout_poll(w); /* OpenFlow packet-outs */
		w->st.iterations++;
		rte_rcu_qsbr_quiescent(v, w->idx);
	}
	rte_rcu_qsbr_thread_offline(v, w->idx);
	rte_rcu_qsbr_thread_unregister(v, w->idx);
	return 0;
}
