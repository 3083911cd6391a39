/*
 * The definitions cache: a line-oriented text file per tree, read back
 * in place (fields are unescaped inside the file's own buffer), its
 * delta form (gg_defs__delta), and the choice between loading, updating
 * from a diff, and scanning.  The files live in defs-store.c.
 *
 * Format, one record per line, fields separated by tabs, "\N" for an
 * absent value and \\ \t \n \r escapes:
 *
 *   gitops-guard-defs 4 <tree>
 *   F path blob kinds napps nkss nrepos     a definition file, then its
 *   A line name ns project server dname dns automated enabled prune
 *     self_heal allow_empty cascade skip nsources        Applications,
 *   S repo path revision chart recurse include exclude tag_prefix
 *                                                        their sources,
 *   K line name ns path prune suspend skind sname sns tns sa deletion
 *   R line name ns url branch ignore tag semver refname
 *   Z path dir blob invalid remote nresources nothers refs...
 *   C path                                   a Chart.yaml
 *   I path                                   a .sourceignore
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "defs-internal.h"
#include "xalloc.h"
#include "banned.h"

/*
 * The versions name what a set means, not only how it is written: 3 is
 * the first whose scan expands Lists (an Application that is the item
 * of a v1 List is a definition), 4 the first that keeps what a source
 * follows (Argo CD tagPrefix, a GitRepository's tag, semver or name), 5
 * the first that also reads files whose escapes could spell the API
 * groups, 6 the first that counts escaped NEL, LS and PS and !!binary
 * scalars among those, so files of a build that did not are refused and
 * the tree is scanned again.
 */
#define FORMAT "gitops-guard-defs 6"
#define DELTA_FORMAT "gitops-guard-defs-delta 5"

int gg_defs__sorted_has(const struct gg_strvec *v, const char *s)
{
	size_t lo = 0, hi = v->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v->v[mid], s);

		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* --- writing -------------------------------------------------------------- */

/* A tab and the field, escaped; runs without escapes go in one copy
 * (a cache of a 50,000-file tree is a few MB, written on every save). */
static void field(struct gg_buf *b, const char *s)
{
	size_t n;

	gg_buf_addch(b, '\t');
	if (!s) {
		gg_buf_add(b, "\\N", 2);
		return;
	}
	for (;;) {
		n = strcspn(s, "\\\t\n\r");
		gg_buf_add(b, s, n);
		s += n;
		switch (*s) {
		case '\0': return;
		case '\\': gg_buf_add(b, "\\\\", 2); break;
		case '\t': gg_buf_add(b, "\\t", 2); break;
		case '\n': gg_buf_add(b, "\\n", 2); break;
		default: gg_buf_add(b, "\\r", 2); break;
		}
		s++;
	}
}

static void num(struct gg_buf *b, long v)
{
	char digits[24], *p = digits + sizeof(digits);
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	*--p = '\t';
	gg_buf_add(b, p, (size_t)(digits + sizeof(digits) - p));
}

static void oid_field(struct gg_buf *b, const struct gg_oid *oid)
{
	char hex[GG_OID_HEXSZ + 1];

	gg_oid_to_hex(hex, oid);
	field(b, hex);
}

static void write_app(struct gg_buf *b, const struct gg_def_app *a)
{
	size_t i;

	gg_buf_adds(b, "A");
	num(b, a->line);
	field(b, a->name);
	field(b, a->namespace_);
	field(b, a->project);
	field(b, a->dest_server);
	field(b, a->dest_name);
	field(b, a->dest_namespace);
	num(b, a->automated);
	num(b, a->enabled);
	num(b, a->prune);
	num(b, a->self_heal);
	num(b, a->allow_empty);
	num(b, a->cascade);
	num(b, a->skip_reconcile);
	num(b, (long)a->nsources);
	gg_buf_addch(b, '\n');
	for (i = 0; i < a->nsources; i++) {
		const struct gg_def_source *s = &a->sources[i];

		gg_buf_adds(b, "S");
		field(b, s->repo_url);
		field(b, s->path);
		field(b, s->revision);
		field(b, s->chart);
		num(b, s->recurse);
		field(b, s->include);
		field(b, s->exclude);
		field(b, s->tag_prefix);
		gg_buf_addch(b, '\n');
	}
}

