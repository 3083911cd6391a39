#!/bin/sh
test_description='pushes over git daemon and over HTTP (git http-backend as CGI)'
. "$(dirname "$0")/lib.sh"

# Nothing here may leave the machine.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
no_proxy=127.0.0.1
export no_proxy

# Servers still running when the script ends (a test that failed before
# its cleanup) are stopped then.
gg_server_pids=
trap 'for p in $gg_server_pids; do kill "$p" 2>/dev/null; done' EXIT

# gg_stop <pid-file>: stop a server this script started.
gg_stop() {
	if test -f "$1"; then
		kill "$(cat "$1")" 2>/dev/null
		rm -f "$1"
	fi
	return 0
}

# gg_random_port: a port number to try (the daemon tells us if it is
# taken).
gg_random_port() {
	if test_have_prereq PYTHON3; then
		python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
	else
		awk -v seed="$$$(date +%N 2>/dev/null)" \
			'BEGIN { srand(seed); print 20000 + int(rand() * 40000) }'
	fi
}

# gg_start_daemon: run git daemon on 127.0.0.1 serving the trash
# directory with receive-pack enabled; sets $daemon_url.  Stopped when
# the current test finishes.
gg_start_daemon() {
	for attempt in 1 2 3 4 5; do
		port=$(gg_random_port) || return 1
		: >daemon.log
		git daemon --verbose --reuseaddr --listen=127.0.0.1 \
			--port="$port" --base-path="$GG_TRASH" --export-all \
			--enable=receive-pack --informative-errors \
			"$GG_TRASH" >>daemon.log 2>&1 &
		echo $! >daemon.pid
		gg_server_pids="$gg_server_pids $!"
		i=0
		while test $i -lt 100; do
			if grep "Ready to rumble" daemon.log >/dev/null; then
				daemon_url=git://127.0.0.1:$port
				test_when_finished gg_stop daemon.pid
				return 0
			fi
			kill -0 "$(cat daemon.pid)" 2>/dev/null || break
			sleep 0.1
			i=$((i + 1))
		done
		gg_stop daemon.pid
	done
	echo >&2 "git daemon did not start:"
	cat >&2 daemon.log
	return 1
}

# A web server for git http-backend as CGI.  /as/<user>/<repo> is the
# repository as seen by an authenticated <user> (REMOTE_USER=<user>);
# /anon/<repo> is it without authentication.
cat >cgi-server.py <<\EOF
import http.server
import os
import subprocess
import sys

root, port_file = sys.argv[1], sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.cgi()

    def do_POST(self):
        self.cgi()

    def log_message(self, fmt, *args):
        sys.stderr.write("%s\n" % (fmt % args))

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def cgi(self):
        path, _, query = self.path.partition("?")
        env = dict(os.environ)
        if path.startswith("/as/"):
            user, _, rest = path[len("/as/"):].partition("/")
            env["REMOTE_USER"] = user
        elif path.startswith("/anon/"):
            rest = path[len("/anon/"):]
        else:
            self.send_error(404)
            return
        env.update({
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.0",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": "/" + rest,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "REMOTE_ADDR": "127.0.0.1",
            "GIT_PROJECT_ROOT": root,
            "GIT_HTTP_EXPORT_ALL": "1",
        })
        for header, var in (("Content-Encoding", "HTTP_CONTENT_ENCODING"),
                            ("Git-Protocol", "GIT_PROTOCOL")):
            if self.headers.get(header):
                env[var] = self.headers[header]
        data = self.body() if self.command == "POST" else b""
        env["CONTENT_LENGTH"] = str(len(data))
        out = subprocess.run(["git", "http-backend"], input=data, env=env,
                             stdout=subprocess.PIPE).stdout
        sep = b"\r\n\r\n" if b"\r\n\r\n" in out else b"\n\n"
        head, _, payload = out.partition(sep)
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            else:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write("%d\n" % server.server_address[1])
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
EOF

# gg_start_http: run the CGI web server; sets $http_url.  Stopped when
# the current test finishes.
gg_start_http() {
	rm -f http.port
	python3 cgi-server.py "$GG_TRASH" "$GG_TRASH/http.port" \
		>http.log 2>&1 &
	echo $! >http.pid
	gg_server_pids="$gg_server_pids $!"
	test_when_finished gg_stop http.pid
	i=0
	while test $i -lt 100 && ! test -s http.port; do
		kill -0 "$(cat http.pid)" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	if ! test -s http.port; then
		echo >&2 "the web server did not start:"
		cat >&2 http.log
		return 1
	fi
	http_url=http://127.0.0.1:$(cat http.port)
}

