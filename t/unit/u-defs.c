/*
 * Unit tests for defs.c and defs-cache.c without a repository: reference
 * resolution inside the repository, and the per-tree cache format
 * (round trips of every field, corrupt files refused without crashing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "defs.h"
#include "defs-internal.h"
#include "error.h"
#include "xalloc.h"
#include "tap.h"

#define TREE "0123456789abcdef0123456789abcdef01234567"
#define BLOB1 "1111111111111111111111111111111111111111"
#define BLOB2 "2222222222222222222222222222222222222222"
#define HEADER "gitops-guard-defs 6 " TREE "\n"

/* --- gg_defs_resolve ------------------------------------------------------ */

static void test_defs__resolve_normalises_dot_dot(void)
{
	static const struct {
		const char *dir, *ref, *want;
	} cases[] = {
		{ "apps/x/overlays/prod", "../../base", "apps/x/base" },
		{ "apps/x/overlays/prod", "../../base/", "apps/x/base" },
		{ "apps/x/overlays/prod", "./patch.yaml",
		  "apps/x/overlays/prod/patch.yaml" },
		{ "apps/x", "a/../b/./c.yaml", "apps/x/b/c.yaml" },
		{ "apps/x", "a//b", "apps/x/a/b" },
		{ "apps/x", ".", "apps/x" },
		{ "apps/x", "", "apps/x" },
		{ "apps/x", "..", "apps" },
		{ "apps/x", "../..", "" },
		{ "", "base", "base" },
		{ "", "./base/", "base" },
		{ "", "a/..", "" },
		{ "envs/prod", "../../envs/prod/x.yaml", "envs/prod/x.yaml" },
	};
	struct gg_arena a = GG_ARENA_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int remote = 0;
		const char *r = gg_defs_resolve(&a, cases[i].dir, cases[i].ref,
						&remote);

		if (!r || strcmp(r, cases[i].want))
			printf("#   '%s' + '%s'\n", cases[i].dir, cases[i].ref);
		TAP_CHECK_STR(r, cases[i].want);
		TAP_CHECK_INT(remote, 0);
	}
	gg_arena_release(&a);
}

static void test_defs__resolve_flags_urls_and_escapes_remote(void)
{
	static const struct {
		const char *dir, *ref;
	} cases[] = {
		{ "apps/x", "https://github.com/org/repo//deploy?ref=v1" },
		{ "apps/x", "http://example.com/base.yaml" },
		{ "apps/x", "ssh://git@github.com/org/repo.git" },
		{ "apps/x", "git@github.com:org/repo.git//base" },
		{ "apps/x", "github.com/org/repo/base?ref=main" },
		{ "apps/x", "gitlab.com/org/repo//base" },
		{ "apps/x", "repo//base?ref=v1" },
		{ "apps/x", "/etc/passwd" },
		{ "apps/x", "../../.." },
		{ "apps/x", "../../../outside" },
		{ "", ".." },
		{ "", "../sibling" },
		{ "a", "b/../../../c" },
	};
	struct gg_arena a = GG_ARENA_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int remote = 0;
		const char *r = gg_defs_resolve(&a, cases[i].dir, cases[i].ref,
						&remote);

		if (r || !remote)
			printf("#   '%s' + '%s' gave '%s'\n", cases[i].dir,
			       cases[i].ref, r ? r : "(null)");
		TAP_CHECK(!r);
		TAP_CHECK_INT(remote, 1);
	}
	gg_arena_release(&a);
}

static void test_defs__resolve_leaves_remote_flag_alone_when_local(void)
{
	struct gg_arena a = GG_ARENA_INIT;
	int remote = 1;

	/* the flag accumulates over a kustomization's references */
	TAP_CHECK_STR(gg_defs_resolve(&a, "a", "b", &remote), "a/b");
	TAP_CHECK_INT(remote, 1);
	gg_arena_release(&a);
}

/* --- which files are read as definitions --------------------------------- */

static int is_def(const char *text)
{
	return gg_defs__is_definition_text(text, strlen(text));
}

static void test_defs__text_filter_sees_escaped_api_groups(void)
{
	TAP_CHECK(is_def("apiVersion: argoproj.io/v1alpha1\n"));
	TAP_CHECK(is_def("apiVersion: kustomize.toolkit.fluxcd.io/v1\n"));
	TAP_CHECK(!is_def("apiVersion: v1\nkind: ConfigMap\n"));
	/* escapes that spell letters or join lines could name the group */
	TAP_CHECK(is_def("apiVersion: \"argoproj\\x2eio/v1alpha1\"\n"));
	TAP_CHECK(is_def("{\"apiVersion\": \"argoproj\\u002eio/v1\"}"));
	TAP_CHECK(is_def("apiVersion: \"argo\\U00000070roj.io/v1\"\n"));
	TAP_CHECK(is_def("apiVersion: \"argo\\\n  proj.io/v1alpha1\"\n"));
	TAP_CHECK(is_def("a: \"\\\r\n\"\n"));
	/* others cannot, and an escaped backslash escapes nothing */
	TAP_CHECK(!is_def("data: {a: \"tab\\there\", b: \"q\\\"\"}\n"));
	TAP_CHECK(!is_def("path: \"C:\\\\x\"\n"));
	TAP_CHECK(!is_def("trailing backslash \\"));
}

