/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_flowrun.c: a burst's lookup with keys only for run heads
 * (dataplane/flowrun.c) against extracting every packet and searching the
 * rules one by one: random frames of every layout the extractor knows
 * (IPv4 with and without options, fragments, TCP/UDP/SCTP/ICMP/others,
 * VLAN and QinQ tags, IPv6, ARP, other types, cuts and short IP lengths),
 * in bursts where each packet is often its predecessor with a byte, a
 * length or a field changed; random tables over MACs, VLAN, types, ToS,
 * IPv4 and IPv6 addresses, ports, fragments and metadata, changed between
 * bursts. And a view that changes in the middle of a burst (the extractor
 * wrapped at link time: the test adds a mask while a head is extracted). */
#include <stdlib.h>
#include <string.h>
#include <sanitizer/asan_interface.h>

#include "classifier.h"
#include "emc.h"
#include "flowkey.h"
#include "flowrun.h"
#include "harness.h"
#include "rng.h"

#define MAX_RULES 48
#define FRAME_MAX 112
#define ROUNDS    300
#define BURSTS    24
#define POOL      8 /* frames a round's rules and bursts are made of */

/* ---- frames ---- */

struct frame {
	uint8_t b[FRAME_MAX];
	uint16_t len;
};

static void
be16_put(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* An L4 header of 'proto' at 'p': ports (or ICMP type and code) from
 * small ranges. Returns its length. */
static uint16_t
put_l4(struct rng *r, uint8_t *p, uint8_t proto)
{
	static const uint16_t dports[] = {22, 53, 80};

	if (proto == 1 || proto == 58) {
		p[0] = (uint8_t)(rnd(r, 2) * 8);
		p[1] = (uint8_t)rnd(r, 2);
		return 8;
	}
	be16_put(p, (uint16_t)(1000 + rnd(r, 3)));
	be16_put(p + 2, dports[rnd(r, 3)]);
	return proto == 6 ? 20 : proto == 132 ? 12 : 8;
}

static uint16_t
put_ipv4(struct rng *r, uint8_t *p, bool odd)
{
	static const uint8_t protos[] = {6, 17, 132, 1, 47, 58};
	static const uint16_t frags[] = {0, 0x4000, 0x2000, 0x0010, 0x2008, 0x8000};
	unsigned int ihl = odd && rnd(r, 3) == 0 ? 6 : 5;
	uint16_t l4, tot, pay = (uint16_t)(rnd(r, 3) * 8);

	p[0] = (uint8_t)(0x40 | ihl);
	p[1] = rnd(r, 2) ? 0 : 0x2e;
	be16_put(p + 6, frags[odd && rnd(r, 2) ? rnd(r, 6) : rnd(r, 2)]);
	p[8] = 64;
	p[9] = protos[rnd(r, odd ? sizeof(protos) : 4)];
	p[12] = 10;
	p[15] = (uint8_t)rnd(r, 3);
	p[16] = 10;
	p[17] = (uint8_t)(128 + rnd(r, 2));
	p[18] = (uint8_t)rnd(r, 2);
	p[19] = (uint8_t)rnd(r, 3);
	l4 = put_l4(r, p + ihl * 4, p[9]);
	tot = (uint16_t)(ihl * 4 + l4 + pay);
	if (odd && rnd(r, 4) == 0) /* an IP packet shorter than its L4 header */
		tot = (uint16_t)(ihl * 4 + rnd(r, l4));
	be16_put(p + 2, tot);
	return (uint16_t)(ihl * 4 + l4 + pay);
}

static uint16_t
put_ipv6(struct rng *r, uint8_t *p)
{
	uint8_t nh = rnd(r, 2) ? 6 : 17, *q = p + 40;
	uint16_t l4;

	p[0] = 0x60;
	p[1] = (uint8_t)(rnd(r, 2) << 4);
	p[8] = p[24] = 0x20;
	p[9] = p[25] = 0x01;
	p[23] = (uint8_t)(1 + rnd(r, 2));
	p[39] = (uint8_t)(1 + rnd(r, 2));
	if (rnd(r, 3) == 0) { /* hop-by-hop */
		p[6] = 0;
		q[0] = nh;
		q += 8;
	} else {
		p[6] = nh;
	}
	l4 = put_l4(r, q, nh);
	be16_put(p + 4, (uint16_t)(q + l4 - (p + 40)));
	return (uint16_t)(q + l4 - p);
}

static uint16_t
put_arp(struct rng *r, uint8_t *p)
{
	be16_put(p, 1);
	be16_put(p + 2, 0x0800);
	p[4] = 6;
	p[5] = 4;
	p[7] = (uint8_t)(1 + rnd(r, 2));
	p[14] = p[24] = 10;
	p[17] = (uint8_t)rnd(r, 3);
	p[27] = (uint8_t)rnd(r, 3);
	return 28;
}

/* A frame of a random layout, fields from small ranges so that rules and
 * frames overlap; sometimes padded, sometimes cut. Half are an untagged
 * IPv4 frame without options or fragments, with TCP, UDP or SCTP (what
 * starts a run) or ICMP (what looks like it but is not), the others
 * anything. */
static void
frame_random(struct rng *r, struct frame *f)
{
	uint16_t off = 12, type, l3;
	bool odd = rnd(r, 2);
	unsigned int tags = odd && rnd(r, 3) == 0 ? 1 + rnd(r, 2) : 0, i;
	unsigned int kind = odd ? rnd(r, 10) : 0;
	uint8_t *b = f->b;

	memset(f, 0, sizeof(*f));
	b[0] = 2;
	b[5] = (uint8_t)rnd(r, 2);
	b[6] = 2;
	b[11] = (uint8_t)(4 + rnd(r, 2));
	for (i = 0; i < tags; i++, off += 4) {
		be16_put(b + off, i == 0 && rnd(r, 2) ? 0x88a8 : 0x8100);
		be16_put(b + off + 2, (uint16_t)(rnd(r, 2) << 13 | rnd(r, 3)));
	}
	type = kind < 6 ? 0x0800 : kind == 6 ? 0x86dd : kind == 7 ? 0x0806 : 0x88cc;
	be16_put(b + off, type);
	off += 2;
	l3 = type == 0x0800   ? put_ipv4(r, b + off, odd)
	     : type == 0x86dd ? put_ipv6(r, b + off)
	     : type == 0x0806 ? put_arp(r, b + off)
			      : 20;
	f->len = (uint16_t)RTE_MIN(off + l3 + rnd(r, 3) * 8, (uint32_t)FRAME_MAX);
	if (odd && rnd(r, 4) == 0)
		f->len = (uint16_t)(RTE_ETHER_HDR_LEN + rnd(r, f->len - RTE_ETHER_HDR_LEN + 1));
}

/* The packet after 'prev': often the same, or with bytes changed that no
 * key reads (IP id, TTL, checksum, payload), else with one byte, a field,
 * its length or its IP length changed, or another frame (of the pool). */
static void
frame_next(struct rng *r, const struct frame *pool, const struct frame *prev, struct frame *f)
{
	unsigned int at;

	*f = *prev;
	switch (rnd(r, 16)) {
	case 0:
		if (rnd(r, 2))
			*f = pool[rnd(r, POOL)];
		else
			frame_random(r, f);
		return;
	case 1: /* any byte of the headers, to anything */
		f->b[rnd(r, 48)] = (uint8_t)rnd(r, 256);
		return;
	case 2: /* one bit of the headers */
		at = rnd(r, 48);
		f->b[at] = (uint8_t)(f->b[at] ^ 1u << rnd(r, 8));
		return;
	case 3: /* a byte a rule may read, within its small range */
	case 4:
		at = (unsigned int[]){5, 11, 15, 29, 33, 35, 37}[rnd(r, 7)];
		f->b[at] = (uint8_t)(f->b[at] ^ 1);
		return;
	case 5: /* longer or shorter */
		f->len = (uint16_t)RTE_MAX(RTE_ETHER_HDR_LEN,
					   RTE_MIN(FRAME_MAX, (int)f->len + (int)rnd(r, 9) - 4));
		return;
	case 6: /* the IPv4 total length (if that is one) */
		be16_put(f->b + 16, (uint16_t)(20 + rnd(r, 24)));
		return;
	case 7:
	case 8:
	case 9: /* what no key reads in an IPv4 frame without options */
		at = (unsigned int[]){18, 19, 22, 24, 25, 38, 39, 40, 41, 47}[rnd(r, 10)];
		f->b[at] = (uint8_t)rnd(r, 256);
		return;
	default:
		return;
	}
}

/* 'f' in an mbuf; what follows the frame in the buffer is poisoned, so
 * that a read past its end shows under ASan. */
static struct rte_mbuf *
mbuf_of(const struct frame *f)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(harness_pool());
	char *end;

	assert_non_null(m);
	assert_non_null(rte_pktmbuf_append(m, f->len));
	memcpy(rte_pktmbuf_mtod(m, void *), f->b, f->len);
	end = rte_pktmbuf_mtod_offset(m, char *, f->len);
	ASAN_POISON_MEMORY_REGION(end, (size_t)((char *)m->buf_addr + m->buf_len - end));
	return m;
}

