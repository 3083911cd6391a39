/*
 * Unit tests for buf.c: the growable buffer with a hard limit, and the
 * two escapers every output path uses (terminal text and JSON).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "utf8.h"
#include "tap.h"

/* Escape `len` bytes of `s` for the terminal; caller frees. */
static char *escaped(const char *s, size_t len)
{
	struct gg_buf b = GG_BUF_INIT;

	if (gg_buf_add_escaped(&b, s, len) < 0)
		return NULL;
	return gg_buf_detach(&b, NULL);
}

static char *json(const char *s, size_t len)
{
	struct gg_buf b = GG_BUF_INIT;

	if (gg_buf_add_json(&b, s, len) < 0)
		return NULL;
	return gg_buf_detach(&b, NULL);
}

#define CHECK_ESC(in, want)                                                  \
	do {                                                                 \
		char *got_ = escaped(in, sizeof(in) - 1);                    \
		TAP_CHECK_STR(got_, want);                                   \
		free(got_);                                                  \
	} while (0)

#define CHECK_JSON(in, want)                                                 \
	do {                                                                 \
		char *got_ = json(in, sizeof(in) - 1);                       \
		TAP_CHECK_STR(got_, want);                                   \
		free(got_);                                                  \
	} while (0)

static void test_buf__empty_buffer_is_a_valid_string(void)
{
	struct gg_buf b = GG_BUF_INIT;
	char *s;
	size_t len = 99;

	TAP_CHECK(b.buf);
	TAP_CHECK_STR(b.buf, "");
	TAP_CHECK_INT(b.len, 0);
	gg_buf_rtrim(&b);
	gg_buf_reset(&b);
	gg_buf_setlen(&b, 0);
	TAP_CHECK_STR(b.buf, "");
	s = gg_buf_detach(&b, &len);
	TAP_CHECK_STR(s, "");
	TAP_CHECK_INT(len, 0);
	TAP_CHECK(s != gg_buf_slopbuf);
	free(s);
	gg_buf_release(&b);
}

static void test_buf__appends_and_stays_terminated(void)
{
	struct gg_buf b = GG_BUF_INIT;
	int i;

	TAP_CHECK_INT(gg_buf_adds(&b, "abc"), 0);
	TAP_CHECK_INT(gg_buf_addch(&b, 'd'), 0);
	TAP_CHECK_INT(gg_buf_add(&b, "e\0f", 3), 0);
	TAP_CHECK_INT(gg_buf_addf(&b, "%d-%s", 42, "x"), 0);
	TAP_CHECK_INT(b.len, 11);
	TAP_CHECK(!memcmp(b.buf, "abcde\0f42-x", 12));
	for (i = 0; i < 10000; i++)
		TAP_CHECK_INT(gg_buf_addch(&b, 'z'), 0);
	TAP_CHECK_INT(b.len, 10011);
	TAP_CHECK_INT(b.buf[b.len], '\0');
	TAP_CHECK(b.alloc > b.len);
	gg_buf_setlen(&b, 3);
	TAP_CHECK_STR(b.buf, "abc");
	gg_buf_reset(&b);
	TAP_CHECK_STR(b.buf, "");
	TAP_CHECK(b.alloc > 0);
	gg_buf_release(&b);
	TAP_CHECK_INT(b.alloc, 0);
	TAP_CHECK_STR(b.buf, "");
}

static void test_buf__limit_fails_and_leaves_the_buffer_unchanged(void)
{
	struct gg_buf b;

	gg_buf_init(&b, 8);
	TAP_CHECK_INT(gg_buf_adds(&b, "12345678"), 0);
	TAP_CHECK_INT(gg_buf_addch(&b, '9'), GG_ELIMIT);
	TAP_CHECK(strstr(gg_error_last(), "limit of 8 bytes"));
	TAP_CHECK_INT(gg_buf_adds(&b, "9"), GG_ELIMIT);
	TAP_CHECK_INT(gg_buf_addf(&b, "%s", "9"), GG_ELIMIT);
	TAP_CHECK_INT(b.len, 8);
	TAP_CHECK_STR(b.buf, "12345678");
	/* an empty append at the limit is fine */
	TAP_CHECK_INT(gg_buf_add(&b, "", 0), 0);
	gg_buf_setlen(&b, 4);
	TAP_CHECK_INT(gg_buf_addf(&b, "%s", "abcde"), GG_ELIMIT);
	TAP_CHECK_STR(b.buf, "1234");
	TAP_CHECK_INT(gg_buf_addf(&b, "%s", "abcd"), 0);
	TAP_CHECK_STR(b.buf, "1234abcd");
	gg_buf_release(&b);
	TAP_CHECK_INT(b.limit, 8);
}

