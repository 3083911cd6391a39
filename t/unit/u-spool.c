/*
 * Unit tests for spool.c: the spool file format, the retry schedule and
 * give-up decisions, file names, and the directory operations in a
 * temporary directory.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guard.h"
#include "tap.h"

#define ID "5b0c3e1e-8f0d-4c36-9a55-0c2f4f1e2d7a"
#define T0 1767225600LL

static void entry(struct gg_spool_entry *e, const char *body)
{
	gg_spool_entry_init(e);
	e->id = gg_xstrdup(ID);
	e->spooled = T0;
	e->next = T0;
	gg_buf_adds(&e->body, body);
}

static int parse(struct gg_spool_entry *e, const char *text)
{
	return gg_spool_parse(e, text, strlen(text));
}

static void test_spool__format_is_the_documented_one(void)
{
	struct gg_spool_entry e;
	struct gg_buf b = GG_BUF_INIT;

	entry(&e, "{\"a\":1}\n");
	e.attempts = 2;
	e.next = T0 + 90;
	e.error = gg_xstrdup("HTTP 500");
	gg_spool_format(&b, &e);
	TAP_CHECK_STR(b.buf, "gitops-guard spool 1\nid " ID "\n"
			     "spooled 1767225600\nattempts 2\n"
			     "next 1767225690\nerror HTTP 500\n\n{\"a\":1}\n");
	gg_buf_release(&b);
	gg_spool_entry_release(&e);
}

static void test_spool__parse_reads_what_format_wrote(void)
{
	struct gg_spool_entry e, back;
	struct gg_buf b = GG_BUF_INIT;

	entry(&e, "{\"x\":\"\\n\"}");
	e.attempts = 7;
	gg_spool_format(&b, &e);
	gg_spool_entry_init(&back);
	TAP_CHECK_INT(gg_spool_parse(&back, b.buf, b.len), 0);
	TAP_CHECK_STR(back.id, ID);
	TAP_CHECK_INT(back.spooled, T0);
	TAP_CHECK_INT(back.attempts, 7);
	TAP_CHECK_INT(back.next, T0);
	TAP_CHECK(!back.error);
	TAP_CHECK_STR(back.body.buf, "{\"x\":\"\\n\"}");
	gg_spool_entry_release(&back);
	gg_buf_release(&b);
	gg_spool_entry_release(&e);
}

static void test_spool__parse_skips_unknown_header_lines(void)
{
	struct gg_spool_entry e;

	gg_spool_entry_init(&e);
	TAP_CHECK_INT(parse(&e, "gitops-guard spool 1\nid " ID "\n"
				"spooled 5\nfuture thing\nflag\n\n{}"),
		      0);
	TAP_CHECK_INT(e.spooled, 5);
	TAP_CHECK_INT(e.attempts, 0);
	TAP_CHECK_STR(e.body.buf, "{}");
	gg_spool_entry_release(&e);
}

static void test_spool__parse_rejects_what_it_did_not_write(void)
{
	static const char *const bad[] = {
		"",
		"{}",
		"gitops-guard spool 2\nid " ID "\nspooled 5\n\n{}",
		"gitops-guard spool 1\nspooled 5\n\n{}",
		"gitops-guard spool 1\nid " ID "\n\n{}",
		"gitops-guard spool 1\nid ../../etc\nspooled 5\n\n{}",
		"gitops-guard spool 1\nid " ID "\nspooled -5\n\n{}",
		"gitops-guard spool 1\nid " ID "\nspooled 5x\n\n{}",
		"gitops-guard spool 1\nid " ID
		"\nspooled 5\nattempts 1e3\n\n{}",
		"gitops-guard spool 1\nid " ID "\nspooled 5\n",
		"gitops-guard spool 1\nid " ID "\nspooled 5\n\n",
		"gitops-guard spool 1\nid " ID "\nspooled 5",
		"\nid " ID "\nspooled 5\n\n{}",
	};
	struct gg_spool_entry e;
	size_t i;

	gg_spool_entry_init(&e);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		int err = parse(&e, bad[i]);

		if (err != GG_EINVALID)
			printf("# accepted: %s\n", bad[i]);
		TAP_CHECK_INT(err, GG_EINVALID);
	}
	TAP_CHECK_STR(gg_error_last(), "not a spooled event");
	gg_spool_entry_release(&e);
}

static void test_spool__backoff_doubles_up_to_an_hour(void)
{
	TAP_CHECK_INT(gg_spool_backoff(1), 30);
	TAP_CHECK_INT(gg_spool_backoff(2), 60);
	TAP_CHECK_INT(gg_spool_backoff(3), 120);
	TAP_CHECK_INT(gg_spool_backoff(7), 1920);
	TAP_CHECK_INT(gg_spool_backoff(8), 3600);
	TAP_CHECK_INT(gg_spool_backoff(20), 3600);
	TAP_CHECK_INT(gg_spool_backoff(4000000000u), 3600);
}

static void test_spool__state_waits_for_next_and_gives_up(void)
{
	struct gg_spool_entry e;

	entry(&e, "{}");
	TAP_CHECK_INT(gg_spool_state(&e, T0), GG_SPOOL_DUE);
	e.next = T0 + 30;
	TAP_CHECK_INT(gg_spool_state(&e, T0 + 29), GG_SPOOL_WAIT);
	TAP_CHECK_INT(gg_spool_state(&e, T0 + 30), GG_SPOOL_DUE);
	TAP_CHECK_INT(gg_spool_state(&e, T0 + GG_SPOOL_MAX_AGE), GG_SPOOL_DUE);
	TAP_CHECK_INT(gg_spool_state(&e, T0 + GG_SPOOL_MAX_AGE + 1),
		      GG_SPOOL_EXPIRED);
	e.attempts = GG_SPOOL_MAX_ATTEMPTS - 1;
	TAP_CHECK_INT(gg_spool_state(&e, T0 + 30), GG_SPOOL_DUE);
	e.attempts = GG_SPOOL_MAX_ATTEMPTS;
	TAP_CHECK_INT(gg_spool_state(&e, T0 + 30), GG_SPOOL_EXHAUSTED);
	gg_spool_entry_release(&e);
}

static void test_spool__failed_counts_schedules_and_keeps_one_line(void)
{
	struct gg_spool_entry e;
	char long_error[2000];

	entry(&e, "{}");
	gg_spool_failed(&e, T0 + 5, "no\nanswer\tfrom\r'x'");
	TAP_CHECK_INT(e.attempts, 1);
	TAP_CHECK_INT(e.next, T0 + 5 + 30);
	TAP_CHECK_STR(e.error, "no answer from 'x'");
	memset(long_error, 'e', sizeof(long_error) - 1);
	long_error[sizeof(long_error) - 1] = '\0';
	gg_spool_failed(&e, T0 + 100, long_error);
	TAP_CHECK_INT(e.attempts, 2);
	TAP_CHECK_INT(e.next, T0 + 100 + 60);
	TAP_CHECK_INT(strlen(e.error), 512);
	gg_spool_entry_release(&e);
}

static void test_spool__names_sort_by_time_and_carry_the_id(void)
{
	char *a = gg_spool_name(1767225600000001LL, ID),
	     *b = gg_spool_name(1767225600000010LL, ID);

	TAP_CHECK_STR(a, "00001767225600000001-" ID ".event");
	TAP_CHECK(strcmp(a, b) < 0);
	TAP_CHECK(gg_spool_name_valid(a));
	free(a);
	free(b);
}

static void test_spool__only_event_files_are_events(void)
{
	TAP_CHECK(!gg_spool_name_valid(".lock"));
	TAP_CHECK(!gg_spool_name_valid(".tmp-12-00001767225600000001-a.event"));
	TAP_CHECK(!gg_spool_name_valid("0001767225600000001-a.event"));
	TAP_CHECK(!gg_spool_name_valid("00001767225600000001-.event"));
	TAP_CHECK(!gg_spool_name_valid("00001767225600000001-a.b.event"));
	TAP_CHECK(!gg_spool_name_valid("00001767225600000001-a.even"));
	TAP_CHECK(gg_spool_name_valid("00001767225600000001-a.event"));
	TAP_CHECK(gg_spool_id_valid(ID));
	TAP_CHECK(!gg_spool_id_valid(""));
	TAP_CHECK(!gg_spool_id_valid("a/b"));
	TAP_CHECK(!gg_spool_id_valid(
		"0123456789012345678901234567890123456789012345678901234567890123"
		"4"));
}

/* A fresh directory under the build's t/; caller removes it. */
static char *temp_dir(void)
{
	char *d = gg_xstrdup("u-spool.XXXXXX");

	if (!mkdtemp(d))
		GG_BUG("mkdtemp");
	return d;
}

