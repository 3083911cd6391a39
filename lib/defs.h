/*
 * The definitions of a tree: everything in it that tells the controllers
 * what to deploy from where, summarised so that it can be cached per
 * tree and updated from a tree diff.
 *
 *   - Argo CD Applications (name, project, sources, destination, sync
 *     policy, cascade finalizer) and Flux Kustomizations and
 *     GitRepositories, as summaries;
 *   - files holding ApplicationSets, AppProjects or HelmReleases, by
 *     path and blob (few; parsed again when needed);
 *   - every kustomization file with its local references (the kustomize
 *     graph), every directory holding a Chart.yaml, every .sourceignore.
 *
 * A definitions set depends on the tree alone (not on the policy), so
 * it is cached as gitops-guard/cache/defs-<tree> inside the repository:
 * written to a temporary file and renamed, so concurrent pushes never
 * see half a file, and harmless when the push is rejected (a cache of a
 * tree that never lands).  A set made by updating another from a diff
 * is written as a delta against that set's file (a few lines for a
 * small push, where the whole set of a large tree is megabytes), up to
 * a chain of eight.  gg_defs_for_tree() builds the set for a tree
 * from the nearest cached set plus a tree diff, so the cost grows with
 * the difference, not with the repository; only blobs that can hold a
 * definition (by name, or holding "argoproj.io" / "toolkit.fluxcd.io")
 * are parsed.
 */
#ifndef GG_DEFS_H
#define GG_DEFS_H

#include <stddef.h>

#include "arena.h"
#include "manifest.h"
#include "model.h"
#include "oid.h"
#include "repo.h"

struct gg_def_source {
	const char *repo_url;
	const char *path;
	const char *revision; /* NULL: HEAD */
	const char *chart;
	const char *include; /* directory.include glob */
	const char *exclude;
	const char *tag_prefix; /* tagPrefix: the tags a range reads */
	signed char recurse;	/* enum gg_tri */
};

struct gg_def_app {
	const char *name;
	const char *namespace_;
	const char *project; /* as written */
	const char *dest_server;
	const char *dest_name;
	const char *dest_namespace;
	unsigned line;
	signed char automated, enabled, prune, self_heal, allow_empty;
	unsigned char cascade, skip_reconcile;
	struct gg_def_source *sources;
	size_t nsources;
};

struct gg_def_ks {
	const char *name;
	const char *namespace_;
	unsigned line;
	const char *path;
	signed char prune, suspend;
	const char *source_kind;
	const char *source_name;
	const char *source_namespace;
	const char *target_namespace;
	const char *service_account;
	const char *deletion_policy;
};

struct gg_def_gitrepo {
	const char *name;
	const char *namespace_;
	unsigned line;
	const char *url;
	const char *branch; /* NULL: pinned to a tag, semver, commit */
	const char *ignore;
	/* the spec.ref field that wins over ref.branch, if any (the
	 * others NULL); all four NULL: a commit */
	const char *tag, *semver, *refname;
};

enum gg_def_kinds {
	GG_DEF_APPLICATION = (1 << 0),
	GG_DEF_APPSET = (1 << 1),
	GG_DEF_APPPROJECT = (1 << 2),
	GG_DEF_FLUX_KS = (1 << 3),
	GG_DEF_GITREPO = (1 << 4),
	GG_DEF_HELMRELEASE = (1 << 5)
};

struct gg_def_file {
	const char *path;
	struct gg_oid blob;
	unsigned kinds; /* enum gg_def_kinds */
	struct gg_def_app *apps;
	size_t napps;
	struct gg_def_ks *kss;
	size_t nkss;
	struct gg_def_gitrepo *repos;
	size_t nrepos;
};

/* A kustomization file and where it points inside the repository. */
struct gg_kfile {
	const char *path; /* "apps/x/kustomization.yaml" */
	const char *dir;  /* the directory holding it ("" for the root) */
	struct gg_oid blob;
	const char **resources; /* resources, bases, components: normalised */
	size_t nresources;
	const char **others; /* patches, generator files: normalised */
	size_t nothers;
	int remote;  /* references outside the repository */
	int invalid; /* does not parse */
};

