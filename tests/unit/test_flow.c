/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_flow.c: flow rules end to end inside the process: rules
 * parsed from text (control/flow/flow_parse.c), compiled and published
 * (control/flow/flow_table.c), packets through the flow stage and its actions
 * (dataplane/flow.c, dataplane/actions.c) out to capture ports. Checks what
 * leaves each port byte by byte, checksums recomputed from scratch, and
 * that every packet sent in is sent or counted. */
#include <string.h>

#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "bridge_ctl.h"
#include "bridge.h"
#include "classifier.h"
#include "flow_table.h"
#include "harness.h"
#include "offload.h"
#include "perf.h"
#include "switch.h"
#include "worker.h"

#define A "02:00:00:00:00:0a"
#define B "02:00:00:00:00:0b"

static struct vs_bridge *
br0(struct harness_sw *f)
{
	return vs_bridge_find(f->sw, "br0");
}

/* Parse and add rules to br0; returns the table call's result. */
static int
add(struct harness_sw *f, const char *const *texts, unsigned int n)
{
	struct vs_flow_spec specs[8];
	struct vs_err err;
	unsigned int i;

	assert_true(n <= 8);
	for (i = 0; i < n; i++)
		if (vs_flows_parse(f->sw, br0(f), texts[i], VS_FLOW_PARSE_ADD, &specs[i], &err) < 0)
			fail_msg("'%s': %s", texts[i], err.msg);
	return vs_flows_add(f->sw, br0(f), specs, n, &err);
}

static void
add1(struct harness_sw *f, const char *text)
{
	assert_int_equal(add(f, &text, 1), 0);
}

static const struct vs_rule *
find_rule(struct harness_sw *f, uint16_t priority)
{
	const struct vs_flow_table *t = br0(f)->flows;
	uint32_t i;

	for (i = 0; i < t->n; i++)
		if (t->rules[i]->priority == priority)
			return t->rules[i];
	return NULL;
}

static uint64_t
rule_packets(struct harness_sw *f, uint16_t priority)
{
	const struct vs_rule *r = find_rule(f, priority);
	uint64_t p, b;

	assert_non_null(r);
	vs_flows_stats(br0(f), r, &p, &b);
	return p;
}

/* A TCP/IPv4 frame A -> B, 10.0.0.1:1000 -> 10.0.0.2:80, checksums right. */
static struct rte_mbuf *
tcp_frame(void)
{
	struct rte_mbuf *m = harness_frame(B, A, 14 + 20 + 20 + 10);
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(ip + 1);

	memset(ip, 0, 40);
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(50);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = rte_cpu_to_be_32(0x0a000001);
	ip->dst_addr = rte_cpu_to_be_32(0x0a000002);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	tcp->src_port = rte_cpu_to_be_16(1000);
	tcp->dst_port = rte_cpu_to_be_16(80);
	tcp->data_off = 5 << 4;
	tcp->cksum = rte_ipv4_udptcp_cksum(ip, tcp);
	return m;
}

static const struct rte_ipv4_hdr *
ip_of(struct rte_mbuf *m, unsigned int l2)
{
	return rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l2);
}

/* Both checksums verify over the whole packet. */
static void
assert_checksums_ok(struct rte_mbuf *m, unsigned int l2)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l2);
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(ip + 1);
	uint16_t sent = tcp->cksum;

	assert_int_equal(rte_ipv4_cksum(ip), 0); /* a valid header sums to 0 */
	tcp->cksum = 0;
	assert_int_equal(rte_ipv4_udptcp_cksum(ip, tcp), sent);
	tcp->cksum = sent;
}

static void
test_default_table_is_normal_and_counts(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[3];
	int i;

	assert_int_equal(br0(f)->flows->n, 1);
	assert_non_null(vs_cls_normal_only(br0(f)->pipe->table[0]));
	for (i = 0; i < 3; i++)
		m[i] = harness_frame("ff:ff:ff:ff:ff:ff", A, 64);
	harness_input(f, 0, m, 3);
	assert_int_equal(f->cap[1].n, 3);
	assert_int_equal(f->cap[2].n, 3);
	assert_int_equal(rule_packets(f, 0), 3);
}

