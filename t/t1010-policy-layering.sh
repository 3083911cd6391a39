#!/bin/sh
test_description='policy layers: an in-repo policy tightens environments, owners and limits, and loosens them only where allow_loosen says'
. "$(dirname "$0")/lib.sh"

gg_only_rules 'promotion/*' 'secret/*'

# gg_push_as <identity> <work-dir> <git push arguments...>: push as
# <identity> (GL_USERNAME; file:// pushes hand it to the hooks).
gg_push_as() {
	(
		GL_USERNAME=$1 &&
		export GL_USERNAME &&
		shift &&
		gg_push push.out "$@"
	)
}

# cm <path> <value>: a ConfigMap.
cm() {
	gg_write "work/$1" <<-EOF
	apiVersion: v1
	kind: ConfigMap
	metadata: {name: cm}
	data: {value: "$2"}
	EOF
}

# system_policy [<allow_loosen entry>]: prod protected, payments owned by
# alice, yaml/invalid confirmable.
system_policy() {
	gg_write system.yaml <<-EOF
	version: 1
	environments:
	  - {name: dev, paths: ["envs/dev/**"]}
	  - {name: prod, paths: ["envs/prod/**"], protected: true}
	owners:
	  - {paths: ["apps/payments/**"], users: [alice]}
	rules: {yaml/invalid: confirm}
	allow_loosen: [${1-}]
	EOF
}

# secret_over_1k <path>: a Secret in clear, larger than 1 KiB.
secret_over_1k() {
	{
		cat <<-\EOF &&
		apiVersion: v1
		kind: Secret
		metadata: {name: creds}
		stringData:
		  password: hunter2
		EOF
		i=0 &&
		while test $i -lt 40
		do
			echo "# padding that takes the file over 1 KiB, line $i" &&
			i=$((i + 1)) || return 1
		done
	} >"work/$1"
}

test_expect_success 'setup: prod protected, payments owned by alice' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	system_policy &&
	git init -q work &&
	cm envs/dev/cm.yaml 1 &&
	cm envs/prod/cm.yaml 1 &&
	cm apps/payments/cm.yaml 1 &&
	cm apps/web/cm.yaml 1 &&
	gg_commit work initial &&
	gg_push_expect_accept work ../server.git main
'
gg_system_policy system.yaml

