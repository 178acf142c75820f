/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_parse_act.c: the action list of a flow rule (what
 * follows "actions="), as ovs-ofctl spells it and with OVS's meaning:
 * action names and reserved ports in any case (NORMAL, output:IN_PORT),
 * ports by name or OpenFlow number (output:2, or a bare 2), set_field and
 * whole-field load, resubmit, and OpenFlow 1.3's instructions in their
 * order (actions, clear_actions, write_actions(...), write_metadata,
 * goto_table). What OVS has and the switch does not (meter, ct, learn...)
 * is refused as not supported, with the list of what is. The driver
 * (flow_parse.c) hands over the offset where the list starts. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

#include "flow_parse_int.h"

#define OFPR_NO_MATCH    0
#define OFPR_ACTION      1
#define OFPR_INVALID_TTL 2

#define SUPPORTED_ACTIONS                                                                    \
	"output, NORMAL, FLOOD, ALL, IN_PORT, LOCAL, CONTROLLER, drop, group, resubmit, "    \
	"goto_table, write_metadata, write_actions, clear_actions, set_field, load, mod_*, " \
	"push_vlan, strip_vlan, dec_ttl"

/* Open vSwitch actions the switch does not have. */
static const char *const unsupported[] = {
	"meter",
	"ct",
	"ct_clear",
	"learn",
	"note",
	"enqueue",
	"set_queue",
	"pop_queue",
	"bundle",
	"bundle_load",
	"multipath",
	"encap",
	"decap",
	"push_mpls",
	"pop_mpls",
	"set_mpls_label",
	"set_mpls_tc",
	"set_mpls_ttl",
	"dec_mpls_ttl",
	"set_tunnel",
	"set_tunnel64",
	"sample",
	"clone",
	"fin_timeout",
	"exit",
	"conjunction",
	"check_pkt_larger",
	"copy_ttl_in",
	"copy_ttl_out",
	"push_nsh",
	"pop_nsh",
	"nat",
	"push",
	"pop",
	"move",
	"dec_nsh_ttl",
	"delete_field",
	"debug_recirc",
	"debug_slow",
	"output_reg",
};

static int
not_supported(struct parser *p, const char *name, size_t len, const char *why)
{
	return vs_err_set(p->err, -EINVAL,
			  "%.*s at position %zu: %.*s actions are not supported by vswitch%s; "
			  "supported: %s",
			  vs_flow_text_show(len), name, p->pos, vs_flow_text_show(len), name, why,
			  SUPPORTED_ACTIONS);
}

static bool
is_unsupported(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(unsupported); i++)
		if (vs_flow_text_word_is_nocase(name, len, unsupported[i]))
			return true;
	return false;
}

/* The nearest action name to a misspelt one, or NULL. */
static const char *
near_action(const char *name, size_t len)
{
	static const char *const special[] = {"set_field", "load", "resubmit", "write_actions"};
	const struct vs_flow_act_def *d;
	struct vs_flow_near near = {0};
	unsigned int i;

	for (d = vs_flow_act_defs; d->name != NULL; d++)
		vs_flow_near_try(&near, name, len, d->name);
	for (i = 0; i < RTE_DIM(special); i++)
		vs_flow_near_try(&near, name, len, special[i]);
	return near.name;
}

/* Room for one more action, or NULL with 'err' set. */
struct vs_action *
vs_parse_new_action(struct parser *p, uint8_t type)
{
	struct vs_flow_spec *s = p->spec;
	struct vs_action *a;

	if (s->n_actions >= VS_ACTIONS_MAX) {
		vs_err_set(p->err, -EINVAL, "at position %zu: more than %d actions", p->pos,
			   VS_ACTIONS_MAX);
		return NULL;
	}
	a = &s->actions[s->n_actions++];
	a->type = type;
	a->flags = p->in_write ? VS_AF_WRITE : 0;
	return a;
}

static const char *const stage_names[] = {
	[STAGE_APPLY] = "actions",       [STAGE_CLEAR] = "clear_actions",
	[STAGE_WRITE] = "write_actions", [STAGE_METADATA] = "write_metadata",
	[STAGE_GOTO] = "goto_table",
};

/* OpenFlow's instructions come in one order, each once: the actions to
 * apply, clear_actions, write_actions(...), write_metadata, goto_table.
 * 'want' is the stage this action belongs to. */
