/* SPDX-License-Identifier: BSD-3-Clause */
/* base/cpuset.h: CPU lists as operators write them ("1,3-5") or as masks
 * ("0x3a"), to and from cpu_set_t. */
#ifndef VS_CPUSET_H
#define VS_CPUSET_H

#include <sched.h>
#include <stddef.h>

#include "err.h"

int vs_cpuset_parse(const char *s, cpu_set_t *set, struct vs_err *err);
/* "1,3-5"; "" for an empty set. */
void vs_cpuset_format(const cpu_set_t *set, char *buf, size_t size);

#endif
