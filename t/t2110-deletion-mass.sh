#!/bin/sh
test_description='app/mass-deletion: more than a share of an app'"'"'s objects removed, counted by identity'
. "$(dirname "$0")/lib.sh"
. "$GG_TEST_DIR/lib-gitops.sh"

# the deletion family only: the other families judge these pushes too
gg_only_rules 'app/*' 'protect/*' 'appset/*' 'ref/*'

keep_work() {
	test_when_finished "git -C $1 reset -q --hard $(git -C "$1" rev-parse HEAD)"
}

test_expect_success 'setup: app-of-apps with a plain app and a kustomize app' '
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	git init -q work &&
	gg_argo_app work/argocd/root.yaml root argocd &&
	gg_argo_app work/argocd/guestbook.yaml guestbook apps/guestbook finalizer &&
	gg_argo_app work/argocd/shop.yaml shop apps/shop/overlays/prod &&
	gg_argo_app work/argocd/small.yaml small apps/small &&
	gg_object work/apps/guestbook/deployment.yaml Deployment guestbook &&
	gg_object work/apps/guestbook/service.yaml Service guestbook &&
	gg_objects work/apps/guestbook/config.yaml guestbook- 10 &&
	gg_objects work/apps/shop/base/objects.yaml shop- 8 &&
	gg_write work/apps/shop/base/kustomization.yaml <<-\EOF &&
	resources: [objects.yaml]
	EOF
	gg_write work/apps/shop/overlays/prod/kustomization.yaml <<-\EOF &&
	resources: [../../base]
	namePrefix: prod-
	EOF
	gg_objects work/apps/small/objects.yaml small- 6 &&
	gg_argo_app work/argocd/batch.yaml batch apps/batch &&
	gg_objects work/apps/batch/config.yaml batch- 2 &&
	for i in 1 2 3 4 5 6 7 8; do
		test $i = 1 || echo --- &&
		printf "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n" ||
		return 1
	done >work/apps/batch/jobs.yaml &&
	gg_commit work initial &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects removing most documents of one multi-document file' '
	keep_work work &&
	gg_objects work/apps/guestbook/config.yaml guestbook- 3 &&
	gg_commit work "fewer config maps" &&
	before=$(gg_ref deploy.git main) &&
	gg_push_expect_reject app/mass-deletion work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [app/mass-deletion] refs/heads/main apps/guestbook: app '"'guestbook'"' would lose 7 of its 12 objects (58%: ConfigMap/guestbook-10, ConfigMap/guestbook-4, ConfigMap/guestbook-5, ...); Argo CD'"'"'s auto-sync prunes them (allowEmpty guards only an app that renders nothing)
	  hint: check the removed objects; a kustomize namespace or namePrefix change deletes and re-creates every object
	  hint: confirm with: git push -o gitops.confirm=app/mass-deletion:apps/guestbook
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain app/mass-deletion'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	gg_push_expect_accept work -o gitops.confirm=app/mass-deletion:apps/guestbook \
		../deploy.git main &&
	test_grep "warning: \[app/mass-deletion\].*(confirmed by unknown)" push.out &&
	test "$(gg_ref deploy.git main)" = "$(git -C work rev-parse main)" &&
	git -C deploy.git update-ref refs/heads/main "$before"
'

test_expect_success 'accepts removing exactly half (the share must be exceeded)' '
	keep_work work &&
	gg_objects work/apps/guestbook/config.yaml guestbook- 4 &&
	gg_commit work "half" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v "gitops-guard" push.out &&
	git -C deploy.git update-ref refs/heads/main HEAD~1
'

test_expect_success 'accepts removing fewer than min_deleted, whatever the share' '
	keep_work work &&
	gg_objects work/apps/small/objects.yaml small- 2 &&
	gg_commit work "four of six" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v "gitops-guard" push.out &&
	git -C deploy.git update-ref refs/heads/main HEAD~1
'

test_expect_success 'the policy tightens max_deleted_fraction and min_deleted' '
	keep_work work &&
	test_when_finished "gg_system_policy no-system-policy.yaml" &&
	gg_write strict.yaml <<-\EOF &&
	version: 1
	rules:
	  app/mass-deletion: { max_deleted_fraction: 0.25, min_deleted: 2 }
	EOF
	gg_system_policy strict.yaml &&
	gg_objects work/apps/small/objects.yaml small- 4 &&
	gg_commit work "two of six" &&
	gg_push_expect_reject app/mass-deletion work ../deploy.git main &&
	test_grep "app '"'small'"' would lose 2 of its 6 objects (33%: ConfigMap/small-5, ConfigMap/small-6)" push.out