/* --- building a definitions set by hand ----------------------------------- */

static const char *str(struct gg_defs *d, const char *s)
{
	return s ? gg_arena_strdup(&d->arena, s) : NULL;
}

static void set_oid(struct gg_oid *out, const char *hex)
{
	if (gg_oid_from_hex(out, hex) < 0)
		GG_BUG("bad test oid");
}

/* Every field set, with values that need escaping, and absent ones. */
static struct gg_defs *sample(void)
{
	struct gg_defs *d = gg_defs_empty();
	struct gg_def_file *f;
	struct gg_def_app *a;
	struct gg_kfile *k;

	set_oid(&d->tree, TREE);
	GG_ALLOC_GROW(d->files, 2, d->files_alloc);
	d->nfiles = 2;
	memset(d->files, 0, 2 * sizeof(*d->files));

	f = &d->files[0];
	f->path = str(d, "apps/app of\tapps.yaml");
	set_oid(&f->blob, BLOB1);
	f->kinds = GG_DEF_APPLICATION | GG_DEF_APPSET;
	f->napps = 2;
	f->apps = gg_arena_alloc(&d->arena, 2 * sizeof(*f->apps));
	a = &f->apps[0];
	a->name = str(d, "web\\N");
	a->namespace_ = NULL;
	a->project = str(d, "");
	a->dest_server = str(d, "https://k8s\nline\r2");
	a->dest_name = NULL;
	a->dest_namespace = str(d, "back\\slash\\");
	a->line = 42;
	a->automated = 1;
	a->enabled = -1;
	a->prune = 0;
	a->self_heal = 1;
	a->allow_empty = -1;
	a->cascade = 1;
	a->skip_reconcile = 0;
	a->nsources = 2;
	a->sources = gg_arena_alloc(&d->arena, 2 * sizeof(*a->sources));
	a->sources[0].repo_url = str(d, "https://git.example.com/deploy");
	a->sources[0].path = str(d, "apps/web");
	a->sources[0].revision = NULL;
	a->sources[0].chart = NULL;
	a->sources[0].include = str(d, "{a,b}.yaml");
	a->sources[0].exclude = str(d, "\t");
	a->sources[0].tag_prefix = str(d, "web/");
	a->sources[0].recurse = 1;
	a->sources[1].repo_url = str(d, "https://charts.example.com");
	a->sources[1].chart = str(d, "nginx");
	a->sources[1].revision = str(d, ">=1.0.0 <2.0.0");
	a->sources[1].recurse = -1;
	a = &f->apps[1];
	a->name = str(d, "empty");
	a->line = 1;
	a->automated = 0;
	a->enabled = a->prune = a->self_heal = a->allow_empty = -1;

	f = &d->files[1];
	f->path = str(d, "clusters/prod/flux.yaml");
	set_oid(&f->blob, BLOB2);
	f->kinds = GG_DEF_FLUX_KS | GG_DEF_GITREPO | GG_DEF_HELMRELEASE;
	f->nkss = 1;
	f->kss = gg_arena_alloc(&d->arena, sizeof(*f->kss));
	f->kss[0].name = str(d, "apps");
	f->kss[0].namespace_ = str(d, "flux-system");
	f->kss[0].line = 7;
	f->kss[0].path = NULL;
	f->kss[0].prune = -1;
	f->kss[0].suspend = 0;
	f->kss[0].source_kind = str(d, "GitRepository");
	f->kss[0].source_name = str(d, "flux-system");
	f->kss[0].deletion_policy = str(d, "Orphan");
	f->nrepos = 1;
	f->repos = gg_arena_alloc(&d->arena, sizeof(*f->repos));
	f->repos[0].name = str(d, "flux-system");
	f->repos[0].line = 30;
	f->repos[0].url = str(d, "ssh://git@example.com/deploy");
	f->repos[0].branch = NULL;
	f->repos[0].ignore = str(d, "/*\n!/deploy\n# \\comment\n");
	f->repos[0].semver = str(d, ">=1.0.0 || ^0.9");

	GG_ALLOC_GROW(d->kfiles, 2, d->kfiles_alloc);
	d->nkfiles = 2;
	memset(d->kfiles, 0, 2 * sizeof(*d->kfiles));
	k = &d->kfiles[0];
	k->path = str(d, "kustomization.yaml");
	k->dir = str(d, "");
	set_oid(&k->blob, BLOB1);
	k = &d->kfiles[1];
	k->path = str(d, "apps/web/overlays/prod/kustomization.yaml");
	k->dir = str(d, "apps/web/overlays/prod");
	set_oid(&k->blob, BLOB2);
	k->remote = 1;
	k->nresources = 2;
	k->resources = gg_arena_alloc(&d->arena, 2 * sizeof(char *));
	k->resources[0] = str(d, "apps/web/base");
	k->resources[1] = str(d, "apps/web/overlays/prod/a b\tc.yaml");
	k->nothers = 1;
	k->others = gg_arena_alloc(&d->arena, sizeof(char *));
	k->others[0] = str(d, "apps/web/overlays/prod/patch.yaml");

