#!/bin/sh
test_description='gitops-guard audit: reading, filtering and printing the audit log of real pushes'
. "$(dirname "$0")/lib.sh"

# The pushes of the setup, in order (deploy.git, "platform/deploy"):
#   1 2026-03-01T09:00:00Z alice    accept   a clean first push
#   2 2026-03-01T10:00:00Z bob      reject   yaml/invalid (confirm)
#   3 2026-03-01T10:05:00Z bob      accept   the same, confirmed by bob
#   4 2026-03-02T08:00:00Z mallory  reject   a hostile path, break-glass
#                                            asked for and denied
#   5 2026-03-02T09:00:00Z oncall   accept   the same, break-glass granted
#   6 2026-03-03T12:00:00Z carol    error    the system policy is broken
# and one push to other.git ("platform/other"), whose repository policy
# moves its log to audit/other.jsonl:
#   7 2026-03-02T12:00:00Z alice    accept   to main and release/1

# gg_audit_push <time> <pusher> <repo> <work> <git push arguments...>
gg_audit_push() {
	(
		GITOPS_GUARD_NOW=$1 GL_USERNAME=$2 GL_PROJECT_PATH=$3 &&
		export GITOPS_GUARD_NOW GL_USERNAME GL_PROJECT_PATH &&
		shift 3 &&
		gg_push push.out "$@"
	)
}

# What varies between builds and runs, made stable: the version, the
# random event ids, the trash directory and the durations.
gg_stable() {
	sed -e 's/"version":"[^"]*"/"version":"VERSION"/g' \
		-e 's/"id":"[0-9a-f-]*"/"id":"ID"/g' \
		-e "s/gitops-guard $version/gitops-guard VERSION/g" \
		-e "s|$GG_TRASH|TRASH|g" \
		-e 's/"duration_ms":[0-9]*/"duration_ms":N/g' "$@"
}

