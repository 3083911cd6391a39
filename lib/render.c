/*
 * Rendering an app's object set from the tree: directory apps by
 * listing, kustomize apps by following the kustomization graph, Helm
 * apps by their template files.  See render.h for what is approximated.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "glob.h"
#include "model.h"
#include "render.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_DEPTH 32

struct rctx {
	struct gg_rendered *out;
	struct gg_repo *repo;
	struct gg_manifests *manifests;
	const struct gg_oid *tree;
	const struct gg_defs *defs;
	const struct gg_app *app;
	struct gg_strvec visited; /* kustomize directories on the path */
	struct gg_glob include, exclude;
	int has_include, has_exclude;
};

/* Names are prefixed and suffixed, namespaces set, on the way out. */
struct transform {
	const char *ns;
	const char *prefix;
	const char *suffix;
};

static void problem(struct rctx *c, const char *fmt, ...) GG_PRINTF(2, 3);

static void problem(struct rctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	c->out->errors++;
	if (c->out->problems.nr < 20) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		gg_strvec_push(&c->out->problems, msg);
	}
}

/* A file whose objects are unknown: too large, refused, not YAML. */
static void unreadable(struct rctx *c, const char *path)
{
	c->out->unread++;
	gg_strvec_push(&c->out->unread_paths, path);
}

/* A part the controllers fetch from elsewhere. */
static void remote(struct rctx *c, const char *what, const char *ref)
{
	char msg[512];

	c->out->remote++;
	snprintf(msg, sizeof(msg), "the %s '%s'", what, ref);
	gg_strvec_push(&c->out->remotes, msg);
}

static const char *group_of(const char *api_version)
{
	const char *slash = api_version ? strchr(api_version, '/') : NULL;

	return slash ? api_version : "";
}

/* Kinds without a namespace: namespace transformers leave them alone. */
static int cluster_scoped(const char *kind)
{
	static const char *const kinds[] = { "Namespace",
					     "ClusterRole",
					     "ClusterRoleBinding",
					     "CustomResourceDefinition",
					     "PersistentVolume",
					     "StorageClass",
					     "PriorityClass",
					     "IngressClass",
					     "ValidatingWebhookConfiguration",
					     "MutatingWebhookConfiguration",
					     "APIService",
					     "Node",
					     "ClusterIssuer",
					     "RuntimeClass",
					     "CSIDriver",
					     NULL };
	size_t i;

	for (i = 0; kind && kinds[i]; i++)
		if (!strcmp(kind, kinds[i]))
			return 1;
	/* ClusterIssuer, ClusterSecretStore, ClusterPolicy, ... */
	return kind && !strncmp(kind, "Cluster", 7);
}

static void add_obj(struct rctx *c, const char *api_version, const char *kind,
		    const char *ns, const char *name, const char *path,
		    unsigned line, unsigned protect, const struct transform *t)
{
	struct gg_rendered *r = c->out;
	struct gg_buf full = GG_BUF_INIT, id = GG_BUF_INIT;
	const char *group = group_of(api_version);
	size_t glen =
		strchr(group, '/') ? (size_t)(strchr(group, '/') - group) : 0;
	struct gg_robj *o;

	if (name) {
		gg_buf_addf(&full, "%s%s%s", t && t->prefix ? t->prefix : "",
			    name, t && t->suffix ? t->suffix : "");
	} else {
		/* generateName or no name: the document is its own identity,
		 * marked so that no rule takes it for a name */
		gg_buf_addf(&full, "%s:%u", path, line);
	}
	if (t && t->ns && !cluster_scoped(kind))
		ns = t->ns;
	/* where the controller puts it: Flux's targetNamespace overrides
	 * every namespace, Argo CD's destination fills an empty one */
	if (c->app->controller == GG_CTRL_FLUX && c->app->target_namespace)
		ns = c->app->target_namespace;
	else if (c->app->controller == GG_CTRL_ARGOCD && !ns)
		ns = c->app->dest_namespace;
	if (cluster_scoped(kind))
		ns = NULL;
	gg_buf_addf(&id, "%.*s/%s/%s/%s", (int)glen, group, kind ? kind : "?",
		    ns ? ns : "", full.buf);
	GG_ALLOC_GROW(r->v, r->nr + 1, r->alloc);
	o = &r->v[r->nr++];
	o->id = gg_arena_strdup(&r->arena, id.buf);
	o->kind = gg_arena_strdup(&r->arena, kind ? kind : "?");
	o->name = gg_arena_strdup(&r->arena, full.buf);
	o->path = gg_arena_strdup(&r->arena, path);
	o->line = line;
	o->protect = protect;
	o->unnamed = !name;
	gg_buf_release(&full);
	gg_buf_release(&id);
}

