/* SPDX-License-Identifier: BSD-3-Clause */
/* control/config/config.c: one table of daemon options, read from the config file
 * and the command line alike, and defaults that suit a small machine (one
 * main CPU, one PMD CPU). The EAL arguments they imply are made in
 * control/config/config_eal.c. */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_build_config.h>
#include <rte_log.h>

#include "config.h"
#include "cpuset.h"
#include "log.h"

typedef int opt_set_fn(struct vs_config *cfg, const char *v, struct vs_err *err);

/* One daemon option: a command line option "--NAME [ARG]" and, unless
 * 'cmdline_only', a key of the config file's "daemon" object. --help is
 * formatted from this table, and docs/cli.md's copy of --help is checked
 * against it (tests/e2e/test_lifecycle.py). */
struct opt {
	const char *name;
	const char *arg;   /* what the value looks like in --help; NULL: takes none */
	opt_set_fn *set;   /* takes the value ("" for an option without one) */
	const char *help;  /* lines of the description, '\n'-separated */
	bool runtime;      /* vswitchctl set can change it while running */
	bool cmdline_only; /* not a config file "daemon" key */
};

static int
set_str(char *dst, size_t size, const char *name, const char *v, struct vs_err *err)
{
	if (strlen(v) >= size)
		return vs_err_set(err, -ENAMETOOLONG, "--%s: '%s' is too long (at most %zu bytes)",
				  name, v, size - 1);
	strcpy(dst, v);
	return 0;
}

static int
set_u32(uint32_t *dst, const char *name, const char *v, uint32_t lo, uint32_t hi,
	struct vs_err *err)
{
	unsigned long long x;
	char *end;

	errno = 0;
	x = strtoull(v, &end, 0);
	if (errno != 0 || end == v || *end != '\0' || x < lo || x > hi)
		return vs_err_set(err, -ERANGE, "--%s: '%s' is not a number from %u to %u", name, v,
				  lo, hi);
	*dst = (uint32_t)x;
	return 0;
}

static int
set_bool(bool *dst, const char *name, const char *v, struct vs_err *err)
{
	static const char *const yes[] = {"on", "true", "yes", "1", ""}, *const no[] = {"off",
											"false",
											"no", "0"};
	unsigned int i;

	for (i = 0; i < RTE_DIM(yes); i++)
		if (strcmp(v, yes[i]) == 0) {
			*dst = true;
			return 0;
		}
	for (i = 0; i < RTE_DIM(no); i++)
		if (strcmp(v, no[i]) == 0) {
			*dst = false;
			return 0;
		}
	return vs_err_set(err, -EINVAL, "--%s: '%s' is not on or off", name, v);
}

static int
opt_rundir(struct vs_config *c, const char *v, struct vs_err *e)
{
	if (v[0] != '/')
		return vs_err_set(e, -EINVAL, "--rundir: '%s' must be an absolute path", v);
	return set_str(c->rundir, sizeof(c->rundir), "rundir", v, e);
}

static int
opt_config(struct vs_config *c, const char *v, struct vs_err *e)
{
	c->config_explicit = true;
	return set_str(c->config_file, sizeof(c->config_file), "config", v, e);
}

static int
opt_check_config(struct vs_config *c, const char *v, struct vs_err *e)
{
	c->check_only = true;
	return opt_config(c, v, e);
}

static int
opt_vhost_dir(struct vs_config *c, const char *v, struct vs_err *e)
{
	if (v[0] != '/')
		return vs_err_set(e, -EINVAL, "--vhost-sock-dir: '%s' must be an absolute path", v);
	return set_str(c->vhost_dir, sizeof(c->vhost_dir), "vhost-sock-dir", v, e);
}

static int
opt_vhost_allow(struct vs_config *c, const char *v, struct vs_err *e)
{
	return set_str(c->vhost_allow, sizeof(c->vhost_allow), "vhost-allow-dirs", v, e);
}

static int
opt_vhost_mode(struct vs_config *c, const char *v, struct vs_err *e)
{
	char *end;
	unsigned long m = strtoul(v, &end, 8);

	if (end == v || *end != '\0' || m > 0777)
		return vs_err_set(e, -EINVAL,
				  "--vhost-sock-mode: '%s' is not an octal mode like "
				  "0660",
				  v);
	c->vhost_mode = (unsigned int)m;
	return 0;
}