test_expect_success 'an in-repo policy that tries to loosen is accepted when confirmed' '
	gg_write work/.gitops-guard.yaml <<-\EOF &&
	version: 1
	environments:
	  - {name: dev, paths: ["envs/dev/**"]}
	  - {name: prod, paths: ["nowhere/**"], protected: true}
	owners:
	  - {paths: ["**"], users: [mallory]}
	limits: {max_blob_bytes: 1024}
	EOF
	gg_commit work "policy for this repository" &&
	gg_push_as mallory work -o gitops.confirm=policy/changed \
		../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'it cannot move prod away: a direct edit of prod is rejected' '
	before=$(gg_ref server.git main) &&
	test_when_finished "git -C work reset -q --hard $before" &&
	cm envs/prod/cm.yaml 2 &&
	gg_commit work "prod: 2" &&
	test_must_fail gg_push_as mallory work ../server.git main &&
	gg_remote_lines push.out >actual &&
	id=$(git -C work rev-parse --short=7 HEAD) &&
	cat >expect <<-EOF &&
	gitops-guard: warning: policy: main:.gitops-guard.yaml:7:26: ignored '"'limits.max_blob_bytes: 1024'"': lower than 4194304, so less is inspected, and '"'limits'"' is not in the system policy'"'"'s allow_loosen
	gitops-guard: error: [promotion/direct-edit] refs/heads/main envs/prod/cm.yaml: commit $id changes protected environment '"'prod'"' directly (1 file): no merge commit, no platform merge, and pusher '"'mallory'"' is not a promoter
	  hint: merge the change through a pull or merge request, or let a promoter identity push it (policy '"'promoters'"')
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain promotion/direct-edit'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'it cannot make mallory an owner of what alice owns' '
	before=$(gg_ref server.git main) &&
	printf "a: [\n" >work/apps/payments/bad.yaml &&
	gg_commit work "broken payments" &&
	test_must_fail gg_push_as mallory work \
		-o gitops.confirm=yaml/invalid ../server.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: policy: main:.gitops-guard.yaml:7:26: ignored '"'limits.max_blob_bytes: 1024'"': lower than 4194304, so less is inspected, and '"'limits'"' is not in the system policy'"'"'s allow_loosen
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/payments/bad.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push; the confirmation does not count: only an owner (alice) may confirm this, and the pusher is mallory
	  hint: confirm with: git push -o gitops.confirm=yaml/invalid:apps/payments/bad.yaml
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before" &&
	gg_push_as alice work -o gitops.confirm=yaml/invalid \
		../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'its owners decide where the system names none: a tightening' '
	before=$(gg_ref server.git main) &&
	printf "a: [\n" >work/apps/web/bad.yaml &&
	gg_commit work "broken web" &&
	test_must_fail gg_push_as bob work -o gitops.confirm=yaml/invalid \
		../server.git main &&
	test_grep "only an owner (mallory) may confirm this, and the pusher is bob" push.out &&
	test "$(gg_ref server.git main)" = "$before" &&
	gg_push_as mallory work -o gitops.confirm=yaml/invalid \
		../server.git main &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a lower max_blob_bytes does not hide a file from the checks' '
	before=$(gg_ref server.git main) &&
	test_when_finished "git -C work reset -q --hard $before" &&
	secret_over_1k apps/web/secret.yaml &&
	gg_commit work "web: credentials" &&
	test_must_fail gg_push_as mallory work -o gitops.confirm=yaml/invalid \
		../server.git main &&
	test_grep "error: \[secret/plaintext\] refs/heads/main apps/web/secret.yaml:5: " push.out &&
	test_grep -v "not parsed" push.out &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'allow_loosen: limits lets it lower max_blob_bytes' '
	system_policy limits &&
	before=$(gg_ref server.git main) &&
	test_when_finished "git -C work reset -q --hard $before" &&
	secret_over_1k apps/web/secret.yaml &&
	gg_commit work "web: credentials" &&
	test_must_fail gg_push_as mallory work -o gitops.confirm=yaml/invalid \
		../server.git main &&
	test_grep "warning: \[yaml/invalid\] refs/heads/main apps/web/secret.yaml: not parsed: .* bytes is more than limits.max_blob_bytes (1024) (confirmed by mallory)" push.out &&
	# secret/plaintext reads files over the limit too (up to 64 MiB)
	test_grep "error: \[secret/plaintext\] refs/heads/main apps/web/secret.yaml:5: " push.out &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success 'allow_loosen: owners lets its owners join alice' '
	system_policy owners &&
	printf "a: [\n" >work/apps/payments/bad-2.yaml &&
	gg_commit work "broken payments again" &&
	gg_push_as mallory work -o gitops.confirm=yaml/invalid \
		../server.git main &&
	test_grep "warning: \[yaml/invalid\] refs/heads/main apps/payments/bad-2.yaml:2: .*(confirmed by mallory)" push.out &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'allow_loosen: environments lets it replace the environments' '
	system_policy environments &&
	cm envs/prod/cm.yaml 3 &&
	gg_commit work "prod: 3" &&
	gg_push_as mallory work ../server.git main &&
	test_grep -v "promotion/direct-edit" push.out &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'without environments in the system policy, the in-repo list is ignored' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	EOF
	before=$(gg_ref server.git main) &&
	test_when_finished "git -C work reset -q --hard $before" &&
	cm envs/prod/cm.yaml 4 &&
	gg_commit work "prod: 4" &&
	test_must_fail gg_push_as mallory work ../server.git main &&
	test_grep "warning: policy: main:.gitops-guard.yaml:3:3: ignored '"'environments'"': the in-repo policy may not replace the built-in recognition of environments" push.out &&
	test_grep "error: \[promotion/direct-edit\] refs/heads/main envs/prod/cm.yaml: " push.out &&
	test "$(gg_ref server.git main)" = "$before"
'

test_done
