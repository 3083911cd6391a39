/*
 * Standard base64 decoding (RFC 4648 section 4).
 */
#include "base64.h"
#include "error.h"
#include "banned.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	return c == '/' ? 63 : -1;
}

int gg_base64_decode(struct gg_buf *out, const char *s, size_t len)
{
	unsigned acc = 0, nbits = 0;
	size_t i, pad = 0, start = out->len;
	int v, err;

	for (i = 0; i < len; i++) {
		if (is_space(s[i]))
			continue;
		if (s[i] == '=') {
			pad++;
			continue;
		}
		v = b64_value(s[i]);
		if (v < 0 || pad)
			goto bad; /* a stray byte, or data after padding */
		acc = (acc << 6) | (unsigned)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			if ((err = gg_buf_addch(
				     out, (int)((acc >> nbits) & 0xff))) < 0)
				return err;
		}
	}
	/* 6 leftover bits can never end a base64 text; 2 or 4 can */
	if (nbits == 6 || pad > 2)
		goto bad;
	return 0;
bad:
	gg_buf_setlen(out, start);
	gg_error_set("not base64");
	return GG_EINVALID;
}
