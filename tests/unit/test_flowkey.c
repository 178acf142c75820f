/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_flowkey.c: the key extractor (dataplane/flowkey.c) on
 * well-formed, odd and truncated frames: Ethernet, VLAN, IPv4 (fragments,
 * bad headers, padding), IPv6 with an extension header, ARP. Bytes past a
 * frame's end keep real headers and, under ASan, are poisoned, so an
 * over-read shows either way. */
#include <string.h>
#include <sanitizer/asan_interface.h>

#include <rte_arp.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "flowkey.h"
#include "harness.h"

struct frame {
	uint8_t b[128] __rte_aligned(8);
	uint16_t len;
};

static const struct rte_ether_addr mac_d = {{0x02, 0, 0, 0, 0, 0x0d}};
static const struct rte_ether_addr mac_s = {{0x02, 0, 0, 0, 0, 0x05}};
static const uint8_t ip4[8] = {192, 168, 1, 10, 10, 0, 0, 1}; /* src, dst */
static const uint8_t ip6[32] = {0x20, 1, 0x0d, 0xb8, [15] = 1, 0x20, 1, 0x0d, 0xb8, [31] = 2};

static void *
push(struct frame *f, size_t n)
{
	void *p = f->b + f->len;

	memset(p, 0, n);
	f->len = (uint16_t)(f->len + n);
	return p;
}

static void
put_eth(struct frame *f, uint16_t type)
{
	struct rte_ether_hdr *eh = push(f, sizeof(*eh));

	eh->dst_addr = mac_d;
	eh->src_addr = mac_s;
	eh->ether_type = rte_cpu_to_be_16(type);
}

static struct rte_ipv4_hdr *
put_ipv4(struct frame *f, uint8_t proto, uint16_t l4_len, uint16_t frag)
{
	struct rte_ipv4_hdr *ip = push(f, sizeof(*ip));

	ip->version_ihl = 0x45;
	ip->type_of_service = 0x2e;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + l4_len));
	ip->fragment_offset = rte_cpu_to_be_16(frag);
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	memcpy(&ip->src_addr, ip4, 4);
	memcpy(&ip->dst_addr, ip4 + 4, 4);
	return ip;
}

/* TCP or UDP, 1234 > 80. */
static void
put_l4(struct frame *f, uint8_t proto)
{
	size_t len = proto == IPPROTO_TCP ? sizeof(struct rte_tcp_hdr) : sizeof(struct rte_udp_hdr);
	struct rte_udp_hdr *h = push(f, len);

	h->src_port = rte_cpu_to_be_16(1234);
	h->dst_port = rte_cpu_to_be_16(80);
	if (proto == IPPROTO_TCP)
		((struct rte_tcp_hdr *)h)->data_off = 0x50;
	else
		h->dgram_len = rte_cpu_to_be_16((uint16_t)len);
}

/* Ethernet, IPv4, 'proto' (TCP or UDP), with any padding to 'min_len'. */
static void
frame_ip4(struct frame *f, uint8_t proto, uint16_t min_len)
{
	put_eth(f, RTE_ETHER_TYPE_IPV4);
	put_ipv4(f, proto, proto == IPPROTO_TCP ? 20 : 8, 0);
	put_l4(f, proto);
	if (f->len < min_len)
		push(f, min_len - f->len);
}

/* The key of a frame built here: port 5, its MACs, 'type'; for IPv4, the
 * L3 fields if 'l3' (its offset) and the ports if 'l4' (their offset). */
static struct vs_flow_key
key_of(uint16_t type, uint8_t proto, uint16_t l3, uint16_t l4)
{
	struct vs_flow_key k = {.in_port = 5, .dl_type = type, .dl_dst = mac_d, .dl_src = mac_s};

	if (l3) {
		k.nw_proto = proto;
		k.nw_tos = 0x2e;
		memcpy(k.nw_src, ip4, 4);
		memcpy(k.nw_dst, ip4 + 4, 4);
		k.l3_ofs = l3;
	}
	if (l4) {
		k.tp_src = 1234;
		k.tp_dst = 80;
		k.l4_ofs = l4;
	}
	return k;
}

/* Extract the first 'len' bytes of 'f' on port 5, the rest of the frame
 * left in the buffer and poisoned (ASan), and compare the whole key. */
