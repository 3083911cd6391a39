/*
 * Unit tests for cron.c: five-field schedules for freeze windows.
 */
#include <string.h>
#include <time.h>

#include "guard.h"
#include "cron.h"
#include "tap.h"

/* A broken-down time; wday must agree with the date (tests pick real
 * dates: 2026-12-13 is a Sunday, 2026-11-13 and 2026-12-11 Fridays). */
static struct tm at(int year, int mon, int mday, int wday, int hour,
		    int min)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = mday;
	tm.tm_wday = wday;
	tm.tm_hour = hour;
	tm.tm_min = min;
	return tm;
}

static int matches(const char *expr, struct tm tm)
{
	struct gg_cron c;

	if (gg_cron_parse(&c, expr) < 0)
		return -1;
	return gg_cron_match(&c, &tm);
}

static int bad(const char *expr)
{
	struct gg_cron c;

	return gg_cron_parse(&c, expr) == GG_EINVALID;
}

static void test_cron__every_minute(void)
{
	struct gg_cron c;

	TAP_CHECK_INT(gg_cron_parse(&c, "* * * * *"), 0);
	TAP_CHECK(c.minute == (((uint64_t)1 << 60) - 1));
	TAP_CHECK_INT(c.hour, (1u << 24) - 1);
	TAP_CHECK_INT(c.dom, 0xfffffffeu);
	TAP_CHECK_INT(c.month, 0x1ffe);
	TAP_CHECK_INT(c.dow, 0x7f);
	TAP_CHECK(c.dom_any && c.dow_any);
	TAP_CHECK_INT(matches("* * * * *", at(2026, 12, 24, 4, 23, 59)), 1);
}

static void test_cron__fields_and_lists(void)
{
	struct gg_cron c;

	TAP_CHECK_INT(gg_cron_parse(&c, "0,30 9,17 1,15 6,12 *"), 0);
	TAP_CHECK(c.minute == ((uint64_t)1 | (uint64_t)1 << 30));
	TAP_CHECK_INT(c.hour, (1u << 9) | (1u << 17));
	TAP_CHECK_INT(c.dom, (1u << 1) | (1u << 15));
	TAP_CHECK_INT(c.month, (1u << 6) | (1u << 12));
	TAP_CHECK_INT(matches("0 0 20 12 *", at(2026, 12, 20, 0, 0, 0)), 1);
	TAP_CHECK_INT(matches("0 0 20 12 *", at(2026, 12, 20, 0, 0, 1)), 0);
	TAP_CHECK_INT(matches("0 0 20 12 *", at(2026, 12, 21, 1, 0, 0)), 0);
	TAP_CHECK_INT(matches("0 0 20 12 *", at(2026, 11, 20, 5, 0, 0)), 0);
	/* tabs and repeated blanks separate fields too */
	TAP_CHECK_INT(matches("  0\t0  20 12\t* ", at(2026, 12, 20, 0, 0, 0)),
		      1);
}

static void test_cron__ranges_and_steps(void)
{
	struct gg_cron c;

	TAP_CHECK_INT(gg_cron_parse(&c, "*/15 9-17 * * *"), 0);
	TAP_CHECK(c.minute == ((uint64_t)1 | (uint64_t)1 << 15 |
			       (uint64_t)1 << 30 | (uint64_t)1 << 45));
	TAP_CHECK_INT(c.hour, 0x3fe00);
	TAP_CHECK_INT(gg_cron_parse(&c, "10-20/5 0-23/6 */10 * *"), 0);
	TAP_CHECK(c.minute == ((uint64_t)1 << 10 | (uint64_t)1 << 15 |
			       (uint64_t)1 << 20));
	TAP_CHECK_INT(c.hour, (1u << 0) | (1u << 6) | (1u << 12) | (1u << 18));
	TAP_CHECK_INT(c.dom, (1u << 1) | (1u << 11) | (1u << 21) | (1u << 31));
	TAP_CHECK(!c.dom_any);
	/* "a/step" runs from a to the end of the field */
	TAP_CHECK_INT(gg_cron_parse(&c, "5/20 * * * *"), 0);
	TAP_CHECK(c.minute == ((uint64_t)1 << 5 | (uint64_t)1 << 25 |
			       (uint64_t)1 << 45));
	TAP_CHECK_INT(gg_cron_parse(&c, "59 23 31 12 7"), 0);
	TAP_CHECK(c.minute == (uint64_t)1 << 59);
}

static void test_cron__month_and_day_names(void)
{
	struct gg_cron c;

	TAP_CHECK_INT(gg_cron_parse(&c, "0 0 * jan,Jun,DEC mon-fri"), 0);
	TAP_CHECK_INT(c.month, (1u << 1) | (1u << 6) | (1u << 12));
	TAP_CHECK_INT(c.dow, 0x3e);
	TAP_CHECK_INT(gg_cron_parse(&c, "0 0 * * SUN,sat"), 0);
	TAP_CHECK_INT(c.dow, 0x41);
	TAP_CHECK_INT(gg_cron_parse(&c, "0 0 * feb-apr *"), 0);
	TAP_CHECK_INT(c.month, 0x1c);
	TAP_CHECK(bad("0 0 * * monday"));
	TAP_CHECK(bad("0 0 * january *"));
	TAP_CHECK(bad("0 0 * * xyz"));
	TAP_CHECK(bad("jan 0 * * *"));
}