# gg_broken <path>: commit a manifest that does not parse.
gg_broken() {
	mkdir -p "work/$(dirname "$1")" &&
	printf "a: [\n" >"work/$1" &&
	gg_commit work "broken $1"
}

test_expect_success 'setup: server with the hooks, a work repository' '
	gg_bare_repo server.git &&
	gg_install_hook server.git pre-receive &&
	gg_install_hook server.git post-receive &&
	gg_write system.yaml <<-\EOF &&
	version: 1
	rules: {yaml/invalid: confirm}
	owners:
	  - paths: ["apps/payments/**"]
	    users: [alice]
	break_glass:
	  users: [oncall]
	  min_reason_length: 10
	EOF
	git init -q work &&
	gg_write work/apps/guestbook/deploy.yaml <<-\EOF &&
	kind: Deployment
	EOF
	gg_commit work initial &&
	gg_push_expect_accept work ../server.git main
'
gg_system_policy system.yaml

test_expect_success GIT_DAEMON 'git daemon: a clean push is accepted' '
	gg_start_daemon &&
	git -C work commit -q --allow-empty -m "over git://" &&
	gg_push_expect_accept work "$daemon_url/server.git" main &&
	gg_remote_lines push.out >actual &&
	test_cmp /dev/null actual &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)"
'

test_expect_success GIT_DAEMON 'git daemon: a finding rejects the push with the same lines' '
	gg_start_daemon &&
	before=$(gg_ref server.git main) &&
	gg_broken apps/guestbook/bad-1.yaml &&
	gg_push_expect_reject yaml/invalid work "$daemon_url/server.git" main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/guestbook/bad-1.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push
	  hint: confirm with: git push -o gitops.confirm=yaml/invalid:apps/guestbook/bad-1.yaml
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success GIT_DAEMON 'git daemon: push options reach the hook' '
	gg_start_daemon &&
	gg_push_expect_accept work -o gitops.confirm=yaml/invalid \
		-o gitops.verbose "$daemon_url/server.git" main &&
	test_grep "warning: \[yaml/invalid\] refs/heads/main apps/guestbook/bad-1.yaml:2: .* (confirmed by unknown)" push.out &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	tail -n 1 server.git/gitops-guard/audit.jsonl >last &&
	test_grep "\"push_options\":\[\"gitops.confirm=yaml/invalid\",\"gitops.verbose\"\]" last &&
	test_grep "\"platform\":\"git\"" last
'

test_expect_success GIT_DAEMON 'git daemon: the client'"'"'s environment is not the pusher' '
	gg_start_daemon &&
	before=$(gg_ref server.git main) &&
	gg_broken apps/payments/bad-2.yaml &&
	(
		REMOTE_USER=alice && export REMOTE_USER &&
		gg_push_expect_reject yaml/invalid work \
			-o gitops.confirm=yaml/invalid "$daemon_url/server.git" main
	) &&
	test_grep "only an owner (alice) may confirm this, and the pusher is unknown" push.out &&
	test "$(gg_ref server.git main)" = "$before" &&
	git -C work reset -q --hard "$before"
'

test_expect_success GIT_DAEMON 'git daemon: the post-receive note is written' '
	git -C server.git notes --ref gitops-guard show main >note &&
	test_grep "^\[yaml/invalid\] apps/guestbook/bad-1.yaml: .* (confirmed by unknown)$" note
'

test_expect_success PYTHON3,HTTP_BACKEND 'setup: receive-pack over HTTP without authentication' '
	git -C server.git config http.receivepack true
'

test_expect_success PYTHON3,HTTP_BACKEND 'HTTP: a clean push as an authenticated user' '
	gg_start_http &&
	git -C work commit -q --allow-empty -m "over http" &&
	gg_push_expect_accept work "$http_url/as/alice/server.git" main &&
	gg_remote_lines push.out >actual &&
	test_cmp /dev/null actual &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	tail -n 1 server.git/gitops-guard/audit.jsonl >last &&
	test_grep "\"pusher\":\"alice\",\"pusher_source\":\"REMOTE_USER\",\"platform\":\"http\"" last
