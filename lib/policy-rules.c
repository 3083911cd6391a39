/*
 * The `rules` and `packs` sections of a policy file: severities and
 * parameters of built-in and pack rules, which packs are enabled, and
 * the tighten-only rule for both (see policy.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pack.h"
#include "policy-internal.h"
#include "regex.h"
#include "xalloc.h"
#include "banned.h"

/* Parse one rule parameter into `out` (released by the caller). */
static int param_value(struct gg_policy_loader *ld,
		       const struct gg_param_spec *spec,
		       const struct gg_ynode *v, const char *what,
		       struct gg_param_value *out)
{
	long long i = 0;
	int b = 0, err;
	const char *s;
	size_t k;

	memset(out, 0, sizeof(*out));
	gg_strvec_init(&out->strs);
	out->set = 1;
	switch (spec->type) {
	case GG_PARAM_INT:
		err = gg_policy__int(ld, v, what, 0, &i);
		out->num = (double)i;
		return err;
	case GG_PARAM_NUMBER:
		if (gg_ynode_double(&out->num, v) < 0)
			return gg_policy__bad(ld, v, "'%s' must be a number",
					      what);
		return 0;
	case GG_PARAM_BOOL:
		err = gg_policy__bool(ld, v, what, &b);
		out->num = b;
		return err;
	case GG_PARAM_STRING:
		if ((err = gg_policy__str(ld, v, what, &s)) < 0)
			return err;
		out->str = gg_xstrdup(s);
		return 0;
	case GG_PARAM_STRINGS:
		if (gg_ynode_is_seq(v) && !gg_ynode_count(v))
			return 0;
		return gg_policy__strs(ld, v, what, &out->strs);
	case GG_PARAM_PATTERNS:
		if (gg_ynode_is_seq(v) && !gg_ynode_count(v))
			return 0;
		if ((err = gg_policy__strs(ld, v, what, &out->strs)) < 0)
			return err;
		for (k = 0; k < out->strs.nr; k++) {
			struct gg_regex *re;

			if (gg_regex_compile(&re, out->strs.v[k], 0) < 0)
				return gg_policy__bad(
					ld,
					gg_ynode_is_seq(v) ? gg_ynode_item(v, k)
							   : v,
					"bad pattern in '%s': %s", what,
					gg_error_last());
			gg_regex_free(re);
		}
		return 0;
	}
	GG_BUG("unknown parameter type");
}

void gg_param_value_release(struct gg_param_value *v)
{
	free(v->str);
	gg_strvec_release(&v->strs);
	memset(v, 0, sizeof(*v));
	gg_strvec_init(&v->strs);
}

static int loosens(const struct gg_param_spec *spec,
		   const struct gg_param_value *cur,
		   const struct gg_param_value *new_)
{
	size_t i;

	switch (spec->tighter) {
	case GG_TIGHTER_NONE: return 0;
	case GG_TIGHTER_LOWER: return new_->num > cur->num;
	case GG_TIGHTER_HIGHER: return new_->num < cur->num;
	case GG_TIGHTER_MORE:
		for (i = 0; i < cur->strs.nr; i++)
			if (gg_strvec_find(&new_->strs, cur->strs.v[i]) < 0)
				return 1;
		return 0;
	case GG_TIGHTER_FEWER:
		for (i = 0; i < new_->strs.nr; i++)
			if (gg_strvec_find(&cur->strs, new_->strs.v[i]) < 0)
				return 1;
		return 0;
	case GG_TIGHTER_FIXED:
		if (spec->type == GG_PARAM_STRINGS ||
		    spec->type == GG_PARAM_PATTERNS) {
			if (cur->strs.nr != new_->strs.nr)
				return 1;
			for (i = 0; i < cur->strs.nr; i++)
				if (strcmp(cur->strs.v[i], new_->strs.v[i]))
					return 1;
			return 0;
		}
		if (spec->type == GG_PARAM_STRING)
			return strcmp(cur->str ? cur->str : "",
				      new_->str ? new_->str : "");
		return cur->num != new_->num;
	}
	return 0;
}

static int severity_of(struct gg_policy_loader *ld, const struct gg_ynode *v,
		       const char *id, enum gg_severity *out)
{
	const char *s;
	int err;

	if ((err = gg_policy__str(ld, v, id, &s)) < 0)
		return err;
	if (gg_severity_parse(out, s) < 0)
		return gg_policy__bad(ld, v,
				      "bad severity '%s' for '%s' (off, info, "
				      "warn, confirm or block)",
				      s, id);
	return 0;
}

/* The text of a key; NULL for a non-scalar or one with a NUL byte,
 * which would otherwise compare equal to its prefix. */
