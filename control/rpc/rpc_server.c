/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/rpc_server.c: the control socket: the unix socket, clients,
 * framing of newline-delimited requests (each handed to vs_rpc_handle).
 *
 * The daemon must survive any client, and the operator must get in past
 * them: requests are size-limited (the connection gets an error and is
 * closed); a partial request is dropped STALL_TIMEOUT_MS after its first
 * byte, a client that stops reading its responses STALL_TIMEOUT_MS after
 * the last byte it took, and an idle one (no request in progress) after
 * the idle timeout. At most MAX_CLIENTS are connected, RESERVED_CLIENTS of
 * them only for root and the daemon's own user (SO_PEERCRED); when full,
 * a new client displaces the one idle longest, and only when every one is
 * busy is it refused, with a JSON-RPC error line rather than a reset. Each
 * event does a bounded amount of work (one read, a burst of accepts), so
 * no client holds up the others. Nothing here blocks. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "rpc.h"
#include "rpc_int.h"

#define MAX_CLIENTS        64
#define LINGER_MS          1000
#define RESERVED_CLIENTS   8           /* of them, only for root and our own user */
#define MAX_BACKLOG        (64u << 20) /* unread response bytes per client */
#define PAUSE_BACKLOG      (1u << 20)  /* read no more requests while this much is unread */
#define STALL_TIMEOUT_MS   30000       /* partial request, or unread responses */
#define DISCARD_TIMEOUT_MS 5000        /* oversized request: wait for the peer's EOF */
#define LOG_INTERVAL_MS    10000       /* one line per kind of trouble per interval */
#define ACCEPT_BURST       16          /* accepts per event, so a flood cannot starve */
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
	bool paused;  /* not reading: too many responses unread */
	bool priv;    /* root or our own user: may use the reserved slots */
	uid_t uid;
	uint64_t last_ms; /* last byte read or written */
	uint64_t req_ms;  /* first byte of the partial request in 'in' */
	struct conn *next;
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
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
	if (!c->priv)
		rpc->n_unpriv--;
	vs_loop_del(rpc->loop, c->fd);
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
}

/* Connected, and nothing in progress: no partial request, no response
 * unread. Such a client costs nothing to close, and may reconnect. */
static bool
conn_idle(const struct conn *c)
{
	return !c->discard && !c->closing && c->in_len == 0 && c->out_len == c->out_off;
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

/* Read no more requests while PAUSE_BACKLOG bytes of responses are unread:
 * a client that sends without reading then costs a bounded amount of
 * memory, and is dropped by the tick once it stops reading altogether. */
static void
conn_set_events(struct conn *c)
{
	bool pause = c->out_len - c->out_off >= PAUSE_BACKLOG;

	if (c->paused && !pause && c->in_len > 0)
		c->req_ms = now_ms(); /* its rest waited on us, not on the client */
	c->paused = pause;
	vs_loop_mod(c->rpc->loop, c->fd,
		    (c->reading && !c->closing && !pause ? EPOLLIN | EPOLLRDHUP : 0) |
			    (c->out_len > c->out_off ? EPOLLOUT : 0));
}

static void conn_process(struct conn *c);

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
		c->last_ms = now_ms();
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
	/* Requests held back by the backlog (conn_process), now that it shrank. */
	if (!c->closing && !c->discard && c->scanned < c->in_len &&
	    c->out_len - c->out_off < PAUSE_BACKLOG)
		conn_process(c);
	conn_set_events(c);
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
	conn_queue(c, vs_rpc_error_response(NULL, VS_RPC_INVALID_REQUEST, msg, 0));
	c->discard = true;
	c->last_ms = now_ms();
	c->in_len = c->scanned = 0;
}

/* Handle the complete lines in the input buffer, until PAUSE_BACKLOG
 * bytes of answers wait unread: the rest waits in the buffer (conn_flush
 * comes back to it), so a client that sends many requests and reads no
 * answer costs one backlog of work, not all of its requests at once. */
static void
conn_process(struct conn *c)
{
	size_t start = 0, i;
	bool more = false;

	for (i = c->scanned; i < c->in_len && !c->closing; i++) {
		if (c->in[i] != '\n')
			continue;
		conn_request(c, c->in + start, i - start);
		start = i + 1;
		if (c->out_len - c->out_off >= PAUSE_BACKLOG) {
			more = start < c->in_len;
			break;
		}
	}
	if (c->closing)
		return;
	if (start > 0) {
		memmove(c->in, c->in + start, c->in_len - start);
		c->req_ms = c->last_ms; /* what is left came in this read */
	}
	c->in_len -= start;
	c->scanned = more ? 0 : c->in_len;
	if (c->in_len > c->rpc->max_request)
		conn_too_large(c);
}

/* One read per event: a client that keeps writing gets its turn, then the
 * others get theirs (the loop is level-triggered, so it comes back). */
