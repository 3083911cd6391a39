/*
 * The app index cache: a built index written as one flat file, keyed
 * by a digest of everything the build reads, so that a push loads the
 * index of the tree before it (a copy and a check of some offsets)
 * instead of building it; and the shape files that let trees whose
 * index is the same share one file.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appindex.h"
#include "buf.h"
#include "strtab.h"
#include "xalloc.h"
#include "banned.h"

/* 2: what an app follows (tags, ranges); 3: who named its environment */
#define MAGIC "GGINDEX3"
/*
 * Index keys name the program that builds them (session.c), but shape
 * files do not: their tag changes when what an index holds does (2:
 * Lists are expanded, so an Application in a List is an app, and trees
 * an older build found alike may not be), and files with another tag
 * are not used.
 */
#define SHAPE_TAG "shape 2 "
#define SHAPE_TAG_LEN (sizeof(SHAPE_TAG) - 1)
#define MAX_INDEX_BYTES (256 * 1024 * 1024)
#define KEEP_INDEXES 16
#define KEEP_SHAPES 512

/*
 * Every field of struct gg_app, strings and numbers.  A field added to
 * the struct must be added here: the mirror below keeps the build from
 * forgetting.
 */
/* clang-format off */
#define APP_STRS(X)                                                            \
	X(name) X(root) X(revision) X(tag_prefix) X(include) X(exclude)       \
	X(ignore)                                                              \
	X(project) X(dest_server) X(dest_namespace) X(target_namespace)       \
	X(service_account) X(defined_in) X(generator) X(environment)
#define APP_INTS(X)                                                            \
	X(controller, 0, 1) X(origin, 0, 3) X(tool, 0, 2)                     \
	X(root_exists, 0, 1) X(follows, 0, 6) X(recurse, 0, 1)                \
	X(auto_sync, 0, 1) X(prune, 0, 1) X(self_heal, 0, 1)                  \
	X(allow_empty, 0, 1) X(suspended, 0, 1) X(cascade, 0, 1)              \
	X(line, 0, INT32_MAX) X(tier, -1, INT32_MAX) X(env_declared, -1, 1)
/* clang-format on */

/* struct gg_app as this file knows it, in the same order */
struct known_app {
	const char *name;
	int controller, origin;
	const char *root;
	int tool, root_exists;
	const char *revision, *tag_prefix;
	int follows, recurse;
	const char *include, *exclude, *ignore;
	int auto_sync, prune, self_heal, allow_empty, suspended;
	const char *project, *dest_server, *dest_namespace, *target_namespace,
		*service_account;
	int cascade;
	const char *defined_in;
	unsigned line;
	const char *generator, *environment;
	int tier, env_declared;
};
_Static_assert(sizeof(struct known_app) == sizeof(struct gg_app),
	       "a field of struct gg_app is missing in APP_STRS/APP_INTS");
_Static_assert(sizeof(struct gg_footprint) == 3 * sizeof(size_t),
	       "struct gg_footprint changed: update the index cache");

/* struct gg_index_input as the key knows it */
struct known_input {
	struct gg_repo *repo;
	struct gg_manifests *manifests;
	struct gg_index_layer layers[2];
	size_t nlayers;
	const struct gg_defs *content;
	const struct gg_policy *policy;
	const char *repo_name, *default_branch;
	const char *ref;
};
_Static_assert(sizeof(struct known_input) == sizeof(struct gg_index_input),
	       "an input of the index build is missing from its cache key");

#define COUNT(...) +1
enum { NSTRS = 0 APP_STRS(COUNT), NINTS = 0 APP_INTS(COUNT) };
#undef COUNT

struct header {
	char magic[8];
	uint32_t app_size; /* sizeof(struct gg_app) of the writer */
	uint32_t napps, nprints, nnotes, reads_files, strtab_len;
};

struct app_rec {
	uint32_t strs[NSTRS];
	int32_t ints[NINTS];
};

struct print_rec {
	uint32_t path, app, recursive;
};

/* --- keys and shapes ------------------------------------------------------ */

