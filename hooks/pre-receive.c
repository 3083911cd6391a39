/*
 * gitops-guard-pre-receive: judge a whole push, every ref, while the
 * pushed objects are still in quarantine.  See gitops-guard-pre-receive(1).
 */
#include <stdio.h>

#include "hook.h"
#include "banned.h"

int main(int argc, char **argv)
{
	struct gg_push push = GG_PUSH_INIT;
	int status;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr,
			"usage: gitops-guard-pre-receive < ref-updates\n");
		return 2;
	}
	if (gg_push_read(&push, stdin) < 0) {
		/* a malformed stdin is not something to guess about */
		status = gg_hook_internal_error(gg_error_last(), 0);
		gg_push_release(&push);
		return status;
	}
	status = gg_hook_judge(GG_HOOK_PRE_RECEIVE, &push);
	gg_push_release(&push);
	return status;
}
