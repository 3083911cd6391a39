/*
 * The definitions cache directory: one file per tree, written to a
 * temporary name and renamed, either the whole set or a delta against
 * the file of an older tree, so that a push writes what it changed, not
 * the whole set; old files are pruned, never the base of a kept one.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "defs-internal.h"
#include "xalloc.h"
#include "banned.h"

#define KEEP_CACHE_FILES 64
#define PRUNE_SLACK 16	  /* files past KEEP_CACHE_FILES before pruning */
#define MAX_DELTA_DEPTH 8 /* deltas on deltas before a whole set */
#define MAX_CACHE_BYTES (256 * 1024 * 1024)

static char *cache_path(const char *dir, const struct gg_oid *tree)
{
	char hex[GG_OID_HEXSZ + 1];

	gg_oid_to_hex(hex, tree);
	return gg_xasprintf("%s/defs-%s", dir, hex);
}

/* A file mapped into memory: read only once, where it lies (a whole
 * set is megabytes; copying it first would only touch more pages). */
struct mapped {
	char *data;
	size_t len;
};

/* 0, GG_ENOTFOUND, or GG_ELIMIT. */
static int map_file(struct mapped *m, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY), err = 0;

	m->data = NULL;
	m->len = 0;
	if (fd < 0)
		return GG_ENOTFOUND;
	if (fstat(fd, &st) < 0)
		err = GG_ENOTFOUND;
	else if (st.st_size > MAX_CACHE_BYTES)
		err = GG_ELIMIT;
	else if (st.st_size > 0) {
		m->data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
			       fd, 0);
		if (m->data == MAP_FAILED) {
			m->data = NULL;
			err = GG_ENOTFOUND;
		} else {
			m->len = (size_t)st.st_size;
		}
	}
	close(fd);
	return err;
}

static void unmap_file(struct mapped *m)
{
	if (m->data)
		munmap(m->data, m->len);
	m->data = NULL;
	m->len = 0;
}

int gg_defs__load(struct gg_defs **out, const char *dir,
		  const struct gg_oid *tree)
{
	struct mapped files[MAX_DELTA_DEPTH + 1];
	struct gg_oid want = *tree, delta_tree, base;
	size_t n = 0, i;
	char *path;
	int err, kind;

	*out = NULL;
	/* newest first: the deltas, then the whole set under them */
	for (;;) {
		path = cache_path(dir, &want);
		err = map_file(&files[n], path);
		free(path);
		if (err < 0) {
			n++;
			goto out;
		}
		kind = gg_defs__delta_ids(&delta_tree, &base, files[n].data,
					  files[n].len);
		n++;
		if (kind < 0 || (kind && gg_oid_cmp(&delta_tree, &want)) ||
		    (kind && n > MAX_DELTA_DEPTH)) {
			err = GG_EINVALID;
			goto out;
		}
		if (!kind)
			break;
		want = base;
	}
	/* the whole set: its flat twin, else the text (and a twin) */
	if (gg_defs__load_bin(out, dir, &want) < 0) {
		if ((err = gg_defs_parse(
			     out, files[n - 1].data ? files[n - 1].data : "",
			     files[n - 1].len)) < 0)
			goto out;
		if (!gg_oid_cmp(&(*out)->tree, &want))
			gg_defs__save_bin(*out, dir);
	}
	if (gg_oid_cmp(&(*out)->tree, &want)) {
		err = GG_EINVALID;
		goto out;
	}
	for (i = n - 1; i-- > 0 && !err;)
		err = gg_defs__apply_delta(*out, files[i].data, files[i].len);
	if (!err) {
		(*out)->from_cache = 1;
		(*out)->cached = 1;
		(*out)->cache_depth = (unsigned)(n - 1);
	}
out:
	if (err < 0) {
		gg_defs_free(*out);
		*out = NULL;
		if (err != GG_ENOTFOUND)
			err = GG_EINVALID;
	}
	for (i = 0; i < n; i++)
		unmap_file(&files[i]);
	return err;
}

struct entry {
	char *path;
	struct timespec mtime;
	int keep;
};

static int newer_first(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? 1 : -1;
	return x->mtime.tv_nsec < y->mtime.tv_nsec   ? 1
	       : x->mtime.tv_nsec > y->mtime.tv_nsec ? -1
						     : 0;
}

