/* SPDX-License-Identifier: BSD-3-Clause */
/* cli/output.c: reading members of the daemon's results, which may lack
 * any of them (an older daemon), and the printers every command can use.
 * The layouts of each command are in its module. */
#include <stdio.h>
#include <stdlib.h>

#include "output.h"

const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

long long
jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

double
jreal(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

void
print_json(json_t *r)
{
	char *s = json_dumps(r, JSON_INDENT(2) | JSON_ENCODE_ANY);

	if (s != NULL)
		printf("%s\n", s);
	free(s);
}

void
print_nothing(json_t *r)
{
}
