/*
 * Sync behaviour in effect for Applications, ApplicationSets and Flux
 * Kustomizations, AppProject wildcards, and finding an object's earlier
 * self (syncstate.h).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "appindex.h"
#include "syncstate.h"
#include "banned.h"

/* --- sync state ----------------------------------------------------------- */

/* syncPolicy.automated as written: present, and its four fields. */
struct automated {
	int present;
	enum gg_tri enabled, prune, self_heal, allow_empty;
};

static enum gg_tri tri(const struct gg_ynode *n)
{
	int b;

	return gg_ynode_bool(&b, n) == 0 ? (b ? GG_TRUE : GG_FALSE) : GG_UNSET;
}

static void read_automated(struct automated *a, const struct gg_ynode *spec)
{
	const struct gg_ynode *n = gg_ynode_path(spec, "syncPolicy.automated");

	memset(a, 0, sizeof(*a));
	/* "automated:" with no value is a nil pointer: not enabled */
	a->present = gg_ynode_is_map(n);
	a->enabled = tri(gg_ynode_get(n, "enabled"));
	a->prune = tri(gg_ynode_get(n, "prune"));
	a->self_heal = tri(gg_ynode_get(n, "selfHeal"));
	a->allow_empty = tri(gg_ynode_get(n, "allowEmpty"));
}

/* Bits as written; gate() applies what depends on what. */
static unsigned raw_bits(const struct automated *a)
{
	unsigned on = 0;

	if (a->present && a->enabled != GG_FALSE)
		on |= GG_SYNC_AUTO;
	if (a->prune == GG_TRUE)
		on |= GG_SYNC_PRUNE;
	if (a->self_heal == GG_TRUE)
		on |= GG_SYNC_SELF_HEAL;
	if (a->allow_empty == GG_TRUE)
		on |= GG_SYNC_ALLOW_EMPTY;
	return on;
}

/* prune, selfHeal and allowEmpty act only with automated sync, and
 * allowEmpty only matters to an app that prunes */
static unsigned gate(unsigned b)
{
	if (!(b & GG_SYNC_AUTO))
		b &= ~(unsigned)(GG_SYNC_PRUNE | GG_SYNC_SELF_HEAL |
				 GG_SYNC_ALLOW_EMPTY);
	if (!(b & GG_SYNC_PRUNE))
		b &= ~(unsigned)GG_SYNC_ALLOW_EMPTY;
	return b;
}

void gg_sync_of_app(struct gg_sync_state *out, const struct gg_argo_app *app)
{
	struct automated a;

	memset(&a, 0, sizeof(a));
	a.present = app->sync.automated_present;
	a.enabled = app->sync.enabled;
	a.prune = app->sync.prune;
	a.self_heal = app->sync.self_heal;
	a.allow_empty = app->sync.allow_empty;
	out->on = gate(raw_bits(&a));
	out->maybe = 0;
}

/* mergo.Merge(dst, src) without override: an empty (nil, false) field
 * of dst takes src's value. */
static enum gg_tri merge_bool(enum gg_tri dst, enum gg_tri src)
{
	if (dst == GG_TRUE || src == GG_TRUE)
		return GG_TRUE;
	return dst != GG_UNSET ? dst : src;
}

static void merge_automated(struct automated *dst, const struct automated *src)
{
	if (!dst->present) {
		*dst = *src;
		return;
	}
	if (!src->present)
		return;
	/* *bool enabled: nil takes src's pointer, false takes a true */
	dst->enabled = merge_bool(dst->enabled, src->enabled);
	dst->prune = merge_bool(dst->prune, src->prune);
	dst->self_heal = merge_bool(dst->self_heal, src->self_heal);
	dst->allow_empty = merge_bool(dst->allow_empty, src->allow_empty);
}

/* Every generator (and child generator) gives apps its own merged
 * template: collect what is on for any, and what the patch may add. */
