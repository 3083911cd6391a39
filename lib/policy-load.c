/*
 * Loading policy files: strict validation and merging of a layer into
 * the policy under the tighten-only rule.  A layer is walked twice: once
 * to validate (nothing changes), once to apply.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cron.h"
#include "policy.h"
#include "policy-internal.h"
#include "regex.h"
#include "xalloc.h"
#include "yamlload.h"
#include "banned.h"

#define MAX_POLICY_BYTES (1024 * 1024)

int gg_policy__bad(const struct gg_policy_loader *ld, const struct gg_ynode *n,
		   const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n)
		gg_error_set("%s:%u:%u: %s", ld->source, n->line, n->col, msg);
	else
		gg_error_set("%s: %s", ld->source, msg);
	return GG_EINVALID;
}

void gg_policy__note(const struct gg_policy_loader *ld,
		     const struct gg_ynode *n, const char *fmt, ...)
{
	struct gg_buf b = GG_BUF_INIT;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n)
		gg_buf_addf(&b, "%s:%u:%u: %s", ld->source, n->line, n->col,
			    msg);
	else
		gg_buf_addf(&b, "%s: %s", ld->source, msg);
	gg_strvec_push_take(&ld->p->notes, gg_buf_detach(&b, NULL));
}

static const char *kind_word(const struct gg_ynode *n)
{
	if (!n || gg_ynode_is_null(n))
		return "null";
	return n->kind == GG_YMAP   ? "a map"
	       : n->kind == GG_YSEQ ? "a list"
				    : "a scalar";
}

int gg_policy__want_map(const struct gg_policy_loader *ld,
			const struct gg_ynode *n, const char *what)
{
	if (!gg_ynode_is_map(n))
		return gg_policy__bad(ld, n, "'%s' must be a map, not %s", what,
				      kind_word(n));
	return 0;
}

int gg_policy__want_version(const struct gg_policy_loader *ld,
			    const struct gg_ynode *root, const char *what)
{
	const struct gg_ynode *v = gg_ynode_get(root, "version");
	long long version;

	if (!v)
		return gg_policy__bad(ld, root, "missing 'version: 1'");
	if (gg_ynode_int(&version, v) < 0 || version != 1)
		return gg_policy__bad(
			ld, v, "unsupported %s version (only 1 is known)",
			what);
	return 0;
}

int gg_policy__check_keys(const struct gg_policy_loader *ld,
			  const struct gg_ynode *map, const char *what,
			  const char *const *allowed)
{
	size_t i, j;

	for (i = 0; i < map->u.map.nr; i++) {
		const struct gg_ynode *k = map->u.map.pairs[i].key;
		const char *name = gg_ynode_str(k);

		if (!name)
			return gg_policy__bad(
				ld, k, "keys of '%s' must be scalars", what);
		if (strlen(name) != k->u.scalar.len)
			return gg_policy__bad(
				ld, k, "a key of '%s' contains a NUL byte",
				what);
		for (j = 0; allowed[j]; j++)
			if (!strcmp(allowed[j], name))
				break;
		if (!allowed[j])
			return gg_policy__bad(ld, k, "unknown key '%s' in '%s'",
					      name, what);
	}
	return 0;
}

int gg_policy__str(const struct gg_policy_loader *ld, const struct gg_ynode *n,
		   const char *what, const char **out)
{
	const char *s = gg_ynode_text(n);

	if (!n || n->kind != GG_YSCALAR || !s)
		return gg_policy__bad(ld, n, "'%s' must be a non-empty string",
				      what);
	if (strlen(s) != n->u.scalar.len)
		return gg_policy__bad(ld, n, "'%s' contains a NUL byte", what);
	*out = s;
	return 0;
}

int gg_policy__int(const struct gg_policy_loader *ld, const struct gg_ynode *n,
		   const char *what, long long min, long long *out)
{
	if (gg_ynode_int(out, n) < 0 || *out < min)
		return gg_policy__bad(ld, n, "'%s' must be an integer >= %lld",
				      what, min);
	return 0;
}

int gg_policy__bool(const struct gg_policy_loader *ld, const struct gg_ynode *n,
		    const char *what, int *out)
{
	if (gg_ynode_bool(out, n) < 0)
		return gg_policy__bad(ld, n, "'%s' must be true or false",
				      what);
	return 0;
}

/* A list of strings (a single string is taken as a list of one). */
int gg_policy__strs(const struct gg_policy_loader *ld, const struct gg_ynode *n,
		    const char *what, struct gg_strvec *out)
{
	const char *s;
	size_t i;
	int err;

	if (n && n->kind == GG_YSCALAR && !gg_ynode_is_null(n)) {
		if ((err = gg_policy__str(ld, n, what, &s)) < 0)
			return err;
		gg_strvec_push(out, s);
		return 0;
	}
	if (!gg_ynode_is_seq(n))
		return gg_policy__bad(ld, n, "'%s' must be a list of strings",
				      what);
	for (i = 0; i < n->u.seq.nr; i++) {
		if ((err = gg_policy__str(ld, n->u.seq.items[i], what, &s)) < 0)
			return err;
		gg_strvec_push(out, s);
	}
	return 0;
}

