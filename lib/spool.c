/*
 * The webhook spool's files: their format, the retry schedule, and the
 * directory operations (atomic writes, listing, the delivery lock).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "spool.h"
#include "xalloc.h"
#include "banned.h"

#define MAGIC "gitops-guard spool 1"
#define MAX_ERROR 512
#define TMP_PREFIX ".tmp-"
#define STALE_TMP_SECONDS 3600

void gg_spool_entry_init(struct gg_spool_entry *e)
{
	memset(e, 0, sizeof(*e));
	gg_buf_init(&e->body, GG_SPOOL_MAX_FILE);
}

void gg_spool_entry_release(struct gg_spool_entry *e)
{
	free(e->id);
	free(e->error);
	gg_buf_release(&e->body);
	gg_spool_entry_init(e);
}

int gg_spool_id_valid(const char *id)
{
	size_t n = strspn(id, "0123456789abcdefghijklmnopqrstuvwxyz"
			      "ABCDEFGHIJKLMNOPQRSTUVWXYZ-");

	return n > 0 && n <= GG_SPOOL_MAX_ID && !id[n];
}

void gg_spool_format(struct gg_buf *out, const struct gg_spool_entry *e)
{
	gg_buf_addf(out, "%s\nid %s\nspooled %lld\nattempts %u\nnext %lld\n",
		    MAGIC, e->id, e->spooled, e->attempts, e->next);
	if (e->error)
		gg_buf_addf(out, "error %s\n", e->error);
	gg_buf_addch(out, '\n');
	gg_buf_add(out, e->body.buf, e->body.len);
}

/* A decimal number >= 0 that fills `s` exactly. */
static int number(long long *out, const char *s)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9')
		return GG_EINVALID;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return GG_EINVALID;
	*out = v;
	return 0;
}

/* One "key value" header line (NUL-terminated, no newline). */
static int header_line(struct gg_spool_entry *e, char *line, int *seen_time)
{
	char *val = strchr(line, ' ');
	long long n = 0;

	if (!val)
		return 0; /* a future flag without a value */
	*val++ = '\0';
	if (!strcmp(line, "id")) {
		if (!gg_spool_id_valid(val))
			return GG_EINVALID;
		free(e->id);
		e->id = gg_xstrdup(val);
		return 0;
	}
	if (!strcmp(line, "error")) {
		free(e->error);
		e->error = gg_xstrdup(val);
		return 0;
	}
	if (strcmp(line, "spooled") && strcmp(line, "attempts") &&
	    strcmp(line, "next"))
		return 0; /* a later version's */
	if (number(&n, val) < 0)
		return GG_EINVALID;
	if (!strcmp(line, "spooled")) {
		e->spooled = n;
		*seen_time = 1;
	} else if (!strcmp(line, "next")) {
		e->next = n;
	} else {
		e->attempts = n > UINT_MAX ? UINT_MAX : (unsigned)n;
	}
	return 0;
}

/* The header: 0 and *body where the event starts, or GG_EINVALID. */
static int parse_header(struct gg_spool_entry *e, const char **body,
			const char *data, const char *end)
{
	const char *p = data;
	int seen_time = 0, err = 0;

	while (!err && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		char *line;

		if (!eol)
			return GG_EINVALID;
		if (eol == p && p != data) {
			*body = p + 1;
			return e->id && seen_time ? 0 : GG_EINVALID;
		}
		line = gg_xstrndup(p, (size_t)(eol - p));
		if (p == data)
			err = strcmp(line, MAGIC) ? GG_EINVALID : 0;
		else
			err = header_line(e, line, &seen_time);
		free(line);
		p = eol + 1;
	}
	return GG_EINVALID;
}

