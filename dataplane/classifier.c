/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/classifier.c: tuple space search, changed in place.
 *
 * Each subtable (one per distinct mask) is an rte_hash created with
 * RW_CONCURRENCY_LF and EXT_TABLE: PMDs look up without locks while the
 * control thread adds and deletes keys, and an insert never fails for
 * want of a cuckoo path, only when the key slots run out; then the
 * subtable gets a hash twice as big, filled from the old one and
 * published in a new view, the old one freed after a grace period. The
 * hash's data is the head of the chain of rules with that masked key,
 * best first; changing the head is one atomic data update in the hash.
 *
 * Deferred frees: everything a reader may still hold (an entry, an action
 * list, a key slot, a view, a hash, a subtable) goes on a FIFO limbo list
 * with a token from rte_rcu_qsbr_start; vs_cls_reclaim frees from the
 * front while rte_rcu_qsbr_check says every reader has passed it. Tokens
 * only grow, so the list is in token order. Without a qsbr (no readers)
 * things are freed at once.
 *
 * Change log: each new generation is first written to the ring c->log
 * (what changed, for the PMDs' caches: classifier.h), then published in
 * c->log_head and c->gen, in that order (release), so a reader that saw
 * a generation finds its record, and the change itself, before it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "classifier.h"

#define SUB_MIN_KEYS 16

/* A subtable, as the writer keeps it. */
struct vs_cls_sub {
	struct vs_cls_sub *next; /* c->subs */
	struct rte_hash *h;
	uint32_t capacity; /* keys 'h' was created for */
	uint32_t n_rules;
	uint64_t bound;
	uint64_t hash_bytes;
	uint16_t view_idx; /* its place in c->view */
	uint8_t n_words;
	uint8_t words[VS_KEY_WORDS];
	uint64_t mask[VS_KEY_WORDS];
	struct vs_flow_key full_mask;
	struct vs_cls_limbo limbo;
};

/* An action list with what frees it. */
struct act_box {
	struct vs_cls_limbo limbo;
	uint64_t size;
	struct vs_actions a __rte_aligned(8);
};

/* An old hash waiting for its readers. */
struct old_hash {
	struct vs_cls_limbo limbo;
	struct rte_hash *h;
	uint64_t bytes;
};

/* rte_hash names are process-wide; generations are unique across tables. */
static uint32_t hash_seq;
static uint64_t gen_seq;

#define CONTAINER(p, type, member) ((type *)((char *)(p)-offsetof(type, member)))

/* ---- deferred frees ---- */

static void
defer(struct vs_cls *c, struct vs_cls_limbo *l, void (*fn)(struct vs_cls *, struct vs_cls_limbo *))
{
	l->fn = fn;
	l->next = NULL;
	if (c->conf.qsbr == NULL) {
		fn(c, l);
		return;
	}
	l->token = rte_rcu_qsbr_start(c->conf.qsbr);
	*c->limbo_tail = l;
	c->limbo_tail = &l->next;
}

void
vs_cls_reclaim(struct vs_cls *c)
{
	struct vs_cls_limbo *l;

	if (c == NULL)
		return;
	while ((l = c->limbo_head) != NULL &&
	       (c->conf.qsbr == NULL || rte_rcu_qsbr_check(c->conf.qsbr, l->token, false) == 1)) {
		c->limbo_head = l->next;
		if (c->limbo_head == NULL)
			c->limbo_tail = &c->limbo_head;
		l->fn(c, l);
	}
}

/* DPDK's heap is not ASan's: freed memory is filled with garbage, so that
 * a reader reaching it too early reads nonsense a test can see. */
static void
poison(void *p, size_t len)
{
	memset(p, 0xa5, len);
}

static void
free_acts(struct vs_cls *c, struct vs_cls_limbo *l)
{
	struct act_box *b = CONTAINER(l, struct act_box, limbo);

	c->bytes -= b->size;
	poison(b, b->size);
	rte_free(b);
}

static void
free_entry(struct vs_cls *c, struct vs_cls_limbo *l)
{
	struct vs_cls_entry *e = CONTAINER(l, struct vs_cls_entry, limbo);

	if (e->free_pos >= 0)
		rte_hash_free_key_with_position(e->free_h, e->free_pos);
	free_acts(c, &CONTAINER((void *)(uintptr_t)e->acts, struct act_box, a)->limbo);
	c->bytes -= sizeof(*e);
	poison(e, sizeof(*e));
	rte_free(e);
}

static void
free_view(struct vs_cls *c, struct vs_cls_limbo *l)
{
	struct vs_cls_view *v = CONTAINER(l, struct vs_cls_view, limbo);

	c->bytes -= sizeof(*v) + sizeof(v->sub[0]) * v->n_sub;
	poison(v, sizeof(*v) + sizeof(v->sub[0]) * v->n_sub);
	rte_free(v);
}

static void
free_old_hash(struct vs_cls *c, struct vs_cls_limbo *l)
{
	struct old_hash *o = CONTAINER(l, struct old_hash, limbo);

	rte_hash_free(o->h);
	c->bytes -= o->bytes + sizeof(*o);
	free(o);
}

static void
free_sub(struct vs_cls *c, struct vs_cls_limbo *l)
{
	struct vs_cls_sub *s = CONTAINER(l, struct vs_cls_sub, limbo);

	rte_hash_free(s->h);
	c->bytes -= s->hash_bytes + sizeof(*s);
	rte_free(s);
}

/* ---- memory ---- */

static uint64_t
heap_used(int socket)
{
	struct rte_malloc_socket_stats st;

	if (rte_malloc_get_socket_stats(socket < 0 ? 0 : socket, &st) < 0)
		return 0;
	return st.heap_allocsz_bytes;
}

static struct act_box *
acts_new(struct vs_cls *c, const struct vs_action *a, uint16_t n)
{
	size_t size = offsetof(struct act_box, a) + vs_actions_size(n);
	struct act_box *b = rte_malloc_socket("vs_cls_act", size, 8, c->conf.socket);

	if (b == NULL)
		return NULL;
	b->size = size;
	vs_actions_init(&b->a, a, n);
	c->bytes += size;
	return b;
}

static struct rte_hash *
hash_new(struct vs_cls *c, uint32_t keys, uint8_t n_words, uint64_t *bytes)
{
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters hp = {
		.name = name,
		.entries = keys,
		.key_len = n_words * sizeof(uint64_t),
		.hash_func = rte_hash_crc,
		.socket_id = c->conf.socket,
		.extra_flag =
			RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	uint64_t before = heap_used(c->conf.socket);
	struct rte_hash *h;

	snprintf(name, sizeof(name), "vs_cls_%u",
		 __atomic_add_fetch(&hash_seq, 1, __ATOMIC_RELAXED));
	h = rte_hash_create(&hp);
	if (h == NULL)
		return NULL;
	*bytes = heap_used(c->conf.socket) - before;
	c->bytes += *bytes;
	return h;
}

/* ---- the view ---- */

/* A new generation (even, unique across tables), logged as 'kind' with
 * 'key' (EXACT: VS_CLS_LOG_WORDS words), after the change it stands for. */
static void
log_change(struct vs_cls *c, enum vs_cls_change_kind kind, const uint64_t *key)
{
	uint64_t gen = __atomic_add_fetch(&gen_seq, 2, __ATOMIC_RELAXED), k = c->log_head;
	struct vs_cls_change *r = &c->log[k & (VS_CLS_LOG_SIZE - 1)];
	unsigned int i;

	/* Seqlock: a reader copying the old record meanwhile sees 'idx' move. */
	__atomic_store_n(&r->idx, UINT64_MAX, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&r->gen, gen, __ATOMIC_RELAXED);
	__atomic_store_n(&r->kind, (uint64_t)kind, __ATOMIC_RELAXED);
	for (i = 0; i < VS_CLS_LOG_WORDS; i++)
		__atomic_store_n(&r->key[i], kind == VS_CLS_CHANGE_EXACT ? key[i] : 0,
				 __ATOMIC_RELAXED);
	__atomic_store_n(&r->idx, k, __ATOMIC_RELEASE);
	__atomic_store_n(&c->log_head, k + 1, __ATOMIC_RELEASE);
	__atomic_store_n(&c->gen, gen, __ATOMIC_RELEASE);
}

/* Log a rule of 'c' coming or going: EXACT if its mask is the view's
 * whole 'used' mask (then only its own key's answer can change), else ANY. */
static void
log_rule(struct vs_cls *c, const struct vs_cls_entry *e)
{
	const struct vs_cls_view *v = c->view;
	const vs_key_word *m = vs_key_words(&e->sub->full_mask);
	uint64_t key[VS_CLS_LOG_WORDS] = {0};
	unsigned int w;

	for (w = 0; w < VS_KEY_WORDS; w++)
		if (m[w] != v->used[w])
			break;
	if (w < VS_KEY_WORDS || v->n_used_words > VS_CLS_LOG_WORDS) {
		log_change(c, VS_CLS_CHANGE_ANY, NULL);
		return;
	}
	/* The same mask: its words are the used ones, in the same order
	 * (none for a match-all in an otherwise empty table). */
	memcpy(key, e->key, v->n_used_words * sizeof(key[0]));
	log_change(c, VS_CLS_CHANGE_EXACT, key);
}

static int
cmp_bound(const void *a, const void *b)
{
	const struct vs_cls_sub *x = *(struct vs_cls_sub *const *)a,
				*y = *(struct vs_cls_sub *const *)b;

	return x->bound < y->bound ? 1 : x->bound > y->bound ? -1 : 0;
}

/* Publish a view of the subtables that hold rules, best bound first, and
 * queue the subtables that hold none and the old view. */
static int
publish_view(struct vs_cls *c)
{
	struct vs_cls_sub *order[c->n_sub + 1], *s, **pp;
	struct vs_cls_view *v, *old = c->view;
	unsigned int n = 0, i, w;
	size_t size;

	for (s = c->subs; s != NULL; s = s->next)
		if (s->n_rules > 0)
			order[n++] = s;
	size = sizeof(*v) + sizeof(v->sub[0]) * n;
	v = rte_zmalloc_socket("vs_cls_view", size, RTE_CACHE_LINE_SIZE, c->conf.socket);
	if (v == NULL)
		return -ENOMEM;
	c->bytes += size;
	qsort(order, n, sizeof(order[0]), cmp_bound);
	v->n_sub = (uint16_t)n;
	for (i = 0; i < n; i++) {
		struct vs_cls_subview *sv = &v->sub[i];

		s = order[i];
		s->view_idx = (uint16_t)i;
		sv->h = s->h;
		sv->bound = s->bound;
		sv->n_words = s->n_words;
		memcpy(sv->words, s->words, sizeof(sv->words));
		memcpy(sv->mask, s->mask, sizeof(sv->mask));
		for (w = 0; w < VS_KEY_WORDS; w++)
			v->used[w] |= vs_key_words(&s->full_mask)[w];
	}
	for (w = 0; w < VS_KEY_WORDS; w++)
		if (v->used[w] != 0)
			v->used_word[v->n_used_words++] = (uint8_t)w;
	/* Only in_port (the first 16 bits of word 0) is looked at. */
	v->in_port_only = v->used[0] == (v->used[0] & 0xffff);
	for (w = 1; w < VS_KEY_WORDS; w++)
		v->in_port_only = v->in_port_only && v->used[w] == 0;
	/* Odd while the view changes, as a seqlock: a PMD that read the
	 * generation on both sides of its view and saw it even and equal
	 * knows the view and the generation go together (vs_emc_lookup). */
	__atomic_store_n(&c->gen, c->gen | 1, __ATOMIC_RELEASE);
	vs_rcu_assign((void **)&c->view, v);
	/* The same 'used' mask: cached keys and answers stay as they are. */
	log_change(c,
		   old != NULL && !memcmp(old->used, v->used, sizeof(v->used)) ? VS_CLS_CHANGE_NONE
									       : VS_CLS_CHANGE_ANY,
		   NULL);
	if (old != NULL)
		defer(c, &old->limbo, free_view);
	for (pp = &c->subs; (s = *pp) != NULL;) {
		if (s->n_rules > 0) {
			pp = &s->next;
			continue;
		}
		*pp = s->next;
		c->n_sub--;
		defer(c, &s->limbo, free_sub);
	}
	return 0;
}

/* ---- create, destroy ---- */

int
vs_cls_create(const struct vs_cls_conf *conf, struct vs_cls **out)
{
	struct vs_cls *c =
		rte_zmalloc_socket("vs_cls", sizeof(*c), RTE_CACHE_LINE_SIZE, conf->socket);
	unsigned int i;
	int ret;

	if (c == NULL)
		return -ENOMEM;
	c->conf = *conf;
	c->limbo_tail = &c->limbo_head;
	c->gen = __atomic_add_fetch(&gen_seq, 2, __ATOMIC_RELAXED);
	c->uid = c->gen;
	c->bytes = sizeof(*c) + sizeof(c->log[0]) * VS_CLS_LOG_SIZE;
	c->log = rte_malloc_socket("vs_cls_log", sizeof(c->log[0]) * VS_CLS_LOG_SIZE,
				   RTE_CACHE_LINE_SIZE, conf->socket);
	if (c->log == NULL) {
		rte_free(c);
		return -ENOMEM;
	}
	for (i = 0; i < VS_CLS_LOG_SIZE; i++)
		c->log[i].idx = UINT64_MAX; /* no record yet */
	ret = publish_view(c);              /* record 0 */
	if (ret < 0) {
		rte_free(c->log);
		rte_free(c);
		return ret;
	}
	*out = c;
	return 0;
}

void
vs_cls_destroy(struct vs_cls *c)
{
	struct vs_cls_sub *s, *next;
	const void *key;
	void *data;
	uint32_t it;

	if (c == NULL)
		return;
	c->conf.qsbr = NULL; /* no reader left: free everything now */
	vs_cls_reclaim(c);
	for (s = c->subs; s != NULL; s = next) {
		next = s->next;
		for (it = 0; rte_hash_iterate(s->h, &key, &data, &it) >= 0;) {
			struct vs_cls_entry *e = data, *en;

			for (; e != NULL; e = en) {
				en = e->next;
				e->free_pos = -1;
				free_entry(c, &e->limbo);
			}
		}
		free_sub(c, &s->limbo);
	}
	if (c->view != NULL)
		free_view(c, &c->view->limbo);
	rte_free(c->log);
	rte_free(c);
}

/* ---- changes ---- */

static void
compact(const uint8_t *words, const uint64_t *mask, uint8_t n_words, const struct vs_flow_key *key,
	uint64_t *out)
{
	const vs_key_word *w = vs_key_words(key);
	unsigned int i;

	for (i = 0; i < n_words; i++)
		out[i] = w[words[i]] & mask[i];
}

static struct vs_cls_sub *
sub_find(const struct vs_cls *c, const struct vs_flow_key *mask)
{
	struct vs_cls_sub *s;

	for (s = c->subs; s != NULL; s = s->next)
		if (memcmp(&s->full_mask, mask, sizeof(*mask)) == 0)
			return s;
	return NULL;
}

static struct vs_cls_sub *
sub_new(struct vs_cls *c, const struct vs_flow_key *mask)
{
	const vs_key_word *m = vs_key_words(mask);
	struct vs_cls_sub *s;
	unsigned int i;

	s = rte_zmalloc_socket("vs_cls_sub", sizeof(*s), RTE_CACHE_LINE_SIZE, c->conf.socket);
	if (s == NULL)
		return NULL;
	s->full_mask = *mask;
	for (i = 0; i < VS_KEY_WORDS; i++)
		if (m[i] != 0) {
			s->words[s->n_words] = (uint8_t)i;
			s->mask[s->n_words++] = m[i];
		}
	/* A match-all rule has no words: key it by one zero word. */
	if (s->n_words == 0)
		s->n_words = 1;
	s->capacity = SUB_MIN_KEYS;
	s->h = hash_new(c, s->capacity, s->n_words, &s->hash_bytes);
	if (s->h == NULL) {
		rte_free(s);
		return NULL;
	}
	c->bytes += sizeof(*s);
	return s;
}

/* A hash twice the size of the keys 's' holds, with all of them, then
 * published; the old one goes after a grace period. */
static int
sub_grow(struct vs_cls *c, struct vs_cls_sub *s, bool published)
{
	uint32_t n = (uint32_t)rte_hash_count(s->h),
		 cap = RTE_MAX((uint32_t)SUB_MIN_KEYS, 2 * (n + 1)), it;
	struct old_hash *o = malloc(sizeof(*o));
	struct rte_hash *h, *old = s->h;
	uint64_t bytes, old_bytes = s->hash_bytes;
	const void *key;
	void *data;
	int ret = 0;

	if (o == NULL)
		return -ENOMEM;
	h = hash_new(c, cap, s->n_words, &bytes);
	if (h == NULL) {
		free(o);
		return -ENOMEM;
	}
	for (it = 0; ret >= 0 && rte_hash_iterate(old, &key, &data, &it) >= 0;)
		ret = rte_hash_add_key_data(h, key, data);
	s->h = h;
	s->hash_bytes = bytes;
	s->capacity = cap;
	if (ret >= 0 && published)
		ret = publish_view(c);
	if (ret < 0) {
		s->h = old;
		s->hash_bytes = old_bytes;
		rte_hash_free(h);
		c->bytes -= bytes;
		free(o);
		return ret;
	}
	o->h = old;
	o->bytes = old_bytes;
	c->bytes += sizeof(*o);
	defer(c, &o->limbo, free_old_hash);
	return 0;
}

/* Add 'e' as a new key of 's': reclaiming key slots, then growing, when full. */
static int
sub_add_key(struct vs_cls *c, struct vs_cls_sub *s, struct vs_cls_entry *e, bool published)
{
	int ret = rte_hash_add_key_data(s->h, e->key, e);

	if (ret == -ENOSPC) {
		vs_cls_reclaim(c);
		ret = rte_hash_add_key_data(s->h, e->key, e);
	}
	if (ret == -ENOSPC) {
		ret = sub_grow(c, s, published);
		if (ret == 0)
			ret = rte_hash_add_key_data(s->h, e->key, e);
	}
	return ret < 0 ? ret : 0;
}

/* Link 'e' into its chain, or as a new key. */
static int
sub_link(struct vs_cls *c, struct vs_cls_sub *s, struct vs_cls_entry *e, bool published)
{
	struct vs_cls_entry *head, *p;
	void *data;

	if (rte_hash_lookup_data(s->h, e->key, &data) < 0)
		return sub_add_key(c, s, e, published);
	head = data;
	if (e->score > head->score) {
		e->next = head;
		/* An existing key: the data is replaced (atomically), no slot taken. */
		return rte_hash_add_key_data(s->h, e->key, e);
	}
	for (p = head; p->next != NULL && p->next->score > e->score; p = p->next)
		;
	e->next = p->next;
	p->next = e;
	return 0;
}

/* The table's one rule if it is a match-all NORMAL. */
static void
update_normal_only(struct vs_cls *c)
{
	const struct vs_cls_entry *e = NULL;
	struct vs_cls_sub *s = c->subs;
	const void *key;
	void *data;
	uint32_t it = 0;

	if (c->n_rules == 1 && c->n_sub == 1 && s->n_words == 1 && s->mask[0] == 0 &&
	    rte_hash_iterate(s->h, &key, &data, &it) >= 0) {
		e = data;
		if (e->acts->kind != VS_ACTS_NORMAL)
			e = NULL;
	}
	if (e != c->normal_only)
		vs_rcu_assign((void **)&c->normal_only, (void *)(uintptr_t)e);
}

/* Raise the bound of a published subtable: in place if the order holds,
 * else in a new view. Before the rule is linked, so that no lookup skips
 * the subtable for a bound that is too low. */
static int
raise_bound(struct vs_cls *c, struct vs_cls_sub *s, uint64_t score)
{
	struct vs_cls_view *v = c->view;
	uint64_t old = s->bound;
	int ret;

	if (score <= s->bound)
		return 0;
	s->bound = score;
	if (s->view_idx == 0 || v->sub[s->view_idx - 1].bound >= score) {
		__atomic_store_n(&v->sub[s->view_idx].bound, score, __ATOMIC_RELEASE);
		return 0;
	}
	ret = publish_view(c);
	if (ret < 0)
		s->bound = old;
	return ret;
}

int
vs_cls_insert(struct vs_cls *c, const struct vs_flow_match *m, uint16_t priority, uint32_t seq,
	      const struct vs_action *a, uint16_t n_actions, uint32_t id, struct vs_cls_entry **out)
{
	struct vs_cls_sub *s = sub_find(c, &m->mask);
	bool fresh = s == NULL;
	struct vs_cls_entry *e;
	struct act_box *b;
	int ret;

	if (n_actions > VS_ACTIONS_MAX)
		return -EINVAL;
	e = rte_zmalloc_socket("vs_cls_entry", sizeof(*e), RTE_CACHE_LINE_SIZE, c->conf.socket);
	if (e != NULL)
		c->bytes += sizeof(*e);
	b = acts_new(c, a, n_actions);
	if (fresh)
		s = sub_new(c, &m->mask);
	if (e == NULL || b == NULL || s == NULL) {
		ret = -ENOMEM;
		goto fail;
	}
	e->score = vs_cls_score(priority, seq);
	e->acts = &b->a;
	e->id = id;
	e->table_id = c->conf.table_id;
	e->free_pos = -1;
	e->sub = s;
	e->n_words = s->n_words;
	compact(s->words, s->mask, s->n_words, &m->key, e->key);
	/* A second rule: not the learning bridge alone any more. */
	if (c->normal_only != NULL)
		vs_rcu_assign((void **)&c->normal_only, NULL);
	if (fresh) {
		s->bound = e->score;
		ret = sub_link(c, s, e, false);
		if (ret == 0) {
			s->next = c->subs;
			c->subs = s;
			c->n_sub++;
			s->n_rules = 1;
			ret = publish_view(c);
			if (ret < 0) {
				c->subs = s->next;
				c->n_sub--;
			}
		}
	} else {
		ret = raise_bound(c, s, e->score);
		if (ret == 0)
			ret = sub_link(c, s, e, true);
		if (ret == 0)
			s->n_rules++;
	}
	if (ret < 0)
		goto fail;
	c->n_rules++;
	log_rule(c, e);
	update_normal_only(c);
	*out = e;
	return 0;
fail:
	update_normal_only(c);
	if (fresh && s != NULL) {
		rte_hash_free(s->h);
		c->bytes -= s->hash_bytes + sizeof(*s);
		rte_free(s);
	}
	if (b != NULL)
		free_acts(c, &b->limbo);
	if (e != NULL)
		c->bytes -= sizeof(*e);
	rte_free(e);
	return ret;
}

int
vs_cls_set_actions(struct vs_cls *c, struct vs_cls_entry *e, const struct vs_action *a,
		   uint16_t n_actions)
{
	struct act_box *b, *old = CONTAINER((void *)(uintptr_t)e->acts, struct act_box, a);

	if (n_actions > VS_ACTIONS_MAX)
		return -EINVAL;
	b = acts_new(c, a, n_actions);
	if (b == NULL)
		return -ENOMEM;
	/* NORMAL no more: PMDs stop taking the shortcut before the change. */
	if (c->normal_only == e && b->a.kind != VS_ACTS_NORMAL)
		vs_rcu_assign((void **)&c->normal_only, NULL);
	vs_rcu_assign((void **)&e->acts, &b->a);
	defer(c, &old->limbo, free_acts);
	update_normal_only(c);
	return 0;
}

void
vs_cls_remove(struct vs_cls *c, struct vs_cls_entry *e)
{
	struct vs_cls_sub *s = e->sub;
	struct vs_cls_entry *head, *p;
	void *data;
	int32_t pos;

	if (c->normal_only == e)
		vs_rcu_assign((void **)&c->normal_only, NULL);
	if (rte_hash_lookup_data(s->h, e->key, &data) >= 0) {
		head = data;
		if (head == e && e->next != NULL) {
			rte_hash_add_key_data(s->h, e->key,
					      e->next); /* existing key: cannot fail */
		} else if (head == e) {
			pos = rte_hash_del_key(s->h, e->key);
			if (pos >= 0) { /* the slot is freed with the entry */
				e->free_pos = pos;
				e->free_h = s->h;
			}
		} else {
			for (p = head; p->next != NULL && p->next != e; p = p->next)
				;
			if (p->next == e)
				p->next = e->next;
		}
	}
	s->n_rules--;
	c->n_rules--;
	/* The EMC's entries that point at 'e' die with the generation (its
	 * record tells which), and the token is taken after: a PMD still
	 * using them is waited for, and replays the record before it uses
	 * its cache again. */
	log_rule(c, e);
	/* Queued before its subtable may be: its key slot is freed first. */
	defer(c, &e->limbo, free_entry);
	/* An empty subtable leaves the view (if that fails, it stays empty in
	 * it, costing a probe, until the next view). */
	if (s->n_rules == 0)
		publish_view(c);
	update_normal_only(c);
}

/* ---- lookups ---- */

static inline void
lookup(const struct vs_cls *c, const struct vs_flow_key *keys,
       const struct vs_flow_key *const *kp_in, uint16_t n, const struct vs_cls_entry **hits)
{
	const struct vs_cls_view *v = vs_cls_view(c);
	uint64_t ck[VS_BURST][VS_KEY_WORDS], best[VS_BURST], bound, hmask;
	const void *kp[VS_BURST];
	void *data[VS_BURST];
	uint16_t idx[VS_BURST], i, m;
	unsigned int s;

	for (i = 0; i < n; i++) {
		best[i] = 0; /* no rule: every score is > 0 */
		hits[i] = NULL;
	}
	for (s = 0; s < v->n_sub; s++) {
		const struct vs_cls_subview *st = &v->sub[s];

		bound = __atomic_load_n(&st->bound, __ATOMIC_ACQUIRE);
		for (i = 0, m = 0; i < n; i++) {
			if (best[i] >= bound)
				continue; /* nothing in here can beat what it has */
			compact(st->words, st->mask, st->n_words, kp_in ? kp_in[i] : &keys[i],
				ck[m]);
			kp[m] = ck[m];
			idx[m++] = i;
		}
		if (m == 0)
			break; /* bounds only decrease from here */
		hmask = 0;
		if (rte_hash_lookup_bulk_data(st->h, kp, m, &hmask, data) <= 0)
			continue;
		for (i = 0; i < m; i++) {
			const struct vs_cls_entry *e = data[i];

			if ((hmask >> i & 1) && e->score > best[idx[i]]) {
				best[idx[i]] = e->score;
				hits[idx[i]] = e;
			}
		}
	}
}

void
vs_cls_lookup(const struct vs_cls *c, const struct vs_flow_key *keys, uint16_t n,
	      const struct vs_cls_entry **hits)
{
	lookup(c, keys, NULL, n, hits);
}

void
vs_cls_lookup_ptrs(const struct vs_cls *c, const struct vs_flow_key *const *keys, uint16_t n,
		   const struct vs_cls_entry **hits)
{
	lookup(c, NULL, keys, n, hits);
}

uint32_t
vs_cls_n_rules(const struct vs_cls *c)
{
	return c->n_rules;
}

uint32_t
vs_cls_n_masks(const struct vs_cls *c)
{
	return c->n_sub;
}

uint64_t
vs_cls_bytes(const struct vs_cls *c)
{
	return c->bytes;
}
