/*
 * Unit tests for the policy loader (policy.c, policy-load.c,
 * policy-sections.c): strict validation with file:line:col messages,
 * every section, and layering under the tighten-only rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "envs.h"
#include "guard.h"
#include "tap.h"

static int load(struct gg_policy *p, enum gg_policy_layer layer,
		const char *yaml)
{
	return gg_policy_load(p, layer, "test.yaml", yaml, strlen(yaml));
}

/* Load into a fresh policy as the system layer and return the error. */
static int load_err(const char *yaml)
{
	struct gg_policy p;
	int err;

	gg_policy_init(&p);
	err = load(&p, GG_LAYER_SYSTEM, yaml);
	gg_policy_release(&p);
	return err;
}

#define CHECK_BAD(yaml, msg)                                                 \
	do {                                                                 \
		TAP_CHECK_INT(load_err(yaml), GG_EINVALID);                  \
		TAP_CHECK_STR(gg_error_last(), msg);                         \
		TAP_CHECK_INT(gg_policy_validate("test.yaml", yaml,          \
						 strlen(yaml)),              \
			      GG_EINVALID);                                  \
		TAP_CHECK_STR(gg_error_last(), msg);                         \
	} while (0)

static const struct gg_policy_env *env_named(const struct gg_policy *p,
					      const char *name)
{
	size_t i;

	for (i = 0; i < p->nenvs; i++)
		if (!strcmp(p->envs[i].name, name))
			return &p->envs[i];
	return NULL;
}

/* Whether environment `name` is protected, as policy.h defines it: set
 * explicitly, or by default when it is the top tier. */
static int protected_env(const struct gg_policy *p, const char *name)
{
	const struct gg_policy_env *e = env_named(p, name);

	if (!e)
		return -1;
	return e->protect == 1 ||
	       (e->protect < 0 && e == &p->envs[p->nenvs - 1]);
}

static int has_note(const struct gg_policy *p, const char *part)
{
	size_t i;

	for (i = 0; i < p->notes.nr; i++)
		if (strstr(p->notes.v[i], part))
			return 1;
	return 0;
}

static void test_policy__built_in_defaults(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(p.version, 1);
	TAP_CHECK_INT(p.break_glass_min_reason, 10);
	TAP_CHECK_INT(p.limits.deadline_ms, 4000);
	TAP_CHECK_INT(p.limits.max_blob_bytes, 4194304);
	TAP_CHECK_INT(p.limits.max_commits, 10000);
	TAP_CHECK_INT(p.limits.on_error_accept, 0);
	TAP_CHECK_INT(p.limits.on_timeout_accept, 0);
	TAP_CHECK_INT(p.envs_set, 0);
	TAP_CHECK_INT(p.nenvs, 0);
	TAP_CHECK(!p.audit.log);
	TAP_CHECK_INT(gg_policy_severity(&p, "yaml/invalid"), GG_SEV_WARN);
	TAP_CHECK_INT(gg_policy_severity(&p, "policy/changed"),
		      GG_SEV_CONFIRM);
	TAP_CHECK_INT(gg_policy_severity(&p, "break-glass/denied"),
		      GG_SEV_BLOCK);
	TAP_CHECK_INT(gg_policy_severity(&p, "no/such-rule"), GG_SEV_OFF);
	TAP_CHECK_INT(p.sources.nr, 1);
	TAP_CHECK_STR(p.sources.v[0], "built-in defaults");
	gg_policy_release(&p);
}

static const char full[] =
	"version: 1\n"
	"repo_urls: [\"https://git.example.com/platform/deploy.git\",\n"
	"            \"git@git.example.com:platform/deploy.git\"]\n"
	"branches: [\"release/*\"]\n"
	"environments:                      # lowest first\n"
	"  - name: dev\n"
	"    paths: [\"envs/dev/**\", \"**/overlays/dev/**\"]\n"
	"  - name: staging\n"
	"    paths: [\"envs/staging*/**\", \"**/overlays/staging*/**\"]\n"
	"  - name: prod\n"
	"    paths: [\"envs/prod*/**\", \"**/overlays/prod*/**\"]\n"
	"    protected: true\n"
	"  - name: prod-branch\n"
	"    branch: env/prod\n"
	"apps:\n"
	"  - name: guestbook\n"
	"    path: apps/guestbook\n"
	"    controller: flux\n"
	"    prune: true\n"
	"owners:\n"
	"  - paths: [\"apps/payments/**\"]\n"
	"    users: [\"alice\", \"bob\"]\n"
	"promoters: [\"kargo-bot\", \"image-updater\"]\n"
	"break_glass:\n"
	"  users: [\"oncall\"]\n"
	"  min_reason_length: 12\n"
	"freeze:\n"
	"  - name: year-end\n"
	"    environments: [prod]\n"
	"    schedule: \"0 0 20 12 *\"\n"
	"    duration: 336h\n"
	"    timezone: UTC\n"
	"rules:\n"
	"  yaml/invalid: { severity: block }\n"
	"  policy/changed: block\n"
	"packs: [baseline, secrets]\n"
	"audit:\n"
	"  log: /var/log/gitops-guard/audit.jsonl\n"
	"  syslog: { facility: local0 }\n"
	"  webhook: { url: \"https://audit.example.com/hooks/gitops\", "
	"timeout_ms: 1500 }\n"
	"limits: { deadline_ms: 4000, max_blob_bytes: 4194304, "
	"on_error: reject, on_timeout: reject }\n"
	"identity: { env: [SSO_USER, REMOTE_USER] }\n"
	"allow_loosen: [\"baseline/*\"]\n";

/* A pack `name` with one rule, as the server would have it. */
static void add_pack(struct gg_packs *ps, const char *name)
{
	char *yaml = gg_xasprintf(
		"version: 1\npack: %s\ndescription: a test pack\nrules:\n"
		"- name: r\n  severity: warn\n  summary: does a thing\n"
		"  explain: because\n  message: a thing\n"
		"  match: {kinds: [Pod]}\n"
		"  examples: [{files: {a.yaml: 'kind: Pod'}, expect: reject}]\n",
		name);

	if (gg_packs_load_buffer(ps, name, name, yaml, strlen(yaml)) < 0)
		printf("# %s\n", gg_error_last());
	free(yaml);
}

/* A policy with the packs the design example enables. */
static void init_with_packs(struct gg_policy *p)
{
	struct gg_packs *ps = gg_packs_new();

	add_pack(ps, "baseline");
	add_pack(ps, "secrets");
	gg_policy_init(p);
	gg_policy_set_packs(p, ps);
}