static void
expect_key(const struct frame *f, uint16_t len, const struct vs_flow_key *exp)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(harness_pool());
	struct vs_flow_key k;
	char *end;
	size_t room;

	assert_non_null(m);
	assert_non_null(rte_pktmbuf_append(m, f->len));
	memcpy(rte_pktmbuf_mtod(m, void *), f->b, f->len);
	assert_int_equal(rte_pktmbuf_trim(m, f->len - len), 0);
	end = rte_pktmbuf_mtod_offset(m, char *, len);
	room = (size_t)((char *)m->buf_addr + m->buf_len - end);
	ASAN_POISON_MEMORY_REGION(end, room);
	vs_flowkey_extract(&m, 1, 5, &k);
	ASAN_UNPOISON_MEMORY_REGION(end, room);
	rte_pktmbuf_free(m);
	if (memcmp(&k, exp, sizeof(k)) != 0)
		print_error("%u of %u bytes: l3_ofs %u l4_ofs %u nw_proto %u tp_src %u\n", len,
			    f->len, k.l3_ofs, k.l4_ofs, k.nw_proto, k.tp_src);
	assert_memory_equal(&k, exp, sizeof(k));
}

/* 'f' whole gives 'whole'; cut to every shorter length, it gives only the
 * fields that fit: the MACs from 14 bytes, dl_type and vlan_tci from 'l2',
 * the addresses, ToS and l3_ofs from 'l3', nw_proto from 'proto', the
 * ports and l4_ofs from the full length. */
static void
expect_cuts(const struct frame *f, const struct vs_flow_key *whole, uint16_t l2, uint16_t l3,
	    uint16_t proto)
{
	struct vs_flow_key exp;
	uint16_t len;

	expect_key(f, f->len, whole);
	for (len = 0; len < f->len; len++) {
		exp = *whole;
		exp.tp_src = exp.tp_dst = exp.l4_ofs = 0;
		exp.nw_proto = len < proto ? 0 : exp.nw_proto;
		if (len < l3) {
			memset(exp.nw_src, 0, sizeof(exp.nw_src));
			memset(exp.nw_dst, 0, sizeof(exp.nw_dst));
			exp.nw_tos = 0;
			exp.l3_ofs = 0;
		}
		if (len < l2)
			exp.dl_type = exp.vlan_tci = 0;
		if (len < RTE_ETHER_HDR_LEN)
			exp = (struct vs_flow_key){.in_port = whole->in_port};
		expect_key(f, len, &exp);
	}
}

static void
test_tcp4_frame_and_every_cut_of_it(void **state)
{
	struct vs_flow_key whole = key_of(0x0800, 6, 14, 34);
	struct frame f = {0};

	frame_ip4(&f, IPPROTO_TCP, 0);
	expect_cuts(&f, &whole, 14, 34, 34);
}

/* IPv6 (traffic class 0xb8), a hop-by-hop header of 8 bytes, then UDP. */
static void
test_ipv6_hop_by_hop_udp_and_every_cut_of_it(void **state)
{
	struct vs_flow_key whole = key_of(0x86dd, 17, 0, 62);
	struct rte_ipv6_hdr *ip;
	struct frame f = {0};
	uint8_t *hbh;

	put_eth(&f, RTE_ETHER_TYPE_IPV6);
	ip = push(&f, sizeof(*ip));
	ip->vtc_flow = rte_cpu_to_be_32(6u << 28 | 0xb8u << 20);
	ip->payload_len = rte_cpu_to_be_16(8 + sizeof(struct rte_udp_hdr));
	ip->proto = 0; /* hop-by-hop */
	ip->hop_limits = 64;
	memcpy(ip->src_addr, ip6, 16);
	memcpy(ip->dst_addr, ip6 + 16, 16);
	hbh = push(&f, 8);
	hbh[0] = IPPROTO_UDP;
	hbh[2] = 1; /* PadN of 4 */
	hbh[3] = 4;
	put_l4(&f, IPPROTO_UDP);
	whole.nw_proto = 17;
	whole.nw_tos = 0xb8;
	memcpy(whole.nw_src, ip6, 16);
	memcpy(whole.nw_dst, ip6 + 16, 16);
	whole.l3_ofs = 14;
	expect_cuts(&f, &whole, 14, 54, 62);
}

