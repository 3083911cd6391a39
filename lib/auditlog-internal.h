/*
 * What the output files of the audit reader share (auditlog-format.c,
 * auditlog-data.c, auditlog-html.c); not part of the interface.
 */
#ifndef GG_AUDITLOG_INTERNAL_H
#define GG_AUDITLOG_INTERNAL_H

#include "auditlog.h"

/* Where a report goes: a buffer handed to `flush` now and then. */
struct gg_audit_out {
	struct gg_buf *buf;
	gg_audit_flush_fn flush;
	void *payload;
	int err; /* the first error `flush` returned */
};

/* Hand the buffer to `flush` once it holds 64 KiB or more. */
void gg_audit__maybe_flush(struct gg_audit_out *o);

/* The run's refs for a column: branch names for refs/heads/ refs, at
 * most three, then ",+<n>"; display-escaped.  "-" when there are none. */
void gg_audit__refs_column(struct gg_buf *out, const struct gg_audit_run *run);

/* "granted", "denied" or NULL (no break-glass asked for). */
const char *gg_audit__break_glass(const struct gg_audit_run *run);

/* The report in its format: auditlog-data.c (JSON, JSON lines, CSV),
 * auditlog-html.c. */
void gg_audit__json(struct gg_audit_out *o, const struct gg_audit_report *r);
void gg_audit__csv(struct gg_audit_out *o, const struct gg_audit_report *r);
void gg_audit__html(struct gg_audit_out *o, const struct gg_audit_report *r);

#endif