int
vs_parse_check_stage(struct parser *p, const char *name, enum stage want)
{
	if (p->in_write) {
		if (want != STAGE_APPLY)
			return vs_err_set(p->err, -EINVAL,
					  "%s at position %zu: not an action of the action set; "
					  "write_actions(...) takes output, group and packet "
					  "changes",
					  name, p->pos);
		return 0;
	}
	if (want == STAGE_APPLY ? p->stage != STAGE_APPLY : p->stage >= want)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: comes after %s; OpenFlow's order is "
				  "actions, clear_actions, write_actions(...), write_metadata, "
				  "goto_table, each once",
				  name, p->pos, stage_names[p->stage]);
	p->stage = (uint8_t)want;
	return 0;
}

/* "V" or "V/M", 64 bits each. */
bool
vs_parse_u64_masked(char *arg, uint64_t *v, uint64_t *mask)
{
	char *m = vs_flow_text_split_mask(arg);

	*mask = UINT64_MAX;
	return vs_flow_text_parse_num(arg, UINT64_MAX, v) &&
	       (m == NULL || vs_flow_text_parse_num(m, UINT64_MAX, mask));
}

static int
parse_act_arg(struct parser *p, const struct vs_flow_act_def *d, char *arg, struct vs_action *a)
{
	uint64_t v = 0;
	bool ok = false;

	switch (d->arg) {
	case VS_ARG_NONE:
	case VS_ARG_PORT: /* not here: parse_output */
		break;
	case VS_ARG_U8:
	case VS_ARG_U16:
	case VS_ARG_CTRL:
		ok = vs_flow_text_parse_num(arg, d->max, &v);
		break;
	case VS_ARG_TPID:
		ok = vs_flow_text_parse_num(arg, UINT16_MAX, &v) &&
		     (v == RTE_ETHER_TYPE_VLAN || v == RTE_ETHER_TYPE_QINQ);
		break;
	case VS_ARG_TOS:
		ok = vs_flow_text_parse_num(arg, UINT8_MAX, &v) && (v & 3) == 0;
		break;
	case VS_ARG_MAC:
		ok = vs_flow_text_parse_mac(arg, &a->mac);
		break;
	case VS_ARG_IPV4:
		ok = inet_pton(AF_INET, arg, &a->u32) == 1;
		break;
	case VS_ARG_TABLE:
		ok = vs_flow_text_parse_num(arg, VS_TABLES - 1, &v);
		a->u8 = (uint8_t)v;
		break;
	case VS_ARG_U32:
		ok = vs_flow_text_parse_num(arg, 0xffffff00, &v);
		a->u32 = (uint32_t)v;
		break;
	case VS_ARG_META:
		ok = vs_parse_u64_masked(arg, &a->u64, &a->mask64);
		a->u64 &= a->mask64;
		break;
	}
	if (!ok)
		return vs_err_set(p->err, -EINVAL, "%s at position %zu: '%.*s' is not %s", d->name,
				  p->pos, vs_flow_text_show(strlen(arg)), arg, d->expect);
	if (d->arg == VS_ARG_U8 || d->arg == VS_ARG_TOS)
		a->u8 = (uint8_t)v;
	else if (d->arg == VS_ARG_U16 || d->arg == VS_ARG_TPID || d->arg == VS_ARG_CTRL)
		a->u16 = (uint16_t)v;
	return 0;
}

/* An action the def table has: NAME or NAME:ARG ('arg' NULL: none given). */
static int
parse_def(struct parser *p, const struct vs_flow_act_def *d, char *arg)
{
	enum stage stage = STAGE_APPLY;
	struct vs_action *a;
	int ret;

	if (d->arg == VS_ARG_NONE && arg != NULL)
		return vs_err_set(p->err, -EINVAL, "%s at position %zu: takes no argument", d->name,
				  p->pos);
	if (d->arg != VS_ARG_NONE && d->arg != VS_ARG_CTRL && arg == NULL)
		return vs_err_set(p->err, -EINVAL, "%s at position %zu: needs ':' and %s", d->name,
				  p->pos, d->expect);
	if (!vs_flow_need_met(&p->spec->match, d->need))
		return vs_err_set(p->err, -EINVAL, "%s at position %zu needs %s", d->name, p->pos,
				  vs_flow_need_text[d->need]);
	if (d->type == VS_ACT_GOTO_TABLE)
		stage = STAGE_GOTO;
	else if (d->type == VS_ACT_WRITE_METADATA)
		stage = STAGE_METADATA;
	else if (d->type == VS_ACT_CLEAR_ACTIONS)
		stage = STAGE_CLEAR;
	if ((ret = vs_parse_check_stage(p, d->name, stage)) < 0)
		return ret;
	if (d->type == VS_ACT_DROP) {
		p->drop_pos = p->pos; /* stored as the empty list */
		return 0;
	}
	if ((a = vs_parse_new_action(p, d->type)) == NULL)
		return -EINVAL;
	if (d->type == VS_ACT_CONTROLLER) {
		a->u16 = UINT16_MAX;
		a->u8 = OFPR_ACTION;
	}
	if (arg == NULL)
		return 0;
	if ((ret = parse_act_arg(p, d, arg, a)) < 0)
		return ret;
	if (d->type == VS_ACT_GOTO_TABLE && a->u8 <= p->spec->table_id)
		return vs_err_set(p->err, -EINVAL,
				  "goto_table at position %zu: table %u is not after this rule's "
				  "table %u; OpenFlow only goes forward (resubmit(,N) goes "
				  "anywhere)",
				  p->pos, a->u8, p->spec->table_id);
	return 0;
}

