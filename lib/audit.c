/*
 * Writing audit events: one O_APPEND write per event, so concurrent
 * pushes never interleave lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "audit.h"
#include "report.h"
#include "xalloc.h"
#include "banned.h"

static void json_kv(struct gg_buf *b, const char *key, const char *val)
{
	gg_buf_addf(b, "\"%s\":", key);
	if (val)
		gg_buf_add_json(b, val, strlen(val));
	else
		gg_buf_adds(b, "null");
	gg_buf_addch(b, ',');
}

void gg_audit_event(struct gg_buf *out, const struct gg_session *s,
		    const struct gg_push *push, const struct gg_result *r)
{
	char when[32];
	size_t i;

	gg_time_format(when, s->ctx.now);
	gg_buf_addch(out, '{');
	json_kv(out, "time", when);
	json_kv(out, "version", PACKAGE_VERSION);
	json_kv(out, "id", s->ctx.id);
	json_kv(out, "repository", s->ctx.repo_path);
	json_kv(out, "pusher", s->ctx.pusher);
	json_kv(out, "pusher_source", s->ctx.pusher_source);
	json_kv(out, "platform", gg_platform_name(s->ctx.platform));
	json_kv(out, "hook", gg_hook_name(s->ctx.hook));
	json_kv(out, "via", s->ctx.merge_flow);
	gg_buf_adds(out, "\"refs\":[");
	for (i = 0; i < push->nr; i++) {
		const struct gg_update *u = &push->updates[i];

		gg_buf_adds(out, i ? ",{" : "{");
		json_kv(out, "ref", u->ref);
		json_kv(out, "old", u->old_hex);
		json_kv(out, "new", u->new_hex);
		gg_buf_addf(out, "\"kind\":\"%s\"}",
			    gg_update_kind_name(u->kind));
	}
	gg_buf_adds(out, "],\"push_options\":[");
	for (i = 0; i < s->ctx.push_options.nr; i++) {
		const char *o = s->ctx.push_options.v[i];

		if (i)
			gg_buf_addch(out, ',');
		gg_buf_add_json(out, o, strlen(o));
	}
	gg_buf_adds(out, "],");
	gg_report_json_fields(out, r, s);
	gg_buf_addch(out, '}');
}

char *gg_audit_log_path(const struct gg_session *s)
{
	const char *log = s->policy.audit.log;

	if (log && !strcmp(log, "off"))
		return NULL;
	if (log)
		return gg_xstrdup(log);
	return gg_xasprintf("%s/gitops-guard/audit.jsonl", s->ctx.git_dir);
}

static int facility(const char *name)
{
	static const struct {
		const char *name;
		int value;
	} table[] = {
		{ "user", LOG_USER },	  { "daemon", LOG_DAEMON },
		{ "auth", LOG_AUTH },	  { "authpriv", LOG_AUTHPRIV },
		{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
		{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
		{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
		{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
	};
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(*table); i++)
		if (!strcmp(table[i].name, name))
			return table[i].value;
	return LOG_USER;
}

static void to_syslog(const struct gg_session *s, const struct gg_result *r)
{
	openlog("gitops-guard", LOG_PID,
		facility(s->policy.audit.syslog_facility));
	syslog(r->break_glass_granted ? LOG_ALERT : LOG_NOTICE,
	       "%s %s by %s: %s (%zu blocking, %zu warnings, %zu waived%s)",
	       gg_hook_name(s->ctx.hook), s->ctx.repo_path,
	       s->ctx.pusher ? s->ctx.pusher : "unknown",
	       r->rejected ? "rejected" : "accepted", r->nblocking,
	       r->nwarnings, r->nwaived,
	       r->break_glass_granted ? ", BREAK-GLASS" : "");
	closelog();
}

static int append_line(const char *path, const struct gg_buf *line)
{
	char *dir = gg_xstrdup(path), *slash = strrchr(dir, '/');
	int fd, err = 0;
	ssize_t n;

	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
			gg_error_set("cannot create '%s': %s", dir,
				     strerror(errno));
			free(dir);
			return GG_ERROR;
		}
	}
	free(dir);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		gg_error_set("cannot open audit log '%s': %s", path,
			     strerror(errno));
		return GG_ERROR;
	}
	n = write(fd, line->buf, line->len);
	if (n < 0 || (size_t)n != line->len) {
		gg_error_set("cannot write audit log '%s': %s", path,
			     n < 0 ? strerror(errno) : "short write");
		err = GG_ERROR;
	}
	if (close(fd) < 0 && !err) {
		gg_error_set("cannot write audit log '%s': %s", path,
			     strerror(errno));
		err = GG_ERROR;
	}
	return err;
}

int gg_audit_append(const struct gg_session *s, const struct gg_buf *line)
{
	char *path = gg_audit_log_path(s);
	int err = 0;

	if (path)
		err = append_line(path, line);
	free(path);
	return err;
}

int gg_audit_write(const struct gg_session *s, const struct gg_push *push,
		   const struct gg_result *r)
{
	struct gg_buf line = GG_BUF_INIT;
	char *path = gg_audit_log_path(s);
	int err = 0;

	if (s->policy.audit.syslog_facility)
		to_syslog(s, r);
	if (path) {
		gg_audit_event(&line, s, push, r);
		gg_buf_addch(&line, '\n');
		err = append_line(path, &line);
	}
	gg_buf_release(&line);
	free(path);
	return err;
}
