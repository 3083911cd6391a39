/*
 * gitops-guard rules / explain: the built-in rules and those of the rule
 * packs found on the pack path, and one rule in full with its
 * parameters and how to confirm it.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "banned.h"

/* One line of the table; `width` is that of the longest id listed. */
static void print_rule(const struct gg_rule_info *r, int width)
{
	printf("%-*s %-8s %s\n", width, r->id, gg_severity_name(r->severity),
	       r->summary);
}

static int id_width(int width, const char *id)
{
	size_t len = strlen(id);

	return len > (size_t)width && len < 200 ? (int)len : width;
}

/* The packs of the pack path; problems go to stderr as warnings. */
static struct gg_packs *load_packs(void)
{
	struct gg_packs *ps = gg_packs_new();
	size_t i;

	gg_packs_load_dirs(ps, NULL);
	for (i = 0; i < ps->nr; i++)
		if (ps->v[i]->error)
			fprintf(stderr,
				"gitops-guard: warning: pack '%s' does not "
				"load: %s\n",
				ps->v[i]->name, ps->v[i]->error);
	for (i = 0; i < ps->notes.nr; i++)
		fprintf(stderr, "gitops-guard: warning: %s\n", ps->notes.v[i]);
	return ps;
}

int gg_cmd_rules(int argc, char **argv)
{
	struct gg_packs *ps;
	size_t i, j, n = gg_rules_count();
	int width = 0;

	(void)argv;
	if (argc > 1)
		return gg_cli_usage("rules");
	ps = load_packs();
	for (i = 0; i < n; i++)
		width = id_width(width, gg_rules_at(i)->id);
	for (i = 0; i < ps->nr; i++)
		for (j = 0; j < ps->v[i]->nrules; j++)
			width = id_width(width, ps->v[i]->rules[j].info.id);
	for (i = 0; i < n; i++)
		print_rule(gg_rules_at(i), width);
	for (i = 0; i < ps->nr; i++)
		for (j = 0; j < ps->v[i]->nrules; j++)
			print_rule(&ps->v[i]->rules[j].info, width);
	gg_packs_free(ps);
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

/* Print `text` wrapped at 72 columns; a line break in it (a pack's
 * folded text keeps those between paragraphs) starts a paragraph. */
static void wrap(const char *text)
{
	const char *p = text;
	size_t col = 0;

	while (*p) {
		size_t len = strcspn(p, " \n");

		if (*p == '\n') {
			fputs(col ? "\n\n" : "\n", stdout);
			col = 0;
			p += strspn(p, "\n");
			continue;
		}

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
	if (col)
		putchar('\n');
}

static void print_field(const struct gg_pack_field *f)
{
	printf("  field %s", f->text);
	if (f->npaths > 1)
		printf(" (or %zu other paths)", f->npaths - 1);
	if (f->test == GG_PACK_PATTERN)
		printf(" matches '%s'\n", f->pattern);
	else if (f->test == GG_PACK_ABSENT)
		printf(" is absent\n");
	else
		printf(" equals %s\n", gg_ynode_str(f->equals));
}

/* Where a pack rule comes from and what it looks at. */
static void print_pack_rule(const struct gg_pack_rule *r)
{
	size_t i;

	printf("\nPack: %s, from %s.\n", r->pack->name, r->pack->file);
	printf("Off unless a policy enables the pack (packs: [%s]).\n",
	       r->pack->name);
	printf("Matches:\n");
	for (i = 0; i < r->nkinds; i++)
		printf("  kind %s%s%s\n",
		       r->kinds[i].api ? r->kinds[i].api : "",
		       r->kinds[i].api ? "/" : "", r->kinds[i].kind);
	for (i = 0; i < r->paths.nr; i++)
		printf("  files %s\n", r->paths.v[i]);
	for (i = 0; i < r->envs.nr; i++)
		printf("  environment %s\n", r->envs.v[i]);
	if (r->protect)
		printf("  protected environments\n");
	for (i = 0; i < r->nfields; i++)
		print_field(&r->fields[i]);
	printf("Examples: %zu, in the pack file.\n", r->nexamples);
}

int gg_cmd_explain(int argc, char **argv)
{
	const struct gg_rule_info *r;
	const struct gg_pack_rule *pr = NULL;
	const struct gg_param_spec *p;
	struct gg_packs *ps = NULL;

	if (argc != 2)
		return gg_cli_usage("explain <rule-id>");
	r = gg_rule_find(argv[1]);
	if (!r && strchr(argv[1], '/')) {
		ps = load_packs();
		pr = gg_packs_rule(ps, argv[1]);
		r = pr ? &pr->info : NULL;
	}
	if (!r) {
		gg_packs_free(ps);
		return gg_cli_fail("no rule '%s' (see 'gitops-guard rules')",
				   argv[1]);
	}
	printf("%s (default severity: %s)\n\n", r->id,
	       gg_severity_name(r->severity));
	printf("Fires when the push %s.\n\n", r->summary);
	wrap(r->explain);
	if (pr)
		print_pack_rule(pr);
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
	gg_packs_free(ps);
	return 0;
}
