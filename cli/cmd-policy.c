/*
 * gitops-guard policy: validate policy files, or show the effective
 * policy of a repository with where each part came from.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "banned.h"

static int check_files(int argc, char **argv)
{
	int i, status = 0;

	if (argc < 2)
		return gg_cli_usage("policy check <file>...");
	for (i = 1; i < argc; i++) {
		struct gg_policy p;
		int err;

		gg_policy_init(&p);
		gg_policy_load_packs(&p);
		err = gg_policy_load_file(&p, GG_LAYER_SYSTEM, argv[i]);
		if (err < 0) {
			fprintf(stderr, "%s\n", gg_error_last());
			status = err == GG_EINVALID ? (status ? status : 1) : 2;
		} else {
			size_t j;

			printf("%s: ok\n", argv[i]);
			for (j = 0; j < p.notes.nr; j++)
				printf("  note: %s\n", p.notes.v[j]);
		}
		gg_policy_release(&p);
	}
	return status;
}

static void print_list(const char *name, const struct gg_strvec *v)
{
	size_t i;

	printf("%s:", name);
	if (!v->nr)
		printf(" []");
	for (i = 0; i < v->nr; i++)
		printf("%s%s", i ? ", " : " ", v->v[i]);
	printf("\n");
}

/* The packs found, which are enabled, and the severities of their rules
 * (off for those of packs no layer enabled). */
static void show_packs(const struct gg_policy *p)
{
	size_t i;

	if (!p->avail || !p->avail->nr)
		return;
	printf("packs:");
	for (i = 0; i < p->avail->nr; i++)
		printf("%s%s%s", i ? ", " : " ", p->avail->v[i]->name,
		       p->avail->v[i]->error ? " (does not load)"
		       : gg_policy_pack_enabled(p, p->avail->v[i]->name)
			       ? " (enabled)"
			       : "");
	printf("\n");
	for (i = gg_rules_count(); p->rules[i].info; i++)
		printf("rule %-28s %s\n", p->rules[i].info->id,
		       gg_severity_name(
			       gg_policy_severity(p, p->rules[i].info->id)));
}

static void show(const struct gg_session *s)
{
	const struct gg_policy *p = &s->policy;
	size_t i, n = gg_rules_count();

	print_list("sources", &p->sources);
	printf("default branch: %s\n",
	       s->default_ref ? s->default_ref : "(none)");
	print_list("repo_urls", &p->repo_urls);
	printf("this repository: %s\n",
	       gg_policy_repo_name(p, s->ctx.repo_name)
		       ? "URLs ending in its name, and repo_urls"
		       : "repo_urls only");
	print_list("branches", &p->branches);
	if (!p->envs_set)
		printf("environments: built-in recognition (dev < qa < staging < "
		       "prod; prod protected)\n");
	for (i = 0; i < p->nenvs; i++) {
		printf("environment %s%s%s%s:", p->envs[i].name,
		       p->envs[i].branch ? " branch " : "",
		       p->envs[i].branch ? p->envs[i].branch : "",
		       p->envs[i].protect == 1 || (p->envs[i].protect < 0 &&
						   i + 1 == p->nenvs)
			       ? " (protected)"
			       : "");
		print_list("", &p->envs[i].paths);
	}
	print_list("promoters", &p->promoters);
	print_list("break_glass.users", &p->break_glass_users);
	printf("limits: deadline_ms %lld, max_blob_bytes %lld, max_commits %lld, "
	       "on_error %s, on_timeout %s\n",
	       p->limits.deadline_ms, p->limits.max_blob_bytes,
	       p->limits.max_commits,
	       p->limits.on_error_accept ? "accept" : "reject",
	       p->limits.on_timeout_accept ? "accept" : "reject");
	for (i = 0; i < n; i++)
		printf("rule %-28s %s\n", gg_rules_at(i)->id,
		       gg_severity_name(p->rules[i].severity));
	show_packs(p);
	for (i = 0; i < p->notes.nr; i++)
		printf("note: %s\n", p->notes.v[i]);
}

static int show_repo(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "repo", required_argument, NULL, 'r' },
		{ "policy", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct gg_session_opts opts = { .hook = GG_HOOK_CHECK,
					.readonly = 1,
					.search = 1 };
	struct gg_session s;
	int c, status = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'r')
			opts.git_dir = optarg;
		else if (c == 'p')
			opts.policy_file = optarg;
		else
			return gg_cli_usage(
				"policy show [--repo DIR] [--policy FILE]");
	}
	if (optind != argc)
		return gg_cli_usage("policy show [--repo DIR] [--policy FILE]");
	if (gg_repo_global_init() < 0)
		return gg_cli_fail("%s", gg_error_last());
	if (gg_session_open(&s, &opts) < 0)
		status = gg_cli_fail("error: %s", gg_error_last());
	else
		show(&s);
	gg_session_release(&s);
	gg_repo_global_shutdown();
	return status;
}

int gg_cmd_policy(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "check"))
		return check_files(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "show"))
		return show_repo(argc - 1, argv + 1);
	return gg_cli_usage("policy (check <file>... | show [--repo DIR] "
			    "[--policy FILE])");
}
