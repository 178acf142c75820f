/* SPDX-License-Identifier: BSD-3-Clause */
/* control/config/config.h: the daemon's settings, from (later wins) defaults, the
 * config file's "daemon" section, the environment, and the command line.
 * The same option table serves the file and the command line. */
#ifndef VS_CONFIG_H
#define VS_CONFIG_H

#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#include "common.h"
#include "err.h"

#define VS_RUNDIR_DEFAULT      "/run/vswitch"
#define VS_RUNDIR_ENV          "VSWITCH_RUNDIR"
#define VS_SOCK_NAME           "vswitchd.sock"
#define VS_MBUFS_DEFAULT       16383
#define VS_MEM_RESERVE_DEFAULT "256" /* MB of hugepages reserved at start, without --socket-mem */
#define VS_MAX_REQ_DEFAULT     (16u << 20)
#define VS_RPC_IDLE_DEFAULT    60 /* s; as VS_RPC_IDLE_TIMEOUT_DEFAULT of rpc.h */
#define VS_CONFIG_DEFAULT      "/etc/vswitch/vswitchd.json" /* for the default rundir */

/* vswitchd's exit statuses, as --help and docs/cli.md give them. */
enum vs_exit {
	VS_EXIT_OK = 0,     /* stopped cleanly by a signal; --help, --version */
	VS_EXIT_FAIL = 1,   /* could not start (run directory, DPDK, ...) or failed running */
	VS_EXIT_CONFIG = 2, /* bad command line, environment or config file: nothing started */
};
#define VS_EXIT_STATUS_HELP                                                \
	"0 after a clean stop; 1 if it could not start or failed\n"        \
	"while running; 2 for a bad command line, environment or config\n" \
	"file (nothing was started). The reason is the last line on stderr."

struct vs_config {
	char rundir[PATH_MAX - 32];
	char sock_path[PATH_MAX];
	char pid_path[PATH_MAX];
	char config_file[PATH_MAX];
	char file_prefix[64];
	char huge_dir[PATH_MAX];
	char socket_mem[64]; /* "" : DPDK's dynamic memory */
	int main_cpu;        /* -1 : first allowed CPU */
	cpu_set_t pmd_cpus;
	bool pmd_cpus_set;
	cpu_set_t allowed; /* this process's CPU affinity */
	uint32_t n_mbufs;  /* per NUMA node */
	bool no_huge;
	char eal_args[1024];           /* extra, split on spaces */
	int log_level;                 /* RTE_LOG_* */
	uint32_t max_request;          /* bytes of one JSON-RPC request */
	uint32_t rpc_idle_timeout;     /* s a control client may idle connected */
	char vhost_dir[PATH_MAX - 32]; /* vhost-user server sockets; default: rundir */
	char vhost_allow[PATH_MAX];    /* more directories for them, ':'-separated */
	unsigned int vhost_mode;       /* their permissions */
	int vhost_uid, vhost_gid;      /* their owner, -1: unchanged */
	bool config_explicit;          /* --config was given (else the default path) */
	bool check_only;               /* --check-config: judge the file and exit */
	bool rundir_given;             /* --rundir was given */
	bool auto_lb;                  /* rebalance rx queues by themselves */
	uint32_t auto_lb_load;         /* percent busy of the busiest PMD to consider it */
	uint32_t auto_lb_improvement;  /* percent less variance a new placement must give */
	uint32_t auto_lb_interval;     /* seconds: imbalance to wait for, and between moves */
	bool rxq_isolate;              /* PMDs with pinned queues poll only those */
	bool rxq_stats;                /* count cycles per rx queue */
	json_t *daemon;                /* "daemon" of the config file, kept as written */
	json_t *bridges;               /* "bridges" of the config file, or NULL */
	json_t *ssl;                   /* "ssl" of the config file (set-ssl), or NULL */
};

/* Returns 0, 1 when --help or --version was printed (exit VS_EXIT_OK), or
 * -errno with err set (exit VS_EXIT_CONFIG). */
int vs_config_load(struct vs_config *cfg, int argc, char **argv, struct vs_err *err);
void vs_config_free(struct vs_config *cfg);

/* Change one option of a running daemon ('name' as on the command line,
 * without "--"). -EPERM if it can only be set at start. */
int vs_config_set(struct vs_config *cfg, const char *name, const char *value, struct vs_err *err);

/* Can these CPUs run PMDs? */
int vs_config_check_pmd_cpus(const struct vs_config *cfg, const cpu_set_t *set, struct vs_err *err);

/* The EAL lcore of the control thread: PMD lcores are CPU numbers, so this
 * one is out of their range, and a PMD may share the control thread's CPU
 * (on a machine of two CPUs, the only way to run two PMDs). */
#define VS_MAIN_LCORE VS_CPU_MAX

/* The EAL argument vector for this config; free with vs_config_eal_free. */
int vs_config_eal_argv(const struct vs_config *cfg, char ***argv, int *argc);
void vs_config_eal_free(char **argv, int argc);

void vs_config_usage(FILE *f);

#endif
