/*
 * The last-error slot (libgit2's pattern): the only file-scope mutable
 * state in lib/.  Hooks are single-threaded, so one slot is enough.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "banned.h"

static char last_error[1024];

void gg_error_setv(const char *fmt, va_list ap)
{
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
}

void gg_error_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gg_error_setv(fmt, ap);
	va_end(ap);
}

void gg_error_prefix(const char *fmt, ...)
{
	char old[sizeof(last_error)];
	size_t n;
	int r;
	va_list ap;

	memcpy(old, last_error, sizeof(old));
	va_start(ap, fmt);
	r = vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	n = r < 0 ? 0 : (size_t)r;
	if (n + 2 >= sizeof(last_error))
		return;
	memcpy(last_error + n, ": ", 2);
	n += 2;
	old[sizeof(old) - 1 - n] = '\0';
	memcpy(last_error + n, old, strlen(old) + 1);
}

const char *gg_error_last(void)
{
	return last_error;
}

void gg_error_clear(void)
{
	last_error[0] = '\0';
}

void gg_bug_fl(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
