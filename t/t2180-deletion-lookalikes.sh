#!/bin/sh
test_description='deletion rules: everyday pushes that look like deletions are accepted without a finding'
. "$(dirname "$0")/lib.sh"
. "$GG_TEST_DIR/lib-gitops.sh"

# the deletion family only: the other families judge these pushes too
gg_only_rules 'app/*' 'protect/*' 'appset/*' 'ref/*'

# accepted_quietly <work> <server>: push main; the hook says nothing.
accepted_quietly() {
	gg_push_expect_accept "$1" "$2" main &&
	test_grep -v gitops-guard push.out &&
	test "$(gg_ref "${2#../}" main)" = "$(git -C "$1" rev-parse main)"
}

test_expect_success 'setup: app-of-apps, kustomize base and overlays, an ApplicationSet' '
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	git init -q work &&
	gg_appset_layout work &&
	gg_argo_app work/argocd/guestbook.yaml guestbook apps-classic/guestbook finalizer &&
	gg_argo_app work/argocd/shop-staging.yaml shop-staging apps-classic/shop/overlays/staging finalizer &&
	gg_argo_app work/argocd/shop-prod.yaml shop-prod apps-classic/shop/overlays/prod finalizer &&
	gg_object work/apps-classic/guestbook/deployment.yaml Deployment guestbook &&
	gg_object work/apps-classic/guestbook/service.yaml Service guestbook &&
	gg_objects work/apps-classic/guestbook/config.yaml guestbook- 6 &&
	gg_object work/apps-classic/shop/base/deployment.yaml Deployment shop &&
	gg_object work/apps-classic/shop/base/service.yaml Service shop &&
	gg_objects work/apps-classic/shop/base/config.yaml shop- 6 &&
	gg_write work/apps-classic/shop/base/kustomization.yaml <<-\EOF &&
	resources: [deployment.yaml, service.yaml, config.yaml]
	EOF
	for env in staging prod; do
		gg_write work/apps-classic/shop/overlays/$env/kustomization.yaml <<-EOF || return 1
		resources: [../../base]
		namespace: shop-$env
		images:
		  - name: shop
		    newTag: "1.0.0"
		EOF
	done &&
	gg_objects work/docs/examples/sample.yaml example- 8 &&
	gg_commit work initial &&
	git -C work branch feature &&
	gg_push_expect_accept work ../deploy.git main feature &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'app-of-apps: moving an app to a new path, old Application file removed, new added' '
	mkdir -p work/apps-classic/frontend &&
	git -C work mv apps-classic/guestbook apps-classic/frontend/guestbook &&
	git -C work rm -q argocd/guestbook.yaml &&
	gg_argo_app work/argocd/frontend-guestbook.yaml guestbook \
		apps-classic/frontend/guestbook finalizer &&
	gg_commit work "move guestbook under frontend" &&
	accepted_quietly work ../deploy.git
'

test_expect_success 'app-of-apps: renaming and splitting manifest files' '
	git -C work mv apps-classic/frontend/guestbook/config.yaml \
		apps-classic/frontend/guestbook/configmaps.yaml &&
	git -C work mv apps-classic/shop/base/config.yaml \
		apps-classic/shop/base/configmaps.yaml &&
	gg_write work/apps-classic/shop/base/kustomization.yaml <<-\EOF &&
	resources: [deployment.yaml, service.yaml, configmaps.yaml]
	EOF
	gg_commit work "rename config files" &&
	accepted_quietly work ../deploy.git
'

test_expect_success 'kustomize: a Renovate-style image bump in every overlay' '
	for env in staging prod; do
		sed -e "s/newTag: \"1.0.0\"/newTag: \"1.0.1\"/" \
			work/apps-classic/shop/overlays/$env/kustomization.yaml >k &&
		mv k work/apps-classic/shop/overlays/$env/kustomization.yaml ||
		return 1
	done &&
	gg_commit work "fix(deps): update shop to 1.0.1" &&
	accepted_quietly work ../deploy.git
'

test_expect_success 'kustomize: moving base resources into a component every overlay uses' '
	mkdir -p work/apps-classic/shop/components/config &&
	git -C work mv apps-classic/shop/base/configmaps.yaml \
		apps-classic/shop/components/config/ &&
	gg_write work/apps-classic/shop/components/config/kustomization.yaml <<-\EOF &&
	apiVersion: kustomize.config.k8s.io/v1alpha1
	kind: Component
	resources: [configmaps.yaml]
	EOF
	gg_write work/apps-classic/shop/base/kustomization.yaml <<-\EOF &&
	resources: [deployment.yaml, service.yaml]
	EOF
	for env in staging prod; do
		gg_write work/apps-classic/shop/overlays/$env/kustomization.yaml <<-EOF || return 1
		resources: [../../base]
		components: [../../components/config]
		namespace: shop-$env
		images:
		  - name: shop
		    newTag: "1.0.1"
		EOF
	done &&
	gg_commit work "config as a component" &&
	accepted_quietly work ../deploy.git
'

test_expect_success 'deleting manifests in a path that no app deploys' '
	git -C work rm -q -r docs &&
	gg_commit work "drop the examples" &&
	accepted_quietly work ../deploy.git
'

test_expect_success 'ApplicationSet: adding an environment, bumping, renaming files inside one' '
	gg_objects work/apps/guestbook/envs/qa/objects.yaml guestbook- 2 &&
	git -C work mv apps/web/envs/prod/objects.yaml apps/web/envs/prod/web.yaml &&
	gg_object work/apps/web/envs/prod/deployment.yaml Deployment web &&
	gg_commit work "qa for guestbook; web prod tidy" &&
	accepted_quietly work ../deploy.git
'

test_expect_success 'adding a new app and a new Application' '
	gg_argo_app work/argocd/billing.yaml billing apps-classic/billing finalizer &&
	gg_objects work/apps-classic/billing/objects.yaml billing- 3 &&
	gg_commit work "billing" &&
	accepted_quietly work ../deploy.git
'

test_expect_success 'deleting a branch that no app tracks' '
	gg_push_expect_accept work ../deploy.git :feature &&
	test_grep -v gitops-guard push.out &&
	test "$(gg_ref deploy.git feature)" = missing
'

test_expect_success 'setup: flux layout' '
	gg_bare_repo flux/deploy.git &&
	gg_install_hook flux/deploy.git pre-receive &&
	git init -q fwork &&
	gg_flux_layout fwork &&
	gg_commit fwork initial &&
	gg_push_expect_accept fwork ../flux/deploy.git main
'

test_expect_success 'Flux: a Renovate-style chart version bump' '
	sed -e "s/version: \"6.5.0\"/version: \"6.5.1\"/" \
		fwork/apps/base/podinfo/release.yaml >r &&
	mv r fwork/apps/base/podinfo/release.yaml &&
	gg_commit fwork "fix(deps): update podinfo to 6.5.1" &&
	accepted_quietly fwork ../flux/deploy.git
'

test_expect_success 'Flux: moving an app base to a new path and pointing the overlay at it' '
	mkdir -p fwork/apps/base/frontend &&
	git -C fwork mv apps/base/web apps/base/frontend/web &&
	gg_write fwork/apps/prod/kustomization.yaml <<-\EOF &&
	resources:
	  - ../base/podinfo
	  - ../base/frontend/web
	EOF
	gg_commit fwork "web moves under frontend" &&
	accepted_quietly fwork ../flux/deploy.git
'

test_expect_success 'Flux: moving a Kustomization to another file of the cluster directory' '
	git -C fwork mv clusters/prod/apps.yaml clusters/prod/applications.yaml &&
	gg_commit fwork "rename the file" &&
	accepted_quietly fwork ../flux/deploy.git
'

test_expect_success 'Flux: renaming plain manifests of a Kustomization' '
	git -C fwork mv infrastructure/namespaces.yaml infrastructure/ns.yaml &&
	gg_commit fwork "shorter names" &&
	accepted_quietly fwork ../flux/deploy.git
'

test_done