static void
mbuf_free(struct rte_mbuf *m)
{
	ASAN_UNPOISON_MEMORY_REGION(m->buf_addr, m->buf_len);
	rte_pktmbuf_free(m);
}

/* ---- rules ---- */

struct table {
	struct frame pool[POOL];
	uint32_t n;
	struct vs_flow_match m[MAX_RULES];
	uint16_t prio[MAX_RULES];
	struct vs_cls_entry *e[MAX_RULES]; /* NULL: removed */
	struct vs_cls *c;
};

static void
bits(uint8_t *p, size_t n, struct rng *r)
{
	static const uint8_t some[] = {0xff, 0xff, 0x01, 0xf0, 0x80};
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = some[rnd(r, sizeof(some))];
}

/* A mask of a few random fields, some in part. */
static void
mask_random(struct rng *r, struct vs_flow_key *m)
{
	unsigned int n = 1 + rnd(r, 3), i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++) {
		switch (rnd(r, 16)) {
		case 0:
			m->in_port = 0xffff;
			break;
		case 1:
			bits(m->dl_dst.addr_bytes, 6, r);
			break;
		case 2:
			bits(m->dl_src.addr_bytes, 6, r);
			break;
		case 3:
			m->vlan_tci = (uint16_t[]){0xffff, VS_VLAN_PRESENT, VS_VLAN_VID_MASK,
						   VS_VLAN_PCP_MASK}[rnd(r, 4)];
			break;
		case 4:
		case 5:
			m->dl_type = 0xffff;
			break;
		case 6:
			m->nw_proto = 0xff;
			break;
		case 7:
			m->nw_tos = (uint8_t[]){0xff, 0xfc, 0x03}[rnd(r, 3)];
			break;
		case 8:
			memset(m->nw_src, 0xff, rnd(r, 2) ? 4 : 1 + rnd(r, 3));
			break;
		case 9:
			memset(m->nw_dst, 0xff, rnd(r, 2) ? 4 : 1 + rnd(r, 3));
			break;
		case 10:
			memset(m->nw_src, 0xff, 16); /* IPv6 */
			break;
		case 11:
			bits(&m->nw_dst[4], 12, r);
			break;
		case 12:
			m->tp_src = (uint16_t[]){0xffff, 0xff00, 0x00ff, 0x0001}[rnd(r, 4)];
			break;
		case 13:
			m->tp_dst = (uint16_t[]){0xffff, 0xff00, 0x00ff, 0x0001}[rnd(r, 4)];
			break;
		case 14:
			m->nw_frag = (uint8_t[]){0xff, VS_FRAG_ANY, VS_FRAG_LATER}[rnd(r, 3)];
			break;
		default:
			m->metadata = 1;
			break;
		}
	}
}

