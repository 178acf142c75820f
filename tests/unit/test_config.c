/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/unit/test_config.c: daemon options (control/config/config.c) from the
 * command line, the environment and the config file, CPU lists
 * (base/cpuset.c), and the EAL arguments they produce. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "cpuset.h"
#include "harness.h"

static int
load(struct vs_config *cfg, struct vs_err *err, ...)
{
	char *argv[32] = {"vswitchd"};
	int argc = 1, ret;
	va_list ap;
	char *a;

	va_start(ap, err);
	while ((a = va_arg(ap, char *)) != NULL)
		argv[argc++] = a;
	va_end(ap);
	ret = vs_config_load(cfg, argc, argv, err);
	return ret;
}

static void
test_cpu_lists_and_masks_parse(void **state)
{
	struct vs_err err;
	cpu_set_t s;
	char buf[64];

	assert_int_equal(vs_cpuset_parse("1,3-5", &s, &err), 0);
	assert_int_equal(CPU_COUNT(&s), 4);
	assert_true(CPU_ISSET(1, &s) && CPU_ISSET(5, &s) && !CPU_ISSET(2, &s));
	vs_cpuset_format(&s, buf, sizeof(buf));
	assert_string_equal(buf, "1,3-5");
	assert_int_equal(vs_cpuset_parse("0x3a", &s, &err), 0);
	vs_cpuset_format(&s, buf, sizeof(buf));
	assert_string_equal(buf, "1,3-5");
	assert_int_equal(vs_cpuset_parse("7", &s, &err), 0);
	vs_cpuset_format(&s, buf, sizeof(buf));
	assert_string_equal(buf, "7");
}

static void
test_bad_cpu_lists_are_explained(void **state)
{
	static const char *const bad[] = {"", "5-3", "a", "1,,2", "1-", "0xzz", "99999", "1;2"};
	struct vs_err err;
	cpu_set_t s;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		assert_true(vs_cpuset_parse(bad[i], &s, &err) < 0);
		assert_true(strlen(err.msg) > 10);
	}
}

static void
test_defaults_suit_a_small_machine(void **state)
{
	struct vs_config cfg;
	struct vs_err err;

	unsetenv("VSWITCH_RUNDIR");
	assert_int_equal(load(&cfg, &err, "--pmd-cpus", "1", "--main-cpu", "0", NULL), 0);
	assert_string_equal(cfg.rundir, "/run/vswitch");
	assert_string_equal(cfg.sock_path, "/run/vswitch/vswitchd.sock");
	assert_string_equal(cfg.file_prefix, "vswitch");
	assert_int_equal(cfg.n_mbufs, VS_MBUFS_DEFAULT);
	assert_string_equal(cfg.socket_mem, "");
	vs_config_free(&cfg);
}

static void
test_rundir_gives_its_own_file_prefix(void **state)
{
	struct vs_config a, b;
	struct vs_err err;

	assert_int_equal(load(&a, &err, "--rundir", "/tmp/x1/", "--pmd-cpus", "1", NULL), 0);
	assert_int_equal(load(&b, &err, "--rundir", "/tmp/x2", "--pmd-cpus", "1", NULL), 0);
	assert_string_equal(a.sock_path, "/tmp/x1/vswitchd.sock");
	assert_string_not_equal(a.file_prefix, b.file_prefix);
	assert_int_equal(strncmp(a.file_prefix, "vswitch-", 8), 0);
}

