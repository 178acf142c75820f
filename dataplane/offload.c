/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/offload.c: checksums and TCP segmentation in software, for a
 * packet that asks for them (a guest's TSO or partial checksum) on its way
 * to a port that cannot do them. Headers are read from the first segment
 * only (where virtio puts them); anything but TCP or UDP over IPv4 or IPv6
 * (without IPv6 extension headers) is refused, never guessed at.
 *
 * This is the slow path of the dataplane: it allocates (segments) and
 * copies. Guest-to-guest traffic never comes here. */
#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_memcpy.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "offload.h"

#define ETH_VLAN 0x8100
#define ETH_QINQ 0x88a8
#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd
#define TCP_FIN  0x01
#define TCP_PSH  0x08
#define TCP_CWR  0x80

struct hdrs {
	uint16_t l2, l3, l4; /* lengths */
	uint32_t end;        /* offset where the IP packet ends (padding may follow) */
	bool ipv6;
	uint8_t proto;
};

static inline uint16_t
be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static int
parse(const struct rte_mbuf *m, struct hdrs *h)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m), off = 14;
	uint16_t type, tags = 0;

	if (len < off)
		return -EINVAL;
	type = be16_at(p + 12);
	while ((type == ETH_VLAN || type == ETH_QINQ) && tags++ < 2) {
		if (len < off + 4)
			return -EINVAL;
		type = be16_at(p + off + 2);
		off += 4;
	}
	h->l2 = (uint16_t)off;
	if (type == ETH_IPV4) {
		const struct rte_ipv4_hdr *ip = (const void *)(p + off);

		if (len < off + sizeof(*ip))
			return -EINVAL;
		h->l3 = (uint16_t)((ip->version_ihl & 0xf) * 4);
		/* A fragment has no whole L4 payload to checksum or split. */
		if (h->l3 < 20 || len < off + h->l3 ||
		    (rte_be_to_cpu_16(ip->fragment_offset) & 0x3fff) != 0)
			return -EINVAL;
		h->end = off + rte_be_to_cpu_16(ip->total_length);
		h->proto = ip->next_proto_id;
		h->ipv6 = false;
	} else if (type == ETH_IPV6) {
		const struct rte_ipv6_hdr *ip = (const void *)(p + off);

		if (len < off + sizeof(*ip))
			return -EINVAL;
		h->l3 = sizeof(*ip);
		h->end = off + sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len);
		h->proto = ip->proto;
		h->ipv6 = true;
	} else {
		return -EINVAL;
	}
	off += h->l3;
	if (h->proto == IPPROTO_TCP) {
		if (len < off + sizeof(struct rte_tcp_hdr))
			return -EINVAL;
		h->l4 = (uint16_t)((p[off + 12] >> 4) * 4);
		if (h->l4 < sizeof(struct rte_tcp_hdr) || len < off + h->l4)
			return -EINVAL;
	} else if (h->proto == IPPROTO_UDP) {
		h->l4 = sizeof(struct rte_udp_hdr);
		if (len < off + h->l4)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	if (h->end < off + h->l4 || h->end > rte_pktmbuf_pkt_len(m))
		return -EINVAL;
	return 0;
}

/* TCP or UDP checksum of the L4 part of 'm', over what the IP header says
 * is the packet (not Ethernet padding after it). */
static int
l4_cksum(struct rte_mbuf *m, const struct hdrs *h)
{
	uint8_t *l3 = rte_pktmbuf_mtod_offset(m, uint8_t *, h->l2);
	uint32_t l4_off = h->l2 + h->l3, sum;
	uint16_t *field, raw;

	field = (uint16_t *)(l3 + h->l3 + (h->proto == IPPROTO_TCP ? 16 : 6));
	*field = 0;
	if (rte_raw_cksum_mbuf(m, l4_off, h->end - l4_off, &raw) < 0)
		return -EINVAL;
	sum = raw;
	sum += h->ipv6 ? rte_ipv6_phdr_cksum((const struct rte_ipv6_hdr *)l3, 0)
		       : rte_ipv4_phdr_cksum((const struct rte_ipv4_hdr *)l3, 0);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	raw = (uint16_t)~sum;
	if (raw == 0 && h->proto == IPPROTO_UDP)
		raw = 0xffff;
	*field = raw;
	return 0;
}

static void
ip_cksum(struct rte_mbuf *m, const struct hdrs *h)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, h->l2);

	if (h->ipv6)
		return;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

/* Copy 'len' bytes of 'src' from 'off' to the end of 'dst', chaining new
 * segments from 'pool' as needed. */
