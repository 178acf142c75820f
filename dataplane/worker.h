/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/worker.h: a PMD thread and its private state.
 *
 * A worker polls the rx queues the control thread assigned to it (its
 * pollset, republished under RCU when the assignment changes), runs each
 * burst through the bridge, and collects the results in one tx buffer per
 * output port, each sent with one tx burst. Everything here belongs to one
 * PMD: no atomics, no locks, except a tx queue shared with other PMDs when a
 * device has fewer tx queues than there are PMDs. */
#ifndef VS_WORKER_H
#define VS_WORKER_H

#include <stdbool.h>
#include <stdint.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dp.h"
#include "fdb.h"
#include "l2.h"
#include "port.h"

struct vs_emc;

struct vs_rxq_ref {
	struct vs_port *port;
	uint16_t qid;
};

/* The rx queues one PMD polls. Immutable once published. */
struct vs_pollset {
	uint32_t n;
	struct vs_rxq_ref q[];
};

/* A request to the control thread: "this source MAC is on this port". */
struct vs_learn_ev {
	struct vs_fdb_key key;
	uint16_t port;
	uint8_t pad[6];
};

struct vs_txbuf {
	uint16_t n;
	bool listed;          /* in the worker's dirty list */
	struct vs_port *port; /* as read when the first packet was queued */
	struct rte_mbuf *pkts[VS_BURST];
};

/* Rx burst sizes: 1, 2-3, 4-7, 8-15, 16-31, 32. */
#define VS_BURST_BUCKETS 6

/* PMD-level figures, written by the PMD only. */
struct vs_pmd_stats {
	uint64_t iterations;
	uint64_t busy_cycles; /* iterations that received something */
	uint64_t idle_cycles;
	uint64_t rx_packets;
	uint64_t rx_bursts;
	uint64_t tx_bursts;
	uint64_t tx_packets;
	uint64_t learn_overflow; /* learn requests lost: ring full */
	uint64_t drops;          /* every drop, all reasons and ports */
	uint64_t burst_hist[VS_BURST_BUCKETS];
};

#define VS_LEARN_RING  1024
#define VS_LEARN_CACHE 256 /* recently requested sources, to not repeat */

struct vs_worker {
	/* Hot. */
	struct vs_dp *dp;
	struct vs_pollset *poll; /* RCU */
	struct rte_ring *learn;  /* PMD -> control thread */
	struct rte_ring *pktin;  /* PMD -> control thread: OpenFlow packet-ins (pktin.h) */
	struct rte_ring *pktout; /* control thread -> PMD: OpenFlow packet-outs */
	uint16_t idx;            /* dense PMD index: RCU reader, counter slot, txq */
	uint16_t n_dirty;
	uint32_t now;
	/* Control thread sets it (relaxed) to end the loop: it publishes
	 * nothing, and rte_eal_wait_lcore orders what follows the exit. */
	bool stop;
	struct vs_pmd_stats st;
	struct vs_fdb_key learn_cache[VS_LEARN_CACHE];
	uint32_t learn_cache_t[VS_LEARN_CACHE];
	struct vs_l2_cached l2_cache[VS_L2_CACHE_SIZE];
	uint16_t dirty[VS_MAX_PORTS];
	struct vs_txbuf txb[VS_MAX_PORTS];
	struct vs_emc *emc;       /* flow table results (dataplane/emc.h) */
	struct rte_mempool *pool; /* for software segmentation and copies */
	/* Cold. */
	unsigned int lcore;
	int socket;
	/* The thread's Linux id once running, 0 before (schedstat): stored
	 * by the PMD, loaded by the control thread, relaxed both ways (a lone
	 * value; nothing else is published with it). */
	int tid;
	bool leaving; /* control thread: being removed, give it no queue */
} __rte_cache_aligned;

/* Control thread. */
int vs_worker_init(struct vs_worker *w, struct vs_dp *dp, uint16_t idx, unsigned int lcore,
		   int socket, struct rte_mempool *pool);
void vs_worker_fini(struct vs_worker *w);

/* The PMD thread body (an lcore_function_t): loops until w->stop. */
int vs_worker_main(void *arg);

