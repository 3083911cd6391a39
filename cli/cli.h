/*
 * gitops-guard's subcommands, one file each (cli/cmd-<name>.c).
 */
#ifndef GG_CLI_H
#define GG_CLI_H

#include "guard.h"

struct gg_cmd {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the subcommand */
	const char *usage;
};

int gg_cmd_apps(int argc, char **argv);
int gg_cmd_audit(int argc, char **argv);
int gg_cmd_check(int argc, char **argv);
int gg_cmd_install(int argc, char **argv);
int gg_cmd_packs(int argc, char **argv);
int gg_cmd_policy(int argc, char **argv);
int gg_cmd_rules(int argc, char **argv);
int gg_cmd_explain(int argc, char **argv);
int gg_cmd_version(int argc, char **argv);
int gg_cmd_webhook(int argc, char **argv);

/* Print "gitops-guard: <msg>" to stderr; returns 2. */
int gg_cli_fail(const char *fmt, ...) GG_PRINTF(1, 2);

/* Print a usage line to stderr; returns 2. */
int gg_cli_usage(const char *usage);

#endif
