/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_ssl.c: ssl.set, ssl.get, ssl.del: the switch's TLS
 * files for ssl: and pssl: controllers (vswitchctl set-ssl, get-ssl,
 * del-ssl), decoded here and done by the actions of control/stream/tls.h,
 * which check and save them. */
#include <errno.h>

#include "rpc_methods.h"
#include "switch.h"
#include "tls.h"

struct ssl_args {
	const char *key, *cert, *ca;
};

static int
rpc_ssl_set(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	    struct vs_err *err)
{
	const struct ssl_args *a = args;

	return vs_tls_set(sw, a->key, a->cert, a->ca, err);
}

static int
rpc_ssl_get(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	    struct vs_err *err)
{
	*result = vs_tls_json(sw);
	return 0;
}

static int
rpc_ssl_del(struct vs_switch *sw, const void *args, json_t *params, json_t **result,
	    struct vs_err *err)
{
	return vs_tls_del(sw, err);
}

static const struct vs_rpc_param ssl_set_params[] = {
	{.name = "private_key",
	 .kind = VS_RPC_STR,
	 .required = true,
	 VS_RPC_AT(struct ssl_args, key)},
	{.name = "certificate",
	 .kind = VS_RPC_STR,
	 .required = true,
	 VS_RPC_AT(struct ssl_args, cert)},
	{.name = "ca_cert", .kind = VS_RPC_STR, .required = true, VS_RPC_AT(struct ssl_args, ca)},
	{0},
};

static const struct vs_rpc_method methods[] = {
	{.name = "ssl.set",
	 .fn = rpc_ssl_set,
	 .params = ssl_set_params,
	 .args_size = sizeof(struct ssl_args),
	 .help = "the switch's TLS files for ssl:/pssl: controllers: its private key, its "
		 "certificate, the CA certificate peers' certificates must chain to (absolute "
		 "paths, PEM)"},
	{.name = "ssl.get", .fn = rpc_ssl_get, .help = "the switch's TLS files (null: none)"},
	{.name = "ssl.del",
	 .fn = rpc_ssl_del,
	 .help = "forget the switch's TLS files (refused while a bridge has an ssl:/pssl: "
		 "controller)"},
};

int
vs_rpc_ssl_init(struct vs_rpc *rpc)
{
	return vs_rpc_register(rpc, methods, RTE_DIM(methods));
}
