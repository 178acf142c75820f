/* SPDX-License-Identifier: BSD-3-Clause */
/* control/bridge/bridge_fdb.c: the operator's static MAC entries, as actions
 * every front end calls (JSON-RPC's fdb.*, the config loader). Each is
 * saved (control/persist/persist.h) before it is made, and put back in the
 * file if making it fails, so the table and the file agree. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bridge_ctl.h"
#include "persist.h"
#include "switch.h"

/* Lower case, as the config file keeps it (and as ip(8) prints it). */
static void
mac_text(char *buf, size_t size, const struct rte_ether_addr *mac)
{
	const uint8_t *b = mac->addr_bytes;

	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
}

struct fdb_change {
	struct vs_bridge *br;
	const struct vs_port *port; /* add: where; flush: which (NULL: all) */
	const struct vs_fdb_key *key;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	unsigned int flushed;
};

static int
add_save(struct vs_switch *sw, void *arg, struct vs_err *err)
{
	struct fdb_change *c = arg;

	return vs_persist_fdb_add(sw, c->br->name, c->port->name, c->mac, c->key->vlan, err);
}

static int
add_make(struct vs_switch *sw, void *arg, struct vs_err *err)
{
	struct fdb_change *c = arg;
	int ret = vs_fdb_add_static(c->br->fdb, c->key, c->port->id, sw->dp.now);

	if (ret == -ENOSPC)
		return vs_err_set(err, ret, "the MAC table of %s is full (mac_max %u)", c->br->name,
				  c->br->mac_max);
	if (ret < 0)
		return vs_err_set(err, ret, "cannot add the entry: %s", strerror(-ret));
	return 0;
}

/* The port 'name' of 'br', or an error. */
static int
bridge_port(struct vs_switch *sw, struct vs_bridge *br, const char *name,
	    const struct vs_port **port, struct vs_err *err)
{
	*port = vs_port_find(sw, name);
	if (*port == NULL || (*port)->br != br)
		return vs_err_set(err, -ENOENT, "bridge %s has no port named %s", br->name, name);
	return 0;
}

int
vs_bridge_fdb_add(struct vs_switch *sw, struct vs_bridge *br, const char *port,
		  const struct vs_fdb_key *key, bool may_exist, struct vs_err *err)
{
	struct fdb_change c = {.br = br, .key = key};
	struct vs_fdb_entry *e;
	const void *kp = key;
	int ret;

	if ((ret = bridge_port(sw, br, port, &c.port, err)) < 0)
		return ret;
	mac_text(c.mac, sizeof(c.mac), &key->mac);
	/* Moving the operator's own entry is a decision, not a side effect. */
	vs_fdb_lookup_bulk(br->fdb, &kp, 1, &e);
	if (e != NULL && e->is_static && e->port != c.port->id && !may_exist)
		return vs_err_set(err, -EEXIST,
				  "%s is already a static entry of port %s: delete it first "
				  "(fdb-del), or move it with fdb-add --may-exist",
				  c.mac,
				  sw->ports[e->port] != NULL ? sw->ports[e->port]->name : "?");
	return vs_persist_save_then_make(sw, add_save, add_make, &c, err);
}

static int
del_save(struct vs_switch *sw, void *arg, struct vs_err *err)
{
	struct fdb_change *c = arg;

	return vs_persist_fdb_del(sw, c->br->name, c->mac, c->key->vlan, err);
}

static int
del_make(struct vs_switch *sw, void *arg, struct vs_err *err)
{
	struct fdb_change *c = arg;

	if (vs_fdb_del(c->br->fdb, c->key) < 0)
		return vs_err_set(err, -ENOENT, "bridge %s has no entry for %s", c->br->name,
				  c->mac);
	return 0;
}

int
vs_bridge_fdb_del(struct vs_switch *sw, struct vs_bridge *br, const struct vs_fdb_key *key,
		  struct vs_err *err)
{
	struct fdb_change c = {.br = br, .key = key};

	mac_text(c.mac, sizeof(c.mac), &key->mac);
	/* Saved first: a learnt entry is not in the file, so this saves
	 * nothing, and one that is not there at all is put back. */
	return vs_persist_save_then_make(sw, del_save, del_make, &c, err);
}

int
vs_bridge_fdb_flush(struct vs_switch *sw, struct vs_bridge *br, const char *port,
		    unsigned int *n_flushed, struct vs_err *err)
{
	const struct vs_port *p = NULL;
	int ret;

	*n_flushed = 0;
	if (port != NULL && (ret = bridge_port(sw, br, port, &p, err)) < 0)
		return ret;
	/* Saved, then made: forgetting entries cannot fail. */
	if ((ret = vs_persist_fdb_flush(sw, br->name, port, err)) < 0)
		return ret;
	*n_flushed = p != NULL ? vs_fdb_flush_port(br->fdb, p->id) : vs_fdb_flush(br->fdb);
	return 0;
}
