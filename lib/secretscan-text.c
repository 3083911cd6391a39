/*
 * Secret documents in text that does not parse as YAML (secretscan.h):
 * documents split at their separator lines, Secrets told by their
 * top-level lines, and the entries of data and stringData read from
 * block mappings, flow mappings and JSON objects.
 */
#include <string.h>

#include "secretscan.h"
#include "secretscan-internal.h"
#include "banned.h"

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
	return e - p == 3 || gg_secretscan__is_space(t[p + 3]);
}

/* Nothing but blanks, or a comment, from `p` to the line's end `e`. */
static int blank_line(const char *t, size_t e, size_t p)
{
	while (p < e && gg_secretscan__is_space(t[p]))
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
	while (p < e &&
	       (q ? t[p] != q : gg_secretscan__is_keych(t[p]) || t[p] == '/'))
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
	if (!q && p < e && !gg_secretscan__is_space(t[p]))
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

/* The scalar value starting at `vs` as gg_secretscan__field_value()
 * reads it (quotes and comments removed): 1 and its bytes, or 0 for
 * none, null or a boolean. */
static int value_at(const char *t, size_t len, size_t vs, size_t *s, size_t *e)
{
	*s = vs;
	return vs < len && t[vs] != '\n' && t[vs] != '#' &&
	       gg_secretscan__field_value(t, len, s, e);
}

/* The scalar value at `vs` into `out`, cut to 63 bytes; "" if none. */
static void copy_value(char out[64], const char *t, size_t len, size_t vs)
{
	size_t s, e;

	out[0] = '\0';
	if (value_at(t, len, vs, &s, &e))
		gg_secretscan__copy_key(out, t + s, e - s);
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
		    !(t[i] == '#' && gg_secretscan__is_space(t[i - 1]));
	     i++)
		;
	*s = p;
	*e = i;
	while (*e > *s && gg_secretscan__is_space(t[*e - 1]))
		(*e)--;
	return *e > *s ? i : 0;
}

/* Blanks, line ends and comments in a flow collection. */
static size_t flow_blanks(const char *t, size_t end, size_t p, unsigned *line)
{
	while (p < end) {
		if (t[p] == '#' && (!p || gg_secretscan__is_space(t[p - 1]))) {
			p = line_end(t, end, p);
			continue;
		}
		if (!gg_secretscan__is_space(t[p]))
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

/* Where name_pair() puts metadata.name. */
struct name_ctx {
	struct gg_text_doc *d;
	const char *t;
};

static int name_pair(void *payload, size_t ks, size_t ke, size_t vs, size_t ve,
		     int quoted, unsigned line)
{
	struct name_ctx *n = payload;

	(void)quoted;
	(void)line;
	if (ke - ks == 4 && !memcmp(n->t + ks, "name", 4))
		gg_secretscan__copy_key(n->d->name, n->t + vs, ve - vs);
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
		for (q = p + 1; q < d->end && gg_secretscan__is_space(t[q]);
		     q++)
			;
		if (q == d->end || t[q] != ':')
			continue;
		for (q++; q < d->end && gg_secretscan__is_space(t[q]); q++)
			;
		if (q == d->end)
			return 0;
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
		gg_secretscan__copy_key(d->name, t + s, e - s);
}

/* What SOPS writes into a document it encrypts: ENC[AES256_GCM,...]
 * values, or the mac and lastmodified of its metadata. */
static int sops_marks(const char *doc, size_t n)
{
	return memmem(doc, n, "ENC[AES256_GCM,", 15) ||
	       (memmem(doc, n, "lastmodified", 12) && memmem(doc, n, "mac", 3));
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
	} else if (key_is(kv, t, "metadata") && kv->vs < len &&
		   t[kv->vs] == '{') {
		struct name_ctx n = { d, t };
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
	d->sops = d->sops && sops_marks(t + d->start, d->end - d->start);
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

	if (!quoted && gg_secretscan__not_a_value(en->t + vs, ve - vs))
		return 0;
	memset(&te, 0, sizeof(te));
	te.field = en->field;
	gg_secretscan__copy_key(te.key, en->t + ks, ke - ks);
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
		if (gg_secretscan__is_space(text[p]) ||
		    !key_at(&kv, text, e, p))
			continue;
		en.field = key_is(&kv, text, "data")	     ? "data"
			   : key_is(&kv, text, "stringData") ? "stringData"
							     : NULL;
		if (en.field)
			r = field_entries(&en, &kv, e, line);
	}
	return r;
}