	GG_ALLOC_GROW(d->charts, 1, d->charts_alloc);
	d->charts[d->ncharts++] = str(d, "charts/web/Chart.yaml");
	GG_ALLOC_GROW(d->ignores, 2, d->ignores_alloc);
	d->ignores[d->nignores++] = str(d, ".sourceignore");
	d->ignores[d->nignores++] = str(d, "apps/.sourceignore");
	return d;
}

static char *serialize(const struct gg_defs *d)
{
	struct gg_buf b = GG_BUF_INIT;

	gg_defs_serialize(&b, d);
	return gg_buf_detach(&b, NULL);
}

/* Parse `text` (of `len` bytes); NULL when refused. */
static struct gg_defs *parse_len(const char *text, size_t len)
{
	struct gg_defs *d = NULL;
	int err = gg_defs_parse(&d, text, len);

	if (err == 0 && !d)
		GG_BUG("gg_defs_parse succeeded without a result");
	if (err < 0 && d)
		GG_BUG("gg_defs_parse failed with a result");
	if (err < 0 && err != GG_EINVALID)
		printf("#   unexpected error %d\n", err);
	return d;
}

static struct gg_defs *parse(const char *text)
{
	return parse_len(text, strlen(text));
}

/* --- round trips ---------------------------------------------------------- */

static void check_app(const struct gg_def_app *x, const struct gg_def_app *y)
{
	size_t i;

	TAP_CHECK_STR(x->name, y->name);
	TAP_CHECK_STR(x->namespace_, y->namespace_);
	TAP_CHECK_STR(x->project, y->project);
	TAP_CHECK_STR(x->dest_server, y->dest_server);
	TAP_CHECK_STR(x->dest_name, y->dest_name);
	TAP_CHECK_STR(x->dest_namespace, y->dest_namespace);
	TAP_CHECK_INT(x->line, y->line);
	TAP_CHECK_INT(x->automated, y->automated);
	TAP_CHECK_INT(x->enabled, y->enabled);
	TAP_CHECK_INT(x->prune, y->prune);
	TAP_CHECK_INT(x->self_heal, y->self_heal);
	TAP_CHECK_INT(x->allow_empty, y->allow_empty);
	TAP_CHECK_INT(x->cascade, y->cascade);
	TAP_CHECK_INT(x->skip_reconcile, y->skip_reconcile);
	TAP_CHECK_INT(x->nsources, y->nsources);
	for (i = 0; i < x->nsources && i < y->nsources; i++) {
		const struct gg_def_source *s = &x->sources[i];
		const struct gg_def_source *t = &y->sources[i];

		TAP_CHECK_STR(s->repo_url, t->repo_url);
		TAP_CHECK_STR(s->path, t->path);
		TAP_CHECK_STR(s->revision, t->revision);
		TAP_CHECK_STR(s->chart, t->chart);
		TAP_CHECK_STR(s->include, t->include);
		TAP_CHECK_STR(s->exclude, t->exclude);
		TAP_CHECK_STR(s->tag_prefix, t->tag_prefix);
		TAP_CHECK_INT(s->recurse, t->recurse);
	}
}

static void check_file(const struct gg_def_file *x, const struct gg_def_file *y)
{
	size_t i;

	TAP_CHECK_STR(x->path, y->path);
	TAP_CHECK(!gg_oid_cmp(&x->blob, &y->blob));
	TAP_CHECK_INT(x->kinds, y->kinds);
	TAP_CHECK_INT(x->napps, y->napps);
	TAP_CHECK_INT(x->nkss, y->nkss);
	TAP_CHECK_INT(x->nrepos, y->nrepos);
	for (i = 0; i < x->napps && i < y->napps; i++)
		check_app(&x->apps[i], &y->apps[i]);
	for (i = 0; i < x->nkss && i < y->nkss; i++) {
		const struct gg_def_ks *k = &x->kss[i], *l = &y->kss[i];

		TAP_CHECK_STR(k->name, l->name);
		TAP_CHECK_STR(k->namespace_, l->namespace_);
		TAP_CHECK_INT(k->line, l->line);
		TAP_CHECK_STR(k->path, l->path);
		TAP_CHECK_INT(k->prune, l->prune);
		TAP_CHECK_INT(k->suspend, l->suspend);
		TAP_CHECK_STR(k->source_kind, l->source_kind);
		TAP_CHECK_STR(k->source_name, l->source_name);
		TAP_CHECK_STR(k->source_namespace, l->source_namespace);
		TAP_CHECK_STR(k->target_namespace, l->target_namespace);
		TAP_CHECK_STR(k->service_account, l->service_account);
		TAP_CHECK_STR(k->deletion_policy, l->deletion_policy);
	}
	for (i = 0; i < x->nrepos && i < y->nrepos; i++) {
		const struct gg_def_gitrepo *r = &x->repos[i],
					    *s = &y->repos[i];

		TAP_CHECK_STR(r->name, s->name);
		TAP_CHECK_STR(r->namespace_, s->namespace_);
		TAP_CHECK_INT(r->line, s->line);
		TAP_CHECK_STR(r->url, s->url);
		TAP_CHECK_STR(r->branch, s->branch);
		TAP_CHECK_STR(r->ignore, s->ignore);
		TAP_CHECK_STR(r->tag, s->tag);
		TAP_CHECK_STR(r->semver, s->semver);
		TAP_CHECK_STR(r->refname, s->refname);
	}
}

