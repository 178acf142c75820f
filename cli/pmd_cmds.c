/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/pmd_cmds.c: the PMD commands (pmd-stats-show, pmd-perf-show,
 * pmd-rxq-show, pmd-stats-clear, pmd-rebalance) and the run-time settings
 * (set, set-port). The figures are the daemon's; this file lays them out. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "output.h"

/* [--pmd N] */
void
build_pmd_filter(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	char *end;
	long n;

	*method = c->method;
	*params = json_object();
	if (argc == 0)
		return;
	if (argc != 2 || strcmp(argv[0], "--pmd") != 0)
		die_usage("usage: vswitchctl %s %s", c->name, c->usage);
	n = strtol(argv[1], &end, 10);
	if (*end != '\0' || n < 0)
		die_usage("--pmd: '%s' is not a PMD number (pmd-stats-show lists them)", argv[1]);
	json_object_set_new(*params, "pmd", json_integer(n));
}

void
build_rebalance(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	*method = c->method;
	*params = json_object();
	if (argc == 1 && strcmp(argv[0], "--dry-run") == 0)
		json_object_set_new(*params, "dry_run", json_true());
	else if (argc != 0)
		die_usage("usage: vswitchctl %s %s", c->name, c->usage);
}

static void
print_drops_line(json_t *drops)
{
	json_t *reasons = json_object_get(drops, "by_reason"), *v;
	const char *key;
	bool any = false;

	printf("  drops:");
	json_object_foreach (json_object_get(drops, "by_cause"), key, v) {
		printf(" %s %lld", key, (long long)json_integer_value(v));
		any = true;
	}
	if (!any)
		printf(" none");
	any = false;
	json_object_foreach (reasons, key, v) {
		if (json_integer_value(v) == 0)
			continue;
		printf("%s%s=%lld", any ? " " : " (", key, (long long)json_integer_value(v));
		any = true;
	}
	printf("%s\n", any ? ")" : "");
}

static void
print_pmd(json_t *p)
{
	json_t *c = json_object_get(p, "congestion");

	printf("PMD %lld on CPU %lld (NUMA node %lld)%s\n", jint(p, "index"), jint(p, "cpu"),
	       jint(p, "numa"),
	       json_is_true(json_object_get(p, "shares_main_cpu"))
		       ? ", sharing its CPU with the control thread"
		       : "");
	printf("  rx %lld packets, %.1f per burst; tx %lld packets, %.1f per batch\n",
	       jint(p, "rx_packets"), jreal(p, "avg_rx_burst"), jint(p, "tx_packets"),
	       jreal(p, "avg_tx_batch"));
	printf("  busy %.1f%% of cycles (%lld busy, %lld idle), %.0f cycles/packet; load over "
	       "the last 10 s %.1f%%\n",
	       jreal(p, "busy_pct"), jint(p, "busy_cycles"), jint(p, "idle_cycles"),
	       jreal(p, "cycles_per_packet"), jreal(p, "load_pct"));
	printf("  CPU congestion: waited to run %.2f%% of the last 10 s (%.1f ms in all), "
	       "preempted %lld times\n",
	       jreal(c, "wait_pct"), (double)jint(c, "wait_ns") / 1e6, jint(c, "preempted"));
	print_drops_line(json_object_get(p, "drops"));
}

void
print_pmd_stats(json_t *r)
{
	json_t *p;
	size_t i;

	json_array_foreach (r, i, p)
		print_pmd(p);
}

void
print_pmd_perf(json_t *r)
{
	json_t *p, *v;
	const char *key;
	long long total;
	size_t i;

	json_array_foreach (r, i, p) {
		print_pmd(p);
		total = 0;
		json_object_foreach (json_object_get(p, "rx_burst_sizes"), key, v)
			total += json_integer_value(v);
		printf("  rx burst sizes:\n");
		json_object_foreach (json_object_get(p, "rx_burst_sizes"), key, v)
			printf("    %6s %12lld  %5.1f%%\n", key, (long long)json_integer_value(v),
			       total ? 100.0 * (double)json_integer_value(v) / (double)total : 0);
	}
}

static void
print_queue(json_t *q)
{
	printf("    port %-16s queue %-3lld NUMA %-3lld share %5.1f%%  %lld packets, %.0f "
	       "cycles/packet, %lld dropped%s%s\n",
	       jstr(q, "port"), jint(q, "queue"), jint(q, "numa"), jreal(q, "pmd_share_pct"),
	       jint(q, "packets"), jreal(q, "cycles_per_packet"), jint(q, "drops"),
	       jint(q, "pinned_cpu") >= 0 ? "  (pinned)" : "",
	       json_is_true(json_object_get(q, "cross_numa")) ? "  CROSS-NUMA" : "");
}

void
print_rxq_show(json_t *r)
{
	json_t *p, *q, *s = json_object_get(r, "settings"), *lb = json_object_get(r, "rebalances");
	json_t *last = json_object_get(lb, "last");
	size_t i, j;

	json_array_foreach (json_object_get(r, "pmds"), i, p) {
		printf("PMD %lld on CPU %lld (NUMA node %lld), load %.1f%%:\n", jint(p, "index"),
		       jint(p, "cpu"), jint(p, "numa"), jreal(p, "load_pct"));
		if (json_array_size(json_object_get(p, "queues")) == 0)
			printf("    (no queue)\n");
		json_array_foreach (json_object_get(p, "queues"), j, q)
			print_queue(q);
	}
	json_array_foreach (json_object_get(r, "unpolled"), i, q)
		printf("not polled: port %s queue %lld (%s)\n", jstr(q, "port"), jint(q, "queue"),
		       json_is_true(json_object_get(q, "enabled")) ? "no PMD"
								   : "not enabled by the guest");
	printf("automatic rebalancing: %s (busiest PMD over %lld%% for %lld s, %lld%% less "
	       "uneven)",
	       json_is_true(json_object_get(s, "pmd-auto-lb")) ? "on" : "off",
	       jint(s, "pmd-auto-lb-load"), jint(s, "pmd-auto-lb-interval"),
	       jint(s, "pmd-auto-lb-improvement"));
	printf("; %lld rebalance(s)", jint(lb, "count"));
	if (last != NULL && !json_is_null(last))
		printf(", the last at %lld s: %lld queue(s) moved, %.0f%% less uneven",
		       jint(last, "time"), jint(last, "moved"), jreal(last, "improvement_pct"));
	printf("\n");
}

void
print_rebalance(json_t *r)
{
	printf("%s %lld queue(s); PMD load variance %.3g -> %.3g (%.0f%% less uneven)\n",
	       json_is_true(json_object_get(r, "applied")) ? "moved" : "would move",
	       jint(r, "moved"), jreal(r, "variance_before"), jreal(r, "variance_after"),
	       jreal(r, "improvement_pct"));
}

void
print_settings(json_t *r)
{
	const char *key;
	json_t *v;

	json_object_foreach (r, key, v) {
		if (json_is_string(v))
			printf("%s=%s\n", key, json_string_value(v));
		else if (json_is_boolean(v))
			printf("%s=%s\n", key, json_is_true(v) ? "on" : "off");
		else
			printf("%s=%lld\n", key, (long long)json_integer_value(v));
	}
}
