/* SPDX-License-Identifier: BSD-3-Clause */
/* drivers/port_dpdk.c: type=dpdk, any DPDK ethdev: a PCI NIC bound to vfio
 * ("devargs=0000:01:00.0") or a virtual device ("devargs=net_tap0,iface=t0",
 * net_af_packet, net_pcap, net_ring, net_null, ...). The device is
 * hot-plugged on open and removed on close, one rx queue per configured
 * queue and one tx queue per PMD, so PMDs transmit without locks. */
#include <errno.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "capture.h"
#include "port.h"

struct dpdk_port {
	uint16_t port_id;
	bool promisc_set; /* we turned promiscuous mode on: turn it off on close */
};

/* The first ethdev port that 'devargs' designates, or -ENODEV. */
static int
find_port(const char *devargs)
{
	struct rte_dev_iterator it;
	uint16_t pid;

	RTE_ETH_FOREACH_MATCHING_DEV (pid, devargs, &it) {
		rte_eth_iterator_cleanup(&it);
		return pid;
	}
	return -ENODEV;
}

static int
attach(struct vs_port *port, struct vs_err *err)
{
	const char *devargs = port->conf.devargs;
	int pid, ret;

	pid = find_port(devargs);
	if (pid >= 0)
		return pid;
	ret = rte_dev_probe(devargs);
	if (ret < 0)
		return vs_err_set(err, ret, "DPDK cannot probe device '%s': %s", devargs,
				  strerror(-ret));
	pid = find_port(devargs);
	if (pid < 0)
		return vs_err_set(err, -ENODEV,
				  "device '%s' was probed but is not an Ethernet device "
				  "(no ethdev port matches it)",
				  devargs);
	return pid;
}

static void
detach(uint16_t pid, bool promisc_set)
{
	struct rte_eth_dev_info info;
	struct rte_device *dev;
	uint16_t other;

	if (rte_eth_dev_info_get(pid, &info) != 0)
		return;
	dev = info.device;
	if (promisc_set)
		rte_eth_promiscuous_disable(pid);
	rte_eth_dev_stop(pid);
	rte_eth_dev_close(pid);
	RTE_ETH_FOREACH_DEV_OF(other, dev)
	return; /* another port of a multi-port device is still in use */
	rte_dev_remove(dev);
}

/* Which vswitch port uses each ethdev ("" none). The devices are the
 * process's, so is this table; only the control thread opens and closes
 * ports. Not ethdev ownership: an owned device is hidden from every
 * other DPDK user, dpdk-dumpcap and dpdk-proc-info included. */
static char users[RTE_MAX_ETHPORTS][VS_NAME_MAX];

/* The value of "iface=" in devargs 'args' into 'out' ("" if none). */
static void
iface_of(const char *args, char *out, size_t size)
{
	const char *p = args;
	size_t n;

	out[0] = '\0';
	while (p != NULL && *p != '\0') {
		if (strncmp(p, "iface=", 6) == 0) {
			n = strcspn(p + 6, ",");
			snprintf(out, size, "%.*s", (int)n, p + 6);
			return;
		}
		p = strchr(p, ',');
		p = p != NULL ? p + 1 : NULL;
	}
}

/* The port using interface 'iface' through a net_af_packet device other
 * than 'pid', or NULL. */
static const char *
af_packet_user(uint16_t pid, const char *iface)
{
	const struct rte_devargs *da;
	struct rte_eth_dev_info info;
	char other[VS_VALUE_MAX];
	uint16_t q;

	RTE_ETH_FOREACH_DEV (q) {
		if (q == pid || users[q][0] == '\0' || rte_eth_dev_info_get(q, &info) != 0 ||
		    strcmp(info.driver_name, "net_af_packet") != 0)
			continue;
		da = rte_dev_devargs(info.device);
		if (da == NULL)
			continue;
		iface_of(da->args, other, sizeof(other));
		if (strcmp(other, iface) == 0)
			return users[q];
	}
	return NULL;
}

/* -EBUSY if 'port' is a net_af_packet device on an interface another
 * port already uses through another net_af_packet device: both would
 * open, but as one fanout group of the kernel (its id is made of the
 * process and the interface), which gives each frame to one of them. */
static int
check_af_packet(const struct vs_port *port, uint16_t pid, struct vs_err *err)
{
	struct rte_eth_dev_info info;
	char iface[VS_VALUE_MAX];
	const char *user;

	if (rte_eth_dev_info_get(pid, &info) != 0 || strcmp(info.driver_name, "net_af_packet") != 0)
		return 0;
	iface_of(port->conf.devargs, iface, sizeof(iface));
	user = af_packet_user(pid, iface);
	if (user == NULL)
		return 0;
	return vs_err_set(err, -EBUSY,
			  "interface %s is already port %s (a net_af_packet device backs only "
			  "one port): delete that port first",
			  iface, user);
}

