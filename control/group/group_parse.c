/* SPDX-License-Identifier: BSD-3-Clause */
/* control/group/group_parse.c: groups as operators write them for ovs-ofctl
 * (add-group, mod-group, del-groups, dump-groups; "Group Syntax" in
 * ovs-ofctl(8)), parsed into a struct vs_group_spec.
 *
 *   group_id=1,type=select,bucket=weight:10,watch_port:p2,actions=output:p2,bucket=p3
 *
 * Items are separated by commas or white space (not inside parentheses);
 * KEY=VALUE and KEY:VALUE are the same. Every bucket= starts a bucket,
 * which runs to the next one; its items are weight, watch_port,
 * watch_group and actions=, and any other item is an action, as in
 * ovs-ofctl. A bucket's actions go through the flow parser
 * (vs_flow_parse) on a copy of the text blanked but for them, at their
 * own offsets, so that its errors name positions in the operator's text. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flow_syntax.h"
#include "group_ctl.h"

struct span {
	size_t pos, len;
};

struct gp {
	const char *text;
	enum vs_group_parse_mode mode;
	vs_port_lookup_fn *lookup;
	void *ctx;
	struct vs_group_spec *spec;
	struct vs_err *err;
	bool has_id, has_type, has_weight;
	struct span acts[VS_ACTIONS_MAX + 1]; /* the current bucket's actions */
	unsigned int n_acts;
	size_t bucket_pos;
};

/* The next item from 'i': its span (len 0: the end) and where to go on. */
static size_t
next_item(const char *t, size_t i, struct span *it)
{
	int depth = 0;

	while (t[i] == ',' || isspace((unsigned char)t[i]))
		i++;
	it->pos = i;
	for (; t[i] != '\0'; i++) {
		if (t[i] == '(')
			depth++;
		else if (t[i] == ')' && depth > 0)
			depth--;
		else if (depth == 0 && (t[i] == ',' || isspace((unsigned char)t[i])))
			break;
	}
	it->len = i - it->pos;
	return i;
}

/* An item's key ('klen' characters) and where its value starts (the
 * item's end if it has no '=' or ':' before any '('). */
static void
split(const char *t, const struct span *it, size_t *klen, size_t *vpos)
{
	size_t k = 0;

	while (k < it->len && !strchr("=:(", t[it->pos + k]))
		k++;
	*klen = k;
	*vpos = k < it->len && t[it->pos + k] != '(' ? it->pos + k + 1 : it->pos + it->len;
}

static bool
key_is(const struct gp *p, const struct span *it, size_t klen, const char *word)
{
	return vs_flow_text_word_is(p->text + it->pos, klen, word);
}

/* The value of an item as a string (truncated at 'size'). */
static void
value_of(const struct gp *p, const struct span *it, size_t vpos, char *buf, size_t size)
{
	size_t n = it->pos + it->len - vpos;

	if (n >= size)
		n = size - 1;
	memcpy(buf, p->text + vpos, n);
	buf[n] = '\0';
}

static int
bad(struct gp *p, const struct span *it, const char *what, const char *expect)
{
	return vs_err_set(p->err, -EINVAL, "%s at position %zu: '%.*s' is not %s", what, it->pos,
			  vs_flow_text_show(it->len), p->text + it->pos, expect);
}

static int
parse_id(struct gp *p, const struct span *it, const char *v, uint32_t max, uint32_t *out)
{
	uint64_t n;

	if (!vs_flow_text_parse_num(v, max, &n))
		return bad(p, it, "group_id", "a group id from 0 to 4294967040 (0xffffff00)");
	*out = (uint32_t)n;
	return 0;
}

static const struct {
	const char *name;
	uint8_t type;
} types[] = {
	{"all", VS_GROUP_ALL}, {"select", VS_GROUP_SELECT},    {"indirect", VS_GROUP_INDIRECT},
	{"ff", VS_GROUP_FF},   {"fast_failover", VS_GROUP_FF},
};

/* ---- buckets ---- */

