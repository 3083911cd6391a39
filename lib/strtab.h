/*
 * A string table for flat cache files: each distinct string stored
 * once, NUL-terminated, and named by its offset.  The writers of the
 * definitions and app index caches build one; their readers check the
 * offsets against it.
 */
#ifndef GG_STRTAB_H
#define GG_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define GG_STRTAB_NONE UINT32_MAX /* the offset of an absent string */

struct gg_strtab {
	struct gg_buf text; /* the strings; starts with "" at offset 0 */
	uint32_t *slots;    /* hash table of offset + 1; 0 is free */
	size_t nslots, nr;
};

void gg_strtab_init(struct gg_strtab *t);
void gg_strtab_release(struct gg_strtab *t);

/* The offset of `s` in the table, added if new; GG_STRTAB_NONE for
 * NULL. */
uint32_t gg_strtab_intern(struct gg_strtab *t, const char *s);

/*
 * The string at `off` of the `len` bytes of `tab`, which end with a
 * NUL: NULL for GG_STRTAB_NONE; "" with *bad set for an offset past
 * the end.
 */
static inline const char *gg_strtab_at(const char *tab, uint32_t len,
				       uint32_t off, int *bad)
{
	if (off == GG_STRTAB_NONE)
		return NULL;
	if (off >= len) {
		*bad = 1;
		return "";
	}
	return tab + off;
}

#endif
