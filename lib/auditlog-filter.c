/*
 * Choosing and counting audit runs: the filters of gitops-guard audit
 * (time, repository, rule, decision, pusher, ref, break-glass, waived),
 * the selection in time order, and the summary per decision, rule and
 * pusher.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "auditlog.h"
#include "context.h"
#include "xalloc.h"
#include "banned.h"

const char *const gg_audit_decisions[] = { "accept", "reject", "error",
					   "error-accepted", NULL };

void gg_audit_filter_init(struct gg_audit_filter *f)
{
	memset(f, 0, sizeof(*f));
	gg_strvec_init(&f->decisions);
	gg_strvec_init(&f->pushers);
}

static void globs_release(struct gg_audit_globs *g)
{
	size_t i;

	for (i = 0; i < g->nr; i++)
		gg_glob_release(&g->v[i]);
	free(g->v);
	memset(g, 0, sizeof(*g));
}

void gg_audit_filter_release(struct gg_audit_filter *f)
{
	globs_release(&f->repositories);
	globs_release(&f->rules);
	globs_release(&f->refs);
	gg_strvec_release(&f->decisions);
	gg_strvec_release(&f->pushers);
	gg_audit_filter_init(f);
}

int gg_audit_time_parse(long long *out, const char *s, long long now)
{
	static const struct {
		char unit;
		long long seconds;
	} units[] = { { 's', 1 },
		      { 'm', 60 },
		      { 'h', 3600 },
		      { 'd', 86400 },
		      { 'w', 604800 } };
	long long n = 0;
	const char *p = s;
	size_t i;

	if (gg_time_parse(out, s) == 0)
		return 0;
	while (*p >= '0' && *p <= '9' && n < 1000000000LL)
		n = n * 10 + (*p++ - '0');
	for (i = 0; p != s && p[0] && !p[1] && i < 5; i++) {
		if (*p == units[i].unit) {
			*out = now - n * units[i].seconds;
			return 0;
		}
	}
	gg_error_set("'%s' is not a time (ISO 8601 such as 2026-03-01 or "
		     "2026-03-01T12:00:00Z, @<seconds>, or a duration such as "
		     "7d, 24h, 30m)",
		     s);
	return GG_EINVALID;
}

static int add_glob(struct gg_audit_globs *g, const char *pattern)
{
	struct gg_glob glob = GG_GLOB_INIT;
	int err = gg_glob_compile(&glob, pattern);

	if (err < 0) {
		gg_error_prefix("bad glob '%s'", pattern);
		return err;
	}
	GG_ALLOC_GROW(g->v, g->nr + 1, g->alloc);
	g->v[g->nr++] = glob;
	return 0;
}

/* A ref glob that does not start with "refs/" names branches, as the
 * policy's `branches` do: "release/x" is "refs/heads/release/x". */
static int add_ref_glob(struct gg_audit_filter *f, const char *pattern)
{
	char *full;
	int err;

	if (!strncmp(pattern, "refs/", 5))
		return add_glob(&f->refs, pattern);
	full = gg_xasprintf("refs/heads/%s", pattern);
	err = add_glob(&f->refs, full);
	free(full);
	return err;
}

static int add_decision(struct gg_audit_filter *f, const char *value)
{
	size_t i;

	for (i = 0; gg_audit_decisions[i]; i++) {
		if (!strcmp(value, gg_audit_decisions[i])) {
			gg_strvec_push(&f->decisions, value);
			return 0;
		}
	}
	gg_error_set("unknown decision '%s' (accept, reject, error or "
		     "error-accepted)",
		     value);
	return GG_EINVALID;
}

int gg_audit_filter_add(struct gg_audit_filter *f, enum gg_audit_key key,
			const char *value, long long now)
{
	switch (key) {
	case GG_AUDIT_SINCE:
		f->has_since = 1;
		return gg_audit_time_parse(&f->since, value, now);
	case GG_AUDIT_UNTIL:
		f->has_until = 1;
		return gg_audit_time_parse(&f->until, value, now);
	case GG_AUDIT_REPOSITORY: return add_glob(&f->repositories, value);
	case GG_AUDIT_RULE: return add_glob(&f->rules, value);
	case GG_AUDIT_REF: return add_ref_glob(f, value);
	case GG_AUDIT_DECISION: return add_decision(f, value);
	case GG_AUDIT_PUSHER: gg_strvec_push(&f->pushers, value); return 0;
	}
	GG_BUG("unknown audit filter key %d", (int)key);
}

/* 1 when there are no globs, or one of them matches `s` (never NULL). */
static int any_glob(const struct gg_audit_globs *g, const char *s)
{
	size_t i;

	if (!g->nr)
		return 1;
	for (i = 0; s && i < g->nr; i++)
		if (gg_glob_match(&g->v[i], s))
			return 1;
	return 0;
}

static int any_ref(const struct gg_audit_filter *f,
		   const struct gg_audit_run *run)
{
	size_t i;

	if (!f->refs.nr)
		return 1;
	for (i = 0; i < run->nrefs; i++)
		if (run->refs[i].ref && any_glob(&f->refs, run->refs[i].ref))
			return 1;
	return 0;
}

