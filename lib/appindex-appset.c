/*
 * ApplicationSets: expand generators into parameter sets (git
 * directories and files over this repository's tree, list elements,
 * matrix products, merge bases) and instantiate the template once per
 * set, substituting {{path.basename}}-style parameters (fasttemplate and
 * the simple Go-template forms {{.key}}, {{index .path.segments N}}).
 * What cannot be expanded from Git (cluster, SCM, pull request
 * generators; template functions) is noted, never guessed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appindex-internal.h"
#include "buf.h"
#include "glob.h"
#include "model-internal.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_SETS 20000
#define MAX_FLATTEN_DEPTH 4

struct param {
	const char *key;
	const char *value;
};

struct pset {
	struct param *v;
	size_t nr;
};

struct psets {
	struct pset *v;
	size_t nr, alloc;
	int unknown;   /* parameters come from outside Git */
	int truncated; /* more than MAX_SETS */
};

struct ctx {
	struct gg_appindex *idx;
	const struct gg_index_input *in;
	const struct gg_oid *tree; /* the tree its generators read */
	const char *appset;	   /* its name, for notes */
	const char *appset_path;   /* the file defining it */
	/* gg_appset_names(): generators that do not follow `ref` read
	 * `other_tree` (NULL: every generator reads `tree`) */
	const struct gg_oid *other_tree;
	const char *ref;
	size_t errors; /* generator files that do not parse */
};

static struct gg_arena *A(struct ctx *c)
{
	return &c->idx->arena;
}

static void pset_add(struct ctx *c, struct pset *ps, const char *k,
		     const char *v)
{
	struct param *nv;

	if (!(ps->nr & (ps->nr + 1)) || !ps->nr) {
		/* capacities 1, 3, 7, 15, ...: grow at 2^n - 1 */
		nv = gg_arena_alloc(A(c),
				    gg_st_mult(2 * ps->nr + 2, sizeof(*nv)));
		if (ps->nr)
			memcpy(nv, ps->v, ps->nr * sizeof(*nv));
		ps->v = nv;
	}
	ps->v[ps->nr].key = k;
	ps->v[ps->nr].value = v;
	ps->nr++;
}

static const char *pset_get(const struct pset *ps, const char *key)
{
	size_t i;

	for (i = ps->nr; i-- > 0;)
		if (!strcmp(ps->v[i].key, key))
			return ps->v[i].value;
	return NULL;
}

static struct pset *psets_add(struct psets *s)
{
	if (s->nr >= MAX_SETS) {
		s->truncated = 1;
		return NULL;
	}
	GG_ALLOC_GROW(s->v, s->nr + 1, s->alloc);
	memset(&s->v[s->nr], 0, sizeof(s->v[s->nr]));
	return &s->v[s->nr++];
}

/* Scalars of a map as parameters; nested maps as dotted keys. */
static void flatten(struct ctx *c, struct pset *ps, const struct gg_ynode *map,
		    const char *prefix, int depth)
{
	size_t i;

	if (!gg_ynode_is_map(map) || depth > MAX_FLATTEN_DEPTH)
		return;
	for (i = 0; i < map->u.map.nr; i++) {
		const char *k = gg_ynode_str(map->u.map.pairs[i].key);
		const struct gg_ynode *v = map->u.map.pairs[i].value;
		const char *key;

		if (!k)
			continue;
		key = *prefix ? gg_appindex__strf(A(c), "%s.%s", prefix, k)
			      : gg_arena_strdup(A(c), k);
		if (v->kind == GG_YSCALAR)
			pset_add(c, ps, key,
				 gg_arena_strdup(A(c), v->u.scalar.s));
		else
			flatten(c, ps, v, key, depth + 1);
	}
}

/* Argo CD's SanitizeName: lowercase, anything but [-a-z0-9.] becomes
 * '-', at most 253 characters, no '-' or '.' at either end. */
