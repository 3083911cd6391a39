/*
 * Resolving the apps of a tree from its definitions and the policy, and
 * answering which apps a path belongs to.  ApplicationSet expansion
 * lives in appindex-appset.c.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include "appindex.h"
#include "appindex-internal.h"
#include "buf.h"
#include "envs.h"
#include "glob.h"
#include "push.h"
#include "semver.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_KUSTOMIZE_DEPTH 32

const char *gg_controller_name(enum gg_controller c)
{
	return c == GG_CTRL_FLUX ? "Flux" : "Argo CD";
}

/* --- repository URLs ------------------------------------------------------ */

/* The path part of a URL without a trailing "/" or ".git":
 * https://host/org/deploy.git/ -> org/deploy,
 * git@host:org/deploy -> org/deploy */
static void url_path(struct gg_buf *out, const char *url)
{
	const char *p = strstr(url, "://"), *colon, *slash;
	size_t n;

	if (p) {
		p = strchr(p + 3, '/');
		p = p ? p + 1 : "";
	} else {
		/* scp-like git@host:org/deploy.git, else a plain path */
		colon = strchr(url, ':');
		slash = strchr(url, '/');
		p = colon && (!slash || colon < slash) ? colon + 1 : url;
	}
	gg_buf_adds(out, p);
	n = out->len;
	while (n && out->buf[n - 1] == '/')
		n--;
	if (n >= 4 && !strncasecmp(out->buf + n - 4, ".git", 4))
		n -= 4;
	while (n && out->buf[n - 1] == '/')
		n--;
	gg_buf_setlen(out, n);
}

/* The host of a URL without user and port, lowercase: git.example.com
 * of https://u@git.example.com:443/org/x and of git@git.example.com:x;
 * empty for a plain path or file:///. */
static void url_host(struct gg_buf *out, const char *url)
{
	const char *p = strstr(url, "://"), *end, *at, *colon;

	if (p) {
		p += 3;
		end = p + strcspn(p, "/");
	} else {
		colon = strchr(url, ':');
		end = strchr(url, '/');
		if (!colon || (end && end < colon))
			return; /* a plain path */
		p = url;
		end = colon;
	}
	for (at = p; at < end; at++)
		if (*at == '@')
			p = at + 1;
	for (; p < end && *p != ':'; p++) /* up to a port */
		gg_buf_addch(out, tolower((unsigned char)*p));
}

static int urls_equal(const char *a, const char *b)
{
	struct gg_buf pa = GG_BUF_INIT, pb = GG_BUF_INIT;
	int r;

	url_path(&pa, a);
	url_path(&pb, b);
	r = !strcasecmp(pa.buf, pb.buf);
	/* the same path on another server is another repository; https,
	 * ssh:// and scp-like forms of one server are the same */
	gg_buf_reset(&pa);
	gg_buf_reset(&pb);
	url_host(&pa, a);
	url_host(&pb, b);
	if (r && pa.len && pb.len)
		r = !strcmp(pa.buf, pb.buf);
	gg_buf_release(&pa);
	gg_buf_release(&pb);
	return r;
}

int gg_repo_url_matches(const char *url, const struct gg_strvec *repo_urls,
			const char *repo_name)
{
	struct gg_buf p = GG_BUF_INIT;
	const char *last;
	size_t i;
	int r;

	if (!url || !*url)
		return 0;
	for (i = 0; i < repo_urls->nr; i++)
		if (urls_equal(url, repo_urls->v[i]))
			return 1;
	if (!repo_name)
		return 0;
	url_path(&p, url);
	last = strrchr(p.buf, '/');
	last = last ? last + 1 : p.buf;
	r = *last && !strcasecmp(last, repo_name);
	gg_buf_release(&p);
	return r;
}

int gg_gitrepo_is_ours(const struct gg_def_gitrepo *r,
		       const struct gg_strvec *repo_urls, const char *repo_name)
{
	return (r->name && !strcmp(r->name, "flux-system")) ||
	       gg_repo_url_matches(r->url, repo_urls, repo_name);
}

/* --- revisions ------------------------------------------------------------ */

