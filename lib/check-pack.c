/*
 * <pack>/<rule>: the rules of the rule packs the policy enables
 * (pack.h, gitops-packs(5)), judged on the objects of the manifests a
 * push adds or changes.  A value that the object of the same kind, name
 * and namespace already had in the old version of the file (an absence:
 * at the same place) is not a new finding.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "envs.h"
#include "glob.h"
#include "manifest.h"
#include "model.h"
#include "pack.h"
#include "xalloc.h"
#include "banned.h"

/* Findings of one rule in one file; the rest are counted in a note. */
#define MAX_PER_FILE 10

/* Pack rules are the policy's, not the table's: none here. */
static const struct gg_rule_info rules[] = { { NULL, 0, NULL, NULL, NULL } };

struct hit {
	char *key; /* what makes it the same as an old one */
	char *path;
	char *value;
	unsigned line;
};

struct judge {
	struct gg_check_run *run;
	const struct gg_pack_rule *rule;
	const char *file;
	struct gg_env env;
	struct hit *hits; /* of the object being judged */
	size_t nhits, alloc;
	struct gg_strvec old; /* keys of the object's old version */
	size_t reported, dropped;
	int limited;
};

/* --- which rules, where --------------------------------------------------- */

/* The rules of enabled packs that are not off, in pack order. */
static void enabled_rules(const struct gg_policy *p,
			  const struct gg_pack_rule ***out, size_t *n)
{
	size_t i, j, alloc = 0;

	*out = NULL;
	*n = 0;
	for (i = 0; p->avail && i < p->avail->nr; i++) {
		const struct gg_pack *pk = p->avail->v[i];

		if (!gg_policy_pack_enabled(p, pk->name))
			continue;
		for (j = 0; j < pk->nrules; j++) {
			if (gg_policy_severity(p, pk->rules[j].id) ==
			    GG_SEV_OFF)
				continue;
			GG_ALLOC_GROW(*out, *n + 1, alloc);
			(*out)[(*n)++] = &pk->rules[j];
		}
	}
}

static int env_named(const struct gg_strvec *names, const struct gg_policy *p,
		     const struct gg_env *env)
{
	const char *tier = gg_env_tier_name(p, env->tier);
	size_t i;

	if (env->tier < 0)
		return 0;
	for (i = 0; i < names->nr; i++)
		if (!strcmp(names->v[i], env->name) ||
		    (tier && !strcmp(names->v[i], tier)))
			return 1;
	return 0;
}

/* Whether rule `r` judges file `path` of environment `env`. */
static int applies(const struct gg_policy *p, const struct gg_pack_rule *r,
		   const char *path, const struct gg_env *env)
{
	const struct gg_strvec *excl, *envs;
	size_t i;
	int in = !r->paths.nr;

	for (i = 0; i < r->paths.nr && !in; i++)
		in = gg_glob_match(&r->globs[i], path);
	if (!in)
		return 0;
	excl = gg_policy_strs(p, r->id, "exclude_paths");
	for (i = 0; i < excl->nr; i++)
		if (gg_glob_match_str(excl->v[i], path))
			return 0;
	envs = gg_policy_strs(p, r->id, "environments");
	if (envs->nr)
		return env_named(envs, p, env);
	if (r->envs.nr && !env_named(&r->envs, p, env))
		return 0;
	return !r->protect || (env->tier >= 0 && env->protect);
}

/* --- hits ----------------------------------------------------------------- */

/* A value is the same finding wherever it moved in the object; an
 * absence is the same only at the same place. */
static char *hit_key(const struct gg_fhit *hit)
{
	if (!hit->node)
		return gg_xasprintf("absent %s", hit->path);
	if (hit->node->kind == GG_YSCALAR)
		return gg_xasprintf("value %s", hit->node->u.scalar.s);
	return gg_xasprintf("at %s", hit->path);
}

static int take_hit(const struct gg_fhit *hit, void *payload)
{
	struct judge *j = payload;
	struct hit *h;

	GG_ALLOC_GROW(j->hits, j->nhits + 1, j->alloc);
	h = &j->hits[j->nhits++];
	h->key = hit_key(hit);
	h->path = gg_xstrdup(hit->path);
	h->value = gg_xstrdup(hit->node && hit->node->kind == GG_YSCALAR
				      ? hit->node->u.scalar.s
				      : "");
	h->line = hit->near ? hit->near->line : 0;
	return 0;
}

static int take_old_key(const struct gg_fhit *hit, void *payload)
{
	struct judge *j = payload;

	gg_strvec_push_take(&j->old, hit_key(hit));
	return 0;
}

static void clear_hits(struct judge *j)
{
	size_t i;

	for (i = 0; i < j->nhits; i++) {
		free(j->hits[i].key);
		free(j->hits[i].path);
		free(j->hits[i].value);
	}
	j->nhits = 0;
	gg_strvec_release(&j->old);
}

