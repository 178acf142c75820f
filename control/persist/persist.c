/* SPDX-License-Identifier: BSD-3-Clause */
/* control/persist/persist.c: the operator's configuration, kept in memory as the
 * config file's JSON, and every change to it saved before it counts.
 *
 * A change edits a working copy (new bridge objects and port lists; the
 * flow rule arrays, large and never edited in place, are shared), writes it
 * (control/persist/persist_file.c: a temporary file, fsync, rename, the old file
 * kept as .prev) and only then replaces the current configuration; if the
 * write fails the copy is dropped and nothing changed. A copy equal to the
 * current configuration is not written at all. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "persist.h"
#include "port.h"
#include "switch.h"

static json_t *
find_named(json_t *arr, const char *name, size_t *index)
{
	json_t *e;
	size_t i;

	json_array_foreach (arr, i, e) {
		const char *n = json_string_value(json_object_get(e, "name"));

		if (n != NULL && strcmp(n, name) == 0) {
			if (index != NULL)
				*index = i;
			return e;
		}
	}
	return NULL;
}

/* "port:NAME" or "bridge:NAME": the key of an error (one static buffer:
 * the control thread only). */
static const char *
err_key(const char *kind, const char *name)
{
	static char key[VS_NAME_MAX + 16];

	snprintf(key, sizeof(key), "%s:%s", kind, name);
	return key;
}

static json_t *
bridges(const struct vs_switch *sw)
{
	return json_object_get(sw->desired, "bridges");
}

/* The bridge of 'arr' holding port 'name', and the port. */
static json_t *
find_port(json_t *arr, const char *name, json_t **br_out, size_t *index)
{
	json_t *br, *p;
	size_t i;

	json_array_foreach (arr, i, br) {
		p = find_named(json_object_get(br, "ports"), name, index);
		if (p != NULL) {
			if (br_out != NULL)
				*br_out = br;
			return p;
		}
	}
	return NULL;
}

/* ---- editing: a working copy, then saved and made current ---- */

/* A copy of the bridges to edit: the array and each bridge object are new,
 * their "ports" and "fdb" deep copies; everything else is shared and must
 * be replaced, never edited in place. */
static json_t *
edit_begin(const struct vs_switch *sw)
{
	json_t *arr = json_array(), *br, *nb;
	size_t i;

	if (arr == NULL)
		return NULL;
	json_array_foreach (bridges(sw), i, br) {
		nb = json_copy(br);
		if (nb == NULL || json_array_append_new(arr, nb) < 0)
			goto fail;
		if ((json_object_get(br, "ports") != NULL &&
		     json_object_set_new(nb, "ports",
					 json_deep_copy(json_object_get(br, "ports"))) < 0) ||
		    (json_object_get(br, "fdb") != NULL &&
		     json_object_set_new(nb, "fdb", json_deep_copy(json_object_get(br, "fdb"))) <
			     0))
			goto fail;
	}
	return arr;
fail:
	json_decref(arr);
	return NULL;
}

static json_t *
ssl_entry(const struct vs_switch *sw)
{
	return json_object_get(sw->desired, "ssl");
}

/* Save 'arr' (and 'daemon', NULL: as it is; JSON null: no "daemon"
 * section; and 'ssl' the same way) and make them current; steals all
 * three. Nothing is written if nothing changed. */
