/*
 * Validating one rule pack (gitops-packs(5)) strictly, with the policy
 * loader's typed readers: every key, type, glob, pattern, field path,
 * placeholder and example is checked, and errors name file:line:col.
 */
#include <stdlib.h>
#include <string.h>

#include "pack-internal.h"
#include "policy-internal.h"
#include "regex.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_NAME 64

/* [a-z0-9][a-z0-9-]*, at most MAX_NAME bytes */
static int valid_name(const char *s, size_t n)
{
	size_t i;

	if (!n || n > MAX_NAME || *s == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* A path of an example: relative, plain segments, not inside .git. */
static int valid_example_path(const char *p)
{
	const char *seg = p;

	if (!*p || *p == '/' || !strncmp(p, ".git/", 5) || !strcmp(p, ".git"))
		return 0;
	while (*seg) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);

		if (!n || (n == 1 && *seg == '.') ||
		    (n == 2 && !strncmp(seg, "..", 2)))
			return 0;
		if (!end)
			break;
		seg = end + 1;
		if (!*seg)
			return 0;
	}
	return 1;
}

static int opt_text(const struct gg_policy_loader *ld,
		    const struct gg_ynode *map, const char *key,
		    const char *what, const char **out)
{
	const struct gg_ynode *v = gg_ynode_get(map, key);

	*out = NULL;
	if (!v)
		return 0;
	return gg_policy__str(ld, v, what, out);
}

static int need_text(const struct gg_policy_loader *ld,
		     const struct gg_ynode *map, const char *key,
		     const char *what, const char **out)
{
	if (!gg_ynode_get(map, key))
		return gg_policy__bad(ld, map, "missing '%s'", what);
	return opt_text(ld, map, key, what, out);
}

static int template_of(const struct gg_policy_loader *ld,
		       const struct gg_ynode *map, const char *key,
		       const char *tmpl)
{
	if (tmpl && gg_pack_template_check(tmpl) < 0)
		return gg_policy__bad(ld, gg_ynode_get(map, key), "%s in '%s'",
				      gg_error_last(), key);
	return 0;
}

/* Deployment, apps/Deployment, extensions/v1beta1/Ingress or v1 with kind * */
static int kind_entry(const struct gg_policy_loader *ld,
		      const struct gg_ynode *n, const char *s,
		      struct gg_pack_kind *out)
{
	const char *slash = strrchr(s, '/'), *kind = slash ? slash + 1 : s;
	size_t i;

	if (!*kind || (strcmp(kind, "*") && strchr(kind, '*')))
		return gg_policy__bad(ld, n, "bad kind '%s'", s);
	for (i = 0; kind[i]; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*",
			    kind[i]))
			return gg_policy__bad(ld, n, "bad kind '%s'", s);
	for (i = 0; slash && s + i < slash; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789.-/", s[i]) ||
		    (s[i] == '/' && (!i || s[i + 1] == '/')))
			return gg_policy__bad(ld, n, "bad apiVersion in '%s'",
					      s);
	if (slash == s)
		return gg_policy__bad(ld, n, "bad apiVersion in '%s'", s);
	out->api = slash ? gg_xstrndup(s, (size_t)(slash - s)) : NULL;
	out->kind = gg_xstrdup(kind);
	return 0;
}

static int match_kinds(const struct gg_policy_loader *ld,
		       const struct gg_ynode *v, struct gg_pack_rule *r)
{
	struct gg_strvec kinds = GG_STRVEC_INIT;
	size_t i;
	int err;

	if ((err = gg_policy__strs(ld, v, "match.kinds", &kinds)) < 0)
		goto out;
	r->kinds = gg_xcalloc(kinds.nr + 1, sizeof(*r->kinds));
	for (i = 0; i < kinds.nr && !err; i++) {
		const struct gg_ynode *n = v;

		if (gg_ynode_is_seq(v))
			n = gg_ynode_item(v, i);
		err = kind_entry(ld, n, kinds.v[i], &r->kinds[i]);
		if (!err)
			r->nkinds++;
	}
out:
	gg_strvec_release(&kinds);
	return err;
}

