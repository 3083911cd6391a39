#!/bin/sh
test_description='audit log lines and git notes for accepted pushes'
. "$(dirname "$0")/lib.sh"

GITOPS_GUARD_NOW=2026-03-01T12:00:00Z
export GITOPS_GUARD_NOW

# gg_audit_fields <log> <line> <field>...: print "<field>=<json>" for
# each field (dotted paths into the object: refs.0.kind) of line <line>
# (1-based; -1 the last) of a JSON lines file.  Fails when a line is not
# a JSON object.
gg_audit_fields() {
	python3 - "$@" <<-\EOF
	import json, sys

	path, n = sys.argv[1], int(sys.argv[2])
	with open(path, "rb") as f:
	    lines = f.read().decode("utf-8").split("\n")
	if lines[-1] != "":
	    sys.exit("%s does not end in a newline" % path)
	objs = [json.loads(l) for l in lines[:-1]]
	obj = objs[n - 1] if n > 0 else objs[n]
	for field in sys.argv[3:]:
	    v = obj
	    for part in field.split("."):
	        v = v[int(part)] if isinstance(v, list) else v[part]
	    print("%s=%s" % (field, json.dumps(v, sort_keys=True)))
	EOF
}

# gg_json_unique_keys <file>: every line is JSON and no object in it
# repeats a key (parsers differ on which one wins).
gg_json_unique_keys() {
	python3 - "$1" <<-\EOF
	import json, sys

	def no_dups(pairs):
	    keys = [k for k, _ in pairs]
	    dup = sorted(set(k for k in keys if keys.count(k) > 1))
	    if dup:
	        sys.exit("duplicate keys: %s" % dup)
	    return dict(pairs)

	for line in open(sys.argv[1], encoding="utf-8"):
	    json.loads(line, object_pairs_hook=no_dups)
	EOF
}

# gg_note <repo> <commit>: the gitops-guard note of <commit>, or nothing.
gg_note() {
	git -C "$1" notes --ref gitops-guard show "$2" 2>/dev/null
}

test_expect_success 'setup: server with pre-receive and post-receive' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	gg_install_hook server.git post-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	EOF
	git init -q work &&
	gg_write work/apps/guestbook/deploy.yaml <<-\EOF &&
	kind: Deployment
	EOF
	gg_commit work initial &&
	gitops-guard version >version &&
	version=$(sed -e "s/^gitops-guard //" version) &&
	test -n "$version"
'
gg_system_policy system.yaml
log=server.git/gitops-guard/audit.jsonl
version=$(sed -e "s/^gitops-guard //" version 2>/dev/null)

test_expect_success 'a push appends one line to gitops-guard/audit.jsonl' '
	gg_push_expect_accept work ../server.git main &&
	test_line_count=$(wc -l <$log) &&
	test $test_line_count = 1 &&
	test_grep "^{\"time\":\"2026-03-01T12:00:00Z\",\"version\":\"$version\"," $log
'

test_expect_success PYTHON3 'the event is a JSON object with the run'"'"'s fields' '
	main=$(git -C work rev-parse main) &&
	gg_audit_fields $log 1 time repository pusher platform hook refs \
		push_options decision findings blocking warnings waived \
		remarks break_glass_reason break_glass_granted >actual &&
	cat >expect <<-EOF &&
	time="2026-03-01T12:00:00Z"
	repository="$GG_TRASH/server.git"
	pusher=null
	platform="git"
	hook="pre-receive"
	refs=[{"kind": "create", "new": "$main", "old": "$ZERO_OID", "ref": "refs/heads/main"}]
	push_options=[]
	decision="accept"
	findings=[]
	blocking=0
	warnings=0
	waived=0
	remarks=[]
	break_glass_reason=null
	break_glass_granted=false
	EOF
	test_cmp expect actual &&
	gg_audit_fields $log 1 duration_ms >actual &&
	test_grep "^duration_ms=[0-9][0-9]*$" actual
'

test_expect_success PYTHON3 'the event repeats no key' '
	gg_json_unique_keys $log
'

test_expect_success 'a clean push gets no note' '
	test -z "$(gg_note server.git main)" &&
	test_must_fail git -C server.git rev-parse -q --verify refs/notes/gitops-guard
'

test_expect_success 'an accepted push with a warning is logged with the finding' '
	printf "a: [\n" >work/apps/guestbook/broken.yaml &&
	gg_commit work broken &&
	(
		REMOTE_USER=alice && export REMOTE_USER &&
		gg_push_expect_accept work -o gitops.verbose ../server.git main
	) &&
	test $(wc -l <$log) = 2 &&
	test_grep "\"decision\":\"accept\"" $log
