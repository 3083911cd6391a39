#!/bin/sh
test_description='packs in the policy: validation, enabling, severities, parameters, confirmations, layering'
. "$(dirname "$0")/lib.sh"

# the packs of this test (site, broken) before the shipped ones
gg_shipped_packs packs
gg_system_policy system.yaml
# the built-in rule families judge these pushes too: only pack rules,
# policy/changed, yaml/invalid and break-glass/denied stay
gg_only_rules 'baseline/*' 'secrets/*' 'site/*'

# deployment <file> <name> <image> [privileged]
deployment() {
	mkdir -p "$(dirname "$1")" &&
	{
		echo "apiVersion: apps/v1"
		echo "kind: Deployment"
		echo "metadata: {name: $2}"
		echo "spec:"
		echo "  replicas: ${REPLICAS:-1}"
		echo "  template:"
		echo "    spec:"
		echo "      containers:"
		echo "        - name: main"
		echo "          image: $3"
		echo "          resources: {limits: {memory: 64Mi}}"
		test -z "$4" ||
		echo "          securityContext: {privileged: true}"
	} >"$1"
}

# push_lines <expect-status> <git push arguments...>: push from work to
# deploy.git; the server's lines go to `lines`.
push_lines() {
	want=$1
	shift
	if test "$want" = accept; then
		gg_push_expect_accept work "$@" ../deploy.git main
	else
		test_must_fail gg_push push.out work "$@" ../deploy.git main
	fi &&
	gg_remote_lines push.out >lines
}

test_expect_success 'setup: a site pack, a broken pack, a server and a clone' '
	gg_write packs/site.yaml <<-\EOF &&
	version: 1
	pack: site
	description: rules of this site
	rules:
	  - name: debug-config
	    severity: warn
	    summary: adds a ConfigMap that turns debug logging on
	    explain: Debug logs fill the disks of the nodes.
	    match:
	      kinds: [v1/ConfigMap]
	      paths: ["apps/**"]
	      fields:
	        - path: data.LOG_LEVEL
	          equals: debug
	    message: "ConfigMap '"'"'{name}'"'"' sets {path} to {value}"
	    hint: log at info in {file}
	    examples:
	      - files: {apps/a/cm.yaml: "{kind: ConfigMap, apiVersion: v1, data: {LOG_LEVEL: debug}}"}
	        expect: reject
	      - files: {apps/a/cm.yaml: "{kind: ConfigMap, apiVersion: v1, data: {LOG_LEVEL: info}}"}
	        expect: accept
	EOF
	sed -e "s/^pack: site/pack: broken/" \
	    -e "s/equals: debug/pattern: \"(debug\"/" packs/site.yaml >packs/broken.yaml &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	EOF
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	git init -q work &&
	echo deploy >work/README &&
	gg_commit work initial &&
	gg_push_expect_accept work ../deploy.git main
'

test_expect_success 'the rules of a pack that no layer enables judge nothing' '
	deployment work/apps/web/deploy.yaml web nginx privileged &&
	gg_commit work "privileged web" &&
	push_lines accept &&
	test_grep -v "baseline/" lines
'

test_expect_success 'gitops-guard rules and explain know the rules of the pack path' '
	gitops-guard rules >rules 2>err &&
	test_grep "^baseline/privileged-container  *confirm  *adds a privileged container$" rules &&
	test_grep "^site/debug-config  *warn  *adds a ConfigMap that turns debug logging on$" rules &&
	test_grep "^gitops-guard: warning: pack '"'broken'"' does not load: $GG_TRASH/packs/broken.yaml:14:20: bad pattern: missing closing parenthesis at offset 6$" err &&
	gitops-guard explain site/debug-config >out &&
	head -n 6 out >actual &&
	cat >expect <<-EOF &&
	site/debug-config (default severity: warn)

	Fires when the push adds a ConfigMap that turns debug logging on.

	Debug logs fill the disks of the nodes.

	EOF
	test_cmp expect actual &&
	test_grep "^Pack: site, from $GG_TRASH/packs/site.yaml.$" out &&
	test_grep "^Off unless a policy enables the pack (packs: \[site\]).$" out &&
	test_grep "^  field data.LOG_LEVEL equals debug$" out
'

test_expect_success 'gitops-guard packs lists the packs and says which do not load' '
	test_expect_code 1 gitops-guard packs >out &&
	test_grep "^pack path: $GG_TRASH/packs:$GG_SRC_DIR/rules$" out &&
	test_grep "^site: 1 rule, $GG_TRASH/packs/site.yaml$" out &&
	test_grep "^broken: does not load: $GG_TRASH/packs/broken.yaml:14:20: " out &&
	test_grep "^baseline: 7 rules, $GG_SRC_DIR/rules/baseline.yaml$" out
