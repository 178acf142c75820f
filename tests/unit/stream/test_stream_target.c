/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/stream/test_stream_target.c: controller targets parsed
 * (control/stream/stream.c): tcp:, ssl:, ptcp:, pssl:, IPv4 and bracketed
 * IPv6, default ports, and what is refused with a sentence. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "stream.h"

static void
parse_ok(const char *text, uint8_t kind, bool passive, const char *addr)
{
	struct vs_stream_target t;
	struct vs_err err = {0};
	char buf[64];

	assert_int_equal(vs_stream_target_parse(text, &t, &err), 0);
	assert_int_equal(t.kind, kind);
	assert_int_equal(t.passive, passive);
	vs_stream_addr_text((const struct sockaddr *)&t.addr, buf, sizeof(buf));
	assert_string_equal(buf, addr);
}

static void
parse_bad(const char *text, const char *words)
{
	struct vs_stream_target t;
	struct vs_err err = {0};

	assert_int_equal(vs_stream_target_parse(text, &t, &err), -EINVAL);
	if (strstr(err.msg, words) == NULL)
		fail_msg("'%s': '%s' does not say '%s'", text, err.msg, words);
}

static void
test_active_targets_parse_with_default_port(void **state)
{
	parse_ok("tcp:10.0.0.1", VS_STREAM_TCP, false, "10.0.0.1:6653");
	parse_ok("tcp:10.0.0.1:6633", VS_STREAM_TCP, false, "10.0.0.1:6633");
	parse_ok("ssl:127.0.0.1", VS_STREAM_TLS, false, "127.0.0.1:6653");
	parse_ok("ssl:127.0.0.1:16653", VS_STREAM_TLS, false, "127.0.0.1:16653");
	parse_ok("ssl:[::1]", VS_STREAM_TLS, false, "[::1]:6653");
	parse_ok("ssl:[fe80::1]:7000", VS_STREAM_TLS, false, "[fe80::1]:7000");
	parse_ok("tcp:[::1]:6653", VS_STREAM_TCP, false, "[::1]:6653");
}

static void
test_passive_targets_parse_with_default_port_and_address(void **state)
{
	parse_ok("ptcp:", VS_STREAM_TCP, true, "0.0.0.0:6653");
	parse_ok("ptcp:6634", VS_STREAM_TCP, true, "0.0.0.0:6634");
	parse_ok("pssl:", VS_STREAM_TLS, true, "0.0.0.0:6653");
	parse_ok("pssl:16653", VS_STREAM_TLS, true, "0.0.0.0:16653");
	parse_ok("pssl:16653:127.0.0.1", VS_STREAM_TLS, true, "127.0.0.1:16653");
	parse_ok("pssl::127.0.0.1", VS_STREAM_TLS, true, "127.0.0.1:6653");
	parse_ok("pssl:16653:[::1]", VS_STREAM_TLS, true, "[::1]:16653");
	parse_ok("pssl:0", VS_STREAM_TLS, true, "0.0.0.0:0"); /* any free port */
}

static void
test_bad_targets_are_refused_with_a_sentence(void **state)
{
	parse_bad("tls:1.2.3.4", "ssl:IP[:PORT]");
	parse_bad("ssl:", "ssl:IP[:PORT]");
	parse_bad("ssl:1.2.3.4:", "the port defaults to 6653");
	parse_bad("ssl:1.2.3.4:0", "ssl:IP[:PORT]");
	parse_bad("ssl:1.2.3.4:65536", "ssl:IP[:PORT]");
	parse_bad("ssl:1.2.3.4:66x", "ssl:IP[:PORT]");
	parse_bad("ssl:controller.example", "host names are not looked up");
	parse_bad("ssl:::1", "in brackets");
	parse_bad("ssl:[::1", "in brackets");
	parse_bad("ssl:[::1]x", "in brackets");
	parse_bad("ssl:[1.2.3.4]", "IPv6 one in brackets");
	parse_bad("pssl:70000", "pssl:[PORT][:IP]");
	parse_bad("pssl:x", "pssl:[PORT][:IP]");
	parse_bad("pssl:6653:nowhere", "host names are not looked up");
	parse_bad("pssl:6653:", "not an IPv4 address");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_active_targets_parse_with_default_port),
		cmocka_unit_test(test_passive_targets_parse_with_default_port_and_address),
		cmocka_unit_test(test_bad_targets_are_refused_with_a_sentence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
