/*
 * SHA-256 (FIPS 180-4), for fingerprints: secret values are never shown
 * or logged, only a short digest that names them.  Not for passwords or
 * signatures; a fingerprint says "this value", nothing more.
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

#endif
