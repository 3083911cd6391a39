/*
 * Unit tests for regex.c: the PCRE2 wrapper, in particular walking the
 * matches of a subject with gg_regex_search_at().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regex.h"
#include "tap.h"

static void test_regex__search_reports_bounds(void)
{
	struct gg_regex *re;
	size_t s = 0, e = 0;

	TAP_CHECK_INT(gg_regex_compile(&re, "b+", 0), 0);
	TAP_CHECK_INT(gg_regex_search(re, "aabbbc", 6, &s, &e), 1);
	TAP_CHECK_INT(s, 2);
	TAP_CHECK_INT(e, 5);
	TAP_CHECK_INT(gg_regex_search(re, "aaa", 3, &s, &e), 0);
	gg_regex_free(re);
}

static void test_regex__search_at_keeps_line_starts(void)
{
	static const char text[] = "ab: 1\nxab: 2\nab: 3\n";
	struct gg_regex *re;
	size_t s = 0, e = 0;

	TAP_CHECK_INT(gg_regex_compile(&re, "^ab", GG_REGEX_MULTILINE), 0);
	TAP_CHECK_INT(gg_regex_search_at(re, text, strlen(text), 0, &s, &e), 1);
	TAP_CHECK_INT(s, 0);
	/* from offset 7 ("ab: 2") the "^" must not match mid-line */
	TAP_CHECK_INT(gg_regex_search_at(re, text, strlen(text), 7, &s, &e), 1);
	TAP_CHECK_INT(s, 13);
	TAP_CHECK_INT(gg_regex_search_at(re, text, strlen(text), 14, &s, &e),
		      0);
	gg_regex_free(re);
}

static void test_regex__search_at_sees_the_text_before_the_offset(void)
{
	struct gg_regex *re;
	size_t s = 0, e = 0;

	TAP_CHECK_INT(gg_regex_compile(&re, "(?<![a-z])key", 0), 0);
	/* "mykey" at offset 2: the lookbehind sees the 'y' */
	TAP_CHECK_INT(gg_regex_search_at(re, "mykey key", 9, 2, &s, &e), 1);
	TAP_CHECK_INT(s, 6);
	gg_regex_free(re);
}

static void test_regex__backslash_k_moves_the_start(void)
{
	struct gg_regex *re;
	size_t s = 0, e = 0;

	TAP_CHECK_INT(gg_regex_compile(&re, "password: \\K\\S+", 0), 0);
	TAP_CHECK_INT(gg_regex_search(re, "password: hunter2", 17, &s, &e), 1);
	TAP_CHECK_INT(s, 10);
	TAP_CHECK_INT(e, 17);
	gg_regex_free(re);
}

static void test_regex__offset_past_the_end_never_matches(void)
{
	struct gg_regex *re;

	TAP_CHECK_INT(gg_regex_compile(&re, "x*", 0), 0);
	TAP_CHECK_INT(gg_regex_search_at(re, "xx", 2, 3, NULL, NULL), 0);
	TAP_CHECK_INT(gg_regex_search_at(re, "xx", 2, 2, NULL, NULL), 1);
	gg_regex_free(re);
}

static void test_regex__bad_pattern_is_invalid(void)
{
	struct gg_regex *re;

	TAP_CHECK_INT(gg_regex_compile(&re, "(", 0), -3);
	TAP_CHECK(!re);
}

int main(void)
{
	TAP_RUN(test_regex__search_reports_bounds);
	TAP_RUN(test_regex__search_at_keeps_line_starts);
	TAP_RUN(test_regex__search_at_sees_the_text_before_the_offset);
	TAP_RUN(test_regex__backslash_k_moves_the_start);
	TAP_RUN(test_regex__offset_past_the_end_never_matches);
	TAP_RUN(test_regex__bad_pattern_is_invalid);
	return tap_done();
}
