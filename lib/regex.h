/*
 * Regular expressions (PCRE2, UTF mode off so that any bytes can be
 * searched, JIT when available, and a match limit so that a hostile
 * pattern or subject cannot stall a push).  regex.c is the only file
 * that includes pcre2.h.
 */
#ifndef GG_REGEX_H
#define GG_REGEX_H

#include <stddef.h>

struct gg_regex;

enum gg_regex_flags {
	GG_REGEX_CASELESS = (1 << 0),
	GG_REGEX_MULTILINE = (1 << 1)
};

/*
 * Compile `pattern`.  Caller owns the result; free with
 * gg_regex_free().  0, or GG_EINVALID with "<problem> at offset N".
 */
int gg_regex_compile(struct gg_regex **out, const char *pattern,
		     unsigned flags);
void gg_regex_free(struct gg_regex *re);

/*
 * Search `subject` (len bytes).  1 and the match bounds in *start,
 * *end (either may be NULL) when it matches, 0 when not, GG_ELIMIT when
 * the match limit was hit (treat as no match, but say so).
 */
int gg_regex_search(const struct gg_regex *re, const char *subject, size_t len,
		    size_t *start, size_t *end);

/*
 * The same, starting at byte `offset` of `subject` without cutting the
 * subject there: "^" (multiline), "\b" and lookbehinds still see what
 * lies before `offset`, so a caller can walk every match of a subject.
 * With "\K" in the pattern, *start is where the reported match begins.
 * An `offset` past `len` never matches.
 */
int gg_regex_search_at(const struct gg_regex *re, const char *subject,
		       size_t len, size_t offset, size_t *start, size_t *end);

#endif
