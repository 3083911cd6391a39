/*
 * Building the before and after app indexes of a ref update.
 */
#include <stdlib.h>
#include <string.h>

#include "refapps.h"
#include "semver.h"
#include "xalloc.h"
#include "banned.h"

/* The app index of `tree` whose definitions are `defs`. */
static int index_of(struct gg_appindex **out, struct gg_session *s,
		    const char *ref, const struct gg_oid *tree,
		    const struct gg_defs *defs, int is_default)
{
	const struct gg_appindex *dflt_idx;
	const struct gg_defs *dflt = NULL;
	struct gg_index_input in;
	struct gg_oid shapes[2];
	int err;

	if (!is_default &&
	    (err = gg_session_default_index(s, &dflt_idx, &dflt)) < 0)
		return err;
	memset(&in, 0, sizeof(in));
	in.repo = s->repo;
	in.manifests = s->manifests;
	in.layers[0].defs = defs;
	in.layers[0].tree = tree;
	in.nlayers = 1;
	if (dflt) {
		in.layers[1].defs = dflt;
		in.layers[1].tree =
			s->has_default_tip ? &s->default_tree : NULL;
		in.nlayers = 2;
	}
	in.content = defs;
	in.policy = &s->policy;
	in.repo_name = s->ctx.repo_name;
	in.default_branch = gg_session_default_branch(s);
	in.ref = ref;
	memset(shapes, 0, sizeof(shapes));
	if (tree)
		gg_appindex_shape(&shapes[0], s->cache_dir, tree);
	if (dflt && s->has_default_tip)
		gg_appindex_shape(&shapes[1], s->cache_dir, &s->default_tree);
	return gg_session_index(out, s, &in, shapes);
}

/*
 * One side: the definitions and index of `tree` (NULL: none).  The
 * default branch's pre-push tree is the session's, loaded once per
 * run: a ref whose tree it is has the same index (with two layers of
 * the same shape, gg_appindex_key() sees one).  `which` is 0 for the
 * side before, 1 for the side after.
 */
static int side(struct gg_refapps *ra, int which, struct gg_session *s,
		const char *ref, const struct gg_oid *tree,
		const struct gg_oid *base, int is_default)
{
	const struct gg_defs **defs = which ? &ra->new_defs : &ra->old_defs;
	const struct gg_appindex **idx = which ? &ra->after : &ra->before;
	int err = 0;

	if (tree && s->has_default_tip && !gg_oid_cmp(tree, &s->default_tree))
		return gg_session_default_index(s, idx, defs);
	if (tree)
		err = gg_defs_for_tree(&ra->own_defs[which], s->repo, tree,
				       base, s->cache_dir,
				       (size_t)s->policy.limits.max_blob_bytes);
	else
		ra->own_defs[which] = gg_defs_empty();
	if (err < 0)
		return err;
	*defs = ra->own_defs[which];
	err = index_of(&ra->own_index[which], s, ref, tree, *defs, is_default);
	*idx = ra->own_index[which];
	return err;
}

/* The file changes of `rc` as a diff of trees. */
static struct gg_delta *diff_of(const struct gg_refchange *rc)
{
	struct gg_delta *v = gg_xcalloc(rc->nfiles + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < rc->nfiles; i++) {
		const struct gg_file_change *f = &rc->files[i];

		v[i].status = f->status;
		v[i].path = f->path;
		v[i].old_oid = f->old_oid;
		v[i].new_oid = f->new_oid;
		v[i].old_kind = f->old_kind;
		v[i].new_kind = f->new_kind;
	}
	return v;
}

/*
 * The side after an update, from the side before: the definitions are
 * updated in memory from the old tree's, and when the push changed no
 * definition and no directory, and no generator read the files it
 * changed, the index is the one before (appindex.h says what an index
 * depends on), and the new tree gets the old one's shape, so that the
 * next push finds it in the index cache.
 */
static int after_update(struct gg_refapps *ra, struct gg_session *s,
			const struct gg_refchange *rc, int is_default)
{
	struct gg_delta *diff = diff_of(rc);
	/* the new set shares the old one's strings (and counts on it) */
	struct gg_defs *old =
		ra->own_defs[0] ? ra->own_defs[0] : s->default_defs;
	int err;

	if (old != ra->old_defs)
		GG_BUG("the definitions before the push are not known");
	/* the change's diff is old -> new: no second diff */
	err = gg_defs_update(&ra->own_defs[1], s->repo, &ra->new_tree, old,
			     diff, rc->nfiles, s->cache_dir,
			     (size_t)s->policy.limits.max_blob_bytes);
	free(diff);
	if (err < 0)
		return err;
	ra->new_defs = ra->own_defs[1];
	if (ra->new_defs->same_shape && !ra->before->reads_files) {
		struct gg_oid shape;

		/* the next push finds the index through the old tree's */
		gg_appindex_shape(&shape, s->cache_dir, &ra->old_tree);
		gg_appindex_set_shape(s->cache_dir, &ra->new_tree, &shape);
		ra->after = ra->before;
		return 0;
	}
	err = index_of(&ra->own_index[1], s, rc->update->ref, &ra->new_tree,
		       ra->new_defs, is_default);
	ra->after = ra->own_index[1];
	return err;
}

/*
 * The side after a new branch, from the default branch: the definitions
 * are updated in memory from the default branch's, and when the branch
 * keeps their shape its index is the default branch's (the branch's own
 * definitions add nothing to them), and the new tree gets the default
 * tree's shape, which gg_appindex_key() sees as one layer.
 */
