/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_group.c: groups end to end inside the process: groups
 * parsed and added (control/group/), rules sending to them, packets
 * through the flow stage, the group executor (dataplane/group.c) and out
 * to capture ports; the select table's spread by weight over many
 * 5-tuples; fast_failover's choice by port liveness; the control checks. */
#include <string.h>

#include <jansson.h>
#include <rte_ring.h>

#include "bridge_ctl.h"
#include "flow_table.h"
#include "group_ctl.h"
#include "harness.h"
#include "port_ring.h"
#include "switch.h"
#include "worker.h"

#define A "02:00:00:00:00:0a"
#define B "02:00:00:00:00:0b"

static struct vs_bridge *
br0(struct harness_sw *f)
{
	return vs_bridge_find(f->sw, "br0");
}

static int
group(struct harness_sw *f, const char *text, bool mod, struct vs_err *err)
{
	struct vs_group_spec *s = malloc(sizeof(*s));
	int ret;

	assert_non_null(s);
	if (vs_groups_parse(f->sw, br0(f), text, VS_GROUP_PARSE_ADD, s, err) < 0)
		fail_msg("'%s': %s", text, err->msg);
	ret = mod ? vs_groups_mod(f->sw, br0(f), s, err) : vs_groups_add(f->sw, br0(f), s, err);
	free(s);
	return ret;
}

static void
group_ok(struct harness_sw *f, const char *text)
{
	struct vs_err err;

	if (group(f, text, false, &err) < 0)
		fail_msg("'%s': %s", text, err.msg);
}

static void
flow_ok(struct harness_sw *f, const char *text)
{
	struct vs_flow_spec spec;
	struct vs_err err;

	if (vs_flows_parse(f->sw, br0(f), text, VS_FLOW_PARSE_ADD, &spec, &err) < 0 ||
	    vs_flows_add(f->sw, br0(f), &spec, 1, &err) < 0)
		fail_msg("'%s': %s", text, err.msg);
}

/* 'n' frames in on p0, each with its seq in byte 20. */
static void
send(struct harness_sw *f, unsigned int n)
{
	struct rte_mbuf *m[32];
	unsigned int i, k;

	for (i = 0; i < n; i += k) {
		for (k = 0; k < 32 && i + k < n; k++) {
			m[k] = harness_frame(B, A, 64);
			rte_pktmbuf_mtod(m[k], uint8_t *)[20] = (uint8_t)(i + k);
		}
		harness_input(f, 0, m, (uint16_t)k);
	}
}

static void
test_all_group_gives_every_bucket_a_copy(void **state)
{
	struct harness_sw *f = *state;
	const struct vs_group_entry *e;
	uint64_t pk, by;
	unsigned int i;

	group_ok(f, "group_id=1,type=all,bucket=output:p1,"
		    "bucket=mod_dl_dst:02:00:00:00:00:99,output:p2,bucket=output:p1");
	flow_ok(f, "priority=10,in_port=p0,actions=group:1");
	send(f, 20);
	assert_int_equal(f->cap[1].n, 40); /* two buckets output to p1 */
	assert_int_equal(f->cap[2].n, 20);
	for (i = 0; i < 20; i++) {
		const uint8_t *p1 = rte_pktmbuf_mtod(f->cap[1].pkts[2 * i], const uint8_t *);
		const uint8_t *p2 = rte_pktmbuf_mtod(f->cap[2].pkts[i], const uint8_t *);

		assert_int_equal(p1[5], 0x0b); /* the rewrite did not reach the shared copy */
		assert_int_equal(p2[5], 0x99);
		assert_int_equal(p1[20], i);
		assert_int_equal(p2[20], i);
	}
	e = vs_groups_get(br0(f), 1);
	assert_non_null(e);
	vs_groups_stats(br0(f), e, -1, &pk, &by);
	assert_int_equal(pk, 20);
	assert_int_equal(by, 20 * 64);
	for (i = 0; i < 3; i++) {
		vs_groups_stats(br0(f), e, (int)i, &pk, &by);
		assert_int_equal(pk, 20);
	}
	assert_int_equal(vs_groups_rules_using(br0(f), 1), 1);
}