static void
test_in_port_rule_outputs_to_one_port(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[4];
	int i;

	add1(f, "priority=10,in_port=p0,actions=output:p2");
	assert_true(vs_cls_in_port_only(br0(f)->pipe->table[0]));
	for (i = 0; i < 4; i++)
		m[i] = harness_frame("ff:ff:ff:ff:ff:ff", A, 64);
	harness_input(f, 0, m, 4);
	assert_int_equal(f->cap[1].n, 0);
	assert_int_equal(f->cap[2].n, 4);
	assert_int_equal(f->cap[2].bursts, 1); /* the run went out as one burst */
	assert_int_equal(rule_packets(f, 10), 4);
	assert_int_equal(rule_packets(f, 0), 0);
	/* Frames from p1 still go through NORMAL. */
	m[0] = harness_frame("ff:ff:ff:ff:ff:ff", B, 64);
	harness_input(f, 1, m, 1);
	assert_int_equal(f->cap[0].n, 1);
	assert_int_equal(rule_packets(f, 0), 1);
}

static void
test_empty_table_drops_as_no_match(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[2];
	struct vs_err err;
	uint32_t n;

	assert_int_equal(vs_flows_del(f->sw, br0(f), NULL, false, &n, &err), 0);
	assert_int_equal(n, 1);
	m[0] = harness_frame("ff:ff:ff:ff:ff:ff", A, 64);
	m[1] = harness_frame(B, A, 10); /* a runt: invalid, whatever the rules */
	harness_input(f, 0, m, 2);
	assert_int_equal(f->cap[1].n + f->cap[2].n, 0);
	assert_int_equal(harness_drops(f, 0, VS_DROP_NO_MATCH), 1);
	assert_int_equal(harness_drops(f, 0, VS_DROP_RX_INVALID), 1);
}

static void
test_priority_and_fields_pick_the_rule(void **state)
{
	struct harness_sw *f = *state;
	static const char *const rules[] = {
		"priority=100,tcp,tp_dst=80,actions=output:p1",
		"priority=50,ip,nw_dst=10.0.0.0/24,actions=output:p2",
		"priority=10,actions=drop",
	};
	struct rte_mbuf *m[3];

	assert_int_equal(add(f, rules, 3), 0);
	m[0] = tcp_frame(); /* port 80: the first */
	m[1] = tcp_frame(); /* port 81: the second */
	rte_pktmbuf_mtod_offset(m[1], struct rte_tcp_hdr *, 34)->dst_port = rte_cpu_to_be_16(81);
	m[2] = harness_frame(B, A, 64); /* not IP: the catch-all drop */
	rte_pktmbuf_mtod(m[2], struct rte_ether_hdr *)->ether_type = rte_cpu_to_be_16(0x88b5);
	harness_input(f, 0, m, 3);
	assert_int_equal(f->cap[1].n, 1);
	assert_int_equal(f->cap[2].n, 1);
	assert_int_equal(harness_drops(f, 0, VS_DROP_RULE_DROP), 1);
	assert_int_equal(rule_packets(f, 100), 1);
	assert_int_equal(rule_packets(f, 50), 1);
	assert_int_equal(rule_packets(f, 10), 1);
}

/* The same packet again after a change: the PMD's cache of results must
 * not answer for the old table. */
static void
test_cached_results_follow_table_changes(void **state)
{
	struct harness_sw *f = *state;
	static const char *const rules[] = {
		"priority=100,tcp,tp_dst=80,actions=output:p1",
		"priority=50,ip,nw_dst=10.0.0.0/24,actions=output:p2",
	};
	struct vs_flow_spec spec;
	struct rte_mbuf *m;
	struct vs_err err;
	uint32_t n;

	assert_int_equal(add(f, rules, 2), 0);
	m = tcp_frame();
	harness_input(f, 0, &m, 1);
	m = tcp_frame(); /* a cache hit this time */
	harness_input(f, 0, &m, 1);
	assert_int_equal(f->cap[1].n, 2);
	assert_int_equal(vs_flows_parse(f->sw, br0(f), "tcp,tp_dst=80,actions=output:p2",
					VS_FLOW_PARSE_ADD, &spec, &err),
			 0);
	assert_int_equal(vs_flows_mod(f->sw, br0(f), &spec, false, &n, &err), 0);
	m = tcp_frame();
	harness_input(f, 0, &m, 1);
	assert_int_equal(f->cap[1].n, 2);
	assert_int_equal(f->cap[2].n, 1);
	assert_int_equal(rule_packets(f, 100), 3);
}

