/*
 * Unit tests for context.c: the hook environment read through a fake
 * getenv (platform, pusher, repository names, quarantine, push options,
 * clock), and the time parser and formatter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guard.h"
#include "tap.h"

/* A fake environment: "NAME=value" strings, NULL-terminated. */
struct fake_env {
	const char *const *vars;
};

static const char *fake_getenv(const char *name, void *payload)
{
	const struct fake_env *env = payload;
	const char *const *v = env->vars;
	size_t n = strlen(name);

	for (; *v; v++)
		if (!strncmp(*v, name, n) && (*v)[n] == '=')
			return *v + n + 1;
	return NULL;
}

static char tmp[64];
static char bare[80];	  /* <tmp>/deploy.git */
static char nonbare[96];  /* <tmp>/work/.git */
static char objects[96];  /* <tmp>/deploy.git/objects */
static char incoming[112]; /* <tmp>/deploy.git/objects/incoming */

static void make_dirs(void)
{
	char work[80];

	snprintf(tmp, sizeof(tmp), "%s/u-context.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp))
		abort();
	snprintf(bare, sizeof(bare), "%s/deploy.git", tmp);
	snprintf(objects, sizeof(objects), "%s/objects", bare);
	snprintf(incoming, sizeof(incoming), "%s/incoming", objects);
	snprintf(work, sizeof(work), "%s/work", tmp);
	snprintf(nonbare, sizeof(nonbare), "%s/.git", work);
	if (mkdir(bare, 0700) || mkdir(objects, 0700) ||
	    mkdir(incoming, 0700) || mkdir(work, 0700) || mkdir(nonbare, 0700))
		abort();
}

static void remove_dirs(void)
{
	char work[80];

	snprintf(work, sizeof(work), "%s/work", tmp);
	rmdir(nonbare);
	rmdir(work);
	rmdir(incoming);
	rmdir(objects);
	rmdir(bare);
	rmdir(tmp);
}

static int init(struct gg_context *ctx, enum gg_hook_kind hook,
		const char *const *vars)
{
	struct fake_env env = { vars };

	return gg_context_init(ctx, hook, bare, fake_getenv, &env);
}

static void test_context__plain_git(void)
{
	static const char *const env[] = { NULL };
	struct gg_context ctx;

	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), 0);
	TAP_CHECK_INT(ctx.platform, GG_PLATFORM_GIT);
	TAP_CHECK_STR(gg_platform_name(ctx.platform), "git");
	TAP_CHECK(!ctx.pusher);
	TAP_CHECK(!ctx.pusher_source);
	TAP_CHECK(!ctx.merge_flow);
	TAP_CHECK_INT(ctx.web, 0);
	TAP_CHECK(!ctx.quarantine);
	TAP_CHECK_STR(ctx.repo_name, "deploy");
	TAP_CHECK(ctx.git_dir[0] == '/');
	TAP_CHECK_STR(ctx.repo_path, ctx.git_dir);
	TAP_CHECK_INT(ctx.push_options.nr, 0);
	TAP_CHECK(ctx.now > 1700000000);
	TAP_CHECK_INT(ctx.hook, GG_HOOK_PRE_RECEIVE);
	gg_context_release(&ctx);
}

static void test_context__repository_from_git_dir(void)
{
	const char *vars[] = { NULL, NULL };
	struct fake_env env = { vars };
	char var[160];
	struct gg_context ctx;

	snprintf(var, sizeof(var), "GIT_DIR=%s/", nonbare);
	vars[0] = var;
	TAP_CHECK_INT(gg_context_init(&ctx, GG_HOOK_UPDATE, NULL, fake_getenv,
				      &env),
		      0);
	TAP_CHECK_STR(ctx.repo_name, "work");
	TAP_CHECK(strstr(ctx.git_dir, "/work/.git"));
	gg_context_release(&ctx);
}

static void test_context__missing_repository_is_not_found(void)
{
	static const char *const vars[] = { NULL };
	struct fake_env env = { vars };
	struct gg_context ctx;
	char path[160];

	snprintf(path, sizeof(path), "%s/nope.git", tmp);
	TAP_CHECK_INT(gg_context_init(&ctx, GG_HOOK_PRE_RECEIVE, path,
				      fake_getenv, &env),
		      GG_ENOTFOUND);
	TAP_CHECK(strstr(gg_error_last(), "nope.git"));
	gg_context_release(&ctx);
}

