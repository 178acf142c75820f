/* SPDX-License-Identifier: BSD-3-Clause */
/* drivers/capture.c: capture points for ports that are not ethdevs (see
 * capture.h). The net_null device is never polled: it exists so that
 * rte_pdump and dpdk-dumpcap have an ethdev to name and hook. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_dev.h>
#include <rte_ethdev.h>

#include "capture.h"
#include "log.h"

void
vs_capture_name(const char *port, char *buf, size_t size)
{
	snprintf(buf, size, VS_CAPTURE_PREFIX "%s", port);
}

int
vs_capture_open(const char *name, uint16_t n_queues, struct rte_mempool *pool, uint16_t *id,
		struct vs_err *err)
{
	struct rte_eth_conf conf = {0};
	char dev[VS_CAPTURE_NAME_MAX], devargs[VS_CAPTURE_NAME_MAX + 16];
	uint16_t pid, q;
	int ret;

	*id = VS_CAPTURE_NONE;
	vs_capture_name(name, dev, sizeof(dev));
	/* Hot-plugged like a type=dpdk port, so that running secondary
	 * processes attach it too. no-rx: were anything to poll it by
	 * mistake, it yields nothing. */
	snprintf(devargs, sizeof(devargs), "%s,no-rx=1", dev);
	ret = rte_dev_probe(devargs);
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
	rte_eal_hotplug_remove("vdev", dev);
	return ret;
}

void
vs_capture_close(uint16_t id)
{
	char dev[RTE_ETH_NAME_MAX_LEN];

	if (id == VS_CAPTURE_NONE || rte_eth_dev_get_name_by_port(id, dev) != 0)
		return;
	rte_eth_dev_stop(id);
	rte_eth_dev_close(id);
	rte_eal_hotplug_remove("vdev", dev);
}
