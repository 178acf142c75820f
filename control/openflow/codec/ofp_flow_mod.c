/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/codec/ofp_flow_mod.c: FLOW_MOD to struct vs_ofp_flow_mod (a
 * struct vs_flow_spec for the actions of control/flow/flow_table.h). */
#include <errno.h>
#include <string.h>

#include "ofp_codec.h"

#define FM_FIXED 48 /* struct ofp_flow_mod, header included */

static int
fmfc(struct vs_ofperr *e, uint16_t code, const char *why)
{
	return vs_ofperr_set(e, -EINVAL, OFPET_FLOW_MOD_FAILED, code, "flow_mod: %s", why);
}

int
vs_ofp_decode_flow_mod(const uint8_t *msg, size_t len, const struct vs_ofp_ports *ports,
		       struct vs_ofp_flow_mod *fm, struct vs_ofperr *e)
{
	struct vs_flow_spec *s = &fm->spec;
	struct vs_ofp_acts_in in = {VS_OFP_ACTS_FLOW, ports, 0, NULL};
	bool del;
	size_t used;
	uint16_t id;
	int rc;

	memset(fm, 0, sizeof(*fm));
	if (len < FM_FIXED + 8 || vs_ofp_get16(msg + 2) != len)
		return vs_ofperr_set(e, -EPROTO, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN,
				     "flow_mod of %zu bytes", len);
	fm->command = msg[25];
	if (fm->command > OFPFC_DELETE_STRICT)
		return fmfc(e, OFPFMFC_BAD_COMMAND, "unknown command");
	del = fm->command == OFPFC_DELETE || fm->command == OFPFC_DELETE_STRICT;
	s->origin = VS_ORIGIN_CONTROLLER;
	s->cookie = vs_ofp_get64(msg + 8);
	s->cookie_mask = vs_ofp_get64(msg + 16);
	s->table_id = msg[24];
	s->has_table = true;
	if (s->table_id == OFPTT_ALL && del)
		s->has_table = false, s->table_id = 0;
	else if (s->table_id >= VS_TABLES)
		return fmfc(e, OFPFMFC_BAD_TABLE_ID, "table_id out of range");
	s->idle_timeout = vs_ofp_get16(msg + 26);
	s->hard_timeout = vs_ofp_get16(msg + 28);
	s->priority = vs_ofp_get16(msg + 30);
	s->has_priority = fm->command == OFPFC_ADD || fm->command == OFPFC_MODIFY_STRICT ||
			  fm->command == OFPFC_DELETE_STRICT;
	fm->buffer_id = vs_ofp_get32(msg + 32);
	fm->out_port = vs_ofp_get32(msg + 36);
	fm->out_group = vs_ofp_get32(msg + 40);
	s->flags = vs_ofp_get16(msg + 44);
	if (s->flags & ~OFPFF_ALL_13)
		return fmfc(e, OFPFMFC_BAD_FLAGS, "unknown flags");
	/* ADD's cookie_mask is ignored (spec 6.4); elsewhere a mask filters. */
	if (fm->command != OFPFC_ADD && s->cookie_mask != 0)
		s->has_cookie = true;
	if (del && fm->out_port != OFPP_ANY) {
		if (ports == NULL || ports->to_id == NULL ||
		    ports->to_id(ports->ctx, fm->out_port, &id) != 0)
			return vs_ofperr_set(e, -EINVAL, OFPET_FLOW_MOD_FAILED, OFPFMFC_UNKNOWN,
					     "out_port %u: the bridge has no such port",
					     fm->out_port);
		s->has_out_port = true;
		s->out_port = id;
	}
	if (del && fm->out_group != OFPG_ANY) {
		s->has_out_group = true;
		s->out_group = fm->out_group;
	}
	rc = vs_ofp_match_decode(msg + FM_FIXED, len - FM_FIXED, ports, &s->match, &used, e);
	if (rc < 0)
		return rc;
	if (del)
		return 0; /* a delete's instructions are ignored (spec 6.4) */
	in.table_id = s->table_id;
	in.match = &s->match;
	return vs_ofp_instructions_decode(msg + FM_FIXED + used, len - FM_FIXED - used, &in,
					  s->actions, &s->n_actions, e);
}
