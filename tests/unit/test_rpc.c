/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_rpc.c: the JSON-RPC server (control/rpc/rpc.c): the envelope
 * and its errors, the parameter tables and their decoder, and framing over a real unix
 * socket driven through the event loop, including abusive clients. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "loop.h"
#include "rpc.h"
#include "rpc_methods.h"

static int
fake_echo(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	  struct vs_err *err)
{
	*result = json_incref(params);
	return 0;
}

static int
fake_fail(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	  struct vs_err *err)
{
	return vs_err_set(err, -EEXIST, "bridge br0 already exists");
}

struct typed_args {
	const char *name;
	uint64_t size;
};

static int
fake_typed(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	   struct vs_err *err)
{
	const struct typed_args *a = args;

	*result = json_pack("{s:s, s:I}", "name", a->name, "size", (json_int_t)a->size);
	return 0;
}

static const struct vs_rpc_param typed_params[] = {
	{.name = "name", .kind = VS_RPC_STR, .required = true, VS_RPC_AT(struct typed_args, name)},
	{.name = "size",
	 .kind = VS_RPC_UINT,
	 .min = 1,
	 .max = 100,
	 VS_RPC_AT(struct typed_args, size)},
	{0},
};

static const struct vs_rpc_method fake_methods[] = {
	{.name = "test.echo",
	 .fn = fake_echo,
	 .free_form = true,
	 .usage = "any",
	 .help = "returns its params"},
	{.name = "test.fail", .fn = fake_fail, .help = "always fails"},
	{.name = "test.typed",
	 .fn = fake_typed,
	 .params = typed_params,
	 .args_size = sizeof(struct typed_args),
	 .help = "checks its params"},
};

struct fixture {
	struct vs_loop *loop;
	struct vs_rpc *rpc;
	char path[108];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	snprintf(f->path, sizeof(f->path), "/tmp/vs-unit-rpc-%d.sock", (int)getpid());
	assert_int_equal(vs_loop_create(&f->loop), 0);
	assert_int_equal(vs_rpc_create(&f->rpc, NULL, f->loop, f->path, 4096, NULL), 0);
	assert_int_equal(vs_rpc_register(f->rpc, fake_methods, 3), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	vs_rpc_destroy(f->rpc);
	vs_loop_destroy(f->loop);
	assert_int_equal(access(f->path, F_OK), -1); /* socket removed */
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

static void
test_malformed_json_gets_parse_error_with_position(void **state)
{
	json_t *r = handle(*state, "{\"method\": \"test.echo\", \"id\": 1,");

	assert_int_equal(err_code(r), VS_RPC_PARSE_ERROR);
	assert_non_null(strstr(err_msg(r), "column"));
	assert_true(json_is_null(json_object_get(r, "id")));
	json_decref(r);
}

static void
test_non_objects_and_batches_are_invalid_requests(void **state)
{
	json_t *r = handle(*state, "42");

	assert_int_equal(err_code(r), VS_RPC_INVALID_REQUEST);
	json_decref(r);
	r = handle(*state, "[{\"method\": \"test.echo\", \"id\": 1}]");
	assert_int_equal(err_code(r), VS_RPC_INVALID_REQUEST);
	assert_non_null(strstr(err_msg(r), "batch"));
	json_decref(r);
}

static void
test_missing_or_unknown_method_is_reported(void **state)
{
	json_t *r = handle(*state, "{\"id\": 1}");

	assert_int_equal(err_code(r), VS_RPC_INVALID_REQUEST);
	json_decref(r);
	r = handle(*state, "{\"id\": 1, \"method\": 7}");
	assert_int_equal(err_code(r), VS_RPC_INVALID_REQUEST);
	json_decref(r);
	r = handle(*state, "{\"id\": 1, \"method\": \"bridge.explode\"}");
	assert_int_equal(err_code(r), VS_RPC_METHOD_NOT_FOUND);
	assert_non_null(strstr(err_msg(r), "bridge.explode"));
	json_decref(r);
}

static void
test_envelope_mistakes_are_invalid_requests(void **state)
{
	static const char *const bad[] = {
		"{\"id\": 1, \"method\": \"test.echo\", \"jsonrpc\": \"1.0\"}",
		"{\"id\": 1, \"method\": \"test.echo\", \"extra\": true}",
		"{\"id\": {\"a\": 1}, \"method\": \"test.echo\"}",
		"{\"id\": 1, \"method\": \"test.echo\", \"id\": 2}", /* duplicate key */
	};
	unsigned int i;

	for (i = 0; i < 4; i++) {
		json_t *r = handle(*state, bad[i]);
		int code = err_code(r);

		assert_true(code == VS_RPC_INVALID_REQUEST || code == VS_RPC_PARSE_ERROR);
		json_decref(r);
	}
}

static void
test_params_must_be_named(void **state)
{
	json_t *r = handle(*state, "{\"id\": 1, \"method\": \"test.echo\", \"params\": [1, 2]}");

	assert_int_equal(err_code(r), VS_RPC_INVALID_PARAMS);
	json_decref(r);
}

static void
test_result_echoes_the_request_id(void **state)
{
	json_t *r = handle(*state, "{\"jsonrpc\": \"2.0\", \"id\": \"abc\", \"method\": "
				   "\"test.echo\", \"params\": {\"x\": 5}}");

	assert_string_equal(json_string_value(json_object_get(r, "id")), "abc");
	assert_string_equal(json_string_value(json_object_get(r, "jsonrpc")), "2.0");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "result"), "x")), 5);
	json_decref(r);
}

