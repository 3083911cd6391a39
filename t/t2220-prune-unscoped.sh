#!/bin/sh
test_description='prune/unscoped: auto-prune over a broad scope, judged on the state after the push'
. "$(dirname "$0")/lib.sh"

# the sync and secret family only: the other families judge these pushes too
gg_only_rules 'prune/*' 'sync/*' 'project/*' 'secret/*'

# app <name> <path> <project> <namespace>: an auto-pruning Application of
# this repository ("-" leaves the project or namespace out).
app() {
	cat <<-EOF
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: $1
	  namespace: argocd
	spec:
	EOF
	test "$3" = - || echo "  project: $3"
	cat <<-EOF
	  source:
	    repoURL: https://git.example.com/org/deploy.git
	    path: $2
	  destination:
	    server: https://kubernetes.default.svc
	EOF
	test "$4" = - || echo "    namespace: $4"
	cat <<-EOF
	  syncPolicy:
	    automated:
	      prune: true
	EOF
}

# project <name> <sourceRepo> <namespace>: an AppProject with one of each.
project() {
	cat <<-EOF
	apiVersion: argoproj.io/v1alpha1
	kind: AppProject
	metadata: {name: $1, namespace: argocd}
	spec:
	  sourceRepos: ["$2"]
	  destinations: [{server: "https://kubernetes.default.svc", namespace: "$3"}]
	EOF
}

test_expect_success 'setup: server, policy without the neighbouring rules' '
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	break_glass: { users: [oncall] }
	rules:
	  sync/auto-enabled: off
	  project/unscoped: off
	  promotion/direct-edit: off
	  promotion/skipped-stage: off
	EOF
	gg_system_policy system.yaml &&
	git init -q work &&
	mkdir work/argocd &&
	project team https://git.example.com/org/deploy.git web \
		>work/argocd/project.yaml &&
	gg_write work/apps/web/cm.yaml <<-\EOF &&
	apiVersion: v1
	kind: ConfigMap
	metadata: {name: web}
	EOF
	gg_commit work initial &&
	gg_push_expect_accept work ../deploy.git main
'

