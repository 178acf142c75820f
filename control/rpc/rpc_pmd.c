/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_pmd.c: pmd.* methods (what each PMD polls and costs, the
 * rebalancer) and switch.set (daemon settings that change at run time:
 * decoded here, checked, saved and made by control/settings/settings.c,
 * all or nothing). */
#include <errno.h>
#include <string.h>

#include "bridge_ctl.h"
#include "cpuset.h"
#include "log.h"
#include "perf.h"
#include "settings.h"
#include "rpc_methods.h"
#include "switch.h"

/* The optional "pmd" parameter (PMD_ALL when absent); pmd.rebalance's
 * "dry_run". */
#define PMD_ALL UINT32_MAX
struct pmd_args {
	uint32_t pmd;
	bool dry_run;
};

/* -1 for all, else a PMD that is there. */
static int
pmd_param(const struct vs_switch *sw, uint32_t v, int *pmd, struct vs_err *err)
{
	*pmd = -1;
	if (v == PMD_ALL)
		return 0;
	if (sw->pmds[v] == NULL)
		return vs_err_set(err, -ENOENT, "no PMD %u (vswitchctl pmd-stats-show lists them)",
				  (unsigned int)v);
	*pmd = (int)v;
	return 0;
}

static int
pmd_list(struct vs_switch *sw, const struct pmd_args *a, json_t **result, struct vs_err *err,
	 bool histograms)
{
	json_t *arr;
	unsigned int i;
	int ret, pmd;

	if ((ret = pmd_param(sw, a->pmd, &pmd, err)) < 0)
		return ret;
	arr = json_array();
	for (i = 0; i < VS_MAX_PMDS; i++)
		if (sw->pmds[i] != NULL && (pmd < 0 || pmd == (int)i))
			json_array_append_new(arr, vs_perf_pmd_json(sw, sw->pmds[i], histograms));
	*result = arr;
	return 0;
}

static int
rpc_pmd_stats(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	      struct vs_err *err)
{
	return pmd_list(sw, args, result, err, false);
}

static int
rpc_pmd_perf(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	     struct vs_err *err)
{
	return pmd_list(sw, args, result, err, true);
}

static int
rpc_pmd_clear(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	      struct vs_err *err)
{
	vs_perf_clear(sw);
	return 0;
}

static json_t *
rebalance_json(const struct vs_rebalance *r)
{
	return json_pack("{s:f, s:f, s:f, s:i, s:b, s:i}", "variance_before", r->variance_before,
			 "variance_after", r->variance_after, "improvement_pct", r->improvement_pct,
			 "moved", r->moved, "applied", r->applied, "time", r->when);
}

static json_t *
settings_json(const struct vs_switch *sw)
{
	char cpus[256];

	vs_cpuset_format(&sw->cfg.pmd_cpus, cpus, sizeof(cpus));
	return json_pack("{s:s, s:b, s:i, s:i, s:i, s:b, s:b}", "pmd-cpus", cpus, "pmd-auto-lb",
			 sw->cfg.auto_lb, "pmd-auto-lb-load", sw->cfg.auto_lb_load,
			 "pmd-auto-lb-improvement", sw->cfg.auto_lb_improvement,
			 "pmd-auto-lb-interval", sw->cfg.auto_lb_interval, "pmd-rxq-isolate",
			 sw->cfg.rxq_isolate, "pmd-rxq-stats", sw->cfg.rxq_stats);
}

static int
rpc_rxq_show(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	     struct vs_err *err)
{
	json_t *pmds, *unpolled;
	unsigned int i, q;
	int ret, pmd;

	if ((ret = pmd_param(sw, ((const struct pmd_args *)args)->pmd, &pmd, err)) < 0)
		return ret;
	pmds = json_array();
	unpolled = json_array();
	for (i = 0; i < VS_MAX_PMDS; i++) {
		const struct vs_worker *w = sw->pmds[i];
		json_t *qs;

		if (w == NULL || (pmd >= 0 && pmd != (int)i))
			continue;
		qs = json_array();
		for (q = 0; q < VS_MAX_PORTS * VS_MAX_QUEUES; q++) {
			const struct vs_port *p = sw->ports[q / VS_MAX_QUEUES];

			if (p != NULL && q % VS_MAX_QUEUES < p->n_rxq &&
			    p->rxq_pmd[q % VS_MAX_QUEUES] == (int16_t)i)
				json_array_append_new(
					qs, vs_perf_rxq_json(sw, p, (uint16_t)(q % VS_MAX_QUEUES)));
		}
		json_array_append_new(
			pmds, json_pack("{s:i, s:i, s:i, s:f, s:o}", "index", i, "cpu", w->lcore,
					"numa", w->socket, "load_pct",
					vs_perf_pmd_load_pct(sw, (uint16_t)i, VS_PERF_SAMPLES),
					"queues", qs));
	}
	for (i = 0; i < VS_MAX_PORTS; i++) {
		const struct vs_port *p = sw->ports[i];

		for (q = 0; p != NULL && q < p->n_rxq; q++)
			if (p->rxq_pmd[q] < 0)
				json_array_append_new(unpolled,
						      vs_perf_rxq_json(sw, p, (uint16_t)q));
	}
	*result = json_pack("{s:o, s:o, s:o, s:{s:I, s:o*}}", "pmds", pmds, "unpolled", unpolled,
			    "settings", settings_json(sw), "rebalances", "count",
			    (json_int_t)sw->lb_count, "last",
			    sw->lb_count ? rebalance_json(&sw->lb_last) : NULL);
	return 0;
}

