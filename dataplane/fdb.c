/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/fdb.c: the MAC table on rte_hash (lock-free readers, one writer:
 * the control thread). Entries come from a fixed pool sized at creation, so
 * the size limit is exact and learning never allocates.
 *
 * Removal is done in batches (aging, flushes): delete the keys, wait for one
 * RCU grace period, then recycle their hash slots and entries. One wait per
 * batch, rather than rte_hash's own defer queue, so a slot is either in use
 * or free again when the batch returns, and the pool and the table never
 * disagree about how full they are. */
#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include "fdb.h"

int
vs_fdb_create(struct vs_fdb **out, const char *name, uint32_t max_entries, struct rte_rcu_qsbr *v,
	      int socket)
{
	struct rte_hash_parameters hp = {
		.name = name,
		/* Headroom: rte_hash may refuse a key in a crowded bucket
		 * before it is full; the pool enforces the exact limit. */
		.entries = max_entries < 64 ? 128 : max_entries * 2,
		.key_len = sizeof(struct vs_fdb_key),
		.hash_func = rte_hash_crc,
		.socket_id = socket,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};
	struct vs_fdb *fdb;
	uint32_t i;
	int ret;

	if (max_entries == 0)
		return -EINVAL;
	fdb = rte_zmalloc_socket("vs_fdb", sizeof(*fdb), 0, socket);
	if (fdb == NULL)
		return -ENOMEM;
	fdb->max = max_entries;
	fdb->v = v;
	/* A random start: a new table at a freed one's address must not
	 * look like it to a PMD's decision cache. */
	fdb->gen = (uint32_t)rte_rand();
	fdb->pool = rte_zmalloc_socket("vs_fdb_pool", sizeof(*fdb->pool) * max_entries,
				       RTE_CACHE_LINE_SIZE, socket);
	fdb->free = rte_malloc_socket("vs_fdb_free", sizeof(*fdb->free) * max_entries, 0, socket);
	if (fdb->pool == NULL || fdb->free == NULL) {
		ret = -ENOMEM;
		goto err_free;
	}
	for (i = 0; i < max_entries; i++)
		fdb->free[i] = max_entries - 1 - i;
	fdb->n_free = max_entries;

	fdb->h = rte_hash_create(&hp);
	if (fdb->h == NULL) {
		ret = -rte_errno;
		goto err_free;
	}
	*out = fdb;
	return 0;

err_free:
	rte_free(fdb->free);
	rte_free(fdb->pool);
	rte_free(fdb);
	return ret < 0 ? ret : -ENOMEM;
}

void
vs_fdb_destroy(struct vs_fdb *fdb)
{
	if (fdb == NULL)
		return;
	rte_hash_free(fdb->h);
	rte_free(fdb->free);
	rte_free(fdb->pool);
	rte_free(fdb);
}

void
vs_fdb_lookup_bulk(const struct vs_fdb *fdb, const void **keys, uint32_t n,
		   struct vs_fdb_entry **out)
{
	uint64_t hits = 0;
	uint32_t i;

	if (rte_hash_lookup_bulk_data(fdb->h, keys, n, &hits, (void **)out) < 0)
		hits = 0;
	for (i = 0; i < n; i++)
		if (!(hits & (1ULL << i)))
			out[i] = NULL;
}

static int
fdb_insert(struct vs_fdb *fdb, const struct vs_fdb_key *key, uint16_t port, uint32_t now,
	   bool is_static)
{
	struct vs_fdb_entry *e;
	uint32_t idx;
	int ret;

	if (fdb->n_free == 0)
		return -ENOSPC;
	idx = fdb->free[--fdb->n_free];
	e = &fdb->pool[idx];
	e->key = *key;
	e->port = port;
	e->is_static = is_static;
	e->used = now;
	e->created = now;
	/* rte_hash publishes the key with release semantics: readers that
	 * find it see the entry filled in. */
	ret = rte_hash_add_key_data(fdb->h, key, e);
	if (ret < 0) {
		fdb->free[fdb->n_free++] = idx;
		return ret;
	}
	fdb->n_live++;
	vs_fdb_changed(fdb);
	return 1;
}

int
vs_fdb_learn(struct vs_fdb *fdb, const struct vs_fdb_key *key, uint16_t port, uint32_t now)
{
	struct vs_fdb_entry *e;

	if (rte_hash_lookup_data(fdb->h, key, (void **)&e) < 0)
		return fdb_insert(fdb, key, port, now, false);
	__atomic_store_n(&e->used, now, __ATOMIC_RELAXED);
	if (e->port == port || e->is_static)
		return 0;
	__atomic_store_n(&e->port, port, __ATOMIC_RELEASE);
	vs_fdb_changed(fdb);
	return 2;
}

