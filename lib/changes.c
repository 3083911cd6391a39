/*
 * Per-ref changes: the base to diff against, the tree diff, and the new
 * commits (a revwalk from the new tip hiding the old one, or the default
 * branch for a new ref).
 */
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "xalloc.h"
#include "banned.h"

struct collect {
	struct gg_refchange *rc;
	size_t alloc;
};

static int on_delta(const struct gg_delta *d, void *payload)
{
	struct collect *c = payload;
	struct gg_file_change *f;

	GG_ALLOC_GROW(c->rc->files, c->rc->nfiles + 1, c->alloc);
	f = &c->rc->files[c->rc->nfiles++];
	f->path = gg_xstrdup(d->path);
	f->status = d->status;
	f->old_oid = d->old_oid;
	f->new_oid = d->new_oid;
	f->old_kind = d->old_kind;
	f->new_kind = d->new_kind;
	return 0;
}

struct commit_list {
	struct gg_refchange *rc;
	size_t alloc, limit;
};

static int on_commit(const struct gg_oid *oid, void *payload)
{
	struct commit_list *cl = payload;

	if (cl->rc->ncommits >= cl->limit) {
		cl->rc->commits_truncated = 1;
		return 1; /* stop */
	}
	GG_ALLOC_GROW(cl->rc->commits, cl->rc->ncommits + 1, cl->alloc);
	cl->rc->commits[cl->rc->ncommits++] = *oid;
	return 0;
}

/* Parse and peel a pushed id: tags are judged by the commit they name. */
static int resolve(struct gg_oid *out, struct gg_repo *repo, const char *hex)
{
	struct gg_oid raw;
	int err;

	if ((err = gg_oid_from_hex(&raw, hex)) < 0)
		return err;
	return gg_repo_peel_commit(out, repo, &raw);
}

static int set_base(struct gg_refchange *rc, struct gg_repo *repo,
		    const struct gg_oid *default_tip)
{
	int err;

	if (rc->has_old) {
		rc->base_commit = rc->old_commit;
		rc->has_base = 1;
		return 0;
	}
	if (!rc->has_new || !default_tip)
		return 0;
	err = gg_repo_merge_base(&rc->base_commit, repo, &rc->new_commit,
				 default_tip);
	if (err == GG_ENOTFOUND)
		return 0; /* unrelated history: compare against nothing */
	if (err < 0)
		return err;
	rc->has_base = 1;
	return 0;
}

int gg_changes_compute(struct gg_refchange *out, struct gg_repo *repo,
		       const struct gg_update *u,
		       const struct gg_oid *default_tip,
		       const struct gg_oid *prior, size_t max_commits)
{
	struct collect c = { out, 0 };
	struct commit_list cl = { out, 0, max_commits };
	struct gg_oid hide[2];
	size_t nhide = 0;
	int err;

	memset(out, 0, sizeof(*out));
	out->update = u;
	if (u->kind == GG_UPDATE_NOOP)
		return 0;
	if (u->kind != GG_UPDATE_CREATE) {
		if ((err = resolve(&out->old_commit, repo, u->old_hex)) < 0)
			return err;
		out->has_old = 1;
	} else if (prior) {
		out->old_commit = *prior;
		out->has_old = out->prior = 1;
	}
	if (u->kind != GG_UPDATE_DELETE) {
		if ((err = resolve(&out->new_commit, repo, u->new_hex)) < 0)
			return err;
		out->has_new = 1;
		if ((err = gg_repo_commit_tree(&out->new_tree, repo,
					       &out->new_commit)) < 0)
			return err;
	}
	if ((err = set_base(out, repo, default_tip)) < 0)
		return err;
	if (out->has_base && (err = gg_repo_commit_tree(&out->base_tree, repo,
							&out->base_commit)) < 0)
		return err;
	if (out->has_old && out->has_new) {
		err = gg_repo_is_ancestor(repo, &out->old_commit,
					  &out->new_commit);
		if (err < 0)
			return err;
		out->fast_forward = err;
	}
	err = gg_repo_diff_trees(repo, out->has_base ? &out->base_tree : NULL,
				 out->has_new ? &out->new_tree : NULL, on_delta,
				 &c);
	if (err < 0 || !out->has_new)
		return err;
	if (out->has_old)
		hide[nhide++] = out->old_commit;
	else if (default_tip)
		hide[nhide++] = *default_tip;
	err = gg_repo_walk(repo, &out->new_commit, hide, nhide, 0, 0, on_commit,
			   &cl);
	return err < 0 ? err : 0;
}

void gg_refchange_release(struct gg_refchange *rc)
{
	size_t i;

	for (i = 0; i < rc->nfiles; i++)
		free(rc->files[i].path);
	free(rc->files);
	free(rc->commits);
	memset(rc, 0, sizeof(*rc));
}

const struct gg_file_change *gg_refchange_find(const struct gg_refchange *rc,
					       const char *path)
{
	size_t lo = 0, hi = rc->nfiles;

	/* git's tree order is byte order of the full paths */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(rc->files[mid].path, path);

		if (!c)
			return &rc->files[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
