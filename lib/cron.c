/*
 * Cron expression parsing and matching.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cron.h"
#include "error.h"
#include "banned.h"

struct field {
	const char *name;
	int lo, hi;
	const char *const *names; /* names[i] is value lo+i */
};

static const char *const months[] = { "jan", "feb", "mar", "apr", "may",
				      "jun", "jul", "aug", "sep", "oct",
				      "nov", "dec", NULL };
static const char *const days[] = { "sun", "mon", "tue", "wed",
				    "thu", "fri", "sat", NULL };

static const struct field fields[] = {
	{ "minute", 0, 59, NULL },	 { "hour", 0, 23, NULL },
	{ "day of month", 1, 31, NULL }, { "month", 1, 12, months },
	{ "day of week", 0, 7, days },
};

static int value(const struct field *f, const char **s, int *out)
{
	const char *p = *s;
	int v = 0, n = 0;

	if (f->names) {
		int i;

		for (i = 0; f->names[i]; i++) {
			if (!strncasecmp(p, f->names[i], 3)) {
				*out = f->lo + i;
				*s = p + 3;
				return 0;
			}
		}
	}
	while (*p >= '0' && *p <= '9' && n < 3) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (!n || v < f->lo || v > f->hi)
		return -1;
	*out = v;
	*s = p;
	return 0;
}

static int parse_field(const struct field *f, const char *s, uint64_t *bits,
		       int *any)
{
	*bits = 0;
	/* "?" (Quartz) is "*" in the day fields; "*" also before a step */
	*any = !strcmp(s, "*") || !strcmp(s, "?");
	for (;;) {
		int a, b, step = 1, v;

		if (*s == '*' || (*s == '?' && !s[1])) {
			a = f->lo;
			b = f->hi;
			s++;
		} else {
			if (value(f, &s, &a) < 0)
				return -1;
			b = a;
			if (*s == '-') {
				s++;
				if (value(f, &s, &b) < 0 || b < a)
					return -1;
			}
		}
		if (*s == '/') {
			s++;
			step = 0;
			while (*s >= '0' && *s <= '9' && step < 1000)
				step = step * 10 + (*s++ - '0');
			if (step <= 0)
				return -1;
			if (a == b)
				b = f->hi;
		}
		for (v = a; v <= b; v += step)
			*bits |= (uint64_t)1 << v;
		if (*s == ',') {
			s++;
			continue;
		}
		return *s ? -1 : 0;
	}
}

int gg_cron_parse(struct gg_cron *out, const char *expr)
{
	char buf[256], *word[6], *p;
	uint64_t bits[5];
	int any[5], n = 0, i;

	if (strlen(expr) >= sizeof(buf)) {
		gg_error_set("cron schedule is too long");
		return GG_EINVALID;
	}
	memcpy(buf, expr, strlen(expr) + 1);
	for (p = buf; *p && n < 6;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		word[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (n != 5) {
		gg_error_set("cron schedule '%s' must have 5 fields", expr);
		return GG_EINVALID;
	}
	for (i = 0; i < 5; i++) {
		if (parse_field(&fields[i], word[i], &bits[i], &any[i]) < 0) {
			gg_error_set("cron schedule '%s': bad %s field '%s'",
				     expr, fields[i].name, word[i]);
			return GG_EINVALID;
		}
	}
	out->minute = bits[0];
	out->hour = (uint32_t)bits[1];
	out->dom = (uint32_t)bits[2];
	out->month = (uint32_t)bits[3];
	out->dow = (uint32_t)(bits[4] | (bits[4] >> 7)) & 0x7f; /* 7 = Sunday */
	out->dom_any = any[2];
	out->dow_any = any[4];
	return 0;
}

int gg_cron_match_day(const struct gg_cron *c, const struct tm *tm)
{
	int dom = (c->dom >> tm->tm_mday) & 1;
	int dow = (c->dow >> tm->tm_wday) & 1;

	if (!((c->month >> (tm->tm_mon + 1)) & 1))
		return 0;
	if (c->dom_any && c->dow_any)
		return 1;
	if (c->dom_any)
		return dow;
	if (c->dow_any)
		return dom;
	return dom || dow;
}

int gg_cron_match(const struct gg_cron *c, const struct tm *tm)
{
	return gg_cron_match_day(c, tm) && ((c->minute >> tm->tm_min) & 1) &&
	       ((c->hour >> tm->tm_hour) & 1);
}
