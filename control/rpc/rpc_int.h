/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_int.h: internal to control/rpc/rpc.c (the dispatcher),
 * control/rpc/rpc_server.c (the control socket) and control/rpc/rpc_params.c
 * (the parameter decoder), what each needs of the others.
 * Not for any other file: the interface is control/rpc/rpc.h. */
#ifndef VS_RPC_INT_H
#define VS_RPC_INT_H

#include <stdint.h>
#include <jansson.h>

#include "err.h"
#include "log.h"

#define LINGER_MAX 16 /* refused clients read until they hang up */

struct conn;

struct vs_rpc {
	struct vs_switch *sw;
	struct vs_loop *loop;
	int lfd;
	char path[108];
	uint32_t max_request;
	const struct vs_rpc_method **methods;
	unsigned int n_methods;
	struct conn *conns;
	unsigned int n_conns;
	unsigned int n_unpriv; /* of them, neither root nor our own user */
	uint32_t idle_ms;
	struct vs_log_ratelim refuse_rl, evict_rl, stall_rl;
	/* Refused clients, told why, whose input is read until they hang
	 * up: closing a unix socket with unread input resets the peer, which
	 * would then see a reset instead of the line. */
	struct lingering {
		struct vs_rpc *rpc;
		int fd; /* -1: free */
		uint64_t until_ms;
	} linger[LINGER_MAX];
};

/* rpc.c: a JSON-RPC error response (id NULL: null). */
json_t *vs_rpc_error_response(json_t *id, int code, const char *msg, unsigned int item);

/* rpc_params.c: 0 if the method's table fits its args struct (each field
 * inside it, of its kind's size, bounds that fit), else -EINVAL. */
int vs_rpc_method_check(const struct vs_rpc_method *m);

/* rpc_server.c: no socket yet; listen on 'path'; close every client and
 * the socket. */
void vs_rpc_server_init(struct vs_rpc *rpc);
int vs_rpc_server_listen(struct vs_rpc *rpc, const char *path, struct vs_err *err);
void vs_rpc_server_close(struct vs_rpc *rpc);

#endif
