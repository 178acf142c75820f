/* SPDX-License-Identifier: BSD-3-Clause */
/* drivers/port.h: one interface for every port type.
 *
 * A port type is a static const struct vs_port_ops. The control thread opens
 * and closes ports; PMDs only call rx and tx, through copies kept in the
 * port's first cache line. A port that is not running points them at
 * no-ops, so PMDs never test for NULL.
 *
 * Ownership: rx hands the mbufs it returns to the caller. tx takes all 'n'
 * mbufs whatever it returns: it returns how many the device accepted and
 * frees the rest; the caller counts those under port->tx_drop. tx reads
 * the array of pointers but never writes it: a PMD hands its own arrays
 * straight to tx, one array to several ports when it floods (each port
 * with its own reference; no ethdev driver rewrites the array unless asked
 * for VLAN insertion, which the switch never asks for). */
#ifndef VS_PORT_H
#define VS_PORT_H

#include <stdbool.h>
#include <stdint.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_spinlock.h>

#include "common.h"
#include "err.h"
#include "stats.h"

struct vs_port;
struct vs_bridge;

typedef uint16_t vs_port_burst_fn(struct vs_port *port, uint16_t q, struct rte_mbuf **pkts,
				  uint16_t n);

/* What a port's tx does itself (struct vs_port.tx_offloads). */
#define VS_TXOFF_CSUM (1u << 0) /* partial TCP/UDP checksums; IPv4 header checksum */
#define VS_TXOFF_TSO4 (1u << 1) /* TCP segmentation over IPv4 */
#define VS_TXOFF_TSO6 (1u << 2) /* TCP segmentation over IPv6 */
#define VS_TXOFF_ALL  (VS_TXOFF_CSUM | VS_TXOFF_TSO4 | VS_TXOFF_TSO6)

#define VS_KEY_MAX    32
#define VS_VALUE_MAX  256
#define VS_OPTS_MAX   16
#define VS_PATH_MAX   108 /* a unix socket path, with the NUL */
#define VS_INFO_MAX   12

/* One key=value option as the operator wrote it. */
struct vs_kv {
	char key[VS_KEY_MAX];
	char val[VS_VALUE_MAX];
};

/* Every option any port type understands, parsed. Each type lists the ones
 * it accepts in its option table. */
struct vs_port_conf {
	char devargs[VS_VALUE_MAX]; /* dpdk */
	char path[VS_PATH_MAX];     /* vhost-user: the socket */
	char mode[8];               /* vhost-user: "server" or "client" */
	uint16_t n_rxq;             /* vhost-user, ring: queue pairs ("queues") */
	uint16_t n_txq;             /* 0: one per PMD */
	uint16_t n_rxd;
	uint16_t n_txd;
	uint16_t ring_size;              /* ring: frames each ring holds */
	uint16_t mtu;                    /* 0: leave the device's */
	char capture[4];                 /* vhost-user: "on" or "off" */
	char rxq_affinity[VS_VALUE_MAX]; /* every type: "QUEUE:CPU,..." */
	int16_t rxq_pin[VS_MAX_QUEUES];  /* rxq_affinity parsed: CPU per rx queue, -1: none */
};

/* What one rx queue cost, written by the one PMD polling it at a time. */
struct vs_rxq_stats {
	uint64_t packets;
	uint64_t bursts; /* non-empty rx bursts */
	uint64_t cycles; /* spent receiving and forwarding its bursts */
	uint64_t drops;  /* of the packets it received, wherever they were dropped */
} __rte_cache_aligned;

enum vs_opt_kind {
	VS_OPT_STR,
	VS_OPT_U16,
	VS_OPT_ENUM, /* a string, one of 'values' ("a|b|c") */
};

struct vs_port_opt {
	const char *key;
	enum vs_opt_kind kind;
	uint16_t offset; /* in struct vs_port_conf */
	uint16_t size;   /* VS_OPT_STR, VS_OPT_ENUM: buffer size */
	uint32_t min;    /* VS_OPT_U16: accepted range */
	uint32_t max;
	const char *values; /* VS_OPT_ENUM */
	const char *def;    /* applied when not given; NULL: none */
	bool required;
	bool live; /* may change on a running port (vs_port_conf_update) */
	const char *help;
};

