/*
 * The flat twin of a whole definitions set in the cache: the records
 * with offsets into one string table instead of pointers, so that a
 * push loads the set under its deltas by mapping and checking instead
 * of parsing megabytes of text (the strings stay in the mapping).  The
 * text file stays the reference: a twin that is missing, damaged, or
 * written by a build whose structures differ is ignored, and the text
 * is parsed.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "defs-internal.h"
#include "strtab.h"
#include "xalloc.h"
#include "banned.h"

#define MAGIC "GGDEFS5"		     /* as FORMAT in defs-cache.c */
#define FORMAT "gitops-guard-defs 6" /* the text format it mirrors */
#define MAX_BIN_BYTES (256 * 1024 * 1024)

/* The structures as this file knows them, in the same order: a field
 * added to one of defs.h's fails the build until it is written here. */
struct known_source {
	const char *s[7];
	signed char recurse;
};
struct known_app {
	const char *s[6];
	unsigned line;
	signed char t[5];
	unsigned char cascade, skip;
	struct gg_def_source *sources;
	size_t nsources;
};
struct known_ks {
	const char *name, *ns;
	unsigned line;
	const char *path;
	signed char prune, suspend;
	const char *s[6];
};
struct known_repo {
	const char *name, *ns;
	unsigned line;
	const char *s[6];
};
struct known_file {
	const char *path;
	struct gg_oid blob;
	unsigned kinds;
	void *apps;
	size_t napps;
	void *kss;
	size_t nkss;
	void *repos;
	size_t nrepos;
};
struct known_kfile {
	const char *path, *dir;
	struct gg_oid blob;
	const char **res;
	size_t nres;
	const char **oth;
	size_t noth;
	int remote, invalid;
};
_Static_assert(sizeof(struct known_source) == sizeof(struct gg_def_source) &&
		       sizeof(struct known_app) == sizeof(struct gg_def_app) &&
		       sizeof(struct known_ks) == sizeof(struct gg_def_ks) &&
		       sizeof(struct known_repo) ==
			       sizeof(struct gg_def_gitrepo) &&
		       sizeof(struct known_file) ==
			       sizeof(struct gg_def_file) &&
		       sizeof(struct known_kfile) == sizeof(struct gg_kfile),
	       "a definitions structure changed: update defs-bin.c");

/* The records on disk: offsets, counts, and first indexes into the
 * arrays that follow, 32 bits each. */
struct bin_header {
	char magic[8];
	char format[32];
	unsigned char tree[GG_OID_RAWSZ];
	uint32_t sizes[6]; /* the writer's structures, as checked above */
	uint32_t nfiles, napps, nsources, nkss, nrepos, nkfiles, nrefs;
	uint32_t ncharts, nignores, strtab_len;
};
struct bin_file {
	uint32_t path, kinds, apps, napps, kss, nkss, repos, nrepos;
	unsigned char blob[GG_OID_RAWSZ];
};
struct bin_app {
	uint32_t s[6], line, sources, nsources;
	int32_t t[5], cascade, skip;
};
struct bin_source {
	uint32_t s[7];
	int32_t recurse;
};
struct bin_ks {
	uint32_t name, ns, line, path, s[6];
	int32_t prune, suspend;
};
struct bin_repo {
	uint32_t name, ns, line, s[6];
};
struct bin_kfile {
	uint32_t path, dir, refs, nres, noth;
	int32_t remote, invalid;
	unsigned char blob[GG_OID_RAWSZ];
};

static const uint32_t struct_sizes[6] = {
	sizeof(struct gg_def_source), sizeof(struct gg_def_app),
	sizeof(struct gg_def_ks),     sizeof(struct gg_def_gitrepo),
	sizeof(struct gg_def_file),   sizeof(struct gg_kfile)
};

static char *bin_path(const char *dir, const struct gg_oid *tree)
{
	char hex[GG_OID_HEXSZ + 1];

	gg_oid_to_hex(hex, tree);
	return gg_xasprintf("%s/defsbin-%s", dir, hex);
}

