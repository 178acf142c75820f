/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/table.h: aligned text tables for vswitchctl's human output. */
#ifndef VS_TABLE_H
#define VS_TABLE_H

#include <stdio.h>

struct table;

struct table *table_new(unsigned int ncols, const char *const *headers);
/* Append a row of ncols cells (copied). */
void table_row(struct table *t, const char *const *cells);
/* Print with columns separated by two spaces; numbers right-aligned. */
void table_print(const struct table *t, FILE *f);
void table_free(struct table *t);

#endif
