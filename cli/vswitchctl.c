/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/vswitchctl.c: the operator's command line. Each command maps its
 * arguments to one JSON-RPC request and prints the result as a table, or
 * as JSON with --json. Checking is the daemon's job: the CLI passes values
 * through, so there is one set of rules and one set of error messages.
 *
 * Exit status: 0 success, 1 the daemon refused the command, 2 bad usage,
 * 3 the daemon could not be reached. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "client.h"
#include "table.h"

#define RUNDIR_DEFAULT "/run/vswitch"
#define RUNDIR_ENV     "VSWITCH_RUNDIR"

enum {
	EXIT_REFUSED = 1,
	EXIT_USAGE = 2,
	EXIT_NO_DAEMON = 3
};

struct ctx {
	const char *rundir;
	char sock[256];
	bool json;
	int timeout_ms;
	int fd;
};

void
die_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vswitchctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(EXIT_USAGE);
}

/* "123" becomes a JSON integer, anything else a string: the daemon says
 * what type it wanted. */
static json_t *
value_json(const char *v)
{
	size_t i, len = strlen(v);

	if (len == 0 || len > 18)
		return json_string(v);
	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)v[i]))
			return json_string(v);
	return json_integer(strtoll(v, NULL, 10));
}

/* key=value arguments into 'obj'. */
static void
kv_args(json_t *obj, int argc, char **argv, bool typed)
{
	int i;

	for (i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		char key[64];

		if (eq == NULL || eq == argv[i] || (size_t)(eq - argv[i]) >= sizeof(key))
			die_usage("'%s' is not of the form key=value", argv[i]);
		memcpy(key, argv[i], (size_t)(eq - argv[i]));
		key[eq - argv[i]] = '\0';
		if (json_object_get(obj, key) != NULL)
			die_usage("'%s' is given twice", key);
		json_object_set_new(obj, key, typed ? value_json(eq + 1) : json_string(eq + 1));
	}
}

const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

long long
jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* ---- builders ---- */

static void
build_positional(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	int i;

	*method = c->method;
	*params = json_object();
	for (i = 0; i < argc && i < 3 && c->pos[i] != NULL; i++)
		json_object_set_new(*params, c->pos[i], json_string(argv[i]));
}

/* The positional arguments 'pos' names, then key=value parameters. */
static void
build_kv_tail(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	int npos = 0;

	while (npos < 3 && c->pos[npos] != NULL)
		npos++;
	npos = npos < argc ? npos : argc;
	build_positional(c, npos, argv, method, params);
	kv_args(*params, argc - npos, argv + npos, true);
}

/* BRIDGE PORT MAC [vlan=N] [--may-exist] */
static void
build_fdb_add(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	bool may_exist = false;
	int i, k = 0;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--may-exist") == 0)
			may_exist = true;
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			die_usage("unknown option '%s' (the only one here is --may-exist)",
				  argv[i]);
		else
			argv[k++] = argv[i];
	}
	if (k < 3)
		die_usage("usage: fdb-add %s", c->usage);
	build_kv_tail(c, k, argv, method, params);
	if (may_exist)
		json_object_set_new(*params, "may_exist", json_true());
}

static void
build_add_port(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	json_t *opts = json_object(), *type;

	kv_args(opts, argc - 2, argv + 2, false);
	type = json_incref(json_object_get(opts, "type"));
	if (type == NULL)
		die_usage("add-port: give the port type, e.g. type=dpdk "
			  "devargs=net_tap0,iface=tap0");
	json_object_del(opts, "type");
	build_positional(c, 2, argv, method, params);
	json_object_set_new(*params, "type", type);
	json_object_set_new(*params, "options", opts);
}

/* set-port PORT KEY=VALUE... */
static void
build_set_port(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	json_t *opts = json_object();

	kv_args(opts, argc - 1, argv + 1, false);
	build_positional(c, 1, argv, method, params);
	json_object_set_new(*params, "options", opts);
}

/* del-port [BRIDGE] PORT */
static void
build_del_port(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	build_positional(c, 1, argv + argc - 1, method, params);
	if (argc == 2)
		json_object_set_new(*params, "bridge", json_string(argv[0]));
}

