/* SPDX-License-Identifier: BSD-3-Clause */
/* drivers/port_vhost.c: type=vhost-user, a QEMU guest's virtio-net NIC, on
 * DPDK's vhost library.
 *
 * mode=server: the switch creates the socket (in its socket directory) and
 * QEMU connects; mode=client: QEMU listens and the switch connects, and
 * reconnects whenever the guest or the switch went away, which is what
 * lets the switch restart under running guests.
 *
 * The guest's queue pair q is our rx queue q (its TX virtqueue, 2q+1) and
 * a tx target (its RX virtqueue, 2q). rx queues are polled once the guest
 * enables them; each PMD transmits to one enabled queue (PMD i to the
 * (i mod n)-th), and the vhost library serialises PMDs that share one.
 *
 * DPDK calls us back on its own vhost thread, with only a device id. The
 * callbacks find the port by socket path in a registry of this file (the
 * one piece of process-wide state here, because the callbacks carry no
 * context), change the port's state atomically, and wake the control
 * thread to re-place queues. A guest that goes away is unpublished, then
 * an RCU grace period passes before the callback returns, so no PMD still
 * touches its memory when DPDK unmaps it.
 *
 * dpdk-dumpcap captures the port through its capture point (capture.h):
 * queue pair q is the capture point's rx and tx queue q. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <linux/virtio_net.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>
#include <rte_vhost.h>

#include "capture.h"
#include "log.h"
#include "port.h"

#define NO_QUEUE    UINT16_MAX
#define MAX_VRINGS  (2 * VS_MAX_QUEUES)
#define UNREG_TRIES 5000 /* x 1 ms: rte_vhost_driver_unregister says EBUSY meanwhile */

struct vhost_port {
	/* Hot: PMDs. 'vid' is stored with release by the vhost thread once
	 * 'pool' and the port's state are set, and loaded with acquire by
	 * PMDs before each burst, so a PMD that sees a guest sees its pool.
	 * 'txq_map' entries are lone values (relaxed both ways): a PMD that
	 * reads an old one for a burst sends to a queue the library still
	 * serialises, or counts the burst as guest_down. 'cap' is released
	 * by the control thread once the capture point is open and acquired
	 * by PMDs. */
	int vid;                       /* -1: no guest */
	struct rte_mempool *pool;      /* dequeue buffers, on the guest's NUMA node */
	uint16_t txq_map[VS_MAX_PMDS]; /* PMD -> guest RX virtqueue (2q) */
	uint16_t cap;                  /* capture point (capture.h), or none */
	/* Cold: control thread and vhost thread, under reg.lock. */
	struct vs_port *port;
	struct vs_port_env env;
	char path[VS_PATH_MAX];
	bool client;
	bool connected;       /* between new_device and destroy_device */
	uint64_t guest_tx_on; /* queue pairs whose guest TX virtqueue is enabled */
	uint64_t guest_rx_on; /* queue pairs whose guest RX virtqueue is enabled */
	uint16_t n_guest_txq; /* of those, the ones PMDs send to (txq_map), for show */
	uint64_t features;
	uint64_t connects;
	struct vhost_port *next;
};

static struct {
	pthread_mutex_t lock;
	struct vhost_port *list;
} reg = {.lock = PTHREAD_MUTEX_INITIALIZER};

static struct vhost_port *
find_path_locked(const char *path)
{
	struct vhost_port *vp;

	for (vp = reg.list; vp != NULL; vp = vp->next)
		if (strcmp(vp->path, path) == 0)
			return vp;
	return NULL;
}

static struct vhost_port *
find_vid_locked(int vid)
{
	char path[PATH_MAX];

	if (rte_vhost_get_ifname(vid, path, sizeof(path)) < 0)
		return NULL;
	return find_path_locked(path);
}

static uint32_t
offloads_of(uint64_t features)
{
	uint32_t off = 0;

	if (features & (1ULL << VIRTIO_NET_F_GUEST_CSUM))
		off |= VS_TXOFF_CSUM;
	if ((features & (1ULL << VIRTIO_NET_F_GUEST_CSUM)) &&
	    (features & (1ULL << VIRTIO_NET_F_GUEST_TSO4)))
		off |= VS_TXOFF_TSO4;
	if ((features & (1ULL << VIRTIO_NET_F_GUEST_CSUM)) &&
	    (features & (1ULL << VIRTIO_NET_F_GUEST_TSO6)))
		off |= VS_TXOFF_TSO6;
	return off;
}