static void test_policy__the_design_example_loads(void)
{
	struct gg_policy p, none;

	init_with_packs(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM, full), 0);
	TAP_CHECK_INT(p.repo_urls.nr, 2);
	TAP_CHECK_STR(p.repo_urls.v[1], "git@git.example.com:platform/deploy.git");
	TAP_CHECK_STR(p.branches.v[0], "release/*");
	TAP_CHECK_INT(p.envs_set, 1);
	TAP_CHECK_INT(p.nenvs, 4);
	TAP_CHECK_STR(p.envs[0].name, "dev");
	TAP_CHECK_INT(p.envs[1].paths.nr, 2);
	TAP_CHECK_INT(p.envs[2].protect, 1);
	TAP_CHECK_INT(p.envs[0].protect, -1);
	TAP_CHECK_STR(p.envs[3].branch, "env/prod");
	TAP_CHECK_INT(p.envs[3].paths.nr, 0);
	TAP_CHECK(gg_glob_match(&p.envs[2].globs[1],
				"apps/x/overlays/prod-eu/k.yaml"));
	TAP_CHECK_INT(p.napps, 1);
	TAP_CHECK_STR(p.apps[0].controller, "flux");
	TAP_CHECK_INT(p.apps[0].prune, 1);
	TAP_CHECK_INT(p.apps[0].auto_sync, -1);
	TAP_CHECK(!p.apps[0].branch);
	TAP_CHECK_INT(p.nowners, 1);
	TAP_CHECK_STR(p.owners[0].users.v[1], "bob");
	TAP_CHECK(gg_glob_match(&p.owners[0].globs[0], "apps/payments/a.yaml"));
	TAP_CHECK_INT(p.promoters.nr, 2);
	TAP_CHECK_STR(p.break_glass_users.v[0], "oncall");
	TAP_CHECK_INT(p.break_glass_min_reason, 12);
	TAP_CHECK_INT(p.nfreezes, 1);
	TAP_CHECK_STR(p.freezes[0].schedule, "0 0 20 12 *");
	TAP_CHECK_INT(p.freezes[0].duration, 336 * 3600);
	TAP_CHECK_STR(p.freezes[0].timezone, "UTC");
	TAP_CHECK_STR(p.freezes[0].environments.v[0], "prod");
	TAP_CHECK_INT(gg_policy_severity(&p, "yaml/invalid"), GG_SEV_BLOCK);
	TAP_CHECK_INT(gg_policy_severity(&p, "policy/changed"), GG_SEV_BLOCK);
	TAP_CHECK_INT(p.packs.nr, 2);
	TAP_CHECK(gg_policy_pack_enabled(&p, "secrets"));
	TAP_CHECK_INT(gg_policy_severity(&p, "baseline/r"), GG_SEV_WARN);
	TAP_CHECK_STR(p.audit.log, "/var/log/gitops-guard/audit.jsonl");
	TAP_CHECK_STR(p.audit.syslog_facility, "local0");
	TAP_CHECK_STR(p.audit.webhook_url,
		      "https://audit.example.com/hooks/gitops");
	TAP_CHECK_INT(p.audit.webhook_timeout_ms, 1500);
	TAP_CHECK_INT(p.identity_env.nr, 2);
	TAP_CHECK_STR(p.identity_env.v[0], "SSO_USER");
	TAP_CHECK_STR(p.allow_loosen.v[0], "baseline/*");
	TAP_CHECK_INT(p.sources.nr, 2);
	TAP_CHECK_STR(p.sources.v[1], "test.yaml");
	TAP_CHECK_INT(gg_policy_validate_for(&p, "test.yaml", full,
					     strlen(full)),
		      0);
	gg_policy_release(&p);
	/* knowing no packs, the same file does not validate */
	TAP_CHECK_INT(gg_policy_validate("test.yaml", full, strlen(full)),
		      GG_EINVALID);
	TAP_CHECK_STR(gg_error_last(),
		      "test.yaml:36:9: unknown pack 'baseline' (available: "
		      "none; see 'gitops-guard packs')");
	gg_policy_init(&none);
	TAP_CHECK_INT(load(&none, GG_LAYER_SYSTEM, full), GG_EINVALID);
	gg_policy_release(&none);
}

static void test_policy__single_strings_are_lists_of_one(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nrepo_urls: https://x/deploy.git\n"
			   "promoters: bot\nbranches: 'release/*'\n"),
		      0);
	TAP_CHECK_INT(p.repo_urls.nr, 1);
	TAP_CHECK_STR(p.promoters.v[0], "bot");
	TAP_CHECK_STR(p.branches.v[0], "release/*");
	gg_policy_release(&p);
}

static void test_policy__empty_or_not_a_map(void)
{
	CHECK_BAD("", "test.yaml: the policy is empty; it needs at least "
		      "'version: 1'");
	CHECK_BAD("# nothing\n", "test.yaml: the policy is empty; it needs at "
				 "least 'version: 1'");
	CHECK_BAD("~\n", "test.yaml: the policy is empty; it needs at least "
			 "'version: 1'");
	CHECK_BAD("- version: 1\n",
		  "test.yaml:1:1: 'policy' must be a map, not a list");
	CHECK_BAD("version 1\n",
		  "test.yaml:1:1: 'policy' must be a map, not a scalar");
}

static void test_policy__version_missing_or_unsupported(void)
{
	CHECK_BAD("repo_urls: [x]\n", "test.yaml:1:1: missing 'version: 1'");
	CHECK_BAD("version: 2\n", "test.yaml:1:10: unsupported policy version "
				  "(only 1 is known)");
	CHECK_BAD("version: '1'\n", "test.yaml:1:10: unsupported policy "
				    "version (only 1 is known)");
	CHECK_BAD("version: 1.0\n", "test.yaml:1:10: unsupported policy "
				    "version (only 1 is known)");
	CHECK_BAD("version:\n", "test.yaml:1:9: unsupported policy version "
				"(only 1 is known)");
	CHECK_BAD("version: [1]\n", "test.yaml:1:10: unsupported policy "
				    "version (only 1 is known)");
	/* the last of repeated keys counts */
	TAP_CHECK_INT(load_err("version: 2\nversion: 1\n"), 0);
}

static void test_policy__unknown_keys(void)
{
	CHECK_BAD("version: 1\nrepo_url: [x]\n",
		  "test.yaml:2:1: unknown key 'repo_url' in 'policy'");
	CHECK_BAD("version: 1\nenvironments:\n  - name: dev\n"
		  "    paths: [a]\n    protect: true\n",
		  "test.yaml:5:5: unknown key 'protect' in 'environments[]'");
	CHECK_BAD("version: 1\napps:\n  - {name: a, path: b, prunes: true}\n",
		  "test.yaml:3:24: unknown key 'prunes' in 'apps[]'");
	CHECK_BAD("version: 1\nowners:\n  - {paths: [a], users: [b], x: 1}\n",
		  "test.yaml:3:30: unknown key 'x' in 'owners[]'");
	CHECK_BAD("version: 1\nbreak_glass: {user: [a]}\n",
		  "test.yaml:2:15: unknown key 'user' in 'break_glass'");
	CHECK_BAD("version: 1\nfreeze:\n  - {name: a, schedule: '* * * * *', "
		  "duration: 1h, env: [prod]}\n",
		  "test.yaml:3:52: unknown key 'env' in 'freeze[]'");
	CHECK_BAD("version: 1\naudit: {logfile: /x}\n",
		  "test.yaml:2:9: unknown key 'logfile' in 'audit'");
	CHECK_BAD("version: 1\naudit: {syslog: {level: x}}\n",
		  "test.yaml:2:18: unknown key 'level' in 'audit.syslog'");
	CHECK_BAD("version: 1\naudit: {webhook: {url: 'https://x', "
		  "retries: 3}}\n",
		  "test.yaml:2:37: unknown key 'retries' in 'audit.webhook'");
	CHECK_BAD("version: 1\nlimits: {deadline: 100}\n",
		  "test.yaml:2:10: unknown key 'deadline' in 'limits'");
	CHECK_BAD("version: 1\nidentity: {envs: [X]}\n",
		  "test.yaml:2:12: unknown key 'envs' in 'identity'");
	CHECK_BAD("version: 1\n[a]: 1\n",
		  "test.yaml:2:1: keys of 'policy' must be scalars");
}

