#!/bin/sh
test_description='pre-receive: hostile YAML gets a defined verdict, quickly, and never a crash

Each file of t/fixtures/yaml (and a few generated at test time because
they are big) is pushed into a real bare repository with the hook
installed.  Files that do not parse or hit a parse limit get a
[yaml/invalid] warning; templates and binary files are skipped
silently; valid oddities pass without a word.  Every push must finish
well inside the deadline.'
. "$(dirname "$0")/lib.sh"

FIXTURES=$GG_TEST_DIR/fixtures/yaml

# How long one push may take, in seconds: the hook's own deadline is 4 s.
if test -n "$GG_VALGRIND"; then
	max_seconds=300
	deadline_ms=600000
elif test -n "$GG_SANITIZED"; then
	max_seconds=30
	deadline_ms=60000
else
	max_seconds=10
	deadline_ms=4000
fi

# nasty_push <name> <file> [<git push option>...]: add <file> to the work
# repository as apps/nasty/<name>, commit and push it to server.git; the
# push must be accepted within $max_seconds and move the server's main.
# The server's lines are left in 'actual'.
nasty_push() {
	name=$1 &&
	file=$2 &&
	shift 2 &&
	mkdir -p work/apps/nasty &&
	cp "$file" "work/apps/nasty/$name" &&
	gg_commit work "add $name" &&
	start=$(date +%s) &&
	gg_push_expect_accept work "$@" ../server.git main &&
	elapsed=$(($(date +%s) - start)) &&
	gg_remote_lines push.out >actual &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	if test "$elapsed" -gt "$max_seconds"; then
		echo >&2 "pushing $name took $elapsed s (at most $max_seconds)"
		return 1
	fi
}

# expect_warning <name> <line-suffix> <message> <hint>: the lines of one
# [yaml/invalid] warning for apps/nasty/<name>.
expect_warning() {
	cat >expect <<-EOF
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/nasty/$1$2: $3
	  hint: $4
	gitops-guard: push accepted: 0 blocking findings, 1 warning
	EOF
}

syntax_hint="fix the syntax; 'gitops-guard check' shows the same result before you push"
limit_hint="split the file, or remove the nesting, aliases or documents beyond the limit"

test_expect_success 'setup: a server with the hook and a lowered blob limit' '
	gg_write system.yaml <<-EOF &&
	version: 1
	limits: { max_blob_bytes: 1048576, deadline_ms: $deadline_ms }
	EOF
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	test -x server.git/hooks/pre-receive &&
	git init -q work &&
	gg_write work/apps/guestbook/deploy.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: guestbook
	EOF
	gg_commit work initial
'
gg_system_policy system.yaml

test_expect_success 'the first push is accepted' '
	gg_push_expect_accept work ../server.git main &&
	gg_remote_lines push.out >actual &&
	test_cmp /dev/null actual
'

test_expect_success 'an alias bomb is refused by the expansion budget' '
	nasty_push alias-bomb.yaml "$FIXTURES/alias-bomb.yaml" &&
	expect_warning alias-bomb.yaml :6 \
		"refused: alias expansion budget exceeded (an alias bomb?)" \
		"$limit_hint" &&
	test_cmp expect actual
'

test_expect_success 'Lists of Lists past the item limit are refused' '
	nasty_push list-bomb.yaml "$FIXTURES/list-bomb.yaml" &&
	expect_warning list-bomb.yaml "" \
		"refused: Lists hold more than 100000 items in all" \
		"$limit_hint" &&
	test_cmp expect actual
'

test_expect_success 'deeply nested flow sequences are refused' '
	nasty_push deep-flow.yaml "$FIXTURES/deep-flow.yaml" &&
	expect_warning deep-flow.yaml :1 \
		"refused: nesting deeper than the limit" "$limit_hint" &&
	test_cmp expect actual
'

test_expect_success 'deeply nested flow maps are refused' '
	nasty_push deep-flow-maps.yaml "$FIXTURES/deep-flow-maps.yaml" &&
	expect_warning deep-flow-maps.yaml :1 \
		"refused: nesting deeper than the limit" "$limit_hint" &&
	test_cmp expect actual
