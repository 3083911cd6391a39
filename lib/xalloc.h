/*
 * Allocation that cannot fail: on out-of-memory these print
 * "fatal: out of memory" and exit with status 2 (which rejects the push,
 * since hooks fail closed).  In a short-lived hook this removes a whole
 * class of error paths, as in git, tmux and signify.
 */
#ifndef GG_XALLOC_H
#define GG_XALLOC_H

#include <stddef.h>

#include "error.h"

/* Caller owns the result; free with free(). */
void *gg_xmalloc(size_t size);
void *gg_xcalloc(size_t nmemb, size_t size);
void *gg_xrealloc(void *ptr, size_t size);
char *gg_xstrdup(const char *s);
char *gg_xstrndup(const char *s, size_t n);
char *gg_xasprintf(const char *fmt, ...) GG_PRINTF(1, 2);

/* Multiply with overflow check; an overflow is treated as out of memory. */
size_t gg_st_mult(size_t a, size_t b);

/*
 * Grow array `x` (of `alloc` elements) so that it holds at least `nr`
 * elements, as git's ALLOC_GROW.
 */
#define GG_ALLOC_GROW(x, nr, alloc)                                            \
	do {                                                                   \
		if ((nr) > (alloc)) {                                          \
			(alloc) = (alloc) < 8 ? 8 : (alloc)*2;                 \
			if ((alloc) < (nr))                                    \
				(alloc) = (nr);                                \
			(x) = gg_xrealloc((x),                                 \
					  gg_st_mult(sizeof(*(x)), (alloc)));  \
		}                                                              \
	} while (0)

#endif