static void test_policy__wrong_types(void)
{
	CHECK_BAD("version: 1\nrepo_urls: {a: b}\n",
		  "test.yaml:2:12: 'repo_urls' must be a list of strings");
	CHECK_BAD("version: 1\nrepo_urls: [[a]]\n",
		  "test.yaml:2:13: 'repo_urls' must be a non-empty string");
	CHECK_BAD("version: 1\nrepo_urls: ['']\n",
		  "test.yaml:2:13: 'repo_urls' must be a non-empty string");
	CHECK_BAD("version: 1\nrepo_urls: [null]\n",
		  "test.yaml:2:13: 'repo_urls' must be a non-empty string");
	CHECK_BAD("version: 1\nrepo_urls:\n",
		  "test.yaml:2:11: 'repo_urls' must be a list of strings");
	CHECK_BAD("version: 1\nenvironments: {dev: [a]}\n",
		  "test.yaml:2:15: 'environments' must be a list, lowest "
		  "tier first");
	CHECK_BAD("version: 1\nenvironments: [dev]\n",
		  "test.yaml:2:16: 'environments[]' must be a map, not a "
		  "scalar");
	CHECK_BAD("version: 1\nenvironments:\n  - {name: p, paths: [a], "
		  "protected: maybe}\n",
		  "test.yaml:3:38: 'environments[].protected' must be true or "
		  "false");
	CHECK_BAD("version: 1\nenvironments:\n  - {name: p, paths: [a], "
		  "protected: 'true'}\n",
		  "test.yaml:3:38: 'environments[].protected' must be true or "
		  "false");
	CHECK_BAD("version: 1\napps: {a: b}\n",
		  "test.yaml:2:7: 'apps' must be a list");
	CHECK_BAD("version: 1\napps: [{name: a, path: b, prune: 1}]\n",
		  "test.yaml:2:34: 'apps[].prune' must be true or false");
	CHECK_BAD("version: 1\nowners: {a: b}\n",
		  "test.yaml:2:9: 'owners' must be a list");
	CHECK_BAD("version: 1\nbreak_glass: [a]\n",
		  "test.yaml:2:14: 'break_glass' must be a map, not a list");
	CHECK_BAD("version: 1\nbreak_glass: {min_reason_length: -1}\n",
		  "test.yaml:2:34: 'break_glass.min_reason_length' must be an "
		  "integer >= 0");
	CHECK_BAD("version: 1\nfreeze: {a: b}\n",
		  "test.yaml:2:9: 'freeze' must be a list of windows");
	CHECK_BAD("version: 1\nrules: [a]\n",
		  "test.yaml:2:8: 'rules' must be a map, not a list");
	CHECK_BAD("version: 1\nrules: {yaml/invalid: [block]}\n",
		  "test.yaml:2:23: rule 'yaml/invalid' takes a severity or a "
		  "map");
	CHECK_BAD("version: 1\naudit: {log: [a]}\n",
		  "test.yaml:2:14: 'audit.log' must be a non-empty string");
	CHECK_BAD("version: 1\naudit: {webhook: {url: 'ftp://x'}}\n",
		  "test.yaml:2:24: 'audit.webhook.url' must be an http(s) URL");
	CHECK_BAD("version: 1\naudit: {webhook: {spool: /x}}\n",
		  "test.yaml:2:18: 'audit.webhook' needs a 'url'");
	CHECK_BAD("version: 1\naudit: {webhook: {url: 'http://x', "
		  "timeout_ms: 0}}\n",
		  "test.yaml:2:48: 'audit.webhook.timeout_ms' must be an "
		  "integer >= 1");
	CHECK_BAD("version: 1\nlimits: {deadline_ms: 99}\n",
		  "test.yaml:2:23: 'limits.deadline_ms' must be an integer "
		  ">= 100");
	CHECK_BAD("version: 1\nlimits: {max_blob_bytes: 1kb}\n",
		  "test.yaml:2:26: 'limits.max_blob_bytes' must be an integer "
		  ">= 1024");
	CHECK_BAD("version: 1\nlimits: {on_error: maybe}\n",
		  "test.yaml:2:20: 'limits.on_error' must be accept or reject");
	CHECK_BAD("version: 1\nlimits: {on_timeout: true}\n",
		  "test.yaml:2:22: 'limits.on_timeout' must be accept or "
		  "reject");
	CHECK_BAD("version: 1\nallow_loosen: {a: b}\n",
		  "test.yaml:2:15: 'allow_loosen' must be a list of strings");
}

static void test_policy__bad_globs(void)
{
	CHECK_BAD("version: 1\nenvironments:\n  - name: prod\n"
		  "    paths: [\"envs/prod/**\", \"envs/[prod\"]\n",
		  "test.yaml:4:29: bad glob 'envs/[prod' in "
		  "'environments[].paths': unbalanced '[' in glob");
	CHECK_BAD("version: 1\nowners:\n  - paths: 'a/{b,c'\n    users: x\n",
		  "test.yaml:3:12: bad glob 'a/{b,c' in 'owners[].paths': "
		  "unbalanced '{' in glob");
	CHECK_BAD("version: 1\nbranches: ['release\\']\n",
		  "test.yaml:2:12: bad glob 'release\\' in 'branches': glob "
		  "ends with a backslash");
}

static void test_policy__severities_and_rule_ids(void)
{
	CHECK_BAD("version: 1\nrules:\n  yaml/invalid: fatal\n",
		  "test.yaml:3:17: bad severity 'fatal' for 'yaml/invalid' "
		  "(off, info, warn, confirm or block)");
	CHECK_BAD("version: 1\nrules:\n  yaml/invalid: {severity: Block}\n",
		  "test.yaml:3:28: bad severity 'Block' for 'yaml/invalid' "
		  "(off, info, warn, confirm or block)");
	CHECK_BAD("version: 1\nrules:\n  yaml/invalid:\n",
		  "test.yaml:3:16: 'yaml/invalid' must be a non-empty string");
	CHECK_BAD("version: 1\nrules:\n  prune/unscope: block\n",
		  "test.yaml:3:3: unknown rule 'prune/unscope' (see "
		  "'gitops-guard rules')");
	CHECK_BAD("version: 1\nrules:\n  [a]: block\n",
		  "test.yaml:3:3: unknown rule '?' (see 'gitops-guard rules')");
}

static void test_policy__rule_parameters(void)
{
	struct gg_policy p;

	CHECK_BAD("version: 1\nrules:\n  yaml/invalid: {severity: block, "
		  "max_depth: 3}\n",
		  "test.yaml:3:35: rule 'yaml/invalid' has no parameter "
		  "'max_depth'");
	CHECK_BAD("version: 1\nrules:\n  yaml/invalid: {[a]: 3}\n",
		  "test.yaml:3:18: rule 'yaml/invalid' has no parameter '?'");
	/* a map with only a severity, or nothing at all, is fine */
	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nrules:\n  yaml/invalid: {}\n"
			   "  policy/changed: {severity: warn}\n"),
		      0);
	TAP_CHECK_INT(gg_policy_severity(&p, "yaml/invalid"), GG_SEV_WARN);
	TAP_CHECK_INT(gg_policy_severity(&p, "policy/changed"), GG_SEV_WARN);
	gg_policy_release(&p);
}

static void test_policy__environment_entries(void)
{
	CHECK_BAD("version: 1\nenvironments:\n  - name: dev\n",
		  "test.yaml:3:5: environment 'dev' needs 'paths' or 'branch'");
	CHECK_BAD("version: 1\nenvironments:\n  - paths: [a]\n",
		  "test.yaml: 'environments[].name' must be a non-empty "
		  "string");
	CHECK_BAD("version: 1\nenvironments:\n  - {name: dev, paths: [a]}\n"
		  "  - {name: dev, paths: [b]}\n",
		  "test.yaml:4:5: environment 'dev' is defined twice");
	CHECK_BAD("version: 1\nenvironments:\n  - {name: dev, branch: [a]}\n",
		  "test.yaml:3:25: 'environments[].branch' must be a non-empty "
		  "string");
}

static void test_policy__app_and_owner_entries(void)
{
	CHECK_BAD("version: 1\napps:\n  - {name: a}\n",
		  "test.yaml:3:5: each of 'apps' needs 'name' and 'path'");
	CHECK_BAD("version: 1\napps:\n  - {name: a, path: b, controller: "
		  "argo}\n",
		  "test.yaml:3:36: 'controller' must be argocd or flux");
	CHECK_BAD("version: 1\nowners:\n  - {paths: [a]}\n",
		  "test.yaml:3:5: each of 'owners' needs 'paths' and 'users'");
	CHECK_BAD("version: 1\nowners:\n  - {paths: [a], users: {a: b}}\n",
		  "test.yaml:3:25: 'owners[].users' must be a list of strings");
}

