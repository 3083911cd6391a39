/*
 * Credential patterns, placeholders, env files, base64 and fingerprints
 * for secret/plaintext (secretscan.h).  The patterns are ordered from
 * the most specific (a token format) to the most general (a field whose
 * name says password), which decides the name of overlapping hits.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "regex.h"
#include "secretscan.h"
#include "secretscan-internal.h"
#include "sha256.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_HITS GG_SECRET_MAX_HITS
#define MAX_PARENT_LINES 500

enum pat_flags {
	P_FIELD = (1 << 0), /* the match starts a field's value: the value
			     * runs to the end of the line, is unquoted
			     * and may be a non-value (true, a block) */
	P_ENV = (1 << 1)    /* ... of an env entry: its key is the name */
};

/*
 * Words (lowercase; ASCII case ignored, as the patterns are not in UTF
 * mode) one of which every match of a general pattern holds: a text
 * without any of them cannot match, and is not searched with it.  The
 * token formats start with literals that PCRE2 finds quickly itself.
 */
static const char *const url_words[] = { "://", NULL };
static const char *const field_words[] = {
	"pass",	  "secret",  "token",	"private", /* password, passwd, ... */
	"apikey", "api_key", "api.key", "api-key", NULL
};

static const struct {
	const char *what;
	const char *re;
	unsigned flags;
	const char *const *need; /* words one of which every match holds */
} builtin[] = {
	{ "private key",
	  "-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----"
	  "(?:(?:[^-]++|-(?!----))*?"
	  "-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----)?",
	  0, NULL },
	{ "AWS access key id",
	  "(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])", 0,
	  NULL },
	{ "GCP API key",
	  "(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])", 0, NULL },
	{ "Azure storage account key",
	  "(?i:AccountKey)=\\K[A-Za-z0-9+/]{40,}={0,2}", 0, NULL },
	{ "Azure client secret",
	  "(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}"
	  "(?![A-Za-z0-9_~.-])",
	  0, NULL },
	{ "GitHub token",
	  "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|"
	  "github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])",
	  0, NULL },
	{ "GitLab token",
	  "(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|soat|cbt|agent)-"
	  "[A-Za-z0-9_-]{20,}",
	  0, NULL },
	{ "Slack token", "(?<![A-Za-z0-9-])xox[abposr]-[A-Za-z0-9-]{10,}", 0,
	  NULL },
	{ "Slack webhook",
	  "https://hooks\\.slack\\.com/services/T[A-Za-z0-9_]+/"
	  "B[A-Za-z0-9_]+/[A-Za-z0-9_]{16,}",
	  0, NULL },
	{ "Kubernetes client key",
	  "(?i)(?:client-key-data|keyData)[\"']?[ \\t]*:[ \\t]*[\"']?"
	  "\\K[A-Za-z0-9+/]{20,}={0,2}",
	  0, NULL },
	{ "password in a URL",
	  "(?i)\\b[a-z][a-z0-9+.-]*://[^/\\s:@'\"]+:\\K[^/\\s:@'\"]+(?=@)", 0,
	  url_words },
	{ "password-like field",
	  "(?i)(?<![A-Za-z0-9_.-])[\"']?[A-Za-z0-9_.-]*?"
	  "(?:password|passwd|passphrase|secret[_.-]?(?:access[_.-]?)?key|"
	  "client[_.-]?secret|api[_.-]?key|private[_.-]?key|token)"
	  "[\"']?[ \\t]*[:=][ \\t]*\\K[^ \\t\\r\\n#]",
	  P_FIELD, field_words },
	{ "password-like env var",
	  "(?im)^[ \\t]*-?[ \\t]*\\{?[ \\t]*[\"']?name[\"']?[ \\t]*:[ \\t]*[\"']?"
	  "[A-Za-z0-9_.-]*(?:password|passwd|passphrase|secret[_.-]?"
	  "(?:access[_.-]?)?key|client[_.-]?secret|api[_.-]?key|"
	  "private[_.-]?key|token)[\"']?[ \\t]*(?:,?\\r?\\n[ \\t]*|,[ \\t]*)"
	  "[\"']?value[\"']?[ \\t]*:[ \\t]*\\K[^ \\t\\r\\n#]",
	  P_FIELD | P_ENV, field_words },
};

