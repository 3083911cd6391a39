/*
 * The engine: for each ref update of a push, decide whether it is
 * guarded, compute its change, run every check kind; then apply waivers
 * and decide.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "engine.h"
#include "buf.h"
#include "glob.h"
#include "refapps.h"
#include "semver.h"
#include "waiver.h"
#include "xalloc.h"
#include "banned.h"

void gg_result_init(struct gg_result *r)
{
	memset(r, 0, sizeof(*r));
	gg_strvec_init(&r->notes);
	gg_strvec_init(&r->warnings);
}

void gg_result_release(struct gg_result *r)
{
	gg_findings_release(&r->findings);
	gg_strvec_release(&r->notes);
	gg_strvec_release(&r->warnings);
	free(r->break_glass_reason);
	free(r->error);
	gg_result_init(r);
}

static int matches_branch_glob(const struct gg_policy *p, const char *ref)
{
	const char *branch = gg_ref_branch_name(ref);
	size_t i;

	for (i = 0; i < p->branches.nr; i++) {
		const char *g = p->branches.v[i];

		if (!strncmp(g, "refs/", 5)
			    ? gg_glob_match_str(g, ref)
			    : branch && gg_glob_match_str(g, branch))
			return 1;
	}
	return 0;
}

/* A Flux GitRepository of the default branch follows `ref` of this
 * repository (feeding a HelmRelease chart, or a Kustomization defined
 * in another repository); with `range_only`, through a semver range.
 * *out says what it follows. */
static int gitrepo_follows(struct gg_app *out, struct gg_session *s,
			   const struct gg_defs *defs, const char *ref,
			   int range_only)
{
	size_t i, j;

	for (i = 0; defs && i < defs->nfiles; i++) {
		for (j = 0; j < defs->files[i].nrepos; j++) {
			const struct gg_def_gitrepo *r =
				&defs->files[i].repos[j];

			gg_gitrepo_follow(out, r);
			if ((!range_only || out->follows == GG_FOLLOW_RANGE) &&
			    gg_app_tracks(out, ref,
					  gg_session_default_branch(s)) &&
			    gg_gitrepo_is_ours(
				    r, &s->policy.repo_urls,
				    gg_policy_repo_name(&s->policy,
							s->ctx.repo_name)))
				return 1;
		}
	}
	return 0;
}

int gg_engine_ref_guarded(struct gg_session *s, const char *ref)
{
	const char *branch = gg_ref_branch_name(ref);
	const struct gg_appindex *idx;
	const struct gg_defs *defs = NULL;
	struct gg_app follow;
	size_t i;
	int err;

	if (s->default_ref && !strcmp(ref, s->default_ref))
		return 1;
	/* the first push of a repository creates its default branch */
	if (!s->has_default_tip && (!strcmp(ref, "refs/heads/main") ||
				    !strcmp(ref, "refs/heads/master")))
		return 1;
	if (matches_branch_glob(&s->policy, ref))
		return 1;
	for (i = 0; branch && i < s->policy.nenvs; i++)
		if (s->policy.envs[i].branch &&
		    !strcmp(s->policy.envs[i].branch, branch))
			return 1;
	/* a branch or tag that an app of the default branch deploys, a tag
	 * in the semver range of one */
	if ((err = gg_session_default_index(s, &idx, &defs)) < 0)
		return err;
	for (i = 0; i < idx->napps; i++)
		if (gg_app_tracks(&idx->apps[i], ref,
				  gg_session_default_branch(s)))
			return 1;
	return gitrepo_follows(&follow, s, defs, ref, 0);
}

/*
 * A tag created in the semver range of an app of the default branch
 * (or of a GitRepository there) takes over from the tag the range
 * deployed before it: the highest tag in the range below it, else the
 * default branch's tip.  *has is 0 for any other update.
 */
static int prior_of(struct gg_oid *out, int *has, struct gg_session *s,
		    const struct gg_update *u)
{
	const char *tag = u->ref + 10;
	const struct gg_appindex *idx;
	const struct gg_defs *defs = NULL;
	struct gg_app f;
	size_t i;
	int err, found = 0;

	*has = 0;
	if (u->kind != GG_UPDATE_CREATE || strncmp(u->ref, "refs/tags/", 10))
		return 0;
	if ((err = gg_session_default_index(s, &idx, &defs)) < 0)
		return err;
	for (i = 0; i < idx->napps && !found; i++) {
		f = idx->apps[i];
		found = f.follows == GG_FOLLOW_RANGE &&
			gg_semver_tag_in(f.revision, f.tag_prefix, tag, NULL);
	}
	if (!found && !gitrepo_follows(&f, s, defs, u->ref, 1))
		return 0;
	err = gg_refapps_range_tag(NULL, out, s->repo, &f, tag);
	if (err == GG_ENOTFOUND && s->has_default_tip) {
		*out = s->default_tip;
		err = 0;
	}
	if (err == GG_ENOTFOUND)
		return 0;
	*has = err == 0;
	return err;
}

