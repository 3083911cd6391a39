/*
 * Time zones: TZif files of the IANA database (RFC 8536), the POSIX TZ
 * rule of their footer, fixed offsets, and the conversions between
 * instants and wall-clock time that freeze windows need.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "tz.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_TZ_FILE (1024 * 1024)
#define MAX_TRANSITIONS 100000
#define NAME_MAX_LEN 128

/* A date of a POSIX rule: Jn (1..365, no Feb 29), n (0..365), Mm.w.d. */
struct rdate {
	char type; /* 'J', 'N' or 'M' */
	int n, m, w, d;
	long secs; /* local time of day the change happens */
};

struct posix {
	long std_off, dst_off; /* east positive */
	int has_dst;
	struct rdate start, end;
};

struct gg_tz {
	char name[NAME_MAX_LEN];
	long long *trans;   /* transition instants, ascending */
	unsigned char *idx; /* type after each transition */
	size_t ntrans;
	long *utoff; /* per type */
	size_t ntypes;
	int has_rule;
	struct posix rule; /* after the last transition */
};

const char *gg_tz_dir(void)
{
	return "/usr/share/zoneinfo";
}

/* --- calendar ------------------------------------------------------------ */

long long gg_days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int weekday(long long days)
{
	return (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
}

void gg_civil_from_days(long long days, long long *y, int *m, int *d, int *wday)
{
	long long z = days + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
	if (wday)
		*wday = weekday(days);
}

static int is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(long long y, int m)
{
	static const int len[] = { 31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31 };

	return len[m - 1] + (m == 2 && is_leap(y));
}

static long long floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* --- POSIX rules ---------------------------------------------------------- */

/* Two digits 00..59. */
static int two_digits(const char **p, long *out)
{
	const char *s = *p;

	if (s[0] < '0' || s[0] > '5' || s[1] < '0' || s[1] > '9')
		return -1;
	*out = (s[0] - '0') * 10 + s[1] - '0';
	*p += 2;
	return 0;
}

/* [+-]hh[:mm[:ss]] with hours up to `maxh`, as seconds. */
static int parse_hms(const char **p, long maxh, long *out)
{
	long sign = 1, h = 0, m = 0, s = 0;
	int n = 0;

	if (**p == '+' || **p == '-')
		sign = *(*p)++ == '-' ? -1 : 1;
	while (**p >= '0' && **p <= '9' && n < 3) {
		h = h * 10 + (*(*p)++ - '0');
		n++;
	}
	if (!n || h > maxh)
		return -1;
	if (**p == ':') {
		(*p)++;
		if (two_digits(p, &m) < 0)
			return -1;
		if (**p == ':') {
			(*p)++;
			if (two_digits(p, &s) < 0)
				return -1;
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	return 0;
}

static int parse_abbr(const char **p)
{
	const char *s = *p;

	if (*s == '<') {
		const char *e = strchr(s, '>');

		if (!e || e - s < 2)
			return -1;
		*p = e + 1;
		return 0;
	}
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
		s++;
	if (s - *p < 3)
		return -1;
	*p = s;
	return 0;
}

static int parse_num(const char **p, int lo, int hi, int *out)
{
	int v = 0, n = 0;

	while (**p >= '0' && **p <= '9' && n < 4) {
		v = v * 10 + (*(*p)++ - '0');
		n++;
	}
	if (!n || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_rdate(const char **p, struct rdate *r)
{
	memset(r, 0, sizeof(*r));
	r->secs = 7200;
	if (**p == 'J') {
		(*p)++;
		r->type = 'J';
		if (parse_num(p, 1, 365, &r->n) < 0)
			return -1;
	} else if (**p == 'M') {
		(*p)++;
		r->type = 'M';
		if (parse_num(p, 1, 12, &r->m) < 0 || *(*p)++ != '.' ||
		    parse_num(p, 1, 5, &r->w) < 0 || *(*p)++ != '.' ||
		    parse_num(p, 0, 6, &r->d) < 0)
			return -1;
	} else {
		r->type = 'N';
		if (parse_num(p, 0, 365, &r->n) < 0)
			return -1;
	}
	if (**p == '/') {
		(*p)++;
		return parse_hms(p, 167, &r->secs);
	}
	return 0;
}

static int parse_posix(struct posix *out, const char *s)
{
	const char *p = s;
	long off;

	memset(out, 0, sizeof(*out));
	if (parse_abbr(&p) < 0 || parse_hms(&p, 24, &off) < 0)
		return -1;
	out->std_off = out->dst_off = -off;
	if (!*p)
		return 0;
	if (parse_abbr(&p) < 0)
		return -1;
	out->has_dst = 1;
	out->dst_off = out->std_off + 3600;
	if (*p && *p != ',') {
		if (parse_hms(&p, 24, &off) < 0)
			return -1;
		out->dst_off = -off;
	}
	if (!*p) /* POSIX leaves the default to the implementation: US */
		p = ",M3.2.0,M11.1.0";
	if (*p++ != ',' || parse_rdate(&p, &out->start) < 0 || *p++ != ',' ||
	    parse_rdate(&p, &out->end) < 0 || *p)
		return -1;
	return 0;
}

/* Local seconds at which rule date `r` happens in year `y`. */
static long long rdate_local(const struct rdate *r, long long y)
{
	long long jan1 = gg_days_from_civil(y, 1, 1), day, first;

	switch (r->type) {
	case 'J': day = jan1 + r->n - 1 + (is_leap(y) && r->n >= 60); break;
	case 'N': day = jan1 + r->n; break;
	default:
		first = gg_days_from_civil(y, r->m, 1);
		day = first + (r->d - weekday(first) + 7) % 7 + (r->w - 1) * 7;
		while (day - first >= month_days(y, r->m))
			day -= 7;
		break;
	}
	return day * 86400 + r->secs;
}

static long posix_offset(const struct posix *r, long long t)
{
	long long y, start, end;
	int m, d;

	if (!r->has_dst)
		return r->std_off;
	gg_civil_from_days(floor_div(t + r->std_off, 86400), &y, &m, &d, NULL);
	/* the start is given in standard time, the end in daylight time */
	start = rdate_local(&r->start, y) - r->std_off;
	end = rdate_local(&r->end, y) - r->dst_off;
	if (start < end)
		return t >= start && t < end ? r->dst_off : r->std_off;
	return t >= end && t < start ? r->std_off : r->dst_off;
}

/* --- zones ---------------------------------------------------------------- */

static struct gg_tz *tz_new(const char *name)
{
	struct gg_tz *tz = gg_xcalloc(1, sizeof(*tz));

	snprintf(tz->name, sizeof(tz->name), "%s", name);
	return tz;
}

static struct gg_tz *tz_fixed(const char *name, long off)
{
	struct gg_tz *tz = tz_new(name);

	tz->utoff = gg_xcalloc(1, sizeof(*tz->utoff));
	tz->utoff[0] = off;
	tz->ntypes = 1;
	return tz;
}

int gg_tz_posix(struct gg_tz **out, const char *rule)
{
	struct posix r;

	*out = NULL;
	if (parse_posix(&r, rule) < 0) {
		gg_error_set("bad POSIX time zone rule '%s'", rule);
		return GG_EINVALID;
	}
	*out = tz_fixed(rule, r.std_off);
	(*out)->has_rule = 1;
	(*out)->rule = r;
	return 0;
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	       (unsigned long)p[2] << 8 | p[3];
}

static long long be64(const unsigned char *p)
{
	unsigned long long v = (unsigned long long)be32(p) << 32 | be32(p + 4);

	return (long long)v;
}

struct tzif_head {
	size_t isut, isstd, leap, time, type, chars;
	int version;
};

static int read_head(struct tzif_head *h, const unsigned char *p, size_t len)
{
	if (len < 44 || memcmp(p, "TZif", 4))
		return -1;
	h->version = p[4] ? p[4] - '0' : 1;
	h->isut = be32(p + 20);
	h->isstd = be32(p + 24);
	h->leap = be32(p + 28);
	h->time = be32(p + 32);
	h->type = be32(p + 36);
	h->chars = be32(p + 40);
	if (h->version < 1 || h->type < 1 || h->type > 256 ||
	    h->time > MAX_TRANSITIONS || h->chars > 65536 || h->leap > 65536 ||
	    h->isut > 256 || h->isstd > 256)
		return -1;
	return 0;
}

static size_t body_size(const struct tzif_head *h, size_t tsz)
{
	return h->time * tsz + h->time + h->type * 6 + h->chars +
	       h->leap * (tsz + 4) + h->isstd + h->isut;
}

/* Read one data block (times of `tsz` bytes) starting at `p`. */
static int read_body(struct gg_tz *tz, const struct tzif_head *h,
		     const unsigned char *p, size_t tsz)
{
	const unsigned char *types = p + h->time * tsz + h->time;
	size_t i;

	tz->ntrans = h->time;
	tz->ntypes = h->type;
	tz->trans = gg_xcalloc(h->time + 1, sizeof(*tz->trans));
	tz->idx = gg_xcalloc(h->time + 1, 1);
	tz->utoff = gg_xcalloc(h->type, sizeof(*tz->utoff));
	for (i = 0; i < h->time; i++) {
		tz->trans[i] = tsz == 8 ? be64(p + i * 8)
					: (long long)(int)be32(p + i * 4);
		tz->idx[i] = p[h->time * tsz + i];
		if (tz->idx[i] >= h->type ||
		    (i && tz->trans[i] <= tz->trans[i - 1]))
			return -1;
	}
	for (i = 0; i < h->type; i++) {
		long v = (long)(int)be32(types + i * 6);

		if (v < -89999 || v > 93599)
			return -1;
		tz->utoff[i] = v;
	}
	return 0;
}

/* The footer of version 2+ files: "\n<POSIX rule>\n". */
static int read_footer(struct gg_tz *tz, const unsigned char *p, size_t len)
{
	const unsigned char *nl;
	char rule[128];

	if (!len || p[0] != '\n')
		return -1;
	nl = memchr(p + 1, '\n', len - 1);
	if (!nl || (size_t)(nl - p - 1) >= sizeof(rule))
		return -1;
	if (nl == p + 1)
		return 0; /* no rule */
	memcpy(rule, p + 1, (size_t)(nl - p - 1));
	rule[nl - p - 1] = '\0';
	if (parse_posix(&tz->rule, rule) < 0)
		return -1;
	tz->has_rule = 1;
	return 0;
}

static int parse_tzif(struct gg_tz *tz, const unsigned char *data, size_t len)
{
	struct tzif_head h;
	size_t v1;

	if (read_head(&h, data, len) < 0)
		return -1;
	v1 = 44 + body_size(&h, 4);
	if (v1 > len)
		return -1;
	if (h.version == 1)
		return read_body(tz, &h, data + 44, 4);
	if (read_head(&h, data + v1, len - v1) < 0 ||
	    v1 + 44 + body_size(&h, 8) > len ||
	    read_body(tz, &h, data + v1 + 44, 8) < 0)
		return -1;
	v1 += 44 + body_size(&h, 8);
	return read_footer(tz, data + v1, len - v1);
}

int gg_tz_parse(struct gg_tz **out, const char *name, const unsigned char *data,
		size_t len)
{
	struct gg_tz *tz = tz_new(name);

	*out = NULL;
	if (parse_tzif(tz, data, len) < 0) {
		gg_tz_free(tz);
		gg_error_set("time zone '%s': not a valid TZif file", name);
		return GG_EINVALID;
	}
	*out = tz;
	return 0;
}

/* "+02:00" and "-05:30" */
static int fixed_offset(const char *s, long *out)
{
	int h, m;

	if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || s[3] != ':' ||
	    strspn(s + 1, "0123456789") != 2 ||
	    strspn(s + 4, "0123456789") != 2)
		return -1;
	h = (s[1] - '0') * 10 + s[2] - '0';
	m = (s[4] - '0') * 10 + s[5] - '0';
	if (h > 23 || m > 59)
		return -1;
	*out = (s[0] == '-' ? -1 : 1) * (h * 3600L + m * 60L);
	return 0;
}

static int read_zone_file(unsigned char **data, size_t *len, const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	*data = NULL;
	if (!f)
		return GG_ENOTFOUND;
	*data = gg_xmalloc(MAX_TZ_FILE);
	n = fread(*data, 1, MAX_TZ_FILE, f);
	fclose(f);
	*len = n;
	return n == MAX_TZ_FILE ? GG_ELIMIT : 0;
}

int gg_tz_load(struct gg_tz **out, const char *name)
{
	unsigned char *data;
	char *path;
	size_t len = 0;
	long off;
	int err;

	*out = NULL;
	if (!strcmp(name, "UTC") || !strcmp(name, "Z")) {
		*out = tz_fixed(name, 0);
		return 0;
	}
	if (fixed_offset(name, &off) == 0) {
		*out = tz_fixed(name, off);
		return 0;
	}
	if (!*name || name[0] == '/' || strstr(name, "..") ||
	    strlen(name) >= NAME_MAX_LEN ||
	    name[strspn(name,
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx"
			"yz0123456789/_+-")]) {
		gg_error_set("bad time zone name '%s'", name);
		return GG_EINVALID;
	}
	path = gg_xasprintf("%s/%s", gg_tz_dir(), name);
	err = read_zone_file(&data, &len, path);
	if (err == GG_ENOTFOUND)
		gg_error_set("unknown time zone '%s' (no %s)", name, path);
	else if (err < 0)
		gg_error_set("time zone file %s is too large", path);
	else
		err = gg_tz_parse(out, name, data, len);
	free(data);
	free(path);
	return err;
}

void gg_tz_free(struct gg_tz *tz)
{
	if (!tz)
		return;
	free(tz->trans);
	free(tz->idx);
	free(tz->utoff);
	free(tz);
}

const char *gg_tz_name(const struct gg_tz *tz)
{
	return tz->name;
}

long gg_tz_offset(const struct gg_tz *tz, long long t)
{
	size_t lo = 0, hi = tz->ntrans;

	if (!tz->ntrans)
		return tz->has_rule ? posix_offset(&tz->rule, t) : tz->utoff[0];
	if (t < tz->trans[0])
		return tz->utoff[0];
	if (t >= tz->trans[tz->ntrans - 1] && tz->has_rule)
		return posix_offset(&tz->rule, t);
	/* the last transition at or before t */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (tz->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return tz->utoff[tz->idx[lo]];
}

long long gg_tz_to_local(const struct gg_tz *tz, long long t)
{
	return t + gg_tz_offset(tz, t);
}

long long gg_tz_to_utc(const struct gg_tz *tz, long long local)
{
	/* the offsets in force a day before and after bracket any change */
	long before = gg_tz_offset(tz, local - 86400);
	long after = gg_tz_offset(tz, local + 86400);
	long long u1 = local - before, u2 = local - after, lo, hi;
	int ok1 = gg_tz_offset(tz, u1) == before;
	int ok2 = gg_tz_offset(tz, u2) == after;

	if (ok1 && ok2)
		return u1 < u2 ? u1 : u2;
	if (ok1)
		return u1;
	if (ok2)
		return u2;
	/* a gap: the first instant that has the later offset */
	lo = u1 < u2 ? u1 : u2;
	hi = u1 < u2 ? u2 : u1;
	while (lo < hi) {
		long long mid = lo + (hi - lo) / 2;

		if (gg_tz_offset(tz, mid) == after)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}
