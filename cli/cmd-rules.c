/*
 * gitops-guard rules / explain: the built-in rules, and one rule in
 * full with its parameters and how to confirm it.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "banned.h"

int gg_cmd_rules(int argc, char **argv)
{
	size_t i, n = gg_rules_count();

	(void)argv;
	if (argc > 1)
		return gg_cli_usage("rules");
	for (i = 0; i < n; i++) {
		const struct gg_rule_info *r = gg_rules_at(i);

		printf("%-28s %-8s %s\n", r->id, gg_severity_name(r->severity),
		       r->summary);
	}
	return 0;
}

static const char *type_name(enum gg_param_type t)
{
	static const char *const names[] = {
		"integer", "number",	      "boolean",
		"string",  "list of strings", "list of patterns"
	};

	return names[t];
}

/* Print `text` wrapped at 72 columns. */
static void wrap(const char *text)
{
	const char *p = text;
	size_t col = 0;

	while (*p) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (col && col + 1 + len > 72) {
			putchar('\n');
			col = 0;
		} else if (col) {
			putchar(' ');
			col++;
		}
		fwrite(p, 1, len, stdout);
		col += len;
		p += len;
		while (*p == ' ')
			p++;
	}
	putchar('\n');
}

int gg_cmd_explain(int argc, char **argv)
{
	const struct gg_rule_info *r;
	const struct gg_param_spec *p;

	if (argc != 2)
		return gg_cli_usage("explain <rule-id>");
	r = gg_rule_find(argv[1]);
	if (!r)
		return gg_cli_fail("no rule '%s' (see 'gitops-guard rules')",
				   argv[1]);
	printf("%s (default severity: %s)\n\n", r->id,
	       gg_severity_name(r->severity));
	printf("Fires when the push %s.\n\n", r->summary);
	wrap(r->explain);
	if (r->params && r->params[0].name) {
		printf("\nParameters (rules: { %s: { ... } } in the policy):\n",
		       r->id);
		for (p = r->params; p->name; p++)
			printf("  %-22s %s, default %s: %s\n", p->name,
			       type_name(p->type), p->def, p->doc);
	}
	printf("\nSeverity: set 'rules: { %s: off|info|warn|confirm|block }' in "
	       "the policy.\n",
	       r->id);
	if (strcmp(r->id, "break-glass/denied"))
		printf("Confirm (severity confirm): git push -o gitops.confirm=%s[:<path>]\n"
		       "  or the trailer 'Gitops-Confirm: %s[:<path>]' in a pushed "
		       "commit.\n",
		       r->id, r->id);
	return 0;
}
