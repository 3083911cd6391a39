/*
 * Typing YAML documents: recognise the kind of each document, read the
 * fields every object has (name, namespace, finalizers, protective
 * annotations, SOPS), and hand the spec to the per-controller readers in
 * model-argo.c, model-flux.c and model-kustomize.c.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "model.h"
#include "model-internal.h"
#include "error.h"
#include "xalloc.h"
#include "banned.h"

int gg_path_is_kustomization(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return !strcmp(base, "kustomization.yaml") ||
	       !strcmp(base, "kustomization.yml") ||
	       !strcmp(base, "Kustomization");
}

/* The API group of an apiVersion: "argoproj.io" of "argoproj.io/v1alpha1",
 * "" for the core group ("v1"). */
static int group_is(const char *api_version, const char *group)
{
	const char *slash = api_version ? strchr(api_version, '/') : NULL;
	size_t n = strlen(group);

	if (!api_version)
		return 0;
	if (!*group)
		return !slash;
	return slash && (size_t)(slash - api_version) == n &&
	       !strncmp(api_version, group, n);
}

static const struct {
	const char *group;
	const char *kind;
	enum gg_kind type;
} kinds[] = {
	{ "argoproj.io", "Application", GG_KIND_APPLICATION },
	{ "argoproj.io", "ApplicationSet", GG_KIND_APPLICATIONSET },
	{ "argoproj.io", "AppProject", GG_KIND_APPPROJECT },
	{ "kustomize.toolkit.fluxcd.io", "Kustomization",
	  GG_KIND_FLUX_KUSTOMIZATION },
	{ "source.toolkit.fluxcd.io", "GitRepository", GG_KIND_GITREPOSITORY },
	{ "source.toolkit.fluxcd.io", "OCIRepository", GG_KIND_OCIREPOSITORY },
	{ "helm.toolkit.fluxcd.io", "HelmRelease", GG_KIND_HELMRELEASE },
	{ "kustomize.config.k8s.io", "Kustomization", GG_KIND_KUSTOMIZATION },
	{ "kustomize.config.k8s.io", "Component", GG_KIND_KUSTOMIZATION },
	{ "", "Secret", GG_KIND_SECRET },
	{ "bitnami.com", "SealedSecret", GG_KIND_SEALEDSECRET },
	{ "external-secrets.io", "ExternalSecret", GG_KIND_EXTERNALSECRET },
};

static enum gg_kind classify(const char *api_version, const char *kind,
			     int kustomization_file)
{
	size_t i;

	if (kustomization_file)
		return GG_KIND_KUSTOMIZATION;
	if (!kind)
		return GG_KIND_NOT_OBJECT;
	for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (!strcmp(kind, kinds[i].kind) &&
		    group_is(api_version, kinds[i].group))
			return kinds[i].type;
	return GG_KIND_OTHER;
}

const char *gg_kind_name(enum gg_kind kind)
{
	switch (kind) {
	case GG_KIND_APPLICATION: return "Application";
	case GG_KIND_APPLICATIONSET: return "ApplicationSet";
	case GG_KIND_APPPROJECT: return "AppProject";
	case GG_KIND_FLUX_KUSTOMIZATION: return "Flux Kustomization";
	case GG_KIND_GITREPOSITORY: return "GitRepository";
	case GG_KIND_OCIREPOSITORY: return "OCIRepository";
	case GG_KIND_HELMRELEASE: return "HelmRelease";
	case GG_KIND_KUSTOMIZATION: return "kustomization";
	case GG_KIND_SECRET: return "Secret";
	case GG_KIND_SEALEDSECRET: return "SealedSecret";
	case GG_KIND_EXTERNALSECRET: return "ExternalSecret";
	case GG_KIND_NOT_OBJECT: return "document";
	case GG_KIND_OTHER: return "object";
	}
	return "object";
}

const char *gg_object_annotation(const struct gg_object *o, const char *key)
{
	return gg_ynode_str(gg_ynode_get(
		gg_ynode_path(o->root, "metadata.annotations"), key));
}

const char *gg_object_label(const struct gg_object *o, const char *key)
{
	return gg_ynode_str(
		gg_ynode_get(gg_ynode_path(o->root, "metadata.labels"), key));
}

