/*
 * Unit tests for push.c: the parser of the hooks' input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "tap.h"

#define A40 "1111111111111111111111111111111111111111"
#define B40 "2222222222222222222222222222222222222222"
#define Z40 "0000000000000000000000000000000000000000"

static void test_push__parses_an_update(void)
{
	static const char line[] = A40 " " B40 " refs/heads/main\n";
	struct gg_update u;

	TAP_CHECK_INT(gg_push_parse_line(&u, line, sizeof(line) - 1), 0);
	TAP_CHECK_STR(u.old_hex, A40);
	TAP_CHECK_STR(u.new_hex, B40);
	TAP_CHECK_STR(u.ref, "refs/heads/main");
	TAP_CHECK_INT(u.kind, GG_UPDATE_MODIFY);
	TAP_CHECK_INT(u.ref_class, GG_REF_BRANCH);
	gg_update_release(&u);
}

static void test_push__zero_ids_mean_create_delete_noop(void)
{
	struct gg_update u;

	TAP_CHECK_INT(gg_push_parse_args(&u, "refs/tags/v1", Z40, A40), 0);
	TAP_CHECK_INT(u.kind, GG_UPDATE_CREATE);
	TAP_CHECK_INT(u.ref_class, GG_REF_TAG);
	gg_update_release(&u);
	TAP_CHECK_INT(gg_push_parse_args(&u, "refs/heads/x", A40, Z40), 0);
	TAP_CHECK_INT(u.kind, GG_UPDATE_DELETE);
	gg_update_release(&u);
	TAP_CHECK_INT(gg_push_parse_args(&u, "refs/for/main/topic", Z40, Z40), 0);
	TAP_CHECK_INT(u.kind, GG_UPDATE_NOOP);
	TAP_CHECK_INT(u.ref_class, GG_REF_OTHER);
	gg_update_release(&u);
}

static void test_push__accepts_sha256_ids(void)
{
	struct gg_update u;
	char line[256];

	snprintf(line, sizeof(line), "%064d %064d refs/heads/main", 0, 1);
	TAP_CHECK_INT(gg_push_parse_line(&u, line, strlen(line)), 0);
	TAP_CHECK_INT(u.kind, GG_UPDATE_CREATE);
	TAP_CHECK_INT(strlen(u.new_hex), 64);
	gg_update_release(&u);
}

static void test_push__rejects_malformed_lines(void)
{
	static const char *const bad[] = {
		"",
		A40 " " B40,
		A40 " " B40 " ",
		A40 "  " B40 " refs/heads/x",
		"111 " B40 " refs/heads/x",
		A40 " " B40 "0 refs/heads/x",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA " B40 " refs/heads/x",
		A40 " 0000000000000000000000000000000000000000000000000000000000000000 refs/heads/x",
		A40 " " B40 " refs/heads/a\tb",
		NULL
	};
	struct gg_update u;
	size_t i;

	for (i = 0; bad[i]; i++) {
		int r = gg_push_parse_line(&u, bad[i], strlen(bad[i]));

		if (r == 0) {
			printf("#   accepted: '%s'\n", bad[i]);
			gg_update_release(&u);
		}
		TAP_CHECK(r == GG_EINVALID);
	}
}

static void test_push__reads_many_lines(void)
{
	struct gg_push push = GG_PUSH_INIT;
	FILE *f = tmpfile();
	int i;

	for (i = 0; i < 3000; i++)
		fprintf(f, "%s %s refs/heads/b%d\n", Z40, A40, i);
	rewind(f);
	TAP_CHECK_INT(gg_push_read(&push, f), 0);
	TAP_CHECK_INT(push.nr, 3000);
	TAP_CHECK_STR(push.updates[2999].ref, "refs/heads/b2999");
	gg_push_release(&push);
	fclose(f);
}

static void test_push__last_line_without_newline(void)
{
	struct gg_push push = GG_PUSH_INIT;
	FILE *f = tmpfile();

	fprintf(f, "%s %s refs/heads/a\n%s %s refs/heads/b", Z40, A40, A40, Z40);
	rewind(f);
	TAP_CHECK_INT(gg_push_read(&push, f), 0);
	TAP_CHECK_INT(push.nr, 2);
	TAP_CHECK_INT(push.updates[1].kind, GG_UPDATE_DELETE);
	gg_push_release(&push);
	fclose(f);
}

static void test_push__overlong_line_is_a_limit(void)
{
	struct gg_push push = GG_PUSH_INIT;
	FILE *f = tmpfile();
	int i;

	fprintf(f, "%s %s refs/heads/", Z40, A40);
	for (i = 0; i < GG_PUSH_MAX_LINE; i++)
		fputc('x', f);
	fputc('\n', f);
	rewind(f);
	TAP_CHECK_INT(gg_push_read(&push, f), GG_ELIMIT);
	gg_push_release(&push);
	fclose(f);
}

static void test_push__malformed_line_names_its_number(void)
{
	struct gg_push push = GG_PUSH_INIT;
	FILE *f = tmpfile();

	fprintf(f, "%s %s refs/heads/a\ngarbage\n", Z40, A40);
	rewind(f);
	TAP_CHECK_INT(gg_push_read(&push, f), GG_EINVALID);
	TAP_CHECK(strstr(gg_error_last(), "line 2"));
	gg_push_release(&push);
	fclose(f);
}

int main(void)
{
	TAP_RUN(test_push__parses_an_update);
	TAP_RUN(test_push__zero_ids_mean_create_delete_noop);
	TAP_RUN(test_push__accepts_sha256_ids);
	TAP_RUN(test_push__rejects_malformed_lines);
	TAP_RUN(test_push__reads_many_lines);
	TAP_RUN(test_push__last_line_without_newline);
	TAP_RUN(test_push__overlong_line_is_a_limit);
	TAP_RUN(test_push__malformed_line_names_its_number);
	return tap_done();
}