/* A set of one select group with these weights, every port live. */
static struct vs_group_set *
select_set(struct vs_groups *gs, const uint16_t *w, uint16_t n, const uint16_t *watch)
{
	struct vs_bucket_def bd[8];
	struct vs_group_def d = {.id = 5, .type = VS_GROUP_SELECT, .n_buckets = n, .buckets = bd};
	struct vs_group_set *s;
	uint16_t i;

	for (i = 0; i < n; i++)
		bd[i] = (struct vs_bucket_def){.weight = w[i],
					       .watch_port = watch ? watch[i] : VS_PORT_NONE,
					       .watch_group = VS_GROUP_ANY};
	memset(gs, 0, sizeof(*gs));
	for (i = 0; i < VS_MAX_PORTS; i++)
		vs_groups_set_port_live(gs, i, true);
	assert_int_equal(vs_group_set_build(&d, 1, 1, SOCKET_ID_ANY, &s), 0);
	return s;
}

static void
key_of(struct vs_flow_key *k, uint32_t i)
{
	memset(k, 0, sizeof(*k));
	k->dl_type = 0x0800;
	k->nw_proto = 6;
	k->nw_src[0] = 10;
	k->nw_src[3] = (uint8_t)(i >> 16);
	k->nw_dst[0] = 10;
	k->nw_dst[3] = 2;
	k->tp_src = (uint16_t)i;
	k->tp_dst = 80;
	k->l4_ofs = 34;
}

static void
test_select_spreads_flows_by_weight(void **state)
{
	static const uint16_t w[3] = {10, 20, 70}, watch[3] = {1, 2, 3};
	static uint8_t first[30000];
	struct vs_groups *gs = calloc(1, sizeof(*gs));
	struct vs_group_set *s = select_set(gs, w, 3, watch);
	const struct vs_group *g = vs_group_find(s, 5);
	unsigned int n[3] = {0}, i, moved = 0;
	struct vs_flow_key k;

	for (i = 0; i < 30000; i++) {
		int b;

		key_of(&k, i);
		b = vs_group_pick(gs, s, g, vs_group_hash(&k));
		assert_true(b >= 0 && b < 3);
		first[i] = (uint8_t)b;
		n[b]++;
	}
	/* 10/20/70 % of 30000, within 1.5 % of all flows. */
	assert_in_range(n[0], 3000 - 450, 3000 + 450);
	assert_in_range(n[1], 6000 - 450, 6000 + 450);
	assert_in_range(n[2], 21000 - 450, 21000 + 450);
	/* Bucket 2's port goes down: its flows spread over 0 and 1 by weight
	 * (1:2), the others stay where they were. */
	vs_groups_set_port_live(gs, 3, false);
	memset(n, 0, sizeof(n));
	for (i = 0; i < 30000; i++) {
		int b;

		key_of(&k, i);
		b = vs_group_pick(gs, s, g, vs_group_hash(&k));
		assert_true(b == 0 || b == 1);
		moved += b != first[i];
		if (first[i] != 2)
			assert_int_equal(b, first[i]);
		n[b]++;
	}
	assert_in_range(moved, 21000 - 450, 21000 + 450); /* bucket 2's flows, no more */
	assert_in_range(n[0], 10000 - 600, 10000 + 600);
	vs_groups_set_port_live(gs, 1, false);
	vs_groups_set_port_live(gs, 2, false);
	key_of(&k, 1);
	assert_int_equal(vs_group_pick(gs, s, g, vs_group_hash(&k)), -1);
	vs_group_set_free(s);
	free(gs);
}

