/*
 * gitops-guard-update: judge one ref update (argv "<ref> <old> <new>"),
 * as git runs it once per ref.  See gitops-guard-update(1).
 */
#include <stdio.h>

#include "hook.h"
#include "banned.h"

int main(int argc, char **argv)
{
	struct gg_push push = GG_PUSH_INIT;
	struct gg_update u;
	int status;

	if (argc != 4) {
		fprintf(stderr,
			"usage: gitops-guard-update <ref> <old> <new>\n");
		return 2;
	}
	if (gg_push_parse_args(&u, argv[1], argv[2], argv[3]) < 0)
		return gg_hook_internal_error(gg_error_last(), 0);
	gg_push_add(&push, &u);
	status = gg_hook_judge(GG_HOOK_UPDATE, &push);
	gg_push_release(&push);
	return status;
}
