/*
 * prune/unscoped and project/unscoped: how far an automatic deletion can
 * reach.  prune/unscoped judges the apps of the ref after the push (the
 * app index, with the AppProjects of the tree) and reports an app whose
 * auto-prune now covers a broad scope when that was not so before the
 * push; project/unscoped reports AppProjects that a push creates or
 * widens with wildcards (gitops-semantics.md 1.3, 1.4, 3, 4.1, 8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appindex.h"
#include "buf.h"
#include "check.h"
#include "defs.h"
#include "model.h"
#include "syncstate.h"
#include "xalloc.h"
#include "banned.h"

static const struct gg_param_spec no_params[] = { { NULL, 0, 0, NULL, NULL } };

static const struct gg_rule_info rules[] = {
	{ "prune/unscoped", GG_SEV_BLOCK,
	  "leaves auto-prune on for an app whose scope is broad",
	  "After the push an app of this repository prunes automatically "
	  "(Argo CD automated sync with prune: true and no skip-reconcile; a "
	  "Flux Kustomization with prune: true that is not suspended) and its "
	  "scope is broad.  For Argo CD any of: its source path is the "
	  "repository root; its project is empty or 'default' and the "
	  "repository does not define a restricted 'default' AppProject, or "
	  "an AppProject the repository defines allows '*' in sourceRepos and "
	  "in a destination, or the project is templated; its destination "
	  "namespace is empty or '*' while its project allows cluster-scoped "
	  "kinds (Argo CD checks every object's namespace against the "
	  "project's destinations, so the namespace widens nothing else).  "
	  "For Flux: path './' or the root with neither "
	  "targetNamespace nor serviceAccountName (the controller then acts "
	  "with its own cluster-wide rights).  One wrong commit then deletes "
	  "live resources across everything the app reaches.  The rule fires "
	  "when the push makes it so: a new app, auto-prune switched on, or a "
	  "new reason (a path, project, AppProject or namespace change); an "
	  "app that was already as broad before the push is not reported "
	  "again.  ApplicationSets count through the apps they generate, "
	  "their templatePatch read conservatively.  A project that the "
	  "repository does not define is not judged (a note says so).",
	  no_params },
	{ "project/unscoped", GG_SEV_WARN,
	  "creates or widens an AppProject to wildcard repos, destinations or "
	  "cluster resources",
	  "An AppProject in the push allows, where the project of the same "
	  "name did not before (or did not exist): '*' in spec.sourceRepos "
	  "(any repository), a destination whose server, name or namespace "
	  "is '*' (any cluster or namespace), or {group: '*', kind: '*'} in "
	  "clusterResourceWhitelist (every cluster-scoped kind: Namespaces, "
	  "CRDs, ClusterRoles).  Deny entries ('!...') do not count.  Every "
	  "Application in such a project can deploy, and prune, that far; "
	  "prune/unscoped reports the auto-pruning apps it affects.",
	  no_params },
	{ NULL, 0, NULL, NULL, NULL }
};

enum reason {
	R_ROOT = (1 << 0),
	R_PROJECT = (1 << 1),
	R_NAMESPACE = (1 << 2),
	R_FLUX = (1 << 3)
};

enum project_state {
	P_NONE,	    /* not judged (Flux, or no auto-prune) */
	P_UNKNOWN,  /* not defined in the repository */
	P_SCOPED,   /* defined, without repo+destination wildcards */
	P_WIDE,	    /* defined with '*' repos and destinations */
	P_OPEN,	    /* 'default', not defined: unrestricted */
	P_TEMPLATED /* {{ }}: a generator picks it */
};

struct breadth {
	int prune;
	unsigned reasons;
	enum project_state project;
};

/* An AppProject of a side, judged once for all the apps in it. */
struct project {
	const struct gg_object *o;
	enum project_state state; /* P_SCOPED or P_WIDE */
	int cluster_kinds;
};

/* One side of the push: the index and where its AppProjects and
 * ApplicationSets are defined. */
struct side {
	const struct gg_appindex *idx;
	const struct gg_defs *defs[2];
	struct project *projects;
	size_t nprojects, alloc;
};