static int field_paths(const struct gg_policy_loader *ld,
		       const struct gg_ynode *v, struct gg_pack_field *f)
{
	size_t i, n = gg_ynode_is_seq(v) ? gg_ynode_count(v) : 1;
	int err;

	if (!n)
		return gg_policy__bad(ld, v, "'match.fields[].path' is empty");
	f->paths = gg_xcalloc(n, sizeof(*f->paths));
	for (i = 0; i < n; i++) {
		const struct gg_ynode *item =
			gg_ynode_is_seq(v) ? gg_ynode_item(v, i) : v;
		const char *s;

		if ((err = gg_policy__str(ld, item, "match.fields[].path",
					  &s)) < 0)
			return err;
		f->npaths++;
		if (!i)
			f->text = s;
		if (gg_fpath_parse(&f->paths[i], s) < 0)
			return gg_policy__bad(ld, item,
					      "bad field path '%s': %s", s,
					      gg_error_last());
	}
	return 0;
}

static int field_test(const struct gg_policy_loader *ld,
		      const struct gg_ynode *e, struct gg_pack_field *f)
{
	const struct gg_ynode *pat = gg_ynode_get(e, "pattern");
	const struct gg_ynode *abs = gg_ynode_get(e, "absent");
	const struct gg_ynode *eq = gg_ynode_get(e, "equals");
	const char *s;
	int b, err;

	if (!!pat + !!abs + !!eq != 1)
		return gg_policy__bad(ld, e,
				      "each of 'match.fields' needs one of "
				      "'pattern', 'absent: true' or 'equals'");
	if (pat) {
		f->test = GG_PACK_PATTERN;
		if ((err = gg_policy__str(ld, pat, "match.fields[].pattern",
					  &s)) < 0)
			return err;
		f->pattern = s;
		if (gg_regex_compile(&f->re, s, 0) < 0)
			return gg_policy__bad(ld, pat, "bad pattern: %s",
					      gg_error_last());
	} else if (abs) {
		f->test = GG_PACK_ABSENT;
		if ((err = gg_policy__bool(ld, abs, "match.fields[].absent",
					   &b)) < 0)
			return err;
		if (!b)
			return gg_policy__bad(ld, abs,
					      "'absent' can only be true");
	} else {
		f->test = GG_PACK_EQUALS;
		if (eq->kind != GG_YSCALAR || gg_ynode_is_null(eq))
			return gg_policy__bad(
				ld, eq,
				"'match.fields[].equals' must be a scalar "
				"(use 'absent: true' for a missing value)");
		f->equals = eq;
	}
	return 0;
}

static int match_fields(const struct gg_policy_loader *ld,
			const struct gg_ynode *v, struct gg_pack_rule *r)
{
	static const char *const keys[] = { "path", "pattern", "absent",
					    "equals", NULL };
	size_t i, n = gg_ynode_count(v);
	int err = 0;

	if (!gg_ynode_is_seq(v) || !n)
		return gg_policy__bad(ld, v,
				      "'match.fields' must be a "
				      "non-empty list");
	r->fields = gg_xcalloc(n, sizeof(*r->fields));
	for (i = 0; i < n && !err; i++) {
		const struct gg_ynode *e = gg_ynode_item(v, i);
		struct gg_pack_field *f = &r->fields[r->nfields++];

		if ((err = gg_policy__want_map(ld, e, "match.fields[]")) < 0 ||
		    (err = gg_policy__check_keys(ld, e, "match.fields[]",
						 keys)) < 0)
			break;
		if (!gg_ynode_get(e, "path"))
			return gg_policy__bad(ld, e, "missing 'path'");
		if ((err = field_paths(ld, gg_ynode_get(e, "path"), f)) == 0)
			err = field_test(ld, e, f);
	}
	return err;
}

