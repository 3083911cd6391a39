/*
 * Unit tests for the app index without a repository: which URLs name
 * this repository, which refs an app tracks, how Applications, Flux
 * Kustomizations and the policy's apps become apps (from hand-built
 * definitions), their footprints, and environment recognition (envs.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appindex.h"
#include "appindex-internal.h"
#include "defs-internal.h"
#include "envs.h"
#include "error.h"
#include "policy.h"
#include "xalloc.h"
#include "tap.h"

#define BLOB "1111111111111111111111111111111111111111"
#define COMMIT "0123456789abcdef0123456789abcdef01234567"

/* --- policies ------------------------------------------------------------- */

/* The built-in defaults plus `yaml` (NULL: none) as the system layer. */
static void policy_init(struct gg_policy *p, const char *yaml)
{
	gg_policy_init(p);
	if (yaml && gg_policy_load(p, GG_LAYER_SYSTEM, "test-policy", yaml,
				   strlen(yaml)) < 0) {
		printf("#   policy does not load: %s\n", gg_error_last());
		tap_cur_failed = 1;
	}
}

/* --- repository URLs ------------------------------------------------------ */

static void test_appindex__url_name_rule(void)
{
	static const struct {
		const char *url;
		int match;
	} cases[] = {
		{ "https://git.example.com/org/deploy", 1 },
		{ "https://git.example.com/org/deploy.git", 1 },
		{ "https://git.example.com/org/deploy/", 1 },
		{ "https://git.example.com/org/deploy.git/", 1 },
		{ "https://git.example.com/deploy", 1 },
		{ "https://user:token@git.example.com/org/deploy.git", 1 },
		{ "ssh://git@git.example.com/org/deploy.git", 1 },
		{ "ssh://git@git.example.com:2222/org/deploy.git", 1 },
		{ "git@github.com:org/deploy.git", 1 },
		{ "git@github.com:org/deploy", 1 },
		{ "git@github.com:deploy.git", 1 },
		{ "https://GIT.example.com/Org/DEPLOY.GIT", 1 },
		{ "file:///srv/git/deploy.git", 1 },
		{ "/srv/git/deploy.git", 1 },
		{ "https://git.example.com/org/deploy-tools", 0 },
		{ "https://git.example.com/org/my-deploy.git", 0 },
		{ "https://git.example.com/deploy/other.git", 0 },
		{ "https://git.example.com/org/deploy.gitx", 0 },
		{ "https://git.example.com", 0 },
		{ "https://charts.example.com/", 0 },
		{ "git@github.com:", 0 },
		{ "", 0 },
	};
	struct gg_strvec none = GG_STRVEC_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int got = gg_repo_url_matches(cases[i].url, &none, "deploy");

		if (got != cases[i].match)
			printf("#   '%s'\n", cases[i].url);
		TAP_CHECK_INT(got, cases[i].match);
	}
	TAP_CHECK_INT(gg_repo_url_matches(NULL, &none, "deploy"), 0);
	TAP_CHECK_INT(gg_repo_url_matches("https://x/deploy", &none, NULL), 0);
}

static void test_appindex__url_policy_repo_urls(void)
{
	static const struct {
		const char *url;
		int match;
	} cases[] = {
		{ "https://github.com/org/deploy.git", 1 },
		{ "https://github.com/org/deploy", 1 },
		{ "https://github.com/org/deploy/", 1 },
		{ "https://GitHub.com/ORG/Deploy.git", 1 },
		{ "git@github.com:org/deploy.git", 1 },
		{ "ssh://git@github.com/org/deploy.git", 1 },
		{ "https://git.internal/platform/gitops", 1 },
		/* the name rule is off once repo_urls are configured */
		{ "https://github.com/other/deploy.git", 0 },
		{ "https://github.com/org/deploy-old.git", 0 },
		{ "https://github.com/org/gitops", 0 },
	};
	struct gg_policy p;
	size_t i;

	policy_init(&p, "version: 1\n"
			"repo_urls:\n"
			"- https://github.com/org/deploy.git\n"
			"- git@git.internal:platform/gitops.git\n");
	TAP_CHECK_INT(p.repo_urls.nr, 2);
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int got =
			gg_repo_url_matches(cases[i].url, &p.repo_urls,
					    gg_policy_repo_name(&p, "deploy"));

		if (got != cases[i].match)
			printf("#   '%s'\n", cases[i].url);
		TAP_CHECK_INT(got, cases[i].match);
	}
	gg_policy_release(&p);
}

/* The in-repo policy's repo_urls add to the name rule; the system's,
 * the repository config's, or allowed ones replace it. */
static void test_appindex__url_in_repo_repo_urls_add(void)
{
	static const char in_repo[] =
		"version: 1\n"
		"repo_urls: [\"https://git.example.com/org/elsewhere.git\"]\n";
	static const char *const layers_yaml[] = {
		NULL, "version: 1\nallow_loosen: [repo_urls]\n"
	};
	size_t k;

	for (k = 0; k < 2; k++) {
		struct gg_policy p;
		const char *name;

		policy_init(&p, layers_yaml[k]);
		TAP_CHECK_INT(gg_policy_load(&p, GG_LAYER_IN_REPO, "in-repo",
					     in_repo, strlen(in_repo)),
			      0);
		name = gg_policy_repo_name(&p, "deploy");
		TAP_CHECK_INT(gg_repo_url_matches(
				      "https://git.example.com/org/deploy.git",
				      &p.repo_urls, name),
			      k == 0);
		TAP_CHECK_INT(gg_repo_url_matches(
				      "https://git.example.com/org/elsewhere",
				      &p.repo_urls, name),
			      1);
		gg_policy_release(&p);
	}
}

static void test_appindex__url_policy_repo_urls_compare_hosts(void)
{
	static const struct {
		const char *url;
		int match;
	} cases[] = {
		{ "https://github.com/org/deploy", 1 },
		{ "https://github.com:443/org/deploy", 1 },
		{ "ssh://git@github.com:22/org/deploy.git", 1 },
		{ "git@github.com:org/deploy.git", 1 },
		{ "https://token@GITHUB.COM/org/deploy", 1 },
		/* the same path on another server is another repository */
		{ "https://gitlab.com/org/deploy.git", 0 },
		{ "https://gitlab.example.com/org/deploy.git", 0 },
		{ "https://github.com.evil.example/org/deploy.git", 0 },
		{ "ssh://git@gitlab.example.com/org/deploy.git", 0 },
		{ "git@gitlab.example.com:org/deploy.git", 0 },
		{ "git@git:org/deploy.git", 0 },
	};
	struct gg_policy p;
	size_t i;

	policy_init(&p, "version: 1\n"
			"repo_urls: [https://github.com/org/deploy.git]\n");
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int got =
			gg_repo_url_matches(cases[i].url, &p.repo_urls,
					    gg_policy_repo_name(&p, "deploy"));

		if (got != cases[i].match)
			printf("#   '%s'\n", cases[i].url);
		TAP_CHECK_INT(got, cases[i].match);
	}
	gg_policy_release(&p);
}

/* --- revisions ------------------------------------------------------------ */

/* An app tracking `rev` as written in a targetRevision. */
static void app_at(struct gg_app *app, struct gg_arena *a, const char *rev)
{
	memset(app, 0, sizeof(*app));
	gg_appindex__follow(app, a, rev, NULL);
}

static void test_appindex__head_and_empty_track_the_default_branch(void)
{
	static const char *const revs[] = { NULL, "", "HEAD" };
	struct gg_arena a = GG_ARENA_INIT;
	struct gg_app app;
	size_t i;

	for (i = 0; i < 3; i++) {
		app_at(&app, &a, revs[i]);
		TAP_CHECK(!app.revision);
		TAP_CHECK_INT(app.follows, GG_FOLLOW_HEAD);
		TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/main", "main"),
			      1);
		TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/dev", "main"), 0);
		TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/main", "main"), 0);
		/* no default branch known: HEAD tracks nothing */
		TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/main", NULL), 0);
	}
	gg_arena_release(&a);
}

static void test_appindex__branch_revisions(void)
{
	struct gg_arena a = GG_ARENA_INIT;
	struct gg_app app;

	app_at(&app, &a, "staging");
	TAP_CHECK_STR(app.revision, "staging");
	TAP_CHECK_INT(app.follows, GG_FOLLOW_NAME);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/staging", "main"), 1);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/main", "main"), 0);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/staging2", "main"), 0);

	app_at(&app, &a, "refs/heads/release/1.0");
	TAP_CHECK_STR(app.revision, "release/1.0");
	TAP_CHECK_INT(app.follows, GG_FOLLOW_NAME);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/release/1.0", "main"), 1);

	/* a branch named like the default is the default */
	app_at(&app, &a, "main");
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/main", "main"), 1);
	gg_arena_release(&a);
}

