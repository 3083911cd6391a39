#!/bin/sh
test_description='promotion/skipped-stage: a version reaches prod only after a lower environment of the same app had it'
. "$(dirname "$0")/lib.sh"

# the promotion family only: the other families judge these pushes too
gg_only_rules 'promotion/*' 'freeze/*'

# version <env> <image>: the promotable patch of one environment folder
# (the layout of kostis-codefresh/gitops-environment-promotion)
version() {
	gg_write "work/envs/$1/version.yml" <<-EOF
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: simple-env-app
	spec:
	  template:
	    spec:
	      containers:
	      - name: webserver-simple
	        image: docker.io/kostiscodefresh/simple-env-app:$2
	EOF
}

env_folder() {
	gg_write "work/envs/$1/kustomization.yml" <<-\EOF &&
	resources: [../../base]
	patchesStrategicMerge: [version.yml]
	EOF
	version "$1" "$2"
}

# release <file> <chart version>: a Flux HelmRelease
release() {
	gg_write "work/$1" <<-EOF
	apiVersion: helm.toolkit.fluxcd.io/v2
	kind: HelmRelease
	metadata:
	  name: podinfo
	spec:
	  interval: 10m
	  chart:
	    spec:
	      chart: podinfo
	      version: "$2"
	      sourceRef: { kind: HelmRepository, name: podinfo }
	EOF
}

# values <file> <tag>: Helm values with an image block
values() {
	gg_write "work/$1" <<-EOF
	replicaCount: 2
	image:
	  repository: ghcr.io/acme/web
	  tag: "$2"
	EOF
}

test_expect_success 'setup: environment folders, HelmReleases, values files' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules:
	  promotion/direct-edit: off
	EOF
	git init -q work &&
	gg_write work/base/deployment.yml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: simple-env-app
	spec:
	  template:
	    spec:
	      containers:
	      - name: webserver-simple
	        image: docker.io/kostiscodefresh/simple-env-app:1.0
	EOF
	env_folder qa 1.0 &&
	env_folder staging-eu 1.0 &&
	env_folder staging-us 1.0 &&
	env_folder prod-eu 1.0 &&
	env_folder prod-us 2.0-hotfix &&
	release clusters/staging/apps/podinfo.yaml 6.5.0 &&
	release clusters/production/apps/podinfo.yaml 6.5.0 &&
	values charts/web/values-staging.yaml 2.3.0 &&
	values charts/web/values-prod.yaml 2.3.0 &&
	gg_commit work initial
'
gg_system_policy system.yaml
SQ="'"

test_expect_success 'the first push imports the repository as it is' '
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a prod image tag that staging never had is rejected' '
	before=$(gg_ref server.git main) &&
	version prod-eu 1.5 &&
	gg_commit work "prod-eu: 1.5" &&
	gg_push_expect_reject promotion/skipped-stage work ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-EOF &&
	gitops-guard: error: [promotion/skipped-stage] refs/heads/main envs/prod-eu/version.yml:10: image ${SQ}kostiscodefresh/simple-env-app${SQ} tag ${SQ}1.5${SQ} skips staging: not in envs/staging-eu, envs/staging-us before or after the push (they have ${SQ}1.0${SQ})
	  hint: promote the version through staging first, or copy staging${SQ}s files
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see ${SQ}gitops-guard explain promotion/skipped-stage${SQ})
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before" &&
	git -C work reset -q --hard HEAD~1
'

