/* SPDX-License-Identifier: BSD-3-Clause */
/* control/daemon/config_apply.h: the configuration's bridges and ports, at start. */
#ifndef VS_CONFIG_APPLY_H
#define VS_CONFIG_APPLY_H

struct vs_switch;

/* Returns how many bridges, ports or MAC entries could not be created. */
int vs_config_apply(struct vs_switch *sw);

#endif