static void
test_environment_sets_rundir_and_command_line_wins(void **state)
{
	struct vs_config cfg;
	struct vs_err err;

	setenv("VSWITCH_RUNDIR", "/tmp/from-env", 1);
	assert_int_equal(load(&cfg, &err, "--pmd-cpus", "1", NULL), 0);
	assert_string_equal(cfg.rundir, "/tmp/from-env");
	assert_int_equal(load(&cfg, &err, "--rundir", "/tmp/from-argv", "--pmd-cpus", "1", NULL),
			 0);
	assert_string_equal(cfg.rundir, "/tmp/from-argv");
	unsetenv("VSWITCH_RUNDIR");
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_config_file_daemon_section_and_bridges(void **state)
{
	char path[64];
	struct vs_config cfg;
	struct vs_err err;

	snprintf(path, sizeof(path), "/tmp/vs-unit-cfg-%d.json", (int)getpid());
	write_file(path, "{\"daemon\": {\"rundir\": \"/tmp/filedir\", \"mbufs\": 8191, "
			 "\"pmd-cpus\": \"1\", \"no-huge\": true},"
			 " \"bridges\": [{\"name\": \"br0\"}]}");
	assert_int_equal(load(&cfg, &err, "--config", path, "--mbufs", "4095", NULL), 0);
	assert_string_equal(cfg.rundir, "/tmp/filedir");
	assert_int_equal(cfg.n_mbufs, 4095); /* the command line wins */
	assert_true(cfg.no_huge);
	assert_int_equal(json_array_size(cfg.bridges), 1);
	vs_config_free(&cfg);

	write_file(path, "{\"daemon\": {\"pmd_cpus\": \"1\"}}");
	assert_int_equal(load(&cfg, &err, "--config", path, NULL), -EINVAL);
	assert_non_null(strstr(err.msg, "unknown daemon setting \"pmd_cpus\""));

	/* --config says where the file is: not a setting inside it. */
	write_file(path, "{\"daemon\": {\"config\": \"/tmp/other.json\"}}");
	assert_int_equal(load(&cfg, &err, "--config", path, NULL), -EINVAL);
	assert_non_null(strstr(err.msg, "unknown daemon setting \"config\""));

	write_file(path, "{\"daemon\": {\"mbufs\": \"lots\"}}");
	assert_true(load(&cfg, &err, "--config", path, NULL) < 0);
	assert_non_null(strstr(err.msg, "--mbufs"));

	write_file(path, "{\"bridges\": [}");
	assert_int_equal(load(&cfg, &err, "--config", path, NULL), -EINVAL);
	assert_non_null(strstr(err.msg, "line 1"));

	assert_true(load(&cfg, &err, "--config", "/nonexistent/x.json", NULL) < 0);
	unlink(path);
}

static void
test_cpus_outside_the_affinity_are_refused(void **state)
{
	struct vs_config cfg;
	struct vs_err err;

	/* Sharing the main CPU is allowed (a two-CPU machine needs it to run
	 * two PMDs), and warned about at start. */
	assert_int_equal(load(&cfg, &err, "--main-cpu", "1", "--pmd-cpus", "1", NULL), 0);
	vs_config_free(&cfg);
	assert_int_equal(load(&cfg, &err, "--pmd-cpus", "1000", NULL), -EINVAL);
	assert_non_null(strstr(err.msg, "not one of the CPUs"));
}

static void
test_bad_options_are_explained(void **state)
{
	struct vs_config cfg;
	struct vs_err err;

	assert_int_equal(load(&cfg, &err, "--frobnicate", NULL), -EINVAL);
	assert_non_null(strstr(err.msg, "unknown option '--frobnicate'"));
	assert_int_equal(load(&cfg, &err, "--rundir", NULL), -EINVAL);
	assert_non_null(strstr(err.msg, "needs a value"));
	assert_int_equal(load(&cfg, &err, "--rundir", "relative", NULL), -EINVAL);
	assert_int_equal(load(&cfg, &err, "--socket-mem", "lots", NULL), -EINVAL);
	assert_int_equal(load(&cfg, &err, "--log-level", "chatty", NULL), -EINVAL);
	assert_int_equal(load(&cfg, &err, "stray", NULL), -EINVAL);
	assert_int_equal(load(&cfg, &err, "--help", NULL), 1);
}

#define HELP_COL 26 /* where --help's descriptions start */

static unsigned int
count_char(const char *s, char c)
{
	unsigned int n = 0;

	while ((s = strchr(s, c)) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* --help: within 80 columns; each option's name in the left column with
 * two spaces at least before its description (or on a line of its own when
 * too long), every description line starting at the same column. */
static void
test_help_keeps_names_and_descriptions_apart(void **state)
{
	char *text = NULL, *line, *save = NULL;
	size_t size = 0;
	bool in_options = false, want_text = false;
	unsigned int n_opts = 0;
	FILE *f = open_memstream(&text, &size);

	assert_non_null(f);
	vs_config_usage(f);
	fclose(f);
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(line), lead = strspn(line, " ");

		assert_true(len <= 80);
		if (strcmp(line, "Options:") == 0) {
			in_options = true;
			continue;
		}
		if (!in_options || lead == 0)
			continue;
		if (want_text || (lead > 2 && line[2] != '-')) {
			/* The rest of a description, or one after a long name. */
			assert_int_equal(lead, HELP_COL);
			want_text = false;
			continue;
		}
		assert_int_equal(lead, 2);
		assert_int_equal(line[2], '-');
		n_opts++;
		if (len <= HELP_COL || line[HELP_COL - 2] != ' ' || line[HELP_COL - 1] != ' ') {
			/* A name too long for the column, alone: "--name ARG"
			 * and nothing more, the text on the next line. */
			assert_true(count_char(line + 2, ' ') <= 1);
			assert_true(len + 2 > HELP_COL);
			want_text = true;
			continue;
		}
		/* "  --name ARG", spaces up to the column, the description. */
		assert_true(line[HELP_COL] != ' ');
	}
	assert_false(want_text);
	assert_true(n_opts >= 25); /* every option, --help and --version */
	free(text);
}

static bool
has_arg(char **argv, int argc, const char *a, const char *next)
{
	int i;

	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], a) == 0 &&
		    (next == NULL || (i + 1 < argc && strcmp(argv[i + 1], next) == 0)))
			return true;
	return false;
}

