#!/bin/sh
test_description='promotion/direct-edit: protected environments change only through merges, platform merge flows and promoters'
. "$(dirname "$0")/lib.sh"

# the promotion family only: the other families judge these pushes too
gg_only_rules 'promotion/*' 'freeze/*'

# deploy <dir> <replicas>: an environment's Deployment
deploy() {
	gg_write "work/envs/$1/deploy.yaml" <<-EOF
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: web
	spec:
	  replicas: $2
	EOF
}

test_expect_success 'setup: folder per environment, prod protected by default' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	promoters: [kargo-bot]
	EOF
	git init -q work &&
	deploy dev 1 && deploy staging 2 && deploy prod 3 &&
	gg_commit work initial
'
gg_system_policy system.yaml

test_expect_success 'the first push into an empty repository is not judged' '
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a commit that edits prod directly is rejected' '
	before=$(gg_ref server.git main) &&
	deploy prod 4 &&
	gg_commit work "prod: 4 replicas" &&
	gg_push_expect_reject promotion/direct-edit work ../server.git main &&
	gg_remote_lines push.out >actual &&
	id=$(git -C work rev-parse --short=7 HEAD) &&
	cat >expect <<-EOF &&
	gitops-guard: error: [promotion/direct-edit] refs/heads/main envs/prod/deploy.yaml: commit $id changes protected environment '"'prod'"' directly (1 file): no merge commit, no platform merge, and the platform names no pusher to match promoters
	  hint: merge the change through a pull or merge request, or let a promoter identity push it (policy '"'promoters'"')
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain promotion/direct-edit'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'the same change arriving as a merge commit is accepted' '
	git -C work branch -f feature HEAD &&
	git -C work reset -q --hard HEAD~1 &&
	git -C work merge -q --no-ff -m "Merge branch feature" feature &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'a non-protected environment may be edited directly' '
	deploy staging 5 &&
	gg_commit work "staging: 5 replicas" &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a promoter identity (REMOTE_USER) may push a prod edit' '
	deploy prod 6 &&
	gg_commit work "promote web to prod" &&
	REMOTE_USER=kargo-bot gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'commits already on the branch are not judged again' '
	deploy dev 7 &&
	gg_commit work "dev: 7 replicas" &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'another identity is named and rejected' '
	before=$(gg_ref server.git main) &&
	deploy prod 8 &&
	gg_commit work "prod: 8" &&
	GL_USER=alice GL_REPO=deploy gg_push_expect_reject promotion/direct-edit work ../server.git main &&
	gg_remote_lines push.out >actual &&
	test_grep "(1 file): no merge commit, no platform merge, and pusher '"'alice'"' is not a promoter$" actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'a promoter identity from gitolite (GL_USER) passes' '
	GL_USER=kargo-bot GL_REPO=deploy gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'several direct commits are one finding per environment' '
	before=$(gg_ref server.git main) &&
	deploy prod 9 && gg_commit work "prod: 9" &&
	gg_write work/envs/prod/svc.yaml <<-\EOF &&
	apiVersion: v1
	kind: Service
	metadata:
	  name: web
	EOF
	gg_commit work "prod: service" &&
	a=$(git -C work rev-parse --short=7 HEAD) &&
	b=$(git -C work rev-parse --short=7 HEAD~1) &&
	gg_push_expect_reject promotion/direct-edit work ../server.git main &&
	gg_remote_lines push.out >actual &&
	test_grep "^gitops-guard: error: \[promotion/direct-edit\] refs/heads/main envs/prod/deploy.yaml: 2 commits ($a, $b) change protected environment '"'prod'"' directly (2 files): " actual &&
	test "$(grep -c "^gitops-guard: error:" actual)" = 1 &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'GitHub Enterprise: a pull request merge is accepted' '
	GITHUB_USER_LOGIN=alice GITHUB_REPO_NAME=platform/deploy \
	GITHUB_VIA="pull request merge button" \
	GITHUB_PULL_REQUEST_HEAD=alice:feature GITHUB_PULL_REQUEST_BASE=platform:main \
		gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'GitHub Enterprise: a web edit (GITHUB_VIA=blob#save) is rejected' '
	before=$(gg_ref server.git main) &&
	deploy prod 10 && gg_commit work "Update deploy.yaml" &&
	GITHUB_USER_LOGIN=alice GITHUB_REPO_NAME=platform/deploy GITHUB_VIA="blob#save" \
		gg_push_expect_reject promotion/direct-edit work ../server.git main &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'Gitea: a pull request merge is accepted' '
	GITEA_REPO_NAME=deploy GITEA_PUSHER_NAME=alice GITEA_PR_ID=7 \
	GITEA_PUSH_TRIGGER=pr-merge-to-base \
		gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'Bitbucket: a pull request merge is accepted' '
	deploy prod 11 && gg_commit work "prod: 11" &&
	BB_USER_NAME=alice BB_HOOK_TRIGGER_ID=pull-request-merge \
		gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'Bitbucket: a plain push is judged' '
	before=$(gg_ref server.git main) &&
	deploy prod 12 && gg_commit work "prod: 12" &&
	BB_USER_NAME=alice BB_HOOK_TRIGGER_ID=push \
		gg_push_expect_reject promotion/direct-edit work ../server.git main &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'GitLab: a web commit without a merge request is rejected, in GL-HOOK-ERR lines' '
	GL_ID=user-1 GL_USERNAME=alice GL_REPOSITORY=project-1 GL_PROTOCOL=web \
		gg_push_expect_reject promotion/direct-edit work ../server.git main &&
	gg_remote_lines push.out >actual &&
	id=$(git -C work rev-parse --short=7 HEAD) &&
	cat >expect <<-EOF &&
	GL-HOOK-ERR: gitops-guard: error: [promotion/direct-edit] refs/heads/main envs/prod/deploy.yaml: commit $id changes protected environment '"'prod'"' directly (1 file): no merge commit, a GitLab web commit naming no merge request, and pusher '"'alice'"' is not a promoter
	GL-HOOK-ERR:   hint: merge the change through a pull or merge request, or let a promoter identity push it (policy '"'promoters'"')
	GL-HOOK-ERR: gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain promotion/direct-edit'"')
	EOF
	test_cmp expect actual
