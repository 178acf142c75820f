/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofp_flow.c: FLOW_MOD and the flow and aggregate
 * statistics, through the actions of control/flow/flow_table.h with
 * origin=controller. WORK IN PROGRESS: waits for ofc's match and action
 * codec (ofp_match.c, ofp_actions.c); until then FLOW_MOD and flow stats
 * are refused as unsupported (BAD_REQUEST/BAD_TYPE, BAD_MULTIPART). */
#include <arpa/inet.h>

#include "of_int.h"

void
vs_of_flow_mod(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	vs_ofconn_error(s->conn, h, len, VS_OFPET_BAD_REQUEST, VS_OFPBRC_BAD_TYPE);
}

void
vs_of_flow_stats(struct vs_of_session *s, const struct vs_ofp_header *h, uint16_t type,
		 const uint8_t *body, size_t blen)
{
	vs_ofconn_error(s->conn, h, ntohs(h->length), VS_OFPET_BAD_REQUEST,
			VS_OFPBRC_BAD_MULTIPART);
}
