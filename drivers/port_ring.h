/* SPDX-License-Identifier: BSD-3-Clause */
/* drivers/port_ring.h: type=ring, a port on a pair of rte_rings per queue,
 * for code in the daemon's own process (the unit tests, a thread that
 * feeds or drains it): it enqueues mbufs on a queue's rx ring for the PMD
 * to receive, and dequeues what the switch sent from its tx ring.
 *
 * Ownership: an mbuf enqueued on an rx ring belongs to the port until a
 * PMD receives it; one dequeued from a tx ring belongs to whoever dequeued
 * it. What is still in the rings at close is freed. */
#ifndef VS_PORT_RING_H
#define VS_PORT_RING_H

#include <stdint.h>
#include <rte_ring.h>

#include "port.h"

/* Queue 'q''s rx ring: any thread may enqueue (multi-producer); the PMD
 * polling the queue is its one consumer. NULL if 'port' is not a ring port
 * or has no queue 'q'. */
struct rte_ring *vs_port_ring_rx(const struct vs_port *port, uint16_t q);

/* Queue 'q''s tx ring: the PMD holding tx queue 'q' is its one producer;
 * any thread may dequeue (multi-consumer). NULL as vs_port_ring_rx. */
struct rte_ring *vs_port_ring_tx(const struct vs_port *port, uint16_t q);

/* Calls of the port's tx, over all queues, whatever they carried (0 if
 * not a ring port). Read from any thread: a snapshot. */
uint64_t vs_port_ring_tx_bursts(const struct vs_port *port);

#endif
