/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/openflow_cmds.c: a bridge's OpenFlow controllers and settings, in
 * ovs-vsctl's words: set-controller, del-controller, get-controller,
 * set-fail-mode, get-fail-mode, del-fail-mode, set-bridge, set-ssl,
 * get-ssl; and the controller lines of show. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

/* set-ssl PRIVATE-KEY CERTIFICATE CA-CERT: paths are the caller's, made
 * absolute here (the daemon does not run in the caller's directory). */
void
build_set_ssl(const struct cmd *c, int argc, char **argv, const char **method, json_t **params)
{
	char cwd[PATH_MAX], path[PATH_MAX * 2];
	int i;

	build_positional(c, argc, argv, method, params);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return;
	for (i = 0; i < argc && i < 3; i++)
		if (argv[i][0] != '/' && argv[i][0] != '\0') {
			snprintf(path, sizeof(path), "%s/%s", cwd, argv[i]);
			json_object_set_new(*params, c->pos[i], json_string(path));
		}
}

/* get-ssl, as ovs-vsctl prints it; nothing when there is none. */
void
print_ssl(json_t *r)
{
	if (!json_is_object(r))
		return;
	printf("Private key: %s\nCertificate: %s\nCA Certificate: %s\nBootstrap: false\n",
	       jstr(r, "private_key"), jstr(r, "certificate"), jstr(r, "ca_cert"));
	if (!json_is_true(json_object_get(r, "loaded")))
		printf("(not loaded yet: the next connection loads them, or says why not)\n");
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
		/* TLS: failures before OpenFlow (handshake, certificates). */
		if (jint(ctl, "tls_errors") > 0)
			printf(", TLS failures %lld, last: %s", jint(ctl, "tls_errors"),
			       jstr(ctl, "tls_error"));
		printf("\n");
	}
}
