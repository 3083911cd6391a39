/*
 * Confirmations, owners and break-glass applied to findings.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "glob.h"
#include "rule.h"
#include "waiver.h"
#include "xalloc.h"
#include "banned.h"

void gg_waivers_init(struct gg_waivers *w)
{
	memset(w, 0, sizeof(*w));
	gg_strvec_init(&w->problems);
}

void gg_waivers_release(struct gg_waivers *w)
{
	size_t i;

	for (i = 0; i < w->nr; i++) {
		free(w->v[i].rule);
		free(w->v[i].path);
		free(w->v[i].ref);
	}
	free(w->v);
	free(w->break_glass);
	gg_strvec_release(&w->problems);
	gg_waivers_init(w);
}

/* "rule" or "rule:path"; the rule part must be a known rule id. */
static int add_confirm(struct gg_waivers *w, const char *spec, size_t len,
		       const char *ref, enum gg_waiver_kind how)
{
	const char *colon;
	struct gg_confirm *c;
	char *rule;

	while (len && isspace((unsigned char)spec[len - 1]))
		len--;
	while (len && isspace((unsigned char)*spec)) {
		spec++;
		len--;
	}
	colon = memchr(spec, ':', len);
	rule = gg_xstrndup(spec, colon ? (size_t)(colon - spec) : len);
	if (!(w->policy ? gg_policy_rule(w->policy, rule)
			: gg_rule_find(rule))) {
		free(rule);
		return -1;
	}
	GG_ALLOC_GROW(w->v, w->nr + 1, w->alloc);
	c = &w->v[w->nr++];
	c->rule = rule;
	c->path = colon && colon + 1 < spec + len
			  ? gg_xstrndup(colon + 1,
					(size_t)(spec + len - colon - 1))
			  : NULL;
	c->ref = ref ? gg_xstrdup(ref) : NULL;
	c->how = how;
	return 0;
}

static void set_break_glass(struct gg_waivers *w, const char *reason,
			    size_t len, enum gg_waiver_kind how)
{
	while (len && isspace((unsigned char)reason[len - 1]))
		len--;
	while (len && isspace((unsigned char)*reason)) {
		reason++;
		len--;
	}
	free(w->break_glass);
	w->break_glass = gg_xstrndup(reason, len);
	w->break_glass_how = how;
}

void gg_waivers_from_options(struct gg_waivers *w, const struct gg_strvec *opts)
{
	size_t i;

	for (i = 0; i < opts->nr; i++) {
		const char *o = opts->v[i];

		if (strncmp(o, "gitops.", 7))
			continue;
		if (!strncmp(o, "gitops.confirm=", 15)) {
			if (add_confirm(w, o + 15, strlen(o + 15), NULL,
					GG_WAIVER_CONFIRM) < 0)
				gg_strvec_push_take(
					&w->problems,
					gg_xasprintf(
						"push option '%s' names no known rule",
						o));
		} else if (!strncmp(o, "gitops.break-glass=", 19)) {
			set_break_glass(w, o + 19, strlen(o + 19),
					GG_WAIVER_BREAK_GLASS);
		} else if (!strcmp(o, "gitops.verbose")) {
			w->verbose = 1;
		} else {
			gg_strvec_push_take(
				&w->problems,
				gg_xasprintf(
					"unknown push option '%s' (known: gitops.confirm=, "
					"gitops.break-glass=, gitops.verbose)",
					o));
		}
	}
}

/* Start of the last paragraph of a message, where trailers live; "" when
 * the message is one paragraph (git never reads the subject as trailers). */
static const char *last_paragraph(const char *msg)
{
	const char *end = msg + strlen(msg), *p;

	while (end > msg && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	for (p = end; p > msg; p--)
		if (p[-1] == '\n' && p - 1 > msg && p[-2] == '\n')
			return p;
	return end;
}

void gg_waivers_from_message(struct gg_waivers *w, const char *message,
			     const char *ref)
{
	const char *line = last_paragraph(message);

	while (*line) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);

		if (len > 15 && !strncasecmp(line, "Gitops-Confirm:", 15)) {
			if (add_confirm(w, line + 15, len - 15, ref,
					GG_WAIVER_TRAILER) < 0)
				gg_strvec_push_take(
					&w->problems,
					gg_xasprintf(
						"trailer on %s names no known rule",
						ref));
		} else if (len > 19 &&
			   !strncasecmp(line, "Gitops-Break-Glass:", 19)) {
			set_break_glass(w, line + 19, len - 19,
					GG_WAIVER_TRAILER);
		}
		if (!eol)
			break;
		line = eol + 1;
	}
}

