/*
 * Unit tests for the typed views of model.c against the defaults table
 * of reference/gitops-semantics.md (section 0) and its sections 1-5:
 * each view is built with gg_yaml_parse() + gg_model_build() from a
 * literal manifest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "error.h"
#include "model.h"
#include "yamlload.h"
#include "tap.h"

/* --- loading a literal manifest ------------------------------------------ */

struct doc {
	struct gg_yfile *yf;
	struct gg_arena arena;
	struct gg_objects objs;
};

/*
 * The first object of `yaml`.  A literal that does not parse fails the
 * current test and yields a blank object, so that the checks after it
 * fail instead of crashing.
 */
static const struct gg_object *load_as(struct doc *d, const char *yaml,
				       int kustomization_file)
{
	static const struct gg_object blank = { .kind = GG_KIND_NOT_OBJECT };

	gg_arena_init(&d->arena);
	memset(&d->objs, 0, sizeof(d->objs));
	if (gg_yaml_parse(&d->yf, NULL, yaml, strlen(yaml), NULL) < 0) {
		printf("#   literal does not parse: %s\n", gg_error_last());
		tap_cur_failed = 1;
		d->yf = NULL;
		return &blank;
	}
	gg_model_build(&d->objs, &d->arena, d->yf, kustomization_file);
	if (!d->objs.nr) {
		printf("#   literal holds no object\n");
		tap_cur_failed = 1;
		return &blank;
	}
	return &d->objs.v[0];
}

static const struct gg_object *load(struct doc *d, const char *yaml)
{
	return load_as(d, yaml, 0);
}

static void unload(struct doc *d)
{
	gg_yaml_free(d->yf);
	gg_arena_release(&d->arena);
}

/* Source `i` of an Application, or a blank one past the end. */
static const struct gg_argo_source *source(const struct gg_argo_app *app,
					   size_t i)
{
	static const struct gg_argo_source none;

	return i < app->nsources ? &app->sources[i] : &none;
}

static const struct gg_generator *child(const struct gg_generator *g, size_t i)
{
	static const struct gg_generator none = { .type = GG_GEN_OTHER };

	return i < g->nchildren ? &g->children[i] : &none;
}

static const struct gg_generator *generator(const struct gg_argo_appset *s,
					    size_t i)
{
	static const struct gg_generator none = { .type = GG_GEN_OTHER };

	return i < s->ngenerators ? &s->generators[i] : &none;
}

#define APP                                                                    \
	"apiVersion: argoproj.io/v1alpha1\n"                                   \
	"kind: Application\n"                                                  \
	"metadata:\n"                                                          \
	"  name: web\n"                                                        \
	"  namespace: argocd\n"
#define SRC                                                                    \
	"  source:\n"                                                          \
	"    repoURL: https://git.example.com/org/deploy.git\n"                \
	"    path: apps/web\n"
#define APPSET                                                                 \
	"apiVersion: argoproj.io/v1alpha1\n"                                   \
	"kind: ApplicationSet\n"                                               \
	"metadata:\n"                                                          \
	"  name: apps\n"
#define FLUX_KS                                                                \
	"apiVersion: kustomize.toolkit.fluxcd.io/v1\n"                         \
	"kind: Kustomization\n"                                                \
	"metadata:\n"                                                          \
	"  name: apps\n"                                                       \
	"  namespace: flux-system\n"
#define GITREPO                                                                \
	"apiVersion: source.toolkit.fluxcd.io/v1\n"                            \
	"kind: GitRepository\n"                                                \
	"metadata:\n"                                                          \
	"  name: deploy\n"

/* --- kinds ---------------------------------------------------------------- */

static void test_model__kinds_by_group_and_kind(void)
{
	static const struct {
		const char *api, *kind;
		enum gg_kind want;
	} cases[] = {
		{ "argoproj.io/v1alpha1", "Application", GG_KIND_APPLICATION },
		{ "argoproj.io/v1alpha1", "ApplicationSet",
		  GG_KIND_APPLICATIONSET },
		{ "argoproj.io/v1alpha1", "AppProject", GG_KIND_APPPROJECT },
		{ "kustomize.toolkit.fluxcd.io/v1", "Kustomization",
		  GG_KIND_FLUX_KUSTOMIZATION },
		{ "kustomize.toolkit.fluxcd.io/v1beta2", "Kustomization",
		  GG_KIND_FLUX_KUSTOMIZATION },
		{ "source.toolkit.fluxcd.io/v1", "GitRepository",
		  GG_KIND_GITREPOSITORY },
		{ "source.toolkit.fluxcd.io/v1beta2", "OCIRepository",
		  GG_KIND_OCIREPOSITORY },
		{ "helm.toolkit.fluxcd.io/v2", "HelmRelease",
		  GG_KIND_HELMRELEASE },
		{ "kustomize.config.k8s.io/v1beta1", "Kustomization",
		  GG_KIND_KUSTOMIZATION },
		{ "kustomize.config.k8s.io/v1alpha1", "Component",
		  GG_KIND_KUSTOMIZATION },
		{ "v1", "Secret", GG_KIND_SECRET },
		{ "bitnami.com/v1alpha1", "SealedSecret",
		  GG_KIND_SEALEDSECRET },
		{ "external-secrets.io/v1beta1", "ExternalSecret",
		  GG_KIND_EXTERNALSECRET },
		{ "apps/v1", "Deployment", GG_KIND_OTHER },
		/* the group decides: a look-alike is just an object */
		{ "example.com/v1", "Application", GG_KIND_OTHER },
		{ "argoproj.io.evil/v1", "Application", GG_KIND_OTHER },
		{ "example.com/v1", "Secret", GG_KIND_OTHER },
		{ "argoproj.io", "Application", GG_KIND_OTHER },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char yaml[256];
		struct doc d;
		const struct gg_object *o;

		snprintf(yaml, sizeof(yaml),
			 "apiVersion: %s\nkind: %s\nmetadata: {name: x}\n",
			 cases[i].api, cases[i].kind);
		o = load(&d, yaml);
		if (o->kind != cases[i].want)
			printf("#   %s %s\n", cases[i].api, cases[i].kind);
		TAP_CHECK_INT(o->kind, cases[i].want);
		TAP_CHECK_STR(o->name, "x");
		unload(&d);
	}
}

static void test_model__document_without_kind_is_not_an_object(void)
{
	struct doc d;
	const struct gg_object *o = load(&d, "image:\n  tag: v1\n");

	TAP_CHECK_INT(o->kind, GG_KIND_NOT_OBJECT);
	TAP_CHECK_STR(gg_kind_name(o->kind), "document");
	unload(&d);
}

static void test_model__multi_document_files_type_each_document(void)
{
	struct doc d;

	load(&d, "---\n"
		 "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"
		 "---\n"
		 "---\n" /* an empty document */
		 "just a scalar\n"
		 "---\n" APP "spec:\n" SRC);
	TAP_CHECK_INT(d.objs.nr, 2);
	if (d.objs.nr == 2) {
		TAP_CHECK_INT(d.objs.v[0].kind, GG_KIND_OTHER);
		TAP_CHECK_INT(d.objs.v[1].kind, GG_KIND_APPLICATION);
		TAP_CHECK_STR(d.objs.v[1].name, "web");
		TAP_CHECK_STR(d.objs.v[1].namespace_, "argocd");
		TAP_CHECK_INT(d.objs.v[1].line, 9);
	}
	unload(&d);
}

/* --- Lists (model.h) ------------------------------------------------------ */

/* The objects of `yaml`, which may be none; 0, or -1 if it does not
 * parse. */
static int load_all(struct doc *d, const char *yaml)
{
	gg_arena_init(&d->arena);
	memset(&d->objs, 0, sizeof(d->objs));
	if (gg_yaml_parse(&d->yf, NULL, yaml, strlen(yaml), NULL) < 0) {
		printf("#   literal does not parse: %s\n", gg_error_last());
		d->yf = NULL;
		return -1;
	}
	gg_model_build(&d->objs, &d->arena, d->yf, 0);
	return 0;
}

static void test_model__list_items_are_objects_at_their_lines(void)
{
	struct doc d;

	TAP_CHECK_INT(load_all(&d,
			       "apiVersion: v1\n"
			       "kind: List\n"
			       "items:\n"
			       "- apiVersion: argoproj.io/v1alpha1\n"
			       "  kind: Application\n"
			       "  metadata:\n"
			       "    name: web\n"
			       "    namespace: argocd\n"
			       "  spec:\n"
			       "    project: default\n"
			       "    syncPolicy: {automated: {prune: true}}\n"
			       "- apiVersion: v1\n"
			       "  kind: ConfigMap\n"
			       "  metadata: {name: c}\n"
			       "---\n"
			       "apiVersion: v1\nkind: Namespace\n"
			       "metadata: {name: n}\n"),
		      0);
	TAP_CHECK_INT(d.objs.nr, 3);
	if (d.objs.nr == 3) {
		const struct gg_object *app = &d.objs.v[0];

		TAP_CHECK_INT(app->kind, GG_KIND_APPLICATION);
		TAP_CHECK_INT(app->line, 4);
		TAP_CHECK_STR(app->name, "web");
		TAP_CHECK(gg_argo_autoprune(&app->u.app));
		TAP_CHECK(app->list == d.yf->docs[0].root);
		TAP_CHECK_INT(d.objs.v[1].kind, GG_KIND_OTHER);
		TAP_CHECK_STR(d.objs.v[1].kind_name, "ConfigMap");
		TAP_CHECK_INT(d.objs.v[1].line, 12);
		TAP_CHECK(d.objs.v[1].list == d.yf->docs[0].root);
		TAP_CHECK_STR(d.objs.v[2].kind_name, "Namespace");
		TAP_CHECK_INT(d.objs.v[2].line, 16);
		TAP_CHECK(!d.objs.v[2].list);
	}
	TAP_CHECK(!d.objs.truncated);
	unload(&d);
}

