/* SPDX-License-Identifier: BSD-3-Clause */
/* base/log.h: the daemon's log, on DPDK's log system (one stream for our
 * messages and DPDK's, timestamped, to stderr). Capturing lets a failed
 * command tell the operator what DPDK said about it. */
#ifndef VS_LOG_H
#define VS_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

/* Log a kind of trouble at most once per interval, with a count of the
 * lines held back, so that a flood of events does not flood the log too. */
struct vs_log_ratelim {
	uint64_t next_ms;
	unsigned int quiet;
};
/* True when a line may be logged now ('now', 'interval' in ms); '*quiet'
 * is then the number of lines held back since the last one. */
bool vs_log_ratelim_ok(struct vs_log_ratelim *rl, uint64_t now, uint64_t interval,
		       unsigned int *quiet);
/* Periodically: once a burst is over, log how many lines it held back
 * ("N more WHAT in the last S s"). */
void vs_log_ratelim_flush(struct vs_log_ratelim *rl, uint64_t now, uint64_t interval,
			  const char *what);

#endif
