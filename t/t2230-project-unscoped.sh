#!/bin/sh
test_description='project/unscoped: an AppProject created or widened to wildcards'
. "$(dirname "$0")/lib.sh"

# the sync and secret family only: the other families judge these pushes too
gg_only_rules 'prune/*' 'sync/*' 'project/*' 'secret/*'

test_expect_success 'setup: a scoped project' '
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	git init -q work &&
	gg_write work/argocd/team.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: AppProject
	metadata: {name: team, namespace: argocd}
	spec:
	  description: the team
	  sourceRepos: ["https://git.example.com/org/deploy.git", "!*"]
	  destinations:
	  - {server: "https://kubernetes.default.svc", namespace: team}
	  - {server: "!*", namespace: "!*"}
	  clusterResourceWhitelist: [{group: "", kind: Namespace}]
	EOF
	gg_commit work initial
'

test_expect_success 'a project with explicit repositories and destinations is accepted (deny entries do not count)' '
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'warns about a new project open to everything, and accepts the push' '
	gg_write work/argocd/platform.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: AppProject
	metadata: {name: platform, namespace: argocd}
	spec:
	  sourceRepos: ["*"]
	  destinations: [{server: "*", namespace: "*"}]
	  clusterResourceWhitelist: [{group: "*", kind: "*"}]
	EOF
	gg_commit work "platform" &&
	gg_push_expect_accept work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [project/unscoped] refs/heads/main argocd/platform.yaml:1: AppProject '"'platform'"' (new) allows any source repository ('"'*'"' in sourceRepos), any destination ('"'*'"' in destinations) and every cluster-scoped kind (group '"'*'"', kind '"'*'"'): an Application in it can deploy manifests from any repository, to any cluster or namespace, including Namespaces, CRDs and ClusterRoles, and auto-prune deletes as far
	  hint: list the repositories in spec.sourceRepos and the server and namespace pairs in spec.destinations; allow cluster-scoped kinds one by one in clusterResourceWhitelist
	gitops-guard: push accepted: 0 blocking findings, 1 warning
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a project that was already wide: an edit is accepted with no finding' '
	sed -i -e "s/^spec:/&\n  description: everything/" work/argocd/platform.yaml &&
	gg_commit work "describe platform" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'at severity block, widening a project is rejected and names only what is new' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules:
	  project/unscoped: block
	EOF
	gg_system_policy system.yaml &&
	before=$(gg_ref deploy.git main) &&
	sed -i -e "s|namespace: team}|namespace: \"*\"}|" work/argocd/team.yaml &&
	gg_commit work "team everywhere" &&
	gg_push_expect_reject project/unscoped work ../deploy.git main &&
	test_grep "AppProject '"'team'"' now allows any destination (.\*. in destinations): an Application in it can deploy to any cluster or namespace, and auto-prune deletes as far" push.out &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'a wildcard source repository alone is reported' '
	sed -i -e "s|\"https://git.example.com/org/deploy.git\", \"!\*\"|\"*\"|" \
		work/argocd/team.yaml &&
	gg_commit work "team any repo" &&
	gg_push_expect_reject project/unscoped work ../deploy.git main &&
	test_grep "AppProject '"'team'"' now allows any source repository (.\*. in sourceRepos): an Application in it can deploy manifests from any repository, and" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'moving a wide project to another file is not a widening' '
	git -C work mv argocd/platform.yaml argocd/projects.yaml &&
	gg_commit work "move" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'an AppProject whose API group is spelled with escapes is judged' '
	before=$(gg_ref deploy.git main) &&
	gg_write work/argocd/escaped.json <<-\EOF &&
	{"apiVersion": "argoproj\u002eio/v1alpha1", "kind": "App\u0050roject",
	 "metadata": {"name": "sneaky", "namespace": "argocd"},
	 "spec": {"sourceRepos": ["*"], "destinations": [{"server": "*", "namespace": "*"}]}}
	EOF
	gg_write work/argocd/folded.yaml <<-\EOF &&
	apiVersion: "argo\
	  proj.io/v1alpha1"
	kind: AppProject
	metadata: {name: folded, namespace: argocd}
	spec:
	  sourceRepos: ["*"]
	  destinations: [{server: "*", namespace: "*"}]
	EOF
	printf "apiVersion: \"argoproj\\\\\342\200\250.io/v1alpha1\"\nkind: AppProject\nmetadata: {name: ls, namespace: argocd}\nspec:\n  sourceRepos: [\"*\"]\n  destinations: [{server: \"*\", namespace: \"*\"}]\n" \
		>work/argocd/ls.yaml &&
	gg_commit work "escaped projects" &&
	gg_push_expect_reject project/unscoped work ../deploy.git main &&
	test_grep "argocd/escaped.json:1: AppProject .sneaky. (new) allows any source repository" push.out &&
	test_grep "argocd/folded.yaml:1: AppProject .folded. (new) allows any source repository" push.out &&
	test_grep "argocd/ls.yaml:1: AppProject .ls. (new) allows any source repository" push.out &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_done
