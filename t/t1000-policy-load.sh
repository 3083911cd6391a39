#!/bin/sh
test_description='policy layers: defaults, system file, repository config, in-repo file'
. "$(dirname "$0")/lib.sh"

# gg_install_recording_hook <repo>: pre-receive runs the built hook and
# leaves its exit status in <repo>.status.
gg_install_recording_hook() {
	cat >"$1/hooks/pre-receive" <<-EOF &&
	#!/bin/sh
	"$(gg_hook_program pre-receive)"
	status=\$?
	echo \$status >"$GG_TRASH/$1.status"
	exit \$status
	EOF
	chmod +x "$1/hooks/pre-receive"
}

# gg_hook_status <repo>: the exit status of the last pre-receive run.
gg_hook_status() {
	cat "$GG_TRASH/$1.status"
}

# gg_broken <path>: commit a manifest that does not parse.
gg_broken() {
	mkdir -p "work/$(dirname "$1")" &&
	printf "a: [\n" >"work/$1" &&
	gg_commit work "broken $1"
}

# gg_push_expect_fail <work-dir> <git push arguments...>: the push fails
# (for any reason: the hook may exit 1 or 2), with no sanitizer report.
gg_push_expect_fail() {
	if gg_push push.out "$@"; then
		echo >&2 "push succeeded, expected it to fail"
		return 1
	fi
	gg_no_sanitizer_report push.out
}

# gg_run_hook <stdin-line>: run pre-receive by hand in server.git.
gg_run_hook() {
	echo "$1" >hook.in &&
	(cd server.git && GIT_DIR=. && export GIT_DIR &&
		"$(gg_hook_program pre-receive)" <../hook.in)
}

test_expect_success 'setup: server with the hook, a work repository' '
	gg_bare_repo server.git &&
	gg_install_recording_hook server.git &&
	git init -q work &&
	gg_write work/apps/guestbook/deploy.yaml <<-\EOF &&
	kind: Deployment
	EOF
	gg_commit work initial &&
	gg_push_expect_accept work ../server.git main
'

test_expect_success 'no policy anywhere: the built-in defaults serve (warn)' '
	test ! -e "$GITOPS_GUARD_SYSTEM_POLICY" &&
	gg_broken apps/guestbook/bad-1.yaml &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_hook_status server.git)" = 0 &&
	test_grep "gitops-guard: warning: \[yaml/invalid\] refs/heads/main apps/guestbook/bad-1.yaml:2" push.out &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a system policy raises a severity' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: block}
	EOF
	gg_system_policy system.yaml &&
	before=$(gg_ref server.git main) &&
	gg_broken apps/guestbook/bad-2.yaml &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	test "$(gg_ref server.git main)" = "$before" &&
	git -C work reset -q --hard "$before"
'

test_expect_success 'an invalid system policy rejects every push (exit 2)' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules:
	  yaml/invalid: blok
	EOF
	before=$(gg_ref server.git main) &&
	git -C work commit -q --allow-empty -m harmless &&
	gg_push_expect_fail work ../server.git main &&
	test "$(gg_hook_status server.git)" = 2 &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-EOF &&
	error: internal error, push rejected: $GG_TRASH/system.yaml:3:17: bad severity '"'blok'"' for '"'yaml/invalid'"' (off, info, warn, confirm or block)
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'a system policy that does not parse rejects every push (exit 2)' '
	printf "version: 1\nrules: {yaml/invalid: block\n" >system.yaml &&
	gg_push_expect_fail work ../server.git main &&
	test "$(gg_hook_status server.git)" = 2 &&
	gg_remote_lines push.out >actual &&
	test_grep "^error: internal error, push rejected: $GG_TRASH/system.yaml:3:1: " actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'an unreadable system policy (a directory) rejects every push' '
	rm system.yaml &&
	mkdir system.yaml &&
	gg_push_expect_fail work ../server.git main &&
	test "$(gg_hook_status server.git)" = 2 &&
	test_grep "^remote: error: internal error, push rejected: .*system.yaml" push.out &&
	rmdir system.yaml &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'the repository config layer (gitops-guard.policy) applies' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	EOF
	gg_write repo-policy.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: confirm}
	EOF
	git -C server.git config gitops-guard.policy "$GG_TRASH/repo-policy.yaml" &&
	gg_broken apps/guestbook/bad-3.yaml &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	test "$(gg_hook_status server.git)" = 1 &&
	test_grep "hint: confirm with: git push -o gitops.confirm=yaml/invalid:apps/guestbook/bad-3.yaml" push.out &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'an invalid repository config policy rejects (exit 2)' '
	printf "version: 1\nrulez: {}\n" >repo-policy.yaml &&
	gg_push_expect_fail work ../server.git main &&
	test "$(gg_hook_status server.git)" = 2 &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-EOF &&
	error: internal error, push rejected: $GG_TRASH/repo-policy.yaml:2:1: unknown key '"'rulez'"' in '"'policy'"'
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'a missing repository config policy rejects (exit 2)' '
	rm repo-policy.yaml &&
	gg_push_expect_fail work ../server.git main &&
	test "$(gg_hook_status server.git)" = 2 &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-EOF &&
	error: internal error, push rejected: cannot open policy '"'$GG_TRASH/repo-policy.yaml'"': No such file or directory
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before" &&
	git -C server.git config --unset gitops-guard.policy &&
	git -C work reset -q --hard "$before"