'

test_expect_success 'GitLab: the merge request line outside the web flow is not trusted' '
	git -C work commit -q --amend -m "prod: 12

See merge request platform/deploy!12" &&
	GL_ID=user-1 GL_USERNAME=alice GL_REPOSITORY=project-1 GL_PROTOCOL=ssh \
		gg_push_expect_reject promotion/direct-edit work ../server.git main
'

test_expect_success 'GitLab: a merge request merged by the web flow (squash with the merge request line) is accepted' '
	GL_ID=user-1 GL_USERNAME=alice GL_REPOSITORY=project-1 GL_PROTOCOL=web \
		gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	test_grep -v "GL-HOOK-ERR" push.out
'

test_expect_success 'a new guarded branch is judged from where it leaves the default branch' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	branches: ["release/*"]
	EOF
	git -C work checkout -q -b release/1 &&
	gg_push_expect_accept work ../server.git release/1 &&
	deploy prod 13 && gg_commit work "prod: 13 on release" &&
	git -C work checkout -q -b release/2 &&
	gg_push_expect_reject promotion/direct-edit work ../server.git release/2 &&
	test_grep "\] refs/heads/release/2 envs/prod/deploy.yaml: commit $(git -C work rev-parse --short=7 HEAD) changes" push.out &&
	test "$(gg_ref server.git release/2)" = missing &&
	git -C work checkout -q main
'

test_expect_success 'with -o gitops.verbose the pusher sees why a push passed' '
	GITEA_REPO_NAME=deploy GITEA_PUSHER_NAME=alice GITEA_PR_ID=8 \
	GITEA_PUSH_TRIGGER=pr-merge-to-base \
		gg_push_expect_accept work -o gitops.verbose ../server.git release/2 &&
	test_grep "note: refs/heads/release/2 promotion/direct-edit: arrived through Gitea pull request merge" push.out
'

# --- merge commits ---------------------------------------------------------

