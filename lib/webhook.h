/*
 * Delivering audit events to the webhook (audit.webhook in a
 * server-side policy), without making a push wait on the network.
 *
 * A judging hook (pre-receive, update) writes its event to the spool
 * (spool.h) right after the audit log line, and sends nothing, with one
 * exception: an event that asks for break-glass, granted or denied, is
 * posted at once, within what is left of the run's deadline and the
 * webhook timeout, and spooled only when that fails.  Everything else
 * is delivered by whoever flushes the spool: the post-receive hook of
 * every accepted push, within the run's deadline, and `gitops-guard
 * webhook flush`, which an administrator runs from cron where rejected
 * pushes are frequent and accepted ones are rare, or where the platform
 * runs no post-receive hook.
 *
 * A failed delivery stays in the spool with its attempt counted and is
 * not tried again before a backoff (spool.h); after GG_SPOOL_MAX_ATTEMPTS
 * failures, past GG_SPOOL_MAX_AGE, or when the spool is full, the event
 * is given up: its file is removed, a warning is printed, and a record
 * is appended to the audit log, which always keeps the event itself:
 *
 *   {"time":...,"version":...,"id":...,"type":"webhook-gave-up",
 *    "repository":...,"by":"post-receive","event_id":...,
 *    "spooled":...,"attempts":20,"reason":"attempts","error":...}
 *
 * with reason "attempts", "age", "spool-full" or "unreadable".
 *
 * Each request is a POST of the event JSON with Content-Type
 * application/json, User-Agent gitops-guard/<version> and the event's id
 * as Idempotency-Key (the same event may arrive twice when an answer is
 * lost); any 2xx answer delivers it.
 */
#ifndef GG_WEBHOOK_H
#define GG_WEBHOOK_H

#include "engine.h"
#include "push.h"
#include "session.h"
#include "strvec.h"

/* A request is not started with less time than this left. */
#define GG_WEBHOOK_MIN_REQUEST_MS 100

/*
 * The spool directory of the session: audit.webhook.spool (a relative
 * path is taken inside the repository), else gitops-guard/spool inside
 * the repository.  Caller owns the result; free with free().
 */
char *gg_webhook_spool_dir(const struct gg_session *s);

/*
 * Hand the event of a judging run (`push` judged as `r`) to the webhook
 * as described above; nothing when the policy names no webhook.  The
 * verdict is made, so nothing here can change it: every problem (the
 * event cannot be spooled, the break-glass post failed, older events
 * were given up to make room) is appended to `warnings` as a line
 * without prefix.
 */
void gg_webhook_queue(struct gg_session *s, const struct gg_push *push,
		      const struct gg_result *r, struct gg_strvec *warnings);

struct gg_webhook_flush_opts {
	const char *by;	       /* who flushes, for the give-up records */
	long long deadline_ms; /* monotonic (gg_clock_ms); 0: none */
	int all;	       /* also events whose backoff has not passed */
};

struct gg_webhook_stats {
	size_t delivered; /* removed from the spool */
	size_t failed;	  /* tried, kept for a later try */
	size_t gave_up;	  /* removed undelivered, with a record */
	size_t waiting;	  /* not tried: backoff, or the pass stopped */
	int busy;	  /* someone else was flushing: nothing was done */
};

/*
 * Deliver the spooled events of session `s`, oldest first, each request
 * within audit.webhook.timeout_ms and the deadline.  An event the server
 * answers with another status than 2xx gets its attempt counted and the
 * pass goes on; a failure to get an answer at all (no connection, TLS,
 * timeout) ends the pass, since the next event would fare no better.
 * Warnings (failures, events given up) are appended to `warnings`.
 * 0, or a negative error: no webhook is configured (GG_ENOTFOUND), or
 * the spool cannot be read or locked.
 */
int gg_webhook_flush(struct gg_webhook_stats *out, struct gg_session *s,
		     const struct gg_webhook_flush_opts *opts,
		     struct gg_strvec *warnings);

#endif
