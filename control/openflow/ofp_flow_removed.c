/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofp_flow_removed.c: FLOW_REMOVED (OpenFlow 1.3.5,
 * 7.4.2). The flow table tells its removed-rule hook of every rule a
 * timeout, a delete, a replace or a bundle takes out (and, as
 * GROUP_DELETE, the rules a group's deletion takes with it); a rule whose
 * flags ask for it (OFPFF_SEND_FLOW_REM) is told to every session of the
 * bridge whose flow_removed mask for its role has the reason's bit
 * (SET_ASYNC; by default a master or equal controller gets all four, a
 * slave none), whoever installed the rule. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>

#include "bridge.h"
#include "flow_table.h"
#include "log.h"
#include "of_int.h"
#include "ofp_codec.h"
#include "switch.h"

#define FR_FIXED 48 /* struct ofp_flow_removed, header included */

static uint16_t
clamp16(uint32_t v)
{
	return v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
}

/* Any session up to hear it? (Most removals have none: no work then.) */
static bool
anyone(const struct vs_of_bridge *ob)
{
	unsigned int i;

	for (i = 0; i < VS_OF_SESSIONS_MAX; i++)
		if (ob->sess[i] != NULL && ob->sess[i]->conn->state == VS_OFCONN_UP)
			return true;
	return false;
}

void
vs_of_rule_duration(const struct vs_switch *sw, const struct vs_rule *r, uint32_t *sec,
		    uint32_t *nsec)
{
	uint64_t t = rte_rdtsc() - r->created_tsc;

	*sec = (uint32_t)(t / sw->tsc_hz);
	*nsec = (uint32_t)((t % sw->tsc_hz) * 1000000000ull / sw->tsc_hz);
}

void
vs_of_flow_removed(void *ctx, struct vs_bridge *br, const struct vs_rule *r,
		   enum vs_flow_removed_reason reason, uint64_t packets, uint64_t bytes,
		   uint32_t duration)
{
	struct vs_of *of = ctx;
	struct vs_of_bridge *ob = of->br[br->id];
	struct vs_ofp_ports ports = {NULL, vs_of_id_to_port, NULL};
	uint32_t sec, nsec;
	struct vs_ofpbuf b;
	uint8_t *p;

	(void)duration;
	if (!(r->flags & VS_FF_SEND_FLOW_REM) || ob == NULL || ob->br != br || !anyone(ob))
		return;
	ports.ctx = ob;
	vs_ofpbuf_init(&b);
	if ((p = vs_ofpbuf_put(&b, NULL, FR_FIXED)) == NULL)
		goto nomem;
	vs_ofp_put64(p + 8, r->cookie);
	vs_ofp_put16(p + 16, r->priority);
	p[18] = (uint8_t)reason; /* VS_FLOW_REMOVED_* are the OFPRR_* values */
	p[19] = r->table_id;
	vs_of_rule_duration(of->sw, r, &sec, &nsec); /* 'duration' has no nanoseconds */
	vs_ofp_put32(p + 20, sec);
	vs_ofp_put32(p + 24, nsec);
	vs_ofp_put16(p + 28, clamp16(r->idle_timeout));
	vs_ofp_put16(p + 30, clamp16(r->hard_timeout));
	vs_ofp_put64(p + 32, packets);
	vs_ofp_put64(p + 40, bytes);
	switch (vs_ofp_match_encode(&b, &r->match, &ports)) {
	case 0:
		break;
	case -ENOMEM:
		goto nomem;
	default:
		/* Its port gone, or a match OXM cannot say: the rest still is. */
		VS_LOG(INFO,
		       "bridge %s: FLOW_REMOVED of a rule whose match OpenFlow cannot say: "
		       "sent with an empty match",
		       br->name);
		b.len = FR_FIXED;
		if (vs_ofpbuf_put(&b, "\x00\x01\x00\x04\x00\x00\x00\x00", 8) == NULL)
			goto nomem;
	}
	vs_ofp_header_init((struct vs_ofp_header *)b.data, OFPT_FLOW_REMOVED, b.len, 0);
	vs_of_broadcast(ob, 2, (uint8_t)reason, b.data, b.len);
	vs_ofpbuf_free(&b);
	return;
nomem:
	VS_LOG(WARNING, "bridge %s: FLOW_REMOVED not sent: out of memory", br->name);
	vs_ofpbuf_free(&b);
}
