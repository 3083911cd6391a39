/*
 * Unit tests for counterpart.c: finding a file's counterparts in a
 * lower environment tier from directory listings, and app name keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counterpart.h"
#include "envs.h"
#include "policy.h"
#include "tap.h"

static const char *const tree[] = {
	"envs/qa/version.yml",
	"envs/staging-eu/version.yml",
	"envs/staging-us/version.yml",
	"envs/staging-us/settings.yml",
	"envs/prod-eu/version.yml",
	"envs/prod-us/version.yml",
	"apps/web/overlays/staging/kustomization.yaml",
	"apps/web/overlays/prod/kustomization.yaml",
	"apps/billing/overlays/prod/kustomization.yaml",
	"charts/web/values.yaml",
	"charts/web/values-staging.yaml",
	"charts/web/values-prod.yaml",
	"tenants/staging/team-a/app.yaml",
	"tenants/prod/team-a/app.yaml",
	"tenants/prod/team-b/app.yaml",
	"clusters/eu-west/apps/podinfo.yaml",
	"clusters/eu-central/apps/podinfo.yaml",
	"clusters/eu-north/apps/podinfo.yaml",
	NULL
};

/* Listings kept as long as the lister's payload, as the lister wants. */
struct kept {
	struct gg_strvec v[64];
	size_t nr;
};

/* The entries of `dir` in `tree`, as a lister would give them. */
static int list(const struct gg_strvec **out, const char *dir, void *payload)
{
	struct kept *kept = payload;
	struct gg_strvec *sv;
	size_t n = strlen(dir), i;

	if (kept->nr == 64)
		return -1;
	sv = &kept->v[kept->nr++];
	gg_strvec_init(sv);
	for (i = 0; tree[i]; i++) {
		const char *p = tree[i], *rest, *slash;
		char name[256];

		if (n && (strncmp(p, dir, n) || p[n] != '/'))
			continue;
		rest = n ? p + n + 1 : p;
		slash = strchr(rest, '/');
		snprintf(name, sizeof(name), "%.*s%s",
			 (int)(slash ? slash - rest : (long)strlen(rest)), rest,
			 slash ? "/" : "");
		if (gg_strvec_find(sv, name) < 0)
			gg_strvec_push(sv, name);
	}
	*out = sv;
	return 0;
}

/* "scope(exists) scope(exists)" of the counterparts of `path`. */
static const char *find(const struct gg_policy *p, const char *path, int tier)
{
	static char buf[1024];
	struct gg_counterparts c;
	struct kept kept;
	size_t i, n = 0;
	int err;

	gg_counterparts_init(&c);
	buf[0] = '\0';
	kept.nr = 0;
	err = gg_counterparts_find(&c, p, path, tier, list, &kept);
	for (i = 0; i < kept.nr; i++)
		gg_strvec_release(&kept.v[i]);
	if (err < 0)
		return "error";
	for (i = 0; i < c.nr; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s%s[%s]",
				      i ? " " : "", c.v[i].scope,
				      c.v[i].exists ? "" : "(missing)",
				      c.v[i].env);
	gg_counterparts_release(&c);
	return buf;
}

static void test_counterpart__environment_folders(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_STR(
		find(&p, "envs/prod-eu/version.yml", 2),
		"envs/staging-eu[staging-eu] envs/staging-us[staging-us]");
	TAP_CHECK_STR(find(&p, "envs/staging-eu/version.yml", 1),
		      "envs/qa[qa]");
	TAP_CHECK_STR(find(&p, "envs/qa/version.yml", 0), "");
	gg_policy_release(&p);
}

static void test_counterpart__overlays_and_values_files(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_STR(find(&p, "apps/web/overlays/prod/kustomization.yaml", 2),
		      "apps/web/overlays/staging[staging]");
	TAP_CHECK_STR(find(&p, "charts/web/values-prod.yaml", 2),
		      "charts/web/values-staging.yaml[staging]");
	/* a prod-only app: nothing of the tier beside it */
	TAP_CHECK_STR(
		find(&p, "apps/billing/overlays/prod/kustomization.yaml", 2),
		"");
	gg_policy_release(&p);
}

static void test_counterpart__missing_app_directory(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_STR(find(&p, "tenants/prod/team-a/app.yaml", 2),
		      "tenants/staging/team-a[staging]");
	TAP_CHECK_STR(find(&p, "tenants/prod/team-b/app.yaml", 2),
		      "tenants/staging/team-b(missing)[staging]");
	gg_policy_release(&p);
}

static void test_counterpart__policy_environments(void)
{
	static const char yaml[] =
		"version: 1\n"
		"environments:\n"
		"  - { name: staging, paths: [\"clusters/eu-west/**\"] }\n"
		"  - { name: prod, paths: [\"clusters/eu-central/**\"] }\n";
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(
		gg_policy_load(&p, GG_LAYER_SYSTEM, "test", yaml, strlen(yaml)),
		0);
	TAP_CHECK_STR(find(&p, "clusters/eu-central/apps/podinfo.yaml", 0),
		      "clusters/eu-west/apps[staging]");
	gg_policy_release(&p);
}

static void test_counterpart__later_layer_places_no_evidence(void)
{
	static const char sys[] =
		"version: 1\n"
		"environments:\n"
		"  - { name: staging, paths: [\"clusters/eu-west/**\"] }\n"
		"  - { name: prod, paths: [\"clusters/eu-central/**\"] }\n";
	static const char in_repo[] =
		"version: 1\n"
		"environments:\n"
		"  - { name: staging, paths: [\"clusters/eu-north/**\"] }\n";
	struct gg_policy p;
	struct gg_env env;

	gg_policy_init(&p);
	TAP_CHECK_INT(
		gg_policy_load(&p, GG_LAYER_SYSTEM, "sys", sys, strlen(sys)),
		0);
	TAP_CHECK_INT(gg_policy_load(&p, GG_LAYER_IN_REPO, "repo", in_repo,
				     strlen(in_repo)),
		      0);
	/* eu-north is in staging, placed by the in-repo layer ... */
	gg_env_of_path(&env, &p, "clusters/eu-north/apps/podinfo.yaml", 0);
	TAP_CHECK_STR(env.name, "staging");
	TAP_CHECK_INT(env.later, 1);
	/* ... so it is no counterpart of prod */
	TAP_CHECK_STR(find(&p, "clusters/eu-central/apps/podinfo.yaml", 0),
		      "clusters/eu-west/apps[staging]");
	gg_policy_release(&p);
}

static void test_counterpart__app_name_keys(void)
{
	struct gg_policy p;
	char *k;

	gg_policy_init(&p);
	k = gg_app_name_key(&p, "guestbook-prod-eu", 0);
	TAP_CHECK_STR(k, "guestbook-eu");
	free(k);
	k = gg_app_name_key(&p, "guestbook-prod-eu", 1);
	TAP_CHECK_STR(k, "guestbook");
	free(k);
	k = gg_app_name_key(&p, "staging_guestbook", 1);
	TAP_CHECK_STR(k, "guestbook"); /* nothing else would be left */
	free(k);
	k = gg_app_name_key(&p, "production", 0);
	TAP_CHECK_STR(k, "");
	free(k);
	gg_policy_release(&p);
}

int main(void)
{
	TAP_RUN(test_counterpart__environment_folders);
	TAP_RUN(test_counterpart__overlays_and_values_files);
	TAP_RUN(test_counterpart__missing_app_directory);
	TAP_RUN(test_counterpart__policy_environments);
	TAP_RUN(test_counterpart__later_layer_places_no_evidence);
	TAP_RUN(test_counterpart__app_name_keys);
	return tap_done();
}
