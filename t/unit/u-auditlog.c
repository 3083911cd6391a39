/*
 * Unit tests for the audit log reader (auditlog*.c): parsing event
 * lines, JSON that libyaml reads differently, unreadable and huge lines,
 * times, filters, the selection order, the summary and the escapers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guard.h"
#include "auditlog.h"
#include "tap.h"

#define NOW 1772409600LL /* 2026-03-02T00:00:00Z */

/* An event line as the hooks write it, with the fields that vary. */
static char *event(const char *time, const char *repo, const char *pusher,
		   const char *decision, const char *bg, const char *findings)
{
	return gg_xasprintf(
		"{\"time\":\"%s\",\"version\":\"1.0\",\"repository\":\"%s\","
		"\"pusher\":%s,\"pusher_source\":null,\"platform\":\"git\","
		"\"hook\":\"pre-receive\",\"via\":null,\"refs\":[{\"ref\":"
		"\"refs/heads/main\",\"old\":\"0000\",\"new\":\"1111\","
		"\"kind\":\"update\"},{\"ref\":\"refs/heads/release/1\","
		"\"old\":\"0000\",\"new\":\"2222\",\"kind\":\"create\"}],"
		"\"push_options\":[],\"decision\":\"%s\",\"error\":null,"
		"\"refs_total\":2,\"refs_checked\":2,\"files_changed\":3,"
		"\"timed_out\":false,\"duration_ms\":7,\"blocking\":1,"
		"\"warnings\":2,\"waived\":1,\"break_glass_reason\":%s,"
		"\"break_glass_granted\":%s,\"findings\":[%s],\"remarks\":[],"
		"\"notes\":[\"n1\"]}",
		time, repo, pusher, decision, bg ? bg : "null",
		bg ? "true" : "false", findings);
}

static const char finding_warn[] =
	"{\"rule\":\"yaml/invalid\",\"severity\":\"warn\",\"ref\":"
	"\"refs/heads/main\",\"commit\":null,\"path\":\"a.yaml\",\"line\":2,"
	"\"target\":\"a.yaml\",\"message\":\"bad\",\"hint\":null,\"waiver\":"
	"null,\"waived_by\":null}";
static const char finding_waived[] =
	"{\"rule\":\"sync/auto-enabled\",\"severity\":\"confirm\",\"ref\":"
	"\"refs/heads/release/1\",\"commit\":null,\"path\":\"b.yaml\","
	"\"line\":0,\"target\":\"b.yaml\",\"message\":\"auto\",\"hint\":"
	"null,\"waiver\":\"confirm\",\"waived_by\":\"alice\"}";
static const char finding_pushwide[] =
	"{\"rule\":\"break-glass/denied\",\"severity\":\"block\",\"ref\":"
	"null,\"commit\":null,\"path\":null,\"line\":0,\"target\":null,"
	"\"message\":\"no\",\"hint\":null,\"waiver\":null,\"waived_by\":null}";

/* Read `text` as a log named "t.jsonl". */
static void load(struct gg_auditlog *log, const char *text)
{
	FILE *f = tmpfile();

	TAP_CHECK(f);
	if (!f)
		return;
	fwrite(text, 1, strlen(text), f);
	fflush(f);
	rewind(f);
	TAP_CHECK_INT(gg_auditlog_read_fd(log, fileno(f), "t.jsonl"), 0);
	fclose(f);
}

static int parse_error(const char *line, const char *want)
{
	struct gg_arena a = GG_ARENA_INIT;
	struct gg_audit_run *run;
	int err = gg_audit_run_parse(&run, &a, line, strlen(line));
	int ok = err == GG_EINVALID && !run && !!strstr(gg_error_last(), want);

	if (!ok)
		printf("# '%s': got %d '%s', want '%s'\n", line, err,
		       gg_error_last(), want);
	gg_arena_release(&a);
	return ok;
}

