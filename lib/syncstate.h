/*
 * Sync behaviour in effect, as the controllers read it, for the rules
 * about how controllers act (check-sync.c, check-scope.c):
 *
 *   - what an Application, an ApplicationSet or a Flux Kustomization
 *     asks for: automated sync, prune, self-heal, allowEmpty
 *     (gitops-semantics.md 1.4, 1.5, 2.1, 4.1);
 *   - how wide an AppProject is (section 3);
 *   - finding the object of the same identity in another tree, and
 *     whether an object deploys from this repository.
 *
 * ApplicationSets: every generator's template is merged over
 * spec.template the way the controller does it (mergo.Merge: a field
 * the generator's template leaves empty or false takes spec.template's
 * value, so a boolean is on when either sets it), and the result is
 * what any generated app may get.  spec.templatePatch is Go-template
 * text that gitops-guard does not evaluate: its text is read
 * conservatively (gg_sync_patch_guess) and what it may switch on is kept
 * apart from what is on for certain.
 */
#ifndef GG_SYNCSTATE_H
#define GG_SYNCSTATE_H

#include "changes.h"
#include "defs.h"
#include "model.h"
#include "policy.h"
#include "refapps.h"
#include "session.h"

enum gg_sync_bits {
	GG_SYNC_AUTO = (1 << 0),       /* Argo CD automated sync in effect;
					 * Flux: not suspended */
	GG_SYNC_PRUNE = (1 << 1),      /* Argo CD auto-prune; Flux prune */
	GG_SYNC_SELF_HEAL = (1 << 2),  /* Argo CD automated.selfHeal */
	GG_SYNC_ALLOW_EMPTY = (1 << 3) /* allowEmpty on an auto-pruning app */
};

struct gg_sync_state {
	unsigned on;	/* enum gg_sync_bits in effect as written */
	unsigned maybe; /* bits a templatePatch may switch on besides */
};

/* The sync state of an Application (from its typed spec). */
void gg_sync_of_app(struct gg_sync_state *out, const struct gg_argo_app *app);

/* An ApplicationSet's: spec.template merged with each generator's
 * template, any generator's result counting, and its templatePatch. */
void gg_sync_of_appset(struct gg_sync_state *out,
		       const struct gg_argo_appset *set);

/* A Flux Kustomization's: AUTO unless suspended, PRUNE if prune: true. */
void gg_sync_of_flux(struct gg_sync_state *out, const struct gg_flux_ks *ks);

/* Any of the three kinds; zero for other objects. */
void gg_sync_of_object(struct gg_sync_state *out, const struct gg_object *o);

/*
 * What a templatePatch text may switch on, read without evaluating it:
 * AUTO when it names "automated"; PRUNE, SELF_HEAL, ALLOW_EMPTY when
 * it gives "prune", "selfHeal", "allowEmpty" a true value or a template
 * expression ({{ ... }}); ALLOW_EMPTY counts only with PRUNE possible.
 * NULL is no patch.
 */
unsigned gg_sync_patch_guess(const char *text);

/* --- AppProjects ---------------------------------------------------------- */

enum gg_project_wide {
	GG_WIDE_REPOS = (1 << 0),  /* sourceRepos allows "*" */
	GG_WIDE_DESTS = (1 << 1),  /* a destination allows "*" as server,
				    * name or namespace */
	GG_WIDE_CLUSTER = (1 << 2) /* clusterResourceWhitelist allows
				    * group "*" kind "*" */
};

/* The wildcards an AppProject allows (deny entries, "!...", do not). */
unsigned gg_project_wide(const struct gg_argo_project *p);

/* 1 if the project allows any cluster-scoped kind at all (a
 * clusterResourceWhitelist entry; absent means none, section 3). */
int gg_project_cluster_kinds(const struct gg_argo_project *p);

/* --- identities and ownership --------------------------------------------- */

/*
 * The object of `kind` named `name` in the files of `defs` that hold
 * `def_kind` definitions (enum gg_def_kinds), read through the manifest
 * cache.  Namespaces must agree where both objects give one.  *out is
 * NULL when there is none.  Borrowed.  0, or a negative error.
 */
int gg_defs_find_object(const struct gg_object **out,
			const struct gg_defs *defs, struct gg_manifests *m,
			unsigned def_kind, const struct gg_object *like);

/*
 * The same object in the blob at `path` (an older version of a file),
 * else anywhere in `defs`.  `old_blob` may be NULL.  0, or a negative
 * error.
 */
int gg_find_previous(const struct gg_object **out, struct gg_manifests *m,
		     const struct gg_oid *old_blob, const char *path,
		     const struct gg_defs *defs, const struct gg_object *like);

/*
 * The definitions of the tree a ref change is judged against: the old
 * tip's when the ref existed, else the merge base with the default
 * branch (or nothing for the first push).  *out is borrowed; when it
 * had to be built, *owned holds it too and the caller frees it with
 * gg_defs_free() (else *owned is NULL).  0, or a negative error.
 */
int gg_base_defs(const struct gg_defs **out, struct gg_defs **owned,
		 struct gg_session *s, const struct gg_refchange *rc,
		 const struct gg_refapps *ra);

/*
 * 1 if an Application, ApplicationSet or Flux Kustomization deploys from
 * this repository: a source's repoURL names it (a templated repoURL of
 * an ApplicationSet counts), or the Kustomization's GitRepository points
 * here or is not defined in `defs` (Flux bootstrap's flux-system).
 */
int gg_object_ours(const struct gg_object *o, const struct gg_session *s,
		   const struct gg_defs *defs);

#endif
