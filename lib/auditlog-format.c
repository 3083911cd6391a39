/*
 * Printing audit runs: the escapers for untrusted values, the aligned
 * table (runs, findings or the summary), CSV, JSON and JSON lines.  The
 * HTML report is in auditlog-html.c.
 */
#include <stdlib.h>
#include <string.h>

#include "auditlog-internal.h"
#include "context.h"
#include "push.h"
#include "utf8.h"
#include "xalloc.h"
#include "banned.h"

/* --- escaping ------------------------------------------------------------ */

/* The Unicode format characters that reorder or hide text. */
static const struct {
	unsigned lo, hi;
} hiding[] = {
	{ 0x061c, 0x061c }, /* Arabic letter mark */
	{ 0x200b, 0x200b }, /* zero width space */
	{ 0x200e, 0x200f }, /* left-to-right and right-to-left marks */
	{ 0x2028, 0x202e }, /* separators, embeddings, overrides */
	{ 0x2060, 0x2064 }, /* word joiner, invisible operators */
	{ 0x2066, 0x2069 }, /* isolates */
	{ 0xfeff, 0xfeff }, /* byte order mark, zero width no-break space */
};

/* The hiding character encoded at `p` (its length in `*n`), or 0. */
static unsigned hiding_char(const char *p, size_t len, size_t *n)
{
	const unsigned char *u = (const unsigned char *)p;
	unsigned c;
	size_t i;

	*n = gg_utf8_seqlen(p, len);
	if (*n == 2)
		c = ((u[0] & 0x1fu) << 6) | (u[1] & 0x3fu);
	else if (*n == 3)
		c = ((u[0] & 0x0fu) << 12) | ((u[1] & 0x3fu) << 6) |
		    (u[2] & 0x3fu);
	else
		return 0;
	for (i = 0; i < sizeof(hiding) / sizeof(*hiding); i++)
		if (c >= hiding[i].lo && c <= hiding[i].hi)
			return c;
	return 0;
}

void gg_audit_add_display(struct gg_buf *out, const char *s)
{
	size_t len, n, i = 0, start = 0;

	if (!s) {
		gg_buf_addch(out, '-');
		return;
	}
	len = strlen(s);
	while (i < len) {
		unsigned c = hiding_char(s + i, len - i, &n);

		if (!c) {
			i += n ? n : 1;
			continue;
		}
		gg_buf_add_escaped(out, s + start, i - start);
		gg_buf_addf(out, "\\u%04x", c);
		i += n;
		start = i;
	}
	gg_buf_add_escaped(out, s + start, len - start);
}

void gg_audit_add_html(struct gg_buf *out, const char *s)
{
	struct gg_buf shown = GG_BUF_INIT;
	size_t i;

	gg_audit_add_display(&shown, s);
	for (i = 0; i < shown.len; i++) {
		switch (shown.buf[i]) {
		case '&': gg_buf_adds(out, "&amp;"); break;
		case '<': gg_buf_adds(out, "&lt;"); break;
		case '>': gg_buf_adds(out, "&gt;"); break;
		case '"': gg_buf_adds(out, "&quot;"); break;
		case '\'': gg_buf_adds(out, "&#39;"); break;
		default: gg_buf_addch(out, shown.buf[i]);
		}
	}
	gg_buf_release(&shown);
}

void gg_audit_add_csv(struct gg_buf *out, const char *s)
{
	struct gg_buf shown = GG_BUF_INIT;
	int quote;
	size_t i;

	if (!s)
		return;
	if (strchr("=+-@", *s) && *s)
		gg_buf_addch(&shown, '\'');
	gg_audit_add_display(&shown, s);
	quote = !!strpbrk(shown.buf, ",\"\r\n");
	if (quote)
		gg_buf_addch(out, '"');
	for (i = 0; i < shown.len; i++) {
		if (shown.buf[i] == '"')
			gg_buf_addch(out, '"');
		gg_buf_addch(out, shown.buf[i]);
	}
	if (quote)
		gg_buf_addch(out, '"');
	gg_buf_release(&shown);
}

/* --- shared pieces ------------------------------------------------------- */

void gg_audit__maybe_flush(struct gg_audit_out *o)
{
	if (!o->err && o->buf->len >= 65536)
		o->err = o->flush(o->buf, o->payload);
}