static void test_auditlog__parses_an_event(void)
{
	char *fs = gg_xasprintf("%s,%s", finding_warn, finding_waived);
	char *line = event("2026-03-01T12:00:00Z", "deploy", "\"alice\"",
			   "reject", "\"INC-1 fix\"", fs);
	struct gg_arena a = GG_ARENA_INIT;
	struct gg_audit_run *run = NULL;

	TAP_CHECK_INT(gg_audit_run_parse(&run, &a, line, strlen(line)), 0);
	TAP_CHECK(run);
	if (run) {
		TAP_CHECK_INT(run->time, NOW - 12 * 3600);
		TAP_CHECK_STR(run->repository, "deploy");
		TAP_CHECK_STR(run->pusher, "alice");
		TAP_CHECK_STR(run->pusher_source, NULL);
		TAP_CHECK_STR(run->decision, "reject");
		TAP_CHECK_STR(run->break_glass_reason, "INC-1 fix");
		TAP_CHECK_INT(run->break_glass_granted, 1);
		TAP_CHECK_INT(run->timed_out, 0);
		TAP_CHECK_INT(run->duration_ms, 7);
		TAP_CHECK_INT(run->blocking, 1);
		TAP_CHECK_INT(run->warnings, 2);
		TAP_CHECK_INT(run->waived, 1);
		TAP_CHECK_INT(run->nrefs, 2);
		TAP_CHECK_STR(run->refs[1].ref, "refs/heads/release/1");
		TAP_CHECK_STR(run->refs[1].new_id, "2222");
		TAP_CHECK_STR(run->refs[1].kind, "create");
		TAP_CHECK_INT(run->nfindings, 2);
		TAP_CHECK_STR(run->findings[0].path, "a.yaml");
		TAP_CHECK_INT(run->findings[0].line, 2);
		TAP_CHECK_STR(run->findings[0].waiver, NULL);
		TAP_CHECK_STR(run->findings[1].waived_by, "alice");
		TAP_CHECK_INT(run->nnotes, 1);
		TAP_CHECK_STR(run->notes[0], "n1");
		TAP_CHECK_INT(run->npush_options, 0);
	}
	gg_arena_release(&a);
	free(line);
	free(fs);
}

static void test_auditlog__reads_json_that_yaml_reads_otherwise(void)
{
	/* a raw C1 control (NEL folds as a line break in YAML, U+0080 is
	 * refused), a surrogate pair, an escaped backslash before a u */
	static const char line[] =
		"{\"time\":\"2026-03-01\",\"decision\":\"accept\","
		"\"pusher\":\"a\xc2\x85z\xc2\x80\","
		"\"repository\":\"\\ud83d\\ude00 \\\\ud83d\","
		"\"hook\":\"x\\/y\\u0041\"}\r";
	struct gg_arena a = GG_ARENA_INIT;
	struct gg_audit_run *run = NULL;

	TAP_CHECK_INT(gg_audit_run_parse(&run, &a, line, strlen(line)), 0);
	if (run) {
		TAP_CHECK_STR(run->pusher, "a\xc2\x85z\xc2\x80");
		TAP_CHECK_STR(run->repository, "\xf0\x9f\x98\x80 \\ud83d");
		TAP_CHECK_STR(run->hook, "x/yA");
		TAP_CHECK_INT(run->nrefs, 0);
		TAP_CHECK_INT(run->nfindings, 0);
	}
	gg_arena_release(&a);
}

