/*
 * Unit tests for envs.c: environments of paths, of refs in the
 * branch-per-environment model, and path substitution.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envs.h"
#include "tap.h"

static const char branches[] = "version: 1\n"
			       "environments:\n"
			       "  - { name: dev, branch: dev }\n"
			       "  - { name: qa, paths: [\"qa/**\"] }\n"
			       "  - { name: staging, branch: staging }\n"
			       "  - { name: prod, branch: prod }\n";

static void test_envs__builtin_path_recognition(void)
{
	struct gg_policy p;
	struct gg_env e;

	gg_policy_init(&p);
	gg_env_of_path(&e, &p, "envs/prod-eu/version.yml", 0);
	TAP_CHECK_INT(e.tier, 3);
	TAP_CHECK_STR(e.name, "prod-eu");
	TAP_CHECK_INT(e.protect, 1);
	gg_env_of_path(&e, &p, "charts/web/values-staging.yaml", 0);
	TAP_CHECK_INT(e.tier, 2);
	TAP_CHECK_INT(e.protect, 0);
	gg_env_of_path(&e, &p, "base/deployment.yaml", 0);
	TAP_CHECK_INT(e.tier, -1);
	gg_policy_release(&p);
}

static void test_envs__substitute_keeps_the_suffix(void)
{
	char *s = gg_env_substitute("envs/prod-eu/version.yml", 3, "staging");

	TAP_CHECK_STR(s, "envs/staging-eu/version.yml");
	free(s);
	s = gg_env_substitute("apps/web/overlays/production/k.yaml", 3,
			      "stage");
	TAP_CHECK_STR(s, "apps/web/overlays/stage/k.yaml");
	free(s);
	TAP_CHECK(!gg_env_substitute("apps/web/base/k.yaml", 3, "staging"));
}

static void test_envs__ref_of_an_environment_branch(void)
{
	struct gg_policy p;
	struct gg_env e;

	gg_policy_init(&p);
	TAP_CHECK_INT(gg_policy_load(&p, GG_LAYER_SYSTEM, "test", branches,
				     strlen(branches)),
		      0);
	/* every file of an environment branch is the environment's */
	gg_env_of_ref_path(&e, &p, "refs/heads/prod", "app/deploy.yaml", 0);
	TAP_CHECK_INT(e.tier, 3);
	TAP_CHECK_STR(e.name, "prod");
	TAP_CHECK_INT(e.protect, 1);
	/* on other refs the path decides */
	gg_env_of_ref_path(&e, &p, "refs/heads/main", "qa/app.yaml", 0);
	TAP_CHECK_STR(e.name, "qa");
	gg_env_of_ref_path(&e, &p, "refs/tags/prod", "app/deploy.yaml", 0);
	TAP_CHECK_INT(e.tier, -1);
	gg_policy_release(&p);
}

static void test_envs__branch_below_skips_environments_without_one(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(gg_env_branch_below(&p, 3), -1); /* built-in: none */
	TAP_CHECK_INT(gg_policy_load(&p, GG_LAYER_SYSTEM, "test", branches,
				     strlen(branches)),
		      0);
	TAP_CHECK_INT(gg_env_branch_below(&p, 3), 2);
	TAP_CHECK_INT(gg_env_branch_below(&p, 2), 0); /* qa has no branch */
	TAP_CHECK_INT(gg_env_branch_below(&p, 0), -1);
	gg_policy_release(&p);
}

int main(void)
{
	TAP_RUN(test_envs__builtin_path_recognition);
	TAP_RUN(test_envs__substitute_keeps_the_suffix);
	TAP_RUN(test_envs__ref_of_an_environment_branch);
	TAP_RUN(test_envs__branch_below_skips_environments_without_one);
	return tap_done();
}
