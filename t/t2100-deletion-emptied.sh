#!/bin/sh
test_description='app/emptied: an app that rendered objects renders none, or loses its root'
. "$(dirname "$0")/lib.sh"
. "$GG_TEST_DIR/lib-gitops.sh"

# the deletion family only: the other families judge these pushes too
gg_only_rules 'app/*' 'protect/*' 'appset/*' 'ref/*'

# keep_work <dir>: after the current test, reset work tree <dir> to
# where it is now.
keep_work() {
	test_when_finished "git -C $1 reset -q --hard $(git -C "$1" rev-parse HEAD)"
}

# push_rejects_first <rule> <expected first line>: the push of main is
# rejected, its first remote line is the one expected, and the server's
# main did not move.
push_rejects_first() {
	before=$(gg_ref deploy.git main) &&
	gg_push_expect_reject "$1" work ../deploy.git main &&
	gg_remote_lines push.out | sed -n 1p >actual &&
	echo "$2" >expect &&
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before"
}

# push_rejects_line <rule> <expected line>: the same, for the first line
# of a finding of <rule> (a yaml/invalid warning may come first).
push_rejects_line() {
	before=$(gg_ref deploy.git main) &&
	gg_push_expect_reject "$1" work ../deploy.git main &&
	gg_remote_lines push.out | grep -F "[$1]" | sed -n 1p >actual &&
	echo "$2" >expect &&
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before"
}

test_expect_success 'setup: app-of-apps with apps of every sync policy' '
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	git init -q work &&
	gg_argo_app work/argocd/root.yaml root argocd &&
	gg_argo_app work/argocd/apps.yaml guestbook apps/guestbook finalizer &&
	gg_argo_app work/argocd/apps.yaml web apps/web auto append &&
	gg_argo_app work/argocd/apps.yaml batch apps/batch manual append &&
	gg_argo_app work/argocd/apps.yaml shop apps/shop allow-empty append &&
	gg_argo_app work/argocd/apps.yaml kust apps/kust/overlays/prod append &&
	gg_argo_app work/argocd/apps.yaml docs apps/docs include="*.yaml" append &&
	gg_argo_app work/argocd/apps.yaml deep apps/deep recurse append &&
	for app in guestbook web batch shop docs; do
		gg_object work/apps/$app/deployment.yaml Deployment $app &&
		gg_object work/apps/$app/service.yaml Service $app &&
		gg_objects work/apps/$app/config.yaml $app- 10 &&
		echo "the $app app" >work/apps/$app/README.md || return 1
	done &&
	gg_objects work/apps/kust/base/objects.yaml kust- 4 &&
	gg_write work/apps/kust/base/kustomization.yaml <<-\EOF &&
	resources: [objects.yaml]
	EOF
	gg_write work/apps/kust/overlays/prod/kustomization.yaml <<-\EOF &&
	resources: [../../base]
	namePrefix: prod-
	EOF
	echo "the prod overlay" >work/apps/kust/overlays/prod/README.md &&
	gg_objects work/apps/deep/sub/objects.yaml deep- 3 &&
	gg_argo_app work/argocd/apps.yaml chart apps/chart append &&
	gg_write work/apps/chart/Chart.yaml <<-\EOF &&
	apiVersion: v2
	name: chart
	version: 1.0.0
	EOF
	echo "replicas: 1" >work/apps/chart/values.yaml &&
	mkdir -p work/apps/chart/templates &&
	echo "kind: Deployment" >work/apps/chart/templates/deployment.yaml &&
	echo "kind: Service" >work/apps/chart/templates/service.yaml &&
	gg_argo_app work/bootstrap/standalone.yaml standalone apps/standalone finalizer &&
	gg_objects work/apps/standalone/objects.yaml standalone- 3 &&
	gg_commit work initial &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects deleting every manifest of an auto-pruning app' '
	git -C work rm -q apps/guestbook/deployment.yaml \
		apps/guestbook/service.yaml apps/guestbook/config.yaml &&
	gg_commit work "empty guestbook" &&
	before=$(gg_ref deploy.git main) &&
	gg_push_expect_reject app/emptied work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [app/emptied] refs/heads/main apps/guestbook: app '"'guestbook'"' would render no objects (12 removed); Argo CD'"'"'s auto-sync refuses to wipe out all resources (allowEmpty is off) and leaves the app OutOfSync, but a manual sync with prune deletes every live resource of it
	  hint: restore the manifests, or remove the app'"'"'s definition in the same push
	  hint: confirm with: git push -o gitops.confirm=app/emptied:apps/guestbook
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain app/emptied'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before"
'

