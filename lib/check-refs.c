/*
 * ref/tracked-rewrite: a branch (or tag) that apps deploy from is
 * deleted or rewritten by a non-fast-forward push; the tag a version
 * range deploys is deleted or moved at all.  The controllers
 * follow the ref, not the history: a delete leaves them unable to
 * resolve it, a rewrite makes them deploy the new tip and drops what
 * they deployed from the history.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "push.h"
#include "refapps.h"
#include "banned.h"

#define MAX_DROPPED 10000 /* commits counted on a rewrite */

static const struct gg_param_spec no_params[] = { { NULL, 0, 0, NULL, NULL } };

static const struct gg_rule_info rules[] = {
	{ "ref/tracked-rewrite", GG_SEV_BLOCK,
	  "deletes or force-pushes a branch that apps track",
	  "The push deletes a branch or tag that apps deploy from, or moves "
	  "it to a commit that does not descend from its old tip (a "
	  "force-push).  The apps are those of the app index that follow "
	  "the ref (an Application's targetRevision, none or HEAD meaning "
	  "the default branch; a Flux Kustomization's GitRepository "
	  "ref.branch, ref.tag or ref.name), and any Flux GitRepository of "
	  "this repository that follows it, even with no Kustomization in "
	  "the repository (a HelmRelease chart source, or a Kustomization "
	  "defined elsewhere).  After a delete Argo CD cannot resolve the revision "
	  "and reports a ComparisonError for every such app, and Flux's "
	  "GitRepository fails to fetch and keeps serving its last "
	  "artifact: nothing is deployed from the ref until it is pushed "
	  "again, whatever it then holds.  After a rewrite both deploy the "
	  "new tip, and the commits dropped from the branch, which may be "
	  "what runs in the cluster now, leave the history that audits and "
	  "rollbacks read; what the new tip deletes is judged by the app "
	  "rules as for any push.  Fast-forward moves of a tag that apps "
	  "follow by name (tag-based promotion) are not reported.  An app "
	  "on a version range (a targetRevision such as >=1.0.0, a Flux "
	  "ref.semver) deploys the highest tag in the range: deleting that "
	  "tag rolls the app back to the highest one left, and any move of "
	  "it, forward too, is reported, since a version tag names one "
	  "release; the other tags of the range may move.  The rule is at "
	  "severity block: only break-glass waives it, unless the policy "
	  "lowers it to confirm, when the target to confirm is the full ref "
	  "name.  The update hook cannot read a confirmation for a delete, "
	  "which carries no commits.",
	  no_params },
	{ NULL, 0, NULL, NULL, NULL }
};

struct trackers {
	struct gg_buf names; /* "a, b, c, ..." */
	size_t n;
	int argo, flux; /* by name */
	int range;	/* through a semver range, whose highest tag it is */
};

static void add_tracker(struct trackers *t, const char *what, const char *name)
{
	if (++t->n <= 5)
		gg_buf_addf(&t->names, "%s%s%s", t->n > 1 ? ", " : "", what,
			    name);
	else if (t->n == 6)
		gg_buf_adds(&t->names, ", ...");
}

/*
 * Does `app` (or a GitRepository's follow) count for this update?  An
 * app on a semver range deploys one tag of it, the highest: only that
 * tag counts, and any move of it does (a version tag names a release).
 * Otherwise a tracked ref counts unless the move is a fast-forward.
 * 1 (and *range), 0, or a negative error.
 */
static int counts(int *range, struct gg_check_run *run,
		  const struct gg_app *app, int forward)
{
	const char *ref = run->update->ref;
	char *deployed = NULL;
	int err;

	*range = 0;
	if (!gg_app_tracks(app, ref, gg_session_default_branch(run->s)))
		return 0;
	if (app->follows != GG_FOLLOW_RANGE || strncmp(ref, "refs/tags/", 10))
		return !forward;
	err = gg_refapps_range_tag(&deployed, NULL, run->s->repo, app, NULL);
	if (err == GG_ENOTFOUND)
		return 0;
	if (err < 0)
		return err;
	*range = !strcmp(deployed, ref);
	free(deployed);
	return *range;
}

static int from_index(struct trackers *t, struct gg_check_run *run,
		      const struct gg_appindex *idx, int forward)
{
	size_t i;
	int c, range;

	for (i = 0; i < idx->napps; i++) {
		const struct gg_app *app = &idx->apps[i];

		if ((c = counts(&range, run, app, forward)) <= 0) {
			if (c < 0)
				return c;
			continue;
		}
		add_tracker(t, "", app->name);
		if (range)
			t->range = 1;
		else if (app->controller == GG_CTRL_FLUX)
			t->flux = 1;
		else
			t->argo = 1;
	}
	return 0;
}

