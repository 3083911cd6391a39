/*
 * Owned string arrays.
 */
#include <stdlib.h>
#include <string.h>

#include "strvec.h"
#include "xalloc.h"
#include "banned.h"

char *gg_strvec_empty[1];

void gg_strvec_init(struct gg_strvec *sv)
{
	sv->v = gg_strvec_empty;
	sv->nr = 0;
	sv->alloc = 0;
}

void gg_strvec_release(struct gg_strvec *sv)
{
	size_t i;

	if (sv->alloc) {
		for (i = 0; i < sv->nr; i++)
			free(sv->v[i]);
		free(sv->v);
	}
	gg_strvec_init(sv);
}

void gg_strvec_push_take(struct gg_strvec *sv, char *s)
{
	if (!sv->alloc)
		sv->v = NULL;
	GG_ALLOC_GROW(sv->v, sv->nr + 2, sv->alloc);
	sv->v[sv->nr++] = s;
	sv->v[sv->nr] = NULL;
}

const char *gg_strvec_push(struct gg_strvec *sv, const char *s)
{
	char *copy = gg_xstrdup(s);

	gg_strvec_push_take(sv, copy);
	return copy;
}

long gg_strvec_find(const struct gg_strvec *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->nr; i++)
		if (!strcmp(sv->v[i], s))
			return (long)i;
	return -1;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void gg_strvec_sort_uniq(struct gg_strvec *sv)
{
	size_t i, j;

	if (sv->nr < 2)
		return;
	qsort(sv->v, sv->nr, sizeof(*sv->v), cmp);
	for (i = 1, j = 1; i < sv->nr; i++) {
		if (!strcmp(sv->v[i], sv->v[j - 1]))
			free(sv->v[i]);
		else
			sv->v[j++] = sv->v[i];
	}
	sv->nr = j;
	sv->v[j] = NULL;
}