/* --- writing -------------------------------------------------------------- */

struct writer {
	struct gg_strtab t;
	struct gg_buf files, apps, sources, kss, repos, kfiles, refs, charts,
		ignores;
	struct bin_header h;
};

#define STR(x) gg_strtab_intern(&w->t, (x))

static void write_app(struct writer *w, const struct gg_def_app *a)
{
	struct bin_app r;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.s[0] = STR(a->name);
	r.s[1] = STR(a->namespace_);
	r.s[2] = STR(a->project);
	r.s[3] = STR(a->dest_server);
	r.s[4] = STR(a->dest_name);
	r.s[5] = STR(a->dest_namespace);
	r.line = a->line;
	r.t[0] = a->automated;
	r.t[1] = a->enabled;
	r.t[2] = a->prune;
	r.t[3] = a->self_heal;
	r.t[4] = a->allow_empty;
	r.cascade = a->cascade;
	r.skip = a->skip_reconcile;
	r.sources = w->h.nsources;
	r.nsources = (uint32_t)a->nsources;
	for (i = 0; i < a->nsources; i++) {
		const struct gg_def_source *s = &a->sources[i];
		struct bin_source b;

		memset(&b, 0, sizeof(b));
		b.s[0] = STR(s->repo_url);
		b.s[1] = STR(s->path);
		b.s[2] = STR(s->revision);
		b.s[3] = STR(s->chart);
		b.s[4] = STR(s->include);
		b.s[5] = STR(s->exclude);
		b.s[6] = STR(s->tag_prefix);
		b.recurse = s->recurse;
		gg_buf_add(&w->sources, &b, sizeof(b));
		w->h.nsources++;
	}
	gg_buf_add(&w->apps, &r, sizeof(r));
	w->h.napps++;
}

static void write_ks(struct writer *w, const struct gg_def_ks *k)
{
	struct bin_ks r;

	memset(&r, 0, sizeof(r));
	r.name = STR(k->name);
	r.ns = STR(k->namespace_);
	r.line = k->line;
	r.path = STR(k->path);
	r.prune = k->prune;
	r.suspend = k->suspend;
	r.s[0] = STR(k->source_kind);
	r.s[1] = STR(k->source_name);
	r.s[2] = STR(k->source_namespace);
	r.s[3] = STR(k->target_namespace);
	r.s[4] = STR(k->service_account);
	r.s[5] = STR(k->deletion_policy);
	gg_buf_add(&w->kss, &r, sizeof(r));
	w->h.nkss++;
}

static void write_repo(struct writer *w, const struct gg_def_gitrepo *g)
{
	struct bin_repo r;

	memset(&r, 0, sizeof(r));
	r.name = STR(g->name);
	r.ns = STR(g->namespace_);
	r.line = g->line;
	r.s[0] = STR(g->url);
	r.s[1] = STR(g->branch);
	r.s[2] = STR(g->ignore);
	r.s[3] = STR(g->tag);
	r.s[4] = STR(g->semver);
	r.s[5] = STR(g->refname);
	gg_buf_add(&w->repos, &r, sizeof(r));
	w->h.nrepos++;
}

static void write_file(struct writer *w, const struct gg_def_file *f)
{
	struct bin_file r;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.path = STR(f->path);
	memcpy(r.blob, f->blob.id, GG_OID_RAWSZ);
	r.kinds = f->kinds;
	r.apps = w->h.napps;
	r.napps = (uint32_t)f->napps;
	r.kss = w->h.nkss;
	r.nkss = (uint32_t)f->nkss;
	r.repos = w->h.nrepos;
	r.nrepos = (uint32_t)f->nrepos;
	for (i = 0; i < f->napps; i++)
		write_app(w, &f->apps[i]);
	for (i = 0; i < f->nkss; i++)
		write_ks(w, &f->kss[i]);
	for (i = 0; i < f->nrepos; i++)
		write_repo(w, &f->repos[i]);
	gg_buf_add(&w->files, &r, sizeof(r));
	w->h.nfiles++;
}

