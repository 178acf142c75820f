/* SPDX-License-Identifier: BSD-3-Clause */
/* control/group/group_persist.c: a bridge's groups in the config file (the
 * operator's only: a controller installs its own again when it comes back,
 * as Open vSwitch does), and the link state of its ports as the liveness
 * that fast_failover and watch_port go by. It calls nothing of the table
 * (control/group/group.c): the table hands it the groups. */
#include <errno.h>

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

int
vs_groups_save(struct vs_switch *sw, struct vs_bridge *br, struct vs_group_entry *const *e,
	       uint32_t n, const json_t *waiting, struct vs_err *err)
{
	struct vs_group_lookup l = {.sw = sw, .br = br};
	json_t *arr = json_array(), *w;
	static char buf[1 << 17]; /* control thread only; 64 buckets of 32 actions fit */
	uint32_t i;
	size_t j;
	int ret;

	if (arr == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		if (e[i]->origin != VS_ORIGIN_OPERATOR)
			continue;
		vs_group_format(e[i]->id, e[i]->type, e[i]->buckets, e[i]->n_buckets, port_name, &l,
				buf, sizeof(buf));
		if (json_array_append_new(arr, json_string(buf)) < 0)
			goto nomem;
	}
	json_array_foreach (waiting, j, w)
		if (json_array_append(arr, json_object_get(w, "group")) < 0)
			goto nomem;
	ret = vs_persist_groups(sw, br->name, arr, err);
	json_decref(arr);
	return ret;
nomem:
	json_decref(arr);
	return vs_err_set(err, -ENOMEM, "out of memory");
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
