/*
 * Audit events to the webhook: spooling by the judging hooks, the
 * break-glass post, flushing by post-receive and the CLI, retries and
 * giving up.  The rules are in webhook.h; the HTTP is http.[ch].
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "http.h"
#include "spool.h"
#include "webhook.h"
#include "xalloc.h"
#include "banned.h"

#define USER_AGENT "gitops-guard/" PACKAGE_VERSION

/* Add "audit webhook: <message>" to `warnings`. */
static void warn(struct gg_strvec *warnings, const char *fmt, ...)
	GG_PRINTF(2, 3);
static void warn(struct gg_strvec *warnings, const char *fmt, ...)
{
	va_list ap, again;
	char *msg;
	int n;

	va_start(ap, fmt);
	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0)
		GG_BUG("vsnprintf failed for format '%s'", fmt);
	msg = gg_xmalloc((size_t)n + 1);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	gg_strvec_push_take(warnings, gg_xasprintf("audit webhook: %s", msg));
	free(msg);
}

char *gg_webhook_spool_dir(const struct gg_session *s)
{
	const char *spool = s->policy.audit.webhook_spool;

	if (spool && spool[0] == '/')
		return gg_xstrdup(spool);
	if (spool)
		return gg_xasprintf("%s/%s", s->ctx.git_dir, spool);
	return gg_xasprintf("%s/gitops-guard/spool", s->ctx.git_dir);
}

/* The time a request may take: the timeout, cut to the deadline. */
static long long time_left(const struct gg_session *s, long long deadline_ms)
{
	long long t = s->policy.audit.webhook_timeout_ms;

	if (deadline_ms && deadline_ms - gg_clock_ms() < t)
		t = deadline_ms - gg_clock_ms();
	return t;
}

/* Up to 80 bytes of the answer's first line, printable, for a message. */
static char *answer_excerpt(const struct gg_buf *body)
{
	size_t n = strcspn(body->buf, "\r\n"), i;
	char *r = gg_xstrndup(body->buf, n > 80 ? 80 : n);

	for (i = 0; r[i]; i++)
		if ((unsigned char)r[i] < ' ' || (unsigned char)r[i] >= 0x7f)
			r[i] = '?';
	return r;
}

/*
 * POST one event.  0 when a 2xx answer came; else a negative error with
 * the message, and *answered set when the server did answer (with
 * another status), so that the next event is still worth a try.
 */
static int post_event(const struct gg_session *s, const char *id,
		      const struct gg_buf *event, long long timeout_ms,
		      int *answered)
{
	struct gg_http_request req = {
		.url = s->policy.audit.webhook_url,
		.body = event->buf,
		.len = event->len,
		.content_type = "application/json",
		.user_agent = USER_AGENT,
		.idempotency_key = id,
		.timeout_ms = timeout_ms,
	};
	struct gg_http_response resp;
	int err;

	*answered = 0;
	gg_http_response_init(&resp);
	err = gg_http_post(&resp, &req);
	if (!err && (resp.status < 200 || resp.status > 299)) {
		char *url = gg_http_url_display(req.url),
		     *text = answer_excerpt(&resp.body);

		gg_error_set("'%s' answered HTTP %ld%s%s", url, resp.status,
			     *text ? ": " : "", text);
		free(url);
		free(text);
		*answered = 1;
		err = GG_ERROR;
	}
	gg_http_response_release(&resp);
	return err;
}

static void json_str(struct gg_buf *b, const char *key, const char *val)
{
	gg_buf_addf(b, ",\"%s\":", key);
	if (val)
		gg_buf_add_json(b, val, strlen(val));
	else
		gg_buf_adds(b, "null");
}

/*
 * Give up on event `id` (its entry `e` when it could be read): remove
 * file `name`, log a record, and warn.
 */
static void give_up(const struct gg_session *s, const char *dir,
		    const char *name, const char *by, const char *id,
		    const struct gg_spool_entry *e, const char *reason,
		    struct gg_strvec *warnings)
{
	struct gg_buf line = GG_BUF_INIT;
	char when[32], spooled[32], rid[GG_ID_SIZE];

