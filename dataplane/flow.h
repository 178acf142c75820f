/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/flow.h: the flow table stage, where every burst enters its
 * bridge's pipeline, and the pipeline walk behind it. */
#ifndef VS_FLOW_H
#define VS_FLOW_H

#include <stdint.h>
#include <rte_mbuf.h>

#include "pipeline.h"

struct vs_worker;
struct vs_port;
struct vs_actions;
struct vs_flow_key;
struct vs_normal_batch;

/* Classify a burst received on 'in' against its bridge's pipeline and run
 * each packet's rules. Takes all 'n' mbufs: each ends in a tx buffer of
 * the worker or is dropped and counted. */
void vs_flow_input(struct vs_worker *w, struct vs_port *in, struct rte_mbuf **pkts, uint16_t n);

/* A batch of 'n' packets that hit a rule of table 'table' whose actions
 * need the pipeline walk (VS_ACTS_PIPELINE): runs them, the tables they
 * go on to and the action set (dataplane/pipeline_walk.c). The key of
 * pkts[i] is keys[idx ? idx[i] : i], or 'keys' is NULL (then extracted).
 * Takes the packets. */
void vs_pipeline_walk(struct vs_worker *w, struct vs_port *in, const struct vs_pipeline *p,
		      uint8_t table, const struct vs_actions *acts, struct rte_mbuf **pkts,
		      uint16_t n, const struct vs_flow_key *keys, const uint16_t *idx,
		      struct vs_normal_batch *nb);

/* PMD 'pmd' counts 'n' packets of 'bytes' for rule 'id'. */
static inline void
vs_flow_count(struct vs_flow_ctrs *c, unsigned int pmd, uint32_t id, uint16_t n, uint64_t bytes)
{
	struct vs_flow_ctr *r = c->by_pmd[pmd];

	if (likely(r != NULL && id < VS_FLOWS_MAX)) {
		r[id].packets += n;
		r[id].bytes += bytes;
	}
}

static inline void
vs_table_count(struct vs_flow_ctrs *c, unsigned int pmd, uint8_t table, uint16_t lookups,
	       uint16_t matched)
{
	struct vs_table_ctr *t = c->tbl[pmd];

	if (likely(t != NULL)) {
		t[table].lookups += lookups;
		t[table].matched += matched;
	}
}

static inline uint64_t
vs_pkts_bytes(struct rte_mbuf **pkts, uint16_t n)
{
	uint64_t b = 0;
	uint16_t i;

	for (i = 0; i < n; i++)
		b += rte_pktmbuf_pkt_len(pkts[i]);
	return b;
}

#endif
