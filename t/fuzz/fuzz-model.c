/*
 * libFuzzer target for the GitOps model and the definitions cache: the
 * input is parsed as YAML and typed with gg_model_build() (as a manifest
 * and as a kustomization file), every typed field is read and the
 * effective helpers are checked for consistency; the objects are then
 * summarised into a definitions set whose cache text must round-trip
 * exactly.  The same bytes are also fed to gg_defs_parse() as a cache
 * file: whatever it accepts must serialise to a fixed point.  Build with
 * `../configure --enable-fuzzing CC=clang`, then for example
 *   ./t/fuzz/fuzz-model -max_total_time=300 corpus ../t/fuzz/corpus-model
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "defs.h"
#include "error.h"
#include "model.h"
#include "xalloc.h"
#include "yamlload.h"
#include "fuzz.h"
#include "banned.h"

#define TRI(t) CHECK((t) == GG_UNSET || (t) == GG_FALSE || (t) == GG_TRUE)

/* Touch a string the model hands out (ASan checks the bytes). */
static size_t touch(const char *s)
{
	return s ? strlen(s) : 0;
}

/* --- the typed views ------------------------------------------------------ */

static void check_app(const struct gg_argo_app *a)
{
	const struct gg_argo_source *g = gg_argo_git_source(a);
	size_t i;

	TRI(a->sync.enabled);
	TRI(a->sync.prune);
	TRI(a->sync.self_heal);
	TRI(a->sync.allow_empty);
	CHECK(a->cascade == 0 || a->cascade == 1);
	CHECK(!gg_argo_autosync(a) || a->sync.automated_present);
	CHECK(!gg_argo_autosync(a) || a->sync.enabled != GG_FALSE);
	CHECK(!gg_argo_autoprune(a) || gg_argo_autosync(a));
	CHECK(!gg_argo_autoprune(a) || a->sync.prune == GG_TRUE);
	CHECK(!a->sync.automated_present == !a->sync.node);
	CHECK(*gg_argo_project_effective(a));
	CHECK(!a->project || *a->project);
	CHECK(!a->multi_source || a->nsources <= 1000000);
	for (i = 0; i < a->nsources; i++) {
		const struct gg_argo_source *s = &a->sources[i];

		TRI(s->recurse);
		touch(s->repo_url);
		touch(s->path);
		touch(s->target_revision);
		touch(s->chart);
		touch(s->ref);
		touch(gg_ynode_text(s->include));
		touch(gg_ynode_text(s->exclude));
		CHECK(!s->target_revision || *s->target_revision);
	}
	CHECK(!g || (g->path && !g->chart));
	touch(a->dest_server);
	touch(a->dest_name);
	touch(a->dest_namespace);
}

static void check_generator(const struct gg_generator *g, int depth)
{
	size_t i;

	CHECK(depth < 64);
	CHECK(g->type >= GG_GEN_LIST && g->type <= GG_GEN_OTHER);
	CHECK(!g->nchildren || g->type == GG_GEN_MATRIX ||
	      g->type == GG_GEN_MERGE);
	for (i = 0; i < g->npaths; i++) {
		CHECK(g->paths[i].path && *g->paths[i].path);
		CHECK(g->paths[i].exclude == 0 || g->paths[i].exclude == 1);
	}
	touch(g->repo_url);
	touch(g->revision);
	for (i = 0; i < g->nchildren; i++)
		check_generator(&g->children[i], depth + 1);
}