void gg_appindex_key(struct gg_oid *out, const struct gg_index_input *in,
		     const struct gg_oid *shapes, const char *extra)
{
	struct gg_buf b = GG_BUF_INIT;
	char hex[GG_OID_HEXSZ + 1];
	size_t i, n = in->nlayers;

	gg_buf_addf(&b, "gitops-guard-index 2\n%s\n", extra ? extra : "");
	/* a layer of the same shape as the one under it adds nothing */
	if (n == 2 && in->layers[0].tree && in->layers[1].tree &&
	    !gg_oid_cmp(&shapes[0], &shapes[1]))
		n = 1;
	for (i = 0; i < n; i++) {
		gg_oid_to_hex(hex, &shapes[i]);
		gg_buf_addf(&b, "layer %s\n", in->layers[i].tree ? hex : "-");
	}
	/* with two layers, which one's copy of an app wins depends on the
	 * ref (appindex.h); a first layer without definitions (the side
	 * before a new branch) has no copy, and every new branch from the
	 * same default branch shares the index */
	if (n == 2 && in->layers[0].defs->nfiles)
		gg_buf_addf(&b, "ref %s\n", in->ref ? in->ref : "-");
	if (in->content != in->layers[0].defs) /* a key never seen again */
		gg_buf_addf(&b, "content %p\n", (const void *)in->content);
	gg_buf_addf(&b, "repo %s\ndefault %s\n",
		    in->repo_name ? in->repo_name : "-",
		    in->default_branch ? in->default_branch : "-");
	gg_repo_hash(out, b.buf, b.len);
	gg_buf_release(&b);
}

static char *file_path(const char *dir, const char *kind,
		       const struct gg_oid *oid)
{
	char hex[GG_OID_HEXSZ + 1];

	gg_oid_to_hex(hex, oid);
	return gg_xasprintf("%s/%s-%s", dir, kind, hex);
}

void gg_appindex_shape(struct gg_oid *out, const char *dir,
		       const struct gg_oid *tree)
{
	char *path = file_path(dir, "shape", tree);
	char line[SHAPE_TAG_LEN + GG_OID_HEXSZ + 2];
	FILE *f = fopen(path, "r");

	*out = *tree;
	if (f && fgets(line, sizeof(line), f) &&
	    strlen(line) == SHAPE_TAG_LEN + GG_OID_HEXSZ + 1 &&
	    !memcmp(line, SHAPE_TAG, SHAPE_TAG_LEN) &&
	    line[SHAPE_TAG_LEN + GG_OID_HEXSZ] == '\n') {
		line[SHAPE_TAG_LEN + GG_OID_HEXSZ] = '\0';
		if (gg_oid_from_hex(out, line + SHAPE_TAG_LEN) < 0)
			*out = *tree;
	}
	if (f)
		fclose(f);
	free(path);
}

struct cached_file {
	char *path;
	struct timespec mtime;
};

static int newer_first(const void *a, const void *b)
{
	const struct cached_file *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? 1 : -1;
	return x->mtime.tv_nsec < y->mtime.tv_nsec   ? 1
	       : x->mtime.tv_nsec > y->mtime.tv_nsec ? -1
						     : 0;
}

/*
 * Keep the newest `keep` files whose names start with `prefix`; runs
 * once a quarter more have piled up, so that most writes cost one
 * directory read.  Index files are megabytes for a large repository,
 * and a push that changes the definitions writes one.
 */
static void prune(const char *dir, const char *prefix, size_t keep)
{
	struct cached_file *v = NULL;
	size_t n = 0, alloc = 0, i, plen = strlen(prefix);
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;

	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, prefix, plen))
			continue;
		GG_ALLOC_GROW(v, n + 1, alloc);
		v[n].path = gg_xasprintf("%s/%s", dir, e->d_name);
		v[n].mtime.tv_sec = 0;
		v[n++].mtime.tv_nsec = 0;
	}
	if (d)
		closedir(d);
	if (n > keep + keep / 4) {
		for (i = 0; i < n; i++)
			if (stat(v[i].path, &st) == 0)
				v[i].mtime = st.st_mtim;
		qsort(v, n, sizeof(*v), newer_first);
		for (i = keep; i < n; i++)
			unlink(v[i].path);
	}
	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

/* Write `data` to `path` through a temporary file; failures only cost
 * time later. */
