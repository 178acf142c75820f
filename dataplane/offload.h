/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/offload.h: offloads done in software for ports that cannot.
 *
 * A guest's virtio-net driver hands over TCP segments of up to 64 KiB and
 * leaves checksums to be completed (it negotiated TSO and checksum offload,
 * so its TCP runs fast). Packets dequeued from vhost-user carry that as
 * RTE_MBUF_F_TX_* requests. Another guest takes them as they are; a port
 * that cannot (a NIC or kernel interface without offloads) gets segments
 * and full checksums computed here first. */
#ifndef VS_OFFLOAD_H
#define VS_OFFLOAD_H

#include <stdint.h>
#include <rte_mbuf.h>

#include "port.h" /* VS_TXOFF_* */

/* Segments of one packet at most: 64 KiB of TCP in 536-byte segments. */
#define VS_OFFLOAD_SEGS_MAX 128

#define VS_TX_OFFLOAD_FLAGS                                                      \
	(RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG | RTE_MBUF_F_TX_L4_MASK | \
	 RTE_MBUF_F_TX_IP_CKSUM)

/* The VS_TXOFF_* a packet needs from whoever transmits it. */
static inline uint32_t
vs_offload_needs(const struct rte_mbuf *m)
{
	uint64_t f = m->ol_flags;
	uint32_t need = 0;

	if (likely(!(f & VS_TX_OFFLOAD_FLAGS)))
		return 0;
	if (f & (RTE_MBUF_F_TX_L4_MASK | RTE_MBUF_F_TX_IP_CKSUM))
		need |= VS_TXOFF_CSUM;
	if (f & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG))
		need |= VS_TXOFF_CSUM | ((f & RTE_MBUF_F_TX_IPV6) ? VS_TXOFF_TSO6 : VS_TXOFF_TSO4);
	return need;
}

/* Complete in software what 'm' asks for, for a port that does nothing
 * itself. Fills out[] with the packets to send instead of 'm' (the
 * segments, or 'm' itself with its checksums done) and returns how many.
 * Returns -ENOBUFS (no mbufs) or -EINVAL (headers other than TCP/UDP over
 * IPv4/IPv6, or nonsense lengths); 'm' is then left to the caller.
 * 'm' is consumed on success (freed once segmented). 'max' >= 64. */
int vs_offload_sw(struct rte_mbuf *m, struct rte_mempool *pool, struct rte_mbuf **out,
		  unsigned int max);

#endif
