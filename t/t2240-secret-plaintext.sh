#!/bin/sh
test_description='secret/plaintext: clear Secrets, secretGenerator values and credentials; values never shown'
. "$(dirname "$0")/lib.sh"

# the sync and secret family only: the other families judge these pushes too
gg_only_rules 'prune/*' 'sync/*' 'project/*' 'secret/*'

test_expect_success 'setup' '
	gg_bare_repo deploy.git &&
	gg_install_hook deploy.git pre-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	break_glass: { users: [oncall] }
	EOF
	gg_system_policy system.yaml &&
	git init -q work &&
	gg_write work/apps/db/deploy.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata: {name: db}
	EOF
	gg_commit work initial &&
	gg_push_expect_accept work ../deploy.git main
'

test_expect_success 'rejects a Secret with clear stringData and data, showing keys and fingerprints only' '
	before=$(gg_ref deploy.git main) &&
	gg_write work/apps/db/secret.yaml <<-\EOF &&
	apiVersion: v1
	kind: Secret
	metadata: {name: db-creds}
	stringData:
	  username: changeme
	  password: hunter2
	data:
	  token: aHVudGVyMw==
	EOF
	gg_commit work "db secret" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [secret/plaintext] refs/heads/main apps/db/secret.yaml:6: Secret '"'db-creds'"' holds clear values: stringData.password (sha256:f52fbd32b2b3), data.token (sha256:fb8c2e2b85ca); anyone who can read the repository, a clone or its history can read them
	  hint: encrypt it with SOPS (ENC[...] values pass), or use a SealedSecret or an ExternalSecret; rotate any real value, Git history keeps it
	  hint: only break-glass overrides this: git push -o '"'gitops.break-glass=<reason>'"' (break_glass.users only)
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain secret/plaintext'"')
	EOF
	test_cmp expect actual &&
	test "$(printf %s hunter2 | sha256sum | cut -c1-12)" = f52fbd32b2b3 &&
	test "$(printf %s hunter3 | sha256sum | cut -c1-12)" = fb8c2e2b85ca &&
	test "$(gg_ref deploy.git main)" = "$before"
'

test_expect_success 'the values reach neither the pusher nor the audit log' '
	test_grep -v -e hunter -e aHVudGVyMw push.out &&
	test -s deploy.git/gitops-guard/audit.jsonl &&
	test_grep "secret/plaintext" deploy.git/gitops-guard/audit.jsonl &&
	test_grep -v -e hunter -e aHVudGVyMw deploy.git/gitops-guard/audit.jsonl
'

test_expect_success 'look-alikes pass with no finding: SOPS, SealedSecret, ExternalSecret, placeholders' '
	git -C work reset -q --hard HEAD^ &&
	gg_write work/apps/db/sops.yaml <<-\EOF &&
	apiVersion: v1
	kind: Secret
	metadata: {name: db-sops}
	stringData:
	  password: ENC[AES256_GCM,data:Tr7o=,iv:1=,tag:2=,type:str]
	  token: ENC[AES256_GCM,data:Tr7p=,iv:1=,tag:2=,type:str]
	sops:
	  age:
	  - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
	    enc: |
	      -----BEGIN AGE ENCRYPTED FILE-----
	      YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOQ
	      -----END AGE ENCRYPTED FILE-----
	  version: 3.8.1
	EOF
	gg_write work/apps/db/sealed.yaml <<-\EOF &&
	apiVersion: bitnami.com/v1alpha1
	kind: SealedSecret
	metadata: {name: db-sealed}
	spec:
	  encryptedData:
	    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq
	EOF
	gg_write work/apps/db/external.yaml <<-\EOF &&
	apiVersion: external-secrets.io/v1beta1
	kind: ExternalSecret
	metadata: {name: db-external}
	spec:
	  secretStoreRef: {name: vault, kind: ClusterSecretStore}
	  data:
	  - secretKey: password
	    remoteRef: {key: db, property: password}
	EOF
	gg_write work/apps/db/placeholder.yaml <<-\EOF &&
	apiVersion: v1
	kind: Secret
	metadata: {name: db-template}
	stringData:
	  password: UPDATE_ME
	  user: "<user>"
	  url: ${DB_URL}
	  empty: ""
	data:
	  token: Y2hhbmdlbWU=
	EOF
	gg_commit work "look-alikes" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'a Secret that is the item of a List is judged as a Secret, once' '
	gg_write work/apps/db/list.yaml <<-\EOF &&
	apiVersion: v1
	kind: List
	items:
	- apiVersion: v1
	  kind: Secret
	  metadata: {name: listed-creds}
	  stringData:
	    token: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789
	- apiVersion: v1
	  kind: ConfigMap
	  metadata: {name: listed-config}
	  data:
	    token: ghp_zYxWvUtSrQpOnMlKjIhGfEdCbA9876543210
	EOF
	gg_commit work "a List with a Secret" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	test_grep "apps/db/list.yaml:8: Secret '"'listed-creds'"' holds clear values: stringData.token (sha256:" actual &&
	test_grep "apps/db/list.yaml:13: credential-looking values: GitHub token '"'token'"' at line 13 (sha256:" actual &&
	test "$(grep -c "\[secret/plaintext\]" actual)" = 2 &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'rejects a secretGenerator literal and an env file with values' '
	printf "USER=app\nPASSWORD=s3cr3t\nFROM_ENV\nHOST=\n" >work/apps/db/db.env &&
	gg_write work/apps/db/kustomization.yaml <<-\EOF &&
	resources: [deploy.yaml]
	secretGenerator:
	- name: db
	  literals:
	  - apiKey=abc123
	  - placeholder=changeme
	  envs: [db.env]
	EOF
	gg_commit work "generator" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	test_grep "apps/db/kustomization.yaml:5: kustomize secretGenerator '"'db'"' puts clear values into a Secret: literal apiKey (sha256:[0-9a-f]*), env apps/db/db.env: USER (sha256:[0-9a-f]*), env apps/db/db.env: PASSWORD (sha256:[0-9a-f]*);" push.out &&
	test_grep -v -e abc123 -e s3cr3t push.out