static void
test_rewrites_keep_checksums_right(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m = tcp_frame(), *out;
	const struct rte_ipv4_hdr *ip;

	add1(f, "priority=100,tcp,actions=mod_nw_src:192.168.7.9,mod_nw_dst:172.16.1.2,"
		"mod_tp_src:4242,mod_tp_dst:8080,mod_nw_tos:184,output:p1");
	harness_input(f, 0, &m, 1);
	assert_int_equal(f->cap[1].n, 1);
	out = f->cap[1].pkts[0];
	ip = ip_of(out, 14);
	assert_int_equal(rte_be_to_cpu_32(ip->src_addr), 0xc0a80709);
	assert_int_equal(rte_be_to_cpu_32(ip->dst_addr), 0xac100102);
	assert_int_equal(ip->type_of_service, 184);
	assert_int_equal(rte_be_to_cpu_16(((const struct rte_tcp_hdr *)(ip + 1))->src_port), 4242);
	assert_int_equal(rte_be_to_cpu_16(((const struct rte_tcp_hdr *)(ip + 1))->dst_port), 8080);
	assert_checksums_ok(out, 14);
}

static void
test_rewrite_of_offloaded_checksum_keeps_pseudo_header_sum(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m = tcp_frame(), *out;
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(ip + 1);

	/* As a guest sends it: the L4 checksum left to the switch/NIC. */
	m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_CKSUM;
	m->l2_len = 14;
	m->l3_len = 20;
	tcp->cksum = rte_ipv4_phdr_cksum(ip, m->ol_flags);
	f->port[1]->tx_offloads = VS_TXOFF_CSUM; /* p1 "finishes" it: passed as is */
	add1(f, "priority=100,tcp,actions=mod_nw_dst:172.16.1.2,mod_tp_dst:8080,output:p1");
	harness_input(f, 0, &m, 1);
	assert_int_equal(f->cap[1].n, 1);
	out = f->cap[1].pkts[0];
	ip = rte_pktmbuf_mtod_offset(out, struct rte_ipv4_hdr *, 14);
	tcp = (struct rte_tcp_hdr *)(ip + 1);
	assert_int_equal(tcp->cksum, rte_ipv4_phdr_cksum(ip, out->ol_flags));
	assert_int_equal(rte_ipv4_cksum(ip), 0);
}

static void
test_vlan_push_set_and_strip(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m = tcp_frame(), *out;
	const uint8_t *p;

	add1(f, "priority=100,in_port=p0,actions=mod_vlan_vid:42,mod_vlan_pcp:5,output:p1");
	add1(f, "priority=100,in_port=p1,dl_vlan=42,actions=strip_vlan,output:p2");
	harness_input(f, 0, &m, 1);
	assert_int_equal(f->cap[1].n, 1);
	out = f->cap[1].pkts[0];
	p = rte_pktmbuf_mtod(out, const uint8_t *);
	assert_int_equal(rte_pktmbuf_data_len(out), 64 + 4);
	assert_int_equal(p[12] << 8 | p[13], 0x8100);
	assert_int_equal(p[14] << 8 | p[15], 5 << 13 | 42);
	assert_int_equal(p[16] << 8 | p[17], 0x0800);
	assert_checksums_ok(out, 18);
	/* Back in on p1 (tagged): the tag comes off. */
	f->cap[1].n = 0;
	harness_input(f, 1, &out, 1);
	assert_int_equal(f->cap[2].n, 1);
	out = f->cap[2].pkts[0];
	p = rte_pktmbuf_mtod(out, const uint8_t *);
	assert_int_equal(rte_pktmbuf_data_len(out), 64);
	assert_int_equal(p[12] << 8 | p[13], 0x0800);
	assert_checksums_ok(out, 14);
}

/* A burst of three rules' packets interleaved goes out as one batch per
 * rule, in the order each rule was first hit, each batch in arrival order;
 * a rule's targets are the same for every packet of its batch. Frames are
 * told apart by their length. */