static void test_appindex__tag_revisions_follow_the_tag(void)
{
	struct gg_arena a = GG_ARENA_INIT;
	struct gg_app app;

	app_at(&app, &a, "v1.2.3");
	TAP_CHECK_INT(app.follows, GG_FOLLOW_NAME);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/v1.2.3", "main"), 1);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/v1.2.4", "main"), 0);

	app_at(&app, &a, "refs/tags/v2");
	TAP_CHECK_STR(app.revision, "refs/tags/v2");
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/v2", "main"), 1);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/v2", "main"), 0);
	gg_arena_release(&a);
}

static void test_appindex__commit_ids_are_pinned(void)
{
	static const char *const revs[] = {
		COMMIT, "0123456789ABCDEF0123456789ABCDEF01234567",
		COMMIT "0123456789abcdef01234567"
	};
	struct gg_arena a = GG_ARENA_INIT;
	struct gg_app app;
	size_t i;

	for (i = 0; i < 3; i++) {
		app_at(&app, &a, revs[i]);
		TAP_CHECK_INT(app.follows, GG_FOLLOW_COMMIT);
		TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/main", "main"),
			      0);
	}
	gg_arena_release(&a);
}

/* --- building indexes from definitions ------------------------------------ */

/* Definitions built by hand; capacities are generous and fixed. */
#define CAP 16

static void test_appindex__semver_ranges_follow_the_tags_in_range(void)
{
	static const struct {
		const char *rev, *in, *out;
	} cases[] = {
		{ "*", "v3.0.0", "v1.0.0-rc.1" },
		{ "1.2.*", "1.2.9", "1.3.0" },
		{ "^1.2", "v1.5.0", "v2.0.0" },
		{ "~1.2.0", "1.2.5", "1.3.0" },
		{ ">=1.0.0", "v2.0.0", "v0.9.0" },
		{ "<2.0.0", "1.0.0", "2.0.0" },
		{ ">=1.0.0 <2.0.0", "1.9.9", "2.0.0" },
		{ "x", "0.1.0", "prod" },
		{ "1.x", "1.1.0", "2.0.0" },
		{ "1.2.x", "1.2.0", "1.1.0" },
		{ "1.X", "1.0.0", "0.1.0" },
		{ "v1.x", "v1.4.0", "v0.4.0" },
		{ "1.0.0 - 2.0.0", "2.0.0", "2.0.1" },
		{ "^1.0 || ^2.0", "2.5.0", "3.0.0" },
	};
	struct gg_arena a = GG_ARENA_INIT;
	struct gg_app app;
	char ref[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		app_at(&app, &a, cases[i].rev);
		if (app.follows != GG_FOLLOW_RANGE)
			printf("#   '%s' is not a range\n", cases[i].rev);
		TAP_CHECK_INT(app.follows, GG_FOLLOW_RANGE);
		TAP_CHECK_STR(app.revision, cases[i].rev);
		TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/main", "main"),
			      0);
		snprintf(ref, sizeof(ref), "refs/tags/%s", cases[i].in);
		TAP_CHECK_INT(gg_app_tracks(&app, ref, "main"), 1);
		snprintf(ref, sizeof(ref), "refs/heads/%s", cases[i].in);
		TAP_CHECK_INT(gg_app_tracks(&app, ref, "main"), 0);
		snprintf(ref, sizeof(ref), "refs/tags/%s", cases[i].out);
		TAP_CHECK_INT(gg_app_tracks(&app, ref, "main"), 0);
	}
	gg_arena_release(&a);
}

static void test_appindex__a_tag_prefix_scopes_the_tags(void)
{
	struct gg_arena a = GG_ARENA_INIT;
	struct gg_app app;

	memset(&app, 0, sizeof(app));
	gg_appindex__follow(&app, &a, ">=1.0.0", "web/");
	TAP_CHECK_INT(app.follows, GG_FOLLOW_RANGE);
	TAP_CHECK_STR(app.tag_prefix, "web/");
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/web/v1.2.0", "main"), 1);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/web/1.2.0", "main"), 1);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/v1.2.0", "main"), 0);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/api/v1.2.0", "main"), 0);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/web/v0.9.0", "main"), 0);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/>=1.0.0", "main"), 1);

	/* a name: the ref of that name, or the tag with the prefix */
	gg_appindex__follow(&app, &a, "stable", "web/");
	TAP_CHECK_INT(app.follows, GG_FOLLOW_NAME);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/web/stable", "main"), 1);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/stable", "main"), 1);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/stable", "main"), 1);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/web/stable", "main"), 0);

	/* an empty prefix is none */
	gg_appindex__follow(&app, &a, "^1", "");
	TAP_CHECK(!app.tag_prefix);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/1.4.0", "main"), 1);
	gg_arena_release(&a);
}

static void test_appindex__flux_refs_follow_what_wins(void)
{
	struct gg_def_gitrepo r;
	struct gg_app app;

	memset(&r, 0, sizeof(r));
	gg_gitrepo_follow(&app, NULL);
	TAP_CHECK_INT(app.follows, GG_FOLLOW_HEAD);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/main", "main"), 1);

	r.branch = "release";
	gg_gitrepo_follow(&app, &r);
	TAP_CHECK_INT(app.follows, GG_FOLLOW_BRANCH);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/release", "main"), 1);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/release", "main"), 0);

	r.branch = NULL;
	r.tag = "prod";
	gg_gitrepo_follow(&app, &r);
	TAP_CHECK_INT(app.follows, GG_FOLLOW_TAG);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/prod", "main"), 1);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/prod", "main"), 0);

	r.tag = NULL;
	r.semver = ">=1.0.0";
	gg_gitrepo_follow(&app, &r);
	TAP_CHECK_INT(app.follows, GG_FOLLOW_RANGE);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/v2.0.0", "main"), 1);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/2.0.0-rc.1", "main"), 0);
	/* Flux, unlike Argo CD, never falls back to a ref of that name */
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/>=1.0.0", "main"), 0);

	r.semver = NULL;
	r.refname = "refs/tags/prod";
	gg_gitrepo_follow(&app, &r);
	TAP_CHECK_INT(app.follows, GG_FOLLOW_REF);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/tags/prod", "main"), 1);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/prod", "main"), 0);

	r.refname = NULL; /* a commit */
	gg_gitrepo_follow(&app, &r);
	TAP_CHECK_INT(app.follows, GG_FOLLOW_COMMIT);
	TAP_CHECK_INT(gg_app_tracks(&app, "refs/heads/main", "main"), 0);
}

static void test_appindex__revision_text_says_what_is_followed(void)
{
	static const struct {
		enum gg_follow f;
		const char *rev, *prefix, *text;
	} cases[] = {
		{ GG_FOLLOW_HEAD, NULL, NULL, "HEAD" },
		{ GG_FOLLOW_NAME, "stable", NULL, "stable" },
		{ GG_FOLLOW_NAME, "stable", "web/", "stable tagPrefix:web/" },
		{ GG_FOLLOW_BRANCH, "main", NULL, "main" },
		{ GG_FOLLOW_TAG, "prod", NULL, "refs/tags/prod" },
		{ GG_FOLLOW_REF, "refs/tags/prod", NULL, "refs/tags/prod" },
		{ GG_FOLLOW_RANGE, ">=1.0.0", NULL, "semver:>=1.0.0" },
		{ GG_FOLLOW_RANGE, "^1", "web/", "semver:^1 tagPrefix:web/" },
		{ GG_FOLLOW_COMMIT, COMMIT, NULL, COMMIT "(pinned)" },
		{ GG_FOLLOW_COMMIT, NULL, NULL, "commit(pinned)" },
	};
	struct gg_buf b = GG_BUF_INIT;
	struct gg_app app;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		memset(&app, 0, sizeof(app));
		app.follows = cases[i].f;
		app.revision = cases[i].rev;
		app.tag_prefix = cases[i].prefix;
		gg_buf_reset(&b);
		gg_app_revision_text(&b, &app);
		TAP_CHECK_STR(b.buf, cases[i].text);
	}
	TAP_CHECK_STR(gg_follow_name(GG_FOLLOW_RANGE), "semver");
	gg_buf_release(&b);
}

static void test_appindex__branches_with_an_x_are_branches(void)
{
	static const char *const revs[] = {
		"xmas",	       "x-feature",  "fix-1",	"feature/x-ray",
		"release/1.x", "experiment", "1.2.3",	"v1.0.0",
		"ax",	       "x1",	     "release", "main",
	};
	struct gg_arena a = GG_ARENA_INIT;
	struct gg_app app;
	size_t i;

	for (i = 0; i < sizeof(revs) / sizeof(*revs); i++) {
		char ref[64];

		app_at(&app, &a, revs[i]);
		snprintf(ref, sizeof(ref), "refs/heads/%s", revs[i]);
		/* "x-feature" parses as a range (any version, pre-release
		 * "feature"); Argo CD falls back to the branch */
		if (strcmp(revs[i], "x-feature"))
			TAP_CHECK_INT(app.follows, GG_FOLLOW_NAME);
		TAP_CHECK_INT(gg_app_tracks(&app, ref, "main"), 1);
	}
	gg_arena_release(&a);
}