/* The objects of one manifest file. */
static int render_file(struct rctx *c, const char *path,
		       const struct gg_oid *blob, const struct transform *t)
{
	const struct gg_manifest *m;
	const struct gg_objects *objs;
	size_t i;
	int err;

	if (++c->out->files > GG_RENDER_MAX_FILES) {
		c->out->truncated = 1;
		return 0;
	}
	if ((err = gg_manifests_get(&m, c->manifests, blob)) < 0)
		return err;
	if (m->state != GG_MANIFEST_YAML) {
		unreadable(c, path);
		return 0;
	}
	if (c->app->controller == GG_CTRL_ARGOCD && m->data &&
	    strstr(m->data, "+argocd:skip-file-rendering"))
		return 0;
	if ((err = gg_model_get(&objs, c->manifests, blob, path)) < 0)
		return err;
	for (i = 0; objs && i < objs->nr; i++) {
		const struct gg_object *o = &objs->v[i];

		if (o->kind == GG_KIND_NOT_OBJECT ||
		    o->kind == GG_KIND_KUSTOMIZATION)
			continue;
		add_obj(c, o->api_version, o->kind_name, o->namespace_, o->name,
			path, o->line, o->protect, t);
	}
	return 0;
}

/* --- directory apps ------------------------------------------------------- */

/* Does `pattern` match `rel` or one of the directories above it? */
static int match_path_or_parent(const char *pattern, const char *rel)
{
	char *copy = gg_xstrdup(rel), *slash;
	int hit = gg_glob_match_str(pattern, copy);

	while (!hit && (slash = strrchr(copy, '/'))) {
		*slash = '\0';
		hit = gg_glob_match_str(pattern, copy);
	}
	free(copy);
	return hit;
}

/* gitignore-style rules (Flux spec.ignore, .sourceignore) against a
 * repository path; the last matching rule wins, "!" re-includes. */
static int ignored_by(const char *rules, const char *base, const char *path)
{
	const char *line = rules, *rel = path;
	size_t blen = strlen(base);
	int ignored = 0;

	if (blen) {
		if (strncmp(path, base, blen) || path[blen] != '/')
			return 0;
		rel = path + blen + 1;
	}
	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t n = eol ? (size_t)(eol - line) : strlen(line);
		char pat[512];
		const char *p = pat;
		int neg = 0, hit;

		while (n && (line[n - 1] == ' ' || line[n - 1] == '\r'))
			n--;
		if (n && n < sizeof(pat) - 8 && *line != '#') {
			memcpy(pat, line, n);
			pat[n] = '\0';
			if (*p == '!') {
				neg = 1;
				p++;
			}
			if (pat[n - 1] == '/')
				pat[n - 1] =
					'\0'; /* directories: match below */
			if (*p == '/' || strchr(p, '/')) {
				p += *p == '/';
				hit = match_path_or_parent(p, rel);
			} else {
				/* no slash: a name at any depth */
				char any[520];

				snprintf(any, sizeof(any), "**/%s", p);
				hit = match_path_or_parent(any, rel);
			}
			if (hit)
				ignored = !neg;
		}
		line = eol ? eol + 1 : NULL;
	}
	return ignored;
}

