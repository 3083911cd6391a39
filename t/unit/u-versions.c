/*
 * Unit tests for versions.c: image references, values key patterns,
 * and the version values of every kind of manifest a promotion edits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "versions.h"
#include "yamlload.h"
#include "tap.h"

/* The versions of `yaml` as the file `path`. */
static void extract(struct gg_versions *out, const char *path, const char *yaml,
		    const struct gg_version_opts *opts)
{
	struct gg_yfile *f;
	struct gg_objects objs;

	gg_versions_init(out);
	if (gg_yaml_parse(&f, NULL, yaml, strlen(yaml), NULL) < 0) {
		printf("# bad test YAML\n");
		return;
	}
	gg_model_build(&objs, &f->arena, f, gg_path_is_kustomization(path));
	gg_versions_add_file(out, &objs, path, opts);
	gg_yaml_free(f);
}

/* "kind name tag digest line", one per value, for easy comparison. */
static const char *dump(const struct gg_versions *vs)
{
	static char buf[2048];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < vs->nr && n < sizeof(buf); i++)
		n += (size_t)snprintf(
			buf + n, sizeof(buf) - n, "%s%s %s %s %s %u",
			i ? "; " : "", gg_version_kind_name(vs->v[i].kind),
			vs->v[i].name, vs->v[i].tag ? vs->v[i].tag : "-",
			vs->v[i].digest ? vs->v[i].digest : "-", vs->v[i].line);
	return buf;
}

static void test_versions__image_references(void)
{
	struct gg_arena a = GG_ARENA_INIT;
	const char *n, *t, *d;

	TAP_CHECK_INT(gg_image_parse(&a, "nginx", &n, &t, &d), 0);
	TAP_CHECK_STR(n, "nginx");
	TAP_CHECK(!t && !d);
	TAP_CHECK_INT(
		gg_image_parse(&a, "docker.io/library/nginx:1.25", &n, &t, &d),
		0);
	TAP_CHECK_STR(n, "nginx");
	TAP_CHECK_STR(t, "1.25");
	TAP_CHECK_INT(gg_image_parse(&a, "registry:5000/team/app:2.0@sha256:ab",
				     &n, &t, &d),
		      0);
	TAP_CHECK_STR(n, "registry:5000/team/app");
	TAP_CHECK_STR(t, "2.0");
	TAP_CHECK_STR(d, "sha256:ab");
	TAP_CHECK_INT(gg_image_parse(&a, "registry:5000/team/app", &n, &t, &d),
		      0);
	TAP_CHECK_STR(n, "registry:5000/team/app");
	TAP_CHECK(!t);
	TAP_CHECK_INT(gg_image_parse(&a, "ghcr.io/a/b@sha256:cd", &n, &t, &d),
		      0);
	TAP_CHECK_STR(n, "ghcr.io/a/b");
	TAP_CHECK(!t);
	TAP_CHECK_STR(d, "sha256:cd");
	TAP_CHECK_INT(gg_image_parse(&a, "{{ .Values.image }}", &n, &t, &d),
		      -1);
	TAP_CHECK_INT(gg_image_parse(&a, "", &n, &t, &d), -1);
	TAP_CHECK_INT(gg_image_parse(&a, ":1.0", &n, &t, &d), -1);
	gg_arena_release(&a);
}

static void test_versions__values_key_patterns(void)
{
	TAP_CHECK(gg_values_key_match("image.tag", "image.tag"));
	TAP_CHECK(!gg_values_key_match("image.tag", "image.tags"));
	TAP_CHECK(!gg_values_key_match("image.tag", "web.image.tag"));
	TAP_CHECK(gg_values_key_match("*.image.tag", "web.image.tag"));
	TAP_CHECK(!gg_values_key_match("*.image.tag", "image.tag"));
	TAP_CHECK(gg_values_key_match("**.tag", "tag"));
	TAP_CHECK(gg_values_key_match("**.tag", "a.b.c.tag"));
	TAP_CHECK(gg_values_key_match("a.**", "a.b.c"));
	TAP_CHECK(!gg_values_key_match("**.tag", "a.b.version"));
	TAP_CHECK(!gg_values_key_match("", "tag"));
}

