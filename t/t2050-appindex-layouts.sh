#!/bin/sh
test_description='the app index of common GitOps repository layouts (gitops-guard apps)'
. "$(dirname "$0")/lib.sh"

# the index, not the rule families, is under test here
gg_only_rules
. "$GG_TEST_DIR/lib-apps.sh"

# Each layout is a work repository <layout>/work pushed to
# <layout>/deploy.git; Argo CD and Flux fetch it as .../deploy.git.
# Expected listings are gitops-guard apps' text lines, sorted:
# name, controller, origin, root, tool, revision, sync, project,
# environment, cascade.

# --- Argo CD app of apps (argocd-example-apps) ---------------------------

test_expect_success 'setup: an app of apps in the style of argocd-example-apps' '
	gg_layout_repo appofapps &&
	W=appofapps/work &&
	gg_write $W/argocd/root.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: root
	  namespace: argocd
	  finalizers:
	  - resources-finalizer.argocd.argoproj.io
	spec:
	  project: default
	  source:
	    repoURL: https://github.com/example/deploy.git
	    path: argocd/apps
	  destination:
	    server: https://kubernetes.default.svc
	    namespace: argocd
	  syncPolicy:
	    automated:
	      prune: true
	EOF
	gg_write $W/argocd/apps/guestbook.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: guestbook
	  namespace: argocd
	  finalizers:
	  - resources-finalizer.argocd.argoproj.io
	spec:
	  project: default
	  source:
	    repoURL: https://github.com/example/deploy.git
	    targetRevision: HEAD
	    path: guestbook
	  destination:
	    server: https://kubernetes.default.svc
	    namespace: guestbook
	  syncPolicy:
	    automated:
	      prune: true
	      selfHeal: true
	EOF
	gg_write $W/argocd/apps/helm-guestbook.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: helm-guestbook
	  namespace: argocd
	spec:
	  project: default
	  source:
	    repoURL: git@github.com:example/deploy.git
	    path: helm-guestbook
	    helm:
	      valueFiles:
	      - values-production.yaml
	  destination:
	    server: https://kubernetes.default.svc
	    namespace: helm-guestbook
	EOF
	gg_write $W/argocd/apps/kustomize-guestbook.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: kustomize-guestbook
	  namespace: argocd
	spec:
	  project: team-a
	  source:
	    repoURL: https://github.com/example/deploy
	    targetRevision: main
	    path: kustomize-guestbook
	  destination:
	    server: https://kubernetes.default.svc
	    namespace: kustomize-guestbook
	  syncPolicy:
	    automated: {}
	---
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: upstream-example
	  namespace: argocd
	spec:
	  source:
	    repoURL: https://github.com/argoproj/argocd-example-apps.git
	    path: guestbook
	  destination:
	    server: https://kubernetes.default.svc
	EOF
	gg_write $W/guestbook/guestbook-ui-deployment.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: guestbook-ui
	EOF
	gg_write $W/guestbook/guestbook-ui-svc.yaml <<-\EOF &&
	apiVersion: v1
	kind: Service
	metadata:
	  name: guestbook-ui
	EOF
	gg_write $W/helm-guestbook/Chart.yaml <<-\EOF &&
	apiVersion: v2
	name: helm-guestbook
	version: 0.1.0
	EOF
	gg_write $W/helm-guestbook/values.yaml <<-\EOF &&
	replicaCount: 1
	EOF
	gg_write $W/helm-guestbook/values-production.yaml <<-\EOF &&
	replicaCount: 3
	EOF
	gg_write $W/helm-guestbook/templates/deployment.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: {{ include "helm-guestbook.fullname" . }}
	spec:
	  replicas: {{ .Values.replicaCount }}
	EOF
	gg_write $W/kustomize-guestbook/kustomization.yaml <<-\EOF &&
	namePrefix: kustomize-
	resources:
	- guestbook-ui-deployment.yaml
	EOF
	cp $W/guestbook/guestbook-ui-deployment.yaml $W/kustomize-guestbook/ &&
	gg_publish appofapps
'

test_expect_success 'app of apps: the parent and every child of this repository' '
	gg_apps appofapps/deploy.git >actual &&
	cat >expect <<-\EOF &&
	guestbook	argocd	Application	guestbook	directory	HEAD	auto+prune+heal	default	-	cascade
	helm-guestbook	argocd	Application	helm-guestbook	helm	HEAD	manual	default	-	no-cascade
	kustomize-guestbook	argocd	Application	kustomize-guestbook	kustomize	main	auto	team-a	-	no-cascade
	root	argocd	Application	argocd/apps	directory	HEAD	auto+prune	default	-	cascade
	EOF
	test_cmp expect actual
'