'

test_expect_success 'once in, a later change reports only the values it adds' '
	GL_USERNAME=oncall gg_push_expect_accept work \
		-o "gitops.break-glass=legacy import of db" ../deploy.git main &&
	printf "USER=app\nPASSWORD=s3cr3t\nTOKEN=t0ken\n" >work/apps/db/db.env &&
	gg_commit work "token" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	gg_remote_lines push.out >lines &&
	test_grep "apps/db/db.env:3: kustomize secretGenerator '"'db'"' (apps/db/kustomization.yaml) puts clear values into a Secret: env apps/db/db.env: TOKEN (sha256:" lines &&
	test_grep -v "PASSWORD" lines &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'a value already present before the push is not a new finding' '
	gg_write work/apps/db/app-secret.yaml <<-\EOF &&
	apiVersion: v1
	kind: Secret
	metadata: {name: app}
	stringData:
	  password: correct-horse
	EOF
	gg_commit work "app secret" &&
	GL_USERNAME=oncall gg_push_expect_accept work \
		-o "gitops.break-glass=legacy import of app" ../deploy.git main &&
	gg_write work/apps/db/app-secret.yaml <<-\EOF &&
	apiVersion: v1
	kind: Secret
	metadata:
	  name: app
	  labels: {team: db}
	stringData:
	  password: correct-horse
	EOF
	git -C work mv apps/db/app-secret.yaml apps/db/app.yaml &&
	gg_commit work "relabel and move" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects credentials in a Helm values file, and names what they look like' '
	gg_write work/charts/web/values.yaml <<-\EOF &&
	replicas: 2
	github:
	  token: ghp_0123456789abcdefghijklmnopqrstuvwxyz
	tls:
	  key: |
	    -----BEGIN EC PRIVATE KEY-----
	    MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oAVKRt8ZPPpvoAoGCCqGSM49
	    -----END EC PRIVATE KEY-----
	existingSecret: web-auth
	serviceAccount: {automountServiceAccountToken: false}
	EOF
	gg_commit work "values" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	test_grep "charts/web/values.yaml:3: credential-looking values: GitHub token '"'token'"' at line 3 (sha256:[0-9a-f]*), private key '"'key'"' at line 6 (sha256:[0-9a-f]*); anyone who can read the repository" push.out &&
	test_grep -v -e ghp_ -e MHcCAQ push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'a Helm template with a templated password passes' '
	gg_write work/charts/web/templates/secret.yaml <<-\EOF &&
	apiVersion: v1
	kind: Secret
	metadata:
	  name: {{ .Release.Name }}
	stringData:
	  password: {{ .Values.password | quote }}
	EOF
	gg_commit work "template" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v gitops-guard push.out
'