static const char *key_text(const struct gg_ynode *k)
{
	const char *s = gg_ynode_str(k);

	return s && strlen(s) == k->u.scalar.len ? s : NULL;
}

/* One parameter of rule `info`: validate; on apply, merge or ignore. */
static int rule_param(struct gg_policy_loader *ld,
		      const struct gg_rule_info *info,
		      struct gg_rule_conf *conf, const struct gg_ynode *k,
		      const struct gg_ynode *val)
{
	const char *pname = key_text(k);
	const struct gg_param_spec *spec =
		pname ? gg_rule_param(info, pname) : NULL;
	struct gg_param_value pv, *cur;
	char what[128];
	int err;

	if (!spec)
		return gg_policy__bad(ld, k, "rule '%s' has no parameter '%s'",
				      info->id, pname ? pname : "?");
	snprintf(what, sizeof(what), "%s.%s", info->id, pname);
	err = param_value(ld, spec, val, what, &pv);
	if (err || !ld->apply)
		goto out;
	cur = &conf->params[spec - info->params];
	if (loosens(spec, cur, &pv) && !gg_policy__may_loosen(ld, info->id)) {
		gg_policy__note(
			ld, val,
			"ignored '%s': it loosens the policy and "
			"'%s' is not in the system policy's allow_loosen",
			what, info->id);
		goto out;
	}
	gg_param_value_release(cur);
	*cur = pv;
	return 0;
out:
	gg_param_value_release(&pv);
	return err;
}

/* An id no rule has; say so, or why its pack has none. */
static int unknown_rule(struct gg_policy_loader *ld, const struct gg_ynode *key,
			const char *id)
{
	const char *slash = id ? strchr(id, '/') : NULL;
	const struct gg_pack *pk = NULL;
	char name[128];

	if (slash && (size_t)(slash - id) < sizeof(name)) {
		memcpy(name, id, (size_t)(slash - id));
		name[slash - id] = '\0';
		pk = gg_packs_find(ld->p->avail, name);
	}
	if (pk && pk->error)
		return gg_policy__bad(ld, key,
				      "unknown rule '%s': pack '%s' does not "
				      "load: %s",
				      id, pk->name, pk->error);
	if (pk)
		return gg_policy__bad(ld, key,
				      "unknown rule '%s': pack '%s' has no "
				      "rule '%s' (see 'gitops-guard rules')",
				      id, pk->name, slash + 1);
	return gg_policy__bad(ld, key,
			      "unknown rule '%s' (see 'gitops-guard rules')",
			      id ? id : "?");
}

static int rule_entry(struct gg_policy_loader *ld, const struct gg_ynode *key,
		      const struct gg_ynode *v)
{
	const char *id = key_text(key);
	const struct gg_rule_info *info = id ? gg_policy_rule(ld->p, id) : NULL;
	struct gg_rule_conf *conf;
	const struct gg_ynode *sev_at = v;
	enum gg_severity sev;
	int have_sev = 0, err = 0;
	size_t i;

	if (!info)
		return unknown_rule(ld, key, id);
	conf = gg_policy__conf(ld->p, info);
	if (v && v->kind == GG_YSCALAR) {
		err = severity_of(ld, v, id, &sev);
		have_sev = 1;
	} else if (gg_ynode_is_map(v)) {
		for (i = 0; i < v->u.map.nr && !err; i++) {
			const struct gg_ynode *k = v->u.map.pairs[i].key;
			const struct gg_ynode *val = v->u.map.pairs[i].value;

			if (key_text(k) && !strcmp(key_text(k), "severity")) {
				err = severity_of(ld, val, id, &sev);
				sev_at = val;
				have_sev = 1;
			} else {
				err = rule_param(ld, info, conf, k, val);
			}
		}
	} else {
		return gg_policy__bad(
			ld, v, "rule '%s' takes a severity or a map", id);
	}
	if (err || !have_sev || !ld->apply)
		return err;
	if (sev < conf->severity && !gg_policy__may_loosen(ld, id))
		gg_policy__note(
			ld, sev_at,
			"ignored severity %s for '%s': lower than %s and "
			"'%s' is not in the system policy's allow_loosen",
			gg_severity_name(sev), id,
			gg_severity_name(conf->severity), id);
	else
		conf->severity = sev;
	return 0;
}

int gg_policy__sec_rules(struct gg_policy_loader *ld, const struct gg_ynode *v)
{
	size_t i;
	int err = 0;

	if ((err = gg_policy__want_map(ld, v, "rules")) < 0)
		return err;
	for (i = 0; i < v->u.map.nr && !err; i++)
		err = rule_entry(ld, v->u.map.pairs[i].key,
				 v->u.map.pairs[i].value);
	return err;
}