'

test_expect_success 'a push that adds an in-repo policy is judged by the old one' '
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: block}
	EOF
	gg_broken apps/guestbook/bad-4.yaml &&
	gg_push_expect_accept work -o gitops.confirm=policy/changed \
		../server.git main &&
	test "$(gg_hook_status server.git)" = 0 &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/guestbook/bad-4.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	gitops-guard: warning: [policy/changed] refs/heads/main .gitops-guard.yaml: adds the in-repo policy (confirmed by unknown)
	gitops-guard: push accepted: 0 blocking findings, 1 warning, 1 waived
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'the next push is judged by the in-repo policy' '
	before=$(gg_ref server.git main) &&
	gg_broken apps/guestbook/bad-5.yaml &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	test "$(gg_hook_status server.git)" = 1 &&
	test_grep "gitops-guard: error: \[yaml/invalid\] refs/heads/main apps/guestbook/bad-5.yaml:2" push.out &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'policy show names the in-repo layer' '
	gitops-guard policy show --repo server.git >actual &&
	test_grep "^sources: built-in defaults, $GG_TRASH/system.yaml, main:.gitops-guard.yaml$" actual &&
	test_grep "^rule yaml/invalid                 block$" actual
'

test_expect_success 'a push that removes the in-repo policy is still judged by it' '
	git -C work rm -q .gitops-guard.yaml &&
	gg_commit work "drop the policy" &&
	gg_push_expect_reject yaml/invalid work \
		-o gitops.confirm=policy/changed ../server.git main &&
	test_grep "warning: \[policy/changed\] refs/heads/main .gitops-guard.yaml: removes the in-repo policy; the server-side policy alone will apply (confirmed by unknown)" push.out &&
	test "$(gg_ref server.git main)" = "$before" &&
	git -C work reset -q --hard "$before"
'

test_expect_success 'other guarded branches are judged by the default branch'"'"'s policy' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	branches: ["release/*"]
	EOF
	git -C work checkout -q -b release/1 "$before~1" &&
	test_must_fail git -C work cat-file -e HEAD:.gitops-guard.yaml &&
	gg_broken apps/guestbook/bad-6.yaml &&
	gg_push_expect_reject yaml/invalid work ../server.git release/1 &&
	test "$(gg_ref server.git release/1)" = missing &&
	git -C work checkout -q main
'

test_expect_success 'an in-repo policy on another branch does not apply' '
	git -C work checkout -q -b release/2 "$before" &&
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: warn}
	EOF
	gg_commit work "weaker policy on a branch" &&
	gg_broken apps/guestbook/bad-7.yaml &&
	gg_push_expect_reject yaml/invalid work ../server.git release/2 &&
	test "$(gg_ref server.git release/2)" = missing &&
	git -C work checkout -q main
'

