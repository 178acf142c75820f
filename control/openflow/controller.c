/* SPDX-License-Identifier: BSD-3-Clause */
/* control/openflow/controller.c: each bridge's controller set (controller.h):
 * targets parsed in Open vSwitch's syntax, active ones connected with
 * exponential backoff (1 s doubling to 8 s, as OVS's rconn), passive ones
 * listening and accepting, the sessions on their connections, and the
 * actions that change them, saved in the bridge's "openflow" entry. The
 * messages themselves are ofp_handle.c's. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bridge_ctl.h"
#include "log.h"
#include "tls.h"
#include "loop.h"
#include "of_int.h"
#include "persist.h"
#include "switch.h"

struct vs_of_bridge *
vs_of_bridge_get(struct vs_switch *sw, const struct vs_bridge *br)
{
	struct vs_of *of = sw->of;
	struct vs_of_bridge *ob;

	if (of == NULL || br == NULL)
		return NULL;
	ob = of->br[br->id];
	if (ob != NULL && ob->br == br)
		return ob;
	ob = calloc(1, sizeof(*ob));
	if (ob == NULL)
		return NULL;
	free(of->br[br->id]); /* a bridge of that id that went: its sessions went with it */
	ob->sw = sw;
	ob->br = (struct vs_bridge *)br;
	ob->fail_mode = VS_OF_FAIL_STANDALONE;
	ob->rate = VS_OF_RATE_DEFAULT;
	ob->burst = VS_OF_BURST_DEFAULT;
	ob->tokens_mtok = (uint64_t)ob->burst * 1000;
	of->br[br->id] = ob;
	return ob;
}

int
vs_of_target_check(const char *text, struct vs_err *err)
{
	struct vs_stream_target t;

	if (strlen(text) >= VS_OF_TARGET_MAX)
		return vs_err_set(err, -EINVAL, "controller target too long: %s", text);
	return vs_stream_target_parse(text, &t, err);
}

/* A TLS target needs the switch's files first. */
static int
target_usable(struct vs_switch *sw, const char *text, struct vs_err *err)
{
	int ret = vs_of_target_check(text, err);

	if (ret == 0 && vs_tls_target(text) && sw->tls == NULL)
		return vs_err_set(err, -ENOKEY,
				  "controller target %s: TLS needs the switch's private key and "
				  "certificates: run vswitchctl set-ssl PRIVATE-KEY CERTIFICATE "
				  "CA-CERT first",
				  text);
	return ret;
}

static void
target_parse(struct vs_of_target *t, const char *text)
{
	struct vs_err err;

	snprintf(t->text, sizeof(t->text), "%s", text);
	vs_stream_target_parse(text, &t->addr, &err); /* checked before */
	t->passive = t->addr.passive;
	t->lfd = -1;
}

/* Session callbacks from the connection. */
static void
sess_msg(struct vs_ofconn *c, const struct vs_ofp_header *h, size_t len)
{
	vs_of_handle(c->owner, h, len);
}

static void
sess_up(struct vs_ofconn *c)
{
	struct vs_of_session *s = c->owner;

	VS_LOG(INFO, "bridge %s: controller %s (%s) connected, OpenFlow 1.3", s->ob->br->name,
	       s->t->text, c->peer);
	s->t->backoff_ms = 0;
	s->t->error[0] = '\0';
	/* Fail-open ends at the next tick (fail_open.c), for active targets. */
}

