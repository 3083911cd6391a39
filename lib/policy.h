/*
 * The policy: what gitops-guard enforces, from four layers.
 *
 *   built-in defaults < system file < repository config file < in-repo file
 *
 * The system file is $(sysconfdir)/gitops-guard/policy.yaml (or
 * $GITOPS_GUARD_SYSTEM_POLICY); the repository config file is named by
 * the receiving repository's `gitops-guard.policy`; the in-repo file is
 * .gitops-guard.yaml at the root of the default branch, read from its
 * pre-push tip.  Later layers may tighten; they loosen (lower a severity,
 * raise a threshold, add promoters or break-glass users, accept on error,
 * turn off a pack, unprotect or reorder environments, add owners where a
 * layer below names some, lower a limit) only what the system file lists
 * in `allow_loosen`; a loosening that is not allowed is ignored with a
 * note that names the file, line and column.  The in-repo file may not
 * set `audit` at all, nor replace the built-in recognition of
 * environments.  gitops-policy(5) is the user-facing contract.
 *
 * Files are validated strictly: unknown keys, wrong types, bad globs,
 * patterns, rule ids or severities are errors "<file>:<line>:<col>: ...".
 *
 * Rule packs (pack.h) are loaded with the policy, before its layers, so
 * that every layer can enable them (`packs`) and configure their rules
 * (`rules`) by id; a pack that no layer enables has its rules off.
 */
#ifndef GG_POLICY_H
#define GG_POLICY_H

#include <stddef.h>

#include "glob.h"
#include "rule.h"
#include "strvec.h"

struct gg_packs;

enum gg_policy_layer {
	GG_LAYER_DEFAULTS,
	GG_LAYER_SYSTEM,
	GG_LAYER_REPO_CONFIG,
	GG_LAYER_IN_REPO
};

/* limits.deadline_ms when no policy says otherwise: GitHub Enterprise
 * gives all pre-receive hooks 5 s together. */
#define GG_DEFAULT_DEADLINE_MS 4000

/* limits.max_blob_bytes when the policy does not say. */
#define GG_DEFAULT_MAX_BLOB_BYTES (4 * 1024 * 1024)

/* The in-repo policy file name at the root of the default branch. */
#define GG_POLICY_IN_REPO_PATH ".gitops-guard.yaml"

/*
 * An environment.  Its globs may come from several layers: a later layer
 * adds globs to an environment of a layer below, and they only claim
 * files that no glob of an earlier layer places in an environment
 * (gg_env_of_path()).
 */
struct gg_policy_env {
	char *name;
	struct gg_strvec paths;	      /* globs as written */
	struct gg_glob *globs;	      /* compiled, paths.nr of them */
	enum gg_policy_layer *layers; /* the layer of each glob */
	char *branch;		      /* branch-per-environment, or NULL */
	int protect; /* 1 protected, 0 not, -1 default (top tier) */
};

struct gg_policy_app {
	char *name;
	char *path;	  /* root directory in the repository */
	char *controller; /* "argocd" or "flux" */
	char *branch;	  /* tracked branch, NULL: the default branch */
	char *project;
	char *namespace_;
	char *environment;
	enum gg_policy_layer layer; /* the layer of the entry */
	int auto_sync, prune, self_heal, allow_empty, recurse; /* -1 unset */
};

/*
 * An owners entry.  For a path, only the matching entries of the
 * earliest layer that has one count (gg_policy_owners_of()); an entry
 * whose layer is GG_LAYER_ANY (a later layer that allow_loosen lets
 * loosen `owners`) counts with whichever layer that is.
 */
struct gg_policy_owner {
	struct gg_strvec paths;
	struct gg_glob *globs;
	struct gg_strvec users;
	int layer; /* enum gg_policy_layer, or GG_LAYER_ANY */
};

#define GG_LAYER_ANY (-1)

struct gg_policy_freeze {
	char *name;
	struct gg_strvec environments;
	char *schedule;	    /* 5-field cron */
	long long duration; /* seconds */
	char *timezone;	    /* "UTC", "+02:00" or an IANA name */
};

struct gg_param_value {
	int set;
	double num;	       /* INT, NUMBER, BOOL */
	char *str;	       /* STRING */
	struct gg_strvec strs; /* STRINGS, PATTERNS */
};

struct gg_rule_conf {
	const struct gg_rule_info *info;
	enum gg_severity severity;
	struct gg_param_value *params; /* one per info->params entry */
};

struct gg_policy {
	int version;
	struct gg_strvec repo_urls;
	/* 1: repo_urls replace the rule that a URL ending in the
	 * repository's name is this repository (gg_policy_repo_name()) */
	int repo_urls_only;
	struct gg_strvec
		branches; /* branch globs guarded besides the defaults */
	struct gg_policy_env *envs;
	size_t nenvs;
	int envs_set; /* 0: the built-in recognition serves */
	/* the layer whose list of environments the others add to: its
	 * globs, like those of layers that may loosen, place files as
	 * evidence (gg_env.later) */
	enum gg_policy_layer envs_layer;
	struct gg_policy_app *apps;
	size_t napps;
	struct gg_policy_owner *owners;
	size_t nowners;
	struct gg_strvec promoters;
	struct gg_strvec break_glass_users;
	long long break_glass_min_reason;
	struct gg_policy_freeze *freezes;
	size_t nfreezes;
	/* gg_rules_count() built-in rules, then one per rule of `avail`;
	 * the last has info NULL */
	struct gg_rule_conf *rules;
	struct gg_strvec packs;	      /* enabled packs, by name */
	const struct gg_packs *avail; /* packs layers may enable, or NULL */
	struct gg_packs *avail_owned; /* `avail` when the policy owns it */
	struct gg_strvec identity_env;
	struct {
		char *log; /* NULL: <git-dir>/gitops-guard/audit.jsonl */
		char *syslog_facility; /* NULL: no syslog */
		char *webhook_url;
		long long webhook_timeout_ms;
		char *webhook_spool;
	} audit;
	struct {
		long long deadline_ms;
		long long max_blob_bytes;
		long long max_commits;
		int on_error_accept;
		int on_timeout_accept;
	} limits;
	struct gg_strvec allow_loosen; /* from the system layer only */
	struct gg_strvec sources;      /* the files that were loaded */
	struct gg_strvec notes;	       /* loosenings ignored, other remarks */
};

