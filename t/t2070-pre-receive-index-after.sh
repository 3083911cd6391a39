#!/bin/sh
test_description='pre-receive: the app index after a push, reused or rebuilt'
. "$(dirname "$0")/lib.sh"
PATH=$GG_BUILD_DIR/t/helper:$PATH

# The index after an update is the index before it when the push changes
# no definition and no directory; these pushes each change one thing that
# the index depends on, with modifications only, and check the index
# after it (shown with -o gitops.verbose) against what a fresh build says.

app() {
	gg_write "work/argocd/$1.yaml" <<-EOF
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: $1
	  namespace: argocd
	spec:
	  project: default
	  source:
	    repoURL: https://git.example.com/org/server.git
	    targetRevision: ${2:-HEAD}
	    path: apps/$1
	  destination:
	    server: https://kubernetes.default.svc
	    namespace: $1
	EOF
}

cm() {
	printf "kind: ConfigMap\nmetadata:\n  name: %s\n" "$1"
}

# touched <file>: the "the push touches:" part of the verbose note
touched() {
	sed -n "s/.*apps deploy this ref; the push touches: \(.*[^ ]\) *$/\1/p" "$1"
}

# deploying <file>: how many apps deploy the ref, from the verbose note
deploying() {
	sed -n "s/.*note: refs\/heads\/main \([0-9]*\) apps deploy this ref.*/\1/p" "$1"
}

test_expect_success 'setup: kustomize apps, a git files generator, a server' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	git init -q work &&
	app guestbook &&
	app billing &&
	gg_write work/apps/guestbook/kustomization.yaml <<-\EOF &&
	resources:
	  - deploy.yaml
	EOF
	cm a | gg_write work/apps/guestbook/deploy.yaml &&
	cm b | gg_write work/apps/guestbook/other.yaml &&
	cm c | gg_write work/apps/billing/cm.yaml &&
	gg_write work/argocd/clusters.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: ApplicationSet
	metadata:
	  name: clusters
	  namespace: argocd
	spec:
	  generators:
	    - git:
	        repoURL: https://git.example.com/org/server.git
	        revision: HEAD
	        files:
	          - path: clusters/*.json
	  template:
	    metadata:
	      name: "{{name}}"
	    spec:
	      project: default
	      source:
	        repoURL: https://git.example.com/org/server.git
	        targetRevision: HEAD
	        path: "{{path}}"
	      destination:
	        server: https://kubernetes.default.svc
	EOF
	gg_write work/clusters/list.json <<-\EOF &&
	[{"name": "east", "path": "apps/billing"}]
	EOF
	gg_commit work initial &&
	gg_push_expect_accept work ../server.git main -o gitops.verbose &&
	test "$(deploying push.out)" = 3
'

test_expect_success 'a change to a plain manifest keeps the index' '
	cm a2 >work/apps/guestbook/deploy.yaml &&
	gg_commit work plain &&
	gg_push_expect_accept work ../server.git main -o gitops.verbose &&
	test "$(deploying push.out)" = 3 &&
	test "$(touched push.out)" = guestbook
'

test_expect_success 'a kustomization whose references change has another shape' '
	old=$(gg_ref server.git main) &&
	gg_write work/apps/guestbook/kustomization.yaml <<-\EOF &&
	resources:
	  - deploy.yaml
	  - ../billing/cm.yaml
	EOF
	gg_commit work reach &&
	gg_push_expect_accept work ../server.git main -o gitops.verbose &&
	test-defs update server.git $old main server.git/gitops-guard/cache >out &&
	printf "same shape 0\nidentical\n" >expect &&
	test_cmp expect out
'

test_expect_success 'a kustomization that only changes an image keeps the shape' '
	old=$(gg_ref server.git main) &&
	gg_write work/apps/guestbook/kustomization.yaml <<-\EOF &&
	resources:
	  - deploy.yaml
	  - ../billing/cm.yaml
	images:
	  - name: guestbook
	    newTag: "2"
	EOF
	gg_commit work tag &&
	gg_push_expect_accept work ../server.git main -o gitops.verbose &&
	test "$(touched push.out)" = guestbook &&
	test-defs update server.git $old main server.git/gitops-guard/cache >out &&
	printf "same shape 1\nidentical\n" >expect &&
	test_cmp expect out
'

test_expect_success 'an Application that tracks another branch changes the index' '
	app billing release &&
	gg_commit work retarget &&
	gg_push_expect_accept work ../server.git main -o gitops.verbose &&
	test "$(deploying push.out)" = 2
'

test_expect_success 'a file a git files generator reads changes the index' '
	gg_write work/clusters/list.json <<-\EOF &&
	[{"name": "east", "path": "apps/billing"},
	 {"name": "west", "path": "apps/billing"}]
	EOF
	gg_commit work west &&
	gg_push_expect_accept work ../server.git main -o gitops.verbose &&
	test "$(deploying push.out)" = 3 &&
	test "$(touched push.out)" = "east, west"
'

test_expect_success 'the definitions of each pushed tree load from the cache' '
	test-defs load server.git main server.git/gitops-guard/cache >out &&
	grep "^from cache 1, depth [1-9]" out &&
	for rev in main main~1 main~2 main~3 main~4
	do
		test-defs load server.git $rev server.git/gitops-guard/cache >out &&
		grep "^from cache 1" out &&
		grep "^identical" out || return 1
	done
'

test_expect_success 'a policy change does not find the index of the old policy' '
	gg_write policy.yaml <<-\EOF &&
	version: 1
	repo_urls: ["https://git.example.com/org/elsewhere.git"]
	EOF
	git -C server.git config gitops-guard.policy "$PWD/policy.yaml" &&
	cm a3 >work/apps/guestbook/deploy.yaml &&
	gg_commit work policy &&
	gg_push_expect_accept work ../server.git main -o gitops.verbose &&
	test "$(deploying push.out)" = 0 &&
	git -C server.git config --unset gitops-guard.policy &&
	cm a4 >work/apps/guestbook/deploy.yaml &&
	gg_commit work back &&
	gg_push_expect_accept work ../server.git main -o gitops.verbose &&
	test "$(deploying push.out)" = 3
'

test_expect_success 'so does a change in a drop-in of the system policy' '
	mkdir -p "$GG_TRASH/policy.d" &&
	gg_write "$GG_TRASH/policy.d/50-elsewhere.yaml" <<-\EOF &&
	version: 1
	repo_urls: ["https://git.example.com/org/elsewhere.git"]
	EOF
	cm a5 >work/apps/guestbook/deploy.yaml &&
	gg_commit work drop-in &&
	gg_push_expect_accept work ../server.git main -o gitops.verbose &&
	test "$(deploying push.out)" = 0 &&
	rm "$GG_TRASH/policy.d/50-elsewhere.yaml" &&
	cm a6 >work/apps/guestbook/deploy.yaml &&
	gg_commit work no-drop-in &&
	gg_push_expect_accept work ../server.git main -o gitops.verbose &&
	test "$(deploying push.out)" = 3
'

# note_of <file> <branch>: the count of apps that deploy <branch>
note_of() {
	sed -n "s/.*note: refs\/heads\/$2 \([0-9]*\) apps deploy this ref.*/\1/p" "$1"
}