static void write_kfile(struct writer *w, const struct gg_kfile *k)
{
	struct bin_kfile r;
	uint32_t off;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.path = STR(k->path);
	r.dir = STR(k->dir);
	memcpy(r.blob, k->blob.id, GG_OID_RAWSZ);
	r.refs = w->h.nrefs;
	r.nres = (uint32_t)k->nresources;
	r.noth = (uint32_t)k->nothers;
	r.remote = k->remote;
	r.invalid = k->invalid;
	for (i = 0; i < k->nresources + k->nothers; i++) {
		off = STR(i < k->nresources ? k->resources[i]
					    : k->others[i - k->nresources]);
		gg_buf_add(&w->refs, &off, sizeof(off));
		w->h.nrefs++;
	}
	gg_buf_add(&w->kfiles, &r, sizeof(r));
	w->h.nkfiles++;
}

static void write_paths(struct writer *w, struct gg_buf *out, const char **v,
			size_t n)
{
	size_t i;
	uint32_t off;

	for (i = 0; i < n; i++) {
		off = STR(v[i]);
		gg_buf_add(out, &off, sizeof(off));
	}
}

#undef STR

void gg_defs__save_bin(const struct gg_defs *d, const char *dir)
{
	struct writer w;
	struct gg_buf *parts[] = { &w.files, &w.apps,	&w.sources,
				   &w.kss,   &w.repos,	&w.kfiles,
				   &w.refs,  &w.charts, &w.ignores };
	struct gg_buf out = GG_BUF_INIT;
	char *path = bin_path(dir, &d->tree), *tmp;
	size_t i;
	FILE *f;
	int ok;

	memset(&w, 0, sizeof(w));
	gg_strtab_init(&w.t);
	for (i = 0; i < sizeof(parts) / sizeof(*parts); i++)
		gg_buf_init(parts[i], 0);
	for (i = 0; i < d->nfiles; i++)
		write_file(&w, &d->files[i]);
	for (i = 0; i < d->nkfiles; i++)
		write_kfile(&w, &d->kfiles[i]);
	write_paths(&w, &w.charts, d->charts, d->ncharts);
	write_paths(&w, &w.ignores, d->ignores, d->nignores);
	memcpy(w.h.magic, MAGIC, sizeof(MAGIC));
	memcpy(w.h.format, FORMAT, sizeof(FORMAT));
	memcpy(w.h.tree, d->tree.id, GG_OID_RAWSZ);
	memcpy(w.h.sizes, struct_sizes, sizeof(struct_sizes));
	w.h.ncharts = (uint32_t)d->ncharts;
	w.h.nignores = (uint32_t)d->nignores;
	w.h.strtab_len = (uint32_t)w.t.text.len;
	gg_buf_add(&out, &w.h, sizeof(w.h));
	for (i = 0; i < sizeof(parts) / sizeof(*parts); i++) {
		gg_buf_add(&out, parts[i]->buf, parts[i]->len);
		gg_buf_release(parts[i]);
	}
	gg_buf_add(&out, w.t.text.buf, w.t.text.len);
	tmp = gg_xasprintf("%s.%ld.tmp", path, (long)getpid());
	f = fopen(tmp, "w");
	ok = f && fwrite(out.buf, 1, out.len, f) == out.len;
	if (f && fclose(f) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) < 0)
		unlink(tmp);
	gg_strtab_release(&w.t);
	gg_buf_release(&out);
	free(tmp);
	free(path);
}

/* --- reading -------------------------------------------------------------- */

struct reader {
	const char *p;	 /* the next array */
	const char *tab; /* the strings, in the set's arena */
	uint32_t len;
	int bad;
};

static const char *str(struct reader *r, uint32_t off)
{
	return gg_strtab_at(r->tab, r->len, off, &r->bad);
}

