/*
 * Deletion safety for apps: app/emptied, app/mass-deletion, and (in
 * deletion-cascade.c and deletion-protect.c) app/cascade-delete and
 * protect/annotation-removed.  Only the apps a changed path belongs to
 * are rendered, once before and once after the push, and objects are
 * compared by identity, so that a moved or renamed file deletes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "deletion-internal.h"
#include "xalloc.h"
#include "banned.h"

static const struct gg_param_spec no_params[] = { { NULL, 0, 0, NULL, NULL } };

static const struct gg_param_spec mass_params[] = {
	{ "max_deleted_fraction", GG_PARAM_NUMBER, GG_TIGHTER_LOWER, "0.5",
	  "fire when more than this share of an app's objects goes" },
	{ "min_deleted", GG_PARAM_INT, GG_TIGHTER_LOWER, "5",
	  "and only when at least this many of its objects go" },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct gg_rule_info rules[] = {
	{ "app/emptied", GG_SEV_CONFIRM,
	  "leaves an app path that rendered objects rendering none (all "
	  "files gone, kustomization resources emptied, include/exclude "
	  "excluding all, ignore rules hiding all)",
	  "An app that tracks the pushed ref (an Argo CD Application or "
	  "generated Application, a Flux Kustomization, or one of the "
	  "policy's apps) rendered objects before the push and renders none "
	  "after it: every manifest under its root deleted, a kustomization "
	  "whose resources, bases and components reach no object any more, "
	  "a directory include, exclude or recurse change that leaves "
	  "nothing, Flux spec.ignore or .sourceignore rules that hide "
	  "everything, or kustomization.yaml deleted so that the root becomes "
	  "a plain directory without manifests.  Flux has no empty-render "
	  "guard: a Kustomization with prune: true deletes every object it "
	  "applied.  Argo CD deletes everything when auto-sync, prune and "
	  "allowEmpty are all on; with allowEmpty off its auto-sync refuses "
	  "('auto-sync will wipe out all resources'), but a manual sync with "
	  "prune deletes everything; without prune the live resources stay, "
	  "unmanaged.  A root directory removed entirely is reported too: "
	  "Argo CD then reports a ComparisonError ('app path does not "
	  "exist') and Flux 'kustomization path not found', and neither "
	  "syncs nor prunes until the path returns.  The message says which "
	  "of these happens.  A render that cannot be built (a missing "
	  "kustomize reference, a loop) never counts as empty: the "
	  "controllers fail it too.  A file gitops-guard cannot read (over "
	  "limits.max_blob_bytes or a parse limit, not YAML) and a remote "
	  "base or Helm chart hold objects it cannot see: when every object "
	  "it can see goes and such a part is new, the rule fires with "
	  "'unless <part> provides them'; an app whose objects all came "
	  "from such a file and that renders nothing after the push is "
	  "emptied.  An app whose definition leaves Git in the "
	  "same push is left to app/cascade-delete when an app deploys that "
	  "definition; when none does, the live definition stays and is "
	  "judged here.  Confirm with the app's root path.",
	  no_params },
	{ "app/mass-deletion", GG_SEV_CONFIRM,
	  "removes more than max_deleted_fraction and at least min_deleted of "
	  "an app's objects",
	  "More than max_deleted_fraction and at least min_deleted of the "
	  "objects an app rendered before the push are missing after it.  "
	  "Objects are counted by identity (API group, kind, namespace and "
	  "name, after kustomize's namespace, namePrefix and nameSuffix), "
	  "not by file: renaming or splitting a file, or moving a manifest "
	  "inside the same app, removes nothing, while a namespace or "
	  "namePrefix change renames every object, which the controllers "
	  "carry out as a delete and a create.  Argo CD's allowEmpty guard "
	  "does not cover a partial deletion: an auto-pruning app deletes "
	  "the objects at its next sync, and one without auto-prune keeps "
	  "them live and OutOfSync until a sync with prune; Flux deletes them "
	  "when the Kustomization has prune: true.  An app that renders "
	  "nothing at all is app/emptied's.  Apps whose render after the "
	  "push cannot be built are not judged.  A file gitops-guard cannot "
	  "read and a remote part do not stop the rule: the objects it can "
	  "see are counted, the message adds 'unless <part> provides "
	  "them'.  Object names are taken as they are (RBAC's "
	  "system:controller counts); only documents without a name "
	  "(generateName) are not counted.  Confirm with the app's root "
	  "path.",
	  mass_params },
	{ "app/cascade-delete", GG_SEV_CONFIRM,
	  "removes or renames an Application, ApplicationSet, Flux "
	  "Kustomization or HelmRelease whose deletion cascades to live "
	  "resources",
	  "An Application, ApplicationSet, Flux Kustomization or HelmRelease "
	  "leaves what an app that tracks the pushed ref renders (its "
	  "manifest deleted, its kustomize entry removed, or the object "
	  "renamed, which Kubernetes carries out as a delete and a create), "
	  "that app prunes it, and its deletion cascades: an Application "
	  "with the resources-finalizer.argocd.argoproj.io finalizer (or its "
	  "/foreground or /background form) deletes every resource it "
	  "deployed; an ApplicationSet deletes its generated Applications, "
	  "which get that finalizer unless the template sets finalizers or "
	  "syncPolicy.preserveResourcesOnDeletion is true; a Flux "
	  "Kustomization with prune: true and deletionPolicy MirrorPrune (the "
	  "default), or with deletionPolicy Delete or WaitForTermination, "
	  "deletes everything it applied, and a HelmRelease is uninstalled, "
	  "both unless suspended.  "
	  "Argo CD's allowEmpty never covers this.  The message names the "
	  "app that prunes it and what goes: the child's root and object "
	  "count when it deploys from this repository.  Nothing fires when "
	  "no app deploys the manifest (deleting it from Git deletes "
	  "nothing), when the parent is a Flux Kustomization with prune "
	  "false, when the object is marked Prune=false or Prune=confirm "
	  "(Argo CD) or kustomize.toolkit.fluxcd.io/prune or reconcile: "
	  "disabled (Flux), "
	  "or when its deletion does not cascade.  An Argo CD parent without "
	  "auto-prune is reported as well: its next sync with prune deletes "
	  "the child.  Confirm with the path of the manifest that defined "
	  "the object.",
	  no_params },
	{ "protect/annotation-removed", GG_SEV_CONFIRM,
	  "drops a protective annotation from a resource that stays managed",
	  "A protection disappears from an object that an app tracking the "
	  "pushed ref still renders: argocd.argoproj.io/sync-options "
	  "Prune=false, Prune=confirm, Delete=false or Delete=confirm (in "
	  "Argo CD apps), the kustomize.toolkit.fluxcd.io/prune: disabled "
	  "annotation or label (in Flux apps), or helm.sh/resource-policy: "
	  "keep (in any app).  Without it the controller deletes the object "
	  "the next time it leaves Git or its app is deleted; these marks "
	  "guard Namespaces, PersistentVolumeClaims and "
	  "CustomResourceDefinitions whose deletion loses data.  The rule "
	  "also fires when a commit of the push drops the protection and a "
	  "later commit of the same push deletes the object: the live object "
	  "keeps its protection only as long as no controller syncs the "
	  "commit in between.  Deleting a protected object without dropping "
	  "the protection first is not reported, since the controllers read "
	  "the protection from the live object and keep it.  Nothing is "
	  "reported when a kustomization or patch of the app still names "
	  "the protection (commonAnnotations, patches), which gitops-guard "
	  "does not apply.  Confirm with the path of the file that holds the "
	  "object.",
	  no_params },
	{ NULL, 0, NULL, NULL, NULL }
};

const char *gg_del__root(const char *root)
{
	return *root ? root : ".";
}

/* --- which apps the push touches ------------------------------------------ */

