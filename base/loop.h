/* SPDX-License-Identifier: BSD-3-Clause */
/* base/loop.h: the control thread's event loop (epoll). Everything the
 * control thread does starts here: RPC sockets, signals and the periodic
 * tick. Callbacks run on the control thread, one at a time. */
#ifndef VS_LOOP_H
#define VS_LOOP_H

#include <pthread.h>
#include <stdint.h>

struct vs_loop;

typedef void vs_loop_fn(void *arg, uint32_t events);

int vs_loop_create(struct vs_loop **out);
void vs_loop_destroy(struct vs_loop *l);

/* Watch 'fd' for 'events' (EPOLLIN...), calling fn(arg, events). */
int vs_loop_add(struct vs_loop *l, int fd, uint32_t events, vs_loop_fn *fn, void *arg);
int vs_loop_mod(struct vs_loop *l, int fd, uint32_t events);
/* Stop watching 'fd'; safe from inside any callback. */
void vs_loop_del(struct vs_loop *l, int fd);

/* A mutex the loop releases while it waits and holds while callbacks run
 * (the caller holds it outside vs_loop_run_once): other threads take it to
 * read the switch consistently. */
void vs_loop_set_lock(struct vs_loop *l, pthread_mutex_t *m);

/* Wait up to 'timeout_ms' and dispatch what is ready. 0 or -errno. */
int vs_loop_run_once(struct vs_loop *l, int timeout_ms);

#endif
