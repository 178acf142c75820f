/* SPDX-License-Identifier: BSD-3-Clause */
/* drivers/port_ring.c: type=ring, a port on rte_rings (port_ring.h): per
 * queue, an rx ring that code in this process fills and the PMD drains,
 * and a tx ring the PMD fills and that code drains. No device, no mbuf
 * pool: rx hands over the mbufs it finds, tx queues the mbufs it is given,
 * and a full tx ring refuses the rest (counted as tx_full by the caller).
 * The rings are unnamed (rte_ring_init on the port's own memory): nothing
 * outside the process can find them. The unit tests' ports, and a sink
 * with exact counts for operators. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_malloc.h>
#include <rte_memory.h>

#include "port_ring.h"

struct ring_queue {
	struct rte_ring *rx; /* consumer: the PMD polling rx queue q */
	struct rte_ring *tx; /* producer: the PMD holding tx queue q */
	uint64_t tx_bursts;  /* written by that PMD only */
} __rte_cache_aligned;

struct ring_port {
	uint16_t n; /* queues, each with an rx and a tx ring */
	struct ring_queue q[];
};

static struct rte_ring *
ring_new(const char *dir, uint16_t q, unsigned int size, unsigned int flags, int socket)
{
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *r;
	ssize_t bytes;

	/* RING_F_EXACT_SZ: room for exactly 'size', in a power-of-two table. */
	bytes = rte_ring_get_memsize(rte_align32pow2(size + 1));
	if (bytes < 0)
		return NULL;
	r = rte_zmalloc_socket("vs_port_ring", (size_t)bytes, RTE_CACHE_LINE_SIZE, socket);
	if (r == NULL)
		return NULL;
	snprintf(name, sizeof(name), "vs_ring_%s%u", dir, q); /* for debuggers only */
	if (rte_ring_init(r, name, size, RING_F_EXACT_SZ | flags) < 0) {
		rte_free(r);
		return NULL;
	}
	return r;
}

/* Free the mbufs left in 'r', then 'r' (NULL is fine). */
static void
ring_free(struct rte_ring *r)
{
	void *objs[VS_BURST];
	unsigned int n;

	if (r == NULL)
		return;
	while ((n = rte_ring_dequeue_burst(r, objs, VS_BURST, NULL)) > 0)
		rte_pktmbuf_free_bulk((struct rte_mbuf **)objs, n);
	rte_free(r);
}

static void
ring_close(struct vs_port *port)
{
	struct ring_port *rp = port->priv;
	uint16_t q;

	for (q = 0; q < rp->n; q++) {
		ring_free(rp->q[q].rx);
		ring_free(rp->q[q].tx);
	}
	rte_free(rp);
	port->priv = NULL;
}

/* The NUMA node of the memory at 'addr' (the control thread's, or any
 * node's if its own had none), SOCKET_ID_ANY if unknown. */
static int
socket_of(const void *addr)
{
	const struct rte_memseg *ms = rte_mem_virt2memseg(addr, NULL);

	return ms != NULL ? ms->socket_id : SOCKET_ID_ANY;
}

static int
ring_open(struct vs_port *port, const struct vs_port_env *env, struct vs_err *err)
{
	const struct vs_port_conf *c = &port->conf;
	struct ring_port *rp;
	int socket = (int)rte_socket_id();
	uint16_t q;

	rp = rte_zmalloc_socket("vs_port_ring", sizeof(*rp) + c->n_rxq * sizeof(rp->q[0]),
				RTE_CACHE_LINE_SIZE, socket);
	if (rp == NULL)
		rp = rte_zmalloc("vs_port_ring", sizeof(*rp) + c->n_rxq * sizeof(rp->q[0]),
				 RTE_CACHE_LINE_SIZE);
	if (rp == NULL)
		return vs_err_set(err, -ENOMEM, "out of memory for ring port %s", port->name);
	port->priv = rp;
	socket = socket_of(rp);
	for (q = 0; q < c->n_rxq; q++) {
		rp->n = q + 1; /* ring_close frees what this queue got */
		rp->q[q].rx = ring_new("rx", q, c->ring_size, RING_F_SC_DEQ, socket);
		rp->q[q].tx = ring_new("tx", q, c->ring_size, RING_F_SP_ENQ, socket);
		if (rp->q[q].rx == NULL || rp->q[q].tx == NULL) {
			ring_close(port);
			return vs_err_set(err, -ENOMEM,
					  "out of memory for %u rings of %u slots (port %s): "
					  "lower size= or queues=",
					  2 * c->n_rxq, c->ring_size, port->name);
		}
	}
	port->n_rxq = c->n_rxq;
	port->n_txq = c->n_rxq;
	port->rxq_enabled = vs_queue_mask(c->n_rxq);
	port->socket = socket;
	return 0;
}

