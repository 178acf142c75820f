/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fuzz_stream.c: libFuzzer target for the controller target
 * parser (control/stream/stream.c): any input is refused with a message
 * or parsed; what parses, written back in the same syntax from what was
 * parsed, parses into the very same target. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The target's text from its parsed form. */
static void
unparse(const struct vs_stream_target *t, char *buf, size_t len)
{
	static const char *const prefix[2][2] = {{"tcp:", "ptcp:"}, {"ssl:", "pssl:"}};
	const struct sockaddr *sa = (const struct sockaddr *)&t->addr;
	char addr[80], *colon;

	vs_stream_addr_text(sa, addr, sizeof(addr)); /* HOST:PORT */
	if (!t->passive) {
		snprintf(buf, len, "%s%s", prefix[t->kind][0], addr);
		return;
	}
	colon = strrchr(addr, ':');
	*colon = '\0';
	snprintf(buf, len, "%s%s:%s", prefix[t->kind][1], colon + 1, addr);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vs_stream_target a, b;
	char text[256], again[256];
	struct vs_err err;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (vs_stream_target_parse(text, &a, &err) < 0) {
		if (err.msg[0] == '\0')
			abort(); /* refused without a sentence */
		return 0;
	}
	unparse(&a, again, sizeof(again));
	if (vs_stream_target_parse(again, &b, &err) < 0 || a.kind != b.kind ||
	    a.passive != b.passive || a.addr_len != b.addr_len ||
	    memcmp(&a.addr, &b.addr, a.addr_len) != 0) {
		fprintf(stderr, "fuzz_stream: '%s' -> '%s' does not parse back the same\n", text,
			again);
		abort();
	}
	return 0;
}
