#!/bin/sh
test_description='gitops-guard install: links, copies, chains, idempotence, then a judged push'
. "$(dirname "$0")/lib.sh"

# gg_link <path>: where a symbolic link points, or "not a link".
gg_link() {
	if test -h "$1"; then
		ls -l "$1" | sed -e 's/.* -> //'
	else
		echo "not a link"
	fi
}

test_expect_success 'setup: a bare repository and a work repository' '
	git init -q --bare -b main server.git &&
	git init -q work &&
	gg_write work/apps/guestbook/deploy.yaml <<-\EOF &&
	kind: Deployment
	EOF
	gg_commit work initial &&
	gg_write system.yaml <<-\EOF
	version: 1
	rules: {yaml/invalid: block}
	EOF
'
gg_system_policy system.yaml

test_expect_success 'install links pre-receive and post-receive, advertises push options' '
	test_must_fail git -C server.git config receive.advertisePushOptions &&
	gitops-guard install --hook-dir "$GG_BUILD_DIR" server.git >actual 2>err &&
	cat >expect <<-EOF &&
	$GG_TRASH/server.git/hooks/pre-receive: linked to $GG_BUILD_DIR/gitops-guard-pre-receive
	$GG_TRASH/server.git/hooks/post-receive: linked to $GG_BUILD_DIR/gitops-guard-post-receive
	EOF
	test_cmp expect actual &&
	test_cmp /dev/null err &&
	test "$(gg_link server.git/hooks/pre-receive)" = "$GG_BUILD_DIR/gitops-guard-pre-receive" &&
	test "$(gg_link server.git/hooks/post-receive)" = "$GG_BUILD_DIR/gitops-guard-post-receive" &&
	test ! -e server.git/hooks/update &&
	test "$(git -C server.git config receive.advertisePushOptions)" = true
'

test_expect_success 'running it again changes nothing' '
	gitops-guard install --hook-dir "$GG_BUILD_DIR" server.git >actual &&
	cat >expect <<-EOF &&
	$GG_TRASH/server.git/hooks/pre-receive: already installed
	$GG_TRASH/server.git/hooks/post-receive: already installed
	EOF
	test_cmp expect actual &&
	test "$(gg_link server.git/hooks/pre-receive)" = "$GG_BUILD_DIR/gitops-guard-pre-receive" &&
	test "$(git -C server.git config --get-all receive.advertisePushOptions)" = true
'

test_expect_success 'a push through the installed hooks is judged' '
	gg_push_expect_accept work ../server.git main &&
	printf "a: [\n" >work/apps/guestbook/broken.yaml &&
	gg_commit work broken &&
	gg_push_expect_reject yaml/invalid work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main~1)"
'

test_expect_success 'push options reach the installed hooks; post-receive writes the note' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: confirm}
	EOF
	gg_push_expect_accept work -o gitops.confirm=yaml/invalid \
		../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	git -C server.git notes --ref gitops-guard show main >note &&
	test_grep "(confirmed by unknown)$" note
'

test_expect_success 'a foreign hook is left alone (exit 2)' '
	git init -q --bare foreign.git &&
	printf "#!/bin/sh\nexit 0\n" >foreign.git/hooks/pre-receive &&
	chmod +x foreign.git/hooks/pre-receive &&
	cp foreign.git/hooks/pre-receive mine &&
	test_expect_code 2 gitops-guard install --hook-dir "$GG_BUILD_DIR" \
		foreign.git >out 2>err &&
	test_cmp /dev/null out &&
	cat >expect <<-EOF &&
	gitops-guard: '"'$GG_TRASH/foreign.git/hooks/pre-receive'"' exists and is not gitops-guard'"'"'s; chain it (--chain) or replace it (--force)
	EOF
	test_cmp expect err &&
	test_cmp mine foreign.git/hooks/pre-receive &&
	test ! -e foreign.git/hooks/post-receive
'

test_expect_success 'a foreign symbolic link is left alone too' '
	git init -q --bare foreign-link.git &&
	ln -s "$GG_TRASH/mine" foreign-link.git/hooks/post-receive &&
	test_expect_code 2 gitops-guard install --hook-dir "$GG_BUILD_DIR" \
		foreign-link.git >out 2>err &&
	test_grep "hooks/post-receive'"'"' exists and is not gitops-guard'"'"'s" err &&
	test "$(gg_link foreign-link.git/hooks/post-receive)" = "$GG_TRASH/mine"
'

