/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/rng.h: the private PRNG (xorshift64) the randomized tests
 * share, so that a failing seed replays the same rounds on any machine
 * (libc's rand() differs between libcs and is global state). */
#ifndef VS_TEST_RNG_H
#define VS_TEST_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s; /* never 0 */
};

/* A number below 'below' (> 0). */
static inline uint32_t
rnd(struct rng *r, uint32_t below)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (uint32_t)(r->s % below);
}

#endif
