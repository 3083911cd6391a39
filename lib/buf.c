/*
 * Growable byte buffers with a hard limit, plus the two escapers every
 * output path uses (terminal-safe text and JSON strings).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"
#include "xalloc.h"
#include "banned.h"

char gg_buf_slopbuf[1];

void gg_buf_init(struct gg_buf *b, size_t limit)
{
	b->buf = gg_buf_slopbuf;
	b->len = 0;
	b->alloc = 0;
	b->limit = limit;
}

void gg_buf_release(struct gg_buf *b)
{
	if (b->alloc)
		free(b->buf);
	gg_buf_init(b, b->limit);
}

void gg_buf_reset(struct gg_buf *b)
{
	gg_buf_setlen(b, 0);
}

char *gg_buf_detach(struct gg_buf *b, size_t *len_out)
{
	char *r;

	if (len_out)
		*len_out = b->len;
	r = b->alloc ? b->buf : gg_xstrdup("");
	gg_buf_init(b, b->limit);
	return r;
}

int gg_buf_grow(struct gg_buf *b, size_t extra)
{
	size_t want;
	int fresh = !b->alloc;

	if (extra > (size_t)-1 - b->len - 1)
		goto limit;
	want = b->len + extra;
	if (b->limit && want > b->limit)
		goto limit;
	if (want + 1 <= b->alloc)
		return 0;
	if (fresh)
		b->buf = NULL;
	GG_ALLOC_GROW(b->buf, want + 1, b->alloc);
	if (fresh)
		b->buf[0] = '\0';
	return 0;
limit:
	gg_error_set("buffer limit of %zu bytes exceeded", b->limit);
	return GG_ELIMIT;
}

int gg_buf_add(struct gg_buf *b, const void *data, size_t len)
{
	int err;

	if (!len)
		return 0;
	if ((err = gg_buf_grow(b, len)) < 0)
		return err;
	memcpy(b->buf + b->len, data, len);
	b->len += len;
	b->buf[b->len] = '\0';
	return 0;
}

int gg_buf_adds(struct gg_buf *b, const char *s)
{
	return gg_buf_add(b, s, strlen(s));
}

int gg_buf_addch(struct gg_buf *b, int c)
{
	char ch = (char)c;

	return gg_buf_add(b, &ch, 1);
}

int gg_buf_addf(struct gg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, err;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		GG_BUG("vsnprintf failed for format '%s'", fmt);
	if ((err = gg_buf_grow(b, (size_t)n)) < 0)
		return err;
	va_start(ap, fmt);
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void gg_buf_setlen(struct gg_buf *b, size_t len)
{
	if (len > b->len)
		GG_BUG("gg_buf_setlen(%zu) beyond length %zu", len, b->len);
	b->len = len;
	if (b->alloc)
		b->buf[len] = '\0';
}

void gg_buf_rtrim(struct gg_buf *b)
{
	size_t n = b->len;

	while (n && (b->buf[n - 1] == ' ' || b->buf[n - 1] == '\t' ||
		     b->buf[n - 1] == '\n' || b->buf[n - 1] == '\r'))
		n--;
	gg_buf_setlen(b, n);
}

static int add_hex_escape(struct gg_buf *b, unsigned char c)
{
	return gg_buf_addf(b, "\\x%02x", c);
}

int gg_buf_add_escaped(struct gg_buf *b, const char *s, size_t len)
{
	size_t i = 0;
	int err = 0;

	while (i < len && !err) {
		unsigned char c = (unsigned char)s[i];
		size_t n;

		if (c == '\t')
			err = gg_buf_add(b, "\\t", 2);
		else if (c == '\n')
			err = gg_buf_add(b, "\\n", 2);
		else if (c == '\r')
			err = gg_buf_add(b, "\\r", 2);
		else if (c < 0x20 || c == 0x7f)
			err = add_hex_escape(b, c);
		else if (c < 0x80)
			err = gg_buf_addch(b, c);
		else if ((n = gg_utf8_seqlen(s + i, len - i)) > 0) {
			/* C1 controls (U+0080..U+009F) drive terminals too */
			if (n == 2 && c == 0xc2 &&
			    (unsigned char)s[i + 1] < 0xa0) {
				err = add_hex_escape(b, c);
				if (!err)
					err = add_hex_escape(
						b, (unsigned char)s[i + 1]);
			} else
				err = gg_buf_add(b, s + i, n);
			i += n;
			continue;
		} else
			err = add_hex_escape(b, c);
		i++;
	}
	return err;
}

/*
 * A valid UTF-8 sequence in a JSON string: as is, except C1 controls
 * (U+0080..U+009F), which drive terminals, and U+2028/U+2029, which end
 * lines in JavaScript, as \u escapes, so that a log printed with cat is
 * inert.
 */
static int add_json_utf8(struct gg_buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n == 2 && u[0] == 0xc2 && u[1] < 0xa0)
		return gg_buf_addf(b, "\\u%04x", u[1]);
	if (n == 3 && u[0] == 0xe2 && u[1] == 0x80 &&
	    (u[2] == 0xa8 || u[2] == 0xa9))
		return gg_buf_addf(b, "\\u%04x", 0x2000 | (u[2] & 0x3f));
	return gg_buf_add(b, s, n);
}

int gg_buf_add_json(struct gg_buf *b, const char *s, size_t len)
{
	size_t i = 0;
	int err = gg_buf_addch(b, '"');

	while (i < len && !err) {
		unsigned char c = (unsigned char)s[i];
		size_t n;

		if (c == '"' || c == '\\') {
			err = gg_buf_addch(b, '\\');
			if (!err)
				err = gg_buf_addch(b, c);
		} else if (c == '\n')
			err = gg_buf_add(b, "\\n", 2);
		else if (c == '\t')
			err = gg_buf_add(b, "\\t", 2);
		else if (c == '\r')
			err = gg_buf_add(b, "\\r", 2);
		else if (c < 0x20 || c == 0x7f)
			err = gg_buf_addf(b, "\\u%04x", c);
		else if (c < 0x80)
			err = gg_buf_addch(b, c);
		else if ((n = gg_utf8_seqlen(s + i, len - i)) > 0) {
			err = add_json_utf8(b, s + i, n);
			i += n;
			continue;
		} else
			err = gg_buf_adds(b, "\\ufffd");
		i++;
	}
	return err ? err : gg_buf_addch(b, '"');
}
