/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/ofp/test_ofp_enc.c: actions and instructions back to the wire
 * (control/openflow/codec/ofp_actions_enc.c): every action kind decodes back to
 * itself, ovs-ofctl 3.1's own rules (tests/unit/ofp/captures.txt) encode
 * back to its bytes, and what OpenFlow 1.3 cannot say is refused with the
 * buffer left as it was. No EAL needed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ofp_codec.h"
#include "ofp_fixture.h"

static struct vs_action
act(uint8_t type)
{
	struct vs_action a;

	memset(&a, 0, sizeof(a));
	a.type = type;
	return a;
}

/* A rule's match on IP protocol 'proto' (the tcp/udp/sctp rewrites need one). */
static struct vs_flow_match
proto_match(uint8_t proto)
{
	struct vs_flow_match m;

	memset(&m, 0, sizeof(m));
	m.key.dl_type = 0x0800;
	m.mask.dl_type = 0xffff;
	m.key.nw_proto = proto;
	m.mask.nw_proto = 0xff;
	return m;
}

/* Every action kind the decoder gives, one by one in apply-actions and
 * in write-actions: encode, decode, the same action. */
static void
test_every_action_kind_round_trips(void **state)
{
	struct vs_flow_match m = proto_match(17);
	struct vs_ofp_acts_in in = {VS_OFP_ACTS_FLOW, &ports, 0, &m};
	struct vs_action all[32], back[VS_ACTIONS_MAX];
	struct vs_ofpbuf b = {0};
	struct vs_ofperr e;
	unsigned int n = 0, i, w;
	uint16_t got;
	static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};

	(void)state;
	all[n] = act(VS_ACT_OUTPUT), all[n++].port = 13;
	all[n++] = act(VS_ACT_IN_PORT);
	all[n++] = act(VS_ACT_NORMAL);
	all[n++] = act(VS_ACT_FLOOD);
	all[n++] = act(VS_ACT_ALL);
	all[n++] = act(VS_ACT_LOCAL);
	all[n] = act(VS_ACT_CONTROLLER), all[n].u16 = 0xffff, all[n++].u8 = OFPR_ACTION;
	all[n] = act(VS_ACT_CONTROLLER), all[n].u16 = 128, all[n++].u8 = OFPR_NO_MATCH;
	all[n] = act(VS_ACT_GROUP), all[n++].u32 = 7;
	all[n] = act(VS_ACT_RESUBMIT), all[n].u8 = 4, all[n++].u16 = VS_PORT_NONE;
	all[n] = act(VS_ACT_SET_VLAN_VID), all[n++].u16 = 100;
	all[n] = act(VS_ACT_SET_VLAN_PCP), all[n++].u8 = 5;
	all[n++] = act(VS_ACT_STRIP_VLAN);
	all[n] = act(VS_ACT_PUSH_VLAN), all[n++].u16 = 0x88a8;
	all[n] = act(VS_ACT_SET_DL_SRC), all[n++].mac.addr_bytes[5] = 0x0a;
	all[n] = act(VS_ACT_SET_DL_DST), all[n++].mac.addr_bytes[0] = 0x02;
	all[n] = act(VS_ACT_SET_NW_SRC), all[n++].u32 = 0x0100000a;
	all[n] = act(VS_ACT_SET_NW_DST), all[n++].u32 = 0x0302010a;
	all[n] = act(VS_ACT_SET_NW_TOS), all[n++].u8 = 46 << 2;
	all[n] = act(VS_ACT_SET_NW_ECN), all[n++].u8 = 3;
	all[n] = act(VS_ACT_SET_NW_TTL), all[n++].u8 = 9;
	all[n++] = act(VS_ACT_DEC_TTL);
	all[n] = act(VS_ACT_SET_IPV6_SRC), memcpy(all[n++].ip6, v6, 16);
	all[n] = act(VS_ACT_SET_IPV6_DST), memcpy(all[n++].ip6, v6, 16);
	all[n] = act(VS_ACT_SET_TP_SRC), all[n++].u16 = 53;
	all[n] = act(VS_ACT_SET_TP_DST), all[n++].u16 = 5353;
	all[n] = act(VS_ACT_WRITE_METADATA), all[n].u64 = 0x1234, all[n++].mask64 = UINT64_MAX;
	for (w = 0; w < 2; w++) {
		for (i = 0; i < n; i++) {
			struct vs_action x = all[i];

			x.flags = w ? VS_AF_WRITE : 0;
			vs_ofpbuf_clear(&b);
			got = 0;
			if (w) {
				assert_int_equal(vs_ofp_instructions_encode(&b, &x, 1, &in), 0);
				assert_int_equal(vs_ofp_instructions_decode(b.data, b.len, &in,
									    back, &got, &e),
						 0);
			} else {
				assert_int_equal(vs_ofp_actions_encode(&b, &x, 1, &in), 0);
				assert_int_equal(vs_ofp_actions_decode(b.data, b.len, &in, 0, back,
								       &got, &e),
						 0);
			}
			assert_int_equal(b.len % 8, 0);
			assert_int_equal(got, 1);
			assert_memory_equal(&back[0], &x, sizeof(x));
		}
	}
	/* And all of them at once, as one apply-actions. */
	vs_ofpbuf_clear(&b);
	got = 0;
	assert_int_equal(vs_ofp_actions_encode(&b, all, (uint16_t)n, &in), 0);
	assert_int_equal(vs_ofp_actions_decode(b.data, b.len, &in, 0, back, &got, &e), 0);
	assert_int_equal(got, n);
	assert_memory_equal(back, all, n * sizeof(all[0]));
	vs_ofpbuf_free(&b);
}

