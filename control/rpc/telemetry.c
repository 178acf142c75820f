/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/telemetry.c: see telemetry.h.
 *
 * Telemetry callbacks run on DPDK's telemetry thread, not the control
 * thread: each takes the switch lock, which the control thread holds
 * whenever it is not waiting for events, so they read a consistent switch
 * (and the same JSON the control socket returns, flattened). The callback
 * API has no context argument: the switch is kept in a file-level pointer,
 * set once here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_pdump.h>
#include <rte_telemetry.h>

#include "bridge_ctl.h"
#include "log.h"
#include "memory.h"
#include "perf.h"
#include "rpc_methods.h"
#include "switch.h"
#include "telemetry.h"

static struct vs_switch *the_switch;

/* A JSON object as a flat dict: nested keys joined with '_' (telemetry
 * names take no dots), reals as
 * strings (telemetry in DPDK 22.11 has no floating point). */
static void
flatten(struct rte_tel_data *d, const char *prefix, json_t *o)
{
	char key[RTE_TEL_MAX_STRING_LEN], val[64];
	const char *k;
	json_t *v;

	json_object_foreach (o, k, v) {
		snprintf(key, sizeof(key), "%s%s%s", prefix, prefix[0] ? "_" : "", k);
		if (json_is_object(v)) {
			flatten(d, key, v);
		} else if (json_is_integer(v) && json_integer_value(v) < 0) {
			rte_tel_data_add_dict_int(d, key, (int)json_integer_value(v));
		} else if (json_is_integer(v)) {
			rte_tel_data_add_dict_u64(d, key, (uint64_t)json_integer_value(v));
		} else if (json_is_real(v)) {
			snprintf(val, sizeof(val), "%.2f", json_real_value(v));
			rte_tel_data_add_dict_string(d, key, val);
		} else if (json_is_boolean(v)) {
			rte_tel_data_add_dict_int(d, key, json_is_true(v));
		} else if (json_is_string(v)) {
			rte_tel_data_add_dict_string(d, key, json_string_value(v));
		}
	}
}

static int
pmd_list(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct vs_switch *sw = the_switch;
	unsigned int i;

	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	pthread_mutex_lock(&sw->lock);
	for (i = 0; i < VS_MAX_PMDS; i++)
		if (sw->pmds[i] != NULL)
			rte_tel_data_add_array_int(d, (int)i);
	pthread_mutex_unlock(&sw->lock);
	return 0;
}

static int
pmd_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct vs_switch *sw = the_switch;
	char *end;
	long idx = params ? strtol(params, &end, 10) : -1;
	json_t *o;

	if (params == NULL || *end != '\0' || idx < 0 || idx >= VS_MAX_PMDS)
		return -EINVAL;
	pthread_mutex_lock(&sw->lock);
	o = sw->pmds[idx] ? vs_perf_pmd_json(sw, sw->pmds[idx], true) : NULL;
	pthread_mutex_unlock(&sw->lock);
	if (o == NULL)
		return -ENOENT;
	rte_tel_data_start_dict(d);
	flatten(d, "", o);
	json_decref(o);
	return 0;
}

static int
port_list(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct vs_switch *sw = the_switch;
	unsigned int i;

	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	pthread_mutex_lock(&sw->lock);
	for (i = 0; i < VS_MAX_PORTS; i++)
		if (sw->ports[i] != NULL)
			rte_tel_data_add_array_string(d, sw->ports[i]->name);
	pthread_mutex_unlock(&sw->lock);
	return 0;
}

/* A port's counters as port.stats has them, and each rx queue's figures as
 * "rxqN_*". */
static int
port_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct vs_switch *sw = the_switch;
	const struct vs_port *p;
	char key[32];
	uint16_t q;
	json_t *o;

	if (params == NULL)
		return -EINVAL;
	pthread_mutex_lock(&sw->lock);
	p = vs_port_find(sw, params);
	if (p == NULL) {
		pthread_mutex_unlock(&sw->lock);
		return -ENOENT;
	}
	rte_tel_data_start_dict(d);
	o = vs_rpc_port_stats_json(p);
	flatten(d, "", o);
	json_decref(o);
	for (q = 0; q < p->n_rxq && q < 8; q++) { /* a dict holds 256 entries */
		o = vs_perf_rxq_json(sw, p, q);
		snprintf(key, sizeof(key), "rxq%u", q);
		flatten(d, key, o);
		json_decref(o);
	}
	pthread_mutex_unlock(&sw->lock);
	return 0;
}

/* switch.memory flattened: "pool_nN_*" per NUMA node's pool, "heap_*"
 * (the sums over nodes), "warnings" and each as "warningN". */
static int
memory_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct vs_switch *sw = the_switch;
	char key[32];
	json_t *o, *v;
	size_t i;

	if (params != NULL && params[0] != '\0')
		return -EINVAL;
	pthread_mutex_lock(&sw->lock);
	o = vs_memory_json(sw);
	pthread_mutex_unlock(&sw->lock);
	rte_tel_data_start_dict(d);
	json_array_foreach (json_object_get(o, "pools"), i, v) {
		snprintf(key, sizeof(key), "pool_n%lld",
			 (long long)json_integer_value(json_object_get(v, "numa")));
		flatten(d, key, v);
	}
	flatten(d, "heap", json_object_get(o, "heap"));
	v = json_object_get(o, "warnings");
	rte_tel_data_add_dict_u64(d, "warnings", json_array_size(v));
	for (i = 0; i < json_array_size(v); i++) {
		snprintf(key, sizeof(key), "warning%zu", i);
		rte_tel_data_add_dict_string(d, key, json_string_value(json_array_get(v, i)));
	}
	json_decref(o);
	return 0;
}

int
vs_telemetry_init(struct vs_switch *sw)
{
	int ret;

	the_switch = sw;
	ret = rte_telemetry_register_cmd("/vswitch/pmds", pmd_list, "PMD indexes. No parameters");
	ret |= rte_telemetry_register_cmd(
		"/vswitch/pmd", pmd_stats,
		"A PMD's figures (as vswitchctl pmd-perf-show). Parameter: PMD index");
	ret |= rte_telemetry_register_cmd("/vswitch/ports", port_list, "Port names. No parameters");
	ret |= rte_telemetry_register_cmd(
		"/vswitch/port", port_stats,
		"A port's counters, drops by reason, rx queue figures. Parameter: port name");
	ret |= rte_telemetry_register_cmd(
		"/vswitch/memory", memory_stats,
		"mbuf pools' use per NUMA node, DPDK heap allocations and bytes, warnings. "
		"No parameters");
	if (ret != 0)
		VS_LOG(WARNING, "DPDK telemetry: cannot register the /vswitch/ commands");
	/* dpdk-dumpcap attaches as a secondary process and asks for copies of
	 * a DPDK port's packets. */
	if (rte_pdump_init() < 0)
		VS_LOG(WARNING, "packet capture (rte_pdump) unavailable: %s",
		       rte_strerror(rte_errno));
	return 0;
}

void
vs_telemetry_fini(struct vs_switch *sw)
{
	rte_pdump_uninit();
}
