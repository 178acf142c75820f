/* SPDX-License-Identifier: BSD-3-Clause */
/* dataplane/pipeline.c: a bridge's tables, and the counters PMDs keep for
 * its rules and tables.
 *
 * Counters are indexed by rule id, not held by the rules: an id keeps its
 * counts when the pipeline holding its rule is replaced whole. They take
 * one mmap (MAP_NORESERVE): a page is backed only once a PMD counts a rule
 * in it, so VS_FLOWS_MAX ids per PMD cost nothing until used. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_malloc.h>

#include "pipeline.h"

int
vs_pipeline_create(const struct vs_cls_conf *conf, struct vs_pipeline **out)
{
	struct vs_pipeline *p =
		rte_zmalloc_socket("vs_pipeline", sizeof(*p), RTE_CACHE_LINE_SIZE, conf->socket);

	if (p == NULL)
		return -ENOMEM;
	p->conf = *conf;
	*out = p;
	return 0;
}

int
vs_pipeline_table(struct vs_pipeline *p, uint8_t id, struct vs_cls **out)
{
	struct vs_cls_conf conf = p->conf;
	struct vs_cls *c;
	int ret;

	if (id >= VS_TABLES)
		return -EINVAL;
	if (p->table[id] != NULL) {
		*out = p->table[id];
		return 0;
	}
	conf.table_id = id;
	ret = vs_cls_create(&conf, &c);
	if (ret < 0)
		return ret;
	vs_rcu_assign((void **)&p->table[id], c);
	*out = c;
	return 0;
}

void
vs_pipeline_destroy(struct vs_pipeline *p)
{
	unsigned int i;

	if (p == NULL)
		return;
	for (i = 0; i < VS_TABLES; i++)
		vs_cls_destroy(p->table[i]);
	rte_free(p);
}

void
vs_pipeline_reclaim(struct vs_pipeline *p)
{
	unsigned int i;

	for (i = 0; p != NULL && i < VS_TABLES; i++)
		if (p->table[i] != NULL)
			vs_cls_reclaim(p->table[i]);
}

uint32_t
vs_pipeline_n_rules(const struct vs_pipeline *p)
{
	uint32_t n = 0;
	unsigned int i;

	for (i = 0; p != NULL && i < VS_TABLES; i++)
		if (p->table[i] != NULL)
			n += vs_cls_n_rules(p->table[i]);
	return n;
}

int
vs_flow_ctrs_init(struct vs_flow_ctrs *c)
{
	size_t per_pmd =
		sizeof(struct vs_flow_ctr) * VS_FLOWS_MAX + sizeof(struct vs_table_ctr) * VS_TABLES;
	unsigned int i;
	char *map;

	memset(c, 0, sizeof(*c));
	per_pmd = RTE_ALIGN_CEIL(per_pmd, 4096);
	map = mmap(NULL, per_pmd * VS_MAX_PMDS, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED)
		return -errno;
	c->map = map;
	c->map_len = per_pmd * VS_MAX_PMDS;
	for (i = 0; i < VS_MAX_PMDS; i++) {
		c->by_pmd[i] = (struct vs_flow_ctr *)(map + per_pmd * i);
		c->tbl[i] = (struct vs_table_ctr *)(c->by_pmd[i] + VS_FLOWS_MAX);
	}
	return 0;
}

void
vs_flow_ctrs_fini(struct vs_flow_ctrs *c)
{
	if (c->map != NULL)
		munmap(c->map, c->map_len);
	memset(c, 0, sizeof(*c));
}

void
vs_flow_ctrs_read(const struct vs_flow_ctrs *c, uint32_t id, uint64_t *packets, uint64_t *bytes)
{
	unsigned int i;

	*packets = *bytes = 0;
	if (c->map == NULL || id >= VS_FLOWS_MAX)
		return;
	for (i = 0; i < VS_MAX_PMDS; i++) {
		*packets += __atomic_load_n(&c->by_pmd[i][id].packets, __ATOMIC_RELAXED);
		*bytes += __atomic_load_n(&c->by_pmd[i][id].bytes, __ATOMIC_RELAXED);
	}
}

void
vs_flow_ctrs_clear(struct vs_flow_ctrs *c, uint32_t id)
{
	unsigned int i;

	if (c->map == NULL || id >= VS_FLOWS_MAX)
		return;
	for (i = 0; i < VS_MAX_PMDS; i++)
		if (c->by_pmd[i][id].packets != 0 || c->by_pmd[i][id].bytes != 0)
			c->by_pmd[i][id] = (struct vs_flow_ctr){0, 0};
}

void
vs_table_ctrs_read(const struct vs_flow_ctrs *c, uint8_t table, uint64_t *lookups,
		   uint64_t *matched)
{
	unsigned int i;

	*lookups = *matched = 0;
	if (c->map == NULL || table >= VS_TABLES)
		return;
	for (i = 0; i < VS_MAX_PMDS; i++) {
		*lookups += __atomic_load_n(&c->tbl[i][table].lookups, __ATOMIC_RELAXED);
		*matched += __atomic_load_n(&c->tbl[i][table].matched, __ATOMIC_RELAXED);
	}
}
