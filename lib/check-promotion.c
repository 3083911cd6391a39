/*
 * promotion/direct-edit and promotion/branch-bypass: how a change
 * reaches a protected environment.  Promotion goes through Git, by a
 * merge or the platform's merge flow, or from the next lower
 * environment's branch; a commit that edits prod directly, or lands on an
 * environment branch without passing the branch below, skips it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "envs.h"
#include "merged.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_LISTED 3

static const struct gg_param_spec no_params[] = { { NULL, 0, 0, NULL, NULL } };

static const struct gg_rule_info rules[] = {
	{ "promotion/direct-edit", GG_SEV_BLOCK,
	  "changes a protected environment's files in a commit that did not "
	  "arrive through a merge (a merge commit, or the platform's merge "
	  "flow) and was not pushed by a configured promoter identity",
	  "Changes reach a protected environment (prod by default) through a "
	  "reviewed merge, never by a commit pushed straight onto the guarded "
	  "branch.  The rule reads the new commits of the pushed ref's "
	  "first-parent chain (commits the ref already had are not judged "
	  "again; a new branch is read from where it leaves the default "
	  "branch) and fires for each commit among them that "
	  "changes a file of a protected environment, compared with its "
	  "parent.  The commits a merge brings in pass, and so does the "
	  "merge commit unless it edits a protected file itself: its "
	  "version there is not what merging the parents' versions gives "
	  "as git merges them (from any merge base, conflicts resolved by "
	  "taking ours or theirs in every region, or one side's whole "
	  "version when the file conflicts; a conflict resolved by hand "
	  "into content of neither side counts as an edit).  A merge that "
	  "cannot be judged (a file both sides changed over "
	  "limits.max_blob_bytes, an octopus of more than 16 parents) is "
	  "reported and says so.  "
	  "The whole push passes when it comes through the platform's merge "
	  "flow (GitHub Enterprise GITHUB_VIA naming a merge or "
	  "GITHUB_PULL_REQUEST_HEAD set, Gitea GITEA_PUSH_TRIGGER="
	  "pr-merge-to-base, Bitbucket BB_HOOK_TRIGGER_ID=pull-request-merge) "
	  "or when the pusher is listed in the policy's promoters.  GitLab "
	  "marks every web and API change alike (GL_PROTOCOL=web), so there a "
	  "commit passes when GL_PROTOCOL=web and its message has GitLab's "
	  "merge request line 'See merge request <project>!<number>' (the "
	  "default merge commit template has it; add it to the squash commit "
	  "template for squash merges).  With a branch per environment, "
	  "commits already reachable from the next lower environment's branch "
	  "are promotions, not edits.  One finding per environment names the "
	  "commits and how many files they change.  Past limits.max_commits "
	  "new commits the older ones are not read one by one: their net "
	  "change is judged as a whole, and a protected file it changes is "
	  "reported, since no merge can be established for it.",
	  no_params },
	{ "promotion/branch-bypass", GG_SEV_BLOCK,
	  "puts commits on an environment branch that are not reachable from "
	  "the next lower environment's branch",
	  "With a branch per environment (policy environments[].branch), a "
	  "change is promoted by moving the next lower environment's branch "
	  "into the higher one: a fast-forward or a merge.  The rule reads "
	  "every new commit of a push to an environment branch (not only the "
	  "first-parent chain) and fires when a non-merge commit among them is "
	  "not reachable from the branch of the nearest lower environment that "
	  "has one, either at its tip before the push or at the tip the same "
	  "push gives it.  Merge commits pass; the commits they bring in are "
	  "judged.  A push to the lowest environment branch, or while the "
	  "lower branch does not exist, is not judged (a note says so).  "
	  "Neither the platform's merge flow nor promoters waive this rule: "
	  "the content must have passed the lower environment.  When more "
	  "than limits.max_commits new commits are off the lower branch and "
	  "the newest of them are all merges, the rule fires: the older ones "
	  "were not read.",
	  no_params },
	{ NULL, 0, NULL, NULL, NULL }
};

/* --- shared --------------------------------------------------------------- */

struct tips {
	struct gg_oid v[8];
	size_t nr;
	char desc[600]; /* "refs/heads/staging at 1a2b3c4" */
};

