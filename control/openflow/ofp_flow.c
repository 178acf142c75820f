/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofp_flow.c: FLOW_MOD through the actions of
 * control/flow/flow_table.h with origin=controller: the codec decodes, the
 * action validates and applies, a refusal goes back as the spec's ERROR.
 * Flow and aggregate statistics are not answered yet (BAD_MULTIPART). */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "bridge.h"
#include "flow_table.h"
#include "of_int.h"
#include "ofp_codec.h"
#include "switch.h"

static int
port_to_id(void *ctx, uint32_t ofport, uint16_t *id)
{
	struct vs_of_bridge *ob = ctx;
	struct vs_port *p = vs_bridge_ofport(ob->sw, ob->br, ofport);

	if (p == NULL)
		return -ENOENT;
	*id = p->id;
	return 0;
}

static int
id_to_port(void *ctx, uint16_t id, uint32_t *ofport)
{
	struct vs_of_bridge *ob = ctx;

	if (id >= VS_MAX_PORTS || ob->sw->ports[id] == NULL || ob->sw->ports[id]->br != ob->br)
		return -ENOENT;
	*ofport = (ob->sw->ports[id])->ofport;
	return 0;
}

/* The FLOW_MOD_FAILED code for what an action refused. */
static uint16_t
fail_code(int rc)
{
	switch (rc) {
	case -ENOSPC:
	case -ENOMEM:
		return OFPFMFC_TABLE_FULL;
	case -EEXIST:
		return OFPFMFC_OVERLAP;
	case -EPERM:
		return OFPFMFC_EPERM;
	}
	return OFPFMFC_UNKNOWN;
}

void
vs_of_flow_mod(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	static struct vs_ofp_flow_mod fm; /* control thread only; too big for the stack */
	struct vs_of_bridge *ob = s->ob;
	struct vs_ofp_ports ports = {port_to_id, id_to_port, ob};
	struct vs_ofperr e;
	struct vs_err err = {0};
	uint32_t n = 0;
	int rc;

	rc = vs_ofp_decode_flow_mod((const uint8_t *)h, len, &ports, &fm, &e);
	if (rc < 0) {
		vs_ofconn_error(s->conn, h, len, e.type, e.code);
		return;
	}
	switch (fm.command) {
	case OFPFC_ADD:
		rc = vs_flows_add(ob->sw, ob->br, &fm.spec, 1, &err);
		break;
	case OFPFC_MODIFY:
	case OFPFC_MODIFY_STRICT:
		/* OpenFlow 1.3: a modify that selects nothing adds nothing. */
		rc = vs_flows_mod(ob->sw, ob->br, &fm.spec, fm.command == OFPFC_MODIFY_STRICT, &n,
				  &err);
		break;
	default:
		rc = vs_flows_del(ob->sw, ob->br, &fm.spec, fm.command == OFPFC_DELETE_STRICT, &n,
				  &err);
		break;
	}
	if (rc < 0)
		vs_ofconn_error(s->conn, h, len, OFPET_FLOW_MOD_FAILED, fail_code(rc));
}

void
vs_of_flow_stats(struct vs_of_session *s, const struct vs_ofp_header *h, uint16_t type,
		 const uint8_t *body, size_t blen)
{
	(void)type, (void)body, (void)blen;
	vs_ofconn_error(s->conn, h, ntohs(h->length), VS_OFPET_BAD_REQUEST,
			VS_OFPBRC_BAD_MULTIPART);
}