static void test_context__github_enterprise(void)
{
	static const char *const env[] = {
		"GITHUB_USER_LOGIN=octocat", "GITHUB_REPO_NAME=platform/deploy",
		"GITHUB_VIA=pull request merge button", "REMOTE_USER=other",
		NULL
	};
	static const char *const rebase[] = {
		"GITHUB_USER_LOGIN=octocat", "GITHUB_VIA=merge base into head",
		NULL
	};
	struct gg_context ctx;

	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), 0);
	TAP_CHECK_INT(ctx.platform, GG_PLATFORM_GITHUB);
	TAP_CHECK_STR(gg_platform_name(ctx.platform), "github");
	TAP_CHECK_STR(ctx.pusher, "octocat");
	TAP_CHECK_STR(ctx.pusher_source, "GITHUB_USER_LOGIN");
	TAP_CHECK_STR(ctx.repo_path, "platform/deploy");
	TAP_CHECK_STR(ctx.repo_name, "deploy");
	TAP_CHECK_INT(ctx.web, 1);
	TAP_CHECK_STR(ctx.merge_flow, "GitHub pull request merge button");
	gg_context_release(&ctx);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, rebase), 0);
	TAP_CHECK(!ctx.merge_flow);
	TAP_CHECK_INT(ctx.web, 1);
	gg_context_release(&ctx);
}

static void test_context__gitlab(void)
{
	static const char *const env[] = {
		"GL_ID=user-7", "GL_USERNAME=bob", "GL_PROTOCOL=web",
		"GL_REPOSITORY=project-3", "GL_PROJECT_PATH=group/sub/deploy",
		NULL
	};
	static const char *const ssh[] = { "GL_ID=key-9", "GL_PROTOCOL=ssh",
					   NULL };
	struct gg_context ctx;

	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), 0);
	TAP_CHECK_INT(ctx.platform, GG_PLATFORM_GITLAB);
	TAP_CHECK_STR(ctx.pusher, "bob");
	TAP_CHECK_STR(ctx.pusher_source, "GL_USERNAME");
	TAP_CHECK_INT(ctx.web, 1);
	TAP_CHECK(!ctx.merge_flow);
	TAP_CHECK_STR(ctx.repo_path, "group/sub/deploy");
	TAP_CHECK_STR(ctx.repo_name, "deploy");
	gg_context_release(&ctx);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, ssh), 0);
	TAP_CHECK_INT(ctx.platform, GG_PLATFORM_GITLAB);
	TAP_CHECK_INT(ctx.web, 0);
	TAP_CHECK(!ctx.pusher);
	gg_context_release(&ctx);
}

static void test_context__gitea(void)
{
	static const char *const env[] = {
		"GITEA_REPO_NAME=deploy", "GITEA_REPO_USER_NAME=platform",
		"GITEA_PUSHER_NAME=carol", "GITEA_PUSH_TRIGGER=pr-merge-to-base",
		NULL
	};
	static const char *const pr[] = { "GITEA_PUSHER_NAME=carol",
					  "GITEA_PR_ID=12", NULL };
	static const char *const user[] = { "GITEA_PUSHER_NAME=carol",
					    "GITEA_PUSH_TRIGGER=user", NULL };
	struct gg_context ctx;

	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), 0);
	TAP_CHECK_INT(ctx.platform, GG_PLATFORM_GITEA);
	TAP_CHECK_STR(ctx.pusher, "carol");
	TAP_CHECK_STR(ctx.repo_path, "platform/deploy");
	TAP_CHECK_STR(ctx.repo_name, "deploy");
	TAP_CHECK_STR(ctx.merge_flow, "Gitea pull request merge");
	gg_context_release(&ctx);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, pr), 0);
	TAP_CHECK_STR(ctx.merge_flow, "Gitea pull request merge");
	gg_context_release(&ctx);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, user), 0);
	TAP_CHECK(!ctx.merge_flow);
	gg_context_release(&ctx);
}

static void test_context__gitolite_needs_both_variables(void)
{
	static const char *const env[] = { "GL_USER=dave", "GL_REPO=deploy",
					   NULL };
	static const char *const half[] = { "GL_REPO=deploy", NULL };
	struct gg_context ctx;

	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), 0);
	TAP_CHECK_INT(ctx.platform, GG_PLATFORM_GITOLITE);
	TAP_CHECK_STR(ctx.pusher, "dave");
	TAP_CHECK_STR(ctx.pusher_source, "GL_USER");
	TAP_CHECK_STR(ctx.repo_path, "deploy");
	gg_context_release(&ctx);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, half), 0);
	TAP_CHECK_INT(ctx.platform, GG_PLATFORM_GIT);
	gg_context_release(&ctx);
}