'

test_expect_success 'counts objects, not files: renaming and splitting a file removes nothing' '
	keep_work work &&
	git -C work mv apps/guestbook/config.yaml apps/guestbook/configmaps.yaml &&
	{
		cat work/apps/guestbook/deployment.yaml &&
		echo --- &&
		cat work/apps/guestbook/service.yaml
	} >work/apps/guestbook/workload.yaml &&
	git -C work rm -q apps/guestbook/deployment.yaml apps/guestbook/service.yaml &&
	gg_commit work "one file for the workload" &&
	git -C work show --stat HEAD >stat &&
	test_grep "config.yaml" stat &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v "gitops-guard" push.out &&
	git -C deploy.git update-ref refs/heads/main HEAD~1
'

test_expect_success 'counts the items of a List: wrapping documents in a List removes nothing' '
	keep_work work &&
	gg_objects_list work/apps/guestbook/config.yaml ConfigMapList guestbook- 10 &&
	gg_commit work "config maps as a ConfigMapList" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v "gitops-guard" push.out &&
	git -C deploy.git update-ref refs/heads/main HEAD~1
'

test_expect_success 'rejects removing most items of a List, named item by item' '
	keep_work work &&
	gg_objects_list work/apps/small/objects.yaml List small- 6 &&
	gg_commit work "small as a List" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v "gitops-guard" push.out &&
	gg_objects_list work/apps/small/objects.yaml List small- 1 &&
	gg_commit work "one item left" &&
	before=$(gg_ref deploy.git main) &&
	gg_push_expect_reject app/mass-deletion work ../deploy.git main &&
	test_grep "\[app/mass-deletion\] refs/heads/main apps/small: app '"'small'"' would lose 5 of its 6 objects (83%: ConfigMap/small-2, ConfigMap/small-3, ConfigMap/small-4, ...)" push.out &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C deploy.git update-ref refs/heads/main HEAD~1
'

test_expect_success 'documents without a name (generateName) are not counted' '
	keep_work work &&
	git -C work mv apps/batch/jobs.yaml apps/batch/migrations.yaml &&
	gg_commit work "rename the jobs" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v "gitops-guard" push.out &&
	git -C deploy.git update-ref refs/heads/main HEAD~1
'

test_expect_success 'writing out the destination namespace in every manifest deletes nothing' '
	keep_work work &&
	for f in deployment service config; do
		sed -e "s/^metadata:$/metadata:\n  namespace: guestbook/" \
			work/apps/guestbook/$f.yaml >m.yaml &&
		mv m.yaml work/apps/guestbook/$f.yaml || return 1
	done &&
	test "$(grep -c "namespace: guestbook" work/apps/guestbook/config.yaml)" = 10 &&
	gg_commit work "explicit namespaces" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v "gitops-guard" push.out &&
	git -C deploy.git update-ref refs/heads/main HEAD~1
'

test_expect_success 'rejects a new destination namespace: every namespaced object moves' '
	keep_work work &&
	sed -e "s/namespace: guestbook}/namespace: guestbook-v2}/" \
		work/argocd/guestbook.yaml >g.yaml &&
	mv g.yaml work/argocd/guestbook.yaml &&
	gg_commit work "new namespace" &&
	gg_push_expect_reject app/mass-deletion work ../deploy.git main &&
	test_grep "app '"'guestbook'"' would lose 12 of its 12 objects" push.out
'

test_expect_success 'moving manifests to another directory of the same app removes nothing' '
	keep_work work &&
	gg_argo_app work/argocd/guestbook.yaml guestbook apps/guestbook finalizer recurse &&
	gg_commit work "recurse" &&
	gg_push_expect_accept work ../deploy.git main &&
	mkdir -p work/apps/guestbook/core &&
	git -C work mv apps/guestbook/config.yaml apps/guestbook/deployment.yaml \
		apps/guestbook/core/ &&
	gg_commit work "regroup" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v "gitops-guard" push.out &&
	git -C deploy.git update-ref refs/heads/main HEAD~2
'

test_expect_success 'rejects a namePrefix change: every object is deleted and created anew' '
	keep_work work &&
	sed -e "s/namePrefix: prod-/namePrefix: production-/" \
		work/apps/shop/overlays/prod/kustomization.yaml >k.yaml &&
	mv k.yaml work/apps/shop/overlays/prod/kustomization.yaml &&
	gg_commit work "rename everything" &&
	gg_push_expect_reject app/mass-deletion work ../deploy.git main &&
	test_grep "app '"'shop'"' would lose 8 of its 8 objects (100%: ConfigMap/prod-shop-1, ConfigMap/prod-shop-2, ConfigMap/prod-shop-3, ...)" push.out &&
	test_grep -v "\[app/emptied\]" push.out
