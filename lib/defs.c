/*
 * Definitions of a tree: built by scanning it once, then kept up to date
 * from tree diffs through a per-tree cache file (see defs.h).  The
 * cache format lives in defs-cache.c.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "buf.h"
#include "defs.h"
#include "defs-internal.h"
#include "xalloc.h"
#include "banned.h"

/* --- small helpers -------------------------------------------------------- */

static const char *dup(struct gg_arena *a, const char *s)
{
	return s ? gg_arena_strdup(a, s) : NULL;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The directory of `path` ("" at the root), in `arena`. */
static const char *dir_of(struct gg_arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? gg_arena_strndup(a, path, (size_t)(slash - path)) : "";
}

int gg_defs__is_definition_text(const char *data, size_t len)
{
	return memmem(data, len, "argoproj.io", 11) ||
	       memmem(data, len, "toolkit.fluxcd.io", 17) ||
	       gg_yaml_text_may_hide(data, len);
}

static int is_remote(const char *ref)
{
	return strstr(ref, "://") || !strncmp(ref, "git@", 4) ||
	       !strncmp(ref, "github.com/", 11) || strstr(ref, "?ref=") ||
	       !strncmp(ref, "gitlab.com/", 11);
}

const char *gg_defs_resolve(struct gg_arena *arena, const char *dir,
			    const char *ref, int *remote)
{
	struct gg_buf b = GG_BUF_INIT;
	const char *seg = ref, *r;

	if (is_remote(ref) || ref[0] == '/') {
		*remote = 1;
		return NULL;
	}
	gg_buf_adds(&b, dir);
	while (*seg) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);

		if (n == 2 && !strncmp(seg, "..", 2)) {
			char *slash = strrchr(b.buf, '/');

			if (!b.len) {
				gg_buf_release(&b);
				*remote = 1; /* leaves the repository */
				return NULL;
			}
			gg_buf_setlen(&b, slash ? (size_t)(slash - b.buf) : 0);
		} else if (n && !(n == 1 && *seg == '.')) {
			if (b.len)
				gg_buf_addch(&b, '/');
			gg_buf_add(&b, seg, n);
		}
		seg += n + (end != 0);
	}
	r = gg_arena_strdup(arena, b.buf);
	gg_buf_release(&b);
	return r;
}

/* --- summarising typed objects -------------------------------------------- */

static void summarise_app(struct gg_def_app *d, const struct gg_object *o,
			  struct gg_arena *a)
{
	const struct gg_argo_app *app = &o->u.app;
	size_t i;

	d->name = dup(a, o->name);
	d->namespace_ = dup(a, o->namespace_);
	d->line = o->line;
	d->project = dup(a, app->project);
	d->dest_server = dup(a, app->dest_server);
	d->dest_name = dup(a, app->dest_name);
	d->dest_namespace = dup(a, app->dest_namespace);
	d->automated = (signed char)app->sync.automated_present;
	d->enabled = (signed char)app->sync.enabled;
	d->prune = (signed char)app->sync.prune;
	d->self_heal = (signed char)app->sync.self_heal;
	d->allow_empty = (signed char)app->sync.allow_empty;
	d->cascade = (unsigned char)app->cascade;
	d->skip_reconcile = (unsigned char)app->skip_reconcile;
	d->sources = gg_arena_alloc(
		a, gg_st_mult(app->nsources + 1, sizeof(*d->sources)));
	d->nsources = app->nsources;
	for (i = 0; i < app->nsources; i++) {
		const struct gg_argo_source *s = &app->sources[i];
		struct gg_def_source *t = &d->sources[i];

		t->repo_url = dup(a, s->repo_url);
		t->path = dup(a, s->path);
		t->revision = dup(a, s->target_revision);
		t->chart = dup(a, s->chart);
		t->include = dup(a, gg_ynode_text(s->include));
		t->exclude = dup(a, gg_ynode_text(s->exclude));
		t->tag_prefix = dup(a, s->tag_prefix);
		t->recurse = (signed char)s->recurse;
	}
}