/* Does a comma-separated sync-options value contain `opt`?  Each item
 * is trimmed of white space first, as Argo CD does (strings.TrimSpace),
 * so a block scalar's line ends do not hide an option. */
static int has_option(const char *list, const char *opt)
{
	size_t n = strlen(opt);
	const char *p = list;

	while (p && *p) {
		const char *end = strchr(p, ','), *e;

		if (!end)
			end = p + strlen(p);
		while (p < end && isspace((unsigned char)*p))
			p++;
		for (e = end; e > p && isspace((unsigned char)e[-1]);)
			e--;
		if ((size_t)(e - p) == n && !strncmp(p, opt, n))
			return 1;
		p = *end ? end + 1 : end;
	}
	return 0;
}

/* `s` without white space around it is `word`, ignoring case. */
static int trimmed_is(const char *s, const char *word)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n == strlen(word) && !strncasecmp(s, word, n);
}

static unsigned protections(const struct gg_object *o)
{
	const char *opts =
		gg_object_annotation(o, "argocd.argoproj.io/sync-options");
	const char *flux_a =
		gg_object_annotation(o, "kustomize.toolkit.fluxcd.io/prune");
	const char *flux_l =
		gg_object_label(o, "kustomize.toolkit.fluxcd.io/prune");
	const char *helm = gg_object_annotation(o, "helm.sh/resource-policy");
	unsigned bits = 0;

	if (has_option(opts, "Prune=false"))
		bits |= GG_PROTECT_PRUNE_FALSE;
	if (has_option(opts, "Prune=confirm"))
		bits |= GG_PROTECT_PRUNE_CONFIRM;
	if (has_option(opts, "Delete=false"))
		bits |= GG_PROTECT_DELETE_FALSE;
	if (has_option(opts, "Delete=confirm"))
		bits |= GG_PROTECT_DELETE_CONFIRM;
	/* Flux: the label or the annotation, in any case (EqualFold) */
	if ((flux_a && !strcasecmp(flux_a, "disabled")) ||
	    (flux_l && !strcasecmp(flux_l, "disabled")))
		bits |= GG_PROTECT_FLUX_PRUNE;
	/* helm lowercases and trims the policy before comparing */
	if (helm && trimmed_is(helm, "keep"))
		bits |= GG_PROTECT_HELM_KEEP;
	return bits;
}

static void type_spec(struct gg_object *o, struct gg_arena *arena)
{
	switch (o->kind) {
	case GG_KIND_APPLICATION:
		gg_model__argo_app(&o->u.app, o, arena);
		break;
	case GG_KIND_APPLICATIONSET:
		gg_model__argo_appset(&o->u.appset, o, arena);
		break;
	case GG_KIND_APPPROJECT:
		gg_model__argo_project(&o->u.project, o, arena);
		break;
	case GG_KIND_FLUX_KUSTOMIZATION: gg_model__flux_ks(&o->u.ks, o); break;
	case GG_KIND_GITREPOSITORY:
		gg_model__flux_gitrepo(&o->u.gitrepo, o);
		break;
	case GG_KIND_OCIREPOSITORY:
		gg_model__flux_ocirepo(&o->u.ocirepo, o);
		break;
	case GG_KIND_HELMRELEASE:
		gg_model__flux_helmrelease(&o->u.hr, o);
		break;
	case GG_KIND_KUSTOMIZATION:
		gg_model__kustomize(&o->u.kustomize, o);
		break;
	case GG_KIND_SECRET: gg_model__secret(&o->u.secret, o); break;
	default: break;
	}
}

/*
 * A List whose items are objects: a kind ending in "List" with items a
 * sequence, or null (an empty List).  kustomize expands exactly these
 * (resource.Factory), and Argo CD expands what kube's IsList() accepts
 * (an items sequence) when it generates manifests.  A *List without
 * items is an object of its own, as in kustomize.
 */
static int is_list(const struct gg_ynode *root)
{
	const char *kind = gg_ynode_text(gg_ynode_get(root, "kind"));
	const struct gg_ynode *items = gg_ynode_get(root, "items");
	size_t n = kind ? strlen(kind) : 0;

	if (n < 4 || strcmp(kind + n - 4, "List") || !items)
		return 0;
	return gg_ynode_is_seq(items) || gg_ynode_is_null(items);
}

