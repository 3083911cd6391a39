/*
 * YAML documents as small trees with a position on every node.
 * yamlload.c is the only file that includes yaml.h.
 *
 * A file parses into documents (multi-document streams, JSON, a BOM,
 * CRLF line ends are all fine).  Anchors and aliases are kept as shared
 * nodes, never copied, and every node records its expanded size, so an
 * alias bomb is refused by the expansion budget before anything walks it.
 * Scalars keep their text and whether they were quoted; typing follows
 * YAML 1.1 as Kubernetes tooling reads it (go-yaml v2: yes/no/on/off are
 * booleans).  Duplicate keys are allowed and the last one wins, as in
 * the controllers.
 */
#ifndef GG_YAMLLOAD_H
#define GG_YAMLLOAD_H

#include <stddef.h>

#include "arena.h"

enum gg_ynode_kind { GG_YSCALAR, GG_YMAP, GG_YSEQ };

enum gg_ynode_flags {
	GG_YQUOTED =
		(1 << 0) /* a quoted or block scalar: never null/bool/int */
};

struct gg_ypair;

struct gg_ynode {
	enum gg_ynode_kind kind;
	unsigned flags;
	unsigned line;	 /* 1-based */
	unsigned col;	 /* 1-based */
	size_t size;	 /* nodes in the subtree, aliases expanded */
	const char *tag; /* explicit tag ("!!str") or NULL */
	union {
		struct {
			const char *s; /* NUL-terminated; may contain NULs */
			size_t len;
		} scalar;
		struct {
			struct gg_ypair *pairs;
			size_t nr;
		} map;
		struct {
			struct gg_ynode **items;
			size_t nr;
		} seq;
	} u;
};

struct gg_ypair {
	struct gg_ynode *key;
	struct gg_ynode *value;
};

struct gg_ydoc {
	struct gg_ynode *root; /* an empty document: a null scalar or NULL */
	unsigned line;	       /* where the document starts */
};

struct gg_yfile {
	struct gg_arena arena; /* owns every node and string */
	struct gg_ydoc *docs;
	size_t ndocs;
};

struct gg_yaml_limits {
	size_t max_depth;    /* nesting of collections */
	size_t max_nodes;    /* nodes created */
	size_t max_expanded; /* nodes of a document with aliases expanded */
	size_t max_docs;     /* documents in one file */
};

/* The defaults: depth 128, 1,000,000 nodes, 1,000,000 expanded,
 * 10,000 documents. */
extern const struct gg_yaml_limits gg_yaml_default_limits;

struct gg_ymark {
	unsigned line;
	unsigned col;
};

/*
 * Parse `len` bytes of `data`.  On success `*out` is the caller's; free
 * with gg_yaml_free().  On failure `*out` is NULL, `err_at` (if not NULL)
 * says where, and gg_error_last() says what, without a location:
 * GG_EINVALID (not YAML: syntax, invalid UTF-8, a recursive alias) or
 * GG_ELIMIT (depth, node count or alias expansion budget exceeded).
 * `limits` may be NULL for the defaults.
 */
int gg_yaml_parse(struct gg_yfile **out, struct gg_ymark *err_at,
		  const char *data, size_t len,
		  const struct gg_yaml_limits *limits);
void gg_yaml_free(struct gg_yfile *file);

/*
 * 1 if the scalars that parsing `data` yields may hold a word that
 * `data` does not hold byte for byte: a double-quoted (or JSON) escape
 * that spells a character or joins two lines (\x, \u, \U, a backslash
 * before a line break, NEL, LS or PS included), a !!binary scalar (base64
 * that gg_yaml_parse() decodes; any "binary" or %TAG directive counts),
 * or a UTF-16 byte order mark (the parser decodes the file).  Aliases
 * and merge keys only repeat text that is there.
 * Else a word absent from `data` is absent from every key and value:
 * what lets a caller skip the parse of a file that cannot name what it
 * looks for.
 */
int gg_yaml_text_may_hide(const char *data, size_t len);

/* --- reading the tree (all borrowed, valid until gg_yaml_free()) ---------- */

/* The value of `key` in map `map` (the last one if repeated; merge keys
 * "<<" are followed).  NULL when `map` is not a map or has no such key. */
const struct gg_ynode *gg_ynode_get(const struct gg_ynode *map,
				    const char *key);

/* Follow a dotted path of keys: "spec.syncPolicy.automated". */
const struct gg_ynode *gg_ynode_path(const struct gg_ynode *node,
				     const char *dotted);

/* The text of a scalar, or NULL for non-scalars and NULL. */
const char *gg_ynode_str(const struct gg_ynode *node);

/* A scalar that is not null and not empty: its text, else NULL. */
const char *gg_ynode_text(const struct gg_ynode *node);

/* 1 for NULL, a missing value, or a plain ~ / null / empty scalar. */
int gg_ynode_is_null(const struct gg_ynode *node);

/*
 * Read a boolean (plain true/false, yes/no, on/off, y/n in any of the
 * usual cases).  0 and *out set; GG_ENOTFOUND when null/absent (out
 * untouched); GG_EINVALID for anything else (a quoted "true" too).
 */
int gg_ynode_bool(int *out, const struct gg_ynode *node);

/* Read an integer (plain decimal, optional sign).  Same returns. */
int gg_ynode_int(long long *out, const struct gg_ynode *node);

/* Read a number (integer or decimal fraction).  Same returns. */
int gg_ynode_double(double *out, const struct gg_ynode *node);

/* 1 if the node is a map / sequence. */
int gg_ynode_is_map(const struct gg_ynode *node);
int gg_ynode_is_seq(const struct gg_ynode *node);

/* Number of items of a sequence or pairs of a map (0 otherwise). */
size_t gg_ynode_count(const struct gg_ynode *node);

/* Item `i` of a sequence (NULL past the end or for non-sequences). */
const struct gg_ynode *gg_ynode_item(const struct gg_ynode *seq, size_t i);

#endif
