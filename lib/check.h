/*
 * Check kinds: one rule family per lib/check-<kind>.c, each exporting a
 * `const struct gg_check_kind` (tmux's cmd_entry).  Adding a kind is one
 * new file and one line in GG_CHECK_KINDS below.
 *
 * A check reads the change of one ref (run->change) and reports findings
 * with gg_check_report(); it returns 0, or a negative error only when it
 * cannot do its work at all (a repository failure).  A finding is never
 * an error.
 */
#ifndef GG_CHECK_H
#define GG_CHECK_H

#include "changes.h"
#include "engine.h"
#include "error.h"
#include "refapps.h"
#include "rule.h"
#include "session.h"

struct gg_check_run {
	struct gg_session *s;
	const struct gg_update *update;
	const struct gg_refchange *change;
	struct gg_result *result;
	struct gg_refapps *apps;    /* built by gg_check_apps() on first use */
	const struct gg_push *push; /* every update of the push; borrowed */
};

struct gg_check_kind {
	const char *name;		  /* "yaml" */
	const struct gg_rule_info *rules; /* terminated by { NULL } */
	int (*run)(struct gg_check_run *run);
};

/* The table: X(name) for each lib/check-<name>.c. */
#define GG_CHECK_KINDS                                                         \
	X(yaml)	     /* yaml/invalid */                                        \
	X(policy)    /* policy/changed */                                      \
	X(deletion)  /* app/emptied, mass-deletion, cascade-delete; protect */ \
	X(appset)    /* appset/generator-shrink */                             \
	X(refs)	     /* ref/tracked-rewrite */                                 \
	X(scope)     /* prune/unscoped, project/unscoped */                    \
	X(sync)	     /* sync/auto-enabled, sync/allow-empty */                 \
	X(secret)    /* secret/plaintext */                                    \
	X(promotion) /* promotion/direct-edit, promotion/branch-bypass */      \
	X(versions)  /* promotion/skipped-stage */                             \
	X(freeze)    /* freeze/active */                                       \
	X(pack)	     /* <pack>/<rule>: rules of the enabled packs */           \
	X(breakglass) /* break-glass/denied */

#define X(name) extern const struct gg_check_kind gg_check_##name;
GG_CHECK_KINDS
#undef X

/* Every check kind, NULL-terminated.  Borrowed. */
extern const struct gg_check_kind *const gg_check_kinds[];

struct gg_report_spec {
	const char *rule;	/* rule id; severity comes from the policy */
	const char *path;	/* file or directory, or NULL */
	unsigned line;		/* 0: none */
	const char *commit;	/* hex id, or NULL */
	const char *target;	/* confirm target; NULL: the path */
	const char *hint;	/* how to fix, or NULL */
	enum gg_severity floor; /* at least this severity, even if the
				 * policy says less (an unusable policy) */
};

/*
 * Report a finding for the run's ref.  Nothing happens when the policy
 * has the rule off.  The message is printf-formatted; pushed content in
 * it is escaped when printed.
 */
void gg_check_report(struct gg_check_run *run,
		     const struct gg_report_spec *spec, const char *fmt, ...)
	GG_PRINTF(3, 4);

/*
 * Report a finding at severity info, never higher: a remark that belongs
 * to a rule (shown with -o gitops.verbose, always audited).  Nothing
 * happens when the policy has the rule off.
 */
void gg_check_inform(struct gg_check_run *run,
		     const struct gg_report_spec *spec, const char *fmt, ...)
	GG_PRINTF(3, 4);

/*
 * The apps of the run's ref before and after the push (refapps.h), built
 * on first use and shared by every check of the ref.  Borrowed; valid
 * for the run.  0, or a negative error from the repository.
 */
int gg_check_apps(struct gg_check_run *run, const struct gg_refapps **out);

/*
 * 1 when the run's update creates a branch in a repository that has no
 * branch at all yet (its first push, the import of existing state), 0
 * when not, or a negative error.  Rules about how changes arrive
 * (promotion) do not judge that push.
 */
int gg_check_first_push(struct gg_check_run *run);

/* Add a remark (shown with -o gitops.verbose, always audited). */
void gg_check_note(struct gg_check_run *run, const char *fmt, ...)
	GG_PRINTF(2, 3);

#endif