static const char *normalized(struct ctx *c, const char *s)
{
	char *r = gg_arena_strdup(A(c), s), *p, *start;
	size_t n;

	for (p = r; *p; p++) {
		*p = (char)tolower((unsigned char)*p);
		if (!isalnum((unsigned char)*p) && *p != '.')
			*p = '-';
	}
	if (p - r > 253)
		r[253] = '\0';
	for (start = r; *start == '-' || *start == '.';)
		start++;
	n = strlen(start);
	while (n && (start[n - 1] == '-' || start[n - 1] == '.'))
		start[--n] = '\0';
	return start;
}

/* path, path.path, path.basename, path.basenameNormalized, path[N] */
static void path_params(struct ctx *c, struct pset *ps, const char *dir,
			const char *file)
{
	const char *base = strrchr(dir, '/'), *seg = dir;
	size_t n = 0;

	base = base ? base + 1 : dir;
	pset_add(c, ps, "path", dir);
	pset_add(c, ps, "path.path", dir);
	pset_add(c, ps, "path.basename", base);
	pset_add(c, ps, "path.basenameNormalized", normalized(c, base));
	if (file) {
		pset_add(c, ps, "path.filename", file);
		pset_add(c, ps, "path.filenameNormalized", normalized(c, file));
	}
	while (*seg) {
		const char *end = strchr(seg, '/');
		size_t len = end ? (size_t)(end - seg) : strlen(seg);

		pset_add(c, ps, gg_appindex__strf(A(c), "path[%zu]", n),
			 gg_arena_strndup(A(c), seg, len));
		n++;
		if (!end)
			break;
		seg = end + 1;
	}
}

/* --- matching paths of the tree against a generator glob ------------------ */

struct level {
	struct gg_strvec *next;
	const char *seg;
	int last, want_files, all;
};

static int on_entry(const char *path, const struct gg_tree_entry *e,
		    void *payload)
{
	struct level *l = payload;
	const char *name = strrchr(path, '/');

	name = name ? name + 1 : path;
	if (*name == '.')
		return 0; /* Argo CD skips hidden directories */
	if (l->all) {
		if (e->kind == GG_ENTRY_TREE)
			gg_strvec_push(l->next, path);
		return 0;
	}
	if (!gg_glob_match_str(l->seg, name))
		return 0;
	if (l->last ? (l->want_files ? e->kind == GG_ENTRY_BLOB
				     : e->kind == GG_ENTRY_TREE)
		    : e->kind == GG_ENTRY_TREE)
		gg_strvec_push(l->next, path);
	return l->next->nr > MAX_SETS;
}

/* The directories (or files) of `tree` that `pattern` matches. */
static void tree_matches(struct ctx *c, const struct gg_oid *tree,
			 const char *pattern, int want_files,
			 struct gg_strvec *out)
{
	struct gg_strvec frontier = GG_STRVEC_INIT, next = GG_STRVEC_INIT;
	const char *seg = pattern;
	struct level l;
	size_t i;

	while (*seg == '/' || (seg[0] == '.' && seg[1] == '/'))
		seg += *seg == '/' ? 1 : 2;
	gg_strvec_push(&frontier, "");
	while (*seg) {
		const char *end = strchr(seg, '/');
		char *s = gg_xstrndup(seg,
				      end ? (size_t)(end - seg) : strlen(seg));

		l.next = &next;
		l.seg = s;
		l.last = !end || !end[1];
		l.want_files = want_files;
		l.all = !strcmp(s, "**");
		for (i = 0; i < frontier.nr; i++) {
			if (l.all)
				gg_strvec_push(&next, frontier.v[i]);
			gg_repo_tree_list(c->in->repo, tree, frontier.v[i],
					  l.all, on_entry, &l);
		}
		free(s);
		gg_strvec_release(&frontier);
		frontier = next;
		gg_strvec_init(&next);
		if (!end)
			break;
		seg = end + 1;
	}
	for (i = 0; i < frontier.nr; i++)
		if (*frontier.v[i])
			gg_strvec_push(out, frontier.v[i]);
	gg_strvec_release(&frontier);
}

