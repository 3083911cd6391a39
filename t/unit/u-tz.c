/*
 * Unit tests for tz.c: fixed offsets, POSIX rules, TZif files of the
 * time zone database, and wall-clock conversions at DST edges.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "tz.h"
#include "tap.h"

/* 2026-03-29 and 2026-10-25: the EU changes to and from summer time. */
#define MAR29 1774742400LL
#define OCT25 1792886400LL
#define H 3600LL

static int have_zone(const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", gg_tz_dir(), name);
	f = fopen(path, "rb");
	if (f)
		fclose(f);
	else
		printf("# no %s: skipped\n", path);
	return !!f;
}

static void test_tz__civil_dates(void)
{
	long long y;
	int m, d, wday;

	TAP_CHECK_INT(gg_days_from_civil(1970, 1, 1), 0);
	TAP_CHECK_INT(gg_days_from_civil(2026, 3, 29) * 86400, MAR29);
	gg_civil_from_days(gg_days_from_civil(2028, 2, 29), &y, &m, &d, &wday);
	TAP_CHECK_INT(y, 2028);
	TAP_CHECK_INT(m, 2);
	TAP_CHECK_INT(d, 29);
	TAP_CHECK_INT(wday, 2); /* a Tuesday */
	gg_civil_from_days(-1, &y, &m, &d, &wday);
	TAP_CHECK_INT(y, 1969);
	TAP_CHECK_INT(d, 31);
	TAP_CHECK_INT(wday, 3);
}

static void test_tz__utc_and_fixed_offsets(void)
{
	struct gg_tz *tz;

	TAP_CHECK_INT(gg_tz_load(&tz, "UTC"), 0);
	TAP_CHECK_INT(gg_tz_offset(tz, MAR29), 0);
	gg_tz_free(tz);
	TAP_CHECK_INT(gg_tz_load(&tz, "+02:00"), 0);
	TAP_CHECK_INT(gg_tz_offset(tz, MAR29), 7200);
	TAP_CHECK_INT(gg_tz_to_utc(tz, MAR29 + 2 * H), MAR29);
	gg_tz_free(tz);
	TAP_CHECK_INT(gg_tz_load(&tz, "-05:30"), 0);
	TAP_CHECK_INT(gg_tz_offset(tz, 0), -19800);
	gg_tz_free(tz);
}

static void test_tz__refuses_bad_names(void)
{
	struct gg_tz *tz;

	TAP_CHECK_INT(gg_tz_load(&tz, "../../etc/passwd"), GG_EINVALID);
	TAP_CHECK(!tz);
	TAP_CHECK_INT(gg_tz_load(&tz, "/etc/localtime"), GG_EINVALID);
	TAP_CHECK_INT(gg_tz_load(&tz, "Europe/Nowhere"), GG_ENOTFOUND);
	TAP_CHECK(strstr(gg_error_last(), "unknown time zone"));
	TAP_CHECK_INT(gg_tz_load(&tz, "+25:00"), GG_EINVALID);
}

/* The offsets of Central European time around both changes of 2026. */
static void check_cet(const struct gg_tz *tz)
{
	TAP_CHECK_INT(gg_tz_offset(tz, MAR29 + H - 1), 3600);
	TAP_CHECK_INT(gg_tz_offset(tz, MAR29 + H), 7200);
	TAP_CHECK_INT(gg_tz_offset(tz, OCT25 + H - 1), 7200);
	TAP_CHECK_INT(gg_tz_offset(tz, OCT25 + H), 3600);
}

static void test_tz__posix_rule_cet(void)
{
	struct gg_tz *tz;

	TAP_CHECK_INT(gg_tz_posix(&tz, "CET-1CEST,M3.5.0,M10.5.0/3"), 0);
	check_cet(tz);
	gg_tz_free(tz);
}

static void test_tz__posix_rule_southern_and_negative(void)
{
	struct gg_tz *tz;

	/* Sydney: summer time across the new year */
	TAP_CHECK_INT(gg_tz_posix(&tz, "AEST-10AEDT,M10.1.0,M4.1.0/3"), 0);
	TAP_CHECK_INT(gg_tz_offset(tz, MAR29 - 70 * 86400), 11 * H);
	TAP_CHECK_INT(gg_tz_offset(tz, MAR29 + 100 * 86400), 10 * H);
	gg_tz_free(tz);
	/* Dublin: winter is the "daylight" (negative) time */
	TAP_CHECK_INT(gg_tz_posix(&tz, "IST-1GMT0,M10.5.0,M3.5.0/1"), 0);
	TAP_CHECK_INT(gg_tz_offset(tz, MAR29 - 10 * 86400), 0);
	TAP_CHECK_INT(gg_tz_offset(tz, MAR29 + 10 * 86400), H);
	gg_tz_free(tz);
	/* quoted names, minutes, Julian days */
	TAP_CHECK_INT(gg_tz_posix(&tz, "<+0330>-3:30"), 0);
	TAP_CHECK_INT(gg_tz_offset(tz, 0), 12600);
	gg_tz_free(tz);
	TAP_CHECK_INT(gg_tz_posix(&tz, "EST5EDT,J60/2,J300/2"), 0);
	TAP_CHECK_INT(gg_tz_offset(tz, MAR29), -4 * H);
	gg_tz_free(tz);
	TAP_CHECK_INT(gg_tz_posix(&tz, "CET-1CEST,M13.5.0,M10.5.0"),
		      GG_EINVALID);
	TAP_CHECK_INT(gg_tz_posix(&tz, "C-1"), GG_EINVALID);
}