test_expect_success PYTHON3 'app of apps: the JSON says where each app is defined' '
	gg_apps_json appofapps/deploy.git >apps.json &&
	test "$(gg_app_field apps.json root defined_in)" = argocd/root.yaml &&
	test "$(gg_app_field apps.json kustomize-guestbook defined_in)" = \
		argocd/apps/kustomize-guestbook.yaml &&
	test "$(gg_app_field apps.json guestbook destination_namespace)" = guestbook &&
	test "$(gg_app_field apps.json guestbook recurse)" = false &&
	test "$(gg_app_field apps.json guestbook generator)" = null
'

test_expect_success 'app of apps: a template change belongs to the Helm app' '
	echo "# bump" >>appofapps/work/helm-guestbook/templates/deployment.yaml &&
	gg_commit appofapps/work "bump template" &&
	gg_push_expect_accept appofapps/work -o gitops.verbose ../deploy.git HEAD:main &&
	gg_touched push.out >actual &&
	echo helm-guestbook >expect &&
	test_cmp expect actual
'

test_expect_success 'setup: an app of apps rendered by a Helm chart' '
	gg_layout_repo helmapps &&
	W=helmapps/work &&
	gg_write $W/argocd/apps.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: apps
	  namespace: argocd
	spec:
	  project: default
	  source:
	    repoURL: https://github.com/example/deploy.git
	    path: apps
	  destination:
	    server: https://kubernetes.default.svc
	    namespace: argocd
	  syncPolicy:
	    automated:
	      prune: true
	EOF
	gg_write $W/apps/Chart.yaml <<-\EOF &&
	apiVersion: v2
	name: applications
	version: 0.1.0
	EOF
	gg_write $W/apps/values.yaml <<-\EOF &&
	spec:
	  source:
	    repoURL: https://github.com/example/deploy.git
	    targetRevision: HEAD
	EOF
	gg_write $W/apps/templates/guestbook.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: guestbook
	  namespace: argocd
	  finalizers:
	  - resources-finalizer.argocd.argoproj.io
	spec:
	  project: default
	  source:
	    repoURL: {{ .Values.spec.source.repoURL }}
	    targetRevision: {{ .Values.spec.source.targetRevision }}
	    path: guestbook
	  destination:
	    server: {{ .Values.spec.destination.server }}
	    namespace: guestbook
	EOF
	gg_write $W/apps/templates/helm-guestbook.yaml <<-\EOF &&
	{{- if .Values.helmGuestbook.enabled }}
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: helm-guestbook
	spec:
	  source:
	    repoURL: "{{ .Values.spec.source.repoURL }}"
	    path: helm-guestbook
	{{- end }}
	EOF
	gg_write $W/guestbook/deploy.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: guestbook-ui
	EOF
	gg_publish helmapps
'

test_expect_success 'Helm app of apps: the chart is one app; its templates are not guessed' '
	gg_apps helmapps/deploy.git >actual &&
	cat >expect <<-\EOF &&
	apps	argocd	Application	apps	helm	HEAD	auto+prune	default	-	no-cascade
	EOF
	test_cmp expect actual
'

# --- ApplicationSets -------------------------------------------------------