/* output:PORT, or a bare PORT: a port's name or OpenFlow number, or one
 * of OpenFlow's reserved ports, which are actions of their own. */
static int
parse_output(struct parser *p, const char *what, char *port)
{
	const struct vs_flow_act_def *d = vs_flow_text_find_action(port, strlen(port));
	struct vs_action *a;
	uint16_t id;
	int ret;

	if (d != NULL && d->arg != VS_ARG_PORT &&
	    (d->type == VS_ACT_NORMAL || d->type == VS_ACT_FLOOD || d->type == VS_ACT_ALL ||
	     d->type == VS_ACT_IN_PORT || d->type == VS_ACT_LOCAL || d->type == VS_ACT_CONTROLLER))
		return parse_def(p, d, NULL);
	if (strcasecmp(port, "TABLE") == 0)
		return vs_err_set(p->err, -EINVAL,
				  "%s at position %zu: output:TABLE is for packet-out, not for a "
				  "rule (resubmit(,N) looks a table up)",
				  what, p->pos);
	if (strchr(port, '[') != NULL || strncasecmp(port, "NXM_", 4) == 0 ||
	    strncasecmp(port, "reg", 3) == 0)
		return not_supported(p, "output:FIELD", strlen("output:FIELD"), " (no registers)");
	if ((ret = vs_parse_check_stage(p, what, STAGE_APPLY)) < 0 ||
	    (ret = vs_parse_port(p, what, port, &id)) < 0)
		return ret;
	if ((a = vs_parse_new_action(p, VS_ACT_OUTPUT)) == NULL)
		return -EINVAL;
	a->port = id;
	return 0;
}

/* A word alone: an action keyword, a port (name or number), or an error
 * that says what it might have been. */
static int
parse_bare(struct parser *p, char *word, size_t len)
{
	const struct vs_flow_act_def *d = vs_flow_text_find_action(word, len);
	const char *near;
	int id;

	if (d != NULL)
		return parse_def(p, d, NULL);
	id = p->lookup != NULL ? p->lookup(p->ctx, word) : -1;
	if (id >= 0 && id <= UINT16_MAX)
		return parse_output(p, "output", word);
	if (is_unsupported(word, len))
		return not_supported(p, word, len, "");
	near = near_action(word, len);
	return vs_err_set(p->err, -EINVAL,
			  "at position %zu: '%.*s' is neither an action nor a port of this bridge "
			  "(name or OpenFlow number)%s%s%s; actions: %s",
			  p->pos, vs_flow_text_show(len), word, near ? "; did you mean '" : "",
			  near ? near : "", near ? "'?" : "", SUPPORTED_ACTIONS);
}

/* resubmit:PORT, resubmit(PORT,TABLE), resubmit(,TABLE): look the packet up
 * in TABLE (this rule's table if none) as if it came in on PORT (its own
 * if none, or IN_PORT), run that rule's actions, then carry on. */
