/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/group.h: a bridge's OpenFlow groups as PMDs see them.
 *
 * A group is a list of buckets, each an action list, run by the group's
 * type (OpenFlow 1.3, 5.6.1): all (every bucket, each on its own reference
 * or copy), indirect (its one bucket), select (one bucket per packet by a
 * hash of its flow, weighted through a 256-slot table), fast_failover (the
 * first live bucket). A bucket is live when its watch_port's link is up
 * and its watch_group has a live bucket.
 *
 * The control thread (control/group/) builds each version of the table
 * whole (vs_group_set_build), publishes it with one pointer store in
 * struct vs_groups, and frees the old one after a grace period; PMDs never
 * see half a change. Port liveness is not part of a version: it is one bit
 * per port, stored by the control thread when it sees a link change and
 * read by PMDs relaxed (a lone bit that publishes nothing). */
#ifndef VS_GROUP_H
#define VS_GROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "actions.h"
#include "bridge.h"
#include "common.h"

#define VS_GROUP_ID_MAX       0xffffff00u /* OFPG_MAX: the highest group id */
#define VS_GROUP_ANY          0xffffffffu /* OFPG_ANY: no watch_group */
#define VS_GROUP_BUCKETS_MAX  64
#define VS_GROUP_DEPTH_MAX    8 /* groups chained through buckets */
#define VS_GROUP_SELECT_SLOTS 256
#define VS_GROUPS_MAX         4096 /* per bridge */

/* OpenFlow's OFPGT_* values. */
enum vs_group_type {
	VS_GROUP_ALL = 0,
	VS_GROUP_SELECT = 1,
	VS_GROUP_INDIRECT = 2,
	VS_GROUP_FF = 3,
};

struct vs_group_ctr {
	uint64_t packets;
	uint64_t bytes;
};

struct vs_bucket {
	const struct vs_actions *acts;
	uint16_t watch_port;  /* port id, VS_PORT_NONE: none */
	uint16_t weight;      /* select */
	uint32_t watch_group; /* VS_GROUP_ANY: none */
};

struct vs_group {
	uint32_t id;
	uint8_t type; /* enum vs_group_type */
	uint16_t n_buckets;
	uint32_t ctr; /* counters: [ctr] the group's, [ctr + 1 + i] bucket i's */
	uint8_t lut[VS_GROUP_SELECT_SLOTS]; /* select: the bucket of each hash slot */
	bool lut_empty;                     /* select: every weight is 0 */
	struct vs_bucket b[];
};

/* One version of a bridge's groups: immutable once published. */
struct vs_group_set {
	uint32_t n;    /* groups */
	uint32_t mask; /* of 'idx': a power of two minus 1 */
	uint32_t n_ctr;
	struct vs_group **idx;                 /* by id, open addressing; NULL: empty */
	struct vs_group_ctr *ctr[VS_MAX_PMDS]; /* per PMD slot, n_ctr each; NULL: none */
	void *mem;                             /* the groups and their action lists */
};

/* One bucket as the control thread describes it to vs_group_set_build. */
struct vs_bucket_def {
	const struct vs_action *actions;
	uint16_t n_actions;
	uint16_t watch_port;
	uint16_t weight;
	uint32_t watch_group;
};

struct vs_group_def {
	uint32_t id;
	uint8_t type;
	uint16_t n_buckets;
	const struct vs_bucket_def *buckets;
};

struct vs_group_pmd {
	uint8_t depth; /* groups being run by this PMD right now */
	/* The rule whose group action is running (the outermost one, or the
	 * last a bucket's resubmit reached): its table, whether it is a
	 * table-miss rule, and its cookie, for the buckets' packet-ins. */
	uint8_t table;
	bool miss;
	uint64_t cookie;
} __rte_cache_aligned;

/* A bridge's group table, for the bridge's life (struct vs_bridge.groups). */
struct vs_groups {
	struct vs_group_set *set;         /* RCU; NULL: no group */
	uint64_t live[VS_MAX_PORTS / 64]; /* bit per port id: link up */
	struct vs_group_pmd pmd[VS_MAX_PMDS];
};

/* Control thread: a new version holding 'defs' (ids distinct, buckets
 * valid: the caller checked), with counters for 'n_pmds' PMD slots. 0 or
 * -ENOMEM. */
