/*
 * The audit trail: one JSON object per hook run, appended as a line to
 * the audit log (by default gitops-guard/audit.jsonl inside the
 * receiving repository; `audit.log` in a server-side policy moves it,
 * `off` disables it), and a one-line summary to syslog when
 * `audit.syslog` is set.  Break-glass events are logged at LOG_ALERT.
 *
 * Event fields: time, version, id (the run's random UUID, which the
 * webhook also sends as Idempotency-Key), repository, pusher,
 * pusher_source, platform, hook, via (the platform's merge flow), refs
 * (ref, old, new, kind), push_options, then the result: decision,
 * counts (blocking, warnings, waived), break-glass reason, findings
 * (each with its waiver), remarks (the warning lines: policy remarks,
 * bad push options), notes, duration_ms.
 */
#ifndef GG_AUDIT_H
#define GG_AUDIT_H

#include "buf.h"
#include "engine.h"
#include "push.h"
#include "session.h"

/* Append the event for this run to `out` (no newline). */
void gg_audit_event(struct gg_buf *out, const struct gg_session *s,
		    const struct gg_push *push, const struct gg_result *r);

/* The audit log path for the session; NULL when logging is off.
 * Caller owns the result. */
char *gg_audit_log_path(const struct gg_session *s);

/*
 * Write the event to the log and syslog.  0, or a negative error (the
 * log could not be written); the caller warns and goes on, since the
 * verdict is already made.
 */
int gg_audit_write(const struct gg_session *s, const struct gg_push *push,
		   const struct gg_result *r);

/*
 * Append `line` (one JSON object ending in a newline, such as the
 * webhook's record of an event it gave up on) to the audit log with a
 * single write.  0 (also when logging is off), or a negative error.
 */
int gg_audit_append(const struct gg_session *s, const struct gg_buf *line);

#endif