static void test_auditlog__refuses_what_is_not_an_event(void)
{
	TAP_CHECK(parse_error("", "empty line"));
	TAP_CHECK(parse_error("  \r", "empty line"));
	TAP_CHECK(parse_error("[1,2]", "not a JSON object"));
	TAP_CHECK(parse_error("time: 2026-03-01", "not a JSON object"));
	TAP_CHECK(parse_error("{\"time\":\"2026-03-01\"", "not JSON"));
	TAP_CHECK(parse_error("{\"time\":\"2026-03-01\",\"decision\":\"x\"} #",
			      "not a JSON object"));
	TAP_CHECK(parse_error("{\"decision\":\"accept\"}", "no 'time'"));
	TAP_CHECK(parse_error("{\"time\":\"2026-03-01\"}", "no 'decision'"));
	TAP_CHECK(parse_error("{\"time\":\"yesterday\",\"decision\":\"a\"}",
			      "'time' is not an ISO 8601 time"));
	TAP_CHECK(parse_error("{\"time\":\"2026-03-01\",\"decision\":\"a\","
			      "\"pusher\":{\"x\":1}}",
			      "'pusher' is not a string"));
	TAP_CHECK(parse_error("{\"time\":\"2026-03-01\",\"decision\":\"a\","
			      "\"blocking\":\"many\"}",
			      "'blocking' is not a number"));
	TAP_CHECK(parse_error("{\"time\":\"2026-03-01\",\"decision\":\"a\","
			      "\"findings\":{}}",
			      "'findings' is not a list"));
	TAP_CHECK(parse_error("{\"time\":\"2026-03-01\",\"decision\":\"a\","
			      "\"findings\":[{},{\"path\":[]}]}",
			      "'findings' item 2: 'path' is not a string"));
	TAP_CHECK(parse_error("{\"time\":\"2026-03-01\",\"decision\":\"a\","
			      "\"push_options\":[\"x\",null]}",
			      "'push_options' holds a null"));
	TAP_CHECK(parse_error("{\"time\":\"2026-03-01\",\"decision\":\"a\\u0000"
			      "b\"}",
			      "'decision' holds a NUL character"));
	TAP_CHECK(parse_error("{\"time\":\"2026-03-01\",\"decision\":\"a\","
			      "\"x\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}",
			      "refused"));
}

static void test_auditlog__counts_unreadable_lines_and_goes_on(void)
{
	char *good =
		event("2026-03-01T10:00:00Z", "r", "null", "accept", NULL, "");
	char *text = gg_xasprintf("%s\nnot json\n\n%s\n{\"time\":", good, good);
	struct gg_auditlog log;

	gg_auditlog_init(&log);
	load(&log, text);
	TAP_CHECK_INT(log.lines, 5);
	TAP_CHECK_INT(log.nr, 2);
	TAP_CHECK_INT(log.unreadable, 3);
	TAP_CHECK_INT(log.warnings.nr, 3);
	TAP_CHECK_STR(log.warnings.v[0], "t.jsonl:2: not a JSON object");
	TAP_CHECK_STR(log.warnings.v[1], "t.jsonl:3: empty line");
	TAP_CHECK_STR(log.warnings.v[2],
		      "t.jsonl:5: cut short (no newline at the end of the "
		      "log): not JSON at the end of the line: did not find "
		      "expected node content");
	TAP_CHECK_INT(log.runs[1]->lineno, 4);
	TAP_CHECK_STR(log.runs[1]->log, "t.jsonl");
	TAP_CHECK_INT(log.logs.nr, 1);
	gg_auditlog_release(&log);
	free(text);
	free(good);
}

static void test_auditlog__skips_records_that_are_not_runs(void)
{
	char *good =
		event("2026-03-01T10:00:00Z", "r", "null", "accept", NULL, "");
	char *text = gg_xasprintf(
		"%s\n{\"time\":\"2026-03-01T11:00:00Z\",\"type\":"
		"\"webhook-gave-up\",\"event_id\":\"x\"}\n%s\n",
		good, good);
	struct gg_auditlog log;

	gg_auditlog_init(&log);
	load(&log, text);
	TAP_CHECK_INT(log.lines, 3);
	TAP_CHECK_INT(log.nr, 2);
	TAP_CHECK_INT(log.records, 1);
	TAP_CHECK_INT(log.unreadable, 0);
	TAP_CHECK_INT(log.runs[1]->lineno, 3);
	gg_auditlog_release(&log);
	free(text);
	free(good);
}

static void test_auditlog__refuses_a_huge_line_without_holding_it(void)
{
	char *good =
		event("2026-03-01T10:00:00Z", "r", "null", "accept", NULL, "");
	size_t n = GG_AUDITLOG_MAX_LINE + 10;
	char *text = gg_xmalloc(n + strlen(good) + 3);
	struct gg_auditlog log;

	memset(text, 'x', n);
	text[0] = '{';
	text[n] = '\n';
	memcpy(text + n + 1, good, strlen(good));
	memcpy(text + n + 1 + strlen(good), "\n", 2);
	gg_auditlog_init(&log);
	load(&log, text);
	TAP_CHECK_INT(log.lines, 2);
	TAP_CHECK_INT(log.nr, 1);
	TAP_CHECK_INT(log.unreadable, 1);
	TAP_CHECK_STR(log.warnings.v[0],
		      "t.jsonl:1: refused: the line is longer than 8 MiB");
	gg_auditlog_release(&log);
	free(text);
	free(good);
}