'

test_expect_success PYTHON3,HTTP_BACKEND 'HTTP: a confirmation by someone who does not own the path does not count' '
	gg_start_http &&
	before=$(gg_ref server.git main) &&
	gg_broken apps/payments/bad-3.yaml &&
	gg_push_expect_reject yaml/invalid work -o gitops.confirm=yaml/invalid \
		"$http_url/as/bob/server.git" main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: error: [yaml/invalid] refs/heads/main apps/payments/bad-3.yaml:2: does not parse as YAML: did not find expected node content
	  hint: fix the syntax; '"'gitops-guard check'"' shows the same result before you push; the confirmation does not count: only an owner (alice) may confirm this, and the pusher is bob
	  hint: confirm with: git push -o gitops.confirm=yaml/invalid:apps/payments/bad-3.yaml
	gitops-guard: push rejected: 1 blocking finding, 0 warnings (see '"'gitops-guard explain yaml/invalid'"')
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success PYTHON3,HTTP_BACKEND 'HTTP: an anonymous confirmation does not count either' '
	gg_start_http &&
	gg_push_expect_reject yaml/invalid work -o gitops.confirm=yaml/invalid \
		"$http_url/anon/server.git" main &&
	test_grep "only an owner (alice) may confirm this, and the pusher is unknown" push.out &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success PYTHON3,HTTP_BACKEND 'HTTP: the owner'"'"'s confirmation counts' '
	gg_start_http &&
	gg_push_expect_accept work -o gitops.confirm=yaml/invalid \
		"$http_url/as/alice/server.git" main &&
	gg_remote_lines push.out >actual &&
	cat >expect <<-\EOF &&
	gitops-guard: warning: [yaml/invalid] refs/heads/main apps/payments/bad-3.yaml:2: does not parse as YAML: did not find expected node content (confirmed by alice)
	gitops-guard: push accepted: 0 blocking findings, 0 warnings, 1 waived
	EOF
	test_cmp expect actual &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	git -C server.git notes --ref gitops-guard show main >note &&
	test_grep "^gitops-guard .* pushed by alice$" note
'

test_expect_success PYTHON3,HTTP_BACKEND 'HTTP: break-glass by a user not in break_glass.users is denied' '
	gg_start_http &&
	before=$(gg_ref server.git main) &&
	gg_broken apps/guestbook/bad-4.yaml &&
	gg_push_expect_reject break-glass/denied work \
		-o "gitops.break-glass=INC-9 the site is down" \
		"$http_url/as/mallory/server.git" main &&
	test_grep "error: \[break-glass/denied\] break-glass asked for, but the pusher '"'mallory'"' is not in break_glass.users" push.out &&
	test "$(gg_ref server.git main)" = "$before"
'

test_expect_success PYTHON3,HTTP_BACKEND 'HTTP: break-glass by a listed user is granted' '
	gg_start_http &&
	gg_push_expect_accept work \
		-o "gitops.break-glass=INC-9 the site is down" \
		"$http_url/as/oncall/server.git" main &&
	test_grep "warning: \[yaml/invalid\] refs/heads/main apps/guestbook/bad-4.yaml:2: .* (break-glass by oncall)" push.out &&
	test "$(gg_ref server.git main)" = "$(git -C work rev-parse main)" &&
	tail -n 1 server.git/gitops-guard/audit.jsonl >last &&
	test_grep "\"pusher\":\"oncall\"" last &&
	test_grep "\"break_glass_reason\":\"INC-9 the site is down\",\"break_glass_granted\":true" last
'

test_expect_success PYTHON3,HTTP_BACKEND 'HTTP: the client'"'"'s REMOTE_USER does not reach the hook' '
	gg_start_http &&
	before=$(gg_ref server.git main) &&
	gg_broken apps/guestbook/bad-5.yaml &&
	(
		REMOTE_USER=oncall && export REMOTE_USER &&
		gg_push_expect_reject break-glass/denied work \
			-o "gitops.break-glass=INC-9 the site is down" \
			"$http_url/as/mallory/server.git" main
	) &&
	test "$(gg_ref server.git main)" = "$before"
'

test_done