static void
test_notification_gets_no_response(void **state)
{
	assert_null(handle(*state, "{\"method\": \"test.echo\"}"));
	assert_null(handle(*state, "{\"method\": \"test.fail\"}"));
}

static void
test_handler_error_carries_errno_and_message(void **state)
{
	json_t *r = handle(*state, "{\"id\": 3, \"method\": \"test.fail\"}");
	json_t *e = json_object_get(r, "error");

	assert_int_equal(err_code(r), -EEXIST);
	assert_string_equal(err_msg(r), "bridge br0 already exists");
	assert_string_equal(json_string_value(json_object_get(json_object_get(e, "data"), "errno")),
			    "EEXIST");
	json_decref(r);
}

static void
test_param_helpers_name_the_parameter(void **state)
{
	static const struct {
		const char *params, *expect;
	} cases[] = {
		{"{}", "missing parameter \"name\""},
		{"{\"name\": 3}", "parameter \"name\" must be a string"},
		{"{\"name\": \"a\", \"size\": \"big\"}", "parameter \"size\" must be an integer"},
		{"{\"name\": \"a\", \"size\": 101}",
		 "parameter \"size\" must be from 1 to 100, not 101"},
		{"{\"name\": \"a\", \"size\": -1}", "must be from 1 to 100"},
		{"{\"name\": \"a\", \"colour\": 1}",
		 "unknown parameter \"colour\" (accepted: name, size)"},
	};
	char req[256];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *r;

		snprintf(req, sizeof(req),
			 "{\"id\": 1, \"method\": \"test.typed\", \"params\": %s}",
			 cases[i].params);
		r = handle(*state, req);
		assert_non_null(json_object_get(r, "error"));
		if (strstr(err_msg(r), cases[i].expect) == NULL)
			fail_msg("'%s' gave '%s', wanted '%s'", cases[i].params, err_msg(r),
				 cases[i].expect);
		json_decref(r);
	}
}

/* ---- the decoder (rpc_params.c): each kind, each refusal ---- */

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
		{"bridge.add", "name [mac_aging] [mac_max]"},
		{"bridge.del", "name"},
		{"bridge.list", ""},
		{"fdb.show", "bridge"},
		{"fdb.flush", "bridge [port]"},
		{"fdb.add", "bridge port mac [vlan] [may_exist]"},
		{"fdb.del", "bridge mac [vlan]"},
		{"port.add", "bridge name type [options]"},
		{"port.del", "name [bridge]"},
		{"port.set", "name options"},
		{"port.list", "[bridge]"},
		{"port.stats", "[name]"},
		{"switch.show", ""},
		{"switch.memory", ""},
		{"switch.drop_reasons", ""},
		{"flow.add", "bridge flows"},
		{"flow.del", "bridge [match] [strict]"},
		{"flow.mod", "bridge flow [strict]"},
		{"flow.replace", "bridge flows"},
		{"flow.dump", "bridge [match] [strict]"},
		{"pmd.stats", "[pmd]"},
		{"pmd.perf", "[pmd]"},
		{"pmd.stats_clear", ""},
		{"pmd.rxq_show", "[pmd]"},
		{"pmd.rebalance", "[dry_run]"},
		{"switch.set", "setting: value ..."},
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
		 "unknown parameter \"colour\" (accepted: name, mac_aging, mac_max)"},
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

