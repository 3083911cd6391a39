/*
 * Whether a merge commit's version of a path comes from its parents
 * (merged.h): compared with each parent's version, then with the
 * line-by-line merge of them, which only repo.c can compute.
 */
#include <string.h>

#include "buf.h"
#include "error.h"
#include "merged.h"
#include "banned.h"

/* One version of a path. */
struct side {
	int present;
	int computed; /* a merge result: no object in the repository */
	const struct gg_buf *text; /* its bytes, when computed and kept */
	struct gg_oid oid;
	enum gg_entry_kind kind;
};

int gg_merged_init(struct gg_merged *out, struct gg_repo *repo,
		   const struct gg_oid *commit, size_t limit,
		   struct gg_merged_cache *cache)
{
	size_t i, n;
	int err;

	memset(out, 0, sizeof(*out));
	out->repo = repo;
	out->cache = cache;
	out->limit = limit;
	for (i = 0; i < GG_MERGED_MAX_PARENTS; i++)
		out->nbases[i] = -1;
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

/*
 * Read the merge bases of parents 0 and `i`: all of them for a merge of
 * two (up to GG_MERGED_MAX_BASES), the best one for an octopus.  Their
 * number (0: unrelated histories, an empty base) or a negative error.
 */
static int read_bases(struct gg_merged *m, size_t i)
{
	struct gg_oid ids[GG_MERGED_MAX_BASES], vbase;
	int err, n, k;

	if (m->nbases[i] >= 0)
		return m->nbases[i];
	if (m->nparents == 2)
		n = gg_repo_merge_bases(ids, GG_MERGED_MAX_BASES, m->repo,
					&m->parents[0], &m->parents[i]);
	else if ((n = gg_repo_merge_base(&ids[0], m->repo, &m->parents[0],
					 &m->parents[i])) == 0)
		n = 1;
	if (n == GG_ENOTFOUND)
		n = 0;
	if (n < 0)
		return n;
	for (k = 0; k < n; k++)
		if ((err = gg_repo_commit_tree(&m->base_trees[i][k], m->repo,
					       &ids[k])) < 0)
			return err;
	if (n >= 2) {
		/* git's virtual base: the first two bases merged */
		err = gg_repo_merge_base(&vbase, m->repo, &ids[0], &ids[1]);
		if (err == GG_ENOTFOUND) {
			m->vbase_state = -1;
		} else if (err < 0) {
			return err;
		} else {
			if ((err = gg_repo_commit_tree(&m->vbase_tree, m->repo,
						       &vbase)) < 0)
				return err;
			m->vbase_state = 1;
		}
	}
	m->nbases[i] = n;
	return n;
}

/* The version at `path` of merge base `k` of parents 0 and `i`. */
static int base_side(struct side *out, struct gg_merged *m, size_t i, int k,
		     const char *path)
{
	memset(out, 0, sizeof(*out));
	if (m->nbases[i] <= 0)
		return 0; /* unrelated histories: an empty base */
	return lookup(out, m->repo, &m->base_trees[i][k], path);
}

static struct gg_merged_memo *memo_find(struct gg_merged *m,
					const struct side *base,
					const struct side *ours,
					const struct side *theirs, int favor)
{
	size_t i;

	for (i = 0; m->cache && i < m->cache->nr; i++) {
		struct gg_merged_memo *c = &m->cache->v[i];

		if (c->favor == favor && c->has_base == base->present &&
		    (!base->present || !gg_oid_cmp(&c->base, &base->oid)) &&
		    !gg_oid_cmp(&c->ours, &ours->oid) &&
		    !gg_oid_cmp(&c->theirs, &theirs->oid))
			return c;
	}
	return NULL;
}

static void memo_add(struct gg_merged *m, const struct side *base,
		     const struct side *ours, const struct side *theirs,
		     int favor, int result, const struct gg_oid *out)
{
	struct gg_merged_memo *c;

	if (!m->cache)
		return;
	c = &m->cache->v[m->cache->next];
	m->cache->next = (m->cache->next + 1) % GG_MERGED_CACHE;
	if (m->cache->nr < GG_MERGED_CACHE)
		m->cache->nr++;
	memset(c, 0, sizeof(*c));
	c->has_base = base->present;
	if (base->present)
		c->base = base->oid;
	c->ours = ours->oid;
	c->theirs = theirs->oid;
	c->favor = favor;
	c->result = result;
	if (out)
		c->out = *out;
}

static void text_of(struct gg_merge_text *t, const struct side *s)
{
	memset(t, 0, sizeof(*t));
	if (s->computed) {
		t->ptr = s->text->buf;
		t->len = s->text->len;
	} else {
		t->oid = &s->oid;
	}
}

/*
 * Merge `ours` and `theirs` from `base` as git does, conflicting lines
 * resolved as `favor` says.  0 with `out` the result (its bytes in
 * `outb` when the lines were merged and `outb` is not NULL), 1 on a
 * conflict, GG_ELIMIT when a blob is over the limit, or a negative
 * error.  A computed side must have its bytes.
 */
static int merge3(struct side *out, struct gg_buf *outb, struct gg_merged *m,
		  const struct side *base, const struct side *ours,
		  const struct side *theirs, enum gg_merge_favor favor)
{
	struct gg_merge_text tb, to, tt;
	struct gg_merged_memo *c;
	const struct side *pick = NULL;
	int err;

	if (same(ours, theirs) || same(base, theirs))
		pick = ours;
	else if (same(base, ours))
		pick = theirs;
	if (pick) {
		*out = *pick;
		if (pick->computed) {
			out->text = outb;
			if (outb && outb != pick->text) {
				gg_buf_reset(outb);
				if (gg_buf_add(outb, pick->text->buf,
					       pick->text->len) < 0)
					return GG_ELIMIT;
			}
		}
		return 0;
	}
	/* both changed it: only two text files merge */
	if (!ours->present || !theirs->present || ours->kind != GG_ENTRY_BLOB ||
	    theirs->kind != GG_ENTRY_BLOB ||
	    (base->present && base->kind != GG_ENTRY_BLOB))
		return 1;
	memset(out, 0, sizeof(*out));
	out->present = 1;
	out->kind = GG_ENTRY_BLOB;
	if (!outb && (c = memo_find(m, base, ours, theirs, (int)favor))) {
		if (c->result == 0) {
			out->oid = c->out;
			out->computed = 1;
		}
		return c->result;
	}
	if (base->present)
		text_of(&tb, base);
	text_of(&to, ours);
	text_of(&tt, theirs);
	err = gg_repo_merge_text(&out->oid, outb, m->repo,
				 base->present ? &tb : NULL, &to, &tt, favor,
				 m->limit);
	if (err == 0 || err == 1)
		memo_add(m, base, ours, theirs, (int)favor, err,
			 err ? NULL : &out->oid);
	if (err == 0) {
		out->computed = 1;
		out->text = outb;
	}
	return err;
}

/*
 * Is `want` the merge of the two parents' versions `s` from `base`,
 * clean or with the conflicting lines of one side?  1 yes, 0 no (with
 * `*conflict` set when the merge conflicts), GG_ELIMIT when a blob is
 * over the limit, or a negative error.
 */
static int from_base(struct gg_merged *m, const struct side *base,
		     const struct side s[2], const struct side *want,
		     int *conflict)
{
	static const enum gg_merge_favor favors[] = { GG_MERGE_FAVOR_NONE,
						      GG_MERGE_FAVOR_OURS,
						      GG_MERGE_FAVOR_THEIRS };
	struct side res;
	size_t f;
	int err;

	for (f = 0; f < sizeof(favors) / sizeof(favors[0]); f++) {
		err = merge3(&res, NULL, m, base, &s[0], &s[1], favors[f]);
		if (err == 1) {
			*conflict = 1;
			continue;
		}
		if (err)
			return err;
		if (same(&res, want))
			return 1;
		if (!f)
			return 0; /* clean: favouring a side changes nothing */
	}
	return 0;
}

/*
 * git's virtual base for a criss-cross merge: the first two merge
 * bases' versions of `path` merged from their own merge base.  0 with
 * `out` (its bytes in `text`), 1 when there is none (no base of the
 * bases, or a conflict), GG_ELIMIT, or a negative error.
 */
static int virtual_base(struct side *out, struct gg_buf *text,
			struct gg_merged *m, const char *path)
{
	struct side b0, b1, vb;
	int err;

