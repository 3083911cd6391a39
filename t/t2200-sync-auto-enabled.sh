#!/bin/sh
test_description='sync/auto-enabled: automated sync, prune, selfHeal newly on for Applications, ApplicationSets, Flux'
. "$(dirname "$0")/lib.sh"

# the sync and secret family only: the other families judge these pushes too
gg_only_rules 'prune/*' 'sync/*' 'project/*' 'secret/*'

# app <name> <syncPolicy lines...>: an Application of this repository,
# scoped (project team, a path below the root, a namespace).
app() {
	name=$1
	shift
	cat <<-EOF
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: $name
	  namespace: argocd
	spec:
	  project: team
	  source:
	    repoURL: https://git.example.com/org/deploy.git
	    path: apps/$name
	  destination:
	    server: https://kubernetes.default.svc
	    namespace: $name
	EOF
	for line
	do
		echo "  $line"
	done
}

# listed <app args...>: the same Application as the one item of a v1 List.
listed() {
	printf 'apiVersion: v1\nkind: List\nitems:\n' &&
	app "$@" | sed -e '1s/^/- /' -e '2,$s/^/  /'
}

test_expect_success 'setup: a manual app and a scoped project' '
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	owners:
	  - paths: ["apps/payments/**"]
	    users: [alice]
	rules:
	  # the neighbouring rule families judge these pushes too
	  promotion/direct-edit: off
	  promotion/skipped-stage: off
	EOF
	git init -q work &&
	gg_write work/argocd/project.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: AppProject
	metadata: {name: team, namespace: argocd}
	spec:
	  sourceRepos: ["https://git.example.com/org/deploy.git"]
	  destinations: [{server: "https://kubernetes.default.svc", namespace: guestbook}]
	EOF
	app guestbook >work/argocd/guestbook.yaml &&
	gg_write work/apps/guestbook/cm.yaml <<-\EOF &&
	apiVersion: v1
	kind: ConfigMap
	metadata: {name: guestbook}
	EOF
	gg_commit work initial
'
gg_system_policy system.yaml

test_expect_success 'a manual app is accepted without a finding' '
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'the first push into an empty repository imports automated apps unjudged' '
	mkdir second &&
	gg_bare_repo second/deploy.git &&
	gg_install_hook second/deploy.git pre-receive &&
	git clone -q deploy.git fresh &&
	app web "syncPolicy:" "  automated: {prune: true}" >fresh/argocd/web.yaml &&
	gg_commit fresh "an existing repository with an automated app" &&
	gg_push_expect_accept fresh ../second/deploy.git main &&
	test_grep -v "sync/auto-enabled" push.out &&
	app web2 "syncPolicy:" "  automated: {prune: true}" >fresh/argocd/web2.yaml &&
	gg_commit fresh "a new automated app" &&
	gg_push_expect_reject sync/auto-enabled fresh ../second/deploy.git main
'

test_expect_success 'rejects turning on automated sync and prune of an existing app' '
	before=$(gg_ref deploy.git main) &&
	app guestbook "syncPolicy:" "  automated:" "    prune: true" \
		>work/argocd/guestbook.yaml &&
	gg_commit work "auto-sync guestbook" &&
	gg_push_expect_reject sync/auto-enabled work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [sync/auto-enabled] refs/heads/main argocd/guestbook.yaml:1: Application '"'guestbook'"' turns on automated sync and prune: Argo CD applies every commit without anyone pressing sync and deletes live resources whose manifests leave Git
	  hint: agree it with the app'"'"'s owners, then confirm; to keep syncs manual leave out syncPolicy.automated (or set automated.enabled: false)
	  hint: confirm with: git push -o gitops.confirm=sync/auto-enabled:apps/guestbook
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain sync/auto-enabled'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before"
'