static int
opt_vhost_owner(struct vs_config *c, const char *v, struct vs_err *e)
{
	struct passwd *pw = getpwnam(v);
	char *end;
	long id = strtol(v, &end, 10);

	if (pw != NULL)
		c->vhost_uid = (int)pw->pw_uid;
	else if (end != v && *end == '\0' && id >= 0)
		c->vhost_uid = (int)id;
	else
		return vs_err_set(e, -EINVAL, "--vhost-sock-owner: no user '%s'", v);
	return 0;
}

static int
opt_vhost_group(struct vs_config *c, const char *v, struct vs_err *e)
{
	struct group *gr = getgrnam(v);
	char *end;
	long id = strtol(v, &end, 10);

	if (gr != NULL)
		c->vhost_gid = (int)gr->gr_gid;
	else if (end != v && *end == '\0' && id >= 0)
		c->vhost_gid = (int)id;
	else
		return vs_err_set(e, -EINVAL, "--vhost-sock-group: no group '%s'", v);
	return 0;
}

static int
opt_pmd_cpus(struct vs_config *c, const char *v, struct vs_err *e)
{
	int ret = vs_cpuset_parse(v, &c->pmd_cpus, e);

	if (ret < 0)
		return vs_err_prefix(e, "--pmd-cpus: ");
	c->pmd_cpus_set = true;
	return 0;
}

static int
opt_main_cpu(struct vs_config *c, const char *v, struct vs_err *e)
{
	uint32_t cpu;
	int ret = set_u32(&cpu, "main-cpu", v, 0, CPU_SETSIZE - 1, e);

	if (ret == 0)
		c->main_cpu = (int)cpu;
	return ret;
}

static int
opt_socket_mem(struct vs_config *c, const char *v, struct vs_err *e)
{
	if (v[0] == '\0' || strspn(v, "0123456789,") != strlen(v))
		return vs_err_set(e, -EINVAL,
				  "--socket-mem: '%s' is not megabytes per NUMA node, like 256 "
				  "or 256,256",
				  v);
	return set_str(c->socket_mem, sizeof(c->socket_mem), "socket-mem", v, e);
}

static int
opt_file_prefix(struct vs_config *c, const char *v, struct vs_err *e)
{
	if (v[0] == '\0' || strchr(v, '/') != NULL)
		return vs_err_set(e, -EINVAL,
				  "--file-prefix: '%s' must be a non-empty name "
				  "without '/'",
				  v);
	return set_str(c->file_prefix, sizeof(c->file_prefix), "file-prefix", v, e);
}

static int
opt_huge_dir(struct vs_config *c, const char *v, struct vs_err *e)
{
	return set_str(c->huge_dir, sizeof(c->huge_dir), "huge-dir", v, e);
}

static int
opt_mbufs(struct vs_config *c, const char *v, struct vs_err *e)
{
	return set_u32(&c->n_mbufs, "mbufs", v, 1024, 1u << 24, e);
}

static int
opt_no_huge(struct vs_config *c, const char *v, struct vs_err *e)
{
	c->no_huge = true;
	return 0;
}

static int
opt_eal_args(struct vs_config *c, const char *v, struct vs_err *e)
{
	return set_str(c->eal_args, sizeof(c->eal_args), "eal-args", v, e);
}

static int
opt_log_level(struct vs_config *c, const char *v, struct vs_err *e)
{
	int level = vs_log_level_parse(v);

	if (level < 0)
		return vs_err_set(e, -EINVAL,
				  "--log-level: '%s' is not one of error, warning, "
				  "notice, info, debug",
				  v);
	c->log_level = level;
	return 0;
}

static int
opt_max_request(struct vs_config *c, const char *v, struct vs_err *e)
{
	return set_u32(&c->max_request, "max-request", v, 4096, 1u << 30, e);
}

static int
opt_rpc_idle_timeout(struct vs_config *c, const char *v, struct vs_err *e)
{
	return set_u32(&c->rpc_idle_timeout, "rpc-idle-timeout", v, 1, 86400, e);
}