void gg_audit__refs_column(struct gg_buf *out, const struct gg_audit_run *run)
{
	size_t i;

	if (!run->nrefs)
		gg_buf_addch(out, '-');
	for (i = 0; i < run->nrefs && i < 3; i++) {
		const char *ref = run->refs[i].ref;
		const char *branch = ref ? gg_ref_branch_name(ref) : NULL;

		if (i)
			gg_buf_addch(out, ',');
		gg_audit_add_display(out, branch ? branch : ref);
	}
	if (run->nrefs > 3)
		gg_buf_addf(out, ",+%zu", run->nrefs - 3);
}

const char *gg_audit__break_glass(const struct gg_audit_run *run)
{
	if (!run->break_glass_reason)
		return NULL;
	return run->break_glass_granted ? "granted" : "denied";
}

int gg_audit_format_parse(enum gg_audit_format *out, const char *name)
{
	static const char *const names[] = { "table", "json", "jsonl",
					     "csv",   "html", NULL };
	size_t i;

	for (i = 0; names[i]; i++) {
		if (!strcmp(name, names[i])) {
			*out = (enum gg_audit_format)i;
			return 0;
		}
	}
	gg_error_set("unknown format '%s' (table, json, jsonl, csv or html)",
		     name);
	return GG_EINVALID;
}

/* --- the table ----------------------------------------------------------- */

/* Cells of display text, `ncols` per row; the first row is the header. */
struct table {
	size_t ncols;
	struct gg_strvec cells;
};

static void cell(struct table *t, const char *s)
{
	struct gg_buf b = GG_BUF_INIT;

	gg_audit_add_display(&b, s);
	gg_strvec_push_take(&t->cells, gg_buf_detach(&b, NULL));
}

static void cell_num(struct table *t, long long n)
{
	gg_strvec_push_take(&t->cells, gg_xasprintf("%lld", n));
}

static void cell_time(struct table *t, long long when)
{
	char text[32];

	gg_time_format(text, when);
	gg_strvec_push(&t->cells, text);
}

static void header(struct table *t, const char *const *names)
{
	for (t->ncols = 0; names[t->ncols]; t->ncols++)
		gg_strvec_push(&t->cells, names[t->ncols]);
}

/* Columns in characters (UTF-8 lead bytes); the text is escaped. */
static size_t width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void table_print(struct gg_audit_out *o, struct table *t)
{
	size_t *w = gg_xcalloc(t->ncols, sizeof(*w)), i, col;

	for (i = 0; i < t->cells.nr; i++) {
		size_t n = width(t->cells.v[i]);

		col = i % t->ncols;
		w[col] = n > w[col] ? n : w[col];
	}
	for (i = 0; i < t->cells.nr; i++) {
		col = i % t->ncols;
		gg_buf_adds(o->buf, t->cells.v[i]);
		if (col + 1 == t->ncols) {
			gg_buf_addch(o->buf, '\n');
			gg_audit__maybe_flush(o);
			continue;
		}
		gg_buf_addf(o->buf, "%*s",
			    (int)(w[col] - width(t->cells.v[i]) + 2), "");
	}
	free(w);
	gg_strvec_release(&t->cells);
}

static void run_row(struct table *t, const struct gg_audit_run *run)
{
	struct gg_buf refs = GG_BUF_INIT;
	const char *bg = gg_audit__break_glass(run);

	cell_time(t, run->time);
	cell(t, run->repository);
	cell(t, run->pusher);
	cell(t, run->hook);
	gg_audit__refs_column(&refs, run);
	gg_strvec_push_take(&t->cells, gg_buf_detach(&refs, NULL));
	cell(t, run->decision);
	cell_num(t, run->blocking);
	cell_num(t, run->warnings);
	cell_num(t, run->waived);
	cell(t, bg);
}

static void finding_row(struct table *t, const struct gg_audit_run *run,
			const struct gg_audit_finding *f)
{
	const char *branch = f->ref ? gg_ref_branch_name(f->ref) : NULL;

	cell_time(t, run->time);
	cell(t, run->repository);
	cell(t, run->pusher);
	cell(t, branch ? branch : f->ref);
	cell(t, f->rule);
	cell(t, f->severity);
	if (f->path && f->line > 0) {
		char *at = gg_xasprintf("%s:%lld", f->path, f->line);

		cell(t, at);
		free(at);
	} else {
		cell(t, f->path);
	}
	cell(t, f->waiver);
	cell(t, f->waived_by);
	cell(t, f->message);
}