test_expect_success 'a new branch that defines nothing new gets the index of main' '
	git -C work checkout -q -b release &&
	cm c3 >work/apps/billing/cm.yaml &&
	gg_commit work on-release &&
	gg_push_expect_accept work ../server.git release -o gitops.verbose &&
	test "$(note_of push.out release)" = 1 &&
	test "$(touched push.out)" = billing &&
	git -C work checkout -q main
'

test_expect_success 'a new branch with an Application of its own gets its own index' '
	gg_write policy.yaml <<-\EOF &&
	version: 1
	branches: ["feature"]
	EOF
	git -C server.git config gitops-guard.policy "$PWD/policy.yaml" &&
	git -C work checkout -q -b feature main &&
	app extra feature &&
	gg_commit work extra &&
	gg_push_expect_accept work ../server.git feature -o gitops.verbose &&
	test "$(note_of push.out feature)" = 1 &&
	git -C server.git config --unset gitops-guard.policy &&
	git -C work checkout -q main
'

test_expect_success 'under another blob limit the index is cached apart' '
	gg_write policy.yaml <<-\EOF &&
	version: 1
	limits:
	  max_blob_bytes: 1024
	rules:
	  yaml/invalid: "off"
	EOF
	gg_system_policy policy.yaml &&
	test_when_finished "gg_system_policy no-system-policy.yaml" &&
	app big &&
	i=0 &&
	while test $i -lt 30
	do
		echo "# padding that takes the file over the limit, line $i" \
			>>work/argocd/big.yaml &&
		i=$((i + 1))
	done &&
	gg_commit work big &&
	gg_push_expect_accept work ../server.git main -o gitops.verbose &&
	n=$(deploying push.out) &&
	test -d server.git/gitops-guard/cache-max-blob-1024 &&
	gg_system_policy no-system-policy.yaml &&
	cm a5 >work/apps/guestbook/deploy.yaml &&
	gg_commit work unlimited &&
	gg_push_expect_accept work ../server.git main -o gitops.verbose &&
	test "$(deploying push.out)" = $((n + 1))
'

test_expect_success 'the index after each push is the one a fresh build gives' '
	gitops-guard apps --repo server.git >cached &&
	rm -rf server.git/gitops-guard/cache &&
	gitops-guard apps --repo server.git >fresh &&
	test_cmp fresh cached
'

test_done
