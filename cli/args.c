/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/args.c: a command's arguments into JSON-RPC parameters. Values pass
 * through unchecked (the daemon checks them, with one set of messages);
 * only what cannot be sent at all (not key=value, a key twice) is refused
 * here, with the usage status. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "output.h"

static bool json_errors;

void
set_json_errors(bool on)
{
	json_errors = on;
}

void
cli_error(int code, const char *msg, json_t *data)
{
	const char *name = code < 0 && code > -4096 ? strerrorname_np(-code) : NULL;
	json_t *e, *d = json_object_get(data, "errno");

	if (!json_errors) {
		fprintf(stderr, "vswitchctl: %s\n", msg);
		return;
	}
	e = json_pack("{s:i, s:s}", "code", code, "message", msg);
	if (json_is_string(d))
		json_object_set(e, "errno", d);
	else if (name != NULL)
		json_object_set_new(e, "errno", json_string(name));
	if (json_is_object(data) && json_object_size(data) > 0)
		json_object_set(e, "data", data);
	e = json_pack("{s:o}", "error", e);
	print_json(e);
	json_decref(e);
}

void
die_usage(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_error(-EINVAL, msg, NULL);
	exit(EXIT_USAGE);
}

/* "123" becomes a JSON integer, anything else a string: the daemon says
 * what type it wanted. */
static json_t *
value_json(const char *v)
{
	size_t i, len = strlen(v);

	if (len == 0 || len > 18)
		return json_string(v);
	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)v[i]))
			return json_string(v);
	return json_integer(strtoll(v, NULL, 10));
}

void
kv_args(json_t *obj, int argc, char **argv, bool typed)
{
	int i;

	for (i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		char key[64];

		if (eq == NULL || eq == argv[i] || (size_t)(eq - argv[i]) >= sizeof(key))
			die_usage("'%s' is not of the form key=value", argv[i]);
		memcpy(key, argv[i], (size_t)(eq - argv[i]));
		key[eq - argv[i]] = '\0';
		if (json_object_get(obj, key) != NULL)
			die_usage("'%s' is given twice", key);
		json_object_set_new(obj, key, typed ? value_json(eq + 1) : json_string(eq + 1));
	}
}

void
build_positional(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	int i;

	*method = c->method;
	*params = json_object();
	for (i = 0; i < argc && i < 3 && c->pos[i] != NULL; i++)
		json_object_set_new(*params, c->pos[i], json_string(argv[i]));
}

void
build_kv_tail(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	int npos = 0;

	while (npos < 3 && c->pos[npos] != NULL)
		npos++;
	npos = npos < argc ? npos : argc;
	build_positional(c, npos, argv, method, params);
	kv_args(*params, argc - npos, argv + npos, true);
}