static const char *str(struct gg_defs *d, const char *s)
{
	return s ? gg_arena_strdup(&d->arena, s) : NULL;
}

static struct gg_def_file *add_file(struct gg_defs *d, const char *path,
				    unsigned kinds)
{
	struct gg_def_file *f;

	GG_ALLOC_GROW(d->files, d->nfiles + 1, d->files_alloc);
	f = &d->files[d->nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = str(d, path);
	if (gg_oid_from_hex(&f->blob, BLOB) < 0)
		GG_BUG("bad oid");
	f->kinds = kinds;
	f->apps = gg_arena_alloc(&d->arena, CAP * sizeof(*f->apps));
	f->kss = gg_arena_alloc(&d->arena, CAP * sizeof(*f->kss));
	f->repos = gg_arena_alloc(&d->arena, CAP * sizeof(*f->repos));
	return f;
}

static struct gg_def_app *add_app(struct gg_defs *d, struct gg_def_file *f,
				  const char *name)
{
	struct gg_def_app *a = &f->apps[f->napps++];

	if (f->napps > CAP)
		GG_BUG("too many apps");
	a->name = str(d, name);
	a->line = (unsigned)f->napps * 10;
	a->enabled = a->prune = a->self_heal = a->allow_empty = GG_UNSET;
	a->sources = gg_arena_alloc(&d->arena, CAP * sizeof(*a->sources));
	return a;
}

static struct gg_def_source *add_source(struct gg_defs *d, struct gg_def_app *a,
					const char *url, const char *path,
					const char *rev)
{
	struct gg_def_source *s = &a->sources[a->nsources++];

	s->repo_url = str(d, url);
	s->path = str(d, path);
	s->revision = str(d, rev);
	s->recurse = GG_UNSET;
	return s;
}

static struct gg_def_ks *add_ks(struct gg_defs *d, struct gg_def_file *f,
				const char *name, const char *path,
				const char *source)
{
	struct gg_def_ks *k = &f->kss[f->nkss++];

	k->name = str(d, name);
	k->namespace_ = str(d, "flux-system");
	k->line = (unsigned)f->nkss * 10;
	k->path = str(d, path);
	k->prune = GG_TRUE;
	k->suspend = GG_UNSET;
	k->source_kind = str(d, "GitRepository");
	k->source_name = str(d, source);
	return k;
}

static struct gg_def_gitrepo *add_repo(struct gg_defs *d, struct gg_def_file *f,
				       const char *name, const char *url,
				       const char *branch)
{
	struct gg_def_gitrepo *r = &f->repos[f->nrepos++];

	r->name = str(d, name);
	r->namespace_ = str(d, "flux-system");
	r->url = str(d, url);
	r->branch = str(d, branch);
	return r;
}

/* A kustomization at `dir` reaching `refs` (repository paths). */
static void add_kfile(struct gg_defs *d, const char *dir,
		      const char *const *refs)
{
	struct gg_kfile *k;

	GG_ALLOC_GROW(d->kfiles, d->nkfiles + 1, d->kfiles_alloc);
	k = &d->kfiles[d->nkfiles++];
	memset(k, 0, sizeof(*k));
	k->dir = str(d, dir);
	k->path = gg_appindex__strf(&d->arena, "%s%skustomization.yaml", dir,
				    *dir ? "/" : "");
	k->resources = gg_arena_alloc(&d->arena, CAP * sizeof(char *));
	while (refs && *refs)
		k->resources[k->nresources++] = str(d, *refs++);
}

static void add_chart(struct gg_defs *d, const char *dir)
{
	GG_ALLOC_GROW(d->charts, d->ncharts + 1, d->charts_alloc);
	d->charts[d->ncharts++] = gg_appindex__strf(&d->arena, "%s%sChart.yaml",
						    dir, *dir ? "/" : "");
}

struct fixture {
	struct gg_defs *defs;
	struct gg_policy policy;
	struct gg_appindex *idx;
};

static void fixture_init(struct fixture *fx, const char *policy_yaml)
{
	fx->defs = gg_defs_empty();
	policy_init(&fx->policy, policy_yaml);
	fx->idx = NULL;
}

/* Index the fixture's definitions as the tree of branch main. */
static const struct gg_appindex *build(struct fixture *fx)
{
	struct gg_index_input in;

	gg_defs__sort(fx->defs);
	memset(&in, 0, sizeof(in));
	in.layers[0].defs = fx->defs;
	in.nlayers = 1;
	in.content = fx->defs;
	in.policy = &fx->policy;
	in.repo_name = "deploy";
	in.default_branch = "main";
	gg_appindex_free(fx->idx);
	fx->idx = NULL;
	if (gg_appindex_build(&fx->idx, &in) < 0 || !fx->idx)
		GG_BUG("index build failed: %s", gg_error_last());
	return fx->idx;
}

static void fixture_release(struct fixture *fx)
{
	gg_appindex_free(fx->idx);
	gg_defs_free(fx->defs);
	gg_policy_release(&fx->policy);
}

/* The app named `name`, or a blank one (so that checks fail). */
static const struct gg_app *app_named(const struct gg_appindex *idx,
				      enum gg_controller c, const char *name)
{
	static const struct gg_app none = { .name = "(missing)", .tier = -1 };
	const struct gg_app *app = gg_appindex_find(idx, c, name);

	if (!app) {
		printf("#   no app '%s'\n", name);
		tap_cur_failed = 1;
	}
	return app ? app : &none;
}

/* The names of the apps owning `path`, sorted and joined with ",". */
static char *owners(const struct gg_appindex *idx, const char *path)
{
	size_t *v = NULL, n = 0, alloc = 0, i, j;
	struct gg_buf b = GG_BUF_INIT;
	const char **names;

	gg_appindex_owners(idx, path, &v, &n, &alloc);
	names = gg_xcalloc(n + 1, sizeof(*names));
	for (i = 0; i < n; i++) {
		const char *s = idx->apps[v[i]].name;

		for (j = i; j > 0 && strcmp(names[j - 1], s) > 0; j--)
			names[j] = names[j - 1];
		names[j] = s;
	}
	for (i = 0; i < n; i++)
		gg_buf_addf(&b, "%s%s", i ? "," : "", names[i]);
	free(names);
	free(v);
	return gg_buf_detach(&b, NULL);
}

#define CHECK_OWNERS(idx, path, want)                                          \
	do {                                                                   \
		char *got_ = owners((idx), (path));                            \
		TAP_CHECK_STR(got_, (want));                                   \
		free(got_);                                                    \
	} while (0)

static void test_appindex__applications_of_this_repository(void)
{
	struct fixture fx;
	struct gg_def_file *f;
	struct gg_def_app *a;
	const struct gg_app *app;

	fixture_init(&fx, NULL);
	f = add_file(fx.defs, "apps/root/apps.yaml", GG_DEF_APPLICATION);
	a = add_app(fx.defs, f, "web");
	add_source(fx.defs, a, "https://git.example.com/org/deploy.git",
		   "./apps/web/", NULL);
	a->project = str(fx.defs, "");
	a->automated = 1;
	a->prune = GG_TRUE;
	a->cascade = 1;
	a->dest_server = str(fx.defs, "https://kubernetes.default.svc");
	a->dest_namespace = str(fx.defs, "web");
	a = add_app(fx.defs, f, "elsewhere");
	add_source(fx.defs, a, "https://git.example.com/org/other.git",
		   "apps/x", NULL);
	a = add_app(fx.defs, f, "chart");
	add_source(fx.defs, a, "https://charts.example.com", NULL, "1.0.0")
		->chart = str(fx.defs, "nginx");
	build(&fx);

	TAP_CHECK_INT(fx.idx->napps, 1);
	app = app_named(fx.idx, GG_CTRL_ARGOCD, "web");
	TAP_CHECK_INT(app->controller, GG_CTRL_ARGOCD);
	TAP_CHECK_INT(app->origin, GG_ORIGIN_APPLICATION);
	TAP_CHECK_STR(app->root, "apps/web");
	TAP_CHECK_INT(app->tool, GG_TOOL_DIRECTORY);
	TAP_CHECK(!app->revision);
	TAP_CHECK_INT(app->follows, GG_FOLLOW_HEAD);
	TAP_CHECK_INT(app->recurse, 0);
	TAP_CHECK_INT(app->auto_sync, 1);
	TAP_CHECK_INT(app->prune, 1);
	TAP_CHECK_INT(app->self_heal, 0);
	TAP_CHECK_INT(app->allow_empty, 0);
	TAP_CHECK_STR(app->project, "default");
	TAP_CHECK_STR(app->dest_server, "https://kubernetes.default.svc");
	TAP_CHECK_STR(app->dest_namespace, "web");
	TAP_CHECK_INT(app->cascade, 1);
	TAP_CHECK_STR(app->defined_in, "apps/root/apps.yaml");
	TAP_CHECK_INT(app->line, 10);
	TAP_CHECK(!app->generator);
	TAP_CHECK(!gg_appindex_find(fx.idx, GG_CTRL_ARGOCD, "elsewhere"));
	TAP_CHECK(!gg_appindex_find(fx.idx, GG_CTRL_FLUX, "web"));
	TAP_CHECK_STR(gg_controller_name(GG_CTRL_ARGOCD), "Argo CD");
	TAP_CHECK_STR(gg_controller_name(GG_CTRL_FLUX), "Flux");
	fixture_release(&fx);
}

static void test_appindex__sync_policy_in_effect(void)
{
	struct fixture fx;
	struct gg_def_file *f;
	struct gg_def_app *a;

	fixture_init(&fx, NULL);
	f = add_file(fx.defs, "apps.yaml", GG_DEF_APPLICATION);
	a = add_app(fx.defs, f, "disabled");
	add_source(fx.defs, a, "https://x/deploy", "a", NULL);
	a->automated = 1;
	a->enabled = GG_FALSE;
	a->prune = a->self_heal = a->allow_empty = GG_TRUE;
	a = add_app(fx.defs, f, "manual");
	add_source(fx.defs, a, "https://x/deploy", "b", NULL);
	a->prune = GG_TRUE; /* without automated: nothing in effect */
	a = add_app(fx.defs, f, "heal");
	add_source(fx.defs, a, "https://x/deploy", "c", NULL);
	a->automated = 1;
	a->enabled = GG_TRUE;
	a->self_heal = GG_TRUE;
	a->project = str(fx.defs, "team-a");
	build(&fx);

	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_ARGOCD, "disabled")->auto_sync,
		      0);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_ARGOCD, "disabled")->prune, 0);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_ARGOCD, "disabled")->self_heal,
		      0);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_ARGOCD, "manual")->auto_sync,
		      0);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_ARGOCD, "manual")->prune, 0);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_ARGOCD, "heal")->auto_sync, 1);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_ARGOCD, "heal")->prune, 0);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_ARGOCD, "heal")->self_heal, 1);
	TAP_CHECK_STR(app_named(fx.idx, GG_CTRL_ARGOCD, "heal")->project,
		      "team-a");
	fixture_release(&fx);
}

