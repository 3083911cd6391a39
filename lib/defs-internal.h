/*
 * Between defs.c (scanning and updating) and defs-cache.c (the cache
 * file and gg_defs_for_tree); not part of the library's interface.
 */
#ifndef GG_DEFS_INTERNAL_H
#define GG_DEFS_INTERNAL_H

#include "buf.h"
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

/*
 * The cache directory (defs-store.c).  A tree's file is either a full
 * set or a delta against the file of an older tree.
 *
 * gg_defs__load: the set of `tree` from its file, following deltas.
 * 0, GG_ENOTFOUND, or GG_EINVALID for a file that is corrupt or whose
 * chain is broken.
 *
 * gg_defs__save: write the file of d->tree: the `delta` text (made by
 * gg_defs__delta against the tree d->cached / d->cache_depth describe)
 * when there is one and the chain is short, else the whole set.  An
 * existing file is kept unless `replace` (it did not load).  Failures
 * only cost time later; nothing is reported.
 *
 * gg_defs__delta: append the delta form of a change to `out`: the paths
 * whose records went (sorted) and the records added.
 */
int gg_defs__load(struct gg_defs **out, const char *dir,
		  const struct gg_oid *tree);
void gg_defs__save(struct gg_defs *d, const char *dir,
		   const struct gg_buf *delta, int replace);
void gg_defs__delta(struct gg_buf *out, const struct gg_oid *base,
		    const struct gg_strvec *gone, const struct gg_defs *added);

/*
 * The flat twin of a whole set (defs-bin.c): gg_defs__save_bin writes
 * it next to the text file; gg_defs__load_bin reads it: 0, GG_ENOTFOUND,
 * or GG_EINVALID for one that is damaged or from another build.
 */
void gg_defs__save_bin(const struct gg_defs *d, const char *dir);
int gg_defs__load_bin(struct gg_defs **out, const char *dir,
		      const struct gg_oid *tree);

/* 1 (with the ids) when `data` is a delta, 0 when it is not, GG_EINVALID
 * when its first line is broken. */
int gg_defs__delta_ids(struct gg_oid *tree, struct gg_oid *base,
		       const char *data, size_t len);

/* Apply a delta whose base is d->tree.  0, or GG_EINVALID (`d` may be
 * half changed then: drop it). */
int gg_defs__apply_delta(struct gg_defs *d, const char *data, size_t len);

/* 1 if the text can hold an Argo CD or Flux object. */
int gg_defs__is_definition_text(const char *data, size_t len);

#endif