static int excluded(const struct gg_generator *g, const char *path)
{
	size_t i;

	for (i = 0; i < g->npaths; i++)
		if (g->paths[i].exclude &&
		    gg_glob_match_str(g->paths[i].path, path))
			return 1;
	return 0;
}

/* --- generators ----------------------------------------------------------- */

static void expand(struct ctx *c, const struct gg_generator *g,
		   struct psets *out, int depth);

static int ours(struct ctx *c, const struct gg_generator *g)
{
	return gg_repo_url_matches(
		g->repo_url, &c->in->policy->repo_urls,
		gg_policy_repo_name(c->in->policy, c->in->repo_name));
}

/* The tree a git generator reads: c->other_tree unless it follows
 * c->ref (see gg_appset_names()). */
static const struct gg_oid *gen_tree(struct ctx *c,
				     const struct gg_generator *g)
{
	struct gg_app follow;

	if (!c->other_tree)
		return c->tree;
	memset(&follow, 0, sizeof(follow));
	gg_appindex__follow(&follow, A(c), g->revision, NULL);
	return gg_app_tracks(&follow, c->ref, c->in->default_branch)
		       ? c->tree
		       : c->other_tree;
}

static void git_dirs(struct ctx *c, const struct gg_generator *g,
		     struct psets *out)
{
	struct gg_strvec dirs = GG_STRVEC_INIT;
	size_t i;

	for (i = 0; i < g->npaths; i++)
		if (!g->paths[i].exclude)
			tree_matches(c, gen_tree(c, g), g->paths[i].path, 0,
				     &dirs);
	gg_strvec_sort_uniq(&dirs);
	for (i = 0; i < dirs.nr; i++) {
		struct pset *ps;

		if (excluded(g, dirs.v[i]) || !(ps = psets_add(out)))
			continue;
		path_params(c, ps, gg_arena_strdup(A(c), dirs.v[i]), NULL);
	}
	gg_strvec_release(&dirs);
}

static void file_sets(struct ctx *c, struct psets *out, const char *path,
		      const struct gg_ynode *root)
{
	const char *slash = strrchr(path, '/');
	const char *dir =
		slash ? gg_arena_strndup(A(c), path, (size_t)(slash - path))
		      : "";
	const char *file = slash ? slash + 1 : path;
	size_t i, n = gg_ynode_is_seq(root) ? gg_ynode_count(root) : 1;

	for (i = 0; i < n; i++) {
		const struct gg_ynode *item =
			gg_ynode_is_seq(root) ? gg_ynode_item(root, i) : root;
		struct pset *ps = psets_add(out);

		if (!ps)
			return;
		flatten(c, ps, item, "", 0);
		path_params(c, ps, dir, gg_arena_strdup(A(c), file));
	}
}

static void git_files(struct ctx *c, const struct gg_generator *g,
		      struct psets *out)
{
	struct gg_strvec files = GG_STRVEC_INIT;
	const struct gg_oid *tree = gen_tree(c, g);
	size_t i;

	c->idx->reads_files = 1;
	for (i = 0; i < g->npaths; i++)
		if (!g->paths[i].exclude)
			tree_matches(c, tree, g->paths[i].path, 1, &files);
	gg_strvec_sort_uniq(&files);
	for (i = 0; i < files.nr; i++) {
		const struct gg_manifest *m;
		struct gg_tree_entry e;

		if (excluded(g, files.v[i]) ||
		    gg_repo_tree_lookup(&e, c->in->repo, tree, files.v[i]) <
			    0 ||
		    gg_manifests_get(&m, c->in->manifests, &e.oid) < 0)
			continue;
		if (m->state != GG_MANIFEST_YAML || !m->yaml->ndocs) {
			c->errors++;
			gg_appindex__note(c->idx,
					  "ApplicationSet '%s': generator "
					  "file '%s' does not parse",
					  c->appset, files.v[i]);
			continue;
		}
		file_sets(c, out, files.v[i], m->yaml->docs[0].root);
	}
	gg_strvec_release(&files);
}