static void test_appindex__each_source_of_ours_is_an_app(void)
{
	struct fixture fx;
	struct gg_def_file *f;
	struct gg_def_app *a;

	fixture_init(&fx, NULL);
	f = add_file(fx.defs, "apps.yaml", GG_DEF_APPLICATION);
	a = add_app(fx.defs, f, "multi");
	add_source(fx.defs, a, "https://charts.example.com", NULL, "1.0")
		->chart = str(fx.defs, "redis");
	add_source(fx.defs, a, "https://x/org/deploy.git", NULL, "main");
	add_source(fx.defs, a, "https://x/org/deploy.git", "apps/a", "dev");
	add_source(fx.defs, a, "https://x/org/deploy.git", "apps/b", NULL);
	add_source(fx.defs, a, "https://x/org/other.git", "apps/c", NULL);
	build(&fx);

	TAP_CHECK_INT(fx.idx->napps, 2);
	TAP_CHECK_STR(app_named(fx.idx, GG_CTRL_ARGOCD, "multi")->root,
		      "apps/a");
	TAP_CHECK_STR(app_named(fx.idx, GG_CTRL_ARGOCD, "multi")->revision,
		      "dev");
	TAP_CHECK_STR(app_named(fx.idx, GG_CTRL_ARGOCD, "multi#2")->root,
		      "apps/b");
	fixture_release(&fx);
}

static void test_appindex__directory_options_are_copied(void)
{
	struct fixture fx;
	struct gg_def_file *f;
	struct gg_def_source *s;
	const struct gg_app *app;

	fixture_init(&fx, NULL);
	f = add_file(fx.defs, "apps.yaml", GG_DEF_APPLICATION);
	s = add_source(fx.defs, add_app(fx.defs, f, "dir"), "https://x/deploy",
		       "manifests", COMMIT);
	s->recurse = GG_TRUE;
	s->include = str(fx.defs, "*.yaml");
	s->exclude = str(fx.defs, "{a,b}.yaml");
	build(&fx);
	app = app_named(fx.idx, GG_CTRL_ARGOCD, "dir");
	TAP_CHECK_INT(app->recurse, 1);
	TAP_CHECK_STR(app->include, "*.yaml");
	TAP_CHECK_STR(app->exclude, "{a,b}.yaml");
	TAP_CHECK_INT(app->follows, GG_FOLLOW_COMMIT);
	TAP_CHECK_INT(gg_app_tracks(app, "refs/heads/main", "main"), 0);
	fixture_release(&fx);
}

static void test_appindex__flux_bootstrap_convention(void)
{
	struct fixture fx;
	struct gg_def_file *f;
	const struct gg_app *app;

	fixture_init(&fx, NULL);
	/* flux bootstrap's flux-system is not in the tree: this repository,
	 * its default branch */
	f = add_file(fx.defs, "clusters/prod/apps.yaml", GG_DEF_FLUX_KS);
	add_ks(fx.defs, f, "apps", "./apps/prod", "flux-system");
	build(&fx);
	app = app_named(fx.idx, GG_CTRL_FLUX, "apps");
	TAP_CHECK_INT(app->controller, GG_CTRL_FLUX);
	TAP_CHECK_INT(app->origin, GG_ORIGIN_FLUX);
	TAP_CHECK_STR(app->root, "apps/prod");
	TAP_CHECK(!app->revision);
	TAP_CHECK_INT(app->follows, GG_FOLLOW_HEAD);
	TAP_CHECK_INT(app->recurse, 1);
	TAP_CHECK_INT(app->auto_sync, 1);
	TAP_CHECK_INT(app->self_heal, 1);
	TAP_CHECK_INT(app->prune, 1);
	TAP_CHECK_INT(app->cascade, 1);
	TAP_CHECK_INT(gg_app_tracks(app, "refs/heads/main", "main"), 1);
	TAP_CHECK_INT(gg_app_tracks(app, "refs/heads/dev", "main"), 0);
	TAP_CHECK_STR(app->defined_in, "clusters/prod/apps.yaml");
	fixture_release(&fx);
}

static void test_appindex__flux_system_with_a_placeholder_url_is_ours(void)
{
	struct fixture fx;
	struct gg_def_file *f;

	fixture_init(&fx, NULL);
	f = add_file(fx.defs, "clusters/prod/flux-system/gotk-sync.yaml",
		     GG_DEF_FLUX_KS | GG_DEF_GITREPO);
	add_repo(fx.defs, f, "flux-system", "ssh://git@example.com/REPLACE",
		 "main");
	add_ks(fx.defs, f, "flux-system", "./clusters/prod", "flux-system");
	build(&fx);
	TAP_CHECK_STR(app_named(fx.idx, GG_CTRL_FLUX, "flux-system")->root,
		      "clusters/prod");
	TAP_CHECK_STR(app_named(fx.idx, GG_CTRL_FLUX, "flux-system")->revision,
		      "main");
	fixture_release(&fx);
}

static void test_appindex__flux_git_repositories_here_and_elsewhere(void)
{
	struct fixture fx;
	struct gg_def_file *f;
	struct gg_def_ks *k;

	fixture_init(&fx, NULL);
	f = add_file(fx.defs, "clusters/staging/sources.yaml",
		     GG_DEF_FLUX_KS | GG_DEF_GITREPO);
	add_repo(fx.defs, f, "here", "https://git.example.com/org/deploy",
		 "staging");
	add_repo(fx.defs, f, "other", "https://git.example.com/org/team-apps",
		 "main");
	add_repo(fx.defs, f, "pinned", "ssh://git@git.example.com/org/deploy",
		 NULL); /* a commit */
	add_repo(fx.defs, f, "tagged", "ssh://git@git.example.com/org/deploy",
		 NULL)
		->tag = str(fx.defs, "prod");
	add_repo(fx.defs, f, "ranged", "ssh://git@git.example.com/org/deploy",
		 NULL)
		->semver = str(fx.defs, "~1.2");
	add_ks(fx.defs, f, "staging-apps", "apps/staging", "here");
	add_ks(fx.defs, f, "team", "./", "other");
	add_ks(fx.defs, f, "frozen", "apps/frozen", "pinned");
	add_ks(fx.defs, f, "tag-apps", "apps/prod", "tagged");
	add_ks(fx.defs, f, "range-apps", "apps/prod", "ranged");
	k = add_ks(fx.defs, f, "oci", "./", "podinfo");
	k->source_kind = str(fx.defs, "OCIRepository");
	build(&fx);

	TAP_CHECK_INT(fx.idx->napps, 4);
	TAP_CHECK_STR(app_named(fx.idx, GG_CTRL_FLUX, "staging-apps")->revision,
		      "staging");
	TAP_CHECK_INT(
		gg_app_tracks(app_named(fx.idx, GG_CTRL_FLUX, "staging-apps"),
			      "refs/heads/staging", "main"),
		1);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_FLUX, "frozen")->follows,
		      GG_FOLLOW_COMMIT);
	TAP_CHECK_INT(gg_app_tracks(app_named(fx.idx, GG_CTRL_FLUX, "tag-apps"),
				    "refs/tags/prod", "main"),
		      1);
	TAP_CHECK_STR(app_named(fx.idx, GG_CTRL_FLUX, "range-apps")->revision,
		      "~1.2");
	TAP_CHECK_INT(
		gg_app_tracks(app_named(fx.idx, GG_CTRL_FLUX, "range-apps"),
			      "refs/tags/v1.2.7", "main"),
		1);
	TAP_CHECK(!gg_appindex_find(fx.idx, GG_CTRL_FLUX, "team"));
	TAP_CHECK(!gg_appindex_find(fx.idx, GG_CTRL_FLUX, "oci"));
	fixture_release(&fx);
}

