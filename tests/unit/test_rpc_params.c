/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_rpc_params.c: the parameter tables and their decoder
 * (control/rpc/rpc_params.c): each kind decoded, defaults, each refusal with
 * its exact sentence and errno, hints; the dispatcher refusing before the
 * handler runs, registration refusing a table that does not fit its
 * struct, rpc.list printed from the tables; and the daemon's own tables,
 * shared with vswitchd --check-config. No socket: vs_rpc_handle. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "rpc.h"
#include "rpc_fake.h"
#include "rpc_methods.h"

static const struct vs_rpc_method fake_methods[] = {
	{.name = "test.echo",
	 .fn = fake_echo,
	 .free_form = true,
	 .usage = "any",
	 .help = "returns its params"},
	{.name = "test.none", .fn = fake_echo, .help = "takes no parameter"},
	{.name = "test.typed",
	 .fn = fake_typed,
	 .params = typed_params,
	 .args_size = sizeof(struct typed_args),
	 .help = "checks its params"},
};

struct fixture {
	struct vs_rpc *rpc;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_int_equal(vs_rpc_create(&f->rpc, NULL, NULL, NULL, 4096, NULL), 0);
	assert_int_equal(vs_rpc_register(f->rpc, fake_methods, 3), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	vs_rpc_destroy(f->rpc);
	free(f);
	return 0;
}

static json_t *
handle(struct fixture *f, const char *text)
{
	return vs_rpc_handle(f->rpc, text, strlen(text));
}

static int
err_code(json_t *resp)
{
	json_t *e = json_object_get(resp, "error");

	assert_non_null(e);
	return (int)json_integer_value(json_object_get(e, "code"));
}

static const char *
err_msg(json_t *resp)
{
	return json_string_value(json_object_get(json_object_get(resp, "error"), "message"));
}

struct all_args {
	const char *s;
	uint16_t u;
	bool b;
	struct rte_ether_addr mac;
	struct vs_kv kv[2];
	unsigned int n_kv;
	const json_t *list;
};

static const struct vs_rpc_param all_params[] = {
	{.name = "s", .kind = VS_RPC_STR, .required = true, VS_RPC_AT(struct all_args, s)},
	{.name = "u",
	 .kind = VS_RPC_UINT,
	 .min = 10,
	 .max = 1000,
	 .dflt = 77,
	 VS_RPC_AT(struct all_args, u)},
	{.name = "b", .kind = VS_RPC_BOOL, VS_RPC_AT(struct all_args, b)},
	{.name = "mac", .kind = VS_RPC_MAC, VS_RPC_AT(struct all_args, mac)},
	{.name = "opts",
	 .kind = VS_RPC_KV,
	 .max = 2,
	 .what = "option",
	 VS_RPC_KV_AT(struct all_args, kv, n_kv)},
	{.name = "list",
	 .kind = VS_RPC_STRINGS,
	 .max = 3,
	 .what = "item",
	 VS_RPC_AT(struct all_args, list)},
	{0},
};

static int
decode_text(const struct vs_rpc_param *table, const char *text, void *args, struct vs_err *err)
{
	json_t *params = json_loads(text, 0, NULL);
	int ret;

	if (params == NULL)
		fail_msg("bad JSON in the test: %s", text);
	ret = vs_rpc_decode(table, params, args, err);
	json_decref(params);
	return ret;
}

static void
test_decoder_decodes_each_kind(void **state)
{
	struct vs_err err = {0};
	struct all_args a;
	json_t *params = json_loads("{\"s\": \"hello\", \"u\": 1000, \"b\": true, \"mac\": "
				    "\"52:54:00:AB:cd:0e\", \"opts\": {\"x\": \"1\", \"y\": 7}, "
				    "\"list\": [\"p\", \"q\"]}",
				    0, NULL);
	const uint8_t want_mac[6] = {0x52, 0x54, 0x00, 0xab, 0xcd, 0x0e};

	memset(&a, 0xa5, sizeof(a));
	assert_int_equal(vs_rpc_decode(all_params, params, &a, &err), 0);
	assert_string_equal(a.s, "hello");
	assert_ptr_equal(a.s, json_string_value(json_object_get(params, "s"))); /* borrowed */
	assert_int_equal(a.u, 1000);
	assert_true(a.b);
	assert_memory_equal(a.mac.addr_bytes, want_mac, 6);
	assert_int_equal(a.n_kv, 2);
	assert_string_equal(a.kv[0].key, "x");
	assert_string_equal(a.kv[0].val, "1");
	assert_string_equal(a.kv[1].key, "y");
	assert_string_equal(a.kv[1].val, "7");
	assert_ptr_equal(a.list, json_object_get(params, "list"));
	assert_int_equal(json_array_size(a.list), 2);
	json_decref(params);
	/* A boolean option is written out as text. */
	assert_int_equal(
		decode_text(all_params, "{\"s\": \"\", \"opts\": {\"on\": false}}", &a, &err), 0);
	assert_int_equal(a.n_kv, 1);
	assert_string_equal(a.kv[0].val, "false");
}

static void
test_decoder_sets_defaults_for_what_is_absent(void **state)
{
	static const uint8_t zero[6];
	struct vs_err err = {0};
	struct all_args a;

	memset(&a, 0xa5, sizeof(a)); /* whatever was there, each field is set */
	assert_int_equal(decode_text(all_params, "{\"s\": \"x\"}", &a, &err), 0);
	assert_int_equal(a.u, 77);
	assert_false(a.b);
	assert_memory_equal(a.mac.addr_bytes, zero, 6);
	assert_int_equal(a.n_kv, 0);
	assert_null(a.list);
	/* No table: no parameter at all. */
	assert_int_equal(decode_text(NULL, "{}", &a, &err), 0);
	assert_int_equal(decode_text(NULL, "{\"x\": 1}", &a, &err), -EINVAL);
	assert_string_equal(err.msg, "unknown parameter \"x\" (accepted: none)");
}

static void
test_decoder_refuses_with_the_parameter_named(void **state)
{
	static const struct {
		const char *params;
		int ret;
		const char *msg;
		unsigned int item;
	} cases[] = {
		{"{}", -EINVAL, "missing parameter \"s\""},
		{"{\"s\": \"a\", \"zz\": 1}", -EINVAL,
		 "unknown parameter \"zz\" (accepted: s, u, b, mac, opts, list)"},
		/* an unknown key is refused before a missing one is missed */
		{"{\"zz\": 1}", -EINVAL,
		 "unknown parameter \"zz\" (accepted: s, u, b, mac, opts, list)"},
		{"{\"s\": 3}", -EINVAL, "parameter \"s\" must be a string"},
		{"{\"s\": null}", -EINVAL, "parameter \"s\" must be a string"},
		{"{\"s\": \"a\", \"u\": \"x\"}", -EINVAL, "parameter \"u\" must be an integer"},
		{"{\"s\": \"a\", \"u\": 1.5}", -EINVAL, "parameter \"u\" must be an integer"},
		{"{\"s\": \"a\", \"u\": 9}", -ERANGE,
		 "parameter \"u\" must be from 10 to 1000, not 9"},
		{"{\"s\": \"a\", \"u\": 1001}", -ERANGE,
		 "parameter \"u\" must be from 10 to 1000, not 1001"},
		{"{\"s\": \"a\", \"u\": -1}", -ERANGE,
		 "parameter \"u\" must be from 10 to 1000, not -1"},
		{"{\"s\": \"a\", \"b\": 1}", -EINVAL, "parameter \"b\" must be true or false"},
		{"{\"s\": \"a\", \"mac\": 5}", -EINVAL,
		 "parameter \"mac\" must be a string, a MAC address like 52:54:00:12:34:56"},
		{"{\"s\": \"a\", \"mac\": \"zz\"}", -EINVAL,
		 "'zz' is not a MAC address like 52:54:00:12:34:56"},
		{"{\"s\": \"a\", \"mac\": \"01:00:5e:00:00:01\"}", -EINVAL,
		 "01:00:5e:00:00:01 is not a unicast MAC address (multicast and broadcast are always "
		 "flooded)"},
		{"{\"s\": \"a\", \"mac\": \"ff:ff:ff:ff:ff:ff\"}", -EINVAL,
		 "ff:ff:ff:ff:ff:ff is not a unicast MAC address (multicast and broadcast are always "
		 "flooded)"},
		{"{\"s\": \"a\", \"mac\": \"00:00:00:00:00:00\"}", -EINVAL,
		 "00:00:00:00:00:00 is the zero MAC address, which no station has: give a unicast "
		 "one like 52:54:00:12:34:56"},
		{"{\"s\": \"a\", \"opts\": \"x=1\"}", -EINVAL,
		 "parameter \"opts\" must be an object of key: value, as {\"option\": \"value\"}"},
		{"{\"s\": \"a\", \"opts\": {\"a\": 1, \"b\": 2, \"c\": 3}}", -E2BIG,
		 "too many options (at most 2)"},
		{"{\"s\": \"a\", \"opts\": {\"a\": [1]}}", -EINVAL,
		 "option 'a' must be a string, a number or a boolean"},
		{"{\"s\": \"a\", \"opts\": {\"a\": null}}", -EINVAL,
		 "option 'a' must be a string, a number or a boolean"},
		{"{\"s\": \"a\", \"opts\": {\"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\": 1}}",
		 -EINVAL,
		 "option key 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...' is too long (at most 31 "
		 "characters)"},
		{"{\"s\": \"a\", \"list\": \"p\"}", -EINVAL,
		 "parameter \"list\" must be an array of items (strings)"},
		{"{\"s\": \"a\", \"list\": [\"1\", \"2\", \"3\", \"4\"]}", -E2BIG,
		 "parameter \"list\" holds 4 items; at most 3 are accepted"},
		{"{\"s\": \"a\", \"list\": [\"1\", 2]}", -EINVAL, "item #2 is not a string", 2},
	};
	struct all_args a;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vs_err err = {0};
		int ret = decode_text(all_params, cases[i].params, &a, &err);

		if (ret != cases[i].ret || strcmp(err.msg, cases[i].msg) != 0 ||
		    err.item != cases[i].item)
			fail_msg("%s gave %d '%s' (item %u), wanted %d '%s' (item %u)",
				 cases[i].params, ret, err.msg, err.item, cases[i].ret,
				 cases[i].msg, cases[i].item);
	}
}

