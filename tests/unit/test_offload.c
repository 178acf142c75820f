/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_offload.c: software checksums and TCP segmentation
 * (dataplane/offload.c), as a guest's TSO and checksum requests reach a
 * port that cannot do them: every segment is checked header by header and
 * its checksums verified independently. */
/* rte_ipv{4,6}_udptcp_cksum_mbuf_verify are experimental in 22.11: the test
 * uses DPDK's own verifier rather than the code it checks. */
#define ALLOW_EXPERIMENTAL_API

#include <errno.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "harness.h"
#include "offload.h"

#define ETH 14

/* A TCP (or UDP) packet over IPv4 or IPv6 with 'payload' bytes, laid out
 * over chained mbufs of 'seg' bytes (as vhost builds big packets), with
 * partial checksums, as a guest hands it over. */
static struct rte_mbuf *
packet(bool v6, bool tcp, uint32_t payload, uint16_t seg)
{
	uint16_t l3 = v6 ? 40 : 20, l4 = tcp ? 20 : 8, hlen = ETH + l3 + l4;
	uint32_t total = hlen + payload, off = 0;
	uint8_t buf[70000];
	struct rte_mbuf *head = NULL, *last = NULL;

	memset(buf, 0, sizeof(buf));
	for (uint32_t i = hlen; i < total; i++)
		buf[i] = (uint8_t)(i * 7);
	buf[12] = v6 ? 0x86 : 0x08;
	buf[13] = v6 ? 0xdd : 0x00;
	if (v6) {
		struct rte_ipv6_hdr *ip = (void *)(buf + ETH);

		ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip->payload_len = rte_cpu_to_be_16((uint16_t)(l4 + payload));
		ip->proto = tcp ? IPPROTO_TCP : IPPROTO_UDP;
		ip->hop_limits = 64;
		ip->src_addr[15] = 1;
		ip->dst_addr[15] = 2;
	} else {
		struct rte_ipv4_hdr *ip = (void *)(buf + ETH);

		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16((uint16_t)(l3 + l4 + payload));
		ip->packet_id = rte_cpu_to_be_16(1000);
		ip->time_to_live = 64;
		ip->next_proto_id = tcp ? IPPROTO_TCP : IPPROTO_UDP;
		ip->src_addr = rte_cpu_to_be_32(0x0a000001);
		ip->dst_addr = rte_cpu_to_be_32(0x0a000002);
	}
	if (tcp) {
		struct rte_tcp_hdr *t = (void *)(buf + ETH + l3);

		t->src_port = rte_cpu_to_be_16(40000);
		t->dst_port = rte_cpu_to_be_16(5201);
		t->sent_seq = rte_cpu_to_be_32(0xfffff000); /* wraps while segmenting */
		t->data_off = 5 << 4;
		t->tcp_flags =
			RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG | RTE_TCP_FIN_FLAG | RTE_TCP_CWR_FLAG;
	} else {
		struct rte_udp_hdr *u = (void *)(buf + ETH + l3);

		u->dgram_len = rte_cpu_to_be_16((uint16_t)(8 + payload));
	}
	while (off < total) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(harness_pool());
		uint16_t n = (uint16_t)RTE_MIN((uint32_t)seg, total - off);

		assert_non_null(m);
		memcpy(rte_pktmbuf_append(m, n), buf + off, n);
		if (head == NULL) {
			head = m;
		} else {
			last->next = m;
			head->nb_segs++;
			head->pkt_len += n;
		}
		last = m;
		off += n;
	}
	head->ol_flags = (v6 ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM) |
			 (tcp ? RTE_MBUF_F_TX_TCP_CKSUM : RTE_MBUF_F_TX_UDP_CKSUM);
	return head;
}

static bool
l4_ok(struct rte_mbuf *m, bool v6)
{
	void *ip = rte_pktmbuf_mtod_offset(m, void *, ETH);

	return v6 ? rte_ipv6_udptcp_cksum_mbuf_verify(m, ip, ETH + 40) == 0
		  : rte_ipv4_udptcp_cksum_mbuf_verify(m, ip, ETH + 20) == 0;
}

