#!/bin/sh
test_description='docs: every rule, policy key and command is in the man pages, which lint clean'
. "$(dirname "$0")/lib.sh"

MAN=$GG_SRC_DIR/man

# man_titles <page> <section>: the .Ss titles inside ".Sh <section>".
man_titles() {
	sed -n -e "/^\.Sh $2\$/,/^\.Sh /s/^\.Ss //p" "$1"
}

# man_items <page> <section>: the first word after ".It Cm" inside
# ".Sh <section>" (the subcommands of gitops-guard(1)).
man_items() {
	sed -n -e "/^\.Sh $2\$/,/^\.Sh /s/^\.It Cm \([^ ]*\).*/\1/p" "$1"
}

# only_in <what> <a> <b>: fail, naming them, if lines of sorted file <a>
# are missing from sorted file <b>.
only_in() {
	comm -23 "$2" "$3" >only.out
	if test -s only.out; then
		echo >&2 "$1:"
		sed -e 's/^/	/' only.out >&2
		return 1
	fi
}

test_expect_success 'setup: what the programs and the loader know' '
	gitops-guard rules >rules.out &&
	awk "{ print \$1 }" rules.out | sort >rules &&
	awk "{ print \$1, \$2 }" rules.out | sort >rule-severities &&
	test -s rules &&
	gitops-guard --help >help.out &&
	sed -n -e "s/^   gitops-guard \([a-z][a-z-]*\).*/\1/p" help.out |
		sort -u >commands &&
	test -s commands &&
	sed -n -e "/top_keys\[\] = {/,/};/p" "$GG_SRC_DIR/lib/policy-load.c" |
		grep -o "\"[a-z_]*\"" | tr -d "\"" | sort >keys &&
	test -s keys &&
	man_titles "$MAN/gitops-policy.5" RULES | sort >doc-rules &&
	man_titles "$MAN/gitops-policy.5" KEYS | sort >doc-keys &&
	man_items "$MAN/gitops-guard.1" COMMANDS | sort -u >doc-commands
'

test_expect_success 'every rule that gitops-guard rules lists has a subsection in gitops-policy(5) RULES' '
	only_in "rules missing from gitops-policy(5) RULES" rules doc-rules
'

test_expect_success 'gitops-policy(5) documents no rule that does not exist' '
	only_in "rules in gitops-policy(5) that gitops-guard does not know" \
		doc-rules rules
'

test_expect_success 'gitops-policy(5) gives each rule its default severity' '
	sed -n -e "/^\.Sh RULES\$/,/^\.Sh /p" "$MAN/gitops-policy.5" |
	awk "
		/^\.Ss / { id = \$2; next }
		/^Default severity:\$/ { want = 1; next }
		want && /^\.Cm / { print id, \$2; want = 0 }
	" | sort >doc-severities &&
	test_cmp rule-severities doc-severities
'

test_expect_success 'gitops-guard explain knows every rule' '
	while read id sev; do
		gitops-guard explain "$id" >explain.out || {
			echo >&2 "explain $id failed"; return 1
		}
		test "$(sed -n 1p explain.out)" = "$id (default severity: $sev)" ||
			{ cat >&2 explain.out; return 1; }
		test_grep "^Fires when the push" explain.out || return 1
		test "$(wc -l <explain.out)" -ge 6 || return 1
	done <rule-severities
'

test_expect_success 'explain refuses an unknown rule' '
	test_expect_code 2 gitops-guard explain no/such-rule 2>err &&
	test_grep "no rule '"'"'no/such-rule'"'"'" err
'

test_expect_success 'every top-level policy key the loader accepts has a subsection in gitops-policy(5) KEYS' '
	only_in "policy keys missing from gitops-policy(5) KEYS" keys doc-keys
'

test_expect_success 'gitops-policy(5) documents no top-level key the loader rejects' '
	only_in "keys in gitops-policy(5) that lib/policy-load.c does not accept" \
		doc-keys keys
'

test_expect_success 'every gitops-guard command is in gitops-guard(1) COMMANDS' '
	only_in "commands missing from gitops-guard(1) COMMANDS" \
		commands doc-commands
'

