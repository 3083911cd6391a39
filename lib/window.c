/*
 * Finding the latest window a cron schedule opened before an instant,
 * day by day backwards through the wall clock of a time zone.
 */
#include <string.h>
#include <time.h>

#include "window.h"
#include "banned.h"

/* The calendar fields of local day `day` that cron looks at. */
static void day_tm(struct tm *tm, long long day)
{
	long long y;
	int m, d, wday;

	gg_civil_from_days(day, &y, &m, &d, &wday);
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = (int)(y - 1900);
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_wday = wday;
}

/*
 * The latest scheduled instant of local day `day` at or before `now`;
 * 1 if there is one.  Instants grow with the wall clock (tz.h), so the
 * scan runs from the day's last minute back and stops at the first hit.
 */
static int latest_in_day(long long *out, const struct gg_cron *cron,
			 const struct gg_tz *tz, long long day, long long now)
{
	int h, m;

	for (h = 23; h >= 0; h--) {
		if (!((cron->hour >> h) & 1))
			continue;
		for (m = 59; m >= 0; m--) {
			long long t;

			if (!((cron->minute >> m) & 1))
				continue;
			t = gg_tz_to_utc(tz, day * 86400 + h * 3600 + m * 60);
			if (t <= now) {
				*out = t;
				return 1;
			}
		}
	}
	return 0;
}

static long long floor_day(long long local)
{
	return local / 86400 - (local % 86400 < 0);
}

int gg_window_at(struct gg_window *out, const struct gg_cron *cron,
		 const struct gg_tz *tz, long long duration, long long now)
{
	long long day = floor_day(gg_tz_to_local(tz, now));
	long long last = floor_day(gg_tz_to_local(tz, now - duration)) - 2;
	struct tm tm;

	memset(out, 0, sizeof(*out));
	for (; day >= last; day--) {
		day_tm(&tm, day);
		if (!gg_cron_match_day(cron, &tm) ||
		    !latest_in_day(&out->start, cron, tz, day, now))
			continue;
		out->found = 1;
		out->end = out->start + duration;
		return now < out->end;
	}
	return 0;
}
