/*
 * Unit tests for window.c: freeze windows from a cron schedule, a time
 * zone and a duration, at month ends and DST edges.
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "window.h"
#include "tap.h"

#define MAR29 1774742400LL /* 2026-03-29, clocks go forward in the EU */
#define OCT25 1792886400LL /* 2026-10-25, clocks go back */
#define H 3600LL
#define DAY 86400LL

static int at(struct gg_window *w, const char *cron, const char *zone,
	      long long duration, long long now)
{
	struct gg_cron c;
	struct gg_tz *tz;
	int open;

	if (gg_cron_parse(&c, cron) < 0 || gg_tz_load(&tz, zone) < 0) {
		printf("# setup failed: %s\n", gg_error_last());
		memset(w, 0, sizeof(*w));
		return -1;
	}
	open = gg_window_at(w, &c, tz, duration, now);
	gg_tz_free(tz);
	return open;
}

static void test_window__daily_window_opens_and_closes(void)
{
	struct gg_window w;

	TAP_CHECK_INT(at(&w, "0 9 * * *", "UTC", H, MAR29 + 9 * H + 1800), 1);
	TAP_CHECK_INT(w.start, MAR29 + 9 * H);
	TAP_CHECK_INT(w.end, MAR29 + 10 * H);
	TAP_CHECK_INT(at(&w, "0 9 * * *", "UTC", H, MAR29 + 9 * H), 1);
	TAP_CHECK_INT(at(&w, "0 9 * * *", "UTC", H, MAR29 + 10 * H), 0);
	TAP_CHECK_INT(w.found, 1);
	TAP_CHECK_INT(at(&w, "0 9 * * *", "UTC", H, MAR29 + 9 * H - 1), 0);
	TAP_CHECK_INT(w.start, MAR29 - DAY + 9 * H);
}

static void test_window__looks_back_one_duration(void)
{
	struct gg_window w;
	long long dec20 = 1797724800LL; /* 2026-12-20 */

	/* two weeks from 2026-12-20, seen on 2027-01-02 */
	TAP_CHECK_INT(at(&w, "0 0 20 12 *", "UTC", 336 * H, dec20 + 13 * DAY),
		      1);
	TAP_CHECK_INT(w.start, dec20);
	TAP_CHECK_INT(at(&w, "0 0 20 12 *", "UTC", 336 * H, dec20 + 14 * DAY),
		      0);
	/* nothing opened within the look-back */
	TAP_CHECK_INT(at(&w, "0 0 20 12 *", "UTC", H, dec20 + 100 * DAY), 0);
	TAP_CHECK_INT(w.found, 0);
}

static void test_window__zone_offset_moves_the_window(void)
{
	struct gg_window w;

	/* Friday 18:00 in New York (winter, -05:00) is 23:00 UTC */
	TAP_CHECK_INT(at(&w, "0 18 * * fri", "-05:00", 2 * H,
			 1830816000LL + 23 * H + 60),
		      1);
	TAP_CHECK_INT(w.start, 1830816000LL + 23 * H);
	/* the local date decides the day: Saturday 00:30 UTC is Friday */
	TAP_CHECK_INT(at(&w, "0 18 * * fri", "-05:00", 2 * H,
			 1830816000LL + DAY + 30 * 60),
		      1);
}

static void test_window__skipped_minute_opens_at_the_change(void)
{
	struct gg_window w;

	if (at(&w, "30 2 * * *", "Europe/Berlin", H, MAR29 + H + 1800) < 0)
		return;
	TAP_CHECK_INT(w.start, MAR29 + H); /* 03:00 CEST */
	TAP_CHECK_INT(w.end, MAR29 + 2 * H);
	/* 01:45 CET, before the change: yesterday's window is long over */
	TAP_CHECK_INT(at(&w, "30 2 * * *", "Europe/Berlin", H, MAR29 + 45 * 60),
		      0);
	TAP_CHECK_INT(w.start, MAR29 - DAY + H + 1800);
}

static void test_window__repeated_minute_opens_once(void)
{
	struct gg_window w;

	/* 02:15 CET, the second 02:15: the window opened at the first 02:30 */
	if (at(&w, "30 2 * * *", "Europe/Berlin", H, OCT25 + H + 900) < 0)
		return;
	TAP_CHECK_INT(w.start, OCT25 + 1800);
	TAP_CHECK_INT(w.end, OCT25 + H + 1800);
	/* the second 02:30 opens no second window */
	TAP_CHECK_INT(
		at(&w, "30 2 * * *", "Europe/Berlin", H, OCT25 + H + 2700), 0);
}

static void test_window__duration_is_elapsed_time(void)
{
	struct gg_window w;

	/* Sunday 00:00 in Berlin for 24h on the day of the change: 25h of
	 * wall clock would be needed, the window ends at 01:00 Monday */
	if (at(&w, "0 0 * * sun", "Europe/Berlin", 24 * H, MAR29 + 12 * H) < 0)
		return;
	TAP_CHECK_INT(w.start, MAR29 - H);
	TAP_CHECK_INT(w.end, MAR29 + 23 * H);
}

int main(void)
{
	TAP_RUN(test_window__daily_window_opens_and_closes);
	TAP_RUN(test_window__looks_back_one_duration);
	TAP_RUN(test_window__zone_offset_moves_the_window);
	TAP_RUN(test_window__skipped_minute_opens_at_the_change);
	TAP_RUN(test_window__repeated_minute_opens_once);
	TAP_RUN(test_window__duration_is_elapsed_time);
	return tap_done();
}