static void test_cron__seven_is_sunday(void)
{
	struct gg_cron c;

	TAP_CHECK_INT(gg_cron_parse(&c, "0 0 * * 7"), 0);
	TAP_CHECK_INT(c.dow, 1);
	TAP_CHECK_INT(gg_cron_parse(&c, "0 0 * * 5-7"), 0);
	TAP_CHECK_INT(c.dow, 0x61);
	TAP_CHECK_INT(matches("0 12 * * 7", at(2026, 12, 13, 0, 12, 0)), 1);
	TAP_CHECK_INT(matches("0 12 * * 0", at(2026, 12, 13, 0, 12, 0)), 1);
	TAP_CHECK_INT(matches("0 12 * * 7", at(2026, 12, 12, 6, 12, 0)), 0);
}

static void test_cron__day_fields_or_when_both_are_restricted(void)
{
	/* the 13th or any Friday */
	const char *e = "0 0 13 * fri";

	TAP_CHECK_INT(matches(e, at(2026, 11, 13, 5, 0, 0)), 1);
	TAP_CHECK_INT(matches(e, at(2026, 12, 11, 5, 0, 0)), 1);
	TAP_CHECK_INT(matches(e, at(2026, 12, 13, 0, 0, 0)), 1);
	TAP_CHECK_INT(matches(e, at(2026, 12, 14, 1, 0, 0)), 0);
	/* one restricted day field alone decides */
	TAP_CHECK_INT(matches("0 0 13 * *", at(2026, 12, 11, 5, 0, 0)), 0);
	TAP_CHECK_INT(matches("0 0 13 * *", at(2026, 12, 13, 0, 0, 0)), 1);
	TAP_CHECK_INT(matches("0 0 * * fri", at(2026, 12, 13, 0, 0, 0)), 0);
	TAP_CHECK_INT(matches("0 0 * * fri", at(2026, 12, 11, 5, 0, 0)), 1);
	/* the month still has to match */
	TAP_CHECK_INT(matches("0 0 13 dec fri", at(2026, 11, 13, 5, 0, 0)), 0);
}

static void test_cron__match_day_ignores_the_time(void)
{
	struct gg_cron c;
	struct tm tm = at(2026, 12, 20, 0, 15, 42);

	TAP_CHECK_INT(gg_cron_parse(&c, "0 0 20 12 *"), 0);
	TAP_CHECK_INT(gg_cron_match(&c, &tm), 0);
	TAP_CHECK_INT(gg_cron_match_day(&c, &tm), 1);
	tm = at(2026, 12, 21, 1, 0, 0);
	TAP_CHECK_INT(gg_cron_match_day(&c, &tm), 0);
}

static void test_cron__question_mark_is_any_in_day_fields(void)
{
	struct gg_cron a, b;

	TAP_CHECK_INT(gg_cron_parse(&a, "0 0 ? * mon"), 0);
	TAP_CHECK_INT(gg_cron_parse(&b, "0 0 * * mon"), 0);
	TAP_CHECK(a.dom == b.dom && a.dow == b.dow && a.dom_any == b.dom_any);
}

static void test_cron__invalid_expressions(void)
{
	static const char *const exprs[] = {
		"",
		"* * * *",
		"* * * * * *",
		"60 * * * *",
		"* 24 * * *",
		"* * 0 * *",
		"* * 32 * *",
		"* * * 0 *",
		"* * * 13 *",
		"* * * * 8",
		"-1 * * * *",
		"5-1 * * * *",
		"*/0 * * * *",
		"*/ * * * *",
		"1- * * * *",
		"-5 * * * *",
		"1,,2 * * * *",
		"1, * * * *",
		",1 * * * *",
		"a * * * *",
		"1.5 * * * *",
		"0001 * * * *",
		"* * * * */1000000",
		"** * * * *",
		"@daily",
		NULL
	};
	size_t i;

	for (i = 0; exprs[i]; i++) {
		if (!bad(exprs[i]))
			printf("#   accepted: '%s'\n", exprs[i]);
		TAP_CHECK(bad(exprs[i]));
	}
}

static void test_cron__error_names_the_field(void)
{
	struct gg_cron c;

	TAP_CHECK_INT(gg_cron_parse(&c, "0 25 * * *"), GG_EINVALID);
	TAP_CHECK(strstr(gg_error_last(), "hour"));
	TAP_CHECK(strstr(gg_error_last(), "'25'"));
	TAP_CHECK_INT(gg_cron_parse(&c, "0 0 * * 9"), GG_EINVALID);
	TAP_CHECK(strstr(gg_error_last(), "day of week"));
	TAP_CHECK_INT(gg_cron_parse(&c, "0 0 *"), GG_EINVALID);
	TAP_CHECK(strstr(gg_error_last(), "5 fields"));
}

static void test_cron__overlong_expression_is_invalid(void)
{
	char expr[400];

	memset(expr, '1', sizeof(expr) - 1);
	expr[sizeof(expr) - 1] = '\0';
	TAP_CHECK(bad(expr));
	TAP_CHECK(strstr(gg_error_last(), "too long"));
}

int main(void)
{
	TAP_RUN(test_cron__every_minute);
	TAP_RUN(test_cron__fields_and_lists);
	TAP_RUN(test_cron__ranges_and_steps);
	TAP_RUN(test_cron__month_and_day_names);
	TAP_RUN(test_cron__seven_is_sunday);
	TAP_RUN(test_cron__day_fields_or_when_both_are_restricted);
	TAP_RUN(test_cron__match_day_ignores_the_time);
	TAP_RUN(test_cron__question_mark_is_any_in_day_fields);
	TAP_RUN(test_cron__invalid_expressions);
	TAP_RUN(test_cron__error_names_the_field);
	TAP_RUN(test_cron__overlong_expression_is_invalid);
	return tap_done();
}
