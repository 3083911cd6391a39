/*
 * promotion/skipped-stage: a version value (image tag or digest, chart
 * version, OCI ref, Helm values tag) set in an environment that no
 * environment of the next lower tier of the same app has, before or
 * after the push.  Versions come from versions.c, the lower tier's files
 * from counterpart.c (the path with the environment replaced), else from
 * the app index (the same app in the lower tier), else from the next
 * lower environment's branch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check-versions-internal.h"
#include "xalloc.h"
#include "banned.h"

#define RULE "promotion/skipped-stage"

static const struct gg_param_spec params[] = {
	{ "values_tag_keys", GG_PARAM_STRINGS, GG_TIGHTER_MORE,
	  "[image.tag, \"*.image.tag\"]",
	  "dotted keys of image tags in Helm values; `*` is one key, `**` any "
	  "number of keys" },
	{ "tag_beside_repository", GG_PARAM_BOOL, GG_TIGHTER_HIGHER, "true",
	  "also read every `tag` key that has a `repository` key beside it" },
	{ NULL, 0, 0, NULL, NULL }
};

static const struct gg_rule_info rules[] = {
	{ RULE, GG_SEV_BLOCK,
	  "sets a version (image tag or digest, chart version, "
	  "`targetRevision`) in an environment that no lower environment of "
	  "the same app has",
	  "A version moves up the tiers one environment at a time.  For each "
	  "file of an environment above the lowest that the push adds or "
	  "changes, the rule reads the version values it sets (values the "
	  "file did not have before, and that no other changed file of the "
	  "same environment had): kustomize images (newTag, digest), "
	  "container image fields of workloads and patches, HelmRelease and "
	  "Flux HelmChart chart versions, kustomize helmCharts, OCIRepository "
	  "refs, Argo CD chart sources' targetRevision, image tags in Helm "
	  "values (the values_tag_keys patterns, and every tag beside a "
	  "repository), and .argocd-source*.yaml overrides.  It then looks "
	  "for the same app in the next lower tier: the path with its "
	  "environment part replaced by each sibling of that tier (prod-eu "
	  "looks at staging-eu, staging-us and staging alike), else an app of "
	  "the app index in that tier whose name is the same apart from the "
	  "environment words, else, with a branch per environment, the same "
	  "directory on the next lower environment's branch.  A folder a "
	  "later policy layer (repository config, in-repo) places in the "
	  "lower tier, by an environments glob or an apps entry's "
	  "environment, is no counterpart unless the system policy's "
	  "allow_loosen names environments or apps.  A tier without "
	  "the app is skipped in favour of the one below it.  The value passes "
	  "when any lower counterpart has it for the same image, chart or "
	  "key, before or after the push (a value with a digest needs the same "
	  "digest there, one with only a tag the same tag); a file that becomes a copy of a lower counterpart (promote "
	  "by copy) passes whole.  An app with no counterpart in any lower "
	  "tier is not judged; an info finding says so.  The finding names "
	  "what was compared and what the lower environments have.",
	  params },
	{ NULL, 0, NULL, NULL, NULL }
};

/* --- judging -------------------------------------------------------------- */

/* What the lower tier has, for the finding: "they have '1.4'". */
static void found_there(struct gg_buf *out, const struct gg_versions *lower,
			const struct gg_version *v, size_t nscopes,
			size_t unreadable)
{
	struct gg_buf values = GG_BUF_INIT;

	gg_versions_list_values(&values, lower, v, 3);
	if (values.len)
		gg_buf_addf(out, "%s %s", nscopes > 1 ? "they have" : "it has",
			    values.buf);
	else
		gg_buf_addf(out, "no %s '%s' there at all",
			    gg_version_kind_name(v->kind), v->name);
	gg_buf_release(&values);
	if (unreadable)
		gg_buf_addf(out, "; %zu %s there could not be read as YAML",
			    unreadable, unreadable == 1 ? "file" : "files");
}

