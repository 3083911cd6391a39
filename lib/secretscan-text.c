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

/* Past a tag ("!!str ", "!secret ") at `p` on its line. */
static size_t skip_tag(const char *t, size_t len, size_t p)
{
	if (p >= len || t[p] != '!')
		return p;
	while (p < len && !gg_secretscan__is_space(t[p]))
		p++;
	while (p < len && (t[p] == ' ' || t[p] == '\t'))
		p++;
	return p;
}

/* Past one value of a flow collection at `p`: a scalar, or a nested
 * collection with its brackets balanced; quotes respected.  It ends
 * before a "," "}" or "]" that is not nested, or at `end`. */
static size_t flow_skip(const char *t, size_t end, size_t p)
{
	unsigned depth = 0;
	char q;

	for (; p < end; p++) {
		q = t[p];
		if (q == '"' || q == '\'') {
			for (p++; p < end && t[p] != q; p++)
				if (q == '"' && t[p] == '\\' && p + 1 < end)
					p++;
		} else if (q == '{' || q == '[') {
			depth++;
		} else if (q == '}' || q == ']' || q == ',') {
			if (!depth)
				return p;
			depth -= q != ',';
		}
	}
	return end;
}

/* Called with each top-level key of a flow mapping and where its value
 * starts; a non-zero return stops. */
typedef int (*top_fn)(void *payload, size_t ks, size_t ke, size_t vs);

/*
 * The top-level pairs of the flow mapping (or JSON object) whose "{" is
 * at `p`, up to `end`: nested collections are skipped whole, so a key
 * inside them is never taken for one of the mapping's own.  Returns the
 * callback's non-zero value or 0.
 */
static int flow_top(const char *t, size_t end, size_t p, top_fn fn,
		    void *payload)
{
	size_t ks, ke, q;
	unsigned line = 0;
	int r;

	for (p++;;) {
		p = flow_blanks(t, end, p, &line);
		if (p >= end || t[p] == '}')
			return 0;
		q = flow_scalar(t, end, p, 1, &ks, &ke);
		if (!q)
			return 0;
		p = flow_blanks(t, end, q, &line);
		if (p >= end || t[p] != ':')
			return 0;
		p = flow_blanks(t, end, p + 1, &line);
		if (p >= end)
			return 0;
		r = fn(payload, ks, ke, p);
		if (r)
			return r;
		p = flow_blanks(t, end, flow_skip(t, end, p), &line);
		if (p >= end || t[p] != ',')
			return 0;
		p++;
	}
}

/* `word` is the scalar value at `vs` (a tag before it skipped). */
static int flow_value_is(const char *t, size_t end, size_t vs, const char *word)
{
	size_t s, e, n = strlen(word);

	vs = skip_tag(t, end, vs);
	return vs < end && flow_scalar(t, end, vs, 0, &s, &e) && e - s == n &&
	       !memcmp(t + s, word, n);
}

/* Where flow_key() puts what it finds. */
struct top_ctx {
	struct gg_text_doc *d;
	const char *t;
	size_t end;
	int kind, core;
	const char *want; /* flow_find(): the key looked for */
	size_t found;	  /* ... and where its value starts, or 0 */
};

static int is_key(const char *t, size_t ks, size_t ke, const char *word)
{
	size_t n = strlen(word);

	return ke - ks == n && !memcmp(t + ks, word, n);
}

static int name_key(void *payload, size_t ks, size_t ke, size_t vs)
{
	struct top_ctx *c = payload;
	size_t s, e;

	if (!is_key(c->t, ks, ke, "name"))
		return 0;
	if (flow_scalar(c->t, c->end, vs, 0, &s, &e))
		gg_secretscan__copy_key(c->d->name, c->t + s, e - s);
	return 1;
}

static int flow_key(void *payload, size_t ks, size_t ke, size_t vs)
{
	struct top_ctx *c = payload;
	const char *t = c->t;
	size_t s, e;

	if (is_key(t, ks, ke, "kind")) {
		c->kind = flow_value_is(t, c->end, vs, "Secret");
	} else if (is_key(t, ks, ke, "apiVersion")) {
		vs = skip_tag(t, c->end, vs);
		c->core = !flow_scalar(t, c->end, vs, 0, &s, &e) ||
			  !memchr(t + s, '/', e - s);
	} else if (is_key(t, ks, ke, "metadata") && t[vs] == '{') {
		flow_top(t, c->end, vs, name_key, c);
	}
	return 0;
}