static void test_model__any_kind_ending_in_list_expands(void)
{
	struct doc d;

	TAP_CHECK_INT(load_all(&d, "apiVersion: v1\n"
				   "kind: ConfigMapList\n"
				   "items:\n"
				   "- {apiVersion: v1, kind: ConfigMap, "
				   "metadata: {name: a}}\n"
				   "- {apiVersion: v1, kind: ConfigMap, "
				   "metadata: {name: b}}\n"),
		      0);
	TAP_CHECK_INT(d.objs.nr, 2);
	if (d.objs.nr == 2) {
		TAP_CHECK_STR(d.objs.v[0].name, "a");
		TAP_CHECK_STR(d.objs.v[1].name, "b");
		TAP_CHECK_INT(d.objs.v[1].line, 5);
	}
	unload(&d);
	/* a kind that only contains "List", or items on another kind */
	TAP_CHECK_INT(load_all(&d, "kind: Listener\nitems: [{kind: A}]\n---\n"
				   "kind: Foo\nitems: [{kind: A}]\n"),
		      0);
	TAP_CHECK_INT(d.objs.nr, 2);
	if (d.objs.nr == 2) {
		TAP_CHECK_STR(d.objs.v[0].kind_name, "Listener");
		TAP_CHECK_STR(d.objs.v[1].kind_name, "Foo");
	}
	unload(&d);
}

static void test_model__empty_and_itemless_lists(void)
{
	struct doc d;

	/* items null or [] : no object; no items at all: an object */
	TAP_CHECK_INT(load_all(&d,
			       "apiVersion: v1\nkind: List\nitems:\n---\n"
			       "apiVersion: v1\nkind: List\nitems: []\n"
			       "---\n"
			       "apiVersion: x/v1\nkind: WidgetList\n"
			       "metadata: {name: w}\n---\n"
			       "apiVersion: v1\nkind: List\nitems: {a: b}\n"),
		      0);
	TAP_CHECK_INT(d.objs.nr, 2);
	if (d.objs.nr == 2) {
		TAP_CHECK_STR(d.objs.v[0].kind_name, "WidgetList");
		TAP_CHECK_STR(d.objs.v[0].name, "w");
		TAP_CHECK(!d.objs.v[0].list);
		TAP_CHECK_STR(d.objs.v[1].kind_name, "List");
	}
	unload(&d);
}

static void test_model__nested_lists_expand_and_non_objects_are_skipped(void)
{
	struct doc d;

	TAP_CHECK_INT(load_all(&d, "apiVersion: v1\n"
				   "kind: List\n"
				   "items:\n"
				   "- just text\n"
				   "- [1, 2]\n"
				   "- ~\n"
				   "- apiVersion: v1\n"
				   "  kind: List\n"
				   "  items:\n"
				   "  - apiVersion: argoproj.io/v1alpha1\n"
				   "    kind: Application\n"
				   "    metadata: {name: web}\n"
				   "- {apiVersion: v1, kind: ConfigMap, "
				   "metadata: {name: c}}\n"),
		      0);
	TAP_CHECK_INT(d.objs.nr, 2);
	if (d.objs.nr == 2) {
		TAP_CHECK_INT(d.objs.v[0].kind, GG_KIND_APPLICATION);
		TAP_CHECK_INT(d.objs.v[0].line, 10);
		TAP_CHECK(d.objs.v[0].list == d.yf->docs[0].root);
		TAP_CHECK_STR(d.objs.v[1].name, "c");
	}
	unload(&d);
}

static void test_model__sops_list_marks_its_items(void)
{
	struct doc d;

	TAP_CHECK_INT(load_all(&d,
			       "apiVersion: v1\n"
			       "kind: List\n"
			       "items:\n"
			       "- apiVersion: v1\n"
			       "  kind: Secret\n"
			       "  metadata: {name: db}\n"
			       "  data: {password: 'ENC[AES256_GCM,data:a=]'}\n"
			       "sops: {version: 3.8.1}\n"),
		      0);
	TAP_CHECK_INT(d.objs.nr, 1);
	if (d.objs.nr == 1) {
		TAP_CHECK_INT(d.objs.v[0].kind, GG_KIND_SECRET);
		TAP_CHECK_INT(d.objs.v[0].sops, 1);
	}
	TAP_CHECK_INT(d.objs.sops_file, 1);
	unload(&d);
}

static void test_model__kustomization_file_is_not_expanded(void)
{
	struct doc d;
	const struct gg_object *o =
		load_as(&d, "kind: List\nitems: [{kind: ConfigMap}]\n", 1);

	TAP_CHECK_INT(d.objs.nr, 1);
	TAP_CHECK_INT(o->kind, GG_KIND_KUSTOMIZATION);
	unload(&d);
}

/*
 * Lists in Lists through aliases: five levels of ten give 111,110 items
 * (over the limit) from a few hundred bytes.
 */
static void test_model__list_items_are_bounded(void)
{
	struct gg_buf b = GG_BUF_INIT;
	struct doc d;
	int level, i;

	gg_buf_adds(&b, "kind: List\nc: &l0 {kind: ConfigMap}\n");
	for (level = 1; level <= 5; level++) {
		gg_buf_addf(&b, "l%d: &l%d {kind: List, items: [", level,
			    level);
		for (i = 0; i < 10; i++)
			gg_buf_addf(&b, "%s*l%d", i ? ", " : "", level - 1);
		gg_buf_adds(&b, "]}\n");
	}
	gg_buf_adds(&b, "items: [*l5]\n");
	TAP_CHECK_INT(load_all(&d, b.buf), 0);
	TAP_CHECK_INT(gg_model_check_lists(d.yf), GG_ELIMIT);
	TAP_CHECK(strstr(gg_error_last(), "more than 100000 items"));
	TAP_CHECK_INT(d.objs.truncated, 1);
	TAP_CHECK(d.objs.nr > 0 && d.objs.nr < GG_MODEL_MAX_LIST_ITEMS);
	unload(&d);
	/* four levels (11,110 items, 10,000 objects) are within it */
	gg_buf_reset(&b);
	gg_buf_adds(&b, "kind: List\nc: &l0 {kind: ConfigMap}\n");
	for (level = 1; level <= 4; level++) {
		gg_buf_addf(&b, "l%d: &l%d {kind: List, items: [", level,
			    level);
		for (i = 0; i < 10; i++)
			gg_buf_addf(&b, "%s*l%d", i ? ", " : "", level - 1);
		gg_buf_adds(&b, "]}\n");
	}
	gg_buf_adds(&b, "items: [*l4]\n");
	TAP_CHECK_INT(load_all(&d, b.buf), 0);
	TAP_CHECK_INT(gg_model_check_lists(d.yf), 0);
	TAP_CHECK_INT(d.objs.nr, 10000);
	TAP_CHECK_INT(d.objs.truncated, 0);
	unload(&d);
	gg_buf_release(&b);
}

static void test_model__kind_names(void)
{
	TAP_CHECK_STR(gg_kind_name(GG_KIND_APPLICATION), "Application");
	TAP_CHECK_STR(gg_kind_name(GG_KIND_FLUX_KUSTOMIZATION),
		      "Flux Kustomization");
	TAP_CHECK_STR(gg_kind_name(GG_KIND_KUSTOMIZATION), "kustomization");
	TAP_CHECK_STR(gg_kind_name(GG_KIND_OTHER), "object");
}

/* --- Application: sync policy (section 0 and 1.4) ------------------------- */

static void test_model__app_without_automated_is_manual(void)
{
	struct doc d;
	const struct gg_object *o = load(&d, APP "spec:\n" SRC);
	const struct gg_argo_app *a = &o->u.app;

	TAP_CHECK_INT(a->sync.automated_present, 0);
	TAP_CHECK_INT(a->sync.enabled, GG_UNSET);
	TAP_CHECK_INT(a->sync.prune, GG_UNSET);
	TAP_CHECK_INT(a->sync.self_heal, GG_UNSET);
	TAP_CHECK_INT(a->sync.allow_empty, GG_UNSET);
	TAP_CHECK(!a->sync.node);
	TAP_CHECK_INT(gg_argo_autosync(a), 0);
	TAP_CHECK_INT(gg_argo_autoprune(a), 0);
	unload(&d);
}

static void test_model__app_syncpolicy_without_automated_is_manual(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, APP "spec:\n" SRC "  syncPolicy:\n"
			     "    syncOptions: [CreateNamespace=true]\n");

	TAP_CHECK_INT(gg_argo_autosync(&o->u.app), 0);
	TAP_CHECK_INT(gg_ynode_count(o->u.app.sync.sync_options), 1);
	unload(&d);
}

static void test_model__app_empty_automated_map_turns_autosync_on(void)
{
	struct doc d;
	const struct gg_object *o = load(&d, APP "spec:\n" SRC "  syncPolicy:\n"
						 "    automated: {}\n");
	const struct gg_argo_app *a = &o->u.app;

	TAP_CHECK_INT(a->sync.automated_present, 1);
	TAP_CHECK(a->sync.node);
	TAP_CHECK_INT(gg_argo_autosync(a), 1);
	/* prune, selfHeal and allowEmpty default to false */
	TAP_CHECK_INT(a->sync.prune, GG_UNSET);
	TAP_CHECK_INT(a->sync.self_heal, GG_UNSET);
	TAP_CHECK_INT(a->sync.allow_empty, GG_UNSET);
	TAP_CHECK_INT(gg_argo_autoprune(a), 0);
	unload(&d);
}

