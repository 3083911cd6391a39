/*
 * Unit tests for utf8.c: the strict decoder behind the escapers and the
 * YAML loader (RFC 3629: no overlongs, surrogates or values past
 * U+10FFFF).
 */
#include <string.h>

#include "utf8.h"
#include "tap.h"

#define SEQ(s) gg_utf8_seqlen(s, sizeof(s) - 1)

static void test_utf8__ascii_and_nul_are_one_byte(void)
{
	TAP_CHECK_INT(SEQ("a"), 1);
	TAP_CHECK_INT(SEQ("\x7f"), 1);
	TAP_CHECK_INT(gg_utf8_seqlen("\0", 1), 1);
}

static void test_utf8__boundaries_of_each_length(void)
{
	TAP_CHECK_INT(SEQ("\xc2\x80"), 2);	   /* U+0080 */
	TAP_CHECK_INT(SEQ("\xdf\xbf"), 2);	   /* U+07FF */
	TAP_CHECK_INT(SEQ("\xe0\xa0\x80"), 3);	   /* U+0800 */
	TAP_CHECK_INT(SEQ("\xed\x9f\xbf"), 3);	   /* U+D7FF */
	TAP_CHECK_INT(SEQ("\xee\x80\x80"), 3);	   /* U+E000 */
	TAP_CHECK_INT(SEQ("\xef\xbf\xbf"), 3);	   /* U+FFFF */
	TAP_CHECK_INT(SEQ("\xf0\x90\x80\x80"), 4); /* U+10000 */
	TAP_CHECK_INT(SEQ("\xf4\x8f\xbf\xbf"), 4); /* U+10FFFF */
}

static void test_utf8__rejects_overlong_forms(void)
{
	TAP_CHECK_INT(SEQ("\xc0\x80"), 0);
	TAP_CHECK_INT(SEQ("\xc1\xbf"), 0);
	TAP_CHECK_INT(SEQ("\xe0\x80\x80"), 0);
	TAP_CHECK_INT(SEQ("\xe0\x9f\xbf"), 0);
	TAP_CHECK_INT(SEQ("\xf0\x80\x80\x80"), 0);
	TAP_CHECK_INT(SEQ("\xf0\x8f\xbf\xbf"), 0);
}

static void test_utf8__rejects_surrogates_and_too_large(void)
{
	TAP_CHECK_INT(SEQ("\xed\xa0\x80"), 0); /* U+D800 */
	TAP_CHECK_INT(SEQ("\xed\xbf\xbf"), 0); /* U+DFFF */
	TAP_CHECK_INT(SEQ("\xf4\x90\x80\x80"), 0);
	TAP_CHECK_INT(SEQ("\xf5\x80\x80\x80"), 0);
	TAP_CHECK_INT(SEQ("\xf8\x88\x80\x80\x80"), 0);
	TAP_CHECK_INT(SEQ("\xfe"), 0);
	TAP_CHECK_INT(SEQ("\xff"), 0);
}

static void test_utf8__rejects_bad_continuations(void)
{
	TAP_CHECK_INT(SEQ("\x80"), 0);
	TAP_CHECK_INT(SEQ("\xbf"), 0);
	TAP_CHECK_INT(SEQ("\xc3\x28"), 0);
	TAP_CHECK_INT(SEQ("\xc3\xc3"), 0);
	TAP_CHECK_INT(SEQ("\xe2\x28\xa1"), 0);
	TAP_CHECK_INT(SEQ("\xe2\x82\x28"), 0);
	TAP_CHECK_INT(SEQ("\xf0\x9f\x9a\x28"), 0);
}

static void test_utf8__does_not_read_past_len(void)
{
	/* the bytes after len are valid continuations: they must not count */
	static const char s[] = "\xe2\x82\xac";

	TAP_CHECK_INT(gg_utf8_seqlen(s, 1), 0);
	TAP_CHECK_INT(gg_utf8_seqlen(s, 2), 0);
	TAP_CHECK_INT(gg_utf8_seqlen(s, 3), 3);
	TAP_CHECK_INT(gg_utf8_seqlen("\xf0\x9f\x9a\x80", 3), 0);
}

static void test_utf8__validate_finds_the_first_bad_byte(void)
{
	static const char ok[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a\x80z";
	static const char bad[] = "abc\xc3\xa9\xff\xc3\xa9";
	static const char cut[] = "abc\xe2\x82";

	TAP_CHECK_INT(gg_utf8_validate(ok, sizeof(ok) - 1), sizeof(ok) - 1);
	TAP_CHECK_INT(gg_utf8_validate(bad, sizeof(bad) - 1), 5);
	TAP_CHECK_INT(gg_utf8_validate(cut, sizeof(cut) - 1), 3);
	TAP_CHECK_INT(gg_utf8_validate("", 0), 0);
	TAP_CHECK_INT(gg_utf8_validate("a\0b", 3), 3);
}

int main(void)
{
	TAP_RUN(test_utf8__ascii_and_nul_are_one_byte);
	TAP_RUN(test_utf8__boundaries_of_each_length);
	TAP_RUN(test_utf8__rejects_overlong_forms);
	TAP_RUN(test_utf8__rejects_surrogates_and_too_large);
	TAP_RUN(test_utf8__rejects_bad_continuations);
	TAP_RUN(test_utf8__does_not_read_past_len);
	TAP_RUN(test_utf8__validate_finds_the_first_bad_byte);
	return tap_done();
}
