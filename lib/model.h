/*
 * The GitOps model: YAML documents typed as the objects Argo CD, Flux
 * and Kustomize act on, with the defaults the controllers apply
 * (reference/gitops-semantics.md; the tables there are the contract).
 *
 * Every field keeps the difference between "absent" and "set": booleans
 * are enum gg_tri (GG_UNSET, GG_FALSE, GG_TRUE) and the effective value
 * is computed by the gg_*_effective helpers, so that a rule can tell
 * "prune: false" from no prune at all.  Strings are NULL when absent.
 * Everything is borrowed from the manifest cache and valid until
 * gg_manifests_free().
 *
 * The model of a blob is built once (gg_model_get) and cached with the
 * manifest.  Files named kustomization.yaml, kustomization.yml or
 * Kustomization are read as Kustomize kustomizations whatever their
 * apiVersion says (Kustomize does the same).
 *
 * A List is not an object but its items are: a document whose kind
 * ends in "List" ("List", "ConfigMapList", ...) and whose items is a
 * sequence (or null: no items) gives one object per item that is a
 * map, at the item's line, as kustomize, kubectl and Argo CD's manifest
 * generation expand it.  Lists in Lists are expanded too (kustomize
 * does; Argo CD expands one level and then fails to sync the inner
 * List, so seeing its items errs on the side of the rules), down to
 * GG_MODEL_MAX_LIST_DEPTH.  Items that are not maps are skipped: the
 * controllers refuse such a List, and the other items are what it asks
 * for once fixed.  A *List without items is an object of its own.
 */
#ifndef GG_MODEL_H
#define GG_MODEL_H

#include <stddef.h>

#include "manifest.h"
#include "yamlload.h"

enum gg_tri { GG_UNSET = -1, GG_FALSE = 0, GG_TRUE = 1 };

enum gg_kind {
	GG_KIND_OTHER,		    /* any other Kubernetes object */
	GG_KIND_NOT_OBJECT,	    /* a document without kind (values files) */
	GG_KIND_APPLICATION,	    /* argoproj.io Application */
	GG_KIND_APPLICATIONSET,	    /* argoproj.io ApplicationSet */
	GG_KIND_APPPROJECT,	    /* argoproj.io AppProject */
	GG_KIND_FLUX_KUSTOMIZATION, /* kustomize.toolkit.fluxcd.io */
	GG_KIND_GITREPOSITORY,	    /* source.toolkit.fluxcd.io GitRepository */
	GG_KIND_OCIREPOSITORY,	    /* source.toolkit.fluxcd.io OCIRepository */
	GG_KIND_HELMRELEASE,	    /* helm.toolkit.fluxcd.io HelmRelease */
	GG_KIND_KUSTOMIZATION,	    /* kustomize.config.k8s.io kustomization */
	GG_KIND_SECRET,		    /* v1 Secret */
	GG_KIND_SEALEDSECRET,	    /* bitnami.com SealedSecret */
	GG_KIND_EXTERNALSECRET	    /* external-secrets.io ExternalSecret */
};

/* --- Argo CD -------------------------------------------------------------- */

struct gg_argo_source {
	const char *repo_url;
	const char *path;	     /* NULL: none (a Helm repository chart) */
	const char *target_revision; /* NULL: absent, which means HEAD */
	const char *chart;	     /* Helm repository chart name */
	const char *ref;	     /* sources[].ref name */
	const char *tag_prefix;	     /* tagPrefix: tags a range reads (v3.5) */
	enum gg_tri recurse;	     /* directory.recurse, default false */
	const struct gg_ynode
		*include; /* directory.include (string), or NULL */
	const struct gg_ynode
		*exclude; /* directory.exclude (string), or NULL */
	int has_helm, has_kustomize, has_directory, has_plugin;
	const struct gg_ynode *node; /* the source map */
};

struct gg_argo_sync {
	int automated_present;	 /* syncPolicy.automated exists */
	enum gg_tri enabled;	 /* automated.enabled (v3.1+), default true */
	enum gg_tri prune;	 /* automated.prune, default false */
	enum gg_tri self_heal;	 /* automated.selfHeal, default false */
	enum gg_tri allow_empty; /* automated.allowEmpty, default false */
	const struct gg_ynode *sync_options; /* syncPolicy.syncOptions */
	const struct gg_ynode *node;	     /* syncPolicy.automated, or NULL */
};

struct gg_argo_app {
	const char *project; /* as written; NULL (absent, null, "") is
				"default" */
	struct gg_argo_source *sources; /* spec.sources, else spec.source */
	size_t nsources;
	int multi_source; /* spec.sources was used */
	const char *dest_server;
	const char *dest_name;
	const char *dest_namespace;
	struct gg_argo_sync sync;
	int cascade;	    /* resources-finalizer.argocd.argoproj.io[/...] */
	int skip_reconcile; /* argocd.argoproj.io/skip-reconcile: "true" */
};