static int
ring_status(const struct vs_port *port, struct vs_port_status *st)
{
	const struct ring_port *rp = port->priv;
	unsigned int rx = 0, tx = 0;
	uint16_t q;

	memset(st, 0, sizeof(*st));
	st->link_up = true;
	snprintf(st->driver, sizeof(st->driver), "ring");
	snprintf(st->device, sizeof(st->device), "%u x %u-slot rx and tx rings", rp->n,
		 port->conf.ring_size);
	for (q = 0; q < rp->n; q++) {
		rx += rte_ring_count(rp->q[q].rx);
		tx += rte_ring_count(rp->q[q].tx);
	}
	vs_port_info(st, "size", "%u", port->conf.ring_size);
	vs_port_info(st, "rx_queued", "%u", rx);
	vs_port_info(st, "tx_queued", "%u", tx);
	vs_port_info(st, "tx_bursts", "%" PRIu64, vs_port_ring_tx_bursts(port));
	return 0;
}

static uint16_t
ring_rx(struct vs_port *port, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	struct ring_port *rp = port->priv;

	return (uint16_t)rte_ring_sc_dequeue_burst(rp->q[q].rx, (void **)pkts, n, NULL);
}

static uint16_t
ring_tx(struct vs_port *port, uint16_t q, struct rte_mbuf **pkts, uint16_t n)
{
	struct ring_queue *rq = &((struct ring_port *)port->priv)->q[q];
	uint16_t sent = (uint16_t)rte_ring_sp_enqueue_burst(rq->tx, (void *const *)pkts, n, NULL);

	rq->tx_bursts++;
	if (unlikely(sent < n))
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	return sent;
}

static const struct vs_port_opt ring_opts[] = {
	VS_OPT("queues", VS_OPT_U16, n_rxq, 1, VS_MAX_QUEUES, NULL, "1", false,
	       "queues, each an rx and a tx ring, default 1"),
	VS_OPT("size", VS_OPT_U16, ring_size, 1, 32768, NULL, "1024", false,
	       "frames each ring holds, default 1024"),
};

const struct vs_port_ops vs_port_ring_ops = {
	.type = "ring",
	.help = "in-process rte_rings: a sink that keeps the first frames, and the tests' port",
	.opts = ring_opts,
	.n_opts = RTE_DIM(ring_opts),
	.open = ring_open,
	.close = ring_close,
	.status = ring_status,
	.rx = ring_rx,
	.tx = ring_tx,
};

struct rte_ring *
vs_port_ring_rx(const struct vs_port *port, uint16_t q)
{
	const struct ring_port *rp = port->priv;

	return port->ops == &vs_port_ring_ops && q < rp->n ? rp->q[q].rx : NULL;
}

struct rte_ring *
vs_port_ring_tx(const struct vs_port *port, uint16_t q)
{
	const struct ring_port *rp = port->priv;

	return port->ops == &vs_port_ring_ops && q < rp->n ? rp->q[q].tx : NULL;
}

uint64_t
vs_port_ring_tx_bursts(const struct vs_port *port)
{
	const struct ring_port *rp = port->priv;
	uint64_t n = 0;
	uint16_t q;

	if (port->ops != &vs_port_ring_ops)
		return 0;
	for (q = 0; q < rp->n; q++)
		n += rp->q[q].tx_bursts;
	return n;
}
