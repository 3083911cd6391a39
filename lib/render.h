/*
 * What an app renders, approximated without running kustomize or helm:
 * the objects (group/kind/namespace/name) its root reaches in a tree.
 *
 *   directory  the manifests in the root (and below it with recurse, and
 *              always for Flux), after Argo CD's include/exclude and
 *              Flux's ignore rules (spec.ignore, .sourceignore)
 *   kustomize  the documents reachable through resources, bases and
 *              components inside the repository, with namespace,
 *              namePrefix and nameSuffix applied on the way out, plus
 *              the ConfigMaps and Secrets of generators
 *   helm       each template file counts as one object, present or not
 *
 * An object's namespace is the one the controller applies it to: Flux's
 * targetNamespace replaces every namespace, Argo CD's destination
 * namespace fills an empty one (kinds known to be cluster-scoped have
 * none).
 *
 * What the render cannot see is counted, not guessed, in three kinds:
 * references that leave the repository (URLs, helmCharts), whose
 * objects the controllers fetch; files that gitops-guard cannot read as
 * manifests (larger than limits.max_blob_bytes, over a parse limit, not
 * YAML), whose objects are unknown; and errors that fail the build in
 * the controllers too (a missing kustomize reference, a loop, a
 * directory without a kustomization file).  A render with any of them
 * never proves that an app renders nothing.
 */
#ifndef GG_RENDER_H
#define GG_RENDER_H

#include <stddef.h>

#include "appindex.h"
#include "arena.h"
#include "defs.h"
#include "manifest.h"
#include "repo.h"
#include "strvec.h"

struct gg_robj {
	const char *id; /* "group/Kind/namespace/name" */
	const char *kind;
	const char *name;
	const char *path; /* the file it comes from */
	unsigned line;
	unsigned protect; /* enum gg_protect */
	int unnamed;	  /* no metadata.name (generateName): `name` is a
			   * "path:line" placeholder, no identity */
};

struct gg_rendered {
	struct gg_robj *v; /* sorted by id */
	size_t nr, alloc;
	struct gg_arena arena;
	int root_missing; /* the root is not a directory of the tree (or,
			   * for Flux, one its ignore rules hide) */
	size_t errors;	  /* build errors: the controllers fail too */
	size_t unread;	  /* files that could not be read as manifests */
	size_t remote;	  /* references outside the repository */
	size_t files;	  /* files read */
	int truncated;	  /* more files than the limit */
	struct gg_strvec problems;     /* the first build errors, as text */
	struct gg_strvec unread_paths; /* every unreadable file */
	struct gg_strvec remotes;      /* every remote part: "the remote
					* base 'url'", "the Helm chart 'x'" */
};

#define GG_RENDER_MAX_FILES 20000

/*
 * Render `app` in `tree` (NULL: the empty tree).  `defs` is the tree's
 * definitions (for .sourceignore files).  `out` is caller storage;
 * release it with gg_rendered_release() in every case.  0, or a negative
 * error from the repository.
 */
int gg_render(struct gg_rendered *out, struct gg_repo *repo,
	      struct gg_manifests *manifests, const struct gg_oid *tree,
	      const struct gg_defs *defs, const struct gg_app *app);
void gg_rendered_release(struct gg_rendered *r);

/* The object with `id`, or NULL. */
const struct gg_robj *gg_rendered_find(const struct gg_rendered *r,
				       const char *id);

/* 1 when the render is complete (no build errors, no unreadable files,
 * nothing remote, not truncated). */
int gg_rendered_sure(const struct gg_rendered *r);

#endif