static void report(struct gg_skip *k, const struct gg_file_change *fc,
		   const struct gg_version *v, const struct gg_versions *lower,
		   size_t unreadable, const struct gg_counterparts *cps,
		   int tier)
{
	const struct gg_policy *p = &k->run->s->policy;
	const char *tname = k->branch_env >= 0 ? p->envs[tier].name
					       : gg_env_tier_name(p, tier);
	struct gg_report_spec spec = { RULE, fc->path, v->line,	  NULL,
				       NULL, NULL,     GG_SEV_OFF };
	struct gg_buf what = GG_BUF_INIT, where = GG_BUF_INIT;
	struct gg_buf have = GG_BUF_INIT, hint = GG_BUF_INIT;
	size_t i, n = 0;

	gg_version_describe(&what, v);
	for (i = 0; i < cps->nr; i++) {
		if (!cps->v[i].exists)
			continue;
		if (n++ == 3) {
			gg_buf_adds(&where, ", ...");
			break;
		}
		gg_buf_addf(&where, "%s%s%s%s", n > 1 ? ", " : "",
			    k->branch_env >= 0 ? p->envs[tier].branch : "",
			    k->branch_env >= 0 ? ":" : "", cps->v[i].scope);
	}
	found_there(&have, lower, v, n, unreadable);
	gg_buf_addf(&hint,
		    "promote the version through %s first, or copy %s's "
		    "files",
		    tname, tname);
	spec.hint = hint.buf;
	gg_check_report(k->run, &spec,
			"%s skips %s: not in %s before or after the push (%s)",
			what.buf, tname, where.buf, have.buf);
	gg_buf_release(&what);
	gg_buf_release(&where);
	gg_buf_release(&have);
	gg_buf_release(&hint);
}

static int contains(const struct gg_versions *vs, const struct gg_version *v)
{
	size_t i;

	for (i = 0; vs && i < vs->nr; i++)
		if (gg_version_equal(&vs->v[i], v))
			return 1;
	return 0;
}

static struct gg_versions *prior_of(struct gg_skip *k, const char *env, int add)
{
	struct prior *pr;
	size_t i;

	for (i = 0; i < k->nprior; i++)
		if (!strcmp(k->prior[i].env, env))
			return &k->prior[i].vs;
	if (!add)
		return NULL;
	GG_ALLOC_GROW(k->prior, k->nprior + 1, k->prior_alloc);
	pr = &k->prior[k->nprior++];
	snprintf(pr->env, sizeof(pr->env), "%s", env);
	gg_versions_init(&pr->vs);
	return &pr->vs;
}

/* The values `fc` sets that its environment did not have. */
static int set_values(struct gg_skip *k, struct gg_versions *set,
		      const struct gg_file_change *fc, const char *env)
{
	struct gg_versions now, old;
	const struct gg_versions *prior = prior_of(k, env, 0);
	size_t i;
	int err;

	gg_versions_init(&now);
	gg_versions_init(&old);
	err = gg_skip__blob_versions(k, &now, &fc->new_oid, fc->path);
	if (!err && fc->status == GG_DELTA_MODIFIED &&
	    fc->old_kind == GG_ENTRY_BLOB)
		err = gg_skip__blob_versions(k, &old, &fc->old_oid, fc->path);
	for (i = 0; !err && i < now.nr; i++)
		if (!contains(&old, &now.v[i]) && !contains(prior, &now.v[i]))
			gg_versions_add(set, &now.v[i]);
	gg_versions_release(&now);
	gg_versions_release(&old);
	return err;
}

static int judge_file(struct gg_skip *k, const struct gg_file_change *fc,
		      const struct gg_env *env)
{
	struct gg_versions set, lower;
	struct gg_counterparts cps;
	struct gg_report_spec spec = { RULE, fc->path, 0,	  NULL,
				       NULL, NULL,     GG_SEV_OFF };
	const char *from;
	size_t i, unreadable = 0;
	int tier, err;

	gg_versions_init(&set);
	gg_versions_init(&lower);
	gg_counterparts_init(&cps);
	if ((err = set_values(k, &set, fc, env->name)) < 0 || !set.nr)
		goto out;
	if ((err = gg_skip__find(&cps, k, fc->path, env, &tier)) < 0)
		goto out;
	if (tier < 0) {
		gg_check_inform(k->run, &spec,
				"no lower environment has this app (by path, "
				"app index or branch): a %s-only app, so the "
				"%zu version %s it sets %s not compared",
				env->name, set.nr,
				set.nr == 1 ? "value" : "values",
				set.nr == 1 ? "is" : "are");
		goto out;
	}
	from = gg_skip__copied_from(k, &fc->new_oid, &cps);
	if (from) {
		gg_check_note(k->run, "%s: %s: a copy of %s (promoted by copy)",
			      RULE, fc->path, from);
		goto out;
	}
	if ((err = gg_skip__lower_versions(k, &lower, &unreadable, &cps)) < 0)
		goto out;
	for (i = 0; i < set.nr; i++)
		if (!gg_versions_has(&lower, &set.v[i]))
			report(k, fc, &set.v[i], &lower, unreadable, &cps,
			       tier);
out:
	gg_versions_release(&set);
	gg_versions_release(&lower);
	gg_counterparts_release(&cps);
	return err;
}