static int
claim(struct vs_port *port, struct dpdk_port *dp, struct vs_err *err)
{
	struct rte_eth_dev_owner owner = {0};
	int ret;

	ret = rte_eth_dev_owner_get(dp->port_id, &owner);
	if (ret == 0 && owner.id != RTE_ETH_DEV_NO_OWNER)
		return vs_err_set(err, -EBUSY, "device '%s' is already in use by '%s'",
				  port->conf.devargs, owner.name);
	if (users[dp->port_id][0] != '\0')
		return vs_err_set(err, -EBUSY, "device '%s' is already port %s", port->conf.devargs,
				  users[dp->port_id]);
	snprintf(users[dp->port_id], sizeof(users[0]), "%s", port->name);
	return 0;
}

static int
configure(struct vs_port *port, struct dpdk_port *dp, const struct vs_port_env *env,
	  struct vs_err *err)
{
	const struct vs_port_conf *c = &port->conf;
	struct rte_eth_conf conf = {0};
	struct rte_eth_dev_info info;
	struct rte_mempool *pool;
	uint16_t pid = dp->port_id, rxd = c->n_rxd, txd = c->n_txd, q, n_txq;
	int ret, socket;

	ret = rte_eth_dev_info_get(pid, &info);
	if (ret < 0)
		return vs_err_set(err, ret, "cannot query device '%s'", c->devargs);
	if (c->n_rxq > info.max_rx_queues)
		return vs_err_set(err, -EINVAL, "device '%s' has at most %u rx queues, not rxq=%u",
				  c->devargs, info.max_rx_queues, c->n_rxq);
	n_txq = c->n_txq ? c->n_txq : RTE_MIN(env->n_pmds, info.max_tx_queues);
	if (n_txq == 0 || n_txq > info.max_tx_queues)
		return vs_err_set(err, -EINVAL, "device '%s' has at most %u tx queues, not txq=%u",
				  c->devargs, info.max_tx_queues, n_txq);
	ret = rte_eth_dev_configure(pid, c->n_rxq, n_txq, &conf);
	if (ret < 0)
		return vs_err_set(err, ret,
				  "cannot configure device '%s' with %u rx and %u tx "
				  "queues: %s",
				  c->devargs, c->n_rxq, n_txq, strerror(-ret));
	if (c->mtu != 0) {
		ret = rte_eth_dev_set_mtu(pid, c->mtu);
		if (ret < 0)
			return vs_err_set(err, ret, "device '%s' refuses mtu=%u: %s", c->devargs,
					  c->mtu, strerror(-ret));
	}
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(pid, &rxd, &txd);
	if (ret < 0)
		return vs_err_set(err, ret, "device '%s' refuses %u/%u descriptors", c->devargs,
				  c->n_rxd, c->n_txd);
	socket = rte_eth_dev_socket_id(pid);
	port->socket = socket;
	pool = env->pool(env->ctx, socket);
	if (pool == NULL)
		return vs_err_set(err, -ENOMEM, "no mbuf pool for NUMA node %d", socket);
	for (q = 0; q < c->n_rxq; q++) {
		ret = rte_eth_rx_queue_setup(pid, q, rxd, socket, NULL, pool);
		if (ret < 0)
			return vs_err_set(err, ret, "cannot set up rx queue %u of '%s': %s", q,
					  c->devargs, strerror(-ret));
	}
	for (q = 0; q < n_txq; q++) {
		ret = rte_eth_tx_queue_setup(pid, q, txd, socket, NULL);
		if (ret < 0)
			return vs_err_set(err, ret, "cannot set up tx queue %u of '%s': %s", q,
					  c->devargs, strerror(-ret));
	}
	/* A switch port must see every frame, whatever its destination. Some
	 * virtual devices have no such mode and see everything anyway. */
	if (rte_eth_promiscuous_get(pid) == 0) {
		ret = rte_eth_promiscuous_enable(pid);
		if (ret < 0 && ret != -ENOTSUP)
			return vs_err_set(err, ret, "cannot put '%s' in promiscuous mode",
					  c->devargs);
		dp->promisc_set = ret == 0;
	}
	ret = rte_eth_dev_start(pid);
	if (ret < 0)
		return vs_err_set(err, ret, "cannot start device '%s': %s", c->devargs,
				  strerror(-ret));
	port->n_rxq = c->n_rxq;
	port->n_txq = n_txq;
	port->rxq_enabled = vs_queue_mask(c->n_rxq);
	return 0;
}