static int
opt_auto_lb(struct vs_config *c, const char *v, struct vs_err *e)
{
	return set_bool(&c->auto_lb, "pmd-auto-lb", v, e);
}

static int
opt_auto_lb_load(struct vs_config *c, const char *v, struct vs_err *e)
{
	return set_u32(&c->auto_lb_load, "pmd-auto-lb-load", v, 10, 100, e);
}

static int
opt_auto_lb_improvement(struct vs_config *c, const char *v, struct vs_err *e)
{
	return set_u32(&c->auto_lb_improvement, "pmd-auto-lb-improvement", v, 1, 100, e);
}

static int
opt_auto_lb_interval(struct vs_config *c, const char *v, struct vs_err *e)
{
	return set_u32(&c->auto_lb_interval, "pmd-auto-lb-interval", v, 1, 3600, e);
}

static int
opt_rxq_isolate(struct vs_config *c, const char *v, struct vs_err *e)
{
	return set_bool(&c->rxq_isolate, "pmd-rxq-isolate", v, e);
}

static int
opt_rxq_stats(struct vs_config *c, const char *v, struct vs_err *e)
{
	return set_bool(&c->rxq_stats, "pmd-rxq-stats", v, e);
}

/* In the order of --help, whose lines stay within 80 columns (test_config.c
 * checks): description lines of at most 54 characters. One option per block
 * reads better than one field per line. */
/* clang-format off */
static const struct opt opts[] = {
	{.name = "rundir", .arg = "DIR", .set = opt_rundir,
	 .help = "control socket, pid file and vhost-user sockets\n"
		 "live here (env " VS_RUNDIR_ENV "; default " VS_RUNDIR_DEFAULT ")"},
	{.name = "config", .arg = "FILE", .set = opt_config, .cmdline_only = true,
	 .help = "JSON config: a \"daemon\" object with these options,\n"
		 "and the bridges and ports, kept up to date as they\n"
		 "change (default: " VS_CONFIG_DEFAULT " for\n"
		 "the default rundir, else RUNDIR/vswitchd.json)"},
	{.name = "check-config", .arg = "FILE", .set = opt_check_config, .cmdline_only = true,
	 .help = "judge FILE as the daemon would read it (daemon\n"
		 "settings, every bridge, port, static MAC and flow\n"
		 "rule), print what is wrong and exit: 0 all good, 1\n"
		 "some entries would not be created, 2 the daemon\n"
		 "would not start with it"},
	{.name = "pmd-cpus", .arg = "LIST", .set = opt_pmd_cpus, .runtime = true,
	 .help = "CPUs for PMD threads, as 1,3-5 or a mask 0x3a\n"
		 "(default: the first allowed CPU after the main one)"},
	{.name = "pmd-auto-lb", .arg = "on|off", .set = opt_auto_lb, .runtime = true,
	 .help = "move rx queues between PMDs by themselves when one PMD\n"
		 "is loaded and a new placement is clearly better\n"
		 "(default on)"},
	{.name = "pmd-auto-lb-load", .arg = "PERCENT", .set = opt_auto_lb_load, .runtime = true,
	 .help = "busiest PMD's load above which to consider it\n"
		 "(default 70)"},
	{.name = "pmd-auto-lb-improvement", .arg = "PERCENT", .runtime = true,
	 .set = opt_auto_lb_improvement,
	 .help = "how much less uneven the PMD loads must become\n"
		 "(default 25)"},
	{.name = "pmd-auto-lb-interval", .arg = "SECONDS", .runtime = true,
	 .set = opt_auto_lb_interval,
	 .help = "how long the imbalance must last, and the least time\n"
		 "between two rebalances (default 5)"},
	{.name = "pmd-rxq-isolate", .arg = "on|off", .set = opt_rxq_isolate, .runtime = true,
	 .help = "a PMD given a queue by pmd-rxq-affinity polls only\n"
		 "such queues (default on)"},
	{.name = "pmd-rxq-stats", .arg = "on|off", .set = opt_rxq_stats, .runtime = true,
	 .help = "count the cycles each rx queue costs (default on; off\n"
		 "saves one timestamp per burst, and rebalancing goes\n"
		 "blind)"},
	{.name = "main-cpu", .arg = "CPU", .set = opt_main_cpu,
	 .help = "CPU of the control thread (default: the first allowed\n"
		 "CPU)"},
	{.name = "socket-mem", .arg = "MB[,MB]", .set = opt_socket_mem,
	 .help = "hugepage memory reserved per NUMA node at start\n"
		 "(default: " VS_MEM_RESERVE_DEFAULT " MB in all; more is taken as needed)"},
	{.name = "file-prefix", .arg = "NAME", .set = opt_file_prefix,
	 .help = "DPDK file prefix (hugepage files, runtime dir);\n"
		 "default 'vswitch' for the default rundir, else\n"
		 "derived from the rundir"},
	{.name = "huge-dir", .arg = "DIR", .set = opt_huge_dir,
	 .help = "hugetlbfs mount to use (default: DPDK's choice)"},
	{.name = "mbufs", .arg = "N", .set = opt_mbufs,
	 .help = "packet buffers per NUMA node (default 16383)"},
	{.name = "no-huge", .set = opt_no_huge,
	 .help = "run without hugepages (tests only: slower, no\n"
		 "vhost-user)"},
	{.name = "eal-args", .arg = "'ARGS'", .set = opt_eal_args,
	 .help = "extra DPDK EAL arguments, space separated"},
	{.name = "log-level", .arg = "LEVEL", .set = opt_log_level, .runtime = true,
	 .help = "error, warning, notice, info (default) or debug"},
	{.name = "max-request", .arg = "BYTES", .set = opt_max_request,
	 .help = "largest JSON-RPC request accepted (default 16 MiB)"},
	{.name = "rpc-idle-timeout", .arg = "SEC", .set = opt_rpc_idle_timeout,
	 .help = "close a control client that has no request in\n"
		 "progress for this long (default 60)"},
	{.name = "vhost-sock-dir", .arg = "DIR", .set = opt_vhost_dir,
	 .help = "where vhost-user server sockets are created (default:\n"
		 "the rundir)"},
	{.name = "vhost-allow-dirs", .arg = "DIR[:DIR]", .set = opt_vhost_allow,
	 .help = "other directories a vhost-user path= may name in\n"
		 "server mode"},
	{.name = "vhost-sock-mode", .arg = "MODE", .set = opt_vhost_mode,
	 .help = "permissions of vhost-user server sockets\n"
		 "(default 0660)"},
	{.name = "vhost-sock-owner", .arg = "USER", .set = opt_vhost_owner,
	 .help = "owner of vhost-user server sockets (default:\n"
		 "unchanged)"},
	{.name = "vhost-sock-group", .arg = "GROUP", .set = opt_vhost_group,
	 .help = "group of vhost-user server sockets, e.g. the one QEMU\n"
		 "runs as"},
};
/* clang-format on */

