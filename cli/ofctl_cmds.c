/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/ofctl_cmds.c: the reports an Open vSwitch operator reads from
 * ovs-ofctl, in its shape: dump-ports (per port, by OpenFlow number: rx and
 * tx packets, bytes, drops and errors, from port.stats) and dump-tables
 * (per flow table: rules, lookups, matches, from flow.tables), and
 * dump-ports-desc (the ports' numbers and names, from port.list). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "output.h"

/* dump-ports' bridge and port (NULL: all), which port.stats cannot filter. */
static const char *dump_bridge, *dump_port;

/* dump-ports BRIDGE [PORT]: PORT is a name or an OpenFlow port number. */
void
build_dump_ports(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	dump_bridge = argv[0];
	dump_port = argc > 1 ? argv[1] : NULL;
	*method = c->method;
	*params = json_pack("{s:s}", "bridge", argv[0]);
}

/* The drops of a port that happened on its way out, by reason (the rest
 * happened to what it received). */
static bool
tx_drop(const char *reason)
{
	static const char *const tx[] = {"tx_full", "guest_down", "guest_queue_full", "too_big",
					 "txq_resize"};
	unsigned int i;

	for (i = 0; i < sizeof(tx) / sizeof(tx[0]); i++)
		if (strcmp(reason, tx[i]) == 0)
			return true;
	return false;
}

static bool
wanted(json_t *p)
{
	char num[16];

	if (strcmp(jstr(p, "bridge"), dump_bridge) != 0)
		return false;
	snprintf(num, sizeof(num), "%lld", jint(p, "ofport"));
	return dump_port == NULL || strcmp(dump_port, jstr(p, "name")) == 0 ||
	       strcmp(dump_port, num) == 0;
}

void
print_dump_ports(json_t *r)
{
	long long rx_drop, tx_drops, n = 0;
	json_t *p, *dev, *v;
	const char *reason;
	size_t i;

	json_array_foreach (r, i, p)
		n += wanted(p);
	if (dump_port != NULL && n == 0) {
		char msg[256];

		snprintf(msg, sizeof(msg),
			 "dump-ports: bridge %s has no port %s (a name or an OpenFlow number)",
			 dump_bridge, dump_port);
		cli_error(-ENOENT, msg, NULL);
		exit(EXIT_REFUSED);
	}
	printf("OFPST_PORT reply (%s): %lld ports\n", dump_bridge, n);
	json_array_foreach (r, i, p) {
		if (!wanted(p))
			continue;
		dev = json_object_get(p, "device");
		rx_drop = jint(dev, "rx_missed") + jint(dev, "rx_nombuf");
		tx_drops = 0;
		json_object_foreach (json_object_get(p, "drops"), reason, v)
			*(tx_drop(reason) ? &tx_drops : &rx_drop) += json_integer_value(v);
		printf("  port %2lld: rx pkts=%lld, bytes=%lld, drop=%lld, errs=%lld\n",
		       jint(p, "ofport"), jint(p, "rx_packets"), jint(p, "rx_bytes"), rx_drop,
		       jint(dev, "rx_errors"));
		printf("           tx pkts=%lld, bytes=%lld, drop=%lld, errs=%lld\n",
		       jint(p, "tx_packets"), jint(p, "tx_bytes"), tx_drops,
		       jint(dev, "tx_errors"));
	}
}

/* OVS prints "active" for the rules a table holds. */
void
print_dump_tables(json_t *r)
{
	json_t *t;
	size_t i;

	printf("OFPST_TABLE reply: %zu tables\n", json_array_size(json_object_get(r, "tables")));
	json_array_foreach (json_object_get(r, "tables"), i, t)
		printf("  table %lld:\n    active=%lld, lookup=%lld, matched=%lld\n",
		       jint(t, "table"), jint(t, "rules"), jint(t, "lookups"), jint(t, "matched"));
}

/* " 1(p1): addr:52:54:00:00:00:01", by OpenFlow number, as ovs-ofctl's. */
void
print_ports_desc(json_t *r)
{
	json_t *p;
	size_t i;

	printf("OFPST_PORT_DESC reply:\n");
	json_array_foreach (r, i, p) {
		printf(" %lld(%s): addr:%s\n", jint(p, "ofport"), jstr(p, "name"), jstr(p, "mac"));
		printf("     type %s, link %s", jstr(p, "type"), jstr(p, "link"));
		if (jint(p, "speed_mbps") > 0)
			printf(", %lld Mbps", jint(p, "speed_mbps"));
		printf(", mtu %lld\n", jint(p, "mtu"));
	}
}