static void
test_decoder_value_longer_than_an_option_holds_is_refused(void **state)
{
	char text[400], val[300];
	struct vs_err err = {0};
	struct all_args a;

	memset(val, 'v', sizeof(val) - 1);
	val[sizeof(val) - 1] = '\0';
	snprintf(text, sizeof(text), "{\"s\": \"a\", \"opts\": {\"a\": \"%s\"}}", val);
	assert_int_equal(decode_text(all_params, text, &a, &err), -EINVAL);
	assert_string_equal(err.msg, "value of option 'a' is longer than 255 bytes");
	val[255] = '\0'; /* 255 bytes fit, with the NUL */
	snprintf(text, sizeof(text), "{\"s\": \"a\", \"opts\": {\"a\": \"%s\"}}", val);
	assert_int_equal(decode_text(all_params, text, &a, &err), 0);
	assert_int_equal(strlen(a.kv[0].val), 255);
}

struct hint_args {
	const char *who;
	struct vs_kv kv[4];
	unsigned int n_kv;
};

static const struct vs_rpc_param hint_params[] = {
	{.name = "who",
	 .kind = VS_RPC_STR,
	 .required = true,
	 .hint = "say who: who=NAME",
	 VS_RPC_AT(struct hint_args, who)},
	{.name = "set",
	 .kind = VS_RPC_KV,
	 .required = true,
	 .min = 1,
	 .max = 4,
	 .what = "setting",
	 .hint = "give the settings to change, e.g. a=1",
	 VS_RPC_KV_AT(struct hint_args, kv, n_kv)},
	{0},
};

