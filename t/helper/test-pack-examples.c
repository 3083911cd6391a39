/*
 * test-pack-examples: write out the examples of a rule pack for
 * t/t5000-shipped-packs.sh, which pushes each of them.
 *
 *   test-pack-examples <pack-file> <out-dir>
 *
 * Example N of rule R goes to <out-dir>/R.N/ as before/<path> and
 * files/<path>, and stdout gets one line per example:
 *   <rule-id> <N> <line> accept|reject <out-dir>/R.N
 * with the expected finding line, if the example names one, in
 * <out-dir>/R.N/finding.  Exit 1 when the pack does not load.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "guard.h"
#include "banned.h"

/* Create every directory of `path` up to its last '/'. */
static int make_dirs(const char *path)
{
	char *dir = gg_xstrdup(path), *p;
	int err = 0;

	for (p = strchr(dir + 1, '/'); p && !err; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(dir, 0777) < 0 && errno != EEXIST)
			err = -1;
		*p = '/';
	}
	free(dir);
	return err;
}

static int write_file(const char *path, const char *content)
{
	FILE *f;
	int err = 0;

	if (make_dirs(path) < 0 || !(f = fopen(path, "w"))) {
		fprintf(stderr, "cannot write '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	if (fputs(content, f) == EOF)
		err = -1;
	if (fclose(f) == EOF)
		err = -1;
	return err;
}

static int write_files(const char *dir, const char *sub,
		       const struct gg_strvec *files)
{
	size_t i;
	int err = 0;

	for (i = 0; i + 1 < files->nr && !err; i += 2) {
		char *path = gg_xasprintf("%s/%s/%s", dir, sub, files->v[i]);

		err = write_file(path, files->v[i + 1]);
		free(path);
	}
	return err;
}

static int write_example(const char *out, const struct gg_pack_rule *r,
			 size_t n, const struct gg_pack_example *ex)
{
	char *dir = gg_xasprintf("%s/%s.%zu", out, r->name, n);
	char *finding = gg_xasprintf("%s/finding", dir);
	int err;

	err = write_files(dir, "files", &ex->files);
	if (!err)
		err = write_files(dir, "before", &ex->before);
	if (!err && ex->finding)
		err = write_file(finding, ex->finding);
	if (!err)
		printf("%s %zu %u %s %s\n", r->id, n, ex->line,
		       ex->reject ? "reject" : "accept", dir);
	free(finding);
	free(dir);
	return err;
}

int main(int argc, char **argv)
{
	struct gg_packs *ps = gg_packs_new();
	const struct gg_pack *pk;
	size_t r, e;
	int err = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: test-pack-examples <pack-file> <dir>\n");
		return 2;
	}
	if (gg_packs_load_file(ps, argv[1]) < 0) {
		fprintf(stderr, "%s\n", gg_error_last());
		gg_packs_free(ps);
		return 1;
	}
	pk = ps->v[0];
	for (r = 0; r < pk->nrules && !err; r++)
		for (e = 0; e < pk->rules[r].nexamples && !err; e++)
			err = write_example(argv[2], &pk->rules[r], e + 1,
					    &pk->rules[r].examples[e]);
	gg_packs_free(ps);
	return err ? 1 : 0;
}
