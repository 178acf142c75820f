/* SPDX-License-Identifier: BSD-3-Clause */
/* control/bridge/bridge.c: creating and removing bridges, and the flood list PMDs
 * use for broadcast, multicast and unknown destinations. The actions save
 * what they change (control/persist/persist.h): an addition is made, saved,
 * and undone if the save fails; a deletion is saved, then made. Tearing the
 * switch down (vs_bridge_del_all) is not the operator deleting: it saves
 * nothing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_malloc.h>

#include "bridge_ctl.h"
#include "bridge_int.h"
#include "flow_table.h"
#include "group_ctl.h"
#include "log.h"
#include "persist.h"
#include "switch.h"

struct vs_bridge *
vs_bridge_find(const struct vs_switch *sw, const char *name)
{
	unsigned int i;

	for (i = 0; i < VS_MAX_BRIDGES; i++)
		if (sw->bridges[i] != NULL && strcmp(sw->bridges[i]->name, name) == 0)
			return sw->bridges[i];
	return NULL;
}

int
vs_bridge_flood_publish(struct vs_switch *sw, struct vs_bridge *br)
{
	struct vs_flood *fl, *old;
	unsigned int i, n = 0;

	for (i = 0; i < VS_MAX_PORTS; i++)
		if (sw->ports[i] != NULL && sw->ports[i]->br == br)
			n++;
	fl = rte_zmalloc("vs_flood", sizeof(*fl) + n * sizeof(fl->ports[0]), RTE_CACHE_LINE_SIZE);
	if (fl == NULL)
		return -ENOMEM;
	for (i = 0; i < VS_MAX_PORTS; i++)
		if (sw->ports[i] != NULL && sw->ports[i]->br == br)
			fl->ports[fl->n++] = (uint16_t)i;
	old = br->flood;
	vs_rcu_assign((void **)&br->flood, fl);
	vs_switch_sync(sw);
	rte_free(old);
	return 0;
}

static int
bridge_create(struct vs_switch *sw, const char *name, const struct vs_bridge_conf *conf,
	      struct vs_err *err)
{
	struct vs_bridge *br;
	char hname[32];
	unsigned int id;
	int ret;

	if (!vs_name_valid(name))
		return vs_err_set(err, -EINVAL,
				  "invalid bridge name '%s': use 1 to %d characters from "
				  "A-Z a-z 0-9 _ . : - (not starting with '-')",
				  name, VS_NAME_MAX - 1);
	if (vs_bridge_find(sw, name) != NULL)
		return vs_err_set(err, -EEXIST, "bridge %s already exists", name);
	if (conf->mac_aging < VS_MAC_AGING_MIN || conf->mac_aging > VS_MAC_AGING_MAX)
		return vs_err_set(err, -ERANGE, "mac-aging must be from %d to %d seconds",
				  VS_MAC_AGING_MIN, VS_MAC_AGING_MAX);
	if (conf->mac_max < VS_MAC_MAX_MIN || conf->mac_max > VS_MAC_MAX_MAX)
		return vs_err_set(err, -ERANGE, "mac-max must be from %d to %u entries",
				  VS_MAC_MAX_MIN, VS_MAC_MAX_MAX);
	for (id = 0; id < VS_MAX_BRIDGES && sw->bridges[id] != NULL; id++)
		;
	if (id == VS_MAX_BRIDGES)
		return vs_err_set(err, -ENOSPC, "at most %d bridges", VS_MAX_BRIDGES);
	br = rte_zmalloc("vs_bridge", sizeof(*br), RTE_CACHE_LINE_SIZE);
	if (br == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	br->id = (uint16_t)id;
	snprintf(br->name, sizeof(br->name), "%s", name);
	br->mac_aging = conf->mac_aging;
	br->mac_max = conf->mac_max;
	snprintf(hname, sizeof(hname), "vs_fdb_%u", id);
	ret = vs_fdb_create(&br->fdb, hname, conf->mac_max, sw->dp.qsbr, SOCKET_ID_ANY);
	if (ret < 0) {
		rte_free(br);
		return vs_err_set(err, ret, "cannot create the MAC table of %s: %s", name,
				  strerror(-ret));
	}
	br->flood = rte_zmalloc("vs_flood", sizeof(*br->flood), 0);
	if (br->flood == NULL) {
		vs_fdb_destroy(br->fdb);
		rte_free(br);
		return vs_err_set(err, -ENOMEM, "out of memory");
	}
	ret = vs_flows_init(sw, br, err);
	if (ret == 0 && (ret = vs_groups_init(sw, br, err)) < 0)
		vs_flows_fini(sw, br);
	if (ret < 0) {
		vs_fdb_destroy(br->fdb);
		rte_free(br->flood);
		rte_free(br);
		return ret;
	}
	sw->bridges[id] = br;
	VS_LOG(INFO, "bridge %s added (mac-aging %u s, mac-max %u)", name, br->mac_aging,
	       br->mac_max);
	return 0;
}

/* Its ports first; nothing is saved. */
static void
bridge_destroy(struct vs_switch *sw, struct vs_bridge *br)
{
	unsigned int i;

	for (i = 0; i < VS_MAX_PORTS; i++)
		if (sw->ports[i] != NULL && sw->ports[i]->br == br)
			vs_port_remove(sw, sw->ports[i]);
	/* No port refers to it any more, and vs_port_remove waited for the
	 * PMDs: nothing can reach the bridge. */
	sw->bridges[br->id] = NULL;
	vs_flows_fini(sw, br);
	vs_groups_fini(sw, br);
	vs_fdb_destroy(br->fdb);

	rte_free(br->flood);
	VS_LOG(INFO, "bridge %s deleted", br->name);
	rte_free(br);
}