static void test_appindex__flux_cascade_and_suspend(void)
{
	struct fixture fx;
	struct gg_def_file *f;
	struct gg_def_ks *k;

	fixture_init(&fx, NULL);
	f = add_file(fx.defs, "clusters/x/ks.yaml", GG_DEF_FLUX_KS);
	add_ks(fx.defs, f, "mirror", "a", "flux-system");
	k = add_ks(fx.defs, f, "noprune", "b", "flux-system");
	k->prune = GG_FALSE;
	k = add_ks(fx.defs, f, "missing", "c", "flux-system");
	k->prune = GG_UNSET;
	k = add_ks(fx.defs, f, "orphan", "d", "flux-system");
	k->deletion_policy = str(fx.defs, "Orphan");
	k = add_ks(fx.defs, f, "delete", "e", "flux-system");
	k->prune = GG_FALSE;
	k->deletion_policy = str(fx.defs, "Delete");
	k = add_ks(fx.defs, f, "mirror-false", "f", "flux-system");
	k->prune = GG_FALSE;
	k->deletion_policy = str(fx.defs, "MirrorPrune");
	k = add_ks(fx.defs, f, "suspended", "g", "flux-system");
	k->suspend = GG_TRUE;
	k->target_namespace = str(fx.defs, "web");
	k->service_account = str(fx.defs, "deployer");
	build(&fx);

	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_FLUX, "mirror")->cascade, 1);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_FLUX, "noprune")->cascade, 0);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_FLUX, "noprune")->prune, 0);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_FLUX, "missing")->cascade, 0);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_FLUX, "orphan")->cascade, 0);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_FLUX, "orphan")->prune, 1);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_FLUX, "delete")->cascade, 1);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_FLUX, "mirror-false")->cascade,
		      0);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_FLUX, "suspended")->suspended,
		      1);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_FLUX, "suspended")->auto_sync,
		      0);
	TAP_CHECK_STR(
		app_named(fx.idx, GG_CTRL_FLUX, "suspended")->target_namespace,
		"web");
	TAP_CHECK_STR(
		app_named(fx.idx, GG_CTRL_FLUX, "suspended")->service_account,
		"deployer");
	fixture_release(&fx);
}

static void test_appindex__policy_repo_urls_decide_which_apps_are_ours(void)
{
	struct fixture fx;
	struct gg_def_file *f;

	/* the server calls it deploy.git; Argo CD fetches it as gitops */
	fixture_init(&fx, "version: 1\n"
			  "repo_urls: [https://git.example.com/org/gitops]\n");
	f = add_file(fx.defs, "apps.yaml",
		     GG_DEF_APPLICATION | GG_DEF_FLUX_KS | GG_DEF_GITREPO);
	add_source(fx.defs, add_app(fx.defs, f, "ours"),
		   "git@git.example.com:org/gitops.git", "a", NULL);
	add_source(fx.defs, add_app(fx.defs, f, "by-name"),
		   "https://git.example.com/org/deploy.git", "b", NULL);
	add_repo(fx.defs, f, "gitops", "https://git.example.com/org/gitops",
		 "main");
	add_ks(fx.defs, f, "flux", "c", "gitops");
	build(&fx);
	TAP_CHECK_INT(fx.idx->napps, 2);
	TAP_CHECK(gg_appindex_find(fx.idx, GG_CTRL_ARGOCD, "ours"));
	TAP_CHECK(gg_appindex_find(fx.idx, GG_CTRL_FLUX, "flux"));
	TAP_CHECK(!gg_appindex_find(fx.idx, GG_CTRL_ARGOCD, "by-name"));
	fixture_release(&fx);
}

static void test_appindex__policy_apps(void)
{
	struct fixture fx;
	struct gg_def_file *f;
	const struct gg_app *app;

	fixture_init(&fx, "version: 1\n"
			  "apps:\n"
			  "- name: web\n"
			  "  path: ./services/web/\n"
			  "  branch: release\n"
			  "  project: team-a\n"
			  "  namespace: web\n"
			  "  auto_sync: true\n"
			  "  prune: true\n"
			  "- name: infra\n"
			  "  path: infra\n"
			  "  controller: flux\n"
			  "- name: dup\n"
			  "  path: somewhere/else\n");
	f = add_file(fx.defs, "apps.yaml", GG_DEF_APPLICATION);
	add_source(fx.defs, add_app(fx.defs, f, "dup"), "https://x/deploy",
		   "apps/dup", NULL);
	build(&fx);

	TAP_CHECK_INT(fx.idx->napps, 3);
	app = app_named(fx.idx, GG_CTRL_ARGOCD, "web");
	TAP_CHECK_INT(app->origin, GG_ORIGIN_POLICY);
	TAP_CHECK_STR(app->root, "services/web");
	TAP_CHECK_STR(app->revision, "release");
	TAP_CHECK_INT(app->auto_sync, 1);
	TAP_CHECK_INT(app->prune, 1);
	TAP_CHECK_INT(app->recurse, 0);
	TAP_CHECK_STR(app->project, "team-a");
	TAP_CHECK_STR(app->dest_namespace, "web");
	TAP_CHECK_INT(app->cascade, 0);
	TAP_CHECK_STR(app->defined_in, "policy");
	TAP_CHECK_INT(gg_app_tracks(app, "refs/heads/release", "main"), 1);
	app = app_named(fx.idx, GG_CTRL_FLUX, "infra");
	TAP_CHECK_INT(app->recurse, 1);
	TAP_CHECK_INT(app->auto_sync, 1);
	TAP_CHECK(!app->revision);
	TAP_CHECK(!app->project); /* Flux has no projects */
	/* an app the tree defines wins over the policy's of that name */
	app = app_named(fx.idx, GG_CTRL_ARGOCD, "dup");
	TAP_CHECK_INT(app->origin, GG_ORIGIN_APPLICATION);
	TAP_CHECK_STR(app->root, "apps/dup");
	fixture_release(&fx);
}

static void test_appindex__paths_outside_the_repository(void)
{
	struct fixture fx;
	struct gg_def_file *f;
	size_t i;
	int noted = 0;

	fixture_init(&fx, NULL);
	/* Argo CD refuses absolute paths and paths above the root
	 * (util/app/path: "app path is absolute", "app path outside root") */
	f = add_file(fx.defs, "apps.yaml", GG_DEF_APPLICATION | GG_DEF_FLUX_KS);
	add_source(fx.defs, add_app(fx.defs, f, "absolute"), "https://x/deploy",
		   "/apps/web", NULL);
	add_source(fx.defs, add_app(fx.defs, f, "above"), "https://x/deploy",
		   "apps/../../web", NULL);
	add_source(fx.defs, add_app(fx.defs, f, "inside"), "https://x/deploy",
		   "apps/x/../web", NULL);
	/* Flux joins the path securely: it never leaves the artifact */
	add_ks(fx.defs, f, "flux-absolute", "/apps/prod", "flux-system");
	add_ks(fx.defs, f, "flux-above", "../../apps/staging", "flux-system");
	build(&fx);
	TAP_CHECK(!gg_appindex_find(fx.idx, GG_CTRL_ARGOCD, "absolute"));
	TAP_CHECK(!gg_appindex_find(fx.idx, GG_CTRL_ARGOCD, "above"));
	TAP_CHECK_STR(app_named(fx.idx, GG_CTRL_ARGOCD, "inside")->root,
		      "apps/web");
	TAP_CHECK_STR(app_named(fx.idx, GG_CTRL_FLUX, "flux-absolute")->root,
		      "apps/prod");
	TAP_CHECK_STR(app_named(fx.idx, GG_CTRL_FLUX, "flux-above")->root,
		      "apps/staging");
	for (i = 0; i < fx.idx->notes.nr; i++)
		noted += !!strstr(fx.idx->notes.v[i], "outside the repository");
	TAP_CHECK_INT(noted, 2);
	/* none of them claims the repository root */
	CHECK_OWNERS(fx.idx, "top.yaml", "");
	fixture_release(&fx);
}

