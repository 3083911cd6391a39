/*
 * Unit tests for rule packs: the field path parser and walker, the
 * pattern / absent / equals tests, kinds, placeholders (pack-match.c),
 * and strict validation of pack files with file:line:col (pack.c,
 * pack-parse.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "pack.h"
#include "regex.h"
#include "xalloc.h"
#include "yamlload.h"
#include "tap.h"

/* --- helpers -------------------------------------------------------------- */

static struct gg_yfile *parse(const char *yaml)
{
	struct gg_yfile *f = NULL;

	if (gg_yaml_parse(&f, NULL, yaml, strlen(yaml), NULL) < 0) {
		printf("#   literal does not parse: %s\n", gg_error_last());
		tap_cur_failed = 1;
	}
	return f;
}

/* Every hit of a walk as "path=value", "path=<absent>" or "path=<map>",
 * with the line of the node near it, one per line. */
static int collect(const struct gg_fhit *hit, void *payload)
{
	struct gg_buf *b = payload;
	const char *v = !hit->node			? "<absent>"
			: hit->node->kind == GG_YSCALAR ? hit->node->u.scalar.s
			: hit->node->kind == GG_YMAP	? "<map>"
							: "<list>";

	gg_buf_addf(b, "%s=%s@%u\n", hit->path, v,
		    hit->near ? hit->near->line : 0);
	return 0;
}

static char *walk(const char *path, const struct gg_ynode *root)
{
	struct gg_fpath fp;
	struct gg_buf b = GG_BUF_INIT;

	if (gg_fpath_parse(&fp, path) < 0) {
		printf("#   '%s' does not parse: %s\n", path, gg_error_last());
		tap_cur_failed = 1;
	} else {
		gg_fpath_walk(&fp, root, collect, &b);
	}
	gg_fpath_release(&fp);
	return gg_buf_detach(&b, NULL);
}

#define CHECK_WALK(path, root, want)                                           \
	do {                                                                   \
		char *got_ = walk(path, root);                                 \
		TAP_CHECK_STR(got_, want);                                     \
		free(got_);                                                    \
	} while (0)

static int parse_err(const char *path)
{
	struct gg_fpath fp;
	int err = gg_fpath_parse(&fp, path);

	gg_fpath_release(&fp);
	return err;
}

/* --- field paths ---------------------------------------------------------- */

static void test_pack__field_paths_parse_into_steps(void)
{
	struct gg_fpath fp;

	TAP_CHECK_INT(gg_fpath_parse(&fp, "spec.containers[*].image"), 0);
	TAP_CHECK_INT(fp.nr, 4);
	TAP_CHECK_STR(fp.steps[1].key, "containers");
	TAP_CHECK_INT(fp.steps[2].kind, GG_FSTEP_EVERY);
	TAP_CHECK_STR(fp.steps[3].key, "image");
	gg_fpath_release(&fp);
	TAP_CHECK_INT(gg_fpath_parse(&fp, "metadata.annotations[\"a.b/c\"]"
					  "['x'][12]"),
		      0);
	TAP_CHECK_INT(fp.nr, 5);
	TAP_CHECK_STR(fp.steps[2].key, "a.b/c");
	TAP_CHECK_STR(fp.steps[3].key, "x");
	TAP_CHECK_INT(fp.steps[4].kind, GG_FSTEP_INDEX);
	TAP_CHECK_INT(fp.steps[4].index, 12);
	gg_fpath_release(&fp);
}

static void test_pack__bad_field_paths_say_where(void)
{
	TAP_CHECK_INT(parse_err(""), GG_EINVALID);
	TAP_CHECK_STR(gg_error_last(), "expected a key at character 1");
	TAP_CHECK_INT(parse_err("a..b"), GG_EINVALID);
	TAP_CHECK_STR(gg_error_last(), "expected a key at character 3");
	TAP_CHECK_INT(parse_err("a[x]"), GG_EINVALID);
	TAP_CHECK_STR(gg_error_last(), "expected '*', a number or a quoted "
				       "key at character 3");
	TAP_CHECK_INT(parse_err("a[1"), GG_EINVALID);
	TAP_CHECK_STR(gg_error_last(), "expected ']' at character 4");
	TAP_CHECK_INT(parse_err("a[\"\"]"), GG_EINVALID);
	TAP_CHECK_INT(parse_err("a b"), GG_EINVALID);
	TAP_CHECK_STR(gg_error_last(),
		      "expected '.', '[' or the end at character 2");
	TAP_CHECK_INT(parse_err("[0]"), GG_EINVALID);
	TAP_CHECK_INT(parse_err("a[9999999]"), GG_EINVALID);
	TAP_CHECK_INT(parse_err("a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a."
				"a.a.a.a.a.a.a.a.a.a.a.a"),
		      GG_EINVALID);
	TAP_CHECK_STR(gg_error_last(), "more than 32 steps at character 66");
}

