/* SPDX-License-Identifier: BSD-3-Clause */
/* control/log.h: the daemon's log, on DPDK's log system (one stream for our
 * messages and DPDK's, timestamped, to stderr). Capturing lets a failed
 * command tell the operator what DPDK said about it. */
#ifndef VS_LOG_H
#define VS_LOG_H

#include <stddef.h>
#include <rte_log.h>

extern int vs_logtype;

#define VS_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, vs_logtype, "vswitchd: " fmt "\n", ##__VA_ARGS__)

/* Install the stream and register our log type at 'level' (RTE_LOG_*). */
int vs_log_init(int level);
/* Ours at 'level'; DPDK's own at notice, or debug when debugging. */
void vs_log_set_level(int level);
/* Parse "error", "warning", "notice", "info" or "debug"; -1 if unknown. */
int vs_log_level_parse(const char *s);

/* Start keeping DPDK's log lines; stop and append them to 'buf' (a
 * NUL-terminated message, or NULL to discard) as " (DPDK: line; line)". */
void vs_log_capture_start(void);
void vs_log_capture_stop(char *buf, size_t size);

#endif
