/*
 * The sections of a policy file: one parser per top-level key, each
 * validating its part and, on the apply pass, merging it into the
 * policy under the tighten-only rule (see policy.h).  `environments` and
 * `owners` are in policy-paths.c, `rules` and `packs` in policy-rules.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "cron.h"
#include "policy-internal.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_DURATION (366LL * 86400)

/* Parse a duration: "336h", "1h30m", "90s", "2d", "1w"; at most
 * MAX_DURATION, checked per term so the sum cannot overflow. */
static int parse_duration(const char *s, long long *out)
{
	long long total = 0;

	if (!*s)
		return -1;
	while (*s) {
		long long v = 0, unit;
		int n = 0;

		while (*s >= '0' && *s <= '9' && n < 9) {
			v = v * 10 + (*s++ - '0');
			n++;
		}
		switch (*s++) {
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		case 'w': unit = 7 * 86400; break;
		default: return -1;
		}
		if (!n)
			return -1;
		total += v * unit;
		if (total > MAX_DURATION)
			return -1;
	}
	*out = total;
	return 0;
}

static int two_digits(const char *s, int max)
{
	return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
	       (s[0] - '0') * 10 + (s[1] - '0') <= max;
}

static int valid_timezone(const char *tz)
{
	struct stat st;
	char *path;
	int ok;

	if (!strcmp(tz, "UTC") || !strcmp(tz, "Z"))
		return 1;
	if ((tz[0] == '+' || tz[0] == '-') && strlen(tz) == 6 && tz[3] == ':')
		return two_digits(tz + 1, 23) && two_digits(tz + 4, 59);
	if (strstr(tz, "..") || tz[0] == '/' || strpbrk(tz, " \t\n"))
		return 0;
	/* a zone is a file; fopen() would accept a directory too */
	path = gg_xasprintf("/usr/share/zoneinfo/%s", tz);
	ok = !stat(path, &st) && S_ISREG(st.st_mode);
	free(path);
	return ok;
}

/* Replace an identity list `cur` with `new_`, read from node `n`;
 * additions need allow_loosen[what]. */
static void merge_identities(const struct gg_policy_loader *ld,
			     const struct gg_ynode *n, struct gg_strvec *cur,
			     struct gg_strvec *new_, const char *what)
{
	size_t i;

	if (!gg_policy__may_loosen(ld, what)) {
		struct gg_strvec kept = GG_STRVEC_INIT;

		for (i = 0; i < new_->nr; i++) {
			if (gg_strvec_find(cur, new_->v[i]) >= 0)
				gg_strvec_push(&kept, new_->v[i]);
			else
				gg_policy__note(
					ld,
					gg_ynode_is_seq(n) ? gg_ynode_item(n, i)
							   : n,
					"ignored '%s' in '%s': adding identities "
					"loosens the policy and '%s' is not in "
					"the system policy's allow_loosen",
					new_->v[i], what, what);
		}
		gg_strvec_release(new_);
		*new_ = kept;
	}
	gg_strvec_release(cur);
	*cur = *new_;
	gg_strvec_init(new_);
}

static void append_all(struct gg_strvec *to, const struct gg_strvec *from)
{
	size_t i;

	for (i = 0; i < from->nr; i++)
		if (gg_strvec_find(to, from->v[i]) < 0)
			gg_strvec_push(to, from->v[i]);
}

/* --- sections ------------------------------------------------------------- */

static int sec_strings(struct gg_policy_loader *ld, const struct gg_ynode *v,
		       const char *what, struct gg_strvec *target, int globs)
{
	struct gg_strvec tmp = GG_STRVEC_INIT;
	int err = globs ? gg_policy__globs(ld, v, what, &tmp)
			: gg_policy__strs(ld, v, what, &tmp);

	if (!err && ld->apply)
		append_all(target, &tmp);
	gg_strvec_release(&tmp);
	return err;
}

/* repo_urls: added to the list; they replace the name rule unless they
 * come from the in-repo policy without leave (gg_policy_repo_name()). */
