/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofp_role.c: controller roles (OpenFlow 1.3, 6.3.7) and
 * the asynchronous message masks that go with them: equal by default, a
 * new master demotes the others to slave, master and slave requests carry
 * a generation id and a stale one is refused; GET_ASYNC and SET_ASYNC. */
#include <arpa/inet.h>
#include <string.h>

#include <rte_byteorder.h>

#include "of_int.h"

/* OpenFlow 1.3's defaults (7.3.10): master and equal get packet-ins for
 * table misses and actions, every port status and flow removal; a slave
 * only port status. */
void
vs_of_session_defaults(struct vs_of_session *s)
{
	s->role = OFPCR_ROLE_EQUAL;
	s->miss_send_len = 128;
	s->async[0] = (1u << OFPR_NO_MATCH) | (1u << OFPR_ACTION);
	s->async[1] = 0;
	s->async[2] = s->async[3] = 0x7;
	s->async[4] = 0xf;
	s->async[5] = 0;
}

static void
role_reply(struct vs_of_session *s, const struct vs_ofp_header *h, uint32_t role, uint64_t gen)
{
	struct vs_ofw_role r = {0};

	vs_ofp_header_init(&r.h, OFPT_ROLE_REPLY, sizeof(r), ntohl(h->xid));
	r.role = htonl(role);
	r.generation_id = rte_cpu_to_be_64(gen);
	vs_ofconn_send(s->conn, &r, sizeof(r));
}

void
vs_of_role_request(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	struct vs_of_bridge *ob = s->ob;
	struct vs_ofw_role q;
	uint32_t role;
	uint64_t gen;
	unsigned int i;

	if (len != sizeof(q)) {
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
		return;
	}
	memcpy(&q, h, sizeof(q));
	role = ntohl(q.role);
	gen = rte_be_to_cpu_64(q.generation_id);
	if (role > OFPCR_ROLE_SLAVE) {
		vs_ofconn_error(s->conn, h, len, OFPET_ROLE_REQUEST_FAILED, OFPRRFC_BAD_ROLE);
		return;
	}
	if (role == OFPCR_ROLE_MASTER || role == OFPCR_ROLE_SLAVE) {
		/* Stale if older than the last one seen, in wrap-around order. */
		if (ob->gen_valid && (int64_t)(gen - ob->gen) < 0) {
			vs_ofconn_error(s->conn, h, len, OFPET_ROLE_REQUEST_FAILED, OFPRRFC_STALE);
			return;
		}
		ob->gen_valid = true;
		ob->gen = gen;
	}
	if (role == OFPCR_ROLE_MASTER)
		for (i = 0; i < VS_OF_SESSIONS_MAX; i++)
			if (ob->sess[i] != NULL && ob->sess[i] != s &&
			    ob->sess[i]->role == OFPCR_ROLE_MASTER)
				ob->sess[i]->role = OFPCR_ROLE_SLAVE;
	if (role != OFPCR_ROLE_NOCHANGE)
		s->role = (uint8_t)role;
	vs_of_ttl_update(ob); /* a role has its own packet-in mask */
	role_reply(s, h, s->role, ob->gen_valid ? ob->gen : gen);
}

void
vs_of_get_async(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	struct vs_ofw_async a = {0};
	unsigned int i;

	if (len != sizeof(*h)) {
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
		return;
	}
	vs_ofp_header_init(&a.h, OFPT_GET_ASYNC_REPLY, sizeof(a), ntohl(h->xid));
	for (i = 0; i < 2; i++) {
		a.packet_in_mask[i] = htonl(s->async[i]);
		a.port_status_mask[i] = htonl(s->async[2 + i]);
		a.flow_removed_mask[i] = htonl(s->async[4 + i]);
	}
	vs_ofconn_send(s->conn, &a, sizeof(a));
}

void
vs_of_set_async(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	struct vs_ofw_async a;
	unsigned int i;

	if (len != sizeof(a)) {
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
		return;
	}
	memcpy(&a, h, sizeof(a));
	for (i = 0; i < 2; i++) {
		s->async[i] = ntohl(a.packet_in_mask[i]);
		s->async[2 + i] = ntohl(a.port_status_mask[i]);
		s->async[4 + i] = ntohl(a.flow_removed_mask[i]);
	}
	vs_of_ttl_update(s->ob);
}
