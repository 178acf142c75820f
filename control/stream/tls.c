/* SPDX-License-Identifier: BSD-3-Clause */
/* control/stream/tls.c: the switch's TLS files (tls.h): loaded into an
 * OpenSSL context with every check an operator would want named (which
 * file, what is wrong with it, what to do), loaded again when they
 * change, and the set-ssl, del-ssl and get-ssl actions, which save the
 * "ssl" entry of the configuration (control/persist/) before it counts. */
#include <errno.h>
#include <stdarg.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "persist.h"
#include "switch.h"
#include "tls.h"

static const char *const what[VS_TLS_FILES] = {"private key", "certificate", "CA certificate"};
static const char *const keys[VS_TLS_FILES] = {"private_key", "certificate", "ca_cert"};

/* An encrypted key would ask for its passphrase on the daemon's terminal:
 * refused instead. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	return 0;
}

static const char *
ossl_reason(void)
{
	unsigned long code = ERR_peek_last_error();
	const char *r = code ? ERR_reason_error_string(code) : NULL;

	return r ? r : "not PEM";
}

static int fail(SSL_CTX *ctx, struct vs_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(SSL_CTX *ctx, struct vs_err *err, const char *fmt, ...)
{
	char msg[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ERR_clear_error();
	SSL_CTX_free(ctx);
	return vs_err_set(err, -EINVAL, "%s", msg);
}

static int
files_readable(const char *const path[VS_TLS_FILES], struct vs_err *err)
{
	unsigned int i;
	FILE *f;

	for (i = 0; i < VS_TLS_FILES; i++) {
		if (path[i][0] != '/')
			return vs_err_set(err, -EINVAL,
					  "%s %s: give an absolute path (the daemon does not run "
					  "in your directory)",
					  what[i], path[i]);
		if ((f = fopen(path[i], "r")) == NULL)
			return vs_err_set(err, -errno,
					  "%s %s: %s: give a PEM file the daemon can read", what[i],
					  path[i], strerror(errno));
		fclose(f);
	}
	return 0;
}

int
vs_tls_load(const char *const path[VS_TLS_FILES], SSL_CTX **out, struct vs_err *err)
{
	SSL_CTX *ctx;
	int ret;

	if ((ret = files_readable(path, err)) < 0)
		return ret;
	ERR_clear_error();
	if ((ctx = SSL_CTX_new(TLS_method())) == NULL)
		return vs_err_set(err, -ENOMEM, "TLS: out of memory");
	SSL_CTX_set_default_passwd_cb(ctx, no_passphrase);
	if (SSL_CTX_use_certificate_chain_file(ctx, path[VS_TLS_CERT]) != 1)
		return fail(ctx, err,
			    "certificate %s: no certificate in it (%s): give a PEM certificate "
			    "('openssl x509 -noout -text -in FILE' reads one)",
			    path[VS_TLS_CERT], ossl_reason());
	if (SSL_CTX_use_PrivateKey_file(ctx, path[VS_TLS_KEY], SSL_FILETYPE_PEM) != 1 &&
	    ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH)
		return fail(ctx, err,
			    "private key %s does not match certificate %s: give the key the "
			    "certificate was made for (%s)",
			    path[VS_TLS_KEY], path[VS_TLS_CERT], ossl_reason());
	if (SSL_CTX_get0_privatekey(ctx) == NULL)
		return fail(ctx, err,
			    "private key %s: cannot load it (%s): give an unencrypted PEM "
			    "private key",
			    path[VS_TLS_KEY], ossl_reason());
	if (SSL_CTX_check_private_key(ctx) != 1)
		return fail(ctx, err,
			    "private key %s does not match certificate %s: give the key the "
			    "certificate was made for (%s)",
			    path[VS_TLS_KEY], path[VS_TLS_CERT], ossl_reason());
	if (SSL_CTX_load_verify_locations(ctx, path[VS_TLS_CA], NULL) != 1)
		return fail(ctx, err,
			    "CA certificate %s: no certificate in it (%s): give the PEM "
			    "certificate of the CA that signs the controllers' certificates",
			    path[VS_TLS_CA], ossl_reason());
	/* Mutual TLS, as OVS: a peer without a certificate the CA signed is
	 * refused, whichever side connected. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	SSL_CTX_set_client_CA_list(ctx, SSL_load_client_CA_file(path[VS_TLS_CA]));
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* No resumption: every connection shows its certificate again. */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx, 0);
	ERR_clear_error();
	*out = ctx;
	return 0;
}

static bool
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Fill 'st' with the files as they are now; false if one is gone. */
static bool
files_stat(const struct vs_tls *t, struct stat st[VS_TLS_FILES])
{
	unsigned int i;

	for (i = 0; i < VS_TLS_FILES; i++)
		if (stat(t->path[i], &st[i]) < 0)
			return false;
	return true;
}

int
vs_tls_ctx(struct vs_tls *t, SSL_CTX **out, struct vs_err *err)
{
	const char *path[VS_TLS_FILES] = {t->path[0], t->path[1], t->path[2]};
	struct stat st[VS_TLS_FILES];
	bool changed = t->ctx == NULL || !files_stat(t, st);
	unsigned int i;
	SSL_CTX *ctx;
	int ret;

	for (i = 0; !changed && i < VS_TLS_FILES; i++)
		changed = !same_file(&st[i], &t->seen[i]);
	if (!changed) {
		*out = t->ctx;
		return 0;
	}
	/* Stat before loading: a file replaced meanwhile is loaded again
	 * next time. */
	memset(st, 0, sizeof(st));
	files_stat(t, st);
	if ((ret = vs_tls_load(path, &ctx, err)) < 0)
		return ret;
	if (t->ctx != NULL)
		VS_LOG(NOTICE, "TLS: %s, %s or %s changed: loaded again", path[0], path[1],
		       path[2]);
	SSL_CTX_free(t->ctx); /* sessions that use it hold their own reference */
	t->ctx = ctx;
	memcpy(t->seen, st, sizeof(st));
	*out = ctx;
	return 0;
}

