#!/bin/sh
test_description='webhook: retries across runs, giving up with a record in the audit log, spool bounds'
. "$(dirname "$0")/lib.sh"
. "$GG_TEST_DIR/lib-webhook.sh"

GITOPS_GUARD_NOW=2026-03-01T12:00:00Z
export GITOPS_GUARD_NOW
now=1772366400

log=server.git/gitops-guard/audit.jsonl
spool=server.git/gitops-guard/spool

# reject: a rejected push, which leaves one event in the spool
reject() {
	printf "a: [\n" >work/apps/web/bad.yaml &&
	gg_commit work bad &&
	test_must_fail gg_push push.out work ../server.git main &&
	git -C work reset -q --hard HEAD^
}

# flush_at <seconds after now> [<args>]: webhook flush at that time
flush_at() {
	t_=$1
	shift
	GITOPS_GUARD_NOW=@$((now + t_)) gitops-guard webhook flush "$@" \
		server.git
}

# without_ids <file>: the lines with every "id" value replaced by ID
without_ids() {
	sed -e 's/"id":"[^"]*"/"id":"ID"/' "$1"
}

test_expect_success 'setup: a server with pre-receive, a failing webhook' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	gg_httpd_start srv &&
	gg_httpd_mode srv "500 boom" &&
	gg_webhook_policy system.yaml "http://127.0.0.1:$(cat srv/port)/hook" \
		"rules: {yaml/invalid: confirm}" &&
	git init -q work &&
	gg_write work/apps/web/deploy.yaml <<-\EOF &&
	kind: Deployment
	EOF
	gg_commit work initial &&
	gitops-guard version | sed -e "s/^gitops-guard //" >version
'
gg_system_policy system.yaml
url="http://127.0.0.1:$(cat srv/port 2>/dev/null)/hook"

test_expect_success 'each run after the backoff is one more attempt' '
	reject &&
	gg_log_id $log >id &&
	for i in 1 2 3; do
		test_expect_code 1 flush_at $((i * 7200)) >out 2>err || return 1
	done &&
	test $(gg_httpd_count srv) = 3 &&
	gitops-guard webhook list server.git >list &&
	echo "$(cat id) 2026-03-01T12:00:00Z attempts 3 next 2026-03-01T18:02:00Z error '"'$url'"' answered HTTP 500: boom" >expect &&
	test_cmp expect list
'

test_expect_success 'the backoff doubles: 30 s, 60 s, 120 s ... up to an hour' '
	flush_at 21660 >out &&
	test_grep " 1 waiting$" out &&
	test_expect_code 1 flush_at 28800 >out &&
	gitops-guard webhook list server.git >list &&
	test_grep " attempts 4 next 2026-03-01T20:04:00Z " list &&
	for i in 5 6 7 8 9; do
		test_expect_code 1 flush_at $((i * 7200)) >out || return 1
	done &&
	gitops-guard webhook list server.git >list &&
	test_grep " attempts 9 next 2026-03-02T07:00:00Z " list
'

test_expect_success 'after 20 failed attempts the event is given up' '
	for i in $(seq 10 19); do
		test_expect_code 1 flush_at $((i * 7200)) >out || return 1
	done &&
	test_expect_code 1 flush_at $((20 * 7200)) >out 2>err &&
	echo "server.git: 0 delivered, 0 failed, 1 given up, 0 waiting" >expect &&
	test_cmp expect out &&
	echo "warning: gitops-guard: audit webhook: gave up on event $(cat id) (attempts: '"'$url'"' answered HTTP 500: boom); it is in the audit log only" >expect &&
	test_cmp expect err &&
	test $(gg_httpd_count srv) = 20 &&
	test $(gg_spool_count $spool) = 0
'

test_expect_success 'the audit log records it, and still has the event' '
	tail -n 1 $log >last &&
	without_ids last >actual &&
	cat >expect <<-EOF &&
	{"time":"2026-03-03T04:00:00Z","version":"$(cat version)","id":"ID","type":"webhook-gave-up","repository":"$GG_TRASH/server.git","by":"gitops-guard webhook flush","event_id":"$(cat id)","spooled":"2026-03-01T12:00:00Z","attempts":20,"reason":"attempts","error":"'"'$url'"' answered HTTP 500: boom"}
	EOF
	test_cmp expect actual &&
	test $(grep -c "\"id\":\"$(cat id)\"" $log) = 1
'

test_expect_success 'gitops-guard audit reads the runs and passes over the record' '
	gitops-guard audit --log $log --format json >out 2>err &&
	! test -s err &&
	test_grep "\"id\":\"$(cat id)\"" out &&
	test_grep -v "webhook-gave-up" out