struct key {
	enum gg_controller ctrl;
	const char *name;
};

struct keys {
	struct key *v;
	size_t nr, alloc;
};

static void add_key(struct keys *k, const struct gg_app *app)
{
	GG_ALLOC_GROW(k->v, k->nr + 1, k->alloc);
	k->v[k->nr].ctrl = app->controller;
	k->v[k->nr].name = app->name;
	k->nr++;
}

static int cmp_key(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->ctrl != y->ctrl)
		return x->ctrl < y->ctrl ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Apps owning `path`, and apps defined in it. */
static void keys_of_path(struct keys *k, const struct gg_appindex *idx,
			 const char *path, size_t **tmp, size_t *alloc)
{
	size_t n = 0, i;

	gg_appindex_owners(idx, path, tmp, &n, alloc);
	for (i = 0; i < n; i++)
		add_key(k, &idx->apps[(*tmp)[i]]);
}

/* A change that can hide files from Flux: a .sourceignore, or a file
 * defining a GitRepository (spec.ignore). */
static int flux_source_change(const struct gg_deletion *d, const char *path)
{
	const char *base = strrchr(path, '/');
	const struct gg_def_file *f;

	if (!strcmp(base ? base + 1 : path, ".sourceignore"))
		return 1;
	f = gg_defs_file(d->ra->old_defs, path);
	if (f && (f->kinds & GG_DEF_GITREPO))
		return 1;
	f = gg_defs_file(d->ra->new_defs, path);
	return f && (f->kinds & GG_DEF_GITREPO);
}

