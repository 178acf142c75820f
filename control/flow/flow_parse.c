/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_parse.c: flow rules as operators write them for ovs-ofctl
 * (add-flow, del-flows, dump-flows, mod-flows), parsed into a struct
 * vs_flow_spec. This file cuts the text into items, checks each is given
 * once and that the match says what its fields need; the match fields are
 * flow_parse_match.c's, the actions flow_parse_act.c's (their shared state:
 * flow_parse_int.h). control/flow/flow_format.c writes rules back in one
 * canonical form, from the same tables of names (flow_syntax.h, in
 * flow_syntax.c); parse(format(spec)) gives the same spec again, which
 * tests/fuzz/fuzz_flow.c and tests/unit/test_flow_text.c check.
 *
 * The text is a list of key=value items and words (ip, tcp, ...),
 * separated by commas or white space as in ovs-ofctl, with "actions=" last
 * in ADD mode. Items may come in any order: prerequisites (nw_dst needs ip
 * or arp, tp_src needs tcp or udp) are checked once the whole match is
 * known. Every error names the item and the 0-based offset of its first
 * character in the text. */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "flow_parse_int.h"

/* OpenFlow's reserved ports, which are actions here, not ports. */
static const char *const reserved_ports[] = {
	"IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL", "CONTROLLER", "LOCAL", "ANY", "NONE",
};

static bool
is_number(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int
vs_parse_port(struct parser *p, const char *what, const char *name, uint16_t *id)
{
	int ret = p->lookup != NULL ? p->lookup(p->ctx, name) : -1;
	int show = vs_flow_text_show(strlen(name));
	unsigned int i;

	if (ret >= 0 && ret <= UINT16_MAX) {
		*id = (uint16_t)ret;
		return 0;
	}
	for (i = 0; i < RTE_DIM(reserved_ports); i++)
		if (strcasecmp(name, reserved_ports[i]) == 0)
			return vs_err_set(p->err, -EINVAL,
					  "%s at position %zu: %s is a reserved port, not one of "
					  "this bridge's; %s takes a port's name or OpenFlow port "
					  "number",
					  what, p->pos, reserved_ports[i], what);
	if (is_number(name))
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: no port with OpenFlow port number %.*s on "
				  "this bridge (list-ports shows them)",
				  what, p->pos, show, name);
	return vs_err_set(p->err, -EINVAL, "%s at position %zu: no port '%.*s' on this bridge",
			  what, p->pos, show, name);
}

static int
contradiction(struct parser *p, const struct origin *o)
{
	return vs_err_set(
		p->err, -EINVAL,
		"'%.*s' at position %zu contradicts '%.*s' at position %zu: keep one of them",
		vs_flow_text_show(p->len), p->text + p->pos, p->pos, vs_flow_text_show(o->len),
		p->text + o->pos, o->pos);
}

int
vs_parse_set_dl_type(struct parser *p, uint16_t type)
{
	struct vs_flow_match *m = &p->spec->match;

	if (p->dl_type_from.len != 0 && m->key.dl_type != type)
		return contradiction(p, &p->dl_type_from);
	if (p->dl_type_from.len == 0)
		p->dl_type_from = (struct origin){p->pos, p->len};
	m->key.dl_type = type;
	m->mask.dl_type = UINT16_MAX;
	return 0;
}

int
vs_parse_set_nw_proto(struct parser *p, uint8_t proto)
{
	struct vs_flow_match *m = &p->spec->match;

	if (p->nw_proto_from.len != 0 && m->key.nw_proto != proto)
		return contradiction(p, &p->nw_proto_from);
	if (p->nw_proto_from.len == 0)
		p->nw_proto_from = (struct origin){p->pos, p->len};
	m->key.nw_proto = proto;
	m->mask.nw_proto = UINT8_MAX;
	return 0;
}

/* Each place in the spec is set by one item; a second one is refused
 * rather than silently overriding the first. */
static int
claim_slot(struct parser *p, const struct field *f)
{
	const struct field *prev = p->seen[f->slot];

	if (prev == f)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: given twice (first at position %zu)",
				  f->name, p->pos, p->seen_pos[f->slot]);
	if (prev != NULL)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: sets the same field as %s at position %zu; "
				  "keep one of them",
				  f->name, p->pos, prev->name, p->seen_pos[f->slot]);
	p->seen[f->slot] = f;
	p->seen_pos[f->slot] = p->pos;
	return 0;
}

/* The match item of 'len' characters at 'pos': FIELD=VALUE or a shorthand. */
static int
parse_item(struct parser *p, size_t pos, size_t len)
{
	const char *s = p->text + pos, *eq = memchr(s, '=', len);
	size_t klen = vs_flow_text_trim_len(s, eq != NULL ? (size_t)(eq - s) : len);
	const struct field *f = vs_parse_find_field(s, klen);
	char val[VS_PARSE_VALUE_MAX];
	int ret;

	p->pos = pos;
	p->len = len;
	if (klen == 0)
		return vs_err_set(p->err, -EINVAL,
				  "at position %zu: a field name must come before '='", pos);
	if (f == NULL)
		return vs_parse_bare_word(p, s, klen, eq != NULL);
	p->value = eq != NULL ? vs_flow_text_value_start(eq, s + len) : s + len;
	p->value_len = (size_t)(s + len - p->value);
	if (p->value_len == 0)
		return vs_err_set(p->err, -EINVAL, "%s at position %zu: needs '=' and %s", f->name,
				  pos, f->expect);
	if (p->value_len >= VS_PARSE_VALUE_MAX)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: the value is longer than %d characters; "
				  "expected %s",
				  f->name, pos, VS_PARSE_VALUE_MAX - 1, f->expect);
	if ((f->not_in & 1u << p->mode) && p->mode == VS_FLOW_PARSE_MATCH)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: del-flows and dump-flows take no %s",
				  f->name, pos, f->name);
	if (f->not_in & 1u << p->mode)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: only del-flows and dump-flows take %s",
				  f->name, pos, f->name);
	ret = claim_slot(p, f);
	if (ret < 0)
		return ret;
	memcpy(val, p->value, p->value_len);
	val[p->value_len] = '\0';
	return f->parse(p, f, val);
}

