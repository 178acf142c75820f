/* SPDX-License-Identifier: BSD-3-Clause */
/* drivers/port.c: the port type registry, option parsing shared by all
 * types, and opening/closing a port through its type's ops. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>

#include "port.h"

static const struct vs_port_ops *const port_types[] = {
	&vs_port_dpdk_ops,
	&vs_port_vhost_ops,
	&vs_port_ring_ops,
};

const struct vs_port_ops *
vs_port_type_find(const char *type)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(port_types); i++)
		if (strcmp(port_types[i]->type, type) == 0)
			return port_types[i];
	return NULL;
}

void
vs_port_type_names(char *buf, size_t size)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < RTE_DIM(port_types) && off < size; i++)
		off += snprintf(buf + off, size - off, "%s%s", i ? ", " : "", port_types[i]->type);
}

bool
vs_name_valid(const char *name)
{
	size_t i, len = strlen(name);

	if (len == 0 || len >= VS_NAME_MAX || name[0] == '-')
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && strchr("_.:-", name[i]) == NULL)
			return false;
	return true;
}

int
vs_kv_parse(const char *text, struct vs_kv *kv, struct vs_err *err)
{
	const char *eq = strchr(text, '=');
	size_t klen;

	if (eq == NULL || eq == text)
		return vs_err_set(err, -EINVAL, "option '%s' is not of the form key=value", text);
	klen = (size_t)(eq - text);
	if (klen >= sizeof(kv->key))
		return vs_err_set(err, -EINVAL, "option key '%.*s' is too long", (int)klen, text);
	if (strlen(eq + 1) >= sizeof(kv->val))
		return vs_err_set(err, -EINVAL, "value of option '%.*s' is longer than %zu bytes",
				  (int)klen, text, sizeof(kv->val) - 1);
	memcpy(kv->key, text, klen);
	kv->key[klen] = '\0';
	strcpy(kv->val, eq + 1);
	return 0;
}

/* Options every port type takes: how the switch uses the port, not how the
 * device is opened. */
static const struct vs_port_opt common_opts[] = {
	VS_LIVE_OPT("pmd-rxq-affinity", VS_OPT_STR, rxq_affinity, 0, 0, NULL, NULL,
		    "rx queues pinned to PMD cores, QUEUE:CPU[,QUEUE:CPU...], e.g. 0:2,1:3"),
};

static void
opt_keys(const struct vs_port_ops *ops, char *buf, size_t size)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < ops->n_opts && off < size; i++)
		off += snprintf(buf + off, size - off, "%s%s", i ? ", " : "", ops->opts[i].key);
	for (i = 0; i < RTE_DIM(common_opts) && off < size; i++)
		off += snprintf(buf + off, size - off, ", %s", common_opts[i].key);
}

/* The option 'key' in the type's table, then in the common one; its index
 * over both, or -1. */
static int
opt_find(const struct vs_port_ops *ops, const char *key, const struct vs_port_opt **o)
{
	unsigned int j;

	for (j = 0; j < ops->n_opts; j++)
		if (strcmp(key, ops->opts[j].key) == 0) {
			*o = &ops->opts[j];
			return (int)j;
		}
	for (j = 0; j < RTE_DIM(common_opts); j++)
		if (strcmp(key, common_opts[j].key) == 0) {
			*o = &common_opts[j];
			return (int)(ops->n_opts + j);
		}
	return -1;
}

int
vs_rxq_affinity_parse(const char *text, int16_t *pins, struct vs_err *err)
{
	const char *p = text;
	unsigned long q, cpu;
	char *end;

	for (q = 0; q < VS_MAX_QUEUES; q++)
		pins[q] = -1;
	while (*p != '\0') {
		q = strtoul(p, &end, 10);
		if (end == p || *end != ':' || q >= VS_MAX_QUEUES)
			goto bad;
		p = end + 1;
		cpu = strtoul(p, &end, 10);
		if (end == p || (*end != ',' && *end != '\0') || cpu >= VS_CPU_MAX)
			goto bad;
		if (pins[q] >= 0)
			return vs_err_set(err, -EINVAL,
					  "pmd-rxq-affinity: queue %lu is pinned twice", q);
		pins[q] = (int16_t)cpu;
		p = *end == ',' ? end + 1 : end;
	}
	return 0;
bad:
	return vs_err_set(err, -EINVAL,
			  "pmd-rxq-affinity: '%s' is not QUEUE:CPU[,QUEUE:CPU...] with queues "
			  "from 0 to %d and CPU numbers (e.g. 0:2,1:3)",
			  text, VS_MAX_QUEUES - 1);
}

static bool
enum_has(const char *values, const char *v)
{
	size_t len = strlen(v);
	const char *p = values;

	while (len > 0 && p != NULL) {
		if (strncmp(p, v, len) == 0 && (p[len] == '|' || p[len] == '\0'))
			return true;
		p = strchr(p, '|');
		if (p != NULL)
			p++;
	}
	return false;
}

