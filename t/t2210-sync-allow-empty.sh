#!/bin/sh
test_description='sync/allow-empty: allowEmpty: true newly set on an auto-pruning app'
. "$(dirname "$0")/lib.sh"

# the sync and secret family only: the other families judge these pushes too
gg_only_rules 'prune/*' 'sync/*' 'project/*' 'secret/*'

# app <name> <automated lines...>: a scoped Application of this repository
# whose syncPolicy.automated holds the given lines.
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
	  syncPolicy:
	    automated:
	EOF
	for line
	do
		echo "      $line"
	done
}

test_expect_success 'setup: an auto-pruning app in a scoped project' '
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	break_glass: { users: [oncall] }
	rules:
	  sync/auto-enabled: off
	EOF
	git init -q work &&
	gg_write work/argocd/project.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: AppProject
	metadata: {name: team, namespace: argocd}
	spec:
	  sourceRepos: ["https://git.example.com/org/deploy.git"]
	  destinations: [{server: "https://kubernetes.default.svc", namespace: "web"}]
	EOF
	app web "prune: true" >work/argocd/web.yaml &&
	app api "selfHeal: true" >work/argocd/api.yaml &&
	gg_write work/apps/web/cm.yaml <<-\EOF &&
	apiVersion: v1
	kind: ConfigMap
	metadata: {name: web}
	EOF
	gg_commit work initial &&
	gg_system_policy system.yaml &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects allowEmpty: true on an auto-pruning app' '
	before=$(gg_ref deploy.git main) &&
	app web "prune: true" "allowEmpty: true" >work/argocd/web.yaml &&
	gg_commit work "allow empty" &&
	gg_push_expect_reject sync/allow-empty work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [sync/allow-empty] refs/heads/main argocd/web.yaml:1: Application '"'web'"' sets allowEmpty: true on an auto-pruning app: Argo CD'"'"'s guard against an empty render is off, so a commit that leaves the path rendering nothing (files moved, resources emptied, an include that matches nothing) prunes every live resource of the app
	  hint: remove automated.allowEmpty (it defaults to false); to empty an app on purpose, do it in a change of its own
	  hint: only break-glass overrides this: git push -o '"'gitops.break-glass=<reason>'"' (break_glass.users only)
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain sync/allow-empty'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before"
'

test_expect_success 'confirming does not waive a blocking finding' '
	test_must_fail git -C work push -o gitops.confirm=sync/allow-empty \
		../deploy.git main 2>out &&
	test_grep "error: \[sync/allow-empty\]" out
'

test_expect_success 'break-glass lets it through' '
	GL_USERNAME=oncall gg_push_expect_accept work \
		-o "gitops.break-glass=restore from backup" ../deploy.git main &&
	test_grep "(break-glass by oncall)" push.out &&
	test "$(gg_ref deploy.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'allowEmpty already set before the push: an edit is accepted with no finding' '
	app web "prune: true" "allowEmpty: true" "selfHeal: false" \
		>work/argocd/web.yaml &&
	gg_commit work "edit" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'allowEmpty on an app that does not prune is accepted' '
	app api "selfHeal: true" "allowEmpty: true" >work/argocd/api.yaml &&
	gg_commit work "api allow empty" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects prune switched on where allowEmpty was already set' '
	app api "selfHeal: true" "allowEmpty: true" "prune: true" \
		>work/argocd/api.yaml &&
	gg_commit work "api prune" &&
	gg_push_expect_reject sync/allow-empty work ../deploy.git main &&
	test_grep "Application '"'api'"' sets allowEmpty: true on an auto-pruning app" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'allowEmpty with automated sync disabled is accepted' '
	app off "enabled: false" "prune: true" "allowEmpty: true" \
		>work/argocd/off.yaml &&
	gg_commit work "off" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects allowEmpty in an ApplicationSet template that prunes' '
	gg_write work/argocd/set.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: ApplicationSet
	metadata: {name: set, namespace: argocd}
	spec:
	  generators:
	  - list:
	      elements: [{name: web}]
	  template:
	    metadata: {name: "set-{{name}}"}
	    spec:
	      project: team
	      source:
	        repoURL: https://git.example.com/org/deploy.git
	        path: "apps/{{name}}"
	      destination: {server: "https://kubernetes.default.svc", namespace: web}
	      syncPolicy:
	        automated: {prune: true, allowEmpty: true}
	EOF
	gg_commit work "set" &&
	gg_push_expect_reject sync/allow-empty work ../deploy.git main &&
	test_grep "ApplicationSet '"'set'"' (new) sets allowEmpty: true on the auto-pruning apps it generates" push.out &&
	git -C work reset -q --hard HEAD^
'

test_done
