/* SPDX-License-Identifier: BSD-3-Clause */
/* control/config/config_eal.c: the DPDK EAL arguments the daemon's settings imply.
 *
 * All CPUs this process may run on become EAL lcores (lcore N on CPU N),
 * so a PMD can later be started on any of them without restarting
 * (rte_thread_register would do the same but turns off DPDK multi-process,
 * which dpdk-dumpcap needs); the control thread is lcore VS_MAIN_LCORE. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_log.h>

#include "config.h"

static int
push(char ***argv, int *argc, const char *s)
{
	char **n = realloc(*argv, sizeof(char *) * (size_t)(*argc + 2));

	if (n == NULL)
		return -ENOMEM;
	*argv = n;
	n[*argc] = strdup(s);
	if (n[*argc] == NULL)
		return -ENOMEM;
	n[++*argc] = NULL;
	return 0;
}

int
vs_config_eal_argv(const struct vs_config *cfg, char ***argv, int *argc)
{
	char buf[4096], *tok, *save = NULL;
	size_t off = 0;
	int cpu, ret = 0;

	*argv = NULL;
	*argc = 0;
	/* lcore N on CPU N for every CPU a PMD may use; the control thread is
	 * lcore VS_MAIN_LCORE on the main CPU. */
	for (cpu = 0; cpu < VS_MAIN_LCORE; cpu++)
		if (CPU_ISSET(cpu, &cfg->allowed))
			off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%d@%d,", cpu, cpu);
	snprintf(buf + off, sizeof(buf) - off, "%d@%d", VS_MAIN_LCORE, cfg->main_cpu);
	ret |= push(argv, argc, "vswitchd");
	ret |= push(argv, argc, "--lcores");
	ret |= push(argv, argc, buf);
	snprintf(buf, sizeof(buf), "%d", VS_MAIN_LCORE);
	ret |= push(argv, argc, "--main-lcore");
	ret |= push(argv, argc, buf);
	ret |= push(argv, argc, "--file-prefix");
	ret |= push(argv, argc, cfg->file_prefix);
	ret |= push(argv, argc, "--proc-type=primary");
	if (cfg->huge_dir[0] != '\0') {
		ret |= push(argv, argc, "--huge-dir");
		ret |= push(argv, argc, cfg->huge_dir);
	}
	if (cfg->no_huge) {
		ret |= push(argv, argc, "--no-huge");
		ret |= push(argv, argc, "-m");
		ret |= push(argv, argc, cfg->socket_mem[0] ? cfg->socket_mem : "512");
	} else if (cfg->socket_mem[0] != '\0') {
		ret |= push(argv, argc, "--socket-mem");
		ret |= push(argv, argc, cfg->socket_mem);
	} else {
		/* Memory reserved at start (and kept) is memory that a secondary
		 * process (dpdk-dumpcap) allocates from without growing the
		 * heap. Growing it makes the secondary hold the heap lock while
		 * it asks this process's IPC thread for pages, and if that
		 * thread is serving a capture request that allocates too, both
		 * wait forever (DPDK 22.11; seen here with two dumpcaps). */
		ret |= push(argv, argc, "-m");
		ret |= push(argv, argc, VS_MEM_RESERVE_DEFAULT);
	}
	/* DPDK's own chatter at notice and above, unless debugging. */
	snprintf(buf, sizeof(buf), "--log-level=%d",
		 cfg->log_level >= (int)RTE_LOG_DEBUG ? RTE_LOG_DEBUG : RTE_LOG_NOTICE);
	ret |= push(argv, argc, buf);
	snprintf(buf, sizeof(buf), "%s", cfg->eal_args);
	for (tok = strtok_r(buf, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save))
		ret |= push(argv, argc, tok);
	if (ret != 0) {
		vs_config_eal_free(*argv, *argc);
		return -ENOMEM;
	}
	return 0;
}

void
vs_config_eal_free(char **argv, int argc)
{
	int i;

	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}
