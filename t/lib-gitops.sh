# t/lib-gitops.sh: writers of GitOps repository layouts for the rule
# tests, sourced after lib.sh.  The server repository is deploy.git, so
# Applications and GitRepositories name $GG_URL.
#
#   gg_argo_app <file> <name> <path> [<option>...]
#       an Argo CD Application deploying <path> of this repository;
#       options: finalizer (the resources finalizer), manual (no
#       automated sync), auto (automated without prune), allow-empty,
#       recurse, include=<glob>, exclude=<glob>, rev=<targetRevision>,
#       prune-false (the Application itself marked Prune=false),
#       append (add a document to <file> instead of replacing it)
#   gg_objects <file> <prefix> <n> [<kind>]
#       <n> documents of <kind> (ConfigMap) named <prefix>1..<prefix><n>
#   gg_objects_list <file> <list-kind> <prefix> <n> [<kind>]
#       the same <n> objects as the items of one <list-kind> document
#       (List, ConfigMapList, ...)
#   gg_object <file> <kind> <name> [<annotation>]
#       one object, with one "key: value" annotation if given
#   gg_flux_layout <dir>
#       flux bootstrap: clusters/prod/flux-system (GitRepository and
#       Kustomization flux-system on ./clusters/prod), clusters/prod/
#       apps.yaml (Kustomization apps on ./apps/prod, prune), apps/base/
#       podinfo (Namespace, HelmRepository, HelmRelease), apps/base/web
#       (Deployment, Service, ConfigMap), apps/prod/kustomization.yaml;
#       clusters/prod/infra.yaml (Kustomization infra on the plain
#       manifests of ./infrastructure, prune)
#   gg_appset_layout <dir>
#       an ApplicationSet 'guestbook' over apps/*/envs/* (name
#       {{path[1]}}-{{path.basename}}), applied by the app-of-apps
#       'root' on argocd/, with apps guestbook and web in envs dev,
#       staging and prod

GG_URL=https://git.example.com/org/deploy.git

gg_argo_app() {
	_file=$1 _name=$2 _path=$3
	shift 3
	_fin= _sync='    automated: {prune: true}' _rev= _dir= _append= _ann=
	for _opt
	do
		case $_opt in
		finalizer) _fin=t ;;
		manual) _sync= ;;
		auto) _sync='    automated: {}' ;;
		allow-empty) _sync='    automated: {prune: true, allowEmpty: true}' ;;
		recurse) _dir='    directory: {recurse: true}' ;;
		include=*) _dir="    directory: {include: '${_opt#include=}'}" ;;
		exclude=*) _dir="    directory: {exclude: '${_opt#exclude=}'}" ;;
		rev=*) _rev=${_opt#rev=} ;;
		prune-false) _ann=t ;;
		append) _append=t ;;
		*) echo >&2 "gg_argo_app: unknown option $_opt"; return 1 ;;
		esac
	done
	mkdir -p "$(dirname "$_file")" &&
	if test -z "$_append"; then
		: >"$_file"
	else
		echo --- >>"$_file"
	fi &&
	{
		echo 'apiVersion: argoproj.io/v1alpha1'
		echo 'kind: Application'
		echo 'metadata:'
		echo "  name: $_name"
		echo '  namespace: argocd'
		test -z "$_fin" ||
		echo '  finalizers: [resources-finalizer.argocd.argoproj.io]'
		test -z "$_ann" ||
		echo '  annotations: {argocd.argoproj.io/sync-options: Prune=false}'
		echo 'spec:'
		echo '  project: default'
		echo '  source:'
		echo "    repoURL: $GG_URL"
		echo "    path: $_path"
		test -z "$_rev" || echo "    targetRevision: $_rev"
		test -z "$_dir" || echo "$_dir"
		echo "  destination: {server: https://kubernetes.default.svc, namespace: $_name}"
		test -z "$_sync" || { echo '  syncPolicy:'; echo "$_sync"; }
	} >>"$_file"
}

gg_objects() {
	_file=$1 _prefix=$2 _n=$3 _kind=${4:-ConfigMap}
	mkdir -p "$(dirname "$_file")" &&
	: >"$_file" &&
	_i=1 &&
	while test "$_i" -le "$_n"
	do
		test "$_i" = 1 || echo --- >>"$_file"
		printf 'apiVersion: v1\nkind: %s\nmetadata:\n  name: %s%s\n' \
			"$_kind" "$_prefix" "$_i" >>"$_file" || return 1
		_i=$((_i + 1))
	done
}

gg_objects_list() {
	_file=$1 _lkind=$2 _prefix=$3 _n=$4 _kind=${5:-ConfigMap}
	mkdir -p "$(dirname "$_file")" &&
	printf 'apiVersion: v1\nkind: %s\nitems:\n' "$_lkind" >"$_file" &&
	_i=1 &&
	while test "$_i" -le "$_n"
	do
		printf -- '- apiVersion: v1\n  kind: %s\n  metadata:\n    name: %s%s\n' \
			"$_kind" "$_prefix" "$_i" >>"$_file" || return 1
		_i=$((_i + 1))
	done
}