test_expect_success 'setup: an ApplicationSet over apps/*/envs/* with an exclude' '
	gg_layout_repo appset-dirs &&
	W=appset-dirs/work &&
	gg_write $W/argocd/appset.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: ApplicationSet
	metadata:
	  name: envs
	  namespace: argocd
	spec:
	  generators:
	  - git:
	      repoURL: https://github.com/example/deploy.git
	      revision: HEAD
	      directories:
	      - path: apps/*/envs/*
	      - path: apps/legacy/envs/*
	        exclude: true
	  template:
	    metadata:
	      name: "{{path[1]}}-{{path.basename}}"
	    spec:
	      project: team-a
	      source:
	        repoURL: https://github.com/example/deploy.git
	        targetRevision: HEAD
	        path: "{{path}}"
	      destination:
	        server: https://kubernetes.default.svc
	        namespace: "{{path[1]}}-{{path.basename}}"
	      syncPolicy:
	        automated:
	          prune: true
	          selfHeal: true
	EOF
	for app in web api legacy
	do
		for env in dev prod
		do
			gg_write $W/apps/$app/envs/$env/deploy.yaml <<-EOF || return 1
			apiVersion: apps/v1
			kind: Deployment
			metadata:
			  name: $app
			EOF
		done
	done &&
	gg_write $W/apps/web/README.md <<-\EOF &&
	not a directory of envs
	EOF
	gg_write $W/apps/web/envs/.hidden/x.yaml <<-\EOF &&
	a: b
	EOF
	gg_publish appset-dirs
'

test_expect_success 'git directory generator: one app per matching directory, excludes win' '
	gg_apps appset-dirs/deploy.git >actual &&
	cat >expect <<-\EOF &&
	api-dev	argocd	ApplicationSet	apps/api/envs/dev	directory	HEAD	auto+prune+heal	team-a	dev	cascade
	api-prod	argocd	ApplicationSet	apps/api/envs/prod	directory	HEAD	auto+prune+heal	team-a	prod	cascade
	web-dev	argocd	ApplicationSet	apps/web/envs/dev	directory	HEAD	auto+prune+heal	team-a	dev	cascade
	web-prod	argocd	ApplicationSet	apps/web/envs/prod	directory	HEAD	auto+prune+heal	team-a	prod	cascade
	EOF
	test_cmp expect actual
'

test_expect_success PYTHON3 'git directory generator: generated apps name their ApplicationSet' '
	gg_apps_json appset-dirs/deploy.git >apps.json &&
	test "$(gg_app_field apps.json web-prod generator)" = envs &&
	test "$(gg_app_field apps.json web-prod defined_in)" = argocd/appset.yaml
'

test_expect_success PYTHON3 'git directory generator: the destination is templated too' '
	gg_apps_json appset-dirs/deploy.git >apps.json &&
	test "$(gg_app_field apps.json web-prod destination_namespace)" = web-prod &&
	test "$(gg_app_field apps.json api-dev destination_namespace)" = api-dev
'

test_expect_success 'git directory generator: a new directory is a new app' '
	gg_write appset-dirs/work/apps/web/envs/staging/deploy.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: web
	EOF
	gg_publish appset-dirs "web in staging" &&
	gg_apps appset-dirs/deploy.git >actual &&
	test_grep "^web-staging	argocd	ApplicationSet	apps/web/envs/staging	" actual &&
	test "$(wc -l <actual)" = 5
'

test_expect_success 'setup: a git files generator reading config.json per environment' '
	gg_layout_repo appset-files &&
	W=appset-files/work &&
	gg_write $W/argocd/appset.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: ApplicationSet
	metadata:
	  name: guestbook
	  namespace: argocd
	spec:
	  generators:
	  - git:
	      repoURL: git@github.com:example/deploy.git
	      revision: HEAD
	      files:
	      - path: envs/*/config.json
	  template:
	    metadata:
	      name: "guestbook-{{cluster.name}}"
	    spec:
	      source:
	        repoURL: git@github.com:example/deploy.git
	        targetRevision: "{{revision}}"
	        path: "apps/guestbook/overlays/{{env}}"
	      destination:
	        server: "{{cluster.address}}"
	        namespace: guestbook
	EOF
	for env in dev staging prod
	do
		gg_write $W/envs/$env/config.json <<-EOF &&
		{"env": "$env", "revision": "HEAD",
		 "cluster": {"name": "$env-1", "address": "https://$env.example.com"}}
		EOF
		gg_write $W/apps/guestbook/overlays/$env/kustomization.yaml <<-EOF || return 1
		resources: [../../base]
		namespace: guestbook-$env
		EOF
	done &&
	gg_write $W/envs/prod/notes.json <<-\EOF &&
	{"env": "not-an-app"}
	EOF
	gg_write $W/apps/guestbook/base/kustomization.yaml <<-\EOF &&
	resources: [deploy.yaml]
	EOF
	gg_write $W/apps/guestbook/base/deploy.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: guestbook
	EOF
	gg_publish appset-files
'

test_expect_success 'git files generator: one app per file, parameters from its keys' '
	gg_apps appset-files/deploy.git >actual &&
	cat >expect <<-\EOF &&
	guestbook-dev-1	argocd	ApplicationSet	apps/guestbook/overlays/dev	kustomize	HEAD	manual	default	dev	cascade
	guestbook-prod-1	argocd	ApplicationSet	apps/guestbook/overlays/prod	kustomize	HEAD	manual	default	prod	cascade
	guestbook-staging-1	argocd	ApplicationSet	apps/guestbook/overlays/staging	kustomize	HEAD	manual	default	staging	cascade
	EOF
	test_cmp expect actual
'

test_expect_success 'git files generator: a base change belongs to every overlay app' '
	echo "# touch" >>appset-files/work/apps/guestbook/base/deploy.yaml &&
	gg_commit appset-files/work "touch base" &&
	gg_push_expect_accept appset-files/work -o gitops.verbose ../deploy.git HEAD:main &&
	gg_touched push.out | tr -d " " | tr , "\n" | sort >actual &&
	cat >expect <<-\EOF &&
	guestbook-dev-1
	guestbook-prod-1
	guestbook-staging-1
	EOF
	test_cmp expect actual
'

