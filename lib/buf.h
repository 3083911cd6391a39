/*
 * struct gg_buf: the one growable byte buffer, built like git's strbuf
 * with curl's hard size limit.
 *
 * Invariants: `buf` is never NULL and is always NUL-terminated at
 * buf[len]; `alloc` is 0 while `buf` points at a shared empty string.
 * A buffer with a non-zero `limit` never holds more than `limit` bytes:
 * an append that would exceed it fails with GG_ELIMIT and leaves the
 * buffer unchanged.  Every buffer that holds push-controlled data (blob
 * contents, commit messages, paths) has a limit.
 */
#ifndef GG_BUF_H
#define GG_BUF_H

#include <stddef.h>

#include "error.h"

extern char gg_buf_slopbuf[];

struct gg_buf {
	char *buf;
	size_t len;
	size_t alloc;
	size_t limit; /* 0: no limit */
};

#define GG_BUF_INIT                                                            \
	{                                                                      \
		gg_buf_slopbuf, 0, 0, 0                                        \
	}

/* Set up `b` as empty with the given limit (0 for none). */
void gg_buf_init(struct gg_buf *b, size_t limit);

/* Free the contents; `b` is left initialised and empty (same limit). */
void gg_buf_release(struct gg_buf *b);

/* Empty the buffer, keeping its allocation. */
void gg_buf_reset(struct gg_buf *b);

/*
 * Hand out the contents as a malloc'ed NUL-terminated string and leave
 * `b` empty.  Caller owns the result; free with free().  `len_out` may
 * be NULL.
 */
char *gg_buf_detach(struct gg_buf *b, size_t *len_out);

/* Make room for `extra` more bytes. 0, or GG_ELIMIT past the limit. */
int gg_buf_grow(struct gg_buf *b, size_t extra);

/* Append bytes, a string, a character, or printf output.
 * 0, or GG_ELIMIT (buffer unchanged). */
int gg_buf_add(struct gg_buf *b, const void *data, size_t len);
int gg_buf_adds(struct gg_buf *b, const char *s);
int gg_buf_addch(struct gg_buf *b, int c);
int gg_buf_addf(struct gg_buf *b, const char *fmt, ...) GG_PRINTF(2, 3);

/* Shorten to `len` (<= current length). */
void gg_buf_setlen(struct gg_buf *b, size_t len);

/*
 * Append `s` (of `len` bytes) with everything that could act on a
 * terminal made visible: control characters, DEL and bytes that are not
 * valid UTF-8 become \xNN (\t, \n and \r become \t, \n, \r).  Used for
 * every piece of pushed content that reaches the pusher's screen.
 */
int gg_buf_add_escaped(struct gg_buf *b, const char *s, size_t len);

/* Append `s` as a JSON string literal, quotes included; invalid UTF-8
 * bytes become U+FFFD. */
int gg_buf_add_json(struct gg_buf *b, const char *s, size_t len);

/* Remove trailing whitespace. */
void gg_buf_rtrim(struct gg_buf *b);

#endif
