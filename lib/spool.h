/*
 * The webhook spool: audit events waiting for delivery, one file per
 * event in a directory (audit.webhook.spool, by default
 * gitops-guard/spool inside the repository).  This module knows the
 * file format, the retry schedule and the directory operations; what to
 * send and when is webhook.[ch].
 *
 * A spool file is a small header and the event, exactly as it goes into
 * the request body:
 *
 *   gitops-guard spool 1
 *   id 5b0c3e1e-8f0d-4c36-9a55-0c2f4f1e2d7a
 *   spooled 1767225600
 *   attempts 2
 *   next 1767225690
 *   error HTTP 500 from 'https://audit.example.com/hook'
 *
 *   {"time":"2026-01-01T00:00:00Z","version":"1.0","id":"5b0c...",...}
 *
 * `spooled` and `next` are Unix seconds of the run's clock (which
 * GITOPS_GUARD_NOW sets); `error` is the last failure, on one line, and
 * absent before the first attempt.  Unknown header lines are skipped,
 * so that a later version may add some.  The file is named
 * "<microseconds>-<id>.event" after the wall clock at spooling, so that
 * names sort in the order the events were made; files whose names start
 * with a dot (".lock", ".tmp-*") are not events.
 *
 * Files are written to a temporary name and renamed into place, so a
 * reader never sees half an event.  Whoever delivers holds the spool's
 * lock (an flock on ".lock"); writers of new events do not need it.
 */
#ifndef GG_SPOOL_H
#define GG_SPOOL_H

#include "buf.h"
#include "strvec.h"

/* Bounds: events kept at most, their age, delivery attempts, size. */
#define GG_SPOOL_MAX_EVENTS 1000
#define GG_SPOOL_MAX_AGE (7LL * 86400)
#define GG_SPOOL_MAX_ATTEMPTS 20
#define GG_SPOOL_MAX_FILE (8 * 1024 * 1024)

/* The wait after the first failed attempt, doubling up to the second. */
#define GG_SPOOL_BACKOFF_FIRST 30LL
#define GG_SPOOL_BACKOFF_MAX 3600LL

/* The longest event id (a UUID has 36 characters). */
#define GG_SPOOL_MAX_ID 64

struct gg_spool_entry {
	char *id;	    /* the event's id: [0-9A-Za-z-], at most 64 */
	long long spooled;  /* when it was spooled, Unix seconds */
	unsigned attempts;  /* failed deliveries so far */
	long long next;	    /* not to be tried before, Unix seconds */
	char *error;	    /* the last failure, or NULL */
	struct gg_buf body; /* the event JSON */
};

enum gg_spool_state {
	GG_SPOOL_DUE,	   /* try it now */
	GG_SPOOL_WAIT,	   /* its next attempt has not come */
	GG_SPOOL_EXPIRED,  /* older than GG_SPOOL_MAX_AGE: give up */
	GG_SPOOL_EXHAUSTED /* GG_SPOOL_MAX_ATTEMPTS failed: give up */
};

/* Set up `e` (caller storage) empty; release with
 * gg_spool_entry_release(). */
void gg_spool_entry_init(struct gg_spool_entry *e);
void gg_spool_entry_release(struct gg_spool_entry *e);

/* 1 when `id` may name an event (and a file): 1 to 64 of [0-9A-Za-z-]. */
int gg_spool_id_valid(const char *id);

/* Append the file form of `e` to `out`. */
void gg_spool_format(struct gg_buf *out, const struct gg_spool_entry *e);

/*
 * Parse the file form (`len` bytes) into `out` (initialised; its earlier
 * contents are released).  0, or GG_EINVALID with the problem: a wrong
 * first line, a missing or bad id or time, a bad number, no blank line,
 * an empty event.
 */
int gg_spool_parse(struct gg_spool_entry *out, const char *data, size_t len);

/*
 * The wait in seconds after the `attempts`-th failed attempt (1 or
 * more): GG_SPOOL_BACKOFF_FIRST, doubling each time, at most
 * GG_SPOOL_BACKOFF_MAX.
 */
long long gg_spool_backoff(unsigned attempts);

/*
 * What to do with `e` at time `now`: give up when it is older than
 * GG_SPOOL_MAX_AGE (EXPIRED) or has used its attempts (EXHAUSTED), else
 * DUE once `next` has come, WAIT before.
 */
enum gg_spool_state gg_spool_state(const struct gg_spool_entry *e,
				   long long now);

/*
 * Record a failed attempt at `now`: count it, keep `error` (made one
 * line, at most 512 bytes) and schedule the next one after the backoff.
 */
void gg_spool_failed(struct gg_spool_entry *e, long long now,
		     const char *error);

/*
 * The file name of an event with id `id` spooled at `stamp_us`
 * microseconds of the wall clock.  Caller owns the result; free with
 * free().
 */
char *gg_spool_name(long long stamp_us, const char *id);

/* 1 when `name` is the name of an event file. */
int gg_spool_name_valid(const char *name);

/*
 * The names of the event files in `dir`, sorted (oldest first), into
 * `out` (initialised).  A missing directory is an empty spool.  0, or
 * GG_ERROR when the directory cannot be read.
 */
int gg_spool_list(struct gg_strvec *out, const char *dir);

/*
 * Read event file `name` of `dir` into `out` (initialised).  0,
 * GG_ENOTFOUND (gone, delivered by someone else), GG_ELIMIT (larger
 * than GG_SPOOL_MAX_FILE), GG_EINVALID (does not parse) or GG_ERROR.
 */
int gg_spool_read(struct gg_spool_entry *out, const char *dir,
		  const char *name);

/*
 * Write `e` as file `name` of `dir` (created with its missing parents,
 * mode 0750), through a temporary file and a rename, replacing a file
 * of that name.  0, or GG_ERROR.
 */
int gg_spool_write(const char *dir, const char *name,
		   const struct gg_spool_entry *e);

/* Remove event file `name` of `dir`; a missing file is no error.
 * 0, or GG_ERROR. */
int gg_spool_remove(const char *dir, const char *name);

/*
 * Take the spool's delivery lock without waiting: 1 and the lock's file
 * descriptor in *fd when taken, 0 when someone else holds it, or
 * GG_ERROR (the lock file cannot be opened; the directory is created
 * first).  Release with gg_spool_unlock().
 */
int gg_spool_lock(int *fd, const char *dir);
void gg_spool_unlock(int fd);

/* Remove temporary files of writers that died, older than an hour. */
void gg_spool_clean_tmp(const char *dir);

#endif
