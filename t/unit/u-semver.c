/*
 * Unit tests for semver.c: versions as tags spell them, their order,
 * and the ranges Argo CD and Flux accept (Masterminds semver v3), with
 * the pre-release rule and the syntax that does not parse.
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "semver.h"
#include "tap.h"

static void test_semver__parses_versions(void)
{
	static const struct {
		const char *s;
		int ok;
		unsigned long long major, minor, patch;
		const char *pre;
	} cases[] = {
		{ "1.2.3", 1, 1, 2, 3, NULL },
		{ "v1.2.3", 1, 1, 2, 3, NULL },
		{ "1", 1, 1, 0, 0, NULL },
		{ "v1.2", 1, 1, 2, 0, NULL },
		{ "1.0.0-rc.1+build.5", 1, 1, 0, 0, "rc.1" },
		{ "1.0.0-0", 1, 1, 0, 0, "0" },
		{ "1.0.0+001", 1, 1, 0, 0, NULL },
		{ "18446744073709551615.0.0", 1, 18446744073709551615ULL, 0, 0,
		  NULL },
		{ "18446744073709551616.0.0", 0, 0, 0, 0, NULL },
		{ "1.0.0-01", 0, 0, 0, 0, NULL },
		{ "1.0.0-", 0, 0, 0, 0, NULL },
		{ "1.0.0-a..b", 0, 0, 0, 0, NULL },
		{ "1.0.0+", 0, 0, 0, 0, NULL },
		{ "V1.2.3", 0, 0, 0, 0, NULL },
		{ "1.2.3.4", 0, 0, 0, 0, NULL },
		{ "1.", 0, 0, 0, 0, NULL },
		{ "1.2.x", 0, 0, 0, 0, NULL },
		{ "", 0, 0, 0, 0, NULL },
		{ "v", 0, 0, 0, 0, NULL },
		{ "prod", 0, 0, 0, 0, NULL },
		{ " 1.2.3", 0, 0, 0, 0, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gg_semver v;
		int err = gg_semver_parse(&v, cases[i].s);

		if ((err == 0) != cases[i].ok)
			printf("#   '%s'\n", cases[i].s);
		TAP_CHECK_INT(err == 0, cases[i].ok);
		if (err || !cases[i].ok)
			continue;
		TAP_CHECK(v.major == cases[i].major);
		TAP_CHECK(v.minor == cases[i].minor);
		TAP_CHECK(v.patch == cases[i].patch);
		if (!cases[i].pre) {
			TAP_CHECK(!v.pre);
		} else {
			TAP_CHECK(v.pre && v.pre_len == strlen(cases[i].pre));
			TAP_CHECK(v.pre &&
				  !strncmp(v.pre, cases[i].pre, v.pre_len));
		}
	}
}

static void test_semver__orders_as_semver_says(void)
{
	/* semver 2.0, item 11, ascending */
	static const char *const order[] = {
		"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
		"1.0.0-beta",  "1.0.0-beta.2",	"1.0.0-beta.11",
		"1.0.0-rc.1",  "1.0.0",		"1.0.1",
		"1.1.0",       "2.0.0",		"10.0.0",
	};
	size_t n = sizeof(order) / sizeof(order[0]), i, j;
	struct gg_semver a, b;

	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			int want = i < j ? -1 : i > j, got;

			TAP_CHECK(!gg_semver_parse(&a, order[i]));
			TAP_CHECK(!gg_semver_parse(&b, order[j]));
			got = gg_semver_cmp(&a, &b);
			got = got < 0 ? -1 : got > 0;
			if (got != want)
				printf("#   %s vs %s\n", order[i], order[j]);
			TAP_CHECK_INT(got, want);
		}
	}
	/* build metadata and the v are not part of the order */
	TAP_CHECK(!gg_semver_parse(&a, "v1.0.0+a"));
	TAP_CHECK(!gg_semver_parse(&b, "1.0.0+b"));
	TAP_CHECK_INT(gg_semver_cmp(&a, &b), 0);
	TAP_CHECK(!gg_semver_parse(&a, "1.2"));
	TAP_CHECK(!gg_semver_parse(&b, "1.2.0"));
	TAP_CHECK_INT(gg_semver_cmp(&a, &b), 0);
}