static void add_project(struct side *sd, const struct gg_object *o)
{
	struct project *p;
	unsigned wide = gg_project_wide(&o->u.project);

	GG_ALLOC_GROW(sd->projects, sd->nprojects + 1, sd->alloc);
	p = &sd->projects[sd->nprojects++];
	p->o = o;
	p->cluster_kinds = gg_project_cluster_kinds(&o->u.project);
	p->state = (wide & GG_WIDE_REPOS) && (wide & GG_WIDE_DESTS) ? P_WIDE
								    : P_SCOPED;
}

static int load_projects(struct side *sd, struct gg_manifests *m)
{
	size_t d, i, k;
	int err;

	for (d = 0; d < 2; d++) {
		for (i = 0; sd->defs[d] && i < sd->defs[d]->nfiles; i++) {
			const struct gg_def_file *f = &sd->defs[d]->files[i];
			const struct gg_objects *objs;

			if (!(f->kinds & GG_DEF_APPPROJECT))
				continue;
			if ((err = gg_model_get(&objs, m, &f->blob, f->path)) <
			    0)
				return err;
			for (k = 0; objs && k < objs->nr; k++) {
				if (objs->v[k].kind == GG_KIND_APPPROJECT &&
				    objs->v[k].name)
					add_project(sd, &objs->v[k]);
			}
		}
	}
	return 0;
}

static const struct project *find_project(const struct side *sd,
					  const char *name)
{
	size_t i;

	for (i = 0; i < sd->nprojects; i++)
		if (!strcmp(sd->projects[i].o->name, name))
			return &sd->projects[i];
	return NULL;
}

/* What a generated app's ApplicationSet may add through its
 * templatePatch, which the index does not apply. */
static unsigned appset_maybe(const struct side *sd, struct gg_manifests *m,
			     const struct gg_app *app)
{
	const struct gg_objects *objs = NULL;
	struct gg_sync_state st;
	size_t d, i;

	for (d = 0; d < 2 && !objs; d++) {
		const struct gg_def_file *f =
			sd->defs[d] ? gg_defs_file(sd->defs[d], app->defined_in)
				    : NULL;

		if (f && gg_model_get(&objs, m, &f->blob, f->path) < 0)
			return 0;
	}
	for (i = 0; objs && i < objs->nr; i++) {
		const struct gg_object *o = &objs->v[i];

		if (o->kind == GG_KIND_APPLICATIONSET && o->name &&
		    app->generator && !strcmp(o->name, app->generator)) {
			gg_sync_of_appset(&st, &o->u.appset);
			return st.maybe;
		}
	}
	return 0;
}

static enum project_state project_state(const struct side *sd, const char *name,
					int *cluster_kinds)
{
	const struct project *p;

	*cluster_kinds = 0;
	if (strstr(name, "{{"))
		return P_TEMPLATED;
	p = find_project(sd, name);
	if (!p) {
		*cluster_kinds = !strcmp(name, "default");
		return *cluster_kinds ? P_OPEN : P_UNKNOWN;
	}
	*cluster_kinds = p->cluster_kinds;
	return p->state;
}

static void breadth_of(struct breadth *out, const struct side *sd,
		       struct gg_manifests *m, const struct gg_app *app)
{
	const char *ns = app->dest_namespace;
	int cluster_kinds;

	memset(out, 0, sizeof(*out));
	out->prune = app->prune && !app->suspended;
	if (app->controller == GG_CTRL_FLUX) {
		if (out->prune && !*app->root && !app->target_namespace &&
		    !app->service_account)
			out->reasons = R_FLUX;
		return;
	}
	if (!out->prune && app->origin == GG_ORIGIN_APPSET && !app->suspended)
		out->prune = !!(appset_maybe(sd, m, app) & GG_SYNC_PRUNE);
	if (!out->prune)
		return;
	if (!*app->root)
		out->reasons |= R_ROOT;
	out->project = project_state(sd, app->project, &cluster_kinds);
	if (out->project == P_OPEN || out->project == P_WIDE ||
	    out->project == P_TEMPLATED)
		out->reasons |= R_PROJECT;
	if ((!ns || !*ns || !strcmp(ns, "*")) && cluster_kinds)
		out->reasons |= R_NAMESPACE;
}

/* --- reporting ------------------------------------------------------------ */

