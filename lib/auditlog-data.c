/*
 * The machine forms of gitops-guard audit: JSON (an array of runs, or
 * the summary object), JSON lines, and CSV (RFC 4180, CRLF, a header
 * row; one row per run or per finding).
 */
#include <string.h>

#include "auditlog-internal.h"
#include "context.h"
#include "banned.h"

/* --- JSON ---------------------------------------------------------------- */

static void jstr(struct gg_buf *b, const char *key, const char *v)
{
	gg_buf_addf(b, "\"%s\":", key);
	if (v)
		gg_buf_add_json(b, v, strlen(v));
	else
		gg_buf_adds(b, "null");
}

static void jtime(struct gg_buf *b, const char *key, long long t)
{
	char text[32];

	gg_time_format(text, t);
	jstr(b, key, text);
}

static void jstrings(struct gg_buf *b, const char *key, const char **v,
		     size_t nr)
{
	size_t i;

	gg_buf_addf(b, "\"%s\":[", key);
	for (i = 0; i < nr; i++) {
		if (i)
			gg_buf_addch(b, ',');
		gg_buf_add_json(b, v[i], strlen(v[i]));
	}
	gg_buf_addch(b, ']');
}

static void json_refs(struct gg_buf *b, const struct gg_audit_run *run)
{
	size_t i;

	gg_buf_adds(b, "\"refs\":[");
	for (i = 0; i < run->nrefs; i++) {
		const struct gg_audit_ref *u = &run->refs[i];

		gg_buf_adds(b, i ? ",{" : "{");
		jstr(b, "ref", u->ref);
		gg_buf_addch(b, ',');
		jstr(b, "old", u->old);
		gg_buf_addch(b, ',');
		jstr(b, "new", u->new_id);
		gg_buf_addch(b, ',');
		jstr(b, "kind", u->kind);
		gg_buf_addch(b, '}');
	}
	gg_buf_adds(b, "],");
}

static void json_finding(struct gg_buf *b, const struct gg_audit_finding *f)
{
	jstr(b, "rule", f->rule);
	gg_buf_addch(b, ',');
	jstr(b, "severity", f->severity);
	gg_buf_addch(b, ',');
	jstr(b, "ref", f->ref);
	gg_buf_addch(b, ',');
	jstr(b, "commit", f->commit);
	gg_buf_addch(b, ',');
	jstr(b, "path", f->path);
	gg_buf_addf(b, ",\"line\":%lld,", f->line);
	jstr(b, "target", f->target);
	gg_buf_addch(b, ',');
	jstr(b, "message", f->message);
	gg_buf_addch(b, ',');
	jstr(b, "hint", f->hint);
	gg_buf_addch(b, ',');
	jstr(b, "waiver", f->waiver);
	gg_buf_addch(b, ',');
	jstr(b, "waived_by", f->waived_by);
}

static void json_findings(struct gg_buf *b, const struct gg_audit_run *run)
{
	size_t i, n = 0;

	gg_buf_adds(b, "\"findings\":[");
	for (i = 0; i < run->nfindings; i++) {
		if (!run->findings[i].selected)
			continue;
		gg_buf_adds(b, n++ ? ",{" : "{");
		json_finding(b, &run->findings[i]);
		gg_buf_addch(b, '}');
	}
	gg_buf_adds(b, "],");
}

/* A run with the fields of the audit event, in its order, and where it
 * was read: "log" and "log_line". */