	gg_time_format(when, s->ctx.now);
	gg_time_format(spooled, e ? e->spooled : s->ctx.now);
	gg_context_new_id(rid);
	gg_buf_addf(&line, "{\"time\":\"%s\",\"version\":\"%s\",\"id\":\"%s\"",
		    when, PACKAGE_VERSION, rid);
	gg_buf_adds(&line, ",\"type\":\"webhook-gave-up\"");
	json_str(&line, "repository", s->ctx.repo_path);
	json_str(&line, "by", by);
	json_str(&line, "event_id", id);
	json_str(&line, "spooled", e ? spooled : NULL);
	gg_buf_addf(&line, ",\"attempts\":%u", e ? e->attempts : 0);
	json_str(&line, "reason", reason);
	json_str(&line, "error", e ? e->error : NULL);
	gg_buf_adds(&line, "}\n");
	if (gg_audit_append(s, &line) < 0)
		warn(warnings, "%s", gg_error_last());
	if (gg_spool_remove(dir, name) < 0)
		warn(warnings, "%s", gg_error_last());
	warn(warnings,
	     "gave up on event %s (%s%s%s); it is in the audit log only", id,
	     reason, e && e->error ? ": " : "", e && e->error ? e->error : "");
	gg_buf_release(&line);
}

/* The id part of an event file name ("<stamp>-<id>.event"). */
static char *id_of_name(const char *name)
{
	return gg_xstrndup(name + 21, strlen(name) - 27);
}

/*
 * Read `name`; give it up when it is unreadable (GG_EINVALID, GG_ELIMIT).
 * 0, or < 0: skip it.
 */
static int read_or_give_up(struct gg_spool_entry *e, const struct gg_session *s,
			   const char *dir, const char *name, const char *by,
			   struct gg_strvec *warnings)
{
	int err = gg_spool_read(e, dir, name);

	if (err == GG_EINVALID || err == GG_ELIMIT) {
		char *id = id_of_name(name);

		warn(warnings, "%s", gg_error_last());
		give_up(s, dir, name, by, id, NULL, "unreadable", warnings);
		free(id);
	} else if (err < 0 && err != GG_ENOTFOUND) {
		warn(warnings, "%s", gg_error_last());
	}
	return err;
}

/*
 * Keep the spool below GG_SPOOL_MAX_EVENTS before one more event is
 * added: give the oldest up.  Only under the lock, so that a flush in
 * progress keeps its files; when someone holds it, the bound is
 * enforced at the next chance.
 */
static void make_room(const struct gg_session *s, const char *dir,
		      struct gg_strvec *warnings)
{
	struct gg_strvec names;
	const char *by = gg_hook_name(s->ctx.hook);
	size_t i;
	int fd;

	gg_strvec_init(&names);
	if (gg_spool_list(&names, dir) < 0 || names.nr < GG_SPOOL_MAX_EVENTS ||
	    gg_spool_lock(&fd, dir) != 1)
		goto out;
	for (i = 0; names.nr - i >= GG_SPOOL_MAX_EVENTS; i++) {
		struct gg_spool_entry e;

		gg_spool_entry_init(&e);
		if (read_or_give_up(&e, s, dir, names.v[i], by, warnings) == 0)
			give_up(s, dir, names.v[i], by, e.id, &e, "spool-full",
				warnings);
		gg_spool_entry_release(&e);
	}
	gg_spool_unlock(fd);
out:
	gg_strvec_release(&names);
}

static long long wall_clock_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Post a break-glass event at once.  1 delivered, 0 not (spool it). */
static int post_now(struct gg_session *s, struct gg_spool_entry *e,
		    struct gg_strvec *warnings)
{
	long long left = time_left(s, s->ctx.deadline_ms);
	int answered;

	if (left < GG_WEBHOOK_MIN_REQUEST_MS)
		return 0;
	if (post_event(s, e->id, &e->body, left, &answered) == 0)
		return 1;
	warn(warnings, "%s; the break-glass event stays spooled",
	     gg_error_last());
	gg_spool_failed(e, s->ctx.now, gg_error_last());
	return 0;
}

void gg_webhook_queue(struct gg_session *s, const struct gg_push *push,
		      const struct gg_result *r, struct gg_strvec *warnings)
{
	struct gg_spool_entry e;
	struct gg_buf event = GG_BUF_INIT;
	char *dir, *name;

	if (!s->policy.audit.webhook_url)
		return;
	gg_spool_entry_init(&e);
	e.id = gg_xstrdup(s->ctx.id);
	e.spooled = e.next = s->ctx.now;
	/* built whole, then moved: an event over the spool's limit would
	 * otherwise lose pieces in the middle */
	gg_audit_event(&event, s, push, r);
	if (gg_buf_add(&e.body, event.buf, event.len) < 0) {
		warn(warnings,
		     "event %s is larger than %d bytes and is not sent; it is "
		     "in the audit log only",
		     e.id, GG_SPOOL_MAX_FILE);
		goto out;
	}
	if (r->break_glass_reason && post_now(s, &e, warnings))
		goto out;
	dir = gg_webhook_spool_dir(s);
	make_room(s, dir, warnings);
	name = gg_spool_name(wall_clock_us(), e.id);
	if (gg_spool_write(dir, name, &e) < 0)
		warn(warnings, "%s; the event is in the audit log only",
		     gg_error_last());
	free(name);
	free(dir);
out:
	gg_buf_release(&event);
	gg_spool_entry_release(&e);
}

