/*
 * Finding secret material in pushed text: credential-looking values
 * (private key blocks, cloud keys, platform tokens, passwords in URLs,
 * password-like fields) found by PCRE2 patterns, placeholder values that
 * are never findings, base64 as Secret data holds it, KEY=VALUE env
 * files, and the fingerprint that names a value without showing it.
 *
 * Nothing here prints or keeps a value: callers get offsets into their
 * own text and decide what to report (the key name and the fingerprint,
 * never the value).
 */
#ifndef GG_SECRETSCAN_H
#define GG_SECRETSCAN_H

#include <stddef.h>

#include "buf.h"
#include "strvec.h"

struct gg_secretscan;

/*
 * The default of secret/plaintext.placeholders, as YAML: the empty
 * value; changeme, update_me, replace_me, fill_me, set_me (with -, _, .
 * or a space or nothing between the words), todo, tbd, fixme, redacted,
 * placeholder, dummy in any case; x..., *..., "..."; <anything>;
 * ${VAR}; $(VAR); anything holding a {{ }} template expression; and
 * SOPS ENC[...] values.
 */
#define GG_SECRET_PLACEHOLDERS_DEFAULT                                         \
	"['^$', '(?i)^(change[-_. ]?me|update[-_. ]?me|replace[-_. ]?me|"      \
	"fill[-_. ]?me|set[-_. ]?me|todo|tbd|fixme|redacted|placeholder|"      \
	"dummy|x+|\\*+|\\.\\.\\.)$', '^<[^<>]*>$', '^\\$\\{[^{}]*\\}$', "      \
	"'^\\$\\([^()]*\\)$', '\\{\\{.*\\}\\}', '^ENC\\[.*\\]$']"

/*
 * Compile the built-in patterns, `extra` patterns (the policy's
 * secret/plaintext.patterns: each match is a credential) and the
 * `placeholders` (a value one of them matches is not a secret).  Either
 * list may be NULL.  Caller owns the result; free with
 * gg_secretscan_free().  0, or GG_EINVALID naming the pattern that does
 * not compile (the policy loader validates them first).
 */
int gg_secretscan_new(struct gg_secretscan **out, const struct gg_strvec *extra,
		      const struct gg_strvec *placeholders);
void gg_secretscan_free(struct gg_secretscan *ss);

/*
 * 1 if the value (`len` bytes) is a placeholder: after trimming
 * surrounding whitespace and one pair of matching quotes, one of the
 * placeholder patterns matches it (a search: the patterns anchor
 * themselves with ^ and $).
 */
int gg_secretscan_placeholder(const struct gg_secretscan *ss, const char *v,
			      size_t len);

/* 1 if the value is a SOPS-encrypted value: ENC[...]. */
int gg_secretscan_sops_value(const char *v, size_t len);

struct gg_secret_hit {
	size_t start, end; /* the value's bytes in the text */
	unsigned line;	   /* 1-based line of `start` */
	const char *what;  /* "private key", "GitHub token", ...; borrowed */
	char key[64];	   /* the key the value belongs to, or "" */
	int overflow;	   /* the pattern matched more than
			    * GG_SECRET_MAX_HITS times: [start, end) is
			    * the rest of the text, from the first match
			    * that was not judged; key is "" */
};

/* The hits of one pattern in one text that are reported one by one. */
#define GG_SECRET_MAX_HITS 256

/* Called for each hit; a non-zero return stops the scan and is
 * returned by gg_secretscan_text(). */
typedef int (*gg_secret_hit_fn)(const struct gg_secret_hit *hit, void *payload);

/*
 * Scan `len` bytes of `text` and call `cb` for every credential-looking
 * value that is not a placeholder, in text order.  Where two patterns
 * match overlapping bytes, the more specific one (a token format before
 * a password-like field) is reported once.  Placeholders never count;
 * each pattern reports at most GG_SECRET_MAX_HITS hits per text, and
 * past them one overflow hit (see gg_secret_hit) so that the rest of the
 * text is judged as a whole, never silently passed.  `*limited` (may
 * be NULL) is set when a pattern hit the PCRE2 match limit, so that
 * part of the text went unsearched.
 * Returns 0, or the callback's non-zero value.
 */
int gg_secretscan_text(const struct gg_secretscan *ss, const char *text,
		       size_t len, int *limited, gg_secret_hit_fn cb,
		       void *payload);

/*
 * The KEY=VALUE lines of an env file (kustomize secretGenerator envs):
 * blank lines and "#" comments are skipped, and so are lines without
 * "=" (kustomize reads those from its own environment).  `cb` gets the
 * key and value (whitespace-trimmed, one pair of quotes removed) and
 * the line; a non-zero return stops and is returned.
 */