static void write_file(const char *path, const void *data, size_t len)
{
	char *tmp = gg_xasprintf("%s.%ld.tmp", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	int ok = f && fwrite(data, 1, len, f) == len;

	if (f && fclose(f) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) < 0)
		unlink(tmp);
	free(tmp);
}

void gg_appindex_set_shape(const char *dir, const struct gg_oid *tree,
			   const struct gg_oid *shape)
{
	char hex[GG_OID_HEXSZ + 1], *path, *line;

	if (!gg_oid_cmp(tree, shape))
		return;
	gg_oid_to_hex(hex, shape);
	line = gg_xasprintf("%s%s\n", SHAPE_TAG, hex);
	path = file_path(dir, "shape", tree);
	write_file(path, line, strlen(line));
	free(line);
	free(path);
	prune(dir, "shape-", KEEP_SHAPES);
}

/* --- writing -------------------------------------------------------------- */

void gg_appindex_save(const struct gg_appindex *idx, const char *dir,
		      const struct gg_oid *key)
{
	struct gg_strtab t;
	struct gg_buf out = GG_BUF_INIT;
	struct header h;
	struct app_rec *apps = gg_xcalloc(idx->napps + 1, sizeof(*apps));
	struct print_rec *prints =
		gg_xcalloc(idx->nprints + 1, sizeof(*prints));
	uint32_t *notes = gg_xcalloc(idx->notes.nr + 1, sizeof(*notes));
	char *path;
	size_t i;

	gg_strtab_init(&t);
	for (i = 0; i < idx->napps; i++) {
		const struct gg_app *a = &idx->apps[i];
		size_t s = 0, n = 0;

#define STR(f) apps[i].strs[s++] = gg_strtab_intern(&t, a->f);
#define INT(f, lo, hi) apps[i].ints[n++] = (int32_t)a->f;
		APP_STRS(STR)
		APP_INTS(INT)
#undef STR
#undef INT
	}
	for (i = 0; i < idx->nprints; i++) {
		prints[i].path = gg_strtab_intern(&t, idx->prints[i].path);
		prints[i].app = (uint32_t)idx->prints[i].app;
		prints[i].recursive = (uint32_t)idx->prints[i].recursive;
	}
	for (i = 0; i < idx->notes.nr; i++)
		notes[i] = gg_strtab_intern(&t, idx->notes.v[i]);
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, MAGIC, sizeof(h.magic));
	h.app_size = (uint32_t)sizeof(struct gg_app);
	h.napps = (uint32_t)idx->napps;
	h.nprints = (uint32_t)idx->nprints;
	h.nnotes = (uint32_t)idx->notes.nr;
	h.reads_files = (uint32_t)idx->reads_files;
	h.strtab_len = (uint32_t)t.text.len;
	gg_buf_add(&out, &h, sizeof(h));
	gg_buf_add(&out, apps, idx->napps * sizeof(*apps));
	gg_buf_add(&out, prints, idx->nprints * sizeof(*prints));
	gg_buf_add(&out, notes, idx->notes.nr * sizeof(*notes));
	gg_buf_add(&out, t.text.buf, t.text.len);
	path = file_path(dir, "index", key);
	mkdir(dir, 0755);
	write_file(path, out.buf, out.len);
	free(path);
	prune(dir, "index-", KEEP_INDEXES);
	gg_buf_release(&out);
	gg_strtab_release(&t);
	free(apps);
	free(prints);
	free(notes);
}

/* --- reading -------------------------------------------------------------- */

struct reader {
	const char *strtab;
	uint32_t len;
	int bad;
};

static const char *str_at(struct reader *r, uint32_t off)
{
	return gg_strtab_at(r->strtab, r->len, off, &r->bad);
}

static int32_t int_in(struct reader *r, int32_t v, int32_t lo, int32_t hi)
{
	if (v < lo || v > hi)
		r->bad = 1;
	return v;
}

static void read_app(struct gg_app *a, const struct app_rec *rec,
		     struct reader *r)
{
	size_t s = 0, n = 0;

