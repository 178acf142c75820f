/* SPDX-License-Identifier: BSD-3-Clause */
/* base/stats.h: why packets are dropped, and the per-port counters.
 * Every dropped packet is counted under exactly one reason. Counters are
 * kept per PMD (one cache line block each, no atomics) and summed on read
 * by the control thread. */
#ifndef VS_STATS_H
#define VS_STATS_H

#include <stdint.h>
#include <rte_common.h>

/* _(ENUM, "name", "who is at fault", "what happened") */
#define VS_DROP_REASONS(_)                                                                           \
	_(RX_INVALID, "rx_invalid", "sender",                                                        \
	  "frame shorter than an Ethernet header, or with a multicast or zero source MAC")           \
	_(L2_RESERVED, "l2_reserved", "policy",                                                      \
	  "IEEE 802.1D link-local destination 01:80:c2:00:00:0x, never forwarded by a bridge")       \
	_(NO_DEST, "no_destination", "policy", "flooded, but the bridge has no other port")          \
	_(SAME_PORT, "same_port", "policy",                                                          \
	  "the destination is the ingress port (its MAC was learnt there, or a flow rule "           \
	  "outputs to it: use the in_port action to send a packet back)")                            \
	_(NO_MATCH, "no_match", "policy",                                                            \
	  "no flow rule matched (the table has no catch-all: add one, e.g. "                         \
	  "priority=0,actions=normal)")                                                              \
	_(RULE_DROP, "rule_drop", "policy",                                                          \
	  "a flow rule dropped it (actions=drop, or no output left)")                                \
	_(TX_FULL, "tx_full", "switch",                                                              \
	  "the output device did not take the packet (tx queue full)")                               \
	_(GUEST_DOWN, "guest_down", "guest",                                                         \
	  "the guest of this vhost-user port is not connected or has not enabled its queues")        \
	_(GUEST_FULL, "guest_queue_full", "guest",                                                   \
	  "the guest's receive queue was full: it is not reading its packets fast enough")           \
	_(NO_MBUF, "no_mbuf", "switch",                                                              \
	  "no packet buffer (software segmentation or checksum, a flow rule's copy): raise --mbufs") \
	_(BAD_OFFLOAD, "bad_offload", "sender",                                                      \
	  "a segmentation or checksum offload request for headers other than TCP/UDP over IP")       \
	_(TOO_BIG, "too_big", "sender",                                                              \
	  "longer than the output port's MTU allows (MTU + 18 bytes of Ethernet header and one "     \
	  "VLAN tag), and not a TCP segmentation request: lower the sender's MTU or raise the "      \
	  "port's mtu=")                                                                             \
	_(OPEN_STALE, "open_stale", "switch",                                                        \
	  "queued in a net_af_packet port when it opened, discarded before it joined the bridge: "   \
	  "while starting, DPDK's af_packet briefly captures the frames of every interface")         \
	_(GROUP_MISSING, "group_missing", "policy",                                                  \
	  "a rule or bucket sent to a group the bridge does not have, or chained groups deeper "     \
	  "than 8")                                                                                  \
	_(GROUP_NO_BUCKET, "group_no_bucket", "policy",                                              \
	  "a select or fast_failover group had no live bucket (every watched port down)")            \
	_(TXQ_RESIZE, "txq_resize", "switch",                                                        \
	  "queued in a DPDK port's rx queues when it was stopped to be given a tx queue per PMD "    \
	  "(a PMD was added): taken out and discarded, as stopping the device would have")           \
	_(TTL_EXCEEDED, "ttl_exceeded", "sender",                                                    \
	  "a dec_ttl action found an IPv4 TTL or IPv6 hop limit of 0 or 1")                          \
	_(RESUBMIT_DEPTH, "resubmit_depth", "policy",                                                \
	  "resubmit and goto_table nested more than 64 deep (the rules loop): the packet is "        \
	  "dropped, as Open vSwitch does")                                                           \
	_(PKTIN_QUEUE, "controller_queue_full", "switch",                                            \
	  "a packet-in for the OpenFlow controller found its queue to the control thread full "      \
	  "(the controller action's copy is dropped; the packet's other actions still run)")         \
	_(PKTIN_RATE, "controller_rate", "policy",                                                   \
	  "a packet-in over the bridge's controller-rate-limit (vswitchctl set-bridge BR "           \
	  "controller-rate-limit=N), or with no controller connected to take it")                    \
	_(PORT_DOWN, "port_down", "policy",                                                          \
	  "sent to a port an OpenFlow controller set down (mod-port PORT down)")

enum vs_drop {
#define _(e, n, c, d) VS_DROP_##e,
	VS_DROP_REASONS(_)
#undef _
	VS_DROP_MAX
};

struct vs_drop_info {
	const char *name;
	const char *cause; /* "sender", "switch" or "policy" */
	const char *help;
};

extern const struct vs_drop_info vs_drop_info[VS_DROP_MAX];

/* Counters of one port as seen by one PMD. rx counts every frame received,
 * including the ones dropped later; tx counts frames the device accepted. */
struct vs_port_ctr {
	uint64_t rx_packets;
	uint64_t rx_bytes;
	uint64_t tx_packets;
	uint64_t tx_bytes;
	uint64_t drops[VS_DROP_MAX];
} __rte_cache_aligned;

/* Sum of 'n' per-PMD blocks into 'sum' (control thread). */
void vs_port_ctr_sum(const struct vs_port_ctr *blocks, unsigned int n, struct vs_port_ctr *sum);

#endif