test_expect_success '--force replaces a foreign hook' '
	gitops-guard install --force --hook-dir "$GG_BUILD_DIR" foreign.git >out &&
	test "$(gg_link foreign.git/hooks/pre-receive)" = "$GG_BUILD_DIR/gitops-guard-pre-receive" &&
	test "$(gg_link foreign.git/hooks/post-receive)" = "$GG_BUILD_DIR/gitops-guard-post-receive"
'

test_expect_success '--update installs the update hook instead of pre-receive' '
	git init -q --bare -b main upd.git &&
	gitops-guard install --update --hook-dir "$GG_BUILD_DIR" upd.git >actual &&
	cat >expect <<-EOF &&
	$GG_TRASH/upd.git/hooks/update: linked to $GG_BUILD_DIR/gitops-guard-update
	$GG_TRASH/upd.git/hooks/post-receive: linked to $GG_BUILD_DIR/gitops-guard-post-receive
	EOF
	test_cmp expect actual &&
	test ! -e upd.git/hooks/pre-receive &&
	git -C work push -q ../upd.git main~1:refs/heads/main &&
	test_must_fail gg_push push.out work ../upd.git main &&
	gg_no_sanitizer_report push.out &&
	test_grep "^remote: error: hook declined to update refs/heads/main" push.out &&
	test_grep "hint: confirm with the trailer" push.out
'

test_expect_success 'switching to --update removes our pre-receive, and back' '
	gitops-guard install --hook-dir "$GG_BUILD_DIR" upd.git >out &&
	test -h upd.git/hooks/pre-receive &&
	test ! -e upd.git/hooks/update &&
	test_grep "hooks/update: removed (the pre-receive hook judges these pushes now)" out &&
	gitops-guard install --update --hook-dir "$GG_BUILD_DIR" upd.git >out &&
	test -h upd.git/hooks/update &&
	test ! -e upd.git/hooks/pre-receive &&
	test_grep "hooks/pre-receive: removed (the update hook judges these pushes now)" out
'

test_expect_success 'a foreign update hook stays when pre-receive is installed' '
	git init -q --bare twin.git &&
	printf "#!/bin/sh\nexit 0\n" >twin.git/hooks/update &&
	chmod +x twin.git/hooks/update &&
	gitops-guard install --hook-dir "$GG_BUILD_DIR" twin.git >out &&
	test -f twin.git/hooks/update && ! test -h twin.git/hooks/update
'

test_expect_success '--no-post-receive installs only the judging hook' '
	git init -q --bare nopost.git &&
	gitops-guard install --no-post-receive --hook-dir "$GG_BUILD_DIR" nopost.git >actual &&
	test $(wc -l <actual) = 1 &&
	test -h nopost.git/hooks/pre-receive &&
	test ! -e nopost.git/hooks/post-receive
'

test_expect_success '--copy copies the programs' '
	git init -q --bare copy.git &&
	gitops-guard install --copy --hook-dir "$GG_BUILD_DIR" copy.git >actual &&
	cat >expect <<-EOF &&
	$GG_TRASH/copy.git/hooks/pre-receive: copied from $GG_BUILD_DIR/gitops-guard-pre-receive
	$GG_TRASH/copy.git/hooks/post-receive: copied from $GG_BUILD_DIR/gitops-guard-post-receive
	EOF
	test_cmp expect actual &&
	test ! -h copy.git/hooks/pre-receive &&
	test -x copy.git/hooks/pre-receive &&
	cmp "$GG_BUILD_DIR/gitops-guard-pre-receive" copy.git/hooks/pre-receive &&
	cmp "$GG_BUILD_DIR/gitops-guard-post-receive" copy.git/hooks/post-receive &&
	ls copy.git/hooks >list &&
	test_grep -v "gitops-guard-tmp" list
'

test_expect_success '--copy again is idempotent; a link install replaces the copy' '
	gitops-guard install --copy --hook-dir "$GG_BUILD_DIR" copy.git >actual &&
	test_grep "pre-receive: already installed$" actual &&
	gitops-guard install --hook-dir "$GG_BUILD_DIR" copy.git >actual &&
	test_grep "pre-receive: linked to " actual &&
	test -h copy.git/hooks/pre-receive
'

test_expect_success 'a push through copied hooks is judged' '
	git init -q --bare -b main copied.git &&
	gitops-guard install --copy --hook-dir "$GG_BUILD_DIR" copied.git >out &&
	gg_push_expect_reject yaml/invalid work ../copied.git main &&
	test "$(gg_ref copied.git main)" = missing
'

