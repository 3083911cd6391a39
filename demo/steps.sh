# demo/steps.sh: the push sequence of demo/run, one step per behaviour.
# Sourced by demo/run, which provides step, commit, run, abandon and the
# work clone ./deploy whose remote is the server with the hooks; ./sample
# is the pristine sample.  Every rule of `gitops-guard rules` appears,
# the pack rules too (demo/run enables the shipped packs).
# shellcheck shell=sh

d=deploy

# set_tag <file> <tag>: the newTag of a kustomization's only image.
set_tag() {
	sed -i "s/newTag: \".*\"/newTag: \"$2\"/" "$d/$1"
}

# merge_from <branch> <message>: merge a topic branch into main with a
# merge commit, as a pull request merge would.
merge_from() {
	git -C "$d" checkout -q main &&
	git -C "$d" merge -q --no-ff -m "$2" "$1" &&
	git -C "$d" branch -q -D "$1"
}

# --- yaml/invalid -------------------------------------------------------------

step "A manifest that does not parse is a warning by default [yaml/invalid]"
cat >$d/apps/guestbook/overlays/dev/settings.yaml <<'EOT'
apiVersion: v1
kind: ConfigMap
metadata:
  name: guestbook-extra
data: [unclosed
EOT
commit "guestbook dev: extra settings"
run accepted git -C $d push origin main

step "... and fixed in the next push"
rm $d/apps/guestbook/overlays/dev/settings.yaml
commit "guestbook dev: drop the broken settings"
run accepted git -C $d push origin main

# --- promotion ------------------------------------------------------------------

step "A new image tag in dev is an everyday push"
set_tag apps/guestbook/overlays/dev/kustomization.yaml 1.7.0
commit "guestbook dev: 1.7.0"
run accepted git -C $d push origin main

step "The same tag edited straight into prod [promotion/direct-edit] [promotion/skipped-stage]"
set_tag apps/guestbook/overlays/prod/kustomization.yaml 1.7.0
commit "guestbook prod: 1.7.0"
run rejected git -C $d push origin main
abandon

step "Promoted properly: staging first, then prod through a merge commit"
set_tag apps/guestbook/overlays/staging/kustomization.yaml 1.7.0
commit "guestbook staging: 1.7.0"
run accepted git -C $d push origin main
git -C $d checkout -q -b promote/guestbook-prod
set_tag apps/guestbook/overlays/prod/kustomization.yaml 1.7.0
commit "guestbook prod: 1.7.0"
merge_from promote/guestbook-prod "Merge promote/guestbook-prod: guestbook 1.7.0 to prod"
run accepted git -C $d push origin main

step "The release bot is a promoter: it may write prod directly [promoters]"
set_tag apps/podinfo/envs/staging/kustomization.yaml 6.6.0
commit "podinfo staging: 6.6.0"
run accepted git -C $d push -q origin main
set_tag apps/podinfo/envs/prod/kustomization.yaml 6.6.0
git -C $d -c user.name=release-bot -c user.email=bot@example.com \
	commit -q -am "podinfo prod: 6.6.0"
run accepted env REMOTE_USER=release-bot git -C $d push origin main

# --- freeze/active ------------------------------------------------------------

step "During the year-end freeze a prod change is blocked, merge or not [freeze/active]"
set_tag apps/guestbook/overlays/dev/kustomization.yaml 1.7.1
set_tag apps/guestbook/overlays/staging/kustomization.yaml 1.7.1
commit "guestbook dev, staging: 1.7.1"
run accepted env GITOPS_GUARD_NOW=2026-12-24T10:00:00Z git -C $d push -q origin main
git -C $d checkout -q -b promote/guestbook-prod
set_tag apps/guestbook/overlays/prod/kustomization.yaml 1.7.1
commit "guestbook prod: 1.7.1"
merge_from promote/guestbook-prod "Merge promote/guestbook-prod: guestbook 1.7.1 to prod"
run rejected env GITOPS_GUARD_NOW=2026-12-24T10:00:00Z git -C $d push origin main

step "... and the same merge a minute after the window is accepted"
run accepted env GITOPS_GUARD_NOW=2027-01-03T00:01:00Z git -C $d push origin main

# --- promotion/branch-bypass ----------------------------------------------------

step "Branch per environment: env/dev -> env/staging -> env/prod by fast-forward"
run accepted git -C $d push -q origin main:env/dev
run accepted git -C $d push -q origin main:env/staging
run accepted git -C $d push origin main:env/prod

step "A hotfix committed on env/prod that env/staging never had [promotion/branch-bypass]"
git -C $d checkout -q -b env/prod origin/env/prod
printf '  - hotfix.yaml\n' >>$d/apps/guestbook/overlays/prod/kustomization.yaml
cat >$d/apps/guestbook/overlays/prod/hotfix.yaml <<'EOT'
apiVersion: v1
kind: ConfigMap
metadata:
  name: guestbook-hotfix
data:
  TIMEOUT: "30"
EOT
commit "hotfix: longer timeout in prod"
run rejected env REMOTE_USER=release-bot git -C $d push origin env/prod
git -C $d checkout -q main
git -C $d branch -q -D env/prod

# --- deletions ------------------------------------------------------------------

step "Deleting most of what an app deploys needs a confirmation [app/mass-deletion]"
git -C $d rm -q apps/podinfo/base/service.yaml apps/podinfo/base/hpa.yaml
sed -i '/service.yaml/d; /hpa.yaml/d' $d/apps/podinfo/base/kustomization.yaml
commit "podinfo: drop the service and the autoscaler"
run rejected git -C $d push origin main

step "... confirmed for podinfo's dev environment only: still rejected for the others"
run rejected git -C $d push -o gitops.confirm=app/mass-deletion:apps/podinfo/envs/dev origin main

step "... confirmed for the whole rule"
run accepted git -C $d push -o gitops.confirm=app/mass-deletion origin main

step "An app whose kustomization reaches nothing any more [app/emptied]"
sed -i 's|^  - \.\./\.\./base$||; s|^resources:$|resources: []|' \
	$d/apps/podinfo/envs/dev/kustomization.yaml
commit "podinfo dev: no base"
run rejected git -C $d push origin main
abandon

step "Deleting an Application whose finalizer cascades [app/cascade-delete]"
git -C $d rm -q argocd/apps/guestbook-dev.yaml
commit "retire guestbook-dev"
run rejected git -C $d push origin main

step "... confirmed: the root app prunes it and Argo CD deletes what it deployed"
run accepted git -C $d push -o gitops.confirm=app/cascade-delete:argocd/apps/guestbook-dev.yaml origin main

step "An ApplicationSet whose generator yields fewer apps [appset/generator-shrink]"
git -C $d rm -q -r apps/podinfo/envs/staging
commit "podinfo: no staging any more"
run rejected git -C $d push origin main
abandon

step "Dropping Delete=false from a volume claim [protect/annotation-removed]"
sed -i '/annotations:/d; /sync-options: Delete=false/d' \
	$d/apps/guestbook/overlays/staging/pvc.yaml
commit "guestbook staging: tidy the PVC"
run rejected git -C $d push origin main
abandon

step "Force-pushing the branch every app deploys, even to reword a commit [ref/tracked-rewrite]"
git -C $d commit -q --amend -m "Retire guestbook-dev (its team moved to podinfo)"
run rejected git -C $d push --force origin main
abandon

# --- sync policy ------------------------------------------------------------------

step "A new app that auto-prunes the whole repository [prune/unscoped]"
cat >$d/argocd/apps/everything.yaml <<'EOT'
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: everything
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://git.example.com/platform/deploy.git
    path: .
    directory:
      recurse: true
  destination:
    server: https://kubernetes.default.svc
  syncPolicy:
    automated:
      prune: true
EOT
commit "one app for everything"
run rejected git -C $d push origin main
abandon

step "A manual app for the tools team is an everyday push"
mkdir -p $d/apps/tools
cat >$d/apps/tools/configmap.yaml <<'EOT'
apiVersion: v1
kind: ConfigMap
metadata:
  name: tools
data:
  MODE: manual
EOT
cat >$d/argocd/apps/tools.yaml <<'EOT'
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: tools
  namespace: argocd
spec:
  project: guestbook
  source:
    repoURL: https://git.example.com/platform/deploy.git
    path: apps/tools
  destination:
    server: https://kubernetes.default.svc
    namespace: guestbook-tools
EOT
commit "tools: a manual app"
run accepted git -C $d push origin main

step "Switching it to auto-sync needs its owner's confirmation [sync/auto-enabled]"
cat >>$d/argocd/apps/tools.yaml <<'EOT'
  syncPolicy:
    automated:
      prune: true
EOT
commit "tools: sync automatically"
run rejected env REMOTE_USER=dana git -C $d push -o gitops.confirm=sync/auto-enabled origin main

step "... and alice, who owns apps/tools, confirms it"
run accepted env REMOTE_USER=alice git -C $d push -o gitops.confirm=sync/auto-enabled origin main

step "allowEmpty: true lets an auto-pruning app prune everything [sync/allow-empty]"
sed -i 's/      prune: true/      prune: true\n      allowEmpty: true/' \
	$d/argocd/apps/tools.yaml
commit "tools: allow empty syncs"
run rejected git -C $d push origin main
abandon

step "An AppProject opened to every repository is a warning [project/unscoped]"
sed -i 's|    - https://git.example.com/platform/deploy.git|    - "*"|' \
	$d/argocd/projects/guestbook.yaml
commit "guestbook project: any repository"
run accepted git -C $d push origin main
git -C $d revert --no-edit HEAD >/dev/null
run accepted git -C $d push -q origin main

# --- secrets -------------------------------------------------------------------------

step "A Secret with a clear password [secret/plaintext]"
cat >$d/apps/tools/db-secret.yaml <<'EOT'
apiVersion: v1
kind: Secret
metadata:
  name: tools-db
stringData:
  password: hunter2-but-longer-Xk93
EOT
commit "tools: database credentials"
run rejected git -C $d push origin main
abandon

step "... a SealedSecret instead is an everyday push"
cat >$d/apps/tools/db-secret.yaml <<'EOT'
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: tools-db
spec:
  encryptedData:
    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq
EOT
commit "tools: sealed database credentials"
run accepted git -C $d push origin main

# --- rule packs (baseline, secrets) -----------------------------------------

step "Rule packs add rules of their own: a privileged node debugger [baseline/privileged-container] [baseline/host-namespaces] [baseline/host-path-volume] [baseline/image-latest-tag] [baseline/missing-resource-limits]"
cat >$d/apps/tools/node-debug.yaml <<'EOT'
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-debug
spec:
  selector:
    matchLabels:
      app: node-debug
  template:
    metadata:
      labels:
        app: node-debug
    spec:
      hostNetwork: true
      containers:
        - name: shell
          image: busybox
          command: ["sleep", "infinity"]
          securityContext:
            privileged: true
          volumeMounts:
            - name: host
              mountPath: /host
      volumes:
        - name: host
          hostPath:
            path: /
EOT
commit "tools: a node debugger"
run rejected git -C $d push -o gitops.verbose origin main

step "... alice, who owns apps/tools, confirms it; the warnings stay in the audit log"
run accepted env REMOTE_USER=alice git -C $d push \
	-o gitops.confirm=baseline/privileged-container origin main

step "An API version that current Kubernetes no longer serves [baseline/removed-api-version]"
cat >$d/apps/tools/pdb.yaml <<'EOT'
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: node-debug
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: node-debug
EOT
commit "tools: a disruption budget"
run rejected git -C $d push origin main

step "... written for policy/v1 it is an everyday push"
sed -i 's|^apiVersion: policy/v1beta1$|apiVersion: policy/v1|' $d/apps/tools/pdb.yaml
git -C $d commit -q --amend -a --no-edit
run accepted git -C $d push origin main

step "A backup CronJob merged into every environment: in protected prod its image is noted for having no digest [baseline/image-without-digest]"
git -C $d checkout -q -b topic/backup
for env in dev staging prod
do
	cat >$d/apps/guestbook/overlays/$env/backup.yaml <<'EOT'
apiVersion: batch/v1
kind: CronJob
metadata:
  name: guestbook-backup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: backup
              image: registry.example.com/pg-backup:2.1.0
              resources:
                limits: {cpu: 500m, memory: 256Mi}
EOT
	sed -i 's|^  - pvc.yaml$|  - pvc.yaml\n  - backup.yaml|' \
		$d/apps/guestbook/overlays/$env/kustomization.yaml
done
commit "guestbook: nightly backup in every environment"
merge_from topic/backup "Merge topic/backup: nightly backup"
run accepted git -C $d push -o gitops.verbose origin main

step "Secret handling beyond clear values: warnings [secrets/sealed-secret-wide-scope] [secrets/service-account-token]"
cat >$d/apps/tools/ci-token.yaml <<'EOT'
apiVersion: v1
kind: Secret
metadata:
  name: ci-deployer-token
  annotations:
    kubernetes.io/service-account.name: ci-deployer
type: kubernetes.io/service-account-token
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: shared-registry
  annotations:
    sealedsecrets.bitnami.com/cluster-wide: "true"
spec:
  encryptedData:
    token: AgCkq9v1Qm0n3LJrZk2WcJ4Y8wQ0cXb1
EOT
commit "tools: CI token and the shared registry credentials"
run accepted git -C $d push origin main

# --- policy/changed ------------------------------------------------------------

step "Changing the in-repo policy needs a confirmation [policy/changed]"
cat >$d/.gitops-guard.yaml <<'EOT'
version: 1
rules:
  yaml/invalid: block
EOT
commit "policy: manifests that do not parse block the push"
run rejected git -C $d push origin main

step "... confirmed by the pusher; it applies from the next push on"
run accepted git -C $d push -o gitops.confirm=policy/changed origin main

step "Now a manifest that does not parse blocks the push [yaml/invalid]"
printf 'kind: [\n' >$d/apps/podinfo/envs/dev/broken.yaml
commit "podinfo dev: half-written manifest"
run rejected git -C $d push origin main

# --- break-glass ---------------------------------------------------------------------

step "Break-glass asked for by someone not allowed is refused [break-glass/denied]"
run rejected env REMOTE_USER=dana git -C $d push \
	-o "gitops.break-glass=the release is late" origin main

step "... and granted to the on-call engineer, loudly and in the audit log"
run accepted env REMOTE_USER=oncall git -C $d push \
	-o "gitops.break-glass=INC-4711: hotfix must ship now" origin main
rm $d/apps/podinfo/envs/dev/broken.yaml
commit "podinfo dev: remove the broken manifest"
run accepted git -C $d push -q origin main
