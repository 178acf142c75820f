/* SPDX-License-Identifier: BSD-3-Clause */
/* control/switch/perf.h: what the PMDs cost, measured: per PMD and per rx queue,
 * sampled once a second into a short history (the loads that queue
 * placement and rebalancing go by), plus CPU congestion: how long each
 * PMD thread waited to run (the kernel's schedstat) and how often it was
 * preempted. PMDs only ever increment their own counters; everything here
 * runs on the control thread. "Clear" keeps a baseline; counters are
 * never reset under a running PMD. */
#ifndef VS_PERF_H
#define VS_PERF_H

#include <stdint.h>
#include <jansson.h>

#include "dp.h"
#include "port.h"
#include "worker.h"

#define VS_PERF_SAMPLES 10 /* one-second samples kept */

struct vs_switch;

struct vs_perf_pmd {
	const struct vs_worker *w; /* the PMD these figures are of */
	uint64_t busy_last, total_last, wait_last;
	uint64_t busy[VS_PERF_SAMPLES], total[VS_PERF_SAMPLES], wait_ns[VS_PERF_SAMPLES];
	struct vs_pmd_stats base; /* at the last clear */
	uint64_t base_drops[VS_DROP_MAX];
	/* Drops this PMD counted against ports since deleted, so that a
	 * deleted port does not take them out of the PMD's figures. */
	uint64_t gone_drops[VS_DROP_MAX];
	uint64_t base_wait_ns, base_preempted;
};

struct vs_perf_rxq {
	const struct vs_port *port; /* whose queue these are */
	uint64_t cycles_last;
	uint64_t cycles[VS_PERF_SAMPLES];
	uint64_t base_packets, base_bursts, base_cycles, base_drops;
};

struct vs_perf {
	unsigned int pos; /* the next sample slot */
	unsigned int n;   /* samples taken, up to VS_PERF_SAMPLES */
	uint64_t tsc_last;
	uint64_t wall[VS_PERF_SAMPLES]; /* TSC cycles each sample spans */
	struct vs_perf_pmd pmd[VS_MAX_PMDS];
	struct vs_perf_rxq rxq[VS_MAX_PORTS][VS_MAX_QUEUES];
};

int vs_perf_init(struct vs_switch *sw);
void vs_perf_fini(struct vs_switch *sw);

/* Once a second. */
void vs_perf_sample(struct vs_switch *sw);

/* Cycles rx queue 'q' of 'port' cost over the last 'samples' seconds. */
uint64_t vs_perf_rxq_load(const struct vs_switch *sw, const struct vs_port *port, uint16_t q,
			  unsigned int samples);
/* A PMD's busy and total cycles over the last 'samples' seconds. */
void vs_perf_pmd_load(const struct vs_switch *sw, uint16_t idx, unsigned int samples,
		      uint64_t *busy, uint64_t *total);
/* The same as a percentage: the load rebalancing goes by (0 if unknown). */
double vs_perf_pmd_load_pct(const struct vs_switch *sw, uint16_t idx, unsigned int samples);

/* Forget the history of a PMD slot or a port's queues (new owner). */
void vs_perf_reset_pmd(struct vs_switch *sw, uint16_t idx);

/* 'port' is going (unpublished, after a grace period: its counters are
 * final): keep the drops each PMD counted against it in that PMD's. */
void vs_perf_port_gone(struct vs_switch *sw, const struct vs_port *port);

/* Start every counter from zero for show (a baseline, not a reset). */
void vs_perf_clear(struct vs_switch *sw);

/* For pmd.stats, pmd.perf and pmd.rxq_show. */
json_t *vs_perf_pmd_json(const struct vs_switch *sw, const struct vs_worker *w, bool histograms);
json_t *vs_perf_rxq_json(const struct vs_switch *sw, const struct vs_port *port, uint16_t q);

/* A thread's time spent runnable but not running, and involuntary
 * context switches (NULL: not wanted, it costs a second /proc read), since
 * it started; 0 if unknown. */
void vs_perf_thread_congestion(int tid, uint64_t *wait_ns, uint64_t *preempted);

#endif