test_expect_success 'rejects an Argo CD repository Secret with a password, not one with a URL only' '
	gg_write work/argocd/repos.yaml <<-\EOF &&
	apiVersion: v1
	kind: Secret
	metadata:
	  name: public-repo
	  labels: {argocd.argoproj.io/secret-type: repository}
	stringData:
	  type: git
	  url: https://git.example.com/org/public.git
	---
	apiVersion: v1
	kind: Secret
	metadata:
	  name: private-repo
	  labels: {argocd.argoproj.io/secret-type: repository}
	stringData:
	  type: git
	  url: https://git.example.com/org/private.git
	  username: deploy-bot
	  password: glpat-abcdefghij0123456789
	EOF
	gg_commit work "repos" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	test "$(grep -c "\[secret/plaintext\]" push.out)" = 1 &&
	test_grep "argocd/repos.yaml:19: Argo CD repository Secret '"'private-repo'"' holds clear credentials: stringData.password (sha256:[0-9a-f]*); Argo CD uses them to reach the repository" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'rejects a cluster Secret whose config carries a bearer token' '
	gg_write work/argocd/cluster.yaml <<-\EOF &&
	apiVersion: v1
	kind: Secret
	metadata:
	  name: prod
	  labels: {argocd.argoproj.io/secret-type: cluster}
	stringData:
	  name: prod
	  server: https://prod.example.com
	  config: |
	    {"bearerToken": "eyJhbGciOiJSUzI1NiJ9.e30.sig", "tlsClientConfig": {"insecure": false}}
	EOF
	gg_commit work "cluster" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	test_grep "argocd/cluster.yaml:10: Argo CD cluster Secret '"'prod'"' holds clear credentials: stringData.config.bearerToken (password-like field) (sha256:" push.out &&
	git -C work reset -q --hard HEAD^
'

# Files the YAML parser does not read: larger than limits.max_blob_bytes,
# or over a parse limit.  Their text is still searched.
test_expect_success 'rejects a clear Secret padded past limits.max_blob_bytes' '
	before=$(gg_ref deploy.git main) &&
	{
		printf "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\n" &&
		printf "stringData: {password: \"hunter2-Very-Secret-99\"}\n#" &&
		head -c 5242880 /dev/zero | tr "\0" x &&
		echo
	} >work/apps/db/padded.yaml &&
	test $(wc -c <work/apps/db/padded.yaml) -gt 5242880 &&
	gg_commit work "padded secret" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	fp=$(printf %s hunter2-Very-Secret-99 | sha256sum | cut -c1-12) &&
	size=$(wc -c <work/apps/db/padded.yaml) &&
	cat >expect <<-EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/db/padded.yaml: not parsed: $size bytes is more than limits.max_blob_bytes (4194304)
	  hint: split the file, or raise limits.max_blob_bytes
	gitops-guard: error: [secret/plaintext] refs/heads/main apps/db/padded.yaml:4: Secret '"'db'"' holds clear values: stringData.password (sha256:$fp); anyone who can read the repository, a clone or its history can read them
	  hint: encrypt it with SOPS (ENC[...] values pass), or use a SealedSecret or an ExternalSecret; rotate any real value, Git history keeps it
	  hint: only break-glass overrides this: git push -o '"'gitops.break-glass=<reason>'"' (break_glass.users only)
	gitops-guard: push rejected: 1 blocking finding, 1 warning (see '"'gitops-guard explain secret/plaintext'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'a padded Secret whose kind is spelled with an escape is judged' '
	before=$(gg_ref deploy.git main) &&
	{
		printf "apiVersion: v1\nkind: \"Sec\\\\x72et\"\nmetadata: {name: esc}\n" &&
		printf "stringData: {mykey: \"s3cr3tPassw0rdEsc\"}\n#" &&
		head -c 5242880 /dev/zero | tr "\0" x &&
		echo
	} >work/apps/db/padded-esc.yaml &&
	grep -q "Sec.x72et" work/apps/db/padded-esc.yaml &&
	gg_commit work "padded escaped secret" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	test_grep "apps/db/padded-esc.yaml:4: Secret .esc. holds clear values: stringData.mykey" push.out &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'rejects a clear Secret in a file of more than 10,000 documents, read as text' '
	before=$(gg_ref deploy.git main) &&
	awk "BEGIN {
		for (i = 0; i < 10000; i++)
			printf \"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm%d}\n\", i
	}" >work/apps/db/many.yaml &&
	cat >>work/apps/db/many.yaml <<-\EOF &&
	---
	apiVersion: v1
	kind: Secret
	metadata:
	  name: many
	  labels: {app: db}
	type: Opaque
	stringData:
	  user: "<user>"
	  password: "s3cr3t-in-a-refused-file"   # not a placeholder
	  note: |
	    TODO
	data:
	  token: aHVudGVyMw==
	  empty: ""
	EOF
	gg_commit work "many documents" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	gg_remote_lines push.out | sed -n 3p >actual &&
	fp=$(printf %s s3cr3t-in-a-refused-file | sha256sum | cut -c1-12) &&
	echo "gitops-guard: error: [secret/plaintext] refs/heads/main apps/db/many.yaml:40010: Secret '"'many'"' holds clear values (read as text: the file does not parse as YAML): stringData.password (sha256:$fp), data.token (sha256:fb8c2e2b85ca); anyone who can read the repository, a clone or its history can read them" >expect &&
	test_cmp expect actual &&
	test "$(grep -c "\[secret/plaintext\]" push.out)" = 1 &&
	test_grep -v -e s3cr3t -e aHVudGVyMw push.out &&
	test "$(gg_ref deploy.git main)" = "$before"
