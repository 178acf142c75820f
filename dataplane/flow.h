/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/flow.h: the flow table stage, where every burst enters its
 * bridge. */
#ifndef VS_FLOW_H
#define VS_FLOW_H

#include <stdint.h>
#include <rte_mbuf.h>

struct vs_worker;
struct vs_port;

/* Classify a burst received on 'in' against its bridge's flow table and
 * run each packet's rule. Takes all 'n' mbufs: each ends in a tx buffer of
 * the worker or is dropped and counted. */
void vs_flow_input(struct vs_worker *w, struct vs_port *in, struct rte_mbuf **pkts, uint16_t n);

#endif