static void table_runs(struct gg_audit_out *o, const struct gg_audit_report *r)
{
	static const char *const runs_header[] = {
		"TIME",	  "REPOSITORY",	 "PUSHER",   "HOOK",
		"REFS",	  "DECISION",	 "BLOCKING", "WARNINGS",
		"WAIVED", "BREAK-GLASS", NULL
	};
	static const char *const findings_header[] = {
		"TIME",	     "REPOSITORY", "PUSHER", "REF",
		"RULE",	     "SEVERITY",   "PATH",   "WAIVER",
		"WAIVED-BY", "MESSAGE",	   NULL
	};
	struct table t = { 0, GG_STRVEC_INIT };
	size_t i, j, rows = 0;

	header(&t, r->findings ? findings_header : runs_header);
	for (i = 0; i < r->nr; i++) {
		const struct gg_audit_run *run = r->runs[i];

		if (!r->findings) {
			run_row(&t, run);
			rows++;
			continue;
		}
		for (j = 0; j < run->nfindings; j++) {
			if (run->findings[j].selected) {
				finding_row(&t, run, &run->findings[j]);
				rows++;
			}
		}
	}
	if (rows)
		table_print(o, &t);
	gg_strvec_release(&t.cells);
}

static void table_counts(struct gg_audit_out *o, const char *const *names,
			 const struct gg_audit_count *c, size_t nr, int with_m)
{
	struct table t = { 0, GG_STRVEC_INIT };
	size_t i;

	header(&t, names);
	for (i = 0; i < nr; i++) {
		cell(&t, c[i].name);
		cell_num(&t, (long long)c[i].n);
		if (with_m)
			cell_num(&t, (long long)c[i].m);
	}
	gg_buf_addch(o->buf, '\n');
	table_print(o, &t);
}

static void table_summary(struct gg_audit_out *o,
			  const struct gg_audit_summary *s)
{
	static const char *const dh[] = { "DECISION", "RUNS", NULL };
	static const char *const rh[] = { "RULE", "FINDINGS", "WAIVED", NULL };
	static const char *const ph[] = { "PUSHER", "RUNS", "REJECTED", NULL };
	static const char *const bh[] = { "TIME",	 "REPOSITORY", "PUSHER",
					  "BREAK-GLASS", "REASON",     NULL };
	struct table t = { 0, GG_STRVEC_INIT };
	char first[32], last[32];
	size_t i;

	gg_time_format(first, s->first);
	gg_time_format(last, s->last);
	gg_buf_addf(o->buf, "%zu runs from %s to %s, %zu findings\n", s->runs,
		    first, last, s->findings);
	table_counts(o, dh, s->decisions, s->ndecisions, 0);
	if (s->nrules)
		table_counts(o, rh, s->rules, s->nrules, 1);
	table_counts(o, ph, s->pushers, s->npushers, 1);
	if (!s->nbreak_glass)
		return;
	header(&t, bh);
	for (i = 0; i < s->nbreak_glass; i++) {
		const struct gg_audit_run *run = s->break_glass[i];

		cell_time(&t, run->time);
		cell(&t, run->repository);
		cell(&t, run->pusher);
		cell(&t, gg_audit__break_glass(run));
		cell(&t, run->break_glass_reason);
	}
	gg_buf_addch(o->buf, '\n');
	table_print(o, &t);
}

/* --- the report ---------------------------------------------------------- */

size_t gg_audit_report_rows(const struct gg_audit_report *r)
{
	size_t i, j, n = 0;

	if (r->summary || !r->findings ||
	    (r->format != GG_AUDIT_TABLE && r->format != GG_AUDIT_CSV))
		return r->nr;
	for (i = 0; i < r->nr; i++)
		for (j = 0; j < r->runs[i]->nfindings; j++)
			n += r->runs[i]->findings[j].selected != 0;
	return n;
}

int gg_audit_format(struct gg_buf *out, const struct gg_audit_report *r,
		    gg_audit_flush_fn flush, void *payload)
{
	struct gg_audit_out o = { out, flush, payload, 0 };

	if (r->format == GG_AUDIT_CSV && r->summary) {
		gg_error_set("the summary has no CSV form (use table, json or "
			     "html)");
		return GG_EINVALID;
	}
	switch (r->format) {
	case GG_AUDIT_TABLE:
		if (!r->summary)
			table_runs(&o, r);
		else if (r->nr)
			table_summary(&o, r->sum);
		break;
	case GG_AUDIT_JSON:
	case GG_AUDIT_JSONL: gg_audit__json(&o, r); break;
	case GG_AUDIT_CSV: gg_audit__csv(&o, r); break;
	case GG_AUDIT_HTML: gg_audit__html(&o, r); break;
	}
	if (!o.err && out->len)
		o.err = flush(out, payload);
	return o.err;
}