/* Derive what PMDs and the scheduler see from the guest's state. */
static void
apply_locked(struct vhost_port *vp)
{
	struct vs_port *port = vp->port;
	uint64_t cap = vs_queue_mask(port->n_rxq);
	uint16_t on[VS_MAX_QUEUES], n = 0, q, i;

	for (q = 0; q < VS_MAX_QUEUES; q++)
		if (vp->connected && ((vp->guest_rx_on & cap) >> q & 1))
			on[n++] = q;
	for (i = 0; i < VS_MAX_PMDS; i++)
		__atomic_store_n(&vp->txq_map[i], n ? (uint16_t)(2 * on[i % n]) : NO_QUEUE,
				 __ATOMIC_RELAXED);
	vp->n_guest_txq = n;
	vs_port_set_rx_state(port, vp->connected ? vp->guest_tx_on & cap : 0, port->socket);
	vs_port_set_tx_state(port, vp->connected && n ? VS_DROP_GUEST_FULL : VS_DROP_GUEST_DOWN,
			     port->tx_offloads);
	vp->env.notify(vp->env.ctx);
}

static struct rte_mempool *
pool_near(const struct vhost_port *vp, int numa)
{
	unsigned int i;

	if (numa >= 0 && numa < RTE_MAX_NUMA_NODES && vp->env.pools[numa] != NULL)
		return vp->env.pools[numa];
	for (i = 0; i < RTE_MAX_NUMA_NODES; i++)
		if (vp->env.pools[i] != NULL)
			return vp->env.pools[i];
	return NULL;
}

static int
new_device(int vid)
{
	struct vhost_port *vp;
	uint64_t features = 0;
	uint16_t i, nvr;
	int numa;

	pthread_mutex_lock(&reg.lock);
	vp = find_vid_locked(vid);
	if (vp == NULL) {
		pthread_mutex_unlock(&reg.lock);
		return 0; /* its port is being removed */
	}
	rte_vhost_get_negotiated_features(vid, &features);
	numa = rte_vhost_get_numa_node(vid);
	nvr = rte_vhost_get_vring_num(vid);
	/* Without protocol features the guest never sends SET_VRING_ENABLE:
	 * its rings start enabled. */
	if (!(features & (1ULL << VHOST_USER_F_PROTOCOL_FEATURES))) {
		vp->guest_tx_on = vp->guest_rx_on = vs_queue_mask(RTE_MIN(nvr / 2, VS_MAX_QUEUES));
	}
	/* We poll: the guest need not kick us after each transmit. */
	for (i = 1; i < nvr; i += 2)
		rte_vhost_enable_guest_notification(vid, i, 0);
	vp->features = features;
	vp->pool = pool_near(vp, numa);
	if (vp->pool == NULL) {
		VS_LOG(ERR, "vhost-user port %s: no packet buffers to receive into",
		       vp->port->name);
		pthread_mutex_unlock(&reg.lock);
		return -1;
	}
	vs_port_set_rx_state(vp->port, vp->port->rxq_enabled, numa);
	vs_port_set_tx_state(vp->port, (enum vs_drop)vp->port->tx_drop, offloads_of(features));
	vp->connected = true;
	vp->connects++;
	__atomic_store_n(&vp->vid, vid, __ATOMIC_RELEASE);
	apply_locked(vp);
	VS_LOG(INFO, "vhost-user port %s: guest connected (NUMA node %d, %u vrings, features %#lx)",
	       vp->port->name, numa, nvr, (unsigned long)features);
	pthread_mutex_unlock(&reg.lock);
	return 0;
}

static void
destroy_device(int vid)
{
	struct rte_rcu_qsbr *qsbr = NULL;
	char name[VS_NAME_MAX];
	struct vhost_port *vp;

	pthread_mutex_lock(&reg.lock);
	vp = find_vid_locked(vid);
	if (vp != NULL && __atomic_load_n(&vp->vid, __ATOMIC_RELAXED) == vid) {
		vp->connected = false;
		vp->guest_tx_on = vp->guest_rx_on = 0;
		__atomic_store_n(&vp->vid, -1, __ATOMIC_RELEASE);
		apply_locked(vp);
		qsbr = vp->env.qsbr;
		snprintf(name, sizeof(name), "%s", vp->port->name);
	}
	pthread_mutex_unlock(&reg.lock);
	if (qsbr == NULL)
		return;
	/* DPDK unmaps the guest's memory when we return: wait until no PMD
	 * can be inside a burst on this device (DPDK holds no virtqueue lock
	 * here, so PMDs cannot be stuck waiting for us). */
	rte_rcu_qsbr_synchronize(qsbr, RTE_QSBR_THRID_INVALID);
	VS_LOG(INFO, "vhost-user port %s: guest disconnected", name);
}