static void test_auditlog__describes_only_the_first_unreadable_lines(void)
{
	struct gg_buf text = GG_BUF_INIT;
	struct gg_auditlog log;
	int i;

	for (i = 0; i < GG_AUDITLOG_MAX_WARNINGS + 5; i++)
		gg_buf_adds(&text, "junk\n");
	gg_auditlog_init(&log);
	load(&log, text.buf);
	TAP_CHECK_INT(log.unreadable, GG_AUDITLOG_MAX_WARNINGS + 5);
	TAP_CHECK_INT(log.warnings.nr, GG_AUDITLOG_MAX_WARNINGS);
	gg_auditlog_release(&log);
	gg_buf_release(&text);
}

static void test_auditlog__an_empty_log_has_no_runs(void)
{
	struct gg_auditlog log;

	gg_auditlog_init(&log);
	load(&log, "");
	TAP_CHECK_INT(log.lines, 0);
	TAP_CHECK_INT(log.nr, 0);
	TAP_CHECK_INT(log.unreadable, 0);
	gg_auditlog_release(&log);
}

static void test_auditlog__times(void)
{
	long long t = 0;

	TAP_CHECK_INT(gg_audit_time_parse(&t, "2026-03-01", NOW), 0);
	TAP_CHECK_INT(t, NOW - 86400);
	TAP_CHECK_INT(gg_audit_time_parse(&t, "@1772409600", NOW), 0);
	TAP_CHECK_INT(t, NOW);
	TAP_CHECK_INT(gg_audit_time_parse(&t, "7d", NOW), 0);
	TAP_CHECK_INT(t, NOW - 7 * 86400);
	TAP_CHECK_INT(gg_audit_time_parse(&t, "24h", NOW), 0);
	TAP_CHECK_INT(t, NOW - 86400);
	TAP_CHECK_INT(gg_audit_time_parse(&t, "2w", NOW), 0);
	TAP_CHECK_INT(t, NOW - 14 * 86400);
	TAP_CHECK_INT(gg_audit_time_parse(&t, "90s", NOW), 0);
	TAP_CHECK_INT(t, NOW - 90);
	TAP_CHECK_INT(gg_audit_time_parse(&t, "d", NOW), GG_EINVALID);
	TAP_CHECK_INT(gg_audit_time_parse(&t, "7y", NOW), GG_EINVALID);
	TAP_CHECK_INT(gg_audit_time_parse(&t, "7dd", NOW), GG_EINVALID);
	TAP_CHECK_INT(gg_audit_time_parse(&t, "99999999999999999999d", NOW),
		      GG_EINVALID);
	TAP_CHECK_INT(gg_audit_time_parse(&t, "", NOW), GG_EINVALID);
}

/* Four runs: 10:00 alice accept, 11:00 bob reject (break-glass denied),
 * 09:00 (no pusher) accept with a waiver, 11:00 carol error. */
static void load_four(struct gg_auditlog *log)
{
	char *fs = gg_xasprintf("%s,%s", finding_warn, finding_waived);
	char *a = event("2026-03-01T10:00:00Z", "org/deploy", "\"alice\"",
			"accept", NULL, finding_warn);
	char *b = event("2026-03-01T11:00:00Z", "org/other", "\"bob\"",
			"reject", "\"why\"", finding_pushwide);
	char *c = event("2026-03-01T09:00:00Z", "org/deploy", "null", "accept",
			NULL, fs);
	char *d = event("2026-03-01T11:00:00Z", "/srv/git/x.git", "\"carol\"",
			"error", NULL, "");
	char *text = gg_xasprintf("%s\n%s\n%s\n%s\n", a, b, c, d);

	gg_auditlog_init(log);
	load(log, text);
	free(text);
	free(a);
	free(b);
	free(c);
	free(d);
	free(fs);
}

