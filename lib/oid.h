/*
 * Object ids.  libgit2 1.5 reads SHA-1 repositories only, so a
 * struct gg_oid holds 20 raw bytes; the push parser still accepts 64-hex
 * (SHA-256) ids so that such a push gets a clear message, not a crash.
 */
#ifndef GG_OID_H
#define GG_OID_H

#include <stddef.h>

#define GG_OID_RAWSZ 20
#define GG_OID_HEXSZ 40
#define GG_OID_HEXSZ_MAX 64

struct gg_oid {
	unsigned char id[GG_OID_RAWSZ];
};

/* 1 if `hex` (of `len` chars) is exactly 40 or 64 lowercase hex digits. */
int gg_oid_is_hex(const char *hex, size_t len);

/* 1 if `hex` consists of zeros only (a create or delete). */
int gg_oid_hex_is_zero(const char *hex);

/* Parse 40 hex digits.  0, or GG_EINVALID (also for 64-digit ids). */
int gg_oid_from_hex(struct gg_oid *out, const char *hex);

/* Write 40 hex digits and a NUL into `out` (41 bytes). */
void gg_oid_to_hex(char *out, const struct gg_oid *oid);

int gg_oid_cmp(const struct gg_oid *a, const struct gg_oid *b);
int gg_oid_is_zero(const struct gg_oid *oid);

#endif
