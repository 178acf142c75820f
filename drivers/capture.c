/* SPDX-License-Identifier: BSD-3-Clause */
/* drivers/capture.c: capture points for ports that are not ethdevs (see
 * capture.h). The net_null device is never polled: it exists so that
 * rte_pdump and dpdk-dumpcap have an ethdev to name and hook. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_ethdev.h>

#include "capture.h"
#include "log.h"

void
vs_capture_name(const char *port, char *buf, size_t size)
{
	snprintf(buf, size, VS_CAPTURE_PREFIX "%s", port);
}

/* Capture points of deleted ports that a dumpcap still captured: removed
 * once it has let go. Control thread only. */
static bool orphan[RTE_MAX_ETHPORTS];

bool
vs_capture_busy(uint16_t id)
{
	struct rte_eth_dev_info info;
	uint16_t q;

	if (id == VS_CAPTURE_NONE || rte_eth_dev_info_get(id, &info) != 0)
		return false;
	for (q = 0; q < info.nb_rx_queues; q++)
		if (rte_eth_fp_ops[id].rxq.clbk[q] != NULL)
			return true;
	for (q = 0; q < info.nb_tx_queues; q++)
		if (rte_eth_fp_ops[id].txq.clbk[q] != NULL)
			return true;
	return false;
}

static void
destroy(uint16_t id)
{
	char dev[RTE_ETH_NAME_MAX_LEN];

	if (rte_eth_dev_get_name_by_port(id, dev) != 0)
		return;
	rte_eth_dev_stop(id);
	rte_eth_dev_close(id);
	rte_vdev_uninit(dev);
}

void
vs_capture_sweep(void)
{
	uint16_t id;

	for (id = 0; id < RTE_MAX_ETHPORTS; id++)
		if (orphan[id] && !vs_capture_busy(id)) {
			orphan[id] = false;
			destroy(id);
		}
}

/* A capture point left by a deleted port of the same name, that a dumpcap
 * still captures (sweep removed the others): reused as it is. */
static int
take_over(const char *dev, uint16_t n_queues, uint16_t *id, struct vs_err *err)
{
	struct rte_eth_dev_info info;
	uint16_t pid;

	if (rte_eth_dev_get_port_by_name(dev, &pid) != 0)
		return 0;
	if (!orphan[pid])
		return vs_err_set(err, -EEXIST, "capture point %s: a DPDK device has that name",
				  dev);
	if (rte_eth_dev_info_get(pid, &info) == 0 && info.nb_rx_queues >= n_queues) {
		orphan[pid] = false;
		*id = pid;
		return 1;
	}
	return vs_err_set(err, -EBUSY,
			  "capture point %s, of an earlier port of this name, is still captured "
			  "by a dpdk-dumpcap with fewer queues: stop that dumpcap first",
			  dev);
}

int
vs_capture_open(const char *name, uint16_t n_queues, struct rte_mempool *pool, uint16_t *id,
		struct vs_err *err)
{
	struct rte_eth_conf conf = {0};
	char dev[VS_CAPTURE_NAME_MAX];
	uint16_t pid, q;
	int ret;

	*id = VS_CAPTURE_NONE;
	vs_capture_name(name, dev, sizeof(dev));
	vs_capture_sweep();
	ret = take_over(dev, n_queues, id, err);
	if (ret != 0)
		return ret < 0 ? ret : 0;
	/* Created in this process only (not hot-plugged into secondaries):
	 * dumpcap finds it when it starts, and removing it never waits for a
	 * dumpcap. no-rx: were anything to poll it by mistake, it yields
	 * nothing. */
	ret = rte_vdev_init(dev, "no-rx=1");
	if (ret < 0)
		return vs_err_set(err, ret, "cannot create the capture point %s: %s", dev,
				  strerror(-ret));
	if ((ret = rte_eth_dev_get_port_by_name(dev, &pid)) < 0 ||
	    (ret = rte_eth_dev_configure(pid, n_queues, n_queues, &conf)) < 0) {
		vs_err_set(err, ret, "cannot configure the capture point %s: %s", dev,
			   strerror(-ret));
		goto fail;
	}
	for (q = 0; q < n_queues; q++)
		if ((ret = rte_eth_rx_queue_setup(pid, q, 0, SOCKET_ID_ANY, NULL, pool)) < 0 ||
		    (ret = rte_eth_tx_queue_setup(pid, q, 0, SOCKET_ID_ANY, NULL)) < 0) {
			vs_err_set(err, ret, "cannot set up queue %u of the capture point %s: %s",
				   q, dev, strerror(-ret));
			goto fail;
		}
	/* Started, so that rte_eth_fp_ops points at its callback lists. */
	ret = rte_eth_dev_start(pid);
	if (ret < 0) {
		vs_err_set(err, ret, "cannot start the capture point %s: %s", dev, strerror(-ret));
		goto fail;
	}
	*id = pid;
	return 0;
fail:
	rte_vdev_uninit(dev);
	return ret;
}

void
vs_capture_close(uint16_t id)
{
	char dev[RTE_ETH_NAME_MAX_LEN];

	vs_capture_sweep();
	if (id == VS_CAPTURE_NONE)
		return;
	/* DPDK's capture library keeps its hooks by port number and cannot
	 * be told from here that a port went: removing a captured port would
	 * leave the next port with that number uncapturable. */
	if (vs_capture_busy(id)) {
		rte_eth_dev_get_name_by_port(id, dev);
		VS_LOG(WARNING,
		       "capture point %s stays while a dpdk-dumpcap captures it (a port of the "
		       "same name takes it over)",
		       dev);
		orphan[id] = true;
		return;
	}
	destroy(id);
}
