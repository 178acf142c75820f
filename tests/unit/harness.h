/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/harness.h: what the dataplane unit tests share: DPDK without
 * hugepages, an mbuf pool, frame builders, and "capture" ports whose tx
 * keeps what it is given (optionally refusing some, like a full queue). */
#ifndef VS_TEST_HARNESS_H
#define VS_TEST_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <rte_mbuf.h>

#include "port.h"

#define CAP_MAX 512

struct capture {
	struct rte_mbuf *pkts[CAP_MAX];
	unsigned int n;
	unsigned int bursts; /* tx calls */
	int accept;          /* packets to accept per call; -1: all */
};

/* Start EAL once per test binary (no hugepages, no devices). */
int harness_eal_init(void);
struct rte_mempool *harness_pool(void);

/* An Ethernet frame of 'len' bytes (>= 14 unless testing runts). */
struct rte_mbuf *harness_frame(const char *dst, const char *src, uint16_t len);

/* A port of type "capture": rx returns nothing, tx appends to 'cap'. */
struct vs_port *harness_port(const char *name, struct capture *cap);
void harness_port_free(struct vs_port *port);
/* Free all captured mbufs and reset the counts. */
void harness_capture_reset(struct capture *cap);

#endif
