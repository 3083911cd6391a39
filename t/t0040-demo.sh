#!/bin/sh
test_description='the demo of the README runs and shows every rule'
. "$(dirname "$0")/lib.sh"

# The README's first command runs demo/run; this runs the same script
# against the hooks of this build, in the trash directory.

test_expect_success 'the demo: every push ends as the demo says' '
	sh "$GG_SRC_DIR/demo/run" "$GG_BUILD_DIR" "$GG_TRASH/demo" >demo.out 2>&1 ||
	{ cat demo.out; false; } &&
	test_grep "^demo: [0-9]* steps, every push ended as shown" demo.out &&
	gg_no_sanitizer_report demo.out
'

test_expect_success 'every rule, built-in or of a shipped pack, is seen at work' '
	GITOPS_GUARD_PACK_DIR=$GG_SRC_DIR/rules gitops-guard rules >rules &&
	cut -d " " -f 1 rules >ids &&
	test $(wc -l <ids) -gt 20 &&
	while read -r id
	do
		grep "^  | gitops-guard: [a-z]*: \[$id\]" demo.out >/dev/null ||
		{ echo "the demo never shows $id"; return 1; }
	done <ids
'

test_expect_success 'a blocked and a confirmed push are both seen' '
	test_grep "=> rejected" demo.out &&
	test_grep "(confirmed by [a-z]*)" demo.out &&
	test_grep "BREAK-GLASS\|break-glass" demo.out
'

test_done
