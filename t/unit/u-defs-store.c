/*
 * Unit tests for defs-store.c and the delta form of the definitions
 * cache: chains of deltas, their limits, broken and hostile files, and
 * pruning that keeps what kept files build on.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "defs-internal.h"
#include "tap.h"

#define T0 "1000000000000000000000000000000000000000"
#define T1 "1111111111111111111111111111111111111111"
#define T2 "2222222222222222222222222222222222222222"
#define BLOB "abababababababababababababababababababab"
#define HEAD(t) "gitops-guard-defs 6 " t "\n"

static char dir[64];

static void make_dir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/u-defs-store.XXXXXX");
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

static struct gg_oid oid(const char *hex)
{
	struct gg_oid o;

	if (gg_oid_from_hex(&o, hex) < 0)
		abort();
	return o;
}

static struct gg_defs *parse(const char *text)
{
	struct gg_defs *d = NULL;

	if (gg_defs_parse(&d, text, strlen(text)) < 0)
		abort();
	return d;
}

static void write_file(const char *tree, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/defs-%s", dir, tree);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		abort();
}

static int exists(const char *tree)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/defs-%s", dir, tree);
	return access(path, F_OK) == 0;
}

/* The cache text of `d`, for comparisons. */
static char *text_of(const struct gg_defs *d)
{
	struct gg_buf b = GG_BUF_INIT;

	gg_defs_serialize(&b, d);
	return gg_buf_detach(&b, NULL);
}

/* A delta from `base` removing `gone` (sorted, NULL-terminated) and
 * adding the records of `added`. */
static char *delta(const char *base, const char *const *gone, const char *added)
{
	struct gg_strvec g = GG_STRVEC_INIT;
	struct gg_buf b = GG_BUF_INIT;
	struct gg_defs *a = parse(added);
	struct gg_oid bo = oid(base);

	while (*gone)
		gg_strvec_push(&g, *gone++);
	gg_defs__delta(&b, &bo, &g, a);
	gg_defs_free(a);
	gg_strvec_release(&g);
	return gg_buf_detach(&b, NULL);
}

static void test_defs_store__a_delta_chain_loads_as_the_whole_set(void)
{
	static const char *const gone1[] = { "a/kustomization.yaml", NULL };
	static const char *const gone2[] = { "c/Chart.yaml", NULL };
	struct gg_defs *d = NULL, *want;
	struct gg_oid t2 = oid(T2);
	char *d1, *d2, *got, *exp;

	make_dir();
	write_file(T0, HEAD(T0) "Z\ta/kustomization.yaml\ta\t" BLOB
				"\t0\t0\t1\t0\tx.yaml\n"
				"C\tc/Chart.yaml\n");
	d1 = delta(T0, gone1,
		   HEAD(T1) "Z\ta/kustomization.yaml\ta\t" BLOB
			    "\t0\t0\t2\t0\tx.yaml\ty.yaml\n");
	d2 = delta(T1, gone2, HEAD(T2) "I\tb/.sourceignore\n");
	write_file(T1, d1);
	write_file(T2, d2);
	TAP_CHECK_INT(gg_defs__load(&d, dir, &t2), 0);
	want = parse(HEAD(T2) "Z\ta/kustomization.yaml\ta\t" BLOB
			      "\t0\t0\t2\t0\tx.yaml\ty.yaml\n"
			      "I\tb/.sourceignore\n");
	if (d) {
		got = text_of(d);
		exp = text_of(want);
		TAP_CHECK_STR(got, exp);
		TAP_CHECK_INT(d->cache_depth, 2);
		TAP_CHECK_INT(d->from_cache, 1);
		free(got);
		free(exp);
	}
	gg_defs_free(d);
	gg_defs_free(want);
	free(d1);
	free(d2);
	remove_dir();
}

static void test_defs_store__broken_deltas_are_refused(void)
{
	static const char *const none[] = { NULL };
	static const char *const bad[] = {
		/* unsorted paths */
		"gitops-guard-defs-delta 5 " T1 " " T0
		"\nD\tb\nD\ta\n" HEAD(T1),
		/* the records are of another tree */
		"gitops-guard-defs-delta 5 " T1 " " T0 "\n" HEAD(T2),
		/* an absent path */
		"gitops-guard-defs-delta 5 " T1 " " T0 "\nD\t\\N\n" HEAD(T1),
		/* a broken first line */
		"gitops-guard-defs-delta 5 " T1 "\n" HEAD(T1),
		/* no records at all */
		"gitops-guard-defs-delta 5 " T1 " " T0 "\nD\ta\n", NULL
	};
	struct gg_oid t1 = oid(T1);
	struct gg_defs *d = NULL;
	char *good;
	size_t i;

	make_dir();
	write_file(T0, HEAD(T0) "C\ta\n");
	for (i = 0; bad[i]; i++) {
		write_file(T1, bad[i]);
		TAP_CHECK(gg_defs__load(&d, dir, &t1) < 0);
		TAP_CHECK(!d);
	}
	/* the delta must start from the tree it names */
	good = delta(T2, none, HEAD(T1));
	write_file(T1, good);
	TAP_CHECK(gg_defs__load(&d, dir, &t1) < 0);
	free(good);
	remove_dir();
}