static void test_context__bitbucket(void)
{
	static const char *const merge[] = {
		"BB_HOOK_TRIGGER_ID=pull-request-merge", "BB_USER_NAME=erin",
		"BB_REPO_SLUG=deploy", NULL
	};
	static const char *const push[] = { "BB_HOOK_TRIGGER_ID=push",
					    "BB_USER_NAME=erin", NULL };
	struct gg_context ctx;

	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, merge), 0);
	TAP_CHECK_INT(ctx.platform, GG_PLATFORM_BITBUCKET);
	TAP_CHECK_STR(ctx.pusher, "erin");
	TAP_CHECK_STR(ctx.merge_flow, "Bitbucket pull request merge");
	TAP_CHECK_INT(ctx.web, 1);
	TAP_CHECK_STR(ctx.repo_name, "deploy");
	gg_context_release(&ctx);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, push), 0);
	TAP_CHECK(!ctx.merge_flow);
	TAP_CHECK_INT(ctx.web, 0);
	gg_context_release(&ctx);
}

static void test_context__http_backend(void)
{
	static const char *const env[] = { "GATEWAY_INTERFACE=CGI/1.1",
					   "REMOTE_USER=frank", NULL };
	static const char *const anon[] = { "GATEWAY_INTERFACE=CGI/1.1",
					    NULL };
	struct gg_context ctx;

	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), 0);
	TAP_CHECK_INT(ctx.platform, GG_PLATFORM_HTTP);
	TAP_CHECK_STR(gg_platform_name(ctx.platform), "http");
	TAP_CHECK_STR(ctx.pusher, "frank");
	TAP_CHECK_STR(ctx.pusher_source, "REMOTE_USER");
	gg_context_release(&ctx);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, anon), 0);
	TAP_CHECK_INT(ctx.platform, GG_PLATFORM_HTTP);
	TAP_CHECK(!ctx.pusher);
	gg_context_release(&ctx);
}

static void test_context__empty_variables_count_as_unset(void)
{
	static const char *const env[] = { "GITHUB_USER_LOGIN=",
					   "GL_USERNAME=", "REMOTE_USER=x",
					   NULL };
	struct gg_context ctx;

	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), 0);
	TAP_CHECK_INT(ctx.platform, GG_PLATFORM_HTTP);
	TAP_CHECK_STR(ctx.pusher, "x");
	gg_context_release(&ctx);
}

static void test_context__identity_from_the_policy_list(void)
{
	static const char *const vars[] = { "GL_USER=dave", "GL_REPO=r",
					    "SSO_USER=dave@corp", NULL };
	struct fake_env env = { vars };
	struct gg_strvec names = GG_STRVEC_INIT;
	struct gg_context ctx;

	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, vars), 0);
	gg_context_set_identity(&ctx, &names, fake_getenv, &env);
	TAP_CHECK_STR(ctx.pusher, "dave");
	gg_strvec_push(&names, "NOT_SET");
	gg_context_set_identity(&ctx, &names, fake_getenv, &env);
	TAP_CHECK_STR(ctx.pusher, "dave");
	gg_strvec_push(&names, "SSO_USER");
	gg_context_set_identity(&ctx, &names, fake_getenv, &env);
	TAP_CHECK_STR(ctx.pusher, "dave@corp");
	TAP_CHECK_STR(ctx.pusher_source, "SSO_USER");
	gg_strvec_release(&names);
	gg_context_release(&ctx);
}

static void test_context__quarantine(void)
{
	const char *env[] = { NULL, NULL };
	char var[200];
	struct gg_context ctx;

	snprintf(var, sizeof(var), "GIT_QUARANTINE_PATH=%s", incoming);
	env[0] = var;
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), 0);
	TAP_CHECK(ctx.quarantine && strstr(ctx.quarantine, "/incoming"));
	gg_context_release(&ctx);
	/* the update hook runs after the objects left the quarantine */
	TAP_CHECK_INT(init(&ctx, GG_HOOK_UPDATE, env), 0);
	TAP_CHECK(!ctx.quarantine);
	gg_context_release(&ctx);
	/* GitLab: only GIT_OBJECT_DIRECTORY, which differs from objects/ */
	snprintf(var, sizeof(var), "GIT_OBJECT_DIRECTORY=%s", incoming);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), 0);
	TAP_CHECK(ctx.quarantine && strstr(ctx.quarantine, "/incoming"));
	gg_context_release(&ctx);
	snprintf(var, sizeof(var), "GIT_OBJECT_DIRECTORY=%s/./", objects);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), 0);
	TAP_CHECK(!ctx.quarantine);
	gg_context_release(&ctx);
}