'

test_expect_success 'placeholders in a Secret read as text pass' '
	sed -e "s/s3cr3t-in-a-refused-file/changeme/" -e "s/aHVudGVyMw==/Y2hhbmdlbWU=/" \
		work/apps/db/many.yaml >many.yaml &&
	mv many.yaml work/apps/db/many.yaml &&
	gg_commit work "placeholders only" &&
	gg_push_expect_accept work ../deploy.git main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/db/many.yaml:40001: refused: more documents than the limit
	  hint: split the file, or remove the nesting, aliases or documents beyond the limit
	gitops-guard: push accepted: 0 blocking findings, 1 warning
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'a Secret read as text whose data cannot be read is reported, not passed' '
	before=$(gg_ref deploy.git main) &&
	cat >>work/apps/db/many.yaml <<-\EOF &&
	---
	apiVersion: v1
	kind: Secret
	metadata: {name: odd}
	data: !!map
	  token: aHVudGVyMw==
	EOF
	gg_commit work "odd secret" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	gg_remote_lines push.out | sed -n 3p >actual &&
	echo "gitops-guard: error: [secret/plaintext] refs/heads/main apps/db/many.yaml:40020: Secret '"'odd'"' (read as text: the file does not parse as YAML) holds data that gitops-guard could not read; its values cannot be judged" >expect &&
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'a file too large even to search is reported, not passed' '
	before=$(gg_ref deploy.git main) &&
	{
		printf "apiVersion: v1\nkind: Secret\nmetadata: {name: huge}\n" &&
		printf "stringData: {password: \"hunter2-Very-Secret-99\"}\n#" &&
		head -c 67108864 /dev/zero | tr "\0" x &&
		echo
	} >work/apps/db/huge.yaml &&
	size=$(wc -c <work/apps/db/huge.yaml) &&
	gg_commit work "huge secret" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	gg_remote_lines push.out | sed -n 3,4p >actual &&
	cat >expect <<-EOF &&
	gitops-guard: error: [secret/plaintext] refs/heads/main apps/db/huge.yaml: could not be inspected for secrets: $size bytes is more than the 67108864 bytes searched in a file over limits.max_blob_bytes
	  hint: split the file; a file this large cannot be checked for clear secrets
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'look-alike key headers in a document left alone do not hide the credentials after them' '
	before=$(gg_ref deploy.git main) &&
	{
		printf "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\n" &&
		printf "metadata: {name: x}\nspec: {}\n" &&
		i=0 &&
		while test $i -lt 300
		do
			echo "# -----BEGIN PRIVATE KEY-----" &&
			i=$((i + 1)) || return 1
		done &&
		printf -- "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\n" &&
		printf "data:\n  db_password: s3cr3tPassw0rdXyz\n  aws: AKIAQWERTYUIOPASDFGH\n"
	} >work/apps/db/flood.yaml &&
	gg_commit work "flood of headers" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	gg_remote_lines push.out | sed -n 1p >actual &&
	echo "gitops-guard: error: [secret/plaintext] refs/heads/main apps/db/flood.yaml:310: credential-looking values: password-like field '"'db_password'"' at line 310 (sha256:9ffc9ed08903), AWS access key id '"'aws'"' at line 311 (sha256:a93e68f8176a); anyone who can read the repository, a clone or its history can use them" >expect &&
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'more matches of one pattern than are judged one by one are reported, and the other patterns still searched' '
	before=$(gg_ref deploy.git main) &&
	{
		printf "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: keys}\ndata:\n" &&
		i=0 &&
		while test $i -lt 300
		do
			printf "  k%d: |\n    -----BEGIN PRIVATE KEY-----\n    MIIE%d\n    -----END PRIVATE KEY-----\n" $i $i &&
			i=$((i + 1)) || return 1
		done &&
		printf "  token: ghp_0123456789abcdefghijklmnopqrstuvwxyz\n"
	} >work/apps/db/keys.yaml &&
	gg_commit work "many keys" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	gg_remote_lines push.out >actual.all &&
	sed -n 1,2p actual.all >actual &&
	sed -n 4p actual.all | sed "s/: private key .*and [0-9]* more;/: .../" >>actual &&
	fp=$(tail -n +1030 work/apps/db/keys.yaml | sed "1s/^    //" | sha256sum | cut -c1-12) &&
	cat >expect <<-EOF &&
	gitops-guard: error: [secret/plaintext] refs/heads/main apps/db/keys.yaml:1030: more than 256 private key matches: the text from line 1030 on (sha256:$fp) was not judged value by value; it may hold credentials
	  hint: remove the look-alikes, or split the file so that each part holds fewer matches
	gitops-guard: error: [secret/plaintext] refs/heads/main apps/db/keys.yaml:6: credential-looking values: ... anyone who can read the repository, a clone or its history can use them
	EOF
	test_cmp expect actual &&
	test_grep "and 249 more;" actual.all &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'a sops key in another document does not make a clear Secret pass' '
	before=$(gg_ref deploy.git main) &&
	gg_write work/apps/db/fake-sops.yaml <<-\EOF &&
	apiVersion: v1
	kind: Secret
	metadata: {name: db}
	stringData:
	  mykey: s3cr3tPassw0rdXyz
	---
	sops: {}
	EOF
	gg_commit work "fake sops document" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	gg_remote_lines push.out | sed -n 1p >actual &&
	echo "gitops-guard: error: [secret/plaintext] refs/heads/main apps/db/fake-sops.yaml:5: Secret '"'db'"' holds clear values: stringData.mykey (sha256:9ffc9ed08903); anyone who can read the repository, a clone or its history can read them" >expect &&
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