test_expect_success 'an invalid in-repo policy is blocked, even when confirmed' '
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: blok}
	EOF
	gg_commit work "typo in the policy" &&
	gg_push_expect_reject policy/changed work \
		-o gitops.confirm=policy/changed ../server.git main &&
	test "$(gg_hook_status server.git)" = 1 &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [policy/changed] refs/heads/main .gitops-guard.yaml: the new policy is invalid: main:.gitops-guard.yaml:2:23: bad severity '"'blok'"' for '"'yaml/invalid'"' (off, info, warn, confirm or block); every later push would be rejected
	  hint: fix it; check with: gitops-guard policy check .gitops-guard.yaml
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain policy/changed'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before" &&
	git -C work reset -q --hard "$before"
'

test_expect_success 'an in-repo policy cannot lower a severity: a warning says so' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: confirm}
	EOF
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: warn}
	EOF
	gg_commit work "lower yaml/invalid" &&
	gg_push_expect_accept work -o gitops.confirm=policy/changed \
		../server.git main &&
	before=$(gg_ref server.git main) &&
	gg_broken apps/guestbook/bad-8.yaml &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: policy: main:.gitops-guard.yaml:2:23: ignored severity warn for '"'yaml/invalid'"': lower than confirm and '"'yaml/invalid'"' is not in the system policy'"'"'s allow_loosen
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/guestbook/bad-8.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	  hint: confirm with: git push -o gitops.confirm=yaml/invalid:apps/guestbook/bad-8.yaml
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'a repository config policy cannot lower a severity either' '
	gg_write repo-policy.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: off}
	EOF
	git -C server.git config gitops-guard.policy "$GG_TRASH/repo-policy.yaml" &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	test_grep "warning: policy: $GG_TRASH/repo-policy.yaml:2:23: ignored severity off for '"'yaml/invalid'"': lower than confirm" push.out &&
	git -C server.git config --unset gitops-guard.policy &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'allow_loosen in the system policy lets the in-repo policy lower it' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: confirm}
	allow_loosen: [yaml/invalid]
	EOF
	gg_push_expect_accept work ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/guestbook/bad-8.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	gitops-guard: push accepted: 0 blocking findings, 1 warning
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'the in-repo policy may not set audit' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	EOF
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	audit: {log: "off"}
	EOF
	gg_commit work "turn the audit off" &&
	gg_push_expect_accept work -o gitops.confirm=policy/changed \
		../server.git main &&
	lines=$(wc -l <server.git/gitops-guard/audit.jsonl) &&
	git -C work commit -q --allow-empty -m "still audited" &&
	gg_push_expect_accept work ../server.git main &&
	test_grep "warning: policy: main:.gitops-guard.yaml:2:8: ignored '"'audit'"': only server-side policy files may set it" push.out &&
	test $(wc -l <server.git/gitops-guard/audit.jsonl) = $((lines + 1))
'

test_expect_success 'setup: an update that names a missing object (an internal error)' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	EOF
	missing=1234567890123456789012345678901234567890 &&
	line="$(gg_ref server.git main) $missing refs/heads/main"
'

test_expect_success 'internal errors reject by default (exit 2)' '
	test_expect_code 2 gg_run_hook "$line" 2>err &&
	test_grep "^error: internal error, push rejected: refs/heads/main: " err
'

test_expect_success 'limits.on_error: accept in the system policy accepts (exit 0)' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	limits: {on_error: accept}
	EOF
	gg_run_hook "$line" 2>err &&
	test_grep "^warning: gitops-guard: internal error, push accepted unchecked (limits.on_error: accept): refs/heads/main: " err
'

test_expect_success 'on_error: accept from the repository config is ignored' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	EOF
	gg_write repo-policy.yaml <<-\EOF &&
	version: 1
	limits: {on_error: accept}
	EOF
	git -C server.git config gitops-guard.policy "$GG_TRASH/repo-policy.yaml" &&
	test_expect_code 2 gg_run_hook "$line" 2>err &&
	test_grep "^error: internal error, push rejected: " err
'

