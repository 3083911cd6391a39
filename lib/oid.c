/*
 * Conversions between hex and raw object ids.
 */
#include <string.h>

#include "error.h"
#include "oid.h"
#include "banned.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int gg_oid_is_hex(const char *hex, size_t len)
{
	size_t i;

	if (len != GG_OID_HEXSZ && len != GG_OID_HEXSZ_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (hexval(hex[i]) < 0)
			return 0;
	return 1;
}

int gg_oid_hex_is_zero(const char *hex)
{
	if (!*hex)
		return 0;
	while (*hex == '0')
		hex++;
	return !*hex;
}

/* 1 + hexval() of every byte, 0 for the others (NUL included) */
#define D(c) [c] = (c) - '0' + 1
#define L(c) [c] = (c) - 'a' + 11
static const unsigned char digit[256] = { D('0'), D('1'), D('2'), D('3'),
					  D('4'), D('5'), D('6'), D('7'),
					  D('8'), D('9'), L('a'), L('b'),
					  L('c'), L('d'), L('e'), L('f') };
#undef D
#undef L

int gg_oid_from_hex(struct gg_oid *out, const char *hex)
{
	struct gg_oid oid;
	size_t i;
	int hi, lo;

	/* one pass, by table (the definitions cache holds thousands) */
	for (i = 0; i < GG_OID_RAWSZ; i++) {
		hi = digit[(unsigned char)hex[2 * i]] - 1;
		lo = hi < 0 ? -1 : digit[(unsigned char)hex[2 * i + 1]] - 1;
		if (lo < 0)
			goto bad;
		oid.id[i] = (unsigned char)(hi << 4 | lo);
	}
	if (hex[GG_OID_HEXSZ])
		goto bad;
	*out = oid;
	return 0;
bad:
	gg_error_set(strlen(hex) == GG_OID_HEXSZ_MAX
			     ? "SHA-256 object ids are not supported"
			     : "malformed object id");
	return GG_EINVALID;
}

void gg_oid_to_hex(char *out, const struct gg_oid *oid)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < GG_OID_RAWSZ; i++) {
		out[2 * i] = digits[oid->id[i] >> 4];
		out[2 * i + 1] = digits[oid->id[i] & 0xf];
	}
	out[GG_OID_HEXSZ] = '\0';
}

int gg_oid_cmp(const struct gg_oid *a, const struct gg_oid *b)
{
	return memcmp(a->id, b->id, GG_OID_RAWSZ);
}

int gg_oid_is_zero(const struct gg_oid *oid)
{
	size_t i;

	for (i = 0; i < GG_OID_RAWSZ; i++)
		if (oid->id[i])
			return 0;
	return 1;
}