static void
build_call(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	json_error_t jerr;

	*method = argv[0];
	*params = argc < 2 ? json_object() : json_loads(argv[1], 0, &jerr);
	if (*params == NULL)
		die_usage("call: parameters are not valid JSON: %s", jerr.text);
}

/* ---- printers ---- */

static void
print_nothing(json_t *r)
{
}

static void
print_names(json_t *r)
{
	json_t *e;
	size_t i;

	json_array_foreach (r, i, e)
		printf("%s\n", jstr(e, "name"));
}

/* "tx queues 2 shared by 4 PMDs (locked)", or "tx queues 4" when each
 * PMD has its own (docs/tuning.md: what the lock costs, how to avoid it). */
static void
print_txq(json_t *p)
{
	json_t *t = json_object_get(p, "txq");

	if (t == NULL) { /* no status from the device: what the port says */
		printf("tx queues %lld%s", jint(p, "tx_queues"),
		       json_is_true(json_object_get(p, "txq_shared")) ? " (shared, locked)" : "");
		return;
	}
	printf("tx queues %lld", jint(t, "queues"));
	if (json_is_true(json_object_get(t, "locked")))
		printf(" shared by %lld PMDs (locked%s)", jint(t, "pmds"),
		       strcmp(jstr(t, "by"), "vhost") == 0 ? " in the vhost library" : "");
}

static void
print_port_line(json_t *p)
{
	const char *key;
	json_t *v, *rxq = json_object_get(p, "rxq_pmd"), *q;
	size_t i;
	int polled;

	printf("        Port %s: type=%s", jstr(p, "name"), jstr(p, "type"));
	json_object_foreach (json_object_get(p, "options"), key, v)
		printf(" %s=%s", key, json_string_value(v));
	printf("\n            link %s", jstr(p, "link"));
	if (jint(p, "speed_mbps") > 0)
		printf(" %lld Mb/s", jint(p, "speed_mbps"));
	printf(", mac %s, mtu %lld, driver %s, numa %lld\n", jstr(p, "mac"), jint(p, "mtu"),
	       jstr(p, "driver"), jint(p, "numa"));
	printf("            rx queues %lld, polled:", jint(p, "rx_queues"));
	polled = 0;
	json_array_foreach (rxq, i, q) {
		if (json_integer_value(q) < 0)
			continue;
		printf("%s q%zu by PMD %lld", polled++ ? "," : "", i,
		       (long long)json_integer_value(q));
	}
	printf("%s; ", polled ? "" : " none");
	print_txq(p);
	printf("\n");
	if (json_object_size(json_object_get(p, "info")) > 0) {
		printf("           ");
		json_object_foreach (json_object_get(p, "info"), key, v)
			printf(" %s=%s", key, json_string_value(v));
		printf("\n");
	}
}

/* One line per mbuf pool, one for the DPDK heap, then any warning. */
static void
print_memory(json_t *m)
{
	json_t *p, *h = json_object_get(m, "heap");
	size_t i;

	json_array_foreach (json_object_get(m, "pools"), i, p)
		printf("    Mbufs NUMA %lld: %lld of %lld in use, %lld free (%lld%%)\n",
		       jint(p, "numa"), jint(p, "in_use"), jint(p, "size"), jint(p, "available"),
		       jint(p, "free_pct"));
	if (h != NULL)
		printf("    DPDK heap: %lld allocations, %lld bytes in use, %lld free\n",
		       jint(h, "allocations"), jint(h, "bytes"), jint(h, "free_bytes"));
	json_array_foreach (json_object_get(m, "warnings"), i, p)
		printf("    WARNING: %s\n", json_string_value(p));
}