'

test_expect_success 'packs check validates pack files' '
	gitops-guard packs check packs/site.yaml >out &&
	echo "packs/site.yaml: ok, pack '"'site'"' with 1 rule" >expect &&
	test_cmp expect out &&
	test_expect_code 1 gitops-guard packs check packs/broken.yaml 2>err &&
	echo "packs/broken.yaml:14:20: bad pattern: missing closing parenthesis at offset 6" >expect &&
	test_cmp expect err &&
	test_expect_code 2 gitops-guard packs check packs/none.yaml 2>err &&
	test_grep "cannot open pack '"'packs/none.yaml'"'" err &&
	test_expect_code 2 gitops-guard packs frob 2>err &&
	test_grep "^usage: gitops-guard packs" err
'

test_expect_success 'an unknown pack is an error at its line and column' '
	gg_write bad.yaml <<-\EOF &&
	version: 1
	packs: [baseline, nosuch]
	EOF
	test_expect_code 1 gitops-guard policy check bad.yaml 2>err &&
	echo "bad.yaml:2:19: unknown pack '"'nosuch'"' (available: site, baseline, secrets; see '"'gitops-guard packs'"')" >expect &&
	test_cmp expect err
'

test_expect_success 'enabling a pack that does not load is an error that says why' '
	gg_write bad.yaml <<-\EOF &&
	version: 1
	packs: {broken: true}
	EOF
	test_expect_code 1 gitops-guard policy check bad.yaml 2>err &&
	echo "bad.yaml:2:9: pack '"'broken'"' does not load: $GG_TRASH/packs/broken.yaml:14:20: bad pattern: missing closing parenthesis at offset 6" >expect &&
	test_cmp expect err
'

test_expect_success 'pack rule ids and parameters are validated' '
	gg_write bad.yaml <<-\EOF &&
	version: 1
	rules:
	  baseline/no-such-rule: warn
	EOF
	test_expect_code 1 gitops-guard policy check bad.yaml 2>err &&
	echo "bad.yaml:3:3: unknown rule '"'baseline/no-such-rule'"': pack '"'baseline'"' has no rule '"'no-such-rule'"' (see '"'gitops-guard rules'"')" >expect &&
	test_cmp expect err &&
	gg_write bad.yaml <<-\EOF &&
	version: 1
	rules:
	  site/debug-config: {threshold: 3}
	  broken/debug-config: warn
	EOF
	test_expect_code 1 gitops-guard policy check bad.yaml 2>err &&
	echo "bad.yaml:3:23: rule '"'site/debug-config'"' has no parameter '"'threshold'"'" >expect &&
	test_cmp expect err &&
	gg_write bad.yaml <<-\EOF &&
	version: 1
	rules:
	  broken/debug-config: warn
	EOF
	test_expect_code 1 gitops-guard policy check bad.yaml 2>err &&
	test_grep "^bad.yaml:3:3: unknown rule '"'broken/debug-config'"': pack '"'broken'"' does not load: $GG_TRASH/packs/broken.yaml:14:20: " err &&
	gg_write bad.yaml <<-\EOF &&
	version: 1
	packs: baseline
	rules:
	  baseline/image-latest-tag: {severity: block, exclude_paths: ["apps/legacy/**"]}
	EOF
	gitops-guard policy check bad.yaml
'

test_expect_success 'a hook whose policy names an unknown pack rejects every push' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	packs: [nosuch]
	EOF
	deployment work/apps/web/deploy.yaml web nginx:1.27 &&
	gg_commit work "pin web" &&
	push_lines reject &&
	test_grep "^error: internal error, push rejected: $GG_TRASH/system.yaml:2:9: unknown pack '"'nosuch'"'" lines
'

test_expect_success 'an enabled pack judges with its default severities, and names what it found' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	packs: [baseline]
	EOF
	deployment work/apps/api/deploy.yaml api registry.example.com/api privileged &&
	gg_commit work "api" &&
	push_lines reject &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [baseline/image-latest-tag] refs/heads/main apps/api/deploy.yaml:10: Deployment '"'api'"' runs image '"'registry.example.com/api'"', which has the tag latest or no tag: what runs changes without a change in Git
	  hint: name a version tag, or better a digest (image:tag@sha256:...); if an overlay sets the tag, add this file to the rule'"'"'s exclude_paths
	gitops-guard: error: [baseline/privileged-container] refs/heads/main apps/api/deploy.yaml:12: Deployment '"'api'"' runs a privileged container (spec.template.spec.containers[0].securityContext.privileged): it has every capability and the devices of its node
	  hint: grant only the capabilities it needs (securityContext.capabilities.add) instead; a node agent that must be privileged can be confirmed
	  hint: confirm with: git push -o gitops.confirm=baseline/privileged-container:apps/api/deploy.yaml
	gitops-guard: push rejected: 1 blocking finding, 1 warning (see '"'gitops-guard explain baseline/privileged-container'"')
	EOF
	test_cmp expect lines
