/*
 * UTF-8 validation for the escapers and the YAML loader.
 */
#ifndef GG_UTF8_H
#define GG_UTF8_H

#include <stddef.h>

/*
 * Length of the valid UTF-8 sequence at `s` (1-4), or 0 when the bytes
 * at `s` (at most `len` of them) are not a valid, shortest-form scalar
 * value.  `len` must be at least 1.
 */
size_t gg_utf8_seqlen(const char *s, size_t len);

/* Offset of the first invalid byte in `s`, or `len` when it is all valid. */
size_t gg_utf8_validate(const char *s, size_t len);

#endif