static void test_defs_store__a_missing_base_or_a_loop_fails(void)
{
	static const char *const none[] = { NULL };
	struct gg_oid t1 = oid(T1);
	struct gg_defs *d = NULL;
	char *a = delta(T0, none, HEAD(T1)), *b = delta(T1, none, HEAD(T0));

	make_dir();
	write_file(T1, a);
	TAP_CHECK(gg_defs__load(&d, dir, &t1) < 0);
	write_file(T0, b); /* T1 -> T0 -> T1 -> ... */
	TAP_CHECK(gg_defs__load(&d, dir, &t1) < 0);
	TAP_CHECK(!d);
	free(a);
	free(b);
	remove_dir();
}

static void test_defs_store__long_chains_end_in_a_whole_set(void)
{
	struct gg_defs *d = NULL;
	struct gg_oid t0 = oid(T0), last;
	unsigned i, max = 0, wholes = 0;

	make_dir();
	write_file(T0, HEAD(T0) "C\ta\n");
	if (gg_defs__load(&d, dir, &t0) < 0)
		abort();
	for (i = 1; i <= 20; i++) {
		struct gg_buf b = GG_BUF_INIT;
		struct gg_strvec g = GG_STRVEC_INIT;
		struct gg_defs added;

		memset(&added, 0, sizeof(added));
		added.tree = d->tree;
		added.tree.id[19] = (unsigned char)i;
		gg_defs__delta(&b, &d->tree, &g, &added);
		d->tree = added.tree;
		gg_defs__save(d, dir, &b, 0);
		TAP_CHECK_INT(d->cached, 1);
		if (d->cache_depth > max)
			max = d->cache_depth;
		wholes += !d->cache_depth;
		gg_buf_release(&b);
	}
	TAP_CHECK_INT(max, 8);
	TAP_CHECK_INT(wholes, 2);
	last = d->tree;
	gg_defs_free(d);
	d = NULL;
	TAP_CHECK_INT(gg_defs__load(&d, dir, &last), 0);
	if (d)
		TAP_CHECK_INT(d->ncharts, 1);
	gg_defs_free(d);
	remove_dir();
}

static void test_defs_store__an_existing_file_is_kept(void)
{
	static const char *const none[] = { NULL };
	struct gg_defs *d = parse(HEAD(T1) "C\tb\n"), *back = NULL;
	struct gg_oid t1 = oid(T1);
	char *dt = delta(T0, none, HEAD(T1));
	struct gg_buf b = GG_BUF_INIT;

	make_dir();
	write_file(T1, HEAD(T1) "C\ta\n");
	d->cached = 1; /* as if derived from a cached T0 */
	gg_buf_adds(&b, dt);
	gg_defs__save(d, dir, &b, 0);
	TAP_CHECK_INT(gg_defs__load(&back, dir, &t1), 0);
	if (back)
		TAP_CHECK_STR(back->charts[0], "a");
	gg_defs_free(back);
	back = NULL;
	/* replace: a file that did not load is written again */
	gg_defs__save(d, dir, NULL, 1);
	TAP_CHECK_INT(gg_defs__load(&back, dir, &t1), 0);
	if (back)
		TAP_CHECK_STR(back->charts[0], "b");
	gg_defs_free(back);
	gg_defs_free(d);
	gg_buf_release(&b);
	free(dt);
	remove_dir();
}

static void set_mtime(const char *tree, long when)
{
	char path[512];
	struct timespec ts[2];

	snprintf(path, sizeof(path), "%s/defs-%s", dir, tree);
	ts[0].tv_sec = ts[1].tv_sec = when;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	if (utimensat(AT_FDCWD, path, ts, 0) < 0)
		abort();
}

static void test_defs_store__pruning_keeps_what_kept_deltas_need(void)
{
	static const char *const none[] = { NULL };
	struct gg_defs *d = parse(HEAD(T1) "C\ta\n");
	char hex[GG_OID_HEXSZ + 1], *dt;
	int i;

	make_dir();
	write_file(T0, HEAD(T0) "C\ta\n");
	set_mtime(T0, 1000);
	for (i = 1; i <= 88; i++) {
		snprintf(hex, sizeof(hex), "%040d", i + 5000);
		dt = delta(
			T0, none,
			"gitops-guard-defs 6 0000000000000000000000000000000000000000\n");
		write_file(hex, i == 88 ? dt : HEAD(T2));
		set_mtime(hex, 2000 + i);
		free(dt);
	}
	gg_defs__save(d, dir, NULL, 1);
	TAP_CHECK(exists(T1));
	TAP_CHECK(exists(T0)); /* old, but the newest delta needs it */
	snprintf(hex, sizeof(hex), "%040d", 5088);
	TAP_CHECK(exists(hex));
	snprintf(hex, sizeof(hex), "%040d", 5001);
	TAP_CHECK(!exists(hex));
	gg_defs_free(d);
	remove_dir();
}