static void
test_rpc_list_describes_every_method(void **state)
{
	json_t *r = handle(*state, "{\"id\": 1, \"method\": \"rpc.list\"}");
	json_t *list = json_object_get(r, "result");

	assert_int_equal(json_array_size(list), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 2), "name")),
			    "test.typed");
	json_decref(r);
}

static char *
read_text_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 1 << 20);
	size_t n;

	if (fp == NULL)
		fail_msg("cannot open %s", path);
	n = fread(buf, 1, (1 << 20) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* The methods vswitchd serves (vs_rpc_methods_init, which its main()
 * calls): each named <module>.<verb>, once, with its parameters and a
 * sentence of help as rpc.list reports them, and a row in docs/cli.md. */
static void
test_rpc_list_describes_every_method_the_daemon_serves(void **state)
{
	char *doc = read_text_file(VS_SOURCE_ROOT "/docs/cli.md"), row[96];
	struct vs_rpc *rpc;
	json_t *r, *list, *m;
	size_t i, j;

	assert_int_equal(vs_rpc_create(&rpc, NULL, NULL, NULL, 4096, NULL), 0);
	assert_int_equal(vs_rpc_methods_init(rpc), 0);
	r = vs_rpc_handle(rpc, "{\"id\": 1, \"method\": \"rpc.list\"}",
			  strlen("{\"id\": 1, \"method\": \"rpc.list\"}"));
	list = json_object_get(r, "result");
	assert_true(json_array_size(list) >= 20); /* five modules' tables */
	json_array_foreach (list, i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		const char *params = json_string_value(json_object_get(m, "params"));
		const char *help = json_string_value(json_object_get(m, "help"));
		const char *dot = name ? strchr(name, '.') : NULL;

		if (dot == NULL || dot == name || dot[1] == '\0')
			fail_msg("method %zu is named '%s', not <module>.<verb>", i, name);
		if (params == NULL || help == NULL || strlen(help) < 8)
			fail_msg("%s has no params string or no help sentence", name);
		for (j = 0; j < i; j++)
			if (strcmp(name, json_string_value(json_object_get(json_array_get(list, j),
									   "name"))) == 0)
				fail_msg("%s is registered twice", name);
		snprintf(row, sizeof(row), "| `%s` |", name);
		if (strstr(doc, row) == NULL)
			fail_msg("%s is missing from the methods table of docs/cli.md", name);
	}
	json_decref(r);
	vs_rpc_destroy(rpc);
	free(doc);
}

/* ---- over the socket ---- */

static int
client(struct fixture *f)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(sa.sun_path, f->path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static void
pump(struct fixture *f, int rounds)
{
	while (rounds-- > 0)
		vs_loop_run_once(f->loop, 5);
}

/* Read what the server sent, pumping the loop, until 'lines' newlines or
 * EOF or a bounded number of rounds. Returns the bytes read. */
static size_t
read_reply(struct fixture *f, int fd, char *buf, size_t size, int lines, bool *eof)
{
	size_t len = 0;
	int round, seen = 0;

	*eof = false;
	for (round = 0; round < 400 && seen < lines && !*eof; round++) {
		ssize_t r;

		pump(f, 1);
		while ((r = recv(fd, buf + len, size - len - 1, 0)) > 0) {
			for (ssize_t i = 0; i < r; i++)
				seen += buf[len + (size_t)i] == '\n';
			len += (size_t)r;
		}
		if (r == 0)
			*eof = true;
	}
	buf[len] = '\0';
	return len;
}

static void
test_two_requests_in_one_write_get_two_responses(void **state)
{
	struct fixture *f = *state;
	const char *req = "{\"id\": 1, \"method\": \"test.echo\"}\n"
			  "{\"id\": 2, \"method\": \"test.fail\"}\n";
	char buf[4096];
	bool eof;
	int fd = client(f);

	pump(f, 2);
	assert_int_equal(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
	read_reply(f, fd, buf, sizeof(buf), 2, &eof);
	assert_non_null(strstr(buf, "\"id\":1,\"result\""));
	assert_non_null(strstr(buf, "\"id\":2,\"error\""));
	assert_false(eof); /* the connection stays open for more */
	close(fd);
	pump(f, 2);
}

static void
test_request_split_across_writes_is_reassembled(void **state)
{
	struct fixture *f = *state;
	char buf[4096];
	bool eof;
	int fd = client(f);

	pump(f, 2);
	send(fd, "{\"id\": 7, \"meth", 15, 0);
	pump(f, 3);
	send(fd, "od\": \"test.echo\"}\n", 18, 0);
	read_reply(f, fd, buf, sizeof(buf), 1, &eof);
	assert_non_null(strstr(buf, "\"id\":7,\"result\""));
	close(fd);
	pump(f, 2);
}

static void
test_last_request_needs_no_newline(void **state)
{
	struct fixture *f = *state;
	const char *req = "{\"id\": 9, \"method\": \"test.echo\"}";
	char buf[4096];
	bool eof;
	int fd = client(f);

	pump(f, 2);
	send(fd, req, strlen(req), 0);
	shutdown(fd, SHUT_WR);
	read_reply(f, fd, buf, sizeof(buf), 1, &eof);
	assert_non_null(strstr(buf, "\"id\":9,\"result\""));
	close(fd);
	pump(f, 2);
}

static void
test_oversized_request_is_refused_and_server_survives(void **state)
{
	struct fixture *f = *state;
	char big[16384], buf[4096];
	bool eof;
	int fd = client(f), fd2;

	memset(big, ' ', sizeof(big)); /* 16 KiB, no newline; limit is 4 KiB */
	pump(f, 2);
	send(fd, big, sizeof(big), 0);
	read_reply(f, fd, buf, sizeof(buf), 1, &eof);
	assert_non_null(strstr(buf, "larger than 4096 bytes"));
	close(fd);
	pump(f, 5);
	/* The next client is served as usual. */
	fd2 = client(f);
	pump(f, 2);
	send(fd2, "{\"id\": 1, \"method\": \"test.echo\"}\n", 34, 0);
	read_reply(f, fd2, buf, sizeof(buf), 1, &eof);
	assert_non_null(strstr(buf, "\"result\""));
	close(fd2);
	pump(f, 2);
}

static void
test_garbage_then_valid_request_on_same_connection(void **state)
{
	struct fixture *f = *state;
	const char *req = "\x01\x02garbage}}\n\n{\"id\": 4, \"method\": \"test.echo\"}\n";
	char buf[4096];
	bool eof;
	int fd = client(f);

	pump(f, 2);
	send(fd, req, strlen(req), 0);
	read_reply(f, fd, buf, sizeof(buf), 2, &eof);
	assert_non_null(strstr(buf, "-32700"));
	assert_non_null(strstr(buf, "\"id\":4,\"result\""));
	close(fd);
	pump(f, 2);
}

static const char half_request[] = "{\"id\": 1, \"method\": \"test.ec";
static const char half_rest[] = "ho\"}\n";

/* A client with a request in progress, not to be displaced. */
static int
busy_client(struct fixture *f)
{
	int fd = client(f);

	assert_int_equal(send(fd, half_request, strlen(half_request), 0),
			 (ssize_t)strlen(half_request));
	pump(f, 1);
	return fd;
}

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Still connected: nothing to read, no end of file. */
static bool
is_open(int fd)
{
	char c;

	return recv(fd, &c, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN;
}

static void
test_too_many_clients_are_refused_politely(void **state)
{
	struct fixture *f = *state;
	const char *req = "{\"id\": 1, \"method\": \"test.echo\"}\n";
	int fds[70], i, extra;
	char buf[512];
	size_t len;
	ssize_t r = -1;
	bool eof;

	for (i = 0; i < 64; i++)
		fds[i] = busy_client(f);
	/* It has sent its request before the server looked: it still gets
	 * the line, then an end of file, not a reset. */
	extra = client(f);
	send(extra, req, strlen(req), 0);
	for (i = 0, len = 0; i < 400; i++) {
		pump(f, 1);
		while ((r = recv(extra, buf + len, sizeof(buf) - 1 - len, 0)) > 0)
			len += (size_t)r;
		if (r == 0 || errno != EAGAIN)
			break;
	}
	assert_int_equal(r, 0); /* an end of file after the line, not a reset */
	buf[len] = '\0';
	assert_non_null(strstr(buf, "\"code\":-32000"));
	assert_non_null(strstr(buf, "too many control clients (64), all busy"));
	close(extra);
	/* The first client is still served. */
	send(fds[0], half_rest, strlen(half_rest), 0);
	read_reply(f, fds[0], buf, sizeof(buf), 1, &eof);
	assert_non_null(strstr(buf, "\"result\""));
	for (i = 0; i < 64; i++)
		close(fds[i]);
	pump(f, 5);
}

static void
test_idle_clients_make_room_for_a_new_one(void **state)
{
	struct fixture *f = *state;
	const char *req = "{\"id\": 5, \"method\": \"test.echo\"}\n";
	int fds[64], i, busy, extra;
	char buf[512];
	bool eof;

	busy = busy_client(f); /* the oldest, but busy: kept */
	for (i = 0; i < 63; i++) {
		fds[i] = client(f);
		pump(f, 1);
	}
	extra = client(f);
	send(extra, req, strlen(req), 0);
	read_reply(f, extra, buf, sizeof(buf), 1, &eof);
	assert_non_null(strstr(buf, "\"id\":5,\"result\""));
	/* The one idle longest made room; the others are still there. */
	read_reply(f, fds[0], buf, sizeof(buf), 1, &eof);
	assert_true(eof);
	for (i = 1; i < 63; i++)
		assert_true(is_open(fds[i]));
	send(busy, half_rest, strlen(half_rest), 0);
	read_reply(f, busy, buf, sizeof(buf), 1, &eof);
	assert_non_null(strstr(buf, "\"result\""));
	for (i = 0; i < 63; i++)
		close(fds[i]);
	close(busy);
	close(extra);
	pump(f, 5);
}

static void
test_idle_half_sent_and_unread_clients_time_out(void **state)
{
	struct fixture *f = *state;
	char big[3000], req[3200];
	int idle, half, deaf, i;
	uint64_t t0;
	bool eof;

	vs_rpc_set_idle_timeout(f->rpc, 1000);
	idle = client(f);
	half = busy_client(f);
	deaf = client(f);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(req, sizeof(req),
		 "{\"id\": 1, \"method\": \"test.echo\", \"params\": {\"x\": \"%s\"}}\n", big);
	for (i = 0; i < 400; i++) { /* ~1.2 MB of responses it never reads */
		if (send(deaf, req, strlen(req), 0) < 0)
			break;
		pump(f, 1);
	}
	pump(f, 5);
	/* Its idleness starts now, not before the loop above, which takes
	 * more than the half second of slack below on a loaded machine. */
	snprintf(req, sizeof(req), "{\"id\": 2, \"method\": \"test.echo\"}\n");
	send(idle, req, strlen(req), 0);
	read_reply(f, idle, big, sizeof(big), 1, &eof);
	assert_non_null(strstr(big, "\"id\":2,\"result\""));
	t0 = mono_ms();
	vs_rpc_tick(f->rpc, t0 + 500);
	assert_true(is_open(idle));
	vs_rpc_tick(f->rpc, t0 + 1500);
	pump(f, 1);
	assert_int_equal(recv(idle, big, 1, MSG_DONTWAIT), 0); /* closed: idle */
	assert_true(is_open(half));                            /* a request in progress has 30 s */
	vs_rpc_tick(f->rpc, t0 + 31000);
	pump(f, 1);
	assert_int_equal(recv(half, big, 1, MSG_DONTWAIT), 0);
	/* The deaf one is gone too: reading it now finds the responses that
	 * were in flight, then the end (or a reset: its requests were unread). */
	while ((i = (int)recv(deaf, big, sizeof(big), MSG_DONTWAIT)) > 0)
		;
	assert_true(i == 0 || errno == ECONNRESET);
	close(idle);
	close(half);
	close(deaf);
}

/* Clients of another user leave RESERVED_CLIENTS (8) slots to root, even
 * when every one of theirs is busy. Needs root, to become another user. */
static void
test_other_users_leave_slots_for_root(void **state)
{
	struct fixture *f = *state;
	int up[2], down[2], fds[9], i, refused = -1, status;
	char buf[512], go = 0;
	pid_t pid;
	bool eof;

	if (geteuid() != 0)
		skip();
	assert_int_equal(chmod(f->path, 0666), 0);
	assert_int_equal(pipe(up), 0);
	assert_int_equal(pipe(down), 0);
	pid = fork();
	if (pid == 0) { /* as nobody: 60 busy clients, then count the refused */
		int cfd[60], n = 0;

		close(up[0]);
		close(down[1]); /* so that the parent's end ends this */
		if (setuid(65534) < 0)
			_exit(100);
		for (i = 0; i < 60; i++) {
			cfd[i] = client(f);
			send(cfd[i], half_request, strlen(half_request), 0);
		}
		(void)!write(up[1], &go, 1);
		(void)!read(down[0], &go, 1);
		for (i = 0; i < 60; i++) {
			ssize_t r = recv(cfd[i], buf, sizeof(buf) - 1, MSG_DONTWAIT);

			buf[r > 0 ? r : 0] = '\0';
			n += strstr(buf, "of users other than root (56; 8 of the 64") != NULL;
		}
		(void)!write(up[1], &n, sizeof(n));
		(void)!read(down[0], &go, 1);
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	for (i = 0; i < 2000; i++) { /* pump until the child is connected */
		struct pollfd p = {.fd = up[0], .events = POLLIN};

		pump(f, 1);
		if (poll(&p, 1, 0) == 1)
			break;
	}
	assert_int_equal(read(up[0], &go, 1), 1);
	pump(f, 20);
	assert_int_equal(write(down[1], &go, 1), 1);
	assert_int_equal(read(up[0], &refused, sizeof(refused)), sizeof(refused));
	assert_int_equal(refused, 4); /* 56 of its 60 got in */
	for (i = 0; i < 8; i++)       /* root's 8, busy as well: all in */
		fds[i] = busy_client(f);
	for (i = 0; i < 8; i++)
		assert_true(is_open(fds[i]));
	fds[8] = client(f); /* and now it is full for root too */
	read_reply(f, fds[8], buf, sizeof(buf), 1, &eof);
	assert_non_null(strstr(buf, "too many control clients (64), all busy"));
	assert_int_equal(write(down[1], &go, 1), 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	close(up[0]);
	close(down[1]);
	for (i = 0; i < 9; i++)
		close(fds[i]);
	pump(f, 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
		T(test_malformed_json_gets_parse_error_with_position),
		T(test_non_objects_and_batches_are_invalid_requests),
		T(test_missing_or_unknown_method_is_reported),
		T(test_envelope_mistakes_are_invalid_requests),
		T(test_params_must_be_named),
		T(test_result_echoes_the_request_id),
		T(test_notification_gets_no_response),
		T(test_handler_error_carries_errno_and_message),
		T(test_param_helpers_name_the_parameter),
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
		T(test_rpc_list_describes_every_method),
		T(test_rpc_list_describes_every_method_the_daemon_serves),
		T(test_two_requests_in_one_write_get_two_responses),
		T(test_request_split_across_writes_is_reassembled),
		T(test_last_request_needs_no_newline),
		T(test_oversized_request_is_refused_and_server_survives),
		T(test_garbage_then_valid_request_on_same_connection),
		T(test_too_many_clients_are_refused_politely),
		T(test_idle_clients_make_room_for_a_new_one),
		T(test_idle_half_sent_and_unread_clients_time_out),
		T(test_other_users_leave_slots_for_root),
#undef T
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