static int
commit(struct vs_switch *sw, json_t *arr, json_t *daemon, json_t *ssl, struct vs_err *err)
{
	json_t *root, *ssl_now;
	int ret;

	if (arr == NULL)
		goto nomem;
	ssl_now = ssl == NULL ? ssl_entry(sw) : json_is_null(ssl) ? NULL : ssl;
	if (json_is_null(daemon)) {
		json_decref(daemon);
		daemon = NULL;
		if (sw->cfg.daemon != NULL && (daemon = json_null()) == NULL)
			goto nomem;
	}
	if (sw->persist_diverged == NULL && json_equal(arr, bridges(sw)) &&
	    (daemon == NULL || json_equal(daemon, sw->cfg.daemon)) &&
	    (ssl_now == ssl_entry(sw) || json_equal(ssl_now, ssl_entry(sw)))) {
		json_decref(arr);
		json_decref(daemon);
		json_decref(ssl);
		return 0;
	}
	root = json_object();
	if (root == NULL)
		goto nomem;
	if (daemon != NULL ? json_is_object(daemon) : sw->cfg.daemon != NULL)
		json_object_set(root, "daemon", daemon ? daemon : sw->cfg.daemon);
	if (ssl_now != NULL)
		json_object_set(root, "ssl", ssl_now);
	json_object_set(root, "bridges", arr);
	ret = sw->cfg.config_file[0] == '\0' ? 0 : vs_persist_write(sw->cfg.config_file, root, err);
	json_decref(root);
	if (ret < 0) {
		json_decref(arr);
		json_decref(daemon);
		json_decref(ssl);
		return ret;
	}
	json_object_set_new(sw->desired, "bridges", arr);
	if (ssl_now == NULL)
		json_object_del(sw->desired, "ssl");
	else if (ssl != NULL)
		json_object_set(sw->desired, "ssl", ssl_now);
	json_decref(ssl);
	if (daemon != NULL) {
		json_decref(sw->cfg.daemon);
		sw->cfg.daemon = json_is_object(daemon) ? daemon : NULL;
		if (sw->cfg.daemon == NULL)
			json_decref(daemon);
	}
	if (sw->persist_diverged != NULL) {
		VS_LOG(NOTICE, "%s matches the running state again", sw->cfg.config_file);
		free(sw->persist_diverged);
		sw->persist_diverged = NULL;
	}
	return 0;
nomem:
	json_decref(arr);
	json_decref(daemon);
	json_decref(ssl);
	return vs_err_set(err, -ENOMEM, "out of memory saving the configuration; nothing changed");
}

static int
edit_commit(struct vs_switch *sw, json_t *arr, json_t *daemon, struct vs_err *err)
{
	return commit(sw, arr, daemon, NULL, err);
}

/* The bridge 'name' of working copy 'arr', or an error. */
static int
edit_bridge(json_t *arr, const char *name, json_t **br, struct vs_err *err)
{
	*br = arr != NULL ? find_named(arr, name, NULL) : NULL;
	if (*br == NULL) {
		json_decref(arr);
		return vs_err_set(err, -ENOENT, "bridge %s is not in the configuration", name);
	}
	return 0;
}

int
vs_persist_init(struct vs_switch *sw)
{
	json_t *copy = sw->cfg.bridges ? json_deep_copy(sw->cfg.bridges) : json_array();

	sw->desired = json_pack("{s:o}", "bridges", copy);
	if (sw->desired != NULL && json_is_object(sw->cfg.ssl))
		json_object_set_new(sw->desired, "ssl", json_deep_copy(sw->cfg.ssl));
	sw->persist_errors = json_object();
	if (sw->desired == NULL || sw->persist_errors == NULL)
		return -ENOMEM;
	if (sw->cfg.config_file[0] != '\0')
		vs_persist_clean_temporaries(sw->cfg.config_file);
	return 0;
}

void
vs_persist_fini(struct vs_switch *sw)
{
	json_decref(sw->desired);
	json_decref(sw->persist_errors);
	free(sw->persist_diverged);
	sw->desired = sw->persist_errors = NULL;
	sw->persist_diverged = NULL;
}

json_t *
vs_persist_bridge_own(const json_t *br)
{
	json_t *own = json_copy((json_t *)br);

	json_object_del(own, "ports");
	json_object_del(own, "fdb");
	json_object_del(own, "flows");
	json_object_del(own, "groups");
	json_object_del(own, "openflow");
	return own;
}

json_t *
vs_persist_entry_params(const json_t *entry, const char *bridge)
{
	json_t *params = json_copy((json_t *)entry);

	if (params != NULL && json_object_set_new(params, "bridge", json_string(bridge)) < 0) {
		json_decref(params);
		return NULL;
	}
	return params;
}

int
vs_persist_check_add(const struct vs_switch *sw, const char *kind, const json_t *params,
		     struct vs_err *err)
{
	const char *name = json_string_value(json_object_get(params, "name"));
	json_t *e, *br = NULL, *own;
	bool same, bridge;
	const char *why;