static void test_appindex__tools_by_root(void)
{
	static const char *const base_refs[] = { "apps/web/base/deploy.yaml",
						 NULL };
	struct fixture fx;
	struct gg_def_file *f;

	fixture_init(&fx, NULL);
	f = add_file(fx.defs, "apps.yaml", GG_DEF_APPLICATION);
	add_source(fx.defs, add_app(fx.defs, f, "k"), "https://x/deploy",
		   "apps/web/base", NULL);
	add_source(fx.defs, add_app(fx.defs, f, "h"), "https://x/deploy",
		   "charts/web", NULL);
	add_source(fx.defs, add_app(fx.defs, f, "d"), "https://x/deploy",
		   "plain", NULL);
	add_source(fx.defs, add_app(fx.defs, f, "both"), "https://x/deploy",
		   "mixed", NULL);
	add_kfile(fx.defs, "apps/web/base", base_refs);
	add_kfile(fx.defs, "mixed", NULL);
	add_chart(fx.defs, "charts/web");
	add_chart(fx.defs, "mixed");
	build(&fx);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_ARGOCD, "k")->tool,
		      GG_TOOL_KUSTOMIZE);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_ARGOCD, "h")->tool,
		      GG_TOOL_HELM);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_ARGOCD, "d")->tool,
		      GG_TOOL_DIRECTORY);
	/* Argo CD: a kustomization wins over a Chart.yaml beside it */
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_ARGOCD, "both")->tool,
		      GG_TOOL_KUSTOMIZE);
	fixture_release(&fx);
}

static void test_appindex__policy_app_environment_is_used(void)
{
	struct fixture fx;
	const struct gg_app *app;

	fixture_init(&fx, "version: 1\n"
			  "apps:\n"
			  "- name: web\n"
			  "  path: services/web\n"
			  "  environment: prod\n"
			  "- name: api\n"
			  "  path: services/api/qa\n"
			  "  environment: staging\n");
	build(&fx);
	app = app_named(fx.idx, GG_CTRL_ARGOCD, "web");
	TAP_CHECK_STR(app->environment, "prod");
	TAP_CHECK_INT(app->tier, 3);
	/* the policy says staging although the path says qa */
	app = app_named(fx.idx, GG_CTRL_ARGOCD, "api");
	TAP_CHECK_STR(app->environment, "staging");
	TAP_CHECK_INT(app->tier, 2);
	fixture_release(&fx);
}

static void test_appindex__flux_app_with_a_chart_is_no_helm_app(void)
{
	struct fixture fx;
	struct gg_def_file *f;

	/* Flux never renders a Chart.yaml path with helm: without a
	 * kustomization it applies the manifests below the path */
	fixture_init(&fx, NULL);
	f = add_file(fx.defs, "clusters/prod/apps.yaml", GG_DEF_FLUX_KS);
	add_ks(fx.defs, f, "chart", "charts/web", "flux-system");
	add_chart(fx.defs, "charts/web");
	build(&fx);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_FLUX, "chart")->tool,
		      GG_TOOL_DIRECTORY);
	CHECK_OWNERS(fx.idx, "charts/web/templates/deploy.yaml", "chart");
	fixture_release(&fx);
}

static void test_appindex__footprints_of_base_and_overlays(void)
{
	static const char *const base_refs[] = { "apps/web/base/deploy.yaml",
						 "apps/web/base/svc.yaml",
						 "components/monitoring",
						 NULL };
	static const char *const prod_refs[] = {
		"apps/web/base", "apps/web/overlays/prod/replicas.yaml", NULL
	};
	static const char *const staging_refs[] = { "apps/web/base", NULL };
	static const char *const comp_refs[] = {
		"components/monitoring/sm.yaml", NULL
	};
	struct fixture fx;
	struct gg_def_file *f;

	fixture_init(&fx, NULL);
	f = add_file(fx.defs, "argocd/apps.yaml", GG_DEF_APPLICATION);
	add_source(fx.defs, add_app(fx.defs, f, "web-prod"), "https://x/deploy",
		   "apps/web/overlays/prod", NULL);
	add_source(fx.defs, add_app(fx.defs, f, "web-staging"),
		   "https://x/deploy", "apps/web/overlays/staging", NULL);
	add_source(fx.defs, add_app(fx.defs, f, "plain"), "https://x/deploy",
		   "plain", NULL);
	add_source(fx.defs, add_app(fx.defs, f, "deep"), "https://x/deploy",
		   "deep", NULL)
		->recurse = GG_TRUE;
	add_source(fx.defs, add_app(fx.defs, f, "root"), "https://x/deploy", "",
		   NULL);
	add_kfile(fx.defs, "apps/web/base", base_refs);
	add_kfile(fx.defs, "apps/web/overlays/prod", prod_refs);
	add_kfile(fx.defs, "apps/web/overlays/staging", staging_refs);
	add_kfile(fx.defs, "components/monitoring", comp_refs);
	build(&fx);

	/* a change in the base belongs to every overlay */
	CHECK_OWNERS(fx.idx, "apps/web/base/deploy.yaml",
		     "web-prod,web-staging");
	CHECK_OWNERS(fx.idx, "apps/web/base/kustomization.yaml",
		     "web-prod,web-staging");
	CHECK_OWNERS(fx.idx, "apps/web/base/new/file.yaml",
		     "web-prod,web-staging");
	CHECK_OWNERS(fx.idx, "components/monitoring/sm.yaml",
		     "web-prod,web-staging");
	CHECK_OWNERS(fx.idx, "apps/web/overlays/prod/replicas.yaml",
		     "web-prod");
	CHECK_OWNERS(fx.idx, "apps/web/overlays/staging/kustomization.yaml",
		     "web-staging");
	CHECK_OWNERS(fx.idx, "apps/web/overlays/dev/kustomization.yaml", "");
	CHECK_OWNERS(fx.idx, "apps/web/README.md", "");
	/* a flat directory app holds its own files only */
	CHECK_OWNERS(fx.idx, "plain/a.yaml", "plain");
	CHECK_OWNERS(fx.idx, "plain/sub/b.yaml", "");
	CHECK_OWNERS(fx.idx, "deep/sub/b.yaml", "deep");
	CHECK_OWNERS(fx.idx, "plainer/a.yaml", "");
	/* an app at the repository root holds the root's files */
	CHECK_OWNERS(fx.idx, "top.yaml", "root");
	CHECK_OWNERS(fx.idx, "argocd/apps.yaml", "");
	fixture_release(&fx);
}

static void test_appindex__owners_appends_without_duplicates(void)
{
	static const char *const refs[] = { "shared", NULL };
	struct fixture fx;
	struct gg_def_file *f;
	size_t *v = NULL, n = 0, alloc = 0;

	fixture_init(&fx, NULL);
	f = add_file(fx.defs, "apps.yaml", GG_DEF_APPLICATION);
	add_source(fx.defs, add_app(fx.defs, f, "a"), "https://x/deploy", "a",
		   NULL)
		->recurse = GG_TRUE;
	add_kfile(fx.defs, "a", refs);
	build(&fx);
	TAP_CHECK_INT(gg_appindex_owners(fx.idx, "a/x.yaml", &v, &n, &alloc),
		      1);
	TAP_CHECK_INT(gg_appindex_owners(fx.idx, "a/x.yaml", &v, &n, &alloc),
		      0);
	TAP_CHECK_INT(gg_appindex_owners(fx.idx, "shared", &v, &n, &alloc), 0);
	TAP_CHECK_INT(n, 1);
	free(v);
	fixture_release(&fx);
}

static void test_appindex__kustomize_loops_end(void)
{
	static const char *const a_refs[] = { "b", NULL };
	static const char *const b_refs[] = { "a", "b", NULL };
	struct fixture fx;
	struct gg_def_file *f;

	fixture_init(&fx, NULL);
	f = add_file(fx.defs, "apps.yaml", GG_DEF_APPLICATION);
	add_source(fx.defs, add_app(fx.defs, f, "loop"), "https://x/deploy",
		   "a", NULL);
	add_kfile(fx.defs, "a", a_refs);
	add_kfile(fx.defs, "b", b_refs);
	build(&fx);
	CHECK_OWNERS(fx.idx, "b/x.yaml", "loop");
	fixture_release(&fx);
}