static void test_model__app_null_automated_is_off(void)
{
	static const char *const nulls[] = { "", " ~", " null", " Null" };
	size_t i;

	for (i = 0; i < sizeof(nulls) / sizeof(*nulls); i++) {
		char yaml[512];
		struct doc d;
		const struct gg_object *o;

		snprintf(yaml, sizeof(yaml),
			 APP "spec:\n" SRC "  syncPolicy:\n"
			     "    automated:%s\n",
			 nulls[i]);
		o = load(&d, yaml);
		TAP_CHECK_INT(o->u.app.sync.automated_present, 0);
		TAP_CHECK_INT(gg_argo_autosync(&o->u.app), 0);
		unload(&d);
	}
}

static void test_model__app_enabled_false_turns_autosync_off_despite_prune(void)
{
	struct doc d;
	const struct gg_object *o = load(&d, APP "spec:\n" SRC "  syncPolicy:\n"
						 "    automated:\n"
						 "      enabled: false\n"
						 "      prune: true\n"
						 "      selfHeal: true\n"
						 "      allowEmpty: true\n");
	const struct gg_argo_app *a = &o->u.app;

	TAP_CHECK_INT(a->sync.automated_present, 1);
	TAP_CHECK_INT(a->sync.enabled, GG_FALSE);
	TAP_CHECK_INT(a->sync.prune, GG_TRUE);
	TAP_CHECK_INT(a->sync.self_heal, GG_TRUE);
	TAP_CHECK_INT(a->sync.allow_empty, GG_TRUE);
	TAP_CHECK_INT(gg_argo_autosync(a), 0);
	TAP_CHECK_INT(gg_argo_autoprune(a), 0);
	unload(&d);
}

static void test_model__app_enabled_true_or_null_keeps_autosync_on(void)
{
	static const char *const values[] = { "true", "null", "~", "yes" };
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(*values); i++) {
		char yaml[512];
		struct doc d;
		const struct gg_object *o;

		snprintf(yaml, sizeof(yaml),
			 APP "spec:\n" SRC "  syncPolicy:\n"
			     "    automated:\n"
			     "      enabled: %s\n"
			     "      prune: true\n",
			 values[i]);
		o = load(&d, yaml);
		TAP_CHECK_INT(gg_argo_autosync(&o->u.app), 1);
		TAP_CHECK_INT(gg_argo_autoprune(&o->u.app), 1);
		unload(&d);
	}
}

static void test_model__app_explicit_false_differs_from_absent(void)
{
	struct doc d;
	const struct gg_object *o = load(&d, APP "spec:\n" SRC "  syncPolicy:\n"
						 "    automated:\n"
						 "      prune: false\n"
						 "      selfHeal: false\n"
						 "      allowEmpty: false\n");
	const struct gg_argo_app *a = &o->u.app;

	TAP_CHECK_INT(a->sync.prune, GG_FALSE);
	TAP_CHECK_INT(a->sync.self_heal, GG_FALSE);
	TAP_CHECK_INT(a->sync.allow_empty, GG_FALSE);
	TAP_CHECK_INT(a->sync.enabled, GG_UNSET);
	TAP_CHECK_INT(gg_argo_autosync(a), 1);
	TAP_CHECK_INT(gg_argo_autoprune(a), 0);
	unload(&d);
}

static void test_model__app_prune_selfheal_allowempty_true(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, APP "spec:\n" SRC "  syncPolicy:\n"
			     "    automated: {prune: true, selfHeal: true,"
			     " allowEmpty: true}\n");

	TAP_CHECK_INT(o->u.app.sync.prune, GG_TRUE);
	TAP_CHECK_INT(o->u.app.sync.self_heal, GG_TRUE);
	TAP_CHECK_INT(o->u.app.sync.allow_empty, GG_TRUE);
	TAP_CHECK_INT(gg_argo_autoprune(&o->u.app), 1);
	unload(&d);
}

static void test_model__app_quoted_boolean_is_not_a_boolean(void)
{
	struct doc d;
	const struct gg_object *o = load(&d, APP "spec:\n" SRC "  syncPolicy:\n"
						 "    automated:\n"
						 "      prune: \"true\"\n");

	/* the API server refuses a string for a bool; never guess true */
	TAP_CHECK_INT(o->u.app.sync.prune, GG_UNSET);
	TAP_CHECK_INT(gg_argo_autoprune(&o->u.app), 0);
	unload(&d);
}

/* --- Application: sources, project, destination (1.1-1.3) ---------------- */

static void test_model__app_single_source(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, APP "spec:\n" SRC "    targetRevision: main\n"
			     "    tagPrefix: web/\n"
			     "    directory:\n"
			     "      recurse: true\n"
			     "      include: '*.yaml'\n"
			     "      exclude: '{a,b}.yaml'\n");
	const struct gg_argo_app *a = &o->u.app;
	const struct gg_argo_source *s = source(a, 0);

	TAP_CHECK_INT(a->nsources, 1);
	TAP_CHECK_INT(a->multi_source, 0);
	TAP_CHECK_STR(s->repo_url, "https://git.example.com/org/deploy.git");
	TAP_CHECK_STR(s->path, "apps/web");
	TAP_CHECK_STR(s->target_revision, "main");
	TAP_CHECK_STR(s->tag_prefix, "web/");
	TAP_CHECK_INT(s->recurse, GG_TRUE);
	TAP_CHECK_INT(s->has_directory, 1);
	TAP_CHECK_STR(gg_ynode_text(s->include), "*.yaml");
	TAP_CHECK_STR(gg_ynode_text(s->exclude), "{a,b}.yaml");
	TAP_CHECK(gg_argo_git_source(a) == s);
	unload(&d);
}

static void test_model__app_source_defaults(void)
{
	struct doc d;
	const struct gg_object *o = load(&d, APP "spec:\n" SRC);
	const struct gg_argo_source *s = source(&o->u.app, 0);

	/* targetRevision omitted = HEAD; recurse default false */
	TAP_CHECK(!s->target_revision);
	TAP_CHECK_INT(s->recurse, GG_UNSET);
	TAP_CHECK(!s->include);
	TAP_CHECK(!s->exclude);
	TAP_CHECK(!s->chart);
	TAP_CHECK(!s->ref);
	TAP_CHECK_INT(s->has_helm + s->has_kustomize + s->has_directory +
			      s->has_plugin,
		      0);
	unload(&d);
}

static void test_model__app_tool_blocks(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, APP "spec:\n" SRC "    helm: {valueFiles: [v.yaml]}\n"
			     "    kustomize: {namePrefix: x-}\n"
			     "    plugin: {name: cmp}\n"
			     "    directory: {recurse: false}\n");
	const struct gg_argo_source *s = source(&o->u.app, 0);

	TAP_CHECK_INT(s->has_helm, 1);
	TAP_CHECK_INT(s->has_kustomize, 1);
	TAP_CHECK_INT(s->has_plugin, 1);
	TAP_CHECK_INT(s->has_directory, 1);
	TAP_CHECK_INT(s->recurse, GG_FALSE);
	unload(&d);
}

static void test_model__app_sources_beat_source(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, APP "spec:\n" SRC "  sources:\n"
			     "  - repoURL: https://charts.example.com\n"
			     "    chart: nginx\n"
			     "    targetRevision: 1.2.3\n"
			     "  - repoURL: https://git.example.com/org/values\n"
			     "    ref: values\n"
			     "  - repoURL: https://git.example.com/org/deploy\n"
			     "    path: apps/other\n");
	const struct gg_argo_app *a = &o->u.app;

	TAP_CHECK_INT(a->multi_source, 1);
	TAP_CHECK_INT(a->nsources, 3);
	TAP_CHECK_STR(source(a, 0)->chart, "nginx");
	TAP_CHECK(!source(a, 0)->path);
	TAP_CHECK_STR(source(a, 1)->ref, "values");
	TAP_CHECK(!source(a, 1)->path);
	TAP_CHECK_STR(source(a, 2)->path, "apps/other");
	/* spec.source (apps/web) is ignored entirely */
	TAP_CHECK_STR(gg_argo_git_source(a) ? gg_argo_git_source(a)->path
					    : NULL,
		      "apps/other");
	unload(&d);
}

static void test_model__app_empty_sources_fall_back_to_source(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, APP "spec:\n" SRC "  sources: []\n");

	TAP_CHECK_INT(o->u.app.multi_source, 0);
	TAP_CHECK_INT(o->u.app.nsources, 1);
	TAP_CHECK_STR(source(&o->u.app, 0)->path, "apps/web");
	unload(&d);
}

static void test_model__app_helm_repository_chart_has_no_git_source(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, APP "spec:\n"
			     "  source:\n"
			     "    repoURL: https://charts.example.com\n"
			     "    chart: nginx\n"
			     "    targetRevision: '>=1.0.0'\n");

	TAP_CHECK_STR(source(&o->u.app, 0)->chart, "nginx");
	TAP_CHECK(!gg_argo_git_source(&o->u.app));
	unload(&d);
}

static void test_model__app_path_null_or_absent_is_no_path(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, APP "spec:\n"
			     "  source:\n"
			     "    repoURL: https://git.example.com/deploy\n"
			     "    path: ~\n");

	TAP_CHECK(!source(&o->u.app, 0)->path);
	TAP_CHECK(!gg_argo_git_source(&o->u.app));
	unload(&d);
	o = load(&d, APP "spec:\n"
			 "  source:\n"
			 "    repoURL: https://git.example.com/deploy\n"
			 "    path: ''\n");
	/* an empty path is the repository root, not "no path" */
	TAP_CHECK_STR(source(&o->u.app, 0)->path, "");
	unload(&d);
}

