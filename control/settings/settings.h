/* SPDX-License-Identifier: BSD-3-Clause */
/* control/settings/settings.h: changing the daemon's run-time settings
 * (vswitchctl set pmd-cpus=..., pmd-auto-lb*, pmd-rxq-isolate,
 * pmd-rxq-stats, log-level), the action every front end calls. */
#ifndef VS_SETTINGS_H
#define VS_SETTINGS_H

#include <jansson.h>

#include "err.h"

struct vs_switch;

/* 'settings': { name: value as text }, names as on vswitchd's command
 * line without "--". All or nothing: every value is checked first, the
 * change is saved in the config file's "daemon" section, then made; if
 * making it fails (no memory to place the queues, a PMD that cannot
 * start), the running settings and the file are put back as they were. */
int vs_settings_set(struct vs_switch *sw, const json_t *settings, struct vs_err *err);

#endif