/* An option table entry of field 'f' of struct vs_port_conf; VS_LIVE_OPT
 * for one that may change on a running port. */
#define VS_OPT_ENTRY(k, kind_, f, lo, hi, vals, dflt, req, live_, h)                   \
	{                                                                              \
		.key = k, .kind = kind_, .offset = offsetof(struct vs_port_conf, f),   \
		.size = sizeof(((struct vs_port_conf *)0)->f), .min = lo, .max = hi,   \
		.values = vals, .def = dflt, .required = req, .live = live_, .help = h \
	}
#define VS_OPT(k, kind, f, lo, hi, vals, dflt, req, h) \
	VS_OPT_ENTRY(k, kind, f, lo, hi, vals, dflt, req, false, h)
#define VS_LIVE_OPT(k, kind, f, lo, hi, vals, dflt, h) \
	VS_OPT_ENTRY(k, kind, f, lo, hi, vals, dflt, false, true, h)

/* Where vhost-user server sockets may be created, and how. */
struct vs_vhost_env {
	const char *sock_dir;   /* default directory, only the switch writes it */
	const char *allow_dirs; /* more directories, ':'-separated, or "" */
	unsigned int sock_mode; /* permissions of created sockets */
	int uid, gid;           /* owner of created sockets, -1: unchanged */
};

/* What the switch lends a driver. A driver that keeps working after open
 * (vhost-user callbacks) keeps a copy. */
struct vs_port_env {
	unsigned int n_pmds; /* tx queues wanted: one per PMD */
	/* Control thread only: the pool of a NUMA node, created if needed. */
	struct rte_mempool *(*pool)(void *ctx, int socket);
	/* Any thread: the pools that exist, by NUMA node (NULL: none). */
	struct rte_mempool *const *pools;
	/* Any thread: the port's enabled queues or NUMA node changed; the
	 * control thread will re-place its queues. */
	void (*notify)(void *ctx);
	const struct vs_vhost_env *vhost;
	/* The switch's RCU state: wait on it before unmapping what PMDs read. */
	struct rte_rcu_qsbr *qsbr;
	void *ctx;
};

/* Link and device-level counters (drops the device made before we saw the
 * packet: its rx ring was full, it had no mbuf, or the frame was bad). */
struct vs_port_status {
	bool link_up;
	uint32_t speed_mbps;
	struct rte_ether_addr mac;
	uint16_t mtu;
	char driver[32];
	char device[VS_PATH_MAX];

	uint64_t rx_missed;
	uint64_t rx_nombuf;
	uint64_t rx_errors;
	uint64_t tx_errors;
	/* txq_mapped: the driver maps PMDs to tx queues itself (vhost-user:
	 * to the guest's enabled queue pairs, which the vhost library
	 * serialises when PMDs share one), and txq_in_use says how many it
	 * sends to now. Otherwise PMDs use the port's n_txq, shared under
	 * txq_lock when txq_shared. */
	bool txq_mapped;
	uint16_t txq_in_use;
	struct vs_kv info[VS_INFO_MAX]; /* facts of the port type, for show */
	unsigned int n_info;
};

struct vs_port_ops {
	const char *type;
	const char *help;
	const struct vs_port_opt *opts;
	unsigned int n_opts;
	/* Control thread: open and start the device described by port->conf.
	 * Sets port->n_rxq, n_txq, rxq_enabled, tx_offloads, socket and priv.
	 * 0 or -errno, err set. */
	int (*open)(struct vs_port *port, const struct vs_port_env *env, struct vs_err *err);
	/* Control thread, once no PMD can reach the port. Cannot fail. */
	void (*close)(struct vs_port *port);
	/* Control thread: link state and device counters. 0 or -errno. */
	int (*status)(const struct vs_port *port, struct vs_port_status *st);
	/* Control thread: make the device follow the live options of 'conf'
	 * (the type's own; NULL if it has none). 0 or -errno, err set, and
	 * nothing changed. Going back to the port's current conf cannot fail. */
	int (*set)(struct vs_port *port, const struct vs_port_conf *conf, struct vs_err *err);
	/* Control thread, PMDs running: give the device a tx queue for each
	 * of env->n_pmds PMDs, or as many as it has. Only if it can have
	 * more, it takes the port from PMDs meanwhile (rx and tx at no-ops,
	 * then an RCU grace period on env->qsbr) and gives it back. 0 with
	 * port->n_txq updated (maybe unchanged), -ENOTSUP when the count is
	 * the operator's (txq=), or -errno, err set; the device runs after
	 * it either way if it can. NULL: the type cannot. */
	int (*txq_resize)(struct vs_port *port, const struct vs_port_env *env, struct vs_err *err);
	/* PMD that owns rx queue 'q'. */
	vs_port_burst_fn *rx;
	/* PMD with tx queue 'q' (its own, or shared under txq_lock[q]). */
	vs_port_burst_fn *tx;
};

