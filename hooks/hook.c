/*
 * Shared hook driver: the only code besides main() that prints and
 * decides exit statuses.  A timer set from the start of the run to one
 * second past the policy's deadline ends a run that some library call
 * keeps from noticing it (the engine checks the deadline itself between
 * refs and checks).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "hook.h"
#include "banned.h"

#define GRACE_MS 1000

static volatile sig_atomic_t timeout_accepts;

static void on_alarm(int sig)
{
	static const char reject[] =
		"error: gitops-guard: the deadline passed, push rejected "
		"(limits.on_timeout: reject)\n";
	static const char accept[] =
		"warning: gitops-guard: the deadline passed, push accepted "
		"unchecked (limits.on_timeout: accept)\n";

	(void)sig;
	if (timeout_accepts) {
		if (write(2, accept, sizeof(accept) - 1) < 0)
			_exit(0);
		_exit(0);
	}
	if (write(2, reject, sizeof(reject) - 1) < 0)
		_exit(2);
	_exit(2);
}

/* Fire `ms` milliseconds from now (0: disarm). */
static void arm_timer(long long ms, int accepts)
{
	struct itimerval it;
	struct sigaction sa;

	timeout_accepts = accepts;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof(it));
	if (ms < 1 && ms != 0)
		ms = 1;
	it.it_value.tv_sec = (time_t)(ms / 1000);
	it.it_value.tv_usec = (suseconds_t)((ms % 1000) * 1000);
	setitimer(ITIMER_REAL, &it, NULL);
}

/* The policy's deadline, counted from the start of the run. */
static void arm_deadline(const struct gg_session *s)
{
	arm_timer(s->policy.limits.deadline_ms + GRACE_MS -
			  gg_context_elapsed_ms(&s->ctx),
		  s->policy.limits.on_timeout_accept);
}

static int internal_error(const char *prefix, const char *msg, int accept)
{
	if (accept) {
		fprintf(stderr,
			"%swarning: gitops-guard: internal error, push "
			"accepted unchecked (limits.on_error: accept): %s\n",
			prefix, msg);
		return 0;
	}
	fprintf(stderr, "%serror: internal error, push rejected: %s\n", prefix,
		msg);
	return 2;
}

int gg_hook_internal_error(const char *msg, int accept)
{
	return internal_error("", msg, accept);
}

/* GitLab shows only GL-HOOK-ERR: lines in its web UI. */
static const char *line_prefix(const struct gg_session *s)
{
	return s->ctx.platform == GG_PLATFORM_GITLAB && s->ctx.web
		       ? "GL-HOOK-ERR: "
		       : "";
}

static void print_report(const struct gg_buf *text, const struct gg_session *s)
{
	const char *line = text->buf;

	while (*line) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);

		fprintf(stderr, "%s%.*s\n", line_prefix(s), (int)len, line);
		line += len + !!eol;
	}
	fflush(stderr);
}

static void print_warnings(const struct gg_session *s,
			   const struct gg_strvec *warnings)
{
	size_t i;

	for (i = 0; i < warnings->nr; i++)
		fprintf(stderr, "%swarning: gitops-guard: %s\n", line_prefix(s),
			warnings->v[i]);
}

/*
 * Record the verdict: the audit log line, and the event for the
 * webhook (spooled; posted at once only for break-glass).
 */
static void record(struct gg_session *s, const struct gg_push *push,
		   const struct gg_result *r)
{
	struct gg_strvec warnings;

	gg_strvec_init(&warnings);
	if (gg_audit_write(s, push, r) < 0)
		gg_strvec_push(&warnings, gg_error_last());
	gg_webhook_queue(s, push, r, &warnings);
	print_warnings(s, &warnings);
	gg_strvec_release(&warnings);
}

/*
 * An internal error: say so, and record it in the audit log when the
 * repository could be found (an audit trail records every decision).
 */
static int failed(struct gg_session *s, const struct gg_push *push,
		  struct gg_result *r)
{
	int accept = s->policy.limits.on_error_accept;
	int status = internal_error(line_prefix(s), gg_error_last(), accept);

	r->error = gg_xstrdup(gg_error_last());
	r->rejected = status != 0;
	if (s->ctx.git_dir)
		record(s, push, r);
	return status;
}

int gg_hook_judge(enum gg_hook_kind kind, struct gg_push *push)
{
	struct gg_session_opts opts = { .hook = kind, .readonly = 1 };
	struct gg_session s;
	struct gg_result r;
	struct gg_buf text = GG_BUF_INIT;
	int status, err;

	gg_result_init(&r);
	/* the built-in deadline guards opening the repository and policy */
	arm_timer(GG_DEFAULT_DEADLINE_MS + GRACE_MS, 0);
	if ((err = gg_http_global_init()) < 0)
		return gg_hook_internal_error(gg_error_last(), 0);
	if ((err = gg_repo_global_init()) < 0) {
		gg_http_global_cleanup();
		return gg_hook_internal_error(gg_error_last(), 0);
	}
	if ((err = gg_session_open(&s, &opts)) < 0) {
		status = failed(&s, push, &r);
		goto out;
	}
	arm_deadline(&s);
	if ((err = gg_engine_run(&r, &s, push)) < 0) {
		status = failed(&s, push, &r);
		goto out;
	}
	arm_timer(0, 0);
	gg_report_text(&text, &r, &s);
	print_report(&text, &s);
	record(&s, push, &r);
	if (!r.rejected && gg_notes_stash(&s, push, &r) < 0)
		fprintf(stderr, "warning: gitops-guard: %s\n", gg_error_last());
	status = r.rejected ? 1 : 0;
out:
	arm_timer(0, 0);
	gg_buf_release(&text);
	gg_result_release(&r);
	gg_session_release(&s);
	gg_repo_global_shutdown();
	gg_http_global_cleanup();
	return status;
}

/* post-receive: deliver the spooled audit events within the deadline. */
static void flush_webhook(struct gg_session *s)
{
	struct gg_webhook_flush_opts opts = { .by = "post-receive" };
	struct gg_webhook_stats st;
	struct gg_strvec warnings;

	if (!s->policy.audit.webhook_url)
		return;
	opts.deadline_ms = s->ctx.deadline_ms;
	gg_strvec_init(&warnings);
	if (gg_webhook_flush(&st, s, &opts, &warnings) < 0)
		gg_strvec_push_take(&warnings,
				    gg_xasprintf("audit webhook: %s",
						 gg_error_last()));
	print_warnings(s, &warnings);
	gg_strvec_release(&warnings);
}

int gg_hook_annotate(struct gg_push *push)
{
	struct gg_session_opts opts = { .hook = GG_HOOK_POST_RECEIVE };
	struct gg_session s;

	if (gg_http_global_init() < 0)
		return 0;
	if (gg_repo_global_init() < 0) {
		gg_http_global_cleanup();
		return 0;
	}
	if (gg_session_open(&s, &opts) < 0) {
		fprintf(stderr, "warning: gitops-guard: %s\n", gg_error_last());
	} else {
		if (gg_notes_apply(&s, push) < 0)
			fprintf(stderr,
				"%swarning: gitops-guard: cannot write notes: "
				"%s\n",
				line_prefix(&s), gg_error_last());
		flush_webhook(&s);
	}
	gg_session_release(&s);
	gg_repo_global_shutdown();
	gg_http_global_cleanup();
	return 0;
}