static void keys_of_definitions(struct keys *k, const struct gg_refchange *rc,
				const struct gg_appindex *idx, int flux_all)
{
	size_t i;

	for (i = 0; i < idx->napps; i++) {
		const struct gg_app *app = &idx->apps[i];

		if ((flux_all && app->controller == GG_CTRL_FLUX) ||
		    (app->origin != GG_ORIGIN_POLICY &&
		     gg_refchange_find(rc, app->defined_in)))
			add_key(k, app);
	}
}

static void collect_keys(struct keys *k, const struct gg_deletion *d)
{
	const struct gg_refchange *rc = d->run->change;
	size_t *tmp = NULL, alloc = 0, i, out;
	int flux_all = 0;
	/* the same index on both sides (the push cannot change it) gives
	 * the same keys twice: once is enough, they are made unique below */
	int same = d->ra->after == d->ra->before;

	for (i = 0; i < rc->nfiles; i++) {
		keys_of_path(k, d->ra->before, rc->files[i].path, &tmp, &alloc);
		if (!same)
			keys_of_path(k, d->ra->after, rc->files[i].path, &tmp,
				     &alloc);
		flux_all = flux_all || flux_source_change(d, rc->files[i].path);
	}
	keys_of_definitions(k, rc, d->ra->before, flux_all);
	if (!same)
		keys_of_definitions(k, rc, d->ra->after, flux_all);
	free(tmp);
	if (k->nr > 1)
		qsort(k->v, k->nr, sizeof(*k->v), cmp_key);
	for (i = out = 0; i < k->nr; i++)
		if (!out || cmp_key(&k->v[out - 1], &k->v[i]))
			k->v[out++] = k->v[i];
	k->nr = out;
}

/* Does an app that tracks the ref deploy the file defining `app`? */
static int deployed_by_app(const struct gg_deletion *d,
			   const struct gg_app *app)
{
	const struct gg_appindex *idx = d->ra->before;
	size_t *owners = NULL, n = 0, alloc = 0, i;
	int hit = 0;

	gg_appindex_owners(idx, app->defined_in, &owners, &n, &alloc);
	for (i = 0; i < n && !hit; i++)
		hit = gg_app_tracks(&idx->apps[owners[i]], d->run->update->ref,
				    d->dflt);
	free(owners);
	return hit;
}

/*
 * The definition that will be live after the push: the new one, or,
 * when the definition leaves Git and no app deploys it, the old one
 * (nothing removes it from the cluster).  0 when there is none to
 * judge: a new app, one that stops tracking the ref, a generated app
 * that disappears (appset/generator-shrink) or one that an app prunes
 * (app/cascade-delete).
 */
