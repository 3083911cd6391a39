/*
 * Unit tests for yamlload.c: YAML files as node trees with positions,
 * shared aliases, merge keys, YAML 1.1 typing, and the limits that keep
 * hostile files (alias bombs, deep nesting) cheap to refuse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guard.h"
#include "yamlload.h"
#include "tap.h"

static struct gg_yfile *load(const char *s)
{
	struct gg_yfile *f = NULL;

	if (gg_yaml_parse(&f, NULL, s, strlen(s), NULL) < 0) {
		printf("#   parse failed: %s\n", gg_error_last());
		return NULL;
	}
	return f;
}

static const struct gg_ynode *root(const struct gg_yfile *f)
{
	return f && f->ndocs ? f->docs[0].root : NULL;
}

static int parse_err(struct gg_ymark *at, const char *s, size_t len,
		     const struct gg_yaml_limits *lim)
{
	struct gg_yfile *f = (struct gg_yfile *)1;
	int err = gg_yaml_parse(&f, at, s, len, lim);

	if (!err)
		gg_yaml_free(f);
	else if (f)
		return 1; /* *out must be NULL on failure */
	return err;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_yamlload__scalars_maps_and_sequences(void)
{
	struct gg_yfile *f = load("a: 1\nb: [x, 'y', \"z\"]\nc:\n  d: e\n");
	const struct gg_ynode *r = root(f), *b;

	TAP_CHECK_INT(f->ndocs, 1);
	TAP_CHECK(gg_ynode_is_map(r));
	TAP_CHECK_INT(gg_ynode_count(r), 3);
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_get(r, "a")), "1");
	b = gg_ynode_get(r, "b");
	TAP_CHECK(gg_ynode_is_seq(b));
	TAP_CHECK_INT(gg_ynode_count(b), 3);
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_item(b, 0)), "x");
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_item(b, 2)), "z");
	TAP_CHECK(!gg_ynode_item(b, 3));
	TAP_CHECK(!(gg_ynode_item(b, 0)->flags & GG_YQUOTED));
	TAP_CHECK(gg_ynode_item(b, 1)->flags & GG_YQUOTED);
	TAP_CHECK(gg_ynode_item(b, 2)->flags & GG_YQUOTED);
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_path(r, "c.d")), "e");
	TAP_CHECK(!gg_ynode_path(r, "c.d.e"));
	TAP_CHECK(!gg_ynode_path(r, "x.y"));
	TAP_CHECK(!gg_ynode_get(r, "nope"));
	TAP_CHECK(!gg_ynode_get(b, "x"));
	TAP_CHECK(!gg_ynode_str(b));
	TAP_CHECK(!gg_ynode_item(r, 0));
	TAP_CHECK_INT(b->size, 4);
	/* the map, 3 keys, 1, the list and its 3 items, {d: e} */
	TAP_CHECK_INT(r->size, 12);
	gg_yaml_free(f);
}

static void test_yamlload__positions_are_one_based(void)
{
	struct gg_yfile *f = load("# comment\nspec:\n  path: apps/x\n"
				  "  list:\n    - a\n    -   b\n");
	const struct gg_ynode *r = root(f), *n;

	TAP_CHECK_INT(r->line, 2);
	TAP_CHECK_INT(r->col, 1);
	n = gg_ynode_path(r, "spec.path");
	TAP_CHECK_INT(n->line, 3);
	TAP_CHECK_INT(n->col, 9);
	n = gg_ynode_item(gg_ynode_path(r, "spec.list"), 1);
	TAP_CHECK_INT(n->line, 6);
	TAP_CHECK_INT(n->col, 9);
	TAP_CHECK_INT(r->u.map.pairs[0].key->line, 2);
	gg_yaml_free(f);
}

static void test_yamlload__syntax_error_says_where(void)
{
	struct gg_ymark at = { 0, 0 };
	static const char s[] = "a: 1\nb: [1, 2\n";

	TAP_CHECK_INT(parse_err(&at, s, sizeof(s) - 1, NULL), GG_EINVALID);
	TAP_CHECK_INT(at.line, 3);
	TAP_CHECK(*gg_error_last());
	TAP_CHECK(!strstr(gg_error_last(), "line"));
	TAP_CHECK_INT(parse_err(&at, "a: b: c\n", 8, NULL), GG_EINVALID);
	TAP_CHECK_INT(at.line, 1);
	TAP_CHECK_INT(at.col, 5);
}

