/*
 * The driver the three hook programs share: open a session, judge the
 * push, print the report, write the audit event (and spool it for the
 * webhook), exit 0/1/2.
 */
#ifndef GG_HOOK_H
#define GG_HOOK_H

#include "guard.h"

/*
 * Judge `push` as hook `kind` and return the exit status: 0 accept,
 * 1 rejected by policy, 2 internal error (rejects unless the policy says
 * limits.on_error: accept).  Takes care of global set-up and shutdown.
 */
int gg_hook_judge(enum gg_hook_kind kind, struct gg_push *push);

/*
 * post-receive: add git notes for the accepted updates, then deliver the
 * spooled audit events to the webhook within the policy's deadline;
 * always 0.
 */
int gg_hook_annotate(struct gg_push *push);

/* Print "error: internal error, push rejected: <msg>" (or, when errors
 * are accepted, a warning) and return the exit status for it. */
int gg_hook_internal_error(const char *msg, int accept);

#endif