	memset(a, 0, sizeof(*a));
#define STR(f) a->f = str_at(r, rec->strs[s++]);
#define INT(f, lo, hi) a->f = int_in(r, rec->ints[n++], lo, hi);
	APP_STRS(STR)
	APP_INTS(INT)
#undef STR
#undef INT
	if (!a->name || !a->root)
		r->bad = 1;
}

/* Check the sizes in the header against the file's length. */
static int sizes_fit(const struct header *h, size_t len)
{
	uint64_t want = sizeof(*h) +
			(uint64_t)h->napps * sizeof(struct app_rec) +
			(uint64_t)h->nprints * sizeof(struct print_rec) +
			(uint64_t)h->nnotes * sizeof(uint32_t) + h->strtab_len;

	return !memcmp(h->magic, MAGIC, sizeof(h->magic)) &&
	       h->app_size == sizeof(struct gg_app) && want == len &&
	       h->strtab_len > 0;
}

static int parse(struct gg_appindex *idx, const char *data, size_t len)
{
	struct header h;
	const char *p = data + sizeof(h);
	struct reader r;
	size_t i;

	if (len < sizeof(h))
		return GG_EINVALID;
	memcpy(&h, data, sizeof(h));
	if (!sizes_fit(&h, len) || data[len - 1] != '\0')
		return GG_EINVALID;
	/* the strings stay where the file is mapped (idx->map) */
	r.strtab = data + len - h.strtab_len;
	r.len = h.strtab_len;
	r.bad = 0;
	idx->apps = gg_xcalloc((size_t)h.napps + 1, sizeof(*idx->apps));
	idx->napps = idx->apps_alloc = h.napps;
	for (i = 0; i < h.napps && !r.bad; i++, p += sizeof(struct app_rec)) {
		struct app_rec rec;

		memcpy(&rec, p, sizeof(rec));
		read_app(&idx->apps[i], &rec, &r);
	}
	idx->prints = gg_xcalloc((size_t)h.nprints + 1, sizeof(*idx->prints));
	idx->nprints = idx->prints_alloc = h.nprints;
	p = data + sizeof(h) + (size_t)h.napps * sizeof(struct app_rec);
	for (i = 0; i < h.nprints && !r.bad; i++) {
		struct print_rec rec;

		memcpy(&rec, p + i * sizeof(rec), sizeof(rec));
		idx->prints[i].path = str_at(&r, rec.path);
		idx->prints[i].app = rec.app;
		idx->prints[i].recursive = (int)rec.recursive;
		if (!idx->prints[i].path || rec.app >= h.napps ||
		    rec.recursive > 1 ||
		    (i &&
		     strcmp(idx->prints[i - 1].path, idx->prints[i].path) > 0))
			r.bad = 1;
	}
	p += (size_t)h.nprints * sizeof(struct print_rec);
	for (i = 0; i < h.nnotes && !r.bad; i++) {
		uint32_t off;
		const char *note;

		memcpy(&off, p + i * sizeof(off), sizeof(off));
		note = str_at(&r, off);
		if (note)
			gg_strvec_push(&idx->notes, note);
	}
	idx->reads_files = h.reads_files != 0;
	return r.bad ? GG_EINVALID : 0;
}

int gg_appindex_load(struct gg_appindex **out, const char *dir,
		     const struct gg_oid *key)
{
	struct gg_appindex *idx = gg_xcalloc(1, sizeof(*idx));
	char *path = file_path(dir, "index", key);
	int fd = open(path, O_RDONLY), err = GG_ENOTFOUND;
	void *map;
	struct stat st;

	*out = NULL;
	gg_arena_init(&idx->arena);
	gg_strvec_init(&idx->notes);
	free(path);
	if (fd < 0 || fstat(fd, &st) < 0)
		goto out;
	err = GG_EINVALID;
	if (st.st_size <= 0 || st.st_size > MAX_INDEX_BYTES)
		goto out;
	/* mapped in one go, and kept: the strings stay there */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ,
		   MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (map != MAP_FAILED) {
		idx->map = map;
		idx->map_len = (size_t)st.st_size;
		err = parse(idx, map, (size_t)st.st_size);
	}
out:
	if (fd >= 0)
		close(fd);
	if (err < 0) {
		gg_appindex_free(idx);
		return err;
	}
	*out = idx;
	return 0;
}