	if (m->vbase_state < 0)
		return 1;
	if ((err = base_side(&b0, m, 1, 0, path)) < 0 ||
	    (err = base_side(&b1, m, 1, 1, path)) < 0 ||
	    (err = lookup(&vb, m->repo, &m->vbase_tree, path)) < 0)
		return err;
	return merge3(out, text, m, &vb, &b0, &b1, GG_MERGE_FAVOR_NONE);
}

/*
 * Two parents: does `want` equal their merge from any merge base or
 * the virtual base, clean or with conflicts resolved by one side?
 * 1 yes, 0 no, GG_MERGED_TOO_LARGE when a merge could not be computed,
 * or a negative error.
 */
static int two_parents(struct gg_merged *m, const char *path,
		       const struct side *want)
{
	struct gg_buf vtext = GG_BUF_INIT;
	struct side s[2], base;
	int nb, k, err, conflict = 0, large = 0;

	if ((err = lookup(&s[0], m->repo, &m->trees[0], path)) < 0 ||
	    (err = lookup(&s[1], m->repo, &m->trees[1], path)) < 0)
		return err;
	if ((nb = read_bases(m, 1)) < 0)
		return nb;
	/* each merge base (an empty one for unrelated histories), then
	 * the virtual base when there are several */
	for (k = 0; k < (nb ? nb : 1) + (nb >= 2); k++) {
		if (k < (nb ? nb : 1))
			err = base_side(&base, m, 1, k, path);
		else if ((err = virtual_base(&base, &vtext, m, path)) == 1)
			break;
		if (!err)
			err = from_base(m, &base, s, want, &conflict);
		if (err == GG_ELIMIT)
			large = 1;
		else if (err)
			goto out;
	}
	/* a conflict resolved by taking their side wholesale */
	err = conflict && same(&s[1], want);
	if (!err && large)
		err = GG_MERGED_TOO_LARGE;
out:
	gg_buf_release(&vtext);
	return err;
}

/*
 * An octopus: the first `n` parents merged in order, each from its
 * merge base with the first parent; a conflict stops it (git's octopus
 * strategy refuses one), and then a parent's whole version passes.
 */
static int octopus(struct gg_merged *m, size_t n, const char *path,
		   const struct side *want)
{
	struct gg_buf text[2] = { GG_BUF_INIT, GG_BUF_INIT };
	struct side cur, next, theirs, base;
	size_t i;
	int err = 0, t = 0;

	if ((err = lookup(&cur, m->repo, &m->trees[0], path)) < 0)
		return err;
	for (i = 1; i < n; i++) {
		if ((err = lookup(&theirs, m->repo, &m->trees[i], path)) < 0 ||
		    (err = read_bases(m, i)) < 0 ||
		    (err = base_side(&base, m, i, 0, path)) < 0)
			goto out;
		err = merge3(&next, &text[1 - t], m, &base, &cur, &theirs,
			     GG_MERGE_FAVOR_NONE);
		if (err)
			break;
		cur = next;
		if (cur.computed)
			t = 1 - t;
	}
	if (!err) {
		err = same(&cur, want);
		goto out;
	}
	if (err == 1) { /* conflict: a side taken */
		for (i = 1; i < n; i++) {
			if ((err = lookup(&theirs, m->repo, &m->trees[i],
					  path)) < 0)
				goto out;
			if (same(&theirs, want)) {
				err = 1;
				goto out;
			}
		}
		err = 0;
	} else if (err == GG_ELIMIT) {
		err = GG_MERGED_TOO_LARGE;
	}
out:
	gg_buf_release(&text[0]);
	gg_buf_release(&text[1]);
	return err;
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
	    (err = read_bases(m, 1)) < 0 ||
	    (err = base_side(&base, m, 1, 0, path)) < 0)
		return err;
	if (base.present || s[0].present == s[1].present || !m->nbases[1])
		return 0;
	r = s[0].present ? 0 : 1; /* the side that renamed */
	memset(&h, 0, sizeof(h));
	h.repo = m->repo;
	h.renamed = &s[r].oid;
	h.other = &m->trees[1 - r];
	h.want = want;
	err = gg_repo_diff_trees(m->repo, &m->base_trees[1][0], &m->trees[r],
				 on_rename_delta, &h);
	return err < 0 ? err : h.found;
}

int gg_merged_path(struct gg_merged *m, const char *path,
		   const struct gg_oid *content)
{
	struct side want;
	size_t n;
	int err;

	memset(&want, 0, sizeof(want));
	if (content) {
		want.present = 1;
		want.oid = *content;
	}
	n = m->nparents < GG_MERGED_MAX_PARENTS ? m->nparents
						: GG_MERGED_MAX_PARENTS;
	if (n < 2)
		return 0;
	if (m->nparents == 2)
		err = two_parents(m, path, &want);
	else
		err = octopus(m, n, path, &want);
	if (err)
		return err;
	if (m->nparents > GG_MERGED_MAX_PARENTS)
		return GG_MERGED_TOO_MANY;
	return exact_rename(m, path, &want);
}