static void json_run(struct gg_buf *b, const struct gg_audit_run *run)
{
	static const char *const head[] = { "version",	     "id",
					    "repository",    "pusher",
					    "pusher_source", "platform",
					    "hook",	     "via" };
	const char *const vals[] = { run->version,	 run->id,
				     run->repository,	 run->pusher,
				     run->pusher_source, run->platform,
				     run->hook,		 run->via };
	size_t i;

	gg_buf_addch(b, '{');
	jtime(b, "time", run->time);
	for (i = 0; i < sizeof(head) / sizeof(*head); i++) {
		gg_buf_addch(b, ',');
		jstr(b, head[i], vals[i]);
	}
	gg_buf_addch(b, ',');
	json_refs(b, run);
	jstrings(b, "push_options", run->push_options, run->npush_options);
	gg_buf_addch(b, ',');
	jstr(b, "decision", run->decision);
	gg_buf_addch(b, ',');
	jstr(b, "error", run->error);
	gg_buf_addf(b,
		    ",\"refs_total\":%lld,\"refs_checked\":%lld,"
		    "\"files_changed\":%lld,\"timed_out\":%s,"
		    "\"duration_ms\":%lld,\"blocking\":%lld,\"warnings\":%lld,"
		    "\"waived\":%lld,",
		    run->refs_total, run->refs_checked, run->files_changed,
		    run->timed_out ? "true" : "false", run->duration_ms,
		    run->blocking, run->warnings, run->waived);
	jstr(b, "break_glass_reason", run->break_glass_reason);
	gg_buf_addf(b, ",\"break_glass_granted\":%s,",
		    run->break_glass_granted ? "true" : "false");
	json_findings(b, run);
	jstrings(b, "remarks", run->remarks, run->nremarks);
	gg_buf_addch(b, ',');
	jstrings(b, "notes", run->notes, run->nnotes);
	gg_buf_addch(b, ',');
	jstr(b, "log", run->log);
	gg_buf_addf(b, ",\"log_line\":%zu}", run->lineno);
}

static void json_counts(struct gg_buf *b, const char *key, const char *name,
			const char *n, const char *m,
			const struct gg_audit_count *c, size_t nr)
{
	size_t i;

	gg_buf_addf(b, ",\"%s\":[", key);
	for (i = 0; i < nr; i++) {
		gg_buf_adds(b, i ? ",{" : "{");
		jstr(b, name, c[i].name);
		gg_buf_addf(b, ",\"%s\":%zu", n, c[i].n);
		if (m)
			gg_buf_addf(b, ",\"%s\":%zu", m, c[i].m);
		gg_buf_addch(b, '}');
	}
	gg_buf_addch(b, ']');
}

static void json_summary(struct gg_buf *b, const struct gg_audit_report *r)
{
	const struct gg_audit_summary *s = r->sum;
	size_t i;

	gg_buf_addf(b, "{\"runs\":%zu,\"findings\":%zu,", s->runs, s->findings);
	if (s->runs) {
		jtime(b, "first", s->first);
		gg_buf_addch(b, ',');
		jtime(b, "last", s->last);
	} else {
		gg_buf_adds(b, "\"first\":null,\"last\":null");
	}
	gg_buf_addf(b, ",\"lines\":%zu,\"unreadable\":%zu", r->log->lines,
		    r->log->unreadable);
	json_counts(b, "decisions", "decision", "runs", NULL, s->decisions,
		    s->ndecisions);
	json_counts(b, "rules", "rule", "findings", "waived", s->rules,
		    s->nrules);
	json_counts(b, "pushers", "pusher", "runs", "rejected", s->pushers,
		    s->npushers);
	gg_buf_adds(b, ",\"break_glass\":[");
	for (i = 0; i < s->nbreak_glass; i++) {
		const struct gg_audit_run *run = s->break_glass[i];

		gg_buf_adds(b, i ? ",{" : "{");
		jtime(b, "time", run->time);
		gg_buf_addch(b, ',');
		jstr(b, "repository", run->repository);
		gg_buf_addch(b, ',');
		jstr(b, "pusher", run->pusher);
		gg_buf_addf(b, ",\"granted\":%s,",
			    run->break_glass_granted ? "true" : "false");
		jstr(b, "reason", run->break_glass_reason);
		gg_buf_addch(b, ',');
		jstr(b, "decision", run->decision);
		gg_buf_addch(b, '}');
	}
	gg_buf_adds(b, "]}\n");
}