'

test_expect_success PYTHON3 'the audit log stays one JSON object per line' '
	python3 -c "
import json, sys
for line in open(sys.argv[1], encoding=\"utf-8\"):
    json.loads(line)
" $log
'

test_expect_success 'an event older than seven days is given up without a try' '
	reject &&
	gg_log_id $log >id &&
	n=$(gg_httpd_count srv) &&
	test_expect_code 1 flush_at $((7 * 86400 + 1)) >out 2>err &&
	echo "server.git: 0 delivered, 0 failed, 1 given up, 0 waiting" >expect &&
	test_cmp expect out &&
	echo "warning: gitops-guard: audit webhook: gave up on event $(cat id) (age); it is in the audit log only" >expect &&
	test_cmp expect err &&
	test $(gg_httpd_count srv) = $n &&
	tail -n 1 $log >last &&
	test_grep "\"event_id\":\"$(cat id)\",\"spooled\":\"2026-03-01T12:00:00Z\",\"attempts\":0,\"reason\":\"age\",\"error\":null}$" last
'

test_expect_success 'seven days to the second is not too old' '
	reject &&
	test_expect_code 1 flush_at $((7 * 86400)) >out &&
	echo "server.git: 0 delivered, 1 failed, 0 given up, 0 waiting" >expect &&
	test_cmp expect out &&
	rm -rf $spool
'

test_expect_success 'a spool file that is not an event is given up' '
	mkdir -p $spool &&
	echo "{}" >$spool/00000000000000000001-garbage.event &&
	test_expect_code 1 gitops-guard webhook flush server.git >out 2>err &&
	cat >expect <<-EOF &&
	warning: gitops-guard: audit webhook: '"'$GG_TRASH/$spool/00000000000000000001-garbage.event'"': not a spooled event
	warning: gitops-guard: audit webhook: gave up on event garbage (unreadable); it is in the audit log only
	EOF
	test_cmp expect err &&
	test_grep "\"event_id\":\"garbage\",\"spooled\":null,\"attempts\":0,\"reason\":\"unreadable\",\"error\":null}$" $log &&
	test $(gg_spool_count $spool) = 0
'

test_expect_success 'other files in the spool are left alone' '
	echo keep >$spool/README &&
	echo keep >$spool/.tmp-1-x &&
	gitops-guard webhook flush server.git >out &&
	test_cmp /dev/null out &&
	test -f $spool/README &&
	test -f $spool/.tmp-1-x &&
	rm -f $spool/README $spool/.tmp-1-x
'

test_expect_success 'a full spool gives its oldest event up to take a new one' '
	awk -v dir="$spool" -v now=$now "BEGIN {
		for (i = 1; i <= 1000; i++) {
			f = sprintf(\"%s/%020d-old-%04d.event\", dir, i, i)
			printf \"gitops-guard spool 1\\nid old-%04d\\n\", i >f
			printf \"spooled %d\\nattempts 0\\nnext %d\\n\\n{}\\n\", now, now >f
			close(f)
		}
	}" &&
	test $(gg_spool_count $spool) = 1000 &&
	reject &&
	gg_remote_lines push.out >lines &&
	test_grep "^warning: gitops-guard: audit webhook: gave up on event old-0001 (spool-full); it is in the audit log only$" lines &&
	test $(gg_spool_count $spool) = 1000 &&
	! test -f $spool/00000000000000000001-old-0001.event &&
	gg_log_id $log $(($(wc -l <$log) - 1)) >id &&
	test -n "$(cat id)" &&
	ls $spool | grep -F -- "-$(cat id).event" &&
	tail -n 1 $log >last &&
	test_grep "\"type\":\"webhook-gave-up\",.*\"by\":\"pre-receive\",\"event_id\":\"old-0001\",.*\"reason\":\"spool-full\"" last
'

test_expect_success 'a flush in progress holds the spool; another does nothing' '
	flock $spool/.lock gitops-guard webhook flush server.git >out &&
	echo "server.git: another delivery is running; nothing done" >expect &&
	test_cmp expect out &&
	test $(gg_spool_count $spool) = 1000
'

test_expect_success 'when the server is back, one flush delivers everything' '
	gg_httpd_mode srv 200 &&
	n=$(gg_httpd_count srv) &&
	flush_at 3600 >out &&
	echo "server.git: 1000 delivered, 0 failed, 0 given up, 0 waiting" >expect &&
	test_cmp expect out &&
	test $(gg_httpd_count srv) = $((n + 1000)) &&
	test $(gg_spool_count $spool) = 0 &&
	test_grep "\"decision\":\"reject\"" srv/body-$((n + 1000))
'

test_done
