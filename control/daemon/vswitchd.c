/* SPDX-License-Identifier: BSD-3-Clause */
/* control/daemon/vswitchd.c: the daemon. Brings the modules up in this order:
 * config, log, run directory, DPDK, switch (RCU, PMDs), control socket and
 * its methods, config file bridges; then runs the control loop until
 * SIGTERM or SIGINT, and tears down in reverse, leaving no socket, pid file
 * or hugepage file behind. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "config_apply.h"
#include "bridge_ctl.h"
#include "config_check.h"
#include "controller.h"
#include "tls.h"
#include "cpuset.h"
#include "flow_table.h"
#include "group_ctl.h"
#include "log.h"
#include "loop.h"
#include "persist.h"

#include "rpc.h"
#include "rpc_methods.h"
#include "rundir.h"
#include "switch.h"
#include "telemetry.h"

struct sigctx {
	struct vs_switch *sw;
	int fd;
};

static void
on_signal(void *arg, uint32_t events)
{
	struct sigctx *sc = arg;
	struct signalfd_siginfo si;

	while (read(sc->fd, &si, sizeof(si)) == sizeof(si)) {
		VS_LOG(NOTICE, "signal %u received", si.ssi_signo);
		sc->sw->quit = true;
	}
}

static int
start_eal(struct vs_switch *sw, struct vs_err *err)
{
	const struct vs_config *cfg = &sw->cfg;
	char **argv, line[2048];
	size_t off = 0;
	int argc, i, ret;

	ret = vs_config_eal_argv(cfg, &sw->eal_argv, &sw->eal_argc);
	if (ret < 0)
		return vs_err_set(err, ret, "out of memory");
	/* rte_eal_init permutes and keeps what it is given: pass a copy of
	 * the vector, free the strings after rte_eal_cleanup. */
	argc = sw->eal_argc;
	argv = calloc((size_t)argc + 1, sizeof(*argv));
	if (argv == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	memcpy(argv, sw->eal_argv, sizeof(*argv) * (size_t)argc);
	for (i = 0; i < argc && off < sizeof(line); i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, "%s%s", i ? " " : "",
					argv[i]);
	VS_LOG(INFO, "EAL arguments: %s", line);
	ret = rte_eal_init(argc, argv);
	free(argv);
	if (ret < 0)
		return vs_err_set(err, -rte_errno,
				  "DPDK could not start (%s). Check hugepages: grep Huge "
				  "/proc/meminfo shows free pages and a hugetlbfs mount exists "
				  "(scripts/setup-host sets both up); a leftover process with file "
				  "prefix '%s' also blocks this one",
				  rte_strerror(rte_errno), cfg->file_prefix);
	/* EAL's --log-level is global and would mask ours: keep DPDK's own
	 * types at notice, ours at the configured level. */
	rte_log_set_global_level(RTE_LOG_DEBUG);
	vs_log_set_level(cfg->log_level);
	return 0;
}

static void
on_notify(void *arg, uint32_t events)
{
	vs_switch_refresh(arg);
}

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
run(struct vs_switch *sw)
{
	uint64_t last_rpc_tick = mono_ms(), now;
	bool busy = false, second;

	vs_loop_set_lock(sw->loop, &sw->lock); /* released only while waiting */
	while (!sw->quit) {
		/* Come back within 1 ms while PMDs are asking to learn. */
		vs_loop_run_once(sw->loop, busy ? 1 : 10);
		busy = vs_switch_tick(sw, &second);
		/* OpenFlow: timers, reconnects, and a bounded batch of
		 * packet-ins; more waiting brings the loop back sooner. */
		busy |= vs_of_tick(sw, mono_ms());
		/* The modules above the switch keep their own time. */
		if (second) {
			vs_flows_tick(sw);
			vs_groups_tick(sw);
		}
		now = mono_ms();
		if (now - last_rpc_tick >= 1000) {
			vs_rpc_tick(sw->rpc, now);
			last_rpc_tick = now;
		}
	}
	vs_loop_set_lock(sw->loop, NULL);
}

static int
start_control(struct vs_switch *sw, struct vs_err *err)
{
	int ret;

	ret = vs_rpc_create(&sw->rpc, sw, sw->loop, sw->cfg.sock_path, sw->cfg.max_request, err);
	if (ret < 0)
		return ret;
	vs_rpc_set_idle_timeout(sw->rpc, sw->cfg.rpc_idle_timeout * 1000);
	if ((ret = vs_rpc_methods_init(sw->rpc)) < 0)
		return vs_err_set(err, ret,
				  ret == -ENOMEM ? "out of memory"
						 : "a JSON-RPC method's parameter table does not "
						   "fit its struct (a bug: the log names it)");
	return 0;
}

