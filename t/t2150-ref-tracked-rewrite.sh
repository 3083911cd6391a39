#!/bin/sh
test_description='ref/tracked-rewrite: deleting or force-pushing a branch or tag that apps deploy from'
. "$(dirname "$0")/lib.sh"
. "$GG_TEST_DIR/lib-gitops.sh"

# the deletion family only: the other families judge these pushes too
gg_only_rules 'app/*' 'protect/*' 'appset/*' 'ref/*'

test_expect_success 'setup: apps on main, on a release branch, on a tag; a chart branch' '
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	git init -q work &&
	gg_argo_app work/argocd/root.yaml root argocd &&
	gg_argo_app work/argocd/prod.yaml prod apps/prod rev=release &&
	gg_argo_app work/argocd/pinned.yaml pinned apps/prod rev=v1 &&
	gg_write work/flux/charts.yaml <<-EOF &&
	apiVersion: source.toolkit.fluxcd.io/v1
	kind: GitRepository
	metadata:
	  name: charts
	  namespace: flux-system
	spec:
	  interval: 5m
	  url: $GG_URL
	  ref: {branch: charts}
	EOF
	gg_objects work/apps/prod/objects.yaml prod- 2 &&
	gg_commit work initial &&
	git -C work branch release &&
	git -C work branch charts &&
	git -C work branch feature &&
	git -C work tag v1 &&
	gg_push_expect_accept work ../deploy.git main release charts feature v1 &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects deleting a branch that an app tracks (block)' '
	gg_push_expect_reject ref/tracked-rewrite work ../deploy.git :release &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [ref/tracked-rewrite] refs/heads/release is deleted, and it is the revision of 1 app (prod); Argo CD cannot resolve the revision any more and reports a ComparisonError, syncing nothing
	  hint: retarget the apps (targetRevision, GitRepository ref) before deleting the ref, or push it back
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain ref/tracked-rewrite'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git release)" = "$(git -C work rev-parse release)"
'

test_expect_success 'a confirmation does not waive a block' '
	test_must_fail git -C work push \
		-o gitops.confirm=ref/tracked-rewrite:refs/heads/release \
		../deploy.git :release 2>push.out &&
	test_grep "error: \[ref/tracked-rewrite\]" push.out &&
	test "$(gg_ref deploy.git release)" = "$(git -C work rev-parse release)"
'

test_expect_success 'rejects a force-push to a tracked branch and counts the dropped commits' '
	git -C work checkout -q release &&
	gg_objects work/apps/prod/more.yaml more- 1 &&
	gg_commit work one &&
	gg_objects work/apps/prod/more.yaml more- 2 &&
	gg_commit work two &&
	gg_push_expect_accept work ../deploy.git release &&
	git -C work reset -q --hard HEAD~2 &&
	gg_objects work/apps/prod/other.yaml other- 1 &&
	gg_commit work rewritten &&
	before=$(gg_ref deploy.git release) &&
	gg_push_expect_reject ref/tracked-rewrite work -f ../deploy.git release &&
	gg_remote_lines push.out | sed -n 1p >actual &&
	echo "gitops-guard: error: [ref/tracked-rewrite] refs/heads/release is force-pushed, dropping 2 commits, and it is the revision of 1 app (prod); the controllers deploy the new tip, and the dropped commits leave the history that audits and rollbacks read" >expect &&
	test_cmp expect actual &&
	test "$(gg_ref deploy.git release)" = "$before"
'

test_expect_success 'break-glass by an allowed identity lets the force-push through' '
	gg_write policy.yaml <<-\EOF &&
	version: 1
	break_glass: { users: [oncall] }
	EOF
	gg_system_policy policy.yaml &&
	test_when_finished "gg_system_policy no-system-policy.yaml" &&
	(
		REMOTE_USER=oncall && export REMOTE_USER &&
		gg_push_expect_accept work -f \
			-o "gitops.break-glass=revert a bad release, INC-42" \
			../deploy.git release
	) &&
	test_grep "warning: \[ref/tracked-rewrite\] refs/heads/release is force-pushed.* (break-glass by oncall)" push.out &&
	test "$(gg_ref deploy.git release)" = "$(git -C work rev-parse release)"