static int
append_from(struct rte_mbuf *dst, struct rte_mempool *pool, const struct rte_mbuf *src,
	    uint32_t off, uint32_t len)
{
	struct rte_mbuf *last = rte_pktmbuf_lastseg(dst);

	while (len > 0) {
		uint16_t room = rte_pktmbuf_tailroom(last);
		uint8_t *to;
		const void *from;
		uint32_t c;

		if (room == 0) {
			struct rte_mbuf *seg = rte_pktmbuf_alloc(pool);

			if (seg == NULL)
				return -ENOBUFS;
			last->next = seg;
			dst->nb_segs++;
			last = seg;
			continue;
		}
		c = RTE_MIN((uint32_t)room, len);
		to = rte_pktmbuf_mtod_offset(last, uint8_t *, last->data_len);
		from = rte_pktmbuf_read(src, off, c, to);
		if (from == NULL)
			return -EINVAL;
		if (from != to)
			rte_memcpy(to, from, c);
		last->data_len = (uint16_t)(last->data_len + c);
		dst->pkt_len += c;
		off += c;
		len -= c;
	}
	return 0;
}

static int
segment(struct rte_mbuf *m, const struct hdrs *h, struct rte_mempool *pool, struct rte_mbuf **out,
	unsigned int max)
{
	const uint8_t *src = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t hlen = h->l2 + h->l3 + h->l4, payload = h->end - hlen, mss = m->tso_segsz;
	uint32_t k, nseg, seq0;
	uint16_t id0 = 0;
	int ret;

	if (h->proto != IPPROTO_TCP || mss == 0 || payload == 0)
		return -EINVAL;
	nseg = (payload + mss - 1) / mss;
	if (nseg > max)
		return -EINVAL;
	if (rte_pktmbuf_alloc_bulk(pool, out, nseg) != 0)
		return -ENOBUFS;
	seq0 = rte_be_to_cpu_32(((const struct rte_tcp_hdr *)(src + h->l2 + h->l3))->sent_seq);
	if (!h->ipv6)
		id0 = rte_be_to_cpu_16(((const struct rte_ipv4_hdr *)(src + h->l2))->packet_id);
	for (k = 0; k < nseg; k++) {
		struct rte_mbuf *s = out[k];
		uint32_t len = RTE_MIN(mss, payload - k * mss);
		struct rte_tcp_hdr *tcp;
		uint8_t *d = (uint8_t *)rte_pktmbuf_append(s, (uint16_t)hlen);

		if (d == NULL) {
			ret = -EINVAL;
			goto err;
		}
		rte_memcpy(d, src, hlen);
		ret = append_from(s, pool, m, hlen + k * mss, len);
		if (ret < 0)
			goto err;
		if (h->ipv6) {
			struct rte_ipv6_hdr *ip = (void *)(d + h->l2);

			ip->payload_len = rte_cpu_to_be_16((uint16_t)(h->l4 + len));
		} else {
			struct rte_ipv4_hdr *ip = (void *)(d + h->l2);

			ip->total_length = rte_cpu_to_be_16((uint16_t)(h->l3 + h->l4 + len));
			ip->packet_id = rte_cpu_to_be_16((uint16_t)(id0 + k));
		}
		tcp = (void *)(d + h->l2 + h->l3);
		tcp->sent_seq = rte_cpu_to_be_32(seq0 + k * mss);
		if (k + 1 < nseg)
			tcp->tcp_flags &= (uint8_t) ~(TCP_FIN | TCP_PSH);
		if (k > 0)
			tcp->tcp_flags &= (uint8_t)~TCP_CWR;
		struct hdrs sh = *h;

		sh.end = hlen + len;
		ip_cksum(s, &sh);
		ret = l4_cksum(s, &sh);
		if (ret < 0)
			goto err;
		s->port = m->port;
	}
	rte_pktmbuf_free(m);
	return (int)nseg;
err:
	rte_pktmbuf_free_bulk(out, nseg);
	return ret;
}

int
vs_offload_sw(struct rte_mbuf *m, struct rte_mempool *pool, struct rte_mbuf **out, unsigned int max)
{
	uint64_t f = m->ol_flags;
	struct rte_mbuf *c;
	struct hdrs h;
	int ret;

	ret = parse(m, &h);
	if (ret < 0)
		return ret;
	if (f & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG))
		return segment(m, &h, pool, out, max);
	/* Checksums are written into the packet: not into one that another
	 * port (flooding) may be sending at the same time. */
	c = m;
	if (rte_mbuf_refcnt_read(m) > 1 || RTE_MBUF_HAS_EXTBUF(m)) {
		c = rte_pktmbuf_copy(m, pool, 0, UINT32_MAX);
		if (c == NULL)
			return -ENOBUFS;
	}
	if (f & RTE_MBUF_F_TX_IP_CKSUM)
		ip_cksum(c, &h);
	if (f & RTE_MBUF_F_TX_L4_MASK) {
		ret = l4_cksum(c, &h);
		if (ret < 0) {
			if (c != m)
				rte_pktmbuf_free(c);
			return ret;
		}
	}
	if (c != m)
		rte_pktmbuf_free(m);
	c->ol_flags &= ~VS_TX_OFFLOAD_FLAGS;
	out[0] = c;
	return 1;
}