static int live_after(struct gg_del_pair *p, const struct gg_deletion *d,
		      const struct gg_app *after)
{
	const char *ref = d->run->update->ref;

	if (after) {
		p->after = *after;
		return gg_app_tracks(after, ref, d->dflt);
	}
	if (p->before->origin == GG_ORIGIN_APPSET ||
	    !gg_app_tracks(p->before, ref, d->dflt) ||
	    deployed_by_app(d, p->before))
		return 0;
	p->after = *p->before;
	p->live = 1;
	if (gg_defs_kfile(d->ra->new_defs, p->after.root))
		p->after.tool = GG_TOOL_KUSTOMIZE;
	else if (gg_defs_has_chart(d->ra->new_defs, p->after.root))
		p->after.tool = GG_TOOL_HELM;
	else
		p->after.tool = GG_TOOL_DIRECTORY;
	return 1;
}

int gg_del__counts(const struct gg_rendered *r, size_t i)
{
	/* a document without a name (generateName) has no identity that
	 * survives a move, and nothing prunes it by name; a name with a
	 * colon (RBAC's system:foo) is a name like any other */
	return (!i || strcmp(r->v[i - 1].id, r->v[i].id)) && !r->v[i].unnamed;
}

static size_t distinct(const struct gg_rendered *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nr; i++)
		n += gg_del__counts(r, i);
	return n;
}

static int render_pair(struct gg_deletion *d, struct gg_del_pair *p)
{
	struct gg_session *s = d->run->s;
	int err;

	err = gg_render(&p->old, s->repo, s->manifests, &d->ra->old_tree,
			d->ra->old_defs, p->before);
	if (!err)
		err = gg_render(&p->new_, s->repo, s->manifests,
				&d->ra->new_tree, d->ra->new_defs, &p->after);
	p->old_n = distinct(&p->old);
	p->new_n = distinct(&p->new_);
	/* a build error fails the whole app in both controllers: nothing
	 * is synced, nothing deleted.  Files gitops-guard cannot read and
	 * remote parts do not: the controllers apply them, and the rest of
	 * the app is judged without them. */
	p->judgeable =
		!p->new_.root_missing && !p->new_.errors && !p->new_.truncated;
	return err;
}

/*
 * An index's apps in the order of the keys, for many lookups: sorted by
 * controller and name, and among apps of the same name in index order,
 * so that the first one is found, as gg_appindex_find() finds it.  With
 * few keys (v NULL) the index is searched as it is.
 */
struct by_name {
	const struct gg_appindex *idx;
	const struct gg_app **v;
};

static int cmp_app(const void *a, const void *b)
{
	const struct gg_app *x = *(const struct gg_app *const *)a;
	const struct gg_app *y = *(const struct gg_app *const *)b;
	int c;

	if (x->controller != y->controller)
		return x->controller < y->controller ? -1 : 1;
	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return x < y ? -1 : x > y;
}

static void by_name_init(struct by_name *b, const struct gg_appindex *idx,
			 size_t nkeys)
{
	size_t i;

	b->idx = idx;
	b->v = NULL;
	if (nkeys <= 8 || idx->napps < 2)
		return;
	b->v = gg_xcalloc(idx->napps, sizeof(*b->v));
	for (i = 0; i < idx->napps; i++)
		b->v[i] = &idx->apps[i];
	qsort(b->v, idx->napps, sizeof(*b->v), cmp_app);
}

static const struct gg_app *by_name_find(const struct by_name *b,
					 const struct key *k)
{
	size_t lo = 0, hi = b->idx->napps, mid;
	int c;

	if (!b->v)
		return gg_appindex_find(b->idx, k->ctrl, k->name);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = b->v[mid]->controller != k->ctrl
			    ? (b->v[mid]->controller < k->ctrl ? -1 : 1)
			    : strcmp(b->v[mid]->name, k->name);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < b->idx->napps && b->v[lo]->controller == k->ctrl &&
	    !strcmp(b->v[lo]->name, k->name))
		return b->v[lo];
	return NULL;
}

