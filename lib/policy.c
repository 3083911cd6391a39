/*
 * The policy model: built-in defaults, release, and the accessors rules
 * use to read their severity and parameters.
 */
#include <stdlib.h>
#include <string.h>

#include "pack.h"
#include "policy.h"
#include "policy-internal.h"
#include "xalloc.h"
#include "banned.h"

static void conf_init(struct gg_rule_conf *c, const struct gg_rule_info *info)
{
	size_t j, np = 0;

	while (info->params && info->params[np].name)
		np++;
	c->info = info;
	c->severity = info->severity;
	c->params = gg_xcalloc(np + 1, sizeof(*c->params));
	for (j = 0; j < np; j++)
		gg_policy__param_default(&c->params[j], &info->params[j]);
}

void gg_policy_init(struct gg_policy *p)
{
	size_t i, n = gg_rules_count();

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
	for (i = 0; i < n; i++)
		conf_init(&p->rules[i], gg_rules_at(i));
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
		free(p->envs[i].layers);
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
	gg_packs_free(p->avail_owned);
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

/* Add a configuration for every rule of `packs`, at its defaults. */
static void attach(struct gg_policy *p, const struct gg_packs *packs)
{
	size_t i, j, n = gg_rules_count(), k = n;

	if (p->avail || p->sources.nr > 1)
		GG_BUG("packs are set before the policy's layers, once");
	p->avail = packs;
	p->rules =
		gg_xrealloc(p->rules, gg_st_mult(n + gg_packs_nrules(packs) + 1,
						 sizeof(*p->rules)));
	for (i = 0; i < packs->nr; i++)
		for (j = 0; j < packs->v[i]->nrules; j++)
			conf_init(&p->rules[k++], &packs->v[i]->rules[j].info);
	memset(&p->rules[k], 0, sizeof(p->rules[k]));
}

void gg_policy_set_packs(struct gg_policy *p, struct gg_packs *packs)
{
	attach(p, packs);
	p->avail_owned = packs;
}

void gg_policy__borrow_packs(struct gg_policy *p, const struct gg_packs *packs)
{
	attach(p, packs);
}

void gg_policy_load_packs(struct gg_policy *p)
{
	struct gg_packs *packs = gg_packs_new();

	gg_packs_load_dirs(packs, NULL);
	gg_policy_set_packs(p, packs);
}

const struct gg_rule_info *gg_policy_rule(const struct gg_policy *p,
					  const char *id)
{
	const struct gg_rule_info *info = gg_rule_find(id);
	const struct gg_pack_rule *r;

	if (info)
		return info;
	r = gg_packs_rule(p->avail, id);
	return r ? &r->info : NULL;
}

/* Where the configuration of `info` is in p->rules. */
static size_t conf_index(const struct gg_policy *p,
			 const struct gg_rule_info *info)
{
	size_t i;

	for (i = gg_rules_count(); p->rules[i].info; i++)
		if (p->rules[i].info == info)
			return i;
	return gg_rule_index(info);
}

struct gg_rule_conf *gg_policy__conf(struct gg_policy *p,
				     const struct gg_rule_info *info)
{
	return &p->rules[conf_index(p, info)];
}

static const struct gg_rule_conf *conf(const struct gg_policy *p,
				       const char *id)
{
	const struct gg_rule_info *info = gg_policy_rule(p, id);

	return info ? &p->rules[conf_index(p, info)] : NULL;
}

int gg_policy_pack_enabled(const struct gg_policy *p, const char *name)
{
	return gg_strvec_find(&p->packs, name) >= 0;
}

enum gg_severity gg_policy_severity(const struct gg_policy *p, const char *id)
{
	const struct gg_pack_rule *r;
	const struct gg_rule_conf *c = conf(p, id);

	if (!c)
		return GG_SEV_OFF;
	if (!gg_rule_find(id) && (r = gg_packs_rule(p->avail, id)) &&
	    !gg_policy_pack_enabled(p, r->pack->name))
		return GG_SEV_OFF;
	return c->severity;
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

static int owner_matches(const struct gg_policy_owner *o, const char *path)
{
	size_t j;

	for (j = 0; j < o->paths.nr; j++)
		if (gg_glob_match(&o->globs[j], path) ||
		    gg_glob_match_dir(&o->globs[j], path))
			return 1;
	return 0;
}

void gg_policy_owners_of(struct gg_strvec *out, const struct gg_policy *p,
			 const char *path)
{
	size_t i, j;
	int first = GG_LAYER_ANY;

	/* the earliest layer with a matching entry decides */
	for (i = 0; i < p->nowners; i++)
		if (p->owners[i].layer != GG_LAYER_ANY &&
		    (first == GG_LAYER_ANY || p->owners[i].layer < first) &&
		    owner_matches(&p->owners[i], path))
			first = p->owners[i].layer;
	for (i = 0; i < p->nowners; i++) {
		const struct gg_policy_owner *o = &p->owners[i];

		if ((o->layer != first && o->layer != GG_LAYER_ANY) ||
		    !owner_matches(o, path))
			continue;
		for (j = 0; j < o->users.nr; j++)
			if (gg_strvec_find(out, o->users.v[j]) < 0)
				gg_strvec_push(out, o->users.v[j]);
	}
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

const char *gg_policy_repo_name(const struct gg_policy *p, const char *name)
{
	return p->repo_urls_only ? NULL : name;
}