test_expect_success 'setup: a list generator with Go templates, resources preserved' '
	gg_layout_repo appset-list &&
	W=appset-list/work &&
	gg_write $W/appsets/web.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: ApplicationSet
	metadata:
	  name: web
	  namespace: argocd
	spec:
	  goTemplate: true
	  syncPolicy:
	    preserveResourcesOnDeletion: true
	  generators:
	  - list:
	      elements:
	      - cluster: staging
	        url: https://staging.example.com
	      - cluster: production
	        url: https://prod.example.com
	  template:
	    metadata:
	      name: "web-{{.cluster}}"
	    spec:
	      project: web
	      source:
	        repoURL: https://github.com/example/deploy.git
	        targetRevision: HEAD
	        path: "clusters/{{ .cluster }}/web"
	      destination:
	        server: "{{.url}}"
	        namespace: web
	      syncPolicy:
	        automated:
	          prune: true
	          allowEmpty: true
	EOF
	for c in staging production
	do
		gg_write $W/clusters/$c/web/deploy.yaml <<-\EOF || return 1
		apiVersion: apps/v1
		kind: Deployment
		metadata:
		  name: web
		EOF
	done &&
	gg_publish appset-list
'

test_expect_success 'list generator: one app per element, no cascade when preserved' '
	gg_apps appset-list/deploy.git >actual &&
	cat >expect <<-\EOF &&
	web-production	argocd	ApplicationSet	clusters/production/web	directory	HEAD	auto+prune+allow-empty	web	production	no-cascade
	web-staging	argocd	ApplicationSet	clusters/staging/web	directory	HEAD	auto+prune+allow-empty	web	staging	no-cascade
	EOF
	test_cmp expect actual
'

