/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/classifier.h: the flow table as PMDs search it.
 *
 * A classifier is an immutable snapshot of a bridge's rules, built by the
 * control thread and published under RCU; every change builds a new one,
 * so an update is atomic to the dataplane (no packet sees half of it) and
 * PMDs never lock. Rules are grouped by mask (tuple space search): one
 * rte_hash per distinct mask, keyed only by the words of the flow key the
 * mask covers, and searched in the order of the highest priority each
 * holds, stopping as soon as no remaining subtable can hold a better rule.
 * A burst is looked up subtable by subtable in bulk.
 *
 * Ties between overlapping rules of equal priority go to the rule added
 * first: slots are numbered in the order rules were added. */
#ifndef VS_CLASSIFIER_H
#define VS_CLASSIFIER_H

#include <stdint.h>

#include "actions.h"
#include "dp.h"
#include "flowkey.h"

#define VS_CLS_MISS UINT32_MAX

struct rte_hash;

struct vs_cls_subtable {
	struct rte_hash *h;
	uint64_t bound;  /* best possible score of its rules */
	uint8_t n_words; /* words of the key it looks at */
	uint8_t words[VS_KEY_WORDS];
	uint64_t mask[VS_KEY_WORDS]; /* mask of each of those words */
};

/* Per PMD, per rule: written by one PMD only. */
struct vs_flow_ctr {
	uint64_t packets;
	uint64_t bytes;
};

struct vs_cls {
	uint32_t gen; /* unique per snapshot */
	uint32_t n_rules;
	uint16_t n_sub;
	bool in_port_only; /* rules look at in_port alone: one lookup per burst */
	bool normal_only;  /* one rule, match-all NORMAL: the learning bridge alone */

	uint64_t used[VS_KEY_WORDS];     /* union of all masks */
	uint8_t used_word[VS_KEY_WORDS]; /* indexes of the non-zero words of 'used' */
	uint8_t n_used_words;
	struct vs_cls_subtable *sub;    /* highest bound first */
	const struct vs_actions **acts; /* by slot, into act_block */
	void *act_block;
	struct vs_flow_ctr *ctr[VS_MAX_PMDS]; /* by PMD, then slot; NULL: not counted */
	uint64_t bytes;                       /* memory the snapshot uses */
};

/* One rule to build from, in slot order (the order rules were added). */
struct vs_cls_rule {
	const struct vs_flow_match *match;
	uint16_t priority;
	uint16_t n_actions;
	const struct vs_action *actions;
};

/* Control thread: build a snapshot of 'n' rules with counters for PMDs
 * 0..n_pmds-1. It keeps its own copy of everything it needs. 0 or -errno
 * (-ENOMEM, or rte_hash's). */
int vs_cls_build(const struct vs_cls_rule *rules, uint32_t n, unsigned int n_pmds, int socket,
		 struct vs_cls **out);
/* Control thread, after a grace period. NULL is fine. */
void vs_cls_free(struct vs_cls *c);

/* PMD: the slot of the best rule matching each of 'n' (<= VS_BURST) keys,
 * or VS_CLS_MISS. */
void vs_cls_lookup(const struct vs_cls *c, const struct vs_flow_key *keys, uint16_t n,
		   uint32_t *slots);

/* The score that orders rules: higher priority, then earlier slot. */
static inline uint64_t
vs_cls_score(uint16_t priority, uint32_t slot)
{
	return (uint64_t)priority << 32 | (UINT32_MAX - slot);
}

#endif