static int
bucket_param(struct gp *p, struct vs_bucket_spec *b, const struct span *it, size_t klen,
	     size_t vpos)
{
	char v[128];
	uint64_t n;
	int id;

	value_of(p, it, vpos, v, sizeof(v));
	if (key_is(p, it, klen, "weight")) {
		if (!vs_flow_text_parse_num(v, UINT16_MAX, &n))
			return bad(p, it, "weight", "a weight from 0 to 65535");
		b->weight = (uint16_t)n;
		p->has_weight = true;
	} else if (key_is(p, it, klen, "watch_port")) {
		if (strcasecmp(v, "any") == 0) {
			b->watch_port = VS_PORT_NONE;
			return 0;
		}
		id = p->lookup != NULL ? p->lookup(p->ctx, v) : -1;
		if (id < 0 || id > UINT16_MAX)
			return vs_err_set(p->err, -EINVAL,
					  "watch_port at position %zu: no port '%s' on this bridge",
					  it->pos, v);
		b->watch_port = (uint16_t)id;
	} else if (key_is(p, it, klen, "watch_group")) {
		if (strcasecmp(v, "any") == 0) {
			b->watch_group = VS_GROUP_ANY;
			return 0;
		}
		return parse_id(p, it, v, VS_GROUP_ID_MAX, &b->watch_group);
	} else { /* bucket_id */
		return vs_err_set(
			p->err, -EINVAL,
			"bucket_id at position %zu: bucket ids are OpenFlow 1.5's; vswitch "
			"speaks OpenFlow 1.3, where buckets are known by their order: "
			"leave it out",
			it->pos);
	}
	return 0;
}

/* One item of a bucket: a parameter, actions=ACTION, or an action. */
static int
bucket_item(struct gp *p, struct vs_bucket_spec *b, const struct span *it)
{
	static const char *const params[] = {"weight", "watch_port", "watch_group", "bucket_id"};
	size_t klen, vpos;
	unsigned int i;

	split(p->text, it, &klen, &vpos);
	for (i = 0; i < RTE_DIM(params); i++)
		if (key_is(p, it, klen, params[i]) && vpos < it->pos + it->len)
			return bucket_param(p, b, it, klen, vpos);
	if ((key_is(p, it, klen, "actions") || key_is(p, it, klen, "action")) &&
	    vpos > it->pos + klen && p->text[vpos - 1] != '(') {
		if (vpos == it->pos + it->len)
			return 0; /* "actions=": no action (the bucket drops) */
		if (p->n_acts == VS_ACTIONS_MAX + 1)
			goto too_many;
		p->acts[p->n_acts++] = (struct span){vpos, it->pos + it->len - vpos};
		return 0;
	}
	if (p->n_acts == VS_ACTIONS_MAX + 1)
		goto too_many;
	p->acts[p->n_acts++] = *it;
	return 0;
too_many:
	return vs_err_set(p->err, -EINVAL, "at position %zu: a bucket has at most %d actions",
			  it->pos, VS_ACTIONS_MAX);
}

/* The bucket's actions, through the flow parser on the text blanked but
 * for them and "actions=" just before the first. */