/* A parameter's own sentence, when it is missing, says what to give. */
static void
test_decoder_says_the_hint_for_what_is_missing(void **state)
{
	struct vs_err err = {0};
	struct hint_args a;

	assert_int_equal(decode_text(hint_params, "{}", &a, &err), -EINVAL);
	assert_string_equal(err.msg, "say who: who=NAME");
	assert_int_equal(decode_text(hint_params, "{\"who\": \"me\"}", &a, &err), -EINVAL);
	assert_string_equal(err.msg, "give the settings to change, e.g. a=1");
	assert_int_equal(decode_text(hint_params, "{\"who\": \"me\", \"set\": {}}", &a, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "give the settings to change, e.g. a=1");
	assert_int_equal(
		decode_text(hint_params, "{\"who\": \"me\", \"set\": {\"a\": 1}}", &a, &err), 0);
	assert_int_equal(a.n_kv, 1);
}

static int typed_calls;

static int
counting(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	 struct vs_err *err)
{
	typed_calls++;
	return fake_typed(sw, args, params, result, err);
}

/* A refused request never reaches the handler, over the socket's path and
 * the config loader's (vs_rpc_call) alike; an accepted one gets the typed
 * struct. */
static void
test_dispatcher_decodes_before_the_handler(void **state)
{
	static const struct vs_rpc_method m[] = {
		{.name = "test.counted",
		 .fn = counting,
		 .params = typed_params,
		 .args_size = sizeof(struct typed_args),
		 .help = "counts its calls"},
	};
	struct fixture *f = *state;
	struct vs_err err = {0};
	json_t *r, *params, *result = NULL;

	assert_int_equal(vs_rpc_register(f->rpc, m, 1), 0);
	typed_calls = 0;
	r = handle(f, "{\"id\": 1, \"method\": \"test.counted\", \"params\": {\"size\": 0}}");
	assert_int_equal(err_code(r), -EINVAL); /* missing "name" comes first */
	assert_string_equal(err_msg(r), "missing parameter \"name\"");
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(json_object_get(r, "error"), "data"), "errno")),
			    "EINVAL");
	json_decref(r);
	r = handle(f, "{\"id\": 1, \"method\": \"test.counted\", \"params\": {\"name\": \"n\", "
		      "\"size\": 0}}");
	assert_int_equal(err_code(r), -ERANGE);
	assert_string_equal(err_msg(r), "parameter \"size\" must be from 1 to 100, not 0");
	json_decref(r);
	assert_int_equal(typed_calls, 0);
	params = json_pack("{s:s, s:i}", "name", "n", "sise", 5);
	assert_int_equal(vs_rpc_call(f->rpc, "test.counted", params, &result, &err), -EINVAL);
	assert_string_equal(err.msg, "unknown parameter \"sise\" (accepted: name, size)");
	json_decref(params);
	assert_int_equal(typed_calls, 0);
	params = json_pack("{s:s, s:i}", "name", "n", "size", 5);
	assert_int_equal(vs_rpc_call(f->rpc, "test.counted", params, &result, &err), 0);
	assert_int_equal(typed_calls, 1);
	assert_string_equal(json_string_value(json_object_get(result, "name")), "n");
	assert_int_equal(json_integer_value(json_object_get(result, "size")), 5);
	json_decref(result);
	json_decref(params);
}