/* The pushers of the runs `f` selects, in order, "-" for none. */
static char *selected(struct gg_auditlog *log, struct gg_audit_filter *f)
{
	struct gg_buf b = GG_BUF_INIT;
	struct gg_audit_run **runs;
	size_t i, nr;

	gg_audit_select(&runs, &nr, log, f);
	for (i = 0; i < nr; i++)
		gg_buf_addf(&b, "%s%s", i ? " " : "",
			    runs[i]->pusher ? runs[i]->pusher : "-");
	free(runs);
	gg_audit_filter_release(f);
	return gg_buf_detach(&b, NULL);
}

#define CHECK_SELECT(log, setup, want)                                         \
	do {                                                                   \
		struct gg_audit_filter f_;                                     \
		char *got_;                                                    \
		gg_audit_filter_init(&f_);                                     \
		setup;                                                         \
		got_ = selected(log, &f_);                                     \
		TAP_CHECK_STR(got_, want);                                     \
		free(got_);                                                    \
	} while (0)

#define ADD(key, value)                                                        \
	TAP_CHECK_INT(gg_audit_filter_add(&f_, key, value, NOW), 0)

static void test_auditlog__selects_in_time_order(void)
{
	struct gg_auditlog log;

	load_four(&log);
	CHECK_SELECT(&log, (void)0, "- alice bob carol");
	CHECK_SELECT(&log, ADD(GG_AUDIT_SINCE, "2026-03-01T10:00:00Z"),
		     "alice bob carol");
	CHECK_SELECT(&log, ADD(GG_AUDIT_UNTIL, "2026-03-01T11:00:00Z"),
		     "- alice");
	CHECK_SELECT(&log, ADD(GG_AUDIT_SINCE, "14h"), "alice bob carol");
	CHECK_SELECT(&log, ADD(GG_AUDIT_SINCE, "1h"), "");
	gg_auditlog_release(&log);
}

static void test_auditlog__filters_runs(void)
{
	struct gg_auditlog log;

	load_four(&log);
	CHECK_SELECT(&log, ADD(GG_AUDIT_REPOSITORY, "org/*"), "- alice bob");
	CHECK_SELECT(&log, ADD(GG_AUDIT_REPOSITORY, "**/x.git"), "carol");
	CHECK_SELECT(&log, ADD(GG_AUDIT_DECISION, "reject");
		     ADD(GG_AUDIT_DECISION, "error"), "bob carol");
	CHECK_SELECT(&log, ADD(GG_AUDIT_PUSHER, "alice");
		     ADD(GG_AUDIT_PUSHER, "carol"), "alice carol");
	CHECK_SELECT(&log, ADD(GG_AUDIT_PUSHER, "alice");
		     ADD(GG_AUDIT_DECISION, "reject"), "");
	CHECK_SELECT(&log, f_.break_glass = 1, "bob");
	CHECK_SELECT(&log, ADD(GG_AUDIT_REF, "release/*"), "- alice bob carol");
	CHECK_SELECT(&log, ADD(GG_AUDIT_REF, "refs/heads/m*"),
		     "- alice bob carol");
	CHECK_SELECT(&log, ADD(GG_AUDIT_REF, "refs/tags/*"), "");
	CHECK_SELECT(&log, ADD(GG_AUDIT_REF, "release"), "");
	gg_auditlog_release(&log);
}

static void test_auditlog__finding_filters_narrow_the_findings(void)
{
	struct gg_auditlog log;
	struct gg_audit_run *run;

	load_four(&log);
	CHECK_SELECT(&log, ADD(GG_AUDIT_RULE, "yaml/*"), "- alice");
	CHECK_SELECT(&log, ADD(GG_AUDIT_RULE, "sync/*");
		     ADD(GG_AUDIT_RULE, "break-glass/*"), "- bob");
	CHECK_SELECT(&log, f_.waived = 1, "-");
	run = log.runs[2];
	TAP_CHECK_INT(run->findings[0].selected, 0);
	TAP_CHECK_INT(run->findings[1].selected, 1);
	/* a ref filter keeps the findings of that ref and push-wide ones */
	CHECK_SELECT(&log, ADD(GG_AUDIT_REF, "release/1"), "- alice bob carol");
	TAP_CHECK_INT(run->findings[0].selected, 0);
	TAP_CHECK_INT(run->findings[1].selected, 1);
	TAP_CHECK_INT(log.runs[1]->findings[0].selected, 1);
	gg_auditlog_release(&log);
}