static void
conn_read(struct conn *c)
{
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
	do
		r = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			c->closing = true;
			c->out_len = c->out_off = 0;
		}
		return;
	}
	c->last_ms = now_ms();
	if (c->discard) {
		if (r == 0)
			c->closing = true;
		return;
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
	if (c->in_len == 0)
		c->req_ms = c->last_ms;
	c->in_len += (size_t)r;
	conn_process(c);
}

static void
conn_event(void *arg, uint32_t events)
{
	struct conn *c = arg;

	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		conn_read(c);
	conn_flush(c);
}

static bool
has_room(const struct vs_rpc *rpc, bool priv)
{
	return rpc->n_conns < MAX_CLIENTS &&
	       (priv || rpc->n_unpriv < MAX_CLIENTS - RESERVED_CLIENTS);
}

/* Full: close the client idle longest that this one may displace (root
 * and our own user any, other users only another such). The newcomer is
 * served at once (accept reads its request), so it is the last to go. */
static bool
make_room(struct vs_rpc *rpc, bool priv, uint64_t now)
{
	struct conn *c, *victim = NULL;
	unsigned int quiet;

	if (has_room(rpc, priv))
		return true;
	for (c = rpc->conns; c != NULL; c = c->next)
		if (conn_idle(c) && (priv || !c->priv) &&
		    (victim == NULL || c->last_ms <= victim->last_ms)) /* ties: the older */
			victim = c;
	if (victim == NULL)
		return false;
	if (vs_log_ratelim_ok(&rpc->evict_rl, now, LOG_INTERVAL_MS, &quiet))
		VS_LOG(INFO,
		       "control socket full: closing a client idle for %lu ms to make room "
		       "(%u more in the last %d s)",
		       (unsigned long)(now - victim->last_ms), quiet, LOG_INTERVAL_MS / 1000);
	conn_close(victim);
	return has_room(rpc, priv);
}

static void
linger_end(struct lingering *l)
{
	vs_loop_del(l->rpc->loop, l->fd);
	close(l->fd);
	l->fd = -1;
}

/* Read and drop what a refused client sends; close when it hangs up. */
static void
linger_event(void *arg, uint32_t events)
{
	struct lingering *l = arg;
	char junk[4096];
	ssize_t n;
	int i;

	for (i = 0; i < 16; i++) {
		n = recv(l->fd, junk, sizeof(junk), MSG_DONTWAIT);
		if (n > 0)
			continue;
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			linger_end(l);
		return;
	}
}

/* Keep a refused client's socket open until it hangs up (at most
 * LINGER_MS); with every lingering slot taken, read what it sent so far
 * and close at once. */
static void
linger_start(struct vs_rpc *rpc, int fd, uint64_t now)
{
	char junk[4096];
	unsigned int i;

	for (i = 0; i < LINGER_MAX; i++) {
		struct lingering *l = &rpc->linger[i];

		if (l->fd >= 0)
			continue;
		*l = (struct lingering){.rpc = rpc, .fd = fd, .until_ms = now + LINGER_MS};
		if (vs_loop_add(rpc->loop, fd, EPOLLIN, linger_event, l) == 0)
			return;
		l->fd = -1;
		break;
	}
	for (i = 0; i < 16 && recv(fd, junk, sizeof(junk), MSG_DONTWAIT) > 0; i++)
		;
	close(fd);
}

/* Every slot this client may take is busy: say so in one JSON-RPC error
 * line and an end of file, then read and drop its input until it hangs up
 * (linger_start), so that it gets the line rather than a reset. */
