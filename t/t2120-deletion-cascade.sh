#!/bin/sh
test_description='app/cascade-delete: Applications, ApplicationSets, Kustomizations and HelmReleases pruned with a cascade'
. "$(dirname "$0")/lib.sh"
. "$GG_TEST_DIR/lib-gitops.sh"

# the deletion family only: the other families judge these pushes too
gg_only_rules 'app/*' 'protect/*' 'appset/*' 'ref/*'

keep_work() {
	test_when_finished "git -C $1 reset -q --hard $(git -C "$1" rev-parse HEAD)"
}

# undo_push <repo>: after the current test, put the server's main back.
undo_push() {
	test_when_finished "git -C $1 update-ref refs/heads/main $(gg_ref "$1" main)"
}

test_expect_success 'setup: app-of-apps with children of every kind' '
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	git init -q work &&
	gg_argo_app work/argocd/root.yaml root argocd &&
	gg_argo_app work/argocd/guestbook.yaml guestbook apps/guestbook finalizer &&
	gg_argo_app work/argocd/web.yaml web apps/web &&
	gg_argo_app work/argocd/keep.yaml keep apps/keep finalizer prune-false &&
	gg_write work/argocd/clusters.yaml <<-EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: ApplicationSet
	metadata:
	  name: monitoring
	  namespace: argocd
	spec:
	  generators:
	    - list:
	        elements:
	          - cluster: eu
	          - cluster: us
	  template:
	    metadata:
	      name: "monitoring-{{cluster}}"
	    spec:
	      project: default
	      source:
	        repoURL: https://prometheus-community.github.io/helm-charts
	        chart: kube-prometheus-stack
	        targetRevision: 58.0.0
	      destination: {name: "{{cluster}}", namespace: monitoring}
	EOF
	gg_argo_app work/argocd-ops/root.yaml ops-root argocd-ops manual &&
	gg_argo_app work/argocd-ops/ops.yaml ops apps/ops finalizer &&
	gg_argo_app work/bootstrap/other.yaml other apps/other finalizer &&
	for app in guestbook web keep ops other; do
		gg_object work/apps/$app/deployment.yaml Deployment $app &&
		gg_object work/apps/$app/service.yaml Service $app &&
		gg_object work/apps/$app/config.yaml ConfigMap $app || return 1
	done &&
	gg_commit work initial &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects removing an Application whose finalizer cascades' '
	keep_work work &&
	git -C work rm -q argocd/guestbook.yaml &&
	gg_commit work "retire guestbook" &&
	before=$(gg_ref deploy.git main) &&
	gg_push_expect_reject app/cascade-delete work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [app/cascade-delete] refs/heads/main argocd/guestbook.yaml:1: removes Application '"'guestbook'"'; Argo CD app '"'root'"' prunes it, and its resources finalizer deletes every resource it deployed (apps/guestbook: 3 objects)
	  hint: to keep its resources, first remove the resources finalizer from the Application in a push of its own and let it sync
	  hint: confirm with: git push -o gitops.confirm=app/cascade-delete:argocd/guestbook.yaml
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain app/cascade-delete'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before"
'

test_expect_success 'a file the parent cannot read does not hide the cascade' '
	keep_work work &&
	git -C work rm -q argocd/guestbook.yaml &&
	awk "BEGIN { for (i = 0; i <= 10000; i++) print \"---\" }" \
		>work/argocd/more.yaml &&
	gg_commit work "retire guestbook, add 10001 documents" &&
	before=$(gg_ref deploy.git main) &&
	gg_push_expect_reject app/cascade-delete work ../deploy.git main &&
	test_grep "error: \[app/cascade-delete\] refs/heads/main argocd/guestbook.yaml:1: removes Application '"'guestbook'"'; Argo CD app '"'root'"' prunes it" push.out &&
	test "$(gg_ref deploy.git main)" = "$before"
'