struct small_args {
	const char *s;
	uint8_t u;
	bool b;
};

/* A table that does not fit its struct is a bug: registering it fails,
 * and nothing of it is registered. */
static void
test_register_refuses_a_table_that_does_not_fit(void **state)
{
	static const struct vs_rpc_param too_big[] = {
		{.name = "u", .kind = VS_RPC_UINT, .max = 256, VS_RPC_AT(struct small_args, u)},
		{0},
	};
	static const struct vs_rpc_param dflt_too_big[] = {
		{.name = "u",
		 .kind = VS_RPC_UINT,
		 .max = 255,
		 .dflt = 300,
		 VS_RPC_AT(struct small_args, u)},
		{0},
	};
	static const struct vs_rpc_param wrong_size[] = {
		{.name = "b", .kind = VS_RPC_STR, VS_RPC_AT(struct small_args, b)},
		{0},
	};
	static const struct vs_rpc_param twice[] = {
		{.name = "u", .kind = VS_RPC_UINT, .max = 9, VS_RPC_AT(struct small_args, u)},
		{.name = "u", .kind = VS_RPC_BOOL, VS_RPC_AT(struct small_args, b)},
		{0},
	};
	static const struct vs_rpc_param fits[] = {
		{.name = "s", .kind = VS_RPC_STR, VS_RPC_AT(struct small_args, s)},
		{.name = "u", .kind = VS_RPC_UINT, .max = 255, VS_RPC_AT(struct small_args, u)},
		{.name = "b", .kind = VS_RPC_BOOL, VS_RPC_AT(struct small_args, b)},
		{0},
	};
	struct {
		const struct vs_rpc_param *params;
		size_t size;
		bool free_form;
	} bad[] = {
		{too_big, sizeof(struct small_args)},    {dflt_too_big, sizeof(struct small_args)},
		{wrong_size, sizeof(struct small_args)}, {twice, sizeof(struct small_args)},
		{fits, offsetof(struct small_args, b)},  /* b is past the end */
		{fits, sizeof(struct small_args), true}, /* free-form has no table */
	};
	struct fixture *f = *state;
	unsigned int i;
	json_t *r;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vs_rpc_method m[2] = {
			{.name = "test.ok", .fn = fake_echo, .help = "fine"},
			{.name = "test.bad",
			 .fn = fake_echo,
			 .params = bad[i].params,
			 .args_size = bad[i].size,
			 .free_form = bad[i].free_form,
			 .usage = "x",
			 .help = "does not fit"},
		};

		if (vs_rpc_register(f->rpc, m, 2) != -EINVAL)
			fail_msg("table %u was registered", i);
	}
	r = handle(f, "{\"id\": 1, \"method\": \"rpc.list\"}");
	assert_int_equal(json_array_size(json_object_get(r, "result")), 3);
	json_decref(r);
	{
		const struct vs_rpc_method ok = {.name = "test.fits",
						 .fn = fake_echo,
						 .params = fits,
						 .args_size = sizeof(struct small_args),
						 .help = "fits"};

		assert_int_equal(vs_rpc_register(f->rpc, &ok, 1), 0);
	}
}

