/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_params.c: checking and reading the parameters of a JSON-RPC
 * method (rpc.h), with the operator's sentence when one is wrong; shared by
 * every method's handler and by vswitchd --check-config. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rpc.h"

int
vs_rpc_check_keys(const json_t *params, const char *const *allowed, struct vs_err *err)
{
	const char *key;
	json_t *v;
	unsigned int i;

	json_object_foreach ((json_t *)params, key, v) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			char list[256];
			size_t off = 0;

			list[0] = '\0';
			for (i = 0; allowed[i] != NULL && off < sizeof(list); i++)
				off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
							i ? ", " : "", allowed[i]);
			return vs_err_set(err, -EINVAL,
					  "unknown parameter \"%.64s\" (accepted: %s)", key,
					  i ? list : "none");
		}
	}
	return 0;
}

int
vs_rpc_str(const json_t *params, const char *key, bool required, const char **out,
	   struct vs_err *err)
{
	json_t *v = json_object_get(params, key);

	if (v == NULL) {
		if (required)
			return vs_err_set(err, -EINVAL, "missing parameter \"%s\"", key);
		return 0;
	}
	if (!json_is_string(v))
		return vs_err_set(err, -EINVAL, "parameter \"%s\" must be a string", key);
	*out = json_string_value(v);
	return 0;
}

int
vs_rpc_uint(const json_t *params, const char *key, bool required, uint64_t lo, uint64_t hi,
	    uint64_t *out, struct vs_err *err)
{
	json_t *v = json_object_get(params, key);
	json_int_t x;

	if (v == NULL) {
		if (required)
			return vs_err_set(err, -EINVAL, "missing parameter \"%s\"", key);
		return 0;
	}
	if (!json_is_integer(v))
		return vs_err_set(err, -EINVAL, "parameter \"%s\" must be an integer", key);
	x = json_integer_value(v);
	if (x < 0 || (uint64_t)x < lo || (uint64_t)x > hi)
		return vs_err_set(err, -ERANGE,
				  "parameter \"%s\" must be from %lu to %lu, not %lld", key,
				  (unsigned long)lo, (unsigned long)hi, (long long)x);
	*out = (uint64_t)x;
	return 0;
}