static void check_object(const struct gg_object *o)
{
	size_t i;

	CHECK(o->root && gg_ynode_is_map(o->root));
	CHECK(*gg_kind_name(o->kind));
	CHECK(o->sops == 0 || o->sops == 1);
	CHECK(o->protect < (1u << 6));
	touch(o->api_version);
	touch(o->kind_name);
	touch(o->name);
	touch(o->namespace_);
	touch(gg_object_annotation(o, "argocd.argoproj.io/sync-options"));
	touch(gg_object_label(o, "kustomize.toolkit.fluxcd.io/prune"));
	switch (o->kind) {
	case GG_KIND_APPLICATION: check_app(&o->u.app); break;
	case GG_KIND_APPLICATIONSET:
		check_app(&o->u.appset.app);
		TRI(o->u.appset.preserve_on_delete);
		TRI(o->u.appset.go_template);
		CHECK(gg_argo_appset_cascades(&o->u.appset) == 0 ||
		      gg_argo_appset_cascades(&o->u.appset) == 1);
		if (o->u.appset.preserve_on_delete == GG_TRUE &&
		    !o->u.appset.template_has_finalizers)
			CHECK(!gg_argo_appset_cascades(&o->u.appset));
		touch(o->u.appset.name_template);
		touch(o->u.appset.applications_sync);
		touch(o->u.appset.template_patch);
		for (i = 0; i < o->u.appset.ngenerators; i++)
			check_generator(&o->u.appset.generators[i], 0);
		break;
	case GG_KIND_APPPROJECT:
		for (i = 0; i < o->u.project.ndests; i++) {
			touch(o->u.project.dests[i].server);
			touch(o->u.project.dests[i].name);
			touch(o->u.project.dests[i].namespace_);
		}
		break;
	case GG_KIND_FLUX_KUSTOMIZATION:
		TRI(o->u.ks.prune);
		TRI(o->u.ks.suspend);
		if (o->u.ks.prune != GG_TRUE && !o->u.ks.deletion_policy)
			CHECK(!gg_flux_ks_cascades(&o->u.ks));
		touch(o->u.ks.path);
		touch(o->u.ks.source_name);
		touch(o->u.ks.deletion_policy);
		break;
	case GG_KIND_GITREPOSITORY: {
		const char *b = gg_flux_gitrepo_branch(&o->u.gitrepo);

		CHECK(!b || *b);
		CHECK(!b || !(o->u.gitrepo.tag || o->u.gitrepo.semver ||
			      o->u.gitrepo.commit || o->u.gitrepo.name));
		touch(o->u.gitrepo.url);
		touch(o->u.gitrepo.ignore);
		break;
	}
	case GG_KIND_HELMRELEASE:
		TRI(o->u.hr.suspend);
		touch(o->u.hr.chart);
		touch(o->u.hr.version);
		break;
	case GG_KIND_KUSTOMIZATION:
		CHECK(!o->u.kustomize.resources ||
		      gg_ynode_is_seq(o->u.kustomize.resources));
		touch(o->u.kustomize.namespace_);
		touch(o->u.kustomize.name_prefix);
		break;
	case GG_KIND_SECRET:
		CHECK(!o->u.secret.data || gg_ynode_is_map(o->u.secret.data));
		touch(o->u.secret.argocd_secret_type);
		break;
	default: break;
	}
}

/* --- references ----------------------------------------------------------- */

/* A resolved reference is a clean repository path. */
static void check_resolved(const char *r)
{
	const char *seg = r;

	CHECK(*r != '/');
	CHECK(!*r || r[strlen(r) - 1] != '/');
	CHECK(!strstr(r, "//"));
	while (*seg) {
		size_t n = strcspn(seg, "/");

		CHECK(n);
		CHECK(!(n == 1 && seg[0] == '.'));
		CHECK(!(n == 2 && seg[0] == '.' && seg[1] == '.'));
		seg += n + (seg[n] == '/');
	}
}

/* --- summarising into a definitions set ----------------------------------- */

static const char *dup(struct gg_defs *d, const char *s)
{
	return s ? gg_arena_strdup(&d->arena, s) : NULL;
}

static void add_app(struct gg_defs *d, struct gg_def_app *t,
		    const struct gg_object *o)
{
	const struct gg_argo_app *a = &o->u.app;
	size_t i;

	t->name = dup(d, o->name);
	t->namespace_ = dup(d, o->namespace_);
	t->line = o->line;
	t->project = dup(d, a->project);
	t->dest_server = dup(d, a->dest_server);
	t->dest_name = dup(d, a->dest_name);
	t->dest_namespace = dup(d, a->dest_namespace);
	t->automated = (signed char)a->sync.automated_present;
	t->enabled = (signed char)a->sync.enabled;
	t->prune = (signed char)a->sync.prune;
	t->self_heal = (signed char)a->sync.self_heal;
	t->allow_empty = (signed char)a->sync.allow_empty;
	t->cascade = (unsigned char)a->cascade;
	t->skip_reconcile = (unsigned char)a->skip_reconcile;
	t->sources = gg_arena_alloc(&d->arena,
				    (a->nsources + 1) * sizeof(*t->sources));
	for (i = 0; i < a->nsources; i++) {
		struct gg_def_source *s = &t->sources[t->nsources++];

		s->repo_url = dup(d, a->sources[i].repo_url);
		s->path = dup(d, a->sources[i].path);
		s->revision = dup(d, a->sources[i].target_revision);
		s->chart = dup(d, a->sources[i].chart);
		s->include = dup(d, gg_ynode_text(a->sources[i].include));
		s->exclude = dup(d, gg_ynode_text(a->sources[i].exclude));
		s->recurse = (signed char)a->sources[i].recurse;
	}
}

