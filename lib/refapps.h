/*
 * The apps one ref update concerns: the app index of the ref's tree
 * before the push and after it.  For the default branch each side is the
 * branch's own tree; for another branch the default branch's pre-push
 * tree adds the apps defined there (Applications that track the branch
 * usually live on the default branch), while roots, tools and footprints
 * are read from the branch's own trees.  A created ref had no tree
 * before; a deleted one has none after.
 */
#ifndef GG_REFAPPS_H
#define GG_REFAPPS_H

#include "appindex.h"
#include "changes.h"
#include "defs.h"
#include "session.h"

struct gg_refapps {
	int has_old, has_new;
	struct gg_oid old_tree, new_tree;
	const struct gg_defs *old_defs, *new_defs;
	const struct gg_appindex *before, *after;
	/* private: the definitions and indexes this owns; the others are
	 * the session's */
	struct gg_defs *own_defs[2];
	struct gg_appindex *own_index[2];
};

/*
 * Build both sides.  A side whose tree is the default branch's pre-push
 * tree (the side before a push to the default branch) has the
 * session's definitions and index (gg_session_default_index()), so
 * that they are loaded once per run.  `after` is the same index as
 * `before` when the push cannot change it, and the default branch's
 * index (the session's) when a new branch does not change what the
 * default branch defines.  Caller owns the result; gg_refapps_free().
 * 0, or a negative error from the repository.
 */
int gg_refapps_build(struct gg_refapps **out, struct gg_session *s,
		     const struct gg_refchange *rc);
void gg_refapps_free(struct gg_refapps *ra);

/*
 * 1 if the push cannot have changed what the apps of the ref are: the
 * ref existed, its definitions after the push are those before apart
 * from kustomization blob ids, no path was added or deleted
 * (gg_defs.same_shape), and the index after is the index before (no
 * files generator reads file contents).  Rules that judge only how the
 * definitions and generated apps change have nothing to judge then.
 */
int gg_refapps_unchanged(const struct gg_refapps *ra);

/*
 * The tag that `app`, which follows a semver range (GG_FOLLOW_RANGE),
 * deploys from the repository's refs as they are before the push: the
 * tag whose version is the highest in the range; with `below` (a tag
 * name without refs/tags/, in the range), the highest one whose
 * version is below that tag's.  Sets *out_ref (the full ref name;
 * caller frees) when
 * `out_ref` is not NULL, and *out_commit (peeled) when it is not NULL.
 * 0, GG_ENOTFOUND when no tag is in the range, or a negative error.
 * Reads every tag: called only for a push to a tag in a range.
 */
int gg_refapps_range_tag(char **out_ref, struct gg_oid *out_commit,
			 struct gg_repo *repo, const struct gg_app *app,
			 const char *below);

#endif
