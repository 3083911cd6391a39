/*
 * gitops-guard's library interface: the only header that hooks/ and
 * cli/ include.  Each module's own header documents its contract.
 */
#ifndef GG_GUARD_H
#define GG_GUARD_H

#include "audit.h"
#include "auditlog.h"
#include "buf.h"
#include "check.h"
#include "context.h"
#include "engine.h"
#include "error.h"
#include "finding.h"
#include "http.h"
#include "notes.h"
#include "oid.h"
#include "pack.h"
#include "policy.h"
#include "push.h"
#include "repo.h"
#include "report.h"
#include "rule.h"
#include "session.h"
#include "severity.h"
#include "spool.h"
#include "strvec.h"
#include "webhook.h"
#include "xalloc.h"

#endif
