/*
 * The repository: everything gitops-guard asks of Git, behind one small
 * interface.  repo.c is the only file that includes git2.h.
 *
 * Opening follows reference/hook-platforms.md: the repository is opened
 * bare (never from GIT_* variables, which libgit2 1.5 misreads when the
 * path contains ':' and refuses when GIT_WORK_TREE is set), and the
 * quarantine directory holding the pushed objects is added as an
 * alternate object directory.  A repository opened read-only never
 * writes anything; hooks that run before the refs move open it so.
 */
#ifndef GG_REPO_H
#define GG_REPO_H

#include <stddef.h>

#include "buf.h"
#include "oid.h"

struct gg_repo;

enum gg_repo_flags {
	GG_REPO_READONLY = (1 << 0), /* refuse every write (notes, config) */
	GG_REPO_SEARCH =
		(1 << 1) /* look upwards from `git_dir` (a work tree) */
};

/* Set up and shut down libgit2; main() calls each exactly once. */
int gg_repo_global_init(void);
void gg_repo_global_shutdown(void);

/*
 * Open the repository at `git_dir` (a bare repository or a .git
 * directory; a work tree is found through its .git) and, if
 * `quarantine` is not NULL, add it as an alternate object directory.
 * Caller owns the result; free with gg_repo_free().  0, GG_ENOTFOUND
 * (no repository there) or GG_ERROR.
 */
int gg_repo_open(struct gg_repo **out, const char *git_dir,
		 const char *quarantine, unsigned flags);
void gg_repo_free(struct gg_repo *repo);

/* The repository's git directory (ends in '/').  Borrowed. */
const char *gg_repo_path(struct gg_repo *repo);

/* 1 when the repository has no work tree. */
int gg_repo_is_bare(struct gg_repo *repo);

/* The ref the symbolic ref `name` points at: for "HEAD" of a bare
 * repository "refs/heads/main".  Caller owns the result.  GG_ENOTFOUND
 * when `name` is missing or not symbolic (a detached HEAD). */
int gg_repo_symref_target(char **out, struct gg_repo *repo, const char *name);

/*
 * Resolve `refname` (following symbolic refs) to the commit it names,
 * peeling tags.  GG_ENOTFOUND when the ref does not exist; GG_EINVALID
 * when it names something that is not a commit.
 */
int gg_repo_ref_commit(struct gg_oid *out, struct gg_repo *repo,
		       const char *refname);

/* Resolve a revision expression ("HEAD~2", "origin/main") to a commit. */
int gg_repo_revparse_commit(struct gg_oid *out, struct gg_repo *repo,
			    const char *spec);

/*
 * Peel the object `oid` to a commit (through annotated tags).
 * GG_EINVALID when it is not a commit or tag of one; GG_ENOTFOUND when
 * the object is missing.
 */
int gg_repo_peel_commit(struct gg_oid *out, struct gg_repo *repo,
			const struct gg_oid *oid);

/* 1 if the object exists (in the main store or the quarantine). */
int gg_repo_has_object(struct gg_repo *repo, const struct gg_oid *oid);

struct gg_commit_info {
	struct gg_oid oid;
	struct gg_oid tree;
	size_t nparents;
	struct gg_oid first_parent; /* zero when nparents == 0 */
	char *message;		    /* owned; full raw message */
	char *author;		    /* owned; "Name <email>" */
	char *committer;	    /* owned */
	long long time;		    /* committer time, Unix seconds */
};

/* Read a commit.  Release with gg_commit_info_release(). */
int gg_repo_commit_info(struct gg_commit_info *out, struct gg_repo *repo,
			const struct gg_oid *commit);
void gg_commit_info_release(struct gg_commit_info *ci);

/* The tree of a commit. */
int gg_repo_commit_tree(struct gg_oid *out, struct gg_repo *repo,
			const struct gg_oid *commit);

/* The ids of a commit's parents, in order; at most `max`.  Returns the
 * number of parents (which may exceed `max`) or a negative error. */
int gg_repo_commit_parents(struct gg_oid *out, size_t max, struct gg_repo *repo,
			   const struct gg_oid *commit);

/*
 * Walk the commits reachable from `tip` but from none of `hide`
 * (nhide ids; zero ids are ignored), children before parents.  With
 * `first_parent`, follow first parents only.  `cb` gets each commit id;
 * a non-zero return stops the walk and is returned.  At most `limit`
 * commits are visited (0: no limit); reaching it returns GG_ELIMIT.
 */
typedef int (*gg_repo_commit_cb)(const struct gg_oid *commit, void *payload);
int gg_repo_walk(struct gg_repo *repo, const struct gg_oid *tip,
		 const struct gg_oid *hide, size_t nhide, int first_parent,
		 size_t limit, gg_repo_commit_cb cb, void *payload);

/* The best common ancestor of two commits; GG_ENOTFOUND when none. */
int gg_repo_merge_base(struct gg_oid *out, struct gg_repo *repo,
		       const struct gg_oid *a, const struct gg_oid *b);

/*
 * All best common ancestors of two commits (more than one after a
 * criss-cross merge): up to `max` of them in `out`; their number
 * stored, GG_ENOTFOUND when none, or a negative error.
 */
int gg_repo_merge_bases(struct gg_oid *out, size_t max, struct gg_repo *repo,
			const struct gg_oid *a, const struct gg_oid *b);

/* One input of gg_repo_merge_text(): a blob of the repository, or bytes
 * (what an earlier merge gave). */
struct gg_merge_text {
	const struct gg_oid *oid; /* NULL: `ptr` and `len` */
	const char *ptr;
	size_t len;
};

/* How conflicting lines are resolved: not (a conflict), or by taking
 * one side's lines for each conflicting region (git merge -X ours /
 * -X theirs). */