/* A rule over the key of a frame of the pool (or sometimes another), so
 * that it matches some. */
static void
rule_add(struct rng *r, struct table *t)
{
	struct vs_action a = {.type = VS_ACT_OUTPUT, .port = 1};
	struct vs_flow_match *m;
	struct vs_flow_key k;
	struct rte_mbuf *mb;
	struct frame f;
	uint32_t i;

	if (t->n == MAX_RULES)
		return;
	i = t->n++;
	m = &t->m[i];
	if (rnd(r, 4))
		f = t->pool[rnd(r, POOL)];
	else
		frame_random(r, &f);
	mb = mbuf_of(&f);
	vs_flowkey_extract_one(mb, (uint16_t)(1 + rnd(r, 2)), &k);
	mbuf_free(mb);
	mask_random(r, &m->mask);
	for (unsigned int w = 0; w < VS_KEY_WORDS; w++)
		vs_key_words_rw(&m->key)[w] = vs_key_words(&k)[w] & vs_key_words(&m->mask)[w];
	t->prio[i] = (uint16_t)rnd(r, 4);
	assert_int_equal(vs_cls_insert(t->c, m, t->prio[i], i, &a, 1, i, &t->e[i]), 0);
}

/* The best live rule matching 'k', one by one; ties to the first added. */
static const struct vs_cls_entry *
ref_lookup(const struct table *t, const struct vs_flow_key *k)
{
	const struct vs_cls_entry *best = NULL;
	uint64_t score = 0;
	uint32_t i;

	for (i = 0; i < t->n; i++) {
		uint64_t s = vs_cls_score(t->prio[i], i);

		if (t->e[i] != NULL && vs_flow_match_key(&t->m[i], k) &&
		    (best == NULL || s > score)) {
			best = t->e[i];
			score = s;
		}
	}
	return best;
}

