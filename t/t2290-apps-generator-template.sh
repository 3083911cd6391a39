#!/bin/sh
test_description='app index: a generator template merges over spec.template as the ApplicationSet controller merges them'
. "$(dirname "$0")/lib.sh"

# the sync and secret family only: the other families judge these pushes too
gg_only_rules 'prune/*' 'sync/*' 'project/*' 'secret/*'

test_expect_success 'setup: an ApplicationSet whose generators carry templates' '
	git init -q deploy &&
	gg_write deploy/apps/a/cm.yaml <<-\EOF &&
	apiVersion: v1
	kind: ConfigMap
	metadata: {name: a}
	EOF
	gg_write deploy/apps/b/cm.yaml <<-\EOF &&
	apiVersion: v1
	kind: ConfigMap
	metadata: {name: b}
	EOF
	gg_write deploy/argocd/set.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: ApplicationSet
	metadata:
	  name: set
	spec:
	  generators:
	  - list:
	      elements: [{name: a}]
	      template:
	        metadata: {}
	        spec:
	          syncPolicy:
	            automated: {prune: true}
	  - list:
	      elements: [{name: b}]
	      template:
	        metadata: {}
	        spec:
	          project: team-b
	          source:
	            path: apps/b
	  template:
	    metadata:
	      name: "{{name}}"
	    spec:
	      project: team
	      source:
	        repoURL: https://git.example.com/org/deploy.git
	        path: apps/{{name}}
	      destination:
	        server: https://kubernetes.default.svc
	        namespace: "{{name}}"
	      syncPolicy:
	        automated: {selfHeal: true}
	EOF
	gg_commit deploy initial
'

test_expect_success 'a generator template that sets only syncPolicy still counts' '
	gitops-guard apps --repo deploy >apps.out &&
	grep "^a	" apps.out >a.out &&
	test_grep "	auto+prune+heal	team	" a.out
'

test_expect_success 'a generator template with a source keeps what it leaves out' '
	grep "^b	" apps.out >b.out &&
	test_grep "^b	argocd	ApplicationSet	apps/b	" b.out &&
	test_grep "	auto+heal	team-b	" b.out
'

test_done
