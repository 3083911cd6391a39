/*
 * Kustomize kustomization files and Secrets (gitops-semantics.md 5, 8).
 */
#include <string.h>

#include "model-internal.h"
#include "banned.h"

static const struct gg_ynode *list(const struct gg_ynode *map, const char *key)
{
	const struct gg_ynode *v = gg_ynode_get(map, key);

	return gg_ynode_is_seq(v) ? v : NULL;
}

void gg_model__kustomize(struct gg_kustomize *out, const struct gg_object *o)
{
	memset(out, 0, sizeof(*out));
	out->resources = list(o->root, "resources");
	out->components = list(o->root, "components");
	out->bases = list(o->root, "bases");
	out->images = list(o->root, "images");
	out->helm_charts = list(o->root, "helmCharts");
	out->secret_generator = list(o->root, "secretGenerator");
	out->namespace_ = gg_ynode_text(gg_ynode_get(o->root, "namespace"));
	out->name_prefix = gg_ynode_text(gg_ynode_get(o->root, "namePrefix"));
	out->name_suffix = gg_ynode_text(gg_ynode_get(o->root, "nameSuffix"));
}

void gg_model__secret(struct gg_secret *out, const struct gg_object *o)
{
	const struct gg_ynode *data = gg_ynode_get(o->root, "data");
	const struct gg_ynode *sdata = gg_ynode_get(o->root, "stringData");

	memset(out, 0, sizeof(*out));
	out->data = gg_ynode_is_map(data) ? data : NULL;
	out->string_data = gg_ynode_is_map(sdata) ? sdata : NULL;
	out->type = gg_ynode_text(gg_ynode_get(o->root, "type"));
	out->argocd_secret_type =
		gg_object_label(o, "argocd.argoproj.io/secret-type");
}