# The shipped packs: their rules are documented in gitops-packs(5) and
# rules/README.md, explained by gitops-guard, and every key a pack file
# may have is named in gitops-packs(5).
PACKS_MAN=$MAN/gitops-packs.5

test_expect_success 'setup: the rules of the shipped packs' '
	(cd "$GG_SRC_DIR/rules" && ls *.yaml) | sed -e "s/\.yaml\$//" |
		sort >packs &&
	test -s packs &&
	sed -e "s|^|^|" -e "s|\$|/|" packs >pack-prefixes &&
	GITOPS_GUARD_PACK_DIR=$GG_SRC_DIR/rules gitops-guard rules >all-rules.out 2>err &&
	test_cmp /dev/null err &&
	awk "{ print \$1, \$2 }" all-rules.out | grep -f pack-prefixes |
		sort >pack-rule-severities &&
	awk "{ print \$1 }" pack-rule-severities >pack-rules &&
	test -s pack-rules &&
	man_titles "$PACKS_MAN" "SHIPPED RULES" | sort >doc-pack-rules &&
	sed -n -e "/keys\[\] = {/,/};/p" "$GG_SRC_DIR/lib/pack-parse.c" |
		grep -o "\"[a-z_]*\"" | tr -d "\"" | sort -u >pack-keys &&
	test -s pack-keys
'

test_expect_success 'every rule of a shipped pack has a subsection in gitops-packs(5) SHIPPED RULES' '
	only_in "shipped rules missing from gitops-packs(5)" \
		pack-rules doc-pack-rules
'

test_expect_success 'gitops-packs(5) documents no shipped rule that does not exist' '
	only_in "rules in gitops-packs(5) that no shipped pack has" \
		doc-pack-rules pack-rules
'

test_expect_success 'gitops-packs(5) gives each shipped rule its default severity' '
	sed -n -e "/^\.Sh SHIPPED RULES\$/,/^\.Sh /p" "$PACKS_MAN" |
	awk "
		/^\.Ss / { id = \$2; next }
		/^Default severity:\$/ { want = 1; next }
		want && /^\.Cm / { print id, \$2; want = 0 }
	" | sort >doc-pack-severities &&
	test_cmp pack-rule-severities doc-pack-severities
'

test_expect_success 'gitops-guard explain knows every shipped pack rule' '
	while read id sev; do
		GITOPS_GUARD_PACK_DIR=$GG_SRC_DIR/rules \
			gitops-guard explain "$id" >explain.out || {
			echo >&2 "explain $id failed"; return 1
		}
		test "$(sed -n 1p explain.out)" = "$id (default severity: $sev)" ||
			{ cat >&2 explain.out; return 1; }
		test_grep "^Fires when the push" explain.out || return 1
		test_grep "^Pack: ${id%%/*}, from " explain.out || return 1
	done <pack-rule-severities
'

test_expect_success 'rules/README.md names every shipped pack and rule' '
	for id in $(cat packs pack-rules); do
		grep -F -e "\`$id\`" "$GG_SRC_DIR/rules/README.md" >/dev/null ||
		{ echo >&2 "rules/README.md does not name $id"; return 1; }
	done
'

test_expect_success 'gitops-packs(5) names every key of a pack file' '
	for key in $(cat pack-keys); do
		grep -E -e "(^|[ ])Ic $key( |\$)" "$PACKS_MAN" >/dev/null ||
		{ echo >&2 "gitops-packs(5) does not name the key $key"; return 1; }
	done
'

test_expect_success 'every page in man/ is installed (dist_man_MANS)' '
	(cd "$MAN" && ls *.[1-9]) | sort >pages &&
	sed -n -e "/^dist_man_MANS/,/[^\\\\]\$/p" "$GG_SRC_DIR/Makefile.am" |
		grep -o "man/[^ \\\\]*" | sed -e "s|^man/||" | sort >installed &&
	test -s pages &&
	test_cmp pages installed
'

test_expect_success MANDOC 'the man pages lint clean (mandoc -Tlint -W warning)' '
	{ mandoc -Tlint -W warning "$MAN"/*.[1-9] >lint.out 2>&1; echo $? >status; } &&
	test_grep -v . lint.out &&
	test "$(cat status)" = 0
'

test_done