/* --- packs ---------------------------------------------------------------- */

/* The names of the packs that load, for a message. */
static void pack_names(struct gg_buf *b, const struct gg_packs *ps)
{
	size_t i;

	for (i = 0; ps && i < ps->nr; i++)
		if (!ps->v[i]->error)
			gg_buf_addf(b, "%s%s", b->len ? ", " : "",
				    ps->v[i]->name);
	if (!b->len)
		gg_buf_adds(b, "none");
}

/* A pack name of the policy: 0 if it is a pack that loads. */
static int known_pack(struct gg_policy_loader *ld, const struct gg_ynode *n,
		      const char **out)
{
	const struct gg_pack *pk;
	struct gg_buf names = GG_BUF_INIT;
	int err;

	if ((err = gg_policy__str(ld, n, "packs", out)) < 0)
		return err;
	pk = gg_packs_find(ld->p->avail, *out);
	if (pk && pk->error)
		return gg_policy__bad(ld, n, "pack '%s' does not load: %s",
				      *out, pk->error);
	if (pk)
		return 0;
	pack_names(&names, ld->p->avail);
	err = gg_policy__bad(ld, n,
			     "unknown pack '%s' (available: %s; see "
			     "'gitops-guard packs')",
			     *out, names.buf);
	gg_buf_release(&names);
	return err;
}

/* Turn pack `name` on or off in the policy being built. */
static void enable(struct gg_policy_loader *ld, const struct gg_ynode *at_node,
		   const char *name, int on)
{
	struct gg_strvec *en = &ld->p->packs;
	struct gg_strvec kept = GG_STRVEC_INIT;
	long at = gg_strvec_find(en, name);
	size_t i;

	if (on && at < 0)
		gg_strvec_push(en, name);
	if (on || at < 0)
		return;
	if (!gg_policy__may_loosen(ld, "packs")) {
		gg_policy__note(ld, at_node,
				"pack '%s' stays enabled: turning it off "
				"loosens the policy and 'packs' is not in the "
				"system policy's allow_loosen",
				name);
		return;
	}
	for (i = 0; i < en->nr; i++)
		if (i != (size_t)at)
			gg_strvec_push(&kept, en->v[i]);
	gg_strvec_release(en);
	*en = kept;
}

/*
 * packs: [a, b]            enable a and b
 * packs: {a: true, b: off} enable a, disable b (a loosening)
 */
int gg_policy__sec_packs(struct gg_policy_loader *ld, const struct gg_ynode *v)
{
	const char *name;
	size_t i, n = gg_ynode_count(v);
	int on, err = 0;

	if (v && v->kind == GG_YSCALAR && !gg_ynode_is_null(v)) {
		if ((err = known_pack(ld, v, &name)) == 0 && ld->apply)
			enable(ld, v, name, 1);
		return err;
	}
	if (gg_ynode_is_seq(v)) {
		for (i = 0; i < n && !err; i++)
			if ((err = known_pack(ld, gg_ynode_item(v, i),
					      &name)) == 0 &&
			    ld->apply)
				enable(ld, gg_ynode_item(v, i), name, 1);
		return err;
	}
	if (!gg_ynode_is_map(v))
		return gg_policy__bad(ld, v,
				      "'packs' must be a list of pack names, "
				      "or a map of pack names to true or "
				      "false");
	for (i = 0; i < n && !err; i++) {
		const struct gg_ypair *pr = &v->u.map.pairs[i];

		if ((err = known_pack(ld, pr->key, &name)) < 0 ||
		    (err = gg_policy__bool(ld, pr->value, "packs", &on)) < 0)
			break;
		if (ld->apply)
			enable(ld, pr->value, name, on);
	}
	return err;
}

/* Used by policy.c to parse the built-in parameter defaults. */
int gg_policy__param_default(struct gg_param_value *out,
			     const struct gg_param_spec *spec)
{
	struct gg_policy scratch;
	struct gg_yfile *f = NULL;
	struct gg_policy_loader ld;
	int err;

	memset(&scratch, 0, sizeof(scratch));
	ld.p = &scratch;
	ld.layer = GG_LAYER_DEFAULTS;
	ld.source = "built-in defaults";
	ld.apply = 1;
	if ((err = gg_yaml_parse(&f, NULL, spec->def, strlen(spec->def),
				 NULL)) < 0)
		GG_BUG("bad built-in default '%s' for '%s'", spec->def,
		       spec->name);
	err = param_value(&ld, spec, f->ndocs ? f->docs[0].root : NULL,
			  spec->name, out);
	if (err < 0)
		GG_BUG("bad built-in default '%s' for '%s': %s", spec->def,
		       spec->name, gg_error_last());
	gg_yaml_free(f);
	return 0;
}