static void add_tip(struct tips *t, const struct gg_oid *oid)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		if (!gg_oid_cmp(&t->v[i], oid))
			return;
	if (t->nr < sizeof(t->v) / sizeof(*t->v))
		t->v[t->nr++] = *oid;
}

/*
 * The tips of the branch of environment `env`: before the push, and the
 * new tip when the same push moves it too.  0 (t->nr may be 0 when the
 * branch does not exist), or a negative error.
 */
static int lower_tips(struct tips *t, struct gg_check_run *run, int env)
{
	const char *branch = run->s->policy.envs[env].branch;
	char ref[512], hex[GG_OID_HEXSZ + 1];
	struct gg_oid oid, raw;
	size_t i;
	int err;

	memset(t, 0, sizeof(*t));
	snprintf(ref, sizeof(ref), "refs/heads/%s", branch);
	err = gg_repo_ref_commit(&oid, run->s->repo, ref);
	if (err < 0 && err != GG_ENOTFOUND)
		return err;
	if (!err) {
		add_tip(t, &oid);
		gg_oid_to_hex(hex, &oid);
		snprintf(t->desc, sizeof(t->desc), "%s at %.7s", ref, hex);
	}
	for (i = 0; run->push && i < run->push->nr; i++) {
		const struct gg_update *u = &run->push->updates[i];

		if (strcmp(u->ref, ref) || u->kind == GG_UPDATE_DELETE ||
		    u->kind == GG_UPDATE_NOOP ||
		    gg_oid_from_hex(&raw, u->new_hex) < 0 ||
		    gg_repo_peel_commit(&oid, run->s->repo, &raw) < 0)
			continue;
		add_tip(t, &oid);
		snprintf(t->desc, sizeof(t->desc), "%s pushed to %.7s", ref,
			 u->new_hex);
	}
	return 0;
}

/* "commit 1a2b3c4" or "3 commits (1a2b3c4, 5d6e7f8, 9a0b1c2, ...)";
 * `what` may qualify them ("merge "). */
static void commit_list(struct gg_buf *b, const char *what,
			const struct gg_strvec *ids)
{
	size_t i;

	if (ids->nr == 1) {
		gg_buf_addf(b, "%scommit %s", what, ids->v[0]);
		return;
	}
	gg_buf_addf(b, "%zu %scommits (", ids->nr, what);
	for (i = 0; i < ids->nr && i < MAX_LISTED; i++)
		gg_buf_addf(b, "%s%s", i ? ", " : "", ids->v[i]);
	gg_buf_adds(b, ids->nr > MAX_LISTED ? ", ...)" : ")");
}

static void short_id(char *out, const struct gg_oid *oid)
{
	char hex[GG_OID_HEXSZ + 1];

	gg_oid_to_hex(hex, oid);
	memcpy(out, hex, 7);
	out[7] = '\0';
}

/* --- promotion/direct-edit ------------------------------------------------ */

struct edit_env {
	char name[64];
	int merge; /* 0 direct edits, else by merge commits themselves: 1,
		      or GG_MERGED_TOO_LARGE / _TOO_MANY, not judged */
	struct gg_strvec commits; /* short ids, walk order */
	struct gg_strvec paths;
	char first_commit[GG_OID_HEXSZ + 1];
};

struct edits {
	struct gg_check_run *run;
	struct edit_env *v;
	size_t nr, alloc;
	const struct gg_oid *commit;   /* being read */
	struct gg_merged *merge;       /* its parents, when it is a merge */
	struct gg_merged_cache *cache; /* line merges of the walk */
	size_t mr_commits;	       /* passed as GitLab merge requests */
	struct gg_oid last;	       /* the last commit the walk gave */
};

static struct edit_env *edit_env(struct edits *e, const char *name, int merge)
{
	struct edit_env *v;
	size_t i;

	for (i = 0; i < e->nr; i++)
		if (!strcmp(e->v[i].name, name) && e->v[i].merge == merge)
			return &e->v[i];
	GG_ALLOC_GROW(e->v, e->nr + 1, e->alloc);
	v = &e->v[e->nr++];
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->merge = merge;
	gg_strvec_init(&v->commits);
	gg_strvec_init(&v->paths);
	return v;
}