/* A string that must be there (a path). */
static const char *path_at(struct reader *r, uint32_t off)
{
	const char *s = str(r, off);

	if (!s)
		r->bad = 1;
	return s ? s : "";
}

/* [first, first + n) inside an array of `total` records. */
static int in_range(uint32_t first, uint32_t n, uint32_t total)
{
	return first <= total && n <= total - first;
}

static void read_app(struct reader *r, struct gg_def_app *a,
		     const struct bin_app *b, const char *sources,
		     const struct bin_header *h, struct gg_arena *arena)
{
	size_t i;

	a->name = str(r, b->s[0]);
	a->namespace_ = str(r, b->s[1]);
	a->project = str(r, b->s[2]);
	a->dest_server = str(r, b->s[3]);
	a->dest_name = str(r, b->s[4]);
	a->dest_namespace = str(r, b->s[5]);
	a->line = b->line;
	a->automated = (signed char)b->t[0];
	a->enabled = (signed char)b->t[1];
	a->prune = (signed char)b->t[2];
	a->self_heal = (signed char)b->t[3];
	a->allow_empty = (signed char)b->t[4];
	a->cascade = (unsigned char)b->cascade;
	a->skip_reconcile = (unsigned char)b->skip;
	if (!in_range(b->sources, b->nsources, h->nsources)) {
		r->bad = 1;
		return;
	}
	a->sources = gg_arena_alloc(arena, gg_st_mult((size_t)b->nsources + 1,
						      sizeof(*a->sources)));
	a->nsources = b->nsources;
	for (i = 0; i < b->nsources; i++) {
		struct gg_def_source *s = &a->sources[i];
		struct bin_source bs;

		memcpy(&bs, sources + (b->sources + i) * sizeof(bs),
		       sizeof(bs));
		s->repo_url = str(r, bs.s[0]);
		s->path = str(r, bs.s[1]);
		s->revision = str(r, bs.s[2]);
		s->chart = str(r, bs.s[3]);
		s->include = str(r, bs.s[4]);
		s->exclude = str(r, bs.s[5]);
		s->tag_prefix = str(r, bs.s[6]);
		s->recurse = (signed char)bs.recurse;
	}
}

/* Where each array starts in the file. */
struct arrays {
	const char *files, *apps, *sources, *kss, *repos, *kfiles, *refs,
		*charts, *ignores;
};

static void read_file_rec(struct reader *r, struct gg_def_file *f,
			  const struct bin_file *b, const struct arrays *a,
			  const struct bin_header *h, struct gg_arena *arena)
{
	size_t i;

	f->path = path_at(r, b->path);
	memcpy(f->blob.id, b->blob, GG_OID_RAWSZ);
	f->kinds = b->kinds;
	if (!in_range(b->apps, b->napps, h->napps) ||
	    !in_range(b->kss, b->nkss, h->nkss) ||
	    !in_range(b->repos, b->nrepos, h->nrepos)) {
		r->bad = 1;
		return;
	}
	f->apps = gg_arena_alloc(
		arena, gg_st_mult((size_t)b->napps + 1, sizeof(*f->apps)));
	f->kss = gg_arena_alloc(
		arena, gg_st_mult((size_t)b->nkss + 1, sizeof(*f->kss)));
	f->repos = gg_arena_alloc(
		arena, gg_st_mult((size_t)b->nrepos + 1, sizeof(*f->repos)));
	for (i = 0; i < b->napps && !r->bad; i++) {
		struct bin_app ba;

		memcpy(&ba, a->apps + (b->apps + i) * sizeof(ba), sizeof(ba));
		read_app(r, &f->apps[f->napps++], &ba, a->sources, h, arena);
	}
	for (i = 0; i < b->nkss; i++) {
		struct gg_def_ks *k = &f->kss[f->nkss++];
		struct bin_ks bk;

		memcpy(&bk, a->kss + (b->kss + i) * sizeof(bk), sizeof(bk));
		k->name = str(r, bk.name);
		k->namespace_ = str(r, bk.ns);
		k->line = bk.line;
		k->path = str(r, bk.path);
		k->prune = (signed char)bk.prune;
		k->suspend = (signed char)bk.suspend;
		k->source_kind = str(r, bk.s[0]);
		k->source_name = str(r, bk.s[1]);
		k->source_namespace = str(r, bk.s[2]);
		k->target_namespace = str(r, bk.s[3]);
		k->service_account = str(r, bk.s[4]);
		k->deletion_policy = str(r, bk.s[5]);
	}
	for (i = 0; i < b->nrepos; i++) {
		struct gg_def_gitrepo *g = &f->repos[f->nrepos++];
		struct bin_repo br;

		memcpy(&br, a->repos + (b->repos + i) * sizeof(br), sizeof(br));
		g->name = str(r, br.name);
		g->namespace_ = str(r, br.ns);
		g->line = br.line;
		g->url = str(r, br.s[0]);
		g->branch = str(r, br.s[1]);
		g->ignore = str(r, br.s[2]);
		g->tag = str(r, br.s[3]);
		g->semver = str(r, br.s[4]);
		g->refname = str(r, br.s[5]);
	}
}

