/* SPDX-License-Identifier: BSD-3-Clause */
/* control/group/group_check.c: is a new group table sound, before it is
 * compiled? Buckets chain to groups (group:N) and watch them
 * (watch_group); OpenFlow 1.3 refuses a chain to a missing group
 * (OFPBAC_BAD_OUT_GROUP, OFPGMFC_BAD_WATCH), a loop (OFPGMFC_LOOP), and a
 * chain a switch cannot run (OFPGMFC_CHAINING_UNSUPPORTED: here deeper
 * than VS_GROUP_DEPTH_MAX). vswitch also refuses a saved (operator's)
 * group naming a controller's, which is not saved (OFPGMFC_EPERM).
 * Checked by a depth-first walk with each group's depth remembered, so a
 * table of N groups costs O(N + buckets). */
#include <errno.h>
#include <stdlib.h>

#include "group_int.h"

struct walk {
	struct vs_group_entry *const *e;
	uint32_t n;
	uint8_t *state; /* 0 new, 1 on the path, 2 done */
	uint8_t *depth; /* done: the longest chain from it, itself included */
	struct vs_err *err;
};

static int32_t
index_of(const struct walk *w, uint32_t id)
{
	uint32_t lo = 0, hi = w->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (w->e[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < w->n && w->e[lo]->id == id ? (int32_t)lo : -1;
}

static int visit(struct walk *w, uint32_t i);

/* Group 'i' reaches group 'id' (through 'how'). */
static int
edge(struct walk *w, uint32_t i, uint32_t id, const char *how, uint8_t *deepest)
{
	int32_t j = index_of(w, id);
	int ret;

	if (j < 0)
		return vs_err_set(w->err, -ENXIO,
				  "group %u: a bucket's %s names group %u, which "
				  "the bridge does not have",
				  w->e[i]->id, how, id);
	/* The operator's groups are saved, a controller's are not: a saved
	 * group naming one would not find it at the next start (and the
	 * config's table could not be made). */
	if (w->e[i]->origin == VS_ORIGIN_OPERATOR && w->e[j]->origin != VS_ORIGIN_OPERATOR)
		return vs_err_set(w->err, -EPERM,
				  "group %u: a bucket's %s names group %u, a controller's "
				  "group, which is not saved; group %u is",
				  w->e[i]->id, how, id, w->e[i]->id);
	if (w->state[j] == 1)
		return vs_err_set(w->err, -ELOOP,
				  "group %u: a bucket's %s group %u would make a "
				  "loop (it leads back to group %u)",
				  w->e[i]->id, how, id, w->e[i]->id);
	if (w->state[j] == 0 && (ret = visit(w, (uint32_t)j)) < 0)
		return ret;
	if (w->depth[j] > *deepest)
		*deepest = w->depth[j];
	return 0;
}

static int
visit(struct walk *w, uint32_t i)
{
	const struct vs_group_entry *g = w->e[i];
	uint8_t deepest = 0;
	uint16_t b, a;
	int ret;

	w->state[i] = 1;
	for (b = 0; b < g->n_buckets; b++) {
		const struct vs_bucket_spec *bk = &g->buckets[b];

		if (bk->watch_group != VS_GROUP_ANY &&
		    (ret = edge(w, i, bk->watch_group, "watch_group", &deepest)) < 0)
			return ret;
		for (a = 0; a < bk->n_actions; a++)
			if (bk->actions[a].type == VS_ACT_GROUP &&
			    (ret = edge(w, i, bk->actions[a].u32, "group action", &deepest)) < 0)
				return ret;
	}
	if (deepest + 1 > VS_GROUP_DEPTH_MAX)
		return vs_err_set(w->err, -ENOTSUP,
				  "group %u: chains %u groups deep; vswitch runs "
				  "chains of at most %d",
				  g->id, deepest + 1, VS_GROUP_DEPTH_MAX);
	w->depth[i] = (uint8_t)(deepest + 1);
	w->state[i] = 2;
	return 0;
}

int
vs_groups_check(struct vs_group_entry *const *e, uint32_t n, struct vs_err *err)
{
	struct walk w = {.e = e, .n = n, .err = err};
	uint32_t i;
	int ret = 0;

	w.state = calloc(n + 1, 1);
	w.depth = calloc(n + 1, 1);
	if (w.state == NULL || w.depth == NULL) {
		ret = vs_err_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n && ret == 0; i++)
		if (w.state[i] == 0)
			ret = visit(&w, i);
out:
	free(w.state);
	free(w.depth);
	return ret;
}

uint32_t
vs_groups_chained_from(struct vs_group_entry *const *e, uint32_t n, uint32_t id)
{
	uint32_t i;
	uint16_t b, a;

	for (i = 0; i < n; i++) {
		if (e[i]->id == id)
			continue;
		for (b = 0; b < e[i]->n_buckets; b++) {
			const struct vs_bucket_spec *bk = &e[i]->buckets[b];

			if (bk->watch_group == id)
				return e[i]->id;
			for (a = 0; a < bk->n_actions; a++)
				if (bk->actions[a].type == VS_ACT_GROUP && bk->actions[a].u32 == id)
					return e[i]->id;
		}
	}
	return VS_GROUP_ANY;
}
