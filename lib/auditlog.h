/*
 * Reading the audit log back, for reviewers (gitops-guard audit): the
 * JSON lines that audit.c appends, parsed one line at a time with the
 * YAML loader into runs; filters by time, repository, rule, decision,
 * pusher, ref, break-glass and waivers; a summary per decision, rule
 * and pusher with every break-glass use; and the output forms: an
 * aligned table, JSON, JSON lines, CSV and a self-contained HTML report.
 *
 * A line that is not an audit event never stops the reading: it is
 * counted and described ("<log>:<line>: <problem>"), and the reading
 * goes on.  Lines longer than GG_AUDITLOG_MAX_LINE are refused the same
 * way without being held in memory.  Only a log that cannot be opened
 * or read is an error.
 *
 * Every string of a run is pushed content or comes from the push's
 * environment, so all of it is untrusted: the text forms make control
 * characters and invalid UTF-8 visible (gg_buf_add_escaped), CSV guards
 * against spreadsheet formulas, HTML escapes every value.  JSON keeps
 * the values exactly.
 */
#ifndef GG_AUDITLOG_H
#define GG_AUDITLOG_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "glob.h"
#include "strvec.h"

/* The longest line read (8 MiB); a longer one is skipped as unreadable. */
#define GG_AUDITLOG_MAX_LINE ((size_t)8 << 20)

/* How many unreadable lines are described; the rest are only counted. */
#define GG_AUDITLOG_MAX_WARNINGS 100

struct gg_audit_ref {
	const char *ref, *old, *new_id, *kind;
};

struct gg_audit_finding {
	const char *rule, *severity, *ref, *commit, *path, *target;
	const char *message, *hint, *waiver, *waived_by;
	long long line; /* 0: none */
	int selected;	/* set by gg_audit_filter_run() */
};

/*
 * One hook run, as the audit event records it (gitops-guard(7), "The
 * audit log").  Strings are NULL where the event has null or lacks the
 * field; all of them are borrowed from the log's arena.
 */
struct gg_audit_run {
	const char *log; /* the log's name, as given */
	size_t lineno;	 /* 1-based line in that log */
	size_t seq;	 /* order of reading, across logs */
	long long time;	 /* Unix seconds */
	const char *version, *id, *repository, *pusher, *pusher_source;
	const char *platform, *hook, *via, *decision, *error;
	const char *break_glass_reason;
	int break_glass_granted, timed_out;
	long long refs_total, refs_checked, files_changed, duration_ms;
	long long blocking, warnings, waived;
	struct gg_audit_ref *refs;
	size_t nrefs;
	struct gg_audit_finding *findings;
	size_t nfindings;
	const char **push_options, **remarks, **notes;
	size_t npush_options, nremarks, nnotes;
};

/* What was read: the runs of one or more logs, and what could not be. */
struct gg_auditlog {
	struct gg_arena arena; /* owns every run and string */
	struct gg_audit_run **runs;
	size_t nr, alloc;
	struct gg_strvec logs;	   /* the names read, in order */
	size_t lines;		   /* lines read, the unreadable included */
	size_t unreadable;	   /* lines that are not an audit event */
	size_t records;		   /* lines with a "type": not runs, skipped */
	struct gg_strvec warnings; /* the first GG_AUDITLOG_MAX_WARNINGS */
};

void gg_auditlog_init(struct gg_auditlog *log);
void gg_auditlog_release(struct gg_auditlog *log);

/*
 * Parse one line (without its newline) into a run allocated from
 * `arena`.  0 and `*out`; 1 and no run when the line is a record of
 * another kind, an object with a "type" (webhook-gave-up, written by
 * lib/webhook.c); GG_EINVALID with the problem in
 * gg_error_last() ("not JSON at column 12: ...", "not an audit event:
 * no 'time'").  A trailing CR and surrounding blanks are ignored.  The line
 * is read as YAML (JSON is YAML, given the few rewrites of
 * gg_auditlog_yaml_safe), with a depth limit of 16.
 */
int gg_audit_run_parse(struct gg_audit_run **out, struct gg_arena *arena,
		       const char *line, size_t len);

/*
 * Rewrite a JSON text where libyaml would read it differently: C1
 * control characters (U+0080..U+009F, which YAML does not allow raw or
 * folds as a line break) become \u00XX, and UTF-16 surrogate pairs
 * (\ud83d\ude00, which YAML does not accept) become \U0001f600.  Inside
 * strings only; everything else is copied.  Appends to `out`; 0 or
 * GG_ELIMIT.
 */
int gg_auditlog_yaml_safe(struct gg_buf *out, const char *s, size_t len);

/*
 * Read every line from `fd` into `log` as the log named `name` (used in
 * warnings and in each run).  0, or GG_ERROR when reading fails ("cannot
 * read '<name>': ...").  Unreadable lines are not errors.
 */
int gg_auditlog_read_fd(struct gg_auditlog *log, int fd, const char *name);

/* Open `path` and read it as above; GG_ENOTFOUND / GG_ERROR when it
 * cannot be opened ("cannot open audit log '<path>': ..."). */
int gg_auditlog_read_file(struct gg_auditlog *log, const char *path);

/* ---- filters --------------------------------------------------------- */

enum gg_audit_key {
	GG_AUDIT_SINCE,
	GG_AUDIT_UNTIL,
	GG_AUDIT_REPOSITORY,
	GG_AUDIT_RULE,
	GG_AUDIT_DECISION,
	GG_AUDIT_PUSHER,
	GG_AUDIT_REF
};

struct gg_audit_globs {
	struct gg_glob *v;
	size_t nr, alloc;
};

