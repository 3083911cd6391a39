/*
 * Formatting results: the pusher's lines and JSON.
 */
#include <string.h>

#include "report.h"
#include "banned.h"

static void esc(struct gg_buf *b, const char *s)
{
	gg_buf_add_escaped(b, s, strlen(s));
}

void gg_report_shell_quote(struct gg_buf *out, const char *s)
{
	const char *p;

	if (*s &&
	    !s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789-_./:=@+,%")]) {
		gg_buf_adds(out, s);
		return;
	}
	gg_buf_addch(out, '\'');
	for (p = s; *p; p++) {
		if (*p == '\'')
			gg_buf_adds(out, "'\\''");
		else
			gg_buf_addch(out, *p);
	}
	gg_buf_addch(out, '\'');
}

static const char *level(const struct gg_finding *f)
{
	if (f->waiver != GG_WAIVER_NONE || f->severity == GG_SEV_WARN)
		return "warning";
	if (f->severity == GG_SEV_INFO)
		return "info";
	return "error";
}

static void confirm_hint(struct gg_buf *b, const struct gg_finding *f,
			 const struct gg_session *s)
{
	struct gg_buf arg = GG_BUF_INIT;

	gg_buf_addf(&arg, "%s%s%s", f->rule, f->target ? ":" : "",
		    f->target ? f->target : "");
	if (s->ctx.hook == GG_HOOK_UPDATE) {
		gg_buf_adds(
			b,
			"  hint: confirm with the trailer 'Gitops-Confirm: ");
		esc(b, arg.buf);
		gg_buf_adds(b, "' in a pushed commit\n");
	} else {
		struct gg_buf opt = GG_BUF_INIT, q = GG_BUF_INIT;

		gg_buf_addf(&opt, "gitops.confirm=%s", arg.buf);
		gg_report_shell_quote(&q, opt.buf);
		gg_buf_adds(b, "  hint: confirm with: git push -o ");
		esc(b, q.buf);
		gg_buf_addch(b, '\n');
		gg_buf_release(&opt);
		gg_buf_release(&q);
	}
	gg_buf_release(&arg);
}