/* The base a kept delta file needs: mark it kept too.  1 if it was not. */
static int keep_base(struct entry *v, size_t n, const struct entry *e,
		     const char *dir)
{
	char head[128], *base_path;
	struct gg_oid tree, base;
	FILE *f = fopen(e->path, "r");
	size_t len = f ? fread(head, 1, sizeof(head), f) : 0, i;
	int added = 0;

	if (f)
		fclose(f);
	if (gg_defs__delta_ids(&tree, &base, head, len) != 1)
		return 0;
	base_path = cache_path(dir, &base);
	for (i = 0; i < n; i++)
		if (!v[i].keep && !strcmp(v[i].path, base_path))
			added = v[i].keep = 1;
	free(base_path);
	return added;
}

/* Remove the file of a set at `path` and the flat twin beside it. */
static void drop(const char *path)
{
	const char *name = strrchr(path, '/');
	char *twin;

	unlink(path);
	if (!name || strncmp(name + 1, "defs-", 5))
		return;
	twin = gg_xasprintf("%.*sdefsbin-%s", (int)(name + 1 - path), path,
			    name + 6);
	unlink(twin);
	free(twin);
}

/*
 * Keep the newest KEEP_CACHE_FILES files and every file a kept delta
 * builds on.  Runs only once PRUNE_SLACK files more have piled up, so
 * that most saves cost one directory read.
 */
static void prune(const char *dir)
{
	struct entry *v = NULL;
	size_t n = 0, alloc = 0, i;
	DIR *d = opendir(dir);
	struct dirent *e;
	int more;

	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, "defs-", 5))
			continue;
		GG_ALLOC_GROW(v, n + 1, alloc);
		v[n].path = gg_xasprintf("%s/%s", dir, e->d_name);
		v[n].mtime.tv_sec = 0;
		v[n].mtime.tv_nsec = 0;
		v[n++].keep = 0;
	}
	if (d)
		closedir(d);
	if (n > KEEP_CACHE_FILES + PRUNE_SLACK) {
		for (i = 0; i < n; i++) {
			struct stat st;

			if (stat(v[i].path, &st) == 0)
				v[i].mtime = st.st_mtim;
		}
		qsort(v, n, sizeof(*v), newer_first);
		for (i = 0; i < KEEP_CACHE_FILES; i++)
			v[i].keep = 1;
		do
			for (more = 0, i = 0; i < n; i++)
				if (v[i].keep)
					more |= keep_base(v, n, &v[i], dir);
		while (more);
		for (i = 0; i < n; i++)
			if (!v[i].keep)
				drop(v[i].path);
	}
	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

void gg_defs__save(struct gg_defs *d, const char *dir,
		   const struct gg_buf *delta, int replace)
{
	struct gg_buf whole = GG_BUF_INIT;
	const struct gg_buf *b = delta;
	char *path = cache_path(dir, &d->tree);
	char *tmp = gg_xasprintf("%s.%ld.tmp", path, (long)getpid());
	char *parent = gg_xstrdup(dir), *slash = strrchr(parent, '/');
	int use_delta = delta && d->cached && d->cache_depth < MAX_DELTA_DEPTH;
	FILE *f;
	int ok;

	if (!replace && access(path, F_OK) == 0) {
		/* the same tree has the same set; rewriting it as a delta
		 * could even make a loop (a revert to an older tree) */
		d->cached = 1;
		goto out;
	}
	if (slash) {
		*slash = '\0';
		mkdir(parent, 0755);
	}
	mkdir(dir, 0755);
	if (!use_delta) {
		gg_defs_serialize(&whole, d);
		b = &whole;
		gg_defs__save_bin(d, dir);
	}
	f = fopen(tmp, "w");
	ok = f && fwrite(b->buf, 1, b->len, f) == b->len;
	if (f && fclose(f) != 0)
		ok = 0;
	/* a cache that cannot be written only costs time next push */
	if (!ok || rename(tmp, path) < 0) {
		unlink(tmp);
		d->cached = 0;
	} else {
		d->cached = 1;
		d->cache_depth = use_delta ? d->cache_depth + 1 : 0;
		prune(dir);
	}
out:
	gg_buf_release(&whole);
	free(parent);
	free(path);
	free(tmp);
}