static int sec_repo_urls(struct gg_policy_loader *ld, const struct gg_ynode *v)
{
	int err = sec_strings(ld, v, "repo_urls", &ld->p->repo_urls, 0);

	if (err || !ld->apply || !ld->p->repo_urls.nr)
		return err;
	if (ld->layer != GG_LAYER_IN_REPO ||
	    gg_policy__may_loosen(ld, "repo_urls"))
		ld->p->repo_urls_only = 1;
	else if (!ld->p->repo_urls_only)
		gg_policy__note(ld, v,
				"'repo_urls' adds to the repository's name, "
				"which still identifies its URLs: only the "
				"system or repository config policy, or a "
				"system policy whose allow_loosen names "
				"repo_urls, may replace it");
	return 0;
}

static int opt_str(struct gg_policy_loader *ld, const struct gg_ynode *map,
		   const char *key, const char *what, char **out)
{
	const struct gg_ynode *v = gg_ynode_get(map, key);
	const char *s;
	int err;

	if (!v)
		return 0;
	if ((err = gg_policy__str(ld, v, what, &s)) < 0)
		return err;
	free(*out);
	*out = gg_xstrdup(s);
	return 0;
}

static int opt_tri(struct gg_policy_loader *ld, const struct gg_ynode *map,
		   const char *key, const char *what, int *out)
{
	const struct gg_ynode *v = gg_ynode_get(map, key);

	*out = -1;
	return v ? gg_policy__bool(ld, v, what, out) : 0;
}

static void app_release(struct gg_policy_app *a)
{
	free(a->name);
	free(a->path);
	free(a->controller);
	free(a->branch);
	free(a->project);
	free(a->namespace_);
	free(a->environment);
}

static int app_entry(struct gg_policy_loader *ld, const struct gg_ynode *e,
		     struct gg_policy_app *a)
{
	static const char *const keys[] = {
		"name",	   "path",	"controller",  "branch",
		"project", "namespace", "environment", "auto_sync",
		"prune",   "self_heal", "allow_empty", "recurse",
		NULL
	};
	int err;

	memset(a, 0, sizeof(*a));
	if ((err = gg_policy__want_map(ld, e, "apps[]")) < 0 ||
	    (err = gg_policy__check_keys(ld, e, "apps[]", keys)) < 0)
		return err;
	if (!gg_ynode_get(e, "name") || !gg_ynode_get(e, "path"))
		return gg_policy__bad(ld, e,
				      "each of 'apps' needs 'name' and 'path'");
	if ((err = opt_str(ld, e, "name", "apps[].name", &a->name)) < 0 ||
	    (err = opt_str(ld, e, "path", "apps[].path", &a->path)) < 0 ||
	    (err = opt_str(ld, e, "controller", "apps[].controller",
			   &a->controller)) < 0 ||
	    (err = opt_str(ld, e, "branch", "apps[].branch", &a->branch)) < 0 ||
	    (err = opt_str(ld, e, "project", "apps[].project", &a->project)) <
		    0 ||
	    (err = opt_str(ld, e, "namespace", "apps[].namespace",
			   &a->namespace_)) < 0 ||
	    (err = opt_str(ld, e, "environment", "apps[].environment",
			   &a->environment)) < 0 ||
	    (err = opt_tri(ld, e, "auto_sync", "apps[].auto_sync",
			   &a->auto_sync)) < 0 ||
	    (err = opt_tri(ld, e, "prune", "apps[].prune", &a->prune)) < 0 ||
	    (err = opt_tri(ld, e, "self_heal", "apps[].self_heal",
			   &a->self_heal)) < 0 ||
	    (err = opt_tri(ld, e, "allow_empty", "apps[].allow_empty",
			   &a->allow_empty)) < 0 ||
	    (err = opt_tri(ld, e, "recurse", "apps[].recurse", &a->recurse)) <
		    0)
		return err;
	if (!a->controller)
		a->controller = gg_xstrdup("argocd");
	if (strcmp(a->controller, "argocd") && strcmp(a->controller, "flux"))
		return gg_policy__bad(ld, gg_ynode_get(e, "controller"),
				      "'controller' must be argocd or flux");
	return 0;
}

