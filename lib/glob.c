/*
 * Glob matching with `**`, classes and brace alternation.  The matcher
 * gives up early the way git's wildmatch does (a `*` that reaches a `/`
 * cannot succeed further along), which keeps it polynomial on hostile
 * patterns taken from pushed manifests.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "glob.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_ALTS 256

enum { NOMATCH = 0, MATCH = 1, ABORT_ALL = -1, ABORT_TO_STARSTAR = -2 };

/* Match a class starting after '['; advances *pp past ']'. */
static int match_class(const char **pp, unsigned char c)
{
	const char *p = *pp;
	int negate = 0, matched = 0;

	if (*p == '!' || *p == '^') {
		negate = 1;
		p++;
	}
	if (*p == ']') {
		matched |= c == ']';
		p++;
	}
	while (*p && *p != ']') {
		unsigned char lo = (unsigned char)*p, hi;

		if (lo == '\\' && p[1])
			lo = (unsigned char)*++p;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = (unsigned char)p[2];
			matched |= c >= lo && c <= hi;
			p += 3;
		} else {
			matched |= c == lo;
			p++;
		}
	}
	if (*p == ']')
		p++;
	*pp = p;
	return matched != negate;
}

/*
 * Match the one-character element of the pattern at *pp (a literal, an
 * escaped character, '?' or a class) against `t`, leaving *pp on the
 * element's last character.  1 if it matches.
 */
static int match_char(const char **pp, char t)
{
	const char *p = *pp;
	int ok;

	if (!t)
		return 0;
	switch (*p) {
	case '\\':
		if (p[1])
			p++;
		ok = *p == t;
		break;
	case '?': ok = t != '/'; break;
	case '[':
		if (t == '/')
			return 0;
		p++;
		ok = match_class(&p, (unsigned char)t);
		p--;
		break;
	default: ok = *p == t; break;
	}
	*pp = p;
	return ok;
}

static int wild(const char *p, const char *t);

/* A run of stars at `p`: '*' stays within a segment, "**" crosses them. */
static int stars(const char *p, const char *t)
{
	const char *prev = p;
	int starstar, r;

	while (p[1] == '*')
		p++;
	starstar = p > prev;
	if (!p[1])
		return starstar || !strchr(t, '/') ? MATCH : NOMATCH;
	if (starstar && p[1] == '/') {
		/* "**" + "/": zero or more whole segments */
		for (;;) {
			r = wild(p + 2, t);
			if (r != NOMATCH && r != ABORT_TO_STARSTAR)
				return r;
			t = strchr(t, '/');
			if (!t)
				return ABORT_ALL;
			t++;
		}
	}
	for (; *t; t++) {
		/* the rest may match at the '/' that ends the star's run */
		r = wild(p + 1, t);
		if (r != NOMATCH && (!starstar || r != ABORT_TO_STARSTAR))
			return r;
		if (!starstar && *t == '/')
			return ABORT_TO_STARSTAR;
	}
	return wild(p + 1, t) == MATCH ? MATCH : ABORT_ALL;
}

static int wild(const char *p, const char *t)
{
	for (; *p; p++, t++) {
		if (*p == '*')
			return stars(p, t);
		if (!match_char(&p, *t))
			return *t ? NOMATCH : ABORT_ALL;
	}
	return *t ? NOMATCH : MATCH;
}

/* Find the '}' closing the '{' at s[0]; NULL if unbalanced. */
static const char *brace_end(const char *s)
{
	int depth = 0;

	for (; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		else if (*s == '{')
			depth++;
		else if (*s == '}' && --depth == 0)
			return s;
	}
	return NULL;
}

static int expand(struct gg_strvec *out, const char *prefix, size_t plen,
		  const char *pat)
{
	const char *open = pat, *close, *alt;
	struct gg_buf b = GG_BUF_INIT;
	int err = 0;

	while (*open && *open != '{') {
		if (*open == '\\' && open[1])
			open++;
		open++;
	}
	if (!*open) {
		gg_buf_add(&b, prefix, plen);
		gg_buf_adds(&b, pat);
		if (out->nr >= MAX_ALTS) {
			gg_error_set("glob has more than %d alternatives",
				     MAX_ALTS);
			err = GG_EINVALID;
		} else {
			gg_strvec_push_take(out, gg_buf_detach(&b, NULL));
		}
		goto out;
	}
	close = brace_end(open);
	if (!close) {
		gg_error_set("unbalanced '{' in glob");
		err = GG_EINVALID;
		goto out;
	}
	alt = open + 1;
	while (!err && alt <= close) {
		const char *end = alt;
		int depth = 0;

		while (end < close && (depth || *end != ',')) {
			if (*end == '\\' && end + 1 < close)
				end++;
			else if (*end == '{')
				depth++;
			else if (*end == '}')
				depth--;
			end++;
		}
		gg_buf_reset(&b);
		gg_buf_add(&b, prefix, plen);
		gg_buf_add(&b, pat, (size_t)(open - pat));
		gg_buf_add(&b, alt, (size_t)(end - alt));
		/* the rest may hold more braces; alternatives may too */
		{
			char *head = gg_buf_detach(&b, NULL);
			char *whole = gg_xasprintf("%s%s", head, close + 1);

			err = expand(out, "", 0, whole);
			free(head);
			free(whole);
		}
		alt = end + 1;
	}
out:
	gg_buf_release(&b);
	return err;
}

static int validate(const char *p)
{
	for (; *p; p++) {
		if (*p == '\\') {
			if (!p[1]) {
				gg_error_set("glob ends with a backslash");
				return GG_EINVALID;
			}
			p++;
		} else if (*p == '[') {
			const char *q = p + 1;

			if (*q == '!' || *q == '^')
				q++;
			if (*q == ']')
				q++;
			while (*q && *q != ']')
				q++;
			if (!*q) {
				gg_error_set("unbalanced '[' in glob");
				return GG_EINVALID;
			}
			p = q;
		} else if (*p == '}') {
			gg_error_set("unbalanced '}' in glob");
			return GG_EINVALID;
		}
	}
	return 0;
}

int gg_glob_compile(struct gg_glob *out, const char *pattern)
{
	size_t i;
	int err;

	gg_strvec_init(&out->alts);
	if ((err = expand(&out->alts, "", 0, pattern)) < 0)
		goto fail;
	for (i = 0; i < out->alts.nr; i++)
		if ((err = validate(out->alts.v[i])) < 0)
			goto fail;
	return 0;
fail:
	gg_strvec_release(&out->alts);
	return err;
}

void gg_glob_release(struct gg_glob *g)
{
	gg_strvec_release(&g->alts);
}

int gg_glob_match(const struct gg_glob *g, const char *path)
{
	size_t i;

	for (i = 0; i < g->alts.nr; i++)
		if (wild(g->alts.v[i], path) == MATCH)
			return 1;
	return 0;
}

int gg_glob_match_str(const char *pattern, const char *path)
{
	struct gg_glob g;
	int r;

	if (gg_glob_compile(&g, pattern) < 0)
		return 0;
	r = gg_glob_match(&g, path);
	gg_glob_release(&g);
	return r;
}

int gg_glob_match_dir(const struct gg_glob *g, const char *dir)
{
	char *probe = gg_xasprintf("%s/\x01gg", dir);
	int r = gg_glob_match(g, probe);

	free(probe);
	return r;
}

int gg_glob_has_magic(const char *s)
{
	return !!strpbrk(s, "*?[{\\");
}
