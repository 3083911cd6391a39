# t/lib.sh: gitops-guard's test harness, in the manner of git's test-lib.
#
# A test script sets test_description, sources this file, runs
# test_expect_success blocks and ends with test_done.  Output is TAP, for
# automake's tap-driver.  Each script works in its own trash directory
# t/trash.<script> of the build tree, with HOME pointing there, a fixed
# clock and identity for git, and no inherited GIT_* variable.
#
#   ./t2000-pre-receive-basic.sh -v     show every command's output
#   ./t2000-pre-receive-basic.sh -i     stop at the first failure
#   ./t2000-pre-receive-basic.sh -d     keep the trash directory

# --- locations ---------------------------------------------------------

GG_TEST_NAME=$(basename "$0" .sh)
if test -z "$GG_SRC_DIR"; then
	GG_SRC_DIR=$(cd "$(dirname "$0")/.." && pwd)
fi
if test -z "$GG_BUILD_DIR"; then
	GG_BUILD_DIR=$GG_SRC_DIR
fi
GG_TEST_DIR=$GG_SRC_DIR/t
GG_TRASH=$GG_BUILD_DIR/t/trash.$GG_TEST_NAME
export GG_SRC_DIR GG_BUILD_DIR GG_TEST_DIR GG_TRASH

verbose= immediate= debug=
for arg
do
	case "$arg" in
	-v|--verbose) verbose=t ;;
	-i|--immediate) immediate=t ;;
	-d|--debug) debug=t ;;
	esac
done

# --- a clean environment -------------------------------------------------

for var in $(env | sed -n 's/^\(GIT_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$var"
done
unset GL_ID GL_USERNAME GL_PROTOCOL GL_REPOSITORY GL_PROJECT_PATH GL_USER \
	GL_REPO GITHUB_USER_LOGIN GITHUB_REPO_NAME GITHUB_VIA \
	GITHUB_PULL_REQUEST_HEAD GITEA_REPO_NAME GITEA_PUSHER_NAME \
	GITEA_PUSH_TRIGGER GITEA_PR_ID BB_HOOK_TRIGGER_ID BB_USER_NAME \
	REMOTE_USER GATEWAY_INTERFACE GITOPS_GUARD_NOW GITOPS_GUARD_HOOK_DIR
LC_ALL=C
TZ=UTC
HOME=$GG_TRASH
GIT_CONFIG_NOSYSTEM=1
GIT_AUTHOR_NAME='A U Thor'
GIT_AUTHOR_EMAIL=author@example.com
GIT_COMMITTER_NAME='C O Mitter'
GIT_COMMITTER_EMAIL=committer@example.com
GIT_AUTHOR_DATE='1767225600 +0000'
GIT_COMMITTER_DATE='1767225600 +0000'
# no system policy and no rule packs of the machine running the tests
# (gg_shipped_packs gives a test the packs of rules/)
GITOPS_GUARD_SYSTEM_POLICY=$GG_TRASH/no-system-policy.yaml
GITOPS_GUARD_PACK_DIR=$GG_TRASH/no-packs
ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:allocator_may_return_null=0
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LC_ALL TZ HOME GIT_CONFIG_NOSYSTEM GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
	GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_AUTHOR_DATE \
	GIT_COMMITTER_DATE GITOPS_GUARD_SYSTEM_POLICY GITOPS_GUARD_PACK_DIR \
	ASAN_OPTIONS UBSAN_OPTIONS

PATH=$GG_BUILD_DIR:$PATH
export PATH

ZERO_OID=0000000000000000000000000000000000000000

# --- TAP bookkeeping -----------------------------------------------------

test_count=0
test_failures=0
test_fixed=0
test_broken=0
test_cleanup=

say() {
	printf '%s\n' "$*"
}

# Print a file's lines as TAP diagnostics.
say_diag() {
	sed -e 's/^/# /' "$1"
}

test_skip_all() {
	say "1..0 # SKIP $*"
	exit 0
}

# test_when_finished <command>: run it after the current test, pass or fail.
test_when_finished() {
	test_cleanup="{ $*
		} && (exit \"\$eval_ret\"); eval_ret=\$?; $test_cleanup"
}

test_run_() {
	test_cleanup=:
	if test -n "$verbose"; then
		eval "$1"
		eval_ret=$?
		eval "$test_cleanup"
	else
		eval "$1" >"$GG_TRASH/.out" 2>&1
		eval_ret=$?
		eval "$test_cleanup" >>"$GG_TRASH/.out" 2>&1
	fi
	return $eval_ret
}

# test_expect_success [<prereq>] <title> <body>
test_expect_success() {
	if test $# = 3; then
		prereq=$1
		shift
	else
		prereq=
	fi
	test_count=$((test_count + 1))
	if test -n "$prereq" && ! test_have_prereq "$prereq"; then
		say "ok $test_count # SKIP $1 (missing $prereq)"
		return 0
	fi
	cd "$GG_TRASH"
	if test_run_ "$2"; then
		say "ok $test_count - $1"
	else
		test_failures=$((test_failures + 1))
		say "not ok $test_count - $1"
		test -z "$verbose" && test -f "$GG_TRASH/.out" &&
			say_diag "$GG_TRASH/.out"
		if test -n "$immediate"; then
			test_done
		fi
	fi
	cd "$GG_TRASH"
}

# test_expect_failure <title> <body>: a known breakage (TAP TODO).
test_expect_failure() {
	test_count=$((test_count + 1))
	cd "$GG_TRASH"
	if test_run_ "$2"; then
		test_fixed=$((test_fixed + 1))
		say "ok $test_count - $1 # TODO known breakage vanished"
	else
		test_broken=$((test_broken + 1))
		say "not ok $test_count - $1 # TODO known breakage"
	fi
	cd "$GG_TRASH"
}

test_done() {
	say "1..$test_count"
	if test "$test_failures" = 0 && test -z "$debug"; then
		cd "$GG_BUILD_DIR" && rm -rf "$GG_TRASH"
	fi
	test "$test_failures" = 0
	exit $?
}

# --- prerequisites -------------------------------------------------------

test_have_prereq() {
	case "$1" in
	*,*)
		for p_ in $(echo "$1" | tr , " "); do
			test_have_prereq "$p_" || return 1
		done
		;;
	MANDOC) command -v mandoc >/dev/null 2>&1 ;;
	PYTHON3) command -v python3 >/dev/null 2>&1 ;;
	GIT_DAEMON) git daemon --help >/dev/null 2>&1 ||
		test -x "$(git --exec-path)/git-daemon" ;;
	HTTP_BACKEND) test -x "$(git --exec-path)/git-http-backend" ;;
	NOT_ROOT) test "$(id -u)" != 0 ;;
	LDD) command -v ldd >/dev/null 2>&1 ;;
	SANITIZED) test -n "$GG_SANITIZED" ;;
	NOT_SANITIZED) test -z "$GG_SANITIZED" && test -z "$GG_VALGRIND" ;;
	*) return 1 ;;
	esac
}

