/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_port_conf.c: port names, key=value options and their
 * checking against a port type's option table (drivers/port.c). */
#include <errno.h>
#include <string.h>

#include <stdlib.h>
#include <jansson.h>

#include "bridge.h"
#include "harness.h"
#include "port.h"
#include "rpc_methods.h"

static int
parse(const char *const *args, unsigned int n, struct vs_port_conf *conf, struct vs_err *err)
{
	struct vs_kv kv[VS_OPTS_MAX + 2];
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = vs_kv_parse(args[i], &kv[i], err);
		if (ret < 0)
			return ret;
	}
	return vs_port_conf_parse(&vs_port_dpdk_ops, kv, n, conf, err);
}

static void
test_key_value_splits_at_first_equals(void **state)
{
	struct vs_kv kv;
	struct vs_err err;

	assert_int_equal(vs_kv_parse("devargs=net_tap0,iface=t0", &kv, &err), 0);
	assert_string_equal(kv.key, "devargs");
	assert_string_equal(kv.val, "net_tap0,iface=t0");
	assert_int_equal(vs_kv_parse("noequals", &kv, &err), -EINVAL);
	assert_int_equal(vs_kv_parse("=value", &kv, &err), -EINVAL);
}

static void
test_defaults_and_values_are_applied(void **state)
{
	static const char *const args[] = {"devargs=net_null0", "rxq=4", "txd=512"};
	struct vs_port_conf c;
	struct vs_err err;

	assert_int_equal(parse(args, 3, &c, &err), 0);
	assert_string_equal(c.devargs, "net_null0");
	assert_int_equal(c.n_rxq, 4);
	assert_int_equal(c.n_txq, 0); /* one per PMD */
	assert_int_equal(c.n_rxd, 1024);
	assert_int_equal(c.n_txd, 512);
	assert_int_equal(c.mtu, 0);
}

static void
test_bad_options_name_what_is_wrong(void **state)
{
	static const struct {
		const char *args[2];
		unsigned int n;
		const char *expect;
	} cases[] = {
		{{"rxq=2"}, 1, "needs option 'devargs'"},
		{{"devargs=x", "colour=red"}, 2, "unknown option 'colour' for a dpdk port"},
		{{"devargs=x", "devargs=y"}, 2, "given twice"},
		{{"devargs=x", "rxq=0"}, 2, "'rxq=0' is not a number from 1 to 64"},
		{{"devargs=x", "rxq=-1"}, 2, "not a number"},
		{{"devargs=x", "mtu=9999999"}, 2, "from 68 to"},
		{{"devargs=x", "rxd=12abc"}, 2, "not a number"},
		{{"devargs="}, 1, "is empty"},
	};
	struct vs_port_conf c;
	struct vs_err err;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err.msg[0] = '\0';
		assert_true(parse(cases[i].args, cases[i].n, &c, &err) < 0);
		if (strstr(err.msg, cases[i].expect) == NULL)
			fail_msg("case %u: got '%s', wanted '%s'", i, err.msg, cases[i].expect);
	}
}

static void
test_live_options_change_and_others_are_refused(void **state)
{
	struct vs_port port = {.ops = &vs_port_vhost_ops};
	struct vs_kv kv[2];
	struct vs_port_conf c;
	struct vs_err err;

	assert_int_equal(vs_port_conf_parse(&vs_port_vhost_ops, NULL, 0, &port.conf, &err), 0);
	assert_string_equal(port.conf.capture, "off");
	/* live: applied on top of the port's options */
	vs_kv_parse("capture=on", &kv[0], &err);
	vs_kv_parse("pmd-rxq-affinity=0:1", &kv[1], &err);
	assert_int_equal(vs_port_conf_update(&port, kv, 2, &c, &err), 0);
	assert_string_equal(c.capture, "on");
	assert_string_equal(c.rxq_affinity, "0:1");
	assert_int_equal(c.rxq_pin[0], 1); /* parsed once, here */
	assert_int_equal(c.rxq_pin[1], -1);
	assert_int_equal(c.n_rxq, 64);
	/* "" goes back to the default */
	port.conf = c;
	vs_kv_parse("capture=", &kv[0], &err);
	vs_kv_parse("pmd-rxq-affinity=", &kv[1], &err);
	assert_int_equal(vs_port_conf_update(&port, kv, 2, &c, &err), 0);
	assert_string_equal(c.capture, "off");
	assert_string_equal(c.rxq_affinity, "");
	assert_int_equal(c.rxq_pin[0], -1);
	/* not live, unknown, bad, twice */
	vs_kv_parse("queues=2", &kv[0], &err);
	assert_int_equal(vs_port_conf_update(&port, kv, 1, &c, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "'queues' cannot change on a running port"));
	vs_kv_parse("colour=red", &kv[0], &err);
	assert_int_equal(vs_port_conf_update(&port, kv, 1, &c, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "unknown option 'colour'"));
	vs_kv_parse("capture=maybe", &kv[0], &err);
	assert_int_equal(vs_port_conf_update(&port, kv, 1, &c, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "one of on|off"));
	vs_kv_parse("pmd-rxq-affinity=0:x", &kv[0], &err);
	assert_int_equal(vs_port_conf_update(&port, kv, 1, &c, &err), -EINVAL);
	vs_kv_parse("capture=on", &kv[0], &err);
	vs_kv_parse("capture=off", &kv[1], &err);
	assert_int_equal(vs_port_conf_update(&port, kv, 2, &c, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "given twice"));
}