int gg_policy__globs(const struct gg_policy_loader *ld,
		     const struct gg_ynode *n, const char *what,
		     struct gg_strvec *out)
{
	struct gg_glob g;
	size_t i, first = out->nr;
	int err;

	if ((err = gg_policy__strs(ld, n, what, out)) < 0)
		return err;
	for (i = first; i < out->nr; i++) {
		if (gg_glob_compile(&g, out->v[i]) < 0) {
			const struct gg_ynode *item =
				gg_ynode_is_seq(n) ? gg_ynode_item(n, i - first)
						   : n;

			return gg_policy__bad(ld, item,
					      "bad glob '%s' in '%s': %s",
					      out->v[i], what, gg_error_last());
		}
		gg_glob_release(&g);
	}
	return 0;
}

struct gg_glob *gg_policy__compile_globs(const struct gg_strvec *globs)
{
	struct gg_glob *g = gg_xcalloc(globs->nr + 1, sizeof(*g));
	size_t i;

	for (i = 0; i < globs->nr; i++)
		if (gg_glob_compile(&g[i], globs->v[i]) < 0)
			GG_BUG("glob '%s' passed validation but does not compile",
			       globs->v[i]);
	return g;
}

void gg_policy__free_globs(struct gg_glob *g, size_t n)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < n; i++)
		gg_glob_release(&g[i]);
	free(g);
}

int gg_policy_may_loosen(const struct gg_policy *p, enum gg_policy_layer layer,
			 const char *what)
{
	size_t i;

	if (layer <= GG_LAYER_SYSTEM)
		return 1;
	for (i = 0; i < p->allow_loosen.nr; i++)
		if (gg_glob_match_str(p->allow_loosen.v[i], what))
			return 1;
	return 0;
}

int gg_policy__may_loosen(const struct gg_policy_loader *ld, const char *what)
{
	return gg_policy_may_loosen(ld->p, ld->layer, what);
}

/* --- entry points --------------------------------------------------------- */

static const char *const top_keys[] = {
	"version", "repo_urls", "branches",	"environments",
	"apps",	   "owners",	"promoters",	"break_glass",
	"freeze",  "rules",	"packs",	"audit",
	"limits",  "identity",	"allow_loosen", NULL
};

static int walk(struct gg_policy_loader *ld, const struct gg_ynode *root)
{
	size_t i;
	int err;

	if (!root || gg_ynode_is_null(root))
		return gg_policy__bad(
			ld, NULL,
			"the policy is empty; it needs at least 'version: 1'");
	if ((err = gg_policy__want_map(ld, root, "policy")) < 0 ||
	    (err = gg_policy__check_keys(ld, root, "policy", top_keys)) < 0 ||
	    (err = gg_policy__want_version(ld, root, "policy")) < 0)
		return err;
	for (i = 0; i < root->u.map.nr; i++) {
		const char *key = gg_ynode_str(root->u.map.pairs[i].key);
		const struct gg_ynode *val = root->u.map.pairs[i].value;

		if ((err = gg_policy__section(ld, key, val)) < 0)
			return err;
	}
	return 0;
}

static int parse(struct gg_yfile **out, const char *source, const char *data,
		 size_t len)
{
	struct gg_ymark at = { 0, 0 };
	int err;

	if (len > MAX_POLICY_BYTES) {
		gg_error_set("%s: larger than %d bytes", source,
			     MAX_POLICY_BYTES);
		return GG_EINVALID;
	}
	if ((err = gg_yaml_parse(out, &at, data, len, NULL)) < 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", gg_error_last());
		if (at.line)
			gg_error_set("%s:%u:%u: %s", source, at.line, at.col,
				     msg);
		else
			gg_error_set("%s: %s", source, msg);
		return GG_EINVALID;
	}
	if ((*out)->ndocs > 1) {
		gg_error_set("%s:%u:1: a policy file holds one YAML document",
			     source, (*out)->docs[1].line);
		gg_yaml_free(*out);
		*out = NULL;
		return GG_EINVALID;
	}
	return 0;
}