/*
 * What to select.  Values of one key are alternatives, keys must all
 * match.  The run-level keys select runs; `rules`, `waived` and `refs`
 * also narrow a selected run's findings to those that match (a finding
 * without a ref passes a ref filter), and a run whose findings all fail
 * `rules` or `waived` is not selected.
 */
struct gg_audit_filter {
	int has_since, has_until;
	long long since, until; /* since <= time < until */
	struct gg_audit_globs repositories, rules, refs;
	struct gg_strvec decisions, pushers;
	int break_glass; /* only runs that asked for break-glass */
	int waived;	 /* only waived findings */
};

void gg_audit_filter_init(struct gg_audit_filter *f);
void gg_audit_filter_release(struct gg_audit_filter *f);

/*
 * Add one value for `key`.  Times are read by gg_audit_time_parse()
 * against `now`; globs by gg_glob_compile() (a ref glob that does not
 * start with "refs/" matches branch names, as the policy's `branches`);
 * decisions must be one of gg_audit_decisions.  0, or GG_EINVALID with
 * the problem in gg_error_last().
 */
int gg_audit_filter_add(struct gg_audit_filter *f, enum gg_audit_key key,
			const char *value, long long now);

/* The decisions an event can record, NULL-terminated. */
extern const char *const gg_audit_decisions[];

/*
 * A time for --since / --until: what gg_time_parse() reads, or a
 * duration before `now`: a number and one of s, m, h, d, w ("7d",
 * "24h").  0, or GG_EINVALID.
 */
int gg_audit_time_parse(long long *out, const char *s, long long now);

/*
 * 1 if `run` is selected, else 0; marks its findings' `selected`.
 */
int gg_audit_filter_run(const struct gg_audit_filter *f,
			struct gg_audit_run *run);

/*
 * Apply the filter to every run of `log` and hand out the selected ones
 * in time order (runs of the same second in the order read).  Caller
 * owns the array (free with free()); the runs are borrowed from `log`.
 */
void gg_audit_select(struct gg_audit_run ***out, size_t *nr,
		     struct gg_auditlog *log, const struct gg_audit_filter *f);

/* ---- summary --------------------------------------------------------- */

struct gg_audit_count {
	const char *name; /* NULL for runs without a pusher */
	size_t n;	  /* runs (decisions, pushers) or findings (rules) */
	size_t m;	  /* rejected runs (pushers) or waived findings */
};

struct gg_audit_summary {
	size_t runs, findings;
	long long first, last; /* times of the first and last run */
	struct gg_audit_count *decisions, *rules, *pushers;
	size_t ndecisions, nrules, npushers;
	struct gg_audit_run **break_glass; /* runs that asked for it */
	size_t nbreak_glass;
};

/*
 * Count the selected runs and their selected findings: per decision
 * and per pusher (runs) and per rule (findings), each list by count,
 * largest first, then by name.  Release with gg_audit_summary_release();
 * the names and runs are borrowed from the runs' log.
 */
void gg_audit_summary_build(struct gg_audit_summary *out,
			    struct gg_audit_run *const *runs, size_t nr);
void gg_audit_summary_release(struct gg_audit_summary *s);

/* ---- output ---------------------------------------------------------- */

enum gg_audit_format {
	GG_AUDIT_TABLE,
	GG_AUDIT_JSON,
	GG_AUDIT_JSONL,
	GG_AUDIT_CSV,
	GG_AUDIT_HTML
};

/* "table", "json", ... to the format; GG_EINVALID for anything else. */
int gg_audit_format_parse(enum gg_audit_format *out, const char *name);

/* What to print. */
struct gg_audit_report {
	enum gg_audit_format format;
	int findings; /* table, CSV: one row per finding */
	int summary;  /* the summary instead of the runs */
	struct gg_audit_run *const *runs;
	size_t nr;
	const struct gg_audit_summary *sum;
	const struct gg_auditlog *log;
	const char *selection; /* the filters as given, for the HTML report */
	long long now;	       /* when the report is made */
};

/*
 * The rows the report lists: selected findings for the table and CSV
 * with `findings`, else runs.  0 means the filters matched nothing.
 */
size_t gg_audit_report_rows(const struct gg_audit_report *r);

/*
 * Called with the output so far whenever it grows past 64 KiB, and at
 * the end; it writes the bytes and empties the buffer.  0, or a
 * negative error, which stops the output and is returned.
 */
typedef int (*gg_audit_flush_fn)(struct gg_buf *out, void *payload);

/*
 * Append the report in its format to `out`, calling `flush` as above.
 * The table of an empty selection is empty; JSON prints [], CSV its
 * header, HTML a report that says no run matched.  CSV has no summary
 * form: GG_EINVALID.  0, or what `flush` returned.
 */
int gg_audit_format(struct gg_buf *out, const struct gg_audit_report *r,
		    gg_audit_flush_fn flush, void *payload);

/*
 * Append `s` for display in a text column: control characters, DEL,
 * C1 controls and invalid UTF-8 as gg_buf_add_escaped() shows them,
 * and the Unicode format characters that reorder or hide text (bidi
 * embeddings, overrides, isolates and marks, zero-width characters,
 * the line and paragraph separators, BOM) as \uXXXX.  NULL appends
 * "-".
 */
void gg_audit_add_display(struct gg_buf *out, const char *s);

/* Append `s` escaped for HTML text and attribute values: & < > " '
 * as entities, after gg_audit_add_display(). */
void gg_audit_add_html(struct gg_buf *out, const char *s);

/*
 * Append `s` as one CSV field (RFC 4180): after gg_audit_add_display(),
 * quoted when it holds a comma or a quote, with quotes doubled; a field
 * that a spreadsheet would take as a formula (starting with = + - @)
 * gets a leading '.  NULL is an empty field.
 */
void gg_audit_add_csv(struct gg_buf *out, const char *s);

#endif