static void generator_bits(const struct gg_generator *g,
			   const struct automated *base, unsigned guess,
			   struct gg_sync_state *acc)
{
	struct automated a = *base;
	size_t i;

	if (gg_ynode_is_map(g->template_)) {
		read_automated(&a, gg_ynode_get(g->template_, "spec"));
		merge_automated(&a, base);
	}
	acc->on |= gate(raw_bits(&a));
	acc->maybe |= gate(raw_bits(&a) | guess);
	for (i = 0; i < g->nchildren; i++)
		generator_bits(&g->children[i], base, guess, acc);
}

void gg_sync_of_appset(struct gg_sync_state *out,
		       const struct gg_argo_appset *set)
{
	unsigned guess = gg_sync_patch_guess(set->template_patch);
	struct automated base;
	size_t i;

	read_automated(&base, gg_ynode_get(set->template_, "spec"));
	out->on = 0;
	out->maybe = 0;
	for (i = 0; i < set->ngenerators; i++)
		generator_bits(&set->generators[i], &base, guess, out);
	if (!set->ngenerators) {
		out->on = gate(raw_bits(&base));
		out->maybe = gate(raw_bits(&base) | guess);
	}
	out->maybe &= ~out->on;
}

void gg_sync_of_flux(struct gg_sync_state *out, const struct gg_flux_ks *ks)
{
	out->on = (ks->suspend == GG_TRUE ? 0 : GG_SYNC_AUTO) |
		  (ks->prune == GG_TRUE ? GG_SYNC_PRUNE : 0);
	out->maybe = 0;
}

void gg_sync_of_object(struct gg_sync_state *out, const struct gg_object *o)
{
	memset(out, 0, sizeof(*out));
	if (o->kind == GG_KIND_APPLICATION)
		gg_sync_of_app(out, &o->u.app);
	else if (o->kind == GG_KIND_APPLICATIONSET)
		gg_sync_of_appset(out, &o->u.appset);
	else if (o->kind == GG_KIND_FLUX_KUSTOMIZATION)
		gg_sync_of_flux(out, &o->u.ks);
}

static int word_at(const char *v, const char *w)
{
	size_t n = strlen(w);

	return !strncasecmp(v, w, n) && !isalnum((unsigned char)v[n]);
}

/* Does `key` occur as a key ("key:", "\"key\":") whose value is true
 * or a template expression? */
static int patch_sets(const char *text, const char *key)
{
	size_t n = strlen(key);
	const char *p = text;

	while ((p = strstr(p, key))) {
		const char *v = p + n;

		p = v;
		if (v - n > text &&
		    (isalnum((unsigned char)v[-n - 1]) || v[-n - 1] == '_'))
			continue;
		while (*v == '"' || *v == '\'' || *v == ' ' || *v == '\t')
			v++;
		if (*v++ != ':')
			continue;
		while (*v == ' ' || *v == '\t' || *v == '"' || *v == '\'')
			v++;
		if (!strncmp(v, "{{", 2) || word_at(v, "true") ||
		    word_at(v, "yes") || word_at(v, "on"))
			return 1;
	}
	return 0;
}

unsigned gg_sync_patch_guess(const char *text)
{
	unsigned bits = 0;

	if (!text)
		return 0;
	if (strstr(text, "automated"))
		bits |= GG_SYNC_AUTO;
	if (patch_sets(text, "prune"))
		bits |= GG_SYNC_PRUNE;
	if (patch_sets(text, "selfHeal"))
		bits |= GG_SYNC_SELF_HEAL;
	if (patch_sets(text, "allowEmpty"))
		bits |= GG_SYNC_ALLOW_EMPTY;
	return bits;
}

/* --- AppProjects ---------------------------------------------------------- */

static int is_star(const char *s)
{
	return s && *s && !s[strspn(s, "*")];
}

