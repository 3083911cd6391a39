/*
 * Semantic versions and the version ranges of Argo CD and Flux over git
 * tags: parsing, ordering, and matching a range in one pass over its
 * text (semver.h states the syntax and what each operator means).
 */
#include <string.h>

#include "error.h"
#include "semver.h"
#include "banned.h"

enum op { OP_EQ, OP_NE, OP_GT, OP_GE, OP_LT, OP_LE, OP_TILDE, OP_CARET };

/* One comparator: the version with missing parts 0, and how many parts
 * were given before a wildcard or the end (0: a lone wildcard). */
struct cmp {
	enum op op;
	struct gg_semver v;
	int n;
};

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_ident(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '-';
}

static int is_wild(char c)
{
	return c == 'x' || c == 'X' || c == '*';
}

static const char *skip_ws(const char *p)
{
	while (is_ws(*p))
		p++;
	return p;
}

/* A decimal number that fits in 64 bits; the end, or NULL. */
static const char *number(uint64_t *out, const char *p)
{
	const char *start = p;
	uint64_t n = 0;

	for (; is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (n > (UINT64_MAX - d) / 10)
			return NULL;
		n = n * 10 + d;
	}
	*out = n;
	return p == start ? NULL : p;
}

/* Dot-separated identifiers; in a pre-release a numeric one has no
 * leading zero.  The end, or NULL. */
static const char *idents(const char *p, int pre)
{
	for (;;) {
		const char *s = p;
		int digits = 1;

		for (; is_ident(*p); p++)
			digits &= is_digit(*p);
		if (p == s || (pre && digits && p - s > 1 && *s == '0'))
			return NULL;
		if (*p != '.')
			return p;
		p++;
	}
}

/*
 * A version at `p`: the end, or NULL.  With `wild`, a part may be a
 * wildcard (the parts from it on are not given) and must not run into
 * another part character ("1x", "xx" are not versions); *n says how
 * many parts were given.
 */
static const char *version_at(struct gg_semver *out, int *n, const char *p,
			      int wild)
{
	uint64_t *part[3], tmp;
	int i, given = 1;

	memset(out, 0, sizeof(*out));
	part[0] = &out->major;
	part[1] = &out->minor;
	part[2] = &out->patch;
	*n = 0;
	if (*p == 'v')
		p++;
	for (i = 0; i < 3; i++) {
		if (i && *p != '.')
			break;
		if (i)
			p++;
		if (wild && is_wild(*p)) {
			given = 0;
			p++;
		} else if (!(p = number(&tmp, p))) {
			return NULL;
		} else if (given) {
			*part[i] = tmp;
			++*n;
		}
		if (wild && (is_digit(*p) || is_wild(*p)))
			return NULL;
	}
	if (*p == '-') {
		out->pre = ++p;
		if (!(p = idents(p, 1)))
			return NULL;
		out->pre_len = (size_t)(p - out->pre);
	}
	if (*p == '+' && !(p = idents(p + 1, 0)))
		return NULL;
	return p;
}

int gg_semver_parse(struct gg_semver *out, const char *s)
{
	int n;

	s = version_at(out, &n, s, 0);
	return s && !*s ? 0 : GG_EINVALID;
}

/* --- order ---------------------------------------------------------------- */

static int num_cmp(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

static int ident_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int anum = all_digits(a, an), bnum = all_digits(b, bn), c;

	if (anum != bnum)
		return anum ? -1 : 1; /* numbers come before words */
	if (anum && an != bn)
		return an < bn ? -1 : 1; /* no leading zeros */
	c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c < 0 ? -1 : 1;
	return num_cmp(an, bn);
}

static int pre_cmp(const struct gg_semver *a, const struct gg_semver *b)
{
	const char *p = a->pre, *q = b->pre;
	const char *pe = p + a->pre_len, *qe = q + b->pre_len;

	for (;;) {
		const char *pd = memchr(p, '.', (size_t)(pe - p));
		const char *qd = memchr(q, '.', (size_t)(qe - q));
		size_t pn = pd ? (size_t)(pd - p) : (size_t)(pe - p);
		size_t qn = qd ? (size_t)(qd - q) : (size_t)(qe - q);
		int c = ident_cmp(p, pn, q, qn);

		if (c)
			return c;
		if (!pd || !qd)
			return !pd && !qd ? 0 : pd ? 1 : -1;
		p = pd + 1;
		q = qd + 1;
	}
}

int gg_semver_cmp(const struct gg_semver *a, const struct gg_semver *b)
{
	int c = num_cmp(a->major, b->major);

	if (!c)
		c = num_cmp(a->minor, b->minor);
	if (!c)
		c = num_cmp(a->patch, b->patch);
	if (c || (!a->pre && !b->pre))
		return c;
	if (!a->pre || !b->pre)
		return a->pre ? -1 : 1;
	return pre_cmp(a, b);
}

/* --- comparators ---------------------------------------------------------- */

static int tilde(const struct cmp *c, const struct gg_semver *v)
{
	const struct gg_semver *w = &c->v;

	if (gg_semver_cmp(v, w) < 0)
		return 0;
	if (!c->n || (c->n == 3 && !w->major && !w->minor && !w->patch))
		return 1; /* ~* and ~0.0.0: any */
	if (v->major != w->major)
		return 0;
	return c->n == 1 || v->minor == w->minor;
}