static int flux_ignored(struct rctx *c, const char *path)
{
	size_t i;

	if (c->app->ignore && ignored_by(c->app->ignore, "", path))
		return 1;
	for (i = 0; c->defs && i < c->defs->nignores; i++) {
		const char *ig = c->defs->ignores[i], *slash = strrchr(ig, '/');
		char *dir = gg_xstrndup(ig, slash ? (size_t)(slash - ig) : 0);
		struct gg_tree_entry e;
		struct gg_buf text = GG_BUF_INIT;
		int hit = 0;

		gg_buf_init(&text, 1024 * 1024);
		if (gg_repo_tree_lookup(&e, c->repo, c->tree, ig) == 0 &&
		    gg_repo_blob_read(&text, c->repo, &e.oid) == 0)
			hit = ignored_by(text.buf, dir, path);
		gg_buf_release(&text);
		free(dir);
		if (hit)
			return 1;
	}
	return 0;
}

static int dir_entry(const char *path, const struct gg_tree_entry *e,
		     void *payload)
{
	struct rctx *c = payload;
	const char *rel = path + strlen(c->app->root) + (*c->app->root ? 1 : 0);

	if (e->kind != GG_ENTRY_BLOB || !gg_path_is_manifest(path))
		return 0;
	if (c->has_exclude && gg_glob_match(&c->exclude, rel))
		return 0;
	if (c->has_include && !gg_glob_match(&c->include, rel))
		return 0;
	if (c->app->controller == GG_CTRL_FLUX && flux_ignored(c, path))
		return 0;
	return render_file(c, path, &e->oid, NULL);
}

static int render_directory(struct rctx *c)
{
	int recursive = c->app->recurse || c->app->controller == GG_CTRL_FLUX;

	if (c->app->include && !gg_glob_compile(&c->include, c->app->include))
		c->has_include = 1;
	if (c->app->exclude && !gg_glob_compile(&c->exclude, c->app->exclude))
		c->has_exclude = 1;
	return gg_repo_tree_list(c->repo, c->tree, c->app->root, recursive,
				 dir_entry, c);
}

/* --- kustomize apps ------------------------------------------------------- */

static int render_kdir(struct rctx *c, const char *dir,
		       const struct transform *outer, int depth);

/* A kustomization's own transforms, applied inside the outer ones. */
static void compose(struct transform *t, const struct transform *outer,
		    const struct gg_kustomize *k, struct gg_arena *a)
{
	struct gg_buf b = GG_BUF_INIT;

	t->ns = outer && outer->ns ? outer->ns : k->namespace_;
	gg_buf_addf(&b, "%s%s", outer && outer->prefix ? outer->prefix : "",
		    k->name_prefix ? k->name_prefix : "");
	t->prefix = b.len ? gg_arena_strdup(a, b.buf) : NULL;
	gg_buf_reset(&b);
	gg_buf_addf(&b, "%s%s", k->name_suffix ? k->name_suffix : "",
		    outer && outer->suffix ? outer->suffix : "");
	t->suffix = b.len ? gg_arena_strdup(a, b.buf) : NULL;
	gg_buf_release(&b);
}

static int render_ref(struct rctx *c, const char *dir, const char *ref,
		      const struct transform *t, int depth)
{
	struct gg_tree_entry e;
	const char *path;
	int is_remote = 0, err;

	path = gg_defs_resolve(&c->out->arena, dir, ref, &is_remote);
	if (!path) {
		remote(c,
		       strstr(ref, "://") || strstr(ref, "?ref=") ||
				       !strncmp(ref, "git@", 4) ||
				       !strncmp(ref, "github.com/", 11) ||
				       !strncmp(ref, "gitlab.com/", 11)
			       ? "remote base"
			       : "reference outside the repository",
		       ref);
		return 0;
	}
	err = gg_repo_tree_lookup(&e, c->repo, c->tree, path);
	if (err == GG_ENOTFOUND) {
		problem(c, "kustomize reference '%s' does not exist", path);
		return 0;
	}
	if (err < 0)
		return err;
	if (e.kind == GG_ENTRY_TREE)
		return render_kdir(c, path, t, depth + 1);
	return render_file(c, path, &e.oid, t);
}

