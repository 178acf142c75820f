/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/ofp_mp.c: MULTIPART requests (OpenFlow 1.3, 7.3.5):
 * the switch's description, ports (PORT_DESC, PORT_STATS), tables, and the
 * empty answers for what the switch has none of yet (meters, queues);
 * flows and aggregates are ofp_flow.c's, groups ofp_group_chan.c's. Replies longer than a
 * message are split, each part but the last flagged MORE. A request
 * itself flagged MORE (a body in several parts) is refused: none of the
 * requests served here needs one. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>

#include "bridge.h"
#include "flow_table.h"
#include "of_int.h"
#include "switch.h"

void
vs_of_mp_reply(struct vs_of_session *s, const struct vs_ofp_header *req, uint16_t type,
	       const void *body, size_t len, size_t item)
{
	uint8_t *buf = s->ob->sw->of->scratch;
	struct vs_ofw_multipart *m = (struct vs_ofw_multipart *)buf;
	size_t room = (VS_OFP_MSG_MAX - sizeof(*m)) / (item ? item : 1) * (item ? item : 1),
	       off = 0;

	do {
		size_t n = len - off < room ? len - off : room;

		memset(m, 0, sizeof(*m));
		m->type = htons(type);
		m->flags = htons(off + n < len ? OFPMPF_REPLY_MORE : 0);
		if (n > 0) /* (an empty reply may come with no body at all) */
			memcpy(m->body, (const uint8_t *)body + off, n);
		vs_ofp_header_init(&m->h, OFPT_MULTIPART_REPLY, sizeof(*m) + n, ntohl(req->xid));
		if (vs_ofconn_send(s->conn, buf, sizeof(*m) + n) < 0)
			return;
		off += n;
	} while (off < len);
}

static void
desc(struct vs_of_session *s, const struct vs_ofp_header *h)
{
	struct vs_ofw_desc d;

	memset(&d, 0, sizeof(d));
	snprintf(d.mfr_desc, sizeof(d.mfr_desc), "vswitch");
	snprintf(d.hw_desc, sizeof(d.hw_desc), "vswitch userspace switch (DPDK)");
	snprintf(d.sw_desc, sizeof(d.sw_desc), "%s", VS_VERSION);
	snprintf(d.serial_num, sizeof(d.serial_num), "None");
	snprintf(d.dp_desc, sizeof(d.dp_desc), "bridge %s", s->ob->br->name);
	vs_of_mp_reply(s, h, OFPMP_DESC, &d, sizeof(d), 0);
}

static void
port_desc(struct vs_of_session *s, const struct vs_ofp_header *h)
{
	struct vs_switch *sw = s->ob->sw;
	struct vs_ofw_port *ports = calloc(VS_MAX_PORTS, sizeof(*ports));
	unsigned int i, n = 0;

	if (ports == NULL) {
		vs_ofconn_fail(s->conn, "out of memory");
		return;
	}
	for (i = 0; i < VS_MAX_PORTS; i++)
		if (sw->ports[i] != NULL && sw->ports[i]->br == s->ob->br)
			vs_of_port_fill(sw, sw->ports[i], &ports[n++]);
	vs_of_mp_reply(s, h, OFPMP_PORT_DESC, ports, n * sizeof(*ports), sizeof(*ports));
	free(ports);
}