int
main(int argc, char **argv)
{
	static struct vs_switch switch_state;
	struct vs_switch *sw = &switch_state;
	char runtime_dir[PATH_MAX] = "", cpus[256];
	struct vs_err err = {0};
	struct sigctx sc = {.sw = sw};
	sigset_t sigs;
	int ret, pidfd = -1, sfd = -1, status = VS_EXIT_FAIL;

	sw->notify_fd = -1;
	pthread_mutex_init(&sw->lock, NULL);
	/* The control thread holds it from now on, but while waiting for
	 * events: other threads see the switch only between changes. */
	pthread_mutex_lock(&sw->lock);
	ret = vs_config_load(&sw->cfg, argc, argv, &err);

	if (ret > 0)
		return VS_EXIT_OK;
	if (ret < 0) {
		fprintf(stderr, "vswitchd: %s\n", err.msg);
		return VS_EXIT_CONFIG;
	}
	if (sw->cfg.check_only) {
		ret = vs_config_check(&sw->cfg, stdout) > 0;
		vs_config_free(&sw->cfg);
		return ret;
	}
	/* Only the control thread takes these, through the loop: block them
	 * before DPDK starts threads, which inherit the mask. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	vs_log_init(sw->cfg.log_level);

	pidfd = vs_rundir_claim(&sw->cfg, &err);
	if (pidfd < 0)
		goto out;
	if (start_eal(sw, &err) < 0)
		goto out_rundir;
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	if (vs_loop_create(&sw->loop) < 0) {
		vs_err_set(&err, -ENOMEM, "out of memory");
		goto out_eal;
	}
	sw->vhost = (struct vs_vhost_env){
		.sock_dir = sw->cfg.vhost_dir,
		.allow_dirs = sw->cfg.vhost_allow,
		.sock_mode = sw->cfg.vhost_mode,
		.uid = sw->cfg.vhost_uid,
		.gid = sw->cfg.vhost_gid,
	};
	if (vs_switch_init(sw, &err) < 0)
		goto out_switch;
	if (vs_loop_add(sw->loop, sw->notify_fd, EPOLLIN, on_notify, sw) < 0) {
		vs_err_set(&err, -ENOMEM, "out of memory");
		goto out_switch;
	}
	if (start_control(sw, &err) < 0)
		goto out_switch;
	sfd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	sc.fd = sfd;
	if (sfd < 0 || vs_loop_add(sw->loop, sfd, EPOLLIN, on_signal, &sc) < 0) {
		vs_err_set(&err, -errno, "signalfd: %s", strerror(errno));
		goto out_switch;
	}
	if (vs_of_init(sw) < 0) {
		vs_err_set(&err, -ENOMEM, "out of memory");
		goto out_switch;
	}
	if (vs_persist_init(sw) < 0) {
		vs_err_set(&err, -ENOMEM, "out of memory");
		goto out_switch;
	}
	vs_telemetry_init(sw);
	if (vs_config_apply(sw) > 0)
		VS_LOG(WARNING,
		       "%s: some of its bridges or ports could not be created (see "
		       "above, and vswitchctl show); they stay configured",
		       sw->cfg.config_file);
	vs_cpuset_format(&sw->cfg.pmd_cpus, cpus, sizeof(cpus));
	VS_LOG(NOTICE, "vswitchd %s ready: control socket %s, main CPU %d, PMD CPUs %s", VS_VERSION,
	       sw->cfg.sock_path, sw->cfg.main_cpu, cpus);
	run(sw);
	VS_LOG(NOTICE, "shutting down");
	status = VS_EXIT_OK;

out_switch:
	vs_telemetry_fini(sw);
	vs_rpc_destroy(sw->rpc);
	sw->rpc = NULL;
	vs_of_fini(sw); /* controllers go before their bridges */
	vs_tls_fini(sw);
	/* Tearing down is not the operator deleting things: nothing below
	 * saves (only the methods do). */
	vs_bridge_del_all(sw);
	vs_switch_fini(sw);
	vs_persist_fini(sw);
	if (sfd >= 0)
		close(sfd);
	vs_loop_destroy(sw->loop);
out_eal:
	rte_eal_cleanup();
	vs_dpdk_files_remove(sw->cfg.file_prefix, sw->cfg.huge_dir, runtime_dir);
out_rundir:
	vs_config_eal_free(sw->eal_argv, sw->eal_argc);
	vs_rundir_release(&sw->cfg, pidfd);
out:
	if (status != VS_EXIT_OK)
		fprintf(stderr, "vswitchd: %s\n", err.msg);
	vs_config_free(&sw->cfg);
	pthread_mutex_unlock(&sw->lock);
	return status;
}