test_expect_success 'accepts it when confirmed for the app path' '
	gg_push_expect_accept work -o gitops.confirm=sync/auto-enabled:apps/guestbook \
		../deploy.git main &&
	test_grep "warning: \[sync/auto-enabled\].*(confirmed by" push.out &&
	test "$(gg_ref deploy.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'prune already on before the push: an edit is accepted with no finding' '
	app guestbook "syncPolicy:" "  automated:" "    prune: true" \
		"  syncOptions: [CreateNamespace=true]" >work/argocd/guestbook.yaml &&
	gg_commit work "sync options" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'moving the app to another file is not a new app' '
	git -C work mv argocd/guestbook.yaml argocd/guestbook-app.yaml &&
	gg_commit work "rename" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects a new automated app inside a List, at the line of its item' '
	before=$(gg_ref deploy.git main) &&
	{
		app cart &&
		echo --- &&
		listed shop "syncPolicy:" "  automated: {prune: true}"
	} >work/argocd/list.yaml &&
	gg_commit work "shop in a List" &&
	gg_push_expect_reject sync/auto-enabled work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [sync/auto-enabled] refs/heads/main argocd/list.yaml:18: Application '"'shop'"' (new) turns on automated sync and prune: Argo CD applies every commit without anyone pressing sync and deletes live resources whose manifests leave Git
	  hint: agree it with the app'"'"'s owners, then confirm; to keep syncs manual leave out syncPolicy.automated (or set automated.enabled: false)
	  hint: confirm with: git push -o gitops.confirm=sync/auto-enabled:apps/shop
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain sync/auto-enabled'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'wrapping an existing app in a List is not a new app' '
	listed guestbook "syncPolicy:" "  automated:" "    prune: true" \
		"  syncOptions: [CreateNamespace=true]" >work/argocd/guestbook-app.yaml &&
	gg_commit work "guestbook in a List" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out &&
	git -C work show HEAD:argocd/guestbook-app.yaml >listed.yaml &&
	test_grep "^kind: List" listed.yaml
'

test_expect_success 'rejects selfHeal added to an auto-pruning app (only what is new is named)' '
	app guestbook "syncPolicy:" "  automated:" "    prune: true" \
		"    selfHeal: true" >work/argocd/guestbook-app.yaml &&
	gg_commit work "self-heal" &&
	gg_push_expect_reject sync/auto-enabled work ../deploy.git main &&
	test_grep "turns on selfHeal: Argo CD reverts every manual change" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'automated with a null value and enabled: false are not auto-sync' '
	app manual1 "syncPolicy:" "  automated:" >work/argocd/manual1.yaml &&
	app manual2 "syncPolicy:" "  automated:" "    enabled: false" \
		"    prune: true" >work/argocd/manual2.yaml &&
	gg_commit work "two manual apps" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects enabled: false turned into true' '
	app manual2 "syncPolicy:" "  automated:" "    enabled: true" \
		"    prune: true" >work/argocd/manual2.yaml &&
	gg_commit work "enable" &&
	gg_push_expect_reject sync/auto-enabled work ../deploy.git main &&
	test_grep "'"'manual2'"' turns on automated sync and prune" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'rejects a new app with automated: {} and says it is new' '
	app shop "syncPolicy:" "  automated: {}" >work/argocd/shop.yaml &&
	gg_commit work "new shop" &&
	gg_push_expect_reject sync/auto-enabled work ../deploy.git main &&
	test_grep "Application '"'shop'"' (new) turns on automated sync: Argo CD applies every commit" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'an app of another repository does not count' '
	app other "syncPolicy:" "  automated: {prune: true}" |
		sed -e "s|org/deploy.git|org/other.git|" >work/argocd/other.yaml &&
	gg_commit work "other repo" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v "sync/auto-enabled" push.out
'

test_expect_success 'only an owner of the app path confirms it' '
	app payments "syncPolicy:" "  automated: {}" >work/argocd/payments.yaml &&
	gg_commit work "payments" &&
	test_must_fail env GL_USERNAME=bob git -C work push \
		-o gitops.confirm=sync/auto-enabled ../deploy.git main >out 2>&1 &&
	test_grep "only an owner (alice) may confirm this" out &&
	GL_USERNAME=alice gg_push_expect_accept work \
		-o gitops.confirm=sync/auto-enabled ../deploy.git main