static void test_yamlload__multi_document_streams(void)
{
	struct gg_yfile *f = load("a: 1\n---\nb: 2\n---\n---\nc: 3\n...\n");

	TAP_CHECK_INT(f->ndocs, 4);
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_get(f->docs[0].root, "a")), "1");
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_get(f->docs[1].root, "b")), "2");
	TAP_CHECK(gg_ynode_is_null(f->docs[2].root));
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_get(f->docs[3].root, "c")), "3");
	TAP_CHECK_INT(f->docs[0].line, 1);
	TAP_CHECK_INT(f->docs[1].line, 2);
	TAP_CHECK_INT(f->docs[3].line, 5);
	gg_yaml_free(f);
	f = load("");
	TAP_CHECK_INT(f->ndocs, 0);
	gg_yaml_free(f);
	f = load("# only a comment\n");
	TAP_CHECK_INT(f->ndocs, 0);
	gg_yaml_free(f);
}

static void test_yamlload__document_limit(void)
{
	struct gg_yaml_limits lim = gg_yaml_default_limits;
	struct gg_ymark at = { 0, 0 };
	static const char s[] = "a: 1\n---\nb: 2\n---\nc: 3\n";

	lim.max_docs = 2;
	TAP_CHECK_INT(parse_err(&at, s, sizeof(s) - 1, &lim), GG_ELIMIT);
	TAP_CHECK_INT(at.line, 4); /* the third document's "---" */
	lim.max_docs = 3;
	TAP_CHECK_INT(parse_err(&at, s, sizeof(s) - 1, &lim), 0);
}

static void test_yamlload__anchors_and_aliases_are_shared(void)
{
	struct gg_yfile *f = load("base: &b {x: 1, y: [1, 2]}\n"
				  "one: *b\ntwo: *b\ns: &s str\nt: *s\n");
	const struct gg_ynode *r = root(f);

	TAP_CHECK(gg_ynode_get(r, "one") == gg_ynode_get(r, "base"));
	TAP_CHECK(gg_ynode_get(r, "two") == gg_ynode_get(r, "base"));
	TAP_CHECK(gg_ynode_get(r, "t") == gg_ynode_get(r, "s"));
	TAP_CHECK_INT(gg_ynode_get(r, "base")->size, 7);
	/* 5 keys + base (7) expanded three times + "str" twice */
	TAP_CHECK_INT(r->size, 1 + 5 + 3 * 7 + 2);
	gg_yaml_free(f);
}

static void test_yamlload__anchors_do_not_cross_documents(void)
{
	struct gg_ymark at = { 0, 0 };
	static const char s[] = "a: &x 1\n---\nb: *x\n";

	TAP_CHECK_INT(parse_err(&at, s, sizeof(s) - 1, NULL), GG_EINVALID);
	TAP_CHECK_INT(at.line, 3);
}

static void test_yamlload__redefined_anchor_takes_the_later_node(void)
{
	struct gg_yfile *f = load("a: &x 1\nb: &x 2\nc: *x\n");

	TAP_CHECK_STR(gg_ynode_str(gg_ynode_get(root(f), "c")), "2");
	gg_yaml_free(f);
}

static void test_yamlload__recursive_alias_is_refused(void)
{
	struct gg_ymark at = { 0, 0 };
	static const char seq[] = "a: &x [1, *x]\n";
	static const char map[] = "&x {a: *x}\n";

	TAP_CHECK_INT(parse_err(&at, seq, sizeof(seq) - 1, NULL), GG_EINVALID);
	TAP_CHECK(strstr(gg_error_last(), "alias"));
	TAP_CHECK_INT(at.line, 1);
	TAP_CHECK_INT(at.col, 11);
	TAP_CHECK_INT(parse_err(&at, map, sizeof(map) - 1, NULL), GG_EINVALID);
	TAP_CHECK_INT(parse_err(&at, "*x\n", 3, NULL), GG_EINVALID);
}

/* The classic "billion laughs": 9 levels of 10 aliases each. */
static char *alias_bomb(int levels, int fanout)
{
	struct gg_buf b = GG_BUF_INIT;
	int i, j;

	gg_buf_adds(&b, "l0: &l0 [lol]\n");
	for (i = 1; i < levels; i++) {
		gg_buf_addf(&b, "l%d: &l%d [", i, i);
		for (j = 0; j < fanout; j++)
			gg_buf_addf(&b, "%s*l%d", j ? ", " : "", i - 1);
		gg_buf_adds(&b, "]\n");
	}
	return gg_buf_detach(&b, NULL);
}

