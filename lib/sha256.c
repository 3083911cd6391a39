/*
 * SHA-256 as FIPS 180-4 section 6.2 describes it: 64-byte blocks, a
 * 64-word message schedule, eight working variables, big-endian words
 * and a padding of 0x80, zeros and the bit length; and a hash set of
 * digests.
 */
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "xalloc.h"
#include "banned.h"

/* FIPS 180-4 4.2.2: the first 32 bits of the fractional parts of the
 * cube roots of the first 64 primes. */
static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static uint32_t rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

/* FIPS 180-4 4.1.2: Ch, Maj, the two big sigmas and the two small ones */
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22))
#define BSIG1(x) (rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25))
#define SSIG0(x) (rotr(x, 7) ^ rotr(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (rotr(x, 17) ^ rotr(x, 19) ^ ((x) >> 10))

static void block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], v[8], t1, t2;
	unsigned i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = SSIG1(w[i - 2]) + w[i - 7] + SSIG0(w[i - 15]) +
		       w[i - 16];
	memcpy(v, h, sizeof(v));
	for (i = 0; i < 64; i++) {
		/* v[0..7] are a..h */
		t1 = v[7] + BSIG1(v[4]) + CH(v[4], v[5], v[6]) + K[i] + w[i];
		t2 = BSIG0(v[0]) + MAJ(v[0], v[1], v[2]);
		memmove(v + 1, v, 7 * sizeof(*v));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		h[i] += v[i];
}

void gg_sha256_init(struct gg_sha256 *c)
{
	/* FIPS 180-4 5.3.3: fractional parts of the square roots of the
	 * first eight primes */
	static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
					0xa54ff53a, 0x510e527f, 0x9b05688c,
					0x1f83d9ab, 0x5be0cd19 };

	memcpy(c->h, h0, sizeof(h0));
	c->nbytes = 0;
	c->nblk = 0;
}

void gg_sha256_update(struct gg_sha256 *c, const void *data, size_t len)
{
	const unsigned char *p = data;

	c->nbytes += len;
	if (c->nblk) {
		size_t n = 64 - c->nblk < len ? 64 - c->nblk : len;

		memcpy(c->blk + c->nblk, p, n);
		c->nblk += n;
		p += n;
		len -= n;
		if (c->nblk < 64)
			return;
		block(c->h, c->blk);
		c->nblk = 0;
	}
	for (; len >= 64; p += 64, len -= 64)
		block(c->h, p);
	if (len)
		memcpy(c->blk, p, len);
	c->nblk = len;
}

void gg_sha256_final(unsigned char out[GG_SHA256_LEN], struct gg_sha256 *c)
{
	uint64_t bits = c->nbytes * 8;
	unsigned i;

	/* 5.1.1: a 1 bit, zeros up to 56 mod 64, the length in 64 bits */
	c->blk[c->nblk++] = 0x80;
	if (c->nblk > 56) {
		memset(c->blk + c->nblk, 0, 64 - c->nblk);
		block(c->h, c->blk);
		c->nblk = 0;
	}
	memset(c->blk + c->nblk, 0, 56 - c->nblk);
	for (i = 0; i < 8; i++)
		c->blk[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	block(c->h, c->blk);
	for (i = 0; i < 32; i++)
		out[i] = (unsigned char)(c->h[i / 4] >> (24 - 8 * (i % 4)));
	memset(c, 0, sizeof(*c));
}

void gg_sha256(unsigned char out[GG_SHA256_LEN], const void *data, size_t len)
{
	struct gg_sha256 c;

	gg_sha256_init(&c);
	gg_sha256_update(&c, data, len);
	gg_sha256_final(out, &c);
}

void gg_sha256_hex(char out[2 * GG_SHA256_LEN + 1],
		   const unsigned char digest[GG_SHA256_LEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < GG_SHA256_LEN; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[2 * GG_SHA256_LEN] = '\0';
}

/* --- sets of digests ------------------------------------------------------ */

static const unsigned char zero_digest[GG_SHA256_LEN];

/* The slot of digest `d`: its own or the empty one it would take.  The
 * digest's first bytes are as good as a hash. */
static size_t slot_of(unsigned char (*slots)[GG_SHA256_LEN], size_t nslots,
		      const unsigned char *d)
{
	size_t i = ((size_t)d[0] | (size_t)d[1] << 8 | (size_t)d[2] << 16 |
		    (size_t)d[3] << 24) &
		   (nslots - 1);

	while (memcmp(slots[i], zero_digest, GG_SHA256_LEN) &&
	       memcmp(slots[i], d, GG_SHA256_LEN))
		i = (i + 1) & (nslots - 1);
	return i;
}

static void grow_set(struct gg_digest_set *set)
{
	size_t n = set->nslots ? 2 * set->nslots : 64, i;
	unsigned char(*slots)[GG_SHA256_LEN] = gg_xcalloc(n, sizeof(*slots));

	for (i = 0; i < set->nslots; i++)
		if (memcmp(set->slots[i], zero_digest, GG_SHA256_LEN))
			memcpy(slots[slot_of(slots, n, set->slots[i])],
			       set->slots[i], GG_SHA256_LEN);
	free(set->slots);
	set->slots = slots;
	set->nslots = n;
}

int gg_digest_set_add(struct gg_digest_set *set, const void *v, size_t len)
{
	unsigned char d[GG_SHA256_LEN];
	size_t i;

	gg_sha256(d, v, len);
	if (!memcmp(d, zero_digest, GG_SHA256_LEN))
		d[0] = 1; /* keep all-zero for empty slots */
	if (2 * (set->nr + 1) > set->nslots)
		grow_set(set);
	i = slot_of(set->slots, set->nslots, d);
	if (!memcmp(set->slots[i], d, GG_SHA256_LEN))
		return 0;
	memcpy(set->slots[i], d, GG_SHA256_LEN);
	set->nr++;
	return 1;
}

int gg_digest_set_has(const struct gg_digest_set *set, const void *v,
		      size_t len)
{
	unsigned char d[GG_SHA256_LEN];

	if (!set->nslots)
		return 0;
	gg_sha256(d, v, len);
	if (!memcmp(d, zero_digest, GG_SHA256_LEN))
		d[0] = 1;
	return !memcmp(set->slots[slot_of(set->slots, set->nslots, d)], d,
		       GG_SHA256_LEN);
}

void gg_digest_set_release(struct gg_digest_set *set)
{
	free(set->slots);
	memset(set, 0, sizeof(*set));
}
