/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/repro/dpdk_null_queue_leak.c: the smallest program that shows
 * DPDK 22.11's net_null keeping DPDK heap memory after its device is gone,
 * with no vswitch code involved. Each cycle hot-plugs a new net_null
 * device, sets up 1 rx and 2 tx queues, starts, stops, closes and removes
 * it, and prints the heap's allocation count: it grows by one allocation
 * per queue set up, each cycle (net_null allocates a dummy packet per
 * queue at queue setup and has no queue release to free it).
 *
 *   build/tests/dpdk_null_queue_leak      (no hugepages needed)
 *
 * Exit status 0 and "leak: N allocations per cycle" when the leak is
 * there, 1 when it is not (a DPDK that fixed it). */
#include <stdio.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#define CYCLES 4

static unsigned int
heap_allocs(void)
{
	struct rte_malloc_socket_stats st;

	return rte_malloc_get_socket_stats(0, &st) == 0 ? st.alloc_count : 0;
}

static int
cycle(struct rte_mempool *mp, unsigned int i)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	char name[32];
	uint16_t pid;

	memset(&conf, 0, sizeof(conf));
	snprintf(name, sizeof(name), "net_null%u", i);
	if (rte_dev_probe(name) < 0 || rte_eth_dev_get_port_by_name(name, &pid) != 0)
		return -1;
	if (rte_eth_dev_configure(pid, 1, 2, &conf) < 0 ||
	    rte_eth_rx_queue_setup(pid, 0, 256, 0, NULL, mp) < 0 ||
	    rte_eth_tx_queue_setup(pid, 0, 256, 0, NULL) < 0 ||
	    rte_eth_tx_queue_setup(pid, 1, 256, 0, NULL) < 0 || rte_eth_dev_start(pid) < 0)
		return -1;
	if (rte_eth_dev_info_get(pid, &info) != 0)
		return -1;
	rte_eth_dev_stop(pid);
	rte_eth_dev_close(pid);
	return rte_dev_remove(info.device);
}

int
main(void)
{
	char *argv[] = {"repro",
			"--no-huge",
			"--no-pci",
			"--no-shconf",
			"-m",
			"64",
			"-l",
			"0",
			"--file-prefix=vsw-repro-null",
			"--log-level=lib.eal:error",
			"--no-telemetry"};
	unsigned int i, before, after, first = 0;
	char rundir[PATH_MAX];
	struct rte_mempool *mp;

	if (rte_eal_init(RTE_DIM(argv), argv) < 0)
		return 2;
	mp = rte_pktmbuf_pool_create("repro", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	if (mp == NULL)
		return 2;
	for (i = 0; i <= CYCLES; i++) {
		before = heap_allocs();
		if (cycle(mp, i) < 0) {
			fprintf(stderr, "cycle %u: DPDK refused\n", i);
			return 2;
		}
		after = heap_allocs();
		printf("cycle %u: heap allocations %u -> %u (%+d)\n", i, before, after,
		       (int)(after - before));
		if (i == 1)
			first = after; /* the first cycle may set up what stays */
	}
	after = heap_allocs();
	printf("leak: %u allocations per cycle\n", (after - first) / (CYCLES - 1));
	snprintf(rundir, sizeof(rundir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	rmdir(rundir); /* EAL leaves its (empty) runtime directory */
	return after > first ? 0 : 1;
}
