/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_cli.c: vswitchctl's library (cli/) without its main():
 * arguments into parameters (args.c and each command module's builders),
 * results into text (output.c, table.c, the printers), the client's
 * refusals (client.c). Linking every module of the library without
 * vswitchctl.c is itself a check: a module that called into it would not
 * link. No daemon, no DPDK. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "args.h"
#include "cli.h"
#include "client.h"
#include "output.h"

/* What 'print' writes to stdout for 'r', into 'buf'. */
static void
printed(print_fn *print, json_t *r, char *buf, size_t size)
{
	FILE *tmp = tmpfile();
	size_t n;
	int saved;

	assert_non_null(tmp);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);
	print(r);
	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, size - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
}

/* Run 'build' in a child; returns its exit status, with what it wrote to
 * stderr in 'msg'. A builder that refuses the arguments exits. */
static int
build_status(const struct cmd *c, build_fn *build, int argc, char **argv, char *msg, size_t size)
{
	int fds[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const char *method;
		json_t *params;

		dup2(fds[1], STDERR_FILENO);
		build(c, argc, argv, &method, &params);
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], msg + got, size - 1 - (size_t)got)) > 0)
		got += n;
	msg[got] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void
test_key_values_become_typed_parameters(void **state)
{
	static const struct cmd c = {.name = "add-br", .method = "bridge.add", .pos = {"name"}};
	char *argv[] = {
		"br0", "mac_aging=300", "mac_max=", "x=12a", "big=1234567890123456789", "s=a=b"};
	const char *method;
	json_t *params;

	build_kv_tail(&c, 6, argv, &method, &params);
	assert_string_equal(method, "bridge.add");
	assert_int_equal(json_object_size(params), 6);
	assert_string_equal(jstr(params, "name"), "br0");
	assert_true(json_is_integer(json_object_get(params, "mac_aging")));
	assert_int_equal(jint(params, "mac_aging"), 300);
	/* The daemon says what it wanted: anything but 1 to 18 digits stays text. */
	assert_string_equal(jstr(params, "mac_max"), "");
	assert_string_equal(jstr(params, "x"), "12a");
	assert_string_equal(jstr(params, "big"), "1234567890123456789");
	assert_string_equal(jstr(params, "s"), "a=b");
	/* Absent members read as empty, not as a crash. */
	assert_string_equal(jstr(params, "nope"), "");
	assert_int_equal(jint(params, "nope"), 0);
	assert_true(jreal(params, "nope") == 0.0);
	json_decref(params);
}

