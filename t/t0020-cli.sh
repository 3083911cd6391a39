#!/bin/sh
test_description='gitops-guard: version, rules, explain, check, policy, usage errors'
. "$(dirname "$0")/lib.sh"

# The summary of `check` ends in a duration that varies.
gg_stable() {
	sed -e 's/, [0-9]* ms)$/, N ms)/' "$1"
}

test_expect_success 'setup: server, a clone with a broken manifest on top' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	git init -q seed &&
	gg_write seed/apps/guestbook/deploy.yaml <<-\EOF &&
	kind: Deployment
	EOF
	gg_commit seed initial &&
	gg_push_expect_accept seed ../server.git main &&
	git clone -q server.git clone &&
	printf "a: [\n" >clone/apps/guestbook/broken.yaml &&
	gg_commit clone broken &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	EOF
	gg_write block.yaml <<-\EOF
	version: 1
	rules: {yaml/invalid: block}
	EOF
'
gg_system_policy system.yaml

test_expect_success 'version prints the version' '
	gitops-guard version >out 2>err &&
	test_grep "^gitops-guard [0-9][0-9.]*" out &&
	test_cmp /dev/null err &&
	test $(wc -l <out) = 1 &&
	gitops-guard --version >out2 &&
	test_cmp out out2
'

test_expect_success 'help goes to stdout with status 0' '
	gitops-guard help >out 2>err &&
	test_grep "^usage: gitops-guard <command>" out &&
	test_grep "^   gitops-guard check " out &&
	test_cmp /dev/null err &&
	gitops-guard --help >out2 &&
	test_cmp out out2
'

test_expect_success 'no command: usage on stderr, status 2' '
	test_expect_code 2 gitops-guard >out 2>err &&
	test_cmp /dev/null out &&
	test_grep "^usage: gitops-guard <command>" err
'

test_expect_success 'an unknown command: status 2 and says so' '
	test_expect_code 2 gitops-guard frobnicate >out 2>err &&
	test_cmp /dev/null out &&
	test_grep "^gitops-guard: '"'frobnicate'"' is not a command$" err
'

# The rule ids and default severities of DESIGN.md section 4.
cat >design-rules <<\EOF
prune/unscoped block
sync/auto-enabled confirm
sync/allow-empty block
app/emptied confirm
app/mass-deletion confirm
app/cascade-delete confirm
appset/generator-shrink confirm
protect/annotation-removed confirm
promotion/direct-edit block
promotion/skipped-stage block
promotion/branch-bypass block
secret/plaintext block
project/unscoped warn
freeze/active block
ref/tracked-rewrite block
policy/changed confirm
yaml/invalid warn
break-glass/denied block
EOF

test_expect_success 'rules lists the rules of the design with their default severities' '
	gitops-guard rules >actual &&
	awk "{ print \$1, \$2 }" actual | sort >listed &&
	sort design-rules >design &&
	comm -23 listed design >unknown &&
	test_cmp /dev/null unknown &&
	test "$(wc -l <listed)" -ge 3 &&
	grep "^yaml/invalid  *warn  *adds a manifest that does not parse$" actual
'

test_expect_success 'explain <rule> describes it and how to confirm it' '
	gitops-guard explain yaml/invalid >actual &&
	head -n 3 actual >head &&
	cat >expect <<-\EOF &&
	yaml/invalid (default severity: warn)

	Fires when the push adds a manifest that does not parse.
	EOF
	test_cmp expect head &&
	tail -n 3 actual >tail &&
	cat >expect <<-\EOF &&
	Severity: set '"'rules: { yaml/invalid: off|info|warn|confirm|block }'"' in the policy.
	Confirm (severity confirm): git push -o gitops.confirm=yaml/invalid[:<path>]
	  or the trailer '"'Gitops-Confirm: yaml/invalid[:<path>]'"' in a pushed commit.
	EOF
	test_cmp expect tail
'

test_expect_success 'explain break-glass/denied offers no confirmation' '
	gitops-guard explain break-glass/denied >actual &&
	test_grep "^break-glass/denied (default severity: block)$" actual &&
	test_grep -v "Confirm" actual
'

test_expect_success 'explain of an unknown rule: status 2' '
	test_expect_code 2 gitops-guard explain no/such-rule >out 2>err &&
	test_cmp /dev/null out &&
	echo "gitops-guard: no rule '"'no/such-rule'"' (see '"'gitops-guard rules'"')" >expect &&
	test_cmp expect err
'

test_expect_success 'usage errors: status 2, a usage line on stderr, nothing on stdout' '
	for args in "version x" "rules x" "explain" "explain a b" "check" \
		"check --format xml HEAD" "check a b c d" "check a..b c d" \
		"check --no-such-option HEAD" "policy" "policy frob" \
		"policy check" "policy show extra" "policy show --frob" \
		"install" "install --frob x"
	do
		test_expect_code 2 gitops-guard $args >out 2>err &&
		test_cmp /dev/null out &&
		grep "^usage: gitops-guard " err >/dev/null ||
		{ echo >&2 "for: $args"; cat >&2 err; return 1; }
	done
