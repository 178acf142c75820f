/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_parse_int.h: what the parser's three files share, and
 * no one else: the parser's state (struct parser), the match fields'
 * table (flow_parse_match.c), the action list (flow_parse_act.c) and the
 * helpers of the driver (flow_parse.c) that both call: ports, errors. */
#ifndef VS_FLOW_PARSE_INT_H
#define VS_FLOW_PARSE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow_syntax.h"

#define VS_PARSE_VALUE_MAX 128 /* the longest value, an IPv6 address and mask, is 91 */

/* One storage place in the spec. Fields that are spellings of one place
 * (nw_src, ip_src and arp_spa; nw_tos and ip_dscp; tp_src, tcp_src and
 * icmp_type) share a slot, so giving two is caught as giving the field
 * twice. */
enum slot {
	SLOT_PRIORITY,
	SLOT_COOKIE,
	SLOT_TABLE,
	SLOT_IDLE,
	SLOT_HARD,
	SLOT_IN_PORT,
	SLOT_DL_SRC,
	SLOT_DL_DST,
	SLOT_DL_TYPE,
	SLOT_VLAN,
	SLOT_VLAN_PCP,
	SLOT_NW_SRC,
	SLOT_NW_DST,
	SLOT_IPV6_SRC,
	SLOT_IPV6_DST,
	SLOT_NW_PROTO,
	SLOT_NW_TOS,
	SLOT_NW_ECN,
	SLOT_NW_FRAG,
	SLOT_TP_SRC,
	SLOT_TP_DST,
	SLOT_METADATA,
	SLOT_OUT_PORT,
	SLOT_OUT_GROUP,
	N_SLOTS
};

/* Which item set dl_type or nw_proto, to name both sides of a conflict. */
struct origin {
	size_t pos;
	size_t len; /* 0: not set yet */
};

struct field;

/* Where an action list stands in OpenFlow's order of instructions:
 * apply-actions, clear-actions, write-actions, write-metadata, goto-table. */
enum stage {
	STAGE_APPLY,
	STAGE_CLEAR,
	STAGE_WRITE,
	STAGE_METADATA,
	STAGE_GOTO,
};

struct parser {
	const char *text;
	enum vs_flow_parse_mode mode;
	vs_port_lookup_fn *lookup;
	void *ctx;
	struct vs_flow_spec *spec;
	struct vs_err *err;
	size_t pos;        /* the current item's first character */
	size_t len;        /* and its length, trimmed */
	const char *value; /* its value, in 'text', for error messages */
	size_t value_len;
	const struct field *seen[N_SLOTS]; /* the item that set each slot */
	size_t seen_pos[N_SLOTS];
	struct origin dl_type_from, nw_proto_from;
	size_t drop_pos;  /* SIZE_MAX: no "drop" action */
	uint8_t stage;    /* enum stage, of the actions so far */
	bool in_write;    /* inside write_actions(...): actions get VS_AF_WRITE */
	size_t write_pos; /* SIZE_MAX: no write_actions yet */
};

/* Parses the NUL-terminated copy 'val' of the current item's value. */
typedef int field_fn(struct parser *p, const struct field *f, char *val);

struct field {
	const char *name;
	field_fn *parse;
	uint8_t slot;
	uint8_t need;
	uint8_t dst;        /* of a source/destination pair: 1 for the destination */
	uint8_t not_in;     /* bit (1 << mode): the parse modes that refuse it */
	const char *expect; /* what a good value looks like */
};

/* flow_parse_match.c: the match field (or the rule's key=value item) named
 * by the 'len' characters at 'key', or NULL. */
const struct field *vs_parse_find_field(const char *key, size_t len);
/* A word that is no field: a shorthand (ip, tcp, ...), a flag
 * (send_flow_rem, ...), an OVS field the switch does not have, or a
 * misspelling. 0 or -EINVAL with err set. */
int vs_parse_bare_word(struct parser *p, const char *key, size_t len, bool has_value);
/* Every misspelt word is compared with every field name. */
void vs_parse_near_fields(struct vs_flow_near *n, const char *word, size_t len);

/* flow_parse_act.c: the comma-separated action list from 'start' to the end. */
int vs_parse_actions(struct parser *p, size_t start);
/* Room for one more action of 'type' (flagged VS_AF_WRITE inside
 * write_actions), or NULL with err set. */
struct vs_action *vs_parse_new_action(struct parser *p, uint8_t type);
/* Is an action of stage 'want' (an instruction, or STAGE_APPLY) allowed
 * here? Moves the list on to that stage; -EINVAL with err set if not. */
int vs_parse_check_stage(struct parser *p, const char *name, enum stage want);
/* "V" or "V/M", 64 bits each (the mask all ones if none). */
bool vs_parse_u64_masked(char *arg, uint64_t *v, uint64_t *mask);

/* flow_parse_set.c: set_field's VALUE->FIELD, and load's VALUE->FIELD[]. */
int vs_parse_set_field(struct parser *p, char *arg);
int vs_parse_load(struct parser *p, char *arg);

/* flow_parse.c: the port a name or OpenFlow port number stands for, as
 * 'what' (the field or action) names it; -EINVAL with err set if none. */
int vs_parse_port(struct parser *p, const char *what, const char *name, uint16_t *id);
/* dl_type and nw_proto may be set by several items as long as they agree. */
int vs_parse_set_dl_type(struct parser *p, uint16_t type);
int vs_parse_set_nw_proto(struct parser *p, uint8_t proto);

#endif