static void
print_show(json_t *r)
{
	json_t *pmd, *br, *p, *q;
	size_t i, j;

	printf("vswitchd %s (pid %lld), up %lld s\n", jstr(r, "version"), jint(r, "pid"),
	       jint(r, "uptime"));
	printf("    rundir %s, file prefix %s, main CPU %lld, PMD CPUs %s\n", jstr(r, "rundir"),
	       jstr(r, "file_prefix"), jint(r, "main_cpu"), jstr(r, "pmd_cpus"));
	json_array_foreach (json_object_get(r, "pmds"), i, pmd) {
		printf("    PMD %lld: CPU %lld, NUMA %lld, polls", jint(pmd, "index"),
		       jint(pmd, "cpu"), jint(pmd, "numa"));
		if (json_array_size(json_object_get(pmd, "rx_queues")) == 0)
			printf(" nothing");
		json_array_foreach (json_object_get(pmd, "rx_queues"), j, q)
			printf(" %s/%lld", jstr(q, "port"), jint(q, "queue"));
		printf("\n");
	}
	print_memory(json_object_get(r, "memory"));
	json_array_foreach (json_object_get(r, "bridges"), i, br) {
		printf("    Bridge %s: %lld MACs learnt (max %lld, aging %lld s)\n",
		       jstr(br, "name"), jint(br, "mac_count"), jint(br, "mac_max"),
		       jint(br, "mac_aging"));
		json_array_foreach (json_object_get(br, "ports"), j, p)
			print_port_line(p);
	}
	json_array_foreach (json_object_get(r, "failed"), i, p)
		printf("    Not created (configured, kept): %s %s: %s\n", jstr(p, "kind"),
		       jstr(p, "name"), jstr(p, "error"));
	if (json_is_string(json_object_get(r, "config_diverged")))
		printf("    WARNING: the running state differs from %s (%s); the next change that "
		       "saves writes it\n",
		       jstr(r, "config_file"), jstr(r, "config_diverged"));
}

static void
print_stats(json_t *r)
{
	static const char *const hdr[] = {"PORT",       "BRIDGE",   "RX_PACKETS", "RX_BYTES",
					  "TX_PACKETS", "TX_BYTES", "DROPPED"};
	struct table *t = table_new(7, hdr);
	json_t *p, *v;
	const char *key;
	char n[5][24];
	size_t i;

	json_array_foreach (r, i, p) {
		const char *row[7] = {
			jstr(p, "name"), jstr(p, "bridge"), n[0], n[1], n[2], n[3], n[4]};

		snprintf(n[0], sizeof(n[0]), "%lld", jint(p, "rx_packets"));
		snprintf(n[1], sizeof(n[1]), "%lld", jint(p, "rx_bytes"));
		snprintf(n[2], sizeof(n[2]), "%lld", jint(p, "tx_packets"));
		snprintf(n[3], sizeof(n[3]), "%lld", jint(p, "tx_bytes"));
		snprintf(n[4], sizeof(n[4]), "%lld", jint(p, "dropped"));
		table_row(t, row);
	}
	table_print(t, stdout);
	table_free(t);
	/* Then only what is not zero: the reasons, and the device's own. */
	json_array_foreach (r, i, p) {
		bool any = false;

		json_object_foreach (json_object_get(p, "drops"), key, v) {
			if (json_integer_value(v) == 0)
				continue;
			printf("%s%s=%lld", any ? " " : "drops: ", key,
			       (long long)json_integer_value(v));
			any = true;
		}
		if (any)
			printf(" (port %s)\n", jstr(p, "name"));
		any = false;
		json_object_foreach (json_object_get(p, "device"), key, v) {
			if (json_integer_value(v) == 0)
				continue;
			printf("%s%s=%lld", any ? " " : "device counters: ", key,
			       (long long)json_integer_value(v));
			any = true;
		}
		if (any)
			printf(" (port %s)\n", jstr(p, "name"));
		if (json_is_true(json_object_get(json_object_get(p, "txq"), "locked"))) {
			print_txq(p);
			printf(" (port %s)\n", jstr(p, "name"));
		}
	}
}