'

test_expect_success 'check <rev>: judged against origin/HEAD, warning accepted (0)' '
	(cd clone && gitops-guard check HEAD) >out &&
	gg_stable out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/guestbook/broken.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	gitops-guard: push accepted: 0 blocking findings, 1 warning (1 of 1 refs inspected, 1 files, N ms)
	EOF
	test_cmp expect actual
'

gg_system_policy block.yaml
test_expect_success 'check <rev>: a blocking finding exits 1' '
	(cd clone && test_expect_code 1 gitops-guard check HEAD) >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/guestbook/broken.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual
'

test_expect_success 'check <a>..<b>: the range form' '
	(cd clone && test_expect_code 1 gitops-guard check origin/main..HEAD) >actual &&
	test_cmp expect actual &&
	(cd clone && gitops-guard check HEAD~1..HEAD~1) >actual2 &&
	test_grep "push accepted: 0 blocking findings, 0 warnings (1 of 1 refs inspected, 0 files" actual2
'

test_expect_success 'check <rev> <ref>: another ref, unguarded, is not inspected' '
	(cd clone && gitops-guard check HEAD topic) >out &&
	gg_stable out >actual &&
	cat >expect2 <<-\EOF &&
	gitops-guard: note: refs/heads/topic: not guarded by the policy; not inspected
	gitops-guard: push accepted: 0 blocking findings, 0 warnings (0 of 1 refs inspected, 0 files, N ms)
	EOF
	test_cmp expect2 actual
'

test_expect_success 'check <old> <new> <ref>: full ids and a full ref name' '
	old=$(git -C clone rev-parse origin/main) &&
	new=$(git -C clone rev-parse HEAD) &&
	(cd clone && test_expect_code 1 gitops-guard check $old $new refs/heads/main) >actual &&
	test_cmp expect actual
'

test_expect_success 'check <old> <new> <ref>: revisions and a short branch name' '
	(cd clone && test_expect_code 1 gitops-guard check origin/main HEAD main) >actual &&
	test_cmp expect actual
'

test_expect_success 'check <old> <new> <ref>: a create judged against the default branch' '
	(cd clone && test_expect_code 1 gitops-guard check $ZERO_OID HEAD refs/heads/main) >actual &&
	test_cmp expect actual
'

test_expect_success 'check --format json: one valid JSON object' '
	(cd clone && test_expect_code 1 gitops-guard check --format json HEAD) >out &&
	test $(wc -l <out) = 1 &&
	test_grep "^{\"decision\":\"reject\"," out &&
	test_grep "\"rule\":\"yaml/invalid\",\"severity\":\"block\",\"ref\":\"refs/heads/main\"" out &&
	if test_have_prereq PYTHON3
	then
		python3 -m json.tool out >/dev/null
	fi
'

test_expect_success 'check --policy FILE replaces the server-side policy' '
	(cd clone && gitops-guard check --policy ../system.yaml HEAD) >out &&
	test_grep "push accepted: 0 blocking findings, 1 warning" out &&
	gg_system_policy system.yaml &&
	(cd clone && test_expect_code 1 gitops-guard check --policy ../block.yaml HEAD) >actual &&
	test_cmp expect actual
'
gg_system_policy block.yaml

test_expect_success 'check -o and --pusher: a confirmation as the hook would see it' '
	gg_write confirm.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: confirm}
	EOF
	(cd clone && test_expect_code 1 gitops-guard check --policy ../confirm.yaml HEAD) >out &&
	test_grep "confirm with: git push -o gitops.confirm=yaml/invalid:apps/guestbook/broken.yaml" out &&
	(cd clone && gitops-guard check --policy ../confirm.yaml --pusher alice \
		-o gitops.confirm=yaml/invalid HEAD) >out &&
	gg_stable out >actual &&
	cat >expect.c <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/guestbook/broken.yaml:2: does not parse as YAML: did not find expected node content (confirmed by alice)
	gitops-guard: push accepted: 0 blocking findings, 0 warnings, 1 waived (1 of 1 refs inspected, 1 files, N ms)
	EOF
	test_cmp expect.c actual
'

test_expect_success 'check --policy with an invalid file: status 2 with file:line:col' '
	gg_write bad.yaml <<-\EOF &&
	version: 1
	rules:
	  yaml/invalid: blok
	EOF
	(cd clone && test_expect_code 2 gitops-guard check --policy ../bad.yaml HEAD) >out 2>err &&
	test_cmp /dev/null out &&
	echo "gitops-guard: error: ../bad.yaml:3:17: bad severity '"'blok'"' for '"'yaml/invalid'"' (off, info, warn, confirm or block)" >expect.e &&
	test_cmp expect.e err
'