test_expect_success 'prod-eu copied from prod-us is rejected when no staging has the version' '
	before=$(gg_ref server.git main) &&
	cp work/envs/prod-us/version.yml work/envs/prod-eu/version.yml &&
	gg_commit work "prod-eu: as prod-us" &&
	gg_push_expect_reject promotion/skipped-stage work ../server.git main &&
	test_grep "image ${SQ}kostiscodefresh/simple-env-app${SQ} tag ${SQ}2.0-hotfix${SQ} skips staging" push.out &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'prod-eu promoted from prod-us is accepted when staging-eu has the version' '
	git -C work reset -q --hard HEAD~1 &&
	version qa 2.0-hotfix && version staging-eu 2.0-hotfix &&
	gg_commit work "qa, staging-eu: 2.0-hotfix" &&
	gg_push_expect_accept work ../server.git main &&
	cp work/envs/prod-us/version.yml work/envs/prod-eu/version.yml &&
	gg_commit work "prod-eu: as prod-us" &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a tag promoted through qa and staging is accepted' '
	version qa 1.1 && version staging-eu 1.1 &&
	gg_commit work "qa, staging-eu: 1.1" &&
	gg_push_expect_accept work ../server.git main &&
	version prod-eu 1.1 &&
	gg_commit work "prod-eu: 1.1" &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'staging and prod set in one push: staging has it after the push' '
	version qa 1.2 && gg_commit work "qa: 1.2" &&
	gg_push_expect_accept work ../server.git main &&
	version staging-us 1.2 && version prod-us 1.2 &&
	gg_commit work "staging-us and prod-us: 1.2" &&
	gg_push_expect_accept work ../server.git main
'

test_expect_success 'a promote-by-copy commit (staging-us files copied to prod-us) is accepted' '
	version qa 1.3 && version staging-us 1.3 &&
	gg_commit work "qa, staging-us: 1.3" &&
	gg_push_expect_accept work ../server.git main &&
	cp work/envs/staging-us/version.yml work/envs/staging-us/kustomization.yml work/envs/prod-us/ &&
	gg_commit work "promote staging-us to prod-us" &&
	gg_push_expect_accept work -o gitops.verbose ../server.git main &&
	test_grep "note: refs/heads/main promotion/skipped-stage: envs/prod-us/version.yml: a copy of envs/staging-us/version.yml (promoted by copy)" push.out &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a digest that staging does not run is rejected' '
	before=$(gg_ref server.git main) &&
	version prod-eu "2.0-hotfix@sha256:4a7e5e0c4e0f0d4e2b3c1a9f8e7d6c5b4a392817161514131211100908070605" &&
	gg_commit work "prod-eu: pin the digest" &&
	gg_push_expect_reject promotion/skipped-stage work ../server.git main &&
	test_grep "image ${SQ}kostiscodefresh/simple-env-app${SQ} digest ${SQ}sha256:4a7e5e0c" push.out &&
	test "$(gg_ref server.git main)" = "$before" &&
	git -C work reset -q --hard HEAD~1
'

test_expect_success 'a HelmRelease chart version that staging never had is rejected' '
	before=$(gg_ref server.git main) &&
	release clusters/production/apps/podinfo.yaml 6.6.0 &&
	gg_commit work "production: podinfo 6.6.0" &&
	gg_push_expect_reject promotion/skipped-stage work ../server.git main &&
	gg_remote_lines push.out >actual &&
	test_grep "^gitops-guard: error: \[promotion/skipped-stage\] refs/heads/main clusters/production/apps/podinfo.yaml:10: chart ${SQ}podinfo${SQ} version ${SQ}6.6.0${SQ} skips staging: not in clusters/staging/apps before or after the push (it has ${SQ}6.5.0${SQ})$" actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'the chart version is accepted once staging has it' '
	release clusters/staging/apps/podinfo.yaml 6.6.0 &&
	gg_commit work "staging: podinfo 6.6.0" &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'an image tag in a values file (values-prod.yaml) is compared with values-staging.yaml' '
	before=$(gg_ref server.git main) &&
	values charts/web/values-prod.yaml 2.4.0 &&
	gg_commit work "web: 2.4.0 in prod" &&
	gg_push_expect_reject promotion/skipped-stage work ../server.git main &&
	gg_remote_lines push.out >actual &&
	test_grep "^gitops-guard: error: \[promotion/skipped-stage\] refs/heads/main charts/web/values-prod.yaml:4: image ${SQ}ghcr.io/acme/web${SQ} tag ${SQ}2.4.0${SQ} skips staging: not in charts/web/values-staging.yaml before or after the push (it has ${SQ}2.3.0${SQ})$" actual &&
	test "$(gg_ref server.git main)" = "$before" &&
	values charts/web/values-staging.yaml 2.4.0 &&
	gg_commit work "web: 2.4.0 in staging" &&
	gg_push_expect_accept work ../server.git main
'