static int seq_has_star(const struct gg_ynode *seq)
{
	size_t i;

	for (i = 0; gg_ynode_is_seq(seq) && i < gg_ynode_count(seq); i++)
		if (is_star(gg_ynode_str(gg_ynode_item(seq, i))))
			return 1;
	return 0;
}

unsigned gg_project_wide(const struct gg_argo_project *p)
{
	unsigned wide = 0;
	size_t i;

	if (seq_has_star(p->source_repos))
		wide |= GG_WIDE_REPOS;
	for (i = 0; i < p->ndests; i++)
		if (is_star(p->dests[i].server) || is_star(p->dests[i].name) ||
		    is_star(p->dests[i].namespace_))
			wide |= GG_WIDE_DESTS;
	for (i = 0; i < gg_ynode_count(p->cluster_whitelist) &&
		    gg_ynode_is_seq(p->cluster_whitelist);
	     i++) {
		const struct gg_ynode *e =
			gg_ynode_item(p->cluster_whitelist, i);

		if (is_star(gg_ynode_str(gg_ynode_get(e, "group"))) &&
		    is_star(gg_ynode_str(gg_ynode_get(e, "kind"))))
			wide |= GG_WIDE_CLUSTER;
	}
	return wide;
}

int gg_project_cluster_kinds(const struct gg_argo_project *p)
{
	return gg_ynode_is_seq(p->cluster_whitelist) &&
	       gg_ynode_count(p->cluster_whitelist) > 0;
}

/* --- identities ----------------------------------------------------------- */

static int same_identity(const struct gg_object *a, const struct gg_object *b)
{
	return a->kind == b->kind && a->name && b->name &&
	       !strcmp(a->name, b->name) &&
	       (!a->namespace_ || !b->namespace_ ||
		!strcmp(a->namespace_, b->namespace_));
}

static int find_in_blob(const struct gg_object **out, struct gg_manifests *m,
			const struct gg_oid *blob, const char *path,
			const struct gg_object *like)
{
	const struct gg_objects *objs;
	size_t i;
	int err;

	if ((err = gg_model_get(&objs, m, blob, path)) < 0)
		return err;
	for (i = 0; objs && i < objs->nr && !*out; i++)
		if (same_identity(&objs->v[i], like))
			*out = &objs->v[i];
	return 0;
}

/* Can file `f` hold the object?  The summaries of Applications and
 * Flux Kustomizations name them, so only those files are parsed. */
static int may_hold(const struct gg_def_file *f, unsigned def_kind,
		    const char *name)
{
	size_t i;

	if (!(f->kinds & def_kind))
		return 0;
	if (def_kind == GG_DEF_APPLICATION) {
		for (i = 0; i < f->napps; i++)
			if (f->apps[i].name && !strcmp(f->apps[i].name, name))
				return 1;
		return 0;
	}
	if (def_kind == GG_DEF_FLUX_KS) {
		for (i = 0; i < f->nkss; i++)
			if (f->kss[i].name && !strcmp(f->kss[i].name, name))
				return 1;
		return 0;
	}
	return 1;
}

int gg_defs_find_object(const struct gg_object **out,
			const struct gg_defs *defs, struct gg_manifests *m,
			unsigned def_kind, const struct gg_object *like)
{
	size_t i;
	int err = 0;

	*out = NULL;
	if (!like->name)
		return 0;
	for (i = 0; defs && i < defs->nfiles && !*out && err >= 0; i++)
		if (may_hold(&defs->files[i], def_kind, like->name))
			err = find_in_blob(out, m, &defs->files[i].blob,
					   defs->files[i].path, like);
	return err;
}

static unsigned def_kind_of(enum gg_kind k)
{
	switch (k) {
	case GG_KIND_APPLICATION: return GG_DEF_APPLICATION;
	case GG_KIND_APPLICATIONSET: return GG_DEF_APPSET;
	case GG_KIND_APPPROJECT: return GG_DEF_APPPROJECT;
	case GG_KIND_FLUX_KUSTOMIZATION: return GG_DEF_FLUX_KS;
	default: return 0;
	}
}

