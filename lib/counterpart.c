/*
 * Finding a file's counterparts in a lower environment tier from the
 * directory listings of the trees (counterpart.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "counterpart.h"
#include "envs.h"
#include "xalloc.h"
#include "banned.h"

void gg_counterparts_init(struct gg_counterparts *c)
{
	memset(c, 0, sizeof(*c));
}

void gg_counterparts_release(struct gg_counterparts *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++) {
		free(c->v[i].path);
		free(c->v[i].scope);
	}
	free(c->v);
	gg_counterparts_init(c);
}

size_t gg_counterparts_existing(const struct gg_counterparts *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->nr; i++)
		n += c->v[i].exists;
	return n;
}

/* A word that names an environment: a built-in name or a policy one. */
static int env_word(const struct gg_policy *p, const char *w, size_t n)
{
	const char *const *names;
	size_t i;
	int t;

	for (t = 0; (names = gg_env_aliases(t)); t++)
		for (i = 0; names[i]; i++)
			if (strlen(names[i]) == n && !strncmp(names[i], w, n))
				return 1;
	for (i = 0; p->envs_set && i < p->nenvs; i++)
		if (strlen(p->envs[i].name) == n &&
		    !strncmp(p->envs[i].name, w, n))
			return 1;
	return 0;
}

static void add(struct gg_counterparts *out, const struct gg_policy *p,
		char *path, char *scope, int is_file, int exists)
{
	struct gg_counterpart *c;
	struct gg_env env;
	size_t i;

	for (i = 0; i < out->nr; i++) {
		if (!strcmp(out->v[i].path, path)) {
			free(path);
			free(scope);
			return;
		}
	}
	GG_ALLOC_GROW(out->v, out->nr + 1, out->alloc);
	c = &out->v[out->nr++];
	memset(c, 0, sizeof(*c));
	c->path = path;
	c->scope = scope;
	c->scope_is_file = is_file;
	c->exists = exists;
	gg_env_of_path(&env, p, path, 0);
	snprintf(c->env, sizeof(c->env), "%s", env.name);
}

/*
 * The part of file name `base` that names an environment (the last
 * one, as the recognition takes the deepest): its offset and length.
 */
static int file_site(const struct gg_policy *p, const char *base, size_t *off,
		     size_t *len)
{
	const char *q = base;
	int found = 0;

	while (*q) {
		size_t m = strcspn(q, "-_.");

		if (m && env_word(p, q, m)) {
			*off = (size_t)(q - base);
			*len = m;
			found = 1;
		}
		q += m;
		if (*q)
			q++;
	}
	return found;
}

/* values-prod.yaml: siblings values-<x>.yaml in the wanted tier. */
static int by_file_name(struct gg_counterparts *out, const struct gg_policy *p,
			const char *path, int tier, gg_dir_lister list,
			void *payload)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t dirlen = slash ? (size_t)(slash - path) : 0, off = 0, len = 0, i;
	size_t tail;
	const struct gg_strvec *entries;
	char *dir;
	int err;

	if (!file_site(p, base, &off, &len))
		return 0;
	out->site_found = 1;
	tail = strlen(base) - off - len;
	dir = gg_xstrndup(path, dirlen);
	err = list(&entries, dir, payload);
	for (i = 0; !err && i < entries->nr; i++) {
		const char *e = entries->v[i];
		size_t n = strlen(e);
		struct gg_env env;
		char *cand;

		if (n <= off + tail || e[n - 1] == '/' || !strcmp(e, base) ||
		    strncmp(e, base, off) ||
		    strcmp(e + n - tail, base + off + len) ||
		    memchr(e + off, '/', n - off - tail))
			continue;
		cand = dirlen ? gg_xasprintf("%s/%s", dir, e) : gg_xstrdup(e);
		gg_env_of_path(&env, p, cand, 0);
		if (env.tier == tier && !env.later)
			add(out, p, cand, gg_xstrdup(cand), 1, 1);
		else
			free(cand);
	}
	free(dir);
	return err;
}

/* Does directory `dir` exist (list anything)? */
static int dir_exists(const char *dir, gg_dir_lister list, void *payload)
{
	const struct gg_strvec *entries;
	int err = list(&entries, dir, payload);

	return err < 0 ? err : entries->nr > 0;
}

/* The first `alen` bytes of `a`, then `blen` of `b`, then `c`: a
 * candidate path, built for every sibling of a directory. */
static char *splice(const char *a, size_t alen, const char *b, size_t blen,
		    const char *c)
{
	size_t clen = strlen(c);
	char *s = gg_xmalloc(alen + blen + clen + 1);

	memcpy(s, a, alen);
	memcpy(s + alen, b, blen);
	memcpy(s + alen + blen, c, clen + 1);
	return s;
}

/*
 * Replace the directory segment [seg, seg+seglen) of `path` by each
 * sibling directory; keep those in the wanted tier.  Returns how many
 * candidates were in the tier, or a negative error.
 */
