/*
 * A session: everything one run of a hook or of `gitops-guard check`
 * works with — the context, the repository, the default branch and its
 * pre-push tip, the layered policy, and the manifest cache.
 */
#ifndef GG_SESSION_H
#define GG_SESSION_H

#include "appindex.h"
#include "context.h"
#include "defs.h"
#include "manifest.h"
#include "oid.h"
#include "policy.h"
#include "repo.h"

struct gg_session_opts {
	enum gg_hook_kind hook;
	const char *git_dir; /* NULL: from GIT_DIR */
	const char
		*policy_file; /* check --policy: replaces the server layers */
	const char *default_ref; /* check --default-branch; NULL: detect */
	int readonly;		 /* never write (hooks before refs move) */
	int search;		 /* git_dir may be inside a work tree */
};

struct gg_session {
	struct gg_context ctx;
	struct gg_repo *repo;
	char *default_ref; /* "refs/heads/main", or NULL if unknown */
	int has_default_tip;
	struct gg_oid default_tip; /* pre-push tip of the default branch */
	struct gg_oid default_tree;
	char *default_tip_source; /* the ref the tip was read from */
	struct gg_policy policy;
	char *in_repo_policy; /* name for messages: "main:.gitops-guard.yaml" */
	char *in_repo_error;  /* the in-repo policy does not validate: why (the
			       * policy then holds the lower layers; see
			       * gg_engine_run) */
	struct gg_manifests *manifests;
	char *cache_dir; /* <git dir>/gitops-guard/cache */
	struct gg_strvec
		remarks; /* for the pusher: a fallback default branch */
	struct gg_defs *default_defs; /* built on first use */
	struct gg_appindex *default_index;
	char *index_extra; /* what indexes depend on besides their trees:
			    * the program and the policy (cache keys) */
};

/*
 * Open a session: read the environment, open the repository
 * (quarantine-aware), find the default branch (HEAD of a bare
 * repository; origin/HEAD or HEAD of a clone), and load the policy
 * layers.  Release with gg_session_release() in every case.  0, or a
 * negative error with the message in gg_error_last(): the caller
 * reports it as an internal error (exit status 2).
 */
int gg_session_open(struct gg_session *s, const struct gg_session_opts *opts);
void gg_session_release(struct gg_session *s);

/*
 * The definitions and app index of the default branch's pre-push tree,
 * built on first use (empty when there is no default branch yet).
 * Borrowed; valid until gg_session_release().
 */
int gg_session_default_index(struct gg_session *s,
			     const struct gg_appindex **idx,
			     const struct gg_defs **defs);

/*
 * The app index that `in` describes, through the index cache: loaded
 * when an index with the same inputs was saved, else built and saved.
 * `shapes` holds the shape of each layer's tree (gg_appindex_shape()).
 * Caller owns the result; gg_appindex_free().  0, or a negative error
 * from the repository.
 */
int gg_session_index(struct gg_appindex **out, struct gg_session *s,
		     const struct gg_index_input *in,
		     const struct gg_oid *shapes);

/* The branch name of the default ref ("main"), or NULL.  Borrowed. */
const char *gg_session_default_branch(const struct gg_session *s);

#endif
