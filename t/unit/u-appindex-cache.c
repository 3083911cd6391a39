/*
 * Unit tests for appindex-cache.c: an index comes back from its file as
 * it was saved, every field of every app; a damaged file is refused;
 * keys change with every input; shapes.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appindex.h"
#include "repo.h"
#include "tap.h"

static char dir[64];

static void make_dir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/u-appindex-cache.XXXXXX");
	if (!mkdtemp(dir))
		abort();
}

static void remove_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* An index with every field of the first app set, and a second app
 * with every optional string absent. */
static struct gg_appindex *sample(void)
{
	struct gg_appindex *idx = calloc(1, sizeof(*idx));
	struct gg_app *a;

	gg_arena_init(&idx->arena);
	gg_strvec_init(&idx->notes);
	idx->apps = calloc(3, sizeof(*idx->apps));
	idx->napps = idx->apps_alloc = 2;
	a = &idx->apps[0];
	a->name = "guestbook-prod";
	a->controller = GG_CTRL_FLUX;
	a->origin = GG_ORIGIN_APPSET;
	a->root = "apps/guestbook/overlays/prod";
	a->tool = GG_TOOL_KUSTOMIZE;
	a->root_exists = 1;
	a->revision = ">=1.0.0";
	a->tag_prefix = "web/";
	a->follows = GG_FOLLOW_RANGE;
	a->recurse = 1;
	a->include = "*.yaml";
	a->exclude = "{a,b}.json";
	a->ignore = "/tests\n*.md";
	a->auto_sync = a->prune = a->self_heal = a->allow_empty = 1;
	a->suspended = 1;
	a->project = "team-a";
	a->dest_server = "https://kubernetes.default.svc";
	a->dest_namespace = "guestbook";
	a->target_namespace = "guestbook-prod";
	a->service_account = "deployer";
	a->cascade = 1;
	a->defined_in = "argocd/appsets/team-a.yaml";
	a->line = 12;
	a->generator = "team-a";
	a->environment = "prod";
	a->tier = 2;
	a = &idx->apps[1];
	a->name = "root";
	a->root = "";
	a->project = "default";
	a->defined_in = "bootstrap/root.yaml";
	a->tier = -1;
	idx->prints = calloc(4, sizeof(*idx->prints));
	idx->nprints = idx->prints_alloc = 3;
	idx->prints[0].path = "";
	idx->prints[0].app = 1;
	idx->prints[1].path = "apps/guestbook/base";
	idx->prints[1].app = 0;
	idx->prints[1].recursive = 1;
	idx->prints[2].path = "apps/guestbook/overlays/prod";
	idx->prints[2].app = 0;
	idx->prints[2].recursive = 1;
	gg_strvec_push(&idx->notes,
		       "ApplicationSet 'x': cannot resolve '{{a}}'");
	idx->reads_files = 1;
	return idx;
}

static void free_sample(struct gg_appindex *idx)
{
	free(idx->apps);
	free(idx->prints);
	gg_strvec_release(&idx->notes);
	free(idx);
}

static int same_str(const char *a, const char *b)
{
	return !a || !b ? a == b : !strcmp(a, b);
}

static int same_strs(const struct gg_app *a, const struct gg_app *b)
{
	return same_str(a->name, b->name) && same_str(a->root, b->root) &&
	       same_str(a->revision, b->revision) &&
	       same_str(a->tag_prefix, b->tag_prefix) &&
	       same_str(a->include, b->include) &&
	       same_str(a->exclude, b->exclude) &&
	       same_str(a->ignore, b->ignore) &&
	       same_str(a->project, b->project) &&
	       same_str(a->dest_server, b->dest_server) &&
	       same_str(a->dest_namespace, b->dest_namespace) &&
	       same_str(a->target_namespace, b->target_namespace) &&
	       same_str(a->service_account, b->service_account) &&
	       same_str(a->defined_in, b->defined_in) &&
	       same_str(a->generator, b->generator) &&
	       same_str(a->environment, b->environment);
}

static int same_app(const struct gg_app *a, const struct gg_app *b)
{
	return same_strs(a, b) && a->controller == b->controller &&
	       a->origin == b->origin && a->tool == b->tool &&
	       a->root_exists == b->root_exists && a->follows == b->follows &&
	       a->recurse == b->recurse && a->auto_sync == b->auto_sync &&
	       a->prune == b->prune && a->self_heal == b->self_heal &&
	       a->allow_empty == b->allow_empty &&
	       a->suspended == b->suspended && a->cascade == b->cascade &&
	       a->line == b->line && a->tier == b->tier;
}

