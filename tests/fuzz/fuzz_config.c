/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fuzz_config.c: libFuzzer target for the daemon's own parsers:
 * the config file (JSON, "daemon" settings and "bridges", and every entry
 * of them as vswitchd --check-config judges it), CPU lists and port
 * key=value options. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "config_check.h"
#include "cpuset.h"
#include "fuzz_switch.h"
#include "port.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], *text, *argv[] = {"vswitchd", "--config", path, NULL};
	struct vs_config cfg;
	struct vs_port_conf pc;
	struct vs_err err;
	struct vs_kv kv;
	cpu_set_t set;
	FILE *f;

	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	vs_cpuset_parse(text, &set, &err);
	if (vs_kv_parse(text, &kv, &err) == 0)
		vs_port_conf_parse(&vs_port_dpdk_ops, &kv, 1, &pc, &err);
	snprintf(path, sizeof(path), "/tmp/fuzz-config-%d.json", (int)getpid());
	f = fopen(path, "w");
	if (f != NULL) {
		fwrite(data, 1, size, f);
		fclose(f);
		if (vs_config_load(&cfg, 3, argv, &err) == 0) {
			FILE *out = fopen("/dev/null", "w");

			if (out != NULL) {
				vs_config_check(&cfg, out);
				fclose(out);
			}
			vs_config_free(&cfg);
		}
		unlink(path);
	}
	free(text);
	return 0;
}
