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
 * References that leave the repository (URLs, helmCharts) and parts that
 * cannot be read (invalid YAML, a missing kustomize reference) are
 * counted, not guessed: a render with errors never proves that an app
 * renders nothing.
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
	size_t errors;	  /* parts that could not be read */
	size_t remote;	  /* references outside the repository */
	size_t files;	  /* files read */
	int truncated;	  /* more files than the limit */
	struct gg_strvec problems;
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

/* 1 when the render is complete enough to judge (no errors, nothing
 * remote, not truncated). */
int gg_rendered_sure(const struct gg_rendered *r);

#endif