static void test_appindex__environments_of_apps(void)
{
	struct fixture fx;
	struct gg_def_file *f;

	fixture_init(&fx, NULL);
	f = add_file(fx.defs, "apps.yaml", GG_DEF_APPLICATION);
	add_source(fx.defs, add_app(fx.defs, f, "p"), "https://x/deploy",
		   "envs/prod-eu/web", NULL);
	add_source(fx.defs, add_app(fx.defs, f, "s"), "https://x/deploy",
		   "apps/web/overlays/staging", NULL);
	add_source(fx.defs, add_app(fx.defs, f, "n"), "https://x/deploy",
		   "apps/web", NULL);
	build(&fx);
	TAP_CHECK_STR(app_named(fx.idx, GG_CTRL_ARGOCD, "p")->environment,
		      "prod-eu");
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_ARGOCD, "p")->tier, 3);
	TAP_CHECK_STR(app_named(fx.idx, GG_CTRL_ARGOCD, "s")->environment,
		      "staging");
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_ARGOCD, "s")->tier, 2);
	TAP_CHECK(!app_named(fx.idx, GG_CTRL_ARGOCD, "n")->environment);
	TAP_CHECK_INT(app_named(fx.idx, GG_CTRL_ARGOCD, "n")->tier, -1);
	fixture_release(&fx);
}

static void test_appindex__a_later_layer_adds_only_new_apps(void)
{
	struct gg_defs *branch = gg_defs_empty(), *dflt = gg_defs_empty();
	struct gg_policy p;
	struct gg_index_input in;
	struct gg_appindex *idx = NULL;
	struct gg_def_file *f;

	policy_init(&p, NULL);
	f = add_file(branch, "apps.yaml", GG_DEF_APPLICATION);
	add_source(branch, add_app(branch, f, "web"), "https://x/deploy",
		   "apps/web-new", "feature");
	f = add_file(dflt, "apps.yaml", GG_DEF_APPLICATION);
	add_source(dflt, add_app(dflt, f, "web"), "https://x/deploy",
		   "apps/web", "main");
	add_source(dflt, add_app(dflt, f, "api"), "https://x/deploy",
		   "apps/api", "feature");
	memset(&in, 0, sizeof(in));
	in.layers[0].defs = branch;
	in.layers[1].defs = dflt;
	in.nlayers = 2;
	in.content = branch;
	in.policy = &p;
	in.repo_name = "deploy";
	in.default_branch = "main";
	TAP_CHECK_INT(gg_appindex_build(&idx, &in), 0);
	if (idx) {
		TAP_CHECK_INT(idx->napps, 2);
		TAP_CHECK_STR(app_named(idx, GG_CTRL_ARGOCD, "web")->root,
			      "apps/web-new");
		TAP_CHECK_STR(app_named(idx, GG_CTRL_ARGOCD, "api")->root,
			      "apps/api");
	}
	gg_appindex_free(idx);
	gg_defs_free(branch);
	gg_defs_free(dflt);
	gg_policy_release(&p);
}

static void test_appindex__branch_copy_hid_the_default_branch_retarget(void)
{
	struct gg_defs *branch = gg_defs_empty(), *dflt = gg_defs_empty();
	struct gg_policy p;
	struct gg_index_input in;
	struct gg_appindex *idx = NULL;
	struct gg_def_file *f;

	/* branch release holds an old copy of argocd/web.yaml (HEAD); the
	 * default branch has since retargeted web to release */
	policy_init(&p, NULL);
	f = add_file(branch, "argocd/web.yaml", GG_DEF_APPLICATION);
	add_source(branch, add_app(branch, f, "web"), "https://x/deploy",
		   "apps/web", NULL);
	f = add_file(dflt, "argocd/web.yaml", GG_DEF_APPLICATION);
	add_source(dflt, add_app(dflt, f, "web"), "https://x/deploy",
		   "apps/web", "release");
	memset(&in, 0, sizeof(in));
	in.layers[0].defs = branch;
	in.layers[1].defs = dflt;
	in.nlayers = 2;
	in.content = branch;
	in.policy = &p;
	in.repo_name = "deploy";
	in.default_branch = "main";
	in.ref = "refs/heads/release";
	TAP_CHECK_INT(gg_appindex_build(&idx, &in), 0);
	if (idx) {
		TAP_CHECK_INT(idx->napps, 1);
		TAP_CHECK_STR(app_named(idx, GG_CTRL_ARGOCD, "web")->revision,
			      "release");
		TAP_CHECK_INT(gg_app_tracks(&idx->apps[0], in.ref, "main"), 1);
	}
	gg_appindex_free(idx);
	/* without a ref, or when both track it, the pushed branch wins */
	in.ref = NULL;
	TAP_CHECK_INT(gg_appindex_build(&idx, &in), 0);
	if (idx)
		TAP_CHECK(!app_named(idx, GG_CTRL_ARGOCD, "web")->revision);
	gg_appindex_free(idx);
	gg_defs_free(branch);
	gg_defs_free(dflt);
	gg_policy_release(&p);
}

static void test_appindex__empty_definitions_give_an_empty_index(void)
{
	struct fixture fx;

	fixture_init(&fx, NULL);
	build(&fx);
	TAP_CHECK_INT(fx.idx->napps, 0);
	TAP_CHECK_INT(fx.idx->nprints, 0);
	TAP_CHECK_INT(fx.idx->notes.nr, 0);
	CHECK_OWNERS(fx.idx, "a/b.yaml", "");
	CHECK_OWNERS(fx.idx, "", "");
	fixture_release(&fx);
}

/* --- environments (envs.c) ------------------------------------------------ */

static void check_env(const struct gg_policy *p, const char *path, int is_dir,
		      int tier, const char *name, int protect)
{
	struct gg_env e;

	gg_env_of_path(&e, p, path, is_dir);
	if (e.tier != tier || (name && strcmp(e.name, name)) ||
	    e.protect != protect)
		printf("#   %s: tier %d '%s' protect %d\n", path, e.tier,
		       e.name, e.protect);
	TAP_CHECK_INT(e.tier, tier);
	if (name)
		TAP_CHECK_STR(e.name, name);
	TAP_CHECK_INT(e.protect, protect);
}

static void test_appindex__builtin_environment_aliases(void)
{
	struct gg_policy p;

	policy_init(&p, NULL);
	check_env(&p, "envs/dev/app.yaml", 0, 0, "dev", 0);
	check_env(&p, "envs/development/app.yaml", 0, 0, "development", 0);
	check_env(&p, "envs/qa/app.yaml", 0, 1, "qa", 0);
	check_env(&p, "envs/test/app.yaml", 0, 1, "test", 0);
	check_env(&p, "envs/integration/app.yaml", 0, 1, "integration", 0);
	check_env(&p, "envs/staging/app.yaml", 0, 2, "staging", 0);
	check_env(&p, "envs/stage/app.yaml", 0, 2, "stage", 0);
	check_env(&p, "envs/uat/app.yaml", 0, 2, "uat", 0);
	check_env(&p, "envs/preprod/app.yaml", 0, 2, "preprod", 0);
	check_env(&p, "envs/prod/app.yaml", 0, 3, "prod", 1);
	check_env(&p, "envs/production/app.yaml", 0, 3, "production", 1);
	check_env(&p, "envs/prd/app.yaml", 0, 3, "prd", 1);
	check_env(&p, "clusters/production", 1, 3, "production", 1);
	check_env(&p, "apps/web", 1, -1, NULL, 0);
	check_env(&p, "README.md", 0, -1, NULL, 0);
	check_env(&p, "", 1, -1, NULL, 0);
	gg_policy_release(&p);
}

static void test_appindex__builtin_environment_suffixes(void)
{
	struct gg_policy p;

	policy_init(&p, NULL);
	check_env(&p, "envs/prod-eu/app.yaml", 0, 3, "prod-eu", 1);
	check_env(&p, "apps/web/overlays/staging-us-east", 1, 2,
		  "staging-us-east", 0);
	check_env(&p, "envs/dev-1", 1, 0, "dev-1", 0);
	/* a word that only starts like an alias is not one */
	check_env(&p, "products/app.yaml", 0, -1, NULL, 0);
	check_env(&p, "devops/app.yaml", 0, -1, NULL, 0);
	check_env(&p, "testing/app.yaml", 0, -1, NULL, 0);
	check_env(&p, "envs/prod-/app.yaml", 0, -1, NULL, 0);
	check_env(&p, "envs/prod_eu/app.yaml", 0, -1, NULL, 0);
	check_env(&p, "envs/eu-prod/app.yaml", 0, -1, NULL, 0);
	gg_policy_release(&p);
}

