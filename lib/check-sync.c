/*
 * sync/auto-enabled and sync/allow-empty: a push that changes how the
 * controllers act on their own.  Each Application, ApplicationSet and
 * Flux Kustomization in a pushed file is compared with the object of
 * the same identity before the push (gitops-semantics.md 1.4, 1.5, 2.1,
 * 4.1); a new object counts as switched on from nothing.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "defs.h"
#include "model.h"
#include "syncstate.h"
#include "banned.h"

static const struct gg_param_spec no_params[] = { { NULL, 0, 0, NULL, NULL } };

static const struct gg_rule_info rules[] = {
	{ "sync/auto-enabled", GG_SEV_CONFIRM,
	  "turns on automated sync, prune or selfHeal on an existing or new "
	  "app",
	  "An Application, ApplicationSet template or Flux Kustomization of "
	  "this repository gets, compared with the object of the same kind "
	  "and name before the push (a new one compared with nothing): Argo "
	  "CD automated sync (spec.syncPolicy.automated present and enabled "
	  "not false; \"automated:\" with no value is off), automated prune "
	  "or selfHeal (both default false); or, for Flux, spec.prune false "
	  "to true or spec.suspend true to false.  From then on the "
	  "controller applies every commit without anyone pressing sync, "
	  "prune deletes live resources whose manifests leave Git, and "
	  "selfHeal reverts manual changes in the cluster: the owners of the "
	  "app should agree, so a confirmation is needed (and, with owners "
	  "in the policy, an owner's; the finding's target is the app's "
	  "path).  ApplicationSets count spec.template merged with each "
	  "generator's template as the controller merges them, and a "
	  "templatePatch that names automated, or gives prune, selfHeal or "
	  "allowEmpty true or a {{ }} expression, counts as possibly "
	  "switching it on.  A new Flux Kustomization counts only for prune: "
	  "Flux has no manual mode.",
	  no_params },
	{ "sync/allow-empty", GG_SEV_BLOCK,
	  "sets allowEmpty: true on an auto-pruning app",
	  "Argo CD refuses an automated sync that would prune every resource "
	  "of an app (\"auto-sync will wipe out all resources\") unless "
	  "automated.allowEmpty is true.  The push sets allowEmpty: true on "
	  "an Application or ApplicationSet template that auto-prunes (or "
	  "switches on prune where allowEmpty was already set), compared with "
	  "the object before the push.  Without the guard, a commit that "
	  "leaves the app's path rendering nothing (files moved, resources: "
	  "[], an include that matches nothing) deletes every live resource "
	  "of the app.  Remove allowEmpty (it defaults to false); empty an "
	  "app on purpose in a change of its own.",
	  no_params },
	{ NULL, 0, NULL, NULL, NULL }
};

struct subject {
	struct gg_check_run *run;
	const struct gg_file_change *fc;
	const struct gg_object *o;
	struct gg_sync_state now, before;
	int existed;
	char target[512];
};

static const char *kind_word(const struct gg_object *o)
{
	return o->kind == GG_KIND_FLUX_KUSTOMIZATION ? "Flux Kustomization"
						     : gg_kind_name(o->kind);
}

/* The confirm target: the path the app deploys, so that owners of that
 * path decide; the manifest when the app deploys the whole repository
 * or its path is not known. */
static void set_target(struct subject *sj)
{
	const struct gg_object *o = sj->o;
	const char *path = NULL;
	struct gg_arena a;
	int remote = 0;

	if (o->kind == GG_KIND_APPLICATION && gg_argo_git_source(&o->u.app))
		path = gg_argo_git_source(&o->u.app)->path;
	else if (o->kind == GG_KIND_FLUX_KUSTOMIZATION)
		path = o->u.ks.path;
	gg_arena_init(&a);
	path = path && !strstr(path, "{{")
		       ? gg_defs_resolve(&a, "", path, &remote)
		       : NULL;
	snprintf(sj->target, sizeof(sj->target), "%s",
		 path && *path ? path : sj->fc->path);
	gg_arena_release(&a);
}

