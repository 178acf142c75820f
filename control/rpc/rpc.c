/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc.c: the JSON-RPC dispatcher: the envelope, the registry of
 * methods, and dispatch to them, for the control socket's clients
 * (control/rpc/rpc_server.c) and for callers inside the daemon alike. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rpc.h"
#include "rpc_int.h"

/* ---- envelope and dispatch ---- */

json_t *
vs_rpc_error_response(json_t *id, int code, const char *msg, unsigned int item)
{
	json_t *e = json_pack("{s:i, s:s}", "code", code, "message", msg), *data = json_object();

	if (code < 0 && code > -4096) {
		const char *name = strerrorname_np(-code);

		if (name != NULL)
			json_object_set_new(data, "errno", json_string(name));
	}
	if (item > 0)
		json_object_set_new(data, "item", json_integer(item));
	if (json_object_size(data) > 0)
		json_object_set_new(e, "data", data);
	else
		json_decref(data);
	return json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id ? id : json_null(), "error",
			 e);
}

static const struct vs_rpc_method *
find_method(const struct vs_rpc *rpc, const char *name)
{
	unsigned int i;

	for (i = 0; i < rpc->n_methods; i++)
		if (strcmp(rpc->methods[i]->name, name) == 0)
			return rpc->methods[i];
	return NULL;
}

static const char *const kind_names[] = {
	[VS_RPC_STR] = "string", [VS_RPC_UINT] = "integer", [VS_RPC_BOOL] = "boolean",
	[VS_RPC_MAC] = "mac",    [VS_RPC_KV] = "object",    [VS_RPC_STRINGS] = "array",
};

/* What a client needs to build a request: each parameter from the table
 * the dispatcher decodes by, so the list cannot disagree with it. */
static json_t *
args_json(const struct vs_rpc_method *m)
{
	const struct vs_rpc_param *p;
	json_t *arr = json_array();

	for (p = m->params; p != NULL && p->name != NULL; p++) {
		json_t *a = json_pack("{s:s, s:s, s:b}", "name", p->name, "type",
				      kind_names[p->kind], "required", p->required);

		if (p->kind == VS_RPC_UINT)
			json_object_update_new(a, json_pack("{s:I, s:I}", "min", (json_int_t)p->min,
							    "max", (json_int_t)p->max));
		if (p->kind == VS_RPC_UINT && !p->required)
			json_object_set_new(a, "default", json_integer((json_int_t)p->dflt));
		if (p->kind == VS_RPC_KV || p->kind == VS_RPC_STRINGS)
			json_object_set_new(a, "max_items", json_integer((json_int_t)p->max));
		json_array_append_new(arr, a);
	}
	return arr;
}

static int
rpc_list(struct vs_rpc *rpc, json_t **result)
{
	json_t *arr = json_array();
	char usage[256];
	unsigned int i;

	for (i = 0; i < rpc->n_methods; i++) {
		const struct vs_rpc_method *m = rpc->methods[i];

		vs_rpc_usage(m, usage, sizeof(usage));
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b, s:o}", "name", m->name,
						     "params", usage, "help", m->help, "free_form",
						     m->free_form, "args", args_json(m)));
	}
	*result = arr;
	return 0;
}

/* Decode the request's params by the method's table, then call it with
 * the decoded struct: a handler sees only what its table allows. */
static int
call_method(struct vs_rpc *rpc, const struct vs_rpc_method *m, json_t *params, json_t **result,
	    struct vs_err *err)
{
	void *args = NULL;
	int ret;

	if (!m->free_form) {
		args = calloc(1, m->args_size ? m->args_size : 1);
		if (args == NULL)
			return vs_err_set(err, -ENOMEM, "out of memory");
		if ((ret = vs_rpc_decode(m->params, params, args, err)) < 0) {
			free(args);
			return ret;
		}
	}
	ret = m->fn(rpc->sw, args, params, result, err);
	free(args);
	return ret;
}

