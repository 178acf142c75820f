/* SPDX-License-Identifier: BSD-3-Clause */
/* base/err.h: how the slow path explains a failure. Functions return 0 or
 * a negative errno and, on failure, leave a sentence for the operator in a
 * struct vs_err: what was wrong and, where it helps, how to fix it. The
 * dataplane never uses this; it counts. */
#ifndef VS_ERR_H
#define VS_ERR_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define VS_ERR_MSG_MAX 512

struct vs_err {
	int code; /* negative errno */
	char msg[VS_ERR_MSG_MAX];
	/* The item of a batch (a flow rule of flow.add) the error is about,
	 * from 1; 0: not about one. The control socket returns it as the
	 * error's data.item, for vswitchctl to name the file and line. */
	unsigned int item;
};

/* Sets 'err' (if not NULL) and returns 'code', so callers can write
 * "return vs_err_set(err, -EINVAL, ...);". */
static inline int __attribute__((format(printf, 3, 4)))
vs_err_set(struct vs_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL) {
		err->code = code;
		err->item = 0;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

/* Prepend 'prefix' to the message already in 'err'; returns err->code. */
static inline int
vs_err_prefix(struct vs_err *err, const char *prefix)
{
	char tmp[2 * VS_ERR_MSG_MAX];

	snprintf(tmp, sizeof(tmp), "%s%s", prefix, err->msg);
	tmp[VS_ERR_MSG_MAX - 1] = '\0';
	memcpy(err->msg, tmp, VS_ERR_MSG_MAX);
	return err->code;
}

#endif
