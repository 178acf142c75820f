/* SPDX-License-Identifier: BSD-3-Clause */
/* base/stats.c: the drop reason table and counter summing. Reads of
 * another thread's 64-bit counters are single loads (x86-64, aarch64), so a
 * sum is never torn per counter; it is a snapshot, not a transaction. */
#include "stats.h"

const struct vs_drop_info vs_drop_info[VS_DROP_MAX] = {
#define _(e, n, c, d) [VS_DROP_##e] = {n, c, d},
	VS_DROP_REASONS(_)
#undef _
};

void
vs_port_ctr_sum(const struct vs_port_ctr *blocks, unsigned int n, struct vs_port_ctr *sum)
{
	unsigned int i, r;

	*sum = (struct vs_port_ctr){0};
	for (i = 0; i < n; i++) {
		const struct vs_port_ctr *b = &blocks[i];

		sum->rx_packets += __atomic_load_n(&b->rx_packets, __ATOMIC_RELAXED);
		sum->rx_bytes += __atomic_load_n(&b->rx_bytes, __ATOMIC_RELAXED);
		sum->tx_packets += __atomic_load_n(&b->tx_packets, __ATOMIC_RELAXED);
		sum->tx_bytes += __atomic_load_n(&b->tx_bytes, __ATOMIC_RELAXED);
		for (r = 0; r < VS_DROP_MAX; r++)
			sum->drops[r] += __atomic_load_n(&b->drops[r], __ATOMIC_RELAXED);
	}
}
