/* SPDX-License-Identifier: BSD-3-Clause */
/* control/persist.c: the operator's configuration, kept in memory as the
 * config file's JSON and written back atomically (a temporary file, fsync,
 * rename, fsync of the directory): a crash leaves the old file or the new
 * one, never half of one. The "daemon" object is written back as it was
 * read; only bridges, ports and static MACs change here. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "persist.h"
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

/* The bridge holding port 'name', and the port. */
static json_t *
find_port(const struct vs_switch *sw, const char *name, json_t **br_out, size_t *index)
{
	json_t *br, *p;
	size_t i;

	json_array_foreach (bridges(sw), i, br) {
		p = find_named(json_object_get(br, "ports"), name, index);
		if (p != NULL) {
			if (br_out != NULL)
				*br_out = br;
			return p;
		}
	}
	return NULL;
}

static int
mkdir_parent(const char *path)
{
	char dir[PATH_MAX], *p;

	snprintf(dir, sizeof(dir), "%s", path);
	p = strrchr(dir, '/');
	if (p == NULL || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int
write_all(int fd, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
save(struct vs_switch *sw)
{
	const char *path = sw->cfg.config_file;
	char tmp[PATH_MAX + 32], dir[PATH_MAX];
	json_t *root;
	char *text;
	int fd, dfd, ret = 0;

	if (sw->applying || path[0] == '\0')
		return 0;
	ret = mkdir_parent(path);
	if (ret < 0)
		goto fail;
	root = json_object();
	if (sw->cfg.daemon != NULL)
		json_object_set(root, "daemon", sw->cfg.daemon);
	json_object_set(root, "bridges", bridges(sw));
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = -errno;
		json_decref(root);
		goto fail;
	}
	/* One string, one write: json_dumpfd writes token by token, a system
	 * call each, and a table of 100,000 flow rules is a million tokens. */
	text = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	if (text == NULL || write_all(fd, text) < 0 || write(fd, "\n", 1) != 1 || fsync(fd) < 0)
		ret = errno ? -errno : -EIO;
	free(text);
	close(fd);
	if (ret == 0 && rename(tmp, path) < 0)
		ret = -errno;
	if (ret < 0) {
		unlink(tmp);
		goto fail;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	VS_LOG(ERR,
	       "cannot save the configuration to %s: %s; the change is live but would "
	       "not survive a restart",
	       path, strerror(-ret));
	return ret;
}

int
vs_persist_init(struct vs_switch *sw)
{
	json_t *copy = sw->cfg.bridges ? json_deep_copy(sw->cfg.bridges) : json_array();

	sw->desired = json_pack("{s:o}", "bridges", copy);
	sw->persist_errors = json_object();
	return sw->desired != NULL && sw->persist_errors != NULL ? 0 : -ENOMEM;
}

void
vs_persist_fini(struct vs_switch *sw)
{
	json_decref(sw->desired);
	json_decref(sw->persist_errors);
	sw->desired = sw->persist_errors = NULL;
}

void
vs_persist_bridge_add(struct vs_switch *sw, const json_t *params)
{
	const char *name = json_string_value(json_object_get(params, "name"));
	json_t *br;
	size_t i;

	if (sw->applying)
		return;
	if (find_named(bridges(sw), name, &i) != NULL)
		json_array_remove(bridges(sw), i);
	br = json_deep_copy(params);
	json_object_set_new(br, "ports", json_array());

	json_array_append_new(bridges(sw), br);
	save(sw);
}

void
vs_persist_bridge_del(struct vs_switch *sw, const char *name)
{
	json_t *br;
	size_t i, j;

	if (sw->applying)
		return;
	if (find_named(bridges(sw), name, &i) == NULL)
		return;
	br = json_array_get(bridges(sw), i);
	for (j = 0; j < json_array_size(json_object_get(br, "ports")); j++)
		json_object_del(
			sw->persist_errors,
			err_key("port",
				json_string_value(json_object_get(
					json_array_get(json_object_get(br, "ports"), j), "name"))
					?: ""));
	json_object_del(sw->persist_errors, err_key("bridge", name));
	json_array_remove(bridges(sw), i);
	save(sw);
}

void
vs_persist_port_add(struct vs_switch *sw, const json_t *params)
{
	const char *name = json_string_value(json_object_get(params, "name"));
	const char *bname = json_string_value(json_object_get(params, "bridge"));
	json_t *br = find_named(bridges(sw), bname, NULL), *port, *old_br;
	size_t i;

	if (sw->applying || br == NULL)
		return;
	if (find_port(sw, name, &old_br, &i) != NULL)
		json_array_remove(json_object_get(old_br, "ports"), i);
	port = json_deep_copy(params);
	json_object_del(port, "bridge");
	if (json_object_get(br, "ports") == NULL)
		json_object_set_new(br, "ports", json_array());
	json_array_append_new(json_object_get(br, "ports"), port);
	save(sw);
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
}

void
vs_persist_port_del(struct vs_switch *sw, const char *name)
{
	json_t *br;
	size_t i;

	if (sw->applying || find_port(sw, name, &br, &i) == NULL)
		return;
	json_array_remove(json_object_get(br, "ports"), i);
	fdb_remove_if(br, name, NULL, 0);
	json_object_del(sw->persist_errors, err_key("port", name));
	save(sw);
}

void
vs_persist_fdb_add(struct vs_switch *sw, const char *bridge, const char *port, const char *mac,
		   int vlan)
{
	json_t *br = find_named(bridges(sw), bridge, NULL);

	if (sw->applying || br == NULL)
		return;
	fdb_remove_if(br, NULL, mac, vlan);
	if (json_object_get(br, "fdb") == NULL)
		json_object_set_new(br, "fdb", json_array());
	json_array_append_new(json_object_get(br, "fdb"),
			      json_pack("{s:s, s:s, s:i}", "port", port, "mac", mac, "vlan", vlan));
	save(sw);
}

void
vs_persist_fdb_del(struct vs_switch *sw, const char *bridge, const char *mac, int vlan)
{
	json_t *br = find_named(bridges(sw), bridge, NULL);

	if (sw->applying || br == NULL)
		return;
	fdb_remove_if(br, NULL, mac, vlan);
	save(sw);
}

void
vs_persist_fdb_flush(struct vs_switch *sw, const char *bridge, const char *port)
{
	json_t *br = find_named(bridges(sw), bridge, NULL);

	if (sw->applying || br == NULL || json_object_get(br, "fdb") == NULL)
		return;
	if (port == NULL)
		json_object_del(br, "fdb");
	else
		fdb_remove_if(br, port, NULL, 0);
	save(sw);
}

bool
vs_persist_has_bridge(const struct vs_switch *sw, const char *name)
{
	return find_named(bridges(sw), name, NULL) != NULL;
}

bool
vs_persist_has_port(const struct vs_switch *sw, const char *name)
{
	return find_port(sw, name, NULL, NULL) != NULL;
}

void
vs_persist_set_error(struct vs_switch *sw, const char *what, const char *name, const char *msg)
{
	if (msg == NULL)
		json_object_del(sw->persist_errors, err_key(what, name));
	else
		json_object_set_new(sw->persist_errors, err_key(what, name), json_string(msg));
}

void
vs_persist_daemon_set(struct vs_switch *sw, const char *key, const char *value)
{
	if (sw->cfg.daemon == NULL)
		sw->cfg.daemon = json_object();
	json_object_set_new(sw->cfg.daemon, key, json_string(value));
	save(sw);
}

void
vs_persist_port_options(struct vs_switch *sw, const char *port, const char *key, const char *value)
{
	json_t *p = find_port(sw, port, NULL, NULL), *opts;

	if (p == NULL)
		return;
	opts = json_object_get(p, "options");
	if (opts == NULL) {
		opts = json_object();
		json_object_set_new(p, "options", opts);
	}
	if (value[0] == '\0')
		json_object_del(opts, key);
	else
		json_object_set_new(opts, key, json_string(value));
	save(sw);
}

void
vs_persist_flows(struct vs_switch *sw, const char *bridge, json_t *flows)
{
	json_t *br = find_named(bridges(sw), bridge, NULL);

	if (sw->applying || br == NULL) {
		json_decref(flows);
		return;
	}
	json_object_set_new(br, "flows", flows);
	save(sw);
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
