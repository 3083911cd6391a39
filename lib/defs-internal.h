/*
 * Between defs.c (scanning and updating) and defs-cache.c (the cache
 * file and gg_defs_for_tree); not part of the library's interface.
 */
#ifndef GG_DEFS_INTERNAL_H
#define GG_DEFS_INTERNAL_H

#include "defs.h"
#include "strvec.h"

/* Record what the blob at `path` defines (reads it only if it can
 * matter). */
int gg_defs__add_path(struct gg_defs *d, struct gg_repo *repo, const char *path,
		      const struct gg_oid *blob, size_t max_blob);

/* Drop every record of the paths in `gone` (sorted with strcmp). */
void gg_defs__remove_paths(struct gg_defs *d, const struct gg_strvec *gone);

/* Sort the record arrays (after adding). */
void gg_defs__sort(struct gg_defs *d);

/* 1 if sorted `v` holds `s`. */
int gg_defs__sorted_has(const struct gg_strvec *v, const char *s);

/* Grow an arena array of strings holding `n` (capacity: powers of two). */
const char **gg_defs__grow_strs(struct gg_arena *a, const char **v, size_t n);

/* 1 if the text can hold an Argo CD or Flux object. */
int gg_defs__is_definition_text(const char *data, size_t len);

#endif