/* "automated sync, prune and selfHeal" */
static void name_bits(struct gg_buf *b, unsigned bits, int flux)
{
	const char *names[3];
	size_t n = 0, i;

	if (bits & GG_SYNC_AUTO)
		names[n++] = flux ? "resumed reconciliation (suspend: false)"
				  : "automated sync";
	if (bits & GG_SYNC_PRUNE)
		names[n++] = "prune";
	if (bits & GG_SYNC_SELF_HEAL)
		names[n++] = "selfHeal";
	for (i = 0; i < n; i++)
		gg_buf_addf(b, "%s%s", i ? (i + 1 == n ? " and " : ", ") : "",
			    names[i]);
}

/* What the newly on bits make the controller do. */
static void consequences(struct gg_buf *b, unsigned bits, int flux)
{
	const char *what[3];
	size_t n = 0, i;

	if (bits & GG_SYNC_AUTO)
		what[n++] = flux ? "applies every new revision again"
				 : "applies every commit without anyone "
				   "pressing sync";
	if (bits & GG_SYNC_PRUNE)
		what[n++] = flux ? "deletes every object whose manifest leaves "
				   "Git (and all of them when the "
				   "Kustomization is deleted)"
				 : "deletes live resources whose manifests "
				   "leave Git";
	if (bits & GG_SYNC_SELF_HEAL)
		what[n++] = "reverts every manual change in the cluster";
	gg_buf_adds(b, flux ? "Flux " : "Argo CD ");
	for (i = 0; i < n; i++)
		gg_buf_addf(b, "%s%s", i ? (i + 1 == n ? " and " : ", ") : "",
			    what[i]);
}

static void report_enabled(struct subject *sj, unsigned sure, unsigned maybe)
{
	struct gg_report_spec spec = { "sync/auto-enabled", sj->fc->path,
				       sj->o->line,	    NULL,
				       sj->target,	    NULL,
				       GG_SEV_OFF };
	int flux = sj->o->kind == GG_KIND_FLUX_KUSTOMIZATION;
	struct gg_buf b = GG_BUF_INIT;

	gg_buf_addf(&b, "%s '%s'%s", kind_word(sj->o),
		    sj->o->name ? sj->o->name : "?",
		    sj->existed ? "" : " (new)");
	if (sure) {
		gg_buf_adds(&b, " turns on ");
		name_bits(&b, sure, flux);
	}
	if (maybe) {
		gg_buf_adds(&b, sure ? ", and its templatePatch may turn on "
				     : ": its templatePatch may turn on ");
		name_bits(&b, maybe, flux);
		gg_buf_adds(&b, " (its text says so; Go templates are not "
				"evaluated)");
	}
	gg_buf_adds(&b, sj->o->kind == GG_KIND_APPLICATIONSET
				? " for the apps it generates: "
				: ": ");
	consequences(&b, sure | maybe, flux);
	spec.hint = flux ? "agree it with the app's owners, then confirm; "
			   "spec.prune: false keeps what leaves Git, "
			   "spec.suspend: true pauses the Kustomization"
			 : "agree it with the app's owners, then confirm; to "
			   "keep syncs manual leave out syncPolicy.automated "
			   "(or set automated.enabled: false)";
	gg_check_report(sj->run, &spec, "%s", b.buf);
	gg_buf_release(&b);
}

static void report_allow_empty(struct subject *sj, int maybe)
{
	struct gg_report_spec spec = {
		"sync/allow-empty",
		sj->fc->path,
		sj->o->line,
		NULL,
		NULL,
		"remove automated.allowEmpty (it defaults to false); to empty "
		"an app on purpose, do it in a change of its own",
		GG_SEV_OFF
	};

	gg_check_report(
		sj->run, &spec,
		"%s '%s'%s %s allowEmpty: true on %s: Argo CD's guard against "
		"an empty render is off, so a commit that leaves the path "
		"rendering nothing (files moved, resources emptied, an include "
		"that matches nothing) prunes every live resource of %s",
		kind_word(sj->o), sj->o->name ? sj->o->name : "?",
		sj->existed ? "" : " (new)",
		maybe ? "may set (its templatePatch)" : "sets",
		sj->o->kind == GG_KIND_APPLICATIONSET
			? "the auto-pruning apps it generates"
			: "an auto-pruning app",
		sj->o->kind == GG_KIND_APPLICATIONSET ? "each" : "the app");
}