static void
test_interleaved_rules_get_one_batch_each_in_order(void **state)
{
	static const char *const rules[] = {
		"priority=100,dl_dst=02:00:00:00:00:01,actions=mod_dl_src:02:00:00:00:00:77,output:p1",
		"priority=100,dl_dst=02:00:00:00:00:02,actions=output:p1",
		"priority=100,dl_dst=02:00:00:00:00:03,actions=output:p1,output:p2",
	};
	/* Rule of each frame: X Y X Z Y X; p1 gets X X X Y Y Z. */
	static const char *const dst[] = {"02:00:00:00:00:01", "02:00:00:00:00:02",
					  "02:00:00:00:00:01", "02:00:00:00:00:03",
					  "02:00:00:00:00:02", "02:00:00:00:00:01"};
	static const int to_p1[] = {0, 2, 5, 1, 4, 3};
	struct harness_sw *f = *state;
	struct rte_ether_addr mod;
	struct rte_mbuf *m[6];
	unsigned int i;

	assert_int_equal(add(f, rules, 3), 0);
	for (i = 0; i < 6; i++)
		m[i] = harness_frame(dst[i], A, (uint16_t)(64 + i));
	harness_input(f, 0, m, 6);
	assert_int_equal(f->cap[1].n, 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(rte_pktmbuf_pkt_len(f->cap[1].pkts[i]), 64 + to_p1[i]);
	rte_ether_unformat_addr("02:00:00:00:00:77", &mod);
	for (i = 0; i < 3; i++) /* rule X's rewrite, on its packets only */
		assert_memory_equal(rte_pktmbuf_mtod(f->cap[1].pkts[i], uint8_t *) + 6, &mod, 6);
	assert_memory_not_equal(rte_pktmbuf_mtod(f->cap[1].pkts[3], uint8_t *) + 6, &mod, 6);
	assert_int_equal(f->cap[2].n, 1);
	assert_ptr_equal(f->cap[2].pkts[0], m[3]); /* shared with p1, not copied */
	assert_int_equal(rte_mbuf_refcnt_read(m[3]), 2);
	assert_int_equal(rule_packets(f, 100), 3); /* the first rule at priority 100 */
	assert_int_equal(harness_tx(f, 1) + harness_tx(f, 2), 7);
}

static void
test_output_before_rewrite_sends_the_original(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m = tcp_frame();
	struct rte_ether_addr want;

	add1(f, "priority=100,in_port=p0,actions=output:p1,mod_dl_dst:02:00:00:00:00:99,"
		"output:p2,in_port");
	harness_input(f, 0, &m, 1);
	assert_int_equal(f->cap[1].n, 1);
	assert_int_equal(f->cap[2].n, 1);
	assert_int_equal(f->cap[0].n, 1);
	rte_ether_unformat_addr(B, &want);
	assert_memory_equal(rte_pktmbuf_mtod(f->cap[1].pkts[0], void *), &want, 6);
	rte_ether_unformat_addr("02:00:00:00:00:99", &want);
	assert_memory_equal(rte_pktmbuf_mtod(f->cap[2].pkts[0], void *), &want, 6);
	/* p2 and the way back share one buffer; p1 has its own copy. */
	assert_ptr_equal(f->cap[2].pkts[0], f->cap[0].pkts[0]);
	assert_ptr_not_equal(f->cap[1].pkts[0], f->cap[2].pkts[0]);
}

/* Parse 'text' for br0, then give it 'n' actions 'a' and table 'table'
 * (instructions the parser does not take yet). */
/* The switch's id of port 'name' of br0, as rules name it. */
static uint16_t
port_id(struct harness_sw *f, const char *name)
{
	struct vs_flow_spec spec;
	char text[64];
	struct vs_err err;

	snprintf(text, sizeof(text), "actions=output:%s", name);
	assert_int_equal(vs_flows_parse(f->sw, br0(f), text, VS_FLOW_PARSE_ADD, &spec, &err), 0);
	return spec.actions[0].port;
}

static void
add_with(struct harness_sw *f, const char *text, uint8_t table, const struct vs_action *a,
	 uint16_t n)
{
	struct vs_flow_spec spec;
	struct vs_err err;

	if (vs_flows_parse(f->sw, br0(f), text, VS_FLOW_PARSE_ADD, &spec, &err) < 0)
		fail_msg("'%s': %s", text, err.msg);
	spec.table_id = table;
	memcpy(spec.actions, a, sizeof(*a) * n);
	spec.n_actions = n;
	assert_int_equal(vs_flows_add(f->sw, br0(f), &spec, 1, &err), 0);
}

/* Table 0 decrements the TTL, writes metadata and goes to table 1, which
 * matches the metadata, resubmits to table 2 (a rewrite there) and writes
 * an output into the action set; a TTL of 1 is dropped and counted; a
 * packet table 1 misses is dropped as no_match. */
static void
test_goto_table_metadata_resubmit_and_action_set(void **state)
{
	struct harness_sw *f = *state;
	const struct vs_action t0[] = {
		{.type = VS_ACT_DEC_TTL},
		{.type = VS_ACT_WRITE_METADATA, .u64 = 5, .mask64 = 0xff},
		{.type = VS_ACT_GOTO_TABLE, .u8 = 1},
	};
	const struct vs_action t1[] = {
		{.type = VS_ACT_RESUBMIT, .u8 = 2, .u16 = VS_PORT_NONE},
		{.type = VS_ACT_OUTPUT, .port = port_id(f, "p2"), .flags = VS_AF_WRITE},
	};
	const struct vs_action t2[] = {{.type = VS_ACT_SET_NW_TOS, .u8 = 184}};
	struct rte_mbuf *m = tcp_frame(), *lo = tcp_frame(), *other = tcp_frame(), *out;
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(lo, struct rte_ipv4_hdr *, 14);
	struct vs_rule *r;

	add_with(f, "priority=10,tcp,actions=drop", 0, t0, RTE_DIM(t0));
	add_with(f, "priority=10,tcp,tp_dst=80,actions=drop", 1, t1, RTE_DIM(t1));
	add_with(f, "priority=10,actions=drop", 2, t2, RTE_DIM(t2));
	/* table 1's rule only for metadata 5 */
	for (uint32_t i = 0; i < br0(f)->flows->n; i++) {
		r = br0(f)->flows->rules[i];
		if (r->table_id == 1) {
			r->match.mask.metadata = 0xff;
			r->match.key.metadata = 5;
		}
	}
	assert_int_equal(vs_flows_republish_all(f->sw), 0);

	ip->time_to_live = 1;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	ip = rte_pktmbuf_mtod_offset(other, struct rte_ipv4_hdr *, 14);
	((struct rte_tcp_hdr *)(ip + 1))->dst_port = rte_cpu_to_be_16(81);
	harness_input(f, 0, &m, 1);
	harness_input(f, 0, &lo, 1);
	harness_input(f, 0, &other, 1);
	assert_int_equal(f->cap[2].n, 1);
	assert_int_equal(f->cap[1].n, 0);
	out = f->cap[2].pkts[0];
	assert_int_equal(ip_of(out, 14)->time_to_live, 63);
	assert_int_equal(ip_of(out, 14)->type_of_service, 184);
	assert_checksums_ok(out, 14);
	assert_int_equal(harness_drops(f, 0, VS_DROP_TTL_EXCEEDED), 1);
	assert_int_equal(harness_drops(f, 0, VS_DROP_NO_MATCH), 1);
}

/* One run for table 0 (its rule reads no port), packets that differ in
 * tp_src, which table 1 reads: each goes on with its own key. */
static void
test_a_run_s_packets_keep_their_own_keys_in_later_tables(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[8];
	struct rte_ipv4_hdr *ip;
	struct rte_tcp_hdr *tcp;
	unsigned int i, p;

	add1(f, "priority=10,tcp,actions=mod_nw_tos:184,goto_table:1");
	add1(f, "table=1,priority=10,tcp,tp_src=1000,actions=output:p1");
	add1(f, "table=1,priority=10,tcp,tp_src=1001,actions=output:p2");
	for (i = 0; i < 8; i++) {
		m[i] = tcp_frame();
		ip = rte_pktmbuf_mtod_offset(m[i], struct rte_ipv4_hdr *, 14);
		tcp = (struct rte_tcp_hdr *)(ip + 1);
		tcp->src_port = rte_cpu_to_be_16((uint16_t)(1000 + i % 3 % 2));
		tcp->cksum = 0;
		tcp->cksum = rte_ipv4_udptcp_cksum(ip, tcp);
	}
	harness_input(f, 0, m, 8);
	assert_int_equal(f->cap[1].n, 5);
	assert_int_equal(f->cap[2].n, 3);
	for (p = 1; p <= 2; p++)
		for (i = 0; i < f->cap[p].n; i++) {
			ip = rte_pktmbuf_mtod_offset(f->cap[p].pkts[i], struct rte_ipv4_hdr *, 14);
			tcp = (struct rte_tcp_hdr *)(ip + 1);
			assert_int_equal(rte_be_to_cpu_16(tcp->src_port), 999 + p);
			assert_int_equal(ip->type_of_service, 184);
			assert_checksums_ok(f->cap[p].pkts[i], 14);
		}
}

/* A rule that resubmits to its own table loops: dropped at depth 64. */
static void
test_resubmit_loop_is_cut_and_counted(void **state)
{
	struct harness_sw *f = *state;
	const struct vs_action a[] = {
		{.type = VS_ACT_RESUBMIT, .u8 = 0, .u16 = VS_PORT_NONE},
		{.type = VS_ACT_OUTPUT, .port = port_id(f, "p2")},
	};
	struct rte_mbuf *m = tcp_frame();

	add_with(f, "priority=10,tcp,actions=drop", 0, a, RTE_DIM(a));
	harness_input(f, 0, &m, 1);
	assert_int_equal(f->cap[2].n, 0);
	assert_int_equal(harness_drops(f, 0, VS_DROP_RESUBMIT_DEPTH), 1);
}

static void
test_output_to_ingress_is_counted_not_sent(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m = harness_frame(B, A, 64);

	add1(f, "priority=100,in_port=p0,actions=output:p0");
	harness_input(f, 0, &m, 1);
	assert_int_equal(f->cap[0].n, 0);
	assert_int_equal(harness_drops(f, 0, VS_DROP_SAME_PORT), 1);
}

static void
test_readd_replaces_mod_and_replace_keep_counters(void **state)
{
	struct harness_sw *f = *state;
	struct vs_flow_spec s[2];
	struct rte_mbuf *m;
	struct vs_err err;
	uint32_t n;

	add1(f, "priority=100,in_port=p0,actions=output:p1");
	m = harness_frame(B, A, 64);
	harness_input(f, 0, &m, 1);
	assert_int_equal(rule_packets(f, 100), 1);
	/* mod-flows: new actions, same counters. */
	assert_int_equal(vs_flows_parse(f->sw, br0(f), "in_port=p0,actions=output:p2",
					VS_FLOW_PARSE_ADD, &s[0], &err),
			 0);
	assert_int_equal(vs_flows_mod(f->sw, br0(f), &s[0], false, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rule_packets(f, 100), 1);
	m = harness_frame(B, A, 64);
	harness_input(f, 0, &m, 1);
	assert_int_equal(f->cap[2].n, 1);
	assert_int_equal(rule_packets(f, 100), 2);
	/* replace with the same rule: counters stay; the other one goes. */
	assert_int_equal(vs_flows_parse(f->sw, br0(f), "priority=100,in_port=p0,actions=output:p2",
					VS_FLOW_PARSE_ADD, &s[0], &err),
			 0);
	assert_int_equal(vs_flows_replace(f->sw, br0(f), s, 1, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(br0(f)->flows->n, 1);
	assert_int_equal(rule_packets(f, 100), 2);
	/* add of the same match and priority: a new rule, counters from 0. */
	add1(f, "priority=100,in_port=p0,actions=output:p1");
	assert_int_equal(br0(f)->flows->n, 1);
	assert_int_equal(rule_packets(f, 100), 0);
}

static void
test_strict_and_loose_delete(void **state)
{
	struct harness_sw *f = *state;
	static const char *const rules[] = {
		"priority=100,ip,nw_dst=10.0.0.0/8,actions=output:p1",
		"priority=200,ip,nw_dst=10.1.0.0/16,actions=output:p1",
		"priority=300,ip,nw_src=10.0.0.0/8,actions=output:p1",
	};
	struct vs_flow_spec filter;
	struct vs_err err;
	uint32_t n;

	assert_int_equal(add(f, rules, 3), 0);
	/* strict: match and priority exactly (default priority: no match). */
	assert_int_equal(vs_flows_parse(f->sw, br0(f), "ip,nw_dst=10.0.0.0/8", VS_FLOW_PARSE_MATCH,
					&filter, &err),
			 0);
	assert_int_equal(vs_flows_del(f->sw, br0(f), &filter, true, &n, &err), 0);
	assert_int_equal(n, 0);
	/* loose: every rule at least as specific: /8 and /16, not nw_src. */
	assert_int_equal(vs_flows_del(f->sw, br0(f), &filter, false, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_non_null(find_rule(f, 300));
	assert_non_null(find_rule(f, 0));
}

static void
test_removing_a_port_removes_its_rules(void **state)
{
	struct harness_sw *f = *state;

	add1(f, "priority=100,in_port=p0,actions=output:p1");
	add1(f, "priority=200,in_port=p1,actions=output:p2");
	add1(f, "priority=300,in_port=p1,actions=output:p0");
	vs_flows_port_removed(f->sw, br0(f), f->port[2]->id);
	assert_null(find_rule(f, 200));
	assert_non_null(find_rule(f, 100));
	assert_non_null(find_rule(f, 300));
}

/* A frame from a multicast or zero source matches like any other: NORMAL
 * refuses it (rx_invalid, once), an explicit output sends it; a runt is
 * nobody's hit. Hits = sent + dropped after the hit, for every rule. */
static void
test_invalid_source_is_a_hit_normal_drops_once(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[4];

	/* The default table (NORMAL only) first. */
	m[0] = harness_frame("ff:ff:ff:ff:ff:ff", A, 64);
	m[1] = harness_frame("ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", 64);
	m[2] = harness_frame("ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", 64);
	harness_input(f, 0, m, 3);
	assert_int_equal(rule_packets(f, 0), 3);
	assert_int_equal(harness_drops(f, 0, VS_DROP_RX_INVALID), 2);
	assert_int_equal(f->cap[1].n, 1);
	harness_capture_reset(&f->cap[1]);
	harness_capture_reset(&f->cap[2]);
	/* A table of rules: NORMAL drops it after its hit, output sends it. */
	add1(f, "priority=10,ip,actions=normal");
	add1(f, "priority=20,in_port=p1,actions=output:p2");
	m[0] = harness_frame(B, A, 64);
	m[1] = harness_frame(B, "01:00:5e:00:00:01", 64);
	harness_input(f, 0, m, 2);
	m[0] = harness_frame(A, B, 64);
	m[1] = harness_frame(A, "03:00:00:00:00:01", 64);
	harness_input(f, 1, m, 2);
	assert_int_equal(rule_packets(f, 10), 2);
	assert_int_equal(rule_packets(f, 20), 2);
	assert_int_equal(harness_drops(f, 0, VS_DROP_RX_INVALID), 3);
	assert_int_equal(harness_drops(f, 1, VS_DROP_RX_INVALID), 0);
	assert_int_equal(f->cap[1].n, 1); /* B is not learnt yet: flooded */
	assert_int_equal(f->cap[2].n, 3); /* the flood, and both by output:p2 */
	/* Conservation for rule 10: 2 hits = 1 flooded to p1 and p2 + 1 dropped. */
}

/* Frames longer than the output port's MTU allows are dropped as too_big,
 * counted on that port, not transmitted; a TSO packet for a port that
 * segments it itself is sent whole. */
static void
test_frames_over_the_mtu_are_dropped_as_too_big(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[4];
	struct vs_port_ctr c;

	add1(f, "priority=10,in_port=p0,actions=output:p1");
	f->port[1]->frame_max = 1500 + 14 + 4;
	f->port[1]->tx_offloads = VS_TXOFF_ALL;
	m[0] = harness_frame(B, A, 1518);
	m[1] = harness_frame(B, A, 1519);
	m[2] = harness_frame(B, A, 1600);
	m[2]->ol_flags |= RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4;
	m[3] = harness_frame(B, A, 64);
	harness_input(f, 0, m, 4);
	assert_int_equal(f->cap[1].n, 3);
	assert_int_equal(rte_pktmbuf_pkt_len(f->cap[1].pkts[0]), 1518);
	assert_int_equal(rte_pktmbuf_pkt_len(f->cap[1].pkts[1]), 1600);
	assert_int_equal(rte_pktmbuf_pkt_len(f->cap[1].pkts[2]), 64);
	vs_port_counters(f->port[1], &c);
	assert_int_equal(c.tx_packets, 3);
	assert_int_equal(c.tx_bytes, 1518 + 1600 + 64);
	assert_int_equal(c.drops[VS_DROP_TOO_BIG], 1);
	/* A burst of only too-big frames sends nothing at all. */
	f->cap[1].bursts = 0;
	m[0] = harness_frame(B, A, 1519);
	harness_input(f, 0, m, 1);
	assert_int_equal(f->cap[1].bursts, 0);
	assert_int_equal(harness_drops(f, 1, VS_DROP_TOO_BIG), 2);
}

static uint64_t
pmd_drops(struct harness_sw *f, const char *reason)
{
	json_t *o = vs_perf_pmd_json(f->sw, f->w, false);
	uint64_t n = (uint64_t)json_integer_value(
		json_object_get(json_object_get(json_object_get(o, "drops"), "by_reason"), reason));

	json_decref(o);
	return n;
}

/* pmd-stats counts "since pmd-stats-clear": deleting a port must not take
 * the drops its packets had out of the PMD's figures. */
static void
test_pmd_drops_outlive_their_port(void **state)
{
	struct harness_sw *f = *state;
	struct rte_mbuf *m[5];
	struct vs_err err;
	int i;

	vs_perf_clear(f->sw);
	add1(f, "priority=10,in_port=p2,actions=drop");
	for (i = 0; i < 5; i++)
		m[i] = harness_frame(B, A, 64);
	harness_input(f, 2, m, 3);
	assert_int_equal(pmd_drops(f, "rule_drop"), 3);
	vs_perf_clear(f->sw);
	harness_input(f, 2, m + 3, 2);
	assert_int_equal(pmd_drops(f, "rule_drop"), 2);
	assert_int_equal(vs_port_del(f->sw, "p2", NULL, &err), 0);
	f->port[2] = NULL; /* gone: teardown and captures skip it */
	assert_int_equal(pmd_drops(f, "rule_drop"), 2);
	vs_perf_clear(f->sw);
	assert_int_equal(pmd_drops(f, "rule_drop"), 0);
}

/* Many rule shapes and frames: every packet in is out somewhere or counted
 * as a drop, and nothing leaks (the mbuf pool is whole afterwards). */
static void
test_every_packet_is_sent_or_counted(void **state)
{
	struct harness_sw *f = *state;
	static const char *const rules[] = {
		"priority=100,tcp,actions=output:p1,mod_nw_dst:1.2.3.4,output:p2,normal",
		"priority=90,in_port=p0,dl_dst=02:00:00:00:00:0b,actions=flood",
		"priority=80,ip,actions=push_vlan:0x88a8,mod_vlan_vid:7,output:p1,strip_vlan,in_port",
		"priority=70,actions=normal,output:p2",
	};
	unsigned int avail = rte_mempool_avail_count(harness_pool()), sent = 0, i, k;
	struct vs_port_ctr c;
	uint64_t out = 0, dropped = 0, copies;
	struct rte_mbuf *m[VS_BURST];

	assert_int_equal(add(f, rules, 4), 0);
	for (k = 0; k < 4; k++) {
		for (i = 0; i < VS_BURST; i++)
			m[i] = (i % 3 == 0)   ? tcp_frame()
			       : (i % 3 == 1) ? harness_frame(B, A, 64 + i)
					      : harness_frame("ff:ff:ff:ff:ff:ff", A, 12 + i);
		harness_input(f, (int)(k % 3), m, VS_BURST);
		sent += VS_BURST;
	}
	for (i = 0; i < 3; i++) {
		vs_port_counters(f->port[i], &c);
		out += c.tx_packets;
		for (k = 0; k < VS_DROP_MAX; k++)
			dropped += c.drops[k];
		harness_capture_reset(&f->cap[i]);
	}
	/* Outputs before a rewrite are copies: each is one more packet. */
	copies = rule_packets(f, 100);
	assert_true(out + dropped >= sent + copies);
	assert_int_equal(rte_mempool_avail_count(harness_pool()), avail);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, harness_setup, harness_teardown)
		T(test_default_table_is_normal_and_counts),
		T(test_in_port_rule_outputs_to_one_port),
		T(test_empty_table_drops_as_no_match),
		T(test_priority_and_fields_pick_the_rule),
		T(test_cached_results_follow_table_changes),
		T(test_rewrites_keep_checksums_right),
		T(test_rewrite_of_offloaded_checksum_keeps_pseudo_header_sum),
		T(test_vlan_push_set_and_strip),
		T(test_interleaved_rules_get_one_batch_each_in_order),
		T(test_output_before_rewrite_sends_the_original),
		T(test_goto_table_metadata_resubmit_and_action_set),
		T(test_a_run_s_packets_keep_their_own_keys_in_later_tables),
		T(test_resubmit_loop_is_cut_and_counted),
		T(test_output_to_ingress_is_counted_not_sent),
		T(test_readd_replaces_mod_and_replace_keep_counters),
		T(test_strict_and_loose_delete),
		T(test_removing_a_port_removes_its_rules),
		T(test_every_packet_is_sent_or_counted),
		T(test_invalid_source_is_a_hit_normal_drops_once),
		T(test_frames_over_the_mtu_are_dropped_as_too_big),
		T(test_pmd_drops_outlive_their_port),
#undef T
	};

	if (harness_eal_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
