/*
 * libyaml's event stream turned into gg_ynode trees: one frame per open
 * collection, anchors in a per-document hash table, aliases as shared
 * nodes whose expanded size is charged against a budget.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "base64.h"
#include "buf.h"
#include "error.h"
#include "xalloc.h"
#include "yamlload.h"
#include "banned.h"

const struct gg_yaml_limits gg_yaml_default_limits = { 128, 1000000, 1000000,
						       10000 };

struct frame {
	struct gg_ynode *node;
	struct gg_ynode **items; /* maps: key, value, key, value ... */
	size_t nr, alloc;
	char *anchor; /* owned */
};

struct anchor {
	char *name; /* owned; NULL: empty slot */
	struct gg_ynode *node;
};

struct loader {
	yaml_parser_t parser;
	struct gg_yfile *file;
	const struct gg_yaml_limits *lim;
	struct frame *stack;
	size_t depth, stack_alloc;
	struct anchor *anchors;
	size_t nanchors, anchors_alloc; /* alloc is a power of two */
	struct gg_ynode *doc_root;
	size_t nodes;
	size_t docs_alloc;
	struct gg_ymark err_at;
};

static size_t sat_add(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void anchors_clear(struct loader *l)
{
	size_t i;

	for (i = 0; i < l->anchors_alloc; i++)
		free(l->anchors[i].name);
	free(l->anchors);
	l->anchors = NULL;
	l->nanchors = l->anchors_alloc = 0;
}

static struct anchor *anchor_slot(struct anchor *tab, size_t alloc,
				  const char *name)
{
	size_t i = hash(name) & (alloc - 1);

	while (tab[i].name && strcmp(tab[i].name, name))
		i = (i + 1) & (alloc - 1);
	return &tab[i];
}

static void anchor_set(struct loader *l, char *name, struct gg_ynode *node)
{
	struct anchor *slot;

	if (2 * (l->nanchors + 1) > l->anchors_alloc) {
		size_t i, alloc = l->anchors_alloc ? 2 * l->anchors_alloc : 16;
		struct anchor *tab = gg_xcalloc(alloc, sizeof(*tab));

		for (i = 0; i < l->anchors_alloc; i++)
			if (l->anchors[i].name)
				*anchor_slot(tab, alloc, l->anchors[i].name) =
					l->anchors[i];
		free(l->anchors);
		l->anchors = tab;
		l->anchors_alloc = alloc;
	}
	slot = anchor_slot(l->anchors, l->anchors_alloc, name);
	if (slot->name) {
		free(name); /* redefinition: the later anchor wins */
	} else {
		slot->name = name;
		l->nanchors++;
	}
	slot->node = node;
}

static struct gg_ynode *anchor_get(struct loader *l, const char *name)
{
	struct anchor *slot;

	if (!l->anchors_alloc)
		return NULL;
	slot = anchor_slot(l->anchors, l->anchors_alloc, name);
	return slot->name ? slot->node : NULL;
}

static int fail(struct loader *l, const yaml_mark_t *mark, int code,
		const char *msg)
{
	l->err_at.line = (unsigned)mark->line + 1;
	l->err_at.col = (unsigned)mark->column + 1;
	gg_error_set("%s", msg);
	return code;
}

static struct gg_ynode *new_node(struct loader *l, enum gg_ynode_kind kind,
				 const yaml_event_t *ev, const yaml_char_t *tag)
{
	struct gg_ynode *n = gg_arena_alloc(&l->file->arena, sizeof(*n));

	n->kind = kind;
	n->line = (unsigned)ev->start_mark.line + 1;
	n->col = (unsigned)ev->start_mark.column + 1;
	n->size = 1;
	if (tag)
		n->tag = gg_arena_strdup(&l->file->arena, (const char *)tag);
	return n;
}

/* Attach a finished node to the innermost open collection or document. */
static int attach(struct loader *l, struct gg_ynode *n, const yaml_mark_t *mark)
{
	struct frame *f;

	if (n->size > l->lim->max_expanded)
		return fail(l, mark, GG_ELIMIT,
			    "alias expansion budget exceeded (an alias bomb?)");
	if (!l->depth) {
		l->doc_root = n;
		return 0;
	}
	f = &l->stack[l->depth - 1];
	GG_ALLOC_GROW(f->items, f->nr + 1, f->alloc);
	f->items[f->nr++] = n;
	f->node->size = sat_add(f->node->size, n->size);
	if (f->node->size > l->lim->max_expanded)
		return fail(l, mark, GG_ELIMIT,
			    "alias expansion budget exceeded (an alias bomb?)");
	return 0;
}

/*
 * A !!binary scalar as Kubernetes' YAML readers give it: the bytes its
 * base64 text decodes to (so `kind: !!binary U2VjcmV0` is a Secret).
 * Text that is not base64 stays as written.
 */
static void decode_binary(struct loader *l, struct gg_ynode *n)
{
	struct gg_buf b = GG_BUF_INIT;
	char *s;

	gg_buf_init(&b, n->u.scalar.len + 1);
	if (gg_base64_decode(&b, n->u.scalar.s, n->u.scalar.len) == 0) {
		s = gg_arena_alloc(&l->file->arena, b.len + 1);
		if (b.len)
			memcpy(s, b.buf, b.len);
		s[b.len] = '\0';
		n->u.scalar.s = s;
		n->u.scalar.len = b.len;
	}
	gg_buf_release(&b);
}

static int on_scalar(struct loader *l, const yaml_event_t *ev)
{
	const yaml_char_t *tag = ev->data.scalar.tag;
	struct gg_ynode *n = new_node(l, GG_YSCALAR, ev, tag);
	int err;

	n->u.scalar.len = ev->data.scalar.length;
	n->u.scalar.s = gg_arena_strndup(&l->file->arena,
					 (const char *)ev->data.scalar.value,
					 ev->data.scalar.length);
	if (tag && !strcmp((const char *)tag, "tag:yaml.org,2002:binary"))
		decode_binary(l, n);
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    (tag && strcmp((const char *)tag, "tag:yaml.org,2002:null") &&
	     strcmp((const char *)tag, "tag:yaml.org,2002:bool") &&
	     strcmp((const char *)tag, "tag:yaml.org,2002:int") &&
	     strcmp((const char *)tag, "tag:yaml.org,2002:float")))
		n->flags |= GG_YQUOTED;
	if ((err = attach(l, n, &ev->start_mark)) < 0)
		return err;
	if (ev->data.scalar.anchor)
		anchor_set(l, gg_xstrdup((const char *)ev->data.scalar.anchor),
			   n);
	return 0;
}