static void
one_port_stats(struct vs_switch *sw, const struct vs_port *p, struct vs_ofw_port_stats *ps)
{
	struct vs_port_status st = {0};
	struct vs_port_ctr c;
	uint64_t drops = 0, up;
	unsigned int r;

	vs_port_counters(p, &c);
	p->ops->status(p, &st);
	for (r = 0; r < VS_DROP_MAX; r++)
		drops += c.drops[r];
	up = vs_switch_now(sw);
	memset(ps, 0, sizeof(*ps));
	ps->port_no = htonl((p)->ofport);
	ps->rx_packets = rte_cpu_to_be_64(c.rx_packets);
	ps->tx_packets = rte_cpu_to_be_64(c.tx_packets);
	ps->rx_bytes = rte_cpu_to_be_64(c.rx_bytes);
	ps->tx_bytes = rte_cpu_to_be_64(c.tx_bytes);
	/* Our drops are counted on the port a packet came in by, whatever
	 * the reason: rx_dropped. The device's own misses too. */
	ps->rx_dropped = rte_cpu_to_be_64(drops + st.rx_missed + st.rx_nombuf);
	ps->tx_dropped = 0;
	ps->rx_errors = rte_cpu_to_be_64(st.rx_errors);
	ps->tx_errors = rte_cpu_to_be_64(st.tx_errors);
	ps->rx_frame_err = ps->rx_over_err = ps->rx_crc_err = ps->collisions = 0;
	ps->duration_sec = htonl((uint32_t)up); /* since the switch started */
}