static void check_same(const struct gg_defs *x, const struct gg_defs *y)
{
	size_t i, j;

	TAP_CHECK(!gg_oid_cmp(&x->tree, &y->tree));
	TAP_CHECK_INT(x->nfiles, y->nfiles);
	for (i = 0; i < x->nfiles && i < y->nfiles; i++)
		check_file(&x->files[i], &y->files[i]);
	TAP_CHECK_INT(x->nkfiles, y->nkfiles);
	for (i = 0; i < x->nkfiles && i < y->nkfiles; i++) {
		const struct gg_kfile *k = &x->kfiles[i], *l = &y->kfiles[i];

		TAP_CHECK_STR(k->path, l->path);
		TAP_CHECK_STR(k->dir, l->dir);
		TAP_CHECK(!gg_oid_cmp(&k->blob, &l->blob));
		TAP_CHECK_INT(k->invalid, l->invalid);
		TAP_CHECK_INT(k->remote, l->remote);
		TAP_CHECK_INT(k->nresources, l->nresources);
		TAP_CHECK_INT(k->nothers, l->nothers);
		for (j = 0; j < k->nresources && j < l->nresources; j++)
			TAP_CHECK_STR(k->resources[j], l->resources[j]);
		for (j = 0; j < k->nothers && j < l->nothers; j++)
			TAP_CHECK_STR(k->others[j], l->others[j]);
	}
	TAP_CHECK_INT(x->ncharts, y->ncharts);
	for (i = 0; i < x->ncharts && i < y->ncharts; i++)
		TAP_CHECK_STR(x->charts[i], y->charts[i]);
	TAP_CHECK_INT(x->nignores, y->nignores);
	for (i = 0; i < x->nignores && i < y->nignores; i++)
		TAP_CHECK_STR(x->ignores[i], y->ignores[i]);
}

static void test_defs__round_trip_keeps_every_field(void)
{
	struct gg_defs *d = sample(), *back;
	char *text = serialize(d), *again;

	back = parse(text);
	TAP_CHECK(back);
	if (back) {
		TAP_CHECK_INT(back->from_cache, 0);
		check_same(d, back);
		again = serialize(back);
		TAP_CHECK_STR(again, text);
		free(again);
	}
	gg_defs_free(back);
	gg_defs_free(d);
	free(text);
}

static void test_defs__cache_lines_hold_no_raw_tab_or_newline_in_fields(void)
{
	struct gg_defs *d = sample();
	char *text = serialize(d), *line, *eol;

	/* one record per line; every F line has exactly 7 fields */
	for (line = text; (eol = strchr(line, '\n')); line = eol + 1) {
		size_t tabs = 0;
		const char *p;

		for (p = line; p < eol; p++)
			tabs += *p == '\t';
		TAP_CHECK(!memchr(line, '\r', (size_t)(eol - line)));
		if (*line == 'F')
			TAP_CHECK_INT(tabs, 6);
		if (*line == 'C' || *line == 'I')
			TAP_CHECK_INT(tabs, 1);
	}
	TAP_CHECK(strstr(text, "web\\\\N"));
	TAP_CHECK(strstr(text, "\t\\N\t"));
	gg_defs_free(d);
	free(text);
}

static void test_defs__empty_set_round_trips(void)
{
	struct gg_defs *d = parse(HEADER), *e = gg_defs_empty();
	char *text;

	TAP_CHECK(d);
	if (d) {
		struct gg_oid want;

		set_oid(&want, TREE);
		TAP_CHECK(!gg_oid_cmp(&d->tree, &want));
		TAP_CHECK_INT(d->nfiles + d->nkfiles + d->ncharts + d->nignores,
			      0);
		text = serialize(d);
		TAP_CHECK_STR(text, HEADER);
		free(text);
	}
	text = serialize(e);
	TAP_CHECK_STR(text, "gitops-guard-defs 6 "
			    "0000000000000000000000000000000000000000\n");
	free(text);
	gg_defs_free(d);
	gg_defs_free(e);
}