static int on_start(struct loader *l, const yaml_event_t *ev,
		    enum gg_ynode_kind kind)
{
	const yaml_char_t *anchor, *tag;
	struct frame *f;

	if (l->depth >= l->lim->max_depth)
		return fail(l, &ev->start_mark, GG_ELIMIT,
			    "nesting deeper than the limit");
	if (kind == GG_YMAP) {
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
	} else {
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
	}
	GG_ALLOC_GROW(l->stack, l->depth + 1, l->stack_alloc);
	f = &l->stack[l->depth++];
	memset(f, 0, sizeof(*f));
	f->node = new_node(l, kind, ev, tag);
	f->anchor = anchor ? gg_xstrdup((const char *)anchor) : NULL;
	return 0;
}

static int on_end(struct loader *l, const yaml_event_t *ev)
{
	struct frame f = l->stack[--l->depth];
	struct gg_ynode *n = f.node;
	size_t i;
	int err;

	if (n->kind == GG_YMAP) {
		n->u.map.nr = f.nr / 2;
		n->u.map.pairs = gg_arena_alloc(
			&l->file->arena,
			gg_st_mult(n->u.map.nr + 1, sizeof(struct gg_ypair)));
		for (i = 0; i < n->u.map.nr; i++) {
			n->u.map.pairs[i].key = f.items[2 * i];
			n->u.map.pairs[i].value = f.items[2 * i + 1];
		}
	} else {
		n->u.seq.nr = f.nr;
		n->u.seq.items =
			gg_arena_alloc(&l->file->arena,
				       gg_st_mult(f.nr + 1, sizeof(*f.items)));
		if (f.nr)
			memcpy(n->u.seq.items, f.items,
			       f.nr * sizeof(*f.items));
	}
	free(f.items);
	err = attach(l, n, &ev->start_mark);
	if (!err && f.anchor)
		anchor_set(l, f.anchor, n);
	else
		free(f.anchor);
	return err;
}

static int on_alias(struct loader *l, const yaml_event_t *ev)
{
	struct gg_ynode *target =
		anchor_get(l, (const char *)ev->data.alias.anchor);

	if (!target)
		return fail(l, &ev->start_mark, GG_EINVALID,
			    "alias to an unknown or enclosing anchor");
	return attach(l, target, &ev->start_mark);
}

static int on_document_end(struct loader *l, const yaml_event_t *start)
{
	struct gg_yfile *file = l->file;

	if (file->ndocs >= l->lim->max_docs)
		return fail(l, &start->start_mark, GG_ELIMIT,
			    "more documents than the limit");
	GG_ALLOC_GROW(file->docs, file->ndocs + 1, l->docs_alloc);
	file->docs[file->ndocs].root = l->doc_root;
	file->docs[file->ndocs].line = (unsigned)start->start_mark.line + 1;
	file->ndocs++;
	l->doc_root = NULL;
	anchors_clear(l);
	return 0;
}

