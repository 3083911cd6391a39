#!/bin/sh
test_description='freeze/active: no change to a frozen environment while a freeze window is open'
. "$(dirname "$0")/lib.sh"

# the promotion family only: the other families judge these pushes too
gg_only_rules 'promotion/*' 'freeze/*'

SQ="'"

# cm <file> <value>: a ConfigMap
cm() {
	gg_write "work/$1" <<-EOF
	apiVersion: v1
	kind: ConfigMap
	metadata:
	  name: settings
	data:
	  value: "$2"
	EOF
}

test_expect_success 'setup: a year-end freeze of prod, a weekend freeze in Berlin' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	freeze:
	  - name: year-end
	    environments: [prod]
	    schedule: "0 0 20 12 *"
	    duration: 336h
	    timezone: UTC
	  - name: weekend
	    environments: [prod-eu]
	    schedule: "0 18 * * fri"
	    duration: 62h
	    timezone: Europe/Berlin
	rules:
	  promotion/direct-edit: off
	  promotion/skipped-stage: off
	  sync/auto-enabled: off
	  prune/unscoped: off
	EOF
	git init -q work &&
	cm envs/staging/settings.yaml 1 &&
	cm envs/prod/settings.yaml 1 &&
	cm envs/prod-eu/settings.yaml 1 &&
	gg_commit work initial &&
	GITOPS_GUARD_NOW=2026-12-01T00:00:00Z gg_push_expect_accept work ../server.git main
'
gg_system_policy system.yaml

test_expect_success 'a change to prod inside the year-end window is rejected' '
	before=$(gg_ref server.git main) &&
	cm envs/prod/settings.yaml 2 &&
	gg_commit work "prod: 2" &&
	GITOPS_GUARD_NOW=2026-12-24T10:00:00Z \
		gg_push_expect_reject freeze/active work ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-EOF &&
	gitops-guard: error: [freeze/active] refs/heads/main envs/prod/settings.yaml: changes frozen environment ${SQ}prod${SQ} (1 file) during freeze window ${SQ}year-end${SQ}, which ends 2027-01-03T00:00:00Z (opened 2026-12-20T00:00:00Z; schedule ${SQ}0 0 20 12 *${SQ} in UTC for 336h)
	  hint: push it after the window ends: 2027-01-03T00:00:00Z
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see ${SQ}gitops-guard explain freeze/active${SQ})
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'the last second of the window is still frozen' '
	GITOPS_GUARD_NOW=2027-01-02T23:59:59Z \
		gg_push_expect_reject freeze/active work ../server.git main
'

test_expect_success 'the same change a minute after the window is accepted' '
	GITOPS_GUARD_NOW=2027-01-03T00:01:00Z \
		gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'a change to a non-frozen environment during the window is accepted' '
	cm envs/staging/settings.yaml 3 &&
	gg_commit work "staging: 3" &&
	GITOPS_GUARD_NOW=2027-12-24T10:00:00Z \
		gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a tier name freezes every environment of the tier (prod-eu)' '
	cm envs/prod-eu/settings.yaml 4 &&
	gg_commit work "prod-eu: 4" &&
	GITOPS_GUARD_NOW=2027-12-24T10:00:00Z \
		gg_push_expect_reject freeze/active work ../server.git main &&
	test_grep "changes frozen environment ${SQ}prod-eu${SQ} (1 file) during freeze window ${SQ}year-end${SQ}" push.out
'

test_expect_success 'a window in a time zone of the tz database says when it ends there' '
	GITOPS_GUARD_NOW=2028-01-07T17:30:00Z \
		gg_push_expect_reject freeze/active work ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-EOF &&
	gitops-guard: error: [freeze/active] refs/heads/main envs/prod-eu/settings.yaml: changes frozen environment ${SQ}prod-eu${SQ} (1 file) during freeze window ${SQ}weekend${SQ}, which ends 2028-01-10 08:00 Europe/Berlin (2028-01-10T07:00:00Z) (opened 2028-01-07 18:00 Europe/Berlin (2028-01-07T17:00:00Z); schedule ${SQ}0 18 * * fri${SQ} in Europe/Berlin for 62h)
	  hint: push it after the window ends: 2028-01-10 08:00 Europe/Berlin (2028-01-10T07:00:00Z)
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see ${SQ}gitops-guard explain freeze/active${SQ})
	EOF
	test_cmp expect actual
'

test_expect_success 'before the window opens in Berlin the change is accepted' '
	GITOPS_GUARD_NOW=2028-01-07T16:59:00Z \
		gg_push_expect_accept work ../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a shared base is frozen with the environments whose apps build on it' '
	gg_write work/clusters/prod/apps.yaml <<-\EOF &&
	apiVersion: kustomize.toolkit.fluxcd.io/v1
	kind: Kustomization
	metadata:
	  name: apps
	  namespace: flux-system
	spec:
	  interval: 10m
	  path: ./apps/prod
	  prune: true
	  sourceRef: { kind: GitRepository, name: flux-system }
	EOF
	gg_write work/apps/prod/kustomization.yaml <<-\EOF &&
	resources: [../base]
	EOF
	gg_write work/apps/base/kustomization.yaml <<-\EOF &&
	resources: [settings.yaml]
	EOF
	cm apps/base/settings.yaml 1 &&
	gg_commit work "apps" &&
	GITOPS_GUARD_NOW=2028-02-01T00:00:00Z gg_push_expect_accept work ../server.git main &&
	before=$(gg_ref server.git main) &&
	cm apps/base/settings.yaml 2 &&
	gg_commit work "base: 2" &&
	GITOPS_GUARD_NOW=2028-12-24T00:00:00Z \
		gg_push_expect_reject freeze/active work ../server.git main &&
	test_grep "\] refs/heads/main apps/base/settings.yaml: changes frozen environment ${SQ}prod${SQ} (1 file) during freeze window ${SQ}year-end${SQ}" push.out &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'a window without environments freezes every environment' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	freeze:
	  - name: all-hands
	    schedule: "0 9 * * *"
	    duration: 1h
	rules:
	  promotion/direct-edit: off
	  promotion/skipped-stage: off
	  sync/auto-enabled: off
	  prune/unscoped: off
	EOF
	cm envs/staging/settings.yaml 5 &&
	gg_commit work "staging: 5" &&
	GITOPS_GUARD_NOW=2028-03-01T09:30:00Z \
		gg_push_expect_reject freeze/active work ../server.git main &&
	test_grep "changes frozen environment ${SQ}staging${SQ} (1 file) during freeze window ${SQ}all-hands${SQ}, which ends 2028-03-01T10:00:00Z" push.out &&
	GITOPS_GUARD_NOW=2028-03-01T10:00:00Z \
		gg_push_expect_accept work ../server.git main
'

test_done
