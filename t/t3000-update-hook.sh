#!/bin/sh
test_description='update hook: one ref per run, trailers for confirmations'
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: server with the update hook, a work repository' '
	gg_bare_repo server.git &&
	gg_install_hook server.git update &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	branches: ["release/*"]
	rules: {yaml/invalid: confirm}
	EOF
	git init -q work &&
	gg_write work/apps/guestbook/deploy.yaml <<-\EOF &&
	kind: Deployment
	EOF
	gg_commit work initial &&
	gg_push_expect_accept work ../server.git main &&
	base=$(git -C work rev-parse main) &&
	echo "replicas: 2" >work/apps/guestbook/values.yaml &&
	gg_commit work good &&
	git -C work checkout -q -b release/1 "$base" &&
	printf "a: [\n" >work/apps/guestbook/broken.yaml &&
	gg_commit work broken &&
	git -C work checkout -q main
'
gg_system_policy system.yaml

test_expect_success 'a non-atomic push of a good and a bad ref updates the good one only' '
	test_must_fail gg_push push.out work ../server.git main release/1 &&
	gg_no_sanitizer_report push.out &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/release/1 apps/guestbook/broken.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	  hint: confirm with the trailer '"'Gitops-Confirm: yaml/invalid:apps/guestbook/broken.yaml'"' in a pushed commit
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain yaml/invalid'"')
	error: hook declined to update refs/heads/release/1
	EOF
	test_cmp expect actual &&
	test_grep "^ ! \[remote rejected\] release/1 -> release/1 (hook declined)" push.out &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	test "$(gg_ref server.git release/1)" = missing
'

test_expect_success 'an --atomic push of a good and a bad ref updates neither' '
	git -C server.git update-ref refs/heads/main "$base" &&
	test_must_fail gg_push push.out work --atomic ../server.git main release/1 &&
	gg_no_sanitizer_report push.out &&
	test_grep "^ ! \[remote rejected\] main -> main (atomic push failure)" push.out &&
	test_grep "^ ! \[remote rejected\] release/1 -> release/1 (hook declined)" push.out &&
	test_grep "error: \[yaml/invalid\] refs/heads/release/1 apps/guestbook/broken.yaml:2" push.out &&
	test "$(gg_ref server.git main)" = "$base" &&
	test "$(gg_ref server.git release/1)" = missing
'

test_expect_success 'push options do not reach the update hook; the hint names the trailer' '
	test_must_fail gg_push push.out work \
		-o gitops.confirm=yaml/invalid ../server.git release/1 &&
	gg_no_sanitizer_report push.out &&
	test_grep "hint: confirm with the trailer '"'Gitops-Confirm: yaml/invalid:apps/guestbook/broken.yaml'"' in a pushed commit" push.out &&
	test_grep -v "git push -o" push.out &&
	test "$(gg_ref server.git release/1)" = missing
'

test_expect_success 'a Gitops-Confirm: trailer confirms' '
	git -C work checkout -q release/1 &&
	git -C work commit -q --allow-empty -m "release the broken file

Gitops-Confirm: yaml/invalid:apps/guestbook/broken.yaml" &&
	git -C work checkout -q main &&
	gg_push_expect_accept work ../server.git release/1 &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/release/1 apps/guestbook/broken.yaml:2: does not parse as YAML: did not find expected node content (confirmed by unknown)
	gitops-guard: push accepted: 0 blocking findings, 0 warnings, 1 waived
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git release/1)" = "$(git -C work rev-parse release/1)"
'

test_expect_success 'a trailer on one ref does not confirm another' '
	git -C work checkout -q -b release/2 "$base" &&
	printf "b: [\n" >work/apps/guestbook/broken2.yaml &&
	gg_commit work broken2 &&
	git -C work checkout -q -b release/3 "$base" &&
	printf "c: [\n" >work/apps/guestbook/broken3.yaml &&
	git -C work add -A &&
	git -C work commit -q -m "broken3