/* rpc.list is printed from the tables the dispatcher decodes by. */
static void
test_rpc_list_prints_the_parameter_tables(void **state)
{
	json_t *r = handle(*state, "{\"id\": 1, \"method\": \"rpc.list\"}");
	json_t *list = json_object_get(r, "result"), *typed = json_array_get(list, 2), *args;
	json_t *want =
		json_loads("[{\"name\": \"name\", \"type\": \"string\", \"required\": true},"
			   " {\"name\": \"size\", \"type\": \"integer\", \"required\": false,"
			   " \"min\": 1, \"max\": 100, \"default\": 0}]",
			   0, NULL);

	assert_string_equal(json_string_value(json_object_get(typed, "params")), "name [size]");
	args = json_object_get(typed, "args");
	if (!json_equal(args, want))
		fail_msg("args: %s", json_dumps(args, JSON_COMPACT));
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "params")),
			    "any"); /* free-form: its usage */
	assert_true(json_is_true(json_object_get(json_array_get(list, 0), "free_form")));
	assert_int_equal(json_array_size(json_object_get(json_array_get(list, 1), "args")), 0);
	json_decref(want);
	json_decref(r);
}

static json_t *
daemon_call(struct vs_rpc *rpc, const char *method, const char *params)
{
	char req[512];

	snprintf(req, sizeof(req), "{\"id\": 1, \"method\": \"%s\", \"params\": %s}", method,
		 params);
	return vs_rpc_handle(rpc, req, strlen(req));
}

/* The daemon's own tables: the usage rpc.list printed before they were
 * tables, and refusals made before any handler runs (there is no switch
 * here: a handler that ran would crash). */