static void describe(struct gg_buf *b, const struct gg_app *app,
		     const struct breadth *br, unsigned reasons)
{
	const char *sep = "";

	if (reasons & R_ROOT) {
		gg_buf_adds(b, app->recurse
				       ? "its path is the repository "
					 "root, read recursively"
				       : "its path is the repository root");
		sep = "; ";
	}
	if (reasons & R_PROJECT) {
		gg_buf_adds(b, sep);
		if (br->project == P_TEMPLATED)
			gg_buf_adds(b, "its project is templated, so a "
				       "generator can pick any project, the "
				       "unrestricted 'default' too");
		else if (br->project == P_OPEN)
			gg_buf_adds(b, "its project 'default' is unrestricted "
				       "(the repository defines no AppProject "
				       "'default' that restricts it)");
		else
			gg_buf_addf(b,
				    "its project '%s' allows any source "
				    "repository and any destination",
				    app->project);
		sep = "; ";
	}
	if (reasons & R_NAMESPACE)
		gg_buf_addf(b,
			    "%sits destination namespace is %s while its "
			    "project allows cluster-scoped kinds",
			    sep,
			    app->dest_namespace && *app->dest_namespace
				    ? "'*'"
				    : "empty");
}

/* The apps of one ApplicationSet that are reported together. */
static void list_group(struct gg_buf *b, const struct gg_appindex *idx,
		       const size_t *hits, size_t nhits, size_t from,
		       size_t *count)
{
	const struct gg_app *first = &idx->apps[hits[from]];
	size_t i;

	*count = 0;
	for (i = from; i < nhits; i++) {
		const struct gg_app *a = &idx->apps[hits[i]];

		if (a->origin != GG_ORIGIN_APPSET ||
		    strcmp(a->defined_in, first->defined_in) ||
		    strcmp(a->generator ? a->generator : "",
			   first->generator ? first->generator : ""))
			continue;
		if (++*count <= 5)
			gg_buf_addf(b, "%s'%s'", *count > 1 ? ", " : "",
				    a->name);
	}
	if (*count > 5)
		gg_buf_addf(b, " and %zu more", *count - 5);
}

static void report_app(struct gg_check_run *run, const struct side *after,
		       const size_t *hits, size_t nhits, size_t h)
{
	const struct gg_app *app = &after->idx->apps[hits[h]];
	struct gg_report_spec spec = {
		"prune/unscoped", NULL, app->line, NULL, NULL, NULL, GG_SEV_OFF
	};
	struct gg_buf b = GG_BUF_INIT, names = GG_BUF_INIT;
	struct breadth br;
	size_t count = 1;

	breadth_of(&br, after, run->s->manifests, app);
	if (app->origin != GG_ORIGIN_POLICY)
		spec.path = app->defined_in;
	if (app->controller == GG_CTRL_FLUX) {
		spec.hint =
			"set spec.path to a directory below the root, or "
			"give it spec.targetNamespace or "
			"spec.serviceAccountName (an account with "
			"namespace-scoped rights), or set spec.prune: false";
		gg_check_report(
			run, &spec,
			"Flux Kustomization '%s' prunes the whole "
			"repository with neither targetNamespace nor "
			"serviceAccountName: with the controller's "
			"cluster-wide rights, whatever leaves Git "
			"anywhere in the repository is deleted from the "
			"cluster",
			app->name);
		return;
	}
	if (app->origin == GG_ORIGIN_APPSET)
		list_group(&names, after->idx, hits, nhits, h, &count);
	describe(&b, app, &br, br.reasons);
	spec.hint = "scope it: a source path below the repository root, an "
		    "AppProject with explicit sourceRepos and destinations, a "
		    "destination namespace; or turn automated.prune off";
	if (app->origin == GG_ORIGIN_APPSET)
		gg_check_report(run, &spec,
				"ApplicationSet '%s' generates %zu %s that "
				"auto-%s a broad scope (%s): %s; one wrong "
				"commit makes Argo CD delete live resources "
				"across all of it",
				app->generator ? app->generator : "?", count,
				count == 1 ? "app" : "apps",
				count == 1 ? "prunes" : "prune", names.buf,
				b.buf);
	else
		gg_check_report(run, &spec,
				"%s '%s' auto-prunes a broad scope: %s; one "
				"wrong commit makes Argo CD delete live "
				"resources across all of it",
				app->origin == GG_ORIGIN_POLICY
					? "the policy's app"
					: "Application",
				app->name, b.buf);
	gg_buf_release(&b);
	gg_buf_release(&names);
}