static const struct {
	const char *range, *version;
	int match;
} matches[] = {
	{ ">=1.0.0", "1.0.0", 1 },
	{ ">=1.0.0", "0.9.9", 0 },
	{ ">=1.0.0", "v2.0.0", 1 },
	{ ">= 1.0.0", "1.0.1", 1 },
	{ "=>1.0.0", "1.0.0", 1 },
	{ ">1.2.3", "1.2.4", 1 },
	{ ">1.2.3", "1.2.3", 0 },
	{ ">1", "1.9.9", 0 },
	{ ">1", "2.0.0", 1 },
	{ ">1.2", "1.2.9", 0 },
	{ ">1.2", "1.3.0", 1 },
	{ "<1.2", "1.1.9", 1 },
	{ "<1.2", "1.2.0", 0 },
	{ "<=1", "1.9.9", 1 },
	{ "<=1", "2.0.0", 0 },
	{ "<=1.2", "1.2.9", 1 },
	{ "<=1.2", "1.3.0", 0 },
	{ "=<1.2.3", "1.2.3", 1 },
	{ "=1.2.3", "1.2.3", 1 },
	{ "1.2.3", "1.2.4", 0 },
	{ "v1.2.3", "1.2.3", 1 },
	{ "!=1.2.3", "1.2.4", 1 },
	{ "!=1.2.3", "1.2.3", 0 },
	{ "!=1.2", "1.2.9", 0 },
	{ "!=1.2", "1.3.0", 1 },
	{ "~1.2.3", "1.2.9", 1 },
	{ "~1.2.3", "1.2.2", 0 },
	{ "~1.2.3", "1.3.0", 0 },
	{ "~1.2", "1.2.5", 1 },
	{ "~>1.2", "1.3.0", 0 },
	{ "~1", "1.9.0", 1 },
	{ "~1", "2.0.0", 0 },
	{ "~1.x", "1.9.0", 1 },
	{ "~0.0.0", "5.0.0", 1 },
	{ "^1.2", "1.2.0", 1 },
	{ "^1.2", "1.9.9", 1 },
	{ "^1.2", "1.1.9", 0 },
	{ "^1.2", "2.0.0", 0 },
	{ "^1.2.3", "1.2.2", 0 },
	{ "^1.2.3", "1.99.0", 1 },
	{ "^1.2.3", "2.0.0-rc.1", 0 },
	{ "^0.2.3", "0.2.9", 1 },
	{ "^0.2.3", "0.3.0", 0 },
	{ "^0.0.3", "0.0.3", 1 },
	{ "^0.0.3", "0.0.4", 0 },
	{ "^0", "0.9.0", 1 },
	{ "^0", "1.0.0", 0 },
	{ "^0.0", "0.0.9", 1 },
	{ "^0.0", "0.1.0", 0 },
	{ "^*", "7.0.0", 1 },
	{ "1.x", "1.0.0", 1 },
	{ "1.x", "1.99.3", 1 },
	{ "1.x", "2.0.0", 0 },
	{ "1.x", "0.9.0", 0 },
	{ "1.X", "1.3.0", 1 },
	{ "1.2.x", "1.2.7", 1 },
	{ "1.2.*", "1.3.0", 0 },
	{ "1", "1.4.0", 1 },
	{ "*", "0.0.0", 1 },
	{ "*", "99.1.2", 1 },
	{ "x", "3.0.0", 1 },
	{ "<=*", "3.0.0", 1 },
	{ "<*", "3.0.0", 0 },
	{ ">*", "0.0.0", 0 },
	{ "!=*", "1.0.0", 0 },
	{ ">=1 <2", "1.5.0", 1 },
	{ ">=1 <2", "2.0.0", 0 },
	{ ">=1 <2", "0.9.0", 0 },
	{ ">=1, <2", "1.5.0", 1 },
	{ ">=1.0.0,<2.0.0", "1.0.0", 1 },
	{ ">=1.0.0<2.0.0", "2.0.0", 0 },
	{ "1.0.0 - 1.4.5", "1.4.5", 1 },
	{ "1.0.0 - 1.4.5", "1.4.6", 0 },
	{ "1.0.0 - 1.4.5", "0.9.0", 0 },
	{ "1.2 - 1.4", "1.4.9", 1 },
	{ "1.2 - 1.4", "1.5.0", 0 },
	{ "<1.0.0 || >=2.0.0", "0.5.0", 1 },
	{ "<1.0.0 || >=2.0.0", "1.5.0", 0 },
	{ "<1.0.0 || >=2.0.0", "2.1.0", 1 },
	{ "^1.0||^3.0", "3.1.0", 1 },
	/* pre-releases only where a comparator names one */
	{ ">=1.0.0", "1.1.0-rc.1", 0 },
	{ "*", "1.0.0-rc.1", 0 },
	{ "1.x", "1.5.0-beta", 0 },
	{ ">=1.0.0-0", "1.1.0-rc.1", 1 },
	{ ">=1.0.0-0 <2.0.0", "1.1.0-rc.1", 0 },
	{ ">=1.0.0-0 <2.0.0-0", "1.1.0-rc.1", 1 },
	{ ">=1.0.0-beta.2", "1.0.0-beta.10", 1 },
	{ ">=1.0.0-beta.2", "1.0.0-beta.1", 0 },
	{ "^1.2.3-beta", "1.3.0-rc", 1 },
	{ "!=1.2.3", "1.2.4-rc.1", 1 },
	{ "<2.0.0 || >=1.0.0-0", "1.5.0-rc.1", 1 },
};