int gg_policy_validate(const char *source, const char *data, size_t len)
{
	return gg_policy_validate_for(NULL, source, data, len);
}

int gg_policy_validate_for(const struct gg_policy *like, const char *source,
			   const char *data, size_t len)
{
	struct gg_policy scratch;
	struct gg_yfile *f = NULL;
	struct gg_policy_loader ld;
	int err;

	gg_policy_init(&scratch);
	if (like && like->avail)
		gg_policy__borrow_packs(&scratch, like->avail);
	ld.p = &scratch;
	ld.layer = GG_LAYER_SYSTEM;
	ld.source = source;
	ld.apply = 0;
	if ((err = parse(&f, source, data, len)) == 0)
		err = walk(&ld, f->ndocs ? f->docs[0].root : NULL);
	gg_yaml_free(f);
	gg_policy_release(&scratch);
	return err;
}

int gg_policy_load(struct gg_policy *p, enum gg_policy_layer layer,
		   const char *source, const char *data, size_t len)
{
	struct gg_yfile *f = NULL;
	struct gg_policy_loader ld;
	int err;

	ld.p = p;
	ld.layer = layer;
	ld.source = source;
	ld.apply = 0;
	if ((err = parse(&f, source, data, len)) < 0)
		goto out;
	if ((err = walk(&ld, f->ndocs ? f->docs[0].root : NULL)) < 0)
		goto out;
	ld.apply = 1;
	if ((err = walk(&ld, f->docs[0].root)) < 0)
		GG_BUG("policy '%s' validated but failed to apply: %s", source,
		       gg_error_last());
	gg_strvec_push(&p->sources, source);
out:
	gg_yaml_free(f);
	return err;
}

int gg_policy_load_file(struct gg_policy *p, enum gg_policy_layer layer,
			const char *path)
{
	struct gg_buf b = GG_BUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *f;
	int err = 0;

	gg_buf_init(&b, MAX_POLICY_BYTES + 1);
	f = fopen(path, "r");
	if (!f) {
		gg_error_set("cannot open policy '%s': %s", path,
			     strerror(errno));
		return errno == ENOENT ? GG_ENOTFOUND : GG_ERROR;
	}
	while (!err && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		err = gg_buf_add(&b, chunk, n);
	if (!err && ferror(f)) {
		gg_error_set("cannot read policy '%s'", path);
		err = GG_ERROR;
	}
	fclose(f);
	if (err == GG_ELIMIT)
		gg_error_set("%s: larger than %d bytes", path,
			     MAX_POLICY_BYTES);
	if (!err)
		err = gg_policy_load(p, layer, path, b.buf, b.len);
	gg_buf_release(&b);
	return err < 0 ? (err == GG_ELIMIT ? GG_EINVALID : err) : 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int gg_policy_load_system(struct gg_policy *p)
{
	const char *path = gg_policy_system_path(), *slash = strrchr(path, '/');
	char *dir =
		slash ? gg_xasprintf("%.*s/policy.d", (int)(slash - path), path)
		      : gg_xstrdup("policy.d");
	struct gg_strvec files = GG_STRVEC_INIT;
	struct dirent *e;
	DIR *d;
	size_t i;
	int err;

	err = gg_policy_load_file(p, GG_LAYER_SYSTEM, path);
	if (err == GG_ENOTFOUND)
		err = 0;
	d = err ? NULL : opendir(dir);
	while (d && (e = readdir(d))) {
		size_t n = strlen(e->d_name);

		if (e->d_name[0] != '.' && n > 5 &&
		    !strcmp(e->d_name + n - 5, ".yaml"))
			gg_strvec_push_take(
				&files, gg_xasprintf("%s/%s", dir, e->d_name));
	}
	if (d)
		closedir(d);
	if (files.nr > 1)
		qsort(files.v, files.nr, sizeof(*files.v), cmp_names);
	for (i = 0; i < files.nr && !err; i++)
		err = gg_policy_load_file(p, GG_LAYER_SYSTEM, files.v[i]);
	gg_strvec_release(&files);
	free(dir);
	return err;
}