'

test_expect_success 'lowered to confirm, the rule is confirmed with the ref name' '
	gg_write policy.yaml <<-\EOF &&
	version: 1
	rules:
	  ref/tracked-rewrite: confirm
	EOF
	gg_system_policy policy.yaml &&
	test_when_finished "gg_system_policy no-system-policy.yaml" &&
	gg_push_expect_reject ref/tracked-rewrite work ../deploy.git :release &&
	test_grep "hint: confirm with: git push -o gitops.confirm=ref/tracked-rewrite:refs/heads/release" push.out &&
	gg_push_expect_accept work \
		-o gitops.confirm=ref/tracked-rewrite:refs/heads/release \
		../deploy.git :release &&
	test "$(gg_ref deploy.git release)" = missing
'

test_expect_success 'a fast-forward push to a tracked branch is accepted' '
	git -C work checkout -q main &&
	gg_objects work/apps/prod/objects.yaml prod- 3 &&
	gg_commit work "one more" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects a force-push to the default branch' '
	git -C work reset -q --hard HEAD~1 &&
	gg_objects work/apps/prod/objects.yaml prod- 4 &&
	gg_commit work "another one" &&
	gg_push_expect_reject ref/tracked-rewrite work -f ../deploy.git main &&
	test_grep "refs/heads/main is force-pushed, dropping 1 commit, and it is the revision of 1 app (root)" push.out
'

test_expect_success 'deleting a branch that no app tracks is accepted' '
	gg_push_expect_accept work ../deploy.git :feature &&
	test_grep -v gitops-guard push.out &&
	test "$(gg_ref deploy.git feature)" = missing
'

test_expect_success 'a branch the policy guards but no app tracks may be deleted' '
	gg_push_expect_accept work ../deploy.git main:refs/heads/guarded-1 &&
	gg_write policy.yaml <<-\EOF &&
	version: 1
	branches: ["guarded-*"]
	EOF
	gg_system_policy policy.yaml &&
	test_when_finished "gg_system_policy no-system-policy.yaml" &&
	gg_push_expect_accept work -o gitops.verbose ../deploy.git :guarded-1 &&
	test_grep -v "\[ref/" push.out &&
	test "$(gg_ref deploy.git guarded-1)" = missing
'

test_expect_success 'rejects deleting a branch that only a Flux GitRepository follows' '
	gg_push_expect_reject ref/tracked-rewrite work ../deploy.git :charts &&
	test_grep "refs/heads/charts is deleted, and it is the revision of 1 app (GitRepository charts); Flux'"'"'s GitRepository fails to fetch and keeps serving its last artifact" push.out &&
	test "$(gg_ref deploy.git charts)" = "$(git -C work rev-parse charts)"
'

test_expect_success 'a tag that apps follow: moving it backwards is a rewrite, forwards is not' '
	git -C work tag -f v1 main &&
	gg_push_expect_accept work -f ../deploy.git v1 &&
	test_grep -v gitops-guard push.out &&
	git -C work tag -f v1 main~1 &&
	gg_push_expect_reject ref/tracked-rewrite work -f ../deploy.git v1 &&
	test_grep "refs/tags/v1 is force-pushed, dropping 1 commit, and it is the revision of 1 app (pinned)" push.out
'

test_expect_success 'setup: Flux GitRepositories on a tag and on a full ref name' '
	git -C work fetch -q ../deploy.git main &&
	git -C work reset -q --hard FETCH_HEAD &&
	gg_write work/flux/tags.yaml <<-EOF &&
	apiVersion: source.toolkit.fluxcd.io/v1
	kind: GitRepository
	metadata:
	  name: prod-tag
	  namespace: flux-system
	spec:
	  interval: 5m
	  url: $GG_URL
	  ref: {branch: main, tag: prod}
	---
	apiVersion: source.toolkit.fluxcd.io/v1
	kind: GitRepository
	metadata:
	  name: edge
	  namespace: flux-system
	spec:
	  interval: 5m
	  url: $GG_URL
	  ref: {name: refs/tags/edge}
	---
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata:
	  name: prod-apps
	  namespace: flux-system
	spec:
	  interval: 10m
	  path: ./apps/prod
	  prune: true
	  sourceRef: {kind: GitRepository, name: prod-tag}
	EOF
	gg_commit work "flux on tags" &&
	git -C work tag prod &&
	git -C work tag edge &&
	gg_push_expect_accept work ../deploy.git main prod edge
