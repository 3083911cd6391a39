# t/lib-webhook.sh: the stub HTTP server (t/helper/test-httpd) and
# helpers for the webhook tests (t4xxx), sourced after lib.sh.
#
#   gg_httpd_start <dir>
#       start a stub server on 127.0.0.1 that records into <dir> (made
#       in the trash); its port goes to <dir>/port; it is killed when
#       the script ends
#   gg_httpd_stop <dir>
#       kill it now (its port then refuses connections)
#   gg_httpd_mode <dir> <mode>...
#       answer the next requests with these modes, one each, the last
#       for every request after (200, 500 text, hang, close, delay MS,
#       redirect URL, big: see t/helper/test-httpd.c)
#   gg_httpd_count <dir>
#       the number of requests the server got
#   gg_webhook_policy <file> <url> [<yaml line>...]
#       a system policy with audit.webhook at <url> (timeout 2000 ms
#       unless a line sets timeout_ms under webhook), plus the lines
#   gg_log_id <log> [<line>]
#       the id of an event in the audit log (default: the last line)
#   gg_spool_count <dir>
#       the number of event files in a spool directory
#   gg_ms
#       the wall clock in milliseconds, to time a push

# The proxy comes from the environment as libcurl reads it; the tests
# that want one set it themselves.
unset http_proxy https_proxy all_proxy no_proxy HTTP_PROXY HTTPS_PROXY \
	ALL_PROXY NO_PROXY

GG_HTTPD=$GG_BUILD_DIR/t/helper/test-httpd
gg_httpd_pids=

gg_httpd_kill_all_() {
	for p_ in $gg_httpd_pids; do
		kill "$p_" 2>/dev/null
	done
	gg_httpd_pids=
}
trap gg_httpd_kill_all_ EXIT

gg_httpd_start() {
	mkdir -p "$GG_TRASH/$1" &&
	"$GG_HTTPD" "$GG_TRASH/$1" 600 >"$GG_TRASH/$1/port" &&
	gg_httpd_pids="$gg_httpd_pids $(cat "$GG_TRASH/$1/pid")" &&
	test -s "$GG_TRASH/$1/port"
}

gg_httpd_stop() {
	if test -f "$GG_TRASH/$1/pid"; then
		kill "$(cat "$GG_TRASH/$1/pid")" 2>/dev/null
		rm -f "$GG_TRASH/$1/pid"
		# wait until it is gone and its port refuses connections
		n_=0
		while test $n_ -lt 50 &&
			"$GG_HTTPD" --probe "$(cat "$GG_TRASH/$1/port")"
		do
			sleep 0.1
			n_=$((n_ + 1))
		done
	fi
	return 0
}

gg_httpd_mode() {
	d_=$GG_TRASH/$1
	shift
	printf '%s\n' "$@" >"$d_/mode"
}

gg_httpd_count() {
	ls "$GG_TRASH/$1" | grep -c '^req-[0-9]*$' || :
}

gg_webhook_policy() {
	f_=$1 u_=$2
	shift 2
	{
		echo "version: 1"
		echo "audit:"
		echo "  webhook:"
		echo "    url: \"$u_\""
		echo "    timeout_ms: 2000"
		for l_
		do
			echo "$l_"
		done
	} >"$f_"
}

gg_log_id() {
	if test -n "$2"; then
		sed -n "$2p" "$1"
	else
		tail -n 1 "$1"
	fi | sed -n 's/^{"time":"[^"]*","version":"[^"]*","id":"\([^"]*\)".*/\1/p'
}

gg_spool_count() {
	if test -d "$1"; then
		ls "$1" | grep -c '\.event$' || :
	else
		echo 0
	fi
}

gg_ms() {
	date +%s%3N
}