static void
check_segments(bool v6, uint32_t payload, uint16_t mss)
{
	struct rte_mbuf *m = packet(v6, true, payload, 2048), *out[VS_OFFLOAD_SEGS_MAX];
	uint32_t n = (payload + mss - 1) / mss, k, got = 0;
	uint16_t l3 = v6 ? 40 : 20;
	int r;

	m->ol_flags |= RTE_MBUF_F_TX_TCP_SEG;
	m->tso_segsz = mss;
	assert_int_equal(vs_offload_needs(m) & (v6 ? VS_TXOFF_TSO6 : VS_TXOFF_TSO4),
			 v6 ? VS_TXOFF_TSO6 : VS_TXOFF_TSO4);
	r = vs_offload_sw(m, harness_pool(), out, VS_OFFLOAD_SEGS_MAX);
	assert_int_equal(r, (int)n);
	for (k = 0; k < n; k++) {
		struct rte_mbuf *s = out[k];
		struct rte_tcp_hdr *t = rte_pktmbuf_mtod_offset(s, struct rte_tcp_hdr *, ETH + l3);
		uint32_t len = RTE_MIN((uint32_t)mss, payload - k * mss);

		assert_int_equal(rte_pktmbuf_pkt_len(s), ETH + l3 + 20 + len);
		assert_int_equal(rte_be_to_cpu_32(t->sent_seq), 0xfffff000u + k * mss);
		assert_int_equal(!!(t->tcp_flags & RTE_TCP_FIN_FLAG), k + 1 == n);
		assert_int_equal(!!(t->tcp_flags & RTE_TCP_PSH_FLAG), k + 1 == n);
		assert_int_equal(!!(t->tcp_flags & RTE_TCP_CWR_FLAG), k == 0);
		assert_true(t->tcp_flags & RTE_TCP_ACK_FLAG);
		if (!v6) {
			struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(s, void *, ETH);

			assert_int_equal(rte_be_to_cpu_16(ip->total_length), 40 + len);
			assert_int_equal(rte_be_to_cpu_16(ip->packet_id), 1000 + k);
			assert_int_equal(rte_ipv4_cksum(ip), 0); /* a valid header sums to 0 */
		} else {
			struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod_offset(s, void *, ETH);

			assert_int_equal(rte_be_to_cpu_16(ip->payload_len), 20 + len);
		}
		assert_true(l4_ok(s, v6));
		assert_int_equal(s->ol_flags & VS_TX_OFFLOAD_FLAGS, 0);
		/* The payload is the original's slice. */
		for (uint32_t b = 0; b < len; b += 97) {
			uint32_t orig = ETH + l3 + 20 + k * mss + b;
			uint8_t v;

			assert_int_equal(
				*(const uint8_t *)rte_pktmbuf_read(s, ETH + l3 + 20 + b, 1, &v),
				(uint8_t)(orig * 7));
		}
		got += len;
		rte_pktmbuf_free(s);
	}
	assert_int_equal(got, payload);
}

static void
test_tso_ipv4_becomes_valid_segments(void **state)
{
	check_segments(false, 65000, 1448);
	check_segments(false, 3000, 1000);
	check_segments(false, 100, 1448); /* one segment */
}

static void
test_tso_ipv6_becomes_valid_segments(void **state)
{
	check_segments(true, 60000, 1428);
}

static void
test_tso_with_jumbo_mss_chains_segments(void **state)
{
	check_segments(false, 30000, 8948); /* segments larger than one mbuf */
}

static void
test_partial_checksums_are_completed(void **state)
{
	struct rte_mbuf *out[4];
	unsigned int v;

	for (v = 0; v < 4; v++) {
		bool v6 = v & 1, tcp = v & 2;
		struct rte_mbuf *m = packet(v6, tcp, 1000, 400);

		assert_int_equal(vs_offload_sw(m, harness_pool(), out, 4), 1);
		assert_ptr_equal(out[0], m); /* done in place */
		assert_true(l4_ok(m, v6));
		if (!v6)
			assert_int_equal(rte_ipv4_cksum(rte_pktmbuf_mtod_offset(m, void *, ETH)),
					 0);
		assert_int_equal(m->ol_flags & VS_TX_OFFLOAD_FLAGS, 0);
		rte_pktmbuf_free(m);
	}
}

