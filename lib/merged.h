/*
 * What a merge commit's parents give: whether the content of a path in
 * a merge commit is one parent's, or what merging the parents' versions
 * line by line gives, or neither (the merge edits the file itself, an
 * "evil merge").
 */
#ifndef GG_MERGED_H
#define GG_MERGED_H

#include <stddef.h>

#include "oid.h"
#include "repo.h"

#define GG_MERGED_MAX_PARENTS 16

struct gg_merged {
	struct gg_repo *repo;
	size_t limit;	 /* bytes of a blob that is merged */
	size_t nparents; /* of the commit; only the first MAX_PARENTS read */
	struct gg_oid trees[GG_MERGED_MAX_PARENTS];
	struct gg_oid parents[GG_MERGED_MAX_PARENTS];
	/* base_trees[i]: tree of the merge base of parents 0 and i */
	struct gg_oid base_trees[GG_MERGED_MAX_PARENTS];
	int base_state[GG_MERGED_MAX_PARENTS]; /* 0 unread, 1 found, -1 none */
};

/*
 * Read the parents of merge commit `commit` for gg_merged_path().
 * Blobs larger than `limit` bytes are not merged.  Nothing to release:
 * the structure holds no resources.  0 or a negative error.
 */
int gg_merged_init(struct gg_merged *out, struct gg_repo *repo,
		   const struct gg_oid *commit, size_t limit);

/*
 * Does `content` (the blob, link or submodule id the merge commit has at
 * `path`; NULL when it has none there) come from the parents?  1 when
 * it equals one parent's version (a side taken, a conflict resolved by
 * taking one side), or the clean result of merging the parents'
 * versions in order, each from its merge base with the first parent,
 * as git merges text by default (a version only added on one side, or
 * deleted on one side and unchanged on the other, is that side's); or,
 * with two parents of which one renamed a file to `path` unchanged,
 * the other side's version of the old path (git's rename detection,
 * for exact renames only).
 * 0 when it does not: the merge commit edits the path itself.  A
 * conflict (both sides changed the path and the lines do not merge, one
 * side deleted what the other changed, a binary file, a link or
 * submodule changed on both sides), a blob over the limit, or more than
 * GG_MERGED_MAX_PARENTS parents of which none has `content`, give 0:
 * no merge result can be shown for it.  A negative error when the
 * repository cannot be read.
 */
int gg_merged_path(struct gg_merged *m, const char *path,
		   const struct gg_oid *content);

#endif