/* Prerequisites are checked when the whole match is known, so that
 * "nw_dst=10.0.0.0/8,ip" is as good as "ip,nw_dst=10.0.0.0/8". The
 * first offending item in the text is reported. */
static int
check_match_needs(struct parser *p)
{
	const struct field *bad = NULL;
	size_t pos = SIZE_MAX;
	unsigned int i;

	for (i = 0; i < N_SLOTS; i++) {
		if (p->seen[i] == NULL || p->seen_pos[i] >= pos)
			continue;
		if (!vs_flow_need_met(&p->spec->match, p->seen[i]->need)) {
			bad = p->seen[i];
			pos = p->seen_pos[i];
		}
	}
	if (bad == NULL)
		return 0;
	return vs_err_set(p->err, -EINVAL, "%s at position %zu needs %s", bad->name, pos,
			  vs_flow_need_text[bad->need]);
}

static bool
is_sep(char c)
{
	return c == ',' || isspace((unsigned char)c);
}

/* The match items, up to the end of the text or to "actions=". Items are
 * separated by a comma or white space (or both), as ovs-ofctl reads them;
 * white space around '=' is allowed. Sets *actions to the offset of the
 * action list, or 0 if there is none. */
static int
parse_items(struct parser *p, size_t *actions)
{
	const char *t = p->text;
	size_t i = vs_flow_text_skip_space(t, 0), k, kend;
	bool eq;
	int ret;

	*actions = 0;
	if (t[i] == '\0')
		return 0; /* match everything */
	for (;;) {
		if (t[i] == ',')
			return vs_err_set(p->err, -EINVAL,
					  "at position %zu: an empty item; remove the extra ','",
					  i);
		for (k = i; t[i] != '\0' && t[i] != '=' && !is_sep(t[i]); i++)
			;
		kend = i;
		i = vs_flow_text_skip_space(t, i);
		eq = t[i] == '=';
		if (vs_flow_text_word_is(t + k, kend - k, "actions")) {
			if (!eq)
				return vs_err_set(p->err, -EINVAL,
						  "actions at position %zu: needs '=' and a list, "
						  "like actions=output:nic0",
						  k);
			if (p->mode == VS_FLOW_PARSE_MATCH)
				return vs_err_set(
					p->err, -EINVAL,
					"actions at position %zu: del-flows and dump-flows "
					"take a match without actions",
					k);
			*actions = i + 1;
			return 0;
		}
		if (eq) {
			i = vs_flow_text_skip_space(t, i + 1);
			while (t[i] != '\0' && !is_sep(t[i]))
				i++;
			kend = i;
		}
		ret = parse_item(p, k, kend - k);
		if (ret < 0)
			return ret;
		i = vs_flow_text_skip_space(t, i);
		if (t[i] == ',') {
			i = vs_flow_text_skip_space(t, i + 1);
			if (t[i] == '\0')
				return vs_err_set(
					p->err, -EINVAL,
					"at position %zu: an empty item; remove the extra ','", i);
		}
		if (t[i] == '\0')
			return 0;
	}
}

int
vs_flow_parse(const char *text, enum vs_flow_parse_mode mode, vs_port_lookup_fn *lookup, void *ctx,
	      struct vs_flow_spec *out, struct vs_err *err)
{
	struct parser p = {
		.text = text,
		.mode = mode,
		.lookup = lookup,
		.ctx = ctx,
		.spec = out,
		.err = err,
		.drop_pos = SIZE_MAX,
		.write_pos = SIZE_MAX,
	};
	uint8_t *k = (uint8_t *)&out->match.key;
	const uint8_t *m = (const uint8_t *)&out->match.mask;
	size_t actions;
	unsigned int i;
	int ret;

	/* Zeroed whole, padding included, so that specs compare with memcmp. */
	memset(out, 0, sizeof(*out));
	out->priority = VS_FLOW_PRIORITY_DEFAULT;
	ret = parse_items(&p, &actions);
	if (ret < 0)
		return ret;
	if (mode != VS_FLOW_PARSE_MATCH && actions == 0)
		return vs_err_set(err, -EINVAL,
				  "at position %zu (the end): a flow to add needs 'actions=' last "
				  "(like actions=normal, or actions=drop)",
				  strlen(text));
	ret = check_match_needs(&p);
	if (ret < 0)
		return ret;
	for (i = 0; i < sizeof(out->match.key); i++) /* each field did; make sure */
		k[i] &= m[i];
	return actions != 0 ? vs_parse_actions(&p, actions) : 0;
}
