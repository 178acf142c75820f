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

/* vs_emc_lookup for a table of at most 'nw' used words, 'nw' a constant:
 * the loops over the words unroll (gcc -O2 leaves them loops unless told), the words past the table's are masked
 * to zero. A packet whose masked key is its predecessor's (a burst of one
 * flow, or of flows that differ only where no rule looks) takes its
 * predecessor's answer without hashing or probing: rep[i] is the first
 * packet of its run. */
static __rte_always_inline void
emc_lookup_n(struct vs_emc *emc, const struct vs_cls *c, const struct vs_cls_view *v, uint64_t gen,
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
		uint32_t h = (uint32_t)gen;

#pragma GCC unroll 8
		for (j = 0; j < nw; j++)
			mk[i][j] = w[uw[j]] & um[j];
		if (i > 0 && emc_same(mk[i], mk[i - 1], nw)) {
			rep[i] = rep[i - 1];
			runs = true;
			continue;
		}
		rep[i] = i;
#pragma GCC unroll 8
		for (j = 0; j < nw; j++)
			h = rte_hash_crc_8byte(mk[i][j], h);
		ent[i] = &emc->e[h & (VS_EMC_SIZE - 1)];
		rte_prefetch0(ent[i]);
	}
	for (i = 0; i < n; i++) {
		if (rep[i] != i)
			continue;
		if (likely(ent[i]->gen == gen && emc_same(ent[i]->key, mk[i], nw))) {
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
			e->gen = gen;
		}
	}
	if (runs)
		for (i = 1; i < n; i++)
			hits[i] = hits[rep[i]];
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
	uint64_t gen = __atomic_load_n(&c->gen, __ATOMIC_ACQUIRE);
	const struct vs_cls_view *v = vs_cls_view(c);
	bool stable = gen == __atomic_load_n(&c->gen, __ATOMIC_ACQUIRE) && !(gen & 1);

	/* 'stable': the generation is the view's (classifier.c's seqlock). */
	if (v->n_sub < 2 || v->n_used_words > VS_EMC_WORDS || unlikely(!stable))
		vs_cls_lookup(c, keys, n, hits);
	else if (v->n_used_words <= 4)
		emc_lookup_n(emc, c, v, gen, keys, n, hits, 4);
	else
		emc_lookup_n(emc, c, v, gen, keys, n, hits, VS_EMC_WORDS);
}

#endif
