/*
 * What pack rules match, without a repository: field paths and their
 * walk over a YAML object, the pattern / absent / equals tests, kinds,
 * and the placeholders of messages.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pack.h"
#include "regex.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_STEPS 32
#define MAX_PATH_TEXT 4096
#define MAX_VALUE 120

/* --- field paths ---------------------------------------------------------- */

static int key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '$' ||
	       c == '@';
}

static struct gg_fstep *add_step(struct gg_fpath *fp, enum gg_fstep_kind kind)
{
	struct gg_fstep *s;

	fp->steps = gg_xrealloc(fp->steps, gg_st_mult(fp->nr + 1, sizeof(*s)));
	s = &fp->steps[fp->nr++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	return s;
}

static int bad(const char *text, const char *at, const char *what)
{
	gg_error_set("%s at character %zu", what, (size_t)(at - text) + 1);
	return GG_EINVALID;
}

/* One subscript after '[': *, N or a quoted key; `*p` ends after ']'. */
static int subscript(struct gg_fpath *fp, const char *text, const char **p)
{
	const char *s = *p, *end;
	size_t n = 0;

	if (*s == '*' && s[1] == ']') {
		add_step(fp, GG_FSTEP_EVERY);
		*p = s + 2;
		return 0;
	}
	if (*s == '"' || *s == '\'') {
		end = strchr(s + 1, *s);
		if (!end || end == s + 1 || end[1] != ']')
			return bad(text, s, "expected a quoted key and ']'");
		add_step(fp, GG_FSTEP_KEY)->key =
			gg_xstrndup(s + 1, (size_t)(end - s - 1));
		*p = end + 2;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return bad(text, s, "expected '*', a number or a quoted key");
	for (end = s; *end >= '0' && *end <= '9'; end++) {
		if (end - s >= 6)
			return bad(text, s, "index too large");
		n = n * 10 + (size_t)(*end - '0');
	}
	if (*end != ']')
		return bad(text, end, "expected ']'");
	add_step(fp, GG_FSTEP_INDEX)->index = n;
	*p = end + 1;
	return 0;
}

int gg_fpath_parse(struct gg_fpath *out, const char *text)
{
	const char *p = text;
	int err = 0;

	memset(out, 0, sizeof(*out));
	while (!err) {
		const char *k = p;

		while (key_char(*p))
			p++;
		if (p == k)
			return bad(text, p, "expected a key");
		add_step(out, GG_FSTEP_KEY)->key =
			gg_xstrndup(k, (size_t)(p - k));
		while (!err && *p == '[') {
			p++;
			err = subscript(out, text, &p);
		}
		if (err)
			break;
		if (out->nr > MAX_STEPS)
			return bad(text, p, "more than 32 steps");
		if (!*p)
			return 0;
		if (*p != '.')
			return bad(text, p, "expected '.', '[' or the end");
		p++;
	}
	return err;
}

void gg_fpath_release(struct gg_fpath *fp)
{
	size_t i;

	for (i = 0; i < fp->nr; i++)
		free(fp->steps[i].key);
	free(fp->steps);
	memset(fp, 0, sizeof(*fp));
}

struct walk {
	const struct gg_fpath *fp;
	gg_fhit_fn fn;
	void *payload;
	struct gg_buf path;
};

static void add_key(struct gg_buf *b, const char *key)
{
	const char *k;

	for (k = key; *k && key_char(*k); k++)
		;
	if (*key && !*k)
		gg_buf_addf(b, "%s%s", b->len ? "." : "", key);
	else
		gg_buf_addf(b, "[\"%s\"]", key);
}

static void add_step_text(struct gg_buf *b, const struct gg_fstep *s)
{
	if (s->kind == GG_FSTEP_KEY)
		add_key(b, s->key);
	else if (s->kind == GG_FSTEP_INDEX)
		gg_buf_addf(b, "[%zu]", s->index);
	else
		gg_buf_adds(b, "[*]");
}

/* A missing value at step i: absent, unless a [*] lies ahead. */
static int missing(struct walk *w, size_t i, const struct gg_ynode *near)
{
	struct gg_fhit hit;
	size_t j, len = w->path.len;
	int ret;

	for (j = i; j < w->fp->nr; j++)
		if (w->fp->steps[j].kind == GG_FSTEP_EVERY)
			return 0;
	for (j = i; j < w->fp->nr; j++)
		add_step_text(&w->path, &w->fp->steps[j]);
	hit.node = NULL;
	hit.near = near;
	hit.path = w->path.buf;
	ret = w->fn(&hit, w->payload);
	gg_buf_setlen(&w->path, len);
	return ret;
}

static int descend(struct walk *w, size_t i, const struct gg_ynode *n);

static int every(struct walk *w, size_t i, const struct gg_ynode *n)
{
	size_t k, len = w->path.len;
	int ret = 0;

	if (gg_ynode_is_seq(n)) {
		for (k = 0; k < n->u.seq.nr && !ret; k++) {
			gg_buf_addf(&w->path, "[%zu]", k);
			ret = descend(w, i + 1, n->u.seq.items[k]);
			gg_buf_setlen(&w->path, len);
		}
	} else if (gg_ynode_is_map(n)) {
		for (k = 0; k < n->u.map.nr && !ret; k++) {
			const char *key = gg_ynode_str(n->u.map.pairs[k].key);

			add_key(&w->path, key ? key : "?");
			ret = descend(w, i + 1, n->u.map.pairs[k].value);
			gg_buf_setlen(&w->path, len);
		}
	}
	return ret;
}

static int descend(struct walk *w, size_t i, const struct gg_ynode *n)
{
	const struct gg_fstep *s;
	const struct gg_ynode *child = NULL;
	size_t len = w->path.len;
	int ret;

	if (i == w->fp->nr) {
		struct gg_fhit hit = { n, n, w->path.buf };

		return w->fn(&hit, w->payload);
	}
	s = &w->fp->steps[i];
	if (s->kind == GG_FSTEP_EVERY)
		return every(w, i, n);
	if (s->kind == GG_FSTEP_KEY)
		child = gg_ynode_get(n, s->key);
	else
		child = gg_ynode_item(n, s->index);
	if (!child || gg_ynode_is_null(child))
		return missing(w, i, child ? child : n);
	add_step_text(&w->path, s);
	ret = descend(w, i + 1, child);
	gg_buf_setlen(&w->path, len);
	return ret;
}

int gg_fpath_walk(const struct gg_fpath *fp, const struct gg_ynode *root,
		  gg_fhit_fn fn, void *payload)
{
	struct walk w;
	int ret;

	w.fp = fp;
	w.fn = fn;
	w.payload = payload;
	gg_buf_init(&w.path, MAX_PATH_TEXT);
	ret = root ? descend(&w, 0, root) : missing(&w, 0, NULL);
	gg_buf_release(&w.path);
	return ret;
}

/* --- tests ---------------------------------------------------------------- */

static int empty(const struct gg_ynode *v)
{
	if (!v || gg_ynode_is_null(v))
		return 1;
	if (v->kind == GG_YSCALAR)
		return !v->u.scalar.len;
	return !gg_ynode_count(v);
}

static int equal(const struct gg_ynode *want, const struct gg_ynode *v)
{
	double wn, vn;
	int wb, vb;

	if (!v || v->kind != GG_YSCALAR || gg_ynode_is_null(v))
		return 0;
	if (!(want->flags & GG_YQUOTED)) {
		if (gg_ynode_bool(&wb, want) == 0)
			return gg_ynode_bool(&vb, v) == 0 && vb == wb;
		if (gg_ynode_double(&wn, want) == 0)
			return gg_ynode_double(&vn, v) == 0 && !(vn < wn) &&
			       !(vn > wn);
	}
	return v->u.scalar.len == want->u.scalar.len &&
	       !memcmp(v->u.scalar.s, want->u.scalar.s, v->u.scalar.len);
}

int gg_pack_field_fires(const struct gg_pack_field *f, const struct gg_ynode *v)
{
	int ret;

	switch (f->test) {
	case GG_PACK_ABSENT: return empty(v);
	case GG_PACK_EQUALS: return equal(f->equals, v);
	case GG_PACK_PATTERN:
		if (!v || v->kind != GG_YSCALAR || gg_ynode_is_null(v))
			return 0;
		ret = gg_regex_search(f->re, v->u.scalar.s, v->u.scalar.len,
				      NULL, NULL);
		return ret < 0 ? GG_ELIMIT : ret;
	}
	GG_BUG("unknown field test");
}

int gg_pack_kind_match(const struct gg_pack_kind *k, const char *api_version,
		       const char *kind)
{
	size_t n;

	if (!kind || (strcmp(k->kind, "*") && strcmp(k->kind, kind)))
		return 0;
	if (!k->api)
		return 1;
	if (!api_version)
		return 0;
	n = strlen(k->api);
	return !strncmp(api_version, k->api, n) &&
	       (api_version[n] == '\0' || api_version[n] == '/');
}

int gg_pack_rule_kinds(const struct gg_pack_rule *r, const char *api_version,
		       const char *kind)
{
	size_t i;

	if (!r->nkinds)
		return !!kind;
	for (i = 0; i < r->nkinds; i++)
		if (gg_pack_kind_match(&r->kinds[i], api_version, kind))
			return 1;
	return 0;
}

struct fire {
	const struct gg_pack_field *f;
	gg_fhit_fn fn; /* NULL: only find out whether the field fires */
	void *payload;
	int *limited;
};

static int fire_one(const struct gg_fhit *hit, void *payload)
{
	struct fire *fi = payload;
	int ret = gg_pack_field_fires(fi->f, hit->node);

	if (ret == GG_ELIMIT) {
		*fi->limited = 1;
		return 0;
	}
	if (!ret)
		return 0;
	return fi->fn ? fi->fn(hit, fi->payload) : 1;
}

static int field_walk(struct fire *fi, const struct gg_ynode *root)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < fi->f->npaths && !ret; i++)
		ret = gg_fpath_walk(&fi->f->paths[i], root, fire_one, fi);
	return ret;
}