static void test_yamlload__alias_bomb_is_refused_quickly(void)
{
	struct gg_ymark at = { 0, 0 };
	struct timespec t0;
	char *bomb = alias_bomb(10, 10);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	TAP_CHECK_INT(parse_err(&at, bomb, strlen(bomb), NULL), GG_ELIMIT);
	TAP_CHECK(strstr(gg_error_last(), "alias"));
	TAP_CHECK(at.line > 0);
	TAP_CHECK(seconds_since(&t0) < 1.0);
	free(bomb);
}

static void test_yamlload__small_alias_fanout_is_fine(void)
{
	char *s = alias_bomb(4, 10); /* 1,000 leaves */
	struct gg_yfile *f = load(s);

	TAP_CHECK(f);
	TAP_CHECK(root(f)->size > 1000);
	gg_yaml_free(f);
	free(s);
}

static void test_yamlload__expansion_budget_is_configurable(void)
{
	struct gg_yaml_limits lim = gg_yaml_default_limits;
	char *s = alias_bomb(4, 10);

	lim.max_expanded = 500;
	TAP_CHECK_INT(parse_err(NULL, s, strlen(s), &lim), GG_ELIMIT);
	free(s);
}

static char *nested(const char *open, const char *close, int depth)
{
	struct gg_buf b = GG_BUF_INIT;
	int i;

	for (i = 0; i < depth; i++)
		gg_buf_adds(&b, open);
	gg_buf_adds(&b, "x");
	for (i = 0; i < depth; i++)
		gg_buf_adds(&b, close);
	gg_buf_addch(&b, '\n');
	return gg_buf_detach(&b, NULL);
}

static void test_yamlload__depth_limit(void)
{
	char *ok = nested("[", "]", 128), *deep = nested("[", "]", 129);
	char *maps = nested("{a: ", "}", 129);
	char *huge = nested("[", "]", 100000);
	struct gg_ymark at = { 0, 0 };
	struct timespec t0;

	TAP_CHECK_INT(parse_err(NULL, ok, strlen(ok), NULL), 0);
	TAP_CHECK_INT(parse_err(&at, deep, strlen(deep), NULL), GG_ELIMIT);
	TAP_CHECK(strstr(gg_error_last(), "nesting"));
	TAP_CHECK_INT(at.line, 1);
	TAP_CHECK_INT(at.col, 129);
	TAP_CHECK_INT(parse_err(NULL, maps, strlen(maps), NULL), GG_ELIMIT);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	TAP_CHECK_INT(parse_err(NULL, huge, strlen(huge), NULL), GG_ELIMIT);
	TAP_CHECK(seconds_since(&t0) < 1.0);
	free(ok);
	free(deep);
	free(maps);
	free(huge);
}

static void test_yamlload__deep_block_nesting_is_refused(void)
{
	struct gg_buf b = GG_BUF_INIT;
	int i;

	for (i = 0; i < 200; i++)
		gg_buf_addf(&b, "%*sk%d:\n", i, "", i);
	TAP_CHECK_INT(parse_err(NULL, b.buf, b.len, NULL), GG_ELIMIT);
	gg_buf_release(&b);
}

static void test_yamlload__node_limit(void)
{
	struct gg_yaml_limits lim = gg_yaml_default_limits;
	static const char s[] = "[1, 2, 3, 4, 5]\n";

	lim.max_nodes = 5;
	TAP_CHECK_INT(parse_err(NULL, s, sizeof(s) - 1, &lim), GG_ELIMIT);
	lim.max_nodes = 6;
	TAP_CHECK_INT(parse_err(NULL, s, sizeof(s) - 1, &lim), 0);
}