static int
bucket_actions(struct gp *p, struct vs_bucket_spec *b)
{
	size_t n = strlen(p->text), end = p->acts[p->n_acts - 1].pos + p->acts[p->n_acts - 1].len;
	struct vs_flow_spec *fs = malloc(sizeof(*fs));
	char *buf = malloc(n + 1);
	unsigned int i;
	int ret;

	if (fs == NULL || buf == NULL) {
		ret = vs_err_set(p->err, -ENOMEM, "out of memory");
		goto out;
	}
	memset(buf, ' ', n);
	/* At least "group_id=N," and "bucket=" come before any action. */
	memcpy(buf + p->acts[0].pos - 8, "actions=", 8);
	for (i = 0; i < p->n_acts; i++) {
		memcpy(buf + p->acts[i].pos, p->text + p->acts[i].pos, p->acts[i].len);
		if (i + 1 < p->n_acts)
			buf[p->acts[i].pos + p->acts[i].len] = ',';
	}
	buf[end] = '\0';
	ret = vs_flow_parse(buf, VS_FLOW_PARSE_ADD, p->lookup, p->ctx, fs, p->err);
	if (ret < 0)
		goto out;
	for (i = 0; i < fs->n_actions; i++) {
		uint8_t t = fs->actions[i].type;

		if (t == VS_ACT_GOTO_TABLE || t == VS_ACT_CLEAR_ACTIONS ||
		    t == VS_ACT_WRITE_METADATA || (fs->actions[i].flags & VS_AF_WRITE)) {
			ret = vs_err_set(
				p->err, -EINVAL,
				"bucket at position %zu: goto_table, clear_actions, "
				"write_actions and write_metadata are instructions of a flow "
				"rule, not actions a bucket can hold",
				p->bucket_pos);
			goto out;
		}
	}
	b->n_actions = fs->n_actions;
	memcpy(b->actions, fs->actions, sizeof(b->actions[0]) * fs->n_actions);
out:
	free(fs);
	free(buf);
	return ret;
}

static int
bucket_end(struct gp *p, struct vs_bucket_spec *b)
{
	struct vs_group_spec *s = p->spec;
	int ret = p->n_acts > 0 ? bucket_actions(p, b) : 0;

	if (ret < 0)
		return ret;
	if (s->type != VS_GROUP_SELECT && b->weight != 0)
		return vs_err_set(p->err, -EINVAL,
				  "bucket at position %zu: weight is for select groups; a %s "
				  "group's buckets have none",
				  p->bucket_pos, vs_group_type_name(s->type));
	if (s->type == VS_GROUP_SELECT && !p->has_weight)
		b->weight = 1;
	if (s->type == VS_GROUP_FF && b->watch_port == VS_PORT_NONE &&
	    b->watch_group == VS_GROUP_ANY)
		return vs_err_set(p->err, -EINVAL,
				  "bucket at position %zu: a fast_failover group's buckets need "
				  "watch_port or watch_group (what makes them live)",
				  p->bucket_pos);
	return 0;
}

/* The buckets, from the "bucket=" item at 'it' to the end. */
static int
parse_buckets(struct gp *p, struct span it, size_t next)
{
	struct vs_group_spec *s = p->spec;
	struct vs_bucket_spec *b = NULL;
	size_t klen, vpos;
	int ret;

	for (; it.len != 0; next = next_item(p->text, next, &it)) {
		split(p->text, &it, &klen, &vpos);
		if (key_is(p, &it, klen, "bucket") && vpos > it.pos + klen &&
		    p->text[vpos - 1] == '=') {
			if (b != NULL && (ret = bucket_end(p, b)) < 0)
				return ret;
			if (s->n_buckets == VS_GROUP_BUCKETS_MAX)
				return vs_err_set(p->err, -ENOSPC,
						  "bucket at position %zu: a group has at most %d "
						  "buckets",
						  it.pos, VS_GROUP_BUCKETS_MAX);
			b = &s->buckets[s->n_buckets++];
			b->watch_port = VS_PORT_NONE;
			b->watch_group = VS_GROUP_ANY;
			p->n_acts = 0;
			p->has_weight = false;
			p->bucket_pos = it.pos;
			it.len -= vpos - it.pos;
			it.pos = vpos;
			if (it.len == 0)
				continue;
		}
		if ((ret = bucket_item(p, b, &it)) < 0)
			return ret;
	}
	return bucket_end(p, b);
}

/* ---- the group ---- */

