/* SPDX-License-Identifier: BSD-3-Clause */
/* control/switch/perf.c: see perf.h. Samples are deltas of the PMDs' cumulative
 * counters; "load" is always over the last samples, so it follows what
 * the traffic does now, not since start. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>

#include "perf.h"
#include "switch.h"

static const struct vs_pmd_stats zero_stats;
static const uint64_t zero_drops[VS_DROP_MAX];

static const char *const burst_buckets[VS_BURST_BUCKETS] = {"1",    "2-3",   "4-7",
							    "8-15", "16-31", "32"};

int
vs_perf_init(struct vs_switch *sw)
{
	sw->perf = calloc(1, sizeof(*sw->perf));
	if (sw->perf == NULL)
		return -ENOMEM;
	sw->perf->tsc_last = rte_rdtsc();
	return 0;
}

void
vs_perf_fini(struct vs_switch *sw)
{
	free(sw->perf);
	sw->perf = NULL;
}

void
vs_perf_thread_congestion(int tid, uint64_t *wait_ns, uint64_t *preempted)
{
	unsigned long long run, wait = 0, n = 0;
	char path[64], line[128];
	FILE *f;

	*wait_ns = 0;
	if (preempted != NULL)
		*preempted = 0;
	if (tid <= 0)
		return;
	snprintf(path, sizeof(path), "/proc/self/task/%d/schedstat", tid);
	f = fopen(path, "r");
	if (f != NULL) {
		if (fscanf(f, "%llu %llu", &run, &wait) == 2)
			*wait_ns = wait;
		fclose(f);
	}
	if (preempted == NULL)
		return;
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
	f = fopen(path, "r");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "nonvoluntary_ctxt_switches: %llu", &n) == 1)
			*preempted = n;
	fclose(f);
}

void
vs_perf_reset_pmd(struct vs_switch *sw, uint16_t idx)
{
	struct vs_perf_pmd *p = &sw->perf->pmd[idx];
	const struct vs_worker *w = sw->pmds[idx];

	memset(p, 0, sizeof(*p));
	p->w = w;
	if (w == NULL)
		return;
	p->busy_last = w->st.busy_cycles;
	p->total_last = w->st.busy_cycles + w->st.idle_cycles;
}

static void
sample_pmd(struct vs_switch *sw, uint16_t idx, unsigned int pos)
{
	struct vs_perf_pmd *p = &sw->perf->pmd[idx];
	const struct vs_worker *w = sw->pmds[idx];
	uint64_t busy, total, wait;

	if (w == NULL)
		return;
	if (p->w != w)
		vs_perf_reset_pmd(sw, idx);
	busy = w->st.busy_cycles;
	total = busy + w->st.idle_cycles;
	vs_perf_thread_congestion(__atomic_load_n(&w->tid, __ATOMIC_RELAXED), &wait, NULL);
	p->busy[pos] = busy - p->busy_last;
	p->total[pos] = total - p->total_last;
	p->wait_ns[pos] = p->wait_last && wait >= p->wait_last ? wait - p->wait_last : 0;
	p->busy_last = busy;
	p->total_last = total;
	p->wait_last = wait;
}

static void
sample_port(struct vs_switch *sw, const struct vs_port *port, unsigned int pos)
{
	uint16_t q;

	for (q = 0; q < port->n_rxq && q < VS_MAX_QUEUES; q++) {
		struct vs_perf_rxq *r = &sw->perf->rxq[port->id][q];
		uint64_t c = port->rxq_st[q].cycles;

		if (r->port != port) { /* a new port on this id */
			memset(r, 0, sizeof(*r));
			r->port = port;
			r->cycles_last = c;
		}
		r->cycles[pos] = c - r->cycles_last;
		r->cycles_last = c;
	}
}

void
vs_perf_sample(struct vs_switch *sw)
{
	struct vs_perf *pf = sw->perf;
	uint64_t now = rte_rdtsc();
	unsigned int i;

	pf->wall[pf->pos] = now - pf->tsc_last;
	pf->tsc_last = now;
	for (i = 0; i < VS_MAX_PMDS; i++)
		sample_pmd(sw, (uint16_t)i, pf->pos);
	for (i = 0; i < VS_MAX_PORTS; i++)
		if (sw->ports[i] != NULL)
			sample_port(sw, sw->ports[i], pf->pos);
	pf->pos = (pf->pos + 1) % VS_PERF_SAMPLES;
	if (pf->n < VS_PERF_SAMPLES)
		pf->n++;
}

/* Sum of the last 'samples' entries of a history. */
static uint64_t
recent(const struct vs_perf *pf, const uint64_t *hist, unsigned int samples)
{
	uint64_t sum = 0;
	unsigned int i, k = samples < pf->n ? samples : pf->n;

	for (i = 1; i <= k; i++)
		sum += hist[(pf->pos + VS_PERF_SAMPLES - i) % VS_PERF_SAMPLES];
	return sum;
}

