/*
 * Reading the lower tier for promotion/skipped-stage: which trees, where
 * the same app lives there (by path, app index or branch), and which
 * versions it has.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-versions-internal.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_KDEPTH 8

int gg_skip__blob_versions(struct gg_skip *k, struct gg_versions *out,
			   const struct gg_oid *blob, const char *path)
{
	const struct gg_objects *objs;
	int err;

	if (!gg_path_is_manifest(path))
		return 0;
	err = gg_model_get(&objs, k->run->s->manifests, blob, path);
	if (err < 0)
		return err;
	if (!objs && k->unreadable && gg_strvec_find(k->unreadable, path) < 0)
		gg_strvec_push(k->unreadable, path);
	gg_versions_add_file(out, objs, path, &k->opts);
	return 0;
}

struct collect {
	struct gg_skip *k;
	struct gg_versions *out;
	int err;
};

static int on_entry(const char *path, const struct gg_tree_entry *e,
		    void *payload)
{
	struct collect *c = payload;

	if (e->kind != GG_ENTRY_BLOB)
		return 0;
	c->err = gg_skip__blob_versions(c->k, c->out, &e->oid, path);
	return c->err < 0 ? 1 : 0;
}

/* The versions of file or directory `path` in `tree`; missing is empty. */
static int path_versions(struct gg_skip *k, struct gg_versions *out,
			 const struct gg_oid *tree, const char *path,
			 int recursive)
{
	struct collect c = { k, out, 0 };
	struct gg_tree_entry e;
	int err;

	err = gg_repo_tree_lookup(&e, k->run->s->repo, tree, path);
	if (err == GG_ENOTFOUND)
		return 0;
	if (err < 0)
		return err;
	if (e.kind == GG_ENTRY_BLOB)
		return gg_skip__blob_versions(k, out, &e.oid, path);
	if (e.kind != GG_ENTRY_TREE)
		return 0;
	err = gg_repo_tree_list(k->run->s->repo, tree, path, recursive,
				on_entry, &c);
	return c.err < 0 ? c.err : err == GG_ENOTFOUND ? 0 : err;
}

/*
 * What a kustomization in `dir` pulls in from outside `scope` (a base
 * the overlay patches): the files of each such directory.
 */
static int kustomize_versions(struct gg_skip *k, struct gg_versions *out,
			      const struct gg_defs *defs,
			      const struct gg_oid *tree, const char *dir,
			      const char *scope, int depth)
{
	const struct gg_kfile *kf = defs ? gg_defs_kfile(defs, dir) : NULL;
	size_t n = strlen(scope), i;
	int err = 0;

	for (i = 0; kf && depth < MAX_KDEPTH && i < kf->nresources && !err;
	     i++) {
		const char *r = kf->resources[i];

		if (!strncmp(r, scope, n) && (!r[n] || r[n] == '/'))
			continue;
		if (gg_defs_kfile(defs, r)) {
			err = path_versions(k, out, tree, r, 0);
			if (!err)
				err = kustomize_versions(k, out, defs, tree, r,
							 scope, depth + 1);
		} else {
			err = path_versions(k, out, tree, r, 0);
		}
	}
	return err;
}

/* The definitions (kustomize graph) of tree `t`, or NULL. */
static int defs_of(const struct gg_defs **out, struct gg_skip *k, size_t t)
{
	const struct gg_refapps *ra;
	int err;

	*out = NULL;
	/* the ref's own trees only: a lower branch has no index here */
	if (k->branch_env >= 0)
		return 0;
	if ((err = gg_check_apps(k->run, &ra)) < 0)
		return err;
	if (ra->has_new && !gg_oid_cmp(&ra->new_tree, &k->trees[t]))
		*out = ra->new_defs;
	else if (ra->has_old && !gg_oid_cmp(&ra->old_tree, &k->trees[t]))
		*out = ra->old_defs;
	return 0;
}

/* The versions of a counterpart scope in every tree, cached. */
static int scope_versions(struct gg_skip *k, const struct scope_cache **out,
			  const struct gg_counterpart *cp)
{
	struct scope_cache *c;
	size_t i;
	int err = 0;

	for (i = 0; i < k->ncache; i++) {
		if (!strcmp(k->cache[i].key, cp->scope)) {
			*out = &k->cache[i];
			return 0;
		}
	}
	GG_ALLOC_GROW(k->cache, k->ncache + 1, k->cache_alloc);
	c = &k->cache[k->ncache++];
	c->key = gg_xstrdup(cp->scope);
	gg_strvec_init(&c->unreadable);
	gg_versions_init(&c->vs);
	k->unreadable = &c->unreadable;
	for (i = 0; i < k->ntrees && !err; i++) {
		const struct gg_defs *defs;

		err = path_versions(k, &c->vs, &k->trees[i], cp->scope, 1);
		if (!err && !cp->scope_is_file)
			err = defs_of(&defs, k, i);
		if (!err && !cp->scope_is_file)
			err = kustomize_versions(k, &c->vs, defs, &k->trees[i],
						 cp->scope, cp->scope, 0);
	}
	k->unreadable = NULL;
	*out = c;
	return err;
}