# config <k1> <k6>: a prod file whose first and last lines merge apart
config() {
	gg_write work/envs/prod/config.yaml <<-EOF
	k1: $1
	k2: 2
	k3: 3
	k4: 4
	k5: 5
	k6: $2
	EOF
}

# merge_edit <branch> <command...>: merge <branch> into main without
# committing, run the command, then commit the merge
merge_edit() {
	b=$1 &&
	shift &&
	git -C work merge -q --no-ff --no-commit "$b" >/dev/null 2>&1
	"$@" &&
	gg_commit work "Merge branch $b"
}

test_expect_success 'setup: a prod file on main, landed by a platform merge' '
	git -C work checkout -q main &&
	config a a &&
	gg_commit work "prod: config" &&
	GITEA_REPO_NAME=deploy GITEA_PUSHER_NAME=alice GITEA_PUSH_TRIGGER=pr-merge-to-base \
		gg_push_expect_accept work ../server.git main
'

test_expect_success 'a merge commit that edits prod itself (an evil merge) is rejected' '
	before=$(gg_ref server.git main) &&
	git -C work checkout -q -b unrelated &&
	echo z >work/z && gg_commit work "z" &&
	git -C work checkout -q main &&
	merge_edit unrelated deploy prod 30 &&
	id=$(git -C work rev-parse --short=7 HEAD) &&
	gg_push_expect_reject promotion/direct-edit work ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-EOF &&
	gitops-guard: error: [promotion/direct-edit] refs/heads/main envs/prod/deploy.yaml: merge commit $id changes protected environment '"'prod'"' itself (1 file): content that merging its parents does not give, no platform merge, and the platform names no pusher to match promoters
	  hint: make the change in a commit of the merged branch (resolve conflicts by taking one side), merge through a pull or merge request, or let a promoter identity push it (policy '"'promoters'"')
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain promotion/direct-edit'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'an evil merge passes through the platform merge flow' '
	GITEA_REPO_NAME=deploy GITEA_PUSHER_NAME=alice GITEA_PUSH_TRIGGER=pr-merge-to-base \
		gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'an evil merge that deletes a prod file is rejected' '
	before=$(gg_ref server.git main) &&
	git -C work checkout -q unrelated &&
	echo zz >work/z && gg_commit work "zz" &&
	git -C work checkout -q main &&
	merge_edit unrelated git -C work rm -q envs/prod/deploy.yaml &&
	gg_push_expect_reject promotion/direct-edit work ../server.git main &&
	test_grep "\] refs/heads/main envs/prod/deploy.yaml: merge commit $(git -C work rev-parse --short=7 HEAD) changes protected environment" push.out &&
	test "$(gg_ref server.git main)" = "$before" &&
	git -C work reset -q --hard HEAD~1
'

test_expect_success 'merges of branches that edit one prod file in different places are accepted' '
	git -C work checkout -q -b first main &&
	config b a && gg_commit work "prod: k1 b" &&
	git -C work checkout -q -b last main &&
	config a b && gg_commit work "prod: k6 b" &&
	git -C work checkout -q main &&
	git -C work merge -q --no-ff -m "Merge branch first" first &&
	git -C work merge -q --no-ff -m "Merge branch last" last &&
	grep -q "^k1: b" work/envs/prod/config.yaml &&
	grep -q "^k6: b" work/envs/prod/config.yaml &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'a conflict resolved by taking one side wholesale is accepted' '
	git -C work checkout -q -b left main &&
	config left b && gg_commit work "prod: k1 left" &&
	git -C work checkout -q -b right main &&
	config right b && gg_commit work "prod: k1 right" &&
	git -C work checkout -q main &&
	git -C work merge -q --no-ff -m "Merge branch left" left &&
	merge_edit right git -C work checkout -q --theirs envs/prod/config.yaml &&
	test "$(git -C work rev-parse HEAD:envs/prod/config.yaml)" = "$(git -C work rev-parse right:envs/prod/config.yaml)" &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a conflict resolved with content of neither side is rejected' '
	before=$(gg_ref server.git main) &&
	git -C work checkout -q -b left2 main &&
	config left2 b && gg_commit work "prod: k1 left2" &&
	git -C work checkout -q -b right2 main &&
	config right2 b && gg_commit work "prod: k1 right2" &&
	git -C work checkout -q main &&
	git -C work merge -q --no-ff -m "Merge branch left2" left2 &&
	merge_edit right2 config both b &&
	gg_push_expect_reject promotion/direct-edit work ../server.git main &&
	test_grep "\] refs/heads/main envs/prod/config.yaml: merge commit $(git -C work rev-parse --short=7 HEAD) changes protected environment '"'prod'"' itself (1 file)" push.out &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'GitLab: a web merge commit naming its merge request is trusted' '
	git -C work commit -q --amend -m "Merge branch right2 into main