static void test_tz__database_berlin(void)
{
	struct gg_tz *tz;

	if (!have_zone("Europe/Berlin"))
		return;
	TAP_CHECK_INT(gg_tz_load(&tz, "Europe/Berlin"), 0);
	TAP_CHECK_STR(gg_tz_name(tz), "Europe/Berlin");
	check_cet(tz);
	/* long past the listed transitions: the footer rule */
	TAP_CHECK_INT(gg_tz_offset(tz, 4118083200LL), 7200); /* 2100-07-01 */
	TAP_CHECK_INT(gg_tz_offset(tz, 4102444800LL), 3600); /* 2100-01-01 */
	/* before standard time: local mean time */
	TAP_CHECK_INT(gg_tz_offset(tz, -3000000000LL), 3208);
	gg_tz_free(tz);
}

/* 02:30 on the night clocks go forward does not exist in Berlin. */
static void test_tz__gap_opens_at_the_change(void)
{
	struct gg_tz *tz;

	TAP_CHECK_INT(gg_tz_posix(&tz, "CET-1CEST,M3.5.0,M10.5.0/3"), 0);
	TAP_CHECK_INT(gg_tz_to_utc(tz, MAR29 + H + 59 * 60), MAR29 + 59 * 60);
	TAP_CHECK_INT(gg_tz_to_utc(tz, MAR29 + 2 * H), MAR29 + H);
	TAP_CHECK_INT(gg_tz_to_utc(tz, MAR29 + 2 * H + 30 * 60), MAR29 + H);
	TAP_CHECK_INT(gg_tz_to_utc(tz, MAR29 + 3 * H), MAR29 + H);
	TAP_CHECK_INT(gg_tz_to_utc(tz, MAR29 + 3 * H + 1), MAR29 + H + 1);
	gg_tz_free(tz);
}

/* 02:30 on the night clocks go back happens twice: the first counts. */
static void test_tz__fold_takes_the_first(void)
{
	struct gg_tz *tz;

	if (!have_zone("Europe/Berlin"))
		return;
	TAP_CHECK_INT(gg_tz_load(&tz, "Europe/Berlin"), 0);
	TAP_CHECK_INT(gg_tz_to_utc(tz, OCT25 + 2 * H + 30 * 60),
		      OCT25 + 30 * 60);
	TAP_CHECK_INT(gg_tz_to_utc(tz, OCT25 + 3 * H), OCT25 + 2 * H);
	TAP_CHECK_INT(gg_tz_to_local(tz, OCT25 + 30 * 60),
		      OCT25 + 2 * H + 30 * 60);
	TAP_CHECK_INT(gg_tz_to_local(tz, OCT25 + H + 30 * 60),
		      OCT25 + 2 * H + 30 * 60);
	gg_tz_free(tz);
}

static void put32(unsigned char *p, long v)
{
	p[0] = (unsigned char)((unsigned long)v >> 24);
	p[1] = (unsigned char)((unsigned long)v >> 16);
	p[2] = (unsigned char)((unsigned long)v >> 8);
	p[3] = (unsigned char)v;
}

/* A version 1 file: one transition from +01:00 to +02:00 at MAR29+1h. */
static void test_tz__tzif_version_1_and_truncation(void)
{
	unsigned char f[128];
	struct gg_tz *tz;
	size_t n = 44;

	memset(f, 0, sizeof(f));
	memcpy(f, "TZif", 4);
	put32(f + 32, 1); /* timecnt */
	put32(f + 36, 2); /* typecnt */
	put32(f + 40, 4); /* charcnt */
	put32(f + n, (long)(MAR29 + H));
	n += 4;
	f[n++] = 1;
	put32(f + n, 3600);
	n += 6;
	put32(f + n, 7200);
	f[n + 4] = 1;
	n += 6;
	memcpy(f + n, "A\0B\0", 4);
	n += 4;
	TAP_CHECK_INT(gg_tz_parse(&tz, "test", f, n), 0);
	TAP_CHECK_INT(gg_tz_offset(tz, MAR29), 3600);
	TAP_CHECK_INT(gg_tz_offset(tz, MAR29 + H), 7200);
	gg_tz_free(tz);
	TAP_CHECK_INT(gg_tz_parse(&tz, "test", f, n - 5), GG_EINVALID);
	f[44 + 4] = 7; /* a type that does not exist */
	TAP_CHECK_INT(gg_tz_parse(&tz, "test", f, n), GG_EINVALID);
	TAP_CHECK_INT(
		gg_tz_parse(&tz, "test", (const unsigned char *)"TZif", 4),
		GG_EINVALID);
}

int main(void)
{
	TAP_RUN(test_tz__civil_dates);
	TAP_RUN(test_tz__utc_and_fixed_offsets);
	TAP_RUN(test_tz__refuses_bad_names);
	TAP_RUN(test_tz__posix_rule_cet);
	TAP_RUN(test_tz__posix_rule_southern_and_negative);
	TAP_RUN(test_tz__database_berlin);
	TAP_RUN(test_tz__gap_opens_at_the_change);
	TAP_RUN(test_tz__fold_takes_the_first);
	TAP_RUN(test_tz__tzif_version_1_and_truncation);
	return tap_done();
}