static void
print_fdb(json_t *r)
{
	static const char *const hdr[] = {"PORT", "VLAN", "MAC", "AGE"};
	struct table *t = table_new(4, hdr);
	/* A static entry shows "static" for its age. */
	char vlan[8], age[16];
	json_t *e;
	size_t i;

	json_array_foreach (r, i, e) {
		const char *row[4] = {jstr(e, "port"), vlan, jstr(e, "mac"), age};

		snprintf(vlan, sizeof(vlan), "%lld", jint(e, "vlan"));
		if (json_is_true(json_object_get(e, "static")))
			snprintf(age, sizeof(age), "static");
		else
			snprintf(age, sizeof(age), "%lld", jint(e, "age"));
		table_row(t, row);
	}
	table_print(t, stdout);
	table_free(t);
}

static void
print_flushed(json_t *r)
{
	printf("%lld MAC entries flushed\n", jint(r, "flushed"));
}

static void
print_drops(json_t *r)
{
	static const char *const hdr[] = {"REASON", "CAUSE", "MEANING"};
	struct table *t = table_new(3, hdr);
	json_t *e;
	size_t i;

	json_array_foreach (r, i, e) {
		const char *row[3] = {jstr(e, "name"), jstr(e, "cause"), jstr(e, "help")};

		table_row(t, row);
	}
	table_print(t, stdout);
	table_free(t);
}

static void
print_json(json_t *r)
{
	char *s = json_dumps(r, JSON_INDENT(2) | JSON_ENCODE_ANY);

	if (s != NULL)
		printf("%s\n", s);
	free(s);
}

/* Done, but not as well as asked (a queue pinned across NUMA nodes). */
static void
print_warning(json_t *r)
{
	if (json_string_value(json_object_get(r, "warning")) != NULL)
		fprintf(stderr, "vswitchctl: warning: %s\n", jstr(r, "warning"));
}

static void
print_methods(json_t *r)
{
	json_t *e;
	size_t i;

	json_array_foreach (r, i, e)
		printf("%-20s %-28s %s\n", jstr(e, "name"), jstr(e, "params"), jstr(e, "help"));
}