See merge request platform/deploy!13" &&
	GL_ID=user-1 GL_USERNAME=alice GL_REPOSITORY=project-1 GL_PROTOCOL=web \
		gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'an octopus merge of branches that edit one prod file in different places is accepted' '
	git -C work checkout -q -b o1 main &&
	config o1 b && gg_commit work "prod: k1 o1" &&
	git -C work checkout -q -b o2 main &&
	config both o2 && gg_commit work "prod: k6 o2" &&
	git -C work checkout -q main &&
	git -C work merge -q --no-ff -m "Merge branches o1 and o2" o1 o2 &&
	test "$(git -C work rev-list --parents -1 HEAD | wc -w)" = 4 &&
	grep -q "^k1: o1" work/envs/prod/config.yaml &&
	grep -q "^k6: o2" work/envs/prod/config.yaml &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a merge that carries a change into a prod file the other side renamed is accepted' '
	git -C work checkout -q -b moved main &&
	git -C work mv envs/prod/config.yaml envs/prod/settings.yaml &&
	gg_commit work "prod: config.yaml is settings.yaml" &&
	git -C work checkout -q -b changed main &&
	config changed o2 && gg_commit work "prod: k1 changed" &&
	git -C work checkout -q main &&
	git -C work merge -q --no-ff -m "Merge branch changed" changed &&
	git -C work merge -q --no-ff -m "Merge branch moved" moved &&
	grep -q "^k1: changed" work/envs/prod/settings.yaml &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

# key <k> <value>: set line "<k>: <value>" of the nine-line prod file
key() {
	sed -i "s/^$1: .*/$1: $2/" work/envs/prod/lines.yaml
}

# platform_push: land main as the platform's merge flow does
platform_push() {
	GITEA_REPO_NAME=deploy GITEA_PUSHER_NAME=alice GITEA_PUSH_TRIGGER=pr-merge-to-base \
		gg_push_expect_accept work ../server.git main
}

test_expect_success 'setup: a nine-line prod file, landed by a platform merge' '
	git -C work checkout -q main &&
	for k in k1 k2 k3 k4 k5 k6 k7 k8 k9
	do
		echo "$k: 0" || return 1
	done >work/envs/prod/lines.yaml &&
	gg_commit work "prod: lines" &&
	platform_push
'

