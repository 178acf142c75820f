/* SPDX-License-Identifier: BSD-3-Clause */
/* control/daemon/config_check.h: vswitchd --check-config: is every entry of a
 * config file one the daemon would accept? */
#ifndef VS_CONFIG_CHECK_H
#define VS_CONFIG_CHECK_H

#include <stdio.h>

#include "config.h"

/* 'cfg' as vs_config_load read it (its "daemon" section already judged).
 * Prints one line per problem to 'out', and a summary; returns the number
 * of problems. */
unsigned int vs_config_check(const struct vs_config *cfg, FILE *out);

#endif
