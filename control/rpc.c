/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc.c: the JSON-RPC server: the unix socket, framing, the
 * envelope, and dispatch to registered methods.
 *
 * The daemon must survive any client: requests are size-limited (the
 * connection gets an error and is closed), a partial request that stalls is
 * dropped after a timeout, a client that does not read its responses is
 * disconnected when its backlog grows too large, and the number of clients
 * is bounded. Nothing here blocks. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "rpc.h"

#define MAX_CLIENTS        64
#define MAX_BACKLOG        (64u << 20) /* unread response bytes per client */
#define STALL_TIMEOUT_MS   30000       /* partial request without progress */
#define DISCARD_TIMEOUT_MS 5000        /* oversized request: wait for the peer's EOF */
#define READ_CHUNK         65536

struct conn {
	struct vs_rpc *rpc;
	int fd;
	char *in;
	size_t in_len, in_cap, scanned;
	char *out;
	size_t out_len, out_off;
	bool closing; /* close once the output is written */
	bool reading; /* peer has not shut down its side */
	bool discard; /* after an oversized request: drop input until EOF */
	bool shut;    /* our side shut down after the last response */
	uint64_t last_ms;
	struct conn *next;
};

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
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- envelope and dispatch ---- */

static json_t *
error_response(json_t *id, int code, const char *msg, unsigned int item)
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

static int
rpc_list(struct vs_rpc *rpc, json_t **result)
{
	json_t *arr = json_array();
	unsigned int i;

	for (i = 0; i < rpc->n_methods; i++)
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:s}", "name", rpc->methods[i]->name, "params",
				       rpc->methods[i]->params, "help", rpc->methods[i]->help));
	*result = arr;
	return 0;
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
		return error_response(NULL, VS_RPC_INVALID_REQUEST,
				      json_is_array(req) ? "batch requests are not supported"
							 : "a request must be a JSON object",
				      0);
	id = json_object_get(req, "id");
	notification = id == NULL;
	if (id != NULL && !json_is_string(id) && !json_is_integer(id) && !json_is_null(id))
		return error_response(NULL, VS_RPC_INVALID_REQUEST,
				      "\"id\" must be a string, an integer or null", 0);
	json_object_foreach (req, key, jv) {
		if (strcmp(key, "jsonrpc") && strcmp(key, "id") && strcmp(key, "method") &&
		    strcmp(key, "params")) {
			snprintf(msg, sizeof(msg), "unknown request member \"%.64s\"", key);
			return error_response(id, VS_RPC_INVALID_REQUEST, msg, 0);
		}
	}
	jv = json_object_get(req, "jsonrpc");
	if (jv != NULL && (!json_is_string(jv) || strcmp(json_string_value(jv), "2.0") != 0))
		return error_response(id, VS_RPC_INVALID_REQUEST, "\"jsonrpc\" must be \"2.0\"", 0);
	jv = json_object_get(req, "method");
	if (!json_is_string(jv))
		return error_response(id, VS_RPC_INVALID_REQUEST,
				      "\"method\" is missing or not a string", 0);
	method = json_string_value(jv);
	params = json_object_get(req, "params");
	if (params != NULL && !json_is_object(params))
		return error_response(id, VS_RPC_INVALID_PARAMS,
				      "\"params\" must be an object of named parameters", 0);

	if (strcmp(method, "rpc.list") == 0) {
		ret = rpc_list(rpc, &result);
	} else {
		m = find_method(rpc, method);
		if (m == NULL) {
			snprintf(msg, sizeof(msg),
				 "unknown method \"%.64s\"; \"rpc.list\" lists the methods",
				 method);
			return error_response(id, VS_RPC_METHOD_NOT_FOUND, msg, 0);
		}
		params = params ? json_incref(params) : json_object();
		ret = m->fn(rpc->sw, params, &result, &err);
		json_decref(params);
	}
	if (ret < 0) {
		json_decref(result);
		if (notification)
			return NULL;
		return error_response(id, ret, err.msg[0] ? err.msg : strerror(-ret), err.item);
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
	return m->fn(rpc->sw, params, result, err);
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
		return error_response(NULL, VS_RPC_PARSE_ERROR, msg, 0);
	}
	resp = dispatch(rpc, req);
	json_decref(req);
	return resp;
}

/* ---- parameter helpers ---- */

int
vs_rpc_check_keys(const json_t *params, const char *const *allowed, struct vs_err *err)
{
	const char *key;
	json_t *v;
	unsigned int i;

	json_object_foreach ((json_t *)params, key, v) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			char list[256];
			size_t off = 0;

			list[0] = '\0';
			for (i = 0; allowed[i] != NULL && off < sizeof(list); i++)
				off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
							i ? ", " : "", allowed[i]);
			return vs_err_set(err, -EINVAL,
					  "unknown parameter \"%.64s\" (accepted: %s)", key,
					  i ? list : "none");
		}
	}
	return 0;
}

int
vs_rpc_str(const json_t *params, const char *key, bool required, const char **out,
	   struct vs_err *err)
{
	json_t *v = json_object_get(params, key);