void gg_audit__json(struct gg_audit_out *o, const struct gg_audit_report *r)
{
	int lines = r->format == GG_AUDIT_JSONL;
	size_t i;

	if (r->summary) {
		json_summary(o->buf, r);
		return;
	}
	if (!lines)
		gg_buf_adds(o->buf, r->nr ? "[\n" : "[");
	for (i = 0; i < r->nr; i++) {
		json_run(o->buf, r->runs[i]);
		gg_buf_adds(o->buf, lines || i + 1 == r->nr ? "\n" : ",\n");
		gg_audit__maybe_flush(o);
	}
	if (!lines)
		gg_buf_adds(o->buf, "]\n");
}

/* --- CSV ----------------------------------------------------------------- */

static void csv_text(struct gg_buf *b, const char *s)
{
	gg_audit_add_csv(b, s);
	gg_buf_addch(b, ',');
}

static void csv_time(struct gg_buf *b, long long t)
{
	char text[32];

	gg_time_format(text, t);
	gg_buf_addf(b, "%s,", text);
}

static void csv_where(struct gg_buf *b, const struct gg_audit_run *run)
{
	gg_audit_add_csv(b, run->log);
	gg_buf_addf(b, ",%zu\r\n", run->lineno);
}

static void csv_run(struct gg_buf *b, const struct gg_audit_run *run)
{
	struct gg_buf refs = GG_BUF_INIT;
	size_t i;

	for (i = 0; i < run->nrefs; i++) {
		if (i)
			gg_buf_addch(&refs, ' ');
		gg_buf_adds(&refs, run->refs[i].ref ? run->refs[i].ref : "");
	}
	csv_time(b, run->time);
	csv_text(b, run->repository);
	csv_text(b, run->pusher);
	csv_text(b, run->platform);
	csv_text(b, run->hook);
	csv_text(b, refs.buf);
	csv_text(b, run->decision);
	gg_buf_addf(b, "%lld,%lld,%lld,", run->blocking, run->warnings,
		    run->waived);
	csv_text(b, run->break_glass_reason);
	gg_buf_adds(b, run->break_glass_reason
			       ? (run->break_glass_granted ? "true," : "false,")
			       : ",");
	csv_text(b, run->error);
	csv_where(b, run);
	gg_buf_release(&refs);
}

static void csv_finding(struct gg_buf *b, const struct gg_audit_run *run,
			const struct gg_audit_finding *f)
{
	csv_time(b, run->time);
	csv_text(b, run->repository);
	csv_text(b, run->pusher);
	csv_text(b, run->decision);
	csv_text(b, f->ref);
	csv_text(b, f->commit);
	csv_text(b, f->rule);
	csv_text(b, f->severity);
	csv_text(b, f->path);
	if (f->line > 0)
		gg_buf_addf(b, "%lld", f->line);
	gg_buf_addch(b, ',');
	csv_text(b, f->message);
	csv_text(b, f->waiver);
	csv_text(b, f->waived_by);
	csv_where(b, run);
}

void gg_audit__csv(struct gg_audit_out *o, const struct gg_audit_report *r)
{
	size_t i, j;

	gg_buf_adds(o->buf,
		    r->findings ? "time,repository,pusher,decision,ref,commit,"
				  "rule,severity,path,line,message,waiver,"
				  "waived_by,log,log_line\r\n"
				: "time,repository,pusher,platform,hook,refs,"
				  "decision,blocking,warnings,waived,"
				  "break_glass_reason,break_glass_granted,"
				  "error,log,log_line\r\n");
	for (i = 0; i < r->nr; i++) {
		const struct gg_audit_run *run = r->runs[i];

		if (!r->findings)
			csv_run(o->buf, run);
		for (j = 0; r->findings && j < run->nfindings; j++)
			if (run->findings[j].selected)
				csv_finding(o->buf, run, &run->findings[j]);
		gg_audit__maybe_flush(o);
	}
}