static int
vring_state_changed(int vid, uint16_t vring, int enable)
{
	struct vhost_port *vp;
	uint16_t qp = vring / 2;
	uint64_t *mask;

	if (qp >= VS_MAX_QUEUES)
		return 0;
	pthread_mutex_lock(&reg.lock);
	vp = find_vid_locked(vid);
	if (vp != NULL) {
		mask = vring & 1 ? &vp->guest_tx_on : &vp->guest_rx_on;
		/* DPDK holds every virtqueue's access lock while calling this:
		 * nothing here may take one (guest notifications are set in
		 * new_device) or wait for a PMD that could be spinning on one. */
		if (enable)
			*mask |= UINT64_C(1) << qp;
		else
			*mask &= ~(UINT64_C(1) << qp);
		if (qp >= vp->port->n_rxq && enable)
			VS_LOG(WARNING,
			       "vhost-user port %s: the guest enabled queue pair %u but the "
			       "port has queues=%u; that queue is not used",
			       vp->port->name, qp, vp->port->n_rxq);
		apply_locked(vp);
	}
	pthread_mutex_unlock(&reg.lock);
	return 0;
}

static const struct rte_vhost_device_ops vhost_callbacks = {
	.new_device = new_device,
	.destroy_device = destroy_device,
	.vring_state_changed = vring_state_changed,
};

/* ---- opening ---- */

static bool
dir_allowed(const char *dir, const struct vs_vhost_env *v)
{
	char real[PATH_MAX], allowed[PATH_MAX], list[PATH_MAX], *tok, *save = NULL;

	if (realpath(dir, real) == NULL)
		return false;
	if (realpath(v->sock_dir, allowed) != NULL && strcmp(real, allowed) == 0)
		return true;
	snprintf(list, sizeof(list), "%s", v->allow_dirs ? v->allow_dirs : "");
	for (tok = strtok_r(list, ":", &save); tok; tok = strtok_r(NULL, ":", &save))
		if (realpath(tok, allowed) != NULL && strcmp(real, allowed) == 0)
			return true;
	return false;
}

static int
server_path(struct vs_port *port, const struct vs_vhost_env *v, char *path, struct vs_err *err)
{
	char dir[VS_PATH_MAX], *slash;

	if (port->conf.path[0] == '\0') {
		if (snprintf(path, VS_PATH_MAX, "%s/%s.sock", v->sock_dir, port->name) >=
		    VS_PATH_MAX)
			return vs_err_set(err, -ENAMETOOLONG, "socket path %s/%s.sock is too long",
					  v->sock_dir, port->name);
		return 0;
	}
	snprintf(path, VS_PATH_MAX, "%s", port->conf.path);
	if (path[0] != '/')
		return vs_err_set(err, -EINVAL, "path=%s must be absolute", path);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	*slash = '\0';
	if (!dir_allowed(dir[0] ? dir : "/", v))
		return vs_err_set(err, -EPERM,
				  "path=%s is outside the vhost socket directory %s; create the "
				  "socket there, or allow its directory with vswitchd "
				  "--vhost-allow-dirs",
				  path, v->sock_dir);
	return 0;
}

/* A socket file at 'path' that someone listens on is in use; one nobody
 * listens on is stale (a switch that was killed) and may go. */
static int
check_free(const char *path, struct vs_err *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	int fd, ret;

	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return vs_err_set(err, -EEXIST, "%s exists and is not a socket", path);
		/* A socket someone listens on is in use; else it is stale. */
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		ret = fd >= 0 ? connect(fd, (struct sockaddr *)&sa, sizeof(sa)) : -1;
		if (fd >= 0)
			close(fd);
		if (ret == 0)
			return vs_err_set(err, -EADDRINUSE, "%s is in use by another process",
					  path);
	}
	return 0;
}

static int
unlink_stale(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) && unlink(path) < 0)
		return -errno;
	return 0;
}