static int on_edit_delta(const struct gg_delta *d, void *payload)
{
	struct edits *e = payload;
	struct gg_env env;
	struct edit_env *v;
	char id[8];
	int err = 0;

	gg_env_of_ref_path(&env, &e->run->s->policy, e->run->update->ref,
			   d->path, 0);
	if (env.tier < 0 || !env.protect)
		return 0;
	if (e->merge) {
		/* a merge edits only what its parents do not give */
		err = gg_merged_path(
			e->merge, d->path,
			d->status == GG_DELTA_DELETED ? NULL : &d->new_oid);
		if (err < 0 || err == 1)
			return err < 0 ? err : 0;
	}
	v = edit_env(e, env.name, e->merge ? (err ? err : 1) : 0);
	short_id(id, e->commit);
	if (!v->commits.nr)
		gg_oid_to_hex(v->first_commit, e->commit);
	if (!v->commits.nr || strcmp(v->commits.v[v->commits.nr - 1], id))
		gg_strvec_push(&v->commits, id);
	if (v->paths.nr < 10000)
		gg_strvec_push(&v->paths, d->path);
	return 0;
}

/* "group/project!12" or "!12": no blanks, '!' and digits at the end. */
static int mr_reference(const char *s, size_t n)
{
	const char *bang = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			return 0;
		if (s[i] == '!')
			bang = s + i;
	}
	if (!bang || bang + 1 == s + n)
		return 0;
	for (i = (size_t)(bang + 1 - s); i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* GitLab's merge request line: "See merge request group/project!12". */
static int has_mr_line(const char *msg)
{
	static const char lead[] = "See merge request ";
	const size_t nlead = sizeof(lead) - 1;
	const char *line = msg;

	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);

		while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
			len--;
		if (len > nlead && !strncmp(line, lead, nlead) &&
		    mr_reference(line + nlead, len - nlead))
			return 1;
		line = eol ? eol + 1 : NULL;
	}
	return 0;
}

static int on_edit_commit(const struct gg_oid *commit, void *payload)
{
	struct edits *e = payload;
	struct gg_session *s = e->run->s;
	struct gg_commit_info ci;
	struct gg_oid parent_tree;
	struct gg_merged merged;
	int err;

	e->last = *commit;
	if ((err = gg_repo_commit_info(&ci, s->repo, commit)) < 0)
		return err;
	if (s->ctx.platform == GG_PLATFORM_GITLAB && s->ctx.web &&
	    has_mr_line(ci.message)) {
		e->mr_commits++;
		goto out;
	}
	if (ci.nparents > 1 && gg_context_expired(&s->ctx)) {
		err = GG_ETIMEOUT; /* between merges, which take time */
		goto out;
	}
	if (ci.nparents > 1 &&
	    (err = gg_merged_init(&merged, s->repo, commit,
				  (size_t)s->policy.limits.max_blob_bytes,
				  e->cache)) < 0)
		goto out;
	if (ci.nparents && (err = gg_repo_commit_tree(&parent_tree, s->repo,
						      &ci.first_parent)) < 0)
		goto out;
	/* a merge is compared with its first parent, the branch it lands on */
	e->commit = commit;
	e->merge = ci.nparents > 1 ? &merged : NULL;
	err = gg_repo_diff_trees(s->repo, ci.nparents ? &parent_tree : NULL,
				 &ci.tree, on_edit_delta, e);
	e->merge = NULL;
out:
	gg_commit_info_release(&ci);
	return err;
}

/* Does the net change of the ref touch a protected environment? */
static int touches_protected(struct gg_check_run *run)
{
	size_t i;

	for (i = 0; i < run->change->nfiles; i++) {
		struct gg_env env;

		gg_env_of_ref_path(&env, &run->s->policy, run->update->ref,
				   run->change->files[i].path, 0);
		if (env.tier >= 0 && env.protect)
			return 1;
	}
	return 0;
}

