/* SPDX-License-Identifier: BSD-3-Clause */
/* control/bridge/bridge_int.h: internal to control/bridge/, what its files
 * call of each other. Not for any other folder: the actions are
 * control/bridge/bridge_ctl.h. */
#ifndef VS_BRIDGE_INT_H
#define VS_BRIDGE_INT_H

struct vs_switch;
struct vs_port;

/* bridge_port.c: take 'port' out of its bridge and close it, saving
 * nothing (its bridge is going, or the add that made it was not saved). */
void vs_port_remove(struct vs_switch *sw, struct vs_port *port);

#endif