static void test_buf__limit_on_a_fresh_buffer(void)
{
	struct gg_buf b;

	gg_buf_init(&b, 3);
	TAP_CHECK_INT(gg_buf_adds(&b, "abcd"), GG_ELIMIT);
	TAP_CHECK_INT(b.len, 0);
	TAP_CHECK_STR(b.buf, "");
	TAP_CHECK_INT(b.alloc, 0);
	gg_buf_release(&b);
}

static void test_buf__huge_growth_is_a_limit_not_an_overflow(void)
{
	struct gg_buf b = GG_BUF_INIT;

	TAP_CHECK_INT(gg_buf_adds(&b, "ab"), 0);
	TAP_CHECK_INT(gg_buf_grow(&b, SIZE_MAX), GG_ELIMIT);
	TAP_CHECK_INT(gg_buf_grow(&b, SIZE_MAX - 2), GG_ELIMIT);
	TAP_CHECK_INT(b.len, 2);
	TAP_CHECK_STR(b.buf, "ab");
	gg_buf_release(&b);
}

static void test_buf__detach_hands_out_the_contents(void)
{
	struct gg_buf b;
	size_t len = 0;
	char *s;

	gg_buf_init(&b, 100);
	gg_buf_adds(&b, "hello");
	s = gg_buf_detach(&b, &len);
	TAP_CHECK_STR(s, "hello");
	TAP_CHECK_INT(len, 5);
	TAP_CHECK_INT(b.len, 0);
	TAP_CHECK_INT(b.alloc, 0);
	TAP_CHECK_INT(b.limit, 100);
	TAP_CHECK_STR(b.buf, "");
	/* the buffer is reusable and does not share the detached memory */
	gg_buf_adds(&b, "again");
	TAP_CHECK_STR(s, "hello");
	free(s);
	s = gg_buf_detach(&b, NULL);
	TAP_CHECK_STR(s, "again");
	free(s);
}

static void test_buf__rtrim(void)
{
	struct gg_buf b = GG_BUF_INIT;

	gg_buf_adds(&b, "  a b \t\r\n \n");
	gg_buf_rtrim(&b);
	TAP_CHECK_STR(b.buf, "  a b");
	TAP_CHECK_INT(b.len, 5);
	gg_buf_reset(&b);
	gg_buf_adds(&b, " \n\t");
	gg_buf_rtrim(&b);
	TAP_CHECK_STR(b.buf, "");
	gg_buf_release(&b);
}

static void test_buf__escapes_control_characters(void)
{
	CHECK_ESC("plain text: /a-b_c.yaml", "plain text: /a-b_c.yaml");
	CHECK_ESC("a\tb\nc\rd", "a\\tb\\nc\\rd");
	CHECK_ESC("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m");
	CHECK_ESC("bell\a bs\b del\x7f", "bell\\x07 bs\\x08 del\\x7f");
	CHECK_ESC("nul\0byte", "nul\\x00byte");
	CHECK_ESC("\x01\x1f", "\\x01\\x1f");
	CHECK_ESC("", "");
}

static void test_buf__escapes_c1_controls(void)
{
	/* U+0085 NEL, U+009B CSI, U+0080 and U+009F; U+00A0 stays */
	CHECK_ESC("a\xc2\x85z", "a\\xc2\\x85z");
	CHECK_ESC("\xc2\x9b" "31m", "\\xc2\\x9b31m");
	CHECK_ESC("\xc2\x80\xc2\x9f", "\\xc2\\x80\\xc2\\x9f");
	CHECK_ESC("nbsp\xc2\xa0.", "nbsp\xc2\xa0.");
}

static void test_buf__keeps_valid_utf8(void)
{
	CHECK_ESC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80",
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80");
	CHECK_ESC("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");
}

