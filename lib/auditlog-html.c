/*
 * The HTML report of gitops-guard audit: one self-contained file for a
 * compliance review, with the summary and the selected runs and their
 * findings.  No script, no external resource (a Content-Security-Policy
 * forbids loading any), every value from the log escaped.
 */
#include <string.h>

#include "auditlog-internal.h"
#include "context.h"
#include "banned.h"

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1a1a1a}\n"
	"table{border-collapse:collapse;margin:.5em 0 1.5em}\n"
	"th,td{border:1px solid #bbb;padding:.2em .5em;text-align:left;"
	"vertical-align:top}\n"
	"th{background:#eee}\n"
	"td{overflow-wrap:anywhere}\n"
	"td.n{text-align:right}\n"
	"tr.reject>td,tr.error>td{background:#fde2e2}\n"
	"tr.error-accepted>td{background:#fff3cd}\n"
	"td.denied,td.granted{font-weight:bold;color:#a00}\n"
	"tr.detail>td{background:#fafafa;font-size:90%}\n"
	"tr.detail table{margin:.3em 0}\n"
	"code{font-family:ui-monospace,monospace}\n"
	"@media print{body{margin:0}tr{break-inside:avoid}}\n";

static void h(struct gg_audit_out *o, const char *s)
{
	gg_audit_add_html(o->buf, s);
}

static void lit(struct gg_audit_out *o, const char *s)
{
	gg_buf_adds(o->buf, s);
}

/* <td class="cls">escaped</td>; no class when `cls` is NULL. */
static void td(struct gg_audit_out *o, const char *cls, const char *s)
{
	if (cls)
		gg_buf_addf(o->buf, "<td class=\"%s\">", cls);
	else
		lit(o, "<td>");
	h(o, s);
	lit(o, "</td>");
}

static void td_num(struct gg_audit_out *o, long long n)
{
	gg_buf_addf(o->buf, "<td class=\"n\">%lld</td>", n);
}

static void td_time(struct gg_audit_out *o, long long t)
{
	char text[32];

	gg_time_format(text, t);
	gg_buf_addf(o->buf, "<td>%s</td>", text);
}

static void head_row(struct gg_audit_out *o, const char *const *names)
{
	lit(o, "<tr>");
	for (; *names; names++)
		gg_buf_addf(o->buf, "<th>%s</th>", *names);
	lit(o, "</tr>\n");
}

/* The decision as a class name, only for the decisions there are: the
 * value itself comes from the log. */
static const char *decision_class(const char *decision)
{
	size_t i;

	for (i = 0; decision && gg_audit_decisions[i]; i++)
		if (!strcmp(decision, gg_audit_decisions[i]))
			return gg_audit_decisions[i];
	return NULL;
}

static void meta(struct gg_audit_out *o, const struct gg_audit_report *r)
{
	const struct gg_auditlog *log = r->log;
	char now[32];
	size_t i;

	gg_time_format(now, r->now);
	gg_buf_addf(o->buf,
		    "<table class=\"meta\">\n<tr><th>Made</th><td>%s by "
		    "gitops-guard %s</td></tr>\n<tr><th>Logs</th><td>",
		    now, PACKAGE_VERSION);
	for (i = 0; i < log->logs.nr; i++) {
		lit(o, i ? "<br><code>" : "<code>");
		h(o, log->logs.v[i]);
		lit(o, "</code>");
	}
	lit(o, "</td></tr>\n<tr><th>Selection</th><td>");
	if (r->selection && *r->selection) {
		lit(o, "<code>");
		h(o, r->selection);
		lit(o, "</code>");
	} else {
		lit(o, "every run");
	}
	gg_buf_addf(o->buf,
		    "</td></tr>\n<tr><th>Lines</th><td>%zu read, %zu "
		    "unreadable</td></tr>\n</table>\n",
		    log->lines, log->unreadable);
	if (!log->unreadable)
		return;
	lit(o, "<h2>Unreadable lines</h2>\n<ul>\n");
	for (i = 0; i < log->warnings.nr; i++) {
		lit(o, "<li>");
		h(o, log->warnings.v[i]);
		lit(o, "</li>\n");
	}
	if (log->unreadable > log->warnings.nr)
		gg_buf_addf(o->buf, "<li>and %zu more</li>\n",
			    log->unreadable - log->warnings.nr);
	lit(o, "</ul>\n");
}

static void counts(struct gg_audit_out *o, const char *title,
		   const char *const *names, const struct gg_audit_count *c,
		   size_t nr, int with_m)
{
	size_t i;

	gg_buf_addf(o->buf, "<h3>%s</h3>\n<table>\n", title);
	head_row(o, names);
	for (i = 0; i < nr; i++) {
		lit(o, "<tr>");
		td(o, NULL, c[i].name);
		td_num(o, (long long)c[i].n);
		if (with_m)
			td_num(o, (long long)c[i].m);
		lit(o, "</tr>\n");
	}
	lit(o, "</table>\n");
}

static void break_glass(struct gg_audit_out *o,
			const struct gg_audit_summary *s)
{
	static const char *const names[] = { "Time",   "Repository",
					     "Pusher", "Break-glass",
					     "Reason", NULL };
	size_t i;

	lit(o, "<h3>Break-glass</h3>\n<table>\n");
	head_row(o, names);
	for (i = 0; i < s->nbreak_glass; i++) {
		const struct gg_audit_run *run = s->break_glass[i];
		const char *bg = gg_audit__break_glass(run);

		lit(o, "<tr>");
		td_time(o, run->time);
		td(o, NULL, run->repository);
		td(o, NULL, run->pusher);
		td(o, bg, bg);
		td(o, NULL, run->break_glass_reason);
		lit(o, "</tr>\n");
	}
	lit(o, "</table>\n");
}

