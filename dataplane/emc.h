/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/emc.h: a PMD's exact-match cache of classifier results.
 *
 * The classifier's answer for a packet depends only on the bits of its key
 * that some rule of the table looks at (the view's 'used' mask), so that
 * masked key can remember the answer: one hash and one compare instead of
 * a search through every subtable (each an rte_hash probe). Only the used
 * words are hashed, stored and compared (an ACL uses three or four of the
 * sixteen). Direct-mapped and per PMD: no sharing, no locks.
 *
 * An entry holds the classifier's entry pointer and a tag: the tag its
 * table had in this PMD (struct vs_emc_table) when it was cached. A tag
 * stands for the table's answers at one generation; when the generation
 * moves, the PMD replays the table's change log (classifier.h) from there
 * before it trusts any entry: a rule that came or went whose mask is the
 * whole 'used' mask can only change the answer for its own key, the one
 * entry slot that key hashes to, so that slot is emptied and the rest
 * stay (a flow-mod storm of an ACL's rules leaves the cache warm). Any
 * other change, a record overwritten before it was replayed, more than
 * VS_EMC_REPLAY records at once, or a table new to this PMD, gives the
 * table a new tag: all its entries are gone at once. A removed rule is
 * freed only after every PMD went through a quiescent state after its
 * generation, and a PMD replays (or starts over) before it trusts an entry
 * of a newer generation: an entry it trusts never points at freed memory.
 * The generation is read on both sides of the view: odd, or changed, means
 * the view is being replaced, and the burst goes to the classifier alone.
 * New actions for an entry need no invalidation: the entry stays. */
#ifndef VS_EMC_H
#define VS_EMC_H

#include <stdint.h>
#include <rte_hash_crc.h>
#include <rte_prefetch.h>

#include "classifier.h"
#include "flowkey.h"

#define VS_EMC_SIZE   8192             /* entries, a power of 2: 640 KiB, inside L2 */
#define VS_EMC_WORDS  VS_CLS_LOG_WORDS /* a table using more words of the key goes without */
#define VS_EMC_TABLES 32               /* tables followed at once, a power of 2 */
#define VS_EMC_REPLAY 64               /* log records replayed by one lookup at most */

struct vs_emc_entry {
	uint64_t key[VS_EMC_WORDS];   /* the used words, masked, in order */
	const struct vs_cls_entry *e; /* NULL: no rule matches */
	uint64_t tag;                 /* its table's, when cached; 0: empty */
};

/* One table as this PMD's cache follows it, direct-mapped by uid. */
struct vs_emc_table {
	uint64_t uid;  /* the table's (vs_cls.uid); 0: none */
	uint64_t tag;  /* entries with it hold the table's answers at 'gen' */
	uint64_t gen;  /* the generation replayed up to */
	uint64_t next; /* the first log record not replayed yet */
};

struct vs_emc {
	struct vs_emc_entry e[VS_EMC_SIZE];
	struct vs_emc_table t[VS_EMC_TABLES];
	uint64_t last_tag; /* tags are unique in the PMD: 64 bits never wrap */
};

/* Is masked key 'a' the same as 'b'? */
static __rte_always_inline bool
emc_same(const uint64_t *a, const uint64_t *b, const unsigned int nw)
{
	uint64_t d = 0;
	unsigned int j;

#pragma GCC unroll 8
	for (j = 0; j < nw; j++)
		d |= a[j] ^ b[j];
	return d == 0;
}

/* The slot of masked key 'mk' ('nw' words) under 'tag': the hash is
 * seeded by the tag, so that two tables' keys spread apart. */
static __rte_always_inline unsigned int
emc_slot(uint64_t tag, const uint64_t *mk, const unsigned int nw)
{
	uint32_t h = (uint32_t)tag;
	unsigned int j;

#pragma GCC unroll 8
	for (j = 0; j < nw; j++)
		h = rte_hash_crc_8byte(mk[j], h);
	return h & (VS_EMC_SIZE - 1);
}

/* vs_emc_lookup for a table of at most 'nw' used words, 'nw' a constant:
 * the loops over the words unroll (gcc -O2 leaves them loops unless told), the words past the table's are masked
 * to zero. A packet whose masked key is its predecessor's (a burst of one
 * flow, or of flows that differ only where no rule looks) takes its
 * predecessor's answer without hashing or probing: rep[i] is the first
 * packet of its run. */
static __rte_always_inline void
emc_lookup_n(struct vs_emc *emc, const struct vs_cls *c, const struct vs_cls_view *v, uint64_t tag,
	     const struct vs_flow_key *keys, uint16_t n, const struct vs_cls_entry **hits,
	     const unsigned int nw)
{
	uint64_t mk[VS_BURST][VS_EMC_WORDS], um[VS_EMC_WORDS];
	struct vs_emc_entry *ent[VS_BURST];
	const struct vs_cls_entry *found[VS_BURST];
	const struct vs_flow_key *miss[VS_BURST];
	uint16_t idx[VS_BURST], rep[VS_BURST], i, nm = 0;
	uint8_t uw[VS_EMC_WORDS];
	unsigned int j;
	bool runs = false;

	for (j = 0; j < nw; j++) {
		uw[j] = j < v->n_used_words ? v->used_word[j] : 0;
		um[j] = j < v->n_used_words ? v->used[uw[j]] : 0;
	}
	for (i = 0; i < n; i++) {
		const vs_key_word *w = vs_key_words(&keys[i]);

#pragma GCC unroll 8
		for (j = 0; j < nw; j++)
			mk[i][j] = w[uw[j]] & um[j];
		if (i > 0 && emc_same(mk[i], mk[i - 1], nw)) {
			rep[i] = rep[i - 1];
			runs = true;
			continue;
		}
		rep[i] = i;
		ent[i] = &emc->e[emc_slot(tag, mk[i], nw)];
		rte_prefetch0(ent[i]);
	}
	for (i = 0; i < n; i++) {
		if (rep[i] != i)
			continue;
		if (likely(ent[i]->tag == tag && emc_same(ent[i]->key, mk[i], nw))) {
			hits[i] = ent[i]->e;
			continue;
		}
		miss[nm] = &keys[i];
		idx[nm++] = i;
	}
	if (nm > 0) {
		vs_cls_lookup_ptrs(c, miss, nm, found);
		for (j = 0; j < nm; j++) {
			struct vs_emc_entry *e = ent[idx[j]];

			hits[idx[j]] = found[j];
			memcpy(e->key, mk[idx[j]], nw * sizeof(uint64_t));
			e->e = found[j];
			e->tag = tag;
		}
	}
	if (runs)
		for (i = 1; i < n; i++)
			hits[i] = hits[rep[i]];
}

/* Replay the log records of 'c' after 't->gen' up to 'gen' (the view's
 * 'v'): empty the slot of each EXACT record's key. false: 't' must start
 * over (an ANY record, one overwritten or being written, too many). */
static inline bool
emc_replay(struct vs_emc *emc, const struct vs_cls *c, const struct vs_cls_view *v,
	   struct vs_emc_table *t, uint64_t gen)
{
	const unsigned int nw = v->n_used_words <= 4 ? 4 : VS_EMC_WORDS;
	struct vs_cls_change r;
	uint64_t k;

	for (k = t->next; k < t->next + VS_EMC_REPLAY; k++) {
		if (!vs_cls_log_read(c, k, &r))
			return false;
		if (r.gen <= t->gen)
			continue; /* in the answers already (t->next may lag by one) */
		if (r.gen > gen || r.kind == VS_CLS_CHANGE_ANY)
			return false;
		/* No ANY since t->gen: the layout, hence 'nw', is the entries'. */
		if (r.kind == VS_CLS_CHANGE_EXACT) {
			struct vs_emc_entry *ent = &emc->e[emc_slot(t->tag, r.key, nw)];

			if (ent->tag == t->tag)
				ent->tag = 0;
		}
		if (r.gen == gen) {
			t->next = k + 1;
			return true;
		}
	}
	return false;
}

/* This PMD's state for 'c', brought to generation 'gen'. 'head' is
 * c->log_head read before 'gen': every record before head - 1 is of
 * 'gen' or older (classifier.c publishes the record, then the head, then
 * the generation), so a new tag can replay from there. */
static inline struct vs_emc_table *
emc_follow(struct vs_emc *emc, const struct vs_cls *c, const struct vs_cls_view *v, uint64_t head,
	   uint64_t gen)
{
	struct vs_emc_table *t = &emc->t[(c->uid >> 1) & (VS_EMC_TABLES - 1)];

	if (likely(t->uid == c->uid && t->gen == gen))
		return t;
	if (t->uid != c->uid || !emc_replay(emc, c, v, t, gen)) {
		t->uid = c->uid;
		t->tag = ++emc->last_tag;
		t->next = head - 1; /* head >= 1: vs_cls_create logs its first view */
	}
	t->gen = gen;
	return t;
}

/* The best entry of 'c' for each of 'n' keys, or NULL: from the cache,
 * else from the classifier (and then cached). A table of one subtable is
 * one hash probe already: the cache would only add its own. Keys are
 * compared on 4 words when the table uses at most 4 (an ACL of addresses,
 * protocol and ports), else on 8. */
static inline void
vs_emc_lookup(struct vs_emc *emc, const struct vs_cls *c, const struct vs_flow_key *keys,
	      uint16_t n, const struct vs_cls_entry **hits)
{
	uint64_t head = __atomic_load_n(&c->log_head, __ATOMIC_ACQUIRE);
	uint64_t gen = __atomic_load_n(&c->gen, __ATOMIC_ACQUIRE);
	const struct vs_cls_view *v = vs_cls_view(c);
	bool stable = gen == __atomic_load_n(&c->gen, __ATOMIC_ACQUIRE) && !(gen & 1);
	uint64_t tag;

	/* 'stable': the generation is the view's (classifier.c's seqlock). */
	if (v->n_sub < 2 || v->n_used_words > VS_EMC_WORDS || unlikely(!stable)) {
		vs_cls_lookup(c, keys, n, hits);
		return;
	}
	tag = emc_follow(emc, c, v, head, gen)->tag;
	if (v->n_used_words <= 4)
		emc_lookup_n(emc, c, v, tag, keys, n, hits, 4);
	else
		emc_lookup_n(emc, c, v, tag, keys, n, hits, VS_EMC_WORDS);
}

#endif