static void
test_arguments_that_cannot_be_sent_exit_with_usage(void **state)
{
	static const struct cmd c = {.name = "set", .method = "switch.set"};
	static const struct cmd pmd = {.name = "pmd-stats-show", .usage = "[--pmd N]"};
	char *novalue[] = {"novalue"}, *twice[] = {"a=1", "a=2"}, *nokey[] = {"=3"};
	char *badpmd[] = {"--pmd", "x"}, *badopt[] = {"--pm", "1"};
	char msg[256];

	assert_int_equal(build_status(&c, build_kv_tail, 1, novalue, msg, sizeof(msg)), EXIT_USAGE);
	assert_string_equal(msg, "vswitchctl: 'novalue' is not of the form key=value\n");
	assert_int_equal(build_status(&c, build_kv_tail, 2, twice, msg, sizeof(msg)), EXIT_USAGE);
	assert_string_equal(msg, "vswitchctl: 'a' is given twice\n");
	assert_int_equal(build_status(&c, build_kv_tail, 1, nokey, msg, sizeof(msg)), EXIT_USAGE);
	assert_string_equal(msg, "vswitchctl: '=3' is not of the form key=value\n");
	assert_int_equal(build_status(&pmd, build_pmd_filter, 2, badpmd, msg, sizeof(msg)),
			 EXIT_USAGE);
	assert_string_equal(msg, "vswitchctl: --pmd: 'x' is not a PMD number (pmd-stats-show "
				 "lists them)\n");
	assert_int_equal(build_status(&pmd, build_pmd_filter, 2, badopt, msg, sizeof(msg)),
			 EXIT_USAGE);
	assert_string_equal(msg, "vswitchctl: usage: vswitchctl pmd-stats-show [--pmd N]\n");
	/* And a good one returns. */
	assert_int_equal(build_status(&c, build_kv_tail, 1, twice, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "");
}

static void
test_port_and_pmd_builders(void **state)
{
	static const struct cmd del = {.name = "del-port", .method = "port.del", .pos = {"name"}};
	static const struct cmd pmd = {.name = "pmd-stats-show", .method = "pmd.stats"};
	static const struct cmd add = {
		.name = "add-port", .method = "port.add", .pos = {"bridge", "name"}};
	char *one[] = {"p0"}, *two[] = {"br0", "p0"}, *n[] = {"--pmd", "3"};
	char *port[] = {"br0", "p0", "type=dpdk", "devargs=net_tap0,iface=tap0", "rxq=2"};
	const char *method;
	json_t *params, *opts;

	build_del_port(&del, 1, one, &method, &params);
	assert_string_equal(method, "port.del");
	assert_int_equal(json_object_size(params), 1);
	assert_string_equal(jstr(params, "name"), "p0");
	json_decref(params);
	build_del_port(&del, 2, two, &method, &params);
	assert_int_equal(json_object_size(params), 2);
	assert_string_equal(jstr(params, "name"), "p0");
	assert_string_equal(jstr(params, "bridge"), "br0");
	json_decref(params);

	/* Port options stay strings: the port type's table decides. */
	build_add_port(&add, 5, port, &method, &params);
	assert_string_equal(jstr(params, "type"), "dpdk");
	opts = json_object_get(params, "options");
	assert_int_equal(json_object_size(opts), 2);
	assert_string_equal(jstr(opts, "devargs"), "net_tap0,iface=tap0");
	assert_string_equal(jstr(opts, "rxq"), "2");
	json_decref(params);

	build_pmd_filter(&pmd, 2, n, &method, &params);
	assert_string_equal(method, "pmd.stats");
	assert_int_equal(jint(params, "pmd"), 3);
	json_decref(params);
}

static void
test_rule_files_skip_comments_and_name_the_failing_line(void **state)
{
	static const struct cmd c = {.name = "add-flows", .method = "flow.add"};
	char path[] = "/tmp/test_cli_rules.XXXXXX", where[400];
	const char *method;
	char *argv[2];
	json_t *params, *flows, *error;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("priority=1,actions=drop\n\n# a comment\n  in_port=p0,actions=normal  \n", f);
	fclose(f);
	argv[0] = "br0";
	argv[1] = path;
	build_flows_file(&c, 2, argv, &method, &params);
	unlink(path);
	assert_string_equal(method, "flow.add");
	assert_string_equal(jstr(params, "bridge"), "br0");
	flows = json_object_get(params, "flows");
	assert_int_equal(json_array_size(flows), 2);
	assert_string_equal(json_string_value(json_array_get(flows, 1)),
			    "in_port=p0,actions=normal");
	json_decref(params);

	/* The daemon's data.item counts rules from 1; the file counts lines. */
	error = json_pack("{s:s, s:{s:i}}", "message", "bad", "data", "item", 2);
	snprintf(where, sizeof(where), "%s:4: ", path);
	assert_string_equal(flow_error_where(error), where);
	json_decref(error);
	error = json_pack("{s:s, s:{s:i}}", "message", "bad", "data", "item", 3);
	assert_string_equal(flow_error_where(error), "");
	json_decref(error);
	error = json_pack("{s:s}", "message", "no such bridge");
	assert_string_equal(flow_error_where(error), "");
	json_decref(error);
}

static void
test_printers_lay_results_out(void **state)
{
	char buf[1024];
	json_t *r;

	r = json_pack("{s:i, s:i, s:i}", "deleted", 1, "added", 2, "rules", 3);
	printed(print_flow_change, r, buf, sizeof(buf));
	assert_string_equal(buf, "added 2, deleted 1, rules 3\n");
	json_decref(r);

	r = json_pack("[{s:s, s:s, s:s}, {s:s, s:s, s:s}]", "name", "same_port", "cause", "config",
		      "help", "to the port it came from", "name", "rx_invalid", "cause", "peer",
		      "help", "runt");
	printed(print_drops, r, buf, sizeof(buf));
	assert_string_equal(buf, "REASON      CAUSE   MEANING\n"
				 "same_port   config  to the port it came from\n"
				 "rx_invalid  peer    runt\n");
	json_decref(r);

	r = json_pack("{s:s, s:b, s:i}", "pmd-cpus", "1,3", "pmd-auto-lb", 0, "log-level", 6);
	printed(print_settings, r, buf, sizeof(buf));
	assert_string_equal(buf, "pmd-cpus=1,3\npmd-auto-lb=off\nlog-level=6\n");
	json_decref(r);

	r = json_pack("[i, s]", 1, "a");
	printed(print_json, r, buf, sizeof(buf));
	assert_string_equal(buf, "[\n  1,\n  \"a\"\n]\n");
	json_decref(r);
}

static void
test_ovs_port_numbers_and_flags_are_sent(void **state)
{
	static const struct cmd add = {
		.name = "add-port", .method = "port.add", .pos = {"bridge", "name"}};
	static const struct cmd dump = {.name = "dump-flows", .method = "flow.dump"};
	char *port[] = {"br0", "p0", "type=ring", "ofport_request=7"};
	char *bad[] = {"br0", "p0", "type=ring", "ofport_request=x"};
	char *nostats[] = {"br0", "--no-stats", "table=1"}, *wrong[] = {"br0", "--stats"};
	const char *method;
	json_t *params;
	char msg[256];

	/* ofport_request is the port's, not an option of its type. */
	build_add_port(&add, 4, port, &method, &params);
	assert_true(json_is_integer(json_object_get(params, "ofport_request")));
	assert_int_equal(jint(params, "ofport_request"), 7);
	assert_null(json_object_get(json_object_get(params, "options"), "ofport_request"));
	json_decref(params);
	build_add_port(&add, 4, bad, &method, &params);
	assert_string_equal(jstr(params, "ofport_request"), "x"); /* the daemon refuses it */
	json_decref(params);
	assert_int_equal(build_status(&dump, build_flow_filter, 2, wrong, msg, sizeof(msg)),
			 EXIT_USAGE);
	assert_string_equal(msg, "vswitchctl: unknown option '--stats' (here: --strict, "
				 "--no-stats)\n");
	build_flow_filter(&dump, 3, nostats, &method, &params);
	assert_string_equal(jstr(params, "match"), "table=1");
	assert_null(json_object_get(params, "strict"));
	json_decref(params);
}

/* dump-flows' lines as ovs-ofctl prints them; then --no-stats (the flag
 * test_ovs_port_numbers_and_flags_are_sent set), which add-flows reads. */
static void
test_dump_flows_prints_ovs_lines(void **state)
{
	char buf[1024];
	json_t *r;

	r = json_pack("{s:s, s:i, s:i, s:i, s:[{s:i, s:i, s:s, s:s, s:s, s:i, s:i, s:i, s:i, "
		      "s:i, s:i}], s:[]}",
		      "bridge", "br0", "rules", 1, "masks", 1, "memory", 2048, "flows", "table", 3,
		      "priority", 10, "cookie", "0x5", "match", "ip", "actions", "NORMAL",
		      "packets", 2, "bytes", 120, "duration", 4, "idle_age", 1, "idle_timeout", 0,
		      "hard_timeout", 0, "inactive");
	printed(print_flow_dump, r, buf, sizeof(buf));
	assert_string_equal(buf, " table=3, cookie=0x5, priority=10,ip actions=NORMAL\n");
	json_decref(r);
}

static void
test_ovs_reports_are_laid_out_as_ovs_ofctl(void **state)
{
	static const struct cmd c = {.name = "dump-ports", .method = "port.stats"};
	char *argv[] = {"br0", "2"};
	const char *method;
	char buf[1024];
	json_t *params, *r;

	build_dump_ports(&c, 2, argv, &method, &params);
	assert_string_equal(method, "port.stats");
	assert_string_equal(jstr(params, "bridge"), "br0");
	json_decref(params);
	r = json_pack("[{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:{s:i, s:i}, s:{s:i, s:i, s:i, "
		      "s:i}}, {s:s, s:s, s:i}]",
		      "name", "p2", "bridge", "br0", "ofport", 2, "rx_packets", 10, "rx_bytes", 600,
		      "tx_packets", 9, "tx_bytes", 540, "drops", "no_match", 3, "tx_full", 1,
		      "device", "rx_missed", 4, "rx_nombuf", 0, "rx_errors", 5, "tx_errors", 6,
		      "name", "p1", "bridge", "br0", "ofport", 1);
	printed(print_dump_ports, r, buf, sizeof(buf));
	assert_string_equal(buf, "OFPST_PORT reply (br0): 1 ports\n"
				 "  port  2: rx pkts=10, bytes=600, drop=7, errs=5\n"
				 "           tx pkts=9, bytes=540, drop=1, errs=6\n");
	json_decref(r);
	r = json_pack("{s:[{s:i, s:i, s:i, s:i}]}", "tables", "table", 0, "rules", 2, "lookups", 30,
		      "matched", 29);
	printed(print_dump_tables, r, buf, sizeof(buf));
	assert_string_equal(buf, "OFPST_TABLE reply: 1 tables\n  table 0:\n"
				 "    active=2, lookup=30, matched=29\n");
	json_decref(r);
}

static void
json_error_printer(json_t *r)
{
	cli_error((int)json_integer_value(json_object_get(r, "code")),
		  json_string_value(json_object_get(r, "message")), json_object_get(r, "data"));
}

/* Under --json an error is JSON on stdout, with its errno's name. */
static void
test_errors_under_json_carry_their_errno(void **state)
{
	char buf[1024];
	json_t *r;

	set_json_errors(true);
	r = json_pack("{s:i, s:s}", "code", -EEXIST, "message", "bridge br0 already exists");
	printed(json_error_printer, r, buf, sizeof(buf));
	assert_string_equal(buf, "{\n  \"error\": {\n    \"code\": -17,\n    \"message\": "
				 "\"bridge br0 already exists\",\n    \"errno\": \"EEXIST\"\n  "
				 "}\n}\n");
	json_decref(r);
	r = json_pack("{s:i, s:s, s:{s:s, s:i}}", "code", -EINVAL, "message", "bad rule", "data",
		      "errno", "EINVAL", "item", 2);
	printed(json_error_printer, r, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"errno\": \"EINVAL\""));
	assert_non_null(strstr(buf, "\"item\": 2"));
	json_decref(r);
	set_json_errors(false);
	r = json_pack("{s:i, s:s}", "code", -ENOENT, "message", "no bridge");
	printed(json_error_printer, r, buf, sizeof(buf));
	assert_string_equal(buf, ""); /* on stderr */
	json_decref(r);
}

static void
test_client_says_why_it_cannot_connect(void **state)
{
	char why[512], path[200];

	assert_int_equal(vs_client_connect("/nonexistent/vswitchd.sock", why, sizeof(why)),
			 -ENOENT);
	assert_string_equal(why, "No such file or directory");
	memset(path, 'a', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	assert_int_equal(vs_client_connect(path, why, sizeof(why)), -ENAMETOOLONG);
	assert_non_null(strstr(why, "is too long"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_values_become_typed_parameters),
		cmocka_unit_test(test_arguments_that_cannot_be_sent_exit_with_usage),
		cmocka_unit_test(test_port_and_pmd_builders),
		cmocka_unit_test(test_rule_files_skip_comments_and_name_the_failing_line),
		cmocka_unit_test(test_printers_lay_results_out),
		cmocka_unit_test(test_ovs_port_numbers_and_flags_are_sent),
		cmocka_unit_test(test_dump_flows_prints_ovs_lines),
		cmocka_unit_test(test_ovs_reports_are_laid_out_as_ovs_ofctl),
		cmocka_unit_test(test_errors_under_json_carry_their_errno),
		cmocka_unit_test(test_client_says_why_it_cannot_connect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