test_expect_success 'deleting a whole app with its Application is accepted when confirmed' '
	keep_work work &&
	undo_push deploy.git &&
	git -C work rm -q -r argocd/guestbook.yaml apps/guestbook &&
	gg_commit work "retire guestbook" &&
	gg_push_expect_reject app/cascade-delete work ../deploy.git main &&
	test "$(grep -c "error: \[" push.out)" = 1 &&
	gg_push_expect_accept work \
		-o gitops.confirm=app/cascade-delete:argocd/guestbook.yaml \
		../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [app/cascade-delete] refs/heads/main argocd/guestbook.yaml:1: removes Application '"'guestbook'"'; Argo CD app '"'root'"' prunes it, and its resources finalizer deletes every resource it deployed (apps/guestbook: 3 objects) (confirmed by unknown)
	gitops-guard: push accepted: 0 blocking findings, 0 warnings, 1 waived
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'rejects renaming an Application: a delete and a create' '
	keep_work work &&
	sed -e "s/name: guestbook/name: guestbook-v2/" work/argocd/guestbook.yaml >g.yaml &&
	mv g.yaml work/argocd/guestbook.yaml &&
	gg_commit work "rename guestbook" &&
	gg_push_expect_reject app/cascade-delete work ../deploy.git main &&
	test_grep "removes Application '"'guestbook'"' (renamed to '"'guestbook-v2'"': a delete and a create); Argo CD app '"'root'"' prunes it" push.out
'

test_expect_success 'renaming the file of an Application deletes nothing' '
	keep_work work &&
	undo_push deploy.git &&
	git -C work mv argocd/guestbook.yaml argocd/guestbook-app.yaml &&
	gg_commit work "rename the file" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'moving an app to a new path (same Application, new source path) deletes nothing' '
	keep_work work &&
	undo_push deploy.git &&
	git -C work mv apps/guestbook apps/frontend &&
	sed -e "s|path: apps/guestbook|path: apps/frontend|" work/argocd/guestbook.yaml >g.yaml &&
	mv g.yaml work/argocd/guestbook.yaml &&
	gg_commit work "move guestbook" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'an Application without the resources finalizer may go' '
	keep_work work &&
	undo_push deploy.git &&
	git -C work rm -q -r argocd/web.yaml apps/web &&
	gg_commit work "retire web" &&
	gg_push_expect_accept work -o gitops.verbose ../deploy.git main &&
	test_grep -v "\[app/" push.out &&
	test_grep "note: refs/heads/main Application '"'web'"' leaves app '"'root'"'; its deletion does not cascade" push.out
'

test_expect_success 'an Application marked Prune=false is not pruned by its parent' '
	keep_work work &&
	undo_push deploy.git &&
	git -C work rm -q argocd/keep.yaml &&
	gg_commit work "unmanage keep" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'an Application that no app deploys may be deleted from Git' '
	keep_work work &&
	undo_push deploy.git &&
	git -C work rm -q bootstrap/other.yaml &&
	gg_commit work "drop the bootstrap copy" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects removing an ApplicationSet and names its Applications' '
	keep_work work &&
	git -C work rm -q argocd/clusters.yaml &&
	gg_commit work "no monitoring" &&
	gg_push_expect_reject app/cascade-delete work ../deploy.git main &&
	gg_remote_lines push.out | sed -n "1,2p" >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [app/cascade-delete] refs/heads/main argocd/clusters.yaml:1: removes ApplicationSet '"'monitoring'"'; Argo CD app '"'root'"' prunes it, and deletes its 2 generated Applications (monitoring-eu, monitoring-us) and, through their resources finalizer, every resource they deployed
	  hint: to keep the generated apps'"'"' resources, first set spec.syncPolicy.preserveResourcesOnDeletion: true in a push of its own and let it sync
	EOF
	test_cmp expect actual
'

test_expect_success 'a parent without auto-prune: says the next sync with prune deletes it' '
	keep_work work &&
	git -C work rm -q argocd-ops/ops.yaml &&
	gg_commit work "no ops" &&
	gg_push_expect_reject app/cascade-delete work ../deploy.git main &&
	test_grep "removes Application '"'ops'"'; Argo CD app '"'ops-root'"' does not auto-prune, but its next sync with prune deletes it, and then its resources finalizer deletes every resource it deployed (apps/ops: 3 objects)" push.out
'

test_expect_success 'moving an Application to another parent app is a race, and says so' '
	keep_work work &&
	git -C work mv argocd/guestbook.yaml argocd-ops/guestbook.yaml &&
	gg_commit work "ops owns guestbook" &&
	gg_push_expect_reject app/cascade-delete work ../deploy.git main &&
	test_grep "removes Application '"'guestbook'"' (app '"'ops-root'"' deploys it now, but the first to sync wins); Argo CD app '"'root'"' prunes it" push.out
'

test_expect_success 'setup: flux layout' '
	gg_bare_repo flux/deploy.git &&
	gg_install_hook flux/deploy.git pre-receive &&
	git init -q fwork &&
	gg_flux_layout fwork &&
	gg_commit fwork initial &&
	gg_push_expect_accept fwork ../flux/deploy.git main
'

test_expect_success 'Flux: rejects removing a child Kustomization that prunes' '
	keep_work fwork &&
	git -C fwork rm -q clusters/prod/apps.yaml &&
	gg_commit fwork "no apps" &&
	gg_push_expect_reject app/cascade-delete fwork ../flux/deploy.git main &&
	gg_remote_lines push.out | sed -n "1,2p" >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [app/cascade-delete] refs/heads/main clusters/prod/apps.yaml:1: removes Flux Kustomization '"'apps'"'; Flux Kustomization '"'flux-system'"' prunes it, and its finalizer deletes every object it applied (apps/prod: 6 objects)
	  hint: to keep its objects, first set spec.deletionPolicy: Orphan in a push of its own and let it sync
	EOF
	test_cmp expect actual
'

test_expect_success 'Flux: rejects renaming a Kustomization (flux2#2421)' '
	keep_work fwork &&
	sed -e "s/name: apps$/name: applications/" fwork/clusters/prod/apps.yaml >a.yaml &&
	mv a.yaml fwork/clusters/prod/apps.yaml &&
	gg_commit fwork "rename apps" &&
	gg_push_expect_reject app/cascade-delete fwork ../flux/deploy.git main &&
	test_grep "removes Flux Kustomization '"'apps'"' (renamed to '"'applications'"': a delete and a create)" push.out
'

test_expect_success 'Flux: a Kustomization with deletionPolicy Orphan may go' '
	keep_work fwork &&
	undo_push flux/deploy.git &&
	sed -e "s/  prune: true/  prune: true\n  deletionPolicy: Orphan/" \
		fwork/clusters/prod/apps.yaml >a.yaml &&
	mv a.yaml fwork/clusters/prod/apps.yaml &&
	gg_commit fwork "orphan on delete" &&
	gg_push_expect_accept fwork ../flux/deploy.git main &&
	git -C fwork rm -q clusters/prod/apps.yaml &&
	gg_commit fwork "no apps" &&
	gg_push_expect_accept fwork ../flux/deploy.git main &&
	test_grep -v "\[app/cascade-delete\]" push.out
'

test_expect_success 'Flux: rejects dropping a HelmRelease from a kustomization (helm uninstall)' '
	keep_work fwork &&
	undo_push flux/deploy.git &&
	gg_write fwork/apps/base/podinfo/kustomization.yaml <<-\EOF &&
	resources: [namespace.yaml, repository.yaml]
	EOF
	gg_commit fwork "no podinfo release" &&
	gg_push_expect_reject app/cascade-delete fwork ../flux/deploy.git main &&
	gg_remote_lines push.out | sed -n "1,3p" >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [app/cascade-delete] refs/heads/main apps/base/podinfo/release.yaml:1: removes HelmRelease '"'podinfo'"'; Flux Kustomization '"'apps'"' prunes it, and helm-controller uninstalls release '"'podinfo'"' with every resource of it
	  hint: to keep the release, first mark the HelmRelease kustomize.toolkit.fluxcd.io/prune: disabled (Flux) or Prune=false (Argo CD) in a push of its own and let it sync
	  hint: confirm with: git push -o gitops.confirm=app/cascade-delete:apps/base/podinfo/release.yaml
	EOF
	test_cmp expect actual &&
	gg_push_expect_accept fwork \
		-o gitops.confirm=app/cascade-delete:apps/base/podinfo/release.yaml \
		../flux/deploy.git main
'

test_expect_success 'Flux: a suspended HelmRelease or Kustomization is deleted without its cascade' '
	keep_work fwork &&
	undo_push flux/deploy.git &&
	sed -e "s/^  interval: 10m$/  interval: 10m\n  suspend: true/" \
		fwork/apps/base/podinfo/release.yaml >r.yaml &&
	mv r.yaml fwork/apps/base/podinfo/release.yaml &&
	sed -e "s/^  interval: 10m$/  interval: 10m\n  suspend: true/" \
		fwork/clusters/prod/infra.yaml >i.yaml &&
	mv i.yaml fwork/clusters/prod/infra.yaml &&
	test_grep "suspend: true" fwork/apps/base/podinfo/release.yaml &&
	test_grep "suspend: true" fwork/clusters/prod/infra.yaml &&
	gg_commit fwork "suspend podinfo and infra" &&
	gg_push_expect_accept fwork ../flux/deploy.git main &&
	git -C fwork rm -q apps/base/podinfo/release.yaml clusters/prod/infra.yaml &&
	gg_write fwork/apps/base/podinfo/kustomization.yaml <<-\EOF &&
	resources: [namespace.yaml, repository.yaml]
	EOF
	gg_commit fwork "retire podinfo and infra" &&
	gg_push_expect_accept fwork -o gitops.verbose ../flux/deploy.git main &&
	test_grep -v "\[app/cascade-delete\]" push.out &&
	test_grep "HelmRelease '"'podinfo'"' leaves app '"'apps'"'; its deletion does not cascade" push.out
'

test_expect_success 'Flux: a parent with prune: false never deletes a child' '
	keep_work fwork &&
	sed -e "s/prune: true/prune: false/" \
		fwork/clusters/prod/flux-system/gotk-sync.yaml >s.yaml &&
	mv s.yaml fwork/clusters/prod/flux-system/gotk-sync.yaml &&
	gg_commit fwork "flux-system does not prune" &&
	gg_push_expect_accept fwork ../flux/deploy.git main &&
	git -C fwork rm -q clusters/prod/infra.yaml &&
	gg_commit fwork "no infra" &&
	gg_push_expect_accept fwork ../flux/deploy.git main &&
	test_grep -v "gitops-guard: error" push.out
'

test_done