/* --help: "  --NAME ARG" in a column of USAGE_COL characters, then the
 * description; a name too long for the column goes on a line of its own,
 * so a name never runs into its description. */
#define USAGE_COL 26

static void
usage_entry(FILE *f, const char *head, const char *help)
{
	const char *nl;
	int len = fprintf(f, "  %s", head);

	if (len + 2 > USAGE_COL) {
		fputc('\n', f);
		len = 0;
	}
	fprintf(f, "%*s", USAGE_COL - len, "");
	while ((nl = strchr(help, '\n')) != NULL) {
		fprintf(f, "%.*s\n%*s", (int)(nl - help), help, USAGE_COL, "");
		help = nl + 1;
	}
	fprintf(f, "%s\n", help);
}

void
vs_config_usage(FILE *f)
{
	unsigned int i;
	char head[64];

	fprintf(f, "Usage: vswitchd [OPTIONS]\n"
		   "Userspace virtual switch daemon (DPDK). Runs in the foreground and is\n"
		   "driven by vswitchctl over RUNDIR/" VS_SOCK_NAME ".\n\nOptions:\n");
	for (i = 0; i < RTE_DIM(opts); i++) {
		snprintf(head, sizeof(head), "--%s%s%s", opts[i].name, opts[i].arg ? " " : "",
			 opts[i].arg ? opts[i].arg : "");
		usage_entry(f, head, opts[i].help);
	}
	usage_entry(f, "-h, --help", "show this help");
	usage_entry(f, "-V, --version", "show the version");
	fprintf(f, "\nSignals: SIGTERM or SIGINT stop the daemon cleanly.\n"
		   "Exit status: " VS_EXIT_STATUS_HELP "\n");
}