static void test_auditlog__refuses_bad_filter_values(void)
{
	struct gg_audit_filter f;

	gg_audit_filter_init(&f);
	TAP_CHECK_INT(
		gg_audit_filter_add(&f, GG_AUDIT_DECISION, "accepted", NOW),
		GG_EINVALID);
	TAP_CHECK_STR(gg_error_last(), "unknown decision 'accepted' (accept, "
				       "reject, error or error-accepted)");
	TAP_CHECK_INT(gg_audit_filter_add(&f, GG_AUDIT_RULE, "sync/[a", NOW),
		      GG_EINVALID);
	TAP_CHECK(!strncmp(gg_error_last(), "bad glob 'sync/[a': ", 20));
	TAP_CHECK_INT(gg_audit_filter_add(&f, GG_AUDIT_SINCE, "soon", NOW),
		      GG_EINVALID);
	TAP_CHECK(!strncmp(gg_error_last(), "'soon' is not a time", 20));
	gg_audit_filter_release(&f);
}

static void test_auditlog__summary_counts(void)
{
	struct gg_auditlog log;
	struct gg_audit_filter f;
	struct gg_audit_summary s;
	struct gg_audit_run **runs;
	size_t nr;

	load_four(&log);
	gg_audit_filter_init(&f);
	gg_audit_select(&runs, &nr, &log, &f);
	gg_audit_summary_build(&s, runs, nr);
	TAP_CHECK_INT(s.runs, 4);
	TAP_CHECK_INT(s.findings, 4);
	TAP_CHECK_INT(s.first, NOW - 15 * 3600);
	TAP_CHECK_INT(s.last, NOW - 13 * 3600);
	TAP_CHECK_INT(s.ndecisions, 3);
	TAP_CHECK_STR(s.decisions[0].name, "accept");
	TAP_CHECK_INT(s.decisions[0].n, 2);
	TAP_CHECK_STR(s.decisions[1].name, "error");
	TAP_CHECK_STR(s.decisions[2].name, "reject");
	TAP_CHECK_INT(s.nrules, 3);
	TAP_CHECK_STR(s.rules[0].name, "yaml/invalid");
	TAP_CHECK_INT(s.rules[0].n, 2);
	TAP_CHECK_STR(s.rules[2].name, "sync/auto-enabled");
	TAP_CHECK_INT(s.rules[2].m, 1);
	TAP_CHECK_INT(s.npushers, 4);
	TAP_CHECK_STR(s.pushers[0].name, "alice");
	TAP_CHECK_STR(s.pushers[1].name, "bob");
	TAP_CHECK_INT(s.pushers[1].m, 1);
	TAP_CHECK_STR(s.pushers[2].name, "carol");
	TAP_CHECK_INT(s.pushers[2].m, 1);
	TAP_CHECK_STR(s.pushers[3].name, NULL);
	TAP_CHECK_INT(s.nbreak_glass, 1);
	TAP_CHECK_STR(s.break_glass[0]->pusher, "bob");
	gg_audit_summary_release(&s);
	free(runs);
	gg_audit_filter_release(&f);
	gg_auditlog_release(&log);
}

static void test_auditlog__summary_of_no_runs(void)
{
	struct gg_audit_summary s;

	gg_audit_summary_build(&s, NULL, 0);
	TAP_CHECK_INT(s.runs, 0);
	TAP_CHECK_INT(s.ndecisions, 0);
	TAP_CHECK_INT(s.nrules, 0);
	TAP_CHECK_INT(s.npushers, 0);
	TAP_CHECK_INT(s.nbreak_glass, 0);
	gg_audit_summary_release(&s);
}

static char *shown(void (*add)(struct gg_buf *, const char *), const char *s)
{
	struct gg_buf b = GG_BUF_INIT;

	add(&b, s);
	return gg_buf_detach(&b, NULL);
}