static void test_context__push_options_absent_or_zero(void)
{
	static const char *const absent[] = { NULL };
	static const char *const zero[] = { "GIT_PUSH_OPTION_COUNT=0", NULL };
	static const char *const empty[] = { "GIT_PUSH_OPTION_COUNT=", NULL };
	struct gg_context ctx;

	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, absent), 0);
	TAP_CHECK_INT(ctx.push_options.nr, 0);
	gg_context_release(&ctx);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, zero), 0);
	TAP_CHECK_INT(ctx.push_options.nr, 0);
	gg_context_release(&ctx);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, empty), 0);
	TAP_CHECK_INT(ctx.push_options.nr, 0);
	gg_context_release(&ctx);
}

static void test_context__push_options_are_read_in_order(void)
{
	static const char *const env[] = {
		"GIT_PUSH_OPTION_COUNT=3", "GIT_PUSH_OPTION_0=gitops.verbose",
		"GIT_PUSH_OPTION_2=opt two", "GIT_PUSH_OPTION_1=", NULL
	};
	struct gg_context ctx;

	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), 0);
	TAP_CHECK_INT(ctx.push_options.nr, 3);
	TAP_CHECK_STR(ctx.push_options.v[0], "gitops.verbose");
	TAP_CHECK_STR(ctx.push_options.v[1], "");
	TAP_CHECK_STR(ctx.push_options.v[2], "opt two");
	gg_context_release(&ctx);
	/* post-receive gets them too, update never */
	TAP_CHECK_INT(init(&ctx, GG_HOOK_POST_RECEIVE, env), 0);
	TAP_CHECK_INT(ctx.push_options.nr, 3);
	gg_context_release(&ctx);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_UPDATE, env), 0);
	TAP_CHECK_INT(ctx.push_options.nr, 0);
	gg_context_release(&ctx);
}

static void test_context__push_option_count_must_be_a_number(void)
{
	static const char *const words[] = { "GIT_PUSH_OPTION_COUNT=two",
					     NULL };
	static const char *const neg[] = { "GIT_PUSH_OPTION_COUNT=-1", NULL };
	static const char *const trail[] = { "GIT_PUSH_OPTION_COUNT=2x",
					     NULL };
	static const char *const huge[] = {
		"GIT_PUSH_OPTION_COUNT=99999999999999999999999", NULL
	};
	struct gg_context ctx;

	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, words), GG_EINVALID);
	TAP_CHECK(strstr(gg_error_last(), "GIT_PUSH_OPTION_COUNT"));
	gg_context_release(&ctx);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, neg), GG_EINVALID);
	gg_context_release(&ctx);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, trail), GG_EINVALID);
	gg_context_release(&ctx);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, huge), GG_EINVALID);
	gg_context_release(&ctx);
}

static void test_context__push_option_limits(void)
{
	const char *env[3] = { NULL, NULL, NULL };
	char count[64], *opt = malloc(GG_MAX_PUSH_OPTION_LEN + 32);
	struct gg_context ctx;

	snprintf(count, sizeof(count), "GIT_PUSH_OPTION_COUNT=%d",
		 GG_MAX_PUSH_OPTIONS);
	env[0] = count;
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), 0);
	TAP_CHECK_INT(ctx.push_options.nr, GG_MAX_PUSH_OPTIONS);
	gg_context_release(&ctx);
	snprintf(count, sizeof(count), "GIT_PUSH_OPTION_COUNT=%d",
		 GG_MAX_PUSH_OPTIONS + 1);
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), GG_ELIMIT);
	gg_context_release(&ctx);

	snprintf(count, sizeof(count), "GIT_PUSH_OPTION_COUNT=1");
	memcpy(opt, "GIT_PUSH_OPTION_0=", 18);
	memset(opt + 18, 'x', GG_MAX_PUSH_OPTION_LEN);
	opt[18 + GG_MAX_PUSH_OPTION_LEN] = '\0';
	env[1] = opt;
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), 0);
	TAP_CHECK_INT(strlen(ctx.push_options.v[0]), GG_MAX_PUSH_OPTION_LEN);
	gg_context_release(&ctx);
	opt[18 + GG_MAX_PUSH_OPTION_LEN] = 'x';
	opt[19 + GG_MAX_PUSH_OPTION_LEN] = '\0';
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), GG_ELIMIT);
	gg_context_release(&ctx);
	free(opt);
}

