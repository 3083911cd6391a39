/*
 * A TAP harness for C unit tests, small enough to read in a minute.
 *
 *   static void test_buf__grows(void) { TAP_CHECK(...); }
 *   int main(void) { TAP_RUN(test_buf__grows); return tap_done(); }
 *
 * TAP_CHECK records a failure with file and line and goes on; a test is
 * "ok" when none of its checks failed.
 */
#ifndef GG_TAP_H
#define GG_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed, tap_cur_failed;

#define TAP_CHECK(cond)                                                      \
	do {                                                                 \
		if (!(cond)) {                                               \
			printf("#   %s:%d: check failed: %s\n", __FILE__,      \
			       __LINE__, #cond);                             \
			tap_cur_failed = 1;                                  \
		}                                                            \
	} while (0)

#define TAP_CHECK_INT(got, want)                                             \
	do {                                                                 \
		long long g_ = (long long)(got), w_ = (long long)(want);     \
		if (g_ != w_) {                                              \
			printf("#   %s:%d: %s is %lld, expected %lld\n",       \
			       __FILE__, __LINE__, #got, g_, w_);            \
			tap_cur_failed = 1;                                  \
		}                                                            \
	} while (0)

#define TAP_CHECK_STR(got, want)                                             \
	do {                                                                 \
		const char *g_ = (got), *w_ = (want);                        \
		if (!g_ || !w_ ? g_ != w_ : strcmp(g_, w_) != 0) {           \
			printf("#   %s:%d: %s is \"%s\", expected \"%s\"\n",   \
			       __FILE__, __LINE__, #got, g_ ? g_ : "(null)", \
			       w_ ? w_ : "(null)");                          \
			tap_cur_failed = 1;                                  \
		}                                                            \
	} while (0)

#define TAP_RUN(fn)                                                          \
	do {                                                                 \
		tap_cur_failed = 0;                                          \
		fn();                                                        \
		tap_count++;                                                 \
		tap_failed += tap_cur_failed;                                \
		printf("%s %d - %s\n", tap_cur_failed ? "not ok" : "ok",     \
		       tap_count, #fn);                                      \
	} while (0)

static int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