test_expect_success '--chain custom_hooks installs into <hook>.d/gitops-guard' '
	git init -q --bare -b main chain.git &&
	gitops-guard install --chain custom_hooks --hook-dir "$GG_BUILD_DIR" \
		chain.git >actual &&
	cat >expect <<-EOF &&
	$GG_TRASH/chain.git/custom_hooks/pre-receive.d/gitops-guard: linked to $GG_BUILD_DIR/gitops-guard-pre-receive
	$GG_TRASH/chain.git/custom_hooks/post-receive.d/gitops-guard: linked to $GG_BUILD_DIR/gitops-guard-post-receive
	EOF
	test_cmp expect actual &&
	test ! -e chain.git/hooks/pre-receive &&
	test "$(git -C chain.git config receive.advertisePushOptions)" = true &&
	gitops-guard install --chain custom_hooks --hook-dir "$GG_BUILD_DIR" \
		chain.git >actual &&
	test_grep "pre-receive.d/gitops-guard: already installed$" actual
'

test_expect_success 'a push through a chain runner (as GitLab runs custom_hooks) is judged' '
	cat >chain.git/hooks/pre-receive <<-\EOF &&
	#!/bin/sh
	# run every custom_hooks/pre-receive.d/* with the same stdin
	cat >"$GIT_DIR/chain.in"
	for h in "$GIT_DIR"/custom_hooks/pre-receive.d/*
	do
		"$h" <"$GIT_DIR/chain.in" || exit $?
	done
	EOF
	chmod +x chain.git/hooks/pre-receive &&
	gg_push_expect_reject yaml/invalid work ../chain.git main &&
	test "$(gg_ref chain.git main)" = missing &&
	gg_push_expect_accept work ../chain.git main~1:refs/heads/main &&
	test "$(gg_ref chain.git main)" = "$(git -C work rev-parse main~1)"
'

test_expect_success '--chain outside the repository is refused' '
	test_expect_code 2 gitops-guard install --chain ../elsewhere \
		--hook-dir "$GG_BUILD_DIR" chain.git >out 2>err &&
	test_grep "^gitops-guard: --chain takes a directory inside the repository$" err &&
	test_expect_code 2 gitops-guard install --chain /tmp \
		--hook-dir "$GG_BUILD_DIR" chain.git >out 2>err &&
	test ! -e elsewhere
'

test_expect_success 'a --hook-dir without the programs is refused (exit 2)' '
	git init -q --bare nohooks.git &&
	test_expect_code 2 gitops-guard install --hook-dir "$GG_TRASH/nowhere" \
		nohooks.git >out 2>err &&
	echo "gitops-guard: no hook program '"'$GG_TRASH/nowhere/gitops-guard-pre-receive'"' (use --hook-dir)" >expect &&
	test_cmp expect err &&
	test ! -e nohooks.git/hooks/pre-receive
'

test_expect_success 'GITOPS_GUARD_HOOK_DIR names the programs when --hook-dir is not given' '
	git init -q --bare env.git &&
	GITOPS_GUARD_HOOK_DIR=$GG_BUILD_DIR gitops-guard install env.git >out &&
	test "$(gg_link env.git/hooks/pre-receive)" = "$GG_BUILD_DIR/gitops-guard-pre-receive"
'

test_expect_success 'a relative --hook-dir gives links that resolve' '
	git init -q --bare rel.git &&
	mkdir -p progs &&
	cp "$GG_BUILD_DIR/gitops-guard-pre-receive" \
		"$GG_BUILD_DIR/gitops-guard-post-receive" progs/ &&
	gitops-guard install --hook-dir progs rel.git >out &&
	test -x rel.git/hooks/pre-receive &&
	test -x rel.git/hooks/post-receive &&
	test "$(gg_link rel.git/hooks/pre-receive)" = "$GG_TRASH/progs/gitops-guard-pre-receive" &&
	gitops-guard install --hook-dir progs rel.git >actual &&
	test_grep "pre-receive: already installed$" actual
'

test_expect_success 'several repositories at once; a missing one is an error' '
	git init -q --bare one.git &&
	git init -q --bare two.git &&
	gitops-guard install --hook-dir "$GG_BUILD_DIR" one.git two.git >out &&
	test -h one.git/hooks/pre-receive &&
	test -h two.git/hooks/pre-receive &&
	test_expect_code 2 gitops-guard install --hook-dir "$GG_BUILD_DIR" \
		no-such.git >out 2>err &&
	test_grep "^gitops-guard: no-such.git: cannot open repository" err
'

test_done