typedef int (*gg_env_line_fn)(const char *key, size_t klen, const char *val,
			      size_t vlen, unsigned line, void *payload);
int gg_secretscan_env(const char *text, size_t len, gg_env_line_fn cb,
		      void *payload);

/*
 * The most bytes secret/plaintext reads of a manifest that is larger
 * than limits.max_blob_bytes (the manifest cache does not read those),
 * to search it all the same: 64 MiB.  A larger file is reported as one
 * that could not be inspected.
 */
#define GG_SECRET_SCAN_MAX_BYTES ((size_t)64 * 1024 * 1024)

/* --- Secrets in text that does not parse ---------------------------------- */

/*
 * One document of a text that the YAML parser does not read (larger
 * than the parse limits, or invalid), as its lines show it.  Documents
 * are separated by lines that start with "---" or "..." (followed by a
 * blank or the end of the line).  A document is a Secret when it has a
 * top-level "kind: Secret" line (a key in the first column, the value
 * quoted or not) and no apiVersion with a group (v1 or none), or, for a
 * document that opens with "{" (JSON), a "kind" member "Secret".
 */
struct gg_text_doc {
	size_t start, end; /* its bytes in the text, separators excluded */
	unsigned line;	   /* the line of `start`, 1-based */
	unsigned lines;	   /* the lines from `line` to the next document */
	int secret;	   /* a Secret, as above */
	int json;	   /* opens with "{" */
	char name[64];	   /* metadata.name as its lines say, or "" */
	size_t next;	   /* where the next document starts */
	unsigned next_line;
	size_t indent; /* the column of its top-level keys: 0, or
			    * that of a List item's */
	int list;      /* a List ("kind: ...List") with a block
			    * sequence of items */
	size_t items;  /* where the lines of its items start */
	unsigned items_line;
};

/* Start reading the documents of a text from its beginning. */
void gg_text_doc_init(struct gg_text_doc *d);

/*
 * Read the next document of `len` bytes of `text` into `d` (initialised
 * with gg_text_doc_init()).  1 when there is one, 0 past the last.
 */
int gg_text_doc_next(struct gg_text_doc *d, const char *text, size_t len);

/*
 * The next item of List document `list` (its `list` set) as a document
 * of its own: an item of the block sequence under its top-level "items:"
 * key, whose keys follow its "- ".  `item` starts initialised with
 * gg_text_doc_init(); 1 when there is one, 0 past the last.  Lists in
 * items are not read further.
 */
int gg_text_doc_item(struct gg_text_doc *item, const struct gg_text_doc *list,
		     const char *text);

struct gg_text_entry {
	const char *field; /* "data" or "stringData"; borrowed */
	char key[64];	   /* the entry's key */
	size_t start, end; /* its value's bytes in the text */
	unsigned line;	   /* 1-based line of the key */
	int unreadable;	   /* the field holds what is not read as entries
			    * (a tag, an alias, a nested collection, a
			    * layout not recognised): `line` is the
			    * field's, key and value are empty */
};

/* Called for each entry; a non-zero return stops and is returned. */
typedef int (*gg_text_entry_fn)(const struct gg_text_entry *e, void *payload);

/*
 * The entries of the data and stringData fields of Secret document `d`
 * of `text`, read line by line: block mappings (one "key: value" per
 * line at the same indentation; values plain, quoted or block
 * scalars), and flow mappings or JSON objects ({key: value, ...}, over
 * one or more lines).  Values that are null or booleans are skipped.
 * Whatever else a field holds is reported as one unreadable entry.
 * Returns 0, or the callback's non-zero value.
 */
int gg_text_doc_entries(const struct gg_text_doc *d, const char *text,
			size_t len, gg_text_entry_fn cb, void *payload);

/*
 * Text in UTF-16, as an editor on Windows may save a manifest (and as
 * the YAML parsers of Argo CD and Flux read it when it has a byte order
 * mark), decoded into `out` (appended) as UTF-8: 1 when `len` bytes of
 * `data` are UTF-16, told by a byte order mark (FF FE little-endian,
 * FE FF big-endian; the mark is not copied), or else by NULs in the
 * first 8000 bytes at odd offsets only (little-endian) or even ones only
 * (big-endian), in at least 3 of 4 of those bytes; 0 when they are not
 * (`out` untouched); GG_ELIMIT from `out`'s limit.  Lone surrogates
 * become U+FFFD and a last odd byte is dropped.
 */
int gg_secretscan_utf16(struct gg_buf *out, const char *data, size_t len);

/* "sha256:" and the first 12 hex digits of the value's SHA-256. */
#define GG_FINGERPRINT_SIZE 20
void gg_secret_fingerprint(char out[GG_FINGERPRINT_SIZE], const void *v,
			   size_t len);

#endif