static void test_model__app_empty_or_missing_project_is_default(void)
{
	static const char *const projects[] = { "", "  project: ''\n",
						"  project:\n" };
	size_t i;

	for (i = 0; i < sizeof(projects) / sizeof(*projects); i++) {
		char yaml[512];
		struct doc d;
		const struct gg_object *o;

		snprintf(yaml, sizeof(yaml), APP "spec:\n%s" SRC, projects[i]);
		o = load(&d, yaml);
		if (strcmp(gg_argo_project_effective(&o->u.app), "default"))
			printf("#   with '%s'\n", projects[i]);
		TAP_CHECK_STR(gg_argo_project_effective(&o->u.app), "default");
		unload(&d);
	}
}

static void test_model__app_null_project_is_default(void)
{
	static const char *const projects[] = { "  project: ~\n",
						"  project: null\n",
						"  project: Null\n" };
	size_t i;

	for (i = 0; i < sizeof(projects) / sizeof(*projects); i++) {
		char yaml[512];
		struct doc d;
		const struct gg_object *o;

		snprintf(yaml, sizeof(yaml), APP "spec:\n%s" SRC, projects[i]);
		o = load(&d, yaml);
		TAP_CHECK(!o->u.app.project);
		TAP_CHECK_STR(gg_argo_project_effective(&o->u.app), "default");
		unload(&d);
	}
	/* a quoted "null" is a project of that name */
	{
		struct doc d;
		const struct gg_object *o =
			load(&d, APP "spec:\n  project: 'null'\n" SRC);

		TAP_CHECK_STR(gg_argo_project_effective(&o->u.app), "null");
		unload(&d);
	}
}

static void test_model__app_named_project(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, APP "spec:\n  project: team-a\n" SRC);

	TAP_CHECK_STR(o->u.app.project, "team-a");
	TAP_CHECK_STR(gg_argo_project_effective(&o->u.app), "team-a");
	unload(&d);
}

static void test_model__app_destination(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, APP "spec:\n" SRC "  destination:\n"
			     "    server: https://kubernetes.default.svc\n"
			     "    namespace: web\n");

	TAP_CHECK_STR(o->u.app.dest_server, "https://kubernetes.default.svc");
	TAP_CHECK(!o->u.app.dest_name);
	TAP_CHECK_STR(o->u.app.dest_namespace, "web");
	unload(&d);
	o = load(&d, APP "spec:\n" SRC "  destination: {name: in-cluster}\n");
	TAP_CHECK(!o->u.app.dest_server);
	TAP_CHECK_STR(o->u.app.dest_name, "in-cluster");
	TAP_CHECK(!o->u.app.dest_namespace);
	unload(&d);
}

/* --- Application: finalizers and annotations (1.8, 1.9) ------------------- */

static void test_model__app_finalizer_variants_cascade(void)
{
	static const struct {
		const char *finalizers;
		int cascade;
	} cases[] = {
		{ "[resources-finalizer.argocd.argoproj.io]", 1 },
		{ "[resources-finalizer.argocd.argoproj.io/foreground]", 1 },
		{ "[resources-finalizer.argocd.argoproj.io/background]", 1 },
		{ "[pre-delete-finalizer.argocd.argoproj.io, "
		  "resources-finalizer.argocd.argoproj.io]",
		  1 },
		{ "[pre-delete-finalizer.argocd.argoproj.io]", 0 },
		{ "[post-delete-finalizer.argocd.argoproj.io]", 0 },
		{ "[resources-finalizer.argocd.argoproj.io/orphan]", 0 },
		{ "[]", 0 },
		{ "~", 0 },
		{ "resources-finalizer.argocd.argoproj.io", 0 }, /* no list */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char yaml[512];
		struct doc d;
		const struct gg_object *o;

		snprintf(yaml, sizeof(yaml),
			 APP "  finalizers: %s\nspec:\n" SRC,
			 cases[i].finalizers);
		o = load(&d, yaml);
		if (o->u.app.cascade != cases[i].cascade)
			printf("#   finalizers %s\n", cases[i].finalizers);
		TAP_CHECK_INT(o->u.app.cascade, cases[i].cascade);
		unload(&d);
	}
}

static void test_model__app_without_finalizers_does_not_cascade(void)
{
	struct doc d;
	const struct gg_object *o = load(&d, APP "spec:\n" SRC);

	TAP_CHECK_INT(o->u.app.cascade, 0);
	TAP_CHECK(!o->finalizers);
	unload(&d);
}

static void test_model__app_skip_reconcile(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, APP "  annotations:\n"
			     "    argocd.argoproj.io/skip-reconcile: \"true\"\n"
			     "spec:\n" SRC);

	TAP_CHECK_INT(o->u.app.skip_reconcile, 1);
	TAP_CHECK_STR(
		gg_object_annotation(o, "argocd.argoproj.io/skip-reconcile"),
		"true");
	unload(&d);
	o = load(&d, APP "spec:\n" SRC);
	TAP_CHECK_INT(o->u.app.skip_reconcile, 0);
	unload(&d);
}

/* --- ApplicationSet (section 2) ------------------------------------------- */

#define TEMPLATE                                                               \
	"  template:\n"                                                        \
	"    metadata:\n"                                                      \
	"      name: '{{path.basename}}'\n"                                    \
	"    spec:\n"                                                          \
	"      project: team-a\n"                                              \
	"      source:\n"                                                      \
	"        repoURL: https://git.example.com/org/deploy.git\n"            \
	"        path: '{{path}}'\n"                                           \
	"      destination: {server: https://kubernetes.default.svc}\n"
#define LIST_GEN                                                               \
	"  generators:\n"                                                      \
	"  - list:\n"                                                          \
	"      elements:\n"                                                    \
	"      - {cluster: a}\n"

static void test_model__appset_defaults(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, APPSET "spec:\n" LIST_GEN TEMPLATE);
	const struct gg_argo_appset *s = &o->u.appset;

	TAP_CHECK_INT(o->kind, GG_KIND_APPLICATIONSET);
	TAP_CHECK_INT(s->preserve_on_delete, GG_UNSET);
	TAP_CHECK(!s->applications_sync); /* NULL: sync */
	TAP_CHECK_INT(s->go_template, GG_UNSET);
	TAP_CHECK(!s->template_patch);
	TAP_CHECK_INT(s->template_has_finalizers, 0);
	/* generated Applications get the cascade finalizer by default */
	TAP_CHECK_INT(gg_argo_appset_cascades(s), 1);
	TAP_CHECK_STR(s->name_template, "{{path.basename}}");
	TAP_CHECK_STR(s->app.project, "team-a");
	TAP_CHECK_STR(source(&s->app, 0)->path, "{{path}}");
	TAP_CHECK_INT(gg_argo_autosync(&s->app), 0);
	unload(&d);
}

static void test_model__appset_preserve_resources_stops_the_cascade(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, APPSET
		     "spec:\n"
		     "  syncPolicy:\n"
		     "    preserveResourcesOnDeletion: true\n"
		     "    applicationsSync: create-only\n" LIST_GEN TEMPLATE);
	const struct gg_argo_appset *s = &o->u.appset;

	TAP_CHECK_INT(s->preserve_on_delete, GG_TRUE);
	TAP_CHECK_STR(s->applications_sync, "create-only");
	TAP_CHECK_INT(gg_argo_appset_cascades(s), 0);
	unload(&d);
	o = load(&d, APPSET
		 "spec:\n"
		 "  syncPolicy:\n"
		 "    preserveResourcesOnDeletion: false\n" LIST_GEN TEMPLATE);
	TAP_CHECK_INT(o->u.appset.preserve_on_delete, GG_FALSE);
	TAP_CHECK_INT(gg_argo_appset_cascades(&o->u.appset), 1);
	unload(&d);
}

static void test_model__appset_template_finalizers_decide(void)
{
	static const struct {
		const char *finalizers;
		const char *preserve;
		int cascade;
	} cases[] = {
		/* a template with finalizers gets none added ... */
		{ "[pre-delete-finalizer.argocd.argoproj.io]", "false", 0 },
		/* ... and keeps its own, even when resources are preserved */
		{ "[resources-finalizer.argocd.argoproj.io/background]", "true",
		  1 },
		{ "~", "false", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char yaml[1024];
		struct doc d;
		const struct gg_object *o;

		snprintf(yaml, sizeof(yaml),
			 APPSET "spec:\n"
				"  syncPolicy:\n"
				"    preserveResourcesOnDeletion: %s\n" LIST_GEN
				"  template:\n"
				"    metadata:\n"
				"      name: x\n"
				"      finalizers: %s\n"
				"    spec:\n"
				"      source: {repoURL: r, path: p}\n",
			 cases[i].preserve, cases[i].finalizers);
		o = load(&d, yaml);
		if (gg_argo_appset_cascades(&o->u.appset) != cases[i].cascade)
			printf("#   finalizers %s, preserve %s\n",
			       cases[i].finalizers, cases[i].preserve);
		TAP_CHECK_INT(gg_argo_appset_cascades(&o->u.appset),
			      cases[i].cascade);
		unload(&d);
	}
}

static void test_model__appset_empty_template_finalizers_get_the_default(void)
{
	static const char *const preserve[] = { "false", "true" };
	size_t i;

	/* utils.go RenderTemplateParams: a nil or empty finalizer list gets
   * resources-finalizer unless resources are preserved */
	for (i = 0; i < 2; i++) {
		char yaml[1024];
		struct doc d;
		const struct gg_object *o;

		snprintf(yaml, sizeof(yaml),
			 APPSET "spec:\n"
				"  syncPolicy:\n"
				"    preserveResourcesOnDeletion: %s\n" LIST_GEN
				"  template:\n"
				"    metadata:\n"
				"      name: x\n"
				"      finalizers: []\n"
				"    spec:\n"
				"      source: {repoURL: r, path: p}\n",
			 preserve[i]);
		o = load(&d, yaml);
		TAP_CHECK_INT(o->u.appset.template_has_finalizers, 0);
		TAP_CHECK_INT(gg_argo_appset_cascades(&o->u.appset), i == 0);
		unload(&d);
	}
}

static void test_model__appset_template_sync_policy_is_typed(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, APPSET
		     "spec:\n"
		     "  goTemplate: true\n"
		     "  goTemplateOptions: [missingkey=error]\n"
		     "  templatePatch: |\n"
		     "    spec:\n"
		     "      syncPolicy: {automated: {prune: true}}\n" LIST_GEN
		     "  template:\n"
		     "    metadata: {name: '{{.cluster}}'}\n"
		     "    spec:\n"
		     "      source: {repoURL: r, path: p}\n"
		     "      syncPolicy:\n"
		     "        automated:\n"
		     "          prune: true\n");
	const struct gg_argo_appset *s = &o->u.appset;

	TAP_CHECK_INT(s->go_template, GG_TRUE);
	TAP_CHECK(s->template_patch &&
		  strstr(s->template_patch, "prune: true"));
	TAP_CHECK_INT(gg_argo_autosync(&s->app), 1);
	TAP_CHECK_INT(gg_argo_autoprune(&s->app), 1);
	TAP_CHECK_STR(s->name_template, "{{.cluster}}");
	unload(&d);
}