static void test_policy__freeze_entries(void)
{
	struct gg_policy p;

	CHECK_BAD("version: 1\nfreeze:\n  - {name: a, duration: 1h}\n",
		  "test.yaml:3:5: each freeze window needs 'name', 'schedule' "
		  "and 'duration'");
	CHECK_BAD("version: 1\nfreeze:\n  - {name: a, schedule: '0 25 * * *',"
		  " duration: 1h}\n",
		  "test.yaml:3:25: cron schedule '0 25 * * *': bad hour field "
		  "'25'");
	CHECK_BAD("version: 1\nfreeze:\n  - {name: a, schedule: '* * *', "
		  "duration: 1h}\n",
		  "test.yaml:3:25: cron schedule '* * *' must have 5 fields");
	CHECK_BAD("version: 1\nfreeze:\n  - {name: a, schedule: '* * * * *', "
		  "duration: 1y}\n",
		  "test.yaml:3:48: 'duration' must be like 336h, 90m or 2d (at "
		  "most 366 days)");
	CHECK_BAD("version: 1\nfreeze:\n  - {name: a, schedule: '* * * * *', "
		  "duration: 367d}\n",
		  "test.yaml:3:48: 'duration' must be like 336h, 90m or 2d (at "
		  "most 366 days)");
	CHECK_BAD("version: 1\nfreeze:\n  - {name: a, schedule: '* * * * *', "
		  "duration: 0s}\n",
		  "test.yaml:3:48: 'duration' must be like 336h, 90m or 2d (at "
		  "most 366 days)");
	CHECK_BAD("version: 1\nfreeze:\n  - {name: a, schedule: '* * * * *', "
		  "duration: h}\n",
		  "test.yaml:3:48: 'duration' must be like 336h, 90m or 2d (at "
		  "most 366 days)");
	CHECK_BAD("version: 1\nfreeze:\n  - {name: a, schedule: '* * * * *', "
		  "duration: 1h, timezone: Mars/Olympus}\n",
		  "test.yaml:3:62: unknown timezone 'Mars/Olympus'");
	CHECK_BAD("version: 1\nfreeze:\n  - {name: a, schedule: '* * * * *', "
		  "duration: 1h, timezone: ../../etc/passwd}\n",
		  "test.yaml:3:62: unknown timezone '../../etc/passwd'");
	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nfreeze:\n"
			   "  - {name: a, schedule: '0 18 * * fri', "
			   "duration: 2d12h30m, timezone: '+02:00'}\n"
			   "  - {name: b, schedule: '0 0 * * *', duration: 1w,"
			   " timezone: Europe/Berlin}\n"),
		      0);
	TAP_CHECK_INT(p.nfreezes, 2);
	TAP_CHECK_INT(p.freezes[0].duration, 2 * 86400 + 12 * 3600 + 30 * 60);
	TAP_CHECK_INT(p.freezes[1].duration, 7 * 86400);
	TAP_CHECK_INT(p.freezes[0].environments.nr, 0);
	gg_policy_release(&p);
}

static void test_policy__overflowing_duration_is_invalid(void)
{
	struct gg_buf b = GG_BUF_INIT;
	int i;

	/* 16,000 x 999999999 weeks: far past LLONG_MAX seconds */
	gg_buf_adds(&b, "version: 1\nfreeze:\n  - {name: a, schedule: "
			"'* * * * *', duration: ");
	for (i = 0; i < 16000; i++)
		gg_buf_adds(&b, "999999999w");
	gg_buf_adds(&b, "}\n");
	TAP_CHECK_INT(load_err(b.buf), GG_EINVALID);
	TAP_CHECK(strstr(gg_error_last(), "at most 366 days"));
	gg_buf_release(&b);
}

static void test_policy__malformed_timezones_are_unknown(void)
{
	static const char *const bad[] = { "+ab:cd", "+0x:00", "-01:6x",
					   "+24:00", "+01:60", "Europe",
					   "posix/Europe", NULL };
	static const char *const good[] = { "+02:00", "-11:30", "Z",
					    "America/New_York", NULL };
	char yaml[256];
	size_t i;

	for (i = 0; bad[i]; i++) {
		snprintf(yaml, sizeof(yaml),
			 "version: 1\nfreeze:\n  - {name: a, schedule: "
			 "'* * * * *', duration: 1h, timezone: '%s'}\n",
			 bad[i]);
		if (load_err(yaml) == 0)
			printf("#   accepted timezone '%s'\n", bad[i]);
		TAP_CHECK_INT(load_err(yaml), GG_EINVALID);
		TAP_CHECK(strstr(gg_error_last(), "unknown timezone"));
	}
	for (i = 0; good[i]; i++) {
		snprintf(yaml, sizeof(yaml),
			 "version: 1\nfreeze:\n  - {name: a, schedule: "
			 "'* * * * *', duration: 1h, timezone: '%s'}\n",
			 good[i]);
		TAP_CHECK_INT(load_err(yaml), 0);
	}
}

static void test_policy__values_with_nul_bytes_are_invalid(void)
{
	static const char y[] = "version: 1\nrepo_urls: [\"a\\0b\"]\n";

	CHECK_BAD(y, "test.yaml:2:13: 'repo_urls' contains a NUL byte");
}

static void test_policy__key_with_a_nul_byte_is_not_a_known_key(void)
{
	static const char top[] =
		"version: 1\n\"rules\\0x\": {yaml/invalid: block}\n";
	static const char env[] = "version: 1\nenvironments:\n"
				  "  - {name: p, paths: [a], "
				  "\"protected\\0\": false}\n";
	static const char rule[] =
		"version: 1\nrules: {\"yaml/invalid\\0\": block}\n";
	static const char sev[] =
		"version: 1\nrules: {yaml/invalid: {\"severity\\0\": off}}\n";

	CHECK_BAD(top, "test.yaml:2:1: a key of 'policy' contains a NUL byte");
	CHECK_BAD(env, "test.yaml:3:27: a key of 'environments[]' contains a "
		       "NUL byte");
	CHECK_BAD(rule, "test.yaml:2:9: unknown rule '?' (see "
			"'gitops-guard rules')");
	CHECK_BAD(sev, "test.yaml:2:24: rule 'yaml/invalid' has no parameter "
		       "'?'");
}

static void test_policy__yaml_errors_name_the_source(void)
{
	static const char bad_utf8[] = "version: 1\nrepo_urls: [\xff]\n";
	struct gg_policy p;

	CHECK_BAD("version: 1\nrepo_urls: [a\n",
		  "test.yaml:3:1: did not find expected ',' or ']'");
	CHECK_BAD("version: 1\n---\nversion: 1\n",
		  "test.yaml:2:1: a policy file holds one YAML document");
	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM, bad_utf8), GG_EINVALID);
	TAP_CHECK(!strncmp(gg_error_last(), "test.yaml: ", 11));
	TAP_CHECK(strstr(gg_error_last(), "at byte 23"));
	gg_policy_release(&p);
}

static void test_policy__oversized_policy_is_invalid(void)
{
	size_t n = 1024 * 1024 + 1;
	char *big = malloc(n + 1);

	memset(big, '#', n);
	big[0] = '\n';
	big[n] = '\0';
	TAP_CHECK_INT(load_err(big), GG_EINVALID);
	TAP_CHECK_STR(gg_error_last(), "test.yaml: larger than 1048576 bytes");
	free(big);
}

static void test_policy__failed_load_leaves_the_policy_unchanged(void)
{
	struct gg_policy p;

	init_with_packs(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM, full), 0);
	TAP_CHECK_INT(load(&p, GG_LAYER_REPO_CONFIG,
			   "version: 1\nrepo_urls: [extra]\npromoters: []\n"
			   "rules: {yaml/invalid: warn, nope: block}\n"),
		      GG_EINVALID);
	TAP_CHECK_INT(p.repo_urls.nr, 2);
	TAP_CHECK_INT(p.promoters.nr, 2);
	TAP_CHECK_INT(gg_policy_severity(&p, "yaml/invalid"), GG_SEV_BLOCK);
	TAP_CHECK_INT(p.sources.nr, 2);
	gg_policy_release(&p);
}

