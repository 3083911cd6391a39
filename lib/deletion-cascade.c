/*
 * app/cascade-delete: an Application, ApplicationSet, Flux Kustomization
 * or HelmRelease leaves what a pruning app renders, and its deletion
 * cascades to everything it deployed (gitops-semantics.md 1.8, 2.3,
 * 4.1, 4.2).  Read from the renders check-deletion.c made.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "deletion-internal.h"
#include "banned.h"

int gg_del__object(const struct gg_object **out, struct gg_deletion *d,
		   const struct gg_oid *tree, const struct gg_robj *o)
{
	const struct gg_objects *objs;
	struct gg_tree_entry e;
	size_t i;
	int err;

	*out = NULL;
	err = gg_repo_tree_lookup(&e, d->run->s->repo, tree, o->path);
	if (err == GG_ENOTFOUND || (!err && e.kind != GG_ENTRY_BLOB))
		return 0;
	if (err < 0 || (err = gg_model_get(&objs, d->run->s->manifests, &e.oid,
					   o->path)) < 0)
		return err;
	for (i = 0; objs && i < objs->nr; i++)
		if (objs->v[i].line == o->line)
			*out = &objs->v[i];
	return 0;
}

/* Kinds whose deletion can cascade, recognised from a rendered id. */
static enum gg_kind cascade_kind(const struct gg_robj *o)
{
	static const struct {
		const char *prefix;
		enum gg_kind kind;
	} kinds[] = {
		{ "argoproj.io/Application/", GG_KIND_APPLICATION },
		{ "argoproj.io/ApplicationSet/", GG_KIND_APPLICATIONSET },
		{ "kustomize.toolkit.fluxcd.io/Kustomization/",
		  GG_KIND_FLUX_KUSTOMIZATION },
		{ "helm.toolkit.fluxcd.io/HelmRelease/", GG_KIND_HELMRELEASE },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (!strncmp(o->id, kinds[i].prefix, strlen(kinds[i].prefix)))
			return kinds[i].kind;
	return GG_KIND_OTHER;
}

/* Flux controllers skip the finalizer's work for a suspended object:
 * no garbage collection, no Helm uninstall. */
static int cascades(const struct gg_object *o)
{
	switch (o->kind) {
	case GG_KIND_APPLICATION: return o->u.app.cascade;
	case GG_KIND_APPLICATIONSET:
		return gg_argo_appset_cascades(&o->u.appset);
	case GG_KIND_FLUX_KUSTOMIZATION:
		return gg_flux_ks_cascades(&o->u.ks) &&
		       o->u.ks.suspend != GG_TRUE;
	case GG_KIND_HELMRELEASE: return o->u.hr.suspend != GG_TRUE;
	default: return 0;
	}
}

static int disabled(const struct gg_object *o, const char *key)
{
	const char *v = gg_object_annotation(o, key);

	if (!v)
		v = gg_object_label(o, key);
	return v && !strcmp(v, "disabled");
}

/* The parent keeps the object live although it left Git. */
static int kept_by_parent(const struct gg_app *parent,
			  const struct gg_object *o)
{
	if (parent->controller == GG_CTRL_FLUX)
		return (o->protect & GG_PROTECT_FLUX_PRUNE) ||
		       disabled(o, "kustomize.toolkit.fluxcd.io/reconcile");
	return !!(o->protect &
		  (GG_PROTECT_PRUNE_FALSE | GG_PROTECT_PRUNE_CONFIRM));
}

/* Objects of app `app` in the old tree: from its pair, else rendered. */
static int old_count(size_t *out, struct gg_deletion *d,
		     const struct gg_app *app)
{
	struct gg_session *s = d->run->s;
	struct gg_rendered r;
	size_t i;
	int err;

	for (i = 0; i < d->nr; i++) {
		if (d->v[i].before == app) {
			*out = d->v[i].old_n;
			return 0;
		}
	}
	err = gg_render(&r, s->repo, s->manifests, &d->ra->old_tree,
			d->ra->old_defs, app);
	*out = 0;
	for (i = 0; i < r.nr; i++)
		*out += gg_del__counts(&r, i);
	gg_rendered_release(&r);
	return err;
}

/* "(apps/x: 3 objects, apps/y: 2 objects)" for the apps of this
 * repository named `name` (or its further sources, "name#2"). */
static int child_roots(struct gg_buf *b, struct gg_deletion *d,
		       enum gg_controller ctrl, const char *name)
{
	const struct gg_appindex *idx = d->ra->before;
	size_t i, n, len = strlen(name), found = 0;
	int err = 0;