static void read_kfile(struct reader *r, struct gg_kfile *k,
		       const struct bin_kfile *b, const char *refs,
		       const struct bin_header *h, struct gg_arena *arena)
{
	const char **v;
	uint32_t off;
	size_t i, n = (size_t)b->nres + b->noth;

	k->path = path_at(r, b->path);
	k->dir = path_at(r, b->dir);
	memcpy(k->blob.id, b->blob, GG_OID_RAWSZ);
	k->remote = b->remote;
	k->invalid = b->invalid;
	if ((uint64_t)b->refs + b->nres + b->noth > h->nrefs) {
		r->bad = 1;
		return;
	}
	v = gg_arena_alloc(arena, gg_st_mult(n + 2, sizeof(*v)));
	for (i = 0; i < n; i++) {
		memcpy(&off, refs + (b->refs + i) * sizeof(off), sizeof(off));
		v[i + (i >= b->nres)] = path_at(r, off);
	}
	k->resources = v;
	k->nresources = b->nres;
	k->others = v + b->nres + 1;
	k->nothers = b->noth;
}

/* The arrays of the file, after a header whose counts fit its size. */
static int lay_out(struct arrays *a, const struct bin_header *h,
		   const char *data, size_t len)
{
	const struct {
		const char **at;
		uint32_t n;
		size_t size;
	} parts[] = {
		{ &a->files, h->nfiles, sizeof(struct bin_file) },
		{ &a->apps, h->napps, sizeof(struct bin_app) },
		{ &a->sources, h->nsources, sizeof(struct bin_source) },
		{ &a->kss, h->nkss, sizeof(struct bin_ks) },
		{ &a->repos, h->nrepos, sizeof(struct bin_repo) },
		{ &a->kfiles, h->nkfiles, sizeof(struct bin_kfile) },
		{ &a->refs, h->nrefs, sizeof(uint32_t) },
		{ &a->charts, h->ncharts, sizeof(uint32_t) },
		{ &a->ignores, h->nignores, sizeof(uint32_t) },
	};
	uint64_t off = sizeof(*h);
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(*parts); i++) {
		*parts[i].at = data + off;
		off += (uint64_t)parts[i].n * parts[i].size;
	}
	return off + h->strtab_len == len && h->strtab_len > 0 &&
	       data[len - 1] == '\0';
}

static int cmp_sorted(const char *a, const char *b)
{
	return strcmp(a, b) <= 0;
}