	if (v == NULL) {
		if (required)
			return vs_err_set(err, -EINVAL, "missing parameter \"%s\"", key);
		return 0;
	}
	if (!json_is_string(v))
		return vs_err_set(err, -EINVAL, "parameter \"%s\" must be a string", key);
	*out = json_string_value(v);
	return 0;
}

int
vs_rpc_uint(const json_t *params, const char *key, bool required, uint64_t lo, uint64_t hi,
	    uint64_t *out, struct vs_err *err)
{
	json_t *v = json_object_get(params, key);
	json_int_t x;

	if (v == NULL) {
		if (required)
			return vs_err_set(err, -EINVAL, "missing parameter \"%s\"", key);
		return 0;
	}
	if (!json_is_integer(v))
		return vs_err_set(err, -EINVAL, "parameter \"%s\" must be an integer", key);
	x = json_integer_value(v);
	if (x < 0 || (uint64_t)x < lo || (uint64_t)x > hi)
		return vs_err_set(err, -ERANGE,
				  "parameter \"%s\" must be from %lu to %lu, not %lld", key,
				  (unsigned long)lo, (unsigned long)hi, (long long)x);
	*out = (uint64_t)x;
	return 0;
}

/* ---- connections ---- */

static void conn_event(void *arg, uint32_t events);

static void
conn_close(struct conn *c)
{
	struct vs_rpc *rpc = c->rpc;
	struct conn **pp;

	for (pp = &rpc->conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	rpc->n_conns--;
	vs_loop_del(rpc->loop, c->fd);
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
}

static int
conn_queue(struct conn *c, json_t *resp)
{
	char *text = json_dumps(resp, JSON_COMPACT);
	size_t len;

	json_decref(resp);
	if (text == NULL)
		return -ENOMEM;
	len = strlen(text);
	if (c->out_len - c->out_off + len + 1 > MAX_BACKLOG) {
		free(text);
		return -ENOBUFS;
	}
	if (c->out_off > 0) {
		memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
		c->out_len -= c->out_off;
		c->out_off = 0;
	}
	char *n = realloc(c->out, c->out_len + len + 1);
	if (n == NULL) {
		free(text);
		return -ENOMEM;
	}
	c->out = n;
	memcpy(c->out + c->out_len, text, len);
	c->out[c->out_len + len] = '\n';
	c->out_len += len + 1;
	free(text);
	return 0;
}

/* Write what we can; returns false if the connection was closed. */
static bool
conn_flush(struct conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			conn_close(c);
			return false;
		}
		c->out_off += (size_t)w;
	}
	if (c->out_off == c->out_len) {
		c->out_off = c->out_len = 0;
		if (c->closing) {
			conn_close(c);
			return false;
		}
		/* Closing with unread input would reset the connection and
		 * lose the error response: end our side, read until the
		 * peer ends its. */
		if (c->discard && !c->shut) {
			shutdown(c->fd, SHUT_WR);
			c->shut = true;
		}
	}
	vs_loop_mod(c->rpc->loop, c->fd,
		    (c->reading && !c->closing ? EPOLLIN | EPOLLRDHUP : 0) |
			    (c->out_len > c->out_off ? EPOLLOUT : 0));
	return true;
}

static bool
is_blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

static void
conn_request(struct conn *c, const char *text, size_t len)
{
	json_t *resp;

	if (is_blank(text, len))
		return;
	resp = vs_rpc_handle(c->rpc, text, len);
	if (resp != NULL && conn_queue(c, resp) < 0) {
		VS_LOG(WARNING, "control client is not reading its responses; disconnecting it");
		c->closing = true;
		c->out_len = c->out_off = 0;
	}
}

static void
conn_too_large(struct conn *c)
{
	char msg[160];

	snprintf(msg, sizeof(msg),
		 "request larger than %u bytes without a newline; the limit is vswitchd "
		 "--max-request",
		 c->rpc->max_request);
	VS_LOG(WARNING, "control client sent a request over %u bytes; disconnecting it",
	       c->rpc->max_request);
	conn_queue(c, error_response(NULL, VS_RPC_INVALID_REQUEST, msg, 0));
	c->discard = true;
	c->last_ms = now_ms();
	c->in_len = c->scanned = 0;
}

/* Handle every complete line in the input buffer. */
static void
conn_process(struct conn *c)
{
	size_t start = 0, i;

	for (i = c->scanned; i < c->in_len && !c->closing; i++) {
		if (c->in[i] != '\n')
			continue;
		conn_request(c, c->in + start, i - start);
		start = i + 1;
	}
	if (c->closing)
		return;
	if (start > 0)
		memmove(c->in, c->in + start, c->in_len - start);
	c->in_len -= start;
	c->scanned = c->in_len;
	if (c->in_len > c->rpc->max_request)
		conn_too_large(c);
}