'

test_expect_success 'deeply nested block maps are refused' '
	nasty_push deep-block.yaml "$FIXTURES/deep-block.yaml" &&
	expect_warning deep-block.yaml :129 \
		"refused: nesting deeper than the limit" "$limit_hint" &&
	test_cmp expect actual
'

test_expect_success 'invalid UTF-8 does not parse' '
	nasty_push invalid-utf8.yaml "$FIXTURES/invalid-utf8.yaml" &&
	expect_warning invalid-utf8.yaml "" \
		"does not parse as YAML: invalid trailing UTF-8 octet at byte 53 (invalid encoding?)" \
		"$syntax_hint" &&
	test_cmp expect actual
'

test_expect_success 'tab indentation does not parse' '
	nasty_push tabs.yaml "$FIXTURES/tabs.yaml" &&
	expect_warning tabs.yaml :4 \
		"does not parse as YAML: found character that cannot start any token" \
		"$syntax_hint" &&
	test_cmp expect actual
'

test_expect_success 'an unterminated quote does not parse' '
	nasty_push unterminated-quote.yaml "$FIXTURES/unterminated-quote.yaml" &&
	expect_warning unterminated-quote.yaml :6 \
		"does not parse as YAML: found unexpected end of stream" \
		"$syntax_hint" &&
	test_cmp expect actual
'

test_expect_success 'a Helm template is skipped silently' '
	nasty_push helm-template.yaml "$FIXTURES/helm-template.yaml" &&
	test_cmp /dev/null actual
'

test_expect_success 'gitops.verbose shows why the template was skipped' '
	nasty_push helm-template-2.yaml "$FIXTURES/helm-template.yaml" \
		-o gitops.verbose &&
	cat >expect <<-\EOF &&
	gitops-guard: note: refs/heads/main apps/nasty/helm-template-2.yaml: skipped: a template ({{ }}), not YAML
	gitops-guard: note: refs/heads/main 0 apps deploy this ref; the push touches: none
	gitops-guard: push accepted: 0 blocking findings, 0 warnings (1 of 1 refs inspected, 1 files, MS ms)
	EOF
	sed -e "s/files, [0-9]* ms)/files, MS ms)/" actual >actual.ms &&
	test_cmp expect actual.ms
'

test_expect_success 'binary content with NUL bytes is skipped silently' '
	nasty_push binary-nul.yaml "$FIXTURES/binary-nul.yaml" &&
	test_cmp /dev/null actual
'

test_expect_success 'UTF-16 with a BOM is skipped as binary' '
	nasty_push utf16-bom.yaml "$FIXTURES/utf16-bom.yaml" -o gitops.verbose &&
	cat >expect <<-\EOF &&
	gitops-guard: note: refs/heads/main apps/nasty/utf16-bom.yaml: skipped: binary content
	gitops-guard: note: refs/heads/main 0 apps deploy this ref; the push touches: none
	gitops-guard: push accepted: 0 blocking findings, 0 warnings (1 of 1 refs inspected, 1 files, MS ms)
	EOF
	sed -e "s/files, [0-9]* ms)/files, MS ms)/" actual >actual.ms &&
	test_cmp expect actual.ms
'

for f in crlf.yaml manifest.json multi-doc-empty.yaml long-line.yaml \
	nul-escape-key.yaml escape-sequences.yaml
do
	test_expect_success "valid oddity $f passes without a word" '
		nasty_push $f "$FIXTURES/$f" &&
		test_cmp /dev/null actual
	'
done