/* One command per block reads better than one field per line. */
/* clang-format off */
static const struct cmd cmds[] = {
	{"show", 0, 0, "",
	 "the daemon, its PMDs, bridges and ports",
	 "switch.show", {NULL}, NULL, print_show},
	{"add-br", 1, -1, "BRIDGE [mac_aging=SECONDS] [mac_max=ENTRIES]",
	 "create a learning bridge (defaults: 300 s, 8192 MACs)",
	 "bridge.add", {"name"}, build_kv_tail, print_nothing},
	{"del-br", 1, 1, "BRIDGE",
	 "delete a bridge and all its ports",
	 "bridge.del", {"name"}, NULL, print_nothing},
	{"list-br", 0, 0, "",
	 "bridge names, one per line",
	 "bridge.list", {NULL}, NULL, print_names},
	{"add-port", 3, -1, "BRIDGE PORT type=dpdk devargs=DEVARGS [rxq=N] [txq=N] [rxd=N] [txd=N] [mtu=N]",
	 "add a port; e.g. devargs=net_af_packet0,iface=veth0 or a PCI address",
	 "port.add", {"bridge", "name"}, build_add_port, print_nothing},
	{"del-port", 1, 2, "[BRIDGE] PORT",
	 "remove a port",
	 "port.del", {"name"}, build_del_port, print_nothing},
	{"list-ports", 1, 1, "BRIDGE",
	 "port names of a bridge, one per line",
	 "port.list", {"bridge"}, NULL, print_names},
	{"port-stats", 0, 1, "[PORT]",
	 "packets, bytes and drops by reason",
	 "port.stats", {"name"}, NULL, print_stats},
	{"fdb-show", 1, 1, "BRIDGE",
	 "the MAC table of a bridge",
	 "fdb.show", {"bridge"}, NULL, print_fdb},
	{"fdb-add", 3, 5, "BRIDGE PORT MAC [vlan=N] [--may-exist]",
	 "a static MAC entry: never aged, never moved by learning; --may-exist moves one "
	 "that is static on another port",
	 "fdb.add", {"bridge", "port", "mac"}, build_fdb_add, print_nothing},
	{"fdb-del", 2, 3, "BRIDGE MAC [vlan=N]",
	 "remove one MAC entry",
	 "fdb.del", {"bridge", "mac"}, build_kv_tail, print_nothing},
	{"fdb-flush", 1, 2, "BRIDGE [PORT]",
	 "forget MACs (learnt and static), of one port or all",
	 "fdb.flush", {"bridge", "port"}, NULL, print_flushed},
	{"add-flow", 2, 2, "BRIDGE FLOW",
	 "add a flow rule, e.g. 'priority=100,in_port=vhu0,ip,actions=output:nic0'",
	 "flow.add", {"bridge"}, build_add_flow, print_flow_change},
	{"add-flows", 2, 2, "BRIDGE FILE",
	 "add FILE's rules (one per line, '#' comments; - reads stdin), all or none",
	 "flow.add", {"bridge"}, build_flows_file, print_flow_change},
	{"replace-flows", 2, 2, "BRIDGE FILE",
	 "make the table exactly FILE's rules, at once; unchanged rules keep their counters",
	 "flow.replace", {"bridge"}, build_flows_file, print_flow_change},
	{"del-flows", 1, 3, "BRIDGE [MATCH] [--strict]",
	 "delete the rules MATCH selects (all, without MATCH: the bridge then drops everything)",
	 "flow.del", {"bridge"}, build_flow_filter, print_flow_change},
	{"mod-flows", 2, 3, "BRIDGE FLOW [--strict]",
	 "give the rules FLOW's match selects FLOW's actions, keeping their counters",
	 "flow.mod", {"bridge"}, build_mod_flows, print_flow_change},
	{"dump-flows", 1, 3, "BRIDGE [MATCH] [--strict]",
	 "rules with their counters, highest priority first",
	 "flow.dump", {"bridge"}, build_flow_filter, print_flow_dump},
	{"pmd-stats-show", 0, 2, "[--pmd N]",
	 "per PMD: packets, cycles/packet, bursts, load, CPU congestion, drops by cause",
	 "pmd.stats", {NULL}, build_pmd_filter, print_pmd_stats},
	{"pmd-perf-show", 0, 2, "[--pmd N]",
	 "pmd-stats-show with the rx burst size histogram",
	 "pmd.perf", {NULL}, build_pmd_filter, print_pmd_perf},
	{"pmd-stats-clear", 0, 0, "",
	 "count the PMD and queue figures from zero",
	 "pmd.stats_clear", {NULL}, NULL, print_nothing},
	{"pmd-rxq-show", 0, 2, "[--pmd N]",
	 "which PMD polls which rx queue, NUMA nodes, each queue's share, rebalancing",
	 "pmd.rxq_show", {NULL}, build_pmd_filter, print_rxq_show},
	{"pmd-rebalance", 0, 1, "[--dry-run]",
	 "place every rx queue again by its measured load, now",
	 "pmd.rebalance", {NULL}, build_rebalance, print_rebalance},
	{"set", 1, -1, "KEY=VALUE...",
	 "change settings at run time: pmd-cpus=1,3-4 pmd-auto-lb=on|off pmd-auto-lb-load=% "
	 "pmd-auto-lb-improvement=% pmd-auto-lb-interval=S pmd-rxq-isolate=on|off "
	 "pmd-rxq-stats=on|off log-level=L",
	 "switch.set", {NULL}, build_kv_tail, print_settings},
	{"set-port", 2, -1, "PORT KEY=VALUE...",
	 "change a running port: pmd-rxq-affinity=QUEUE:CPU,... pins rx queues to PMD cores, "
	 "capture=on|off (vhost-user) lets dpdk-dumpcap capture it; KEY= resets",
	 "port.set", {"name"}, build_set_port, print_warning},
	{"drop-reasons", 0, 0, "",
	 "what each drop counter means",
	 "switch.drop_reasons", {NULL}, NULL, print_drops},
	{"list-methods", 0, 0, "",
	 "the daemon's JSON-RPC methods",
	 "rpc.list", {NULL}, NULL, print_methods},
	{"call", 1, 2, "METHOD [JSON-PARAMS]",
	 "send any JSON-RPC request, print the result",
	 NULL, {NULL}, build_call, print_json},
};
/* clang-format on */