static int rule_match(const struct gg_policy_loader *ld,
		      const struct gg_ynode *m, struct gg_pack_rule *r)
{
	static const char *const keys[] = { "environments", "protected",
					    "kinds",	    "paths",
					    "fields",	    NULL };
	const struct gg_ynode *v;
	int err;

	if ((err = gg_policy__want_map(ld, m, "match")) < 0 ||
	    (err = gg_policy__check_keys(ld, m, "match", keys)) < 0)
		return err;
	if (!gg_ynode_get(m, "kinds") && !gg_ynode_get(m, "fields"))
		return gg_policy__bad(ld, m,
				      "'match' needs 'kinds' or 'fields'");
	v = gg_ynode_get(m, "environments");
	if (v &&
	    (err = gg_policy__strs(ld, v, "match.environments", &r->envs)) < 0)
		return err;
	v = gg_ynode_get(m, "protected");
	if (v &&
	    (err = gg_policy__bool(ld, v, "match.protected", &r->protect)) < 0)
		return err;
	v = gg_ynode_get(m, "paths");
	if (v && (err = gg_policy__globs(ld, v, "match.paths", &r->paths)) < 0)
		return err;
	r->globs = gg_policy__compile_globs(&r->paths);
	v = gg_ynode_get(m, "kinds");
	if (v && (err = match_kinds(ld, v, r)) < 0)
		return err;
	v = gg_ynode_get(m, "fields");
	return v ? match_fields(ld, v, r) : 0;
}

static int has_path(const struct gg_strvec *files, const char *path)
{
	size_t i;

	for (i = 0; i < files->nr; i += 2)
		if (!strcmp(files->v[i], path))
			return 1;
	return 0;
}

/* `files:` or `before:` of an example: a map of path to content. */
static int example_files(const struct gg_policy_loader *ld,
			 const struct gg_ynode *v, const char *what,
			 struct gg_strvec *out)
{
	size_t i;
	int err;

	if ((err = gg_policy__want_map(ld, v, what)) < 0)
		return err;
	for (i = 0; i < v->u.map.nr; i++) {
		const struct gg_ynode *k = v->u.map.pairs[i].key;
		const struct gg_ynode *c = v->u.map.pairs[i].value;
		const char *path, *content;

		if ((err = gg_policy__str(ld, k, what, &path)) < 0)
			return err;
		if (!valid_example_path(path))
			return gg_policy__bad(ld, k, "bad path '%s' in '%s'",
					      path, what);
		if (has_path(out, path))
			return gg_policy__bad(ld, k, "'%s' is twice in '%s'",
					      path, what);
		content = gg_ynode_str(c);
		if (!content || c->kind != GG_YSCALAR ||
		    strlen(content) != c->u.scalar.len)
			return gg_policy__bad(ld, c,
					      "the content of '%s' must be a "
					      "string",
					      path);
		gg_strvec_push(out, path);
		gg_strvec_push(out, content);
	}
	return 0;
}

