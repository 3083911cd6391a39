/*
 * Rule packs: declarative rules in YAML files (gitops-packs(5)), shipped
 * in rules/ and installed to $(datadir)/gitops-guard/rules.  A pack
 * named `baseline` holds rules with ids `baseline/<name>`; a policy
 * enables packs with its `packs` key, and the rules of a pack that no
 * layer enables are off.
 *
 * A pack is loaded whole and validated strictly, like a policy file:
 * unknown keys, wrong types, bad globs, patterns, field paths and
 * placeholders are errors "<file>:<line>:<col>: <problem>".  A pack file
 * that does not load is kept, with its error, so that a policy that
 * enables it can say why; packs that load are immutable afterwards.
 *
 *   pack.c        loading and validation
 *   pack-match.c  field paths, matching and messages (no repository)
 *   check-pack.c  the check kind that judges pushes with enabled rules
 */
#ifndef GG_PACK_H
#define GG_PACK_H

#include <stddef.h>

#include "buf.h"
#include "glob.h"
#include "rule.h"
#include "strvec.h"
#include "yamlload.h"

struct gg_regex;

/* The pack search path when $GITOPS_GUARD_PACK_DIR is not set. */
#define GG_PACK_DIRS SYSCONFDIR "/gitops-guard/rules:" PACKDIR

/* --- field paths ---------------------------------------------------------- */

/*
 * A path into an object: keys separated by dots, each optionally
 * followed by subscripts:
 *
 *   spec.template.spec.containers[*].image   [*]: every item (or every
 *                                            value of a map)
 *   spec.containers[0].image                 [N]: item N of a list
 *   metadata.annotations["app.kubernetes.io/name"]
 *                                            ["key"]: a key with dots
 *
 * A key is letters, digits, '_', '-', '$' and '@'.  At most 32 steps.
 */
enum gg_fstep_kind {
	GG_FSTEP_KEY,	/* a map key */
	GG_FSTEP_INDEX, /* [N] */
	GG_FSTEP_EVERY	/* [*] */
};

struct gg_fstep {
	enum gg_fstep_kind kind;
	char *key;    /* GG_FSTEP_KEY; owned */
	size_t index; /* GG_FSTEP_INDEX */
};

struct gg_fpath {
	struct gg_fstep *steps;
	size_t nr;
};

/*
 * Parse `text` into `out` (caller storage; release with
 * gg_fpath_release() in every case).  0, or GG_EINVALID with
 * "<problem> at character N" in gg_error_last().
 */
int gg_fpath_parse(struct gg_fpath *out, const char *text);
void gg_fpath_release(struct gg_fpath *fp);

/* One place a walk reached: a value, or the absence of one. */
struct gg_fhit {
	const struct gg_ynode *node; /* the value; NULL: absent */
	const struct gg_ynode *near; /* the value, or the deepest node the
				      * walk reached (for its line) */
	const char *path;	     /* concrete: "spec.containers[1].image";
			   * borrowed, valid during the callback */
};

/* Returns 0 to go on; anything else stops the walk and is returned. */
typedef int (*gg_fhit_fn)(const struct gg_fhit *hit, void *payload);

/*
 * Call `fn` for every value at path `fp` below `root`.  A missing key,
 * a null value or a value of the wrong shape is one absent hit, unless a
 * [*] follows later in the path: a list that is not there has no items
 * to judge.  0, or what `fn` returned to stop.
 */
int gg_fpath_walk(const struct gg_fpath *fp, const struct gg_ynode *root,
		  gg_fhit_fn fn, void *payload);

/* --- what a rule matches -------------------------------------------------- */

enum gg_pack_test {
	GG_PACK_PATTERN, /* a scalar that the PCRE2 pattern finds */
	GG_PACK_ABSENT,	 /* missing, null, or an empty map, list or string */
	GG_PACK_EQUALS	 /* a scalar equal to the value (typed: booleans and
			  * numbers compare as such, strings exactly) */
};

struct gg_pack_field {
	struct gg_fpath *paths; /* alternatives: any of them */
	size_t npaths;
	const char *text; /* the first path as written */
	enum gg_pack_test test;
	struct gg_regex *re;	       /* GG_PACK_PATTERN; owned */
	const char *pattern;	       /* GG_PACK_PATTERN, as written */
	const struct gg_ynode *equals; /* GG_PACK_EQUALS; in the pack */
};

/*
 * Whether value `v` (NULL: absent) makes field `f` fire: 1, 0, or
 * GG_ELIMIT when a pattern hit the match limit (treat as 0, say so).
 */
int gg_pack_field_fires(const struct gg_pack_field *f,
			const struct gg_ynode *v);

struct gg_pack_kind {
	char *api;  /* "apps", "apps/v1", "v1"; NULL: any apiVersion */
	char *kind; /* "Deployment"; "*": any kind */
};

/*
 * 1 if an object of `api_version` and `kind` is one `k` names: the
 * kind is equal (or k says "*"), and k's api is the apiVersion itself
 * or its group ("apps" names apps/v1 and apps/v1beta2).
 */
