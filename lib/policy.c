/*
 * The policy model: built-in defaults, release, and the accessors rules
 * use to read their severity and parameters.
 */
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "policy-internal.h"
#include "xalloc.h"
#include "banned.h"

void gg_policy_init(struct gg_policy *p)
{
	size_t i, j, n = gg_rules_count();

	memset(p, 0, sizeof(*p));
	p->version = 1;
	gg_strvec_init(&p->repo_urls);
	gg_strvec_init(&p->branches);
	gg_strvec_init(&p->promoters);
	gg_strvec_init(&p->break_glass_users);
	gg_strvec_init(&p->packs);
	gg_strvec_init(&p->identity_env);
	gg_strvec_init(&p->allow_loosen);
	gg_strvec_init(&p->sources);
	gg_strvec_init(&p->notes);
	p->break_glass_min_reason = 10;
	p->limits.deadline_ms = GG_DEFAULT_DEADLINE_MS;
	p->limits.max_blob_bytes = GG_DEFAULT_MAX_BLOB_BYTES;
	p->limits.max_commits = 10000;
	p->rules = gg_xcalloc(n + 1, sizeof(*p->rules));
	for (i = 0; i < n; i++) {
		const struct gg_rule_info *info = gg_rules_at(i);
		size_t np = 0;

		while (info->params && info->params[np].name)
			np++;
		p->rules[i].info = info;
		p->rules[i].severity = info->severity;
		p->rules[i].params =
			gg_xcalloc(np + 1, sizeof(*p->rules[i].params));
		for (j = 0; j < np; j++)
			gg_policy__param_default(&p->rules[i].params[j],
						 &info->params[j]);
	}
	gg_strvec_push(&p->sources, "built-in defaults");
}

static void free_globs(struct gg_glob *g, size_t n)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < n; i++)
		gg_glob_release(&g[i]);
	free(g);
}

void gg_policy_release(struct gg_policy *p)
{
	size_t i, j;

	gg_strvec_release(&p->repo_urls);
	gg_strvec_release(&p->branches);
	for (i = 0; i < p->nenvs; i++) {
		free(p->envs[i].name);
		free(p->envs[i].branch);
		free_globs(p->envs[i].globs, p->envs[i].paths.nr);
		gg_strvec_release(&p->envs[i].paths);
	}
	free(p->envs);
	for (i = 0; i < p->napps; i++) {
		struct gg_policy_app *a = &p->apps[i];

		free(a->name);
		free(a->path);
		free(a->controller);
		free(a->branch);
		free(a->project);
		free(a->namespace_);
		free(a->environment);
	}
	free(p->apps);
	for (i = 0; i < p->nowners; i++) {
		free_globs(p->owners[i].globs, p->owners[i].paths.nr);
		gg_strvec_release(&p->owners[i].paths);
		gg_strvec_release(&p->owners[i].users);
	}
	free(p->owners);
	gg_strvec_release(&p->promoters);
	gg_strvec_release(&p->break_glass_users);
	for (i = 0; i < p->nfreezes; i++) {
		free(p->freezes[i].name);
		free(p->freezes[i].schedule);
		free(p->freezes[i].timezone);
		gg_strvec_release(&p->freezes[i].environments);
	}
	free(p->freezes);
	if (p->rules) {
		for (i = 0; p->rules[i].info; i++) {
			for (j = 0; p->rules[i].info->params &&
				    p->rules[i].info->params[j].name;
			     j++)
				gg_param_value_release(&p->rules[i].params[j]);
			free(p->rules[i].params);
		}
		free(p->rules);
	}
	gg_strvec_release(&p->packs);
	gg_strvec_release(&p->identity_env);
	free(p->audit.log);
	free(p->audit.syslog_facility);
	free(p->audit.webhook_url);
	free(p->audit.webhook_spool);
	gg_strvec_release(&p->allow_loosen);
	gg_strvec_release(&p->sources);
	gg_strvec_release(&p->notes);
	memset(p, 0, sizeof(*p));
}

static const struct gg_rule_conf *conf(const struct gg_policy *p,
				       const char *id)
{
	const struct gg_rule_info *info = gg_rule_find(id);

	return info ? &p->rules[gg_rule_index(info)] : NULL;
}

enum gg_severity gg_policy_severity(const struct gg_policy *p, const char *id)
{
	const struct gg_rule_conf *c = conf(p, id);

	return c ? c->severity : GG_SEV_OFF;
}

static const struct gg_param_value *param(const struct gg_policy *p,
					  const char *id, const char *name)
{
	const struct gg_rule_conf *c = conf(p, id);
	const struct gg_param_spec *spec;

	if (!c)
		GG_BUG("unknown rule '%s'", id);
	spec = gg_rule_param(c->info, name);
	if (!spec)
		GG_BUG("rule '%s' has no parameter '%s'", id, name);
	return &c->params[spec - c->info->params];
}

double gg_policy_num(const struct gg_policy *p, const char *id,
		     const char *name)
{
	return param(p, id, name)->num;
}

const char *gg_policy_str(const struct gg_policy *p, const char *id,
			  const char *name)
{
	return param(p, id, name)->str;
}

const struct gg_strvec *gg_policy_strs(const struct gg_policy *p,
				       const char *id, const char *name)
{
	return &param(p, id, name)->strs;
}

int gg_policy_has_identity(const struct gg_strvec *list, const char *identity)
{
	return identity && gg_strvec_find(list, identity) >= 0;
}

const char *gg_policy_system_path(void)
{
	const char *env = getenv("GITOPS_GUARD_SYSTEM_POLICY");

	return env && *env ? env : SYSCONFDIR "/gitops-guard/policy.yaml";
}
