/*
 * Waivers: confirmations, owners and break-glass (DESIGN.md section 5).
 *
 *   git push -o gitops.confirm=<rule>            all findings of the rule
 *   git push -o gitops.confirm=<rule>:<path>     findings at <path>, below
 *                                                it, or matching it as a glob
 *   Gitops-Confirm: <rule>[:<path>]              the same, as a trailer of a
 *                                                pushed commit (for the update
 *                                                hook, which gets no options);
 *                                                it covers its own ref only
 *   git push -o gitops.break-glass=<reason>      waives everything, if the
 *   Gitops-Break-Glass: <reason>                 pusher is in break_glass.users
 *                                                and the reason is long enough
 *   git push -o gitops.verbose                   show notes and a summary
 *
 * When the policy names owners for a finding's path, only an owner's
 * confirmation counts.
 */
#ifndef GG_WAIVER_H
#define GG_WAIVER_H

#include <stddef.h>

#include "engine.h"
#include "finding.h"
#include "policy.h"
#include "strvec.h"

struct gg_confirm {
	char *rule;
	char *path; /* NULL: every finding of the rule */
	char *ref;  /* trailer: the ref it came with; NULL: any */
	enum gg_waiver_kind how;
};

struct gg_waivers {
	struct gg_confirm *v;
	size_t nr, alloc;
	char *break_glass; /* reason, or NULL */
	enum gg_waiver_kind break_glass_how;
	int verbose;
	struct gg_strvec problems; /* malformed or unknown gitops.* options */
	const struct gg_policy *policy; /* resolves rule ids of packs; NULL:
					 * built-in rules only.  Borrowed */
};

void gg_waivers_init(struct gg_waivers *w);
void gg_waivers_release(struct gg_waivers *w);

/* Read the push options.  Options not starting with "gitops." are
 * ignored; malformed ones are listed in w->problems. */
void gg_waivers_from_options(struct gg_waivers *w,
			     const struct gg_strvec *opts);

/* Read Gitops-Confirm / Gitops-Break-Glass trailers from the last
 * paragraph of a commit message pushed to `ref`. */
void gg_waivers_from_message(struct gg_waivers *w, const char *message,
			     const char *ref);

/*
 * Mark the findings of `r` that the waivers cover, check break-glass
 * (adding a break-glass/denied finding when it is asked for by an
 * identity that may not), and count blocking findings, warnings and
 * waived ones into `r`.
 */
void gg_waivers_apply(struct gg_result *r, const struct gg_waivers *w,
		      const struct gg_policy *p, const char *pusher);

#endif
