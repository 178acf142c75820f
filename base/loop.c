/* SPDX-License-Identifier: BSD-3-Clause */
/* base/loop.c: epoll with one small handler per fd. A handler removed
 * during dispatch is only marked dead and freed after the batch, so an event
 * already returned by epoll for it is skipped, not run on freed memory. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "loop.h"

#define MAX_EVENTS 64

struct handler {
	int fd;
	bool dead;
	vs_loop_fn *fn;
	void *arg;
	struct handler *next;
};

struct vs_loop {
	int epfd;
	struct handler *list;
	bool dispatching;
	pthread_mutex_t *lock; /* released while waiting */
};

int
vs_loop_create(struct vs_loop **out)
{
	struct vs_loop *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return -ENOMEM;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		free(l);
		return -errno;
	}
	*out = l;
	return 0;
}

static void
reap(struct vs_loop *l)
{
	struct handler **pp = &l->list, *h;

	while ((h = *pp) != NULL) {
		if (h->dead) {
			*pp = h->next;
			free(h);
		} else {
			pp = &h->next;
		}
	}
}

void
vs_loop_destroy(struct vs_loop *l)
{
	struct handler *h;

	if (l == NULL)
		return;
	for (h = l->list; h != NULL; h = h->next)
		h->dead = true;
	reap(l);
	close(l->epfd);
	free(l);
}

static struct handler *
find(struct vs_loop *l, int fd)
{
	struct handler *h;

	for (h = l->list; h != NULL; h = h->next)
		if (h->fd == fd && !h->dead)
			return h;
	return NULL;
}

int
vs_loop_add(struct vs_loop *l, int fd, uint32_t events, vs_loop_fn *fn, void *arg)
{
	struct epoll_event ev = {.events = events};
	struct handler *h = calloc(1, sizeof(*h));

	if (h == NULL)
		return -ENOMEM;
	h->fd = fd;
	h->fn = fn;
	h->arg = arg;
	ev.data.ptr = h;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(h);
		return -errno;
	}
	h->next = l->list;
	l->list = h;
	return 0;
}

int
vs_loop_mod(struct vs_loop *l, int fd, uint32_t events)
{
	struct handler *h = find(l, fd);
	struct epoll_event ev = {.events = events};

	if (h == NULL)
		return -ENOENT;
	ev.data.ptr = h;
	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
}

void
vs_loop_del(struct vs_loop *l, int fd)
{
	struct handler *h = find(l, fd);

	if (h == NULL)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	h->dead = true;
	if (!l->dispatching)
		reap(l);
}

void
vs_loop_set_lock(struct vs_loop *l, pthread_mutex_t *m)
{
	l->lock = m;
}

int
vs_loop_run_once(struct vs_loop *l, int timeout_ms)
{
	struct epoll_event evs[MAX_EVENTS];
	int n, i;

	if (l->lock != NULL)
		pthread_mutex_unlock(l->lock);
	n = epoll_wait(l->epfd, evs, MAX_EVENTS, timeout_ms);
	if (l->lock != NULL)
		pthread_mutex_lock(l->lock);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	l->dispatching = true;
	for (i = 0; i < n; i++) {
		struct handler *h = evs[i].data.ptr;

		if (!h->dead)
			h->fn(h->arg, evs[i].events);
	}
	l->dispatching = false;
	reap(l);
	return 0;
}