static void add_ks(struct gg_defs *d, struct gg_def_ks *t,
		   const struct gg_object *o)
{
	const struct gg_flux_ks *k = &o->u.ks;

	t->name = dup(d, o->name);
	t->namespace_ = dup(d, o->namespace_);
	t->line = o->line;
	t->path = dup(d, k->path);
	t->prune = (signed char)k->prune;
	t->suspend = (signed char)k->suspend;
	t->source_kind = dup(d, k->source_kind);
	t->source_name = dup(d, k->source_name);
	t->source_namespace = dup(d, k->source_namespace);
	t->target_namespace = dup(d, k->target_namespace);
	t->service_account = dup(d, k->service_account);
	t->deletion_policy = dup(d, k->deletion_policy);
}

static void add_repo(struct gg_defs *d, struct gg_def_gitrepo *t,
		     const struct gg_object *o)
{
	t->name = dup(d, o->name);
	t->namespace_ = dup(d, o->namespace_);
	t->line = o->line;
	t->url = dup(d, o->u.gitrepo.url);
	t->branch = dup(d, gg_flux_gitrepo_branch(&o->u.gitrepo));
	t->ignore = dup(d, o->u.gitrepo.ignore);
}

/* The references of a kustomization, resolved in a directory named by
 * the object (or "apps/x"), as a Z record. */
static void add_kfile(struct gg_defs *d, const struct gg_object *o)
{
	static const char *const keys[] = { "resources", "bases", "components",
					    NULL };
	const char *dir = NULL;
	struct gg_kfile *k;
	size_t i, j, n = 0;
	int remote = 0;

	/* a directory from the input too: its namespace, normalised */
	if (o->u.kustomize.namespace_)
		dir = gg_defs_resolve(&d->arena, "", o->u.kustomize.namespace_,
				      &remote);
	if (dir)
		check_resolved(dir);
	else
		dir = "apps/x/overlays/prod";

	for (i = 0; keys[i]; i++)
		n += gg_ynode_count(gg_ynode_get(o->root, keys[i]));
	GG_ALLOC_GROW(d->kfiles, d->nkfiles + 1, d->kfiles_alloc);
	k = &d->kfiles[d->nkfiles++];
	memset(k, 0, sizeof(*k));
	k->path = gg_arena_strdup(&d->arena, "k/kustomization.yaml");
	k->dir = gg_arena_strdup(&d->arena, dir);
	k->resources = gg_arena_alloc(&d->arena, (n + 1) * sizeof(char *));
	for (i = 0; keys[i]; i++) {
		const struct gg_ynode *list = gg_ynode_get(o->root, keys[i]);

		for (j = 0; gg_ynode_is_seq(list) && j < gg_ynode_count(list);
		     j++) {
			const char *ref = gg_ynode_text(gg_ynode_item(list, j));
			const char *r;

			if (!ref)
				continue;
			remote = 0;
			r = gg_defs_resolve(&d->arena, dir, ref, &remote);
			CHECK(r ? !remote : remote == 1);
			if (!r) {
				k->remote = 1;
				continue;
			}
			check_resolved(r);
			k->resources[k->nresources++] = r;
		}
	}
}