static void list_sets(struct ctx *c, const struct gg_generator *g,
		      struct psets *out)
{
	size_t i;

	for (i = 0;
	     i < gg_ynode_count(g->elements) && gg_ynode_is_seq(g->elements);
	     i++) {
		struct pset *ps = psets_add(out);

		if (!ps)
			return;
		flatten(c, ps, gg_ynode_item(g->elements, i), "", 0);
	}
}

static void matrix(struct ctx *c, const struct gg_generator *g,
		   struct psets *out, int depth)
{
	struct psets a, b;
	size_t i, j, k;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if (g->nchildren != 2) {
		out->unknown = 1;
		return;
	}
	expand(c, &g->children[0], &a, depth + 1);
	expand(c, &g->children[1], &b, depth + 1);
	out->unknown = a.unknown || b.unknown;
	out->truncated = a.truncated || b.truncated;
	for (i = 0; i < a.nr; i++) {
		for (j = 0; j < b.nr; j++) {
			struct pset *ps = psets_add(out);

			if (!ps)
				goto out;
			for (k = 0; k < a.v[i].nr; k++)
				pset_add(c, ps, a.v[i].v[k].key,
					 a.v[i].v[k].value);
			for (k = 0; k < b.v[j].nr; k++)
				pset_add(c, ps, b.v[j].v[k].key,
					 b.v[j].v[k].value);
		}
	}
out:
	free(a.v);
	free(b.v);
}

static void expand(struct ctx *c, const struct gg_generator *g,
		   struct psets *out, int depth)
{
	if (depth > 4) {
		out->unknown = 1;
		return;
	}
	switch (g->type) {
	case GG_GEN_LIST: list_sets(c, g, out); break;
	case GG_GEN_GIT_DIRECTORIES:
	case GG_GEN_GIT_FILES:
		if (!ours(c, g)) {
			out->unknown = 1; /* reads another repository */
			psets_add(out);
		} else if (g->type == GG_GEN_GIT_DIRECTORIES) {
			git_dirs(c, g, out);
		} else {
			git_files(c, g, out);
		}
		break;
	case GG_GEN_MATRIX: matrix(c, g, out, depth); break;
	case GG_GEN_MERGE:
		/* the first generator decides which sets exist */
		if (g->nchildren)
			expand(c, &g->children[0], out, depth + 1);
		else
			out->unknown = 1;
		break;
	default:
		out->unknown = 1;
		psets_add(out);
		break;
	}
}

/* --- templates ------------------------------------------------------------ */

/* The parameter an expression names: "path.basename", ".path.basename",
 * "index .path.segments 1" (as "path[1]"); NULL for anything else. */
static const char *param_name(char *expr)
{
	char *e = expr + strlen(expr);
	unsigned n;
	int used;

	while (*expr == ' ')
		expr++;
	while (e > expr && e[-1] == ' ')
		*--e = '\0';
	if (sscanf(expr, "index .path.segments %u%n", &n, &used) == 1 &&
	    !expr[used]) {
		snprintf(expr, 32, "path[%u]", n);
		return expr;
	}
	if (*expr == '.')
		expr++;
	return strpbrk(expr, " |()\"") ? NULL : expr;
}

/* Substitute the parameters of `ps` into `tmpl`; *unresolved is set when
 * an expression stays. */
static const char *subst(struct ctx *c, const char *tmpl, const struct pset *ps,
			 int *unresolved)
{
	struct gg_buf b = GG_BUF_INIT;
	const char *p = tmpl, *r;

	if (!tmpl)
		return NULL;
	while (*p) {
		const char *open = strstr(p, "{{"), *close, *v = NULL, *name;
		char expr[256];

		if (!open) {
			gg_buf_adds(&b, p);
			break;
		}
		close = strstr(open + 2, "}}");
		if (!close) {
			gg_buf_adds(&b, p);
			*unresolved = 1;
			break;
		}
		gg_buf_add(&b, p, (size_t)(open - p));
		snprintf(expr, sizeof(expr), "%.*s", (int)(close - open - 2),
			 open + 2);
		name = param_name(expr);
		if (name)
			v = pset_get(ps, name);
		if (v) {
			gg_buf_adds(&b, v);
		} else {
			gg_buf_add(&b, open, (size_t)(close + 2 - open));
			*unresolved = 1;
		}
		p = close + 2;
	}
	r = gg_arena_strdup(A(c), b.buf);
	gg_buf_release(&b);
	return r;
}