uint64_t
vs_perf_rxq_load(const struct vs_switch *sw, const struct vs_port *port, uint16_t q,
		 unsigned int samples)
{
	const struct vs_perf_rxq *r = &sw->perf->rxq[port->id][q];

	return r->port == port ? recent(sw->perf, r->cycles, samples) : 0;
}

void
vs_perf_pmd_load(const struct vs_switch *sw, uint16_t idx, unsigned int samples, uint64_t *busy,
		 uint64_t *total)
{
	const struct vs_perf_pmd *p = &sw->perf->pmd[idx];

	*busy = recent(sw->perf, p->busy, samples);
	*total = recent(sw->perf, p->total, samples);
}

double
vs_perf_pmd_load_pct(const struct vs_switch *sw, uint16_t idx, unsigned int samples)
{
	uint64_t busy, total;

	vs_perf_pmd_load(sw, idx, samples, &busy, &total);
	return total ? 100.0 * (double)busy / (double)total : 0.0;
}

/* Drops of packets this PMD handled, by reason, summed over ports, those
 * deleted included. */
static void
pmd_drops(const struct vs_switch *sw, uint16_t idx, uint64_t *drops)
{
	const struct vs_perf_pmd *p = &sw->perf->pmd[idx];
	unsigned int i, r;

	memset(drops, 0, sizeof(drops[0]) * VS_DROP_MAX);
	if (p->w == sw->pmds[idx])
		memcpy(drops, p->gone_drops, sizeof(p->gone_drops));
	for (i = 0; i < VS_MAX_PORTS; i++)
		for (r = 0; sw->ports[i] != NULL && r < VS_DROP_MAX; r++)
			drops[r] += sw->ports[i]->ctr[idx].drops[r];
}

void
vs_perf_port_gone(struct vs_switch *sw, const struct vs_port *port)
{
	unsigned int i, r;

	for (i = 0; sw->perf != NULL && i < VS_MAX_PMDS; i++) {
		struct vs_perf_pmd *p = &sw->perf->pmd[i];

		if (sw->pmds[i] == NULL)
			continue;
		if (p->w != sw->pmds[i])
			vs_perf_reset_pmd(sw, (uint16_t)i);
		for (r = 0; r < VS_DROP_MAX; r++)
			p->gone_drops[r] += port->ctr[i].drops[r];
	}
}

void
vs_perf_clear(struct vs_switch *sw)
{
	unsigned int i, q;

	for (i = 0; i < VS_MAX_PMDS; i++) {
		struct vs_perf_pmd *p = &sw->perf->pmd[i];
		const struct vs_worker *w = sw->pmds[i];

		if (w == NULL)
			continue;
		if (p->w != w)
			vs_perf_reset_pmd(sw, (uint16_t)i);
		p->base = w->st;
		pmd_drops(sw, (uint16_t)i, p->base_drops);
		vs_perf_thread_congestion(__atomic_load_n(&w->tid, __ATOMIC_RELAXED),
					  &p->base_wait_ns, &p->base_preempted);
	}
	for (i = 0; i < VS_MAX_PORTS; i++) {
		const struct vs_port *port = sw->ports[i];

		for (q = 0; port != NULL && q < port->n_rxq && q < VS_MAX_QUEUES; q++) {
			struct vs_perf_rxq *r = &sw->perf->rxq[i][q];

			if (r->port != port) {
				memset(r, 0, sizeof(*r));
				r->port = port;
				r->cycles_last = port->rxq_st[q].cycles;
			}
			r->base_packets = port->rxq_st[q].packets;
			r->base_bursts = port->rxq_st[q].bursts;
			r->base_cycles = port->rxq_st[q].cycles;
			r->base_drops = port->rxq_st[q].drops;
		}
	}
}

static double
ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0;
}

static json_t *
drops_json(const struct vs_switch *sw, uint16_t idx, const uint64_t *base)
{
	json_t *by_reason = json_object(), *by_cause = json_object();
	uint64_t d[VS_DROP_MAX];
	unsigned int r;

	pmd_drops(sw, idx, d);
	for (r = 0; r < VS_DROP_MAX; r++) {
		uint64_t n = d[r] - (base[r] <= d[r] ? base[r] : 0);
		json_t *c = json_object_get(by_cause, vs_drop_info[r].cause);

		json_object_set_new(by_reason, vs_drop_info[r].name, json_integer((json_int_t)n));
		json_object_set_new(by_cause, vs_drop_info[r].cause,
				    json_integer(json_integer_value(c) + (json_int_t)n));
	}
	return json_pack("{s:o, s:o}", "by_reason", by_reason, "by_cause", by_cause);
}

