/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/openflow_cmds.c: a bridge's OpenFlow controllers and settings, in
 * ovs-vsctl's words: set-controller, del-controller, get-controller,
 * set-fail-mode, get-fail-mode, del-fail-mode, set-bridge; and the
 * controller lines of show. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "output.h"

/* set-controller BRIDGE TARGET... */
void
build_set_controller(const struct cmd *c, int argc, char **argv, const char **method,
		     json_t **params)
{
	json_t *targets = json_array();
	int i;

	for (i = 1; i < argc; i++)
		json_array_append_new(targets, json_string(argv[i]));
	build_positional(c, 1, argv, method, params);
	json_object_set_new(*params, "targets", targets);
}

/* set-fail-mode BRIDGE standalone|secure; del-fail-mode BRIDGE. */
void
build_set_fail_mode(const struct cmd *c, int argc, char **argv, const char **method,
		    json_t **params)
{
	build_positional(c, 1, argv, method, params);
	json_object_set_new(*params, "options",
			    json_pack("{s:s}", "fail-mode", argc > 1 ? argv[1] : "standalone"));
}

/* set-bridge BRIDGE KEY=VALUE... */
void
build_set_bridge(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	json_t *opts = json_object();

	kv_args(opts, argc - 1, argv + 1, false);
	build_positional(c, 1, argv, method, params);
	json_object_set_new(*params, "options", opts);
}

/* get-controller: the targets, one per line, as ovs-vsctl prints them. */
void
print_controllers(json_t *r)
{
	json_t *ctl;
	size_t i;
	const char *last = "";

	json_array_foreach (json_object_get(r, "controllers"), i, ctl) {
		if (strcmp(last, jstr(ctl, "target")) != 0)
			printf("%s\n", jstr(ctl, "target"));
		last = jstr(ctl, "target");
	}
}

void
print_fail_mode(json_t *r)
{
	printf("%s\n", jstr(r, "fail_mode"));
}

/* The OpenFlow lines of a bridge in show. */
void
print_openflow_lines(json_t *of)
{
	json_t *ctl, *pi = json_object_get(of, "packet_in");
	size_t i;

	if (!json_is_object(of))
		return;
	printf("        OpenFlow: datapath id %s, fail mode %s%s, packet-ins %lld sent, %lld over "
	       "the rate limit (%lld/s, burst %lld), %lld queue full\n",
	       jstr(of, "datapath_id"), jstr(of, "fail_mode"),
	       json_is_true(json_object_get(of, "fail_open")) ? " (failed open: learning)" : "",
	       jint(pi, "sent"), jint(pi, "rate_limited"), jint(of, "controller_rate_limit"),
	       jint(of, "controller_burst_limit"), jint(pi, "ring_full"));
	json_array_foreach (json_object_get(of, "controllers"), i, ctl) {
		printf("        Controller %s: %s", jstr(ctl, "target"), jstr(ctl, "state"));
		if (json_object_get(ctl, "peer") != NULL)
			printf(", peer %s, role %s, %s, messages in %lld, out %lld",
			       jstr(ctl, "peer"), jstr(ctl, "role"), jstr(ctl, "version"),
			       jint(ctl, "rx_msgs"), jint(ctl, "tx_msgs"));
		else if (jstr(ctl, "error")[0] != '\0')
			printf(" (%s)", jstr(ctl, "error"));
		printf("\n");
	}
}
