/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_switch.c: switch.* methods: the whole picture (show), memory
 * (pools and heap) and the drop reasons with their meaning; and the list of
 * every module's methods. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cpuset.h"
#include "memory.h"
#include "persist.h"
#include "flow_table.h"
#include "rpc_methods.h"
#include "switch.h"

static json_t *
pmd_json(const struct vs_worker *w)
{
	const struct vs_pollset *ps = w->poll;
	json_t *qs = json_array();
	uint32_t i;

	for (i = 0; ps != NULL && i < ps->n; i++)
		json_array_append_new(qs, json_pack("{s:s, s:i}", "port", ps->q[i].port->name,
						    "queue", ps->q[i].qid));
	return json_pack("{s:i, s:i, s:i, s:o, s:I, s:I, s:I}", "index", w->idx, "cpu", w->lcore,
			 "numa", w->socket, "rx_queues", qs, "rx_packets",
			 (json_int_t)w->st.rx_packets, "busy_cycles", (json_int_t)w->st.busy_cycles,
			 "idle_cycles", (json_int_t)w->st.idle_cycles);
}

static int
rpc_switch_show(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
		struct vs_err *err)
{
	json_t *pmds, *bridges, *failed, *v;
	const char *key;
	char cpus[256];
	unsigned int i;

	pmds = json_array();
	bridges = json_array();
	failed = json_array();
	for (i = 0; i < VS_MAX_PMDS; i++)
		if (sw->pmds[i] != NULL)
			json_array_append_new(pmds, pmd_json(sw->pmds[i]));
	for (i = 0; i < VS_MAX_BRIDGES; i++)
		if (sw->bridges[i] != NULL)
			json_array_append_new(bridges,
					      vs_rpc_bridge_json(sw, sw->bridges[i], true));
	json_object_foreach ((json_t *)vs_persist_errors(sw), key, v) {
		const char *colon = strchr(key, ':');

		if (colon != NULL)
			json_array_append_new(failed, json_pack("{s:s%, s:s, s:O}", "kind", key,
								(size_t)(colon - key), "name",
								colon + 1, "error", v));
	}
	vs_cpuset_format(&sw->cfg.pmd_cpus, cpus, sizeof(cpus));
	*result = json_pack("{s:s, s:i, s:s, s:s, s:i, s:s, s:I, s:I, s:o, s:o}", "version",
			    VS_VERSION, "pid", (int)getpid(), "rundir", sw->cfg.rundir,
			    "file_prefix", sw->cfg.file_prefix, "main_cpu", sw->cfg.main_cpu,
			    "pmd_cpus", cpus, "uptime", (json_int_t)vs_switch_now(sw), "tsc_hz",
			    (json_int_t)sw->tsc_hz, "pmds", pmds, "bridges", bridges);
	json_object_set_new(*result, "config_file", json_string(sw->cfg.config_file));
	json_object_set_new(*result, "failed", failed);
	json_object_set_new(*result, "config_diverged",
			    vs_persist_divergence(sw) ? json_string(vs_persist_divergence(sw))
						      : json_null());
	json_object_set_new(*result, "memory", vs_memory_json(sw));
	return 0;
}

static int
rpc_switch_memory(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
		  struct vs_err *err)
{
	/* Retired rules and tables past their grace period go first, so the
	 * heap figures do not depend on when the last tick ran. */
	vs_flows_reclaim(sw);
	*result = vs_memory_json(sw);
	return 0;
}

static int
rpc_switch_drops(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
		 struct vs_err *err)
{
	json_t *arr;
	unsigned int r;

	arr = json_array();
	for (r = 0; r < VS_DROP_MAX; r++)
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:s}", "name", vs_drop_info[r].name, "cause",
				       vs_drop_info[r].cause, "help", vs_drop_info[r].help));
	*result = arr;
	return 0;
}

static const struct vs_rpc_method switch_methods[] = {
	{.name = "switch.show", .fn = rpc_switch_show, .help = "daemon, PMDs, bridges and ports"},
	{.name = "switch.memory",
	 .fn = rpc_switch_memory,
	 .help = "mbuf pools' use per NUMA node, DPDK heap allocations and bytes, low-pool "
		 "warnings"},
	{.name = "switch.drop_reasons",
	 .fn = rpc_switch_drops,
	 .help = "every drop reason, its cause and meaning"},
};

int
vs_rpc_switch_init(struct vs_rpc *rpc)
{
	return vs_rpc_register(rpc, switch_methods, RTE_DIM(switch_methods));
}

/* Here rather than in vswitchd.c, so that the unit tests check the very
 * table the daemon serves. */
int
vs_rpc_methods_init(struct vs_rpc *rpc)
{
	int ret;

	if ((ret = vs_rpc_bridge_init(rpc)) < 0 || (ret = vs_rpc_port_init(rpc)) < 0 ||
	    (ret = vs_rpc_switch_init(rpc)) < 0 || (ret = vs_rpc_flow_init(rpc)) < 0 ||
	    (ret = vs_rpc_group_init(rpc)) < 0 || (ret = vs_rpc_pmd_init(rpc)) < 0 ||
	    (ret = vs_rpc_openflow_init(rpc)) < 0 || (ret = vs_rpc_ssl_init(rpc)) < 0)
		return ret;
	return 0;
}