static void
test_daemon_methods_are_decoded_by_their_tables(void **state)
{
	static const char *const usage[][2] = {
		{"bridge.add", "name [mac_aging] [mac_max] [may_exist]"},
		{"bridge.del", "name [if_exists]"},
		{"bridge.list", ""},
		{"fdb.show", "bridge"},
		{"fdb.flush", "bridge [port]"},
		{"fdb.add", "bridge port mac [vlan] [may_exist]"},
		{"fdb.del", "bridge mac [vlan]"},
		{"port.add", "bridge name type [options] [ofport_request] [may_exist]"},
		{"port.del", "name [bridge] [if_exists]"},
		{"port.set", "name options"},
		{"port.list", "[bridge]"},
		{"port.stats", "[name] [bridge]"},
		{"switch.show", ""},
		{"switch.memory", ""},
		{"switch.drop_reasons", ""},
		{"flow.add", "bridge flows [origin]"},
		{"flow.del", "bridge [match] [strict] [table] [out_port]"},
		{"flow.mod", "bridge flow [strict] [table]"},
		{"flow.replace", "bridge flows"},
		{"flow.dump", "bridge [match] [strict] [table] [out_port]"},
		{"flow.tables", "bridge"},
		{"group.add", "bridge group"},
		{"group.mod", "bridge group"},
		{"group.del", "bridge [group]"},
		{"group.dump", "bridge [group]"},
		{"group.stats", "bridge [group]"},
		{"pmd.stats", "[pmd]"},
		{"pmd.perf", "[pmd]"},
		{"pmd.stats_clear", ""},
		{"pmd.rxq_show", "[pmd]"},
		{"pmd.rebalance", "[dry_run]"},
		{"switch.set", "setting: value ..."},
		{"controller.set", "bridge targets"},
		{"controller.del", "bridge"},
		{"controller.list", "bridge"},
		{"bridge.set", "name options"},
		{"ssl.set", "private_key certificate ca_cert"},
		{"ssl.get", ""},
		{"ssl.del", ""},
	};
	static const struct {
		const char *method, *params;
		int code;
		const char *msg;
	} refused[] = {
		{"bridge.add", "{\"name\": \"b\", \"mac_max\": 3}", -ERANGE,
		 "parameter \"mac_max\" must be from 16 to 1048576, not 3"},
		{"bridge.add", "{\"name\": \"b\", \"mac_aging\": 0}", -ERANGE,
		 "parameter \"mac_aging\" must be from 1 to 86400, not 0"},
		{"bridge.add", "{\"name\": \"b\", \"colour\": \"red\"}", -EINVAL,
		 "unknown parameter \"colour\" (accepted: name, mac_aging, mac_max, may_exist)"},
		{"bridge.list", "{\"x\": 1}", -EINVAL, "unknown parameter \"x\" (accepted: none)"},
		{"fdb.add", "{\"bridge\": \"b\", \"mac\": \"02:00:00:00:00:01\"}", -EINVAL,
		 "missing parameter \"port\", the port the MAC is behind"},
		{"fdb.add",
		 "{\"bridge\": \"b\", \"port\": \"p\", \"mac\": \"02:00:00:00:00:01\", "
		 "\"may_exist\": \"yes\"}",
		 -EINVAL, "parameter \"may_exist\" must be true or false"},
		{"fdb.del", "{\"bridge\": \"b\", \"mac\": \"02:00:00:00:00:01\", \"vlan\": 5000}",
		 -ERANGE, "parameter \"vlan\" must be from 0 to 4095, not 5000"},
		{"port.set", "{\"name\": \"p\", \"options\": {}}", -EINVAL,
		 "give the options to change, e.g. pmd-rxq-affinity=0:2 or capture=on"},
		{"port.add",
		 "{\"bridge\": \"b\", \"name\": \"p\", \"type\": \"dpdk\", \"options\": "
		 "{\"devargs\": [\"x\"]}}",
		 -EINVAL, "option 'devargs' must be a string, a number or a boolean"},
		{"flow.add", "{\"bridge\": \"b\", \"flows\": [\"actions=drop\", 7]}", -EINVAL,
		 "flow rule #2 is not a string"},
		{"flow.dump", "{\"bridge\": \"b\", \"strict\": 1}", -EINVAL,
		 "parameter \"strict\" must be true or false"},
		{"pmd.stats", "{\"pmd\": 64}", -ERANGE,
		 "parameter \"pmd\" must be from 0 to 63, not 64"},
		{"pmd.rebalance", "{\"dry_run\": \"yes\"}", -EINVAL,
		 "parameter \"dry_run\" must be true or false"},
	};
	struct vs_rpc *rpc;
	json_t *r, *list;
	size_t i;

	assert_int_equal(vs_rpc_create(&rpc, NULL, NULL, NULL, 4096, NULL), 0);
	assert_int_equal(vs_rpc_methods_init(rpc), 0);
	r = vs_rpc_handle(rpc, "{\"id\": 1, \"method\": \"rpc.list\"}",
			  strlen("{\"id\": 1, \"method\": \"rpc.list\"}"));
	list = json_object_get(r, "result");
	assert_int_equal(json_array_size(list), sizeof(usage) / sizeof(usage[0]));
	for (i = 0; i < sizeof(usage) / sizeof(usage[0]); i++) {
		json_t *m = json_array_get(list, i);
		const char *name = json_string_value(json_object_get(m, "name"));
		const char *params = json_string_value(json_object_get(m, "params"));

		if (strcmp(name, usage[i][0]) != 0 || strcmp(params, usage[i][1]) != 0)
			fail_msg("#%zu: %s \"%s\", wanted %s \"%s\"", i, name, params, usage[i][0],
				 usage[i][1]);
	}
	json_decref(r);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		r = daemon_call(rpc, refused[i].method, refused[i].params);
		if (err_code(r) != refused[i].code || strcmp(err_msg(r), refused[i].msg) != 0)
			fail_msg("%s %s gave %d '%s', wanted %d '%s'", refused[i].method,
				 refused[i].params, err_code(r), err_msg(r), refused[i].code,
				 refused[i].msg);
		json_decref(r);
	}
	vs_rpc_destroy(rpc);
}

