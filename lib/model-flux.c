/*
 * Flux objects: Kustomization (kustomize.toolkit.fluxcd.io), GitRepository,
 * OCIRepository, HelmRelease (gitops-semantics.md 4).
 */
#include <string.h>

#include "model-internal.h"
#include "banned.h"

static const char *text(const struct gg_ynode *map, const char *path)
{
	return gg_ynode_text(gg_ynode_path(map, path));
}

void gg_model__flux_ks(struct gg_flux_ks *out, const struct gg_object *o)
{
	const struct gg_ynode *spec = gg_ynode_get(o->root, "spec");

	memset(out, 0, sizeof(*out));
	out->path = text(spec, "path");
	out->prune = gg_model__tri(gg_ynode_get(spec, "prune"));
	out->source_kind = text(spec, "sourceRef.kind");
	out->source_name = text(spec, "sourceRef.name");
	out->source_namespace = text(spec, "sourceRef.namespace");
	out->target_namespace = text(spec, "targetNamespace");
	out->service_account = text(spec, "serviceAccountName");
	out->suspend = gg_model__tri(gg_ynode_get(spec, "suspend"));
	out->deletion_policy = text(spec, "deletionPolicy");
	out->images = gg_ynode_get(spec, "images");
}

void gg_model__flux_gitrepo(struct gg_flux_gitrepo *out,
			    const struct gg_object *o)
{
	const struct gg_ynode *spec = gg_ynode_get(o->root, "spec");
	const struct gg_ynode *ref = gg_ynode_get(spec, "ref");

	memset(out, 0, sizeof(*out));
	out->url = text(spec, "url");
	out->has_ref = gg_ynode_is_map(ref);
	out->branch = text(ref, "branch");
	out->tag = text(ref, "tag");
	out->semver = text(ref, "semver");
	out->commit = text(ref, "commit");
	out->name = text(ref, "name");
	out->ignore = gg_ynode_str(gg_ynode_get(spec, "ignore"));
}

void gg_model__flux_ocirepo(struct gg_flux_ocirepo *out,
			    const struct gg_object *o)
{
	const struct gg_ynode *spec = gg_ynode_get(o->root, "spec");

	memset(out, 0, sizeof(*out));
	out->url = text(spec, "url");
	out->tag = text(spec, "ref.tag");
	out->semver = text(spec, "ref.semver");
	out->digest = text(spec, "ref.digest");
}

void gg_model__flux_helmrelease(struct gg_flux_helmrelease *out,
				const struct gg_object *o)
{
	const struct gg_ynode *spec = gg_ynode_get(o->root, "spec");

	memset(out, 0, sizeof(*out));
	out->chart = text(spec, "chart.spec.chart");
	out->version = text(spec, "chart.spec.version");
	out->chart_ref_kind = text(spec, "chartRef.kind");
	out->chart_ref_name = text(spec, "chartRef.name");
	out->release_name = text(spec, "releaseName");
	out->target_namespace = text(spec, "targetNamespace");
	out->suspend = gg_model__tri(gg_ynode_get(spec, "suspend"));
	out->values = gg_ynode_get(spec, "values");
}
