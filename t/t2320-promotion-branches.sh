#!/bin/sh
test_description='promotion/branch-bypass: with a branch per environment, commits reach prod only through staging'
. "$(dirname "$0")/lib.sh"

# the promotion family only: the other families judge these pushes too
gg_only_rules 'promotion/*' 'freeze/*'

SQ="'"

# image <tag>: the app's kustomization on the current branch
image() {
	gg_write work/app/kustomization.yaml <<-EOF
	resources: [deploy.yaml]
	images:
	- name: ghcr.io/acme/web
	  newTag: "$1"
	EOF
}

test_expect_success 'setup: dev, staging and prod branches' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	environments:
	  - { name: dev, branch: dev }
	  - { name: staging, branch: staging }
	  - { name: prod, branch: prod }
	EOF
	git init -q work &&
	gg_write work/app/deploy.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: web
	EOF
	image 1.0 &&
	gg_commit work initial &&
	git -C work branch dev && git -C work branch staging && git -C work branch prod
'
gg_system_policy system.yaml

test_expect_success 'the first push creates every environment branch' '
	gg_push_expect_accept work ../server.git main dev staging prod &&
	test "$(gg_ref server.git prod)" = "$(git -C work rev-parse prod)"
'

test_expect_success 'a change lands on dev' '
	git -C work checkout -q dev &&
	image 1.1 && gg_commit work "web 1.1" &&
	gg_push_expect_accept work ../server.git dev
'

test_expect_success 'a commit put straight on prod is rejected' '
	before=$(gg_ref server.git prod) &&
	git -C work checkout -q prod &&
	gg_write work/app/hotfix.yaml <<-\EOF &&
	apiVersion: v1
	kind: ConfigMap
	metadata:
	  name: hotfix
	EOF
	gg_commit work "hotfix straight on prod" &&
	id=$(git -C work rev-parse --short=7 HEAD) &&
	st=$(git -C server.git rev-parse --short=7 staging) &&
	gg_push_expect_reject promotion/branch-bypass work ../server.git prod &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-EOF &&
	gitops-guard: error: [promotion/direct-edit] refs/heads/prod app/hotfix.yaml: commit $id changes protected environment ${SQ}prod${SQ} directly (1 file): no merge commit, no platform merge, and the platform names no pusher to match promoters
	  hint: merge the change through a pull or merge request, or let a promoter identity push it (policy ${SQ}promoters${SQ})
	gitops-guard: error: [promotion/branch-bypass] refs/heads/prod commit $id is not on the next lower environment${SQ}s branch ${SQ}staging${SQ} (refs/heads/staging at $st)
	  hint: land the change on ${SQ}staging${SQ} first, then fast-forward or merge ${SQ}staging${SQ} into ${SQ}prod${SQ}
	gitops-guard: push rejected: 2 blocking findings, 0 warnings (see ${SQ}gitops-guard explain promotion/direct-edit${SQ})
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git prod)" = "$before" &&
	git -C work reset -q --hard HEAD~1
'

test_expect_success 'a version that skips staging is named too' '
	image 1.1 && gg_commit work "web 1.1 straight to prod" &&
	gg_push_expect_reject promotion/skipped-stage work ../server.git prod &&
	test_grep "\[promotion/skipped-stage\] refs/heads/prod app/kustomization.yaml:4: image ${SQ}ghcr.io/acme/web${SQ} tag ${SQ}1.1${SQ} skips staging: not in staging:app before or after the push (it has ${SQ}1.0${SQ})" push.out &&
	git -C work reset -q --hard HEAD~1
'

test_expect_success 'fast-forward promotion dev -> staging -> prod is accepted' '
	git -C work checkout -q staging && git -C work merge -q --ff-only dev &&
	gg_push_expect_accept work ../server.git staging &&
	git -C work checkout -q prod && git -C work merge -q --ff-only staging &&
	gg_push_expect_accept work ../server.git prod &&
	test "$(gg_ref server.git prod)" = "$(git -C work rev-parse dev)" &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'staging and prod promoted in one push are accepted' '
	git -C work checkout -q dev &&
	image 1.2 && gg_commit work "web 1.2" &&
	gg_push_expect_accept work ../server.git dev &&
	git -C work branch -f staging dev && git -C work branch -f prod dev &&
	gg_push_expect_accept work ../server.git staging prod &&
	test "$(gg_ref server.git prod)" = "$(git -C work rev-parse dev)"
'