static int same_text(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* The keys at which the object's old versions fired. */
static void collect_old(struct judge *j, const struct gg_object *o,
			const struct gg_objects *old)
{
	size_t i;

	for (i = 0; old && i < old->nr; i++) {
		const struct gg_object *was = &old->v[i];

		if (!same_text(was->kind_name, o->kind_name) ||
		    !same_text(was->name, o->name) ||
		    !same_text(was->namespace_, o->namespace_) ||
		    !gg_pack_rule_kinds(j->rule, was->api_version,
					was->kind_name))
			continue;
		gg_pack_rule_fire(j->rule, was->root, take_old_key, j,
				  &j->limited);
	}
}

static void report(struct judge *j, const struct gg_object *o,
		   const struct hit *h)
{
	struct gg_report_spec spec = { j->rule->id, j->file, h->line,	NULL,
				       NULL,	    NULL,    GG_SEV_OFF };
	struct gg_buf msg = GG_BUF_INIT, hint = GG_BUF_INIT;
	struct gg_pack_vars v;

	v.name = o->name;
	v.namespace_ = o->namespace_;
	v.kind = o->kind_name;
	v.api_version = o->api_version;
	v.path = h->path;
	v.value = h->value;
	v.file = j->file;
	v.env = j->env.tier >= 0 ? j->env.name : NULL;
	gg_pack_format(&msg, j->rule->message, &v);
	if (j->rule->hint) {
		gg_pack_format(&hint, j->rule->hint, &v);
		spec.hint = hint.buf;
	}
	gg_check_report(j->run, &spec, "%s", msg.buf);
	gg_buf_release(&msg);
	gg_buf_release(&hint);
}

/* Judge one object with j->rule: report what is new to the push. */
static void judge_object(struct judge *j, const struct gg_object *o,
			 const struct gg_objects *old)
{
	size_t i;

	if (o->kind == GG_KIND_NOT_OBJECT ||
	    !gg_pack_rule_kinds(j->rule, o->api_version, o->kind_name))
		return;
	gg_pack_rule_fire(j->rule, o->root, take_hit, j, &j->limited);
	if (j->nhits)
		collect_old(j, o, old);
	for (i = 0; i < j->nhits; i++) {
		if (gg_strvec_find(&j->old, j->hits[i].key) >= 0)
			continue;
		if (j->reported >= MAX_PER_FILE) {
			j->dropped++;
			continue;
		}
		report(j, o, &j->hits[i]);
		j->reported++;
	}
	clear_hits(j);
}

/* --- the run -------------------------------------------------------------- */

static int judge_file(struct gg_check_run *run, const struct gg_file_change *fc,
		      const struct gg_pack_rule **rs, size_t nrs)
{
	const struct gg_objects *now = NULL, *old = NULL;
	struct judge j;
	size_t r, o;
	int err;

	if ((err = gg_model_get(&now, run->s->manifests, &fc->new_oid,
				fc->path)) < 0 ||
	    !now)
		return err;
	if (fc->status == GG_DELTA_MODIFIED && fc->old_kind == GG_ENTRY_BLOB &&
	    (err = gg_model_get(&old, run->s->manifests, &fc->old_oid,
				fc->path)) < 0)
		return err;
	memset(&j, 0, sizeof(j));
	j.run = run;
	j.file = fc->path;
	gg_strvec_init(&j.old);
	gg_env_of_ref_path(&j.env, &run->s->policy, run->update->ref, fc->path,
			   0);
	for (r = 0; r < nrs; r++) {
		if (!applies(&run->s->policy, rs[r], fc->path, &j.env))
			continue;
		j.rule = rs[r];
		j.reported = j.dropped = 0;
		for (o = 0; o < now->nr; o++)
			judge_object(&j, &now->v[o], old);
		if (j.dropped)
			gg_check_note(run,
				      "%s: %s: %zu more findings not shown",
				      rs[r]->id, fc->path, j.dropped);
	}
	if (j.limited)
		gg_check_note(run,
			      "%s: a pack rule's pattern hit the match limit; "
			      "part of the file was not judged",
			      fc->path);
	free(j.hits);
	return 0;
}

static int run(struct gg_check_run *run)
{
	const struct gg_refchange *rc = run->change;
	const struct gg_pack_rule **rs;
	size_t i, nrs;
	int err = 0;

	if (!rc->has_new)
		return 0;
	enabled_rules(&run->s->policy, &rs, &nrs);
	for (i = 0; nrs && i < rc->nfiles && err >= 0; i++) {
		const struct gg_file_change *fc = &rc->files[i];

		if (fc->status == GG_DELTA_DELETED ||
		    fc->new_kind != GG_ENTRY_BLOB ||
		    !gg_oid_cmp(&fc->old_oid, &fc->new_oid) ||
		    !gg_path_is_manifest(fc->path))
			continue;
		if (gg_context_expired(&run->s->ctx)) {
			run->result->timed_out = 1;
			break;
		}
		err = judge_file(run, fc, rs, nrs);
	}
	free(rs);
	return err < 0 ? err : 0;
}

const struct gg_check_kind gg_check_pack = { "pack", rules, run };
