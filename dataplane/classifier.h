/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/classifier.h: one flow table, changed in place by the control
 * thread while PMDs search it without locks.
 *
 * Tuple space search: rules are grouped by mask, one subtable per distinct
 * mask, each an rte_hash (lock-free readers: RW_CONCURRENCY_LF, EXT_TABLE)
 * keyed by the words of the key its mask covers. Rules with the same
 * masked key in one subtable form a chain, best first, kept by the writer
 * alone; the hash's data points at the best, the only one a lookup can
 * return. Subtables are searched in the order of the best score each can
 * hold (its bound), stopping as soon as no remaining one can beat what a
 * packet has. That order is a small array PMDs read whole (the view),
 * republished when a mask comes or goes, a hash grows, or a bound rises
 * past the one before it.
 *
 * One writer (the control thread), any number of readers (PMDs registered
 * with conf.qsbr). Nothing unlinked is freed before every reader has gone
 * through a quiescent state: the writer queues it with a token of
 * rte_rcu_qsbr_start and vs_cls_reclaim frees what rte_rcu_qsbr_check
 * allows; neither ever blocks.
 *
 * Ties between overlapping rules of equal priority go to the lower 'seq'
 * (the rule added first): vs_cls_score.
 *
 * Every change of what a lookup may answer makes a new generation, and a
 * record of it in a ring (the change log) that PMD caches replay instead
 * of forgetting everything (dataplane/emc.h). */
#ifndef VS_CLASSIFIER_H
#define VS_CLASSIFIER_H

#include <stdbool.h>
#include <stdint.h>

#include "actions.h"
#include "dp.h"
#include "flowkey.h"

struct rte_hash;
struct rte_rcu_qsbr;
struct vs_cls;
struct vs_cls_sub;

/* Something freed once no reader can hold it (classifier.c's limbo list). */
struct vs_cls_limbo {
	struct vs_cls_limbo *next;
	uint64_t token; /* rte_rcu_qsbr_start's */
	void (*fn)(struct vs_cls *c, struct vs_cls_limbo *l);
};

/* One rule as PMDs see it. */
struct vs_cls_entry {
	uint64_t score;                /* vs_cls_score(priority, seq): higher wins */
	const struct vs_actions *acts; /* RCU: vs_cls_set_actions replaces it */
	uint32_t id;                   /* the rule's counter index in its bridge (vs_flow_ctrs) */
	uint8_t table_id;
	/* Private to classifier.c (the writer). */
	uint8_t n_words;
	int32_t free_pos;          /* key slot to free with the entry, -1: none */
	struct rte_hash *free_h;   /* the hash that slot belongs to */
	struct vs_cls_entry *next; /* same masked key, lower score; writer only */
	struct vs_cls_sub *sub;
	struct vs_cls_limbo limbo;
	uint64_t key[VS_KEY_WORDS]; /* the masked words its subtable hashes */
};

/* A subtable as lookups read it: a copy in the view. */
struct vs_cls_subview {
	struct rte_hash *h;
	uint64_t bound; /* no rule in it scores higher; written in place (atomic) */
	uint8_t n_words;
	uint8_t words[VS_KEY_WORDS];
	uint64_t mask[VS_KEY_WORDS];
};

/* What a lookup reads first, immutable once published (but 'bound'). */
struct vs_cls_view {
	uint16_t n_sub;
	bool in_port_only; /* rules look at in_port alone: one lookup per burst */
	uint8_t n_used_words;
	uint8_t used_word[VS_KEY_WORDS]; /* indexes of the non-zero words of 'used' */
	uint64_t used[VS_KEY_WORDS];     /* union of the masks */
	struct vs_cls_limbo limbo;
	struct vs_cls_subview sub[]; /* highest bound first */
};

/* The change log: the last VS_CLS_LOG_SIZE generations, one record each. */
#define VS_CLS_LOG_SIZE  256 /* records, a power of 2: 32 KiB */
#define VS_CLS_LOG_WORDS 8   /* key words an EXACT record carries (the EMC's) */

enum vs_cls_change_kind {
	/* The same rules (a new view: a subtable grew, left or moved). */
	VS_CLS_CHANGE_NONE,
	/* A rule came or went whose mask is the view's whole 'used' mask, at
	 * most VS_CLS_LOG_WORDS words: only the answer for its own masked
	 * key can have changed. */
	VS_CLS_CHANGE_EXACT,
	/* Anything else (another mask, the 'used' mask changed): any answer
	 * may have. */
	VS_CLS_CHANGE_ANY,
};

/* One record, immutable once published: written under its own seqlock
 * ('idx'), as the writer reuses the slot VS_CLS_LOG_SIZE changes later. */
struct vs_cls_change {
	uint64_t idx;  /* its place in the log; UINT64_MAX while being written */
	uint64_t gen;  /* the generation this change made */
	uint64_t kind; /* enum vs_cls_change_kind */
	/* EXACT: the rule's key, in the view's used words (used_word[]
	 * order, masked), zero past n_used_words: the EMC's key for it. */
	uint64_t key[VS_CLS_LOG_WORDS];
} __rte_aligned(64);

