/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/emc.h: a PMD's exact-match cache of classifier results.
 *
 * The classifier's answer for a packet depends only on the bits of its key
 * that some rule looks at (the snapshot's 'used' mask), so that masked key
 * can remember the answer: one hash and one compare instead of a search
 * through every subtable (each an rte_hash probe). Entries carry the
 * snapshot generation; a new snapshot invalidates them all at once. It is
 * direct-mapped and per PMD: no sharing, no locks. */
#ifndef VS_EMC_H
#define VS_EMC_H

#include <stdint.h>
#include <rte_hash_crc.h>

#include "classifier.h"
#include "flowkey.h"

#define VS_EMC_SIZE 8192 /* entries, a power of 2: ~600 KiB, inside L2 */

struct vs_emc_entry {
	uint64_t key[VS_KEY_WORDS]; /* masked by the snapshot's 'used' */
	uint32_t gen;               /* 0: empty (snapshot generations start at 1) */
	uint32_t slot;              /* a rule, or VS_CLS_MISS */
};

struct vs_emc {
	struct vs_emc_entry e[VS_EMC_SIZE];
};

/* The masked key of 'k' in 'mk', and its hash. Only the words some rule
 * looks at are hashed (the others are zero in every masked key): an ACL
 * uses three or four of the eight, and each crc32 waits for the last. */
static inline uint32_t
vs_emc_key(const struct vs_cls *c, const struct vs_flow_key *k, uint64_t *mk)
{
	const vs_key_word *w = vs_key_words(k);
	uint32_t h = c->gen;
	unsigned int i;

	for (i = 0; i < VS_KEY_WORDS; i++)
		mk[i] = w[i] & c->used[i];
	for (i = 0; i < c->n_used_words; i++)
		h = rte_hash_crc_8byte(mk[c->used_word[i]], h);
	return h;
}

static inline struct vs_emc_entry *
vs_emc_entry(struct vs_emc *emc, uint32_t hash)
{
	return &emc->e[hash & (VS_EMC_SIZE - 1)];
}

static inline bool
vs_emc_hit(const struct vs_emc_entry *e, const struct vs_cls *c, const uint64_t *mk)
{
	return e->gen == c->gen && memcmp(e->key, mk, sizeof(e->key)) == 0;
}

#endif