static void
test_names_are_checked(void **state)
{
	assert_true(vs_name_valid("vhu0"));
	assert_true(vs_name_valid("eth0.100"));
	assert_true(vs_name_valid("a:b-c_d"));
	assert_false(vs_name_valid(""));
	assert_false(vs_name_valid("-x"));
	assert_false(vs_name_valid("has space"));
	assert_false(vs_name_valid("slash/y"));
	assert_false(vs_name_valid("0123456789012345678901234567890123456789"));
}

static void
test_type_registry_knows_dpdk(void **state)
{
	char names[64];

	assert_ptr_equal(vs_port_type_find("dpdk"), &vs_port_dpdk_ops);
	assert_null(vs_port_type_find("vhost-user-ish"));
	vs_port_type_names(names, sizeof(names));
	assert_non_null(strstr(names, "dpdk"));
}

/* A device that maps PMDs to its own queues (as vhost-user does) with
 * 'mapped_queues' of them in use. */
static uint16_t mapped_queues;

static int
status_plain(const struct vs_port *port, struct vs_port_status *st)
{
	memset(st, 0, sizeof(*st));
	return 0;
}

static int
status_mapped(const struct vs_port *port, struct vs_port_status *st)
{
	memset(st, 0, sizeof(*st));
	st->txq_mapped = true;
	st->txq_in_use = mapped_queues;
	return 0;
}

static const struct vs_port_ops plain_ops = {.type = "plain", .status = status_plain};
static const struct vs_port_ops mapped_ops = {.type = "mapped", .status = status_mapped};

/* The "txq" object of port.stats for 'p'; 'queues' and 'pmds' checked,
 * 'locked' and 'by' returned. */
static bool
txq_of(const struct vs_port *p, int queues, int pmds, const char **by)
{
	json_t *st = vs_rpc_port_stats_json(p), *t = json_object_get(st, "txq");
	static char buf[16];
	bool locked;

	assert_non_null(t);
	assert_int_equal(json_integer_value(json_object_get(t, "queues")), queues);
	assert_int_equal(json_integer_value(json_object_get(t, "pmds")), pmds);
	locked = json_is_true(json_object_get(t, "locked"));
	snprintf(buf, sizeof(buf), "%s", json_string_value(json_object_get(t, "by")));
	*by = buf;
	json_decref(st);
	return locked;
}

static void
test_shared_tx_queues_are_shown_with_who_locks(void **state)
{
	struct vs_bridge *br = aligned_alloc(RTE_CACHE_LINE_SIZE, sizeof(*br));
	struct vs_port *p = aligned_alloc(RTE_CACHE_LINE_SIZE, sizeof(*p));
	const char *by;

	memset(br, 0, sizeof(*br));
	memset(p, 0, sizeof(*p));
	snprintf(br->name, sizeof(br->name), "br0");
	snprintf(p->name, sizeof(p->name), "nic0");
	p->br = br;
	p->ops = &plain_ops;
	/* An ethdev with a queue per PMD: no lock. */
	p->n_txq = 4;
	p->tx_pmds = 4;
	assert_false(txq_of(p, 4, 4, &by));
	assert_string_equal(by, "");
	/* One with fewer: the switch's lock. */
	p->n_txq = 2;
	p->txq_shared = true;
	assert_true(txq_of(p, 2, 4, &by));
	assert_string_equal(by, "switch");
	/* A guest with 1 queue pair for 2 PMDs: the vhost library's lock,
	 * whatever n_txq says; with 2 pairs, or none enabled, no sharing. */
	p->ops = &mapped_ops;
	p->n_txq = VS_MAX_PMDS;
	p->txq_shared = false;
	p->tx_pmds = 2;
	mapped_queues = 1;
	assert_true(txq_of(p, 1, 2, &by));
	assert_string_equal(by, "vhost");
	mapped_queues = 2;
	assert_false(txq_of(p, 2, 2, &by));
	mapped_queues = 0;
	assert_false(txq_of(p, 0, 2, &by));
	free(p);
	free(br);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_value_splits_at_first_equals),
		cmocka_unit_test(test_defaults_and_values_are_applied),
		cmocka_unit_test(test_bad_options_name_what_is_wrong),
		cmocka_unit_test(test_live_options_change_and_others_are_refused),
		cmocka_unit_test(test_names_are_checked),
		cmocka_unit_test(test_type_registry_knows_dpdk),
		cmocka_unit_test(test_shared_tx_queues_are_shown_with_who_locks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
