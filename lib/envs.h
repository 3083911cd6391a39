/*
 * Environments: the ordered tiers a change is promoted through, lowest
 * first.  From the policy's `environments` (path globs, or a branch for
 * branch-per-environment), else recognised from path segments:
 *
 *   tier 0 dev      dev, development
 *   tier 1 qa       qa, test, integration
 *   tier 2 staging  staging, stage, uat, preprod
 *   tier 3 prod     prod, production, prd        (protected)
 *
 * each also with a "-suffix" ("prod-eu" is in tier prod and is its own
 * environment).  A directory segment counts, and so does a part of the
 * file name split at '-', '_' and '.' ("values-prod.yaml").  The deepest
 * match wins.  Without a policy the top tier is protected; with one, an
 * environment is protected when it says so, or when it is the top tier
 * and says nothing.
 */
#ifndef GG_ENVS_H
#define GG_ENVS_H

#include <stddef.h>

#include "policy.h"

struct gg_env {
	int tier;      /* -1: no environment */
	char name[64]; /* "prod-eu" (built-in) or the policy's name */
	int protect;
	/* placed only by a glob that a later layer (repo config, in-repo)
	 * added to the list of environments of a layer below, and that
	 * allow_loosen does not let loosen 'environments': not evidence
	 * that a lower environment ran something.  The globs of the layer
	 * that set the list are evidence. */
	int later;
};

/*
 * The environment of a file (`is_dir` 0) or directory (`is_dir` 1).
 * With the policy's environments: of the globs of the earliest layer
 * that has one matching the path, those of the highest tier decide; a
 * later layer's globs only place files that no earlier layer's do.
 */
void gg_env_of_path(struct gg_env *out, const struct gg_policy *p,
		    const char *path, int is_dir);

/* The environment whose `branch` is `branch` (policy only). */
void gg_env_of_branch(struct gg_env *out, const struct gg_policy *p,
		      const char *branch);

/*
 * The environment of a file (`is_dir` 0) or directory on ref `ref`
 * ("refs/heads/prod"): in the branch-per-environment model every file of
 * an environment's branch belongs to that environment; on other refs the
 * path decides (gg_env_of_path).
 */
void gg_env_of_ref_path(struct gg_env *out, const struct gg_policy *p,
			const char *ref, const char *path, int is_dir);

/*
 * The nearest environment below tier `tier` that has a branch (policy
 * `environments[].branch`): its index, or -1 when there is none.
 */
int gg_env_branch_below(const struct gg_policy *p, int tier);

/* Number of tiers, and a tier's name ("dev", ...). */
size_t gg_env_tiers(const struct gg_policy *p);
const char *gg_env_tier_name(const struct gg_policy *p, int tier);

/* The tier's protection as configured. */
int gg_env_tier_protected(const struct gg_policy *p, int tier);

/*
 * Substitute the environment segment of `path` (built-in recognition):
 * with `env` at the segment that made `path` belong to tier `from`,
 * replaced by `to` ("envs/prod-eu/x" with to "staging" gives
 * "envs/staging-eu/x").  Caller owns the result; NULL when no segment
 * matched.
 */
char *gg_env_substitute(const char *path, int from, const char *to);

/* The built-in names of a tier (NULL-terminated list), for callers that
 * look for counterparts. */
const char *const *gg_env_aliases(int tier);

#endif