test_expect_success 'a scoped app is accepted: explicit project, path below the root, a namespace' '
	app web apps/web team web >work/argocd/web.yaml &&
	gg_commit work "web" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects a new app that prunes the repository root in the default project' '
	before=$(gg_ref deploy.git main) &&
	app root . - - >work/argocd/root.yaml &&
	gg_commit work "root app" &&
	gg_push_expect_reject prune/unscoped work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [prune/unscoped] refs/heads/main argocd/root.yaml:1: Application '"'root'"' auto-prunes a broad scope: its path is the repository root; its project '"'default'"' is unrestricted (the repository defines no AppProject '"'default'"' that restricts it); its destination namespace is empty while its project allows cluster-scoped kinds; one wrong commit makes Argo CD delete live resources across all of it
	  hint: scope it: a source path below the repository root, an AppProject with explicit sourceRepos and destinations, a destination namespace; or turn automated.prune off
	  hint: only break-glass overrides this: git push -o '"'gitops.break-glass=<reason>'"' (break_glass.users only)
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain prune/unscoped'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'rejects the same app as an item of a v1 List, at the line of the item' '
	before=$(gg_ref deploy.git main) &&
	gg_write work/argocd/list.yaml <<-\EOF &&
	apiVersion: v1
	kind: List
	items:
	- apiVersion: argoproj.io/v1alpha1
	  kind: Application
	  metadata: {name: listed, namespace: argocd}
	  spec:
	    project: default
	    source:
	      repoURL: https://git.example.com/org/deploy.git
	      path: "."
	    destination: {server: "https://kubernetes.default.svc"}
	    syncPolicy:
	      automated: {prune: true, allowEmpty: true}
	EOF
	gg_commit work "root app in a List" &&
	gg_push_expect_reject prune/unscoped work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [prune/unscoped] refs/heads/main argocd/list.yaml:4: Application '"'listed'"' auto-prunes a broad scope: its path is the repository root; its project '"'default'"' is unrestricted (the repository defines no AppProject '"'default'"' that restricts it); its destination namespace is empty while its project allows cluster-scoped kinds; one wrong commit makes Argo CD delete live resources across all of it
	  hint: scope it: a source path below the repository root, an AppProject with explicit sourceRepos and destinations, a destination namespace; or turn automated.prune off
	  hint: only break-glass overrides this: git push -o '"'gitops.break-glass=<reason>'"' (break_glass.users only)
	gitops-guard: error: [sync/allow-empty] refs/heads/main argocd/list.yaml:4: Application '"'listed'"' (new) sets allowEmpty: true on an auto-pruning app: Argo CD'"'"'s guard against an empty render is off, so a commit that leaves the path rendering nothing (files moved, resources emptied, an include that matches nothing) prunes every live resource of the app
	  hint: remove automated.allowEmpty (it defaults to false); to empty an app on purpose, do it in a change of its own
	  hint: only break-glass overrides this: git push -o '"'gitops.break-glass=<reason>'"' (break_glass.users only)
	gitops-guard: push rejected: 2 blocking findings, 0 warnings (see '"'gitops-guard explain prune/unscoped'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'a List nested in a List (kustomize expands it) counts too' '
	gg_write work/argocd/lists.yaml <<-\EOF &&
	apiVersion: v1
	kind: List
	items:
	- not an object
	- apiVersion: v1
	  kind: List
	  items:
	  - apiVersion: argoproj.io/v1alpha1
	    kind: Application
	    metadata: {name: nested, namespace: argocd}
	    spec:
	      source: {repoURL: "https://git.example.com/org/deploy.git", path: .}
	      destination: {server: "https://kubernetes.default.svc", namespace: web}
	      syncPolicy: {automated: {prune: true}}
	EOF
	gg_commit work "nested List" &&
	gg_push_expect_reject prune/unscoped work ../deploy.git main &&
	test_grep "argocd/lists.yaml:8: Application '"'nested'"' auto-prunes a broad scope: its path is the repository root;" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'rejects the default project alone (path and namespace scoped)' '
	app shop apps/shop default shop >work/argocd/shop.yaml &&
	gg_commit work "shop" &&
	gg_push_expect_reject prune/unscoped work ../deploy.git main &&
	test_grep "Application '"'shop'"' auto-prunes a broad scope: its project '"'default'"' is unrestricted" push.out &&
	test_grep -v "its path is the repository root" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'a project the repository does not define is not judged' '
	app ext apps/ext platform ext >work/argocd/ext.yaml &&
	gg_commit work "ext" &&
	gg_push_expect_accept work -o gitops.verbose ../deploy.git main &&
	test_grep -v "error:" push.out &&
	test_grep "note: .*project '"'platform'"' (app '"'ext'"') is not defined in this repository" push.out
'

test_expect_success 'rejects widening the project of an app that prunes' '
	project team "*" "*" >work/argocd/project.yaml &&
	gg_commit work "widen team" &&
	gg_push_expect_reject prune/unscoped work ../deploy.git main &&
	test_grep "argocd/web.yaml:1: Application '"'web'"' auto-prunes a broad scope: its project '"'team'"' allows any source repository and any destination;" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'prune already on over a broad scope before the push: an edit is accepted with no finding' '
	app root . - - >work/argocd/root.yaml &&
	gg_commit work "root app" &&
	GL_USERNAME=oncall gg_push_expect_accept work \
		-o "gitops.break-glass=bootstrap of the cluster" ../deploy.git main &&
	app root . - - | sed -e "s/  name: root/&\n  labels: {tier: bootstrap}/" \
		>work/argocd/root.yaml &&
	gg_commit work "label root" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'a restricted default AppProject in the repository makes the default project scoped' '
	project default https://git.example.com/org/deploy.git shop \
		>work/argocd/default-project.yaml &&
	gg_commit work "restrict default" &&
	gg_push_expect_accept work ../deploy.git main &&
	app shop apps/shop default shop >work/argocd/shop.yaml &&
	gg_commit work "shop" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'an empty destination namespace is accepted where the project allows no cluster-scoped kind' '
	before=$(gg_ref deploy.git main) &&
	app batch apps/batch team - >work/argocd/batch.yaml &&
	app ext2 apps/ext2 platform - >work/argocd/ext2.yaml &&
	gg_commit work "batch and ext2 without a namespace" &&
	gg_push_expect_accept work -o gitops.verbose ../deploy.git main &&
	test_grep -v "error:" push.out &&
	test_grep "note: .*project '"'platform'"' (app .*) is not defined in this repository" push.out &&
	git -C work reset -q --hard HEAD^ &&
	git -C deploy.git update-ref refs/heads/main "$before"
'

test_expect_success 'rejects an empty destination namespace when the project allows cluster-scoped kinds' '
	cat >>work/argocd/project.yaml <<-\EOF &&
	  clusterResourceWhitelist: [{group: "", kind: Namespace}]
	EOF
	gg_commit work "namespaces for team" &&
	gg_push_expect_accept work ../deploy.git main &&
	app api apps/api team - >work/argocd/api.yaml &&
	gg_commit work "api" &&
	gg_push_expect_reject prune/unscoped work ../deploy.git main &&
	test_grep "Application '"'api'"' auto-prunes a broad scope: its destination namespace is empty while its project allows cluster-scoped kinds;" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'rejects a destination namespace of * when the project allows cluster-scoped kinds' '
	app api apps/api team "\"*\"" >work/argocd/api.yaml &&
	gg_commit work "api everywhere" &&
	gg_push_expect_reject prune/unscoped work ../deploy.git main &&
	test_grep "Application '"'api'"' auto-prunes a broad scope: its destination namespace is '"'\*'"' while its project allows cluster-scoped kinds;" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'an ApplicationSet: generated apps at the root are reported together' '
	gg_write work/argocd/set.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: ApplicationSet
	metadata: {name: set, namespace: argocd}
	spec:
	  generators:
	  - list:
	      elements: [{name: a, path: .}, {name: b, path: .}, {name: c, path: apps/web}]
	  template:
	    metadata: {name: "set-{{name}}"}
	    spec:
	      project: team
	      source:
	        repoURL: https://git.example.com/org/deploy.git
	        path: "{{path}}"
	      destination: {server: "https://kubernetes.default.svc", namespace: web}
	      syncPolicy:
	        automated: {prune: true}
	EOF
	gg_commit work "set" &&
	gg_push_expect_reject prune/unscoped work ../deploy.git main &&
	test_grep "argocd/set.yaml:1: ApplicationSet '"'set'"' generates 2 apps that auto-prune a broad scope ('"'set-a'"', '"'set-b'"'): its path is the repository root;" push.out &&
	test "$(grep -c "\[prune/unscoped\]" push.out)" = 1 &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'an ApplicationSet whose templatePatch may turn prune on counts' '
	gg_write work/argocd/set.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: ApplicationSet
	metadata: {name: set, namespace: argocd}
	spec:
	  goTemplate: true
	  generators:
	  - list:
	      elements: [{name: a, prune: "true"}]
	  templatePatch: |
	    spec:
	      syncPolicy:
	        automated:
	          prune: {{ .prune }}
	  template:
	    metadata: {name: "set-{{.name}}"}
	    spec:
	      project: team
	      source:
	        repoURL: https://git.example.com/org/deploy.git
	        path: .
	      destination: {server: "https://kubernetes.default.svc", namespace: web}
	EOF
	gg_commit work "patched set" &&
	gg_push_expect_reject prune/unscoped work ../deploy.git main &&
	test_grep "ApplicationSet '"'set'"' generates 1 app that auto-prunes a broad scope ('"'set-a'"'): its path is the repository root;" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'Flux: rejects prune at the root without targetNamespace or serviceAccountName' '
	gg_write work/clusters/prod/all.yaml <<-\EOF &&
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata: {name: all, namespace: flux-system}
	spec:
	  interval: 10m
	  path: ./
	  prune: true
	  sourceRef: {kind: GitRepository, name: flux-system}
	EOF
	gg_commit work "flux all" &&
	gg_push_expect_reject prune/unscoped work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [prune/unscoped] refs/heads/main clusters/prod/all.yaml:1: Flux Kustomization '"'all'"' prunes the whole repository with neither targetNamespace nor serviceAccountName: with the controller'"'"'s cluster-wide rights, whatever leaves Git anywhere in the repository is deleted from the cluster
	  hint: set spec.path to a directory below the root, or give it spec.targetNamespace or spec.serviceAccountName (an account with namespace-scoped rights), or set spec.prune: false
	  hint: only break-glass overrides this: git push -o '"'gitops.break-glass=<reason>'"' (break_glass.users only)
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain prune/unscoped'"')
	EOF
	test_cmp expect actual