test_expect_success 'accepts the same push confirmed for the app root' '
	gg_push_expect_accept work -o gitops.confirm=app/emptied:apps/guestbook \
		../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [app/emptied] refs/heads/main apps/guestbook: app '"'guestbook'"' would render no objects (12 removed); Argo CD'"'"'s auto-sync refuses to wipe out all resources (allowEmpty is off) and leaves the app OutOfSync, but a manual sync with prune deletes every live resource of it (confirmed by unknown)
	gitops-guard: push accepted: 0 blocking findings, 0 warnings, 1 waived
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a confirmation for another path does not cover the app' '
	keep_work work &&
	git -C work rm -q "apps/web/*.yaml" &&
	gg_commit work "empty web" &&
	test_must_fail git -C work push -o gitops.confirm=app/emptied:apps/guestbook \
		../deploy.git main 2>push.out &&
	test_grep "error: \[app/emptied\] refs/heads/main apps/web:" push.out
'

test_expect_success 'says the truth for an app with auto-sync but no prune' '
	keep_work work &&
	git -C work rm -q "apps/web/*.yaml" &&
	gg_commit work "empty web" &&
	push_rejects_first app/emptied "gitops-guard: error: [app/emptied] refs/heads/main apps/web: app '"'web'"' would render no objects (12 removed); Argo CD does not auto-prune it: the live resources stay, OutOfSync, until a sync with prune deletes them"
'

test_expect_success 'says the truth for an app synced by hand' '
	keep_work work &&
	git -C work rm -q "apps/batch/*.yaml" &&
	gg_commit work "empty batch" &&
	push_rejects_first app/emptied "gitops-guard: error: [app/emptied] refs/heads/main apps/batch: app '"'batch'"' would render no objects (12 removed); Argo CD syncs it only by hand: the live resources stay until a sync with prune deletes them"
'

test_expect_success 'says the truth for an auto-pruning app with allowEmpty' '
	keep_work work &&
	git -C work rm -q "apps/shop/*.yaml" &&
	gg_commit work "empty shop" &&
	push_rejects_first app/emptied "gitops-guard: error: [app/emptied] refs/heads/main apps/shop: app '"'shop'"' would render no objects (12 removed); Argo CD prunes every live resource of it (allowEmpty is on)"
'

test_expect_success 'rejects a kustomization whose resources reach no object' '
	keep_work work &&
	gg_write work/apps/kust/overlays/prod/kustomization.yaml <<-\EOF &&
	resources: []
	namePrefix: prod-
	EOF
	gg_commit work "empty overlay" &&
	push_rejects_first app/emptied "gitops-guard: error: [app/emptied] refs/heads/main apps/kust/overlays/prod: app '"'kust'"' would render no objects (4 removed); Argo CD'"'"'s auto-sync refuses to wipe out all resources (allowEmpty is off) and leaves the app OutOfSync, but a manual sync with prune deletes every live resource of it"
'

test_expect_success 'rejects deleting kustomization.yaml, which leaves a directory without manifests' '
	keep_work work &&
	git -C work rm -q apps/kust/overlays/prod/kustomization.yaml &&
	gg_commit work "drop the overlay kustomization" &&
	push_rejects_first app/emptied "gitops-guard: error: [app/emptied] refs/heads/main apps/kust/overlays/prod: app '"'kust'"' would render no objects (4 removed) (its kustomization file is gone: the root is read as plain manifests); Argo CD'"'"'s auto-sync refuses to wipe out all resources (allowEmpty is off) and leaves the app OutOfSync, but a manual sync with prune deletes every live resource of it"
'

test_expect_success 'rejects an include pattern that matches no manifest' '
	keep_work work &&
	sed -e "s/include: .\*.yaml./include: '"'"'*.yml'"'"'/" work/argocd/apps.yaml >apps.yaml &&
	mv apps.yaml work/argocd/apps.yaml &&
	test_grep "include: '"'"'\*.yml'"'"'" work/argocd/apps.yaml &&
	gg_commit work "include nothing" &&
	push_rejects_first app/emptied "gitops-guard: error: [app/emptied] refs/heads/main apps/docs: app '"'docs'"' would render no objects (12 removed); Argo CD'"'"'s auto-sync refuses to wipe out all resources (allowEmpty is off) and leaves the app OutOfSync, but a manual sync with prune deletes every live resource of it"
'