static void test_model__appset_git_generators(void)
{
	struct doc d;
	const struct gg_object *o = load(
		&d, APPSET "spec:\n"
			   "  generators:\n"
			   "  - git:\n"
			   "      repoURL: https://git.example.com/org/deploy\n"
			   "      revision: HEAD\n"
			   "      directories:\n"
			   "      - path: apps/*/envs/*\n"
			   "      - path: apps/legacy/envs/*\n"
			   "        exclude: true\n"
			   "      - exclude: true\n" /* no path: skipped */
			   "  - git:\n"
			   "      repoURL: https://git.example.com/org/deploy\n"
			   "      files:\n"
			   "      - path: envs/*/config.json\n" TEMPLATE);
	const struct gg_argo_appset *s = &o->u.appset;
	const struct gg_generator *g = generator(s, 0);

	TAP_CHECK_INT(s->ngenerators, 2);
	TAP_CHECK_INT(g->type, GG_GEN_GIT_DIRECTORIES);
	TAP_CHECK_STR(g->repo_url, "https://git.example.com/org/deploy");
	TAP_CHECK_STR(g->revision, "HEAD");
	TAP_CHECK_INT(g->npaths, 2);
	if (g->npaths == 2) {
		TAP_CHECK_STR(g->paths[0].path, "apps/*/envs/*");
		TAP_CHECK_INT(g->paths[0].exclude, 0);
		TAP_CHECK_STR(g->paths[1].path, "apps/legacy/envs/*");
		TAP_CHECK_INT(g->paths[1].exclude, 1);
	}
	g = generator(s, 1);
	TAP_CHECK_INT(g->type, GG_GEN_GIT_FILES);
	TAP_CHECK(!g->revision);
	TAP_CHECK_INT(g->npaths, 1);
	if (g->npaths)
		TAP_CHECK_STR(g->paths[0].path, "envs/*/config.json");
	unload(&d);
}

static void test_model__appset_list_cluster_and_other_generators(void)
{
	struct doc d;
	const struct gg_object *o = load(
		&d, APPSET "spec:\n"
			   "  generators:\n"
			   "  - list:\n"
			   "      elements:\n"
			   "      - {env: dev}\n"
			   "      - {env: prod}\n"
			   "      template:\n"
			   "        metadata: {name: own}\n"
			   "  - clusters:\n"
			   "      selector: {matchLabels: {env: prod}}\n"
			   "  - clusters: {}\n"
			   "  - scmProvider: {github: {organization: o}}\n"
			   "  - pullRequest: {github: {owner: o}}\n"
			   "  - plugin: {configMapRef: {name: p}}\n" TEMPLATE);
	const struct gg_argo_appset *s = &o->u.appset;

	TAP_CHECK_INT(s->ngenerators, 6);
	TAP_CHECK_INT(generator(s, 0)->type, GG_GEN_LIST);
	TAP_CHECK_INT(gg_ynode_count(generator(s, 0)->elements), 2);
	TAP_CHECK(gg_ynode_is_map(generator(s, 0)->template_));
	TAP_CHECK_INT(generator(s, 1)->type, GG_GEN_CLUSTERS);
	TAP_CHECK_INT(generator(s, 2)->type, GG_GEN_CLUSTERS);
	TAP_CHECK_INT(generator(s, 3)->type, GG_GEN_OTHER);
	TAP_CHECK_INT(generator(s, 4)->type, GG_GEN_OTHER);
	TAP_CHECK_INT(generator(s, 5)->type, GG_GEN_OTHER);
	unload(&d);
}

static void test_model__appset_matrix_and_merge_nest(void)
{
	struct doc d;
	const struct gg_object *o = load(
		&d, APPSET "spec:\n"
			   "  generators:\n"
			   "  - matrix:\n"
			   "      generators:\n"
			   "      - git:\n"
			   "          repoURL: https://git.example.com/deploy\n"
			   "          directories: [{path: apps/*}]\n"
			   "      - list:\n"
			   "          elements: [{env: dev}, {env: prod}]\n"
			   "  - merge:\n"
			   "      mergeKeys: [server]\n"
			   "      generators:\n"
			   "      - clusters: {}\n"
			   "      - matrix:\n"
			   "          generators:\n"
			   "          - git:\n"
			   "              repoURL: https://git.example.com/x\n"
			   "              files: [{path: '**/config.yaml'}]\n"
			   "          - list: {elements: []}\n" TEMPLATE);
	const struct gg_argo_appset *s = &o->u.appset;
	const struct gg_generator *m = generator(s, 0);
	const struct gg_generator *mg = generator(s, 1);

	TAP_CHECK_INT(s->ngenerators, 2);
	TAP_CHECK_INT(m->type, GG_GEN_MATRIX);
	TAP_CHECK_INT(m->nchildren, 2);
	TAP_CHECK_INT(child(m, 0)->type, GG_GEN_GIT_DIRECTORIES);
	TAP_CHECK_INT(child(m, 0)->npaths, 1);
	TAP_CHECK_INT(child(m, 1)->type, GG_GEN_LIST);
	TAP_CHECK_INT(gg_ynode_count(child(m, 1)->elements), 2);
	TAP_CHECK_INT(mg->type, GG_GEN_MERGE);
	TAP_CHECK_INT(mg->nchildren, 2);
	TAP_CHECK_INT(child(mg, 0)->type, GG_GEN_CLUSTERS);
	TAP_CHECK_INT(child(mg, 1)->type, GG_GEN_MATRIX);
	TAP_CHECK_INT(child(child(mg, 1), 0)->type, GG_GEN_GIT_FILES);
	TAP_CHECK_STR(child(child(mg, 1), 0)->repo_url,
		      "https://git.example.com/x");
	TAP_CHECK_INT(child(child(mg, 1), 1)->type, GG_GEN_LIST);
	unload(&d);
}

static void test_model__appset_deep_nesting_is_bounded(void)
{
	char yaml[8192];
	size_t len = 0, depth;
	struct doc d;
	const struct gg_object *o;
	const struct gg_generator *g;

	len += (size_t)snprintf(yaml + len, sizeof(yaml) - len,
				APPSET "spec:\n  generators:\n");
	for (depth = 0; depth < 16; depth++)
		len += (size_t)snprintf(yaml + len, sizeof(yaml) - len,
					"%*s- matrix:\n%*s    generators:\n",
					(int)(2 + depth * 6), "",
					(int)(2 + depth * 6), "");
	snprintf(yaml + len, sizeof(yaml) - len, "%*s- list: {elements: []}\n",
		 (int)(2 + depth * 6), "");
	o = load(&d, yaml);
	g = generator(&o->u.appset, 0);
	for (depth = 0; g->type == GG_GEN_MATRIX; depth++)
		g = child(g, 0);
	TAP_CHECK(depth > 2 && depth < 16);
	unload(&d);
}

/* --- AppProject (section 3) ----------------------------------------------- */

static void test_model__appproject_fields(void)
{
	struct doc d;
	const struct gg_object *o = load(
		&d,
		"apiVersion: argoproj.io/v1alpha1\n"
		"kind: AppProject\n"
		"metadata: {name: team-a, namespace: argocd}\n"
		"spec:\n"
		"  sourceRepos: ['*', '!https://evil.example.com/*']\n"
		"  destinations:\n"
		"  - {server: '*', namespace: '*'}\n"
		"  - {name: in-cluster, namespace: team-a}\n"
		"  clusterResourceWhitelist: [{group: '*', kind: '*'}]\n"
		"  namespaceResourceBlacklist: [{group: '', kind: Secret}]\n"
		"  namespaceResourceWhitelist: []\n"
		"  sourceNamespaces: [team-a]\n"
		"  syncWindows:\n"
		"  - {kind: deny, schedule: '0 22 * * *', duration: 1h,"
		" applications: ['*-prod']}\n");
	const struct gg_argo_project *p = &o->u.project;

	TAP_CHECK_INT(o->kind, GG_KIND_APPPROJECT);
	TAP_CHECK_INT(gg_ynode_count(p->source_repos), 2);
	TAP_CHECK_INT(p->ndests, 2);
	if (p->ndests == 2) {
		TAP_CHECK_STR(p->dests[0].server, "*");
		TAP_CHECK_STR(p->dests[0].namespace_, "*");
		TAP_CHECK(!p->dests[0].name);
		TAP_CHECK_STR(p->dests[1].name, "in-cluster");
		TAP_CHECK(!p->dests[1].server);
	}
	TAP_CHECK_INT(gg_ynode_count(p->cluster_whitelist), 1);
	TAP_CHECK_INT(gg_ynode_count(p->ns_blacklist), 1);
	/* an explicitly empty whitelist is not an absent one */
	TAP_CHECK(p->ns_whitelist && gg_ynode_is_seq(p->ns_whitelist));
	TAP_CHECK_INT(gg_ynode_count(p->ns_whitelist), 0);
	TAP_CHECK_INT(gg_ynode_count(p->source_namespaces), 1);
	TAP_CHECK_INT(gg_ynode_count(p->sync_windows), 1);
	unload(&d);
}