static int
rpc_rebalance(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	      struct vs_err *err)
{
	const struct pmd_args *a = args;
	struct vs_rebalance r;
	int ret;

	ret = vs_sched_rebalance(sw, !a->dry_run, -1, &r);
	if (ret < 0)
		return vs_err_set(err, ret, "out of memory");
	if (r.applied)
		VS_LOG(INFO, "rebalance: %u queue(s) moved, load variance %.3g -> %.3g", r.moved,
		       r.variance_before, r.variance_after);
	*result = rebalance_json(&r);
	return 0;
}

/* A setting's value as text: strings as they are, numbers and booleans
 * written out. */
static int
value_text(const char *key, const json_t *v, char *buf, size_t size, struct vs_err *err)
{
	if (json_is_string(v))
		snprintf(buf, size, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, size, "%s", json_is_true(v) ? "on" : "off");
	else
		return vs_err_set(err, -EINVAL,
				  "setting \"%s\" must be a string, number or boolean", key);
	return 0;
}

static int
rpc_switch_set(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	       struct vs_err *err)
{
	json_t *v, *settings;
	const char *key;
	char val[256];
	int ret;

	if (json_object_size(params) == 0)
		return vs_err_set(err, -EINVAL,
				  "nothing to set: give settings like pmd-cpus=1,2 (see vswitchd "
				  "--help for the ones that change at run time)");
	settings = json_object();
	json_object_foreach (params, key, v) {
		if ((ret = value_text(key, v, val, sizeof(val), err)) < 0) {
			json_decref(settings);
			return ret;
		}
		json_object_set_new(settings, key, json_string(val));
	}
	/* Checked, saved, made; a failure puts the file back too. */
	ret = vs_settings_set(sw, settings, err);
	json_decref(settings);
	if (ret < 0)
		return ret;
	*result = settings_json(sw);
	return 0;
}

static const struct vs_rpc_param pmd_params[] = {
	{.name = "pmd",
	 .kind = VS_RPC_UINT,
	 .max = VS_MAX_PMDS - 1,
	 .dflt = PMD_ALL,
	 VS_RPC_AT(struct pmd_args, pmd)},
	{0},
};
static const struct vs_rpc_param rebalance_params[] = {
	{.name = "dry_run", .kind = VS_RPC_BOOL, VS_RPC_AT(struct pmd_args, dry_run)},
	{0},
};

static const struct vs_rpc_method pmd_methods[] = {
	{.name = "pmd.stats",
	 .fn = rpc_pmd_stats,
	 .params = pmd_params,
	 .args_size = sizeof(struct pmd_args),
	 .help = "per PMD: packets, cycles, bursts, load, CPU congestion, drops by cause"},
	{.name = "pmd.perf",
	 .fn = rpc_pmd_perf,
	 .params = pmd_params,
	 .args_size = sizeof(struct pmd_args),
	 .help = "pmd.stats with the rx burst size histogram"},
	{.name = "pmd.stats_clear",
	 .fn = rpc_pmd_clear,
	 .help = "count PMD and queue figures from zero"},
	{.name = "pmd.rxq_show",
	 .fn = rpc_rxq_show,
	 .params = pmd_params,
	 .args_size = sizeof(struct pmd_args),
	 .help = "which PMD polls which rx queue, NUMA nodes, each queue's share, the "
		 "rebalancer"},
	{.name = "pmd.rebalance",
	 .fn = rpc_rebalance,
	 .params = rebalance_params,
	 .args_size = sizeof(struct pmd_args),
	 .help = "place every rx queue afresh by load"},
	/* Each key is a setting, checked by vs_config_set (the option table
	 * vswitchd --help prints), not by a table here. */
	{.name = "switch.set",
	 .fn = rpc_switch_set,
	 .free_form = true,
	 .usage = "setting: value ...",
	 .help = "change settings at run time: pmd-cpus, pmd-auto-lb*, pmd-rxq-isolate, "
		 "pmd-rxq-stats, log-level"},
};

int
vs_rpc_pmd_init(struct vs_rpc *rpc)
{
	return vs_rpc_register(rpc, pmd_methods, RTE_DIM(pmd_methods));
}