static const char pod[] = "spec:\n"		   /* 1 */
			  "  containers:\n"	   /* 2 */
			  "    - name: a\n"	   /* 3 */
			  "      image: x:1\n"	   /* 4 */
			  "    - name: b\n"	   /* 5 */
			  "      resources:\n"	   /* 6 */
			  "        limits: {}\n"   /* 7 */
			  "  volumes: ~\n"	   /* 8 */
			  "metadata:\n"		   /* 9 */
			  "  labels:\n"		   /* 10 */
			  "    app: web\n"	   /* 11 */
			  "    a.b/c: \"true\"\n"; /* 12 */

static void test_pack__walk_yields_values_and_absences(void)
{
	struct gg_yfile *f = parse(pod);
	const struct gg_ynode *root = f ? f->docs[0].root : NULL;

	CHECK_WALK("spec.containers[*].image", root,
		   "spec.containers[0].image=x:1@4\n"
		   "spec.containers[1].image=<absent>@5\n");
	CHECK_WALK("spec.containers[1].resources.limits", root,
		   "spec.containers[1].resources.limits=<map>@7\n");
	CHECK_WALK("spec.containers[5].image", root,
		   "spec.containers[5].image=<absent>@3\n");
	CHECK_WALK("spec.missing.key", root, "spec.missing.key=<absent>@2\n");
	CHECK_WALK("spec.volumes", root, "spec.volumes=<absent>@8\n");
	CHECK_WALK("metadata.labels[*]", root,
		   "metadata.labels.app=web@11\n"
		   "metadata.labels[\"a.b/c\"]=true@12\n");
	CHECK_WALK("spec.containers", root, "spec.containers=<list>@3\n");
	gg_yaml_free(f);
}

static void test_pack__walk_has_no_items_of_a_missing_list(void)
{
	struct gg_yfile *f = parse(pod);
	const struct gg_ynode *root = f ? f->docs[0].root : NULL;

	CHECK_WALK("spec.initContainers[*].image", root, "");
	CHECK_WALK("spec.volumes[*].hostPath", root, "");
	CHECK_WALK("spec.containers[*].name.x[*]", root, "");
	CHECK_WALK("x", NULL, "x=<absent>@0\n");
	gg_yaml_free(f);
}

/* --- tests of values ------------------------------------------------------ */

static int fires(const struct gg_pack_field *f, const char *yaml)
{
	struct gg_yfile *y = parse(yaml);
	int ret = y ? gg_pack_field_fires(f, gg_ynode_get(y->docs[0].root, "v"))
		    : -1;

	gg_yaml_free(y);
	return ret;
}

static void test_pack__absent_means_missing_null_or_empty(void)
{
	struct gg_pack_field f;

	memset(&f, 0, sizeof(f));
	f.test = GG_PACK_ABSENT;
	TAP_CHECK_INT(fires(&f, "w: 1"), 1);
	TAP_CHECK_INT(fires(&f, "v: ~"), 1);
	TAP_CHECK_INT(fires(&f, "v: {}"), 1);
	TAP_CHECK_INT(fires(&f, "v: []"), 1);
	TAP_CHECK_INT(fires(&f, "v: ''"), 1);
	TAP_CHECK_INT(fires(&f, "v: {a: 1}"), 0);
	TAP_CHECK_INT(fires(&f, "v: 0"), 0);
}