static int
parse_resubmit(struct parser *p, char *arg, bool paren)
{
	char *table = paren ? strchr(arg, ',') : NULL;
	struct vs_action *a;
	uint16_t id = VS_PORT_NONE;
	uint64_t t = p->spec->table_id;
	int ret;

	if (table != NULL) {
		*table++ = '\0';
		if (strchr(table, ',') != NULL)
			return vs_err_set(
				p->err, -EINVAL,
				"resubmit at position %zu: resubmit(PORT,TABLE) takes two "
				"arguments; its ct form is not supported by vswitch",
				p->pos);
		if (*table != '\0' && !vs_flow_text_parse_num(table, VS_TABLES - 1, &t))
			return vs_err_set(p->err, -EINVAL,
					  "resubmit at position %zu: '%.*s' is not a table from 0 "
					  "to 254",
					  p->pos, vs_flow_text_show(strlen(table)), table);
	}
	if (*arg == '\0' && table == NULL)
		return vs_err_set(p->err, -EINVAL,
				  "resubmit at position %zu: needs a port or a table, like "
				  "resubmit(,1) or resubmit:nic0",
				  p->pos);
	if (*arg != '\0' && strcasecmp(arg, "IN_PORT") != 0 &&
	    (ret = vs_parse_port(p, "resubmit", arg, &id)) < 0)
		return ret;
	if ((ret = vs_parse_check_stage(p, "resubmit", STAGE_APPLY)) < 0)
		return ret;
	if (p->in_write)
		return vs_err_set(p->err, -EINVAL,
				  "resubmit at position %zu: not an action of the action set",
				  p->pos);
	if ((a = vs_parse_new_action(p, VS_ACT_RESUBMIT)) == NULL)
		return -EINVAL;
	a->u8 = (uint8_t)t;
	a->u16 = id;
	return 0;
}

/* controller(key=value,...): max_len and reason; OVS's others are not
 * supported. */
static int
parse_controller(struct parser *p, char *arg)
{
	static const char *const reasons[] = {
		[OFPR_NO_MATCH] = "no_match",
		[OFPR_ACTION] = "action",
		[OFPR_INVALID_TTL] = "invalid_ttl",
	};
	struct vs_action *a;
	char *kv, *val, *save = NULL;
	uint64_t v;
	unsigned int r;
	int ret;

	if ((ret = vs_parse_check_stage(p, "controller", STAGE_APPLY)) < 0 ||
	    (a = vs_parse_new_action(p, VS_ACT_CONTROLLER)) == NULL)
		return ret < 0 ? ret : -EINVAL;
	a->u16 = UINT16_MAX;
	a->u8 = OFPR_ACTION;
	for (kv = strtok_r(arg, ",", &save); kv != NULL; kv = strtok_r(NULL, ",", &save)) {
		val = strchr(kv, '=');
		if (val != NULL)
			*val++ = '\0';
		if (val != NULL && strcmp(kv, "max_len") == 0 &&
		    vs_flow_text_parse_num(val, UINT16_MAX, &v)) {
			a->u16 = (uint16_t)v;
			continue;
		}
		for (r = 0; val != NULL && strcmp(kv, "reason") == 0 && r < RTE_DIM(reasons); r++)
			if (strcmp(val, reasons[r]) == 0)
				break;
		if (val != NULL && strcmp(kv, "reason") == 0 && r < RTE_DIM(reasons)) {
			a->u8 = (uint8_t)r;
			continue;
		}
		return vs_err_set(p->err, -EINVAL,
				  "controller at position %zu: '%s' is not supported by vswitch; "
				  "controller(max_len=N,reason=action|no_match|invalid_ttl)",
				  p->pos, kv);
	}
	return 0;
}

static int parse_list(struct parser *p, size_t start, size_t end);

/* write_actions(LIST): actions for the action set, run when the pipeline
 * ends (VS_AF_WRITE). 'open' is the offset of the '('. */
static int
parse_write_actions(struct parser *p, size_t open, size_t close)
{
	size_t pos = p->pos;
	int ret;

	if ((ret = vs_parse_check_stage(p, "write_actions", STAGE_WRITE)) < 0)
		return ret;
	if (p->write_pos != SIZE_MAX)
		return vs_err_set(p->err, -EINVAL,
				  "write_actions at position %zu: given twice (first at position "
				  "%zu)",
				  pos, p->write_pos);
	p->write_pos = pos;
	p->in_write = true;
	ret = parse_list(p, open + 1, close);
	p->in_write = false;
	p->stage = STAGE_WRITE;
	return ret;
}