	if (name == NULL)
		return 0;
	if (strcmp(kind, "bridge") == 0) {
		e = find_named(bridges(sw), name, NULL);
		own = e ? vs_persist_bridge_own(e) : NULL;
	} else {
		e = find_port(bridges(sw), name, &br, NULL);
		own = e ? json_copy(e) : NULL;
		if (own != NULL)
			json_object_set(own, "bridge", json_object_get(br, "name"));
	}
	if (e == NULL)
		return 0;
	same = json_equal(own, (json_t *)params);
	json_decref(own);
	if (same)
		return 0;
	why = json_string_value(json_object_get(sw->persist_errors, err_key(kind, name)));
	bridge = strcmp(kind, "bridge") == 0;
	return vs_err_set(err, -EEXIST,
			  "%s %s is configured differently in %s (%s); to replace it, delete it "
			  "first with del-%s %s%s",
			  kind, name, sw->cfg.config_file, why ? why : "not created",
			  bridge ? "br" : "port", name,
			  bridge ? " (this forgets its ports, static MACs and rules)" : "");
}

int
vs_persist_bridge_add(struct vs_switch *sw, const json_t *params, struct vs_err *err)
{
	const char *name = json_string_value(json_object_get(params, "name"));
	json_t *arr = edit_begin(sw), *br;

	if (arr != NULL && find_named(arr, name, NULL) == NULL) {
		br = json_deep_copy(params);
		json_object_set_new(br, "ports", json_array());
		json_array_append_new(arr, br);
	}
	return edit_commit(sw, arr, NULL, err);
}

int
vs_persist_bridge_del(struct vs_switch *sw, const char *name, struct vs_err *err)
{
	json_t *arr = edit_begin(sw), *br, *p;
	size_t i, j;
	int ret;

	if (arr == NULL || find_named(arr, name, &i) == NULL)
		return edit_commit(sw, arr, NULL, err);
	br = json_array_get(arr, i);
	json_incref(br);
	json_array_remove(arr, i);
	ret = edit_commit(sw, arr, NULL, err);
	if (ret == 0) {
		json_array_foreach (json_object_get(br, "ports"), j, p)
			json_object_del(
				sw->persist_errors,
				err_key("port",
					json_string_value(json_object_get(p, "name")) ?: ""));
		json_object_del(sw->persist_errors, err_key("bridge", name));
		json_object_del(sw->persist_errors, err_key("flows", name));
	}
	json_decref(br);
	return ret;
}

int
vs_persist_port_add(struct vs_switch *sw, const json_t *params, struct vs_err *err)
{
	const char *name = json_string_value(json_object_get(params, "name"));
	const char *bname = json_string_value(json_object_get(params, "bridge"));
	json_t *arr = edit_begin(sw), *br, *port, *old_br, *ports;
	size_t i;
	int ret;

	if ((ret = edit_bridge(arr, bname, &br, err)) < 0)
		return ret;
	port = json_deep_copy(params);
	json_object_del(port, "bridge");
	if (find_port(arr, name, &old_br, &i) != NULL) {
		if (old_br == br &&
		    json_equal(json_array_get(json_object_get(br, "ports"), i), port)) {
			json_decref(port);
			return edit_commit(sw, arr, NULL, err); /* as configured */
		}
		json_array_remove(json_object_get(old_br, "ports"), i);
	}
	ports = json_object_get(br, "ports");
	if (ports == NULL) {
		ports = json_array();
		json_object_set_new(br, "ports", ports);
	}
	json_array_append_new(ports, port);
	return edit_commit(sw, arr, NULL, err);
}

static void
fdb_remove_if(json_t *br, const char *port, const char *mac, int vlan)
{
	json_t *fdb = json_object_get(br, "fdb"), *e;
	size_t i = 0;

	while ((e = json_array_get(fdb, i)) != NULL) {
		bool match =
			(port == NULL ||
			 strcmp(json_string_value(json_object_get(e, "port")) ?: "", port) == 0) &&
			(mac == NULL ||
			 (strcasecmp(json_string_value(json_object_get(e, "mac")) ?: "", mac) ==
				  0 &&
			  json_integer_value(json_object_get(e, "vlan")) == vlan));

		if (match)
			json_array_remove(fdb, i);
		else
			i++;
	}
	if (fdb != NULL && json_array_size(fdb) == 0)
		json_object_del(br, "fdb");
}

int
vs_persist_port_del(struct vs_switch *sw, const char *name, const json_t *flows,
		    const json_t *groups, struct vs_err *err)
{
	json_t *arr = edit_begin(sw), *br;
	size_t i;
	int ret;

	if (arr == NULL || find_port(arr, name, &br, &i) == NULL)
		return edit_commit(sw, arr, NULL, err);
	json_array_remove(json_object_get(br, "ports"), i);
	fdb_remove_if(br, name, NULL, 0);
	if (flows != NULL)
		json_object_set(br, "flows", (json_t *)flows);
	if (groups != NULL && json_array_size(groups) > 0)
		json_object_set(br, "groups", (json_t *)groups);
	else if (groups != NULL)
		json_object_del(br, "groups");
	ret = edit_commit(sw, arr, NULL, err);
	if (ret == 0)
		json_object_del(sw->persist_errors, err_key("port", name));
	return ret;
}

