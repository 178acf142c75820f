/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_params.c: the parameter decoder. Each method's table
 * (struct vs_rpc_param, rpc.h) says what its parameters are; here a
 * request's params are checked against it and decoded into the method's
 * struct, with the operator's sentence when one is wrong. The dispatcher
 * (rpc.c) runs it before every handler, vswitchd --check-config through
 * the shared decoders (rpc_methods.h), and vs_rpc_register checks that a
 * table fits its struct. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <rte_ether.h>

#include "port.h"
#include "rpc.h"
#include "rpc_int.h"

#define MAC_EXAMPLE "52:54:00:12:34:56"

static const struct vs_rpc_param *
find_param(const struct vs_rpc_param *table, const char *key)
{
	for (; table != NULL && table->name != NULL; table++)
		if (strcmp(table->name, key) == 0)
			return table;
	return NULL;
}

static int
unknown_key(const struct vs_rpc_param *table, const char *key, struct vs_err *err)
{
	char list[256];
	size_t off = 0;
	unsigned int i;

	list[0] = '\0';
	for (i = 0; table != NULL && table[i].name != NULL && off < sizeof(list); i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", i ? ", " : "",
					table[i].name);
	return vs_err_set(err, -EINVAL, "unknown parameter \"%.64s\" (accepted: %s)", key,
			  i ? list : "none");
}

static void
store_uint(void *field, size_t size, uint64_t v)
{
	switch (size) {
	case 1:
		*(uint8_t *)field = (uint8_t)v;
		break;
	case 2:
		*(uint16_t *)field = (uint16_t)v;
		break;
	case 4:
		*(uint32_t *)field = (uint32_t)v;
		break;
	default:
		*(uint64_t *)field = v;
		break;
	}
}

static int
decode_uint(const struct vs_rpc_param *p, const json_t *v, void *field, struct vs_err *err)
{
	json_int_t x;

	if (!json_is_integer(v))
		return vs_err_set(err, -EINVAL, "parameter \"%s\" must be an integer", p->name);
	x = json_integer_value(v);
	if (x < 0 || (uint64_t)x < p->min || (uint64_t)x > p->max)
		return vs_err_set(err, -ERANGE,
				  "parameter \"%s\" must be from %" PRIu64 " to %" PRIu64
				  ", not %lld",
				  p->name, p->min, p->max, (long long)x);
	store_uint(field, p->size, (uint64_t)x);
	return 0;
}

static int
decode_mac(const struct vs_rpc_param *p, const json_t *v, void *field, struct vs_err *err)
{
	struct rte_ether_addr *mac = field;
	const char *text = json_string_value(v);

	if (text == NULL)
		return vs_err_set(
			err, -EINVAL,
			"parameter \"%s\" must be a string, a MAC address like " MAC_EXAMPLE,
			p->name);
	if (rte_ether_unformat_addr(text, mac) < 0)
		return vs_err_set(err, -EINVAL, "'%.64s' is not a MAC address like " MAC_EXAMPLE,
				  text);
	if (rte_is_zero_ether_addr(mac))
		return vs_err_set(err, -EINVAL,
				  "%s is the zero MAC address, which no station has: give a "
				  "unicast one like " MAC_EXAMPLE,
				  text);
	if (!rte_is_unicast_ether_addr(mac))
		return vs_err_set(err, -EINVAL,
				  "%s is not a unicast MAC address (multicast and broadcast are "
				  "always flooded)",
				  text);
	return 0;
}

/* One value of a KV object as text: strings as they are, numbers and
 * booleans written out. */
