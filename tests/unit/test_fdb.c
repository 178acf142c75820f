/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_fdb.c: the MAC table (dataplane/fdb.c): learning, moves,
 * the size limit, aging and flushes, as the control thread and PMDs use it;
 * an entry removed under a PMD (an RCU reader) is not reused until it
 * reports quiescent. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "fdb.h"
#include "harness.h"

static struct rte_rcu_qsbr *qsbr;
static unsigned int seq;

static struct vs_fdb_key
key_of(unsigned int i)
{
	struct vs_fdb_key k = {
		.mac.addr_bytes = {0x02, 0, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i, 1}};

	return k;
}

static struct vs_fdb *
make(uint32_t max)
{
	struct vs_fdb *fdb;
	char name[32];

	snprintf(name, sizeof(name), "tfdb%u", seq++);
	assert_int_equal(vs_fdb_create(&fdb, name, max, qsbr, SOCKET_ID_ANY), 0);
	return fdb;
}

static struct vs_fdb_entry *
lookup(struct vs_fdb *fdb, const struct vs_fdb_key *k)
{
	const void *keys[1] = {k};
	struct vs_fdb_entry *e[1];

	vs_fdb_lookup_bulk(fdb, keys, 1, e);
	return e[0];
}

static void
test_learn_then_lookup_finds_port(void **state)
{
	struct vs_fdb *fdb = make(64);
	struct vs_fdb_key a = key_of(1), b = key_of(2);

	assert_null(lookup(fdb, &a));
	assert_int_equal(vs_fdb_learn(fdb, &a, 3, 10), 1);
	assert_int_equal(vs_fdb_learn(fdb, &a, 3, 11), 0); /* refresh only */
	assert_non_null(lookup(fdb, &a));
	assert_int_equal(lookup(fdb, &a)->port, 3);
	assert_int_equal(lookup(fdb, &a)->used, 11);
	assert_null(lookup(fdb, &b));
	assert_int_equal(vs_fdb_count(fdb), 1);
	vs_fdb_destroy(fdb);
}

static void
test_moved_mac_follows_new_port(void **state)
{
	struct vs_fdb *fdb = make(64);
	struct vs_fdb_key a = key_of(1);

	assert_int_equal(vs_fdb_learn(fdb, &a, 3, 10), 1);
	assert_int_equal(vs_fdb_learn(fdb, &a, 7, 12), 2);
	assert_int_equal(lookup(fdb, &a)->port, 7);
	assert_int_equal(vs_fdb_count(fdb), 1);
	vs_fdb_destroy(fdb);
}

static void
test_bulk_lookup_mixes_hits_and_misses(void **state)
{
	struct vs_fdb *fdb = make(256);
	struct vs_fdb_key k[64];
	const void *keys[64];
	struct vs_fdb_entry *e[64];
	unsigned int i;

	for (i = 0; i < 64; i++) {
		k[i] = key_of(i);
		keys[i] = &k[i];
		if (i % 3 == 0)
			assert_int_equal(vs_fdb_learn(fdb, &k[i], (uint16_t)i, 1), 1);
	}
	vs_fdb_lookup_bulk(fdb, keys, 64, e);
	for (i = 0; i < 64; i++) {
		if (i % 3 == 0) {
			assert_non_null(e[i]);
			assert_int_equal(e[i]->port, i);
		} else {
			assert_null(e[i]);
		}
	}
	vs_fdb_destroy(fdb);
}

static void
test_full_table_refuses_new_macs(void **state)
{
	struct vs_fdb *fdb = make(16);
	unsigned int i;

	for (i = 0; i < 16; i++) {
		struct vs_fdb_key k = key_of(i);

		assert_int_equal(vs_fdb_learn(fdb, &k, 1, 1), 1);
	}
	struct vs_fdb_key extra = key_of(100);

	assert_int_equal(vs_fdb_learn(fdb, &extra, 1, 1), -ENOSPC);
	assert_null(lookup(fdb, &extra));
	assert_int_equal(vs_fdb_count(fdb), 16);
	/* Known MACs still refresh and move when full. */
	struct vs_fdb_key k0 = key_of(0);

	assert_int_equal(vs_fdb_learn(fdb, &k0, 2, 5), 2);
	vs_fdb_destroy(fdb);
}

