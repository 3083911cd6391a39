/*
 * Argo CD objects: Application, ApplicationSet, AppProject, with the
 * defaults of pkg/apis/application/v1alpha1 (gitops-semantics.md 1-3).
 */
#include <string.h>

#include "model-internal.h"
#include "xalloc.h"
#include "banned.h"

enum gg_tri gg_model__tri(const struct gg_ynode *n)
{
	int b;

	return gg_ynode_bool(&b, n) == 0 ? (b ? GG_TRUE : GG_FALSE) : GG_UNSET;
}

int gg_model__seq_has(const struct gg_ynode *seq, const char *s)
{
	size_t i;

	for (i = 0; i < gg_ynode_count(seq) && gg_ynode_is_seq(seq); i++) {
		const char *v = gg_ynode_str(gg_ynode_item(seq, i));

		if (v && !strcmp(v, s))
			return 1;
	}
	return 0;
}

static const char *text(const struct gg_ynode *map, const char *path)
{
	return gg_ynode_text(gg_ynode_path(map, path));
}

static void read_source(struct gg_argo_source *s, const struct gg_ynode *n)
{
	const struct gg_ynode *dir = gg_ynode_get(n, "directory");

	s->node = n;
	s->repo_url = text(n, "repoURL");
	s->path = gg_ynode_str(gg_ynode_get(n, "path"));
	if (gg_ynode_is_null(gg_ynode_get(n, "path")))
		s->path = NULL;
	s->target_revision = text(n, "targetRevision");
	s->chart = text(n, "chart");
	s->ref = text(n, "ref");
	s->tag_prefix = text(n, "tagPrefix");
	s->has_helm = gg_ynode_is_map(gg_ynode_get(n, "helm"));
	s->has_kustomize = gg_ynode_is_map(gg_ynode_get(n, "kustomize"));
	s->has_plugin = gg_ynode_is_map(gg_ynode_get(n, "plugin"));
	s->has_directory = gg_ynode_is_map(dir);
	s->recurse = gg_model__tri(gg_ynode_get(dir, "recurse"));
	s->include = gg_ynode_text(gg_ynode_get(dir, "include"))
			     ? gg_ynode_get(dir, "include")
			     : NULL;
	s->exclude = gg_ynode_text(gg_ynode_get(dir, "exclude"))
			     ? gg_ynode_get(dir, "exclude")
			     : NULL;
}

static int is_cascade_finalizer(const char *f)
{
	return f &&
	       (!strcmp(f, "resources-finalizer.argocd.argoproj.io") ||
		!strcmp(f,
			"resources-finalizer.argocd.argoproj.io/foreground") ||
		!strcmp(f,
			"resources-finalizer.argocd.argoproj.io/background"));
}

static int has_cascade(const struct gg_ynode *finalizers)
{
	size_t i;

	for (i = 0;
	     gg_ynode_is_seq(finalizers) && i < gg_ynode_count(finalizers); i++)
		if (is_cascade_finalizer(
			    gg_ynode_str(gg_ynode_item(finalizers, i))))
			return 1;
	return 0;
}

static void read_sync(struct gg_argo_sync *s, const struct gg_ynode *policy)
{
	const struct gg_ynode *a = gg_ynode_get(policy, "automated");

	/* "automated:" with no value is a nil pointer in Go: not enabled */
	s->automated_present = gg_ynode_is_map(a);
	s->node = s->automated_present ? a : NULL;
	s->enabled = gg_model__tri(gg_ynode_get(a, "enabled"));
	s->prune = gg_model__tri(gg_ynode_get(a, "prune"));
	s->self_heal = gg_model__tri(gg_ynode_get(a, "selfHeal"));
	s->allow_empty = gg_model__tri(gg_ynode_get(a, "allowEmpty"));
	s->sync_options = gg_ynode_get(policy, "syncOptions");
}

void gg_model__argo_app_spec(struct gg_argo_app *out,
			     const struct gg_ynode *spec,
			     const struct gg_ynode *metadata,
			     struct gg_arena *arena)
{
	const struct gg_ynode *sources = gg_ynode_get(spec, "sources");
	const struct gg_ynode *source = gg_ynode_get(spec, "source");
	size_t i, n;