json_t *
vs_perf_pmd_json(const struct vs_switch *sw, const struct vs_worker *w, bool histograms)
{
	const struct vs_perf *pf = sw->perf;
	const struct vs_perf_pmd *p = &pf->pmd[w->idx];
	bool mine = p->w == w; /* else never sampled or cleared: no baseline */
	const struct vs_pmd_stats *st = &w->st, *b = mine ? &p->base : &zero_stats;
	uint64_t rx = st->rx_packets - b->rx_packets, busy = st->busy_cycles - b->busy_cycles;
	uint64_t idle = st->idle_cycles - b->idle_cycles, bursts = st->rx_bursts - b->rx_bursts;
	uint64_t txp = st->tx_packets - b->tx_packets, txb = st->tx_bursts - b->tx_bursts;
	uint64_t wait, pre, wall = recent(pf, pf->wall, VS_PERF_SAMPLES);
	json_t *o, *hist;
	unsigned int i;

	vs_perf_thread_congestion(__atomic_load_n(&w->tid, __ATOMIC_RELAXED), &wait, &pre);
	o = json_pack("{s:i, s:i, s:i, s:b, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:I, s:f, s:I}",
		      "index", w->idx, "cpu", w->lcore, "numa", w->socket, "shares_main_cpu",
		      (int)w->lcore == sw->cfg.main_cpu, "rx_packets", (json_int_t)rx,
		      "busy_cycles", (json_int_t)busy, "idle_cycles", (json_int_t)idle, "busy_pct",
		      100 * ratio(busy, busy + idle), "cycles_per_packet", ratio(busy, rx),
		      "avg_rx_burst", ratio(rx, bursts), "avg_tx_batch", ratio(txp, txb),
		      "tx_packets", (json_int_t)txp, "load_pct",
		      vs_perf_pmd_load_pct(sw, w->idx, VS_PERF_SAMPLES), "learn_overflow",
		      (json_int_t)(st->learn_overflow - b->learn_overflow));
	json_object_set_new(
		o, "congestion",
		json_pack("{s:I, s:f, s:I}", "wait_ns",
			  (json_int_t)(wait - (mine ? p->base_wait_ns : 0)), "wait_pct",
			  wall ? 100.0 * (double)recent(pf, p->wait_ns, VS_PERF_SAMPLES) /
					  ((double)wall * 1e9 / (double)sw->tsc_hz)
			       : 0.0,
			  "preempted", (json_int_t)(pre - (mine ? p->base_preempted : 0))));
	json_object_set_new(o, "drops", drops_json(sw, w->idx, mine ? p->base_drops : zero_drops));
	if (histograms) {
		hist = json_object();
		for (i = 0; i < VS_BURST_BUCKETS; i++)
			json_object_set_new(
				hist, burst_buckets[i],
				json_integer((json_int_t)(st->burst_hist[i] - b->burst_hist[i])));
		json_object_set_new(o, "rx_burst_sizes", hist);
	}
	return o;
}

json_t *
vs_perf_rxq_json(const struct vs_switch *sw, const struct vs_port *port, uint16_t q)
{
	const struct vs_perf_rxq *r = &sw->perf->rxq[port->id][q];
	const struct vs_rxq_stats *st = &port->rxq_st[q];
	bool mine = r->port == port;
	uint64_t pk = st->packets - (mine ? r->base_packets : 0);
	uint64_t cy = st->cycles - (mine ? r->base_cycles : 0);
	uint64_t bu = st->bursts - (mine ? r->base_bursts : 0);
	uint64_t dr = st->drops - (mine ? r->base_drops : 0);
	uint64_t load = vs_perf_rxq_load(sw, port, q, VS_PERF_SAMPLES), busy = 0, total = 0;
	int pmd = port->rxq_pmd[q];
	const struct vs_worker *w = pmd >= 0 ? sw->pmds[pmd] : NULL;
	/* From the node the guest's memory is on now, which may have changed
	 * since the queue was placed. */
	bool cross = w != NULL && vs_port_socket(port) >= 0 && w->socket != vs_port_socket(port);

	if (pmd >= 0)
		vs_perf_pmd_load(sw, (uint16_t)pmd, VS_PERF_SAMPLES, &busy, &total);
	return json_pack(
		"{s:s, s:i, s:i, s:i, s:i, s:b, s:b, s:i, s:I, s:I, s:I, s:I, s:f, s:f}", "port",
		port->name, "queue", q, "pmd", pmd, "cpu", w != NULL ? (int)w->lcore : -1, "numa",
		vs_port_socket(port), "enabled", (bool)(vs_port_rxq_enabled(port) >> q & 1),
		"cross_numa", cross, "pinned_cpu", port->conf.rxq_pin[q], "packets", (json_int_t)pk,
		"bursts", (json_int_t)bu, "drops", (json_int_t)dr, "cycles", (json_int_t)cy,
		"cycles_per_packet", ratio(cy, pk), "pmd_share_pct", 100 * ratio(load, total));
}