static void write_file(struct gg_buf *b, const struct gg_def_file *f)
{
	size_t i;

	gg_buf_adds(b, "F");
	field(b, f->path);
	oid_field(b, &f->blob);
	num(b, (long)f->kinds);
	num(b, (long)f->napps);
	num(b, (long)f->nkss);
	num(b, (long)f->nrepos);
	gg_buf_addch(b, '\n');
	for (i = 0; i < f->napps; i++)
		write_app(b, &f->apps[i]);
	for (i = 0; i < f->nkss; i++) {
		const struct gg_def_ks *k = &f->kss[i];

		gg_buf_adds(b, "K");
		num(b, k->line);
		field(b, k->name);
		field(b, k->namespace_);
		field(b, k->path);
		num(b, k->prune);
		num(b, k->suspend);
		field(b, k->source_kind);
		field(b, k->source_name);
		field(b, k->source_namespace);
		field(b, k->target_namespace);
		field(b, k->service_account);
		field(b, k->deletion_policy);
		gg_buf_addch(b, '\n');
	}
	for (i = 0; i < f->nrepos; i++) {
		const struct gg_def_gitrepo *r = &f->repos[i];

		gg_buf_adds(b, "R");
		num(b, r->line);
		field(b, r->name);
		field(b, r->namespace_);
		field(b, r->url);
		field(b, r->branch);
		field(b, r->ignore);
		field(b, r->tag);
		field(b, r->semver);
		field(b, r->refname);
		gg_buf_addch(b, '\n');
	}
}

void gg_defs_serialize(struct gg_buf *b, const struct gg_defs *d)
{
	char hex[GG_OID_HEXSZ + 1];
	size_t i, j;

	gg_oid_to_hex(hex, &d->tree);
	gg_buf_addf(b, "%s %s\n", FORMAT, hex);
	for (i = 0; i < d->nfiles; i++)
		write_file(b, &d->files[i]);
	for (i = 0; i < d->nkfiles; i++) {
		const struct gg_kfile *k = &d->kfiles[i];

		gg_buf_adds(b, "Z");
		field(b, k->path);
		field(b, k->dir);
		oid_field(b, &k->blob);
		num(b, k->invalid);
		num(b, k->remote);
		num(b, (long)k->nresources);
		num(b, (long)k->nothers);
		for (j = 0; j < k->nresources; j++)
			field(b, k->resources[j]);
		for (j = 0; j < k->nothers; j++)
			field(b, k->others[j]);
		gg_buf_addch(b, '\n');
	}
	for (i = 0; i < d->ncharts; i++) {
		gg_buf_adds(b, "C");
		field(b, d->charts[i]);
		gg_buf_addch(b, '\n');
	}
	for (i = 0; i < d->nignores; i++) {
		gg_buf_adds(b, "I");
		field(b, d->ignores[i]);
		gg_buf_addch(b, '\n');
	}
}

/*
 * A delta: the change from the set of `base` to the set of added->tree,
 * as the paths whose records went and a full set holding the records
 * added (parsed by gg_defs_parse, so it is checked the same way):
 *
 *   gitops-guard-defs-delta 3 <tree> <base>
 *   D path                                   records of path go
 *   gitops-guard-defs 4 <tree>               then the records added
 */
void gg_defs__delta(struct gg_buf *out, const struct gg_oid *base,
		    const struct gg_strvec *gone, const struct gg_defs *added)
{
	char hex[GG_OID_HEXSZ + 1], bhex[GG_OID_HEXSZ + 1];
	size_t i;

	gg_oid_to_hex(hex, &added->tree);
	gg_oid_to_hex(bhex, base);
	gg_buf_addf(out, "%s %s %s\n", DELTA_FORMAT, hex, bhex);
	for (i = 0; i < gone->nr; i++) {
		gg_buf_addch(out, 'D');
		field(out, gone->v[i]);
		gg_buf_addch(out, '\n');
	}
	gg_defs_serialize(out, added);
}

