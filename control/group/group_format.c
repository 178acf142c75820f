/* SPDX-License-Identifier: BSD-3-Clause */
/* control/group/group_format.c: a group in ovs-ofctl's group syntax, in one
 * canonical form (what dump-groups prints and the config file keeps):
 *
 *   group_id=1,type=select,bucket=weight:10,watch_port:p2,actions=output:p2
 *
 * select buckets always show their weight; watch_port and watch_group only
 * when set. vs_group_parse reads it back as the same spec (the fuzz
 * target, tests/fuzz/fuzz_group.c, checks it). */
#include <stdarg.h>
#include <stdio.h>

#include "group_ctl.h"

const char *
vs_group_type_name(uint8_t type)
{
	static const char *const names[] = {
		[VS_GROUP_ALL] = "all",
		[VS_GROUP_SELECT] = "select",
		[VS_GROUP_INDIRECT] = "indirect",
		[VS_GROUP_FF] = "fast_failover",
	};

	return type < RTE_DIM(names) ? names[type] : "unknown";
}

struct out {
	char *buf;
	size_t size, len;
};

static void __attribute__((format(printf, 2, 3))) out_add(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->buf + (o->len < o->size ? o->len : o->size),
		      o->len < o->size ? o->size - o->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

int
vs_group_format(uint32_t id, uint8_t type, const struct vs_bucket_spec *b, uint16_t n,
		vs_port_name_fn *name, void *ctx, char *buf, size_t size)
{
	struct out o = {buf, size, 0};
	char acts[4096];
	const char *pn;
	uint16_t i;

	if (size > 0)
		buf[0] = '\0';
	out_add(&o, "group_id=%u,type=%s", id, vs_group_type_name(type));
	for (i = 0; i < n; i++) {
		out_add(&o, ",bucket=");
		if (type == VS_GROUP_SELECT)
			out_add(&o, "weight:%u,", b[i].weight);
		if (b[i].watch_port != VS_PORT_NONE) {
			pn = name != NULL ? name(ctx, b[i].watch_port) : NULL;
			if (pn != NULL)
				out_add(&o, "watch_port:%s,", pn);
			else
				out_add(&o, "watch_port:%u,", b[i].watch_port);
		}
		if (b[i].watch_group != VS_GROUP_ANY)
			out_add(&o, "watch_group:%u,", b[i].watch_group);
		vs_flow_format_actions(b[i].actions, b[i].n_actions, name, ctx, acts, sizeof(acts));
		out_add(&o, "actions=%s", acts);
	}
	return (int)o.len;
}