static void
conn_read(struct conn *c)
{
	for (;;) {
		ssize_t r;

		if (c->in_cap - c->in_len < READ_CHUNK) {
			size_t cap = c->in_cap + READ_CHUNK * 2;
			char *n = realloc(c->in, cap);

			if (n == NULL) {
				c->closing = true;
				return;
			}
			c->in = n;
			c->in_cap = cap;
		}
		r = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
		if (r > 0 && c->discard)
			continue;
		if (r == 0 && c->discard) {
			c->closing = true;
			return;
		}
		if (r > 0) {
			c->in_len += (size_t)r;
			c->last_ms = now_ms();
			conn_process(c);
			if (c->closing || c->discard)
				return;
			continue;
		}
		if (r == 0) {
			/* The peer is done: its last request needs no newline. */
			c->reading = false;
			if (c->in_len > 0)
				conn_request(c, c->in, c->in_len);
			c->in_len = c->scanned = 0;
			c->closing = true;
			return;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			c->closing = true;
			c->out_len = c->out_off = 0;
		}
		return;
	}
}

static void
conn_event(void *arg, uint32_t events)
{
	struct conn *c = arg;

	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		conn_read(c);
	conn_flush(c);
}

static void
accept_event(void *arg, uint32_t events)
{
	struct vs_rpc *rpc = arg;
	struct conn *c;
	int fd;

	while ((fd = accept4(rpc->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		if (rpc->n_conns >= MAX_CLIENTS) {
			static const char busy[] =
				"{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,"
				"\"message\":\"too many control clients\"}}\n";

			VS_LOG(WARNING, "refusing a control client: %d already connected",
			       MAX_CLIENTS);
			if (send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL) < 0)
				VS_LOG(DEBUG, "could not tell the refused client why");
			close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (c == NULL) {
			close(fd);
			continue;
		}
		c->rpc = rpc;
		c->fd = fd;
		c->reading = true;
		c->last_ms = now_ms();
		if (vs_loop_add(rpc->loop, fd, EPOLLIN, conn_event, c) < 0) {
			close(fd);
			free(c);
			continue;
		}
		c->next = rpc->conns;
		rpc->conns = c;
		rpc->n_conns++;
	}
}

void
vs_rpc_tick(struct vs_rpc *rpc, uint64_t now)
{
	struct conn *c, *next;

	for (c = rpc->conns; c != NULL; c = next) {
		next = c->next;
		if (c->discard && now - c->last_ms > DISCARD_TIMEOUT_MS) {
			conn_close(c);
			continue;
		}
		if (c->in_len > 0 && now - c->last_ms > STALL_TIMEOUT_MS) {
			VS_LOG(WARNING, "dropping a control client stalled mid-request for %d s",
			       STALL_TIMEOUT_MS / 1000);
			conn_close(c);
		}
	}
}

/* Refuse to take over the socket of a live daemon; remove a stale one. */
static int
claim_path(const char *path, struct vs_err *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, ret;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vs_err_set(err, -errno, "socket: %s", strerror(errno));
	ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	if (ret == 0)
		return vs_err_set(err, -EADDRINUSE,
				  "another vswitchd is listening on %s; stop it, or give this one "
				  "its own --rundir",
				  path);
	if (unlink(path) < 0 && errno != ENOENT)
		return vs_err_set(err, -errno, "cannot remove stale socket %s: %s", path,
				  strerror(errno));
	return 0;
}

static int
listen_on(struct vs_rpc *rpc, const char *path, struct vs_err *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int ret;

	if (strlen(path) >= sizeof(sa.sun_path))
		return vs_err_set(err, -ENAMETOOLONG,
				  "control socket path %s is longer than %zu bytes; use a "
				  "shorter --rundir",
				  path, sizeof(sa.sun_path) - 1);
	ret = claim_path(path, err);
	if (ret < 0)
		return ret;
	strcpy(sa.sun_path, path);
	rpc->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (rpc->lfd < 0)
		return vs_err_set(err, -errno, "socket: %s", strerror(errno));
	if (bind(rpc->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return vs_err_set(err, -errno, "cannot bind %s: %s", path, strerror(errno));
	/* Owner and group may drive the switch; nobody else. */
	if (chmod(path, 0660) < 0 || listen(rpc->lfd, 16) < 0)
		return vs_err_set(err, -errno, "cannot listen on %s: %s", path, strerror(errno));
	snprintf(rpc->path, sizeof(rpc->path), "%s", path);
	return vs_loop_add(rpc->loop, rpc->lfd, EPOLLIN, accept_event, rpc);
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
	rpc->lfd = -1;
	rpc->max_request = max_request;
	if (path != NULL) {
		ret = listen_on(rpc, path, err);
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
	while (rpc->conns != NULL)
		conn_close(rpc->conns);
	if (rpc->lfd >= 0) {
		vs_loop_del(rpc->loop, rpc->lfd);
		close(rpc->lfd);
		if (rpc->path[0] != '\0')
			unlink(rpc->path);
	}
	free(rpc->methods);
	free(rpc);
}

int
vs_rpc_register(struct vs_rpc *rpc, const struct vs_rpc_method *methods, unsigned int n)
{
	const struct vs_rpc_method **m;
	unsigned int i;

	m = realloc(rpc->methods, sizeof(*m) * (rpc->n_methods + n));
	if (m == NULL)
		return -ENOMEM;
	rpc->methods = m;
	for (i = 0; i < n; i++)
		rpc->methods[rpc->n_methods++] = &methods[i];
	return 0;
}
