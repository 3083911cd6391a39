/*
 * Extracting version values from typed manifests: image tags and
 * digests, chart versions, OCI refs, Helm values tags (versions.h).
 */
#include <stdlib.h>
#include <string.h>

#include "versions.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_DEPTH 32

static const char *const default_keys[] = { "image.tag", "*.image.tag", NULL };

struct ctx {
	struct gg_versions *out;
	const struct gg_version_opts *opts;
};

void gg_versions_init(struct gg_versions *vs)
{
	memset(vs, 0, sizeof(*vs));
	gg_arena_init(&vs->arena);
}

void gg_versions_release(struct gg_versions *vs)
{
	free(vs->v);
	gg_arena_release(&vs->arena);
	gg_versions_init(vs);
}

static const char *dup(struct gg_versions *vs, const char *s)
{
	return s ? gg_arena_strdup(&vs->arena, s) : NULL;
}

void gg_versions_add(struct gg_versions *out, const struct gg_version *v)
{
	struct gg_version *n;
	size_t i;

	if (!v->name || !*v->name || (!v->tag && !v->digest))
		return;
	for (i = 0; i < out->nr; i++)
		if (gg_version_equal(&out->v[i], v) &&
		    out->v[i].line == v->line)
			return;
	GG_ALLOC_GROW(out->v, out->nr + 1, out->alloc);
	n = &out->v[out->nr++];
	*n = *v;
	n->name = dup(out, v->name);
	n->tag = dup(out, v->tag);
	n->digest = dup(out, v->digest);
}

static int streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

int gg_version_equal(const struct gg_version *a, const struct gg_version *b)
{
	return a->kind == b->kind && streq(a->name, b->name) &&
	       (a->tag ? streq(a->tag, b->tag) : !b->tag) &&
	       (a->digest ? streq(a->digest, b->digest) : !b->digest);
}

int gg_versions_has_name(const struct gg_versions *set,
			 const struct gg_version *v)
{
	size_t i;

	for (i = 0; i < set->nr; i++)
		if (set->v[i].kind == v->kind && streq(set->v[i].name, v->name))
			return 1;
	return 0;
}

int gg_versions_has(const struct gg_versions *set, const struct gg_version *v)
{
	size_t i;

	for (i = 0; i < set->nr; i++) {
		const struct gg_version *s = &set->v[i];

		if (s->kind != v->kind || !streq(s->name, v->name))
			continue;
		if (v->digest
			    ? streq(s->digest, v->digest)
			    : streq(s->tag, v->tag) || streq(s->digest, v->tag))
			return 1;
	}
	return 0;
}

const char *gg_version_kind_name(enum gg_version_kind kind)
{
	switch (kind) {
	case GG_VERSION_IMAGE: return "image";
	case GG_VERSION_CHART: return "chart";
	case GG_VERSION_OCI: return "OCI artifact";
	case GG_VERSION_VALUE: return "values key";
	}
	return "version";
}

static const char *value_word(const struct gg_version *v)
{
	if (v->digest)
		return "digest";
	switch (v->kind) {
	case GG_VERSION_CHART: return "version";
	case GG_VERSION_VALUE: return "value";
	default: return "tag";
	}
}

void gg_version_describe(struct gg_buf *out, const struct gg_version *v)
{
	gg_buf_addf(out, "%s '%s' %s '%s'", gg_version_kind_name(v->kind),
		    v->name, value_word(v), v->digest ? v->digest : v->tag);
}

void gg_versions_list_values(struct gg_buf *out, const struct gg_versions *set,
			     const struct gg_version *v, size_t max)
{
	struct gg_strvec seen = GG_STRVEC_INIT;
	size_t i;

	for (i = 0; i < set->nr; i++) {
		const struct gg_version *l = &set->v[i];
		const char *val = v->digest && l->digest ? l->digest
				  : l->tag		 ? l->tag
							 : l->digest;

		if (l->kind != v->kind || strcmp(l->name, v->name) ||
		    gg_strvec_find(&seen, val) >= 0)
			continue;
		if (seen.nr == max) {
			gg_buf_adds(out, ", ...");
			break;
		}
		gg_buf_addf(out, "%s'%s'", seen.nr ? ", " : "", val);
		gg_strvec_push(&seen, val);
	}
	gg_strvec_release(&seen);
}

