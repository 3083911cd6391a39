/*
 * Semantic versions and version ranges as Argo CD and Flux read them on
 * git tags (both use Masterminds semver v3): which tags a range such as
 * ">=1.0.0" or "^1.2" selects.  Pure string work, no allocation.
 *
 * A version (a tag name, after a tag prefix is taken off):
 *   [v] MAJOR [. MINOR [. PATCH]] [- PRERELEASE] [+ BUILD]
 * with decimal numbers that fit in 64 bits, missing parts 0 ("v1.2" is
 * 1.2.0); PRERELEASE and BUILD are dot-separated identifiers of
 * [0-9A-Za-z-], a numeric PRERELEASE identifier without leading zeros.
 * Versions order as semver 2.0 says: numbers first, then a version with
 * a pre-release below the same one without, pre-release identifiers
 * compared one by one (numbers numerically and below words, words in
 * ASCII order, a shorter list below a longer one it starts); BUILD is
 * ignored.
 *
 * A range is comparators joined by spaces or commas (AND) in groups
 * joined by "||" (OR).  A comparator is an operator and a version in
 * which MINOR and PATCH may be missing or a wildcard (x, X or *; what
 * follows a wildcard is ignored):
 *   =V or V      exactly V; with a part missing or a wildcard, as ~V
 *   !=V          anything but V ("!=1.2" anything outside 1.2.x)
 *   >V  >=V  <V  <=V (also => =<) against V with missing parts 0, except
 *                that >1 is >=2.0.0, >1.2 is >=1.3.0, <=1 is <2.0.0 and
 *                <=1.2 is <1.3.0
 *   ~V (~>V)     >=V and the same MAJOR.MINOR ("~1" the same MAJOR);
 *                ~0.0.0 is any version
 *   ^V           >=V and the same leftmost non-zero part given:
 *                ^1.2.3 <2.0.0, ^0.2.3 <0.3.0, ^0.0.3 <0.0.4, ^0 <1.0.0,
 *                ^0.0 <0.1.0
 *   A - B        (spaces around the hyphen) >=A <=B
 * A lone wildcard ("*", "x", "=*", "^*", ">=*", "<=*") matches every
 * version; "<*" and "!=*" match none, ">*" every one above 0.0.0.
 *
 * Pre-releases: a version with a pre-release satisfies a comparator only
 * when the comparator's version has a pre-release too (any), except "!="
 * with a full version; so ">=1.0.0" never matches "1.1.0-rc.1",
 * ">=1.0.0-0" matches it, and ">=1.0.0-0 <2.0.0" does not (every
 * comparator of the group must admit it).
 */
#ifndef GG_SEMVER_H
#define GG_SEMVER_H

#include <stddef.h>
#include <stdint.h>

struct gg_semver {
	uint64_t major, minor, patch;
	const char *pre; /* borrowed from the parsed text; NULL: none */
	size_t pre_len;
};

/* Parse version `s` (the whole string).  0, or GG_EINVALID (no message
 * is set: most tags are not versions). */
int gg_semver_parse(struct gg_semver *out, const char *s);

/* <0, 0, >0 as `a` is below, equal to (build ignored) or above `b`. */
int gg_semver_cmp(const struct gg_semver *a, const struct gg_semver *b);

/* 1 if `v` is in `range`, 0 if not, GG_EINVALID if `range` does not
 * parse (no message is set). */
int gg_semver_match(const char *range, const struct gg_semver *v);

/* 1 if `range` parses as a range (a plain version does too). */
int gg_semver_range_valid(const char *range);

/*
 * 1 if `rev` is a range and not a version: an Argo CD targetRevision
 * that selects among tags ("1.x", ">=1.0.0") rather than naming one
 * ("1.0", "v1.2.3" name the tag of that name).
 */
int gg_semver_is_range(const char *rev);

/*
 * 1 if tag `tag` (the name without refs/tags/) starts with `prefix`
 * (NULL: no prefix) and the rest is a version in `range`; 0 otherwise,
 * also for an invalid range.  With `out`, the version is stored there
 * (borrowing from `tag`).
 */
int gg_semver_tag_in(const char *range, const char *prefix, const char *tag,
		     struct gg_semver *out);

#endif
