/*
 * break-glass/denied: the rule waiver.c reports when break-glass is asked
 * for by an identity that may not use it.  It judges the push, not a
 * ref, so it has no per-ref run function.
 */
#include <stddef.h>

#include "check.h"
#include "banned.h"

static const struct gg_param_spec no_params[] = { { NULL, 0, 0, NULL, NULL } };

static const struct gg_rule_info rules[] = {
	{ "break-glass/denied", GG_SEV_BLOCK,
	  "asks for break-glass as an identity that may not",
	  "The push carries -o gitops.break-glass=<reason> (or a "
	  "Gitops-Break-Glass: trailer), but the pusher is not listed in the "
	  "policy's break_glass.users, the platform gives no pusher identity, or "
	  "the reason is shorter than break_glass.min_reason_length.  Nothing is "
	  "waived, and the attempt is recorded in the audit log.",
	  no_params },
	{ NULL, 0, NULL, NULL, NULL }
};

const struct gg_check_kind gg_check_breakglass = { "breakglass", rules, NULL };
