#!/bin/sh
test_description='appset/generator-shrink: an ApplicationSet that generates fewer Applications'
. "$(dirname "$0")/lib.sh"
. "$GG_TEST_DIR/lib-gitops.sh"

# the deletion family only: the other families judge these pushes too
gg_only_rules 'app/*' 'protect/*' 'appset/*' 'ref/*'

keep_work() {
	test_when_finished "git -C $1 reset -q --hard $(git -C "$1" rev-parse HEAD)"
}

undo_push() {
	test_when_finished "git -C $1 update-ref refs/heads/main $(gg_ref "$1" main)"
}

# appset <file> <name> <generator yaml> [<syncPolicy yaml>]: an
# ApplicationSet whose apps deploy svc/{{app}} (tabs in the
# YAML arguments are dropped).
appset() {
	mkdir -p "$(dirname "$1")" &&
	{
		cat <<-EOF
		apiVersion: argoproj.io/v1alpha1
		kind: ApplicationSet
		metadata:
		  name: $2
		  namespace: argocd
		spec:
		  generators:
		EOF
		printf '%s\n' "$3" | tr -d '\t' &&
		cat <<-EOF
		  template:
		    metadata:
		      name: '$2-{{app}}'
		    spec:
		      project: default
		      source:
		        repoURL: $GG_URL
		        path: 'svc/{{app}}'
		      destination: {server: https://kubernetes.default.svc, namespace: '{{app}}'}
		EOF
		test -z "$4" || printf '  syncPolicy:\n%s\n' "$4" | tr -d '\t'
	} >"$1"
}

test_expect_success 'setup: git directory generator over apps/*/envs/*' '
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	git init -q work &&
	gg_appset_layout work &&
	appset work/argocd/list-set.yaml listed "    - list:
	        elements: [{app: guestbook}, {app: web}]" &&
	appset work/argocd/files-set.yaml filed "    - git:
	        repoURL: $GG_URL
	        files: [{path: \"config/*/app.json\"}]" &&
	appset work/argocd/kept-set.yaml kept "    - list:
	        elements: [{app: guestbook}, {app: web}]" \
		"    preserveResourcesOnDeletion: true" &&
	appset work/argocd/create-only-set.yaml createonly "    - list:
	        elements: [{app: guestbook}, {app: web}]" \
		"    applicationsSync: create-only" &&
	appset work/bootstrap/manual-set.yaml manual "    - list:
	        elements: [{app: guestbook}, {app: web}]" &&
	appset work/argocd/staging-set.yaml staged "    - git:
	        repoURL: $GG_URL
	        revision: staging
	        directories: [{path: \"apps/*\"}]" &&
	sed -e "s|{{app}}|{{path.basename}}|g" work/argocd/staging-set.yaml >s.yaml &&
	mv s.yaml work/argocd/staging-set.yaml &&
	gg_objects work/svc/guestbook/objects.yaml guestbook- 2 &&
	gg_objects work/svc/web/objects.yaml web- 2 &&
	mkdir -p work/config/guestbook work/config/web &&
	echo "{\"app\": \"guestbook\"}" >work/config/guestbook/app.json &&
	echo "{\"app\": \"web\"}" >work/config/web/app.json &&
	gg_commit work initial &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out &&
	gitops-guard apps --repo deploy.git >apps &&
	test_grep "^web-staging	" apps &&
	test_grep "^filed-web	" apps
'

test_expect_success 'rejects deleting a directory the generator matched' '
	keep_work work &&
	git -C work rm -q -r apps/web/envs/staging &&
	gg_commit work "no web staging" &&
	before=$(gg_ref deploy.git main) &&
	gg_push_expect_reject appset/generator-shrink work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [appset/generator-shrink] refs/heads/main argocd/guestbook-set.yaml:1: ApplicationSet '"'guestbook'"' would no longer generate 1 of its 6 Applications (web-staging); Argo CD deletes it, and the resources finalizer deletes every resource it deployed
	  hint: to keep their resources, first set spec.syncPolicy.preserveResourcesOnDeletion: true in a push of its own and let it sync; a renamed directory or element deletes and re-creates its Application
	  hint: confirm with: git push -o gitops.confirm=appset/generator-shrink:argocd/guestbook-set.yaml
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain appset/generator-shrink'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before"
'

test_expect_success 'accepts the same push confirmed for the ApplicationSet' '
	keep_work work &&
	undo_push deploy.git &&
	git -C work rm -q -r apps/web/envs/staging &&
	gg_commit work "no web staging" &&
	gg_push_expect_accept work \
		-o gitops.confirm=appset/generator-shrink:argocd/guestbook-set.yaml \
		../deploy.git main &&
	test "$(gg_ref deploy.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'rejects renaming a directory: its Application is deleted and re-created' '
	keep_work work &&
	git -C work mv apps/web/envs/staging apps/web/envs/stage &&
	gg_commit work "rename staging" &&
	gg_push_expect_reject appset/generator-shrink work ../deploy.git main &&
	test_grep "would no longer generate 1 of its 6 Applications (web-staging)" push.out
'

test_expect_success 'moving apps to a new path that keeps their names deletes nothing' '
	keep_work work &&
	undo_push deploy.git &&
	mkdir -p work/services &&
	git -C work mv apps/web services/web &&
	sed -e "s|path: apps/\*/envs/\*|path: \"{apps,services}/*/envs/*\"|" \
		work/argocd/guestbook-set.yaml >g.yaml &&
	mv g.yaml work/argocd/guestbook-set.yaml &&
	test_grep services work/argocd/guestbook-set.yaml &&
	gg_commit work "web moves to services" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'adding an environment is accepted' '
	keep_work work &&
	undo_push deploy.git &&
	gg_objects work/apps/web/envs/qa/objects.yaml web- 2 &&
	gg_commit work "web in qa" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects removing a list element' '
	keep_work work &&
	sed -e "s/elements: \[{app: guestbook}, {app: web}\]/elements: [{app: guestbook}]/" \
		work/argocd/list-set.yaml >l.yaml &&
	mv l.yaml work/argocd/list-set.yaml &&
	gg_commit work "list only guestbook" &&
	gg_push_expect_reject appset/generator-shrink work ../deploy.git main &&
	test_grep "argocd/list-set.yaml:1: ApplicationSet '"'listed'"' would no longer generate 1 of its 2 Applications (listed-web)" push.out
'

test_expect_success 'rejects deleting a file a files generator read' '
	keep_work work &&
	git -C work rm -q config/web/app.json &&
	gg_commit work "no web config" &&
	gg_push_expect_reject appset/generator-shrink work ../deploy.git main &&
	test_grep "ApplicationSet '"'filed'"' would no longer generate 1 of its 2 Applications (filed-web)" push.out
'

test_expect_success 'a generator file that no longer parses deletes nothing (Argo CD fails the generation)' '
	keep_work work &&
	undo_push deploy.git &&
	echo "{\"app\": " >work/config/web/app.json &&
	gg_commit work "broken config" &&
	gg_push_expect_accept work -o gitops.verbose ../deploy.git main &&
	test_grep -v "\[appset/" push.out &&
	test_grep "ApplicationSet '"'filed'"': a generator file does not parse after the push" push.out
'

test_expect_success 'preserveResourcesOnDeletion and create-only keep what the apps deployed' '
	keep_work work &&
	undo_push deploy.git &&
	for f in kept-set create-only-set; do
		sed -e "s/elements: \[{app: guestbook}, {app: web}\]/elements: [{app: guestbook}]/" \
			work/argocd/$f.yaml >l.yaml &&
		mv l.yaml work/argocd/$f.yaml || return 1
	done &&
	gg_commit work "shrink the safe sets" &&
	gg_push_expect_accept work -o gitops.verbose ../deploy.git main &&
	test_grep -v "\[appset/" push.out &&
	test_grep "ApplicationSet '"'kept'"' no longer generates kept-web; it deletes no resources of them" push.out
'

test_expect_success 'an edit to an ApplicationSet that no app deploys counts once applied' '
	keep_work work &&
	sed -e "s/elements: \[{app: guestbook}, {app: web}\]/elements: [{app: guestbook}]/" \
		work/bootstrap/manual-set.yaml >l.yaml &&
	mv l.yaml work/bootstrap/manual-set.yaml &&
	gg_commit work "edit the bootstrap set" &&
	gg_push_expect_reject appset/generator-shrink work ../deploy.git main &&
	test_grep "bootstrap/manual-set.yaml:1: ApplicationSet '"'manual'"' would no longer generate 1 of its 2 Applications (manual-web)" push.out
'

test_expect_success 'an ApplicationSet that no app deploys stays live when deleted from Git' '
	keep_work work &&
	undo_push deploy.git &&
	git -C work rm -q bootstrap/manual-set.yaml &&
	gg_commit work "forget the bootstrap set" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'a generator that reads another branch ignores this one' '
	keep_work work &&
	undo_push deploy.git &&
	git -C work rm -q -r apps/guestbook &&
	gg_commit work "no guestbook" &&
	test_must_fail git -C work push ../deploy.git main 2>push.out &&
	test_grep -v "ApplicationSet '"'staged'"'" push.out
'

test_expect_success 'removing the ApplicationSet itself is app/cascade-delete'"'"'s' '
	keep_work work &&
	git -C work rm -q argocd/list-set.yaml &&
	gg_commit work "no listed" &&
	gg_push_expect_reject app/cascade-delete work ../deploy.git main &&
	test_grep -v "\[appset/generator-shrink\]" push.out
'

test_done
