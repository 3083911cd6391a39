/*
 * freeze/active: a push that changes a frozen environment while one of
 * the policy's freeze windows is open.  The clock is the context's
 * (GITOPS_GUARD_NOW in tests); windows are cron schedules in a time zone
 * (window.h, tz.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "envs.h"
#include "window.h"
#include "xalloc.h"
#include "banned.h"

#define RULE "freeze/active"

static const struct gg_param_spec no_params[] = { { NULL, 0, 0, NULL, NULL } };

static const struct gg_rule_info rules[] = {
	{ RULE, GG_SEV_BLOCK,
	  "changes a frozen environment inside a freeze window",
	  "The policy's freeze windows stop changes to some environments for "
	  "a while: each window opens at every minute its five-field cron "
	  "schedule matches on the wall clock of its time zone (UTC, an "
	  "offset such as +02:00, or a time zone database name such as "
	  "Europe/Berlin) and stays open for its duration, counted as elapsed "
	  "time.  A window that opened up to one duration before the push is "
	  "open.  The rule fires once per window and environment when the "
	  "push changes a file of a frozen environment: a file whose path (or "
	  "branch, with a branch per environment) belongs to it, or that an "
	  "app of that environment deploys (a shared kustomize base changes "
	  "every overlay built on it).  A window's environments are names of "
	  "the policy's environments, or built-in names, where a tier name "
	  "(prod) freezes every environment of the tier (prod-eu, prod-us); a "
	  "window without environments freezes every environment.  The "
	  "finding names the window and when it ends.  Promoters and merges "
	  "do not pass a freeze; break-glass does.",
	  no_params },
	{ NULL, 0, NULL, NULL, NULL }
};

struct frozen {
	char env[64];
	char *first; /* the first changed file */
	size_t nfiles;
};

struct hits {
	struct frozen *v;
	size_t nr, alloc;
};

/* Does window entry `want` name environment `name` of tier `tier`? */
static int names_env(const struct gg_policy *p, const char *want,
		     const char *name, int tier)
{
	const char *const *aliases;
	size_t i;

	if (!strcmp(want, name))
		return 1;
	if (p->envs_set || tier < 0)
		return 0;
	/* built-in: a tier name or alias names the whole tier */
	for (aliases = gg_env_aliases(tier), i = 0; aliases && aliases[i]; i++)
		if (!strcmp(want, aliases[i]))
			return 1;
	return 0;
}

static int window_freezes(const struct gg_policy *p,
			  const struct gg_policy_freeze *w, const char *name,
			  int tier)
{
	size_t i;

	if (tier < 0 || !name)
		return 0;
	if (!w->environments.nr)
		return 1;
	for (i = 0; i < w->environments.nr; i++)
		if (names_env(p, w->environments.v[i], name, tier))
			return 1;
	return 0;
}

static void hit(struct hits *h, const char *env, const char *path)
{
	struct frozen *f;
	size_t i;

	for (i = 0; i < h->nr; i++) {
		if (!strcmp(h->v[i].env, env)) {
			h->v[i].nfiles++;
			return;
		}
	}
	GG_ALLOC_GROW(h->v, h->nr + 1, h->alloc);
	f = &h->v[h->nr++];
	snprintf(f->env, sizeof(f->env), "%s", env);
	f->first = gg_xstrdup(path);
	f->nfiles = 1;
}

/* The frozen environments one file changes: by path, and by its apps. */
static void file_hits(struct hits *h, struct gg_check_run *run,
		      const struct gg_policy_freeze *w, const char *path,
		      const struct gg_refapps *ra)
{
	const struct gg_policy *p = &run->s->policy;
	const struct gg_appindex *idx[2] = { NULL, NULL };
	size_t *owners = NULL, nowners, alloc = 0, i, j;
	struct gg_env env;

	gg_env_of_ref_path(&env, p, run->update->ref, path, 0);
	if (window_freezes(p, w, env.name, env.tier)) {
		hit(h, env.name, path);
		return;
	}
	if (!ra)
		return;
	idx[0] = ra->has_new ? ra->after : NULL;
	idx[1] = ra->has_old ? ra->before : NULL;
	for (j = 0; j < 2; j++) {
		if (!idx[j])
			continue;
		nowners = 0;
		gg_appindex_owners(idx[j], path, &owners, &nowners, &alloc);
		for (i = 0; i < nowners; i++) {
			const struct gg_app *a = &idx[j]->apps[owners[i]];

			if (window_freezes(p, w, a->environment, a->tier) &&
			    gg_app_tracks(a, run->update->ref,
					  gg_session_default_branch(run->s))) {
				hit(h, a->environment, path);
				free(owners);
				return;
			}
		}
	}
	free(owners);
}