/* A set with every kind of record and every field set or absent. */
static const char rich[] =
	HEAD(T1) "F\targocd/a.yaml\t" BLOB "\t3\t2\t0\t0\n"
		 "A\t4\tguestbook\targocd\t\\N\tsrv\t\\N\tns\t1\t0\t1\t-1\t1\t1"
		 "\t0\t2\n"
		 "S\thttps://x/deploy.git\tapps/g\tHEAD\t\\N\t1\t*.yaml\t\\N"
		 "\tapp/\n"
		 "S\thttps://x/deploy.git\tapps/h\t\\N\tchart\t-1\t\\N\tx\\ty"
		 "\t\\N\n"
		 "A\t9\tbilling\t\\N\tdefault\t\\N\tin-cluster\t\\N\t0\t-1\t-1"
		 "\t-1\t0\t0\t1\t0\n"
		 "F\tclusters/prod/sync.yaml\t" BLOB "\t24\t0\t1\t1\n"
		 "K\t7\tapps\tflux-system\t./apps\t1\t0\tGitRepository\t"
		 "flux-system\t\\N\tapps\tsa\tOrphan\n"
		 "R\t1\tflux-system\tflux-system\tssh://git@x/deploy\tmain\t"
		 "/tests\t\\N\t>=1.0.0\t\\N\n"
		 "Z\tapps/g/kustomization.yaml\tapps/g\t" BLOB
		 "\t0\t1\t2\t1\tapps/g/a.yaml\tapps/base\tapps/g/patch.yaml\n"
		 "Z\tkustomization.yaml\t\t" BLOB "\t1\t0\t0\t0\n"
		 "C\tcharts/x/Chart.yaml\n"
		 "I\tapps/.sourceignore\n";

static void test_defs_store__a_flat_twin_loads_as_its_text(void)
{
	struct gg_defs *d = parse(rich), *back = NULL;
	struct gg_oid t1 = oid(T1), t2 = oid(T2);
	char *a, *b;

	make_dir();
	gg_defs__save_bin(d, dir);
	TAP_CHECK_INT(gg_defs__load_bin(&back, dir, &t1), 0);
	if (back) {
		a = text_of(d);
		b = text_of(back);
		TAP_CHECK_STR(b, a);
		free(a);
		free(b);
	}
	gg_defs_free(back);
	back = NULL;
	/* the twin of one tree is not another's */
	TAP_CHECK(gg_defs__load_bin(&back, dir, &t2) < 0);
	gg_defs_free(d);
	remove_dir();
}

/* Flip every byte, cut at every length: refused, or a set whose
 * references are all valid (strings, counts). */
static void test_defs_store__a_damaged_twin_is_refused_or_harmless(void)
{
	struct gg_defs *d = parse(rich), *back = NULL;
	struct gg_oid t1 = oid(T1);
	char path[512];
	char *orig;
	long len, i;
	FILE *f;

	make_dir();
	gg_defs__save_bin(d, dir);
	snprintf(path, sizeof(path), "%s/defsbin-%s", dir, T1);
	f = fopen(path, "r");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	orig = malloc((size_t)len);
	if (fread(orig, 1, (size_t)len, f) != (size_t)len)
		abort();
	fclose(f);
	for (i = 0; i < 2 * len; i++) {
		f = fopen(path, "w");
		if (i < len) {
			orig[i] ^= 0x41;
			fwrite(orig, 1, (size_t)len, f);
			orig[i] ^= 0x41;
		} else {
			fwrite(orig, 1, (size_t)(i - len), f);
		}
		fclose(f);
		if (gg_defs__load_bin(&back, dir, &t1) == 0) {
			char *text = text_of(back); /* reads every string */

			free(text);
		}
		gg_defs_free(back);
		back = NULL;
	}
	free(orig);
	gg_defs_free(d);
	remove_dir();
}

int main(void)
{
	TAP_RUN(test_defs_store__a_delta_chain_loads_as_the_whole_set);
	TAP_RUN(test_defs_store__broken_deltas_are_refused);
	TAP_RUN(test_defs_store__a_missing_base_or_a_loop_fails);
	TAP_RUN(test_defs_store__long_chains_end_in_a_whole_set);
	TAP_RUN(test_defs_store__an_existing_file_is_kept);
	TAP_RUN(test_defs_store__pruning_keeps_what_kept_deltas_need);
	TAP_RUN(test_defs_store__a_flat_twin_loads_as_its_text);
	TAP_RUN(test_defs_store__a_damaged_twin_is_refused_or_harmless);
	return tap_done();
}