static void test_appindex__builtin_environment_file_name_parts(void)
{
	struct gg_policy p;

	policy_init(&p, NULL);
	check_env(&p, "charts/web/values-prod.yaml", 0, 3, "prod", 1);
	check_env(&p, "charts/web/values_staging.yaml", 0, 2, "staging", 0);
	check_env(&p, "charts/web/values.dev.yaml", 0, 0, "dev", 0);
	check_env(&p, "charts/web/prod.yaml", 0, 3, "prod", 1);
	check_env(&p, "charts/web/values.yaml", 0, -1, NULL, 0);
	check_env(&p, "charts/web/values-production-eu.yaml", 0, 3,
		  "production", 1);
	check_env(&p, "charts/web/products.yaml", 0, -1, NULL, 0);
	/* only the last segment is a file name: "values-prod" dirs are not
	 * split */
	check_env(&p, "values-prod/web.yaml", 0, -1, NULL, 0);
	/* the deepest match wins */
	check_env(&p, "envs/prod/values-dev.yaml", 0, 0, "dev", 0);
	check_env(&p, "envs/dev/overlays/prod/x.yaml", 0, 3, "prod", 1);
	gg_policy_release(&p);
}

static void test_appindex__builtin_tiers(void)
{
	struct gg_policy p;

	policy_init(&p, NULL);
	TAP_CHECK_INT(gg_env_tiers(&p), 4);
	TAP_CHECK_STR(gg_env_tier_name(&p, 0), "dev");
	TAP_CHECK_STR(gg_env_tier_name(&p, 3), "prod");
	TAP_CHECK(!gg_env_tier_name(&p, 4));
	TAP_CHECK(!gg_env_tier_name(&p, -1));
	TAP_CHECK_INT(gg_env_tier_protected(&p, 3), 1);
	TAP_CHECK_INT(gg_env_tier_protected(&p, 2), 0);
	TAP_CHECK_INT(gg_env_tier_protected(&p, 7), 0);
	TAP_CHECK_STR(gg_env_aliases(2)[0], "staging");
	TAP_CHECK(!gg_env_aliases(4));
	gg_policy_release(&p);
}

static void test_appindex__policy_environment_protection(void)
{
	struct gg_policy p;

	policy_init(&p, "version: 1\n"
			"environments:\n"
			"- name: dev\n"
			"  paths: ['dev/**']\n"
			"- name: qa\n"
			"  paths: ['qa/**']\n"
			"  protected: true\n"
			"- name: prod\n"
			"  paths: ['prod/**']\n"
			"  protected: false\n");
	check_env(&p, "dev/a.yaml", 0, 0, "dev", 0);
	check_env(&p, "qa/a.yaml", 0, 1, "qa", 1);
	check_env(&p, "prod/a.yaml", 0, 2, "prod", 0);
	check_env(&p, "prod", 1, 2, "prod", 0);
	gg_policy_release(&p);
}

static void test_appindex__policy_environment_globs(void)
{
	struct gg_policy p;
	struct gg_env e;

	policy_init(&p, "version: 1\n"
			"environments:\n"
			"- name: dev\n"
			"  paths: ['envs/dev/**', 'clusters/dev*/**']\n"
			"- name: staging\n"
			"  paths: ['envs/staging/**']\n"
			"  branch: staging\n"
			"- name: live\n"
			"  paths: ['envs/live/**', '**/values-live.yaml']\n");
	TAP_CHECK_INT(p.envs_set, 1);
	check_env(&p, "envs/dev/app.yaml", 0, 0, "dev", 0);
	check_env(&p, "clusters/dev-eu/flux.yaml", 0, 0, "dev", 0);
	check_env(&p, "envs/staging/app.yaml", 0, 1, "staging", 0);
	/* the top tier is protected unless it says otherwise */
	check_env(&p, "envs/live/app.yaml", 0, 2, "live", 1);
	check_env(&p, "charts/web/values-live.yaml", 0, 2, "live", 1);
	/* the built-in names count for nothing once a policy lists tiers */
	check_env(&p, "envs/prod/app.yaml", 0, -1, NULL, 0);
	TAP_CHECK_INT(gg_env_tiers(&p), 3);
	TAP_CHECK_STR(gg_env_tier_name(&p, 2), "live");
	TAP_CHECK_INT(gg_env_tier_protected(&p, 2), 1);
	TAP_CHECK_INT(gg_env_tier_protected(&p, 0), 0);
	gg_env_of_branch(&e, &p, "staging");
	TAP_CHECK_INT(e.tier, 1);
	TAP_CHECK_STR(e.name, "staging");
	gg_env_of_branch(&e, &p, "main");
	TAP_CHECK_INT(e.tier, -1);
	gg_env_of_branch(&e, &p, NULL);
	TAP_CHECK_INT(e.tier, -1);
	gg_policy_release(&p);
}

static void test_appindex__policy_environment_overlaps_pick_the_higher(void)
{
	struct gg_policy p;

	/* when in doubt, protect: the highest tier whose globs match */
	policy_init(&p, "version: 1\n"
			"environments:\n"
			"- name: dev\n"
			"  paths: ['**']\n"
			"- name: prod\n"
			"  paths: ['**/prod/**']\n");
	check_env(&p, "apps/prod/a.yaml", 0, 1, "prod", 1);
	check_env(&p, "apps/dev/a.yaml", 0, 0, "dev", 0);
	gg_policy_release(&p);
}

static void test_appindex__environment_substitution(void)
{
	char *s;

	s = gg_env_substitute("envs/prod-eu/web/x.yaml", 3, "staging");
	TAP_CHECK_STR(s, "envs/staging-eu/web/x.yaml");
	free(s);
	s = gg_env_substitute("apps/web/overlays/production", 3, "staging");
	TAP_CHECK_STR(s, "apps/web/overlays/staging");
	free(s);
	s = gg_env_substitute("apps/web/overlays/qa/k.yaml", 1, "dev");
	TAP_CHECK_STR(s, "apps/web/overlays/dev/k.yaml");
	free(s);
	s = gg_env_substitute("apps/web/base/k.yaml", 3, "staging");
	TAP_CHECK(!s);
	s = gg_env_substitute("apps/prod/x.yaml", 9, "staging");
	TAP_CHECK(!s);
}

int main(void)
{
	TAP_RUN(test_appindex__url_name_rule);
	TAP_RUN(test_appindex__url_policy_repo_urls);
	TAP_RUN(test_appindex__url_policy_repo_urls_compare_hosts);
	TAP_RUN(test_appindex__url_in_repo_repo_urls_add);
	TAP_RUN(test_appindex__head_and_empty_track_the_default_branch);
	TAP_RUN(test_appindex__branch_revisions);
	TAP_RUN(test_appindex__tag_revisions_follow_the_tag);
	TAP_RUN(test_appindex__commit_ids_are_pinned);
	TAP_RUN(test_appindex__semver_ranges_follow_the_tags_in_range);
	TAP_RUN(test_appindex__a_tag_prefix_scopes_the_tags);
	TAP_RUN(test_appindex__flux_refs_follow_what_wins);
	TAP_RUN(test_appindex__revision_text_says_what_is_followed);
	TAP_RUN(test_appindex__branches_with_an_x_are_branches);
	TAP_RUN(test_appindex__applications_of_this_repository);
	TAP_RUN(test_appindex__sync_policy_in_effect);
	TAP_RUN(test_appindex__each_source_of_ours_is_an_app);
	TAP_RUN(test_appindex__directory_options_are_copied);
	TAP_RUN(test_appindex__flux_bootstrap_convention);
	TAP_RUN(test_appindex__flux_system_with_a_placeholder_url_is_ours);
	TAP_RUN(test_appindex__flux_git_repositories_here_and_elsewhere);
	TAP_RUN(test_appindex__flux_cascade_and_suspend);
	TAP_RUN(test_appindex__policy_repo_urls_decide_which_apps_are_ours);
	TAP_RUN(test_appindex__policy_apps);
	TAP_RUN(test_appindex__policy_app_environment_is_used);
	TAP_RUN(test_appindex__paths_outside_the_repository);
	TAP_RUN(test_appindex__tools_by_root);
	TAP_RUN(test_appindex__flux_app_with_a_chart_is_no_helm_app);
	TAP_RUN(test_appindex__footprints_of_base_and_overlays);
	TAP_RUN(test_appindex__owners_appends_without_duplicates);
	TAP_RUN(test_appindex__kustomize_loops_end);
	TAP_RUN(test_appindex__environments_of_apps);
	TAP_RUN(test_appindex__a_later_layer_adds_only_new_apps);
	TAP_RUN(test_appindex__branch_copy_hid_the_default_branch_retarget);
	TAP_RUN(test_appindex__empty_definitions_give_an_empty_index);
	TAP_RUN(test_appindex__builtin_environment_aliases);
	TAP_RUN(test_appindex__builtin_environment_suffixes);
	TAP_RUN(test_appindex__builtin_environment_file_name_parts);
	TAP_RUN(test_appindex__builtin_tiers);
	TAP_RUN(test_appindex__policy_environment_globs);
	TAP_RUN(test_appindex__policy_environment_protection);
	TAP_RUN(test_appindex__policy_environment_overlaps_pick_the_higher);
	TAP_RUN(test_appindex__environment_substitution);
	return tap_done();
}
