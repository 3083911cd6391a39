/*
 * What a rule is, as data: its id, default severity, parameters and the
 * texts `gitops-guard rules` and `gitops-guard explain` print.  Check
 * kinds (check.h) export arrays of these; the policy validates rule ids
 * and parameters against them.  The functions below are the built-in
 * registry; rules of packs (pack.h) are found through the policy that
 * loaded them (gg_policy_rule()).
 */
#ifndef GG_RULE_H
#define GG_RULE_H

#include "severity.h"

enum gg_param_type {
	GG_PARAM_INT,	 /* a non-negative integer */
	GG_PARAM_NUMBER, /* a decimal number */
	GG_PARAM_BOOL,
	GG_PARAM_STRING,
	GG_PARAM_STRINGS, /* a list of strings */
	GG_PARAM_PATTERNS /* a list of PCRE2 patterns (validated on load) */
};

/* Which change of a parameter makes its rule stricter (for layering). */
enum gg_param_tighter {
	GG_TIGHTER_NONE,   /* neither: any layer may set it */
	GG_TIGHTER_LOWER,  /* a smaller value is stricter */
	GG_TIGHTER_HIGHER, /* a larger value is stricter */
	GG_TIGHTER_MORE,   /* more list entries are stricter */
	GG_TIGHTER_FEWER,  /* fewer list entries are stricter (exclusions) */
	GG_TIGHTER_FIXED   /* every change loosens */
};

struct gg_param_spec {
	const char *name;
	enum gg_param_type type;
	enum gg_param_tighter tighter;
	const char *def; /* default as YAML text: "0.5", "[a, b]" */
	const char *doc; /* one line for the man page and explain */
};

struct gg_rule_info {
	const char *id;			    /* "app/emptied" */
	enum gg_severity severity;	    /* default */
	const char *summary;		    /* one line */
	const char *explain;		    /* paragraphs for explain */
	const struct gg_param_spec *params; /* terminated by { NULL } */
};

/* Every built-in rule, in the order of the check table.  Borrowed. */
size_t gg_rules_count(void);
const struct gg_rule_info *gg_rules_at(size_t i);

/* The position of `rule` in that order (GG_BUG if it is not a rule). */
size_t gg_rule_index(const struct gg_rule_info *rule);

/* The rule with id `id`, or NULL.  Borrowed. */
const struct gg_rule_info *gg_rule_find(const char *id);

/* The parameter `name` of rule `rule`, or NULL. */
const struct gg_param_spec *gg_rule_param(const struct gg_rule_info *rule,
					  const char *name);

#endif