static const struct opt *
opt_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(opts); i++)
		if (strcmp(opts[i].name, name) == 0)
			return &opts[i];
	return NULL;
}

/* The "daemon" object of the config file: same names as the options. */
static int
apply_file_daemon(struct vs_config *cfg, json_t *daemon, struct vs_err *err)
{
	const char *key;
	json_t *val;
	char buf[64];
	int ret;

	if (!json_is_object(daemon))
		return vs_err_set(err, -EINVAL, "%s: \"daemon\" must be an object",
				  cfg->config_file);
	json_object_foreach (daemon, key, val) {
		const struct opt *o = opt_find(key);
		const char *v = buf;

		if (o == NULL || o->cmdline_only)
			return vs_err_set(err, -EINVAL, "%s: unknown daemon setting \"%s\"",
					  cfg->config_file, key);
		if (json_is_string(val))
			v = json_string_value(val);
		else if (json_is_integer(val))
			snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
				 json_integer_value(val));
		else if (json_is_true(val) && o->arg == NULL)
			v = "";
		else if (json_is_false(val) && o->arg == NULL)
			continue;
		else
			return vs_err_set(err, -EINVAL, "%s: daemon setting \"%s\" must be a %s",
					  cfg->config_file, key,
					  o->arg != NULL ? "string or number" : "boolean");
		ret = o->set(cfg, v, err);
		if (ret < 0) {
			snprintf(buf, sizeof(buf), "%.60s: ", cfg->config_file);
			return vs_err_prefix(err, buf);
		}
	}
	return 0;
}

static int
load_file(struct vs_config *cfg, struct vs_err *err)
{
	json_error_t jerr;
	json_t *root, *daemon, *bridges;
	int ret = 0;

	root = json_load_file(cfg->config_file, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		char prev[PATH_MAX + 8];

		/* vswitchd never leaves a half-written file (it renames a whole
		 * one into place), so this one was damaged or written by
		 * hand; the one before its last save is kept beside it. */
		snprintf(prev, sizeof(prev), "%s.prev", cfg->config_file);
		if (access(prev, R_OK) == 0)
			return vs_err_set(
				err, -EINVAL,
				"config file %s: %s (line %d, column %d); the configuration "
				"before its last save is in %s: check it with vswitchd "
				"--check-config %s, then copy it over %s",
				cfg->config_file, jerr.text, jerr.line, jerr.column, prev, prev,
				cfg->config_file);
		return vs_err_set(err, -EINVAL, "config file %s: %s (line %d, column %d)",
				  cfg->config_file, jerr.text, jerr.line, jerr.column);
	}
	if (!json_is_object(root)) {
		ret = vs_err_set(err, -EINVAL, "config file %s: must hold a JSON object",
				 cfg->config_file);
		goto out;
	}
	daemon = json_object_get(root, "daemon");
	if (daemon != NULL) {
		ret = apply_file_daemon(cfg, daemon, err);
		if (ret < 0)
			goto out;
	}
	bridges = json_object_get(root, "bridges");
	if (bridges != NULL && !json_is_array(bridges)) {
		ret = vs_err_set(err, -EINVAL, "config file %s: \"bridges\" must be an array",
				 cfg->config_file);
		goto out;
	}
	cfg->bridges = json_incref(bridges);
	cfg->daemon = json_incref(daemon);
	cfg->ssl = json_incref(json_object_get(root, "ssl"));
out:
	json_decref(root);
	return ret;
}

/* The config file when none is named: one per instance. */
static void
default_config_path(struct vs_config *cfg)
{
	if (strcmp(cfg->rundir, VS_RUNDIR_DEFAULT) == 0)
		snprintf(cfg->config_file, sizeof(cfg->config_file), "%s", VS_CONFIG_DEFAULT);
	else
		snprintf(cfg->config_file, sizeof(cfg->config_file), "%s/vswitchd.json",
			 cfg->rundir);
}