static void report_edit(struct gg_check_run *run, struct edit_env *v)
{
	const struct gg_context *ctx = &run->s->ctx;
	struct gg_report_spec spec = { "promotion/direct-edit",
				       NULL,
				       0,
				       v->first_commit,
				       NULL,
				       NULL,
				       GG_SEV_OFF };
	struct gg_buf who = GG_BUF_INIT, ids = GG_BUF_INIT, why = GG_BUF_INIT;

	gg_strvec_sort_uniq(&v->paths);
	spec.path = v->paths.v[0];
	spec.hint =
		v->merge == GG_MERGED_TOO_LARGE
			? "raise the policy's limits.max_blob_bytes, merge "
			  "through a pull or merge request, or let a promoter "
			  "identity push it (policy 'promoters')"
		: v->merge == GG_MERGED_TOO_MANY
			? "merge fewer branches at once, merge through a "
			  "pull or merge request, or let a promoter identity "
			  "push it (policy 'promoters')"
		: v->merge ? "make the change in a commit of the merged "
			     "branch (resolve conflicts by taking one "
			     "side), merge through a pull or merge "
			     "request, or let a promoter identity push it "
			     "(policy 'promoters')"
			   : "merge the change through a pull or merge "
			     "request, or let a promoter identity push it "
			     "(policy 'promoters')";
	commit_list(&ids, v->merge ? "merge " : "", &v->commits);
	if (ctx->pusher)
		gg_buf_addf(&who, "pusher '%s' is not a promoter", ctx->pusher);
	else
		gg_buf_adds(&who, "the platform names no pusher to match "
				  "promoters");
	if (v->merge == GG_MERGED_TOO_LARGE || v->merge == GG_MERGED_TOO_MANY)
		gg_buf_addf(&why, "the %s could not be judged (",
			    v->commits.nr == 1 ? "merge" : "merges");
	if (v->merge == GG_MERGED_TOO_LARGE)
		gg_buf_adds(&why, "a version of a file is larger than "
				  "limits.max_blob_bytes, so the parents' "
				  "versions were not merged)");
	else if (v->merge == GG_MERGED_TOO_MANY)
		gg_buf_addf(&why,
			    "more than %d parents, only the first %d were "
			    "merged)",
			    GG_MERGED_MAX_PARENTS, GG_MERGED_MAX_PARENTS);
	else
		gg_buf_adds(&why,
			    !v->merge ? "no merge commit"
			    : v->commits.nr == 1
				    ? "content that merging its parents does "
				      "not give"
				    : "content that merging their parents "
				      "does not give");
	gg_check_report(
		run, &spec,
		"%s %s protected environment '%s'%s (%zu %s): "
		"%s, %s, and %s",
		ids.buf, v->commits.nr == 1 ? "changes" : "change", v->name,
		v->merge == 1 ? " itself"
		: v->merge    ? ""
			      : " directly",
		v->paths.nr, v->paths.nr == 1 ? "file" : "files", why.buf,
		ctx->platform == GG_PLATFORM_GITLAB && ctx->web
			? "a GitLab web commit naming no merge request"
			: "no platform merge",
		who.buf);
	gg_buf_release(&why);
	gg_buf_release(&who);
	gg_buf_release(&ids);
}

static void report_untraced(struct gg_check_run *run, struct edit_env *v,
			    long long limit)
{
	struct gg_report_spec spec = { "promotion/direct-edit",
				       NULL,
				       0,
				       v->first_commit,
				       NULL,
				       NULL,
				       GG_SEV_OFF };

	gg_strvec_sort_uniq(&v->paths);
	spec.path = v->paths.v[0];
	spec.hint = "push the history in parts of at most limits.max_commits "
		    "new commits (git push <remote> <commit>:<ref>), merge it "
		    "through a pull or merge request, or let a promoter "
		    "identity push it";
	gg_check_report(run, &spec,
			"the push has more than %lld new commits; those older "
			"than the newest %lld (up to commit %.7s) change "
			"protected environment '%s' (%zu %s) and were not "
			"read, so no merge can be established for them",
			limit, limit, v->first_commit, v->name, v->paths.nr,
			v->paths.nr == 1 ? "file" : "files");
}

/*
 * The walk stopped at limits.max_commits: the commits below the last
 * one it gave were not read.  Their net change, from the base of the
 * ref change to the parent of that commit, is judged as a whole: the
 * protected files it changes are reported, since whether a merge or a
 * direct edit brought them cannot be told without reading them.
 */