'

test_expect_success PYTHON3 'the warning, the pusher and the push options are in the event' '
	gg_audit_fields $log -1 pusher pusher_source platform push_options \
		decision warnings findings.0.rule findings.0.severity \
		findings.0.ref findings.0.path findings.0.line \
		findings.0.waiver findings.0.waived_by >actual &&
	cat >expect <<-\EOF &&
	pusher="alice"
	pusher_source="REMOTE_USER"
	platform="http"
	push_options=["gitops.verbose"]
	decision="accept"
	warnings=1
	findings.0.rule="yaml/invalid"
	findings.0.severity="warn"
	findings.0.ref="refs/heads/main"
	findings.0.path="apps/guestbook/broken.yaml"
	findings.0.line=2
	findings.0.waiver=null
	findings.0.waived_by=null
	EOF
	test_cmp expect actual
'

test_expect_success 'post-receive notes the warning on the pushed commit' '
	cat >expect <<-EOF &&
	gitops-guard $version, 2026-03-01T12:00:00Z, pushed by alice
	[yaml/invalid] apps/guestbook/broken.yaml: does not parse as YAML: did not find expected node content
	EOF
	gg_note server.git main >actual &&
	test_cmp expect actual
'

test_expect_success 'no pending note text is left behind' '
	ls server.git/gitops-guard/pending >pending &&
	test_cmp /dev/null pending
'

test_expect_success 'a rejected push is logged as such and gets no note' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: confirm}
	EOF
	before=$(gg_ref server.git main) &&
	printf "b: [\n" >work/apps/guestbook/broken2.yaml &&
	gg_commit work broken2 &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	test "$(gg_ref server.git main)" = "$before" &&
	test $(wc -l <$log) = 3 &&
	tail -n 1 $log >last &&
	test_grep "\"decision\":\"reject\"" last &&
	test_grep "\"blocking\":1," last &&
	test -z "$(gg_note server.git "$(git -C work rev-parse main)")" &&
	ls server.git/gitops-guard/pending >pending &&
	test_cmp /dev/null pending
'

test_expect_success 'a confirmed push is logged with its waiver and noted' '
	(
		GL_USERNAME=gina && export GL_USERNAME &&
		gg_push_expect_accept work \
			-o gitops.confirm=yaml/invalid:apps/guestbook \
			../server.git main
	) &&
	test $(wc -l <$log) = 4 &&
	cat >expect <<-EOF &&
	gitops-guard $version, 2026-03-01T12:00:00Z, pushed by gina
	[yaml/invalid] apps/guestbook/broken2.yaml: does not parse as YAML: did not find expected node content (confirmed by gina)
	EOF
	gg_note server.git main >actual &&
	test_cmp expect actual
'

test_expect_success PYTHON3 'the waiver is in the event' '
	gg_audit_fields $log -1 pusher push_options decision blocking waived \
		findings.0.severity findings.0.waiver findings.0.waived_by \
		>actual &&
	cat >expect <<-\EOF &&
	pusher="gina"
	push_options=["gitops.confirm=yaml/invalid:apps/guestbook"]
	decision="accept"
	blocking=0
	waived=1
	findings.0.severity="confirm"
	findings.0.waiver="confirm"
	findings.0.waived_by="gina"
	EOF
	test_cmp expect actual
'

test_expect_success PYTHON3 'a trailer confirmation is logged as a trailer' '
	printf "c: [\n" >work/apps/guestbook/broken3.yaml &&
	git -C work add -A &&
	git -C work commit -q -m "broken3

Gitops-Confirm: yaml/invalid" &&
	gg_push_expect_accept work ../server.git main &&
	gg_audit_fields $log -1 push_options findings.0.waiver >actual &&
	cat >expect <<-\EOF &&
	push_options=[]
	findings.0.waiver="trailer"
	EOF
	test_cmp expect actual
'

test_expect_success PYTHON3 'break-glass is logged with its reason' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: block}
	break_glass: {users: [oncall]}
	EOF
	printf "d: [\n" >work/apps/guestbook/broken4.yaml &&
	gg_commit work broken4 &&
	(
		REMOTE_USER=oncall && export REMOTE_USER &&
		gg_push_expect_accept work \
			-o "gitops.break-glass=INC-7 restore service" \
			../server.git main
	) &&
	gg_audit_fields $log -1 decision break_glass_reason \
		break_glass_granted findings.0.waiver findings.0.waived_by \
		>actual &&
	cat >expect <<-\EOF &&
	decision="accept"
	break_glass_reason="INC-7 restore service"
	break_glass_granted=true
	findings.0.waiver="break-glass"
	findings.0.waived_by="oncall"
	EOF
	test_cmp expect actual &&
	gg_note server.git main >note &&
	test_grep "^\[yaml/invalid\] apps/guestbook/broken4.yaml: .* (break-glass by oncall: INC-7 restore service)$" note
