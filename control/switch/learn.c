/* SPDX-License-Identifier: BSD-3-Clause */
/* control/switch/learn.c: MAC learning on behalf of the PMDs. PMDs never write a
 * MAC table; they post "source S seen on port P" to a ring, and this drains
 * the rings into the tables (the single writer rte_hash wants), and ages
 * out entries not refreshed for the bridge's aging time. */
#include <rte_ring_elem.h>

#include "log.h"
#include "switch.h"

#define DRAIN_BURST 64

static unsigned int
drain_one(struct vs_switch *sw, struct vs_worker *w, uint32_t now)
{
	struct vs_learn_ev ev[DRAIN_BURST];
	unsigned int n, i, total = 0;

	do {
		n = rte_ring_sc_dequeue_burst_elem(w->learn, ev, sizeof(ev[0]), DRAIN_BURST, NULL);
		for (i = 0; i < n; i++) {
			struct vs_port *port =
				ev[i].port < VS_MAX_PORTS ? sw->ports[ev[i].port] : NULL;
			struct vs_bridge *br;
			int ret;

			if (port == NULL)
				continue; /* the port is going away */
			br = port->br;
			ret = vs_fdb_learn(br->fdb, &ev[i].key, ev[i].port, now);
			if (ret == 1)
				br->learned++;
			else if (ret == 2)
				br->moved++;
			else if (ret < 0 && br->learn_full++ == 0)
				VS_LOG(WARNING,
				       "bridge %s: MAC table full (%u entries); new "
				       "sources are flooded to, not learnt; raise mac-max",
				       br->name, br->mac_max);
		}
		total += n;
	} while (n == DRAIN_BURST);
	return total;
}

unsigned int
vs_learn_drain(struct vs_switch *sw)
{
	unsigned int i, n = 0;

	for (i = 0; i < VS_MAX_PMDS; i++)
		if (sw->pmds[i] != NULL)
			n += drain_one(sw, sw->pmds[i], sw->dp.now);
	return n;
}

void
vs_learn_age(struct vs_switch *sw)
{
	unsigned int i;

	for (i = 0; i < VS_MAX_BRIDGES; i++) {
		struct vs_bridge *br = sw->bridges[i];

		if (br != NULL)
			br->aged += vs_fdb_age(br->fdb, sw->dp.now, br->mac_aging);
	}
}