/* --- finding the counterparts --------------------------------------------- */

struct lister {
	struct gg_skip *k;
	const struct gg_oid *trees;
	size_t ntrees;
};

struct listing_fill {
	struct gg_strvec *out;
	struct gg_strtab seen; /* a name in two trees is listed once */
};

static int on_list(const char *path, const struct gg_tree_entry *e,
		   void *payload)
{
	struct listing_fill *f = payload;
	const char *base = strrchr(path, '/');
	size_t n = f->seen.nr;
	char *name;

	base = base ? base + 1 : path;
	name = gg_xasprintf("%s%s", base, e->kind == GG_ENTRY_TREE ? "/" : "");
	gg_strtab_intern(&f->seen, name);
	if (f->seen.nr > n)
		gg_strvec_push_take(f->out, name);
	else
		free(name);
	return 0;
}

static int cmp_listing(const void *key, const void *elem)
{
	uint32_t a = *(const uint32_t *)key;
	uint32_t b = ((const struct listing *)elem)->dir;

	return a < b ? -1 : a > b;
}

/* Each directory is listed in the trees once, then from k->listings. */
static int list_dir(const struct gg_strvec **out, const char *dir,
		    void *payload)
{
	struct lister *l = payload;
	struct gg_skip *k = l->k;
	size_t had = k->listed.nr, i;
	uint32_t off = gg_strtab_intern(&k->listed, dir);
	struct listing_fill f;
	struct listing *ls;
	int err = 0;

	if (k->listed.nr == had) {
		ls = bsearch(&off, k->listings, k->nlistings,
			     sizeof(*k->listings), cmp_listing);
		if (!ls)
			GG_BUG("a listed directory without its listing");
		*out = ls->entries;
		return 0;
	}
	GG_ALLOC_GROW(k->listings, k->nlistings + 1, k->listings_alloc);
	ls = &k->listings[k->nlistings++];
	ls->dir = off;
	ls->entries = gg_xmalloc(sizeof(*ls->entries));
	gg_strvec_init(ls->entries);
	f.out = ls->entries;
	gg_strtab_init(&f.seen);
	for (i = 0; i < l->ntrees && !err; i++) {
		err = gg_repo_tree_list(k->run->s->repo, &l->trees[i], dir, 0,
					on_list, &f);
		if (err == GG_ENOTFOUND)
			err = 0;
	}
	gg_strtab_release(&f.seen);
	*out = ls->entries;
	return err;
}

void gg_skip__release(struct gg_skip *k)
{
	size_t i;

	for (i = 0; i < k->nlistings; i++) {
		gg_strvec_release(k->listings[i].entries);
		free(k->listings[i].entries);
	}
	free(k->listings);
	gg_strtab_release(&k->listed);
}

/* The same app, by the app index, in tier `tier`. */
static int by_app_index(struct gg_counterparts *out, struct gg_skip *k,
			const char *path, int from, int tier)
{
	const struct gg_refapps *ra;
	int err;

	if ((err = gg_check_apps(k->run, &ra)) < 0 || !ra->has_new)
		return err;
	gg_counterparts_by_app(out, &k->run->s->policy, ra->after,
			       ra->has_old ? ra->before : NULL, path, from,
			       tier);
	return 0;
}

/* 1 if `path` exists in one of the trees read. */
static int exists_in(struct gg_skip *k, const char *path)
{
	struct gg_tree_entry e;
	size_t i;

	for (i = 0; i < k->ntrees; i++)
		if (!gg_repo_tree_lookup(&e, k->run->s->repo, &k->trees[i],
					 path))
			return 1;
	return 0;
}

/* The tree of `commit` as one more tree to read. */
static int add_tree(struct gg_skip *k, const struct gg_oid *commit)
{
	if (k->ntrees >= GG_SKIP_MAX_TREES)
		return 0;
	return gg_repo_commit_tree(&k->trees[k->ntrees++], k->run->s->repo,
				   commit);
}