/* The action of 'len' characters at 'pos': NAME, NAME:ARG or NAME(ARGS). */
static int
parse_action(struct parser *p, size_t pos, size_t len)
{
	const char *s = p->text + pos;
	size_t nlen = strcspn(s, ":(,");
	const struct vs_flow_act_def *d;
	char arg[VS_PARSE_VALUE_MAX], word[VS_PARSE_VALUE_MAX];
	const char *near;
	size_t alen;
	bool paren;

	p->pos = pos;
	nlen = vs_flow_text_trim_len(s, RTE_MIN(nlen, len));
	paren = nlen < len && s[vs_flow_text_skip_space(s, nlen)] == '(';
	if (nlen == len) {
		if (len >= sizeof(word))
			return vs_err_set(p->err, -EINVAL,
					  "at position %zu: an action longer "
					  "than %zu characters",
					  pos, sizeof(word) - 1);
		memcpy(word, s, len);
		word[len] = '\0';
		return parse_bare(p, word, len);
	}
	if (paren && s[len - 1] != ')')
		return vs_err_set(p->err, -EINVAL,
				  "at position %zu: '%.*s' opens '(' but does not end with ')'",
				  pos, vs_flow_text_show(len), s);
	if (paren && vs_flow_text_word_is_nocase(s, nlen, "write_actions"))
		return parse_write_actions(p, pos + (size_t)(strchr(s, '(') - s), pos + len - 1);
	{
		const char *v = vs_flow_text_value_start(strchr(s, paren ? '(' : ':'), s + len);

		alen = (size_t)(s + len - v) - (paren ? 1 : 0);
		if (alen >= sizeof(arg))
			return vs_err_set(p->err, -EINVAL,
					  "%.*s at position %zu: the argument is longer than %zu "
					  "characters",
					  (int)nlen, s, pos, sizeof(arg) - 1);
		memcpy(arg, v, alen);
		arg[vs_flow_text_trim_len(arg, alen)] = '\0';
	}
	if (vs_flow_text_word_is_nocase(s, nlen, "set_field") && !paren)
		return vs_parse_set_field(p, arg);
	if (vs_flow_text_word_is_nocase(s, nlen, "load") && !paren)
		return vs_parse_load(p, arg);
	if (vs_flow_text_word_is_nocase(s, nlen, "resubmit"))
		return parse_resubmit(p, arg, paren);
	if (vs_flow_text_word_is_nocase(s, nlen, "controller") && paren)
		return parse_controller(p, arg);
	d = vs_flow_text_find_action(s, nlen);
	if (d != NULL && !paren && d->arg == VS_ARG_PORT)
		return *arg == '\0'
			       ? vs_err_set(p->err, -EINVAL, "%s at position %zu: needs ':' and %s",
					    d->name, pos, d->expect)
			       : parse_output(p, d->name, arg);
	if (d != NULL && !paren)
		return parse_def(p, d, *arg != '\0' ? arg : NULL);
	if (is_unsupported(s, nlen) || d != NULL)
		return not_supported(p, s, nlen, paren && d != NULL ? " in this form" : "");
	near = near_action(s, nlen);
	return vs_err_set(p->err, -EINVAL, "at position %zu: unknown action '%.*s'%s%s%s", pos,
			  vs_flow_text_show(nlen), s, near ? "; did you mean '" : "",
			  near ? near : "", near ? "'?" : "");
}

/* The end of the action that starts at 'i': the next ',' outside
 * parentheses, or 'end'. */
static size_t
action_end(const char *t, size_t i, size_t end)
{
	int depth = 0;

	for (; i < end; i++) {
		if (t[i] == '(')
			depth++;
		else if (t[i] == ')' && depth > 0)
			depth--;
		else if (t[i] == ',' && depth == 0)
			break;
	}
	return i;
}

/* The comma-separated actions from 'start' to 'end'. */
static int
parse_list(struct parser *p, size_t start, size_t end)
{
	const char *t = p->text;
	size_t i = vs_flow_text_skip_space(t, start), e;
	int ret;

	if (i >= end)
		return 0;
	for (;;) {
		if (t[i] == ',' || i >= end)
			return vs_err_set(p->err, -EINVAL,
					  "at position %zu: an empty action; remove the extra ','",
					  i);
		e = action_end(t, i, end);
		ret = parse_action(p, i, vs_flow_text_trim_len(t + i, e - i));
		if (ret < 0)
			return ret;
		if (e >= end)
			return 0;
		i = vs_flow_text_skip_space(t, e + 1);
	}
}

int
vs_parse_actions(struct parser *p, size_t start)
{
	int ret = parse_list(p, start, strlen(p->text));

	if (ret == 0 && p->drop_pos != SIZE_MAX && p->spec->n_actions > 0)
		return vs_err_set(
			p->err, -EINVAL,
			"drop at position %zu: must be the only action (an empty list drops "
			"too)",
			p->drop_pos);
	return ret;
}
