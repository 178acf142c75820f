/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/pktin.h: packets between a PMD and the OpenFlow channel on the
 * control thread, one ring each way per PMD.
 *
 * Packet-in (PMD -> control): the output:CONTROLLER action copies the
 * first max_len bytes of the packet into a new mbuf from the PMD's pool
 * and queues it with where it came from; the packet itself goes on with
 * the rule's other actions. A full ring, or no mbuf, drops the copy,
 * counted (controller_queue_full, no_mbuf): the PMD never waits or
 * allocates memory for it, and the control thread drains a bounded number
 * per loop turn (control/openflow/pktin.c), rate-limits and sends them.
 *
 * Packet-out (control -> PMD): the control thread builds the packet in an
 * mbuf and queues it with its output actions; the PMD sends it at its next
 * loop turn, through its own tx queues (the control thread has none). */
#ifndef VS_PKTIN_H
#define VS_PKTIN_H

#include <stdint.h>
#include <rte_mbuf.h>

#include "actions.h"

struct vs_worker;
struct vs_port;
struct vs_flow_key;

#define VS_PKTIN_RING  1024
#define VS_PKTOUT_RING 256

/* One packet-in. Owns 'm'. */
struct vs_pktin_ev {
	struct rte_mbuf *m; /* the first max_len bytes */
	uint64_t cookie;    /* of the rule that sent it */
	uint64_t metadata;  /* the pipeline's, at that rule */
	uint16_t port;      /* ingress port id */
	uint16_t total_len; /* of the whole packet */
	uint8_t reason;     /* OFPR_*: NO_MATCH from a table-miss rule */
	uint8_t table;      /* of the rule that sent it */
	uint8_t pad[2];
};

/* One packet-out. Owns 'm'. The control thread resolved its output
 * actions to ports of the bridge (a set of port ids: the order of outputs
 * of one unmodified packet does not matter); 'normal': also through the
 * learning bridge, 'table': also through the flow table (output:TABLE),
 * both as if received on 'in_port'. */
struct vs_pktout_ev {
	struct rte_mbuf *m;
	uint16_t in_port; /* port id, VS_PORT_NONE: the controller */
	uint16_t bridge;  /* id */
	uint8_t normal;
	uint8_t table;
	uint8_t pad[2];
	uint64_t ports[VS_MAX_PORTS / 64];
};

/* PMD: send a packet-in for 'm' (which stays the caller's) by the
 * controller action 'a' (u16 max_len, u8 reason, u32 table, u64 cookie,
 * VS_AF_TABLE_MISS), 'k' its key (for the metadata) or NULL (metadata 0). */
void vs_pktin_send(struct vs_worker *w, struct vs_port *in, struct rte_mbuf *m,
		   const struct vs_action *a, const struct vs_flow_key *k);

/* PMD, each loop turn: send what the control thread queued. */
void vs_pktout_poll(struct vs_worker *w);

/* Control thread: the worker's rings (at init), and freeing them with
 * whatever they hold (at fini). */
int vs_pktin_rings_create(struct vs_worker *w);
void vs_pktin_rings_free(struct vs_worker *w);

#endif
