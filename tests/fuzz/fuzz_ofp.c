/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fuzz_ofp.c: libFuzzer target for the OpenFlow 1.3 decoders
 * (control/openflow/codec/ofp_match.c, ofp_actions.c, ofp_flow_mod.c, ofp_group.c,
 * ofp_bundle_msg.c). The first byte picks what the rest is read as: a match,
 * an action list, an instruction list, a whole FLOW_MOD, a GROUP_MOD, or
 * an ONF bundle message (and the FLOW_MOD inside an ADD). Each must be
 * refused with an OpenFlow error, or decode; a decoded match, action list
 * or instruction list (a FLOW_MOD's too) must encode (ofp_actions_enc.c)
 * and decode again to the same thing, unless the encoder refuses it, and a
 * GROUP_MOD's buckets to the same buckets. Reading past the input, a crash
 * or a leak aborts
 * (ASan, UBSan, LeakSanitizer). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ofp_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* OpenFlow ports 1-8 are port ids 10-17. */
static int
to_id(void *ctx, uint32_t ofport, uint16_t *id)
{
	if (ofport < 1 || ofport > 8)
		return -ENOENT;
	*id = (uint16_t)(ofport + 9);
	return 0;
}

static int
to_ofport(void *ctx, uint16_t id, uint32_t *ofport)
{
	if (id < 10 || id > 17)
		return -ENOENT;
	*ofport = id - 9u;
	return 0;
}

static const struct vs_ofp_ports ports = {.to_id = to_id, .to_ofport = to_ofport};

static void
match_round_trip(const uint8_t *p, size_t n)
{
	struct vs_flow_match m, again;
	struct vs_ofperr e;
	struct vs_ofpbuf b;
	size_t used;

	if (vs_ofp_match_decode(p, n, &ports, &m, &used, &e) < 0)
		return;
	if (used > n)
		abort();
	vs_ofpbuf_init(&b);
	if (vs_ofp_match_encode(&b, &m, &ports) == 0) {
		if (vs_ofp_match_decode(b.data, b.len, &ports, &again, &used, &e) < 0 ||
		    memcmp(&m, &again, sizeof(m)) != 0)
			abort();
	}
	vs_ofpbuf_free(&b);
}

/* decode -> encode -> decode: the same list ('insts': as instructions). */
static void
actions_round_trip(const struct vs_action *a, uint16_t n, const struct vs_ofp_acts_in *in,
		   bool insts)
{
	struct vs_action again[VS_ACTIONS_MAX];
	struct vs_ofperr e;
	struct vs_ofpbuf b;
	uint16_t m = 0;
	int rc;

	vs_ofpbuf_init(&b);
	rc = insts ? vs_ofp_instructions_encode(&b, a, n, in) : vs_ofp_actions_encode(&b, a, n, in);
	if (rc == 0) {
		rc = insts ? vs_ofp_instructions_decode(b.data, b.len, in, again, &m, &e)
			   : vs_ofp_actions_decode(b.data, b.len, in, 0, again, &m, &e);
		if (rc < 0 || m != n || memcmp(a, again, n * sizeof(*a)) != 0)
			abort();
	} else if (rc != -EINVAL || b.len != 0) {
		abort(); /* refused, the buffer as it was */
	}
	vs_ofpbuf_free(&b);
}

static struct vs_ofp_group_mod gm, gm_again; /* 80 KiB each */

static void
group_round_trip(const uint8_t *p, size_t n)
{
	struct vs_ofperr e;
	struct vs_ofpbuf b;

	if (vs_ofp_decode_group_mod(p, n, &ports, &gm, &e) < 0 || gm.command == OFPGC_DELETE)
		return;
	if (gm.spec.n_buckets > VS_GROUP_BUCKETS_MAX)
		abort();
	vs_ofpbuf_init(&b);
	if (vs_ofpbuf_put(&b, p, 16) == NULL)
		abort();
	if (vs_ofp_buckets_encode(&b, gm.spec.buckets, gm.spec.n_buckets, &ports) == 0 &&
	    b.len <= UINT16_MAX) {
		vs_ofp_put16(b.data + 2, (uint16_t)b.len);
		if (vs_ofp_decode_group_mod(b.data, b.len, &ports, &gm_again, &e) < 0 ||
		    gm_again.spec.n_buckets != gm.spec.n_buckets ||
		    memcmp(gm_again.spec.buckets, gm.spec.buckets,
			   sizeof(gm.spec.buckets[0]) * gm.spec.n_buckets) != 0)
			abort();
	}
	vs_ofpbuf_free(&b);
}

static void
bundle(const uint8_t *p, size_t n, struct vs_ofp_flow_mod *fm)
{
	struct vs_ofp_bundle_msg m;
	struct vs_ofperr e;

	if (vs_ofp_decode_bundle(p, n, &m, &e) <= 0 || m.inner == NULL)
		return;
	if (m.inner < p || m.inner + m.inner_len > p + n)
		abort();
	vs_ofp_decode_flow_mod(m.inner, m.inner_len, &ports, fm, &e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vs_ofp_acts_in in = {.ports = &ports};
	struct vs_action a[VS_ACTIONS_MAX];
	struct vs_ofp_flow_mod fm;
	struct vs_ofperr e;
	uint16_t n = 0;
	uint8_t *copy;

	if (size < 1)
		return 0;
	/* A copy of exactly the input's size: ASan sees a read past it. */
	copy = malloc(size - 1 ? size - 1 : 1);
	memcpy(copy, data + 1, size - 1);
	switch (data[0] % 7) {
	case 0:
		match_round_trip(copy, size - 1);
		break;
	case 1:
	case 2:
		in.ctx = data[0] % 7 == 1 ? VS_OFP_ACTS_PACKET_OUT : VS_OFP_ACTS_GROUP;
		if (vs_ofp_actions_decode(copy, size - 1, &in, 0, a, &n, &e) == 0)
			actions_round_trip(a, n, &in, false);
		break;
	case 3:
		in.ctx = VS_OFP_ACTS_FLOW;
		in.table_id = (uint8_t)(size % 4);
		if (vs_ofp_instructions_decode(copy, size - 1, &in, a, &n, &e) == 0)
			actions_round_trip(a, n, &in, true);
		break;
	case 4:
		if (vs_ofp_decode_flow_mod(copy, size - 1, &ports, &fm, &e) == 0) {
			in.ctx = VS_OFP_ACTS_FLOW;
			in.table_id = fm.spec.table_id;
			in.match = &fm.spec.match;
			actions_round_trip(fm.spec.actions, fm.spec.n_actions, &in, true);
		}
		break;
	case 5:
		group_round_trip(copy, size - 1);
		break;
	default:
		bundle(copy, size - 1, &fm);
	}
	if (n > VS_ACTIONS_MAX)
		abort();
	free(copy);
	return 0;
}