enum gg_gen_type {
	GG_GEN_LIST,
	GG_GEN_GIT_DIRECTORIES,
	GG_GEN_GIT_FILES,
	GG_GEN_CLUSTERS,
	GG_GEN_MATRIX,
	GG_GEN_MERGE,
	GG_GEN_OTHER /* scm, pull request, plugin, ... */
};

struct gg_gen_path {
	const char *path; /* a glob */
	int exclude;
};

struct gg_generator {
	enum gg_gen_type type;
	const char *repo_url;	   /* git generators */
	const char *revision;	   /* git generators; NULL: HEAD */
	struct gg_gen_path *paths; /* directories[] or files[] */
	size_t npaths;
	const struct gg_ynode *elements; /* list.elements, or NULL */
	struct gg_generator *children;	 /* matrix / merge */
	size_t nchildren;
	const struct gg_ynode *template_; /* the generator's own template */
	const struct gg_ynode *node;
};

struct gg_argo_appset {
	const struct gg_ynode *template_; /* spec.template */
	struct gg_argo_app app;		  /* spec.template.spec, typed */
	const char *name_template;	  /* spec.template.metadata.name */
	int template_cascade; /* template finalizers name the finalizer */
	int template_has_finalizers; /* template lists any finalizer */
	enum gg_tri
		preserve_on_delete; /* syncPolicy.preserveResourcesOnDeletion */
	const char *
		applications_sync; /* syncPolicy.applicationsSync; NULL: sync */
	enum gg_tri go_template;
	const char *template_patch; /* spec.templatePatch text */
	struct gg_generator *generators;
	size_t ngenerators;
};

struct gg_argo_dest {
	const char *server;
	const char *name;
	const char *namespace_;
};

struct gg_argo_project {
	const struct gg_ynode *source_repos; /* list of strings, or NULL */
	struct gg_argo_dest *dests;
	size_t ndests;
	const struct gg_ynode *cluster_whitelist; /* clusterResourceWhitelist */
	const struct gg_ynode *ns_whitelist; /* namespaceResourceWhitelist */
	const struct gg_ynode *ns_blacklist; /* namespaceResourceBlacklist */
	const struct gg_ynode *source_namespaces;
	const struct gg_ynode *sync_windows;
};

/* --- Flux ----------------------------------------------------------------- */

struct gg_flux_ks {
	const char *path;  /* NULL: the artifact root */
	enum gg_tri prune; /* required by Flux; GG_UNSET = missing */
	const char *source_kind;
	const char *source_name;
	const char *source_namespace; /* NULL: the Kustomization's namespace */
	const char *target_namespace;
	const char *service_account;
	enum gg_tri suspend;	     /* default false */
	const char *deletion_policy; /* NULL: MirrorPrune */
	const struct gg_ynode *images;
};

struct gg_flux_gitrepo {
	const char *url;
	const char *branch; /* ref.branch; see gg_flux_gitrepo_branch */
	const char *tag, *semver, *commit, *name;
	const char *ignore; /* spec.ignore (gitignore syntax) */
	int has_ref;
};

struct gg_flux_helmrelease {
	const char *chart;	    /* spec.chart.spec.chart */
	const char *version;	    /* spec.chart.spec.version */
	const char *chart_ref_kind; /* spec.chartRef.kind */
	const char *chart_ref_name;
	const char *release_name;
	const char *target_namespace;
	enum gg_tri suspend;
	const struct gg_ynode *values;
};

struct gg_flux_ocirepo {
	const char *url;
	const char *tag, *semver, *digest;
};

/* --- Kustomize ------------------------------------------------------------ */

struct gg_kustomize {
	const struct gg_ynode *resources; /* lists of strings, or NULL */
	const struct gg_ynode *components;
	const struct gg_ynode *bases; /* deprecated, same as resources */
	const struct gg_ynode *images;
	const struct gg_ynode *helm_charts;
	const struct gg_ynode *secret_generator;
	const char *namespace_;
	const char *name_prefix;
	const char *name_suffix;
};

/* --- Secrets -------------------------------------------------------------- */

struct gg_secret {
	const struct gg_ynode *data;	    /* map, or NULL */
	const struct gg_ynode *string_data; /* map, or NULL */
	const char *type;
	const char
		*argocd_secret_type; /* label argocd.argoproj.io/secret-type */
};

/* --- objects -------------------------------------------------------------- */

enum gg_protect {
	GG_PROTECT_PRUNE_FALSE = (1 << 0), /* argocd sync-options Prune=false */
	GG_PROTECT_PRUNE_CONFIRM = (1 << 1),  /* Prune=confirm */
	GG_PROTECT_DELETE_FALSE = (1 << 2),   /* Delete=false */
	GG_PROTECT_DELETE_CONFIRM = (1 << 3), /* Delete=confirm */
	GG_PROTECT_FLUX_PRUNE =
		(1 << 4), /* kustomize.toolkit.fluxcd.io/prune: disabled */
	GG_PROTECT_HELM_KEEP = (1 << 5) /* helm.sh/resource-policy: keep */
};