'

test_expect_success 'a push option confirms a pack rule' '
	push_lines accept -o gitops.confirm=baseline/privileged-container:apps/api &&
	test_grep "^gitops-guard: warning: \[baseline/privileged-container\] refs/heads/main apps/api/deploy.yaml:12: .* (confirmed by unknown)$" lines &&
	test_grep "\"rule\":\"baseline/privileged-container\".*\"waiver\":\"confirm\"" deploy.git/gitops-guard/audit.jsonl
'

test_expect_success 'a trailer confirms a pack rule; an unknown pack rule id is a warning' '
	deployment work/apps/worker/deploy.yaml worker example.com/worker:1.0 privileged &&
	git -C work add -A &&
	git -C work commit -q -m "worker" -m "Gitops-Confirm: baseline/privileged-container:apps/worker/deploy.yaml" &&
	push_lines accept -o gitops.confirm=baseline/no-such-rule &&
	test_grep "(confirmed by unknown)$" lines &&
	test_grep "^gitops-guard: warning: push option '"'gitops.confirm=baseline/no-such-rule'"' names no known rule$" lines
'

test_expect_success 'only what the push adds or changes is judged' '
	REPLICAS=3 deployment work/apps/api/deploy.yaml api registry.example.com/api privileged &&
	gg_commit work "scale api" &&
	push_lines accept &&
	test_grep -v "\[baseline/" lines &&
	REPLICAS=3 deployment work/apps/api/deploy.yaml api registry.example.com/api2 privileged &&
	gg_commit work "rename the image" &&
	push_lines accept &&
	test_grep "^gitops-guard: warning: \[baseline/image-latest-tag\] refs/heads/main apps/api/deploy.yaml:10: Deployment '"'api'"' runs image '"'registry.example.com/api2'"'" lines &&
	test_grep -v "privileged-container" lines
'

test_expect_success 'the policy sets severities of pack rules' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	packs: [baseline, site]
	rules:
	  baseline/image-latest-tag: block
	  baseline/privileged-container: off
	  site/debug-config: {severity: confirm}
	EOF
	deployment work/apps/batch/deploy.yaml batch example.com/batch:latest privileged &&
	gg_write work/apps/batch/cm.yaml <<-\EOF &&
	apiVersion: v1
	kind: ConfigMap
	metadata: {name: batch}
	data: {LOG_LEVEL: debug}
	EOF
	gg_commit work "batch" &&
	push_lines reject &&
	grep "^gitops-guard: error:" lines >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [site/debug-config] refs/heads/main apps/batch/cm.yaml:4: ConfigMap '"'batch'"' sets data.LOG_LEVEL to debug
	gitops-guard: error: [baseline/image-latest-tag] refs/heads/main apps/batch/deploy.yaml:10: Deployment '"'batch'"' runs image '"'example.com/batch:latest'"', which has the tag latest or no tag: what runs changes without a change in Git
	EOF
	test_cmp expect actual &&
	test_grep "^  hint: log at info in apps/batch/cm.yaml$" lines &&
	test_grep -v "privileged-container" lines
'

test_expect_success 'exclude_paths: the rule does not judge those files' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	packs: [baseline, site]
	rules:
	  baseline/image-latest-tag: {severity: block, exclude_paths: ["apps/batch/**"]}
	  baseline/privileged-container: off
	  site/debug-config: {exclude_paths: ["**/cm.yaml"]}
	EOF
	push_lines accept &&
	test_grep -v "\[baseline/\|\[site/" lines
'