static void read_all(struct reader *r, struct gg_defs *d,
		     const struct bin_header *h, const struct arrays *a)
{
	size_t i;
	uint32_t off;

	d->files = gg_xcalloc((size_t)h->nfiles + 1, sizeof(*d->files));
	d->files_alloc = (size_t)h->nfiles + 1;
	for (i = 0; i < h->nfiles && !r->bad; i++) {
		struct bin_file b;

		memcpy(&b, a->files + i * sizeof(b), sizeof(b));
		read_file_rec(r, &d->files[d->nfiles++], &b, a, h, &d->arena);
		if (i && !cmp_sorted(d->files[i - 1].path, d->files[i].path))
			r->bad = 1;
	}
	d->kfiles = gg_xcalloc((size_t)h->nkfiles + 1, sizeof(*d->kfiles));
	d->kfiles_alloc = (size_t)h->nkfiles + 1;
	for (i = 0; i < h->nkfiles && !r->bad; i++) {
		struct bin_kfile b;

		memcpy(&b, a->kfiles + i * sizeof(b), sizeof(b));
		read_kfile(r, &d->kfiles[d->nkfiles++], &b, a->refs, h,
			   &d->arena);
		if (i && !cmp_sorted(d->kfiles[i - 1].dir, d->kfiles[i].dir))
			r->bad = 1;
	}
	d->charts = gg_xcalloc((size_t)h->ncharts + 1, sizeof(*d->charts));
	d->charts_alloc = (size_t)h->ncharts + 1;
	for (i = 0; i < h->ncharts && !r->bad; i++) {
		memcpy(&off, a->charts + i * sizeof(off), sizeof(off));
		d->charts[d->ncharts++] = path_at(r, off);
		if (i && !cmp_sorted(d->charts[i - 1], d->charts[i]))
			r->bad = 1;
	}
	d->ignores = gg_xcalloc((size_t)h->nignores + 1, sizeof(*d->ignores));
	d->ignores_alloc = (size_t)h->nignores + 1;
	for (i = 0; i < h->nignores && !r->bad; i++) {
		memcpy(&off, a->ignores + i * sizeof(off), sizeof(off));
		d->ignores[d->nignores++] = path_at(r, off);
		if (i && !cmp_sorted(d->ignores[i - 1], d->ignores[i]))
			r->bad = 1;
	}
}

static int parse_bin(struct gg_defs *d, const char *data, size_t len,
		     const struct gg_oid *tree)
{
	struct bin_header h;
	struct arrays a;
	struct reader r;

	if (len < sizeof(h))
		return GG_EINVALID;
	memcpy(&h, data, sizeof(h));
	if (memcmp(h.magic, MAGIC, sizeof(MAGIC)) ||
	    memcmp(h.format, FORMAT, sizeof(FORMAT)) ||
	    memcmp(h.tree, tree->id, GG_OID_RAWSZ) ||
	    memcmp(h.sizes, struct_sizes, sizeof(struct_sizes)) ||
	    !lay_out(&a, &h, data, len))
		return GG_EINVALID;
	/* the strings stay where the file is mapped, kept with the set */
	r.tab = data + len - h.strtab_len;
	r.len = h.strtab_len;
	r.bad = 0;
	read_all(&r, d, &h, &a);
	d->tree = *tree;
	return r.bad ? GG_EINVALID : 0;
}

int gg_defs__load_bin(struct gg_defs **out, const char *dir,
		      const struct gg_oid *tree)
{
	char *path = bin_path(dir, tree);
	int fd = open(path, O_RDONLY), err = GG_ENOTFOUND;
	struct gg_defs *d = NULL;
	struct stat st;
	void *map = MAP_FAILED;

	*out = NULL;
	free(path);
	if (fd < 0)
		return GG_ENOTFOUND;
	if (fstat(fd, &st) == 0 && st.st_size > 0 &&
	    st.st_size <= MAX_BIN_BYTES)
		map = mmap(NULL, (size_t)st.st_size, PROT_READ,
			   MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return err;
	d = gg_defs_empty();
	d->map = map;
	d->map_len = (size_t)st.st_size;
	err = parse_bin(d, map, (size_t)st.st_size, tree);
	if (err < 0)
		gg_defs_free(d);
	else
		*out = d;
	return err;
}