/* The template as one Application, typed once per ApplicationSet. */
struct tmpl {
	struct gg_def_app def;
	const char *name;
};

static void def_from_app(struct gg_def_app *d, const struct gg_argo_app *app,
			 struct gg_arena *a)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	d->project = app->project;
	d->dest_server = app->dest_server;
	d->dest_name = app->dest_name;
	d->dest_namespace = app->dest_namespace;
	d->automated = (signed char)app->sync.automated_present;
	d->enabled = (signed char)app->sync.enabled;
	d->prune = (signed char)app->sync.prune;
	d->self_heal = (signed char)app->sync.self_heal;
	d->allow_empty = (signed char)app->sync.allow_empty;
	d->sources = gg_arena_alloc(
		a, gg_st_mult(app->nsources + 1, sizeof(*d->sources)));
	for (i = 0; i < app->nsources; i++) {
		struct gg_def_source *s = &d->sources[d->nsources++];

		s->repo_url = app->sources[i].repo_url;
		s->path = app->sources[i].path;
		s->revision = app->sources[i].target_revision;
		s->chart = app->sources[i].chart;
		s->recurse = (signed char)app->sources[i].recurse;
		s->include = gg_ynode_text(app->sources[i].include);
		s->exclude = gg_ynode_text(app->sources[i].exclude);
		s->tag_prefix = app->sources[i].tag_prefix;
	}
}

/* mergo.Merge without override: a field left empty (nil, false) takes
 * the other template's value, so a boolean is true when either is. */
static signed char merge_tri(signed char gen, signed char spec)
{
	if (gen == GG_TRUE || spec == GG_TRUE)
		return GG_TRUE;
	return gen != GG_UNSET ? gen : spec;
}

static const char *merge_str(const char *gen, const char *spec)
{
	return gen && *gen ? gen : spec;
}

static void merge_source(struct gg_def_source *d, const struct gg_def_source *g)
{
	d->repo_url = merge_str(g->repo_url, d->repo_url);
	d->path = merge_str(g->path, d->path);
	d->revision = merge_str(g->revision, d->revision);
	d->chart = merge_str(g->chart, d->chart);
	d->include = merge_str(g->include, d->include);
	d->exclude = merge_str(g->exclude, d->exclude);
	d->tag_prefix = merge_str(g->tag_prefix, d->tag_prefix);
	d->recurse = merge_tri(g->recurse, d->recurse);
}

/*
 * A generator's template over spec.template (`d`), as the controller
 * merges them (applicationset/generators: mergeGeneratorTemplate, that
 * is mergo.Merge(generator's, spec.template)): what the generator's
 * template leaves out comes from spec.template, field by field.
 */
static void merge_template(struct gg_def_app *d, const struct gg_argo_app *gen,
			   struct gg_arena *a)
{
	struct gg_def_app g;

	def_from_app(&g, gen, a);
	d->project = merge_str(g.project, d->project);
	d->dest_server = merge_str(g.dest_server, d->dest_server);
	d->dest_name = merge_str(g.dest_name, d->dest_name);
	d->dest_namespace = merge_str(g.dest_namespace, d->dest_namespace);
	if (g.automated && !d->automated) {
		d->automated = 1;
		d->enabled = g.enabled;
		d->prune = g.prune;
		d->self_heal = g.self_heal;
		d->allow_empty = g.allow_empty;
	} else if (g.automated) {
		d->enabled = merge_tri(g.enabled, d->enabled);
		d->prune = merge_tri(g.prune, d->prune);
		d->self_heal = merge_tri(g.self_heal, d->self_heal);
		d->allow_empty = merge_tri(g.allow_empty, d->allow_empty);
	}
	/* spec.sources is a list (kept whole); spec.source a pointer
	 * (merged field by field) */
	if (gen->multi_source || (g.nsources && d->nsources != 1)) {
		d->sources = g.sources;
		d->nsources = g.nsources;
	} else if (g.nsources) {
		merge_source(&d->sources[0], &g.sources[0]);
	}
}

