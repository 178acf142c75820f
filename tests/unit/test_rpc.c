/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_rpc.c: the JSON-RPC server (control/rpc/rpc.c): the envelope
 * and its errors, a method's parameter table refusing (the decoder itself:
 * test_rpc_params.c), and framing over a real unix
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
#include "rpc_fake.h"
#include "rpc_methods.h"

static int
fake_fail(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	  struct vs_err *err)
{
	return vs_err_set(err, -EEXIST, "bridge br0 already exists");
}

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