static void test_defs__parsed_records_are_sorted_for_lookups(void)
{
	struct gg_defs *d = parse(
		HEADER "F\tz.yaml\t" BLOB1 "\t1\t0\t0\t0\n"
		       "F\ta.yaml\t" BLOB2 "\t16\t0\t0\t0\n"
		       "Z\tz/kustomization.yaml\tz\t" BLOB1 "\t0\t0\t0\t0\n"
		       "Z\tkustomization.yaml\t\t" BLOB1 "\t0\t0\t0\t0\n"
		       "Z\ta/Kustomization\ta\t" BLOB1 "\t1\t0\t0\t0\n"
		       "C\tz/Chart.yaml\n"
		       "C\tChart.yaml\n"
		       "C\ta/b/Chart.yaml\n"
		       "I\tz/.sourceignore\n");
	const struct gg_def_file *f;
	const struct gg_kfile *k;

	TAP_CHECK(d);
	if (!d)
		return;
	f = gg_defs_file(d, "a.yaml");
	TAP_CHECK(f && f->kinds == GG_DEF_GITREPO);
	f = gg_defs_file(d, "z.yaml");
	TAP_CHECK(f && f->kinds == GG_DEF_APPLICATION);
	TAP_CHECK(!gg_defs_file(d, "m.yaml"));
	k = gg_defs_kfile(d, "");
	TAP_CHECK_STR(k ? k->path : NULL, "kustomization.yaml");
	k = gg_defs_kfile(d, "a");
	TAP_CHECK(k && k->invalid);
	TAP_CHECK(gg_defs_kfile(d, "z"));
	TAP_CHECK(!gg_defs_kfile(d, "b"));
	TAP_CHECK_INT(gg_defs_has_chart(d, ""), 1);
	TAP_CHECK_INT(gg_defs_has_chart(d, "z"), 1);
	TAP_CHECK_INT(gg_defs_has_chart(d, "a/b"), 1);
	TAP_CHECK_INT(gg_defs_has_chart(d, "a"), 0);
	gg_defs_free(d);
}

static void test_defs__lookups_in_the_empty_set(void)
{
	struct gg_defs *d = gg_defs_empty();

	TAP_CHECK(!gg_defs_file(d, "a"));
	TAP_CHECK(!gg_defs_kfile(d, ""));
	TAP_CHECK_INT(gg_defs_has_chart(d, ""), 0);
	gg_defs_free(d);
	gg_defs_free(NULL);
}

/* --- corrupt cache files -------------------------------------------------- */

static void refused(const char *what, const char *text)
{
	struct gg_defs *d = parse(text);

	if (d)
		printf("#   accepted: %s\n", what);
	TAP_CHECK(!d);
	gg_defs_free(d);
}

static void test_defs__refuses_a_wrong_header(void)
{
	refused("empty", "");
	refused("no newline", "gitops-guard-defs 6 " TREE);
	refused("old format", "gitops-guard-defs 1 " TREE "\n");
	/* 2 summarised files before Lists were expanded, 3 before tags, 4
	 * and 5 before escapes were read (defs-cache.c) */
	refused("format 2", "gitops-guard-defs 2 " TREE "\n");
	refused("format 3", "gitops-guard-defs 3 " TREE "\n");
	refused("format 4", "gitops-guard-defs 4 " TREE "\n");
	refused("format 5", "gitops-guard-defs 5 " TREE "\n");
	refused("newer format", "gitops-guard-defs 7 " TREE "\n");
	refused("other file", "hello world\n");
	refused("short tree", "gitops-guard-defs 6 0123\n");
	refused("long tree", "gitops-guard-defs 6 " TREE "0\n");
	refused("bad hex", "gitops-guard-defs 6 "
			   "0123456789abcdef0123456789abcdef0123456z\n");
	refused("two spaces", "gitops-guard-defs  3 " TREE "\n");
	refused("trailing space", "gitops-guard-defs 6 " TREE " \n");
}

static void test_defs__refuses_records_out_of_place(void)
{
	refused("A before F", HEADER "A\t1\tx\t\\N\t\\N\t\\N\t\\N\t\\N"
				     "\t0\t-1\t-1\t-1\t-1\t0\t0\t0\n");
	refused("S before A", HEADER "F\ta\t" BLOB1 "\t1\t1\t0\t0\n"
				     "S\tr\tp\t\\N\t\\N\t-1\t\\N\t\\N\t\\N\n");
	refused("K before F", HEADER "K\t1\tn\t\\N\t\\N\t1\t-1\t\\N\t\\N"
				     "\t\\N\t\\N\t\\N\t\\N\n");
	refused("R before F",
		HEADER "R\t1\tn\t\\N\tu\tmain\t\\N\t\\N\t\\N\t\\N\n");
	refused("unknown record", HEADER "X\tsomething\n");
	refused("two-letter record", HEADER "FF\ta\t" BLOB1 "\t1\t0\t0\t0\n");
	refused("empty record", HEADER "\n");
	refused("absent record kind", HEADER "\\N\ta\n");
	refused("more A than declared",
		HEADER "F\ta\t" BLOB1 "\t1\t0\t0\t0\n"
		       "A\t1\tx\t\\N\t\\N\t\\N\t\\N\t\\N"
		       "\t0\t-1\t-1\t-1\t-1\t0\t0\t0\n");
	refused("more S than declared",
		HEADER "F\ta\t" BLOB1 "\t1\t1\t0\t0\n"
		       "A\t1\tx\t\\N\t\\N\t\\N\t\\N\t\\N"
		       "\t0\t-1\t-1\t-1\t-1\t0\t0\t0\n"
		       "S\tr\tp\t\\N\t\\N\t-1\t\\N\t\\N\t\\N\n");
	refused("more K than declared",
		HEADER "F\ta\t" BLOB1 "\t8\t0\t0\t0\n"
		       "K\t1\tn\t\\N\t\\N\t1\t-1\t\\N\t\\N"
		       "\t\\N\t\\N\t\\N\t\\N\n");
}