/* Every part of an instruction list: apply, clear, write, metadata, goto. */
static void
test_instruction_list_round_trips(void **state)
{
	struct vs_flow_match m = proto_match(6);
	struct vs_ofp_acts_in in = {VS_OFP_ACTS_FLOW, &ports, 2, &m};
	struct vs_action a[8], back[VS_ACTIONS_MAX];
	struct vs_ofpbuf b = {0};
	struct vs_ofperr e;
	uint16_t got = 0, n = 0, k;

	(void)state;
	a[n] = act(VS_ACT_SET_TP_DST), a[n++].u16 = 8080;
	a[n] = act(VS_ACT_RESUBMIT), a[n].u8 = 3, a[n++].u16 = 12; /* from port 2 */
	a[n++] = act(VS_ACT_CLEAR_ACTIONS);
	a[n] = act(VS_ACT_OUTPUT), a[n].port = 11, a[n++].flags = VS_AF_WRITE;
	a[n] = act(VS_ACT_GROUP), a[n].u32 = 9, a[n++].flags = VS_AF_WRITE;
	a[n] = act(VS_ACT_WRITE_METADATA), a[n].u64 = 0x5, a[n++].mask64 = 0xf;
	a[n] = act(VS_ACT_GOTO_TABLE), a[n++].u8 = 9;
	assert_int_equal(vs_ofp_instructions_encode(&b, a, n, &in), 0);
	/* apply (8 + 16 + 16), clear 8, write (8 + 16 + 8), metadata 24, goto 8 */
	assert_int_equal(b.len, 40 + 8 + 32 + 24 + 8);
	assert_int_equal(vs_ofp_get16(b.data), OFPIT_APPLY_ACTIONS);
	assert_int_equal(vs_ofp_get16(b.data + 40), OFPIT_CLEAR_ACTIONS);
	assert_int_equal(vs_ofp_get16(b.data + 48), OFPIT_WRITE_ACTIONS);
	assert_int_equal(vs_ofp_get16(b.data + 80), OFPIT_WRITE_METADATA);
	assert_int_equal(vs_ofp_get16(b.data + 104), OFPIT_GOTO_TABLE);
	assert_int_equal(vs_ofp_get16(b.data + 24 + 10), 2); /* resubmit's OpenFlow port */
	/* The decoder refuses resubmit from another port: the rest decodes
	 * back to itself. */
	for (k = 1; k < n - 1; k++)
		a[k] = a[k + 1];
	n--;
	vs_ofpbuf_clear(&b);
	assert_int_equal(vs_ofp_instructions_encode(&b, a, n, &in), 0);
	assert_int_equal(vs_ofp_instructions_decode(b.data, b.len, &in, back, &got, &e), 0);
	assert_int_equal(got, n);
	assert_memory_equal(back, a, n * sizeof(a[0]));

	/* No actions: no instructions (drop); an explicit drop ends the list. */
	vs_ofpbuf_clear(&b);
	assert_int_equal(vs_ofp_instructions_encode(&b, a, 0, &in), 0);
	assert_int_equal(b.len, 0);
	a[0] = act(VS_ACT_NORMAL);
	a[1] = act(VS_ACT_DROP);
	a[2] = act(VS_ACT_FLOOD);
	assert_int_equal(vs_ofp_actions_encode(&b, a, 3, &in), 0);
	assert_int_equal(b.len, 16);
	vs_ofpbuf_free(&b);
}

/* A packet-out's output:TABLE decodes as resubmit to table 0: back again. */
static void
test_packet_out_table_output(void **state)
{
	struct vs_ofp_acts_in in = {VS_OFP_ACTS_PACKET_OUT, &ports, 0, NULL};
	struct vs_action a = act(VS_ACT_RESUBMIT);
	struct vs_ofpbuf b = {0};

	(void)state;
	a.u16 = VS_PORT_NONE;
	assert_int_equal(vs_ofp_actions_encode(&b, &a, 1, &in), 0);
	assert_int_equal(b.len, 16);
	assert_int_equal(vs_ofp_get16(b.data), OFPAT_OUTPUT);
	assert_int_equal(vs_ofp_get32(b.data + 4), OFPP_TABLE);
	vs_ofpbuf_free(&b);
}