static struct gg_oid key_of(int n)
{
	struct gg_oid k;

	memset(&k, 0, sizeof(k));
	k.id[0] = (unsigned char)n;
	return k;
}

static void test_appindex_cache__an_index_comes_back_as_saved(void)
{
	struct gg_appindex *idx = sample(), *back = NULL;
	struct gg_oid key = key_of(1);
	size_t i;

	make_dir();
	gg_appindex_save(idx, dir, &key);
	TAP_CHECK_INT(gg_appindex_load(&back, dir, &key), 0);
	if (back) {
		TAP_CHECK_INT(back->napps, 2);
		for (i = 0; i < 2 && back->napps == 2; i++)
			TAP_CHECK(same_app(&idx->apps[i], &back->apps[i]));
		TAP_CHECK_INT(back->nprints, 3);
		for (i = 0; i < 3 && back->nprints == 3; i++) {
			TAP_CHECK_STR(back->prints[i].path,
				      idx->prints[i].path);
			TAP_CHECK_INT(back->prints[i].app, idx->prints[i].app);
			TAP_CHECK_INT(back->prints[i].recursive,
				      idx->prints[i].recursive);
		}
		TAP_CHECK_INT(back->notes.nr, 1);
		TAP_CHECK_STR(back->notes.v[0], idx->notes.v[0]);
		TAP_CHECK_INT(back->reads_files, 1);
	}
	gg_appindex_free(back);
	key = key_of(2);
	TAP_CHECK_INT(gg_appindex_load(&back, dir, &key), GG_ENOTFOUND);
	free_sample(idx);
	remove_dir();
}

/* Flip every byte of the file in turn, and cut it at every length: each
 * is refused or loads an index with valid references. */
static void test_appindex_cache__damage_is_refused_or_harmless(void)
{
	struct gg_appindex *idx = sample(), *back = NULL;
	struct gg_oid key = key_of(1);
	char path[512], hex[GG_OID_HEXSZ + 1];
	char *orig;
	long len, i;
	FILE *f;

	make_dir();
	gg_appindex_save(idx, dir, &key);
	gg_oid_to_hex(hex, &key);
	snprintf(path, sizeof(path), "%s/index-%s", dir, hex);
	f = fopen(path, "r");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	orig = malloc((size_t)len);
	if (fread(orig, 1, (size_t)len, f) != (size_t)len)
		abort();
	fclose(f);
	for (i = 0; i < 2 * len; i++) {
		int ok;

		f = fopen(path, "w");
		if (i < len) {
			orig[i] ^= 0x5a;
			fwrite(orig, 1, (size_t)len, f);
			orig[i] ^= 0x5a;
		} else {
			fwrite(orig, 1, (size_t)(i - len), f);
		}
		fclose(f);
		ok = gg_appindex_load(&back, dir, &key) == 0;
		if (ok) {
			size_t j;

			for (j = 0; j < back->nprints; j++)
				TAP_CHECK(back->prints[j].app < back->napps);
			for (j = 0; j < back->napps; j++)
				TAP_CHECK(back->apps[j].name &&
					  back->apps[j].root);
		}
		gg_appindex_free(back);
		back = NULL;
	}
	free(orig);
	free_sample(idx);
	remove_dir();
}

static void test_appindex_cache__keys_follow_every_input(void)
{
	struct gg_defs *defs = gg_defs_empty();
	struct gg_index_input in;
	struct gg_oid shapes[2], k[8], tree;
	size_t i, j;

	memset(&in, 0, sizeof(in));
	memset(shapes, 0, sizeof(shapes));
	memset(&tree, 0, sizeof(tree));
	in.layers[0].defs = defs;
	in.layers[0].tree = &tree;
	in.nlayers = 1;
	in.content = defs;
	in.repo_name = "deploy";
	in.default_branch = "main";
	gg_appindex_key(&k[0], &in, shapes, "policy a");
	gg_appindex_key(&k[1], &in, shapes, "policy b");
	shapes[0].id[5] = 1;
	gg_appindex_key(&k[2], &in, shapes, "policy a");
	in.repo_name = "other";
	gg_appindex_key(&k[3], &in, shapes, "policy a");
	in.default_branch = "master";
	gg_appindex_key(&k[4], &in, shapes, "policy a");
	in.nlayers = 2;
	in.layers[1].defs = defs;
	in.layers[1].tree = &tree;
	gg_appindex_key(&k[5], &in, shapes, "policy a");
	shapes[1].id[6] = 1;
	gg_appindex_key(&k[6], &in, shapes, "policy a");
	in.layers[1].tree = NULL;
	gg_appindex_key(&k[7], &in, shapes, "policy a");
	for (i = 0; i < 8; i++)
		for (j = i + 1; j < 8; j++)
			TAP_CHECK(gg_oid_cmp(&k[i], &k[j]));
	/* a layer of the same shape as the one under it adds nothing */
	in.layers[1].tree = &tree;
	shapes[1] = shapes[0];
	gg_appindex_key(&k[7], &in, shapes, "policy a");
	TAP_CHECK(!gg_oid_cmp(&k[7], &k[4]));
	gg_defs_free(defs);
}

