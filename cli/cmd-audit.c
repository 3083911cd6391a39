/*
 * gitops-guard audit: read the audit logs of repositories, select runs
 * by time, repository, rule, decision, pusher, ref, break-glass and
 * waivers, and print them or their summary for reviewers as a table,
 * JSON, JSON lines, CSV or a self-contained HTML report.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "banned.h"

static const char usage[] =
	"audit [--log FILE]... [--repo DIR]... [--since TIME] [--until TIME] "
	"[--repository GLOB] [--rule GLOB] [--decision DECISION] "
	"[--pusher NAME] [--ref GLOB] [--break-glass] [--waived] "
	"[--format table|json|jsonl|csv|html] [--findings | --summary]";

enum {
	OPT_LOG = 256,
	OPT_REPO,
	OPT_FORMAT,
	OPT_FINDINGS,
	OPT_SUMMARY,
	OPT_BREAK_GLASS,
	OPT_WAIVED,
	OPT_FILTER /* + enum gg_audit_key */
};

static const struct option longopts[] = {
	{ "log", required_argument, NULL, OPT_LOG },
	{ "repo", required_argument, NULL, OPT_REPO },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "findings", no_argument, NULL, OPT_FINDINGS },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "break-glass", no_argument, NULL, OPT_BREAK_GLASS },
	{ "waived", no_argument, NULL, OPT_WAIVED },
	{ "since", required_argument, NULL, OPT_FILTER + GG_AUDIT_SINCE },
	{ "until", required_argument, NULL, OPT_FILTER + GG_AUDIT_UNTIL },
	{ "repository", required_argument, NULL,
	  OPT_FILTER + GG_AUDIT_REPOSITORY },
	{ "rule", required_argument, NULL, OPT_FILTER + GG_AUDIT_RULE },
	{ "decision", required_argument, NULL, OPT_FILTER + GG_AUDIT_DECISION },
	{ "pusher", required_argument, NULL, OPT_FILTER + GG_AUDIT_PUSHER },
	{ "ref", required_argument, NULL, OPT_FILTER + GG_AUDIT_REF },
	{ NULL, 0, NULL, 0 }
};

struct audit_opts {
	struct gg_strvec inputs; /* "log:<file>" or "repo:<dir>", in order */
	struct gg_audit_filter filter;
	struct gg_buf selection; /* the filters as given, shell-quoted */
	enum gg_audit_format format;
	int findings, summary;
	long long now;
};

/* Now, or GITOPS_GUARD_NOW as the hooks read it (for tests). */
static int read_now(long long *out)
{
	const char *now = getenv("GITOPS_GUARD_NOW");

	*out = (long long)time(NULL);
	if (now && *now && gg_time_parse(out, now) < 0)
		return gg_cli_fail("GITOPS_GUARD_NOW '%s' is not a time", now);
	return 0;
}

static const char *opt_name(int c)
{
	size_t i;

	for (i = 0; longopts[i].name && longopts[i].val != c; i++)
		;
	return longopts[i].name;
}

static void note_selection(struct audit_opts *o, int c, const char *arg)
{
	if (o->selection.len)
		gg_buf_addch(&o->selection, ' ');
	gg_buf_addf(&o->selection, "--%s", opt_name(c));
	if (arg) {
		gg_buf_addch(&o->selection, ' ');
		gg_report_shell_quote(&o->selection, arg);
	}
}

static int take_option(struct audit_opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_LOG:
		gg_strvec_push_take(&o->inputs, gg_xasprintf("log:%s", arg));
		return 0;
	case OPT_REPO:
		gg_strvec_push_take(&o->inputs, gg_xasprintf("repo:%s", arg));
		return 0;
	case OPT_FORMAT:
		if (gg_audit_format_parse(&o->format, arg) < 0)
			return gg_cli_fail("%s", gg_error_last());
		return 0;
	case OPT_FINDINGS: o->findings = 1; return 0;
	case OPT_SUMMARY: o->summary = 1; return 0;
	case OPT_BREAK_GLASS: o->filter.break_glass = 1; break;
	case OPT_WAIVED: o->filter.waived = 1; break;
	default:
		if (c < OPT_FILTER || c > OPT_FILTER + GG_AUDIT_REF)
			return gg_cli_usage(usage);
		if (gg_audit_filter_add(&o->filter,
					(enum gg_audit_key)(c - OPT_FILTER),
					arg, o->now) < 0)
			return gg_cli_fail("--%s: %s", opt_name(c),
					   gg_error_last());
	}
	note_selection(o, c, arg);
	return 0;
}

static int parse_args(struct audit_opts *o, int argc, char **argv)
{
	int c, err;

	if ((err = read_now(&o->now)) != 0)
		return err;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if ((err = take_option(o, c, optarg)) != 0)
			return err;
	if (optind != argc || (o->findings && o->summary))
		return gg_cli_usage(usage);
	if (o->summary && o->format == GG_AUDIT_CSV)
		return gg_cli_fail("the summary has no CSV form; use --format "
				   "table, json or html");
	if (!o->inputs.nr)
		gg_strvec_push(&o->inputs, "repo:");
	return 0;
}