/* Was this group (an ApplicationSet's apps) reported already? */
static int grouped_before(const struct gg_appindex *idx, const size_t *hits,
			  size_t h)
{
	const struct gg_app *a = &idx->apps[hits[h]];
	size_t i;

	for (i = 0; a->origin == GG_ORIGIN_APPSET && i < h; i++) {
		const struct gg_app *b = &idx->apps[hits[i]];

		if (b->origin == GG_ORIGIN_APPSET &&
		    !strcmp(a->defined_in, b->defined_in) &&
		    !strcmp(a->generator ? a->generator : "",
			    b->generator ? b->generator : ""))
			return 1;
	}
	return 0;
}

/* --- prune/unscoped ------------------------------------------------------- */

static void note_unknown(struct gg_check_run *run, const struct gg_app *app,
			 struct gg_strvec *noted)
{
	if (gg_strvec_find(noted, app->project) >= 0)
		return;
	gg_strvec_push(noted, app->project);
	gg_check_note(run,
		      "prune/unscoped: project '%s' (app '%s') is not defined "
		      "in this repository; its scope was not judged",
		      app->project, app->name);
}

static void judge_apps(struct gg_check_run *run, const struct side *before,
		       const struct side *after)
{
	struct gg_manifests *m = run->s->manifests;
	struct gg_strvec noted = GG_STRVEC_INIT;
	size_t *hits = NULL, nhits = 0, alloc = 0, i;

	for (i = 0; i < after->idx->napps; i++) {
		const struct gg_app *app = &after->idx->apps[i], *old;
		struct breadth now, was;

		breadth_of(&now, after, m, app);
		if (now.prune && now.project == P_UNKNOWN)
			note_unknown(run, app, &noted);
		if (!now.prune || !now.reasons)
			continue;
		old = gg_appindex_find(before->idx, app->controller, app->name);
		if (old) {
			breadth_of(&was, before, m, old);
			if (was.prune && !(now.reasons & ~was.reasons))
				continue; /* as broad before the push */
		}
		GG_ALLOC_GROW(hits, nhits + 1, alloc);
		hits[nhits++] = i;
	}
	for (i = 0; i < nhits; i++)
		if (!grouped_before(after->idx, hits, i))
			report_app(run, after, hits, nhits, i);
	free(hits);
	gg_strvec_release(&noted);
}

/* --- project/unscoped ----------------------------------------------------- */

static void report_project(struct gg_check_run *run,
			   const struct gg_file_change *fc,
			   const struct gg_object *o, unsigned wide, int isnew)
{
	struct gg_report_spec spec = {
		"project/unscoped",
		fc->path,
		o->line,
		NULL,
		NULL,
		"list the repositories in spec.sourceRepos and the server and "
		"namespace pairs in spec.destinations; allow cluster-scoped "
		"kinds one by one in clusterResourceWhitelist",
		GG_SEV_OFF
	};
	const char *what[3], *reach[3];
	struct gg_buf b = GG_BUF_INIT, r = GG_BUF_INIT;
	size_t n = 0, i;

	if (wide & GG_WIDE_REPOS) {
		what[n] = "any source repository ('*' in sourceRepos)";
		reach[n++] = "manifests from any repository";
	}
	if (wide & GG_WIDE_DESTS) {
		what[n] = "any destination ('*' in destinations)";
		reach[n++] = "to any cluster or namespace";
	}
	if (wide & GG_WIDE_CLUSTER) {
		what[n] = "every cluster-scoped kind (group '*', kind '*')";
		reach[n++] = "including Namespaces, CRDs and ClusterRoles";
	}
	for (i = 0; i < n; i++) {
		gg_buf_addf(&b, "%s%s", i ? (i + 1 == n ? " and " : ", ") : "",
			    what[i]);
		gg_buf_addf(&r, "%s%s", i ? ", " : "", reach[i]);
	}
	gg_check_report(run, &spec,
			"AppProject '%s'%s allows %s: an Application in it can "
			"deploy %s, and auto-prune deletes as far",
			o->name ? o->name : "?", isnew ? " (new)" : " now",
			b.buf, r.buf);
	gg_buf_release(&b);
	gg_buf_release(&r);
}