test_expect_success 'an Argo CD Image Updater override (.argocd-source) is judged' '
	gg_write work/apps/api/staging/.argocd-source-api.yaml <<-\EOF &&
	kustomize:
	  images:
	  - ghcr.io/acme/api:3.1
	EOF
	gg_write work/apps/api/prod/.argocd-source-api.yaml <<-\EOF &&
	kustomize:
	  images:
	  - ghcr.io/acme/api:3.1
	EOF
	gg_commit work "api: image updater" &&
	gg_push_expect_accept work ../server.git main &&
	before=$(gg_ref server.git main) &&
	sed -e s/3.1/3.2/ work/apps/api/staging/.argocd-source-api.yaml >work/apps/api/prod/.argocd-source-api.yaml &&
	gg_commit work "api: 3.2 in prod" &&
	gg_push_expect_reject promotion/skipped-stage work ../server.git main &&
	test_grep "apps/api/prod/.argocd-source-api.yaml:3: image ${SQ}ghcr.io/acme/api${SQ} tag ${SQ}3.2${SQ} skips staging: not in apps/api/staging " push.out &&
	test "$(gg_ref server.git main)" = "$before" &&
	git -C work reset -q --hard HEAD~1
'

test_expect_success 'a lower file that cannot be read is named, not silently passed over' '
	printf "image: [\n" >work/apps/api/staging/broken.yaml &&
	gg_commit work "api: a broken file in staging" &&
	gg_push_expect_accept work ../server.git main &&
	before=$(gg_ref server.git main) &&
	sed -e s/3.1/3.2/ work/apps/api/staging/.argocd-source-api.yaml >work/apps/api/prod/.argocd-source-api.yaml &&
	gg_commit work "api: 3.2 in prod" &&
	gg_push_expect_reject promotion/skipped-stage work ../server.git main &&
	test_grep "skips staging: not in apps/api/staging before or after the push (it has ${SQ}3.1${SQ}; 1 file there could not be read as YAML)" push.out &&
	test "$(gg_ref server.git main)" = "$before" &&
	git -C work reset -q --hard HEAD~1
'

