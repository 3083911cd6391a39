/*
 * Building the before and after app indexes of a ref update.
 */
#include <stdlib.h>
#include <string.h>

#include "refapps.h"
#include "xalloc.h"
#include "banned.h"

static int side(struct gg_appindex **out, struct gg_defs **defs,
		struct gg_session *s, const char *ref,
		const struct gg_oid *tree, const struct gg_oid *base,
		int is_default)
{
	const struct gg_appindex *dflt_idx;
	const struct gg_defs *dflt = NULL;
	struct gg_index_input in;
	int err = 0;

	if (tree)
		err = gg_defs_for_tree(defs, s->repo, tree, base, s->cache_dir,
				       (size_t)s->policy.limits.max_blob_bytes);
	else
		*defs = gg_defs_empty();
	if (err < 0)
		return err;
	if (!is_default &&
	    (err = gg_session_default_index(s, &dflt_idx, &dflt)) < 0)
		return err;
	memset(&in, 0, sizeof(in));
	in.repo = s->repo;
	in.manifests = s->manifests;
	in.layers[0].defs = *defs;
	in.layers[0].tree = tree;
	in.nlayers = 1;
	if (dflt) {
		in.layers[1].defs = dflt;
		in.layers[1].tree =
			s->has_default_tip ? &s->default_tree : NULL;
		in.nlayers = 2;
	}
	in.content = *defs;
	in.policy = &s->policy;
	in.repo_name = s->ctx.repo_name;
	in.default_branch = gg_session_default_branch(s);
	in.ref = ref;
	return gg_appindex_build(out, &in);
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
	err = side(&ra->before, &ra->old_defs, s, rc->update->ref,
		   ra->has_old ? &ra->old_tree : NULL, base, is_default);
	if (err < 0)
		goto fail;
	/* the new tree is nearest to the old one: update from that diff */
	err = side(&ra->after, &ra->new_defs, s, rc->update->ref,
		   ra->has_new ? &ra->new_tree : NULL,
		   ra->has_old ? &ra->old_tree : base, is_default);
	if (err < 0)
		goto fail;
	*out = ra;
	return 0;
fail:
	gg_refapps_free(ra);
	*out = NULL;
	return err;
}

void gg_refapps_free(struct gg_refapps *ra)
{
	if (!ra)
		return;
	gg_appindex_free(ra->before);
	gg_appindex_free(ra->after);
	gg_defs_free(ra->old_defs);
	gg_defs_free(ra->new_defs);
	free(ra);
}
