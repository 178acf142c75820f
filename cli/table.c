/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/table.c: collect rows, then print them with each column as wide as
 * its widest cell. A column whose cells are all numbers is right-aligned. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

struct table {
	unsigned int ncols, nrows;
	char **cells; /* (nrows + 1) * ncols, row 0 = headers */
};

struct table *
table_new(unsigned int ncols, const char *const *headers)
{
	struct table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->ncols = ncols;
	table_row(t, headers);
	return t;
}

void
table_row(struct table *t, const char *const *cells)
{
	char **n = realloc(t->cells, sizeof(char *) * t->ncols * (t->nrows + 1));
	unsigned int c;

	if (n == NULL)
		return;
	t->cells = n;
	for (c = 0; c < t->ncols; c++)
		t->cells[t->nrows * t->ncols + c] = strdup(cells[c] ? cells[c] : "");
	t->nrows++;
}

static bool
is_number(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '.' && *s != '-')
			return false;
	return true;
}

void
table_print(const struct table *t, FILE *f)
{
	unsigned int r, c;

	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			size_t w = 0, len;
			bool num = t->nrows > 1;
			unsigned int k;

			for (k = 0; k < t->nrows; k++) {
				len = strlen(t->cells[k * t->ncols + c]);
				w = len > w ? len : w;
				if (k > 0 && !is_number(t->cells[k * t->ncols + c]))
					num = false;
			}
			if (c + 1 == t->ncols && !num)
				fprintf(f, "%s", t->cells[r * t->ncols + c]);
			else
				fprintf(f, num ? "%*s" : "%-*s", (int)w,
					t->cells[r * t->ncols + c]);
			if (c + 1 < t->ncols)
				fputs("  ", f);
		}
		fputc('\n', f);
	}
}

void
table_free(struct table *t)
{
	unsigned int i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