static void
usage(FILE *f)
{
	unsigned int i;

	fprintf(f, "Usage: vswitchctl [OPTIONS] COMMAND [ARGS...]\n"
		   "Drive a running vswitchd over its control socket.\n\nCommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %s %s\n      %s\n", cmds[i].name, cmds[i].usage, cmds[i].help);
	fprintf(f, "\nOptions:\n"
		   "  --rundir DIR     the instance to talk to (env " RUNDIR_ENV
		   ", default " RUNDIR_DEFAULT ")\n"
		   "  --json           print results as JSON (field names: docs/cli.md)\n"
		   "  --timeout SEC    give up waiting for the daemon after SEC (default 30)\n"
		   "  -h, --help       this help\n"
		   "\nExit status: 0 done, 1 refused by vswitchd, 2 bad usage, 3 vswitchd not "
		   "reachable.\n");
}

static const struct cmd *
find_cmd(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

static void
parse_options(struct ctx *x, int *argc, char ***argv)
{
	static const struct option lopts[] = {
		{"rundir", 1, NULL, 'r'}, {"json", 0, NULL, 'j'}, {"timeout", 1, NULL, 't'},
		{"help", 0, NULL, 'h'},   {NULL, 0, NULL, 0},
	};
	char *end;
	int c;

	x->rundir = getenv(RUNDIR_ENV);
	if (x->rundir == NULL || x->rundir[0] == '\0')
		x->rundir = RUNDIR_DEFAULT;
	x->timeout_ms = 30000;
	/* '+': stop at the command, so its own arguments may start with '-'. */
	while ((c = getopt_long(*argc, *argv, "+hj", lopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			x->rundir = optarg;
			break;
		case 'j':
			x->json = true;
			break;
		case 't':
			x->timeout_ms = (int)(strtod(optarg, &end) * 1000);
			if (*end != '\0' || x->timeout_ms <= 0)
				die_usage("--timeout: '%s' is not a number of seconds", optarg);
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			fprintf(stderr, "vswitchctl: unknown option; see vswitchctl --help\n");
			exit(EXIT_USAGE);
		}
	}
	*argc -= optind;
	*argv += optind;
}

int
main(int argc, char **argv)
{
	struct ctx x = {0};
	const struct cmd *c;
	const char *method;
	json_t *params, *result, *error;
	char why[512];
	int nargs, ret;

	parse_options(&x, &argc, &argv);
	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[0], "help") == 0) {
		usage(stdout);
		return 0;
	}
	c = find_cmd(argv[0]);
	if (c == NULL)
		die_usage("unknown command '%s'; see vswitchctl --help", argv[0]);
	nargs = argc - 1;
	if (nargs < c->min_args || (c->max_args >= 0 && nargs > c->max_args))
		die_usage("usage: vswitchctl %s %s", c->name, c->usage);
	(c->build ? c->build : build_positional)(c, nargs, argv + 1, &method, &params);

	snprintf(x.sock, sizeof(x.sock), "%s/vswitchd.sock", x.rundir);
	x.fd = vs_client_connect(x.sock, why, sizeof(why));
	if (x.fd < 0) {
		fprintf(stderr,
			"vswitchctl: cannot reach vswitchd at %s: %s\n"
			"Is it running? Start it with: vswitchd --rundir %s\n"
			"(or point vswitchctl at another instance with --rundir or " RUNDIR_ENV
			")\n",
			x.sock, why, x.rundir);
		json_decref(params);
		return EXIT_NO_DAEMON;
	}
	ret = vs_client_call(x.fd, method, params, x.timeout_ms, &result, &error, why, sizeof(why));
	close(x.fd);
	json_decref(params);
	if (ret < 0) {
		fprintf(stderr, "vswitchctl: %s: %s\n", c->name, why);
		return EXIT_NO_DAEMON;
	}
	if (error != NULL) {
		fprintf(stderr, "vswitchctl: %s: %s%s\n", c->name, flow_error_where(error),
			jstr(error, "message"));
		json_decref(error);
		return EXIT_REFUSED;
	}
	(x.json ? print_json : c->print)(result);
	json_decref(result);
	return 0;
}