static void test_pack__equals_compares_typed(void)
{
	struct gg_yfile *w = parse("b: true\nn: 1.5\ns: Always\nq: \"true\"\n");
	struct gg_pack_field f;

	memset(&f, 0, sizeof(f));
	f.test = GG_PACK_EQUALS;
	f.equals = gg_ynode_get(w->docs[0].root, "b");
	TAP_CHECK_INT(fires(&f, "v: true"), 1);
	TAP_CHECK_INT(fires(&f, "v: yes"), 1);
	TAP_CHECK_INT(fires(&f, "v: \"true\""), 0);
	TAP_CHECK_INT(fires(&f, "v: false"), 0);
	TAP_CHECK_INT(fires(&f, "w: true"), 0);
	f.equals = gg_ynode_get(w->docs[0].root, "n");
	TAP_CHECK_INT(fires(&f, "v: 1.50"), 1);
	TAP_CHECK_INT(fires(&f, "v: 2"), 0);
	f.equals = gg_ynode_get(w->docs[0].root, "s");
	TAP_CHECK_INT(fires(&f, "v: Always"), 1);
	TAP_CHECK_INT(fires(&f, "v: always"), 0);
	f.equals = gg_ynode_get(w->docs[0].root, "q");
	TAP_CHECK_INT(fires(&f, "v: \"true\""), 1);
	TAP_CHECK_INT(fires(&f, "v: true"), 1);
	TAP_CHECK_INT(fires(&f, "v: {a: true}"), 0);
	gg_yaml_free(w);
}

static void test_pack__patterns_search_scalars(void)
{
	struct gg_pack_field f;

	memset(&f, 0, sizeof(f));
	f.test = GG_PACK_PATTERN;
	TAP_CHECK_INT(gg_regex_compile(&f.re,
				       "^(?!.*@)(?:[^/]+/)*[^/:]+(?::latest)?$",
				       0),
		      0);
	TAP_CHECK_INT(fires(&f, "v: nginx"), 1);
	TAP_CHECK_INT(fires(&f, "v: nginx:latest"), 1);
	TAP_CHECK_INT(fires(&f, "v: reg:5000/a/b"), 1);
	TAP_CHECK_INT(fires(&f, "v: reg:5000/a/b:1.2"), 0);
	TAP_CHECK_INT(fires(&f, "v: nginx@sha256:00"), 0);
	TAP_CHECK_INT(fires(&f, "v: [nginx]"), 0);
	TAP_CHECK_INT(fires(&f, "v: ~"), 0);
	TAP_CHECK_INT(fires(&f, "w: nginx"), 0);
	gg_regex_free(f.re);
}

static void test_pack__kinds_name_groups_or_versions(void)
{
	char deploy[] = "Deployment", apps[] = "apps", star[] = "*";
	char ext[] = "extensions/v1beta1", v1[] = "v1", podk[] = "Pod";
	struct gg_pack_kind any = { NULL, deploy };
	struct gg_pack_kind group = { apps, deploy };
	struct gg_pack_kind version = { ext, star };
	struct gg_pack_kind core = { v1, podk };

	TAP_CHECK(gg_pack_kind_match(&any, "apps/v1", "Deployment"));
	TAP_CHECK(gg_pack_kind_match(&any, NULL, "Deployment"));
	TAP_CHECK(!gg_pack_kind_match(&any, "apps/v1", "deployment"));
	TAP_CHECK(gg_pack_kind_match(&group, "apps/v1beta2", "Deployment"));
	TAP_CHECK(!gg_pack_kind_match(&group, "appsx/v1", "Deployment"));
	TAP_CHECK(!gg_pack_kind_match(&group, NULL, "Deployment"));
	TAP_CHECK(
		gg_pack_kind_match(&version, "extensions/v1beta1", "Ingress"));
	TAP_CHECK(
		!gg_pack_kind_match(&version, "extensions/v1beta2", "Ingress"));
	TAP_CHECK(!gg_pack_kind_match(&version, "extensions/v1beta1", NULL));
	TAP_CHECK(gg_pack_kind_match(&core, "v1", "Pod"));
	TAP_CHECK(!gg_pack_kind_match(&core, "v1beta1", "Pod"));
}

/* --- messages ------------------------------------------------------------- */

static void test_pack__placeholders_are_replaced(void)
{
	struct gg_pack_vars v = { "web",    NULL, "Deployment", "apps/v1",
				  "spec.x", NULL, "a.yaml",	"prod" };
	struct gg_buf b = GG_BUF_INIT;
	char big[300];

	gg_pack_format(&b,
		       "{kind} '{name}' in {namespace}{env}: {path}={value} "
		       "{x} {{name}} { {apiVersion} {file}{",
		       &v);
	TAP_CHECK_STR(b.buf, "Deployment 'web' in prod: spec.x= {x} {web} { "
			     "apps/v1 a.yaml{");
	gg_buf_reset(&b);
	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	v.value = big;
	gg_pack_format(&b, "{value}", &v);
	TAP_CHECK_INT(b.len, 123);
	TAP_CHECK_STR(b.buf + 120, "...");
	gg_buf_release(&b);
	TAP_CHECK_INT(gg_pack_template_check("{name} {{ } {Name"), 0);
	TAP_CHECK_INT(gg_pack_template_check("a {image} b"), GG_EINVALID);
	TAP_CHECK(
		!strncmp(gg_error_last(), "unknown placeholder '{image}'", 29));
}