int gg_find_previous(const struct gg_object **out, struct gg_manifests *m,
		     const struct gg_oid *old_blob, const char *path,
		     const struct gg_defs *defs, const struct gg_object *like)
{
	int err = 0;

	*out = NULL;
	if (old_blob && (err = find_in_blob(out, m, old_blob, path, like)) < 0)
		return err;
	if (*out)
		return 0;
	return gg_defs_find_object(out, defs, m, def_kind_of(like->kind), like);
}

int gg_base_defs(const struct gg_defs **out, struct gg_defs **owned,
		 struct gg_session *s, const struct gg_refchange *rc,
		 const struct gg_refapps *ra)
{
	int err = 0;

	*owned = NULL;
	*out = NULL;
	if (ra->has_old) {
		*out = ra->old_defs;
		return 0;
	}
	if (rc->has_base)
		err = gg_defs_for_tree(
			owned, s->repo, &rc->base_tree,
			s->has_default_tip ? &s->default_tree : NULL,
			s->cache_dir, (size_t)s->policy.limits.max_blob_bytes);
	else
		*owned = gg_defs_empty();
	if (err < 0)
		return err;
	*out = *owned;
	return 0;
}

/* --- ownership ------------------------------------------------------------ */

static int url_ours(const char *url, const struct gg_session *s)
{
	return gg_repo_url_matches(
		url, &s->policy.repo_urls,
		gg_policy_repo_name(&s->policy, s->ctx.repo_name));
}

static int app_ours(const struct gg_argo_app *app, const struct gg_session *s,
		    int templated_counts)
{
	size_t i;

	for (i = 0; i < app->nsources; i++) {
		const char *u = app->sources[i].repo_url;

		if (url_ours(u, s) ||
		    (templated_counts && u && strstr(u, "{{")))
			return 1;
	}
	return 0;
}

/* A generator's own template names this repository (or a templated
 * repository) in spec.source or spec.sources. */
static int template_ours(const struct gg_ynode *t, const struct gg_session *s)
{
	const struct gg_ynode *spec = gg_ynode_get(t, "spec");
	const struct gg_ynode *srcs = gg_ynode_get(spec, "sources");
	const char *u = gg_ynode_text(gg_ynode_path(spec, "source.repoURL"));
	size_t i;

	if (url_ours(u, s) || (u && strstr(u, "{{")))
		return 1;
	for (i = 0; gg_ynode_is_seq(srcs) && i < gg_ynode_count(srcs); i++) {
		u = gg_ynode_text(
			gg_ynode_get(gg_ynode_item(srcs, i), "repoURL"));
		if (url_ours(u, s) || (u && strstr(u, "{{")))
			return 1;
	}
	return 0;
}

int gg_object_ours(const struct gg_object *o, const struct gg_session *s,
		   const struct gg_defs *defs)
{
	const struct gg_flux_ks *ks = &o->u.ks;
	const struct gg_def_gitrepo *repo;
	size_t i;

	switch (o->kind) {
	case GG_KIND_APPLICATION: return app_ours(&o->u.app, s, 0);
	case GG_KIND_APPLICATIONSET:
		if (app_ours(&o->u.appset.app, s, 1))
			return 1;
		for (i = 0; i < o->u.appset.ngenerators; i++)
			if (template_ours(o->u.appset.generators[i].template_,
					  s))
				return 1;
		return 0;
	case GG_KIND_FLUX_KUSTOMIZATION:
		if (ks->source_kind && strcmp(ks->source_kind, "GitRepository"))
			return 0;
		repo = ks->source_name
			       ? gg_defs_gitrepo(defs, ks->source_name,
						 ks->source_namespace
							 ? ks->source_namespace
							 : o->namespace_)
			       : NULL;
		return !repo || !strcmp(repo->name, "flux-system") ||
		       url_ours(repo->url, s);
	default: return 0;
	}
}
