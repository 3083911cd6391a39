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

int gg_oid_from_hex(struct gg_oid *out, const char *hex)
{
	size_t i;

	if (strlen(hex) != GG_OID_HEXSZ || !gg_oid_is_hex(hex, GG_OID_HEXSZ)) {
		gg_error_set(strlen(hex) == GG_OID_HEXSZ_MAX
				     ? "SHA-256 object ids are not supported"
				     : "malformed object id");
		return GG_EINVALID;
	}
	for (i = 0; i < GG_OID_RAWSZ; i++)
		out->id[i] = (unsigned char)(hexval(hex[2 * i]) << 4 |
					     hexval(hex[2 * i + 1]));
	return 0;
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
