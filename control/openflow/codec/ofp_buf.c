/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/codec/ofp_buf.c: the codec's growable buffer and its errors
 * (what a decoder refused, as the OFPT_ERROR to answer with). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofp_codec.h"

void
vs_ofpbuf_init(struct vs_ofpbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void
vs_ofpbuf_free(struct vs_ofpbuf *b)
{
	free(b->data);
	vs_ofpbuf_init(b);
}

void
vs_ofpbuf_clear(struct vs_ofpbuf *b)
{
	b->len = 0;
}

uint8_t *
vs_ofpbuf_put(struct vs_ofpbuf *b, const void *p, size_t n)
{
	uint8_t *at;

	if (n > SIZE_MAX / 2 - b->len)
		return NULL;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		uint8_t *d;

		while (cap < b->len + n)
			cap *= 2;
		d = realloc(b->data, cap);
		if (d == NULL)
			return NULL;
		b->data = d;
		b->cap = cap;
	}
	at = b->data + b->len;
	if (p != NULL)
		memcpy(at, p, n);
	else
		memset(at, 0, n);
	b->len += n;
	return at;
}

int
vs_ofperr_set(struct vs_ofperr *e, int rc, uint16_t type, uint16_t code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return rc;
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->code = code;
	e->err.code = rc;
	va_start(ap, fmt);
	vsnprintf(e->err.msg, sizeof(e->err.msg), fmt, ap);
	va_end(ap);
	return rc;
}

#define N(x) [x] = #x
static const char *const brc[] = {
	N(OFPBRC_BAD_VERSION),    N(OFPBRC_BAD_TYPE),
	N(OFPBRC_BAD_MULTIPART),  N(OFPBRC_BAD_EXPERIMENTER),
	N(OFPBRC_BAD_EXP_TYPE),   N(OFPBRC_EPERM),
	N(OFPBRC_BAD_LEN),        N(OFPBRC_BUFFER_EMPTY),
	N(OFPBRC_BUFFER_UNKNOWN), N(OFPBRC_BAD_TABLE_ID),
	N(OFPBRC_IS_SLAVE),       N(OFPBRC_BAD_PORT),
	N(OFPBRC_BAD_PACKET),     N(OFPBRC_MULTIPART_BUFFER_OVERFLOW),
};
static const char *const bac[] = {
	N(OFPBAC_BAD_TYPE),
	N(OFPBAC_BAD_LEN),
	N(OFPBAC_BAD_EXPERIMENTER),
	N(OFPBAC_BAD_EXP_TYPE),
	N(OFPBAC_BAD_OUT_PORT),
	N(OFPBAC_BAD_ARGUMENT),
	N(OFPBAC_EPERM),
	N(OFPBAC_TOO_MANY),
	N(OFPBAC_BAD_QUEUE),
	N(OFPBAC_BAD_OUT_GROUP),
	N(OFPBAC_MATCH_INCONSISTENT),
	N(OFPBAC_UNSUPPORTED_ORDER),
	N(OFPBAC_BAD_TAG),
	N(OFPBAC_BAD_SET_TYPE),
	N(OFPBAC_BAD_SET_LEN),
	N(OFPBAC_BAD_SET_ARGUMENT),
};
static const char *const bic[] = {
	N(OFPBIC_UNKNOWN_INST),
	N(OFPBIC_UNSUP_INST),
	N(OFPBIC_BAD_TABLE_ID),
	N(OFPBIC_UNSUP_METADATA),
	N(OFPBIC_UNSUP_METADATA_MASK),
	N(OFPBIC_BAD_EXPERIMENTER),
	N(OFPBIC_BAD_EXP_TYPE),
	N(OFPBIC_BAD_LEN),
	N(OFPBIC_EPERM),
};
static const char *const bmc[] = {
	N(OFPBMC_BAD_TYPE),         N(OFPBMC_BAD_LEN),          N(OFPBMC_BAD_TAG),
	N(OFPBMC_BAD_DL_ADDR_MASK), N(OFPBMC_BAD_NW_ADDR_MASK), N(OFPBMC_BAD_WILDCARDS),
	N(OFPBMC_BAD_FIELD),        N(OFPBMC_BAD_VALUE),        N(OFPBMC_BAD_MASK),
	N(OFPBMC_BAD_PREREQ),       N(OFPBMC_DUP_FIELD),        N(OFPBMC_EPERM),
};
static const char *const fmfc[] = {
	N(OFPFMFC_UNKNOWN), N(OFPFMFC_TABLE_FULL),  N(OFPFMFC_BAD_TABLE_ID), N(OFPFMFC_OVERLAP),
	N(OFPFMFC_EPERM),   N(OFPFMFC_BAD_TIMEOUT), N(OFPFMFC_BAD_COMMAND),  N(OFPFMFC_BAD_FLAGS),
};
#undef N

const char *
vs_ofperr_name(uint16_t type, uint16_t code)
{
	const char *const *t = NULL;
	size_t n = 0;

	switch (type) {
	case OFPET_BAD_REQUEST:
		t = brc, n = sizeof(brc) / sizeof(brc[0]);
		break;
	case OFPET_BAD_ACTION:
		t = bac, n = sizeof(bac) / sizeof(bac[0]);
		break;
	case OFPET_BAD_INSTRUCTION:
		t = bic, n = sizeof(bic) / sizeof(bic[0]);
		break;
	case OFPET_BAD_MATCH:
		t = bmc, n = sizeof(bmc) / sizeof(bmc[0]);
		break;
	case OFPET_FLOW_MOD_FAILED:
		t = fmfc, n = sizeof(fmfc) / sizeof(fmfc[0]);
		break;
	}
	if (t != NULL && code < n && t[code] != NULL)
		return t[code];
	return "OFPET_UNKNOWN";
}