static void summarise_ks(struct gg_def_ks *d, const struct gg_object *o,
			 struct gg_arena *a)
{
	const struct gg_flux_ks *ks = &o->u.ks;

	d->name = dup(a, o->name);
	d->namespace_ = dup(a, o->namespace_);
	d->line = o->line;
	d->path = dup(a, ks->path);
	d->prune = (signed char)ks->prune;
	d->suspend = (signed char)ks->suspend;
	d->source_kind = dup(a, ks->source_kind);
	d->source_name = dup(a, ks->source_name);
	d->source_namespace = dup(a, ks->source_namespace);
	d->target_namespace = dup(a, ks->target_namespace);
	d->service_account = dup(a, ks->service_account);
	d->deletion_policy = dup(a, ks->deletion_policy);
}

static void summarise_repo(struct gg_def_gitrepo *d, const struct gg_object *o,
			   struct gg_arena *a)
{
	const struct gg_flux_gitrepo *g = &o->u.gitrepo;

	d->name = dup(a, o->name);
	d->namespace_ = dup(a, o->namespace_);
	d->line = o->line;
	d->url = dup(a, g->url);
	d->branch = dup(a, gg_flux_gitrepo_branch(g));
	d->ignore = dup(a, g->ignore);
	/* commit > name > semver > tag > branch (gitops-semantics.md 4.3) */
	if (g->commit)
		return;
	if (g->name)
		d->refname = dup(a, g->name);
	else if (g->semver)
		d->semver = dup(a, g->semver);
	else if (g->tag)
		d->tag = dup(a, g->tag);
}

static unsigned kind_bit(enum gg_kind k)
{
	switch (k) {
	case GG_KIND_APPLICATION: return GG_DEF_APPLICATION;
	case GG_KIND_APPLICATIONSET: return GG_DEF_APPSET;
	case GG_KIND_APPPROJECT: return GG_DEF_APPPROJECT;
	case GG_KIND_FLUX_KUSTOMIZATION: return GG_DEF_FLUX_KS;
	case GG_KIND_GITREPOSITORY: return GG_DEF_GITREPO;
	case GG_KIND_HELMRELEASE: return GG_DEF_HELMRELEASE;
	default: return 0;
	}
}

/* Fill `f` from the objects of a file; 0 if it defines nothing. */
static unsigned summarise_file(struct gg_def_file *f,
			       const struct gg_objects *objs,
			       struct gg_arena *a)
{
	size_t i, n[3] = { 0, 0, 0 };

	for (i = 0; i < objs->nr; i++) {
		f->kinds |= kind_bit(objs->v[i].kind);
		n[0] += objs->v[i].kind == GG_KIND_APPLICATION;
		n[1] += objs->v[i].kind == GG_KIND_FLUX_KUSTOMIZATION;
		n[2] += objs->v[i].kind == GG_KIND_GITREPOSITORY;
	}
	if (!f->kinds)
		return 0;
	f->apps = gg_arena_alloc(a, gg_st_mult(n[0] + 1, sizeof(*f->apps)));
	f->kss = gg_arena_alloc(a, gg_st_mult(n[1] + 1, sizeof(*f->kss)));
	f->repos = gg_arena_alloc(a, gg_st_mult(n[2] + 1, sizeof(*f->repos)));
	for (i = 0; i < objs->nr; i++) {
		const struct gg_object *o = &objs->v[i];

		if (o->kind == GG_KIND_APPLICATION)
			summarise_app(&f->apps[f->napps++], o, a);
		else if (o->kind == GG_KIND_FLUX_KUSTOMIZATION)
			summarise_ks(&f->kss[f->nkss++], o, a);
		else if (o->kind == GG_KIND_GITREPOSITORY)
			summarise_repo(&f->repos[f->nrepos++], o, a);
	}
	return f->kinds;
}