/* 'src', cut to fit. */
static void
set_text(char *dst, size_t n, const char *src)
{
	size_t len = strnlen(src, n - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Has the target not logged this cause yet (among the last
 * VS_OF_TLS_CAUSES it logged)? It has from now on. */
static bool
tls_first_time(struct vs_of_target *t, const char *why)
{
	uint32_t h = 2166136261u;
	unsigned int i;

	for (; *why != '\0'; why++)
		h = (h ^ (uint8_t)*why) * 16777619u;
	h |= 1; /* 0: an empty slot */
	for (i = 0; i < VS_OF_TLS_CAUSES; i++)
		if (t->tls_logged[i] == h)
			return false;
	t->tls_logged[t->tls_logged_next++ % VS_OF_TLS_CAUSES] = h;
	return true;
}

/* A TLS connection that failed before OpenFlow started: counted, shown,
 * and logged once per cause (a scanner on a pssl: port, a controller with
 * the wrong certificate retrying every 8 s would flood the log). */
static bool
tls_failure(struct vs_of_target *t, const struct vs_ofconn *c, const char *why)
{
	if (t->addr.kind != VS_STREAM_TLS || c->died_in != VS_OFCONN_CONNECTING)
		return false;
	t->tls_errors++;
	snprintf(t->tls_error, sizeof(t->tls_error), "%s", why);
	if (!tls_first_time(t, why))
		return true;
	VS_LOG(WARNING, "bridge %s: controller %s (%s): %s (logged once; the count is in show)",
	       t->ob->br->name, t->text, c->peer, why);
	return true;
}

static void
sess_down(struct vs_ofconn *c, const char *why)
{
	struct vs_of_session *s = c->owner;

	if (!tls_failure(s->t, c, why))
		VS_LOG(INFO, "bridge %s: controller %s (%s): %s", s->ob->br->name, s->t->text,
		       c->peer, why);
	if (!s->t->passive) /* a listener's state is its own, not its clients' */
		snprintf(s->t->error, sizeof(s->t->error), "%s", why);
	s->ob->out_overflow += c->out_overflow;
}

static void
sess_drained(struct vs_ofconn *c)
{
	vs_of_mp_stream_resume(c->owner);
}

static const struct vs_ofconn_ops sess_ops = {
	.msg = sess_msg,
	.up = sess_up,
	.down = sess_down,
	.drained = sess_drained,
};

static struct vs_of_session *
sess_new(struct vs_of_bridge *ob, struct vs_of_target *t, struct vs_stream *st, const char *peer)
{
	struct vs_of_session *s = calloc(1, sizeof(*s));
	unsigned int i;

	for (i = 0; i < VS_OF_SESSIONS_MAX && ob->sess[i] != NULL; i++)
		;
	if (s == NULL || i == VS_OF_SESSIONS_MAX) {
		VS_LOG(WARNING, "bridge %s: %s: refused %s, already %u controller connections",
		       ob->br->name, t->text, peer, VS_OF_SESSIONS_MAX);
		free(s);
		vs_stream_close(st);
		return NULL;
	}
	s->ob = ob;
	s->t = t;
	vs_of_session_defaults(s);
	if (vs_ofconn_open_stream(&s->conn, ob->sw->loop, st, peer, &sess_ops, s,
				  ob->sw->of->now_ms) < 0) {
		free(s);
		return NULL;
	}
	ob->sess[i] = s;
	return s;
}

static void
sess_free(struct vs_of_bridge *ob, unsigned int i)
{
	struct vs_of_session *s = ob->sess[i];

	if (s->t->conn == s->conn)
		s->t->conn = NULL;
	vs_of_bundles_free(s); /* never committed: discarded (OpenFlow 1.4, 7.3.9) */
	vs_ofconn_free(s->conn);
	vs_of_mp_stream_free(s);
	free(s);
	ob->sess[i] = NULL;
}

static void
on_accept(void *arg, uint32_t events)
{
	struct vs_of_target *t = arg;
	struct sockaddr_storage sa;
	struct vs_stream *st;
	struct vs_err err;
	socklen_t sl;
	char peer[64];
	int fd, n;

	/* A bounded number per wake-up: a flood of connects cannot hold the loop. */
	for (n = 0; n < 8; n++) {
		sl = sizeof(sa);
		fd = accept4(t->lfd, (struct sockaddr *)&sa, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		vs_stream_addr_text((struct sockaddr *)&sa, peer, sizeof(peer));
		if (vs_stream_accept(&st, fd, t->addr.kind, t->ob->sw->tls, &err) < 0) {
			/* The TLS files do not load: shown, logged once. */
			if (tls_first_time(t, err.msg))
				VS_LOG(WARNING, "bridge %s: %s: refused %s: %s", t->ob->br->name,
				       t->text, peer, err.msg);
			set_text(t->tls_error, sizeof(t->tls_error), err.msg);
			t->tls_errors++;
			continue;
		}
		sess_new(t->ob, t, st, peer);
	}
}

static void
target_listen(struct vs_of_target *t)
{
	struct vs_err err;
	int fd;

	if (vs_stream_listen(&t->addr, &fd, &err) < 0)
		goto fail;
	if (vs_loop_add(t->ob->sw->loop, fd, EPOLLIN, on_accept, t) < 0) {
		vs_err_set(&err, -ENOMEM, "cannot listen: %s", strerror(ENOMEM));
		close(fd);
		goto fail;
	}
	t->lfd = fd;
	t->error[0] = '\0';
	VS_LOG(INFO, "bridge %s: listening for OpenFlow controllers on %s", t->ob->br->name,
	       t->text);
	return;
fail:
	snprintf(t->error, sizeof(t->error), "%.90s (retried every %u s)", err.msg,
		 VS_OF_BACKOFF_MAX / 1000);
	VS_LOG(WARNING, "bridge %s: %s: %s", t->ob->br->name, t->text, t->error);
	t->next_ms = t->ob->sw->of->now_ms + VS_OF_BACKOFF_MAX;
}

static void
target_connect(struct vs_of_target *t, uint64_t now)
{
	struct vs_of_session *s;
	struct vs_stream *st;
	struct vs_err err;
	char peer[64];

	t->attempts++;
	/* The next wait, should this one fail: 1, 2, 4, 8, 8... s. */
	t->backoff_ms = t->backoff_ms ? t->backoff_ms * 2 : VS_OF_BACKOFF_MIN;
	if (t->backoff_ms > VS_OF_BACKOFF_MAX)
		t->backoff_ms = VS_OF_BACKOFF_MAX;
	t->next_ms = now + t->backoff_ms;
	if (vs_stream_connect(&st, &t->addr, t->ob->sw->tls, &err) < 0) {
		set_text(t->error, sizeof(t->error), err.msg);
		if (t->addr.kind == VS_STREAM_TLS) {
			t->tls_errors++;
			set_text(t->tls_error, sizeof(t->tls_error), err.msg);
		}
		return;
	}
	vs_stream_addr_text((struct sockaddr *)&t->addr.addr, peer, sizeof(peer));
	s = sess_new(t->ob, t, st, peer);
	if (s != NULL)
		t->conn = s->conn;
}

static void
target_close(struct vs_of_bridge *ob, struct vs_of_target *t)
{
	unsigned int i;

	for (i = 0; i < VS_OF_SESSIONS_MAX; i++)
		if (ob->sess[i] != NULL && ob->sess[i]->t == t) {
			vs_ofconn_fail(ob->sess[i]->conn, "controller target removed");
			sess_free(ob, i);
		}
	if (t->lfd >= 0) {
		vs_loop_del(ob->sw->loop, t->lfd);
		close(t->lfd);
		t->lfd = -1;
	}
}

/* Sessions point at their target: targets move only with no session. */
static void
targets_apply(struct vs_of_bridge *ob, const char *const *texts, unsigned int n)
{
	struct vs_of_target old[VS_OF_TARGETS_MAX];
	unsigned int n_old = ob->n_targets, i, j;
	bool kept[VS_OF_TARGETS_MAX] = {false};

	/* Kept targets keep their place; only removed ones close. */
	for (i = 0; i < n_old; i++) {
		for (j = 0; j < n && strcmp(ob->targets[i].text, texts[j]) != 0; j++)
			;
		kept[i] = j < n;
		if (!kept[i])
			target_close(ob, &ob->targets[i]);
	}
	memcpy(old, ob->targets, sizeof(old));
	/* Compact the kept ones at the front, then fix their sessions. */
	for (i = 0, j = 0; i < n_old; i++)
		if (kept[i]) {
			unsigned int k;

			ob->targets[j] = old[i];
			/* The listening socket's callback has the target's address. */
			if (i != j && ob->targets[j].lfd >= 0) {
				vs_loop_del(ob->sw->loop, ob->targets[j].lfd);
				vs_loop_add(ob->sw->loop, ob->targets[j].lfd, EPOLLIN, on_accept,
					    &ob->targets[j]);
			}
			for (k = 0; k < VS_OF_SESSIONS_MAX; k++)
				if (ob->sess[k] != NULL && ob->sess[k]->t == &ob->targets[i])
					ob->sess[k]->t = &ob->targets[j];
			j++;
		}
	ob->n_targets = j;
	for (i = 0; i < n; i++) {
		for (j = 0; j < ob->n_targets && strcmp(ob->targets[j].text, texts[i]) != 0; j++)
			;
		if (j < ob->n_targets || ob->n_targets == VS_OF_TARGETS_MAX)
			continue;
		memset(&ob->targets[ob->n_targets], 0, sizeof(ob->targets[0]));
		target_parse(&ob->targets[ob->n_targets], texts[i]);
		ob->targets[ob->n_targets].ob = ob;
		ob->n_targets++;
	}
	for (i = 0; i < ob->n_targets; i++)
		if (ob->targets[i].passive && ob->targets[i].lfd < 0)
			target_listen(&ob->targets[i]);
}

void
vs_of_broadcast(struct vs_of_bridge *ob, int kind, uint8_t reason, const void *msg, size_t len)
{
	unsigned int i;

	for (i = 0; i < VS_OF_SESSIONS_MAX; i++) {
		struct vs_of_session *s = ob->sess[i];
		uint32_t mask;

		if (s == NULL || s->conn->state != VS_OFCONN_UP)
			continue;
		mask = s->async[kind * 2 + (s->role == OFPCR_ROLE_SLAVE)];
		if (mask & (1u << reason))
			vs_ofconn_send(s->conn, msg, len);
	}
}

static void
bridge_tick(struct vs_of_bridge *ob, uint64_t now)
{
	unsigned int i;

	for (i = 0; i < VS_OF_SESSIONS_MAX; i++)
		if (ob->sess[i] != NULL) {
			vs_ofconn_tick(ob->sess[i]->conn, now);
			if (vs_ofconn_dead(ob->sess[i]->conn))
				sess_free(ob, i);
		}
	for (i = 0; i < ob->n_targets; i++) {
		struct vs_of_target *t = &ob->targets[i];

		if (t->passive && t->lfd < 0 && now >= t->next_ms)
			target_listen(t);
		else if (!t->passive && t->conn == NULL && now >= t->next_ms)
			target_connect(t, now);
	}
	if (now - ob->last_scan_ms >= 1000) {
		ob->last_scan_ms = now;
		vs_of_port_scan(ob);
	}
	vs_of_fail_open_tick(ob, now);
}

static void
bridge_free(struct vs_of *of, unsigned int id)
{
	struct vs_of_bridge *ob = of->br[id];
	unsigned int i;

	if (ob == NULL)
		return;
	for (i = 0; i < ob->n_targets; i++)
		target_close(ob, &ob->targets[i]);
	for (i = 0; i < VS_OF_SESSIONS_MAX; i++)
		if (ob->sess[i] != NULL)
			sess_free(ob, i);
	free(ob);
	of->br[id] = NULL;
}

bool
vs_of_tick(struct vs_switch *sw, uint64_t now_ms)
{
	struct vs_of *of = sw->of;
	unsigned int i;

	if (of == NULL)
		return false;
	of->now_ms = now_ms;
	for (i = 0; i < VS_MAX_BRIDGES; i++) {
		if (of->br[i] == NULL)
			continue;
		/* A bridge that went takes its controllers with it. */
		if (sw->bridges[i] != of->br[i]->br) {
			bridge_free(of, i);
			continue;
		}
		bridge_tick(of->br[i], now_ms);
	}
	return vs_of_pktin_drain(of) > 0;
}

int
vs_of_init(struct vs_switch *sw)
{
	sw->of = calloc(1, sizeof(*sw->of));
	if (sw->of == NULL)
		return -ENOMEM;
	sw->of->sw = sw;
	vs_flows_set_removed_cb(sw, vs_of_flow_removed, sw->of);
	return 0;
}

void
vs_of_fini(struct vs_switch *sw)
{
	unsigned int i;

	if (sw->of == NULL)
		return;
	vs_flows_set_removed_cb(sw, NULL, NULL);
	for (i = 0; i < VS_MAX_BRIDGES; i++)
		bridge_free(sw->of, i);
	free(sw->of);
	sw->of = NULL;
}

int
vs_of_fail_mode_parse(const char *text, uint8_t *mode, struct vs_err *err)
{
	if (strcmp(text, "standalone") == 0)
		*mode = VS_OF_FAIL_STANDALONE;
	else if (strcmp(text, "secure") == 0)
		*mode = VS_OF_FAIL_SECURE;
	else
		return vs_err_set(err, -EINVAL,
				  "fail mode '%s': give standalone (no controller: the bridge "
				  "learns) or secure (no controller: the rules stay as they are)",
				  text);
	return 0;
}

static const char *
fail_mode_name(uint8_t m)
{
	return m == VS_OF_FAIL_SECURE ? "secure" : "standalone";
}

/* The bridge's "openflow" entry as it would be saved with these targets
 * and settings; NULL when everything is the default (nothing saved). */
static json_t *
entry_json(const struct vs_of_bridge *ob, const char *const *texts, unsigned int n,
	   const struct vs_of_bridge_conf *c)
{
	json_t *e = json_object(), *arr = json_array();
	char dpid[24];
	unsigned int i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_string(texts[i]));
	if (n > 0)
		json_object_set(e, "controllers", arr);
	json_decref(arr);
	if (c->fail_mode != VS_OF_FAIL_STANDALONE)
		json_object_set_new(e, "fail_mode", json_string(fail_mode_name(c->fail_mode)));
	if (c->has_dpid && c->dpid != 0) {
		snprintf(dpid, sizeof(dpid), "%016" PRIx64, c->dpid);
		json_object_set_new(e, "datapath_id", json_string(dpid));
	}
	if (c->rate != VS_OF_RATE_DEFAULT)
		json_object_set_new(e, "controller_rate_limit", json_integer(c->rate));
	if (c->burst != VS_OF_BURST_DEFAULT)
		json_object_set_new(e, "controller_burst_limit", json_integer(c->burst));
	if (json_object_size(e) == 0) {
		json_decref(e);
		return NULL;
	}
	return e;
}

static void
conf_of(const struct vs_of_bridge *ob, struct vs_of_bridge_conf *c)
{
	*c = (struct vs_of_bridge_conf){
		.fail_mode = ob->fail_mode,
		.has_dpid = ob->dpid_set,
		.dpid = ob->dpid,
		.rate = ob->rate,
		.burst = ob->burst,
	};
}

/* Save the bridge's entry as it would be, then make it so. */
static int
save_apply(struct vs_of_bridge *ob, const char *const *texts, unsigned int n,
	   const struct vs_of_bridge_conf *c, bool save, struct vs_err *err)
{
	char copy[VS_OF_TARGETS_MAX][VS_OF_TARGET_MAX];
	const char *t[VS_OF_TARGETS_MAX];
	json_t *e = entry_json(ob, texts, n, c);
	unsigned int i;
	int ret = 0;

	/* 'texts' may be the targets' own, which targets_apply moves. */
	for (i = 0; i < n; i++) {
		snprintf(copy[i], sizeof(copy[i]), "%s", texts[i]);
		t[i] = copy[i];
	}

	if (save)
		ret = vs_persist_bridge_key(ob->sw, ob->br->name, "openflow", e, err);
	json_decref(e);
	if (ret < 0)
		return ret;
	if (ob->fail_mode != c->fail_mode && c->fail_mode == VS_OF_FAIL_SECURE)
		vs_of_fail_open_remove(ob);
	ob->fail_mode = c->fail_mode;
	ob->dpid_set = c->has_dpid && c->dpid != 0;
	ob->dpid = ob->dpid_set ? c->dpid : 0;
	if (ob->rate != c->rate || ob->burst != c->burst)
		ob->tokens_mtok = (uint64_t)c->burst * 1000;
	ob->rate = c->rate;
	ob->burst = c->burst;
	targets_apply(ob, t, n);
	return 0;
}

static void
target_texts(const struct vs_of_bridge *ob, const char **texts)
{
	unsigned int i;

	for (i = 0; i < ob->n_targets; i++)
		texts[i] = ob->targets[i].text;
}

int
vs_of_set_controllers(struct vs_switch *sw, struct vs_bridge *br, const char *const *targets,
		      unsigned int n, struct vs_err *err)
{
	struct vs_of_bridge *ob = vs_of_bridge_get(sw, br);
	struct vs_of_bridge_conf c;
	unsigned int i, j;
	int ret;

	if (ob == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	if (n > VS_OF_TARGETS_MAX)
		return vs_err_set(err, -E2BIG, "%u controller targets: a bridge has at most %u", n,
				  VS_OF_TARGETS_MAX);
	for (i = 0; i < n; i++) {
		if ((ret = target_usable(sw, targets[i], err)) < 0)
			return ret;
		for (j = 0; j < i; j++)
			if (strcmp(targets[i], targets[j]) == 0)
				return vs_err_set(err, -EINVAL, "controller target %s given twice",
						  targets[i]);
	}
	conf_of(ob, &c);
	return save_apply(ob, targets, n, &c, true, err);
}

int
vs_of_del_controllers(struct vs_switch *sw, struct vs_bridge *br, struct vs_err *err)
{
	return vs_of_set_controllers(sw, br, NULL, 0, err);
}

int
vs_of_bridge_set(struct vs_switch *sw, struct vs_bridge *br, const struct vs_of_bridge_conf *conf,
		 struct vs_err *err)
{
	struct vs_of_bridge *ob = vs_of_bridge_get(sw, br);
	const char *texts[VS_OF_TARGETS_MAX];
	struct vs_of_bridge_conf c;

	if (ob == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	conf_of(ob, &c);
	if (conf->has_fail_mode)
		c.fail_mode = conf->fail_mode;
	if (conf->has_dpid) {
		c.has_dpid = true;
		c.dpid = conf->dpid;
	}
	if (conf->has_rate)
		c.rate = conf->rate;
	if (conf->has_burst)
		c.burst = conf->burst;
	if (c.rate < VS_OF_RATE_MIN || c.rate > VS_OF_RATE_MAX || c.burst < 1 ||
	    c.burst > VS_OF_RATE_MAX)
		return vs_err_set(err, -ERANGE,
				  "controller-rate-limit and controller-burst-limit go from %u to "
				  "%u packet-ins (per second, and at once)",
				  VS_OF_RATE_MIN, VS_OF_RATE_MAX);
	target_texts(ob, texts);
	return save_apply(ob, texts, ob->n_targets, &c, true, err);
}

int
vs_of_apply(struct vs_switch *sw, struct vs_bridge *br, const json_t *entry, struct vs_err *err)
{
	struct vs_of_bridge *ob;
	const char *texts[VS_OF_TARGETS_MAX], *key, *s;
	struct vs_of_bridge_conf c;
	unsigned int n = 0;
	json_t *v;
	size_t i;
	int ret;

	if (entry == NULL)
		return 0;
	if ((ob = vs_of_bridge_get(sw, br)) == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	if (!json_is_object(entry))
		return vs_err_set(err, -EINVAL, "\"openflow\" must be an object");
	conf_of(ob, &c);
	json_object_foreach ((json_t *)entry, key, v) {
		if (strcmp(key, "controllers") == 0 && json_is_array(v)) {
			json_array_foreach (v, i, v) {
				s = json_string_value(v);
				if (s == NULL || n == VS_OF_TARGETS_MAX)
					return vs_err_set(err, -EINVAL, "bad controller list");
				if ((ret = target_usable(sw, s, err)) < 0)
					return ret;
				texts[n++] = s;
			}
		} else if (strcmp(key, "fail_mode") == 0 && json_is_string(v)) {
			if ((ret = vs_of_fail_mode_parse(json_string_value(v), &c.fail_mode, err)) <
			    0)
				return ret;
		} else if (strcmp(key, "datapath_id") == 0 && json_is_string(v)) {
			c.has_dpid = true;
			c.dpid = strtoull(json_string_value(v), NULL, 16);
		} else if (strcmp(key, "controller_rate_limit") == 0 && json_is_integer(v)) {
			c.rate = (uint32_t)json_integer_value(v);
		} else if (strcmp(key, "controller_burst_limit") == 0 && json_is_integer(v)) {
			c.burst = (uint32_t)json_integer_value(v);
		} else {
			return vs_err_set(err, -EINVAL,
					  "\"openflow\": unknown key or bad value: %s", key);
		}
	}
	return save_apply(ob, texts, n, &c, false, err);
}

uint64_t
vs_of_datapath_id(struct vs_switch *sw, const struct vs_bridge *br)
{
	struct vs_of_bridge *ob = vs_of_bridge_get(sw, br);
	uint64_t h = 0xcbf29ce484222325ull;
	const char *p;

	if (ob != NULL && ob->dpid_set)
		return ob->dpid;
	/* The bridges have no MAC of their own: a stable one from the name
	 * (FNV-1a), locally administered and unicast (0x02 first), as the low
	 * 48 bits, the way OVS derives the datapath id from the bridge MAC. */
	for (p = br->name; *p != '\0'; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
	return (0x02ull << 40) | (h & 0xffffffffffull);
}

/* A TLS target's failures before OpenFlow (handshake, verification). */
static json_t *
with_tls(const struct vs_of_target *t, json_t *o)
{
	if (o != NULL && t->addr.kind == VS_STREAM_TLS) {
		json_object_set_new(o, "tls_errors", json_integer((json_int_t)t->tls_errors));
		json_object_set_new(o, "tls_error", json_string(t->tls_error));
	}
	return o;
}

json_t *
vs_of_bridge_json(struct vs_switch *sw, const struct vs_bridge *br)
{
	struct vs_of_bridge *ob = vs_of_bridge_get(sw, br);
	json_t *ctl;
	char dpid[24];
	unsigned int i, j;

	if (ob == NULL)
		return json_null();
	ctl = json_array();
	for (i = 0; i < ob->n_targets; i++) {
		const struct vs_of_target *t = &ob->targets[i];
		bool any = false;

		for (j = 0; j < VS_OF_SESSIONS_MAX; j++) {
			const struct vs_of_session *s = ob->sess[j];
			static const char *const roles[] = {"nochange", "equal", "master", "slave"};

			if (s == NULL || s->t != t || vs_ofconn_dead(s->conn))
				continue;
			any = true;
			json_array_append_new(
				ctl,
				with_tls(t, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I}",
						      "target", t->text, "peer", s->conn->peer,
						      "state", vs_ofconn_state_name(s->conn),
						      "role", roles[s->role & 3], "version",
						      s->conn->version ? "OpenFlow13" : "",
						      "rx_msgs", (json_int_t)s->conn->rx_msgs,
						      "tx_msgs", (json_int_t)s->conn->tx_msgs)));
		}
		if (!any)
			json_array_append_new(
				ctl,
				with_tls(t, json_pack("{s:s, s:s, s:s}", "target", t->text, "state",
						      t->passive ? (t->lfd >= 0 ? "listening"
										: "error")
								 : "backoff",
						      "error", t->error)));
	}
	snprintf(dpid, sizeof(dpid), "%016" PRIx64, vs_of_datapath_id(sw, br));
	return json_pack(
		"{s:o, s:s, s:s, s:b, s:i, s:i, s:{s:I, s:I, s:I, s:I}, s:I}", "controllers", ctl,
		"fail_mode", fail_mode_name(ob->fail_mode), "datapath_id", dpid, "fail_open",
		ob->fail_open, "controller_rate_limit", ob->rate, "controller_burst_limit",
		ob->burst, "packet_in", "sent", (json_int_t)ob->pktin_sent, "rate_limited",
		(json_int_t)ob->pktin_rate_drop, "ring_full", (json_int_t)ob->pktin_ring_drop,
		"no_controller", (json_int_t)ob->pktin_no_ctl, "dropped_not_reading",
		(json_int_t)ob->out_overflow);
}
