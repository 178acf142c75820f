/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_rpc.c: the JSON-RPC server (control/rpc.c): the envelope
 * and its errors, the parameter helpers, and framing over a real unix
 * socket driven through the event loop, including abusive clients. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness.h"
#include "loop.h"
#include "rpc.h"

static int
fake_echo(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	*result = json_incref(params);
	return 0;
}

static int
fake_fail(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	return vs_err_set(err, -EEXIST, "bridge br0 already exists");
}

static int
fake_typed(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err)
{
	static const char *const keys[] = {"name", "size", NULL};
	const char *name = NULL;
	uint64_t size = 0;
	int ret;

	if ((ret = vs_rpc_check_keys(params, keys, err)) < 0 ||
	    (ret = vs_rpc_str(params, "name", true, &name, err)) < 0 ||
	    (ret = vs_rpc_uint(params, "size", false, 1, 100, &size, err)) < 0)
		return ret;
	*result = json_pack("{s:s, s:I}", "name", name, "size", (json_int_t)size);
	return 0;
}

static const struct vs_rpc_method fake_methods[] = {
	{"test.echo", fake_echo, "any", "returns its params"},
	{"test.fail", fake_fail, "", "always fails"},
	{"test.typed", fake_typed, "name [size]", "checks its params"},
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

static void
test_too_many_clients_are_refused_politely(void **state)
{
	struct fixture *f = *state;
	int fds[70], i, extra;
	char buf[512];
	bool eof;

	for (i = 0; i < 64; i++) {
		fds[i] = client(f);
		pump(f, 1);
	}
	extra = client(f);
	read_reply(f, extra, buf, sizeof(buf), 1, &eof);
	assert_non_null(strstr(buf, "too many control clients"));
	close(extra);
	/* The first client is still served. */
	send(fds[0], "{\"id\": 1, \"method\": \"test.echo\"}\n", 34, 0);
	read_reply(f, fds[0], buf, sizeof(buf), 1, &eof);
	assert_non_null(strstr(buf, "\"result\""));
	for (i = 0; i < 64; i++)
		close(fds[i]);
	pump(f, 5);
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
		T(test_rpc_list_describes_every_method),
		T(test_two_requests_in_one_write_get_two_responses),
		T(test_request_split_across_writes_is_reassembled),
		T(test_last_request_needs_no_newline),
		T(test_oversized_request_is_refused_and_server_survives),
		T(test_garbage_then_valid_request_on_same_connection),
		T(test_too_many_clients_are_refused_politely),
#undef T
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