/* --- reading -------------------------------------------------------------- */

struct reader {
	char **fields; /* grows: a Z record has a field per reference */
	size_t n, alloc;
	int bad;
};

/* Split a line into fields and unescape them in place. */
static void split(struct reader *r, char *line)
{
	char *p = line;

	r->n = 0;
	for (;;) {
		char *start = p, *w;
		int absent = 0, last;
		size_t n;

		/* runs without a backslash stay where they are */
		p += strcspn(p, "\t\\");
		w = p;
		while (*p == '\\') {
			char c = p[1];

			if (!c) {
				*w++ = *p++; /* a final backslash */
				break;
			}
			p += 2;
			if (c == 'N')
				absent = 1;
			else
				*w++ = c == 't'	  ? '\t'
				       : c == 'n' ? '\n'
				       : c == 'r' ? '\r'
						  : c;
			n = strcspn(p, "\t\\");
			memmove(w, p, n);
			w += n;
			p += n;
		}
		last = !*p;
		*w = '\0';
		GG_ALLOC_GROW(r->fields, r->n + 1, r->alloc);
		r->fields[r->n++] = absent ? NULL : start;
		if (last)
			return;
		p++;
	}
}

/* A number in [min, max]; 0 (in every range used) when it is not one,
 * so that a refused count never sizes an allocation. */
static long get_num(struct reader *r, size_t i, long min, long max)
{
	char *end;
	long v;

	if (i >= r->n || !r->fields[i]) {
		r->bad = 1;
		return 0;
	}
	errno = 0;
	v = strtol(r->fields[i], &end, 10);
	if (end == r->fields[i] || *end || errno || v < min || v > max) {
		r->bad = 1;
		return 0;
	}
	return v;
}

static const char *get_str(struct reader *r, size_t i)
{
	if (i >= r->n) {
		r->bad = 1;
		return NULL;
	}
	return r->fields[i];
}

/* A string that lookups compare (a path): absent is corrupt. */
static const char *get_path(struct reader *r, size_t i)
{
	const char *s = get_str(r, i);

	if (!s)
		r->bad = 1;
	return s;
}

static void get_oid(struct reader *r, size_t i, struct gg_oid *out)
{
	const char *s = get_str(r, i);

	if (!s || gg_oid_from_hex(out, s) < 0)
		r->bad = 1;
}

static signed char tri(struct reader *r, size_t i)
{
	return (signed char)get_num(r, i, -1, 1);
}

static void read_app(struct reader *r, struct gg_def_app *a,
		     struct gg_arena *arena)
{
	a->line = (unsigned)get_num(r, 1, 0, 1L << 30);
	a->name = get_str(r, 2);
	a->namespace_ = get_str(r, 3);
	a->project = get_str(r, 4);
	a->dest_server = get_str(r, 5);
	a->dest_name = get_str(r, 6);
	a->dest_namespace = get_str(r, 7);
	a->automated = tri(r, 8);
	a->enabled = tri(r, 9);
	a->prune = tri(r, 10);
	a->self_heal = tri(r, 11);
	a->allow_empty = tri(r, 12);
	a->cascade = (unsigned char)get_num(r, 13, 0, 1);
	a->skip_reconcile = (unsigned char)get_num(r, 14, 0, 1);
	a->nsources = 0;
	a->sources = gg_arena_alloc(
		arena, gg_st_mult((size_t)get_num(r, 15, 0, 1000) + 1,
				  sizeof(*a->sources)));
}

static void read_source(struct reader *r, struct gg_def_source *s)
{
	s->repo_url = get_str(r, 1);
	s->path = get_str(r, 2);
	s->revision = get_str(r, 3);
	s->chart = get_str(r, 4);
	s->recurse = tri(r, 5);
	s->include = get_str(r, 6);
	s->exclude = get_str(r, 7);
	s->tag_prefix = get_str(r, 8);
}

