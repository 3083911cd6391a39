/*
 * Unit tests for glob.c: path globs from policy files and manifests.
 * Hostile patterns must stay fast and must not exhaust the stack.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guard.h"
#include "glob.h"
#include "tap.h"

#define MATCH(pat, path) TAP_CHECK_INT(gg_glob_match_str(pat, path), 1)
#define NOMATCH(pat, path) TAP_CHECK_INT(gg_glob_match_str(pat, path), 0)

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int compile_err(const char *pat)
{
	struct gg_glob g;
	int err = gg_glob_compile(&g, pat);

	if (!err)
		gg_glob_release(&g);
	return err;
}

static char *repeat(const char *s, size_t n)
{
	size_t len = strlen(s), i;
	char *r = malloc(len * n + 1);

	for (i = 0; i < n; i++)
		memcpy(r + i * len, s, len);
	r[len * n] = '\0';
	return r;
}

static void test_glob__literal_paths_match_whole(void)
{
	MATCH("envs/prod/app.yaml", "envs/prod/app.yaml");
	NOMATCH("envs/prod/app.yaml", "envs/prod/app.yaml.bak");
	NOMATCH("envs/prod/app.yaml", "x/envs/prod/app.yaml");
	NOMATCH("envs/prod", "envs/prod/app.yaml");
	MATCH("", "");
	NOMATCH("", "a");
	NOMATCH("a", "");
}

static void test_glob__star_stays_within_a_segment(void)
{
	MATCH("*.yaml", "app.yaml");
	MATCH("*.yaml", ".yaml");
	NOMATCH("*.yaml", "dir/app.yaml");
	MATCH("envs/*/app.yaml", "envs/prod/app.yaml");
	NOMATCH("envs/*/app.yaml", "envs/prod/eu/app.yaml");
	MATCH("envs/prod*", "envs/prod-eu");
	NOMATCH("envs/prod*", "envs/prod-eu/x");
	MATCH("*", "");
	MATCH("*", "anything");
	NOMATCH("*", "a/b");
	MATCH("a*b*c", "abc");
	MATCH("a*b*c", "aXbYbZc");
	NOMATCH("a*b*c", "aXbYbZ");
}

static void test_glob__star_before_a_slash_matches(void)
{
	MATCH("*/x", "a/x");
	MATCH("envs/*/app.yaml", "envs/prod/app.yaml");
	MATCH("envs/prod*/**", "envs/prod-eu/k.yaml");
	MATCH("a/*/b/*/c", "a/1/b/2/c");
	NOMATCH("*/x", "a/b/x");
	NOMATCH("*/x", "/y");
	MATCH("*/x", "/x");
}

static void test_glob__double_star_crosses_segments(void)
{
	MATCH("**", "");
	MATCH("**", "a/b/c.yaml");
	MATCH("envs/**", "envs/prod/app.yaml");
	MATCH("envs/**", "envs/x");
	NOMATCH("envs/**", "other/x");
	MATCH("**.yaml", "a/b/c.yaml");
	MATCH("a/**b", "a/x/yb");
}

static void test_glob__double_star_segment_matches_zero_or_more(void)
{
	MATCH("**/x.yaml", "x.yaml");
	MATCH("**/x.yaml", "a/x.yaml");
	MATCH("**/x.yaml", "a/b/c/x.yaml");
	NOMATCH("**/x.yaml", "ax.yaml");
	NOMATCH("**/x.yaml", "a/bx.yaml");
	MATCH("a/**/b", "a/b");
	MATCH("a/**/b", "a/x/b");
	MATCH("a/**/b", "a/x/y/z/b");
	NOMATCH("a/**/b", "a/xb");
	NOMATCH("a/**/b", "ab");
	MATCH("**/overlays/prod*/**", "apps/guestbook/overlays/prod-eu/k.yaml");
	MATCH("**/overlays/prod*/**", "overlays/prod/k.yaml");
	NOMATCH("**/overlays/prod*/**", "apps/guestbook/overlays/dev/k.yaml");
}

