/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fuzz_flow.c: libFuzzer target for the flow rule parser and
 * formatter (control/flow/flow_parse.c, control/flow/flow_format.c). Any text must
 * either be refused with a message, or give a spec whose canonical text
 * (priority, cookie and timeouts, then the formatted match and actions)
 * parses back into the very same spec. The formatter must also truncate like snprintf.
 * Anything else aborts. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow_parse.h"
#include "port_names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TEXT_MAX 8192

/* "normal" is a port too, to check that the keyword wins when bare. */
static const struct test_port port_list[] = {
	{"br0", 0, 1}, {"vhu0", 1, 2},   {"nic0", 2, 3},
	{"p3", 3, 4},  {"normal", 7, 8}, {"eth0.100", 65535, 9},
};
static const struct test_ports ports = TEST_PORTS(port_list);

static void
check(bool ok, const char *what, const char *text, const char *again)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_flow: %s\n  input:  '%s'\n  output: '%s'\n", what, text,
		again != NULL ? again : "");
	abort();
}

/* A formatter's full output must be 'len' long, and a short buffer must
 * hold its first size - 1 characters. */
static void
check_truncation(const char *full, int len, char *small, size_t size, int small_len)
{
	check(len >= 0 && (size_t)len == strlen(full), "length is not what was written", full,
	      NULL);
	check(small_len == len, "truncated call returned a different length", full, small);
	if (size > 0)
		check(strlen(small) == RTE_MIN(size - 1, (size_t)len) &&
			      strncmp(small, full, strlen(small)) == 0,
		      "truncated output is not a prefix", full, small);
}

static void
format_both(const struct vs_flow_spec *s, char *match, char *acts)
{
	char small[64] = "";
	size_t cut;
	int n;

	n = vs_flow_format_match(&s->match, test_port_name, (void *)&ports, match, TEXT_MAX);
	check(n < TEXT_MAX, "match text too long", match, NULL);
	cut = (size_t)n / 2 % sizeof(small);
	check_truncation(
		match, n, small, cut,
		vs_flow_format_match(&s->match, test_port_name, (void *)&ports, small, cut));
	check(vs_flow_format_match(&s->match, test_port_name, (void *)&ports, NULL, 0) == n,
	      "NULL buffer gives another length", match, NULL);
	n = vs_flow_format_actions(s->actions, s->n_actions, test_port_name, (void *)&ports, acts,
				   TEXT_MAX);
	check(n < TEXT_MAX, "action text too long", acts, NULL);
	cut = (size_t)n / 2 % sizeof(small);
	check_truncation(acts, n, small, cut,
			 vs_flow_format_actions(s->actions, s->n_actions, test_port_name,
						(void *)&ports, small, cut));
}

static void __attribute__((format(printf, 3, 4)))
append(char *buf, size_t *off, const char *fmt, ...)
{
	va_list ap;

	if (*off > 0 && *off < TEXT_MAX)
		buf[(*off)++] = ',';
	va_start(ap, fmt);
	if (*off < TEXT_MAX)
		*off += (size_t)vsnprintf(buf + *off, TEXT_MAX - *off, fmt, ap);
	va_end(ap);
}

/* The canonical text of the whole spec. */
static void
spec_text(const struct vs_flow_spec *s, enum vs_flow_parse_mode mode, char *buf)
{
	static const char *const flags[] = {"send_flow_rem", "check_overlap", "reset_counts",
					    "no_packet_counts", "no_byte_counts"};
	char match[TEXT_MAX], acts[TEXT_MAX];
	size_t off = 0, i;

	format_both(s, match, acts);
	buf[0] = '\0';
	if (s->has_table)
		append(buf, &off, "table=%u", s->table_id);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (s->flags & (1u << i))
			append(buf, &off, "%s", flags[i]);
	if (s->has_out_port)
		append(buf, &off, "out_port=%s", test_port_name((void *)&ports, s->out_port));
	if (s->has_out_group)
		append(buf, &off, "out_group=%u", s->out_group);
	if (s->has_priority)
		append(buf, &off, "priority=%u", s->priority);
	if (s->has_cookie && mode != VS_FLOW_PARSE_ADD)
		append(buf, &off, "cookie=0x%" PRIx64 "/0x%" PRIx64, s->cookie, s->cookie_mask);
	else if (s->has_cookie || (mode == VS_FLOW_PARSE_MOD && s->cookie != 0))
		append(buf, &off, "cookie=%" PRIu64, s->cookie);
	if (s->idle_timeout != 0)
		append(buf, &off, "idle_timeout=%u", s->idle_timeout);
	if (s->hard_timeout != 0)
		append(buf, &off, "hard_timeout=%u", s->hard_timeout);
	if (match[0] != '\0')
		append(buf, &off, "%s", match);
	if (mode != VS_FLOW_PARSE_MATCH)
		append(buf, &off, "actions=%s", acts);
	check(off < TEXT_MAX, "spec text too long", buf, NULL);
}

static bool
same_spec(const struct vs_flow_spec *a, const struct vs_flow_spec *b)
{
	return a->table_id == b->table_id && a->has_table == b->has_table && a->flags == b->flags &&
	       a->has_out_port == b->has_out_port && a->out_port == b->out_port &&
	       a->has_out_group == b->has_out_group && a->out_group == b->out_group &&
	       a->priority == b->priority && a->has_priority == b->has_priority &&
	       a->cookie == b->cookie && a->cookie_mask == b->cookie_mask &&
	       a->has_cookie == b->has_cookie && a->idle_timeout == b->idle_timeout &&
	       a->hard_timeout == b->hard_timeout &&
	       memcmp(&a->match, &b->match, sizeof(a->match)) == 0 &&
	       a->n_actions == b->n_actions &&
	       memcmp(a->actions, b->actions, sizeof(a->actions)) == 0;
}

static bool
key_is_masked(const struct vs_flow_match *m)
{
	const uint8_t *k = (const uint8_t *)&m->key, *mk = (const uint8_t *)&m->mask;
	size_t i;

	for (i = 0; i < sizeof(m->key); i++)
		if ((k[i] & mk[i]) != k[i])
			return false;
	return true;
}

static void
round_trip(const char *text, enum vs_flow_parse_mode mode)
{
	static char again[TEXT_MAX];
	struct vs_flow_spec s, s2;
	struct vs_err err;
	int ret;

	memset(&err, 0, sizeof(err));
	ret = vs_flow_parse(text, mode, test_port_lookup, (void *)&ports, &s, &err);
	if (ret < 0) {
		check(ret == -EINVAL && err.code == ret, "error is not -EINVAL", text, err.msg);
		check(err.msg[0] != '\0' && strlen(err.msg) < 400, "bad message", text, err.msg);
		return;
	}
	check(ret == 0 && key_is_masked(&s.match), "key not masked", text, NULL);
	check(mode != VS_FLOW_PARSE_MATCH || s.n_actions == 0, "actions in a match", text, NULL);
	spec_text(&s, mode, again);
	ret = vs_flow_parse(again, mode, test_port_lookup, (void *)&ports, &s2, &err);
	check(ret == 0, "canonical text refused", text, err.msg);
	check(same_spec(&s, &s2), "round trip changed the spec", text, again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	round_trip(text, VS_FLOW_PARSE_ADD);
	round_trip(text, VS_FLOW_PARSE_MATCH);
	round_trip(text, VS_FLOW_PARSE_MOD);
	free(text);
	return 0;
}