test_expect_success 'a prod-only app is not judged; an info finding says so' '
	gg_write work/apps/billing/overlays/prod/kustomization.yaml <<-\EOF &&
	resources: [deploy.yaml]
	images:
	- name: ghcr.io/acme/billing
	  newTag: "7.0"
	EOF
	gg_commit work "billing: prod only" &&
	gg_push_expect_accept work -o gitops.verbose ../server.git main &&
	gg_remote_lines push.out >actual &&
	test_grep "^gitops-guard: info: \[promotion/skipped-stage\] refs/heads/main apps/billing/overlays/prod/kustomization.yaml: no lower environment has this app (by path, app index or branch): a prod-only app, so the 1 version value it sets is not compared$" actual &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'without -o gitops.verbose the info finding stays out of sight' '
	gg_write work/apps/billing/overlays/prod/kustomization.yaml <<-\EOF &&
	resources: [deploy.yaml]
	images:
	- name: ghcr.io/acme/billing
	  newTag: "7.1"
	EOF
	gg_commit work "billing: 7.1" &&
	gg_push_expect_accept work ../server.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'the same app in the lower tier is found by the app index when paths differ' '
	for env in staging prod; do
		gg_write work/argocd/web-$env.yaml <<-EOF || return 1
		apiVersion: argoproj.io/v1alpha1
		kind: Application
		metadata:
		  name: web-$env
		spec:
		  project: web
		  source:
		    repoURL: https://git.example.com/platform/server.git
		    path: $(test $env = staging && echo staging/web || echo prod-tenants/web-frontend)
		  destination: { server: https://kubernetes.default.svc, namespace: web }
		EOF
	done &&
	gg_write work/staging/web/kustomization.yaml <<-\EOF &&
	resources: [deploy.yaml]
	images:
	- name: ghcr.io/acme/frontend
	  newTag: "5.0"
	EOF
	mkdir -p work/prod-tenants/web-frontend &&
	cp work/staging/web/kustomization.yaml work/prod-tenants/web-frontend/ &&
	gg_commit work "web: apps" &&
	gg_push_expect_accept work ../server.git main &&
	before=$(gg_ref server.git main) &&
	sed -e s/5.0/5.1/ work/staging/web/kustomization.yaml >work/prod-tenants/web-frontend/kustomization.yaml &&
	gg_commit work "web: 5.1 in prod" &&
	gg_push_expect_reject promotion/skipped-stage work ../server.git main &&
	test_grep "prod-tenants/web-frontend/kustomization.yaml:4: image ${SQ}ghcr.io/acme/frontend${SQ} tag ${SQ}5.1${SQ} skips staging: not in staging/web before or after the push (it has ${SQ}5.0${SQ})" push.out &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'an in-repo app claiming a prod folder as staging is no evidence for prod' '
	git -C work reset -q --hard HEAD~1 &&
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	apps:
	  - name: web-uat
	    path: prod-tenants/web-frontend
	    environment: staging
	EOF
	gg_commit work "policy: web-uat" &&
	gg_push_expect_accept work -o gitops.confirm=policy/changed ../server.git main &&
	before=$(gg_ref server.git main) &&
	sed -e s/5.0/5.1/ work/staging/web/kustomization.yaml >work/prod-tenants/web-frontend/kustomization.yaml &&
	gg_commit work "web: 5.1 in prod" &&
	gg_push_expect_reject promotion/skipped-stage work ../server.git main &&
	test_grep "prod-tenants/web-frontend/kustomization.yaml:4: image ${SQ}ghcr.io/acme/frontend${SQ} tag ${SQ}5.1${SQ} skips staging: not in staging/web before or after the push (it has ${SQ}5.0${SQ})" push.out &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'an in-repo app in a folder of no environment, declared staging, is no evidence' '
	git -C work reset -q --hard HEAD~1 &&
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	apps:
	  - name: web-uat
	    path: elsewhere/web
	    environment: staging
	EOF
	mkdir -p work/elsewhere/web &&
	sed -e s/5.0/5.2/ work/staging/web/kustomization.yaml >work/elsewhere/web/kustomization.yaml &&
	gg_commit work "policy: web-uat elsewhere" &&
	gg_push_expect_accept work -o gitops.confirm=policy/changed ../server.git main &&
	before=$(gg_ref server.git main) &&
	cp work/elsewhere/web/kustomization.yaml work/prod-tenants/web-frontend/ &&
	gg_commit work "web: 5.2 in prod" &&
	gg_push_expect_reject promotion/skipped-stage work ../server.git main &&
	test_grep "tag ${SQ}5.2${SQ} skips staging: not in staging/web before or after the push" push.out &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'the system policy may let in-repo apps name their environment (allow_loosen: apps)' '
	test_when_finished "gg_write system.yaml <system.orig" &&
	cp system.yaml system.orig &&
	cat >>system.yaml <<-\EOF &&
	allow_loosen: [apps]
	EOF
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'an in-repo app whose folder is in its environment is evidence' '
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	apps:
	  - name: web-uat
	    path: staging/web-uat
	    environment: staging
	EOF
	mkdir -p work/staging/web-uat &&
	sed -e s/5.0/5.3/ work/staging/web/kustomization.yaml >work/staging/web-uat/kustomization.yaml &&
	gg_commit work "policy: web-uat in staging" &&
	gg_push_expect_accept work -o gitops.confirm=policy/changed ../server.git main &&
	cp work/staging/web-uat/kustomization.yaml work/prod-tenants/web-frontend/ &&
	gg_commit work "web: 5.3 in prod" &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

# --- environments a later layer places ------------------------------------

test_expect_success 'setup: the system policy places envs/staging-* and envs/prod-*' '
	gg_write envs.yaml <<-\EOF &&
	version: 1
	environments:
	  - {name: staging, paths: ["envs/staging-*/**"]}
	  - {name: prod, paths: ["envs/prod-*/**"]}
	rules:
	  promotion/direct-edit: off
	EOF
	gg_system_policy envs.yaml &&
	gg_bare_repo envs.git &&
	gg_install_hook envs.git pre-receive &&
	gg_push_expect_accept work ../envs.git main
'

test_expect_success 'a folder an in-repo glob places in staging is no evidence for prod' '
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	environments:
	  - {name: staging, paths: ["envs/copy/**"]}
	EOF
	gg_commit work "policy: envs/copy is staging" &&
	gg_push_expect_accept work -o gitops.confirm=policy/changed ../envs.git main &&
	before=$(gg_ref envs.git main) &&
	env_folder copy 3.0 &&
	version prod-eu 3.0 &&
	gg_commit work "prod-eu: 3.0, as envs/copy has" &&
	gg_push_expect_reject promotion/skipped-stage work ../envs.git main &&
	test_grep "envs/prod-eu/version.yml:10: image ${SQ}kostiscodefresh/simple-env-app${SQ} tag ${SQ}3.0${SQ} skips staging: not in envs/staging-eu, envs/staging-us before or after the push" push.out &&
	test "$(gg_ref envs.git main)" = "$before"
'

# fleet <dir> <tag>: a kustomization that sets the fleet image's tag
fleet() {
	gg_write "work/fleet/$1/kustomization.yaml" <<-EOF
	resources: [deploy.yaml]
	images:
	- name: ghcr.io/acme/fleet
	  newTag: "$2"
	EOF
}

test_expect_success 'setup: a prod directory beside twelve staging siblings' '
	gg_system_policy system.yaml &&
	git -C work reset -q --hard "$(gg_ref server.git main)" &&
	for n in 01 02 03 04 05 06 07 08 09 10 11; do
		fleet staging-$n 1.0 || return 1
	done &&
	fleet staging-12 1.2 &&
	fleet prod 1.0 &&
	gg_commit work "fleet" &&
	gg_push_expect_accept work ../server.git main
'

test_expect_success 'every sibling directory is read: the last one has the version' '
	fleet prod 1.2 &&
	gg_commit work "fleet: 1.2 in prod" &&
	gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a version no sibling has names the first three and is rejected' '
	before=$(gg_ref server.git main) &&
	fleet prod 9.9 &&
	gg_commit work "fleet: 9.9 in prod" &&
	gg_push_expect_reject promotion/skipped-stage work ../server.git main &&
	test_grep "fleet/prod/kustomization.yaml:4: image ${SQ}ghcr.io/acme/fleet${SQ} tag ${SQ}9.9${SQ} skips staging: not in fleet/staging-01, fleet/staging-02, fleet/staging-03, ... before or after the push" push.out &&
	test "$(gg_ref server.git main)" = "$before" &&
	git -C work reset -q --hard HEAD~1
'

# rc_version <env> <tag>: envs/<env> of work-rc deploys acme/app:<tag>
rc_version() {
	gg_write "work-rc/envs/$1/deploy.yaml" <<-EOF
	apiVersion: apps/v1
	kind: Deployment
	metadata: {name: app}
	spec:
	  template:
	    spec:
	      containers:
	      - {name: web, image: "docker.io/acme/app:$2"}
	EOF
}

test_expect_success 'setup: environments that only the repository config policy defines' '
	printf "version: 1\nrules:\n  promotion/direct-edit: off\n" >rc-system.yaml &&
	gg_system_policy rc-system.yaml &&
	gg_bare_repo rc.git &&
	gg_write rc-repo.yaml <<-\EOF &&
	version: 1
	environments:
	  - {name: staging, paths: ["envs/staging-*/**"]}
	  - {name: prod, paths: ["envs/prod-*/**"], protected: true}
	EOF
	gg_install_hook rc.git pre-receive rc-repo.yaml &&
	git init -q work-rc &&
	rc_version staging-eu 1.0 &&
	rc_version prod-eu 1.0 &&
	gg_commit work-rc initial &&
	gg_push_expect_accept work-rc ../rc.git main &&
	rc_version staging-eu 2.0 &&
	gg_commit work-rc "staging: 2.0" &&
	gg_push_expect_accept work-rc ../rc.git main
'

test_expect_success 'the repository config list is evidence: what staging has is promoted, what it never had is not' '
	rc_version prod-eu 2.0 &&
	gg_commit work-rc "prod: 2.0" &&
	gg_push_expect_accept work-rc ../rc.git main &&
	before=$(gg_ref rc.git main) &&
	rc_version prod-eu 3.0 &&
	gg_commit work-rc "prod: 3.0" &&
	gg_push_expect_reject promotion/skipped-stage work-rc ../rc.git main &&
	test_grep "envs/prod-eu/deploy.yaml:.*tag ${SQ}3.0${SQ} skips staging" push.out &&
	test "$(gg_ref rc.git main)" = "$before"
'

test_done
