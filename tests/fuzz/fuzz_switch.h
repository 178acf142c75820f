/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fuzz_switch.h: a switch for fuzz targets: DPDK without
 * hugepages or devices, RCU state, and bridge br0; no PMD threads. */
#ifndef VS_FUZZ_SWITCH_H
#define VS_FUZZ_SWITCH_H

#include <stddef.h>
#include <stdint.h>

#include "switch.h"

/* libFuzzer's entry points. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts on failure: a fuzz target cannot run without it. Its bridges
 * (and their ports) are deleted at exit. */
struct vs_switch *fuzz_switch_new(void);
/* Another bridge, configured as bridge.add would (flow changes save into
 * the configuration). */
void fuzz_switch_bridge(struct vs_switch *sw, const char *name);

#endif