/* --- image references ----------------------------------------------------- */

static const char *normalise_name(const char *n)
{
	if (!strncmp(n, "index.docker.io/", 16))
		n += 16;
	else if (!strncmp(n, "docker.io/", 10))
		n += 10;
	if (!strncmp(n, "library/", 8) && n[8])
		n += 8;
	return n;
}

int gg_image_parse(struct gg_arena *arena, const char *ref, const char **name,
		   const char **tag, const char **digest)
{
	const char *at, *slash, *colon, *end;

	*name = *tag = *digest = NULL;
	if (!ref || !*ref || strpbrk(ref, " \t\r\n{}$\"'"))
		return -1;
	at = strchr(ref, '@');
	end = at ? at : ref + strlen(ref);
	if (at && at[1])
		*digest = gg_arena_strdup(arena, at + 1);
	/* the tag follows the last ':' after the last '/' (not a port) */
	colon = NULL;
	for (slash = ref; slash < end; slash++) {
		if (*slash == '/')
			colon = NULL;
		else if (*slash == ':')
			colon = slash;
	}
	if (colon) {
		if (colon + 1 < end)
			*tag = gg_arena_strndup(arena, colon + 1,
						(size_t)(end - colon - 1));
		end = colon;
	}
	if (end == ref)
		return -1;
	*name = normalise_name(
		gg_arena_strndup(arena, ref, (size_t)(end - ref)));
	return 0;
}

static void add_image_ref(struct ctx *c, const struct gg_ynode *n,
			  const char *source)
{
	struct gg_version v = { GG_VERSION_IMAGE, NULL, NULL, NULL, 0, NULL };
	const char *s = gg_ynode_text(n);

	if (!s ||
	    gg_image_parse(&c->out->arena, s, &v.name, &v.tag, &v.digest) < 0)
		return;
	v.line = n->line;
	v.source = source;
	gg_versions_add(c->out, &v);
}

/* --- kustomize images ----------------------------------------------------- */

/* images: [{name, newName, newTag, digest}] */
static void kustomize_images(struct ctx *c, const struct gg_ynode *images,
			     const char *source)
{
	size_t i;

	for (i = 0; i < gg_ynode_count(images) && gg_ynode_is_seq(images);
	     i++) {
		const struct gg_ynode *e = gg_ynode_item(images, i);
		const struct gg_ynode *tag = gg_ynode_get(e, "newTag");
		const struct gg_ynode *dg = gg_ynode_get(e, "digest");
		const char *name = gg_ynode_text(gg_ynode_get(e, "newName"));
		struct gg_version v = {
			GG_VERSION_IMAGE, NULL, NULL, NULL, 0, source
		};

		if (!name)
			name = gg_ynode_text(gg_ynode_get(e, "name"));
		if (!name)
			continue;
		v.name = normalise_name(name);
		v.tag = gg_ynode_text(tag);
		v.digest = gg_ynode_text(dg);
		v.line = v.digest ? dg->line : v.tag ? tag->line : e->line;
		gg_versions_add(c->out, &v);
	}
}

/* Argo CD and Image Updater strings: "[old=]new[:tag][@digest]". */
static void image_strings(struct ctx *c, const struct gg_ynode *images,
			  const char *source)
{
	size_t i;

	for (i = 0; i < gg_ynode_count(images) && gg_ynode_is_seq(images);
	     i++) {
		const struct gg_ynode *n = gg_ynode_item(images, i);
		const char *s = gg_ynode_text(n), *eq;
		struct gg_version v = {
			GG_VERSION_IMAGE, NULL, NULL, NULL, 0, source
		};

		if (!s)
			continue;
		eq = strchr(s, '=');
		if (gg_image_parse(&c->out->arena, eq ? eq + 1 : s, &v.name,
				   &v.tag, &v.digest) < 0)
			continue;
		v.line = n->line;
		gg_versions_add(c->out, &v);
	}
}

