/*
 * gitops-guard: the tool for people.  Dispatches to one subcommand per
 * file; see gitops-guard(1).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "banned.h"

static const struct gg_cmd commands[] = {
	{ "apps", gg_cmd_apps,
	  "apps [--repo DIR] [--policy FILE] [--format text|json] [<rev>]" },
	{ "audit", gg_cmd_audit,
	  "audit [--log FILE]... [--repo DIR]... [--since TIME] "
	  "[--until TIME] [--repository GLOB] [--rule GLOB] "
	  "[--decision DECISION] [--pusher NAME] [--ref GLOB] [--break-glass] "
	  "[--waived] [--format table|json|jsonl|csv|html] "
	  "[--findings | --summary]" },
	{ "check", gg_cmd_check,
	  "check [--repo DIR] [--policy FILE] [--default-branch NAME] "
	  "[--format text|json] [--pusher ID] [-o OPTION]... "
	  "(<old> <new> <ref> | <rev-range> [<ref>] | <rev> [<ref>])" },
	{ "install", gg_cmd_install,
	  "install [--update] [--no-post-receive] [--copy] [--force] "
	  "[--chain DIR] [--hook-dir DIR] <repository>..." },
	{ "packs", gg_cmd_packs, "packs [check <file>...]" },
	{ "policy", gg_cmd_policy,
	  "policy (check <file>... | show [--repo DIR] [--policy FILE])" },
	{ "rules", gg_cmd_rules, "rules" },
	{ "explain", gg_cmd_explain, "explain <rule-id>" },
	{ "webhook", gg_cmd_webhook,
	  "webhook (list [<repository>] | flush [--all] [<repository>...])" },
	{ "version", gg_cmd_version, "version" },
	{ NULL, NULL, NULL }
};

int gg_cli_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("gitops-guard: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

int gg_cli_usage(const char *usage)
{
	fprintf(stderr, "usage: gitops-guard %s\n", usage);
	return 2;
}

static int usage_all(FILE *f)
{
	size_t i;

	fprintf(f, "usage: gitops-guard <command> [<args>]\n\n");
	for (i = 0; commands[i].name; i++)
		fprintf(f, "   gitops-guard %s\n", commands[i].usage);
	fprintf(f, "\nSee gitops-guard(1) and gitops-guard(7).\n");
	return f == stdout ? 0 : 2;
}

int gg_cmd_version(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return gg_cli_usage("version");
	printf("gitops-guard %s\n", PACKAGE_VERSION);
	return 0;
}

static int dispatch(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return usage_all(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help"))
		return usage_all(stdout);
	if (!strcmp(argv[1], "--version"))
		return gg_cmd_version(1, argv + 1);
	for (i = 0; commands[i].name; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	gg_cli_fail("'%s' is not a command", argv[1]);
	return usage_all(stderr);
}

int main(int argc, char **argv)
{
	int status;

	if (gg_http_global_init() < 0)
		return gg_cli_fail("%s", gg_error_last());
	status = dispatch(argc, argv);
	gg_http_global_cleanup();
	return status;
}