static void test_yamlload__merge_keys(void)
{
	struct gg_yfile *f = load("base: &b {x: 1, y: 2}\n"
				  "more: &m {y: 20, z: 30}\n"
				  "one: {<<: *b, y: 3}\n"
				  "two: {<<: [*m, *b], w: 0}\n"
				  "quoted: {'<<': *b}\n"
				  "chain: {<<: {<<: *b}}\n");
	const struct gg_ynode *r = root(f);

	TAP_CHECK_STR(gg_ynode_str(gg_ynode_path(r, "one.x")), "1");
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_path(r, "one.y")), "3");
	/* earlier maps of a merge list win */
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_path(r, "two.y")), "20");
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_path(r, "two.x")), "1");
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_path(r, "two.z")), "30");
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_path(r, "two.w")), "0");
	TAP_CHECK(!gg_ynode_path(r, "two.v"));
	/* a quoted "<<" is an ordinary key */
	TAP_CHECK(!gg_ynode_path(r, "quoted.x"));
	TAP_CHECK(gg_ynode_path(r, "quoted.<<"));
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_path(r, "chain.y")), "2");
	gg_yaml_free(f);
}

static void test_yamlload__merge_of_a_scalar_is_ignored(void)
{
	struct gg_yfile *f = load("a: {<<: 5, b: 1}\nc: {<<: [5, {d: 1}]}\n");
	const struct gg_ynode *r = root(f);

	TAP_CHECK(!gg_ynode_path(r, "a.x"));
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_path(r, "a.b")), "1");
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_path(r, "c.d")), "1");
	gg_yaml_free(f);
}

static void test_yamlload__duplicate_keys_last_wins(void)
{
	struct gg_yfile *f = load("a: 1\nb: x\na: 2\n");
	const struct gg_ynode *r = root(f);

	TAP_CHECK_STR(gg_ynode_str(gg_ynode_get(r, "a")), "2");
	TAP_CHECK_INT(gg_ynode_count(r), 3);
	gg_yaml_free(f);
}

static void test_yamlload__yaml11_booleans(void)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes",
					   "Yes",  "YES",  "on",   "On",
					   "ON",   "y",	   "Y",	   NULL };
	static const char *const no[] = { "false", "False", "FALSE", "no",
					  "No",	   "NO",    "off",   "Off",
					  "OFF",   "n",	    "N",     NULL };
	char doc[64];
	size_t i;

	for (i = 0; yes[i]; i++) {
		struct gg_yfile *f;
		int v = -1;

		snprintf(doc, sizeof(doc), "v: %s\n", yes[i]);
		f = load(doc);
		TAP_CHECK_INT(gg_ynode_bool(&v, gg_ynode_get(root(f), "v")), 0);
		TAP_CHECK_INT(v, 1);
		gg_yaml_free(f);
		snprintf(doc, sizeof(doc), "v: %s\n", no[i]);
		f = load(doc);
		TAP_CHECK_INT(gg_ynode_bool(&v, gg_ynode_get(root(f), "v")), 0);
		TAP_CHECK_INT(v, 0);
		gg_yaml_free(f);
	}
}

static void test_yamlload__quoted_true_is_not_a_bool(void)
{
	struct gg_yfile *f = load("a: 'true'\nb: \"yes\"\nc: !!str on\n"
				  "d: |\n  true\ne: tRUE\nf: 1\ng:\nh: [x]\n");
	const struct gg_ynode *r = root(f);
	int v = 7;

	TAP_CHECK_INT(gg_ynode_bool(&v, gg_ynode_get(r, "a")), GG_EINVALID);
	TAP_CHECK_INT(gg_ynode_bool(&v, gg_ynode_get(r, "b")), GG_EINVALID);
	TAP_CHECK_INT(gg_ynode_bool(&v, gg_ynode_get(r, "c")), GG_EINVALID);
	TAP_CHECK_INT(gg_ynode_bool(&v, gg_ynode_get(r, "d")), GG_EINVALID);
	TAP_CHECK_INT(gg_ynode_bool(&v, gg_ynode_get(r, "e")), GG_EINVALID);
	TAP_CHECK_INT(gg_ynode_bool(&v, gg_ynode_get(r, "f")), GG_EINVALID);
	TAP_CHECK_INT(gg_ynode_bool(&v, gg_ynode_get(r, "g")), GG_ENOTFOUND);
	TAP_CHECK_INT(gg_ynode_bool(&v, gg_ynode_get(r, "missing")),
		      GG_ENOTFOUND);
	TAP_CHECK_INT(gg_ynode_bool(&v, gg_ynode_get(r, "h")), GG_EINVALID);
	TAP_CHECK_INT(v, 7);
	gg_yaml_free(f);
}

