/* SPDX-License-Identifier: BSD-3-Clause */
/* control/persist/persist_file.c: writing the config file so that a crash, a full
 * filesystem or a kill -9 at any moment leaves a whole file: the old one or
 * the new one, never half of one.
 *
 * The new text goes to PATH.tmp.PID, is fsynced, the current file is
 * hard-linked as PATH.prev (the previous good configuration, for the
 * operator to go back to), then the temporary file is renamed over PATH and
 * the directory fsynced. Any failure before the rename leaves PATH as it
 * was and removes the temporary file; the caller then refuses the change.
 * A temporary file left by a process that died mid-save is removed at the
 * next start. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "persist.h"

static int
mkdir_parent(const char *path)
{
	char dir[PATH_MAX], *p;

	snprintf(dir, sizeof(dir), "%s", path);
	p = strrchr(dir, '/');
	if (p == NULL || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int
write_all(int fd, const char *s, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 'text' into a new file 'tmp', on disk when this returns 0. */
static int
write_tmp(const char *tmp, const char *text)
{
	int fd, ret;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	ret = write_all(fd, text, strlen(text));
	if (ret == 0 && fsync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && ret == 0)
		ret = -errno;
	return ret;
}

/* Keep the file about to be replaced as PATH.prev: a hard link, so it costs
 * no space and is atomic. Best effort: a filesystem without hard links
 * still gets its saves. */
static void
keep_previous(const char *path, const char *tmp)
{
	char prev[PATH_MAX + 8], link_tmp[PATH_MAX + 48];

	snprintf(prev, sizeof(prev), "%s.prev", path);
	snprintf(link_tmp, sizeof(link_tmp), "%s.prev", tmp);
	if (link(path, link_tmp) < 0) {
		if (errno != ENOENT)
			VS_LOG(WARNING, "cannot keep the previous %s as %s: %s", path, prev,
			       strerror(errno));
		return;
	}
	if (rename(link_tmp, prev) < 0) {
		VS_LOG(WARNING, "cannot keep the previous %s as %s: %s", path, prev,
		       strerror(errno));
		unlink(link_tmp);
	}
}

int
vs_persist_write(const char *path, const json_t *root, struct vs_err *err)
{
	char tmp[PATH_MAX + 32], dir[PATH_MAX];
	char *text = NULL;
	int dfd, ret;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	ret = mkdir_parent(path);
	if (ret < 0)
		goto fail;
	/* One string, one write: json_dumpfd writes token by token, a system
	 * call each, and a table of 100,000 flow rules is a million tokens. */
	text = json_dumps(root, JSON_INDENT(2));
	if (text == NULL || (text = realloc(text, strlen(text) + 2)) == NULL) {
		ret = -ENOMEM;
		goto fail;
	}
	strcat(text, "\n");
	ret = write_tmp(tmp, text);
	free(text);
	if (ret < 0) {
		unlink(tmp);
		goto fail;
	}
	keep_previous(path, tmp);
	if (rename(tmp, path) < 0) {
		ret = -errno;
		unlink(tmp);
		goto fail;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	VS_LOG(ERR, "cannot save the configuration to %s: %s; the change was refused", path,
	       strerror(-ret));
	return vs_err_set(
		err, ret, "cannot save the configuration to %s: %s; nothing was changed (%s)", path,
		strerror(-ret),
		ret == -ENOSPC || ret == -EDQUOT
			? "free space on its filesystem, then try again"
			: "check that its directory exists and is writable, then try again");
}

/* The pid of a name PATH.tmp.PID[.prev], or 0 if it is not one. */
static pid_t
tmp_pid(const char *name, const char *base)
{
	size_t len = strlen(base);
	char *end;
	long pid;

	if (strncmp(name, base, len) != 0 || strncmp(name + len, ".tmp.", 5) != 0)
		return 0;
	pid = strtol(name + len + 5, &end, 10);
	if (pid <= 0 || end == name + len + 5 || (*end != '\0' && strcmp(end, ".prev") != 0))
		return 0;
	return (pid_t)pid;
}

void
vs_persist_clean_temporaries(const char *path)
{
	char dir[PATH_MAX], base[PATH_MAX], full[2 * PATH_MAX + 2];
	const char *dname;
	struct dirent *d;
	unsigned int n = 0;
	DIR *dp;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s", path);
	dname = dirname(dir);
	dp = opendir(dname);
	if (dp == NULL)
		return;
	snprintf(base, sizeof(base), "%s", strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	while ((d = readdir(dp)) != NULL) {
		pid = tmp_pid(d->d_name, base);
		/* A live process of that pid may be another daemon saving the
		 * same file right now: leave its file alone. Ours is stale: this
		 * process has not saved yet (pids are reused). */
		if (pid == 0 || (pid != getpid() && (kill(pid, 0) == 0 || errno != ESRCH)))
			continue;
		snprintf(full, sizeof(full), "%s/%s", dname, d->d_name);
		if (unlink(full) == 0)
			n++;
	}
	closedir(dp);
	if (n > 0)
		VS_LOG(NOTICE,
		       "removed %u temporary file(s) of %s left by a save that was interrupted "
		       "(the file itself is whole)",
		       n, path);
}