struct gg_object {
	enum gg_kind kind;
	/* the List document this object is an item of (perhaps through
	 * Lists nested in it), or NULL for a document of its own */
	const struct gg_ynode *list;
	const char *api_version;
	const char *kind_name;	/* the kind as written */
	const char *name;	/* metadata.name */
	const char *namespace_; /* metadata.namespace */
	unsigned line;		/* where the document or List item starts */
	const struct gg_ynode *root;
	unsigned protect; /* enum gg_protect bits */
	int sops;	  /* SOPS-encrypted, its own document or its List's: a
		   * top-level sops mapping with mac and lastmodified, or
		   * one next to ENC[AES256_GCM,...] values */
	const struct gg_ynode *finalizers;
	union {
		struct gg_argo_app app;
		struct gg_argo_appset appset;
		struct gg_argo_project project;
		struct gg_flux_ks ks;
		struct gg_flux_gitrepo gitrepo;
		struct gg_flux_ocirepo ocirepo;
		struct gg_flux_helmrelease hr;
		struct gg_kustomize kustomize;
		struct gg_secret secret;
	} u;
};

struct gg_objects {
	struct gg_object *v;
	size_t nr;
	int sops_file; /* a document of the file is SOPS-encrypted (see
			* gg_object.sops) */
	int truncated; /* Lists past GG_MODEL_MAX_LIST_ITEMS were cut */
};

/* The items Lists of one file may hold in all (items of nested Lists
 * count too, an alias once per use): beyond, the file is refused like
 * an alias bomb (gg_model_check_lists). */
#define GG_MODEL_MAX_LIST_ITEMS 100000

/* Lists nested deeper stay one object each; the YAML nesting limit
 * (128 collections, two per List level) is reached first by default. */
#define GG_MODEL_MAX_LIST_DEPTH 64

/*
 * 0 when the Lists of `file` hold at most GG_MODEL_MAX_LIST_ITEMS items
 * in all; else GG_ELIMIT with the message set.  The walk stops at the
 * limit, so its cost is bounded whatever aliases multiply.  Files are
 * checked when parsed (manifest.c, defs.c) and refused past the limit,
 * so gg_model_build() never meets one in the hooks.
 */
int gg_model_check_lists(const struct gg_yfile *file);

/*
 * The typed objects of blob `oid` at `path` (the path decides whether it
 * is a kustomization file).  *out is NULL when the blob is not parsed
 * YAML (see the manifest's state).  Borrowed; valid until
 * gg_manifests_free().  0, or a negative error when the blob cannot be
 * read.
 */
int gg_model_get(const struct gg_objects **out, struct gg_manifests *c,
		 const struct gg_oid *oid, const char *path);

/* Type the documents of a parsed file (for unit tests and callers that
 * hold a gg_yfile), Lists expanded.  `arena` owns the typed data.  A
 * file over GG_MODEL_MAX_LIST_ITEMS gives the objects before the limit
 * and out->truncated. */
void gg_model_build(struct gg_objects *out, struct gg_arena *arena,
		    const struct gg_yfile *file, int kustomization_file);

/* 1 if `path`'s base name is kustomization.yaml, .yml or Kustomization. */
int gg_path_is_kustomization(const char *path);

/* --- effective values ----------------------------------------------------- */

/* The project an Application uses: "default" for NULL or "". */
const char *gg_argo_project_effective(const struct gg_argo_app *app);

/* Auto-sync in effect: automated present and enabled not false. */
int gg_argo_autosync(const struct gg_argo_app *app);

/* Auto-prune in effect: auto-sync and prune true. */
int gg_argo_autoprune(const struct gg_argo_app *app);

/* The first source that renders manifests from Git (has a path), or NULL. */
const struct gg_argo_source *gg_argo_git_source(const struct gg_argo_app *app);

/* The branch a GitRepository follows: ref.branch, else "master" when
 * no ref is set at all (Flux's default); NULL when it follows a tag,
 * semver range, name or commit. */
const char *gg_flux_gitrepo_branch(const struct gg_flux_gitrepo *g);

/* Flux Kustomization deletion cascades: prune true and deletionPolicy
 * MirrorPrune (default) or Delete / WaitForTermination. */
int gg_flux_ks_cascades(const struct gg_flux_ks *ks);

/* A generated Application gets the cascade finalizer (ApplicationSet). */
int gg_argo_appset_cascades(const struct gg_argo_appset *set);

/* A human word for a kind: "Application", "Flux Kustomization", ... */
const char *gg_kind_name(enum gg_kind kind);

/* An object's annotation or label value, or NULL. */
const char *gg_object_annotation(const struct gg_object *o, const char *key);
const char *gg_object_label(const struct gg_object *o, const char *key);

#endif