static void test_defs__refuses_bad_numbers(void)
{
	refused("negative count", HEADER "F\ta\t" BLOB1 "\t1\t-1\t0\t0\n");
	refused("word count", HEADER "F\ta\t" BLOB1 "\t1\tone\t0\t0\n");
	refused("huge count",
		HEADER "F\ta\t" BLOB1 "\t1\t99999999999999999999\t0\t0\n");
	refused("number with junk", HEADER "F\ta\t" BLOB1 "\t1\t0x\t0\t0\n");
	refused("kinds out of range", HEADER "F\ta\t" BLOB1 "\t256\t0\t0\t0\n");
	refused("tri-state out of range",
		HEADER "F\ta\t" BLOB1 "\t1\t1\t0\t0\n"
		       "A\t1\tx\t\\N\t\\N\t\\N\t\\N\t\\N"
		       "\t2\t-1\t-1\t-1\t-1\t0\t0\t0\n");
	refused("too few fields", HEADER "F\ta\t" BLOB1 "\t1\t0\t0\n");
	refused("kfile counts disagree with fields",
		HEADER "Z\tk\t\t" BLOB1 "\t0\t0\t2\t0\tonly-one\n");
	refused("kfile extra fields",
		HEADER "Z\tk\t\t" BLOB1 "\t0\t0\t0\t0\textra\n");
}

static void test_defs__refuses_absent_required_fields(void)
{
	refused("F path", HEADER "F\t\\N\t" BLOB1 "\t1\t0\t0\t0\n");
	refused("F blob", HEADER "F\ta\t\\N\t1\t0\t0\t0\n");
	refused("F count", HEADER "F\ta\t" BLOB1 "\t1\t\\N\t0\t0\n");
	refused("A line", HEADER "F\ta\t" BLOB1 "\t1\t1\t0\t0\n"
				 "A\t\\N\tx\t\\N\t\\N\t\\N\t\\N\t\\N"
				 "\t0\t-1\t-1\t-1\t-1\t0\t0\t0\n");
	refused("A tri-state", HEADER "F\ta\t" BLOB1 "\t1\t1\t0\t0\n"
				      "A\t1\tx\t\\N\t\\N\t\\N\t\\N\t\\N"
				      "\t0\t\\N\t-1\t-1\t-1\t0\t0\t0\n");
	refused("K line", HEADER "F\ta\t" BLOB1 "\t8\t0\t1\t0\n"
				 "K\t\\N\tn\t\\N\t\\N\t1\t-1\t\\N\t\\N"
				 "\t\\N\t\\N\t\\N\t\\N\n");
	refused("Z path", HEADER "Z\t\\N\td\t" BLOB1 "\t0\t0\t0\t0\n");
	refused("Z dir", HEADER "Z\tk\t\\N\t" BLOB1 "\t0\t0\t0\t0\n");
	refused("Z blob", HEADER "Z\tk\t\t\\N\t0\t0\t0\t0\n");
	refused("C without path", HEADER "C\n");
}

static void test_defs__refuses_fewer_children_than_declared(void)
{
	/* a cut at a line end must not pass for a smaller, valid set */
	refused("F declares an app that never comes",
		HEADER "F\ta\t" BLOB1 "\t1\t1\t0\t0\n");
	refused("F declares two apps, one comes",
		HEADER "F\ta\t" BLOB1 "\t1\t2\t0\t0\n"
		       "A\t1\tx\t\\N\t\\N\t\\N\t\\N\t\\N"
		       "\t0\t-1\t-1\t-1\t-1\t0\t0\t0\n");
	refused("F declares a Kustomization, the next F comes",
		HEADER "F\ta\t" BLOB1 "\t8\t0\t1\t0\n"
		       "F\tb\t" BLOB1 "\t8\t0\t0\t0\n");
	refused("A declares a source that never comes",
		HEADER "F\ta\t" BLOB1 "\t1\t1\t0\t0\n"
		       "A\t1\tx\t\\N\t\\N\t\\N\t\\N\t\\N"
		       "\t0\t-1\t-1\t-1\t-1\t0\t0\t1\n");
	refused("A declares two sources, then a C comes",
		HEADER "F\ta\t" BLOB1 "\t1\t1\t0\t0\n"
		       "A\t1\tx\t\\N\t\\N\t\\N\t\\N\t\\N"
		       "\t0\t-1\t-1\t-1\t-1\t0\t0\t2\n"
		       "S\tr\tp\t\\N\t\\N\t-1\t\\N\t\\N\t\\N\n"
		       "C\tChart.yaml\n");
}