static void summary(struct gg_audit_out *o, const struct gg_audit_summary *s)
{
	static const char *const dh[] = { "Decision", "Runs", NULL };
	static const char *const rh[] = { "Rule", "Findings", "Waived", NULL };
	static const char *const ph[] = { "Pusher", "Runs", "Rejected", NULL };
	char first[32], last[32];

	lit(o, "<h2>Summary</h2>\n");
	if (!s->runs) {
		lit(o, "<p>No run matches the selection.</p>\n");
		return;
	}
	gg_time_format(first, s->first);
	gg_time_format(last, s->last);
	gg_buf_addf(o->buf, "<p>%zu runs from %s to %s, %zu findings.</p>\n",
		    s->runs, first, last, s->findings);
	counts(o, "Decisions", dh, s->decisions, s->ndecisions, 0);
	if (s->nrules)
		counts(o, "Rules", rh, s->rules, s->nrules, 1);
	counts(o, "Pushers", ph, s->pushers, s->npushers, 1);
	if (s->nbreak_glass)
		break_glass(o, s);
}

static void detail_refs(struct gg_audit_out *o, const struct gg_audit_run *run)
{
	size_t i;

	lit(o, "Refs:");
	for (i = 0; i < run->nrefs; i++) {
		const struct gg_audit_ref *u = &run->refs[i];

		lit(o, i ? ", <code>" : " <code>");
		h(o, u->ref);
		lit(o, "</code> ");
		h(o, u->kind);
		lit(o, " <code>");
		h(o, u->old);
		lit(o, "..");
		h(o, u->new_id);
		lit(o, "</code>");
	}
	lit(o, "<br>\n");
}

static void detail_line(struct gg_audit_out *o, const char *label,
			const char **v, size_t nr)
{
	size_t i;

	if (!nr)
		return;
	gg_buf_addf(o->buf, "%s:", label);
	for (i = 0; i < nr; i++) {
		lit(o, i ? ", <code>" : " <code>");
		h(o, v[i]);
		lit(o, "</code>");
	}
	lit(o, "<br>\n");
}

static void findings(struct gg_audit_out *o, const struct gg_audit_run *run)
{
	static const char *const names[] = { "Rule",   "Severity",  "Ref",
					     "Path",   "Line",	    "Message",
					     "Waiver", "Waived by", NULL };
	size_t i, n = 0;

	for (i = 0; i < run->nfindings; i++) {
		const struct gg_audit_finding *f = &run->findings[i];

		if (!f->selected)
			continue;
		if (!n++) {
			lit(o, "<table class=\"findings\">\n");
			head_row(o, names);
		}
		lit(o, "<tr>");
		td(o, NULL, f->rule);
		td(o, NULL, f->severity);
		td(o, NULL, f->ref);
		td(o, NULL, f->path);
		if (f->line > 0)
			td_num(o, f->line);
		else
			lit(o, "<td></td>");
		td(o, NULL, f->message);
		td(o, NULL, f->waiver);
		td(o, NULL, f->waived_by);
		lit(o, "</tr>\n");
	}
	if (n)
		lit(o, "</table>\n");
}

static void run_rows(struct gg_audit_out *o, const struct gg_audit_run *run)
{
	const char *cls = decision_class(run->decision);
	const char *bg = gg_audit__break_glass(run);
	struct gg_buf refs = GG_BUF_INIT;
	const char *one[1];

	if (cls)
		gg_buf_addf(o->buf, "<tr class=\"%s\">", cls);
	else
		lit(o, "<tr>");
	td_time(o, run->time);
	td(o, NULL, run->repository);
	td(o, NULL, run->pusher);
	td(o, NULL, run->hook);
	gg_audit__refs_column(&refs, run);
	td(o, NULL, refs.buf);
	gg_buf_release(&refs);
	td(o, NULL, run->decision);
	td_num(o, run->blocking);
	td_num(o, run->warnings);
	td_num(o, run->waived);
	td(o, bg, bg);
	lit(o, "</tr>\n<tr class=\"detail\"><td colspan=\"10\">");
	detail_refs(o, run);
	detail_line(o, "Push options", run->push_options, run->npush_options);
	one[0] = run->break_glass_reason;
	detail_line(o, "Break-glass reason", one, !!one[0]);
	one[0] = run->error;
	detail_line(o, "Internal error", one, !!one[0]);
	lit(o, "Logged at: <code>");
	h(o, run->log);
	gg_buf_addf(o->buf, ":%zu</code>\n", run->lineno);
	findings(o, run);
	lit(o, "</td></tr>\n");
}

void gg_audit__html(struct gg_audit_out *o, const struct gg_audit_report *r)
{
	static const char *const names[] = {
		"Time",	  "Repository",	 "Pusher",   "Hook",
		"Refs",	  "Decision",	 "Blocking", "Warnings",
		"Waived", "Break-glass", NULL
	};
	size_t i;

	gg_buf_addf(
		o->buf,
		"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		"<meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" "
		"content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
		"<meta name=\"generator\" content=\"gitops-guard %s\">\n"
		"<title>gitops-guard audit report</title>\n<style>\n%s"
		"</style>\n</head>\n<body>\n"
		"<h1>gitops-guard audit report</h1>\n",
		PACKAGE_VERSION, style);
	meta(o, r);
	summary(o, r->sum);
	if (!r->summary && r->nr) {
		lit(o, "<h2>Runs</h2>\n<table class=\"runs\">\n<thead>");
		head_row(o, names);
		lit(o, "</thead>\n<tbody>\n");
		for (i = 0; i < r->nr; i++) {
			run_rows(o, r->runs[i]);
			gg_audit__maybe_flush(o);
		}
		lit(o, "</tbody>\n</table>\n");
	}
	lit(o, "</body>\n</html>\n");
}
