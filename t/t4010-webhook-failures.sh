#!/bin/sh
test_description='webhook: a server that is down, fails, hangs, redirects or speaks no TLS never changes a verdict'
. "$(dirname "$0")/lib.sh"
. "$GG_TEST_DIR/lib-webhook.sh"

GITOPS_GUARD_NOW=2026-03-01T12:00:00Z
export GITOPS_GUARD_NOW

log=server.git/gitops-guard/audit.jsonl
spool=server.git/gitops-guard/spool

# policy <url> [<yaml line>...]: the system policy with that webhook
policy() {
	gg_webhook_policy system.yaml "$@"
}

# fresh: an empty spool, and a new commit to push
fresh() {
	rm -rf $spool &&
	git -C work commit -q --allow-empty -m "${1:-next}"
}

test_expect_success 'setup: a server with both hooks, stub webhooks' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	gg_install_hook server.git post-receive &&
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
port=$(cat srv/port 2>/dev/null)
url="http://127.0.0.1:$port/hook"
down="http://127.0.0.1:$(cat down/port 2>/dev/null)/hook"

test_expect_success 'a server that is down: the push is accepted, with a warning' '
	policy "$down" &&
	fresh &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	gg_remote_lines push.out >lines &&
	test_grep "^warning: gitops-guard: audit webhook: cannot post to '"'$down'"': .*; 1 event stays spooled$" lines
'

test_expect_success 'the event stays spooled with its attempt and error' '
	test $(gg_spool_count $spool) = 1 &&
	gitops-guard webhook list server.git >list &&
	test_grep "^$(gg_log_id $log) 2026-03-01T12:00:00Z attempts 1 next 2026-03-01T12:00:30Z error cannot post to '"'$down'"': " list
'

test_expect_success 'before its backoff has passed it is not tried again' '
	gitops-guard webhook flush server.git >out 2>err &&
	echo "server.git: 0 delivered, 0 failed, 0 given up, 1 waiting" >expect &&
	test_cmp expect out &&
	test_cmp /dev/null err
'

test_expect_success 'after the backoff it is tried again and the attempt counted' '
	test_expect_code 1 env GITOPS_GUARD_NOW=@$((1772366400 + 30)) \
		gitops-guard webhook flush server.git >out 2>err &&
	echo "server.git: 0 delivered, 1 failed, 0 given up, 0 waiting" >expect &&
	test_cmp expect out &&
	test_grep "^warning: gitops-guard: audit webhook: cannot post to " err &&
	gitops-guard webhook list server.git >list &&
	test_grep " attempts 2 next 2026-03-01T12:01:30Z error " list
'

test_expect_success 'flush --all ignores the backoff; the key is the event id' '
	policy "$url" &&
	n=$(gg_httpd_count srv) &&
	gitops-guard webhook flush --all server.git >out &&
	echo "server.git: 1 delivered, 0 failed, 0 given up, 0 waiting" >expect &&
	test_cmp expect out &&
	tr -d "\r" <srv/req-$((n + 1)) >req &&
	test_grep "^Idempotency-Key: $(gg_log_id $log)$" req &&
	test $(gg_spool_count $spool) = 0
'

test_expect_success 'an error status counts an attempt and the pass goes on' '
	policy "$url" "rules: {yaml/invalid: confirm}" &&
	fresh &&
	for i in 1 2; do
		printf "a: [\n" >work/apps/web/bad$i.yaml &&
		gg_commit work bad$i &&
		test_must_fail gg_push push.out work ../server.git main &&
		git -C work reset -q --hard HEAD^ || return 1
	done &&
	test $(gg_spool_count $spool) = 2 &&
	gg_httpd_mode srv "500 boom" &&
	n=$(gg_httpd_count srv) &&
	test_expect_code 1 gitops-guard webhook flush server.git >out 2>err &&
	echo "server.git: 0 delivered, 2 failed, 0 given up, 0 waiting" >expect &&
	test_cmp expect out &&
	echo "warning: gitops-guard: audit webhook: '"'$url'"' answered HTTP 500: boom; 2 events stay spooled" >expect &&
	test_cmp expect err &&
	test $(gg_httpd_count srv) = $((n + 2))
'

test_expect_success 'no connection at all ends the pass after one attempt' '
	policy "$down" &&
	test_expect_code 1 env GITOPS_GUARD_NOW=@$((1772366400 + 7200)) \
		gitops-guard webhook flush server.git >out 2>err &&
	echo "server.git: 0 delivered, 1 failed, 0 given up, 1 waiting" >expect &&
	test_cmp expect out &&
	test_grep "; 2 events stay spooled$" err &&
	gitops-guard webhook list server.git >list &&
	sed -e "s/.* attempts \([0-9]*\) .*/\1/" list >actual &&
	printf "2\n1\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a hanging server: post-receive gives up after timeout_ms' '
	policy "$url" "    timeout_ms: 500" &&
	gg_httpd_mode srv hang &&
	fresh hang &&
	start=$(gg_ms) &&
	gg_push_expect_accept work ../server.git main &&
	elapsed=$(($(gg_ms) - start)) &&
	echo "push took $elapsed ms" &&
	test $elapsed -ge 500 &&
	test $elapsed -lt 10000 &&
	gg_remote_lines push.out >lines &&
	test_grep "^warning: gitops-guard: audit webhook: no answer from '"'$url'"' within 500 ms; 1 event stays spooled$" lines &&
	test $(gg_spool_count $spool) = 1
'