int gg_spool_parse(struct gg_spool_entry *out, const char *data, size_t len)
{
	const char *body = NULL, *end = data + len;
	int err;

	gg_spool_entry_release(out);
	err = parse_header(out, &body, data, end);
	if (!err && body >= end)
		err = GG_EINVALID;
	if (!err)
		err = gg_buf_add(&out->body, body, (size_t)(end - body));
	if (err == GG_EINVALID)
		gg_error_set("not a spooled event");
	else if (err)
		gg_error_set("spooled event larger than %d bytes",
			     GG_SPOOL_MAX_FILE);
	return err;
}

long long gg_spool_backoff(unsigned attempts)
{
	long long wait = GG_SPOOL_BACKOFF_FIRST;
	unsigned i;

	for (i = 1; i < attempts && wait < GG_SPOOL_BACKOFF_MAX; i++)
		wait *= 2;
	return wait < GG_SPOOL_BACKOFF_MAX ? wait : GG_SPOOL_BACKOFF_MAX;
}

enum gg_spool_state gg_spool_state(const struct gg_spool_entry *e,
				   long long now)
{
	if (now - e->spooled > GG_SPOOL_MAX_AGE)
		return GG_SPOOL_EXPIRED;
	if (e->attempts >= GG_SPOOL_MAX_ATTEMPTS)
		return GG_SPOOL_EXHAUSTED;
	return now >= e->next ? GG_SPOOL_DUE : GG_SPOOL_WAIT;
}

void gg_spool_failed(struct gg_spool_entry *e, long long now, const char *error)
{
	size_t i, n = strlen(error);

	if (e->attempts < UINT_MAX)
		e->attempts++;
	e->next = now + gg_spool_backoff(e->attempts);
	free(e->error);
	e->error = gg_xstrndup(error, n > MAX_ERROR ? MAX_ERROR : n);
	for (i = 0; e->error[i]; i++)
		if ((unsigned char)e->error[i] < ' ' || e->error[i] == 0x7f)
			e->error[i] = ' ';
}

char *gg_spool_name(long long stamp_us, const char *id)
{
	return gg_xasprintf("%020lld-%s.event", stamp_us, id);
}

int gg_spool_name_valid(const char *name)
{
	size_t digits = strspn(name, "0123456789"), n = strlen(name);
	char *id;
	int ok;

	if (digits != 20 || name[20] != '-' || n < 28 ||
	    strcmp(name + n - 6, ".event"))
		return 0;
	id = gg_xstrndup(name + 21, n - 27);
	ok = gg_spool_id_valid(id);
	free(id);
	return ok;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int gg_spool_list(struct gg_strvec *out, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		if (errno == ENOENT)
			return 0;
		gg_error_set("cannot read spool '%s': %s", dir,
			     strerror(errno));
		return GG_ERROR;
	}
	while ((e = readdir(d)))
		if (gg_spool_name_valid(e->d_name))
			gg_strvec_push(out, e->d_name);
	closedir(d);
	if (out->nr > 1)
		qsort(out->v, out->nr, sizeof(*out->v), compare_names);
	return 0;
}

