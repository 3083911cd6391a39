/*
 * Between policy.c and the loader (policy-load.c, policy-sections.c,
 * policy-paths.c, policy-rules.c); the pack validator (pack-parse.c)
 * uses the typed readers too.  Not part of the library's interface.
 */
#ifndef GG_POLICY_INTERNAL_H
#define GG_POLICY_INTERNAL_H

#include "error.h"
#include "policy.h"
#include "yamlload.h"

/* Parse a parameter's built-in default text into `out`. */
int gg_policy__param_default(struct gg_param_value *out,
			     const struct gg_param_spec *spec);

/* Free a parameter value; leaves it empty. */
void gg_param_value_release(struct gg_param_value *v);

/* The state of loading one layer. */
struct gg_policy_loader {
	struct gg_policy *p;
	enum gg_policy_layer layer;
	const char *source;
	int apply; /* 0: validate only; 1: merge into p */
};

/* "<source>:<line>:<col>: <msg>" into the error slot; GG_EINVALID. */
int gg_policy__bad(const struct gg_policy_loader *ld, const struct gg_ynode *n,
		   const char *fmt, ...) GG_PRINTF(3, 4);

/* Record a remark (a loosening ignored) for the pusher and the audit:
 * "<source>:<line>:<col>: <msg>" at node `n`, "<source>: <msg>" when
 * `n` is NULL. */
void gg_policy__note(const struct gg_policy_loader *ld,
		     const struct gg_ynode *n, const char *fmt, ...)
	GG_PRINTF(3, 4);

/* Typed readers; each reports a bad value with its position. */
int gg_policy__want_map(const struct gg_policy_loader *ld,
			const struct gg_ynode *n, const char *what);
/* The document's `version: 1`, which every file format here needs; `what`
 * ("policy", "pack") names the format in the message. */
int gg_policy__want_version(const struct gg_policy_loader *ld,
			    const struct gg_ynode *root, const char *what);
int gg_policy__check_keys(const struct gg_policy_loader *ld,
			  const struct gg_ynode *map, const char *what,
			  const char *const *allowed);
int gg_policy__str(const struct gg_policy_loader *ld, const struct gg_ynode *n,
		   const char *what, const char **out);
int gg_policy__int(const struct gg_policy_loader *ld, const struct gg_ynode *n,
		   const char *what, long long min, long long *out);
int gg_policy__bool(const struct gg_policy_loader *ld, const struct gg_ynode *n,
		    const char *what, int *out);
int gg_policy__strs(const struct gg_policy_loader *ld, const struct gg_ynode *n,
		    const char *what, struct gg_strvec *out);
int gg_policy__globs(const struct gg_policy_loader *ld,
		     const struct gg_ynode *n, const char *what,
		     struct gg_strvec *out);

/* Compile validated globs (GG_BUG on failure); free with _free_globs. */
struct gg_glob *gg_policy__compile_globs(const struct gg_strvec *globs);
void gg_policy__free_globs(struct gg_glob *g, size_t n);

/* Whether this layer may loosen `what` (a rule id or section name). */
int gg_policy__may_loosen(const struct gg_policy_loader *ld, const char *what);

/* The configuration of rule `info` (built-in or of a pack of p->avail). */
struct gg_rule_conf *gg_policy__conf(struct gg_policy *p,
				     const struct gg_rule_info *info);

/* Give `p` the packs `packs` without owning them (a scratch policy that
 * validates against another's packs). */
void gg_policy__borrow_packs(struct gg_policy *p, const struct gg_packs *packs);

/* The `rules` and `packs` sections (policy-rules.c). */
int gg_policy__sec_rules(struct gg_policy_loader *ld, const struct gg_ynode *v);
int gg_policy__sec_packs(struct gg_policy_loader *ld, const struct gg_ynode *v);

/* The `environments` and `owners` sections (policy-paths.c). */
int gg_policy__sec_environments(struct gg_policy_loader *ld,
				const struct gg_ynode *v);
int gg_policy__sec_owners(struct gg_policy_loader *ld,
			  const struct gg_ynode *v);

/* Apply one top-level section (policy-sections.c). */
int gg_policy__section(struct gg_policy_loader *ld, const char *key,
		       const struct gg_ynode *v);

#endif