static json_t *
dispatch(struct vs_rpc *rpc, json_t *req)
{
	const struct vs_rpc_method *m;
	struct vs_err err = {0};
	json_t *id, *params, *jv, *result = NULL, *resp;
	const char *method, *key;
	bool notification;
	char msg[256];
	int ret;

	if (!json_is_object(req))
		return vs_rpc_error_response(NULL, VS_RPC_INVALID_REQUEST,
					     json_is_array(req) ? "batch requests are not supported"
								: "a request must be a JSON object",
					     0);
	id = json_object_get(req, "id");
	notification = id == NULL;
	if (id != NULL && !json_is_string(id) && !json_is_integer(id) && !json_is_null(id))
		return vs_rpc_error_response(NULL, VS_RPC_INVALID_REQUEST,
					     "\"id\" must be a string, an integer or null", 0);
	json_object_foreach (req, key, jv) {
		if (strcmp(key, "jsonrpc") && strcmp(key, "id") && strcmp(key, "method") &&
		    strcmp(key, "params")) {
			snprintf(msg, sizeof(msg), "unknown request member \"%.64s\"", key);
			return vs_rpc_error_response(id, VS_RPC_INVALID_REQUEST, msg, 0);
		}
	}
	jv = json_object_get(req, "jsonrpc");
	if (jv != NULL && (!json_is_string(jv) || strcmp(json_string_value(jv), "2.0") != 0))
		return vs_rpc_error_response(id, VS_RPC_INVALID_REQUEST,
					     "\"jsonrpc\" must be \"2.0\"", 0);
	jv = json_object_get(req, "method");
	if (!json_is_string(jv))
		return vs_rpc_error_response(id, VS_RPC_INVALID_REQUEST,
					     "\"method\" is missing or not a string", 0);
	method = json_string_value(jv);
	params = json_object_get(req, "params");
	if (params != NULL && !json_is_object(params))
		return vs_rpc_error_response(id, VS_RPC_INVALID_PARAMS,
					     "\"params\" must be an object of named parameters", 0);

	if (strcmp(method, "rpc.list") == 0) {
		ret = rpc_list(rpc, &result);
	} else {
		m = find_method(rpc, method);
		if (m == NULL) {
			snprintf(msg, sizeof(msg),
				 "unknown method \"%.64s\"; \"rpc.list\" lists the methods",
				 method);
			return vs_rpc_error_response(id, VS_RPC_METHOD_NOT_FOUND, msg, 0);
		}
		params = params ? json_incref(params) : json_object();
		ret = call_method(rpc, m, params, &result, &err);
		json_decref(params);
	}
	if (ret < 0) {
		json_decref(result);
		if (notification)
			return NULL;
		return vs_rpc_error_response(id, ret, err.msg[0] ? err.msg : strerror(-ret),
					     err.item);
	}
	if (notification) {
		json_decref(result);
		return NULL;
	}
	resp = json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id, "result",
			 result ? result : json_null());
	return resp;
}

int
vs_rpc_call(struct vs_rpc *rpc, const char *method, json_t *params, json_t **result,
	    struct vs_err *err)
{
	const struct vs_rpc_method *m = find_method(rpc, method);

	*result = NULL;
	if (m == NULL)
		return vs_err_set(err, -ENOSYS, "unknown method %s", method);
	if (!json_is_object(params))
		return vs_err_set(err, -EINVAL, "parameters of %s must be an object", method);
	return call_method(rpc, m, params, result, err);
}

json_t *
vs_rpc_handle(struct vs_rpc *rpc, const char *text, size_t len)
{
	json_error_t jerr;
	json_t *req, *resp;
	char msg[320];

	req = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (req == NULL) {
		snprintf(msg, sizeof(msg), "not valid JSON: %s (line %d, column %d)", jerr.text,
			 jerr.line, jerr.column);
		return vs_rpc_error_response(NULL, VS_RPC_PARSE_ERROR, msg, 0);
	}
	resp = dispatch(rpc, req);
	json_decref(req);
	return resp;
}

int
vs_rpc_create(struct vs_rpc **out, struct vs_switch *sw, struct vs_loop *loop, const char *path,
	      uint32_t max_request, struct vs_err *err)
{
	struct vs_rpc *rpc = calloc(1, sizeof(*rpc));
	int ret;

	if (rpc == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	rpc->sw = sw;
	rpc->loop = loop;
	rpc->max_request = max_request;
	vs_rpc_server_init(rpc);
	if (path != NULL) {
		ret = vs_rpc_server_listen(rpc, path, err);
		if (ret < 0) {
			vs_rpc_destroy(rpc);
			return ret;
		}
	}
	*out = rpc;
	return 0;
}

void
vs_rpc_destroy(struct vs_rpc *rpc)
{
	if (rpc == NULL)
		return;
	vs_rpc_server_close(rpc);
	free(rpc->methods);
	free(rpc);
}

int
vs_rpc_register(struct vs_rpc *rpc, const struct vs_rpc_method *methods, unsigned int n)
{
	const struct vs_rpc_method **m;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (vs_rpc_method_check(&methods[i]) < 0) {
			VS_LOG(ERR, "rpc: the parameter table of method %s does not fit it",
			       methods[i].name ? methods[i].name : "(no name)");
			return -EINVAL;
		}
	m = realloc(rpc->methods, sizeof(*m) * (rpc->n_methods + n));
	if (m == NULL)
		return -ENOMEM;
	rpc->methods = m;
	for (i = 0; i < n; i++)
		rpc->methods[rpc->n_methods++] = &methods[i];
	return 0;
}