static void test_policy__validate_changes_nothing_global(void)
{
	struct gg_policy p;

	init_with_packs(&p);
	TAP_CHECK_INT(gg_policy_validate_for(&p, "test.yaml", full,
					     strlen(full)),
		      0);
	gg_policy_release(&p);
	TAP_CHECK_INT(gg_policy_validate("x.yaml", "version: 1\nfoo: 1\n", 18),
		      GG_EINVALID);
	TAP_CHECK_STR(gg_error_last(), "x.yaml:2:1: unknown key 'foo' in "
				       "'policy'");
}

static void test_policy__later_layers_add_urls_and_branches(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nrepo_urls: [a, b]\nbranches: [x]\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nrepo_urls: [b, c]\nbranches: [y]\n"),
		      0);
	TAP_CHECK_INT(p.repo_urls.nr, 3);
	TAP_CHECK_STR(p.repo_urls.v[2], "c");
	TAP_CHECK_INT(p.branches.nr, 2);
	gg_policy_release(&p);
}

static void test_policy__raising_a_severity_applies(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM, "version: 1\n"), 0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nrules: {yaml/invalid: confirm}\n"),
		      0);
	TAP_CHECK_INT(gg_policy_severity(&p, "yaml/invalid"), GG_SEV_CONFIRM);
	TAP_CHECK_INT(p.notes.nr, 0);
	gg_policy_release(&p);
}

static void test_policy__lowering_a_severity_is_ignored_with_a_note(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nrules: {yaml/invalid: block}\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_REPO_CONFIG,
			   "version: 1\nrules: {yaml/invalid: warn, "
			   "policy/changed: {severity: off}}\n"),
		      0);
	TAP_CHECK_INT(gg_policy_severity(&p, "yaml/invalid"), GG_SEV_BLOCK);
	TAP_CHECK_INT(gg_policy_severity(&p, "policy/changed"),
		      GG_SEV_CONFIRM);
	TAP_CHECK_INT(p.notes.nr, 2);
	TAP_CHECK_STR(p.notes.v[0],
		      "test.yaml:2:23: ignored severity warn for 'yaml/invalid': "
		      "lower than block and 'yaml/invalid' is not in the "
		      "system policy's allow_loosen");
	gg_policy_release(&p);
}

static void test_policy__the_system_layer_may_lower_defaults(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nrules: {break-glass/denied: warn}\n"),
		      0);
	TAP_CHECK_INT(gg_policy_severity(&p, "break-glass/denied"),
		      GG_SEV_WARN);
	TAP_CHECK_INT(p.notes.nr, 0);
	gg_policy_release(&p);
}

static void test_policy__allow_loosen_lets_later_layers_lower(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nallow_loosen: ['policy/*']\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nrules: {policy/changed: warn, "
			   "yaml/invalid: off}\n"),
		      0);
	TAP_CHECK_INT(gg_policy_severity(&p, "policy/changed"), GG_SEV_WARN);
	TAP_CHECK_INT(gg_policy_severity(&p, "yaml/invalid"), GG_SEV_WARN);
	TAP_CHECK_INT(p.notes.nr, 1);
	gg_policy_release(&p);
}

static void test_policy__allow_loosen_only_from_the_system_layer(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_REPO_CONFIG,
			   "version: 1\nallow_loosen: ['*/*']\n"),
		      0);
	TAP_CHECK_INT(p.allow_loosen.nr, 0);
	TAP_CHECK(has_note(&p, "ignored 'allow_loosen': only the system "
			       "policy may set it"));
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nrules: {yaml/invalid: off}\n"),
		      0);
	TAP_CHECK_INT(gg_policy_severity(&p, "yaml/invalid"), GG_SEV_WARN);
	gg_policy_release(&p);
}

static void test_policy__added_promoters_are_ignored(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\npromoters: [kargo-bot, updater]\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\npromoters: [kargo-bot, mallory]\n"),
		      0);
	TAP_CHECK_INT(p.promoters.nr, 1);
	TAP_CHECK_STR(p.promoters.v[0], "kargo-bot");
	TAP_CHECK(has_note(&p, "ignored 'mallory' in 'promoters'"));
	TAP_CHECK_INT(gg_policy_has_identity(&p.promoters, "kargo-bot"), 1);
	TAP_CHECK_INT(gg_policy_has_identity(&p.promoters, "mallory"), 0);
	TAP_CHECK_INT(gg_policy_has_identity(&p.promoters, NULL), 0);
	gg_policy_release(&p);
}

static void test_policy__added_promoters_count_when_allowed(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\npromoters: [a]\n"
			   "allow_loosen: [promoters]\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\npromoters: [a, b]\n"),
		      0);
	TAP_CHECK_INT(p.promoters.nr, 2);
	TAP_CHECK_INT(p.notes.nr, 0);
	gg_policy_release(&p);
}

static void test_policy__break_glass_layering(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nbreak_glass: {users: [oncall, sre], "
			   "min_reason_length: 20}\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nbreak_glass: {users: [oncall, dev], "
			   "min_reason_length: 5}\n"),
		      0);
	TAP_CHECK_INT(p.break_glass_users.nr, 1);
	TAP_CHECK_STR(p.break_glass_users.v[0], "oncall");
	TAP_CHECK_INT(p.break_glass_min_reason, 20);
	TAP_CHECK(has_note(&p, "ignored 'dev' in 'break_glass'"));
	TAP_CHECK(has_note(&p, "ignored a lower break_glass.min_reason_length"));
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nbreak_glass: {min_reason_length: 30}\n"),
		      0);
	TAP_CHECK_INT(p.break_glass_min_reason, 30);
	TAP_CHECK_INT(p.break_glass_users.nr, 1);
	gg_policy_release(&p);
}

static void test_policy__audit_is_ignored_in_the_in_repo_layer(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_REPO_CONFIG,
			   "version: 1\naudit: {log: /srv/audit.jsonl}\n"),
		      0);
	TAP_CHECK_STR(p.audit.log, "/srv/audit.jsonl");
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\naudit: {log: /tmp/x, webhook: {url: "
			   "'https://evil.example'}}\n"),
		      0);
	TAP_CHECK_STR(p.audit.log, "/srv/audit.jsonl");
	TAP_CHECK(!p.audit.webhook_url);
	TAP_CHECK(has_note(&p, "ignored 'audit': only server-side policy "
			       "files may set it"));
	/* but it is still validated */
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\naudit: {logs: /tmp/x}\n"),
		      GG_EINVALID);
	gg_policy_release(&p);
}

static void test_policy__on_error_accept_needs_allow_loosen(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nlimits: {on_error: accept, "
			   "on_timeout: accept}\n"),
		      0);
	TAP_CHECK_INT(p.limits.on_error_accept, 0);
	TAP_CHECK_INT(p.limits.on_timeout_accept, 0);
	TAP_CHECK_INT(p.notes.nr, 2);
	gg_policy_release(&p);
	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nlimits: {on_timeout: accept}\n"),
		      0);
	TAP_CHECK_INT(p.limits.on_timeout_accept, 1);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nlimits: {on_timeout: reject, "
			   "deadline_ms: 2000, max_blob_bytes: 1024}\n"),
		      0);
	/* a shorter deadline under reject only rejects more; a smaller
	 * max_blob_bytes inspects less */
	TAP_CHECK_INT(p.limits.on_timeout_accept, 0);
	TAP_CHECK_INT(p.limits.deadline_ms, 2000);
	TAP_CHECK_INT(p.limits.max_blob_bytes, GG_DEFAULT_MAX_BLOB_BYTES);
	TAP_CHECK(has_note(&p, "ignored 'limits.max_blob_bytes: 1024'"));
	gg_policy_release(&p);
}

static void test_policy__identity_only_from_the_system_layer(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nidentity: {env: [SSO_USER]}\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nidentity: {env: [ATTACKER_SET]}\n"),
		      0);
	TAP_CHECK_INT(p.identity_env.nr, 1);
	TAP_CHECK_STR(p.identity_env.v[0], "SSO_USER");
	TAP_CHECK(has_note(&p, "ignored 'identity'"));
	gg_policy_release(&p);
}

