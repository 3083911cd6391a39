/*
 * What a merge commit's parents give: whether the content of a path in
 * a merge commit is what merging the parents' versions gives (cleanly,
 * or with conflicts resolved by taking one side), or not (the merge
 * edits the file itself, an "evil merge").
 */
#ifndef GG_MERGED_H
#define GG_MERGED_H

#include <stddef.h>

#include "oid.h"
#include "repo.h"

#define GG_MERGED_MAX_PARENTS 16
#define GG_MERGED_MAX_BASES 4
#define GG_MERGED_CACHE 64

/* gg_merged_path() results besides 0 and 1: the merge was not judged */
#define GG_MERGED_TOO_LARGE 2 /* a version is over the blob limit */
#define GG_MERGED_TOO_MANY 3  /* more parents than MAX_PARENTS */

/* Line merges already computed, by the blobs merged and how. */
struct gg_merged_cache {
	struct gg_merged_memo {
		struct gg_oid base, ours, theirs, out;
		int has_base, favor, result;
	} v[GG_MERGED_CACHE];
	size_t nr, next;
};

struct gg_merged {
	struct gg_repo *repo;
	struct gg_merged_cache *cache; /* NULL: none */
	size_t limit;		       /* bytes of a blob that is merged */
	size_t nparents; /* of the commit; only the first MAX_PARENTS read */
	struct gg_oid trees[GG_MERGED_MAX_PARENTS];
	struct gg_oid parents[GG_MERGED_MAX_PARENTS];
	/* bases[i]: trees of the merge bases of parents 0 and i (all of
	 * them for a merge of two, the first for an octopus) */
	struct gg_oid base_trees[GG_MERGED_MAX_PARENTS][GG_MERGED_MAX_BASES];
	int nbases[GG_MERGED_MAX_PARENTS]; /* -1 unread, 0 none */
	/* a merge of two with several merge bases: the tree of the merge
	 * base of the first two, for git's virtual base */
	struct gg_oid vbase_tree;
	int vbase_state; /* 0 unread, 1 found, -1 none */
};

/*
 * Read the parents of merge commit `commit` for gg_merged_path().
 * Blobs larger than `limit` bytes are not merged.  `cache` (NULL: none)
 * keeps line merges for later calls; it starts zeroed.  Nothing to
 * release: the structure holds no resources.  0 or a negative error.
 */
int gg_merged_init(struct gg_merged *out, struct gg_repo *repo,
		   const struct gg_oid *commit, size_t limit,
		   struct gg_merged_cache *cache);

/*
 * Does `content` (the blob, link or submodule id the merge commit has at
 * `path`; NULL when it has none there) come from the parents?  The
 * parents' versions are merged as git merges them: a version changed
 * on one side only is that side's, text changed on both sides is
 * merged line by line from the merge base.  For two parents every merge
 * base is tried (a criss-cross history has several), and so is git's
 * virtual base, the merge of the first two bases' versions; conflicting
 * lines may be resolved by taking ours or theirs in every region (git
 * merge -X ours / -X theirs).  For an octopus, parents are merged in
 * order, each from its merge base with the first parent, and must
 * merge cleanly.  A parent's whole version passes only when it is that
 * merge's result or the merge conflicts (a side taken); with two
 * parents of which one renamed a file to `path` unchanged, the other
 * side's version of the old path passes too (git's rename detection,
 * for exact renames only).
 * 1 when `content` comes from the parents, 0 when the merge commit
 * edits the path itself, GG_MERGED_TOO_LARGE when it is neither a
 * parent's version nor a merge that could be computed because a
 * version is over the limit, GG_MERGED_TOO_MANY when the commit has
 * more than GG_MERGED_MAX_PARENTS parents and `content` is not the
 * merge of the first ones, or a negative error when the repository
 * cannot be read.
 */
int gg_merged_path(struct gg_merged *m, const char *path,
		   const struct gg_oid *content);

#endif