static void summarise(struct gg_defs *d, const struct gg_objects *objs)
{
	struct gg_def_file *f;
	size_t i;

	GG_ALLOC_GROW(d->files, d->nfiles + 1, d->files_alloc);
	f = &d->files[d->nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = gg_arena_strdup(&d->arena, "defs.yaml");
	f->apps = gg_arena_alloc(&d->arena, (objs->nr + 1) * sizeof(*f->apps));
	f->kss = gg_arena_alloc(&d->arena, (objs->nr + 1) * sizeof(*f->kss));
	f->repos =
		gg_arena_alloc(&d->arena, (objs->nr + 1) * sizeof(*f->repos));
	for (i = 0; i < objs->nr; i++) {
		const struct gg_object *o = &objs->v[i];

		if (o->kind == GG_KIND_APPLICATION) {
			f->kinds |= GG_DEF_APPLICATION;
			add_app(d, &f->apps[f->napps++], o);
		} else if (o->kind == GG_KIND_FLUX_KUSTOMIZATION) {
			f->kinds |= GG_DEF_FLUX_KS;
			add_ks(d, &f->kss[f->nkss++], o);
		} else if (o->kind == GG_KIND_GITREPOSITORY) {
			f->kinds |= GG_DEF_GITREPO;
			add_repo(d, &f->repos[f->nrepos++], o);
		} else if (o->kind == GG_KIND_KUSTOMIZATION) {
			add_kfile(d, o);
		}
	}
}

/* serialise -> parse -> serialise gives the same text. */
static void round_trip(const struct gg_defs *d)
{
	struct gg_buf a = GG_BUF_INIT, b = GG_BUF_INIT;
	struct gg_defs *back = NULL;
	int err;

	gg_defs_serialize(&a, d);
	err = gg_defs_parse(&back, a.buf, a.len);
	if (err)
		GG_BUG("a written cache does not parse: %s\n%s",
		       gg_error_last(), a.buf);
	gg_defs_serialize(&b, back);
	CHECK(a.len == b.len && !memcmp(a.buf, b.buf, a.len));
	gg_defs_free(back);
	gg_buf_release(&a);
	gg_buf_release(&b);
}

static int cmp_kfile(const void *x, const void *y)
{
	return strcmp(((const struct gg_kfile *)x)->dir,
		      ((const struct gg_kfile *)y)->dir);
}

static void model(const char *data, size_t size)
{
	struct gg_yfile *f = NULL;
	struct gg_arena arena = GG_ARENA_INIT;
	struct gg_objects objs[2];
	struct gg_defs *d;
	size_t i, k;
	int lists_ok;

	if (gg_yaml_parse(&f, NULL, data, size, NULL) < 0)
		return;
	d = gg_defs_empty();
	lists_ok = gg_model_check_lists(f) == 0;
	for (k = 0; k < 2; k++) {
		gg_model_build(&objs[k], &arena, f, (int)k);
		/* a document is one object, or a List of at most the limit */
		CHECK(objs[k].nr <= f->ndocs + GG_MODEL_MAX_LIST_ITEMS);
		CHECK(!objs[k].truncated || !lists_ok);
		for (i = 0; i < objs[k].nr; i++)
			check_object(&objs[k].v[i]);
		summarise(d, &objs[k]);
	}
	/* two F records of one path would not be sorted: rename one */
	d->files[1].path = gg_arena_strdup(&d->arena, "defs2.yaml");
	if (d->nkfiles > 1)
		qsort(d->kfiles, d->nkfiles, sizeof(*d->kfiles), cmp_kfile);
	round_trip(d);
	gg_defs_free(d);
	gg_arena_release(&arena);
	gg_yaml_free(f);
}

/* --- the input as a cache file -------------------------------------------- */

static void cache(const char *data, size_t size)
{
	struct gg_defs *d = NULL;
	size_t i;

	if (gg_defs_parse(&d, data, size) < 0) {
		CHECK(!d && *gg_error_last());
		return;
	}
	for (i = 0; i < d->nfiles; i++) {
		CHECK(d->files[i].path);
		CHECK(gg_defs_file(d, d->files[i].path));
	}
	for (i = 0; i < d->nkfiles; i++) {
		CHECK(d->kfiles[i].path && d->kfiles[i].dir);
		CHECK(gg_defs_kfile(d, d->kfiles[i].dir));
	}
	for (i = 0; i < d->ncharts; i++)
		CHECK(d->charts[i]);
	for (i = 0; i < d->nignores; i++)
		CHECK(d->ignores[i]);
	round_trip(d);
	gg_defs_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	model((const char *)data, size);
	cache((const char *)data, size);
	return 0;
}