static void instantiate(struct ctx *c, const struct gg_object *o,
			const struct tmpl *t, const struct pset *ps,
			int cascade, int unknown)
{
	size_t j;

	for (j = 0; j < t->def.nsources; j++) {
		struct gg_def_source s = t->def.sources[j];
		int unresolved = 0;
		struct gg_app *app;
		const char *name;

		if (!s.path || s.chart)
			continue;
		s.path = subst(c, s.path, ps, &unresolved);
		s.repo_url = subst(c, s.repo_url, ps, &unresolved);
		s.revision = subst(c, s.revision, ps, &unresolved);
		s.tag_prefix = subst(c, s.tag_prefix, ps, &unresolved);
		name = subst(c, t->name ? t->name : "?", ps, &unresolved);
		if (unresolved && (strstr(s.path, "{{") ||
				   (s.repo_url && strstr(s.repo_url, "{{")))) {
			gg_appindex__note(
				c->idx,
				"ApplicationSet '%s': cannot "
				"resolve '%s'%s",
				c->appset, s.path,
				unknown ? " (its generator reads "
					  "parameters from outside Git)"
					: "");
			continue;
		}
		if (!gg_repo_url_matches(s.repo_url, &c->in->policy->repo_urls,
					 gg_policy_repo_name(c->in->policy,
							     c->in->repo_name)))
			continue;
		if (gg_appindex__outside(s.path)) {
			gg_appindex__note(c->idx,
					  "ApplicationSet '%s': path '%s' is "
					  "outside the repository; Argo CD "
					  "refuses it",
					  c->appset, s.path);
			continue;
		}
		app = gg_appindex__add(c->idx);
		app->origin = GG_ORIGIN_APPSET;
		app->name = name;
		gg_appindex__argo_settings(app, A(c), &t->def);
		gg_appindex__argo_source(app, A(c), &s);
		/* every string of the template is templated */
		app->project = subst(c, app->project, ps, &unresolved);
		app->dest_server = subst(c, app->dest_server, ps, &unresolved);
		app->dest_namespace =
			subst(c, app->dest_namespace, ps, &unresolved);
		app->cascade = cascade;
		app->generator = gg_arena_strdup(A(c), o->name ? o->name : "?");
		app->defined_in = gg_arena_strdup(A(c), c->appset_path);
		app->line = o->line;
	}
}

static void generate(struct ctx *c, const struct gg_object *o,
		     const struct gg_generator *g, int cascade)
{
	const struct gg_argo_appset *set = &o->u.appset;
	struct psets sets;
	struct tmpl t;
	struct gg_argo_app gen_app;
	size_t i;

	memset(&sets, 0, sizeof(sets));
	def_from_app(&t.def, &set->app, A(c));
	t.name = set->name_template;
	if (gg_ynode_is_map(g->template_)) {
		/* a generator's template overrides parts of spec.template */
		const struct gg_ynode *meta =
			gg_ynode_get(g->template_, "metadata");

		gg_model__argo_app_spec(&gen_app,
					gg_ynode_get(g->template_, "spec"),
					meta, A(c));
		merge_template(&t.def, &gen_app, A(c));
		if (gg_ynode_text(gg_ynode_get(meta, "name")))
			t.name = gg_ynode_text(gg_ynode_get(meta, "name"));
	}
	expand(c, g, &sets, 0);
	if (sets.truncated)
		gg_appindex__note(c->idx,
				  "ApplicationSet '%s': more than %d "
				  "parameter sets; the rest are not indexed",
				  c->appset, MAX_SETS);
	for (i = 0; i < sets.nr; i++)
		instantiate(c, o, &t, &sets.v[i], cascade, sets.unknown);
	free(sets.v);
}

