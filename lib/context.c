/*
 * Reading the hook environment: repository and quarantine paths,
 * platform and pusher (table in reference/hook-platforms.md), push
 * options, the clock (GITOPS_GUARD_NOW for tests) and the deadline.
 */
#include <errno.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "context.h"
#include "xalloc.h"
#include "banned.h"

const char *gg_context_getenv(const char *name, void *payload)
{
	(void)payload;
	return getenv(name);
}

long long gg_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 16 random bytes: getrandom(2), else a mix of clocks and the pid. */
static void random_bytes(unsigned char out[16])
{
	struct timespec a, b;
	unsigned long long x;
	size_t i;

	if (getrandom(out, 16, GRND_NONBLOCK) == 16)
		return;
	clock_gettime(CLOCK_REALTIME, &a);
	clock_gettime(CLOCK_MONOTONIC, &b);
	x = ((unsigned long long)a.tv_sec * 1000000007ull) ^
	    (unsigned long long)a.tv_nsec ^
	    ((unsigned long long)b.tv_nsec << 20) ^
	    ((unsigned long long)getpid() << 40);
	for (i = 0; i < 16; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		out[i] = (unsigned char)(x >> 24);
	}
}

void gg_context_new_id(char out[GG_ID_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[16];
	size_t i, o = 0;

	random_bytes(r);
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40); /* version 4 */
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[r[i] >> 4];
		out[o++] = hex[r[i] & 0x0f];
	}
	out[o] = '\0';
}

static const char *env(gg_getenv_fn get, void *payload, const char *name)
{
	const char *v = get(name, payload);

	return v && *v ? v : NULL;
}

static char *absolute(const char *path)
{
	char *r = realpath(path, NULL);

	if (!r && errno == ENOMEM)
		r = gg_xstrdup(path); /* let the open fail with a message */
	return r;
}

/* Last path component without ".git"; a non-bare ".git" gives its parent. */
static char *name_from_path(const char *path)
{
	const char *end = path + strlen(path), *start;
	size_t len;

	while (end > path && end[-1] == '/')
		end--;
	start = end;
	while (start > path && start[-1] != '/')
		start--;
	if (end - start == 4 && !strncmp(start, ".git", 4) && start > path) {
		end = start - 1;
		start = end;
		while (start > path && start[-1] != '/')
			start--;
	}
	len = (size_t)(end - start);
	if (len > 4 && !strncmp(end - 4, ".git", 4))
		len -= 4;
	return gg_xstrndup(start, len);
}

/* The platform is told by which of its variables are set. */
static const struct {
	enum gg_platform platform;
	const char *vars[3]; /* any of these set; GITOLITE needs all */
} markers[] = {
	{ GG_PLATFORM_GITHUB,
	  { "GITHUB_USER_LOGIN", "GITHUB_REPO_NAME", NULL } },
	{ GG_PLATFORM_GITLAB, { "GL_ID", "GL_REPOSITORY", "GL_PROTOCOL" } },
	{ GG_PLATFORM_GITEA, { "GITEA_REPO_NAME", "GITEA_PUSHER_NAME", NULL } },
	{ GG_PLATFORM_BITBUCKET,
	  { "BB_HOOK_TRIGGER_ID", "BB_USER_NAME", NULL } },
	{ GG_PLATFORM_GITOLITE, { "GL_USER", "GL_REPO", NULL } },
	{ GG_PLATFORM_HTTP, { "GATEWAY_INTERFACE", "REMOTE_USER", NULL } },
};

static enum gg_platform which_platform(gg_getenv_fn get, void *pl)
{
	size_t i, j;

	for (i = 0; i < sizeof(markers) / sizeof(*markers); i++) {
		int all = markers[i].platform == GG_PLATFORM_GITOLITE;
		int hit = all;

		for (j = 0; j < 3 && markers[i].vars[j]; j++) {
			int set = !!env(get, pl, markers[i].vars[j]);

			hit = all ? hit && set : hit || set;
		}
		if (hit)
			return markers[i].platform;
	}
	return GG_PLATFORM_GIT;
}

static int equals(const char *v, const char *s)
{
	return v && !strcmp(v, s);
}

