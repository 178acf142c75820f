/* SPDX-License-Identifier: BSD-3-Clause */
/* base/log.c: a stdio stream (fopencookie) that DPDK and we log to. It
 * prefixes each line with a UTC timestamp and writes it to stderr; while a
 * capture is on, it also keeps the lines in a buffer.
 *
 * Logging is process-wide in DPDK (rte_openlog_stream), so this state is one
 * of the few statics in the daemon; the mutex covers lines written by DPDK's
 * own threads. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

int vs_logtype = RTE_LOGTYPE_USER1;

#define LINE_MAX_LEN 1024
#define CAPTURE_MAX  2048

static struct {
	pthread_mutex_t lock;
	char line[LINE_MAX_LEN];
	size_t len;
	int capturing;
	char capture[CAPTURE_MAX];
	size_t capture_len;
} lg = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void
emit_line(const char *s, size_t len)
{
	char stamp[48];
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ %.*s\n", stamp, (long)tv.tv_usec / 1000, (int)len, s);
	if (lg.capturing && len > 0 && strncmp(s, "vswitchd: ", 10) != 0 &&
	    lg.capture_len + len + 3 < CAPTURE_MAX) {
		lg.capture_len +=
			(size_t)snprintf(lg.capture + lg.capture_len, CAPTURE_MAX - lg.capture_len,
					 "%s%.*s", lg.capture_len ? "; " : "", (int)len, s);
	}
}

static ssize_t
cookie_write(void *c, const char *buf, size_t size)
{
	size_t i;

	pthread_mutex_lock(&lg.lock);
	for (i = 0; i < size; i++) {
		if (buf[i] == '\n' || lg.len == LINE_MAX_LEN - 1) {
			emit_line(lg.line, lg.len);
			lg.len = 0;
			if (buf[i] == '\n')
				continue;
		}
		lg.line[lg.len++] = buf[i];
	}
	pthread_mutex_unlock(&lg.lock);
	return (ssize_t)size;
}

int
vs_log_init(int level)
{
	cookie_io_functions_t io = {.write = cookie_write};
	FILE *f;
	int type;

	f = fopencookie(NULL, "w", io);
	if (f == NULL)
		return -1;
	setvbuf(f, NULL, _IONBF, 0);
	rte_openlog_stream(f);
	type = rte_log_register_type_and_pick_level("vswitch", (uint32_t)level);
	if (type >= 0)
		vs_logtype = type;
	rte_log_set_level(vs_logtype, (uint32_t)level);
	return 0;
}

int
vs_log_level_parse(const char *s)
{
	static const struct {
		const char *name;
		int level;
	} levels[] = {
		{"error", RTE_LOG_ERR}, {"warning", RTE_LOG_WARNING}, {"notice", RTE_LOG_NOTICE},
		{"info", RTE_LOG_INFO}, {"debug", RTE_LOG_DEBUG},
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(levels); i++)
		if (strcasecmp(s, levels[i].name) == 0)
			return levels[i].level;
	return -1;
}

void
vs_log_capture_start(void)
{
	pthread_mutex_lock(&lg.lock);
	lg.capturing = 1;
	lg.capture_len = 0;
	lg.capture[0] = '\0';
	pthread_mutex_unlock(&lg.lock);
}

void
vs_log_capture_stop(char *buf, size_t size)
{
	size_t len = buf != NULL ? strlen(buf) : 0;

	pthread_mutex_lock(&lg.lock);
	lg.capturing = 0;
	if (buf != NULL && lg.capture_len > 0 && len + 8 < size)
		snprintf(buf + len, size - len, " (DPDK: %s)", lg.capture);
	pthread_mutex_unlock(&lg.lock);
}

void
vs_log_set_level(int level)
{
	rte_log_set_level_pattern("*",
				  level >= (int)RTE_LOG_DEBUG ? RTE_LOG_DEBUG : RTE_LOG_NOTICE);
	rte_log_set_level(vs_logtype, (uint32_t)level);
}

bool
vs_log_ratelim_ok(struct vs_log_ratelim *rl, uint64_t now, uint64_t interval, unsigned int *quiet)
{
	if (now < rl->next_ms) {
		rl->quiet++;
		return false;
	}
	*quiet = rl->quiet;
	rl->quiet = 0;
	rl->next_ms = now + interval;
	return true;
}

void
vs_log_ratelim_flush(struct vs_log_ratelim *rl, uint64_t now, uint64_t interval, const char *what)
{
	if (rl->quiet == 0 || now < rl->next_ms)
		return;
	VS_LOG(WARNING, "%u more %s in the last %u s", rl->quiet, what,
	       (unsigned int)(interval / 1000));
	rl->quiet = 0;
}
