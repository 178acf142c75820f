/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/emc.h: a PMD's exact-match cache of classifier results.
 *
 * The classifier's answer for a packet depends only on the bits of its key
 * that some rule of the table looks at (the view's 'used' mask), so that
 * masked key can remember the answer: one hash and one compare instead of
 * a search through every subtable (each an rte_hash probe). Only the used
 * words are hashed, stored and compared (an ACL uses three or four of the
 * sixteen). An entry holds the classifier's entry pointer and the table
 * generation it was found under: every insert and remove changes the
 * generation (unique across tables), so an entry is trusted only while
 * nothing was added or removed, and never points at freed memory (the
 * classifier frees a removed entry only after the PMDs' grace period, and
 * the generation changes before that). The generation is read on both
 * sides of the view: odd, or changed, means the view is being replaced,
 * and the burst goes to the classifier alone. New actions for an entry need no
 * invalidation: the entry stays. Direct-mapped and per PMD: no sharing,
 * no locks. */
#ifndef VS_EMC_H
#define VS_EMC_H

#include <stdint.h>
#include <rte_hash_crc.h>
#include <rte_prefetch.h>

#include "classifier.h"
#include "flowkey.h"

#define VS_EMC_SIZE  8192 /* entries, a power of 2: 640 KiB, inside L2 */
#define VS_EMC_WORDS 8    /* a table using more words of the key goes without the cache */

struct vs_emc_entry {
	uint64_t key[VS_EMC_WORDS];   /* the used words, masked, in order */
	const struct vs_cls_entry *e; /* NULL: no rule matches */
	uint64_t gen;                 /* 0: empty (generations are even, from 2; 64 bits
				       * never wrap) */
};

struct vs_emc {
	struct vs_emc_entry e[VS_EMC_SIZE];
};

/* The best entry of 'c' for each of 'n' keys, or NULL: from the cache,
 * else from the classifier (and then cached). A table of one subtable is
 * one hash probe already: the cache would only add its own. */
static inline void
vs_emc_lookup(struct vs_emc *emc, const struct vs_cls *c, const struct vs_flow_key *keys,
	      uint16_t n, const struct vs_cls_entry **hits)
{
	uint64_t gen = __atomic_load_n(&c->gen, __ATOMIC_ACQUIRE);
	const struct vs_cls_view *v = vs_cls_view(c);
	bool stable = gen == __atomic_load_n(&c->gen, __ATOMIC_ACQUIRE) && !(gen & 1);
	uint64_t mk[VS_BURST][VS_EMC_WORDS];
	struct vs_emc_entry *ent[VS_BURST];
	const struct vs_cls_entry *found[VS_BURST];
	struct vs_flow_key miss[VS_BURST];
	unsigned int nw = v->n_used_words, j;
	uint16_t idx[VS_BURST], i, nm = 0;

	/* 'stable': the generation is the view's (classifier.c's seqlock). */
	if (v->n_sub < 2 || nw > VS_EMC_WORDS || unlikely(!stable)) {
		vs_cls_lookup(c, keys, n, hits);
		return;
	}
	for (i = 0; i < n; i++) {
		const vs_key_word *w = vs_key_words(&keys[i]);
		uint32_t h = (uint32_t)gen;

		for (j = 0; j < nw; j++) {
			mk[i][j] = w[v->used_word[j]] & v->used[v->used_word[j]];
			h = rte_hash_crc_8byte(mk[i][j], h);
		}
		ent[i] = &emc->e[h & (VS_EMC_SIZE - 1)];
		rte_prefetch0(ent[i]);
	}
	for (i = 0; i < n; i++) {
		if (likely(ent[i]->gen == gen &&
			   memcmp(ent[i]->key, mk[i], nw * sizeof(uint64_t)) == 0)) {
			hits[i] = ent[i]->e;
			continue;
		}
		miss[nm] = keys[i];
		idx[nm++] = i;
	}
	if (nm == 0)
		return;
	vs_cls_lookup(c, miss, nm, found);
	for (j = 0; j < nm; j++) {
		struct vs_emc_entry *e = ent[idx[j]];

		hits[idx[j]] = found[j];
		memcpy(e->key, mk[idx[j]], nw * sizeof(uint64_t));
		e->e = found[j];
		e->gen = gen;
	}
}

#endif