/* --- packs ---------------------------------------------------------------- */

static const char good[] =
	"version: 1\n"
	"pack: test\n"
	"description: a test pack\n"
	"rules:\n"
	"  - name: both\n"
	"    severity: confirm\n"
	"    summary: adds a thing\n"
	"    explain: because\n"
	"    match:\n"
	"      kinds: [v1/Pod, apps/*, Job]\n"
	"      paths: ['apps/**']\n"
	"      environments: [prod]\n"
	"      fields:\n"
	"        - path:\n"
	"            - spec.containers[*].image\n"
	"            - 'spec.x'\n"
	"          pattern: ':latest$'\n"
	"        - path: spec.hostNetwork\n"
	"          equals: true\n"
	"    message: '{kind} {name}: {value}'\n"
	"    hint: fix {path}\n"
	"    examples:\n"
	"      - files: {apps/a.yaml: 'kind: Pod'}\n"
	"        before: {apps/b.yaml: 'kind: Pod'}\n"
	"        expect: reject\n"
	"        finding: 'apps/a.yaml:1: Pod'\n"
	"  - name: other\n"
	"    severity: info\n"
	"    summary: adds another thing\n"
	"    explain: because\n"
	"    match: {kinds: [Secret]}\n"
	"    message: m\n"
	"    examples: [{files: {x.yaml: ''}, expect: accept}]\n";

static void test_pack__a_good_pack_loads(void)
{
	struct gg_packs *ps = gg_packs_new();
	const struct gg_pack_rule *r;

	TAP_CHECK_INT(gg_packs_load_buffer(ps, "test", "test.yaml", good,
					   strlen(good)),
		      0);
	TAP_CHECK_INT(gg_packs_nrules(ps), 2);
	r = gg_packs_rule(ps, "test/both");
	TAP_CHECK(r);
	if (r) {
		TAP_CHECK_STR(r->info.id, "test/both");
		TAP_CHECK_INT(r->info.severity, GG_SEV_CONFIRM);
		TAP_CHECK_INT(r->nkinds, 3);
		TAP_CHECK_STR(r->kinds[1].api, "apps");
		TAP_CHECK_STR(r->kinds[1].kind, "*");
		TAP_CHECK(!r->kinds[2].api);
		TAP_CHECK_INT(r->nfields, 2);
		TAP_CHECK_INT(r->fields[0].npaths, 2);
		TAP_CHECK_STR(r->fields[0].text, "spec.containers[*].image");
		TAP_CHECK_INT(r->nexamples, 1);
		TAP_CHECK_STR(r->examples[0].files.v[0], "apps/a.yaml");
		TAP_CHECK_STR(r->examples[0].before.v[1], "kind: Pod");
		TAP_CHECK_INT(r->examples[0].reject, 1);
		TAP_CHECK_STR(r->hint, "fix {path}");
		TAP_CHECK(gg_pack_rule_kinds(r, "apps/v1", "Deployment"));
		TAP_CHECK(!gg_pack_rule_kinds(r, "v1beta1", "Pod"));
	}
	TAP_CHECK(!gg_packs_rule(ps, "test/nope"));
	TAP_CHECK(!gg_packs_rule(ps, "tes/both"));
	TAP_CHECK(!gg_packs_rule(ps, "both"));
	gg_packs_free(ps);
}

static int fire_count(const struct gg_fhit *hit, void *payload)
{
	(void)hit;
	(*(int *)payload)++;
	return 0;
}

static void test_pack__all_fields_must_fire(void)
{
	struct gg_packs *ps = gg_packs_new();
	struct gg_yfile *on = parse("spec:\n  hostNetwork: true\n"
				    "  containers: [{image: a:latest}, "
				    "{image: b:1}, {image: c:latest}]\n");
	struct gg_yfile *off =
		parse("spec:\n  containers: [{image: a:latest}]\n");
	const struct gg_pack_rule *r;
	int n = 0, limited = 0;

	gg_packs_load_buffer(ps, "test", "test.yaml", good, strlen(good));
	r = gg_packs_rule(ps, "test/both");
	if (r && on && off) {
		gg_pack_rule_fire(r, on->docs[0].root, fire_count, &n,
				  &limited);
		TAP_CHECK_INT(n, 2);
		n = 0;
		gg_pack_rule_fire(r, off->docs[0].root, fire_count, &n,
				  &limited);
		TAP_CHECK_INT(n, 0);
		r = gg_packs_rule(ps, "test/other");
		n = 0;
		gg_pack_rule_fire(r, off->docs[0].root, fire_count, &n,
				  &limited);
		TAP_CHECK_INT(n, 1);
	}
	TAP_CHECK_INT(limited, 0);
	gg_yaml_free(on);
	gg_yaml_free(off);
	gg_packs_free(ps);
}