#define CHECK_SHOWN(fn, in, want)                                              \
	do {                                                                   \
		char *got_ = shown(fn, in);                                    \
		TAP_CHECK_STR(got_, want);                                     \
		free(got_);                                                    \
	} while (0)

static void test_auditlog__escapes_for_display(void)
{
	CHECK_SHOWN(gg_audit_add_display, NULL, "-");
	CHECK_SHOWN(gg_audit_add_display, "a\tb\x1b[31m\n",
		    "a\\tb\\x1b[31m\\n");
	CHECK_SHOWN(gg_audit_add_display, "evil\xe2\x80\xaegnp.yaml",
		    "evil\\u202egnp.yaml");
	CHECK_SHOWN(gg_audit_add_display,
		    "\xef\xbb\xbf"
		    "a\xe2\x81\xa6"
		    "b\xe2\x80\x8b"
		    "c\xd8\x9c",
		    "\\ufeffa\\u2066b\\u200bc\\u061c");
	CHECK_SHOWN(gg_audit_add_display, "\xe2\x80\x8d\xe2\x82\xac",
		    "\xe2\x80\x8d\xe2\x82\xac");
	CHECK_SHOWN(gg_audit_add_display, "\xe2\x80", "\\xe2\\x80");
}

static void test_auditlog__escapes_for_html(void)
{
	CHECK_SHOWN(gg_audit_add_html, "<script>alert('x&y')</script>\"",
		    "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;"
		    "&quot;");
	CHECK_SHOWN(gg_audit_add_html,
		    "a\x1b"
		    "b",
		    "a\\x1bb");
	CHECK_SHOWN(gg_audit_add_html, NULL, "-");
}

static void test_auditlog__quotes_csv_fields(void)
{
	CHECK_SHOWN(gg_audit_add_csv, NULL, "");
	CHECK_SHOWN(gg_audit_add_csv, "", "");
	CHECK_SHOWN(gg_audit_add_csv, "plain text", "plain text");
	CHECK_SHOWN(gg_audit_add_csv, "a,b", "\"a,b\"");
	CHECK_SHOWN(gg_audit_add_csv, "say \"hi\"", "\"say \"\"hi\"\"\"");
	CHECK_SHOWN(gg_audit_add_csv, "line\nbreak\r", "line\\nbreak\\r");
	CHECK_SHOWN(gg_audit_add_csv, "=HYPERLINK(\"x\")",
		    "\"'=HYPERLINK(\"\"x\"\")\"");
	CHECK_SHOWN(gg_audit_add_csv, "+1", "'+1");
	CHECK_SHOWN(gg_audit_add_csv, "-x", "'-x");
	CHECK_SHOWN(gg_audit_add_csv, "@sum", "'@sum");
}

int main(void)
{
	TAP_RUN(test_auditlog__parses_an_event);
	TAP_RUN(test_auditlog__reads_json_that_yaml_reads_otherwise);
	TAP_RUN(test_auditlog__refuses_what_is_not_an_event);
	TAP_RUN(test_auditlog__counts_unreadable_lines_and_goes_on);
	TAP_RUN(test_auditlog__skips_records_that_are_not_runs);
	TAP_RUN(test_auditlog__refuses_a_huge_line_without_holding_it);
	TAP_RUN(test_auditlog__describes_only_the_first_unreadable_lines);
	TAP_RUN(test_auditlog__an_empty_log_has_no_runs);
	TAP_RUN(test_auditlog__times);
	TAP_RUN(test_auditlog__selects_in_time_order);
	TAP_RUN(test_auditlog__filters_runs);
	TAP_RUN(test_auditlog__finding_filters_narrow_the_findings);
	TAP_RUN(test_auditlog__refuses_bad_filter_values);
	TAP_RUN(test_auditlog__summary_counts);
	TAP_RUN(test_auditlog__summary_of_no_runs);
	TAP_RUN(test_auditlog__escapes_for_display);
	TAP_RUN(test_auditlog__escapes_for_html);
	TAP_RUN(test_auditlog__quotes_csv_fields);
	return tap_done();
}
