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
};

/* Called for each hit; a non-zero return stops the scan and is
 * returned by gg_secretscan_text(). */
typedef int (*gg_secret_hit_fn)(const struct gg_secret_hit *hit, void *payload);

/*
 * Scan `len` bytes of `text` and call `cb` for every credential-looking
 * value that is not a placeholder, in text order.  Where two patterns
 * match overlapping bytes, the more specific one (a token format before
 * a password-like field) is reported once.  At most 256 hits are
 * reported per text.  `*limited` (may be NULL) is set when a pattern hit
 * the PCRE2 match limit, so that part of the text went unsearched.
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
 * Decode standard base64 (RFC 4648 section 4) into `out` (appended):
 * whitespace is ignored and padding is optional.  0, GG_EINVALID when
 * the text is not base64, or GG_ELIMIT from `out`'s limit.
 */
int gg_base64_decode(struct gg_buf *out, const char *s, size_t len);

/* "sha256:" and the first 12 hex digits of the value's SHA-256. */
#define GG_FINGERPRINT_SIZE 20
void gg_secret_fingerprint(char out[GG_FINGERPRINT_SIZE], const void *v,
			   size_t len);

#endif