/* The ref enters the key of two layers only when the first one defines
 * something: an empty first layer (the side before a new branch) has no
 * copy of an app for the ref to choose, so every new branch shares it. */
static void test_appindex_cache__ref_only_with_definitions(void)
{
	struct gg_defs *empty = gg_defs_empty(), *some = gg_defs_empty();
	struct gg_index_input in;
	struct gg_oid shapes[2], k[4], t1, t2;

	memset(&in, 0, sizeof(in));
	memset(shapes, 0, sizeof(shapes));
	memset(&t1, 1, sizeof(t1));
	memset(&t2, 2, sizeof(t2));
	shapes[1].id[0] = 1;
	in.layers[0].defs = empty;
	in.layers[0].tree = NULL;
	in.layers[1].defs = empty;
	in.layers[1].tree = &t2;
	in.nlayers = 2;
	in.content = empty;
	in.ref = "refs/heads/release/a";
	gg_appindex_key(&k[0], &in, shapes, "policy");
	in.ref = "refs/heads/release/b";
	gg_appindex_key(&k[1], &in, shapes, "policy");
	TAP_CHECK(!gg_oid_cmp(&k[0], &k[1]));
	some->nfiles = 1; /* only counted by the key */
	in.layers[0].defs = some;
	in.layers[0].tree = &t1;
	in.content = some;
	gg_appindex_key(&k[2], &in, shapes, "policy");
	in.ref = "refs/heads/release/a";
	gg_appindex_key(&k[3], &in, shapes, "policy");
	TAP_CHECK(gg_oid_cmp(&k[2], &k[3]));
	some->nfiles = 0;
	gg_defs_free(some);
	gg_defs_free(empty);
}

static void test_appindex_cache__shapes(void)
{
	struct gg_oid t1, t2, shape;

	memset(&t1, 1, sizeof(t1));
	memset(&t2, 2, sizeof(t2));
	make_dir();
	gg_appindex_shape(&shape, dir, &t2);
	TAP_CHECK(!gg_oid_cmp(&shape, &t2)); /* its own, by default */
	gg_appindex_set_shape(dir, &t2, &t1);
	gg_appindex_shape(&shape, dir, &t2);
	TAP_CHECK(!gg_oid_cmp(&shape, &t1));
	remove_dir();
}

static size_t count_files(const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	while (d && (e = readdir(d)))
		n += !strncmp(e->d_name, prefix, strlen(prefix));
	if (d)
		closedir(d);
	return n;
}

static void test_appindex_cache__old_files_are_pruned(void)
{
	struct gg_appindex *idx = sample(), *back = NULL;
	struct gg_oid key, t, shape;
	int i;

	make_dir();
	for (i = 1; i <= 60; i++) {
		key = key_of(i);
		gg_appindex_save(idx, dir, &key);
		TAP_CHECK(count_files("index-") <= 20);
	}
	TAP_CHECK_INT(gg_appindex_load(&back, dir, &key), 0);
	gg_appindex_free(back);
	memset(&shape, 9, sizeof(shape));
	for (i = 1; i <= 700; i++) {
		t = key_of(i % 256);
		t.id[1] = (unsigned char)(i / 256);
		gg_appindex_set_shape(dir, &t, &shape);
	}
	TAP_CHECK(count_files("shape-") <= 640);
	gg_appindex_shape(&key, dir, &t);
	TAP_CHECK(!gg_oid_cmp(&key, &shape)); /* the newest is kept */
	free_sample(idx);
	remove_dir();
}

int main(void)
{
	if (gg_repo_global_init() < 0)
		return 1;
	TAP_RUN(test_appindex_cache__an_index_comes_back_as_saved);
	TAP_RUN(test_appindex_cache__damage_is_refused_or_harmless);
	TAP_RUN(test_appindex_cache__keys_follow_every_input);
	TAP_RUN(test_appindex_cache__ref_only_with_definitions);
	TAP_RUN(test_appindex_cache__shapes);
	TAP_RUN(test_appindex_cache__old_files_are_pruned);
	gg_repo_global_shutdown();
	return tap_done();
}
