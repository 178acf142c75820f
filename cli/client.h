/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/client.h: one JSON-RPC call to vswitchd over its unix socket. */
#ifndef VS_CLIENT_H
#define VS_CLIENT_H

#include <stddef.h>
#include <jansson.h>

/* Connect to 'path'. Returns the fd, or -errno with 'why' filled. */
int vs_client_connect(const char *path, char *why, size_t size);

/* Send one request, wait up to 'timeout_ms' for its response. On success
 * returns 0 and either *result (the method's result) or *error (the
 * JSON-RPC error object) is set. -errno with 'why' on transport failure. */
int vs_client_call(int fd, const char *method, json_t *params, int timeout_ms, json_t **result,
		   json_t **error, char *why, size_t size);

#endif