static int run_matches(const struct gg_audit_filter *f,
		       const struct gg_audit_run *run)
{
	if ((f->has_since && run->time < f->since) ||
	    (f->has_until && run->time >= f->until))
		return 0;
	if (!any_glob(&f->repositories, run->repository))
		return 0;
	if (f->decisions.nr && gg_strvec_find(&f->decisions, run->decision) < 0)
		return 0;
	if (f->pushers.nr &&
	    (!run->pusher || gg_strvec_find(&f->pushers, run->pusher) < 0))
		return 0;
	if (f->break_glass && !run->break_glass_reason)
		return 0;
	return any_ref(f, run);
}

int gg_audit_filter_run(const struct gg_audit_filter *f,
			struct gg_audit_run *run)
{
	size_t i, kept = 0;

	if (!run_matches(f, run))
		return 0;
	for (i = 0; i < run->nfindings; i++) {
		struct gg_audit_finding *fd = &run->findings[i];

		fd->selected = any_glob(&f->rules, fd->rule) &&
			       (!f->waived || fd->waiver) &&
			       (!fd->ref || any_glob(&f->refs, fd->ref));
		kept += fd->selected;
	}
	return kept || (!f->rules.nr && !f->waived);
}

static int by_time(const void *a, const void *b)
{
	const struct gg_audit_run *x = *(struct gg_audit_run *const *)a;
	const struct gg_audit_run *y = *(struct gg_audit_run *const *)b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void gg_audit_select(struct gg_audit_run ***out, size_t *nr,
		     struct gg_auditlog *log, const struct gg_audit_filter *f)
{
	size_t i;

	*out = gg_xcalloc(log->nr ? log->nr : 1, sizeof(**out));
	*nr = 0;
	for (i = 0; i < log->nr; i++)
		if (gg_audit_filter_run(f, log->runs[i]))
			(*out)[(*nr)++] = log->runs[i];
	qsort(*out, *nr, sizeof(**out), by_time);
}

/* --- summary ------------------------------------------------------------- */

struct counts {
	struct gg_audit_count *v;
	size_t nr, alloc;
};

static int same(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static void count(struct counts *c, const char *name, size_t m)
{
	size_t i;

	for (i = 0; i < c->nr; i++) {
		if (same(c->v[i].name, name)) {
			c->v[i].n++;
			c->v[i].m += m;
			return;
		}
	}
	GG_ALLOC_GROW(c->v, c->nr + 1, c->alloc);
	c->v[c->nr].name = name;
	c->v[c->nr].n = 1;
	c->v[c->nr++].m = m;
}

/* Largest count first, then by name, with no name (no pusher) last. */
static int by_count(const void *a, const void *b)
{
	const struct gg_audit_count *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	if (!x->name || !y->name)
		return !x->name - !y->name;
	return strcmp(x->name, y->name);
}

static void finish(struct gg_audit_count **out, size_t *nr, struct counts *c)
{
	if (c->nr) /* qsort() of NULL is undefined, even for no items */
		qsort(c->v, c->nr, sizeof(*c->v), by_count);
	*out = c->v;
	*nr = c->nr;
}

static int rejected(const struct gg_audit_run *run)
{
	return !strcmp(run->decision, "reject") ||
	       !strcmp(run->decision, "error");
}

void gg_audit_summary_build(struct gg_audit_summary *out,
			    struct gg_audit_run *const *runs, size_t nr)
{
	struct counts decisions = { NULL, 0, 0 }, rules = { NULL, 0, 0 },
		      pushers = { NULL, 0, 0 };
	size_t i, j, nbg = 0;

	memset(out, 0, sizeof(*out));
	out->runs = nr;
	out->first = nr ? runs[0]->time : 0;
	out->last = nr ? runs[nr - 1]->time : 0;
	out->break_glass = gg_xcalloc(nr ? nr : 1, sizeof(*out->break_glass));
	for (i = 0; i < nr; i++) {
		const struct gg_audit_run *run = runs[i];

		count(&decisions, run->decision, 0);
		count(&pushers, run->pusher, (size_t)rejected(run));
		if (run->break_glass_reason)
			out->break_glass[nbg++] = runs[i];
		for (j = 0; j < run->nfindings; j++) {
			const struct gg_audit_finding *f = &run->findings[j];

			if (!f->selected)
				continue;
			out->findings++;
			count(&rules, f->rule ? f->rule : "(none)",
			      f->waiver ? 1 : 0);
		}
	}
	out->nbreak_glass = nbg;
	finish(&out->decisions, &out->ndecisions, &decisions);
	finish(&out->rules, &out->nrules, &rules);
	finish(&out->pushers, &out->npushers, &pushers);
}

void gg_audit_summary_release(struct gg_audit_summary *s)
{
	free(s->decisions);
	free(s->rules);
	free(s->pushers);
	free(s->break_glass);
	memset(s, 0, sizeof(*s));
}