static int is_commit_id(const char *s)
{
	size_t n = strlen(s), i;

	if (n != 40 && n != 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

void gg_appindex__follow(struct gg_app *app, struct gg_arena *a,
			 const char *rev, const char *tag_prefix)
{
	app->tag_prefix = tag_prefix && *tag_prefix
				  ? gg_arena_strdup(a, tag_prefix)
				  : NULL;
	app->revision = NULL;
	app->follows = GG_FOLLOW_HEAD;
	if (!rev || !*rev || !strcmp(rev, "HEAD"))
		return;
	/* Argo CD reads a range among the tags (versions.MaxVersion); a
	 * plain version ("1.0", "v1.2.3") names a ref */
	if (is_commit_id(rev))
		app->follows = GG_FOLLOW_COMMIT;
	else if (gg_semver_is_range(rev))
		app->follows = GG_FOLLOW_RANGE;
	else
		app->follows = GG_FOLLOW_NAME;
	if (app->follows == GG_FOLLOW_NAME && !strncmp(rev, "refs/heads/", 11))
		rev += 11;
	app->revision = gg_arena_strdup(a, rev);
}

void gg_gitrepo_follow(struct gg_app *out, const struct gg_def_gitrepo *r)
{
	memset(out, 0, sizeof(*out));
	out->controller = GG_CTRL_FLUX;
	out->follows = GG_FOLLOW_HEAD;
	if (!r)
		return;
	/* defs.c kept the field that wins: name > semver > tag > branch */
	if (r->refname) {
		out->follows = GG_FOLLOW_REF;
		out->revision = r->refname;
	} else if (r->semver) {
		out->follows = GG_FOLLOW_RANGE;
		out->revision = r->semver;
	} else if (r->tag) {
		out->follows = GG_FOLLOW_TAG;
		out->revision = r->tag;
	} else if (r->branch) {
		out->follows = GG_FOLLOW_BRANCH;
		out->revision = r->branch;
	} else {
		out->follows = GG_FOLLOW_COMMIT;
	}
}

/* An Argo CD revision that is not a range or a commit: the branch or
 * tag of that name (a full ref name exactly); with tagPrefix, Argo CD
 * takes the tag prefix + name where there is one. */
static int tracks_name(const struct gg_app *app, const char *ref,
		       const char *branch, const char *tag)
{
	const char *rev = app->revision;
	size_t n = app->tag_prefix ? strlen(app->tag_prefix) : 0;

	if (!strncmp(rev, "refs/", 5))
		return !strcmp(ref, rev);
	if ((branch && !strcmp(branch, rev)) || (tag && !strcmp(tag, rev)))
		return 1;
	return n && tag && !strncmp(tag, app->tag_prefix, n) &&
	       !strcmp(tag + n, rev);
}

int gg_app_tracks(const struct gg_app *app, const char *ref,
		  const char *default_branch)
{
	const char *rev = app->revision;
	const char *branch = gg_ref_branch_name(ref);
	const char *tag = !strncmp(ref, "refs/tags/", 10) ? ref + 10 : NULL;

	if (app->follows == GG_FOLLOW_HEAD)
		return default_branch && branch &&
		       !strcmp(branch, default_branch);
	if (!rev)
		return 0;
	switch (app->follows) {
	case GG_FOLLOW_NAME: return tracks_name(app, ref, branch, tag);
	case GG_FOLLOW_BRANCH: return branch && !strcmp(branch, rev);
	case GG_FOLLOW_TAG: return tag && !strcmp(tag, rev);
	case GG_FOLLOW_REF: return !strcmp(ref, rev);
	case GG_FOLLOW_RANGE:
		if (tag && gg_semver_tag_in(rev, app->tag_prefix, tag, NULL))
			return 1;
		/* Argo CD resolves the name when no tag is in the range
		 * ("x-feature" parses as a range) */
		return app->controller == GG_CTRL_ARGOCD &&
		       tracks_name(app, ref, branch, tag);
	default: return 0;
	}
}

const char *gg_follow_name(enum gg_follow f)
{
	static const char *const names[] = { "head", "name",   "branch", "tag",
					     "ref",  "semver", "commit" };

	return (unsigned)f < sizeof(names) / sizeof(names[0]) ? names[f] : "?";
}

void gg_app_revision_text(struct gg_buf *out, const struct gg_app *app)
{
	const char *rev = app->revision;

	switch (app->follows) {
	case GG_FOLLOW_HEAD: gg_buf_adds(out, "HEAD"); return;
	case GG_FOLLOW_TAG: gg_buf_addf(out, "refs/tags/%s", rev); return;
	case GG_FOLLOW_RANGE: gg_buf_addf(out, "semver:%s", rev); break;
	case GG_FOLLOW_COMMIT:
		gg_buf_addf(out, "%s(pinned)", rev ? rev : "commit");
		return;
	default: gg_buf_adds(out, rev ? rev : "?"); break;
	}
	if (app->tag_prefix)
		gg_buf_addf(out, " tagPrefix:%s", app->tag_prefix);
}

/* --- adding apps ---------------------------------------------------------- */

const char *gg_appindex__norm_path(struct gg_arena *a, const char *path)
{
	struct gg_buf b = GG_BUF_INIT;
	const char *seg = path ? path : "", *r;

	while (*seg) {
		size_t n = strcspn(seg, "/");

		if (n == 2 && !strncmp(seg, "..", 2)) {
			char *slash = strrchr(b.buf, '/');

			gg_buf_setlen(&b, slash ? (size_t)(slash - b.buf) : 0);
		} else if (n && !(n == 1 && *seg == '.')) {
			if (b.len)
				gg_buf_addch(&b, '/');
			gg_buf_add(&b, seg, n);
		}
		seg += n + (seg[n] == '/');
	}
	r = gg_arena_strdup(a, b.buf);
	gg_buf_release(&b);
	return r;
}

int gg_appindex__outside(const char *path)
{
	const char *seg = path;
	long depth = 0;

	if (*path == '/')
		return 1;
	while (*seg) {
		size_t n = strcspn(seg, "/");

		if (n == 2 && !strncmp(seg, "..", 2)) {
			if (--depth < 0)
				return 1;
		} else if (n && !(n == 1 && *seg == '.')) {
			depth++;
		}
		seg += n + (seg[n] == '/');
	}
	return 0;
}

struct gg_app *gg_appindex__add(struct gg_appindex *idx)
{
	struct gg_app *app;

	GG_ALLOC_GROW(idx->apps, idx->napps + 1, idx->apps_alloc);
	app = &idx->apps[idx->napps++];
	memset(app, 0, sizeof(*app));
	app->tier = -1;
	return app;
}

void gg_appindex__note(struct gg_appindex *idx, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	gg_strvec_push(&idx->notes, msg);
}

const char *gg_appindex__strf(struct gg_arena *a, const char *fmt, ...)
{
	char *s, *r;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = gg_xmalloc((size_t)(n < 0 ? 0 : n) + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	va_end(ap);
	r = gg_arena_strdup(a, s);
	free(s);
	return r;
}

/* Settings shared by Applications and generated Applications. */
void gg_appindex__argo_settings(struct gg_app *app, struct gg_arena *a,
				const struct gg_def_app *d)
{
	int autosync = d->automated > 0 && d->enabled != GG_FALSE;

	app->controller = GG_CTRL_ARGOCD;
	app->auto_sync = autosync;
	app->prune = autosync && d->prune == GG_TRUE;
	app->self_heal = autosync && d->self_heal == GG_TRUE;
	app->allow_empty = d->allow_empty == GG_TRUE;
	app->project = d->project && *d->project
			       ? gg_arena_strdup(a, d->project)
			       : "default";
	app->dest_server =
		d->dest_server ? gg_arena_strdup(a, d->dest_server) : NULL;
	if (!app->dest_server && d->dest_name)
		app->dest_server = gg_arena_strdup(a, d->dest_name);
	app->dest_namespace = d->dest_namespace
				      ? gg_arena_strdup(a, d->dest_namespace)
				      : NULL;
	app->cascade = d->cascade;
	app->suspended = d->skip_reconcile;
}

void gg_appindex__argo_source(struct gg_app *app, struct gg_arena *a,
			      const struct gg_def_source *s)
{
	app->root = gg_appindex__norm_path(a, s->path);
	gg_appindex__follow(app, a, s->revision, s->tag_prefix);
	app->recurse = s->recurse == GG_TRUE;
	app->include = s->include ? gg_arena_strdup(a, s->include) : NULL;
	app->exclude = s->exclude ? gg_arena_strdup(a, s->exclude) : NULL;
}

static void from_applications(struct gg_appindex *idx,
			      const struct gg_index_input *in,
			      const struct gg_def_file *f)
{
	size_t i, j;

	for (i = 0; i < f->napps; i++) {
		const struct gg_def_app *d = &f->apps[i];
		size_t ours = 0;

		for (j = 0; j < d->nsources; j++) {
			const struct gg_def_source *s = &d->sources[j];
			struct gg_app *app;

			if (!s->path || s->chart ||
			    !gg_repo_url_matches(
				    s->repo_url, &in->policy->repo_urls,
				    gg_policy_repo_name(in->policy,
							in->repo_name)))
				continue;
			if (gg_appindex__outside(s->path)) {
				gg_appindex__note(idx,
						  "Application '%s': path '%s' "
						  "is outside the repository; "
						  "Argo CD refuses it",
						  d->name ? d->name : "?",
						  s->path);
				continue;
			}
			app = gg_appindex__add(idx);
			app->origin = GG_ORIGIN_APPLICATION;
			/* a second source of ours: "name#2" */
			app->name =
				ours++ ? gg_appindex__strf(
						 &idx->arena, "%s#%zu",
						 d->name ? d->name : "?", ours)
				       : gg_arena_strdup(&idx->arena,
							 d->name ? d->name
								 : "?");
			gg_appindex__argo_settings(app, &idx->arena, d);
			gg_appindex__argo_source(app, &idx->arena, s);
			app->defined_in = f->path;
			app->line = d->line;
		}
	}
}

static void from_flux(struct gg_appindex *idx, const struct gg_index_input *in,
		      const struct gg_defs *defs, const struct gg_def_file *f)
{
	size_t i;

	for (i = 0; i < f->nkss; i++) {
		const struct gg_def_ks *k = &f->kss[i];
		const struct gg_def_gitrepo *repo = NULL;
		const char *ns = k->source_namespace ? k->source_namespace
						     : k->namespace_;
		struct gg_app *app, follow;

		if (k->source_kind && strcmp(k->source_kind, "GitRepository"))
			continue; /* OCIRepository, Bucket: elsewhere */
		if (k->source_name)
			repo = gg_defs_gitrepo(defs, k->source_name, ns);
		/* bootstrap's flux-system GitRepository is this repository */
		if (repo && strcmp(repo->name, "flux-system") &&
		    !gg_repo_url_matches(
			    repo->url, &in->policy->repo_urls,
			    gg_policy_repo_name(in->policy, in->repo_name)))
			continue;
		app = gg_appindex__add(idx);
		app->origin = GG_ORIGIN_FLUX;
		app->controller = GG_CTRL_FLUX;
		app->name =
			gg_arena_strdup(&idx->arena, k->name ? k->name : "?");
		app->root = gg_appindex__norm_path(&idx->arena, k->path);
		app->recurse = 1;
		gg_gitrepo_follow(&follow, repo);
		app->follows = follow.follows;
		app->revision =
			follow.revision
				? gg_arena_strdup(&idx->arena, follow.revision)
				: NULL;
		app->ignore =
			repo && repo->ignore
				? gg_arena_strdup(&idx->arena, repo->ignore)
				: NULL;
		app->suspended = k->suspend == GG_TRUE;
		app->auto_sync = !app->suspended;
		app->self_heal = !app->suspended;
		app->prune = k->prune == GG_TRUE;
		app->target_namespace =
			k->target_namespace
				? gg_arena_strdup(&idx->arena,
						  k->target_namespace)
				: NULL;
		app->service_account =
			k->service_account ? gg_arena_strdup(&idx->arena,
							     k->service_account)
					   : NULL;
		app->cascade = k->deletion_policy
				       ? strcmp(k->deletion_policy, "Orphan") &&
						 (k->prune == GG_TRUE ||
						  strcmp(k->deletion_policy,
							 "MirrorPrune"))
				       : k->prune == GG_TRUE;
		app->defined_in = f->path;
		app->line = k->line;
	}
}

/* The tier of an environment the policy names: its index among the
 * policy's environments, else the built-in tier of that name. */
static int tier_named(const struct gg_policy *p, const char *name)
{
	struct gg_env env;
	size_t i;

	if (p->envs_set) {
		for (i = 0; i < p->nenvs; i++)
			if (!strcmp(p->envs[i].name, name))
				return (int)i;
		return -1;
	}
	gg_env_of_path(&env, p, name, 1);
	return env.tier;
}

static void from_policy(struct gg_appindex *idx, const struct gg_policy *p)
{
	size_t i;

	for (i = 0; i < p->napps; i++) {
		const struct gg_policy_app *pa = &p->apps[i];
		struct gg_app *app = gg_appindex__add(idx);

		app->origin = GG_ORIGIN_POLICY;
		app->controller = !strcmp(pa->controller, "flux")
					  ? GG_CTRL_FLUX
					  : GG_CTRL_ARGOCD;
		app->name = pa->name;
		app->root = gg_appindex__norm_path(&idx->arena, pa->path);
		gg_appindex__follow(app, &idx->arena, pa->branch, NULL);
		app->recurse = app->controller == GG_CTRL_FLUX ||
			       pa->recurse == GG_TRUE;
		app->auto_sync =
			pa->auto_sync == GG_TRUE ||
			(pa->auto_sync < 0 && app->controller == GG_CTRL_FLUX);
		app->prune = app->auto_sync && pa->prune == GG_TRUE;
		app->self_heal = app->auto_sync && pa->self_heal == GG_TRUE;
		app->allow_empty = pa->allow_empty == GG_TRUE;
		/* Flux has no projects; Argo CD's empty project is default */
		app->project = pa->project;
		if (!app->project && app->controller == GG_CTRL_ARGOCD)
			app->project = "default";
		app->dest_namespace = pa->namespace_;
		app->cascade = 0; /* its definition lives elsewhere */
		app->defined_in = "policy";
		if (pa->environment) {
			app->environment = pa->environment;
			app->tier = tier_named(p, pa->environment);
			app->env_declared =
				gg_policy_may_loosen(p, pa->layer, "apps") ? 1
									   : -1;
		}
	}
}

/* --- tools, environments, footprints -------------------------------------- */

static void add_print(struct gg_appindex *idx, const char *path, size_t app,
		      int recursive)
{
	struct gg_footprint *fp;

	GG_ALLOC_GROW(idx->prints, idx->nprints + 1, idx->prints_alloc);
	fp = &idx->prints[idx->nprints++];
	fp->path = path;
	fp->app = app;
	fp->recursive = recursive;
}

/* Everything a kustomization reaches, depth-first, each directory once. */
static void kustomize_prints(struct gg_appindex *idx,
			     const struct gg_defs *defs, size_t app,
			     const char *dir, struct gg_strvec *seen, int depth)
{
	const struct gg_kfile *k = gg_defs_kfile(defs, dir);
	size_t i;

	if (!k || depth > MAX_KUSTOMIZE_DEPTH || gg_strvec_find(seen, dir) >= 0)
		return;
	gg_strvec_push(seen, dir);
	add_print(idx, k->dir, app, 1);
	for (i = 0; i < k->nresources; i++) {
		if (gg_defs_kfile(defs, k->resources[i]))
			kustomize_prints(idx, defs, app, k->resources[i], seen,
					 depth + 1);
		else
			add_print(idx, k->resources[i], app, 0);
	}
	for (i = 0; i < k->nothers; i++)
		add_print(idx, k->others[i], app, 0);
}

static void finish_app(struct gg_appindex *idx, const struct gg_index_input *in,
		       size_t i)
{
	struct gg_app *app = &idx->apps[i];
	struct gg_strvec seen = GG_STRVEC_INIT;
	struct gg_env env;

	if (gg_defs_kfile(in->content, app->root))
		app->tool = GG_TOOL_KUSTOMIZE;
	else if (app->controller == GG_CTRL_ARGOCD &&
		 gg_defs_has_chart(in->content, app->root))
		app->tool = GG_TOOL_HELM; /* Flux never runs helm on a path */
	else
		app->tool = GG_TOOL_DIRECTORY;
	if (!app->environment) { /* the policy's apps may name theirs */
		gg_env_of_path(&env, in->policy, app->root, 1);
		if (env.tier >= 0) {
			app->tier = env.tier;
			app->environment =
				gg_arena_strdup(&idx->arena, env.name);
		}
	}
	if (app->tool == GG_TOOL_KUSTOMIZE)
		kustomize_prints(idx, in->content, i, app->root, &seen, 0);
	else
		add_print(idx, app->root, i,
			  app->tool != GG_TOOL_DIRECTORY || app->recurse);
	gg_strvec_release(&seen);
}

static int cmp_print(const void *a, const void *b)
{
	const struct gg_footprint *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	return x->app < y->app ? -1 : x->app > y->app;
}

/* Drop apps of layer `from` on that an earlier layer already has; with
 * `ref`, one that only the later layer's definition tracks replaces the
 * earlier one. */
static void dedupe(struct gg_appindex *idx, size_t from, const char *ref,
		   const char *default_branch)
{
	size_t i, j, k = from;

	for (i = from; i < idx->napps; i++) {
		struct gg_app *a = &idx->apps[i], *dup = NULL;

		for (j = 0; j < from && !dup; j++)
			if (idx->apps[j].controller == a->controller &&
			    !strcmp(idx->apps[j].name, a->name))
				dup = &idx->apps[j];
		if (!dup)
			idx->apps[k++] = *a;
		else if (ref && gg_app_tracks(a, ref, default_branch) &&
			 !gg_app_tracks(dup, ref, default_branch))
			*dup = *a;
	}
	idx->napps = k;
}

static int from_layer(struct gg_appindex *idx, const struct gg_index_input *in,
		      const struct gg_index_layer *layer)
{
	size_t i;
	int err = 0;

	for (i = 0; i < layer->defs->nfiles && !err; i++) {
		const struct gg_def_file *f = &layer->defs->files[i];

		if (f->kinds & GG_DEF_APPLICATION)
			from_applications(idx, in, f);
		if (f->kinds & GG_DEF_FLUX_KS)
			from_flux(idx, in, layer->defs, f);
		if ((f->kinds & GG_DEF_APPSET) && layer->tree)
			err = gg_appindex__appsets(idx, in, layer, f);
	}
	return err;
}

int gg_appindex_build(struct gg_appindex **out, const struct gg_index_input *in)
{
	struct gg_appindex *idx = gg_xcalloc(1, sizeof(*idx));
	size_t i, start;
	int err = 0;

	gg_arena_init(&idx->arena);
	gg_strvec_init(&idx->notes);
	for (i = 0; i < in->nlayers && !err; i++) {
		start = idx->napps;
		err = from_layer(idx, in, &in->layers[i]);
		if (i)
			dedupe(idx, start, in->ref, in->default_branch);
	}
	if (!err) {
		start = idx->napps;
		from_policy(idx, in->policy);
		dedupe(idx, start, NULL, NULL);
	}
	for (i = 0; !err && i < idx->napps; i++)
		finish_app(idx, in, i);
	if (idx->nprints > 1)
		qsort(idx->prints, idx->nprints, sizeof(*idx->prints),
		      cmp_print);
	if (err) {
		gg_appindex_free(idx);
		idx = NULL;
	}
	*out = idx;
	return err;
}

void gg_appindex_free(struct gg_appindex *idx)
{
	if (!idx)
		return;
	free(idx->apps);
	free(idx->prints);
	gg_strvec_release(&idx->notes);
	gg_arena_release(&idx->arena);
	if (idx->map)
		munmap(idx->map, idx->map_len);
	free(idx);
}

/* --- queries -------------------------------------------------------------- */

static size_t first_print(const struct gg_appindex *idx, const char *path,
			  size_t len)
{
	size_t lo = 0, hi = idx->nprints;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(idx->prints[mid].path, path, len);

		if (!c && idx->prints[mid].path[len])
			c = 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void add_owner(size_t **out, size_t *n, size_t *alloc, size_t app,
		      size_t *added)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*out)[i] == app)
			return;
	GG_ALLOC_GROW(*out, *n + 1, *alloc);
	(*out)[(*n)++] = app;
	(*added)++;
}

size_t gg_appindex_owners(const struct gg_appindex *idx, const char *path,
			  size_t **out, size_t *nout, size_t *alloc)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) : 0;
	size_t full = strlen(path), len = 0, added = 0, i;

	/* every prefix that ends at a segment: "", "a", "a/b", ..., the path */
	for (;;) {
		for (i = first_print(idx, path, len); i < idx->nprints; i++) {
			const struct gg_footprint *fp = &idx->prints[i];

			if (strncmp(fp->path, path, len) || fp->path[len])
				break;
			/* a flat directory holds its own files only */
			if (fp->recursive || len == dirlen || len == full)
				add_owner(out, nout, alloc, fp->app, &added);
		}
		if (len == full)
			break;
		len = len ? len + 1 : 0;
		while (len < full && path[len] != '/')
			len++;
	}
	return added;
}

const struct gg_app *gg_appindex_find(const struct gg_appindex *idx,
				      enum gg_controller ctrl, const char *name)
{
	size_t i;

	for (i = 0; i < idx->napps; i++)
		if (idx->apps[i].controller == ctrl &&
		    !strcmp(idx->apps[i].name, name))
			return &idx->apps[i];
	return NULL;
}