/* Set up `p` (caller storage) with the built-in defaults. */
void gg_policy_init(struct gg_policy *p);
void gg_policy_release(struct gg_policy *p);

/*
 * Validate `len` bytes of policy YAML named `source` (for messages) and
 * merge it into `p` as layer `layer`.  0, or GG_EINVALID with
 * "<source>:<line>:<col>: <problem>" in gg_error_last(); `p` is
 * unchanged on error.
 */
int gg_policy_load(struct gg_policy *p, enum gg_policy_layer layer,
		   const char *source, const char *data, size_t len);

/* Read and load a file.  GG_ENOTFOUND when it does not exist. */
int gg_policy_load_file(struct gg_policy *p, enum gg_policy_layer layer,
			const char *path);

/* Validate without merging, knowing no packs: a file that enables
 * packs or configures their rules does not validate. */
int gg_policy_validate(const char *source, const char *data, size_t len);

/*
 * Validate without merging, with the packs `like` may enable (NULL: as
 * gg_policy_validate()).  For a file that will be a layer of a policy
 * like `like` (policy/changed, an in-repo file that repairs itself).
 */
int gg_policy_validate_for(const struct gg_policy *like, const char *source,
			   const char *data, size_t len);

/*
 * The packs its layers may enable: set them before loading any layer
 * (GG_BUG otherwise).  gg_policy_set_packs() takes ownership of
 * `packs`; gg_policy_load_packs() loads them from gg_packs_path() (a
 * pack that does not load is an error only for a layer that enables
 * it).  Until then the policy knows no packs.
 */
void gg_policy_set_packs(struct gg_policy *p, struct gg_packs *packs);
void gg_policy_load_packs(struct gg_policy *p);

/*
 * The rule with id `id`: a built-in rule, or a rule of a pack the
 * policy knows, enabled or not; NULL if there is none.  Borrowed; valid
 * until gg_policy_release().
 */
const struct gg_rule_info *gg_policy_rule(const struct gg_policy *p,
					  const char *id);

/* 1 if a layer enabled pack `name`. */
int gg_policy_pack_enabled(const struct gg_policy *p, const char *name);

/* The effective severity of a rule: GG_SEV_OFF for unknown ids, and for
 * rules of packs that no layer enabled. */
enum gg_severity gg_policy_severity(const struct gg_policy *p, const char *id);

/* Parameter values of a rule; the built-in default when not set.
 * GG_BUG() on an unknown rule or parameter (a programmer error). */
double gg_policy_num(const struct gg_policy *p, const char *id,
		     const char *param);
const char *gg_policy_str(const struct gg_policy *p, const char *id,
			  const char *param);
const struct gg_strvec *gg_policy_strs(const struct gg_policy *p,
				       const char *id, const char *param);

/*
 * The owners of `path`, a file or a directory (which an entry matches
 * when a glob covers it, gg_glob_match_dir()): the users of the
 * matching entries of the earliest layer that has one, added to `out`
 * once each.  Nothing is added when no entry matches.
 */
void gg_policy_owners_of(struct gg_strvec *out, const struct gg_policy *p,
			 const char *path);

/*
 * The repository name that gg_repo_url_matches() should also accept
 * URLs by: `name`, or NULL when the policy's repo_urls replace that rule.
 * repo_urls from the system or repository-config policy replace it; the
 * in-repo policy's only add URLs to it, unless the system policy's
 * allow_loosen names repo_urls, since dropping the name rule would make
 * the apps it finds no longer this repository's.
 */
const char *gg_policy_repo_name(const struct gg_policy *p, const char *name);

/*
 * 1 if what layer `layer` sets for `what` (a rule id or section name)
 * counts even where it loosens: the system layer and the defaults
 * always, a later layer when the system policy's allow_loosen names
 * `what`.
 */
int gg_policy_may_loosen(const struct gg_policy *p, enum gg_policy_layer layer,
			 const char *what);

/* 1 if `identity` is in `list` (NULL identity is in no list). */
int gg_policy_has_identity(const struct gg_strvec *list, const char *identity);

/* The system policy path: $GITOPS_GUARD_SYSTEM_POLICY or the sysconfdir
 * default.  Borrowed. */
const char *gg_policy_system_path(void);

/*
 * Load the system layer: the system file (if it exists), then every
 * "*.yaml" file of the directory "policy.d" beside it, in name order
 * (drop-ins, for configuration management).  All of them are the system
 * layer.  0, or the first error (GG_EINVALID with file:line:col).
 */
int gg_policy_load_system(struct gg_policy *p);

#endif