/* What OpenFlow 1.3 cannot say: -EINVAL, the buffer as it was. */
static void
test_what_openflow_cannot_say_is_refused(void **state)
{
	struct vs_flow_match ip = proto_match(1); /* ICMP: no tcp/udp/sctp ports */
	struct vs_ofp_acts_in in = {VS_OFP_ACTS_FLOW, &ports, 0, &ip};
	struct vs_action a[3];
	struct vs_ofpbuf b = {0};

	(void)state;
	vs_ofpbuf_put(&b, "12345678", 8);
	a[0] = act(VS_ACT_NORMAL);
	a[1] = act(VS_ACT_SET_NW_TOS), a[1].u8 = 0x01; /* an ECN bit */
	assert_int_equal(vs_ofp_instructions_encode(&b, a, 2, &in), -EINVAL);
	a[1] = act(VS_ACT_SET_TP_SRC); /* the rule is not tcp, udp or sctp */
	assert_int_equal(vs_ofp_instructions_encode(&b, a, 2, &in), -EINVAL);
	in.match = NULL;
	assert_int_equal(vs_ofp_instructions_encode(&b, a, 2, &in), -EINVAL);
	a[1] = act(VS_ACT_OUTPUT), a[1].port = 5; /* no OpenFlow number */
	assert_int_equal(vs_ofp_instructions_encode(&b, a, 2, &in), -EINVAL);
	a[1] = act(VS_ACT_RESUBMIT), a[1].u16 = 5;
	assert_int_equal(vs_ofp_instructions_encode(&b, a, 2, &in), -EINVAL);
	/* A masked metadata write before other actions, goto in the middle, a
	 * write action before an applied one. */
	a[0] = act(VS_ACT_WRITE_METADATA), a[0].mask64 = 0xff;
	a[1] = act(VS_ACT_NORMAL);
	assert_int_equal(vs_ofp_instructions_encode(&b, a, 2, &in), -EINVAL);
	a[0] = act(VS_ACT_GOTO_TABLE), a[0].u8 = 3;
	assert_int_equal(vs_ofp_instructions_encode(&b, a, 2, &in), -EINVAL);
	a[0] = act(VS_ACT_FLOOD), a[0].flags = VS_AF_WRITE;
	assert_int_equal(vs_ofp_instructions_encode(&b, a, 2, &in), -EINVAL);
	/* Instructions are not actions. */
	a[0] = act(VS_ACT_CLEAR_ACTIONS);
	assert_int_equal(vs_ofp_actions_encode(&b, a, 1, &in), -EINVAL);
	assert_int_equal(b.len, 8);
	assert_memory_equal(b.data, "12345678", 8);
	vs_ofpbuf_free(&b);
}

#define FM_MATCH 48

/* ovs-ofctl's FLOW_MODs: decoded, their instructions encoded again, the
 * same bytes. The match encoder puts the OXM fields in its own order
 * (ovs-ofctl's differs): the match is checked by decoding it again. */
static void
encode_back(const uint8_t *msg, size_t len)
{
	static struct vs_ofp_flow_mod fm;
	struct vs_ofp_acts_in in = {VS_OFP_ACTS_FLOW, &ports, 0, NULL};
	struct vs_flow_match m2;
	struct vs_ofpbuf b = {0};
	struct vs_ofperr e;
	size_t used, mlen;

	assert_int_equal(vs_ofp_decode_flow_mod(msg, len, &ports, &fm, &e), 0);
	in.table_id = fm.spec.table_id;
	in.match = &fm.spec.match;
	assert_int_equal(vs_ofp_match_encode(&b, &fm.spec.match, &ports), 0);
	assert_int_equal(vs_ofp_match_decode(b.data, b.len, &ports, &m2, &used, &e), 0);
	assert_int_equal(used, b.len);
	assert_memory_equal(&m2, &fm.spec.match, sizeof(m2));
	mlen = (vs_ofp_get16(msg + FM_MATCH + 2) + 7u) / 8 * 8;
	vs_ofpbuf_clear(&b);
	assert_int_equal(vs_ofp_instructions_encode(&b, fm.spec.actions, fm.spec.n_actions, &in),
			 0);
	assert_int_equal(b.len, len - FM_MATCH - mlen);
	assert_memory_equal(b.data, msg + FM_MATCH + mlen, b.len);
	vs_ofpbuf_free(&b);
}

static void
test_captures_encode_back_to_their_bytes(void **state)
{
	static const char *const names[] = {"flow_mod", "flow_mod_instr", "flow_mod_vlan",
					    "flow_mod_v6", "flow_mod_sctp"};
	uint8_t msg[2048];
	size_t len, i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		len = capture(names[i], msg, sizeof(msg));
		encode_back(msg, len);
	}
	/* The bundled FLOW_MODs, inside their BUNDLE_ADD (16 + 8 bytes before). */
	len = capture("bundle_add1", msg, sizeof(msg));
	encode_back(msg + 24, vs_ofp_get16(msg + 26));
	len = capture("bundle_add2", msg, sizeof(msg));
	encode_back(msg + 24, vs_ofp_get16(msg + 26));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_action_kind_round_trips),
		cmocka_unit_test(test_instruction_list_round_trips),
		cmocka_unit_test(test_packet_out_table_output),
		cmocka_unit_test(test_what_openflow_cannot_say_is_refused),
		cmocka_unit_test(test_captures_encode_back_to_their_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
