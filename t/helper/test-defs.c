/*
 * test-defs: the definitions of trees as the hooks get them, next to a
 * fresh scan, for the shell tests of the definitions cache.
 *
 *   test-defs load <git-dir> <rev> <cache-dir>
 *   test-defs update <git-dir> <old-rev> <new-rev> <cache-dir>
 *
 * Each prints how the set was had ("cache depth N", "same shape 0|1")
 * and "identical" or "different" against a scan of the tree.
 */
#include <stdio.h>
#include <string.h>

#include "defs.h"
#include "repo.h"
#include "banned.h"

#define MAX_BLOB (4 * 1024 * 1024)

static int tree_of(struct gg_oid *out, struct gg_repo *repo, const char *rev)
{
	struct gg_oid commit;
	int err;

	if ((err = gg_repo_revparse_commit(&commit, repo, rev)) < 0)
		return err;
	return gg_repo_commit_tree(out, repo, &commit);
}

/* Print whether `d` says what a scan of its tree says. */
static int compare(struct gg_repo *repo, const struct gg_defs *d)
{
	struct gg_buf a = GG_BUF_INIT, b = GG_BUF_INIT;
	struct gg_defs *fresh = NULL;
	int err;

	if ((err = gg_defs_for_tree(&fresh, repo, &d->tree, NULL, NULL,
				    MAX_BLOB)) < 0)
		return err;
	gg_defs_serialize(&a, d);
	gg_defs_serialize(&b, fresh);
	printf("%s\n", a.len == b.len && !memcmp(a.buf, b.buf, a.len)
			       ? "identical"
			       : "different");
	gg_buf_release(&a);
	gg_buf_release(&b);
	gg_defs_free(fresh);
	return 0;
}

static int run(struct gg_repo *repo, int argc, char **argv)
{
	struct gg_defs *old = NULL, *d = NULL;
	struct gg_oid t1, t2;
	int err;

	if (!strcmp(argv[1], "load") && argc == 5) {
		if ((err = tree_of(&t1, repo, argv[3])) < 0 ||
		    (err = gg_defs_for_tree(&d, repo, &t1, NULL, argv[4],
					    MAX_BLOB)) < 0)
			return err;
		printf("from cache %d, depth %u\n", d->from_cache,
		       d->cache_depth);
	} else if (!strcmp(argv[1], "update") && argc == 6) {
		if ((err = tree_of(&t1, repo, argv[3])) < 0 ||
		    (err = tree_of(&t2, repo, argv[4])) < 0 ||
		    (err = gg_defs_for_tree(&old, repo, &t1, NULL, argv[5],
					    MAX_BLOB)) < 0 ||
		    (err = gg_defs_update(&d, repo, &t2, old, NULL, 0, argv[5],
					  MAX_BLOB)) < 0)
			goto out;
		printf("same shape %d\n", d->same_shape);
	} else {
		fprintf(stderr, "usage: test-defs load|update ...\n");
		return -1;
	}
	err = compare(repo, d);
out:
	gg_defs_free(d);
	gg_defs_free(old);
	return err;
}

int main(int argc, char **argv)
{
	struct gg_repo *repo = NULL;
	int err;

	if (argc < 3 || gg_repo_global_init() < 0)
		return 2;
	if ((err = gg_repo_open(&repo, argv[2], NULL, 0)) == 0)
		err = run(repo, argc, argv);
	if (err < 0)
		fprintf(stderr, "test-defs: %s\n", gg_error_last());
	gg_repo_free(repo);
	gg_repo_global_shutdown();
	return err < 0 ? 1 : 0;
}