static void test_model__appproject_absent_lists_are_null(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, "apiVersion: argoproj.io/v1alpha1\n"
			 "kind: AppProject\n"
			 "metadata: {name: empty}\n"
			 "spec: {}\n");
	const struct gg_argo_project *p = &o->u.project;

	TAP_CHECK(!p->source_repos);
	TAP_CHECK_INT(p->ndests, 0);
	TAP_CHECK(!p->cluster_whitelist);
	TAP_CHECK(!p->ns_whitelist);
	TAP_CHECK(!p->ns_blacklist);
	TAP_CHECK(!p->sync_windows);
	unload(&d);
}

/* --- Flux (section 4) ----------------------------------------------------- */

static void test_model__flux_ks_fields(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, FLUX_KS "spec:\n"
				 "  interval: 10m\n"
				 "  path: ./apps/production\n"
				 "  prune: true\n"
				 "  sourceRef:\n"
				 "    kind: GitRepository\n"
				 "    name: flux-system\n"
				 "    namespace: flux-system\n"
				 "  targetNamespace: web\n"
				 "  serviceAccountName: kustomize-controller\n"
				 "  suspend: false\n"
				 "  images: [{name: web, newTag: v2}]\n");
	const struct gg_flux_ks *k = &o->u.ks;

	TAP_CHECK_INT(o->kind, GG_KIND_FLUX_KUSTOMIZATION);
	TAP_CHECK_STR(k->path, "./apps/production");
	TAP_CHECK_INT(k->prune, GG_TRUE);
	TAP_CHECK_STR(k->source_kind, "GitRepository");
	TAP_CHECK_STR(k->source_name, "flux-system");
	TAP_CHECK_STR(k->source_namespace, "flux-system");
	TAP_CHECK_STR(k->target_namespace, "web");
	TAP_CHECK_STR(k->service_account, "kustomize-controller");
	TAP_CHECK_INT(k->suspend, GG_FALSE);
	TAP_CHECK_INT(gg_ynode_count(k->images), 1);
	TAP_CHECK(!k->deletion_policy); /* MirrorPrune */
	TAP_CHECK_INT(gg_flux_ks_cascades(k), 1);
	unload(&d);
}

static void test_model__flux_ks_prune_missing_differs_from_false(void)
{
	struct doc d;
	const struct gg_object *o = load(
		&d, FLUX_KS "spec:\n"
			    "  sourceRef: {kind: GitRepository, name: x}\n");

	TAP_CHECK_INT(o->u.ks.prune, GG_UNSET);
	TAP_CHECK(!o->u.ks.path); /* the artifact root */
	TAP_CHECK(!o->u.ks.source_namespace);
	TAP_CHECK_INT(o->u.ks.suspend, GG_UNSET);
	TAP_CHECK_INT(gg_flux_ks_cascades(&o->u.ks), 0);
	unload(&d);
	o = load(&d, FLUX_KS "spec:\n  prune: false\n");
	TAP_CHECK_INT(o->u.ks.prune, GG_FALSE);
	TAP_CHECK_INT(gg_flux_ks_cascades(&o->u.ks), 0);
	unload(&d);
}

static void test_model__flux_ks_deletion_policy(void)
{
	static const struct {
		const char *prune, *policy;
		int cascade;
	} cases[] = {
		{ "true", NULL, 1 },
		{ "false", NULL, 0 },
		{ "true", "MirrorPrune", 1 },
		{ "false", "MirrorPrune", 0 },
		{ "false", "Delete", 1 },
		{ "true", "Delete", 1 },
		{ "false", "WaitForTermination", 1 },
		{ "true", "Orphan", 0 },
		{ "false", "Orphan", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char yaml[512];
		struct doc d;
		const struct gg_object *o;

		snprintf(yaml, sizeof(yaml),
			 FLUX_KS "spec:\n  prune: %s\n%s%s\n", cases[i].prune,
			 cases[i].policy ? "  deletionPolicy: " : "",
			 cases[i].policy ? cases[i].policy : "");
		o = load(&d, yaml);
		TAP_CHECK_STR(o->u.ks.deletion_policy, cases[i].policy);
		if (gg_flux_ks_cascades(&o->u.ks) != cases[i].cascade)
			printf("#   prune %s, deletionPolicy %s\n",
			       cases[i].prune,
			       cases[i].policy ? cases[i].policy : "-");
		TAP_CHECK_INT(gg_flux_ks_cascades(&o->u.ks), cases[i].cascade);
		unload(&d);
	}
}

static void test_model__flux_ks_suspend(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, FLUX_KS "spec:\n  suspend: true\n");

	TAP_CHECK_INT(o->u.ks.suspend, GG_TRUE);
	unload(&d);
}

static void test_model__gitrepository_default_branch_is_master(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, GITREPO "spec:\n"
				 "  interval: 1m\n"
				 "  url: https://git.example.com/org/deploy\n"
				 "  ignore: |\n"
				 "    /*\n"
				 "    !/deploy\n");
	const struct gg_flux_gitrepo *g = &o->u.gitrepo;

	TAP_CHECK_INT(o->kind, GG_KIND_GITREPOSITORY);
	TAP_CHECK_STR(g->url, "https://git.example.com/org/deploy");
	TAP_CHECK_INT(g->has_ref, 0);
	TAP_CHECK(!g->branch);
	TAP_CHECK_STR(gg_flux_gitrepo_branch(g), "master");
	TAP_CHECK_STR(g->ignore, "/*\n!/deploy\n");
	unload(&d);
}

static void test_model__gitrepository_ref_precedence(void)
{
	/* branch < tag < semver < name < commit: all but branch pin */
	static const struct {
		const char *ref;
		const char *branch;
	} cases[] = {
		{ "{branch: main}", "main" },
		{ "{branch: main, tag: v1.0.0}", NULL },
		{ "{tag: v1.0.0}", NULL },
		{ "{branch: main, semver: '>=1.0.0'}", NULL },
		{ "{branch: main, name: refs/tags/v1}", NULL },
		{ "{branch: main, commit: "
		  "0123456789abcdef0123456789abcdef01234567}",
		  NULL },
		{ "{branch: ''}", "master" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char yaml[512];
		struct doc d;
		const struct gg_object *o;

		snprintf(yaml, sizeof(yaml),
			 GITREPO "spec:\n  url: https://x/deploy\n  ref: %s\n",
			 cases[i].ref);
		o = load(&d, yaml);
		TAP_CHECK_INT(o->u.gitrepo.has_ref, 1);
		if (!cases[i].branch != !gg_flux_gitrepo_branch(&o->u.gitrepo))
			printf("#   ref %s\n", cases[i].ref);
		TAP_CHECK_STR(gg_flux_gitrepo_branch(&o->u.gitrepo),
			      cases[i].branch);
		unload(&d);
	}
}

static void test_model__ocirepository_fields(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, "apiVersion: source.toolkit.fluxcd.io/v1beta2\n"
			 "kind: OCIRepository\n"
			 "metadata: {name: podinfo}\n"
			 "spec:\n"
			 "  url: oci://ghcr.io/stefanprodan/manifests/podinfo\n"
			 "  ref: {tag: 6.5.0, digest: 'sha256:abc'}\n");

	TAP_CHECK_STR(o->u.ocirepo.url,
		      "oci://ghcr.io/stefanprodan/manifests/podinfo");
	TAP_CHECK_STR(o->u.ocirepo.tag, "6.5.0");
	TAP_CHECK_STR(o->u.ocirepo.digest, "sha256:abc");
	TAP_CHECK(!o->u.ocirepo.semver);
	unload(&d);
}

static void test_model__helmrelease_fields(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, "apiVersion: helm.toolkit.fluxcd.io/v2\n"
			 "kind: HelmRelease\n"
			 "metadata: {name: podinfo, namespace: web}\n"
			 "spec:\n"
			 "  interval: 5m\n"
			 "  releaseName: podinfo-prod\n"
			 "  targetNamespace: web-prod\n"
			 "  chart:\n"
			 "    spec:\n"
			 "      chart: podinfo\n"
			 "      version: '>=6.0.0'\n"
			 "      sourceRef: {kind: HelmRepository, name: pi}\n"
			 "  values:\n"
			 "    replicaCount: 2\n");
	const struct gg_flux_helmrelease *h = &o->u.hr;

	TAP_CHECK_INT(o->kind, GG_KIND_HELMRELEASE);
	TAP_CHECK_STR(h->chart, "podinfo");
	TAP_CHECK_STR(h->version, ">=6.0.0");
	TAP_CHECK_STR(h->release_name, "podinfo-prod");
	TAP_CHECK_STR(h->target_namespace, "web-prod");
	TAP_CHECK(!h->chart_ref_kind);
	TAP_CHECK_INT(h->suspend, GG_UNSET);
	TAP_CHECK_INT(gg_ynode_count(h->values), 1);
	unload(&d);
	o = load(&d, "apiVersion: helm.toolkit.fluxcd.io/v2\n"
		     "kind: HelmRelease\n"
		     "metadata: {name: podinfo}\n"
		     "spec:\n"
		     "  suspend: true\n"
		     "  chartRef: {kind: OCIRepository, name: podinfo}\n");
	TAP_CHECK_STR(o->u.hr.chart_ref_kind, "OCIRepository");
	TAP_CHECK_STR(o->u.hr.chart_ref_name, "podinfo");
	TAP_CHECK(!o->u.hr.chart);
	TAP_CHECK(!o->u.hr.release_name); /* default [<tns>-]<name> */
	TAP_CHECK_INT(o->u.hr.suspend, GG_TRUE);
	unload(&d);
}