'

test_expect_success 'Flux: rejects prune false -> true' '
	gg_write work/clusters/prod/apps.yaml <<-\EOF &&
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata: {name: apps, namespace: flux-system}
	spec:
	  interval: 10m
	  path: ./apps/guestbook
	  prune: false
	  sourceRef: {kind: GitRepository, name: flux-system}
	EOF
	gg_commit work "flux apps" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out &&
	sed -i -e "s/prune: false/prune: true/" work/clusters/prod/apps.yaml &&
	gg_commit work "flux prune" &&
	gg_push_expect_reject sync/auto-enabled work ../deploy.git main &&
	test_grep "Flux Kustomization '"'apps'"' turns on prune: Flux deletes every object whose manifest leaves Git" push.out &&
	test_grep "confirm=sync/auto-enabled:apps/guestbook *$" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'Flux: rejects suspend true -> false' '
	sed -i -e "s/^  interval: 10m/  interval: 10m\n  suspend: true/" \
		work/clusters/prod/apps.yaml &&
	gg_commit work "suspend" &&
	gg_push_expect_accept work ../deploy.git main &&
	sed -i -e "/suspend: true/d" work/clusters/prod/apps.yaml &&
	gg_commit work "resume" &&
	gg_push_expect_reject sync/auto-enabled work ../deploy.git main &&
	test_grep "turns on resumed reconciliation (suspend: false): Flux applies every new revision again" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'Flux: a new Kustomization without prune is accepted' '
	gg_write work/clusters/prod/more.yaml <<-\EOF &&
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata: {name: more, namespace: flux-system}
	spec:
	  interval: 10m
	  path: ./apps/more
	  prune: false
	  sourceRef: {kind: GitRepository, name: flux-system}
	EOF
	gg_commit work "more" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'ApplicationSet: automated newly in a generator template' '
	gg_write work/argocd/set.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: ApplicationSet
	metadata: {name: set, namespace: argocd}
	spec:
	  generators:
	  - list:
	      elements: [{name: guestbook}]
	  template:
	    metadata: {name: "set-{{name}}"}
	    spec:
	      project: team
	      source:
	        repoURL: https://git.example.com/org/deploy.git
	        path: "apps/{{name}}"
	      destination: {server: "https://kubernetes.default.svc", namespace: "{{name}}"}
	EOF
	gg_commit work "set" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out &&
	sed -i -e "s/elements: \[{name: guestbook}\]/&\n      template: {metadata: {}, spec: {syncPolicy: {automated: {selfHeal: true}}}}/" \
		work/argocd/set.yaml &&
	gg_commit work "generator template" &&
	gg_push_expect_reject sync/auto-enabled work ../deploy.git main &&
	test_grep "ApplicationSet '"'set'"' turns on automated sync and selfHeal for the apps it generates" push.out &&
	test_grep "confirm=sync/auto-enabled:argocd/set.yaml *$" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'ApplicationSet: a templatePatch that may switch on prune' '
	sed -i -e "s/^  generators:/  goTemplate: true\n  templatePatch: |\n    {{- if .autoSync }}\n    spec:\n      syncPolicy:\n        automated:\n          prune: {{ .prune }}\n    {{- end }}\n&/" \
		work/argocd/set.yaml &&
	gg_commit work "template patch" &&
	gg_push_expect_reject sync/auto-enabled work ../deploy.git main &&
	test_grep "ApplicationSet '"'set'"': its templatePatch may turn on automated sync and prune (its text says so; Go templates are not evaluated) for the apps it generates" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'the rule can be turned off' '
	app shop "syncPolicy:" "  automated: {}" >work/argocd/shop.yaml &&
	gg_commit work "new shop" &&
	cat >>system.yaml <<-\EOF &&
	  sync/auto-enabled: off
	EOF
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v "sync/auto-enabled" push.out
'

test_done