#define NBUILTIN (sizeof(builtin) / sizeof(*builtin))

struct gg_secretscan {
	struct gg_regex **pats;
	char **whats; /* owned names of the extra patterns */
	const char **names;
	unsigned *flags;
	size_t npats;
	struct gg_regex **holders;
	size_t nholders;
};

static int compile_all(struct gg_regex **out, const char *what,
		       const struct gg_strvec *v, size_t *n)
{
	size_t i;

	for (i = 0; v && i < v->nr; i++) {
		if (gg_regex_compile(&out[*n], v->v[i], 0) < 0) {
			gg_error_prefix("%s '%s'", what, v->v[i]);
			return GG_EINVALID;
		}
		(*n)++;
	}
	return 0;
}

int gg_secretscan_new(struct gg_secretscan **out, const struct gg_strvec *extra,
		      const struct gg_strvec *placeholders)
{
	struct gg_secretscan *ss = gg_xcalloc(1, sizeof(*ss));
	size_t nextra = extra ? extra->nr : 0, i;
	int err;

	ss->pats = gg_xcalloc(NBUILTIN + nextra, sizeof(*ss->pats));
	ss->names = gg_xcalloc(NBUILTIN + nextra, sizeof(*ss->names));
	ss->flags = gg_xcalloc(NBUILTIN + nextra, sizeof(*ss->flags));
	ss->whats = gg_xcalloc(nextra + 1, sizeof(*ss->whats));
	ss->holders = gg_xcalloc(placeholders ? placeholders->nr + 1 : 1,
				 sizeof(*ss->holders));
	for (i = 0; i < NBUILTIN; i++) {
		if (gg_regex_compile(&ss->pats[i], builtin[i].re, 0) < 0)
			GG_BUG("built-in pattern '%s': %s", builtin[i].what,
			       gg_error_last());
		ss->names[i] = builtin[i].what;
		ss->flags[i] = builtin[i].flags;
	}
	ss->npats = NBUILTIN;
	for (i = 0; i < nextra; i++) {
		ss->whats[i] = gg_xasprintf("extra pattern #%zu", i + 1);
		ss->names[NBUILTIN + i] = ss->whats[i];
	}
	err = compile_all(ss->pats, "secret pattern", extra, &ss->npats);
	if (!err)
		err = compile_all(ss->holders, "placeholder pattern",
				  placeholders, &ss->nholders);
	if (err < 0) {
		gg_secretscan_free(ss);
		ss = NULL;
	}
	*out = ss;
	return err;
}

void gg_secretscan_free(struct gg_secretscan *ss)
{
	size_t i;

	if (!ss)
		return;
	for (i = 0; i < ss->npats; i++)
		gg_regex_free(ss->pats[i]);
	for (i = 0; ss->whats[i]; i++)
		free(ss->whats[i]);
	for (i = 0; i < ss->nholders; i++)
		gg_regex_free(ss->holders[i]);
	free(ss->pats);
	free(ss->names);
	free(ss->flags);
	free(ss->whats);
	free(ss->holders);
	free(ss);
}

/* --- values --------------------------------------------------------------- */

