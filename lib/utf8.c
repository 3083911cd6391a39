/*
 * A strict UTF-8 decoder (RFC 3629): no overlong forms, no surrogates,
 * nothing above U+10FFFF.
 */
#include "utf8.h"
#include "banned.h"

size_t gg_utf8_seqlen(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

size_t gg_utf8_validate(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t n = gg_utf8_seqlen(s + i, len - i);

		if (!n)
			return i;
		i += n;
	}
	return len;
}
