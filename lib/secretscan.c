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
#include "sha256.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_HITS 256
#define MAX_PARENT_LINES 500

enum pat_flags {
	P_FIELD = (1 << 0), /* the match starts a field's value: the value
			     * runs to the end of the line, is unquoted
			     * and may be a non-value (true, a block) */
	P_ENV = (1 << 1)    /* ... of an env entry: its key is the name */
};

static const struct {
	const char *what;
	const char *re;
	unsigned flags;
} builtin[] = {
	{ "private key",
	  "-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----"
	  "(?:(?:[^-]++|-(?!----))*?"
	  "-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----)?",
	  0 },
	{ "AWS access key id",
	  "(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])", 0 },
	{ "GCP API key",
	  "(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])", 0 },
	{ "Azure storage account key",
	  "(?i:AccountKey)=\\K[A-Za-z0-9+/]{40,}={0,2}", 0 },
	{ "Azure client secret",
	  "(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}"
	  "(?![A-Za-z0-9_~.-])",
	  0 },
	{ "GitHub token",
	  "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|"
	  "github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])",
	  0 },
	{ "GitLab token",
	  "(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|soat|cbt|agent)-"
	  "[A-Za-z0-9_-]{20,}",
	  0 },
	{ "Slack token", "(?<![A-Za-z0-9-])xox[abposr]-[A-Za-z0-9-]{10,}", 0 },
	{ "Slack webhook",
	  "https://hooks\\.slack\\.com/services/T[A-Za-z0-9_]+/"
	  "B[A-Za-z0-9_]+/[A-Za-z0-9_]{16,}",
	  0 },
	{ "Kubernetes client key",
	  "(?i)(?:client-key-data|keyData)[\"']?[ \\t]*:[ \\t]*[\"']?"
	  "\\K[A-Za-z0-9+/]{20,}={0,2}",
	  0 },
	{ "password in a URL",
	  "(?i)\\b[a-z][a-z0-9+.-]*://[^/\\s:@'\"]+:\\K[^/\\s:@'\"]+(?=@)", 0 },
	{ "password-like field",
	  "(?i)(?<![A-Za-z0-9_.-])[\"']?[A-Za-z0-9_.-]*?"
	  "(?:password|passwd|passphrase|secret[_.-]?(?:access[_.-]?)?key|"
	  "client[_.-]?secret|api[_.-]?key|private[_.-]?key|token)"
	  "[\"']?[ \\t]*[:=][ \\t]*\\K[^ \\t\\r\\n#]",
	  P_FIELD },
	{ "password-like env var",
	  "(?im)^[ \\t]*-?[ \\t]*\\{?[ \\t]*[\"']?name[\"']?[ \\t]*:[ \\t]*[\"']?"
	  "[A-Za-z0-9_.-]*(?:password|passwd|passphrase|secret[_.-]?"
	  "(?:access[_.-]?)?key|client[_.-]?secret|api[_.-]?key|"
	  "private[_.-]?key|token)[\"']?[ \\t]*(?:,?\\r?\\n[ \\t]*|,[ \\t]*)"
	  "[\"']?value[\"']?[ \\t]*:[ \\t]*\\K[^ \\t\\r\\n#]",
	  P_FIELD | P_ENV },
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

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_keych(char c)
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
	while (*len && is_space(**v)) {
		(*v)++;
		(*len)--;
	}
	while (*len && is_space((*v)[*len - 1]))
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
static int not_a_value(const char *v, size_t len)
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
static int field_value(const char *text, size_t len, size_t *s, size_t *e)
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
		if ((text[i] == '#' && i > *s && is_space(text[i - 1])) ||
		    (flow && strchr(",}]", text[i])))
			break;
	while (i > *s && (is_space(text[i - 1]) || text[i - 1] == ','))
		i--;
	*e = i;
	return !not_a_value(text + *s, *e - *s);
}

/* --- the key a value belongs to ------------------------------------------- */