static void test_spool__write_list_read_remove(void)
{
	char *top = temp_dir(), *dir = gg_xasprintf("%s/a/spool", top);
	struct gg_spool_entry e, back;
	struct gg_strvec names;

	entry(&e, "{\"n\":2}\n");
	gg_strvec_init(&names);
	gg_spool_entry_init(&back);
	TAP_CHECK_INT(gg_spool_list(&names, dir), 0); /* missing: empty */
	TAP_CHECK_INT(names.nr, 0);
	TAP_CHECK_INT(gg_spool_write(dir, "00000000000000000002-b.event", &e),
		      0);
	TAP_CHECK_INT(gg_spool_write(dir, "00000000000000000001-a.event", &e),
		      0);
	TAP_CHECK_INT(gg_spool_list(&names, dir), 0);
	TAP_CHECK_INT(names.nr, 2);
	TAP_CHECK_STR(names.v[0], "00000000000000000001-a.event");
	TAP_CHECK_INT(gg_spool_read(&back, dir, names.v[1]), 0);
	TAP_CHECK_STR(back.body.buf, "{\"n\":2}\n");
	TAP_CHECK_INT(gg_spool_remove(dir, names.v[0]), 0);
	TAP_CHECK_INT(gg_spool_remove(dir, names.v[0]), 0);
	TAP_CHECK_INT(gg_spool_read(&back, dir, names.v[0]), GG_ENOTFOUND);
	TAP_CHECK_INT(gg_spool_remove(dir, names.v[1]), 0);
	gg_strvec_release(&names);
	gg_spool_entry_release(&back);
	gg_spool_entry_release(&e);
	/* nothing else is left behind: no temporary files */
	TAP_CHECK_INT(rmdir(dir), 0);
	free(dir);
	dir = gg_xasprintf("%s/a", top);
	TAP_CHECK_INT(rmdir(dir), 0);
	TAP_CHECK_INT(rmdir(top), 0);
	free(dir);
	free(top);
}

