/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/l2.h: the learning bridge (the NORMAL behaviour). */
#ifndef VS_L2_H
#define VS_L2_H

#include <stdint.h>
#include <rte_mbuf.h>

struct vs_worker;
struct vs_port;

/* Forward a burst received on 'in' within its bridge: to the port its
 * destination MAC was learnt on, else to every other port of the bridge.
 * Asks the control thread to learn each new or moved source MAC. Takes all
 * 'n' mbufs: each ends in a tx buffer of the worker or is dropped and
 * counted. */
void vs_l2_input(struct vs_worker *w, struct vs_port *in, struct rte_mbuf **pkts, uint16_t n);

#endif