/* Discard what a new net_af_packet port received before it joined a
 * bridge, counted as open_stale (port->stale). DPDK 22.11's af_packet
 * opens its ETH_P_ALL socket and rx ring before binding it to the
 * interface, so for a moment it copies frames from every interface of
 * the host, which would otherwise be forwarded as duplicates and teach
 * the bridge wrong MAC locations. Its ring does not say which interface a
 * frame came from, so everything queued goes. Only af_packet: any other
 * device's queued frames are its own (a pcap replay's first frames, what
 * a NIC received at start) and are forwarded. Bounded: a busy link
 * cannot keep us here. */
static void
drain_stale(struct vs_port *port, uint16_t pid, const char *driver)
{
	struct rte_mbuf *pkts[VS_BURST];
	unsigned int round;
	uint16_t q, n, i;

	if (strcmp(driver, "net_af_packet") != 0)
		return;
	for (q = 0; q < port->n_rxq; q++)
		for (round = 0; round < 64; round++) {
			n = rte_eth_rx_burst(pid, q, pkts, VS_BURST);
			if (n == 0)
				break;
			for (i = 0; i < n; i++)
				port->stale.rx_bytes += rte_pktmbuf_pkt_len(pkts[i]);
			rte_pktmbuf_free_bulk(pkts, n);
			port->stale.rx_packets += n;
		}
	port->stale.drops[VS_DROP_OPEN_STALE] = port->stale.rx_packets;
}

