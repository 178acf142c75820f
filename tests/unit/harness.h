/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/harness.h: what the dataplane unit tests share: DPDK without
 * hugepages, an mbuf pool, frame builders, and a switch on ring ports
 * (drivers/port_ring.c) added with vs_port_add, whose tx rings the harness
 * drains into a "capture" after each burst (optionally leaving only some
 * room in a ring, to make it refuse the rest as a full queue does). */
#ifndef VS_TEST_HARNESS_H
#define VS_TEST_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <rte_mbuf.h>

#include "port.h"
#include "stats.h"

struct vs_switch;
struct vs_worker;

#define CAP_MAX 512

/* What one port's tx was given: the frames its tx ring held, in order. */
struct capture {
	struct rte_mbuf *pkts[CAP_MAX];
	unsigned int n;
	unsigned int bursts; /* tx calls */
	/* Room left in the port's tx ring for the next harness_input (the
	 * rest is refused: tx_full); -1: all of it. */
	int accept;
	uint64_t seen_bursts; /* the port's tx calls at the last capture */
};

/* Start EAL once per test binary (no hugepages, no devices). */
int harness_eal_init(void);
/* The same, as a cmocka group setup. */
int harness_group_setup(void **state);
struct rte_mempool *harness_pool(void);

/* An Ethernet frame of 'len' bytes (>= 14 unless testing runts). */
struct rte_mbuf *harness_frame(const char *dst, const char *src, uint16_t len);

/* Free all captured mbufs and reset the counts. */
void harness_capture_reset(struct capture *cap);

/* A switch driven by the test: two bridges on ring ports (size=CAP_MAX),
 * one worker (PMD 0) whose loop the test runs by hand. br0 holds p0-p2
 * (ids 10-12), br1 holds p3 (id 13). Setup and teardown for cmocka;
 * *state is the fixture. A test that deletes a port sets its port[] to
 * NULL. */
struct harness_sw {
	struct vs_switch *sw;
	struct vs_worker *w;
	struct capture cap[4];
	struct vs_port *port[4]; /* 0-2 on br0, 3 on br1 */
};

int harness_setup(void **state);
int harness_teardown(void **state);

/* A burst in on port 'in' (enqueued on its rx ring, received by its rx),
 * through the bridge (the flow table first), then the worker's flush, the
 * control thread's learning and harness_capture. */
void harness_input(struct harness_sw *f, int in, struct rte_mbuf **pkts, uint16_t n);
/* Move what each port's tx ring holds into its capture (for a test that
 * drives the worker itself). */
void harness_capture(struct harness_sw *f);
uint64_t harness_drops(struct harness_sw *f, int port, enum vs_drop r);
uint64_t harness_tx(struct harness_sw *f, int port);

#endif
