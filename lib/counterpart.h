/*
 * Counterparts: where the files of a changed file's app live in another
 * environment tier.  They are found in the tree, not guessed: the part
 * of the path that names the environment is replaced by every sibling
 * that the environment recognition (envs.h, the policy's `environments`
 * or the built-in names) places in the wanted tier.
 *
 *   envs/prod-eu/version.yml       -> envs/staging-eu/version.yml,
 *                                     envs/staging-us/version.yml
 *   apps/web/overlays/prod/k.yaml  -> apps/web/overlays/staging/k.yaml
 *   charts/web/values-prod.yaml    -> charts/web/values-staging.yaml
 *
 * A file name that names an environment (values-prod.yaml) is looked at
 * first; then the directories of the path, deepest first, until one
 * level has siblings of the wanted tier.  The scope of a directory
 * counterpart is the directory that corresponds to the file's own
 * (envs/staging-eu for envs/prod-eu/version.yml): the app's files in
 * that environment.
 */
#ifndef GG_COUNTERPART_H
#define GG_COUNTERPART_H

#include <stddef.h>

#include "appindex.h"
#include "policy.h"
#include "strvec.h"

/*
 * The entries of directory `dir` ("" for the root) in *out: names,
 * directories with a trailing '/'.  An implementation looks at every
 * tree that counts (before and after a push) and may list a name twice.
 * A missing directory lists nothing.  Borrowed; valid as long as
 * `payload` (gg_counterparts_find() lists a directory while it walks
 * another's entries, and the same directories again for the next file:
 * an implementation keeps what it listed).  0, or a negative error.
 */
typedef int (*gg_dir_lister)(const struct gg_strvec **out, const char *dir,
			     void *payload);

struct gg_counterpart {
	char *path;	   /* the counterpart of the file (may not exist) */
	char *scope;	   /* the app's files there: a directory, or a file */
	int scope_is_file; /* values-staging.yaml */
	int exists;	   /* the scope exists in a listed tree */
	char env[64];	   /* the counterpart's environment */
};

struct gg_counterparts {
	struct gg_counterpart *v;
	size_t nr, alloc;
	int site_found; /* a part of the path names an environment */
};

void gg_counterparts_init(struct gg_counterparts *c);
void gg_counterparts_release(struct gg_counterparts *c);

/*
 * Find the counterparts of file `path` in tier `tier` of policy `p`,
 * listing directories with `list`.  Appends to `out` (directories whose
 * scope does not exist too, with `exists` 0, so that callers can say
 * what they looked for).  0, or a negative error from `list`.
 */
int gg_counterparts_find(struct gg_counterparts *out, const struct gg_policy *p,
			 const char *path, int tier, gg_dir_lister list,
			 void *payload);

/*
 * The same app in tier `tier`, by the app index: for each app of `now`
 * of tier `from` that deploys `path`, the apps of `now` and `before`
 * (either may be NULL) in tier `tier` whose names are the same apart
 * from environment words (gg_app_name_key(), strict or loose), or, when
 * both names are environment words only, that the same ApplicationSet
 * generates.  Their roots are appended as directory counterparts that
 * exist.
 */
void gg_counterparts_by_app(struct gg_counterparts *out,
			    const struct gg_policy *p,
			    const struct gg_appindex *now,
			    const struct gg_appindex *before, const char *path,
			    int from, int tier);

/* The number of counterparts that exist. */
size_t gg_counterparts_existing(const struct gg_counterparts *c);

/*
 * The name of an app with the words that name environments removed, as
 * a key that is equal for the same app in every environment:
 * "guestbook-prod-eu" gives "guestbook-eu".  With `loose`, the word
 * after an environment word goes too ("guestbook"), unless nothing else
 * is left.  Words are split at '-', '_' and '.'; environment words are
 * the built-in names and the policy's environment names.  Caller owns
 * the result.
 */
char *gg_app_name_key(const struct gg_policy *p, const char *name, int loose);

#endif