int gg_secretscan__is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int gg_secretscan__is_keych(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* The indentation of the line at `ls`, a "- " of a list item included;
 * (size_t)-1 for a blank line. */
static size_t indent_of(const char *text, size_t len, size_t ls)
{
	size_t p = ls;

	while (p < len && (text[p] == ' ' || (text[p] == '-' && p + 1 < len &&
					      text[p + 1] == ' ')))
		p++;
	if (p == len || text[p] == '\n' || text[p] == '\r')
		return (size_t)-1;
	return p - ls;
}

/* Trim whitespace and one pair of matching quotes. */
static void trim(const char **v, size_t *len)
{
	while (*len && gg_secretscan__is_space(**v)) {
		(*v)++;
		(*len)--;
	}
	while (*len && gg_secretscan__is_space((*v)[*len - 1]))
		(*len)--;
	if (*len >= 2 && (**v == '"' || **v == '\'') && (*v)[*len - 1] == **v) {
		(*v)++;
		*len -= 2;
	}
}

int gg_secretscan_placeholder(const struct gg_secretscan *ss, const char *v,
			      size_t len)
{
	size_t i;

	trim(&v, &len);
	for (i = 0; i < ss->nholders; i++)
		if (gg_regex_search(ss->holders[i], v, len, NULL, NULL) == 1)
			return 1;
	return 0;
}

int gg_secretscan_sops_value(const char *v, size_t len)
{
	trim(&v, &len);
	return len >= 5 && !strncmp(v, "ENC[", 4) && v[len - 1] == ']';
}

/* A field value that is not a value: a boolean, null, a nested
 * collection, an alias or a tag. */
int gg_secretscan__not_a_value(const char *v, size_t len)
{
	static const char *const words[] = {
		"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"
	};
	size_t i;

	if (!len || strchr("{[*&!", *v))
		return 1;
	for (i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strlen(words[i]) == len && !strncasecmp(v, words[i], len))
			return 1;
	return 0;
}

/* The text of a block scalar ("key: |" and the lines below it that are
 * indented more than the key's line), or 0 when it has none. */
static int block_value(const char *text, size_t len, size_t *s, size_t *e)
{
	size_t ls = *s, p, ind, first = 0, last = 0;

	while (ls > 0 && text[ls - 1] != '\n')
		ls--;
	ind = indent_of(text, len, ls);
	for (p = *s; p < len && text[p] != '\n'; p++)
		;
	while (p < len) {
		size_t l = p + 1, li = indent_of(text, len, l), q;

		for (q = l; q < len && text[q] != '\n'; q++)
			;
		if (li != (size_t)-1 && li <= ind)
			break;
		if (li != (size_t)-1) {
			first = first ? first : l + li;
			last = q;
		}
		p = q;
	}
	*s = first;
	*e = last;
	return first && last > first;
}

/*
 * A field's value from `*s` (its first byte) to the end of the line:
 * the inside of a quoted value, the lines of a block scalar, else the
 * text before a " #" comment (or the end of a flow collection's entry)
 * without trailing blanks or a JSON comma.
 * 0 if there is no value.
 */
int gg_secretscan__field_value(const char *text, size_t len, size_t *s,
			       size_t *e)
{
	size_t eol = *s, i, ls;
	char q = text[*s];
	int flow;

	while (eol < len && text[eol] != '\n')
		eol++;
	if (q == '"' || q == '\'') {
		for (i = *s + 1; i < eol; i++) {
			if (q == '"' && text[i] == '\\' && i + 1 < eol)
				i++;
			else if (text[i] == q)
				break;
		}
		(*s)++;
		*e = i;
		return 1;
	}
	if (q == '|' || q == '>')
		return block_value(text, len, s, e);
	for (ls = *s; ls > 0 && text[ls - 1] != '\n'; ls--)
		;
	/* in a flow collection ({a: b, c: d}) a plain value ends at , } ] */
	flow = memchr(text + ls, '{', *s - ls) ||
	       memchr(text + ls, '[', *s - ls);
	for (i = *s; i < eol; i++)
		if ((text[i] == '#' && i > *s &&
		     gg_secretscan__is_space(text[i - 1])) ||
		    (flow && strchr(",}]", text[i])))
			break;
	while (i > *s &&
	       (gg_secretscan__is_space(text[i - 1]) || text[i - 1] == ','))
		i--;
	*e = i;
	return !gg_secretscan__not_a_value(text + *s, *e - *s);
}

/* --- the key a value belongs to ------------------------------------------- */

void gg_secretscan__copy_key(char out[64], const char *k, size_t n)
{
	if (n > 63)
		n = 63;
	memcpy(out, k, n);
	out[n] = '\0';
}

/* The key written right before `pos` on its line ("key: ", "key=", with
 * quotes), or 0. */
static int key_before(char out[64], const char *text, size_t ls, size_t pos)
{
	size_t p = pos, e;

	while (p > ls && strchr(" \t\"'", text[p - 1]))
		p--;
	if (p == ls || (text[p - 1] != ':' && text[p - 1] != '='))
		return 0;
	p--;
	while (p > ls && strchr(" \t\"'", text[p - 1]))
		p--;
	e = p;
	while (p > ls && gg_secretscan__is_keych(text[p - 1]))
		p--;
	/* a key starts a line or follows a blank, a quote or a bracket; the
	 * "user" of https://user:pass@host does not */
	if (e == p || (p > ls && !strchr(" \t\"'{[,", text[p - 1])))
		return 0;
	gg_secretscan__copy_key(out, text + p, e - p);
	return 1;
}

/* The leading "key:" of the line at `ls` when its value starts at or
 * before `pos`, or 0. */
static int line_key(char out[64], const char *text, size_t len, size_t ls,
		    size_t pos)
{
	size_t p = ls, k;

	while (p < len && (text[p] == ' ' || text[p] == '\t'))
		p++;
	if (p + 1 < len && text[p] == '-' && text[p + 1] == ' ')
		p += 2;
	while (p < len && (text[p] == '"' || text[p] == '\''))
		p++;
	k = p;
	while (p < len && gg_secretscan__is_keych(text[p]))
		p++;
	if (p == k || p > pos)
		return 0;
	gg_secretscan__copy_key(out, text + k, p - k);
	while (p < len && (text[p] == '"' || text[p] == '\'' || text[p] == ' '))
		p++;
	return p < len && (text[p] == ':' || text[p] == '=') && p < pos;
}

/* The key of the nearest line above `ls` that is indented less: the
 * parent of a block scalar's text. */
static void parent_key(char out[64], const char *text, size_t len, size_t ls)
{
	size_t ind = indent_of(text, len, ls), n;

	for (n = 0; ls > 0 && n < MAX_PARENT_LINES; n++) {
		size_t prev = ls - 1;

		while (prev > 0 && text[prev - 1] != '\n')
			prev--;
		ls = prev;
		if (indent_of(text, len, ls) >= ind)
			continue;
		if (line_key(out, text, len, ls, len))
			return;
		out[0] = '\0';
		return;
	}
}

/* An env entry's name: on the value's line ({name: X, value: Y}) or on
 * the line above it. */
static void env_name(char out[64], const char *text, size_t ls, size_t pos)
{
	size_t p = ls ? ls - 1 : 0, e, k;
	const char *same = memmem(text + ls, pos - ls, "name", 4);

	while (p > 0 && text[p - 1] != '\n')
		p--;
	if (same)
		p = (size_t)(same - text);
	p += strcspn(text + p, ":\n");
	if (text[p] != ':')
		return;
	for (p++; text[p] == ' ' || text[p] == '\t' || text[p] == '"' ||
		  text[p] == '\'';
	     p++)
		;
	for (k = p, e = p; gg_secretscan__is_keych(text[e]); e++)
		;
	gg_secretscan__copy_key(out, text + k, e - k);
}

static void key_of(char out[64], const char *text, size_t len, size_t pos,
		   unsigned flags)
{
	size_t ls = pos;
	int field = !!(flags & P_FIELD);

	out[0] = '\0';
	while (ls > 0 && text[ls - 1] != '\n')
		ls--;
	if (flags & P_ENV) {
		env_name(out, text, ls, pos);
		return;
	}
	/* a field's key precedes it; any other value belongs to the key
	 * that starts its line or precedes it, else to its block's parent */
	if (field ? key_before(out, text, ls, pos)
		  : line_key(out, text, len, ls, pos) ||
			    key_before(out, text, ls, pos))
		return;
	out[0] = '\0';
	parent_key(out, text, len, ls);
}

/* --- scanning ------------------------------------------------------------- */

struct hit {
	size_t start, end, pat;
	int overflow;
};

struct hits {
	struct hit *v;
	size_t nr, alloc;
};

static void add_hit(struct hits *h, size_t s, size_t e, size_t k, int overflow)
{
	GG_ALLOC_GROW(h->v, h->nr + 1, h->alloc);
	h->v[h->nr].start = s;
	h->v[h->nr].end = e;
	h->v[h->nr].pat = k;
	h->v[h->nr].overflow = overflow;
	h->nr++;
}

/* The hits of pattern `k`, placeholders left out before they count: at
 * most MAX_HITS, and past them one overflow hit from where the first
 * hit that did not fit starts to the end of the text. */
static void scan_one(const struct gg_secretscan *ss, size_t k, const char *text,
		     size_t len, struct hits *h, int *limited)
{
	size_t off = 0, s, e, n = 0;
	int r;

	while ((r = gg_regex_search_at(ss->pats[k], text, len, off, &s, &e)) ==
	       1) {
		size_t next = e > off ? e : off + 1;

		if ((ss->flags[k] & P_FIELD) &&
		    !gg_secretscan__field_value(text, len, &s, &e))
			s = e = 0;
		if (e > s && !gg_secretscan_placeholder(ss, text + s, e - s)) {
			if (n++ == MAX_HITS) {
				add_hit(h, s, len, k, 1);
				break;
			}
			add_hit(h, s, e, k, 0);
			next = e > next ? e : next;
		}
		off = next;
	}
	if (r == GG_ELIMIT && limited)
		*limited = 1;
}

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->pat < y->pat ? -1 : x->pat > y->pat;
}