/* Send every non-empty tx buffer with one burst each. */
void vs_worker_flush(struct vs_worker *w);

static inline struct vs_port_ctr *
vs_worker_ctr(const struct vs_worker *w, struct vs_port *port)
{
	return &port->ctr[w->idx];
}

/* Count 'n' drops against 'port' under 'reason' (the packets are freed
 * by the caller, or were never made). */
static inline void
vs_worker_count_drops(struct vs_worker *w, struct vs_port *port, enum vs_drop reason, uint64_t n)
{
	vs_worker_ctr(w, port)->drops[reason] += n;
	w->st.drops += n;
}

/* Free 'm' and count it against 'port' under 'reason'. */
static inline void
vs_worker_drop(struct vs_worker *w, struct vs_port *port, struct rte_mbuf *m, enum vs_drop reason)
{
	vs_worker_count_drops(w, port, reason, 1);
	rte_pktmbuf_free(m);
}

void vs_worker_tx_flush(struct vs_worker *w, struct vs_txbuf *b);

/* 'port''s tx buffer, listed for the next flush. */
static inline struct vs_txbuf *
vs_worker_txbuf(struct vs_worker *w, struct vs_port *port)
{
	struct vs_txbuf *b = &w->txb[port->id];

	if (!b->listed) {
		b->listed = true;
		b->port = port;
		w->dirty[w->n_dirty++] = port->id;
	}
	return b;
}

/* 'm' goes to 'copies' places: one reference each, on every segment, so
 * each tx frees its own and nothing is copied. */
static inline void
vs_mbuf_share(struct rte_mbuf *m, unsigned int copies)
{
	if (copies > 1)
		rte_pktmbuf_refcnt_update(m, (int16_t)(copies - 1));
}

/* Queue 'm' for output on 'port'; a full buffer is sent at once. The port
 * pointer stays valid until this PMD's next quiescent state, after the
 * flush at the end of the burst. */
static inline void
vs_worker_push(struct vs_worker *w, struct vs_port *port, struct rte_mbuf *m)
{
	struct vs_txbuf *b = vs_worker_txbuf(w, port);

	b->pkts[b->n++] = m;
	if (unlikely(b->n == VS_BURST))
		vs_worker_tx_flush(w, b);
}

/* Bursts of at least this many packets for a port with nothing queued
 * are sent at once from the caller's array (vs_worker_tx_direct): no copy
 * into the tx buffer, no flush to come. Smaller ones are buffered, so that
 * the runs of a mixed burst still leave as one tx burst per port. */
#define VS_TX_DIRECT_MIN (VS_BURST / 2)

/* Send 'n' packets on 'port' now, straight from 'pkts', counted as a
 * flush counts them. Only when none needs work first (too long for the
 * port, or an offload done in software): then returns false and takes
 * nothing. Reads 'pkts' but never writes it, nor does tx (drivers/port.h),
 * so a flood hands one array to each of its ports. */
bool vs_worker_tx_direct(struct vs_worker *w, struct vs_port *port, struct rte_mbuf **pkts,
			 uint16_t n);

/* Queue 'n' packets for 'port', in order: one buffer check per room. A
 * burst's worth for a port with nothing queued goes out at once instead
 * (order holds: nothing of this port waits in the buffer). Takes the
 * packets; the caller's array is left as it was. */
static inline void
vs_worker_push_bulk(struct vs_worker *w, struct vs_port *port, struct rte_mbuf **pkts, uint16_t n)
{
	struct vs_txbuf *b;

	if (n >= VS_TX_DIRECT_MIN && n <= VS_BURST && w->txb[port->id].n == 0 &&
	    likely(vs_worker_tx_direct(w, port, pkts, n)))
		return;
	b = vs_worker_txbuf(w, port);
	while (n > 0) {
		uint16_t k = RTE_MIN(n, (uint16_t)(VS_BURST - b->n));

		memcpy(&b->pkts[b->n], pkts, sizeof(pkts[0]) * k);
		b->n = (uint16_t)(b->n + k);
		pkts += k;
		n = (uint16_t)(n - k);
		if (b->n == VS_BURST)
			vs_worker_tx_flush(w, b);
	}
}

#endif