static int
parse_argv(struct vs_config *cfg, int argc, char **argv, bool only_config, struct vs_err *err)
{
	struct option lopts[RTE_DIM(opts) + 3];
	unsigned int i;
	int c, idx, ret;

	for (i = 0; i < RTE_DIM(opts); i++)
		lopts[i] = (struct option){opts[i].name,
					   opts[i].arg ? required_argument : no_argument, NULL, 0};
	lopts[i++] = (struct option){"help", 0, NULL, 'h'};
	lopts[i++] = (struct option){"version", 0, NULL, 'V'};
	lopts[i] = (struct option){0};
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", lopts, &idx)) != -1) {
		switch (c) {
		case 0:
			/* The first pass takes what says where the config file
			 * is; the second pass everything, and wins. */
			if (only_config && strcmp(opts[idx].name, "config") != 0 &&
			    strcmp(opts[idx].name, "check-config") != 0 &&
			    strcmp(opts[idx].name, "rundir") != 0)
				break;
			if (only_config && strcmp(opts[idx].name, "rundir") == 0)
				cfg->rundir_given = true;
			ret = opts[idx].set(cfg, optarg ? optarg : "", err);
			if (ret < 0)
				return ret;
			break;
		case 'h':
			if (only_config)
				break;
			vs_config_usage(stdout);
			return 1;
		case 'V':
			if (only_config)
				break;
			printf("vswitchd %s\n", VS_VERSION);
			return 1;
		case ':':
			return vs_err_set(err, -EINVAL,
					  "option %s needs a value; see vswitchd --help",
					  argv[optind - 1]);
		default:
			return vs_err_set(err, -EINVAL, "unknown option '%s'; see vswitchd --help",
					  argv[optind - 1]);
		}
	}
	if (optind < argc)
		return vs_err_set(err, -EINVAL, "unexpected argument '%s'; see vswitchd --help",
				  argv[optind]);
	return 0;
}

static uint32_t
fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static int
finish(struct vs_config *cfg, struct vs_err *err)
{
	char list[256];
	int cpu, n_allowed = CPU_COUNT(&cfg->allowed);
	size_t len = strlen(cfg->rundir);

	while (len > 1 && cfg->rundir[len - 1] == '/')
		cfg->rundir[--len] = '\0';
	snprintf(cfg->sock_path, sizeof(cfg->sock_path), "%s/" VS_SOCK_NAME, cfg->rundir);
	if (cfg->vhost_dir[0] == '\0')
		snprintf(cfg->vhost_dir, sizeof(cfg->vhost_dir), "%s", cfg->rundir);
	snprintf(cfg->pid_path, sizeof(cfg->pid_path), "%s/vswitchd.pid", cfg->rundir);
	if (cfg->file_prefix[0] == '\0') {
		if (strcmp(cfg->rundir, VS_RUNDIR_DEFAULT) == 0)
			snprintf(cfg->file_prefix, sizeof(cfg->file_prefix), "vswitch");
		else
			snprintf(cfg->file_prefix, sizeof(cfg->file_prefix), "vswitch-%08x",
				 fnv1a(cfg->rundir));
	}
	vs_cpuset_format(&cfg->allowed, list, sizeof(list));
	if (cfg->main_cpu < 0) {
		for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &cfg->allowed); cpu++)
			;
		cfg->main_cpu = cpu;
	}
	if (cfg->main_cpu >= RTE_MAX_LCORE || !CPU_ISSET(cfg->main_cpu, &cfg->allowed))
		return vs_err_set(err, -EINVAL,
				  "--main-cpu %d is not one of the CPUs this process "
				  "may use (%s)",
				  cfg->main_cpu, list);
	if (!cfg->pmd_cpus_set) {
		if (n_allowed < 2)
			return vs_err_set(
				err, -EINVAL,
				"only one CPU (%s) is available: a PMD thread needs a CPU "
				"of its own besides the main one; run on a machine or "
				"cpuset with two CPUs or more",
				list);
		CPU_ZERO(&cfg->pmd_cpus);
		for (cpu = cfg->main_cpu + 1; cpu != cfg->main_cpu; cpu = (cpu + 1) % CPU_SETSIZE)
			if (CPU_ISSET(cpu, &cfg->allowed) && cpu < RTE_MAX_LCORE) {
				CPU_SET(cpu, &cfg->pmd_cpus);
				break;
			}
	}
	return vs_config_check_pmd_cpus(cfg, &cfg->pmd_cpus, err);
}

