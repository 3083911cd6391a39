# demo/steps.sh: the push sequence of demo/run, one step per behaviour.
# Sourced by demo/run, which provides step, commit, run and abandon; the
# work clone is ./deploy, its remote the server with the hooks.
# shellcheck shell=sh

# --- yaml/invalid -----------------------------------------------------------

step "A manifest that does not parse is a warning by default [yaml/invalid]"
cat >deploy/apps/guestbook/overlays/dev/settings.yaml <<'EOT'
apiVersion: v1
kind: ConfigMap
metadata:
  name: guestbook-extra
data: [unclosed
EOT
commit "guestbook dev: extra settings"
run accepted git -C deploy push origin main

step "... and fixed in the next push"
rm deploy/apps/guestbook/overlays/dev/settings.yaml
commit "guestbook dev: drop the broken settings"
run accepted git -C deploy push origin main

# --- policy/changed -----------------------------------------------------------

step "Changing the in-repo policy needs a confirmation [policy/changed]"
cat >deploy/.gitops-guard.yaml <<'EOT'
version: 1
rules:
  yaml/invalid: block
EOT
commit "policy: manifests that do not parse block the push"
run rejected git -C deploy push origin main

step "... confirmed by the pusher; it applies from the next push on"
run accepted git -C deploy push -o gitops.confirm=policy/changed origin main

step "Now a manifest that does not parse blocks the push [yaml/invalid]"
printf 'kind: [\n' >deploy/apps/podinfo/envs/dev/broken.yaml
commit "podinfo dev: half-written manifest"
run rejected git -C deploy push origin main

# --- break-glass --------------------------------------------------------------

step "Break-glass asked for by someone not allowed is refused [break-glass/denied]"
run rejected env REMOTE_USER=dana git -C deploy push \
	-o "gitops.break-glass=the release is late" origin main

step "... and granted to the on-call engineer, loudly and in the audit log"
run accepted env REMOTE_USER=oncall git -C deploy push \
	-o "gitops.break-glass=INC-4711: hotfix must ship now" origin main
rm deploy/apps/podinfo/envs/dev/broken.yaml
commit "podinfo dev: remove the broken manifest"
run accepted git -C deploy push -q origin main