static void test_versions__kustomize_images_and_charts(void)
{
	struct gg_versions vs;

	extract(&vs, "envs/prod/kustomization.yaml",
		"resources: [../../base]\n"
		"images:\n"
		"- name: web\n"
		"  newName: ghcr.io/acme/web\n"
		"  newTag: \"1.4\"\n"
		"- name: docker.io/library/redis\n"
		"  digest: sha256:aa\n"
		"- name: only-renamed\n"
		"  newName: other\n"
		"helmCharts:\n"
		"- name: podinfo\n"
		"  version: 6.5.0\n",
		NULL);
	TAP_CHECK_STR(dump(&vs), "image ghcr.io/acme/web 1.4 - 5; "
				 "image redis - sha256:aa 7; "
				 "chart podinfo 6.5.0 - 12");
	gg_versions_release(&vs);
}

static void test_versions__container_images_at_any_depth(void)
{
	struct gg_versions vs;

	extract(&vs, "envs/prod/cron.yaml",
		"apiVersion: batch/v1\n"
		"kind: CronJob\n"
		"metadata: { name: job }\n"
		"spec:\n"
		"  jobTemplate:\n"
		"    spec:\n"
		"      template:\n"
		"        spec:\n"
		"          initContainers:\n"
		"          - { name: init, image: busybox:1.36 }\n"
		"          containers:\n"
		"          - name: job\n"
		"            image: ghcr.io/acme/job:2.0@sha256:ff\n",
		NULL);
	TAP_CHECK_STR(dump(&vs), "image busybox 1.36 - 10; "
				 "image ghcr.io/acme/job 2.0 sha256:ff 13");
	gg_versions_release(&vs);
}

static void test_versions__flux_objects(void)
{
	struct gg_versions vs;

	extract(&vs, "clusters/prod/apps.yaml",
		"apiVersion: helm.toolkit.fluxcd.io/v2\n"
		"kind: HelmRelease\n"
		"metadata: { name: podinfo }\n"
		"spec:\n"
		"  chart:\n"
		"    spec: { chart: podinfo, version: \"6.5.*\" }\n"
		"  values:\n"
		"    image: { repository: ghcr.io/stefanprodan/podinfo, tag: 6.5.4 }\n"
		"---\n"
		"apiVersion: source.toolkit.fluxcd.io/v1beta2\n"
		"kind: OCIRepository\n"
		"metadata: { name: manifests }\n"
		"spec:\n"
		"  url: oci://ghcr.io/acme/manifests\n"
		"  ref: { tag: v1.2.0 }\n"
		"---\n"
		"apiVersion: source.toolkit.fluxcd.io/v1\n"
		"kind: HelmChart\n"
		"metadata: { name: redis }\n"
		"spec: { chart: redis, version: 18.1.0 }\n",
		NULL);
	TAP_CHECK_STR(dump(&vs),
		      "chart podinfo 6.5.* - 6; "
		      "image ghcr.io/stefanprodan/podinfo 6.5.4 - 8; "
		      "OCI artifact oci://ghcr.io/acme/manifests v1.2.0 - 15; "
		      "chart redis 18.1.0 - 20");
	gg_versions_release(&vs);
}

static void test_versions__argo_application_chart_source(void)
{
	struct gg_versions vs;

	extract(&vs, "apps/web-prod.yaml",
		"apiVersion: argoproj.io/v1alpha1\n"
		"kind: Application\n"
		"metadata: { name: web-prod }\n"
		"spec:\n"
		"  sources:\n"
		"  - repoURL: https://charts.example.com\n"
		"    chart: web\n"
		"    targetRevision: 3.1.0\n"
		"    helm:\n"
		"      parameters:\n"
		"      - { name: image.repository, value: ghcr.io/acme/web }\n"
		"      - { name: image.tag, value: \"1.9\" }\n"
		"  - repoURL: https://git.example.com/deploy.git\n"
		"    path: envs/prod\n"
		"    targetRevision: main\n",
		NULL);
	TAP_CHECK_STR(dump(&vs), "chart web 3.1.0 - 8; "
				 "image ghcr.io/acme/web 1.9 - 12");
	gg_versions_release(&vs);
}