static void
test_aging_removes_only_stale_entries(void **state)
{
	struct vs_fdb *fdb = make(64);
	struct vs_fdb_key a = key_of(1), b = key_of(2);

	assert_int_equal(vs_fdb_learn(fdb, &a, 1, 100), 1);
	assert_int_equal(vs_fdb_learn(fdb, &b, 1, 100), 1);
	lookup(fdb, &b)->used = 350; /* a PMD saw b again */
	assert_int_equal(vs_fdb_age(fdb, 399, 300), 0);
	assert_int_equal(vs_fdb_age(fdb, 400, 300), 1);
	assert_null(lookup(fdb, &a));
	assert_non_null(lookup(fdb, &b));
	assert_int_equal(vs_fdb_count(fdb), 1);
	vs_fdb_destroy(fdb);
}

static void
test_flush_port_keeps_other_ports(void **state)
{
	struct vs_fdb *fdb = make(64);
	unsigned int i;

	for (i = 0; i < 10; i++) {
		struct vs_fdb_key k = key_of(i);

		assert_int_equal(vs_fdb_learn(fdb, &k, (uint16_t)(i % 2), 1), 1);
	}
	assert_int_equal(vs_fdb_flush_port(fdb, 1), 5);
	assert_int_equal(vs_fdb_count(fdb), 5);
	for (i = 0; i < 10; i++) {
		struct vs_fdb_key k = key_of(i);

		if (i % 2)
			assert_null(lookup(fdb, &k));
		else
			assert_non_null(lookup(fdb, &k));
	}
	assert_int_equal(vs_fdb_flush(fdb), 5);
	assert_int_equal(vs_fdb_count(fdb), 0);
	vs_fdb_destroy(fdb);
}

struct flusher {
	struct vs_fdb *fdb;
	struct vs_fdb_key next;
	unsigned int flushed;
	int learnt;
	bool done;
};

/* The control thread: forget everything, then learn a new MAC, which can
 * only take the entry just freed. */