static int sec_apps(struct gg_policy_loader *ld, const struct gg_ynode *v)
{
	size_t i, n = gg_ynode_count(v);
	int err = 0;

	if (!gg_ynode_is_seq(v))
		return gg_policy__bad(ld, v, "'apps' must be a list");
	for (i = 0; i < n && !err; i++) {
		struct gg_policy_app a;

		err = app_entry(ld, v->u.seq.items[i], &a);
		a.layer = ld->layer;
		if (!err && ld->apply) {
			ld->p->apps = gg_xrealloc(
				ld->p->apps,
				gg_st_mult(ld->p->napps + 1, sizeof(a)));
			ld->p->apps[ld->p->napps++] = a;
		} else {
			app_release(&a);
		}
	}
	return err;
}

static int sec_promoters(struct gg_policy_loader *ld, const struct gg_ynode *v)
{
	struct gg_strvec tmp = GG_STRVEC_INIT;
	int err = gg_policy__strs(ld, v, "promoters", &tmp);

	if (!err && ld->apply)
		merge_identities(ld, v, &ld->p->promoters, &tmp, "promoters");
	gg_strvec_release(&tmp);
	return err;
}

static int sec_break_glass(struct gg_policy_loader *ld,
			   const struct gg_ynode *v)
{
	static const char *const keys[] = { "users", "min_reason_length",
					    NULL };
	struct gg_strvec users = GG_STRVEC_INIT;
	const struct gg_ynode *u, *m;
	long long min = ld->p->break_glass_min_reason;
	int err;

	if ((err = gg_policy__want_map(ld, v, "break_glass")) < 0 ||
	    (err = gg_policy__check_keys(ld, v, "break_glass", keys)) < 0)
		return err;
	if ((u = gg_ynode_get(v, "users")) &&
	    (err = gg_policy__strs(ld, u, "break_glass.users", &users)) < 0)
		goto out;
	if ((m = gg_ynode_get(v, "min_reason_length")) &&
	    (err = gg_policy__int(ld, m, "break_glass.min_reason_length", 0,
				  &min)) < 0)
		goto out;
	if (!ld->apply)
		goto out;
	if (u)
		merge_identities(ld, u, &ld->p->break_glass_users, &users,
				 "break_glass");
	if (min < ld->p->break_glass_min_reason &&
	    !gg_policy__may_loosen(ld, "break_glass"))
		gg_policy__note(
			ld, m,
			"ignored a lower break_glass.min_reason_length: it "
			"loosens the policy and 'break_glass' is not in the "
			"system policy's allow_loosen");
	else
		ld->p->break_glass_min_reason = min;
out:
	gg_strvec_release(&users);
	return err;
}

static int freeze_entry(struct gg_policy_loader *ld, const struct gg_ynode *e,
			struct gg_policy_freeze *f)
{
	static const char *const keys[] = { "name",	"environments",
					    "schedule", "duration",
					    "timezone", NULL };
	struct gg_cron cron;
	const struct gg_ynode *v;
	const char *s;
	int err;

	memset(f, 0, sizeof(*f));
	gg_strvec_init(&f->environments);
	if ((err = gg_policy__want_map(ld, e, "freeze[]")) < 0 ||
	    (err = gg_policy__check_keys(ld, e, "freeze[]", keys)) < 0)
		return err;
	if (!gg_ynode_get(e, "name") || !gg_ynode_get(e, "schedule") ||
	    !gg_ynode_get(e, "duration"))
		return gg_policy__bad(
			ld, e,
			"each freeze window needs 'name', 'schedule' and 'duration'");
	if ((err = opt_str(ld, e, "name", "freeze[].name", &f->name)) < 0 ||
	    (err = opt_str(ld, e, "schedule", "freeze[].schedule",
			   &f->schedule)) < 0 ||
	    (err = opt_str(ld, e, "timezone", "freeze[].timezone",
			   &f->timezone)) < 0)
		return err;
	if (gg_cron_parse(&cron, f->schedule) < 0)
		return gg_policy__bad(ld, gg_ynode_get(e, "schedule"), "%s",
				      gg_error_last());
	v = gg_ynode_get(e, "duration");
	if ((err = gg_policy__str(ld, v, "freeze[].duration", &s)) < 0)
		return err;
	if (parse_duration(s, &f->duration) < 0 || f->duration <= 0)
		return gg_policy__bad(ld, v,
				      "'duration' must be like 336h, 90m or 2d "
				      "(at most 366 days)");
	if (f->timezone && !valid_timezone(f->timezone))
		return gg_policy__bad(ld, gg_ynode_get(e, "timezone"),
				      "unknown timezone '%s'", f->timezone);
	if ((v = gg_ynode_get(e, "environments")) &&
	    (err = gg_policy__strs(ld, v, "freeze[].environments",
				   &f->environments)) < 0)
		return err;
	return 0;
}

