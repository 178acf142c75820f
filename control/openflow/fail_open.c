/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/fail_open.c: fail mode standalone. A bridge with active
 * controllers (tcp: targets) none of which is connected, since its first
 * attempts failed or for three keepalive intervals after the last one
 * went (as OVS's fail-open), gets one rule that makes it a learning switch
 * whatever the other rules say: match-all, the highest priority,
 * actions=NORMAL, cookie VS_OF_FAIL_OPEN_COOKIE, a controller's rule (not
 * saved). The first controller to connect removes it; its own rules were
 * kept meanwhile. Secure bridges never get it. Passive (ptcp:) targets are
 * for tools such as ovs-ofctl and count for nothing here, as in OVS. */
#include <string.h>

#include "bridge.h"
#include "flow_table.h"
#include "log.h"
#include "of_int.h"

static void
fail_open_spec(struct vs_flow_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->origin = VS_ORIGIN_CONTROLLER;
	s->priority = UINT16_MAX;
	s->has_priority = true;
	s->cookie = VS_OF_FAIL_OPEN_COOKIE;
	s->cookie_mask = UINT64_MAX;
	s->has_cookie = true;
	s->has_table = true;
	s->n_actions = 1;
	s->actions[0].type = VS_ACT_NORMAL;
}

void
vs_of_fail_open_remove(struct vs_of_bridge *ob)
{
	struct vs_flow_spec s;
	struct vs_err err = {0};
	uint32_t n = 0;

	if (!ob->fail_open)
		return;
	fail_open_spec(&s);
	if (vs_flows_del(ob->sw, ob->br, &s, true, &n, &err) < 0)
		VS_LOG(WARNING, "bridge %s: cannot remove the fail-open rule: %s", ob->br->name,
		       err.msg);
	ob->fail_open = false;
	VS_LOG(NOTICE,
	       "bridge %s: fail-open ends (a controller is connected, or no longer "
	       "standalone or with controllers to wait for)",
	       ob->br->name);
}

static void
fail_open_add(struct vs_of_bridge *ob)
{
	struct vs_flow_spec s;
	struct vs_err err = {0};

	fail_open_spec(&s);
	if (vs_flows_add(ob->sw, ob->br, &s, 1, &err) < 0) {
		VS_LOG(WARNING, "bridge %s: cannot add the fail-open rule: %s", ob->br->name,
		       err.msg);
		return;
	}
	ob->fail_open = true;
	VS_LOG(NOTICE,
	       "bridge %s: no controller connected, fail mode standalone: the bridge learns "
	       "(fail-open) until one connects",
	       ob->br->name);
}

void
vs_of_fail_open_tick(struct vs_of_bridge *ob, uint64_t now)
{
	bool active = false, up = false, failed_first = false;
	unsigned int i;

	for (i = 0; i < ob->n_targets; i++) {
		const struct vs_of_target *t = &ob->targets[i];

		if (t->passive)
			continue;
		active = true;
		failed_first |= t->attempts > 0 && t->conn == NULL;
	}
	for (i = 0; i < VS_OF_SESSIONS_MAX; i++)
		up |= ob->sess[i] != NULL && !ob->sess[i]->t->passive &&
		      ob->sess[i]->conn->state == VS_OFCONN_UP;
	if (!active || up) {
		ob->no_ctl_since_ms = 0;
		if (ob->fail_open && (!active || up))
			vs_of_fail_open_remove(ob);
		if (up)
			ob->ever_up = true;
		return;
	}
	if (ob->no_ctl_since_ms == 0)
		ob->no_ctl_since_ms = now;
	if (ob->fail_mode != VS_OF_FAIL_STANDALONE || ob->fail_open)
		return;
	if ((!ob->ever_up && failed_first) || now - ob->no_ctl_since_ms >= VS_OF_FAIL_OPEN_MS)
		fail_open_add(ob);
}