test_expect_success 'rejects turning recurse off for an app whose manifests are below its root' '
	keep_work work &&
	sed -e "s/directory: {recurse: true}/directory: {recurse: false}/" \
		work/argocd/apps.yaml >apps.yaml &&
	mv apps.yaml work/argocd/apps.yaml &&
	gg_commit work "no recursion" &&
	gg_push_expect_reject app/emptied work ../deploy.git main &&
	test_grep "\[app/emptied\] refs/heads/main apps/deep: app '"'deep'"' would render no objects (3 removed)" push.out
'

test_expect_success 'rejects removing the root directory and says Argo CD stops syncing' '
	keep_work work &&
	git -C work rm -q -r apps/batch &&
	gg_commit work "remove batch" &&
	push_rejects_first app/emptied "gitops-guard: error: [app/emptied] refs/heads/main apps/batch: app '"'batch'"' loses its root directory (12 objects before); Argo CD reports a ComparisonError ('"'app path does not exist'"') and syncs and prunes nothing until it returns"
'

test_expect_success 'rejects deleting Chart.yaml, which leaves a directory without manifests' '
	keep_work work &&
	git -C work rm -q apps/chart/Chart.yaml &&
	gg_commit work "no chart" &&
	push_rejects_first app/emptied "gitops-guard: error: [app/emptied] refs/heads/main apps/chart: app '"'chart'"' would render no templates (2 removed) (its Chart.yaml is gone: the root is read as plain manifests); Argo CD'"'"'s auto-sync refuses to wipe out all resources (allowEmpty is off) and leaves the app OutOfSync, but a manual sync with prune deletes every live resource of it"
'

test_expect_success 'an Application that no app deploys stays live when its definition and root go' '
	keep_work work &&
	git -C work rm -q -r bootstrap apps/standalone &&
	gg_commit work "drop standalone" &&
	push_rejects_first app/emptied "gitops-guard: error: [app/emptied] refs/heads/main apps/standalone: app '"'standalone'"' loses its root directory (3 objects before) (its definition leaves Git, but no app deletes the live one); Argo CD reports a ComparisonError ('"'app path does not exist'"') and syncs and prunes nothing until it returns"
'

# pad_file <file> <name>: a ConfigMap <name> padded with a comment to
# just over 4 MiB, limits.max_blob_bytes: gitops-guard does not parse it,
# Argo CD and Flux apply it.
pad_file() {
	{
		printf "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n#" "$2" &&
		head -c 4194304 /dev/zero | tr "\0" x &&
		echo
	} >"$1"
}

test_expect_success 'a file over the parse limits does not hide that every object it can read goes' '
	keep_work work &&
	git -C work rm -q "apps/docs/*.yaml" &&
	awk "BEGIN { for (i = 0; i <= 10000; i++) print \"---\" }" \
		>work/apps/docs/more.yaml &&
	gg_commit work "empty docs, add 10001 documents" &&
	push_rejects_line app/emptied "gitops-guard: error: [app/emptied] refs/heads/main apps/docs: app '"'docs'"' would render no objects (12 removed) unless '"'apps/docs/more.yaml'"' (a file gitops-guard could not read) provides them; if not, Argo CD'"'"'s auto-sync refuses to wipe out all resources (allowEmpty is off) and leaves the app OutOfSync, but a manual sync with prune deletes every live resource of it"
'

test_expect_success 'a file over limits.max_blob_bytes does not either, and the finding is confirmed like any' '
	keep_work work &&
	before=$(gg_ref deploy.git main) &&
	test_when_finished "git -C deploy.git update-ref refs/heads/main $before" &&
	git -C work rm -q "apps/web/*.yaml" &&
	pad_file work/apps/web/all.yaml web-all &&
	gg_commit work "all of web in one big file" &&
	push_rejects_line app/emptied "gitops-guard: error: [app/emptied] refs/heads/main apps/web: app '"'web'"' would render no objects (12 removed) unless '"'apps/web/all.yaml'"' (a file gitops-guard could not read) provides them; if not, Argo CD does not auto-prune it: the live resources stay, OutOfSync, until a sync with prune deletes them" &&
	gg_push_expect_accept work -o gitops.confirm=app/emptied:apps/web \
		../deploy.git main &&
	test_grep "warning: \[app/emptied\] refs/heads/main apps/web: .*(confirmed by unknown)" push.out &&
	test "$(gg_ref deploy.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'deleting the one file of an app that could not be read empties the app' '
	keep_work work &&
	before=$(gg_ref deploy.git main) &&
	test_when_finished "git -C deploy.git update-ref refs/heads/main $before" &&
	git -C work rm -q "apps/batch/*.yaml" &&
	pad_file work/apps/batch/all.yaml batch-all &&
	gg_commit work "all of batch in one big file" &&
	gg_push_expect_accept work -o gitops.confirm=app/emptied:apps/batch \
		../deploy.git main &&
	git -C work rm -q apps/batch/all.yaml &&
	gg_commit work "no batch objects" &&
	push_rejects_first app/emptied "gitops-guard: error: [app/emptied] refs/heads/main apps/batch: app '"'batch'"' would render no objects (before, its objects came from '"'apps/batch/all.yaml'"', a file gitops-guard could not read); Argo CD syncs it only by hand: the live resources stay until a sync with prune deletes them"
