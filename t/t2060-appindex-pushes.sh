#!/bin/sh
test_description='the app index across pushes, through its per-tree cache'
. "$(dirname "$0")/lib.sh"

# the index, not the rule families, is under test here
gg_only_rules
. "$GG_TEST_DIR/lib-apps.sh"

# Every push is verbose, so that the hook builds the index of the
# pushed tree (from the cache of the tree before it and the diff) and
# writes it to deploy.git/gitops-guard/cache/defs-<tree>, whole or as a
# delta against the tree before.  After each push, the definitions that
# cache gives must be those a full scan of the same tree finds; the
# helper test-defs loads them and compares.

PATH=$GG_BUILD_DIR/t/helper:$PATH
CACHE=deploy.git/gitops-guard/cache

tree_of() {
	git -C deploy.git rev-parse "$1^{tree}"
}

# cache_gives <rev>: the cache has the definitions of <rev>'s tree, and
# they are what a scan finds.
cache_gives() {
	test -f $CACHE/defs-$(tree_of "$1") &&
	test-defs load deploy.git "$1" $CACHE >defs.out &&
	test_grep "^from cache 1" defs.out &&
	test_grep "^identical" defs.out
}

# The cache of the tip of main says what a full scan says.
cache_is_fresh() {
	cache_gives main
}

push_main() {
	gg_commit work "$1" &&
	gg_push_expect_accept work -o gitops.verbose ../deploy.git main
}

test_expect_success 'setup: a server guarding yaml/invalid, one Application' '
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules:
	  yaml/invalid: block
	EOF
	git init -q work &&
	gg_write work/argocd/web.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: web
	  namespace: argocd
	spec:
	  source:
	    repoURL: https://git.example.com/org/deploy.git
	    path: apps/web
	  destination:
	    server: https://kubernetes.default.svc
	    namespace: web
	EOF
	gg_write work/apps/web/deploy.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: web
	EOF
	gg_commit work initial
'
gg_system_policy system.yaml

test_expect_success 'the first push indexes the tree and caches it' '
	gg_push_expect_accept work -o gitops.verbose ../deploy.git main &&
	test_grep "1 apps deploy this ref; the push touches: web" push.out &&
	test -f $CACHE/defs-$(tree_of main) &&
	gg_apps deploy.git >actual &&
	cat >expect <<-\EOF &&
	web	argocd	Application	apps/web	directory	HEAD	manual	default	-	no-cascade
	EOF
	test_cmp expect actual &&
	cache_is_fresh
'

test_expect_success 'a look at a cached tree reads the cache and leaves it as it is' '
	f=$CACHE/defs-$(tree_of main) &&
	touch -d "2001-01-01 00:00:00" $f &&
	touch -d "2002-01-01 00:00:00" stamp &&
	gg_apps deploy.git >actual &&
	test_cmp expect actual &&
	test $f -ot stamp
'

test_expect_success 'an app added: the index of the pushed tree has it' '
	gg_write work/argocd/api.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: api
	  namespace: argocd
	  finalizers:
	  - resources-finalizer.argocd.argoproj.io
	spec:
	  source:
	    repoURL: git@git.example.com:org/deploy.git
	    path: apps/api
	  syncPolicy:
	    automated:
	      prune: true
	EOF
	gg_write work/apps/api/deploy.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: api
	EOF
	push_main "add api" &&
	test_grep "2 apps deploy this ref; the push touches: api" push.out &&
	gg_apps deploy.git >actual &&
	cat >expect <<-\EOF &&
	api	argocd	Application	apps/api	directory	HEAD	auto+prune	default	-	cascade
	web	argocd	Application	apps/web	directory	HEAD	manual	default	-	no-cascade
	EOF
	test_cmp expect actual &&
	cache_is_fresh
'

test_expect_success 'an app moved to another path: its new root, its files follow' '
	git -C work mv apps/web services-web &&
	sed -e "s|path: apps/web|path: services-web|" work/argocd/web.yaml >tmp &&
	mv tmp work/argocd/web.yaml &&
	push_main "move web" &&
	gg_apps deploy.git >actual &&
	cat >expect <<-\EOF &&
	api	argocd	Application	apps/api	directory	HEAD	auto+prune	default	-	cascade
	web	argocd	Application	services-web	directory	HEAD	manual	default	-	no-cascade
	EOF
	test_cmp expect actual &&
	cache_is_fresh &&
	echo "# touch" >>work/services-web/deploy.yaml &&
	push_main "touch web" &&
	test_grep "the push touches: web" push.out
'

test_expect_success 'before the retarget, an invalid manifest on branch release passes' '
	git -C work checkout -q -b release main &&
	printf "a: [1, 2\n" >work/services-web/broken.yaml &&
	gg_commit work "broken on release" &&
	gg_push_expect_accept work -o gitops.verbose ../deploy.git release &&
	test_grep "refs/heads/release: not guarded" push.out &&
	test "$(gg_ref deploy.git release)" = "$(git -C work rev-parse release)" &&
	git -C work checkout -q main
'