test_expect_success 'git merge -X theirs over a conflict, with edits of both sides elsewhere, is accepted' '
	git -C work checkout -q -b xl main &&
	key k1 left && key k9 left && gg_commit work "prod: k1 k9 left" &&
	git -C work checkout -q -b xr main &&
	key k1 right && key k5 right && gg_commit work "prod: k1 k5 right" &&
	git -C work checkout -q main &&
	git -C work merge -q --no-ff -m "Merge branch xl" xl &&
	git -C work merge -q --no-ff -X theirs -m "Merge branch xr" xr &&
	grep -q "^k1: right" work/envs/prod/lines.yaml &&
	grep -q "^k5: right" work/envs/prod/lines.yaml &&
	grep -q "^k9: left" work/envs/prod/lines.yaml &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'git merge -X ours over a conflict, with edits of both sides elsewhere, is accepted' '
	git -C work checkout -q -b yl main &&
	key k1 ours && key k9 ours && gg_commit work "prod: k1 k9 ours" &&
	git -C work checkout -q -b yr main &&
	key k1 theirs && key k5 theirs && gg_commit work "prod: k1 k5 theirs" &&
	git -C work checkout -q main &&
	git -C work merge -q --no-ff -m "Merge branch yl" yl &&
	platform_push &&
	git -C work merge -q --no-ff -X ours -m "Merge branch yr" yr &&
	grep -q "^k1: ours" work/envs/prod/lines.yaml &&
	grep -q "^k5: theirs" work/envs/prod/lines.yaml &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a clean criss-cross merge is accepted whichever merge base gives it' '
	base=$(git -C work rev-parse main) &&
	git -C work checkout -q -b ca $base &&
	key k1 ca && gg_commit work "prod: k1 ca" &&
	git -C work checkout -q -b cb $base &&
	key k9 cb && gg_commit work "prod: k9 cb" &&
	git -C work checkout -q -b cx ca &&
	git -C work merge -q --no-ff -m "Merge branch cb into cx" cb &&
	git -C work show $base:envs/prod/lines.yaml >work/envs/prod/lines.yaml &&
	key k9 cb && gg_commit work "prod: k1 back" &&
	git -C work checkout -q -b cy cb &&
	git -C work merge -q --no-ff -m "Merge branch ca into cy" ca &&
	key k5 cy && gg_commit work "prod: k5 cy" &&
	git -C work checkout -q main &&
	git -C work merge -q --no-ff -m "Merge branch cx" cx &&
	platform_push &&
	test "$(git -C work merge-base --all main cy | wc -l)" = 2 &&
	git -C work merge -q --no-ff -m "Merge branch cy" cy &&
	grep -q "^k5: cy" work/envs/prod/lines.yaml &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a clean criss-cross merge that only git'"'"'s virtual base gives is accepted' '
	base=$(git -C work rev-parse main) &&
	git -C work checkout -q -b va $base &&
	key k2 va && gg_commit work "prod: k2 va" &&
	git -C work checkout -q -b vb $base &&
	key k8 vb && gg_commit work "prod: k8 vb" &&
	git -C work checkout -q -b vx va &&
	git -C work merge -q --no-ff -m "Merge branch vb into vx" vb &&
	git -C work show $base:envs/prod/lines.yaml >work/envs/prod/lines.yaml &&
	key k8 vb && gg_commit work "prod: k2 back" &&
	git -C work checkout -q -b vy vb &&
	git -C work merge -q --no-ff -m "Merge branch va into vy" va &&
	git -C work show $base:envs/prod/lines.yaml >work/envs/prod/lines.yaml &&
	key k2 va && gg_commit work "prod: k8 back" &&
	git -C work checkout -q main &&
	git -C work merge -q --no-ff -m "Merge branch vx" vx &&
	platform_push &&
	git -C work merge -q --no-ff -m "Merge branch vy" vy &&
	test "$(git -C work rev-parse HEAD:envs/prod/lines.yaml)" = "$(git -C work rev-parse $base:envs/prod/lines.yaml)" &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a clean octopus merge of three branches editing one prod file is accepted' '
	for k in k1 k5 k9
	do
		git -C work checkout -q -b oct$k main &&
		key $k oct && gg_commit work "prod: $k oct" || return 1
	done &&
	git -C work checkout -q main &&
	git -C work merge -q --no-ff -m "Merge branches" octk1 octk5 octk9 &&
	test "$(grep -c ": oct$" work/envs/prod/lines.yaml)" = 3 &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a merge that takes a stale side, reverting the other side, is rejected' '
	git -C work checkout -q -b stale main &&
	echo stale >work/stale && gg_commit work "stale" &&
	git -C work checkout -q main &&
	key k2 new && gg_commit work "prod: k2 new" &&
	platform_push &&
	before=$(gg_ref server.git main) &&
	merge_edit stale git -C work checkout -q stale -- envs/prod/lines.yaml &&
	grep -q "^k2: 0" work/envs/prod/lines.yaml &&
	gg_push_expect_reject promotion/direct-edit work ../server.git main &&
	test_grep "\] refs/heads/main envs/prod/lines.yaml: merge commit $(git -C work rev-parse --short=7 HEAD) changes protected environment '"'prod'"' itself (1 file): content that merging its parents does not give" push.out &&
	test "$(gg_ref server.git main)" = "$before" &&
	git -C work reset -q --hard $before
'