static int render_list(struct rctx *c, const char *dir,
		       const struct gg_ynode *list, const struct transform *t,
		       int depth)
{
	size_t i;
	int err = 0;

	for (i = 0; !err && i < gg_ynode_count(list); i++) {
		const char *ref = gg_ynode_text(gg_ynode_item(list, i));

		if (ref)
			err = render_ref(c, dir, ref, t, depth);
	}
	return err;
}

/* ConfigMaps and Secrets a kustomization generates (names without the
 * content hash, which changes with every edit). */
static void generated(struct rctx *c, const struct gg_object *k,
		      const char *key, const char *kind, const char *path,
		      const struct transform *t)
{
	const struct gg_ynode *list = gg_ynode_get(k->root, key);
	size_t i;

	for (i = 0; gg_ynode_is_seq(list) && i < gg_ynode_count(list); i++) {
		const struct gg_ynode *g = gg_ynode_item(list, i);
		const char *name = gg_ynode_text(gg_ynode_get(g, "name"));

		if (name)
			add_obj(c, "v1", kind,
				gg_ynode_text(gg_ynode_get(g, "namespace")),
				name, path, g->line, 0, t);
	}
}

static int find_kfile(struct rctx *c, const char *dir, struct gg_tree_entry *e,
		      char **path)
{
	static const char *const names[] = { "kustomization.yaml",
					     "kustomization.yml",
					     "Kustomization", NULL };
	size_t i;

	for (i = 0; names[i]; i++) {
		*path = gg_xasprintf("%s%s%s", dir, *dir ? "/" : "", names[i]);
		if (gg_repo_tree_lookup(e, c->repo, c->tree, *path) == 0 &&
		    e->kind == GG_ENTRY_BLOB)
			return 0;
		free(*path);
		*path = NULL;
	}
	return GG_ENOTFOUND;
}

static int render_kdir(struct rctx *c, const char *dir,
		       const struct transform *outer, int depth)
{
	const struct gg_manifest *m;
	const struct gg_objects *objs;
	const struct gg_object *k;
	struct gg_tree_entry e;
	struct transform t;
	char *path = NULL;
	size_t i;
	int err = 0;

	if (depth > MAX_DEPTH || gg_strvec_find(&c->visited, dir) >= 0) {
		problem(c, "kustomize references loop through '%s'", dir);
		return 0;
	}
	if (find_kfile(c, dir, &e, &path) < 0) {
		problem(c, "'%s' has no kustomization file", dir);
		return 0;
	}
	if ((err = gg_manifests_get(&m, c->manifests, &e.oid)) < 0)
		goto out;
	if (m->state != GG_MANIFEST_YAML) {
		unreadable(c, path);
		goto out;
	}
	if ((err = gg_model_get(&objs, c->manifests, &e.oid, path)) < 0)
		goto out;
	k = objs && objs->nr ? &objs->v[0] : NULL;
	if (!k || k->kind != GG_KIND_KUSTOMIZATION) {
		problem(c, "'%s' cannot be read as a kustomization", path);
		goto out;
	}
	gg_strvec_push(&c->visited, dir);
	compose(&t, outer, &k->u.kustomize, &c->out->arena);
	if (!(err = render_list(c, dir, k->u.kustomize.resources, &t, depth)) &&
	    !(err = render_list(c, dir, k->u.kustomize.bases, &t, depth)))
		err = render_list(c, dir, k->u.kustomize.components, &t, depth);
	for (i = 0; i < gg_ynode_count(k->u.kustomize.helm_charts); i++) {
		const struct gg_ynode *h =
			gg_ynode_item(k->u.kustomize.helm_charts, i);
		const char *name = gg_ynode_text(gg_ynode_get(h, "name"));

		remote(c, "Helm chart", name ? name : "?");
	}
	generated(c, k, "configMapGenerator", "ConfigMap", path, &t);
	generated(c, k, "secretGenerator", "Secret", path, &t);
	free(c->visited.v[--c->visited.nr]);
	c->visited.v[c->visited.nr] = NULL;
out:
	free(path);
	return err;
}