static void judge(struct subject *sj)
{
	unsigned was = sj->existed ? sj->before.on | sj->before.maybe : 0;
	unsigned sure = sj->now.on & ~was & ~(unsigned)GG_SYNC_ALLOW_EMPTY;
	unsigned maybe =
		sj->now.maybe & ~was & ~sure & ~(unsigned)GG_SYNC_ALLOW_EMPTY;

	/* Flux reconciles on its own: a new Kustomization only turns on
	 * what it chooses, prune */
	if (sj->o->kind == GG_KIND_FLUX_KUSTOMIZATION && !sj->existed)
		sure &= ~(unsigned)GG_SYNC_AUTO;
	if (sure | maybe)
		report_enabled(sj, sure, maybe);
	if ((sj->now.on | sj->now.maybe) & GG_SYNC_ALLOW_EMPTY & ~was)
		report_allow_empty(sj, !(sj->now.on & GG_SYNC_ALLOW_EMPTY));
}

static int judge_file(struct gg_check_run *run, const struct gg_file_change *fc,
		      const struct gg_defs *base, const struct gg_defs *after)
{
	const struct gg_objects *objs;
	size_t i;
	int err;

	if ((err = gg_model_get(&objs, run->s->manifests, &fc->new_oid,
				fc->path)) < 0 ||
	    !objs)
		return err;
	for (i = 0; i < objs->nr; i++) {
		const struct gg_object *o = &objs->v[i], *prev;
		struct subject sj;

		if ((o->kind != GG_KIND_APPLICATION &&
		     o->kind != GG_KIND_APPLICATIONSET &&
		     o->kind != GG_KIND_FLUX_KUSTOMIZATION) ||
		    !gg_object_ours(o, run->s, after))
			continue;
		err = gg_find_previous(&prev, run->s->manifests,
				       fc->status == GG_DELTA_MODIFIED &&
						       fc->old_kind ==
							       GG_ENTRY_BLOB
					       ? &fc->old_oid
					       : NULL,
				       fc->path, base, o);
		if (err < 0)
			return err;
		memset(&sj, 0, sizeof(sj));
		sj.run = run;
		sj.fc = fc;
		sj.o = o;
		sj.existed = !!prev;
		gg_sync_of_object(&sj.now, o);
		if (prev)
			gg_sync_of_object(&sj.before, prev);
		set_target(&sj);
		judge(&sj);
	}
	return 0;
}

static int run(struct gg_check_run *run)
{
	const struct gg_refchange *rc = run->change;
	const struct gg_refapps *ra;
	const struct gg_defs *base;
	struct gg_defs *owned = NULL;
	int err;
	size_t i;

	if (!rc->has_new ||
	    (gg_policy_severity(&run->s->policy, "sync/auto-enabled") ==
		     GG_SEV_OFF &&
	     gg_policy_severity(&run->s->policy, "sync/allow-empty") ==
		     GG_SEV_OFF))
		return 0;
	/* the first push imports a repository: nothing is "newly" on */
	if ((err = gg_check_first_push(run)) != 0) {
		if (err > 0)
			gg_check_note(run, "sync/auto-enabled, sync/allow-empty: "
					   "the first push into an empty "
					   "repository is not judged");
		return err < 0 ? err : 0;
	}
	if ((err = gg_check_apps(run, &ra)) < 0 ||
	    (err = gg_base_defs(&base, &owned, run->s, rc, ra)) < 0)
		return err;
	for (i = 0; i < rc->nfiles && err >= 0; i++) {
		const struct gg_file_change *fc = &rc->files[i];

		if (fc->status != GG_DELTA_DELETED &&
		    fc->new_kind == GG_ENTRY_BLOB &&
		    gg_path_is_manifest(fc->path) &&
		    gg_oid_cmp(&fc->old_oid, &fc->new_oid))
			err = judge_file(run, fc, base, ra->new_defs);
	}
	gg_defs_free(owned);
	return err < 0 ? err : 0;
}

const struct gg_check_kind gg_check_sync = { "sync", rules, run };
