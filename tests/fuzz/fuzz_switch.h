/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fuzz_switch.h: a switch for fuzz targets: DPDK without
 * hugepages or devices, RCU state, and bridge br0; no PMD threads. */
#ifndef VS_FUZZ_SWITCH_H
#define VS_FUZZ_SWITCH_H

#include "switch.h"

/* Aborts on failure: a fuzz target cannot run without it. */
struct vs_switch *fuzz_switch_new(void);

#endif
