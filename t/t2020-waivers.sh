#!/bin/sh
test_description='waivers: confirmations by option and trailer, owners, break-glass'
. "$(dirname "$0")/lib.sh"

# gg_push_as <VAR> <identity> <out> <work-dir> <git push arguments...>:
# push with the pusher identity in <VAR> (file:// pushes hand the
# client's environment to the hooks).
gg_push_as() {
	var=$1 who=$2
	shift 2
	(
		eval "$var=\$who" &&
		export "$var" &&
		gg_push "$@"
	)
}

# gg_add_broken <path>...: commit manifests that do not parse.
gg_add_broken() {
	for p
	do
		mkdir -p "work/$(dirname "$p")" &&
		printf "a: [\n" >"work/$p" || return 1
	done &&
	gg_commit work "broken $*"
}

# gg_expect_unchanged: the server's main did not move.
gg_expect_unchanged() {
	test "$(gg_ref server.git main)" = "$before"
}

# gg_expect_pushed: the server's main is the work repository's.
gg_expect_pushed() {
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
}

test_expect_success 'setup: server with the hook, a work repository' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	branches: ["release/*"]
	rules: {yaml/invalid: confirm}
	owners:
	  - paths: ["apps/payments/**"]
	    users: [alice]
	break_glass:
	  users: [oncall]
	  min_reason_length: 12
	EOF
	git init -q work &&
	gg_write work/apps/guestbook/deploy.yaml <<-\EOF &&
	kind: Deployment
	EOF
	gg_commit work initial &&
	gg_push_expect_accept work ../server.git main
'
gg_system_policy system.yaml

test_expect_success 'an unconfirmed finding of severity confirm rejects the push' '
	before=$(gg_ref server.git main) &&
	gg_add_broken apps/guestbook/bad-1.yaml &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	gg_expect_unchanged
'

test_expect_success 'a confirmation of another rule does not count' '
	gg_push_expect_reject yaml/invalid work \
		-o gitops.confirm=policy/changed ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/guestbook/bad-1.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	  hint: confirm with: git push -o gitops.confirm=yaml/invalid:apps/guestbook/bad-1.yaml
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	gg_expect_unchanged
'

test_expect_success 'a confirmation of another path does not count' '
	gg_push_expect_reject yaml/invalid work \
		-o gitops.confirm=yaml/invalid:apps/guestbook/bad-2.yaml \
		../server.git main &&
	gg_expect_unchanged
'

test_expect_success 'a prefix that is not a whole directory does not count' '
	gg_push_expect_reject yaml/invalid work \
		-o gitops.confirm=yaml/invalid:apps/guest ../server.git main &&
	gg_push_expect_reject yaml/invalid work \
		-o gitops.confirm=yaml/invalid:apps/guestbook/bad-1 \
		../server.git main &&
	gg_expect_unchanged
'

test_expect_success 'a glob that matches nothing does not count' '
	gg_push_expect_reject yaml/invalid work \
		-o "gitops.confirm=yaml/invalid:apps/*.yaml" ../server.git main &&
	gg_expect_unchanged
'

test_expect_success 'confirming the exact path accepts the push' '
	gg_push_expect_accept work \
		-o gitops.confirm=yaml/invalid:apps/guestbook/bad-1.yaml \
		../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/guestbook/bad-1.yaml:2: does not parse as YAML: did not find expected node content (confirmed by unknown)
	gitops-guard: push accepted: 0 blocking findings, 0 warnings, 1 waived
	EOF
	test_cmp expect actual &&
	gg_expect_pushed
'

test_expect_success 'confirming the rule alone covers every finding of it' '
	gg_add_broken apps/guestbook/bad-2.yaml apps/other/bad-3.yaml &&
	gg_push_expect_accept work -o gitops.confirm=yaml/invalid \
		../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/guestbook/bad-2.yaml:2: does not parse as YAML: did not find expected node content (confirmed by unknown)
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/other/bad-3.yaml:2: does not parse as YAML: did not find expected node content (confirmed by unknown)
	gitops-guard: push accepted: 0 blocking findings, 0 warnings, 2 waived
	EOF
	test_cmp expect actual &&
	gg_expect_pushed
