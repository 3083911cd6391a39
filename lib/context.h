/*
 * The context of one hook run, read from the environment: where the
 * repository and the pushed objects are, who pushes through which
 * platform, the push options, the clock and the deadline.
 *
 * The environment is read through a callback so that unit tests can
 * pass a fake one; hooks pass gg_context_getenv (getenv).
 */
#ifndef GG_CONTEXT_H
#define GG_CONTEXT_H

#include "strvec.h"

enum gg_platform {
	GG_PLATFORM_GIT,  /* plain git over ssh or file:// */
	GG_PLATFORM_HTTP, /* git http-backend (CGI REMOTE_USER) */
	GG_PLATFORM_GITLAB,
	GG_PLATFORM_GITHUB, /* GitHub Enterprise Server */
	GG_PLATFORM_GITEA,  /* Gitea and Forgejo */
	GG_PLATFORM_GITOLITE,
	GG_PLATFORM_BITBUCKET /* Bitbucket Data Center hook scripts */
};

enum gg_hook_kind {
	GG_HOOK_PRE_RECEIVE,
	GG_HOOK_UPDATE,
	GG_HOOK_POST_RECEIVE,
	GG_HOOK_CHECK /* `gitops-guard check` on a local repository */
};

typedef const char *(*gg_getenv_fn)(const char *name, void *payload);

/* getenv(3) in the gg_getenv_fn shape. */
const char *gg_context_getenv(const char *name, void *payload);

/* Limits on what the environment may pass. */
#define GG_MAX_PUSH_OPTIONS 256
#define GG_MAX_PUSH_OPTION_LEN 4096

/* The size of an event id with its NUL: a UUID, 36 characters. */
#define GG_ID_SIZE 37

struct gg_context {
	enum gg_hook_kind hook;
	char id[GG_ID_SIZE]; /* this run's event id: a random UUID */
	char *git_dir;	     /* absolute path of the repository */
	char *quarantine; /* object directory of the pushed objects, or NULL */
	char *repo_name;  /* last path component, no ".git": "deploy" */
	char *repo_path;  /* platform's name ("platform/deploy") or git_dir */
	enum gg_platform platform;
	char *pusher; /* identity, or NULL when the platform gives none */
	char *pusher_source; /* the variable it came from, or NULL */
	char *merge_flow;    /* the platform merge flow of this push, or NULL */
	int web;	     /* made by the platform's web UI or API */
	struct gg_strvec push_options;
	long long now;	       /* wall clock, Unix seconds (GITOPS_GUARD_NOW) */
	long long start_ms;    /* monotonic start */
	long long deadline_ms; /* monotonic deadline; 0 = none */
};

/*
 * Fill `out` (caller storage) from the environment.  `git_dir` overrides
 * GIT_DIR (the check command passes --repo); NULL reads GIT_DIR, else
 * ".".  0, or GG_EINVALID (GITOPS_GUARD_NOW or GIT_PUSH_OPTION_COUNT
 * unparsable), GG_ELIMIT (more than GG_MAX_PUSH_OPTIONS options, or one
 * longer than GG_MAX_PUSH_OPTION_LEN) or GG_ENOTFOUND (no such
 * repository directory).  Release with gg_context_release() in either case.
 */
int gg_context_init(struct gg_context *out, enum gg_hook_kind hook,
		    const char *git_dir, gg_getenv_fn get, void *payload);
void gg_context_release(struct gg_context *ctx);

/*
 * Re-read the pusher identity from the first set variable of `names`
 * (the policy's identity.env list); with an empty list the platform
 * default stays.
 */
void gg_context_set_identity(struct gg_context *ctx,
			     const struct gg_strvec *names, gg_getenv_fn get,
			     void *payload);

/*
 * A new random id (a version 4 UUID, "5b0c3e1e-8f0d-4c36-9a55-...") in
 * `out`: the audit event's id, which the webhook sends as the request's
 * Idempotency-Key, so that a receiver can drop a repeated delivery.
 */
void gg_context_new_id(char out[GG_ID_SIZE]);

/* Set the deadline `ms` milliseconds after the start (0: none). */
void gg_context_set_deadline(struct gg_context *ctx, long long ms);

/* 1 when the deadline has passed. */
int gg_context_expired(const struct gg_context *ctx);

/* Milliseconds since the start of the run. */
long long gg_context_elapsed_ms(const struct gg_context *ctx);

/* A monotonic clock in milliseconds. */
long long gg_clock_ms(void);

/*
 * Parse a time: Unix seconds ("1767225600" or "@1767225600") or ISO 8601
 * UTC ("2026-12-24T10:00:00Z", "2026-12-24 10:00", "2026-12-24").
 * 0, or GG_EINVALID.
 */
int gg_time_parse(long long *out, const char *s);

/* Format Unix seconds as "2026-12-24T10:00:00Z" into `out` (21 bytes). */
void gg_time_format(char *out, long long t);

/* A name for the platform: "git", "gitlab", "github", ... */
const char *gg_platform_name(enum gg_platform p);

/* A name for the hook: "pre-receive", "update", "post-receive", "check". */
const char *gg_hook_name(enum gg_hook_kind h);

#endif