test_expect_success 'an app retargeted to branch release' '
	gg_write work/argocd/web.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: web
	  namespace: argocd
	spec:
	  source:
	    repoURL: https://git.example.com/org/deploy.git
	    path: services-web
	    targetRevision: release
	  destination:
	    server: https://kubernetes.default.svc
	    namespace: web
	EOF
	push_main "web follows release" &&
	gg_apps deploy.git >actual &&
	cat >expect <<-\EOF &&
	api	argocd	Application	apps/api	directory	HEAD	auto+prune	default	-	cascade
	web	argocd	Application	services-web	directory	release	manual	default	-	no-cascade
	EOF
	test_cmp expect actual &&
	cache_is_fresh
'

test_expect_success 'after the retarget, pushes to release are guarded and rejected' '
	git -C work checkout -q release &&
	test_when_finished "git -C work checkout -q main" &&
	before=$(gg_ref deploy.git release) &&
	printf "b: {\n" >work/services-web/broken2.yaml &&
	gg_commit work "more broken on release" &&
	gg_push_expect_reject yaml/invalid work -o gitops.verbose ../deploy.git release &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/release services-web/broken2.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	gitops-guard: note: refs/heads/release 1 apps deploy this ref; the push touches: web
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git release)" = "$before"
'

test_expect_success 'a push to release touches the app that deploys it' '
	git -C work checkout -q release &&
	test_when_finished "git -C work checkout -q main" &&
	git -C work rm -q services-web/broken2.yaml &&
	echo "# touch" >>work/services-web/deploy.yaml &&
	gg_commit work "fix release" &&
	gg_push_expect_accept work -o gitops.verbose ../deploy.git release &&
	test_grep "refs/heads/release 1 apps deploy this ref; the push touches: web" push.out
'

test_expect_success 'an app deleted: gone from the index' '
	git -C work rm -q argocd/api.yaml &&
	push_main "delete api" &&
	gg_apps deploy.git >actual &&
	cat >expect <<-\EOF &&
	web	argocd	Application	services-web	directory	release	manual	default	-	no-cascade
	EOF
	test_cmp expect actual &&
	cache_is_fresh
'

test_expect_success 'an app retargeted back to HEAD: release is no longer guarded' '
	gg_write work/argocd/web.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: web
	  namespace: argocd
	spec:
	  source:
	    repoURL: https://git.example.com/org/deploy.git
	    path: services-web
	  destination:
	    server: https://kubernetes.default.svc
	    namespace: web
	EOF
	push_main "web follows main again" &&
	test_grep "1 apps deploy this ref; the push touches: none" push.out &&
	cache_is_fresh &&
	git -C work checkout -q release &&
	test_when_finished "git -C work checkout -q main" &&
	printf "c: [\n" >work/services-web/broken3.yaml &&
	gg_commit work "broken again on release" &&
	gg_push_expect_accept work -o gitops.verbose ../deploy.git release &&
	test_grep "refs/heads/release: not guarded" push.out
'

# --- corrupt cache files ---------------------------------------------------

# corrupt <how>: damage the cache file of the tip of main.
corrupt() {
	f=$CACHE/defs-$(tree_of main) &&
	test -f $f &&
	cp $f whole &&
	case "$1" in
	garbage) printf "\001\002 not a cache \377\n" >$f ;;
	truncated) head -c 70 whole >$f ;;
	cut-at-line) head -n 2 whole >$f ;;
	nul) { cat whole && printf "\000C\tx\n"; } >$f ;;
	absent-path) { cat whole && printf "C\t\\\\N\nC\ta/Chart.yaml\n"; } >$f ;;
	empty) : >$f ;;
	esac
}

for how in garbage truncated cut-at-line nul absent-path empty
do
	test_expect_success "a $how cache file: the next push works and rewrites it" '
		cache_is_fresh &&
		corrupt '$how' &&
		echo "# '$how'" >>work/services-web/deploy.yaml &&
		push_main "after a '$how' cache" &&
		test_grep "1 apps deploy this ref; the push touches: web" push.out &&
		gg_no_sanitizer_report push.out &&
		cache_gives main~1 &&
		cache_gives main
	'
done

test_expect_success 'a kustomization with many references is cached like any other' '
	mkdir -p work/apps/big &&
	{
		echo "resources:" &&
		i=0 &&
		while test $i -lt 120
		do
			echo "- r$i.yaml" &&
			printf "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r%d\n" $i \
				>work/apps/big/r$i.yaml || return 1
			i=$((i + 1))
		done
	} >work/apps/big/kustomization.yaml &&
	push_main "a big kustomization" &&
	cache_is_fresh &&
	f=$CACHE/defs-$(tree_of main) &&
	touch -d "2001-01-01 00:00:00" $f &&
	gg_apps deploy.git >/dev/null &&
	test $f -ot stamp
'

test_expect_success 'a cache directory that cannot be written costs time, not the push' '
	rm -rf $CACHE &&
	mkdir -p deploy.git/gitops-guard &&
	echo "not a directory" >$CACHE &&
	test_when_finished "rm -f $CACHE" &&
	echo "# unwritable" >>work/services-web/deploy.yaml &&
	push_main "no cache" &&
	test_grep "the push touches: web" push.out &&
	gg_apps deploy.git >actual &&
	test_grep "^web	" actual
