/* SPDX-License-Identifier: BSD-3-Clause */
/* base/cpuset.c: parse and print CPU lists and masks. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"

static int
parse_mask(const char *s, cpu_set_t *set, struct vs_err *err)
{
	size_t len = strlen(s), i;
	int cpu = 0;

	if (len == 0)
		return vs_err_set(err, -EINVAL, "empty CPU mask '0x'");
	for (i = len; i-- > 0; cpu += 4) {
		int d, b;

		if (!isxdigit((unsigned char)s[i]))
			return vs_err_set(err, -EINVAL, "'%c' is not a hex digit in CPU mask 0x%s",
					  s[i], s);
		d = isdigit((unsigned char)s[i]) ? s[i] - '0' : tolower(s[i]) - 'a' + 10;
		for (b = 0; b < 4; b++) {
			if (!(d & (1 << b)))
				continue;
			if (cpu + b >= CPU_SETSIZE)
				return vs_err_set(err, -ERANGE, "CPU mask 0x%s is too wide", s);
			CPU_SET(cpu + b, set);
		}
	}
	return 0;
}

static int
parse_num(const char **p, long *v, const char *whole, struct vs_err *err)
{
	char *end;

	if (!isdigit((unsigned char)**p))
		return vs_err_set(err, -EINVAL,
				  "CPU list '%s' is not like '1,3-5' (unexpected '%.8s')", whole,
				  **p ? *p : "end of list");
	errno = 0;
	*v = strtol(*p, &end, 10);
	if (errno != 0 || *v >= CPU_SETSIZE)
		return vs_err_set(err, -ERANGE, "CPU number in '%s' is too large", whole);
	*p = end;
	return 0;
}

int
vs_cpuset_parse(const char *s, cpu_set_t *set, struct vs_err *err)
{
	const char *p = s;
	long lo, hi, c;
	int ret;

	CPU_ZERO(set);
	if (strncmp(s, "0x", 2) == 0 || strncmp(s, "0X", 2) == 0)
		return parse_mask(s + 2, set, err);
	if (*p == '\0')
		return vs_err_set(err, -EINVAL, "empty CPU list");
	for (;;) {
		ret = parse_num(&p, &lo, s, err);
		if (ret < 0)
			return ret;
		hi = lo;
		if (*p == '-') {
			p++;
			ret = parse_num(&p, &hi, s, err);
			if (ret < 0)
				return ret;
			if (hi < lo)
				return vs_err_set(err, -EINVAL,
						  "CPU range %ld-%ld in '%s' is reversed", lo, hi,
						  s);
		}
		for (c = lo; c <= hi; c++)
			CPU_SET((int)c, set);
		if (*p == '\0')
			return 0;
		if (*p != ',')
			return vs_err_set(err, -EINVAL,
					  "CPU list '%s' is not like '1,3-5' (unexpected '%c')", s,
					  *p);
		p++;
	}
}

void
vs_cpuset_format(const cpu_set_t *set, char *buf, size_t size)
{
	size_t off = 0;
	int c = 0, start;

	buf[0] = '\0';
	while (c < CPU_SETSIZE && off < size) {
		if (!CPU_ISSET(c, set)) {
			c++;
			continue;
		}
		start = c;
		while (c + 1 < CPU_SETSIZE && CPU_ISSET(c + 1, set))
			c++;
		if (start == c)
			off += (size_t)snprintf(buf + off, size - off, "%s%d", off ? "," : "", c);
		else
			off += (size_t)snprintf(buf + off, size - off, "%s%d-%d", off ? "," : "",
						start, c);
		c++;
	}
}