static int collect_pairs(struct gg_deletion *d)
{
	struct keys k = { NULL, 0, 0 };
	struct by_name bn_before, bn_after;
	size_t i;
	int err = 0;

	collect_keys(&k, d);
	by_name_init(&bn_before, d->ra->before, k.nr);
	bn_after = bn_before;
	if (d->ra->after != d->ra->before)
		by_name_init(&bn_after, d->ra->after, k.nr);
	for (i = 0; i < k.nr && !err; i++) {
		const struct gg_app *before, *after;
		struct gg_del_pair *p;

		if (gg_context_expired(&d->run->s->ctx)) {
			d->run->result->timed_out = 1;
			break;
		}
		before = by_name_find(&bn_before, &k.v[i]);
		after = by_name_find(&bn_after, &k.v[i]);
		if (!before)
			continue;
		GG_ALLOC_GROW(d->v, d->nr + 1, d->alloc);
		p = &d->v[d->nr];
		memset(p, 0, sizeof(*p));
		p->before = before;
		if (!live_after(p, d, after))
			continue;
		d->nr++;
		err = render_pair(d, p);
	}
	if (bn_after.v != bn_before.v)
		free(bn_after.v);
	free(bn_before.v);
	free(k.v);
	return err;
}

/* --- app/emptied and app/mass-deletion ------------------------------------ */

/* What an app's render counts: objects, or a Helm chart's templates. */
static const char *unit(const struct gg_app *app, size_t n)
{
	if (app->tool == GG_TOOL_HELM)
		return n == 1 ? "template" : "templates";
	return n == 1 ? "object" : "objects";
}

static const char *suspended(const struct gg_app *app)
{
	return app->suspended ? " (reconciliation is suspended now: this "
				"happens when it resumes)"
			      : "";
}

static const char *live_note(const struct gg_del_pair *p)
{
	return p->live ? " (its definition leaves Git, but no app deletes "
			 "the live one)"
		       : "";
}

/* What the controller does with an app that renders nothing. */
static const char *empty_fate(const struct gg_app *app)
{
	if (app->controller == GG_CTRL_FLUX)
		return app->prune ? "Flux has no empty-render guard and "
				    "prunes every object of it"
				  : "Flux applies nothing and, with prune "
				    "off, leaves the live objects in place, "
				    "unmanaged";
	if (app->prune && app->allow_empty)
		return "Argo CD prunes every live resource of it (allowEmpty "
		       "is on)";
	if (app->prune)
		return "Argo CD's auto-sync refuses to wipe out all resources "
		       "(allowEmpty is off) and leaves the app OutOfSync, but "
		       "a manual sync with prune deletes every live resource "
		       "of it";
	if (app->auto_sync)
		return "Argo CD does not auto-prune it: the live resources "
		       "stay, OutOfSync, until a sync with prune deletes them";
	return "Argo CD syncs it only by hand: the live resources stay until "
	       "a sync with prune deletes them";
}

/* What the controller does with objects that leave an app. */
static const char *removal_fate(const struct gg_app *app)
{
	if (app->controller == GG_CTRL_FLUX)
		return app->prune ? "Flux prunes them"
				  : "Flux stops managing them but, with prune "
				    "off, leaves them in the cluster";
	if (app->prune)
		return "Argo CD's auto-sync prunes them (allowEmpty guards only "
		       "an app that renders nothing)";
	if (app->auto_sync)
		return "Argo CD does not auto-prune: they stay live, OutOfSync, "
		       "until a sync with prune deletes them";
	return "the next Argo CD sync with prune deletes them";
}

/* What the app had before the push: "12 objects before" (`root`) or
 * "12 removed", or, when no file it could read held an object, what it
 * could not read. */
static void before(struct gg_buf *b, const struct gg_del_pair *p, int root)
{
	if ((p->old_n || (!p->old.unread && !p->old.remote)) && root)
		gg_buf_addf(b, "%zu %s before", p->old_n,
			    unit(p->before, p->old_n));
	else if (p->old_n || (!p->old.unread && !p->old.remote))
		gg_buf_addf(b, "%zu removed", p->old_n);
	else if (p->old.unread)
		gg_buf_addf(b,
			    "before, its objects came from '%s', a file "
			    "gitops-guard could not read",
			    p->old.unread_paths.v[0]);
	else
		gg_buf_addf(b, "before, its objects came from %s",
			    p->old.remotes.v[0]);
}

/* " unless <what> provides them", for the parts of render `r` that
 * gitops-guard does not see; "" when it sees all. */