/* ---- the extractor, wrapped: a hook may change the table mid-burst ---- */

void __real_vs_flowkey_extract_one(const struct rte_mbuf *m, uint16_t in_port,
				   struct vs_flow_key *k);
void __wrap_vs_flowkey_extract_one(const struct rte_mbuf *m, uint16_t in_port,
				   struct vs_flow_key *k);

static void (*extract_hook)(void);
static unsigned int n_extracted;

void
__wrap_vs_flowkey_extract_one(const struct rte_mbuf *m, uint16_t in_port, struct vs_flow_key *k)
{
	void (*hook)(void) = extract_hook;

	n_extracted++;
	extract_hook = NULL;
	if (hook != NULL)
		hook();
	__real_vs_flowkey_extract_one(m, in_port, k);
}

/* ---- the tests ---- */

/* One burst of 'n' through vs_flowrun_lookup against the reference; the
 * number of packets it did not extract (0 when it says it has every key). */
static unsigned int
check_burst(struct vs_emc *emc, const struct table *t, const struct frame *f, uint16_t n,
	    uint16_t in_port)
{
	const struct vs_cls_entry *slots[VS_BURST];
	struct vs_flow_key keys[VS_BURST], k;
	struct rte_mbuf *pkts[VS_BURST];
	unsigned int before = n_extracted;
	uint16_t i;
	bool all;

	for (i = 0; i < n; i++)
		pkts[i] = mbuf_of(&f[i]);
	all = vs_flowrun_lookup(emc, t->c, pkts, n, in_port, keys, slots);
	if (!all)
		assert_in_range(n_extracted - before, 1, n - 1u);
	for (i = 0; i < n; i++) {
		__real_vs_flowkey_extract_one(pkts[i], in_port, &k);
		if (slots[i] != ref_lookup(t, &k))
			print_error("packet %u of %u (%u bytes, type %02x%02x, byte 14 %02x): "
				    "rule %d, want %d\n",
				    i, n, f[i].len, f[i].b[12], f[i].b[13], f[i].b[14],
				    slots[i] ? (int)slots[i]->id : -1,
				    ref_lookup(t, &k) ? (int)ref_lookup(t, &k)->id : -1);
		assert_ptr_equal(slots[i], ref_lookup(t, &k));
		if (all)
			assert_memory_equal(&keys[i], &k, sizeof(k));
	}
	for (i = 0; i < n; i++)
		mbuf_free(pkts[i]);
	return all ? 0 : n - (n_extracted - before);
}

