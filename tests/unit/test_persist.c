/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_persist.c: the actions save what they change, once, and a
 * change whose save is refused changes nothing: the static MAC actions
 * (control/bridge/bridge_fdb.c) and the settings change
 * (control/settings/settings.c), called directly as any front end would,
 * against a real config file. A save is refused by pointing the config
 * file below a regular file (ENOTDIR, which root cannot override); a change
 * that is saved but cannot be made (a full MAC table) is unsaved again. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_log.h>

#include "bridge_ctl.h"
#include "harness.h"
#include "persist.h"
#include "settings.h"
#include "switch.h"

struct fx {
	struct harness_sw *h;
	char dir[40];
	char good[128]; /* DIR/vswitchd.json */
	char bad[128];  /* DIR/file/vswitchd.json: cannot be written */
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char blocker[80];
	FILE *fp;

	harness_setup((void **)&f->h);
	snprintf(f->dir, sizeof(f->dir), "/tmp/vs-test-persist-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->good, sizeof(f->good), "%s/vswitchd.json", f->dir);
	snprintf(blocker, sizeof(blocker), "%s/file", f->dir);
	snprintf(f->bad, sizeof(f->bad), "%s/vswitchd.json", blocker);
	fp = fopen(blocker, "w");
	assert_non_null(fp);
	fclose(fp);
	snprintf(f->h->sw->cfg.config_file, sizeof(f->h->sw->cfg.config_file), "%s", f->good);
	f->h->sw->cfg.log_level = RTE_LOG_NOTICE;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	json_decref(f->h->sw->cfg.daemon); /* what the settings action saved */
	f->h->sw->cfg.daemon = NULL;
	harness_teardown((void **)&f->h);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static json_t *
saved(const struct fx *f)
{
	json_error_t jerr;
	json_t *root = json_load_file(f->good, 0, &jerr);

	assert_non_null(root);
	return root;
}

static const json_t *
saved_fdb(json_t *root)
{
	return json_object_get(json_array_get(json_object_get(root, "bridges"), 0), "fdb");
}

static struct vs_fdb_key
key_of(unsigned int i)
{
	struct vs_fdb_key k = {
		.mac = {.addr_bytes = {0x02, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i}}};
	return k;
}

/* The entry of 'k' in br0's table: its port, -1 if none; *is_static. */
static int
lookup(struct fx *f, const struct vs_fdb_key *k, bool *is_static)
{
	struct vs_bridge *br = vs_bridge_find(f->h->sw, "br0");
	struct vs_fdb_entry *e;
	const void *kp = k;

	vs_fdb_lookup_bulk(br->fdb, &kp, 1, &e);
	if (e == NULL)
		return -1;
	*is_static = e->is_static;
	return e->port;
}

static void
refuse_saves(struct fx *f, bool refuse)
{
	snprintf(f->h->sw->cfg.config_file, sizeof(f->h->sw->cfg.config_file), "%s",
		 refuse ? f->bad : f->good);
}

static void
test_fdb_actions_save_and_a_refused_save_changes_nothing(void **state)
{
	struct fx *f = *state;
	struct vs_switch *sw = f->h->sw;
	struct vs_bridge *br = vs_bridge_find(sw, "br0");
	struct vs_fdb_key k1 = key_of(1), k2 = key_of(2);
	struct vs_err err = {0};
	unsigned int n = 99;
	json_t *root, *before;
	bool st = false;

	assert_int_equal(vs_bridge_fdb_add(sw, br, "p0", &k1, false, &err), 0);
	root = saved(f);
	assert_int_equal(json_array_size(saved_fdb(root)), 1);
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(saved_fdb(root), 0), "mac")),
		"02:00:00:00:00:01");
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(saved_fdb(root), 0), "port")),
		"p0");
	json_decref(root);
	assert_int_equal(lookup(f, &k1, &st), 10);
	assert_true(st);

	refuse_saves(f, true);
	before = json_deep_copy(vs_persist_bridges(sw));
	/* Add, move, delete, flush (all, one port): each refused, none made. */
	assert_int_equal(vs_bridge_fdb_add(sw, br, "p1", &k2, false, &err), -ENOTDIR);
	assert_non_null(strstr(err.msg, "cannot save the configuration"));
	assert_int_equal(lookup(f, &k2, &st), -1);
	assert_int_equal(vs_bridge_fdb_add(sw, br, "p1", &k1, true, &err), -ENOTDIR);
	assert_int_equal(vs_bridge_fdb_del(sw, br, &k1, &err), -ENOTDIR);
	assert_int_equal(vs_bridge_fdb_flush(sw, br, NULL, &n, &err), -ENOTDIR);
	assert_int_equal(n, 0);
	assert_int_equal(vs_bridge_fdb_flush(sw, br, "p0", &n, &err), -ENOTDIR);
	assert_int_equal(lookup(f, &k1, &st), 10);
	assert_true(st);
	assert_int_equal(vs_fdb_count(br->fdb), 1);
	assert_true(json_equal(before, (json_t *)vs_persist_bridges(sw)));
	assert_null(vs_persist_divergence(sw));
	json_decref(before);

	/* Room again: the same removal goes through, table and file. */
	refuse_saves(f, false);
	assert_int_equal(vs_bridge_fdb_flush(sw, br, "p0", &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(lookup(f, &k1, &st), -1);
	root = saved(f);
	assert_null(saved_fdb(root));
	json_decref(root);
}

static void
test_fdb_add_that_cannot_be_made_is_unsaved(void **state)
{
	struct fx *f = *state;
	struct vs_switch *sw = f->h->sw;
	struct vs_bridge *br = vs_bridge_find(sw, "br0");
	struct vs_err err = {0};
	struct vs_fdb_key k;
	unsigned int i;
	struct stat a, b;
	json_t *root, *before;

	for (i = 0; i < br->mac_max; i++) {
		k = key_of(i + 1);
		assert_int_equal(vs_bridge_fdb_add(sw, br, "p0", &k, false, &err), 0);
	}
	before = saved(f);
	assert_int_equal(json_array_size(saved_fdb(before)), br->mac_max);
	assert_int_equal(stat(f->good, &a), 0);
	k = key_of(i + 1);
	/* Saved (the file had it for a moment), not made: the table is full. */
	assert_int_equal(vs_bridge_fdb_add(sw, br, "p0", &k, false, &err), -ENOSPC);
	assert_non_null(strstr(err.msg, "is full"));
	root = saved(f);
	assert_true(json_equal(root, before));
	assert_int_equal(stat(f->good, &b), 0);
	assert_int_not_equal(a.st_ino, b.st_ino); /* written twice: in, then out */
	assert_true(json_equal(json_object_get(root, "bridges"), (json_t *)vs_persist_bridges(sw)));
	assert_int_equal(vs_fdb_count(br->fdb), br->mac_max);
	json_decref(root);
	json_decref(before);
}

static void
test_settings_action_saves_and_a_refused_save_changes_nothing(void **state)
{
	struct fx *f = *state;
	struct vs_switch *sw = f->h->sw;
	json_t *on = json_pack("{s:s}", "pmd-auto-lb", "on");
	json_t *off = json_pack("{s:s, s:s}", "pmd-auto-lb", "off", "pmd-auto-lb-load", "80");
	json_t *bad = json_pack("{s:s, s:s}", "pmd-auto-lb", "off", "pmd-auto-lb-load", "500");
	struct vs_err err = {0};
	struct stat a, b;
	json_t *root;

	sw->cfg.auto_lb_load = 95;
	assert_int_equal(vs_settings_set(sw, on, &err), 0);
	assert_true(sw->cfg.auto_lb);
	root = saved(f);
	assert_true(json_equal(json_object_get(root, "daemon"), on));
	json_decref(root);

	/* A bad value: nothing is saved or made, not even the good one. */
	assert_int_equal(stat(f->good, &a), 0);
	assert_int_equal(vs_settings_set(sw, bad, &err), -ERANGE);
	assert_true(sw->cfg.auto_lb);
	assert_int_equal(stat(f->good, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);

	/* A refused save: nothing is made. */
	refuse_saves(f, true);
	assert_int_equal(vs_settings_set(sw, off, &err), -ENOTDIR);
	assert_non_null(strstr(err.msg, "cannot save the configuration"));
	assert_true(sw->cfg.auto_lb);
	assert_int_equal(sw->cfg.auto_lb_load, 95);
	assert_true(json_equal(sw->cfg.daemon, on));
	assert_null(vs_persist_divergence(sw));

	refuse_saves(f, false);
	assert_int_equal(vs_settings_set(sw, off, &err), 0);
	assert_false(sw->cfg.auto_lb);
	assert_int_equal(sw->cfg.auto_lb_load, 80);
	root = saved(f);
	assert_true(json_equal(json_object_get(root, "daemon"), off));
	json_decref(root);
	json_decref(on);
	json_decref(off);
	json_decref(bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_fdb_actions_save_and_a_refused_save_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fdb_add_that_cannot_be_made_is_unsaved, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_settings_action_saves_and_a_refused_save_changes_nothing, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, harness_group_setup, NULL);
}