test_expect_success 'several nasty files in one push: one line each, in path order' '
	mkdir -p work/apps/batch &&
	for f in alias-bomb.yaml tabs.yaml helm-template.yaml binary-nul.yaml crlf.yaml
	do
		cp "$FIXTURES/$f" work/apps/batch/$f || return 1
	done &&
	gg_commit work batch &&
	gg_push_expect_accept work ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/batch/alias-bomb.yaml:6: refused: alias expansion budget exceeded (an alias bomb?)
	  hint: $limit_hint
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/batch/tabs.yaml:4: does not parse as YAML: found character that cannot start any token
	  hint: $syntax_hint
	gitops-guard: push accepted: 0 blocking findings, 2 warnings
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'generate the big inputs' '
	awk "BEGIN {
		print \"apiVersion: v1\"; print \"kind: ConfigMap\";
		print \"metadata: {name: big}\"; print \"data:\";
		for (i = 0; i < 85000; i++)
			printf \"  k%07d: %s\n\", i, \"0123456789012345678901234567890123456789012345678901\"
	}" >big.yaml &&
	test $(wc -c <big.yaml) -gt 5242880 &&
	awk "BEGIN {
		for (i = 0; i < 10000; i++)
			printf \"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm%d}\n\", i
	}" >docs-10000.yaml &&
	{ cat docs-10000.yaml && printf -- "---\na: 1\n"; } >docs-10001.yaml &&
	awk "BEGIN { print \"items:\"; for (i = 0; i < 100000; i++) printf \"- %d\n\", i }" \
		>list-100000.yaml &&
	awk "BEGIN {
		printf \"data: \";
		for (i = 0; i < 90000; i++) printf \"0123456789\";
		printf \"\n\"
	}" >line-900k.yaml &&
	test $(wc -c <list-100000.yaml) -lt 1048576 &&
	test $(wc -c <line-900k.yaml) -lt 1048576
'

test_expect_success 'a 5 MiB manifest over limits.max_blob_bytes is not parsed' '
	nasty_push big.yaml big.yaml &&
	size=$(wc -c <big.yaml) &&
	expect_warning big.yaml "" \
		"not parsed: $size bytes is more than limits.max_blob_bytes (1048576)" \
		"split the file, or raise limits.max_blob_bytes" &&
	test_cmp expect actual
'

test_expect_success '10,000 documents in one file are fine' '
	nasty_push docs-10000.yaml docs-10000.yaml &&
	test_cmp /dev/null actual
'

test_expect_success 'the 10,001st document is over the limit' '
	nasty_push docs-10001.yaml docs-10001.yaml &&
	expect_warning docs-10001.yaml :40001 \
		"refused: more documents than the limit" "$limit_hint" &&
	test_cmp expect actual
'

test_expect_success 'a list of 100,000 entries is fine' '
	nasty_push list-100000.yaml list-100000.yaml &&
	test_cmp /dev/null actual
'

test_expect_success 'a 900 KB line is fine' '
	nasty_push line-900k.yaml line-900k.yaml &&
	test_cmp /dev/null actual
'

test_expect_success 'setup: a server where yaml/invalid blocks' '
	gg_write strict.yaml <<-\EOF &&
	version: 1
	rules:
	  yaml/invalid: block
	EOF
	gg_bare_repo strict.git &&
	gg_install_hook strict.git pre-receive strict.yaml &&
	test -x strict.git/hooks/pre-receive &&
	git -C work checkout -q -b strict "$(git -C work rev-list --max-parents=0 main)" &&
	gg_push_expect_accept work ../strict.git strict:main
'

test_expect_success 'templates, binaries and UTF-16 never block a push' '
	mkdir -p work/apps/skip &&
	cp "$FIXTURES/helm-template.yaml" "$FIXTURES/binary-nul.yaml" \
		"$FIXTURES/utf16-bom.yaml" work/apps/skip/ &&
	gg_commit work skip &&
	gg_push_expect_accept work ../strict.git strict:main &&
	gg_remote_lines push.out >actual &&
	test_cmp /dev/null actual &&
	test "$(gg_ref strict.git main)" = "$(git -C work rev-parse strict)"
'

test_expect_success 'an alias bomb blocks where yaml/invalid blocks' '
	before=$(gg_ref strict.git main) &&
	cp "$FIXTURES/alias-bomb.yaml" work/apps/skip/ &&
	gg_commit work bomb &&
	gg_push_expect_reject yaml/invalid work ../strict.git strict:main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/skip/alias-bomb.yaml:6: refused: alias expansion budget exceeded (an alias bomb?)
	  hint: $limit_hint
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'"'gitops-guard explain yaml/invalid'"'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref strict.git main)" = "$before"
'

test_done