static void
test_runs_give_every_packet_its_own_rule(void **state)
{
	struct vs_cls_conf conf = {.socket = SOCKET_ID_ANY};
	struct vs_emc *emc = calloc(1, sizeof(*emc));
	struct table *t = calloc(1, sizeof(*t));
	struct frame f[VS_BURST];
	unsigned int round, b, i, skipped = 0, total = 0;
	struct rng r = {0x9e3779b97f4a7c15ull};

	assert_non_null(emc);
	assert_non_null(t);
	for (round = 0; round < ROUNDS; round++) {
		unsigned int n_rules = 1 + rnd(&r, 40);

		memset(t, 0, sizeof(*t));
		assert_int_equal(vs_cls_create(&conf, &t->c), 0);
		for (i = 0; i < POOL; i++)
			frame_random(&r, &t->pool[i]);
		for (i = 0; i < n_rules; i++)
			rule_add(&r, t);
		for (b = 0; b < BURSTS; b++) {
			uint16_t n = (uint16_t)(1 + rnd(&r, VS_BURST));

			f[0] = t->pool[rnd(&r, POOL)];
			for (i = 1; i < n; i++)
				frame_next(&r, t->pool,
					   &f[rnd(&r, 4) == 0 && i > 1 ? i - 2 : i - 1], &f[i]);
			skipped += check_burst(emc, t, f, n, (uint16_t)(1 + rnd(&r, 2)));
			total += n;
			if (rnd(&r, 3) == 0) /* a change between bursts */
				rule_add(&r, t);
			if (rnd(&r, 3) == 0) {
				i = rnd(&r, t->n);
				if (t->e[i] != NULL)
					vs_cls_remove(t->c, t->e[i]);
				t->e[i] = NULL;
			}
		}
		vs_cls_destroy(t->c);
	}
	/* The shortcut was taken, and not always. */
	print_message("%u of %u packets not extracted\n", skipped, total);
	assert_true(skipped > total / 6 && skipped < total * 3 / 4);
	free(t);
	free(emc);
}

/* The benchmark's ACL (bench/rulesets.py) and its traffic: flows that
 * differ only where no rule looks are one run. */
static void
test_acl_flows_are_one_run(void **state)
{
	struct vs_cls_conf conf = {.socket = SOCKET_ID_ANY};
	struct vs_emc *emc = calloc(1, sizeof(*emc));
	struct vs_action out = {.type = VS_ACT_OUTPUT, .port = 1}, drop = {.type = VS_ACT_DROP};
	struct table *t = calloc(1, sizeof(*t));
	struct frame f[VS_BURST];
	struct vs_flow_match *m;
	uint32_t i;

	assert_non_null(emc);
	assert_non_null(t);
	assert_int_equal(vs_cls_create(&conf, &t->c), 0);
	for (i = 0; i < 40; i++) { /* tcp,nw_dst=10.128.i.0/24,tp_dst=22: drop */
		m = &t->m[t->n];
		m->mask.dl_type = m->mask.tp_dst = 0xffff;
		m->mask.nw_proto = 0xff;
		memset(m->mask.nw_dst, 0xff, 3);
		m->key = (struct vs_flow_key){.dl_type = 0x0800,
					      .nw_proto = 6,
					      .tp_dst = 22,
					      .nw_dst = {10, 128, (uint8_t)i}};
		t->prio[t->n] = 300;
		assert_int_equal(vs_cls_insert(t->c, m, 300, t->n, &drop, 1, t->n, &t->e[t->n]), 0);
		t->n++;
	}
	for (i = 0; i < 2; i++) { /* udp,nw_dst=10.128+i.0.0/16 */
		m = &t->m[t->n];
		m->mask.dl_type = 0xffff;
		m->mask.nw_proto = 0xff;
		memset(m->mask.nw_dst, 0xff, 2);
		m->key = (struct vs_flow_key){
			.dl_type = 0x0800, .nw_proto = 17, .nw_dst = {10, (uint8_t)(128 + i)}};
		t->prio[t->n] = 200;
		assert_int_equal(vs_cls_insert(t->c, m, 200, t->n, &out, 1, t->n, &t->e[t->n]), 0);
		t->n++;
	}
	for (i = 0; i < VS_BURST; i++) { /* 10.0.0.i:1024+i -> 10.128.0.i:5001 */
		uint8_t *b = f[i].b;

		memset(&f[i], 0, sizeof(f[i]));
		f[i].len = 60;
		b[0] = b[6] = 2;
		b[5] = 1;
		b[11] = 2;
		be16_put(b + 12, 0x0800);
		b[14] = 0x45;
		be16_put(b + 16, 46);
		b[22] = 64;
		b[23] = 17;
		b[26] = b[30] = 10;
		b[29] = b[33] = (uint8_t)i;
		b[31] = 128;
		be16_put(b + 34, (uint16_t)(1024 + i));
		be16_put(b + 36, 5001);
		be16_put(b + 38, 26);
	}
	assert_int_equal(check_burst(emc, t, f, VS_BURST, 1), VS_BURST - 1);
	/* A TCP packet to port 22 is a head, and the next UDP one the head of
	 * a new run; an ARP packet is a head that leaves the run open. */
	f[9].b[23] = 6;
	be16_put(f[9].b + 16, 40);
	be16_put(f[9].b + 36, 22);
	be16_put(f[20].b + 12, 0x0806);
	assert_int_equal(check_burst(emc, t, f, VS_BURST, 1), VS_BURST - 4);
	vs_cls_destroy(t->c);
	free(t);
	free(emc);
}