static int read_trailers(struct gg_session *s, struct gg_waivers *w,
			 const struct gg_refchange *rc)
{
	size_t i;
	int err;

	for (i = 0; i < rc->ncommits; i++) {
		struct gg_commit_info ci;

		if ((err = gg_repo_commit_info(&ci, s->repo, &rc->commits[i])) <
		    0)
			return err;
		gg_waivers_from_message(w, ci.message, rc->update->ref);
		gg_commit_info_release(&ci);
	}
	return 0;
}

/* A kind whose rules the policy turns off has nothing to do.  A kind
 * without built-in rules (pack rules) decides for itself. */
static int all_off(const struct gg_policy *p, const struct gg_check_kind *kind)
{
	size_t r;

	if (!kind->rules[0].id)
		return 0;
	for (r = 0; kind->rules[r].id; r++)
		if (gg_policy_severity(p, kind->rules[r].id) != GG_SEV_OFF)
			return 0;
	return 1;
}

static int run_checks(struct gg_check_run *run)
{
	size_t k;
	int err;

	for (k = 0; gg_check_kinds[k]; k++) {
		if (!gg_check_kinds[k]->run ||
		    all_off(&run->s->policy, gg_check_kinds[k]))
			continue;
		if (gg_context_expired(&run->s->ctx)) {
			run->result->timed_out = 1;
			return 0;
		}
		if ((err = gg_check_kinds[k]->run(run)) < 0) {
			gg_error_prefix("%s: check '%s'", run->update->ref,
					gg_check_kinds[k]->name);
			return err;
		}
	}
	return 0;
}

/* With -o gitops.verbose: the apps that deploy this ref, and those touched. */
static int note_apps(struct gg_check_run *run)
{
	const struct gg_refapps *ra;
	const struct gg_appindex *idx;
	size_t *owners = NULL, nowners = 0, alloc = 0, i, j, tracking = 0;
	size_t *file_owners = NULL, nfile = 0, file_alloc = 0;
	const char *dflt = gg_session_default_branch(run->s);
	struct gg_buf names = GG_BUF_INIT;
	char *seen;
	int err;

	if ((err = gg_check_apps(run, &ra)) < 0)
		return err;
	idx = ra->has_new ? ra->after : ra->before;
	for (i = 0; i < idx->napps; i++)
		tracking +=
			gg_app_tracks(&idx->apps[i], run->update->ref, dflt);
	/* in order of first appearance; a push of every file of a big
	 * repository must not compare each owner with all the others */
	seen = gg_xcalloc(idx->napps + 1, 1);
	for (i = 0; i < run->change->nfiles; i++) {
		nfile = 0;
		gg_appindex_owners(idx, run->change->files[i].path,
				   &file_owners, &nfile, &file_alloc);
		for (j = 0; j < nfile; j++) {
			if (seen[file_owners[j]])
				continue;
			seen[file_owners[j]] = 1;
			GG_ALLOC_GROW(owners, nowners + 1, alloc);
			owners[nowners++] = file_owners[j];
		}
	}
	free(seen);
	free(file_owners);
	for (i = 0; i < nowners; i++) {
		const struct gg_app *app = &idx->apps[owners[i]];

		if (!gg_app_tracks(app, run->update->ref, dflt))
			continue;
		if (names.len > 200) {
			gg_buf_adds(&names, ", ...");
			break;
		}
		gg_buf_addf(&names, "%s%s", names.len ? ", " : "", app->name);
	}
	gg_check_note(run, "%zu apps deploy this ref; the push touches: %s",
		      tracking, names.len ? names.buf : "none");
	for (i = 0; i < idx->notes.nr; i++)
		gg_check_note(run, "index: %s", idx->notes.v[i]);
	gg_buf_release(&names);
	free(owners);
	return 0;
}

static int judge_update(struct gg_result *out, struct gg_session *s,
			struct gg_waivers *w, const struct gg_push *push,
			const struct gg_update *u)
{
	struct gg_refchange rc;
	struct gg_check_run run;
	struct gg_oid prior;
	int err, has_prior;

	memset(&rc, 0, sizeof(rc));
	if ((err = prior_of(&prior, &has_prior, s, u)) < 0) {
		gg_error_prefix("%s", u->ref);
		goto out;
	}
	err = gg_changes_compute(&rc, s->repo, u,
				 s->has_default_tip ? &s->default_tip : NULL,
				 has_prior ? &prior : NULL,
				 (size_t)s->policy.limits.max_commits);
	if (err < 0) {
		gg_error_prefix("%s", u->ref);
		goto out;
	}
	if (rc.commits_truncated)
		gg_strvec_push_take(
			&out->notes,
			gg_xasprintf(
				"%s: more than %lld new commits; only the newest were read "
				"for trailers (confirmations and break-glass in older "
				"commits do not count) and commit rules",
				u->ref, s->policy.limits.max_commits));
	if ((err = read_trailers(s, w, &rc)) < 0)
		goto out;
	out->refs_checked++;
	out->files_changed += rc.nfiles;
	run.s = s;
	run.update = u;
	run.change = &rc;
	run.result = out;
	run.apps = NULL;
	run.push = push;
	err = run_checks(&run);
	if (!err && out->verbose)
		err = note_apps(&run);
	gg_refapps_free(run.apps);
out:
	gg_refchange_release(&rc);
	return err;
}