/* 1 if `text` holds one of `words` (lowercase), ASCII case ignored. */
static int holds_word(const char *text, size_t len, const char *const *words)
{
	unsigned char first[256];
	size_t i, k, n;

	if (!words[1] && !strpbrk(words[0], "abcdefghijklmnopqrstuvwxyz"))
		return !!memmem(text, len, words[0], strlen(words[0]));
	memset(first, 0, sizeof(first));
	for (k = 0; words[k]; k++) {
		first[(unsigned char)words[k][0]] = 1;
		first[(unsigned char)words[k][0] & 0xdf] = 1;
	}
	for (i = 0; i < len; i++) {
		if (!first[(unsigned char)text[i]])
			continue;
		for (k = 0; words[k]; k++) {
			n = strlen(words[k]);
			if (n <= len - i && !strncasecmp(text + i, words[k], n))
				return 1;
		}
	}
	return 0;
}

int gg_secretscan_text(const struct gg_secretscan *ss, const char *text,
		       size_t len, int *limited, gg_secret_hit_fn cb,
		       void *payload)
{
	struct hits h = { NULL, 0, 0 };
	size_t k, i, last_end = 0, line = 1, counted = 0;
	const char *const *tried = NULL;
	int r = 0, held = 0;

	for (k = 0; k < ss->npats; k++) {
		const char *const *need = k < NBUILTIN ? builtin[k].need : NULL;

		if (need && need != tried) {
			tried = need;
			held = holds_word(text, len, need);
		}
		if (!need || held)
			scan_one(ss, k, text, len, &h, limited);
	}
	if (h.nr)
		qsort(h.v, h.nr, sizeof(*h.v), cmp_hit);
	for (i = 0; i < h.nr && !r; i++) {
		struct gg_secret_hit hit;

		if (h.v[i].start < last_end && !h.v[i].overflow)
			continue; /* overlaps a more specific hit */
		if (!h.v[i].overflow)
			last_end = h.v[i].end;
		for (; counted < h.v[i].start; counted++)
			line += text[counted] == '\n';
		memset(&hit, 0, sizeof(hit));
		hit.start = h.v[i].start;
		hit.end = h.v[i].end;
		hit.line = (unsigned)line;
		hit.what = ss->names[h.v[i].pat];
		hit.overflow = h.v[i].overflow;
		if (!hit.overflow)
			key_of(hit.key, text, len, hit.start,
			       ss->flags[h.v[i].pat]);
		r = cb(&hit, payload);
	}
	free(h.v);
	return r;
}

