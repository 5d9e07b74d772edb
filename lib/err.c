/* See LICENSE file for copyright and license details. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

void
err_set(struct emb_err *e, const char *file, size_t line, const char *fmt, ...)
{
	va_list ap;
	size_t n = 0;
	int r;

	if (e == NULL)
		return;
	if (file != NULL && line > 0)
		r = snprintf(e->msg, sizeof(e->msg), "%s:%zu: ", file, line);
	else if (file != NULL)
		r = snprintf(e->msg, sizeof(e->msg), "%s: ", file);
	else
		r = 0;
	if (r > 0)
		n = (size_t)r < sizeof(e->msg) ? (size_t)r : sizeof(e->msg) - 1;
	va_start(ap, fmt);
	vsnprintf(e->msg + n, sizeof(e->msg) - n, fmt, ap);
	va_end(ap);
}

void
err_sys(struct emb_err *e, const char *file)
{
	err_set(e, file, 0, "%s", strerror(errno));
}

static void (*reporter)(const struct emb_err *, int);

void
err_set_reporter(void (*fn)(const struct emb_err *e, int fatal))
{
	reporter = fn;
}

void
err_report(const struct emb_err *e, int fatal)
{
	if (reporter != NULL)
		reporter(e, fatal);
}