# an initial push: no rule before secret/plaintext reads its files whole,
# so the rule decides from their text which ones it needs parsed
test_expect_success 'an initial push: a Secret whose kind is spelled with an escape is judged as a Secret' '
	gg_bare_repo first.git &&
	gg_install_hook first.git pre-receive &&
	git init -q first &&
	gg_write first/apps/db/escaped.yaml <<-\EOF &&
	apiVersion: v1
	kind: "Sec\x72et"
	metadata: {name: spelled}
	stringData:
	  username: s3cr3tUs3rXyz
	EOF
	gg_write first/apps/db/config.yaml <<-\EOF &&
	apiVersion: v1
	kind: ConfigMap
	metadata: {name: plain}
	data:
	  username: n0tAS3cr3tXyz
	EOF
	gg_commit first "escaped kind" &&
	gg_push_expect_reject secret/plaintext first ../first.git main &&
	test_grep "escaped.yaml:5: Secret .spelled. holds clear values: stringData.username" push.out &&
	test_grep -v "config.yaml" push.out &&
	test "$(gg_ref first.git main)" = missing
'

test_expect_success 'an initial push: a Secret in UTF-16 with a byte order mark and no NUL byte early is judged as a Secret' '
	rm -rf first.git first &&
	gg_bare_repo first.git &&
	gg_install_hook first.git pre-receive &&
	git init -q first &&
	mkdir -p first/apps/db &&
	{
		yes "中" | head -n 4000 | tr -d "\n" &&
		printf "\n---\n" &&
		printf "apiVersion: v1\nkind: Secret\nmetadata: {name: wide}\n" &&
		printf "stringData:\n  username: s3cr3tUs3rXyz\n"
	} >utf8.yaml &&
	{
		printf "\377\376" &&
		iconv -f UTF-8 -t UTF-16LE utf8.yaml
	} >first/apps/db/wide.yaml &&
	head -c 8000 first/apps/db/wide.yaml >first-bytes &&
	test "$(tr -d "\000" <first-bytes | wc -c)" -eq 8000 &&
	gg_commit first "utf-16 secret" &&
	gg_push_expect_reject secret/plaintext first ../first.git main &&
	test_grep "Secret .wide. holds clear values: stringData.username" push.out &&
	test "$(gg_ref first.git main)" = missing
'

