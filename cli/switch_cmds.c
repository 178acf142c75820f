/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/switch_cmds.c: the switch, bridge, port and MAC table commands
 * (show, add-br, add-port, set-port, port-stats, fdb-*, drop-reasons),
 * list-methods and call: their argument builders beyond the positional
 * ones, and their layouts. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "output.h"
#include "table.h"

/* BRIDGE PORT MAC [vlan=N] [--may-exist] */
void
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

void
build_add_port(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	json_t *opts = json_object(), *type, *ofport;
	long long n;
	char *end;

	kv_args(opts, argc - 2, argv + 2, false);
	type = json_incref(json_object_get(opts, "type"));
	if (type == NULL)
		die_usage("add-port: give the port type, e.g. type=dpdk "
			  "devargs=net_tap0,iface=tap0");
	json_object_del(opts, "type");
	build_positional(c, 2, argv, method, params);
	json_object_set_new(*params, "type", type);
	/* ovs-vsctl's ofport_request=N is the port's, not its type's option. */
	ofport = json_incref(json_object_get(opts, "ofport_request"));
	if (ofport != NULL) {
		json_object_del(opts, "ofport_request");
		n = strtoll(json_string_value(ofport), &end, 10);
		json_object_set_new(*params, "ofport_request",
				    *end == '\0' && end != json_string_value(ofport)
					    ? json_integer(n)
					    : json_incref(ofport));
		json_decref(ofport);
	}
	json_object_set_new(*params, "options", opts);
}

/* set-port PORT KEY=VALUE... */
void
build_set_port(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	json_t *opts = json_object();

	kv_args(opts, argc - 1, argv + 1, false);
	build_positional(c, 1, argv, method, params);
	json_object_set_new(*params, "options", opts);
}

/* del-port [BRIDGE] PORT */
void
build_del_port(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	build_positional(c, 1, argv + argc - 1, method, params);
	if (argc == 2)
		json_object_set_new(*params, "bridge", json_string(argv[0]));
}

void
build_call(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	json_error_t jerr;

	*method = argv[0];
	*params = argc < 2 ? json_object() : json_loads(argv[1], 0, &jerr);
	if (*params == NULL)
		die_usage("call: parameters are not valid JSON: %s", jerr.text);
}

void
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
	printf(" ofport=%lld", jint(p, "ofport"));
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

void
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
		print_openflow_lines(json_object_get(br, "openflow"));
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

void
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

void
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

void
print_flushed(json_t *r)
{
	printf("%lld MAC entries flushed\n", jint(r, "flushed"));
}

void
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

/* Done, but not as well as asked (a queue pinned across NUMA nodes). */
void
print_warning(json_t *r)
{
	if (json_string_value(json_object_get(r, "warning")) != NULL)
		fprintf(stderr, "vswitchctl: warning: %s\n", jstr(r, "warning"));
}

void
print_methods(json_t *r)
{
	json_t *e;
	size_t i;

	json_array_foreach (r, i, e)
		printf("%-20s %-28s %s\n", jstr(e, "name"), jstr(e, "params"), jstr(e, "help"));
}