static int parser_error(struct loader *l)
{
	const yaml_parser_t *p = &l->parser;
	const yaml_mark_t *mark = p->problem ? &p->problem_mark : &p->mark;

	if (p->error == YAML_READER_ERROR) {
		/* the reader reports a byte offset, not a line */
		l->err_at.line = 0;
		l->err_at.col = 0;
		gg_error_set("%s at byte %zu",
			     p->problem ? p->problem : "unreadable input",
			     p->problem_offset);
		return GG_EINVALID;
	}
	return fail(l, mark, GG_EINVALID,
		    p->problem ? p->problem : "syntax error");
}

static int count_node(struct loader *l, const yaml_event_t *ev)
{
	if (++l->nodes > l->lim->max_nodes)
		return fail(l, &ev->start_mark, GG_ELIMIT,
			    "more nodes than the limit");
	return 0;
}

static int run(struct loader *l)
{
	yaml_event_t ev, doc_start;
	int err = 0, done = 0;

	memset(&doc_start, 0, sizeof(doc_start));
	while (!done && !err) {
		if (!yaml_parser_parse(&l->parser, &ev))
			return parser_error(l);
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT: doc_start = ev; break;
		case YAML_DOCUMENT_END_EVENT:
			err = on_document_end(l, &doc_start);
			break;
		case YAML_SCALAR_EVENT:
			if (!(err = count_node(l, &ev)))
				err = on_scalar(l, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			if (!(err = count_node(l, &ev)))
				err = on_start(l, &ev, GG_YSEQ);
			break;
		case YAML_MAPPING_START_EVENT:
			if (!(err = count_node(l, &ev)))
				err = on_start(l, &ev, GG_YMAP);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: err = on_end(l, &ev); break;
		case YAML_ALIAS_EVENT: err = on_alias(l, &ev); break;
		case YAML_STREAM_END_EVENT: done = 1; break;
		default: break;
		}
		yaml_event_delete(&ev);
	}
	return err;
}

int gg_yaml_parse(struct gg_yfile **out, struct gg_ymark *err_at,
		  const char *data, size_t len,
		  const struct gg_yaml_limits *limits)
{
	struct loader l;
	int err;

	*out = NULL;
	memset(&l, 0, sizeof(l));
	l.lim = limits ? limits : &gg_yaml_default_limits;
	l.file = gg_xcalloc(1, sizeof(*l.file));
	gg_arena_init(&l.file->arena);
	if (!yaml_parser_initialize(&l.parser))
		GG_BUG("yaml_parser_initialize failed");
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)data,
				     len);
	err = run(&l);
	yaml_parser_delete(&l.parser);
	while (l.depth) {
		l.depth--;
		free(l.stack[l.depth].items);
		free(l.stack[l.depth].anchor);
	}
	free(l.stack);
	anchors_clear(&l);
	if (err < 0) {
		if (err_at)
			*err_at = l.err_at;
		gg_yaml_free(l.file);
		return err;
	}
	*out = l.file;
	return 0;
}

void gg_yaml_free(struct gg_yfile *file)
{
	if (!file)
		return;
	free(file->docs);
	gg_arena_release(&file->arena);
	free(file);
}

/* --- reading -------------------------------------------------------------- */

static int key_is(const struct gg_ynode *k, const char *key)
{
	return k->kind == GG_YSCALAR && !strcmp(k->u.scalar.s, key) &&
	       strlen(key) == k->u.scalar.len;
}

/*
 * Look `key` up in `map` and the maps it merges ("<<").  Merged maps are
 * shared nodes, so a hostile file can make the merge graph a DAG with
 * exponentially many paths: `budget` bounds the maps one lookup visits.
 */
static const struct gg_ynode *get(const struct gg_ynode *map, const char *key,
				  int depth, int *budget)
{
	const struct gg_ynode *v;
	size_t i, j;

	if (!map || map->kind != GG_YMAP || depth > 64 || --*budget < 0)
		return NULL;
	for (i = map->u.map.nr; i-- > 0;)
		if (key_is(map->u.map.pairs[i].key, key))
			return map->u.map.pairs[i].value;
	for (i = 0; i < map->u.map.nr; i++) {
		const struct gg_ynode *m = map->u.map.pairs[i].value;

		if (!key_is(map->u.map.pairs[i].key, "<<") ||
		    (map->u.map.pairs[i].key->flags & GG_YQUOTED))
			continue;
		/* earlier merged maps take precedence */
		for (j = 0; j < (m->kind == GG_YSEQ ? m->u.seq.nr : 1); j++) {
			v = get(m->kind == GG_YSEQ ? m->u.seq.items[j] : m, key,
				depth + 1, budget);
			if (v || *budget < 0)
				return v;
		}
	}
	return NULL;
}

const struct gg_ynode *gg_ynode_get(const struct gg_ynode *map, const char *key)
{
	int budget = 256;

	return get(map, key, 0, &budget);
}