static int untraced(struct gg_check_run *run, const struct edits *e)
{
	const struct gg_refchange *rc = run->change;
	struct gg_repo *repo = run->s->repo;
	struct edits u = { run, NULL, 0, 0, NULL, NULL, NULL, 0, { { 0 } } };
	struct gg_oid parents[1], tree;
	size_t i;
	int err;

	err = gg_repo_commit_parents(parents, 1, repo, &e->last);
	if (err <= 0)
		return err; /* a root commit: nothing below it */
	if ((err = gg_repo_commit_tree(&tree, repo, &parents[0])) < 0)
		return err;
	u.commit = &parents[0];
	err = gg_repo_diff_trees(repo, rc->has_base ? &rc->base_tree : NULL,
				 &tree, on_edit_delta, &u);
	for (i = 0; i < u.nr; i++) {
		if (!err)
			report_untraced(run, &u.v[i],
					run->s->policy.limits.max_commits);
		gg_strvec_release(&u.v[i].commits);
		gg_strvec_release(&u.v[i].paths);
	}
	free(u.v);
	return err;
}

/* The commits not to judge: what the ref had, and promotions. */
static int edit_hides(struct tips *hide, struct gg_check_run *run)
{
	const struct gg_refchange *rc = run->change;
	struct gg_env env;
	int lower, err;

	gg_env_of_branch(&env, &run->s->policy,
			 gg_ref_branch_name(run->update->ref));
	lower = env.tier >= 0 ? gg_env_branch_below(&run->s->policy, env.tier)
			      : -1;
	memset(hide, 0, sizeof(*hide));
	if (lower >= 0 && (err = lower_tips(hide, run, lower)) < 0)
		return err;
	if (rc->has_old)
		add_tip(hide, &rc->old_commit);
	else if (run->s->has_default_tip)
		add_tip(hide, &run->s->default_tip);
	return 0;
}

static int direct_edit(struct gg_check_run *run)
{
	struct gg_session *s = run->s;
	struct edits e = { run, NULL, 0, 0, NULL, NULL, NULL, 0, { { 0 } } };
	struct gg_merged_cache cache;
	struct tips hide;
	size_t i;
	int err;

	if (!run->change->has_new || !touches_protected(run))
		return 0;
	if ((err = gg_check_first_push(run)) != 0) {
		if (err > 0)
			gg_check_note(run,
				      "promotion/direct-edit: the first "
				      "push into an empty repository is not "
				      "judged");
		return err < 0 ? err : 0;
	}
	if (s->ctx.merge_flow) {
		gg_check_note(run, "promotion/direct-edit: arrived through %s",
			      s->ctx.merge_flow);
		return 0;
	}
	if (gg_policy_has_identity(&s->policy.promoters, s->ctx.pusher)) {
		gg_check_note(run,
			      "promotion/direct-edit: pushed by promoter "
			      "'%s'",
			      s->ctx.pusher);
		return 0;
	}
	if ((err = edit_hides(&hide, run)) < 0)
		return err;
	memset(&cache, 0, sizeof(cache));
	e.cache = &cache;
	err = gg_repo_walk(s->repo, &run->change->new_commit, hide.v, hide.nr,
			   1, (size_t)s->policy.limits.max_commits,
			   on_edit_commit, &e);
	if (err == GG_ETIMEOUT) {
		/* what was found is reported; the run says it timed out */
		run->result->timed_out = 1;
		err = 0;
	}
	if (err == GG_ELIMIT) {
		gg_check_note(run,
			      "promotion/direct-edit: %s; only those "
			      "were read, the net change below them is judged "
			      "as a whole",
			      gg_error_last());
		err = untraced(run, &e);
	}
	if (e.mr_commits)
		gg_check_note(run,
			      "promotion/direct-edit: %zu commits carry "
			      "GitLab's merge request line",
			      e.mr_commits);
	for (i = 0; i < e.nr; i++) {
		if (!err)
			report_edit(run, &e.v[i]);
		gg_strvec_release(&e.v[i].commits);
		gg_strvec_release(&e.v[i].paths);
	}
	free(e.v);
	return err;
}

/* --- promotion/branch-bypass ---------------------------------------------- */

struct bypass {
	struct gg_repo *repo;
	struct gg_strvec ids;
	char first[GG_OID_HEXSZ + 1];
};

static int on_bypass_commit(const struct gg_oid *commit, void *payload)
{
	struct bypass *b = payload;
	struct gg_oid parents[2];
	char id[8];
	int n = gg_repo_commit_parents(parents, 2, b->repo, commit);

	if (n < 0)
		return n;
	if (n > 1)
		return 0;
	if (!b->ids.nr)
		gg_oid_to_hex(b->first, commit);
	short_id(id, commit);
	gg_strvec_push(&b->ids, id);
	return 0;
}