static void test_semver__matches_ranges(void)
{
	size_t i;

	for (i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
		struct gg_semver v;
		int got;

		TAP_CHECK(!gg_semver_parse(&v, matches[i].version));
		got = gg_semver_match(matches[i].range, &v);
		if (got != matches[i].match)
			printf("#   '%s' on %s: %d\n", matches[i].range,
			       matches[i].version, got);
		TAP_CHECK_INT(got, matches[i].match);
	}
}

static void test_semver__refuses_what_does_not_parse(void)
{
	static const char *const bad[] = {
		"",	  " ",		 "||",		">=1 ||",   "|| 1",
		"prod",	  "main",	 "release/1.0", "HEAD",	    ">= ",
		"1.",	  "1..2",	 "xx",		"1x",	    "x1",
		">>1",	  "1 -2",	 "1- 2",	"==1",	    ",1",
		"1,,2",	  ">=1.0 - 2.0", "1 - 2 - 3",	"1|2",	    "1.0.0-01",
		"=> 1 ~", "V1.2",	 "1.2.3.4",	"<1.0.0 |",
	};
	static const char *const good[] = {
		"1.2.3 - 2",	">= 1.2", "1.2,",  "  >=1  ",
		"1.2.3-rc.1+b", "~> 1.2", "1.x.3", "x",
	};
	struct gg_semver v;
	size_t i;

	TAP_CHECK(!gg_semver_parse(&v, "1.0.0"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (gg_semver_match(bad[i], &v) != GG_EINVALID)
			printf("#   '%s' parses\n", bad[i]);
		TAP_CHECK_INT(gg_semver_match(bad[i], &v), GG_EINVALID);
		TAP_CHECK_INT(gg_semver_range_valid(bad[i]), 0);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!gg_semver_range_valid(good[i]))
			printf("#   '%s' does not parse\n", good[i]);
		TAP_CHECK_INT(gg_semver_range_valid(good[i]), 1);
	}
}

static void test_semver__ranges_are_not_versions(void)
{
	static const struct {
		const char *rev;
		int range;
	} cases[] = {
		{ ">=1.0.0", 1 }, { "1.x", 1 },	     { "*", 1 },
		{ "^1.2", 1 },	  { ">=1 <2", 1 },   { "~1.2.3", 1 },
		{ "1.0 - 2", 1 }, { "x", 1 },	     { "1.0", 0 },
		{ "v1.2.3", 0 },  { "1", 0 },	     { "main", 0 },
		{ "stable", 0 },  { "HEAD", 0 },     { "release/1.0", 0 },
		{ "", 0 },	  { "1.0.0-rc", 0 },
	};
	size_t i;

	TAP_CHECK_INT(gg_semver_is_range(NULL), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (gg_semver_is_range(cases[i].rev) != cases[i].range)
			printf("#   '%s'\n", cases[i].rev);
		TAP_CHECK_INT(gg_semver_is_range(cases[i].rev), cases[i].range);
	}
}

static void test_semver__tags_in_a_range(void)
{
	struct gg_semver v;

	TAP_CHECK_INT(gg_semver_tag_in(">=1.0.0", NULL, "v2.0.0", &v), 1);
	TAP_CHECK(v.major == 2);
	TAP_CHECK_INT(gg_semver_tag_in(">=1.0.0", NULL, "2.0.0", NULL), 1);
	TAP_CHECK_INT(gg_semver_tag_in(">=1.0.0", NULL, "0.1.0", NULL), 0);
	TAP_CHECK_INT(gg_semver_tag_in(">=1.0.0", NULL, "release-2.0.0", NULL),
		      0);
	TAP_CHECK_INT(gg_semver_tag_in(">=1.0.0", NULL, "prod", NULL), 0);
	TAP_CHECK_INT(gg_semver_tag_in(">=1.0.0", "app/", "app/v1.2.0", NULL),
		      1);
	TAP_CHECK_INT(gg_semver_tag_in(">=1.0.0", "app/", "app/1.2.0", NULL),
		      1);
	TAP_CHECK_INT(gg_semver_tag_in(">=1.0.0", "app/", "v1.2.0", NULL), 0);
	TAP_CHECK_INT(gg_semver_tag_in(">=1.0.0", "app/", "app/prod", NULL), 0);
	TAP_CHECK_INT(gg_semver_tag_in(">=1.0.0", "app-", "app-2.0.0", NULL),
		      1);
	TAP_CHECK_INT(gg_semver_tag_in("not a range", NULL, "1.0.0", NULL), 0);
	TAP_CHECK_INT(gg_semver_tag_in(">=1.0.0", "", "1.0.0", NULL), 1);
}

int main(void)
{
	TAP_RUN(test_semver__parses_versions);
	TAP_RUN(test_semver__orders_as_semver_says);
	TAP_RUN(test_semver__matches_ranges);
	TAP_RUN(test_semver__refuses_what_does_not_parse);
	TAP_RUN(test_semver__ranges_are_not_versions);
	TAP_RUN(test_semver__tags_in_a_range);
	return tap_done();
}