static void test_versions__helm_values_keys(void)
{
	static const char values[] = "frontend:\n"
				     "  image:\n"
				     "    tag: \"2.0\"\n"
				     "image:\n"
				     "  registry: docker.io\n"
				     "  repository: bitnami/nginx\n"
				     "  tag: 1.25.3\n"
				     "sidecar:\n"
				     "  repository: envoyproxy/envoy\n"
				     "  tag: v1.29\n"
				     "version: \"7\"\n";
	struct gg_strvec keys = GG_STRVEC_INIT;
	struct gg_version_opts opts = { &keys, 0 };
	struct gg_versions vs;

	extract(&vs, "charts/web/values-prod.yaml", values, NULL);
	TAP_CHECK_STR(dump(&vs), "values key frontend.image.tag 2.0 - 3; "
				 "image bitnami/nginx 1.25.3 - 7; "
				 "image envoyproxy/envoy v1.29 - 10");
	gg_versions_release(&vs);
	/* configured keys replace the defaults; beside-repository off */
	gg_strvec_push(&keys, "version");
	extract(&vs, "charts/web/values-prod.yaml", values, &opts);
	TAP_CHECK_STR(dump(&vs), "values key version 7 - 11");
	gg_versions_release(&vs);
	gg_strvec_release(&keys);
}

static void test_versions__argocd_source_overrides(void)
{
	struct gg_versions vs;

	extract(&vs, "apps/web/prod/.argocd-source-web-prod.yaml",
		"kustomize:\n"
		"  images:\n"
		"  - web=ghcr.io/acme/web:1.7\n"
		"helm:\n"
		"  parameters:\n"
		"  - name: api.image.tag\n"
		"    value: \"4.2\"\n"
		"    forcestring: true\n",
		NULL);
	TAP_CHECK_STR(dump(&vs), "image ghcr.io/acme/web 1.7 - 3; "
				 "values key api.image.tag 4.2 - 7");
	gg_versions_release(&vs);
}

static void test_versions__matching(void)
{
	struct gg_versions set;
	struct gg_version tagged = {
		GG_VERSION_IMAGE, "web", "1.4", NULL, 1, "test"
	};
	struct gg_version pinned = { GG_VERSION_IMAGE, "web", "1.4",
				     "sha256:b",       1,     "test" };
	struct gg_version chart = {
		GG_VERSION_CHART, "web", "1.4", NULL, 1, "test"
	};

	gg_versions_init(&set);
	TAP_CHECK(!gg_versions_has(&set, &tagged));
	gg_versions_add(&set,
			&(struct gg_version){ GG_VERSION_IMAGE, "web", "1.4",
					      "sha256:a", 2, "test" });
	TAP_CHECK(gg_versions_has(&set, &tagged));
	TAP_CHECK(!gg_versions_has(&set, &pinned)); /* the digest decides */
	TAP_CHECK(!gg_versions_has(&set, &chart));
	TAP_CHECK(gg_versions_has_name(&set, &pinned));
	gg_versions_add(&set,
			&(struct gg_version){ GG_VERSION_IMAGE, "web", NULL,
					      "sha256:b", 3, "test" });
	TAP_CHECK(gg_versions_has(&set, &pinned));
	TAP_CHECK_INT(set.nr, 2);
	gg_versions_release(&set);
}

int main(void)
{
	TAP_RUN(test_versions__image_references);
	TAP_RUN(test_versions__values_key_patterns);
	TAP_RUN(test_versions__kustomize_images_and_charts);
	TAP_RUN(test_versions__container_images_at_any_depth);
	TAP_RUN(test_versions__flux_objects);
	TAP_RUN(test_versions__argo_application_chart_source);
	TAP_RUN(test_versions__helm_values_keys);
	TAP_RUN(test_versions__argocd_source_overrides);
	TAP_RUN(test_versions__matching);
	return tap_done();
}