gg_object() {
	mkdir -p "$(dirname "$1")" &&
	{
		case $2 in
		Deployment) echo 'apiVersion: apps/v1' ;;
		*) echo 'apiVersion: v1' ;;
		esac
		echo "kind: $2"
		echo 'metadata:'
		echo "  name: $3"
		test -z "$4" || echo "  annotations: {$4}"
	} >"$1"
}

gg_flux_layout() {
	gg_write "$1/clusters/prod/flux-system/gotk-sync.yaml" <<-EOF &&
	apiVersion: source.toolkit.fluxcd.io/v1
	kind: GitRepository
	metadata:
	  name: flux-system
	  namespace: flux-system
	spec:
	  interval: 1m
	  url: ssh://git@git.example.com/org/deploy
	  ref: {branch: main}
	---
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata:
	  name: flux-system
	  namespace: flux-system
	spec:
	  interval: 10m
	  path: ./clusters/prod
	  prune: true
	  sourceRef: {kind: GitRepository, name: flux-system}
	EOF
	gg_write "$1/clusters/prod/apps.yaml" <<-EOF &&
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata:
	  name: apps
	  namespace: flux-system
	spec:
	  interval: 10m
	  path: ./apps/prod
	  prune: true
	  sourceRef: {kind: GitRepository, name: flux-system}
	EOF
	gg_write "$1/clusters/prod/infra.yaml" <<-EOF &&
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata:
	  name: infra
	  namespace: flux-system
	spec:
	  interval: 10m
	  path: ./infrastructure
	  prune: true
	  sourceRef: {kind: GitRepository, name: flux-system}
	EOF
	gg_objects "$1/infrastructure/namespaces.yaml" team- 3 Namespace &&
	gg_objects "$1/infrastructure/quotas.yaml" quota- 3 ResourceQuota &&
	gg_write "$1/apps/base/podinfo/namespace.yaml" <<-EOF &&
	apiVersion: v1
	kind: Namespace
	metadata:
	  name: podinfo
	EOF
	gg_write "$1/apps/base/podinfo/repository.yaml" <<-EOF &&
	apiVersion: source.toolkit.fluxcd.io/v1
	kind: HelmRepository
	metadata:
	  name: podinfo
	  namespace: podinfo
	spec:
	  url: https://stefanprodan.github.io/podinfo
	EOF
	gg_write "$1/apps/base/podinfo/release.yaml" <<-EOF &&
	apiVersion: helm.toolkit.fluxcd.io/v2
	kind: HelmRelease
	metadata:
	  name: podinfo
	  namespace: podinfo
	spec:
	  interval: 10m
	  chart:
	    spec:
	      chart: podinfo
	      version: "6.5.0"
	      sourceRef: {kind: HelmRepository, name: podinfo}
	EOF
	gg_write "$1/apps/base/podinfo/kustomization.yaml" <<-EOF &&
	resources: [namespace.yaml, repository.yaml, release.yaml]
	EOF
	gg_object "$1/apps/base/web/deployment.yaml" Deployment web &&
	gg_object "$1/apps/base/web/service.yaml" Service web &&
	gg_object "$1/apps/base/web/config.yaml" ConfigMap web &&
	gg_write "$1/apps/base/web/kustomization.yaml" <<-EOF &&
	resources: [deployment.yaml, service.yaml, config.yaml]
	EOF
	gg_write "$1/apps/prod/kustomization.yaml" <<-EOF
	resources:
	  - ../base/podinfo
	  - ../base/web
	EOF
}

gg_appset_layout() {
	gg_argo_app "$1/argocd/root.yaml" root argocd &&
	gg_write "$1/argocd/guestbook-set.yaml" <<-EOF &&
	apiVersion: argoproj.io/v1alpha1
	kind: ApplicationSet
	metadata:
	  name: guestbook
	  namespace: argocd
	spec:
	  generators:
	    - git:
	        repoURL: $GG_URL
	        revision: HEAD
	        directories:
	          - path: apps/*/envs/*
	  template:
	    metadata:
	      name: '{{path[1]}}-{{path.basename}}'
	    spec:
	      project: default
	      source:
	        repoURL: $GG_URL
	        targetRevision: HEAD
	        path: '{{path}}'
	      destination: {server: https://kubernetes.default.svc, namespace: '{{path.basename}}'}
	      syncPolicy:
	        automated: {prune: true}
	EOF
	for _app in guestbook web
	do
		for _env in dev staging prod
		do
			gg_objects "$1/apps/$_app/envs/$_env/objects.yaml" \
				"$_app-" 2 || return 1
		done
	done
}
