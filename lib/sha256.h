/*
 * SHA-256 (FIPS 180-4), for fingerprints: secret values are never shown
 * or logged, only a short digest that names them, and sets of digests
 * tell values seen before from new ones without keeping the values.
 * Not for passwords or signatures.
 */
#ifndef GG_SHA256_H
#define GG_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define GG_SHA256_LEN 32

struct gg_sha256 {
	uint32_t h[8];
	uint64_t nbytes;       /* message length so far */
	unsigned char blk[64]; /* the partial block */
	size_t nblk;	       /* bytes in blk */
};

/* Start, feed, finish.  gg_sha256_final() leaves `c` unusable until the
 * next gg_sha256_init(). */
void gg_sha256_init(struct gg_sha256 *c);
void gg_sha256_update(struct gg_sha256 *c, const void *data, size_t len);
void gg_sha256_final(unsigned char out[GG_SHA256_LEN], struct gg_sha256 *c);

/* The digest of `len` bytes at `data`, in one call. */
void gg_sha256(unsigned char out[GG_SHA256_LEN], const void *data, size_t len);

/* The digest as lowercase hex (65 bytes with the NUL). */
void gg_sha256_hex(char out[2 * GG_SHA256_LEN + 1],
		   const unsigned char digest[GG_SHA256_LEN]);

/*
 * A set of values by SHA-256, to tell values seen before from new ones
 * without keeping the values.  Zero-initialise (GG_DIGEST_SET_INIT);
 * release with gg_digest_set_release().
 */
struct gg_digest_set {
	unsigned char (
		*slots)[GG_SHA256_LEN]; /* open addressing; all-zero: empty */
	size_t nr, nslots;
};

#define GG_DIGEST_SET_INIT                                                     \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* Add the value's digest; 1 if it was new, 0 if already there. */
int gg_digest_set_add(struct gg_digest_set *set, const void *v, size_t len);

/* 1 if the value's digest is in the set. */
int gg_digest_set_has(const struct gg_digest_set *set, const void *v,
		      size_t len);

void gg_digest_set_release(struct gg_digest_set *set);

#endif
