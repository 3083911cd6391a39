/*
 * struct gg_strvec: a NULL-terminated, growable array of owned strings.
 */
#ifndef GG_STRVEC_H
#define GG_STRVEC_H

#include <stddef.h>

struct gg_strvec {
	char **v; /* v[nr] is NULL; never NULL after gg_strvec_init */
	size_t nr;
	size_t alloc;
};

#define GG_STRVEC_INIT                                                         \
	{                                                                      \
		gg_strvec_empty, 0, 0                                          \
	}
extern char *gg_strvec_empty[];

void gg_strvec_init(struct gg_strvec *sv);

/* Free all strings; `sv` is left initialised and empty. */
void gg_strvec_release(struct gg_strvec *sv);

/* Append a copy of `s`; returns the copy (borrowed). */
const char *gg_strvec_push(struct gg_strvec *sv, const char *s);

/* Append `s`, taking ownership of it. */
void gg_strvec_push_take(struct gg_strvec *sv, char *s);

/* Index of the first string equal to `s`, or -1. */
long gg_strvec_find(const struct gg_strvec *sv, const char *s);

/* Sort with strcmp and drop duplicates. */
void gg_strvec_sort_uniq(struct gg_strvec *sv);

#endif
