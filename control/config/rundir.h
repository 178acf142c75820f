/* SPDX-License-Identifier: BSD-3-Clause */
/* control/config/rundir.h: the files a running daemon owns: its run directory and
 * pid file (one daemon per run directory), and on exit DPDK's hugepage and
 * runtime files for its file prefix. */
#ifndef VS_RUNDIR_H
#define VS_RUNDIR_H

#include "config.h"
#include "err.h"

/* Create the run directory and take its pid file; fails if another
 * vswitchd holds it. Returns the pid file's fd (keep it open). */
int vs_rundir_claim(const struct vs_config *cfg, struct vs_err *err);
void vs_rundir_release(const struct vs_config *cfg, int pidfd);

/* Remove hugepage files "<prefix>map_*" from every hugetlbfs mount (or
 * 'huge_dir') and DPDK's runtime directory 'runtime_dir'. Only after
 * rte_eal_cleanup(). */
void vs_dpdk_files_remove(const char *prefix, const char *huge_dir, const char *runtime_dir);

#endif
