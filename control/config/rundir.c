/* SPDX-License-Identifier: BSD-3-Clause */
/* control/config/rundir.c: run directory, pid file lock, and removal of DPDK's
 * files on exit, so a stopped switch leaves no hugepages behind. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rundir.h"

static int
mkdir_p(const char *path, mode_t mode)
{
	char tmp[PATH_MAX], *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int
vs_rundir_claim(const struct vs_config *cfg, struct vs_err *err)
{
	char buf[32];
	ssize_t n;
	int fd, ret;

	ret = mkdir_p(cfg->rundir, 0755);
	if (ret < 0)
		return vs_err_set(err, ret, "cannot create run directory %s: %s", cfg->rundir,
				  strerror(-ret));
	fd = open(cfg->pid_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return vs_err_set(err, -errno, "cannot open %s: %s", cfg->pid_path,
				  strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		close(fd);
		return vs_err_set(err, -EBUSY,
				  "another vswitchd (pid %s) is running with run directory %s; "
				  "stop it, or give this one its own --rundir",
				  buf[0] ? buf : "?", cfg->rundir);
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
		ret = -errno;
		close(fd);
		return vs_err_set(err, ret, "cannot write %s: %s", cfg->pid_path, strerror(-ret));
	}
	return fd;
}

void
vs_rundir_release(const struct vs_config *cfg, int pidfd)
{
	if (pidfd < 0)
		return;
	unlink(cfg->pid_path);
	close(pidfd);
}

static void
remove_matching(const char *dir, const char *prefix)
{
	char path[PATH_MAX];
	struct dirent *de;
	size_t len = strlen(prefix);
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, len) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
}

void
vs_dpdk_files_remove(const char *prefix, const char *huge_dir, const char *runtime_dir)
{
	char pattern[96];
	struct mntent *m;
	FILE *f;

	snprintf(pattern, sizeof(pattern), "%smap_", prefix);
	if (huge_dir != NULL && huge_dir[0] != '\0') {
		remove_matching(huge_dir, pattern);
	} else if ((f = setmntent("/proc/mounts", "r")) != NULL) {
		while ((m = getmntent(f)) != NULL)
			if (strcmp(m->mnt_type, "hugetlbfs") == 0)
				remove_matching(m->mnt_dir, pattern);
		endmntent(f);
	}
	if (runtime_dir != NULL && runtime_dir[0] != '\0') {
		remove_matching(runtime_dir, "");
		rmdir(runtime_dir);
	}
}