/*
 * Branch per environment: read the next lower environment's branch
 * instead of the ref (its tip before the push, and the tip this push
 * gives it).
 */
int gg_skip__branch_trees(struct gg_skip *k, const char *branch)
{
	char ref[512];
	struct gg_oid tip, raw;
	size_t i;
	int err;

	snprintf(ref, sizeof(ref), "refs/heads/%s", branch);
	k->ntrees = 0;
	err = gg_repo_ref_commit(&tip, k->run->s->repo, ref);
	if (!err)
		err = add_tree(k, &tip);
	if (err < 0 && err != GG_ENOTFOUND)
		return err;
	for (i = 0; k->run->push && i < k->run->push->nr; i++) {
		const struct gg_update *u = &k->run->push->updates[i];

		if (strcmp(u->ref, ref) || gg_oid_hex_is_zero(u->new_hex) ||
		    gg_oid_from_hex(&raw, u->new_hex) < 0 ||
		    gg_repo_peel_commit(&tip, k->run->s->repo, &raw) < 0)
			continue;
		if ((err = add_tree(k, &tip)) < 0)
			return err;
	}
	return 0;
}

/* The same directory (or root file) on the lower branch. */
static void by_branch(struct gg_counterparts *out, struct gg_skip *k,
		      const char *path, const char *env)
{
	const char *slash = strrchr(path, '/');
	struct gg_counterpart *c;

	GG_ALLOC_GROW(out->v, out->nr + 1, out->alloc);
	c = &out->v[out->nr++];
	memset(c, 0, sizeof(*c));
	c->path = gg_xstrdup(path);
	c->scope = slash ? gg_xstrndup(path, (size_t)(slash - path))
			 : gg_xstrdup(path);
	c->scope_is_file = !slash;
	c->exists = exists_in(k, c->scope);
	snprintf(c->env, sizeof(c->env), "%s", env);
}

/*
 * The counterparts of `path` in the nearest lower tier that has the
 * app; *tier is that tier, or -1 when none has it.
 */
int gg_skip__find(struct gg_counterparts *out, struct gg_skip *k,
		  const char *path, const struct gg_env *env, int *tier)
{
	const struct gg_policy *p = &k->run->s->policy;
	struct lister l = { k, k->trees, k->ntrees };
	int t, err;

	*tier = -1;
	if (k->branch_env >= 0) {
		by_branch(out, k, path, p->envs[k->branch_env].name);
		if (gg_counterparts_existing(out))
			*tier = k->branch_env;
		return 0;
	}
	for (t = env->tier - 1; t >= 0; t--) {
		gg_counterparts_release(out);
		err = gg_counterparts_find(out, p, path, t, list_dir, &l);
		if (err < 0)
			return err;
		if (!gg_counterparts_existing(out)) {
			gg_counterparts_release(out);
			err = by_app_index(out, k, path, env->tier, t);
			if (err < 0)
				return err;
		}
		if (gg_counterparts_existing(out)) {
			*tier = t;
			return 0;
		}
	}
	gg_counterparts_release(out);
	return 0;
}

/* The file became a byte-for-byte copy of a lower counterpart. */
const char *gg_skip__copied_from(struct gg_skip *k, const struct gg_oid *blob,
				 const struct gg_counterparts *cps)
{
	struct gg_tree_entry e;
	size_t i, t;

	for (i = 0; i < cps->nr; i++)
		for (t = 0; cps->v[i].exists && t < k->ntrees; t++)
			if (!gg_repo_tree_lookup(&e, k->run->s->repo,
						 &k->trees[t],
						 cps->v[i].path) &&
			    e.kind == GG_ENTRY_BLOB &&
			    !gg_oid_cmp(&e.oid, blob))
				return cps->v[i].path;
	return NULL;
}

/* The union of the versions of every existing counterpart scope. */
int gg_skip__lower_versions(struct gg_skip *k, struct gg_versions *out,
			    size_t *unreadable,
			    const struct gg_counterparts *cps)
{
	const struct scope_cache *sc;
	size_t i, j;
	int err;

	*unreadable = 0;
	for (i = 0; i < cps->nr; i++) {
		if (!cps->v[i].exists)
			continue;
		if ((err = scope_versions(k, &sc, &cps->v[i])) < 0)
			return err;
		for (j = 0; j < sc->vs.nr; j++)
			gg_versions_add(out, &sc->vs.v[j]);
		*unreadable += sc->unreadable.nr;
	}
	return 0;
}