static int caret(const struct cmp *c, const struct gg_semver *v)
{
	const struct gg_semver *w = &c->v;

	if (gg_semver_cmp(v, w) < 0)
		return 0;
	if (!c->n)
		return 1;
	if (w->major || c->n == 1)
		return v->major == w->major;
	if (v->major)
		return 0;
	if (w->minor || c->n == 2)
		return v->minor == w->minor;
	return v->patch == w->patch;
}

static int check(const struct cmp *c, const struct gg_semver *v)
{
	const struct gg_semver *w = &c->v;

	/* a pre-release only where the comparator names one */
	if (v->pre && !w->pre && !(c->op == OP_NE && c->n == 3))
		return 0;
	switch (c->op) {
	case OP_EQ: return c->n == 3 ? !gg_semver_cmp(v, w) : tilde(c, v);
	case OP_TILDE: return tilde(c, v);
	case OP_CARET: return caret(c, v);
	case OP_NE:
		if (!c->n || c->n == 3)
			return c->n && gg_semver_cmp(v, w) != 0;
		return v->major != w->major ||
		       (c->n == 2 && v->minor != w->minor);
	case OP_GT:
		if (!c->n || c->n == 3)
			return gg_semver_cmp(v, w) > 0;
		if (v->major != w->major)
			return v->major > w->major;
		return c->n == 2 && v->minor > w->minor;
	case OP_GE: return gg_semver_cmp(v, w) >= 0;
	case OP_LT: return gg_semver_cmp(v, w) < 0;
	case OP_LE:
		if (!c->n)
			return 1;
		if (c->n == 3)
			return gg_semver_cmp(v, w) <= 0;
		if (v->major != w->major)
			return v->major < w->major;
		return c->n == 1 || v->minor <= w->minor;
	}
	return 0;
}

/* The operator at `p` (none is "="); *bare when none is written. */
static const char *read_op(enum op *out, int *bare, const char *p)
{
	static const struct {
		const char *s;
		enum op op;
	} ops[] = { { "!=", OP_NE },   { ">=", OP_GE },	 { "=>", OP_GE },
		    { "<=", OP_LE },   { "=<", OP_LE },	 { "~>", OP_TILDE },
		    { ">", OP_GT },    { "<", OP_LT },	 { "=", OP_EQ },
		    { "~", OP_TILDE }, { "^", OP_CARET } };
	size_t i, n;

	*bare = 0;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		n = strlen(ops[i].s);
		if (!strncmp(p, ops[i].s, n)) {
			*out = ops[i].op;
			return p + n;
		}
	}
	*out = OP_EQ;
	*bare = 1;
	return p;
}

/*
 * The comparator at `p`, judged against `v` into *ok; a hyphen range
 * "A - B" is two.  The end, or NULL when it does not parse.
 */
static const char *comparator(int *ok, const char *p, const struct gg_semver *v)
{
	struct cmp c, hi;
	const char *q;
	int bare;

	p = read_op(&c.op, &bare, p);
	if (!(p = version_at(&c.v, &c.n, skip_ws(p), 1)))
		return NULL;
	*ok = check(&c, v);
	q = skip_ws(p);
	if (!bare || q == p || *q != '-' || !is_ws(q[1]))
		return p;
	/* A - B: >=A <=B */
	c.op = OP_GE;
	hi.op = OP_LE;
	if (!(p = version_at(&hi.v, &hi.n, skip_ws(q + 1), 1)))
		return NULL;
	*ok = check(&c, v) && check(&hi, v);
	return p;
}

int gg_semver_match(const char *range, const struct gg_semver *v)
{
	const char *p = range;
	int any = 0, all = 1, ok, ncmp = 0;

	for (;;) {
		p = skip_ws(p);
		if (!*p || (p[0] == '|' && p[1] == '|')) {
			if (!ncmp)
				return GG_EINVALID; /* an empty group */
			any |= all;
			if (!*p)
				return any;
			p += 2;
			all = 1;
			ncmp = 0;
			continue;
		}
		if (!(p = comparator(&ok, p, v)))
			return GG_EINVALID;
		all &= ok;
		ncmp++;
		p = skip_ws(p);
		if (*p == ',')
			p++;
	}
}

int gg_semver_range_valid(const char *range)
{
	struct gg_semver zero;

	memset(&zero, 0, sizeof(zero));
	return range && gg_semver_match(range, &zero) >= 0;
}

int gg_semver_is_range(const char *rev)
{
	struct gg_semver v;

	return rev && gg_semver_parse(&v, rev) < 0 &&
	       gg_semver_range_valid(rev);
}

int gg_semver_tag_in(const char *range, const char *prefix, const char *tag,
		     struct gg_semver *out)
{
	size_t n = prefix ? strlen(prefix) : 0;
	struct gg_semver v;

	if (strncmp(tag, prefix ? prefix : "", n) ||
	    gg_semver_parse(&v, tag + n) < 0 || gg_semver_match(range, &v) != 1)
		return 0;
	if (out)
		*out = v;
	return 1;
}
