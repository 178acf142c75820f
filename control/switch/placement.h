/* SPDX-License-Identifier: BSD-3-Clause */
/* control/switch/placement.h: which PMD polls which rx queue, as a pure function
 * of the PMDs (core, NUMA node) and the queues (NUMA node, measured load,
 * pinning). No switch state: control/switch/sched.c feeds it the live topology,
 * the unit tests feed it any topology they like (two NUMA nodes on a
 * one-node machine, uneven loads, more queues than cores).
 *
 * The rules, in order:
 * 1. A queue pinned to a core (pmd-rxq-affinity) goes to the PMD on that
 *    core; if there is none, it is placed like any other and flagged.
 * 2. With 'isolate', a PMD that polls a pinned queue is kept for pinned
 *    queues only, unless every PMD is.
 * 3. The other queues, largest load first, each go to the least loaded
 *    PMD on the queue's NUMA node (fewest queues, then lowest core, on a
 *    tie); to the least loaded PMD anywhere, flagged cross-NUMA, if its
 *    node has none.
 * In VS_PLACE_KEEP mode, a queue that has a PMD that may still poll it
 * keeps it (adding a port never moves traffic already flowing); only new
 * or orphaned queues are placed. VS_PLACE_ALL places every unpinned queue
 * afresh by load: a rebalance. */
#ifndef VS_PLACEMENT_H
#define VS_PLACEMENT_H

#include <stdbool.h>
#include <stdint.h>

struct vs_place_pmd {
	unsigned int cpu;
	int numa;
	/* Out: */
	bool isolated; /* polls pinned queues only */
	uint64_t load; /* sum of its queues' loads */
	unsigned int n_queues;
};

struct vs_place_rxq {
	const char *port; /* for the order of equal loads */
	uint16_t qid;
	int numa;      /* the device's node, -1 unknown */
	uint64_t load; /* cycles over the last intervals */
	int pin_cpu;   /* -1: not pinned */
	int pmd;       /* in (KEEP): current PMD index or -1; out: assigned, -1 none */
	/* Out: */
	bool cross_numa; /* polled from another NUMA node */
	bool pin_lost;   /* pinned to a core that has no PMD */
};

enum vs_place_mode {
	VS_PLACE_KEEP,
	VS_PLACE_ALL,
};

/* Assign 'qs' to 'pmds'. With no PMD, every queue gets -1. */
void vs_place(struct vs_place_pmd *pmds, unsigned int n_pmds, struct vs_place_rxq *qs,
	      unsigned int n_qs, enum vs_place_mode mode, bool isolate);

/* The variance of the PMDs' loads, a figure of how uneven they are. */
double vs_place_variance(const struct vs_place_pmd *pmds, unsigned int n_pmds);

#endif
