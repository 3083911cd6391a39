/*
 * policy/changed: a push to the default branch that changes the in-repo
 * policy file.  The change never applies to the push that makes it (the
 * policy is read from the pre-push tip); a new version that does not
 * validate is blocked outright, since every later push would fail.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "manifest.h"
#include "banned.h"

static const struct gg_param_spec no_params[] = { { NULL, 0, 0, NULL, NULL } };

static const struct gg_rule_info rules[] = {
	{ "policy/changed", GG_SEV_CONFIRM, "changes the in-repo policy file",
	  "The push changes .gitops-guard.yaml on the default branch.  The new "
	  "policy takes effect for the next push, never for the push that "
	  "changes it, so a push cannot weaken its own checks; a change still "
	  "needs a deliberate confirmation (and an owner's, if the policy names "
	  "owners for the file).  A new version that does not validate is "
	  "blocked whatever this rule's severity: it would make every later "
	  "push fail.",
	  no_params },
	{ NULL, 0, NULL, NULL, NULL }
};

static int validate_new(struct gg_check_run *run,
			const struct gg_file_change *fc, const char *name)
{
	struct gg_report_spec spec = {
		"policy/changed", fc->path, 0, NULL, NULL, NULL, GG_SEV_BLOCK
	};
	struct gg_buf b = GG_BUF_INIT;
	int err;

	if (fc->new_kind != GG_ENTRY_BLOB) {
		spec.hint = "make .gitops-guard.yaml a regular file";
		gg_check_report(run, &spec,
				"the new policy is not a regular file");
		return 0;
	}
	gg_buf_init(&b, 1024 * 1024);
	err = gg_repo_blob_read(&b, run->s->repo, &fc->new_oid);
	if (err == GG_ELIMIT) {
		spec.hint = "keep the policy file under 1 MiB";
		gg_check_report(run, &spec,
				"the new policy is larger than 1 MiB");
		err = 1;
	} else if (!err && gg_policy_validate_for(&run->s->policy, name, b.buf,
						  b.len) < 0) {
		spec.hint = "fix it; check with: gitops-guard policy check "
			    ".gitops-guard.yaml";
		gg_check_report(run, &spec,
				"the new policy is invalid: %s; every "
				"later push would be rejected",
				gg_error_last());
		err = 1;
	}
	gg_buf_release(&b);
	return err;
}

static int run(struct gg_check_run *run)
{
	const struct gg_refchange *rc = run->change;
	const struct gg_file_change *fc;
	struct gg_report_spec spec = {
		"policy/changed", GG_POLICY_IN_REPO_PATH, 0, NULL, NULL, NULL,
		GG_SEV_OFF
	};
	char name[256];
	int err;

	if (!run->s->default_ref ||
	    strcmp(run->update->ref, run->s->default_ref))
		return 0;
	fc = gg_refchange_find(rc, GG_POLICY_IN_REPO_PATH);
	if (!fc)
		return 0;
	snprintf(name, sizeof(name), "%s:%s", gg_session_default_branch(run->s),
		 GG_POLICY_IN_REPO_PATH);
	if (fc->status != GG_DELTA_DELETED &&
	    (err = validate_new(run, fc, name)) != 0)
		return err < 0 ? err : 0;
	if (!run->change->has_old)
		return 0; /* the default branch is created: nothing to weaken */
	spec.hint = "the new policy applies from the next push on";
	if (fc->status == GG_DELTA_DELETED)
		gg_check_report(run, &spec,
				"removes the in-repo policy; the "
				"server-side policy alone will apply");
	else
		gg_check_report(run, &spec, "%s the in-repo policy",
				fc->status == GG_DELTA_ADDED ? "adds"
							     : "changes");
	return 0;
}

const struct gg_check_kind gg_check_policy = { "policy", rules, run };