static void format_time(char *out, size_t n, long long t,
			const struct gg_tz *tz)
{
	long long local = gg_tz_to_local(tz, t), y, sec;
	char utc[32];
	int m, d;

	gg_time_format(utc, t);
	if (!gg_tz_offset(tz, t)) {
		snprintf(out, n, "%s", utc);
		return;
	}
	sec = local % 86400;
	if (sec < 0)
		sec += 86400;
	gg_civil_from_days((local - sec) / 86400, &y, &m, &d, NULL);
	snprintf(out, n, "%04lld-%02d-%02d %02lld:%02lld %s (%s)", y, m, d,
		 sec / 3600, sec % 3600 / 60, gg_tz_name(tz), utc);
}

static void format_duration(char *out, size_t n, long long s)
{
	if (s % 3600 == 0)
		snprintf(out, n, "%lldh", s / 3600);
	else if (s % 60 == 0)
		snprintf(out, n, "%lldm", s / 60);
	else
		snprintf(out, n, "%llds", s);
}

static void report(struct gg_check_run *run, const struct gg_policy_freeze *w,
		   const struct gg_window *win, const struct gg_tz *tz,
		   const struct frozen *f)
{
	struct gg_report_spec spec = { RULE, f->first, 0,	  NULL,
				       NULL, NULL,     GG_SEV_OFF };
	char ends[96], opened[96], dur[32], hint[160];

	format_time(ends, sizeof(ends), win->end, tz);
	format_time(opened, sizeof(opened), win->start, tz);
	format_duration(dur, sizeof(dur), w->duration);
	snprintf(hint, sizeof(hint), "push it after the window ends: %s", ends);
	spec.hint = hint;
	gg_check_report(run, &spec,
			"changes frozen environment '%s' (%zu %s) during "
			"freeze window '%s', which ends %s (opened %s; "
			"schedule '%s' in %s for %s)",
			f->env, f->nfiles, f->nfiles == 1 ? "file" : "files",
			w->name, ends, opened, w->schedule, gg_tz_name(tz),
			dur);
}

/* Judge one window: 0, or a negative error (a zone that cannot load). */
static int judge_window(struct gg_check_run *run,
			const struct gg_policy_freeze *w,
			const struct gg_refapps **ra)
{
	struct gg_window win;
	struct gg_cron cron;
	struct gg_tz *tz = NULL;
	struct hits h = { NULL, 0, 0 };
	size_t i;
	int err;

	if ((err = gg_cron_parse(&cron, w->schedule)) < 0 ||
	    (err = gg_tz_load(&tz, w->timezone ? w->timezone : "UTC")) < 0) {
		gg_error_prefix("freeze window '%s'", w->name);
		return err;
	}
	if (!gg_window_at(&win, &cron, tz, w->duration, run->s->ctx.now))
		goto out;
	if (!*ra && (err = gg_check_apps(run, ra)) < 0)
		goto out;
	for (i = 0; i < run->change->nfiles; i++)
		file_hits(&h, run, w, run->change->files[i].path, *ra);
	for (i = 0; i < h.nr; i++) {
		report(run, w, &win, tz, &h.v[i]);
		free(h.v[i].first);
	}
	free(h.v);
out:
	gg_tz_free(tz);
	return err;
}

static int run(struct gg_check_run *run)
{
	const struct gg_policy *p = &run->s->policy;
	const struct gg_refapps *ra = NULL;
	size_t i;
	int err = 0;

	if (gg_policy_severity(p, RULE) == GG_SEV_OFF)
		return 0;
	for (i = 0; i < p->nfreezes && !err; i++)
		err = judge_window(run, &p->freezes[i], &ra);
	return err;
}

const struct gg_check_kind gg_check_freeze = { "freeze", rules, run };