const struct gg_ynode *gg_ynode_path(const struct gg_ynode *node,
				     const char *dotted)
{
	char key[256];

	while (node && *dotted) {
		const char *dot = strchr(dotted, '.');
		size_t n = dot ? (size_t)(dot - dotted) : strlen(dotted);

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, dotted, n);
		key[n] = '\0';
		node = gg_ynode_get(node, key);
		dotted += n + !!dot;
	}
	return node;
}

const char *gg_ynode_str(const struct gg_ynode *node)
{
	return node && node->kind == GG_YSCALAR ? node->u.scalar.s : NULL;
}

int gg_ynode_is_null(const struct gg_ynode *node)
{
	const char *s;

	if (!node)
		return 1;
	if (node->kind != GG_YSCALAR || (node->flags & GG_YQUOTED))
		return 0;
	s = node->u.scalar.s;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") ||
	       !strcmp(s, "Null") || !strcmp(s, "NULL");
}

const char *gg_ynode_text(const struct gg_ynode *node)
{
	if (gg_ynode_is_null(node) || node->kind != GG_YSCALAR ||
	    !node->u.scalar.len)
		return NULL;
	return node->u.scalar.s;
}

static int one_of(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(s, *words))
			return 1;
	return 0;
}

int gg_ynode_bool(int *out, const struct gg_ynode *node)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes",
					   "Yes",  "YES",  "on",   "On",
					   "ON",   "y",	   "Y",	   NULL };
	static const char *const no[] = { "false", "False", "FALSE", "no",
					  "No",	   "NO",    "off",   "Off",
					  "OFF",   "n",	    "N",     NULL };

	if (gg_ynode_is_null(node))
		return GG_ENOTFOUND;
	if (node->kind != GG_YSCALAR || (node->flags & GG_YQUOTED))
		return GG_EINVALID;
	if (one_of(node->u.scalar.s, yes))
		*out = 1;
	else if (one_of(node->u.scalar.s, no))
		*out = 0;
	else
		return GG_EINVALID;
	return 0;
}

int gg_ynode_int(long long *out, const struct gg_ynode *node)
{
	const char *s;
	long long v = 0;
	int neg = 0;

	if (gg_ynode_is_null(node))
		return GG_ENOTFOUND;
	if (node->kind != GG_YSCALAR || (node->flags & GG_YQUOTED))
		return GG_EINVALID;
	s = node->u.scalar.s;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!*s)
		return GG_EINVALID;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (LLONG_MAX - 9) / 10)
			return GG_EINVALID;
		v = v * 10 + (*s - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

int gg_ynode_double(double *out, const struct gg_ynode *node)
{
	const char *s;
	char *end;
	double v;

	if (gg_ynode_is_null(node))
		return GG_ENOTFOUND;
	if (node->kind != GG_YSCALAR || (node->flags & GG_YQUOTED))
		return GG_EINVALID;
	s = node->u.scalar.s;
	if (!*s || strpbrk(s, "xXnN") || !strchr("+-.0123456789", *s))
		return GG_EINVALID;
	v = strtod(s, &end);
	if (*end)
		return GG_EINVALID;
	*out = v;
	return 0;
}

int gg_ynode_is_map(const struct gg_ynode *node)
{
	return node && node->kind == GG_YMAP;
}

int gg_ynode_is_seq(const struct gg_ynode *node)
{
	return node && node->kind == GG_YSEQ;
}

size_t gg_ynode_count(const struct gg_ynode *node)
{
	if (!node)
		return 0;
	if (node->kind == GG_YMAP)
		return node->u.map.nr;
	if (node->kind == GG_YSEQ)
		return node->u.seq.nr;
	return 0;
}

const struct gg_ynode *gg_ynode_item(const struct gg_ynode *seq, size_t i)
{
	if (!seq || seq->kind != GG_YSEQ || i >= seq->u.seq.nr)
		return NULL;
	return seq->u.seq.items[i];
}

int gg_yaml_text_may_hide(const char *data, size_t len)
{
	const unsigned char *u = (const unsigned char *)data;
	const char *p = data, *end = data + len;

	if (len >= 2 &&
	    ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff)))
		return 1;
	/* a !!binary scalar (or any tag: %TAG can split the word) */
	if (memmem(data, len, "binary", 6) || memmem(data, len, "%TAG", 4))
		return 1;
	/* a byte of 0x80 or more after a backslash may start NEL, LS or
	 * PS, line breaks that an escape joins like \n */
	while ((p = memchr(p, '\\', (size_t)(end - p))) && ++p < end)
		if (*p == 'x' || *p == 'u' || *p == 'U' || *p == '\n' ||
		    *p == '\r' || (unsigned char)*p >= 0x80)
			return 1;
		else if (*p == '\\')
			p++; /* an escaped backslash escapes nothing else */
	return 0;
}