struct vs_port {
	/* Hot: read by PMDs on every burst. */
	vs_port_burst_fn *rx;
	vs_port_burst_fn *tx;
	void *priv;
	struct vs_bridge *br;
	uint16_t id;
	uint16_t n_txq;
	bool txq_shared; /* fewer tx queues than PMDs: PMD i uses i % n_txq, locked */
	/* enum vs_drop for packets tx did not take. */
	uint8_t tx_drop;
	/* Admin down (OpenFlow PORT_MOD): rx and tx are the no-ops and what
	 * is sent to it is counted port_down, whatever tx_drop says. Set by
	 * the control thread only (vs_port_set_admin_down); a reconfiguration
	 * that parks the bursts brings them back through vs_port_resume, which
	 * keeps a down port down. */
	bool admin_down;
	/* VS_TXOFF_*: offloads tx performs itself;
	 * packets asking for others get them done in software first. */
	uint32_t tx_offloads;
	/* The longest frame tx sends (MTU + Ethernet header + one VLAN tag),
	 * 0: any; longer ones are dropped as too_big, unless segmented later. */
	uint32_t frame_max;
	/* tx_drop and tx_offloads: a driver may change them from its own
	 * thread (vhost-user callbacks) while PMDs read them, so both go
	 * through vs_port_set_tx_state / __atomic_load_n, relaxed: each is a
	 * lone value that publishes nothing. A PMD that sees the old one for
	 * a burst counts a drop under the old reason, or completes offloads
	 * in software that the guest could now do: harmless either way. */
	/* Cold: control thread, but for what the driver sets from its own
	 * threads (vhost-user callbacks): rxq_enabled and socket, stored
	 * with release by the driver before it calls env->notify, loaded with
	 * acquire by the control thread (vs_port_rxq_enabled, vs_port_socket)
	 * when notify has woken it. */
	const struct vs_port_ops *ops;
	char name[VS_NAME_MAX];
	uint32_t ofport; /* OpenFlow port number in its bridge, 1-65279, stable for the
			  * port's life and across restarts (saved); 0: none yet */
	uint16_t n_rxq;
	uint16_t tx_pmds;     /* PMD slots that may send to it, as txq_shared was last set for */
	uint64_t rxq_enabled; /* bit q: rx queue q may be polled */
	int socket;           /* NUMA node of the device, SOCKET_ID_ANY if unknown */
	int sched_socket;     /* the node its queues were placed for */
	/* Frames found queued at open and discarded (drain_stale in
	 * port_dpdk.c): received, dropped as open_stale, no PMD's. */
	struct vs_port_ctr stale;
	struct vs_port_conf conf;
	struct vs_kv opts[VS_OPTS_MAX];
	unsigned int n_opts;
	int16_t rxq_pmd[VS_MAX_QUEUES]; /* PMD index polling each rx queue, -1: none */
	struct vs_rxq_stats rxq_st[VS_MAX_QUEUES];
	rte_spinlock_t txq_lock[VS_MAX_QUEUES];
	struct vs_port_ctr ctr[VS_MAX_PMDS]; /* indexed by PMD */
} __rte_cache_aligned;

/* The cross-thread fields of struct vs_port (see there for what pairs
 * with what). */
static inline uint64_t
vs_port_rxq_enabled(const struct vs_port *port)
{
	return __atomic_load_n(&port->rxq_enabled, __ATOMIC_ACQUIRE);
}

static inline int
vs_port_socket(const struct vs_port *port)
{
	return __atomic_load_n(&port->socket, __ATOMIC_ACQUIRE);
}