static void freeze_release(struct gg_policy_freeze *f)
{
	free(f->name);
	free(f->schedule);
	free(f->timezone);
	gg_strvec_release(&f->environments);
}

static int sec_freeze(struct gg_policy_loader *ld, const struct gg_ynode *v)
{
	size_t i, n = gg_ynode_count(v);
	int err = 0;

	if (!gg_ynode_is_seq(v))
		return gg_policy__bad(ld, v,
				      "'freeze' must be a list of windows");
	for (i = 0; i < n && !err; i++) {
		struct gg_policy_freeze f;

		err = freeze_entry(ld, v->u.seq.items[i], &f);
		if (!err && ld->apply) {
			ld->p->freezes = gg_xrealloc(
				ld->p->freezes,
				gg_st_mult(ld->p->nfreezes + 1, sizeof(f)));
			ld->p->freezes[ld->p->nfreezes++] = f;
		} else {
			freeze_release(&f);
		}
	}
	return err;
}

static int sec_audit(struct gg_policy_loader *ld, const struct gg_ynode *v)
{
	static const char *const keys[] = { "log", "syslog", "webhook", NULL };
	static const char *const syslog_keys[] = { "facility", NULL };
	static const char *const hook_keys[] = { "url", "timeout_ms", "spool",
						 NULL };
	const struct gg_ynode *s, *w, *t;
	char *log = NULL, *fac = NULL, *url = NULL, *spool = NULL;
	long long timeout = 1500;
	int err;

	if ((err = gg_policy__want_map(ld, v, "audit")) < 0 ||
	    (err = gg_policy__check_keys(ld, v, "audit", keys)) < 0)
		return err;
	if ((err = opt_str(ld, v, "log", "audit.log", &log)) < 0)
		goto out;
	s = gg_ynode_get(v, "syslog");
	if (s) {
		if ((err = gg_policy__want_map(ld, s, "audit.syslog")) < 0 ||
		    (err = gg_policy__check_keys(ld, s, "audit.syslog",
						 syslog_keys)) < 0 ||
		    (err = opt_str(ld, s, "facility", "audit.syslog.facility",
				   &fac)) < 0)
			goto out;
		if (!fac)
			fac = gg_xstrdup("user");
	}
	w = gg_ynode_get(v, "webhook");
	if (w) {
		if ((err = gg_policy__want_map(ld, w, "audit.webhook")) < 0 ||
		    (err = gg_policy__check_keys(ld, w, "audit.webhook",
						 hook_keys)) < 0 ||
		    (err = opt_str(ld, w, "url", "audit.webhook.url", &url)) <
			    0 ||
		    (err = opt_str(ld, w, "spool", "audit.webhook.spool",
				   &spool)) < 0)
			goto out;
		if (!url) {
			err = gg_policy__bad(ld, w,
					     "'audit.webhook' needs a 'url'");
			goto out;
		}
		if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7)) {
			err = gg_policy__bad(
				ld, gg_ynode_get(w, "url"),
				"'audit.webhook.url' must be an http(s) URL");
			goto out;
		}
		if ((t = gg_ynode_get(w, "timeout_ms")) &&
		    (err = gg_policy__int(ld, t, "audit.webhook.timeout_ms", 1,
					  &timeout)) < 0)
			goto out;
	}
	if (!ld->apply)
		goto out;
	if (ld->layer == GG_LAYER_IN_REPO) {
		gg_policy__note(
			ld, v,
			"ignored 'audit': only server-side policy files may set it");
		goto out;
	}
	if (log) {
		free(ld->p->audit.log);
		ld->p->audit.log = log;
		log = NULL;
	}
	if (fac) {
		free(ld->p->audit.syslog_facility);
		ld->p->audit.syslog_facility = fac;
		fac = NULL;
	}
	if (url) {
		free(ld->p->audit.webhook_url);
		free(ld->p->audit.webhook_spool);
		ld->p->audit.webhook_url = url;
		ld->p->audit.webhook_spool = spool;
		ld->p->audit.webhook_timeout_ms = timeout;
		url = spool = NULL;
	}