'

test_expect_success 'deleting most objects while adding a file over limits.max_blob_bytes is still a mass deletion' '
	keep_work work &&
	gg_objects work/apps/guestbook/config.yaml guestbook- 2 &&
	{
		printf "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: guestbook-all}\n#" &&
		head -c 4194304 /dev/zero | tr "\0" x &&
		echo
	} >work/apps/guestbook/big.yaml &&
	gg_commit work "fewer config maps, one big file" &&
	before=$(gg_ref deploy.git main) &&
	gg_push_expect_reject app/mass-deletion work ../deploy.git main &&
	gg_remote_lines push.out | sed -e "/yaml\/invalid/,+1d" >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [app/mass-deletion] refs/heads/main apps/guestbook: app '"'guestbook'"' would lose 8 of its 12 objects (67%: ConfigMap/guestbook-10, ConfigMap/guestbook-3, ConfigMap/guestbook-4, ...) unless '"'apps/guestbook/big.yaml'"' (a file gitops-guard could not read) provides them; Argo CD'"'"'s auto-sync prunes them (allowEmpty guards only an app that renders nothing)
	  hint: check the removed objects; a kustomize namespace or namePrefix change deletes and re-creates every object
	  hint: confirm with: git push -o gitops.confirm=app/mass-deletion:apps/guestbook
	gitops-guard: push rejected: 1 blocking finding, 1 warning (see '"'gitops-guard explain app/mass-deletion'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before"
'

test_expect_success 'a file over the parse limits in an app does not switch the rule off for later pushes' '
	keep_work work &&
	before=$(gg_ref deploy.git main) &&
	test_when_finished "git -C deploy.git update-ref refs/heads/main $before" &&
	awk "BEGIN { for (i = 0; i <= 10000; i++) print \"---\" }" \
		>work/apps/guestbook/docs.yaml &&
	gg_commit work "10001 documents" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v "\[app/" push.out &&
	gg_objects work/apps/guestbook/config.yaml guestbook- 2 &&
	gg_commit work "fewer config maps" &&
	gg_push_expect_reject app/mass-deletion work ../deploy.git main &&
	test_grep "\[app/mass-deletion\] refs/heads/main apps/guestbook: app '"'guestbook'"' would lose 8 of its 12 objects (67%: .*) unless '"'apps/guestbook/docs.yaml'"' (a file gitops-guard could not read) provides them; Argo CD" push.out &&
	git -C work rm -q apps/guestbook/config.yaml apps/guestbook/deployment.yaml \
		apps/guestbook/service.yaml &&
	gg_commit work "none of the readable objects" &&
	gg_push_expect_reject app/mass-deletion work ../deploy.git main &&
	test_grep "\[app/mass-deletion\] refs/heads/main apps/guestbook: app '"'guestbook'"' would lose 12 of its 12 objects (100%: .*) unless '"'apps/guestbook/docs.yaml'"' (a file gitops-guard could not read) provides them" push.out &&
	test_grep -v "\[app/emptied\]" push.out &&
	test "$(gg_ref deploy.git main)" = "$(git -C work rev-parse main~2)"
'

test_expect_success 'RBAC objects named with a colon are counted' '
	keep_work work &&
	before=$(gg_ref deploy.git main) &&
	test_when_finished "git -C deploy.git update-ref refs/heads/main $before" &&
	gg_objects work/apps/small/rbac.yaml system:small- 7 ClusterRole &&
	gg_commit work "cluster roles" &&
	gg_push_expect_accept work ../deploy.git main &&
	git -C work rm -q apps/small/rbac.yaml &&
	gg_commit work "no cluster roles" &&
	gg_push_expect_reject app/mass-deletion work ../deploy.git main &&
	test_grep "\[app/mass-deletion\] refs/heads/main apps/small: app '"'small'"' would lose 7 of its 13 objects (54%: ClusterRole/system:small-1, ClusterRole/system:small-2, ClusterRole/system:small-3, ...)" push.out
'

test_expect_success 'Renovate-style image and chart bumps are accepted without a finding' '
	keep_work work &&
	gg_write work/apps/shop/overlays/prod/kustomization.yaml <<-\EOF &&
	resources: [../../base]
	namePrefix: prod-
	images:
	  - name: shop
	    newTag: "1.2.4"
	EOF
	gg_commit work "chore(deps): update shop to 1.2.4" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v "gitops-guard" push.out &&
	git -C deploy.git update-ref refs/heads/main HEAD~1
'

test_expect_success 'judges each of the many apps one push touches' '
	keep_work work &&
	before=$(gg_ref deploy.git main) &&
	for n in 01 02 03 04 05 06 07 08 09 10 11 12; do
		gg_argo_app work/argocd/fleet-$n.yaml fleet-$n apps/fleet-$n &&
		gg_objects work/apps/fleet-$n/objects.yaml fleet-$n- 6 ||
		return 1
	done &&
	gg_commit work "twelve apps" &&
	gg_push_expect_accept work ../deploy.git main &&
	for n in 01 02 03 04 05 06 07 08 09 10 11 12; do
		gg_objects work/apps/fleet-$n/objects.yaml fleet-$n- 1 ||
		return 1
	done &&
	gg_commit work "five of six objects of each" &&
	gg_push_expect_reject app/mass-deletion work ../deploy.git main &&
	test "$(grep -c "error: \[app/mass-deletion\]" push.out)" = 12 &&
	test_grep "apps/fleet-01: app '"'fleet-01'"' would lose 5 of its 6 objects" push.out &&
	test_grep "apps/fleet-12: app '"'fleet-12'"' would lose 5 of its 6 objects" push.out &&
	git -C deploy.git update-ref refs/heads/main "$before"
'

test_expect_success 'setup: flux layout with a larger infrastructure' '
	gg_bare_repo flux/deploy.git &&
	gg_install_hook flux/deploy.git pre-receive &&
	git init -q fwork &&
	gg_flux_layout fwork &&
	gg_objects fwork/infrastructure/extra.yaml extra- 10 &&
	gg_commit fwork initial &&
	gg_push_expect_accept fwork ../flux/deploy.git main
'

test_expect_success 'Flux: rejects removing most of a Kustomization and says Flux prunes them' '
	keep_work fwork &&
	git -C fwork rm -q infrastructure/extra.yaml &&
	gg_commit fwork "no extras" &&
	gg_push_expect_reject app/mass-deletion fwork ../flux/deploy.git main &&
	test_grep "\[app/mass-deletion\] refs/heads/main infrastructure: app '"'infra'"' would lose 10 of its 16 objects (62%: ConfigMap/extra-1, ConfigMap/extra-10, ConfigMap/extra-2, ...); Flux prunes them" push.out
'

test_expect_success 'Flux: says the truth when the Kustomization does not prune' '
	keep_work fwork &&
	sed -e "s/prune: true/prune: false/" fwork/clusters/prod/infra.yaml >i.yaml &&
	mv i.yaml fwork/clusters/prod/infra.yaml &&
	gg_commit fwork "infra does not prune" &&
	gg_push_expect_accept fwork ../flux/deploy.git main &&
	git -C fwork rm -q infrastructure/extra.yaml &&
	gg_commit fwork "no extras" &&
	gg_push_expect_reject app/mass-deletion fwork ../flux/deploy.git main &&
	test_grep "app '"'infra'"' would lose 10 of its 16 objects (62%: .*); Flux stops managing them but, with prune off, leaves them in the cluster" push.out
'

test_expect_success 'Flux: a remote base in place of local resources: the local objects still count' '
	git -C fwork reset -q --hard "$(gg_ref flux/deploy.git main)" &&
	keep_work fwork &&
	test_when_finished "gg_system_policy no-system-policy.yaml" &&
	gg_write strict.yaml <<-\EOF &&
	version: 1
	rules:
	  app/mass-deletion: { max_deleted_fraction: 0.25, min_deleted: 2 }
	EOF
	gg_system_policy strict.yaml &&
	gg_write fwork/apps/prod/kustomization.yaml <<-\EOF &&
	resources:
	  - ../base/podinfo
	  - https://github.com/example/web//deploy?ref=v2
	EOF
	gg_commit fwork "web from upstream" &&
	before=$(gg_ref flux/deploy.git main) &&
	gg_push_expect_reject app/mass-deletion fwork ../flux/deploy.git main &&
	test_grep "\[app/mass-deletion\] refs/heads/main apps/prod: app '"'apps'"' would lose 3 of its 6 objects (50%: .*) unless the remote base '"'https://github.com/example/web//deploy?ref=v2'"' provides them; Flux prunes them" push.out &&
	test "$(gg_ref flux/deploy.git main)" = "$before"
'

test_done