int
vs_fdb_add_static(struct vs_fdb *fdb, const struct vs_fdb_key *key, uint16_t port, uint32_t now)
{
	struct vs_fdb_entry *e;

	if (rte_hash_lookup_data(fdb->h, key, (void **)&e) < 0)
		return fdb_insert(fdb, key, port, now, true);
	e->is_static = true;
	__atomic_store_n(&e->port, port, __ATOMIC_RELEASE);
	vs_fdb_changed(fdb);
	return 0;
}

typedef bool fdb_pred_fn(const struct vs_fdb_entry *e, uint32_t a, uint32_t b);

struct victim {
	struct vs_fdb_key key;
	struct vs_fdb_entry *e;
	int32_t pos;
};

static unsigned int
fdb_remove_if(struct vs_fdb *fdb, fdb_pred_fn *pred, uint32_t a, uint32_t b)
{
	struct victim *vs;
	const void *key;
	void *data;
	uint32_t next = 0, n = 0, i;

	vs = malloc(sizeof(*vs) * (fdb->n_live + 1));
	if (vs == NULL)
		return 0;
	while (rte_hash_iterate(fdb->h, &key, &data, &next) >= 0)
		if (n < fdb->n_live && pred(data, a, b))
			vs[n++] =
				(struct victim){.key = *(const struct vs_fdb_key *)key, .e = data};
	for (i = 0; i < n; i++)
		vs[i].pos = rte_hash_del_key(fdb->h, &vs[i].key);
	if (n > 0) {
		vs_fdb_changed(fdb);
		rte_rcu_qsbr_synchronize(fdb->v, RTE_QSBR_THRID_INVALID);
	}
	for (i = 0; i < n; i++) {
		if (vs[i].pos < 0)
			continue;
		rte_hash_free_key_with_position(fdb->h, vs[i].pos);
		fdb->free[fdb->n_free++] = (uint32_t)(vs[i].e - fdb->pool);
		fdb->n_live--;
	}
	free(vs);
	return n;
}

static bool
is_stale(const struct vs_fdb_entry *e, uint32_t now, uint32_t aging)
{
	uint32_t used = __atomic_load_n(&e->used, __ATOMIC_RELAXED);

	return !e->is_static && now - used >= aging && now >= used;
}

static bool
is_key(const struct vs_fdb_entry *e, uint32_t lo, uint32_t hi)
{
	uint64_t k = 0;

	memcpy(&k, &e->key, sizeof(e->key));
	return (uint32_t)k == lo && (uint32_t)(k >> 32) == hi;
}

static bool
is_on_port(const struct vs_fdb_entry *e, uint32_t port, uint32_t unused)
{
	return e->port == port;
}

static bool
is_any(const struct vs_fdb_entry *e, uint32_t a, uint32_t b)
{
	return true;
}

unsigned int
vs_fdb_age(struct vs_fdb *fdb, uint32_t now, uint32_t aging)
{
	return fdb_remove_if(fdb, is_stale, now, aging);
}

unsigned int
vs_fdb_flush_port(struct vs_fdb *fdb, uint16_t port)
{
	/* Even with nothing to remove: PMDs may cache decisions naming this
	 * port, and its id may be given to another port. */
	vs_fdb_changed(fdb);
	return fdb_remove_if(fdb, is_on_port, port, 0);
}

int
vs_fdb_del(struct vs_fdb *fdb, const struct vs_fdb_key *key)
{
	uint64_t k = 0;

	memcpy(&k, key, sizeof(*key));
	return fdb_remove_if(fdb, is_key, (uint32_t)k, (uint32_t)(k >> 32)) ? 0 : -ENOENT;
}

unsigned int
vs_fdb_flush(struct vs_fdb *fdb)
{
	return fdb_remove_if(fdb, is_any, 0, 0);
}

void
vs_fdb_walk(const struct vs_fdb *fdb, vs_fdb_visit_fn *fn, void *arg)
{
	const void *key;
	void *data;
	uint32_t next = 0;

	while (rte_hash_iterate(fdb->h, &key, &data, &next) >= 0) {
		struct vs_fdb_entry copy = *(const struct vs_fdb_entry *)data;

		copy.used = __atomic_load_n(&((struct vs_fdb_entry *)data)->used, __ATOMIC_RELAXED);
		fn(&copy, arg);
	}
}

uint32_t
vs_fdb_count(const struct vs_fdb *fdb)
{
	return fdb->n_live;
}

uint32_t
vs_fdb_max(const struct vs_fdb *fdb)
{
	return fdb->max;
}
