/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/vswitchctl.c: the operator's command line. Each command maps its
 * arguments to one JSON-RPC request and prints the result as a table, or
 * as JSON with --json. Checking is the daemon's job: the CLI passes values
 * through, so there is one set of rules and one set of error messages.
 *
 * This file is main(), the command table and the dispatch; the commands'
 * builders and printers are in the *_cmds.c modules, which call only the
 * helpers below them (args.c, output.c, table.c), never into this file.
 *
 * Exit status: 0 success, 1 the daemon refused the command, 2 bad usage,
 * 3 the daemon could not be reached. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "client.h"
#include "output.h"

#define RUNDIR_DEFAULT "/run/vswitch"
#define RUNDIR_ENV     "VSWITCH_RUNDIR"

struct ctx {
	const char *rundir;
	char sock[256];
	bool json;
	bool may_exist, if_exists; /* ovs-vsctl's, for add-br/add-port, del-br/del-port */
	int timeout_ms;
	int fd;
};

/* One command per block reads better than one field per line. */
/* clang-format off */
static const struct cmd cmds[] = {
	{.name = "show", .min_args = 0, .max_args = 0, .usage = "",
	 .help = "the daemon, its PMDs, bridges and ports",
	 .method = "switch.show", .print = print_show},
	{.name = "add-br", .min_args = 1, .max_args = -1,
	 .usage = "[--may-exist] BRIDGE [mac_aging=SECONDS] [mac_max=ENTRIES]",
	 .help = "create a learning bridge (defaults: 300 s, 8192 MACs)",
	 .method = "bridge.add", .pos = {"name"}, .build = build_kv_tail, .print = print_nothing},
	{.name = "del-br", .min_args = 1, .max_args = 1, .usage = "[--if-exists] BRIDGE",
	 .help = "delete a bridge and all its ports",
	 .method = "bridge.del", .pos = {"name"}, .print = print_nothing},
	{.name = "list-br", .min_args = 0, .max_args = 0, .usage = "",
	 .help = "bridge names, one per line",
	 .method = "bridge.list", .print = print_names},
	{.name = "add-port", .min_args = 3, .max_args = -1,
	 .usage = "[--may-exist] BRIDGE PORT type=dpdk devargs=DEVARGS [rxq=N] [txq=N] [rxd=N] "
		  "[txd=N] [mtu=N] [ofport_request=N]",
	 .help = "add a port; e.g. devargs=net_af_packet0,iface=veth0 or a PCI address; "
		  "ofport_request: its OpenFlow port number (default: the lowest free)",
	 .method = "port.add", .pos = {"bridge", "name"},
	 .build = build_add_port, .print = print_nothing},
	{.name = "del-port", .min_args = 1, .max_args = 2, .usage = "[--if-exists] [BRIDGE] PORT",
	 .help = "remove a port",
	 .method = "port.del", .pos = {"name"}, .build = build_del_port, .print = print_nothing},
	{.name = "list-ports", .min_args = 1, .max_args = 1, .usage = "BRIDGE",
	 .help = "port names of a bridge, one per line (--json: with their ofport)",
	 .method = "port.list", .pos = {"bridge"}, .print = print_names},
	{.name = "port-stats", .min_args = 0, .max_args = 1, .usage = "[PORT]",
	 .help = "packets, bytes and drops by reason",
	 .method = "port.stats", .pos = {"name"}, .print = print_stats},
	{.name = "fdb-show", .min_args = 1, .max_args = 1, .usage = "BRIDGE",
	 .help = "the MAC table of a bridge",
	 .method = "fdb.show", .pos = {"bridge"}, .print = print_fdb},
	{.name = "fdb-add", .min_args = 3, .max_args = 5,
	 .usage = "BRIDGE PORT MAC [vlan=N] [--may-exist]",
	 .help = "a static MAC entry: never aged, never moved by learning; --may-exist moves one "
		  "that is static on another port",
	 .method = "fdb.add", .pos = {"bridge", "port", "mac"},
	 .build = build_fdb_add, .print = print_nothing},
	{.name = "fdb-del", .min_args = 2, .max_args = 3, .usage = "BRIDGE MAC [vlan=N]",
	 .help = "remove one MAC entry",
	 .method = "fdb.del", .pos = {"bridge", "mac"},
	 .build = build_kv_tail, .print = print_nothing},
	{.name = "fdb-flush", .min_args = 1, .max_args = 2, .usage = "BRIDGE [PORT]",
	 .help = "forget MACs (learnt and static), of one port or all",
	 .method = "fdb.flush", .pos = {"bridge", "port"}, .print = print_flushed},
	{.name = "add-flow", .min_args = 2, .max_args = 2, .usage = "BRIDGE FLOW",
	 .help = "add a flow rule, e.g. 'priority=100,in_port=vhu0,ip,actions=output:nic0'",
	 .method = "flow.add", .pos = {"bridge"},
	 .build = build_add_flow, .print = print_flow_change},
	{.name = "add-flows", .min_args = 2, .max_args = 2, .usage = "BRIDGE FILE",
	 .help = "add FILE's rules (one per line, '#' comments; - reads stdin), all or none",
	 .method = "flow.add", .pos = {"bridge"},
	 .build = build_flows_file, .print = print_flow_change},
	{.name = "replace-flows", .min_args = 2, .max_args = 2, .usage = "BRIDGE FILE",
	 .help = "make the table exactly FILE's rules, at once; unchanged rules keep their "
		  "counters",
	 .method = "flow.replace", .pos = {"bridge"},
	 .build = build_flows_file, .print = print_flow_change},
	{.name = "del-flows", .min_args = 1, .max_args = 3, .usage = "BRIDGE [MATCH] [--strict]",
	 .help = "delete the rules MATCH selects (all, without MATCH: the bridge then drops "
		  "everything)",
	 .method = "flow.del", .pos = {"bridge"},
	 .build = build_flow_filter, .print = print_flow_change},
	{.name = "mod-flows", .min_args = 2, .max_args = 3, .usage = "BRIDGE FLOW [--strict]",
	 .help = "give the rules FLOW's match selects FLOW's actions, keeping their counters; "
		  "if none, add FLOW (as OVS does; not with cookie=V/M)",
	 .method = "flow.mod", .pos = {"bridge"},
	 .build = build_mod_flows, .print = print_flow_change},
	{.name = "dump-flows", .min_args = 1, .max_args = 4,
	 .usage = "BRIDGE [MATCH] [--strict] [--no-stats]",
	 .help = "rules with their counters, by table, highest priority first (--no-stats: "
		  "the rules alone, as add-flows reads them)",
	 .method = "flow.dump", .pos = {"bridge"},
	 .build = build_flow_filter, .print = print_flow_dump},
	{.name = "dump-ports", .min_args = 1, .max_args = 2, .usage = "BRIDGE [PORT]",
	 .help = "ovs-ofctl's port counters: rx/tx packets, bytes, drops, errors by OpenFlow "
		  "port (PORT: a name or number)",
	 .method = "port.stats", .build = build_dump_ports, .print = print_dump_ports},
	{.name = "dump-ports-desc", .min_args = 1, .max_args = 1, .usage = "BRIDGE",
	 .help = "the bridge's ports by OpenFlow port number",
	 .method = "port.list", .pos = {"bridge"}, .print = print_ports_desc},
	{.name = "dump-tables", .min_args = 1, .max_args = 1, .usage = "BRIDGE",
	 .help = "per flow table: rules (active), lookups, matches",
	 .method = "flow.tables", .pos = {"bridge"}, .print = print_dump_tables},
	{.name = "add-group", .min_args = 2, .max_args = 2, .usage = "BRIDGE GROUP",
	 .help = "add a group, e.g. 'group_id=1,type=select,bucket=weight:10,actions=output:p1,"
		  "bucket=weight:20,actions=output:p2' (types: all, select, indirect, "
		  "fast_failover)",
	 .method = "group.add", .build = build_group, .print = print_group_change},
	{.name = "mod-group", .min_args = 2, .max_args = 2, .usage = "BRIDGE GROUP",
	 .help = "give a group a new type and buckets; its counters start again",
	 .method = "group.mod", .build = build_group, .print = print_group_change},
	{.name = "del-groups", .min_args = 1, .max_args = 2, .usage = "BRIDGE [group_id=N]",
	 .help = "delete one group or all, and the flow rules that send to them (OpenFlow)",
	 .method = "group.del", .build = build_group, .print = print_group_change},
	{.name = "dump-groups", .min_args = 1, .max_args = 2, .usage = "BRIDGE [N]",
	 .help = "groups with their buckets, in ovs-ofctl's syntax",
	 .method = "group.dump", .build = build_group, .print = print_group_dump},
	{.name = "dump-group-stats", .min_args = 1, .max_args = 2, .usage = "BRIDGE [N]",
	 .help = "packets and bytes of each group and of each of its buckets",
	 .method = "group.stats", .build = build_group, .print = print_group_stats},
	{.name = "set-controller", .min_args = 2, .max_args = -1, .usage = "BRIDGE TARGET...",
	 .help = "the bridge's OpenFlow controllers: tcp:IP[:PORT] or ssl:IP[:PORT] (the "
		  "switch connects, reconnecting with backoff), ptcp:[PORT][:IP] or "
		  "pssl:[PORT][:IP] (it listens); port 6653; IPv6 as [::1]",
	 .method = "controller.set", .pos = {"bridge"},
	 .build = build_set_controller, .print = print_nothing},
	{.name = "del-controller", .min_args = 1, .max_args = 1, .usage = "BRIDGE",
	 .help = "remove the bridge's OpenFlow controllers",
	 .method = "controller.del", .pos = {"bridge"}, .print = print_nothing},
	{.name = "get-controller", .min_args = 1, .max_args = 1, .usage = "BRIDGE",
	 .help = "the bridge's controller targets, one per line",
	 .method = "controller.list", .pos = {"bridge"}, .print = print_controllers},
	{.name = "set-ssl", .min_args = 3, .max_args = 3,
	 .usage = "PRIVATE-KEY CERTIFICATE CA-CERT",
	 .help = "TLS for ssl:/pssl: controllers: the switch's key and certificate, and the CA "
		  "certificate the controllers' certificates must chain to (PEM files)",
	 .method = "ssl.set", .pos = {"private_key", "certificate", "ca_cert"},
	 .build = build_set_ssl, .print = print_nothing},
	{.name = "get-ssl", .min_args = 0, .max_args = 0, .usage = "",
	 .help = "the switch's TLS files",
	 .method = "ssl.get", .print = print_ssl},
	{.name = "del-ssl", .min_args = 0, .max_args = 0, .usage = "",
	 .help = "forget the switch's TLS files (no bridge may have an ssl:/pssl: controller)",
	 .method = "ssl.del", .print = print_nothing},
	{.name = "set-fail-mode", .min_args = 2, .max_args = 2, .usage = "BRIDGE standalone|secure",
	 .help = "with no controller connected: standalone learns, secure keeps the rules only",
	 .method = "bridge.set", .pos = {"name"},
	 .build = build_set_fail_mode, .print = print_nothing},
	{.name = "get-fail-mode", .min_args = 1, .max_args = 1, .usage = "BRIDGE",
	 .help = "the bridge's fail mode",
	 .method = "controller.list", .pos = {"bridge"}, .print = print_fail_mode},
	{.name = "del-fail-mode", .min_args = 1, .max_args = 1, .usage = "BRIDGE",
	 .help = "back to the default fail mode, standalone",
	 .method = "bridge.set", .pos = {"name"},
	 .build = build_set_fail_mode, .print = print_nothing},
	{.name = "set-bridge", .min_args = 2, .max_args = -1, .usage = "BRIDGE KEY=VALUE...",
	 .help = "OpenFlow settings: fail-mode=standalone|secure datapath-id=HEX "
		  "controller-rate-limit=N controller-burst-limit=N (packet-ins per second, at once)",
	 .method = "bridge.set", .pos = {"name"},
	 .build = build_set_bridge, .print = print_nothing},
	{.name = "pmd-stats-show", .min_args = 0, .max_args = 2, .usage = "[--pmd N]",
	 .help = "per PMD: packets, cycles/packet, bursts, load, CPU congestion, drops by cause",
	 .method = "pmd.stats", .build = build_pmd_filter, .print = print_pmd_stats},
	{.name = "pmd-perf-show", .min_args = 0, .max_args = 2, .usage = "[--pmd N]",
	 .help = "pmd-stats-show with the rx burst size histogram",
	 .method = "pmd.perf", .build = build_pmd_filter, .print = print_pmd_perf},
	{.name = "pmd-stats-clear", .min_args = 0, .max_args = 0, .usage = "",
	 .help = "count the PMD and queue figures from zero",
	 .method = "pmd.stats_clear", .print = print_nothing},
	{.name = "pmd-rxq-show", .min_args = 0, .max_args = 2, .usage = "[--pmd N]",
	 .help = "which PMD polls which rx queue, NUMA nodes, each queue's share, rebalancing",
	 .method = "pmd.rxq_show", .build = build_pmd_filter, .print = print_rxq_show},
	{.name = "pmd-rebalance", .min_args = 0, .max_args = 1, .usage = "[--dry-run]",
	 .help = "place every rx queue again by its measured load, now",
	 .method = "pmd.rebalance", .build = build_rebalance, .print = print_rebalance},
	{.name = "set", .min_args = 1, .max_args = -1, .usage = "KEY=VALUE...",
	 .help = "change settings at run time: pmd-cpus=1,3-4 pmd-auto-lb=on|off "
		  "pmd-auto-lb-load=% pmd-auto-lb-improvement=% pmd-auto-lb-interval=S "
		  "pmd-rxq-isolate=on|off "
		  "pmd-rxq-stats=on|off log-level=L",
	 .method = "switch.set", .build = build_kv_tail, .print = print_settings},
	{.name = "set-port", .min_args = 2, .max_args = -1, .usage = "PORT KEY=VALUE...",
	 .help = "change a running port: pmd-rxq-affinity=QUEUE:CPU,... pins rx queues to PMD "
		  "cores, capture=on|off (vhost-user) lets dpdk-dumpcap capture it; KEY= resets",
	 .method = "port.set", .pos = {"name"}, .build = build_set_port, .print = print_warning},
	{.name = "drop-reasons", .min_args = 0, .max_args = 0, .usage = "",
	 .help = "what each drop counter means",
	 .method = "switch.drop_reasons", .print = print_drops},
	{.name = "list-methods", .min_args = 0, .max_args = 0, .usage = "",
	 .help = "the daemon's JSON-RPC methods",
	 .method = "rpc.list", .print = print_methods},
	{.name = "call", .min_args = 1, .max_args = 2, .usage = "METHOD [JSON-PARAMS]",
	 .help = "send any JSON-RPC request, print the result",
	 .build = build_call, .print = print_json},
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
		   "  --may-exist      add-br, add-port: one that exists already is no error\n"
		   "  --if-exists      del-br, del-port: one that does not exist is no error\n"
		   "  -V, --version    the version\n"
		   "  -h, --help       this help\n"
		   "\nWith --json, errors are JSON too, on stdout: {\"error\": {\"code\": -22, "
		   "\"errno\": \"EINVAL\", \"message\": ...}}.\n"
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
		{.name = "rundir", .has_arg = required_argument, .val = 'r'},
		{.name = "json", .has_arg = no_argument, .val = 'j'},
		{.name = "timeout", .has_arg = required_argument, .val = 't'},
		{.name = "help", .has_arg = no_argument, .val = 'h'},
		{.name = "version", .has_arg = no_argument, .val = 'V'},
		{.name = "may-exist", .has_arg = no_argument, .val = 'm'},
		{.name = "if-exists", .has_arg = no_argument, .val = 'i'},
		{.name = NULL},
	};
	char *end;
	int c;

	x->rundir = getenv(RUNDIR_ENV);
	if (x->rundir == NULL || x->rundir[0] == '\0')
		x->rundir = RUNDIR_DEFAULT;
	x->timeout_ms = 30000;
	/* '+': stop at the command, so its own arguments may start with '-'. */
	while ((c = getopt_long(*argc, *argv, "+hjV", lopts, NULL)) != -1) {
		switch (c) {
		case 'V':
			printf("vswitchctl %s\n", VS_VERSION);
			exit(0);
		case 'm':
			x->may_exist = true;
			break;
		case 'i':
			x->if_exists = true;
			break;
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
	set_json_errors(x->json);
}

/* --may-exist and --if-exists, before the command (ovs-vsctl's place) or
 * among its arguments, for the commands that take them: into the
 * parameters as may_exist, if_exists. */
static void
ovs_flags(struct ctx *x, const struct cmd *c, int *argc, char **argv)
{
	bool add = strcmp(c->name, "add-br") == 0 || strcmp(c->name, "add-port") == 0;
	bool del = strcmp(c->name, "del-br") == 0 || strcmp(c->name, "del-port") == 0;
	int i, k = 0;

	for (i = 0; i < *argc; i++) {
		if ((add && strcmp(argv[i], "--may-exist") == 0) ||
		    (del && strcmp(argv[i], "--if-exists") == 0))
			*(add ? &x->may_exist : &x->if_exists) = true;
		else
			argv[k++] = argv[i];
	}
	*argc = k;
	if (x->may_exist && !add)
		die_usage("--may-exist is for add-br and add-port%s",
			  strcmp(c->name, "fdb-add") == 0
				  ? " (fdb-add takes it after its arguments)"
				  : "");
	if (x->if_exists && !del)
		die_usage("--if-exists is for del-br and del-port");
}

static void
print_refusal(const struct ctx *x, const struct cmd *c, json_t *error)
{
	char msg[1200];

	snprintf(msg, sizeof(msg), "%s%s%s%s", x->json ? "" : c->name, x->json ? "" : ": ",
		 flow_error_where(error), jstr(error, "message"));
	cli_error((int)jint(error, "code"), msg, json_object_get(error, "data"));
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
	ovs_flags(&x, c, &nargs, argv + 1);
	if (nargs < c->min_args || (c->max_args >= 0 && nargs > c->max_args))
		die_usage("usage: vswitchctl %s %s", c->name, c->usage);
	(c->build ? c->build : build_positional)(c, nargs, argv + 1, &method, &params);
	if (x.may_exist)
		json_object_set_new(params, "may_exist", json_true());
	if (x.if_exists)
		json_object_set_new(params, "if_exists", json_true());

	snprintf(x.sock, sizeof(x.sock), "%s/vswitchd.sock", x.rundir);
	x.fd = vs_client_connect(x.sock, why, sizeof(why));
	if (x.fd < 0) {
		char msg[1024];

		snprintf(msg, sizeof(msg),
			 "cannot reach vswitchd at %s: %s\n"
			 "Is it running? Start it with: vswitchd --rundir %s\n"
			 "(or point vswitchctl at another instance with --rundir or " RUNDIR_ENV
			 ")",
			 x.sock, why, x.rundir);
		cli_error(x.fd, msg, NULL);
		json_decref(params);
		return EXIT_NO_DAEMON;
	}
	ret = vs_client_call(x.fd, method, params, x.timeout_ms, &result, &error, why, sizeof(why));
	close(x.fd);
	json_decref(params);
	if (ret < 0) {
		char msg[600];

		snprintf(msg, sizeof(msg), "%s: %s", c->name, why);
		cli_error(ret, msg, NULL);
		return EXIT_NO_DAEMON;
	}
	if (error != NULL) {
		print_refusal(&x, c, error);
		json_decref(error);
		return EXIT_REFUSED;
	}
	(x.json ? print_json : c->print)(result);
	json_decref(result);
	return 0;
}
