/* SPDX-License-Identifier: BSD-3-Clause */
/* control/persist/persist.h: the configuration as the operator built it.
 *
 * Bridges, their ports, static MAC entries, flow rules and run-time daemon
 * settings, in the config file's JSON shape (docs/cli.md). The actions
 * every front end calls (control/bridge/bridge_ctl.h, control/flow/
 * flow_table.h, control/settings/settings.h) save here, so each change is
 * saved before it is reported done, whoever asked for it: each
 * vs_persist_* call builds the new configuration, writes it to the config
 * file atomically (the previous file kept as FILE.prev) and only then makes
 * it current. One that cannot be saved returns an error and leaves both the
 * file and the configuration in memory as they were; its caller then leaves
 * (or puts back) the running state as it was, so a refused change changes
 * nothing. A change that leaves the configuration as it is writes nothing,
 * which is why the config loader can replay the file through the same
 * actions without rewriting it.
 *
 * What the config file asks for but could not be created (a missing device,
 * a key this version does not know) stays in it exactly as written, with its
 * error, until the operator deletes it: neither a restart nor a later change
 * forgets configuration. */
#ifndef VS_PERSIST_H
#define VS_PERSIST_H

#include <stdbool.h>
#include <jansson.h>

#include "err.h"

struct vs_switch;
struct vs_kv;

/* From the config file's "bridges" (may be NULL); removes the temporary
 * files of saves a crash interrupted. */
int vs_persist_init(struct vs_switch *sw);
void vs_persist_fini(struct vs_switch *sw);

/* Record a change (entries in the config file's shape, as the JSON-RPC
 * methods take them) and save it.
 * Each returns 0 (saved, or nothing to save) or a negative errno with the
 * reason in 'err'; on failure nothing changed. */
int vs_persist_bridge_add(struct vs_switch *sw, const json_t *params, struct vs_err *err);
int vs_persist_bridge_del(struct vs_switch *sw, const char *name, struct vs_err *err);
int vs_persist_port_add(struct vs_switch *sw, const json_t *params, struct vs_err *err);
/* Removes the port, its static MAC entries and, if 'flows' is not NULL, sets
 * its bridge's rules to 'flows' (the rules that did not name it), and if
 * 'groups' is not NULL its groups to 'groups' (without the buckets that
 * named it; an empty array: no "groups"), at once. */
int vs_persist_port_del(struct vs_switch *sw, const char *name, const json_t *flows,
			const json_t *groups, struct vs_err *err);
int vs_persist_port_options(struct vs_switch *sw, const char *port, const struct vs_kv *kv,
			    unsigned int n, struct vs_err *err);
int vs_persist_fdb_add(struct vs_switch *sw, const char *bridge, const char *port, const char *mac,
		       int vlan, struct vs_err *err);
int vs_persist_fdb_del(struct vs_switch *sw, const char *bridge, const char *mac, int vlan,
		       struct vs_err *err);
/* port NULL: all static entries of the bridge. */
int vs_persist_fdb_flush(struct vs_switch *sw, const char *bridge, const char *port,
			 struct vs_err *err);
/* Run-time daemon settings (vswitchctl set), { key: text }, kept in the
 * "daemon" section. */
int vs_persist_daemon_set(struct vs_switch *sw, const json_t *settings, struct vs_err *err);
/* A bridge's flow rules, as their text. No "flows" in a bridge means the
 * default table. */
int vs_persist_flows(struct vs_switch *sw, const char *bridge, const json_t *flows,
		     struct vs_err *err);
/* One key of a bridge's entry that no other function owns ("openflow":
 * its controllers, fail mode...), set to 'value' (NULL: removed). Not
 * part of bridge.add's parameters (vs_persist_bridge_own drops it). */
int vs_persist_bridge_key(struct vs_switch *sw, const char *bridge, const char *key,
			  const json_t *value, struct vs_err *err);

/* The switch's TLS files (set-ssl: { private_key, certificate, ca_cert }),
 * the config file's "ssl"; NULL: removed. And the entry as saved (NULL:
 * none; borrowed). */
int vs_persist_ssl(struct vs_switch *sw, const json_t *ssl, struct vs_err *err);
const json_t *vs_persist_ssl_entry(const struct vs_switch *sw);

/* A bridge's OpenFlow groups (the operator's), as their text; none: no
 * "groups". */
int vs_persist_groups(struct vs_switch *sw, const char *bridge, const json_t *groups,
		      struct vs_err *err);

/* For a change saved before it is made (a deletion, a setting): the
 * configuration as it is now, and, if the running change then fails, the
 * same put back (and saved). A mark must be restored or dropped with
 * json_decref. If the file cannot be put back, the running state is marked
 * as differing from it (vs_persist_divergence). */
json_t *vs_persist_mark(const struct vs_switch *sw);
void vs_persist_restore(struct vs_switch *sw, json_t *mark);

/* A change saved before it is made (a setting, a port's options, a static
 * MAC entry): 'save' records it (a vs_persist_* call), then 'make' makes
 * it; if 'make' fails, the configuration and the file are put back as they
 * were (vs_persist_restore). Both or neither: the one place the actions
 * mark, save, make and restore. Returns what failed, or 0. */
typedef int vs_persist_step(struct vs_switch *sw, void *arg, struct vs_err *err);
int vs_persist_save_then_make(struct vs_switch *sw, vs_persist_step *save, vs_persist_step *make,
			      void *arg, struct vs_err *err);

/* Before adding a bridge or port of this name that is configured but was
 * not created: -EEXIST unless 'params' say what the configuration says, so
 * an add never overwrites an entry the daemon could not apply. */
int vs_persist_check_add(const struct vs_switch *sw, const char *kind, const json_t *params,
			 struct vs_err *err);

/* A configured bridge's own settings (a new object): the entry without its
 * "ports", "fdb" and "flows", i.e. bridge.add's parameters. */
json_t *vs_persist_bridge_own(const json_t *br);

/* A port's or a static MAC's entry as its method (port.add, fdb.add) takes
 * it: a new object, the entry and the name of the bridge it is under.
 * NULL: out of memory. */
json_t *vs_persist_entry_params(const json_t *entry, const char *bridge);

/* Configured but not created: is this bridge or port only in the config?
 * Removing it from the config is then all there is to delete it. */
bool vs_persist_has_bridge(const struct vs_switch *sw, const char *name);
bool vs_persist_has_port(const struct vs_switch *sw, const char *name);

/* The running state no longer matches the saved configuration, because a
 * refused change could not be fully put back ('why'); show reports it until
 * the next successful save. */
void vs_persist_diverged(struct vs_switch *sw, const char *why);
/* NULL, or why the running state differs from the config file. */
const char *vs_persist_divergence(const struct vs_switch *sw);

/* Why a configured object could not be created at start (NULL: it was). */
void vs_persist_set_error(struct vs_switch *sw, const char *what, const char *name,
			  const char *msg);
/* The configured bridges, for show; and the errors by "bridge:NAME" or
 * "port:NAME". Borrowed references. */
const json_t *vs_persist_bridges(const struct vs_switch *sw);
const json_t *vs_persist_errors(const struct vs_switch *sw);

/* control/persist/persist_file.c: write 'root' to 'path' atomically, keeping the
 * file it replaces as PATH.prev. 0 or a negative errno (with 'err' set). */
int vs_persist_write(const char *path, const json_t *root, struct vs_err *err);
/* Remove PATH.tmp.* files of saves that a crash (kill -9) interrupted: their
 * process is gone. */
void vs_persist_clean_temporaries(const char *path);

#endif
