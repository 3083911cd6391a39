/*
 * Between appindex.c and appindex-appset.c; not part of the library's
 * interface.
 */
#ifndef GG_APPINDEX_INTERNAL_H
#define GG_APPINDEX_INTERNAL_H

#include "appindex.h"
#include "error.h"

/* Append a zeroed app (tier -1) and return it. */
struct gg_app *gg_appindex__add(struct gg_appindex *idx);

/* Record a note on what could not be resolved. */
void gg_appindex__note(struct gg_appindex *idx, const char *fmt, ...)
	GG_PRINTF(2, 3);

/* printf into the arena. */
const char *gg_appindex__strf(struct gg_arena *a, const char *fmt, ...)
	GG_PRINTF(2, 3);

/* A repository path without "./", "/" at the ends or ".." games; a
 * path that would leave the repository stays inside it, as Flux's
 * secure join keeps it ("/x" and "../x" are "x"). */
const char *gg_appindex__norm_path(struct gg_arena *a, const char *path);

/* 1 if `path` is absolute or climbs above the repository root: Argo CD
 * refuses such an app path. */
int gg_appindex__outside(const char *path);

/* Set what `app` follows from an Argo CD targetRevision `rev` and
 * tagPrefix `tag_prefix` (either NULL), copying them into `a`. */
void gg_appindex__follow(struct gg_app *app, struct gg_arena *a,
			 const char *rev, const char *tag_prefix);

/* Copy the sync policy, project and destination of an Application. */
void gg_appindex__argo_settings(struct gg_app *app, struct gg_arena *a,
				const struct gg_def_app *d);

/* Copy root, revision and directory options of a source. */
void gg_appindex__argo_source(struct gg_app *app, struct gg_arena *a,
			      const struct gg_def_source *s);

/* The apps the ApplicationSets of file `f` generate. */
int gg_appindex__appsets(struct gg_appindex *idx,
			 const struct gg_index_input *in,
			 const struct gg_index_layer *layer,
			 const struct gg_def_file *f);

#endif