/*
 * The AppProjects that the push creates or changes.  Only files that the
 * definitions after the push hold an AppProject in are parsed: their
 * text filter reads every file that names argoproj.io, or could through
 * an escape, so a push of thousands of other manifests parses none of
 * them here.
 */
static int judge_projects(struct gg_check_run *run, const struct gg_defs *base,
			  const struct gg_defs *after)
{
	const struct gg_refchange *rc = run->change;
	size_t i, k;
	int err = 0;

	for (i = 0; i < rc->nfiles && err >= 0; i++) {
		const struct gg_file_change *fc = &rc->files[i];
		const struct gg_objects *objs = NULL;
		const struct gg_def_file *def;

		if (fc->status == GG_DELTA_DELETED ||
		    fc->new_kind != GG_ENTRY_BLOB ||
		    !gg_path_is_manifest(fc->path) ||
		    !gg_oid_cmp(&fc->old_oid, &fc->new_oid) ||
		    !(def = gg_defs_file(after, fc->path)) ||
		    !(def->kinds & GG_DEF_APPPROJECT))
			continue;
		err = gg_model_get(&objs, run->s->manifests, &fc->new_oid,
				   fc->path);
		for (k = 0; err >= 0 && objs && k < objs->nr; k++) {
			const struct gg_object *o = &objs->v[k], *prev;
			unsigned wide, was = 0;

			if (o->kind != GG_KIND_APPPROJECT)
				continue;
			err = gg_find_previous(
				&prev, run->s->manifests,
				fc->status == GG_DELTA_MODIFIED &&
						fc->old_kind == GG_ENTRY_BLOB
					? &fc->old_oid
					: NULL,
				fc->path, base, o);
			wide = gg_project_wide(&o->u.project);
			if (prev)
				was = gg_project_wide(&prev->u.project);
			if (err >= 0 && (wide & ~was))
				report_project(run, fc, o, wide & ~was, !prev);
		}
	}
	return err;
}

/* --- the run -------------------------------------------------------------- */

static int run(struct gg_check_run *run)
{
	struct gg_session *s = run->s;
	const struct gg_refapps *ra;
	const struct gg_defs *base, *dflt = NULL;
	const struct gg_appindex *didx;
	struct gg_defs *owned = NULL;
	struct side before, after;
	int err;

	if (!run->change->has_new ||
	    (gg_policy_severity(&s->policy, "prune/unscoped") == GG_SEV_OFF &&
	     gg_policy_severity(&s->policy, "project/unscoped") == GG_SEV_OFF))
		return 0;
	if ((err = gg_check_apps(run, &ra)) < 0 ||
	    (err = gg_base_defs(&base, &owned, s, run->change, ra)) < 0 ||
	    (err = gg_session_default_index(s, &didx, &dflt)) < 0)
		goto out;
	if (gg_policy_severity(&s->policy, "project/unscoped") != GG_SEV_OFF &&
	    (err = judge_projects(run, base, ra->new_defs)) < 0)
		goto out;
	/* no definition changed: no app is newly broad */
	if (gg_policy_severity(&s->policy, "prune/unscoped") == GG_SEV_OFF ||
	    gg_refapps_unchanged(ra))
		goto out;
	memset(&before, 0, sizeof(before));
	memset(&after, 0, sizeof(after));
	before.idx = ra->before;
	before.defs[0] = base;
	after.idx = ra->after;
	after.defs[0] = ra->new_defs;
	/* another branch may use the default branch's AppProjects */
	if (!s->default_ref || strcmp(run->update->ref, s->default_ref))
		before.defs[1] = after.defs[1] = dflt;
	if ((err = load_projects(&before, s->manifests)) >= 0 &&
	    (err = load_projects(&after, s->manifests)) >= 0)
		judge_apps(run, &before, &after);
	free(before.projects);
	free(after.projects);
out:
	gg_defs_free(owned);
	return err < 0 ? err : 0;
}

const struct gg_check_kind gg_check_scope = { "scope", rules, run };