/* Whether the platform made this push itself, and through a merge. */
static void detect_flow(struct gg_context *ctx, gg_getenv_fn get, void *pl)
{
	const char *v;

	switch (ctx->platform) {
	case GG_PLATFORM_GITHUB:
		v = env(get, pl, "GITHUB_VIA");
		ctx->web = !!v;
		if (v && strstr(v, "merge") &&
		    !equals(v, "merge base into head"))
			ctx->merge_flow = gg_xasprintf("GitHub %s", v);
		else if (env(get, pl, "GITHUB_PULL_REQUEST_HEAD"))
			ctx->merge_flow =
				gg_xstrdup("GitHub pull request merge");
		break;
	case GG_PLATFORM_GITLAB:
		/*
		 * GitLab marks every UI and API update as web; whether it
		 * was a merge request merge is decided per commit (see
		 * promotion rules), so only the web flag is set here.
		 */
		ctx->web = equals(env(get, pl, "GL_PROTOCOL"), "web");
		break;
	case GG_PLATFORM_GITEA:
		v = env(get, pl, "GITEA_PUSH_TRIGGER");
		if (equals(v, "pr-merge-to-base") ||
		    (!v && env(get, pl, "GITEA_PR_ID")))
			ctx->merge_flow =
				gg_xstrdup("Gitea pull request merge");
		ctx->web = !!env(get, pl, "GITEA_INTERNAL_PUSH");
		break;
	case GG_PLATFORM_BITBUCKET:
		v = env(get, pl, "BB_HOOK_TRIGGER_ID");
		if (equals(v, "pull-request-merge"))
			ctx->merge_flow =
				gg_xstrdup("Bitbucket pull request merge");
		ctx->web = v && !equals(v, "push");
		break;
	default: break;
	}
}

static void detect_platform(struct gg_context *ctx, gg_getenv_fn get, void *pl)
{
	ctx->platform = which_platform(get, pl);
	detect_flow(ctx, get, pl);
}

static const char *const default_identity_vars[] = { "GITHUB_USER_LOGIN",
						     "GL_USERNAME",
						     "GITEA_PUSHER_NAME",
						     "GL_USER",
						     "BB_USER_NAME",
						     "REMOTE_USER",
						     NULL };

static void set_identity_from(struct gg_context *ctx, const char *const *names,
			      size_t nr, gg_getenv_fn get, void *pl)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		const char *v = env(get, pl, names[i]);

		if (v) {
			free(ctx->pusher);
			free(ctx->pusher_source);
			ctx->pusher = gg_xstrdup(v);
			ctx->pusher_source = gg_xstrdup(names[i]);
			return;
		}
	}
}

void gg_context_set_identity(struct gg_context *ctx,
			     const struct gg_strvec *names, gg_getenv_fn get,
			     void *payload)
{
	if (names->nr)
		set_identity_from(ctx, (const char *const *)names->v, names->nr,
				  get, payload);
}

static void set_repo_names(struct gg_context *ctx, gg_getenv_fn get, void *pl)
{
	static const char *const full_names[] = { "GITHUB_REPO_NAME",
						  "GL_PROJECT_PATH", "GL_REPO",
						  "BB_REPO_SLUG", NULL };
	const char *v = NULL, *owner;
	size_t i;

	for (i = 0; full_names[i] && !v; i++)
		v = env(get, pl, full_names[i]);
	if (!v && (v = env(get, pl, "GITEA_REPO_NAME"))) {
		owner = env(get, pl, "GITEA_REPO_USER_NAME");
		ctx->repo_path =
			owner ? gg_xasprintf("%s/%s", owner, v) : gg_xstrdup(v);
		ctx->repo_name = gg_xstrdup(v);
		return;
	}
	ctx->repo_path = gg_xstrdup(v ? v : ctx->git_dir);
	ctx->repo_name = name_from_path(ctx->repo_path);
}

static int read_push_options(struct gg_context *ctx, gg_getenv_fn get, void *pl)
{
	const char *count = env(get, pl, "GIT_PUSH_OPTION_COUNT");
	char name[64], *end;
	long n, i;

	if (!count)
		return 0;
	errno = 0;
	n = strtol(count, &end, 10);
	if (errno || *end || n < 0) {
		gg_error_set("GIT_PUSH_OPTION_COUNT is not a number");
		return GG_EINVALID;
	}
	if (n > GG_MAX_PUSH_OPTIONS) {
		gg_error_set("more than %d push options", GG_MAX_PUSH_OPTIONS);
		return GG_ELIMIT;
	}
	for (i = 0; i < n; i++) {
		const char *v;

		snprintf(name, sizeof(name), "GIT_PUSH_OPTION_%ld", i);
		v = get(name, pl);
		if (!v)
			v = "";
		if (strlen(v) > GG_MAX_PUSH_OPTION_LEN) {
			gg_error_set("push option %ld is longer than %d bytes",
				     i, GG_MAX_PUSH_OPTION_LEN);
			return GG_ELIMIT;
		}
		gg_strvec_push(&ctx->push_options, v);
	}
	return 0;
}

static char *find_quarantine(const char *git_dir, gg_getenv_fn get, void *pl)
{
	const char *q = env(get, pl, "GIT_QUARANTINE_PATH");
	const char *objdir;
	char *main_objects, *a, *b, *r = NULL;

	if (q)
		return absolute(q);
	/* GitLab passes no GIT_QUARANTINE_PATH: compare the object dir */
	objdir = env(get, pl, "GIT_OBJECT_DIRECTORY");
	if (!objdir)
		return NULL;
	main_objects = gg_xasprintf("%s/objects", git_dir);
	a = absolute(objdir);
	b = absolute(main_objects);
	if (a && (!b || strcmp(a, b)))
		r = a;
	else
		free(a);
	free(b);
	free(main_objects);
	return r;
}