/* A document that opens with "{": a flow mapping, JSON included. */
static void flow_doc(struct gg_text_doc *d, const char *t)
{
	struct top_ctx c = { d, t, d->end, 0, 1, NULL, 0 };

	flow_top(t, d->end, d->start, flow_key, &c);
	d->secret = c.kind && c.core;
}

static int find_key(void *payload, size_t ks, size_t ke, size_t vs)
{
	struct top_ctx *c = payload;

	if (!is_key(c->t, ks, ke, c->want))
		return 0;
	c->found = vs;
	return 1;
}

/* Where the value of top-level key `key` of flow document `d` starts. */
static int flow_find(size_t *vs, const struct gg_text_doc *d, const char *t,
		     const char *key)
{
	struct top_ctx c = { NULL, t, d->end, 0, 0, key, 0 };

	flow_top(t, d->end, d->start, find_key, &c);
	*vs = c.found;
	return c.found != 0;
}

void gg_text_doc_init(struct gg_text_doc *d)
{
	memset(d, 0, sizeof(*d));
	d->next_line = 1;
}

/* The scalar of a block key whose value is on the lines below it
 * ("kind:\n  Secret"): where it starts, or `vs` when there is none. */
static size_t value_below(const struct gg_text_doc *d, const char *t,
			  size_t len, size_t vs)
{
	size_t e = line_end(t, len, vs), p, ind;

	if (vs < e && t[vs] != '#' && t[vs] != '\r')
		return vs;
	for (p = e + 1; p < len; p = e + 1) {
		e = line_end(t, len, p);
		if (blank_line(t, e, p))
			continue;
		ind = spaces(t, e, p);
		return ind > d->indent ? p + ind : vs;
	}
	return vs;
}

/* What the top-level lines of a block document say. */
struct doc_state {
	int kind, core, meta, list;
	size_t meta_ind;
};

/* A top-level key of a YAML document; `meta` follows metadata's block. */
static void doc_key(struct gg_text_doc *d, const char *t, size_t len,
		    const struct kv *kv, unsigned line, struct doc_state *st)
{
	size_t s, e, vs = skip_tag(t, len, value_below(d, t, len, kv->vs));

	if (key_is(kv, t, "kind")) {
		st->kind = value_at(t, len, vs, &s, &e) && e - s == 6 &&
			   !memcmp(t + s, "Secret", 6);
		st->list = value_at(t, len, vs, &s, &e) && e - s >= 4 &&
			   !memcmp(t + e - 4, "List", 4);
	} else if (key_is(kv, t, "apiVersion")) {
		st->core = !value_at(t, len, vs, &s, &e) ||
			   !memchr(t + s, '/', e - s);
	} else if (key_is(kv, t, "items") &&
		   (kv->vs == line_end(t, len, kv->vs) || t[kv->vs] == '#' ||
		    t[kv->vs] == '\r')) {
		d->items = line_end(t, len, kv->vs) + 1;
		d->items_line = line + 1;
	} else if (key_is(kv, t, "metadata") && kv->vs < len &&
		   t[kv->vs] == '{') {
		struct top_ctx c = { d, t, len, 0, 0, NULL, 0 };

		flow_top(t, len, kv->vs, name_key, &c);
	} else if (key_is(kv, t, "metadata")) {
		st->meta = 1;
	}
}

/* A line nested under a top-level key: metadata.name, when it is
 * metadata's block. */
static void nested_line(struct gg_text_doc *d, struct doc_state *st,
			const char *t, size_t len, size_t e, size_t k,
			size_t ind)
{
	struct kv kv;

	if (!st->meta)
		return;
	if (!st->meta_ind)
		st->meta_ind = ind;
	if (ind == st->meta_ind && !d->name[0] && key_at(&kv, t, e, k) &&
	    key_is(&kv, t, "name"))
		copy_value(d->name, t, len, kv.vs);
}

/*
 * Read the document (or List item) that starts at `p`, perhaps in the
 * middle of a line (after "--- " or "- "), up to a separator line, a
 * line indented less than d->indent, or `len`.  Its top-level keys are
 * in column d->indent (the first line's wherever it starts).
 */