'

test_expect_success 'RBAC objects named with a colon count like any other' '
	keep_work work &&
	before=$(gg_ref deploy.git main) &&
	test_when_finished "git -C deploy.git update-ref refs/heads/main $before" &&
	gg_argo_app work/argocd/apps.yaml rbac apps/rbac append &&
	gg_objects work/apps/rbac/roles.yaml system:monitoring- 3 ClusterRole &&
	echo "the rbac app" >work/apps/rbac/README.md &&
	gg_commit work "rbac app" &&
	gg_push_expect_accept work ../deploy.git main &&
	git -C work rm -q apps/rbac/roles.yaml &&
	gg_commit work "no roles" &&
	push_rejects_first app/emptied "gitops-guard: error: [app/emptied] refs/heads/main apps/rbac: app '"'rbac'"' would render no objects (3 removed); Argo CD'"'"'s auto-sync refuses to wipe out all resources (allowEmpty is off) and leaves the app OutOfSync, but a manual sync with prune deletes every live resource of it"
'

test_expect_success 'a render that cannot be completed is never taken for empty' '
	gg_write work/apps/kust/overlays/prod/kustomization.yaml <<-\EOF &&
	resources: [../../no-such-base]
	EOF
	gg_commit work "broken reference" &&
	gg_push_expect_accept work -o gitops.verbose ../deploy.git main &&
	test_grep -v "\[app/" push.out &&
	test_grep "app '"'kust'"': the render after the push is incomplete" push.out
'

test_expect_success 'an environment branch: only apps that track the branch are judged' '
	gg_bare_repo envs/deploy.git &&
	gg_write envs-policy.yaml <<-\EOF &&
	version: 1
	branches: ["topic"]
	EOF
	gg_install_hook envs/deploy.git pre-receive envs-policy.yaml &&
	git init -q ework &&
	gg_argo_app ework/argocd/root.yaml root argocd &&
	gg_argo_app ework/argocd/web-staging.yaml web-staging apps/web rev=staging &&
	gg_objects ework/apps/web/objects.yaml web- 4 &&
	echo "web" >ework/apps/web/README.md &&
	gg_commit ework initial &&
	git -C ework branch staging &&
	git -C ework branch topic &&
	gg_push_expect_accept ework ../envs/deploy.git main staging topic &&
	git -C ework checkout -q staging &&
	git -C ework rm -q apps/web/objects.yaml &&
	gg_commit ework "empty web on staging" &&
	gg_push_expect_reject app/emptied ework ../envs/deploy.git staging &&
	test_grep "\[app/emptied\] refs/heads/staging apps/web: app '"'web-staging'"' would render no objects (4 removed)" push.out &&
	git -C ework checkout -q topic &&
	git -C ework rm -q apps/web/objects.yaml &&
	gg_commit ework "empty web on topic" &&
	gg_push_expect_accept ework -o gitops.verbose ../envs/deploy.git topic &&
	test_grep -v "\[app/" push.out &&
	test_grep "0 apps deploy this ref" push.out
'

test_expect_success 'setup: flux bootstrap layout' '
	gg_bare_repo flux/deploy.git &&
	gg_install_hook flux/deploy.git pre-receive &&
	git init -q fwork &&
	gg_flux_layout fwork &&
	gg_commit fwork initial &&
	gg_push_expect_accept fwork ../flux/deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'Flux: rejects an overlay emptied of resources (no allowEmpty in Flux)' '
	keep_work fwork &&
	gg_write fwork/apps/prod/kustomization.yaml <<-\EOF &&
	resources: []
	EOF
	gg_commit fwork "nothing in prod" &&
	gg_push_expect_reject app/emptied fwork ../flux/deploy.git main &&
	gg_remote_lines push.out | sed -n 1p >actual &&
	echo "gitops-guard: error: [app/emptied] refs/heads/main apps/prod: app '"'apps'"' would render no objects (6 removed); Flux has no empty-render guard and prunes every object of it" >expect &&
	test_cmp expect actual