'

test_expect_success 'confirming a directory covers the files below it only' '
	before=$(gg_ref server.git main) &&
	gg_add_broken apps/guestbook/sub/bad-4.yaml apps/other/bad-5.yaml &&
	gg_push_expect_reject yaml/invalid work \
		-o gitops.confirm=yaml/invalid:apps/guestbook ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/guestbook/sub/bad-4.yaml:2: does not parse as YAML: did not find expected node content (confirmed by unknown)
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/other/bad-5.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	  hint: confirm with: git push -o gitops.confirm=yaml/invalid:apps/other/bad-5.yaml
	gitops-guard: push rejected: 1 blocking finding, 0 warnings, 1 waived (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	gg_expect_unchanged
'

test_expect_success 'two directory confirmations (one with a slash) accept the push' '
	gg_push_expect_accept work \
		-o gitops.confirm=yaml/invalid:apps/guestbook \
		-o gitops.confirm=yaml/invalid:apps/other/ ../server.git main &&
	test_grep "push accepted: 0 blocking findings, 0 warnings, 2 waived" push.out &&
	gg_expect_pushed
'

test_expect_success 'confirming a glob covers the paths it matches' '
	before=$(gg_ref server.git main) &&
	gg_add_broken apps/a/bad-6.yaml apps/b/bad-7.yaml apps/b/other.yaml &&
	gg_push_expect_reject yaml/invalid work \
		-o "gitops.confirm=yaml/invalid:apps/b/bad-*.yaml" \
		../server.git main &&
	gg_remote_lines push.out | grep "^gitops-guard: " >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/a/bad-6.yaml:2: does not parse as YAML: did not find expected node content
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/b/bad-7.yaml:2: does not parse as YAML: did not find expected node content (confirmed by unknown)
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/b/other.yaml:2: does not parse as YAML: did not find expected node content
	gitops-guard: push rejected: 2 blocking findings, 0 warnings, 1 waived (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	gg_expect_unchanged
'

test_expect_success 'a glob with a "*" segment covers the paths it matches' '
	test_when_finished "git -C server.git update-ref refs/heads/main $before" &&
	gg_push_expect_accept work \
		-o "gitops.confirm=yaml/invalid:apps/*/*.yaml" \
		../server.git main &&
	test_grep "push accepted: 0 blocking findings, 0 warnings, 3 waived" push.out
'

test_expect_success 'confirming a "**" glob or alternatives accepts the push' '
	gg_push_expect_reject yaml/invalid work \
		-o "gitops.confirm=yaml/invalid:apps/{a,c}/**" \
		../server.git main &&
	test_grep "push rejected: 2 blocking findings, 0 warnings, 1 waived" push.out &&
	gg_expect_unchanged &&
	gg_push_expect_accept work \
		-o "gitops.confirm=yaml/invalid:apps/**/*.yaml" \
		../server.git main &&
	test_grep "push accepted: 0 blocking findings, 0 warnings, 3 waived" push.out &&
	gg_expect_pushed
'

test_expect_success 'a Gitops-Confirm: trailer in a pushed commit confirms' '
	printf "a: [\n" >work/apps/guestbook/bad-8.yaml &&
	git -C work add -A &&
	git -C work commit -q -F - <<-\EOF &&
	Roll out the half-written manifest

	We know it does not parse yet.

	Gitops-Confirm: yaml/invalid:apps/guestbook/bad-8.yaml
	Signed-off-by: A U Thor <author@example.com>
	EOF
	gg_push_expect_accept work ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/guestbook/bad-8.yaml:2: does not parse as YAML: did not find expected node content (confirmed by unknown)
	gitops-guard: push accepted: 0 blocking findings, 0 warnings, 1 waived
	EOF
	test_cmp expect actual &&
	gg_expect_pushed
'

test_expect_success 'a trailer-like line outside the last paragraph does not count' '
	before=$(gg_ref server.git main) &&
	printf "a: [\n" >work/apps/guestbook/bad-9.yaml &&
	git -C work add -A &&
	git -C work commit -q -F - <<-\EOF &&
	Mention the trailer in the body

	Gitops-Confirm: yaml/invalid

	Signed-off-by: A U Thor <author@example.com>
	EOF
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	gg_expect_unchanged
'

test_expect_success 'a subject line that looks like a trailer does not count' '
	git -C work commit -q --allow-empty -m "Gitops-Confirm: yaml/invalid" &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	gg_expect_unchanged &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'a trailer confirms on its own ref only' '
	git -C work checkout -q -b release/1 main &&
	git -C work commit -q --allow-empty -m "release

Gitops-Confirm: yaml/invalid" &&
	git -C work checkout -q main &&
	gg_push_expect_reject yaml/invalid work ../server.git main release/1 &&
	gg_remote_lines push.out | grep "^gitops-guard: " >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/guestbook/bad-9.yaml:2: does not parse as YAML: did not find expected node content
	gitops-guard: warning: [yaml/invalid] refs/heads/release/1 apps/guestbook/bad-9.yaml:2: does not parse as YAML: did not find expected node content (confirmed by unknown)
	gitops-guard: push rejected: 1 blocking finding, 0 warnings, 1 waived (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	gg_expect_unchanged &&
	test "$(gg_ref server.git release/1)" = missing &&
	git -C work reset -q --hard "$before"
'

test_expect_success 'owners: a confirmation by someone else does not count' '
	gg_add_broken apps/payments/bad.yaml &&
	test_expect_code 1 gg_push_as REMOTE_USER bob push.out work \
		-o gitops.confirm=yaml/invalid ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/payments/bad.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push; the confirmation does not count: only an owner (alice) may confirm this, and the pusher is bob
	  hint: confirm with: git push -o gitops.confirm=yaml/invalid:apps/payments/bad.yaml
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	gg_expect_unchanged
'

test_expect_success 'owners: a confirmation without a pusher identity does not count' '
	gg_push_expect_reject yaml/invalid work \
		-o gitops.confirm=yaml/invalid ../server.git main &&
	test_grep "only an owner (alice) may confirm this, and the pusher is unknown" push.out &&
	gg_expect_unchanged
'

test_expect_success 'owners: a trailer pushed by someone else does not count' '
	git -C work commit -q --allow-empty -m "confirm

Gitops-Confirm: yaml/invalid:apps/payments" &&
	test_expect_code 1 gg_push_as GL_USERNAME bob push.out work \
		../server.git main &&
	test_grep "only an owner (alice) may confirm this, and the pusher is bob" push.out &&
	gg_expect_unchanged
'

test_expect_success 'owners: the owner'"'"'s confirmation counts (gitolite GL_USER)' '
	gg_push_as GL_USER alice push.out work \
		-o gitops.confirm=yaml/invalid:apps/payments ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/payments/bad.yaml:2: does not parse as YAML: did not find expected node content (confirmed by alice)
	gitops-guard: push accepted: 0 blocking findings, 0 warnings, 1 waived
	EOF
	test_cmp expect actual &&
	gg_expect_pushed
'

test_expect_success 'owners do not restrict paths they do not own' '
	gg_add_broken apps/guestbook/bad-10.yaml &&
	gg_push_as REMOTE_USER bob push.out work \
		-o gitops.confirm=yaml/invalid ../server.git main &&
	test_grep "(confirmed by bob)" push.out &&
	gg_expect_pushed
'

test_expect_success 'setup: severity block' '
	gg_write system.yaml <<-\EOF
	version: 1
	rules: {yaml/invalid: block}
	break_glass:
	  users: [oncall]
	  min_reason_length: 12
	EOF
'

test_expect_success 'a confirmation does not waive a blocking finding' '
	before=$(gg_ref server.git main) &&
	gg_add_broken apps/guestbook/bad-11.yaml &&
	gg_push_expect_reject yaml/invalid work \
		-o gitops.confirm=yaml/invalid ../server.git main &&
	gg_expect_unchanged
'

test_expect_success 'break-glass by a listed user with a long reason waives everything' '
	gg_push_as REMOTE_USER oncall push.out work \
		-o "gitops.break-glass=INC-42: prod is down, restoring" \
		../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/guestbook/bad-11.yaml:2: does not parse as YAML: did not find expected node content (break-glass by oncall)
	gitops-guard: warning: *** BREAK-GLASS by oncall: every finding is waived and the push is recorded for review ***
	gitops-guard: warning: reason: INC-42: prod is down, restoring
	gitops-guard: push accepted: 0 blocking findings, 0 warnings, 1 waived
	EOF
	test_cmp expect actual &&
	gg_expect_pushed
'

test_expect_success 'break-glass denied: the pusher is not in break_glass.users' '
	before=$(gg_ref server.git main) &&
	gg_add_broken apps/guestbook/bad-12.yaml &&
	test_expect_code 1 gg_push_as REMOTE_USER bob push.out work \
		-o "gitops.break-glass=INC-42: prod is down, restoring" \
		../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/guestbook/bad-12.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	  hint: only break-glass overrides this: git push -o '"'gitops.break-glass=<reason>'"' (break_glass.users only)
	gitops-guard: error: [break-glass/denied] break-glass asked for, but the pusher '"'bob'"' is not in break_glass.users
	  hint: fix the findings, confirm them, or ask someone in break_glass.users
	gitops-guard: push rejected: 2 blocking findings, 0 warnings (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	gg_expect_unchanged
'

test_expect_success 'break-glass denied: the reason is too short' '
	test_expect_code 1 gg_push_as REMOTE_USER oncall push.out work \
		-o "gitops.break-glass=  urgent   " ../server.git main &&
	test_grep "error: \[break-glass/denied\] break-glass asked for, but the pusher '"'oncall'"' gave a reason shorter than break_glass.min_reason_length" push.out &&
	test_grep "error: \[yaml/invalid\]" push.out &&
	gg_expect_unchanged
'

test_expect_success 'break-glass denied: the platform gives no identity' '
	gg_push_expect_reject break-glass/denied work \
		-o "gitops.break-glass=INC-42: prod is down, restoring" \
		../server.git main &&
	gg_remote_lines push.out | grep "break-glass/denied" >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [break-glass/denied] break-glass asked for, but the pusher is unknown (the platform gives no identity)
	EOF
	test_cmp expect actual &&
	gg_expect_unchanged
'

test_expect_success 'break-glass denied rejects even a push with no other finding' '
	git -C work reset -q --hard "$before" &&
	git -C work commit -q --allow-empty -m harmless &&
	test_expect_code 1 gg_push_as REMOTE_USER bob push.out work \
		-o "gitops.break-glass=INC-42: prod is down, restoring" \
		../server.git main &&
	test_grep "push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain break-glass/denied'"')" push.out &&
	gg_expect_unchanged
'

test_expect_success 'a Gitops-Break-Glass: trailer by a listed user waives' '
	printf "a: [\n" >work/apps/guestbook/bad-13.yaml &&
	git -C work add -A &&
	git -C work commit -q -m "hotfix

Gitops-Break-Glass: INC-43 rollback of the broken release" &&
	gg_push_as REMOTE_USER oncall push.out work ../server.git main &&
	test_grep "bad-13.yaml:2: does not parse as YAML: did not find expected node content (break-glass by oncall)" push.out &&
	gg_expect_pushed
'

test_done
