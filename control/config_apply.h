/* SPDX-License-Identifier: BSD-3-Clause */
/* control/config_apply.h: bridges and ports from the config file. */
#ifndef VS_CONFIG_APPLY_H
#define VS_CONFIG_APPLY_H

#include <jansson.h>

#include "rpc.h"

/* Returns how many bridges or ports could not be created. */
int vs_config_apply(struct vs_rpc *rpc, json_t *bridges);

#endif