int gg_context_init(struct gg_context *out, enum gg_hook_kind hook,
		    const char *git_dir, gg_getenv_fn get, void *pl)
{
	const char *now;
	int err = 0;

	memset(out, 0, sizeof(*out));
	gg_strvec_init(&out->push_options);
	out->hook = hook;
	out->start_ms = gg_clock_ms();
	out->now = (long long)time(NULL);
	gg_context_new_id(out->id);
	if (!git_dir)
		git_dir = env(get, pl, "GIT_DIR");
	if (!git_dir)
		git_dir = ".";
	out->git_dir = absolute(git_dir);
	if (!out->git_dir) {
		gg_error_set("cannot find repository '%s': %s", git_dir,
			     strerror(errno));
		out->git_dir = gg_xstrdup(git_dir);
		err = GG_ENOTFOUND;
	}
	detect_platform(out, get, pl);
	set_identity_from(out, default_identity_vars,
			  sizeof(default_identity_vars) /
					  sizeof(*default_identity_vars) -
				  1,
			  get, pl);
	set_repo_names(out, get, pl);
	if (hook == GG_HOOK_PRE_RECEIVE)
		out->quarantine = find_quarantine(out->git_dir, get, pl);
	if (!err && (now = env(get, pl, "GITOPS_GUARD_NOW")) &&
	    gg_time_parse(&out->now, now) < 0) {
		gg_error_set("GITOPS_GUARD_NOW '%s' is not a time", now);
		err = GG_EINVALID;
	}
	if (!err && hook != GG_HOOK_UPDATE)
		err = read_push_options(out, get, pl);
	return err;
}

void gg_context_release(struct gg_context *ctx)
{
	free(ctx->git_dir);
	free(ctx->quarantine);
	free(ctx->repo_name);
	free(ctx->repo_path);
	free(ctx->pusher);
	free(ctx->pusher_source);
	free(ctx->merge_flow);
	gg_strvec_release(&ctx->push_options);
	memset(ctx, 0, sizeof(*ctx));
	gg_strvec_init(&ctx->push_options);
}

void gg_context_set_deadline(struct gg_context *ctx, long long ms)
{
	ctx->deadline_ms = ms > 0 ? ctx->start_ms + ms : 0;
}

int gg_context_expired(const struct gg_context *ctx)
{
	return ctx->deadline_ms && gg_clock_ms() >= ctx->deadline_ms;
}

long long gg_context_elapsed_ms(const struct gg_context *ctx)
{
	return gg_clock_ms() - ctx->start_ms;
}

/* Days since 1970-01-01 for a proleptic Gregorian date. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static int days_in(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return days[m - 1] + (m == 2 && leap);
}

static int digits(const char **s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return 0;
}

static int parse_epoch(long long *out, const char *p)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(p, &end, 10);
	if (errno || *end || end == p)
		return GG_EINVALID;
	*out = v;
	return 0;
}

/* "HH:MM[:SS]" after a date; advances *p. */
static int parse_clock(const char **p, int *h, int *mi, int *sec)
{
	if (digits(p, 2, h) || *(*p)++ != ':' || digits(p, 2, mi))
		return GG_EINVALID;
	if (**p == ':') {
		(*p)++;
		if (digits(p, 2, sec))
			return GG_EINVALID;
	}
	return 0;
}

int gg_time_parse(long long *out, const char *s)
{
	int y, mo, d, h = 0, mi = 0, sec = 0;
	const char *p = s;

	if (*p == '@')
		return parse_epoch(out, p + 1);
	if (strlen(p) > 4 && !strchr(p, '-'))
		return parse_epoch(out, p);
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
	    *p++ != '-' || digits(&p, 2, &d))
		return GG_EINVALID;
	if ((*p == 'T' || *p == ' ') && (p++, parse_clock(&p, &h, &mi, &sec)))
		return GG_EINVALID;
	if (*p == 'Z')
		p++;
	if (*p || mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return GG_EINVALID;
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	       h * 3600 + mi * 60 + sec;
	return 0;
}

void gg_time_format(char *out, long long t)
{
	time_t tt;
	struct tm tm;

	/* years 0000..9999: gmtime_r succeeds and the text fits 21 bytes */
	if (t > 253402300799LL)
		t = 253402300799LL;
	else if (t < -62167219200LL)
		t = -62167219200LL;
	tt = (time_t)t;
	gmtime_r(&tt, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *gg_platform_name(enum gg_platform p)
{
	static const char *const names[] = { "git",	 "http",  "gitlab",
					     "github",	 "gitea", "gitolite",
					     "bitbucket" };

	return names[p];
}

const char *gg_hook_name(enum gg_hook_kind h)
{
	static const char *const names[] = { "pre-receive", "update",
					     "post-receive", "check" };

	return names[h];
}