/* --- Kustomize (section 5) ------------------------------------------------ */

static void test_model__kustomization_file_names(void)
{
	TAP_CHECK_INT(gg_path_is_kustomization("kustomization.yaml"), 1);
	TAP_CHECK_INT(gg_path_is_kustomization("a/b/kustomization.yml"), 1);
	TAP_CHECK_INT(gg_path_is_kustomization("a/Kustomization"), 1);
	TAP_CHECK_INT(gg_path_is_kustomization("a/kustomization.json"), 0);
	TAP_CHECK_INT(gg_path_is_kustomization("a/kustomization.yaml.bak"), 0);
	TAP_CHECK_INT(gg_path_is_kustomization("a/my-kustomization.yaml"), 0);
	TAP_CHECK_INT(gg_path_is_kustomization("kustomization.yaml/x.yaml"), 0);
	TAP_CHECK_INT(gg_path_is_kustomization("a/Kustomization.yaml"), 0);
}

static void test_model__kustomization_fields(void)
{
	struct doc d;
	const struct gg_object *o = load_as(
		&d,
		"apiVersion: kustomize.config.k8s.io/v1beta1\n"
		"kind: Kustomization\n"
		"namespace: web-prod\n"
		"namePrefix: prod-\n"
		"nameSuffix: -v1\n"
		"resources: [../../base, extra.yaml]\n"
		"bases: [../../legacy]\n"
		"components: [../../variants/prod]\n"
		"images:\n"
		"- {name: web, newTag: v2, digest: 'sha256:1'}\n"
		"helmCharts:\n"
		"- {name: redis, version: 18.0.0, repo: https://charts}\n"
		"secretGenerator:\n"
		"- {name: creds, literals: [password=hunter2]}\n",
		1);
	const struct gg_kustomize *k = &o->u.kustomize;

	TAP_CHECK_INT(o->kind, GG_KIND_KUSTOMIZATION);
	TAP_CHECK_INT(gg_ynode_count(k->resources), 2);
	TAP_CHECK_STR(gg_ynode_str(gg_ynode_item(k->resources, 0)),
		      "../../base");
	TAP_CHECK_INT(gg_ynode_count(k->bases), 1);
	TAP_CHECK_INT(gg_ynode_count(k->components), 1);
	TAP_CHECK_INT(gg_ynode_count(k->images), 1);
	TAP_CHECK_INT(gg_ynode_count(k->helm_charts), 1);
	TAP_CHECK_INT(gg_ynode_count(k->secret_generator), 1);
	TAP_CHECK_STR(k->namespace_, "web-prod");
	TAP_CHECK_STR(k->name_prefix, "prod-");
	TAP_CHECK_STR(k->name_suffix, "-v1");
	unload(&d);
}

static void test_model__kustomization_file_needs_no_apiversion(void)
{
	struct doc d;
	const struct gg_object *o = load_as(&d, "resources:\n- a.yaml\n", 1);

	TAP_CHECK_INT(o->kind, GG_KIND_KUSTOMIZATION);
	TAP_CHECK_INT(gg_ynode_count(o->u.kustomize.resources), 1);
	TAP_CHECK(!o->u.kustomize.bases);
	TAP_CHECK(!o->u.kustomize.components);
	unload(&d);
	/* the same text elsewhere is just a document */
	o = load(&d, "resources:\n- a.yaml\n");
	TAP_CHECK_INT(o->kind, GG_KIND_NOT_OBJECT);
	unload(&d);
}

static void test_model__kustomization_lists_of_wrong_type_are_null(void)
{
	struct doc d;
	const struct gg_object *o =
		load_as(&d, "resources: a.yaml\nimages: {a: b}\n", 1);

	TAP_CHECK(!o->u.kustomize.resources);
	TAP_CHECK(!o->u.kustomize.images);
	unload(&d);
}

/* --- Secrets and SOPS ----------------------------------------------------- */

static void test_model__secret_data_and_string_data(void)
{
	struct doc d;
	const struct gg_object *o =
		load(&d, "apiVersion: v1\n"
			 "kind: Secret\n"
			 "metadata:\n"
			 "  name: repo\n"
			 "  labels:\n"
			 "    argocd.argoproj.io/secret-type: repository\n"
			 "type: Opaque\n"
			 "data: {password: aHVudGVyMg==}\n"
			 "stringData: {username: admin, url: https://x}\n");
	const struct gg_secret *s = &o->u.secret;

	TAP_CHECK_INT(o->kind, GG_KIND_SECRET);
	TAP_CHECK_INT(gg_ynode_count(s->data), 1);
	TAP_CHECK_INT(gg_ynode_count(s->string_data), 2);
	TAP_CHECK_STR(s->type, "Opaque");
	TAP_CHECK_STR(s->argocd_secret_type, "repository");
	TAP_CHECK_INT(o->sops, 0);
	unload(&d);
	o = load(&d, "apiVersion: v1\nkind: Secret\nmetadata: {name: e}\n"
		     "data: [x]\n");
	TAP_CHECK(!o->u.secret.data);
	TAP_CHECK(!o->u.secret.string_data);
	TAP_CHECK(!o->u.secret.type);
	TAP_CHECK(!o->u.secret.argocd_secret_type);
	unload(&d);
}

static void test_model__sops_block_marks_object_and_file(void)
{
	struct doc d;
	const struct gg_object *o = load(
		&d,
		"apiVersion: v1\n"
		"kind: Secret\n"
		"metadata: {name: db}\n"
		"data:\n"
		"  password: ENC[AES256_GCM,data:abc=,iv:x,tag:y,type:str]\n"
		"sops:\n"
		"  age: [{recipient: age1xyz}]\n"
		"  encrypted_regex: ^(data|stringData)$\n"
		"  version: 3.8.1\n"
		"---\n"
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");

	TAP_CHECK_INT(o->sops, 1);
	TAP_CHECK_INT(d.objs.sops_file, 1);
	TAP_CHECK_INT(d.objs.nr, 2);
	if (d.objs.nr == 2)
		TAP_CHECK_INT(d.objs.v[1].sops, 0);
	unload(&d);
	/* a sops mapping is SOPS metadata with mac and lastmodified, or
	 * next to ENC[...] values; not on its own */
	o = load(&d, "apiVersion: v1\nkind: Secret\nmetadata: {name: c}\n"
		     "stringData: {password: hunter2}\n"
		     "sops: {version: 3.8.1}\n");
	TAP_CHECK_INT(o->sops, 0);
	TAP_CHECK_INT(d.objs.sops_file, 0);
	unload(&d);
	o = load(&d, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
		     "data: {a: b}\n"
		     "sops: {mac: 'ENC[AES256_GCM,data:x=]', lastmodified: "
		     "'2026-01-01T00:00:00Z'}\n");
	TAP_CHECK_INT(o->sops, 1);
	unload(&d);
	/* "sops" as a plain key value is not an encryption block */
	o = load(&d, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
		     "sops: enabled\n");
	TAP_CHECK_INT(o->sops, 0);
	TAP_CHECK_INT(d.objs.sops_file, 0);
	unload(&d);
}

/* --- protective annotations (1.6, 1.9, 4.1, section 8) -------------------- */

static unsigned protect_of(const char *metadata)
{
	char yaml[1024];
	struct doc d;
	const struct gg_object *o;
	unsigned bits;

	snprintf(yaml, sizeof(yaml),
		 "apiVersion: v1\nkind: Namespace\nmetadata:\n"
		 "  name: ns\n%s",
		 metadata);
	o = load(&d, yaml);
	bits = o->protect;
	unload(&d);
	return bits;
}

static void test_model__sync_options_list(void)
{
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    argocd.argoproj.io/sync-options: "
				 "Prune=false,Delete=false\n"),
		      GG_PROTECT_PRUNE_FALSE | GG_PROTECT_DELETE_FALSE);
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    argocd.argoproj.io/sync-options: "
				 "Prune=false\n"),
		      GG_PROTECT_PRUNE_FALSE);
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    argocd.argoproj.io/sync-options: "
				 "Prune=confirm, Delete=confirm\n"),
		      GG_PROTECT_PRUNE_CONFIRM | GG_PROTECT_DELETE_CONFIRM);
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    argocd.argoproj.io/sync-options: "
				 "ServerSideApply=true,Delete=false\n"),
		      GG_PROTECT_DELETE_FALSE);
	TAP_CHECK_INT(protect_of(""), 0);
}

static void test_model__sync_options_need_the_whole_option(void)
{
	/* PruneLast=true is not Prune=false; Prune=falsey is nothing */
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    argocd.argoproj.io/sync-options: "
				 "PruneLast=true,Prune=falsey\n"),
		      0);
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    argocd.argoproj.io/sync-options: "
				 "prune=false\n"),
		      0);
	/* the option must be in the sync-options annotation */
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    example.com/note: Prune=false\n"),
		      0);
	TAP_CHECK_INT(protect_of("  labels:\n"
				 "    argocd.argoproj.io/sync-options: "
				 "Prune=false\n"),
		      0);
}

static void test_model__sync_options_in_a_block_scalar(void)
{
	/* Argo CD trims each comma-separated item: a block scalar's
   * trailing newline does not hide the option */
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    argocd.argoproj.io/sync-options: |\n"
				 "      Prune=false\n"),
		      GG_PROTECT_PRUNE_FALSE);
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    argocd.argoproj.io/sync-options: >\n"
				 "      Delete=false,\n"
				 "      Prune=false\n"),
		      GG_PROTECT_PRUNE_FALSE | GG_PROTECT_DELETE_FALSE);
}