'

test_expect_success 'Flux: a targetNamespace scopes it' '
	sed -i -e "s|^  path: ./|&\n  targetNamespace: web|" work/clusters/prod/all.yaml &&
	gg_commit work "target namespace" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'Flux: dropping the targetNamespace is rejected' '
	sed -i -e "/targetNamespace: web/d" work/clusters/prod/all.yaml &&
	gg_commit work "no target namespace" &&
	gg_push_expect_reject prune/unscoped work ../deploy.git main &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'Flux: a path below the root, or a service account, scope it' '
	sed -i -e "/targetNamespace: web/d" -e "s|path: ./|path: ./apps/web|" \
		work/clusters/prod/all.yaml &&
	gg_write work/clusters/prod/tenants.yaml <<-\EOF &&
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata: {name: tenants, namespace: flux-system}
	spec:
	  interval: 10m
	  prune: true
	  serviceAccountName: tenant
	  sourceRef: {kind: GitRepository, name: flux-system}
	EOF
	gg_commit work "scoped flux" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'Flux: a suspended Kustomization does not prune' '
	gg_write work/clusters/prod/paused.yaml <<-\EOF &&
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata: {name: paused, namespace: flux-system}
	spec:
	  interval: 10m
	  path: ./
	  prune: true
	  suspend: true
	  sourceRef: {kind: GitRepository, name: flux-system}
	EOF
	gg_commit work "paused" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_done
