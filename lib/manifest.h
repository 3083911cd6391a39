/*
 * Manifest files as read from the repository: a cache of blobs by id,
 * each read once, classified (YAML, invalid, template, binary, too
 * large) and parsed once, however many refs, apps or rules look at it.
 */
#ifndef GG_MANIFEST_H
#define GG_MANIFEST_H

#include <stddef.h>

#include "oid.h"
#include "repo.h"
#include "yamlload.h"

enum gg_manifest_state {
	GG_MANIFEST_YAML,      /* parsed into `yaml` */
	GG_MANIFEST_INVALID,   /* not YAML: `error` at line:col */
	GG_MANIFEST_TEMPLATE,  /* does not parse and holds {{ }}: a template */
	GG_MANIFEST_BINARY,    /* holds NUL bytes */
	GG_MANIFEST_TOO_LARGE, /* larger than limits.max_blob_bytes; not read */
	GG_MANIFEST_REFUSED    /* a parse limit hit: alias bomb, depth, nodes,
				  List items (model.h) */
};

struct gg_manifest {
	struct gg_oid oid;
	enum gg_manifest_state state;
	size_t size;
	char *data;	       /* the bytes, NUL-terminated; NULL if not read
				  (too large) or dropped */
	struct gg_yfile *yaml; /* GG_MANIFEST_YAML only */
	char *error;	       /* INVALID, REFUSED: what is wrong */
	unsigned line, col;    /* where (0: unknown) */
	/* typed objects (model.c), built on first use in the yaml arena:
	 * [0] as plain manifests, [1] as a kustomization file */
	const void *model[2];
	int light; /* classified only: yaml dropped (NULL), data kept
		      until gg_manifests_drop() */
};

struct gg_manifests;

/*
 * A cache reading blobs of `repo` (borrowed; must outlive the cache),
 * skipping blobs larger than `max_blob_bytes`.  Free with
 * gg_manifests_free().
 */
struct gg_manifests *gg_manifests_new(struct gg_repo *repo,
				      size_t max_blob_bytes);
void gg_manifests_free(struct gg_manifests *c);

/*
 * The manifest of blob `oid`, read and parsed on first use.  Borrowed;
 * valid until gg_manifests_free().  0, or a negative error when the
 * blob cannot be read at all (a missing object); a file that is not YAML
 * is not an error but a state.
 */
int gg_manifests_get(const struct gg_manifest **out, struct gg_manifests *c,
		     const struct gg_oid *oid);

/*
 * The state of blob `oid` (with the error, line and column of a file
 * that does not parse), read and parsed once like gg_manifests_get(),
 * but the parse of a blob the cache did not hold already is not kept:
 * `yaml` is NULL then (m->light), and a later gg_manifests_get() parses
 * the blob again.  Its bytes (`data`) are kept, until a rule that has
 * judged them drops them with gg_manifests_drop().  For looking at every
 * file of a large push (an initial push of 50,000 manifests) without
 * holding all their parses.  Borrowed; valid until gg_manifests_free().
 */
int gg_manifests_classify(const struct gg_manifest **out,
			  struct gg_manifests *c, const struct gg_oid *oid);

/*
 * Drop what the cache holds of blob `oid` beyond its state: its bytes,
 * its parse and its models (m->light, `data` NULL); a later
 * gg_manifests_get() reads it again.  Only for a caller that got the
 * blob light from gg_manifests_classify(), maybe then whole, and kept
 * no pointer into it: no one else can hold one.
 */
void gg_manifests_drop(struct gg_manifests *c, const struct gg_oid *oid);

/* The same, for callers that attach a model (model.c). */
int gg_manifests_get_mut(struct gg_manifest **out, struct gg_manifests *c,
			 const struct gg_oid *oid);

/* 1 if `path` names a file controllers read as manifests: .yaml, .yml
 * or .json (case-insensitive). */
int gg_path_is_manifest(const char *path);

/* Statistics: blobs read and bytes read. */
void gg_manifests_stats(const struct gg_manifests *c, size_t *blobs,
			size_t *bytes);

#endif
