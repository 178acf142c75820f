/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_pmd.c: pmd.* methods (what each PMD polls and costs, the
 * rebalancer) and switch.set (daemon settings that change at run time). A
 * set is all or nothing: every value is checked before any takes effect. */
#include <errno.h>
#include <string.h>

#include "bridge_ctl.h"
#include "config.h"
#include "cpuset.h"
#include "flow_table.h"
#include "log.h"
#include "perf.h"
#include "persist.h"
#include "rpc_methods.h"
#include "switch.h"

/* The optional "pmd" parameter: -1 for all. */
static int
pmd_param(const struct vs_switch *sw, const json_t *params, int *pmd, struct vs_err *err)
{
	uint64_t v;
	int ret;

	*pmd = -1;
	if (json_object_get(params, "pmd") == NULL)
		return 0;
	ret = vs_rpc_uint(params, "pmd", true, 0, VS_MAX_PMDS - 1, &v, err);
	if (ret < 0)
		return ret;
	if (sw->pmds[v] == NULL)
		return vs_err_set(err, -ENOENT, "no PMD %u (vswitchctl pmd-stats-show lists them)",
				  (unsigned int)v);
	*pmd = (int)v;
	return 0;
}

static int
pmd_list(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err, bool histograms)
{
	static const char *const keys[] = {"pmd", NULL};
	json_t *arr;
	unsigned int i;
	int ret, pmd;

	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0 ||
	    (ret = pmd_param(sw, params, &pmd, err)) < 0)
		return ret;
	arr = json_array();
	for (i = 0; i < VS_MAX_PMDS; i++)
		if (sw->pmds[i] != NULL && (pmd < 0 || pmd == (int)i))
			json_array_append_new(arr, vs_perf_pmd_json(sw, sw->pmds[i], histograms));
	*result = arr;
	return 0;
}

static int
rpc_pmd_stats(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	return pmd_list(sw, params, result, err, false);
}

static int
rpc_pmd_perf(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	return pmd_list(sw, params, result, err, true);
}

static int
rpc_pmd_clear(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {NULL};
	int ret = vs_rpc_check_keys(params, keys, err);

	if (ret == 0)
		vs_perf_clear(sw);
	return ret;
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
rpc_rxq_show(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {"pmd", NULL};
	json_t *pmds = json_array(), *unpolled = json_array();
	unsigned int i, q;
	int ret, pmd;

	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0 ||
	    (ret = pmd_param(sw, params, &pmd, err)) < 0) {
		json_decref(pmds);
		json_decref(unpolled);
		return ret;
	}
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
rpc_rebalance(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {"dry_run", NULL};
	json_t *dry = json_object_get(params, "dry_run");
	struct vs_rebalance r;
	int ret;

	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0)
		return ret;
	if (dry != NULL && !json_is_boolean(dry))
		return vs_err_set(err, -EINVAL, "parameter \"dry_run\" must be true or false");
	ret = vs_sched_rebalance(sw, !json_is_true(dry), -1, &r);
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
/* PMDs on exactly 'cpus'; the flow tables, which count per PMD index,
 * follow. */
static int
set_pmd_cpus(struct vs_switch *sw, const cpu_set_t *cpus, struct vs_err *err)
{
	int ret = vs_pmd_set_cpus(sw, cpus, err);

	if (ret == 0 && vs_flows_republish_all(sw) < 0)
		VS_LOG(WARNING, "flow counters of the new PMDs could not be set up: out of memory");
	return ret;
}

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
rpc_switch_set(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	struct vs_config next = sw->cfg, saved = sw->cfg;
	json_t *v, *settings, *mark;
	const char *key;
	char val[256];
	int ret;

	if (json_object_size(params) == 0)
		return vs_err_set(err, -EINVAL,
				  "nothing to set: give settings like pmd-cpus=1,2 (see vswitchd "
				  "--help for the ones that change at run time)");
	settings = json_object();
	json_object_foreach (params, key, v) {
		if ((ret = value_text(key, v, val, sizeof(val), err)) < 0 ||
		    (ret = vs_config_set(&next, key, val, err)) < 0) {
			json_decref(settings);
			return ret;
		}
		json_object_set_new(settings, key, json_string(val));
	}
	/* Saved first, then made; a failure puts the file back too. */
	mark = vs_persist_mark(sw);
	ret = vs_persist_daemon_set(sw, settings, err);
	json_decref(settings);
	if (ret < 0) {
		json_decref(mark);
		return ret;
	}
	/* Queues are placed again under the new isolation rule, with the new
	 * PMDs if they change too; a failure puts the rule back. */
	sw->cfg.rxq_isolate = next.rxq_isolate;
	ret = 0;
	if (!CPU_EQUAL(&next.pmd_cpus, &sw->cfg.pmd_cpus))
		ret = set_pmd_cpus(sw, &next.pmd_cpus, err);
	else if (next.rxq_isolate != saved.rxq_isolate && (ret = vs_sched_publish(sw)) < 0)
		vs_err_set(err, ret, "out of memory placing rx queues");
	if (ret < 0) {
		sw->cfg.rxq_isolate = saved.rxq_isolate;
		vs_persist_restore(sw, mark);
		return ret;
	}
	json_decref(mark);
	/* Nothing below fails. The file's "daemon" section is the switch's
	 * (vs_persist_daemon_set replaced it): keep the new one. */
	next.pmd_cpus = sw->cfg.pmd_cpus;
	next.daemon = sw->cfg.daemon;
	sw->cfg = next;
	__atomic_store_n(&sw->dp.rxq_stats, next.rxq_stats,
			 __ATOMIC_RELAXED); /* see struct vs_dp */
	vs_log_set_level(next.log_level);
	json_object_foreach (params, key, v) {
		value_text(key, v, val, sizeof(val), NULL);
		VS_LOG(INFO, "setting %s=%s", key, val);
	}
	*result = settings_json(sw);
	return 0;
}

static const struct vs_rpc_method pmd_methods[] = {
	{"pmd.stats", rpc_pmd_stats, "[pmd]",
	 "per PMD: packets, cycles, bursts, load, CPU congestion, drops by cause"},
	{"pmd.perf", rpc_pmd_perf, "[pmd]", "pmd.stats with the rx burst size histogram"},
	{"pmd.stats_clear", rpc_pmd_clear, "", "count PMD and queue figures from zero"},
	{"pmd.rxq_show", rpc_rxq_show, "[pmd]",
	 "which PMD polls which rx queue, NUMA nodes, each queue's share, the rebalancer"},
	{"pmd.rebalance", rpc_rebalance, "[dry_run]", "place every rx queue afresh by load"},
	{"switch.set", rpc_switch_set, "setting: value ...",
	 "change settings at run time: pmd-cpus, pmd-auto-lb*, pmd-rxq-isolate, pmd-rxq-stats, "
	 "log-level"},
};

int
vs_rpc_pmd_init(struct vs_rpc *rpc)
{
	return vs_rpc_register(rpc, pmd_methods, RTE_DIM(pmd_methods));
}
