/*
 * Unit tests for syncstate.c: the sync behaviour an Application, an
 * ApplicationSet (template, generator templates, templatePatch) and a
 * Flux Kustomization ask for, and AppProject wildcards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syncstate.h"
#include "tap.h"

struct doc {
	struct gg_yfile *file;
	struct gg_objects objs;
};

static const struct gg_object *load(struct doc *d, const char *yaml)
{
	memset(d, 0, sizeof(*d));
	if (gg_yaml_parse(&d->file, NULL, yaml, strlen(yaml), NULL) < 0) {
		TAP_CHECK(!"the test YAML parses");
		return NULL;
	}
	gg_model_build(&d->objs, &d->file->arena, d->file, 0);
	return d->objs.nr ? &d->objs.v[0] : NULL;
}

static void unload(struct doc *d)
{
	gg_yaml_free(d->file);
}

static unsigned on_of(const char *yaml, unsigned *maybe)
{
	struct gg_sync_state st = { 0, 0 };
	struct doc d;
	const struct gg_object *o = load(&d, yaml);

	if (o)
		gg_sync_of_object(&st, o);
	unload(&d);
	if (maybe)
		*maybe = st.maybe;
	return st.on;
}

#define APP                                                                    \
	"apiVersion: argoproj.io/v1alpha1\nkind: Application\n"                \
	"metadata: {name: a}\nspec:\n  syncPolicy:\n"

static void test_syncstate__application_defaults(void)
{
	TAP_CHECK_INT(on_of(APP "    automated: {}\n", NULL), GG_SYNC_AUTO);
	/* "automated:" with no value is a nil pointer: off */
	TAP_CHECK_INT(on_of(APP "    automated:\n", NULL), 0);
	TAP_CHECK_INT(on_of(APP
			    "    automated: {enabled: false, prune: true}\n",
			    NULL),
		      0);
	TAP_CHECK_INT(on_of(APP "    automated: {enabled: null, prune: true}\n",
			    NULL),
		      GG_SYNC_AUTO | GG_SYNC_PRUNE);
	TAP_CHECK_INT(on_of(APP "    automated: {selfHeal: true, "
				"allowEmpty: true}\n",
			    NULL),
		      GG_SYNC_AUTO | GG_SYNC_SELF_HEAL);
	TAP_CHECK_INT(on_of(APP "    automated: {prune: true, "
				"allowEmpty: true}\n",
			    NULL),
		      GG_SYNC_AUTO | GG_SYNC_PRUNE | GG_SYNC_ALLOW_EMPTY);
	TAP_CHECK_INT(on_of(APP "    syncOptions: [Prune=true]\n", NULL), 0);
}

#define SET                                                                    \
	"apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\n"             \
	"metadata: {name: s}\nspec:\n"

static void test_syncstate__appset_merges_generator_templates(void)
{
	unsigned maybe;

	/* the generator's template adds prune to spec.template's automated */
	TAP_CHECK_INT(on_of(SET
			    "  generators:\n"
			    "  - list:\n"
			    "      elements: []\n"
			    "      template: {metadata: {}, spec: {syncPolicy:"
			    " {automated: {prune: true}}}}\n"
			    "  - list: {elements: []}\n"
			    "  template:\n"
			    "    spec: {syncPolicy: {automated: {selfHeal: "
			    "true}}}\n",
			    &maybe),
		      GG_SYNC_AUTO | GG_SYNC_PRUNE | GG_SYNC_SELF_HEAL);
	TAP_CHECK_INT(maybe, 0);
	/* false cannot override a true of spec.template (mergo) */
	TAP_CHECK_INT(on_of(SET
			    "  generators:\n"
			    "  - list:\n"
			    "      elements: []\n"
			    "      template: {metadata: {}, spec: {syncPolicy:"
			    " {automated: {prune: false}}}}\n"
			    "  template:\n"
			    "    spec: {syncPolicy: {automated: {prune: "
			    "true}}}\n",
			    NULL),
		      GG_SYNC_AUTO | GG_SYNC_PRUNE);
	/* a generator's template alone turns it on for its apps */
	TAP_CHECK_INT(on_of(SET
			    "  generators:\n"
			    "  - list:\n"
			    "      elements: []\n"
			    "      template: {metadata: {}, spec: {syncPolicy:"
			    " {automated: {}}}}\n"
			    "  template: {spec: {project: x}}\n",
			    NULL),
		      GG_SYNC_AUTO);
}

