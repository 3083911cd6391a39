/*
 * Between model.c and the per-controller readers; not part of the
 * library's interface.
 */
#ifndef GG_MODEL_INTERNAL_H
#define GG_MODEL_INTERNAL_H

#include "arena.h"
#include "model.h"

/* A boolean field: GG_UNSET when absent, null or not a boolean. */
enum gg_tri gg_model__tri(const struct gg_ynode *n);

/* A sequence of strings contains `s`. */
int gg_model__seq_has(const struct gg_ynode *seq, const char *s);

void gg_model__argo_app(struct gg_argo_app *out, const struct gg_object *o,
			struct gg_arena *arena);
void gg_model__argo_app_spec(struct gg_argo_app *out,
			     const struct gg_ynode *spec,
			     const struct gg_ynode *metadata,
			     struct gg_arena *arena);
void gg_model__argo_appset(struct gg_argo_appset *out,
			   const struct gg_object *o, struct gg_arena *arena);
void gg_model__argo_project(struct gg_argo_project *out,
			    const struct gg_object *o, struct gg_arena *arena);
void gg_model__flux_ks(struct gg_flux_ks *out, const struct gg_object *o);
void gg_model__flux_gitrepo(struct gg_flux_gitrepo *out,
			    const struct gg_object *o);
void gg_model__flux_ocirepo(struct gg_flux_ocirepo *out,
			    const struct gg_object *o);
void gg_model__flux_helmrelease(struct gg_flux_helmrelease *out,
				const struct gg_object *o);
void gg_model__kustomize(struct gg_kustomize *out, const struct gg_object *o);
void gg_model__secret(struct gg_secret *out, const struct gg_object *o);

#endif