static void
port_stats(struct vs_of_session *s, const struct vs_ofp_header *h, const uint8_t *body, size_t blen)
{
	struct vs_switch *sw = s->ob->sw;
	struct vs_ofw_port_stats *ps;
	unsigned int i, n = 0;
	uint32_t want;

	if (blen != 8) {
		vs_ofconn_error(s->conn, h, ntohs(h->length), OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
		return;
	}
	memcpy(&want, body, 4);
	want = ntohl(want);
	if (want != OFPP_ANY && vs_bridge_ofport(sw, s->ob->br, want) == NULL) {
		vs_ofconn_error(s->conn, h, ntohs(h->length), OFPET_BAD_REQUEST, OFPBRC_BAD_PORT);
		return;
	}
	ps = calloc(VS_MAX_PORTS, sizeof(*ps));
	if (ps == NULL) {
		vs_ofconn_fail(s->conn, "out of memory");
		return;
	}
	for (i = 0; i < VS_MAX_PORTS; i++) {
		const struct vs_port *p = sw->ports[i];

		if (p != NULL && p->br == s->ob->br && (want == OFPP_ANY || (p)->ofport == want))
			one_port_stats(sw, p, &ps[n++]);
	}
	vs_of_mp_reply(s, h, OFPMP_PORT_STATS, ps, n * sizeof(*ps), sizeof(*ps));
	free(ps);
}

/* Every table, as OpenFlow numbers them: its rules now. Lookups and
 * matches are not counted per table by the dataplane yet: the rules'
 * packets are the matches of their table. */
static void
table_stats(struct vs_of_session *s, const struct vs_ofp_header *h)
{
	const struct vs_flow_table *ft = s->ob->br->flows;
	struct vs_ofw_table_stats *ts = calloc(VS_TABLES, sizeof(*ts));
	uint64_t matched[VS_TABLES] = {0}, pk, by;
	uint32_t active[VS_TABLES] = {0}, i;

	if (ts == NULL) {
		vs_ofconn_fail(s->conn, "out of memory");
		return;
	}
	for (i = 0; ft != NULL && i < ft->n; i++) {
		const struct vs_rule *r = ft->rules[i];

		vs_flows_stats(s->ob->br, r, &pk, &by);
		active[r->table_id]++;
		matched[r->table_id] += pk;
	}
	for (i = 0; i < VS_TABLES; i++) {
		ts[i].table_id = (uint8_t)i;
		ts[i].active_count = htonl(active[i]);
		ts[i].lookup_count = rte_cpu_to_be_64(matched[i]);
		ts[i].matched_count = rte_cpu_to_be_64(matched[i]);
	}
	vs_of_mp_reply(s, h, OFPMP_TABLE, ts, VS_TABLES * sizeof(*ts), sizeof(*ts));
	free(ts);
}

/* ofp_table_features without properties, one per table. */
static void
table_features(struct vs_of_session *s, const struct vs_ofp_header *h)
{
	struct tf {
		uint16_t length;
		uint8_t table_id;
		uint8_t pad[5];
		char name[32];
		uint64_t metadata_match, metadata_write;
		uint32_t config, max_entries;
		/* The 8 properties OpenFlow requires, empty: instructions,
		 * next_tables, write/apply actions, match, wildcards,
		 * write/apply setfield (types 0, 2, ... 14), 4 bytes each
		 * padded to 8. */
		struct {
			uint16_t type, length;
			uint8_t pad[4];
		} prop[8];
	} __attribute__((packed, aligned(8))) *tf = calloc(VS_TABLES, sizeof(*tf));
	unsigned int i;

	unsigned int j;

	_Static_assert(sizeof(*tf) == 128, "ofp_table_features and 8 properties");
	if (tf == NULL) {
		vs_ofconn_fail(s->conn, "out of memory");
		return;
	}
	for (i = 0; i < VS_TABLES; i++) {
		tf[i].length = htons(sizeof(*tf));
		tf[i].table_id = (uint8_t)i;
		snprintf(tf[i].name, sizeof(tf[i].name), "table%u", i);
		tf[i].metadata_match = tf[i].metadata_write = UINT64_MAX;
		tf[i].max_entries = htonl(VS_FLOWS_MAX);
		for (j = 0; j < 8; j++) {
			tf[i].prop[j].type = htons((uint16_t)(2 * j));
			tf[i].prop[j].length = htons(4);
		}
	}
	vs_of_mp_reply(s, h, OFPMP_TABLE_FEATURES, tf, VS_TABLES * sizeof(*tf), sizeof(*tf));
	free(tf);
}

void
vs_of_multipart(struct vs_of_session *s, const struct vs_ofp_header *h, size_t len)
{
	const struct vs_ofw_multipart *m = (const void *)h;
	size_t blen;
	uint16_t type;

	if (len < sizeof(*m)) {
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
		return;
	}
	blen = len - sizeof(*m);
	type = ntohs(m->type);
	if (ntohs(m->flags) & OFPMPF_REPLY_MORE) {
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST,
				OFPBRC_MULTIPART_BUFFER_OVERFLOW);
		return;
	}
	switch (type) {
	case OFPMP_DESC:
		desc(s, h);
		break;
	case OFPMP_PORT_DESC:
		port_desc(s, h);
		break;
	case OFPMP_PORT_STATS:
		port_stats(s, h, m->body, blen);
		break;
	case OFPMP_TABLE:
		table_stats(s, h);
		break;
	case OFPMP_FLOW:
	case OFPMP_AGGREGATE:
		vs_of_flow_stats(s, h, type, m->body, blen);
		break;
	case OFPMP_TABLE_FEATURES:
		/* A request with a body asks to change the tables: refused.
		 * Without one: each table's fixed part, without properties
		 * (ofc's codec has the full encoder: to be used once merged). */
		if (blen != 0) {
			vs_ofconn_error(s->conn, h, len, OFPET_TABLE_FEATURES_FAILED,
					5 /* OFPTFFC_EPERM */);
			break;
		}
		table_features(s, h);
		break;
	case OFPMP_GROUP:
	case OFPMP_GROUP_DESC:
	case OFPMP_GROUP_FEATURES:
		vs_of_group_multipart(s, h, type, m->body, blen);
		break;
	case OFPMP_QUEUE:
	case OFPMP_METER:
	case OFPMP_METER_CONFIG:
		/* None of those exist yet: an empty list is the true answer. */
		vs_of_mp_reply(s, h, type, NULL, 0, 0);
		break;
	case OFPMP_METER_FEATURES: {
		/* No meters: max_meter, band_types, capabilities, max_bands,
		 * max_color all 0 (what METER_MOD's refusals follow from). */
		static const uint8_t none[16];

		vs_of_mp_reply(s, h, type, none, sizeof(none), 0);
		break;
	}
	case OFPMP_EXPERIMENTER:
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_EXPERIMENTER);
		break;
	default:
		vs_ofconn_error(s->conn, h, len, OFPET_BAD_REQUEST, OFPBRC_BAD_MULTIPART);
		break;
	}
}