int vs_group_set_build(const struct vs_group_def *defs, uint32_t n, unsigned int n_pmds, int socket,
		       struct vs_group_set **out);
/* Control thread, once no PMD can see it (NULL is fine). */
void vs_group_set_free(struct vs_group_set *s);

/* Where the search for group 'id' starts in a set's index. */
static inline uint32_t
vs_group_slot(uint32_t id)
{
	return (id * 0x9e3779b1u) >> 8;
}

/* The group 'id' of 's', or NULL. */
static inline const struct vs_group *
vs_group_find(const struct vs_group_set *s, uint32_t id)
{
	uint32_t h;

	if (s == NULL)
		return NULL;
	for (h = vs_group_slot(id);; h++) {
		const struct vs_group *g = s->idx[h & s->mask];

		if (g == NULL || g->id == id)
			return g;
	}
}

/* Control thread: does the bridge with table 'gs' have group 'id'? (What
 * the flow table asks before it takes a rule with group:ID.) */
static inline bool
vs_groups_has(const struct vs_groups *gs, uint32_t id)
{
	return gs != NULL && vs_group_find(gs->set, id) != NULL;
}

/* Control thread: does bridge 'br' have group 'id'? The flow table asks
 * before it takes a rule with actions=group:ID (OpenFlow refuses one
 * naming a missing group: OFPBAC_BAD_OUT_GROUP). */
static inline bool
vs_groups_exist(const struct vs_bridge *br, uint32_t id)
{
	return vs_groups_has(br->groups, id);
}

/* What a group of 's' counted, over every PMD: the group ('bucket' < 0)
 * or one of its buckets. */
void vs_group_stats(const struct vs_group_set *s, const struct vs_group *g, int bucket,
		    uint64_t *packets, uint64_t *bytes);

/* Port liveness: PMDs read it, the control thread sets it. */
static inline bool
vs_groups_port_live(const struct vs_groups *gs, uint16_t port)
{
	return port < VS_MAX_PORTS &&
	       ((__atomic_load_n(&gs->live[port >> 6], __ATOMIC_RELAXED) >> (port & 63)) & 1);
}

static inline void
vs_groups_set_port_live(struct vs_groups *gs, uint16_t port, bool live)
{
	uint64_t w, bit = 1ull << (port & 63);

	if (port >= VS_MAX_PORTS)
		return;
	w = gs->live[port >> 6];
	__atomic_store_n(&gs->live[port >> 6], live ? w | bit : w & ~bit, __ATOMIC_RELAXED);
}

/* The bucket of 'g' a packet whose flow hashes to 'hash' takes (select),
 * or the first live one (fast_failover); -1: none is live. Exposed for the
 * tests. */
int vs_group_pick(const struct vs_groups *gs, const struct vs_group_set *s,
		  const struct vs_group *g, uint32_t hash);

/* The hash select groups go by: the 5-tuple of TCP, UDP and SCTP, the
 * addresses and protocol of other IP, the Ethernet addresses and type
 * of the rest. */
uint32_t vs_group_hash(const struct vs_flow_key *k);

struct vs_worker;
struct vs_port;
struct vs_flow_key;
struct rte_mbuf;
struct vs_normal_batch;

/* PMD: run the group that 'ga' (a VS_ACT_GROUP action) names, of the
 * bridge of 'in', on 'm', received on 'in'; the buckets' packet-ins carry
 * the table and cookie stamped on 'ga' (or, for a bucket's own group
 * action, those of the rule that entered the first group).
 * Takes one reference to 'm' (others may hold more: it is then read
 * only, and a bucket that rewrites it works on a copy); 'k' is its key or
 * NULL, and is not changed. Every copy ends in a tx buffer, in 'nb' or
 * dropped and counted (group_missing: no such group or chained deeper
 * than VS_GROUP_DEPTH_MAX; group_no_bucket: none live). */
void vs_group_execute(struct vs_worker *w, struct vs_port *in, const struct vs_action *ga,
		      struct rte_mbuf *m, const struct vs_flow_key *k, struct vs_normal_batch *nb);

/* PMD: the CONTROLLER action 'a' of a group bucket (VS_AF_BUCKET) with the
 * stamp of the rule that sent the packet into the group, in '*tmp'; any
 * other action as it is. */
const struct vs_action *vs_group_stamp(const struct vs_worker *w, const struct vs_port *in,
				       const struct vs_action *a, struct vs_action *tmp);

#endif