static void report_bypass(struct gg_check_run *run, struct bypass *b,
			  const char *lower, const char *own,
			  const struct tips *t)
{
	struct gg_report_spec spec = { "promotion/branch-bypass",
				       NULL,
				       0,
				       b->first,
				       NULL,
				       NULL,
				       GG_SEV_OFF };
	struct gg_buf ids = GG_BUF_INIT, hint = GG_BUF_INIT;

	commit_list(&ids, "", &b->ids);
	gg_buf_addf(&hint,
		    "land the change on '%s' first, then fast-forward "
		    "or merge '%s' into '%s'",
		    lower, lower, own);
	spec.hint = hint.buf;
	gg_check_report(run, &spec,
			"%s %s not on the next lower environment's branch '%s' "
			"(%s)",
			ids.buf, b->ids.nr == 1 ? "is" : "are", lower, t->desc);
	gg_buf_release(&ids);
	gg_buf_release(&hint);
}

/* More new commits than limits.max_commits are off the lower branch,
 * and the ones read were all merges: the others are not judged. */
static void report_unread(struct gg_check_run *run, const char *lower,
			  const char *own, const struct tips *t)
{
	const struct gg_refchange *rc = run->change;
	struct gg_report_spec spec = {
		"promotion/branch-bypass", NULL, 0, NULL, NULL, NULL, GG_SEV_OFF
	};
	struct gg_buf hint = GG_BUF_INIT;
	char hex[GG_OID_HEXSZ + 1];

	gg_oid_to_hex(hex, &rc->new_commit);
	spec.commit = hex;
	gg_buf_addf(&hint,
		    "land the change on '%s' first, then fast-forward or merge "
		    "'%s' into '%s'; or push fewer new commits at a time "
		    "(limits.max_commits)",
		    lower, lower, own);
	spec.hint = hint.buf;
	gg_check_report(run, &spec,
			"more than %lld new commits are not on the next lower "
			"environment's branch '%s' (%s); the newest %lld are "
			"merges, the older ones were not read and cannot be "
			"shown to have passed it",
			run->s->policy.limits.max_commits, lower, t->desc,
			run->s->policy.limits.max_commits);
	gg_buf_release(&hint);
}

static int branch_bypass(struct gg_check_run *run)
{
	const struct gg_policy *p = &run->s->policy;
	const char *own = gg_ref_branch_name(run->update->ref);
	struct bypass b = { run->s->repo, GG_STRVEC_INIT, "" };
	struct gg_env env;
	struct tips t;
	int lower, err;

	gg_env_of_branch(&env, p, own);
	if (env.tier < 0 || !run->change->has_new)
		return 0;
	lower = gg_env_branch_below(p, env.tier);
	if (lower < 0)
		return 0;
	if ((err = lower_tips(&t, run, lower)) < 0)
		return err;
	if (!t.nr) {
		gg_check_note(run,
			      "promotion/branch-bypass: branch '%s' of "
			      "environment '%s' does not exist; not judged",
			      p->envs[lower].branch, p->envs[lower].name);
		return 0;
	}
	if (run->change->has_old)
		add_tip(&t, &run->change->old_commit);
	err = gg_repo_walk(run->s->repo, &run->change->new_commit, t.v, t.nr, 0,
			   (size_t)p->limits.max_commits, on_bypass_commit, &b);
	if (err == GG_ELIMIT) {
		gg_check_note(run,
			      "promotion/branch-bypass: %s; only those "
			      "were read",
			      gg_error_last());
		err = 0;
		if (!b.ids.nr) /* all merges: the rest cannot pass unread */
			report_unread(run, p->envs[lower].branch, own, &t);
	}
	if (!err && b.ids.nr)
		report_bypass(run, &b, p->envs[lower].branch, own, &t);
	gg_strvec_release(&b.ids);
	return err;
}

static int run(struct gg_check_run *run)
{
	int err = direct_edit(run);

	return err < 0 ? err : branch_bypass(run);
}

const struct gg_check_kind gg_check_promotion = { "promotion", rules, run };