static struct table *hook_table;

/* A rule on tp_src, a mask the table did not have, above the others. */
static void
add_tp_src_rule(void)
{
	struct vs_action a = {.type = VS_ACT_OUTPUT, .port = 9};
	struct table *t = hook_table;
	struct vs_flow_match *m = &t->m[t->n];

	memset(m, 0, sizeof(*m));
	m->mask.tp_src = 0xffff;
	m->key.tp_src = 1000;
	t->prio[t->n] = 3;
	assert_int_equal(vs_cls_insert(t->c, m, 3, t->n, &a, 1, t->n, &t->e[t->n]), 0);
	t->n++;
}

/* The view changes while the burst's head is extracted: the compare was
 * built for a table that did not read tp_src, the head is looked up in one
 * that does. */
static void
test_a_mask_added_mid_burst_is_seen_by_every_packet(void **state)
{
	struct vs_cls_conf conf = {.socket = SOCKET_ID_ANY};
	struct vs_emc *emc = calloc(1, sizeof(*emc));
	struct table *t = calloc(1, sizeof(*t));
	struct frame f[8];
	struct rng r = {7};
	unsigned int i;

	assert_non_null(emc);
	assert_non_null(t);
	assert_int_equal(vs_cls_create(&conf, &t->c), 0);
	for (i = 0; i < 2; i++) { /* two masks, tp_src in neither */
		struct vs_action a = {.type = VS_ACT_OUTPUT, .port = 1};
		struct vs_flow_match *m = &t->m[t->n];

		m->mask.dl_type = 0xffff;
		m->mask.nw_proto = (uint8_t)(i ? 0xff : 0);
		m->key.dl_type = 0x0800;
		m->key.nw_proto = (uint8_t)(i ? 17 : 0);
		t->prio[t->n] = (uint16_t)i;
		assert_int_equal(
			vs_cls_insert(t->c, m, (uint16_t)i, t->n, &a, 1, t->n, &t->e[t->n]), 0);
		t->n++;
	}
	do /* a UDP frame that heads a run */
		frame_random(&r, &f[0]);
	while (f[0].b[12] != 0x08 || f[0].b[13] != 0 || f[0].b[14] != 0x45 || f[0].b[23] != 17 ||
	       (f[0].b[20] & 0x3f) || f[0].b[21] || f[0].len < 42 || f[0].b[17] < 28);
	be16_put(f[0].b + 34, 1000);
	for (i = 1; i < 8; i++) {
		f[i] = f[0];
		be16_put(f[i].b + 34, 1001); /* no rule reads tp_src, yet */
	}
	hook_table = t;
	extract_hook = add_tp_src_rule;
	assert_int_equal(check_burst(emc, t, f, 8, 1), 0); /* looked up again, all of it */
	assert_null(extract_hook);
	assert_int_equal(t->n, 3);
	vs_cls_destroy(t->c);
	free(t);
	free(emc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_give_every_packet_its_own_rule),
		cmocka_unit_test(test_acl_flows_are_one_run),
		cmocka_unit_test(test_a_mask_added_mid_burst_is_seen_by_every_packet),
	};

	return cmocka_run_group_tests(tests, harness_group_setup, NULL);
}
