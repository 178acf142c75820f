/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/codec/ofp_bundle_msg.c: the ONF bundle messages of
 * OpenFlow 1.3 (OFPT_EXPERIMENTER, ONF_EXPERIMENTER_ID, exp_type 2300
 * BUNDLE_CONTROL and 2301 BUNDLE_ADD_MESSAGE) read into struct
 * vs_ofp_bundle_msg. Pure: what the session does with a bundle is
 * ../ofp_bundle.c's; the fuzz target calls this directly. */
#include <errno.h>
#include <string.h>

#include "ofp_codec.h"

#define EXP_FIXED 16 /* ofp_experimenter_header */
#define CTRL_LEN  (EXP_FIXED + 8)
#define ADD_FIXED (EXP_FIXED + 8)

static int
bundle_err(struct vs_ofperr *e, uint16_t code, const char *why)
{
	int rc = vs_ofperr_set(e, -EINVAL, OFPET_EXPERIMENTER, 0, "bundle: %s", why);

	if (e != NULL) {
		e->exp_code = ONFERR_ET_BUNDLE_BASE + code;
		e->experimenter = ONF_EXPERIMENTER_ID;
	}
	return rc;
}

int
vs_ofp_decode_bundle(const uint8_t *p, size_t len, struct vs_ofp_bundle_msg *out,
		     struct vs_ofperr *e)
{
	memset(out, 0, sizeof(*out));
	if (len < EXP_FIXED || vs_ofp_get32(p + 8) != ONF_EXPERIMENTER_ID)
		return 0;
	out->exp_type = vs_ofp_get32(p + 12);
	if (out->exp_type != ONFT_BUNDLE_CONTROL && out->exp_type != ONFT_BUNDLE_ADD_MESSAGE)
		return 0;
	if (len < CTRL_LEN)
		return bundle_err(e, OFPBFC_MSG_BAD_LEN, "cut short");
	out->bundle_id = vs_ofp_get32(p + 16);
	out->flags = vs_ofp_get16(p + 22);
	if (out->exp_type == ONFT_BUNDLE_CONTROL) {
		out->type = vs_ofp_get16(p + 20);
		if (out->type != ONF_BCT_OPEN && out->type != ONF_BCT_CLOSE &&
		    out->type != ONF_BCT_COMMIT && out->type != ONF_BCT_DISCARD)
			return bundle_err(e, OFPBFC_BAD_TYPE, "unknown control type");
	} else {
		if (len < ADD_FIXED + 8 || vs_ofp_get16(p + ADD_FIXED + 2) < 8 ||
		    vs_ofp_get16(p + ADD_FIXED + 2) > len - ADD_FIXED)
			return bundle_err(e, OFPBFC_MSG_BAD_LEN, "the inner message's length");
		out->inner = p + ADD_FIXED;
		out->inner_len = vs_ofp_get16(p + ADD_FIXED + 2);
	}
	if (out->flags & ~(ONF_BF_ATOMIC | ONF_BF_ORDERED))
		return bundle_err(e, OFPBFC_BAD_FLAGS, "unknown flags");
	if (out->inner != NULL && vs_ofp_get32(out->inner + 4) != vs_ofp_get32(p + 4))
		return bundle_err(e, OFPBFC_MSG_BAD_XID, "the inner xid is not the message's");
	return 1;
}
