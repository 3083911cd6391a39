/*
 * Findings: what a rule says about a push.  A finding is data, not an
 * error; the engine collects all of them before the verdict.
 */
#ifndef GG_FINDING_H
#define GG_FINDING_H

#include <stddef.h>

#include "severity.h"

enum gg_waiver_kind {
	GG_WAIVER_NONE,
	GG_WAIVER_CONFIRM, /* gitops.confirm push option */
	GG_WAIVER_TRAILER, /* Gitops-Confirm: trailer in a pushed commit */
	GG_WAIVER_BREAK_GLASS
};

struct gg_finding {
	const char *rule;	   /* static: the rule info's id */
	enum gg_severity severity; /* effective, from the policy */
	char *ref;		   /* owned; NULL for push-wide findings */
	char *commit;		   /* owned hex id, or NULL */
	char *path;		   /* owned, or NULL */
	unsigned line;		   /* 0: none */
	char *target;  /* owned; what gitops.confirm=<rule>:<target> names */
	char *message; /* owned */
	char *hint;    /* owned, or NULL: how to fix */
	enum gg_waiver_kind waiver;
	char *waived_by; /* owned identity, or NULL */
};

struct gg_findings {
	struct gg_finding *v;
	size_t nr, alloc;
};

#define GG_FINDINGS_INIT                                                       \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* Append a zeroed finding and return it (borrowed; valid until the next
 * append or gg_findings_release()). */
struct gg_finding *gg_findings_add(struct gg_findings *f);
void gg_findings_release(struct gg_findings *f);

/* 1 if the finding rejects the push unless waived (confirm or block). */
int gg_finding_blocks(const struct gg_finding *f);

#endif