/* A scalar that SOPS wrote: ENC[AES256_GCM,...]. */
static int sops_scalar(const struct gg_ynode *n)
{
	const char *s = gg_ynode_str(n);

	return s && !strncmp(s, "ENC[AES256_GCM,", 15) &&
	       s[n->u.scalar.len - 1] == ']';
}

/* An ENC[AES256_GCM,...] value anywhere under `n` (outside `skip`),
 * visiting at most `*budget` nodes: aliases may share subtrees. */
static int has_sops_value(const struct gg_ynode *n, const struct gg_ynode *skip,
			  unsigned depth, size_t *budget)
{
	size_t i;

	if (!n || n == skip || depth > 64 || !*budget)
		return 0;
	(*budget)--;
	if (gg_ynode_is_seq(n)) {
		for (i = 0; i < gg_ynode_count(n); i++)
			if (has_sops_value(gg_ynode_item(n, i), skip, depth + 1,
					   budget))
				return 1;
		return 0;
	}
	if (gg_ynode_is_map(n)) {
		for (i = 0; i < n->u.map.nr; i++)
			if (has_sops_value(n->u.map.pairs[i].value, skip,
					   depth + 1, budget))
				return 1;
		return 0;
	}
	return sops_scalar(n);
}

/*
 * A document SOPS encrypted: a top-level sops mapping that holds the
 * mac and lastmodified SOPS always writes, or one next to ENC[...]
 * values.  A sops key alone is anyone's to write.
 */
static int is_sops(const struct gg_ynode *root)
{
	const struct gg_ynode *meta = gg_ynode_get(root, "sops");
	size_t budget = 100000;

	if (!gg_ynode_is_map(meta))
		return 0;
	if (gg_ynode_get(meta, "mac") && gg_ynode_get(meta, "lastmodified"))
		return 1;
	return has_sops_value(root, meta, 0, &budget);
}

struct walk {
	struct gg_objects *out; /* NULL: only count into nobjects */
	struct gg_arena *arena;
	size_t nobjects;
	size_t budget; /* List items still to walk */
	int truncated;
};

static void add_object(struct walk *w, const struct gg_ynode *root,
		       const struct gg_ynode *list, int list_sops,
		       int kustomization)
{
	struct gg_object *o = &w->out->v[w->out->nr++];

	o->root = root;
	o->list = list;
	o->line = root->line;
	o->api_version = gg_ynode_text(gg_ynode_get(root, "apiVersion"));
	o->kind_name = gg_ynode_text(gg_ynode_get(root, "kind"));
	o->name = gg_ynode_text(gg_ynode_path(root, "metadata.name"));
	o->namespace_ =
		gg_ynode_text(gg_ynode_path(root, "metadata.namespace"));
	o->finalizers = gg_ynode_path(root, "metadata.finalizers");
	o->kind = classify(o->api_version, o->kind_name, kustomization);
	o->sops = list_sops || is_sops(root);
	o->protect = protections(o);
	if (o->sops)
		w->out->sops_file = 1;
	type_spec(o, w->arena);
}

/*
 * A document or a List item: the items of a List (recursively), else
 * one object.  Items that are not maps are no objects: Argo CD and
 * kustomize refuse such a List as a whole, and the rest is typed so
 * that the rules see what the file asks for once it is fixed.
 */
static void walk_node(struct walk *w, const struct gg_ynode *root,
		      const struct gg_ynode *list, int sops, unsigned depth)
{
	const struct gg_ynode *items;
	size_t i, n;

	if (!gg_ynode_is_map(root))
		return; /* empty documents, stray scalars */
	if (depth >= GG_MODEL_MAX_LIST_DEPTH || !is_list(root)) {
		if (w->out)
			add_object(w, root, list, sops, 0);
		w->nobjects++;
		return;
	}
	sops = sops || is_sops(root);
	if (sops && w->out)
		w->out->sops_file = 1;
	items = gg_ynode_get(root, "items");
	n = gg_ynode_count(items);
	for (i = 0; i < n && !w->truncated; i++) {
		if (!w->budget) {
			w->truncated = 1;
			break;
		}
		w->budget--;
		walk_node(w, gg_ynode_item(items, i), list ? list : root, sops,
			  depth + 1);
	}
}

