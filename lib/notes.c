/*
 * Pending note texts between pre-receive and post-receive.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "notes.h"
#include "xalloc.h"
#include "banned.h"

#define STALE_SECONDS 86400

static char *pending_dir(const struct gg_session *s)
{
	return gg_xasprintf("%s/gitops-guard/pending", s->ctx.git_dir);
}

static char *pending_path(const struct gg_session *s, const struct gg_update *u)
{
	uint64_t h = 14695981039346656037ull;
	const char *parts[3] = { u->old_hex, u->new_hex, u->ref };
	char *dir = pending_dir(s), *r;
	size_t i;

	for (i = 0; i < 3; i++) {
		const unsigned char *p = (const unsigned char *)parts[i];

		for (; *p; p++)
			h = (h ^ *p) * 1099511628211ull;
		h = (h ^ ' ') * 1099511628211ull;
	}
	r = gg_xasprintf("%s/%016llx", dir, (unsigned long long)h);
	free(dir);
	return r;
}

static void note_text(struct gg_buf *b, const struct gg_session *s,
		      const struct gg_result *r, const char *ref)
{
	char when[32];
	size_t i;

	gg_time_format(when, s->ctx.now);
	gg_buf_addf(b, "gitops-guard %s, %s, pushed by %s\n", PACKAGE_VERSION,
		    when, s->ctx.pusher ? s->ctx.pusher : "unknown");
	for (i = 0; i < r->findings.nr; i++) {
		const struct gg_finding *f = &r->findings.v[i];

		if (!f->ref || strcmp(f->ref, ref) || f->severity < GG_SEV_WARN)
			continue;
		gg_buf_addf(b, "[%s] %s%s%s", f->rule, f->path ? f->path : "",
			    f->path ? ": " : "", f->message);
		if (f->waiver == GG_WAIVER_BREAK_GLASS)
			gg_buf_addf(b, " (break-glass by %s: %s)", f->waived_by,
				    r->break_glass_reason
					    ? r->break_glass_reason
					    : "");
		else if (f->waiver != GG_WAIVER_NONE)
			gg_buf_addf(b, " (confirmed by %s)", f->waived_by);
		gg_buf_addch(b, '\n');
	}
}

static int write_file(const char *path, const struct gg_buf *b)
{
	char *tmp = gg_xasprintf("%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	int err = 0;

	if (!f || fwrite(b->buf, 1, b->len, f) != b->len) {
		gg_error_set("cannot write '%s': %s", tmp, strerror(errno));
		err = GG_ERROR;
	}
	if (f && fclose(f) != 0 && !err) {
		gg_error_set("cannot write '%s': %s", tmp, strerror(errno));
		err = GG_ERROR;
	}
	if (!err && rename(tmp, path) < 0) {
		gg_error_set("cannot rename '%s': %s", tmp, strerror(errno));
		err = GG_ERROR;
	}
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

int gg_notes_stash(const struct gg_session *s, const struct gg_push *push,
		   const struct gg_result *r)
{
	char *dir = pending_dir(s),
	     *parent = gg_xasprintf("%s/gitops-guard", s->ctx.git_dir);
	size_t i, j;
	int err = 0;

	for (i = 0; i < push->nr && !err; i++) {
		const struct gg_update *u = &push->updates[i];
		struct gg_buf b = GG_BUF_INIT;
		int any = 0;
		char *path;

		for (j = 0; j < r->findings.nr && !any; j++)
			any = r->findings.v[j].ref &&
			      !strcmp(r->findings.v[j].ref, u->ref) &&
			      r->findings.v[j].severity >= GG_SEV_WARN;
		if (!any || u->kind == GG_UPDATE_DELETE ||
		    u->kind == GG_UPDATE_NOOP)
			continue;
		mkdir(parent, 0750);
		mkdir(dir, 0750);
		note_text(&b, s, r, u->ref);
		path = pending_path(s, u);
		err = write_file(path, &b);
		free(path);
		gg_buf_release(&b);
	}
	free(dir);
	free(parent);
	return err;
}

static void remove_stale(const struct gg_session *s)
{
	char *dir = pending_dir(s);
	DIR *d = opendir(dir);
	struct dirent *e;
	time_t now = time(NULL);

	while (d && (e = readdir(d))) {
		struct stat st;
		char *p;

		if (e->d_name[0] == '.')
			continue;
		p = gg_xasprintf("%s/%s", dir, e->d_name);
		if (stat(p, &st) == 0 && now - st.st_mtime > STALE_SECONDS)
			unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
	free(dir);
}

int gg_notes_apply(struct gg_session *s, const struct gg_push *push)
{
	size_t i;
	int written = 0, err = 0;

	for (i = 0; i < push->nr && !err; i++) {
		const struct gg_update *u = &push->updates[i];
		struct gg_buf b = GG_BUF_INIT;
		struct gg_oid tip;
		char *path = pending_path(s, u);
		FILE *f = fopen(path, "r");

		if (f) {
			char chunk[4096];
			size_t n;

			while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
				gg_buf_add(&b, chunk, n);
			fclose(f);
			if (u->kind != GG_UPDATE_DELETE &&
			    gg_oid_from_hex(&tip, u->new_hex) == 0) {
				err = gg_repo_note_append(s->repo, GG_NOTES_REF,
							  &tip, b.buf);
				written += !err;
			}
			unlink(path);
		}
		gg_buf_release(&b);
		free(path);
	}
	remove_stale(s);
	return err < 0 ? err : written;
}