static void
refuse(struct vs_rpc *rpc, int fd, uid_t uid, bool priv, uint64_t now)
{
	char msg[320], *text;
	unsigned int quiet;
	json_t *resp;

	if (priv || rpc->n_conns >= MAX_CLIENTS)
		snprintf(msg, sizeof(msg),
			 "too many control clients (%u), all busy with a request; try again in a "
			 "moment (see who holds them with: ss -xp src %s)",
			 MAX_CLIENTS, rpc->path);
	else
		snprintf(msg, sizeof(msg),
			 "too many control clients of users other than root (%u; %u of the %u "
			 "are kept for root and vswitchd's own user), all busy; try again in a "
			 "moment",
			 MAX_CLIENTS - RESERVED_CLIENTS, RESERVED_CLIENTS, MAX_CLIENTS);
	resp = vs_rpc_error_response(NULL, VS_RPC_BUSY, msg, 0);
	text = json_dumps(resp, JSON_COMPACT);
	json_decref(resp);
	if (text != NULL) {
		size_t len = strlen(text);

		text[len] = '\n'; /* the line is sent by length: its NUL becomes the newline */
		if (send(fd, text, len + 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
			VS_LOG(DEBUG, "could not tell a refused control client why");
		free(text);
	}
	shutdown(fd, SHUT_WR); /* the line, then an end of file */
	linger_start(rpc, fd, now);
	if (vs_log_ratelim_ok(&rpc->refuse_rl, now, LOG_INTERVAL_MS, &quiet))
		VS_LOG(WARNING,
		       "refused a control client (uid %d): %u connected, %u of other users, all "
		       "busy (%u more refused in the last %d s)",
		       (int)uid, rpc->n_conns, rpc->n_unpriv, quiet, LOG_INTERVAL_MS / 1000);
}

static void
conn_accept(struct vs_rpc *rpc, int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	uint64_t now = now_ms();
	uid_t uid = (uid_t)-1;
	struct conn *c;
	bool priv;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
		uid = cred.uid;
	priv = uid == 0 || uid == geteuid();
	if (!make_room(rpc, priv, now)) {
		refuse(rpc, fd, uid, priv, now);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		close(fd);
		return;
	}
	c->rpc = rpc;
	c->fd = fd;
	c->uid = uid;
	c->priv = priv;
	c->reading = true;
	c->last_ms = now;
	if (vs_loop_add(rpc->loop, fd, EPOLLIN, conn_event, c) < 0) {
		close(fd);
		free(c);
		return;
	}
	c->next = rpc->conns;
	rpc->conns = c;
	rpc->n_conns++;
	if (!priv)
		rpc->n_unpriv++;
	conn_event(c, EPOLLIN); /* vswitchctl has sent its request already, as a rule */
}

static void
accept_event(void *arg, uint32_t events)
{
	struct vs_rpc *rpc = arg;
	unsigned int i;
	int fd;

	for (i = 0; i < ACCEPT_BURST; i++) {
		fd = accept4(rpc->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			break;
		conn_accept(rpc, fd);
	}
}

/* Why 'c' should be closed now, or NULL. */
static const char *
conn_expired(const struct vs_rpc *rpc, const struct conn *c, uint64_t now)
{
	if (c->discard)
		return now - c->last_ms > DISCARD_TIMEOUT_MS ? "" : NULL;
	if (c->out_len > c->out_off)
		return now - c->last_ms > STALL_TIMEOUT_MS ? "stopped reading its responses" : NULL;
	if (c->in_len > 0)
		return now - c->req_ms > STALL_TIMEOUT_MS ? "stalled mid-request" : NULL;
	return now - c->last_ms > rpc->idle_ms ? "" : NULL;
}

void
vs_rpc_tick(struct vs_rpc *rpc, uint64_t now)
{
	struct conn *c, *next;
	unsigned int quiet, i;
	const char *why;

	for (c = rpc->conns; c != NULL; c = next) {
		next = c->next;
		why = conn_expired(rpc, c, now);
		if (why == NULL)
			continue;
		if (why[0] != '\0' &&
		    vs_log_ratelim_ok(&rpc->stall_rl, now, LOG_INTERVAL_MS, &quiet))
			VS_LOG(WARNING,
			       "dropping a control client (uid %d) that %s for %d s (%u more in "
			       "the last %d s)",
			       (int)c->uid, why, STALL_TIMEOUT_MS / 1000, quiet,
			       LOG_INTERVAL_MS / 1000);
		conn_close(c);
	}
	for (i = 0; i < LINGER_MAX; i++)
		if (rpc->linger[i].fd >= 0 && now >= rpc->linger[i].until_ms)
			linger_end(&rpc->linger[i]);
	vs_log_ratelim_flush(&rpc->refuse_rl, now, LOG_INTERVAL_MS, "control clients refused");
	vs_log_ratelim_flush(&rpc->evict_rl, now, LOG_INTERVAL_MS,
			     "idle control clients closed to make room");
	vs_log_ratelim_flush(&rpc->stall_rl, now, LOG_INTERVAL_MS,
			     "stalled control clients dropped");
}

void
vs_rpc_set_idle_timeout(struct vs_rpc *rpc, uint32_t ms)
{
	rpc->idle_ms = ms;
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

int
vs_rpc_server_listen(struct vs_rpc *rpc, const char *path, struct vs_err *err)
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

void
vs_rpc_server_init(struct vs_rpc *rpc)
{
	unsigned int i;

	rpc->lfd = -1;
	rpc->idle_ms = VS_RPC_IDLE_TIMEOUT_DEFAULT * 1000;
	for (i = 0; i < LINGER_MAX; i++)
		rpc->linger[i].fd = -1;
}

void
vs_rpc_server_close(struct vs_rpc *rpc)
{
	unsigned int i;

	while (rpc->conns != NULL)
		conn_close(rpc->conns);
	for (i = 0; i < LINGER_MAX; i++)
		if (rpc->linger[i].fd >= 0)
			linger_end(&rpc->linger[i]);
	if (rpc->lfd >= 0) {
		vs_loop_del(rpc->loop, rpc->lfd);
		close(rpc->lfd);
		if (rpc->path[0] != '\0')
			unlink(rpc->path);
	}
}