/* Collect the string entries of a list of references into `out`. */
static void resolve_refs(struct gg_defs *d, struct gg_kfile *k,
			 const struct gg_ynode *list, int resources)
{
	size_t i, n = gg_ynode_count(list);

	for (i = 0; i < n && gg_ynode_is_seq(list); i++) {
		const struct gg_ynode *item = gg_ynode_item(list, i);
		const char *ref = gg_ynode_text(item), *r;

		if (!ref)
			ref = gg_ynode_text(gg_ynode_get(item, "path"));
		if (!ref)
			continue;
		r = gg_defs_resolve(&d->arena, k->dir, ref, &k->remote);
		if (!r)
			continue;
		if (resources) {
			k->resources[k->nresources++] = r;
		} else {
			k->others = gg_defs__grow_strs(&d->arena, k->others,
						       k->nothers);
			k->others[k->nothers++] = r;
		}
	}
}

static void summarise_kfile(struct gg_defs *d, struct gg_kfile *k,
			    const struct gg_objects *objs)
{
	const struct gg_object *o = objs && objs->nr ? &objs->v[0] : NULL;
	static const char *const other_keys[] = {
		"patchesStrategicMerge", "patches",    "crds", "configurations",
		"transformers",		 "generators", NULL
	};
	size_t n, i;

	if (!o || o->kind != GG_KIND_KUSTOMIZATION) {
		k->invalid = 1;
		return;
	}
	n = gg_ynode_count(o->u.kustomize.resources) +
	    gg_ynode_count(o->u.kustomize.bases) +
	    gg_ynode_count(o->u.kustomize.components);
	k->resources =
		gg_arena_alloc(&d->arena, gg_st_mult(n + 1, sizeof(char *)));
	resolve_refs(d, k, o->u.kustomize.resources, 1);
	resolve_refs(d, k, o->u.kustomize.bases, 1);
	resolve_refs(d, k, o->u.kustomize.components, 1);
	for (i = 0; other_keys[i]; i++)
		resolve_refs(d, k, gg_ynode_get(o->root, other_keys[i]), 0);
}

const char **gg_defs__grow_strs(struct gg_arena *a, const char **v, size_t n)
{
	const char **nv;

	if (n && (n & (n - 1)))
		return v; /* room left: capacities are powers of two */
	nv = gg_arena_alloc(a, gg_st_mult(n ? 2 * n : 4, sizeof(*nv)));
	if (n)
		memcpy(nv, v, n * sizeof(*nv));
	return nv;
}

/* --- adding and removing paths -------------------------------------------- */

static void add_str(const char ***v, size_t *n, size_t *alloc, const char *s)
{
	GG_ALLOC_GROW(*v, *n + 1, *alloc);
	(*v)[(*n)++] = s;
}

/*
 * Look at one blob at `path` and record what it defines.  Reads the blob
 * only when its name or content can matter.
 */