static void
test_fast_failover_takes_the_first_live_bucket(void **state)
{
	struct harness_sw *f = *state;
	struct vs_groups *gs = br0(f)->groups;
	uint16_t p1 = f->port[1]->id, p2 = f->port[2]->id;

	group_ok(f, "group_id=3,type=fast_failover,bucket=watch_port:p1,output:p1,"
		    "bucket=watch_port:p2,output:p2");
	flow_ok(f, "priority=10,in_port=p0,actions=group:3");
	send(f, 5);
	assert_int_equal(f->cap[1].n, 5);
	assert_int_equal(f->cap[2].n, 0);
	vs_groups_set_port_live(gs, p1, false); /* p1's link goes down */
	send(f, 7);
	assert_int_equal(f->cap[1].n, 5);
	assert_int_equal(f->cap[2].n, 7);
	vs_groups_set_port_live(gs, p2, false);
	send(f, 3);
	assert_int_equal(f->cap[1].n + f->cap[2].n, 12);
	assert_int_equal(harness_drops(f, 0, VS_DROP_GROUP_NO_BUCKET), 3);
	vs_groups_set_port_live(gs, p1, true);
	send(f, 2);
	assert_int_equal(f->cap[1].n, 7);
}

static void
test_chains_checks_and_deleting_a_group_deletes_its_rules(void **state)
{
	struct harness_sw *f = *state;
	struct vs_err err;
	uint32_t n;

	group_ok(f, "group_id=2,type=all,bucket=output:p1,bucket=output:p2");
	group_ok(f, "group_id=1,type=indirect,bucket=group:2");
	flow_ok(f, "priority=10,in_port=p0,actions=group:1");
	send(f, 4);
	assert_int_equal(f->cap[1].n, 4);
	assert_int_equal(f->cap[2].n, 4);
	assert_int_equal(group(f, "group_id=1,type=all,bucket=output:p1", false, &err), -EEXIST);
	assert_int_equal(group(f, "group_id=9,type=all,bucket=output:p1", true, &err), -ENOENT);
	assert_int_equal(group(f, "group_id=8,type=all,bucket=group:77", false, &err), -ENXIO);
	assert_int_equal(group(f, "group_id=2,type=all,bucket=group:1", true, &err), -ELOOP);
	assert_non_null(strstr(err.msg, "loop"));
	assert_int_equal(vs_groups_del(f->sw, br0(f), 2, &n, &err), -EBUSY);
	assert_non_null(strstr(err.msg, "group 1"));
	assert_int_equal(br0(f)->flows->n, 2); /* the rule and the default one */
	assert_int_equal(vs_groups_del(f->sw, br0(f), 1, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(br0(f)->flows->n, 1); /* OpenFlow: its rule went with it */
	assert_false(vs_groups_exist(br0(f), 1));
	assert_true(vs_groups_exist(br0(f), 2));
	assert_int_equal(vs_groups_del(f->sw, br0(f), VS_GROUP_ALL_IDS, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(vs_groups_count(br0(f)), 0);
}

static void
test_a_rule_to_a_missing_group_drops_and_counts(void **state)
{
	struct harness_sw *f = *state;

	flow_ok(f, "priority=10,in_port=p0,actions=group:42");
	send(f, 6);
	assert_int_equal(f->cap[1].n + f->cap[2].n, 0);
	assert_int_equal(harness_drops(f, 0, VS_DROP_GROUP_MISSING), 6);
}

/* add-port br0 NAME type=ring. */
static struct vs_port *
ring_add(struct harness_sw *f, const char *name)
{
	json_t *entry = json_pack("{s:s, s:s, s:s, s:{}}", "bridge", "br0", "name", name, "type",
				  "ring", "options");
	struct vs_err err = {0};

	assert_non_null(entry);
	if (vs_port_add(f->sw, "br0", name, "ring", NULL, 0, entry, &err) < 0)
		fail_msg("add-port %s: %s", name, err.msg);
	json_decref(entry);
	return vs_port_find(f->sw, name);
}

/* A removed port leaves the groups' buckets as it leaves the rules: the
 * buckets that output to it or watch it go (and from what is saved), so
 * a port that gets its id next is never sent what was meant for it. */
static void
test_a_removed_port_leaves_the_groups(void **state)
{
	struct harness_sw *f = *state;
	struct vs_port *r = ring_add(f, "r0"), *r1;
	struct vs_err err = {0};
	char text[512];
	json_t *saved;
	uint16_t id = r->id;

	group_ok(f, "group_id=1,type=all,bucket=output:p1,bucket=output:r0");
	group_ok(f, "group_id=2,type=fast_failover,bucket=watch_port:r0,actions=output:r0,"
		    "bucket=watch_port:p2,actions=output:p2");
	group_ok(f, "group_id=3,type=indirect,bucket=output:p2");
	flow_ok(f, "priority=10,in_port=p0,actions=group:1");
	saved = vs_groups_text_without_port(f->sw, br0(f), id);
	assert_non_null(saved);
	assert_int_equal(json_array_size(saved), 3);
	assert_string_equal(json_string_value(json_array_get(saved, 0)),
			    "group_id=1,type=all,bucket=actions=output:p1");
	assert_string_equal(json_string_value(json_array_get(saved, 1)),
			    "group_id=2,type=fast_failover,bucket=watch_port:p2,actions=output:p2");
	json_decref(saved);
	assert_int_equal(vs_port_del(f->sw, "r0", NULL, &err), 0);
	vs_groups_format(f->sw, br0(f), vs_groups_get(br0(f), 1), text, sizeof(text));
	assert_string_equal(text, "group_id=1,type=all,bucket=actions=output:p1");
	vs_groups_format(f->sw, br0(f), vs_groups_get(br0(f), 2), text, sizeof(text));
	assert_string_equal(text,
			    "group_id=2,type=fast_failover,bucket=watch_port:p2,actions=output:p2");
	vs_groups_format(f->sw, br0(f), vs_groups_get(br0(f), 3), text, sizeof(text));
	assert_string_equal(text, "group_id=3,type=indirect,bucket=actions=output:p2");
	/* A later port takes the id (ids go round-robin: skip to it); the
	 * group sends it nothing. */
	f->sw->next_port_id = id;
	r1 = ring_add(f, "r1");
	assert_int_equal(r1->id, id);
	send(f, 5);
	assert_int_equal(f->cap[1].n, 5);
	assert_int_equal(rte_ring_count(vs_port_ring_tx(r1, 0)), 0);
	assert_int_equal(vs_port_del(f->sw, "r1", NULL, &err), 0);
}

/* A controller's groups are not saved: a saved (operator's) group may
 * not name one, a controller's may name anything. */
static void
test_a_saved_group_cannot_name_a_controllers(void **state)
{
	struct harness_sw *f = *state;
	struct vs_group_spec *s = malloc(sizeof(*s));
	struct vs_err err;

	assert_non_null(s);
	assert_int_equal(vs_groups_parse(f->sw, br0(f), "group_id=5,type=all,bucket=output:p1",
					 VS_GROUP_PARSE_ADD, s, &err),
			 0);
	s->origin = VS_ORIGIN_CONTROLLER;
	assert_int_equal(vs_groups_add(f->sw, br0(f), s, &err), 0);
	assert_int_equal(group(f, "group_id=6,type=indirect,bucket=group:5", false, &err), -EPERM);
	assert_non_null(strstr(err.msg, "controller"));
	assert_int_equal(group(f, "group_id=6,type=ff,bucket=watch_group:5,output:p2", false, &err),
			 -EPERM);
	assert_int_equal(vs_groups_parse(f->sw, br0(f), "group_id=7,type=indirect,bucket=group:5",
					 VS_GROUP_PARSE_ADD, s, &err),
			 0);
	s->origin = VS_ORIGIN_CONTROLLER;
	assert_int_equal(vs_groups_add(f->sw, br0(f), s, &err), 0);
	assert_int_equal(vs_groups_count(br0(f)), 2);
	free(s);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, harness_setup, harness_teardown)
	const struct CMUnitTest tests[] = {
		T(test_all_group_gives_every_bucket_a_copy),
		cmocka_unit_test(test_select_spreads_flows_by_weight),
		T(test_fast_failover_takes_the_first_live_bucket),
		T(test_chains_checks_and_deleting_a_group_deletes_its_rules),
		T(test_a_rule_to_a_missing_group_drops_and_counts),
		T(test_a_removed_port_leaves_the_groups),
		T(test_a_saved_group_cannot_name_a_controllers),
	};

	return cmocka_run_group_tests(tests, harness_group_setup, NULL);
}