static int
opt_set(const struct vs_port_opt *o, const char *type, const char *val, struct vs_port_conf *conf,
	struct vs_err *err)
{
	char *p = (char *)conf + o->offset;
	unsigned long v;
	char *end;

	switch (o->kind) {
	case VS_OPT_STR:
		if (val[0] == '\0')
			return vs_err_set(err, -EINVAL, "option '%s' of a %s port is empty (%s)",
					  o->key, type, o->help);
		if (strlen(val) >= o->size)
			return vs_err_set(err, -EINVAL, "option '%s' is longer than %u bytes",
					  o->key, o->size - 1);
		strcpy(p, val);
		return 0;
	case VS_OPT_ENUM:
		if (!enum_has(o->values, val))
			return vs_err_set(err, -EINVAL, "option '%s=%s' must be one of %s", o->key,
					  val, o->values);
		snprintf(p, o->size, "%s", val);
		return 0;
	case VS_OPT_U16:
		errno = 0;
		v = strtoul(val, &end, 10);
		if (errno != 0 || end == val || *end != '\0' || !isdigit((unsigned char)val[0]) ||
		    v < o->min || v > o->max)
			return vs_err_set(err, -ERANGE,
					  "option '%s=%s' is not a number from %u to %u (%s)",
					  o->key, val, o->min, o->max, o->help);
		*(uint16_t *)p = (uint16_t)v;
		return 0;
	}
	return -EINVAL;
}

/* Apply 'kv' to 'conf', marking in 'seen' (indexed as opt_find) the
 * options given. 'running': only live options, and "" puts one back to its
 * default. */