static void test_buf__escapes_invalid_utf8_bytewise(void)
{
	CHECK_ESC("\xff", "\\xff");
	CHECK_ESC("a\x80z", "a\\x80z");
	/* a truncated sequence at the end, and one cut by ASCII */
	CHECK_ESC("\xe2\x82", "\\xe2\\x82");
	CHECK_ESC("\xe2\x82z", "\\xe2\\x82z");
	/* overlong slash, surrogate, above U+10FFFF */
	CHECK_ESC("\xc0\xaf", "\\xc0\\xaf");
	CHECK_ESC("\xed\xa0\x80", "\\xed\\xa0\\x80");
	CHECK_ESC("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
	/* a valid sequence right after an invalid byte survives */
	CHECK_ESC("\xfe\xc3\xa9", "\\xfe\xc3\xa9");
}

static void test_buf__escaping_respects_the_limit(void)
{
	struct gg_buf b;

	gg_buf_init(&b, 5);
	TAP_CHECK_INT(gg_buf_add_escaped(&b, "\x1b\x1b", 2), GG_ELIMIT);
	TAP_CHECK(b.len <= 5);
	TAP_CHECK_INT(b.buf[b.len], '\0');
	gg_buf_release(&b);
	gg_buf_init(&b, 4);
	TAP_CHECK_INT(gg_buf_add_json(&b, "abcdef", 6), GG_ELIMIT);
	TAP_CHECK(b.len <= 4);
	gg_buf_release(&b);
}

static void test_buf__json_escapes(void)
{
	CHECK_JSON("", "\"\"");
	CHECK_JSON("plain", "\"plain\"");
	CHECK_JSON("q\"b\\s/", "\"q\\\"b\\\\s/\"");
	CHECK_JSON("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
	CHECK_JSON("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	CHECK_JSON("n\0l", "\"n\\u0000l\"");
	CHECK_JSON("\x1b[0m", "\"\\u001b[0m\"");
}

static void test_buf__json_keeps_utf8_and_replaces_invalid_bytes(void)
{
	CHECK_JSON("caf\xc3\xa9 \xf0\x9f\x9a\x80", "\"caf\xc3\xa9 \xf0\x9f\x9a\x80\"");
	CHECK_JSON("\xc2\x85", "\"\\u0085\"");
	CHECK_JSON("a\xffz", "\"a\\ufffdz\"");
	CHECK_JSON("\xe2\x82", "\"\\ufffd\\ufffd\"");
	CHECK_JSON("\xc0\xaf", "\"\\ufffd\\ufffd\"");
	CHECK_JSON("\xed\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\"");
}

static void test_buf__json_escapes_c1_and_line_separators(void)
{
	struct gg_buf b = GG_BUF_INIT;
	static const char in[] = "a\xc2\x9b[2Jb\xe2\x80\xa8" "c\xe2\x80\xa9"
				 "d\xc2\xa0" "e";

	TAP_CHECK_INT(gg_buf_add_json(&b, in, sizeof(in) - 1), 0);
	TAP_CHECK_STR(b.buf, "\"a\\u009b[2Jb\\u2028c\\u2029d\xc2\xa0" "e\"");
	gg_buf_release(&b);
}

static void test_buf__json_output_is_valid_utf8(void)
{
	char in[256];
	struct gg_buf b = GG_BUF_INIT;
	int i;

	for (i = 0; i < 256; i++)
		in[i] = (char)i;
	TAP_CHECK_INT(gg_buf_add_json(&b, in, sizeof(in)), 0);
	TAP_CHECK_INT(gg_utf8_validate(b.buf, b.len), b.len);
	for (i = 0; i < (int)b.len; i++)
		if ((unsigned char)b.buf[i] < 0x20)
			break;
	TAP_CHECK_INT(i, b.len);
	gg_buf_release(&b);
	TAP_CHECK_INT(gg_buf_add_escaped(&b, in, sizeof(in)), 0);
	TAP_CHECK_INT(gg_utf8_validate(b.buf, b.len), b.len);
	for (i = 0; i < (int)b.len; i++)
		if ((unsigned char)b.buf[i] < 0x20 || b.buf[i] == 0x7f)
			break;
	TAP_CHECK_INT(i, b.len);
	gg_buf_release(&b);
}

int main(void)
{
	TAP_RUN(test_buf__empty_buffer_is_a_valid_string);
	TAP_RUN(test_buf__appends_and_stays_terminated);
	TAP_RUN(test_buf__limit_fails_and_leaves_the_buffer_unchanged);
	TAP_RUN(test_buf__limit_on_a_fresh_buffer);
	TAP_RUN(test_buf__huge_growth_is_a_limit_not_an_overflow);
	TAP_RUN(test_buf__detach_hands_out_the_contents);
	TAP_RUN(test_buf__rtrim);
	TAP_RUN(test_buf__escapes_control_characters);
	TAP_RUN(test_buf__escapes_c1_controls);
	TAP_RUN(test_buf__keeps_valid_utf8);
	TAP_RUN(test_buf__escapes_invalid_utf8_bytewise);
	TAP_RUN(test_buf__escaping_respects_the_limit);
	TAP_RUN(test_buf__json_escapes);
	TAP_RUN(test_buf__json_keeps_utf8_and_replaces_invalid_bytes);
	TAP_RUN(test_buf__json_escapes_c1_and_line_separators);
	TAP_RUN(test_buf__json_output_is_valid_utf8);
	return tap_done();
}
