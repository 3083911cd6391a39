/*
 * Standard base64 decoding, for Secret data and YAML !!binary scalars.
 */
#ifndef GG_BASE64_H
#define GG_BASE64_H

#include <stddef.h>

#include "buf.h"

/*
 * Decode standard base64 (RFC 4648 section 4) into `out` (appended):
 * whitespace is ignored and padding is optional.  0, GG_EINVALID when
 * the text is not base64 (nothing is appended), or GG_ELIMIT from
 * `out`'s limit.
 */
int gg_base64_decode(struct gg_buf *out, const char *s, size_t len);

#endif
