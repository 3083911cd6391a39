/*
 * The check table, the rule registry built from it, and the helpers
 * checks report through.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "xalloc.h"
#include "banned.h"

#define X(name) &gg_check_##name,
const struct gg_check_kind *const gg_check_kinds[] = { GG_CHECK_KINDS NULL };
#undef X

/*
 * The registry is the kinds' rule arrays read in table order; with a
 * few dozen rules a walk is cheaper than keeping state.
 */
size_t gg_rules_count(void)
{
	size_t k, r, n = 0;

	for (k = 0; gg_check_kinds[k]; k++)
		for (r = 0; gg_check_kinds[k]->rules[r].id; r++)
			n++;
	return n;
}

const struct gg_rule_info *gg_rules_at(size_t i)
{
	size_t k, r;

	for (k = 0; gg_check_kinds[k]; k++)
		for (r = 0; gg_check_kinds[k]->rules[r].id; r++)
			if (!i--)
				return &gg_check_kinds[k]->rules[r];
	GG_BUG("rule index out of range");
}

size_t gg_rule_index(const struct gg_rule_info *rule)
{
	size_t k, r, n = 0;

	for (k = 0; gg_check_kinds[k]; k++)
		for (r = 0; gg_check_kinds[k]->rules[r].id; r++, n++)
			if (&gg_check_kinds[k]->rules[r] == rule)
				return n;
	GG_BUG("rule '%s' is not in the table", rule->id);
}

const struct gg_rule_info *gg_rule_find(const char *id)
{
	size_t k, r;

	for (k = 0; gg_check_kinds[k]; k++)
		for (r = 0; gg_check_kinds[k]->rules[r].id; r++)
			if (!strcmp(gg_check_kinds[k]->rules[r].id, id))
				return &gg_check_kinds[k]->rules[r];
	return NULL;
}

const struct gg_param_spec *gg_rule_param(const struct gg_rule_info *rule,
					  const char *name)
{
	const struct gg_param_spec *p;

	for (p = rule->params; p && p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static void report(struct gg_check_run *run, const struct gg_report_spec *spec,
		   enum gg_severity cap, const char *fmt, va_list ap)
	GG_PRINTF(4, 0);

/* A finding at the policy's severity, at least spec->floor, at most cap. */
static void report(struct gg_check_run *run, const struct gg_report_spec *spec,
		   enum gg_severity cap, const char *fmt, va_list ap)
{
	const struct gg_rule_info *info =
		gg_policy_rule(&run->s->policy, spec->rule);
	enum gg_severity sev;
	struct gg_finding *f;
	va_list aq;
	int n;

	if (!info)
		GG_BUG("report for unknown rule '%s'", spec->rule);
	sev = gg_policy_severity(&run->s->policy, spec->rule);
	if (sev < spec->floor)
		sev = spec->floor;
	if (sev == GG_SEV_OFF)
		return;
	if (sev > cap)
		sev = cap;
	f = gg_findings_add(&run->result->findings);
	f->rule = info->id;
	f->severity = sev;
	f->ref = run->update ? gg_xstrdup(run->update->ref) : NULL;
	f->commit = spec->commit ? gg_xstrdup(spec->commit) : NULL;
	f->path = spec->path ? gg_xstrdup(spec->path) : NULL;
	f->line = spec->line;
	f->target = spec->target ? gg_xstrdup(spec->target)
		    : spec->path ? gg_xstrdup(spec->path)
				 : NULL;
	f->hint = spec->hint ? gg_xstrdup(spec->hint) : NULL;
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	f->message = gg_xmalloc((size_t)n + 1);
	vsnprintf(f->message, (size_t)n + 1, fmt, ap);
}

void gg_check_report(struct gg_check_run *run,
		     const struct gg_report_spec *spec, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(run, spec, GG_SEV_BLOCK, fmt, ap);
	va_end(ap);
}

void gg_check_inform(struct gg_check_run *run,
		     const struct gg_report_spec *spec, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(run, spec, GG_SEV_INFO, fmt, ap);
	va_end(ap);
}

int gg_check_apps(struct gg_check_run *run, const struct gg_refapps **out)
{
	int err;

	if (!run->apps &&
	    (err = gg_refapps_build(&run->apps, run->s, run->change)) < 0)
		return err;
	*out = run->apps;
	return 0;
}

static int stop_at_any(const char *refname, const struct gg_oid *oid,
		       void *payload)
{
	(void)refname;
	(void)oid;
	(void)payload;
	return 1;
}

int gg_check_first_push(struct gg_check_run *run)
{
	int err;

	if (!run->update || run->update->kind != GG_UPDATE_CREATE ||
	    run->s->has_default_tip)
		return 0;
	err = gg_repo_foreach_ref(run->s->repo, "refs/heads/*", stop_at_any,
				  NULL);
	return err < 0 ? err : !err;
}

void gg_check_note(struct gg_check_run *run, const char *fmt, ...)
{
	struct gg_buf b = GG_BUF_INIT;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (run->update)
		gg_buf_addf(&b, "%s ", run->update->ref);
	gg_buf_adds(&b, msg);
	gg_strvec_push_take(&run->result->notes, gg_buf_detach(&b, NULL));
}