static void test_context__now_from_the_environment(void)
{
	static const struct {
		const char *var;
		long long want;
	} cases[] = {
		{ "GITOPS_GUARD_NOW=2026-12-24T10:00:00Z", 1798106400 },
		{ "GITOPS_GUARD_NOW=2026-12-24 10:00", 1798106400 },
		{ "GITOPS_GUARD_NOW=2026-12-24", 1798070400 },
		{ "GITOPS_GUARD_NOW=@1767225600", 1767225600 },
		{ "GITOPS_GUARD_NOW=1767225600", 1767225600 },
	};
	const char *env[] = { NULL, NULL };
	struct gg_context ctx;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		env[0] = cases[i].var;
		TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), 0);
		TAP_CHECK_INT(ctx.now, cases[i].want);
		gg_context_release(&ctx);
	}
	env[0] = "GITOPS_GUARD_NOW=next tuesday";
	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), GG_EINVALID);
	TAP_CHECK(strstr(gg_error_last(), "GITOPS_GUARD_NOW 'next tuesday'"));
	gg_context_release(&ctx);
}

static void test_context__time_parse(void)
{
	static const struct {
		const char *s;
		long long want;
	} ok[] = {
		{ "1970-01-01", 0 },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "1969-12-31T23:59:59Z", -1 },
		{ "2000-02-29T23:59:59Z", 951868799 },
		{ "2028-02-29", 1835395200 },
		{ "2026-01-01T00:00:00Z", 1767225600 },
		{ "2026-12-24T10:00", 1798106400 },
		{ "2026-12-24T10:00Z", 1798106400 },
		{ "9999-12-31T23:59:59Z", 253402300799LL },
		{ "@0", 0 },
		{ "@-1", -1 },
		{ "12345", 12345 },
	};
	static const char *const bad[] = {
		"", "@", "@x", "@1x", "x", "1234", "-5", "12x45",
		"2026-13-01", "2026-00-10", "2026-12-32", "2026-12-00",
		"2026-12-24T24:00", "2026-12-24T10:60", "2026-12-24T10",
		"2026-12-24T10:0", "2026-12-24T", "2026-12-24X",
		"2026-12-24T10:00:00+02:00", "2026-12-24T10:00:00ZZ",
		"2026-1-01", "26-12-24", "@99999999999999999999",
		"2026-02-29", "2026-02-30", "2026-04-31", "2100-02-29", NULL
	};
	long long v;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
		v = 42;
		TAP_CHECK_INT(gg_time_parse(&v, ok[i].s), 0);
		TAP_CHECK_INT(v, ok[i].want);
	}
	for (i = 0; bad[i]; i++) {
		if (gg_time_parse(&v, bad[i]) == 0)
			printf("#   accepted: '%s'\n", bad[i]);
		TAP_CHECK_INT(gg_time_parse(&v, bad[i]), GG_EINVALID);
	}
}

static void test_context__time_format(void)
{
	char out[21];
	long long v = 0;

	gg_time_format(out, 0);
	TAP_CHECK_STR(out, "1970-01-01T00:00:00Z");
	gg_time_format(out, 1798106400);
	TAP_CHECK_STR(out, "2026-12-24T10:00:00Z");
	gg_time_format(out, -1);
	TAP_CHECK_STR(out, "1969-12-31T23:59:59Z");
	gg_time_format(out, 951868799);
	TAP_CHECK_STR(out, "2000-02-29T23:59:59Z");
	TAP_CHECK_INT(gg_time_parse(&v, out), 0);
	TAP_CHECK_INT(v, 951868799);
}

static void test_context__time_format_past_year_9999_is_terminated(void)
{
	static const long long times[] = { 253402300799LL, 253402300800LL,
					   99999999999999LL,
					   9223372036854775807LL,
					   -9223372036854775807LL - 1 };
	char out[32];
	size_t i;

	for (i = 0; i < sizeof(times) / sizeof(*times); i++) {
		memset(out, 'X', sizeof(out));
		gg_time_format(out, times[i]);
		TAP_CHECK(memchr(out, '\0', 21));
	}
	memset(out, 'X', sizeof(out));
	gg_time_format(out, 9223372036854775807LL);
	TAP_CHECK_STR(out, "9999-12-31T23:59:59Z");
}

