/* SPDX-License-Identifier: BSD-3-Clause */
/* control/group/group_persist.c: a bridge's groups in the config file (the
 * operator's only: a controller installs its own again when it comes back,
 * as Open vSwitch does), and the link state of its ports as the liveness
 * that fast_failover and watch_port go by. It calls nothing of the table
 * (control/group/group.c): the table hands it the groups. */
#include <errno.h>
#include <stdlib.h>

#include "group_int.h"
#include "persist.h"
#include "port.h"
#include "switch.h"

static const char *
port_name(void *ctx, uint16_t id)
{
	const struct vs_group_lookup *l = ctx;

	return id < VS_MAX_PORTS && l->sw->ports[id] != NULL ? l->sw->ports[id]->name : NULL;
}

bool
vs_group_bucket_names_port(const struct vs_bucket_spec *b, uint16_t port)
{
	uint16_t i;

	if (b->watch_port == port)
		return true;
	for (i = 0; i < b->n_actions; i++)
		if (b->actions[i].type == VS_ACT_OUTPUT && b->actions[i].port == port)
			return true;
	return false;
}

/* Append the text of 'e' without the buckets naming 'skip'. */
static int
append_text(json_t *arr, const struct vs_group_entry *e, uint16_t skip, struct vs_group_lookup *l)
{
	static char buf[1 << 17]; /* control thread only; 64 buckets of 32 actions fit */
	struct vs_bucket_spec *kept = e->buckets;
	uint16_t i, n = e->n_buckets;
	int ret;

	if (skip != VS_PORT_NONE) {
		kept = malloc(sizeof(*kept) * (e->n_buckets ? e->n_buckets : 1));
		if (kept == NULL)
			return -ENOMEM;
		for (i = 0, n = 0; i < e->n_buckets; i++)
			if (!vs_group_bucket_names_port(&e->buckets[i], skip))
				kept[n++] = e->buckets[i];
	}
	vs_group_format(e->id, e->type, kept, n, port_name, l, buf, sizeof(buf));
	ret = json_array_append_new(arr, json_string(buf)) < 0 ? -ENOMEM : 0;
	if (kept != e->buckets)
		free(kept);
	return ret;
}

json_t *
vs_groups_texts(struct vs_switch *sw, const struct vs_bridge *br, struct vs_group_entry *const *e,
		uint32_t n, const json_t *waiting, uint16_t skip)
{
	struct vs_group_lookup l = {.sw = sw, .br = br};
	json_t *arr = json_array(), *w;
	uint32_t i;
	size_t j;

	if (arr == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (e[i]->origin == VS_ORIGIN_OPERATOR && append_text(arr, e[i], skip, &l) < 0)
			goto nomem;
	json_array_foreach (waiting, j, w)
		if (json_array_append(arr, json_object_get(w, "group")) < 0)
			goto nomem;
	return arr;
nomem:
	json_decref(arr);
	return NULL;
}

int
vs_groups_save(struct vs_switch *sw, struct vs_bridge *br, struct vs_group_entry *const *e,
	       uint32_t n, const json_t *waiting, struct vs_err *err)
{
	json_t *arr = vs_groups_texts(sw, br, e, n, waiting, VS_PORT_NONE);
	int ret;

	if (arr == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	ret = vs_persist_groups(sw, br->name, arr, err);
	json_decref(arr);
	return ret;
}

void
vs_groups_refresh_links(struct vs_switch *sw, struct vs_bridge *br)
{
	struct vs_port_status st;
	unsigned int i;

	if (br->groups == NULL)
		return;
	for (i = 0; i < VS_MAX_PORTS; i++) {
		struct vs_port *p = sw->ports[i];
		bool live = p != NULL && p->br == br && p->ops->status(p, &st) == 0 && st.link_up;

		if (live != vs_groups_port_live(br->groups, (uint16_t)i))
			vs_groups_set_port_live(br->groups, (uint16_t)i, live);
	}
}

void
vs_groups_tick(struct vs_switch *sw)
{
	unsigned int i;

	for (i = 0; i < VS_MAX_BRIDGES; i++)
		if (sw->bridges[i] != NULL)
			vs_groups_refresh_links(sw, sw->bridges[i]);
}