static void finding_text(struct gg_buf *b, const struct gg_finding *f,
			 const struct gg_session *s)
{
	gg_buf_addf(b, "gitops-guard: %s: [%s] ", level(f), f->rule);
	if (f->ref) {
		esc(b, f->ref);
		gg_buf_addch(b, ' ');
	}
	if (f->path) {
		esc(b, f->path);
		if (f->line)
			gg_buf_addf(b, ":%u", f->line);
		gg_buf_adds(b, ": ");
	}
	esc(b, f->message);
	if (f->waiver == GG_WAIVER_BREAK_GLASS) {
		gg_buf_adds(b, " (break-glass by ");
		esc(b, f->waived_by);
		gg_buf_addch(b, ')');
	} else if (f->waiver != GG_WAIVER_NONE) {
		gg_buf_adds(b, " (confirmed by ");
		esc(b, f->waived_by);
		gg_buf_addch(b, ')');
	}
	gg_buf_addch(b, '\n');
	if (f->waiver != GG_WAIVER_NONE)
		return;
	if (f->hint) {
		gg_buf_adds(b, "  hint: ");
		esc(b, f->hint);
		gg_buf_addch(b, '\n');
	}
	if (f->severity == GG_SEV_CONFIRM)
		confirm_hint(b, f, s);
	else if (f->severity == GG_SEV_BLOCK &&
		 strcmp(f->rule, "break-glass/denied") &&
		 s->policy.break_glass_users.nr)
		gg_buf_adds(
			b,
			"  hint: only break-glass overrides this: git push -o "
			"'gitops.break-glass=<reason>' (break_glass.users only)\n");
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void summary(struct gg_buf *b, const struct gg_result *r,
		    const struct gg_session *s)
{
	const char *first = NULL;
	size_t i;

	for (i = 0; i < r->findings.nr && !first; i++)
		if (r->findings.v[i].waiver == GG_WAIVER_NONE &&
		    gg_finding_blocks(&r->findings.v[i]))
			first = r->findings.v[i].rule;
	if (r->timed_out)
		gg_buf_addf(b,
			    "gitops-guard: %s: the deadline of %lld ms passed "
			    "before every check ran (limits.on_timeout: %s)\n",
			    r->rejected ? "error" : "warning",
			    s->policy.limits.deadline_ms,
			    s->policy.limits.on_timeout_accept ? "accept"
							       : "reject");
	gg_buf_addf(b, "gitops-guard: push %s: %zu blocking %s, %zu %s",
		    r->rejected ? "rejected" : "accepted", r->nblocking,
		    plural(r->nblocking, "finding", "findings"), r->nwarnings,
		    plural(r->nwarnings, "warning", "warnings"));
	if (r->nwaived)
		gg_buf_addf(b, ", %zu waived", r->nwaived);
	if (first)
		gg_buf_addf(b, " (see 'gitops-guard explain %s')", first);
	else if (r->verbose)
		gg_buf_addf(b,
			    " (%zu of %zu refs inspected, %zu files, %lld ms)",
			    r->refs_checked, r->refs_total, r->files_changed,
			    r->duration_ms);
	gg_buf_addch(b, '\n');
}

void gg_report_text(struct gg_buf *out, const struct gg_result *r,
		    const struct gg_session *s)
{
	size_t i, shown = 0;

	for (i = 0; i < r->warnings.nr; i++) {
		gg_buf_adds(out, "gitops-guard: warning: ");
		esc(out, r->warnings.v[i]);
		gg_buf_addch(out, '\n');
	}
	for (i = 0; i < r->findings.nr; i++) {
		const struct gg_finding *f = &r->findings.v[i];

		if (f->severity == GG_SEV_INFO && !r->verbose)
			continue;
		finding_text(out, f, s);
		shown++;
	}
	if (r->break_glass_granted) {
		/* loud on purpose: this push skipped every check */
		gg_buf_adds(out, "gitops-guard: warning: *** BREAK-GLASS by ");
		esc(out, s->ctx.pusher ? s->ctx.pusher : "unknown");
		gg_buf_adds(out, ": every finding is waived and the push is "
				 "recorded for review ***\n"
				 "gitops-guard: warning: reason: ");
		esc(out, r->break_glass_reason);
		gg_buf_addch(out, '\n');
	}
	if (r->verbose) {
		for (i = 0; i < r->notes.nr; i++) {
			gg_buf_adds(out, "gitops-guard: note: ");
			esc(out, r->notes.v[i]);
			gg_buf_addch(out, '\n');
		}
	}
	if (shown || r->verbose || r->rejected || r->timed_out ||
	    r->break_glass_reason)
		summary(out, r, s);
}

static void json_str(struct gg_buf *b, const char *key, const char *val)
{
	gg_buf_addf(b, "\"%s\":", key);
	if (val)
		gg_buf_add_json(b, val, strlen(val));
	else
		gg_buf_adds(b, "null");
}

static const char *waiver_name(enum gg_waiver_kind k)
{
	static const char *const names[] = { NULL, "confirm", "trailer",
					     "break-glass" };

	return names[k];
}

static void json_strvec(struct gg_buf *b, const char *key,
			const struct gg_strvec *v)
{
	size_t i;

	gg_buf_addf(b, "\"%s\":[", key);
	for (i = 0; i < v->nr; i++) {
		if (i)
			gg_buf_addch(b, ',');
		gg_buf_add_json(b, v->v[i], strlen(v->v[i]));
	}
	gg_buf_addch(b, ']');
}

void gg_report_json(struct gg_buf *out, const struct gg_result *r,
		    const struct gg_session *s)
{
	gg_buf_addch(out, '{');
	gg_report_json_fields(out, r, s);
	gg_buf_addch(out, '}');
}

void gg_report_json_fields(struct gg_buf *out, const struct gg_result *r,
			   const struct gg_session *s)
{
	size_t i;

	(void)s;
	gg_buf_addf(out, "\"decision\":\"%s\",",
		    r->error	  ? (r->rejected ? "error" : "error-accepted")
		    : r->rejected ? "reject"
				  : "accept");
	json_str(out, "error", r->error);
	gg_buf_addch(out, ',');
	gg_buf_addf(
		out,
		"\"refs_total\":%zu,\"refs_checked\":%zu,"
		"\"files_changed\":%zu,\"timed_out\":%s,\"duration_ms\":%lld,",
		r->refs_total, r->refs_checked, r->files_changed,
		r->timed_out ? "true" : "false", r->duration_ms);
	gg_buf_addf(out, "\"blocking\":%zu,\"warnings\":%zu,\"waived\":%zu,",
		    r->nblocking, r->nwarnings, r->nwaived);
	json_str(out, "break_glass_reason", r->break_glass_reason);
	gg_buf_addf(out, ",\"break_glass_granted\":%s,",
		    r->break_glass_granted ? "true" : "false");
	gg_buf_adds(out, "\"findings\":[");
	for (i = 0; i < r->findings.nr; i++) {
		const struct gg_finding *f = &r->findings.v[i];

		gg_buf_adds(out, i ? ",{" : "{");
		json_str(out, "rule", f->rule);
		gg_buf_addf(out, ",\"severity\":\"%s\",",
			    gg_severity_name(f->severity));
		json_str(out, "ref", f->ref);
		gg_buf_addch(out, ',');
		json_str(out, "commit", f->commit);
		gg_buf_addch(out, ',');
		json_str(out, "path", f->path);
		gg_buf_addf(out, ",\"line\":%u,", f->line);
		json_str(out, "target", f->target);
		gg_buf_addch(out, ',');
		json_str(out, "message", f->message);
		gg_buf_addch(out, ',');
		json_str(out, "hint", f->hint);
		gg_buf_addch(out, ',');
		json_str(out, "waiver", waiver_name(f->waiver));
		gg_buf_addch(out, ',');
		json_str(out, "waived_by", f->waived_by);
		gg_buf_addch(out, '}');
	}
	gg_buf_adds(out, "],");
	json_strvec(out, "remarks", &r->warnings);
	gg_buf_addch(out, ',');
	json_strvec(out, "notes", &r->notes);
}
