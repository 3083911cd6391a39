/*
 * Time zones for freeze windows: UTC, fixed offsets, and the IANA time
 * zone database (TZif files, RFC 8536, with the POSIX TZ rule of their
 * footer for instants past the last listed transition), without
 * touching the process's TZ or calling localtime(3).
 *
 * Instants are Unix seconds (UTC).  "Local seconds" are the seconds of
 * the wall clock counted as if it were UTC: the local time
 * 2026-03-29 02:30 is days_from_civil(2026, 3, 29) * 86400 + 9000.
 */
#ifndef GG_TZ_H
#define GG_TZ_H

#include <stddef.h>

struct gg_tz;

/* The directory of the time zone database, /usr/share/zoneinfo: the one
 * the policy loader validates zone names against.  Borrowed. */
const char *gg_tz_dir(void);

/*
 * Load zone `name`: "UTC" or "Z"; a fixed offset "+02:00" / "-05:30"
 * (east of Greenwich positive); or an IANA name ("Europe/Berlin") read
 * from gg_tz_dir().  Caller owns the result; free with gg_tz_free().
 * 0, GG_ENOTFOUND (no such zone) or GG_EINVALID (a name with "..", a
 * leading '/', or a file that is not TZif).
 */
int gg_tz_load(struct gg_tz **out, const char *name);

/*
 * Read a TZif image of `len` bytes (versions 1 to 4; the 64-bit data
 * and the footer rule when present).  `name` is kept for messages.
 * Same ownership and returns as gg_tz_load().
 */
int gg_tz_parse(struct gg_tz **out, const char *name, const unsigned char *data,
		size_t len);

/*
 * A zone from a POSIX TZ rule such as "CET-1CEST,M3.5.0,M10.5.0/3",
 * "EST5EDT,M3.2.0,M11.1.0", "<+0330>-3:30" or "IST-1GMT0,M10.5.0,M3.5.0/1"
 * (offsets west of Greenwich positive, as POSIX has them; Jn, n and
 * Mm.w.d dates; times from -167 to 167 hours).  0 or GG_EINVALID.
 */
int gg_tz_posix(struct gg_tz **out, const char *rule);

void gg_tz_free(struct gg_tz *tz);

/* The name the zone was loaded under.  Borrowed. */
const char *gg_tz_name(const struct gg_tz *tz);

/* The UTC offset in seconds (east positive) at instant `t`. */
long gg_tz_offset(const struct gg_tz *tz, long long t);

/* The local seconds of instant `t`. */
long long gg_tz_to_local(const struct gg_tz *tz, long long t);

/*
 * The instant of local time `local`.  A local time that occurs twice
 * (the hour repeated when clocks go back) gives its first occurrence; a
 * local time that does not occur (skipped when clocks go forward) gives
 * the instant the clocks changed, the first one after the gap, as cron
 * daemons run such jobs right after the change.  The result never
 * decreases as `local` grows.
 */
long long gg_tz_to_utc(const struct gg_tz *tz, long long local);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (wday:
 * 0 Sunday). */
long long gg_days_from_civil(long long y, int m, int d);
void gg_civil_from_days(long long days, long long *y, int *m, int *d,
			int *wday);

#endif