static int
group_field(struct gp *p, const struct span *it, size_t klen, size_t vpos)
{
	char v[64];
	unsigned int i;

	value_of(p, it, vpos, v, sizeof(v));
	if (key_is(p, it, klen, "group_id")) {
		p->has_id = true;
		if (p->mode == VS_GROUP_PARSE_MATCH && strcasecmp(v, "all") == 0) {
			p->spec->id = VS_GROUP_ALL_IDS;
			return 0;
		}
		return parse_id(p, it, v, VS_GROUP_ID_MAX, &p->spec->id);
	}
	if (key_is(p, it, klen, "type")) {
		if (p->mode == VS_GROUP_PARSE_MATCH)
			return vs_err_set(p->err, -EINVAL,
					  "type at position %zu: del-groups and dump-groups take "
					  "only group_id=N (or none: every group)",
					  it->pos);
		for (i = 0; i < RTE_DIM(types); i++)
			if (strcmp(v, types[i].name) == 0) {
				p->spec->type = types[i].type;
				p->has_type = true;
				return 0;
			}
		return bad(p, it, "type", "a group type: all, select, indirect or fast_failover");
	}
	if (key_is(p, it, klen, "selection_method") ||
	    key_is(p, it, klen, "selection_method_param") || key_is(p, it, klen, "fields") ||
	    key_is(p, it, klen, "command_bucket_id"))
		return vs_err_set(p->err, -EINVAL,
				  "at position %zu: %.*s is not supported by vswitch (an OpenFlow "
				  "1.5 extension); supported: group_id, type, bucket= with weight, "
				  "watch_port, watch_group and actions; select groups hash the "
				  "5-tuple",
				  it->pos, (int)klen, p->text + it->pos);
	return vs_err_set(p->err, -EINVAL,
			  "at position %zu: unknown field '%.*s' (a group takes group_id, type and "
			  "bucket=...)",
			  it->pos, vs_flow_text_show(klen), p->text + it->pos);
}

static int
check_group(struct gp *p)
{
	const struct vs_group_spec *s = p->spec;

	if (!p->has_id && p->mode == VS_GROUP_PARSE_ADD)
		return vs_err_set(p->err, -EINVAL, "a group needs group_id=N (0 to 4294967040)");
	if (!p->has_id)
		p->spec->id = VS_GROUP_ALL_IDS;
	if (s->type == VS_GROUP_INDIRECT && s->n_buckets != 1)
		return vs_err_set(p->err, -EINVAL,
				  "an indirect group has exactly one bucket; this one has %u (use "
				  "type=all or type=select for several)",
				  s->n_buckets);
	return 0;
}

int
vs_group_parse(const char *text, enum vs_group_parse_mode mode, vs_port_lookup_fn *lookup,
	       void *ctx, struct vs_group_spec *out, struct vs_err *err)
{
	struct gp p = {
		.text = text, .mode = mode, .lookup = lookup, .ctx = ctx, .spec = out, .err = err};
	struct span it;
	size_t next, klen, vpos;
	int ret;

	memset(out, 0, sizeof(*out));
	for (next = next_item(text, 0, &it); it.len != 0; next = next_item(text, next, &it)) {
		split(text, &it, &klen, &vpos);
		if (key_is(&p, &it, klen, "bucket") && vpos > it.pos + klen &&
		    text[vpos - 1] == '=') {
			if (mode == VS_GROUP_PARSE_MATCH)
				return vs_err_set(err, -EINVAL,
						  "bucket at position %zu: del-groups and "
						  "dump-groups take only group_id=N",
						  it.pos);
			if (!p.has_id || !p.has_type)
				return vs_err_set(err, -EINVAL,
						  "bucket at position %zu: group_id=N and type= "
						  "come first, then the buckets",
						  it.pos);
			ret = parse_buckets(&p, it, next);
			if (ret < 0)
				return ret;
			break;
		}
		if (vpos == it.pos + it.len)
			return vs_err_set(err, -EINVAL,
					  "at position %zu: '%.*s' needs '=' and a value (like "
					  "group_id=1)",
					  it.pos, vs_flow_text_show(it.len), text + it.pos);
		if ((ret = group_field(&p, &it, klen, vpos)) < 0)
			return ret;
	}
	if (mode == VS_GROUP_PARSE_ADD && !p.has_type)
		return vs_err_set(err, -EINVAL,
				  "a group needs type=all, select, indirect or fast_failover");
	return check_group(&p);
}