/* --- env files ------------------------------------------------------------ */

int gg_secretscan_env(const char *text, size_t len, gg_env_line_fn cb,
		      void *payload)
{
	size_t p = 0;
	unsigned line = 0;
	int r = 0;

	while (p < len && !r) {
		const char *l = text + p, *eq, *k, *v;
		size_t n = 0, kl, vl;

		while (p + n < len && text[p + n] != '\n')
			n++;
		p += n + 1;
		line++;
		eq = memchr(l, '=', n);
		k = l;
		kl = eq ? (size_t)(eq - l) : 0;
		trim(&k, &kl);
		if (!eq || !kl || *k == '#')
			continue;
		v = eq + 1;
		vl = n - (size_t)(v - l);
		trim(&v, &vl);
		r = cb(k, kl, v, vl, line, payload);
	}
	return r;
}

/* --- UTF-16 --------------------------------------------------------------- */

/*
 * 0 none, 1 little-endian, 2 big-endian: a byte order mark, or else the
 * NULs of the first 8000 bytes: in at least 1 of 8 of the byte pairs at
 * one offset (odd: the high bytes of ASCII in little-endian), and at the
 * other in at most 1 of 8 as many (the odd CJK character, U+0100 and
 * such).  Binary data has NULs at both.
 */
static int utf16_order(const unsigned char *d, size_t len, size_t *skip)
{
	size_t n = len < 8000 ? len : 8000, i, odd = 0, even = 0;

	*skip = 2;
	if (len >= 2 && d[0] == 0xff && d[1] == 0xfe)
		return 1;
	if (len >= 2 && d[0] == 0xfe && d[1] == 0xff)
		return 2;
	*skip = 0;
	for (i = 0; i + 1 < n; i += 2) {
		even += !d[i];
		odd += !d[i + 1];
	}
	if (n < 2)
		return 0;
	if (odd >= (n / 2 + 7) / 8 && even * 8 <= odd)
		return 1;
	return even >= (n / 2 + 7) / 8 && odd * 8 <= even ? 2 : 0;
}