static const char three_envs[] =
	"version: 1\nenvironments:\n"
	"  - {name: dev, paths: ['envs/dev/**']}\n"
	"  - {name: staging, paths: ['envs/staging/**']}\n"
	"  - {name: prod, paths: ['envs/prod/**']}\n";

static void test_policy__environments_keep_their_protection(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM, three_envs), 0);
	TAP_CHECK_INT(protected_env(&p, "prod"), 1);
	TAP_CHECK_INT(protected_env(&p, "dev"), 0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nenvironments:\n"
			   "  - {name: dev, paths: ['envs/dev/**'], "
			   "protected: true}\n"
			   "  - {name: prod, paths: ['envs/prod/**'], "
			   "protected: false}\n"),
		      0);
	/* staging, which the layer does not name, stays too */
	TAP_CHECK_INT(p.nenvs, 3);
	TAP_CHECK_INT(protected_env(&p, "prod"), 1);
	TAP_CHECK_INT(protected_env(&p, "dev"), 1);
	TAP_CHECK_INT(protected_env(&p, "staging"), 0);
	TAP_CHECK_STR(p.notes.v[0],
		      "test.yaml:4:54: environment 'prod' stays protected: "
		      "'environments' is not in the system policy's "
		      "allow_loosen");
	gg_policy_release(&p);
}

static void test_policy__reordered_environment_keeps_its_protection(void)
{
	struct gg_policy p;

	/* prod is protected as the top tier; moving it down must not
	 * unprotect it */
	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM, three_envs), 0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nenvironments:\n"
			   "  - {name: prod, paths: ['envs/prod/**']}\n"
			   "  - {name: dev, paths: ['envs/dev/**']}\n"),
		      0);
	TAP_CHECK_INT(protected_env(&p, "prod"), 1);
	TAP_CHECK_INT(protected_env(&p, "dev"), 0);
	TAP_CHECK_STR(p.envs[0].name, "dev");
	TAP_CHECK_STR(p.envs[2].name, "prod");
	TAP_CHECK(has_note(&p, "test.yaml:4:5: the environments of the layers "
			       "below keep their order"));
	/* a later top tier must not unprotect prod either */
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nenvironments:\n"
			   "  - {name: prod, paths: ['envs/prod/**']}\n"
			   "  - {name: live, paths: ['live/**']}\n"),
		      0);
	TAP_CHECK_STR(p.envs[0].name, "live");
	TAP_CHECK_INT(protected_env(&p, "prod"), 1);
	TAP_CHECK_INT(protected_env(&p, "live"), 0);
	TAP_CHECK(has_note(&p, "test.yaml:4:5: environment 'live' is placed "
			       "below 'dev': a later layer adds environments "
			       "below those of the layers below"));
	gg_policy_release(&p);
}

static void test_policy__environment_protection_may_be_loosened(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM, three_envs), 0);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nallow_loosen: [environments]\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nenvironments:\n"
			   "  - {name: prod, paths: ['envs/prod/**'], "
			   "protected: false}\n"),
		      0);
	TAP_CHECK_INT(protected_env(&p, "prod"), 0);
	gg_policy_release(&p);
}

/* The environment of a file, as "name" or "name+" when protected. */
static const char *env_of(const struct gg_policy *p, const char *path)
{
	static char buf[80];
	struct gg_env env;

	gg_env_of_path(&env, p, path, 0);
	if (env.tier < 0)
		return "-";
	snprintf(buf, sizeof(buf), "%s%s", env.name, env.protect ? "+" : "");
	return buf;
}

static void test_policy__moving_prod_paths_away_is_ignored(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nenvironments:\n"
			   "  - {name: dev, paths: ['envs/dev/**']}\n"
			   "  - {name: prod, paths: ['envs/prod/**'], "
			   "protected: true}\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nenvironments:\n"
			   "  - {name: dev, paths: ['envs/dev/**']}\n"
			   "  - {name: prod, paths: ['nowhere/**'], "
			   "protected: true}\n"),
		      0);
	TAP_CHECK_INT(p.nenvs, 2);
	TAP_CHECK_INT(p.envs[1].paths.nr, 2);
	TAP_CHECK_STR(env_of(&p, "envs/prod/cm.yaml"), "prod+");
	TAP_CHECK_STR(env_of(&p, "nowhere/x.yaml"), "prod+");
	TAP_CHECK_STR(env_of(&p, "envs/dev/cm.yaml"), "dev");
	TAP_CHECK_INT(p.notes.nr, 0);
	gg_policy_release(&p);
}

static void test_policy__later_globs_claim_only_unclaimed_files(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM, three_envs), 0);
	/* staging's files must not move to prod (out of a freeze of
	 * staging), nor prod's to a new tier */
	TAP_CHECK_INT(load(&p, GG_LAYER_REPO_CONFIG,
			   "version: 1\nenvironments:\n"
			   "  - {name: sandbox, paths: ['envs/**']}\n"
			   "  - {name: prod, paths: ['envs/staging/**', "
			   "'apps/*/prod/**']}\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nenvironments:\n"
			   "  - {name: staging, paths: ['apps/**']}\n"),
		      0);
	TAP_CHECK_STR(p.envs[0].name, "sandbox");
	TAP_CHECK_STR(env_of(&p, "envs/staging/a.yaml"), "staging");
	TAP_CHECK_STR(env_of(&p, "envs/prod/a.yaml"), "prod+");
	TAP_CHECK_STR(env_of(&p, "envs/other/a.yaml"), "sandbox");
	TAP_CHECK_STR(env_of(&p, "apps/web/prod/a.yaml"), "prod+");
	TAP_CHECK_STR(env_of(&p, "apps/web/base/a.yaml"), "staging");
	TAP_CHECK_STR(env_of(&p, "charts/a.yaml"), "-");
	/* the new lowest tier does not change the top tier */
	TAP_CHECK_INT(gg_env_tier_protected(&p, 3), 1);
	TAP_CHECK_INT(p.notes.nr, 0);
	gg_policy_release(&p);
}

static void test_policy__later_layers_set_no_branches(void)
{
	struct gg_policy p;
	struct gg_env env;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nenvironments:\n"
			   "  - {name: staging, paths: ['envs/staging/**']}\n"
			   "  - {name: prod, branch: prod}\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nenvironments:\n"
			   "  - {name: dev, branch: main}\n"
			   "  - {name: qa, paths: ['qa/**'], branch: qa}\n"
			   "  - {name: staging, branch: main}\n"
			   "  - {name: prod, branch: other}\n"),
		      0);
	TAP_CHECK_INT(p.nenvs, 3);
	TAP_CHECK_STR(p.envs[0].name, "qa");
	TAP_CHECK(!p.envs[0].branch);
	TAP_CHECK(!p.envs[1].branch);
	TAP_CHECK_STR(p.envs[2].branch, "prod");
	gg_env_of_branch(&env, &p, "main");
	TAP_CHECK_INT(env.tier, -1);
	TAP_CHECK(has_note(&p, "test.yaml:3:5: ignored environment 'dev': "
			       "without its branch it has no paths"));
	TAP_CHECK(has_note(&p, "test.yaml:4:42: ignored branch 'qa' of "
			       "environment 'qa'"));
	TAP_CHECK(has_note(&p, "ignored branch 'main' of environment "
			       "'staging': only the layer that defines an "
			       "environment sets its branch"));
	TAP_CHECK(has_note(&p, "ignored branch 'other' of environment 'prod'"));
	gg_policy_release(&p);
}

