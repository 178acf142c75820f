/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc.h: JSON-RPC 2.0 on the control socket.
 *
 * Framing: one request per line (a JSON text followed by '\n'; a request
 * that ends the connection needs no '\n'); one response line per request.
 * Methods are named <module>.<verb>; each module registers a table of them
 * from its init function. Handlers run on the control thread and return 0
 * with a result, or a negative errno with a message for the operator. */
#ifndef VS_RPC_H
#define VS_RPC_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "err.h"

struct vs_switch;
struct vs_loop;
struct vs_rpc;

/* params is always an object. *result may be left NULL (null result). */
typedef int vs_rpc_fn(struct vs_switch *sw, json_t *params, json_t **result, struct vs_err *err);

struct vs_rpc_method {
	const char *name;
	vs_rpc_fn *fn;
	const char *params; /* e.g. "name [mac-aging] [mac-max]" */
	const char *help;
};

/* JSON-RPC's own error codes. Handler errors carry their negative errno. */
#define VS_RPC_PARSE_ERROR      -32700
#define VS_RPC_INVALID_REQUEST  -32600
#define VS_RPC_METHOD_NOT_FOUND -32601
#define VS_RPC_INVALID_PARAMS   -32602
/* From JSON-RPC's range for server errors: every slot of the control
 * socket is busy; the client is closed and may try again. */
#define VS_RPC_BUSY -32000

/* Seconds a client may stay connected with no request in progress. */
#define VS_RPC_IDLE_TIMEOUT_DEFAULT 60

/* 'path' NULL: no socket, only vs_rpc_handle (tests, fuzzing). */
int vs_rpc_create(struct vs_rpc **out, struct vs_switch *sw, struct vs_loop *loop, const char *path,
		  uint32_t max_request, struct vs_err *err);
void vs_rpc_destroy(struct vs_rpc *rpc);

int vs_rpc_register(struct vs_rpc *rpc, const struct vs_rpc_method *methods, unsigned int n);

/* Handle one request; returns the response, or NULL for a notification. */
json_t *vs_rpc_handle(struct vs_rpc *rpc, const char *text, size_t len);

/* Call a method directly (the config loader): 0 or the handler's -errno. */
int vs_rpc_call(struct vs_rpc *rpc, const char *method, json_t *params, json_t **result,
		struct vs_err *err);

/* Close the connections that have timed out: idle ones, partial requests,
 * clients that stopped reading (CLOCK_MONOTONIC ms; call about once a
 * second). */
void vs_rpc_tick(struct vs_rpc *rpc, uint64_t now_ms);
void vs_rpc_set_idle_timeout(struct vs_rpc *rpc, uint32_t ms);

/* Parameter helpers: check the type and range of one parameter, or that
 * params holds no key outside 'allowed' (NULL-terminated). */
int vs_rpc_check_keys(const json_t *params, const char *const *allowed, struct vs_err *err);
int vs_rpc_str(const json_t *params, const char *key, bool required, const char **out,
	       struct vs_err *err);
int vs_rpc_uint(const json_t *params, const char *key, bool required, uint64_t lo, uint64_t hi,
		uint64_t *out, struct vs_err *err);

#endif