struct gg_defs {
	struct gg_oid tree;
	struct gg_arena arena;
	struct gg_def_file *files; /* sorted by path */
	size_t nfiles, files_alloc;
	struct gg_kfile *kfiles; /* sorted by dir */
	size_t nkfiles, kfiles_alloc;
	const char **charts; /* Chart.yaml paths, sorted */
	size_t ncharts, charts_alloc;
	const char **ignores; /* .sourceignore paths, sorted */
	size_t nignores, ignores_alloc;
	size_t blobs_read; /* statistics of the last build/update */
	int from_cache;	   /* loaded from a cache file */
	/*
	 * Set by gg_defs_update(): the definitions are the base's apart
	 * from the blob ids of kustomization files, and no path was added
	 * or deleted (so no directory either): whatever was computed from
	 * the base's definitions and directories holds for this tree.
	 */
	int same_shape;
	/* private: the cache (defs-store.c) and sharing (gg_defs_update) */
	int cached;		/* this tree's cache file exists */
	unsigned cache_depth;	/* delta files below this set's file */
	struct gg_defs *shared; /* strings may live in its arena */
	unsigned refs;		/* holders besides the owner */
	void *map;		/* strings may live in this mapped file */
	size_t map_len;
};

/*
 * The definitions of `tree` in `repo`: from the cache of `tree` itself;
 * else from the cache of `base` (may be NULL) updated by the diff
 * base -> tree; else built by scanning the tree.  A set that was not
 * loaded as it is gets written to `cache_dir` (NULL: no cache at all).
 * Blobs larger than `max_blob` are not read.  Caller owns the result;
 * free with gg_defs_free().  0, or a negative error from the repository.
 */
int gg_defs_for_tree(struct gg_defs **out, struct gg_repo *repo,
		     const struct gg_oid *tree, const struct gg_oid *base,
		     const char *cache_dir, size_t max_blob);
void gg_defs_free(struct gg_defs *defs);

/*
 * The definitions of `tree` from those of an older tree already in
 * memory, `base` (the tree before a push), updated by the diff
 * base -> tree: no cache file is read.  `diff` (ndiff entries, in path
 * order) is that diff when the caller has it, else NULL and it is
 * computed.  Sets out->same_shape.  The result shares base's strings;
 * both stay valid until both are freed, in any order.  Writes the cache
 * of `tree` to `cache_dir` (NULL: none), as a small delta against
 * base's file when there is one.  Caller owns the result; free with
 * gg_defs_free().  0, or a negative error from the repository.
 */
int gg_defs_update(struct gg_defs **out, struct gg_repo *repo,
		   const struct gg_oid *tree, struct gg_defs *base,
		   const struct gg_delta *diff, size_t ndiff,
		   const char *cache_dir, size_t max_blob);

/* The empty set (for the tree before the first push). */
struct gg_defs *gg_defs_empty(void);

/* Lookups (borrowed; valid until gg_defs_free()). */
const struct gg_def_file *gg_defs_file(const struct gg_defs *d,
				       const char *path);
const struct gg_kfile *gg_defs_kfile(const struct gg_defs *d, const char *dir);
int gg_defs_has_chart(const struct gg_defs *d, const char *dir);
/* The GitRepository `name` the set defines, in namespace `ns` (NULL, or
 * a record without one: any); NULL when none (or `d` is NULL). */
const struct gg_def_gitrepo *gg_defs_gitrepo(const struct gg_defs *d,
					     const char *name, const char *ns);

/* Serialise to / parse from the cache format (exposed for unit tests). */
void gg_defs_serialize(struct gg_buf *out, const struct gg_defs *d);
int gg_defs_parse(struct gg_defs **out, const char *data, size_t len);

/*
 * Normalise `ref` relative to directory `dir`: "apps/x/overlays/prod" and
 * "../../base" give "apps/x/base".  Returns NULL (and sets *remote when
 * the reference is a URL or leaves the repository).  Allocated in
 * `arena`.
 */
const char *gg_defs_resolve(struct gg_arena *arena, const char *dir,
			    const char *ref, int *remote);

#endif