Gitops-Confirm: yaml/invalid" &&
	git -C work checkout -q main &&
	test_must_fail gg_push push.out work ../server.git release/2 release/3 &&
	gg_no_sanitizer_report push.out &&
	test "$(gg_ref server.git release/2)" = missing &&
	test "$(gg_ref server.git release/3)" = "$(git -C work rev-parse release/3)"
'

test_expect_success 'an unguarded ref is not inspected' '
	git -C work branch topic release/2 &&
	gg_push_expect_accept work ../server.git topic &&
	gg_remote_lines push.out >actual &&
	test_cmp /dev/null actual &&
	test "$(gg_ref server.git topic)" = "$(git -C work rev-parse topic)"
'

test_expect_success 'deleting a guarded branch is accepted' '
	gg_push_expect_accept work ../server.git :release/3 &&
	test "$(gg_ref server.git release/3)" = missing
'

test_expect_success 'creating a guarded branch is judged against the default branch' '
	git -C work branch release/4 topic &&
	test_must_fail gg_push push.out work ../server.git release/4 &&
	gg_no_sanitizer_report push.out &&
	test_grep "error: \[yaml/invalid\] refs/heads/release/4 apps/guestbook/broken2.yaml:2" push.out &&
	test "$(gg_ref server.git release/4)" = missing &&
	git -C work branch release/5 main &&
	gg_push_expect_accept work ../server.git release/5 &&
	test "$(gg_ref server.git release/5)" = "$(git -C work rev-parse main)"
'

test_expect_success 'the update hook by hand: a missing ref deleted, bad arguments' '
	(cd server.git && GIT_DIR=. && export GIT_DIR &&
		gitops-guard-update refs/heads/none $ZERO_OID $ZERO_OID) >out 2>&1 &&
	test_cmp /dev/null out &&
	(cd server.git && GIT_DIR=. && export GIT_DIR &&
		test_expect_code 2 gitops-guard-update refs/heads/main) 2>err &&
	test_grep "^usage: gitops-guard-update <ref> <old> <new>$" err &&
	(cd server.git && GIT_DIR=. && export GIT_DIR &&
		test_expect_code 2 gitops-guard-update refs/heads/main x y) 2>err &&
	test_grep "^error: internal error, push rejected: " err
'

test_expect_success 'post-receive notes what the update hook accepted with a warning' '
	gg_install_hook server.git post-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	EOF
	printf "d: [\n" >work/apps/guestbook/broken4.yaml &&
	gg_commit work broken4 &&
	gg_push_expect_accept work ../server.git main &&
	test_grep "warning: \[yaml/invalid\] refs/heads/main apps/guestbook/broken4.yaml:2" push.out &&
	git -C server.git notes --ref gitops-guard show main >note &&
	test_grep "^\[yaml/invalid\] apps/guestbook/broken4.yaml: does not parse" note
'

test_expect_success 'each update is logged on its own line, hook "update"' '
	lines=$(wc -l <server.git/gitops-guard/audit.jsonl) &&
	git -C work commit -q --allow-empty -m two &&
	git -C work branch -f release/5 main &&
	gg_push_expect_accept work ../server.git main release/5 &&
	test $(wc -l <server.git/gitops-guard/audit.jsonl) = $((lines + 2)) &&
	tail -n 2 server.git/gitops-guard/audit.jsonl >last &&
	test $(grep -c "\"hook\":\"update\"" last) = 2 &&
	test $(grep -c "\"refs\":\[{\"ref\":\"refs/heads/main\"" last) = 1 &&
	test $(grep -c "\"refs\":\[{\"ref\":\"refs/heads/release/5\"" last) = 1
'

test_expect_failure 'a non-atomic push cannot weaken the policy for its other refs' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	branches: ["release/*"]
	rules: {yaml/invalid: confirm}
	allow_loosen: [yaml/invalid]
	EOF
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: warn}
	EOF
	git -C work add -A &&
	git -C work commit -q -m "weaken the policy

Gitops-Confirm: policy/changed" &&
	git -C work branch release/6 release/2 &&
	test_must_fail gg_push push.out work ../server.git main release/6 &&
	test "$(gg_ref server.git release/6)" = missing
'

test_done