# --- assertions ----------------------------------------------------------

# test_must_fail <command>: fails when the command succeeds or dies by a
# signal (a crash is never the expected failure).  For our programs and
# git only.
test_must_fail() {
	"$@"
	exit_code=$?
	if test $exit_code = 0; then
		echo >&2 "test_must_fail: command succeeded: $*"
		return 1
	elif test $exit_code -gt 128 && test $exit_code -le 192; then
		echo >&2 "test_must_fail: died by signal $((exit_code - 128)): $*"
		return 1
	elif test $exit_code = 127; then
		echo >&2 "test_must_fail: command not found: $*"
		return 1
	elif test $exit_code = 126; then
		echo >&2 "test_must_fail: valgrind error or not executable: $*"
		return 1
	fi
	return 0
}

# test_expect_code <code> <command>
test_expect_code() {
	want=$1
	shift
	"$@"
	exit_code=$?
	if test $exit_code = "$want"; then
		return 0
	fi
	echo >&2 "test_expect_code: command exited with $exit_code, we wanted $want: $*"
	return 1
}

test_cmp() {
	diff -u "$1" "$2"
}

# test_grep [-v] <pattern> <file>: grep that says what it looked for.
test_grep() {
	if test "$1" = -v; then
		shift
		if grep -e "$1" "$2" >/dev/null; then
			echo >&2 "test_grep: found '$1' in $2:"
			cat >&2 "$2"
			return 1
		fi
		return 0
	fi
	if ! grep -e "$1" "$2" >/dev/null; then
		echo >&2 "test_grep: no '$1' in $2:"
		cat >&2 "$2"
		return 1
	fi
}

# The output of a push as the server printed it: "remote: " lines with
# the prefix and git's padding removed.
gg_remote_lines() {
	sed -n -e 's/^remote: //p' "$1" | sed -e 's/[ 	]*$//'
}

# Fail if a sanitizer or valgrind complained in a captured output.
gg_no_sanitizer_report() {
	if grep -e 'AddressSanitizer' -e 'LeakSanitizer' -e 'runtime error:' \
		-e '== ERROR SUMMARY: [1-9]' -e 'BUG: ' "$1" >/dev/null; then
		echo >&2 "a sanitizer or valgrind reported a problem:"
		cat >&2 "$1"
		return 1
	fi
}

# --- GitOps helpers -------------------------------------------------------

# gg_bare_repo <dir>: a bare repository with push options advertised.
gg_bare_repo() {
	git init -q --bare -b main "$1" &&
	git -C "$1" config receive.advertisePushOptions true
}

