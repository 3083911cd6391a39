/*
 * Time windows opened by a cron schedule: freeze windows.  A five-field
 * schedule, read in a time zone, opens a window at every matching minute
 * of that zone's wall clock; the window stays open for a duration of
 * elapsed time (a 24h window that spans a change to summer time ends at
 * 01:00 on the wall clock, not at midnight).  Schedule minutes that the
 * clocks skip open the window when the clocks change; minutes that occur
 * twice open it at the first occurrence (tz.h).
 */
#ifndef GG_WINDOW_H
#define GG_WINDOW_H

#include "cron.h"
#include "tz.h"

struct gg_window {
	int found;	 /* a window opened in the look-back */
	long long start; /* Unix seconds */
	long long end;	 /* start + duration; the window is [start, end) */
};

/*
 * The latest window of `cron` in zone `tz` that opened at or before
 * `now`, looking back `duration` seconds (and two days more, for the
 * zone's offset).  Returns 1 when that window is open at `now`, else 0
 * (out->found says whether a window was seen at all).  The cost is one
 * calendar test per day looked back plus one conversion per scheduled
 * minute of the single day that holds the answer.
 */
int gg_window_at(struct gg_window *out, const struct gg_cron *cron,
		 const struct gg_tz *tz, long long duration, long long now);

#endif