test_expect_success 'on_error: accept from the repository config, allowed by the system' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	allow_loosen: [limits]
	EOF
	gg_run_hook "$line" 2>err &&
	test_grep "^warning: gitops-guard: internal error, push accepted unchecked" err &&
	git -C server.git config --unset gitops-guard.policy
'

test_expect_success 'on_error: accept from the in-repo policy is ignored' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	EOF
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	limits: {on_error: accept}
	EOF
	gg_commit work "accept errors" &&
	gg_push_expect_accept work -o gitops.confirm=policy/changed \
		../server.git main &&
	line="$(gg_ref server.git main) $missing refs/heads/main" &&
	test_expect_code 2 gg_run_hook "$line" 2>err &&
	test_grep "^error: internal error, push rejected: " err
'

test_expect_success 'on_error: accept from the in-repo policy, allowed by the system' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	allow_loosen: [limits]
	EOF
	gg_run_hook "$line" 2>err &&
	test_grep "^warning: gitops-guard: internal error, push accepted unchecked" err
'

test_expect_success 'an invalid system policy is not rescued by on_error: accept' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	limits: {on_error: accept}
	rules: {no/such-rule: block}
	EOF
	git -C work commit -q --allow-empty -m blocked &&
	before=$(gg_ref server.git main) &&
	gg_push_expect_fail work ../server.git main &&
	test "$(gg_hook_status server.git)" = 2 &&
	test_grep "^remote: error: internal error, push rejected: $GG_TRASH/system.yaml:3:9: unknown rule '"'no/such-rule'"'" push.out &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'an invalid in-repo policy already on the default branch: exit 2' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	EOF
	git -C work checkout -q -b bad-policy main &&
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: blok}
	EOF
	gg_commit work "bad policy, pushed before the hook was installed" &&
	gg_push_expect_accept work ../server.git bad-policy &&
	git -C server.git update-ref refs/heads/main refs/heads/bad-policy &&
	git -C work checkout -q main &&
	git -C work reset -q --hard bad-policy &&
	git -C work commit -q --allow-empty -m next &&
	gg_push_expect_fail work ../server.git main &&
	test "$(gg_hook_status server.git)" = 2 &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	error: internal error, push rejected: main:.gitops-guard.yaml:2:23: bad severity '"'blok'"' for '"'yaml/invalid'"' (off, info, warn, confirm or block); only a push to refs/heads/main that makes .gitops-guard.yaml valid (or removes it) is accepted until then
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$(gg_ref server.git bad-policy)"
'

test_expect_success 'the push that repairs an invalid in-repo policy is judged by the server layers' '
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: block}
	EOF
	gg_commit work "policy: fix the severity" &&
	gg_push_expect_reject policy/changed work ../server.git main &&
	test_grep "warning: the in-repo policy is invalid (main:.gitops-guard.yaml:2:23: bad severity" push.out &&
	gg_push_expect_accept work -o gitops.confirm=policy/changed ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a repository whose HEAD names a missing branch still guards its first push' '
	git -c init.defaultBranch=master init -q --bare master.git &&
	git -C master.git config receive.advertisePushOptions true &&
	gg_install_hook master.git pre-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: block}
	EOF
	git -C work checkout -q -b fresh "$(git -C work rev-list --max-parents=0 HEAD)" &&
	gg_broken apps/guestbook/bad-9.yaml &&
	git -C work checkout -q main &&
	test_must_fail gg_push push.out work ../master.git fresh:main &&
	test "$(gg_ref master.git main)" = missing
'

test_expect_success 'then main is taken as the default branch, and the pusher is told' '
	git -C work checkout -q -b clean "$(git -C work rev-list --max-parents=0 HEAD)" &&
	gg_push_expect_accept work ../master.git clean:main &&
	git -C work checkout -q main &&
	git -C work checkout -q -b fresh2 clean &&
	gg_broken apps/guestbook/bad-10.yaml &&
	git -C work checkout -q main &&
	gg_push_expect_reject yaml/invalid work ../master.git fresh2:main &&
	test_grep "warning: HEAD names .refs/heads/master., which does not exist; .refs/heads/main. is taken as the default branch" push.out
'

test_done