'

# --- rejected pushes -------------------------------------------------------

test_expect_success 'a rejected push leaves no wrong index behind' '
	gg_apps deploy.git >before &&
	main_before=$(gg_ref deploy.git main) &&
	gg_write work/argocd/worker.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: worker
	  namespace: argocd
	spec:
	  source:
	    repoURL: https://git.example.com/org/deploy
	    path: apps/worker
	EOF
	printf "x: [\n" >work/apps/broken.yaml &&
	gg_commit work "worker and a broken file" &&
	rejected_tree=$(git -C work rev-parse HEAD^{tree}) &&
	gg_push_expect_reject yaml/invalid work -o gitops.verbose ../deploy.git main &&
	test "$(gg_ref deploy.git main)" = "$main_before" &&
	gg_apps deploy.git >after &&
	test_cmp before after &&
	cache_is_fresh &&
	# a cache file of the rejected tree, if any, is that tree'"'"'s
	if test -f $CACHE/defs-$rejected_tree
	then
		test-defs load work/.git HEAD $CACHE >defs.out &&
		test_grep "^identical" defs.out
	fi
'

test_expect_success 'the push that fixes it is indexed from the accepted tree' '
	git -C work rm -q apps/broken.yaml &&
	push_main "worker without the broken file" &&
	gg_apps deploy.git >actual &&
	cat >expect <<-\EOF &&
	web	argocd	Application	services-web	directory	HEAD	manual	default	-	no-cascade
	worker	argocd	Application	apps/worker	directory	HEAD	manual	default	-	no-cascade
	EOF
	test_cmp expect actual &&
	cache_is_fresh
'

test_expect_success 'a cache of a rejected tree matches that tree if it comes back' '
	git -C work revert --no-edit HEAD >/dev/null &&
	test "$(git -C work rev-parse HEAD^{tree})" = "$rejected_tree" &&
	gg_push_expect_reject yaml/invalid work -o gitops.verbose ../deploy.git main &&
	test_grep "2 apps deploy this ref; the push touches: none" push.out &&
	git -C work reset -q --hard "$(gg_ref deploy.git main)"
'

test_expect_success 'concurrent pushes to guarded branches keep every cache file whole' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	branches: ["c*"]
	rules:
	  yaml/invalid: block
	EOF
	for b in c1 c2 c3 c4
	do
		git -C work checkout -q -b $b main &&
		gg_write work/apps/$b/cm.yaml <<-EOF &&
		apiVersion: v1
		kind: ConfigMap
		metadata:
		  name: $b
		EOF
		gg_commit work $b || return 1
	done &&
	git -C work checkout -q main &&
	for b in c1 c2 c3 c4
	do
		git -C work push -q -o gitops.verbose ../deploy.git $b \
			>push-$b.out 2>&1 &
	done &&
	wait &&
	for b in c1 c2 c3 c4
	do
		gg_no_sanitizer_report push-$b.out &&
		test "$(gg_ref deploy.git $b)" = "$(git -C work rev-parse $b)" ||
		return 1
	done &&
	for f in $CACHE/defs-*
	do
		t=${f##*/defs-} &&
		head -n 1 $f >head &&
		grep -E "^gitops-guard-defs(-delta 5)? (6 )?$t( |\$)" head ||
		return 1
	done &&
	! ls $CACHE | grep tmp
'

# --- Lists ---------------------------------------------------------------

test_expect_success 'an Application that is the item of a List is indexed' '
	gg_write work/argocd/listed.yaml <<-\EOF &&
	apiVersion: v1
	kind: List
	items:
	- apiVersion: argoproj.io/v1alpha1
	  kind: Application
	  metadata: {name: listed, namespace: argocd}
	  spec:
	    source: {repoURL: "https://git.example.com/org/deploy.git", path: apps/listed}
	EOF
	gg_write work/apps/listed/cm.yaml <<-\EOF &&
	apiVersion: v1
	kind: ConfigMap
	metadata: {name: listed}
	EOF
	push_main "an app in a List" &&
	test_grep "apps deploy this ref; the push touches: listed *$" push.out &&
	gg_apps deploy.git >actual &&
	test_grep "^listed	argocd	Application	apps/listed	directory	HEAD	manual	" actual &&
	cache_is_fresh
'

test_expect_success 'a definitions cache of an older format is scanned again' '
	f=$CACHE/defs-$(tree_of main) &&
	sed -e "s/^gitops-guard-defs 6 /gitops-guard-defs 5 /" \
		-e "s/^gitops-guard-defs-delta 5 /gitops-guard-defs-delta 4 /" \
		-e "/listed/d" $f >old-format &&
	cp old-format $f &&
	rm -f $CACHE/defsbin-* &&
	test-defs load deploy.git main $CACHE >defs.out &&
	test_grep "^from cache 0" defs.out &&
	test_grep "^identical" defs.out &&
	head -n 1 $f >head &&
	test_grep "^gitops-guard-defs 6 " head &&
	cache_is_fresh
'

test_done
