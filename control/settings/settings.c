/* SPDX-License-Identifier: BSD-3-Clause */
/* control/settings/settings.c: the run-time settings change. Above the
 * flow tables (a new set of PMDs means new per-PMD rule counters, so the
 * tables are republished) and the saved configuration (the change is
 * saved before it is made, control/persist/persist.h), below every front
 * end: JSON-RPC's switch.set decodes its params and calls this. */
#include <errno.h>
#include <stdio.h>

#include "config.h"
#include "flow_table.h"
#include "log.h"
#include "persist.h"
#include "settings.h"
#include "switch.h"

struct change {
	const json_t *settings;
	struct vs_config next; /* the settings once changed */
};

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
save(struct vs_switch *sw, void *arg, struct vs_err *err)
{
	struct change *c = arg;

	return vs_persist_daemon_set(sw, c->settings, err);
}

static int
make(struct vs_switch *sw, void *arg, struct vs_err *err)
{
	struct change *c = arg;
	bool isolate = sw->cfg.rxq_isolate;
	const char *key;
	json_t *v;
	int ret = 0;

	/* Queues are placed again under the new isolation rule, with the new
	 * PMDs if they change too; a failure puts the rule back. */
	sw->cfg.rxq_isolate = c->next.rxq_isolate;
	if (!CPU_EQUAL(&c->next.pmd_cpus, &sw->cfg.pmd_cpus))
		ret = set_pmd_cpus(sw, &c->next.pmd_cpus, err);
	else if (c->next.rxq_isolate != isolate && (ret = vs_sched_publish(sw)) < 0)
		vs_err_set(err, ret, "out of memory placing rx queues");
	if (ret < 0) {
		sw->cfg.rxq_isolate = isolate;
		return ret;
	}
	/* Nothing below fails. The file's "daemon" section is the switch's
	 * (vs_persist_daemon_set replaced it): keep the new one. */
	c->next.pmd_cpus = sw->cfg.pmd_cpus;
	c->next.daemon = sw->cfg.daemon;
	sw->cfg = c->next;
	__atomic_store_n(&sw->dp.rxq_stats, c->next.rxq_stats,
			 __ATOMIC_RELAXED); /* see struct vs_dp */
	vs_log_set_level(c->next.log_level);
	json_object_foreach ((json_t *)c->settings, key, v)
		VS_LOG(INFO, "setting %s=%s", key, json_string_value(v));
	return 0;
}

int
vs_settings_set(struct vs_switch *sw, const json_t *settings, struct vs_err *err)
{
	struct change c = {.settings = settings, .next = sw->cfg};
	const char *key;
	json_t *v;
	int ret;

	/* Checked, all of them, before anything is saved or made. */
	json_object_foreach ((json_t *)settings, key, v) {
		if (!json_is_string(v))
			return vs_err_set(err, -EINVAL, "setting \"%s\" must be given as text",
					  key);
		if ((ret = vs_config_set(&c.next, key, json_string_value(v), err)) < 0)
			return ret;
	}
	return vs_persist_save_then_make(sw, save, make, &c, err);
}