static void test_spool__a_file_that_is_not_an_event_is_invalid(void)
{
	char *dir = temp_dir(), *path = gg_xasprintf("%s/x.event", dir);
	struct gg_spool_entry e;
	FILE *f = fopen(path, "w");

	gg_spool_entry_init(&e);
	TAP_CHECK(f);
	if (f) {
		fputs("{\"not\":\"spooled\"}\n", f);
		fclose(f);
	}
	TAP_CHECK_INT(gg_spool_read(&e, dir, "x.event"), GG_EINVALID);
	TAP_CHECK(strstr(gg_error_last(), "x.event"));
	gg_spool_entry_release(&e);
	unlink(path);
	TAP_CHECK_INT(rmdir(dir), 0);
	free(path);
	free(dir);
}

static void test_spool__the_lock_is_taken_once(void)
{
	char *dir = temp_dir(), *lock = gg_xasprintf("%s/.lock", dir);
	int fd1, fd2;

	TAP_CHECK_INT(gg_spool_lock(&fd1, dir), 1);
	TAP_CHECK_INT(gg_spool_lock(&fd2, dir), 0);
	TAP_CHECK_INT(fd2, -1);
	gg_spool_unlock(fd1);
	TAP_CHECK_INT(gg_spool_lock(&fd2, dir), 1);
	gg_spool_unlock(fd2);
	unlink(lock);
	TAP_CHECK_INT(rmdir(dir), 0);
	free(lock);
	free(dir);
}

int main(void)
{
	TAP_RUN(test_spool__format_is_the_documented_one);
	TAP_RUN(test_spool__parse_reads_what_format_wrote);
	TAP_RUN(test_spool__parse_skips_unknown_header_lines);
	TAP_RUN(test_spool__parse_rejects_what_it_did_not_write);
	TAP_RUN(test_spool__backoff_doubles_up_to_an_hour);
	TAP_RUN(test_spool__state_waits_for_next_and_gives_up);
	TAP_RUN(test_spool__failed_counts_schedules_and_keeps_one_line);
	TAP_RUN(test_spool__names_sort_by_time_and_carry_the_id);
	TAP_RUN(test_spool__only_event_files_are_events);
	TAP_RUN(test_spool__write_list_read_remove);
	TAP_RUN(test_spool__a_file_that_is_not_an_event_is_invalid);
	TAP_RUN(test_spool__the_lock_is_taken_once);
	return tap_done();
}