'

test_expect_success 'Flux ref.tag: moving the tag forward is a promotion' '
	gg_objects work/apps/prod/objects.yaml prod- 5 &&
	gg_commit work promote &&
	gg_push_expect_accept work ../deploy.git main &&
	git -C work tag -f prod main &&
	gg_push_expect_accept work -f ../deploy.git prod &&
	test_grep -v "\[ref/" push.out &&
	test "$(gg_ref deploy.git prod)" = "$(git -C work rev-parse main)"
'

test_expect_success 'Flux ref.tag: moving the tag back is a rewrite' '
	git -C work tag -f prod main~1 &&
	gg_push_expect_reject ref/tracked-rewrite work -f ../deploy.git prod &&
	test_grep "refs/tags/prod is force-pushed, dropping 1 commit, and it is the revision of 2 apps (prod-apps, GitRepository prod-tag)" push.out &&
	test "$(gg_ref deploy.git prod)" = "$(git -C work rev-parse main)"
'

test_expect_success 'Flux ref.tag: deleting the tag is rejected' '
	gg_push_expect_reject ref/tracked-rewrite work ../deploy.git :prod &&
	test_grep "refs/tags/prod is deleted, and it is the revision of 2 apps (prod-apps, GitRepository prod-tag); Flux'"'"'s GitRepository fails to fetch" push.out &&
	test "$(gg_ref deploy.git prod)" = "$(git -C work rev-parse main)"
'

test_expect_success 'Flux ref.name: deleting the ref is rejected' '
	gg_push_expect_reject ref/tracked-rewrite work ../deploy.git :edge &&
	test_grep "refs/tags/edge is deleted, and it is the revision of 1 app (GitRepository edge)" push.out &&
	test "$(gg_ref deploy.git edge)" = "$(git -C work rev-parse edge)"
'

test_expect_success 'a tag that nothing follows may be moved back and deleted' '
	git -C work tag other main &&
	gg_push_expect_accept work ../deploy.git other &&
	git -C work tag -f other main~1 &&
	gg_push_expect_accept work -f ../deploy.git other &&
	test_grep -v "\[ref/" push.out &&
	gg_push_expect_accept work ../deploy.git :other &&
	test "$(gg_ref deploy.git other)" = missing
'

test_expect_success 'setup: flux layout with a staging branch' '
	gg_bare_repo flux/deploy.git &&
	gg_install_hook flux/deploy.git pre-receive &&
	git init -q fwork &&
	gg_flux_layout fwork &&
	gg_write fwork/clusters/staging/sync.yaml <<-EOF &&
	apiVersion: source.toolkit.fluxcd.io/v1
	kind: GitRepository
	metadata:
	  name: staging
	  namespace: flux-system
	spec:
	  interval: 1m
	  url: ssh://git@git.example.com/org/deploy
	  ref: {branch: staging}
	---
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata:
	  name: staging-apps
	  namespace: flux-system
	spec:
	  interval: 10m
	  path: ./apps/prod
	  prune: true
	  sourceRef: {kind: GitRepository, name: staging}
	EOF
	gg_commit fwork initial &&
	git -C fwork branch staging &&
	gg_push_expect_accept fwork ../flux/deploy.git main staging
'

test_expect_success 'Flux: rejects deleting the branch a Kustomization deploys' '
	gg_push_expect_reject ref/tracked-rewrite fwork ../flux/deploy.git :staging &&
	test_grep "refs/heads/staging is deleted, and it is the revision of 2 apps (staging-apps, GitRepository staging); Flux'"'"'s GitRepository fails to fetch and keeps serving its last artifact" push.out
'

test_done
