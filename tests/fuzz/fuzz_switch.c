/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fuzz_switch.c: see fuzz_switch.h. */
#include <stdlib.h>

#include <rte_eal.h>
#include <rte_malloc.h>

#include "bridge_ctl.h"
#include "fuzz_switch.h"
#include "perf.h"
#include "persist.h"

static struct vs_switch *the_switch;

/* At exit, before the leak check: what the bridges hold is not a leak. */
static void
fuzz_switch_free(void)
{
	vs_bridge_del_all(the_switch);
	vs_persist_fini(the_switch);
}

void
fuzz_switch_bridge(struct vs_switch *sw, const char *name)
{
	struct vs_bridge_conf bc = {.mac_aging = 300, .mac_max = 64};
	json_t *params = json_pack("{s:s}", "name", name);

	if (vs_bridge_add(sw, name, &bc, params, NULL) < 0)
		abort();
	json_decref(params);
}

struct vs_switch *
fuzz_switch_new(void)
{
	char *eal[] = {"fuzz", "--no-huge", "--no-pci", "--no-shconf", "--no-telemetry",
		       "-m",   "256",       "-l",       "0",           "--log-level=error",
		       NULL};
	size_t sz = rte_rcu_qsbr_get_memsize(VS_MAX_PMDS);
	struct vs_switch *sw;

	if (rte_eal_init(10, eal) < 0)
		abort();
	sw = calloc(1, sizeof(*sw));
	sw->dp.qsbr = rte_zmalloc(NULL, sz, RTE_CACHE_LINE_SIZE);
	if (sw->dp.qsbr == NULL || rte_rcu_qsbr_init(sw->dp.qsbr, VS_MAX_PMDS) < 0)
		abort();
	sw->tsc_hz = 1;
	if (vs_perf_init(sw) < 0)
		abort();
	if (vs_persist_init(sw) < 0) /* no config file: nothing is written */
		abort();
	fuzz_switch_bridge(sw, "br0");
	the_switch = sw;
	atexit(fuzz_switch_free);
	return sw;
}