static void test_model__flux_prune_disabled_as_annotation_or_label(void)
{
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    kustomize.toolkit.fluxcd.io/prune: "
				 "disabled\n"),
		      GG_PROTECT_FLUX_PRUNE);
	TAP_CHECK_INT(protect_of("  labels:\n"
				 "    kustomize.toolkit.fluxcd.io/prune: "
				 "disabled\n"),
		      GG_PROTECT_FLUX_PRUNE);
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    kustomize.toolkit.fluxcd.io/prune: "
				 "enabled\n"),
		      0);
}

static void test_model__flux_prune_disabled_label_beside_other_annotation(void)
{
	/* Flux honours the label or the annotation, whichever says it */
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    kustomize.toolkit.fluxcd.io/prune: "
				 "enabled\n"
				 "  labels:\n"
				 "    kustomize.toolkit.fluxcd.io/prune: "
				 "disabled\n"),
		      GG_PROTECT_FLUX_PRUNE);
}

static void test_model__flux_prune_disabled_is_case_insensitive(void)
{
	/* fluxcd/pkg ssa AnyInMetadata compares with strings.EqualFold */
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    kustomize.toolkit.fluxcd.io/prune: "
				 "Disabled\n"),
		      GG_PROTECT_FLUX_PRUNE);
	TAP_CHECK_INT(protect_of("  labels:\n"
				 "    kustomize.toolkit.fluxcd.io/prune: "
				 "DISABLED\n"),
		      GG_PROTECT_FLUX_PRUNE);
}

static void test_model__helm_resource_policy_keep(void)
{
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    helm.sh/resource-policy: keep\n"),
		      GG_PROTECT_HELM_KEEP);
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    helm.sh/resource-policy: delete\n"),
		      0);
	TAP_CHECK_INT(protect_of("  labels:\n"
				 "    helm.sh/resource-policy: keep\n"),
		      0);
}

static void test_model__helm_resource_policy_keep_ignores_case_and_space(void)
{
	/* helm lowercases and trims the value before comparing */
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    helm.sh/resource-policy: Keep\n"),
		      GG_PROTECT_HELM_KEEP);
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    helm.sh/resource-policy: ' keep '\n"),
		      GG_PROTECT_HELM_KEEP);
}

static void test_model__all_protections_at_once(void)
{
	TAP_CHECK_INT(protect_of("  annotations:\n"
				 "    argocd.argoproj.io/sync-options: "
				 "Prune=false,Delete=false\n"
				 "    kustomize.toolkit.fluxcd.io/prune: "
				 "disabled\n"
				 "    helm.sh/resource-policy: keep\n"),
		      GG_PROTECT_PRUNE_FALSE | GG_PROTECT_DELETE_FALSE |
			      GG_PROTECT_FLUX_PRUNE | GG_PROTECT_HELM_KEEP);
}

static void test_model__annotations_and_labels_lookup(void)
{
	struct doc d;
	const struct gg_object *o = load(&d, "apiVersion: v1\nkind: ConfigMap\n"
					     "metadata:\n"
					     "  name: c\n"
					     "  annotations: {a: '1'}\n"
					     "  labels: {l: x}\n");

	TAP_CHECK_STR(gg_object_annotation(o, "a"), "1");
	TAP_CHECK(!gg_object_annotation(o, "l"));
	TAP_CHECK_STR(gg_object_label(o, "l"), "x");
	TAP_CHECK(!gg_object_label(o, "a"));
	unload(&d);
}

/* --- robustness ----------------------------------------------------------- */

static void test_model__wrong_shapes_never_crash(void)
{
	static const char *const docs[] = {
		APP "spec: [1, 2]\n",
		APP "spec:\n  source: [a]\n  sources: {a: b}\n",
		APP "spec:\n  sources: [1, {path: x}, ~]\n",
		APP "spec:\n  syncPolicy: [automated]\n",
		APP "spec:\n  syncPolicy:\n    automated: [prune]\n",
		APP "  finalizers: {a: b}\nspec: ~\n",
		APP "  annotations: [x]\n  labels: 3\nspec: {}\n",
		APPSET "spec:\n  generators: {list: {}}\n",
		APPSET "spec:\n  generators: [~, 1, {git: []}, {matrix: 1}]\n",
		APPSET "spec:\n  generators:\n  - git: {directories: [1, "
		       "{path: [x]}]}\n",
		APPSET "spec:\n  template: [1]\n",
		"apiVersion: argoproj.io/v1alpha1\nkind: AppProject\n"
		"spec: {destinations: [1, ~, [x]]}\n",
		FLUX_KS "spec: {sourceRef: [x], prune: maybe}\n",
		GITREPO "spec: {ref: [branch]}\n",
		"apiVersion: v1\nkind: Secret\ndata: ~\nsops: []\n",
		"kind: [Application]\napiVersion: {a: b}\nmetadata: [x]\n",
	};
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(*docs); i++) {
		struct doc d;

		load(&d, docs[i]);
		unload(&d);
	}
	TAP_CHECK(1);
}

int main(void)
{
	TAP_RUN(test_model__kinds_by_group_and_kind);
	TAP_RUN(test_model__document_without_kind_is_not_an_object);
	TAP_RUN(test_model__multi_document_files_type_each_document);
	TAP_RUN(test_model__list_items_are_objects_at_their_lines);
	TAP_RUN(test_model__any_kind_ending_in_list_expands);
	TAP_RUN(test_model__empty_and_itemless_lists);
	TAP_RUN(test_model__nested_lists_expand_and_non_objects_are_skipped);
	TAP_RUN(test_model__sops_list_marks_its_items);
	TAP_RUN(test_model__kustomization_file_is_not_expanded);
	TAP_RUN(test_model__list_items_are_bounded);
	TAP_RUN(test_model__kind_names);
	TAP_RUN(test_model__app_without_automated_is_manual);
	TAP_RUN(test_model__app_syncpolicy_without_automated_is_manual);
	TAP_RUN(test_model__app_empty_automated_map_turns_autosync_on);
	TAP_RUN(test_model__app_null_automated_is_off);
	TAP_RUN(test_model__app_enabled_false_turns_autosync_off_despite_prune);
	TAP_RUN(test_model__app_enabled_true_or_null_keeps_autosync_on);
	TAP_RUN(test_model__app_explicit_false_differs_from_absent);
	TAP_RUN(test_model__app_prune_selfheal_allowempty_true);
	TAP_RUN(test_model__app_quoted_boolean_is_not_a_boolean);
	TAP_RUN(test_model__app_single_source);
	TAP_RUN(test_model__app_source_defaults);
	TAP_RUN(test_model__app_tool_blocks);
	TAP_RUN(test_model__app_sources_beat_source);
	TAP_RUN(test_model__app_empty_sources_fall_back_to_source);
	TAP_RUN(test_model__app_helm_repository_chart_has_no_git_source);
	TAP_RUN(test_model__app_path_null_or_absent_is_no_path);
	TAP_RUN(test_model__app_empty_or_missing_project_is_default);
	TAP_RUN(test_model__app_null_project_is_default);
	TAP_RUN(test_model__app_named_project);
	TAP_RUN(test_model__app_destination);
	TAP_RUN(test_model__app_finalizer_variants_cascade);
	TAP_RUN(test_model__app_without_finalizers_does_not_cascade);
	TAP_RUN(test_model__app_skip_reconcile);
	TAP_RUN(test_model__appset_defaults);
	TAP_RUN(test_model__appset_preserve_resources_stops_the_cascade);
	TAP_RUN(test_model__appset_template_finalizers_decide);
	TAP_RUN(test_model__appset_empty_template_finalizers_get_the_default);
	TAP_RUN(test_model__appset_template_sync_policy_is_typed);
	TAP_RUN(test_model__appset_git_generators);
	TAP_RUN(test_model__appset_list_cluster_and_other_generators);
	TAP_RUN(test_model__appset_matrix_and_merge_nest);
	TAP_RUN(test_model__appset_deep_nesting_is_bounded);
	TAP_RUN(test_model__appproject_fields);
	TAP_RUN(test_model__appproject_absent_lists_are_null);
	TAP_RUN(test_model__flux_ks_fields);
	TAP_RUN(test_model__flux_ks_prune_missing_differs_from_false);
	TAP_RUN(test_model__flux_ks_deletion_policy);
	TAP_RUN(test_model__flux_ks_suspend);
	TAP_RUN(test_model__gitrepository_default_branch_is_master);
	TAP_RUN(test_model__gitrepository_ref_precedence);
	TAP_RUN(test_model__ocirepository_fields);
	TAP_RUN(test_model__helmrelease_fields);
	TAP_RUN(test_model__kustomization_file_names);
	TAP_RUN(test_model__kustomization_fields);
	TAP_RUN(test_model__kustomization_file_needs_no_apiversion);
	TAP_RUN(test_model__kustomization_lists_of_wrong_type_are_null);
	TAP_RUN(test_model__secret_data_and_string_data);
	TAP_RUN(test_model__sops_block_marks_object_and_file);
	TAP_RUN(test_model__sync_options_list);
	TAP_RUN(test_model__sync_options_need_the_whole_option);
	TAP_RUN(test_model__sync_options_in_a_block_scalar);
	TAP_RUN(test_model__flux_prune_disabled_as_annotation_or_label);
	TAP_RUN(test_model__flux_prune_disabled_label_beside_other_annotation);
	TAP_RUN(test_model__flux_prune_disabled_is_case_insensitive);
	TAP_RUN(test_model__helm_resource_policy_keep);
	TAP_RUN(test_model__helm_resource_policy_keep_ignores_case_and_space);
	TAP_RUN(test_model__all_protections_at_once);
	TAP_RUN(test_model__annotations_and_labels_lookup);
	TAP_RUN(test_model__wrong_shapes_never_crash);
	return tap_done();
}