	memset(out, 0, sizeof(*out));
	/* "project: null" is the empty string in Go: the default project */
	out->project = gg_ynode_text(gg_ynode_get(spec, "project"));
	/* spec.sources wins over spec.source when it holds anything */
	if (gg_ynode_is_seq(sources) && gg_ynode_count(sources)) {
		n = gg_ynode_count(sources);
		out->multi_source = 1;
		out->sources = gg_arena_alloc(
			arena, gg_st_mult(n, sizeof(*out->sources)));
		for (i = 0; i < n; i++)
			if (gg_ynode_is_map(gg_ynode_item(sources, i)))
				read_source(&out->sources[out->nsources++],
					    gg_ynode_item(sources, i));
	} else if (gg_ynode_is_map(source)) {
		out->sources = gg_arena_alloc(arena, sizeof(*out->sources));
		read_source(&out->sources[0], source);
		out->nsources = 1;
	}
	out->dest_server = text(spec, "destination.server");
	out->dest_name = text(spec, "destination.name");
	out->dest_namespace = text(spec, "destination.namespace");
	read_sync(&out->sync, gg_ynode_get(spec, "syncPolicy"));
	out->cascade = has_cascade(gg_ynode_get(metadata, "finalizers"));
}

void gg_model__argo_app(struct gg_argo_app *out, const struct gg_object *o,
			struct gg_arena *arena)
{
	const char *skip;

	gg_model__argo_app_spec(out, gg_ynode_get(o->root, "spec"),
				gg_ynode_get(o->root, "metadata"), arena);
	skip = gg_object_annotation(o, "argocd.argoproj.io/skip-reconcile");
	out->skip_reconcile = skip && !strcmp(skip, "true");
}

static void read_generator(struct gg_generator *g, const struct gg_ynode *n,
			   struct gg_arena *arena, int depth);

static void read_children(struct gg_generator *g, const struct gg_ynode *gens,
			  struct gg_arena *arena, int depth)
{
	size_t i, n = gg_ynode_is_seq(gens) ? gg_ynode_count(gens) : 0;

	g->children =
		gg_arena_alloc(arena, gg_st_mult(n + 1, sizeof(*g->children)));
	for (i = 0; i < n; i++)
		read_generator(&g->children[g->nchildren++],
			       gg_ynode_item(gens, i), arena, depth + 1);
}

static void read_paths(struct gg_generator *g, const struct gg_ynode *list,
		       struct gg_arena *arena)
{
	size_t i, n = gg_ynode_is_seq(list) ? gg_ynode_count(list) : 0;

	g->paths = gg_arena_alloc(arena, gg_st_mult(n + 1, sizeof(*g->paths)));
	for (i = 0; i < n; i++) {
		const struct gg_ynode *e = gg_ynode_item(list, i);
		const char *path = gg_ynode_text(gg_ynode_get(e, "path"));

		if (!path)
			continue;
		g->paths[g->npaths].path = path;
		g->paths[g->npaths].exclude =
			gg_model__tri(gg_ynode_get(e, "exclude")) == GG_TRUE;
		g->npaths++;
	}
}

static void read_git(struct gg_generator *g, const struct gg_ynode *git,
		     struct gg_arena *arena)
{
	g->repo_url = gg_ynode_text(gg_ynode_get(git, "repoURL"));
	g->revision = gg_ynode_text(gg_ynode_get(git, "revision"));
	if (gg_ynode_get(git, "files")) {
		g->type = GG_GEN_GIT_FILES;
		read_paths(g, gg_ynode_get(git, "files"), arena);
	} else {
		g->type = GG_GEN_GIT_DIRECTORIES;
		read_paths(g, gg_ynode_get(git, "directories"), arena);
	}
}

static void read_generator(struct gg_generator *g, const struct gg_ynode *n,
			   struct gg_arena *arena, int depth)
{
	const struct gg_ynode *list = gg_ynode_get(n, "list");
	const struct gg_ynode *git = gg_ynode_get(n, "git");
	const struct gg_ynode *matrix = gg_ynode_get(n, "matrix");
	const struct gg_ynode *merge = gg_ynode_get(n, "merge");
	const struct gg_ynode *body = NULL;

