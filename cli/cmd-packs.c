/*
 * gitops-guard packs: the rule packs on the pack path, or the strict
 * validation of pack files (gitops-packs(5)) before they are installed.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "banned.h"

static int list(void)
{
	struct gg_packs *ps = gg_packs_new();
	size_t i;
	int status = 0;

	gg_packs_load_dirs(ps, NULL);
	printf("pack path: %s\n", gg_packs_path());
	for (i = 0; i < ps->nr; i++) {
		const struct gg_pack *pk = ps->v[i];

		if (pk->error) {
			printf("%s: does not load: %s\n", pk->name, pk->error);
			status = 1;
			continue;
		}
		printf("%s: %zu rule%s, %s\n  %s\n", pk->name, pk->nrules,
		       pk->nrules == 1 ? "" : "s", pk->file, pk->description);
	}
	for (i = 0; i < ps->notes.nr; i++)
		printf("note: %s\n", ps->notes.v[i]);
	gg_packs_free(ps);
	return status;
}

static int check_files(int argc, char **argv)
{
	int i, status = 0;

	if (argc < 2)
		return gg_cli_usage("packs check <file>...");
	for (i = 1; i < argc; i++) {
		struct gg_packs *ps = gg_packs_new();
		int err = gg_packs_load_file(ps, argv[i]);

		if (err < 0) {
			fprintf(stderr, "%s\n", gg_error_last());
			status = err == GG_EINVALID ? (status ? status : 1) : 2;
		} else {
			printf("%s: ok, pack '%s' with %zu rule%s\n", argv[i],
			       ps->v[0]->name, ps->v[0]->nrules,
			       ps->v[0]->nrules == 1 ? "" : "s");
		}
		gg_packs_free(ps);
	}
	return status;
}

int gg_cmd_packs(int argc, char **argv)
{
	if (argc == 1)
		return list();
	if (!strcmp(argv[1], "check"))
		return check_files(argc - 1, argv + 1);
	return gg_cli_usage("packs [check <file>...]");
}