/* --- helm apps ------------------------------------------------------------ */

static int template_entry(const char *path, const struct gg_tree_entry *e,
			  void *payload)
{
	struct rctx *c = payload;
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (e->kind != GG_ENTRY_BLOB || *base == '_' ||
	    !strcmp(base, "NOTES.txt"))
		return 0;
	c->out->files++;
	add_obj(c, "helm.sh/v3", "HelmTemplate", NULL, path, path, 0, 0, NULL);
	return 0;
}

static int render_helm(struct rctx *c)
{
	char *templates = gg_xasprintf("%s%stemplates", c->app->root,
				       *c->app->root ? "/" : "");
	int err = gg_repo_tree_list(c->repo, c->tree, templates, 1,
				    template_entry, c);

	free(templates);
	return err == GG_ENOTFOUND ? 0 : err;
}

/* --- entry points --------------------------------------------------------- */

static int cmp_obj(const void *a, const void *b)
{
	return strcmp(((const struct gg_robj *)a)->id,
		      ((const struct gg_robj *)b)->id);
}

int gg_render(struct gg_rendered *out, struct gg_repo *repo,
	      struct gg_manifests *manifests, const struct gg_oid *tree,
	      const struct gg_defs *defs, const struct gg_app *app)
{
	struct gg_tree_entry e;
	struct rctx c;
	int err = 0;

	memset(out, 0, sizeof(*out));
	gg_arena_init(&out->arena);
	gg_strvec_init(&out->problems);
	gg_strvec_init(&out->unread_paths);
	gg_strvec_init(&out->remotes);
	memset(&c, 0, sizeof(c));
	gg_strvec_init(&c.visited);
	c.out = out;
	c.repo = repo;
	c.manifests = manifests;
	c.tree = tree;
	c.defs = defs;
	c.app = app;
	if (!tree || gg_repo_tree_lookup(&e, repo, tree, app->root) < 0 ||
	    e.kind != GG_ENTRY_TREE) {
		out->root_missing = 1;
		goto out;
	}
	/* source-controller leaves an ignored directory out of the
	 * artifact: Flux finds no path, as if it were deleted */
	if (app->controller == GG_CTRL_FLUX && *app->root &&
	    flux_ignored(&c, app->root)) {
		out->root_missing = 1;
		goto out;
	}
	switch (app->tool) {
	case GG_TOOL_KUSTOMIZE:
		err = render_kdir(&c, app->root, NULL, 0);
		break;
	case GG_TOOL_HELM: err = render_helm(&c); break;
	case GG_TOOL_DIRECTORY: err = render_directory(&c); break;
	}
	if (out->nr > 1)
		qsort(out->v, out->nr, sizeof(*out->v), cmp_obj);
out:
	if (c.has_include)
		gg_glob_release(&c.include);
	if (c.has_exclude)
		gg_glob_release(&c.exclude);
	gg_strvec_release(&c.visited);
	return err;
}

void gg_rendered_release(struct gg_rendered *r)
{
	free(r->v);
	gg_arena_release(&r->arena);
	gg_strvec_release(&r->problems);
	gg_strvec_release(&r->unread_paths);
	gg_strvec_release(&r->remotes);
	memset(r, 0, sizeof(*r));
}

const struct gg_robj *gg_rendered_find(const struct gg_rendered *r,
				       const char *id)
{
	struct gg_robj key;

	key.id = id;
	return r->nr ? bsearch(&key, r->v, r->nr, sizeof(key), cmp_obj) : NULL;
}

int gg_rendered_sure(const struct gg_rendered *r)
{
	return !r->errors && !r->unread && !r->remote && !r->truncated;
}
