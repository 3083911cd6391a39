/*
 * Version values in manifests: what a promotion changes (reference
 * gitops-semantics.md section 6).  From the typed objects of one file:
 *
 *   kustomize images[] (newName or name; newTag, digest), also in a Flux
 *     Kustomization's spec.images and an Argo CD source's kustomize.images
 *   container image: fields of workloads (containers, initContainers,
 *     ephemeralContainers at any depth of an object, so Deployments,
 *     CronJobs, Pods and patches of them alike)
 *   HelmRelease spec.chart.spec.version, Flux HelmChart spec.version,
 *     kustomize helmCharts[].version, Argo CD chart sources' targetRevision
 *   OCIRepository spec.ref (digest, else tag, else semver)
 *   Helm values: keys matching the tag key patterns (default image.tag
 *     and *.image.tag) and every `tag` next to a `repository`, in values
 *     files (documents without a kind), HelmRelease spec.values, Argo CD
 *     helm.valuesObject and helm.parameters
 *   .argocd-source*.yaml (Argo CD Image Updater write-back):
 *     kustomize.images strings and helm.parameters
 *
 * Each value says what is versioned (an image repository, a chart, an
 * OCI artifact, or a values key without a repository beside it) and the
 * version (tag and/or digest).  Image names are normalised as container
 * runtimes resolve them: "nginx", "library/nginx" and
 * "docker.io/library/nginx" are the same image.
 */
#ifndef GG_VERSIONS_H
#define GG_VERSIONS_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "model.h"
#include "strvec.h"

enum gg_version_kind {
	GG_VERSION_IMAGE, /* name: the image repository */
	GG_VERSION_CHART, /* name: the chart */
	GG_VERSION_OCI,	  /* name: the OCIRepository URL */
	GG_VERSION_VALUE  /* name: the values key ("image.tag") */
};

struct gg_version {
	enum gg_version_kind kind;
	const char *name;
	const char *tag;    /* tag, chart version or revision; NULL: none */
	const char *digest; /* "sha256:..."; NULL: none */
	unsigned line;	    /* of the version value */
	const char *source; /* static: "kustomize images", ... */
};

struct gg_versions {
	struct gg_version *v;
	size_t nr, alloc;
	struct gg_arena arena; /* owns the strings */
};

struct gg_version_opts {
	/* dotted key patterns for values files: `*` is one key, `**` any
	 * number; NULL: the default ["image.tag", "*.image.tag"] */
	const struct gg_strvec *tag_keys;
	int tag_beside_repository; /* `tag` next to `repository` */
};

void gg_versions_init(struct gg_versions *vs);
void gg_versions_release(struct gg_versions *vs);

/*
 * Add the version values of the typed objects `objs` of the file at
 * `path` (the name tells .argocd-source*.yaml files apart).  `objs` may
 * be NULL (a file that is not YAML): nothing is added.
 */
void gg_versions_add_file(struct gg_versions *out,
			  const struct gg_objects *objs, const char *path,
			  const struct gg_version_opts *opts);

/* Add one value (copied into the set's arena). */
void gg_versions_add(struct gg_versions *out, const struct gg_version *v);

/*
 * 1 if `set` runs the version `v` asks for: a value of the same kind and
 * name whose digest equals v's digest (when v has one; a digest wins
 * over a tag, as in kustomize) or else whose tag or digest equals v's
 * tag.
 */
int gg_versions_has(const struct gg_versions *set, const struct gg_version *v);

/* 1 if `set` has any value of the same kind and name as `v`. */
int gg_versions_has_name(const struct gg_versions *set,
			 const struct gg_version *v);

/* 1 if `a` and `b` are the same value (kind, name, tag and digest). */
int gg_version_equal(const struct gg_version *a, const struct gg_version *b);

/*
 * Split an image reference "[host[:port]/]path[:tag][@digest]" into its
 * normalised name, tag and digest (either may come out NULL), allocated
 * in `arena`.  0, or -1 when `ref` is not an image reference (empty,
 * spaces, a template).
 */
int gg_image_parse(struct gg_arena *arena, const char *ref, const char **name,
		   const char **tag, const char **digest);

/* 1 if dotted `key` ("frontend.image.tag") matches `pattern`. */
int gg_values_key_match(const char *pattern, const char *key);

/* Describe a value: "image 'ghcr.io/acme/web' tag '1.4'", "chart
 * 'podinfo' version '6.5.0'", "image 'web' digest 'sha256:...'". */
void gg_version_describe(struct gg_buf *out, const struct gg_version *v);

/*
 * List the versions `set` has for the kind and name of `v`, each once:
 * "'1.3.0', '1.2.9'" (digests where `v` has one and they do too), at
 * most `max` of them, then ", ...".  Nothing when there are none.
 */
void gg_versions_list_values(struct gg_buf *out, const struct gg_versions *set,
			     const struct gg_version *v, size_t max);

/* A word for the kind: "image", "chart", "OCI artifact", "values key". */
const char *gg_version_kind_name(enum gg_version_kind kind);

#endif