test_expect_success 'a merge of staging into prod is a promotion' '
	git -C work checkout -q dev &&
	image 1.3 && gg_commit work "web 1.3" &&
	git -C work branch -f staging dev &&
	gg_push_expect_accept work ../server.git dev staging &&
	git -C work checkout -q prod &&
	git -C work merge -q --no-ff -m "promote staging" staging &&
	gg_push_expect_accept work ../server.git prod &&
	test "$(gg_ref server.git prod)" = "$(git -C work rev-parse prod)"
'

test_expect_success 'a hotfix merged into prod still bypasses staging' '
	before=$(gg_ref server.git prod) &&
	git -C work checkout -q -b hotfix prod &&
	gg_write work/app/hotfix.yaml <<-\EOF &&
	apiVersion: v1
	kind: ConfigMap
	metadata:
	  name: hotfix
	EOF
	gg_commit work "hotfix" &&
	id=$(git -C work rev-parse --short=7 HEAD) &&
	git -C work checkout -q prod &&
	git -C work merge -q --no-ff -m "Merge hotfix" hotfix &&
	gg_push_expect_reject promotion/branch-bypass work ../server.git prod &&
	gg_remote_lines push.out >actual &&
	test_grep -v "promotion/direct-edit" actual &&
	test_grep "^gitops-guard: error: \[promotion/branch-bypass\] refs/heads/prod commit $id is not on" actual &&
	test "$(gg_ref server.git prod)" = "$before"
'

test_expect_success 'the lowest environment branch takes any commit' '
	git -C work checkout -q dev &&
	gg_write work/app/extra.yaml <<-\EOF &&
	apiVersion: v1
	kind: ConfigMap
	metadata:
	  name: extra
	EOF
	gg_commit work "extra" &&
	gg_push_expect_accept work ../server.git dev
'

# --- more new commits than limits.max_commits --------------------------

test_expect_success 'setup: the same branches on a server that reads at most 2 new commits' '
	gg_write limited.yaml <<-\EOF &&
	version: 1
	environments:
	  - { name: dev, branch: dev }
	  - { name: staging, branch: staging }
	  - { name: prod, branch: prod }
	limits: { max_commits: 2 }
	rules:
	  promotion/direct-edit: off
	  promotion/skipped-stage: off
	EOF
	gg_system_policy limited.yaml &&
	gg_bare_repo limited.git &&
	gg_install_hook limited.git pre-receive &&
	git -C work checkout -q prod &&
	git -C work reset -q --hard "$(gg_ref server.git prod)" &&
	gg_push_expect_accept work ../limited.git main dev staging prod
'

test_expect_success 'a hotfix under more merges of staging than the limit is not passed unread' '
	before=$(gg_ref limited.git prod) &&
	gg_write work/app/hotfix2.yaml <<-\EOF &&
	apiVersion: v1
	kind: ConfigMap
	metadata:
	  name: hotfix2
	EOF
	gg_commit work "hotfix straight on prod" &&
	for i in 1 2 3
	do
		git -C work checkout -q dev &&
		echo "# $i" >>work/app/deploy.yaml &&
		gg_commit work "dev $i" &&
		git -C work branch -f staging dev &&
		git -C work checkout -q prod &&
		git -C work merge -q --no-ff -m "promote staging $i" staging ||
		return 1
	done &&
	gg_push_expect_accept work ../limited.git dev staging &&
	st=$(git -C limited.git rev-parse --short=7 staging) &&
	gg_push_expect_reject promotion/branch-bypass work ../limited.git prod &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-EOF &&
	gitops-guard: error: [promotion/branch-bypass] refs/heads/prod more than 2 new commits are not on the next lower environment${SQ}s branch ${SQ}staging${SQ} (refs/heads/staging at $st); the newest 2 are merges, the older ones were not read and cannot be shown to have passed it
	  hint: land the change on ${SQ}staging${SQ} first, then fast-forward or merge ${SQ}staging${SQ} into ${SQ}prod${SQ}; or push fewer new commits at a time (limits.max_commits)
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see ${SQ}gitops-guard explain promotion/branch-bypass${SQ})
	EOF
	test_cmp expect actual &&
	test "$(gg_ref limited.git prod)" = "$before"
'

test_expect_success 'within the limit the same hotfix is named' '
	hotfix=$(git -C work rev-parse --short=7 prod~3) &&
	gg_push_expect_reject promotion/branch-bypass work ../limited.git prod~2:refs/heads/prod &&
	test_grep "\] refs/heads/prod commit $hotfix is not on the next lower environment" push.out
'

test_done