static int example_entry(const struct gg_policy_loader *ld,
			 const struct gg_ynode *e, struct gg_pack_example *ex)
{
	static const char *const keys[] = { "files", "before", "expect",
					    "finding", NULL };
	const struct gg_ynode *v;
	const char *expect;
	int err;

	gg_strvec_init(&ex->before);
	gg_strvec_init(&ex->files);
	ex->line = e ? e->line : 0;
	if ((err = gg_policy__want_map(ld, e, "examples[]")) < 0 ||
	    (err = gg_policy__check_keys(ld, e, "examples[]", keys)) < 0)
		return err;
	v = gg_ynode_get(e, "files");
	if (!v)
		return gg_policy__bad(ld, e, "an example needs 'files'");
	if ((err = example_files(ld, v, "examples[].files", &ex->files)) < 0)
		return err;
	if (!ex->files.nr)
		return gg_policy__bad(ld, v, "'examples[].files' is empty");
	v = gg_ynode_get(e, "before");
	if (v &&
	    (err = example_files(ld, v, "examples[].before", &ex->before)) < 0)
		return err;
	if ((err = need_text(ld, e, "expect", "expect", &expect)) < 0)
		return err;
	if (strcmp(expect, "accept") && strcmp(expect, "reject"))
		return gg_policy__bad(ld, gg_ynode_get(e, "expect"),
				      "'expect' must be accept or reject");
	ex->reject = !strcmp(expect, "reject");
	if ((err = opt_text(ld, e, "finding", "examples[].finding",
			    &ex->finding)) < 0)
		return err;
	if (ex->finding && !ex->reject)
		return gg_policy__bad(ld, gg_ynode_get(e, "finding"),
				      "only an example that expects reject "
				      "has a 'finding'");
	return 0;
}

static int rule_examples(const struct gg_policy_loader *ld,
			 const struct gg_ynode *v, struct gg_pack_rule *r)
{
	size_t i, n = gg_ynode_count(v);
	int err = 0;

	if (!gg_ynode_is_seq(v) || !n)
		return gg_policy__bad(ld, v,
				      "'examples' must be a non-empty "
				      "list (gitops-packs(5))");
	r->examples = gg_xcalloc(n, sizeof(*r->examples));
	for (i = 0; i < n && !err; i++)
		err = example_entry(ld, gg_ynode_item(v, i),
				    &r->examples[r->nexamples++]);
	return err;
}

static int rule_texts(const struct gg_policy_loader *ld,
		      const struct gg_ynode *e, struct gg_pack_rule *r)
{
	const char *sev;
	int err;

	if ((err = need_text(ld, e, "severity", "severity", &sev)) < 0)
		return err;
	if (gg_severity_parse(&r->info.severity, sev) < 0)
		return gg_policy__bad(ld, gg_ynode_get(e, "severity"),
				      "bad severity '%s' (off, info, warn, "
				      "confirm or block)",
				      sev);
	if ((err = need_text(ld, e, "summary", "summary", &r->info.summary)) <
		    0 ||
	    (err = need_text(ld, e, "explain", "explain", &r->info.explain)) <
		    0 ||
	    (err = need_text(ld, e, "message", "message", &r->message)) < 0 ||
	    (err = opt_text(ld, e, "hint", "hint", &r->hint)) < 0 ||
	    (err = template_of(ld, e, "message", r->message)) < 0 ||
	    (err = template_of(ld, e, "hint", r->hint)) < 0)
		return err;
	return 0;
}

static int rule_entry(const struct gg_policy_loader *ld,
		      const struct gg_pack *pk, const struct gg_ynode *e,
		      struct gg_pack_rule *r)
{
	static const char *const keys[] = { "name",    "severity", "summary",
					    "explain", "match",	   "message",
					    "hint",    "examples", NULL };
	size_t i;
	int err;

	gg_strvec_init(&r->envs);
	gg_strvec_init(&r->paths);
	r->pack = pk;
	r->line = e ? e->line : 0;
	r->info.params = gg_pack_params;
	if ((err = gg_policy__want_map(ld, e, "rules[]")) < 0 ||
	    (err = gg_policy__check_keys(ld, e, "rules[]", keys)) < 0 ||
	    (err = need_text(ld, e, "name", "name", &r->name)) < 0)
		return err;
	if (!valid_name(r->name, strlen(r->name)))
		return gg_policy__bad(ld, gg_ynode_get(e, "name"),
				      "bad rule name '%s' (lowercase letters, "
				      "digits and '-')",
				      r->name);
	for (i = 0; &pk->rules[i] != r; i++)
		if (!strcmp(pk->rules[i].name, r->name))
			return gg_policy__bad(ld, gg_ynode_get(e, "name"),
					      "rule '%s' is defined twice",
					      r->name);
	r->id = gg_xasprintf("%s/%s", pk->name, r->name);
	r->info.id = r->id;
	if ((err = rule_texts(ld, e, r)) < 0)
		return err;
	if (!gg_ynode_get(e, "match"))
		return gg_policy__bad(ld, e, "missing 'match'");
	if ((err = rule_match(ld, gg_ynode_get(e, "match"), r)) < 0)
		return err;
	if (!gg_ynode_get(e, "examples"))
		return gg_policy__bad(ld, e,
				      "missing 'examples' (gitops-packs(5))");
	return rule_examples(ld, gg_ynode_get(e, "examples"), r);
}