int
vs_bridge_add(struct vs_switch *sw, const char *name, const struct vs_bridge_conf *conf,
	      const json_t *entry, struct vs_err *err)
{
	int ret;

	/* Configured but not created: an add must not overwrite the entry. */
	if (vs_bridge_find(sw, name) == NULL &&
	    (ret = vs_persist_check_add(sw, "bridge", entry, err)) < 0)
		return ret;
	if ((ret = bridge_create(sw, name, conf, err)) < 0)
		return ret;
	if ((ret = vs_persist_bridge_add(sw, entry, err)) < 0)
		bridge_destroy(sw, vs_bridge_find(sw, name)); /* not saved: not made */
	return ret;
}

int
vs_bridge_del(struct vs_switch *sw, const char *name, struct vs_err *err)
{
	struct vs_bridge *br = vs_bridge_find(sw, name);
	int ret;

	/* Configured but never created: forgetting it is deleting it. */
	if (br == NULL && !vs_persist_has_bridge(sw, name))
		return vs_err_set(err, -ENOENT, "no bridge named %s", name);
	if ((ret = vs_persist_bridge_del(sw, name, err)) < 0)
		return ret;
	if (br != NULL)
		bridge_destroy(sw, br);
	return 0;
}

void
vs_bridge_del_all(struct vs_switch *sw)
{
	unsigned int i;

	for (i = 0; i < VS_MAX_BRIDGES; i++)
		if (sw->bridges[i] != NULL)
			bridge_destroy(sw, sw->bridges[i]);
}

/* Here rather than in bridge_port.c: a lookup the OpenFlow channel and the
 * RPC methods use, apart from the port actions (which the RPC fuzzer fakes). */
struct vs_port *
vs_bridge_ofport(struct vs_switch *sw, const struct vs_bridge *br, uint32_t ofport)
{
	unsigned int i;

	for (i = 0; ofport != 0 && i < VS_MAX_PORTS; i++)
		if (sw->ports[i] != NULL && sw->ports[i]->br == br &&
		    sw->ports[i]->ofport == ofport)
			return sw->ports[i];
	return NULL;
}