/* --- workloads ------------------------------------------------------------ */

static int is_container_list(const char *key)
{
	return !strcmp(key, "containers") || !strcmp(key, "initContainers") ||
	       !strcmp(key, "ephemeralContainers");
}

static void containers(struct ctx *c, const struct gg_ynode *n, int depth)
{
	size_t i;

	if (!n || depth > MAX_DEPTH)
		return;
	if (n->kind == GG_YSEQ) {
		for (i = 0; i < n->u.seq.nr; i++)
			containers(c, n->u.seq.items[i], depth + 1);
		return;
	}
	if (n->kind != GG_YMAP)
		return;
	for (i = 0; i < n->u.map.nr; i++) {
		const char *k = gg_ynode_str(n->u.map.pairs[i].key);
		const struct gg_ynode *v = n->u.map.pairs[i].value;
		size_t j;

		if (k && is_container_list(k) && gg_ynode_is_seq(v)) {
			for (j = 0; j < gg_ynode_count(v); j++)
				add_image_ref(c,
					      gg_ynode_get(gg_ynode_item(v, j),
							   "image"),
					      "container image");
		} else {
			containers(c, v, depth + 1);
		}
	}
}

/* --- Helm values ---------------------------------------------------------- */

/* Match dotted segments; `**` takes any number of them. */
static int seg_match(const char *p, const char *k)
{
	const char *pe = strchr(p, '.'), *ke;
	size_t pl = pe ? (size_t)(pe - p) : strlen(p), kl;

	if (pl == 2 && !strncmp(p, "**", 2)) {
		if (!pe)
			return 1;
		for (;;) {
			if (seg_match(pe + 1, k))
				return 1;
			k = strchr(k, '.');
			if (!k++)
				return 0;
		}
	}
	ke = strchr(k, '.');
	kl = ke ? (size_t)(ke - k) : strlen(k);
	if (!(pl == 1 && *p == '*') && (pl != kl || strncmp(p, k, pl)))
		return 0;
	if (!pe || !ke)
		return !pe && !ke;
	return seg_match(pe + 1, ke + 1);
}

int gg_values_key_match(const char *pattern, const char *key)
{
	return *pattern && *key && seg_match(pattern, key);
}

static int key_wanted(const struct ctx *c, const char *key)
{
	size_t i;

	if (!c->opts || !c->opts->tag_keys) {
		for (i = 0; default_keys[i]; i++)
			if (gg_values_key_match(default_keys[i], key))
				return 1;
		return 0;
	}
	for (i = 0; i < c->opts->tag_keys->nr; i++)
		if (gg_values_key_match(c->opts->tag_keys->v[i], key))
			return 1;
	return 0;
}

static int beside_repository(const struct ctx *c)
{
	return !c->opts || c->opts->tag_beside_repository;
}

/* A tag leaf `tag` at dotted `key` in map `map`. */
static void values_tag(struct ctx *c, const struct gg_ynode *map,
		       const char *key, const struct gg_ynode *tag,
		       const char *source)
{
	const char *repo = gg_ynode_text(gg_ynode_get(map, "repository"));
	const char *reg = gg_ynode_text(gg_ynode_get(map, "registry"));
	struct gg_version v = { GG_VERSION_VALUE,   key,
				gg_ynode_text(tag), NULL,
				tag->line,	    source };
	char *full = NULL;

	if (repo) {
		if (reg)
			repo = full = gg_xasprintf("%s/%s", reg, repo);
		v.kind = GG_VERSION_IMAGE;
		v.name = normalise_name(repo);
		v.digest = gg_ynode_text(gg_ynode_get(map, "digest"));
	}
	gg_versions_add(c->out, &v);
	free(full);
}