static int
dpdk_open(struct vs_port *port, const struct vs_port_env *env, struct vs_err *err)
{
	struct rte_eth_dev_info info;
	struct dpdk_port *dp;
	int pid, ret;

	dp = rte_zmalloc("vs_port_dpdk", sizeof(*dp), RTE_CACHE_LINE_SIZE);
	if (dp == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	pid = attach(port, err);
	if (pid < 0) {
		ret = pid;
		goto err_free;
	}
	dp->port_id = (uint16_t)pid;
	ret = claim(port, dp, err);
	if (ret < 0)
		goto err_free; /* someone else's device: leave it alone */
	ret = check_af_packet(port, dp->port_id, err);
	if (ret == 0)
		ret = configure(port, dp, env, err);
	if (ret < 0)
		goto err_detach;
	if (rte_eth_dev_info_get(dp->port_id, &info) == 0)
		drain_stale(port, dp->port_id, info.driver_name);
	port->priv = dp;
	return 0;

err_detach:
	users[dp->port_id][0] = '\0';
	detach(dp->port_id, dp->promisc_set);
err_free:
	rte_free(dp);
	return ret;
}

/* Free whatever rx queue 'q' still holds: at most its descriptors' worth,
 * so a device that makes up frames (net_null) cannot keep us here. */
static void
drain_rxq(uint16_t pid, uint16_t q, uint16_t n_rxd)
{
	struct rte_mbuf *pkts[VS_BURST];
	unsigned int round;
	uint16_t n;

	for (round = 0; round <= n_rxd / VS_BURST; round++) {
		n = rte_eth_rx_burst(pid, q, pkts, VS_BURST);
		if (n == 0)
			break;
		rte_pktmbuf_free_bulk(pkts, n);
	}
}

/* net_ring's ring 'i' of device 'name' (the name DPDK 22.11 gives it), or
 * NULL. Only the rings of a device probed without nodeaction=, which it
 * created and which nobody else uses. */
static struct rte_ring *
ring_of(const char *name, unsigned int i)
{
	char rname[RTE_RING_NAMESIZE];

	if (snprintf(rname, sizeof(rname), "ETH_RXTX%u_%s", i, name) >= (int)sizeof(rname))
		return NULL;
	return rte_ring_lookup(rname);
}

static void
drain_ring(struct rte_ring *r)
{
	void *objs[VS_BURST];
	unsigned int n;

	while ((n = rte_ring_dequeue_burst(r, objs, VS_BURST, NULL)) > 0)
		rte_pktmbuf_free_bulk((struct rte_mbuf **)objs, n);
}

/* Free what the device still holds before it goes: the frames a device
 * has sent but not yet freed (rte_eth_tx_done_cleanup, where the driver
 * has it) and what is queued for rx; a driver frees its descriptor rings
 * at close, but not always the mbufs in them. net_ring keeps the frames
 * transmitted to it in its rings until they are dequeued: its tx queue i
 * is the ring of its rx queue i, so with more tx queues (one per PMD) than
 * rx queues, what went to the others is never read, and DPDK 22.11 frees
 * the rings without freeing their mbufs (a port removed after traffic held
 * up to 1023 mbufs per ring for good). */
static void
drain_device(uint16_t pid, const struct vs_port *port, const char *ring_dev)
{
	struct rte_ring *r;
	unsigned int i;
	uint16_t q;

	for (q = 0; q < port->n_txq; q++)
		rte_eth_tx_done_cleanup(pid, q, 0); /* -ENOTSUP for most virtual devices */
	for (q = 0; q < port->n_rxq; q++)
		drain_rxq(pid, q, port->conf.n_rxd);
	for (i = 0; ring_dev != NULL && i < RTE_PMD_RING_MAX_RX_RINGS; i++)
		if ((r = ring_of(ring_dev, i)) != NULL)
			drain_ring(r);
}

/* DPDK 22.11's net_ring creates RTE_PMD_RING_MAX_RX_RINGS rings at probe
 * but frees at close only those of the configured rx queues: the others
 * (15 rings, 130 KB, with one rx queue) would stay in the DPDK heap for
 * good, one set per device name. The device is gone: free them. */
static void
free_ring_leftovers(const char *ring_dev)
{
	struct rte_ring *r;
	unsigned int i;

	for (i = 0; i < RTE_PMD_RING_MAX_RX_RINGS; i++)
		if ((r = ring_of(ring_dev, i)) != NULL) {
			drain_ring(r);
			rte_ring_free(r);
		}
}

/* The device name of a net_ring port (its rings are named after it), or
 * NULL for any other driver. */
static const char *
ring_device(uint16_t pid, char *buf, size_t size)
{
	struct rte_eth_dev_info info;

	if (rte_eth_dev_info_get(pid, &info) != 0 || strcmp(info.driver_name, "net_ring") != 0)
		return NULL;
	snprintf(buf, size, "%s", rte_dev_name(info.device));
	return buf;
}

static void
dpdk_close(struct vs_port *port)
{
	struct dpdk_port *dp = port->priv;
	char name[RTE_DEV_NAME_MAX_LEN];
	const char *ring_dev = ring_device(dp->port_id, name, sizeof(name));
	uint16_t pid;

	drain_device(dp->port_id, port, ring_dev);
	users[dp->port_id][0] = '\0';
	detach(dp->port_id, dp->promisc_set);
	if (ring_dev != NULL && rte_eth_dev_get_port_by_name(ring_dev, &pid) != 0)
		free_ring_leftovers(ring_dev); /* only once the device is gone */
	rte_free(dp);
	port->priv = NULL;
}

static int
dpdk_status(const struct vs_port *port, struct vs_port_status *st)
{
	const struct dpdk_port *dp = port->priv;
	struct rte_eth_dev_info info;
	struct rte_eth_stats s;
	struct rte_eth_link link;
	int ret;

	memset(st, 0, sizeof(*st));
	ret = rte_eth_dev_info_get(dp->port_id, &info);
	if (ret < 0)
		return ret;
	snprintf(st->driver, sizeof(st->driver), "%s", info.driver_name);
	snprintf(st->device, sizeof(st->device), "%s", rte_dev_name(info.device));
	if (rte_eth_link_get_nowait(dp->port_id, &link) == 0) {
		st->link_up = link.link_status == RTE_ETH_LINK_UP;
		st->speed_mbps = link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN ? 0 : link.link_speed;
	}
	rte_eth_macaddr_get(dp->port_id, &st->mac);
	rte_eth_dev_get_mtu(dp->port_id, &st->mtu);
	if (rte_eth_stats_get(dp->port_id, &s) == 0) {
		st->rx_missed = s.imissed;
		st->rx_nombuf = s.rx_nombuf;
		st->rx_errors = s.ierrors;
		st->tx_errors = s.oerrors;
	}
	if (vs_capture_busy(dp->port_id))
		vs_port_info(st, "capturing", "yes");
	return 0;
}

static uint16_t
dpdk_rx(struct vs_port *port, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	const struct dpdk_port *dp = port->priv;

	return rte_eth_rx_burst(dp->port_id, q, pkts, n);
}

static uint16_t
dpdk_tx(struct vs_port *port, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	const struct dpdk_port *dp = port->priv;
	uint16_t sent = rte_eth_tx_burst(dp->port_id, q, pkts, n);

	if (unlikely(sent < n))
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	return sent;
}

static int resize(struct vs_port *port, struct dpdk_port *dp, const struct vs_port_env *env,
		  struct vs_err *err);

/* More PMDs than tx queues: an ethdev can have more only when stopped and
 * configured again, so PMDs are kept out of the port for that: what they
 * send meanwhile is counted as its tx drops (vs_port_tx_none), and what
 * its rx queues hold is taken out and counted (rx, and dropped as
 * txq_resize), since stopping a NIC frees its rx rings without a word. If
 * the new count fails, the old one is set up again. */
static int
dpdk_txq_resize(struct vs_port *port, const struct vs_port_env *env, struct vs_err *err)
{
	struct dpdk_port *dp = port->priv;
	struct rte_eth_dev_info info;
	int ret;

	if (port->conf.n_txq != 0)
		return -ENOTSUP; /* txq= is the operator's choice */
	ret = rte_eth_dev_info_get(dp->port_id, &info);
	if (ret < 0)
		return vs_err_set(err, ret, "cannot query device '%s'", port->conf.devargs);
	if (RTE_MIN(env->n_pmds, info.max_tx_queues) <= port->n_txq)
		return 0; /* it has no more to give */
	vs_port_park(port);
	rte_rcu_qsbr_synchronize(env->qsbr, RTE_QSBR_THRID_INVALID);
	ret = resize(port, dp, env, err);
	vs_port_resume(port); /* a port the controller set down stays down */
	return ret;
}

static int
resize(struct vs_port *port, struct dpdk_port *dp, const struct vs_port_env *env,
       struct vs_err *err)
{
	struct rte_mbuf *pkts[VS_BURST];
	struct vs_port_env old = *env;
	char why[VS_ERR_MSG_MAX];
	struct vs_err again = {0};
	unsigned int round;
	uint16_t q, n, i;
	int ret;

	for (q = 0; q < port->n_rxq; q++)
		for (round = 0; round <= port->conf.n_rxd / VS_BURST; round++) {
			n = rte_eth_rx_burst(dp->port_id, q, pkts, VS_BURST);
			if (n == 0)
				break;
			for (i = 0; i < n; i++)
				port->stale.rx_bytes += rte_pktmbuf_pkt_len(pkts[i]);
			rte_pktmbuf_free_bulk(pkts, n);
			port->stale.rx_packets += n;
			port->stale.drops[VS_DROP_TXQ_RESIZE] += n;
		}
	ret = rte_eth_dev_stop(dp->port_id);
	if (ret < 0)
		return vs_err_set(err, ret, "cannot stop device '%s' to add tx queues: %s",
				  port->conf.devargs, strerror(-ret));
	ret = configure(port, dp, env, err);
	if (ret == 0)
		return 0;
	old.n_pmds = port->n_txq;
	if (configure(port, dp, &old, &again) < 0) {
		snprintf(why, sizeof(why), "%s", err->msg);
		vs_err_set(err, ret,
			   "%s; and the device could not be restarted as it was (%s): delete and "
			   "add the port again",
			   why, again.msg);
	}
	return ret;
}

static const struct vs_port_opt dpdk_opts[] = {
	VS_OPT("devargs", VS_OPT_STR, devargs, 0, 0, NULL, NULL, true,
	       "DPDK device: a PCI address like 0000:01:00.0, or a vdev like net_tap0,iface=tap0"),
	VS_OPT("rxq", VS_OPT_U16, n_rxq, 1, VS_MAX_QUEUES, NULL, "1", false,
	       "rx queues, default 1"),
	VS_OPT("txq", VS_OPT_U16, n_txq, 1, VS_MAX_QUEUES, NULL, NULL, false,
	       "tx queues, default one per PMD thread"),
	VS_OPT("rxd", VS_OPT_U16, n_rxd, 32, 16384, NULL, "1024", false,
	       "rx descriptors per queue, default 1024"),
	VS_OPT("txd", VS_OPT_U16, n_txd, 32, 16384, NULL, "1024", false,
	       "tx descriptors per queue, default 1024"),
	VS_OPT("mtu", VS_OPT_U16, mtu, 68, 9702, NULL, NULL, false,
	       "device MTU, default: the device's own"),
};

const struct vs_port_ops vs_port_dpdk_ops = {
	.type = "dpdk",
	.help = "a DPDK ethdev: PCI NIC or virtual device (net_tap, net_af_packet, net_pcap...)",
	.opts = dpdk_opts,
	.n_opts = RTE_DIM(dpdk_opts),
	.open = dpdk_open,
	.close = dpdk_close,
	.status = dpdk_status,
	.txq_resize = dpdk_txq_resize,
	.rx = dpdk_rx,
	.tx = dpdk_tx,
};