/* One pass over the spool. */
struct flush {
	struct gg_session *s;
	const struct gg_webhook_flush_opts *opts;
	const char *dir;
	struct gg_webhook_stats *st;
	struct gg_strvec *warnings;
	char *first_error; /* of the failures of this pass */
};

/* A delivery of `e` (file `name`) failed: count it, keep it or give up. */
static void failed(struct flush *f, const char *name, struct gg_spool_entry *e)
{
	if (!f->first_error)
		f->first_error = gg_xstrdup(gg_error_last());
	gg_spool_failed(e, f->s->ctx.now, gg_error_last());
	if (e->attempts >= GG_SPOOL_MAX_ATTEMPTS) {
		give_up(f->s, f->dir, name, f->opts->by, e->id, e, "attempts",
			f->warnings);
		f->st->gave_up++;
		return;
	}
	f->st->failed++;
	if (gg_spool_write(f->dir, name, e) < 0)
		warn(f->warnings, "%s", gg_error_last());
}

/* Deliver event file `name` if it is due.  0, or 1 to end the pass. */
static int flush_one(struct flush *f, const char *name)
{
	struct gg_spool_entry e;
	enum gg_spool_state state;
	long long left;
	int answered = 1, stop = 0, err;

	gg_spool_entry_init(&e);
	err = read_or_give_up(&e, f->s, f->dir, name, f->opts->by, f->warnings);
	if (err == GG_EINVALID || err == GG_ELIMIT)
		f->st->gave_up++;
	if (err < 0)
		goto out;
	state = gg_spool_state(&e, f->s->ctx.now);
	if (state == GG_SPOOL_EXPIRED || state == GG_SPOOL_EXHAUSTED) {
		give_up(f->s, f->dir, name, f->opts->by, e.id, &e,
			state == GG_SPOOL_EXPIRED ? "age" : "attempts",
			f->warnings);
		f->st->gave_up++;
		goto out;
	}
	left = time_left(f->s, f->opts->deadline_ms);
	if ((state == GG_SPOOL_WAIT && !f->opts->all) ||
	    left < GG_WEBHOOK_MIN_REQUEST_MS) {
		f->st->waiting++;
		stop = left < GG_WEBHOOK_MIN_REQUEST_MS;
		goto out;
	}
	if (post_event(f->s, e.id, &e.body, left, &answered) == 0) {
		f->st->delivered++;
		if (gg_spool_remove(f->dir, name) < 0)
			warn(f->warnings, "%s", gg_error_last());
		goto out;
	}
	failed(f, name, &e);
	stop = !answered;
out:
	gg_spool_entry_release(&e);
	return stop;
}

static void summary(struct flush *f)
{
	size_t left = f->st->failed + f->st->waiting;

	if (!f->first_error || !left)
		return; /* the give-up warnings carry the error */
	warn(f->warnings, "%s; %zu event%s stay%s spooled", f->first_error,
	     left, left == 1 ? "" : "s", left == 1 ? "s" : "");
}

int gg_webhook_flush(struct gg_webhook_stats *out, struct gg_session *s,
		     const struct gg_webhook_flush_opts *opts,
		     struct gg_strvec *warnings)
{
	struct flush f = { s, opts, NULL, out, warnings, NULL };
	struct gg_strvec names;
	char *dir;
	size_t i;
	int fd = -1, err, stop = 0;

	memset(out, 0, sizeof(*out));
	if (!s->policy.audit.webhook_url) {
		gg_error_set("no audit.webhook.url in the policy");
		return GG_ENOTFOUND;
	}
	gg_strvec_init(&names);
	f.dir = dir = gg_webhook_spool_dir(s);
	if ((err = gg_spool_list(&names, dir)) < 0 || !names.nr)
		goto out;
	if ((err = gg_spool_lock(&fd, dir)) <= 0) {
		out->busy = !err;
		goto out;
	}
	err = 0;
	gg_spool_clean_tmp(dir);
	for (i = 0; i < names.nr; i++) {
		if (stop)
			out->waiting++;
		else
			stop = flush_one(&f, names.v[i]);
	}
	summary(&f);
	gg_spool_unlock(fd);
out:
	free(f.first_error);
	free(dir);
	gg_strvec_release(&names);
	return err;
}