test_expect_success 'a merge with an ancestor as second parent that takes its version is rejected' '
	before=$(gg_ref server.git main) &&
	old=$(git -C work rev-parse main~1) &&
	git -C work checkout -q $old -- envs/prod/lines.yaml &&
	c=$(git -C work commit-tree $(git -C work write-tree) -p main -p $old -m "Merge $old") &&
	git -C work reset -q --hard $c &&
	gg_push_expect_reject promotion/direct-edit work ../server.git main &&
	test "$(gg_ref server.git main)" = "$before" &&
	git -C work reset -q --hard $before
'

test_expect_success 'a merge of a file over limits.max_blob_bytes is not judged, and says so' '
	gg_write small.yaml <<-\EOF &&
	version: 1
	limits: { max_blob_bytes: 1024 }
	EOF
	printf "# %01100d\n" 0 >>work/envs/prod/lines.yaml &&
	gg_commit work "prod: over 1024 bytes" &&
	platform_push &&
	git -C work checkout -q -b big1 main &&
	key k1 big && gg_commit work "prod: k1 big" &&
	git -C work checkout -q -b big9 main &&
	key k9 big && gg_commit work "prod: k9 big" &&
	git -C work checkout -q main &&
	git -C work merge -q --no-ff -m "Merge branch big1" big1 &&
	gg_system_policy small.yaml &&
	platform_push &&
	git -C work merge -q --no-ff -m "Merge branch big9" big9 &&
	before=$(gg_ref server.git main) &&
	gg_push_expect_reject promotion/direct-edit work ../server.git main &&
	gg_system_policy system.yaml &&
	test_grep "merge commit $(git -C work rev-parse --short=7 HEAD) changes protected environment '"'prod'"' (1 file): the merge could not be judged (a version of a file is larger than limits.max_blob_bytes, so the parents'"'"' versions were not merged)" push.out &&
	test "$(gg_ref server.git main)" = "$before" &&
	gg_push_expect_accept work ../server.git main
'

test_expect_success 'an octopus of more than 16 parents is not judged past them, and says so' '
	for n in $(seq 1 17)
	do
		git -C work checkout -q -b many$n main &&
		echo "n: $n" >work/envs/prod/many$n.yaml &&
		gg_commit work "prod: many$n" || return 1
	done &&
	git -C work checkout -q main &&
	git -C work merge -q --no-ff -m "Merge many" $(seq -f "many%g" 1 17) &&
	before=$(gg_ref server.git main) &&
	gg_push_expect_reject promotion/direct-edit work ../server.git main &&
	test_grep "merge commit $(git -C work rev-parse --short=7 HEAD) changes protected environment '"'prod'"' (2 files): the merge could not be judged (more than 16 parents, only the first 16 were merged)" push.out &&
	test "$(gg_ref server.git main)" = "$before" &&
	git -C work reset -q --hard $before
'

# --- more new commits than limits.max_commits --------------------------

# readme <n>: n commits that change README only
readme() {
	i=0 &&
	while test $i -lt $1
	do
		echo "line $i" >>work/README &&
		gg_commit work "readme $i" || return 1
		i=$((i + 1))
	done
}

test_expect_success 'setup: a server that reads at most 2 new commits' '
	gg_write limited.yaml <<-\EOF &&
	version: 1
	limits: { max_commits: 2 }
	EOF
	gg_system_policy limited.yaml &&
	gg_bare_repo limited.git &&
	gg_install_hook limited.git pre-receive &&
	gg_push_expect_accept work ../limited.git main
'

test_expect_success 'a direct prod edit under more commits than the limit is rejected, not passed unread' '
	before=$(gg_ref limited.git main) &&
	deploy prod 20 && gg_commit work "prod: 20" &&
	edit=$(git -C work rev-parse --short=7 HEAD) &&
	readme 3 &&
	below=$(git -C work rev-parse --short=7 HEAD~2) &&
	gg_push_expect_reject promotion/direct-edit work ../limited.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-EOF &&
	gitops-guard: error: [promotion/direct-edit] refs/heads/main envs/prod/deploy.yaml: the push has more than 2 new commits; those older than the newest 2 (up to commit $below) change protected environment '"'prod'"' (1 file) and were not read, so no merge can be established for them
	  hint: push the history in parts of at most limits.max_commits new commits (git push <remote> <commit>:<ref>), merge it through a pull or merge request, or let a promoter identity push it
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain promotion/direct-edit'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref limited.git main)" = "$before"
'