/* Does `u` leave a valid (or no) in-repo policy on the default branch? */
static int repairs_policy(struct gg_session *s, const struct gg_update *u)
{
	struct gg_oid commit, tree;
	struct gg_tree_entry e;
	struct gg_buf b = GG_BUF_INIT;
	int err, ok = 0;

	if (!s->default_ref || strcmp(u->ref, s->default_ref) ||
	    (u->kind != GG_UPDATE_MODIFY && u->kind != GG_UPDATE_CREATE) ||
	    gg_oid_from_hex(&commit, u->new_hex) < 0 ||
	    gg_repo_peel_commit(&commit, s->repo, &commit) < 0 ||
	    gg_repo_commit_tree(&tree, s->repo, &commit) < 0)
		return 0;
	err = gg_repo_tree_lookup(&e, s->repo, &tree, GG_POLICY_IN_REPO_PATH);
	if (err == GG_ENOTFOUND)
		return 1;
	gg_buf_init(&b, 1024 * 1024);
	if (!err && e.kind == GG_ENTRY_BLOB &&
	    gg_repo_blob_read(&b, s->repo, &e.oid) == 0)
		ok = gg_policy_validate_for(&s->policy, s->in_repo_policy,
					    b.buf, b.len) == 0;
	gg_buf_release(&b);
	gg_error_clear();
	return ok;
}

/*
 * An in-repo policy that does not validate (one from before a stricter
 * version of gitops-guard, or before the hook was installed) rejects
 * every push but the one that repairs it, which the server-side layers
 * judge alone.
 */
static int check_in_repo_policy(struct gg_result *out, struct gg_session *s,
				const struct gg_push *push)
{
	char *why;
	size_t i;

	for (i = 0; i < push->nr; i++) {
		if (repairs_policy(s, &push->updates[i])) {
			gg_strvec_push_take(
				&out->warnings,
				gg_xasprintf(
					"the in-repo policy is invalid (%s); this push "
					"repairs it and is judged by the server-side "
					"policy alone",
					s->in_repo_error));
			return 0;
		}
	}
	why = gg_xstrdup(s->in_repo_error);
	gg_error_set("%s; only a push to %s that makes %s valid (or removes "
		     "it) is accepted until then",
		     why, s->default_ref, GG_POLICY_IN_REPO_PATH);
	free(why);
	return GG_EINVALID;
}

int gg_engine_run(struct gg_result *out, struct gg_session *s,
		  const struct gg_push *push)
{
	struct gg_waivers w;
	size_t i;
	int err = 0, guarded;

	gg_waivers_init(&w);
	w.policy = &s->policy;
	if (s->in_repo_error && (err = check_in_repo_policy(out, s, push)) < 0)
		goto done;
	gg_waivers_from_options(&w, &s->ctx.push_options);
	out->verbose = w.verbose;
	for (i = 0; i < s->remarks.nr; i++)
		gg_strvec_push(&out->warnings, s->remarks.v[i]);
	for (i = 0; i < s->policy.notes.nr; i++)
		gg_strvec_push_take(
			&out->warnings,
			gg_xasprintf("policy: %s", s->policy.notes.v[i]));
	for (i = 0; i < push->nr && !err; i++) {
		const struct gg_update *u = &push->updates[i];

		out->refs_total++;
		if (u->kind == GG_UPDATE_NOOP)
			continue;
		guarded = gg_engine_ref_guarded(s, u->ref);
		if (guarded < 0) {
			err = guarded;
			break;
		}
		if (!guarded) {
			gg_strvec_push_take(
				&out->notes,
				gg_xasprintf(
					"%s: not guarded by the policy; not inspected",
					u->ref));
			continue;
		}
		if (gg_context_expired(&s->ctx) || out->timed_out) {
			out->timed_out = 1;
			break;
		}
		err = judge_update(out, s, &w, push, u);
	}
	for (i = 0; i < w.problems.nr; i++)
		gg_strvec_push(&out->warnings, w.problems.v[i]);
	if (!err) {
		gg_waivers_apply(out, &w, &s->policy, s->ctx.pusher);
		out->rejected =
			out->nblocking > 0 ||
			(out->timed_out && !s->policy.limits.on_timeout_accept);
	}
done:
	out->duration_ms = gg_context_elapsed_ms(&s->ctx);
	gg_waivers_release(&w);
	return err;
}