static void read_ks(struct reader *r, struct gg_def_ks *k)
{
	k->line = (unsigned)get_num(r, 1, 0, 1L << 30);
	k->name = get_str(r, 2);
	k->namespace_ = get_str(r, 3);
	k->path = get_str(r, 4);
	k->prune = tri(r, 5);
	k->suspend = tri(r, 6);
	k->source_kind = get_str(r, 7);
	k->source_name = get_str(r, 8);
	k->source_namespace = get_str(r, 9);
	k->target_namespace = get_str(r, 10);
	k->service_account = get_str(r, 11);
	k->deletion_policy = get_str(r, 12);
}

static void read_repo(struct reader *r, struct gg_def_gitrepo *g)
{
	g->line = (unsigned)get_num(r, 1, 0, 1L << 30);
	g->name = get_str(r, 2);
	g->namespace_ = get_str(r, 3);
	g->url = get_str(r, 4);
	g->branch = get_str(r, 5);
	g->ignore = get_str(r, 6);
	g->tag = get_str(r, 7);
	g->semver = get_str(r, 8);
	g->refname = get_str(r, 9);
}

struct parse_state {
	struct gg_defs *d;
	struct gg_def_file *file; /* the current F record */
	size_t want_apps, want_kss, want_repos;
	struct gg_def_app *app; /* the current A record */
	size_t want_sources;
};

