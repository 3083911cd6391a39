/*
 * Whether a merge commit's version of a path comes from its parents
 * (merged.h): compared with each parent's version, then with the
 * line-by-line merge of them, which only repo.c can compute.
 */
#include <string.h>

#include "error.h"
#include "merged.h"
#include "banned.h"

/* One version of a path. */
struct side {
	int present;
	int computed; /* a merge result: no object in the repository */
	struct gg_oid oid;
	enum gg_entry_kind kind;
};

int gg_merged_init(struct gg_merged *out, struct gg_repo *repo,
		   const struct gg_oid *commit, size_t limit)
{
	size_t i, n;
	int err;

	memset(out, 0, sizeof(*out));
	out->repo = repo;
	out->limit = limit;
	err = gg_repo_commit_parents(out->parents, GG_MERGED_MAX_PARENTS, repo,
				     commit);
	if (err < 0)
		return err;
	out->nparents = (size_t)err;
	n = out->nparents < GG_MERGED_MAX_PARENTS ? out->nparents
						  : GG_MERGED_MAX_PARENTS;
	for (i = 0; i < n; i++)
		if ((err = gg_repo_commit_tree(&out->trees[i], repo,
					       &out->parents[i])) < 0)
			return err;
	return 0;
}

static int lookup(struct side *out, struct gg_repo *repo,
		  const struct gg_oid *tree, const char *path)
{
	struct gg_tree_entry e;
	int err;

	memset(out, 0, sizeof(*out));
	err = gg_repo_tree_lookup(&e, repo, tree, path);
	if (err == GG_ENOTFOUND)
		return 0;
	if (err < 0)
		return err;
	out->present = 1;
	out->oid = e.oid;
	out->kind = e.kind;
	return 0;
}

static int same(const struct side *a, const struct side *b)
{
	if (!a->present || !b->present)
		return a->present == b->present;
	return !gg_oid_cmp(&a->oid, &b->oid);
}

/* The version at `path` of the merge base of parents 0 and `i`. */
static int base_side(struct side *out, struct gg_merged *m, size_t i,
		     const char *path)
{
	struct gg_oid base;
	int err;

	memset(out, 0, sizeof(*out));
	if (!m->base_state[i]) {
		err = gg_repo_merge_base(&base, m->repo, &m->parents[0],
					 &m->parents[i]);
		if (err == GG_ENOTFOUND) {
			m->base_state[i] = -1;
		} else if (err < 0) {
			return err;
		} else {
			if ((err = gg_repo_commit_tree(&m->base_trees[i],
						       m->repo, &base)) < 0)
				return err;
			m->base_state[i] = 1;
		}
	}
	if (m->base_state[i] < 0)
		return 0; /* unrelated histories: an empty base */
	return lookup(out, m->repo, &m->base_trees[i], path);
}

/*
 * Merge parent `i`'s version of `path` into `cur`, the result so far.
 * 0 with `cur` updated, 1 on a conflict, or a negative error.
 */
static int merge_in(struct side *cur, struct gg_merged *m, size_t i,
		    const char *path)
{
	struct side theirs, base;
	struct gg_oid out;
	int err;

	if ((err = lookup(&theirs, m->repo, &m->trees[i], path)) < 0)
		return err;
	if (same(cur, &theirs))
		return 0;
	if ((err = base_side(&base, m, i, path)) < 0)
		return err;
	if (same(&base, cur)) {
		*cur = theirs;
		return 0;
	}
	if (same(&base, &theirs))
		return 0;
	/* both changed it: only two text files merge */
	if (!cur->present || !theirs.present || cur->computed ||
	    cur->kind != GG_ENTRY_BLOB || theirs.kind != GG_ENTRY_BLOB ||
	    (base.present && base.kind != GG_ENTRY_BLOB))
		return 1;
	err = gg_repo_merge_blobs(&out, m->repo,
				  base.present ? &base.oid : NULL, &cur->oid,
				  &theirs.oid, m->limit);
	if (err == GG_ELIMIT)
		return 1;
	if (err)
		return err;
	cur->oid = out;
	cur->computed = 1;
	return 0;
}

struct rename_hunt {
	struct gg_repo *repo;
	const struct gg_oid *renamed; /* the blob the renamed file has */
	const struct gg_oid *other;   /* the tree of the other side */
	const struct side *want;
	int found;
};

static int on_rename_delta(const struct gg_delta *d, void *payload)
{
	struct rename_hunt *h = payload;
	struct side there;
	int err;

	if (d->status != GG_DELTA_DELETED ||
	    gg_oid_cmp(&d->old_oid, h->renamed))
		return 0;
	if ((err = lookup(&there, h->repo, h->other, d->path)) < 0)
		return err;
	h->found = same(&there, h->want);
	return h->found; /* 1 stops the diff */
}

/*
 * Two parents, one of which renamed a file to `path` unchanged (its
 * version there is the merge base's at the old path, which it no longer
 * has): git's rename detection carries the other side's change of the
 * old path over, so the merge has the other side's version of it.
 * 1 when `want` is that, 0 when not, or a negative error.
 */
static int exact_rename(struct gg_merged *m, const char *path,
			const struct side *want)
{
	struct side s[2], base;
	struct rename_hunt h;
	int err, r;

	if (m->nparents != 2)
		return 0;
	if ((err = lookup(&s[0], m->repo, &m->trees[0], path)) < 0 ||
	    (err = lookup(&s[1], m->repo, &m->trees[1], path)) < 0 ||
	    (err = base_side(&base, m, 1, path)) < 0)
		return err;
	if (base.present || s[0].present == s[1].present ||
	    m->base_state[1] < 0)
		return 0;
	r = s[0].present ? 0 : 1; /* the side that renamed */
	memset(&h, 0, sizeof(h));
	h.repo = m->repo;
	h.renamed = &s[r].oid;
	h.other = &m->trees[1 - r];
	h.want = want;
	err = gg_repo_diff_trees(m->repo, &m->base_trees[1], &m->trees[r],
				 on_rename_delta, &h);
	return err < 0 ? err : h.found;
}

int gg_merged_path(struct gg_merged *m, const char *path,
		   const struct gg_oid *content)
{
	struct side want, cur;
	size_t i, n;
	int err;

	memset(&want, 0, sizeof(want));
	if (content) {
		want.present = 1;
		want.oid = *content;
	}
	n = m->nparents < GG_MERGED_MAX_PARENTS ? m->nparents
						: GG_MERGED_MAX_PARENTS;
	for (i = 0; i < n; i++) {
		if ((err = lookup(&cur, m->repo, &m->trees[i], path)) < 0)
			return err;
		if (same(&cur, &want))
			return 1;
	}
	if (!n || m->nparents > GG_MERGED_MAX_PARENTS)
		return 0;
	if ((err = lookup(&cur, m->repo, &m->trees[0], path)) < 0)
		return err;
	for (i = 1; i < n; i++) {
		err = merge_in(&cur, m, i, path);
		if (err)
			return err < 0 ? err : 0;
	}
	if (same(&cur, &want))
		return 1;
	return exact_rename(m, path, &want);
}