/* Read at most GG_SPOOL_MAX_FILE bytes of `path` into `b`. */
static int slurp(struct gg_buf *b, const char *path)
{
	char chunk[8192];
	FILE *f = fopen(path, "r");
	size_t n;
	int err = 0;

	if (!f) {
		if (errno == ENOENT)
			return GG_ENOTFOUND;
		gg_error_set("cannot read '%s': %s", path, strerror(errno));
		return GG_ERROR;
	}
	while (!err && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		err = gg_buf_add(b, chunk, n);
	if (err)
		gg_error_set("'%s' is larger than %d bytes", path,
			     GG_SPOOL_MAX_FILE);
	else if (ferror(f)) {
		gg_error_set("cannot read '%s': %s", path, strerror(errno));
		err = GG_ERROR;
	}
	fclose(f);
	return err;
}

int gg_spool_read(struct gg_spool_entry *out, const char *dir, const char *name)
{
	struct gg_buf b;
	char *path = gg_xasprintf("%s/%s", dir, name);
	int err;

	/* room for the header around the largest event */
	gg_buf_init(&b, GG_SPOOL_MAX_FILE + 4096);
	err = slurp(&b, path);
	if (!err && (err = gg_spool_parse(out, b.buf, b.len)) < 0)
		gg_error_prefix("'%s'", path);
	gg_buf_release(&b);
	free(path);
	return err;
}

/* mkdir -p with mode 0750 for each directory made. */
static int make_dirs(const char *dir)
{
	char *p = gg_xstrdup(dir), *s = p;
	int err = 0;

	while (!err && (s = strchr(s + 1, '/'))) {
		*s = '\0';
		if (mkdir(p, 0750) < 0 && errno != EEXIST)
			err = GG_ERROR;
		*s = '/';
	}
	if (!err && mkdir(p, 0750) < 0 && errno != EEXIST)
		err = GG_ERROR;
	if (err)
		gg_error_set("cannot create '%s': %s", p, strerror(errno));
	free(p);
	return err;
}

/* Write all of `b` to a new file `path`. */
static int write_new(const char *path, const struct gg_buf *b)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	ssize_t n;
	int err = 0;

	if (fd < 0) {
		gg_error_set("cannot create '%s': %s", path, strerror(errno));
		return GG_ERROR;
	}
	n = write(fd, b->buf, b->len);
	if (n < 0 || (size_t)n != b->len) {
		gg_error_set("cannot write '%s': %s", path,
			     n < 0 ? strerror(errno) : "short write");
		err = GG_ERROR;
	}
	if (close(fd) < 0 && !err) {
		gg_error_set("cannot write '%s': %s", path, strerror(errno));
		err = GG_ERROR;
	}
	return err;
}

int gg_spool_write(const char *dir, const char *name,
		   const struct gg_spool_entry *e)
{
	struct gg_buf b = GG_BUF_INIT;
	char *tmp = gg_xasprintf("%s/" TMP_PREFIX "%ld-%s", dir, (long)getpid(),
				 name),
	     *path = gg_xasprintf("%s/%s", dir, name);
	int err;

	gg_spool_format(&b, e);
	if ((err = make_dirs(dir)) < 0 || (err = write_new(tmp, &b)) < 0)
		goto out;
	if (rename(tmp, path) < 0) {
		gg_error_set("cannot rename '%s': %s", tmp, strerror(errno));
		err = GG_ERROR;
	}
out:
	if (err)
		unlink(tmp);
	gg_buf_release(&b);
	free(tmp);
	free(path);
	return err;
}

int gg_spool_remove(const char *dir, const char *name)
{
	char *path = gg_xasprintf("%s/%s", dir, name);
	int err = 0;

	if (unlink(path) < 0 && errno != ENOENT) {
		gg_error_set("cannot remove '%s': %s", path, strerror(errno));
		err = GG_ERROR;
	}
	free(path);
	return err;
}

int gg_spool_lock(int *fd, const char *dir)
{
	char *path = gg_xasprintf("%s/.lock", dir);
	int err;

	*fd = -1;
	if ((err = make_dirs(dir)) < 0)
		goto out;
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (*fd < 0) {
		gg_error_set("cannot open '%s': %s", path, strerror(errno));
		err = GG_ERROR;
		goto out;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) == 0) {
		err = 1;
		goto out;
	}
	if (errno != EWOULDBLOCK) {
		gg_error_set("cannot lock '%s': %s", path, strerror(errno));
		err = GG_ERROR;
	}
	close(*fd);
	*fd = -1;
out:
	free(path);
	return err;
}

void gg_spool_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

void gg_spool_clean_tmp(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	time_t now = time(NULL);

	while (d && (e = readdir(d))) {
		struct stat st;
		char *p;

		if (strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)))
			continue;
		p = gg_xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && now - st.st_mtime > STALE_TMP_SECONDS)
			unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
}