test_expect_success 'setup: a matrix of git directories and a list' '
	gg_layout_repo appset-matrix &&
	W=appset-matrix/work &&
	gg_write $W/argocd/services.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: ApplicationSet
	metadata:
	  name: services
	  namespace: argocd
	spec:
	  generators:
	  - matrix:
	      generators:
	      - git:
	          repoURL: https://github.com/example/deploy.git
	          revision: HEAD
	          directories:
	          - path: services/*
	      - list:
	          elements:
	          - env: staging
	            branch: staging
	          - env: prod
	            branch: main
	  template:
	    metadata:
	      name: "{{path.basename}}-{{env}}"
	      finalizers: []
	    spec:
	      source:
	        repoURL: https://github.com/example/deploy.git
	        targetRevision: "{{branch}}"
	        path: "{{path}}/overlays/{{env}}"
	      destination:
	        server: https://kubernetes.default.svc
	        namespace: "{{path.basename}}"
	EOF
	for s in cart checkout
	do
		for env in staging prod
		do
			gg_write $W/services/$s/overlays/$env/kustomization.yaml <<-\EOF || return 1
			resources: [../../base]
			EOF
		done &&
		gg_write $W/services/$s/base/kustomization.yaml <<-\EOF || return 1
		resources: []
		EOF
	done &&
	gg_publish appset-matrix
'

test_expect_success 'matrix generator: the product of both, each tracking its branch' '
	gg_apps appset-matrix/deploy.git >actual &&
	cat >expect <<-\EOF &&
	cart-prod	argocd	ApplicationSet	services/cart/overlays/prod	kustomize	main	manual	default	prod	cascade
	cart-staging	argocd	ApplicationSet	services/cart/overlays/staging	kustomize	staging	manual	default	staging	cascade
	checkout-prod	argocd	ApplicationSet	services/checkout/overlays/prod	kustomize	main	manual	default	prod	cascade
	checkout-staging	argocd	ApplicationSet	services/checkout/overlays/staging	kustomize	staging	manual	default	staging	cascade
	EOF
	test_cmp expect actual
'

test_expect_success 'setup: a git directory generator naming apps by basenameNormalized' '
	gg_layout_repo appset-names &&
	W=appset-names/work &&
	gg_write $W/appset.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: ApplicationSet
	metadata:
	  name: tools
	spec:
	  generators:
	  - git:
	      repoURL: https://github.com/example/deploy.git
	      directories:
	      - path: tools/*
	  template:
	    metadata:
	      name: "{{path.basenameNormalized}}"
	    spec:
	      source:
	        repoURL: https://github.com/example/deploy.git
	        path: "{{path}}"
	EOF
	for d in My_Tool.v2 -dash- plain
	do
		gg_write "$W/tools/$d/cm.yaml" <<-\EOF || return 1
		apiVersion: v1
		kind: ConfigMap
		metadata:
		  name: x
		EOF
	done &&
	gg_publish appset-names
'

test_expect_success 'basenameNormalized keeps dots and trims dashes, as Argo CD does' '
	gg_apps appset-names/deploy.git | cut -f1,4 >actual &&
	cat >expect <<-\EOF &&
	dash	tools/-dash-
	my-tool.v2	tools/My_Tool.v2
	plain	tools/plain
	EOF
	test_cmp expect actual
'

# --- Flux ------------------------------------------------------------------

test_expect_success 'setup: Flux clusters/<env> and apps/{base,<env>} (flux2-kustomize-helm-example)' '
	gg_layout_repo flux &&
	W=flux/work &&
	for env in staging production
	do
		gg_write $W/clusters/$env/flux-system/gotk-sync.yaml <<-EOF &&
		apiVersion: source.toolkit.fluxcd.io/v1
		kind: GitRepository
		metadata:
		  name: flux-system
		  namespace: flux-system
		spec:
		  interval: 1m0s
		  ref:
		    branch: main
		  secretRef:
		    name: flux-system
		  url: ssh://git@github.com/example/deploy
		---
		apiVersion: kustomize.toolkit.fluxcd.io/v1
		kind: Kustomization
		metadata:
		  name: flux-system
		  namespace: flux-system
		spec:
		  interval: 10m0s
		  path: ./clusters/$env
		  prune: true
		  sourceRef:
		    kind: GitRepository
		    name: flux-system
		EOF
		gg_write $W/clusters/$env/flux-system/kustomization.yaml <<-\EOF &&
		apiVersion: kustomize.config.k8s.io/v1beta1
		kind: Kustomization
		resources:
		- gotk-sync.yaml
		EOF
		gg_write $W/clusters/$env/apps.yaml <<-EOF &&
		apiVersion: kustomize.toolkit.fluxcd.io/v1
		kind: Kustomization
		metadata:
		  name: apps-$env
		  namespace: flux-system
		spec:
		  interval: 10m0s
		  dependsOn:
		  - name: infra-controllers
		  sourceRef:
		    kind: GitRepository
		    name: flux-system
		  path: ./apps/$env
		  prune: true
		  wait: true
		EOF
		gg_write $W/apps/$env/kustomization.yaml <<-\EOF &&
		apiVersion: kustomize.config.k8s.io/v1beta1
		kind: Kustomization
		namespace: podinfo
		resources:
		- ../base/podinfo
		patches:
		- path: podinfo-values.yaml
		  target:
		    kind: HelmRelease
		EOF
		gg_write $W/apps/$env/podinfo-values.yaml <<-\EOF || return 1
		apiVersion: helm.toolkit.fluxcd.io/v2
		kind: HelmRelease
		metadata:
		  name: podinfo
		spec:
		  chart:
		    spec:
		      version: ">=1.0.0"
		EOF
	done &&
	gg_write $W/apps/base/podinfo/kustomization.yaml <<-\EOF &&
	apiVersion: kustomize.config.k8s.io/v1beta1
	kind: Kustomization
	resources:
	- namespace.yaml
	- release.yaml
	EOF
	gg_write $W/apps/base/podinfo/namespace.yaml <<-\EOF &&
	apiVersion: v1
	kind: Namespace
	metadata:
	  name: podinfo
	EOF
	gg_write $W/apps/base/podinfo/release.yaml <<-\EOF &&
	apiVersion: helm.toolkit.fluxcd.io/v2
	kind: HelmRelease
	metadata:
	  name: podinfo
	spec:
	  interval: 50m
	  chart:
	    spec:
	      chart: podinfo
	      sourceRef:
	        kind: HelmRepository
	        name: podinfo
	EOF
	gg_publish flux
'

test_expect_success 'Flux: flux-system and the apps Kustomizations deploy its branch main' '
	gg_apps flux/deploy.git >actual &&
	cat >expect <<-\EOF &&
	apps-production	flux	Flux	apps/production	kustomize	main	auto+prune+heal	-	production	cascade
	apps-staging	flux	Flux	apps/staging	kustomize	main	auto+prune+heal	-	staging	cascade
	flux-system	flux	Flux	clusters/production	directory	main	auto+prune+heal	-	production	cascade
	flux-system	flux	Flux	clusters/staging	directory	main	auto+prune+heal	-	staging	cascade
	EOF
	test_cmp expect actual
'

test_expect_success 'Flux: a change in apps/base belongs to both environments' '
	echo "# touch" >>flux/work/apps/base/podinfo/release.yaml &&
	gg_commit flux/work "touch base" &&
	gg_push_expect_accept flux/work -o gitops.verbose ../deploy.git HEAD:main &&
	gg_touched push.out | tr -d " " | tr , "\n" | sort >actual &&
	cat >expect <<-\EOF &&
	apps-production
	apps-staging
	EOF
	test_cmp expect actual
'

test_expect_success 'Flux: a change under clusters/staging belongs to its flux-system only' '
	echo "# touch" >>flux/work/clusters/staging/apps.yaml &&
	gg_commit flux/work "touch staging" &&
	gg_push_expect_accept flux/work -o gitops.verbose ../deploy.git HEAD:main &&
	gg_touched push.out >actual &&
	echo flux-system >expect &&
	test_cmp expect actual &&
	test_grep "4 apps deploy this ref" push.out
'

test_expect_success 'setup: Flux GitRepositories pointing here on a branch, and elsewhere' '
	W=flux/work &&
	gg_write $W/clusters/production/sources.yaml <<-\EOF &&
	apiVersion: source.toolkit.fluxcd.io/v1
	kind: GitRepository
	metadata:
	  name: deploy-release
	  namespace: flux-system
	spec:
	  interval: 5m
	  url: https://github.com/example/deploy.git
	  ref:
	    branch: release
	---
	apiVersion: source.toolkit.fluxcd.io/v1
	kind: GitRepository
	metadata:
	  name: team-apps
	  namespace: flux-system
	spec:
	  interval: 5m
	  url: https://github.com/example/team-apps
	---
	apiVersion: source.toolkit.fluxcd.io/v1
	kind: GitRepository
	metadata:
	  name: deploy-pinned
	  namespace: flux-system
	spec:
	  interval: 5m
	  url: https://github.com/example/deploy
	  ref:
	    branch: main
	    tag: v1.0.0
	---
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata:
	  name: release-apps
	  namespace: flux-system
	spec:
	  interval: 10m
	  path: ./apps/production
	  prune: false
	  sourceRef:
	    kind: GitRepository
	    name: deploy-release
	---
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata:
	  name: team
	  namespace: flux-system
	spec:
	  interval: 10m
	  path: ./
	  prune: true
	  sourceRef:
	    kind: GitRepository
	    name: team-apps
	---
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata:
	  name: frozen
	  namespace: flux-system
	spec:
	  interval: 10m
	  path: ./apps/staging
	  prune: true
	  deletionPolicy: Orphan
	  suspend: true
	  sourceRef:
	    kind: GitRepository
	    name: deploy-pinned
	EOF
	gg_publish flux "sources"
'

test_expect_success 'Flux: a GitRepository here tracks its branch; one elsewhere is not indexed' '
	gg_apps flux/deploy.git >actual &&
	cat >expect <<-\EOF &&
	apps-production	flux	Flux	apps/production	kustomize	main	auto+prune+heal	-	production	cascade
	apps-staging	flux	Flux	apps/staging	kustomize	main	auto+prune+heal	-	staging	cascade
	flux-system	flux	Flux	clusters/production	directory	main	auto+prune+heal	-	production	cascade
	flux-system	flux	Flux	clusters/staging	directory	main	auto+prune+heal	-	staging	cascade
	frozen	flux	Flux	apps/staging	kustomize	refs/tags/v1.0.0	manual+prune	-	staging	no-cascade
	release-apps	flux	Flux	apps/production	kustomize	release	auto+heal	-	production	no-cascade
	EOF
	test_cmp expect actual
'

# --- kustomize base/overlays, per-env folders, Helm chart directories ------

test_expect_success 'setup: kustomize base and overlays, one Application per overlay' '
	gg_layout_repo overlays &&
	W=overlays/work &&
	for env in dev staging prod
	do
		gg_write $W/argocd/web-$env.yaml <<-EOF &&
		apiVersion: argoproj.io/v1alpha1
		kind: Application
		metadata:
		  name: web-$env
		  namespace: argocd
		spec:
		  source:
		    repoURL: ssh://git@github.com/example/deploy.git
		    path: apps/web/overlays/$env
		  destination:
		    server: https://kubernetes.default.svc
		    namespace: web-$env
		EOF
		gg_write $W/apps/web/overlays/$env/kustomization.yaml <<-EOF || return 1
		resources:
		- ../../base
		components:
		- ../../components/monitoring
		patches:
		- path: replicas.yaml
		namespace: web-$env
		EOF
		gg_write $W/apps/web/overlays/$env/replicas.yaml <<-\EOF || return 1
		apiVersion: apps/v1
		kind: Deployment
		metadata:
		  name: web
		spec:
		  replicas: 2
		EOF
	done &&
	gg_write $W/apps/web/base/kustomization.yaml <<-\EOF &&
	resources:
	- deployment.yaml
	- service.yaml
	EOF
	gg_write $W/apps/web/base/deployment.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: web
	EOF
	gg_write $W/apps/web/base/service.yaml <<-\EOF &&
	apiVersion: v1
	kind: Service
	metadata:
	  name: web
	EOF
	gg_write $W/apps/web/components/monitoring/kustomization.yaml <<-\EOF &&
	apiVersion: kustomize.config.k8s.io/v1alpha1
	kind: Component
	resources:
	- servicemonitor.yaml
	EOF
	gg_write $W/apps/web/components/monitoring/servicemonitor.yaml <<-\EOF &&
	apiVersion: monitoring.coreos.com/v1
	kind: ServiceMonitor
	metadata:
	  name: web
	EOF
	gg_publish overlays
'

test_expect_success 'overlays: one kustomize app per overlay, environment from the path' '
	gg_apps overlays/deploy.git >actual &&
	cat >expect <<-\EOF &&
	web-dev	argocd	Application	apps/web/overlays/dev	kustomize	HEAD	manual	default	dev	no-cascade
	web-prod	argocd	Application	apps/web/overlays/prod	kustomize	HEAD	manual	default	prod	no-cascade
	web-staging	argocd	Application	apps/web/overlays/staging	kustomize	HEAD	manual	default	staging	no-cascade
	EOF
	test_cmp expect actual
'

test_expect_success 'overlays: a change in the base belongs to every overlay app (verbose push)' '
	sed -e "s/name: web/name: web-frontend/" overlays/work/apps/web/base/deployment.yaml >tmp &&
	mv tmp overlays/work/apps/web/base/deployment.yaml &&
	gg_commit overlays/work "rename in base" &&
	gg_push_expect_accept overlays/work -o gitops.verbose ../deploy.git HEAD:main &&
	gg_touched push.out | tr -d " " | tr , "\n" | sort >actual &&
	cat >expect <<-\EOF &&
	web-dev
	web-prod
	web-staging
	EOF
	test_cmp expect actual &&
	test_grep "3 apps deploy this ref" push.out
'

test_expect_success 'overlays: a component change belongs to every overlay that uses it' '
	echo "# touch" >>overlays/work/apps/web/components/monitoring/servicemonitor.yaml &&
	gg_commit overlays/work "touch component" &&
	gg_push_expect_accept overlays/work -o gitops.verbose ../deploy.git HEAD:main &&
	gg_touched push.out | tr -d " " | tr , "\n" | sort >actual &&
	printf "%s\n" web-dev web-prod web-staging >expect &&
	test_cmp expect actual
'

test_expect_success 'overlays: a change in one overlay belongs to that app only' '
	echo "# touch" >>overlays/work/apps/web/overlays/prod/replicas.yaml &&
	gg_commit overlays/work "touch prod" &&
	gg_push_expect_accept overlays/work -o gitops.verbose ../deploy.git HEAD:main &&
	gg_touched push.out >actual &&
	echo web-prod >expect &&
	test_cmp expect actual
'

test_expect_success 'overlays: a change outside every footprint touches no app' '
	gg_write overlays/work/docs/README.md <<-\EOF &&
	the web app
	EOF
	gg_commit overlays/work "docs" &&
	gg_push_expect_accept overlays/work -o gitops.verbose ../deploy.git HEAD:main &&
	gg_touched push.out >actual &&
	echo none >expect &&
	test_cmp expect actual
'

test_expect_success 'setup: per-environment folders envs/<env>' '
	gg_layout_repo envs &&
	W=envs/work &&
	for env in dev qa staging prod prod-eu
	do
		gg_write $W/envs/$env/app.yaml <<-EOF &&
		apiVersion: argoproj.io/v1alpha1
		kind: Application
		metadata:
		  name: shop-$env
		  namespace: argocd
		  finalizers:
		  - resources-finalizer.argocd.argoproj.io/background
		spec:
		  project: shop
		  source:
		    repoURL: https://github.com/example/deploy.git
		    path: envs/$env/manifests
		    directory:
		      recurse: true
		  destination:
		    server: https://kubernetes.default.svc
		    namespace: shop
		  syncPolicy:
		    automated:
		      enabled: $(test $env = prod && echo false || echo true)
		      prune: true
		EOF
		gg_write $W/envs/$env/manifests/shop/deploy.yaml <<-\EOF || return 1
		apiVersion: apps/v1
		kind: Deployment
		metadata:
		  name: shop
		EOF
	done &&
	gg_publish envs
'

test_expect_success 'per-environment folders: environments recognised, enabled: false is manual' '
	gg_apps envs/deploy.git >actual &&
	cat >expect <<-\EOF &&
	shop-dev	argocd	Application	envs/dev/manifests	directory	HEAD	auto+prune	shop	dev	cascade
	shop-prod	argocd	Application	envs/prod/manifests	directory	HEAD	manual	shop	prod	cascade
	shop-prod-eu	argocd	Application	envs/prod-eu/manifests	directory	HEAD	auto+prune	shop	prod-eu	cascade
	shop-qa	argocd	Application	envs/qa/manifests	directory	HEAD	auto+prune	shop	qa	cascade
	shop-staging	argocd	Application	envs/staging/manifests	directory	HEAD	auto+prune	shop	staging	cascade
	EOF
	test_cmp expect actual
'

test_expect_success 'per-environment folders: a recursive app owns its subdirectories' '
	echo "# touch" >>envs/work/envs/prod-eu/manifests/shop/deploy.yaml &&
	gg_commit envs/work "touch prod-eu" &&
	gg_push_expect_accept envs/work -o gitops.verbose ../deploy.git HEAD:main &&
	gg_touched push.out >actual &&
	echo shop-prod-eu >expect &&
	test_cmp expect actual
'

test_expect_success 'setup: Helm chart directories with values per environment' '
	gg_layout_repo charts &&
	W=charts/work &&
	gg_write $W/charts/web/Chart.yaml <<-\EOF &&
	apiVersion: v2
	name: web
	version: 1.2.3
	EOF
	gg_write $W/charts/web/values.yaml <<-\EOF &&
	image: {tag: v1}
	EOF
	gg_write $W/charts/web/values-prod.yaml <<-\EOF &&
	image: {tag: v1}
	EOF
	gg_write $W/charts/web/templates/deployment.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: {{ .Release.Name }}
	EOF
	gg_write $W/charts/web/templates/_helpers.tpl <<-\EOF &&
	{{- define "web.name" -}}web{{- end -}}
	EOF
	gg_write $W/argocd/web.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: web-prod
	  namespace: argocd
	spec:
	  project: web
	  sources:
	  - repoURL: https://github.com/example/deploy.git
	    path: charts/web
	    targetRevision: v1.2.3
	    helm:
	      valueFiles: [values-prod.yaml]
	  - repoURL: https://charts.bitnami.com/bitnami
	    chart: redis
	    targetRevision: 18.x
	  destination:
	    server: https://kubernetes.default.svc
	    namespace: web
	EOF
	gg_publish charts
'

test_expect_success 'Helm chart directory: a Helm app; the chart of a Helm repository is none' '
	gg_apps charts/deploy.git >actual &&
	cat >expect <<-\EOF &&
	web-prod	argocd	Application	charts/web	helm	v1.2.3	manual	web	-	no-cascade
	EOF
	test_cmp expect actual
'

# --- Applications of other repositories; repo_urls; policy apps -------------

test_expect_success 'setup: a repository whose Applications name another repository' '
	gg_layout_repo elsewhere &&
	gg_write elsewhere/work/apps.yaml <<-\EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: web
	spec:
	  source:
	    repoURL: https://git.example.com/platform/gitops.git
	    path: web
	---
	apiVersion: argoproj.io/v1alpha1
	kind: Application
	metadata:
	  name: api
	spec:
	  source:
	    repoURL: git@git.example.com:platform/deploy-tools.git
	    path: api
	EOF
	gg_write elsewhere/work/web/deploy.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: web
	EOF
	gg_publish elsewhere
'

test_expect_success 'Applications of another repository: no apps' '
	gg_apps elsewhere/deploy.git >actual &&
	test ! -s actual
'

test_expect_success 'repo_urls in the policy make them this repository'\''s apps' '
	cat >elsewhere/policy.yaml <<-\EOF &&
	version: 1
	repo_urls:
	- https://git.example.com/platform/gitops
	EOF
	git -C elsewhere/deploy.git config gitops-guard.policy "$PWD/elsewhere/policy.yaml" &&
	gg_apps elsewhere/deploy.git >actual &&
	cat >expect <<-\EOF &&
	web	argocd	Application	web	directory	HEAD	manual	default	-	no-cascade
	EOF
	test_cmp expect actual
'

test_expect_success 'setup: a repository whose apps are defined elsewhere' '
	gg_layout_repo manifests &&
	W=manifests/work &&
	gg_write $W/web/prod/deploy.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: web
	EOF
	gg_write $W/infra/ingress/controller.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: ingress
	EOF
	cat >manifests/policy.yaml <<-\EOF &&
	version: 1
	apps:
	- name: web-prod
	  path: web/prod
	  project: web
	  environment: prod
	  auto_sync: true
	  prune: true
	- name: infra
	  path: ./infra
	  controller: flux
	  branch: infra
	EOF
	git -C manifests/deploy.git config gitops-guard.policy "$PWD/manifests/policy.yaml" &&
	gg_publish manifests
'

test_expect_success 'policy apps: the apps of a repository defined elsewhere' '
	gg_apps manifests/deploy.git >actual &&
	cat >expect <<-\EOF &&
	infra	flux	policy	infra	directory	infra	auto	-	-	no-cascade
	web-prod	argocd	policy	web/prod	directory	HEAD	auto+prune	web	prod	no-cascade
	EOF
	test_cmp expect actual
'

test_expect_success 'policy apps: a push touches them by path' '
	echo "# touch" >>manifests/work/web/prod/deploy.yaml &&
	gg_commit manifests/work "touch web" &&
	gg_push_expect_accept manifests/work -o gitops.verbose ../deploy.git HEAD:main &&
	gg_touched push.out >actual &&
	echo web-prod >expect &&
	test_cmp expect actual
'

test_expect_success 'policy apps: a push to the branch a policy app tracks is guarded' '
	git -C manifests/work checkout -q -b infra &&
	echo "# touch" >>manifests/work/infra/ingress/controller.yaml &&
	gg_commit manifests/work "touch infra" &&
	gg_push_expect_accept manifests/work -o gitops.verbose ../deploy.git infra &&
	test_grep -v "not guarded" push.out &&
	gg_touched push.out >actual &&
	echo infra >expect &&
	test_cmp expect actual
'

test_done
