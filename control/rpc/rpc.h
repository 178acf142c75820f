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
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "err.h"

struct vs_switch;
struct vs_loop;
struct vs_rpc;

/* A method's parameters, declared in its table and decoded by the
 * dispatcher before the handler runs, as SPDK's JSON-RPC decoders do: each
 * names a key, its kind, whether it is required, its bounds, and where in
 * the method's own args struct the decoded value goes. A request with a key
 * the table does not name, without a required one, with a value of the
 * wrong kind or out of bounds is refused with a sentence that names the
 * parameter; the handler is not called. */
enum vs_rpc_kind {
	VS_RPC_STR,     /* a string: const char *, borrowed from the request */
	VS_RPC_UINT,    /* an integer from .min to .max: an unsigned field of any size */
	VS_RPC_BOOL,    /* true or false: bool */
	VS_RPC_MAC,     /* "52:54:00:12:34:56": struct rte_ether_addr; unicast only */
	VS_RPC_KV,      /* {"key": value}, values strings, numbers or booleans (as
			 * text): struct vs_kv[.max], the count at .count_offset */
	VS_RPC_STRINGS, /* an array of at most .max strings: const json_t *, borrowed */
};

struct vs_rpc_param {
	const char *name;
	enum vs_rpc_kind kind;
	bool required;
	uint64_t min, max; /* UINT: the bounds; KV, STRINGS: the count's */
	uint64_t dflt;     /* UINT: the value when absent */
	size_t offset, size;
	size_t count_offset; /* KV: an unsigned int, the number decoded */
	/* KV, STRINGS: what one item is ("flow rule"), for the sentences;
	 * STR, KV: when missing (or an empty KV), the sentence to say
	 * instead of "missing parameter", e.g. what to give. */
	const char *what, *hint;
};

/* Where in 'type' a parameter goes: .offset and .size of 'member'. */
#define VS_RPC_AT(type, member) \
	.offset = offsetof(type, member), .size = sizeof(((type *)0)->member)
#define VS_RPC_KV_AT(type, member, count) \
	VS_RPC_AT(type, member), .count_offset = offsetof(type, count)

/* 'args' is the method's struct, decoded from 'params' by the table (NULL
 * for a method with none); 'params' is the request's own object, for what
 * the handler keeps as given (the config file's copy) or, for a free-form
 * method, checks itself. *result may be left NULL (null result). */
typedef int vs_rpc_fn(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
		      struct vs_err *err);

struct vs_rpc_method {
	const char *name;
	vs_rpc_fn *fn;
	/* Ended by an entry without a name; NULL: the method takes none. */
	const struct vs_rpc_param *params;
	size_t args_size; /* sizeof the struct the table decodes into */
	/* Params are not declared: any key goes to the handler, which checks
	 * them (switch.set's settings); 'usage' says what they are. */
	bool free_form;
	const char *usage;
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

/* -EINVAL (nothing registered) for a table that does not fit its args
 * struct: a field out of it or of the wrong size, bounds that do not fit. */
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

/* Decode 'params' (an object) into 'args' by 'table' (NULL: no parameters),
 * refusing what it does not declare; every field the table names is set,
 * to its decoded value or, when absent, its default (0, NULL, false, an
 * empty KV, .dflt for a UINT): 0 or -EINVAL, -ERANGE,
 * -E2BIG with the sentence in 'err'. The dispatcher calls it before every
 * handler; vswitchd --check-config through the shared decoders
 * (rpc_methods.h). */
int vs_rpc_decode(const struct vs_rpc_param *table, const json_t *params, void *args,
		  struct vs_err *err);
/* "name [mac_aging] [mac_max]": the parameters as rpc.list shows them. */
void vs_rpc_usage(const struct vs_rpc_method *m, char *buf, size_t size);

#endif