static void test_policy__in_repo_environments_over_the_recognition(void)
{
	static const char mine[] = "version: 1\nenvironments:\n"
				   "  - {name: prod, paths: ['nowhere/**']}\n";
	struct gg_policy p;

	/* the in-repo policy may not replace the built-in recognition */
	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO, mine), 0);
	TAP_CHECK_INT(p.envs_set, 0);
	TAP_CHECK_STR(env_of(&p, "envs/prod/a.yaml"), "prod+");
	TAP_CHECK_STR(p.notes.v[0],
		      "test.yaml:3:3: ignored 'environments': the in-repo "
		      "policy may not replace the built-in recognition of "
		      "environments, and 'environments' is not in the system "
		      "policy's allow_loosen");
	gg_policy_release(&p);
	/* the repository config policy, a server-side file, may */
	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_REPO_CONFIG, mine), 0);
	TAP_CHECK_INT(p.envs_set, 1);
	TAP_CHECK_STR(env_of(&p, "envs/prod/a.yaml"), "-");
	gg_policy_release(&p);
	/* and so may the in-repo policy when the system allows it */
	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nallow_loosen: [environments]\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO, mine), 0);
	TAP_CHECK_INT(p.envs_set, 1);
	TAP_CHECK_INT(p.notes.nr, 0);
	gg_policy_release(&p);
}

static void test_policy__allowed_environments_replace_the_list(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM, three_envs), 0);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nallow_loosen: [environments]\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nenvironments:\n"
			   "  - {name: prod, paths: ['nowhere/**']}\n"
			   "  - {name: dev, paths: ['envs/**'], branch: x}\n"),
		      0);
	TAP_CHECK_INT(p.nenvs, 2);
	TAP_CHECK_STR(env_of(&p, "envs/prod/a.yaml"), "dev+");
	TAP_CHECK_STR(p.envs[1].branch, "x");
	TAP_CHECK_INT(p.notes.nr, 0);
	gg_policy_release(&p);
}

static void owners_are(const struct gg_policy *p, const char *path,
		       const char *want)
{
	struct gg_strvec out = GG_STRVEC_INIT;
	char got[256] = "";
	size_t i;

	gg_policy_owners_of(&out, p, path);
	for (i = 0; i < out.nr; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s",
			 i ? "," : "", out.v[i]);
	TAP_CHECK_STR(got, want);
	gg_strvec_release(&out);
}

static const char payments_owners[] =
	"version: 1\nowners:\n"
	"  - {paths: ['apps/payments/**'], users: [alice]}\n"
	"  - {paths: ['apps/payments/db/**'], users: [dba]}\n";

static const char mallory_owns_all[] =
	"version: 1\nowners:\n  - {paths: ['**'], users: [mallory]}\n"
	"  - {paths: ['apps/web/**'], users: [bob]}\n";

static void test_policy__later_owners_count_only_where_none_are(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM, payments_owners), 0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO, mallory_owns_all), 0);
	/* the system layer's entries decide where they match */
	owners_are(&p, "apps/payments/a.yaml", "alice");
	owners_are(&p, "apps/payments/db/t.yaml", "alice,dba");
	owners_are(&p, "apps/payments", "alice");
	/* elsewhere the in-repo entries do: a tightening */
	owners_are(&p, "apps/web/a.yaml", "mallory,bob");
	owners_are(&p, "README.md", "mallory");
	gg_policy_release(&p);
	/* a repository config layer in between ranks between them */
	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_REPO_CONFIG,
			   "version: 1\nowners:\n"
			   "  - {paths: ['apps/web/**'], users: [carol]}\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO, mallory_owns_all), 0);
	owners_are(&p, "apps/web/a.yaml", "carol");
	owners_are(&p, "apps/api/a.yaml", "mallory");
	gg_policy_release(&p);
	/* no entry anywhere: no owners */
	gg_policy_init(&p);
	owners_are(&p, "apps/web/a.yaml", "");
	gg_policy_release(&p);
}

static void test_policy__allowed_owners_join_those_below(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM, payments_owners), 0);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nallow_loosen: [owners]\n"
			   "owners:\n  - {paths: ['apps/**'], users: [ops]}\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO, mallory_owns_all), 0);
	/* system files are one layer: their entries add up */
	owners_are(&p, "apps/payments/a.yaml", "alice,ops,mallory");
	owners_are(&p, "README.md", "mallory");
	gg_policy_release(&p);
}

static void test_policy__limits_that_inspect_less_are_ignored(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nlimits: {max_blob_bytes: 100000, "
			   "max_commits: 500, deadline_ms: 3000}\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nlimits:\n  max_blob_bytes: 2048\n"
			   "  max_commits: 1\n  deadline_ms: 1000\n"),
		      0);
	TAP_CHECK_INT(p.limits.max_blob_bytes, 100000);
	TAP_CHECK_INT(p.limits.max_commits, 500);
	/* on_timeout: reject, so a shorter deadline only rejects more */
	TAP_CHECK_INT(p.limits.deadline_ms, 1000);
	TAP_CHECK_INT(p.notes.nr, 2);
	TAP_CHECK_STR(p.notes.v[0],
		      "test.yaml:3:19: ignored 'limits.max_blob_bytes: 2048': "
		      "lower than 100000, so less is inspected, and 'limits' "
		      "is not in the system policy's allow_loosen");
	TAP_CHECK(has_note(&p, "test.yaml:4:16: ignored 'limits.max_commits: "
			       "1': lower than 500"));
	/* raising them inspects more */
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nlimits: {max_blob_bytes: 200000, "
			   "max_commits: 900, deadline_ms: 4500}\n"),
		      0);
	TAP_CHECK_INT(p.limits.max_blob_bytes, 200000);
	TAP_CHECK_INT(p.limits.max_commits, 900);
	TAP_CHECK_INT(p.limits.deadline_ms, 4500);
	gg_policy_release(&p);
}

static void test_policy__a_shorter_deadline_under_accept_is_ignored(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nlimits: {on_timeout: accept}\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_REPO_CONFIG,
			   "version: 1\nlimits: {deadline_ms: 100}\n"),
		      0);
	TAP_CHECK_INT(p.limits.deadline_ms, GG_DEFAULT_DEADLINE_MS);
	TAP_CHECK(has_note(&p, "ignored 'limits.deadline_ms: 100': lower "
			       "than 4000 under 'on_timeout: accept', so "
			       "checks may be skipped"));
	gg_policy_release(&p);
	/* allowed: the later layer may lower every limit */
	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nlimits: {on_timeout: accept}\n"
			   "allow_loosen: [limits]\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nlimits: {deadline_ms: 100, "
			   "max_blob_bytes: 1024, max_commits: 1}\n"),
		      0);
	TAP_CHECK_INT(p.limits.deadline_ms, 100);
	TAP_CHECK_INT(p.limits.max_blob_bytes, 1024);
	TAP_CHECK_INT(p.limits.max_commits, 1);
	TAP_CHECK_INT(p.notes.nr, 0);
	gg_policy_release(&p);
}

static void test_policy__later_layers_cannot_remove_freezes_or_urls(void)
{
	struct gg_policy p;

	gg_policy_init(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nrepo_urls: [a]\nbranches: [b]\n"
			   "freeze:\n  - {name: x, schedule: '0 0 * * *', "
			   "duration: 1h}\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nrepo_urls: []\nbranches: []\n"
			   "freeze: []\npromoters: []\n"
			   "break_glass: {users: []}\n"),
		      0);
	TAP_CHECK_INT(p.nfreezes, 1);
	TAP_CHECK_INT(p.repo_urls.nr, 1);
	TAP_CHECK_INT(p.branches.nr, 1);
	TAP_CHECK_INT(p.notes.nr, 0);
	gg_policy_release(&p);
}