enum gg_merge_favor {
	GG_MERGE_FAVOR_NONE,
	GG_MERGE_FAVOR_OURS,
	GG_MERGE_FAVOR_THEIRS
};

/*
 * Merge texts `ours` and `theirs` line by line from their common
 * ancestor `base` (NULL: none, an empty file), as git merges text by
 * default (no merge drivers or attributes), resolving conflicting
 * regions as `favor` says.  0 when the merge is clean, with `out` the
 * blob id of the result (nothing is written) and, when `bytes` is not
 * NULL, the result in it; 1 when it conflicts or a side is binary
 * (with GG_MERGE_FAVOR_NONE); GG_ELIMIT when an input is larger than
 * `limit` bytes; or a negative error.
 */
int gg_repo_merge_text(struct gg_oid *out, struct gg_buf *bytes,
		       struct gg_repo *repo, const struct gg_merge_text *base,
		       const struct gg_merge_text *ours,
		       const struct gg_merge_text *theirs,
		       enum gg_merge_favor favor, size_t limit);

/* 1 if `ancestor` is reachable from `commit` or equal to it, 0 if not,
 * or a negative error. */
int gg_repo_is_ancestor(struct gg_repo *repo, const struct gg_oid *ancestor,
			const struct gg_oid *commit);

enum gg_entry_kind {
	GG_ENTRY_BLOB,
	GG_ENTRY_TREE,
	GG_ENTRY_LINK,	/* symbolic link (a blob holding the target) */
	GG_ENTRY_COMMIT /* submodule */
};

struct gg_tree_entry {
	struct gg_oid oid;
	enum gg_entry_kind kind;
	unsigned mode;
};

/* Look up `path` ("apps/x/kustomization.yaml"; "" is the tree itself)
 * in `tree`.  GG_ENOTFOUND when absent. */
int gg_repo_tree_lookup(struct gg_tree_entry *out, struct gg_repo *repo,
			const struct gg_oid *tree, const char *path);

/*
 * Call `cb` for every entry below directory `dir` of `tree` ("" for the
 * root), in path order, with the entry's path relative to the root.
 * Without `recursive` only the immediate entries are listed.  A
 * non-zero return of `cb` stops the listing and is returned; GG_ENOTFOUND
 * when `dir` is not a directory of the tree.
 */
typedef int (*gg_repo_entry_cb)(const char *path,
				const struct gg_tree_entry *entry,
				void *payload);
int gg_repo_tree_list(struct gg_repo *repo, const struct gg_oid *tree,
		      const char *dir, int recursive, gg_repo_entry_cb cb,
		      void *payload);

/* The size of a blob without reading it. */
int gg_repo_blob_size(size_t *out, struct gg_repo *repo,
		      const struct gg_oid *blob);

/*
 * Append the contents of a blob to `out`.  A blob larger than the
 * buffer's limit is not read: GG_ELIMIT.
 */
int gg_repo_blob_read(struct gg_buf *out, struct gg_repo *repo,
		      const struct gg_oid *blob);

enum gg_delta_status { GG_DELTA_ADDED, GG_DELTA_DELETED, GG_DELTA_MODIFIED };

struct gg_delta {
	enum gg_delta_status status;
	const char *path;      /* borrowed, valid during the callback */
	struct gg_oid old_oid; /* zero when added */
	struct gg_oid new_oid; /* zero when deleted */
	enum gg_entry_kind old_kind;
	enum gg_entry_kind new_kind;
};

/*
 * Compare two trees (either may be NULL for the empty tree) and call
 * `cb` for every path whose blob, link or submodule differs, in path
 * order.  Identical subtrees are skipped without being read, so the cost
 * grows with the size of the change, not of the trees.  A path that is a
 * file on one side and a directory on the other is reported as a
 * deletion plus additions.  A non-zero return of `cb` stops the diff.
 */
typedef int (*gg_repo_delta_cb)(const struct gg_delta *delta, void *payload);
int gg_repo_diff_trees(struct gg_repo *repo, const struct gg_oid *old_tree,
		       const struct gg_oid *new_tree, gg_repo_delta_cb cb,
		       void *payload);

/* The object id git gives `len` bytes of `data` as a blob: a digest for
 * cache keys. */
void gg_repo_hash(struct gg_oid *out, const void *data, size_t len);

/* The same for the contents of the file at `path`.  GG_ENOTFOUND when
 * it cannot be read. */
int gg_repo_hash_file(struct gg_oid *out, const char *path);

/* The value of a configuration key.  Caller owns the result.
 * GG_ENOTFOUND when unset. */
int gg_repo_config_string(char **out, struct gg_repo *repo, const char *key);

/* Set a configuration key in the repository's own config file.  Fails
 * on a read-only repository. */
int gg_repo_config_set_string(struct gg_repo *repo, const char *key,
			      const char *value);

/*
 * Add `text` to the note of `commit` under `notes_ref`, appending to an
 * existing note.  Fails on a read-only repository.
 */
int gg_repo_note_append(struct gg_repo *repo, const char *notes_ref,
			const struct gg_oid *commit, const char *text);

/* Read the note of `commit` under `notes_ref` into `out`. GG_ENOTFOUND. */
int gg_repo_note_read(struct gg_buf *out, struct gg_repo *repo,
		      const char *notes_ref, const struct gg_oid *commit);

/* Call `cb` for every ref matching `glob` (fnmatch style; NULL: all)
 * with the id it points at (unpeeled). */
typedef int (*gg_repo_ref_cb)(const char *refname, const struct gg_oid *oid,
			      void *payload);
int gg_repo_foreach_ref(struct gg_repo *repo, const char *glob,
			gg_repo_ref_cb cb, void *payload);

#endif