	memset(g, 0, sizeof(*g));
	g->node = n;
	g->type = GG_GEN_OTHER;
	if (depth > 8)
		return; /* Argo CD nests matrix/merge two levels deep at most */
	if (gg_ynode_is_map(list)) {
		g->type = GG_GEN_LIST;
		g->elements = gg_ynode_get(list, "elements");
		body = list;
	} else if (gg_ynode_is_map(git)) {
		read_git(g, git, arena);
		body = git;
	} else if (gg_ynode_get(n, "clusters")) {
		g->type = GG_GEN_CLUSTERS;
		body = gg_ynode_get(n, "clusters");
	} else if (gg_ynode_is_map(matrix) || gg_ynode_is_map(merge)) {
		g->type =
			gg_ynode_is_map(matrix) ? GG_GEN_MATRIX : GG_GEN_MERGE;
		body = g->type == GG_GEN_MATRIX ? matrix : merge;
		read_children(g, gg_ynode_get(body, "generators"), arena,
			      depth);
	}
	g->template_ = gg_ynode_get(body, "template");
}

void gg_model__argo_appset(struct gg_argo_appset *out,
			   const struct gg_object *o, struct gg_arena *arena)
{
	const struct gg_ynode *spec = gg_ynode_get(o->root, "spec");
	const struct gg_ynode *tmpl = gg_ynode_get(spec, "template");
	const struct gg_ynode *meta = gg_ynode_get(tmpl, "metadata");
	const struct gg_ynode *gens = gg_ynode_get(spec, "generators");
	const struct gg_ynode *fin = gg_ynode_get(meta, "finalizers");
	size_t i, n = gg_ynode_is_seq(gens) ? gg_ynode_count(gens) : 0;

	memset(out, 0, sizeof(*out));
	out->template_ = tmpl;
	gg_model__argo_app_spec(&out->app, gg_ynode_get(tmpl, "spec"), meta,
				arena);
	out->name_template = gg_ynode_text(gg_ynode_get(meta, "name"));
	/* RenderTemplateParams adds the finalizer to a nil or empty list */
	out->template_has_finalizers =
		gg_ynode_is_seq(fin) && gg_ynode_count(fin) > 0;
	out->template_cascade = has_cascade(fin);
	out->preserve_on_delete = gg_model__tri(
		gg_ynode_path(spec, "syncPolicy.preserveResourcesOnDeletion"));
	out->applications_sync = gg_ynode_text(
		gg_ynode_path(spec, "syncPolicy.applicationsSync"));
	out->go_template = gg_model__tri(gg_ynode_get(spec, "goTemplate"));
	out->template_patch =
		gg_ynode_text(gg_ynode_get(spec, "templatePatch"));
	out->generators = gg_arena_alloc(
		arena, gg_st_mult(n + 1, sizeof(*out->generators)));
	for (i = 0; i < n; i++)
		read_generator(&out->generators[out->ngenerators++],
			       gg_ynode_item(gens, i), arena, 0);
}

void gg_model__argo_project(struct gg_argo_project *out,
			    const struct gg_object *o, struct gg_arena *arena)
{
	const struct gg_ynode *spec = gg_ynode_get(o->root, "spec");
	const struct gg_ynode *dests = gg_ynode_get(spec, "destinations");
	size_t i, n = gg_ynode_is_seq(dests) ? gg_ynode_count(dests) : 0;

	memset(out, 0, sizeof(*out));
	out->source_repos = gg_ynode_get(spec, "sourceRepos");
	out->dests =
		gg_arena_alloc(arena, gg_st_mult(n + 1, sizeof(*out->dests)));
	for (i = 0; i < n; i++) {
		const struct gg_ynode *d = gg_ynode_item(dests, i);

		out->dests[out->ndests].server = text(d, "server");
		out->dests[out->ndests].name = text(d, "name");
		out->dests[out->ndests].namespace_ = text(d, "namespace");
		out->ndests++;
	}
	out->cluster_whitelist = gg_ynode_get(spec, "clusterResourceWhitelist");
	out->ns_whitelist = gg_ynode_get(spec, "namespaceResourceWhitelist");
	out->ns_blacklist = gg_ynode_get(spec, "namespaceResourceBlacklist");
	out->source_namespaces = gg_ynode_get(spec, "sourceNamespaces");
	out->sync_windows = gg_ynode_get(spec, "syncWindows");
}