static void walk_file(struct walk *w, const struct gg_yfile *file,
		      int kustomization_file)
{
	size_t i;

	w->budget = GG_MODEL_MAX_LIST_ITEMS;
	w->truncated = 0;
	w->nobjects = 0;
	for (i = 0; i < file->ndocs && !w->truncated; i++) {
		const struct gg_ynode *root = file->docs[i].root;

		if (kustomization_file && i == 0) {
			/* the kustomization itself, whatever its kind */
			if (gg_ynode_is_map(root) && w->out)
				add_object(w, root, NULL, 0, 1);
			w->nobjects += gg_ynode_is_map(root);
			continue;
		}
		walk_node(w, root, NULL, 0, 0);
	}
}

int gg_model_check_lists(const struct gg_yfile *file)
{
	struct walk w;

	memset(&w, 0, sizeof(w));
	walk_file(&w, file, 0);
	if (!w.truncated)
		return 0;
	gg_error_set("Lists hold more than %d items in all",
		     GG_MODEL_MAX_LIST_ITEMS);
	return GG_ELIMIT;
}

void gg_model_build(struct gg_objects *out, struct gg_arena *arena,
		    const struct gg_yfile *file, int kustomization_file)
{
	struct walk w;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	walk_file(&w, file, kustomization_file);
	out->v = gg_arena_alloc(arena,
				gg_st_mult(w.nobjects + 1, sizeof(*out->v)));
	w.out = out;
	w.arena = arena;
	walk_file(&w, file, kustomization_file);
	out->truncated = w.truncated;
}

int gg_model_get(const struct gg_objects **out, struct gg_manifests *c,
		 const struct gg_oid *oid, const char *path)
{
	struct gg_manifest *m;
	struct gg_objects *objs;
	int slot = gg_path_is_kustomization(path), err;

	*out = NULL;
	if ((err = gg_manifests_get_mut(&m, c, oid)) < 0)
		return err;
	if (m->state != GG_MANIFEST_YAML)
		return 0;
	if (!m->model[slot]) {
		objs = gg_arena_alloc(&m->yaml->arena, sizeof(*objs));
		gg_model_build(objs, &m->yaml->arena, m->yaml, slot);
		m->model[slot] = objs;
	}
	*out = m->model[slot];
	return 0;
}

/* --- effective values ----------------------------------------------------- */

const char *gg_argo_project_effective(const struct gg_argo_app *app)
{
	return app->project && *app->project ? app->project : "default";
}

int gg_argo_autosync(const struct gg_argo_app *app)
{
	return app->sync.automated_present && app->sync.enabled != GG_FALSE;
}

int gg_argo_autoprune(const struct gg_argo_app *app)
{
	return gg_argo_autosync(app) && app->sync.prune == GG_TRUE;
}

const struct gg_argo_source *gg_argo_git_source(const struct gg_argo_app *app)
{
	size_t i;

	for (i = 0; i < app->nsources; i++)
		if (app->sources[i].path && !app->sources[i].chart)
			return &app->sources[i];
	return NULL;
}

const char *gg_flux_gitrepo_branch(const struct gg_flux_gitrepo *g)
{
	/* commit > name > semver > tag > branch: any of the first four pins */
	if (g->commit || g->name || g->semver || g->tag)
		return NULL;
	return g->branch ? g->branch : "master";
}

int gg_flux_ks_cascades(const struct gg_flux_ks *ks)
{
	const char *p = ks->deletion_policy;

	if (p && !strcmp(p, "Orphan"))
		return 0;
	if (p && (!strcmp(p, "Delete") || !strcmp(p, "WaitForTermination")))
		return 1;
	return ks->prune == GG_TRUE; /* MirrorPrune */
}

int gg_argo_appset_cascades(const struct gg_argo_appset *set)
{
	if (set->template_has_finalizers)
		return set->template_cascade;
	return set->preserve_on_delete != GG_TRUE;
}
