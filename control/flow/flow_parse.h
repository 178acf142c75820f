/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_parse.h: flow rules in the syntax operators know from
 * ovs-ofctl, with Open vSwitch's meaning, to and from struct vs_flow_spec.
 *
 *   table=1,priority=100,in_port=1,ip,nw_dst=10.1.0.0/16 actions=mod_vlan_vid:20,output:nic0
 *
 * Ports (names, or OpenFlow port numbers) are resolved through the
 * caller's lookup (the bridge's ports). A syntax error says which field,
 * at which position (0-based character offset in the text), what was
 * wrong and what would be right; what OVS has and the switch does not is
 * said as such, with what it has. control/flow/flow_parse.c cuts the text
 * into items, flow_parse_match.c reads the match, flow_parse_act.c and
 * flow_parse_set.c the actions; control/flow/flow_format.c formats; the
 * names they share are in control/flow/flow_syntax.h. docs/flows.md lists
 * every field and action. */
#ifndef VS_FLOW_PARSE_H
#define VS_FLOW_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions.h"
#include "err.h"
#include "flowkey.h"

#define VS_FLOW_PRIORITY_DEFAULT 32768 /* OpenFlow's default */

/* A port's id, or -1 if the bridge has no such port. 'name' is as the
 * operator typed it: a decimal number is an OpenFlow port number (ofport)
 * first, as ovs-ofctl reads it, else a port name. */
typedef int vs_port_lookup_fn(void *ctx, const char *name);
/* A port id's text for a rule: its name, or its OpenFlow number where the
 * name would read back as something else (a reserved port's name, a
 * number); NULL if there is no such port. */
typedef const char *vs_port_name_fn(void *ctx, uint16_t id);

enum vs_flow_parse_mode {
	VS_FLOW_PARSE_ADD,   /* a rule: match and actions= (required, may be empty: drop) */
	VS_FLOW_PARSE_MATCH, /* a match only (del-flows, dump-flows): no actions= */
	VS_FLOW_PARSE_MOD,   /* mod-flows: as ADD, but cookie=V/M selects (has_cookie) and
			      * cookie=V alone is the cookie of the rule added if none is
			      * selected (has_cookie false) */
};

/* vs_flow_spec.flags, OpenFlow's OFPFF_* values */
#define VS_FF_SEND_FLOW_REM 0x0001
#define VS_FF_CHECK_OVERLAP 0x0002
#define VS_FF_RESET_COUNTS  0x0004
#define VS_FF_NO_PKT_COUNTS 0x0008
#define VS_FF_NO_BYT_COUNTS 0x0010

/* Who installed a rule: vswitchctl's rules (and the config file's) are
 * saved; an OpenFlow controller's are not (it installs them again when it
 * reconnects), as Open vSwitch does. */
enum vs_flow_origin {
	VS_ORIGIN_OPERATOR,
	VS_ORIGIN_CONTROLLER,
};

struct vs_flow_spec {
	uint8_t table_id;  /* default 0 */
	bool has_table;    /* MATCH: table= given; without it, every table */
	uint8_t origin;    /* enum vs_flow_origin */
	uint16_t flags;    /* VS_FF_* */
	bool has_out_port; /* MATCH: only rules with an output to port id 'out_port' */
	uint16_t out_port;
	bool has_out_group; /* MATCH: only rules that send to group 'out_group' */
	uint32_t out_group;
	uint16_t priority; /* default VS_FLOW_PRIORITY_DEFAULT */
	bool has_priority; /* priority= was given */
	uint64_t cookie;
	uint64_t cookie_mask; /* MATCH mode: cookie=V/M (default mask: all ones if given) */
	bool has_cookie;
	uint32_t idle_timeout;      /* seconds, 0: none */
	uint32_t hard_timeout;      /* seconds, 0: none */
	struct vs_flow_match match; /* key already masked */
	uint16_t n_actions;
	struct vs_action actions[VS_ACTIONS_MAX];
};

/* Parse 'text'. 0, or -EINVAL with err naming the field and position. */
int vs_flow_parse(const char *text, enum vs_flow_parse_mode mode, vs_port_lookup_fn *lookup,
		  void *ctx, struct vs_flow_spec *out, struct vs_err *err);

/* The canonical text of a match, without table, priority or cookie, in a
 * fixed order, with OVS's names: in_port, a shorthand (ip, tcp, arp, ...)
 * or dl_type, nw_proto (arp_op for ARP) unless the shorthand says it,
 * dl_vlan (or vlan_tci for what dl_vlan cannot say), dl_vlan_pcp, dl_src,
 * dl_dst, the addresses, nw_tos, nw_ecn, nw_frag, then tp_src/tp_dst or
 * icmp_type/icmp_code, metadata; masks as /prefix where the mask is a
 * prefix. "" for a match-all. Returns the length, like snprintf. */
int vs_flow_format_match(const struct vs_flow_match *m, vs_port_name_fn *name, void *ctx, char *buf,
			 size_t size);

/* The canonical text of an action list ("drop" when empty), in OVS's
 * spelling (NORMAL, output:PORT, CONTROLLER:N, resubmit(PORT,TABLE),
 * write_actions(...) around the VS_AF_WRITE ones). Parsing it back gives
 * the same actions. Ports by the name callback's text. */
int vs_flow_format_actions(const struct vs_action *a, uint16_t n, vs_port_name_fn *name, void *ctx,
			   char *buf, size_t size);

#endif