static void copy_key(char out[64], const char *k, size_t n)
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
	while (p > ls && is_keych(text[p - 1]))
		p--;
	/* a key starts a line or follows a blank, a quote or a bracket; the
	 * "user" of https://user:pass@host does not */
	if (e == p || (p > ls && !strchr(" \t\"'{[,", text[p - 1])))
		return 0;
	copy_key(out, text + p, e - p);
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
	while (p < len && is_keych(text[p]))
		p++;
	if (p == k || p > pos)
		return 0;
	copy_key(out, text + k, p - k);
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
	for (k = p, e = p; is_keych(text[e]); e++)
		;
	copy_key(out, text + k, e - k);
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
};

struct hits {
	struct hit v[MAX_HITS];
	size_t nr;
};

static void scan_one(const struct gg_secretscan *ss, size_t k, const char *text,
		     size_t len, struct hits *h, int *limited)
{
	size_t off = 0, s, e;
	int r;

	while (h->nr < MAX_HITS &&
	       (r = gg_regex_search_at(ss->pats[k], text, len, off, &s, &e)) ==
		       1) {
		size_t next = e > off ? e : off + 1;

		if ((ss->flags[k] & P_FIELD) && !field_value(text, len, &s, &e))
			s = e = 0;
		if (e > s && !gg_secretscan_placeholder(ss, text + s, e - s)) {
			h->v[h->nr].start = s;
			h->v[h->nr].end = e;
			h->v[h->nr].pat = k;
			h->nr++;
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

int gg_secretscan_text(const struct gg_secretscan *ss, const char *text,
		       size_t len, int *limited, gg_secret_hit_fn cb,
		       void *payload)
{
	struct hits *h = gg_xcalloc(1, sizeof(*h));
	size_t k, i, last_end = 0, line = 1, counted = 0;
	int r = 0;

	for (k = 0; k < ss->npats; k++)
		scan_one(ss, k, text, len, h, limited);
	qsort(h->v, h->nr, sizeof(*h->v), cmp_hit);
	for (i = 0; i < h->nr && !r; i++) {
		struct gg_secret_hit hit;

		if (h->v[i].start < last_end)
			continue; /* overlaps a more specific hit */
		last_end = h->v[i].end;
		for (; counted < h->v[i].start; counted++)
			line += text[counted] == '\n';
		memset(&hit, 0, sizeof(hit));
		hit.start = h->v[i].start;
		hit.end = h->v[i].end;
		hit.line = (unsigned)line;
		hit.what = ss->names[h->v[i].pat];
		key_of(hit.key, text, len, hit.start, ss->flags[h->v[i].pat]);
		r = cb(&hit, payload);
	}
	free(h);
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

/* --- Secrets in text that does not parse ---------------------------------- */

/* The end of the line at `p`: its "\n", or `end`. */
static size_t line_end(const char *t, size_t end, size_t p)
{
	const char *nl = memchr(t + p, '\n', end - p);

	return nl ? (size_t)(nl - t) : end;
}

/* A line "---" or "..." alone or followed by a blank. */
static int separator(const char *t, size_t e, size_t p)
{
	if (e - p < 3 || (memcmp(t + p, "---", 3) && memcmp(t + p, "...", 3)))
		return 0;
	return e - p == 3 || is_space(t[p + 3]);
}

/* Nothing but blanks, or a comment, from `p` to the line's end `e`. */
static int blank_line(const char *t, size_t e, size_t p)
{
	while (p < e && is_space(t[p]))
		p++;
	return p == e || t[p] == '#';
}

static size_t spaces(const char *t, size_t e, size_t p)
{
	size_t n = 0;

	while (p + n < e && t[p + n] == ' ')
		n++;
	return n;
}

/* A "key:" on a line: the key's bytes and where its value starts. */
struct kv {
	size_t ks, ke, vs;
};

/* "key:" at `p` on a line that ends at `e`: a plain key (key characters
 * and "/") followed by ":" and a blank or the line's end, or a quoted
 * key followed by ":". */
static int key_at(struct kv *kv, const char *t, size_t e, size_t p)
{
	char q = 0;

	if (p < e && (t[p] == '"' || t[p] == '\''))
		q = t[p++];
	kv->ks = p;
	while (p < e && (q ? t[p] != q : is_keych(t[p]) || t[p] == '/'))
		p++;
	kv->ke = p;
	if (kv->ke == kv->ks || (q && p == e))
		return 0;
	p += q ? 1 : 0;
	while (p < e && (t[p] == ' ' || t[p] == '\t'))
		p++;
	if (p == e || t[p] != ':')
		return 0;
	p++;
	if (!q && p < e && !is_space(t[p]))
		return 0;
	while (p < e && (t[p] == ' ' || t[p] == '\t'))
		p++;
	kv->vs = p;
	return 1;
}

static int key_is(const struct kv *kv, const char *t, const char *word)
{
	size_t n = strlen(word);

	return kv->ke - kv->ks == n && !memcmp(t + kv->ks, word, n);
}

/* The scalar value starting at `vs` as field_value() reads it (quotes
 * and comments removed): 1 and its bytes, or 0 for none, null or a
 * boolean. */
static int value_at(const char *t, size_t len, size_t vs, size_t *s, size_t *e)
{
	*s = vs;
	return vs < len && t[vs] != '\n' && t[vs] != '#' &&
	       field_value(t, len, s, e);
}

/* The scalar value at `vs` into `out`, cut to 63 bytes; "" if none. */
static void copy_value(char out[64], const char *t, size_t len, size_t vs)
{
	size_t s, e;

	out[0] = '\0';
	if (value_at(t, len, vs, &s, &e))
		copy_key(out, t + s, e - s);
}

/* A flow scalar at `p` before `end`: quoted (the inside, escapes kept)
 * or plain (up to , } ] or the line's end, and for a key up to ":").
 * The position after it, or 0 when there is none. */
static size_t flow_scalar(const char *t, size_t end, size_t p, int key,
			  size_t *s, size_t *e)
{
	char q = t[p];
	size_t i;

	if (q == '"' || q == '\'') {
		for (i = p + 1; i < end && t[i] != q; i++)
			if (q == '"' && t[i] == '\\' && i + 1 < end)
				i++;
		if (i >= end)
			return 0;
		*s = p + 1;
		*e = i;
		return i + 1;
	}
	if (!q || strchr("{[]}*&!,:#|>", q))
		return 0;
	for (i = p; i < end && t[i] && t[i] != '\n' &&
		    !strchr(key ? ",}]:" : ",}]", t[i]) &&
		    !(t[i] == '#' && is_space(t[i - 1]));
	     i++)
		;
	*s = p;
	*e = i;
	while (*e > *s && is_space(t[*e - 1]))
		(*e)--;
	return *e > *s ? i : 0;
}

/* Blanks, line ends and comments in a flow collection. */
static size_t flow_blanks(const char *t, size_t end, size_t p, unsigned *line)
{
	while (p < end) {
		if (t[p] == '#' && (!p || is_space(t[p - 1]))) {
			p = line_end(t, end, p);
			continue;
		}
		if (!is_space(t[p]))
			break;
		*line += t[p] == '\n';
		p++;
	}
	return p;
}

typedef int (*pair_fn)(void *payload, size_t ks, size_t ke, size_t vs,
		       size_t ve, int quoted, unsigned line);

/*
 * The pairs of the flow mapping (or JSON object) whose "{" is at `p`,
 * up to `end`, with scalar keys and values.  Returns the callback's
 * non-zero value or 0; `*bad` is set when something else comes before
 * the closing "}": a nested collection, an alias, a tag, the end.
 */
static int flow_pairs(const char *t, size_t end, size_t p, unsigned line,
		      int *bad, pair_fn fn, void *payload)
{
	size_t ks, ke, vs = 0, ve = 0, q;
	unsigned kline;
	int r;

	for (p++;;) {
		p = flow_blanks(t, end, p, &line);
		if (p < end && t[p] == '}')
			return 0;
		kline = line;
		q = p < end ? flow_scalar(t, end, p, 1, &ks, &ke) : 0;
		if (q)
			p = flow_blanks(t, end, q, &line);
		if (!q || p >= end || t[p] != ':')
			break;
		p = flow_blanks(t, end, p + 1, &line);
		if (p < end && (t[p] == ',' || t[p] == '}')) {
			q = p; /* an empty value: null */
		} else {
			q = p < end ? flow_scalar(t, end, p, 0, &vs, &ve) : 0;
			if (!q)
				break;
			r = fn(payload, ks, ke, vs, ve,
			       t[p] == '"' || t[p] == '\'', kline);
			if (r)
				return r;
		}
		p = flow_blanks(t, end, q, &line);
		if (p < end && t[p] == '}')
			return 0;
		if (p >= end || t[p] != ',')
			break;
		p++;
	}
	*bad = 1;
	return 0;
}

static int name_pair(void *payload, size_t ks, size_t ke, size_t vs, size_t ve,
		     int quoted, unsigned line)
{
	struct {
		struct gg_text_doc *d;
		const char *t;
	} *n = payload;

	(void)quoted;
	(void)line;
	if (ke - ks == 4 && !memcmp(n->t + ks, "name", 4))
		copy_key(n->d->name, n->t + vs, ve - vs);
	return 0;
}

/* The member `"name"` of a JSON document: where its value starts. */
static int json_member(size_t *vs, const struct gg_text_doc *d, const char *t,
		       const char *name)
{
	size_t n = strlen(name), p = d->start, q;
	const char *hit;

	while (p < d->end) {
		hit = memmem(t + p, d->end - p, name, n);
		if (!hit)
			return 0;
		p = (size_t)(hit - t) + n;
		if (hit == t + d->start || hit[-1] != '"' || p >= d->end ||
		    t[p] != '"')
			continue;
		for (q = p + 1; q < d->end && is_space(t[q]); q++)
			;
		if (q == d->end || t[q] != ':')
			continue;
		for (q++; q < d->end && is_space(t[q]); q++)
			;
		*vs = q;
		return 1;
	}
	return 0;
}

/* `word`, quoted, is the value of member `name` of a JSON document. */
static int json_value_is(const struct gg_text_doc *d, const char *t,
			 const char *name, const char *word)
{
	size_t vs, s, e, n = strlen(word);

	return json_member(&vs, d, t, name) && t[vs] == '"' &&
	       flow_scalar(t, d->end, vs, 0, &s, &e) && e - s == n &&
	       !memcmp(t + s, word, n);
}

static void json_doc(struct gg_text_doc *d, const char *t)
{
	size_t vs, s, e;

	d->secret = json_value_is(d, t, "kind", "Secret") &&
		    (!json_member(&vs, d, t, "apiVersion") ||
		     json_value_is(d, t, "apiVersion", "v1"));
	d->sops = json_member(&vs, d, t, "sops") && t[vs] == '{';
	if (json_member(&vs, d, t, "name") && t[vs] == '"' &&
	    flow_scalar(t, d->end, vs, 0, &s, &e))
		copy_key(d->name, t + s, e - s);
}

void gg_text_doc_init(struct gg_text_doc *d)
{
	memset(d, 0, sizeof(*d));
	d->next_line = 1;
}

/* A top-level key of a YAML document; `meta` follows metadata's block. */
static void doc_key(struct gg_text_doc *d, const char *t, size_t len,
		    const struct kv *kv, int *kind, int *core, int *meta)
{
	size_t s, e;

	if (key_is(kv, t, "kind")) {
		*kind = value_at(t, len, kv->vs, &s, &e) && e - s == 6 &&
			!memcmp(t + s, "Secret", 6);
	} else if (key_is(kv, t, "apiVersion")) {
		*core = !value_at(t, len, kv->vs, &s, &e) ||
			!memchr(t + s, '/', e - s);
	} else if (key_is(kv, t, "sops")) {
		d->sops = 1;
	} else if (key_is(kv, t, "metadata") && t[kv->vs] == '{') {
		struct {
			struct gg_text_doc *d;
			const char *t;
		} n = { d, t };
		int bad = 0;

		flow_pairs(t, len, kv->vs, 0, &bad, name_pair, &n);
	} else if (key_is(kv, t, "metadata")) {
		*meta = 1;
	}
}

int gg_text_doc_next(struct gg_text_doc *d, const char *t, size_t len)
{
	size_t p = d->next, e = p, ind, meta_ind = 0;
	unsigned line = d->next_line;
	int kind = 0, core = 1, meta = 0, content = 0;
	struct kv kv;

	for (; p < len; p = e + 1, line++) {
		e = line_end(t, len, p);
		if (!separator(t, e, p))
			break;
	}
	if (p >= len)
		return 0;
	d->start = p;
	d->line = line;
	d->secret = d->sops = d->json = 0;
	d->name[0] = '\0';
	for (; p < len; p = e + 1, line++) {
		e = line_end(t, len, p);
		if (separator(t, e, p))
			break;
		if (blank_line(t, e, p))
			continue;
		ind = spaces(t, e, p);
		if (!content)
			d->json = t[p + ind] == '{';
		content = 1;
		if (ind || t[p] == '\t') {
			if (meta && !meta_ind)
				meta_ind = ind;
			if (meta && ind && ind == meta_ind && !d->name[0] &&
			    key_at(&kv, t, e, p + ind) &&
			    key_is(&kv, t, "name"))
				copy_value(d->name, t, len, kv.vs);
			continue;
		}
		meta = 0;
		if (key_at(&kv, t, e, p))
			doc_key(d, t, len, &kv, &kind, &core, &meta);
	}
	if (p > len)
		p = len;
	d->end = d->next = p;
	d->lines = line - d->line;
	d->next_line = line;
	if (d->json)
		json_doc(d, t);
	else
		d->secret = kind && core;
	return 1;
}

struct entries {
	const struct gg_text_doc *d;
	const char *t;
	size_t len;
	const char *field;
	gg_text_entry_fn cb;
	void *payload;
};

static int unreadable(struct entries *en, unsigned line)
{
	struct gg_text_entry te;

	memset(&te, 0, sizeof(te));
	te.field = en->field;
	te.line = line;
	te.unreadable = 1;
	return en->cb(&te, en->payload);
}

static int entry_pair(void *payload, size_t ks, size_t ke, size_t vs, size_t ve,
		      int quoted, unsigned line)
{
	struct entries *en = payload;
	struct gg_text_entry te;

	if (!quoted && not_a_value(en->t + vs, ve - vs))
		return 0;
	memset(&te, 0, sizeof(te));
	te.field = en->field;
	copy_key(te.key, en->t + ks, ke - ks);
	te.start = vs;
	te.end = ve;
	te.line = line;
	return en->cb(&te, en->payload);
}

static int flow_entries(struct entries *en, size_t p, unsigned line)
{
	int bad = 0, r;

	r = flow_pairs(en->t, en->d->end, p, line, &bad, entry_pair, en);
	if (!r && bad)
		r = unreadable(en, line);
	return r;
}

/* The entries of a block mapping from the line at `p` on. */
static int block_entries(struct entries *en, size_t p, unsigned line,
			 unsigned fline)
{
	const char *t = en->t;
	size_t e, ind, ind0 = 0, s, ve;
	struct kv kv;
	int r = 0;

	for (; p < en->d->end && !r; p = e + 1, line++) {
		e = line_end(t, en->d->end, p);
		if (blank_line(t, e, p))
			continue;
		ind = spaces(t, e, p);
		if (!ind && t[p] != '\t')
			break;
		ind0 = ind0 ? ind0 : ind;
		if (ind > ind0)
			continue; /* a block scalar's lines */
		if (ind < ind0 || !key_at(&kv, t, e, p + ind))
			return unreadable(en, fline);
		if (kv.vs == e || t[kv.vs] == '#')
			continue; /* null, or a value on the next lines */
		if (strchr("{[*&!", t[kv.vs]))
			return unreadable(en, fline);
		if (value_at(t, en->len, kv.vs, &s, &ve))
			r = entry_pair(en, kv.ks, kv.ke, s, ve, 1, line);
	}
	return r;
}

/* The entries of the field `kv` on a line that ends at `e`. */
static int field_entries(struct entries *en, const struct kv *kv, size_t e,
			 unsigned line)
{
	const char *t = en->t;
	size_t s, ve;

	if (kv->vs == e || t[kv->vs] == '#' || t[kv->vs] == '\r')
		return block_entries(en, e + 1, line + 1, line);
	if (t[kv->vs] == '{')
		return flow_entries(en, kv->vs, line);
	if (!strchr("[*&!|>", t[kv->vs]) &&
	    !value_at(t, en->len, kv->vs, &s, &ve))
		return 0; /* null */
	return unreadable(en, line);
}

static int json_entries(struct entries *en, const char *field)
{
	const char *t = en->t;
	size_t vs, p;
	unsigned line = en->d->line;

	if (!json_member(&vs, en->d, t, field))
		return 0;
	for (p = en->d->start; p < vs; p++)
		line += t[p] == '\n';
	en->field = field;
	if (t[vs] == '{')
		return flow_entries(en, vs, line);
	if (vs + 4 <= en->d->end && !memcmp(t + vs, "null", 4))
		return 0;
	return unreadable(en, line);
}

int gg_text_doc_entries(const struct gg_text_doc *d, const char *text,
			size_t len, gg_text_entry_fn cb, void *payload)
{
	struct entries en = { d, text, len, NULL, cb, payload };
	size_t p, e;
	unsigned line = d->line;
	struct kv kv;
	int r = 0;

	if (!d->secret)
		return 0;
	if (d->json) {
		r = json_entries(&en, "data");
		return r ? r : json_entries(&en, "stringData");
	}
	for (p = d->start; p < d->end && !r; p = e + 1, line++) {
		e = line_end(text, d->end, p);
		if (is_space(text[p]) || !key_at(&kv, text, e, p))
			continue;
		en.field = key_is(&kv, text, "data")	     ? "data"
			   : key_is(&kv, text, "stringData") ? "stringData"
							     : NULL;
		if (en.field)
			r = field_entries(&en, &kv, e, line);
	}
	return r;
}

/* --- base64 and fingerprints ---------------------------------------------- */

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	return c == '/' ? 63 : -1;
}

int gg_base64_decode(struct gg_buf *out, const char *s, size_t len)
{
	unsigned acc = 0, nbits = 0;
	size_t i, pad = 0, start = out->len;
	int v, err;

	for (i = 0; i < len; i++) {
		if (is_space(s[i]))
			continue;
		if (s[i] == '=') {
			pad++;
			continue;
		}
		v = b64_value(s[i]);
		if (v < 0 || pad)
			goto bad; /* a stray byte, or data after padding */
		acc = (acc << 6) | (unsigned)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			if ((err = gg_buf_addch(
				     out, (int)((acc >> nbits) & 0xff))) < 0)
				return err;
		}
	}
	/* 6 leftover bits can never end a base64 text; 2 or 4 can */
	if (nbits == 6 || pad > 2)
		goto bad;
	return 0;
bad:
	gg_buf_setlen(out, start);
	gg_error_set("not base64");
	return GG_EINVALID;
}

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