/* A pack's name may not be a built-in rule family: "secret" would make
 * "secret/plaintext" ambiguous. */
static int builtin_family(const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < gg_rules_count(); i++) {
		const char *id = gg_rules_at(i)->id;

		if (!strncmp(id, name, n) && id[n] == '/')
			return 1;
	}
	return 0;
}

static int pack_walk(const struct gg_policy_loader *ld, struct gg_pack *pk,
		     const struct gg_ynode *root)
{
	static const char *const keys[] = { "version", "pack", "description",
					    "rules", NULL };
	const struct gg_ynode *v;
	const char *name;
	size_t i, n;
	int err;

	if ((err = gg_policy__want_map(ld, root, "pack")) < 0 ||
	    (err = gg_policy__check_keys(ld, root, "pack", keys)) < 0 ||
	    (err = gg_policy__want_version(ld, root, "pack")) < 0)
		return err;
	if ((err = need_text(ld, root, "pack", "pack", &name)) < 0 ||
	    (err = need_text(ld, root, "description", "description",
			     &pk->description)) < 0)
		return err;
	if (strcmp(name, pk->name))
		return gg_policy__bad(ld, gg_ynode_get(root, "pack"),
				      "the pack is named '%s' but its file "
				      "'%s'",
				      name, pk->name);
	v = gg_ynode_get(root, "rules");
	n = gg_ynode_count(v);
	if (!gg_ynode_is_seq(v) || !n)
		return gg_policy__bad(ld, v ? v : root,
				      "'rules' must be a non-empty list");
	pk->rules = gg_xcalloc(n, sizeof(*pk->rules));
	for (i = 0; i < n && !err; i++)
		err = rule_entry(ld, pk, gg_ynode_item(v, i),
				 &pk->rules[pk->nrules++]);
	return err;
}

int gg_pack__parse(struct gg_pack *pk, const char *source, const char *data,
		   size_t len)
{
	struct gg_policy_loader ld = { NULL, GG_LAYER_SYSTEM, source, 0 };
	struct gg_ymark at = { 0, 0 };

	if (!valid_name(pk->name, strlen(pk->name)))
		return gg_policy__bad(&ld, NULL,
				      "a pack file is named <name>.yaml, the "
				      "name in lowercase letters, digits and "
				      "'-'");
	if (builtin_family(pk->name))
		return gg_policy__bad(&ld, NULL,
				      "'%s' is a built-in rule family, not a "
				      "pack name",
				      pk->name);
	if (len > MAX_PACK_BYTES)
		return gg_policy__bad(&ld, NULL, "larger than %d bytes",
				      MAX_PACK_BYTES);
	if (gg_yaml_parse(&pk->yaml, &at, data, len, NULL) < 0) {
		struct gg_ynode where;

		memset(&where, 0, sizeof(where));
		where.line = at.line;
		where.col = at.col;
		return gg_policy__bad(&ld, at.line ? &where : NULL, "%s",
				      gg_error_last());
	}
	if (pk->yaml->ndocs != 1) {
		gg_error_set("%s: a pack file holds one YAML document", source);
		return GG_EINVALID;
	}
	return pack_walk(&ld, pk, pk->yaml->docs[0].root);
}