int
vs_persist_port_options(struct vs_switch *sw, const char *port, const struct vs_kv *kv,
			unsigned int n, struct vs_err *err)
{
	json_t *arr = edit_begin(sw), *p, *opts;
	unsigned int i;

	p = arr != NULL ? find_port(arr, port, NULL, NULL) : NULL;
	if (p == NULL) {
		json_decref(arr);
		return vs_err_set(err, -ENOENT, "port %s is not in the configuration", port);
	}
	opts = json_object_get(p, "options");
	if (opts == NULL) {
		opts = json_object();
		json_object_set_new(p, "options", opts);
	}
	for (i = 0; i < n; i++) {
		if (kv[i].val[0] == '\0')
			json_object_del(opts, kv[i].key);
		else
			json_object_set_new(opts, kv[i].key, json_string(kv[i].val));
	}
	return edit_commit(sw, arr, NULL, err);
}

/* Is 'e' the static entry port/mac/vlan? */
static bool
fdb_is(const json_t *e, const char *port, const char *mac, int vlan)
{
	return strcmp(json_string_value(json_object_get(e, "port")) ?: "", port) == 0 &&
	       strcasecmp(json_string_value(json_object_get(e, "mac")) ?: "", mac) == 0 &&
	       json_integer_value(json_object_get(e, "vlan")) == vlan;
}

int
vs_persist_fdb_add(struct vs_switch *sw, const char *bridge, const char *port, const char *mac,
		   int vlan, struct vs_err *err)
{
	json_t *arr = edit_begin(sw), *br, *fdb, *e;
	size_t i;
	int ret;

	if ((ret = edit_bridge(arr, bridge, &br, err)) < 0)
		return ret;
	json_array_foreach (json_object_get(br, "fdb"), i, e)
		if (fdb_is(e, port, mac, vlan))
			return edit_commit(sw, arr, NULL, err); /* as configured */
	fdb_remove_if(br, NULL, mac, vlan);
	fdb = json_object_get(br, "fdb");
	if (fdb == NULL) {
		fdb = json_array();
		json_object_set_new(br, "fdb", fdb);
	}
	json_array_append_new(fdb,
			      json_pack("{s:s, s:s, s:i}", "port", port, "mac", mac, "vlan", vlan));
	return edit_commit(sw, arr, NULL, err);
}

/* Remove the static entries of 'bridge' that match 'port' and 'mac'/'vlan'
 * (NULL: any). */
static int
fdb_remove(struct vs_switch *sw, const char *bridge, const char *port, const char *mac, int vlan,
	   struct vs_err *err)
{
	json_t *arr = edit_begin(sw), *br;
	int ret;

	if ((ret = edit_bridge(arr, bridge, &br, err)) < 0)
		return ret;
	fdb_remove_if(br, port, mac, vlan);
	return edit_commit(sw, arr, NULL, err);
}

int
vs_persist_fdb_del(struct vs_switch *sw, const char *bridge, const char *mac, int vlan,
		   struct vs_err *err)
{
	return fdb_remove(sw, bridge, NULL, mac, vlan, err);
}

int
vs_persist_fdb_flush(struct vs_switch *sw, const char *bridge, const char *port, struct vs_err *err)
{
	return fdb_remove(sw, bridge, port, NULL, 0, err);
}

int
vs_persist_daemon_set(struct vs_switch *sw, const json_t *settings, struct vs_err *err)
{
	json_t *daemon = sw->cfg.daemon ? json_deep_copy(sw->cfg.daemon) : json_object();

	if (daemon == NULL || json_object_update(daemon, (json_t *)settings) < 0) {
		json_decref(daemon);
		return vs_err_set(err, -ENOMEM, "out of memory");
	}
	return edit_commit(sw, edit_begin(sw), daemon, err);
}

int
vs_persist_flows(struct vs_switch *sw, const char *bridge, const json_t *flows, struct vs_err *err)
{
	json_t *arr = edit_begin(sw), *br;
	int ret;

	if ((ret = edit_bridge(arr, bridge, &br, err)) < 0)
		return ret;
	json_object_set(br, "flows", (json_t *)flows);
	return edit_commit(sw, arr, NULL, err);
}