static int
apply_kv(const struct vs_port_ops *ops, const struct vs_kv *kv, unsigned int n, bool running,
	 bool *seen, struct vs_port_conf *conf, struct vs_err *err)
{
	const struct vs_port_opt *o;
	unsigned int i;
	char keys[512];
	int j, ret;

	if (n > VS_OPTS_MAX)
		return vs_err_set(err, -E2BIG, "too many options (at most %d)", VS_OPTS_MAX);
	for (i = 0; i < n; i++) {
		const char *val = kv[i].val;

		j = opt_find(ops, kv[i].key, &o);
		if (j < 0) {
			opt_keys(ops, keys, sizeof(keys));
			return vs_err_set(err, -EINVAL,
					  "unknown option '%s' for a %s port; its options are: %s",
					  kv[i].key, ops->type, keys);
		}
		if (running && !o->live)
			return vs_err_set(err, -EINVAL,
					  "option '%s' cannot change on a running port: del-port, "
					  "then add-port with the new value",
					  kv[i].key);
		if (seen[j])
			return vs_err_set(err, -EINVAL, "option '%s' given twice", kv[i].key);
		seen[j] = true;
		if (running && val[0] == '\0') {
			memset((char *)conf + o->offset, 0, o->size);
			val = o->def;
			if (val == NULL)
				continue;
		}
		ret = opt_set(o, ops->type, val, conf, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int
parse_affinity(struct vs_port_conf *conf, struct vs_err *err)
{
	return vs_rxq_affinity_parse(conf->rxq_affinity, conf->rxq_pin, err);
}

int
vs_port_conf_parse(const struct vs_port_ops *ops, const struct vs_kv *kv, unsigned int n,
		   struct vs_port_conf *conf, struct vs_err *err)
{
	bool seen[VS_OPTS_MAX + RTE_DIM(common_opts)] = {false};
	unsigned int i;
	int ret;

	*conf = (struct vs_port_conf){0};
	for (i = 0; i < ops->n_opts; i++) {
		if (ops->opts[i].def == NULL)
			continue;
		ret = opt_set(&ops->opts[i], ops->type, ops->opts[i].def, conf, err);
		if (ret < 0)
			return ret;
	}
	ret = apply_kv(ops, kv, n, false, seen, conf, err);
	if (ret < 0)
		return ret;
	for (i = 0; i < ops->n_opts; i++)
		if (ops->opts[i].required && !seen[i])
			return vs_err_set(err, -EINVAL, "a %s port needs option '%s' (%s)",
					  ops->type, ops->opts[i].key, ops->opts[i].help);
	return parse_affinity(conf, err);
}

int
vs_port_conf_update(const struct vs_port *port, const struct vs_kv *kv, unsigned int n,
		    struct vs_port_conf *conf, struct vs_err *err)
{
	bool seen[VS_OPTS_MAX + RTE_DIM(common_opts)] = {false};
	int ret;

	*conf = port->conf;
	ret = apply_kv(port->ops, kv, n, true, seen, conf, err);
	return ret < 0 ? ret : parse_affinity(conf, err);
}

void
vs_port_set_opt(struct vs_port *port, const char *key, const char *val)
{
	unsigned int i;

	for (i = 0; i < port->n_opts && strcmp(port->opts[i].key, key) != 0; i++)
		;
	if (val[0] == '\0') { /* unset */
		if (i < port->n_opts)
			port->opts[i] = port->opts[--port->n_opts];
		return;
	}
	if (i == port->n_opts) {
		if (i == VS_OPTS_MAX)
			return; /* every option a type knows fits: cannot happen */
		snprintf(port->opts[i].key, sizeof(port->opts[i].key), "%s", key);
		port->n_opts++;
	}
	snprintf(port->opts[i].val, sizeof(port->opts[i].val), "%s", val);
}

uint16_t
vs_port_rx_none(struct vs_port *port, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	return 0;
}

uint16_t
vs_port_tx_none(struct vs_port *port, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	rte_pktmbuf_free_bulk(pkts, n);
	return 0;
}

void
vs_port_park(struct vs_port *port)
{
	__atomic_store_n(&port->rx, vs_port_rx_none, __ATOMIC_RELAXED);
	__atomic_store_n(&port->tx, vs_port_tx_none, __ATOMIC_RELAXED);
}

void
vs_port_resume(struct vs_port *port)
{
	bool down = port->admin_down;

	__atomic_store_n(&port->rx, down ? vs_port_rx_none : port->ops->rx, __ATOMIC_RELAXED);
	__atomic_store_n(&port->tx, down ? vs_port_tx_none : port->ops->tx, __ATOMIC_RELAXED);
}

void
vs_port_set_admin_down(struct vs_port *port, bool down)
{
	__atomic_store_n(&port->admin_down, down, __ATOMIC_RELAXED);
	if (down)
		vs_port_park(port);
	else
		vs_port_resume(port);
}

int
vs_port_open(const struct vs_port_ops *ops, const char *name, const struct vs_kv *kv,
	     unsigned int n, const struct vs_port_env *env, struct vs_port **out,
	     struct vs_err *err)
{
	struct vs_port_status st;
	struct vs_port_conf conf;
	struct vs_port *port;
	unsigned int i;
	int ret;

	if (!vs_name_valid(name))
		return vs_err_set(err, -EINVAL,
				  "invalid port name '%s': use 1 to %d characters from "
				  "A-Z a-z 0-9 _ . : - (not starting with '-')",
				  name, VS_NAME_MAX - 1);
	ret = vs_port_conf_parse(ops, kv, n, &conf, err);
	if (ret < 0)
		return ret;
	port = rte_zmalloc("vs_port", sizeof(*port), RTE_CACHE_LINE_SIZE);
	if (port == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory for port '%s'", name);
	port->rx = vs_port_rx_none;
	port->tx = vs_port_tx_none;
	port->tx_drop = VS_DROP_TX_FULL;
	port->id = VS_PORT_NONE;
	port->ops = ops;
	port->socket = SOCKET_ID_ANY;
	port->sched_socket = SOCKET_ID_ANY;
	port->conf = conf;
	snprintf(port->name, sizeof(port->name), "%s", name);
	if (n > 0) /* a port with no options may come with no array */
		memcpy(port->opts, kv, sizeof(*kv) * n);
	port->n_opts = n;
	for (i = 0; i < VS_MAX_QUEUES; i++) {
		port->rxq_pmd[i] = -1;
		rte_spinlock_init(&port->txq_lock[i]);
	}
	ret = ops->open(port, env, err);
	if (ret < 0) {
		rte_free(port);
		return ret;
	}
	port->txq_shared = port->n_txq < env->n_pmds;
	port->tx_pmds = (uint16_t)env->n_pmds;
	/* The device's MTU (a vhost-user guest's is not known yet: no limit). */
	if (ops->status(port, &st) == 0 && st.mtu != 0)
		port->frame_max = st.mtu + RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN;
	port->rx = ops->rx;
	port->tx = ops->tx;
	*out = port;
	return 0;
}

void
vs_port_close(struct vs_port *port)
{
	if (port == NULL)
		return;
	port->rx = vs_port_rx_none;
	port->tx = vs_port_tx_none;
	port->ops->close(port);
	rte_free(port);
}

uint64_t
vs_queue_mask(unsigned int n)
{
	return n >= 64 ? UINT64_MAX : (UINT64_C(1) << n) - 1;
}

void
vs_port_info(struct vs_port_status *st, const char *key, const char *fmt, ...)
{
	struct vs_kv *kv;
	va_list ap;

	if (st->n_info >= VS_INFO_MAX)
		return;
	kv = &st->info[st->n_info++];
	snprintf(kv->key, sizeof(kv->key), "%s", key);
	va_start(ap, fmt);
	vsnprintf(kv->val, sizeof(kv->val), fmt, ap);
	va_end(ap);
}

void
vs_port_counters(const struct vs_port *port, struct vs_port_ctr *sum)
{
	unsigned int r;

	vs_port_ctr_sum(port->ctr, VS_MAX_PMDS, sum);
	sum->rx_packets += port->stale.rx_packets;
	sum->rx_bytes += port->stale.rx_bytes;
	for (r = 0; r < VS_DROP_MAX; r++)
		sum->drops[r] += port->stale.drops[r];
}