/* GitRepositories of this repository that follow the ref. */
static int from_gitrepos(struct trackers *t, const struct gg_defs *defs,
			 struct gg_check_run *run, struct gg_strvec *seen,
			 int forward)
{
	const struct gg_session *s = run->s;
	struct gg_app follow;
	size_t i, j;
	int c, range;

	for (i = 0; defs && i < defs->nfiles; i++) {
		for (j = 0; j < defs->files[i].nrepos; j++) {
			const struct gg_def_gitrepo *r =
				&defs->files[i].repos[j];

			if (!r->name || gg_strvec_find(seen, r->name) >= 0 ||
			    !gg_gitrepo_is_ours(
				    r, &s->policy.repo_urls,
				    gg_policy_repo_name(&s->policy,
							s->ctx.repo_name)))
				continue;
			gg_gitrepo_follow(&follow, r);
			if ((c = counts(&range, run, &follow, forward)) <= 0) {
				if (c < 0)
					return c;
				continue;
			}
			gg_strvec_push(seen, r->name);
			add_tracker(t, "GitRepository ", r->name);
			if (range)
				t->range = 1;
			else
				t->flux = 1;
		}
	}
	return 0;
}

static int collect(struct trackers *t, struct gg_check_run *run, int forward)
{
	struct gg_strvec seen = GG_STRVEC_INIT;
	const struct gg_refapps *ra;
	const struct gg_defs *ddefs = NULL;
	const struct gg_appindex *didx;
	int err;

	if ((err = gg_check_apps(run, &ra)) < 0 ||
	    (err = gg_session_default_index(run->s, &didx, &ddefs)) < 0)
		return err;
	if ((err = from_index(t, run, ra->before, forward)) >= 0 &&
	    (err = from_gitrepos(t, ra->old_defs, run, &seen, forward)) >= 0)
		err = from_gitrepos(t, ddefs, run, &seen, forward);
	gg_strvec_release(&seen);
	return err;
}

static int count_one(const struct gg_oid *commit, void *payload)
{
	(void)commit;
	++*(size_t *)payload;
	return 0;
}

static void report_delete(struct gg_check_run *run, const struct trackers *t)
{
	struct gg_report_spec spec = {
		"ref/tracked-rewrite",
		NULL,
		0,
		NULL,
		run->update->ref,
		"retarget the apps (targetRevision, GitRepository ref) before "
		"deleting the ref, or push it back",
		GG_SEV_OFF
	};
	struct gg_buf why = GG_BUF_INIT;

	if (t->argo)
		gg_buf_adds(&why, "Argo CD cannot resolve the revision any "
				  "more and reports a ComparisonError, "
				  "syncing nothing");
	if (t->flux)
		gg_buf_addf(&why,
			    "%sFlux's GitRepository fails to fetch and "
			    "keeps serving its last artifact",
			    why.len ? "; " : "");
	if (t->range)
		gg_buf_addf(&why,
			    "%sit is the highest tag of a version range: "
			    "the controllers roll back to the highest "
			    "tag left in the range",
			    why.len ? "; " : "");
	gg_check_report(run, &spec,
			"is deleted, and it is the revision of %zu app%s (%s); "
			"%s",
			t->n, t->n == 1 ? "" : "s", t->names.buf, why.buf);
	gg_buf_release(&why);
}

/* A version tag that a range deploys, moved forward. */
static void report_moved(struct gg_check_run *run, const struct trackers *t)
{
	struct gg_report_spec spec = {
		"ref/tracked-rewrite",
		NULL,
		0,
		NULL,
		run->update->ref,
		"push the change under a new version tag instead of moving "
		"this one",
		GG_SEV_OFF
	};

	gg_check_report(
		run, &spec,
		"is moved, and it is the highest tag of the version range "
		"of %zu app%s (%s); a version tag names one release, and the "
		"controllers deploy the new commit under the old version",
		t->n, t->n == 1 ? "" : "s", t->names.buf);
}

static int report_rewrite(struct gg_check_run *run, const struct trackers *t)
{
	const struct gg_refchange *rc = run->change;
	struct gg_report_spec spec = {
		"ref/tracked-rewrite",
		NULL,
		0,
		NULL,
		run->update->ref,
		"push a revert on top of the branch instead of rewriting it",
		GG_SEV_OFF
	};
	size_t dropped = 0;
	int err;

	err = gg_repo_walk(run->s->repo, &rc->old_commit, &rc->new_commit, 1, 0,
			   MAX_DROPPED, count_one, &dropped);
	if (err < 0 && err != GG_ELIMIT)
		return err;
	gg_check_report(
		run, &spec,
		"is force-pushed, dropping %s%zu commit%s, and it is "
		"the revision of %zu app%s (%s); the controllers deploy the "
		"new tip, and the dropped commits leave the history "
		"that audits and rollbacks read",
		err == GG_ELIMIT ? "more than " : "", dropped,
		dropped == 1 ? "" : "s", t->n, t->n == 1 ? "" : "s",
		t->names.buf);
	return 0;
}

static int run(struct gg_check_run *run)
{
	const struct gg_refchange *rc = run->change;
	struct trackers t;
	int err, deleted = run->update->kind == GG_UPDATE_DELETE;
	int moved = rc->has_old && !rc->prior && rc->has_new;
	int forward = moved && rc->fast_forward;

	if (!deleted && !moved)
		return 0;
	memset(&t, 0, sizeof(t));
	gg_buf_init(&t.names, 0);
	err = collect(&t, run, forward);
	if (!err && t.n) {
		if (deleted)
			report_delete(run, &t);
		else if (forward)
			report_moved(run, &t);
		else
			err = report_rewrite(run, &t);
	}
	gg_buf_release(&t.names);
	return err;
}

const struct gg_check_kind gg_check_refs = { "refs", rules, run };