static void values_walk(struct ctx *c, const struct gg_ynode *map, char *key,
			size_t len, size_t cap, int depth, const char *source)
{
	size_t i;

	if (!gg_ynode_is_map(map) || depth > MAX_DEPTH)
		return;
	for (i = 0; i < map->u.map.nr; i++) {
		const char *k = gg_ynode_str(map->u.map.pairs[i].key);
		const struct gg_ynode *v = map->u.map.pairs[i].value;
		size_t n;

		if (!k || !*k || strchr(k, '.') || len + strlen(k) + 2 > cap)
			continue;
		n = len ? len + 1 : 0;
		if (len)
			key[len] = '.';
		memcpy(key + n, k, strlen(k) + 1);
		n += strlen(k);
		if (v && v->kind == GG_YSCALAR) {
			if (key_wanted(c, key) ||
			    (beside_repository(c) && !strcmp(k, "tag") &&
			     gg_ynode_text(gg_ynode_get(map, "repository"))))
				values_tag(c, map, key, v, source);
		} else {
			values_walk(c, v, key, n, cap, depth + 1, source);
		}
		key[len] = '\0';
	}
}

static void values(struct ctx *c, const struct gg_ynode *root,
		   const char *source)
{
	char key[512];

	key[0] = '\0';
	values_walk(c, root, key, 0, sizeof(key), 0, source);
}

/* helm.parameters: [{name: image.tag, value: "1.2"}] */
static void helm_parameters(struct ctx *c, const struct gg_ynode *params,
			    const char *source)
{
	size_t i, j;

	for (i = 0; i < gg_ynode_count(params) && gg_ynode_is_seq(params);
	     i++) {
		const struct gg_ynode *p = gg_ynode_item(params, i);
		const char *name = gg_ynode_text(gg_ynode_get(p, "name"));
		const struct gg_ynode *val = gg_ynode_get(p, "value");
		struct gg_version v = { GG_VERSION_VALUE,	   name,
					gg_ynode_text(val),	   NULL,
					val ? val->line : p->line, source };
		size_t plen;

		if (!name || !v.tag)
			continue;
		plen = strlen(name);
		if (!key_wanted(c, name) &&
		    !(beside_repository(c) &&
		      (!strcmp(name, "tag") ||
		       (plen > 4 && !strcmp(name + plen - 4, ".tag")))))
			continue;
		/* a "<prefix>.repository" parameter names the image */
		for (j = 0; j < gg_ynode_count(params); j++) {
			const struct gg_ynode *q = gg_ynode_item(params, j);
			const char *qn = gg_ynode_text(gg_ynode_get(q, "name"));
			const char *qv =
				gg_ynode_text(gg_ynode_get(q, "value"));

			if (qn && qv && strlen(qn) == plen + 7 &&
			    !strncmp(qn, name, plen - 3) &&
			    !strcmp(qn + plen - 3, "repository")) {
				v.kind = GG_VERSION_IMAGE;
				v.name = normalise_name(qv);
			}
		}
		if (v.kind == GG_VERSION_VALUE && !key_wanted(c, name))
			continue;
		gg_versions_add(c->out, &v);
	}
}

/* --- objects -------------------------------------------------------------- */

static void chart(struct ctx *c, const char *name, const struct gg_ynode *ver,
		  const char *source)
{
	struct gg_version v = { GG_VERSION_CHART,    name,
				gg_ynode_text(ver),  NULL,
				ver ? ver->line : 0, source };

	if (name && v.tag)
		gg_versions_add(c->out, &v);
}

static void helm_charts(struct ctx *c, const struct gg_ynode *list)
{
	size_t i;

	for (i = 0; i < gg_ynode_count(list) && gg_ynode_is_seq(list); i++) {
		const struct gg_ynode *e = gg_ynode_item(list, i);

		chart(c, gg_ynode_text(gg_ynode_get(e, "name")),
		      gg_ynode_get(e, "version"), "kustomize helmCharts");
	}
}