int
vs_persist_bridge_key(struct vs_switch *sw, const char *bridge, const char *key,
		      const json_t *value, struct vs_err *err)
{
	json_t *arr = edit_begin(sw), *br;
	int ret;

	if ((ret = edit_bridge(arr, bridge, &br, err)) < 0)
		return ret;
	if (value == NULL)
		json_object_del(br, key);
	else
		json_object_set(br, key, (json_t *)value);
	return edit_commit(sw, arr, NULL, err);
}

int
vs_persist_groups(struct vs_switch *sw, const char *bridge, const json_t *groups,
		  struct vs_err *err)
{
	return vs_persist_bridge_key(sw, bridge, "groups", json_array_size(groups) ? groups : NULL,
				     err);
}

int
vs_persist_ssl(struct vs_switch *sw, const json_t *ssl, struct vs_err *err)
{
	return commit(sw, edit_begin(sw), NULL, ssl ? json_deep_copy(ssl) : json_null(), err);
}

const json_t *
vs_persist_ssl_entry(const struct vs_switch *sw)
{
	return ssl_entry(sw);
}

json_t *
vs_persist_mark(const struct vs_switch *sw)
{
	return json_pack("{s:O, s:O?, s:O?}", "bridges", bridges(sw), "daemon", sw->cfg.daemon,
			 "ssl", ssl_entry(sw));
}

void
vs_persist_restore(struct vs_switch *sw, json_t *mark)
{
	json_t *daemon = json_object_get(mark, "daemon"), *ssl = json_object_get(mark, "ssl");
	struct vs_err err;

	if (mark == NULL)
		return;
	/* A null "daemon" (or "ssl") in the mark: the file had none, and
	 * gets none. */
	if (commit(sw, json_incref(json_object_get(mark, "bridges")),
		   json_is_object(daemon) ? json_incref(daemon) : json_null(),
		   json_is_object(ssl) ? json_incref(ssl) : json_null(), &err) < 0) {
		/* The file keeps the refused change; memory must not, or the
		 * next save would write it back as if it had been made. */
		json_object_set(sw->desired, "bridges", json_object_get(mark, "bridges"));
		if (json_is_object(ssl))
			json_object_set(sw->desired, "ssl", ssl);
		else
			json_object_del(sw->desired, "ssl");
		json_decref(sw->cfg.daemon);
		sw->cfg.daemon = json_is_object(daemon) ? json_incref(daemon) : NULL;
		vs_persist_diverged(sw, err.msg);
	}
	json_decref(mark);
}

int
vs_persist_save_then_make(struct vs_switch *sw, vs_persist_step *save, vs_persist_step *make,
			  void *arg, struct vs_err *err)
{
	json_t *mark = vs_persist_mark(sw);
	int ret;

	if (mark == NULL)
		return vs_err_set(err, -ENOMEM,
				  "out of memory saving the configuration; nothing "
				  "changed");
	ret = save(sw, arg, err);
	if (ret == 0 && (ret = make(sw, arg, err)) < 0) {
		vs_persist_restore(sw, mark); /* saved but not made: unsave */
		return ret;
	}
	json_decref(mark);
	return ret;
}

bool
vs_persist_has_bridge(const struct vs_switch *sw, const char *name)
{
	return find_named(bridges(sw), name, NULL) != NULL;
}

bool
vs_persist_has_port(const struct vs_switch *sw, const char *name)
{
	return find_port(bridges(sw), name, NULL, NULL) != NULL;
}

void
vs_persist_diverged(struct vs_switch *sw, const char *why)
{
	free(sw->persist_diverged);
	sw->persist_diverged = strdup(why);
	VS_LOG(ERR, "the running state differs from %s: %s", sw->cfg.config_file, why);
}

const char *
vs_persist_divergence(const struct vs_switch *sw)
{
	return sw->persist_diverged;
}

void
vs_persist_set_error(struct vs_switch *sw, const char *what, const char *name, const char *msg)
{
	if (msg == NULL)
		json_object_del(sw->persist_errors, err_key(what, name));
	else
		json_object_set_new(sw->persist_errors, err_key(what, name), json_string(msg));
}

const json_t *
vs_persist_bridges(const struct vs_switch *sw)
{
	return bridges(sw);
}

const json_t *
vs_persist_errors(const struct vs_switch *sw)
{
	return sw->persist_errors;
}