static void test_policy__load_file(void)
{
	char path[64], *big;
	struct gg_policy p;
	FILE *f;
	size_t n = 1024 * 1024 + 10;
	int fd;

	gg_policy_init(&p);
	TAP_CHECK_INT(gg_policy_load_file(&p, GG_LAYER_SYSTEM,
					  "/nonexistent/policy.yaml"),
		      GG_ENOTFOUND);
	TAP_CHECK(strstr(gg_error_last(), "/nonexistent/policy.yaml"));
	snprintf(path, sizeof(path), "/tmp/u-policy.XXXXXX");
	fd = mkstemp(path);
	TAP_CHECK(fd >= 0);
	f = fdopen(fd, "w");
	fputs("version: 1\nrepo_urls: [x]\n", f);
	fclose(f);
	TAP_CHECK_INT(gg_policy_load_file(&p, GG_LAYER_SYSTEM, path), 0);
	TAP_CHECK_STR(p.sources.v[1], path);
	TAP_CHECK_STR(p.repo_urls.v[0], "x");
	big = malloc(n);
	memset(big, '#', n);
	f = fopen(path, "w");
	fwrite(big, 1, n, f);
	fclose(f);
	TAP_CHECK_INT(gg_policy_load_file(&p, GG_LAYER_SYSTEM, path),
		      GG_EINVALID);
	TAP_CHECK(strstr(gg_error_last(), "larger than 1048576 bytes"));
	unlink(path);
	free(big);
	gg_policy_release(&p);
}

static void test_policy__pack_rules_resolve_and_are_off_until_enabled(void)
{
	struct gg_policy p;

	init_with_packs(&p);
	TAP_CHECK(gg_policy_rule(&p, "baseline/r"));
	TAP_CHECK(gg_policy_rule(&p, "yaml/invalid") ==
		  gg_rule_find("yaml/invalid"));
	TAP_CHECK(!gg_policy_rule(&p, "baseline/none"));
	TAP_CHECK(!gg_rule_find("baseline/r"));
	TAP_CHECK_INT(gg_policy_severity(&p, "baseline/r"), GG_SEV_OFF);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nrules: {baseline/r: block}\n"),
		      0);
	TAP_CHECK_INT(gg_policy_severity(&p, "baseline/r"), GG_SEV_OFF);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\npacks: baseline\n"),
		      0);
	TAP_CHECK_INT(gg_policy_severity(&p, "baseline/r"), GG_SEV_BLOCK);
	TAP_CHECK_INT(gg_policy_strs(&p, "baseline/r", "exclude_paths")->nr, 0);
	gg_policy_release(&p);
}

static void test_policy__turning_a_pack_off_is_a_loosening(void)
{
	struct gg_policy p;

	init_with_packs(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\npacks: [baseline, secrets]\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\npacks: {baseline: false}\n"),
		      0);
	TAP_CHECK(gg_policy_pack_enabled(&p, "baseline"));
	TAP_CHECK(has_note(&p, "pack 'baseline' stays enabled"));
	gg_policy_release(&p);
	init_with_packs(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\npacks: [baseline, secrets]\n"
			   "allow_loosen: [packs]\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\n"
			   "packs: {baseline: no, secrets: yes}\n"),
		      0);
	TAP_CHECK(!gg_policy_pack_enabled(&p, "baseline"));
	TAP_CHECK(gg_policy_pack_enabled(&p, "secrets"));
	TAP_CHECK_INT(p.packs.nr, 1);
	TAP_CHECK_INT(gg_policy_severity(&p, "baseline/r"), GG_SEV_OFF);
	gg_policy_release(&p);
}

static void test_policy__pack_rule_exclusions_loosen(void)
{
	struct gg_policy p;

	init_with_packs(&p);
	TAP_CHECK_INT(load(&p, GG_LAYER_SYSTEM,
			   "version: 1\nrules: {baseline/r: "
			   "{exclude_paths: [a/**]}}\n"),
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nrules: {baseline/r: "
			   "{exclude_paths: [a/**, b/**]}}\n"),
		      0);
	TAP_CHECK_INT(gg_policy_strs(&p, "baseline/r", "exclude_paths")->nr,
		      1);
	TAP_CHECK(has_note(&p, "ignored 'baseline/r.exclude_paths'"));
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\nrules: {baseline/r: "
			   "{exclude_paths: []}}\n"),
		      0);
	TAP_CHECK_INT(gg_policy_strs(&p, "baseline/r", "exclude_paths")->nr,
		      0);
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\npacks: {nope: true}\n"),
		      GG_EINVALID);
	TAP_CHECK_STR(gg_error_last(),
		      "test.yaml:2:9: unknown pack 'nope' (available: "
		      "baseline, secrets; see 'gitops-guard packs')");
	TAP_CHECK_INT(load(&p, GG_LAYER_IN_REPO,
			   "version: 1\npacks: {baseline: maybe}\n"),
		      GG_EINVALID);
	TAP_CHECK_STR(gg_error_last(),
		      "test.yaml:2:19: 'packs' must be true or false");
	gg_policy_release(&p);
}

int main(void)
{
	TAP_RUN(test_policy__built_in_defaults);
	TAP_RUN(test_policy__the_design_example_loads);
	TAP_RUN(test_policy__single_strings_are_lists_of_one);
	TAP_RUN(test_policy__empty_or_not_a_map);
	TAP_RUN(test_policy__version_missing_or_unsupported);
	TAP_RUN(test_policy__unknown_keys);
	TAP_RUN(test_policy__wrong_types);
	TAP_RUN(test_policy__bad_globs);
	TAP_RUN(test_policy__severities_and_rule_ids);
	TAP_RUN(test_policy__rule_parameters);
	TAP_RUN(test_policy__environment_entries);
	TAP_RUN(test_policy__app_and_owner_entries);
	TAP_RUN(test_policy__freeze_entries);
	TAP_RUN(test_policy__overflowing_duration_is_invalid);
	TAP_RUN(test_policy__malformed_timezones_are_unknown);
	TAP_RUN(test_policy__values_with_nul_bytes_are_invalid);
	TAP_RUN(test_policy__key_with_a_nul_byte_is_not_a_known_key);
	TAP_RUN(test_policy__yaml_errors_name_the_source);
	TAP_RUN(test_policy__oversized_policy_is_invalid);
	TAP_RUN(test_policy__failed_load_leaves_the_policy_unchanged);
	TAP_RUN(test_policy__validate_changes_nothing_global);
	TAP_RUN(test_policy__later_layers_add_urls_and_branches);
	TAP_RUN(test_policy__raising_a_severity_applies);
	TAP_RUN(test_policy__lowering_a_severity_is_ignored_with_a_note);
	TAP_RUN(test_policy__the_system_layer_may_lower_defaults);
	TAP_RUN(test_policy__allow_loosen_lets_later_layers_lower);
	TAP_RUN(test_policy__allow_loosen_only_from_the_system_layer);
	TAP_RUN(test_policy__added_promoters_are_ignored);
	TAP_RUN(test_policy__added_promoters_count_when_allowed);
	TAP_RUN(test_policy__break_glass_layering);
	TAP_RUN(test_policy__audit_is_ignored_in_the_in_repo_layer);
	TAP_RUN(test_policy__on_error_accept_needs_allow_loosen);
	TAP_RUN(test_policy__identity_only_from_the_system_layer);
	TAP_RUN(test_policy__environments_keep_their_protection);
	TAP_RUN(test_policy__reordered_environment_keeps_its_protection);
	TAP_RUN(test_policy__environment_protection_may_be_loosened);
	TAP_RUN(test_policy__moving_prod_paths_away_is_ignored);
	TAP_RUN(test_policy__later_globs_claim_only_unclaimed_files);
	TAP_RUN(test_policy__later_layers_set_no_branches);
	TAP_RUN(test_policy__in_repo_environments_over_the_recognition);
	TAP_RUN(test_policy__allowed_environments_replace_the_list);
	TAP_RUN(test_policy__later_owners_count_only_where_none_are);
	TAP_RUN(test_policy__allowed_owners_join_those_below);
	TAP_RUN(test_policy__limits_that_inspect_less_are_ignored);
	TAP_RUN(test_policy__a_shorter_deadline_under_accept_is_ignored);
	TAP_RUN(test_policy__later_layers_cannot_remove_freezes_or_urls);
	TAP_RUN(test_policy__load_file);
	TAP_RUN(test_policy__pack_rules_resolve_and_are_off_until_enabled);
	TAP_RUN(test_policy__turning_a_pack_off_is_a_loosening);
	TAP_RUN(test_policy__pack_rule_exclusions_loosen);
	return tap_done();
}