int gg_pack_kind_match(const struct gg_pack_kind *k, const char *api_version,
		       const char *kind);

/* --- packs ---------------------------------------------------------------- */

struct gg_pack_example {
	struct gg_strvec before; /* path, content, path, content, ... */
	struct gg_strvec files;	 /* the same */
	int reject;		 /* expect: reject */
	const char *finding;	 /* "<path>:<line>: <message>", or NULL */
	unsigned line;
};

struct gg_pack;

struct gg_pack_rule {
	struct gg_rule_info info; /* id, severity, summary, explain;
				   * params: gg_pack_params */
	char *id;		  /* "<pack>/<name>"; info.id */
	const char *name;
	const struct gg_pack *pack;
	struct gg_strvec envs; /* match.environments: names or tiers */
	int protect;	       /* match.protected */
	struct gg_pack_kind *kinds;
	size_t nkinds;
	struct gg_strvec paths; /* match.paths */
	struct gg_glob *globs;
	struct gg_pack_field *fields; /* all of them must fire */
	size_t nfields;
	const char *message;
	const char *hint; /* NULL: none */
	struct gg_pack_example *examples;
	size_t nexamples;
	unsigned line;
};

struct gg_pack {
	char *name; /* the file's base name */
	char *file;
	char *error; /* NULL, or why the file does not load; then the
		      * rest is empty */
	const char *description;
	struct gg_pack_rule *rules;
	size_t nrules;
	struct gg_yfile *yaml; /* owns the strings the rules borrow */
};

struct gg_packs {
	struct gg_pack **v;
	size_t nr, alloc;
	struct gg_strvec notes; /* directories that could not be read,
				 * packs hidden by an earlier directory */
};

/* The parameters every pack rule has (exclude_paths, environments). */
extern const struct gg_param_spec gg_pack_params[];

/* The pack search path: $GITOPS_GUARD_PACK_DIR, else GG_PACK_DIRS.
 * Borrowed. */
const char *gg_packs_path(void);

/* An empty set.  Caller owns the result; free with gg_packs_free(). */
struct gg_packs *gg_packs_new(void);
void gg_packs_free(struct gg_packs *ps);

/*
 * Load every pack file ("<name>.yaml" or "<name>.yml") of the
 * ':'-separated directories `dirs` (NULL: gg_packs_path()).  A pack
 * found in an earlier directory hides one of the same name in a later
 * one.  Missing directories are skipped; unreadable ones and hidden
 * packs are listed in ps->notes.  A file that does not validate is kept
 * with its error.  Never fails.
 */
void gg_packs_load_dirs(struct gg_packs *ps, const char *dirs);

/*
 * Load one pack file and add it (also when it does not validate).  0,
 * GG_EINVALID with "<file>:<line>:<col>: <problem>" in gg_error_last(),
 * or GG_ENOTFOUND / GG_ERROR when it cannot be read.
 */
int gg_packs_load_file(struct gg_packs *ps, const char *path);

/* The same for `len` bytes named `source`, as pack `name` (tests). */
int gg_packs_load_buffer(struct gg_packs *ps, const char *name,
			 const char *source, const char *data, size_t len);

/* The pack named `name` (loaded or not), or NULL.  Borrowed. */
const struct gg_pack *gg_packs_find(const struct gg_packs *ps,
				    const char *name);

/* The rule with id "<pack>/<name>" of a pack that loaded, or NULL. */
const struct gg_pack_rule *gg_packs_rule(const struct gg_packs *ps,
					 const char *id);

/* The rules of all packs that loaded. */
size_t gg_packs_nrules(const struct gg_packs *ps);

/* --- judging -------------------------------------------------------------- */

/* 1 if rule `r` judges objects of `api_version` and `kind`. */
int gg_pack_rule_kinds(const struct gg_pack_rule *r, const char *api_version,
		       const char *kind);

/*
 * Judge the object at `root` with rule `r` (its kinds and files are the
 * caller's to check): when every field but the first fires somewhere,
 * call `fn` for each value at which the first one fires; a rule without
 * fields fires once, with an empty path, at `root`.  *limited is set
 * when a pattern hit the match limit.  0, or what `fn` returned.
 */
int gg_pack_rule_fire(const struct gg_pack_rule *r, const struct gg_ynode *root,
		      gg_fhit_fn fn, void *payload, int *limited);

/* What the placeholders of a message or hint stand for (NULL: ""). */
struct gg_pack_vars {
	const char *name, *namespace_, *kind, *api_version;
	const char *path, *value, *file, *env;
};

/*
 * Append `tmpl` with {name}, {namespace}, {kind}, {apiVersion}, {path},
 * {value}, {file} and {env} replaced (a value is cut at 120 bytes).
 * Other braces are copied.
 */
void gg_pack_format(struct gg_buf *out, const char *tmpl,
		    const struct gg_pack_vars *v);

/* 0 if every {word} of `tmpl` is a placeholder; else GG_EINVALID with
 * "unknown placeholder '{word}'" in gg_error_last(). */
int gg_pack_template_check(const char *tmpl);

#endif