out:
	free(log);
	free(fac);
	free(url);
	free(spool);
	return err;
}

static int accept_reject(struct gg_policy_loader *ld, const struct gg_ynode *m,
			 const char *key, int *out)
{
	const struct gg_ynode *v = gg_ynode_get(m, key);
	const char *s;
	char what[64];
	int err;

	if (!v)
		return 0;
	snprintf(what, sizeof(what), "limits.%s", key);
	if ((err = gg_policy__str(ld, v, what, &s)) < 0)
		return err;
	if (strcmp(s, "accept") && strcmp(s, "reject"))
		return gg_policy__bad(ld, v, "'%s' must be accept or reject",
				      what);
	if (!ld->apply)
		return 0;
	if (!strcmp(s, "accept") && !*out &&
	    !gg_policy__may_loosen(ld, "limits"))
		gg_policy__note(
			ld, v,
			"ignored '%s: accept': it loosens the policy and "
			"'limits' is not in the system policy's allow_loosen",
			what);
	else
		*out = !strcmp(s, "accept");
	return 0;
}

/* A limit that bounds how much is inspected: lower values loosen. */
static void raise_only(struct gg_policy_loader *ld, const struct gg_ynode *n,
		       const char *key, long long val, long long *cur)
{
	if (val < *cur && !gg_policy__may_loosen(ld, "limits"))
		gg_policy__note(ld, n,
				"ignored 'limits.%s: %lld': lower than %lld, "
				"so less is inspected, and 'limits' is not in "
				"the system policy's allow_loosen",
				key, val, *cur);
	else
		*cur = val;
}

/*
 * A shorter deadline makes a timeout likelier: with on_timeout: accept
 * the checks it cuts short are skipped, a loosening; with reject it only
 * rejects more.  A longer one lets more checks run.
 */
static void deadline(struct gg_policy_loader *ld, const struct gg_ynode *n,
		     long long val)
{
	long long *cur = &ld->p->limits.deadline_ms;

	if (val < *cur && ld->p->limits.on_timeout_accept &&
	    !gg_policy__may_loosen(ld, "limits"))
		gg_policy__note(
			ld, n,
			"ignored 'limits.deadline_ms: %lld': lower than "
			"%lld under 'on_timeout: accept', so checks may "
			"be skipped, and 'limits' is not in the system "
			"policy's allow_loosen",
			val, *cur);
	else
		*cur = val;
}