int gg_defs__add_path(struct gg_defs *d, struct gg_repo *repo, const char *path,
		      const struct gg_oid *blob, size_t max_blob)
{
	const char *base = base_name(path);
	int kust = gg_path_is_kustomization(path);
	struct gg_buf b = GG_BUF_INIT;
	struct gg_yfile *yf = NULL;
	struct gg_arena scratch = GG_ARENA_INIT;
	struct gg_objects objs;
	int err = 0;

	if (!strcmp(base, "Chart.yaml")) {
		add_str(&d->charts, &d->ncharts, &d->charts_alloc,
			gg_arena_strdup(&d->arena, path));
		return 0;
	}
	if (!strcmp(base, ".sourceignore")) {
		add_str(&d->ignores, &d->nignores, &d->ignores_alloc,
			gg_arena_strdup(&d->arena, path));
		return 0;
	}
	if (!kust && !gg_path_is_manifest(path))
		return 0;
	gg_buf_init(&b, max_blob);
	err = gg_repo_blob_read(&b, repo, blob);
	if (err == GG_ELIMIT) {
		err = 0; /* too large to inspect: yaml/invalid says so */
		goto out;
	}
	if (err < 0)
		goto out;
	d->blobs_read++;
	if (!kust && !gg_defs__is_definition_text(b.buf, b.len))
		goto out;
	/* a file the manifest cache refuses defines nothing (model.h) */
	if (gg_yaml_parse(&yf, NULL, b.buf, b.len, NULL) == 0 &&
	    gg_model_check_lists(yf) < 0) {
		gg_yaml_free(yf);
		yf = NULL;
	}
	if (yf)
		gg_model_build(&objs, &scratch, yf, kust);
	if (kust) {
		struct gg_kfile *k;

		GG_ALLOC_GROW(d->kfiles, d->nkfiles + 1, d->kfiles_alloc);
		k = &d->kfiles[d->nkfiles++];
		memset(k, 0, sizeof(*k));
		k->path = gg_arena_strdup(&d->arena, path);
		k->dir = dir_of(&d->arena, path);
		k->blob = *blob;
		summarise_kfile(d, k, yf ? &objs : NULL);
	} else if (yf) {
		struct gg_def_file f;

		memset(&f, 0, sizeof(f));
		if (summarise_file(&f, &objs, &d->arena)) {
			f.path = gg_arena_strdup(&d->arena, path);
			f.blob = *blob;
			GG_ALLOC_GROW(d->files, d->nfiles + 1, d->files_alloc);
			d->files[d->nfiles++] = f;
		}
	}
out:
	gg_yaml_free(yf);
	gg_arena_release(&scratch);
	gg_buf_release(&b);
	return err;
}

/* Drop every record of the paths in `gone` (sorted). */
void gg_defs__remove_paths(struct gg_defs *d, const struct gg_strvec *gone)
{
	size_t i, j;

	for (i = j = 0; i < d->nfiles; i++)
		if (!gg_defs__sorted_has(gone, d->files[i].path))
			d->files[j++] = d->files[i];
	d->nfiles = j;
	for (i = j = 0; i < d->nkfiles; i++)
		if (!gg_defs__sorted_has(gone, d->kfiles[i].path))
			d->kfiles[j++] = d->kfiles[i];
	d->nkfiles = j;
	for (i = j = 0; i < d->ncharts; i++)
		if (!gg_defs__sorted_has(gone, d->charts[i]))
			d->charts[j++] = d->charts[i];
	d->ncharts = j;
	for (i = j = 0; i < d->nignores; i++)
		if (!gg_defs__sorted_has(gone, d->ignores[i]))
			d->ignores[j++] = d->ignores[i];
	d->nignores = j;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct gg_def_file *)a)->path,
		      ((const struct gg_def_file *)b)->path);
}