/*
 * The log of the repository `dir` ("" for the one in or around the
 * current directory): audit.log of its server-side policy, relative to
 * the repository, else gitops-guard/audit.jsonl inside it.
 */
static int repo_log_path(char **out, const char *dir)
{
	struct gg_session_opts opts = { .hook = GG_HOOK_CHECK,
					.readonly = 1,
					.search = 1,
					.git_dir = *dir ? dir : NULL };
	struct gg_session s;
	int status = 0;

	*out = NULL;
	if (gg_session_open(&s, &opts) < 0) {
		status = gg_cli_fail("cannot find the audit log of '%s': %s; "
				     "name it with --log",
				     *dir ? dir : ".", gg_error_last());
	} else if (!(*out = gg_audit_log_path(&s))) {
		status = gg_cli_fail("the policy of '%s' turns the audit log "
				     "off (audit.log: off); name a log with "
				     "--log",
				     s.ctx.git_dir);
	} else if (**out != '/') {
		char *rel = *out;

		*out = gg_xasprintf("%s/%s", s.ctx.git_dir, rel);
		free(rel);
	}
	gg_session_release(&s);
	return status;
}

static int read_repo(struct gg_auditlog *log, const char *dir)
{
	char *path = NULL;
	int status;

	if (gg_repo_global_init() < 0)
		return gg_cli_fail("%s", gg_error_last());
	status = repo_log_path(&path, dir);
	gg_repo_global_shutdown();
	if (!status && gg_auditlog_read_file(log, path) < 0)
		status = gg_cli_fail("%s", gg_error_last());
	free(path);
	return status;
}

static int read_inputs(struct gg_auditlog *log, const struct gg_strvec *in)
{
	size_t i;
	int status = 0;

	for (i = 0; i < in->nr && !status; i++) {
		const char *v = in->v[i], *path = v + 4;

		if (!strncmp(v, "repo:", 5))
			status = read_repo(log, v + 5);
		else if ((strcmp(path, "-")
				  ? gg_auditlog_read_file(log, path)
				  : gg_auditlog_read_fd(log, 0, "<stdin>")) < 0)
			status = gg_cli_fail("%s", gg_error_last());
	}
	return status;
}

static void warn_unreadable(const struct gg_auditlog *log)
{
	size_t i;

	for (i = 0; i < log->warnings.nr; i++)
		fprintf(stderr, "gitops-guard: warning: %s\n",
			log->warnings.v[i]);
	if (log->unreadable > log->warnings.nr)
		fprintf(stderr,
			"gitops-guard: warning: %zu more unreadable lines\n",
			log->unreadable - log->warnings.nr);
}

static int flush_stdout(struct gg_buf *out, void *payload)
{
	(void)payload;
	if (fwrite(out->buf, 1, out->len, stdout) != out->len) {
		gg_error_set("cannot write the output");
		return GG_ERROR;
	}
	gg_buf_reset(out);
	return 0;
}

static int report(struct audit_opts *o, struct gg_auditlog *log)
{
	struct gg_audit_report r;
	struct gg_audit_summary sum;
	struct gg_audit_run **runs;
	struct gg_buf out = GG_BUF_INIT;
	size_t nr;
	int status;

	gg_audit_select(&runs, &nr, log, &o->filter);
	gg_audit_summary_build(&sum, runs, nr);
	memset(&r, 0, sizeof(r));
	r.format = o->format;
	r.findings = o->findings;
	r.summary = o->summary;
	r.runs = runs;
	r.nr = nr;
	r.sum = &sum;
	r.log = log;
	r.selection = o->selection.buf;
	r.now = o->now;
	if (gg_audit_format(&out, &r, flush_stdout, NULL) < 0 ||
	    fflush(stdout) != 0)
		status = gg_cli_fail("cannot write the output");
	else
		status = gg_audit_report_rows(&r) ? 0 : 1;
	gg_buf_release(&out);
	gg_audit_summary_release(&sum);
	free(runs);
	return status;
}

int gg_cmd_audit(int argc, char **argv)
{
	struct audit_opts o;
	struct gg_auditlog log;
	int status;

	memset(&o, 0, sizeof(o));
	gg_strvec_init(&o.inputs);
	gg_audit_filter_init(&o.filter);
	gg_buf_init(&o.selection, 0);
	gg_auditlog_init(&log);
	status = parse_args(&o, argc, argv);
	if (!status)
		status = read_inputs(&log, &o.inputs);
	if (!status) {
		warn_unreadable(&log);
		status = report(&o, &log);
	}
	gg_auditlog_release(&log);
	gg_strvec_release(&o.inputs);
	gg_audit_filter_release(&o.filter);
	gg_buf_release(&o.selection);
	return status;
}
