/* SPDX-License-Identifier: BSD-3-Clause */
/* control/stream/tls.h: the switch's TLS identity for ssl: and pssl:
 * controllers (vswitchctl set-ssl PRIVATE-KEY CERTIFICATE CA-CERT, as
 * ovs-vsctl's): our private key, our certificate, and the CA certificate
 * that every peer's certificate must chain to. Both ways are verified
 * (mutual TLS, as Open vSwitch does), TLS 1.2 at least.
 *
 * The files are checked when given (readable, key matching certificate, CA
 * parsing), saved in the config file's "ssl" entry before the switch says
 * yes, and looked at again on each new connection: a file that changed
 * since it was last loaded (inode, size or mtime) is loaded again, so an
 * operator rotates certificates by replacing the files; connections
 * already up keep the session they have. */
#ifndef VS_TLS_H
#define VS_TLS_H

#include <limits.h>
#include <jansson.h>
#include <sys/stat.h>

#include "err.h"

struct vs_switch;
typedef struct ssl_ctx_st SSL_CTX;

enum {
	VS_TLS_KEY,
	VS_TLS_CERT,
	VS_TLS_CA,
	VS_TLS_FILES
};

struct vs_tls {
	char path[VS_TLS_FILES][PATH_MAX];
	SSL_CTX *ctx;                   /* NULL: not loaded (yet) */
	struct stat seen[VS_TLS_FILES]; /* the files 'ctx' was loaded from */
};

/* Load the three files into a new context (TLS 1.2+, peer certificate
 * required and verified against the CA). 0, or -errno with a sentence
 * saying which file is wrong, how, and how to fix it. */
int vs_tls_load(const char *const path[VS_TLS_FILES], SSL_CTX **out, struct vs_err *err);
/* The context for a new connection, loaded again first if a file changed
 * (a failure keeps nothing: this connection fails with the reason). */
int vs_tls_ctx(struct vs_tls *t, SSL_CTX **out, struct vs_err *err);

/* The actions (vswitchctl set-ssl, del-ssl, get-ssl). set: checked, saved,
 * then used; a refused one changes nothing. del: refused while a bridge
 * has ssl: or pssl: targets. */
int vs_tls_set(struct vs_switch *sw, const char *key, const char *cert, const char *ca,
	       struct vs_err *err);
int vs_tls_del(struct vs_switch *sw, struct vs_err *err);
/* { private_key, certificate, ca_cert, loaded } or JSON null: none. */
json_t *vs_tls_json(const struct vs_switch *sw);
/* At start: the config file's "ssl" entry (NULL: none), taken as written
 * even if the files do not load now (logged): connections load them. */
int vs_tls_apply(struct vs_switch *sw, const json_t *entry, struct vs_err *err);
void vs_tls_fini(struct vs_switch *sw);
/* Is 'text' an ssl: or pssl: target? */
bool vs_tls_target(const char *text);

#endif