/* capture=on: a capture point, created on demand because each takes one
 * of DPDK's few ethdev ports (RTE_MAX_ETHPORTS, 32 in Debian's build),
 * which NICs need. PMDs see it once it is complete; it is closed only
 * after they have all stopped using it. */
static int
set_capture(struct vhost_port *vp, bool on, struct vs_err *err)
{
	struct rte_mempool *pool;
	uint16_t id = vp->cap;
	int ret;

	if (on == (id != VS_CAPTURE_NONE))
		return 0;
	if (!on) {
		if (vs_capture_busy(id))
			return vs_err_set(
				err, -EBUSY,
				"a dpdk-dumpcap is capturing this port: stop it (Ctrl-C) first "
				"(one killed with SIGKILL leaves its hooks behind until "
				"vswitchd restarts)");
		__atomic_store_n(&vp->cap, VS_CAPTURE_NONE, __ATOMIC_RELEASE);
		rte_rcu_qsbr_synchronize(vp->env.qsbr, RTE_QSBR_THRID_INVALID);
		vs_capture_close(id);
		return 0;
	}
	pool = pool_near(vp, SOCKET_ID_ANY);
	if (pool == NULL)
		pool = vp->env.pool(vp->env.ctx, (int)rte_socket_id());
	if (pool == NULL)
		return vs_err_set(err, -ENOMEM, "capture=on: no mbuf pool");
	ret = vs_capture_open(vp->port->name, vp->port->n_rxq, pool, &id, err);
	if (ret < 0)
		return ret;
	__atomic_store_n(&vp->cap, id, __ATOMIC_RELEASE);
	return 0;
}

static int
vhost_set(struct vs_port *port, const struct vs_port_conf *conf, struct vs_err *err)
{
	return set_capture(port->priv, strcmp(conf->capture, "on") == 0, err);
}

/* Take 'vp' out of the registry: callbacks no longer find it. */
static void
unlist(struct vhost_port *vp)
{
	struct vhost_port **pp;

	pthread_mutex_lock(&reg.lock);
	for (pp = &reg.list; *pp; pp = &(*pp)->next)
		if (*pp == vp) {
			*pp = vp->next;
			break;
		}
	pthread_mutex_unlock(&reg.lock);
}

/* Unregister the socket; DPDK says EBUSY while its vhost thread is in a
 * callback of this socket, so retry, for a bounded time. */
static void
unregister(struct vhost_port *vp)
{
	int i, ret = 0;

	for (i = 0; i < UNREG_TRIES; i++) {
		ret = rte_vhost_driver_unregister(vp->path);
		if (ret != -EBUSY)
			break;
		usleep(1000);
	}
	if (ret < 0)
		VS_LOG(ERR, "vhost-user port %s: cannot unregister %s (%d)", vp->port->name,
		       vp->path, ret);
}