test_expect_success 'check: an unknown revision is status 2' '
	(cd clone && test_expect_code 2 gitops-guard check no-such-rev) >out 2>err &&
	test_cmp /dev/null out &&
	test_grep "^gitops-guard: unknown revision '"'no-such-rev'"'" err
'

test_expect_success 'check --repo of a directory that does not exist is status 2' '
	test_expect_code 2 gitops-guard check --repo no-such-dir HEAD >out 2>err &&
	test_cmp /dev/null out &&
	test_grep "^gitops-guard: error: cannot find repository '"'no-such-dir'"'" err
'

test_expect_success 'check --repo DIR works from elsewhere' '
	test_expect_code 1 gitops-guard check --repo clone HEAD >actual &&
	test_cmp expect actual
'

test_expect_success 'policy check: valid files are ok (0)' '
	gitops-guard policy check system.yaml block.yaml >actual 2>err &&
	cat >expect.p <<-\EOF &&
	system.yaml: ok
	block.yaml: ok
	EOF
	test_cmp expect.p actual &&
	test_cmp /dev/null err
'

test_expect_success 'policy check: invalid files name file:line:col (1)' '
	printf "version: 1\nfoo: 1\n" >unknown-key.yaml &&
	printf "version: 1\nrules: [\n" >syntax.yaml &&
	printf "version: 2\n" >version.yaml &&
	printf "version: 1\nowners:\n  - paths: [\"apps/[x\"]\n    users: [a]\n" >glob.yaml &&
	test_expect_code 1 gitops-guard policy check system.yaml bad.yaml \
		unknown-key.yaml syntax.yaml version.yaml glob.yaml >out 2>err &&
	echo "system.yaml: ok" >expect.o &&
	test_cmp expect.o out &&
	cat >expect.e <<-\EOF &&
	bad.yaml:3:17: bad severity '"'blok'"' for '"'yaml/invalid'"' (off, info, warn, confirm or block)
	unknown-key.yaml:2:1: unknown key '"'foo'"' in '"'policy'"'
	syntax.yaml:3:1: did not find expected node content
	version.yaml:1:10: unsupported policy version (only 1 is known)
	glob.yaml:3:13: bad glob '"'apps/[x'"' in '"'owners[].paths'"': unbalanced '"'['"' in glob
	EOF
	test_cmp expect.e err
'

test_expect_success 'policy check: a missing file is status 2' '
	test_expect_code 2 gitops-guard policy check no-such.yaml >out 2>err &&
	test_cmp /dev/null out &&
	test_grep "no-such.yaml" err
'

test_expect_success 'policy show: the effective policy of a clone' '
	(cd clone && gitops-guard policy show) >actual &&
	cat >expect.s <<-EOF &&
	sources: built-in defaults, $GG_TRASH/block.yaml
	default branch: refs/heads/main
	repo_urls: []
	this repository: URLs ending in its name, and repo_urls
	branches: []
	environments: built-in recognition (dev < qa < staging < prod; prod protected)
	promoters: []
	break_glass.users: []
	limits: deadline_ms 4000, max_blob_bytes 4194304, max_commits 10000, on_error reject, on_timeout reject
	rule yaml/invalid                 block
	EOF
	grep -v "^rule " actual >actual.head &&
	grep "^rule yaml/invalid " actual >>actual.head &&
	test_cmp expect.s actual.head &&
	gitops-guard rules | awk "{ printf \"rule %-28s %s\\n\", \$1, \$2 }" |
		grep -v "^rule yaml/invalid " >expect.rules &&
	grep "^rule " actual | grep -v "^rule yaml/invalid " >actual.rules &&
	test_cmp expect.rules actual.rules
'

test_expect_success 'policy show --repo of a bare repository with its config layer' '
	gg_write repo.yaml <<-\EOF &&
	version: 1
	branches: ["release/*"]
	break_glass: {users: [oncall]}
	rules: {policy/changed: block}
	EOF
	git -C server.git config gitops-guard.policy "$GG_TRASH/repo.yaml" &&
	gitops-guard policy show --repo server.git >actual &&
	test_grep "^sources: built-in defaults, $GG_TRASH/block.yaml, $GG_TRASH/repo.yaml$" actual &&
	test_grep "^branches: release/\*$" actual &&
	test_grep "^rule policy/changed               block$" actual &&
	test_grep "^note: $GG_TRASH/repo.yaml:3:23: ignored '"'oncall'"' in '"'break_glass'"'" actual
'

test_expect_success 'policy show --policy FILE' '
	(cd clone && gitops-guard policy show --policy ../system.yaml) >actual &&
	test_grep "^sources: built-in defaults, ../system.yaml$" actual &&
	test_grep "^rule yaml/invalid                 warn$" actual
'

test_expect_success 'policy show with an invalid policy: status 2' '
	(cd clone && test_expect_code 2 gitops-guard policy show --policy ../bad.yaml) >out 2>err &&
	test_cmp /dev/null out &&
	test_grep "^gitops-guard: error: ../bad.yaml:3:17: " err
'

test_done
