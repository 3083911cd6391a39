/*
 * What people see: the lines printed to the pusher (DESIGN.md section 7)
 * and the JSON form of a result (check --format json, the audit log).
 *
 * Text form, one block per finding:
 *
 *   gitops-guard: error: [<rule>] <ref> <path>[:<line>]: <message>
 *     hint: <how to fix>
 *     hint: confirm with: git push -o gitops.confirm=<rule>:<target>
 *
 * "error" for findings that reject the push, "warning" for warnings and
 * waived findings (which end in "(confirmed by <who>)" or "(break-glass
 * by <who>)"), "info" for info findings (verbose only).  Then one summary
 * line when there was anything to say.  Pushed content is escaped.
 */
#ifndef GG_REPORT_H
#define GG_REPORT_H

#include "buf.h"
#include "engine.h"
#include "session.h"

/* Append the text report to `out`. */
void gg_report_text(struct gg_buf *out, const struct gg_result *r,
		    const struct gg_session *s);

/* Append the result as one JSON object (no newline) to `out`. */
void gg_report_json(struct gg_buf *out, const struct gg_result *r,
		    const struct gg_session *s);

/* The same fields without the surrounding braces (for the audit event). */
void gg_report_json_fields(struct gg_buf *out, const struct gg_result *r,
			   const struct gg_session *s);

/* Append `s` quoted for a POSIX shell if it needs quoting. */
void gg_report_shell_quote(struct gg_buf *out, const char *s);

#endif