	for (i = 0; i < idx->napps && !err; i++) {
		const struct gg_app *a = &idx->apps[i];

		if (a->controller != ctrl || a->origin == GG_ORIGIN_APPSET ||
		    strncmp(a->name, name, len) ||
		    (a->name[len] && a->name[len] != '#'))
			continue;
		if ((err = old_count(&n, d, a)) < 0)
			break;
		gg_buf_addf(b, "%s%s: %zu object%s", found++ ? ", " : " (",
			    gg_del__root(a->root), n, n == 1 ? "" : "s");
	}
	gg_buf_adds(b, found ? ")" : " (it deploys from another repository)");
	return err;
}

static void appset_children(struct gg_buf *b, struct gg_deletion *d,
			    const struct gg_object *o)
{
	struct gg_session *s = d->run->s;
	struct gg_appset_names names;
	struct gg_index_input in;
	size_t i;

	memset(&in, 0, sizeof(in));
	in.repo = s->repo;
	in.manifests = s->manifests;
	in.policy = &s->policy;
	in.repo_name = s->ctx.repo_name;
	in.default_branch = d->dflt;
	gg_appset_names(&names, &in, o, &d->ra->old_tree, NULL,
			d->run->update->ref);
	gg_buf_addf(b, "deletes its %s%zu generated Application%s",
		    names.unknown ? "(at least) " : "", names.names.nr,
		    names.names.nr == 1 ? "" : "s");
	for (i = 0; i < names.names.nr && i < 3; i++)
		gg_buf_addf(b, "%s%s", i ? ", " : " (", names.names.v[i]);
	if (names.names.nr)
		gg_buf_adds(b, names.names.nr > 3 ? ", ...)" : ")");
	gg_buf_adds(b, " and, through their resources finalizer, every "
		       "resource they deployed");
	gg_appset_names_release(&names);
}

static void release_name(struct gg_buf *b, const struct gg_object *o)
{
	const struct gg_flux_helmrelease *hr = &o->u.hr;

	if (hr->release_name)
		gg_buf_adds(b, hr->release_name);
	else if (hr->target_namespace)
		gg_buf_addf(b, "%s-%s", hr->target_namespace, o->name);
	else
		gg_buf_adds(b, o->name);
}

/* What goes with the object, and how to keep it instead. */
static int consequence(struct gg_buf *b, const char **hint,
		       struct gg_deletion *d, const struct gg_object *o)
{
	switch (o->kind) {
	case GG_KIND_APPLICATION:
		*hint = "to keep its resources, first remove the resources "
			"finalizer from the Application in a push of its own "
			"and let it sync";
		gg_buf_adds(b, "its resources finalizer deletes every "
			       "resource it deployed");
		return child_roots(b, d, GG_CTRL_ARGOCD, o->name);
	case GG_KIND_APPLICATIONSET:
		*hint = "to keep the generated apps' resources, first set "
			"spec.syncPolicy.preserveResourcesOnDeletion: true in a "
			"push of its own and let it sync";
		appset_children(b, d, o);
		return 0;
	case GG_KIND_FLUX_KUSTOMIZATION:
		*hint = "to keep its objects, first set spec.deletionPolicy: "
			"Orphan in a push of its own and let it sync";
		gg_buf_adds(b, "its finalizer deletes every object it applied");
		return child_roots(b, d, GG_CTRL_FLUX, o->name);
	default:
		*hint = "to keep the release, first mark the HelmRelease "
			"kustomize.toolkit.fluxcd.io/prune: disabled (Flux) or "
			"Prune=false (Argo CD) in a push of its own and let it "
			"sync";
		gg_buf_adds(b, "helm-controller uninstalls release '");
		release_name(b, o);
		gg_buf_adds(b, "' with every resource of it");
		return 0;
	}
}

static void parent_phrase(struct gg_buf *b, const struct gg_app *parent)
{
	if (parent->controller == GG_CTRL_FLUX)
		gg_buf_addf(b, "Flux Kustomization '%s' prunes it, and ",
			    parent->name);
	else if (parent->prune)
		gg_buf_addf(b, "Argo CD app '%s' prunes it, and ",
			    parent->name);
	else
		gg_buf_addf(b,
			    "Argo CD app '%s' does not auto-prune, but its "
			    "next sync with prune deletes it, and then ",
			    parent->name);
}

/* A new object of the same kind in the same file: a rename. */
static const char *renamed_to(const struct gg_del_pair *p,
			      const struct gg_robj *gone)
{
	size_t i;

	for (i = 0; i < p->new_.nr; i++) {
		const struct gg_robj *o = &p->new_.v[i];

		if (!strcmp(o->kind, gone->kind) &&
		    !strcmp(o->path, gone->path) &&
		    !gg_rendered_find(&p->old, o->id))
			return o->name;
	}
	return NULL;
}

/* Another app that renders the object after the push: a move. */
static const char *moved_to(const struct gg_deletion *d,
			    const struct gg_del_pair *p,
			    const struct gg_robj *gone)
{
	size_t i;

	for (i = 0; i < d->nr; i++)
		if (&d->v[i] != p && d->v[i].judgeable &&
		    gg_rendered_find(&d->v[i].new_, gone->id))
			return d->v[i].after.name;
	return NULL;
}

static int report(struct gg_deletion *d, const struct gg_del_pair *p,
		  const struct gg_robj *gone, const struct gg_object *o)
{
	struct gg_report_spec spec = { "app/cascade-delete",
				       gone->path,
				       gone->line,
				       NULL,
				       NULL,
				       NULL,
				       GG_SEV_OFF };
	struct gg_buf b = GG_BUF_INIT;
	const char *to = renamed_to(p, gone), *app = moved_to(d, p, gone);
	int err;

	gg_buf_addf(&b, "removes %s '%s'", gg_kind_name(o->kind), gone->name);
	if (to)
		gg_buf_addf(&b, " (renamed to '%s': a delete and a create)",
			    to);
	else if (app)
		gg_buf_addf(&b,
			    " (app '%s' deploys it now, but the first to sync "
			    "wins)",
			    app);
	gg_buf_adds(&b, "; ");
	parent_phrase(&b, &p->after);
	err = consequence(&b, &spec.hint, d, o);
	if (p->after.suspended)
		gg_buf_adds(&b, " (the parent is suspended now: this happens "
				"when it resumes)");
	if (!err)
		gg_check_report(d->run, &spec, "%s", b.buf);
	gg_buf_release(&b);
	return err;
}

static int judge_removed(struct gg_deletion *d, const struct gg_del_pair *p,
			 const struct gg_robj *gone, struct gg_strvec *done)
{
	const struct gg_object *o;
	int err;

	if (gg_strvec_find(done, gone->id) >= 0)
		return 0;
	if ((err = gg_del__object(&o, d, &d->ra->old_tree, gone)) < 0 || !o)
		return err;
	gg_strvec_push(done, gone->id);
	if (kept_by_parent(&p->after, o)) {
		gg_check_note(d->run,
			      "%s '%s' leaves app '%s', which is told not to "
			      "prune it",
			      gg_kind_name(o->kind), gone->name, p->after.name);
		return 0;
	}
	if (!cascades(o)) {
		gg_check_note(d->run,
			      "%s '%s' leaves app '%s'; its deletion does not "
			      "cascade",
			      gg_kind_name(o->kind), gone->name, p->after.name);
		return 0;
	}
	return report(d, p, gone, o);
}

static int judge_parent(struct gg_deletion *d, const struct gg_del_pair *p,
			struct gg_strvec *done)
{
	size_t i;
	int err = 0;

	/* a parent that cannot render syncs nothing; a Flux one without
	 * prune never deletes what leaves it */
	if (!p->judgeable ||
	    (p->after.controller == GG_CTRL_FLUX && !p->after.prune))
		return 0;
	for (i = 0; i < p->old.nr && !err; i++) {
		const struct gg_robj *gone = &p->old.v[i];

		if (cascade_kind(gone) == GG_KIND_OTHER ||
		    gg_rendered_find(&p->new_, gone->id))
			continue;
		err = judge_removed(d, p, gone, done);
	}
	return err;
}

int gg_del__cascade(struct gg_deletion *d)
{
	struct gg_strvec done = GG_STRVEC_INIT;
	size_t i;
	int err = 0;

	for (i = 0; i < d->nr && !err; i++)
		err = judge_parent(d, &d->v[i], &done);
	gg_strvec_release(&done);
	return err;
}