static inline void
vs_port_set_rx_state(struct vs_port *port, uint64_t rxq_enabled, int socket)
{
	__atomic_store_n(&port->socket, socket, __ATOMIC_RELEASE);
	__atomic_store_n(&port->rxq_enabled, rxq_enabled, __ATOMIC_RELEASE);
}

static inline void
vs_port_set_tx_state(struct vs_port *port, enum vs_drop tx_drop, uint32_t tx_offloads)
{
	__atomic_store_n(&port->tx_drop, (uint8_t)tx_drop, __ATOMIC_RELAXED);
	__atomic_store_n(&port->tx_offloads, tx_offloads, __ATOMIC_RELAXED);
}

/* Registry. */
const struct vs_port_ops *vs_port_type_find(const char *type);
/* Writes "dpdk, ..." into buf. */
void vs_port_type_names(char *buf, size_t size);

/* Parse options against the type's table into 'conf' (defaults first).
 * Rejects unknown keys, repeated keys, bad values and missing required
 * ones, naming the option and the accepted values. */
int vs_port_conf_parse(const struct vs_port_ops *ops, const struct vs_kv *kv, unsigned int n,
		       struct vs_port_conf *conf, struct vs_err *err);

/* 'conf' becomes the port's options with 'kv' applied: live options only,
 * "" puts one back to its default. 0 or -errno, err naming the option. */
int vs_port_conf_update(const struct vs_port *port, const struct vs_kv *kv, unsigned int n,
			struct vs_port_conf *conf, struct vs_err *err);

/* Control thread: record option 'key' as now 'val' ("": unset) in the
 * options show lists, for the ones that change on a running port. */
void vs_port_set_opt(struct vs_port *port, const char *key, const char *val);

/* "QUEUE:CPU[,QUEUE:CPU...]" into pins[queue] = cpu (others -1). */
int vs_rxq_affinity_parse(const char *text, int16_t *pins, struct vs_err *err);

/* Split "key=value" (the first '=' separates) into 'kv'. */
int vs_kv_parse(const char *text, struct vs_kv *kv, struct vs_err *err);

/* Create and open a port; on success it is running but not in any table. */
int vs_port_open(const struct vs_port_ops *ops, const char *name, const struct vs_kv *kv,
		 unsigned int n, const struct vs_port_env *env, struct vs_port **out,
		 struct vs_err *err);
/* Close and free (NULL is fine). Only once no PMD can reach the port. */
void vs_port_close(struct vs_port *port);

/* Sum of the per-PMD counters. */
void vs_port_counters(const struct vs_port *port, struct vs_port_ctr *sum);

/* The low 'n' bits set (n up to 64). */
uint64_t vs_queue_mask(unsigned int n);

/* Add a "key": "value" fact to a status, for show. */
void vs_port_info(struct vs_port_status *st, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Port names: 1..31 characters of [A-Za-z0-9_.:-], not starting with '-'. */
bool vs_name_valid(const char *name);

/* Burst functions of a port that does not move packets. */
vs_port_burst_fn vs_port_rx_none;
vs_port_burst_fn vs_port_tx_none;

/* Park a port's bursts on the no-ops (a reconfiguration; the caller waits
 * for a grace period before it touches the queues), and bring them back:
 * the driver's, or the no-ops again if the port is admin down. */
void vs_port_park(struct vs_port *port);
void vs_port_resume(struct vs_port *port);
/* Admin down or up (control thread). A PMD may run one more burst with
 * the old functions; nothing waits for it, nothing depends on it. */
void vs_port_set_admin_down(struct vs_port *port, bool down);

/* Why packets tx did not take are dropped. */
static inline enum vs_drop
vs_port_tx_reason(const struct vs_port *port)
{
	if (__atomic_load_n(&port->admin_down, __ATOMIC_RELAXED))
		return VS_DROP_PORT_DOWN;
	return (enum vs_drop)__atomic_load_n(&port->tx_drop, __ATOMIC_RELAXED);
}

extern const struct vs_port_ops vs_port_dpdk_ops;
extern const struct vs_port_ops vs_port_vhost_ops;
extern const struct vs_port_ops vs_port_ring_ops;

#endif