static void test_glob__question_mark(void)
{
	MATCH("?", "a");
	NOMATCH("?", "");
	NOMATCH("?", "ab");
	NOMATCH("?", "/");
	MATCH("env-?/x", "env-1/x");
	NOMATCH("a?b", "a/b");
}

static void test_glob__classes(void)
{
	MATCH("[abc]", "b");
	NOMATCH("[abc]", "d");
	MATCH("v[0-9]", "v7");
	NOMATCH("v[0-9]", "vx");
	MATCH("[!a]", "b");
	NOMATCH("[!a]", "a");
	MATCH("[^a]", "b");
	NOMATCH("[^a]", "a");
	MATCH("[]a]", "]");
	MATCH("[]a]", "a");
	MATCH("[!]]", "x");
	NOMATCH("[!]]", "]");
	MATCH("[a-]", "-");
	MATCH("[\\]]", "]");
	NOMATCH("[a-z]", "/");
	NOMATCH("[!a]", "/");
	NOMATCH("[z-a]", "m");
	MATCH("prod-[a-z][a-z]/*.yaml", "prod-eu/x.yaml");
}

static void test_glob__braces(void)
{
	MATCH("*.{yaml,yml}", "a.yaml");
	MATCH("*.{yaml,yml}", "a.yml");
	NOMATCH("*.{yaml,yml}", "a.json");
	MATCH("envs/{dev,prod{,-eu}}/x", "envs/prod-eu/x");
	MATCH("envs/{dev,prod{,-eu}}/x", "envs/prod/x");
	MATCH("envs/{dev,prod{,-eu}}/x", "envs/dev/x");
	NOMATCH("envs/{dev,prod{,-eu}}/x", "envs/prod-us/x");
	MATCH("{a,b}{1,2}", "b2");
	MATCH("x{}y", "xy");
	MATCH("{a\\,b,c}", "a,b");
	MATCH("{a\\,b,c}", "c");
	NOMATCH("{a\\,b,c}", "a");
}

static void test_glob__escapes(void)
{
	MATCH("\\*", "*");
	NOMATCH("\\*", "a");
	MATCH("a\\?", "a?");
	NOMATCH("a\\?", "ab");
	MATCH("\\[x]", "[x]");
	MATCH("\\{a,b\\}", "{a,b}");
	MATCH("a\\\\b", "a\\b");
}

static void test_glob__invalid_patterns(void)
{
	TAP_CHECK_INT(compile_err("a\\"), GG_EINVALID);
	TAP_CHECK(strstr(gg_error_last(), "backslash"));
	TAP_CHECK_INT(compile_err("[abc"), GG_EINVALID);
	TAP_CHECK(strstr(gg_error_last(), "'['"));
	TAP_CHECK_INT(compile_err("[!]"), GG_EINVALID);
	TAP_CHECK_INT(compile_err("{a,b"), GG_EINVALID);
	TAP_CHECK(strstr(gg_error_last(), "'{'"));
	TAP_CHECK_INT(compile_err("a}"), GG_EINVALID);
	TAP_CHECK(strstr(gg_error_last(), "'}'"));
	TAP_CHECK_INT(compile_err("{a,b}}"), GG_EINVALID);
	TAP_CHECK_INT(compile_err("{a,{b}"), GG_EINVALID);
	/* an escaped '{' opens nothing, so its '}' is unbalanced */
	TAP_CHECK_INT(compile_err("\\{a,b}"), GG_EINVALID);
	/* an invalid pattern matches nothing */
	NOMATCH("[abc", "[abc");
	NOMATCH("a\\", "a\\");
	TAP_CHECK_INT(compile_err("\\}"), 0);
	TAP_CHECK_INT(compile_err("[}]"), 0);
}