static void unless(struct gg_buf *b, const struct gg_rendered *r)
{
	if (!r->unread && !r->remote)
		return;
	gg_buf_adds(b, " unless ");
	if (r->remote)
		gg_buf_adds(b, r->remotes.v[0]);
	if (r->remote > 1)
		gg_buf_addf(b, " (and %zu more remote %s)", r->remote - 1,
			    r->remote > 2 ? "parts" : "part");
	if (r->unread)
		gg_buf_addf(b, "%s'%s' (a file gitops-guard could not read%s",
			    r->remote ? " or " : "", r->unread_paths.v[0],
			    r->unread > 1 ? ", and " : ")");
	if (r->unread > 1)
		gg_buf_addf(b, "%zu more)", r->unread - 1);
	gg_buf_adds(b, " provides them");
}

/* Does the new render have a part gitops-guard does not see that the
 * old one did not have: a new file it cannot read, a new remote part? */
static int new_unknowns(const struct gg_del_pair *p)
{
	size_t i;

	for (i = 0; i < p->new_.unread_paths.nr; i++)
		if (gg_strvec_find(&p->old.unread_paths,
				   p->new_.unread_paths.v[i]) < 0)
			return 1;
	for (i = 0; i < p->new_.remotes.nr; i++)
		if (gg_strvec_find(&p->old.remotes, p->new_.remotes.v[i]) < 0)
			return 1;
	return 0;
}

static void report_root_missing(struct gg_deletion *d,
				const struct gg_del_pair *p)
{
	const struct gg_app *app = &p->after;
	struct gg_report_spec spec = { "app/emptied",
				       gg_del__root(app->root),
				       0,
				       NULL,
				       NULL,
				       "restore the directory, or remove the "
				       "app's definition in the same push",
				       GG_SEV_OFF };

	struct gg_buf was = GG_BUF_INIT;

	before(&was, p, 1);
	gg_check_report(
		d->run, &spec, "app '%s' loses its root directory (%s)%s; %s%s",
		app->name, was.buf, live_note(p),
		app->controller == GG_CTRL_FLUX
			? "Flux fails with 'kustomization path not found' and "
			  "applies and prunes nothing until it returns"
			: "Argo CD reports a ComparisonError ('app path does "
			  "not exist') and syncs and prunes nothing until it "
			  "returns",
		suspended(app));
	gg_buf_release(&was);
}

static void report_emptied(struct gg_deletion *d, const struct gg_del_pair *p)
{
	const struct gg_app *app = &p->after;
	struct gg_report_spec spec = { "app/emptied",
				       gg_del__root(app->root),
				       0,
				       NULL,
				       NULL,
				       "restore the manifests, or remove the "
				       "app's definition in the same push",
				       GG_SEV_OFF };
	const char *how = "";
	struct gg_buf was = GG_BUF_INIT, cond = GG_BUF_INIT;

	before(&was, p, 0);
	unless(&cond, &p->new_);
	if (app->tool == GG_TOOL_DIRECTORY &&
	    p->before->tool == GG_TOOL_KUSTOMIZE)
		how = " (its kustomization file is gone: the root is read as "
		      "plain manifests)";
	else if (app->tool == GG_TOOL_DIRECTORY &&
		 p->before->tool == GG_TOOL_HELM)
		how = " (its Chart.yaml is gone: the root is read as plain "
		      "manifests)";
	gg_check_report(d->run, &spec,
			"app '%s' would render no %s (%s)%s%s%s; %s%s%s",
			app->name, unit(p->before, 2), was.buf, how,
			live_note(p), cond.buf, cond.len ? "if not, " : "",
			empty_fate(app), suspended(app));
	gg_buf_release(&was);
	gg_buf_release(&cond);
}

/* Up to three removed objects as "Kind/name, ...". */
static void examples(struct gg_buf *b, const struct gg_del_pair *p)
{
	size_t i, shown = 0;

	for (i = 0; i < p->old.nr; i++) {
		const struct gg_robj *o = &p->old.v[i];

		if (!gg_del__counts(&p->old, i) ||
		    gg_rendered_find(&p->new_, o->id))
			continue;
		if (shown++ == 3) {
			gg_buf_adds(b, ", ...");
			break;
		}
		gg_buf_addf(b, "%s%s/%s", shown > 1 ? ", " : "", o->kind,
			    o->name);
	}
}