static void
test_shared_packet_is_copied_not_changed(void **state)
{
	struct rte_mbuf *m = packet(false, true, 500, 2048), *out[2];
	uint16_t before = *rte_pktmbuf_mtod_offset(m, uint16_t *, ETH + 20 + 16);

	rte_mbuf_refcnt_update(m, 1); /* another port holds it too */
	assert_int_equal(vs_offload_sw(m, harness_pool(), out, 2), 1);
	assert_ptr_not_equal(out[0], m);
	assert_true(l4_ok(out[0], false));
	assert_int_equal(*rte_pktmbuf_mtod_offset(m, uint16_t *, ETH + 20 + 16), before);
	assert_int_equal(rte_mbuf_refcnt_read(m), 1); /* our reference was dropped */
	rte_pktmbuf_free(out[0]);
	rte_pktmbuf_free(m);
}

static void
test_unsupported_or_broken_requests_are_refused(void **state)
{
	struct rte_mbuf *out[VS_OFFLOAD_SEGS_MAX], *m;

	m = packet(false, true, 100, 2048); /* not IP */
	*rte_pktmbuf_mtod_offset(m, uint8_t *, 12) = 0x88;
	assert_int_equal(vs_offload_sw(m, harness_pool(), out, 4), -EINVAL);
	rte_pktmbuf_free(m);

	m = packet(false, true, 100, 2048); /* a fragment */
	rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, ETH)->fragment_offset =
		rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG);
	assert_int_equal(vs_offload_sw(m, harness_pool(), out, 4), -EINVAL);
	rte_pktmbuf_free(m);

	m = packet(false, true, 100, 2048); /* IP length beyond the packet */
	rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, ETH)->total_length =
		rte_cpu_to_be_16(9000);
	assert_int_equal(vs_offload_sw(m, harness_pool(), out, 4), -EINVAL);
	rte_pktmbuf_free(m);

	m = packet(false, true, 100, 2048); /* truncated TCP header */
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - (ETH + 30));
	assert_int_equal(vs_offload_sw(m, harness_pool(), out, 4), -EINVAL);
	rte_pktmbuf_free(m);

	m = packet(false, true, 60000, 2048); /* TSO with no segment size */
	m->ol_flags |= RTE_MBUF_F_TX_TCP_SEG;
	m->tso_segsz = 0;
	assert_int_equal(vs_offload_sw(m, harness_pool(), out, VS_OFFLOAD_SEGS_MAX), -EINVAL);
	m->tso_segsz = 100; /* 600 segments: more than allowed */
	assert_int_equal(vs_offload_sw(m, harness_pool(), out, VS_OFFLOAD_SEGS_MAX), -EINVAL);
	rte_pktmbuf_free(m);

	m = packet(false, false, 60000, 2048); /* UDP segmentation: not offered */
	m->ol_flags |= RTE_MBUF_F_TX_UDP_SEG;
	m->tso_segsz = 1400;
	assert_int_equal(vs_offload_sw(m, harness_pool(), out, VS_OFFLOAD_SEGS_MAX), -EINVAL);
	rte_pktmbuf_free(m);
}

static void
test_plain_packets_need_nothing(void **state)
{
	struct rte_mbuf *m = packet(false, true, 100, 2048);

	m->ol_flags = 0;
	assert_int_equal(vs_offload_needs(m), 0);
	rte_pktmbuf_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tso_ipv4_becomes_valid_segments),
		cmocka_unit_test(test_tso_ipv6_becomes_valid_segments),
		cmocka_unit_test(test_tso_with_jumbo_mss_chains_segments),
		cmocka_unit_test(test_partial_checksums_are_completed),
		cmocka_unit_test(test_shared_packet_is_copied_not_changed),
		cmocka_unit_test(test_unsupported_or_broken_requests_are_refused),
		cmocka_unit_test(test_plain_packets_need_nothing),
	};

	if (harness_eal_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