static int put_utf8(struct gg_buf *out, unsigned long c)
{
	unsigned char b[4];
	size_t n;

	if (c < 0x80) {
		b[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (unsigned char)(0xc0 | (c >> 6));
		b[1] = (unsigned char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (c >> 12));
		b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (c >> 18));
		b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (c & 0x3f));
		n = 4;
	}
	return gg_buf_add(out, b, n);
}

int gg_secretscan_utf16(struct gg_buf *out, const char *data, size_t len)
{
	const unsigned char *d = (const unsigned char *)data;
	size_t i, skip;
	int order = utf16_order(d, len, &skip), err;
	unsigned long c, lo;

	if (!order)
		return 0;
	for (i = skip; i + 1 < len; i += 2) {
		c = order == 1 ? d[i] | (unsigned long)d[i + 1] << 8
			       : (unsigned long)d[i] << 8 | d[i + 1];
		if (c >= 0xd800 && c < 0xdc00 && i + 3 < len) {
			lo = order == 1
				     ? d[i + 2] | (unsigned long)d[i + 3] << 8
				     : (unsigned long)d[i + 2] << 8 | d[i + 3];
			if (lo >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 2;
			}
		}
		if (c >= 0xd800 && c < 0xe000)
			c = 0xfffd; /* a lone surrogate */
		if ((err = put_utf8(out, c)) < 0)
			return err;
	}
	return 1;
}

/* --- base64 and fingerprints ---------------------------------------------- */

void gg_secret_fingerprint(char out[GG_FINGERPRINT_SIZE], const void *v,
			   size_t len)
{
	unsigned char d[GG_SHA256_LEN];
	char hex[2 * GG_SHA256_LEN + 1];

	gg_sha256(d, v, len);
	gg_sha256_hex(hex, d);
	memcpy(out, "sha256:", 7);
	memcpy(out + 7, hex, 12);
	out[19] = '\0';
}