/* `good` with `from` replaced by `to`: the error of loading it. */
static const char *bad_pack(const char *name, const char *from, const char *to)
{
	static char err[512];
	struct gg_packs *ps = gg_packs_new();
	const char *at = strstr(good, from);
	char *yaml;

	if (!at)
		return "(no such text in the pack)";
	yaml = gg_xasprintf("%.*s%s%s", (int)(at - good), good, to,
			    at + strlen(from));
	if (gg_packs_load_buffer(ps, name, "p.yaml", yaml, strlen(yaml)) == 0)
		snprintf(err, sizeof(err), "(loads)");
	else
		snprintf(err, sizeof(err), "%s", gg_error_last());
	if (strcmp(ps->v[0]->error ? ps->v[0]->error : "", err))
		snprintf(err, sizeof(err), "(error not kept)");
	TAP_CHECK_INT(ps->v[0]->nrules, 0);
	free(yaml);
	gg_packs_free(ps);
	return err;
}

#define CHECK_BAD(from, to, msg) TAP_CHECK_STR(bad_pack("test", from, to), msg)

static void test_pack__bad_packs_say_file_line_and_column(void)
{
	CHECK_BAD("version: 1", "version: 2",
		  "p.yaml:1:10: unsupported pack version (only 1 is known)");
	CHECK_BAD("pack: test", "pack: other",
		  "p.yaml:2:7: the pack is named 'other' but its file 'test'");
	CHECK_BAD("description: a test pack\n", "",
		  "p.yaml:1:1: missing 'description'");
	CHECK_BAD("    severity: confirm", "    severity: high",
		  "p.yaml:6:15: bad severity 'high' (off, info, warn, confirm "
		  "or block)");
	CHECK_BAD("    explain: because\n    match:",
		  "    explain: because\n    colour: red\n    match:",
		  "p.yaml:9:5: unknown key 'colour' in 'rules[]'");
	CHECK_BAD("name: other", "name: both",
		  "p.yaml:27:11: rule 'both' is defined twice");
	CHECK_BAD("name: other", "name: Other",
		  "p.yaml:27:11: bad rule name 'Other' (lowercase letters, "
		  "digits and '-')");
	CHECK_BAD("v1/Pod", "v1/Pod/", "p.yaml:10:15: bad kind 'v1/Pod/'");
	CHECK_BAD("v1/Pod", "/Pod", "p.yaml:10:15: bad apiVersion in '/Pod'");
	CHECK_BAD("':latest$'", "'(unclosed'",
		  "p.yaml:17:20: bad pattern: missing closing parenthesis at "
		  "offset 9");
	CHECK_BAD("'spec.x'", "'spec..x'",
		  "p.yaml:16:15: bad field path 'spec..x': expected a key at "
		  "character 6");
	CHECK_BAD("          equals: true", "          absent: false",
		  "p.yaml:19:19: 'absent' can only be true");
	CHECK_BAD(
		"          equals: true",
		"          equals: true\n          absent: true",
		"p.yaml:18:11: each of 'match.fields' needs one of 'pattern', "
		"'absent: true' or 'equals'");
	CHECK_BAD("{kind} {name}: {value}", "{kind} {image}",
		  "p.yaml:20:14: unknown placeholder '{image}' (known: {name}, "
		  "{namespace}, {kind}, {apiVersion}, {path}, {value}, {file}, "
		  "{env}) in 'message'");
	CHECK_BAD("apps/a.yaml:", "../a.yaml:",
		  "p.yaml:23:17: bad path '../a.yaml' in 'examples[].files'");
	CHECK_BAD("{apps/a.yaml: 'kind: Pod'}",
		  "{apps/a.yaml: 'kind: Pod', apps/a.yaml: x}",
		  "p.yaml:23:43: 'apps/a.yaml' is twice in 'examples[].files'");
	CHECK_BAD("expect: reject", "expect: maybe",
		  "p.yaml:25:17: 'expect' must be accept or reject");
	CHECK_BAD("expect: accept", "expect: accept, finding: x",
		  "p.yaml:33:63: only an example that expects reject has a "
		  "'finding'");
	CHECK_BAD("    examples: [{files: {x.yaml: ''}, expect: accept}]\n", "",
		  "p.yaml:27:5: missing 'examples' (gitops-packs(5))");
	CHECK_BAD("match: {kinds: [Secret]}", "match: {paths: ['**']}",
		  "p.yaml:31:12: 'match' needs 'kinds' or 'fields'");
	CHECK_BAD("rules:", "rules: []\nx:",
		  "p.yaml:5:1: unknown key 'x' in 'pack'");
	CHECK_BAD("version: 1\n", "version: 1\n: [",
		  "p.yaml:2:1: did not find expected key");
	TAP_CHECK_STR(bad_pack("secret", "pack: test", "pack: secret"),
		      "p.yaml: 'secret' is a built-in rule family, not a pack "
		      "name");
	TAP_CHECK_STR(bad_pack("Test", "pack: test", "pack: Test"),
		      "p.yaml: a pack file is named <name>.yaml, the name in "
		      "lowercase letters, digits and '-'");
}