static void test_yamlload__nulls(void)
{
	struct gg_yfile *f = load("a:\nb: ~\nc: null\nd: NULL\ne: Null\n"
				  "f: 'null'\ng: ''\nh: nil\ni: {}\n");
	const struct gg_ynode *r = root(f);

	TAP_CHECK(gg_ynode_is_null(NULL));
	TAP_CHECK(gg_ynode_is_null(gg_ynode_get(r, "a")));
	TAP_CHECK(gg_ynode_is_null(gg_ynode_get(r, "b")));
	TAP_CHECK(gg_ynode_is_null(gg_ynode_get(r, "c")));
	TAP_CHECK(gg_ynode_is_null(gg_ynode_get(r, "d")));
	TAP_CHECK(gg_ynode_is_null(gg_ynode_get(r, "e")));
	TAP_CHECK(!gg_ynode_is_null(gg_ynode_get(r, "f")));
	TAP_CHECK(!gg_ynode_is_null(gg_ynode_get(r, "g")));
	TAP_CHECK(!gg_ynode_is_null(gg_ynode_get(r, "h")));
	TAP_CHECK(!gg_ynode_is_null(gg_ynode_get(r, "i")));
	TAP_CHECK(!gg_ynode_text(gg_ynode_get(r, "c")));
	TAP_CHECK(!gg_ynode_text(gg_ynode_get(r, "g")));
	TAP_CHECK_STR(gg_ynode_text(gg_ynode_get(r, "f")), "null");
	TAP_CHECK(!gg_ynode_text(gg_ynode_get(r, "i")));
	gg_yaml_free(f);
}

static void test_yamlload__integers_and_numbers(void)
{
	struct gg_yfile *f =
		load("a: 42\nb: -7\nc: +3\nd: '5'\ne: 0x10\n"
		     "f: 1.5\ng: 99999999999999999999\nh: +\n"
		     "i: .5\nj: 1e3\nk: .inf\nl: .nan\nm: 1_000\n");
	const struct gg_ynode *r = root(f);
	long long i = 0;
	double d = 0;

	TAP_CHECK_INT(gg_ynode_int(&i, gg_ynode_get(r, "a")), 0);
	TAP_CHECK_INT(i, 42);
	TAP_CHECK_INT(gg_ynode_int(&i, gg_ynode_get(r, "b")), 0);
	TAP_CHECK_INT(i, -7);
	TAP_CHECK_INT(gg_ynode_int(&i, gg_ynode_get(r, "c")), 0);
	TAP_CHECK_INT(i, 3);
	TAP_CHECK_INT(gg_ynode_int(&i, gg_ynode_get(r, "d")), GG_EINVALID);
	TAP_CHECK_INT(gg_ynode_int(&i, gg_ynode_get(r, "e")), GG_EINVALID);
	TAP_CHECK_INT(gg_ynode_int(&i, gg_ynode_get(r, "f")), GG_EINVALID);
	TAP_CHECK_INT(gg_ynode_int(&i, gg_ynode_get(r, "g")), GG_EINVALID);
	TAP_CHECK_INT(gg_ynode_int(&i, gg_ynode_get(r, "h")), GG_EINVALID);
	TAP_CHECK_INT(gg_ynode_int(&i, gg_ynode_get(r, "nope")), GG_ENOTFOUND);
	TAP_CHECK_INT(gg_ynode_double(&d, gg_ynode_get(r, "f")), 0);
	TAP_CHECK(d == 1.5);
	TAP_CHECK_INT(gg_ynode_double(&d, gg_ynode_get(r, "a")), 0);
	TAP_CHECK(d == 42);
	TAP_CHECK_INT(gg_ynode_double(&d, gg_ynode_get(r, "i")), 0);
	TAP_CHECK(d == 0.5);
	TAP_CHECK_INT(gg_ynode_double(&d, gg_ynode_get(r, "j")), 0);
	TAP_CHECK(d == 1000);
	TAP_CHECK_INT(gg_ynode_double(&d, gg_ynode_get(r, "d")), GG_EINVALID);
	TAP_CHECK_INT(gg_ynode_double(&d, gg_ynode_get(r, "e")), GG_EINVALID);
	TAP_CHECK_INT(gg_ynode_double(&d, gg_ynode_get(r, "k")), GG_EINVALID);
	TAP_CHECK_INT(gg_ynode_double(&d, gg_ynode_get(r, "l")), GG_EINVALID);
	TAP_CHECK_INT(gg_ynode_double(&d, gg_ynode_get(r, "m")), GG_EINVALID);
	gg_yaml_free(f);
}