HOSTILE_DIR='apps/<b>&"x",'"'"'y'"'"
gg_system_policy system.yaml
test_expect_success 'setup: pushes accepted, rejected, confirmed, by break-glass and failed' '
	gitops-guard version >version &&
	version=$(sed -e "s/^gitops-guard //" version) &&
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: confirm}
	break_glass: {users: [oncall]}
	EOF
	gg_only_rules yaml/invalid &&
	git init -q work &&
	gg_write work/apps/web/deploy.yaml <<-\EOF &&
	kind: Deployment
	EOF
	gg_commit work initial &&
	gg_audit_push 2026-03-01T09:00:00Z alice platform/deploy \
		work ../deploy.git main &&
	printf "a: [\n" >work/apps/web/broken.yaml &&
	gg_commit work broken &&
	test_must_fail gg_audit_push 2026-03-01T10:00:00Z bob platform/deploy \
		work ../deploy.git main &&
	gg_audit_push 2026-03-01T10:05:00Z bob platform/deploy \
		work -o gitops.confirm=yaml/invalid ../deploy.git main &&
	mkdir -p "work/$HOSTILE_DIR" &&
	printf "a: [\n" >"$(printf "work/$HOSTILE_DIR/\033[31m=1+1\342\200\256lmth.yaml")" &&
	gg_commit work hostile &&
	test_must_fail gg_audit_push 2026-03-02T08:00:00Z mallory \
		platform/deploy work \
		-o "gitops.break-glass==HYPERLINK(\"http://x\") <script>alert(1)</script>" \
		../deploy.git main &&
	gg_audit_push 2026-03-02T09:00:00Z oncall platform/deploy work \
		-o "gitops.break-glass=INC-7 restore, \"now\"" \
		../deploy.git main &&
	cp system.yaml system.good &&
	printf "version: 1\nrules: {yaml/invalid: blok}\n" >system.yaml &&
	git -C work commit -q --allow-empty -m unjudged &&
	test_must_fail gg_audit_push 2026-03-03T12:00:00Z carol \
		platform/deploy work ../deploy.git main &&
	mv system.good system.yaml &&
	test $(wc -l <deploy.git/gitops-guard/audit.jsonl) = 6
'
version=$(sed -e "s/^gitops-guard //" version 2>/dev/null)
log=deploy.git/gitops-guard/audit.jsonl

test_expect_success 'setup: a second repository whose policy moves the log' '
	gg_bare_repo other.git &&
	gg_install_hook other.git pre-receive other-policy.yaml &&
	gg_write other-policy.yaml <<-\EOF &&
	version: 1
	audit: {log: audit/other.jsonl}
	EOF
	git init -q work2 &&
	gg_write work2/apps/api/deploy.yaml <<-\EOF &&
	kind: Deployment
	EOF
	gg_commit work2 initial &&
	git -C work2 branch release/1 &&
	gg_audit_push 2026-03-02T12:00:00Z alice platform/other \
		work2 ../other.git main release/1 &&
	test $(wc -l <other.git/audit/other.jsonl) = 1 &&
	! test -e other.git/gitops-guard/audit.jsonl
'

GITOPS_GUARD_NOW=2026-03-04T00:00:00Z
export GITOPS_GUARD_NOW

# runs_of <audit arguments...>: the time and pusher of each listed run.
runs_of() {
	gitops-guard audit "$@" >runs.out &&
	awk "NR > 1 { print \$1, \$3 }" runs.out
}

test_expect_success 'lists the runs of the repository in the current directory' '
	cat >expect <<-\EOF &&
	TIME                  REPOSITORY       PUSHER   HOOK         REFS  DECISION  BLOCKING  WARNINGS  WAIVED  BREAK-GLASS
	2026-03-01T09:00:00Z  platform/deploy  alice    pre-receive  main  accept    0         0         0       -
	2026-03-01T10:00:00Z  platform/deploy  bob      pre-receive  main  reject    1         0         0       -
	2026-03-01T10:05:00Z  platform/deploy  bob      pre-receive  main  accept    0         0         1       -
	2026-03-02T08:00:00Z  platform/deploy  mallory  pre-receive  main  reject    2         0         0       denied
	2026-03-02T09:00:00Z  platform/deploy  oncall   pre-receive  main  accept    0         0         1       granted
	2026-03-03T12:00:00Z  platform/deploy  carol    pre-receive  main  error     0         0         0       -
	EOF
	(cd deploy.git && gitops-guard audit >../actual 2>../err) &&
	test_cmp expect actual &&
	test_cmp /dev/null err
'

test_expect_success '--repo and --log read the same runs' '
	gitops-guard audit --repo deploy.git >actual &&
	test_cmp expect actual &&
	gitops-guard audit --log $log >actual &&
	test_cmp expect actual &&
	GIT_DIR=deploy.git gitops-guard audit >actual &&
	test_cmp expect actual
'

test_expect_success '--log - reads the standard input' '
	gitops-guard audit --log - <$log >actual &&
	test_cmp expect actual
'

test_expect_success '--repo finds the log where the repository policy moved it' '
	cat >expect <<-\EOF &&
	TIME                  REPOSITORY      PUSHER  HOOK         REFS            DECISION  BLOCKING  WARNINGS  WAIVED  BREAK-GLASS
	2026-03-02T12:00:00Z  platform/other  alice   pre-receive  main,release/1  accept    0         0         0       -
	EOF
	gitops-guard audit --repo other.git >actual &&
	test_cmp expect actual
'

test_expect_success 'the runs of several logs are listed in time order' '
	cat >expect <<-\EOF &&
	2026-03-01T09:00:00Z alice
	2026-03-01T10:00:00Z bob
	2026-03-01T10:05:00Z bob
	2026-03-02T08:00:00Z mallory
	2026-03-02T09:00:00Z oncall
	2026-03-02T12:00:00Z alice
	2026-03-03T12:00:00Z carol
	EOF
	runs_of --repo other.git --log $log >actual &&
	test_cmp expect actual
'

test_expect_success '--since and --until select from one time up to another' '
	cat >expect <<-\EOF &&
	2026-03-01T10:00:00Z bob
	2026-03-01T10:05:00Z bob
	EOF
	runs_of --log $log --since 2026-03-01T10:00:00Z \
		--until 2026-03-02T08:00:00Z >actual &&
	test_cmp expect actual &&
	runs_of --log $log --since @1772359200 --until "2026-03-02 08:00" \
		>actual &&
	test_cmp expect actual
'

test_expect_success '--since takes a day and a duration before now' '
	cat >expect <<-\EOF &&
	2026-03-02T08:00:00Z mallory
	2026-03-02T09:00:00Z oncall
	2026-03-03T12:00:00Z carol
	EOF
	runs_of --log $log --since 2026-03-02 >actual &&
	test_cmp expect actual &&
	runs_of --log $log --since 40h >actual &&
	test_cmp expect actual &&
	echo "2026-03-03T12:00:00Z carol" >expect &&
	runs_of --log $log --since 1d >actual &&
	test_cmp expect actual &&
	GITOPS_GUARD_NOW=2026-03-03T13:00:00Z runs_of --log $log --since 90m \
		>actual &&
	test_cmp expect actual
'

test_expect_success '--repository selects repositories by glob' '
	echo "2026-03-02T12:00:00Z alice" >expect &&
	runs_of --log $log --repo other.git --repository "platform/o*" \
		>actual &&
	test_cmp expect actual &&
	runs_of --log $log --repo other.git --repository "*/other" \
		--repository nothing >actual &&
	test_cmp expect actual &&
	test_expect_code 1 gitops-guard audit --log $log --repository "*" \
		>actual &&
	test_cmp /dev/null actual
'

test_expect_success '--rule selects the runs with a matching finding' '
	cat >expect <<-\EOF &&
	2026-03-01T10:00:00Z bob
	2026-03-01T10:05:00Z bob
	2026-03-02T08:00:00Z mallory
	2026-03-02T09:00:00Z oncall
	EOF
	runs_of --log $log --rule "yaml/*" >actual &&
	test_cmp expect actual &&
	echo "2026-03-02T08:00:00Z mallory" >expect &&
	runs_of --log $log --rule break-glass/denied >actual &&
	test_cmp expect actual
'

test_expect_success '--rule narrows the findings listed to the matching ones' '
	cat >expect <<-\EOF &&
	TIME                  REPOSITORY       PUSHER   REF  RULE                SEVERITY  PATH  WAIVER  WAIVED-BY  MESSAGE
	2026-03-02T08:00:00Z  platform/deploy  mallory  -    break-glass/denied  block     -     -       -          break-glass asked for, but the pusher '"'mallory'"' is not in break_glass.users
	EOF
	gitops-guard audit --log $log --rule "break-glass/*" --findings \
		>actual &&
	test_cmp expect actual
'

test_expect_success '--decision selects decisions, given more than once any of them' '
	echo "2026-03-03T12:00:00Z carol" >expect &&
	runs_of --log $log --decision error >actual &&
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	2026-03-01T10:00:00Z bob
	2026-03-02T08:00:00Z mallory
	2026-03-03T12:00:00Z carol
	EOF
	runs_of --log $log --decision reject --decision error >actual &&
	test_cmp expect actual
'

test_expect_success '--pusher selects pushers' '
	cat >expect <<-\EOF &&
	2026-03-01T10:00:00Z bob
	2026-03-01T10:05:00Z bob
	2026-03-02T09:00:00Z oncall
	EOF
	runs_of --log $log --pusher bob --pusher oncall >actual &&
	test_cmp expect actual
'

test_expect_success '--break-glass selects the runs that asked for it, granted or not' '
	cat >expect <<-\EOF &&
	2026-03-02T08:00:00Z mallory
	2026-03-02T09:00:00Z oncall
	EOF
	runs_of --log $log --break-glass >actual &&
	test_cmp expect actual
'

test_expect_success '--waived lists only the waived findings' '
	cat >expect <<-\EOF &&
	TIME                  REPOSITORY       PUSHER  REF   RULE          SEVERITY  PATH                                            WAIVER       WAIVED-BY  MESSAGE
	2026-03-01T10:05:00Z  platform/deploy  bob     main  yaml/invalid  confirm   apps/web/broken.yaml:2                          confirm      bob        does not parse as YAML: did not find expected node content
	2026-03-02T09:00:00Z  platform/deploy  oncall  main  yaml/invalid  confirm   apps/<b>&"x",'"'y'"'/\x1b[31m=1+1\u202elmth.yaml:2  break-glass  oncall     does not parse as YAML: did not find expected node content
	EOF
	gitops-guard audit --log $log --waived --findings >actual &&
	test_cmp expect actual
'

test_expect_success '--ref selects by branch name or full ref glob' '
	echo "2026-03-02T12:00:00Z alice" >expect &&
	runs_of --log $log --repo other.git --ref "release/*" >actual &&
	test_cmp expect actual &&
	runs_of --log $log --repo other.git --ref "refs/heads/rel*/1" >actual &&
	test_cmp expect actual &&
	runs_of --log $log --repo other.git --ref "refs/heads/*" >actual &&
	test $(wc -l <actual) = 7 &&
	test_expect_code 1 gitops-guard audit --log $log --ref "refs/tags/*" \
		>actual &&
	test_cmp /dev/null actual
'

test_expect_success 'filters combine: a run must match every option' '
	echo "2026-03-01T10:05:00Z bob" >expect &&
	runs_of --log $log --pusher bob --decision accept >actual &&
	test_cmp expect actual &&
	test_expect_code 1 gitops-guard audit --log $log --pusher alice \
		--break-glass >actual &&
	test_cmp /dev/null actual
'

test_expect_success 'the findings table shows hostile paths with controls made visible' '
	cat >expect <<-\EOF &&
	TIME                  REPOSITORY       PUSHER   REF   RULE                SEVERITY  PATH                                            WAIVER       WAIVED-BY  MESSAGE
	2026-03-01T10:00:00Z  platform/deploy  bob      main  yaml/invalid        confirm   apps/web/broken.yaml:2                          -            -          does not parse as YAML: did not find expected node content
	2026-03-01T10:05:00Z  platform/deploy  bob      main  yaml/invalid        confirm   apps/web/broken.yaml:2                          confirm      bob        does not parse as YAML: did not find expected node content
	2026-03-02T08:00:00Z  platform/deploy  mallory  main  yaml/invalid        confirm   apps/<b>&"x",'"'y'"'/\x1b[31m=1+1\u202elmth.yaml:2  -            -          does not parse as YAML: did not find expected node content
	2026-03-02T08:00:00Z  platform/deploy  mallory  -     break-glass/denied  block     -                                               -            -          break-glass asked for, but the pusher '"'mallory'"' is not in break_glass.users
	2026-03-02T09:00:00Z  platform/deploy  oncall   main  yaml/invalid        confirm   apps/<b>&"x",'"'y'"'/\x1b[31m=1+1\u202elmth.yaml:2  break-glass  oncall     does not parse as YAML: did not find expected node content
	EOF
	gitops-guard audit --log $log --findings >actual &&
	test_cmp expect actual &&
	! grep "$(printf "\033")" actual
'

test_expect_success '--summary counts decisions, rules and pushers and lists break-glass' '
	cat >expect <<-\EOF &&
	7 runs from 2026-03-01T09:00:00Z to 2026-03-03T12:00:00Z, 5 findings

	DECISION  RUNS
	accept    4
	reject    2
	error     1

	RULE                FINDINGS  WAIVED
	yaml/invalid        4         2
	break-glass/denied  1         0

	PUSHER   RUNS  REJECTED
	alice    2     0
	bob      2     1
	carol    1     1
	mallory  1     1
	oncall   1     0

	TIME                  REPOSITORY       PUSHER   BREAK-GLASS  REASON
	2026-03-02T08:00:00Z  platform/deploy  mallory  denied       =HYPERLINK("http://x") <script>alert(1)</script>
	2026-03-02T09:00:00Z  platform/deploy  oncall   granted      INC-7 restore, "now"
	EOF
	gitops-guard audit --log $log --repo other.git --summary >actual &&
	test_cmp expect actual
'

test_expect_success '--format json: an array of runs with the fields of the event' '
	c1=$(git -C work rev-parse main~3) &&
	c2=$(git -C work rev-parse main~2) &&
	cat >expect <<-EOF &&
	[
	{"time":"2026-03-01T10:00:00Z","version":"VERSION","id":"ID","repository":"platform/deploy","pusher":"bob","pusher_source":"GL_USERNAME","platform":"git","hook":"pre-receive","via":null,"refs":[{"ref":"refs/heads/main","old":"$c1","new":"$c2","kind":"update"}],"push_options":[],"decision":"reject","error":null,"refs_total":1,"refs_checked":1,"files_changed":1,"timed_out":false,"duration_ms":N,"blocking":1,"warnings":0,"waived":0,"break_glass_reason":null,"break_glass_granted":false,"findings":[{"rule":"yaml/invalid","severity":"confirm","ref":"refs/heads/main","commit":null,"path":"apps/web/broken.yaml","line":2,"target":"apps/web/broken.yaml","message":"does not parse as YAML: did not find expected node content","hint":"fix the syntax; '"'gitops-guard check'"' shows the same result before you push","waiver":null,"waived_by":null}],"remarks":[],"notes":[],"log":"$log","log_line":2},
	{"time":"2026-03-01T10:05:00Z","version":"VERSION","id":"ID","repository":"platform/deploy","pusher":"bob","pusher_source":"GL_USERNAME","platform":"git","hook":"pre-receive","via":null,"refs":[{"ref":"refs/heads/main","old":"$c1","new":"$c2","kind":"update"}],"push_options":["gitops.confirm=yaml/invalid"],"decision":"accept","error":null,"refs_total":1,"refs_checked":1,"files_changed":1,"timed_out":false,"duration_ms":N,"blocking":0,"warnings":0,"waived":1,"break_glass_reason":null,"break_glass_granted":false,"findings":[{"rule":"yaml/invalid","severity":"confirm","ref":"refs/heads/main","commit":null,"path":"apps/web/broken.yaml","line":2,"target":"apps/web/broken.yaml","message":"does not parse as YAML: did not find expected node content","hint":"fix the syntax; '"'gitops-guard check'"' shows the same result before you push","waiver":"confirm","waived_by":"bob"}],"remarks":[],"notes":[],"log":"$log","log_line":3}
	]
	EOF
	gitops-guard audit --log $log --pusher bob --format json >out &&
	gg_stable out >actual &&
	test_cmp expect actual
'

test_expect_success '--format json keeps the internal error and narrows findings' '
	gitops-guard audit --log $log --decision error --format json >out &&
	gg_stable out >actual &&
	test_grep "\"decision\":\"error\",\"error\":\"TRASH/system.yaml:2:23: bad severity '"'blok'"' for '"'yaml/invalid'"' (off, info, warn, confirm or block)\"" actual &&
	gitops-guard audit --log $log --rule "break-glass/*" --format json >out &&
	test_grep "\"findings\":\[{\"rule\":\"break-glass/denied\"" out &&
	test_grep -v "\"rule\":\"yaml/invalid\"" out
'

test_expect_success PYTHON3 '--format jsonl keeps every value of the log exactly' '
	gitops-guard audit --log $log --format jsonl >out.jsonl &&
	test $(wc -l <out.jsonl) = 6 &&
	python3 - $log out.jsonl <<-\EOF
	import json, sys

	def lines(path):
	    with open(path, "rb") as f:
	        return [json.loads(l) for l in f.read().decode("utf-8").splitlines()]

	log, out = lines(sys.argv[1]), lines(sys.argv[2])
	for n, (a, b) in enumerate(zip(log, out), 1):
	    if (b.pop("log"), b.pop("log_line")) != (sys.argv[1], n) or a != b:
	        sys.exit("line %d differs:\n%s\n%s" % (n, a, b))
	EOF
'

test_expect_success '--format jsonl reads back as a log' '
	gitops-guard audit --log $log --repo other.git --format jsonl \
		--since 2026-03-02 >week.jsonl &&
	gitops-guard audit --log $log --repo other.git --since 2026-03-02 \
		>expect &&
	gitops-guard audit --log week.jsonl >actual &&
	test_cmp expect actual
'

test_expect_success '--summary --format json' '
	cat >expect <<-\EOF &&
	{"runs":2,"findings":3,"first":"2026-03-02T08:00:00Z","last":"2026-03-02T09:00:00Z","lines":6,"unreadable":0,"decisions":[{"decision":"accept","runs":1},{"decision":"reject","runs":1}],"rules":[{"rule":"yaml/invalid","findings":2,"waived":1},{"rule":"break-glass/denied","findings":1,"waived":0}],"pushers":[{"pusher":"mallory","runs":1,"rejected":1},{"pusher":"oncall","runs":1,"rejected":0}],"break_glass":[{"time":"2026-03-02T08:00:00Z","repository":"platform/deploy","pusher":"mallory","granted":false,"reason":"=HYPERLINK(\"http://x\") <script>alert(1)</script>","decision":"reject"},{"time":"2026-03-02T09:00:00Z","repository":"platform/deploy","pusher":"oncall","granted":true,"reason":"INC-7 restore, \"now\"","decision":"accept"}]}
	EOF
	gitops-guard audit --log $log --break-glass --summary --format json \
		>actual &&
	test_cmp expect actual
'

test_expect_success '--format csv: a header, RFC 4180 quoting, no formulas' '
	printf "%s\r\n" \
		"time,repository,pusher,platform,hook,refs,decision,blocking,warnings,waived,break_glass_reason,break_glass_granted,error,log,log_line" \
		"2026-03-02T08:00:00Z,platform/deploy,mallory,git,pre-receive,refs/heads/main,reject,2,0,0,\"'"'"'=HYPERLINK(\"\"http://x\"\") <script>alert(1)</script>\",false,,$log,4" \
		"2026-03-02T09:00:00Z,platform/deploy,oncall,git,pre-receive,refs/heads/main,accept,0,0,1,\"INC-7 restore, \"\"now\"\"\",true,,$log,5" \
		>expect &&
	gitops-guard audit --log $log --break-glass --format csv >actual &&
	test_cmp expect actual
'

test_expect_success '--format csv --findings: one row per finding' '
	printf "%s\r\n" \
		"time,repository,pusher,decision,ref,commit,rule,severity,path,line,message,waiver,waived_by,log,log_line" \
		"2026-03-02T08:00:00Z,platform/deploy,mallory,reject,refs/heads/main,,yaml/invalid,confirm,\"apps/<b>&\"\"x\"\",'"'"'y'"'"'/\\x1b[31m=1+1\\u202elmth.yaml\",2,does not parse as YAML: did not find expected node content,,,$log,4" \
		"2026-03-02T08:00:00Z,platform/deploy,mallory,reject,,,break-glass/denied,block,,,\"break-glass asked for, but the pusher '"'"'mallory'"'"' is not in break_glass.users\",,,$log,4" \
		"2026-03-02T09:00:00Z,platform/deploy,oncall,accept,refs/heads/main,,yaml/invalid,confirm,\"apps/<b>&\"\"x\"\",'"'"'y'"'"'/\\x1b[31m=1+1\\u202elmth.yaml\",2,does not parse as YAML: did not find expected node content,break-glass,oncall,$log,5" \
		>expect &&
	gitops-guard audit --log $log --break-glass --findings --format csv \
		>actual &&
	test_cmp expect actual
'

test_expect_success '--format html: one self-contained file, nothing to load' '
	gitops-guard audit --log $log --break-glass --format html >report.html &&
	sed -n -e "1,/^<style>\$/p" report.html >head &&
	cat >expect <<-EOF &&
	<!DOCTYPE html>
	<html lang="en">
	<head>
	<meta charset="utf-8">
	<meta http-equiv="Content-Security-Policy" content="default-src '"'none'"'; style-src '"'unsafe-inline'"'">
	<meta name="generator" content="gitops-guard $version">
	<title>gitops-guard audit report</title>
	<style>
	EOF
	test_cmp expect head &&
	test $(grep -c "<script" report.html) = 0 &&
	test $(grep -c -i -e "src=" -e "href=" -e "url(" -e "@import" report.html) = 0 &&
	! grep "$(printf "\033")" report.html
'

test_expect_success '--format html: the summary and the runs, every value escaped' '
	c2=$(git -C work rev-parse main~2) &&
	c3=$(git -C work rev-parse main~1) &&
	cat >expect <<-EOF &&
	<body>
	<h1>gitops-guard audit report</h1>
	<table class="meta">
	<tr><th>Made</th><td>2026-03-04T00:00:00Z by gitops-guard VERSION</td></tr>
	<tr><th>Logs</th><td><code>deploy.git/gitops-guard/audit.jsonl</code></td></tr>
	<tr><th>Selection</th><td><code>--break-glass</code></td></tr>
	<tr><th>Lines</th><td>6 read, 0 unreadable</td></tr>
	</table>
	<h2>Summary</h2>
	<p>2 runs from 2026-03-02T08:00:00Z to 2026-03-02T09:00:00Z, 3 findings.</p>
	<h3>Decisions</h3>
	<table>
	<tr><th>Decision</th><th>Runs</th></tr>
	<tr><td>accept</td><td class="n">1</td></tr>
	<tr><td>reject</td><td class="n">1</td></tr>
	</table>
	<h3>Rules</h3>
	<table>
	<tr><th>Rule</th><th>Findings</th><th>Waived</th></tr>
	<tr><td>yaml/invalid</td><td class="n">2</td><td class="n">1</td></tr>
	<tr><td>break-glass/denied</td><td class="n">1</td><td class="n">0</td></tr>
	</table>
	<h3>Pushers</h3>
	<table>
	<tr><th>Pusher</th><th>Runs</th><th>Rejected</th></tr>
	<tr><td>mallory</td><td class="n">1</td><td class="n">1</td></tr>
	<tr><td>oncall</td><td class="n">1</td><td class="n">0</td></tr>
	</table>
	<h3>Break-glass</h3>
	<table>
	<tr><th>Time</th><th>Repository</th><th>Pusher</th><th>Break-glass</th><th>Reason</th></tr>
	<tr><td>2026-03-02T08:00:00Z</td><td>platform/deploy</td><td>mallory</td><td class="denied">denied</td><td>=HYPERLINK(&quot;http://x&quot;) &lt;script&gt;alert(1)&lt;/script&gt;</td></tr>
	<tr><td>2026-03-02T09:00:00Z</td><td>platform/deploy</td><td>oncall</td><td class="granted">granted</td><td>INC-7 restore, &quot;now&quot;</td></tr>
	</table>
	<h2>Runs</h2>
	<table class="runs">
	<thead><tr><th>Time</th><th>Repository</th><th>Pusher</th><th>Hook</th><th>Refs</th><th>Decision</th><th>Blocking</th><th>Warnings</th><th>Waived</th><th>Break-glass</th></tr>
	</thead>
	<tbody>
	<tr class="reject"><td>2026-03-02T08:00:00Z</td><td>platform/deploy</td><td>mallory</td><td>pre-receive</td><td>main</td><td>reject</td><td class="n">2</td><td class="n">0</td><td class="n">0</td><td class="denied">denied</td></tr>
	<tr class="detail"><td colspan="10">Refs: <code>refs/heads/main</code> update <code>$c2..$c3</code><br>
	Push options: <code>gitops.break-glass==HYPERLINK(&quot;http://x&quot;) &lt;script&gt;alert(1)&lt;/script&gt;</code><br>
	Break-glass reason: <code>=HYPERLINK(&quot;http://x&quot;) &lt;script&gt;alert(1)&lt;/script&gt;</code><br>
	Logged at: <code>deploy.git/gitops-guard/audit.jsonl:4</code>
	<table class="findings">
	<tr><th>Rule</th><th>Severity</th><th>Ref</th><th>Path</th><th>Line</th><th>Message</th><th>Waiver</th><th>Waived by</th></tr>
	<tr><td>yaml/invalid</td><td>confirm</td><td>refs/heads/main</td><td>apps/&lt;b&gt;&amp;&quot;x&quot;,&#39;y&#39;/\\x1b[31m=1+1\\u202elmth.yaml</td><td class="n">2</td><td>does not parse as YAML: did not find expected node content</td><td>-</td><td>-</td></tr>
	<tr><td>break-glass/denied</td><td>block</td><td>-</td><td>-</td><td></td><td>break-glass asked for, but the pusher &#39;mallory&#39; is not in break_glass.users</td><td>-</td><td>-</td></tr>
	</table>
	</td></tr>
	<tr class="accept"><td>2026-03-02T09:00:00Z</td><td>platform/deploy</td><td>oncall</td><td>pre-receive</td><td>main</td><td>accept</td><td class="n">0</td><td class="n">0</td><td class="n">1</td><td class="granted">granted</td></tr>
	<tr class="detail"><td colspan="10">Refs: <code>refs/heads/main</code> update <code>$c2..$c3</code><br>
	Push options: <code>gitops.break-glass=INC-7 restore, &quot;now&quot;</code><br>
	Break-glass reason: <code>INC-7 restore, &quot;now&quot;</code><br>
	Logged at: <code>deploy.git/gitops-guard/audit.jsonl:5</code>
	<table class="findings">
	<tr><th>Rule</th><th>Severity</th><th>Ref</th><th>Path</th><th>Line</th><th>Message</th><th>Waiver</th><th>Waived by</th></tr>
	<tr><td>yaml/invalid</td><td>confirm</td><td>refs/heads/main</td><td>apps/&lt;b&gt;&amp;&quot;x&quot;,&#39;y&#39;/\\x1b[31m=1+1\\u202elmth.yaml</td><td class="n">2</td><td>does not parse as YAML: did not find expected node content</td><td>break-glass</td><td>oncall</td></tr>
	</table>
	</td></tr>
	</tbody>
	</table>
	</body>
	</html>
	EOF
	sed -n -e "/^<body>\$/,\$p" report.html >body &&
	gg_stable body >actual &&
	test_cmp expect actual
'

test_expect_success '--format html: the selection and the internal error are shown escaped' '
	gitops-guard audit --log $log --decision error --pusher "<carol>" \
		--pusher carol --format html >report.html &&
	test_grep "<tr><th>Selection</th><td><code>--decision error --pusher &#39;&lt;carol&gt;&#39; --pusher carol</code></td></tr>" report.html &&
	gg_stable report.html >actual &&
	test_grep "^Internal error: <code>TRASH/system.yaml:2:23: bad severity &#39;blok&#39; for &#39;yaml/invalid&#39; (off, info, warn, confirm or block)</code><br>\$" actual
'

# The hooks write these only when something goes wrong: lines of another
# program, an editor, a full disk or a crash.
test_expect_success 'setup: a log with unreadable lines' '
	sed -n 1p $log >mixed.jsonl &&
	echo "not json" >>mixed.jsonl &&
	echo >>mixed.jsonl &&
	sed -n 2p $log | sed -e "s/\$/$(printf "\r")/" >>mixed.jsonl &&
	{ printf "{\"time\":\""; dd if=/dev/zero bs=1048576 count=9 2>/dev/null | tr "\000" x; echo "\"}"; } >>mixed.jsonl &&
	printf "{\"time\":\"2026-03-01\",\"decision\":\"accept\",\"pusher\":\"a\033b\"}\n" >>mixed.jsonl &&
	sed -n 3p $log >>mixed.jsonl &&
	echo "{\"time\":\"2026-03-01\",\"decision\":\"accept\",\"blocking\":\"all\"}" >>mixed.jsonl &&
	sed -n 4p $log | head -c 100 >>mixed.jsonl
'

test_expect_success 'unreadable lines are reported with their number and skipped' '
	cat >expect <<-\EOF &&
	TIME                  REPOSITORY       PUSHER  HOOK         REFS  DECISION  BLOCKING  WARNINGS  WAIVED  BREAK-GLASS
	2026-03-01T09:00:00Z  platform/deploy  alice   pre-receive  main  accept    0         0         0       -
	2026-03-01T10:00:00Z  platform/deploy  bob     pre-receive  main  reject    1         0         0       -
	2026-03-01T10:05:00Z  platform/deploy  bob     pre-receive  main  accept    0         0         1       -
	EOF
	cat >expect.err <<-\EOF &&
	gitops-guard: warning: mixed.jsonl:2: not a JSON object
	gitops-guard: warning: mixed.jsonl:3: empty line
	gitops-guard: warning: mixed.jsonl:5: refused: the line is longer than 8 MiB
	gitops-guard: warning: mixed.jsonl:6: not JSON: control characters are not allowed at byte 52
	gitops-guard: warning: mixed.jsonl:8: '"'blocking'"' is not a number
	gitops-guard: warning: mixed.jsonl:9: cut short (no newline at the end of the log): not JSON at column 101: found unexpected end of stream
	EOF
	gitops-guard audit --log mixed.jsonl >actual 2>err &&
	test_cmp expect actual &&
	test_cmp expect.err err
'

test_expect_success 'the reports count the unreadable lines' '
	gitops-guard audit --log mixed.jsonl --summary --format json \
		>actual 2>err &&
	test_grep "^{\"runs\":3,\"findings\":2,\"first\":\"2026-03-01T09:00:00Z\",\"last\":\"2026-03-01T10:05:00Z\",\"lines\":9,\"unreadable\":6," actual &&
	gitops-guard audit --log mixed.jsonl --format html >actual 2>err &&
	test_grep "^<tr><th>Lines</th><td>9 read, 6 unreadable</td></tr>\$" actual &&
	test_grep "^<li>mixed.jsonl:5: refused: the line is longer than 8 MiB</li>\$" actual
'

test_expect_success 'an empty log matches nothing (exit 1)' '
	: >empty.jsonl &&
	test_expect_code 1 gitops-guard audit --log empty.jsonl >actual 2>err &&
	test_cmp /dev/null actual &&
	test_cmp /dev/null err &&
	test_expect_code 1 gitops-guard audit --log empty.jsonl --summary \
		>actual &&
	test_cmp /dev/null actual &&
	echo "[]" >expect &&
	test_expect_code 1 gitops-guard audit --log empty.jsonl --format json \
		>actual &&
	test_cmp expect actual &&
	test_expect_code 1 gitops-guard audit --log empty.jsonl --format jsonl \
		>actual &&
	test_cmp /dev/null actual &&
	printf "time,repository,pusher,platform,hook,refs,decision,blocking,warnings,waived,break_glass_reason,break_glass_granted,error,log,log_line\r\n" >expect &&
	test_expect_code 1 gitops-guard audit --log empty.jsonl --format csv \
		>actual &&
	test_cmp expect actual &&
	test_expect_code 1 gitops-guard audit --log empty.jsonl --format html \
		>actual &&
	test_grep "^<p>No run matches the selection.</p>\$" actual &&
	test_grep -v "<h2>Runs</h2>" actual &&
	test_grep "^</html>\$" actual
'

test_expect_success 'a summary of no run is all zeros in JSON' '
	echo "{\"runs\":0,\"findings\":0,\"first\":null,\"last\":null,\"lines\":6,\"unreadable\":0,\"decisions\":[],\"rules\":[],\"pushers\":[],\"break_glass\":[]}" >expect &&
	test_expect_code 1 gitops-guard audit --log $log --pusher nobody \
		--summary --format json >actual &&
	test_cmp expect actual
'

test_expect_success 'findings wanted but none selected: exit 1' '
	test_expect_code 1 gitops-guard audit --log $log --pusher alice \
		--findings >actual &&
	test_cmp /dev/null actual
'

test_expect_success 'a log that cannot be opened or read is an error (exit 2)' '
	test_expect_code 2 gitops-guard audit --log $log --log nope.jsonl \
		>actual 2>err &&
	test_cmp /dev/null actual &&
	echo "gitops-guard: cannot open audit log '"'nope.jsonl'"': No such file or directory" >expect &&
	test_cmp expect err &&
	mkdir dir.jsonl &&
	test_expect_code 2 gitops-guard audit --log dir.jsonl >actual 2>err &&
	test_cmp /dev/null actual &&
	echo "gitops-guard: cannot read '"'dir.jsonl'"': Is a directory" >expect &&
	test_cmp expect err
'

test_expect_success 'a repository whose policy turns the log off is an error' '
	gg_bare_repo quiet.git &&
	gg_write quiet.yaml <<-\EOF &&
	version: 1
	audit: {log: "off"}
	EOF
	git -C quiet.git config gitops-guard.policy "$GG_TRASH/quiet.yaml" &&
	test_expect_code 2 gitops-guard audit --repo quiet.git >actual 2>err &&
	test_cmp /dev/null actual &&
	echo "gitops-guard: the policy of '"'$GG_TRASH/quiet.git'"' turns the audit log off (audit.log: off); name a log with --log" >expect &&
	test_cmp expect err
'

test_expect_success 'a broken policy hides where the log is, not the log' '
	cp system.yaml system.good &&
	test_when_finished "mv system.good system.yaml" &&
	printf "version: 1\nrules: {yaml/invalid: blok}\n" >system.yaml &&
	test_expect_code 2 gitops-guard audit --repo deploy.git >actual 2>err &&
	test_cmp /dev/null actual &&
	echo "gitops-guard: cannot find the audit log of '"'deploy.git'"': $GG_TRASH/system.yaml:2:23: bad severity '"'blok'"' for '"'yaml/invalid'"' (off, info, warn, confirm or block); name it with --log" >expect &&
	test_cmp expect err &&
	gitops-guard audit --log $log --decision error >actual &&
	test $(wc -l <actual) = 2
'

test_expect_success 'a repository without a log yet is an error' '
	gg_bare_repo new.git &&
	test_expect_code 2 gitops-guard audit --repo new.git >actual 2>err &&
	test_cmp /dev/null actual &&
	echo "gitops-guard: cannot open audit log '"'$GG_TRASH/new.git/gitops-guard/audit.jsonl'"': No such file or directory" >expect &&
	test_cmp expect err
'

test_expect_success 'usage errors exit 2 and print nothing' '
	for args in "--format xml" "--findings --summary" \
		"--summary --format csv" "--since tomorrow" \
		"--until 2026-13-01" "--decision accepted" "--rule [x" \
		"--frobnicate" "extra"
	do
		test_expect_code 2 gitops-guard audit --log $log $args \
			>actual 2>err &&
		test_cmp /dev/null actual &&
		test -s err || return 1
	done &&
	test_expect_code 2 gitops-guard audit --log $log --decision accepted \
		2>err &&
	echo "gitops-guard: --decision: unknown decision '"'accepted'"' (accept, reject, error or error-accepted)" >expect &&
	test_cmp expect err &&
	test_expect_code 2 gitops-guard audit --since tomorrow 2>err &&
	test_grep "^gitops-guard: --since: '"'tomorrow'"' is not a time (ISO 8601" err &&
	test_expect_code 2 gitops-guard audit --summary --format csv 2>err &&
	echo "gitops-guard: the summary has no CSV form; use --format table, json or html" >expect &&
	test_cmp expect err
'

test_done
