/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/client.c: connect, send one line, read one line back, with a
 * deadline on the whole exchange. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "client.h"

int
vs_client_connect(const char *path, char *why, size_t size)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, e;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(why, size, "socket path %s is too long", path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		snprintf(why, size, "socket: %s", strerror(e));
		return -e;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		e = errno;
		snprintf(why, size, "%s", strerror(e));
		close(fd);
		return -e;
	}
	return fd;
}

static long
ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

static int
wait_fd(int fd, short events, const struct timespec *deadline, char *why, size_t size)
{
	struct pollfd p = {.fd = fd, .events = events};
	long left = ms_left(deadline);
	int r;

	if (left <= 0)
		goto timeout;
	r = poll(&p, 1, (int)left);
	if (r > 0)
		return 0;
	if (r < 0 && errno == EINTR)
		return 0;
	if (r < 0) {
		snprintf(why, size, "poll: %s", strerror(errno));
		return -errno;
	}
timeout:
	snprintf(why, size, "no answer from vswitchd within the timeout (--timeout)");
	return -ETIMEDOUT;
}

static int
send_all(int fd, const char *buf, size_t len, const struct timespec *deadline, char *why,
	 size_t size)
{
	while (len > 0) {
		ssize_t w;
		int ret = wait_fd(fd, POLLOUT, deadline, why, size);

		if (ret < 0)
			return ret;
		w = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			snprintf(why, size, "sending to vswitchd: %s", strerror(errno));
			return -errno;
		}
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

static int
recv_line(int fd, char **line, const struct timespec *deadline, char *why, size_t size)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *n;

	for (;;) {
		ssize_t r;
		int ret;

		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			n = realloc(buf, cap);
			if (n == NULL) {
				free(buf);
				snprintf(why, size, "out of memory");
				return -ENOMEM;
			}
			buf = n;
		}
		ret = wait_fd(fd, POLLIN, deadline, why, size);
		if (ret < 0) {
			free(buf);
			return ret;
		}
		r = recv(fd, buf + len, cap - len - 1, MSG_DONTWAIT);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r <= 0) {
			snprintf(why, size, "vswitchd closed the connection without answering%s%s",
				 r < 0 ? ": " : "", r < 0 ? strerror(errno) : "");
			free(buf);
			return -ECONNRESET;
		}
		n = memchr(buf + len, '\n', (size_t)r);
		len += (size_t)r;
		if (n != NULL) {
			*n = '\0';
			*line = buf;
			return 0;
		}
	}
}

int
vs_client_call(int fd, const char *method, json_t *params, int timeout_ms, json_t **result,
	       json_t **error, char *why, size_t size)
{
	struct timespec deadline;
	json_error_t jerr;
	json_t *req, *resp;
	char *text, *line = NULL;
	int ret, sent;

	*result = *error = NULL;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	req = json_pack("{s:s, s:i, s:s, s:O}", "jsonrpc", "2.0", "id", 1, "method", method,
			"params", params ? params : json_object());
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (text == NULL) {
		snprintf(why, size, "out of memory");
		return -ENOMEM;
	}
	ret = send_all(fd, text, strlen(text), &deadline, why, size);
	if (ret == 0)
		ret = send_all(fd, "\n", 1, &deadline, why, size);
	free(text);
	if (ret < 0 && ret != -EPIPE && ret != -ECONNRESET)
		return ret;
	/* A daemon that refuses a client (all its slots busy) writes why and
	 * closes before reading: the request then fails to send, but the
	 * answer is there to read. Failing that, the send error stands. */
	sent = ret;
	ret = recv_line(fd, &line, &deadline, why, sent < 0 ? 0 : size);
	if (ret < 0)
		return sent < 0 ? sent : ret;
	resp = json_loads(line, 0, &jerr);
	free(line);
	if (!json_is_object(resp)) {
		json_decref(resp);
		snprintf(why, size, "vswitchd sent an invalid response: %s", jerr.text);
		return -EPROTO;
	}
	*error = json_incref(json_object_get(resp, "error"));
	if (*error == NULL)
		*result = json_incref(json_object_get(resp, "result"));
	json_decref(resp);
	return 0;
}