static int cmp_kfile(const void *a, const void *b)
{
	return strcmp(((const struct gg_kfile *)a)->dir,
		      ((const struct gg_kfile *)b)->dir);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Sort an array that is mostly sorted already: records read from a cache
 * file come in order, and an update appends a few records to a sorted
 * array.  The sorted prefix is kept, the rest sorted and merged in, so
 * the usual case costs one pass instead of a full sort.
 */
/* Insert each of the few records of v[k..n) after the last one of the
 * sorted v[0..k) that is not greater (as the merge does), moving the
 * records after it up: no copy of the whole array. */
static void insert_tail(char *v, size_t k, size_t n, size_t size,
			int (*cmp)(const void *, const void *))
{
	char rec[256];
	size_t lo, hi, mid;

	if (size > sizeof(rec))
		GG_BUG("record of %zu bytes", size);
	for (; k < n; k++) {
		memcpy(rec, v + k * size, size);
		for (lo = 0, hi = k; lo < hi;) {
			mid = lo + (hi - lo) / 2;
			if (cmp(v + mid * size, rec) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		memmove(v + (lo + 1) * size, v + lo * size, (k - lo) * size);
		memcpy(v + lo * size, rec, size);
	}
}

static void sort_tail(void *base, size_t n, size_t size,
		      int (*cmp)(const void *, const void *))
{
	char *v = base, *tmp, *out;
	size_t k = 1, i, j;

	while (k < n && cmp(v + (k - 1) * size, v + k * size) <= 0)
		k++;
	if (k >= n)
		return;
	qsort(v + k * size, n - k, size, cmp);
	if (cmp(v + (k - 1) * size, v + k * size) <= 0)
		return;
	if (n - k <= 8) {
		insert_tail(v, k, n, size, cmp);
		return;
	}
	tmp = gg_xmalloc(gg_st_mult(n, size));
	out = tmp;
	for (i = 0, j = k; i < k || j < n; out += size) {
		if (j >= n || (i < k && cmp(v + i * size, v + j * size) <= 0))
			memcpy(out, v + i++ * size, size);
		else
			memcpy(out, v + j++ * size, size);
	}
	memcpy(v, tmp, n * size);
	free(tmp);
}

void gg_defs__sort(struct gg_defs *d)
{
	sort_tail(d->files, d->nfiles, sizeof(*d->files), cmp_file);
	sort_tail(d->kfiles, d->nkfiles, sizeof(*d->kfiles), cmp_kfile);
	sort_tail(d->charts, d->ncharts, sizeof(*d->charts), cmp_str);
	sort_tail(d->ignores, d->nignores, sizeof(*d->ignores), cmp_str);
}

/* --- lookups -------------------------------------------------------------- */

const struct gg_def_file *gg_defs_file(const struct gg_defs *d,
				       const char *path)
{
	struct gg_def_file key;

	key.path = path;
	return d->nfiles ? bsearch(&key, d->files, d->nfiles, sizeof(key),
				   cmp_file)
			 : NULL;
}

const struct gg_def_gitrepo *gg_defs_gitrepo(const struct gg_defs *d,
					     const char *name, const char *ns)
{
	size_t i, j;

	for (i = 0; d && i < d->nfiles; i++)
		for (j = 0; j < d->files[i].nrepos; j++) {
			const struct gg_def_gitrepo *r = &d->files[i].repos[j];

			if (r->name && !strcmp(r->name, name) &&
			    (!ns || !r->namespace_ ||
			     !strcmp(ns, r->namespace_)))
				return r;
		}
	return NULL;
}

const struct gg_kfile *gg_defs_kfile(const struct gg_defs *d, const char *dir)
{
	struct gg_kfile key;

	key.dir = dir;
	return d->nkfiles ? bsearch(&key, d->kfiles, d->nkfiles, sizeof(key),
				    cmp_kfile)
			  : NULL;
}

int gg_defs_has_chart(const struct gg_defs *d, const char *dir)
{
	char *path = gg_xasprintf("%s%sChart.yaml", dir, *dir ? "/" : "");
	const char *key = path;
	int r = d->ncharts && bsearch(&key, d->charts, d->ncharts,
				      sizeof(*d->charts), cmp_str);

	free(path);
	return r;
}

struct gg_defs *gg_defs_empty(void)
{
	struct gg_defs *d = gg_xcalloc(1, sizeof(*d));

	gg_arena_init(&d->arena);
	return d;
}

void gg_defs_free(struct gg_defs *d)
{
	if (!d)
		return;
	if (d->refs) {
		d->refs--; /* another set still uses its strings */
		return;
	}
	free(d->files);
	free(d->kfiles);
	free(d->charts);
	free(d->ignores);
	gg_arena_release(&d->arena);
	if (d->map)
		munmap(d->map, d->map_len);
	gg_defs_free(d->shared);
	free(d);
}
