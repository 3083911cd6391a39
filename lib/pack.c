/*
 * Loading rule packs: the pack path, one file per pack (validated by
 * pack-parse.c), packs that do not load kept with their error, and the
 * lookups the policy resolves pack rule ids with.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pack-internal.h"
#include "policy-internal.h"
#include "regex.h"
#include "xalloc.h"
#include "banned.h"


const struct gg_param_spec gg_pack_params[] = {
	{ "exclude_paths", GG_PARAM_STRINGS, GG_TIGHTER_FEWER, "[]",
	  "globs of files the rule does not judge" },
	{ "environments", GG_PARAM_STRINGS, GG_TIGHTER_FIXED, "[]",
	  "environments (names or tiers) the rule judges instead of those "
	  "its pack names; empty: as the pack says" },
	{ NULL, 0, 0, NULL, NULL }
};

const char *gg_packs_path(void)
{
	const char *env = getenv("GITOPS_GUARD_PACK_DIR");

	return env && *env ? env : GG_PACK_DIRS;
}

/* --- freeing -------------------------------------------------------------- */

static void field_release(struct gg_pack_field *f)
{
	size_t i;

	for (i = 0; i < f->npaths; i++)
		gg_fpath_release(&f->paths[i]);
	free(f->paths);
	gg_regex_free(f->re);
}

static void rule_release(struct gg_pack_rule *r)
{
	size_t i;

	free(r->id);
	gg_strvec_release(&r->envs);
	for (i = 0; i < r->nkinds; i++) {
		free(r->kinds[i].api);
		free(r->kinds[i].kind);
	}
	free(r->kinds);
	gg_policy__free_globs(r->globs, r->paths.nr);
	gg_strvec_release(&r->paths);
	for (i = 0; i < r->nfields; i++)
		field_release(&r->fields[i]);
	free(r->fields);
	for (i = 0; i < r->nexamples; i++) {
		gg_strvec_release(&r->examples[i].before);
		gg_strvec_release(&r->examples[i].files);
	}
	free(r->examples);
}

/* Drop everything but the name and the file (a pack that failed). */
static void pack_clear(struct gg_pack *pk)
{
	size_t i;

	for (i = 0; i < pk->nrules; i++)
		rule_release(&pk->rules[i]);
	free(pk->rules);
	pk->rules = NULL;
	pk->nrules = 0;
	pk->description = NULL;
	gg_yaml_free(pk->yaml);
	pk->yaml = NULL;
}

struct gg_packs *gg_packs_new(void)
{
	struct gg_packs *ps = gg_xcalloc(1, sizeof(*ps));

	gg_strvec_init(&ps->notes);
	return ps;
}

void gg_packs_free(struct gg_packs *ps)
{
	size_t i;

	if (!ps)
		return;
	for (i = 0; i < ps->nr; i++) {
		pack_clear(ps->v[i]);
		free(ps->v[i]->name);
		free(ps->v[i]->file);
		free(ps->v[i]->error);
		free(ps->v[i]);
	}
	free(ps->v);
	gg_strvec_release(&ps->notes);
	free(ps);
}

static struct gg_pack *pack_add(struct gg_packs *ps, const char *name,
				const char *file)
{
	struct gg_pack *pk = gg_xcalloc(1, sizeof(*pk));

	pk->name = gg_xstrdup(name);
	pk->file = gg_xstrdup(file);
	GG_ALLOC_GROW(ps->v, ps->nr + 1, ps->alloc);
	ps->v[ps->nr++] = pk;
	return pk;
}

int gg_packs_load_buffer(struct gg_packs *ps, const char *name,
			 const char *source, const char *data, size_t len)
{
	struct gg_pack *pk;
	int err;

	if (gg_packs_find(ps, name))
		GG_BUG("pack '%s' loaded twice", name);
	pk = pack_add(ps, name, source);
	if ((err = gg_pack__parse(pk, source, data, len)) < 0) {
		pk->error = gg_xstrdup(gg_error_last());
		pack_clear(pk);
	}
	return err;
}

/* "dir/baseline.yaml" -> "baseline"; NULL for other names. */
static char *pack_name_of(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (base[0] == '.')
		return NULL;
	if (n > 5 && !strcmp(base + n - 5, ".yaml"))
		return gg_xstrndup(base, n - 5);
	if (n > 4 && !strcmp(base + n - 4, ".yml"))
		return gg_xstrndup(base, n - 4);
	return NULL;
}

