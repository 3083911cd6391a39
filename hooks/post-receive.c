/*
 * gitops-guard-post-receive: record accepted pushes that carried
 * warnings or waivers as git notes under refs/notes/gitops-guard, and
 * deliver the audit events waiting for the webhook.  Never fails a push
 * (git ignores its status anyway).  See gitops-guard(7).
 */
#include <stdio.h>

#include "hook.h"
#include "banned.h"

int main(void)
{
	struct gg_push push = GG_PUSH_INIT;
	int status = 0;

	if (gg_push_read(&push, stdin) < 0)
		fprintf(stderr, "warning: gitops-guard: %s\n", gg_error_last());
	else
		status = gg_hook_annotate(&push);
	gg_push_release(&push);
	return status;
}
