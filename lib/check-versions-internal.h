/*
 * Between check-versions.c (promotion/skipped-stage) and
 * check-versions-lower.c (reading the lower tier); not part of the
 * library's interface.
 */
#ifndef GG_CHECK_VERSIONS_INTERNAL_H
#define GG_CHECK_VERSIONS_INTERNAL_H

#include "check.h"
#include "counterpart.h"
#include "envs.h"
#include "strtab.h"
#include "versions.h"

#define GG_SKIP_MAX_TREES 4

struct scope_cache {
	char *key;
	struct gg_versions vs;
	struct gg_strvec unreadable; /* manifests there that are not YAML */
};

/* A directory listed in every tree read (counterpart.h's lister). */
struct listing {
	uint32_t dir; /* its offset in gg_skip.listed */
	/* allocated apart: handed out while the array of listings grows */
	struct gg_strvec *entries;
};

struct prior {
	char env[64];
	struct gg_versions vs; /* old values of the environment's files */
};

struct gg_skip {
	struct gg_check_run *run;
	struct gg_version_opts opts;
	int branch_env; /* branch per environment: the lower one, or -1 */
	struct gg_oid trees
		[GG_SKIP_MAX_TREES]; /* where lower counterparts are read */
	size_t ntrees;
	struct scope_cache *cache;
	size_t ncache, cache_alloc;
	struct prior *prior;
	size_t nprior, prior_alloc;
	struct gg_strvec *unreadable; /* while reading a scope: its list */
	/* the directories listed, kept for the next file: the same ones
	 * are listed for every file of an app */
	struct gg_strtab listed;
	struct listing *listings; /* in the order of their offsets */
	size_t nlistings, listings_alloc;
};

/* Free what `k` holds. */
void gg_skip__release(struct gg_skip *k);

/* The versions of blob `blob` at `path` (nothing for non-manifests). */
int gg_skip__blob_versions(struct gg_skip *k, struct gg_versions *out,
			   const struct gg_oid *blob, const char *path);

/* Read the lower tier from environment branch `branch` (its tip before
 * the push and the one the push gives it) instead of the ref's trees. */
int gg_skip__branch_trees(struct gg_skip *k, const char *branch);

/*
 * The counterparts of `path` (environment `env`) in the nearest lower
 * tier that has the app; *tier is that tier (with a branch per
 * environment, the lower environment's index), or -1 when none has it.
 */
int gg_skip__find(struct gg_counterparts *out, struct gg_skip *k,
		  const char *path, const struct gg_env *env, int *tier);

/* The union of the versions of every existing counterpart scope, in
 * every tree read (cached per scope); *unreadable counts the manifests
 * there that could not be read as YAML (templates, invalid files). */
int gg_skip__lower_versions(struct gg_skip *k, struct gg_versions *out,
			    size_t *unreadable,
			    const struct gg_counterparts *cps);

/* The counterpart file that `blob` is a byte-for-byte copy of, or NULL.
 * Borrowed from `cps`. */
const char *gg_skip__copied_from(struct gg_skip *k, const struct gg_oid *blob,
				 const struct gg_counterparts *cps);

#endif
