#!/bin/sh
test_description='repo_urls: the in-repo policy adds URLs, it cannot make the apps of the repository another'"'"'s'
. "$(dirname "$0")/lib.sh"
. "$GG_TEST_DIR/lib-gitops.sh"

# An Application of this repository (found by the URL ending in its
# name) tracks branch release.  If an in-repo repo_urls replaced the name
# rule, the app would no longer be this repository's, release would no
# longer be guarded, and its deletion or rewrite would pass.

gg_write system.yaml <<-\EOF
version: 1
rules: {prune/unscoped: warn, sync/auto-enabled: warn}
EOF
gg_system_policy system.yaml

test_expect_success 'setup: web tracks release' '
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	git init -q work &&
	gg_argo_app work/argocd/web.yaml web apps/web rev=release &&
	gg_objects work/apps/web/cm.yaml cm 8 &&
	gg_commit work initial &&
	gg_push_expect_accept work ../deploy.git main main:release &&
	git -C work branch -q release main
'

test_expect_success 'an in-repo repo_urls naming another repository is confirmed' '
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	repo_urls: ["https://git.example.com/org/elsewhere.git"]
	EOF
	gg_commit work "policy: another URL" &&
	gg_push_expect_accept work -o gitops.confirm=policy/changed \
		../deploy.git main
'

test_expect_success 'policy show says the name still counts' '
	gitops-guard policy show --repo deploy.git >out &&
	test_grep "^this repository: URLs ending in its name, and repo_urls$" out
'

test_expect_success 'release is still guarded: emptying web there is rejected' '
	git -C work checkout -q release &&
	test_when_finished "git -C work checkout -q main" &&
	git -C work rm -q -r apps/web &&
	gg_commit work "empty web" &&
	gg_push_expect_reject app/emptied work ../deploy.git release &&
	git -C work reset -q --hard HEAD~1
'

test_expect_success 'and rewriting release is still a tracked rewrite' '
	release=$(gg_ref deploy.git release) &&
	git -C work checkout -q --orphan orphan &&
	test_when_finished "git -C work checkout -q -f main" &&
	git -C work rm -q -rf . &&
	echo a >work/a &&
	gg_commit work orphan &&
	gg_push_expect_reject ref/tracked-rewrite work -f ../deploy.git \
		orphan:release &&
	test "$(gg_ref deploy.git release)" = "$release"
'

test_expect_success 'with allow_loosen: [repo_urls] the in-repo list replaces the name' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules: {prune/unscoped: warn, sync/auto-enabled: warn}
	allow_loosen: [repo_urls]
	EOF
	gitops-guard policy show --repo deploy.git >out &&
	test_grep "^this repository: repo_urls only$" out
'

test_done