static void application(struct ctx *c, const struct gg_argo_app *app)
{
	size_t i;

	for (i = 0; i < app->nsources; i++) {
		const struct gg_argo_source *s = &app->sources[i];
		const struct gg_ynode *helm = gg_ynode_get(s->node, "helm");

		if (s->chart)
			chart(c, s->chart,
			      gg_ynode_get(s->node, "targetRevision"),
			      "Application targetRevision");
		helm_parameters(c, gg_ynode_get(helm, "parameters"),
				"Application helm.parameters");
		values(c, gg_ynode_get(helm, "valuesObject"),
		       "Application helm.valuesObject");
		image_strings(c, gg_ynode_path(s->node, "kustomize.images"),
			      "Application kustomize.images");
	}
}

static void ocirepository(struct ctx *c, const struct gg_object *o)
{
	const struct gg_ynode *ref = gg_ynode_path(o->root, "spec.ref");
	const struct gg_ynode *dg = gg_ynode_get(ref, "digest");
	const struct gg_ynode *tag = gg_ynode_get(ref, "tag");
	struct gg_version v = { GG_VERSION_OCI,
				o->u.ocirepo.url,
				NULL,
				o->u.ocirepo.digest,
				0,
				"OCIRepository ref" };

	v.tag = o->u.ocirepo.tag ? o->u.ocirepo.tag : o->u.ocirepo.semver;
	if (!v.tag)
		tag = gg_ynode_get(ref, "semver");
	v.line = v.digest ? dg->line : tag ? tag->line : o->line;
	gg_versions_add(c->out, &v);
}

static int is_flux_helmchart(const struct gg_object *o)
{
	return o->kind_name && !strcmp(o->kind_name, "HelmChart") &&
	       o->api_version &&
	       !strncmp(o->api_version, "source.toolkit.fluxcd.io/", 25);
}

static void object(struct ctx *c, const struct gg_object *o)
{
	switch (o->kind) {
	case GG_KIND_NOT_OBJECT: values(c, o->root, "Helm values"); return;
	case GG_KIND_KUSTOMIZATION:
		kustomize_images(c, o->u.kustomize.images, "kustomize images");
		helm_charts(c, o->u.kustomize.helm_charts);
		return;
	case GG_KIND_HELMRELEASE:
		chart(c, o->u.hr.chart,
		      gg_ynode_path(o->root, "spec.chart.spec.version"),
		      "HelmRelease chart");
		values(c, o->u.hr.values, "HelmRelease values");
		return;
	case GG_KIND_OCIREPOSITORY: ocirepository(c, o); return;
	case GG_KIND_APPLICATION: application(c, &o->u.app); return;
	case GG_KIND_FLUX_KUSTOMIZATION:
		kustomize_images(c, o->u.ks.images, "Kustomization images");
		return;
	default: break;
	}
	if (is_flux_helmchart(o))
		chart(c, gg_ynode_text(gg_ynode_path(o->root, "spec.chart")),
		      gg_ynode_path(o->root, "spec.version"), "HelmChart");
	containers(c, o->root, 0);
}

static int is_argocd_source(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return !strncmp(base, ".argocd-source", 14);
}

void gg_versions_add_file(struct gg_versions *out,
			  const struct gg_objects *objs, const char *path,
			  const struct gg_version_opts *opts)
{
	struct ctx c = { out, opts };
	size_t i;

	if (!objs || objs->sops_file)
		return;
	for (i = 0; i < objs->nr; i++) {
		const struct gg_object *o = &objs->v[i];

		if (!o->root)
			continue;
		if (is_argocd_source(path)) {
			image_strings(
				&c, gg_ynode_path(o->root, "kustomize.images"),
				".argocd-source kustomize.images");
			helm_parameters(
				&c, gg_ynode_path(o->root, "helm.parameters"),
				".argocd-source helm.parameters");
			continue;
		}
		object(&c, o);
	}
}
