/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fuzz_group.c: libFuzzer target for the group parser
 * (control/group/group_parse.c) and formatter: any input is refused with a
 * message or parsed; what parses formats into text that parses back into
 * the very same spec, and formats the same again. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "group_ctl.h"
#include "port_names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TEXT_MAX 8192

static const struct test_port port_list[] = {
	{"br0", 0}, {"vhu0", 1}, {"nic0", 2}, {"p3", 3}, {"eth0.100", 65534},
};
static const struct test_ports ports = TEST_PORTS(port_list);

static void
check(int ok, const char *what, const char *text, const char *again)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_group: %s\n  input:  '%s'\n  output: '%s'\n", what, text,
		again != NULL ? again : "");
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vs_group_spec a, b;
	static char text[TEXT_MAX + 1], out[1 << 17], again[1 << 17];
	enum vs_group_parse_mode mode;
	struct vs_err err;

	if (size < 1 || size > TEXT_MAX)
		return 0;
	mode = data[0] & 1 ? VS_GROUP_PARSE_MATCH : VS_GROUP_PARSE_ADD;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (vs_group_parse(text, mode, test_port_lookup, (void *)&ports, &a, &err) < 0) {
		check(err.code < 0 && err.msg[0] != '\0', "refused without a reason", text, NULL);
		return 0;
	}
	if (mode == VS_GROUP_PARSE_MATCH)
		return 0;
	vs_group_format(a.id, a.type, a.buckets, a.n_buckets, test_port_name, (void *)&ports, out,
			sizeof(out));
	if (vs_group_parse(out, VS_GROUP_PARSE_ADD, test_port_lookup, (void *)&ports, &b, &err) < 0)
		check(0, err.msg, text, out);
	check(memcmp(&a, &b, sizeof(a)) == 0, "parsed back differently", text, out);
	vs_group_format(b.id, b.type, b.buckets, b.n_buckets, test_port_name, (void *)&ports, again,
			sizeof(again));
	check(strcmp(out, again) == 0, "formatted differently", out, again);
	return 0;
}