static void test_yamlload__json_input(void)
{
	struct gg_yfile *f =
		load("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\",\n"
		     " \"metadata\": {\"name\": \"x\"},\n"
		     " \"data\": {\"a\": \"1\", \"b\": null, \"c\": true},\n"
		     " \"list\": [1, 2.5, {\"d\": []}]}\n");
	const struct gg_ynode *r = root(f);
	int v = 0;

	TAP_CHECK_STR(gg_ynode_str(gg_ynode_path(r, "metadata.name")), "x");
	TAP_CHECK(gg_ynode_is_null(gg_ynode_path(r, "data.b")));
	TAP_CHECK_INT(gg_ynode_bool(&v, gg_ynode_path(r, "data.c")), 0);
	TAP_CHECK_INT(v, 1);
	TAP_CHECK_INT(gg_ynode_count(gg_ynode_get(r, "list")), 3);
	TAP_CHECK_INT(gg_ynode_path(r, "data.a")->line, 3);
	gg_yaml_free(f);
}

static void test_yamlload__bom_and_crlf(void)
{
	struct gg_yfile *f = load("\xef\xbb\xbf"
				  "a: 1\r\nb:\r\n  c: two\r\n");
	const struct gg_ynode *r = root(f);

	TAP_CHECK_STR(gg_ynode_str(gg_ynode_get(r, "a")), "1");
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_path(r, "b.c")), "two");
	TAP_CHECK_INT(gg_ynode_path(r, "b.c")->line, 3);
	TAP_CHECK_INT(gg_ynode_path(r, "b.c")->col, 6);
	TAP_CHECK_INT(r->line, 1);
	TAP_CHECK_INT(r->col, 1);
	gg_yaml_free(f);
}

static void test_yamlload__utf16_with_bom(void)
{
	static const char s[] = "\xff\xfe"
				"a\0:\0 \0"
				"1\0\n\0";
	struct gg_yfile *f = NULL;

	TAP_CHECK_INT(gg_yaml_parse(&f, NULL, s, sizeof(s) - 1, NULL), 0);
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_get(root(f), "a")), "1");
	gg_yaml_free(f);
}

static void test_yamlload__invalid_utf8_is_invalid(void)
{
	static const char *const bad[] = { "a: \xff\n", "a: caf\xc3\n",
					   "\xc0\xaf: x\n", "a: \xed\xa0\x80\n",
					   NULL };
	struct gg_ymark at = { 9, 9 };
	size_t i;

	for (i = 0; bad[i]; i++)
		TAP_CHECK_INT(parse_err(&at, bad[i], strlen(bad[i]), NULL),
			      GG_EINVALID);
	TAP_CHECK_INT(at.line, 0);
	TAP_CHECK(strstr(gg_error_last(), "byte"));
}

static void test_yamlload__tabs(void)
{
	struct gg_yfile *f = load("a: x\ty\nb:\t1\n");
	struct gg_ymark at = { 0, 0 };
	static const char indent[] = "a:\n\tb: 1\n";

	TAP_CHECK_STR(gg_ynode_str(gg_ynode_get(root(f), "a")), "x\ty");
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_get(root(f), "b")), "1");
	gg_yaml_free(f);
	TAP_CHECK_INT(parse_err(&at, indent, sizeof(indent) - 1, NULL),
		      GG_EINVALID);
	TAP_CHECK_INT(at.line, 2);
}

static void test_yamlload__nul_in_a_key_is_kept(void)
{
	static const char s[] = "\"a\\0b\": 1\na: 2\n";
	struct gg_yfile *f = load(s);
	const struct gg_ynode *r = root(f), *k = r->u.map.pairs[0].key;

	TAP_CHECK_INT(k->u.scalar.len, 3);
	TAP_CHECK(!memcmp(k->u.scalar.s, "a\0b", 4));
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_get(r, "a")), "2");
	gg_yaml_free(f);
}

static void test_yamlload__raw_nul_byte_is_invalid(void)
{
	static const char s[] = "a: 1\0b: 2\n";

	TAP_CHECK_INT(parse_err(NULL, s, sizeof(s) - 1, NULL), GG_EINVALID);
}