static void
test_eal_arguments_follow_the_options(void **state)
{
	struct vs_config cfg;
	struct vs_err err;
	char **argv;
	int argc;

	assert_int_equal(load(&cfg, &err, "--main-cpu", "0", "--pmd-cpus", "1", "--file-prefix",
			      "fp", "--socket-mem", "128", "--huge-dir", "/mnt/huge", "--eal-args",
			      "--no-pci  --vdev=net_null0", NULL),
			 0);
	assert_int_equal(vs_config_eal_argv(&cfg, &argv, &argc), 0);
	/* The control thread is lcore 127 on CPU 0; PMDs may use lcore N on CPU N. */
	assert_true(has_arg(argv, argc, "--main-lcore", "127"));
	assert_true(has_arg(argv, argc, "--lcores", NULL));
	assert_true(has_arg(argv, argc, "--file-prefix", "fp"));
	assert_true(has_arg(argv, argc, "--socket-mem", "128"));
	assert_true(has_arg(argv, argc, "--huge-dir", "/mnt/huge"));
	assert_true(has_arg(argv, argc, "--no-pci", NULL));
	assert_true(has_arg(argv, argc, "--vdev=net_null0", NULL));
	assert_null(argv[argc]);
	vs_config_eal_free(argv, argc);

	assert_int_equal(load(&cfg, &err, "--pmd-cpus", "1", "--no-huge", NULL), 0);
	assert_int_equal(vs_config_eal_argv(&cfg, &argv, &argc), 0);
	assert_true(has_arg(argv, argc, "--no-huge", NULL));
	assert_true(has_arg(argv, argc, "-m", "512"));
	vs_config_eal_free(argv, argc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_lists_and_masks_parse),
		cmocka_unit_test(test_bad_cpu_lists_are_explained),
		cmocka_unit_test(test_defaults_suit_a_small_machine),
		cmocka_unit_test(test_rundir_gives_its_own_file_prefix),
		cmocka_unit_test(test_environment_sets_rundir_and_command_line_wins),
		cmocka_unit_test(test_config_file_daemon_section_and_bridges),
		cmocka_unit_test(test_cpus_outside_the_affinity_are_refused),
		cmocka_unit_test(test_bad_options_are_explained),
		cmocka_unit_test(test_help_keeps_names_and_descriptions_apart),
		cmocka_unit_test(test_eal_arguments_follow_the_options),
	};
	cpu_set_t two;

	/* The tests assume CPUs 0 and 1 may be used. */
	CPU_ZERO(&two);
	CPU_SET(0, &two);
	CPU_SET(1, &two);
	if (sched_setaffinity(0, sizeof(two), &two) < 0) {
		fprintf(stderr, "needs CPUs 0 and 1\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
