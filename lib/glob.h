/*
 * Path globs, as written in policy files and in Argo CD directory
 * include/exclude and ApplicationSet generator paths.
 *
 * Syntax: `*` matches any run of characters except `/`; `**` matches
 * across `/`, and as a leading segment (`**` + `/`) it also matches zero
 * segments, so `**` + `/x.yaml` matches `x.yaml`, while a trailing `/` +
 * `**` matches everything below a directory, not the directory itself
 * (as in .gitignore); `?` matches one character except `/`; `[abc]`,
 * `[a-z]`, `[!a]` / `[^a]` are classes; `{a,b}` is alternation (nestable,
 * at most 256 expansions); `\` quotes the next character.  A pattern
 * matches the whole path.  Patterns longer than 4096 bytes are refused.
 */
#ifndef GG_GLOB_H
#define GG_GLOB_H

#include "strvec.h"

struct gg_glob {
	struct gg_strvec alts; /* the pattern with braces expanded */
};

#define GG_GLOB_INIT                                                           \
	{                                                                      \
		GG_STRVEC_INIT                                                 \
	}

/*
 * Compile `pattern` into `out` (caller storage; release with
 * gg_glob_release()).  0, or GG_EINVALID with a message naming the
 * problem (unbalanced bracket or brace, trailing backslash, too many
 * alternatives).
 */
int gg_glob_compile(struct gg_glob *out, const char *pattern);
void gg_glob_release(struct gg_glob *g);

/* 1 if `path` matches the compiled glob, else 0. */
int gg_glob_match(const struct gg_glob *g, const char *path);

/* Compile-and-match for one-off uses; an invalid pattern matches nothing. */
int gg_glob_match_str(const char *pattern, const char *path);

/*
 * 1 if the directory `dir` lies inside what the glob covers, i.e. the
 * glob matches some path strictly below `dir` whose last segment has no
 * dot: "envs/prod" followed by "/" and "**" covers envs/prod; a glob
 * that only matches files ending in ".yaml" does not.
 */
int gg_glob_match_dir(const struct gg_glob *g, const char *dir);

/* 1 if `s` contains glob metacharacters. */
int gg_glob_has_magic(const char *s);

#endif