'

test_expect_success PYTHON3 'a denied break-glass is logged as a rejection' '
	before=$(gg_ref server.git main) &&
	git -C work commit -q --allow-empty -m "innocent" &&
	(
		REMOTE_USER=mallory && export REMOTE_USER &&
		test_must_fail gg_push push.out work \
			-o "gitops.break-glass=INC-7 restore service" \
			../server.git main
	) &&
	test "$(gg_ref server.git main)" = "$before" &&
	gg_audit_fields $log -1 pusher decision break_glass_reason \
		break_glass_granted findings.0.rule >actual &&
	cat >expect <<-\EOF &&
	pusher="mallory"
	decision="reject"
	break_glass_reason="INC-7 restore service"
	break_glass_granted=false
	findings.0.rule="break-glass/denied"
	EOF
	test_cmp expect actual
'

test_expect_success PYTHON3 'odd bytes in paths keep the log valid JSON' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	EOF
	printf "a: [\n" >"$(printf "work/apps/x\033\n\377.yaml")" &&
	gg_commit work odd &&
	gg_push_expect_accept work ../server.git main &&
	gg_audit_fields $log -1 findings.0.path >actual &&
	cat >expect <<-\EOF &&
	findings.0.path="apps/x\u001b\n\ufffd.yaml"
	EOF
	test_cmp expect actual
'

test_expect_success 'several refs in one push: one line, every ref in it' '
	lines=$(wc -l <$log) &&
	git -C work branch topic-a &&
	git -C work branch topic-b &&
	gg_push_expect_accept work ../server.git topic-a topic-b &&
	test $(wc -l <$log) = $((lines + 1)) &&
	tail -n 1 $log >last &&
	test_grep "\"ref\":\"refs/heads/topic-a\"" last &&
	test_grep "\"ref\":\"refs/heads/topic-b\"" last &&
	test_grep "\"refs_checked\":0," last
'

test_expect_success PYTHON3 'warning lines are logged as remarks' '
	git -C work commit -q --allow-empty -m remark &&
	gg_push_expect_accept work -o gitops.nonsense ../server.git main &&
	gg_audit_fields $log -1 warnings remarks >actual &&
	cat >expect <<-\EOF &&
	warnings=0
	remarks=["unknown push option '"'gitops.nonsense'"' (known: gitops.confirm=, gitops.break-glass=, gitops.verbose)"]
	EOF
	test_cmp expect actual &&
	gg_json_unique_keys $log
'

test_expect_success 'audit: {log: off} writes no line' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	audit: {log: "off"}
	EOF
	lines=$(wc -l <$log) &&
	git -C work commit -q --allow-empty -m quiet &&
	gg_push_expect_accept work ../server.git main &&
	test $(wc -l <$log) = $lines
'

test_expect_success 'audit: {log: <file>} moves the log' '
	gg_write system.yaml <<-EOF &&
	version: 1
	audit: {log: "$GG_TRASH/logs/audit.jsonl"}
	EOF
	lines=$(wc -l <$log) &&
	git -C work commit -q --allow-empty -m elsewhere &&
	gg_push_expect_accept work ../server.git main &&
	test $(wc -l <$log) = $lines &&
	test $(wc -l <logs/audit.jsonl) = 1 &&
	test_grep "\"ref\":\"refs/heads/main\"" logs/audit.jsonl
'

test_expect_success 'an unwritable audit log warns but does not change the verdict' '
	gg_write system.yaml <<-EOF &&
	version: 1
	audit: {log: "$GG_TRASH/system.yaml/audit.jsonl"}
	EOF
	git -C work commit -q --allow-empty -m unlogged &&
	gg_push_expect_accept work ../server.git main &&
	gg_remote_lines push.out >actual &&
	test_grep "^warning: gitops-guard: cannot open audit log .*system.yaml/audit.jsonl" actual &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'notes accumulate on a commit pushed to two guarded refs' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	branches: ["release/*"]
	EOF
	printf "e: [\n" >work/apps/guestbook/broken5.yaml &&
	gg_commit work broken5 &&
	git -C work branch release/1 &&
	gg_push_expect_accept work ../server.git main release/1 &&
	gg_note server.git main >note &&
	test $(grep -c "^\[yaml/invalid\] apps/guestbook/broken5.yaml: " note) = 2 &&
	test $(grep -c "^gitops-guard $version, " note) = 2
'

test_done