int gg_appindex__appsets(struct gg_appindex *idx,
			 const struct gg_index_input *in,
			 const struct gg_index_layer *layer,
			 const struct gg_def_file *f)
{
	const struct gg_objects *objs;
	struct ctx c;
	size_t i, j;
	int err;

	err = gg_model_get(&objs, in->manifests, &f->blob, f->path);
	if (err < 0 || !objs)
		return err == GG_ENOTFOUND ? 0 : err;
	memset(&c, 0, sizeof(c));
	c.idx = idx;
	c.in = in;
	c.tree = layer->tree;
	c.appset_path = f->path;
	for (i = 0; i < objs->nr; i++) {
		const struct gg_object *o = &objs->v[i];
		const struct gg_argo_appset *set = &o->u.appset;
		const char *policy = set->applications_sync;
		int cascade;

		if (o->kind != GG_KIND_APPLICATIONSET)
			continue;
		c.appset = o->name ? o->name : "?";
		/* create-only / create-update never delete what they made */
		cascade = gg_argo_appset_cascades(set) &&
			  (!policy || !strcmp(policy, "sync") ||
			   !strcmp(policy, "create-delete"));
		if (set->template_patch)
			gg_appindex__note(idx,
					  "ApplicationSet '%s': templatePatch "
					  "is not applied to the index",
					  c.appset);
		for (j = 0; j < set->ngenerators; j++)
			generate(&c, o, &set->generators[j], cascade);
	}
	return 0;
}

/* --- names only (gg_appset_names) ----------------------------------------- */

/* The name template of generator `g`: its own template's, else the
 * ApplicationSet's. */
static const char *name_template(const struct gg_object *o,
				 const struct gg_generator *g)
{
	const char *n =
		gg_ynode_text(gg_ynode_path(g->template_, "metadata.name"));

	return n ? n : o->u.appset.name_template;
}

static void names_of(struct ctx *c, struct gg_appset_names *out,
		     const struct gg_object *o, const struct gg_generator *g)
{
	const char *tmpl = name_template(o, g);
	struct psets sets;
	size_t i;

	memset(&sets, 0, sizeof(sets));
	expand(c, g, &sets, 0);
	if (sets.unknown || sets.truncated)
		out->unknown = 1;
	for (i = 0; i < sets.nr; i++) {
		int unresolved = 0;
		const char *name =
			subst(c, tmpl ? tmpl : "", &sets.v[i], &unresolved);

		if (unresolved || !*name)
			out->unknown = 1;
		else
			gg_strvec_push(&out->names, name);
	}
	free(sets.v);
}

void gg_appset_names(struct gg_appset_names *out,
		     const struct gg_index_input *in, const struct gg_object *o,
		     const struct gg_oid *tree, const struct gg_oid *other_tree,
		     const char *ref)
{
	struct gg_appindex *scratch = gg_xcalloc(1, sizeof(*scratch));
	struct ctx c;
	size_t i;

	memset(out, 0, sizeof(*out));
	gg_strvec_init(&out->names);
	gg_arena_init(&scratch->arena);
	gg_strvec_init(&scratch->notes);
	memset(&c, 0, sizeof(c));
	c.idx = scratch;
	c.in = in;
	c.tree = tree;
	c.other_tree = other_tree;
	c.ref = ref;
	c.appset = o->name ? o->name : "?";
	c.appset_path = "";
	for (i = 0; i < o->u.appset.ngenerators; i++)
		names_of(&c, out, o, &o->u.appset.generators[i]);
	gg_strvec_sort_uniq(&out->names);
	out->errors = c.errors;
	gg_appindex_free(scratch);
}

void gg_appset_names_release(struct gg_appset_names *n)
{
	gg_strvec_release(&n->names);
	memset(n, 0, sizeof(*n));
	gg_strvec_init(&n->names);
}