test_expect_success 'a hanging server never slows a rejected push: pre-receive posts nothing' '
	policy "$url" "    timeout_ms: 5000" "rules: {yaml/invalid: confirm}" &&
	fresh &&
	n=$(gg_httpd_count srv) &&
	printf "a: [\n" >work/apps/web/bad.yaml &&
	gg_commit work bad &&
	start=$(gg_ms) &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	elapsed=$(($(gg_ms) - start)) &&
	echo "push took $elapsed ms" &&
	test $(gg_httpd_count srv) = $n &&
	test $(gg_spool_count $spool) = 1 &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'the deadline bounds the whole post-receive delivery' '
	policy "$url" "rules: {yaml/invalid: confirm}" \
		"limits: {deadline_ms: 3000, on_timeout: accept}" &&
	fresh &&
	for i in 1 2 3 4 5 6; do
		printf "a: [\n" >work/apps/web/bad$i.yaml &&
		gg_commit work bad$i &&
		test_must_fail gg_push push.out work ../server.git main &&
		git -C work reset -q --hard HEAD^ || return 1
	done &&
	gg_httpd_mode srv "delay 1000" &&
	n=$(gg_httpd_count srv) &&
	git -C work commit -q --allow-empty -m slow &&
	start=$(gg_ms) &&
	gg_push_expect_accept work ../server.git main &&
	elapsed=$(($(gg_ms) - start)) &&
	echo "push took $elapsed ms" &&
	sent=$(($(gg_httpd_count srv) - n)) &&
	echo "$sent requests" &&
	test $sent -le 3 &&
	test $(gg_spool_count $spool) -ge 4 &&
	test $elapsed -lt 15000
'

test_expect_success 'a https URL against a plain server fails cleanly' '
	policy "https://127.0.0.1:$port/hook" &&
	gg_httpd_mode srv 200 &&
	fresh tls &&
	n=$(gg_httpd_count srv) &&
	gg_push_expect_accept work ../server.git main &&
	gg_remote_lines push.out >lines &&
	test_grep "^warning: gitops-guard: audit webhook: cannot post to '"'https://127.0.0.1:$port/hook'"': .*SSL.*; 1 event stays spooled$" lines &&
	test $(gg_spool_count $spool) = 1 &&
	test $(gg_httpd_count srv) = $((n + 1)) &&
	test_grep -v "^POST" srv/req-$((n + 1))
'

test_expect_success 'a redirect within the scheme is followed, still a POST' '
	policy "$url" &&
	gg_httpd_mode srv "redirect http://127.0.0.1:$port/moved" 200 &&
	n=$(gg_httpd_count srv) &&
	gitops-guard webhook flush --all server.git >out &&
	test $(gg_httpd_count srv) = $((n + 2)) &&
	test_grep "^POST /moved HTTP/1.1" srv/req-$((n + 2)) &&
	test_cmp srv/body-$((n + 1)) srv/body-$((n + 2)) &&
	test $(gg_spool_count $spool) = 0
'

test_expect_success 'a redirect to another scheme is refused' '
	fresh redirect &&
	gg_httpd_mode srv "redirect https://127.0.0.1:$port/moved" &&
	n=$(gg_httpd_count srv) &&
	gg_push_expect_accept work ../server.git main &&
	gg_remote_lines push.out >lines &&
	test_grep "^warning: gitops-guard: audit webhook: cannot post to '"'$url'"': redirected to another scheme (.*https.*); 1 event stays spooled$" lines &&
	test $(gg_httpd_count srv) = $((n + 1))
'

test_expect_success 'a connection closed without an answer is a failure' '
	gg_httpd_mode srv close &&
	test_expect_code 1 gitops-guard webhook flush --all server.git 2>err &&
	test_grep "^warning: gitops-guard: audit webhook: cannot post to '"'$url'"': .*; 1 event stays spooled$" err &&
	test $(gg_spool_count $spool) = 1
'

test_expect_success 'a long 200 answer delivers; only its start is read' '
	gg_httpd_mode srv big &&
	gitops-guard webhook flush --all server.git >out &&
	echo "server.git: 1 delivered, 0 failed, 0 given up, 0 waiting" >expect &&
	test_cmp expect out
'

test_expect_success 'the proxy comes from http_proxy' '
	gg_httpd_start proxy &&
	gg_httpd_mode srv 200 &&
	policy "http://webhook.invalid/hook" &&
	fresh proxied &&
	(
		http_proxy=http://127.0.0.1:$(cat proxy/port) &&
		export http_proxy &&
		gg_push_expect_accept work ../server.git main
	) &&
	test $(gg_httpd_count proxy) = 1 &&
	test_grep "^POST http://webhook.invalid/hook HTTP/1.1" proxy/req-1 &&
	test $(gg_spool_count $spool) = 0
'

test_expect_success 'HTTP_PROXY, which a CGI client can set, is not used' '
	policy "$url" &&
	fresh httpoxy &&
	n=$(gg_httpd_count srv) &&
	(
		HTTP_PROXY=http://127.0.0.1:$(cat proxy/port) &&
		export HTTP_PROXY &&
		gg_push_expect_accept work ../server.git main
	) &&
	test $(gg_httpd_count proxy) = 1 &&
	test $(gg_httpd_count srv) = $((n + 1))
'

test_expect_success 'a spool that cannot be written: a warning, the verdict stands' '
	echo file >notadir &&
	policy "$url" "    spool: $GG_TRASH/notadir/spool" &&
	fresh unspooled &&
	gg_push_expect_accept work ../server.git main &&
	gg_remote_lines push.out >lines &&
	test_grep "^warning: gitops-guard: audit webhook: cannot create '"'$GG_TRASH/notadir/spool'"': Not a directory; the event is in the audit log only$" lines &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	test_grep "\"decision\":\"accept\"" $log
'

test_done