# gg_hook_program <hook>: the path of a built hook, or a valgrind wrapper.
gg_hook_program() {
	if test -n "$GG_VALGRIND"; then
		wrapper=$GG_TRASH/.valgrind-$1
		if ! test -x "$wrapper"; then
			cat >"$wrapper" <<-EOF
			#!/bin/sh
			exec $GG_VALGRIND -q --error-exitcode=126 --leak-check=full \
				--errors-for-leak-kinds=definite \
				"$GG_BUILD_DIR/gitops-guard-$1" "\$@"
			EOF
			chmod +x "$wrapper"
		fi
		echo "$wrapper"
	else
		echo "$GG_BUILD_DIR/gitops-guard-$1"
	fi
}

# gg_install_hook <repo> <hook> [<policy-file>]: link the built hook into
# <repo>/hooks; a policy file becomes the repository config layer.
gg_install_hook() {
	if ! test -x "$GG_BUILD_DIR/gitops-guard-$2"; then
		echo >&2 "gg_install_hook: no $GG_BUILD_DIR/gitops-guard-$2 (set GG_BUILD_DIR)"
		return 1
	fi &&
	ln -sf "$(gg_hook_program "$2")" "$1/hooks/$2" &&
	if test -n "$3"; then
		git -C "$1" config gitops-guard.policy "$(cd "$(dirname "$3")" && pwd)/$(basename "$3")"
	fi
}

# gg_system_policy <file>: use <file> (path in the trash) as system policy.
gg_system_policy() {
	GITOPS_GUARD_SYSTEM_POLICY=$GG_TRASH/$1
	export GITOPS_GUARD_SYSTEM_POLICY
}

# gg_shipped_packs [<dir>...]: load rule packs from these directories
# (trash-relative or absolute), then from the packs of rules/.
gg_shipped_packs() {
	GITOPS_GUARD_PACK_DIR=
	for d_
	do
		case "$d_" in /*) ;; *) d_=$GG_TRASH/$d_ ;; esac
		GITOPS_GUARD_PACK_DIR=$GITOPS_GUARD_PACK_DIR$d_:
	done
	GITOPS_GUARD_PACK_DIR=$GITOPS_GUARD_PACK_DIR$GG_SRC_DIR/rules
	export GITOPS_GUARD_PACK_DIR
}

# gg_only_rules <rule-glob>...: judge pushes with these rules only.  The
# rule families all judge the same pushes, so a test of one family turns
# the others off with a system policy drop-in (policy.d/ beside the
# system policy file); policy/changed, yaml/invalid and break-glass/denied
# always stay.
gg_only_rules() {
	mkdir -p "$GG_TRASH/policy.d" &&
	gitops-guard rules >"$GG_TRASH/.rules" &&
	{
		echo "version: 1"
		echo "rules:"
		while read -r id sev rest; do
			keep=
			for g in "$@" "policy/changed" "yaml/invalid" "break-glass/denied"
			do
				case "$id" in $g) keep=t ;; esac
			done
			test -n "$keep" || echo "  $id: off"
		done <"$GG_TRASH/.rules"
	} >"$GG_TRASH/policy.d/00-only-rules.yaml"
}

# gg_write <path> <<EOF ... EOF: write stdin to <path>, creating directories.
gg_write() {
	mkdir -p "$(dirname "$1")" && cat >"$1"
}

# gg_commit <dir> <message>: commit everything in work tree <dir>.
gg_commit() {
	git -C "$1" add -A &&
	git -C "$1" commit -q --allow-empty -m "$2"
}

# gg_push <out-file> <work-dir> <git push arguments...>: push from
# <work-dir>, keep the output, return git's status; fails if a sanitizer
# complained.
gg_push() {
	out=$1
	dir=$2
	shift 2
	git -C "$dir" push "$@" >"$out" 2>&1
	push_status=$?
	cat "$out"
	gg_no_sanitizer_report "$out" || return 1
	return $push_status
}

# gg_push_expect_reject <rule-id> <work-dir> <git push arguments...>: the
# push must fail and the server must name <rule-id>.
gg_push_expect_reject() {
	rule=$1
	shift
	if gg_push push.out "$@"; then
		echo >&2 "push succeeded, expected a rejection by [$rule]"
		return 1
	fi
	gg_no_sanitizer_report push.out &&
	test_grep "gitops-guard: error: \[$rule\]" push.out &&
	test_grep "gitops-guard: push rejected" push.out
}

# gg_push_expect_accept <work-dir> <git push arguments...>
gg_push_expect_accept() {
	gg_push push.out "$@" || {
		echo >&2 "push failed, expected it to be accepted"
		return 1
	}
}

# gg_ref <repo> <ref>: the id a ref points at, or "missing".
gg_ref() {
	git -C "$1" rev-parse -q --verify "$2" || echo missing
}

# --- start ---------------------------------------------------------------

if test -z "$test_description"; then
	echo >&2 "$0: set test_description before sourcing lib.sh"
	exit 1
fi

rm -rf "$GG_TRASH" || exit 1
mkdir -p "$GG_TRASH" || exit 1
cd "$GG_TRASH" || exit 1
git config --global init.defaultBranch main
git config --global user.name 'A U Thor'
git config --global user.email author@example.com
git config --global advice.detachedHead false
git config --global protocol.file.allow always