test_expect_success 'environments: a rule judges the environments the policy names' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	packs: [baseline]
	rules:
	  baseline/image-without-digest: block
	EOF
	deployment work/envs/staging/web/deploy.yaml web example.com/web:1.0 &&
	deployment work/envs/prod/web/deploy.yaml web example.com/web:1.0 &&
	gg_commit work "web in staging and prod" &&
	push_lines reject &&
	grep "^gitops-guard: error:" lines >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [baseline/image-without-digest] refs/heads/main envs/prod/web/deploy.yaml:10: Deployment '"'web'"' runs image '"'example.com/web:1.0'"' in environment '"'prod'"' without a digest: the tag can be moved to other content
	EOF
	test_cmp expect actual &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	packs: [baseline]
	rules:
	  baseline/image-without-digest: {severity: block, environments: [staging]}
	EOF
	push_lines reject &&
	grep "^gitops-guard: error:" lines >actual &&
	test_grep "\[baseline/image-without-digest\] refs/heads/main envs/staging/web/deploy.yaml:10: .* in environment '"'staging'"' without a digest" actual &&
	test $(wc -l <actual) = 1 &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'layering: a later layer cannot turn off a pack an earlier one enabled' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	packs: [baseline]
	EOF
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	packs: {baseline: false, secrets: true}
	rules:
	  baseline/image-latest-tag: info
	EOF
	gg_commit work "in-repo policy" &&
	push_lines accept -o gitops.confirm=policy/changed &&
	deployment work/apps/cron/deploy.yaml cron example.com/cron privileged &&
	gg_write work/apps/cron/token.yaml <<-\EOF &&
	apiVersion: v1
	kind: Secret
	metadata: {name: cron-token}
	type: kubernetes.io/service-account-token
	EOF
	gg_commit work "cron" &&
	push_lines reject &&
	test_grep "^gitops-guard: warning: policy: main:.gitops-guard.yaml:2:19: pack '"'baseline'"' stays enabled: turning it off loosens the policy and '"'packs'"' is not in the system policy'"'"'s allow_loosen$" lines &&
	test_grep "^gitops-guard: warning: policy: main:.gitops-guard.yaml:4:30: ignored severity info for '"'baseline/image-latest-tag'"': lower than warn" lines &&
	test_grep "^gitops-guard: error: \[baseline/privileged-container\] refs/heads/main apps/cron/deploy.yaml:12: " lines &&
	test_grep "^gitops-guard: warning: \[baseline/image-latest-tag\] refs/heads/main apps/cron/deploy.yaml:10: " lines &&
	test_grep "^gitops-guard: warning: \[secrets/service-account-token\] refs/heads/main apps/cron/token.yaml:4: Secret '"'cron-token'"' asks for a service account token that never expires$" lines
'

test_expect_success 'layering: allow_loosen lets a later layer turn a pack off and lower its rules' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	packs: [baseline]
	allow_loosen: [packs, "baseline/*"]
	EOF
	push_lines accept &&
	test_grep -v "\[baseline/\|stays enabled\|ignored severity" lines &&
	test_grep "^gitops-guard: warning: \[secrets/service-account-token\] " lines
'

test_expect_success 'layering: the repository config layer enables packs too' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	EOF
	gg_write repo.yaml <<-\EOF &&
	version: 1
	packs: [site]
	EOF
	git -C deploy.git config gitops-guard.policy "$GG_TRASH/repo.yaml" &&
	gg_write work/apps/cron/cm.yaml <<-\EOF &&
	apiVersion: v1
	kind: ConfigMap
	metadata: {name: cron}
	data: {LOG_LEVEL: debug}
	EOF
	gg_commit work "cron config" &&
	push_lines accept &&
	test_grep "^gitops-guard: warning: \[site/debug-config\] refs/heads/main apps/cron/cm.yaml:4: " lines &&
	gitops-guard policy show --repo deploy.git >show &&
	test_grep "^packs: broken (does not load), site (enabled), baseline, secrets (enabled)$" show &&
	test_grep "^rule site/debug-config  *warn$" show &&
	test_grep "^rule baseline/privileged-container  *off$" show &&
	git -C deploy.git config --unset gitops-guard.policy
'

test_expect_success 'policy/changed: a new in-repo policy that enables an unknown pack is blocked' '
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	packs: [secrets, nosuch]
	EOF
	gg_commit work "enable nosuch" &&
	before=$(gg_ref deploy.git main) &&
	push_lines reject -o gitops.confirm=policy/changed &&
	test_grep "^gitops-guard: error: \[policy/changed\] refs/heads/main .gitops-guard.yaml: the new policy is invalid: main:.gitops-guard.yaml:2:18: unknown pack '"'nosuch'"'" lines &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'the update hook judges pack rules too' '
	rm -f deploy.git/hooks/pre-receive &&
	gg_install_hook deploy.git update &&
	test_when_finished "rm -f deploy.git/hooks/update && gg_install_hook deploy.git pre-receive" &&
	gg_write work/apps/ci/token.yaml <<-\EOF &&
	apiVersion: v1
	kind: Secret
	metadata: {name: ci-token}
	type: kubernetes.io/service-account-token
	EOF
	gg_commit work "ci token" &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules: {secrets/service-account-token: confirm}
	EOF
	push_lines reject &&
	test_grep "^gitops-guard: error: \[secrets/service-account-token\] refs/heads/main apps/ci/token.yaml:4: " lines &&
	test_grep "^  hint: confirm with the trailer '"'Gitops-Confirm: secrets/service-account-token:apps/ci/token.yaml'"' in a pushed commit$" lines
'

test_done