int gg_pack_rule_fire(const struct gg_pack_rule *r, const struct gg_ynode *root,
		      gg_fhit_fn fn, void *payload, int *limited)
{
	struct fire fi = { NULL, NULL, NULL, limited };
	size_t i;

	if (!r->nfields) {
		struct gg_fhit hit = { root, root, "" };

		return fn(&hit, payload);
	}
	for (i = 1; i < r->nfields; i++) {
		fi.f = &r->fields[i];
		if (field_walk(&fi, root) != 1)
			return 0;
	}
	fi.f = &r->fields[0];
	fi.fn = fn;
	fi.payload = payload;
	return field_walk(&fi, root);
}

/* --- messages ------------------------------------------------------------- */

static const char *const placeholders[] = { "name",	  "namespace", "kind",
					    "apiVersion", "path",      "value",
					    "file",	  "env",       NULL };

/* The placeholder index of "{word}" at `s`, -1 for another {word}, -2
 * when `s` does not start a {word}; *len is its length. */
static int placeholder(const char *s, size_t *len)
{
	size_t n = 1, i;

	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z'))
		n++;
	if (n == 1 || s[n] != '}')
		return -2;
	*len = n + 1;
	for (i = 0; placeholders[i]; i++)
		if (strlen(placeholders[i]) == n - 1 &&
		    !strncmp(placeholders[i], s + 1, n - 1))
			return (int)i;
	return -1;
}