static void test_context__deadline(void)
{
	static const char *const env[] = { NULL };
	struct gg_context ctx;
	long long give_up;

	TAP_CHECK_INT(init(&ctx, GG_HOOK_PRE_RECEIVE, env), 0);
	TAP_CHECK_INT(ctx.deadline_ms, 0);
	TAP_CHECK_INT(gg_context_expired(&ctx), 0);
	gg_context_set_deadline(&ctx, -5);
	TAP_CHECK_INT(ctx.deadline_ms, 0);
	gg_context_set_deadline(&ctx, 100000);
	TAP_CHECK_INT(gg_context_expired(&ctx), 0);
	gg_context_set_deadline(&ctx, 1);
	give_up = gg_clock_ms() + 5000;
	while (!gg_context_expired(&ctx) && gg_clock_ms() < give_up)
		;
	TAP_CHECK_INT(gg_context_expired(&ctx), 1);
	TAP_CHECK(gg_context_elapsed_ms(&ctx) >= 1);
	gg_context_release(&ctx);
}

static void test_context__names(void)
{
	TAP_CHECK_STR(gg_platform_name(GG_PLATFORM_GITLAB), "gitlab");
	TAP_CHECK_STR(gg_platform_name(GG_PLATFORM_GITEA), "gitea");
	TAP_CHECK_STR(gg_platform_name(GG_PLATFORM_GITOLITE), "gitolite");
	TAP_CHECK_STR(gg_platform_name(GG_PLATFORM_BITBUCKET), "bitbucket");
	TAP_CHECK_STR(gg_hook_name(GG_HOOK_PRE_RECEIVE), "pre-receive");
	TAP_CHECK_STR(gg_hook_name(GG_HOOK_UPDATE), "update");
	TAP_CHECK_STR(gg_hook_name(GG_HOOK_POST_RECEIVE), "post-receive");
	TAP_CHECK_STR(gg_hook_name(GG_HOOK_CHECK), "check");
}

/* A version 4 UUID in lower case: 8-4-4-4-12 hex digits. */
static int is_uuid4(const char *id)
{
	size_t i;

	if (strlen(id) != 36 || id[14] != '4' || !strchr("89ab", id[19]))
		return 0;
	for (i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? id[i] != '-' : !strchr("0123456789abcdef", id[i]))
			return 0;
	}
	return 1;
}

static void test_context__event_ids_are_random_uuids(void)
{
	char a[GG_ID_SIZE], b[GG_ID_SIZE];

	gg_context_new_id(a);
	gg_context_new_id(b);
	TAP_CHECK(is_uuid4(a));
	TAP_CHECK(is_uuid4(b));
	TAP_CHECK(strcmp(a, b) != 0);
}

int main(void)
{
	make_dirs();
	TAP_RUN(test_context__plain_git);
	TAP_RUN(test_context__repository_from_git_dir);
	TAP_RUN(test_context__missing_repository_is_not_found);
	TAP_RUN(test_context__github_enterprise);
	TAP_RUN(test_context__gitlab);
	TAP_RUN(test_context__gitea);
	TAP_RUN(test_context__gitolite_needs_both_variables);
	TAP_RUN(test_context__bitbucket);
	TAP_RUN(test_context__http_backend);
	TAP_RUN(test_context__empty_variables_count_as_unset);
	TAP_RUN(test_context__identity_from_the_policy_list);
	TAP_RUN(test_context__quarantine);
	TAP_RUN(test_context__push_options_absent_or_zero);
	TAP_RUN(test_context__push_options_are_read_in_order);
	TAP_RUN(test_context__push_option_count_must_be_a_number);
	TAP_RUN(test_context__push_option_limits);
	TAP_RUN(test_context__now_from_the_environment);
	TAP_RUN(test_context__time_parse);
	TAP_RUN(test_context__time_format);
	TAP_RUN(test_context__time_format_past_year_9999_is_terminated);
	TAP_RUN(test_context__deadline);
	TAP_RUN(test_context__names);
	remove_dirs();
	TAP_RUN(test_context__event_ids_are_random_uuids);
	return tap_done();
}