/* vswitchd --check-config's decoders are the methods' tables. */
static void
test_shared_decoders_are_the_methods_tables(void **state)
{
	const uint8_t want_mac[6] = {0x02, 0, 0, 0, 0, 0x0a};
	struct vs_err err = {0};
	struct vs_bridge_args ba;
	struct vs_port_params pp;
	struct vs_fdb_args fa;
	json_t *p;

	p = json_pack("{s:s}", "name", "br0");
	assert_int_equal(vs_bridge_params(p, &ba, &err), 0);
	assert_string_equal(ba.name, "br0");
	assert_int_equal(ba.conf.mac_aging, VS_FDB_AGING_DEFAULT);
	assert_int_equal(ba.conf.mac_max, VS_FDB_MAX_DEFAULT);
	json_decref(p);
	p = json_pack("{s:s, s:s, s:s, s:{s:s, s:i}}", "bridge", "br0", "name", "p0", "type",
		      "dpdk", "options", "devargs", "net_null0", "rxq", 2);
	assert_int_equal(vs_port_params(p, &pp, &err), 0);
	assert_string_equal(pp.type, "dpdk");
	assert_int_equal(pp.n_kv, 2);
	assert_string_equal(pp.kv[1].key, "rxq");
	assert_string_equal(pp.kv[1].val, "2");
	json_decref(p);
	p = json_pack("{s:s, s:s, s:s, s:i}", "bridge", "br0", "port", "p0", "mac",
		      "02:00:00:00:00:0a", "vlan", 7);
	assert_int_equal(vs_fdb_params(p, &fa, &err), 0);
	assert_memory_equal(fa.key.mac.addr_bytes, want_mac, 6);
	assert_int_equal(fa.key.vlan, 7);
	assert_false(fa.may_exist);
	/* A key fdb.add does not know is refused here as the loader's call
	 * would be. */
	json_object_set_new(p, "colour", json_string("red"));
	assert_int_equal(vs_fdb_params(p, &fa, &err), -EINVAL);
	assert_string_equal(err.msg, "unknown parameter \"colour\" (accepted: bridge, port, mac, "
				     "vlan, may_exist)");
	json_decref(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
		T(test_decoder_decodes_each_kind),
		T(test_decoder_sets_defaults_for_what_is_absent),
		T(test_decoder_refuses_with_the_parameter_named),
		T(test_decoder_value_longer_than_an_option_holds_is_refused),
		T(test_decoder_says_the_hint_for_what_is_missing),
		T(test_dispatcher_decodes_before_the_handler),
		T(test_register_refuses_a_table_that_does_not_fit),
		T(test_rpc_list_prints_the_parameter_tables),
		T(test_daemon_methods_are_decoded_by_their_tables),
		T(test_shared_decoders_are_the_methods_tables),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
