#!/bin/sh
test_description='tags that apps deploy through a semver range: guarded, inspected, protected'
. "$(dirname "$0")/lib.sh"
. "$GG_TEST_DIR/lib-gitops.sh"
. "$GG_TEST_DIR/lib-apps.sh"

gg_only_rules 'ref/*'

# A commit on branch <branch> (from main) whose apps/prod holds a file
# that does not parse.
broken_commit() {
	git -C work checkout -q -b "$1" main &&
	printf "a: [1, 2\n" >work/apps/prod/broken.yaml &&
	gg_commit work "broken on $1" &&
	git -C work checkout -q main
}

test_expect_success 'setup: Argo CD and Flux apps on version ranges' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules:
	  yaml/invalid: block
	EOF
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	git init -q work &&
	gg_argo_app work/argocd/ranged.yaml ranged apps/prod \
		"rev='"'>=1.0.0 <2.0.0'"'" &&
	gg_argo_app work/argocd/web.yaml web apps/prod "rev=^3" &&
	sed -i "s|^    targetRevision: .*|&\n    tagPrefix: web/|" \
		work/argocd/web.yaml &&
	gg_write work/flux/v2.yaml <<-EOF &&
	apiVersion: source.toolkit.fluxcd.io/v1
	kind: GitRepository
	metadata:
	  name: v2
	  namespace: flux-system
	spec:
	  interval: 5m
	  url: $GG_URL
	  ref: {branch: main, semver: "~2.0"}
	---
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata:
	  name: v2-apps
	  namespace: flux-system
	spec:
	  interval: 10m
	  path: ./apps/prod
	  prune: true
	  sourceRef: {kind: GitRepository, name: v2}
	EOF
	gg_objects work/apps/prod/objects.yaml prod- 2 &&
	gg_commit work initial &&
	git -C work tag v1.0.0 &&
	gg_push_expect_accept work ../deploy.git main v1.0.0
'
gg_system_policy system.yaml

test_expect_success 'gitops-guard apps shows the ranges and the tag prefix' '
	gg_apps deploy.git >actual &&
	cat >expect <<-\EOF &&
	ranged	argocd	Application	apps/prod	directory	semver:>=1.0.0 <2.0.0	auto+prune	default	prod	no-cascade
	v2-apps	flux	Flux	apps/prod	directory	semver:~2.0	auto+prune+heal	-	prod	cascade
	web	argocd	Application	apps/prod	directory	semver:^3 tagPrefix:web/	auto+prune	default	prod	no-cascade
	EOF
	test_cmp expect actual &&
	gg_apps_json deploy.git >apps.json &&
	test "$(gg_app_field apps.json web follows)" = semver &&
	test "$(gg_app_field apps.json web tag_prefix)" = web/ &&
	test "$(gg_app_field apps.json web pinned)" = false
'

test_expect_success 'a new tag in an Argo CD range is inspected (and rejected)' '
	broken_commit b1 &&
	git -C work tag v1.1.0 b1 &&
	gg_push_expect_reject yaml/invalid work ../deploy.git v1.1.0 &&
	test_grep "error: \[yaml/invalid\] refs/tags/v1.1.0 apps/prod/broken.yaml:2: does not parse" push.out &&
	test "$(gg_ref deploy.git v1.1.0)" = missing
'

test_expect_success 'the same commit under a tag outside every range is not guarded' '
	git -C work tag release-1.1 b1 &&
	git -C work tag v2.1.0-rc.1 b1 &&
	gg_push_expect_accept work -o gitops.verbose ../deploy.git \
		release-1.1 v2.1.0-rc.1 &&
	test_grep "note: refs/tags/release-1.1: not guarded by the policy; not inspected" push.out &&
	test_grep "note: refs/tags/v2.1.0-rc.1: not guarded by the policy; not inspected" push.out &&
	test "$(gg_ref deploy.git release-1.1)" = "$(git -C work rev-parse b1)"
'

test_expect_success 'a new tag is judged against the highest tag of the range below it' '
	printf "a: [1, 2\n" >work/apps/prod/broken.yaml &&
	gg_commit work "broken on main" &&
	git -C work tag v1.2.0 &&
	gg_push_expect_reject yaml/invalid work ../deploy.git v1.2.0 &&
	git -C work rm -q apps/prod/broken.yaml &&
	gg_objects work/apps/prod/objects.yaml prod- 3 &&
	gg_commit work "fixed" &&
	git -C work tag -f v1.2.0 &&
	gg_push_expect_accept work -o gitops.verbose ../deploy.git v1.2.0 &&
	test_grep "(1 of 1 refs inspected, 1 files," push.out &&
	test "$(gg_ref deploy.git v1.2.0)" = "$(git -C work rev-parse main)"
'

test_expect_success 'moving the highest tag of a range, even forward, is rejected' '
	gg_objects work/apps/prod/objects.yaml prod- 4 &&
	gg_commit work "four" &&
	git -C work tag -f v1.2.0 &&
	gg_push_expect_reject ref/tracked-rewrite work -f ../deploy.git v1.2.0 &&
	test_grep "error: \[ref/tracked-rewrite\] refs/tags/v1.2.0 is moved, and it is the highest tag of the version range of 1 app (ranged); a version tag names one release" push.out &&
	test "$(gg_ref deploy.git v1.2.0)" = "$(git -C work rev-parse main~1)"
'

test_expect_success 'a tag of the range below the highest may be deleted' '
	gg_push_expect_accept work ../deploy.git :v1.0.0 &&
	test_grep -v "\[ref/" push.out &&
	test "$(gg_ref deploy.git v1.0.0)" = missing
'

test_expect_success 'deleting the highest tag of a range is rejected: a rollback' '
	gg_push_expect_reject ref/tracked-rewrite work ../deploy.git :v1.2.0 &&
	test_grep "refs/tags/v1.2.0 is deleted, and it is the revision of 1 app (ranged); it is the highest tag of a version range: the controllers roll back to the highest tag left in the range" push.out &&
	test "$(gg_ref deploy.git v1.2.0)" != missing
'

test_expect_success 'Flux ref.semver: the first tag in the range is judged against the default branch' '
	broken_commit b2 &&
	git -C work tag v2.0.1 b2 &&
	gg_push_expect_reject yaml/invalid work ../deploy.git v2.0.1 &&
	test_grep "error: \[yaml/invalid\] refs/tags/v2.0.1 apps/prod/broken.yaml:2" push.out &&
	git -C work tag v2.1.0 b2 &&
	gg_push_expect_accept work ../deploy.git v2.1.0 &&
	test "$(gg_ref deploy.git v2.0.1)" = missing
'

test_expect_success 'Argo CD tagPrefix: only tags with the prefix are in the range' '
	git -C work tag web/v3.1.0 b2 &&
	gg_push_expect_reject yaml/invalid work ../deploy.git web/v3.1.0 &&
	git -C work tag v3.1.0 b2 &&
	gg_push_expect_accept work ../deploy.git v3.1.0 &&
	test "$(gg_ref deploy.git web/v3.1.0)" = missing
'

test_expect_success 'the update hook guards a tag in a range too' '
	mkdir upd &&
	gg_bare_repo upd/deploy.git &&
	gg_install_hook upd/deploy.git update &&
	git -C work push -q ../upd/deploy.git main v1.2.0 &&
	git -C work tag v1.3.0 b1 &&
	test_must_fail git -C work push ../upd/deploy.git v1.3.0 2>push.out &&
	test_grep "\[yaml/invalid\] refs/tags/v1.3.0" push.out &&
	test "$(gg_ref upd/deploy.git v1.3.0)" = missing
'

test_done