static int
kv_value(const struct vs_rpc_param *p, const char *key, const json_t *v, struct vs_kv *o,
	 struct vs_err *err)
{
	if (json_is_string(v)) {
		if (strlen(json_string_value(v)) >= sizeof(o->val))
			return vs_err_set(err, -EINVAL, "value of %s '%s' is longer than %zu bytes",
					  p->what, key, sizeof(o->val) - 1);
		strcpy(o->val, json_string_value(v));
	} else if (json_is_integer(v)) {
		snprintf(o->val, sizeof(o->val), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (json_is_boolean(v)) {
		snprintf(o->val, sizeof(o->val), "%s", json_is_true(v) ? "true" : "false");
	} else {
		return vs_err_set(err, -EINVAL, "%s '%s' must be a string, a number or a boolean",
				  p->what, key);
	}
	return 0;
}

static int
decode_kv(const struct vs_rpc_param *p, const json_t *v, void *args, struct vs_err *err)
{
	struct vs_kv *kv = (struct vs_kv *)((char *)args + p->offset);
	unsigned int *n = (unsigned int *)((char *)args + p->count_offset);
	const char *key;
	json_t *e;
	int ret;

	if (!json_is_object(v))
		return vs_err_set(err, -EINVAL,
				  "parameter \"%s\" must be an object of key: value, as "
				  "{\"%s\": \"value\"}",
				  p->name, p->what);
	json_object_foreach ((json_t *)v, key, e) {
		struct vs_kv *o = &kv[*n];

		if (*n == p->max)
			return vs_err_set(err, -E2BIG, "too many %ss (at most %" PRIu64 ")",
					  p->what, p->max);
		if (strlen(key) >= sizeof(o->key))
			return vs_err_set(err, -EINVAL,
					  "%s key '%.40s...' is too long (at most %zu characters)",
					  p->what, key, sizeof(o->key) - 1);
		strcpy(o->key, key);
		if ((ret = kv_value(p, key, e, o, err)) < 0)
			return ret;
		(*n)++;
	}
	if (*n < p->min)
		return p->hint != NULL
			       ? vs_err_set(err, -EINVAL, "%s", p->hint)
			       : vs_err_set(err, -EINVAL,
					    "parameter \"%s\" needs at least %" PRIu64 " %s(s)",
					    p->name, p->min, p->what);
	return 0;
}

static int
decode_strings(const struct vs_rpc_param *p, const json_t *v, void *field, struct vs_err *err)
{
	const json_t *e;
	size_t i;

	if (!json_is_array(v))
		return vs_err_set(err, -EINVAL,
				  "parameter \"%s\" must be an array of %ss (strings)", p->name,
				  p->what);
	if (json_array_size(v) > p->max)
		return vs_err_set(err, -E2BIG,
				  "parameter \"%s\" holds %zu %ss; at most %" PRIu64
				  " are accepted",
				  p->name, json_array_size(v), p->what, p->max);
	if (json_array_size(v) < p->min)
		return vs_err_set(err, -EINVAL, "parameter \"%s\" needs at least %" PRIu64 " %s(s)",
				  p->name, p->min, p->what);
	json_array_foreach ((json_t *)v, i, e) {
		if (!json_is_string(e)) {
			vs_err_set(err, -EINVAL, "%s #%zu is not a string", p->what, i + 1);
			err->item = (unsigned int)i + 1;
			return -EINVAL;
		}
	}
	*(const json_t **)field = v;
	return 0;
}

static int
decode_one(const struct vs_rpc_param *p, const json_t *v, void *args, struct vs_err *err)
{
	void *field = (char *)args + p->offset;

	switch (p->kind) {
	case VS_RPC_STR:
		if (!json_is_string(v))
			return vs_err_set(err, -EINVAL, "parameter \"%s\" must be a string",
					  p->name);
		*(const char **)field = json_string_value(v);
		return 0;
	case VS_RPC_UINT:
		return decode_uint(p, v, field, err);
	case VS_RPC_BOOL:
		if (!json_is_boolean(v))
			return vs_err_set(err, -EINVAL, "parameter \"%s\" must be true or false",
					  p->name);
		*(bool *)field = json_is_true(v);
		return 0;
	case VS_RPC_MAC:
		return decode_mac(p, v, field, err);
	case VS_RPC_KV:
		return decode_kv(p, v, args, err);
	case VS_RPC_STRINGS:
		return decode_strings(p, v, field, err);
	}
	return vs_err_set(err, -EINVAL, "parameter \"%s\" has no decoder", p->name);
}

int
vs_rpc_decode(const struct vs_rpc_param *table, const json_t *params, void *args,
	      struct vs_err *err)
{
	const struct vs_rpc_param *p;
	const char *key;
	json_t *v;
	int ret;

	/* Unknown keys first: a misspelt optional one must not pass as absent. */
	json_object_foreach ((json_t *)params, key, v)
		if (find_param(table, key) == NULL)
			return unknown_key(table, key, err);
	for (p = table; p != NULL && p->name != NULL; p++) {
		memset((char *)args + p->offset, 0, p->size);
		if (p->kind == VS_RPC_KV)
			*(unsigned int *)((char *)args + p->count_offset) = 0;
		if (p->kind == VS_RPC_UINT)
			store_uint((char *)args + p->offset, p->size, p->dflt);
		v = json_object_get(params, p->name);
		if (v == NULL) {
			if (!p->required)
				continue;
			if (p->hint != NULL)
				return vs_err_set(err, -EINVAL, "%s", p->hint);
			return vs_err_set(err, -EINVAL, "missing parameter \"%s\"", p->name);
		}
		if ((ret = decode_one(p, v, args, err)) < 0)
			return ret;
	}
	return 0;
}

void
vs_rpc_usage(const struct vs_rpc_method *m, char *buf, size_t size)
{
	const struct vs_rpc_param *p;
	size_t off = 0;

	buf[0] = '\0';
	if (m->free_form) {
		snprintf(buf, size, "%s", m->usage ? m->usage : "");
		return;
	}
	for (p = m->params; p != NULL && p->name != NULL && off < size; p++)
		off += (size_t)snprintf(buf + off, size - off, p->required ? "%s%s" : "%s[%s]",
					off ? " " : "", p->name);
}

/* ---- what a table may say: checked once, at registration ---- */

static bool
uint_fits(uint64_t v, size_t size)
{
	return size >= 8 || v < (UINT64_C(1) << (size * 8));
}

static bool
param_fits(const struct vs_rpc_param *p, size_t args_size)
{
	if (p->offset + p->size > args_size)
		return false;
	switch (p->kind) {
	case VS_RPC_STR:
		return p->size == sizeof(const char *);
	case VS_RPC_UINT:
		return (p->size == 1 || p->size == 2 || p->size == 4 || p->size == 8) &&
		       p->min <= p->max && uint_fits(p->max, p->size) &&
		       uint_fits(p->dflt, p->size);
	case VS_RPC_BOOL:
		return p->size == sizeof(bool);
	case VS_RPC_MAC:
		return p->size == sizeof(struct rte_ether_addr);
	case VS_RPC_KV:
		return p->what != NULL && p->max > 0 && p->max * sizeof(struct vs_kv) <= p->size &&
		       p->count_offset + sizeof(unsigned int) <= args_size;
	case VS_RPC_STRINGS:
		return p->what != NULL && p->size == sizeof(const json_t *) && p->min <= p->max;
	}
	return false;
}

int
vs_rpc_method_check(const struct vs_rpc_method *m)
{
	const struct vs_rpc_param *p, *q;

	if (m->name == NULL || m->fn == NULL || m->help == NULL)
		return -EINVAL;
	if (m->free_form)
		return m->params == NULL && m->usage != NULL ? 0 : -EINVAL;
	for (p = m->params; p != NULL && p->name != NULL; p++) {
		if (!param_fits(p, m->args_size))
			return -EINVAL;
		for (q = m->params; q < p; q++)
			if (strcmp(q->name, p->name) == 0)
				return -EINVAL;
	}
	return 0;
}