'

test_expect_success 'Flux: local resources replaced by a remote base: emptied unless the base provides them' '
	keep_work fwork &&
	gg_write fwork/apps/prod/kustomization.yaml <<-\EOF &&
	resources: [https://github.com/example/empty//nothing?ref=v1]
	EOF
	gg_commit fwork "only a remote base in prod" &&
	before=$(gg_ref flux/deploy.git main) &&
	gg_push_expect_reject app/emptied fwork ../flux/deploy.git main &&
	gg_remote_lines push.out | sed -n 1p >actual &&
	echo "gitops-guard: error: [app/emptied] refs/heads/main apps/prod: app '"'apps'"' would render no objects (6 removed) unless the remote base '"'https://github.com/example/empty//nothing?ref=v1'"' provides them; if not, Flux has no empty-render guard and prunes every object of it" >expect &&
	test_cmp expect actual &&
	test "$(gg_ref flux/deploy.git main)" = "$before"
'

test_expect_success 'Flux: rejects a .sourceignore that hides every manifest of a Kustomization' '
	keep_work fwork &&
	echo "/infrastructure/*.yaml" >fwork/.sourceignore &&
	gg_commit fwork "ignore the infrastructure manifests" &&
	gg_push_expect_reject app/emptied fwork ../flux/deploy.git main &&
	gg_remote_lines push.out | sed -n 1p >actual &&
	echo "gitops-guard: error: [app/emptied] refs/heads/main infrastructure: app '"'infra'"' would render no objects (6 removed); Flux has no empty-render guard and prunes every object of it" >expect &&
	test_cmp expect actual
'

test_expect_success 'Flux: a .sourceignore that hides the whole path is "path not found"' '
	keep_work fwork &&
	echo "/infrastructure/" >fwork/.sourceignore &&
	gg_commit fwork "ignore the infrastructure directory" &&
	gg_push_expect_reject app/emptied fwork ../flux/deploy.git main &&
	test_grep "\[app/emptied\] refs/heads/main infrastructure: app '"'infra'"' loses its root directory (6 objects before); Flux fails with" push.out
'

test_expect_success 'Flux: rejects a GitRepository ignore rule that hides everything' '
	keep_work fwork &&
	sed -e "s|^  interval: 1m\$|  interval: 1m\n  ignore: \"/infrastructure/*\"|" \
		fwork/clusters/prod/flux-system/gotk-sync.yaml >sync.yaml &&
	mv sync.yaml fwork/clusters/prod/flux-system/gotk-sync.yaml &&
	test_grep "ignore:" fwork/clusters/prod/flux-system/gotk-sync.yaml &&
	gg_commit fwork "ignore infrastructure" &&
	gg_push_expect_reject app/emptied fwork ../flux/deploy.git main &&
	test_grep "\[app/emptied\] refs/heads/main infrastructure: app '"'infra'"' would render no objects" push.out
'

test_expect_success 'Flux: hiding a child Kustomization from its parent is a cascade, not an empty app' '
	keep_work fwork &&
	echo "/clusters/prod/apps.yaml" >fwork/.sourceignore &&
	gg_commit fwork "ignore apps.yaml" &&
	gg_push_expect_reject app/cascade-delete fwork ../flux/deploy.git main &&
	test_grep -v "\[app/emptied\]" push.out
'

test_expect_success 'Flux: a removed path is reported as "path not found", not as a prune' '
	git -C fwork rm -q -r apps/prod &&
	gg_commit fwork "no prod" &&
	gg_push_expect_reject app/emptied fwork ../flux/deploy.git main &&
	gg_remote_lines push.out | sed -n 1p >actual &&
	echo "gitops-guard: error: [app/emptied] refs/heads/main apps/prod: app '"'apps'"' loses its root directory (6 objects before); Flux fails with '"'kustomization path not found'"' and applies and prunes nothing until it returns" >expect &&
	test_cmp expect actual
'

test_expect_success 'Flux: the same push confirmed is accepted' '
	gg_push_expect_accept fwork -o gitops.confirm=app/emptied:apps/prod \
		../flux/deploy.git main &&
	test "$(gg_ref flux/deploy.git main)" = "$(git -C fwork rev-parse main)"
'

test_done
