/* SPDX-License-Identifier: BSD-3-Clause */
/* control/rpc/telemetry.h: the switch's figures through DPDK telemetry, so
 * dpdk-telemetry.py (and any tool speaking its socket) reads them, and
 * packet capture with dpdk-dumpcap (rte_pdump). */
#ifndef VS_TELEMETRY_H
#define VS_TELEMETRY_H

struct vs_switch;

/* After the switch is up: register the /vswitch/ commands and start the
 * pdump server. 0 or -errno. */
int vs_telemetry_init(struct vs_switch *sw);
void vs_telemetry_fini(struct vs_switch *sw);

#endif