static void *
flush_then_learn(void *arg)
{
	struct flusher *fl = arg;

	fl->flushed = vs_fdb_flush(fl->fdb);
	fl->learnt = vs_fdb_learn(fl->fdb, &fl->next, 2, 1);
	__atomic_store_n(&fl->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static void
test_freed_entries_are_reused_after_grace_period(void **state)
{
	struct vs_fdb *fdb = make(1);
	struct vs_fdb_key a = key_of(1);
	struct flusher fl = {.fdb = fdb, .next = key_of(2)};
	struct vs_fdb_entry *e;
	uint64_t token = __atomic_load_n(&qsbr->token, __ATOMIC_ACQUIRE);
	pthread_t t;
	unsigned int round, i;
	bool waited, kept, counted;
	int spins;

	/* This thread is a PMD (RCU reader 0) holding a's entry. */
	assert_int_equal(vs_fdb_learn(fdb, &a, 1, 0), 1);
	assert_int_equal(rte_rcu_qsbr_thread_register(qsbr, 0), 0);
	rte_rcu_qsbr_thread_online(qsbr, 0);
	e = lookup(fdb, &a);
	assert_non_null(e);
	assert_int_equal(pthread_create(&t, NULL, flush_then_learn, &fl), 0);
	/* The flush starts a grace period (the token moves) and must wait in
	 * it: finishing before would recycle the entry under the reader. */
	for (spins = 0; spins < 10000 && !__atomic_load_n(&fl.done, __ATOMIC_ACQUIRE) &&
			__atomic_load_n(&qsbr->token, __ATOMIC_ACQUIRE) == token;
	     spins++)
		usleep(1000);
	/* Look, end the grace period, then judge: a failed assertion must
	 * not leave the flusher waiting on a reader that never returns. */
	waited = !__atomic_load_n(&fl.done, __ATOMIC_ACQUIRE) &&
		 __atomic_load_n(&qsbr->token, __ATOMIC_ACQUIRE) != token;
	kept = memcmp(&e->key, &a, sizeof(a)) == 0 && e->port == 1;
	counted = vs_fdb_count(fdb) == 1; /* not yet given back to the pool */
	/* Quiescent: the grace period ends, the entry is free, b takes it. */
	rte_rcu_qsbr_quiescent(qsbr, 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	rte_rcu_qsbr_thread_offline(qsbr, 0);
	assert_int_equal(rte_rcu_qsbr_thread_unregister(qsbr, 0), 0);
	assert_true(waited); /* the flush waited for the reader */
	assert_true(kept);   /* still a's entry, on port 1, meanwhile */
	assert_true(counted);
	assert_int_equal(fl.flushed, 1);
	assert_int_equal(fl.learnt, 1);
	assert_memory_equal(&e->key, &fl.next, sizeof(fl.next));
	assert_int_equal(e->port, 2);
	assert_null(lookup(fdb, &a));
	vs_fdb_destroy(fdb);

	/* Fill, flush, refill, many times: entries come back to the pool. */
	fdb = make(16);
	for (round = 0; round < 20; round++) {
		for (i = 0; i < 16; i++) {
			struct vs_fdb_key k = key_of(round * 100 + i);

			assert_int_equal(vs_fdb_learn(fdb, &k, 1, round), 1);
		}
		assert_int_equal(vs_fdb_flush(fdb), 16);
	}
	vs_fdb_destroy(fdb);
}

struct walk {
	unsigned int n;
	unsigned int port_sum;
};

static void
visit(const struct vs_fdb_entry *e, void *arg)
{
	struct walk *w = arg;

	w->n++;
	w->port_sum += e->port;
}

static void
test_walk_visits_every_entry(void **state)
{
	struct vs_fdb *fdb = make(64);
	struct walk w = {0};
	unsigned int i;

	for (i = 1; i <= 10; i++) {
		struct vs_fdb_key k = key_of(i);

		vs_fdb_learn(fdb, &k, (uint16_t)i, 1);
	}
	vs_fdb_walk(fdb, visit, &w);
	assert_int_equal(w.n, 10);
	assert_int_equal(w.port_sum, 55);
	vs_fdb_destroy(fdb);
}

static void
test_vlan_is_part_of_the_key(void **state)
{
	struct vs_fdb *fdb = make(64);
	struct vs_fdb_key a = key_of(1), a10 = key_of(1);

	a10.vlan = 10;
	assert_int_equal(vs_fdb_learn(fdb, &a, 1, 1), 1);
	assert_int_equal(vs_fdb_learn(fdb, &a10, 2, 1), 1);
	assert_int_equal(lookup(fdb, &a)->port, 1);
	assert_int_equal(lookup(fdb, &a10)->port, 2);
	vs_fdb_destroy(fdb);
}

static void
test_static_entries_are_never_aged_or_moved(void **state)
{
	struct vs_fdb *fdb = make(64);
	struct vs_fdb_key a = key_of(1), b = key_of(2);

	assert_int_equal(vs_fdb_add_static(fdb, &a, 4, 100), 1);
	assert_int_equal(vs_fdb_learn(fdb, &a, 9, 101), 0); /* seen elsewhere: stays */
	assert_int_equal(lookup(fdb, &a)->port, 4);
	assert_true(lookup(fdb, &a)->is_static);
	assert_int_equal(vs_fdb_learn(fdb, &b, 5, 100), 1);
	assert_int_equal(vs_fdb_age(fdb, 100000, 300), 1); /* only b */
	assert_non_null(lookup(fdb, &a));
	/* Making a learnt entry static pins it; deleting removes either kind. */
	assert_int_equal(vs_fdb_learn(fdb, &b, 5, 100), 1);
	assert_int_equal(vs_fdb_add_static(fdb, &b, 6, 100), 0);
	assert_int_equal(lookup(fdb, &b)->port, 6);
	assert_int_equal(vs_fdb_del(fdb, &a), 0);
	assert_int_equal(vs_fdb_del(fdb, &a), -ENOENT);
	assert_null(lookup(fdb, &a));
	assert_int_equal(vs_fdb_count(fdb), 1);
	vs_fdb_destroy(fdb);
}

static int
group_setup(void **state)
{
	if (harness_eal_init() < 0)
		return -1;
	qsbr = rte_zmalloc(NULL, rte_rcu_qsbr_get_memsize(4), RTE_CACHE_LINE_SIZE);
	return qsbr ? rte_rcu_qsbr_init(qsbr, 4) : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learn_then_lookup_finds_port),
		cmocka_unit_test(test_moved_mac_follows_new_port),
		cmocka_unit_test(test_bulk_lookup_mixes_hits_and_misses),
		cmocka_unit_test(test_full_table_refuses_new_macs),
		cmocka_unit_test(test_aging_removes_only_stale_entries),
		cmocka_unit_test(test_flush_port_keeps_other_ports),
		cmocka_unit_test(test_freed_entries_are_reused_after_grace_period),
		cmocka_unit_test(test_walk_visits_every_entry),
		cmocka_unit_test(test_vlan_is_part_of_the_key),
		cmocka_unit_test(test_static_entries_are_never_aged_or_moved),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
