/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/l2.h: the learning bridge (the NORMAL behaviour). */
#ifndef VS_L2_H
#define VS_L2_H

#include <stdint.h>
#include <rte_mbuf.h>

struct vs_worker;
struct vs_port;
struct vs_fdb_entry;

/* A PMD's cache of recent decisions: for frames from 'in_port' with these
 * destination and source MACs, 'next' (an output port, flood, or a drop),
 * valid while the bridge's MAC table is at generation 'gen'. 'src' is the
 * source's table entry, whose last-seen time a hit still refreshes. */
struct vs_l2_cached {
	uint64_t macs_lo; /* header bytes 0-7: destination, then source */
	uint32_t macs_hi; /* header bytes 8-11 */
	uint16_t in_port;
	uint16_t next;
	uint32_t gen;
	struct vs_fdb_entry *src;
};

#define VS_L2_CACHE_SIZE 256 /* entries per PMD, a power of 2 */

/* Forward a burst received on 'in' within its bridge: to the port its
 * destination MAC was learnt on, else to every other port of the bridge.
 * Asks the control thread to learn each new or moved source MAC. Takes all
 * 'n' mbufs: each ends in a tx buffer of the worker or is dropped and
 * counted. */
void vs_l2_input(struct vs_worker *w, struct vs_port *in, struct rte_mbuf **pkts, uint16_t n);

/* The ports a frame from 'in' floods to (every other port of its bridge),
 * at most 'max' of them, into 'outs'; how many. */
uint16_t vs_l2_flood_ports(const struct vs_worker *w, const struct vs_port *in,
			   struct vs_port **outs, uint16_t max);

#endif
