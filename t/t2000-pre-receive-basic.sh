#!/bin/sh
test_description='pre-receive: accept, reject, creates, deletes, several refs, quarantine'
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: server with the hook, a work repository' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	branches: ["release/*"]
	rules:
	  yaml/invalid: block
	EOF
	git init -q work &&
	gg_write work/apps/guestbook/deploy.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: guestbook
	EOF
	gg_commit work initial
'
gg_system_policy system.yaml

test_expect_success 'accepts the first push of valid manifests' '
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects a push that adds a manifest that does not parse' '
	before=$(gg_ref server.git main) &&
	printf "a: [1, 2\n" >work/apps/guestbook/broken.yaml &&
	gg_commit work broken &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/guestbook/broken.yaml:2: does not parse as YAML: did not find expected '"','"' or '"']'"'
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'rejected objects are not installed (they lived in the quarantine)' '
	blob=$(git -C work rev-parse HEAD:apps/guestbook/broken.yaml) &&
	test_must_fail git -C server.git cat-file -e $blob
'

test_expect_success 'accepts the fix' '
	git -C work rm -q apps/guestbook/broken.yaml &&
	gg_commit work fixed &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a new branch that the policy does not guard passes unchecked' '
	git -C work checkout -q -b topic &&
	printf "a: [\n" >work/apps/guestbook/wip.yaml &&
	gg_commit work wip &&
	gg_push_expect_accept work ../server.git topic &&
	test "$(gg_ref server.git topic)" = "$(git -C work rev-parse topic)" &&
	git -C work checkout -q main
'

test_expect_success 'creating a guarded branch is judged against the default branch' '
	git -C work checkout -q -b release/1 topic &&
	gg_push_expect_reject yaml/invalid work ../server.git release/1 &&
	test "$(gg_ref server.git release/1)" = missing &&
	git -C work checkout -q main
'

test_expect_success 'deleting a branch is accepted' '
	gg_push_expect_accept work ../server.git :topic &&
	test "$(gg_ref server.git topic)" = missing
'

test_expect_success 'the delete of a ref that does not exist (both ids zero) passes' '
	echo "$ZERO_OID $ZERO_OID refs/heads/nothing" >in &&
	(cd server.git && GIT_DIR=. gitops-guard-pre-receive <../in) >out 2>&1 &&
	test_grep -v . out
'

test_expect_success 'one bad ref rejects the whole push (pre-receive is all or nothing)' '
	main_before=$(gg_ref server.git main) &&
	git -C work checkout -q main &&
	gg_write work/apps/guestbook/svc.yaml <<-\EOF &&
	apiVersion: v1
	kind: Service
	metadata:
	  name: guestbook
	EOF
	gg_commit work service &&
	gg_push_expect_reject yaml/invalid work ../server.git main release/1 &&
	test "$(gg_ref server.git main)" = "$main_before" &&
	test "$(gg_ref server.git release/1)" = missing
'

test_expect_success 'an --atomic push is rejected as a whole too' '
	gg_push_expect_reject yaml/invalid work --atomic ../server.git main release/1 &&
	test "$(gg_ref server.git main)" = "$main_before"
'

test_expect_success 'tags are not guarded by default' '
	git -C work tag v1 topic &&
	gg_push_expect_accept work ../server.git v1 &&
	test "$(gg_ref server.git v1)" = "$(git -C work rev-parse v1)"
'

test_expect_success 'an annotated tag under a guarded pattern is judged by its commit' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	branches: ["release/*", "refs/tags/prod-*"]
	rules:
	  yaml/invalid: block
	EOF
	git -C work tag -a -m "prod" prod-1 topic &&
	gg_push_expect_reject yaml/invalid work ../server.git prod-1 &&
	test "$(gg_ref server.git prod-1)" = missing
'

test_expect_success 'a repository path with a colon works (quarantine and old objects)' '
	gg_bare_repo "col:on.git" &&
	gg_install_hook "col:on.git" pre-receive &&
	gg_push_expect_accept work "../col:on.git" main &&
	git -C work checkout -q -b release/2 main &&
	printf "a: [\n" >work/apps/guestbook/bad.yaml &&
	gg_commit work bad &&
	gg_push_expect_reject yaml/invalid work "../col:on.git" release/2 &&
	git -C work checkout -q main
'

test_expect_success 'GitLab: the quarantine is found without GIT_QUARANTINE_PATH' '
	gg_bare_repo gitlab.git &&
	cat >gitlab.git/hooks/pre-receive <<-EOF &&
	#!/bin/sh
	unset GIT_QUARANTINE_PATH
	exec "$(gg_hook_program pre-receive)"
	EOF
	chmod +x gitlab.git/hooks/pre-receive &&
	gg_push_expect_accept work ../gitlab.git main &&
	gg_push_expect_reject yaml/invalid work ../gitlab.git release/2
'

test_expect_success 'malformed stdin is an internal error (exit 2) and says so' '
	echo "not a ref update" >in &&
	(cd server.git && GIT_DIR=. test_expect_code 2 gitops-guard-pre-receive <../in) 2>err &&
	test_grep "^error: internal error, push rejected: line 1: object ids must be" err
'

test_expect_success 'a SHA-256 id gets a clear internal error, not a crash' '
	sha256=$(printf "%064d" 1) &&
	echo "$sha256 $sha256 refs/heads/main" >in &&
	(cd server.git && GIT_DIR=. test_expect_code 2 gitops-guard-pre-receive <../in) 2>err &&
	test_grep "SHA-256 object ids are not supported" err
'

test_expect_success 'thousands of refs in one push' '
	git -C work for-each-ref --format="%(objectname)" refs/heads/main >tip &&
	tip=$(cat tip) &&
	i=0 && while test $i -lt 2000; do
		echo "create refs/heads/many/b$i $tip" || return 1
		i=$((i + 1))
	done >cmds &&
	git -C work update-ref --stdin <cmds &&
	gg_push_expect_accept work ../server.git "refs/heads/many/*:refs/heads/many/*" &&
	test "$(git -C server.git for-each-ref refs/heads/many | wc -l)" = 2000
'

test_expect_success 'deleting thousands of refs in one push' '
	sed -e "s/^create \([^ ]*\) .*/delete \1/" cmds >del &&
	gg_push_expect_accept work ../server.git $(sed -n "s/^delete refs\/heads\//:/p" del | head -500) &&
	test "$(git -C server.git for-each-ref refs/heads/many | wc -l)" = 1500
'

test_done
