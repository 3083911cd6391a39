/*
 * Between secretscan.c and secretscan-text.c; not part of the library's
 * interface: how a value is read from the text around it.
 */
#ifndef GG_SECRETSCAN_INTERNAL_H
#define GG_SECRETSCAN_INTERNAL_H

#include <stddef.h>

/* A blank: space, tab, CR or LF. */
int gg_secretscan__is_space(char c);

/* A character of a plain key: letters, digits, "_", "-" and ".". */
int gg_secretscan__is_keych(char c);

/* A field value that is not a value: empty, a boolean, null, a nested
 * collection, an alias or a tag. */
int gg_secretscan__not_a_value(const char *v, size_t len);

/*
 * A field's value from `*s` (its first byte) to the end of the line:
 * the inside of a quoted value, the lines of a block scalar, else the
 * text before a " #" comment (or the end of a flow collection's entry)
 * without trailing blanks or a JSON comma; `*s` and `*e` are set to its
 * bytes.  0 if there is no value.
 */
int gg_secretscan__field_value(const char *text, size_t len, size_t *s,
			       size_t *e);

/* `n` bytes of `k` into `out`, cut to 63 and NUL-terminated. */
void gg_secretscan__copy_key(char out[64], const char *k, size_t n);

#endif
