#!/bin/sh
test_description='report: the exact lines a pusher sees, escaping, GitLab, verbose'
. "$(dirname "$0")/lib.sh"

# The summary of a verbose push ends in a duration that varies.
gg_remote_lines_stable() {
	gg_remote_lines "$1" | sed -e 's/, [0-9]* ms)$/, N ms)/'
}

test_expect_success 'setup: server with the hook, a work repository' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	EOF
	git init -q work &&
	gg_write work/apps/guestbook/deploy.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: guestbook
	EOF
	gg_commit work initial &&
	gg_push_expect_accept work ../server.git main
'
gg_system_policy system.yaml

test_expect_success 'a clean push prints nothing' '
	echo "replicas: 2" >work/apps/guestbook/values.yaml &&
	gg_commit work values &&
	gg_push_expect_accept work ../server.git main &&
	gg_remote_lines push.out >actual &&
	test_cmp /dev/null actual &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a warning: one finding block and the summary, push accepted' '
	printf "a: [\n" >work/apps/guestbook/broken.yaml &&
	gg_commit work broken &&
	gg_push_expect_accept work ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/guestbook/broken.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	gitops-guard: push accepted: 0 blocking findings, 1 warning
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a blocking finding: error line, hint, summary with explain' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: block}
	EOF
	before=$(gg_ref server.git main) &&
	printf "b: {\n" >work/apps/guestbook/broken2.yaml &&
	gg_commit work broken2 &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/guestbook/broken2.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'a blocking finding names break-glass when the policy has users for it' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: block}
	break_glass: {users: [oncall]}
	EOF
	before=$(gg_ref server.git main) &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/guestbook/broken2.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	  hint: only break-glass overrides this: git push -o '"'gitops.break-glass=<reason>'"' (break_glass.users only)
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'a finding to confirm: the hint gives the exact push option' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: confirm}
	EOF
	before=$(gg_ref server.git main) &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/guestbook/broken2.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	  hint: confirm with: git push -o gitops.confirm=yaml/invalid:apps/guestbook/broken2.yaml
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'a confirmed finding: a warning that says who confirmed it' '
	gg_push push.out work \
		-o gitops.confirm=yaml/invalid:apps/guestbook/broken2.yaml \
		../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/guestbook/broken2.yaml:2: does not parse as YAML: did not find expected node content (confirmed by unknown)
	gitops-guard: push accepted: 0 blocking findings, 0 warnings, 1 waived
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'the confirming identity is the pusher when the platform gives one' '
	printf "c: [\n" >work/apps/guestbook/broken3.yaml &&
	gg_commit work broken3 &&
	(
		REMOTE_USER=alice && export REMOTE_USER &&
		gg_push push.out work -o gitops.confirm=yaml/invalid \
			../server.git main
	) &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/guestbook/broken3.yaml:2: does not parse as YAML: did not find expected node content (confirmed by alice)
	gitops-guard: push accepted: 0 blocking findings, 0 warnings, 1 waived
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'setup: control characters and non-UTF-8 bytes in pushed paths' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: confirm}
	EOF
	printf "a: [\n" >"$(printf "work/apps/new\nline.yaml")" &&
	printf "a: [\n" >"$(printf "work/apps/tab\there.yaml")" &&
	printf "a: [\n" >"$(printf "work/apps/esc\033[2Jclear.yaml")" &&
	printf "a: [\n" >"$(printf "work/apps/latin1-\377.yaml")" &&
	printf "a: [\n" >"$(printf "work/apps/c1-\302\233.yaml")" &&
	printf "a: [\n" >"$(printf "work/apps/caf\303\251.yaml")" &&
	gg_commit work "odd names" &&
	git -C work ls-files -z apps >names &&
	test "$(tr "\0" "\n" <names | grep -c "^apps/[a-z]")" -ge 6
'

test_expect_success 'control characters and invalid UTF-8 in paths are escaped' '
	before=$(gg_ref server.git main) &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	gg_remote_lines push.out | grep "^gitops-guard: error:" >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/c1-\xc2\x9b.yaml:2: does not parse as YAML: did not find expected node content
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/café.yaml:2: does not parse as YAML: did not find expected node content
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/esc\x1b[2Jclear.yaml:2: does not parse as YAML: did not find expected node content
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/latin1-\xff.yaml:2: does not parse as YAML: did not find expected node content
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/new\nline.yaml:2: does not parse as YAML: did not find expected node content
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/tab\there.yaml:2: does not parse as YAML: did not find expected node content
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'no raw control byte or invalid UTF-8 reaches the pusher' '
	sed -n "s/^remote: //p" push.out >raw &&
	! LC_ALL=C grep -q "$(printf "[\001-\010\013-\037\177\377]")" raw &&
	! grep -q "$(printf "\302\233")" raw
'

test_expect_success 'the confirm hints quote the escaped paths for a shell' '
	gg_remote_lines push.out | grep "confirm with" >actual &&
	cat >expect <<-\EOF &&
	  hint: confirm with: git push -o '"'gitops.confirm=yaml/invalid:apps/c1-\xc2\x9b.yaml'"'
	  hint: confirm with: git push -o '"'gitops.confirm=yaml/invalid:apps/café.yaml'"'
	  hint: confirm with: git push -o '"'gitops.confirm=yaml/invalid:apps/esc\x1b[2Jclear.yaml'"'
	  hint: confirm with: git push -o '"'gitops.confirm=yaml/invalid:apps/latin1-\xff.yaml'"'
	  hint: confirm with: git push -o '"'gitops.confirm=yaml/invalid:apps/new\nline.yaml'"'
	  hint: confirm with: git push -o '"'gitops.confirm=yaml/invalid:apps/tab\there.yaml'"'
	EOF
	test_cmp expect actual
'

test_expect_success 'GitLab web pushes prefix every line with GL-HOOK-ERR:' '
	before=$(gg_ref server.git main) &&
	git -C work reset -q --hard "$before" &&
	printf "a: [\n" >work/apps/guestbook/gl.yaml &&
	gg_commit work gitlab &&
	(
		GL_PROTOCOL=web GL_ID=user-7 GL_USERNAME=gina &&
		export GL_PROTOCOL GL_ID GL_USERNAME &&
		test_must_fail gg_push push.out work ../server.git main
	) &&
	gg_no_sanitizer_report push.out &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	GL-HOOK-ERR: gitops-guard: error: [yaml/invalid] refs/heads/main apps/guestbook/gl.yaml:2: does not parse as YAML: did not find expected node content
	GL-HOOK-ERR:   hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	GL-HOOK-ERR:   hint: confirm with: git push -o gitops.confirm=yaml/invalid:apps/guestbook/gl.yaml
	GL-HOOK-ERR: gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'GitLab pushes over ssh or http get no prefix' '
	(
		GL_PROTOCOL=ssh GL_ID=user-7 GL_USERNAME=gina &&
		export GL_PROTOCOL GL_ID GL_USERNAME &&
		test_must_fail gg_push push.out work ../server.git main
	) &&
	gg_no_sanitizer_report push.out &&
	gg_remote_lines push.out >actual &&
	test_grep -v GL-HOOK-ERR actual &&
	test_grep "^gitops-guard: error: \[yaml/invalid\]" actual
'

test_expect_success 'GitLab web pushes get the internal error with GL-HOOK-ERR: too' '
	before=$(gg_ref server.git main) &&
	cp system.yaml system.yaml.good &&
	test_when_finished "mv system.yaml.good system.yaml" &&
	printf "version: 1\nrules: {yaml/invalid: blok}\n" >system.yaml &&
	(
		GL_PROTOCOL=web GL_ID=user-7 GL_USERNAME=gina &&
		export GL_PROTOCOL GL_ID GL_USERNAME &&
		test_must_fail gg_push push.out work ../server.git main
	) &&
	gg_no_sanitizer_report push.out &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-EOF &&
	GL-HOOK-ERR: error: internal error, push rejected: $GG_TRASH/system.yaml:2:23: bad severity '"'blok'"' for '"'yaml/invalid'"' (off, info, warn, confirm or block)
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success '-o gitops.verbose prints notes and a summary' '
	git -C work reset -q --hard "$(gg_ref server.git main)" &&
	mkdir -p work/apps/chart/templates &&
	gg_write work/apps/chart/templates/deploy.yaml <<-\EOF &&
	{{- if .Values.enabled }}
	kind: Deployment
	  {{- end }}
	EOF
	gg_commit work chart &&
	gg_push_expect_accept work -o gitops.verbose ../server.git main &&
	gg_remote_lines_stable push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: note: refs/heads/main apps/chart/templates/deploy.yaml: skipped: a template ({{ }}), not YAML
	gitops-guard: note: refs/heads/main 0 apps deploy this ref; the push touches: none
	gitops-guard: push accepted: 0 blocking findings, 0 warnings (1 of 1 refs inspected, 1 files, N ms)
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'without gitops.verbose the same kind of push prints nothing' '
	gg_write work/apps/chart/templates/svc.yaml <<-\EOF &&
	{{- if .Values.service }}
	kind: Service
	  {{- end }}
	EOF
	gg_commit work chart2 &&
	gg_push_expect_accept work ../server.git main &&
	gg_remote_lines push.out >actual &&
	test_cmp /dev/null actual
'

test_expect_success 'verbose notes the refs that are not guarded' '
	git -C work branch topic &&
	gg_push_expect_accept work -o gitops.verbose ../server.git topic &&
	gg_remote_lines_stable push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: note: refs/heads/topic: not guarded by the policy; not inspected
	gitops-guard: push accepted: 0 blocking findings, 0 warnings (0 of 1 refs inspected, 0 files, N ms)
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git topic)" = "$(git -C work rev-parse topic)"
'

test_expect_success 'an unknown gitops.* push option gives a warning line' '
	git -C work commit -q --allow-empty -m empty &&
	gg_push_expect_accept work -o gitops.frobnicate=1 ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: unknown push option '"'gitops.frobnicate=1'"' (known: gitops.confirm=, gitops.break-glass=, gitops.verbose)
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a confirmation of an unknown rule gives a warning line' '
	git -C work commit -q --allow-empty -m empty2 &&
	gg_push_expect_accept work -o gitops.confirm=no/such-rule ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: push option '"'gitops.confirm=no/such-rule'"' names no known rule
	EOF
	test_cmp expect actual
'

test_expect_success 'push options of other tools are ignored' '
	git -C work commit -q --allow-empty -m empty3 &&
	gg_push_expect_accept work -o ci.skip -o merge_request.create \
		../server.git main &&
	gg_remote_lines push.out >actual &&
	test_cmp /dev/null actual
'

test_expect_success 'an option value with control characters is escaped' '
	git -C work commit -q --allow-empty -m empty4 &&
	gg_push_expect_accept work -o "$(printf "gitops.x\033[31m")" \
		../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: unknown push option '"'gitops.x\x1b[31m'"' (known: gitops.confirm=, gitops.break-glass=, gitops.verbose)
	EOF
	test_cmp expect actual
'

test_done
