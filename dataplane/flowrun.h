/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/flowrun.h: a burst looked up in a table, extracting the key of
 * only the packets that may differ from the run they follow where the
 * table looks (dataplane/flowrun.c). */
#ifndef VS_FLOWRUN_H
#define VS_FLOWRUN_H

#include <stdbool.h>
#include <stdint.h>
#include <rte_mbuf.h>

struct vs_emc;
struct vs_cls;
struct vs_cls_entry;
struct vs_flow_key;

/* slots[i]: the entry of 'c' that pkts[i] (received on 'in_port', at least
 * an Ethernet header long) hits, or NULL; exactly what extracting every
 * key and vs_emc_lookup would give. 'keys' (room for 'n') is scratch: true
 * when it holds every packet's key (keys[i] is pkts[i]'s), false when only
 * the run heads' were extracted (then it holds nothing per packet). */
bool vs_flowrun_lookup(struct vs_emc *emc, const struct vs_cls *c, struct rte_mbuf **pkts,
		       uint16_t n, uint16_t in_port, struct vs_flow_key *keys,
		       const struct vs_cls_entry **slots);

#endif