static int covers(const struct gg_confirm *c, const struct gg_finding *f)
{
	size_t n;

	if (strcmp(c->rule, f->rule))
		return 0;
	if (c->ref && (!f->ref || strcmp(c->ref, f->ref)))
		return 0;
	if (!c->path)
		return 1;
	if (!f->target)
		return 0;
	n = strlen(c->path);
	while (n > 1 && c->path[n - 1] == '/')
		n--;
	if (!strncmp(c->path, f->target, n) &&
	    (f->target[n] == '\0' || f->target[n] == '/'))
		return 1;
	return gg_glob_has_magic(c->path) &&
	       gg_glob_match_str(c->path, f->target);
}

/* The owners of a finding's target (see gg_policy_owners_of()). */
static void owners_of(struct gg_strvec *out, const struct gg_policy *p,
		      const struct gg_finding *f)
{
	const char *path = f->target ? f->target : f->path;

	if (path)
		gg_policy_owners_of(out, p, path);
}

static void join(struct gg_buf *b, const struct gg_strvec *v)
{
	size_t i;

	for (i = 0; i < v->nr; i++)
		gg_buf_addf(b, "%s%s", i ? ", " : "", v->v[i]);
}

static void confirm_one(struct gg_finding *f, const struct gg_waivers *w,
			const struct gg_policy *p, const char *pusher)
{
	struct gg_strvec owners = GG_STRVEC_INIT;
	size_t i;

	for (i = 0; i < w->nr; i++) {
		if (!covers(&w->v[i], f))
			continue;
		owners_of(&owners, p, f);
		if (owners.nr && !gg_policy_has_identity(&owners, pusher)) {
			struct gg_buf b = GG_BUF_INIT;

			gg_buf_addf(&b,
				    "%s%sthe confirmation does not count: "
				    "only an owner (",
				    f->hint ? f->hint : "",
				    f->hint ? "; " : "");
			join(&b, &owners);
			gg_buf_addf(&b,
				    ") may confirm this, and the pusher is %s",
				    pusher ? pusher : "unknown");
			free(f->hint);
			f->hint = gg_buf_detach(&b, NULL);
			break;
		}
		f->waiver = w->v[i].how;
		f->waived_by = gg_xstrdup(pusher ? pusher : "unknown");
		break;
	}
	gg_strvec_release(&owners);
}

static void break_glass(struct gg_result *r, const struct gg_waivers *w,
			const struct gg_policy *p, const char *pusher)
{
	struct gg_finding *f;
	const char *why = NULL;
	size_t i;

	r->break_glass_reason = gg_xstrdup(w->break_glass);
	if (!gg_policy_has_identity(&p->break_glass_users, pusher))
		why = pusher ? "is not in break_glass.users"
			     : "is unknown (the platform gives no identity)";
	else if ((long long)strlen(w->break_glass) < p->break_glass_min_reason)
		why = "gave a reason shorter than break_glass.min_reason_length";
	if (!why) {
		r->break_glass_granted = 1;
		for (i = 0; i < r->findings.nr; i++) {
			if (r->findings.v[i].waiver != GG_WAIVER_NONE)
				continue;
			r->findings.v[i].waiver = GG_WAIVER_BREAK_GLASS;
			r->findings.v[i].waived_by = gg_xstrdup(pusher);
		}
		return;
	}
	if (gg_policy_severity(p, "break-glass/denied") == GG_SEV_OFF)
		return;
	f = gg_findings_add(&r->findings);
	f->rule = gg_rule_find("break-glass/denied")->id;
	f->severity = gg_policy_severity(p, "break-glass/denied");
	if (pusher)
		f->message = gg_xasprintf(
			"break-glass asked for, but the pusher '%s' %s", pusher,
			why);
	else
		f->message = gg_xasprintf(
			"break-glass asked for, but the pusher %s", why);
	f->hint =
		gg_xstrdup("fix the findings, confirm them, or ask someone in "
			   "break_glass.users");
}

void gg_waivers_apply(struct gg_result *r, const struct gg_waivers *w,
		      const struct gg_policy *p, const char *pusher)
{
	size_t i;

	for (i = 0; i < r->findings.nr; i++)
		if (r->findings.v[i].severity == GG_SEV_CONFIRM)
			confirm_one(&r->findings.v[i], w, p, pusher);
	if (w->break_glass)
		break_glass(r, w, p, pusher);
	r->nblocking = r->nwarnings = r->nwaived = 0;
	for (i = 0; i < r->findings.nr; i++) {
		const struct gg_finding *f = &r->findings.v[i];

		if (f->waiver != GG_WAIVER_NONE)
			r->nwaived++;
		else if (gg_finding_blocks(f))
			r->nblocking++;
		else if (f->severity == GG_SEV_WARN)
			r->nwarnings++;
	}
}
