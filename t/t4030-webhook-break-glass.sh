#!/bin/sh
test_description='webhook: break-glass events are posted at once by the judging hook, within the deadline'
. "$(dirname "$0")/lib.sh"
. "$GG_TEST_DIR/lib-webhook.sh"

GITOPS_GUARD_NOW=2026-03-01T12:00:00Z
export GITOPS_GUARD_NOW

log=server.git/gitops-guard/audit.jsonl
spool=server.git/gitops-guard/spool

# policy <url> [<yaml line>...]: yaml/invalid blocks, oncall may break glass
policy() {
	u_=$1
	shift
	gg_webhook_policy system.yaml "$u_" "$@" \
		"rules: {yaml/invalid: block}" "break_glass: {users: [oncall]}"
}

# broken: commit a file that does not parse
broken() {
	printf "a: [\n" >"work/apps/web/${1:-bad}.yaml" &&
	gg_commit work "${1:-bad}"
}

# glass <user> [<push args>]: push main as <user>, asking for break-glass
glass() {
	(
		REMOTE_USER=$1 && export REMOTE_USER &&
		gg_push push.out work -o "gitops.break-glass=INC-7 restore service" \
			../server.git main
	)
}

test_expect_success 'setup: a server with pre-receive only, a stub webhook' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	gg_httpd_start srv &&
	gg_httpd_start down &&
	gg_httpd_stop down &&
	git init -q work &&
	gg_write work/apps/web/deploy.yaml <<-\EOF &&
	kind: Deployment
	EOF
	gg_commit work initial
'
gg_system_policy system.yaml
url="http://127.0.0.1:$(cat srv/port 2>/dev/null)/hook"
down="http://127.0.0.1:$(cat down/port 2>/dev/null)/hook"

test_expect_success 'a granted break-glass is posted by pre-receive itself' '
	policy "$url" &&
	broken bad1 &&
	glass oncall &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	test $(gg_httpd_count srv) = 1 &&
	test_grep "\"hook\":\"pre-receive\"" srv/body-1 &&
	test_grep "\"break_glass_reason\":\"INC-7 restore service\",\"break_glass_granted\":true," srv/body-1 &&
	tr -d "\r" <srv/req-1 >req &&
	test_grep "^Idempotency-Key: $(gg_log_id $log)$" req &&
	printf "%s" "$(tail -n 1 $log)" >expect &&
	test_cmp expect srv/body-1 &&
	test $(gg_spool_count $spool) = 0
'

test_expect_success 'a denied break-glass is posted at once too' '
	broken bad2 &&
	test_must_fail glass mallory &&
	test $(gg_httpd_count srv) = 2 &&
	test_grep "\"decision\":\"reject\"" srv/body-2 &&
	test_grep "\"break_glass_granted\":false," srv/body-2 &&
	test_grep "\"rule\":\"break-glass/denied\"" srv/body-2 &&
	test $(gg_spool_count $spool) = 0 &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'a push without break-glass is only spooled' '
	broken bad3 &&
	test_must_fail gg_push push.out work ../server.git main &&
	test $(gg_httpd_count srv) = 2 &&
	test $(gg_spool_count $spool) = 1 &&
	git -C work reset -q --hard HEAD^ &&
	rm -rf $spool
'

test_expect_success 'the update hook posts a break-glass trailer at once' '
	gg_bare_repo upd.git &&
	gg_install_hook upd.git update &&
	printf "a: [\n" >work/apps/web/bad4.yaml &&
	git -C work add -A &&
	git -C work commit -q -m "bad4

Gitops-Break-Glass: INC-8 restore the service" &&
	(
		REMOTE_USER=oncall && export REMOTE_USER &&
		gg_push push.out work ../upd.git main
	) &&
	test $(gg_httpd_count srv) = 3 &&
	test_grep "\"hook\":\"update\"" srv/body-3 &&
	test_grep "\"break_glass_granted\":true," srv/body-3 &&
	test $(gg_spool_count upd.git/gitops-guard/spool) = 0
'

test_expect_success 'the server down: accepted, the event spooled with one attempt' '
	policy "$down" &&
	broken bad5 &&
	glass oncall &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	gg_remote_lines push.out >lines &&
	test_grep "^warning: gitops-guard: audit webhook: cannot post to '"'$down'"': .*; the break-glass event stays spooled$" lines &&
	gitops-guard webhook list server.git >list &&
	test_grep "^$(gg_log_id $log) 2026-03-01T12:00:00Z attempts 1 next 2026-03-01T12:00:30Z error cannot post to " list
'

test_expect_success 'it is delivered by a flush once its backoff has passed' '
	policy "$url" &&
	GITOPS_GUARD_NOW=2026-03-01T12:00:30Z gitops-guard webhook flush server.git >out &&
	echo "server.git: 1 delivered, 0 failed, 0 given up, 0 waiting" >expect &&
	test_cmp expect out &&
	test_grep "\"break_glass_granted\":true," srv/body-4
'

test_expect_success 'a hanging server: the post ends at timeout_ms, the push is accepted' '
	policy "$url" "    timeout_ms: 500" &&
	gg_httpd_mode srv hang &&
	broken bad6 &&
	start=$(gg_ms) &&
	glass oncall &&
	elapsed=$(($(gg_ms) - start)) &&
	echo "push took $elapsed ms" &&
	test $elapsed -ge 500 &&
	test $elapsed -lt 10000 &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	gg_remote_lines push.out >lines &&
	test_grep "^warning: gitops-guard: audit webhook: no answer from '"'$url'"' within 500 ms; the break-glass event stays spooled$" lines &&
	test_grep "^gitops-guard: push accepted" lines &&
	test $(gg_spool_count $spool) = 1
'

test_expect_success 'the post never outlasts the deadline, whatever timeout_ms says' '
	rm -rf $spool &&
	policy "$url" "    timeout_ms: 20000" \
		"limits: {deadline_ms: 2500, on_timeout: accept}" &&
	broken bad7 &&
	start=$(gg_ms) &&
	glass oncall &&
	elapsed=$(($(gg_ms) - start)) &&
	echo "push took $elapsed ms" &&
	test $elapsed -lt 15000 &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	test $(gg_spool_count $spool) = 1 &&
	gg_remote_lines push.out >lines &&
	if grep "no answer from" lines >warning
	then
		ms=$(sed -e "s/.* within \([0-9]*\) ms;.*/\1/" warning) &&
		echo "the post was given $ms ms" &&
		test "$ms" -lt 2500
	fi
'

test_expect_success 'post-receive does not post a delivered break-glass event again' '
	gg_install_hook server.git post-receive &&
	gg_httpd_mode srv 200 &&
	policy "$url" &&
	rm -rf $spool &&
	n=$(gg_httpd_count srv) &&
	broken bad8 &&
	glass oncall &&
	test $(gg_httpd_count srv) = $((n + 1)) &&
	test $(gg_spool_count $spool) = 0
'

test_done