static size_t removed_count(const struct gg_del_pair *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->old.nr; i++)
		n += gg_del__counts(&p->old, i) &&
		     !gg_rendered_find(&p->new_, p->old.v[i].id);
	return n;
}

static void judge_mass(struct gg_deletion *d, const struct gg_del_pair *p)
{
	const struct gg_policy *pol = &d->run->s->policy;
	const struct gg_app *app = &p->after;
	size_t removed = removed_count(p);
	double max =
		gg_policy_num(pol, "app/mass-deletion", "max_deleted_fraction");
	double min = gg_policy_num(pol, "app/mass-deletion", "min_deleted");
	struct gg_report_spec spec = {
		"app/mass-deletion",
		gg_del__root(app->root),
		0,
		NULL,
		NULL,
		"check the removed objects; a kustomize namespace or "
		"namePrefix change deletes and re-creates every object",
		GG_SEV_OFF
	};
	struct gg_buf names = GG_BUF_INIT, cond = GG_BUF_INIT;

	if (!removed || (double)removed < min ||
	    (double)removed <= max * (double)p->old_n)
		return;
	examples(&names, p);
	unless(&cond, &p->new_);
	gg_check_report(d->run, &spec,
			"app '%s' would lose %zu of its %zu %s (%.0f%%: %s)%s; "
			"%s%s",
			app->name, removed, p->old_n, unit(app, p->old_n),
			100.0 * (double)removed / (double)p->old_n, names.buf,
			cond.buf, removal_fate(app), suspended(app));
	gg_buf_release(&names);
	gg_buf_release(&cond);
}

/*
 * An app's render before and after the push.  Objects of files that
 * gitops-guard cannot read, and of remote parts, are unknown: the rest
 * is judged, and a finding names what it could not see.  An app that
 * renders no object it can see is emptied for sure when it has no such
 * part, and "emptied unless" the part provides them when the part is
 * new; with the same parts as before, losing the objects it sees is a
 * mass deletion.
 */
static void judge_pair(struct gg_deletion *d, const struct gg_del_pair *p)
{
	if (!p->old_n && !p->old.unread && !p->old.remote)
		return;
	if (p->new_.root_missing) {
		report_root_missing(d, p);
		return;
	}
	if (p->new_.truncated) {
		gg_check_note(d->run,
			      "app '%s': the render after the push is "
			      "incomplete (more than %d files); deletions not "
			      "judged",
			      p->after.name, GG_RENDER_MAX_FILES);
		return;
	}
	if (!p->judgeable) {
		gg_check_note(d->run,
			      "app '%s': the render after the push is "
			      "incomplete (%s%s); the controllers fail to "
			      "build it too, deletions not judged",
			      p->after.name, p->new_.problems.v[0],
			      p->new_.errors > 1 ? ", and more" : "");
		return;
	}
	if (!p->new_n && !p->new_.unread && !p->new_.remote)
		report_emptied(d, p);
	else if (!p->new_n && p->old_n && new_unknowns(p))
		report_emptied(d, p);
	else if (p->old_n)
		judge_mass(d, p);
}

static void release(struct gg_deletion *d)
{
	size_t i;

	for (i = 0; i < d->nr; i++) {
		gg_rendered_release(&d->v[i].old);
		gg_rendered_release(&d->v[i].new_);
	}
	free(d->v);
}

static int run(struct gg_check_run *run)
{
	struct gg_deletion d;
	size_t i;
	int err;

	/* a created ref deletes nothing; a deleted one is ref/'s */
	if (!run->change->has_old || !run->change->has_new)
		return 0;
	memset(&d, 0, sizeof(d));
	d.run = run;
	d.dflt = gg_session_default_branch(run->s);
	if ((err = gg_check_apps(run, &d.ra)) < 0)
		return err;
	err = collect_pairs(&d);
	for (i = 0; !err && i < d.nr; i++)
		judge_pair(&d, &d.v[i]);
	if (!err)
		err = gg_del__cascade(&d);
	if (!err)
		err = gg_del__protect(&d);
	release(&d);
	return err;
}

const struct gg_check_kind gg_check_deletion = { "deletion", rules, run };