struct vs_cls_conf {
	struct rte_rcu_qsbr *qsbr; /* the PMDs' (dp->qsbr); NULL: no readers (unit tests) */
	int socket;
	uint8_t table_id;
};

struct vs_cls {
	/* Read by PMDs. */
	uint64_t gen;                           /* changes on every insert/remove, unique
						 * across tables (the EMC's tag) */
	uint64_t log_head;                      /* records written: the log's next index */
	struct vs_cls_change *log;              /* VS_CLS_LOG_SIZE records */
	uint64_t uid;                           /* unique across tables, never reused */
	struct vs_cls_view *view;               /* RCU */
	const struct vs_cls_entry *normal_only; /* RCU: the one rule, match-all NORMAL */
	/* Writer only. */
	struct vs_cls_conf conf;
	uint32_t n_rules;
	struct vs_cls_sub *subs; /* list, any order */
	uint16_t n_sub;
	struct vs_cls_limbo *limbo_head, **limbo_tail;
	uint64_t bytes;
};

/* The score that orders rules: higher priority, then lower seq. */
static inline uint64_t
vs_cls_score(uint16_t priority, uint32_t seq)
{
	return (uint64_t)priority << 32 | (UINT32_MAX - seq);
}

int vs_cls_create(const struct vs_cls_conf *conf, struct vs_cls **out);
/* Free a table no PMD can reach any more (after a grace period), entries
 * and everything pending included. NULL is fine. */
void vs_cls_destroy(struct vs_cls *c);
/* Add a rule; visible to lookups when it returns. -ENOMEM / -ENOSPC (or
 * rte_hash's error), nothing changed. */
int vs_cls_insert(struct vs_cls *c, const struct vs_flow_match *m, uint16_t priority, uint32_t seq,
		  const struct vs_action *a, uint16_t n_actions, uint32_t id,
		  struct vs_cls_entry **out);
/* New actions for an entry, in one pointer store; the old list is freed
 * after a grace period. -ENOMEM, nothing changed. */
int vs_cls_set_actions(struct vs_cls *c, struct vs_cls_entry *e, const struct vs_action *a,
		       uint16_t n_actions);
/* Unlink: no lookup starting after it returns finds it; its memory is
 * freed after a grace period. */
void vs_cls_remove(struct vs_cls *c, struct vs_cls_entry *e);
/* Free whatever no PMD can see any more; never blocks. */
void vs_cls_reclaim(struct vs_cls *c);

/* PMD: the best entry matching each of 'n' (<= VS_BURST) keys, or NULL. */
void vs_cls_lookup(const struct vs_cls *c, const struct vs_flow_key *keys, uint16_t n,
		   const struct vs_cls_entry **hits);
/* The same, the keys given by address (the EMC's misses, where they lie). */
void vs_cls_lookup_ptrs(const struct vs_cls *c, const struct vs_flow_key *const *keys, uint16_t n,
			const struct vs_cls_entry **hits);

uint32_t vs_cls_n_rules(const struct vs_cls *c);
uint32_t vs_cls_n_masks(const struct vs_cls *c);
uint64_t vs_cls_bytes(const struct vs_cls *c); /* memory it uses, pending frees included */

/* PMD: the table's current view. */
static inline const struct vs_cls_view *
vs_cls_view(const struct vs_cls *c)
{
	return vs_rcu_deref((void *const *)&c->view);
}

/* PMD: record 'k' of the change log, copied into 'out'; false if the
 * slot holds another (not written yet, overwritten, being rewritten). */
static inline bool
vs_cls_log_read(const struct vs_cls *c, uint64_t k, struct vs_cls_change *out)
{
	const struct vs_cls_change *r = &c->log[k & (VS_CLS_LOG_SIZE - 1)];
	unsigned int i;

	if (__atomic_load_n(&r->idx, __ATOMIC_ACQUIRE) != k)
		return false;
	out->gen = __atomic_load_n(&r->gen, __ATOMIC_RELAXED);
	out->kind = __atomic_load_n(&r->kind, __ATOMIC_RELAXED);
	for (i = 0; i < VS_CLS_LOG_WORDS; i++)
		out->key[i] = __atomic_load_n(&r->key[i], __ATOMIC_RELAXED);
	/* Seqlock: the copy is the record's if 'idx' did not change meanwhile. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	out->idx = k;
	return __atomic_load_n(&r->idx, __ATOMIC_RELAXED) == k;
}

static inline bool
vs_cls_in_port_only(const struct vs_cls *c)
{
	return vs_cls_view(c)->in_port_only;
}

/* The table's one rule if it is a match-all NORMAL, else NULL. */
static inline const struct vs_cls_entry *
vs_cls_normal_only(const struct vs_cls *c)
{
	return vs_rcu_deref((void *const *)&c->normal_only);
}

#endif