static void test_defs__refuses_absent_paths_that_lookups_compare(void)
{
	/* these strings are compared by sorting and bsearch: NULL crashed */
	refused("Z resource", HEADER "Z\tk\t\t" BLOB1 "\t0\t0\t1\t0\t\\N\n");
	refused("Z other", HEADER "Z\tk\t\t" BLOB1 "\t0\t0\t0\t1\t\\N\n");
	refused("C path", HEADER "C\t\\N\n");
	refused("I path", HEADER "I\t\\N\n");
	refused("C path among others",
		HEADER "C\tb/Chart.yaml\nC\t\\N\nC\ta/Chart.yaml\n");
	refused("I path among others",
		HEADER "I\tb/.sourceignore\nI\t\\N\nI\t.sourceignore\n");
}

static void test_defs__refuses_nul_bytes(void)
{
	static const char text[] = HEADER "F\ta\t" BLOB1 "\t1\t0\t0\t0\n"
					  "C\tChart.yaml\n";
	char *copy = gg_xmalloc(sizeof(text));
	struct gg_defs *d;
	size_t cut = strlen(HEADER) + 3;

	memcpy(copy, text, sizeof(text));
	copy[cut] = '\0'; /* inside the F record */
	d = parse_len(copy, sizeof(text) - 1);
	TAP_CHECK(!d);
	gg_defs_free(d);
	/* a NUL between records hides everything after it */
	memcpy(copy, text, sizeof(text));
	copy[strlen(HEADER)] = '\0';
	d = parse_len(copy, sizeof(text) - 1);
	TAP_CHECK(!d);
	gg_defs_free(d);
	free(copy);
}

static void test_defs__out_of_range_counts_are_refused_not_fatal(void)
{
	/* a count out of range was used before the refusal: a negative
	 * number of sources became a huge allocation and exit(2) */
	refused("negative source count",
		HEADER "F\ta\t" BLOB1 "\t1\t1\t0\t0\n"
		       "A\t1\tx\t\\N\t\\N\t\\N\t\\N\t\\N"
		       "\t0\t-1\t-1\t-1\t-1\t0\t0\t-5\n");
	refused("huge source count",
		HEADER "F\ta\t" BLOB1 "\t1\t1\t0\t0\n"
		       "A\t1\tx\t\\N\t\\N\t\\N\t\\N\t\\N"
		       "\t0\t-1\t-1\t-1\t-1\t0\t0\t99999999999\n");
	refused("negative app count", HEADER "F\ta\t" BLOB1 "\t1\t-3\t0\t0\n");
	refused("huge Kustomization count",
		HEADER "F\ta\t" BLOB1 "\t1\t0\t4000000000\t0\n");
	refused("negative reference count",
		HEADER "Z\tk\t\t" BLOB1 "\t0\t0\t-1\t1\tx\n");
}

static void test_defs__garbage_is_refused_without_crashing(void)
{
	static const char *const junk[] = {
		"\\",
		HEADER "\\",
		HEADER "F\\",
		HEADER "F\t\\\n",
		HEADER "F\ta\\\t" BLOB1 "\t1\t0\t0\t0\n",
		HEADER "Z\tk\t\t" BLOB1 "\t0\t0\t50\t50\n",
		HEADER "Z\tk\t\t" BLOB1 "\t0\t0\t100000\t0\n",
		HEADER "A\n",
		HEADER "S\n",
		HEADER "K\n",
		HEADER "R\n",
		HEADER "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"
		       "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"
		       "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\n",
	};
	size_t i;

	for (i = 0; i < sizeof(junk) / sizeof(*junk); i++)
		refused(junk[i], junk[i]);
}

static void test_defs__refuses_an_empty_number(void)
{
	refused("empty count", HEADER "F\ta\t" BLOB1 "\t1\t\t0\t0\n");
	refused("empty line number", HEADER "F\ta\t" BLOB1 "\t8\t0\t1\t0\n"
					    "K\t\tn\t\\N\t\\N\t1\t-1\t\\N\t\\N"
					    "\t\\N\t\\N\t\\N\t\\N\n");
	refused("empty tri-state", HEADER "F\ta\t" BLOB1 "\t8\t0\t1\t0\n"
					  "K\t1\tn\t\\N\t\\N\t\t-1\t\\N\t\\N"
					  "\t\\N\t\\N\t\\N\t\\N\n");
}

static void test_defs__every_prefix_is_refused_or_exact(void)
{
	struct gg_defs *d = sample();
	char *text = serialize(d);
	size_t len = strlen(text), n, accepted = 0;

	/* a truncated file either fails or reads back as exactly what it
	 * says: never as a set with a record half read */
	for (n = 0; n < len; n++) {
		struct gg_defs *p = parse_len(text, n);

		if (p) {
			char *again = serialize(p);

			accepted++;
			if (strlen(again) != n || memcmp(again, text, n))
				printf("#   prefix of %zu bytes read as:\n%s",
				       n, again);
			TAP_CHECK(strlen(again) == n &&
				  !memcmp(again, text, n));
			TAP_CHECK(n && text[n - 1] == '\n');
			free(again);
		}
		gg_defs_free(p);
	}
	TAP_CHECK(accepted >= 2); /* the header alone, the Z, C, I lines */
	gg_defs_free(d);
	free(text);
}