static int sec_limits(struct gg_policy_loader *ld, const struct gg_ynode *v)
{
	static const char *const keys[] = { "deadline_ms", "max_blob_bytes",
					    "max_commits", "on_error",
					    "on_timeout",  NULL };
	static const struct {
		const char *key;
		long long min;
	} nums[] = { { "deadline_ms", 100 },
		     { "max_blob_bytes", 1024 },
		     { "max_commits", 1 } };
	const struct gg_ynode *at[3];
	long long val[3];
	size_t i;
	int err;

	if ((err = gg_policy__want_map(ld, v, "limits")) < 0 ||
	    (err = gg_policy__check_keys(ld, v, "limits", keys)) < 0)
		return err;
	for (i = 0; i < 3; i++) {
		char what[64];

		at[i] = gg_ynode_get(v, nums[i].key);
		snprintf(what, sizeof(what), "limits.%s", nums[i].key);
		if (at[i] && (err = gg_policy__int(ld, at[i], what, nums[i].min,
						   &val[i])) < 0)
			return err;
	}
	if ((err = accept_reject(ld, v, "on_error",
				 &ld->p->limits.on_error_accept)) < 0 ||
	    (err = accept_reject(ld, v, "on_timeout",
				 &ld->p->limits.on_timeout_accept)) < 0)
		return err;
	if (!ld->apply)
		return 0;
	/* after on_timeout, which decides whether a shorter one loosens */
	if (at[0])
		deadline(ld, at[0], val[0]);
	if (at[1])
		raise_only(ld, at[1], nums[1].key, val[1],
			   &ld->p->limits.max_blob_bytes);
	if (at[2])
		raise_only(ld, at[2], nums[2].key, val[2],
			   &ld->p->limits.max_commits);
	return 0;
}

static int sec_identity(struct gg_policy_loader *ld, const struct gg_ynode *v)
{
	static const char *const keys[] = { "env", NULL };
	struct gg_strvec tmp = GG_STRVEC_INIT;
	const struct gg_ynode *e;
	int err;

	if ((err = gg_policy__want_map(ld, v, "identity")) < 0 ||
	    (err = gg_policy__check_keys(ld, v, "identity", keys)) < 0)
		return err;
	if ((e = gg_ynode_get(v, "env")) &&
	    (err = gg_policy__strs(ld, e, "identity.env", &tmp)) < 0)
		goto out;
	if (ld->apply && e) {
		if (!gg_policy__may_loosen(ld, "identity")) {
			gg_policy__note(
				ld, e,
				"ignored 'identity': only the system policy sets "
				"where the pusher identity comes from");
		} else {
			gg_strvec_release(&ld->p->identity_env);
			ld->p->identity_env = tmp;
			gg_strvec_init(&tmp);
		}
	}
out:
	gg_strvec_release(&tmp);
	return err;
}

int gg_policy__section(struct gg_policy_loader *ld, const char *key,
		       const struct gg_ynode *v)
{
	if (!strcmp(key, "version"))
		return 0;
	if (!strcmp(key, "repo_urls"))
		return sec_repo_urls(ld, v);
	if (!strcmp(key, "branches"))
		return sec_strings(ld, v, key, &ld->p->branches, 1);
	if (!strcmp(key, "environments"))
		return gg_policy__sec_environments(ld, v);
	if (!strcmp(key, "apps"))
		return sec_apps(ld, v);
	if (!strcmp(key, "owners"))
		return gg_policy__sec_owners(ld, v);
	if (!strcmp(key, "promoters"))
		return sec_promoters(ld, v);
	if (!strcmp(key, "break_glass"))
		return sec_break_glass(ld, v);
	if (!strcmp(key, "freeze"))
		return sec_freeze(ld, v);
	if (!strcmp(key, "rules"))
		return gg_policy__sec_rules(ld, v);
	if (!strcmp(key, "packs"))
		return gg_policy__sec_packs(ld, v);
	if (!strcmp(key, "audit"))
		return sec_audit(ld, v);
	if (!strcmp(key, "limits"))
		return sec_limits(ld, v);
	if (!strcmp(key, "identity"))
		return sec_identity(ld, v);
	if (!strcmp(key, "allow_loosen")) {
		struct gg_strvec tmp = GG_STRVEC_INIT;
		int err = gg_policy__strs(ld, v, key, &tmp);

		if (!err && ld->apply) {
			if (ld->layer == GG_LAYER_SYSTEM)
				append_all(&ld->p->allow_loosen, &tmp);
			else
				gg_policy__note(
					ld, v,
					"ignored 'allow_loosen': only the system "
					"policy may set it");
		}
		gg_strvec_release(&tmp);
		return err;
	}
	GG_BUG("section '%s' passed key validation but has no parser", key);
}