static void test_glob__too_many_alternatives(void)
{
	/* 2^8 = 256 expansions are fine, 2^9 are not */
	char *ok = repeat("{a,b}", 8), *bad = repeat("{a,b}", 9);

	TAP_CHECK_INT(compile_err(ok), 0);
	TAP_CHECK_INT(compile_err(bad), GG_EINVALID);
	TAP_CHECK(strstr(gg_error_last(), "alternatives"));
	free(ok);
	free(bad);
}

static void test_glob__match_dir(void)
{
	struct gg_glob g;

	TAP_CHECK_INT(gg_glob_compile(&g, "envs/prod/**"), 0);
	TAP_CHECK_INT(gg_glob_match_dir(&g, "envs/prod"), 1);
	TAP_CHECK_INT(gg_glob_match_dir(&g, "envs/prod/eu"), 1);
	TAP_CHECK_INT(gg_glob_match_dir(&g, "envs"), 0);
	TAP_CHECK_INT(gg_glob_match_dir(&g, "envs/dev"), 0);
	gg_glob_release(&g);
	TAP_CHECK_INT(gg_glob_compile(&g, "envs/prod/*.yaml"), 0);
	TAP_CHECK_INT(gg_glob_match_dir(&g, "envs/prod"), 0);
	gg_glob_release(&g);
	TAP_CHECK_INT(gg_glob_compile(&g, "envs/prod*/**"), 0);
	TAP_CHECK_INT(gg_glob_match_dir(&g, "envs/prod-eu"), 1);
	TAP_CHECK_INT(gg_glob_match_dir(&g, "envs/staging"), 0);
	gg_glob_release(&g);
	TAP_CHECK_INT(gg_glob_compile(&g, "**/overlays/prod/**"), 0);
	TAP_CHECK_INT(gg_glob_match_dir(&g, "apps/x/overlays/prod"), 1);
	TAP_CHECK_INT(gg_glob_match_dir(&g, "apps/x/overlays"), 0);
	gg_glob_release(&g);
}

static void test_glob__has_magic(void)
{
	TAP_CHECK_INT(gg_glob_has_magic("envs/prod"), 0);
	TAP_CHECK_INT(gg_glob_has_magic("envs/*"), 1);
	TAP_CHECK_INT(gg_glob_has_magic("a?"), 1);
	TAP_CHECK_INT(gg_glob_has_magic("[a]"), 1);
	TAP_CHECK_INT(gg_glob_has_magic("{a}"), 1);
	TAP_CHECK_INT(gg_glob_has_magic("a\\b"), 1);
}

static void test_glob__hostile_stars_finish_fast(void)
{
	static const char *const pats[] = {
		"*a*a*a*a*a*a*b",     "**a**a**a**a**a**a**b",
		"*a*a*a*a*a*a*a*a*/", "**/*a*a*a*a*a*a*b/**",
		"a*a*a*a*a*a*?b",     "**a*a**a*a**a*a**b",
		NULL
	};
	struct timespec t0;
	char *text = repeat("a", 100000);
	char *slashes = repeat("aaaaaaaa/", 10000);
	size_t i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; pats[i]; i++) {
		NOMATCH(pats[i], text);
		NOMATCH(pats[i], slashes);
	}
	TAP_CHECK(seconds_since(&t0) < 2.0);
	free(text);
	free(slashes);
}

int main(void)
{
	TAP_RUN(test_glob__literal_paths_match_whole);
	TAP_RUN(test_glob__star_stays_within_a_segment);
	TAP_RUN(test_glob__star_before_a_slash_matches);
	TAP_RUN(test_glob__double_star_crosses_segments);
	TAP_RUN(test_glob__double_star_segment_matches_zero_or_more);
	TAP_RUN(test_glob__question_mark);
	TAP_RUN(test_glob__classes);
	TAP_RUN(test_glob__braces);
	TAP_RUN(test_glob__escapes);
	TAP_RUN(test_glob__invalid_patterns);
	TAP_RUN(test_glob__too_many_alternatives);
	TAP_RUN(test_glob__match_dir);
	TAP_RUN(test_glob__has_magic);
	TAP_RUN(test_glob__hostile_stars_finish_fast);
	return tap_done();
}