static void test_defs__many_sources_and_apps_round_trip(void)
{
	struct gg_defs *d = gg_defs_empty(), *back;
	struct gg_def_file *f;
	char *text;
	size_t i, j;

	set_oid(&d->tree, TREE);
	GG_ALLOC_GROW(d->files, 1, d->files_alloc);
	d->nfiles = 1;
	f = &d->files[0];
	memset(f, 0, sizeof(*f));
	f->path = str(d, "apps.yaml");
	set_oid(&f->blob, BLOB2);
	f->kinds = GG_DEF_APPLICATION;
	f->apps = gg_arena_alloc(&d->arena, 300 * sizeof(*f->apps));
	for (i = 0; i < 300; i++) {
		struct gg_def_app *a = &f->apps[f->napps++];
		char name[32];

		snprintf(name, sizeof(name), "app-%zu", i);
		a->name = str(d, name);
		a->line = (unsigned)i * 20 + 1;
		a->enabled = a->prune = a->self_heal = a->allow_empty = -1;
		a->sources = gg_arena_alloc(&d->arena, 5 * sizeof(*a->sources));
		for (j = 0; j < 5; j++) {
			a->sources[a->nsources].path = str(d, name);
			a->sources[a->nsources++].recurse = -1;
		}
	}
	text = serialize(d);
	back = parse(text);
	TAP_CHECK(back);
	if (back)
		check_same(d, back);
	gg_defs_free(back);
	gg_defs_free(d);
	free(text);
}

static void test_defs__many_kustomize_references_round_trip(void)
{
	struct gg_defs *d = gg_defs_empty(), *back;
	struct gg_kfile *k;
	char *text;
	size_t i;

	/* a kustomization listing a hundred files is ordinary */
	set_oid(&d->tree, TREE);
	GG_ALLOC_GROW(d->kfiles, 1, d->kfiles_alloc);
	d->nkfiles = 1;
	k = &d->kfiles[0];
	memset(k, 0, sizeof(*k));
	k->path = str(d, "big/kustomization.yaml");
	k->dir = str(d, "big");
	set_oid(&k->blob, BLOB1);
	k->resources = gg_arena_alloc(&d->arena, 100 * sizeof(char *));
	k->others = gg_arena_alloc(&d->arena, 70 * sizeof(char *));
	for (i = 0; i < 100; i++) {
		char name[32];

		snprintf(name, sizeof(name), "big/r%03zu.yaml", i);
		k->resources[k->nresources++] = str(d, name);
	}
	for (i = 0; i < 70; i++) {
		char name[32];

		snprintf(name, sizeof(name), "big/p%03zu.yaml", i);
		k->others[k->nothers++] = str(d, name);
	}
	text = serialize(d);
	back = parse(text);
	TAP_CHECK(back);
	if (back)
		check_same(d, back);
	gg_defs_free(back);
	gg_defs_free(d);
	free(text);
}

int main(void)
{
	TAP_RUN(test_defs__resolve_normalises_dot_dot);
	TAP_RUN(test_defs__resolve_flags_urls_and_escapes_remote);
	TAP_RUN(test_defs__resolve_leaves_remote_flag_alone_when_local);
	TAP_RUN(test_defs__text_filter_sees_escaped_api_groups);
	TAP_RUN(test_defs__round_trip_keeps_every_field);
	TAP_RUN(test_defs__cache_lines_hold_no_raw_tab_or_newline_in_fields);
	TAP_RUN(test_defs__empty_set_round_trips);
	TAP_RUN(test_defs__parsed_records_are_sorted_for_lookups);
	TAP_RUN(test_defs__lookups_in_the_empty_set);
	TAP_RUN(test_defs__refuses_a_wrong_header);
	TAP_RUN(test_defs__refuses_records_out_of_place);
	TAP_RUN(test_defs__refuses_bad_numbers);
	TAP_RUN(test_defs__refuses_fewer_children_than_declared);
	TAP_RUN(test_defs__refuses_absent_required_fields);
	TAP_RUN(test_defs__refuses_absent_paths_that_lookups_compare);
	TAP_RUN(test_defs__refuses_an_empty_number);
	TAP_RUN(test_defs__refuses_nul_bytes);
	TAP_RUN(test_defs__every_prefix_is_refused_or_exact);
	TAP_RUN(test_defs__out_of_range_counts_are_refused_not_fatal);
	TAP_RUN(test_defs__garbage_is_refused_without_crashing);
	TAP_RUN(test_defs__many_kustomize_references_round_trip);
	TAP_RUN(test_defs__many_sources_and_apps_round_trip);
	return tap_done();
}