static int replace_segment(struct gg_counterparts *out,
			   const struct gg_policy *p, const char *path,
			   size_t seg, size_t seglen, int tier,
			   gg_dir_lister list, void *payload)
{
	const struct gg_strvec *entries;
	char *parent = gg_xstrndup(path, seg ? seg - 1 : 0);
	const char *rest = path + seg + seglen; /* "/a/b/file.yaml" */
	const char *rest_dir_end = strrchr(rest, '/');
	int err, found = 0;
	size_t i;

	err = list(&entries, parent, payload);
	for (i = 0; !err && i < entries->nr; i++) {
		const char *e = entries->v[i];
		size_t n = strlen(e);
		struct gg_env env;
		char *cand, *scope;
		int exists;

		if (n < 2 || e[n - 1] != '/' ||
		    (n - 1 == seglen && !strncmp(e, path + seg, seglen)))
			continue;
		cand = splice(path, seg, e, n - 1, rest);
		gg_env_of_path(&env, p, cand, 0);
		if (env.tier != tier || env.later) {
			free(cand);
			continue;
		}
		found++;
		scope = gg_xasprintf("%.*s%.*s%.*s", (int)seg, path,
				     (int)(n - 1), e,
				     (int)(rest_dir_end - rest), rest);
		exists = dir_exists(scope, list, payload);
		if (exists < 0) {
			err = exists;
			free(cand);
			free(scope);
			break;
		}
		add(out, p, cand, scope, 0, exists);
	}
	free(parent);
	return err < 0 ? err : found;
}

int gg_counterparts_find(struct gg_counterparts *out, const struct gg_policy *p,
			 const char *path, int tier, gg_dir_lister list,
			 void *payload)
{
	size_t ends[64], n = 0, i;
	const char *q;
	int err;

	if ((err = by_file_name(out, p, path, tier, list, payload)) < 0 ||
	    gg_counterparts_existing(out))
		return err;
	/* the directory segments, deepest first */
	for (q = path; (q = strchr(q, '/')) && n < 64; q++)
		ends[n++] = (size_t)(q - path);
	for (i = n; i-- > 0;) {
		size_t start = i ? ends[i - 1] + 1 : 0;

		err = replace_segment(out, p, path, start, ends[i] - start,
				      tier, list, payload);
		if (err < 0)
			return err;
		if (err > 0) {
			out->site_found = 1;
			return 0;
		}
	}
	return 0;
}

char *gg_app_name_key(const struct gg_policy *p, const char *name, int loose)
{
	struct gg_buf b = GG_BUF_INIT;
	const char *q = name;
	int skip_next = 0;

	while (*q) {
		size_t m = strcspn(q, "-_.");

		if (m && env_word(p, q, m)) {
			skip_next = loose;
		} else if (m && skip_next) {
			skip_next = 0;
		} else if (m) {
			if (b.len)
				gg_buf_addch(&b, '-');
			gg_buf_add(&b, q, m);
		}
		q += m;
		if (*q)
			q++;
	}
	if (loose && !b.len) {
		gg_buf_release(&b);
		return gg_app_name_key(p, name, 0);
	}
	return gg_buf_detach(&b, NULL);
}

static int same_app(const struct gg_policy *p, const struct gg_app *a,
		    const struct gg_app *b)
{
	char *sa = gg_app_name_key(p, a->name, 0);
	char *sb = gg_app_name_key(p, b->name, 0);
	char *la = gg_app_name_key(p, a->name, 1);
	char *lb = gg_app_name_key(p, b->name, 1);
	int same = (*sa && !strcmp(sa, sb)) || (*la && !strcmp(la, lb)) ||
		   (!*sa && !*sb && a->generator && b->generator &&
		    !strcmp(a->generator, b->generator));

	free(sa);
	free(sb);
	free(la);
	free(lb);
	return same;
}

/*
 * Is app `b` evidence for tier `tier`?  Its environment counts when the
 * layers that may loosen placed it there: a policy apps entry of such a
 * layer named it, or its root is in that tier by a glob of such a layer
 * (or the built-in recognition).  An in-repo entry that names a lower
 * environment for a folder of another one, or of none, is not.
 */
static int in_tier(const struct gg_policy *p, const struct gg_app *b, int tier)
{
	struct gg_env env;

	if (b->tier != tier)
		return 0;
	if (b->env_declared > 0)
		return 1;
	gg_env_of_path(&env, p, b->root, 1);
	return env.tier == tier && !env.later;
}

static void apps_in_tier(struct gg_counterparts *out, const struct gg_policy *p,
			 const struct gg_app *a, const struct gg_appindex *idx,
			 int tier)
{
	size_t i;

	for (i = 0; idx && i < idx->napps; i++) {
		const struct gg_app *b = &idx->apps[i];

		if (!in_tier(p, b, tier) || !same_app(p, a, b))
			continue;
		add(out, p, gg_xstrdup(b->root), gg_xstrdup(b->root), 0, 1);
	}
}

void gg_counterparts_by_app(struct gg_counterparts *out,
			    const struct gg_policy *p,
			    const struct gg_appindex *now,
			    const struct gg_appindex *before, const char *path,
			    int from, int tier)
{
	size_t *owners = NULL, nowners = 0, alloc = 0, i;

	gg_appindex_owners(now, path, &owners, &nowners, &alloc);
	for (i = 0; i < nowners; i++) {
		const struct gg_app *a = &now->apps[owners[i]];

		if (a->tier != from)
			continue;
		apps_in_tier(out, p, a, now, tier);
		apps_in_tier(out, p, a, before, tier);
	}
	free(owners);
}
