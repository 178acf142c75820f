/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/rpc_fake.h: the methods test_rpc.c and test_rpc_params.c
 * register to drive the dispatcher without a switch: one that echoes its
 * params (free form) and one whose table takes a name and a bounded size. */
#ifndef VS_TEST_RPC_FAKE_H
#define VS_TEST_RPC_FAKE_H

#include <stdint.h>
#include <jansson.h>

#include "rpc.h"

static int
fake_echo(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	  struct vs_err *err)
{
	*result = json_incref(params);
	return 0;
}

struct typed_args {
	const char *name;
	uint64_t size;
};

static int
fake_typed(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	   struct vs_err *err)
{
	const struct typed_args *a = args;

	*result = json_pack("{s:s, s:I}", "name", a->name, "size", (json_int_t)a->size);
	return 0;
}

static const struct vs_rpc_param typed_params[] = {
	{.name = "name", .kind = VS_RPC_STR, .required = true, VS_RPC_AT(struct typed_args, name)},
	{.name = "size",
	 .kind = VS_RPC_UINT,
	 .min = 1,
	 .max = 100,
	 VS_RPC_AT(struct typed_args, size)},
	{0},
};

#endif
