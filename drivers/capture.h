/* SPDX-License-Identifier: BSD-3-Clause */
/* drivers/capture.h: a capture point for a port that is not a DPDK ethdev
 * (vhost-user), so that dpdk-dumpcap can capture it like any other port.
 *
 * rte_pdump captures through an ethdev's rx/tx callbacks, which only
 * rte_eth_rx_burst/rte_eth_tx_burst run. A capture point is a started
 * net_null ethdev, named after the port, that nobody polls: dumpcap (a
 * secondary process) finds it by that name and rte_pdump hooks its
 * callbacks to it, and the port's own rx and tx run those callbacks on
 * the packets it really moves. With no capture running this costs one
 * load and a predictable branch per burst. */
#ifndef VS_CAPTURE_H
#define VS_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <rte_ethdev.h>

#include "err.h"

#define VS_CAPTURE_NONE     UINT16_MAX
#define VS_CAPTURE_PREFIX   "net_null_cap_" /* + the port's name */
#define VS_CAPTURE_NAME_MAX 64

/* Control thread: create the capture point of port 'name' with 'n_queues'
 * rx and tx queues; *id is its ethdev port. 0 or -errno, err set. */
int vs_capture_open(const char *name, uint16_t n_queues, struct rte_mempool *pool, uint16_t *id,
		    struct vs_err *err);
/* Control thread: whether a dpdk-dumpcap has its hooks on ethdev 'id' (a
 * capture point or any other). */
bool vs_capture_busy(uint16_t id);
/* Control thread, once no PMD can reach it. VS_CAPTURE_NONE is fine. One
 * that a dumpcap captures stays, for a port of the same name to reuse. */
void vs_capture_close(uint16_t id);
/* Control thread, once a second: remove the capture points of deleted
 * ports whose dumpcap has stopped. */
void vs_capture_sweep(void);
/* The capture point's DPDK name (dpdk-dumpcap -i NAME). */
void vs_capture_name(const char *port, char *buf, size_t size);

/* PMD: hand a received burst to whoever captures queue 'q' of 'id'. */
static inline void
vs_capture_rx(uint16_t id, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	void *cb;

	if (id == VS_CAPTURE_NONE || n == 0)
		return;
	cb = __atomic_load_n((void **)&rte_eth_fp_ops[id].rxq.clbk[q], __ATOMIC_RELAXED);
	if (unlikely(cb != NULL))
		rte_eth_call_rx_callbacks(id, q, pkts, n, n, cb);
}

/* PMD: the same for a burst about to be sent on queue 'q'. */
static inline void
vs_capture_tx(uint16_t id, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	void *cb;

	if (id == VS_CAPTURE_NONE || n == 0)
		return;
	cb = __atomic_load_n((void **)&rte_eth_fp_ops[id].txq.clbk[q], __ATOMIC_RELAXED);
	if (unlikely(cb != NULL))
		rte_eth_call_tx_callbacks(id, q, pkts, n, cb);
}

#endif
