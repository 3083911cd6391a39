/*
 * String tables for the flat cache files: an open-addressing hash from
 * string to offset while writing, bounds checks while reading.
 */
#include <stdlib.h>
#include <string.h>

#include "strtab.h"
#include "xalloc.h"
#include "banned.h"

void gg_strtab_init(struct gg_strtab *t)
{
	memset(t, 0, sizeof(*t));
	gg_buf_init(&t->text, 0);
	gg_buf_addch(&t->text, '\0'); /* never empty */
}

void gg_strtab_release(struct gg_strtab *t)
{
	gg_buf_release(&t->text);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void grow(struct gg_strtab *t)
{
	size_t n = t->nslots ? 2 * t->nslots : 1024, i, j;
	uint32_t *slots = gg_xcalloc(n, sizeof(*slots));

	for (i = 0; i < t->nslots; i++) {
		if (!t->slots[i])
			continue;
		j = hash_str(t->text.buf + t->slots[i] - 1) & (n - 1);
		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
}

uint32_t gg_strtab_intern(struct gg_strtab *t, const char *s)
{
	size_t j;
	uint32_t off;

	if (!s)
		return GG_STRTAB_NONE;
	if (2 * (t->nr + 1) > t->nslots)
		grow(t);
	j = hash_str(s) & (t->nslots - 1);
	while (t->slots[j]) {
		if (!strcmp(t->text.buf + t->slots[j] - 1, s))
			return t->slots[j] - 1;
		j = (j + 1) & (t->nslots - 1);
	}
	off = (uint32_t)t->text.len;
	gg_buf_add(&t->text, s, strlen(s) + 1);
	t->slots[j] = off + 1;
	t->nr++;
	return off;
}
