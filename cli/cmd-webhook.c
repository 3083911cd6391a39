/*
 * gitops-guard webhook: look at and deliver the audit events waiting in
 * a repository's webhook spool (see webhook.h for when the hooks
 * deliver them).  `flush` is what an administrator runs from cron, so
 * that events of rejected pushes do not wait for the next accepted one.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "cli.h"
#include "banned.h"

static const char usage[] = "webhook (list [<repository>] | "
			    "flush [--all] [<repository>...])";

static int open_session(struct gg_session *s, const char *repo)
{
	struct gg_session_opts opts = { .hook = GG_HOOK_CHECK,
					.readonly = 1,
					.git_dir = repo };

	if (gg_session_open(s, &opts) < 0)
		return gg_cli_fail("%s: %s", repo ? repo : ".",
				   gg_error_last());
	return 0;
}

static void print_entry(const struct gg_spool_entry *e)
{
	char spooled[32], next[32];

	gg_time_format(spooled, e->spooled);
	gg_time_format(next, e->next);
	printf("%s %s attempts %u next %s%s%s\n", e->id, spooled, e->attempts,
	       next, e->error ? " error " : "", e->error ? e->error : "");
}

static int list(const char *repo)
{
	struct gg_session s;
	struct gg_strvec names;
	char *dir = NULL;
	size_t i;
	int status;

	gg_strvec_init(&names);
	if ((status = open_session(&s, repo)) != 0)
		goto out;
	dir = gg_webhook_spool_dir(&s);
	if (gg_spool_list(&names, dir) < 0) {
		status = gg_cli_fail("%s", gg_error_last());
		goto out;
	}
	for (i = 0; i < names.nr; i++) {
		struct gg_spool_entry e;

		gg_spool_entry_init(&e);
		if (gg_spool_read(&e, dir, names.v[i]) == 0)
			print_entry(&e);
		else
			printf("%s unreadable: %s\n", names.v[i],
			       gg_error_last());
		gg_spool_entry_release(&e);
	}
out:
	free(dir);
	gg_strvec_release(&names);
	gg_session_release(&s);
	return status;
}

/* Flush one repository: 0 all delivered, 1 some not, 2 an error. */
static int flush(const char *repo, int all)
{
	struct gg_webhook_flush_opts opts = {
		.by = "gitops-guard webhook flush", .all = all
	};
	struct gg_webhook_stats st;
	struct gg_session s;
	struct gg_strvec warnings;
	size_t i;
	int status;

	gg_strvec_init(&warnings);
	if ((status = open_session(&s, repo)) != 0)
		goto out;
	if (gg_webhook_flush(&st, &s, &opts, &warnings) < 0) {
		status = gg_cli_fail("%s: %s", repo ? repo : ".",
				     gg_error_last());
		goto out;
	}
	for (i = 0; i < warnings.nr; i++)
		fprintf(stderr, "warning: gitops-guard: %s\n", warnings.v[i]);
	if (st.busy)
		printf("%s: another delivery is running; nothing done\n",
		       repo ? repo : ".");
	else if (st.delivered + st.failed + st.gave_up + st.waiting)
		printf("%s: %zu delivered, %zu failed, %zu given up, "
		       "%zu waiting\n",
		       repo ? repo : ".", st.delivered, st.failed, st.gave_up,
		       st.waiting);
	status = st.failed || st.gave_up ? 1 : 0;
out:
	gg_strvec_release(&warnings);
	gg_session_release(&s);
	return status;
}

static int run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' }, { NULL, 0, NULL, 0 }
	};
	int c, all = 0, status = 0, i;

	if (argc < 2)
		return gg_cli_usage(usage);
	/* options after the action: "flush --all repo.git" */
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) !=
	       -1) {
		if (c != 'a' || strcmp(argv[1], "flush"))
			return gg_cli_usage(usage);
		all = 1;
	}
	optind++; /* counted in argv + 1 */
	if (!strcmp(argv[1], "list")) {
		if (argc - optind > 1)
			return gg_cli_usage(usage);
		return list(optind < argc ? argv[optind] : NULL);
	}
	if (strcmp(argv[1], "flush"))
		return gg_cli_usage(usage);
	if (optind == argc)
		return flush(NULL, all);
	for (i = optind; i < argc; i++) {
		int st = flush(argv[i], all);

		status = st > status ? st : status;
	}
	return status;
}

int gg_cmd_webhook(int argc, char **argv)
{
	int status;

	if (gg_repo_global_init() < 0)
		return gg_cli_fail("%s", gg_error_last());
	status = run(argc, argv);
	gg_repo_global_shutdown();
	return status;
}