static void add_value(struct gg_buf *out, const char *v)
{
	size_t n = strlen(v);

	if (n <= MAX_VALUE) {
		gg_buf_add(out, v, n);
		return;
	}
	n = MAX_VALUE;
	while (n && ((unsigned char)v[n] & 0xc0) == 0x80)
		n--; /* not inside a UTF-8 sequence */
	gg_buf_add(out, v, n);
	gg_buf_adds(out, "...");
}

void gg_pack_format(struct gg_buf *out, const char *tmpl,
		    const struct gg_pack_vars *v)
{
	const char *vals[8];
	const char *p = tmpl;

	vals[0] = v->name;
	vals[1] = v->namespace_;
	vals[2] = v->kind;
	vals[3] = v->api_version;
	vals[4] = v->path;
	vals[5] = v->value;
	vals[6] = v->file;
	vals[7] = v->env;
	while (*p) {
		const char *brace = strchr(p, '{');
		size_t len = 0;
		int i;

		if (!brace) {
			gg_buf_adds(out, p);
			break;
		}
		gg_buf_add(out, p, (size_t)(brace - p));
		i = placeholder(brace, &len);
		if (i < 0) {
			gg_buf_addch(out, '{');
			p = brace + 1;
			continue;
		}
		add_value(out, vals[i] ? vals[i] : "");
		p = brace + len;
	}
}

int gg_pack_template_check(const char *tmpl)
{
	const char *p;
	size_t len;

	for (p = strchr(tmpl, '{'); p; p = strchr(p + 1, '{')) {
		if (placeholder(p, &len) == -1) {
			gg_error_set(
				"unknown placeholder '%.*s' (known: {name}, "
				"{namespace}, {kind}, {apiVersion}, "
				"{path}, {value}, {file}, {env})",
				(int)len, p);
			return GG_EINVALID;
		}
	}
	return 0;
}