static int after_create(struct gg_refapps *ra, struct gg_session *s,
			const struct gg_refchange *rc)
{
	const struct gg_appindex *dflt_idx;
	struct gg_delta *diff = NULL;
	struct gg_oid shape;
	int err;

	/* a branch made from the default branch's tip: the change's diff
	 * is the one to apply */
	if (rc->has_base && !gg_oid_cmp(&rc->base_tree, &s->default_tree))
		diff = diff_of(rc);
	err = gg_session_default_index(s, &dflt_idx, NULL);
	if (!err)
		err = gg_defs_update(&ra->own_defs[1], s->repo, &ra->new_tree,
				     s->default_defs, diff,
				     diff ? rc->nfiles : 0, s->cache_dir,
				     (size_t)s->policy.limits.max_blob_bytes);
	free(diff);
	if (err < 0)
		return err;
	ra->new_defs = ra->own_defs[1];
	if (ra->new_defs->same_shape && !dflt_idx->reads_files) {
		gg_appindex_shape(&shape, s->cache_dir, &s->default_tree);
		gg_appindex_set_shape(s->cache_dir, &ra->new_tree, &shape);
		ra->after = dflt_idx;
		return 0;
	}
	err = index_of(&ra->own_index[1], s, rc->update->ref, &ra->new_tree,
		       ra->new_defs, 0);
	ra->after = ra->own_index[1];
	return err;
}

int gg_refapps_build(struct gg_refapps **out, struct gg_session *s,
		     const struct gg_refchange *rc)
{
	struct gg_refapps *ra = gg_xcalloc(1, sizeof(*ra));
	int is_default =
		s->default_ref && !strcmp(rc->update->ref, s->default_ref);
	const struct gg_oid *base =
		s->has_default_tip ? &s->default_tree : NULL;
	int err;

	ra->has_old = rc->has_old;
	ra->has_new = rc->has_new;
	if (rc->has_old && (err = gg_repo_commit_tree(&ra->old_tree, s->repo,
						      &rc->old_commit)) < 0)
		goto fail;
	if (rc->has_new)
		ra->new_tree = rc->new_tree;
	err = side(ra, 0, s, rc->update->ref,
		   ra->has_old ? &ra->old_tree : NULL, base, is_default);
	if (err < 0)
		goto fail;
	/* the new tree is nearest to the old one: update from that diff */
	if (ra->has_old && ra->has_new)
		err = after_update(ra, s, rc, is_default);
	else if (ra->has_new && !is_default && s->has_default_tip)
		err = after_create(ra, s, rc);
	else
		err = side(ra, 1, s, rc->update->ref,
			   ra->has_new ? &ra->new_tree : NULL, base,
			   is_default);
	if (err < 0)
		goto fail;
	*out = ra;
	return 0;
fail:
	gg_refapps_free(ra);
	*out = NULL;
	return err;
}

int gg_refapps_unchanged(const struct gg_refapps *ra)
{
	return ra->has_old && ra->has_new && ra->new_defs &&
	       ra->new_defs->same_shape && ra->after == ra->before;
}

void gg_refapps_free(struct gg_refapps *ra)
{
	if (!ra)
		return;
	gg_appindex_free(ra->own_index[0]);
	gg_appindex_free(ra->own_index[1]);
	gg_defs_free(ra->own_defs[0]);
	gg_defs_free(ra->own_defs[1]);
	free(ra);
}

struct range_scan {
	const struct gg_app *app;
	struct gg_semver below, best; /* best borrows from best_ref */
	int has_below;
	char *best_ref;
	struct gg_oid best_oid;
};

static int scan_tag(const char *ref, const struct gg_oid *oid, void *payload)
{
	struct range_scan *rs = payload;
	const struct gg_app *app = rs->app;
	struct gg_semver v;

	if (strncmp(ref, "refs/tags/", 10) ||
	    !gg_semver_tag_in(app->revision, app->tag_prefix, ref + 10, &v) ||
	    (rs->has_below && gg_semver_cmp(&v, &rs->below) >= 0) ||
	    (rs->best_ref && gg_semver_cmp(&v, &rs->best) <= 0))
		return 0;
	free(rs->best_ref);
	rs->best_ref = gg_xstrdup(ref);
	rs->best_oid = *oid;
	gg_semver_tag_in(app->revision, app->tag_prefix, rs->best_ref + 10,
			 &rs->best);
	return 0;
}

int gg_refapps_range_tag(char **out_ref, struct gg_oid *out_commit,
			 struct gg_repo *repo, const struct gg_app *app,
			 const char *below)
{
	struct range_scan rs;
	int err;

	memset(&rs, 0, sizeof(rs));
	rs.app = app;
	if (out_ref)
		*out_ref = NULL;
	if (app->follows != GG_FOLLOW_RANGE || !app->revision)
		return GG_ENOTFOUND;
	rs.has_below = below && gg_semver_tag_in(app->revision, app->tag_prefix,
						 below, &rs.below);
	err = gg_repo_foreach_ref(repo, "refs/tags/*", scan_tag, &rs);
	if (!err && !rs.best_ref)
		err = GG_ENOTFOUND;
	if (!err && out_commit)
		err = gg_repo_peel_commit(out_commit, repo, &rs.best_oid);
	if (!err && out_ref) {
		*out_ref = rs.best_ref;
		rs.best_ref = NULL;
	}
	free(rs.best_ref);
	return err;
}
