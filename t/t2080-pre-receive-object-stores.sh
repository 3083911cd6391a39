#!/bin/sh
test_description='pre-receive: object stores: alternates, relative alternates, a commit-graph'
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: a pool repository and a work repository' '
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules:
	  yaml/invalid: block
	EOF
	git init -q work &&
	gg_write work/apps/guestbook/deploy.yaml <<-\EOF &&
	apiVersion: apps/v1
	kind: Deployment
	metadata:
	  name: guestbook
	EOF
	gg_commit work initial &&
	gg_bare_repo pool.git &&
	git -C work push -q ../pool.git main
'
gg_system_policy system.yaml

test_expect_success 'reads the objects of an absolute alternate' '
	git clone -q --bare --shared pool.git abs.git &&
	git -C abs.git config receive.advertisePushOptions true &&
	test -z "$(find abs.git/objects -type f ! -path "*/info/*")" &&
	gg_install_hook abs.git pre-receive &&
	printf "kind: ConfigMap\n" >work/apps/guestbook/config.yaml &&
	gg_commit work config &&
	gg_push_expect_accept work ../abs.git main &&
	test "$(gg_ref abs.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success 'reads the objects of a relative alternate' '
	gg_bare_repo rel.git &&
	echo ../../pool.git/objects >rel.git/objects/info/alternates &&
	git -C rel.git update-ref refs/heads/main "$(gg_ref pool.git main)" &&
	gg_install_hook rel.git pre-receive &&
	printf "a: [1, 2\n" >work/apps/guestbook/broken.yaml &&
	gg_commit work broken &&
	gg_push_expect_reject yaml/invalid work ../rel.git main &&
	test "$(gg_ref rel.git main)" = "$(gg_ref pool.git main)"
'

test_expect_success 'judges a push to a repository with a commit-graph' '
	git clone -q --bare pool.git graph.git &&
	git -C graph.git commit-graph write --reachable &&
	test -f graph.git/objects/info/commit-graph &&
	gg_install_hook graph.git pre-receive &&
	gg_push_expect_reject yaml/invalid work ../graph.git main &&
	git -C work rm -q apps/guestbook/broken.yaml &&
	gg_commit work fixed &&
	gg_push_expect_accept work ../graph.git main &&
	test "$(gg_ref graph.git main)" = "$(git -C work rev-parse main)"
'

test_done
