/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/fdb.h: a bridge's MAC table (forwarding database).
 *
 * PMDs look MACs up in bulk without locks; only the control thread adds,
 * moves and removes entries (PMDs ask it to learn through a ring, see
 * worker.h). Built on rte_hash in lock-free read mode; a removed entry is
 * recycled after an RCU grace period, so a PMD holding an entry pointer
 * never sees it reused for another MAC. */
#ifndef VS_FDB_H
#define VS_FDB_H

#include <stdbool.h>
#include <stdint.h>
#include <rte_ether.h>
#include <rte_rcu_qsbr.h>

#define VS_FDB_MAX_DEFAULT   8192
#define VS_FDB_AGING_DEFAULT 300 /* seconds, as 802.1D, Linux and OVS */

/* 8 bytes: the MAC and the VLAN it was seen on (0 until VLANs exist). */
struct vs_fdb_key {
	struct rte_ether_addr mac;
	uint16_t vlan;
};
_Static_assert(sizeof(struct vs_fdb_key) == 8, "no padding in MAC table keys");

struct vs_fdb_entry {
	struct vs_fdb_key key;
	uint16_t port;     /* written by the control thread (moves) */
	uint8_t is_static; /* set by the operator: never aged, never moved */
	uint32_t used;     /* seconds; refreshed by PMDs when they see the source */
	uint32_t created;  /* seconds */
};

struct rte_hash;

/* Public so PMDs can read 'gen' inline; everything else is fdb.c's. */
struct vs_fdb {
	/* Bumped on every change a PMD's cached decision could depend on:
	 * an entry added, moved, removed, made static. Only through
	 * vs_fdb_gen (acquire, PMDs) and vs_fdb_changed (release, control
	 * thread), which pair: a PMD that sees the new generation sees the
	 * table change made before it. */
	uint32_t gen;
	struct rte_hash *h;
	struct rte_rcu_qsbr *v;
	struct vs_fdb_entry *pool;
	uint32_t *free; /* stack of free pool indexes */
	uint32_t n_free;
	uint32_t n_live; /* keys in the table; freed slots may still await RCU */
	uint32_t max;
};

static inline uint32_t
vs_fdb_gen(const struct vs_fdb *fdb)
{
	return __atomic_load_n(&fdb->gen, __ATOMIC_ACQUIRE);
}

/* Control thread, before the change is visible... or right after: a PMD
 * that saw the old generation only uses what it cached within the RCU
 * grace period that protects the change. */
static inline void
vs_fdb_changed(struct vs_fdb *fdb)
{
	__atomic_store_n(&fdb->gen, fdb->gen + 1, __ATOMIC_RELEASE);
}

/* Control thread. 'v' is the switch's RCU variable, 'socket' the NUMA node. */
int vs_fdb_create(struct vs_fdb **out, const char *name, uint32_t max_entries,
		  struct rte_rcu_qsbr *v, int socket);
void vs_fdb_destroy(struct vs_fdb *fdb);

/* PMD: look up 'n' (<= 64) keys; out[i] is the entry or NULL. */
void vs_fdb_lookup_bulk(const struct vs_fdb *fdb, const void **keys, uint32_t n,
			struct vs_fdb_entry **out);

/* Control thread: learn 'key' on 'port' at time 'now'. Returns 1 if a new
 * entry was added, 2 if an existing one moved port, 0 if only refreshed
 * (or the entry is static), -ENOSPC when the table is full. */
int vs_fdb_learn(struct vs_fdb *fdb, const struct vs_fdb_key *key, uint16_t port, uint32_t now);

/* Control thread: add or replace a static entry (the operator's), or
 * remove one entry, static or learnt (-ENOENT if absent). */
int vs_fdb_add_static(struct vs_fdb *fdb, const struct vs_fdb_key *key, uint16_t port,
		      uint32_t now);
int vs_fdb_del(struct vs_fdb *fdb, const struct vs_fdb_key *key);

/* Control thread: remove learnt entries not used for 'aging' seconds, or
 * all of one port's, or all. Each returns the number removed. */
unsigned int vs_fdb_age(struct vs_fdb *fdb, uint32_t now, uint32_t aging);
unsigned int vs_fdb_flush_port(struct vs_fdb *fdb, uint16_t port);
unsigned int vs_fdb_flush(struct vs_fdb *fdb);

/* Control thread: visit every entry (copies, safe to keep). */
typedef void vs_fdb_visit_fn(const struct vs_fdb_entry *e, void *arg);
void vs_fdb_walk(const struct vs_fdb *fdb, vs_fdb_visit_fn *fn, void *arg);

uint32_t vs_fdb_count(const struct vs_fdb *fdb);
uint32_t vs_fdb_max(const struct vs_fdb *fdb);

#endif
