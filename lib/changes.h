/*
 * What one ref update changes: the net tree diff and the new commits.
 *
 *   update  old -> new: diff old tree -> new tree; commits new ^old
 *           (a force-push diffs the two tips all the same: what the
 *           controllers see is the net change)
 *   create  diff merge-base(new, default branch) -> new; commits
 *           new ^default-branch; with no default branch yet (the first
 *           push) the base is the empty tree and every commit is new
 *   create with a prior commit (a tag new under a semver range, which
 *           takes over from the tag the range deployed before): as an
 *           update from that commit
 *   delete  diff old -> empty tree: everything the branch held goes
 *   delete of a missing ref: nothing
 */
#ifndef GG_CHANGES_H
#define GG_CHANGES_H

#include <stddef.h>

#include "oid.h"
#include "push.h"
#include "repo.h"

struct gg_file_change {
	char *path; /* owned */
	enum gg_delta_status status;
	struct gg_oid old_oid; /* zero when added */
	struct gg_oid new_oid; /* zero when deleted */
	enum gg_entry_kind old_kind;
	enum gg_entry_kind new_kind;
};

struct gg_refchange {
	const struct gg_update *update; /* borrowed */
	int has_base;			/* 0: the base is the empty tree */
	struct gg_oid base_commit;	/* old tip, or the merge base */
	struct gg_oid base_tree;
	int has_new; /* 0 for deletes */
	struct gg_oid new_commit;
	struct gg_oid new_tree;
	int has_old; /* the ref existed before, or prior is set */
	struct gg_oid old_commit;
	int prior;	  /* old_commit is the prior commit of a created ref */
	int fast_forward; /* old is an ancestor of new */
	struct gg_file_change *files;
	size_t nfiles;
	struct gg_oid *commits; /* new commits, children first */
	size_t ncommits;
	int commits_truncated; /* more than the limit */
};

/*
 * Compute the change of update `u`.  `default_tip` is the pre-push tip of
 * the default branch (NULL when it does not exist yet).  `prior`, for a
 * create, is the commit to judge it against (NULL: none).  At most
 * `max_commits` new commits are listed (commits_truncated says when
 * there were more).  Release `out` with gg_refchange_release() in every
 * case.  0, or a negative error: GG_EINVALID for SHA-256 ids or an id
 * that is not a commit, GG_ENOTFOUND for a missing object.
 */
int gg_changes_compute(struct gg_refchange *out, struct gg_repo *repo,
		       const struct gg_update *u,
		       const struct gg_oid *default_tip,
		       const struct gg_oid *prior, size_t max_commits);
void gg_refchange_release(struct gg_refchange *rc);

/* The change of `path`, or NULL. */
const struct gg_file_change *gg_refchange_find(const struct gg_refchange *rc,
					       const char *path);

#endif