int
vs_config_set(struct vs_config *cfg, const char *name, const char *value, struct vs_err *err)
{
	const struct opt *o = opt_find(name);

	if (o == NULL)
		return vs_err_set(err, -EINVAL, "unknown setting '%s' (see vswitchd --help)", name);
	if (!o->runtime)
		return vs_err_set(err, -EPERM,
				  "%s is set at start only: put it in the config file's "
				  "\"daemon\" section or on the command line and restart vswitchd",
				  name);
	return o->set(cfg, value, err);
}

int
vs_config_check_pmd_cpus(const struct vs_config *cfg, const cpu_set_t *set, struct vs_err *err)
{
	char list[256];
	int cpu;

	vs_cpuset_format(&cfg->allowed, list, sizeof(list));
	if (CPU_COUNT(set) == 0)
		return vs_err_set(err, -EINVAL, "pmd-cpus is empty: give at least one CPU");
	if (CPU_COUNT(set) > 64)
		return vs_err_set(err, -EINVAL, "at most 64 PMD CPUs");
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, set))
			continue;
		if (!CPU_ISSET(cpu, &cfg->allowed) || cpu >= VS_MAIN_LCORE)
			return vs_err_set(err, -EINVAL,
					  "PMD CPU %d is not one of the CPUs this process may "
					  "use (%s)",
					  cpu, list);
	}
	return 0;
}

int
vs_config_load(struct vs_config *cfg, int argc, char **argv, struct vs_err *err)
{
	const char *env;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->rundir, sizeof(cfg->rundir), "%s", VS_RUNDIR_DEFAULT);
	cfg->main_cpu = -1;
	cfg->n_mbufs = VS_MBUFS_DEFAULT;
	cfg->log_level = RTE_LOG_INFO;
	cfg->max_request = VS_MAX_REQ_DEFAULT;
	cfg->rpc_idle_timeout = VS_RPC_IDLE_DEFAULT;
	cfg->vhost_mode = 0660;
	cfg->vhost_uid = cfg->vhost_gid = -1;
	cfg->auto_lb = true;
	cfg->auto_lb_load = 70;
	cfg->auto_lb_improvement = 25;
	cfg->auto_lb_interval = 5;
	cfg->rxq_isolate = true;
	cfg->rxq_stats = true;
	if (sched_getaffinity(0, sizeof(cfg->allowed), &cfg->allowed) < 0)
		return vs_err_set(err, -errno, "cannot read this process's CPU affinity");

	/* Where is the config file? --config, else one per run directory:
	 * --rundir, else VSWITCH_RUNDIR, else the default. */
	ret = parse_argv(cfg, argc, argv, true, err);
	if (ret != 0)
		goto out;
	env = getenv(VS_RUNDIR_ENV);
	if (env != NULL && env[0] == '\0')
		env = NULL;
	if (env != NULL && !cfg->rundir_given && (ret = opt_rundir(cfg, env, err)) < 0) {
		ret = vs_err_prefix(err, VS_RUNDIR_ENV ": ");
		goto out;
	}
	if (!cfg->config_explicit)
		default_config_path(cfg);
	if (cfg->config_explicit || access(cfg->config_file, F_OK) == 0) {
		ret = load_file(cfg, err);
		if (ret < 0)
			goto out;
	}
	/* The environment beats the file; the command line beats both. */
	if (env != NULL && (ret = opt_rundir(cfg, env, err)) < 0) {
		ret = vs_err_prefix(err, VS_RUNDIR_ENV ": ");
		goto out;
	}
	ret = parse_argv(cfg, argc, argv, false, err);
	if (ret != 0)
		goto out;
	ret = finish(cfg, err);
out:
	if (ret != 0)
		vs_config_free(cfg);
	return ret;
}

void
vs_config_free(struct vs_config *cfg)
{
	json_decref(cfg->bridges);
	json_decref(cfg->daemon);
	json_decref(cfg->ssl);
	cfg->bridges = cfg->daemon = cfg->ssl = NULL;
}