test_expect_success 'pushed in parts within the limit, the edit is found in its own commit' '
	edit=$(git -C work rev-parse --short=7 HEAD~3) &&
	gg_push_expect_reject promotion/direct-edit work ../limited.git HEAD~2:refs/heads/main &&
	test_grep "\] refs/heads/main envs/prod/deploy.yaml: commit $edit changes protected environment '"'prod'"' directly (1 file)" push.out
'

test_expect_success 'a promoter passes the whole push before any commit is read' '
	cat >>limited.yaml <<-\EOF &&
	promoters: [kargo-bot]
	EOF
	REMOTE_USER=kargo-bot gg_push_expect_accept work ../limited.git main &&
	test "$(gg_ref limited.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'past the limit, a merged prod change is accepted when the unread commits leave prod alone' '
	readme 3 &&
	git -C work checkout -q -b change &&
	deploy prod 21 && gg_commit work "prod: 21" &&
	git -C work checkout -q main &&
	git -C work merge -q --no-ff -m "Merge branch change" change &&
	gg_push_expect_accept work -o gitops.verbose ../limited.git main &&
	test_grep "note: refs/heads/main promotion/direct-edit: more than 2 new commits; only those were read, the net change below them is judged as a whole" push.out &&
	test_grep -v "error:" push.out &&
	test "$(gg_ref limited.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'past the limit, a merged prod change under newer commits cannot be told from an edit' '
	before=$(gg_ref limited.git main) &&
	git -C work checkout -q -b change2 &&
	deploy prod 22 && gg_commit work "prod: 22" &&
	git -C work checkout -q main &&
	git -C work merge -q --no-ff -m "Merge branch change2" change2 &&
	readme 2 &&
	gg_push_expect_reject promotion/direct-edit work ../limited.git main &&
	test_grep "the push has more than 2 new commits; those older than the newest 2 (up to commit $(git -C work rev-parse --short=7 HEAD~2)) change protected environment '"'prod'"' (1 file)" push.out &&
	test "$(gg_ref limited.git main)" = "$before"
'

# --- the deadline ----------------------------------------------------------

test_expect_success 'the deadline is checked between merge commits, not only after them' '
	gg_write slow.yaml <<-\EOF &&
	version: 1
	limits: { deadline_ms: 300 }
	EOF
	gg_system_policy system.yaml &&
	gg_bare_repo slow.git &&
	gg_install_hook slow.git pre-receive &&
	git -C work checkout -q main &&
	awk "BEGIN { for (i = 0; i < 100000; i++) print \"k\" i \": \" i }" >work/envs/prod/big.yaml &&
	gg_commit work "prod: big" &&
	gg_push_expect_accept work ../slow.git main &&
	for n in $(seq 1 30)
	do
		git -C work checkout -q -b slowa$n main &&
		sed -i "$((n * 3000 + 1))s/: .*/: a/" work/envs/prod/big.yaml &&
		gg_commit work "prod: a$n" &&
		git -C work checkout -q -b slowb$n main &&
		sed -i "$((n * 3000 + 1500))s/: .*/: b/" work/envs/prod/big.yaml &&
		gg_commit work "prod: b$n" &&
		git -C work checkout -q main &&
		git -C work merge -q --no-ff -m "Merge branch slowa$n" slowa$n &&
		git -C work merge -q --no-ff -m "Merge branch slowb$n" slowb$n || return 1
	done &&
	before=$(gg_ref slow.git main) &&
	gg_system_policy slow.yaml &&
	test_must_fail git -C work push ../slow.git main >push.out 2>&1 &&
	gg_system_policy system.yaml &&
	test_grep "the deadline of 300 ms passed before every check ran" push.out &&
	test_grep -v "the deadline passed, push rejected" push.out &&
	test "$(gg_ref slow.git main)" = "$before"
'

test_done
