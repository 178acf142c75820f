/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/pipeline.h: a bridge's flow tables (OpenFlow's pipeline) and
 * its rule and table counters.
 *
 * A pipeline is published whole (RCU) when replace-flows, a bundle or the
 * config load swaps every table at once, and changed in place otherwise:
 * a table is created empty on first use and published into its slot.
 * Counters live beside it in the bridge, indexed by rule id, so that ids
 * (and their counts) stay valid across a pipeline replacement. */
#ifndef VS_PIPELINE_H
#define VS_PIPELINE_H

#include <stdint.h>

#include "classifier.h"
#include "common.h"

/* Per PMD per rule id, written by that PMD only. */
struct vs_flow_ctr {
	uint64_t packets;
	uint64_t bytes;
};

/* Per PMD per table. */
struct vs_table_ctr {
	uint64_t lookups;
	uint64_t matched;
};

struct vs_pipeline {
	struct vs_cls *table[VS_TABLES]; /* RCU; NULL: empty, every packet misses */
	struct vs_cls_conf conf;         /* for the tables it creates */
};

int vs_pipeline_create(const struct vs_cls_conf *conf, struct vs_pipeline **out);
/* The table 'id', created empty on first use (published with vs_rcu_assign).
 * -EINVAL (id >= VS_TABLES), -ENOMEM. */
int vs_pipeline_table(struct vs_pipeline *p, uint8_t id, struct vs_cls **out);
/* After a grace period: the pipeline and its tables. NULL is fine. */
void vs_pipeline_destroy(struct vs_pipeline *p);
/* vs_cls_reclaim on every table. */
void vs_pipeline_reclaim(struct vs_pipeline *p);
uint32_t vs_pipeline_n_rules(const struct vs_pipeline *p);

/* A bridge's counters: by PMD, an array indexed by rule id VS_FLOWS_MAX
 * long, and one by table; backed only where touched (one mmap, with
 * MAP_NORESERVE), so nothing is allocated as rules come and go. */
struct vs_flow_ctrs {
	struct vs_flow_ctr *by_pmd[VS_MAX_PMDS];
	struct vs_table_ctr *tbl[VS_MAX_PMDS];
	void *map;
	size_t map_len;
};

int vs_flow_ctrs_init(struct vs_flow_ctrs *c);
void vs_flow_ctrs_fini(struct vs_flow_ctrs *c);
/* Sums over PMDs. */
void vs_flow_ctrs_read(const struct vs_flow_ctrs *c, uint32_t id, uint64_t *packets,
		       uint64_t *bytes);
/* Zero a rule's counters: for an id being reused, after a grace period. */
void vs_flow_ctrs_clear(struct vs_flow_ctrs *c, uint32_t id);
void vs_table_ctrs_read(const struct vs_flow_ctrs *c, uint8_t table, uint64_t *lookups,
			uint64_t *matched);

#endif
