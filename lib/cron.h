/*
 * Five-field cron schedules ("minute hour day-of-month month
 * day-of-week") for freeze windows, with the usual extensions: lists,
 * ranges, steps, `*`, month and weekday names, 7 as Sunday.  As in cron,
 * when both day fields are restricted a day matches if either does.
 */
#ifndef GG_CRON_H
#define GG_CRON_H

#include <stdint.h>
#include <time.h>

struct gg_cron {
	uint64_t minute; /* bits 0..59 */
	uint32_t hour;	 /* bits 0..23 */
	uint32_t dom;	 /* bits 1..31 */
	uint32_t month;	 /* bits 1..12 */
	uint32_t dow;	 /* bits 0..6, Sunday = 0 */
	int dom_any, dow_any;
};

/* Parse `expr`.  0, or GG_EINVALID with a message naming the field. */
int gg_cron_parse(struct gg_cron *out, const char *expr);

/* 1 if the broken-down time (its minute) matches the schedule. */
int gg_cron_match(const struct gg_cron *c, const struct tm *tm);

/* 1 if the schedule matches some minute of the day `tm` is in. */
int gg_cron_match_day(const struct gg_cron *c, const struct tm *tm);

#endif
