#!/bin/sh
test_description='webhook: events are spooled by pre-receive and delivered by post-receive and gitops-guard webhook flush'
. "$(dirname "$0")/lib.sh"
. "$GG_TEST_DIR/lib-webhook.sh"

GITOPS_GUARD_NOW=2026-03-01T12:00:00Z
export GITOPS_GUARD_NOW

log=server.git/gitops-guard/audit.jsonl
spool=server.git/gitops-guard/spool

# broken <name>: commit a file that does not parse (yaml/invalid)
broken() {
	printf "a: [\n" >"work/apps/web/$1.yaml" &&
	gg_commit work "$1"
}

test_expect_success 'setup: a server with both hooks, a stub webhook' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	gg_install_hook server.git post-receive &&
	gg_httpd_start srv &&
	url="http://127.0.0.1:$(cat srv/port)/hook" &&
	gg_webhook_policy system.yaml "$url" \
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

test_expect_success 'an accepted push is delivered by its post-receive' '
	gg_push_expect_accept work ../server.git main &&
	test $(gg_httpd_count srv) = 1 &&
	test $(gg_spool_count $spool) = 0 &&
	gg_remote_lines push.out >lines &&
	test_grep -v "warning" lines
'

test_expect_success 'the request is a POST of the event with its headers' '
	id=$(gg_log_id $log) &&
	test -n "$id" &&
	cat >expect <<-EOF &&
	POST /hook HTTP/1.1
	Host: 127.0.0.1:$(cat srv/port)
	User-Agent: gitops-guard/$(cat version)
	Accept: */*
	Content-Type: application/json
	Idempotency-Key: $id
	Content-Length: $(($(wc -c <$log) - 1))

	EOF
	tr -d "\r" <srv/req-1 >actual &&
	test_cmp expect actual
'

test_expect_success 'the body is the audit log line, byte for byte' '
	printf "%s" "$(cat $log)" >expect &&
	test_cmp expect srv/body-1
'

test_expect_success 'the event id is a random UUID, new for every run' '
	echo "$(gg_log_id $log)" >ids &&
	grep -E "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$" ids &&
	git -C work commit -q --allow-empty -m again &&
	gg_push_expect_accept work ../server.git main &&
	gg_log_id $log >id2 &&
	! test_cmp ids id2 >/dev/null
'

test_expect_success 'a rejected push sends nothing and leaves its event spooled' '
	n=$(gg_httpd_count srv) &&
	broken bad1 &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	test $(gg_httpd_count srv) = $n &&
	test $(gg_spool_count $spool) = 1 &&
	gg_log_id $log >id &&
	ls $spool | grep -F "$(cat id).event"
'

test_expect_success 'webhook list shows the waiting event' '
	echo "$(cat id) 2026-03-01T12:00:00Z attempts 0 next 2026-03-01T12:00:00Z" >expect &&
	gitops-guard webhook list server.git >actual &&
	test_cmp expect actual
'

test_expect_success 'the next accepted push delivers it first, then its own' '
	n=$(gg_httpd_count srv) &&
	git -C work reset -q --hard HEAD^ &&
	git -C work commit -q --allow-empty -m fine &&
	gg_push_expect_accept work ../server.git main &&
	test $(gg_httpd_count srv) = $((n + 2)) &&
	test_grep "\"decision\":\"reject\"" srv/body-$((n + 1)) &&
	test_grep "\"decision\":\"accept\"" srv/body-$((n + 2)) &&
	tr -d "\r" <srv/req-$((n + 1)) >req &&
	test_grep "^Idempotency-Key: $(cat id)$" req &&
	test $(gg_spool_count $spool) = 0
'

test_expect_success 'webhook flush delivers a rejected push'"'"'s event' '
	n=$(gg_httpd_count srv) &&
	broken bad2 &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	gg_log_id $log >id &&
	gitops-guard webhook flush server.git >out 2>err &&
	echo "server.git: 1 delivered, 0 failed, 0 given up, 0 waiting" >expect &&
	test_cmp expect out &&
	test_cmp /dev/null err &&
	test $(gg_httpd_count srv) = $((n + 1)) &&
	tr -d "\r" <srv/req-$((n + 1)) >req &&
	test_grep "^Idempotency-Key: $(cat id)$" req &&
	test $(gg_spool_count $spool) = 0
'

test_expect_success 'webhook flush with nothing spooled says nothing' '
	gitops-guard webhook flush server.git >out 2>err &&
	test_cmp /dev/null out &&
	test_cmp /dev/null err
'

test_expect_success 'webhook flush in the repository itself (GIT_DIR or .)' '
	broken bad3 &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	(cd server.git && gitops-guard webhook flush) >out &&
	echo ".: 1 delivered, 0 failed, 0 given up, 0 waiting" >expect &&
	test_cmp expect out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'webhook flush without a webhook in the policy fails' '
	gg_write empty.yaml <<-\EOF &&
	version: 1
	EOF
	GITOPS_GUARD_SYSTEM_POLICY=$GG_TRASH/empty.yaml &&
	export GITOPS_GUARD_SYSTEM_POLICY &&
	test_expect_code 2 gitops-guard webhook flush server.git 2>err &&
	echo "gitops-guard: server.git: no audit.webhook.url in the policy" >expect &&
	test_cmp expect err
'
gg_system_policy system.yaml

test_expect_success 'without a webhook nothing is spooled' '
	GITOPS_GUARD_SYSTEM_POLICY=$GG_TRASH/empty.yaml &&
	export GITOPS_GUARD_SYSTEM_POLICY &&
	rm -rf $spool &&
	git -C work commit -q --allow-empty -m unhooked &&
	gg_push_expect_accept work ../server.git main &&
	! test -d $spool
'
gg_system_policy system.yaml

test_expect_success 'the in-repo policy cannot send events elsewhere' '
	n=$(gg_httpd_count srv) &&
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	audit: {webhook: {url: "http://127.0.0.1:1/elsewhere"}}
	EOF
	gg_commit work "in-repo audit" &&
	gg_push_expect_accept work -o gitops.confirm=policy/changed \
		../server.git main &&
	git -C work commit -q --allow-empty -m after &&
	gg_push_expect_accept work ../server.git main &&
	test $(gg_httpd_count srv) = $((n + 2)) &&
	tr -d "\r" <srv/req-$((n + 2)) >req &&
	test_grep "^POST /hook " req
'

test_expect_success 'a relative audit.webhook.spool is inside the repository' '
	gg_webhook_policy system.yaml "$url" \
		"    spool: queue/webhook" "rules: {yaml/invalid: confirm}" &&
	broken bad4 &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	test $(gg_spool_count server.git/queue/webhook) = 1 &&
	gitops-guard webhook flush server.git >out &&
	test $(gg_spool_count server.git/queue/webhook) = 0 &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'an absolute audit.webhook.spool is used as it is' '
	gg_webhook_policy system.yaml "$url" \
		"    spool: $GG_TRASH/spool-dir" "rules: {yaml/invalid: confirm}" &&
	broken bad5 &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	test $(gg_spool_count spool-dir) = 1 &&
	gitops-guard webhook flush server.git >out &&
	test $(gg_spool_count spool-dir) = 0 &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'the update hook spools its events too' '
	gg_webhook_policy system.yaml "$url" "rules: {yaml/invalid: confirm}" &&
	gg_bare_repo upd.git &&
	gg_install_hook upd.git update &&
	broken bad6 &&
	test_must_fail gg_push push.out work ../upd.git main &&
	test $(gg_spool_count upd.git/gitops-guard/spool) = 1 &&
	gitops-guard webhook flush upd.git >out &&
	n=$(gg_httpd_count srv) &&
	test_grep "\"hook\":\"update\"" srv/body-$n &&
	test_grep "\"decision\":\"reject\"" srv/body-$n &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'usage errors of webhook' '
	for args in "webhook" "webhook frob" "webhook list a b" \
		"webhook list --all" "webhook flush --frob"
	do
		test_expect_code 2 gitops-guard $args >out 2>err &&
		test_cmp /dev/null out &&
		grep "^usage: gitops-guard webhook " err >/dev/null ||
		{ echo >&2 "for: $args"; cat >&2 err; return 1; }
	done
'

test_expect_success LDD 'no program is linked with libcurl' '
	for p in gitops-guard-pre-receive gitops-guard-update \
		gitops-guard-post-receive gitops-guard
	do
		ldd "$GG_BUILD_DIR/$p" >ldd.out &&
		test_grep "libyaml" ldd.out &&
		! grep libcurl ldd.out ||
		{ echo >&2 "for: $p"; return 1; }
	done
'

test_expect_success 'libcurl is loaded only when an event is posted' '
	GITOPS_GUARD_SYSTEM_POLICY=$GG_TRASH/empty.yaml &&
	export GITOPS_GUARD_SYSTEM_POLICY &&
	git -C work commit -q --allow-empty -m "no webhook" &&
	(
		LD_DEBUG=files &&
		export LD_DEBUG &&
		gg_push_expect_accept work ../server.git main
	) &&
	test_grep "file=libyaml" push.out &&
	! grep "file=libcurl" push.out &&
	gg_system_policy system.yaml &&
	n=$(gg_httpd_count srv) &&
	git -C work commit -q --allow-empty -m "webhook" &&
	(
		LD_DEBUG=files &&
		export LD_DEBUG &&
		gg_push_expect_accept work ../server.git main
	) &&
	test $(gg_httpd_count srv) = $((n + 1)) &&
	test_grep "file=libcurl.* dynamically loaded" push.out
'
gg_system_policy system.yaml

test_expect_success 'without a loadable libcurl the event stays spooled' '
	mkdir -p nocurl &&
	: >nocurl/libcurl.so.4 &&
	n=$(gg_httpd_count srv) &&
	git -C work commit -q --allow-empty -m "no libcurl" &&
	(
		LD_LIBRARY_PATH=$GG_TRASH/nocurl &&
		export LD_LIBRARY_PATH &&
		gg_push_expect_accept work ../server.git main
	) &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	gg_remote_lines push.out >lines &&
	test_grep "^warning: gitops-guard: audit webhook: cannot load libcurl to post events: .*libcurl.so.4: .*; 1 event stays spooled$" lines &&
	test $(gg_httpd_count srv) = $n &&
	test $(gg_spool_count $spool) = 1 &&
	gitops-guard webhook list server.git >list &&
	test_grep " attempts 1 .* error cannot load libcurl to post events: " list &&
	gitops-guard webhook flush --all server.git >out &&
	echo "server.git: 1 delivered, 0 failed, 0 given up, 0 waiting" >expect &&
	test_cmp expect out &&
	test $(gg_httpd_count srv) = $((n + 1))
'

test_done