int gg_packs_load_file(struct gg_packs *ps, const char *path)
{
	struct gg_buf b = GG_BUF_INIT;
	char *name = pack_name_of(path), chunk[8192];
	FILE *f = NULL;
	size_t n;
	int err = 0;

	if (!name) {
		gg_error_set("%s: a pack file is named <name>.yaml", path);
		return GG_EINVALID;
	}
	gg_buf_init(&b, MAX_PACK_BYTES + 1);
	if (!(f = fopen(path, "r"))) {
		gg_error_set("cannot open pack '%s': %s", path,
			     strerror(errno));
		err = errno == ENOENT ? GG_ENOTFOUND : GG_ERROR;
	}
	while (!err && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		err = gg_buf_add(&b, chunk, n);
	if (f && !err && ferror(f)) {
		gg_error_set("cannot read pack '%s': %s", path,
			     strerror(errno));
		err = GG_ERROR;
	}
	if (f)
		fclose(f);
	if (err == GG_ELIMIT)
		gg_error_set("%s: larger than %d bytes", path, MAX_PACK_BYTES);
	if (!err)
		err = gg_packs_load_buffer(ps, name, path, b.buf, b.len);
	else if (err != GG_ENOTFOUND)
		pack_add(ps, name, path)->error = gg_xstrdup(gg_error_last());
	gg_buf_release(&b);
	free(name);
	return err == GG_ELIMIT ? GG_EINVALID : err;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_dir(struct gg_packs *ps, const char *dir)
{
	struct gg_strvec files = GG_STRVEC_INIT;
	struct dirent *e;
	DIR *d = opendir(dir);
	size_t i;

	if (!d) {
		if (errno != ENOENT && errno != ENOTDIR)
			gg_strvec_push_take(
				&ps->notes,
				gg_xasprintf("cannot read pack directory "
					     "'%s': %s",
					     dir, strerror(errno)));
		return;
	}
	while ((e = readdir(d))) {
		char *name = pack_name_of(e->d_name);

		if (name)
			gg_strvec_push_take(
				&files, gg_xasprintf("%s/%s", dir, e->d_name));
		free(name);
	}
	closedir(d);
	if (files.nr > 1)
		qsort(files.v, files.nr, sizeof(*files.v), cmp_names);
	for (i = 0; i < files.nr; i++) {
		char *name = pack_name_of(files.v[i]);
		const struct gg_pack *seen = gg_packs_find(ps, name);

		if (seen)
			gg_strvec_push_take(
				&ps->notes,
				gg_xasprintf("pack file '%s' is hidden by '%s'",
					     files.v[i], seen->file));
		else
			(void)gg_packs_load_file(ps, files.v[i]);
		free(name);
	}
	gg_strvec_release(&files);
}

void gg_packs_load_dirs(struct gg_packs *ps, const char *dirs)
{
	const char *p = dirs ? dirs : gg_packs_path();

	while (*p) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *dir = gg_xstrndup(p, n);

		if (n)
			load_dir(ps, dir);
		free(dir);
		p += n + !!end;
	}
	gg_error_clear();
}

/* --- lookups -------------------------------------------------------------- */

const struct gg_pack *gg_packs_find(const struct gg_packs *ps, const char *name)
{
	size_t i;

	for (i = 0; ps && i < ps->nr; i++)
		if (!strcmp(ps->v[i]->name, name))
			return ps->v[i];
	return NULL;
}

const struct gg_pack_rule *gg_packs_rule(const struct gg_packs *ps,
					 const char *id)
{
	const char *slash = strchr(id, '/');
	size_t i, j;

	if (!slash)
		return NULL;
	for (i = 0; ps && i < ps->nr; i++) {
		const struct gg_pack *pk = ps->v[i];

		if (strncmp(pk->name, id, (size_t)(slash - id)) ||
		    pk->name[slash - id])
			continue;
		for (j = 0; j < pk->nrules; j++)
			if (!strcmp(pk->rules[j].name, slash + 1))
				return &pk->rules[j];
	}
	return NULL;
}

size_t gg_packs_nrules(const struct gg_packs *ps)
{
	size_t i, n = 0;

	for (i = 0; ps && i < ps->nr; i++)
		n += ps->v[i]->nrules;
	return n;
}