static int
vhost_open(struct vs_port *port, const struct vs_port_env *env, struct vs_err *err)
{
	const struct vs_vhost_env *v = env->vhost;
	uint64_t flags = 0;
	struct vhost_port *vp;
	char path[VS_PATH_MAX];
	int ret;

	port->priv = NULL;
	if (strcmp(port->conf.mode, "client") == 0) {
		if (port->conf.path[0] != '/')
			return vs_err_set(
				err, -EINVAL,
				"mode=client needs path=, the absolute path of the socket "
				"QEMU listens on (-chardev socket,server=on,path=...)");
		snprintf(path, sizeof(path), "%s", port->conf.path);
		flags |= RTE_VHOST_USER_CLIENT; /* and DPDK reconnects by itself */
	} else {
		ret = server_path(port, v, path, err);
		if (ret < 0)
			return ret;
	}
	pthread_mutex_lock(&reg.lock);
	vp = find_path_locked(path);
	pthread_mutex_unlock(&reg.lock);
	if (vp != NULL)
		return vs_err_set(err, -EEXIST, "socket %s is already used by port %s", path,
				  vp->port->name);
	if (!(flags & RTE_VHOST_USER_CLIENT) && (ret = check_free(path, err)) < 0)
		return ret;
	vp = rte_zmalloc("vs_port_vhost", sizeof(*vp), RTE_CACHE_LINE_SIZE);
	if (vp == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory");
	vp->vid = -1;
	vp->cap = VS_CAPTURE_NONE;
	vp->port = port;
	vp->env = *env;
	vp->client = flags & RTE_VHOST_USER_CLIENT;
	snprintf(vp->path, sizeof(vp->path), "%s", path);
	port->n_rxq = port->conf.n_rxq;
	port->n_txq = VS_MAX_PMDS; /* PMD i -> txq_map[i]; the library locks shared rings */
	port->rxq_enabled = 0;
	port->tx_offloads = 0;
	port->tx_drop = VS_DROP_GUEST_DOWN;
	port->priv = vp;
	apply_locked(vp);
	ret = vhost_set(port, &port->conf, err);
	if (ret < 0)
		goto err_free;

	if (!vp->client && (ret = unlink_stale(path)) < 0) {
		vs_err_set(err, ret, "cannot remove the stale socket %s: %s", path, strerror(-ret));
		goto err_free;
	}
	/* No NET_COMPLIANT_OL_FLAGS: the legacy flags say "complete this
	 * checksum / segment this" (RTE_MBUF_F_TX_*), which is what another
	 * guest's enqueue or our software offload want to hear. */
	ret = rte_vhost_driver_register(path, flags);
	if (ret < 0) {
		vs_err_set(err, -EINVAL, "cannot register vhost-user socket %s", path);
		goto err_free;
	}
	/* UFO is gone from Linux; ECN with TSO is not worth the corner cases. */
	rte_vhost_driver_disable_features(
		path, (1ULL << VIRTIO_NET_F_HOST_UFO) | (1ULL << VIRTIO_NET_F_GUEST_UFO) |
			      (1ULL << VIRTIO_NET_F_HOST_ECN) | (1ULL << VIRTIO_NET_F_GUEST_ECN));
	if (rte_vhost_driver_callback_register(path, &vhost_callbacks) < 0) {
		vs_err_set(err, -EINVAL, "cannot register vhost-user callbacks for %s", path);
		goto err_unregister;
	}
	pthread_mutex_lock(&reg.lock);
	vp->next = reg.list;
	reg.list = vp;
	pthread_mutex_unlock(&reg.lock);
	ret = rte_vhost_driver_start(path);
	if (ret < 0) {
		vs_err_set(err, -EIO, "cannot %s vhost-user socket %s",
			   vp->client ? "connect to" : "listen on", path);
		goto err_unlist;
	}
	if (!vp->client) {
		if (chmod(path, v->sock_mode) < 0 ||
		    ((v->uid >= 0 || v->gid >= 0) &&
		     chown(path, (uid_t)v->uid, (gid_t)v->gid) < 0)) {
			ret = -errno;
			vs_err_set(err, ret, "cannot set the owner or mode of %s: %s", path,
				   strerror(-ret));
			goto err_unlist;
		}
	}
	return 0;

err_unlist:
	unlist(vp);
err_unregister:
	unregister(vp);
err_free:
	vs_capture_close(vp->cap);
	rte_free(vp);
	port->priv = NULL;
	return ret < 0 ? ret : -EINVAL;
}

static void
vhost_close(struct vs_port *port)
{
	struct vhost_port *vp = port->priv;

	if (vp == NULL)
		return;
	/* Forget it first: callbacks that run during unregister (its
	 * destroy_device) find nothing and leave it alone; no PMD can reach
	 * the port any more. */
	unlist(vp);
	unregister(vp);
	if (!vp->client)
		unlink_stale(vp->path);
	vs_capture_close(vp->cap);
	rte_free(vp);
	port->priv = NULL;
}

static void
queue_list(uint64_t mask, unsigned int n, char *buf, size_t size)
{
	size_t off = 0;
	unsigned int q;

	buf[0] = '\0';
	for (q = 0; q < n && q < 64 && off < size; q++)
		if (mask >> q & 1)
			off += (size_t)snprintf(buf + off, size - off, "%s%u", off ? "," : "", q);
}

static int
vhost_status(const struct vs_port *port, struct vs_port_status *st)
{
	struct vhost_port *vp = port->priv;
	char list[256], cap_name[VS_CAPTURE_NAME_MAX];
	uint16_t mtu = 0;

	memset(st, 0, sizeof(*st));
	snprintf(st->driver, sizeof(st->driver), "vhost-user");
	pthread_mutex_lock(&reg.lock);
	snprintf(st->device, sizeof(st->device), "%s", vp->path);
	st->link_up = vp->connected;
	if (vp->connected &&
	    rte_vhost_get_mtu(__atomic_load_n(&vp->vid, __ATOMIC_RELAXED), &mtu) == 0)
		st->mtu = mtu;
	vs_port_info(st, "mode", "%s", vp->client ? "client" : "server");
	vs_port_info(st, "socket", "%s", vp->path);
	vs_port_info(st, "state", "%s",
		     vp->connected ? "connected"
		     : vp->client  ? "connecting (QEMU must listen)"
				   : "waiting for QEMU");
	vs_port_info(st, "features", "%#lx", (unsigned long)vp->features);
	queue_list(vp->connected ? vp->guest_tx_on : 0, port->n_rxq, list, sizeof(list));
	vs_port_info(st, "enabled_queues", "%s", list);
	vs_port_info(st, "numa", "%d", port->socket);
	st->txq_mapped = true;
	st->txq_in_use = vp->connected ? vp->n_guest_txq : 0;
	vs_port_info(st, "connects", "%lu", (unsigned long)vp->connects);
	if (vp->cap != VS_CAPTURE_NONE) {
		vs_capture_name(port->name, cap_name, sizeof(cap_name));
		/* dumpcap finds this process by its file prefix: the last part
		 * of DPDK's runtime directory, /var/run/dpdk/PREFIX. */
		vs_port_info(st, "capture", "dpdk-dumpcap --file-prefix=%s -i %s",
			     strrchr(rte_eal_get_runtime_dir(), '/') + 1, cap_name);
	}
	if (vs_capture_busy(vp->cap))
		vs_port_info(st, "capturing", "yes");
	pthread_mutex_unlock(&reg.lock);
	return 0;
}

static uint16_t
vhost_rx(struct vs_port *port, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	const struct vhost_port *vp = port->priv;
	int vid = __atomic_load_n(&vp->vid, __ATOMIC_ACQUIRE);

	if (unlikely(vid < 0))
		return 0;
	n = rte_vhost_dequeue_burst(vid, (uint16_t)(2 * q + 1), vp->pool, pkts, n);
	vs_capture_rx(__atomic_load_n(&vp->cap, __ATOMIC_ACQUIRE), q, pkts, n);
	return n;
}

/* The guest gets copies: free every packet, sent or not. */
static uint16_t
vhost_tx(struct vs_port *port, uint16_t pmd, struct rte_mbuf **pkts, uint16_t n)
{
	const struct vhost_port *vp = port->priv;
	int vid = __atomic_load_n(&vp->vid, __ATOMIC_ACQUIRE);
	uint16_t vq = __atomic_load_n(&vp->txq_map[pmd], __ATOMIC_RELAXED), sent = 0;

	if (likely(vid >= 0 && vq != NO_QUEUE)) {
		vs_capture_tx(__atomic_load_n(&vp->cap, __ATOMIC_ACQUIRE), vq / 2, pkts, n);
		sent = rte_vhost_enqueue_burst(vid, vq, pkts, n);
	}
	rte_pktmbuf_free_bulk(pkts, n);
	return sent;
}

static const struct vs_port_opt vhost_opts[] = {
	VS_OPT("mode", VS_OPT_ENUM, mode, 0, 0, "server|client", "server", false,
	       "server: the switch creates the socket and QEMU connects; client: QEMU "
	       "listens and the switch connects (and reconnects: use it for restarts)"),
	VS_OPT("path", VS_OPT_STR, path, 0, 0, NULL, NULL, false,
	       "the socket; default for mode=server: <vhost socket dir>/<port>.sock"),
	VS_OPT("queues", VS_OPT_U16, n_rxq, 1, VS_MAX_QUEUES, NULL, "64", false,
	       "queue pairs the switch serves, at most; the guest enables those it uses"),
	VS_LIVE_OPT("capture", VS_OPT_ENUM, capture, 0, 0, "on|off", "off",
		    "on: dpdk-dumpcap can capture the port, as net_null_cap_<port>"),
};

const struct vs_port_ops vs_port_vhost_ops = {
	.type = "vhost-user",
	.help = "a QEMU guest's virtio-net NIC, over a vhost-user socket",
	.opts = vhost_opts,
	.n_opts = RTE_DIM(vhost_opts),
	.open = vhost_open,
	.close = vhost_close,
	.status = vhost_status,
	.set = vhost_set,
	.rx = vhost_rx,
	.tx = vhost_tx,
};