static void
tls_free(struct vs_tls *t)
{
	if (t == NULL)
		return;
	SSL_CTX_free(t->ctx);
	free(t);
}

static struct vs_tls *
tls_new(const char *const path[VS_TLS_FILES])
{
	struct vs_tls *t = calloc(1, sizeof(*t));
	unsigned int i;

	if (t == NULL)
		return NULL;
	for (i = 0; i < VS_TLS_FILES; i++)
		snprintf(t->path[i], sizeof(t->path[i]), "%s", path[i]);
	return t;
}

static json_t *
entry_json(const char *const path[VS_TLS_FILES])
{
	return json_pack("{s:s, s:s, s:s}", keys[0], path[0], keys[1], path[1], keys[2], path[2]);
}

int
vs_tls_set(struct vs_switch *sw, const char *key, const char *cert, const char *ca,
	   struct vs_err *err)
{
	const char *path[VS_TLS_FILES] = {key, cert, ca};
	struct vs_tls *t;
	json_t *e;
	int ret;

	if (strlen(key) >= PATH_MAX || strlen(cert) >= PATH_MAX || strlen(ca) >= PATH_MAX)
		return vs_err_set(err, -ENAMETOOLONG, "a path over %u bytes", PATH_MAX);
	if ((t = tls_new(path)) == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	/* Checked as a connection would load them; that load is the one
	 * the next connection uses. */
	if ((ret = vs_tls_ctx(t, &t->ctx, err)) < 0)
		goto err_free;
	if ((e = entry_json(path)) == NULL) {
		ret = vs_err_set(err, -ENOMEM, "out of memory");
		goto err_free;
	}
	ret = vs_persist_ssl(sw, e, err);
	json_decref(e);
	if (ret < 0)
		goto err_free;
	tls_free(sw->tls);
	sw->tls = t;
	VS_LOG(NOTICE, "TLS: private key %s, certificate %s, CA certificate %s", key, cert, ca);
	return 0;
err_free:
	tls_free(t);
	return ret;
}

bool
vs_tls_target(const char *text)
{
	return strncmp(text, "ssl:", 4) == 0 || strncmp(text, "pssl:", 5) == 0;
}

/* The first bridge of the configuration with a TLS target, NULL: none. */
static const char *
tls_user(const struct vs_switch *sw, const char **target)
{
	const json_t *br, *v;
	size_t i, j;

	json_array_foreach (vs_persist_bridges(sw), i, br) {
		json_array_foreach (json_object_get(json_object_get(br, "openflow"), "controllers"),
				    j, v) {
			if (json_is_string(v) && vs_tls_target(json_string_value(v))) {
				*target = json_string_value(v);
				return json_string_value(json_object_get(br, "name"));
			}
		}
	}
	return NULL;
}

int
vs_tls_del(struct vs_switch *sw, struct vs_err *err)
{
	const char *target = NULL, *br = tls_user(sw, &target);
	int ret;

	if (br != NULL)
		return vs_err_set(err, -EBUSY,
				  "bridge %s has the TLS controller %s: change its controllers "
				  "first (vswitchctl set-controller %s ... or del-controller %s)",
				  br, target, br, br);
	if ((ret = vs_persist_ssl(sw, NULL, err)) < 0)
		return ret;
	tls_free(sw->tls);
	sw->tls = NULL;
	return 0;
}

json_t *
vs_tls_json(const struct vs_switch *sw)
{
	const struct vs_tls *t = sw->tls;

	if (t == NULL)
		return json_null();
	return json_pack("{s:s, s:s, s:s, s:b}", keys[0], t->path[0], keys[1], t->path[1], keys[2],
			 t->path[2], "loaded", t->ctx != NULL);
}

int
vs_tls_apply(struct vs_switch *sw, const json_t *entry, struct vs_err *err)
{
	const char *path[VS_TLS_FILES];
	struct vs_tls *t;
	struct vs_err lerr = {0};
	unsigned int i;

	if (entry == NULL)
		return 0;
	for (i = 0; i < VS_TLS_FILES; i++) {
		path[i] = json_string_value(json_object_get(entry, keys[i]));
		if (path[i] == NULL || strlen(path[i]) >= PATH_MAX)
			return vs_err_set(err, -EINVAL,
					  "\"ssl\" needs \"private_key\", \"certificate\" and "
					  "\"ca_cert\", each a path");
	}
	if (json_object_size(entry) != VS_TLS_FILES)
		return vs_err_set(err, -EINVAL,
				  "\"ssl\": only \"private_key\", \"certificate\" and \"ca_cert\"");
	if ((t = tls_new(path)) == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	/* Kept even if they do not load now (a certificate mounted later):
	 * each connection tries again, and says why it cannot. */
	if (vs_tls_ctx(t, &t->ctx, &lerr) < 0)
		VS_LOG(ERR, "config: TLS: %s (ssl controllers fail until it is fixed)", lerr.msg);
	tls_free(sw->tls);
	sw->tls = t;
	return 0;
}

void
vs_tls_fini(struct vs_switch *sw)
{
	tls_free(sw->tls);
	sw->tls = NULL;
}
