#!/bin/sh
test_description='shipped packs: every example of every rule in rules/*.yaml, pushed for real'
. "$(dirname "$0")/lib.sh"

# Each example becomes a repository: its `before` files (and a README)
# are pushed without the hook, then the hook judges the push of its
# `files`, under a system policy that enables the pack, sets the rule
# under test to block and turns every other rule off.  A rejection must
# name the rule, and only it, on its first line; an example that names
# its finding must print exactly that line.

gg_shipped_packs
PACKS=$GG_SRC_DIR/rules
EXAMPLES=$GG_BUILD_DIR/t/helper/test-pack-examples

test_expect_success 'setup: the examples of every shipped pack' '
	ls "$PACKS"/*.yaml >pack-files &&
	test -s pack-files &&
	: >examples &&
	while read -r f; do
		name=$(basename "$f" .yaml) &&
		"$EXAMPLES" "$f" "$GG_TRASH/ex/$name" >>examples || return 1
	done <pack-files &&
	test -s examples &&
	gitops-guard rules >rules &&
	grep "^baseline/" rules >/dev/null
'

test_expect_success 'every rule of a shipped pack has an example that rejects and one that accepts' '
	for id in $(awk "{ print \$1 }" examples | sort -u); do
		grep "^$id [0-9]* [0-9]* reject " examples >/dev/null &&
		grep "^$id [0-9]* [0-9]* accept " examples >/dev/null ||
		{ echo >&2 "$id lacks a reject or an accept example"; return 1; }
	done
'

test_expect_success 'every rule that gitops-guard rules lists for a shipped pack has examples' '
	for f in $(cat pack-files); do
		name=$(basename "$f" .yaml) &&
		for id in $(awk "{ print \$1 }" rules | grep "^$name/"); do
			grep "^$id " examples >/dev/null ||
			{ echo >&2 "$id has no example"; return 1; }
		done || return 1
	done
'

# policy_for <rule-id>: the system policy of that rule's examples.
policy_for() {
	{
		echo "version: 1"
		echo "packs: [${1%%/*}]"
		echo "rules:"
		while read -r rid_ rest_; do
			if test "$rid_" = "$1"; then
				echo "  $rid_: block"
			else
				echo "  $rid_: off"
			fi
		done <rules
	} >system.yaml
}

# push_example <dir>: build the repository and push the example's files.
push_example() {
	rm -rf server.git work &&
	gg_bare_repo server.git &&
	git init -q work &&
	echo "an example" >work/README &&
	if test -d "$1/before"; then
		cp -R "$1/before/." work/
	fi &&
	gg_commit work before &&
	git -C work push -q ../server.git main &&
	gg_install_hook server.git pre-receive &&
	cp -R "$1/files/." work/ &&
	gg_commit work example &&
	before=$(gg_ref server.git main)
}

gg_system_policy system.yaml
while read -r ex_id ex_n ex_line ex_expect ex_dir; do
	test_expect_success "$ex_id example $ex_n (line $ex_line) expects $ex_expect" '
		policy_for "$ex_id" &&
		push_example "$ex_dir" &&
		if test "$ex_expect" = reject; then
			test_must_fail gg_push push.out work ../server.git main &&
			gg_remote_lines push.out >lines &&
			grep "^gitops-guard: error: \[" lines >findings &&
			grep -F -e "gitops-guard: error: [$ex_id] refs/heads/main " findings &&
			! grep -v -F -e "gitops-guard: error: [$ex_id] refs/heads/main " findings &&
			if test -f "$ex_dir/finding"; then
				echo "gitops-guard: error: [$ex_id] refs/heads/main $(cat "$ex_dir/finding")" >expect &&
				head -n 1 findings >actual &&
				test_cmp expect actual
			fi &&
			test_grep "^gitops-guard: push rejected: " lines &&
			test "$(gg_ref server.git main)" = "$before"
		else
			gg_push_expect_accept work ../server.git main &&
			! grep -F -e "[$ex_id]" push.out &&
			test "$(gg_ref server.git main)" = "$(git -C work rev-parse HEAD)"
		fi
	'
done <"$GG_TRASH/examples"

test_done