static void test_yamlload__unterminated_quotes(void)
{
	struct gg_ymark at = { 0, 0 };
	static const char dq[] = "a: \"abc\nb: 1\n";
	static const char sq[] = "a: 'abc\n";

	TAP_CHECK_INT(parse_err(&at, dq, sizeof(dq) - 1, NULL), GG_EINVALID);
	TAP_CHECK(at.line > 0);
	TAP_CHECK_INT(parse_err(&at, sq, sizeof(sq) - 1, NULL), GG_EINVALID);
}

static void test_yamlload__tags(void)
{
	struct gg_yfile *f = load("a: !!int 5\nb: !!str 5\nc: !custom x\n");
	const struct gg_ynode *r = root(f);
	long long i = 0;

	TAP_CHECK_INT(gg_ynode_int(&i, gg_ynode_get(r, "a")), 0);
	TAP_CHECK_INT(i, 5);
	TAP_CHECK_INT(gg_ynode_int(&i, gg_ynode_get(r, "b")), GG_EINVALID);
	TAP_CHECK_STR(gg_ynode_get(r, "b")->tag, "tag:yaml.org,2002:str");
	TAP_CHECK_STR(gg_ynode_get(r, "c")->tag, "!custom");
	TAP_CHECK(!gg_ynode_get(r, "a")->tag ||
		  !strcmp(gg_ynode_get(r, "a")->tag, "tag:yaml.org,2002:int"));
	gg_yaml_free(f);
}

static void test_yamlload__long_scalars_and_many_items(void)
{
	struct gg_buf b = GG_BUF_INIT;
	struct gg_yfile *f;
	int i;

	gg_buf_adds(&b, "long: ");
	for (i = 0; i < 200000; i++)
		gg_buf_addch(&b, 'x');
	gg_buf_adds(&b, "\nlist:\n");
	for (i = 0; i < 100000; i++)
		gg_buf_addf(&b, "- %d\n", i);
	f = load(b.buf);
	TAP_CHECK(f);
	TAP_CHECK_INT(gg_ynode_get(root(f), "long")->u.scalar.len, 200000);
	TAP_CHECK_INT(gg_ynode_count(gg_ynode_get(root(f), "list")), 100000);
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_item(gg_ynode_get(root(f), "list"),
						 99999)),
		      "99999");
	gg_yaml_free(f);
	gg_buf_release(&b);
}

static void test_yamlload__free_null_is_a_noop(void)
{
	gg_yaml_free(NULL);
	TAP_CHECK(1);
}

/* Each map merges the previous one twice: 2^16 merge paths, within the
 * alias budget, so the file parses and every lookup could walk them. */
static int hides(const char *text)
{
	return gg_yaml_text_may_hide(text, strlen(text));
}

static void test_yamlload__text_may_hide_escapes_and_utf16(void)
{
	TAP_CHECK(!hides("kind: Secret\n"));
	TAP_CHECK(hides("kind: \"Sec\\x72et\"\n"));
	TAP_CHECK(hides("k: \"\\u0053\""));
	TAP_CHECK(hides("k: \"Se\\\n  cret\""));
	TAP_CHECK(!hides("k: \"C:\\\\x\""));
	/* libyaml decodes UTF-16 with a byte order mark */
	TAP_CHECK(hides("\xff\xfe\x2d\x4e"));
	TAP_CHECK(hides("\xfe\xff\x4e\x2d"));
	TAP_CHECK(!hides("\xef\xbb\xbfk: v\n"));
	/* an escaped NEL, LS or PS joins lines like an escaped \n */
	TAP_CHECK(hides("k: \"Sec\\\xe2\x80\xa8ret\""));
	TAP_CHECK(hides("k: \"Sec\\\xc2\x85ret\""));
	/* !!binary scalars are decoded; %TAG can spell the tag */
	TAP_CHECK(hides("kind: !!binary U2VjcmV0\n"));
	TAP_CHECK(hides(
		"%TAG !e! tag:yaml.org,2002:bin\n---\nk: !e!ary U2VjcmV0\n"));
}