/* --- directories ---------------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		tap_cur_failed = 1;
		return;
	}
	fputs(text, f);
	fclose(f);
}

static void test_pack__directories_load_in_order(void)
{
	char tmpl[] = "/tmp/u-pack.XXXXXX";
	char *dir = mkdtemp(tmpl), *a, *b, *dirs;
	struct gg_packs *ps = gg_packs_new();
	char *p[5];
	size_t i;

	if (!dir) {
		tap_cur_failed = 1;
		return;
	}
	a = gg_xasprintf("%s/a", dir);
	b = gg_xasprintf("%s/b", dir);
	mkdir(a, 0777);
	mkdir(b, 0777);
	p[0] = gg_xasprintf("%s/test.yaml", a);
	p[1] = gg_xasprintf("%s/test.yml", b);
	p[2] = gg_xasprintf("%s/broken.yml", b);
	p[3] = gg_xasprintf("%s/notes.txt", b);
	p[4] = gg_xasprintf("%s/.hidden.yaml", b);
	write_file(p[0], good);
	write_file(p[1], good);
	write_file(p[2], "version: 1\npack: broken\n");
	write_file(p[3], "x");
	write_file(p[4], "x");
	dirs = gg_xasprintf("%s/none:%s:%s:", dir, a, b);
	gg_packs_load_dirs(ps, dirs);
	TAP_CHECK_INT(ps->nr, 2);
	TAP_CHECK_STR(ps->v[0]->file, p[0]);
	TAP_CHECK(!ps->v[0]->error);
	TAP_CHECK_STR(ps->v[1]->name, "broken");
	TAP_CHECK(ps->v[1]->error &&
		  strstr(ps->v[1]->error, "broken.yml:1:1: missing "
					  "'description'"));
	TAP_CHECK_INT(ps->notes.nr, 1);
	TAP_CHECK(strstr(ps->notes.v[0], "test.yml' is hidden by '"));
	gg_packs_free(ps);
	for (i = 0; i < 5; i++) {
		unlink(p[i]);
		free(p[i]);
	}
	rmdir(a);
	rmdir(b);
	rmdir(dir);
	free(a);
	free(b);
	free(dirs);
}

int main(void)
{
	TAP_RUN(test_pack__field_paths_parse_into_steps);
	TAP_RUN(test_pack__bad_field_paths_say_where);
	TAP_RUN(test_pack__walk_yields_values_and_absences);
	TAP_RUN(test_pack__walk_has_no_items_of_a_missing_list);
	TAP_RUN(test_pack__absent_means_missing_null_or_empty);
	TAP_RUN(test_pack__equals_compares_typed);
	TAP_RUN(test_pack__patterns_search_scalars);
	TAP_RUN(test_pack__kinds_name_groups_or_versions);
	TAP_RUN(test_pack__placeholders_are_replaced);
	TAP_RUN(test_pack__a_good_pack_loads);
	TAP_RUN(test_pack__all_fields_must_fire);
	TAP_RUN(test_pack__bad_packs_say_file_line_and_column);
	TAP_RUN(test_pack__directories_load_in_order);
	return tap_done();
}