static void read_doc(struct gg_text_doc *d, const char *t, size_t len, size_t p,
		     unsigned line)
{
	struct doc_state st = { 0, 1, 0, 0, 0 };
	size_t e, ind, k;
	int content = 0, first = 1;
	struct kv kv;
	/* a document on a separator line, or a List item after its "- " */
	int mid = p > 0 && t[p - 1] != '\n';

	d->start = p;
	d->line = line;
	d->secret = d->json = 0;
	d->items = 0;
	d->items_line = 0;
	d->name[0] = '\0';
	for (; p < len; p = e + 1, line++, first = 0) {
		e = line_end(t, len, p);
		if (!first && separator(t, e, p))
			break;
		if (blank_line(t, e, p))
			continue;
		ind = first && mid ? d->indent : spaces(t, e, p);
		k = first && mid ? p : p + ind;
		if (ind < d->indent)
			break; /* the end of a List item */
		if (!content)
			d->json = t[k] == '{';
		content = 1;
		if (ind > d->indent || t[k] == '\t') {
			nested_line(d, &st, t, len, e, k, ind);
			continue;
		}
		st.meta = 0;
		if (key_at(&kv, t, e, k))
			doc_key(d, t, len, &kv, line, &st);
	}
	if (p > len)
		p = len;
	d->end = d->next = p;
	d->lines = line - d->line;
	d->next_line = line;
	if (d->json) {
		flow_doc(d, t);
	} else {
		d->secret = st.kind && st.core;
		d->list = st.list && d->items;
	}
}

int gg_text_doc_next(struct gg_text_doc *d, const char *t, size_t len)
{
	size_t p = d->next, e = p;
	unsigned line = d->next_line;

	for (; p < len; p = e + 1, line++) {
		e = line_end(t, len, p);
		if (!separator(t, e, p))
			break;
		/* "--- {kind: Secret, ...}": a document on the separator */
		if (!blank_line(t, e, p + 3)) {
			p += 3 + spaces(t, e, p + 3);
			break;
		}
	}
	if (p >= len)
		return 0;
	d->indent = 0;
	d->list = 0;
	read_doc(d, t, len, p, line);
	return 1;
}

int gg_text_doc_item(struct gg_text_doc *item, const struct gg_text_doc *list,
		     const char *t)
{
	size_t p = item->next ? item->next : list->items, e, ind;
	unsigned line = item->next ? item->next_line : list->items_line;

	if (!list->list)
		return 0;
	for (; p < list->end; p = e + 1, line++) {
		e = line_end(t, list->end, p);
		if (blank_line(t, e, p))
			continue;
		ind = spaces(t, e, p);
		/* an item: "- " in the column of the first one */
		if (e - p < ind + 2 || t[p + ind] != '-' ||
		    t[p + ind + 1] != ' ')
			return 0;
		item->indent = ind + 2 + spaces(t, e, p + ind + 2);
		item->list = 0;
		read_doc(item, t, list->end, p + item->indent, line);
		return 1;
	}
	return 0;
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
		if (ind <= en->d->indent && t[p + ind] != '\t')
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

	if (!flow_find(&vs, en->d, t, field))
		return 0;
	for (p = en->d->start; p < vs; p++)
		line += t[p] == '\n';
	en->field = field;
	if (t[vs] == '{')
		return flow_entries(en, vs, line);
	if (vs + 4 <= en->d->end && !memcmp(t + vs, "null", 4))
		return 0;
	if (t[vs] == '}' || t[vs] == ',')
		return 0; /* empty: null */
	return unreadable(en, line);
}

int gg_text_doc_entries(const struct gg_text_doc *d, const char *text,
			size_t len, gg_text_entry_fn cb, void *payload)
{
	struct entries en = { d, text, len, NULL, cb, payload };
	size_t p, e, ind, k;
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
		int mid = p > 0 && text[p - 1] != '\n';

		e = line_end(text, d->end, p);
		ind = mid ? d->indent : spaces(text, e, p);
		k = mid ? p : p + ind;
		if (ind != d->indent || gg_secretscan__is_space(text[k]) ||
		    !key_at(&kv, text, e, k))
			continue;
		en.field = key_is(&kv, text, "data")	     ? "data"
			   : key_is(&kv, text, "stringData") ? "stringData"
							     : NULL;
		if (en.field)
			r = field_entries(&en, &kv, e, line);
	}
	return r;
}