static void test_yamlload__binary_scalars_are_decoded(void)
{
	static const char text[] = "a: !!binary U2VjcmV0\n"
				   "b: !<tag:yaml.org,2002:binary> |\n"
				   "  aHVu\n"
				   "  dGVy\n"
				   "c: !!binary not-base64!\n"
				   "d: !!binary AGE=\n";
	struct gg_yfile *f = NULL;
	const struct gg_ynode *root, *d;

	TAP_CHECK_INT(gg_yaml_parse(&f, NULL, text, sizeof(text) - 1, NULL), 0);
	if (!f)
		return;
	root = f->docs[0].root;
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_get(root, "a")), "Secret");
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_get(root, "b")), "hunter");
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_get(root, "c")), "not-base64!");
	d = gg_ynode_get(root, "d");
	TAP_CHECK(d && d->u.scalar.len == 2 &&
		  !memcmp(d->u.scalar.s, "\0a", 2));
	gg_yaml_free(f);
}

static void test_yamlload__merge_key_dag_is_looked_up_quickly(void)
{
	struct gg_buf b = GG_BUF_INIT;
	struct gg_yfile *f = NULL;
	clock_t start;
	int i;

	gg_buf_adds(&b, "m0: &m0 {a: 1}\n");
	for (i = 1; i <= 16; i++)
		gg_buf_addf(&b, "m%d: &m%d {<<: [*m%d, *m%d]}\n", i, i, i - 1,
			    i - 1);
	TAP_CHECK_INT(gg_yaml_parse(&f, NULL, b.buf, b.len, NULL), 0);
	start = clock();
	for (i = 0; f && i < 100; i++) {
		const struct gg_ynode *top =
			gg_ynode_get(f->docs[0].root, "m16");

		TAP_CHECK(top && !gg_ynode_get(top, "missing"));
	}
	TAP_CHECK((double)(clock() - start) / CLOCKS_PER_SEC < 0.2);
	gg_yaml_free(f);
	gg_buf_release(&b);
}

int main(void)
{
	TAP_RUN(test_yamlload__merge_key_dag_is_looked_up_quickly);
	TAP_RUN(test_yamlload__scalars_maps_and_sequences);
	TAP_RUN(test_yamlload__positions_are_one_based);
	TAP_RUN(test_yamlload__syntax_error_says_where);
	TAP_RUN(test_yamlload__multi_document_streams);
	TAP_RUN(test_yamlload__document_limit);
	TAP_RUN(test_yamlload__anchors_and_aliases_are_shared);
	TAP_RUN(test_yamlload__anchors_do_not_cross_documents);
	TAP_RUN(test_yamlload__redefined_anchor_takes_the_later_node);
	TAP_RUN(test_yamlload__recursive_alias_is_refused);
	TAP_RUN(test_yamlload__alias_bomb_is_refused_quickly);
	TAP_RUN(test_yamlload__small_alias_fanout_is_fine);
	TAP_RUN(test_yamlload__expansion_budget_is_configurable);
	TAP_RUN(test_yamlload__depth_limit);
	TAP_RUN(test_yamlload__deep_block_nesting_is_refused);
	TAP_RUN(test_yamlload__node_limit);
	TAP_RUN(test_yamlload__merge_keys);
	TAP_RUN(test_yamlload__merge_of_a_scalar_is_ignored);
	TAP_RUN(test_yamlload__duplicate_keys_last_wins);
	TAP_RUN(test_yamlload__yaml11_booleans);
	TAP_RUN(test_yamlload__quoted_true_is_not_a_bool);
	TAP_RUN(test_yamlload__nulls);
	TAP_RUN(test_yamlload__integers_and_numbers);
	TAP_RUN(test_yamlload__json_input);
	TAP_RUN(test_yamlload__bom_and_crlf);
	TAP_RUN(test_yamlload__utf16_with_bom);
	TAP_RUN(test_yamlload__invalid_utf8_is_invalid);
	TAP_RUN(test_yamlload__tabs);
	TAP_RUN(test_yamlload__nul_in_a_key_is_kept);
	TAP_RUN(test_yamlload__raw_nul_byte_is_invalid);
	TAP_RUN(test_yamlload__unterminated_quotes);
	TAP_RUN(test_yamlload__tags);
	TAP_RUN(test_yamlload__long_scalars_and_many_items);
	TAP_RUN(test_yamlload__free_null_is_a_noop);
	TAP_RUN(test_yamlload__text_may_hide_escapes_and_utf16);
	TAP_RUN(test_yamlload__binary_scalars_are_decoded);
	return tap_done();
}