test_expect_success 'a sops key without SOPS metadata or ENC values is not encryption, in a file read as text too' '
	before=$(gg_ref deploy.git main) &&
	gg_write work/apps/db/fake-sops.yaml <<-\EOF &&
	apiVersion: v1
	kind: ConfigMap
	metadata: {name: app}
	data:
	  aws: AKIAQWERTYUIOPASDFGH
	sops: {version: 3.8.1}
	---
	apiVersion: v1
	kind: Secret
	metadata: {name: db}
	stringData:
	  mykey: s3cr3tPassw0rdXyz
	---
	sops:
	  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]
	  lastmodified: "2026-11-01T00:00:00Z"
	---
	bad: [
	EOF
	gg_commit work "fake sops, broken file" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	gg_remote_lines push.out | grep "\[secret/plaintext\]" >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [secret/plaintext] refs/heads/main apps/db/fake-sops.yaml:12: Secret '"'db'"' holds clear values (read as text: the file does not parse as YAML): stringData.mykey (sha256:9ffc9ed08903); anyone who can read the repository, a clone or its history can read them
	gitops-guard: error: [secret/plaintext] refs/heads/main apps/db/fake-sops.yaml:5: credential-looking values: AWS access key id '"'aws'"' at line 5 (sha256:a93e68f8176a); anyone who can read the repository, a clone or its history can use them
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'values that stringData and data merge in with << are judged' '
	before=$(gg_ref deploy.git main) &&
	gg_write work/apps/db/merged.yaml <<-\EOF &&
	apiVersion: v1
	kind: Secret
	metadata:
	  name: db
	  annotations: &k {mykey: s3cr3tPassw0rdXyz}
	  labels: &b {app: aHVudGVyMw==}
	stringData:
	  <<: *k
	data: {<<: [*b]}
	EOF
	gg_commit work "merged values" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	gg_remote_lines push.out | sed -n 1p >actual &&
	echo "gitops-guard: error: [secret/plaintext] refs/heads/main apps/db/merged.yaml:5: Secret '"'db'"' holds clear values: stringData.mykey (sha256:9ffc9ed08903), data.app (sha256:fb8c2e2b85ca); anyone who can read the repository, a clone or its history can read them" >expect &&
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'Secrets read as text: flow and JSON, on a separator, tagged or next-line kind, List items' '
	before=$(gg_ref deploy.git main) &&
	gg_write work/apps/db/shapes.yaml <<-\EOF &&
	{apiVersion: v1, kind: Secret, metadata: {name: flow}, stringData: {k: v-flow-1}}
	---
	{"metadata": {"name": "json", "labels": {"kind": "x"}}, "apiVersion": "v1", "kind": "Secret", "stringData": {"k": "v-json-2"}}
	--- {apiVersion: v1, kind: Secret, metadata: {name: sep}, stringData: {k: v-sep-3}}
	---
	apiVersion: v1
	kind: !!str Secret
	metadata: {name: tag}
	stringData:
	  k: v-tag-4
	---
	apiVersion: v1
	kind:
	  Secret
	metadata: {name: next}
	stringData: {k: v-next-5}
	---
	apiVersion: v1
	kind: List
	items:
	- apiVersion: v1
	  kind: ConfigMap
	  metadata: {name: cm}
	  data: {k: not-a-secret}
	- apiVersion: v1
	  kind: Secret
	  metadata:
	    name: item
	  stringData:
	    k: v-item-6
	---
	bad: [
	EOF
	gg_commit work "secrets of all shapes" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	gg_remote_lines push.out | grep "\[secret/plaintext\]" |
		sed "s/ (read as text: the file does not parse as YAML): stringData.k (sha256:\([0-9a-f]*\));.*/ \1/" >actual &&
	for v in flow:1:v-flow-1 json:3:v-json-2 sep:4:v-sep-3 tag:10:v-tag-4 next:16:v-next-5 item:30:v-item-6
	do
		name=${v%%:*} && rest=${v#*:} && line=${rest%%:*} &&
		fp=$(printf %s "${rest#*:}" | sha256sum | cut -c1-12) &&
		echo "gitops-guard: error: [secret/plaintext] refs/heads/main apps/db/shapes.yaml:$line: Secret '"'"'$name'"'"' holds clear values $fp" || return 1
	done >expect &&
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'a Secret in UTF-16 is decoded and judged, and one in a file with a NUL byte read as text' '
	before=$(gg_ref deploy.git main) &&
	cat >secret.yaml <<-\EOF &&
	apiVersion: v1
	kind: Secret
	metadata: {name: wide}
	stringData:
	  mykey: s3cr3tPassw0rdXyz
	EOF
	{ printf "\377\376" && iconv -f UTF-8 -t UTF-16LE secret.yaml; } >work/apps/db/wide.yaml &&
	{ printf "#\0\n" && sed "s/wide/nul/; s/Xyz/Nul/" secret.yaml; } >work/apps/db/nul.yaml &&
	gg_commit work "utf-16 and nul" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	gg_remote_lines push.out | grep "\[secret/plaintext\]" >actual &&
	fp=$(printf %s s3cr3tPassw0rdNul | sha256sum | cut -c1-12) &&
	cat >expect <<-EOF &&
	gitops-guard: error: [secret/plaintext] refs/heads/main apps/db/nul.yaml:6: Secret '"'nul'"' holds clear values (read as text: the file does not parse as YAML): stringData.mykey (sha256:$fp); anyone who can read the repository, a clone or its history can read them
	gitops-guard: error: [secret/plaintext] refs/heads/main apps/db/wide.yaml:5: Secret '"'wide'"' holds clear values: stringData.mykey (sha256:9ffc9ed08903); anyone who can read the repository, a clone or its history can read them
	EOF
	test_cmp expect actual &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'the policy adds placeholders and patterns' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules:
	  secret/plaintext:
	    placeholders: ["^$", "^vault:"]
	    patterns: ["ACME-[0-9]{10}"]
	EOF
	gg_write work/apps/db/vault.yaml <<-\EOF &&
	apiVersion: v1
	kind: ConfigMap
	metadata: {name: settings}
	data:
	  password: vault:secret/data/db#password
	  license: ACME-0123456789
	EOF
	gg_commit work "vault and acme" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	test_grep "apps/db/vault.yaml:6: credential-looking values: extra pattern #1 '"'license'"' at line 6" push.out &&
	test_grep -v "password" push.out &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'a bad pattern in the policy is an error with its location' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules:
	  secret/plaintext:
	    patterns: ["("]
	EOF
	gitops-guard explain secret/plaintext >/dev/null &&
	test_must_fail gitops-guard policy check system.yaml 2>err &&
	test_grep "system.yaml:4:.*bad pattern in '"'secret/plaintext.patterns'"'" err
'

test_expect_success 'a SOPS env file passes; a SOPS marker in a comment does not pass a clear one' '
	printf "version: 1\n" >plain.yaml &&
	gg_system_policy plain.yaml &&
	mkdir -p work/apps/gen &&
	printf "%s\n" "PASSWORD=ENC[AES256_GCM,data:cGFz,iv:aXY=,tag:dGFn,type:str]" \
		"sops_mac=ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]" \
		"sops_lastmodified=2026-11-01T10:00:00Z" "sops_version=3.8.1" \
		>work/apps/gen/enc.env &&
	printf "%s\n" "# sops_version ENC[AES256_GCM,x] lastmodified mac" \
		"API_KEY=s3cr3t-value" >work/apps/gen/fake.env &&
	gg_write work/apps/gen/kustomization.yaml <<-\EOF &&
	secretGenerator:
	- name: enc
	  envs: [enc.env]
	EOF
	gg_commit work "sops env" &&
	gg_push_expect_accept work ../deploy.git main &&
	accepted=$(gg_ref deploy.git main) &&
	gg_write work/apps/gen/kustomization.yaml <<-\EOF &&
	secretGenerator:
	- name: enc
	  envs: [enc.env, fake.env]
	EOF
	gg_commit work "fake sops env" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	test_grep "env apps/gen/fake.env: API_KEY (sha256:" push.out &&
	test_grep -v -e PASSWORD -e sops_ -e s3cr3t push.out &&
	test "$(gg_ref deploy.git main)" = "$accepted" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'fake SOPS metadata does not stop the credential search, nor hide a generator file or sops_ keys' '
	before=$(gg_ref deploy.git main) &&
	tok=ghp_0123456789abcdefghijklmnopqrstuvwxyz &&
	mkdir -p work/apps/fake &&
	printf "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  token: %s\nsops: {mac: x, lastmodified: y}\n" \
		"$tok" >work/apps/fake/cm.yaml &&
	printf "%s\n" "-----BEGIN OPENSSH PRIVATE KEY-----" \
		"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW" \
		"-----END OPENSSH PRIVATE KEY-----" \
		"# ENC[AES256_GCM, lastmodified mac" >work/apps/fake/id_key &&
	printf "sops_db_password=s3cr3tPassw0rdXyz\n" >work/apps/fake/app.env &&
	gg_write work/apps/fake/kustomization.yaml <<-\EOF &&
	secretGenerator:
	- name: k
	  files: [id_key]
	  envs: [app.env]
	EOF
	gg_commit work "fake sops" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	test_grep "apps/fake/cm.yaml:5: credential-looking values: GitHub token .token." push.out &&
	test_grep "file id_key (sha256:" push.out &&
	test_grep "env apps/fake/app.env: sops_db_password (sha256:" push.out &&
	test_grep -v -e "$tok" -e s3cr3t push.out &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'a token in the metadata of a Secret is found; its values are reported once' '
	before=$(gg_ref deploy.git main) &&
	gg_write work/apps/db/annotated.yaml <<-\EOF &&
	apiVersion: v1
	kind: Secret
	metadata:
	  name: annotated
	  annotations: {note: ghp_0123456789abcdefghijklmnopqrstuvwxyz}
	stringData:
	  token: ghp_abcdefghijklmnopqrstuvwxyz0123456789
	EOF
	gg_commit work "annotated" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	test_grep "apps/db/annotated.yaml:5: credential-looking values: GitHub token .annotations. at line 5" push.out &&
	test_grep "Secret .annotated. holds clear values: stringData.token" push.out &&
	test $(grep -c "sha256:" push.out) = 2 &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'a SOPS-encrypted generator file passes whole' '
	mkdir -p work/apps/enc &&
	printf "%s\n" "password: ENC[AES256_GCM,data:cGFz,iv:aXY=,tag:dGFn,type:str]" \
		"sops:" "    lastmodified: \"2026-11-01T10:00:00Z\"" \
		"    mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]" \
		"    version: 3.8.1" >work/apps/enc/creds.yaml &&
	gg_write work/apps/enc/kustomization.yaml <<-\EOF &&
	secretGenerator:
	- name: enc
	  files: [creds.yaml]
	EOF
	gg_commit work "sops generator file" &&
	gg_push_expect_accept work ../deploy.git main &&
	test_grep -v "secret/plaintext" push.out
'

test_expect_success 'UTF-16 with a U+0000 character, or without a mark and with CJK text, is decoded and searched' '
	before=$(gg_ref deploy.git main) &&
	printf "%s\n" "# config" "token: ghp_0123456789abcdefghijklmnopqrstuvwxyz" >tok.yaml &&
	{ printf "\377\376" && iconv -f UTF-8 -t UTF-16LE tok.yaml && printf "\0\0"; } \
		>work/apps/db/zero.yaml &&
	{ printf "# \344\270\200\n" && sed s/ghp_0/ghp_1/ tok.yaml; } |
		iconv -f UTF-8 -t UTF-16LE >work/apps/db/cjk.yaml &&
	gg_commit work "utf-16 variants" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	test_grep "apps/db/zero.yaml:2: credential-looking values: GitHub token" push.out &&
	test_grep "apps/db/cjk.yaml:3: credential-looking values: GitHub token" push.out &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'a Secret whose kind is !!binary or joined over an escaped line separator is judged' '
	before=$(gg_ref deploy.git main) &&
	printf "apiVersion: v1\nkind: !!binary U2VjcmV0\nmetadata: {name: bin}\nstringData: {mykey: s3cr3tPassw0rdBin}\n" \
		>work/apps/db/bin.yaml &&
	printf "apiVersion: v1\nkind: \"Sec\\\\\342\200\250ret\"\nmetadata: {name: ls}\nstringData: {mykey: s3cr3tPassw0rdLs}\n" \
		>work/apps/db/ls.yaml &&
	gg_commit work "binary and LS" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	test_grep "apps/db/bin.yaml:4: Secret .bin. holds clear values: stringData.mykey" push.out &&
	test_grep "apps/db/ls.yaml:5: Secret .ls. holds clear values: stringData.mykey" push.out &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_expect_success 'credentials in !!binary values and ConfigMap binaryData are decoded and found' '
	before=$(gg_ref deploy.git main) &&
	b64=$(printf %s ghp_0123456789abcdefghijklmnopqrstuvwxyz | base64 -w0) &&
	printf "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tagged}\ndata:\n  gh: !!binary %s\n" \
		"$b64" >work/apps/db/tagged.yaml &&
	b64=$(printf %s ghp_1123456789abcdefghijklmnopqrstuvwxyz | base64 -w0) &&
	printf "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bin}\nbinaryData:\n  gh: %s\n" \
		"$b64" >work/apps/db/bindata.yaml &&
	gg_commit work "encoded tokens" &&
	gg_push_expect_reject secret/plaintext work ../deploy.git main &&
	test_grep "apps/db/tagged.yaml:5: credential-looking values: !!binary value (GitHub token)" push.out &&
	test_grep "apps/db/bindata.yaml:5: credential-looking values: binaryData.gh (GitHub token)" push.out &&
	test "$(gg_ref deploy.git main)" = "$before" &&
	git -C work reset -q --hard HEAD^
'

test_done
