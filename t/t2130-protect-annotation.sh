#!/bin/sh
test_description='protect/annotation-removed: Prune=false, Delete=false, prune: disabled, resource-policy keep dropped'
. "$(dirname "$0")/lib.sh"
. "$GG_TEST_DIR/lib-gitops.sh"

# the deletion family only: the other families judge these pushes too
gg_only_rules 'app/*' 'protect/*' 'appset/*' 'ref/*'

keep_work() {
	test_when_finished "git -C $1 reset -q --hard $(git -C "$1" rev-parse HEAD)"
}

undo_push() {
	test_when_finished "git -C $1 update-ref refs/heads/main $(gg_ref "$1" main)"
}

test_expect_success 'setup: an app with protected objects' '
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	git init -q work &&
	gg_argo_app work/argocd/root.yaml root argocd &&
	gg_argo_app work/argocd/data.yaml data apps/data finalizer &&
	gg_argo_app work/argocd/db.yaml db apps/db/overlays/prod &&
	gg_object work/apps/data/pvc.yaml PersistentVolumeClaim data \
		"argocd.argoproj.io/sync-options: Prune=false" &&
	gg_object work/apps/data/namespace.yaml Namespace data \
		"argocd.argoproj.io/sync-options: Delete=false" &&
	gg_object work/apps/data/settings.yaml ConfigMap settings \
		"helm.sh/resource-policy: keep" &&
	gg_object work/apps/data/cache.yaml PersistentVolumeClaim cache \
		"argocd.argoproj.io/sync-options: Prune=false" &&
	gg_object work/apps/data/deployment.yaml Deployment data &&
	gg_object work/apps/db/base/pvc.yaml PersistentVolumeClaim db \
		"argocd.argoproj.io/sync-options: Prune=false" &&
	gg_write work/apps/db/base/kustomization.yaml <<-\EOF &&
	resources: [pvc.yaml]
	EOF
	gg_write work/apps/db/overlays/prod/kustomization.yaml <<-\EOF &&
	resources: [../../base]
	EOF
	gg_commit work initial &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects dropping Prune=false from an object that stays' '
	keep_work work &&
	gg_object work/apps/data/pvc.yaml PersistentVolumeClaim data &&
	gg_commit work "tidy annotations" &&
	before=$(gg_ref deploy.git main) &&
	gg_push_expect_reject protect/annotation-removed work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [protect/annotation-removed] refs/heads/main apps/data/pvc.yaml:1: drops Prune=false from PersistentVolumeClaim '"'data'"', which app '"'data'"' still deploys; Argo CD prunes it as soon as it leaves Git
	  hint: keep the protection for as long as the object must survive leaving Git
	  hint: confirm with: git push -o gitops.confirm=protect/annotation-removed:apps/data/pvc.yaml
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain protect/annotation-removed'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before"
'

test_expect_success 'accepts the same push confirmed for the file' '
	keep_work work &&
	undo_push deploy.git &&
	gg_object work/apps/data/pvc.yaml PersistentVolumeClaim data &&
	gg_commit work "tidy annotations" &&
	gg_push_expect_accept work \
		-o gitops.confirm=protect/annotation-removed:apps/data/pvc.yaml \
		../deploy.git main &&
	test_grep "warning: \[protect/annotation-removed\].*(confirmed by unknown)" push.out &&
	test "$(gg_ref deploy.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'rejects dropping Delete=false and says what deleting the app does' '
	keep_work work &&
	gg_object work/apps/data/namespace.yaml Namespace data &&
	gg_commit work "drop Delete=false" &&
	gg_push_expect_reject protect/annotation-removed work ../deploy.git main &&
	test_grep "drops Delete=false from Namespace '"'data'"', which app '"'data'"' still deploys; deleting the Application now deletes it" push.out
'

test_expect_success 'rejects dropping helm.sh/resource-policy: keep' '
	keep_work work &&
	gg_object work/apps/data/settings.yaml ConfigMap settings &&
	gg_commit work "drop keep" &&
	gg_push_expect_reject protect/annotation-removed work ../deploy.git main &&
	test_grep "drops helm.sh/resource-policy: keep from ConfigMap '"'settings'"'" push.out
'

test_expect_success 'deleting a protected object with its protection is accepted (the live object keeps it)' '
	keep_work work &&
	undo_push deploy.git &&
	git -C work rm -q apps/data/cache.yaml &&
	gg_commit work "no cache" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects a push whose first commit drops the protection and a later one deletes the object' '
	keep_work work &&
	gg_object work/apps/data/cache.yaml PersistentVolumeClaim cache &&
	gg_commit work "unprotect the cache" &&
	dropper=$(git -C work rev-parse --short=12 HEAD) &&
	git -C work rm -q apps/data/cache.yaml &&
	gg_commit work "no cache" &&
	gg_push_expect_reject protect/annotation-removed work ../deploy.git main &&
	test_grep "\[protect/annotation-removed\] refs/heads/main apps/data/cache.yaml: commit $dropper drops Prune=false from PersistentVolumeClaim '"'cache'"' of app '"'data'"', and a later commit deletes it; Argo CD prunes it as soon as it leaves Git if a controller syncs that commit" push.out
'

test_expect_success 'a protection moved into the kustomization is not reported' '
	keep_work work &&
	undo_push deploy.git &&
	gg_object work/apps/db/base/pvc.yaml PersistentVolumeClaim db &&
	gg_write work/apps/db/overlays/prod/kustomization.yaml <<-\EOF &&
	resources: [../../base]
	commonAnnotations:
	  argocd.argoproj.io/sync-options: Prune=false
	EOF
	gg_commit work "protect everything in prod" &&
	gg_push_expect_accept work -o gitops.verbose ../deploy.git main &&
	test_grep -v "\[protect/" push.out &&
	test_grep "loses a protection in its manifest, but a kustomization of app '"'db'"' names it" push.out
'

test_expect_success 'setup: flux layout with a protected namespace' '
	gg_bare_repo flux/deploy.git &&
	gg_install_hook flux/deploy.git pre-receive &&
	git init -q fwork &&
	gg_flux_layout fwork &&
	gg_write fwork/infrastructure/namespaces.yaml <<-\EOF &&
	apiVersion: v1
	kind: Namespace
	metadata:
	  name: team-1
	  labels:
	    kustomize.toolkit.fluxcd.io/prune: disabled
	EOF
	gg_commit fwork initial &&
	gg_push_expect_accept fwork ../flux/deploy.git main
'

test_expect_success 'Flux: rejects dropping the prune: disabled label' '
	keep_work fwork &&
	gg_object fwork/infrastructure/namespaces.yaml Namespace team-1 &&
	gg_commit fwork "unlabel" &&
	gg_push_expect_reject protect/annotation-removed fwork ../flux/deploy.git main &&
	test_grep "drops kustomize.toolkit.fluxcd.io/prune: disabled from Namespace '"'team-1'"', which app '"'infra'"' still deploys; Flux deletes it as soon as it leaves Git or its Kustomization is deleted" push.out
'

test_expect_success 'Flux: Argo CD sync options mean nothing to Flux' '
	keep_work fwork &&
	undo_push flux/deploy.git &&
	gg_object fwork/infrastructure/quota.yaml ResourceQuota q \
		"argocd.argoproj.io/sync-options: Prune=false" &&
	gg_commit fwork "a quota" &&
	gg_push_expect_accept fwork ../flux/deploy.git main &&
	gg_object fwork/infrastructure/quota.yaml ResourceQuota q &&
	gg_commit fwork "no argo annotation" &&
	gg_push_expect_accept fwork ../flux/deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_done