static void
test_vlan_udp4_frame_and_every_cut_of_it(void **state)
{
	struct vs_flow_key exp = key_of(0x0800, 17, 18, 38);
	struct frame f = {0};
	struct rte_vlan_hdr *vh;

	put_eth(&f, RTE_ETHER_TYPE_VLAN);
	vh = push(&f, sizeof(*vh));
	vh->vlan_tci = rte_cpu_to_be_16(5 << 13 | 100); /* PCP 5, VID 100 */
	vh->eth_proto = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	put_ipv4(&f, IPPROTO_UDP, sizeof(struct rte_udp_hdr), 0);
	put_l4(&f, IPPROTO_UDP);
	exp.vlan_tci = 5 << 13 | VS_VLAN_PRESENT | 100;
	expect_cuts(&f, &exp, 18, 38, 38);
}

static void
test_ipv4_fragments_mark_nw_frag(void **state)
{
	struct vs_flow_key exp = key_of(0x0800, 17, 14, 0);
	struct rte_ipv4_hdr *ip;
	struct frame f = {0};

	frame_ip4(&f, IPPROTO_UDP, 0); /* then the bytes after IP look like UDP */
	ip = (struct rte_ipv4_hdr *)(f.b + RTE_ETHER_HDR_LEN);
	ip->fragment_offset = rte_cpu_to_be_16(185); /* at 1480 */
	exp.nw_frag = VS_FRAG_ANY | VS_FRAG_LATER;
	expect_key(&f, f.len, &exp);

	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG); /* first */
	exp = key_of(0x0800, 17, 14, 34);
	exp.nw_frag = VS_FRAG_ANY;
	expect_key(&f, f.len, &exp);
}

static void
test_arp_gives_opcode_and_addresses(void **state)
{
	static const uint8_t reply[28] = {
		0, 1, 8, 0, 6, 4,   0,   2,          /* Ethernet, IPv4, reply */
		2, 0, 0, 0, 0, 5,   192, 168, 1, 10, /* sender */
		2, 0, 0, 0, 0, 0xd, 10,  0,   0, 1,  /* target */
	};
	struct vs_flow_key exp = key_of(0x0806, 0, 0, 0);
	struct frame f = {0};

	put_eth(&f, RTE_ETHER_TYPE_ARP);
	memcpy(push(&f, sizeof(reply)), reply, sizeof(reply));
	exp.nw_proto = RTE_ARP_OP_REPLY;
	memcpy(exp.nw_src, ip4, 4);
	memcpy(exp.nw_dst, ip4 + 4, 4);
	expect_key(&f, f.len, &exp);
}

static void
test_bad_ipv4_header_gives_no_l3_fields(void **state)
{
	static const uint8_t bad[] = {0x44, 0x4f, 0x35, 0x65}; /* IHL 4, IHL 15, v3, v6 */
	struct vs_flow_key exp = key_of(0x0800, 0, 0, 0);
	struct frame f = {0};
	unsigned int i;

	frame_ip4(&f, IPPROTO_TCP, 0);
	for (i = 0; i < RTE_DIM(bad); i++) {
		f.b[RTE_ETHER_HDR_LEN] = bad[i];
		expect_key(&f, f.len, &exp);
	}
}

static void
test_l4_must_fit_in_the_ip_packet(void **state)
{
	struct vs_flow_key exp = key_of(0x0800, 6, 14, 0);
	struct frame f = {0};

	/* The frame holds a whole TCP header, the IP packet 19 bytes of it. */
	frame_ip4(&f, IPPROTO_TCP, 0);
	((struct rte_ipv4_hdr *)(f.b + RTE_ETHER_HDR_LEN))->total_length =
		rte_cpu_to_be_16(20 + 19);
	expect_key(&f, f.len, &exp);

	/* Ethernet padding after a whole IP packet is not in the way. */
	memset(&f, 0, sizeof(f));
	frame_ip4(&f, IPPROTO_UDP, RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN);
	exp = key_of(0x0800, 17, 14, 34);
	expect_key(&f, f.len, &exp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp4_frame_and_every_cut_of_it),
		cmocka_unit_test(test_ipv6_hop_by_hop_udp_and_every_cut_of_it),
		cmocka_unit_test(test_vlan_udp4_frame_and_every_cut_of_it),
		cmocka_unit_test(test_ipv4_fragments_mark_nw_frag),
		cmocka_unit_test(test_arp_gives_opcode_and_addresses),
		cmocka_unit_test(test_bad_ipv4_header_gives_no_l3_fields),
		cmocka_unit_test(test_l4_must_fit_in_the_ip_packet),
	};

	return cmocka_run_group_tests(tests, harness_group_setup, NULL);
}