static void test_syncstate__template_patch_is_a_maybe(void)
{
	unsigned maybe;

	TAP_CHECK_INT(on_of(SET "  goTemplate: true\n"
				"  generators: [{list: {elements: []}}]\n"
				"  templatePatch: |\n"
				"    {{- if .autoSync }}\n"
				"    spec:\n"
				"      syncPolicy:\n"
				"        automated:\n"
				"          prune: {{ .prune }}\n"
				"    {{- end }}\n"
				"  template: {spec: {project: x}}\n",
			    &maybe),
		      0);
	TAP_CHECK_INT(maybe, GG_SYNC_AUTO | GG_SYNC_PRUNE);
	/* prune from a patch counts only where automated sync can be on */
	on_of(SET "  generators: [{list: {elements: []}}]\n"
		  "  templatePatch: '{\"spec\": {\"prune\": true}}'\n"
		  "  template: {spec: {project: x}}\n",
	      &maybe);
	TAP_CHECK_INT(maybe, 0);
}

static void test_syncstate__patch_guess(void)
{
	TAP_CHECK_INT(gg_sync_patch_guess(NULL), 0);
	TAP_CHECK_INT(gg_sync_patch_guess("spec: {project: x}"), 0);
	TAP_CHECK_INT(gg_sync_patch_guess("automated:\n  prune: false\n"),
		      GG_SYNC_AUTO);
	TAP_CHECK_INT(gg_sync_patch_guess("automated: {prune: true, "
					  "selfHeal: \"{{.heal}}\"}"),
		      GG_SYNC_AUTO | GG_SYNC_PRUNE | GG_SYNC_SELF_HEAL);
	TAP_CHECK_INT(gg_sync_patch_guess("{\"automated\": {\"allowEmpty\": "
					  "true}}"),
		      GG_SYNC_AUTO | GG_SYNC_ALLOW_EMPTY);
	/* other keys that end in the same word, values that only start so */
	TAP_CHECK_INT(gg_sync_patch_guess("noprune: true\nprune: only\n"), 0);
}

#define KS                                                                     \
	"apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"    \
	"metadata: {name: k}\nspec:\n"

static void test_syncstate__flux(void)
{
	TAP_CHECK_INT(on_of(KS "  prune: true\n", NULL),
		      GG_SYNC_AUTO | GG_SYNC_PRUNE);
	TAP_CHECK_INT(on_of(KS "  prune: false\n", NULL), GG_SYNC_AUTO);
	TAP_CHECK_INT(on_of(KS "  prune: true\n  suspend: true\n", NULL),
		      GG_SYNC_PRUNE);
}

static unsigned wide_of(const char *spec, int *cluster)
{
	struct doc d;
	const struct gg_object *o;
	unsigned w = 0;
	char yaml[1024];

	snprintf(yaml, sizeof(yaml),
		 "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\n"
		 "metadata: {name: p}\nspec:\n%s",
		 spec);
	o = load(&d, yaml);
	if (o) {
		w = gg_project_wide(&o->u.project);
		*cluster = gg_project_cluster_kinds(&o->u.project);
	}
	unload(&d);
	return w;
}

static void test_syncstate__project_wildcards(void)
{
	int cluster = -1;

	TAP_CHECK_INT(wide_of("  sourceRepos: ['*']\n"
			      "  destinations: [{server: '*', namespace: a}]\n"
			      "  clusterResourceWhitelist: [{group: '*', "
			      "kind: '*'}]\n",
			      &cluster),
		      GG_WIDE_REPOS | GG_WIDE_DESTS | GG_WIDE_CLUSTER);
	TAP_CHECK_INT(cluster, 1);
	TAP_CHECK_INT(wide_of("  sourceRepos: ['https://x/*', '!*']\n"
			      "  destinations: [{server: x, namespace: '!*'}]\n"
			      "  clusterResourceWhitelist: [{group: '', "
			      "kind: Namespace}]\n",
			      &cluster),
		      0);
	TAP_CHECK_INT(cluster, 1);
	TAP_CHECK_INT(wide_of("  destinations: [{name: in-cluster, namespace: "
			      "'**'}]\n",
			      &cluster),
		      GG_WIDE_DESTS);
	TAP_CHECK_INT(cluster, 0);
}

int main(void)
{
	TAP_RUN(test_syncstate__application_defaults);
	TAP_RUN(test_syncstate__appset_merges_generator_templates);
	TAP_RUN(test_syncstate__template_patch_is_a_maybe);
	TAP_RUN(test_syncstate__patch_guess);
	TAP_RUN(test_syncstate__flux);
	TAP_RUN(test_syncstate__project_wildcards);
	return tap_done();
}