static void read_file_rec(struct reader *r, struct parse_state *ps)
{
	struct gg_defs *d = ps->d;
	struct gg_def_file *f;

	GG_ALLOC_GROW(d->files, d->nfiles + 1, d->files_alloc);
	f = ps->file = &d->files[d->nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = get_str(r, 1);
	get_oid(r, 2, &f->blob);
	f->kinds = (unsigned)get_num(r, 3, 0, 255);
	ps->want_apps = (size_t)get_num(r, 4, 0, 100000);
	ps->want_kss = (size_t)get_num(r, 5, 0, 100000);
	ps->want_repos = (size_t)get_num(r, 6, 0, 100000);
	if (!f->path)
		r->bad = 1;
	if (r->bad)
		return;
	f->apps = gg_arena_alloc(&d->arena,
				 (ps->want_apps + 1) * sizeof(*f->apps));
	f->kss =
		gg_arena_alloc(&d->arena, (ps->want_kss + 1) * sizeof(*f->kss));
	f->repos = gg_arena_alloc(&d->arena,
				  (ps->want_repos + 1) * sizeof(*f->repos));
	ps->app = NULL;
}

/* The open A record got every S record it declared. */
static void close_app(struct reader *r, struct parse_state *ps)
{
	if (ps->app && ps->app->nsources != ps->want_sources)
		r->bad = 1;
	ps->app = NULL;
}

/* The open F record got every A, K and R record it declared: a file
 * cut at a line end must not read as a smaller set. */
static void close_file(struct reader *r, struct parse_state *ps)
{
	const struct gg_def_file *f = ps->file;

	close_app(r, ps);
	if (f && (f->napps != ps->want_apps || f->nkss != ps->want_kss ||
		  f->nrepos != ps->want_repos))
		r->bad = 1;
	ps->file = NULL;
}

static void read_kfile(struct reader *r, struct gg_defs *d)
{
	struct gg_kfile *k;
	size_t i, nres, noth;

	GG_ALLOC_GROW(d->kfiles, d->nkfiles + 1, d->kfiles_alloc);
	k = &d->kfiles[d->nkfiles++];
	memset(k, 0, sizeof(*k));
	k->path = get_str(r, 1);
	k->dir = get_str(r, 2);
	get_oid(r, 3, &k->blob);
	k->invalid = (int)get_num(r, 4, 0, 1);
	k->remote = (int)get_num(r, 5, 0, 1);
	nres = (size_t)get_num(r, 6, 0, 1000000);
	noth = (size_t)get_num(r, 7, 0, 1000000);
	if (r->bad || 8 + nres + noth != r->n || !k->path || !k->dir) {
		r->bad = 1;
		return;
	}
	k->resources = gg_arena_alloc(&d->arena, (nres + 1) * sizeof(char *));
	k->others = gg_arena_alloc(&d->arena, (noth + 1) * sizeof(char *));
	for (i = 0; i < nres; i++)
		k->resources[k->nresources++] = get_path(r, 8 + i);
	for (i = 0; i < noth; i++)
		k->others[k->nothers++] = get_path(r, 8 + nres + i);
}

static void read_line(struct reader *r, struct parse_state *ps)
{
	struct gg_defs *d = ps->d;
	struct gg_def_file *f = ps->file;
	const char *kind = r->fields[0];

	if (!kind || strlen(kind) != 1) {
		r->bad = 1;
		return;
	}
	if (strchr("FZCI", *kind))
		close_file(r, ps);
	else if (strchr("AKR", *kind))
		close_app(r, ps);
	if (r->bad)
		return;
	switch (*kind) {
	case 'F': read_file_rec(r, ps); break;
	case 'A':
		if (!f || f->napps >= ps->want_apps) {
			r->bad = 1;
			break;
		}
		ps->app = &f->apps[f->napps++];
		read_app(r, ps->app, &d->arena);
		ps->want_sources = (size_t)get_num(r, 15, 0, 1000);
		break;
	case 'S':
		if (!ps->app || ps->app->nsources >= ps->want_sources) {
			r->bad = 1;
			break;
		}
		read_source(r, &ps->app->sources[ps->app->nsources++]);
		break;
	case 'K':
		if (!f || f->nkss >= ps->want_kss) {
			r->bad = 1;
			break;
		}
		read_ks(r, &f->kss[f->nkss++]);
		break;
	case 'R':
		if (!f || f->nrepos >= ps->want_repos) {
			r->bad = 1;
			break;
		}
		read_repo(r, &f->repos[f->nrepos++]);
		break;
	case 'Z': read_kfile(r, d); break;
	case 'C':
		GG_ALLOC_GROW(d->charts, d->ncharts + 1, d->charts_alloc);
		d->charts[d->ncharts++] = get_path(r, 1);
		break;
	case 'I':
		GG_ALLOC_GROW(d->ignores, d->nignores + 1, d->ignores_alloc);
		d->ignores[d->nignores++] = get_path(r, 1);
		break;
	default: r->bad = 1;
	}
}

int gg_defs_parse(struct gg_defs **out, const char *data, size_t len)
{
	struct gg_defs *d = gg_defs_empty();
	struct parse_state ps;
	struct reader r;
	char *buf = gg_arena_strndup(&d->arena, data, len), *line, *eol;
	size_t hlen = strlen(FORMAT);
	int err = GG_EINVALID;

	*out = NULL;
	memset(&ps, 0, sizeof(ps));
	memset(&r, 0, sizeof(r));
	ps.d = d;
	if (memchr(data, '\0', len))
		goto out; /* it would end the text early */
	eol = strchr(buf, '\n');
	if (!eol || strncmp(buf, FORMAT " ", hlen + 1) ||
	    (size_t)(eol - buf) != hlen + 1 + GG_OID_HEXSZ)
		goto out;
	*eol = '\0';
	if (gg_oid_from_hex(&d->tree, buf + hlen + 1) < 0)
		goto out;
	for (line = eol + 1; *line && !r.bad; line = eol + 1) {
		eol = strchr(line, '\n');
		if (!eol)
			goto out; /* truncated */
		*eol = '\0';
		split(&r, line);
		read_line(&r, &ps);
	}
	close_file(&r, &ps);
	if (r.bad)
		goto out;
	gg_defs__sort(d);
	*out = d;
	d = NULL;
	err = 0;
out:
	free(r.fields);
	if (err)
		gg_error_set("corrupt definitions cache");
	gg_defs_free(d);
	return err;
}

int gg_defs__delta_ids(struct gg_oid *tree, struct gg_oid *base,
		       const char *data, size_t len)
{
	size_t hlen = strlen(DELTA_FORMAT), want = hlen + 2 + 2 * GG_OID_HEXSZ;
	char hex[GG_OID_HEXSZ + 1];

	if (len < hlen + 1 || memcmp(data, DELTA_FORMAT " ", hlen + 1))
		return 0;
	if (len <= want || data[want] != '\n' ||
	    data[hlen + 1 + GG_OID_HEXSZ] != ' ')
		return GG_EINVALID;
	memcpy(hex, data + hlen + 1, GG_OID_HEXSZ);
	hex[GG_OID_HEXSZ] = '\0';
	if (gg_oid_from_hex(tree, hex) < 0)
		return GG_EINVALID;
	memcpy(hex, data + hlen + 2 + GG_OID_HEXSZ, GG_OID_HEXSZ);
	if (gg_oid_from_hex(base, hex) < 0)
		return GG_EINVALID;
	return 1;
}

/* Append the records of `part` to `d`, which takes its strings. */
static void take_records(struct gg_defs *d, struct gg_defs *part)
{
#define TAKE(v, n, alloc)                                                      \
	do {                                                                   \
		GG_ALLOC_GROW(d->v, d->n + part->n, d->alloc);                 \
		if (part->n)                                                   \
			memcpy(d->v + d->n, part->v, part->n * sizeof(*d->v)); \
		d->n += part->n;                                               \
	} while (0)
	TAKE(files, nfiles, files_alloc);
	TAKE(kfiles, nkfiles, kfiles_alloc);
	TAKE(charts, ncharts, charts_alloc);
	TAKE(ignores, nignores, ignores_alloc);
#undef TAKE
	gg_arena_adopt(&d->arena, &part->arena);
}

int gg_defs__apply_delta(struct gg_defs *d, const char *data, size_t len)
{
	struct gg_strvec gone = GG_STRVEC_INIT;
	struct gg_oid tree, base;
	struct gg_defs *part = NULL;
	struct reader r;
	char *text = NULL, *line, *eol, *end;
	int err = gg_defs__delta_ids(&tree, &base, data, len);

	memset(&r, 0, sizeof(r));
	if (err <= 0 || gg_oid_cmp(&base, &d->tree))
		goto bad;
	text = gg_xmalloc(len + 1);
	memcpy(text, data, len);
	text[len] = '\0';
	end = text + len;
	line = strchr(text, '\n') + 1;
	while (line < end && *line == 'D') {
		eol = memchr(line, '\n', (size_t)(end - line));
		if (!eol)
			goto bad;
		*eol = '\0';
		split(&r, line);
		if (r.bad || r.n != 2 || strcmp(r.fields[0], "D") ||
		    !r.fields[1] ||
		    (gone.nr && strcmp(gone.v[gone.nr - 1], r.fields[1]) >= 0))
			goto bad; /* paths come sorted, once each */
		gg_strvec_push(&gone, r.fields[1]);
		line = eol + 1;
	}
	if (gg_defs_parse(&part, line, (size_t)(end - line)) < 0 ||
	    gg_oid_cmp(&part->tree, &tree))
		goto bad;
	gg_defs__remove_paths(d, &gone);
	take_records(d, part);
	gg_defs__sort(d);
	d->tree = tree;
	err = 0;
	goto out;
bad:
	gg_error_set("corrupt definitions cache delta");
	err = GG_EINVALID;
out:
	gg_defs_free(part);
	gg_strvec_release(&gone);
	free(r.fields);
	free(text);
	return err;
}

/* --- building ------------------------------------------------------------- */

struct scan {
	struct gg_defs *d;
	struct gg_repo *repo;
	size_t max_blob;
};

static int scan_entry(const char *path, const struct gg_tree_entry *e,
		      void *payload)
{
	struct scan *s = payload;

	if (e->kind != GG_ENTRY_BLOB)
		return 0;
	return gg_defs__add_path(s->d, s->repo, path, &e->oid, s->max_blob);
}

static int build(struct gg_defs **out, struct gg_repo *repo,
		 const struct gg_oid *tree, size_t max_blob)
{
	struct scan s;
	int err;

	s.d = gg_defs_empty();
	s.d->tree = *tree;
	s.repo = repo;
	s.max_blob = max_blob;
	err = gg_repo_tree_list(repo, tree, "", 1, scan_entry, &s);
	if (err < 0) {
		gg_defs_free(s.d);
		*out = NULL;
		return err;
	}
	gg_defs__sort(s.d);
	*out = s.d;
	return 0;
}

struct update {
	struct gg_strvec gone;	/* paths whose records go */
	struct gg_strvec added; /* paths to look at again */
	struct gg_oid *blobs;	/* their new blobs */
	size_t nblobs, alloc;
	int reshaped; /* a path was added or deleted, or changed kind */
};

static int on_delta(const struct gg_delta *delta, void *payload)
{
	struct update *u = payload;

	if (delta->status != GG_DELTA_MODIFIED ||
	    delta->old_kind != GG_ENTRY_BLOB ||
	    delta->new_kind != GG_ENTRY_BLOB)
		u->reshaped = 1;
	if (delta->status != GG_DELTA_ADDED)
		gg_strvec_push(&u->gone, delta->path);
	if (delta->status != GG_DELTA_DELETED &&
	    delta->new_kind == GG_ENTRY_BLOB) {
		gg_strvec_push(&u->added, delta->path);
		GG_ALLOC_GROW(u->blobs, u->nblobs + 1, u->alloc);
		u->blobs[u->nblobs++] = delta->new_oid;
	}
	return 0;
}

static const struct gg_kfile *kfile_at(const struct gg_defs *d,
				       const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? gg_xstrndup(path, (size_t)(slash - path)) : NULL;
	const struct gg_kfile *k = gg_defs_kfile(d, dir ? dir : "");

	free(dir);
	return k && !strcmp(k->path, path) ? k : NULL;
}

static int same_strs(const char **a, size_t na, const char **b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			return 0;
	return 1;
}

/* A kustomization file that says the same as before, whatever its blob. */
static int same_kfile(const struct gg_kfile *a, const struct gg_kfile *b)
{
	return a && b && a->invalid == b->invalid && a->remote == b->remote &&
	       same_strs(a->resources, a->nresources, b->resources,
			 b->nresources) &&
	       same_strs(a->others, a->nothers, b->others, b->nothers);
}

/*
 * Apply the diff d->tree -> tree to `d`: the records of every changed
 * path go, the new versions are looked at again.  With `delta`, append
 * the change in the cache's delta form (gg_defs__save).  Sets
 * d->same_shape.
 */
static int update(struct gg_defs *d, struct gg_repo *repo,
		  const struct gg_oid *tree, const struct gg_delta *diff,
		  size_t ndiff, size_t max_blob, struct gg_buf *delta)
{
	struct update u;
	struct gg_kfile *old_k = NULL;
	struct gg_defs added;
	size_t i, nfiles, nk, nc, ni;
	int err, same;

	memset(&u, 0, sizeof(u));
	gg_strvec_init(&u.gone);
	gg_strvec_init(&u.added);
	if (diff)
		for (i = 0, err = 0; i < ndiff && !err; i++)
			err = on_delta(&diff[i], &u);
	else
		err = gg_repo_diff_trees(repo, &d->tree, tree, on_delta, &u);
	if (err)
		goto out;
	/* what the changed paths defined before, to compare */
	same = !u.reshaped;
	old_k = gg_xcalloc(u.gone.nr + 1, sizeof(*old_k));
	for (i = 0; i < u.gone.nr && same; i++) {
		const struct gg_kfile *k = kfile_at(d, u.gone.v[i]);

		if (gg_defs_file(d, u.gone.v[i]))
			same = 0;
		else if (k)
			old_k[i] = *k;
	}
	/* the diff lists paths in byte order already */
	gg_defs__remove_paths(d, &u.gone);
	nfiles = d->nfiles;
	nk = d->nkfiles;
	nc = d->ncharts;
	ni = d->nignores;
	for (i = 0; i < u.added.nr && !err; i++)
		err = gg_defs__add_path(d, repo, u.added.v[i], &u.blobs[i],
					max_blob);
	if (err)
		goto out;
	if (delta) {
		/* the records just added, as a set of their own */
		memset(&added, 0, sizeof(added));
		added.tree = *tree;
		added.files = d->files + nfiles;
		added.nfiles = d->nfiles - nfiles;
		added.kfiles = d->kfiles + nk;
		added.nkfiles = d->nkfiles - nk;
		added.charts = d->charts + nc;
		added.ncharts = d->ncharts - nc;
		added.ignores = d->ignores + ni;
		added.nignores = d->nignores - ni;
		gg_defs__delta(delta, &d->tree, &u.gone, &added);
	}
	gg_defs__sort(d);
	if (d->nfiles != nfiles)
		same = 0;
	for (i = 0; i < u.gone.nr && same; i++)
		if (old_k[i].path &&
		    !same_kfile(&old_k[i], kfile_at(d, u.gone.v[i])))
			same = 0;
	d->tree = *tree;
	d->from_cache = 0;
	d->same_shape = same;
out:
	free(old_k);
	gg_strvec_release(&u.gone);
	gg_strvec_release(&u.added);
	free(u.blobs);
	return err;
}

int gg_defs_for_tree(struct gg_defs **out, struct gg_repo *repo,
		     const struct gg_oid *tree, const struct gg_oid *base,
		     const char *cache_dir, size_t max_blob)
{
	struct gg_buf delta = GG_BUF_INIT;
	int err = 0;

	*out = NULL;
	if (cache_dir && gg_defs__load(out, cache_dir, tree) == 0)
		return 0;
	if (cache_dir && base && gg_oid_cmp(base, tree) &&
	    gg_defs__load(out, cache_dir, base) == 0) {
		err = update(*out, repo, tree, NULL, 0, max_blob, &delta);
		if (err < 0) {
			gg_defs_free(*out);
			*out = NULL;
			goto out;
		}
	} else if ((err = build(out, repo, tree, max_blob)) < 0) {
		goto out;
	}
	if (cache_dir)
		gg_defs__save(*out, cache_dir, delta.len ? &delta : NULL, 1);
out:
	gg_buf_release(&delta);
	return err;
}

/* A set that starts as a copy of `base` and shares its strings. */
static struct gg_defs *derive(struct gg_defs *base)
{
	struct gg_defs *d = gg_defs_empty();

#define COPY(v, n, alloc)                                                      \
	do {                                                                   \
		d->n = d->alloc = base->n;                                     \
		d->v = gg_xmalloc(gg_st_mult(base->n + 1, sizeof(*d->v)));     \
		if (base->n)                                                   \
			memcpy(d->v, base->v, base->n * sizeof(*d->v));        \
	} while (0)
	COPY(files, nfiles, files_alloc);
	COPY(kfiles, nkfiles, kfiles_alloc);
	COPY(charts, ncharts, charts_alloc);
	COPY(ignores, nignores, ignores_alloc);
#undef COPY
	d->tree = base->tree;
	d->cached = base->cached;
	d->cache_depth = base->cache_depth;
	d->shared = base;
	base->refs++;
	return d;
}

int gg_defs_update(struct gg_defs **out, struct gg_repo *repo,
		   const struct gg_oid *tree, struct gg_defs *base,
		   const struct gg_delta *diff, size_t ndiff,
		   const char *cache_dir, size_t max_blob)
{
	struct gg_buf delta = GG_BUF_INIT;
	struct gg_defs *d = derive(base);
	int err;

	*out = NULL;
	if (!gg_oid_cmp(tree, &base->tree)) {
		d->same_shape = 1;
		*out = d;
		return 0;
	}
	err = update(d, repo, tree, diff, ndiff, max_blob,
		     cache_dir ? &delta : NULL);
	if (err < 0) {
		gg_defs_free(d);
	} else {
		if (cache_dir)
			gg_defs__save(d, cache_dir, &delta, 0);
		*out = d;
	}
	gg_buf_release(&delta);
	return err;
}