/* Which trees hold the lower counterparts, and which files count. */
static int setup(struct gg_skip *k)
{
	const struct gg_refchange *rc = k->run->change;
	const struct gg_policy *p = &k->run->s->policy;
	struct gg_env be;

	gg_env_of_branch(&be, p, gg_ref_branch_name(k->run->update->ref));
	k->branch_env = -1;
	if (be.tier >= 0) {
		k->branch_env = gg_env_branch_below(p, be.tier);
		if (k->branch_env >= 0)
			return gg_skip__branch_trees(
				k, p->envs[k->branch_env].branch);
		if (be.tier > 0)
			gg_check_note(k->run,
				      "%s: no environment below '%s' "
				      "has a branch; not judged",
				      RULE, be.name);
		return 1;
	}
	if (rc->has_base)
		k->trees[k->ntrees++] = rc->base_tree;
	k->trees[k->ntrees++] = rc->new_tree;
	return 0;
}

static int judged(const struct gg_skip *k, const struct gg_file_change *fc,
		  struct gg_env *env)
{
	gg_env_of_ref_path(env, &k->run->s->policy, k->run->update->ref,
			   fc->path, 0);
	return (env->tier > 0 || (env->tier >= 0 && k->branch_env >= 0)) &&
	       gg_path_is_manifest(fc->path);
}

static int judge_all(struct gg_skip *k)
{
	const struct gg_refchange *rc = k->run->change;
	struct gg_env env;
	size_t i;
	int err = 0;

	for (i = 0; i < rc->nfiles && !err; i++)
		if (judged(k, &rc->files[i], &env) &&
		    rc->files[i].old_kind == GG_ENTRY_BLOB &&
		    !gg_oid_is_zero(&rc->files[i].old_oid))
			err = gg_skip__blob_versions(
				k, prior_of(k, env.name, 1),
				&rc->files[i].old_oid, rc->files[i].path);
	for (i = 0; i < rc->nfiles && !err; i++) {
		const struct gg_file_change *fc = &rc->files[i];

		if (gg_context_expired(&k->run->s->ctx)) {
			k->run->result->timed_out = 1;
			break;
		}
		if (fc->status != GG_DELTA_DELETED &&
		    fc->new_kind == GG_ENTRY_BLOB && judged(k, fc, &env))
			err = judge_file(k, fc, &env);
	}
	return err;
}

static int run(struct gg_check_run *run)
{
	const struct gg_policy *p = &run->s->policy;
	struct gg_skip k;
	size_t i;
	int err;

	if (!run->change->has_new || gg_policy_severity(p, RULE) == GG_SEV_OFF)
		return 0;
	if ((err = gg_check_first_push(run)) != 0) {
		if (err > 0)
			gg_check_note(run,
				      "%s: the first push into an empty "
				      "repository is not judged",
				      RULE);
		return err < 0 ? err : 0;
	}
	memset(&k, 0, sizeof(k));
	gg_strtab_init(&k.listed);
	k.run = run;
	k.opts.tag_keys = gg_policy_strs(p, RULE, "values_tag_keys");
	k.opts.tag_beside_repository =
		gg_policy_num(p, RULE, "tag_beside_repository") != 0;
	err = setup(&k);
	if (!err)
		err = judge_all(&k);
	for (i = 0; i < k.ncache; i++) {
		free(k.cache[i].key);
		gg_versions_release(&k.cache[i].vs);
		gg_strvec_release(&k.cache[i].unreadable);
	}
	free(k.cache);
	for (i = 0; i < k.nprior; i++)
		gg_versions_release(&k.prior[i].vs);
	free(k.prior);
	gg_skip__release(&k);
	return err < 0 ? err : 0;
}

const struct gg_check_kind gg_check_versions = { "versions", rules, run };
